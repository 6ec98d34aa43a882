"""The entity component: config assembly, save/load round trip, unseen names, character boundaries."""

import spacy

from pipeline.nlp import assemble


def ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_entities_assembled_from_config():
    nlp = assemble()
    assert nlp.get_pipe_meta("entities").factory == "policy_entities"
    with nlp.select_pipes(enable=["structure", "entities"]):
        doc = nlp("一、主要成效\n深入开展宪法宣传周活动。")
    assert [(e.text, e.label_) for e in doc.ents] == [("宪法宣传周", "CAMPAIGN")]


def test_entities_save_load_round_trip(nlp, tmp_path, seed_text):
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.get_pipe("entities").mode == nlp.get_pipe("entities").mode
    assert ents(loaded(seed_text)) == ents(nlp(seed_text))


def test_entities_unseen_names_of_known_shapes(nlp):
    text = "一、工作成效\n开展“清风护航”专项整治行动，成立某某区矛盾纠纷多元化解中心。"
    found = {(e.text, e.label_) for e in nlp(text).ents}
    assert ("“清风护航”专项整治行动", "CAMPAIGN") in found
    assert ("某某区矛盾纠纷多元化解中心", "INSTITUTION") in found


def test_entities_boundaries_do_not_depend_on_segmentation(nlp):
    # jieba cuts 依法/治区/办; the entity still comes out whole, as characters
    doc = nlp("依法治区办组织编印学习读本。")
    assert ("依法治区办", "INSTITUTION") in [(e.text, e.label_) for e in doc.ents]
    for ent in doc.ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text


def test_entities_stay_inside_units(nlp, seed_text):
    doc = nlp(seed_text)
    units = [(s.start_char, s.end_char) for s in doc.spans["units"]]
    for ent in doc.ents:
        assert any(start <= ent.start_char and ent.end_char <= end for start, end in units)


def test_entities_of_hard_wrapped_text_are_those_of_the_original(nlp, seed_text):
    from tests.test_structure import hard_wrap

    wrapped = hard_wrap(seed_text, 64, indent=True)
    original = [(e.text, e.label_) for e in nlp(seed_text).ents]
    assert len(original) > 50
    assert [(e.text.replace("\n", ""), e.label_) for e in nlp(wrapped).ents] == original


def test_entities_of_a_batch_are_those_of_each_document_alone(nlp, seed_text):
    texts = [seed_text, "县司法局牵头开展“清风护航”专项整治行动。", "", seed_text[:300]]
    with nlp.select_pipes(enable=["structure", "entities"]):
        batched = [ents(doc) for doc in nlp.pipe(texts, batch_size=4)]
        alone = [ents(nlp(text)) for text in texts]
    assert batched == alone and len(batched[0]) > 50
