"""Expanding command-line inputs (files, folders searched recursively, glob patterns) into documents."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from .readers import SUPPORTED_SUFFIXES

IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Input:
    """A file to process and its stable id: the path relative to the root it was found under."""

    path: Path
    doc_id: str


def expand_inputs(inputs: list[str]) -> tuple[list[Input], list[tuple[str, str]]]:
    """Files to process, in a stable order, and ``(input, reason)`` for inputs that match nothing.

    Files named directly are taken whatever their extension (so bad files get a clear error);
    files found inside folders are taken when their extension is a supported one or absent.
    Broken symbolic links inside folders are kept so that the run records them as errors.
    """
    found: dict[str, Input] = {}
    missing: list[tuple[str, str]] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if name in IGNORED_NAMES or name.startswith("."):
                        continue
                    if candidate.suffix.lower() in SUPPORTED_SUFFIXES or candidate.suffix == "":
                        doc_id = candidate.relative_to(path).as_posix()
                        found.setdefault(doc_id, Input(candidate, doc_id))
        elif path.exists() or path.is_symlink():
            found.setdefault(path.name if path.name not in found else path.as_posix(), Input(path, path.name))
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                missing.append((item, "pattern matches no file"))
            base = Path(_glob_root(item))
            for match in matches:
                candidate = Path(match)
                if candidate.is_file() or candidate.is_symlink():
                    doc_id = candidate.relative_to(base).as_posix() if base != Path(".") else candidate.as_posix()
                    found.setdefault(doc_id, Input(candidate, doc_id))
        else:
            missing.append((item, "no such file or directory"))
    return sorted(found.values(), key=lambda i: i.doc_id), missing


def _glob_root(pattern: str) -> str:
    """The folder part of a glob pattern before its first wildcard."""
    parts = Path(pattern).parts
    root = []
    for part in parts:
        if glob.has_magic(part):
            break
        root.append(part)
    return str(Path(*root)) if root else "."
