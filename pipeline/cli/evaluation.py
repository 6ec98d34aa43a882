"""Running a pipeline over corpus records and printing the measurements."""

from __future__ import annotations


def entity_scores_of(nlp, records: list[dict]) -> dict:
    """Entity scores of ``nlp`` against the gold entities of ``records``."""
    from ..training.entities import document_spans, span_scores

    predicted = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(r["text"] for r in records)]
    return span_scores(document_spans(records), predicted)


def print_entity_table(scores: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "label" else "left")
    for label in ("PLAN", "CAMPAIGN", "INSTITUTION", "LAW", "micro"):
        row = scores[label]
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    partial = scores["partial"]
    table.add_row("partial overlap", f"{partial['precision']:.3f}", f"{partial['recall']:.3f}", f"{partial['f1']:.3f}", "")
    Console().print(table)
