"""Analysis tables built by streaming over ``documents.jsonl``: Parquet for units and entities, CSV counts.

Columns are buffered a few thousand rows at a time and written as Parquet row groups, so memory stays flat
however many documents there are. The schemas are fixed: columns of pipeline stages a record does
not have are null (or empty lists), so tables from different pipeline versions load the same way.
Units and entities join on ``(doc_id, unit)``.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterator

FUNCTIONS = ("achievement", "shortcoming", "plan", "other")
ROWS_PER_GROUP = 5000


def _schemas():
    import pyarrow as pa

    units = pa.schema(
        [
            ("doc_id", pa.string()),
            ("unit", pa.int32()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("kind", pa.string()),
            ("is_heading", pa.bool_()),
            ("text", pa.string()),
            ("heading_path", pa.list_(pa.string())),
            ("function", pa.string()),
            *[(f"score_{label}", pa.float64()) for label in FUNCTIONS],
            ("goals", pa.list_(pa.string())),
            ("goal_scores", pa.list_(pa.float64())),
            ("entity_labels", pa.list_(pa.string())),
            ("entity_texts", pa.list_(pa.string())),
        ]
    )
    entities = pa.schema(
        [
            ("doc_id", pa.string()),
            ("unit", pa.int32()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("label", pa.string()),
        ]
    )
    return units, entities


def iter_records(path: Path) -> Iterator[dict]:
    """The document objects of a ``documents.jsonl``, one at a time."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@lru_cache(maxsize=4096)
def goal_key(goal_id: str) -> tuple:
    """Natural order of goal ids: G2 < G10, G05 < G05.1 < G05.2 < G06."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", goal_id))


def parent_goal(goal_id: str) -> str:
    """The level-1 goal of a goal id: the part before the dot."""
    return goal_id.split(".", 1)[0]


def unit_columns(record: dict) -> dict[str, list]:
    """The ``units.parquet`` columns of a document object: one value per unit."""
    by_unit: dict[int, list[dict]] = {}
    for entity in record.get("entities") or ():
        by_unit.setdefault(entity.get("unit"), []).append(entity)
    units = record.get("units") or []
    scores = [unit.get("function_scores") or {} for unit in units]
    goals = [unit.get("goals") or [] for unit in units]
    entities = [by_unit.get(unit["id"], []) for unit in units]
    return {
        "doc_id": [record["doc_id"]] * len(units),
        "unit": [unit["id"] for unit in units],
        "start": [unit["start"] for unit in units],
        "end": [unit["end"] for unit in units],
        "kind": [unit.get("kind") for unit in units],
        "is_heading": [unit.get("is_heading") for unit in units],
        "text": [unit["text"] for unit in units],
        "heading_path": [list(unit.get("heading_path") or ()) for unit in units],
        "function": [unit.get("function") for unit in units],
        **{f"score_{label}": [row.get(label) for row in scores] for label in FUNCTIONS},
        "goals": [[goal["id"] for goal in row] for row in goals],
        "goal_scores": [[goal.get("score") for goal in row] for row in goals],
        "entity_labels": [[entity["label"] for entity in row] for row in entities],
        "entity_texts": [[entity["text"] for entity in row] for row in entities],
    }


def entity_columns(record: dict) -> dict[str, list]:
    """The ``entities.parquet`` columns of a document object: one value per entity."""
    entities = record.get("entities") or []
    return {
        "doc_id": [record["doc_id"]] * len(entities),
        "unit": [entity.get("unit") for entity in entities],
        "start": [entity["start"] for entity in entities],
        "end": [entity["end"] for entity in entities],
        "text": [entity["text"] for entity in entities],
        "label": [entity["label"] for entity in entities],
    }


def goal_function_counts(record: dict) -> Counter:
    """Units per (goal, function) of one document; a unit counts once for each level-2 goal it links
    to and once for each of their level-1 parents. Function is ``""`` when the pipeline has none."""
    counts: Counter = Counter()
    for unit in record.get("units") or ():
        ids = {goal["id"] for goal in unit.get("goals") or ()}
        for goal in ids | {parent_goal(goal) for goal in ids}:
            counts[goal, unit.get("function") or ""] += 1
    return counts


def summary_rows(record: dict) -> Iterator[tuple[str, str, str, int]]:
    """``summary.csv`` rows of one document: goals in natural order, functions in contract order."""
    order = {name: i for i, name in enumerate(FUNCTIONS)}
    counts = goal_function_counts(record)
    for goal, function in sorted(counts, key=lambda key: (goal_key(key[0]), order.get(key[1], len(order)), key[1])):
        yield record["doc_id"], goal, function, counts[goal, function]


class _ParquetStream:
    """Columns in, Parquet row groups out; written to a temporary file that replaces the target at the end."""

    def __init__(self, path: Path, schema) -> None:
        import pyarrow.parquet as pq

        self.path, self.schema = path, schema
        self.tmp = path.with_name(path.name + ".tmp")
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.columns: dict[str, list] = {name: [] for name in schema.names}
        self.buffered = 0
        self.count = 0

    def add(self, columns: dict[str, list]) -> None:
        for name, values in columns.items():
            self.columns[name].extend(values)
        self.buffered += len(columns["doc_id"])
        while self.buffered >= ROWS_PER_GROUP:
            self._write(ROWS_PER_GROUP)

    def _write(self, rows: int) -> None:
        """Write the first ``rows`` buffered rows as one row group."""
        import pyarrow as pa

        group = {name: values[:rows] for name, values in self.columns.items()}
        self.writer.write_table(pa.Table.from_pydict(group, schema=self.schema))
        self.columns = {name: values[rows:] for name, values in self.columns.items()}
        self.buffered -= rows
        self.count += rows

    def close(self) -> None:
        if self.buffered:
            self._write(self.buffered)
        self.writer.close()
        self.tmp.replace(self.path)


def table_rows(record: dict) -> dict:
    """A document object's share of the three tables: columns of units and entities, rows of the summary."""
    return {"units": unit_columns(record), "entities": entity_columns(record), "summary": list(summary_rows(record))}


class TableWriter:
    """The three tables of a batch folder, fed one document object at a time.

    A run feeds documents as they are written to ``documents.jsonl`` (and, when resuming, the ones
    already there first), so the tables are ready when the last document is: building them is no
    serial step after the workers are done. Use it as a context manager: files are written to temporary
    names and replace the old tables only when the block ends without an error.
    """

    def __init__(self, out: Path) -> None:
        unit_schema, entity_schema = _schemas()
        self.units = _ParquetStream(out / "units.parquet", unit_schema)
        self.entities = _ParquetStream(out / "entities.parquet", entity_schema)
        self.summary_path = out / "summary.csv"
        self.summary_tmp = out / "summary.csv.tmp"
        self._handle = self.summary_tmp.open("w", encoding="utf-8", newline="")
        self._summary = csv.writer(self._handle)
        self._summary.writerow(["doc_id", "goal", "function", "count"])
        self.documents = 0

    def add(self, record: dict) -> None:
        self.add_rows(table_rows(record))

    def add_rows(self, rows: dict) -> None:
        """Add a document's rows as :func:`table_rows` gives them."""
        self.documents += 1
        self.units.add(rows["units"])
        self.entities.add(rows["entities"])
        self._summary.writerows(rows["summary"])

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        """Put the finished files in place (``counts`` then holds the row counts); after a failure, drop
        them and leave the previous tables as they were."""
        self._handle.close()
        if exc_type is None:
            self.units.close()
            self.entities.close()
            self.summary_tmp.replace(self.summary_path)
            self.counts = {"documents": self.documents, "units": self.units.count, "entities": self.entities.count}
            return
        for stream in (self.units, self.entities):
            stream.writer.close()
        for path in (self.units.tmp, self.entities.tmp, self.summary_tmp):
            path.unlink(missing_ok=True)


def write_tables(out: Path) -> dict:
    """Write ``units.parquet``, ``entities.parquet`` and ``summary.csv`` from ``out/documents.jsonl``."""
    with TableWriter(out) as tables:
        for record in iter_records(out / "documents.jsonl"):
            tables.add(record)
    return tables.counts


def to_dataset(out: str | Path):
    """The units of a batch folder as a ``datasets.Dataset`` (from ``units.parquet``)."""
    import datasets

    path = Path(out) / "units.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no units table (run `zhpolicy batch` into {out} first)")
    return datasets.load_dataset("parquet", data_files=str(path), split="train")
