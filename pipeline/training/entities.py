"""Training and evaluating the entity layers.

The statistical layer is a spaCy NER trained from scratch over the characters of each unit (spaCy's
``zh`` character segmenter), seeded for reproducibility; the epoch with the best dev F1 is kept.
"""

from __future__ import annotations

import random
import time
from collections import Counter

from ..corpus import ENTITY_LABELS
from ..structure import normalize
from .scores import precision_recall_f1

NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "attrs": ["ORTH", "SHAPE"],
                "rows": [8000, 100],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "depth": 4,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
    }
}


def unit_examples(records: list[dict]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(folded unit text, entity offsets relative to the unit) for every unit with text."""
    out = []
    for record in records:
        by_unit: dict[int, list] = {}
        for entity in record["entities"]:
            by_unit.setdefault(entity["unit"], []).append(entity)
        for unit in record["units"]:
            ents = [(e["start"] - unit["start"], e["end"] - unit["start"], e["label"]) for e in by_unit.get(unit["id"], [])]
            out.append((normalize(unit["text"]), ents))
    return out


def train_ner(train: list[dict], dev: list[dict], *, epochs: int = 20, seed: int = 0, log=print):
    """Train the character NER; return (best model, log rows)."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("zh")  # spaCy's default Chinese segmenter cuts into characters
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    for label in ENTITY_LABELS:
        ner.add_label(label)
    train_examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents}) for text, ents in unit_examples(train)]
    dev_units = unit_examples(dev)
    optimizer = nlp.initialize(lambda: train_examples)
    best, best_f1, rows = None, -1.0, []
    for epoch in range(1, epochs + 1):
        started = time.time()
        rng.shuffle(train_examples)
        losses: dict = {}
        for batch in minibatch(train_examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        predicted = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(t for t, _ in dev_units)]
        score = span_scores([g for _, g in dev_units], predicted)["micro"]["f1"]
        rows.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1), "dev_f1": round(float(score), 4),
                     "seconds": round(time.time() - started, 1)})
        log(f"epoch {epoch:2d}  loss {rows[-1]['loss']:8.1f}  dev F1 {score:.4f}  ({rows[-1]['seconds']}s)")
        if score > best_f1:
            best_f1, best = score, nlp.to_bytes()
    model = spacy.blank("zh")
    model.add_pipe("ner", config=NER_CONFIG)
    model.from_bytes(best)
    return model, rows


def span_scores(gold: list[list[tuple[int, int, str]]], predicted: list[list[tuple[int, int, str]]]) -> dict:
    """Per-label and micro precision/recall/F1 with exact span match, plus micro partial-overlap F1.

    ``gold`` and ``predicted`` are aligned lists (one list of spans per document or unit).
    Partial overlap counts a prediction as correct when it overlaps a gold span of the same label.
    """
    tp, fp, fn = Counter(), Counter(), Counter()
    partial_tp_pred = partial_tp_gold = n_pred = n_gold = 0
    for gold_spans, pred_spans in zip(gold, predicted):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for span in pred_set:
            (tp if span in gold_set else fp)[span[2]] += 1
        for span in gold_set - pred_set:
            fn[span[2]] += 1
        n_pred += len(pred_set)
        n_gold += len(gold_set)
        partial_tp_pred += sum(any(_overlap(p, g) for g in gold_set) for p in pred_set)
        partial_tp_gold += sum(any(_overlap(p, g) for p in pred_set) for g in gold_set)
    scores = {label: precision_recall_f1(tp[label], fp[label], fn[label]) for label in ENTITY_LABELS}
    scores["micro"] = precision_recall_f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    precision = partial_tp_pred / n_pred if n_pred else 0.0
    recall = partial_tp_gold / n_gold if n_gold else 0.0
    scores["partial"] = {"precision": precision, "recall": recall,
                         "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}
    return scores


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def document_spans(records: list[dict]) -> list[list[tuple[int, int, str]]]:
    return [[(e["start"], e["end"], e["label"]) for e in record["entities"]] for record in records]
