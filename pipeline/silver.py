"""Silver function labels from document structure, for reports nobody has annotated.

Reports announce what they are doing: sections headed 成效/做法/回顾 hold achievements, sections headed
不足/问题 hold shortcomings, sections headed 打算/计划/建议 hold plans; inside a section, a paragraph
opening with "也要清醒看到……问题" turns to shortcomings, one opening with "下一步"/"2025年，我区将" turns to
plans; the problems such a paragraph announces go on in the next paragraphs while they name problems
("一是…矛盾突出。" "二是…滞后。"), and a sentence inside a review paragraph that concedes one ("但…仍…") is a
shortcoming. Reports review first and plan after: once a review section has passed, a later section that
announces nothing is taken as plans (a government work report's 二、…总体部署, 三、…重点工作).
``label_text`` applies those cues to the units found by :mod:`pipeline.structure`; a unit the
structure says nothing about gets no label (``None``) rather than a guess. Titles, headings,
signatures, dates, furniture and reporting formulas are ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .structure import analyze, normalize, one_line

_SHORTCOMING_HEAD = re.compile(r"不足|问题|差距|短板|困难|薄弱|挑战|教训")
_PLAN_HEAD = re.compile(r"打算|计划|安排|思路|下一步|展望|今后|明年|建议|任务|目标|要求|政策取向|(?:19|20)\d\d年.{0,6}工作$|重点工作")
_ACHIEVEMENT_HEAD = re.compile(r"成效|成绩|成果|做法|举措|进展|回顾|主要工作|取得|情况|完成|亮点|经验")
_SHORTCOMING_OPENER = re.compile(
    r"^(?:同时|但是?|然而|当然|我们也|我们还|也要|也应|还要|必须|应当)?.{0,12}(?:清醒|看到|认识到|正视|存在|不足|差距|短板)"
)
# "在充分肯定成绩的同时，我们也清醒地看到…": the turn to problems, wherever the first clause puts it
_SHORTCOMING_TURN = re.compile(r"^.{0,40}(?:清醒(?:地)?(?:看到|认识到|意识到)|(?:也|还|更)(?:要|应|必须)?(?:看到|认识到)|正视)")
# a sentence inside a review paragraph that concedes a problem
_CONCESSION = re.compile(r"^(?:但|但是|然而|不过|同时)[,，]?.{0,40}(?:仍|尚|还|不够|不足|不高|偏|滞后|薄弱|欠缺|难以|有待|问题)")
_SHORTCOMING_WORDS = re.compile(r"不足|差距|问题|短板|困难|薄弱|有待|不够|不强|不高|不平衡|不充分|滞后|欠缺|缺乏|不到位|不规范|不健全|不合理|不协调|不完善|不稳固|矛盾|严峻|乏力|过剩|仍然存在|仍存在|尚未")
_PLAN_OPENER = re.compile(
    r"^(?:下一步|今后|明年|新的一年|(?:19|20)\d\d年[,，]?.{0,8}(?:将|要)|.{0,10}(?:将继续|将进一步|将着力|将坚持|要继续|要进一步)|我们将|我们要)"
)
# a sentence inside a review paragraph that turns to what comes next: "…。下一步，我局将…" (the guide's plan lines)
_NEXT_STEP = re.compile(r"^(?:下一步|下步|今后|明年|新的一年)[,，]?.{0,12}(?:将|要|计划|拟)")
_FORMULA = re.compile(r"报告如下|特此报告|请予审议|请审议|各位代表|予以审议|现将.{0,30}报告")


@dataclass(frozen=True)
class SilverUnit:
    start: int
    end: int
    text: str
    kind: str
    function: str | None


@lru_cache(maxsize=4096)  # headings repeat over every unit of their section
def section_function(heading: str) -> str | None:
    """What a heading announces: achievement, shortcoming, plan, ``mixed`` (problems and plans), or None."""
    heading = normalize(heading)
    short = bool(_SHORTCOMING_HEAD.search(heading))
    plan = bool(_PLAN_HEAD.search(heading))
    if short and plan:
        return "mixed"
    if short and not re.search(r"解决|化解|破解|整改", heading):
        return "shortcoming"
    if plan:
        return "plan"
    if _ACHIEVEMENT_HEAD.search(heading):
        return "achievement"
    return None


def label_text(text: str) -> list[SilverUnit]:
    """Silver function labels for every unit of ``text`` (units found by :mod:`pipeline.structure`)."""
    units = analyze(text).units
    rows = [(u.start, u.end, u.kind, u.heading_path) for u in units]
    return [SilverUnit(start, end, text[start:end], kind, function)
            for (start, end, kind, _), function in zip(rows, label_units(text, rows))]


def label_units(text: str, units: list[tuple[int, int, str, tuple[str, ...]]],
                norm: str | None = None) -> list[str | None]:
    """Silver labels for given units ``(start, end, kind, heading_path)``: gold or predicted structure alike.
    ``norm`` is ``normalize(text)`` if the caller has it already."""
    out: list[str | None] = []
    section_path: tuple[str, ...] | None = None
    section: str | None = None
    mixed_phase = "shortcoming"  # in a "不足及打算" section, problems come first, then plans
    reviewed = False  # a review (achievement) section has been seen: unlabelled sections after it are plans
    paragraph: str | None = None
    previous_end = 0
    folded = normalize(text) if norm is None else norm
    for start, end, kind, heading_path in units:
        unit_text = text[start:end]
        new_paragraph = previous_end == 0 or "\n" in text[previous_end:start]
        previous_end = end
        heading_path = tuple(heading_path)
        if kind != "body" or _FORMULA.search(unit_text):
            out.append("other")
            continue
        if heading_path != section_path:
            section_path, section = heading_path, _section_of(heading_path)
            mixed_phase, paragraph = "shortcoming", None
            if section == "achievement":
                reviewed = True
            elif section is None and reviewed and heading_path:
                section = "plan"
        unit_folded = one_line(folded, start, end)
        if new_paragraph:
            opener = _paragraph_opener(unit_folded)
            if section == "mixed":
                if opener == "plan":
                    mixed_phase = "plan"
                paragraph = opener or mixed_phase
            elif opener is None and paragraph == "shortcoming" and _SHORTCOMING_WORDS.search(unit_folded):
                pass  # the problems announced by the paragraph before go on: "一是…薄弱；" "二是…不到位。"
            else:
                paragraph = opener
        elif paragraph is None and section in ("achievement", None) and _CONCESSION.search(unit_folded):
            out.append("shortcoming")  # "…办结406件。但审理周期偏长的问题仍未根本解决。"
            continue
        elif paragraph != "plan" and _NEXT_STEP.search(unit_folded):
            out.append("plan")  # "…公示率100%。下一步，我局将…"
            continue
        out.append(paragraph or section)
    return out


def _paragraph_opener(norm: str) -> str | None:
    """The function a paragraph's first unit announces for the paragraph, if any."""
    if _PLAN_OPENER.search(norm):
        return "plan"
    if (_SHORTCOMING_OPENER.search(norm) or _SHORTCOMING_TURN.search(norm)) and _SHORTCOMING_WORDS.search(norm):
        return "shortcoming"
    return None


def _section_of(heading_path: tuple[str, ...]) -> str | None:
    """The function announced by the outermost heading that announces one."""
    for heading in heading_path:
        function = section_function(heading)
        if function is not None:
            return function
    return None


def iter_documents(inputs: list[str], join_wrapped_lines: bool = False):
    """``(doc_id, source, text, error)`` for report files, folders, globs, or JSONL files with a ``text`` field."""
    import json

    from .io import InputError, expand_inputs, read_path

    files, missing = expand_inputs(inputs)
    for item, reason in missing:
        yield item, item, None, f"{item}: {reason}"
    for entry in files:
        if entry.path.suffix.lower() == ".jsonl":
            with entry.path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    row = json.loads(line)
                    doc_id = str(row.get("doc_id") or row.get("year") or row.get("title") or number)
                    text = row.get("text") or ""
                    yield f"{entry.doc_id}#{doc_id}", str(entry.path), _maybe_join(text, join_wrapped_lines), None
            continue
        try:
            source = read_path(entry.path)
        except InputError as err:
            yield entry.doc_id, str(entry.path), None, str(err)
            continue
        yield entry.doc_id, str(entry.path), _maybe_join(source.text, join_wrapped_lines), None


def join_wrapped_lines(text: str) -> str:
    """Join single line breaks inside paragraphs of text whose paragraphs are separated by blank lines.

    Transcriptions such as Wikisource's put hyperlinked words on lines of their own; units end at
    line breaks, so those breaks must go before the text is cut.
    """
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(p.replace("\n", "") for p in paragraphs)


def _maybe_join(text: str, join: bool) -> str:
    return join_wrapped_lines(text) if join else text
