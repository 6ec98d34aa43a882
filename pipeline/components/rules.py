"""What the rule-based components share: settings only, nothing to load, settings saved as ``cfg``."""

from pathlib import Path
from typing import Iterable, Iterator

import srsly
from spacy.language import Language
from spacy.tokens import Doc


class RuleComponent:
    """Base of components whose behaviour is code: ``SETTINGS`` names the attributes saved with the pipeline."""

    SETTINGS: tuple[str, ...] = ()

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Nothing to load: the rules are code, tested against the guidelines."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {name: getattr(self, name) for name in self.SETTINGS})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        for name, value in srsly.read_json(Path(path) / "cfg").items():
            if name in self.SETTINGS:
                setattr(self, name, value)
        return self
