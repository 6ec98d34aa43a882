"""``zhpolicy analyze`` and ``zhpolicy assemble``."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from .common import MODEL_OPTION, SEGMENTER_OPTION, fail, load_pipeline, write_output


class OutputFormat(str, Enum):
    json = "json"
    table = "table"
    html = "html"
    summary = "summary"


def analyze_command(
    path: str = typer.Argument(..., help="Report to analyse: .txt (UTF-8/GB18030), .html, .docx, .pdf, or - for stdin."),
    format: OutputFormat = typer.Option(
        OutputFormat.json, "--format", "-f",
        help="json (output contract), table (units), html (a page to look at) or summary (goal × function coverage)."),
    out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
    model: Path = MODEL_OPTION,
    segmenter: str = SEGMENTER_OPTION,
    taxonomy: Path = typer.Option(None, "--taxonomy", help="Link units to this taxonomy file instead of the shipped one."),
) -> None:
    """Analyse one report: units with kinds and heading paths, and every stage the pipeline has."""
    from ..document import analyze_source
    from ..io import InputError, read_path, read_stdin

    try:
        source = read_stdin() if path == "-" else read_path(path)
    except InputError as err:
        fail(str(err))
    nlp = load_pipeline(model, segmenter)
    if taxonomy is not None:
        from ..taxonomy import TaxonomyError, load_taxonomy

        if "linker" not in nlp.pipe_names:
            fail("the pipeline has no linker stage to use a taxonomy")
        try:
            nlp.get_pipe("linker").set_taxonomy(load_taxonomy(taxonomy))
        except TaxonomyError as err:
            fail(str(err).splitlines()[0])
    record = analyze_source(nlp, source)
    if format is OutputFormat.json:
        write_output(json.dumps(record, ensure_ascii=False, indent=2), out)
    elif format is OutputFormat.summary:
        from ..render import print_summary

        if "coverage" not in record:
            fail("the summary needs the functions and linker stages in the pipeline")
        _print_to(print_summary, record, out)
    elif format is OutputFormat.html:
        from ..render import render_html

        write_output(render_html(record, source.text), out)
    else:
        from ..render import print_table

        _print_to(print_table, record, out)


def _print_to(printer, record: dict, out: Path | None) -> None:
    """Run a rich printer to the terminal or into a file."""
    if out is None:
        printer(record)
        return
    from rich.console import Console

    with out.open("w", encoding="utf-8") as handle:
        printer(record, Console(file=handle, width=160))


def assemble_command(
    out: Path = typer.Option(None, "--out", "-o", help="Where to save (default: models/zhpolicy)."),
    config: Path = typer.Option(None, "--config", "-c", help="Pipeline config (default: configs/pipeline.cfg)."),
) -> None:
    """Assemble the pipeline from its config and save it with spaCy's to_disk (untrained stages stay empty)."""
    from ..nlp import DEFAULT_CONFIG, DEFAULT_MODEL, assemble

    config = config or DEFAULT_CONFIG
    if not config.is_file():
        fail(f"{config}: no such config file")
    nlp = assemble(config)
    target = out or DEFAULT_MODEL
    nlp.to_disk(target)
    typer.echo(f"saved pipeline {nlp.pipe_names} to {target}")
