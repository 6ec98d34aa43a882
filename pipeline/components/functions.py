"""``policy_functions``: each unit's function (achievement, shortcoming, plan, other) and its scores."""

from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..functions import predict_scores, sentence_context, unit_contexts
from ..persist import load_model, save_model
from . import attrs

MODEL_FILE = "model.skops"


@Language.factory("policy_functions", default_config={"units_key": attrs.UNITS_KEY})
def make_functions(nlp: Language, name: str, units_key: str) -> "FunctionClassifier":
    return FunctionClassifier(nlp, name, units_key=units_key)


class FunctionClassifier:
    """Classify units with a scikit-learn model (skops file); ``initialize`` loads a trained model."""

    def __init__(self, nlp: Language, name: str = "functions", *, units_key: str = attrs.UNITS_KEY) -> None:
        self.name = name
        self.units_key = units_key
        self.model = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None, model: str | None = None) -> None:
        """Load a trained model (``[initialize.components.functions] model = "….skops"``)."""
        if model is not None:
            self.model = load_model(model)

    def set_model(self, model) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Classify the units of a batch of documents in one call to the model."""
        if self.model is None:
            raise ValueError(f"component {self.name!r} has no trained model: run `zhpolicy train function`")
        for docs in minibatch(stream, size=batch_size):
            spans, contexts = [], []
            for doc in docs:
                doc_spans = list(doc.spans.get(self.units_key, []))
                units = [(s.start_char, s.end_char, s.label_, tuple(s._.heading_path or ())) for s in doc_spans]
                spans += doc_spans
                contexts += unit_contexts(attrs.doc_text(doc), units)
            for span, scores in zip(spans, predict_scores(self.model, contexts)):
                span._.function = max(scores, key=scores.get)
                span._.function_scores = scores
            yield from docs

    def classify(self, sentences: list[str]) -> list[dict[str, float]]:
        """Scores for sentences given alone, without document context."""
        return predict_scores(self.model, [sentence_context(s) for s in sentences])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"units_key": self.units_key})
        if self.model is not None:
            save_model(self.model, path / MODEL_FILE)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "FunctionClassifier":
        path = Path(path)
        self.units_key = srsly.read_json(path / "cfg")["units_key"]
        if (path / MODEL_FILE).exists():
            self.model = load_model(path / MODEL_FILE)
        return self
