"""Make character offsets token boundaries, whatever the segmenter did.

Unit and entity boundaries are decided on characters; when a segmenter's token straddles one
(jieba may glue "例二" across "典型案例|二是"), the token is split so that ``doc.char_span`` is exact.
"""

from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX
from spacy.tokens import Doc, Span, SpanGroup

from .attrs import doc_text


def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Split every token that has one of ``offsets`` strictly inside it.

    Span groups index tokens, so they are rebuilt from their character offsets afterwards
    (``Span._`` extension values are keyed by characters and survive as they are).
    """
    text = doc_text(doc)
    starts = token_starts(doc)
    cuts = numpy.array(sorted({offset for offset in offsets if 0 < offset < len(text)}), dtype=numpy.int64)
    owners = numpy.searchsorted(starts, cuts, side="right") - 1  # the token each cut falls in
    inside = starts[owners] != cuts  # not already a token start
    cuts, owners = cuts[inside], owners[inside]
    if not len(cuts):
        return
    groups = {key: [(span.start_char, span.end_char, span.label) for span in group] for key, group in doc.spans.items()}
    ends = numpy.append(starts[1:], len(text))
    with doc.retokenize() as retokenizer:
        for i in sorted(set(owners.tolist())):
            start, end = int(starts[i]), int(ends[i])
            bounds = [start, *cuts[owners == i].tolist(), end]
            pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            token = doc[i]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))
    new_starts = token_starts(doc)
    for key, spans in groups.items():
        if not spans:
            continue
        chars = numpy.array([(start, end) for start, end, _ in spans], dtype=numpy.int64)
        first = numpy.searchsorted(new_starts, chars[:, 0]).tolist()
        last = numpy.searchsorted(new_starts, chars[:, 1]).tolist()
        rebuilt = [Span(doc, a, b, label=label) for a, b, (_, _, label) in zip(first, last, spans)]
        doc.spans[key] = SpanGroup(doc, name=key, spans=rebuilt)


def token_starts(doc: Doc) -> numpy.ndarray:
    """Character offset of every token, without creating Token objects."""
    return doc.to_array(IDX).astype(numpy.int64)


def set_entities(doc: Doc, spans: list[tuple[int, int, str]]) -> None:
    """Set ``doc.ents`` from character spans that are token boundaries, as arrays (fast on long documents)."""
    iob = numpy.full(len(doc), 2, dtype=numpy.uint64)  # 2 = outside
    types = numpy.zeros(len(doc), dtype=numpy.uint64)
    if spans:
        starts = token_starts(doc)
        first = numpy.searchsorted(starts, [start for start, _, _ in spans]).tolist()
        last = numpy.searchsorted(starts, [end for _, end, _ in spans]).tolist()
        strings = doc.vocab.strings
        for a, b, (_, _, label) in zip(first, last, spans):
            iob[a] = 3  # begin
            iob[a + 1 : b] = 1  # inside
            types[a:b] = strings.add(label)
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))
