"""Hashed character n-grams computed with numpy, the same numbers as scikit-learn's ``HashingVectorizer``.

scikit-learn builds every n-gram as a Python string and hashes them one by one; for the short units
of a report that loop costs more than the classifiers themselves. Here the n-grams of all texts are
cut from one UTF-8 buffer and hashed together with a vectorised MurmurHash3 (x86, 32-bit, seed 0,
as ``sklearn.utils.murmurhash3_32``). :func:`transform` is a drop-in for ``vectorizer.transform`` on
the fitted ``HashingVectorizer`` + ``TfidfTransformer`` pipelines of :func:`pipeline.functions.char_ngrams`.
"""

from __future__ import annotations

import re

import numpy

_WHITESPACE = re.compile(r"\s\s+")  # what scikit-learn's char analyzer collapses to one space
_C1, _C2 = numpy.uint32(0xCC9E2D51), numpy.uint32(0x1B873593)
_SUPPORTED = {"analyzer": "char", "lowercase": True, "preprocessor": None, "strip_accents": None,
              "alternate_sign": False, "norm": None, "binary": False, "input": "content"}


def transform(vectorizer, texts: list[str]):
    """``vectorizer.transform(texts)`` for a fitted hashing + tf-idf pipeline; hashes with numpy when the
    hashing step's settings are the ones :func:`hash_char_ngrams` reproduces."""
    hashing, *rest = [step for _, step in vectorizer.steps]
    if any(hashing.get_params()[name] != value for name, value in _SUPPORTED.items()):
        return vectorizer.transform(texts)
    matrix = hash_char_ngrams(texts, tuple(hashing.ngram_range), hashing.n_features)
    for step in rest:
        matrix = step.transform(matrix)
    return matrix


def hash_char_ngrams(texts: list[str], ngram_range: tuple[int, int], n_features: int):
    """Counts of hashed character n-grams per text, as ``HashingVectorizer(analyzer="char",
    alternate_sign=False, norm=None)`` gives them: lowercased, whitespace runs collapsed."""
    from scipy.sparse import csr_matrix

    texts = [_WHITESPACE.sub(" ", text.lower()) for text in texts]
    lengths = numpy.fromiter(map(len, texts), dtype=numpy.int64, count=len(texts))
    joined = "".join(texts)
    codes = numpy.frombuffer(joined.encode("utf-32-le"), dtype=numpy.uint32)
    utf8_lengths = 1 + (codes >= 0x80).astype(numpy.int64) + (codes >= 0x800) + (codes >= 0x10000)
    byte_offsets = numpy.zeros(len(codes) + 1, dtype=numpy.int64)
    numpy.cumsum(utf8_lengths, out=byte_offsets[1:])
    buffer = numpy.frombuffer(joined.encode("utf-8") + bytes(4 * (ngram_range[1] + 1) + 3), dtype=numpy.uint8)
    words = buffer[:-3].astype(numpy.uint32)  # the little-endian 4-byte word starting at every byte
    for shift in (1, 2, 3):
        words |= buffer[shift : len(buffer) - 3 + shift].astype(numpy.uint32) << numpy.uint32(8 * shift)
    text_of_char = numpy.repeat(numpy.arange(len(texts)), lengths)
    text_end = numpy.repeat(numpy.cumsum(lengths), lengths)  # where the text of each character ends
    rows, columns = [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        starts = numpy.flatnonzero(numpy.arange(len(codes)) + n <= text_end)
        begin = byte_offsets[starts]
        hashes = _murmur3(words, begin, byte_offsets[starts + n] - begin)
        rows.append(text_of_char[starts])
        columns.append(_bucket(hashes, n_features))
    rows, columns = numpy.concatenate(rows), numpy.concatenate(columns)
    counts = csr_matrix((numpy.ones(len(rows)), (rows, columns)), shape=(len(texts), n_features))
    counts.sum_duplicates()
    return counts


def _bucket(hashes: numpy.ndarray, n_features: int) -> numpy.ndarray:
    """scikit-learn's column for a signed 32-bit hash: ``abs(h) % n_features``, with its rule for -2**31."""
    signed = hashes.view(numpy.int32).astype(numpy.int64)
    return numpy.where(signed == -(2**31), (2**31 - 1 - (n_features - 1)) % n_features, numpy.abs(signed) % n_features)


def _rotl(x: numpy.ndarray, r: int) -> numpy.ndarray:
    return (x << numpy.uint32(r)) | (x >> numpy.uint32(32 - r))


def _murmur3(words: numpy.ndarray, begin: numpy.ndarray, length: numpy.ndarray) -> numpy.ndarray:
    """MurmurHash3_x86_32 (seed 0) of the byte strings at ``begin`` of ``length`` bytes, as uint32;
    ``words[i]`` holds the four bytes from offset ``i``, little-endian."""
    h = numpy.zeros(len(begin), dtype=numpy.uint32)
    for block in range(int(length.max(initial=0)) // 4 + 1):
        word = words[begin + 4 * block]
        remaining = length - 4 * block
        full, tail = remaining >= 4, (remaining > 0) & (remaining < 4)
        # a tail keeps only its own bytes (the buffer goes on with the next n-gram's)
        keep = numpy.where(tail, (numpy.uint64(1) << (8 * numpy.clip(remaining, 0, 3)).astype(numpy.uint64)) - 1,
                           numpy.uint64(0xFFFFFFFF)).astype(numpy.uint32)
        k = _rotl((word & keep) * _C1, 15) * _C2
        mixed = _rotl(h ^ k, 13) * numpy.uint32(5) + numpy.uint32(0xE6546B64)
        h = numpy.where(full, mixed, numpy.where(tail, h ^ k, h))
    h ^= length.astype(numpy.uint32)
    h ^= h >> numpy.uint32(16)
    h *= numpy.uint32(0x85EBCA6B)
    h ^= h >> numpy.uint32(13)
    h *= numpy.uint32(0xC2B2AE35)
    h ^= h >> numpy.uint32(16)
    return h
