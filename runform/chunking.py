"""One chunk of a clip through its own MediaPipe graph, and a clip joined from chunks.

What a pose worker computes (:func:`run_chunk`) and how chunk results become one clip
(:func:`run_clip`); where the chunks run (processes, the pool) is
:mod:`runform.parallel`, whose docstring explains seams, determinism and scheduling.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .mediapipe_graph import _count_other_people, _import_mediapipe, _small_sample

__all__ = ["ChunkJob", "clip_jobs", "plan_chunks", "quiet_native_stderr", "run_chunk"]

#: Frames decoded before each chunk (after the first) and dropped, so that the fresh
#: tracker has re-detected the runner and its smoothing has settled at the seam; the
#: frames before the seam are the previous chunk's, which has the longer history.
#: Measured on the seven rendered samples and the real clip (``bench/chunk_accuracy.py``,
#: two chunks): the median difference to a single pass over the first 10 frames after
#: the seam is 1.3% of leg length with no warm-up, 0.8% with 10 frames, 0.5% with 20 and
#: 0.4% with 30, against 0.3% everywhere later (tracking is path-dependent); 30 is the
#: smallest tried within 1.5x of that floor. Errors against the truth (angles, events,
#: contact time, cadence, foot strike) were the same as a single pass for every value.
WARMUP_FRAMES = 30
#: A chunk keeps at least this many frames; shorter clips are not split.
MIN_CHUNK_FRAMES = 60
#: Landmark rows sent to the progress bar at a time.
_PROGRESS_EVERY = 5


@dataclass(frozen=True)
class ChunkJob:
    """One chunk of one clip: frames ``[start, stop)`` kept, ``warmup`` frames before.

    Attributes
    ----------
    path : str
        The video file.
    capture_fps : float or None
        Capture rate stated by the user (slow motion), as for :class:`~runform.video.Video`.
    settings : dict
        Pose settings (:func:`runform.pose.PoseSettings`).
    roi : tuple of int or None
        Region of interest in pixels (already checked against the frame size).
    start, stop : int
        First kept frame and one past the last (``stop=None``: to the end of the file).
    warmup : int
        Frames decoded and run before ``start``, then dropped.
    checks : tuple of int
        Frame indices at (or after) which a frame is kept for the second-person check.
    exact : bool
        Decode from the first frame instead of seeking (slow, always frame-accurate).
    tail : int
        Kept frames at the end of the chunk that are fingerprinted (the next chunk's
        warm-up), so that a wrong seek of the next chunk is detected.
    stat_frames : tuple of int
        Frames whose runner box is measured for light and sharpness
        (:func:`runform.capture.runner_box_stats`) while they are decoded anyway, so
        that the capture checks need not seek the video again.
    """

    path: str
    capture_fps: float | None
    settings: dict
    roi: tuple[int, int, int, int] | None
    start: int
    stop: int | None
    warmup: int = 0
    checks: tuple[int, ...] = ()
    exact: bool = False
    tail: int = 0
    stat_frames: tuple[int, ...] = ()


def plan_chunks(
    n_frames: int, n_chunks: int, min_frames: int = MIN_CHUNK_FRAMES, warmup: int = 0
) -> list[int]:
    """First frames of at most ``n_chunks`` contiguous chunks of a clip, equal in work.

    Every chunk after the first also runs ``warmup`` frames before its start, so the
    first chunk is given that many frames more than the others: each worker then runs
    the model on the same number of frames. No chunk keeps fewer than ``min_frames``,
    so short clips stay in one piece (``[0]``). The last chunk runs to the end of the
    file.
    """
    n_frames, warmup = int(n_frames), max(0, int(warmup))
    k = max(1, min(int(n_chunks), n_frames // max(1, int(min_frames))))
    if k == 1:
        return [0]
    warmup = min(warmup, max(0, n_frames - k * int(min_frames)))  # keep chunks long enough
    return [0] + [warmup + round(i * (n_frames - warmup) / k) for i in range(1, k)]


@contextlib.contextmanager
def quiet_native_stderr():
    """Send file descriptor 2 to /dev/null, where MediaPipe's C++ logging (glog/absl,
    TensorFlow Lite) writes; yields a text stream to the real stderr, or ``None`` when
    fd 2 cannot be redirected (then nothing is changed)."""
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield None
        return
    with contextlib.suppress(AttributeError, ValueError, OSError):
        sys.stderr.flush()
    os.dup2(devnull, 2)
    os.close(devnull)
    stream = os.fdopen(os.dup(saved), "w", buffering=1)
    try:
        yield stream
    finally:
        with contextlib.suppress(OSError, ValueError):
            stream.close()
        os.dup2(saved, 2)
        os.close(saved)


def _fingerprint(t: float, frame: np.ndarray) -> str:
    """A short hash of a decoded frame and its timestamp (to check seeks)."""
    h = hashlib.blake2b(np.ascontiguousarray(frame[::4, ::4]).tobytes(), digest_size=8)
    h.update(repr(round(t, 6)).encode())
    return h.hexdigest()


def _peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:
        return float("nan")
    scale = 1e6 if sys.platform == "darwin" else 1e3  # bytes on macOS, kB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _new_graph(mp, settings: dict):
    return mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=1,
        smooth_landmarks=settings["smooth_landmarks"],
        enable_segmentation=False,
        min_detection_confidence=settings["min_detection_confidence"],
        min_tracking_confidence=settings["min_tracking_confidence"],
    )


def _frames(video, job: ChunkJob):
    """``(index, time_s, frame)`` from ``start - warmup`` to ``stop`` (seek or decode)."""
    first = job.start - job.warmup
    if not job.exact:
        yield from video.frames(start=first, stop=job.stop)
        return
    for item in video.frames(stop=job.stop):
        if item[0] >= first:
            yield item


def _landmark_row(res, w: int, h: int, ox: int, oy: int) -> np.ndarray:
    """33 x (x px, y px, z px, visibility) of one result, NaN when nobody was found."""
    row = np.full((33, 4), np.nan)
    if res.pose_landmarks is not None:
        row[:] = [(p.x, p.y, p.z, p.visibility) for p in res.pose_landmarks.landmark]
        row[:, 0] = row[:, 0] * w + ox
        row[:, 1] = row[:, 1] * h + oy
        row[:, 2] *= w
    return row


def run_chunk(
    job: ChunkJob,
    report: Callable[[int], None] | None = None,
    alive: Callable[[], bool] | None = None,
) -> dict:
    """Run one chunk with a fresh graph; returns its landmarks and seam fingerprints.

    ``report(n)`` is called as frames are done (progress), ``alive()`` now and then
    (a worker stops when it returns False). Keys of the result: ``xy``, ``depth``,
    ``visibility``, ``t`` (kept frames only), ``others`` (people found, frames
    checked), ``stats`` (rows of frame index, grey level, sharpness of the runner's box
    for ``job.stat_frames``), ``head``/``tail`` (fingerprints of the warm-up frames and of the last
    ``job.tail`` kept frames), ``pid``, ``peak_rss_mb``, ``cpu_s`` (CPU seconds of
    this chunk in the process that ran it) and ``wall`` (``time.time()`` at the start,
    at the first frame out of the model and at the end).
    """
    import cv2

    from .video import Video

    cpu0, wall0 = time.process_time(), time.time()
    mp = _import_mediapipe()
    state = _ChunkState(job)
    with (
        Video(job.path, capture_fps=job.capture_fps) as video,
        _new_graph(mp, job.settings) as model,
    ):
        for i, t, frame in _frames(video, job):
            full = frame
            if job.roi is not None:
                frame = frame[job.roi[1] : job.roi[3], job.roi[0] : job.roi[2]]
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            row = _landmark_row(model.process(rgb), rgb.shape[1], rgb.shape[0], *state.offset)
            state.first_frame_at = state.first_frame_at or time.time()
            if i < job.start:
                state.head.append(_fingerprint(t, frame))
                continue
            state.keep(i, t, frame, full, rgb, row)
            if report and state.done % _PROGRESS_EVERY == 0:
                report(_PROGRESS_EVERY)
            if alive and state.done % 30 == 0 and not alive():
                raise SystemExit(1)
    if report and state.done % _PROGRESS_EVERY:
        report(state.done % _PROGRESS_EVERY)
    found = _count_other_people(mp, state.samples)
    return state.result(
        found, time.process_time() - cpu0, (wall0, state.first_frame_at, time.time())
    )


class _ChunkState:
    """What :func:`run_chunk` gathers over the kept frames of one chunk."""

    def __init__(self, job: ChunkJob):
        self.job, self.checks, self.samples = job, list(job.checks), []
        self.rows, self.times, self.head, self.tail, self.stats = [], [], [], [], []
        self.offset = (job.roi[0], job.roi[1]) if job.roi else (0, 0)
        # fingerprints are needed only for the last ``tail`` frames (all when the chunk
        # runs to the end of an unknown length)
        self.tail_from = -1 if job.stop is None else job.stop - job.tail
        self.done, self.first_frame_at = 0, 0.0

    def keep(self, i: int, t: float, frame, full, rgb, row) -> None:
        """One kept frame: landmarks, time, seam fingerprint, person check, box stats."""
        from .capture import runner_box_stats

        job = self.job
        if self.checks and i >= self.checks[0] and np.isfinite(row[0, 0]):
            self.samples.append(_small_sample(rgb, row))
            while self.checks and self.checks[0] <= i:
                self.checks.pop(0)
        if i in job.stat_frames:
            stats = runner_box_stats(full, row[:, :2])
            self.stats.append((i, *(stats if stats is not None else (np.nan, np.nan))))
        self.rows.append(row)
        self.times.append(t)
        if job.tail and i >= self.tail_from:
            self.tail.append(_fingerprint(t, frame))
            del self.tail[: -job.tail]
        self.done += 1

    def result(self, found: int, cpu_s: float, wall: tuple[float, float, float]) -> dict:
        arr = np.array(self.rows).reshape(-1, 33, 4)
        return {
            "xy": arr[:, :, :2],
            "depth": arr[:, :, 2],
            "visibility": np.nan_to_num(arr[:, :, 3], nan=0.0),
            "t": np.array(self.times),
            "others": (found, len(self.samples)),
            "stats": np.array(self.stats, float).reshape(-1, 3),
            "head": self.head,
            "tail": self.tail[: self.job.tail],
            "pid": os.getpid(),
            "peak_rss_mb": _peak_rss_mb(),
            "cpu_s": cpu_s,
            "wall": wall,
        }


def clip_jobs(
    video,
    settings: dict,
    roi,
    max_frames: int | None,
    starts: list[int],
    checks: list[int],
    stat_frames: Sequence[int] = (),
) -> list[ChunkJob]:
    """The chunk jobs of one clip (an opened :class:`~runform.video.Video`), chunks
    starting at ``starts``, warm-up from ``settings["chunks"]["warmup"]``; ``checks``
    and ``stat_frames`` go to the chunk that holds each frame."""
    warmup = int(settings.get("chunks", {}).get("warmup", 0))
    stops = [*starts[1:], max_frames]
    user_fps = video.fps if video.info.capture_fps_source == "user" else None

    def inside(frames, a, b):
        return tuple(int(c) for c in frames if a <= c < (b or 1 << 62))

    return [
        ChunkJob(
            str(video.path),
            user_fps,
            settings,
            roi,
            a,
            b,
            warmup=0 if k == 0 else min(warmup, a),
            checks=inside(checks, a, b),
            tail=warmup if k < len(starts) - 1 else 0,
            stat_frames=inside(stat_frames, a, b),
        )
        for k, (a, b) in enumerate(zip(starts, stops, strict=True))
    ]


def _join(jobs: list[ChunkJob], out: list[dict]):
    """One clip's chunk results in order, as a single pass returns them; a chunk that
    ends early (the file is shorter than announced) ends the clip. Returns
    ``(xy, depth, visibility, t_container, other_people, frame_stats)``."""
    kept = []
    for job, r in zip(jobs, out, strict=True):
        kept.append(r)
        if job.stop is not None and len(r["t"]) < job.stop - job.start:
            break
    found = sum(r["others"][0] for r in kept)
    checked = sum(r["others"][1] for r in kept)
    return (
        np.concatenate([r["xy"] for r in kept]),
        np.concatenate([r["depth"] for r in kept]),
        np.concatenate([r["visibility"] for r in kept]),
        np.concatenate([r["t"] for r in kept]),
        np.array([found, checked]),
        np.concatenate([r["stats"] for r in kept]),
    )
