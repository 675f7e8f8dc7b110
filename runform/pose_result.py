"""A pose result (arrays from the model or the cache) as a :class:`~runform.clip.Clip`.

What :func:`runform.pose.extract_pose` does once it has the landmarks: refuse a result
with no frame, one frame or nobody detected (with what to do), choose the frame times
(the decoder's when they vary, else the exact grid), record the provenance (file,
hash, model, settings, cache file, the capture-check statistics measured while
decoding) and attach the video's quality checks.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .errors import PoseError, TooShortError, warn
from .pose_checks import video_checks
from .video import Video, is_variable_rate

__all__ = ["to_clip"]


def to_clip(vid: Video, arrays: dict, settings: dict, content: str, cache_file) -> Clip:
    """The clip of a pose result (``arrays`` as cached), with provenance and quality
    checks (each new check also given as a :class:`~runform.errors.RunformWarning`)."""
    xy, vis = arrays["xy"], arrays["visibility"]
    detected = _detected_frames(vid, xy)
    vfr, time = _frame_times(vid, arrays["t_container"], xy.shape[0])
    others = arrays.get("other_people")
    provenance = {
        "source": str(vid.path),
        "sha256": content,
        "kind": "video",
        "model": settings["model"],
        "settings": settings,
        "cache_file": cache_file,
        "rotation": vid.info.rotation,
        "container_fps": vid.info.container_fps,
        "fps_source": vid.info.capture_fps_source,
        "variable_frame_rate": vfr,
        "detection_rate": float(detected.mean()),
        "other_people_found": None if others is None else [int(v) for v in others],
    }
    if "frame_stats" in arrays:
        provenance["frame_stats"] = _frame_stats_record(arrays["frame_stats"])
    clip = Clip(
        xy=xy,
        visibility=vis,
        time=time,
        fps=vid.fps,
        width=vid.info.width,
        height=vid.info.height,
        depth=arrays["depth"],
        provenance=provenance,
    )
    notes, new = video_checks(vid, clip, settings, vfr, others)
    for check in new:
        warn(str(check))
    for check in notes + new:
        clip = clip.with_warning(check)
    return clip


def _detected_frames(vid: Video, xy: np.ndarray) -> np.ndarray:
    """Frames with a detected person; an error for no frames, one frame or nobody."""
    n = xy.shape[0]
    if n == 0:
        raise PoseError(
            f"No frame of {vid.path.name} could be decoded. Export it again as "
            "MP4 (H.264) and retry."
        )
    if n < 2:
        raise TooShortError(
            f"{vid.path.name} has a single frame: it is a still picture, not a running clip. "
            "Record a few seconds of running (several strides), ideally 10 s or more."
        )
    detected = np.isfinite(xy[:, :, 0]).any(axis=1)
    if not detected.any():
        raise PoseError(
            f"No person was detected in any of the {n} frames of {vid.path.name}. Film the "
            "runner from the side with the whole body in frame and good light; if the "
            "runner is small in the frame, pass a region of interest (roi=...)."
        )
    return detected


def _frame_times(vid: Video, t_container, n: int) -> tuple[bool, np.ndarray]:
    """(variable frame rate?, frame times in s from the first frame).

    The decoder's frame times, already rescaled to capture time (Video.frames), are used
    only when they are valid and really vary; else the exact grid k / fps.
    """
    t_cont = np.asarray(t_container, float)
    vfr = bool(
        len(t_cont) == n
        and np.isfinite(t_cont).all()
        and np.all(np.diff(t_cont) > 0)
        and is_variable_rate(t_cont)
    )
    return vfr, (t_cont - t_cont[0]) if vfr else np.arange(n) / vid.fps


def _frame_stats_record(stats: np.ndarray) -> dict:
    """Box statistics of the capture-check frames as plain lists (None: no box)."""

    def num(v):
        return float(v) if np.isfinite(v) else None

    return {
        "frames": [int(i) for i in stats[:, 0]],
        "grey": [num(v) for v in stats[:, 1]],
        "sharpness": [num(v) for v in stats[:, 2]],
    }
