"""The function classifier: single sentences, document context, config assembly, save/load, skops safety."""

from pathlib import Path

import pytest
import spacy

from pipeline.functions import LABELS
from pipeline.nlp import assemble
from pipeline.persist import UntrustedModelError, load_model, save_model

SENTENCES = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "data" / "function_sentences.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
# The shipped model's known errors on the list (chosen on dev, not on this list; see the README). Strict:
# a model that gets one right makes its test fail until the entry is removed.
KNOWN_ERRORS = {
    "新设立镇级公共法律服务工作站6个，实现服务网络全覆盖。": "predicted plan: without a tense marker, the plan "
    "sections of the national reports in the silver data state targets the same way (新建…N个，实现…全覆盖)",
}


@pytest.mark.parametrize(
    "label, sentence",
    [pytest.param(*row, marks=pytest.mark.xfail(strict=True, reason=KNOWN_ERRORS[row[1]])) if row[1] in KNOWN_ERRORS
     else row for row in SENTENCES],
    ids=[s[:12] for _, s in SENTENCES],
)
def test_functions_single_sentence(nlp, label, sentence):
    scores = nlp.get_pipe("functions").classify([sentence])[0]
    assert set(scores) == set(LABELS) and abs(sum(scores.values()) - 1) < 1e-4
    assert max(scores, key=scores.get) == label


def test_functions_on_the_probe_sentences_written_apart(nlp):
    """120 sentences written and labelled by another annotator, never used for any choice
    (tests/data/function_probe.tsv): single-sentence accuracy and macro-F1 measured 0.908 / 0.908."""
    from pipeline.training.functions import classification_report

    rows = [line.split("\t") for line in (Path(__file__).parent / "data" / "function_probe.tsv")
            .read_text(encoding="utf-8").splitlines()[1:]]
    scores = nlp.get_pipe("functions").classify([sentence for _, sentence in rows])
    report = classification_report([label for label, _ in rows], [max(s, key=s.get) for s in scores])
    assert len(rows) == 120
    assert report["accuracy"] >= 0.88 and report["macro_f1"] >= 0.88


def test_functions_hand_written_list_covers_every_label():
    assert len(SENTENCES) >= 30 and {label for label, _ in SENTENCES} == set(LABELS)


def test_functions_in_document_context(nlp, seed_text):
    doc = nlp(seed_text)
    by_text = {s.text: s._.function for s in doc.spans["units"]}
    assert by_text["全年新收行政复议案件1083件,办结921件,调解后撤回复议申请287件。"] == "achievement"
    assert by_text["进一步推动严格规范公正文明执法,全面贯彻落实行政执法“三项制度”;"] == "plan"
    assert by_text["一、坚持党的领导,法治政府建设取得新成效"] == "other"
    assert by_text["三是全面贯彻落实“谁执法谁普法”责任制和普法责任清单有差距,工作推进不平衡,未形成有效合力。"] == "shortcoming"


def test_functions_assembled_from_config_needs_a_model():
    nlp = assemble()
    assert nlp.get_pipe_meta("functions").factory == "policy_functions"
    with pytest.raises(ValueError, match="train function"):
        nlp("全年办结案件12件。")


def test_functions_save_load_round_trip(nlp, tmp_path, seed_text):
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    doc, loaded_doc = nlp(seed_text), loaded(seed_text)
    before = [s._.function_scores for s in doc.spans["units"]]
    after = [s._.function_scores for s in loaded_doc.spans["units"]]
    assert before == after


def test_skops_refuses_types_outside_the_trusted_list(nlp, tmp_path):
    path = tmp_path / "model.skops"
    save_model(nlp.get_pipe("functions").model, path)
    with pytest.raises(UntrustedModelError, match="UnitFeaturizer"):
        load_model(path, trusted=["sklearn.pipeline.Pipeline"])
