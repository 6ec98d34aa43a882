"""Make character offsets token boundaries, whatever the segmenter did.

Unit and entity boundaries are decided on characters; when a segmenter's token straddles one
(jieba may glue "例二" across "典型案例|二是"), the token is split so that ``doc.char_span`` is exact.

Speed: spaCy's retokenizer makes a pass over the whole document for every token it splits (and leaves
span groups as they were), so the cuts are made in place, in one pass, by the compiled
:mod:`pipeline.components._token_array`; where that module is not built (no C++ compiler at install time), a
document that needs cuts is instead built anew, once, from its token arrays.
"""

from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, ORTH, SPACY
from spacy.tokens import Doc, Span, SpanGroup

from .attrs import doc_text

try:
    from . import _token_array
except ImportError:  # not compiled: documents are rebuilt, and entities set, through token arrays in Python
    _token_array = None


def split_tokens_at(doc: Doc, offsets: Iterable[int], *, compiled: bool = True) -> Doc:
    """A document in which every one of ``offsets`` is a token boundary: ``doc`` itself when no token has
    one strictly inside it or when the compiled splitter cut it in place (``compiled`` and the module built;
    ``Span`` objects taken from it before are then stale, as after spaCy's retokenizer), else a new ``Doc``
    of the same text with the user data and span groups.

    The pieces of a split token head to its first piece, as spaCy's retokenizer leaves them; span groups keep
    their character offsets (``Span._`` extension values are keyed by characters in the user data and carry
    over as they are). In place, the tokens keep what else they carry (entity tags, tags, lemmas); the stages
    split tokens before they annotate any (the tokens are the segmenter's words), so a rebuilt document carries
    only the heads and dependency labels, and a tensor (then always rebuilt) gives each piece its token's row.
    """
    text = doc_text(doc)
    if compiled and _token_array is not None and not getattr(doc.tensor, "size", 0):
        _token_array.split_in_place(doc, text, sorted(offsets))
        return doc
    starts = token_starts(doc)
    cuts = numpy.array(sorted({offset for offset in offsets if 0 < offset < len(text)}), dtype=numpy.int64)
    owners = numpy.searchsorted(starts, cuts, side="right") - 1  # the token each cut falls in
    inside = starts[owners] != cuts
    if not inside.any():  # most documents at the structure stage: decided without reading more token columns
        return doc
    columns = doc.to_array([ORTH, SPACY, HEAD, DEP])
    orths, spaces, heads = columns[:, 0], columns[:, 1].astype(numpy.int64), columns[:, 2].astype(numpy.int64)
    deps = columns[:, 3]
    ends = numpy.append(starts[1:], len(text)) - spaces  # a token's text stops before its trailing space
    inside &= cuts < ends[owners]
    cuts, owners = cuts[inside], owners[inside]
    if not len(cuts):
        return doc
    added = numpy.bincount(owners, minlength=len(starts))  # the pieces a token gains besides its first
    first_piece = numpy.arange(len(starts)) + numpy.cumsum(added) - added  # where each token went
    origin = numpy.repeat(numpy.arange(len(starts)), added + 1)  # the token each new token comes from
    tensor = doc.tensor[origin] if getattr(doc.tensor, "size", 0) else None  # a piece takes its token's row
    new_starts = starts[origin]
    new_starts[owners + numpy.arange(len(cuts)) + 1] = cuts  # the cuts are sorted, so the k-th adds token k + 1
    new_ends = numpy.minimum(numpy.append(new_starts[1:], len(text)), ends[origin])
    piece = added[origin] > 0  # a new token that is a piece of a split token
    pieces = numpy.flatnonzero(piece)
    words = orths[origin].tolist()
    for k, start, end in zip(pieces.tolist(), new_starts[pieces].tolist(), new_ends[pieces].tolist()):
        words[k] = text[start:end]
    new = Doc(doc.vocab, words=words, spaces=(spaces[origin].astype(bool) & (new_ends == ends[origin])).tolist())
    new_heads = numpy.where(piece, first_piece[origin], first_piece[origin + heads[origin]])
    relative_heads = (new_heads - numpy.arange(len(origin))).astype(numpy.uint64)  # offsets, as spaCy keeps them
    new.from_array([HEAD, DEP], numpy.stack([relative_heads, deps[origin]], axis=1))  # a piece takes its token's label
    _take_doc_state(doc, new)
    if tensor is not None:
        new.tensor = tensor
    for key, group in doc.spans.items():
        spans = [(span.start_char, span.end_char, span.label) for span in group]
        first = numpy.searchsorted(new_starts, [start for start, _, _ in spans]).tolist()
        last = numpy.searchsorted(new_starts, [end for _, end, _ in spans]).tolist()
        rebuilt = [Span(new, a, b, label=label) for a, b, (_, _, label) in zip(first, last, spans)]
        new.spans[key] = SpanGroup(new, name=key, attrs=group.attrs, spans=rebuilt)
    return new


def _take_doc_state(doc: Doc, new: Doc) -> None:
    """Carry what a document holds besides its tokens and span groups over to its rebuilt copy."""
    new.user_data = dict(doc.user_data)
    new.cats = dict(doc.cats)
    new.user_hooks, new.user_token_hooks, new.user_span_hooks = (
        dict(doc.user_hooks), dict(doc.user_token_hooks), dict(doc.user_span_hooks))
    new.has_unknown_spaces = doc.has_unknown_spaces
    new._context = doc._context  # what nlp.pipe(..., as_tuples=True) hands back with the document


def token_starts(doc: Doc) -> numpy.ndarray:
    """Character offset of every token, without creating Token objects."""
    return doc.to_array(IDX).astype(numpy.int64)


def set_entities(doc: Doc, spans: list[tuple[int, int, str]], *, compiled: bool = True) -> None:
    """Set ``doc.ents`` from non-overlapping character spans whose edges are token boundaries, in the compiled
    module or else as arrays (fast on long documents either way: no Python step per entity token)."""
    if compiled and _token_array is not None:
        _token_array.set_entities_in_place(doc, sorted(spans))
        return
    iob = numpy.full(len(doc), 2, dtype=numpy.uint64)  # 2 = outside
    types = numpy.zeros(len(doc), dtype=numpy.uint64)
    if spans:
        starts = token_starts(doc)
        bounds = numpy.array([offset for start, end, _ in spans for offset in (start, end)], dtype=numpy.int64)
        first, last = numpy.searchsorted(starts, bounds).reshape(-1, 2).T
        label_ids = {label: doc.vocab.strings.add(label) for label in dict.fromkeys(label for _, _, label in spans)}
        lengths = last - first
        covered = numpy.repeat(first - numpy.cumsum(lengths) + lengths, lengths) + numpy.arange(lengths.sum())
        iob[covered] = 1  # inside
        iob[first] = 3  # begin
        types[covered] = numpy.repeat(numpy.array([label_ids[label] for _, _, label in spans], dtype=numpy.uint64),
                                     lengths)
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.stack([iob, types], axis=1))


def span_offsets(group: SpanGroup, *, compiled: bool = True) -> list[tuple[int, int]]:
    """Character offsets of the spans of a span group (without making ``Span`` objects when compiled)."""
    if compiled and _token_array is not None:
        return _token_array.span_offsets(group)
    return [(span.start_char, span.end_char) for span in group]
