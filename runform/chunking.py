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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ChunkJob", "clip_jobs", "plan_chunks", "quiet_native_stderr", "run_chunk"]

#: Frames decoded before each chunk (after the first) and dropped, so that the fresh
#: tracker has re-detected the runner and its smoothing has settled at the seam.
WARMUP_FRAMES = 10
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


def plan_chunks(n_frames: int, n_chunks: int, min_frames: int = MIN_CHUNK_FRAMES) -> list[int]:
    """First frames of at most ``n_chunks`` contiguous, nearly equal chunks of a clip.

    No chunk is shorter than ``min_frames``, so short clips stay in one piece
    (``[0]``). The last chunk runs to the end of the file.
    """
    n_frames = int(n_frames)
    k = max(1, min(int(n_chunks), n_frames // max(1, int(min_frames))))
    return [round(i * n_frames / k) for i in range(k)]


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
    checked), ``head``/``tail`` (fingerprints of the warm-up frames and of the last
    ``job.tail`` kept frames), ``pid``, ``peak_rss_mb`` and ``cpu_s`` (CPU seconds of
    this chunk in the process that ran it).
    """
    import cv2

    from .mediapipe_graph import _count_other_people, _import_mediapipe, _small_sample
    from .video import Video

    cpu0 = time.process_time()
    mp = _import_mediapipe()
    checks, samples = list(job.checks), []
    rows, times, head, tail, done = [], [], [], [], 0
    ox, oy = (job.roi[0], job.roi[1]) if job.roi else (0, 0)
    with (
        Video(job.path, capture_fps=job.capture_fps) as video,
        _new_graph(mp, job.settings) as model,
    ):
        for i, t, frame in _frames(video, job):
            if job.roi is not None:
                frame = frame[job.roi[1] : job.roi[3], job.roi[0] : job.roi[2]]
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            row = _landmark_row(model.process(rgb), rgb.shape[1], rgb.shape[0], ox, oy)
            if i < job.start:
                head.append(_fingerprint(t, frame))
                continue
            if checks and i >= checks[0] and np.isfinite(row[0, 0]):
                samples.append(_small_sample(rgb, row))
                while checks and checks[0] <= i:
                    checks.pop(0)
            rows.append(row)
            times.append(t)
            tail.append(_fingerprint(t, frame))
            del tail[: -job.tail or len(tail)]
            done += 1
            if report and done % _PROGRESS_EVERY == 0:
                report(_PROGRESS_EVERY)
            if alive and done % 30 == 0 and not alive():
                raise SystemExit(1)
    if report and done % _PROGRESS_EVERY:
        report(done % _PROGRESS_EVERY)
    found = _count_other_people(mp, samples)
    arr = np.array(rows).reshape(-1, 33, 4)
    return {
        "xy": arr[:, :, :2],
        "depth": arr[:, :, 2],
        "visibility": np.nan_to_num(arr[:, :, 3], nan=0.0),
        "t": np.array(times),
        "others": (found, len(samples)),
        "head": head,
        "tail": tail[: job.tail],
        "pid": os.getpid(),
        "peak_rss_mb": _peak_rss_mb(),
        "cpu_s": time.process_time() - cpu0,
    }


def clip_jobs(
    video, settings: dict, roi, max_frames: int | None, starts: list[int], checks: list[int]
) -> list[ChunkJob]:
    """The chunk jobs of one clip (an opened :class:`~runform.video.Video`), chunks
    starting at ``starts``, warm-up from ``settings["chunks"]["warmup"]``."""
    warmup = int(settings.get("chunks", {}).get("warmup", 0))
    stops = [*starts[1:], max_frames]
    user_fps = video.fps if video.info.capture_fps_source == "user" else None
    return [
        ChunkJob(
            str(video.path),
            user_fps,
            settings,
            roi,
            a,
            b,
            warmup=0 if k == 0 else min(warmup, a),
            checks=tuple(c for c in checks if a <= c < (b or 1 << 62)),
            tail=warmup if k < len(starts) - 1 else 0,
        )
        for k, (a, b) in enumerate(zip(starts, stops, strict=True))
    ]


def _join(jobs: list[ChunkJob], out: list[dict]):
    """One clip's chunk results in order, as a single pass returns them; a chunk that
    ends early (the file is shorter than announced) ends the clip."""
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
    )
