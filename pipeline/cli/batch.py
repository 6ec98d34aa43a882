"""``zhpolicy batch``: many reports into an output folder (JSON lines, tables, report page)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List

import typer

from .common import MODEL_OPTION, fail


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def batch_command(
    inputs: List[str] = typer.Argument(..., help="Report files, folders (searched recursively) and glob patterns."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: documents.jsonl, errors.jsonl, tables, report.html."),
    workers: int = typer.Option(None, "--workers", "-w", min=1, help="Worker processes (default: number of CPUs; 1 runs in-process)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run in OUT, skipping documents already written."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local (worker processes) or dask (an existing dask.distributed cluster)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Address of the dask scheduler for --engine dask, e.g. tcp://host:8786."),
    model: Path = MODEL_OPTION,
) -> None:
    """Analyse many reports: documents.jsonl (one contract object per line), errors.jsonl, units.parquet,
    entities.parquet, summary.csv, report.html and run.json in OUT."""
    from ..batch import BatchError, run_batch

    try:
        result = run_batch(
            inputs, out, workers=workers, resume=resume, engine=engine.value, scheduler=scheduler, model=model, progress=True
        )
    except BatchError as err:
        fail(str(err))
    skipped = f", {result.skipped} already done" if result.skipped else ""
    typer.echo(
        f"{result.documents} documents, {result.errors} errors{skipped} in {result.seconds:.1f}s → {out}", err=True
    )
