"""The unit function classifier: achievement / shortcoming / plan / other, as a scikit-learn pipeline.

A unit is described by a small dict (:func:`unit_contexts`): its text, kind, the function its
section and paragraph announce (the silver labeller's cues), its position, and its neighbours' cue
words. :class:`UnitFeaturizer` turns those dicts into character n-grams plus structured features;
a calibrated logistic regression predicts. A unit given alone (``zhpolicy classify "…"``) has only
text, and training includes text-only copies of units so that the model is ready for that case.
Models are saved with skops (:mod:`pipeline.persist`).
"""

from __future__ import annotations

import re

from sklearn.base import BaseEstimator, TransformerMixin

from . import hashing
from .silver import label_units, section_function
from .structure import analyze, is_title_line, normalize, one_line

LABELS = ("achievement", "shortcoming", "plan", "other")

CUES = {
    "plan": re.compile(r"将|要|进一步|力争|确保|下一步|继续|持续|着力|计划|拟|争取|推动|加快|深化|健全|完善|强化|提升|今后|明年|20\d\d年[底前内]"),
    "achievement": re.compile(r"已|共|累计|全年|完成|实现|达到|建成|出台|开展|取得|办结|受理|化解|组织|召开|印发|制定|建立|\d+(?:\.\d+)?\s*(?:件|人次|场|%|次|个|项|家|万元)"),
    "shortcoming": re.compile(r"不足|差距|问题|有待|不够|仍|薄弱|滞后|不强|不高|欠缺|缺乏|尚未|不到位|不规范|不健全|短板|难以|不平衡|不充分|不深|不细|不严|偏|较弱|存在"),
    "concession": re.compile(r"但|然而|不过|同时也|还存在|仍存在|仍有"),
    "future_year": re.compile(r"(?:20\d\d|２０[０-９]{2})年(?:是|，|,)?.{0,6}(?:将|要)"),
    # Narrower families, so that a rare word inherits the weight its family earns from common ones.
    # The future itself: a time to come, an intention, 将/要 as auxiliaries (not 将 = 把: 将…纳入考核)
    "future": re.compile(
        r"下一步|今后|明年|来年|新的一年|未来[一二两三五]?年|20\d\d年起|计划|拟|力争|争取|谋划|适时|逐步|抓紧|尽快"
        r"|[将要](?:进一步|继续|持续|全面|加快|着力|深入|大力|认真|坚持|不断|努力|积极|重点|切实|围绕|按照|以|在|把)"),
    # a target: a deadline (到2026年, 2025年底前) or a floor (不低于, 不少于), which past tense seldom has
    "target": re.compile(r"(?<!截)(?:到|至)20\d\d年|20\d\d年(?:底|末)?前|年内|不低于|不少于"),
    # an admitted fault stated as a fact or a figure rather than with 不足/问题
    "fault": re.compile(
        r"依然|仍然|不降反升|仅占|仅有|仅为|超期|瑕疵|暴露|淡薄|较窄|较少|偏高|偏低|[高低]于.{0,12}平均|进展缓慢|未能|没有得到"
        r"|隐患|风险|盲区|流于形式|时有发生|不同程度|不理想|不均|不便|被.{0,6}(?:撤销|纠错|纠正|确认违法)"),
    # framing, addressing and apparatus rather than content
    "framing": re.compile(r"^20\d\d年是|(?:之年|关键一年|重要一年)[。.]?$|^附件|[:：]$"),
}


# An enumerator or list mark before a unit's first words (一是 / （二） / 3. / ①), which says nothing of its mood
_ENUMERATOR = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）.、．]|[一二三四五六七八九十]是|[①-⑳]|第[一二三四五六七八九十]+[，,、]?)\s*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_FINAL_MARKS = "。；;，,：:！!？?、.…”\"）) \t"


def edge_words(norm: str) -> tuple[str, str]:
    """The first two characters of a unit after any enumerator, and the last two before its final marks, every
    number written 0 (921件 and 17件 end alike): where a task puts its verb (推动 继续 抓紧 …) and a finding its
    result or its fault (100% 覆盖 差距 …)."""
    body = _NUMBER.sub("0", _ENUMERATOR.sub("", norm, count=1).rstrip(_FINAL_MARKS))
    return body[:2], body[-2:]


def cue_flags(norm: str) -> dict[str, int]:
    """Which cue families occur in a unit's folded text (:func:`pipeline.structure.normalize`)."""
    return {name: int(bool(pattern.search(norm))) for name, pattern in CUES.items()}


def unit_contexts(text: str, units: list[tuple[int, int, str, tuple[str, ...]]]) -> list[dict]:
    """Context dicts for the units ``(start, end, kind, heading_path)`` of one document, in order."""
    folded = normalize(text)
    silver = label_units(text, units, folded)
    n = len(units)
    texts = [text[start:end] for start, end, _, _ in units]
    norms = [one_line(folded, start, end) for start, end, _, _ in units]
    cues = [cue_flags(norm) for norm in norms]
    out = []
    previous_end = 0
    for i, (start, end, kind, heading_path) in enumerate(units):
        section = next((f for f in (section_function(h) for h in heading_path) if f), None)
        out.append({
            "text": texts[i],
            "norm": norms[i],
            "kind": kind,
            "silver": silver[i],
            "section": section,
            "position": i / max(1, n - 1),
            "paragraph_start": previous_end == 0 or "\n" in text[previous_end:start],
            "prev_cues": cues[i - 1] if i > 0 else None,
            "next_cues": cues[i + 1] if i + 1 < n else None,
            "cues": cues[i],
        })
        previous_end = end
    return out


def sentence_context(text: str) -> dict:
    """The context of a unit given alone: its text, and the kind its shape shows (heading, furniture …)."""
    norm = normalize(text)
    units = analyze(text, norm).units
    kind = units[0].kind if len(units) == 1 else "body"
    if kind == "body" and is_title_line(norm):
        kind = "title"  # a title is found by its place at the top of a document; alone, by its shape
    return text_only({"text": text, "norm": norm, "kind": kind})


def text_only(context: dict) -> dict:
    """A unit's context without its document: text (and its folded form) and kind only."""
    return {"text": context["text"], "norm": context["norm"], "kind": context["kind"], "silver": None,
            "section": None, "position": None, "paragraph_start": None, "prev_cues": None, "next_cues": None,
            "cues": cue_flags(context["norm"])}


def char_ngrams(ngram_range: tuple[int, int], n_features: int):
    """Hashed character n-grams with tf-idf weights: no vocabulary to store, so models stay small and load fast."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import make_pipeline

    hashing = HashingVectorizer(analyzer="char", ngram_range=tuple(ngram_range), n_features=n_features,
                                alternate_sign=False, norm=None)
    return make_pipeline(hashing, TfidfTransformer(sublinear_tf=True))


def dict_matrix(vectorizer, rows: list[dict]):
    """``DictVectorizer.transform`` for rows of numeric values, without its type check of every value
    (which costs more than the rest of the classifier)."""
    from scipy.sparse import csr_matrix

    vocabulary = vectorizer.vocabulary_
    columns: list[int] = []
    values: list[float] = []
    offsets = [0]
    for row in rows:
        for name, value in row.items():
            column = vocabulary.get(name)
            if column is not None:
                columns.append(column)
                values.append(value)
        offsets.append(len(columns))
    return csr_matrix((values, columns, offsets), shape=(len(rows), len(vocabulary)), dtype=vectorizer.dtype)


def unique_rows(vectorizer, texts: list[str]):
    """``vectorizer.transform(texts)`` computing each distinct text once (headings repeat across units)."""
    distinct = list(dict.fromkeys(texts))
    index = {text: i for i, text in enumerate(distinct)}
    return hashing.transform(vectorizer, distinct)[[index[text] for text in texts]]


class UnitFeaturizer(BaseEstimator, TransformerMixin):
    """Character n-grams of the unit text plus structured context features, as one sparse matrix."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), n_features: int = 2**16, context_weight: float = 1.0,
                 edge_weight: float = 0.3):
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.context_weight = context_weight
        self.edge_weight = edge_weight  # of the unit's first and last two characters (:func:`edge_words`)

    def fit(self, contexts: list[dict], y=None) -> "UnitFeaturizer":
        from sklearn.feature_extraction import DictVectorizer

        self.text_vectorizer_ = char_ngrams(self.ngram_range, self.n_features)
        self.text_vectorizer_.fit([c["norm"] for c in contexts])
        self.context_vectorizer_ = DictVectorizer()
        self.context_vectorizer_.fit([self._structured(c) for c in contexts])
        return self

    def transform(self, contexts: list[dict]):
        from scipy.sparse import hstack

        text = hashing.transform(self.text_vectorizer_, [c["norm"] for c in contexts])
        structured = dict_matrix(self.context_vectorizer_, [self._structured(c) for c in contexts])
        return hstack([text, structured * self.context_weight]).tocsr()

    def _structured(self, context: dict) -> dict:
        features = {f"kind={context['kind']}": 1.0, f"silver={context['silver']}": 1.0,
                    f"section={context['section']}": 1.0}
        if context["position"] is not None:
            features[f"position={min(4, int(context['position'] * 5))}"] = 1.0
        if context["paragraph_start"] is not None:
            features[f"paragraph_start={bool(context['paragraph_start'])}"] = 1.0
        for name, value in context["cues"].items():
            features[f"cue={name}"] = float(value)
        opening, closing = edge_words(context["norm"])
        features[f"opens={opening}"] = features[f"closes={closing}"] = self.edge_weight
        for side in ("prev_cues", "next_cues"):
            for name, value in (context[side] or {}).items():
                features[f"{side}={name}"] = float(value)
        if context["silver"] is not None:
            for name, value in context["cues"].items():
                features[f"silver={context['silver']}&cue={name}"] = float(value)
        return features


def build_model(C: float = 4.0, seed: int = 0):
    """The untrained classifier: featurizer + logistic regression with sigmoid calibration (3-fold)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    classifier = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    return Pipeline([
        ("features", UnitFeaturizer()),
        ("classifier", CalibratedClassifierCV(classifier, method="sigmoid", cv=3)),
    ])


def predict_scores(model, contexts: list[dict]) -> list[dict[str, float]]:
    """``{label: probability}`` for every context, all four labels, summing to 1."""
    if not contexts:
        return []
    probabilities = model.predict_proba(contexts)
    classes = list(model.classes_)
    out = []
    for row in probabilities:
        scores = {label: float(row[classes.index(label)]) if label in classes else 0.0 for label in LABELS}
        total = sum(scores.values()) or 1.0
        out.append({label: round(value / total, 6) for label, value in scores.items()})
    return out
