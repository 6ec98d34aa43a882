"""Training the goal linker on the corpus and measuring it."""

from __future__ import annotations

from ..corpus import GOAL_UNITS_DIR
from ..linker import NO_GOAL, GoalLinker, build_model, unit_context, with_item_text
from ..taxonomy import Taxonomy

UNITS_TRAIN = GOAL_UNITS_DIR / "train.jsonl"  # units labelled alone with goals, written for training
KEYWORD_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5)
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)


def record_contexts(record: dict) -> tuple[list[dict], list[list[str]]]:
    """Linker contexts of a record's units (gold entities) and their gold goals."""
    entities: dict[int, list[tuple[str, str]]] = {}
    for entity in record["entities"]:
        entities.setdefault(entity["unit"], []).append((entity["label"], entity["text"]))
    contexts = with_item_text([unit_context(u["text"], u["kind"], u.get("heading_path", []), entities.get(u["id"], []))
                               for u in record["units"]])
    return contexts, [list(u.get("goals", [])) for u in record["units"]]


def corpus_contexts(records: list[dict]) -> tuple[list[dict], list[list[str]]]:
    contexts, goals = [], []
    for record in records:
        c, g = record_contexts(record)
        contexts += c
        goals += g
    return contexts, goals


def alone_contexts(nlp, texts: list[str]) -> list[dict]:
    """Linker contexts of units given alone: body units with no headings, with the entities ``nlp`` finds."""
    from ..nlp import entity_docs

    return [unit_context(text, "body", [], [(e.label_, e.text) for e in doc.ents])
            for text, doc in zip(texts, entity_docs(nlp, texts))]


def fit_linker(taxonomy: Taxonomy, train: list[dict], dev: list[dict], seed: int = 0, log=print,
               alone: tuple[list[dict], list[list[str]]] | None = None,
               alone_weights: tuple[float, ...] = (0.0,)) -> tuple[GoalLinker, dict]:
    """Fit the model on train (primary goal, or "no goal"), then tune keyword weight and threshold on dev.

    ``alone`` holds the contexts and goals of units labelled alone (:func:`alone_contexts`); the model is
    fitted once for each of ``alone_weights`` (their sample weight; 0 leaves them out), and the weight is
    chosen on dev with the other two.
    """
    linker = GoalLinker(taxonomy)
    X, goals = corpus_contexts(train)
    dev_X, dev_goals = corpus_contexts(dev)
    best, grid, models = None, [], {}
    for units_weight in alone_weights if alone and alone[0] else (0.0,):
        contexts, labels = (X + alone[0], goals + alone[1]) if units_weight else (X, goals)
        weights = [1.0] * len(X) + [units_weight] * (len(contexts) - len(X))
        model = build_model(seed=seed)
        model.fit(linker.with_evidence(contexts), [g[0] if g else NO_GOAL for g in labels],
                  classifier__sample_weight=weights)
        linker.model = models[units_weight] = model
        for weight in KEYWORD_WEIGHTS:
            for threshold in THRESHOLDS:
                linker.keyword_weight, linker.threshold = weight, threshold
                scores = link_scores(taxonomy, linker.link(dev_X), dev_goals)
                objective = (scores["level2_accuracy_at_1"] + scores["recall_at_3"] + scores["no_goal_precision"]) / 3
                grid.append({"units_weight": units_weight, "keyword_weight": weight, "threshold": threshold, **scores,
                             "objective": objective})
                if best is None or objective > best["objective"]:
                    best = grid[-1]
    linker.model = models[best["units_weight"]]
    linker.keyword_weight, linker.threshold = best["keyword_weight"], best["threshold"]
    log(f"chosen on dev: units labelled alone ×{best['units_weight']:g}, keyword weight {linker.keyword_weight}, "
        f"threshold {linker.threshold} (level-2 acc@1 {best['level2_accuracy_at_1']:.3f}, "
        f"no-goal precision {best['no_goal_precision']:.3f})")
    return linker, {"grid": grid, "chosen": best}


def link_scores(taxonomy: Taxonomy, predicted: list[list[tuple[str, float]]], gold: list[list[str]]) -> dict:
    """Level-2 and level-1 accuracy@1 and recall@3 over units with a gold goal; precision of "no goal".

    A unit with a gold goal for which nothing is predicted counts as wrong.
    """
    with_goal = [(p, g) for p, g in zip(predicted, gold) if g]
    top1 = [p[0][0] if p else None for p, _ in with_goal]
    level2 = sum(t == g[0] for t, (_, g) in zip(top1, with_goal))
    level1 = sum(t is not None and t in taxonomy.goals and taxonomy.root_of(t) == taxonomy.root_of(g[0])
                 for t, (_, g) in zip(top1, with_goal))
    recall3 = sum(g[0] in [goal for goal, _ in p[:3]] for p, g in with_goal)
    predicted_none = [g for p, g in zip(predicted, gold) if not p]
    n = max(1, len(with_goal))
    return {
        "units": len(gold),
        "units_with_goal": len(with_goal),
        "level2_accuracy_at_1": level2 / n,
        "level1_accuracy_at_1": level1 / n,
        "recall_at_3": recall3 / n,
        "no_goal_predicted": len(predicted_none),
        "no_goal_precision": (sum(not g for g in predicted_none) / len(predicted_none)) if predicted_none else 0.0,
    }
