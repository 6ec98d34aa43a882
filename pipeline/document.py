"""One document through the pipeline, and the output contract's JSON object for it.

``analyze`` and ``batch`` both call :func:`analyze_source`, so a document gives the same object
whichever way it is processed. Fields of stages that are not in the pipeline are left out.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from .io import InputError, SourceText

SCHEMA_VERSION = "1"
UNITS_KEY = "units"


def analyze_source(nlp, source: SourceText, doc_id: str | None = None) -> dict:
    """Run the pipeline over decoded text and return the contract object."""
    if len(source.text) > nlp.max_length:
        raise InputError(f"{source.source}: document too long ({len(source.text):,} characters; the pipeline takes "
                         f"up to {nlp.max_length:,}: split the file into reports)")
    doc = nlp(source.text)
    taxonomy = nlp.get_pipe("linker").taxonomy if "linker" in nlp.pipe_names else None
    return doc_to_record(doc, doc_id=doc_id or Path(source.source).name, source=source.source, taxonomy=taxonomy)


def doc_to_record(doc, *, doc_id: str, source: str, taxonomy=None) -> dict:
    """The output contract's document object for a processed ``Doc``."""
    from .components.attrs import doc_text

    text = doc_text(doc)
    units = list(doc.spans[UNITS_KEY]) if UNITS_KEY in doc.spans else []
    starts = [span.start_char for span in units]
    record = {
        "schema_version": SCHEMA_VERSION,
        "doc_id": doc_id,
        "source": source,
        "title": doc._.title,
        "text_length": len(text),
        "units": [_unit_record(i, span, text) for i, span in enumerate(units)],
    }
    if doc.has_annotation("ENT_IOB"):
        record["entities"] = [
            {
                "start": ent.start_char,
                "end": ent.end_char,
                "text": text[ent.start_char : ent.end_char],
                "label": ent.label_,
                "unit": _containing_unit(starts, units, ent.start_char),
            }
            for ent in doc.ents
        ]
    if taxonomy is not None and any("goals" in u and "function" in u for u in record["units"]):
        record["coverage"] = coverage(record["units"], taxonomy)
    if doc._.indicators is not None:
        record["indicators"] = [
            {**indicator, "unit": _containing_unit(starts, units, indicator["start"])} for indicator in doc._.indicators
        ]
    return record


def _unit_record(index: int, span, text: str) -> dict:
    row = {
        "id": index,
        "start": span.start_char,
        "end": span.end_char,
        "text": text[span.start_char : span.end_char],
        "heading_path": list(span._.heading_path or ()),
        "is_heading": span.label_ in ("title", "heading"),
        "kind": span.label_,
    }
    if span._.function is not None:
        row["function"] = span._.function
        row["function_scores"] = dict(span._.function_scores)
    if span._.goals is not None:
        row["goals"] = [{"id": goal, "score": round(float(score), 4)} for goal, score in span._.goals]
    return row


def _containing_unit(starts: list[int], units: list, offset: int) -> int | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and units[i].start_char <= offset < units[i].end_char:
        return i
    return None


COVERED_FUNCTIONS = ("achievement", "shortcoming", "plan")


def coverage(units: list[dict], taxonomy) -> list[dict]:
    """Goal × function counts with unit ids as evidence, for level-1 and level-2 goals (primary goals only).

    Only goals with at least one unit are listed, in taxonomy order; a level-1 row sums its sub-goals.
    """
    rows = {goal.id: {"goal": goal.id, "name": goal.name, "level": goal.level,
                      **{f: 0 for f in COVERED_FUNCTIONS}, "evidence": {f: [] for f in COVERED_FUNCTIONS}}
            for goal in taxonomy.goals.values()}
    for unit in units:
        if unit.get("function") not in COVERED_FUNCTIONS or not unit.get("goals"):
            continue
        primary = unit["goals"][0]["id"]
        if primary not in taxonomy.goals:
            continue
        for goal_id in {primary, taxonomy.root_of(primary)}:
            rows[goal_id][unit["function"]] += 1
            rows[goal_id]["evidence"][unit["function"]].append(unit["id"])
    return [row for row in rows.values() if any(row[f] for f in COVERED_FUNCTIONS)]
