"""``policy_entities``: PLAN, CAMPAIGN, INSTITUTION and LAW into ``doc.ents``.

Two layers: the pattern layer of :mod:`pipeline.entity_patterns` (data in ``configs/entities.yaml``)
and a statistical model — a spaCy NER over the characters of each unit, trained from scratch on the
corpus — for names the patterns miss. Both work on characters, so boundaries never depend on the
word segmenter; tokens are split where an entity boundary falls inside one. ``mode`` decides how
the layers combine: ``patterns``, ``model``, or ``union`` (pattern spans first, model spans that
overlap none of them added).
"""

import json
from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..entity_patterns import EntityPatterns
from . import attrs
from .align import set_entities, span_offsets, split_tokens_at

MODES = ("patterns", "model", "union")


BACKENDS = ("spacy", "hanlp")


@Language.factory(
    "policy_entities",
    default_config={"mode": "union", "backend": "spacy", "units_key": attrs.UNITS_KEY},
)
def make_entities(nlp: Language, name: str, mode: str, backend: str, units_key: str) -> "EntityRecognizer":
    return EntityRecognizer(nlp, name, mode=mode, backend=backend, units_key=units_key)


class EntityRecognizer:
    """Tag policy entities inside units; ``initialize`` loads the patterns and (optionally) the model."""

    def __init__(self, nlp: Language, name: str = "entities", *, mode: str = "union", backend: str = "spacy",
                 units_key: str = attrs.UNITS_KEY):
        if mode not in MODES:
            raise ValueError(f"unknown entity mode {mode!r}; choose one of {', '.join(MODES)}")
        if backend not in BACKENDS:
            raise ValueError(f"unknown entity backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        self.name = name
        self.mode = mode
        self.backend = backend
        self.units_key = units_key
        self.pattern_config: dict | None = None
        self.model = None  # the character-level spaCy NER pipeline, when trained
        self._patterns: EntityPatterns | None = None

    # -- set-up ---------------------------------------------------------------------------------
    def initialize(self, get_examples=None, *, nlp: Language | None = None, patterns: str | None = None,
                   model: str | None = None) -> None:
        """Load the pattern file (``[initialize.components.entities] patterns``) and a trained model directory."""
        import yaml

        if patterns is not None:
            self.set_patterns(yaml.safe_load(Path(patterns).read_text(encoding="utf-8")))
        if model is not None:
            self.model = _load_model(Path(model), self.backend)

    def set_patterns(self, config: dict) -> None:
        self.pattern_config = config
        self._patterns = EntityPatterns(config)

    def set_model(self, model, backend: str = "spacy") -> None:
        """Use a trained model: a spaCy pipeline with ``ner`` or, for ``hanlp``, a loaded HanLP entity model."""
        self.model = model
        self.backend = backend

    # -- processing -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        from spacy.util import minibatch

        for docs in minibatch(stream, size=batch_size):
            for doc, spans in zip(docs, self.find_many(docs)):
                doc = split_tokens_at(doc, [b for start, end, _ in spans for b in (start, end)])
                set_entities(doc, spans)
                yield doc

    def find(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Entity character spans of a document, in text order, never crossing a unit boundary."""
        return self.find_many([doc])[0]

    def find_many(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """:meth:`find` for several documents, whose units the pattern layer scans in one pass."""
        if self._patterns is None and self.mode != "model":
            raise ValueError(f"component {self.name!r} has no patterns: initialize it with a patterns file")
        if self.model is None and self.mode != "patterns":
            raise ValueError(f"component {self.name!r} has no trained model (mode {self.mode!r}): run `zhpolicy train entities`")
        documents = [(attrs.doc_text(doc), self._units(doc), attrs.doc_norm(doc)) for doc in docs]
        if self.mode == "model":
            matches = [[[] for _ in units] for _, units, _ in documents]
        else:
            matches = self._patterns.find_in_documents(documents)
        found = []
        for (_, units, norm), unit_matches in zip(documents, matches):
            if self.mode == "patterns":
                found.append([match[:3] for unit in unit_matches for match in unit])  # (start, end, label)
            else:
                found.append(_combined([[match[:3] for match in unit] for unit in unit_matches],
                                       self.model_spans(norm, units)))
        return found

    def _units(self, doc: Doc) -> list[tuple[int, int]]:
        """Character offsets of the document's units; the whole text when the structure stage has not run."""
        units = doc.spans.get(self.units_key)
        return (span_offsets(units) if units is not None else []) or [(0, len(attrs.doc_text(doc)))]

    def model_spans(self, norm: str, units: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
        """The model's entities per unit (run on the folded text, so traditional characters look familiar)."""
        if self.backend == "hanlp":
            spans = self.model.spans([norm[start:end] for start, end in units])
            return [[(start + s, start + e, label) for s, e, label in unit] for (start, _), unit in zip(units, spans)]
        docs = self.model.pipe((norm[start:end] for start, end in units), batch_size=128)
        return [
            [(start + ent.start_char, start + ent.end_char, ent.label_) for ent in unit_doc.ents]
            for (start, _), unit_doc in zip(units, docs)
        ]

    # -- serialisation --------------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"mode": self.mode, "backend": self.backend, "units_key": self.units_key})
        if self.pattern_config is not None:
            (path / "patterns.json").write_text(json.dumps(self.pattern_config, ensure_ascii=False, indent=1),
                                                encoding="utf-8")
        if self.model is not None:
            self.model.to_disk(path / "model")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "EntityRecognizer":
        path = Path(path)
        cfg = srsly.read_json(path / "cfg")
        self.mode, self.units_key = cfg["mode"], cfg["units_key"]
        self.backend = cfg.get("backend", "spacy")
        if (path / "patterns.json").exists():
            self.set_patterns(json.loads((path / "patterns.json").read_text(encoding="utf-8")))
        if (path / "model").is_dir():
            self.model = _load_model(path / "model", self.backend)
        return self


def _combined(pattern_spans: list[list[tuple[int, int, str]]],
              model_spans: list[list[tuple[int, int, str]]]) -> list[tuple[int, int, str]]:
    """Per unit, the pattern spans and the model spans that overlap none of them, in text order."""
    found: list[tuple[int, int, str]] = []
    for from_patterns, from_model in zip(pattern_spans, model_spans):
        found.extend(from_patterns)
        for span in from_model:
            if not any(span[0] < e and s < span[1] for s, e, _ in from_patterns):
                found.append(span)
    return sorted(found)


def _load_model(path: Path, backend: str):
    """Load a saved statistical layer: a spaCy pipeline, or a HanLP model directory (optional extra)."""
    if backend == "hanlp":
        from ..hanlp_backend import HanlpEntityModel

        return HanlpEntityModel.load(path)
    import spacy

    return spacy.load(path)
