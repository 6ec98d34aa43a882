"""The pattern layer of the entity tagger: book titles, quoted names, gazetteers, institution grammar.

Works on plain strings with character offsets, so entity boundaries never depend on where a word
segmenter cut the text. Matching runs on the same-length folded text of
:func:`pipeline.structure.normalize` (traditional → simplified, full-width → half-width). The
patterns are data in ``configs/entities.yaml``.

Speed: a document's units are scanned as one text. Where a name may not extend to the left (after
punctuation, a digit, a verb or function word, a count, or at a unit start) is flagged for the whole
text at once with :class:`pipeline.trie.WordIndex` (:class:`_Scan`), so the leftward walks that find
where a name begins are ``bytes.rfind`` calls rather than Python loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy

from .structure import normalize, span_in_text, without_soft_breaks
from .trie import Trie, WordIndex, matches_at

DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "configs" / "entities.yaml"
LABELS = ("PLAN", "CAMPAIGN", "INSTITUTION", "LAW")

# Priority when candidates overlap: more specific shapes first, then longer spans.
_PRIORITY = {"book": 0, "quoted": 1, "gazetteer": 2, "headed": 3, "institution": 4}
_COUNTERS = set("个名家次场件项支所部批座户处万亿")
# A parenthesised level qualifier inside a name: (街道), (社区), (市、区)
_LEVEL_QUALIFIER = re.compile(r"\((?:街道|社区|居|村|镇|乡|乡镇|市、区|县、区|县、市、区|市、县、区|镇、街道|区、县)\)$")
_PARTY_THEN_GOVERNMENT = re.compile(r"(?:[省市县区乡镇旗]委|[省市县区乡镇旗]?党委)(?=[省市县区乡镇旗]?(?:人民)?政府$)")
# Levels written before a body that opens with a level, sharing it: 省、|市人大常委会, 省、市、|县三级人民法院,
# 州、县(市)|两级政府, 县乡|两级政府
_LIST_LEVELS = "省市州盟县区旗乡镇"  # levels written as a list (省、市、县 …) before a body or a count of levels
_SHARED_LEVELS = re.compile(rf"(?:[{_LIST_LEVELS}](?:\([^()]{{1,3}}\))?、?){{1,4}}$")
# A name opening with its levels counted (省、市、县三级…): the levels, and the count
_LEVEL_COUNT = {"两": 2, "三": 3, "四": 4, "五": 5}  # 两级, 三级 … (levels in configs/entities.yaml)
_COUNTED_LEVELS = re.compile(rf"((?:[{_LIST_LEVELS}](?:\([^()]{{1,3}}\))?、?){{0,4}})([{''.join(_LEVEL_COUNT)}])级")
_SHARED_LEVELS_END = _LIST_LEVELS + ")、\n"  # what the text before a match ends with when _SHARED_LEVELS may match
_COUNTED_LEVELS_START = _LIST_LEVELS + "".join(_LEVEL_COUNT)  # what a match opens with when _COUNTED_LEVELS may
_LEVEL_CHARS = re.compile(rf"[{_LIST_LEVELS}](?![^()]*\))")  # the levels of a list, not those in brackets
# Long place names: autonomous areas with their people's name (阿尔金哈萨克自治州) and development zones
_LONG_PLACE = r"[\u4e00-\u9fff]{2,8}?(?:自治州|自治县|自治旗|开发区|高新区|经开区)"
# Quoted names before 系列活动 or 等…行动, with the other quoted names of the chain between: “…”“…”、“…”系列活动,
# “…”“…”等专项执法行动 (each quoted name is a campaign; the shared tail is not part of any)
_SERIES_AFTER = re.compile(r"(?:、?[“「][^“”「」\n]{1,24}[”」])*、?(?:(?:等)?系列[\u4e00-\u9fff]{0,4}活动"
                           r"|等(?:主题|宣传|主题宣传|普法宣传|法治宣传|专项|专项执法|专项整治|集中|联合|联合执法)?"
                           r"(?:行动|活动|整治行动))")
_DIGITS_BEFORE = re.compile(r"(?:19|20)\d\d$")
_YEAR_BEFORE = re.compile(r"(?:19|20)\d\d年度?(?:第[一二三四]季度)?$")
_YEAR_BEFORE_MAX = 12  # longest text _YEAR_BEFORE matches (2024年度第一季度), with room
# A campaign named by its quotes alone takes a prefix of at least this many characters (夏季治安打击整治“百日行动”):
# shorter ones are mostly verbs (选取“…行动”), and the names of a series (“…”“…”系列活动) take none.
_NAMED_ALONE_PREFIX_MIN = 4
# The round of a campaign written before it: 第三轮|中央生态环境保护督察
_ROUND_BEFORE = re.compile(r"第[一二三四五六七八九十\d]{1,3}轮$")
# A sitting of a congress named by its term (县十八届人大|三次会议): a one-off session, not the body
_TERM_SESSION = re.compile(r"[一二三四五六七八九十]{1,3}次(?:全体)?会议")
# Where a gazetteer term may begin is found with a WordIndex from this many of its first characters, so the
# terms are looked for only there
_GAZETTEER_PREFIX = 5


class Match(NamedTuple):
    """An entity found in a text (a tuple: cheap to make by the thousand)."""

    start: int
    end: int
    label: str
    source: str  # which pattern family found it


class EntityPatterns:
    """Compiled pattern layer; build with :meth:`from_config` (a dict as read from the YAML file)."""

    def __init__(self, config: dict) -> None:
        self.config = config
        heads = config["book_title_heads"]
        self._book_heads: dict[int, dict[str, str]] = {}  # head length → head → label, the longest lengths first
        for head, label in sorted(((normalize(h), lab) for lab, words in heads.items() for h in words),
                                  key=lambda x: -len(x[0])):
            self._book_heads.setdefault(len(head), {}).setdefault(head, label)  # the first listed wins
        self._quoted_heads = sorted(
            ((normalize(h), label) for label, words in config["quoted_heads"].items() for h in words),
            key=lambda x: -len(x[0]),
        )
        self._quoted_heads_by_first: dict[str, list[tuple[str, int, str]]] = {}  # first char → (head, rank, label)
        for rank, (head, label) in enumerate(self._quoted_heads):
            if all(head != other for other, _, _ in self._quoted_heads_by_first.get(head[0], ())):  # first listed wins
                self._quoted_heads_by_first.setdefault(head[0], []).append((head, rank, label))
        self._quoted_only = {normalize(t): label for label, terms in config["quoted_only"].items() for t in terms}
        endings = sorted(map(normalize, config.get("quoted_campaign_endings", [])), key=len, reverse=True)
        self._campaign_inside = re.compile(  # a quoted name ending in one of these is a campaign by itself
            r"^[\u4e00-\u9fff·]{2,}(?:" + "|".join(map(re.escape, endings)) + ")$") if endings else None
        self._gazetteer = Trie((normalize(t), label) for label, terms in config["gazetteer"].items() for t in terms)
        gazetteer_terms = {normalize(t) for terms in config["gazetteer"].values() for t in terms}
        inst = config["institution"]
        self._exclude = {normalize(w) for w in inst["exclude"]}
        self._max_body = int(inst["max_body"])
        suffixes = sorted({normalize(s) for s in inst["suffixes"]}, key=len, reverse=True)
        self._strong_suffixes = {normalize(s) for s in inst["strong_suffixes"]}
        blocked_after = {normalize(k): set(normalize(v)) for k, v in inst["blocked_after"].items()}
        self._blocked_after = {
            suffix: set().union(*(chars for key, chars in blocked_after.items() if suffix.endswith(key)))
            for suffix in suffixes
        }
        self._term_blocked_after = {  # a gazetteer institution followed by these is part of a longer word
            term: self._blocked_after[max((x for x in suffixes if term.endswith(x)), key=len)]
            for term in map(normalize, config["gazetteer"].get("INSTITUTION", []))
            if any(term.endswith(x) for x in suffixes)
        }
        self._unblocked = tuple(normalize(w) for w in inst.get("unblocked_after", []))
        self._qualifier_after = Trie((normalize(w), True) for w in inst["qualifier_after"]).to_regex()
        not_heads = dict.fromkeys(normalize(w) for w in inst["not_heads"])
        self._not_heads = {  # suffix → the concept words (格局, 法治政府) a name ending in it may end in
            suffix: tuple(w for w in not_heads if w.endswith(suffix) or suffix.endswith(w)) for suffix in suffixes}
        levels = sorted({normalize(s) for s in inst["levels"]}, key=len, reverse=True)
        places = sorted({normalize(s) for s in inst["place_suffixes"]}, key=len, reverse=True)
        self._level_start = re.compile("|".join(map(re.escape, levels)))
        self._place_re = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:" + "|".join(map(re.escape, places)) + ")|" + _LONG_PLACE)
        self._headed = sorted(((normalize(h), label) for label, words in config.get("headed", {}).items() for h in words),
                              key=lambda x: -len(x[0]))
        self._headed_re = re.compile("|".join(re.escape(h) for h, _ in self._headed)) if self._headed else None
        self._headed_label = dict(self._headed)
        self._year_prefix = bool(config.get("year_prefix"))
        self._headed_min = int(config.get("headed_min_length", 0))
        self._headed_needs_year = {normalize(h) for h in config.get("headed_needs_year", [])}
        honorific = sorted(map(normalize, config.get("honorific_before", [])), key=len, reverse=True)
        self._given_title_re = re.compile(  # an honorific verb, at most a level (省级, 全国), then the title's quote
            "(?:" + "|".join(map(re.escape, honorific)) + r")(?:[省市县区州旗]级|国家级|全国|全省|全市|全县|全区)?\n?“")
        self._words = WordIndex({  # every word list the scan of a text looks for, found in one pass
            "boundary": {*normalize(inst["boundary_chars"]), *map(normalize, inst["boundary_words"])},
            "exception": map(normalize, inst.get("boundary_exceptions", [])),
            "count": (number + counter for number in "0123456789余多几" for counter in _COUNTERS),
            "level": levels,
            "plan_owner": (w for w in map(normalize, config.get("plan_owner_words", [])) if len(w) in (2, 3, 4)),
            "headed_boundary": map(normalize, config.get("headed_boundary_words", [])),
            "institution_boundary": map(normalize, config.get("institution_boundary_words", [])),
            "suffix": suffixes,  # all occurrences, overlapping ones too (市委 inside 市委全面依法治市委员会)
            "gazetteer": self._gazetteer.prefixes(_GAZETTEER_PREFIX),  # where a gazetteer term may begin
            "quoted_head": (head for head, _ in self._quoted_heads),
            # where a match may begin, for the patterns tried only there (:func:`pipeline.trie.matches_at`)
            "headed": self._headed_label,
            "quote": "“「",
            "honorific": honorific,
        })
        headed_blocked = {normalize(k): tuple(normalize(w) for w in v)
                          for k, v in config.get("headed_blocked_after", {}).items()}
        self._blocking_followers = {  # a head word or gazetteer term → the words that make it part of a longer one
            term: tuple(w for head, followers in headed_blocked.items() if term.endswith(head) for w in followers)
            for term in {*self._headed_label, *gazetteer_terms}
        }
        self._typed = {normalize(t) for t in config.get("typed_institutions", [])}
        self._typed_prefix_max = int(config.get("typed_prefix_max", 0))
        self._book_re = re.compile(r"《[^《》\n]{2,80}》")
        tail = int(config.get("max_tail", 8))
        self._quote_re = re.compile(r"[“「]([^“”「」\n]{1,24})[”」]")
        self._tail = tail

    @classmethod
    def from_file(cls, path: str | Path = DEFAULT_PATTERNS) -> "EntityPatterns":
        import yaml

        return cls(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

    # -----------------------------------------------------------------------------------------
    def find(self, text: str, norm: str | None = None) -> list[Match]:
        """Non-overlapping entity matches in ``text`` (offsets into ``text``), in text order."""
        return self._find_folded(normalize(text) if norm is None else norm)

    def find_in_units(self, text: str, units: list[tuple[int, int]], norm: str | None = None) -> list[list[Match]]:
        """Matches in each unit ``(start, end)`` of ``text``, with offsets into ``text``."""
        return self.find_in_documents([(text, units, norm)])[0]

    def find_in_documents(self, documents: list[tuple[str, list[tuple[int, int]], str | None]]) -> list[list[list[Match]]]:
        """Matches in each unit of each document ``(text, units, folded text or None)``, with offsets into its text.

        The units of all the documents are scanned as one text joined by line breaks, which no pattern crosses,
        so the result is what scanning each unit on its own gives, without a pass per unit or per document.
        Line breaks inside a unit (hard-wrapped text) are left out of the scan, so a name may run across them.
        """
        pieces: list[str] = []
        unit_starts: list[int] = []  # for each piece, where its unit starts in its document's text
        origins: dict[int, list[int]] = {}  # for a unit spanning line breaks: its characters' offsets in the text
        for text, units, norm in documents:
            norm = normalize(text) if norm is None else norm
            for start, end in units:
                piece = norm[start:end]
                if "\n" in piece:  # names may run across the breaks of hard-wrapped text
                    piece, origins[len(pieces)] = without_soft_breaks(norm, start, end)
                unit_starts.append(start)
                pieces.append(piece)
        joined_starts = numpy.cumsum([0] + [len(piece) + 1 for piece in pieces[:-1]])
        out: list[list[list[Match]]] = [[[] for _ in units] for _, units, _ in documents]
        found_in = [unit for document in out for unit in document]  # the list of each piece's matches
        matches = self._find_folded("\n".join(pieces))
        in_piece = numpy.searchsorted(joined_starts, [match.start for match in matches], side="right") - 1
        shifts = (numpy.array(unit_starts) - joined_starts)[in_piece]
        for (start, end, label, source), i, shift in zip(matches, in_piece.tolist(), shifts.tolist()):
            if i in origins:
                start, end = span_in_text(start - int(joined_starts[i]), end - int(joined_starts[i]), unit_starts[i],
                                          origins[i])
            else:
                start, end = start + shift, end + shift
            found_in[i].append(Match._make((start, end, label, source)))
        return out

    def _find_folded(self, norm: str) -> list[Match]:
        if '"' in norm:
            norm = _paired_quotes(norm)
        scan = self._scan(norm)
        candidates = self._books(norm) + self._quoted(scan) + self._gazetteer_matches(scan)
        candidates += self._headed_names(scan) + self._institutions(scan)
        resolved = _resolve(candidates, len(norm))
        if self._year_prefix:
            resolved = [self._with_year(norm, m) if m.label in ("PLAN", "CAMPAIGN") else m for m in resolved]
        return self._combine(scan, resolved)

    def _combine(self, scan: "_Scan", matches: list[Match]) -> list[Match]:
        """Rules between neighbouring matches (corpus guide §3).

        One name: a plan named after its owner body (区委理论学习中心组 + 年度学习计划), a plan with its list
        (《…计划》 + 年度任务清单), a body with its sub-unit (县人民法院 + 桐坪派出法庭), a national bureau with its
        local office (国家税务总局 + 察雅尔县税务局), a body with its standing meeting (县市场监管局 + 局务会议). Joined
        to a body that opens with a level: the levels
        written before it that share it (省、|市人大常委会, 省、市、|县三级人民法院); and 中共 or 中国共产. Dropped: honorific
        titles (被评为“全省先进司法所”), 中央 as one level in a list of levels (中央、省、市…部署), and a congress named by
        its term before a session (县十八届人大|三次会议).
        """
        norm = scan.norm
        titles, near_titles = self._given_titles(scan)
        out: list[Match] = []
        for match in matches:
            start, end, label, source = match
            if (near_titles[start] and self._is_honorific(norm, match, titles)) or (
                    end - start == 2 and norm.startswith("中央、省", start)
                    and not norm.startswith(("、省委", "、省政府"), end)):
                continue
            previous = out[-1] if out else None
            if label != "INSTITUTION":
                if (previous is not None and previous.end == start and label == "PLAN"
                        and source != "book" and norm[start] not in "“《「"
                        and (previous.label == "INSTITUTION" or (previous.label == "PLAN" and previous.source == "book"))):
                    out[-1] = Match(previous.start, end, "PLAN", source)
                else:
                    out.append(match)
                continue
            if previous is not None and previous.label == "INSTITUTION":
                if (previous.end == start
                        and (not self._level_start.match(norm, start)  # not 县委|县政府: two bodies
                             or norm.endswith(("会", "会议"), start, end))):  # 县市场监管局|局务会议
                    out[-1] = Match(previous.start, end, "INSTITUTION", source)
                    continue
                if (norm.endswith("总局", previous.start, previous.end)
                        and 0 <= start - previous.end <= 6
                        and scan.bound.find(1, previous.end + 1, start + 1) < 0):
                    out[-1] = Match(previous.start, end, "INSTITUTION", source)  # 国家税务总局|某县税务局
                    continue
            # a body's standing meeting: 依法治县办|会议, 党工委会|议 (委会 took its 会)
            meeting = end - 1 if norm[end - 1] == "会" else end
            if norm.startswith("会议", meeting) and not norm.startswith("会议室", meeting):
                end = meeting + 2
            if norm.find("届", start, end) >= 0 and _TERM_SESSION.match(norm, end):
                continue  # 县十八届人大|三次会议: a session
            if norm.endswith("中共", 0, start):  # 中共|枫陂县委…
                start -= 2
            elif norm[start] == "党" and norm.endswith("中国共产", 0, start):  # 中国共产|党某区委员会
                start -= 4
            shared = (scan.level[start] and start > 0 and norm[start - 1] in _SHARED_LEVELS_END
                      and _SHARED_LEVELS.search(norm, max(0, start - 16), start))
            if shared and scan.bound[shared.start()]:  # 配合|省、市人大常委会, not 长沙市、区…
                start = shared.start()
            counted = norm[start] in _COUNTED_LEVELS_START and _COUNTED_LEVELS.match(norm, start, end)
            if counted and len(_LEVEL_CHARS.findall(counted.group(1))) != _LEVEL_COUNT[counted.group(2)]:
                continue  # 两级政府 names its two levels (县乡两级政府), not one of them (中央和|省两级政府)
            out.append(match if start == match.start and end == match.end else Match(start, end, label, source))
        return out

    def _given_titles(self, scan: "_Scan") -> tuple[set[int], bytearray]:
        """The opening quotes of titles given after an honorific verb (被评为“…”, 授予全国“…”), and those offsets with
        the 14 after each flagged: where a match that :meth:`_is_honorific` may drop can start."""
        titles: set[int] = set()
        near = bytearray(len(scan.norm) + 1)
        for title in matches_at(self._given_title_re, scan.norm, scan.starts["honorific"]):
            opening = title.end() - 1
            titles.add(opening)
            reach = min(opening + 15, len(near))
            near[opening:reach] = b"\x01" * (reach - opening)
        return titles, near

    def _is_honorific(self, norm: str, match: Match, titles: set[int]) -> bool:
        """A match inside quotes after 评为, 命名为 … (被评为“全省先进司法所”), or the type word after such a quoted
        title (被评为省级“枫桥式”|派出所): a title given to someone, not a name. A level (省级, 全国) may come between.
        ``titles`` are the quotes of given titles (:meth:`_given_titles`)."""
        if norm.startswith("”", match.start - 1):
            opening = norm.rfind("“", max(0, match.start - 14), match.start - 1)
        else:
            opening = norm.rfind("“", max(0, match.start - 2), match.start + 1)
            if opening < 0 or "”" not in norm[match.end - 1 : match.end + 2]:
                return False
        return opening in titles

    def _scan(self, norm: str) -> "_Scan":
        """Flag, for every offset, whether a name (an institution; a headed name) may extend left past it,
        whether a level word starts there, and whether a plan owner ends there."""
        size = len(norm) + 1
        codes = numpy.frombuffer(norm.encode("utf-32-le"), dtype=numpy.uint32)
        found = self._words.occurrences(codes)
        bound = numpy.zeros(size, dtype=numpy.uint8)
        bound[0] = 1  # the start of the text (of a unit)
        for length, starts in found["boundary"]:
            bound[starts + length] = 1
        for length, starts in found["exception"]:
            for inside in range(1, length + 1):
                bound[starts + inside] = 0  # 经|济 and 行为| are not boundaries
        for _, starts in found["count"]:
            bound[starts + 2] = 1  # "8个|街道…": a count before a name
        level = numpy.zeros(size, dtype=numpy.uint8)
        for length, starts in found["level"]:
            if length == 1:  # the 局 of 总局/分局 ends a name (国家税务总局|…), it does not open one (局党组)
                before = codes[numpy.maximum(starts - 1, 0)]
                ends_name = (codes[starts] == ord("局")) & ((before == ord("总")) | (before == ord("分"))) & (starts > 0)
                starts = starts[~ends_name]
            after_govern = (codes[numpy.maximum(starts - 1, 0)] == ord("治")) & (starts > 0)
            level[starts[~after_govern]] = 1  # the 县 of 依法治县(委员会) is the object of 治, not a name's level
        owner = numpy.zeros(size, dtype=numpy.uint8)
        for length, starts in found["plan_owner"]:
            owner[starts + length] = 1
        headed_bound = bound.copy()
        for length, starts in found["headed_boundary"]:
            headed_bound[starts + length] = 1
        for length, starts in found["institution_boundary"]:
            bound[starts + length] = 1
        starts_of = {  # sorted offsets where a word of the set starts, for the sets that say where a match may begin
            name: numpy.flatnonzero(_start_flags(found[name], size)).tolist()
            for name in ("gazetteer", "headed", "quote", "honorific")}
        return _Scan(norm=norm, codes=codes, bound=bound.tobytes(), bounds=numpy.flatnonzero(bound.view(bool)),
                     level=level.tobytes(), levels=numpy.flatnonzero(level.view(bool)), owner=owner.tobytes(),
                     headed_bound=headed_bound.tobytes(), quoted_head=_start_flags(found["quoted_head"], size).tobytes(), suffixes=found["suffix"],
                     starts=starts_of)

    def _with_year(self, norm: str, match: Match) -> Match:
        """Take a year written right before a plan or campaign into its name, and a campaign's round (第三轮)."""
        if match.start == 0 or (norm[match.start - 1] not in "年度轮\n" and norm[match.start] != "年"):
            return match  # neither a year (…年, …年度, …季度) nor a round (…轮) can end before it
        round_ = match.label == "CAMPAIGN" and _ROUND_BEFORE.search(norm, max(0, match.start - 5), match.start)
        if round_:
            return Match(round_.start(), match.end, match.label, match.source)
        if norm.startswith("年", match.start):  # the walk stopped at the digits of "2024年度…"
            digits = _DIGITS_BEFORE.search(norm, max(0, match.start - 4), match.start)
            return Match(digits.start(), match.end, match.label, match.source) if digits else match
        year = _YEAR_BEFORE.search(norm, max(0, match.start - _YEAR_BEFORE_MAX), match.start)
        if year is None or year.end() != match.start:
            return match
        return Match(year.start(), match.end, match.label, match.source)

    def _headed_names(self, scan: "_Scan") -> list[Match]:
        out = []
        if self._headed_re is None:
            return out
        norm = scan.norm
        for m in matches_at(self._headed_re, norm, scan.starts["headed"]):
            head, head_start, head_end = m.group(), m.start(), m.end()
            if self._blocked_head(norm, head, head_end):
                continue
            label = self._headed_label[head]
            limit = max(0, head_start - self._max_body)
            start = _last_flag(scan.headed_bound, limit, head_start)
            if label == "PLAN":  # "…局制定的|…规划": the owner is not part of the name
                start = max(start, _last_flag(scan.owner, limit, head_start))
            if head in self._headed_needs_year and not (
                    norm.startswith("年度", start) or _YEAR_BEFORE.search(norm, max(0, start - _YEAR_BEFORE_MAX), start)
                    or (norm.startswith("年", start) and _DIGITS_BEFORE.search(norm, max(0, start - 4), start))):
                continue  # a head that names a campaign only with a year (2024年…案卷评查, 年度…督察)
            if head_start - start >= 2 and head_end - start >= self._headed_min:
                start, end = _with_quotes(norm, start, head_end) if label in ("CAMPAIGN", "PLAN") else (start, head_end)
                if label == "CAMPAIGN" and norm.startswith("活动", end) and not head.endswith("活动"):
                    end += 2  # 生态环境执法大练兵|活动
                out.append(Match._make((start, end, label, "headed")))
        return out

    def _books(self, norm: str) -> list[Match]:
        out = []
        for m in self._book_re.finditer(norm):
            name = m.group()[1:-1]
            label = self._book_head_label(name)
            if label is None and name.endswith(")"):
                label = self._book_head_label(name[: name.rfind("(")] if "(" in name else name)
            if label is not None:
                out.append(Match(m.start(), m.end(), label, "book"))
        return out

    def _book_head_label(self, name: str) -> str | None:
        """The label of the longest book-title head word ``name`` ends with, else None."""
        for length, heads in self._book_heads.items():
            label = heads.get(name[-length:])
            if label is not None:
                return label
        return None

    def _quoted(self, scan: "_Scan") -> list[Match]:
        out = []
        norm = scan.norm
        for m in matches_at(self._quote_re, norm, scan.starts["quote"]):
            end = m.end()
            best_end, label = self._quoted_head(scan, end)
            if label is None:
                label = self._quoted_only.get(m.group(1))
                best_end = end
            series = bool(_SERIES_AFTER.match(norm, end))
            named_alone = label is None and (series or bool(
                self._campaign_inside is not None and self._campaign_inside.search(m.group(1))
                and not norm.endswith("所谓", 0, m.start())))  # 所谓“…”: scare quotes
            series = named_alone and series
            if named_alone:  # a quoted name that is a campaign (“爱国卫生月”), with 活动 after it; “…”“…”系列活动
                label, best_end = "CAMPAIGN", end + 2 if not series and norm.startswith("活动", end) else end
            if label is None:
                continue
            start = m.start() if series else self._extend_left(scan, m.start(), max_chars=8)
            if named_alone and m.start() - start < _NAMED_ALONE_PREFIX_MIN:
                start = m.start()
            if label == "PLAN":  # 县直部门|“八五”普法规划: a generic owner is not part of the name
                start = _last_flag(scan.owner, start, m.start())
            out.append(Match._make((start, best_end, label, "quoted")))
        return out

    def _quoted_head(self, scan: "_Scan", end: int) -> tuple[int | None, str | None]:
        """End and label of the farthest-reaching head word (活动, 行动, 工程 …) within ``max_tail`` characters
        after a quote that ends at ``end``, else ``(None, None)``.

        Only a head's first occurrence counts, and it must come before any boundary and before 系列
        (“…”“…”系列活动: the names only). The heads are looked up by their first character only at the offsets
        where the scan found one starting.
        """
        norm = scan.norm
        window_end = end + self._tail + 8
        last_start = self._tail
        series = norm.find("系列", end, window_end)
        if series >= 0:
            last_start = min(last_start, series - end + 1)
        boundary = scan.bound.find(1, end + 1, end + self._tail + 1)  # punctuation or a boundary word
        if boundary >= 0:
            last_start = min(last_start, boundary - end - 1)
        seen: set[str] = set()
        best: tuple[int, int, str] | None = None  # (end, -rank, label)
        at = scan.quoted_head.find(1, end, end + last_start + 1)
        while at >= 0:
            for head, rank, label in self._quoted_heads_by_first.get(norm[at], ()):
                if head in seen or not norm.startswith(head, at, window_end):
                    continue
                seen.add(head)
                candidate = (at + len(head), -rank, label)
                if best is None or candidate > best:
                    best = candidate
            at = scan.quoted_head.find(1, at + 1, end + last_start + 1)
        return (best[0], best[2]) if best else (None, None)

    def _gazetteer_matches(self, scan: "_Scan") -> list[Match]:
        out = []
        norm = scan.norm
        for start, end, label in self._gazetteer.finditer(norm, scan.starts["gazetteer"]):
            term = norm[start:end]
            if self._blocked_head(norm, term, end):
                continue
            if label == "INSTITUTION" and end < len(norm) and norm[end] in self._term_blocked_after.get(term, ()):
                continue  # 综合行政执法队|伍: a workforce, not the body
            if term in self._typed:
                start = self._proper_name_start(scan, start)
            if label in ("CAMPAIGN", "PLAN"):
                start, end = _with_quotes(norm, start, end)
            out.append(Match._make((start, end, str(label), "gazetteer")))
        return out

    def _blocked_head(self, norm: str, term: str, end: int) -> bool:
        """True when a head word continues into an ordinary word (制度体系, 宪法宣誓)."""
        return norm.startswith(self._blocking_followers[term], end)

    def _proper_name_start(self, scan: "_Scan", start: int) -> int:
        """Extend a typed institution over a short proper name before it (石门|派出所) or a level word (区|市场监督
        管理局), if a boundary comes soon enough, stepping over a level qualifier (村(社区)|公共法律服务室)."""
        qualifier = _LEVEL_QUALIFIER.search(scan.norm, max(0, start - 12), start)
        before = qualifier.start() if qualifier is not None and qualifier.end() == start else start
        boundary = scan.bound.rfind(1, max(0, before - self._typed_prefix_max), before + 1)
        if boundary >= 0 and (before - boundary >= 2 or (before - boundary == 1 and scan.level[boundary])):
            return boundary
        return start

    def _institutions(self, scan: "_Scan") -> list[Match]:
        out = []
        norm = scan.norm
        qualifying: set[int] = set()  # where a body that only qualifies the next word starts
        starts = numpy.concatenate([found for _, found in scan.suffixes] or [numpy.zeros(0, dtype=numpy.int64)])
        if not len(starts):
            return out
        lengths = numpy.concatenate([numpy.full(len(found), length) for length, found in scan.suffixes])
        order = numpy.lexsort((lengths, starts))
        starts, lengths = starts[order], lengths[order]
        longest = numpy.append(starts[1:] != starts[:-1], True)  # the longest suffix starting at each offset
        starts, ends = starts[longest], starts[longest] + lengths[longest]
        stops = self._walk_stops(scan, starts)
        # the first level word at or after each stop (past the text when none): 县|人民法院, 县|公安局
        levels = numpy.append(scan.levels, len(norm) + 1)
        first_levels = levels[numpy.searchsorted(levels, stops)]
        committees: list[int] = []  # the bodies in ``out`` that end in 委
        size = len(norm)
        for suffix_start, end, stop, level in zip(starts.tolist(), ends.tolist(), stops.tolist(), first_levels.tolist()):
            suffix = norm[suffix_start:end]
            if end < size and norm[end] in self._blocked_after[suffix] and not norm.startswith(self._unblocked, end):
                continue  # the start of a longer ordinary word (部门, 委员, 办理)
            # where the name begins: at a level word or a place name right at the stop, else at the first level word
            # inside the walk, else — for strong suffixes such as 委员会 or 中心 — at the stop itself
            if level == stop:
                start = stop
            else:
                place = self._place_re.match(norm, stop)
                if place and place.end() <= end:
                    start = stop
                elif level <= suffix_start:
                    start = level
                elif suffix in self._strong_suffixes and suffix_start - stop >= 2:
                    start = stop
                else:
                    continue
            if end - start < 2:
                continue
            party = norm[end - 1] == "府" and norm.endswith("政府", start, end) and _PARTY_THEN_GOVERNMENT.search(
                norm, start, end)
            if party:  # 县委县政府: two bodies written together, the party committee is found on its own
                start = party.end()
            name = norm[start:end]
            if name in self._exclude or name.endswith(self._not_heads[suffix]):
                continue
            qualifier = self._qualifier_after.match(norm, end)
            if qualifier is not None:
                if norm.startswith("主任会议", end):  # 县人大常委会主任会议: a standing meeting
                    out.append(Match(start, end + 4, "INSTITUTION", "institution"))
                    continue
                if not (norm.startswith("文件", end) and norm[end + 2 : end + 3] in ("", "\n")):  # not 某县人民政府|文件
                    qualifying.add(start)
                    continue
            if norm[end - 1] == "委":
                committees.append(len(out))
            out.append(Match._make((start, end, "INSTITUTION", "institution")))
        # A party committee written with the government it heads shares its role: 市委、市政府|主要负责同志
        for k in reversed(committees):
            if out[k].end in qualifying or (out[k].end + 1 in qualifying and norm[out[k].end] == "、"):
                del out[k]
        return out

    def _walk_stops(self, scan: "_Scan", suffix_starts: numpy.ndarray) -> numpy.ndarray:
        """Where the leftward walk from each suffix start over name characters stops: the nearest boundary
        (punctuation, digits, a verb or function word) within ``max_body`` characters, for all suffixes at once.
        A walk that meets a closing bracket is taken on its own (:meth:`_walk_stop`), to step over level
        qualifiers such as (街道)."""
        limits = numpy.maximum(suffix_starts - self._max_body, 0)
        last = scan.bounds[numpy.searchsorted(scan.bounds, suffix_starts, side="right") - 1]
        stops = numpy.where(last > limits, last, limits)
        closing = ord(")")
        bracketed = (scan.codes[numpy.maximum(suffix_starts - 1, 0)] == closing) | (
            scan.codes[numpy.maximum(stops - 1, 0)] == closing)
        for k in numpy.flatnonzero(bracketed).tolist():
            stops[k] = self._walk_stop(scan, int(suffix_starts[k]))
        return stops

    def _walk_stop(self, scan: "_Scan", suffix_start: int) -> int:
        """:meth:`_walk_stops` for one suffix, stepping over level qualifiers (乡镇(街道)综合行政执法队)."""
        norm = scan.norm
        limit = max(0, suffix_start - self._max_body)
        stop = suffix_start
        while stop > limit:
            if norm[stop - 1] == ")":
                qualifier = _LEVEL_QUALIFIER.search(norm, max(0, stop - 12), stop)
                if qualifier is not None and qualifier.end() == stop:
                    stop = qualifier.start()
                    continue
            boundary = _last_flag(scan.bound, limit, stop)
            if boundary == stop or boundary == limit:
                return boundary
            stop = boundary  # look for a qualifier ending there before stopping
        return stop

    def _extend_left(self, scan: "_Scan", start: int, max_chars: int) -> int:
        """Take a short domain prefix glued before a quote (行政执法“三项制度”), stopping at boundaries."""
        i = start
        while i > 0 and start - i < max_chars:
            ch = scan.norm[i - 1]
            if scan.bound[i] or not ("\u4e00" <= ch <= "\u9fff"):
                break
            i -= 1
        return i


@dataclass(slots=True)
class _Scan:
    """A folded text with its per-offset flags (one byte per offset, ``len(norm) + 1`` of them)."""

    norm: str
    codes: numpy.ndarray  # the code points of ``norm``
    bound: bytes  # a name cannot extend left past this offset
    bounds: numpy.ndarray  # the offsets flagged in ``bound``, in order (0 first)
    level: bytes  # a level word (省 市 区 街道 …) starts here
    levels: numpy.ndarray  # the offsets flagged in ``level``, in order
    owner: bytes  # a plan owner word ends here
    headed_bound: bytes  # a headed name (…制度, …专项行动) cannot extend left past this offset
    quoted_head: bytes  # a head word of quoted names (行动, 规划, 制度 …) starts here
    suffixes: list[tuple[int, numpy.ndarray]]  # (length, start offsets) of the institution suffixes, shortest first
    starts: dict[str, list[int]]  # set name → sorted offsets where a gazetteer term, a head word, a quote … may begin


def _start_flags(occurrences: list[tuple[int, numpy.ndarray]], size: int) -> numpy.ndarray:
    """True at every offset where one of the words found (``(length, start offsets)``, as a WordIndex gives them)
    starts; ``size`` offsets."""
    flags = numpy.zeros(size, dtype=bool)
    for _, starts in occurrences:
        flags[starts] = True
    return flags


def _last_flag(flags: bytes, limit: int, position: int) -> int:
    """The last flagged offset in ``(limit, position]``, else ``limit``: where a leftward walk stops."""
    found = flags.rfind(1, limit + 1, position + 1)
    return found if found >= 0 else limit


def _paired_quotes(text: str) -> str:
    """Straight double quotes (typed, or from plain-text exports) as the curly ones they stand for, paired left to
    right within each line: "八五"普法规划 → “八五”普法规划. An unpaired last one stays; the length is kept."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        parts = line.split('"')
        if len(parts) > 2:
            marks = ["“", "”"] * ((len(parts) - 1) // 2) + ['"'] * ((len(parts) - 1) % 2)
            lines[k] = parts[0] + "".join(mark + part for mark, part in zip(marks, parts[1:]))
    return "\n".join(lines)


def _with_quotes(norm: str, start: int, end: int) -> tuple[int, int]:
    """Take the quotes around a name (“安全生产月”) or a quoted date before it (“5·12”全国防灾减灾日)."""
    if start > 0 and end < len(norm) and norm[start - 1] in "“「" and norm[end] in "”」":
        return start - 1, end + 1
    if start > 0 and norm[start - 1] in "”」":
        opening = max(norm.rfind("“", max(0, start - 12), start - 1), norm.rfind("「", max(0, start - 12), start - 1))
        if opening >= 0 and not any(ch in norm[opening + 1 : start - 1] for ch in "”」"):
            return opening, end
    return start, end


def _resolve(candidates: list[Match], size: int) -> list[Match]:
    """Keep non-overlapping matches in a text of ``size`` characters: the longest span wins, then the more
    specific family, then the earlier. A candidate that overlaps no other is kept without contending; the
    orders are numpy sorts (stable, so ties keep the candidates' order)."""
    if not candidates:
        return []
    count = len(candidates)
    starts_at, ends_at, _, sources = zip(*candidates)
    starts, ends = numpy.array(starts_at, dtype=numpy.int64), numpy.array(ends_at, dtype=numpy.int64)
    ranks = numpy.fromiter(map(_PRIORITY.__getitem__, sources), dtype=numpy.int64, count=count)
    by_start = numpy.lexsort((ends, starts))
    reach = numpy.maximum.accumulate(ends[by_start])  # the farthest end of the candidates up to each
    alone = numpy.ones(count, dtype=bool)
    alone[1:] &= starts[by_start[1:]] >= reach[:-1]  # nothing before it reaches into it
    alone[:-1] &= ends[by_start[:-1]] <= starts[by_start[1:]]  # and it does not reach into the next
    contested = numpy.sort(by_start[~alone])
    contested = contested[numpy.lexsort((starts[contested], ranks[contested], starts[contested] - ends[contested]))]
    taken = by_start[alone].tolist()
    occupied = bytearray(size)
    for k in contested.tolist():
        start, end = starts_at[k], ends_at[k]
        if occupied.find(1, start, end) < 0:
            taken.append(k)
            occupied[start:end] = b"\x01" * (end - start)
    taken.sort(key=starts_at.__getitem__)
    return [candidates[k] for k in taken]
