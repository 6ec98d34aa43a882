"""Readers: every format gives the same text units as the plain-text seed; bad input is one clear error."""

from __future__ import annotations

import os

import pytest

from pipeline.io import InputError, decode_bytes, read_path
from pipeline.structure import analyze


def unit_texts(text: str) -> list[str]:
    return [text[u.start : u.end] for u in analyze(text).units]


@pytest.mark.parametrize("variant", ["gbk", "bom", "html", "docx", "pdf"])
def test_reader_variant_gives_seed_units(variant, seed_variants, seed_text):
    source = read_path(seed_variants[variant])
    assert unit_texts(source.text) == unit_texts(seed_text)


def test_reader_gbk_reports_encoding(seed_variants):
    assert read_path(seed_variants["gbk"]).encoding == "gb18030"


def test_reader_bom_is_removed_and_nothing_else(seed_variants, seed_text):
    assert read_path(seed_variants["bom"]).text == seed_text


def test_reader_html_drops_navigation(seed_variants):
    text = read_path(seed_variants["html"]).text
    assert "办事服务" not in text and "网站地图" not in text
    assert "全年新收行政复议案件1083件" in text


GOVERNMENT_PAGE = """<html><head><meta charset="utf-8"><title>梧桐区2024年法治政府建设年度报告_梧桐区人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> | <a>政务公开</a> | <a>互动交流</a></div>
<div class="crumb">您当前的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>法治政府建设</a></div>
<table><tr><td>索引号：</td><td>11430104MB1A00001X/2025-00031</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>梧桐区司法局</td><td>成文日期：</td><td>2025-03-20</td></tr></table>
<h1>梧桐区2024年法治政府建设年度报告</h1>
<div class="info">发布时间：2025-03-25 09:12 来源：区司法局 浏览次数：1024</div>
<div class="content"><p>2024年，梧桐区坚持以习近平法治思想为指导，法治政府建设取得新成效。现将有关情况报告如下：</p>
<p><strong>一、主要工作</strong></p><p>（一）强化组织领导。区委全面依法治区委员会召开会议3次，审议通过年度工作要点。</p>
<p>（二）规范行政执法。全区行政执法案卷评查合格率达96%。</p><p><strong>二、存在的不足</strong></p>
<p>基层执法力量仍较薄弱，部分执法人员法律素养有待提升。</p>
<p style="text-align:right">梧桐区人民政府</p><p style="text-align:right">2025年3月20日</p></div>
<div class="print">【打印本页】 【关闭窗口】</div>
<div class="foot">主办：梧桐区人民政府办公室 版权所有：梧桐区人民政府 湘ICP备05012345号</div></body></html>"""


def test_reader_html_keeps_the_pages_title_heading_and_marks_its_apparatus(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(GOVERNMENT_PAGE, encoding="utf-8")
    text = read_path(path).text
    units = [(u.kind, text[u.start : u.end]) for u in analyze(text).units]
    assert units[0] == ("title", "梧桐区2024年法治政府建设年度报告")  # the <h1>, which trafilatura keeps apart
    assert ("signature", "梧桐区人民政府") in units and ("date", "2025年3月20日") in units
    metadata = [kind for kind, unit in units if "索引号" in unit or "发布机构" in unit]
    assert metadata == ["furniture", "furniture"]  # the metadata table's rows, wherever the extractor puts them
    assert "首页" not in text and "_梧桐区人民政府" not in text


@pytest.mark.parametrize(
    "raw, encoding",
    [
        ("法治政府建设".encode("utf-8"), "utf-8-sig"),
        ("依法治县办".encode("gb18030"), "gb18030"),
        ("行政複議".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_bytes_encodings(raw, encoding):
    text, used = decode_bytes(raw)
    assert used == encoding
    assert "\ufeff" not in text


def test_decode_keeps_crlf_so_offsets_match_the_file():
    text, _ = decode_bytes("一、总体情况\r\n全年办结案件12件。\r\n".encode("utf-8"))
    assert text == "一、总体情况\r\n全年办结案件12件。\r\n"
    units = analyze(text).units
    assert [text[u.start : u.end] for u in units] == ["一、总体情况", "全年办结案件12件。"]


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n\t ", "no text"),
    "binary.txt": (bytes(range(256)) * 4, "binary"),
    "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "binary"),
    "undecodable.txt": (b"\x80\xff\xfe\x81" * 20, "cannot decode"),
    "broken.docx": (b"PK\x03\x04 this is not a zip", "not a readable DOCX"),
    "broken.pdf": (b"%PDF-1.4\n garbage", "PDF"),
    "script-only.html": (b"<html><head><script>var a = 1;</script></head><body></body></html>", "HTML"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_reader_bad_input_raises_one_line_error(tmp_path, name):
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_path(path)
    message = str(caught.value)
    assert expected in message and "\n" not in message and name in message


def test_reader_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "missing.txt")


def test_reader_broken_symlink(tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_path(link)


def test_reader_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_reader_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("法治政府建设。", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_path(path)


def test_reader_docx_keeps_a_task_table_row_as_one_line_and_breaks_inside_paragraphs(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("三、2025年工作安排")
    heading = document.add_paragraph("（一）健全依法决策机制")
    heading.paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(2))  # a tab stop is no tab character
    run = document.add_paragraph().add_run("全面落实重大行政决策程序规定。")
    run.add_break()
    run.add_text("责任单位：县司法局")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ("序号", "重点任务", "牵头单位")):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ("1", "健全行政复议案件审理机制", "县司法局")):
        cell.text = value
    table.rows[1].cells[2].add_paragraph("县法院")
    path = tmp_path / "plan.docx"
    document.save(path)
    text = read_path(path).text
    assert text.splitlines() == ["三、2025年工作安排", "（一）健全依法决策机制", "全面落实重大行政决策程序规定。",
                                 "责任单位：县司法局", "序号\t重点任务\t牵头单位", "1\t健全行政复议案件审理机制\t县司法局 县法院"]
    rows = [(u.kind, text[u.start : u.end]) for u in analyze(text).units if "\t" in text[u.start : u.end]]
    assert rows == [("body", "序号\t重点任务\t牵头单位"), ("body", "1\t健全行政复议案件审理机制\t县司法局 县法院")]


def test_reader_docx_writes_out_automatic_list_numbers(tmp_path):
    """Headings numbered by Word (numbering.xml) keep their enumerators: 一、 （一） 1., counted per level."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for level, fmt, text in ((0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）"), (2, "decimal", "%3.")))
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def add(text: str, level: int | None = None) -> None:
        paragraph = document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    add("主要工作成效", 0)
    add("强化组织领导", 1)
    add("区委常委会专题研究法治工作3次。")
    add("规范行政执法", 1)
    add("健全执法监督机制", 2)
    add("开展案卷评查两轮。")
    add("存在的不足", 0)
    add("基层执法力量薄弱。")
    path = tmp_path / "numbered.docx"
    document.save(path)
    text = read_path(path).text
    assert text.splitlines() == ["一、主要工作成效", "（一）强化组织领导", "区委常委会专题研究法治工作3次。", "（二）规范行政执法",
                                 "1.健全执法监督机制", "开展案卷评查两轮。", "二、存在的不足", "基层执法力量薄弱。"]
    units = {text[u.start : u.end]: u for u in analyze(text).units}
    assert units["开展案卷评查两轮。"].heading_path == ("一、主要工作成效", "（二）规范行政执法", "1.健全执法监督机制")


def test_reader_docx_list_styles_bullets_add_nothing_numbers_count(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("健全行政复议案件审理机制。", style="List Bullet")
    document.add_paragraph("强化组织领导", style="List Number")
    document.add_paragraph("规范行政执法", style="List Number")
    path = tmp_path / "styles.docx"
    document.save(path)
    assert read_path(path).text.splitlines() == ["健全行政复议案件审理机制。", "1.强化组织领导", "2.规范行政执法"]


def test_reader_pdf_keeps_a_table_row_as_one_line_with_its_numbers(tmp_path):
    """The cells of a printed table row are one line, split by tabs, and its row numbers are no page numbers."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page()
    y = 72

    def write(cells, xs=(72, 120, 400)):
        for x, cell in zip(xs, cells):
            page.insert_text((x, y), cell, fontname="china-s", fontsize=12)

    write(["三、2025年工作安排"])
    y += 24
    write(["全年重点任务分解如下："])
    for row in (("序号", "重点任务", "牵头单位"), ("1", "健全行政复议案件审理机制", "县司法局"), ("2", "深入实施“八五”普法规划", "县委宣传部")):
        y += 20
        write(row)
    y += 30
    write(["县人民政府"])
    y += 20
    write(["2025年1月10日"])
    page.insert_text((300, 800), "- 1 -", fontname="china-s", fontsize=10)
    path = tmp_path / "plan.pdf"
    document.save(path)
    text = read_path(path).text
    assert text.splitlines() == ["三、2025年工作安排", "全年重点任务分解如下：", "序号\t重点任务\t牵头单位",
                                 "1\t健全行政复议案件审理机制\t县司法局", "2\t深入实施“八五”普法规划\t县委宣传部", "县人民政府",
                                 "2025年1月10日"]
    kinds = [u.kind for u in analyze(text).units]
    assert kinds == ["heading", "body", "body", "body", "body", "signature", "date"]
