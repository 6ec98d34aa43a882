"""The structure component inside spaCy: config assembly, save/load round trip, nlp.pipe."""

from __future__ import annotations

import spacy

from pipeline.nlp import assemble


def unit_rows(doc):
    return [(s.start_char, s.end_char, s.label_, tuple(s._.heading_path)) for s in doc.spans["units"]]


def test_structure_assembled_from_config():
    nlp = assemble()
    assert nlp.pipe_names[0] == "structure"
    assert nlp.get_pipe_meta("structure").factory == "policy_structure"
    with nlp.select_pipes(enable=["structure"]):
        doc = nlp("一、主要成效\n全年办结复议案件921件。")
    assert [s.text for s in doc.spans["units"]] == ["一、主要成效", "全年办结复议案件921件。"]


def test_structure_save_load_round_trip(nlp, tmp_path, seed_text):
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    assert unit_rows(loaded(seed_text)) == unit_rows(nlp(seed_text))


def test_structure_nlp_pipe_matches_single_calls(nlp, seed_text):
    texts = [seed_text, "（一）加强执法监督。全年开展执法检查32次。", "一、成效\n二、问题"]
    assert [unit_rows(d) for d in nlp.pipe(texts, batch_size=2)] == [unit_rows(nlp(t)) for t in texts]


def test_structure_unit_boundaries_are_token_boundaries(nlp, seed_text):
    doc = nlp(seed_text)
    assert doc.text == seed_text
    for span in doc.spans["units"]:
        assert span.text == seed_text[span.start_char : span.end_char]
