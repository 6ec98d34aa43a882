"""Token splitting at character offsets: the rebuilt document matches what spaCy's retokenizer makes."""

import numpy
from spacy.attrs import HEAD, IDX, LEMMA, NORM, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.components.align import split_tokens_at

ARRAY = [ORTH, IDX, SPACY, HEAD, SENT_START, LEMMA, NORM]


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


def test_split_matches_the_retokenizer():
    doc = _doc()
    offsets = [2, 5, 8, 10, 15]  # 8 ends a token before its space, 15 starts a token
    split = split_tokens_at(doc, offsets)
    expected = _retokenized(doc, offsets)
    assert [t.text for t in split] == ["县委", "全面", "依", "法治县", "委", "员会", "召开", "会议"]
    assert split.text == doc.text
    assert numpy.array_equal(split.to_array(ARRAY), expected.to_array(ARRAY))
    units = [(s.start_char, s.end_char, s.label_) for s in split.spans["units"]]
    assert units == [(s.start_char, s.end_char, s.label_) for s in doc.spans["units"]]
    assert [(s.start, s.end) for s in split.spans["units"]] == [(0, 6), (6, 8)]
    assert split.user_data["note"] == "kept"


def test_split_twice_keeps_the_first_pieces_heads():
    doc = _doc()
    twice = split_tokens_at(split_tokens_at(doc, [2, 6]), [7])
    expected = _retokenized(_retokenized(doc, [2, 6]), [7])
    assert numpy.array_equal(twice.to_array(ARRAY), expected.to_array(ARRAY))


def test_no_cut_inside_a_token_returns_the_same_document():
    doc = _doc()
    assert split_tokens_at(doc, [0, 4, 8, 9, 99]) is doc
