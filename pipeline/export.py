"""Exporting the corpus for other tools: spaCy DocBin, unit-level JSONL, character-level CoNLL."""

from __future__ import annotations

import json
from pathlib import Path


def export(splits: dict[str, list[dict]], fmt: str, out: Path) -> list[Path]:
    """Write one file per split in ``fmt`` (spacy | jsonl | conll) under ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    writer = {"spacy": _to_spacy, "jsonl": _to_jsonl, "conll": _to_conll}[fmt]
    return [writer(records, out / f"{name}.{fmt}") for name, records in splits.items()]


def _to_spacy(records: list[dict], path: Path) -> Path:
    """DocBin: entities in ``doc.ents``, units in span group ``units`` (label = function) with kinds in ``kinds``."""
    from spacy.tokens import DocBin

    from .components.align import split_tokens_at
    from .nlp import load

    tokenizer = load().tokenizer
    bin_ = DocBin()
    for record in records:
        doc = tokenizer(record["text"])
        offsets = [b for u in record["units"] for b in (u["start"], u["end"])]
        offsets += [b for e in record["entities"] for b in (e["start"], e["end"])]
        doc = split_tokens_at(doc, offsets)
        doc.ents = [doc.char_span(e["start"], e["end"], label=e["label"]) for e in record["entities"]]
        doc.spans["units"] = [doc.char_span(u["start"], u["end"], label=u["function"]) for u in record["units"]]
        doc.spans["kinds"] = [doc.char_span(u["start"], u["end"], label=u["kind"]) for u in record["units"]]
        bin_.add(doc)
    bin_.to_disk(path)
    return path


def _to_jsonl(records: list[dict], path: Path) -> Path:
    """One line per unit: text, function, goals, kind, heading path, entities with unit-relative offsets."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            for unit in record["units"]:
                entities = [
                    {"start": e["start"] - unit["start"], "end": e["end"] - unit["start"], "label": e["label"], "text": e["text"]}
                    for e in record["entities"] if e["unit"] == unit["id"]
                ]
                row = {"doc_id": record["doc_id"], "unit": unit["id"], "text": unit["text"], "function": unit["function"],
                       "goals": unit["goals"], "kind": unit["kind"], "heading_path": unit.get("heading_path", []),
                       "entities": entities}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _to_conll(records: list[dict], path: Path) -> Path:
    """Character-level BIO tags (``char<TAB>tag``), one unit per sentence, blank line between units."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(f"# doc_id = {record['doc_id']}\n")
            for unit in record["units"]:
                tags = ["O"] * (unit["end"] - unit["start"])
                for e in record["entities"]:
                    if e["unit"] != unit["id"]:
                        continue
                    first = e["start"] - unit["start"]
                    tags[first] = f"B-{e['label']}"
                    for k in range(first + 1, e["end"] - unit["start"]):
                        tags[k] = f"I-{e['label']}"
                for char, tag in zip(unit["text"], tags):
                    if not char.isspace():
                        handle.write(f"{char}\t{tag}\n")
                handle.write("\n")
    return path
