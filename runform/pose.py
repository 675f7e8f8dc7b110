"""Pose extraction with MediaPipe BlazePose (offline), cached on disk.

The model is MediaPipe's legacy ``solutions.pose`` BlazePose *full* model
(``model_complexity=1``), which ships inside the ``mediapipe==0.10.21`` wheel and so
works offline; the lite and heavy models are downloaded at first use and are not
offered. MediaPipe is imported lazily: ``import runform`` never loads it.

A clip long enough is cut into contiguous chunks, one per usable core, each run by its
own worker process and graph (:mod:`runform.parallel`); ``n_jobs=1`` is the plain single
pass. MediaPipe's own log lines (TensorFlow Lite, glog) are kept off the terminal. While
the frames are decoded, the runner's box in the frames of the capture checks is measured
for light and sharpness, so those checks need not read the video again.

Degraded but usable input is reported, never silently analysed: :func:`runform.quality.check_clip`
checks the result (runner found in few frames, feet or body out of frame, low
confidence, a sideways runner from a rotated clip, the far leg, a frame rate too low
for contact timing) and each note becomes a :class:`~runform.errors.RunformWarning`
and an entry of ``clip.quality``.

BlazePose tracks one person. Without a region of interest, a few frames are checked
for a second person by greying out the tracked runner and running the detector again
(about 0.1 s per clip); a hit gives a warning that asks for ``roi=``. The check is
cheap but not exhaustive: a second person seen only between the checked frames, or
hidden behind the runner, is missed.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Sequence
from pathlib import Path

from . import cache as _cache
from .clip import Clip
from .errors import CacheError, InputError, warn
from .landmarks import N_LANDMARKS
from .mediapipe_graph import (
    _mediapipe_version,
    _small_sample,  # noqa: F401  (used by runform.chunking)
)
from .pose_result import to_clip
from .video import Video

__all__ = ["PoseSettings", "extract_pose"]

#: Frames, spread over the clip, checked for a second person when no roi is given.
N_PERSON_CHECKS = 3


def PoseSettings(
    *,
    min_detection_confidence: float = 0.5,
    min_tracking_confidence: float = 0.5,
    smooth_landmarks: bool = True,
    roi: Sequence[int] | None = None,
) -> dict:
    """The settings that change a pose result (and so the cache key), as a dict."""
    for name, v in (
        ("min_detection_confidence", min_detection_confidence),
        ("min_tracking_confidence", min_tracking_confidence),
    ):
        if not (isinstance(v, numbers.Real) and not isinstance(v, bool) and 0.0 <= v <= 1.0):
            raise InputError(f"{name} must be between 0 and 1, got {v!r}.")
    if roi is not None:
        try:
            roi = [int(v) for v in roi]
        except (TypeError, ValueError):
            raise InputError("roi must be (x0, y0, x1, y1) in pixels.") from None
        if len(roi) != 4:
            raise InputError(f"roi must be (x0, y0, x1, y1) in pixels, got {len(roi)} numbers.")
    return {
        "model": "mediapipe-blazepose-full",
        "model_complexity": 1,
        "min_detection_confidence": float(min_detection_confidence),
        "min_tracking_confidence": float(min_tracking_confidence),
        "smooth_landmarks": bool(smooth_landmarks),
        "roi": roi,
    }


def _check_roi(roi, width: int, height: int) -> tuple[int, int, int, int] | None:
    if roi is None:
        return None
    try:
        x0, y0, x1, y1 = (int(v) for v in roi)
    except (TypeError, ValueError):
        raise InputError("roi must be (x0, y0, x1, y1) in pixels.") from None
    x0, x1 = max(0, min(x0, x1)), min(width, max(x0, x1))
    y0, y1 = max(0, min(y0, y1)), min(height, max(y0, y1))
    if x1 - x0 < 32 or y1 - y0 < 32:
        raise InputError(
            f"The region of interest {tuple(roi)} leaves less than 32x32 pixels of the "
            f"{width}x{height} frame. Give (x0, y0, x1, y1) around the runner."
        )
    return x0, y0, x1, y1


def _run_model(video: Video, settings: dict, roi, max_frames, progress: bool):
    """Run BlazePose over the clip; returns (xy, depth, vis, t_container, other_people,
    frame_stats).

    ``frame_stats`` holds, for the frames of :func:`runform.capture.frame_checks`, the
    frame index, grey level and sharpness of the runner's box, measured while the frame
    is decoded anyway (so the capture checks need not seek the video). The chunk layout
    is ``settings["chunks"]`` (one chunk, a single pass, when absent); each chunk gets
    its own worker process.
    """
    from .capture import frame_check_indices
    from .parallel import run_clip

    n_total = min(len(video), max_frames or len(video))
    # frames spread over the clip for the second-person check (the first detection at or
    # after each of these indices)
    check_at = (
        []
        if roi is not None
        else sorted(
            {round((k + 1) * (n_total - 1) / (N_PERSON_CHECKS + 1)) for k in range(N_PERSON_CHECKS)}
        )
    )
    starts = settings.get("chunks", {}).get("starts", [0])
    return run_clip(
        video,
        settings,
        roi,
        max_frames,
        starts,
        check_at,
        len(starts),
        progress,
        stat_frames=frame_check_indices(n_total),
    )


def _chunk_settings(vid: Video, max_frames: int | None, n_jobs: int | None) -> dict:
    """``{"chunks": {...}}`` when the clip is split over workers, else ``{}``."""
    from .chunking import WARMUP_FRAMES, plan_chunks
    from .workers import usable_workers

    if vid.probe.truncated:  # frames past the cut cannot be reached by seeking
        return {}
    n_total = min(len(vid), max_frames or len(vid))
    starts = plan_chunks(n_total, usable_workers(n_jobs), warmup=WARMUP_FRAMES)
    return {"chunks": {"starts": starts, "warmup": WARMUP_FRAMES}} if len(starts) > 1 else {}


def extract_pose(
    video: str | os.PathLike | Video,
    *,
    roi: Sequence[int] | None = None,
    capture_fps: float | None = None,
    min_detection_confidence: float = 0.5,
    min_tracking_confidence: float = 0.5,
    smooth_landmarks: bool = True,
    max_frames: int | None = None,
    cache: bool = True,
    progress: bool = True,
    n_jobs: int | None = None,
) -> Clip:
    """Run BlazePose over a whole clip and return its landmarks as a :class:`Clip`.

    Parameters
    ----------
    video : str, Path or Video
        The video file (or an opened :class:`~runform.video.Video`).
    roi : (x0, y0, x1, y1), optional
        Region of interest in pixels of the upright frame: only this part of each frame
        is given to the model (pick one runner when several people are in frame).
        Landmarks are returned in full-frame pixels.
    capture_fps : float, optional
        The capture rate of a slow-motion file, when it differs from the container rate.
    min_detection_confidence, min_tracking_confidence : float
        MediaPipe thresholds (0–1, default 0.5 as in MediaPipe).
    smooth_landmarks : bool
        MediaPipe's own temporal smoothing (default True).
    max_frames : int, optional
        Process only the first ``max_frames`` frames.
    cache : bool
        Read and write the on-disk cache (``RUNFORM_CACHE_DIR``; see
        :mod:`runform.cache`). The key is the file's SHA-256 plus every setting above.
    progress : bool
        Show a progress bar (``tqdm.auto``: a widget in Jupyter, text in a terminal).
    n_jobs : int or None
        Worker processes, each with its own MediaPipe graph. Default None: one per
        usable core (:func:`runform.workers.usable_workers`); 1: a single pass in this
        process. A split clip is not identical to a single pass: BlazePose's tracking
        depends on its whole history, so after a seam landmarks differ from a single
        pass by the model's own path-dependence (median 0.2-0.3% of leg length, now and
        then a frame with a leg swap that the other run does not have), and the chunk
        layout is part of the cache key. Measured against the truth of the seven
        rendered samples, a split clip is as accurate as a single pass (pooled angle,
        event, contact-time, cadence and foot-strike errors equal within their
        run-to-run spread; ``bench/chunk_accuracy.py``); on the real clip every metric
        moves by well under its own 95% CI. A finding right at its threshold can change
        with the tracking history, split or not (ankle_active's dorsiflexed foot is
        "present" in five of seven histories, "cannot tell" in two). The same input,
        settings and worker count always give identical landmarks.

    Returns
    -------
    Clip
        Landmarks in image pixels (y down), depth and visibility for all 33 points per
        frame, NaN where no person was detected; ``provenance`` holds the file, its hash,
        the model and settings, and the cache file used.

    Raises
    ------
    VideoError
        The file cannot be read as a video (missing, empty, cut off, a picture, text or
        sound only); the message says what it is and what to do.
    TooShortError
        The video has a single frame.
    PoseError
        No person was detected in any frame, or a worker process died (nothing is
        cached then).

    Warns
    -----
    RunformWarning
        For degraded but usable input (see :func:`runform.quality.check_clip`), for a damaged cache
        entry (recomputed) and for a cache folder that cannot be written (no caching).
    """
    if max_frames is not None and (
        isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 1
    ):
        raise InputError(f"max_frames must be a whole number of frames >= 1, got {max_frames!r}.")
    own = not isinstance(video, Video)
    if not own and capture_fps is not None and capture_fps != video.fps:
        raise InputError(
            "capture_fps cannot change an opened Video: open it with "
            "Video(path, capture_fps=...) or pass the path instead."
        )
    vid = Video(video, capture_fps=capture_fps) if own else video
    try:
        settings = PoseSettings(
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
            smooth_landmarks=smooth_landmarks,
            roi=roi,
        )
        roi_px = _check_roi(roi, vid.info.width, vid.info.height)
        settings.update(
            capture_fps=vid.fps,
            max_frames=max_frames,
            mediapipe=_mediapipe_version(),
            **_chunk_settings(vid, max_frames, n_jobs),
        )
        content = _cache.file_sha256(vid.path)
        arrays, cache_file = _computed_or_cached(
            vid, settings, content, roi_px, max_frames, progress, cache
        )
        return to_clip(vid, arrays, settings, content, cache_file)
    finally:
        if own:
            vid.close()


def _computed_or_cached(
    vid: Video, settings: dict, content: str, roi_px, max_frames, progress: bool, cache: bool
):
    """Pose arrays from the cache, else from the model (then cached); and the cache file.

    Results are written only once every frame has been processed, so an interrupted or
    failed run never leaves a cache entry behind.
    """
    key = _cache.make_key(content, settings)
    arrays, cache_file = _load_cached(key) if cache else (None, None)
    if arrays is None:
        xy, depth, vis, t_cont, others, *stats = _run_model(
            vid, settings, roi_px, max_frames, progress
        )
        arrays = {
            "xy": xy,
            "depth": depth,
            "visibility": vis,
            "t_container": t_cont,
            "other_people": others,
            **({"frame_stats": stats[0]} if stats else {}),
        }
        if cache:
            cache_file = _cache.save(key, arrays, {"source": str(vid.path)})
    return arrays, cache_file


def _load_cached(key: str):
    try:
        hit = _cache.load(key)
    except CacheError as exc:
        warn(f"Ignoring the pose cache ({exc}); recomputing.")
        return None, None
    if hit is None:
        return None, None
    arrays, _ = hit
    if not _well_formed(arrays):
        warn("Ignoring a malformed pose cache entry; recomputing.")
        return None, None
    return arrays, str(_cache.path_for(key))


def _well_formed(arrays: dict) -> bool:
    """True when cached arrays have the shapes and types a pose result has."""
    needed = {"xy", "depth", "visibility", "t_container"}
    if not needed <= set(arrays):
        return False
    n = arrays["xy"].shape[0] if arrays["xy"].ndim == 3 else -1
    shapes = {
        "xy": (n, N_LANDMARKS, 2),
        "depth": (n, N_LANDMARKS),
        "visibility": (n, N_LANDMARKS),
        "t_container": (n,),
        "other_people": (2,),
    }
    if "frame_stats" in arrays:
        shapes["frame_stats"] = (arrays["frame_stats"].shape[0], 3)
    return all(
        arrays[k].shape == shape and arrays[k].dtype.kind in "fiu"
        for k, shape in shapes.items()
        if k in arrays
    )


def cached_path(video: str | os.PathLike, **settings) -> Path:
    """The cache file that :func:`extract_pose` would use for ``video`` and settings
    (``max_frames``, ``capture_fps`` and ``n_jobs`` included)."""
    n_jobs = settings.pop("n_jobs", None)
    with Video(video, capture_fps=settings.pop("capture_fps", None)) as vid:
        s = PoseSettings(**{k: v for k, v in settings.items() if k != "max_frames"})
        s.update(
            capture_fps=vid.fps,
            max_frames=settings.get("max_frames"),
            mediapipe=_mediapipe_version(),
            **_chunk_settings(vid, settings.get("max_frames"), n_jobs),
        )
        return _cache.path_for(_cache.make_key(_cache.file_sha256(vid.path), s))
