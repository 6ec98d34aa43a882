"""The batch output folder: append-only JSON-lines files that survive a kill at any moment.

Every line is written with a single ``write`` of the complete line and its newline to a file opened
in append mode, so after a crash a file holds whole lines followed by at most one partial last line.
Resuming cuts that partial line off and skips the documents whose lines are already there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import BatchError
from .worker import DOCUMENTS, ERRORS


class JsonlAppender:
    """Append complete lines to a file, one ``write`` system call per line, straight to the OS."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, line: str) -> None:
        data = line.encode("utf-8")
        written = os.write(self._fd, data)
        while written < len(data):  # regular files take the whole buffer; this only guards odd filesystems
            written += os.write(self._fd, data[written:])

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)


class OutputDir:
    """``documents.jsonl`` and ``errors.jsonl`` of one batch folder, opened for a fresh or resumed run."""

    def __init__(self, root: Path, *, resume: bool) -> None:
        self.root = root
        self.paths = {DOCUMENTS: root / "documents.jsonl", ERRORS: root / "errors.jsonl"}
        if root.exists() and not root.is_dir():
            raise BatchError(f"{root}: exists and is not a folder")
        if not resume:
            for path in self.paths.values():
                if path.exists():
                    raise BatchError(f"{path} already exists; use --resume to continue that run or choose another --out")
        root.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = set()
        self.resumed = {DOCUMENTS: 0, ERRORS: 0}
        for stream, path in self.paths.items():
            if path.exists():
                drop_partial_line(path)
                ids = read_doc_ids(path)
                self.resumed[stream] = len(ids)
                self.done.update(ids)
        self._files: dict[str, JsonlAppender] = {}

    def write(self, stream: str, line: str) -> None:
        appender = self._files.get(stream)
        if appender is None:  # opened on first use: a run that fails before any line leaves no files
            appender = self._files[stream] = JsonlAppender(self.paths[stream])
        appender.write(line)

    def close(self, *, complete: bool) -> None:
        """Close the files; after a complete run both exist, empty when nothing went into them."""
        if complete:
            for stream, path in self.paths.items():
                if stream not in self._files:
                    self._files[stream] = JsonlAppender(path)
        for appender in self._files.values():
            appender.close()

    def __enter__(self) -> "OutputDir":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(complete=exc_type is None)


def drop_partial_line(path: Path) -> None:
    """Cut a last line that has no newline (a write interrupted by a kill)."""
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        position, block = size, 1 << 16
        while position > 0:
            start = max(0, position - block)
            handle.seek(start)
            chunk = handle.read(position - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                handle.truncate(start + newline + 1)
                return
            position = start
        handle.truncate(0)


def read_doc_ids(path: Path) -> list[str]:
    """The ``doc_id`` of every line of a JSON-lines output file."""
    ids = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                ids.append(json.loads(line)["doc_id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise BatchError(f"{path}: line {number} is not a batch record; cannot resume from it") from None
    return ids
