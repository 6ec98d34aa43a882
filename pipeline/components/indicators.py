"""``policy_indicators``: quantitative statements of each unit into ``doc._.indicators``."""

from spacy.language import Language
from spacy.tokens import Doc

from ..indicators import indicators_in_unit
from . import attrs
from .rules import RuleComponent


@Language.factory("policy_indicators", default_config={"units_key": attrs.UNITS_KEY})
def make_indicators(nlp: Language, name: str, units_key: str) -> "IndicatorExtractor":
    return IndicatorExtractor(nlp, name, units_key=units_key)


class IndicatorExtractor(RuleComponent):
    """Measure + value + unit rules over body units (:mod:`pipeline.indicators`)."""

    SETTINGS = ("units_key",)

    def __init__(self, nlp: Language, name: str = "indicators", *, units_key: str = attrs.UNITS_KEY) -> None:
        self.name = name
        self.units_key = units_key

    def __call__(self, doc: Doc) -> Doc:
        text = attrs.doc_text(doc)
        found = []
        for span in doc.spans.get(self.units_key, []):
            if span.label_ != "body":
                continue
            for ind in indicators_in_unit(text, span.start_char, span.end_char):
                found.append({"start": ind.start, "end": ind.end, "text": text[ind.start : ind.end],
                              "measure": ind.measure, "value": ind.value, "unit_of_measure": ind.unit_of_measure})
        doc._.indicators = found
        return doc
