"""The pose worker processes: start them, feed them chunks, collect, stop them.

Workers are started with ``forkserver`` on Linux (``spawn`` elsewhere): the fork server
imports OpenCV and MediaPipe once (:mod:`runform.worker_preload`) and each worker is
forked from it ready to run. A worker ignores Ctrl-C (the parent decides), writes
nothing to the terminal, takes chunk jobs from a queue until told to stop, and exits by
itself if the parent dies. :func:`collect` raises, after stopping every worker, when a
worker dies (killed, out of memory) or reports an error. How jobs are scheduled and
joined is :mod:`runform.parallel`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sys
import types

from . import errors
from .chunking import quiet_native_stderr, run_chunk
from .errors import PoseError
from .workers import usable_workers

__all__ = ["collect", "context", "main_hidden", "start_fork_server", "worker_main"]


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (cannot happen for our parent)
        return True
    return True


def worker_main(tasks, results, parent_pid: int) -> None:
    """Worker process: run chunks from ``tasks`` until a None, post results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us

    def alive() -> bool:
        return _parent_alive(parent_pid)

    with quiet_native_stderr():
        while True:
            try:
                item = tasks.get(timeout=1.0)
            except queue.Empty:
                if not alive():
                    return
                continue
            if item is None:
                return
            idx, job = item
            try:
                out = run_chunk(job, lambda n, i=idx: results.put(("progress", i, n)), alive)
                results.put(("done", idx, out))
            except Exception as exc:  # the parent raises it again (by name and message)
                results.put(("error", idx, (type(exc).__name__, str(exc))))


def context():
    import multiprocessing as mp

    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["runform.worker_preload"])
    return ctx


def start_fork_server(n_jobs: int | None = None) -> bool:
    """Start the pose workers' fork server now, when pose will use several workers.

    It imports OpenCV and MediaPipe (about a second) in its own process while the caller
    goes on (imports, hashing the video, the cache lookup); the workers are forked from
    it later, ready to run. Returns True when it was started (Linux, more than one
    usable worker); a failure here is left to :func:`runform.parallel.run_jobs` to report or
    fall back.
    """
    if not sys.platform.startswith("linux") or usable_workers(n_jobs) < 2:
        return False
    from multiprocessing import forkserver

    context()  # sets the preload list
    try:
        with main_hidden():
            forkserver.ensure_running()
    except (OSError, ValueError):
        return False
    return True


@contextlib.contextmanager
def main_hidden():
    """Hide the caller's ``__main__`` while workers start, so that they do not run the
    user's script again (a script without ``if __name__ == "__main__":`` would
    otherwise start workers from its workers); the workers need only runform."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def collect(jobs, procs, tasks, results, bar) -> list[dict]:
    """Feed ``jobs`` to the workers and gather their results; always stops them."""
    out: list = [None] * len(jobs)
    try:
        for item in enumerate(jobs):
            tasks.put(item)
        for _ in procs:
            tasks.put(None)
        pending = len(jobs)
        while pending:
            try:
                kind, idx, value = results.get(timeout=0.5)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead or all(p.exitcode is not None for p in procs):
                    code = dead[0].exitcode if dead else 0
                    raise PoseError(
                        f"A pose worker stopped unexpectedly (exit code {code}; "
                        f"{'killed by signal ' + str(-code) if code < 0 else 'crashed'}). "
                        "Nothing was cached. If memory is short, retry with fewer "
                        "workers (n_jobs=1, --jobs 1)."
                    ) from None
                continue
            if kind == "progress":
                bar.update(value)
            elif kind == "error":
                raise _worker_error(*value)
            else:
                out[idx] = value
                pending -= 1
        return out
    finally:
        _stop(procs, tasks, results)


def _worker_error(name: str, message: str) -> Exception:
    """The exception a worker raised: runform's own errors keep their type."""
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, errors.RunformError):
        return cls(message)
    return PoseError(f"Pose extraction failed in a worker process ({name}: {message}).")


def _stop(procs, tasks, results) -> None:
    """Join workers that are done, terminate (then kill) the rest; close the queues."""
    for p in procs:
        p.join(timeout=0.2 if p.exitcode is None else 1.0)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=2.0)
        if p.is_alive():
            p.kill()
            p.join(timeout=2.0)
    for q in (tasks, results):
        q.close()
        q.cancel_join_thread()
