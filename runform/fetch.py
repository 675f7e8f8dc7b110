"""Sample files you can trust: sha256 checks and the on-demand download of remote clips.

:func:`verify` hashes a file (cached by path, size and modification time);
:func:`_fetch` returns a remote sample's file from the download cache
(``$RUNFORM_CACHE_DIR`` or pooch's per-user cache), downloading it there with pooch
unless ``RUNFORM_OFFLINE=1``. Failures raise :class:`runform.errors.DataError` with a
message that says what to do. :mod:`runform.data` (the registry and the lookup order)
is the module to use; nothing here touches the network at import time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError

if TYPE_CHECKING:
    from .data import Sample

__all__ = ["ENV_CACHE", "ENV_DIR", "ENV_OFFLINE", "verify"]

ENV_DIR = "RUNFORM_DATA_DIR"
ENV_CACHE = "RUNFORM_CACHE_DIR"
ENV_OFFLINE = "RUNFORM_OFFLINE"


def verify(file: str | os.PathLike, sha256: str) -> bool:
    """True if the sha256 hex digest of ``file`` equals ``sha256``."""
    return _sha256(Path(file)) == sha256.lower()


_HASHED: dict[tuple[str, int, int], str] = {}


def _sha256(file: Path) -> str:
    stat = file.stat()
    key = (str(file.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHED:
        h = hashlib.sha256()
        with open(file, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        _HASHED[key] = h.hexdigest()
    return _HASHED[key]


def _verified(file: Path, digest: str) -> Path:
    if not verify(file, digest):
        raise DataError(
            f"{file} does not match its registered sha256 ({digest[:12]}…): the file is "
            "damaged or a different version. Delete it and fetch it again, or regenerate "
            "bundled samples with 'python -m tools.render.make_samples'."
        )
    return file


def _cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("runform"))


def _fetch(entry: Sample, role: str) -> Path:
    rel, digest = entry.files[role], entry.sha256[role]
    cache = _cache_dir()
    cached = cache / rel
    if cached.is_file() and verify(cached, digest):
        return cached
    advice = (
        f"Set {ENV_DIR} to a folder that holds {rel} (a local mirror; no network is "
        f"used then), or go online and retry. Source: {entry.urls[role]}"
    )
    if os.environ.get(ENV_OFFLINE, "").strip() not in ("", "0"):
        raise DataError(f"Sample {entry.name!r} is not available offline. {advice}")
    import pooch

    try:
        got = pooch.retrieve(
            entry.urls[role],
            known_hash=f"sha256:{digest}",
            fname=Path(rel).name,
            path=cached.parent,
            progressbar=False,
        )
    except (OSError, ValueError, RuntimeError) as exc:
        raise DataError(
            f"Could not download sample {entry.name!r} ({type(exc).__name__}: {exc}). {advice}"
        ) from None
    return Path(got)
