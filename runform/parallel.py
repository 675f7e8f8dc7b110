"""Pose extraction over all cores: contiguous chunks, one MediaPipe graph per worker.

BlazePose runs single-threaded (one core per graph), so a clip is cut into contiguous
chunks of frames and each chunk is given to its own worker process, which opens the
video itself, seeks to its chunk and runs its own graph in tracking mode; no frames
travel between processes, only landmarks (about 1 kB per frame) come back, and the
parent joins them in frame order.

Seams
    A fresh tracker re-detects the runner and starts its smoothing filter afresh, so
    every chunk after the first starts :data:`runform.chunking.WARMUP_FRAMES` frames
    early and drops those frames. The decoded warm-up frames are fingerprinted and
    compared with the previous chunk's last frames: a seek that did not land on the
    right frame (some variable-frame-rate files) is detected and that chunk is decoded
    again from the start of the file, so a wrong seek never shifts landmarks in time.
    BlazePose's tracking depends on its whole history, so after a seam landmarks differ
    from a single pass by about the model's own frame-to-frame jitter, at the seam and
    later alike (median below 1% of leg length, single frames up to a few percent on
    the feet; ``bench/pose_speed.py`` and ``tests/test_parallel.py`` measure it).

Determinism
    The layout (:func:`runform.chunking.plan_chunks`) depends only on the number of
    frames and the number of chunks, and each chunk's result only on its frames: the
    same input, settings and worker count give identical landmarks, whether the chunks
    run in worker processes or (fallback) one after the other here. One worker is one
    chunk, exactly the single-pass result. Because a split clip's landmarks differ
    slightly from a single pass, the chunk starts are part of the cache key whenever a
    clip is split, and only then (a short clip has the same key for any worker count).

Scheduling (clips × chunks)
    :func:`run_jobs` runs any list of :class:`ChunkJob` (chunks of one clip or of
    many) over one pool of at most ``n_workers`` processes: the jobs are queued in
    order and each idle worker takes the next, so at most ``n_workers`` MediaPipe
    graphs exist at any time, whatever the number of clips. A batch of clips builds
    each clip's jobs with :func:`runform.chunking.clip_jobs` on the layout
    ``plan_chunks(n_frames, usable_workers(n_jobs))`` (the same layout, so the same
    cache entries, as analysing each clip alone) and gives them all to one
    :func:`runform.parallel.run_clips` call with the total cap: clips are taken in
    order, each split over the workers, so the first clip finishes first and the pool
    stays full until the last chunk.

Workers
    :func:`usable_workers` counts the CPUs this process may use (``os.sched_getaffinity``,
    the cgroup CPU quota in ``/sys/fs/cgroup/cpu.max``), bounded by available memory at
    :data:`WORKER_MB` per graph; an explicit ``n_jobs`` overrides the CPU count. Workers
    are started with ``forkserver`` on Linux (``spawn`` elsewhere), ignore Ctrl-C (the
    parent stops them), write nothing to the terminal, and exit by themselves if the
    parent dies. A worker that crashes, or Ctrl-C, stops every worker and raises before
    anything is cached. Where processes cannot be started (a restricted kernel), the
    chunks run one after the other in the calling process, with the same results.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import signal
import sys
import types
from collections.abc import Sequence

import numpy as np

from . import errors
from .chunking import ChunkJob, clip_jobs, quiet_native_stderr, run_chunk
from .chunking import _join as chunking_join
from .errors import InputError, PoseError, warn

__all__ = ["last_run", "run_clip", "run_clips", "run_jobs", "usable_workers"]

#: Peak resident memory of one worker with the full model on 720p frames (MB), measured
#: by ``bench/pose_speed.py``; used to bound the worker count by available memory.
WORKER_MB = 300
_LAST: dict = {}


def _cgroup_cpus(root: str = "/sys/fs/cgroup") -> float | None:
    """CPUs allowed by the cgroup quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), or
    None when there is no quota."""
    for files in (("cpu.max",), ("cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us")):
        try:
            parts = []
            for name in files:
                with open(os.path.join(root, name)) as f:
                    parts += f.read().split()
            quota, period = parts[0], parts[1]
        except (OSError, IndexError):
            continue
        if quota in ("max", "-1"):
            return None
        with contextlib.suppress(ValueError, ZeroDivisionError):
            return max(1.0, int(quota) / int(period))
    return None


def _available_mb() -> float | None:
    """Memory this process can still use (MB): the cgroup limit or MemAvailable."""
    with contextlib.suppress(OSError, ValueError):
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        if limit != "max":
            with open("/sys/fs/cgroup/memory.current") as f:
                return (int(limit) - int(f.read())) / 1e6
    with contextlib.suppress(OSError, ValueError, StopIteration):
        with open("/proc/meminfo") as f:
            line = next(s for s in f if s.startswith("MemAvailable:"))
        return int(line.split()[1]) / 1e3
    return None


def usable_workers(n_jobs: int | None = None) -> int:
    """How many pose workers to run.

    Parameters
    ----------
    n_jobs : int, optional
        ``None``, 0 or -1: one per usable CPU (CPU affinity and cgroup quota), bounded
        so that :data:`WORKER_MB` per worker fits in half the available memory.
        A positive number is honoured as given.

    Raises
    ------
    InputError
        ``n_jobs`` is not a whole number, or is below -1.

    Returns
    -------
    int
        At least 1.
    """
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < -1
    ):
        raise InputError(
            f"n_jobs must be a whole number of workers (1 or more; 0, -1 or "
            f"None for one per usable core), got {n_jobs!r}."
        )
    if n_jobs is not None and n_jobs > 0:
        return n_jobs
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cpus = min(cpus, int(quota))
    mem = _available_mb()
    if mem is not None:
        cpus = min(cpus, max(1, int(0.5 * mem / WORKER_MB)))
    return max(1, cpus)


def last_run() -> dict:
    """What the last :func:`run_jobs` call did: ``workers`` (processes started, 0 when
    it ran in the calling process), ``pids``, ``peak_rss_mb`` and ``cpu_s`` per chunk, ``reruns``
    (chunks decoded again after a wrong seek) and ``fallback`` (why no process was
    started, or None)."""
    return dict(_LAST)


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (cannot happen for our parent)
        return True
    return True


def _worker_main(tasks, results, parent_pid: int) -> None:
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


def _context():
    import multiprocessing as mp

    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["runform.parallel", "runform.pose", "cv2", "mediapipe"])
    return ctx


@contextlib.contextmanager
def _main_hidden():
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


def _progress_bar(total: int | None, desc: str, enabled: bool, stream):
    from tqdm.auto import tqdm

    kw = {"file": stream} if stream is not None and _stderr_is_fd2() else {}
    return tqdm(total=total, desc=desc, unit="frame", disable=not enabled, leave=False, **kw)


def _stderr_is_fd2() -> bool:
    try:
        return sys.stderr.fileno() == 2
    except (AttributeError, ValueError, OSError):
        return False


def _run_here(jobs: Sequence[ChunkJob], bar) -> list[dict]:
    with quiet_native_stderr():
        return [run_chunk(job, bar.update) for job in jobs]


def run_jobs(
    jobs: Sequence[ChunkJob],
    n_workers: int,
    *,
    progress: bool = True,
    desc: str = "pose",
    total: int | None = None,
) -> list[dict]:
    """Run chunk jobs (of one clip or many) over one pool of at most ``n_workers``.

    Parameters
    ----------
    jobs : sequence of ChunkJob
        Taken in order by whichever worker is free.
    n_workers : int
        Cap on worker processes (and so on MediaPipe graphs alive at once); 1 runs
        everything in the calling process.
    progress : bool
        One progress bar over all jobs (frames).
    desc : str
        Label of the progress bar.
    total : int, optional
        Frames expected in all, for the progress bar.

    Returns
    -------
    list of dict
        :func:`run_chunk` results, in the order of ``jobs``.

    Raises
    ------
    PoseError
        A worker process died (killed, out of memory); every worker is stopped first.
    KeyboardInterrupt
        Ctrl-C: every worker is stopped first.
    """
    n = max(1, min(int(n_workers), len(jobs)))
    _LAST.clear()
    _LAST.update(workers=0, fallback=None, reruns=0)
    stream_cm = quiet_native_stderr() if n == 1 else contextlib.nullcontext(None)
    with stream_cm as stream, _progress_bar(total, desc, progress, stream) as bar:
        if n == 1:
            out = [run_chunk(job, bar.update) for job in jobs]
        else:
            try:
                ctx = _context()
                tasks, results = ctx.Queue(), ctx.Queue()
                procs = [
                    ctx.Process(
                        target=_worker_main,
                        args=(tasks, results, os.getpid()),
                        daemon=True,
                        name=f"runform-pose-{k}",
                    )
                    for k in range(n)
                ]
                with _main_hidden():
                    for p in procs:
                        p.start()
            except (OSError, ImportError, NotImplementedError, ValueError) as exc:
                _LAST["fallback"] = f"{type(exc).__name__}: {exc}"
                warn(f"Pose workers could not be started ({exc}); running on one core.")
                out = _run_here(jobs, bar)
            else:
                _LAST["workers"] = n
                out = _collect(jobs, procs, tasks, results, bar)
    _LAST["pids"] = [r["pid"] for r in out]
    _LAST["peak_rss_mb"] = [r["peak_rss_mb"] for r in out]
    _LAST["cpu_s"] = [r["cpu_s"] for r in out]
    return out


def _collect(jobs, procs, tasks, results, bar) -> list[dict]:
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


def run_clips(
    clips: list[list[ChunkJob]],
    n_workers: int,
    *,
    progress: bool = True,
    desc: str = "pose",
    total: int | None = None,
) -> list[tuple]:
    """Several clips' chunk jobs over one pool of at most ``n_workers`` processes.

    Returns, per clip, ``(xy, depth, visibility, t_container, other_people)`` as a
    single pass would. Chunks whose warm-up frames do not match the end of the previous
    chunk (a seek that missed its frame) are decoded again from the start of the file.
    """
    flat = [job for jobs in clips for job in jobs]
    out = run_jobs(flat, n_workers, progress=progress, desc=desc, total=total)
    bounds = np.cumsum([0, *(len(jobs) for jobs in clips)])
    bad = [
        i
        for c in range(len(clips))
        for i in range(bounds[c] + 1, bounds[c + 1])
        if out[i]["head"] != out[i - 1]["tail"]
    ]
    if bad:
        redo = run_jobs(
            [dataclasses.replace(flat[i], exact=True) for i in bad],
            n_workers,
            progress=progress,
            desc=f"{desc} (re-decode)",
        )
        for i, r in zip(bad, redo, strict=True):
            out[i] = r
    _LAST["reruns"] = len(bad)
    return [chunking_join(clips[c], out[bounds[c] : bounds[c + 1]]) for c in range(len(clips))]


def run_clip(
    video,
    settings: dict,
    roi,
    max_frames: int | None,
    starts: list[int],
    checks: list[int],
    n_workers: int,
    progress: bool,
):
    """Landmarks of one clip from chunks starting at ``starts`` (see :func:`run_clips`)."""
    total = min(len(video), max_frames or len(video))
    jobs = clip_jobs(video, settings, roi, max_frames, starts, checks)
    return run_clips(
        [jobs], n_workers, progress=progress, desc=f"pose {video.path.name}", total=total
    )[0]
