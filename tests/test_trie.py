"""The dictionary matchers: longest match, regex export, membership; every occurrence of short words."""

import re

import numpy
import pytest

from pipeline.trie import Trie, WordIndex, matches_at


@pytest.fixture
def trie():
    return Trie([("司法", "X"), ("司法所", "INSTITUTION"), ("宪法", "LAW"), ("宪法宣传周", "CAMPAIGN")])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("开展宪法宣传周活动", [(2, 7, "CAMPAIGN")]),
        ("司法所和宪法", [(0, 3, "INSTITUTION"), (4, 6, "LAW")]),
        ("宪法宣传月", [(0, 2, "LAW")]),  # a failed longer match falls back to the shorter term
        ("行政复议", []),
    ],
)
def test_trie_finditer_longest_match(trie, text, expected):
    assert list(trie.finditer(text)) == expected


@pytest.mark.parametrize("text", ["开展宪法宣传周活动", "司法所和宪法", "宪法宣传月", "行政复议", "司法司法所宪法宣传周宪法"])
def test_trie_finditer_at_indexed_starts_matches_a_full_scan(trie, text):
    """Looking only where a WordIndex of the terms' first two characters found one gives the same matches."""
    index = WordIndex({"prefix": trie.prefixes(2)})
    starts = sorted(s for _, found in index.occurrences(numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32))["prefix"] for s in found.tolist())
    assert list(trie.finditer(text, starts)) == list(trie.finditer(text))


def test_trie_prefixes_are_the_terms_first_characters(trie):
    assert trie.prefixes(3) == {"司法", "司法所", "宪法", "宪法宣"}


def test_trie_membership(trie):
    assert "司法" in trie and "司" not in trie and len(trie) == 4


def test_trie_regex_follows_additions(trie):
    assert list(trie.finditer("公证处")) == []
    trie["公证处"] = "INSTITUTION"
    assert list(trie.finditer("公证处")) == [(0, 3, "INSTITUTION")]


def test_trie_rejects_empty_term():
    with pytest.raises(ValueError):
        Trie([("", "X")])


@pytest.mark.parametrize(
    "words, text, expected",
    [
        (["开展", "展了"], "开展了工作", [(2, [0, 1])]),  # overlapping occurrences are all found
        (["区", "区委", "委员会"], "区委员会", [(1, [0]), (2, [0]), (3, [1])]),
        (["司法局"], "區司法局司法局", [(3, [1, 4])]),
        (["法"], "", []),
        (["委员会", "会议"], "委员会议委员", [(2, [2]), (3, [0])]),  # a word's first pair at the very end
    ],
)
def test_word_index_finds_every_occurrence(words, text, expected):
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    found_at = [(n, starts.tolist()) for n, starts in WordIndex({"words": words}).occurrences(codes)["words"]
                if len(starts)]
    assert found_at == expected


def test_word_index_keeps_the_sets_apart():
    codes = numpy.frombuffer("区委员会".encode("utf-32-le"), dtype=numpy.uint32)
    found = WordIndex({"levels": ["区", "区委"], "bodies": ["区委", "委员会"], "none": []}).occurrences(codes)
    as_lists = {name: [(n, starts.tolist()) for n, starts in pairs] for name, pairs in found.items()}
    assert as_lists == {"levels": [(1, [0]), (2, [0])], "bodies": [(2, [0]), (3, [1])], "none": []}


def test_word_index_finds_words_too_long_to_pack():
    """Past 511 characters in the alphabet a character takes ten bits, and a seven-character word no longer
    packs into 63: it is compared as it is, where its first pair occurs."""
    filler = [chr(0x4E00 + k) for k in range(600)]
    index = WordIndex({"filler": filler, "bodies": ["纪律检查委员会", "纪律检查委员"]})
    text = "县纪律检查委员会和纪律检查委员们纪律检查委员会"
    found = index.occurrences(numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32))["bodies"]
    assert [(n, starts.tolist()) for n, starts in found] == [(6, [1, 9, 16]), (7, [1, 16])]


def test_word_index_finds_words_of_many_lengths():
    """Each length over two takes one bit of the pair table's entries: nine lengths need more than a byte."""
    words = ["法治政府建设示范创建活动"[:n] for n in range(3, 13)]
    text = "开展法治政府建设示范创建活动"
    found = WordIndex({"words": words}).occurrences(numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32))
    assert [(n, starts.tolist()) for n, starts in found["words"]] == [(n, [2]) for n in range(3, 13)]


def test_word_index_refuses_an_alphabet_too_large_for_its_pair_tables():
    with pytest.raises(ValueError, match="alphabet too large"):
        WordIndex({"characters": [chr(0x4E00 + k) for k in range(40_000)]})


@pytest.mark.parametrize(
    "pattern, first_characters, text",
    [
        (r"专项整治行动|专项行动|行动", "专行", "开展专项行动、专项整治行动和联合行动"),  # the longest alternative, no overlaps
        (r"《[^《》]{2,10}》", "《", "依据《宪法》《民法典》和《《行政处罚法》"),  # a failed try leaves the next open
        (r"[“「][^“”「」]{1,8}[”」]", "“「", "“护苗”「净网」“”行动"),
    ],
)
def test_matches_at_finds_what_finditer_finds(pattern, first_characters, text):
    compiled = re.compile(pattern)
    starts = [k for k, ch in enumerate(text) if ch in first_characters]
    expected = [m.span() for m in compiled.finditer(text)]
    assert [m.span() for m in matches_at(compiled, text, starts)] == expected
    assert [m.span() for m in matches_at(compiled, text, range(len(text)))] == expected
