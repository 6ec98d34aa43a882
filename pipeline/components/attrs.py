"""The ``Doc`` and ``Span`` extension attributes through which components communicate."""

from spacy.tokens import Doc, Span

UNITS_KEY = "units"

_SPAN_ATTRS = {
    "heading_path": (),  # headings enclosing the unit, outermost first
    "heading_level": None,  # rank of a heading's marker (0 = 第X部分, 1 = 一、 …)
    "function": None,  # achievement | shortcoming | plan | other
    "function_scores": None,  # {label: probability}
    "goals": None,  # [(goal id, score)], best first
}
_DOC_ATTRS = {"title": None, "indicators": None, "doc_id": None}


TEXT_KEY = "zhpolicy_text"
NORM_KEY = "zhpolicy_norm"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access, and the stages
    only ever split tokens, which leaves the text unchanged."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def doc_norm(doc: Doc) -> str:
    """The folded text of :func:`pipeline.structure.normalize`, computed once per document for all stages."""
    norm = doc.user_data.get(NORM_KEY)
    if norm is None:
        from ..structure import normalize

        norm = normalize(doc_text(doc))
        doc.user_data[NORM_KEY] = norm
    return norm


def register() -> None:
    """Declare the extensions once (idempotent)."""
    for name, default in _SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
