"""``report.html``: one self-contained offline page of charts over a batch, linked to its evidence units.

The page makes no network request: inline CSS, charts drawn with HTML elements, the heatmap
selector done with CSS radio buttons (no script). It is built in two streaming passes over
``documents.jsonl``: the first gathers small per-document aggregates (for at most
:data:`MAX_DOCUMENTS` documents) and entity counts, the second writes the per-document sections one
document at a time. Stages missing from the records (functions, goals, entities) are reported as
missing instead of drawn as empty charts.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TextIO

from .tables import FUNCTIONS, goal_key, iter_records, parent_goal

MAX_DOCUMENTS = 200  # documents drawn in charts and sections; the tables hold all of them
MAX_ERRORS = 200
TOP_ENTITIES = 15
ENTITY_LISTS = (("INSTITUTION", "Institutions"), ("CAMPAIGN", "Campaigns"), ("PLAN", "Plans"), ("LAW", "Laws"))
KINDS = ("title", "heading", "body", "signature", "date", "furniture")
HEATMAP_VIEWS = (("all", "all linked units"), ("achievement", "achievement"), ("shortcoming", "shortcoming"), ("plan", "plan"))


@dataclass
class DocSummary:
    """What the charts need of one document."""

    index: int
    doc_id: str
    title: str | None
    units: int
    kinds: Counter = field(default_factory=Counter)  # units per kind
    functions: Counter = field(default_factory=Counter)  # body units per function
    cells: dict = field(default_factory=dict)  # (goal, view) -> [count, first unit id]


@dataclass
class BatchSummary:
    documents: list[DocSummary] = field(default_factory=list)
    total_documents: int = 0
    total_units: int = 0
    has_functions: bool = False
    has_goals: bool = False
    has_entities: bool = False
    goals: set = field(default_factory=set)
    function_totals: Counter = field(default_factory=Counter)
    entities: dict = field(default_factory=dict)  # label -> Counter of texts (grows with distinct names only)
    entity_targets: dict = field(default_factory=dict)  # (label, text) -> anchor of the first occurrence shown


def entity_units(record: dict) -> set:
    return {entity.get("unit") for entity in record.get("entities") or ()}


def is_evidence(unit: dict, with_entities: set) -> bool:
    """Units listed (and anchored) in a document's section: headings for orientation, and units that
    carry a goal link, a substantive function or an entity."""
    return bool(
        unit.get("is_heading")
        or unit.get("goals")
        or unit.get("function") in ("achievement", "shortcoming", "plan")
        or unit["id"] in with_entities
    )


def summarize(documents_path: Path) -> BatchSummary:
    """First pass: per-document aggregates for the documents shown, totals for all."""
    summary = BatchSummary()
    for index, record in enumerate(iter_records(documents_path)):
        summary.total_documents += 1
        units = record.get("units") or []
        summary.total_units += len(units)
        summary.has_entities |= "entities" in record
        shown = index < MAX_DOCUMENTS
        doc = DocSummary(index, record["doc_id"], record.get("title"), len(units))
        for unit in units:
            function = unit.get("function")
            doc.kinds[unit.get("kind")] += 1
            summary.has_functions |= function is not None
            summary.has_goals |= "goals" in unit
            if function is not None and unit.get("kind") == "body":
                doc.functions[function] += 1
                summary.function_totals[function] += 1
            if not shown:
                continue
            for goal in {g["id"] for g in unit.get("goals") or ()}:
                summary.goals.add(goal)
                for view in ("all", function) if function else ("all",):
                    cell = doc.cells.setdefault((goal, view), [0, unit["id"]])
                    cell[0] += 1
        for entity in record.get("entities") or ():
            label, text = entity["label"], entity["text"]
            summary.entities.setdefault(label, Counter())[text] += 1
            if shown and (label, text) not in summary.entity_targets:
                unit_id = entity.get("unit")  # units with entities are listed, so their anchors exist
                summary.entity_targets[label, text] = f"d{index}-u{unit_id}" if unit_id is not None else f"doc-{index}"
        if shown:
            summary.documents.append(doc)
    return summary


def write_report(out: Path) -> None:
    """Write ``out/report.html`` from ``out/documents.jsonl`` and ``out/errors.jsonl``."""
    summary = summarize(out / "documents.jsonl")
    names = _goal_names()
    tmp = out / "report.html.tmp"
    with tmp.open("w", encoding="utf-8") as page:
        page.write(_head(out))
        page.write(_overview(summary, out))
        page.write(_function_section(summary))
        page.write(_goal_section(summary, names))
        page.write(_entity_section(summary))
        page.write(_structure_section(summary))
        _write_document_sections(page, out / "documents.jsonl", summary, names)
        page.write(_error_section(out / "errors.jsonl"))
        page.write("</main></body></html>\n")
    tmp.replace(out / "report.html")


# -- pieces of the page ----------------------------------------------------------------------------


def esc(text) -> str:
    """Escape for HTML; ``://`` is written as an entity so that no URL appears in the page source."""
    return html.escape(str(text), quote=True).replace("://", ":&#47;&#47;")


def _goal_names() -> dict[str, str]:
    """Goal names from the default taxonomy, for labels and tooltips (ids alone when it is missing)."""
    from ..taxonomy import TaxonomyError, load_taxonomy

    try:
        return {goal.id: goal.name for goal in load_taxonomy().goals.values()}
    except (TaxonomyError, OSError):
        return {}


def _head(out: Path) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>zhpolicy batch report — {esc(out.name)}</title>
<style>{CSS}</style></head><body>
<header><h1>zhpolicy batch report</h1><p class="sub">{esc(out)}</p>
<nav><a href="#functions">Functions</a><a href="#goals">Goal coverage</a><a href="#entities">Entities</a><a href="#structure">Units</a>
<a href="#documents">Documents</a><a href="#errors">Errors</a></nav></header><main>
"""


def _overview(summary: BatchSummary, out: Path) -> str:
    errors = _count_lines(out / "errors.jsonl")
    entities = sum(sum(counter.values()) for counter in summary.entities.values())
    cards = [("documents", summary.total_documents), ("units", summary.total_units), ("entities", entities),
             ("errors", errors)]
    body = "".join(f'<div class="card"><b>{value:,}</b><span>{label}</span></div>' for label, value in cards)
    stages = [("structure", True), ("functions", summary.has_functions), ("goal links", summary.has_goals), ("entities", summary.has_entities)]
    present = ", ".join(name for name, ok in stages if ok)
    missing = ", ".join(name for name, ok in stages if not ok)
    note = f'<p class="note">Stages in these records: {esc(present)}.'
    note += f" Not in the pipeline that produced them: {esc(missing)}.</p>" if missing else "</p>"
    if summary.total_documents > MAX_DOCUMENTS:
        note += (f'<p class="note">Charts and sections show the first {MAX_DOCUMENTS} of '
                 f"{summary.total_documents:,} documents; units.parquet and summary.csv hold all of them.</p>")
    return f'<section id="overview"><div class="cards">{body}</div>{note}</section>\n'


def _doc_tooltip(doc: DocSummary) -> str:
    return esc(f"{doc.doc_id} — {doc.title}" if doc.title else doc.doc_id)


def _legend(keys) -> str:
    return '<div class="legend">' + "".join(f'<span><i class="sw f-{k}"></i>{k}</span>' for k in keys) + "</div>"


def _stacked_bar(counts: Counter) -> str:
    total = sum(counts.values())
    if not total:
        return '<div class="stack empty"></div>'
    parts = []
    for function in FUNCTIONS:
        n = counts.get(function, 0)
        if n:
            share = 100 * n / total
            parts.append(f'<i class="f-{function}" style="width:{share:.2f}%" title="{function}: {n} units ({share:.0f}%)"></i>')
    return f'<div class="stack">{"".join(parts)}</div>'


def _structure_section(summary: BatchSummary) -> str:
    """Units per document by kind: the document lengths and shapes at a glance, with any pipeline."""
    peak = max((doc.units for doc in summary.documents), default=0) or 1
    rows = []
    for doc in summary.documents:
        parts = "".join(
            f'<i class="k-{kind}" style="width:{100 * doc.kinds[kind] / peak:.2f}%" title="{kind}: {doc.kinds[kind]}"></i>'
            for kind in KINDS if doc.kinds.get(kind)
        )
        rows.append(
            f'<div class="row"><a class="label" href="#doc-{doc.index}" title="{_doc_tooltip(doc)}">{esc(doc.doc_id)}</a>'
            f'<div class="stack open">{parts}</div><span class="n">{doc.units}</span></div>'
        )
    legend = '<div class="legend">' + "".join(f'<span><i class="sw k-{k}"></i>{k}</span>' for k in KINDS) + "</div>"
    return ('<section id="structure"><h2>Units per document</h2><p class="explain">Units by kind; the bar length is '
            'relative to the longest document shown.</p>' + legend + f'<div class="bars">{"".join(rows)}</div></section>\n')


def _function_section(summary: BatchSummary) -> str:
    head = '<section id="functions"><h2>Function shares per document</h2>'
    if not summary.has_functions:
        return head + '<p class="missing">No unit functions in these records: the pipeline that produced them has no function stage.</p></section>\n'
    rows = [
        '<div class="row total"><span class="label">all documents</span>'
        f"{_stacked_bar(summary.function_totals)}<span class=\"n\">{sum(summary.function_totals.values()):,}</span></div>"
    ]
    for doc in summary.documents:
        rows.append(
            f'<div class="row"><a class="label" href="#doc-{doc.index}" title="{_doc_tooltip(doc)}">{esc(doc.doc_id)}</a>'
            f'{_stacked_bar(doc.functions)}<span class="n">{sum(doc.functions.values())}</span></div>'
        )
    return (head + '<p class="explain">Share of body units per function; the number is the body units with a function.</p>'
            + _legend(FUNCTIONS) + '<div class="bars">' + "".join(rows) + "</div></section>\n")


def _goal_section(summary: BatchSummary, names: dict[str, str]) -> str:
    head = '<section id="goals"><h2>Goal coverage</h2>'
    if not summary.has_goals:
        return head + '<p class="missing">No goal links in these records: the pipeline that produced them has no goal linker.</p></section>\n'
    if not summary.goals:
        return head + '<p class="missing">The goal linker found no goal in any unit of these documents.</p></section>\n'
    goals = sorted(summary.goals, key=goal_key)
    views = HEATMAP_VIEWS if summary.has_functions else HEATMAP_VIEWS[:1]
    radios = "".join(
        f'<input type="radio" name="hm" id="hm-{key}" class="hm-radio"{" checked" if i == 0 else ""}>'
        for i, (key, _) in enumerate(views)
    )
    tabs = "".join(f'<label for="hm-{key}" class="tab t-{key}">{esc(title)}</label>' for key, title in views)
    tables = "".join(_heatmap(summary, goals, key, names) for key, _ in views)
    key_list = "".join(f"<dt>{esc(goal)}</dt><dd>{esc(names.get(goal, ''))}</dd>" for goal in goals)
    return (
        head
        + '<p class="explain">Units linked to each goal, per document. Pick a function; a cell links to the '
        "first such unit in the document's section below. Hover a column for the goal's name.</p>"
        + f'{radios}<div class="tabs">{tabs}</div><div class="heatmaps">{tables}</div>'
        + f'<details><summary>Goal names</summary><dl class="goalkey">{key_list}</dl></details></section>\n'
    )


def _heatmap(summary: BatchSummary, goals: list[str], view: str, names: dict[str, str]) -> str:
    peak = max((doc.cells.get((g, view), [0])[0] for doc in summary.documents for g in goals), default=0) or 1
    groups: list[list] = []
    for goal in goals:
        parent = parent_goal(goal)
        if groups and groups[-1][0] == parent:
            groups[-1][1] += 1
        else:
            groups.append([parent, 1])
    group_row = "".join(
        f'<th colspan="{span}" class="grp" title="{esc(names.get(parent, parent))}">{esc(parent)}</th>' for parent, span in groups
    )
    goal_row = "".join(
        f'<th class="gid" title="{esc(goal)} {esc(names.get(goal, ""))}">{esc(goal.split(".", 1)[-1] if "." in goal else goal)}</th>'
        for goal in goals
    )
    rows = []
    for doc in summary.documents:
        cells = []
        for goal in goals:
            count, unit_id = doc.cells.get((goal, view), [0, None])
            if not count:
                cells.append("<td></td>")
                continue
            strength = (count / peak) ** 0.5
            tone = "dark" if strength > 0.55 else "light"
            cells.append(
                f'<td class="on {tone}" style="--a:{0.15 + 0.85 * strength:.2f}">'
                f'<a href="#d{doc.index}-u{unit_id}" title="{esc(doc.doc_id)} · {esc(goal)} {esc(names.get(goal, ""))} · '
                f'{count} unit{"s" if count > 1 else ""}">{count}</a></td>'
            )
        rows.append(f'<tr><th class="doc"><a href="#doc-{doc.index}" title="{_doc_tooltip(doc)}">{esc(doc.doc_id)}</a></th>{"".join(cells)}</tr>')
    return (
        f'<div class="heatmap hm-{view}"><table><thead><tr><th></th>{group_row}</tr><tr><th class="doc">document</th>{goal_row}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def _entity_section(summary: BatchSummary) -> str:
    head = '<section id="entities"><h2>Most frequent institutions, campaigns and plans</h2>'
    if not summary.has_entities:
        return head + '<p class="missing">No entities in these records: the pipeline that produced them has no entity recognizer.</p></section>\n'
    lists = []
    for label, title in ENTITY_LISTS:
        counter = summary.entities.get(label, Counter())
        top = counter.most_common(TOP_ENTITIES)
        if not top:
            lists.append(f'<div class="elist"><h3>{esc(title)}</h3><p class="missing">none found</p></div>')
            continue
        peak = top[0][1]
        items = []
        for text, count in top:
            target = summary.entity_targets.get((label, text))
            name = f'<a href="#{target}">{esc(text)}</a>' if target else esc(text)
            items.append(
                f'<li><span class="ename" title="{esc(text)}">{name}</span>'
                f'<span class="ebar"><i class="e-{label}" style="width:{100 * count / peak:.1f}%"></i></span><span class="n">{count}</span></li>'
            )
        lists.append(f'<div class="elist"><h3>{esc(title)} <small>{len(counter):,} distinct</small></h3><ol>{"".join(items)}</ol></div>')
    return head + '<p class="explain">Mentions across all documents; a name links to its first mention shown below.</p>' + f'<div class="elists">{"".join(lists)}</div></section>\n'


def _write_document_sections(page: TextIO, documents_path: Path, summary: BatchSummary, names: dict[str, str]) -> None:
    """Second pass: one section per shown document, listing its evidence units with anchors."""
    page.write('<section id="documents"><h2>Documents and evidence units</h2>'
               '<p class="explain">Per document: headings, and the units that carry a goal link, a function other than '
               '“other” or an entity. Entities are highlighted.</p>')
    for index, record in enumerate(islice(iter_records(documents_path), len(summary.documents))):
        page.write(_document_section(index, record, names))
    page.write("</section>\n")


def _document_section(index: int, record: dict, names: dict[str, str]) -> str:
    units = record.get("units") or []
    with_entities = entity_units(record)
    by_unit: dict = {}
    for entity in record.get("entities") or ():
        by_unit.setdefault(entity.get("unit"), []).append(entity)
    items = []
    for unit in units:
        if not is_evidence(unit, with_entities):
            continue
        anchor = f"d{index}-u{unit['id']}"
        if unit.get("is_heading"):
            items.append(f'<li id="{anchor}" class="h"><span class="uid">#{unit["id"]}</span>{esc(unit["text"])}</li>')
            continue
        function = unit.get("function")
        badges = f'<span class="badge f-{function}">{esc(function)}</span>' if function in FUNCTIONS else ""
        badges += "".join(_goal_chip(goal, names) for goal in unit.get("goals") or ())
        text = _marked_text(unit, by_unit.get(unit["id"], []))
        items.append(f'<li id="{anchor}"><span class="uid">#{unit["id"]}</span>{badges}<span class="ut">{text}</span></li>')
    title = record.get("title")
    heading = esc(record["doc_id"]) + (f' <small>{esc(title)}</small>' if title else "")
    body = f'<ol class="units">{"".join(items)}</ol>' if items else '<p class="missing">No evidence units in this document.</p>'
    return (f'<article id="doc-{index}"><h3>{heading}</h3><p class="meta">{len(units)} units · '
            f'{esc(record.get("source", ""))}</p>{body}</article>\n')


def _goal_chip(goal: dict, names: dict[str, str]) -> str:
    score = goal.get("score")
    score_text = "" if score is None else f" <small>{score:.2f}</small>"
    return f'<span class="goal" title="{esc(names.get(goal["id"], ""))}">{esc(goal["id"])}{score_text}</span>'


def _marked_text(unit: dict, entities: list[dict]) -> str:
    """The unit's text with its entities wrapped in ``<mark>``, using offsets relative to the unit."""
    text, start, pieces, cursor = unit["text"], unit["start"], [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        a, b = entity["start"] - start, entity["end"] - start
        if a < cursor or b > len(text):
            continue
        pieces.append(esc(text[cursor:a]))
        pieces.append(f'<mark class="e-{esc(entity["label"])}" title="{esc(entity["label"])}">{esc(text[a:b])}</mark>')
        cursor = b
    pieces.append(esc(text[cursor:]))
    return "".join(pieces)


def _error_section(errors_path: Path) -> str:
    head = '<section id="errors"><h2>Errors</h2>'
    if not errors_path.exists() or not _count_lines(errors_path):
        return head + '<p class="note">Every input was read and processed.</p></section>\n'
    rows, total = [], 0
    with errors_path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            total += 1
            if total <= MAX_ERRORS:
                error = json.loads(line)
                rows.append(f"<tr><td>{esc(error.get('doc_id', ''))}</td><td>{esc(error.get('error', ''))}</td></tr>")
    more = f'<p class="note">First {MAX_ERRORS} of {total:,}; all are in errors.jsonl.</p>' if total > MAX_ERRORS else ""
    return head + f'<table class="errors"><thead><tr><th>document</th><th>reason</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{more}</section>\n'


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open(encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip())


CSS = """
:root{--ach:#2e7d32;--sho:#c62828;--pla:#1565c0;--oth:#b0b7bf;--ink:#1d2329;--mute:#66707a;--line:#e3e7eb;--bg:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#17324d;color:#fff;padding:18px 32px 10px}
header h1{margin:0;font-size:22px}
header .sub{margin:2px 0 8px;color:#b9c7d6;font-size:12px}
nav a{color:#dfe8f1;margin-right:18px;text-decoration:none;font-size:13px}
nav a:hover{text-decoration:underline}
main{padding:8px 32px 40px;max-width:1500px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 6px;font-size:18px}
h3{font-size:15px;margin:10px 0 4px}
.explain,.note,.meta{color:var(--mute);font-size:12.5px;margin:2px 0 10px}
.missing{color:#8a5a00;background:#fff7e0;border:1px solid #f0dca0;border-radius:6px;padding:8px 12px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 18px;min-width:120px}
.card b{display:block;font-size:22px}.card span{color:var(--mute);font-size:12px}
.f-achievement{background:var(--ach)}.f-shortcoming{background:var(--sho)}.f-plan{background:var(--pla)}.f-other{background:var(--oth)}
.legend{display:flex;gap:16px;margin:4px 0 10px;font-size:12.5px}
.legend .sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.bars .row{display:grid;grid-template-columns:280px 1fr 56px;align-items:center;gap:10px;padding:2px 0}
.bars .row.total{font-weight:600;border-bottom:1px solid var(--line);padding-bottom:6px;margin-bottom:4px}
.label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:12.5px;color:var(--ink);text-decoration:none}
a.label:hover{text-decoration:underline}
.stack{display:flex;height:16px;border-radius:3px;overflow:hidden;background:#eef1f4}
.stack i{display:block;height:100%}
.stack.open{background:none}
.k-title{background:#17324d}.k-heading{background:#4f7aa3}.k-body{background:#9fb8cf}.k-signature{background:#c9a66b}
.k-date{background:#e0c48f}.k-furniture{background:#d5d9de}
.n{font-variant-numeric:tabular-nums;color:var(--mute);font-size:12px;text-align:right}
.hm-radio{position:absolute;opacity:0;pointer-events:none}
.tabs{display:flex;gap:6px;margin:6px 0 8px}
.tab{cursor:pointer;border:1px solid var(--line);border-radius:14px;padding:2px 12px;font-size:12.5px;background:var(--bg)}
#hm-all:checked~.tabs .t-all,#hm-achievement:checked~.tabs .t-achievement,#hm-shortcoming:checked~.tabs .t-shortcoming,#hm-plan:checked~.tabs .t-plan{background:#17324d;color:#fff;border-color:#17324d}
.heatmap{display:none;overflow-x:auto}
#hm-all:checked~.heatmaps .hm-all,#hm-achievement:checked~.heatmaps .hm-achievement,#hm-shortcoming:checked~.heatmaps .hm-shortcoming,#hm-plan:checked~.heatmaps .hm-plan{display:block}
.heatmap table{border-collapse:separate;border-spacing:2px;font-size:11px}
.heatmap th.doc{text-align:right;font-weight:normal;max-width:260px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding-right:6px}
.heatmap th.doc a{color:var(--ink);text-decoration:none}
.heatmap th.grp{font-size:10.5px;color:var(--mute);border-bottom:2px solid #c9d2db;font-weight:600}
.heatmap th.gid{font-weight:normal;color:var(--mute);vertical-align:bottom;font-size:10px}
.heatmap td{width:22px;min-width:22px;height:20px;background:#f0f2f5;border-radius:2px;text-align:center;padding:0}
.heatmap td a{display:block;line-height:20px;text-decoration:none;font-size:10px}
.hm-all td.on{background:rgba(91,60,140,var(--a))}.hm-achievement td.on{background:rgba(46,125,50,var(--a))}
.hm-shortcoming td.on{background:rgba(198,40,40,var(--a))}.hm-plan td.on{background:rgba(21,101,192,var(--a))}
td.on.dark a{color:#fff}td.on.light a{color:#1d2329}
details{margin-top:10px;font-size:12.5px}
.goalkey{display:grid;grid-template-columns:60px 1fr;gap:2px 10px;margin:6px 0}
.goalkey dt{font-weight:600}.goalkey dd{margin:0;color:var(--mute)}
.elists{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:18px}
.elist ol{list-style:none;margin:0;padding:0}
.elist li{display:grid;grid-template-columns:minmax(0,1.3fr) 1fr 34px;gap:8px;align-items:center;font-size:12.5px;padding:1px 0}
.elist h3 small{color:var(--mute);font-weight:normal}
.ename{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.ename a{color:var(--ink);text-decoration:none}.ename a:hover{text-decoration:underline}
.ebar{height:10px;background:#eef1f4;border-radius:2px;overflow:hidden}.ebar i{display:block;height:100%}
.e-INSTITUTION{background:#7b5ea7}.e-CAMPAIGN{background:#d98a1c}.e-PLAN{background:#2a8c8c}.e-LAW{background:#8c6d3f}
mark{color:inherit;border-bottom:2px solid;padding:0 1px;border-radius:2px}
mark.e-INSTITUTION{background:#efe9f7;border-color:#7b5ea7}mark.e-CAMPAIGN{background:#fbf0df;border-color:#d98a1c}
mark.e-PLAN{background:#e2f2f2;border-color:#2a8c8c}mark.e-LAW{background:#f3ece2;border-color:#8c6d3f}
article{border-top:1px solid var(--line);padding-top:6px;margin-top:14px}
article h3 small{color:var(--mute);font-weight:normal;margin-left:8px}
ol.units{list-style:none;margin:0;padding:0}
ol.units li{padding:3px 6px;border-left:3px solid transparent;font-size:13px}
ol.units li.h{font-weight:600;margin-top:6px}
ol.units li:target{background:#fff4c2;border-left-color:#e0a800}
.uid{color:var(--mute);font-size:11px;margin-right:6px;font-variant-numeric:tabular-nums}
.badge{color:#fff;font-size:10.5px;border-radius:3px;padding:0 5px;margin-right:4px}
.goal{font-size:10.5px;border:1px solid #9aa7b4;border-radius:3px;padding:0 4px;margin-right:4px;color:#34414e}
.goal small{color:var(--mute)}
.ut{margin-left:2px}
table.errors{border-collapse:collapse;font-size:12.5px;width:100%}
table.errors td,table.errors th{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left}
"""
