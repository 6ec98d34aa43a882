"""The optional HanLP backend on HanLP's real code: tiny models trained here, loaded the way users load them.

Tests that need HanLP skip without the extra (CI installs it); the install-hint test runs everywhere.
"""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from pipeline import hanlp_backend
from pipeline.cli import app
from pipeline.corpus import ENTITY_LABELS, SPLITS_FILE, build_record, source_pairs
from pipeline.nlp import CONFIGS_DIR, MODELS_DIR, assemble, load
from pipeline.tokenizer import read_user_dictionary
from tests.conftest import SEED_PATH

runner = CliRunner()
TEXTS = [
    "区法院驻街镇诉源治理工作站22个，依法治区办组织编印学习读本。",
    "关于2024年的报告\r\n\r\n  一、成效\u3000\u3000全年办结12件。",
    "  ",
    "a b  c",
]


@pytest.fixture(scope="module")
def hanlp():
    return pytest.importorskip("hanlp")


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict]]:
    """Three train documents and one dev document, built from the sources (the built corpus is not versioned)."""
    splits = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))
    wanted = {"train": 3, "dev": 1}
    chosen: dict[str, list[dict]] = {name: [] for name in wanted}
    for txt, ann in source_pairs():
        split = splits.get(ann.name[: -len(".ann.jsonl")])
        if split in wanted and len(chosen[split]) < wanted[split]:
            chosen[split].append(build_record(txt, ann))
    return chosen


@pytest.fixture(scope="module")
def user_words():
    return read_user_dictionary(CONFIGS_DIR / "policy_dict.txt")


@pytest.fixture(scope="module")
def tokenizer_dir(hanlp, records, user_words, tmp_path_factory):
    out = tmp_path_factory.mktemp("hanlp-tok") / "model"
    sentences = hanlp_backend.silver_sentences(records["train"], user_words)
    rows = hanlp_backend.train_hanlp_tokenizer(out, sentences, epochs=3, seed=0, embed=32, hidden=32, log=lambda _: None)
    assert [row["epoch"] for row in rows] == [1, 2, 3] and all(0 <= row["dev_acc"] <= 1 for row in rows)
    return out


@pytest.fixture(scope="module")
def ner_dir(hanlp, records, tmp_path_factory):
    out = tmp_path_factory.mktemp("hanlp-ner") / "model"
    model, rows = hanlp_backend.train_hanlp_ner(records["train"], records["dev"], out, epochs=3, seed=0, embed=32,
                                                hidden=32, log=lambda _: None)
    assert isinstance(model, hanlp_backend.HanlpEntityModel) and len(rows) == 3
    return out


def _hanlp_pipeline(model_dir):
    return assemble(overrides={"nlp.tokenizer.segmenter": "hanlp", "nlp.tokenizer.hanlp_model": str(model_dir)})


# -- segmenter ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_hanlp_segmenter_keeps_text_and_forces_dictionary_terms(tokenizer_dir):
    nlp = _hanlp_pipeline(tokenizer_dir)
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert doc.text == text and "".join(t.text for t in doc) == text
    words = [t.text for t in nlp.make_doc(TEXTS[0])]
    assert "诉源治理" in words and "依法治区办" in words
    assert any(len(w) > 1 for w in words if w not in ("诉源治理", "依法治区办"))  # the model joins characters too


@pytest.mark.slow
def test_hanlp_segmenter_pipeline_round_trip(tokenizer_dir, tmp_path):
    nlp = _hanlp_pipeline(tokenizer_dir)
    nlp.to_disk(tmp_path / "pipe")
    loaded = load(tmp_path / "pipe")
    assert loaded.tokenizer.segmenter == "hanlp" and loaded.tokenizer.hanlp_model == str(tokenizer_dir)
    for text in TEXTS:
        assert [t.text for t in loaded.make_doc(text)] == [t.text for t in nlp.make_doc(text)]


@pytest.mark.slow
def test_hanlp_segmenter_model_from_environment(tokenizer_dir, monkeypatch, user_words):
    monkeypatch.setenv(hanlp_backend.MODEL_ENV, str(tokenizer_dir))
    segment = hanlp_backend.load_hanlp_segmenter(None, user_words)
    assert "".join(segment(TEXTS[1])) == TEXTS[1]


def test_hanlp_segmenter_without_model_says_how_to_get_one(hanlp, monkeypatch, tmp_path):
    monkeypatch.delenv(hanlp_backend.MODEL_ENV, raising=False)
    with pytest.raises(hanlp_backend.HanlpModelError, match="no HanLP tokenizer model is set") as err:
        hanlp_backend.load_hanlp_segmenter(None, [])
    assert "hanlp_model" in str(err.value) and hanlp_backend.MODEL_ENV in str(err.value)
    with pytest.raises(hanlp_backend.HanlpModelError, match="no HanLP model directory"):
        hanlp_backend.load_hanlp_segmenter(str(tmp_path / "missing"), [])
    with pytest.raises(hanlp_backend.HanlpModelError, match="train entities --backend hanlp"):
        hanlp_backend.HanlpEntityModel.load(tmp_path)


def test_cli_hanlp_segmenter_without_model_is_one_line(hanlp, monkeypatch):
    monkeypatch.delenv(hanlp_backend.MODEL_ENV, raising=False)
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--segmenter", "hanlp"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "hanlp_model" in result.stderr and "Traceback" not in result.output


def test_cli_hanlp_segmenter_without_extra_prints_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "hanlp", None)  # what `import hanlp` does without the extra: ImportError
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--segmenter", "hanlp"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {hanlp_backend.INSTALL_HINT}\n"


@pytest.mark.parametrize(
    "args",
    [["train", "entities", "--backend", "hanlp", "--out", "{tmp}/pipe"],
     ["evaluate", "entities", "--backend", "hanlp", "--model", str(MODELS_DIR / "zhpolicy-hanlp")]],
)
def test_cli_hanlp_entities_without_extra_prints_install_hint(monkeypatch, tmp_path, args):
    if "evaluate" in args and not (MODELS_DIR / "zhpolicy-hanlp").is_dir():
        pytest.skip("no shipped HanLP pipeline")
    monkeypatch.setitem(sys.modules, "hanlp", None)
    result = runner.invoke(app, [arg.format(tmp=tmp_path) for arg in args])
    assert result.exit_code == 2
    assert result.stderr == f"error: {hanlp_backend.INSTALL_HINT}\n"


# -- entities -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_hanlp_entity_model_spans_are_valid(ner_dir, records):
    model = hanlp_backend.HanlpEntityModel.load(ner_dir)
    texts = [unit["text"] for unit in records["train"][0]["units"]] + ["", " \u3000"]
    spans = model.spans(texts)
    assert len(spans) == len(texts) and spans[-2:] == [[], []]
    for text, found in zip(texts, spans):
        assert all(0 <= s < e <= len(text) and label in ENTITY_LABELS for s, e, label in found)


@pytest.mark.slow
def test_hanlp_entities_through_spacy_load(ner_dir, tmp_path):
    nlp = assemble()
    component = nlp.get_pipe("entities")
    component.set_model(hanlp_backend.HanlpEntityModel.load(ner_dir), backend="hanlp")
    component.mode = "union"
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "entities" / "model" / "config.json").is_file()
    loaded = load(tmp_path / "pipe")  # spacy.load: the component loads the model with HanlpEntityModel.load
    entities = loaded.get_pipe("entities")
    assert entities.backend == "hanlp" and isinstance(entities.model, hanlp_backend.HanlpEntityModel)
    text = SEED_PATH.read_text(encoding="utf-8")
    with loaded.select_pipes(enable=["structure", "entities"]):
        doc = loaded(text)
    assert doc.text == text and doc.ents
    for ent in doc.ents:
        assert ent.label_ in ENTITY_LABELS and text[ent.start_char:ent.end_char] == ent.text
    component.mode = "model"
    with nlp.select_pipes(enable=["structure", "entities"]):
        model_only = nlp(text)
    assert all(ent.label_ in ENTITY_LABELS for ent in model_only.ents)


@pytest.mark.skipif(not (MODELS_DIR / "zhpolicy-hanlp").is_dir(), reason="no shipped HanLP pipeline")
def test_shipped_hanlp_pipeline_finds_entities(hanlp):
    result = runner.invoke(app, ["analyze", str(SEED_PATH), "--model", str(MODELS_DIR / "zhpolicy-hanlp")])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["entities"] and all(e["label"] in ENTITY_LABELS for e in record["entities"])


def test_cli_evaluate_refuses_a_pipeline_of_the_other_backend(tmp_path):
    nlp = assemble()
    nlp.to_disk(tmp_path / "pipe")
    result = runner.invoke(app, ["evaluate", "entities", "--backend", "hanlp", "--model", str(tmp_path / "pipe")])
    assert result.exit_code == 2 and "entity layer is spacy" in result.stderr
