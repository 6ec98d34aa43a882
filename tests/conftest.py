"""Shared fixtures: the seed report, its copies in every supported format, and the assembled pipeline."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_PATH = REPO / "corpora" / "src" / "yuelu-2024-rule-of-law-report.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold_units() -> list[dict]:
    """The units of the seed per the guidelines, from the gold annotation shipped in corpora/."""
    rows = [json.loads(line) for line in (REPO / "corpora" / "src" / "yuelu-2024-rule-of-law-report.ann.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[1:]


@pytest.fixture(scope="session")
def seed_variants(tmp_path_factory, seed_text) -> dict[str, Path]:
    """The seed as GBK text, UTF-8 with BOM, an HTML page with navigation, a DOCX and a PDF."""
    import docx
    import pymupdf

    folder = tmp_path_factory.mktemp("seed-variants")
    paragraphs = seed_text.split("\n")
    paths = {}
    paths["gbk"] = folder / "seed-gbk.txt"
    paths["gbk"].write_bytes(seed_text.encode("gb18030"))
    paths["bom"] = folder / "seed-bom.txt"
    paths["bom"].write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    paths["html"] = folder / "seed.html"
    paths["html"].write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>区人民政府门户网站</title></head><body>"
        "<header><nav><a href='/'>首页</a> <a href='/zwgk'>政务公开</a> <a href='/bsfw'>办事服务</a></nav></header>"
        "<div class='crumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></div>"
        f"<div class='article'><div class='content'>{body}</div></div>"
        "<footer><p>主办单位：区人民政府办公室</p><a href='/sitemap'>网站地图</a></footer></body></html>",
        encoding="utf-8",
    )
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    paths["docx"] = folder / "seed.docx"
    document.save(paths["docx"])
    pdf = pymupdf.open()
    page, y = pdf.new_page(), 80
    for paragraph in paragraphs:
        chunks = [paragraph[i : i + 30] for i in range(0, len(paragraph), 30)] or [""]
        for chunk in chunks:
            if y > 780:
                page, y = pdf.new_page(), 80
            if chunk:
                page.insert_text((72, y), chunk, fontname="china-s", fontsize=14)
            y += 20 if chunk else 12
    paths["pdf"] = folder / "seed.pdf"
    pdf.save(paths["pdf"])
    return paths


@pytest.fixture(scope="session")
def nlp():
    """The shipped pipeline when present, else the one assembled from configs/."""
    from pipeline.nlp import load

    return load()
