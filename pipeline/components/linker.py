"""``policy_linker``: up to three taxonomy goals per unit, best first, from text, headings and entities."""

import bisect
import json
from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from ..linker import GoalLinker, unit_context, with_item_text
from ..persist import load_model, save_model
from ..structure import one_line
from ..taxonomy import Taxonomy, load_taxonomy, taxonomy_from_dict
from . import attrs

MODEL_FILE = "model.skops"


@Language.factory("policy_linker", default_config={"units_key": attrs.UNITS_KEY, "keyword_weight": 0.3, "threshold": 0.1})
def make_linker(nlp: Language, name: str, units_key: str, keyword_weight: float, threshold: float) -> "LinkerComponent":
    return LinkerComponent(nlp, name, units_key=units_key, keyword_weight=keyword_weight, threshold=threshold)


class LinkerComponent:
    """Link units to goals; ``initialize`` loads the taxonomy and (optionally) a trained model."""

    def __init__(self, nlp: Language, name: str = "linker", *, units_key: str = attrs.UNITS_KEY,
                 keyword_weight: float = 0.3, threshold: float = 0.1) -> None:
        self.name = name
        self.units_key = units_key
        self.keyword_weight = keyword_weight
        self.threshold = threshold
        self.linker: GoalLinker | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None, taxonomy: str | None = None,
                   model: str | None = None) -> None:
        """Load a taxonomy file (default ``configs/taxonomy.yaml``) and a trained model (skops), if given."""
        self.set_linker(GoalLinker(load_taxonomy(taxonomy), load_model(model) if model else None,
                                   keyword_weight=self.keyword_weight, threshold=self.threshold))

    def set_linker(self, linker: GoalLinker) -> None:
        self.linker = linker
        self.keyword_weight, self.threshold = linker.keyword_weight, linker.threshold

    def set_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Link to another taxonomy of the same shape; the trained model is used only where its goals exist."""
        self.set_linker(GoalLinker(taxonomy, self.linker.model if self.linker else None,
                                   keyword_weight=self.keyword_weight, threshold=self.threshold))

    @property
    def taxonomy(self) -> Taxonomy | None:
        return self.linker.taxonomy if self.linker else None

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Link the units of a batch of documents in one call to the model."""
        if self.linker is None:
            raise ValueError(f"component {self.name!r} has no taxonomy: initialize it (or run `zhpolicy train linker`)")
        for docs in minibatch(stream, size=batch_size):
            spans, contexts = [], []
            for doc in docs:
                doc_spans = list(doc.spans.get(self.units_key, []))
                starts = [s.start_char for s in doc_spans]
                text, norm = attrs.doc_text(doc), attrs.doc_norm(doc)
                entities: dict[int, list[tuple[str, str]]] = {}
                for ent in doc.ents:
                    i = bisect.bisect_right(starts, ent.start_char) - 1
                    if i >= 0:
                        entities.setdefault(i, []).append(
                            (ent.label_, one_line(text, ent.start_char, ent.end_char)))
                spans += doc_spans
                contexts += with_item_text([unit_context(text[s.start_char:s.end_char], s.label_, s._.heading_path or (),
                                                         entities.get(i, []), one_line(norm, s.start_char, s.end_char),
                                                         s._.function)
                                            for i, s in enumerate(doc_spans)])
            for span, goals in zip(spans, self.linker.link(contexts)):
                span._.goals = goals
            yield from docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"units_key": self.units_key, "keyword_weight": self.keyword_weight,
                                        "threshold": self.threshold})
        if self.linker is not None:
            (path / "taxonomy.json").write_text(json.dumps(self.linker.taxonomy.to_dict(), ensure_ascii=False, indent=1),
                                                encoding="utf-8")
            if self.linker.model is not None:
                save_model(self.linker.model, path / MODEL_FILE)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "LinkerComponent":
        path = Path(path)
        cfg = srsly.read_json(path / "cfg")
        self.units_key, self.keyword_weight, self.threshold = cfg["units_key"], cfg["keyword_weight"], cfg["threshold"]
        if (path / "taxonomy.json").exists():
            taxonomy = taxonomy_from_dict(json.loads((path / "taxonomy.json").read_text(encoding="utf-8")))
            model = load_model(path / MODEL_FILE) if (path / MODEL_FILE).exists() else None
            self.linker = GoalLinker(taxonomy, model, keyword_weight=self.keyword_weight, threshold=self.threshold)
        return self
