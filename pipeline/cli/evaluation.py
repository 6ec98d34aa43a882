"""Running a pipeline over corpus records and printing the measurements."""

from __future__ import annotations


def entity_scores_of(nlp, records: list[dict]) -> dict:
    """Entity scores of ``nlp`` against the gold entities of ``records``."""
    from ..nlp import entity_docs
    from ..training.entities import document_spans, span_scores

    predicted = [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                 for doc in entity_docs(nlp, [r["text"] for r in records])]
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


def print_function_report(report: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{title}: accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "label" else "left")
    for label, row in report["labels"].items():
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    console.print(table)
    confusion = Table(title="confusion (rows gold, columns predicted)")
    labels = report["confusion"]["labels"]
    confusion.add_column("")
    for label in labels:
        confusion.add_column(label[:5], justify="right")
    for label, row in zip(labels, report["confusion"]["matrix"]):
        confusion.add_row(label, *[str(v) for v in row])
    console.print(confusion)


def print_link_scores(scores: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("level2_accuracy_at_1", "level1_accuracy_at_1", "recall_at_3", "no_goal_precision"):
        table.add_row(key.replace("_", " "), f"{scores[key]:.3f}")
    table.add_row("units (with a gold goal)", f"{scores['units']} ({scores['units_with_goal']})")
    table.add_row("units predicted without goal", str(scores["no_goal_predicted"]))
    Console().print(table)


def print_structure_scores(scores: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..structure import KINDS

    table = Table(title=f"{title}: kinds right on {scores['kind_accuracy']:.3f} of the units found")
    for column in ("units", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="right" if column != "units" else "left")
    for name in ("units", *KINDS):
        row = scores[name]
        table.add_row("all (offsets)" if name == "units" else f"{name} (offsets + kind)", f"{row['precision']:.3f}",
                      f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    Console().print(table)
