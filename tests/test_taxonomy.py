"""The goal taxonomy file: the contract ids, validation errors, the CLI."""

import re

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.taxonomy import TaxonomyError, load_taxonomy
from tests.conftest import SHARED

runner = CliRunner()


@pytest.mark.skipif(not (SHARED / "spec" / "taxonomy.md").exists(), reason="../shared not present")
def test_taxonomy_ids_and_names_follow_the_contract():
    rows = re.findall(r"^\| (G\d\d(?:\.\d)?) \| ([^|]+?) \|", (SHARED / "spec" / "taxonomy.md").read_text(), re.M)
    taxonomy = load_taxonomy()
    assert [(g.id, g.name) for g in taxonomy.goals.values()] == [(i, n.strip()) for i, n in rows]


def test_taxonomy_shape():
    taxonomy = load_taxonomy()
    assert len(taxonomy.roots) == 11 and len(taxonomy.leaves) == 36
    assert all(g.keywords and g.description for g in taxonomy.leaves)
    assert taxonomy.root_of("G07.3") == "G07"


def write(tmp_path, goals):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "goals": goals}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "goals, message",
    [
        ([{"id": "A", "name": "甲"}, {"id": "A", "name": "乙"}, {"id": "A.1", "parent": "A", "name": "丙"}], "duplicate id"),
        ([{"id": "A", "name": "甲"}, {"id": "A.1", "parent": "B", "name": "丙"}], "parent 'B' does not exist"),
        ([{"id": "A", "name": "甲"}, {"id": "A.1", "parent": "A"}], "missing name"),
        ([{"id": "A", "name": "甲"}], "no level-2 goals"),
    ],
)
def test_taxonomy_validate_rejects_bad_files(tmp_path, goals, message):
    path = write(tmp_path, goals)
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(path)
    result = runner.invoke(app, ["taxonomy", "validate", str(path)])
    assert result.exit_code == 1 and message in result.stderr


def test_taxonomy_cli_show_and_validate():
    result = runner.invoke(app, ["taxonomy", "show"])
    assert result.exit_code == 0 and "G07.3" in result.stdout
    assert runner.invoke(app, ["taxonomy", "validate"]).exit_code == 0
