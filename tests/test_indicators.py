"""Indicators: measure, value and unit of quantitative statements, with offsets."""

import pytest

from pipeline.indicators import find_indicators


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全年新收行政复议案件1083件，办结921件。", [("新收行政复议案件", 1083.0, "件")]),
        ("行政机关负责人出庭应诉率达到100%。", [("行政机关负责人出庭应诉率", 100.0, "%")]),
        ("组织41个市级部门开展自查。", [("市级部门", 41.0, "个")]),
        ("累计化解矛盾纠纷６９４６５件。", [("化解矛盾纠纷", 69465.0, "件")]),
        ("2024年度法治政府建设综合督察于3月启动。", []),
    ],
)
def test_indicators_first_match(text, expected):
    found = [(i.measure, i.value, i.unit_of_measure) for i in find_indicators(text)][: len(expected)]
    assert found == expected


def test_indicators_offsets_point_into_the_text():
    text = "全年共接待法律咨询5085人次，办理法律援助案件632件。"
    for indicator in find_indicators(text):
        assert indicator.measure in text[indicator.start : indicator.end]


def test_indicators_in_pipeline_output(nlp, seed_text):
    from pipeline.document import doc_to_record

    record = doc_to_record(nlp(seed_text), doc_id="seed", source="seed")
    values = {(i["value"], i["unit_of_measure"]) for i in record["indicators"]}
    assert (1083.0, "件") in values and (100.0, "%") in values
    for indicator in record["indicators"]:
        assert seed_text[indicator["start"] : indicator["end"]] == indicator["text"]
        assert record["units"][indicator["unit"]]["start"] <= indicator["start"]


@pytest.mark.parametrize("unit, expected", [
    ("全县重大行政决策合法性审查率\n100%。", ("重大行政决策合法性审查率", 100.0, "%")),  # the number on the next line
    ("全年新增持证执法人员\n127名。", ("新增持证执法人员", 127.0, "名")),
    ("群众满意\n率96.8%。", ("群众满意率", 96.8, "%")),  # the measure cut in two
])
def test_indicators_in_a_hard_wrapped_unit_are_read_whole(unit, expected):
    from pipeline.indicators import indicators_in_unit

    text = "一、主要工作\n" + unit + "\n二、存在的问题"
    start = text.index(unit)
    found = indicators_in_unit(text, start, start + len(unit))
    assert [(i.measure, i.value, i.unit_of_measure) for i in found] == [expected]
    assert all(start <= i.start < i.end <= start + len(unit) and text[i.end - 1] in "%名" for i in found)
