"""Token splitting at character offsets and setting entities: both the compiled module (in place) and the
Python fallback (a rebuilt document) match what spaCy's retokenizer makes, and each other."""

import numpy
import pytest
from spacy.attrs import ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, NORM, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.components import align
from pipeline.components.align import set_entities, span_offsets, split_tokens_at

ARRAY = [ORTH, IDX, SPACY, HEAD, SENT_START, LEMMA, NORM, ENT_IOB, ENT_TYPE]
compiled = pytest.mark.skipif(align._token_array is None, reason="the compiled module is not built")
BOTH = [pytest.param(True, marks=compiled, id="compiled"), pytest.param(False, id="python")]


def _doc() -> Doc:
    words, spaces = ["县委全面", "依法治县", "委员会", "召开", "会议"], [False, True, False, True, False]
    doc = Doc(Vocab(), words=words, spaces=spaces)
    doc.spans["units"] = [Span(doc, 0, 3, label="sentence"), Span(doc, 3, 5, label="sentence")]
    doc.user_data["note"] = "kept"
    return doc


def _retokenized(doc: Doc, offsets: list[int]) -> Doc:
    doc = doc.copy()
    with doc.retokenize() as retokenizer:
        for token in list(doc):
            cuts = [o - token.idx for o in offsets if token.idx < o < token.idx + len(token)]
            if cuts:
                bounds = [0, *cuts, len(token)]
                pieces = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    return doc


@pytest.mark.parametrize("compiled_module", BOTH)
def test_split_matches_the_retokenizer(compiled_module):
    doc = _doc()
    offsets = [2, 5, 8, 10, 15]  # 8 ends a token before its space, 15 starts a token
    expected = _retokenized(doc, offsets)
    units_before = [(s.start_char, s.end_char, s.label_) for s in doc.spans["units"]]
    split = split_tokens_at(doc, offsets, compiled=compiled_module)
    assert (split is doc) == compiled_module
    assert [t.text for t in split] == ["县委", "全面", "依", "法治县", "委", "员会", "召开", "会议"]
    assert split.text == expected.text
    assert numpy.array_equal(split.to_array(ARRAY), expected.to_array(ARRAY))
    assert [(s.start_char, s.end_char, s.label_) for s in split.spans["units"]] == units_before
    assert [(s.start, s.end) for s in split.spans["units"]] == [(0, 6), (6, 8)]
    assert split.user_data["note"] == "kept"


@pytest.mark.parametrize("compiled_module", BOTH)
def test_split_twice_keeps_the_first_pieces_heads(compiled_module):
    doc = _doc()
    expected = _retokenized(_retokenized(doc, [2, 6]), [7])
    twice = split_tokens_at(split_tokens_at(doc, [2, 6], compiled=compiled_module), [7], compiled=compiled_module)
    assert numpy.array_equal(twice.to_array(ARRAY), expected.to_array(ARRAY))


@pytest.mark.parametrize("compiled_module", BOTH)
def test_split_of_a_parsed_document_keeps_its_tree(compiled_module):
    """Heads point where their tokens went, and children and edges follow, as after the retokenizer."""
    words, spaces = ["县委全面", "依法治县", "委员会", "召开", "会议"], [False, True, False, True, False]
    doc = Doc(Vocab(), words=words, spaces=spaces, heads=[2, 2, 3, 3, 3], deps=["nmod", "nmod", "nsubj", "ROOT", "dobj"])
    expected = _retokenized(doc, [2, 5])
    split = split_tokens_at(doc, [2, 5], compiled=compiled_module)

    def tree(d):
        return [(t.head.i, t.left_edge.i, t.right_edge.i, t.n_lefts, t.n_rights) for t in d]

    assert tree(split) == tree(expected)
    assert [t.head.text for t in split] == ["县委", "县委", "依", "依", "召开", "召开", "召开"]  # pieces: to the first
    assert [t.dep_ for t in split] == ["nmod", "nmod", "nmod", "nmod", "nsubj", "ROOT", "dobj"]


@pytest.mark.parametrize("compiled_module", BOTH)
def test_split_without_a_cut_inside_a_token_returns_the_same_document(compiled_module):
    doc = _doc()
    assert split_tokens_at(doc, [0, 4, 8, 9, 99], compiled=compiled_module) is doc
    assert [t.text for t in doc] == ["县委全面", "依法治县", "委员会", "召开", "会议"]


@compiled
def test_split_in_place_keeps_what_the_tokens_carry():
    """The compiled split keeps entity tags (a split entity's pieces stay inside it) and tags, as the
    retokenizer does, where the Python fallback rebuilds a document of words."""
    doc = _doc()
    doc.ents = [Span(doc, 1, 3, label="INSTITUTION")]
    doc[0].tag_ = "NN"
    split = split_tokens_at(doc, [2, 5])
    assert [(e.text, e.label_) for e in split.ents] == [("依法治县 委员会", "INSTITUTION")]
    assert [t.ent_iob_ for t in split[:5]] == ["O", "O", "B", "I", "I"]
    assert [t.tag_ for t in split[:3]] == ["NN", "NN", ""]


@pytest.mark.parametrize("compiled_module", BOTH)
def test_split_gives_each_piece_its_tokens_tensor_row(compiled_module):
    doc = _doc()
    doc.tensor = numpy.arange(10, dtype="float32").reshape(5, 2)
    split = split_tokens_at(doc, [2, 5], compiled=compiled_module)
    assert split.tensor[:, 0].tolist() == [0, 0, 2, 2, 4, 6, 8]


@pytest.mark.parametrize("compiled_module", BOTH)
def test_set_entities_marks_begin_inside_and_outside(compiled_module):
    doc = split_tokens_at(_doc(), [2, 4, 10])  # 县委|全面|依法治县 委|员会|召开 会议
    set_entities(doc, [(0, 2, "INSTITUTION"), (4, 12, "INSTITUTION")], compiled=compiled_module)
    assert [(e.text, e.label_) for e in doc.ents] == [("县委", "INSTITUTION"), ("依法治县 委员会", "INSTITUTION")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "B", "I", "I", "O", "O"]
    set_entities(doc, [(15, 17, "CAMPAIGN"), (0, 2, "INSTITUTION")], compiled=compiled_module)  # in any order
    assert [(e.text, e.label_) for e in doc.ents] == [("县委", "INSTITUTION"), ("会议", "CAMPAIGN")]
    set_entities(doc, [(15, 17, "CAMPAIGN")], compiled=compiled_module)  # replaces what was there
    assert [(e.text, e.label_) for e in doc.ents] == [("会议", "CAMPAIGN")]


@compiled
def test_set_entities_rejects_a_span_that_starts_inside_a_token():
    doc = _doc()
    with pytest.raises(ValueError, match="does not start at a token"):
        set_entities(doc, [(1, 4, "INSTITUTION")])


@pytest.mark.parametrize("compiled_module", BOTH)
def test_span_offsets_are_the_spans_characters(compiled_module):
    doc = _doc()
    assert span_offsets(doc.spans["units"], compiled=compiled_module) == [(0, 12), (12, 17)]


@compiled
def test_pipeline_documents_are_the_same_compiled_or_not(nlp, seed_text, monkeypatch):
    """The whole pipeline on the reference report: same tokens, units and entities either way."""
    def described(doc: Doc) -> tuple:
        units = [(s.start, s.end, s.start_char, s.end_char, s.label_) for s in doc.spans["units"]]
        return doc.to_array(ARRAY).tolist(), units, [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    with_module = described(nlp(seed_text))
    monkeypatch.setattr(align, "_token_array", None)
    assert described(nlp(seed_text)) == with_module
    assert len(with_module[2]) > 50
