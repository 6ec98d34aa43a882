"""The annotated corpus: validation, loading with datasets, the corpus commands."""

import json

import pytest
from typer.testing import CliRunner

from pipeline import corpus
from pipeline.cli import app
from pipeline.taxonomy import load_taxonomy

runner = CliRunner()


@pytest.fixture(scope="module")
def records():
    return [r for split in corpus.SPLITS for r in corpus.read_split(split)]


def test_corpus_validate_command_passes():
    result = runner.invoke(app, ["corpus", "validate"])
    assert result.exit_code == 0, result.output
    assert "22 documents" in result.stdout and "2 files of sentences labelled alone" in result.stdout
    assert "1 file(s) of units labelled alone with goals" in result.stdout


@pytest.mark.parametrize("train_lines, dev_lines, message", [
    (["plan\t明年将继续推进。", "plan\t明年将继续推进。"], ["other\t特此报告。"], "train.tsv: '明年将继续推进。' twice"),
    (["other\t特此报告。"], ["other\t特此报告。"], "train.tsv: '特此报告。' also in dev.tsv"),
    (["future\t明年将继续推进。"], ["other\t特此报告。"], "train.tsv:1: expected a label"),
])
def test_corpus_validate_sentence_files_reports_problems(tmp_path, train_lines, dev_lines, message):
    for name, lines in (("dev.tsv", dev_lines), ("train.tsv", train_lines)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = corpus.validate_sentence_files([tmp_path / "dev.tsv", tmp_path / "train.tsv"])
    assert len(problems) == 1 and message in problems[0]


@pytest.mark.parametrize("lines, message", [
    (['{"text": "全年办理行政复议案件120件。", "goals": ["G07.3"]}'] * 2, "units.jsonl: '全年办理行政复议案件120件。' twice"),
    (['{"text": "全年办理行政复议案件120件。", "goals": ["G99.1"]}'], "units.jsonl:1: expected"),
])
def test_corpus_validate_goal_unit_files_reports_problems(tmp_path, lines, message):
    from pipeline.taxonomy import load_taxonomy

    (tmp_path / "units.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = corpus.validate_goal_unit_files([tmp_path / "units.jsonl"], {g.id for g in load_taxonomy().leaves})
    assert len(problems) == 1 and message in problems[0]


def test_corpus_meets_size_and_coverage_requirements(records):
    units = [u for r in records for u in r["units"]]
    functions = [u["function"] for u in units]
    goals = [g for u in units for g in u["goals"]]
    assert len(records) >= 21 and len(units) >= 2000
    assert sum(len(r["entities"]) for r in records) >= 1500
    assert functions.count("shortcoming") >= 250 and functions.count("plan") >= 400
    for goal in load_taxonomy().leaves:
        assert goals.count(goal.id) >= 5, goal.id


def test_corpus_splits_are_disjoint_and_test_has_five_documents():
    ids = {split: {r["doc_id"] for r in corpus.read_split(split)} for split in corpus.SPLITS}
    assert len(ids["test"]) >= 5
    assert not (ids["train"] & ids["dev"]) and not (ids["train"] & ids["test"]) and not (ids["dev"] & ids["test"])


def test_corpus_built_data_matches_sources(tmp_path):
    corpus.build(out_dir=tmp_path)
    for split in corpus.SPLITS:
        assert (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8") == (
            corpus.DATA_DIR / f"{split}.jsonl").read_text(encoding="utf-8"), "run `zhpolicy corpus build`"


def test_corpus_loads_with_datasets_json():
    from datasets import load_dataset

    ds = load_dataset("json", data_files=corpus.data_files())
    assert set(ds) == {"train", "dev", "test"}
    row = ds["test"][0]
    assert row["text"][row["units"][0]["start"] : row["units"][0]["end"]] == row["units"][0]["text"]


def test_corpus_load_returns_typed_dataset_dict():
    ds = corpus.load()
    assert set(ds) == {"train", "dev", "test"}
    assert ds["train"].features["units"].feature["start"].dtype == "int32"
    assert ds["train"].features["indicators"].feature["value"].dtype == "float64"
    assert ds["test"][0]["meta"]["year"] > 2000


def test_corpus_loads_from_its_dataset_card():
    from datasets import load_dataset

    ds = load_dataset(str(corpus.CORPUS_DIR))
    assert sum(len(split) for split in ds.values()) == 22


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda r: r["units"][3].update(end=r["units"][3]["end"] + 1), "differs from the slice"),
        (lambda r: r["units"][3].update(function="progress"), "unknown function"),
        (lambda r: r["units"][3].update(goals=["G99.9"]), "unknown goal id"),
        (lambda r: r["entities"].append({**r["entities"][0], "label": "PERSON"}), "unknown label"),
        (lambda r: r["entities"][0].update(unit=len(r["units"]) - 1), "not inside its unit"),
        (lambda r: r["entities"].append(dict(r["entities"][0])), "overlaps another entity"),
        (lambda r: r["units"].pop(5), "not in any unit"),
    ],
)
def test_corpus_validate_reports_each_problem(tmp_path, damage, message):
    record = json.loads((corpus.DATA_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()[0])
    damage(record)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "validate", str(path)])
    assert result.exit_code == 1
    assert message in result.stderr


def test_corpus_stats_json():
    result = runner.invoke(app, ["corpus", "stats", "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["overall"]["documents"] == 22 and stats["overall"]["goals_below_minimum"] == []


@pytest.mark.parametrize("fmt, suffix", [("jsonl", ".jsonl"), ("conll", ".conll"), ("spacy", ".spacy")])
def test_corpus_export_formats(tmp_path, fmt, suffix):
    result = runner.invoke(app, ["corpus", "export", "--to", fmt, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for split in corpus.SPLITS:
        assert (tmp_path / f"{split}{suffix}").stat().st_size > 0
    if fmt == "conll":
        lines = (tmp_path / "test.conll").read_text(encoding="utf-8").splitlines()
        assert any(line.endswith("\tB-INSTITUTION") for line in lines)
    if fmt == "spacy":
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(tmp_path / "dev.spacy").get_docs(spacy.blank("zh").vocab))
        gold = corpus.read_split("dev")
        assert [len(d.ents) for d in docs] == [len(r["entities"]) for r in gold]


def test_corpus_silver_command(tmp_path):
    out = tmp_path / "silver.jsonl"
    source = corpus.SRC_DIR / "yuelu-2024-rule-of-law-report.txt"
    result = runner.invoke(app, ["corpus", "silver", str(source), str(tmp_path / "missing.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "missing.txt" in result.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    functions = {u["text"][:8]: u["function"] for u in record["units"]}
    assert functions["一是部分单位没有"] == "shortcoming"
    assert functions["进一步推动严格规"] == "plan"
    assert functions["全年新收行政复议"] == "achievement"
