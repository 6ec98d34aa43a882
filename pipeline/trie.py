"""Small dictionary matchers (after HanLP's ``hanlp_trie``).

:class:`Trie` maps terms to values (entity labels, goal ids) for longest-match lookup;
:meth:`Trie.to_regex` compiles it into one regular expression whose alternation is factored by
prefix, so scanning a document runs in the regex engine rather than in a Python loop per character.
:class:`WordIndex` finds every occurrence of a set of short words, overlapping ones included, at all
offsets of a text at once with numpy.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

import numpy

_END = ""  # key marking the end of a term inside the nested dicts


class Trie:
    """Terms → values, with longest-match search."""

    def __init__(self, items: Iterable[tuple[str, object]] = ()) -> None:
        self._root: dict = {}
        self._size = 0
        for term, value in items:
            self[term] = value

    def __setitem__(self, term: str, value: object) -> None:
        if not term:
            raise ValueError("empty term")
        node = self._root
        for ch in term:
            node = node.setdefault(ch, {})
        if _END not in node:
            self._size += 1
        node[_END] = value

    def __getitem__(self, term: str) -> object:
        node = self._root
        for ch in term:
            node = node.get(ch)
            if node is None:
                raise KeyError(term)
        if _END not in node:
            raise KeyError(term)
        return node[_END]

    def __contains__(self, term: object) -> bool:
        try:
            self[term]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __len__(self) -> int:
        return self._size

    def longest_at(self, text: str, start: int) -> tuple[int, object] | None:
        """End offset and value of the longest term starting at ``start``, or None."""
        node, best = self._root, None
        for i in range(start, len(text)):
            node = node.get(text[i])
            if node is None:
                break
            if _END in node:
                best = (i + 1, node[_END])
        return best

    def finditer(self, text: str) -> Iterator[tuple[int, int, object]]:
        """Non-overlapping longest matches, left to right: ``(start, end, value)``."""
        pattern = self.to_regex()
        for match in pattern.finditer(text):
            yield match.start(), match.end(), self[match.group()]

    def to_regex(self) -> re.Pattern:
        """One regex matching any term, preferring the longest at each position."""
        if not hasattr(self, "_regex") or self._regex_size != self._size:
            self._regex = re.compile(_node_regex(self._root) or r"(?!x)x")
            self._regex_size = self._size
        return self._regex


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
    """Where any of a set of short words occurs, at every offset of a text at once (numpy).

    Characters are numbered by a lookup array (0 outside the words' alphabet); each window of ``n``
    characters is packed into one integer and looked up among the packed words of length ``n``.
    Overlapping occurrences are all found, with no Python loop over the text.
    """

    def __init__(self, words) -> None:
        words = {w for w in words if w}
        alphabet = sorted({ord(ch) for w in words for ch in w})
        self._number = numpy.zeros(max(alphabet, default=0) + 2, dtype=numpy.uint64)  # last slot: "other"
        self._number[alphabet] = numpy.arange(1, len(alphabet) + 1, dtype=numpy.uint64)
        self._bits = numpy.uint64((len(alphabet) + 1).bit_length())
        by_length: dict[int, list[int]] = {}
        for word in words:
            if len(word) * int(self._bits) > 63:
                raise ValueError(f"word too long for a word index: {word!r}")
            key = 0
            for ch in word:
                key = (key << int(self._bits)) | int(self._number[ord(ch)])
            by_length.setdefault(len(word), []).append(key)
        self._keys = {n: numpy.array(sorted(keys), dtype=numpy.uint64) for n, keys in sorted(by_length.items())}

    def occurrences(self, codes: numpy.ndarray) -> list[tuple[int, numpy.ndarray]]:
        """``(length, start offsets)`` of the words, shortest first, for the code points ``codes`` of a text."""
        out = []
        number = self._number[numpy.minimum(codes, len(self._number) - 1)]
        known = number != 0
        for n, keys in self._keys.items():
            windows = len(codes) - n + 1
            if windows <= 0:
                continue
            packed = number[:windows].copy()
            inside = known[:windows].copy()
            for j in range(1, n):
                packed = (packed << self._bits) | number[j : windows + j]
                inside &= known[j : windows + j]
            candidates = numpy.flatnonzero(inside)
            slot = numpy.searchsorted(keys, packed[candidates])
            slot[slot == len(keys)] = 0
            out.append((n, candidates[keys[slot] == packed[candidates]]))
        return out
