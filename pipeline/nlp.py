"""Assembling, saving and loading the spaCy pipeline."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIGS_DIR = REPO_ROOT / "configs"
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_CONFIG = CONFIGS_DIR / "pipeline.cfg"
DEFAULT_MODEL = MODELS_DIR / "zhpolicy"
MODEL_ENV = "ZHPOLICY_MODEL"


def _register() -> None:
    """Import the modules that register our factories and functions (entry points do this for spaCy)."""
    from . import tokenizer  # noqa: F401
    from .components import entities, functions, indicators, linker, structure  # noqa: F401


def assemble(config_path: str | Path = DEFAULT_CONFIG, overrides: dict | None = None):
    """Build and initialise the pipeline described by a config file (untrained components stay empty)."""
    import spacy

    _register()
    config = spacy.util.load_config(config_path, overrides={"paths.configs": str(CONFIGS_DIR), **(overrides or {})},
                                    interpolate=False)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


def default_model_path() -> Path:
    return Path(os.environ.get(MODEL_ENV) or DEFAULT_MODEL)


def entity_docs(nlp, texts) -> list:
    """``texts`` through the structure and entity stages only: what entity and linking evaluations need (the
    later stages are not, and may not be trained yet)."""
    with nlp.select_pipes(enable=[name for name in ("structure", "entities") if name in nlp.pipe_names]):
        return list(nlp.pipe(texts))


def load(model: str | Path | None = None, *, segmenter: str | None = None):
    """Load a saved pipeline (default: ``models/zhpolicy`` or ``$ZHPOLICY_MODEL``).

    Without a saved pipeline, the pipeline is assembled from ``configs/pipeline.cfg``.
    ``segmenter`` overrides the tokenizer's segmenter (``jieba`` or ``hanlp``).
    """
    import spacy

    _register()
    path = Path(model) if model is not None else default_model_path()
    if path.is_dir():
        nlp = spacy.load(path)
    elif model is not None:
        raise FileNotFoundError(f"no saved pipeline at {path}")
    else:
        nlp = assemble()
    if segmenter:
        # the saved tokenizer restores its own settings from disk, so the choice is applied afterwards
        nlp.tokenizer.set_segmenter(segmenter)
    return nlp
