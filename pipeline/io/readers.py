"""Decode plain text (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030) and extract text from HTML,
DOCX and PDF with well-kept libraries (trafilatura, python-docx, PyMuPDF)."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".docx", ".pdf"} | HTML_SUFFIXES

# Share of control characters above which decoded "text" is taken to be binary data.
_MAX_CONTROL_SHARE = 0.01


class InputError(Exception):
    """An input that cannot be read as a document. The message is one line, meant for the user."""


@dataclass(frozen=True)
class SourceText:
    """Decoded text of one input; every offset the pipeline produces points into ``text``."""

    text: str
    source: str
    format: str
    encoding: str | None = None


def read_path(path: str | os.PathLike) -> SourceText:
    """Read a file by its extension: HTML, DOCX and PDF by format, anything else as plain text."""
    path = Path(path)
    source = str(path)
    try:
        if path.is_dir():
            raise InputError(f"{source}: is a directory, not a file")
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{source}: broken symbolic link") from None
        raise InputError(f"{source}: no such file") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not a file") from None
    except OSError as err:
        raise InputError(f"{source}: cannot read ({err.strerror or err})") from None
    if not data:
        raise InputError(f"{source}: empty file")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return _finish(_html_to_text(data, source), source, "html", None)
    if suffix == ".docx":
        return _finish(_docx_to_text(data, source), source, "docx", None)
    if suffix == ".pdf":
        return _finish(_pdf_to_text(data, source), source, "pdf", None)
    text, encoding = decode_bytes(data, source)
    return _finish(text, source, "text", encoding)


def read_stdin() -> SourceText:
    """Read a plain-text document from standard input (bytes, so that GB18030 works too)."""
    data = sys.stdin.buffer.read()
    if not data:
        raise InputError("-: empty input on standard input")
    text, encoding = decode_bytes(data, "-")
    return _finish(text, "-", "text", encoding)


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode plain-text bytes; return the text (leading BOM removed, nothing else changed) and the codec."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        if b"\x00" in data:
            raise InputError(f"{source}: binary file (contains NUL bytes), not a text document")
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > _MAX_CONTROL_SHARE:
            raise InputError(f"{source}: binary file (control characters), not a text document")
        return text.lstrip("\ufeff") if encoding == "utf-16" else text, encoding
    raise InputError(f"{source}: cannot decode as UTF-8 or GB18030 (not a text document?)")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls / len(text)


def _finish(text: str, source: str, fmt: str, encoding: str | None) -> SourceText:
    if not text.strip():
        raise InputError(f"{source}: no text in the document")
    return SourceText(text=text, source=source, format=fmt, encoding=encoding)


def _html_to_text(data: bytes, source: str) -> str:
    """Main text of a web page, without navigation, headers, footers or scripts (trafilatura), under the page's
    title: trafilatura keeps a title heading (the ``<h1>`` of a government page) as metadata, out of the text, so
    it is put back as the first line unless the text already opens with it. A title found only in ``<title>``
    (often the site's name) is not."""
    import trafilatura

    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html, _ = decode_bytes(data, source)
    if "<" not in html:
        raise InputError(f"{source}: not an HTML document")
    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=True,
    )
    found = document.as_dict() if hasattr(document, "as_dict") else (document or {})
    text, title = found.get("text"), (found.get("title") or "").strip()
    if not text:
        raise InputError(f"{source}: no main text found in the HTML page")
    if title and title not in text[: len(title) + 300] and title in _heading_texts(html):
        text = f"{title}\n{text}"
    return text


def _heading_texts(html: str) -> set[str]:
    """The texts of a page's ``<h1>`` and ``<h2>`` elements, without tags and with whitespace collapsed."""
    return {" ".join(unescape(re.sub(r"<[^>]+>", "", inner)).split())
            for inner in re.findall(r"<h[12]\b[^>]*>(.*?)</h[12]\s*>", html, flags=re.S | re.I)}


def _docx_to_text(data: bytes, source: str) -> str:
    """Paragraph texts of a Word document, one per line (tabs and line breaks inside a paragraph kept); a table
    row per line, its cells joined by tabs (the paragraphs of a cell by spaces), in reading order."""
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(f"{source}: not a readable DOCX file ({type(err).__name__})") from None
    numbering = _WordNumbering(document)

    def paragraph_text(paragraph) -> str:
        return numbering.label(paragraph) + _docx_run_text(paragraph)

    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = _local(block.tag)
        if tag == "p":
            lines.append(paragraph_text(block))
        elif tag == "tbl":
            for row in block.iter():
                if _local(row.tag) == "tr":
                    cells = [cell for cell in row if _local(cell.tag) == "tc"]
                    lines.append("\t".join(" ".join(paragraph_text(p) for p in cell.iter() if _local(p.tag) == "p")
                                           for cell in cells))
    return "\n".join(lines)


_CHINESE_DIGITS = "零一二三四五六七八九"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographDigital", "japaneseCounting",
                    "taiwaneseCounting", "taiwaneseCountingThousand"}


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (list numbers stay below a hundred)."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _list_number(n: int, number_format: str) -> str:
    """A list counter in one of Word's number formats (``w:numFmt``); other formats give digits."""
    if number_format in _CHINESE_FORMATS and 0 < n < 100:
        return _chinese_number(n)
    if number_format.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)  # ①
    if number_format in ("lowerLetter", "upperLetter") and 0 < n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter if number_format == "lowerLetter" else letter.upper()
    if number_format == "ideographTraditional" and 0 < n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    return str(n)


class _WordNumbering:
    """The list labels Word draws before numbered paragraphs (``numbering.xml``), as the text a reader sees:
    一、 （二） 3. ①. Without them a report whose headings are numbered automatically loses its enumerators."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract list → level → (format, text, start)
        self._abstract_of: dict[str, str] = {}  # list instance (numId) → abstract list
        self._counters: dict[str, dict[int, int]] = {}
        self._style_numbering: dict[str, tuple[str | None, int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        for abstract in root.findall(qn("w:abstractNum")) if root is not None else ():
            levels = self._levels.setdefault(abstract.get(qn("w:abstractNumId")), {})
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    self._value(level, "w:numFmt") or "decimal", self._value(level, "w:lvlText") or "",
                    int(self._value(level, "w:start") or 1))
        for instance in root.findall(qn("w:num")) if root is not None else ():
            self._abstract_of[instance.get(qn("w:numId"))] = self._value(instance, "w:abstractNumId")
        for style in document.styles.element.findall(qn("w:style")):
            self._style_numbering[style.get(qn("w:styleId"))] = self._num_pr(style)

    def _value(self, element, tag: str) -> str | None:
        child = element.find(self._qn(tag))
        return None if child is None else child.get(self._qn("w:val"))

    def _num_pr(self, element) -> tuple[str | None, int | None]:
        properties = element.find(self._qn("w:pPr"))
        numbering = properties.find(self._qn("w:numPr")) if properties is not None else None
        if numbering is None:
            return None, None
        level = self._value(numbering, "w:ilvl")
        return self._value(numbering, "w:numId"), int(level) if level is not None else None

    def label(self, paragraph) -> str:
        """The label of a paragraph (``""`` for one that is not numbered), counting it."""
        num_id, level = self._num_pr(paragraph)
        properties = paragraph.find(self._qn("w:pPr"))
        style = self._value(properties, "w:pStyle") if properties is not None else None
        style_id, style_level = self._style_numbering.get(style, (None, None))
        num_id = num_id or style_id
        level = level if level is not None else (style_level or 0)
        abstract = self._abstract_of.get(num_id)
        levels = self._levels.get(abstract)
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(abstract, {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a deeper list starts again under a new item
        if levels[level][0] in ("bullet", "none"):
            return ""  # a bullet is a symbol-font glyph, not text
        text = levels[level][1]
        for k in range(level, -1, -1):  # %1 … %9 stand for the counters of levels 0 … 8
            if k in levels:
                count = counters.get(k, levels[k][2])
                text = text.replace(f"%{k + 1}", _list_number(count, levels[k][0]))
        return text


def _docx_run_text(paragraph) -> str:
    """A paragraph's text: its text nodes, with its tab and line-break elements as characters."""
    parts = []
    for node in paragraph.iter():
        tag = _local(node.tag)
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "tab" and _local(node.getparent().tag) == "r":  # not a tab stop of the paragraph's style
            parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def _local(tag) -> str:
    """An XML element's tag without its namespace (comments and processing instructions have none)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _pdf_to_text(data: bytes, source: str) -> str:
    """Text of a PDF with wrapped lines joined back into paragraphs and page numbers dropped (PyMuPDF).

    A line continues the previous one when the previous line reaches the right margin and the
    next is neither indented nor separated by extra vertical space: the usual layout of
    Chinese official documents, which carry no hyphenation or inter-word spaces.
    """
    import pymupdf

    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as err:  # PyMuPDF raises its own error types for damaged files
        raise InputError(f"{source}: not a readable PDF file ({type(err).__name__})") from None
    pieces = []  # (text, x0, x1, y0, y1, page)
    for page_number, page in enumerate(pdf):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(span["text"] for span in line["spans"])
                if text.strip():
                    x0, y0, x1, y1 = line["bbox"]
                    pieces.append((text, x0, x1, y0, y1, page_number))
    lines = [line for line in _visual_lines(pieces) if not _is_page_number(line[0])]
    if not lines:
        raise InputError(f"{source}: the PDF has no text layer (scanned images need OCR first)")
    right = max(line[2] for line in lines)
    left = min(line[1] for line in lines)
    out: list[str] = []
    for i, (text, x0, x1, y0, y1, page) in enumerate(lines):
        out.append(text)
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1]
        char_width = max((y1 - y0) * 0.9, 1.0)
        reaches_margin = x1 >= right - 1.5 * char_width
        next_indented = nxt[1] > left + char_width * 0.8
        same_page_gap = nxt[5] == page and nxt[3] - y1 > (y1 - y0) * 0.8
        table_row = "\t" in text or "\t" in nxt[0]  # a table row is a line of its own, never wrapped text
        if table_row or not (reaches_margin and not next_indented and not same_page_gap):
            out.append("\n")
    return "".join(out)


def _visual_lines(pieces: list[tuple]) -> list[tuple]:
    """Join the pieces PyMuPDF gives for one printed line (the cells of a table row, text split at a wide gap),
    left to right: cells far apart by a tab, as a Word table row is read, close ones directly."""
    out: list[tuple] = []
    for text, x0, x1, y0, y1, page in pieces:
        if out:
            last_text, last_x0, last_x1, last_y0, last_y1, last_page = out[-1]
            height = max(last_y1 - last_y0, 1.0)
            if page == last_page and abs(y0 - last_y0) < 0.5 * height and x0 >= last_x1 - 0.5 * height:
                joint = "\t" if x0 - last_x1 >= 1.5 * height else ""
                out[-1] = (last_text + joint + text, last_x0, x1, min(y0, last_y0), max(y1, last_y1), page)
                continue
        out.append((text, x0, x1, y0, y1, page))
    return out


def _is_page_number(text: str) -> bool:
    stripped = text.strip().strip("-—–·第页 ").strip()
    return stripped.isdigit() and len(stripped) <= 4
