"""One file through the pipeline, wherever the work runs: this process, a pool worker or a dask worker.

Workers are given paths and return one finished JSON line and the document's rows of the tables, never
spaCy objects: shipping ``Doc`` objects between processes costs more than the analysis, and preparing
the rows here, in parallel, leaves the main process only appending. Each process loads a pipeline once
and keeps it in :data:`_PIPELINES`, keyed by model path.
"""

from __future__ import annotations

import dataclasses
import json
from typing import NamedTuple

from .errors import BatchError

DOCUMENTS = "documents"
ERRORS = "errors"
_MAX_ERROR_LENGTH = 500

_PIPELINES: dict[str | None, object] = {}


class Task(NamedTuple):
    """A file to process: where to read it, the path as the user gave it, and its stable id."""

    read_path: str
    source: str
    doc_id: str


class Result(NamedTuple):
    """Which output file the line goes to (``documents`` or ``errors``), the complete line, and for a
    document its table rows (:func:`pipeline.batch.tables.table_rows`)."""

    stream: str
    line: str
    tables: dict | None = None


def get_pipeline(model: str | None):
    """The pipeline for ``model`` (``None``: the default), loaded once per process."""
    nlp = _PIPELINES.get(model)
    if nlp is None:
        from ..nlp import load

        try:
            nlp = _PIPELINES[model] = load(model)
        except Exception as err:  # any failure here stops the run; say which pipeline and why, on one line
            reason = " ".join(f"{type(err).__name__}: {err}".split())
            raise BatchError(f"cannot load the pipeline {model or 'from configs/'}: {reason}") from None
    return nlp


def warm_up(model: str | None) -> None:
    """Load the pipeline in this process ahead of the first file (returns nothing to ship back)."""
    get_pipeline(model)


def process_file(task: Task, model: str | None) -> Result:
    """Analyse one file; any problem with this file becomes an error line instead of an exception.

    A pipeline that cannot be loaded is not a problem of the file: its :class:`BatchError` stops the run.
    """
    from ..document import analyze_source
    from ..io import InputError, read_path
    from .tables import table_rows

    nlp = get_pipeline(model)
    try:
        source = dataclasses.replace(read_path(task.read_path), source=task.source)
        record = analyze_source(nlp, source, task.doc_id)
    except InputError as err:
        return error_result(task.doc_id, task.source, str(err))
    except Exception as err:  # isolating one document's failure is the point
        return error_result(task.doc_id, task.source, f"{type(err).__name__}: {err}")
    return Result(DOCUMENTS, json.dumps(record, ensure_ascii=False) + "\n", table_rows(record))


def error_result(doc_id: str, source: str, error: str) -> Result:
    """An ``errors.jsonl`` line; the reason is squeezed onto one line and kept short."""
    reason = " ".join(error.split())
    if len(reason) > _MAX_ERROR_LENGTH:
        reason = reason[: _MAX_ERROR_LENGTH - 1] + "…"
    line = json.dumps({"doc_id": doc_id, "source": source, "error": reason}, ensure_ascii=False)
    return Result(ERRORS, line + "\n")
