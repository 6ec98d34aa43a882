"""Helpers shared by the CLI commands: one-line errors and model options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

MODEL_OPTION = typer.Option(
    None, "--model", "-m", help="Saved pipeline directory (default: models/zhpolicy or $ZHPOLICY_MODEL)."
)
SEGMENTER_OPTION = typer.Option(None, "--segmenter", help="Word segmenter: jieba (default) or hanlp.")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def load_pipeline(model: Path | None, segmenter: str | None = None):
    """Load the pipeline, turning missing models or extras into one-line errors."""
    from ..nlp import load

    if segmenter not in (None, "jieba", "hanlp"):
        fail(f"unknown segmenter {segmenter!r}; choose jieba or hanlp")
    try:
        nlp = load(model, segmenter=segmenter)
        if segmenter == "hanlp":
            nlp.tokenizer("测试")  # load the segmenter now, so a missing extra is reported up front
        return nlp
    except FileNotFoundError as err:
        fail(str(err))
    except ImportError as err:
        fail(str(err).splitlines()[0])


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"{out}: cannot write ({err.strerror or err})")
