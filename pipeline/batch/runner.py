"""``run_batch``: many files through the pipeline into an output folder, then tables and a report."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from . import engines
from .errors import BatchError
from .output import OutputDir
from .tables import TableWriter, iter_records
from .worker import DOCUMENTS, ERRORS, Result, Task, error_result

ENGINES = ("local", "dask")
TASKS_PER_WORKER = 4  # tasks in flight per worker: keeps workers busy while bounding memory


@dataclass
class BatchResult:
    """What a run did; also written to ``run.json``. ``documents``, ``errors`` and ``skipped`` count this
    run (a resumed run skips what is already written); ``totals`` counts the whole output folder."""

    out: str
    engine: str
    workers: int
    model: str
    inputs: int = 0
    documents: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    startup_seconds: float | None = None  # until the first document came back: imports, pipeline loading
    totals: dict = field(default_factory=dict)


def run_batch(
    inputs: list[str],
    out: str | os.PathLike,
    *,
    workers: int | None = None,
    resume: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    model: str | os.PathLike | None = None,
    progress: bool = False,
    report: bool = True,
) -> BatchResult:
    """Analyse every input into ``out/documents.jsonl`` (errors into ``out/errors.jsonl``).

    ``inputs`` are files, folders (searched recursively) and glob patterns. ``workers`` defaults to
    the number of CPUs; 1 runs in this process. With ``resume``, documents already in the output
    files are skipped. ``units.parquet``, ``entities.parquet`` and ``summary.csv`` are built from the
    documents as they are written (all of ``documents.jsonl``, earlier runs' part included), then
    ``report.html`` and ``run.json`` from the complete output files.
    Raises :class:`BatchError` for a run that cannot start.
    """
    from ..io import expand_inputs

    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r}; choose local or dask")
    if engine == "dask" and not scheduler:
        raise BatchError("--engine dask needs --scheduler ADDRESS (the dask scheduler, e.g. tcp://host:8786)")
    if workers is not None and workers < 1:
        raise BatchError("--workers must be at least 1")
    workers = workers or os.cpu_count() or 1
    model_path = _resolve_model(model)
    out = Path(out)
    started = time.perf_counter()
    found, missing = expand_inputs(list(inputs))
    result = BatchResult(out=str(out), engine=engine, workers=workers, model=model_path or "assembled from configs/")
    result.inputs = len(found) + len(missing)
    client = engines.dask_client(scheduler) if engine == "dask" else None
    if client is not None:
        result.workers = sum(client.nthreads().values()) or 1  # worker threads of the cluster
    try:
        with OutputDir(out, resume=resume) as output, TableWriter(out) as tables:
            if output.resumed[DOCUMENTS]:  # the tables cover the documents of earlier runs too
                for record in iter_records(output.paths[DOCUMENTS]):
                    tables.add(record)
            for item, reason in missing:
                if item not in output.done:
                    output.write(ERRORS, error_result(item, item, f"{item}: {reason}").line)
                    result.errors += 1
            tasks = [Task(str(i.path.absolute()), str(i.path), i.doc_id) for i in found if i.doc_id not in output.done]
            result.skipped = len(found) - len(tasks)
            for line in _with_progress(_results(tasks, model_path, result.workers, client), len(tasks), progress):
                if result.startup_seconds is None:
                    result.startup_seconds = round(time.perf_counter() - started, 3)
                output.write(line.stream, line.line)
                if line.stream == DOCUMENTS:
                    result.documents += 1
                    tables.add_rows(line.tables)
                else:
                    result.errors += 1
    finally:
        if client is not None:
            client.close()
    result.seconds = round(time.perf_counter() - started, 3)
    _finish(out, result, tables.counts, report)
    return result


def _resolve_model(model: str | os.PathLike | None) -> str | None:
    """An absolute model path every worker can load, or ``None`` to assemble from configs/."""
    from ..nlp import default_model_path

    path = Path(model) if model is not None else default_model_path()
    if path.is_dir():
        return str(path.absolute())
    if model is not None:
        raise BatchError(f"no saved pipeline at {path}")
    return None


def _results(tasks: list[Task], model: str | None, workers: int, client) -> Iterator[Result]:
    window = workers * TASKS_PER_WORKER
    if client is not None:
        return engines.dask_cluster(client, tasks, model, window)
    if workers == 1 or len(tasks) <= 1:
        return engines.in_process(tasks, model)
    return engines.local_processes(tasks, model, min(workers, len(tasks)), window)


def _with_progress(results: Iterator[Result], total: int, enabled: bool) -> Iterator[Result]:
    """Pass results through while a progress bar (documents/s, ETA) runs on stderr when it is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=not (enabled and console.is_terminal)) as bar:
        task = bar.add_task("loading pipeline", total=total, rate="-")
        for result in results:
            yield result
            bar.advance(task)
            speed = bar.tasks[0].speed
            bar.update(task, description="batch", rate=f"{speed:.1f}" if speed else "-")


def _finish(out: Path, result: BatchResult, table_counts: dict, report: bool) -> None:
    """Report page and ``run.json``, from the complete output files (the tables are written by then)."""
    from .report import write_report

    result.totals = {**table_counts, "errors": _count_lines(out / "errors.jsonl")}
    if report:
        write_report(out)
    summary = asdict(result)
    summary["documents_per_second"] = round(result.documents / result.seconds, 2) if result.seconds else None
    summary["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    tmp = out / "run.json.tmp"
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out / "run.json")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
