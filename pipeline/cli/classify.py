"""``zhpolicy classify``: the function of sentences given alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from .common import MODEL_OPTION, fail, load_pipeline


def classify_command(
    sentences: List[str] = typer.Argument(..., help="One or more sentences (or - to read one per line from stdin)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines: text, function, function_scores."),
    model: Path = MODEL_OPTION,
) -> None:
    """Classify sentences without document context: achievement, shortcoming, plan or other, with scores."""
    import sys

    if sentences == ["-"]:
        sentences = [line.strip() for line in sys.stdin if line.strip()]
    if not sentences or not all(s.strip() for s in sentences):
        fail("give at least one non-empty sentence")
    nlp = load_pipeline(model)
    if "functions" not in nlp.pipe_names:
        fail("the pipeline has no functions stage: run `zhpolicy train function`")
    results = nlp.get_pipe("functions").classify(sentences)
    if as_json:
        for sentence, scores in zip(sentences, results):
            row = {"text": sentence, "function": max(scores, key=scores.get), "function_scores": scores}
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..render import FUNCTION_COLOURS

    table = Table()
    table.add_column("function")
    for label in FUNCTION_COLOURS:
        table.add_column(label[:5], justify="right")
    table.add_column("text")
    for sentence, scores in zip(sentences, results):
        best = max(scores, key=scores.get)
        colour = FUNCTION_COLOURS[best]
        table.add_row(f"[{colour}]{best}[/{colour}]", *[f"{scores[k]:.2f}" for k in FUNCTION_COLOURS], escape(sentence))
    Console().print(table)
