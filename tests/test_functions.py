"""The function classifier: single sentences, document context, config assembly, save/load, skops safety."""

from pathlib import Path

import pytest
import spacy

from pipeline.functions import LABELS, cue_flags, edge_words, sentence_context
from pipeline.structure import normalize
from pipeline.nlp import assemble
from pipeline.persist import UntrustedModelError, load_model, save_model

SENTENCES = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "data" / "function_sentences.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize(
    "label, sentence",
    SENTENCES,
    ids=[s[:12] for _, s in SENTENCES],
)
def test_functions_single_sentence(nlp, label, sentence):
    scores = nlp.get_pipe("functions").classify([sentence])[0]
    assert set(scores) == set(LABELS) and abs(sum(scores.values()) - 1) < 1e-4
    assert max(scores, key=scores.get) == label


@pytest.mark.parametrize("path, size, floor", [
    # 120 sentences written and labelled by another annotator, never used for any choice: measured 0.992 / 0.991
    (Path(__file__).parent / "data" / "function_probe.tsv", 120, 0.96),
    # 160 more, written in the fifth session: 0.925 / 0.925 on first reading; its errors chose the kinds of sentence
    # the fifth training set was asked for (not the sentences): 0.963 / 0.963 after; 0.975 / 0.975 with the sixth set
    (Path(__file__).parent / "data" / "function_probe_2.tsv", 160, 0.94),
    # 157 more, written after the fifth training set: 0.892 / 0.892 on first reading; 0.898 / 0.898 after the
    # structure rule its errors led to (numbered findings with figures are not headings); 0.924 / 0.923 with the
    # sixth training set
    (Path(__file__).parent / "data" / "function_probe_3.tsv", 157, 0.87),
    # 60 statements of figures, rates and states reached, with and without markers of time or intent, written in
    # the sixth session (no "other"; macro-F1 over its three labels): 0.900 / 0.915 on first reading; its errors
    # (tasks without 将 read as results) and those of the dev sentences chose the kinds of sentence the sixth
    # training set asked for: 0.900 / 0.915 after
    (Path(__file__).parent / "data" / "function_probe_4.tsv", 60, 0.85),
    # 120 written by another annotator in the sixth session, before the sixth training set (whose annotator never
    # saw it): 0.950 / 0.956 on first reading, 0.967 / 0.971 with the sixth set
    (Path(__file__).parent / "data" / "function_probe_5.tsv", 120, 0.93),
    # 120 written by another annotator in the seventh session (bare rates, concessions, faults told by figures,
    # targets without 将, apparatus): 0.917 / 0.923 on first reading with the sixth session's model
    (Path(__file__).parent / "data" / "function_probe_6.tsv", 120, 0.87),
    # 117 written by another annotator in the eighth session (states reached without figures, concessions, faults
    # told by facts, rectification commitments, framing): 0.846 / 0.829 on first reading
    (Path(__file__).parent / "data" / "function_probe_7.tsv", 117, 0.80),
    # 123 written in the eighth session as a seventh training set and not trained on (README): background facts,
    # framing, states reached, faults told by figures: 0.610 / 0.591 with the shipped model
    (Path(__file__).parent / "data" / "function_probe_8.tsv", 123, 0.55),
    # the 200 dev sentences that count in the choice of model (corpora/sentences): measured 0.965 / 0.969
    (Path(__file__).parent.parent / "corpora" / "sentences" / "dev.tsv", 200, 0.92),
])
def test_functions_on_sentences_labelled_alone(nlp, path, size, floor):
    from pipeline.corpus import read_labelled_sentences
    from pipeline.training.functions import evaluate_sentences

    rows = read_labelled_sentences(path)
    report = evaluate_sentences(nlp.get_pipe("functions").model, rows)
    present = sorted({label for label, _ in rows})  # macro-F1 over the labels the set has
    assert len(rows) == size
    assert report["accuracy"] >= floor
    assert sum(report["labels"][label]["f1"] for label in present) / len(present) >= floor


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


@pytest.mark.parametrize("sentence, family, present", [
    ("我们将认真落实党中央决策部署。", "future", True),
    ("明年计划新建村级人民调解工作室20个。", "future", True),
    ("将法治建设纳入年度绩效考核。", "future", False),  # 将 = 把: a measure taken
    ("到２０２６年，全区法律顾问覆盖率达到100%。", "target", True),
    ("截至2024年底，全区累计建成调解组织312个。", "target", False),
    ("信访总量不降反升，较上年增长11.4%。", "fault", True),
    ("本年度有2件案件被法院判决撤销。", "fault", True),
    ("全年办结行政复议案件921件。", "fault", False),
    ("2025年是“十四五”规划收官之年。", "framing", True),
    ("市委、市政府：", "framing", True),
])
def test_cue_flags_family_matches(sentence, family, present):
    assert cue_flags(normalize(sentence))[family] == int(present)


@pytest.mark.parametrize("sentence, opening, closing", [
    ("一是进一步提高人民调解成功率。", "进一", "功率"),  # the enumerator is not the opening
    ("（二）全年共办结复议案件921件。", "全年", "0件"),  # numbers are one 0
    ("2.推动法治副校长全覆盖;", "推动", "覆盖"),
    ("力争2025年底前实现全覆盖", "力争", "覆盖"),
    ("执法记录仪配备率仅为63.5%", "执法", "0%"),
])
def test_edge_words_skip_enumerators_and_final_marks(sentence, opening, closing):
    assert edge_words(normalize(sentence)) == (opening, closing)


@pytest.mark.parametrize("sentence, kind", [
    ("梅岭区2024年法治政府建设情况报告", "title"),
    ("关于2023年度法治政府建设工作情况的报告", "title"),
    ("推进“互联网+监管”全覆盖，提高非现场执法比例", "body"),
    ("全年办结行政复议案件921件。", "body"),
    ("一、主要工作成效", "heading"),
])
def test_sentence_context_kind_from_the_sentence_shape(sentence, kind):
    assert sentence_context(sentence)["kind"] == kind


def test_training_sentences_share_none_with_the_sentences_that_measure():
    """corpora/sentences/train.tsv is learned from; the dev sentences and the lists in tests/data measure."""
    import re

    from pipeline.corpus import read_labelled_sentences
    from pipeline.training.functions import SENTENCES_DEV, SENTENCES_TRAIN

    def key(sentence: str) -> str:
        return re.sub(r"[\s，。；,.;：:！？、“”\"（）()]", "", sentence)

    measuring = [SENTENCES_DEV, *(Path(__file__).parent / "data" / name for name in (
        "function_probe.tsv", "function_probe_2.tsv", "function_probe_3.tsv", "function_probe_4.tsv",
        "function_probe_5.tsv", "function_probe_6.tsv", "function_probe_7.tsv", "function_probe_8.tsv",
        "function_sentences.tsv"))]
    held = {key(sentence) for path in measuring for _, sentence in read_labelled_sentences(path)}
    training = [key(sentence) for _, sentence in read_labelled_sentences(SENTENCES_TRAIN)]
    assert len(training) == 1472 and not held & set(training)
    long_held = [h for h in held if len(h) >= 10]
    assert not [t for t in training if len(t) >= 10 and any(h in t or t in h for h in long_held)]
