"""A spaCy tokenizer for Chinese policy text: jieba segmentation with a policy user dictionary.

Registered as ``policy.ChineseTokenizer.v1``. Like ``spacy.lang.zh``, the segmenter is a setting
(``jieba`` by default; ``hanlp`` when the optional extra is installed) and missing libraries give an
error that says what to install. The ``jieba`` segmenter runs jieba's dictionary and algorithm
through ``rjieba`` (the same segmentation, much faster to load and run). User dictionary words are
added the way jieba's ``add_word`` does (HanLP's ``dict_force`` idea: terms always come out whole).
Every character of the text, whitespace included, belongs to exactly one token, so
``doc.text == text`` and token offsets are character offsets into the original text.
"""


from pathlib import Path
from typing import Callable, Iterable

import srsly
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .components.attrs import TEXT_KEY

SEGMENTERS = ("jieba", "hanlp")


@registry.tokenizers("policy.ChineseTokenizer.v1")
def create_tokenizer(segmenter: str = "jieba", hanlp_model: str | None = None) -> Callable:
    """Config entry point: ``[nlp.tokenizer] @tokenizers = "policy.ChineseTokenizer.v1"``."""

    def tokenizer_factory(nlp) -> "PolicyTokenizer":
        return PolicyTokenizer(nlp.vocab, segmenter=segmenter, hanlp_model=hanlp_model)

    return tokenizer_factory


def read_user_dictionary(path: str | Path) -> list[tuple[str, int | None]]:
    """Read a jieba-style user dictionary: ``word [freq] [tag]`` per line, ``#`` starts a comment."""
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        entries.append((parts[0], freq))
    return entries


class PolicyTokenizer:
    """Segment text into tokens; ``__init__`` stores settings, ``initialize`` loads the dictionary."""

    def __init__(self, vocab: Vocab, *, segmenter: str = "jieba", hanlp_model: str | None = None) -> None:
        if segmenter not in SEGMENTERS:
            raise ValueError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")
        self.vocab = vocab
        self.segmenter = segmenter
        self.hanlp_model = hanlp_model
        self.user_words: list[tuple[str, int | None]] = []
        self._engine = None

    def initialize(
        self,
        get_examples=None,
        *,
        nlp=None,
        user_dict: str | Path | None = None,
        pkuseg_model: str | None = None,
        pkuseg_user_dict: str | None = None,
    ) -> None:
        """Load the policy user dictionary (``[initialize.tokenizer] user_dict``).

        ``pkuseg_*`` are the settings spaCy's ``zh`` defaults always pass; pkuseg is not used here.
        """
        if user_dict is not None:
            self.user_words = read_user_dictionary(user_dict)
        self._engine = None

    def set_segmenter(self, segmenter: str) -> None:
        """Switch segmenter (the engine loads on first use, so a missing extra is reported then)."""
        if segmenter not in SEGMENTERS:
            raise ValueError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")
        self.segmenter = segmenter
        self._engine = None

    # -- segmentation ---------------------------------------------------------------------------
    def __call__(self, text: str) -> Doc:
        words = self.segment(text)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data[TEXT_KEY] = text  # spaCy rebuilds doc.text from the tokens on every access
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    def segment(self, text: str) -> list[str]:
        """Words covering ``text`` exactly (their concatenation is ``text``)."""
        if not text:
            return []
        engine = self._get_engine()
        if self.segmenter == "jieba":
            return [word for word, _, _ in engine.tokenize(text, "default", True)]
        return engine(text)

    def _get_engine(self):
        if self._engine is None:
            if self.segmenter == "jieba":
                self._engine = _load_jieba(self.user_words)
            else:
                from .hanlp_backend import load_hanlp_segmenter

                self._engine = load_hanlp_segmenter(self.hanlp_model, self.user_words)
        return self._engine

    # -- serialisation --------------------------------------------------------------------------
    def _config(self) -> dict:
        return {"segmenter": self.segmenter, "hanlp_model": self.hanlp_model}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self._config(), "user_words": [list(w) for w in self.user_words]})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "PolicyTokenizer":
        msg = srsly.msgpack_loads(data)
        self.segmenter = msg["cfg"]["segmenter"]
        self.hanlp_model = msg["cfg"].get("hanlp_model")
        self.user_words = [(w, f) for w, f in msg["user_words"]]
        self._engine = None
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self._config())
        lines = [w if f is None else f"{w} {f}" for w, f in self.user_words]
        (path / "user_dict.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PolicyTokenizer":
        path = Path(path)
        cfg = srsly.read_json(path / "cfg")
        self.segmenter = cfg["segmenter"]
        self.hanlp_model = cfg.get("hanlp_model")
        self.user_words = read_user_dictionary(path / "user_dict.txt")
        self._engine = None
        return self


def _load_jieba(user_words: list[tuple[str, int | None]]):
    try:
        import rjieba
    except ImportError as err:  # pragma: no cover - rjieba is a core dependency
        raise ImportError(
            "The jieba segmenter needs rjieba (jieba's dictionary and algorithm, compiled): pip install rjieba"
        ) from err
    engine = rjieba.Jieba()
    for word, freq in user_words:
        engine.add_word(word, freq if freq is not None else engine.suggest_freq(word), None)
    return engine
