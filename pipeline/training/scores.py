"""Scores shared by the stages' evaluations."""


def precision_recall_f1(true_positives: int, false_positives: int, false_negatives: int) -> dict:
    """Precision, recall, F1 and support (the gold count); 0 where a ratio has nothing to divide."""
    predicted, gold = true_positives + false_positives, true_positives + false_negatives
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": gold}
