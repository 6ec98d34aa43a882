"""HanLP as an optional backend: the word segmenter and the statistical entity layer.

Everything runs from local HanLP model directories (HanLP's own save format: ``config.json``,
``model.pt``, ``vocabs.json``), loaded with ``hanlp.load(path)``; a pretrained HanLP identifier
also works for the segmenter when ``$HANLP_HOME`` has it or HanLP can download it. The models this
project trains are HanLP's BiLSTM character taggers, trained from scratch on the CPU with HanLP's
own trainer: ``RNNNamedEntityRecognizer`` on BIO tags for entities, ``RNNTagger`` on B/M/E/S tags for
the segmenter. Both run with ``crf=False``: HanLP 2.1's ``RNNTaggingModel`` hands its CRF the wrong
axis order, so the CRF variant does not learn. The segmenter is trained on *silver* data — the
corpus units segmented by jieba with the policy dictionary — so it imitates jieba; it exists so
that the HanLP path works without downloads. hanlp and torch are imported inside functions: the
extra is optional.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable

INSTALL_HINT = (
    "the hanlp segmenter/backend needs the optional extra: pip install torch==2.13.0 && "
    "pip install 'zhpolicy[hanlp]' (install the CPU build of torch first, so pip does not pull a CUDA one)"
)
MODEL_ENV = "ZHPOLICY_HANLP_MODEL"
MODEL_FILES = ("config.json", "model.pt", "vocabs.json")
SPACE = "\u2581"  # whitespace stands for itself as this character: HanLP's TSV files cannot hold it
_WHITESPACE = re.compile(r"(\s+)")
_EPOCH = re.compile(r"Epoch (\d+) / \d+")
_PROGRESS = re.compile(r"\d+/\d+ loss: ([\d.]+) .*?([\d.]+)% ET")


class HanlpModelError(FileNotFoundError):
    """A HanLP model that cannot be had: not set, no such directory, or not downloadable."""


def _hanlp():
    try:
        import hanlp
    except ImportError as err:
        raise ImportError(INSTALL_HINT) from err
    return hanlp


def _model_hint(reason: str) -> str:
    return (
        f"{reason}. The hanlp segmenter needs a HanLP tokenizer model: a local model directory (train one on the "
        "corpus with pipeline.hanlp_backend.train_hanlp_tokenizer) or a HanLP pretrained identifier that is in "
        "$HANLP_HOME or can be downloaded; set it with `[nlp.tokenizer] hanlp_model = \"/path\"` in the pipeline "
        f"config (used by --segmenter hanlp) or the environment variable {MODEL_ENV}"
    )


# -- segmenter ----------------------------------------------------------------------------------
def load_hanlp_segmenter(model: str | None, user_words: Iterable[tuple[str, int | None]]) -> Callable[[str], list[str]]:
    """A callable ``text -> words`` whose words concatenate to ``text``, from a HanLP model.

    ``model`` is a local directory or a HanLP pretrained identifier; ``None`` means ``$ZHPOLICY_HANLP_MODEL``.
    It is a HanLP tokenizer (the pretrained ones) or a BMES character tagger (what
    :func:`train_hanlp_tokenizer` makes). The user dictionary is forced by longest-prefix matching: through
    the tokenizer's ``dict_force`` where it has one, else by the same ``hanlp_trie`` split before the model.
    """
    hanlp = _hanlp()
    model = model or os.environ.get(MODEL_ENV)
    if not model:
        raise HanlpModelError(_model_hint("no HanLP tokenizer model is set"))
    path = Path(model).expanduser()
    if "://" not in model and (path.exists() or os.sep in model or model.startswith((".", "~"))):
        if not (path / "config.json").is_file() and not (path / "meta.json").is_file():
            raise HanlpModelError(_model_hint(f"no HanLP model directory at {path}"))
        model = str(path.resolve())
    try:
        component = hanlp.load(model, verbose=False)
    except Exception as err:  # HanLP raises whatever its download or loading hit
        raise HanlpModelError(_model_hint(f"cannot load HanLP model {model!r} ({type(err).__name__}: {err})")) from err
    words = {word for word, _ in user_words}
    if hasattr(type(component), "dict_force"):
        component.dict_force = words or None
        return HanlpSegmenter(component)
    tags = set(getattr(getattr(component, "vocabs", {}).get("tag"), "idx_to_token", None) or ())
    if not tags or not tags <= set("BMES"):
        raise HanlpModelError(_model_hint(f"{model} is neither a HanLP tokenizer nor a BMES character tagger"))
    from hanlp_trie import TrieDict

    return HanlpSegmenter(_BmesTokenizer(component), TrieDict({word: True for word in words}) if words else None)


class _BmesTokenizer:
    """A HanLP character tagger with B/M/E/S tags used as a tokenizer: ``texts -> words per text``."""

    def __init__(self, tagger) -> None:
        self.tagger = tagger

    def __call__(self, texts: list[str]) -> list[list[str]]:
        from hanlp.utils.span_util import bmes_to_words

        tags = self.tagger([list(text) for text in texts])  # calling the component predicts under torch.no_grad
        return [bmes_to_words(text, text_tags) for text, text_tags in zip(texts, tags)]


class HanlpSegmenter:
    """Runs a HanLP tokenizer on the non-whitespace stretches of a text; whitespace runs are words of their own."""

    def __init__(self, tokenizer, force=None) -> None:
        self.tokenizer = tokenizer  # texts -> words per text
        self.force = force  # a hanlp_trie.TrieDict of words kept whole, for tokenizers without dict_force

    def __call__(self, text: str) -> list[str]:
        pieces: list[tuple[str, bool]] = []  # (text, already a word)
        for run in _WHITESPACE.split(text):
            if not run:
                continue
            if run.isspace() or self.force is None:
                pieces.append((run, run.isspace()))
                continue
            for part in self.force.split(run):
                pieces.append((part, False) if isinstance(part, str) else (run[part[0]:part[1]], True))
        to_model = [piece for piece, fixed in pieces if not fixed]
        segmented = iter(self.tokenizer(to_model) if to_model else [])
        words: list[str] = []
        for piece, fixed in pieces:
            words.extend([piece] if fixed else _cover(piece, next(segmented)))
        return words


def _cover(text: str, words: list[str]) -> list[str]:
    """``words`` made to concatenate to ``text`` (by their lengths, should a model alter characters)."""
    if "".join(words) == text:
        return list(words)
    out, pos = [], 0
    for word in words:
        if pos >= len(text):
            break
        out.append(text[pos:pos + len(word)])
        pos += len(word)
    if pos < len(text):
        out.append(text[pos:])
    return [word for word in out if word]


def silver_sentences(records: list[dict], user_words: Iterable[tuple[str, int | None]]) -> list[list[str]]:
    """Every corpus unit segmented by jieba with the policy dictionary (silver data for the HanLP segmenter)."""
    from spacy.vocab import Vocab

    from .tokenizer import PolicyTokenizer

    jieba = PolicyTokenizer(Vocab())
    jieba.user_words = list(user_words)
    sentences = []
    for record in records:
        for unit in record["units"]:
            words = [part for word in jieba.segment(unit["text"]) for part in word.split()]
            if words:
                sentences.append(words)
    return sentences


def train_hanlp_tokenizer(out_dir: str | Path, sentences: list[list[str]], *, epochs: int = 10, seed: int = 0,
                          embed: int = 64, hidden: int = 128, log=print) -> list[dict]:
    """Train HanLP's BiLSTM ``RNNTagger`` from scratch as a B/M/E/S segmenter; save it in ``out_dir``.

    (HanLP 2.1's own ``RNNTokenizer`` cannot build its datasets, so the segmenter is the plain tagger on
    B/M/E/S tags.) Every tenth sentence is held out as dev data; the best dev epoch is kept. Returns the epoch log.
    """
    _hanlp()
    from hanlp.components.taggers.rnn_tagger import RNNTagger

    def bmes(words: list[str]) -> tuple[str, list[str]]:
        return "".join(words), [t for w in words for t in (["S"] if len(w) == 1 else ["B"] + ["M"] * (len(w) - 2) + ["E"])]

    dev = [bmes(words) for words in sentences[::10]]
    train = [bmes(words) for i, words in enumerate(sentences) if i % 10]
    with tempfile.TemporaryDirectory() as work:
        train_file, dev_file = Path(work) / "train.tsv", Path(work) / "dev.tsv"
        _write_tsv(train_file, train)
        _write_tsv(dev_file, dev)
        return _fit(RNNTagger(), train_file, dev_file, out_dir, score="dev_acc", epochs=epochs, seed=seed, embed=embed,
                    rnn_hidden=hidden, lr=0.005, batch_size=32, crf=False, log=log)


# -- entities -----------------------------------------------------------------------------------
class HanlpEntityModel:
    """The statistical entity layer as a HanLP BiLSTM character tagger (BIO tags), saved as a HanLP model directory."""

    def __init__(self, component, files: dict[str, bytes]) -> None:
        self.component = component
        self.files = files  # the model directory's files, read when loaded: to_disk needs no source directory

    @classmethod
    def load(cls, path: str | Path) -> "HanlpEntityModel":
        """Load a model directory with ``hanlp.load``."""
        hanlp = _hanlp()
        path = Path(path).resolve()
        if not (path / "config.json").is_file():
            raise HanlpModelError(f"no HanLP entity model at {path}: run `zhpolicy train entities --backend hanlp`")
        files = {name: (path / name).read_bytes() for name in MODEL_FILES}
        return cls(hanlp.load(str(path), verbose=False), files)

    def spans(self, texts: list[str], batch_size: int = 64) -> list[list[tuple[int, int, str]]]:
        """Entity ``(start, end, label)`` character offsets in each text."""
        todo = [i for i, text in enumerate(texts) if text]
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if todo:
            predicted = self.component([_chars(texts[i]) for i in todo], batch_size=batch_size)  # under no_grad
            for i, entities in zip(todo, predicted):
                out[i] = [(start, end, label) for _, label, start, end in entities]
        return out

    def to_disk(self, path: str | Path) -> None:
        """Write the HanLP model directory (loadable with ``hanlp.load(path)``)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (path / name).write_bytes(data)


def _chars(text: str) -> list[str]:
    return [SPACE if ch.isspace() else ch for ch in text]


def _write_tsv(path: str | Path, examples: Iterable[tuple[str, list[str]]]) -> None:
    """HanLP's TSV tagging format: ``char<TAB>tag`` lines, a blank line after each text."""
    lines = []
    for text, tags in examples:
        lines.extend(f"{ch}\t{tag}" for ch, tag in zip(_chars(text), tags))
        lines.append("")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _bio_tags(text: str, entities: list[tuple[int, int, str]]) -> list[str]:
    """One BIO tag per character (``B-LAW``, ``I-LAW``, ``O``)."""
    tags = ["O"] * len(text)
    for start, end, label in entities:
        tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    return tags


def train_hanlp_ner(train_records: list[dict], dev_records: list[dict], out_dir: str | Path, *, epochs: int = 30,
                    seed: int = 0, embed: int = 100, hidden: int = 256, log=print) -> tuple[HanlpEntityModel, list[dict]]:
    """Train HanLP's ``RNNNamedEntityRecognizer`` from scratch on the corpus units; keep the best dev epoch.

    The model directory is ``out_dir``; returns the loaded model and the epoch log.
    """
    _hanlp()
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    from .training.entities import unit_examples

    with tempfile.TemporaryDirectory() as work:
        train_file, dev_file = Path(work) / "train.tsv", Path(work) / "dev.tsv"
        _write_tsv(train_file, [(text, _bio_tags(text, ents)) for text, ents in unit_examples(train_records) if text])
        _write_tsv(dev_file, [(text, _bio_tags(text, ents)) for text, ents in unit_examples(dev_records) if text])
        rows = _fit(RNNNamedEntityRecognizer(), train_file, dev_file, out_dir, score="dev_f1", epochs=epochs, seed=seed,
                    embed=embed, rnn_hidden=hidden, lr=0.005, batch_size=32, crf=False, tagging_scheme="BIO",
                    token_delimiter="", log=log)
    return HanlpEntityModel.load(out_dir), rows


# -- training through HanLP's own trainer ---------------------------------------------------------
class _EpochLog(logging.Handler):
    """Epoch rows from HanLP's training messages: an epoch line, then a train and a dev progress line.

    The score is the last percentage of the dev line: span F1 for the NER, tag accuracy for the segmenter.
    """

    def __init__(self, score: str, log) -> None:
        super().__init__()
        self.score, self.log = score, log
        self.rows: list[dict] = []
        self._epoch: tuple[int, float] | None = None
        self._progress = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if epoch := _EPOCH.search(message):
            self._epoch, self._progress = (int(epoch.group(1)), record.created), 0
        elif self._epoch and (progress := _PROGRESS.search(message)):
            self._progress += 1
            if self._progress == 2:
                number, started = self._epoch
                row = {"epoch": number, "dev_loss": float(progress.group(1)),
                       self.score: round(float(progress.group(2)) / 100, 4), "seconds": round(record.created - started, 1)}
                self.rows.append(row)
                self.log(f"epoch {number:2d}  dev loss {row['dev_loss']:8.4f}  {self.score} {row[self.score]:.4f}  "
                         f"({row['seconds']}s)")


def _fit(component, train_file: Path, dev_file: Path, out_dir: str | Path, *, score: str, log, **config) -> list[dict]:
    """``component.fit`` on one CPU thread, seeded, logging through a private logger; returns the epoch rows.

    One thread: these small BiLSTMs train several times faster than with OpenMP threads spinning on two cores.
    """
    import torch

    logger = logging.getLogger("zhpolicy.hanlp.training")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    epochs = _EpochLog(score, log)
    logger.addHandler(epochs)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        component.fit(str(train_file), str(dev_file), str(out_dir), devices=-1, logger=logger, **config)
    finally:
        torch.set_num_threads(threads)
        logger.removeHandler(epochs)
    return epochs.rows
