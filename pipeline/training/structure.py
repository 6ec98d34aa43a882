"""Measuring the structure stage — units and their kinds — against gold units."""

from __future__ import annotations

from ..structure import KINDS, analyze
from .scores import precision_recall_f1


def structure_scores(records: list[dict]) -> dict:
    """Units found with their exact gold offsets (precision, recall, F1), and per kind the units found with their
    offsets and kind; ``kind_accuracy`` is the share of the boundary-matched units whose kind is right too."""
    counts = {name: [0, 0, 0] for name in ("units", *KINDS)}  # true positives, predicted, gold
    right_kind = 0
    for record in records:
        predicted = {(u.start, u.end): u.kind for u in analyze(record["text"]).units}
        gold = {(u["start"], u["end"]): u["kind"] for u in record["units"]}
        matched = predicted.keys() & gold.keys()
        right_kind += sum(predicted[span] == gold[span] for span in matched)
        counts["units"] = [a + b for a, b in zip(counts["units"], (len(matched), len(predicted), len(gold)))]
        for kind in KINDS:
            found = {span for span, k in predicted.items() if k == kind}
            wanted = {span for span, k in gold.items() if k == kind}
            counts[kind] = [a + b for a, b in zip(counts[kind], (len(found & wanted), len(found), len(wanted)))]
    scores = {name: precision_recall_f1(hits, predicted - hits, gold - hits)
              for name, (hits, predicted, gold) in counts.items()}
    scores["kind_accuracy"] = right_kind / max(1, counts["units"][0])
    return scores
