"""Saving and loading scikit-learn models with skops, against an explicit list of trusted types.

No pickle, no joblib: a skops file is data, and :func:`load_model` refuses any type that is not on
:data:`TRUSTED_TYPES`, so a model file can never run code when it is loaded.
"""

from __future__ import annotations

from pathlib import Path

TRUSTED_TYPES = [
    "pipeline.functions.UnitFeaturizer",
    "pipeline.linker.GoalFeaturizer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._label.LabelEncoder",
    "builtins.slice",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "scipy.sparse._csr.csr_matrix",
]


class UntrustedModelError(Exception):
    """A model file holds types outside the trusted list; it is not loaded."""


def save_model(model, path: str | Path) -> None:
    import skops.io as sio

    sio.dump(model, Path(path))


def load_model(path: str | Path, trusted: list[str] | None = None):
    """Load a skops model file, refusing any type outside ``trusted`` (default :data:`TRUSTED_TYPES`)."""
    import skops.io as sio

    trusted = TRUSTED_TYPES if trusted is None else trusted
    untrusted = set(sio.get_untrusted_types(file=Path(path))) - set(trusted)
    if untrusted:
        raise UntrustedModelError(f"{path}: refusing to load untrusted types: {', '.join(sorted(untrusted))}")
    return sio.load(Path(path), trusted=trusted)
