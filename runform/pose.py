"""Pose extraction with MediaPipe BlazePose (offline), cached on disk.

The model is MediaPipe's legacy ``solutions.pose`` BlazePose *full* model
(``model_complexity=1``), which ships inside the ``mediapipe==0.10.21`` wheel and so
works offline; the lite and heavy models are downloaded at first use and are not
offered. MediaPipe is imported lazily: ``import runform`` never loads it.

Decoding runs in a background thread while the model runs in the calling thread, so a
clip is processed faster than a plain read-then-process loop (``bench/pose_speed.py``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import cache as _cache
from .clip import Clip
from .errors import CacheError, InputError, PoseError, RunformWarning
from .landmarks import N_LANDMARKS
from .video import Video, is_variable_rate

__all__ = ["PoseSettings", "extract_pose"]

#: Fewer detected frames than this fraction gives a warning; none at all, an error.
MIN_DETECTION_RATE = 0.5


def PoseSettings(
    *,
    min_detection_confidence: float = 0.5,
    min_tracking_confidence: float = 0.5,
    smooth_landmarks: bool = True,
    roi: Sequence[int] | None = None,
) -> dict:
    """The settings that change a pose result (and so the cache key), as a dict."""
    for name, v in (("min_detection_confidence", min_detection_confidence),
                    ("min_tracking_confidence", min_tracking_confidence)):
        if not 0.0 <= float(v) <= 1.0:
            raise InputError(f"{name} must be between 0 and 1, got {v!r}.")
    return {
        "model": "mediapipe-blazepose-full",
        "model_complexity": 1,
        "min_detection_confidence": float(min_detection_confidence),
        "min_tracking_confidence": float(min_tracking_confidence),
        "smooth_landmarks": bool(smooth_landmarks),
        "roi": None if roi is None else [int(v) for v in roi],
    }


def _mediapipe_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mediapipe")
    except PackageNotFoundError:
        return "missing"


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


def _decode_worker(video: Video, q: queue.Queue, stop: threading.Event, roi, max_frames):
    import cv2

    try:
        for i, t, frame in video.frames(stop=max_frames):
            if stop.is_set():
                break
            if roi is not None:
                frame = frame[roi[1]:roi[3], roi[0]:roi[2]]
            q.put((i, t, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
    except Exception as exc:  # handed to the consumer thread, which re-raises it
        q.put(exc)
    finally:
        q.put(None)


def _run_model(video: Video, settings: dict, roi, max_frames, progress: bool):
    """Run BlazePose over the clip; returns (xy, depth, vis, t_container)."""
    import mediapipe as mp
    from tqdm.auto import tqdm

    n_total = min(len(video), max_frames or len(video))
    xy, depth, vis, times = [], [], [], []
    q: queue.Queue = queue.Queue(maxsize=16)
    stop = threading.Event()
    worker = threading.Thread(target=_decode_worker, args=(video, q, stop, roi, max_frames),
                              daemon=True)
    ox, oy = (roi[0], roi[1]) if roi else (0, 0)
    model = mp.solutions.pose.Pose(
        static_image_mode=False, model_complexity=1,
        smooth_landmarks=settings["smooth_landmarks"], enable_segmentation=False,
        min_detection_confidence=settings["min_detection_confidence"],
        min_tracking_confidence=settings["min_tracking_confidence"],
    )
    worker.start()
    bar = tqdm(total=n_total, desc=f"pose {video.path.name}", unit="frame",
               disable=not progress, leave=False)
    try:
        while (item := q.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            _, t, rgb = item
            h, w = rgb.shape[:2]
            res = model.process(rgb)
            row = np.full((N_LANDMARKS, 4), np.nan)
            if res.pose_landmarks is not None:
                row[:] = [(p.x, p.y, p.z, p.visibility) for p in res.pose_landmarks.landmark]
                row[:, 0] = row[:, 0] * w + ox
                row[:, 1] = row[:, 1] * h + oy
                row[:, 2] *= w
            xy.append(row[:, :2])
            depth.append(row[:, 2])
            vis.append(np.nan_to_num(row[:, 3], nan=0.0))
            times.append(t)
            bar.update(1)
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                q.get_nowait()
        worker.join(timeout=5)
        bar.close()
        model.close()
    return (np.array(xy).reshape(-1, N_LANDMARKS, 2), np.array(depth).reshape(-1, N_LANDMARKS),
            np.array(vis).reshape(-1, N_LANDMARKS), np.array(times))


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

    Returns
    -------
    Clip
        Landmarks in image pixels (y down), depth and visibility for all 33 points per
        frame, NaN where no person was detected; ``provenance`` holds the file, its hash,
        the model and settings, and the cache file used.

    Raises
    ------
    VideoError
        The file cannot be read as a video.
    PoseError
        No person was detected in any frame.
    """
    own = not isinstance(video, Video)
    vid = Video(video, capture_fps=capture_fps) if own else video
    try:
        settings = PoseSettings(min_detection_confidence=min_detection_confidence,
                                min_tracking_confidence=min_tracking_confidence,
                                smooth_landmarks=smooth_landmarks, roi=roi)
        roi_px = _check_roi(roi, vid.info.width, vid.info.height)
        settings.update(capture_fps=vid.fps, max_frames=max_frames,
                        mediapipe=_mediapipe_version())
        content = _cache.file_sha256(vid.path)
        key = _cache.make_key(content, settings)
        arrays, cache_file = None, None
        if cache:
            arrays, cache_file = _load_cached(key)
        if arrays is None:
            xy, depth, vis, t_cont = _run_model(vid, settings, roi_px, max_frames, progress)
            arrays = {"xy": xy, "depth": depth, "visibility": vis, "t_container": t_cont}
            if cache:
                cache_file = _cache.save(key, arrays, {"source": str(vid.path)})
        return _to_clip(vid, arrays, settings, content, cache_file)
    finally:
        if own:
            vid.close()


def _load_cached(key: str):
    try:
        hit = _cache.load(key)
    except CacheError as exc:
        warnings.warn(f"Ignoring the pose cache ({exc}); recomputing.", RunformWarning,
                      stacklevel=3)
        return None, None
    if hit is None:
        return None, None
    arrays, _ = hit
    needed = {"xy", "depth", "visibility", "t_container"}
    if not needed <= set(arrays) or arrays["xy"].ndim != 3:
        warnings.warn("Ignoring an incomplete pose cache entry; recomputing.", RunformWarning,
                      stacklevel=3)
        return None, None
    return arrays, str(_cache.path_for(key))


def _to_clip(vid: Video, arrays: dict, settings: dict, content: str, cache_file) -> Clip:
    xy, vis = arrays["xy"], arrays["visibility"]
    n = xy.shape[0]
    if n == 0:
        raise PoseError(f"{vid.path.name} has no decodable frames.")
    detected = np.isfinite(xy[:, :, 0]).any(axis=1)
    if not detected.any():
        raise PoseError(
            f"No person was detected in any of the {n} frames of {vid.path.name}. Film the "
            "runner from the side with the whole body in frame and good light; if the "
            "runner is small in the frame, pass a region of interest (roi=...)."
        )
    t_cont = arrays["t_container"]
    vfr = is_variable_rate(t_cont)
    time = (t_cont - t_cont[0]) if vfr else np.arange(n) / vid.fps
    provenance = {
        "source": str(vid.path), "sha256": content, "kind": "video",
        "model": settings["model"], "settings": settings, "cache_file": cache_file,
        "rotation": vid.info.rotation, "container_fps": vid.info.container_fps,
        "variable_frame_rate": vfr, "detection_rate": float(detected.mean()),
    }
    clip = Clip(xy=xy, visibility=vis, time=time, fps=vid.fps, width=vid.info.width,
                height=vid.info.height, depth=arrays["depth"], provenance=provenance)
    if vfr:
        clip = clip.with_warning(
            f"Variable frame rate: frame intervals vary; real timestamps are used "
            f"(median rate {1 / np.median(np.diff(t_cont)):.1f} fps).")
    if detected.mean() < MIN_DETECTION_RATE:
        msg = (f"The runner was detected in only {detected.sum()} of {n} frames; results "
               "rest on few frames. Check that the whole body stays in frame.")
        warnings.warn(msg, RunformWarning, stacklevel=3)
        clip = clip.with_warning(msg)
    return clip


def cached_path(video: str | os.PathLike, **settings) -> Path:
    """The cache file that :func:`extract_pose` would use for ``video`` and settings."""
    with Video(video, capture_fps=settings.pop("capture_fps", None)) as vid:
        s = PoseSettings(**{k: v for k, v in settings.items() if k != "max_frames"})
        s.update(capture_fps=vid.fps, max_frames=settings.get("max_frames"),
                 mediapipe=_mediapipe_version())
        return _cache.path_for(_cache.make_key(_cache.file_sha256(vid.path), s))
