"""Small dictionary matchers (after HanLP's ``hanlp_trie``).

:class:`Trie` maps terms to values (entity labels, goal ids) for longest-match lookup;
:meth:`Trie.to_regex` compiles it into one regular expression whose alternation is factored by
prefix, so scanning a document runs in the regex engine rather than in a Python loop per character.
:class:`WordIndex` finds every occurrence of several sets of short words, overlapping ones included, at
all offsets of a text at once with numpy.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

import numpy

_END = ""  # key marking the end of a term inside the nested dicts


class Trie:
    """Terms → values, with longest-match search."""

    def __init__(self, items: Iterable[tuple[str, object]] = ()) -> None:
        self._root: dict = {}
        self._values: dict[str, object] = {}  # the terms once more, for lookups without a walk
        for term, value in items:
            self[term] = value

    def __setitem__(self, term: str, value: object) -> None:
        if not term:
            raise ValueError("empty term")
        node = self._root
        for ch in term:
            node = node.setdefault(ch, {})
        node[_END] = value
        self._values[term] = value

    def __getitem__(self, term: str) -> object:
        return self._values[term]

    def __contains__(self, term: object) -> bool:
        try:
            return term in self._values
        except TypeError:  # unhashable
            return False

    def __len__(self) -> int:
        return len(self._values)

    def finditer(self, text: str, starts: Iterable[int] | None = None) -> Iterator[tuple[int, int, object]]:
        """Non-overlapping longest matches, left to right: ``(start, end, value)``.

        ``starts``, when given, are the sorted offsets at which a term may begin (from a :class:`WordIndex` of
        the terms' first characters): the same matches, looked for only there rather than at every offset.
        """
        pattern = self.to_regex()
        for match in pattern.finditer(text) if starts is None else matches_at(pattern, text, starts):
            yield match.start(), match.end(), self[match.group()]

    def prefixes(self, length: int) -> set[str]:
        """The terms' first ``length`` characters (whole terms when shorter): where one occurs, a term may begin."""
        return {term[:length] for term in self._values}

    def to_regex(self) -> re.Pattern:
        """One regex matching any term, preferring the longest at each position."""
        if not hasattr(self, "_regex") or self._regex_size != len(self):
            self._regex = re.compile(_node_regex(self._root) or r"(?!x)x")
            self._regex_size = len(self)
        return self._regex


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """What ``pattern.finditer(text)`` finds (non-overlapping, left to right), for a pattern that matches no
    empty string and ``starts``, sorted, holding every offset a match can begin at: the pattern is tried only
    there, not at every offset of the text."""
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match


def _node_regex(node: dict) -> str:
    branches = []
    for ch in sorted(k for k in node if k != _END):
        branches.append(re.escape(ch) + _node_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return "(?:" + body + ")?"
    return body


class WordIndex:
    """Where the words of several named sets occur, at every offset of a text at once (numpy).

    Characters are numbered by one lookup array for all the sets (0 outside their alphabet), and each pair
    of neighbouring characters is packed into one integer. Words of one or two characters are read off
    tables indexed by those numbers; a longer word is looked for, packed the same way, only where a pair
    that begins such a word of that length occurs. A word too long to pack into 63 bits (over six characters
    for an alphabet of over 511) is compared as it is, only where its first pair occurs. Each word records the
    sets it belongs to, so one pass over the text serves every set, and overlapping occurrences are all found,
    with no Python loop over the text. The pair tables have ``4 ** bits`` entries (262,144 for an alphabet of
    under 511 characters; pairs are 32-bit integers, so the alphabet is at most 32,766 characters). Their
    entries are the narrowest integers that hold the sets, and the lengths of the longer words a pair begins.
    """

    def __init__(self, word_sets: Mapping[str, Iterable[str]]) -> None:
        sets = {name: {w for w in words if w} for name, words in word_sets.items()}
        alphabet = sorted({ord(ch) for words in sets.values() for w in words for ch in w})
        bits = (len(alphabet) + 1).bit_length()
        if 2 * bits > 31:
            raise ValueError(f"alphabet too large for a word index: {len(alphabet)} characters")
        self._number = numpy.zeros(max(alphabet, default=0) + 2, dtype=numpy.int32)  # last slot: "other"
        self._number[alphabet] = numpy.arange(1, len(alphabet) + 1)
        self._bits = bits
        mask_type = numpy.min_scalar_type((1 << len(sets)) - 1)
        self._char_sets = numpy.zeros(1 << bits, dtype=mask_type)  # one-character word → its sets
        self._pair_sets = numpy.zeros(1 << 2 * bits, dtype=mask_type)  # two-character word → its sets
        longer_lengths = sorted({len(w) for words in sets.values() for w in words if len(w) > 2})
        self._length_bit = {n: 1 << k for k, n in enumerate(longer_lengths)}  # a length over two → its bit
        self._longer_after = numpy.zeros(  # pair → the bits of the lengths of the longer words it begins
            1 << 2 * bits, dtype=numpy.min_scalar_type((1 << len(longer_lengths)) - 1 if longer_lengths else 0))
        longer: dict[int, dict[int, int]] = {}  # length → packed word → its sets
        self._unpacked: dict[int, dict[tuple[int, ...], int]] = {}  # length → character numbers → sets
        for bit, words in enumerate(sets.values()):
            for word in words:
                if len(word) > 62:
                    raise ValueError(f"word too long for a word index: {word!r}")
                numbers = tuple(int(self._number[ord(ch)]) for ch in word)
                key = 0
                for number in numbers[: 63 // bits]:
                    key = (key << bits) | number
                if len(word) * bits > 63:
                    self._longer_after[numbers[0] << bits | numbers[1]] |= self._length_bit[len(word)]
                    by_numbers = self._unpacked.setdefault(len(word), {})
                    by_numbers[numbers] = by_numbers.get(numbers, 0) | 1 << bit
                elif len(word) == 1:
                    self._char_sets[key] |= 1 << bit
                elif len(word) == 2:
                    self._pair_sets[key] |= 1 << bit
                else:
                    self._longer_after[key >> (len(word) - 2) * bits] |= self._length_bit[len(word)]
                    by_key = longer.setdefault(len(word), {})
                    by_key[key] = by_key.get(key, 0) | 1 << bit
        self._keys = {n: numpy.array(sorted(by_key), dtype=numpy.int64) for n, by_key in sorted(longer.items())}
        self._members = {n: numpy.array([by_key[k] for k in sorted(by_key)], dtype=mask_type)
                         for n, by_key in longer.items()}
        self._lengths = {name: sorted({len(w) for w in words}) for name, words in sets.items()}
        self._bit = {name: 1 << bit for bit, name in enumerate(sets)}

    def occurrences(self, codes: numpy.ndarray) -> dict[str, list[tuple[int, numpy.ndarray]]]:
        """For each set, ``(length, start offsets)`` of its words, shortest first, for the code points
        ``codes`` of a text."""
        number = self._number.take(numpy.minimum(codes, len(self._number) - 1))
        pairs = (number[:-1] << self._bits) | number[1:]
        found = {1: _hits(self._char_sets.take(number)), 2: _hits(self._pair_sets.take(pairs))}  # length → starts, sets
        begun = self._longer_after.take(pairs)
        leads = numpy.flatnonzero(begun != 0)
        for n, keys in self._keys.items():
            starts = leads[((begun[leads] & self._length_bit[n]) != 0) & (leads <= len(codes) - n)]
            packed = pairs[starts].astype(numpy.int64)
            for j in range(2, n):
                packed = (packed << self._bits) | number[starts + j]
            slot = numpy.searchsorted(keys, packed)
            slot[slot == len(keys)] = 0
            hit = keys[slot] == packed
            found[n] = starts[hit], self._members[n][slot[hit]]
        for n, by_numbers in self._unpacked.items():
            starts = leads[((begun[leads] & self._length_bit[n]) != 0) & (leads <= len(codes) - n)].tolist()
            members = [by_numbers.get(tuple(number[start : start + n].tolist()), 0) for start in starts]
            hit = [k for k, sets in enumerate(members) if sets]
            found[n] = (numpy.array([starts[k] for k in hit], dtype=numpy.int64),
                        numpy.array([members[k] for k in hit], dtype=self._char_sets.dtype))
        return {
            name: [(n, found[n][0][(found[n][1] & self._bit[name]) != 0]) for n in lengths]
            for name, lengths in self._lengths.items()
        }


def _hits(sets: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The offsets where some word occurs, and the sets of the word at each."""
    starts = numpy.flatnonzero(sets != 0)  # on booleans: numpy's fast path
    return starts, sets[starts]
