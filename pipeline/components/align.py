"""Make character offsets token boundaries, whatever the segmenter did.

Unit and entity boundaries are decided on characters; when a segmenter's token straddles one
(jieba may glue "例二" across "典型案例|二是"), the token is split so that ``doc.char_span`` is exact.
"""

from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX
from spacy.tokens import Doc, Span, SpanGroup


def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Split every token that has one of ``offsets`` strictly inside it.

    Span groups index tokens, so they are rebuilt from their character offsets afterwards
    (``Span._`` extension values are keyed by characters and survive as they are).
    """
    starts = token_starts(doc)
    cuts_by_token: dict[int, list[int]] = {}
    for offset in set(offsets):
        i = int(numpy.searchsorted(starts, offset, side="right")) - 1
        if i < 0 or starts[i] == offset:
            continue
        token = doc[i]
        if token.idx < offset < token.idx + len(token.text):
            cuts_by_token.setdefault(i, []).append(offset - token.idx)
    if not cuts_by_token:
        return
    groups = {
        key: [(span.start_char, span.end_char, span.label_) for span in group] for key, group in doc.spans.items()
    }
    with doc.retokenize() as retokenizer:
        for i, cuts in cuts_by_token.items():
            token = doc[i]
            bounds = [0, *sorted(cuts), len(token.text)]
            pieces = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    for key, spans in groups.items():
        rebuilt: list[Span] = [doc.char_span(start, end, label=label) for start, end, label in spans]
        doc.spans[key] = SpanGroup(doc, name=key, spans=rebuilt)


def token_starts(doc: Doc) -> numpy.ndarray:
    """Character offset of every token, without creating Token objects."""
    return doc.to_array(IDX).astype(numpy.int64)


def set_entities(doc: Doc, spans: list[tuple[int, int, str]]) -> None:
    """Set ``doc.ents`` from character spans that are token boundaries, as arrays (fast on long documents)."""
    starts = token_starts(doc)
    iob = numpy.full(len(doc), 2, dtype=numpy.uint64)  # 2 = outside
    types = numpy.zeros(len(doc), dtype=numpy.uint64)
    for start, end, label in spans:
        first = int(numpy.searchsorted(starts, start, side="left"))
        last = int(numpy.searchsorted(starts, end, side="left"))
        iob[first] = 3  # begin
        iob[first + 1 : last] = 1  # inside
        types[first:last] = doc.vocab.strings.add(label)
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))
