"""Human-readable views of a contract object: a rich table and a self-contained HTML page."""

from __future__ import annotations

import html
from collections import Counter

from .structure import one_line

FUNCTION_COLOURS = {
    "achievement": "#2e7d32",
    "shortcoming": "#c62828",
    "plan": "#1565c0",
    "other": "#757575",
}
ENTITY_COLOURS = {"PLAN": "#ffe08a", "CAMPAIGN": "#b5e8c8", "INSTITUTION": "#c9d8ff", "LAW": "#f6c6e6"}
KIND_STYLES = {"title": "bold", "heading": "bold cyan", "signature": "magenta", "date": "magenta", "furniture": "dim"}


def print_table(record: dict, console=None) -> None:
    """Print units (and entities, when present) as rich tables."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    console.print(f"[bold]{record.get('title') or record['doc_id']}[/bold]  ({record['text_length']} characters, "
                  f"{len(record['units'])} units)")
    has_functions = any("function" in unit for unit in record["units"])
    has_goals = any("goals" in unit for unit in record["units"])
    table = Table(show_lines=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    if has_functions:
        table.add_column("function", no_wrap=True)
    if has_goals:
        table.add_column("goals", no_wrap=True)
    table.add_column("text", ratio=1, overflow="fold")
    for unit in record["units"]:
        row = [str(unit["id"]), unit["kind"]]
        if has_functions:
            function = unit.get("function", "")
            colour = FUNCTION_COLOURS.get(function, "white")
            score = unit.get("function_scores", {}).get(function)
            row.append(f"[{colour}]{function}[/{colour}]" + (f" {score:.2f}" if score is not None else ""))
        if has_goals:
            row.append(" ".join(goal["id"] for goal in unit.get("goals", [])))
        text = escape(one_line(unit["text"]))
        style = KIND_STYLES.get(unit["kind"])
        row.append(f"[{style}]{text}[/{style}]" if style else text)
        table.add_row(*row)
    console.print(table)
    if record.get("entities"):
        counts = Counter((entity["label"], one_line(entity["text"])) for entity in record["entities"])
        entities = Table(title="Policy entities", expand=False)
        entities.add_column("label")
        entities.add_column("entity")
        entities.add_column("n", justify="right")
        for (label, text), n in sorted(counts.items(), key=lambda item: (item[0][0], -item[1], item[0][1])):
            entities.add_row(label, escape(text), str(n))
        console.print(entities)


def print_summary(record: dict, console=None) -> None:
    """The goal × function coverage matrix: units per goal that report achievements, shortcomings, plans."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    units = record["units"]
    counts = Counter(unit.get("function") for unit in units if unit["kind"] == "body")
    console.print(f"[bold]{escape(record.get('title') or record['doc_id'])}[/bold]  "
                  + "  ".join(f"[{FUNCTION_COLOURS[f]}]{f} {counts.get(f, 0)}[/]" for f in FUNCTION_COLOURS))
    table = Table(title="Goal coverage (primary goal of each unit; evidence = unit ids)", expand=True)
    table.add_column("goal", no_wrap=True)
    table.add_column("name", ratio=2)
    for function in ("achievement", "shortcoming", "plan"):
        table.add_column(function[:5], justify="right")
    table.add_column("evidence", ratio=1)
    for row in record["coverage"]:
        style = "bold" if row["level"] == 1 else ""
        evidence = "; ".join(f"{f[0].upper()}: {','.join(map(str, ids[:8]))}{'…' if len(ids) > 8 else ''}"
                             for f, ids in row["evidence"].items() if ids)
        table.add_row(f"[{style}]{row['goal']}[/]" if style else row["goal"], escape(row["name"]),
                      *[str(row[f]) for f in ("achievement", "shortcoming", "plan")], evidence)
    console.print(table)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;
     color:#222;background:#fafafa}
header{padding:16px 24px;background:#263238;color:#fff} header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;font-size:13px;color:#cfd8dc}
main{display:flex;gap:24px;padding:16px 24px} article{flex:1;max-width:980px;background:#fff;padding:20px 28px;
     box-shadow:0 1px 3px rgba(0,0,0,.12);white-space:pre-wrap;line-height:1.9;font-size:15px}
aside{width:260px;font-size:13px} aside section{background:#fff;padding:10px 14px;margin-bottom:12px;
     box-shadow:0 1px 3px rgba(0,0,0,.12)} aside h2{font-size:14px;margin:0 0 6px}
.unit{border-radius:3px;padding:1px 0} .unit:hover{outline:1px solid #90a4ae}
.k-title{font-size:20px;font-weight:700} .k-heading{font-weight:700;color:#0d47a1}
.k-signature,.k-date{color:#6a1b9a} .k-furniture{color:#9e9e9e;text-decoration:line-through}
.f-achievement{background:#e8f5e9} .f-shortcoming{background:#ffebee} .f-plan{background:#e3f2fd}
.uid{font-size:10px;color:#90a4ae;vertical-align:super;margin-right:2px;user-select:none}
mark.ent{padding:0 2px;border-radius:3px} mark.ent sub{font-size:9px;font-weight:700;margin-left:2px;color:#37474f}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:middle}
table{border-collapse:collapse} td{padding:1px 6px 1px 0}
"""


def render_html(record: dict, text: str) -> str:
    """A self-contained page (no external requests) showing units, kinds, functions and entities."""
    units = record["units"]
    entities = record.get("entities", [])
    by_unit: dict[int, list[dict]] = {}
    for entity in entities:
        by_unit.setdefault(entity["unit"], []).append(entity)
    parts: list[str] = []
    pos = 0
    for unit in units:
        parts.append(html.escape(text[pos : unit["start"]]))
        classes = [f"unit k-{unit['kind']}"]
        if "function" in unit:
            classes.append(f"f-{unit['function']}")
        tip = [f"#{unit['id']} {unit['kind']}"]
        if "function" in unit:
            scores = ", ".join(f"{k} {v:.2f}" for k, v in unit["function_scores"].items())
            tip.append(f"{unit['function']} ({scores})")
        if unit.get("goals"):
            tip.append("goals: " + ", ".join(f"{g['id']} {g['score']:.2f}" for g in unit["goals"]))
        if unit["heading_path"]:
            tip.append(" > ".join(unit["heading_path"]))
        inner = _with_entities(text, unit["start"], unit["end"], by_unit.get(unit["id"], []))
        parts.append(
            f'<span class="{" ".join(classes)}" id="u{unit["id"]}" title="{html.escape(" | ".join(tip))}">'
            f'<span class="uid">{unit["id"]}</span>{inner}</span>'
        )
        pos = unit["end"]
    parts.append(html.escape(text[pos:]))
    legend = _legend(record)
    title = html.escape(record.get("title") or record["doc_id"])
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{title}</h1><p>{html.escape(record['source'])} · {record['text_length']} characters · "
        f"{len(units)} units · {len(entities)} entities</p></header>"
        f"<main><article>{''.join(parts)}</article><aside>{legend}</aside></main></body></html>\n"
    )


def _with_entities(text: str, start: int, end: int, entities: list[dict]) -> str:
    out, pos = [], start
    for entity in entities:
        out.append(html.escape(text[pos : entity["start"]]))
        colour = ENTITY_COLOURS.get(entity["label"], "#eee")
        out.append(
            f'<mark class="ent e-{entity["label"]}" style="background:{colour}">'
            f'{html.escape(entity["text"])}<sub>{entity["label"]}</sub></mark>'
        )
        pos = entity["end"]
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def _legend(record: dict) -> str:
    units = record["units"]
    kinds = Counter(unit["kind"] for unit in units)
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{n}</td></tr>" for k, n in kinds.most_common())
    sections = [f"<section><h2>Unit kinds</h2><table>{rows}</table></section>"]
    if any("function" in unit for unit in units):
        functions = Counter(unit["function"] for unit in units)
        rows = "".join(
            f'<tr><td><span class="swatch f-{f}"></span>{f}</td><td>{functions.get(f, 0)}</td></tr>'
            for f in FUNCTION_COLOURS
        )
        sections.append(f"<section><h2>Functions</h2><table>{rows}</table></section>")
    if "entities" in record:
        labels = Counter(entity["label"] for entity in record["entities"])
        rows = "".join(
            f'<tr><td><span class="swatch" style="background:{c}"></span>{label}</td><td>{labels.get(label, 0)}</td></tr>'
            for label, c in ENTITY_COLOURS.items()
        )
        sections.append(f"<section><h2>Entities</h2><table>{rows}</table></section>")
    return "".join(sections)
