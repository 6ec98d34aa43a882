"""Batch tables (Parquet, CSV, ``datasets``) and the report page, on records with and without the later stages.

Records with functions, goals and entities come from the gold annotation of the corpus, put into
the output contract's shape: the shipped pipeline may not have those stages yet.
"""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from pipeline.batch import run_batch, to_dataset
from pipeline.batch import report as report_module
from pipeline.batch import tables as tables_module
from pipeline.batch.report import write_report
from pipeline.batch.tables import write_tables
from pipeline.corpus import build_record, source_pairs

FUNCTIONS = ("achievement", "shortcoming", "plan", "other")


def contract_record(txt: Path, ann: Path) -> dict:
    """A gold document as a batch line: the contract's fields, goals as {id, score}, function scores."""
    gold = build_record(txt, ann)
    units = []
    for unit in gold["units"]:
        function = unit["function"]
        units.append({
            "id": unit["id"], "start": unit["start"], "end": unit["end"], "text": unit["text"],
            "heading_path": unit["heading_path"], "is_heading": unit["kind"] in ("title", "heading"), "kind": unit["kind"],
            "function": function,
            "function_scores": {label: 0.7 if label == function else 0.1 for label in FUNCTIONS},
            "goals": [{"id": goal, "score": round(0.9 - 0.2 * i, 4)} for i, goal in enumerate(unit["goals"])],
        })
    return {"schema_version": "1", "doc_id": gold["doc_id"] + ".txt", "source": str(txt), "title": gold["meta"]["title"],
            "text_length": len(gold["text"]), "units": units, "entities": gold["entities"], "indicators": gold["indicators"]}


def structure_only(record: dict) -> dict:
    """The same record as a pipeline without function, goal and entity stages writes it."""
    bare = {key: value for key, value in record.items() if key not in ("entities", "indicators")}
    bare["units"] = [{k: v for k, v in unit.items() if k not in ("function", "function_scores", "goals")} for unit in record["units"]]
    return bare


def write_batch(folder: Path, records: list[dict], errors: list[dict] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "documents.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    (folder / "errors.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def gold_records() -> list[dict]:
    return [contract_record(txt, ann) for txt, ann in source_pairs()]


@pytest.fixture(scope="module")
def rich_batch(gold_records, tmp_path_factory) -> Path:
    folder = write_batch(tmp_path_factory.mktemp("rich") / "out", gold_records,
                         [{"doc_id": "bad.bin", "source": "in/bad.bin", "error": "in/bad.bin: binary file (contains NUL bytes)"}])
    write_tables(folder)
    write_report(folder)
    return folder


@pytest.fixture(scope="module")
def bare_batch(gold_records, tmp_path_factory) -> Path:
    folder = write_batch(tmp_path_factory.mktemp("bare") / "out", [structure_only(r) for r in gold_records])
    write_tables(folder)
    write_report(folder)
    return folder


# -- tables -------------------------------------------------------------------------------------------


def test_units_table_loads_with_datasets_and_pandas(rich_batch, gold_records):
    import datasets

    total_units = sum(len(r["units"]) for r in gold_records)
    frame = pd.read_parquet(rich_batch / "units.parquet")
    loaded = datasets.load_dataset("parquet", data_files=str(rich_batch / "units.parquet"), split="train")
    assert len(frame) == loaded.num_rows == total_units
    assert list(frame.columns) == [
        "doc_id", "unit", "start", "end", "kind", "is_heading", "text", "heading_path", "function",
        "score_achievement", "score_shortcoming", "score_plan", "score_other", "goals", "goal_scores",
        "entity_labels", "entity_texts",
    ]
    record = gold_records[0]
    rows = frame[frame.doc_id == record["doc_id"]].reset_index(drop=True)
    for unit, row in zip(record["units"], rows.itertuples()):
        assert (row.unit, row.start, row.end, row.text, row.kind) == (unit["id"], unit["start"], unit["end"], unit["text"], unit["kind"])
        assert list(row.heading_path) == unit["heading_path"] and row.function == unit["function"]
        assert getattr(row, f"score_{unit['function']}") == pytest.approx(0.7)
        assert list(row.goals) == [g["id"] for g in unit["goals"]]
        inside = [e for e in record["entities"] if e["unit"] == unit["id"]]
        assert list(row.entity_texts) == [e["text"] for e in inside] and list(row.entity_labels) == [e["label"] for e in inside]


def test_entities_table_joins_units(rich_batch, gold_records):
    entities = pd.read_parquet(rich_batch / "entities.parquet")
    assert len(entities) == sum(len(r["entities"]) for r in gold_records)
    assert list(entities.columns) == ["doc_id", "unit", "start", "end", "text", "label"]
    units = pd.read_parquet(rich_batch / "units.parquet", columns=["doc_id", "unit", "start", "end"])
    joined = entities.merge(units, on=["doc_id", "unit"], suffixes=("", "_unit"))
    assert len(joined) == len(entities)
    assert ((joined.start >= joined.start_unit) & (joined.end <= joined.end_unit)).all()


def test_summary_counts_units_per_goal_and_parent(rich_batch, gold_records):
    summary = pd.read_csv(rich_batch / "summary.csv", keep_default_na=False)
    assert list(summary.columns) == ["doc_id", "goal", "function", "count"]
    record = gold_records[0]
    expected = Counter()
    for unit in record["units"]:
        ids = {g["id"] for g in unit["goals"]}
        for goal in ids | {goal.split(".")[0] for goal in ids}:
            expected[goal, unit["function"]] += 1
    rows = summary[summary.doc_id == record["doc_id"]]
    assert {(r.goal, r.function): r.count for r in rows.itertuples()} == dict(expected)
    parent = rows[(rows.goal == "G05") & (rows.function == "achievement")]["count"].item()
    children = rows[rows.goal.str.startswith("G05.") & (rows.function == "achievement")]["count"].sum()
    assert 0 < parent <= children
    assert set(summary.doc_id) <= {r["doc_id"] for r in gold_records}


def test_to_dataset_returns_the_units(rich_batch):
    dataset = to_dataset(rich_batch)
    assert dataset.num_rows == len(pd.read_parquet(rich_batch / "units.parquet", columns=["unit"]))
    assert {"doc_id", "unit", "text", "function", "goals", "goal_scores"} <= set(dataset.column_names)
    with pytest.raises(FileNotFoundError):
        to_dataset(rich_batch / "nowhere")


def test_tables_without_later_stages_have_nulls_and_empty_lists(bare_batch):
    units = pd.read_parquet(bare_batch / "units.parquet")
    assert units["function"].isna().all() and units["score_plan"].isna().all()
    assert all(len(goals) == 0 for goals in units["goals"]) and all(len(texts) == 0 for texts in units["entity_texts"])
    assert len(pd.read_parquet(bare_batch / "entities.parquet")) == 0
    assert pd.read_csv(bare_batch / "summary.csv").empty
    assert to_dataset(bare_batch).num_rows == len(units)


def test_parquet_is_written_in_row_groups(gold_records, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setattr(tables_module, "ROWS_PER_GROUP", 100)
    folder = write_batch(tmp_path / "out", gold_records[:3])
    counts = write_tables(folder)
    assert counts["units"] == sum(len(r["units"]) for r in gold_records[:3])
    assert pq.ParquetFile(folder / "units.parquet").num_row_groups == -(-counts["units"] // 100)


def test_tables_of_a_real_batch(tmp_path):
    sources = [str(txt) for txt, _ in source_pairs()[:3]]
    run_batch(sources, tmp_path / "out", workers=1)
    units = to_dataset(tmp_path / "out")
    assert set(units["doc_id"]) == {Path(s).name for s in sources}
    assert units.num_rows == sum(len(json.loads(line)["units"]) for line in (tmp_path / "out" / "documents.jsonl").open())


# -- report page --------------------------------------------------------------------------------------


class PageIndex(HTMLParser):
    """Ids, in-page links, external references and section ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids, self.links, self.external, self.sections, self.tags = set(), [], [], [], Counter()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "section":
            self.sections.append(attrs.get("id"))
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is None:
                continue
            if value.startswith("#"):
                self.links.append(value[1:])
            else:
                self.external.append(value)


def index_page(path: Path) -> tuple[str, PageIndex]:
    page = path.read_text(encoding="utf-8")
    index = PageIndex()
    index.feed(page)
    return page, index


def assert_self_contained(page: str, index: PageIndex) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert not index.external, index.external[:5]
    assert index.tags["script"] == 0 and index.tags["link"] == 0 and index.tags["img"] == 0 and index.tags["iframe"] == 0
    unresolved = [link for link in index.links if link not in index.ids]
    assert not unresolved, unresolved[:5]


def test_report_has_charts_and_evidence_links(rich_batch, gold_records):
    page, index = index_page(rich_batch / "report.html")
    assert_self_contained(page, index)
    assert index.sections == ["overview", "functions", "goals", "entities", "structure", "documents", "errors"]
    assert 'class="missing"' not in page.split('id="documents"')[0]  # every chart is drawn
    for view in ("all", "achievement", "shortcoming", "plan"):
        assert f'class="heatmap hm-{view}"' in page
    evidence = [link for link in index.links if link.startswith("d") and "-u" in link]
    assert len(evidence) > 100  # heatmap cells and entity names point at units
    assert f"doc-{len(gold_records) - 1}" in index.ids
    institution = Counter(e["text"] for r in gold_records for e in r["entities"] if e["label"] == "INSTITUTION").most_common(1)[0][0]
    assert institution in page.split('id="entities"')[1].split("</section>")[0]
    assert "bad.bin" in page.split('id="errors"')[1]


def test_report_without_later_stages_says_what_is_missing(bare_batch):
    page, index = index_page(bare_batch / "report.html")
    assert_self_contained(page, index)
    assert index.sections == ["overview", "functions", "goals", "entities", "structure", "documents", "errors"]
    assert "no function stage" in page and "no goal linker" in page and "no entity recognizer" in page
    assert "heatmap" not in page.split('id="goals"')[1].split("</section>")[0]
    assert "Every input was read" in page


def test_report_caps_the_documents_it_draws(gold_records, tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "MAX_DOCUMENTS", 3)
    folder = write_batch(tmp_path / "out", gold_records)
    write_report(folder)
    page, index = index_page(folder / "report.html")
    assert_self_contained(page, index)
    assert f"first 3 of {len(gold_records)}" in page
    assert {"doc-0", "doc-2"} <= index.ids and "doc-3" not in index.ids


def test_report_of_a_real_batch(tmp_path):
    sources = [str(txt) for txt, _ in source_pairs()[:2]]
    run_batch(sources, tmp_path / "out", workers=1)
    page, index = index_page(tmp_path / "out" / "report.html")
    assert_self_contained(page, index)
    assert {"doc-0", "doc-1"} <= index.ids
