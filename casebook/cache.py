"""Content-addressed caching: a result is reused only while everything it was made from is unchanged."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from casebook.paths import CACHE


def digest(parts: Iterable[bytes | str | Path]) -> str:
    """A SHA-256 over ``parts`` in order: file contents for paths, UTF-8 for strings."""
    hasher = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            data = part.read_bytes()
            hasher.update(f"file:{part.name}:{len(data)}:".encode())
        elif isinstance(part, str):
            data = part.encode()
            hasher.update(f"str:{len(data)}:".encode())
        else:
            data = part
            hasher.update(f"bytes:{len(data)}:".encode())
        hasher.update(data)
    return hasher.hexdigest()[:32]


@functools.cache  # read once per process: importlib.metadata is slow, and a build asks per figure
def package_versions(*names: str) -> str:
    """Installed versions of ``names``, as part of a cache key."""
    from importlib.metadata import version

    return ";".join(f"{name}={version(name)}" for name in names)


def cache_dir(kind: str) -> Path:
    path = CACHE / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that a reader never sees a half-written file (two builds may race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_json(path: Path, value) -> None:
    write_atomic(path, json.dumps(value, sort_keys=True, indent=1).encode())
