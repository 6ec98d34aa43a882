"""``zhpolicy train …`` and ``zhpolicy evaluate …``: fit the statistical stages on the corpus and measure them."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from .common import fail

train_app = typer.Typer(help="Train pipeline stages on the corpus and save the pipeline into models/.", no_args_is_help=True)
evaluate_app = typer.Typer(help="Evaluate pipeline stages on a corpus split.", no_args_is_help=True)

OUT_OPTION = typer.Option(None, "--out", "-o", help="Where to save the pipeline (default: models/zhpolicy).")
MODEL_OPTION = typer.Option(None, "--model", "-m", help="Pipeline to evaluate (default: models/zhpolicy).")
SPLIT_OPTION = typer.Option("test", "--split", "-s", help="Corpus split: train, dev or test.")


class EntityMode(str, Enum):
    auto = "auto"
    patterns = "patterns"
    model = "model"
    union = "union"


def _records(split: str) -> list[dict]:
    from ..corpus import SPLITS, read_split

    if split not in SPLITS:
        fail(f"unknown split {split!r}; choose train, dev or test")
    try:
        return read_split(split)
    except FileNotFoundError:
        fail(f"no {split} split found: run `zhpolicy corpus build` first")


def _save(nlp, out: Path | None) -> Path:
    from ..nlp import DEFAULT_MODEL

    target = out or DEFAULT_MODEL
    nlp.to_disk(target)
    typer.echo(f"saved pipeline {nlp.pipe_names} to {target}")
    return target


@train_app.command("entities")
def train_entities(
    epochs: int = typer.Option(30, help="Training epochs of the character NER (the best dev epoch is kept)."),
    seed: int = typer.Option(0, help="Random seed."),
    mode: EntityMode = typer.Option(EntityMode.auto, help="How patterns and model combine; auto keeps the best on dev."),
    out: Path = OUT_OPTION,
) -> None:
    """Train the statistical entity layer and choose how it combines with the patterns (measured on dev)."""
    from ..nlp import CONFIGS_DIR, load
    from ..training.entities import train_ner
    from .evaluation import entity_scores_of, print_entity_table

    import yaml

    train, dev = _records("train"), _records("dev")
    model, rows = train_ner(train, dev, epochs=epochs, seed=seed, log=typer.echo)
    nlp = load()
    if "entities" not in nlp.pipe_names:
        nlp.add_pipe("policy_entities", name="entities", after="structure")
    component = nlp.get_pipe("entities")
    component.set_patterns(yaml.safe_load((CONFIGS_DIR / "entities.yaml").read_text(encoding="utf-8")))
    component.set_model(model)
    measured = {}
    for candidate in ("patterns", "model", "union"):
        component.mode = candidate
        measured[candidate] = entity_scores_of(nlp, dev)
        print_entity_table(measured[candidate], title=f"dev, mode = {candidate}")
    chosen = mode.value if mode is not EntityMode.auto else max(measured, key=lambda m: measured[m]["micro"]["f1"])
    component.mode = chosen
    typer.echo(f"mode: {chosen} (dev micro-F1 {measured[chosen]['micro']['f1']:.4f})")
    target = _save(nlp, out)
    report = {"seed": seed, "epochs": rows, "dev": measured, "mode": chosen}
    (target / "entities" / "training.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


@evaluate_app.command("entities")
def evaluate_entities(split: str = SPLIT_OPTION, model: Path = MODEL_OPTION) -> None:
    """Per-label precision, recall and F1 (exact span match) and partial-overlap F1 on a split."""
    from .common import load_pipeline
    from .evaluation import entity_scores_of, print_entity_table

    nlp = load_pipeline(model)
    if "entities" not in nlp.pipe_names:
        fail("the pipeline has no entities stage")
    print_entity_table(entity_scores_of(nlp, _records(split)), title=f"entities, {split} split")
