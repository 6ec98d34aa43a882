"""``zhpolicy corpus …``: build, validate, describe, export and silver-label report corpora."""

from __future__ import annotations

import json
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .common import fail

app = typer.Typer(help="Build, validate, describe, export and silver-label annotated corpora.", no_args_is_help=True)


@app.command("build")
def build_command(
    src: Path = typer.Option(None, help="Source folder of <id>.txt + <id>.ann.jsonl pairs (default: corpora/src)."),
    out: Path = typer.Option(None, help="Output folder for train/dev/test JSONL (default: corpora/data)."),
) -> None:
    """Build the document records (offsets computed from the annotated strings) and split them."""
    from .. import corpus

    try:
        counts = corpus.build(src or corpus.SRC_DIR, out or corpus.DATA_DIR)
    except corpus.CorpusError as err:
        fail(str(err), 1)
    typer.echo("built " + ", ".join(f"{name}: {n} documents" for name, n in counts.items()))


@app.command("validate")
def validate_command(
    paths: Optional[List[Path]] = typer.Argument(None, help="JSONL files of document records (default: the corpus splits)."),
    taxonomy: Path = typer.Option(None, help="Taxonomy whose goal ids are valid (default: configs/taxonomy.yaml)."),
) -> None:
    """Check offsets against text slices, labels, goal ids, entity placement — and, for the corpus itself, the files
    of sentences labelled alone (format, no sentence twice or in two files) and of units labelled alone with goals
    (format, goal ids, no unit twice); exit 1 on any problem."""
    from .. import corpus
    from ..taxonomy import TaxonomyError, load_taxonomy

    try:
        goal_ids = {g.id for g in load_taxonomy(taxonomy).leaves}
    except TaxonomyError as err:
        fail(str(err).splitlines()[0])
    files = paths or [Path(p) for p in corpus.data_files().values()]
    if not files:
        fail("no corpus files found (run `zhpolicy corpus build`)", 1)
    problems, documents, seen = [], 0, Counter()
    for path in files:
        if not path.is_file():
            fail(f"{path}: no such file")
        try:
            records = list(corpus.iter_records([path]))
        except json.JSONDecodeError as err:
            fail(f"{path}: not JSON lines ({err.msg} at line {err.lineno})", 1)
        for record in records:
            documents += 1
            seen[record.get("doc_id")] += 1
            problems.extend(f"{path.name}: {p}" for p in corpus.validate_record(record, goal_ids))
    problems.extend(f"duplicate doc_id {doc_id!r} ({n} records)" for doc_id, n in seen.items() if n > 1)
    sentence_files = [] if paths else sorted(corpus.SENTENCES_DIR.glob("*.tsv"))
    problems.extend(corpus.validate_sentence_files(sentence_files))
    unit_files = [] if paths else sorted(corpus.GOAL_UNITS_DIR.glob("*.jsonl"))
    problems.extend(corpus.validate_goal_unit_files(unit_files, goal_ids))
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {documents} documents", err=True)
        raise typer.Exit(1)
    sentences = f", {len(sentence_files)} files of sentences labelled alone" if sentence_files else ""
    units = f", {len(unit_files)} file(s) of units labelled alone with goals" if unit_files else ""
    typer.echo(f"ok: {documents} documents in {len(files)} files{sentences}{units}, no problems")


@app.command("stats")
def stats_command(
    paths: Optional[List[Path]] = typer.Argument(None, help="JSONL files (default: the corpus splits)."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
) -> None:
    """Documents, characters, units, entities, functions and goal coverage, per split and overall."""
    from .. import corpus
    from ..stats import corpus_stats, print_stats

    files = {p.stem: str(p) for p in paths} if paths else corpus.data_files()
    if not files:
        fail("no corpus files found (run `zhpolicy corpus build`)", 1)
    stats = corpus_stats({name: list(corpus.iter_records([path])) for name, path in files.items()})
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print_stats(stats)


class ExportFormat(str, Enum):
    spacy = "spacy"
    jsonl = "jsonl"
    conll = "conll"


@app.command("export")
def export_command(
    to: ExportFormat = typer.Option(..., "--to", help="spacy (DocBin per split), jsonl (one unit per line) or conll (character BIO)."),
    out: Path = typer.Option(Path("corpora/export"), "--out", "-o", help="Output folder."),
) -> None:
    """Export the corpus for training with other tools."""
    from .. import corpus
    from ..export import export

    files = corpus.data_files()
    if not files:
        fail("no corpus files found (run `zhpolicy corpus build`)", 1)
    written = export({name: corpus.read_split(name) for name in files}, to.value, out)
    for path in written:
        typer.echo(f"wrote {path}")


@app.command("silver")
def silver_command(
    inputs: List[str] = typer.Argument(..., help="Report files, folders (recursive), glob patterns, or a JSONL with a 'text' field per line."),
    out: Path = typer.Option(..., "--out", "-o", help="JSONL output: one record per document with silver unit labels."),
    join_wrapped: bool = typer.Option(
        False, "--join-wrapped-lines", help="Join single line breaks inside blank-line-separated paragraphs (Wikisource-style text)."
    ),
) -> None:
    """Label the units of unannotated reports from their structure (achievement / shortcoming / plan sections)."""
    from ..silver import iter_documents, label_text

    n_docs = n_units = n_labelled = 0
    errors = 0
    with out.open("w", encoding="utf-8") as handle:
        for doc_id, source, text, error in iter_documents(inputs, join_wrapped):
            if error is not None:
                typer.echo(f"skipped {error}", err=True)
                errors += 1
                continue
            units = label_text(text)
            handle.write(json.dumps({
                "doc_id": doc_id,
                "source": source,
                "text": text,
                "units": [{"id": i, "start": u.start, "end": u.end, "text": u.text, "kind": u.kind,
                           "function": u.function} for i, u in enumerate(units)],
            }, ensure_ascii=False) + "\n")
            n_docs += 1
            n_units += len(units)
            n_labelled += sum(u.function is not None for u in units)
    if n_docs == 0:
        fail("no readable documents among the inputs")
    typer.echo(f"{n_docs} documents, {n_units} units, {n_labelled} labelled; {errors} skipped → {out}")
