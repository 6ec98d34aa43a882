"""Linking units to goals of a taxonomy: a supervised model combined with keyword evidence.

:class:`GoalEvidence` scores every goal of a taxonomy by its keywords found in the unit text, its
headings and its entities (an INSTITUTION such as 行政复议局 or a CAMPAIGN such as 宪法宣传周 is
strong evidence) — this finds goals rare or absent in training, and works for any taxonomy file.
:class:`GoalFeaturizer` + logistic regression learn from the corpus which goal a unit serves; the
two are combined as ``(1 - keyword_weight) · P(model) + keyword_weight · evidence``. A unit gets up to
three goals, best first, and none when the best score is below ``threshold`` or "no goal" wins.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from .functions import char_ngrams, dict_matrix, unique_rows
from .structure import normalize
from .taxonomy import Taxonomy
from .trie import Trie

NO_GOAL = "__none__"
MIN_SECONDARY_SCORE = 0.01  # secondary goals below this are noise, not evidence
HEADING_WEIGHT = 0.5
ENTITY_WEIGHT = 1.0


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

    def scores(self, context: dict) -> dict[str, float]:
        """Weighted keyword hits in the text, the enclosing headings and the unit's entities."""
        total: dict[str, float] = {}
        for weight, texts in ((1.0, [context["text"]]), (HEADING_WEIGHT, context["headings"][-1:]),
                              (ENTITY_WEIGHT, [text for _, text in context["entities"]])):
            for text in texts:
                for goal, n in self.hits(text).items():
                    total[goal] = total.get(goal, 0.0) + weight * n
        return total


def unit_context(text: str, kind: str, heading_path, entities) -> dict:
    """What the linker looks at: text, kind, headings (outermost first), entities ``(label, text)``."""
    return {"text": text, "kind": kind, "headings": list(heading_path), "entities": list(entities)}


class GoalFeaturizer(BaseEstimator, TransformerMixin):
    """Character n-grams of the text and of the nearest heading, keyword evidence, entity labels and texts."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), n_features: int = 2**15, heading_features: int = 2**13):
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.heading_features = heading_features

    def fit(self, contexts: list[dict], y=None) -> "GoalFeaturizer":
        from sklearn.feature_extraction import DictVectorizer

        self.text_vectorizer_ = char_ngrams(self.ngram_range, self.n_features)
        self.text_vectorizer_.fit([normalize(c["text"]) for c in contexts])
        self.heading_vectorizer_ = char_ngrams((2, 3), self.heading_features)
        self.heading_vectorizer_.fit([self._heading(c) for c in contexts])
        self.context_vectorizer_ = DictVectorizer()
        self.context_vectorizer_.fit([self._structured(c) for c in contexts])
        return self

    def transform(self, contexts: list[dict]):
        from scipy.sparse import hstack

        return hstack([
            self.text_vectorizer_.transform([normalize(c["text"]) for c in contexts]),
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
        return [{**c, "evidence": self.evidence.scores(c)} for c in contexts]

    def scores(self, contexts: list[dict]) -> list[dict[str, float]]:
        """Combined score of every goal (and of "no goal") per unit."""
        contexts = self.with_evidence(contexts)
        leaf_ids = set(self.evidence.goal_ids)
        model_rows: list[dict[str, float]] = [{} for _ in contexts]
        usable = self.model is not None and set(self.model.classes_) - {NO_GOAL} <= leaf_ids
        if usable and contexts:
            classes = list(self.model.classes_)
            for row, probabilities in zip(model_rows, self.model.predict_proba(contexts)):
                row.update({goal: float(p) for goal, p in zip(classes, probabilities)})
        weight = self.keyword_weight if usable else 1.0
        out = []
        for context, row in zip(contexts, model_rows):
            evidence = context["evidence"]
            total = sum(evidence.values())
            combined = {goal: (1 - weight) * p for goal, p in row.items()}
            for goal, score in evidence.items():
                combined[goal] = combined.get(goal, 0.0) + weight * score / total
            if not usable and not evidence:
                combined[NO_GOAL] = 1.0
            out.append(combined)
        return out

    def link(self, contexts: list[dict]) -> list[list[tuple[str, float]]]:
        """Up to ``max_goals`` ``(goal id, score)`` per unit, best first; empty when nothing applies."""
        links = []
        for combined in self.scores(contexts):
            ranked = sorted(((g, s) for g, s in combined.items() if g != NO_GOAL), key=lambda item: -item[1])
            no_goal = combined.get(NO_GOAL, 0.0)
            if not ranked or ranked[0][1] < self.threshold or no_goal >= ranked[0][1]:
                links.append([])
                continue
            links.append([(g, s) for g, s in ranked[: self.max_goals] if s >= MIN_SECONDARY_SCORE])
        return links
