"""The pattern layer of the entity tagger: book titles, quoted names, gazetteers, institution grammar.

Works on plain strings with character offsets, so entity boundaries never depend on where a word
segmenter cut the text. Matching runs on the same-length folded text of
:func:`pipeline.structure.normalize` (traditional → simplified, full-width → half-width). The
patterns are data in ``configs/entities.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .structure import normalize
from .trie import Trie

DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "configs" / "entities.yaml"
LABELS = ("PLAN", "CAMPAIGN", "INSTITUTION", "LAW")

# Priority when candidates overlap: more specific shapes first, then longer spans.
_PRIORITY = {"book": 0, "quoted": 1, "gazetteer": 2, "headed": 3, "institution": 4}
_COUNTERS = set("个名家次场件项支所部批座户处")
# A parenthesised level qualifier inside a name: (街道), (社区), (市、区)
_LEVEL_QUALIFIER = re.compile(r"\((?:街道|社区|居|村|镇|乡|乡镇|市、区|县、区|县、市、区|市、县、区|镇、街道|区、县)\)$")
_DIGITS_BEFORE = re.compile(r"(?:19|20)\d\d$")
_YEAR_BEFORE = re.compile(r"(?:19|20)\d\d年度?(?:第[一二三四]季度)?$")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    source: str  # which pattern family found it


class EntityPatterns:
    """Compiled pattern layer; build with :meth:`from_config` (a dict as read from the YAML file)."""

    def __init__(self, config: dict) -> None:
        self.config = config
        heads = config["book_title_heads"]
        self._book_heads = sorted(
            ((normalize(h), label) for label, words in heads.items() for h in words), key=lambda x: -len(x[0])
        )
        self._quoted_heads = sorted(
            ((normalize(h), label) for label, words in config["quoted_heads"].items() for h in words),
            key=lambda x: -len(x[0]),
        )
        self._quoted_only = {normalize(t): label for label, terms in config["quoted_only"].items() for t in terms}
        self._gazetteer = Trie((normalize(t), label) for label, terms in config["gazetteer"].items() for t in terms)
        inst = config["institution"]
        self._boundary_chars = set(normalize(inst["boundary_chars"]))
        self._boundary_words = frozenset(normalize(w) for w in inst["boundary_words"])
        self._boundary_lengths = sorted({len(w) for w in self._boundary_words}, reverse=True)
        self._exclude = {normalize(w) for w in inst["exclude"]}
        self._max_body = int(inst["max_body"])
        suffixes = sorted({normalize(s) for s in inst["suffixes"]}, key=len, reverse=True)
        # a lookahead so that overlapping suffixes (市委 inside 市委全面依法治市委员会) are all seen
        self._suffix_re = re.compile("(?=(" + "|".join(map(re.escape, suffixes)) + "))")
        self._strong_suffixes = {normalize(s) for s in inst["strong_suffixes"]}
        self._blocked_after = {normalize(k): set(normalize(v)) for k, v in inst["blocked_after"].items()}
        self._qualifier_after = Trie((normalize(w), True) for w in inst["qualifier_after"])
        self._not_heads = tuple(normalize(w) for w in inst["not_heads"])
        levels = sorted({normalize(s) for s in inst["levels"]}, key=len, reverse=True)
        self._level_re = re.compile("|".join(map(re.escape, levels)))
        places = sorted({normalize(s) for s in inst["place_suffixes"]}, key=len, reverse=True)
        self._place_re = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:" + "|".join(map(re.escape, places)) + ")")
        self._headed = sorted(((normalize(h), label) for label, words in config.get("headed", {}).items() for h in words),
                              key=lambda x: -len(x[0]))
        self._headed_re = re.compile("|".join(re.escape(h) for h, _ in self._headed)) if self._headed else None
        self._headed_label = dict(self._headed)
        self._year_prefix = bool(config.get("year_prefix"))
        self._headed_min = int(config.get("headed_min_length", 0))
        self._headed_needs_year = {normalize(h) for h in config.get("headed_needs_year", [])}
        self._plan_owners = frozenset(normalize(w) for w in config.get("plan_owner_words", []))
        self._headed_blocked = {normalize(k): tuple(normalize(w) for w in v)
                                for k, v in config.get("headed_blocked_after", {}).items()}
        self._typed = {normalize(t) for t in config.get("typed_institutions", [])}
        self._typed_prefix_max = int(config.get("typed_prefix_max", 0))
        self._book_re = re.compile(r"《[^《》\n]{2,80}》")
        tail = int(config.get("max_tail", 8))
        self._quote_re = re.compile(r"“([^“”\n]{1,24})”")
        self._tail = tail

    @classmethod
    def from_file(cls, path: str | Path = DEFAULT_PATTERNS) -> "EntityPatterns":
        import yaml

        return cls(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    # -----------------------------------------------------------------------------------------
    def find(self, text: str, norm: str | None = None) -> list[Match]:
        """Non-overlapping entity matches in ``text`` (offsets into ``text``), in text order."""
        norm = normalize(text) if norm is None else norm
        candidates = self._books(norm) + self._quoted(norm) + self._gazetteer_matches(norm)
        candidates += self._headed_names(norm) + self._institutions(norm)
        resolved = _resolve(candidates)
        return [self._with_year(norm, m) for m in resolved] if self._year_prefix else resolved

    def _with_year(self, norm: str, match: Match) -> Match:
        """Take a year written right before a plan or campaign into its name."""
        if match.label not in ("PLAN", "CAMPAIGN"):
            return match
        if norm.startswith("年", match.start):  # the walk stopped at the digits of "2024年度…"
            digits = _DIGITS_BEFORE.search(norm, 0, match.start)
            return Match(digits.start(), match.end, match.label, match.source) if digits else match
        year = _YEAR_BEFORE.search(norm, 0, match.start)
        if year is None or year.end() != match.start:
            return match
        return Match(year.start(), match.end, match.label, match.source)

    def _headed_names(self, norm: str) -> list[Match]:
        out = []
        if self._headed_re is None:
            return out
        for m in self._headed_re.finditer(norm):
            if self._blocked_head(norm, m.group(), m.end()):
                continue
            start = m.start()
            limit = max(0, start - self._max_body)
            is_plan = self._headed_label[m.group()] == "PLAN"
            while start > limit:
                if norm[start - 1] in self._boundary_chars or self._boundary_word_ending_at(norm, start, limit):
                    break
                if is_plan and any(norm[start - n : start] in self._plan_owners for n in (2, 3, 4) if start - n >= 0):
                    break
                start -= 1
            dated = _YEAR_BEFORE.search(norm, 0, start) or (
                norm.startswith("年", start) and _DIGITS_BEFORE.search(norm, 0, start))
            if m.group() in self._headed_needs_year and not dated:
                continue
            if m.start() - start >= 2 and m.end() - start >= self._headed_min:
                out.append(Match(start, m.end(), self._headed_label[m.group()], "headed"))
        return out

    def _books(self, norm: str) -> list[Match]:
        out = []
        for m in self._book_re.finditer(norm):
            name = m.group()[1:-1]
            label = next((lab for head, lab in self._book_heads if name.endswith(head)), None)
            if label is None and name.endswith(")"):
                inner = name[: name.rfind("(")] if "(" in name else name
                label = next((lab for head, lab in self._book_heads if inner.endswith(head)), None)
            if label is not None:
                out.append(Match(m.start(), m.end(), label, "book"))
        return out

    def _quoted(self, norm: str) -> list[Match]:
        out = []
        for m in self._quote_re.finditer(norm):
            inner = m.group(1)
            end = m.end()
            label = None
            best_end = None
            window = norm[end : end + self._tail + 8]
            for head, lab in self._quoted_heads:
                k = window.find(head)
                if k < 0 or k > self._tail:
                    continue
                between = window[:k]
                if any(ch in self._boundary_chars for ch in between) or self._has_boundary_word(between):
                    continue
                candidate_end = end + k + len(head)
                if best_end is None or candidate_end > best_end:
                    best_end, label = candidate_end, lab
            if label is None:
                label = self._quoted_only.get(inner)
                best_end = end if label else None
            if label is None:
                continue
            start = self._extend_left(norm, m.start(), max_chars=6)
            out.append(Match(start, best_end, label, "quoted"))
        return out

    def _gazetteer_matches(self, norm: str) -> list[Match]:
        out = []
        for start, end, label in self._gazetteer.finditer(norm):
            if self._blocked_head(norm, norm[start:end], end):
                continue
            if norm[start:end] in self._typed:
                start = self._proper_name_start(norm, start)
            if label in ("CAMPAIGN", "PLAN"):
                start, end = _with_quotes(norm, start, end)
            out.append(Match(start, end, str(label), "gazetteer"))
        return out

    def _blocked_head(self, norm: str, term: str, end: int) -> bool:
        """True when a head word continues into an ordinary word (制度体系, 宪法宣誓)."""
        for head, followers in self._headed_blocked.items():
            if term.endswith(head) and norm.startswith(followers, end):
                return True
        return False

    def _proper_name_start(self, norm: str, start: int) -> int:
        """Extend a typed institution over a short proper name before it, if a boundary comes soon enough."""
        i = start
        while i > 0 and start - i < self._typed_prefix_max:
            if norm[i - 1] in self._boundary_chars or self._boundary_word_ending_at(norm, i, 0):
                break
            i -= 1
        reached_boundary = i == 0 or norm[i - 1] in self._boundary_chars or self._boundary_word_ending_at(norm, i, 0)
        return i if reached_boundary and start - i >= 2 else start

    def _institutions(self, norm: str) -> list[Match]:
        out = []
        for m in self._suffix_re.finditer(norm):
            suffix = m.group(1)
            suffix_start, end = m.start(), m.start() + len(suffix)
            if self._continues_word(norm, suffix, end):
                continue
            start = self._institution_start(norm, suffix_start, suffix)
            if start is None or end - start < 2:
                continue
            name = norm[start:end]
            if name in self._exclude or name.endswith(self._not_heads):
                continue
            if self._qualifier_after.longest_at(norm, end) is not None:
                continue
            out.append(Match(start, end, "INSTITUTION", "institution"))
        return out

    def _continues_word(self, norm: str, suffix: str, end: int) -> bool:
        """True when the suffix is the start of a longer ordinary word (部门, 委员, 办理)."""
        if end >= len(norm):
            return False
        for key, blocked in self._blocked_after.items():
            if suffix.endswith(key) and norm[end] in blocked and not norm.startswith("法治", end):
                return True
        return False

    def _institution_start(self, norm: str, suffix_start: int, suffix: str) -> int | None:
        """Where a name ending in ``suffix`` begins.

        Walk left from the suffix over name characters to the nearest boundary (punctuation,
        digits, a verb or function word). The name starts at a place name right after the
        boundary, else at the leftmost level word (省 市 县 区 乡 镇 街道 …) inside the walk, else —
        for strong suffixes such as 委员会 or 中心 — at the boundary itself.
        """
        limit = max(0, suffix_start - self._max_body)
        stop = suffix_start
        while stop > limit:
            qualifier = _LEVEL_QUALIFIER.search(norm, 0, stop)
            if qualifier is not None and qualifier.end() == stop:  # 乡镇(街道)综合行政执法队
                stop = qualifier.start()
                continue
            if norm[stop - 1] in self._boundary_chars or self._boundary_word_ending_at(norm, stop, limit):
                break
            stop -= 1
        place = self._place_re.match(norm, stop)
        if place and place.end() <= suffix_start + len(suffix):
            return stop
        for i in range(stop, suffix_start + 1):
            if self._level_re.match(norm, i):
                return i
        if suffix in self._strong_suffixes and suffix_start - stop >= 2:
            return stop
        return None

    def _boundary_word_ending_at(self, norm: str, i: int, limit: int) -> bool:
        if i >= 2 and norm[i - 1] in _COUNTERS and (norm[i - 2].isdigit() or norm[i - 2] in "余多几"):
            return True  # "8个|街道…": a count before a name
        words = self._boundary_words
        return any(norm[i - n : i] in words for n in self._boundary_lengths if i - n >= max(0, limit - 1))

    def _has_boundary_word(self, text: str) -> bool:
        return any(text[a:b] in self._boundary_words for a in range(len(text)) for b in range(a + 1, min(len(text), a + 4) + 1))

    def _extend_left(self, norm: str, start: int, max_chars: int) -> int:
        """Take a short domain prefix glued before a quote (行政执法“三项制度”), stopping at boundaries."""
        i = start
        while i > 0 and start - i < max_chars:
            ch = norm[i - 1]
            if ch in self._boundary_chars or not ("\u4e00" <= ch <= "\u9fff"):
                break
            if self._boundary_word_ending_at(norm, i, 0):
                break
            i -= 1
        return i


def _with_quotes(norm: str, start: int, end: int) -> tuple[int, int]:
    """Take the quotes around a name (“安全生产月”) or a quoted date before it (“5·12”全国防灾减灾日)."""
    if start > 0 and end < len(norm) and norm[start - 1] == "“" and norm[end] == "”":
        return start - 1, end + 1
    if start > 0 and norm[start - 1] == "”":
        opening = norm.rfind("“", max(0, start - 12), start - 1)
        if opening >= 0 and "”" not in norm[opening + 1 : start - 1]:
            return opening, end
    return start, end


def _resolve(candidates: list[Match]) -> list[Match]:
    """Keep non-overlapping matches: the longest span wins, then the more specific family."""
    ordered = sorted(candidates, key=lambda m: (-(m.end - m.start), _PRIORITY[m.source], m.start))
    taken: list[Match] = []
    occupied: list[tuple[int, int]] = []
    for match in ordered:
        if any(match.start < e and s < match.end for s, e in occupied):
            continue
        taken.append(match)
        occupied.append((match.start, match.end))
    return sorted(taken, key=lambda m: m.start)
