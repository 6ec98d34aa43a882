"""``zhpolicy train …`` and ``zhpolicy evaluate …``: fit the statistical stages on the corpus and measure them."""

from __future__ import annotations

import json
import tempfile
from enum import Enum
from pathlib import Path

import typer

from ..nlp import MODELS_DIR
from .common import fail

train_app = typer.Typer(help="Train pipeline stages on the corpus and save the pipeline into models/.", no_args_is_help=True)
evaluate_app = typer.Typer(help="Evaluate pipeline stages on a corpus split.", no_args_is_help=True)

OUT_OPTION = typer.Option(None, "--out", "-o", help="Where to save the pipeline (default: models/zhpolicy).")
MODEL_OPTION = typer.Option(None, "--model", "-m", help="Pipeline to evaluate (default: models/zhpolicy).")
SPLIT_OPTION = typer.Option("test", "--split", "-s", help="Corpus split: train, dev or test.")
DATA_OPTION = typer.Option(
    None, "--data-dir", "-d",
    help="Your own annotated documents instead of the project's corpus: a directory with train.jsonl, dev.jsonl and "
         "test.jsonl in the corpus format (`zhpolicy corpus validate FILE` checks them).")
HANLP_MODEL = MODELS_DIR / "zhpolicy-hanlp"


class EntityBackend(str, Enum):
    spacy = "spacy"
    hanlp = "hanlp"


BACKEND_OPTION = typer.Option(
    EntityBackend.spacy, help="Statistical entity layer: spacy, or hanlp (the optional extra; its pipeline is models/zhpolicy-hanlp)."
)


class EntityMode(str, Enum):
    auto = "auto"
    patterns = "patterns"
    model = "model"
    union = "union"


def _shown(path: Path) -> str:
    """A path as recorded in a training report: relative to the working directory when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_checked(path: Path, reader, *args):
    """``reader(path, *args)``, failing with one line when the file is missing or malformed."""
    if not path.is_file():
        fail(f"{path}: no such file")
    try:
        return reader(path, *args)
    except (ValueError, UnicodeDecodeError) as err:
        fail(str(err).splitlines()[0])


def _labelled_sentences(path: Path) -> list[tuple[str, str]]:
    from ..corpus import read_labelled_sentences

    return _read_checked(path, read_labelled_sentences)


def _records(split: str, data_dir: Path | None = None, goal_ids: set[str] | None = None) -> list[dict]:
    """The records of a split: the corpus's, or those of ``data_dir`` (``--data-dir``), which are checked as
    `zhpolicy corpus validate` checks them (goal ids among ``goal_ids``, default the project's taxonomy's)."""
    from ..corpus import SPLITS, read_split, validate_record
    from ..taxonomy import load_taxonomy

    if split not in SPLITS:
        fail(f"unknown split {split!r}; choose train, dev or test")
    if data_dir is None:
        try:
            return read_split(split)
        except FileNotFoundError:
            fail(f"no {split} split found: run `zhpolicy corpus build` first")
    path = data_dir / f"{split}.jsonl"
    if not data_dir.is_dir():
        fail(f"{data_dir}: no such directory")
    if not path.is_file():
        fail(f"{data_dir}: no {split}.jsonl (a data directory holds train.jsonl, dev.jsonl and test.jsonl in the corpus format)")
    try:
        records = read_split(split, data_dir)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        fail(f"{path}: not UTF-8 JSON lines ({err})")
    if goal_ids is None:
        goal_ids = {goal.id for goal in load_taxonomy().leaves}
    problems = [f"record {i + 1} is not a JSON object" if not isinstance(record, dict) else
                next((str(p) for p in validate_record(record, goal_ids)), None) for i, record in enumerate(records)]
    problems = [p for p in problems if p]  # the first problem of each bad record
    if problems:
        fail(f"{path}: {problems[0]} ({len(problems)} record(s) with problems: `zhpolicy corpus validate {path}` lists them)")
    return records


def _pipeline(out: Path | None):
    """The pipeline a training command extends: the one at ``out`` if saved there, else the default one."""
    from ..nlp import load

    return load(out) if out is not None and out.is_dir() else load()


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
    backend: EntityBackend = BACKEND_OPTION,
    patterns_only: bool = typer.Option(
        False, "--patterns-only",
        help="Keep the saved pipeline's trained layer; load configs/entities.yaml and choose the mode on dev again "
             "(after editing the patterns)."),
    data_dir: Path = DATA_OPTION,
    out: Path = OUT_OPTION,
) -> None:
    """Train the statistical entity layer and choose how it combines with the patterns (measured on dev).

    With ``--backend hanlp`` the layer is HanLP's BiLSTM tagger and the pipeline goes to models/zhpolicy-hanlp.
    """
    from ..hanlp_backend import train_hanlp_ner
    from ..nlp import CONFIGS_DIR, DEFAULT_MODEL
    from ..training.entities import train_ner
    from .evaluation import entity_scores_of, print_entity_table

    import yaml

    dev = _records("dev", data_dir)
    if backend is EntityBackend.hanlp:
        out = out or HANLP_MODEL
    if patterns_only:
        nlp = _pipeline(out)
        component = nlp.get_pipe("entities") if "entities" in nlp.pipe_names else None
        if component is None or component.model is None:
            fail(f"{out or DEFAULT_MODEL} has no trained entity layer to keep: run `zhpolicy train entities` first")
        saved_report = (out or DEFAULT_MODEL) / "entities" / "training.json"
        if saved_report.exists():  # the kept layer's training record stays with it
            saved = json.loads(saved_report.read_text(encoding="utf-8"))
            seed, rows = saved["seed"], saved["epochs"]
        else:
            rows = []
    else:
        train = _records("train", data_dir)
        if backend is EntityBackend.hanlp:
            try:
                with tempfile.TemporaryDirectory() as work:  # the model keeps its files and writes them on save
                    model, rows = train_hanlp_ner(train, dev, Path(work), epochs=epochs, seed=seed, log=typer.echo)
            except ImportError as err:
                fail(str(err))
        else:
            model, rows = train_ner(train, dev, epochs=epochs, seed=seed, log=typer.echo)
        nlp = _pipeline(out)
        if "entities" not in nlp.pipe_names:
            nlp.add_pipe("policy_entities", name="entities", after="structure")
        component = nlp.get_pipe("entities")
        component.set_model(model, backend=backend.value)
    component.set_patterns(yaml.safe_load((CONFIGS_DIR / "entities.yaml").read_text(encoding="utf-8")))
    measured = {}
    for candidate in ("patterns", "model", "union"):
        component.mode = candidate
        measured[candidate] = entity_scores_of(nlp, dev)
        print_entity_table(measured[candidate], title=f"dev, mode = {candidate}")
    chosen = mode.value if mode is not EntityMode.auto else max(measured, key=lambda m: measured[m]["micro"]["f1"])
    component.mode = chosen
    typer.echo(f"mode: {chosen} (dev micro-F1 {measured[chosen]['micro']['f1']:.4f})")
    target = _save(nlp, out)
    report = {"seed": seed, "backend": component.backend, "epochs": rows, "dev": measured, "mode": chosen,
              "data": _shown(data_dir) if data_dir else "corpora/data"}
    (target / "entities" / "training.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


@evaluate_app.command("structure")
def evaluate_structure(split: str = SPLIT_OPTION, data_dir: Path = DATA_OPTION) -> None:
    """Units found with their exact gold offsets (precision, recall, F1), and per kind with offsets and kind."""
    from ..training.structure import structure_scores
    from .evaluation import print_structure_scores

    print_structure_scores(structure_scores(_records(split, data_dir)), title=f"structure, {split} split")


@evaluate_app.command("entities")
def evaluate_entities(
    split: str = SPLIT_OPTION,
    model: Path = MODEL_OPTION,
    backend: EntityBackend = BACKEND_OPTION,
    mode: EntityMode = typer.Option(EntityMode.auto, help="Evaluate in this mode (patterns, model, union); auto = as saved."),
    data_dir: Path = DATA_OPTION,
) -> None:
    """Per-label precision, recall and F1 (exact span match) and partial-overlap F1 on a split."""
    from .common import load_pipeline
    from .evaluation import entity_scores_of, print_entity_table

    records = _records(split, data_dir)
    if model is None and backend is EntityBackend.hanlp:
        model = HANLP_MODEL
        if not model.is_dir():
            fail(f"no saved pipeline at {model}: run `zhpolicy train entities --backend hanlp` first")
    nlp = load_pipeline(model)
    if "entities" not in nlp.pipe_names:
        fail("the pipeline has no entities stage")
    used = nlp.get_pipe("entities").backend
    if used != backend.value:
        fail(f"the pipeline's entity layer is {used}, not {backend.value}: pass --backend {used} or another --model")
    component = nlp.get_pipe("entities")
    if mode is not EntityMode.auto:
        if mode is not EntityMode.patterns and component.model is None:
            fail(f"mode {mode.value} needs a trained model: run `zhpolicy train entities`")
        component.mode = mode.value
    print_entity_table(entity_scores_of(nlp, records), title=f"entities, {split} split, mode {component.mode}")


# The function classifier's default grid (`train function` and `train all`): it holds the setting that was kept
SILVER_WEIGHTS = (0.2, 0.3)
FUNCTION_C = (16.0, 32.0, 64.0)
SENTENCE_WEIGHTS = (0.0, 1.0, 2.0)


@train_app.command("function")
def train_function(
    extra_silver: list[Path] = typer.Option(
        [], "--extra-silver", help="Unannotated reports to silver-label and add (files, or JSONL with a text field)."),
    silver_weight: list[float] = typer.Option(
        list(SILVER_WEIGHTS), help="Sample weight of silver units relative to gold ones; repeat it to compare several."),
    government_reports: Path = typer.Option(
        None, help="Government work reports (JSONL): their out-of-domain dev years count in the choice."),
    c: list[float] = typer.Option(
        list(FUNCTION_C), "--c", help="Inverse regularisation strength of the logistic regression; repeat to compare."),
    train_sentences: Path = typer.Option(
        None, help="Sentences labelled alone (label<TAB>sentence per line) to train on "
                   "(default: corpora/sentences/train.tsv)."),
    sentence_weight: list[float] = typer.Option(
        list(SENTENCE_WEIGHTS), help="Sample weight of the training sentences labelled alone; repeat it to compare several."),
    dev_sentences: Path = typer.Option(
        None, help="Dev sentences labelled alone that count in the choice (default: corpora/sentences/dev.tsv)."),
    seed: int = typer.Option(0, help="Random seed."),
    data_dir: Path = DATA_OPTION,
    out: Path = OUT_OPTION,
) -> None:
    """Train the unit function classifier on the train split for each C, without and (with --extra-silver)
    with silver at each weight, and with the training sentences labelled alone at each weight; keep the one that
    scores best on dev: the dev split and, if given, the out-of-domain dev years of the government reports,
    each with and without document context, and the dev sentences labelled alone."""
    from ..training.functions import (OOD_DEV_YEARS, SENTENCES_DEV, SENTENCES_TRAIN, dev_score, evaluate_out_of_domain,
                                      evaluate_records, evaluate_sentences, read_silver_texts, train_function_model,
                                      training_sources)
    from .evaluation import print_function_report

    given = [*extra_silver, *(p for p in (government_reports, train_sentences, dev_sentences) if p is not None)]
    for path in given:
        if not path.exists():
            fail(f"{path}: no such file")
    dev_rows = _labelled_sentences(dev_sentences or SENTENCES_DEV) if dev_sentences or SENTENCES_DEV.exists() else []
    train_rows = (_labelled_sentences(train_sentences or SENTENCES_TRAIN)
                  if train_sentences or SENTENCES_TRAIN.exists() else [])
    train, dev = _records("train", data_dir), _records("dev", data_dir)
    texts = read_silver_texts(list(extra_silver)) if extra_silver else []
    if texts:
        typer.echo(f"silver: {len(texts)} documents")
    sources = training_sources(train, texts, train_rows)  # analysed once for every candidate
    candidates = {}
    for strength in c:
        for silver in [0.0, *(silver_weight if texts else ())]:
            for alone in sentence_weight if train_rows else [0.0]:
                name = ("gold only" if not silver else f"gold + silver ×{silver:g}") + (
                    f" + sentences ×{alone:g}" if alone else "") + f", C={strength:g}"
                candidates[name] = train_function_model(sources, seed=seed, C=strength, silver_weight=silver,
                                                        sentence_weight=alone)
    measured, scores = {}, {}
    for name, model in candidates.items():
        measured[name] = {}
        for context in ("document", "sentence"):
            measured[name][f"dev_{context}"] = evaluate_records(model, dev, context=context)
            if government_reports is not None:
                measured[name][f"ood_dev_{context}"] = evaluate_out_of_domain(
                    model, government_reports, years=OOD_DEV_YEARS, context=context)
        if dev_rows:
            measured[name]["dev_sentences_alone"] = evaluate_sentences(model, dev_rows)
        print_function_report(measured[name]["dev_document"], title=f"dev, {name}")
        scores[name] = dev_score(measured[name])
        typer.echo(f"{name}: " + ", ".join(f"{key} {report['macro_f1']:.4f}" for key, report in measured[name].items())
                   + f"; dev score {scores[name]:.4f}")
    chosen = max(scores, key=scores.get)
    typer.echo(f"kept: {chosen} (dev score {scores[chosen]:.4f})")
    nlp = _pipeline(out)
    if "functions" not in nlp.pipe_names:
        nlp.add_pipe("policy_functions", name="functions", after="entities" if "entities" in nlp.pipe_names else "structure")
    nlp.get_pipe("functions").set_model(candidates[chosen])
    target = _save(nlp, out)
    macro_f1 = {name: {key: round(report["macro_f1"], 4) for key, report in reports.items()} for name, reports in measured.items()}
    report = {"seed": seed, "kept": chosen, "silver_weight": silver_weight, "c": c,
              "sentence_weight": sentence_weight if train_rows else [], "dev_scores": scores, "macro_f1": macro_f1,
              "data": _shown(data_dir) if data_dir else "corpora/data", "extra_silver": [str(p) for p in extra_silver],
              "train_sentences": _shown(train_sentences or SENTENCES_TRAIN) if train_rows else None,
              "dev_sentences": _shown(dev_sentences or SENTENCES_DEV) if dev_rows else None,
              "government_reports": str(government_reports) if government_reports else None}
    (target / "functions" / "training.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


@evaluate_app.command("function")
def evaluate_function(
    split: str = SPLIT_OPTION,
    model: Path = MODEL_OPTION,
    government_reports: Path = typer.Option(
        None, help="Also score held-out government work reports (JSONL) against their structure-derived silver labels."),
    sentences: list[Path] = typer.Option(
        [], help="Also score sentences given alone (label<TAB>sentence per line); repeat for several files."),
    data_dir: Path = DATA_OPTION,
) -> None:
    """Accuracy, per-label P/R/F1, macro-F1 and the confusion matrix on a split (gold units, document context)."""
    from ..training.functions import evaluate_out_of_domain, evaluate_records, evaluate_sentences
    from .common import load_pipeline
    from .evaluation import print_function_report

    records = _records(split, data_dir)
    nlp = load_pipeline(model)
    if "functions" not in nlp.pipe_names:
        fail("the pipeline has no functions stage")
    estimator = nlp.get_pipe("functions").model
    print_function_report(evaluate_records(estimator, records), title=f"functions, {split} split")
    if government_reports is not None:
        if not government_reports.is_file():
            fail(f"{government_reports}: no such file")
        for context in ("document", "sentence"):
            report = evaluate_out_of_domain(estimator, government_reports, context=context)
            print_function_report(report, title=f"government work reports {report['years']}, {context} context, vs silver")
    for path in sentences:
        print_function_report(evaluate_sentences(estimator, _labelled_sentences(path)), title=f"{path}, sentences alone")


UNITS_WEIGHTS = (0.0, 1.0, 2.0, 4.0)  # the linker's units labelled alone (`train linker` and `train all`)


@train_app.command("linker")
def train_linker(
    seed: int = typer.Option(0, help="Random seed."),
    taxonomy: Path = typer.Option(None, help="Taxonomy file (default: configs/taxonomy.yaml)."),
    train_units: Path = typer.Option(
        None, help='Units labelled alone with their goals (JSONL: {"text": …, "goals": [primary, secondary…]}) to train '
                   "on as well (default: corpora/goal_units/train.jsonl)."),
    units_weight: list[float] = typer.Option(
        list(UNITS_WEIGHTS), help="Sample weight of the units labelled alone; repeat it to compare several (0 leaves them out)."),
    data_dir: Path = DATA_OPTION,
    out: Path = OUT_OPTION,
) -> None:
    """Train the goal linker on the train split (and units labelled alone, at each weight); choose the weight,
    the keyword weight and the no-goal threshold on dev."""
    from ..corpus import read_goal_units
    from ..taxonomy import TaxonomyError, load_taxonomy
    from ..training.linker import UNITS_TRAIN, alone_contexts, fit_linker

    try:
        goals = load_taxonomy(taxonomy)
    except TaxonomyError as err:
        fail(str(err).splitlines()[0])
    leaves = {goal.id for goal in goals.leaves}
    units_path = train_units or (UNITS_TRAIN if UNITS_TRAIN.exists() and taxonomy is None else None)
    rows = _read_checked(units_path, read_goal_units, leaves) if units_path is not None else []
    train, dev = _records("train", data_dir, leaves), _records("dev", data_dir, leaves)
    nlp = _pipeline(out)
    alone = (alone_contexts(nlp, [text for text, _ in rows]), [g for _, g in rows]) if rows else None
    linker, report = fit_linker(goals, train, dev, seed=seed, log=typer.echo, alone=alone,
                                alone_weights=tuple(units_weight))
    if "linker" not in nlp.pipe_names:
        nlp.add_pipe("policy_linker", name="linker", last=True)
    nlp.get_pipe("linker").set_linker(linker)
    target = _save(nlp, out)
    (target / "linker" / "training.json").write_text(json.dumps(
        {"seed": seed, "data": _shown(data_dir) if data_dir else "corpora/data",
         "train_units": _shown(units_path) if rows else None, **report}, indent=1), encoding="utf-8")


@evaluate_app.command("linker")
def evaluate_linker(
    split: str = SPLIT_OPTION,
    model: Path = MODEL_OPTION,
    units: list[Path] = typer.Option(
        [], help='Also score units given alone (JSONL: {"text": …, "goals": [primary, secondary…]}), with the '
                 "entities the pipeline finds in them; repeat for several files."),
    data_dir: Path = DATA_OPTION,
) -> None:
    """Level-2 and level-1 accuracy@1, recall@3 and precision of "no goal" on a split (gold units and entities)."""
    from ..corpus import read_goal_units
    from ..training.linker import alone_contexts, corpus_contexts, link_scores
    from .common import load_pipeline
    from .evaluation import print_link_scores

    nlp = load_pipeline(model)
    if "linker" not in nlp.pipe_names:
        fail("the pipeline has no linker stage")
    linker = nlp.get_pipe("linker").linker
    records = _records(split, data_dir, {goal.id for goal in linker.taxonomy.leaves})
    contexts, gold = corpus_contexts(records)
    print_link_scores(link_scores(linker.taxonomy, linker.link(contexts), gold), title=f"goal links, {split} split")
    for path in units:
        rows = _read_checked(path, read_goal_units, {goal.id for goal in linker.taxonomy.leaves})
        predicted = linker.link(alone_contexts(nlp, [text for text, _ in rows]))
        print_link_scores(link_scores(linker.taxonomy, predicted, [goals for _, goals in rows]),
                          title=f"goal links, {path}, units alone")


@train_app.command("all")
def train_all(
    government_reports: Path = typer.Option(
        None, help="Government work reports (JSONL): silver units for the function classifier, and its "
                   "out-of-domain dev years."),
    seed: int = typer.Option(0, help="Random seed."),
    data_dir: Path = DATA_OPTION,
    out: Path = OUT_OPTION,
) -> None:
    """Assemble the pipeline from configs/ and train every statistical stage in order."""
    from ..nlp import DEFAULT_MODEL, assemble

    target = out or DEFAULT_MODEL
    assemble().to_disk(target)
    train_entities(epochs=30, seed=seed, mode=EntityMode.auto, backend=EntityBackend.spacy, patterns_only=False,
                   data_dir=data_dir, out=target)
    train_function(extra_silver=[government_reports] if government_reports else [], silver_weight=list(SILVER_WEIGHTS),
                   government_reports=government_reports, c=list(FUNCTION_C), train_sentences=None,
                   sentence_weight=list(SENTENCE_WEIGHTS), dev_sentences=None, seed=seed, data_dir=data_dir, out=target)
    train_linker(seed=seed, taxonomy=None, train_units=None, units_weight=list(UNITS_WEIGHTS), data_dir=data_dir,
                 out=target)


@evaluate_app.command("silver")
def evaluate_silver(
    split: str = typer.Option("all", "--split", "-s", help="Corpus split, or all."),
    data_dir: Path = DATA_OPTION,
) -> None:
    """Agreement of the structure-derived silver labels (`corpus silver`) with gold functions, on every unit."""
    from ..corpus import SPLITS
    from ..silver import label_text
    from ..training.functions import classification_report
    from .evaluation import print_function_report

    records = [r for name in (SPLITS if split == "all" else (split,)) for r in _records(name, data_dir)]
    gold, predicted = [], []
    for record in records:
        silver = {(u.start, u.end): u.function for u in label_text(record["text"])}
        for unit in record["units"]:
            gold.append(unit["function"])
            predicted.append(silver.get((unit["start"], unit["end"])) or "other")
    print_function_report(classification_report(gold, predicted),
                          title=f"silver labels vs gold, {split} ({len(records)} documents; unlabelled counted as other)")


@evaluate_app.command("indicators")
def evaluate_indicators(split: str = SPLIT_OPTION, data_dir: Path = DATA_OPTION) -> None:
    """Indicators on a split: value + unit of measure per unit, and exact spans (precision, recall, F1)."""
    from collections import Counter

    from rich.console import Console
    from rich.table import Table

    from ..indicators import indicators_in_unit
    from ..training.scores import precision_recall_f1

    counts = {"value + unit": [0, 0, 0], "exact span": [0, 0, 0]}
    for record in _records(split, data_dir):
        gold = {"value + unit": Counter((i["unit"], i["value"], i["unit_of_measure"]) for i in record["indicators"]),
                "exact span": Counter((i["start"], i["end"]) for i in record["indicators"])}
        predicted = {"value + unit": Counter(), "exact span": Counter()}
        for unit in record["units"]:
            if unit["kind"] != "body":
                continue
            for found in indicators_in_unit(record["text"], unit["start"], unit["end"]):  # as the pipeline reads it
                predicted["value + unit"][(unit["id"], found.value, found.unit_of_measure)] += 1
                predicted["exact span"][(found.start, found.end)] += 1
        for key in counts:
            tp = sum((gold[key] & predicted[key]).values())
            counts[key][0] += tp
            counts[key][1] += sum(predicted[key].values()) - tp
            counts[key][2] += sum(gold[key].values()) - tp
    table = Table(title=f"indicators, {split} split (gold units)")
    for column in ("match", "precision", "recall", "F1"):
        table.add_column(column)
    for key, row in counts.items():
        scores = precision_recall_f1(*row)
        table.add_row(key, *(f"{scores[name]:.3f}" for name in ("precision", "recall", "f1")))
    Console().print(table)
