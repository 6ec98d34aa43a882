"""The annotated corpus: building it from its sources, validating, loading with ``datasets``, exporting.

Authoring sources live in ``corpora/src/``: each document is the file as downloaded (``<id>.txt``, in
whatever encoding it came) and its gold annotation ``<id>.ann.jsonl`` — a meta line, then one line per
unit in text order with the unit's exact text, kind, function, goals, entities (surface + label, in
order) and indicators. ``build`` locates every string in the decoded text and writes one JSONL record
per document with character offsets into ``corpora/data/{train,dev,test}.jsonl``; ``splits.json``
assigns documents to splits. Everything downstream (training, evaluation, ``datasets``) reads the
built records.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .io import decode_bytes
from .structure import heading_rank, normalize

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpora"
SRC_DIR = CORPUS_DIR / "src"
DATA_DIR = CORPUS_DIR / "data"
SPLITS_FILE = CORPUS_DIR / "splits.json"
SPLITS = ("train", "dev", "test")

KINDS = ("title", "heading", "body", "signature", "date", "furniture")
FUNCTIONS = ("achievement", "shortcoming", "plan", "other")
ENTITY_LABELS = ("PLAN", "CAMPAIGN", "INSTITUTION", "LAW")
NON_BODY_KINDS = {"title", "heading", "signature", "date", "furniture"}


class CorpusError(Exception):
    """A source that cannot be built (a unit or entity string that is not where it should be)."""


# ---------------------------------------------------------------------------------------------
# building records from sources


def build_record(txt_path: Path, ann_path: Path) -> dict:
    """One document record with character offsets, from a text file and its annotation lines."""
    text, _ = decode_bytes(txt_path.read_bytes(), str(txt_path))
    rows = [json.loads(line) for line in ann_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows or "doc_id" not in rows[0]:
        raise CorpusError(f"{ann_path}: the first line must be the meta object with doc_id")
    head, unit_rows = rows[0], rows[1:]
    units, entities, indicators = [], [], []
    pos = 0
    for index, row in enumerate(unit_rows):
        start = text.find(row["text"], pos)
        if start < 0:
            raise CorpusError(f"{ann_path}: unit {index} not found after offset {pos}: {row['text'][:30]!r}")
        end = start + len(row["text"])
        pos = end
        units.append(
            {
                "id": index,
                "start": start,
                "end": end,
                "text": row["text"],
                "kind": row["kind"],
                "function": row["function"],
                "goals": list(row.get("goals", [])),
            }
        )
        entity_pos = start
        for surface, label in row.get("entities", []):
            e_start = text.find(surface, entity_pos, end)
            if e_start < 0:
                raise CorpusError(f"{ann_path}: unit {index}: entity {surface!r} not found in order")
            entities.append(
                {"start": e_start, "end": e_start + len(surface), "text": surface, "label": label, "unit": index}
            )
            entity_pos = e_start + len(surface)
        for indicator in row.get("indicators", []):
            i_start = text.find(indicator["text"], start, end)
            if i_start < 0:
                raise CorpusError(f"{ann_path}: unit {index}: indicator {indicator['text']!r} not in unit")
            indicators.append(
                {
                    "start": i_start,
                    "end": i_start + len(indicator["text"]),
                    "text": indicator["text"],
                    "measure": indicator["measure"],
                    "value": float(indicator["value"]),
                    "unit_of_measure": indicator.get("unit_of_measure", ""),
                    "unit": index,
                }
            )
    for unit, path in zip(units, gold_heading_paths(units)):
        unit["heading_path"] = path
    meta = {key: head.get("meta", {}).get(key) for key in META_FIELDS}
    meta["year"] = int(meta["year"]) if meta.get("year") is not None else None
    return {
        "doc_id": head["doc_id"],
        "text": text,
        "meta": meta,
        "units": units,
        "entities": entities,
        "indicators": indicators,
    }


META_FIELDS = ("title", "province", "region", "level", "author", "year", "encoding", "script", "structure", "messiness")


def gold_heading_paths(units: list[dict]) -> list[list[str]]:
    """Heading paths from gold kinds: marker ranks order the headings; unmarked headings rank as sections."""
    stack: list[tuple[int, str]] = []
    paths = []
    for unit in units:
        if unit["kind"] == "heading":
            rank = heading_rank(normalize(unit["text"]))
            if rank is None:
                rank = 1 if not any(r == 1 for r, _ in stack) else 2
            while stack and stack[-1][0] >= rank:
                stack.pop()
            paths.append([t for _, t in stack])
            stack.append((rank, unit["text"]))
        elif unit["kind"] in ("title", "signature", "date", "furniture"):
            paths.append([])
        else:
            paths.append([t for _, t in stack])
    return paths


def source_pairs(src_dir: Path = SRC_DIR) -> list[tuple[Path, Path]]:
    pairs = []
    for ann in sorted(src_dir.glob("*.ann.jsonl")):
        txt = ann.with_name(ann.name[: -len(".ann.jsonl")] + ".txt")
        if txt.exists():
            pairs.append((txt, ann))
    return pairs


def build(src_dir: Path = SRC_DIR, out_dir: Path = DATA_DIR, splits_file: Path = SPLITS_FILE) -> dict[str, int]:
    """Build ``out_dir/{train,dev,test}.jsonl`` from the sources; return documents per split."""
    splits = json.loads(splits_file.read_text(encoding="utf-8"))
    by_split: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for txt, ann in source_pairs(src_dir):
        record = build_record(txt, ann)
        split = splits.get(record["doc_id"])
        if split not in by_split:
            raise CorpusError(f"{record['doc_id']}: not assigned to a split in {splits_file.name}")
        by_split[split].append(record)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in by_split.items():
        with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {name: len(records) for name, records in by_split.items()}


# ---------------------------------------------------------------------------------------------
# reading and validating built records


def data_files(data_dir: Path | None = None) -> dict[str, str]:
    data_dir = DATA_DIR if data_dir is None else data_dir
    return {name: str(data_dir / f"{name}.jsonl") for name in SPLITS if (data_dir / f"{name}.jsonl").exists()}


def iter_records(paths: Iterable[Path | str]) -> Iterator[dict]:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def read_split(split: str, data_dir: Path | None = None) -> list[dict]:
    """The records of one split as plain dicts (what training and evaluation use)."""
    return list(iter_records([(DATA_DIR if data_dir is None else data_dir) / f"{split}.jsonl"]))


@dataclass(frozen=True)
class Problem:
    doc_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.message}"


def validate_record(record: dict, goal_ids: set[str]) -> list[Problem]:
    """Every problem of one record: offsets, labels, goal ids, entity placement."""
    doc_id = record.get("doc_id", "<no doc_id>")
    text = record.get("text", "")
    problems = []

    def bad(message: str) -> None:
        problems.append(Problem(doc_id, message))

    units = record.get("units", [])
    previous_end = 0
    for i, unit in enumerate(units):
        where = f"unit {i}"
        if unit.get("id") != i:
            bad(f"{where}: id is {unit.get('id')}, expected {i}")
        start, end = unit.get("start", -1), unit.get("end", -1)
        if not (0 <= start < end <= len(text)):
            bad(f"{where}: offsets {start}..{end} outside the text (length {len(text)})")
            continue
        if text[start:end] != unit.get("text"):
            bad(f"{where}: text {unit.get('text', '')[:20]!r} differs from the slice {text[start:end][:20]!r}")
        if text[start:end] != text[start:end].strip():
            bad(f"{where}: has whitespace at its edges")
        if start < previous_end:
            bad(f"{where}: overlaps the previous unit or is out of order")
        gap = text[previous_end:start]
        if not all(ch.isspace() or unicodedata.category(ch)[0] in "PZ" for ch in gap):
            bad(f"{where}: text before it is not in any unit: {gap[:20]!r}")
        previous_end = end
        if unit.get("kind") not in KINDS:
            bad(f"{where}: unknown kind {unit.get('kind')!r}")
        if unit.get("function") not in FUNCTIONS:
            bad(f"{where}: unknown function {unit.get('function')!r}")
        elif unit.get("kind") in NON_BODY_KINDS and unit["function"] != "other":
            bad(f"{where}: a {unit['kind']} must have function 'other', not {unit['function']!r}")
        goals = unit.get("goals", [])
        if len(goals) > 3 or len(set(goals)) != len(goals):
            bad(f"{where}: at most three distinct goals allowed, got {goals}")
        for goal in goals:
            if goal not in goal_ids:
                bad(f"{where}: unknown goal id {goal!r}")
    if units and not all(ch.isspace() or unicodedata.category(ch)[0] in "PZ" for ch in text[previous_end:]):
        bad(f"text after the last unit is not in any unit: {text[previous_end:][:20]!r}")

    previous_end = -1
    for i, entity in enumerate(sorted(record.get("entities", []), key=lambda e: (e.get("start", 0), e.get("end", 0)))):
        where = f"entity {entity.get('text', '')!r} at {entity.get('start')}"
        start, end = entity.get("start", -1), entity.get("end", -1)
        if not (0 <= start < end <= len(text)) or text[start:end] != entity.get("text"):
            bad(f"{where}: text differs from the slice {text[start:end]!r}" if 0 <= start < end else f"{where}: bad offsets")
            continue
        if entity.get("label") not in ENTITY_LABELS:
            bad(f"{where}: unknown label {entity.get('label')!r}")
        if start < previous_end:
            bad(f"{where}: overlaps another entity")
        previous_end = max(previous_end, end)
        unit_index = entity.get("unit")
        if not (isinstance(unit_index, int) and 0 <= unit_index < len(units)):
            bad(f"{where}: unit {unit_index!r} does not exist")
        elif not (units[unit_index]["start"] <= start and end <= units[unit_index]["end"]):
            bad(f"{where}: not inside its unit {unit_index}")
    for indicator in record.get("indicators", []):
        start, end = indicator.get("start", -1), indicator.get("end", -1)
        if text[start:end] != indicator.get("text"):
            bad(f"indicator {indicator.get('text')!r}: text differs from the slice")
        if not isinstance(indicator.get("value"), (int, float)):
            bad(f"indicator {indicator.get('text')!r}: value is not a number")
    return problems


# ---------------------------------------------------------------------------------------------
# datasets


def features():
    """Typed ``datasets`` features of a document record."""
    from datasets import Features, Sequence, Value

    return Features(
        {
            "doc_id": Value("string"),
            "text": Value("string"),
            "meta": {name: Value("int32") if name == "year" else Value("string") for name in META_FIELDS},
            "units": [
                {
                    "id": Value("int32"),
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "text": Value("string"),
                    "kind": Value("string"),
                    "function": Value("string"),
                    "goals": Sequence(Value("string")),
                    "heading_path": Sequence(Value("string")),
                }
            ],
            "entities": [
                {
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "text": Value("string"),
                    "label": Value("string"),
                    "unit": Value("int32"),
                }
            ],
            "indicators": [
                {
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "text": Value("string"),
                    "measure": Value("string"),
                    "value": Value("float64"),
                    "unit_of_measure": Value("string"),
                    "unit": Value("int32"),
                }
            ],
        }
    )


def load(data_dir: str | Path | None = None):
    """The corpus as a ``datasets.DatasetDict`` with splits train / dev / test and typed features."""
    from datasets import load_dataset

    return load_dataset("json", data_files=data_files(Path(data_dir) if data_dir else None), features=features())


SENTENCES_DIR = CORPUS_DIR / "sentences"
GOAL_UNITS_DIR = CORPUS_DIR / "goal_units"  # units labelled alone with their goals (the linker's extra training data)


def read_labelled_sentences(path: Path) -> list[tuple[str, str]]:
    """``(label, sentence)`` rows of a tab-separated file; ``#`` comments and a ``label<TAB>sentence`` header are
    skipped. Raises ValueError naming the first bad line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line == "label\tsentence":
            continue
        fields = line.split("\t")
        if len(fields) != 2 or fields[0] not in FUNCTIONS or not fields[1].strip():
            raise ValueError(f"{path}:{number}: expected a label ({', '.join(FUNCTIONS)}), a tab and a sentence")
        rows.append((fields[0], fields[1]))
    return rows


def read_goal_units(path: Path, goal_ids: set[str]) -> list[tuple[str, list[str]]]:
    """``(text, goals)`` of a JSONL file of units given alone with their gold goals (``{"text": …, "goals": [primary,
    secondary…]}``, ``[]`` for none). Raises ValueError naming the first bad line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        goals = row.get("goals") if isinstance(row, dict) else None
        if (not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip()
                or not isinstance(goals, list) or len(goals) > 3 or not set(goals) <= goal_ids):
            raise ValueError(f"{path}:{number}: expected {{\"text\": …, \"goals\": [up to three goal ids]}}")
        rows.append((row["text"], goals))
    return rows


def validate_goal_unit_files(paths: list[Path], goal_ids: set[str]) -> list[str]:
    """Problems of the files of units labelled alone with their goals: bad lines, a unit twice."""
    problems, seen = [], set()
    for path in paths:
        try:
            rows = read_goal_units(path, goal_ids)
        except ValueError as err:
            problems.append(str(err))
            continue
        for text, _ in rows:
            if text in seen:
                problems.append(f"{path.name}: {text[:20]!r} twice")
            seen.add(text)
    return problems


def validate_sentence_files(paths: list[Path]) -> list[str]:
    """Problems of the files of sentences labelled alone: bad lines, a sentence twice, a sentence in two files
    (training sentences must not be the ones that measure)."""
    problems, owner = [], {}
    for path in paths:
        try:
            rows = read_labelled_sentences(path)
        except ValueError as err:
            problems.append(str(err))
            continue
        for _, sentence in rows:
            if sentence in owner:
                where = "twice" if owner[sentence] == path.name else f"also in {owner[sentence]}"
                problems.append(f"{path.name}: {sentence[:20]!r} {where}")
            owner.setdefault(sentence, path.name)
    return problems
