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
    from a single pass by the model's own path-dependence, at the seam and later alike
    (with 30 warm-up frames, median 0.4% of leg length over the first 10 frames after
    the seam and 0.3% later; now and then a frame where one run swaps the legs and the
    other does not). Each chunk is balanced for work: the first, which has no warm-up,
    keeps that many frames more (:func:`runform.chunking.plan_chunks`).
    ``bench/chunk_accuracy.py`` and ``tests/test_parallel.py`` measure it, down to the
    metrics a user reads, against the rendered samples' truth.

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
    :func:`runform.workers.usable_workers` counts the CPUs this process may use (CPU
    affinity, cgroup quota), bounded by available memory; an explicit ``n_jobs``
    overrides the CPU count. Workers are started with ``forkserver`` on Linux
    (``spawn`` elsewhere; :mod:`runform.pool`); the fork server imports MediaPipe once,
    while the calling process goes on with its own work (:func:`start_fork_server`
    starts it early; :func:`prefetch` imports what comes after the pose meanwhile),
    and each worker is forked from it with MediaPipe loaded. Workers ignore Ctrl-C
    (the parent stops them), write nothing to the terminal, and exit by themselves if
    the parent dies. A worker that crashes, or Ctrl-C, stops every worker and raises
    before anything is cached. Where processes cannot be started (a restricted kernel), the
    chunks run one after the other in the calling process, with the same results.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import sys
import threading
import time
from collections.abc import Sequence

import numpy as np

from .chunking import ChunkJob, clip_jobs, quiet_native_stderr, run_chunk
from .chunking import _join as chunking_join
from .errors import warn
from .pool import collect as _collect
from .pool import context as _context
from .pool import main_hidden as _main_hidden
from .pool import start_fork_server
from .pool import worker_main as _worker_main
from .workers import usable_workers

__all__ = [
    "last_run",
    "prefetch",
    "run_clip",
    "run_clips",
    "run_jobs",
    "start_fork_server",
    "usable_workers",
]

_LAST: dict = {}


def last_run() -> dict:
    """What the last :func:`run_jobs` call did: ``workers`` (processes started, 0 when
    it ran in the calling process), ``pids``, ``peak_rss_mb``, ``cpu_s`` and ``wall``
    (:func:`runform.chunking.run_chunk`'s start, first-frame and end times) per chunk,
    ``started`` and ``ended`` (``time.time()`` of the call), ``reruns`` (chunks decoded
    again after a wrong seek) and ``fallback`` (why no process was started, or None)."""
    return dict(_LAST)


def prefetch(modules: Sequence[str]) -> threading.Thread:
    """Import ``modules`` in a background thread; returns the (daemon) thread.

    Meant for what a program needs once the pose is done (SciPy, pandas, matplotlib):
    started just before :func:`runform.extract_pose`, they load on the core that the
    pose leaves idle, while the fork server imports MediaPipe (several workers) or while
    the model runs (one worker: MediaPipe's graph runs outside the GIL). A module that
    fails to import here is simply imported again, with its error, where it is used.
    """

    def work() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # raised again where the module is really imported
                continue

    thread = threading.Thread(target=work, name="runform-prefetch", daemon=True)
    thread.start()
    return thread


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
    started = time.time()
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
    for key, name in (("pid", "pids"), ("peak_rss_mb",) * 2, ("cpu_s",) * 2, ("wall",) * 2):
        _LAST[name] = [r[key] for r in out]
    _LAST["started"], _LAST["ended"] = started, time.time()
    return out


def run_clips(
    clips: list[list[ChunkJob]],
    n_workers: int,
    *,
    progress: bool = True,
    desc: str = "pose",
    total: int | None = None,
) -> list[tuple]:
    """Several clips' chunk jobs over one pool of at most ``n_workers`` processes.

    Returns, per clip, ``(xy, depth, visibility, t_container, other_people,
    frame_stats)`` as a single pass would. Chunks whose warm-up frames do not match the
    end of the previous chunk (a seek that missed its frame) are decoded again from the
    start of the file.
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
    stat_frames: Sequence[int] = (),
):
    """Landmarks of one clip from chunks starting at ``starts`` (see :func:`run_clips`);
    ``stat_frames`` are measured for the capture checks (:class:`ChunkJob`)."""
    total = min(len(video), max_frames or len(video))
    jobs = clip_jobs(video, settings, roi, max_frames, starts, checks, stat_frames)
    return run_clips(
        [jobs], n_workers, progress=progress, desc=f"pose {video.path.name}", total=total
    )[0]
