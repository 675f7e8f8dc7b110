"""On-disk cache of pose results: content-keyed, atomic, verified, pickle-free.

A result is stored as a NumPy ``.npz`` archive (loaded with ``allow_pickle=False``)
holding the arrays and a JSON header. The header records the cache key (the video's
content hash plus every setting that changes the result) and a SHA-256 checksum of
the arrays, so a damaged, truncated or foreign file is detected and recomputed
instead of trusted. Writes go to a temporary file in the same folder and are
renamed into place (``os.replace``), so an interrupted run never leaves a partial
file under the final name; temporary files left by a killed run are removed by a
later write once they are an hour old. When the folder cannot be written (read-only,
disk full) runform warns and carries on without caching.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from .errors import CacheError, warn

__all__ = ["cache_dir", "file_sha256", "load", "make_key", "remove_stale_tmp", "save"]

FORMAT = "runform-pose-cache/1"

#: Temporary files older than this (seconds) were left by a killed run and are removed.
STALE_TMP_S = 3600.0


def cache_dir() -> Path:
    """The cache folder: ``$RUNFORM_CACHE_DIR``, else the per-user cache folder.

    The per-user folder is ``$XDG_CACHE_HOME/runform`` (default ``~/.cache/runform``)
    on Linux, ``~/Library/Caches/runform`` on macOS and ``%LOCALAPPDATA%\\runform``
    on Windows.
    """
    env = os.environ.get("RUNFORM_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "runform"


def file_sha256(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's content (streamed)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def make_key(content_hash: str, settings: dict) -> str:
    """Cache key from a content hash and the settings that change the result."""
    blob = json.dumps(
        {"content": content_hash, "settings": settings, "format": FORMAT},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode())
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def path_for(key: str, folder: Path | None = None) -> Path:
    """File that holds the result with ``key``."""
    return (folder or cache_dir()) / f"pose-{key[:32]}.npz"


def save(
    key: str, arrays: dict[str, np.ndarray], meta: dict, folder: Path | None = None
) -> Path | None:
    """Store ``arrays`` and ``meta`` under ``key`` atomically.

    Returns the file written, or None (with a :class:`RunformWarning`) when the cache
    folder cannot be written: the analysis goes on without caching.
    """
    target = path_for(key, folder)
    header = {"format": FORMAT, "key": key, "checksum": _checksum(arrays), "meta": meta}
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_tmp(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(
                f, __header__=np.frombuffer(json.dumps(header).encode(), np.uint8), **arrays
            )
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        return target
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        warn(
            f"Could not write the pose cache in {target.parent} ({exc.strerror or exc}); "
            "continuing without caching. Set RUNFORM_CACHE_DIR to a writable folder to "
            "keep results between runs."
        )
        return None


def load(key: str, folder: Path | None = None) -> tuple[dict[str, np.ndarray], dict] | None:
    """Arrays and metadata stored under ``key``, or None when there is no such entry.

    Raises
    ------
    CacheError
        The file exists but is damaged or was written for another key; the caller
        recomputes (and the next :func:`save` replaces it).
    """
    target = path_for(key, folder)
    if not target.is_file():
        return None
    try:
        with np.load(target, allow_pickle=False) as z:
            if not hasattr(z, "files"):  # a bare .npy array, not an archive
                raise ValueError("not an npz archive")
            arrays = {name: z[name] for name in z.files}
    # The bytes are untrusted: whatever parsing them raises (zipfile.BadZipFile, zlib.error,
    # ValueError for pickled objects, struct.error, MemoryError for a forged shape...)
    # means the same thing, a file not to trust.
    except Exception as exc:
        raise CacheError(f"damaged cache file {target.name}: {type(exc).__name__}: {exc}") from None
    try:
        header = json.loads(arrays.pop("__header__").tobytes().decode())
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise CacheError(f"cache file {target.name} has no valid header") from exc
    if any(a.dtype.hasobject for a in arrays.values()):
        raise CacheError(f"cache file {target.name} holds Python objects")
    if header.get("format") != FORMAT or header.get("key") != key:
        raise CacheError(f"cache file {target.name} belongs to another input or version")
    if header.get("checksum") != _checksum(arrays):
        raise CacheError(f"cache file {target.name} failed its checksum")
    return arrays, header.get("meta", {})


def remove_stale_tmp(folder: Path, older_than_s: float = STALE_TMP_S) -> int:
    """Delete temporary files left in ``folder`` by runs that were killed mid-write.

    Only files named ``.tmp-*.npz`` older than ``older_than_s`` seconds are removed, so
    a run writing at the same time is not disturbed. Returns how many were removed.
    """
    removed = 0
    now = time.time()
    for p in Path(folder).glob(".tmp-*.npz"):
        with contextlib.suppress(OSError):
            if now - p.stat().st_mtime > older_than_s:
                p.unlink()
                removed += 1
    return removed
