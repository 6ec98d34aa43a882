"""The ``zhpolicy`` command line: one Typer app with noun groups.

The CLI is thin: it parses arguments, calls the library and prints. Heavy libraries are imported
inside commands so that ``zhpolicy --help`` is instant. Bad input gives one line on stderr and exit
status 2; nothing here prints a traceback for a user's mistake.
"""

from __future__ import annotations

import sys

import typer

from . import corpus, taxonomy
from .train import evaluate_app, train_app
from .analyze import analyze_command, assemble_command
from .batch import batch_command
from .classify import classify_command

app = typer.Typer(
    name="zhpolicy",
    help="Analyse Chinese local-government rule-of-law reports (法治政府建设情况报告): structure, units, "
    "policy entities, sentence functions and goal links.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("analyze")(analyze_command)
app.command("batch")(batch_command)
app.command("classify")(classify_command)
app.command("assemble")(assemble_command)
app.add_typer(corpus.app, name="corpus")
app.add_typer(taxonomy.app, name="taxonomy")
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
