"""Linking units to goals of a taxonomy: a supervised model combined with keyword evidence.

:class:`GoalEvidence` scores every goal of a taxonomy by its keywords found in the unit text, its
headings and its entities (an INSTITUTION such as 行政复议局 or a CAMPAIGN such as 宪法宣传周 is
strong evidence) — this finds goals rare or absent in training, and works for any taxonomy file.
:class:`GoalFeaturizer` + logistic regression learn from the corpus which goal a unit serves; the
two are combined as ``(1 - keyword_weight) · P(model) + keyword_weight · evidence``. A unit gets up to
three goals, best first, and none when the best score is below ``threshold`` or "no goal" wins.
"""

from __future__ import annotations

import bisect
import itertools
import re

from sklearn.base import BaseEstimator, TransformerMixin

from . import hashing
from .functions import char_ngrams, dict_matrix, unique_rows
from .structure import normalize
from .taxonomy import Taxonomy
from .trie import Trie

NO_GOAL = "__none__"
MIN_SECONDARY_SCORE = 0.01  # secondary goals below this are noise, not evidence
HEADING_WEIGHT = 0.5
ENTITY_WEIGHT = 1.0
_ITEM_LEAD = re.compile(r"[一二三四五六七八九十]是")  # an enumerated item's opening word (folded text)
ITEM_LEAD_MAX = 16  # characters: a longer unit says what its item is about itself


class GoalEvidence:
    """Keyword evidence for the level-2 goals of a taxonomy (longest keyword match wins)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.goal_ids = [goal.id for goal in taxonomy.leaves]
        trie = Trie()
        for goal in taxonomy.leaves:
            for keyword in (*goal.keywords, goal.name):
                key = normalize(keyword)
                if len(key) >= 2 and key not in trie:
                    trie[key] = goal.id
        self._trie = trie
        self._cache: dict[str, dict[str, int]] = {}

    def hits(self, text: str) -> dict[str, int]:
        """Keyword hits per goal; headings and entity names repeat, so results are cached."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        counts: dict[str, int] = {}
        for _, _, goal in self._trie.finditer(normalize(text)):
            counts[goal] = counts.get(goal, 0) + 1
        if len(self._cache) < 20000:
            self._cache[text] = counts
        return counts

    def scores(self, contexts: list[dict]) -> list[dict[str, float]]:
        """Weighted keyword hits per unit in its text, its nearest heading and its entities.

        The unit texts are scanned as one text joined by line breaks (no keyword holds one), which is
        what scanning them one by one gives, in one regex pass.
        """
        norms = [c["norm"] for c in contexts]
        totals: list[dict[str, float]] = [{} for _ in contexts]
        starts = list(itertools.accumulate((len(norm) + 1 for norm in norms[:-1]), initial=0))
        for start, _, goal in self._trie.finditer("\n".join(norms)):
            total = totals[bisect.bisect_right(starts, start) - 1]
            total[goal] = total.get(goal, 0.0) + 1.0
        for context, total in zip(contexts, totals):
            for weight, texts in ((HEADING_WEIGHT, context["headings"][-1:]),
                                  (ENTITY_WEIGHT, [text for _, text in context["entities"]])):
                for text in texts:
                    for goal, n in self.hits(text).items():
                        total[goal] = total.get(goal, 0.0) + weight * n
        return totals


# Apparatus is about no goal (guidelines §4: formulas, signatures): a title, a signature, a date or page furniture
# never links, whatever words it shares with a goal (政务公开 in a breadcrumb)
KINDS_WITHOUT_GOALS = frozenset({"title", "signature", "date", "furniture"})


def unit_context(text: str, kind: str, heading_path, entities, norm: str | None = None,
                 function: str | None = None) -> dict:
    """What the linker looks at: text (and its folded form), kind, headings (outermost first), entities
    ``(label, text)``, and the unit's function when the function stage has run."""
    return {"text": text, "norm": normalize(text) if norm is None else norm, "kind": kind,
            "headings": list(heading_path), "entities": list(entities), "function": function}


def with_item_text(contexts: list[dict]) -> list[dict]:
    """One document's unit contexts, in order, where a short item lead (一是加大执法力度。) also reads the body
    sentence after it: the lead only names the item, the sentence after it says what the item is about (in the
    train and dev splits, 36 of 46 such leads share the next sentence's primary goal)."""
    for context, following in zip(contexts, contexts[1:]):
        if (context["kind"] == following["kind"] == "body" and len(context["text"]) <= ITEM_LEAD_MAX
                and _ITEM_LEAD.match(context["norm"]) and not _ITEM_LEAD.match(following["norm"])
                and following["headings"] == context["headings"]):
            context["norm"] += following["norm"]
    return contexts


def without_goal(context: dict) -> bool:
    """Apparatus, and running text that is `other` (formulas, framing, addresses: 现将…报告如下, 2025年是…收官之年,
    市委依法治市办：), which the guidelines link to no goal; headings are `other` too but take their block's goal."""
    return context["kind"] in KINDS_WITHOUT_GOALS or (context["kind"] == "body" and context.get("function") == "other")


class GoalFeaturizer(BaseEstimator, TransformerMixin):
    """Character n-grams of the text and of the nearest heading, keyword evidence, entity labels and texts."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), n_features: int = 2**15, heading_features: int = 2**13):
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.heading_features = heading_features

    def fit(self, contexts: list[dict], y=None) -> "GoalFeaturizer":
        from sklearn.feature_extraction import DictVectorizer

        self.text_vectorizer_ = char_ngrams(self.ngram_range, self.n_features)
        self.text_vectorizer_.fit([c["norm"] for c in contexts])
        self.heading_vectorizer_ = char_ngrams((2, 3), self.heading_features)
        self.heading_vectorizer_.fit([self._heading(c) for c in contexts])
        self.context_vectorizer_ = DictVectorizer()
        self.context_vectorizer_.fit([self._structured(c) for c in contexts])
        return self

    def transform(self, contexts: list[dict]):
        from scipy.sparse import hstack

        return hstack([
            hashing.transform(self.text_vectorizer_, [c["norm"] for c in contexts]),
            unique_rows(self.heading_vectorizer_, [self._heading(c) for c in contexts]) * HEADING_WEIGHT,
            dict_matrix(self.context_vectorizer_, [self._structured(c) for c in contexts]),
        ]).tocsr()

    @staticmethod
    def _heading(context: dict) -> str:
        return normalize(context["headings"][-1]) if context["headings"] else ""

    def _structured(self, context: dict) -> dict:
        features = {f"kind={context['kind']}": 1.0}
        for label, text in context["entities"]:
            features[f"entity={label}"] = features.get(f"entity={label}", 0.0) + 1.0
            features[f"entity_text={normalize(text)}"] = 1.0
        for goal, score in context.get("evidence", {}).items():
            features[f"evidence={goal}"] = score / (1.0 + score)
        return features


def build_model(C: float = 16.0, seed: int = 0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("features", GoalFeaturizer()),
        ("classifier", LogisticRegression(C=C, max_iter=3000, random_state=seed)),
    ])


class GoalLinker:
    """Model + keyword evidence + threshold → up to three goals per unit."""

    def __init__(self, taxonomy: Taxonomy, model=None, *, keyword_weight: float = 0.3, threshold: float = 0.2,
                 max_goals: int = 3) -> None:
        self.taxonomy = taxonomy
        self.evidence = GoalEvidence(taxonomy)
        self.model = model
        self.keyword_weight = keyword_weight
        self.threshold = threshold
        self.max_goals = max_goals

    def with_evidence(self, contexts: list[dict]) -> list[dict]:
        return [{**c, "evidence": evidence} for c, evidence in zip(contexts, self.evidence.scores(contexts))]

    def scores(self, contexts: list[dict]) -> tuple[list[str], "numpy.ndarray"]:
        """Combined score of every goal per unit: the goal ids (with "no goal" among them when the model or
        the lack of evidence gives it a score) and a units × goals matrix."""
        import numpy

        contexts = self.with_evidence(contexts)
        usable = self.model is not None and set(self.model.classes_) - {NO_GOAL} <= set(self.evidence.goal_ids)
        columns = list(self.model.classes_) if usable else []
        columns += sorted(set(self.evidence.goal_ids) - set(columns), key=self.evidence.goal_ids.index)
        if not usable:
            columns.append(NO_GOAL)
        column = {goal: i for i, goal in enumerate(columns)}
        weight = self.keyword_weight if usable else 1.0
        matrix = numpy.zeros((len(contexts), len(columns)))
        if usable and contexts:
            matrix[:, : len(self.model.classes_)] = (1 - weight) * self.model.predict_proba(contexts)
        rows, goal_columns, values = [], [], []
        for i, context in enumerate(contexts):
            evidence = context["evidence"]
            total = sum(evidence.values())
            for goal, score in evidence.items():
                rows.append(i)
                goal_columns.append(column[goal])
                values.append(weight * score / total)
            if not usable and not evidence:
                rows.append(i)
                goal_columns.append(column[NO_GOAL])
                values.append(1.0)
        numpy.add.at(matrix, (rows, goal_columns), values)
        return columns, matrix

    def link(self, contexts: list[dict]) -> list[list[tuple[str, float]]]:
        """Up to ``max_goals`` ``(goal id, score)`` per unit, best first; empty when nothing applies."""
        import numpy

        columns, matrix = self.scores(contexts)
        goals = [goal for goal in columns if goal != NO_GOAL]
        goal_scores = matrix[:, [i for i, goal in enumerate(columns) if goal != NO_GOAL]]
        no_goal = matrix[:, columns.index(NO_GOAL)] if NO_GOAL in columns else numpy.zeros(len(matrix))
        best_first = numpy.argsort(-goal_scores, axis=1, kind="stable")[:, : self.max_goals]
        links = []
        for context, scores, order, nothing in zip(contexts, goal_scores.tolist(), best_first.tolist(), no_goal.tolist()):
            best = scores[order[0]] if order else 0.0
            if without_goal(context) or best <= 0.0 or best < self.threshold or nothing >= best:
                links.append([])
                continue
            links.append([(goals[j], scores[j]) for j in order if scores[j] >= MIN_SECONDARY_SCORE])
        return links
