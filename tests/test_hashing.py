"""The numpy n-gram hasher gives scikit-learn's HashingVectorizer numbers exactly."""

import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from pipeline import hashing
from pipeline.functions import char_ngrams

TEXTS = [
    "全年办结行政复议案件921件，同比增长12.5%。",
    "進一步健全行政執法監督機制",  # traditional characters
    "ＡＢＣ  abc\t\tDEF",  # full-width, upper case, whitespace runs
    "区司法局😀𠀀",  # characters outside the Basic Multilingual Plane (4-byte UTF-8)
    "一",
    "",
]


@pytest.mark.parametrize("ngram_range, n_features", [((1, 2), 2**16), ((2, 3), 2**13), ((1, 4), 1000)])
def test_hash_char_ngrams_equals_hashing_vectorizer(ngram_range, n_features, seed_text):
    texts = TEXTS + seed_text.splitlines()
    reference = HashingVectorizer(analyzer="char", ngram_range=ngram_range, n_features=n_features,
                                  alternate_sign=False, norm=None).transform(texts)
    ours = hashing.hash_char_ngrams(texts, ngram_range, n_features)
    assert ours.shape == reference.shape
    assert (ours != reference).nnz == 0
    assert reference.nnz > 1000


def test_transform_equals_fitted_pipeline(seed_text):
    vectorizer = char_ngrams((1, 2), 2**12).fit(seed_text.splitlines())
    reference = vectorizer.transform(TEXTS)
    assert abs(hashing.transform(vectorizer, TEXTS) - reference).max() < 1e-12


def test_transform_falls_back_for_other_settings():
    from sklearn.pipeline import make_pipeline

    vectorizer = make_pipeline(HashingVectorizer(analyzer="char_wb", n_features=256)).fit(TEXTS)
    assert (hashing.transform(vectorizer, TEXTS) != vectorizer.transform(TEXTS)).nnz == 0
