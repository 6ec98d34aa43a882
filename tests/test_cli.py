"""The command line through Typer's test runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEED_PATH

runner = CliRunner()


def test_cli_analyze_json_follows_contract(seed_text):
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["schema_version"] == "1"
    assert record["doc_id"] == SEED_PATH.name and record["source"] == str(SEED_PATH)
    assert record["title"] == "关于2024年岳麓区法治政府建设工作情况的报告"
    assert record["text_length"] == len(seed_text)
    assert [u["id"] for u in record["units"]] == list(range(len(record["units"])))
    for unit in record["units"]:
        assert unit["text"] == seed_text[unit["start"] : unit["end"]]
        assert unit["is_heading"] == (unit["kind"] in ("title", "heading"))
        assert unit["kind"] in {"title", "heading", "body", "signature", "date", "furniture"}


def test_cli_analyze_hard_wrapped_copy_gives_the_same_analysis(seed_text, tmp_path):
    """Text copied out of a PDF (wrapped lines, indents, form feeds) is analysed as the report itself."""
    from tests.test_structure import hard_wrap

    wrapped = hard_wrap(seed_text, 60, indent=True, form_feeds=35)
    path = tmp_path / "wrapped.txt"
    path.write_text(wrapped, encoding="utf-8")
    records = []
    for source, text in ((SEED_PATH, seed_text), (path, wrapped)):
        result = runner.invoke(app, ["analyze", str(source), "--format", "json"])
        assert result.exit_code == 0, result.output
        records.append(json.loads(result.stdout))
        assert all(unit["text"] == text[unit["start"] : unit["end"]] for unit in records[-1]["units"])

    def flat(text):
        return text.replace("\n", "").replace("\f", "")

    original, copy = records
    assert sum("\n" in unit["text"] for unit in copy["units"]) > 30
    for key in ("text", "kind", "heading_path", "function", "goals"):
        assert [flat(u[key]) if key == "text" else u[key] for u in copy["units"]] == [u[key] for u in original["units"]]
    assert [(flat(e["text"]), e["label"]) for e in copy["entities"]] == [(e["text"], e["label"]) for e in original["entities"]]
    assert [(i["measure"], i["value"]) for i in copy["indicators"]] == [(i["measure"], i["value"]) for i in original["indicators"]]


def test_cli_analyze_stdin_gb18030(seed_text):
    result = runner.invoke(app, ["analyze", "-"], input=seed_text.encode("gb18030"))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["source"] == "-" and record["text_length"] == len(seed_text)


def test_cli_analyze_table_shows_units():
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "heading" in result.stdout and "全年新收行政复议案件" in result.stdout


def test_cli_analyze_html_is_self_contained(tmp_path):
    out = tmp_path / "seed.html"
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'class="unit k-heading' in page and 'id="u87"' in page
    assert "http://" not in page and "https://" not in page and "<script src" not in page


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02" * 100, "binary"),
        ("broken.pdf", b"%PDF-1.4 broken", "PDF"),
    ],
)
def test_cli_analyze_bad_input_exits_2_with_one_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_cli_analyze_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_cli_analyze_missing_model_exits_2(tmp_path):
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--model", str(tmp_path / "no-model")])
    assert result.exit_code == 2 and "no saved pipeline" in result.stderr


def test_cli_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "analyze" in result.stdout
