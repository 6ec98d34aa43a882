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


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        # the turn to problems after a long first clause
        ("一、工作回顾\n全年新增就业1312万人。\n在充分肯定去年成绩的同时，我们也清醒看到，发展中还存在不少困难和问题。投资增长乏力。\n",
         "投资增长乏力。", "shortcoming"),
        # a concession inside a review paragraph
        ("一、主要工作成效\n全年受理复议申请406件，审结381件。但复议案件审理周期偏长的问题仍未根本解决。\n",
         "但复议案件审理周期偏长的问题仍未根本解决。", "shortcoming"),
        ("一、主要工作成效\n全年受理复议申请406件，审结381件。\n", "全年受理复议申请406件，审结381件。", "achievement"),
        # problems announced in one paragraph go on in the next ones while they name problems
        ("一、工作回顾\n我们也清醒地看到，工作中还存在一些问题。\n一是经济结构矛盾突出。\n二是政府职能转变滞后。\n"
         "全年粮食产量创历史新高。\n", "二是政府职能转变滞后。", "shortcoming"),
        ("一、工作回顾\n我们也清醒地看到，工作中还存在一些问题。\n一是经济结构矛盾突出。\n全年粮食产量创历史新高。\n",
         "全年粮食产量创历史新高。", "achievement"),
        # a topic named a problem is not a turn to problems
        ("一、2006年工作回顾\n经济平稳增长。\n二、今年的主要任务\n农业、农村和农民问题，是关系全局的重大问题。\n",
         "农业、农村和农民问题，是关系全局的重大问题。", "plan"),
        # a next-step line inside a review paragraph (the guide's plan lines)
        ("一、主要工作成效\n全年公示处罚决定412件，公示率100%。下一步，我局将会同司法局开展评估。\n",
         "下一步，我局将会同司法局开展评估。", "plan"),
        ("一、主要工作成效\n全年公示处罚决定412件，公示率100%。下一步，我局将会同司法局开展评估。\n",
         "全年公示处罚决定412件，公示率100%。", "achievement"),
    ],
)
def test_silver_reads_cues_inside_sections(text, unit, expected):
    assert {u.text: u.function for u in label_text(text)}[unit] == expected
