"""Indicators (guidelines §5): quantitative statements inside units, as measure + value + unit.

"全年新收行政复议案件1083件" → measure 新收行政复议案件, value 1083, unit 件; "出庭应诉率达到100%" →
measure 出庭应诉率, value 100, unit %. Where nothing measurable stands before the number, the noun
after the count is the measure ("41个市级部门" → 市级部门). Years, dates and ordinals are not indicators.
Rules on plain strings with character offsets; matching runs on the folded text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .structure import normalize, span_in_text, without_soft_breaks

_UNITS = (
    "个百分点|个工作日|万人次|万件次|万元|亿元|万人|万件|万条|万户|万次|万份|万名|万家|人次|家次|件次|场次|批次|学时|"
    "件|个|次|项|条|名|家|份|场|人|期|支|卷|宗|部|篇|户|起|处|本|类|天|轮|所|台|分|元|%|‰"
)
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*({_UNITS})")
_MEASURE_END = re.compile(r"(?:达到|达|为|至|共计|共|累计|合计|超过|以上|逾|近|约|同比|分别|均|已|实现|完成|增长|下降|提高|提升|降低)+$")
_MEASURE_START = re.compile(r"^(?:全年|今年|年内|去年|当年|其中|目前|截至目前|累计|共|全区|全市|全县|全镇|全乡|全旗|先后|已)+")
_STOP = set(",，。、;；:：!！?？()（）“”《》\n\r\t ")
_NOT_AFTER = re.compile(r"^(?:年|月|日|号|时|届|次会议|季度|周年|—|-|·)")
_MEASURE_MAX = 20
_CLASSIFIERS = {"个", "家", "名", "所", "支", "部", "项", "条", "类", "户", "处"}
# The counted noun after a classifier, up to a verb or function word ("41个市级部门开展自查" → 市级部门).
_NOUN_AFTER = re.compile(r"(?:(?!开展|参加|参与|进行|实现|完成|建立|纳入|接受|开设|设立|组织|全部|均|已|和|及|与|的|在|对|按|并|中)[\u4e00-\u9fff]){2,10}")


@dataclass(frozen=True)
class Indicator:
    start: int
    end: int
    measure: str
    value: float
    unit_of_measure: str


def find_indicators(text: str) -> list[Indicator]:
    """Indicators in one unit's text, offsets relative to ``text``."""
    norm = normalize(text)
    out = []
    for m in _NUMBER.finditer(norm):
        if _NOT_AFTER.match(norm, m.end(1)) or (m.start() > 0 and norm[m.start() - 1] in "第."):
            continue
        value, unit = float(m.group(1)), m.group(2)
        start = m.start()
        while start > 0 and m.start() - start < _MEASURE_MAX and norm[start - 1] not in _STOP:
            start -= 1
        measure = norm[start : m.start()]
        lead = _MEASURE_START.match(measure)
        if lead:
            start += lead.end()
            measure = measure[lead.end():]
        measure = _MEASURE_END.sub("", measure)
        end = m.end()
        after = _NOUN_AFTER.match(norm, m.end()) if unit in _CLASSIFIERS else None
        if len(measure) <= 2 and after:  # "组织41个市级部门": the counted noun is the measure
            start, measure, end = m.start(), after.group(), after.end()
        elif len(measure) < 2:
            continue
        out.append(Indicator(start, end, _slice_measure(text, norm, measure, start, end), value, unit))
    return out


def indicators_in_unit(text: str, start: int, end: int) -> list[Indicator]:
    """Indicators in the unit ``text[start:end]``, offsets into ``text``. The line breaks of hard-wrapped text are
    left out first, so a number or a measure cut by one (合法性审查率\n100%) is still read whole."""
    piece, kept = without_soft_breaks(text, start, end)
    return [Indicator(*span_in_text(i.start, i.end, start, kept), i.measure, i.value, i.unit_of_measure)
            for i in find_indicators(piece)]


def _slice_measure(text: str, norm: str, measure: str, start: int, end: int) -> str:
    """The measure as written in the original text (the folded copy has the same offsets)."""
    k = norm.find(measure, start, end)
    return text[k : k + len(measure)] if k >= 0 else measure
