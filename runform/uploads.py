"""Uploaded files: a safe name, written only inside a working folder.

A file name that arrives from a browser is the user's text: it may hold folders
(``../../.bashrc``), a Windows path, characters a file system refuses, or nothing at
all. :func:`safe_name` keeps the last path component, turns it into plain ASCII letters,
digits, ``.``, ``-`` and ``_``, and keeps the (lower-cased) suffix; :func:`save_upload`
writes the bytes under ``WORKDIR/uploads/`` and checks that the resolved path is still
inside that folder before writing. A name already taken by other content gets ``-2``,
``-3``, ... so an earlier upload is never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from .analysis import VIDEO_SUFFIXES
from .errors import InputError

__all__ = ["MAX_NAME", "safe_name", "save_upload"]

#: Longest stem kept from an uploaded name (characters).
MAX_NAME = 80


def safe_name(name: str) -> str:
    """A plain file name for an uploaded file's name (see the module docstring).

    Examples
    --------
    >>> safe_name("../../etc/passwd")
    'passwd'
    >>> safe_name("C:\\\\Users\\\\Zoë\\\\Mein Lauf (Zoë) 1.MOV")
    'Mein_Lauf_Zoe_1.mov'
    """
    base = re.split(r"[\\/]", str(name))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("._-")[:MAX_NAME] or "upload"
    suffix = re.sub(r"[^a-z0-9]+", "", suffix.lower())[:8]
    return f"{stem}.{suffix}" if suffix else stem


def save_upload(name: str, content: bytes | memoryview, workdir: str | os.PathLike) -> Path:
    """Write an uploaded video under ``workdir/uploads`` with a safe name; return its path.

    Parameters
    ----------
    name : str
        The file name the browser sent.
    content : bytes or memoryview
        The file's bytes.
    workdir : path
        The working folder (created if needed); nothing is written outside it.

    Raises
    ------
    InputError
        The name does not end in a video suffix, or the file is empty.
    """
    clean = safe_name(name)
    if Path(clean).suffix not in VIDEO_SUFFIXES:
        raise InputError(
            f"{name!r} is not a video file ({', '.join(sorted(VIDEO_SUFFIXES))}). "
            "Upload the clip as the phone saved it."
        )
    data = bytes(content)
    if not data:
        raise InputError(f"{name!r} is empty (0 bytes). Upload the clip again.")
    folder = (Path(workdir) / "uploads").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(clean).stem, Path(clean).suffix
    digest = hashlib.sha256(data).digest()
    for k in range(1, 1000):
        target = (folder / (clean if k == 1 else f"{stem}-{k}{suffix}")).resolve()
        if target.parent != folder:  # cannot happen after safe_name; checked anyway
            raise InputError(f"Refusing to write {name!r} outside {folder}.")
        if not target.exists():
            tmp = target.with_name(target.name + ".part")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            return target
        if hashlib.sha256(target.read_bytes()).digest() == digest:
            return target  # the same file uploaded again
    raise InputError(f"Too many uploads named {clean} in {folder}; clear the folder.")
