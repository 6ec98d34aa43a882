"""Structure on plain strings: units per the guidelines §1, kinds, heading paths, offsets."""

from __future__ import annotations

import json

import pytest

from pipeline.structure import analyze, is_title_line, normalize
from tests.conftest import SHARED


def cut(text: str) -> list[tuple[str, str]]:
    return [(text[u.start : u.end], u.kind) for u in analyze(text).units]


def test_seed_units_match_gold_texts_and_kinds(seed_text, seed_gold_units):
    units = analyze(seed_text).units
    assert [(seed_text[u.start : u.end], u.kind) for u in units] == [(g["text"], g["kind"]) for g in seed_gold_units]


@pytest.mark.skipif(not (SHARED / "spec" / "seed-units.example.jsonl").exists(), reason="../shared not present")
def test_seed_units_match_outside_evaluation_offsets(seed_text):
    expected = [json.loads(line) for line in (SHARED / "spec" / "seed-units.example.jsonl").read_text().splitlines()]
    assert [(u.start, u.end) for u in analyze(seed_text).units] == [(e["start"], e["end"]) for e in expected]


def test_seed_every_unit_is_the_slice_without_edge_whitespace(seed_text):
    for unit in analyze(seed_text).units:
        piece = seed_text[unit.start : unit.end]
        assert piece == piece.strip() and piece


def test_seed_heading_paths(seed_text):
    units = {seed_text[u.start : u.end]: u for u in analyze(seed_text).units}
    merged = units["(三)持续推进严格规范公正文明执法"]
    assert merged.kind == "heading"
    assert merged.heading_path == ("二、推进法治政府建设的主要举措和成效",)
    item = units["一是开展行政执法质量提升行动。"]
    assert item.kind == "body"
    assert item.heading_path == ("二、推进法治政府建设的主要举措和成效", "(三)持续推进严格规范公正文明执法")
    assert units["三、存在的不足及2025年工作打算"].heading_path == ()
    assert units["2025228"].kind == "date"
    assert units["扫一扫在手机打开"].kind == "furniture"


def test_seed_title(seed_text):
    assert analyze(seed_text).title == "关于2024年岳麓区法治政府建设工作情况的报告"


@pytest.mark.parametrize(
    "text, expected",
    [
        # colon followed by an enumerator ends a unit
        ("主要表现在：一是制度不健全；二是队伍力量薄弱。",
         ["主要表现在：", "一是制度不健全；", "二是队伍力量薄弱。"]),
        # enumerator glued to a heading
        ("（三）持续推进严格规范公正文明执法一是开展执法质量提升行动。",
         ["（三）持续推进严格规范公正文明执法", "一是开展执法质量提升行动。"]),
        # enumerator glued to body text, continuing a sequence
        ("一是建立调解组织。入选典型案例二是完善法律服务。",
         ["一是建立调解组织。", "入选典型案例", "二是完善法律服务。"]),
        # words ending in 一 are not enumerators
        ("这是全省唯一是由镇政府牵头的平台。", ["这是全省唯一是由镇政府牵头的平台。"]),
        # ASCII punctuation and closing quotes
        ("开展“法治体检”。全年办结12件;调解3件!", ["开展“法治体检”。", "全年办结12件;", "调解3件!"]),
        # a colon without an enumerator does not cut
        ("主要做法：建立联席会议制度。", ["主要做法：建立联席会议制度。"]),
        # numbered sub-items after a colon
        ("重点做好三项工作：1.完善制度；2.加强培训。", ["重点做好三项工作：", "1.完善制度；", "2.加强培训。"]),
        # a sub-item written 1、 glued to its heading
        ("二、压实法治建设责任1、健全述法制度。全年述法12人次。",
         ["二、压实法治建设责任", "1、健全述法制度。", "全年述法12人次。"]),
    ],
)
def test_units_cut_per_guidelines(text, expected):
    assert [t for t, _ in cut(text)] == expected


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("关于2023年桃溪镇法治政府建设情况的报告\n\n一、主要成效\n全年化解纠纷56件。\n\n桃溪镇人民政府\n2024年1月18日",
         ["title", "heading", "body", "signature", "date"]),
        ("来源：县司法局　发布时间：2022-03-01　浏览次数：1832\n县人民政府关于2021年法治政府建设情况的报告\n全年办结复议案件12件。\n扫一扫在手机打开",
         ["furniture", "title", "body", "furniture"]),
        ("首页 > 政务公开 > 法治政府建设\n报告\n全年办结12件。\n【打印】【关闭】", ["furniture", "title", "body", "furniture"]),
        ("一、总体情况\n（一）深化改革。全年出台文件3件。\n1.健全机制。\n全年召开会议4次。\n（1）完善制度。\n（2）加强培训。",
         ["heading", "heading", "body", "heading", "body", "body", "body"]),
        ("第一部分　工作成效\n全年办结12件。\n存在的问题\n执法力量不足。\n二〇二五年三月十日",
         ["heading", "body", "heading", "body", "date"]),
        ("一、工作情况\n全年办理行政复议案件12件，纠错率较上年提高5个百分点。\n\n石门县人民政府县长　张立平\n2025年2月1日",
         ["heading", "body", "signature", "date"]),  # the signatory after body and post
        ("全年办结12件，群众满意度达到98%以上。\n主办：白沙区人民政府办公室　承办：白沙区大数据中心\n网站标识码：4301040001",
         ["body", "furniture", "furniture"]),  # a government site's footer
        ("全年办结12件。\n（此件公开发布）\n抄送：县委办。", ["body", "furniture", "furniture"]),  # a publication note
        ("二、主要数据\n指标\t2024年\t2023年\n复议纠错\t3\t5\n全年数据总体平稳，纠错率下降。",
         ["heading", "body", "body", "body"]),  # rows of a table flattened to tab-separated cells
        ("二、主要成效\n（1）全年办结复议案件12件，调解3件\n（2）聘请法律顾问3名，审核合同47份.",
         ["heading", "body", "body"]),  # numbered findings with figures and no full stop are not headings
        ("三、下一步打算\n将进一步完善行政执法监督机制。\n\n桐溪县人民政府　2025年1月20日",
         ["heading", "body", "signature"]),  # the body and the date on one line
        ("全年办结12件。\n桐溪县司法局    2024-12-30", ["body", "signature"]),  # spaced apart like table cells
        ("全年办结12件。\n青禾镇党委书记　韩立新（2025年1月5日）", ["body", "signature"]),
        ("全年办结12件。\n全年共受理 2024年12月", ["body", "body"]),  # a date after words that name no body
    ],
)
def test_kinds(text, kinds):
    assert [k for _, k in cut(text)] == kinds


def test_heading_hierarchy_with_all_marker_levels():
    text = "一、成效\n（一）执法\n1.培训\n（1）持证上岗。\n全年培训300人次。\n2.监督\n二、不足\n队伍薄弱。"
    units = {text[u.start : u.end]: u for u in analyze(text).units}
    assert units["（1）持证上岗。"].kind == "heading"  # a short numbered sentence opening a block
    assert units["全年培训300人次。"].heading_path == ("一、成效", "（一）执法", "1.培训", "（1）持证上岗。")
    assert units["2.监督"].heading_path == ("一、成效", "（一）执法")
    assert units["队伍薄弱。"].heading_path == ("二、不足",)


@pytest.mark.parametrize(
    "text",
    [
        "（二）加強執法監督。全年辦結行政復議案件１２３件；一是健全機制。",  # traditional + full-width
        "（２）加强执法监督。全年办结１２３件，同比增长１２．５％。",
    ],
)
def test_normalisation_keeps_offsets(text):
    assert len(normalize(text)) == len(text)
    for unit in analyze(text).units:
        assert text[unit.start : unit.end].strip() == text[unit.start : unit.end]
    assert analyze(text).units[0].kind == "heading"


def test_traditional_furniture_is_recognised():
    assert cut("掃一掃在手機打開") == [("掃一掃在手機打開", "furniture")]


@pytest.mark.parametrize("text", ["", "   \n\n", "。。；", "\u3000\u3000"])
def test_no_units_in_blank_or_punctuation_only_text(text):
    assert analyze(text).units == []


@pytest.mark.parametrize(
    "text",
    [
        "（二）加強執法監督。全年辦結行政復議案件１２３件；一是健全機制。",
        "區人民法院　ＡＢＣ 𠀀 \U0002005e 司法局",  # characters beyond the Basic Multilingual Plane pass through
    ],
)
def test_normalize_folds_long_texts_as_short_ones(text):
    long_text = text * 40  # long texts take the array path, short ones str.translate
    assert normalize(long_text) == "".join(normalize(text) for _ in range(40))
    assert normalize(text) != text


def hard_wrap(text: str, columns: int, page_lines: int = 0, indent: bool = False, form_feeds: int = 0) -> str:
    """Lay ``text`` out as text copied out of a PDF: every line cut at ``columns`` display columns (wide
    characters count two; closing punctuation never starts a line, it hangs in the margin); with
    ``indent``, paragraphs indented by two ideographic spaces as official documents are typeset; with
    ``page_lines``, a page number line "- N -" after every so many lines; with ``form_feeds``, a form feed
    (pdftotext's page break) opening every so many lines."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if indent and line.strip() and not line[0].isspace():
            line = "\u3000\u3000" + line
        piece, width = "", 0
        for ch in line:
            if width + (1 if ch.isascii() else 2) > columns and ch not in "。，、；：！？”’）》,.;:!?)":
                out.append(piece)
                piece, width = "", 0
            piece += ch
            width += 1 if ch.isascii() else 2
        out.append(piece)
    if page_lines:
        out = [row for i, line in enumerate(out, 1)
               for row in ([line, f"- {i // page_lines} -"] if i % page_lines == 0 else [line])]
    if form_feeds:
        out = ["\f" + line if i and i % form_feeds == 0 else line for i, line in enumerate(out)]
    return "\n".join(out)


@pytest.fixture(scope="module")
def hebei_text() -> str:
    from pipeline.io import read_path
    from tests.conftest import REPO

    return read_path(REPO / "corpora" / "src" / "2021-hebei-anling-district.txt").text.replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [50, 56, 62, 70, 88])
@pytest.mark.parametrize("document, indent", [("seed_text", False), ("seed_text", True), ("hebei_text", True)])
def test_hard_wrapped_text_gives_the_units_of_the_original(request, document, indent, columns):
    text = request.getfixturevalue(document).replace("\r\n", "\n")
    wrapped = hard_wrap(text, columns, indent=indent)
    assert wrapped.count("\n") > 1.5 * text.count("\n")  # the layout really wraps
    units = analyze(wrapped).units
    assert [(wrapped[u.start : u.end].replace("\n", ""), u.kind) for u in units] == cut(text)
    assert [u.heading_path for u in units] == [u.heading_path for u in analyze(text).units]


@pytest.mark.parametrize("indent", [False, True])
def test_hard_wrapped_page_numbers_are_furniture_and_cut_only_their_sentence(seed_text, indent):
    wrapped = hard_wrap(seed_text, 64, page_lines=40, indent=indent)
    units = [(wrapped[u.start : u.end].replace("\n", ""), u.kind) for u in analyze(wrapped).units]
    pages = [text for text, kind in units if text.startswith("- ")]
    assert pages and all(kind == "furniture" for text, kind in units if text in pages)
    rest = [(text, kind) for text, kind in units if text not in pages]
    original = cut(seed_text)
    assert "".join(text for text, _ in rest) == "".join(text for text, _ in original)
    assert len(rest) - len(original) <= len(pages)  # at most one sentence cut in two per page break


@pytest.mark.parametrize("indent", [False, True])
def test_hard_wrapped_form_feeds_do_not_cut_sentences(seed_text, indent):
    wrapped = hard_wrap(seed_text, 64, indent=indent, form_feeds=30)
    assert wrapped.count("\f") > 3
    units = [(wrapped[u.start : u.end].replace("\n", "").replace("\f", ""), u.kind) for u in analyze(wrapped).units]
    assert units == cut(seed_text)


@pytest.mark.parametrize("text", [
    "一、总体情况\n" + "\n".join(["今年我区坚持依法行政，持续推进法治政府建设各项工作落实，成效明显。"[: n] for n in range(14, 34)]),
    "\n".join("第%d项工作已经按照计划完成并通过验收，群众满意度较高，相关经验在全区推广。" % i for i in range(12)),
])
def test_paragraph_per_line_text_is_not_joined(text):
    assert [u.kind for u in analyze(text).units if "\n" in text[u.start : u.end]] == []


def test_hard_wrapped_full_stop_on_a_line_of_its_own_ends_the_sentence():
    sentence = "全年共办理行政复议案件一百二十件，依法纠正违法或者不当行政行为十八件，纠错率较高"
    assert len(sentence) == 40  # two full lines of 20 characters: the full stop is pushed onto a third
    lines = [sentence[:20], sentence[20:]]
    text = "\n".join(lines * 1 + ["。"] + [line for _ in range(3) for line in lines] + ["。"])
    texts = [text[u.start : u.end].replace("\n", "") for u in analyze(text).units]
    assert texts == [sentence + "。", sentence * 3 + "。"]


def test_structure_probe_documents_written_apart():
    """Five messy reports written and cut into units by other annotators (tests/data/structure_probe). a and b,
    measured before any change they drove: boundaries 156 / 158, kinds 153 / 158; the signatory and site-footer
    rules came from them (kinds 156 / 158). c, d and e (a PDF extract, a web page, a township report), written in
    the fifth session: boundaries 178 / 182, kinds 175 / 182 on first reading; the publication-note, table-row and
    glued 1、 rules came from them (180 / 182, 179 / 182). f and g (a PDF extract with running headers and a flattened
    table; a Word copy with headings that lost their numbers), written in the eighth session: boundaries 138 / 139,
    kinds 134 / 139 on first reading; the running-header and table-caption rules came from them (kinds 138 / 139,
    and d's caption). The misses are headings glued to their sentence without an enumerator, which the guide cuts
    only where the heading's end is obvious, and a two-line title that f keeps as one unit (b and c cut it per line)."""
    from tests.conftest import REPO

    root = REPO / "tests" / "data" / "structure_probe"
    total = boundaries = kinds = 0
    for path in sorted(root.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        predicted = {(u.start, u.end): u.kind for u in analyze(text).units}
        position = 0
        for line in (root / f"{path.stem}.units.jsonl").read_text(encoding="utf-8").splitlines():
            unit = json.loads(line)
            start = text.index(unit["text"], position)
            position = start + len(unit["text"])
            total += 1
            boundaries += (start, position) in predicted
            kinds += predicted.get((start, position)) == unit["kind"]
    assert total == 479 and boundaries >= 474 and kinds >= 474


def test_running_header_repeating_the_title_is_furniture():
    text = ("清溪县人民政府关于2024年度\n法治政府建设情况的报告\n一、主要工作\n全年办理行政复议案件32件。\n— 1 —\n"
            "\f  清溪县人民政府关于2024年度法治政府建设情况的报告\n全年审查规范性文件12件。\n")
    kinds = {text[u.start : u.end].strip(): u.kind for u in analyze(text).units}
    assert kinds["清溪县人民政府关于2024年度法治政府建设情况的报告"] == "furniture"
    assert kinds["清溪县人民政府关于2024年度"] == kinds["法治政府建设情况的报告"] == "title"
    assert kinds["全年审查规范性文件12件。"] == "body"


@pytest.mark.parametrize("caption, rows", [
    ("表1　2024年度主要指标完成情况", ["序号　指标名称　年度目标　完成情况", "1　行政机关负责人出庭应诉率　≥95%　100%"]),
    ("2024年行政执法主要数据", ["类别\t办件量\t同比增减", "行政许可\t15260\t+4.1%"]),
])
def test_table_caption_is_a_heading_that_opens_no_block(caption, rows):
    text = "\n".join(["一、主要工作", "全年办理行政复议案件32件。", caption, *rows, "行政执法工作总体平稳有序。"])
    units = {text[u.start : u.end]: u for u in analyze(text).units}
    assert units[caption].kind == "heading"
    assert units[caption].heading_path == ("一、主要工作",)
    assert [units[row].kind for row in rows] == ["body", "body"]
    assert units["行政执法工作总体平稳有序。"].heading_path == ("一、主要工作",)


@pytest.mark.parametrize("line, expected", [
    ("梅岭区2024年法治政府建设情况报告", True),
    ("青溪县司法局2023年法治政府建设工作总结", True),
    ("全面依法治县委员会2025年工作要点", True),
    ("关于2024年度法治政府建设情况的报告（送审稿）", True),
    ("全年执法情况总体平稳。", False),
    ("二、存在的问题", False),
    ("各乡镇人民政府，县直各单位：", False),
])
def test_is_title_line_by_shape(line, expected):
    assert is_title_line(normalize(line)) is expected


@pytest.mark.parametrize("text, bodies, headings", [
    # tasks listed one per line without full stops: nothing is under any of them, so none opens a block
    ("二、下半年工作打算\n1.向县里争取增派执法力量\n2.年底前把镇本级行政规范性文件再清理一遍\n3.配合做好督察迎检工作\n以上是我镇上半年工作情况。",
     ["1.向县里争取增派执法力量", "2.年底前把镇本级行政规范性文件再清理一遍", "3.配合做好督察迎检工作"], ["二、下半年工作打算"]),
    # an empty part heading before a numbered section with a body: still a heading (the national reports' shape)
    ("一、过去一年工作回顾\n经济平稳增长。\n二、今年的主要任务\n三、深化改革开放\n推进国有企业改革。",
     ["推进国有企业改革。"], ["二、今年的主要任务", "三、深化改革开放"]),
    # the same shape with a body under each item: headings
    ("二、主要做法\n1.强化组织领导\n区委常委会专题研究法治工作3次。\n2.规范行政执法\n开展案卷评查两轮。",
     ["区委常委会专题研究法治工作3次。", "开展案卷评查两轮。"], ["二、主要做法", "1.强化组织领导", "2.规范行政执法"]),
])
def test_numbered_lines_with_nothing_under_them_are_not_headings(text, bodies, headings):
    units = {text[u.start : u.end]: u for u in analyze(text).units}
    assert [t for t in bodies if units[t].kind == "body"] == bodies
    assert [t for t in headings if units[t].kind == "heading"] == headings
    first_task = "1.向县里争取增派执法力量"
    if first_task in units:  # a task's heading path is its section, not the task before it
        assert units["3.配合做好督察迎检工作"].heading_path == ("二、下半年工作打算",)


@pytest.mark.parametrize("row", ["固废及其他\u3000\u3000\u3000\u300023\u3000\u3000\u3000\u3000146.0", "水污染类\t64\t523.8",
                                 "| 水污染类 | 64 | 523.8 |"])
def test_table_rows_are_not_unmarked_headings(row):
    text = f"二、执法情况\n全年查处环境违法案件87件，分类情况如下：\n{row}\n案件全部按期办结，无一被复议纠错。"
    units = {text[u.start : u.end]: u.kind for u in analyze(text).units}
    assert units[row] == "body"
