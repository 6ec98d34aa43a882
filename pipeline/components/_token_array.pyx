# cython: language_level=3, boundscheck=False, wraparound=False
"""Operations on a Doc's token array and span groups in place: the compiled forms of
:func:`pipeline.components.align.split_tokens_at`, :func:`~pipeline.components.align.set_entities` and
:func:`~pipeline.components.align.span_offsets`, which work through Doc arrays and ``Span`` objects in
Python when this module is not built (no C++ compiler at install time).

spaCy's retokenizer makes a pass over the whole document for each token it splits and leaves span groups
as they were; :func:`split_in_place` moves every token once, shifts the span groups, and keeps what the
tokens carry (heads, entity tags, sentence starts, tags).
"""

from libcpp.vector cimport vector
from spacy.structs cimport LexemeC, TokenC
from spacy.typedefs cimport attr_t
from spacy.tokens.doc cimport Doc, set_children_from_heads
from spacy.tokens.span_group cimport SpanGroup


def split_in_place(Doc doc, str text, offsets) -> int:
    """Cut the tokens of ``doc`` (whose text is ``text``) at those of the sorted character ``offsets`` that fall
    strictly inside a token's text; return how many cuts were made."""
    cdef vector[int] cuts, owners
    cdef int old_length = doc.length
    cdef int i = 0, j, k, dest, pieces, start, end, offset
    if old_length == 0:
        return 0
    for offset in offsets:
        while i + 1 < old_length and doc.c[i + 1].idx <= offset:
            i += 1
        if doc.c[i].idx < offset < doc.c[i].idx + doc.c[i].lex.length and (cuts.empty() or cuts.back() != offset):
            cuts.push_back(offset)
            owners.push_back(i)
    cdef int n_cuts = cuts.size()
    if n_cuts == 0:
        return 0
    cdef vector[int] first_piece  # where old token i (its first piece) goes; one more entry for the end
    first_piece.resize(old_length + 1)
    k = 0
    for i in range(old_length + 1):
        first_piece[i] = i + k
        while k < n_cuts and owners[k] == i:
            k += 1
    cdef int new_length = old_length + n_cuts
    cdef bint parsed = False
    cdef TokenC token
    cdef TokenC* piece
    cdef const LexemeC* lex
    if new_length >= doc.max_length:  # a tokenizer's Doc is often full: make room for the pieces only
        doc._realloc(new_length + 1)
    # One pass from the end, so no token is overwritten before it moves: each token goes to its new place with its
    # head (relative, as spaCy keeps it) pointed at where that token went, and with no children, as unparsed
    # tokens have; a parsed document has its children set from the heads afterwards.
    k = n_cuts - 1  # the last cut not yet made
    for i in range(old_length - 1, -1, -1):
        token = doc.c[i]
        parsed = parsed or token.dep != 0
        dest = first_piece[i]
        pieces = 0
        while k - pieces >= 0 and owners[k - pieces] == i:
            pieces += 1
        k -= pieces  # this token's cuts are cuts[k + 1 .. k + pieces]
        for j in range(pieces + 1):
            piece = &doc.c[dest + j]
            piece[0] = token
            piece.l_kids = piece.r_kids = 0
            piece.l_edge = piece.r_edge = dest + j
            if pieces == 0:
                piece.head = first_piece[i + token.head] - dest
                continue
            piece.head = -j  # all pieces head to the first, as spaCy's retokenizer leaves them
            if j > 0:
                piece.idx = cuts[k + j]
                if token.ent_iob == 3:  # begin → inside
                    piece.ent_iob = 1
                if token.sent_start == 1:
                    piece.sent_start = 0
            start = piece.idx
            end = cuts[k + j + 1] if j < pieces else token.idx + token.lex.length
            lex = doc.vocab.get(doc.mem, text[start:end])
            piece.lex = lex
            piece.norm = 0
            if token.lemma != 0:
                piece.lemma = lex.orth
            piece.spacy = token.spacy if j == pieces else False
    doc.length = new_length
    if parsed:
        set_children_from_heads(doc.c, 0, new_length)
    cdef SpanGroup group
    cdef size_t s
    for group in doc.spans.values():
        for s in range(group.c.size()):
            group.c[s].start = first_piece[group.c[s].start]
            group.c[s].end = first_piece[group.c[s].end]
    return n_cuts


def set_entities_in_place(Doc doc, spans) -> None:
    """Make the sorted, non-overlapping character ``spans`` ``(start, end, label)``, whose edges are token
    boundaries, the entities of ``doc``; every other token is outside any."""
    cdef int i, n = doc.length
    cdef int start, end
    cdef attr_t label_id
    labels = {}
    for i in range(n):
        doc.c[i].ent_iob = 2
        doc.c[i].ent_type = 0
    i = 0
    for start, end, label in spans:
        label_id = labels.get(label) or labels.setdefault(label, doc.vocab.strings.add(label))
        while i < n and doc.c[i].idx < start:
            i += 1
        if i == n or doc.c[i].idx != start:
            raise ValueError(f"entity ({start}, {end}, {label!r}) does not start at a token")
        doc.c[i].ent_iob = 3
        doc.c[i].ent_type = label_id
        i += 1
        while i < n and doc.c[i].idx < end:
            doc.c[i].ent_iob = 1
            doc.c[i].ent_type = label_id
            i += 1


def span_offsets(SpanGroup group) -> list:
    """``(start_char, end_char)`` of each span of ``group``, read without making ``Span`` objects."""
    cdef size_t s
    return [(group.c[s].start_char, group.c[s].end_char) for s in range(group.c.size())]
