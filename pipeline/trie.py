"""A small dictionary matcher: longest-match lookup of terms in text (after HanLP's ``hanlp_trie``).

Terms map to values (entity labels here). :meth:`Trie.to_regex` compiles the trie into one regular
expression whose alternation is factored by prefix, so scanning a document runs in the regex
engine rather than in a Python loop per character.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

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
