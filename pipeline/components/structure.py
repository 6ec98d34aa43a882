"""``policy_structure``: units, kinds and heading paths from :mod:`pipeline.structure` into the Doc."""

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from .. import structure
from . import attrs
from .align import split_tokens_at
from .rules import RuleComponent


@Language.factory("policy_structure", default_config={"spans_key": attrs.UNITS_KEY})
def make_structure(nlp: Language, name: str, spans_key: str) -> "StructureComponent":
    return StructureComponent(nlp, name, spans_key=spans_key)


class StructureComponent(RuleComponent):
    """Cut the document into units: a span group whose span labels are the unit kinds."""

    SETTINGS = ("spans_key",)

    def __init__(self, nlp: Language, name: str = "structure", *, spans_key: str = attrs.UNITS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        found = structure.analyze(attrs.doc_text(doc), attrs.doc_norm(doc))
        doc = split_tokens_at(doc, [b for u in found.units for b in (u.start, u.end)])
        spans = []
        for unit in found.units:
            span = doc.char_span(unit.start, unit.end, label=unit.kind)
            span._.heading_path = unit.heading_path
            span._.heading_level = unit.heading_level
            spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        doc._.title = found.title
        return doc
