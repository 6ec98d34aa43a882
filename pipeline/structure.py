"""Document structure on plain strings: title, headings, enumerations, signature, date, page furniture.

Cuts a report into the units of the annotation guidelines (§1) with character offsets into the text
as given. Matching runs on a same-length normalised copy (full-width forms folded, traditional
characters mapped to simplified), so offsets never move. Knows nothing of spaCy.

Run ``python -m pipeline.structure FILE`` to print the units of a file.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice

KINDS = ("title", "heading", "body", "signature", "date", "furniture")

_NUM = "一二三四五六七八九十"
_TERMINATORS = "。!?;"  # after normalisation: ！？； are folded to !?;
_CLOSERS = "”’」』)】》\"'"
_SEPARATORS = ",，。、;:!?“‘(「《"  # after normalisation; an enumerator after anything else is glued
_SPACE = " \t\r\f\v\u3000\xa0\u2002\u2003\u200b\ufeff"  # \f: pdftotext's page break
_NO_SPACE = str.maketrans("", "", _SPACE)

# Heading markers by rank: 第X部分 > 一、 > （一） > 1. > （1） > ①.
_HEADING_MARKERS = (
    (0, re.compile(rf"^第[{_NUM}]{{1,3}}(?:部分|章|篇)")),
    (1, re.compile(rf"^[{_NUM}]{{1,3}}(?:、|\.(?!\d))")),
    (2, re.compile(rf"^\([{_NUM}]{{1,3}}\)")),
    (3, re.compile(r"^\d{1,2}(?:、|\.(?!\d))")),
    (4, re.compile(r"^\(\d{1,2}\)")),
    (5, re.compile(r"^[\u2460-\u2473]")),
)
# Enumerators that may open a unit after a colon.
_ENUMERATOR = re.compile(
    rf"[{_NUM}]{{1,3}}是|\d{{1,2}}(?:、|\.(?!\d))|\(\d{{1,2}}\)|\([{_NUM}]{{1,3}}\)|[\u2460-\u2473]"
    rf"|第[{_NUM}]{{1,3}}[,、]|[{_NUM}]{{1,3}}(?:、|\.(?!\d))"
)
_NTH_IS = re.compile(rf"(?<![{_NUM}])([{_NUM}]{{1,3}})是")
# Characters that make "一是" part of a word (之一是, 统一是, 唯一是 …) rather than an enumerator.
_NOT_ENUM_BEFORE_ONE = set("之统唯同单划专万逐归第合")
# A deeper heading marker glued to a heading: （四）推进……执法1.深化……, 一、……情况（一）强化……
_GLUED_SUBITEM = re.compile(rf"\(\d{{1,2}}\)|\([{_NUM}]{{1,3}}\)|[\u2460-\u2473]|(?<![\d.])\d{{1,2}}(?:\.(?!\d)|、)")

_FURNITURE_PREFIX = re.compile(
    r"^[\[【]?(?:来源|信息来源|文章来源|稿源|发布时间|发布日期|发布机构|时间|浏览次数|浏览量|点击数|点击量|阅读次数|阅读量|"
    r"访问量|访问次数|责任编辑|编辑|作者|索引号|发文机关|发布机关|成文日期|发文字号|文号|主题分类|分类|字号|字体|"
    r"主办|主办单位|承办|承办单位|协办|技术支持|网站标识码)\s*[:\]】]"
)
_FURNITURE_ANYWHERE = re.compile(
    r"扫一扫|在手机打开|手机扫码|分享到|打印本页|关闭窗口|打印此页|[\[【]\s*(?:打印|关闭|大|小)\s*[\]】]|上一篇|下一篇|"
    r"当前位置|您现在的位置|首页\s*[>›»]|网站地图|版权所有|主办单位|ICP备|返回顶部|收藏本页|简体版|繁体版|无障碍"
)
# Whole lines that are page furniture: document numbers, page numbers, red headers, distribution lines.
_FURNITURE_LINE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号"  # 河政发〔2020〕7号
    r"|[-－—–~]\s*\d{1,3}\s*[-－—–~]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?"  # - 2 -, 第2页
    r"|[\u4e00-\u9fff]{2,24}文件"  # 县人民政府文件 (red header)
    r"|\(此[件页][\u4e00-\u9fff]{2,8}\)"  # (此件公开发布), (此页无正文)
    r"|(?:抄送|抄报|主送|印发)[:：].*|.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发"
    r"|(?:[^|>]{1,20}[|>]){2,}[^|>]{1,30})$"  # breadcrumbs and menus: a > b > c, a | b | c
)
# Cells of a table row flattened to a line: split by tabs, by runs of spaces (PDF text) or by bars (a web page's
# table as trafilatura writes it: | 类别 | 件数 |)
_TABLE_CELLS = re.compile(r"\S(?:\t+| {2,}| ?\| ?)\S")
# A table's header row with its cells one space apart (序号 指标名称 年度目标 完成情况): three cells or more
_SPACED_CELLS = re.compile(r"[^\s。;!?]+(?: [^\s。;!?]+){2,}$")
_FURNITURE_SHORT_LINE = 40  # "anywhere" cues count only on short lines (not "推行扫码入企" in a paragraph)
_DATE = (r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}日)?"
         r"|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
_DATE_LINE = re.compile(rf"^\(?(?:{_DATE}|20\d{{4,6}})\)?$")  # also a mangled date alone: 2025228
# A closing line with the signing body and the date on one line: 桐溪县人民政府　2025年1月20日
_DATE_AT_END = re.compile(rf"\(?(?:{_DATE})\)?$")
_SIGNED_LINE_MAX = 60  # a signer of up to 40 characters, a date and the spaces between
_ORG_SUFFIX = re.compile(
    r"(?:委员会|人民政府|政府|党委|党组|党工委|局|办公室|办|委|院|所|中心|乡|镇|街道办事处|街道|队|厅|会|部|组|处|站)$"
)
# A closing line naming the signatory after the body and post: 祁良县人民政府县长　程志远, 中共青禾镇委员会书记　韩立新.
_SIGNATORY = re.compile(r"(?:书记|县长|区长|市长|镇长|乡长|旗长|州长|省长|局长|厅长|主任|部长|组长|院长|所长|负责人) ?[\u4e00-\u9fff]{2,4}$")
_MEASUREMENT = re.compile(r"\d+(?:\.\d+)?\s*(?:件|人次|人|次|个|项|场|家|%|万元|亿元|元|宗|起|条|份|余)")
_TITLE_WORDS = re.compile(r"报告|情况|总结|工作要点|述法")
_TITLE_ENDING = re.compile(r"(?:报告|总结|工作要点|情况)(?:\([^()]*\))?$")


@dataclass(frozen=True)
class Unit:
    """One unit of the guidelines: ``text[start:end]``, its kind and the headings above it."""

    start: int
    end: int
    kind: str
    heading_path: tuple[str, ...] = ()
    heading_level: int | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind in ("title", "heading")


@dataclass
class Structure:
    """The structure of one document: its title (if any) and its units in text order."""

    title: str | None
    units: list[Unit] = field(default_factory=list)


@dataclass
class _Line:
    start: int  # offsets of the stripped line in the text
    end: int
    norm: str  # normalised, stripped line text
    skippable: bool  # only punctuation: no unit of its own


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    """Same-length folding: full-width ASCII to ASCII, ideographic space to space, traditional to simplified."""
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    try:
        from importlib.resources import files

        path = files("opencc") / "dictionary" / "TSCharacters.txt"
        for row in path.read_text(encoding="utf-8").splitlines():
            trad, _, simp = row.partition("\t")
            simp = simp.split(" ")[0]
            if len(trad) == 1 and len(simp) == 1 and trad != simp:
                table[ord(trad)] = ord(simp)
    except (ModuleNotFoundError, FileNotFoundError):  # folding of traditional characters is optional
        pass
    return table


@lru_cache(maxsize=1)
def _fold_lookup():
    """The folding table as an array indexed by code point, up to the highest folded character."""
    import numpy

    table = _fold_table()
    lookup = numpy.arange(max(0x10000, max(table) + 1), dtype=numpy.uint32)
    for source, target in table.items():
        lookup[source] = target
    return lookup


def normalize(text: str) -> str:
    """Return a copy of ``text`` of the same length, for matching only (offsets stay valid)."""
    if len(text) < 256:  # short strings: str.translate is quicker than setting up arrays
        folded = text.translate(_fold_table())
        assert len(folded) == len(text)
        return folded
    import numpy

    lookup = _fold_lookup()
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    folded = numpy.where(codes < len(lookup), lookup[numpy.minimum(codes, len(lookup) - 1)], codes)
    return folded.tobytes().decode("utf-32-le")


def _is_skippable(span: str) -> bool:
    """Whitespace-only and punctuation-only spans are not units."""
    return all(ch.isspace() or unicodedata.category(ch)[0] in "PZ" or ch in "\ufeff\u200b" for ch in span)


def _lines(text: str, norm: str) -> list[_Line]:
    """The text's non-empty lines, stripped, with those of punctuation only marked."""
    lines = []
    pos = 0
    length = len(text)
    while pos <= length:
        nl = text.find("\n", pos)
        end = length if nl < 0 else nl
        start, stop = pos, end
        while start < stop and norm[start] in _SPACE:
            start += 1
        while stop > start and norm[stop - 1] in _SPACE:
            stop -= 1
        if stop > start:
            lines.append(_Line(start, stop, norm[start:stop], _is_skippable(text[start:stop])))
        if nl < 0:
            break
        pos = nl + 1
    return lines


def soft_break_at(text: str, i: int) -> bool:
    """Whether offset ``i`` of a unit spanning line breaks (hard-wrapped text) is part of a break: the line
    break itself or a space (a page break \\f) next to it. Works on the text and on its folded copy."""
    ch = text[i]
    if ch == "\n":
        return True
    if ch not in _SPACE:
        return False
    after = i
    while after < len(text) and text[after] in _SPACE:
        after += 1
    before = i
    while before > 0 and text[before - 1] in _SPACE:
        before -= 1
    return (after < len(text) and text[after] == "\n") or (before > 0 and text[before - 1] == "\n")


def without_soft_breaks(text: str, start: int, end: int) -> tuple[str, list[int] | None]:
    """A unit ``text[start:end]`` without the line breaks of hard-wrapped text, for matching and features,
    and the offset in ``text`` of every character kept (None when the unit has no break)."""
    piece = text[start:end]
    if "\n" not in piece:
        return piece, None
    kept = [i for i in range(start, end) if not soft_break_at(text, i)]
    return "".join(text[i] for i in kept), kept


def span_in_text(start: int, end: int, unit_start: int, kept: list[int] | None) -> tuple[int, int]:
    """Offsets in the text of the span ``[start, end)`` of a unit read by :func:`without_soft_breaks` (which gave
    ``kept``) from ``unit_start`` on."""
    if kept is None:
        return unit_start + start, unit_start + end
    return kept[start], kept[end - 1] + 1


def one_line(text: str, start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` (a unit, an entity; the text or its folded copy) without the line breaks of
    hard-wrapped text: for matching, features and display."""
    return without_soft_breaks(text, start, len(text) if end is None else end)[0]


def _display_width(line: str) -> int:
    """Columns a line takes in Chinese typesetting: ASCII counts one, everything else (CJK, full-width forms,
    quotes and dashes) two."""
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


def _layout_width(text: str, end: int) -> int:
    """Display width of the physical line that ends at ``end``, its indentation included."""
    return _display_width(text[text.rfind("\n", 0, end) + 1 : end])


def _wrap_width(text: str, lines: list[_Line]) -> int | None:
    """The column at which a text was hard-wrapped (text copied out of a PDF, pdftotext output), or None.

    A text is wrapped when many long lines share one display width and most of them stop mid-sentence.
    Reports with a paragraph per line (web pages, word processors) have lines of every length.
    """
    long_lines = [line for line in lines if len(line.norm) >= 12]
    if len(long_lines) < 8:
        return None
    widths = [_layout_width(text, line.end) for line in long_lines]
    counts = Counter(widths)
    widest = max(counts, key=lambda w: (sum(counts[v] for v in range(w - 2, w + 1)), w))
    at_margin = [line for line, w in zip(long_lines, widths) if widest - 2 <= w <= widest]
    open_ended = sum(1 for line in at_margin if line.norm[-1] not in _TERMINATORS + _CLOSERS + ":")
    if len(at_margin) < max(6, 0.3 * len(long_lines)) or open_ended < 0.6 * len(at_margin):
        return None
    return widest


def _soft_breaks(text: str, lines: list[_Line]) -> list[tuple[int, int]]:
    """The line breaks of a hard-wrapped text that fall inside a paragraph, as ``(start, end)`` spans (the
    break with the spaces and form feeds around it): empty when the text is not wrapped.

    A line continues the one before it when that one reaches the wrap margin, no blank line comes
    between, and it is not indented, page furniture, a date or the start of a heading or an item
    (:func:`_opens_block`). A line of punctuation only (a 。 pushed onto a line of its own) continues
    the line before it whenever that one reaches the margin.
    """
    width = _wrap_width(text, [line for line in lines if not line.skippable])
    if width is None:
        return []
    breaks = []
    first, length = lines[0], len(lines[0].norm)  # the paragraph so far: its first line and its length
    for previous, line in zip(lines, lines[1:]):
        continues = (
            _layout_width(text, previous.end) >= width - 4
            and text.count("\n", previous.end, line.start) == 1
            and not text[text.rfind("\n", 0, line.start) + 1 : line.start].strip("\f\v")  # indented: a new paragraph
            and not _is_furniture(first.norm)
            and (line.skippable or not (_is_furniture(line.norm) or _is_date(line.norm)
                                   or _opens_block(first.norm, length, previous.norm, line.norm)))
        )
        if continues:
            breaks.append((previous.end, line.start))
            length += len(line.norm)
        else:
            first, length = line, len(line.norm)
    return breaks


def _opens_block(paragraph_start: str, paragraph_length: int, previous: str, line: str) -> bool:
    """Whether a line starting with a heading marker or an item (一、 （一） 1. 一是) opens one: unless it
    continues a sentence of running text cut mid-clause (明确“多表合 | 一、一网申请…). The paragraph so far
    is given by its first line and its length, ``previous`` is its last line."""
    if heading_rank(line) is None and not _NTH_IS.match(line):
        return False
    mid_sentence = previous[-1] not in _TERMINATORS + _CLOSERS + ":"
    paragraph_is_heading = heading_rank(paragraph_start) is not None and paragraph_length <= 60
    return not (mid_sentence and not paragraph_is_heading)


def heading_rank(norm_segment: str) -> int | None:
    """Rank of the heading marker that opens a (normalised) segment, or None."""
    for rank, pattern in _HEADING_MARKERS:
        if pattern.match(norm_segment):
            return rank
    return None


def _is_furniture(norm_line: str) -> bool:
    compact = norm_line.replace(" ", "")
    # a web page's metadata table, as a table row: | 索引号： | … | 主题分类： | … |
    if _FURNITURE_PREFIX.match(compact.lstrip("|")) or _FURNITURE_LINE.match(compact):
        return True
    return len(compact) <= _FURNITURE_SHORT_LINE and bool(_FURNITURE_ANYWHERE.search(compact))


def _is_date(norm_line: str) -> bool:
    return bool(_DATE_LINE.match(norm_line.replace(" ", "")))


def _names_signer(norm_line: str) -> bool:
    """A short line naming a body (…人民政府, …司法局) or a signatory after their post (…县长　程志远)."""
    compact = norm_line.replace(" ", "")
    return 2 <= len(compact) <= 40 and bool(_ORG_SUFFIX.search(compact) or _SIGNATORY.search(norm_line))


def _is_signed_date(norm_line: str) -> bool:
    """A body (or its signatory) and a date on one line, as a signature is often written."""
    line = norm_line.strip()
    date = _DATE_AT_END.search(line) if len(line) <= _SIGNED_LINE_MAX else None
    return date is not None and _names_signer(line[: date.start()].rstrip())


def _has_terminator(norm: str) -> bool:
    return any(ch in norm for ch in _TERMINATORS)


def _cut_points(norm: str) -> list[int]:
    """Positions (relative to the line) where a unit ends: after terminators and colons before enumerators."""
    cuts = []
    i, n = 0, len(norm)
    while i < n:
        ch = norm[i]
        if ch in _TERMINATORS:
            j = i + 1
            while j < n and (norm[j] in _CLOSERS or norm[j] in _TERMINATORS):
                j += 1
            cuts.append(j)
            i = j
            continue
        if ch == ":":
            j = i + 1
            while j < n and norm[j] == " ":
                j += 1
            if _ENUMERATOR.match(norm, j):
                cuts.append(i + 1)
        i += 1
    return cuts


def _glued_enumerator_cuts(norm: str, segments: list[tuple[int, int]], state: dict) -> list[int]:
    """Cuts before enumerators glued to the preceding text without punctuation.

    "（三）持续推进……执法一是开展……" is cut before 一是 because the text before it is a heading;
    "……典型案例二是……" is cut because 二是 continues an enumeration begun earlier in the block.
    ``state["last"]`` carries the last enumerator number seen in the current block.
    """
    cuts = []
    for seg_start, seg_end in segments:
        segment = norm[seg_start:seg_end]
        lead = segment.lstrip(_SPACE)
        head_match = _NTH_IS.match(lead)
        if head_match:
            state["last"] = _numeral(head_match.group(1))
        is_heading_segment = heading_rank(lead) is not None
        numbers = [(m, _numeral(m.group(1))) for m in _NTH_IS.finditer(segment)]
        for index, (match, number) in enumerate(numbers):
            pos = match.start()
            if pos == 0 or pos == len(segment) - len(segment.lstrip(_SPACE)):
                continue
            before = segment[pos - 1]
            if before in _SEPARATORS:
                if number:
                    state["last"] = number
                continue
            if number == 1:
                if before in _NOT_ENUM_BEFORE_ONE:
                    continue
                follows = any(n == 2 for _, n in numbers[index + 1 :])
                glued = is_heading_segment or follows
            else:
                glued = number is not None and state.get("last") == number - 1
            if glued:
                cuts.append(seg_start + pos)
                state["last"] = number
        if is_heading_segment:
            marker = heading_rank(lead)
            for sub in _GLUED_SUBITEM.finditer(segment, 2):
                before = segment[sub.start() - 1]
                if "\u4e00" <= before <= "\u9fff" and (heading_rank(segment[sub.start():]) or 0) > marker:
                    cuts.append(seg_start + sub.start())
                    break
    return cuts


def _numeral(chars: str) -> int | None:
    values = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if chars == "十":
        return 10
    if len(chars) == 1:
        return values.get(chars)
    if len(chars) == 2 and chars[0] == "十":
        return 10 + values.get(chars[1], 0)
    if len(chars) == 2 and chars[1] == "十":
        return values.get(chars[0], 0) * 10
    if len(chars) == 3 and chars[1] == "十":
        return values.get(chars[0], 0) * 10 + values.get(chars[2], 0)
    return None


def _segments(line: _Line, state: dict) -> list[tuple[int, int]]:
    """Cut one line into segments (offsets relative to the line start), dropping empty ones."""
    norm = line.norm
    cuts = sorted(set(_cut_points(norm)))
    bounds = [0, *cuts, len(norm)]
    segments = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    glued = _glued_enumerator_cuts(norm, segments, state)
    if glued:
        bounds = sorted(set(bounds) | set(glued))
        segments = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    return segments


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _SPACE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _SPACE):
        end -= 1
    return start, end


def is_title_line(norm: str) -> bool:
    """Whether a line seen alone has a report title's shape: no sentence punctuation, ending in 报告, 总结 …"""
    return _looks_like_title(norm) and bool(_TITLE_ENDING.search(norm))


def _looks_like_title(norm: str) -> bool:
    return len(norm) <= 80 and not _has_terminator(norm) and heading_rank(norm) is None and not norm.endswith(":")


def _is_unmarked_heading(line: _Line, next_line: _Line | None) -> bool:
    norm = line.norm
    return (
        next_line is not None
        and len(norm) <= 25
        and not _TABLE_CELLS.search(norm)  # a row of a table flattened to one line
        and not _has_terminator(norm)
        and not norm.endswith((":", ",", "、"))
        and not _MEASUREMENT.search(norm)
        and (_has_terminator(next_line.norm) or len(next_line.norm) > 40)
    )


def _is_caption(line: _Line, next_line: _Line | None) -> bool:
    """A table's caption: a short line without sentence punctuation right before a table row (表1　主要指标完成情况)."""
    norm = line.norm
    return (
        next_line is not None
        and len(norm) <= 40
        and bool(_TABLE_CELLS.search(next_line.norm) or _SPACED_CELLS.match(next_line.norm))
        and not (_TABLE_CELLS.search(norm) or _SPACED_CELLS.match(norm))
        and not _has_terminator(norm)
        and not norm.endswith((":", ",", "、"))
    )


def analyze(text: str, norm: str | None = None) -> Structure:
    """Cut ``text`` into units with kinds and heading paths; find the title. ``norm`` is
    ``normalize(text)`` if the caller has it already.

    A hard-wrapped text is analysed with the line breaks inside its paragraphs taken out
    (:func:`_soft_breaks`); its units span those breaks, with offsets into ``text`` as always.
    """
    norm = normalize(text) if norm is None else norm
    lines = _lines(text, norm)
    breaks = _soft_breaks(text, lines)
    if not breaks:
        return _analyze(text, norm, lines)
    kept = [(0, breaks[0][0])] + [(a[1], b[0]) for a, b in zip(breaks, breaks[1:])] + [(breaks[-1][1], len(text))]
    compact_starts = list(accumulate((end - start for start, end in kept[:-1]), initial=0))

    def original(offset: int) -> int:  # a character of the compact text -> its offset in text
        k = bisect_right(compact_starts, offset) - 1
        return kept[k][0] + offset - compact_starts[k]

    compact, compact_norm = "".join(text[a:b] for a, b in kept), "".join(norm[a:b] for a, b in kept)
    structure = _analyze(compact, compact_norm, _lines(compact, compact_norm))
    units = [Unit(original(u.start), original(u.end - 1) + 1, u.kind, u.heading_path, u.heading_level)
             for u in structure.units]
    return Structure(title=structure.title, units=units)


def _analyze(text: str, norm: str, lines: list[_Line]) -> Structure:
    lines = [line for line in lines if not line.skippable]
    kinds: list[str | None] = [None] * len(lines)

    for i, line in enumerate(lines):
        if _is_furniture(line.norm):
            kinds[i] = "furniture"
        elif _is_date(line.norm):
            kinds[i] = "date"
        elif _is_signed_date(line.norm):
            kinds[i] = "signature"

    # The closing block: lines after the last line that reads as running text (or a table row: a task table at
    # the end of a report is no signature, though its rows end with the bodies in charge).
    last_body = -1
    for i, line in enumerate(lines):
        if kinds[i] is None and (_has_terminator(line.norm) or len(line.norm) > 40 or heading_rank(line.norm) is not None
                                 or _TABLE_CELLS.search(line.norm)):
            last_body = i
    for i in range(last_body + 1, len(lines)):
        if kinds[i] is None and _names_signer(lines[i].norm):
            kinds[i] = "signature"

    # The title: the first content lines, short and without sentence punctuation.
    title_lines: list[int] = []
    for i, line in enumerate(lines):
        if kinds[i] in ("furniture", "date"):
            continue
        if not title_lines:
            if kinds[i] is None and _looks_like_title(line.norm) and i < last_body:
                title_lines.append(i)
                continue
            break
        previous = lines[title_lines[-1]].norm
        subtitle = line.norm.startswith(("(", "——", "—")) and len(line.norm) <= 60 and not _has_terminator(line.norm)
        continuation = (
            len(title_lines) < 3
            and _looks_like_title(line.norm)
            and len(line.norm) <= 60
            and not _TITLE_WORDS.search(previous)
            and _TITLE_WORDS.search(line.norm)
        )
        if kinds[i] is None and (subtitle or continuation):
            title_lines.append(i)
            continue
        break
    for i in title_lines:
        kinds[i] = "title"
    # A later line that repeats the title is a running page header (text taken from a PDF).
    title_key = "".join(lines[i].norm for i in title_lines).translate(_NO_SPACE)
    for i, line in enumerate(lines):
        if kinds[i] is None and title_key and line.norm.translate(_NO_SPACE) == title_key:
            kinds[i] = "furniture"

    units: list[Unit] = []
    stack: list[tuple[int, str]] = []  # (rank, heading text)
    state: dict = {}
    bare_rank = None  # the rank of the previous line when it was a numbered item with nothing under it
    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind is not None:
            path = ()
            units.append(Unit(line.start, line.end, kind, path, None))
            continue
        previous_bare_rank, bare_rank = bare_rank, None
        segments = _segments(line, state)
        next_line = next((lines[j] for j in range(i + 1, len(lines)) if kinds[j] is None), None)
        line_heading_rank = None  # a heading that opens this line may have a deeper one glued to it
        for index, (a, b) in enumerate(segments):
            start, end = _strip(text, line.start + a, line.start + b)
            if end <= start or _is_skippable(text[start:end]):
                continue
            seg_norm = norm[start:end]
            rank = heading_rank(seg_norm)
            if index > 0 and not (line_heading_rank is not None and rank is not None and rank > line_heading_rank):
                rank = None
            line_heading_rank = None
            is_heading = False
            if rank is not None:
                whole_line = len(segments) == 1
                ends_sentence = (seg_norm[-1] in _TERMINATORS or seg_norm.rstrip(_CLOSERS)[-1:] in _TERMINATORS
                                 or (seg_norm.endswith(".") and not seg_norm[-2:-1].isdigit()))  # 审核合同47份.
                if whole_line and not ends_sentence and len(seg_norm) <= 50 and not _MEASUREMENT.search(seg_norm):
                    # A numbered line opens a block, unless it is one of a run of items with nothing under any of them
                    # (1.…\n2.…\n3.…: tasks, not headings): the next line and the one after it are sibling or higher
                    # items, or the item before it was such a one. An empty part heading before a numbered section
                    # (二、今年的主要任务\n三、深化改革\n推进…) stays a heading, and so does a line alone.
                    following = (lines[j] for j in range(i + 1, len(lines)) if kinds[j] is None)
                    after = [heading_rank(other.norm) for other in islice(following, 2)]
                    bare = (len(after) == 2 and all(r is not None and r <= rank for r in after)) or previous_bare_rank == rank
                    is_heading = not bare
                    if bare:  # a sibling of the items before it: it leaves their blocks, as a heading would
                        bare_rank = rank
                        while stack and stack[-1][0] >= rank:
                            stack.pop()
                elif not whole_line and len(seg_norm) <= 40 and (seg_norm.endswith(("。", ":")) or not ends_sentence):
                    is_heading = True
                elif whole_line and ends_sentence and len(seg_norm) <= 30:
                    # A short numbered sentence opens a block unless the next line is a sibling or higher item.
                    next_rank = heading_rank(next_line.norm) if next_line else None
                    is_heading = next_line is not None and (next_rank is None or next_rank > rank)
            elif index == 0 and len(segments) == 1 and _is_caption(line, next_line):
                # heads the table below it only: it opens no block, so the text after the table keeps its path
                units.append(Unit(start, end, "heading", tuple(t for _, t in stack), stack[-1][0] + 1 if stack else 1))
                continue
            elif index == 0 and len(segments) == 1 and _is_unmarked_heading(line, next_line):
                rank = 1 if not any(r == 1 for r, _ in stack) else 2
                is_heading = True
            if is_heading:
                line_heading_rank = rank
                while stack and stack[-1][0] >= rank:
                    stack.pop()
                units.append(Unit(start, end, "heading", tuple(t for _, t in stack), rank))
                stack.append((rank, text[start:end]))
                state.clear()
            else:
                units.append(Unit(start, end, "body", tuple(t for _, t in stack), None))

    title = "".join(text[lines[i].start : lines[i].end].strip() for i in title_lines) or None
    return Structure(title=title, units=units)


def main(argv: list[str] | None = None) -> int:
    """Print the units of a file, one per line: id, start, end, kind, text."""
    import argparse
    import json

    from .io import InputError, read_path

    parser = argparse.ArgumentParser(prog="python -m pipeline.structure", description=main.__doc__)
    parser.add_argument("path")
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines (start, end, kind, text, heading_path)")
    args = parser.parse_args(argv)
    try:
        source = read_path(args.path)
    except InputError as err:
        print(f"error: {err}")
        return 2
    structure = analyze(source.text)
    for index, unit in enumerate(structure.units):
        unit_text = source.text[unit.start : unit.end]
        if args.jsonl:
            row = {"start": unit.start, "end": unit.end, "kind": unit.kind, "text": unit_text,
                   "heading_path": list(unit.heading_path)}
            print(json.dumps(row, ensure_ascii=False))
        else:
            unit_line = one_line(source.text, unit.start, unit.end)  # a wrapped unit on one line
            print(f"{index}\t{unit.start}\t{unit.end}\t{unit.kind}\t{unit_line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
