"""``policy_indicators``: quantitative statements of each unit into ``doc._.indicators``."""

from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..indicators import find_indicators
from . import attrs


@Language.factory("policy_indicators", default_config={"units_key": attrs.UNITS_KEY})
def make_indicators(nlp: Language, name: str, units_key: str) -> "IndicatorExtractor":
    return IndicatorExtractor(nlp, name, units_key=units_key)


class IndicatorExtractor:
    """Rule-based: nothing to load; settings only."""

    def __init__(self, nlp: Language, name: str = "indicators", *, units_key: str = attrs.UNITS_KEY) -> None:
        self.name = name
        self.units_key = units_key

    def __call__(self, doc: Doc) -> Doc:
        text = attrs.doc_text(doc)
        found = []
        for span in doc.spans.get(self.units_key, []):
            if span.label_ != "body":
                continue
            offset = span.start_char
            for ind in find_indicators(text[offset:span.end_char]):
                found.append({"start": offset + ind.start, "end": offset + ind.end,
                              "text": text[offset + ind.start : offset + ind.end], "measure": ind.measure,
                              "value": ind.value, "unit_of_measure": ind.unit_of_measure})
        doc._.indicators = found
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Nothing to load: the rules are code."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"units_key": self.units_key})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "IndicatorExtractor":
        self.units_key = srsly.read_json(Path(path) / "cfg")["units_key"]
        return self
