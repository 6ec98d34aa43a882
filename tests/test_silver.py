"""Silver labels from structure, on report shapes the labeller must read."""

import pytest

from pipeline.silver import join_wrapped_lines, label_text, section_function


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("一、2024年工作开展情况", "achievement"),
        ("二、存在的问题", "shortcoming"),
        ("三、2025年工作打算", "plan"),
        ("三、存在的不足及2025年工作打算", "mixed"),
        ("（二）着力解决群众反映强烈的突出问题", None),
        ("一、过去五年工作回顾", "achievement"),
    ],
)
def test_section_function(heading, expected):
    assert section_function(heading) == expected


def test_silver_labels_follow_sections_and_paragraph_openers():
    text = ("一、主要工作成效\n全年办结复议案件92件。\n同时也要清醒看到，我县法治建设仍存在不少短板。执法力量不足。\n"
            "二、下一步工作打算\n进一步加强执法监督。\n")
    labels = {u.text: u.function for u in label_text(text)}
    assert labels["全年办结复议案件92件。"] == "achievement"
    assert labels["执法力量不足。"] == "shortcoming"
    assert labels["进一步加强执法监督。"] == "plan"
    assert labels["二、下一步工作打算"] == "other"


def test_silver_sections_after_a_review_are_plans():
    text = "一、过去一年工作回顾\n经济平稳增长。\n二、今年的主要任务\n三、深化改革开放\n推进国有企业改革。\n"
    labels = {u.text: u.function for u in label_text(text)}
    assert labels["推进国有企业改革。"] == "plan"


def test_silver_leaves_units_without_evidence_unlabelled():
    assert [u.function for u in label_text("全年办结案件12件。")] == [None]


def test_join_wrapped_lines():
    assert join_wrapped_lines("根据\n宪法\n的规定。\n\n第二段。") == "根据宪法的规定。\n\n第二段。"
