"""Run the notebooks headless the way a student's fresh copy runs them.

Used by ``tests/test_notebooks.py`` and ``bench/notebooks.py``. Each notebook runs in a
new kernel, in a temporary folder with no ``../shared`` beside it, with
``RUNFORM_DATA_DIR`` unset, ``RUNFORM_OFFLINE=1``, an empty pose cache, and a first
(injected) cell that refuses every non-loopback network connection. Per-cell timeouts
stay small (nbclient can stall on widget cells, jupyter/nbclient#312); a cell may ask
for more with ``metadata.runform.timeout`` (seconds).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT_S = 30

NO_NETWORK = """
import socket as _socket

_LOOPBACK = ("127.0.0.1", "::1", "localhost")
_connect, _getaddrinfo = _socket.socket.connect, _socket.getaddrinfo


def _refuse(host):
    if isinstance(host, str) and host not in _LOOPBACK:
        raise OSError(f"network disabled in the notebook tests (tried {host})")


def _guarded_connect(self, address, *args):
    if self.family in (_socket.AF_INET, _socket.AF_INET6):
        _refuse(address[0])
    return _connect(self, address, *args)


def _guarded_getaddrinfo(host, *args, **kwargs):
    _refuse(host)
    return _getaddrinfo(host, *args, **kwargs)


_socket.socket.connect, _socket.getaddrinfo = _guarded_connect, _guarded_getaddrinfo
"""

#: Appended cell: a JSON line with the exercises' state and the kernel's peak memory.
REPORT = """
import json as _json, resource as _resource
from runform.exercises import exercises as _exercises
print("RUNFORM-REPORT " + _json.dumps({
    "exercises": [{"title": e.title, "kind": type(e).__name__, "solved": e.solved}
                  for e in _exercises()],
    "peak_mb": _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def notebook_env(tmp: Path) -> dict[str, str]:
    """Environment of a fresh student machine: no data mirror, offline, empty cache."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("RUNFORM_DATA_DIR", "RUNFORM_TEST_CACHE")
    }
    env.update(
        RUNFORM_OFFLINE="1",
        RUNFORM_CACHE_DIR=str(tmp / "cache"),
        MPLBACKEND="Agg",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


def _timeout(cell) -> int:
    return int(cell.get("metadata", {}).get("runform", {}).get("timeout", CELL_TIMEOUT_S))


def execute(path: Path, workdir: Path, keep_kernel: bool = False) -> dict:
    """Execute a notebook copy in ``workdir``; returns its report and the executed nb.

    With ``keep_kernel`` the kernel is left running (the caller shuts it down: the
    result's ``km``), so that several notebooks can be measured open at once.

    Returns
    -------
    dict
        ``seconds`` (wall time, kernel start included), ``peak_mb`` (kernel's peak
        RSS), ``exercises`` (title, kind, solved) and ``nb`` (executed notebook).

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        A cell raised; the message names the cell and the error.
    """
    import json

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(NO_NETWORK))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    workdir.mkdir(parents=True, exist_ok=True)
    km = KernelManager(kernel_name="python3")
    t0 = time.perf_counter()
    km.start_kernel(cwd=str(workdir), env=notebook_env(workdir))
    try:
        client = NotebookClient(
            nb, km=km, timeout_func=_timeout, startup_timeout=60, allow_errors=False
        )
        client.execute()
    except BaseException:
        km.shutdown_kernel(now=True)
        raise
    seconds = time.perf_counter() - t0
    if not keep_kernel:
        km.shutdown_kernel(now=True)
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    report = json.loads(text.split("RUNFORM-REPORT ", 1)[1])
    return {"seconds": seconds, "nb": nb, **report, **({"km": km} if keep_kernel else {})}


def notebooks() -> list[Path]:
    """Every notebook of the series, in order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))
