"""MediaPipe itself: importing it with a clear error, its version, a second-person check.

Shared by the single-pass extraction (:mod:`runform.pose`) and the chunk workers
(:mod:`runform.chunking`), so neither imports the other.
"""

from __future__ import annotations

import importlib
import sys
import types

import numpy as np

from .errors import PoseError
from .landmarks import INDEX

__all__ = ["import_mediapipe_for_workers"]

_TORSO = [INDEX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]


def _mediapipe_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mediapipe")
    except PackageNotFoundError:
        return "missing"


def _import_mediapipe():
    """MediaPipe with its legacy ``solutions.pose``, or a PoseError that says how to fix it."""
    try:
        import mediapipe as mp
    except ImportError as exc:
        raise PoseError(
            f"MediaPipe cannot be imported ({exc}). Install the version runform is built "
            "on: pip install 'mediapipe==0.10.21'."
        ) from None
    if not hasattr(getattr(mp, "solutions", None), "pose"):
        raise PoseError(
            f"mediapipe {_mediapipe_version()} has no mp.solutions.pose (removed in 0.10.30). "
            "runform needs the legacy pose model, which works offline: "
            "pip install 'mediapipe==0.10.21'."
        )
    return mp


class _PyplotOnDemand(types.ModuleType):
    """Stands in for ``matplotlib.pyplot`` until one of its attributes is used; then
    imports the real module (in place of this one) and forwards to it."""

    def __getattr__(self, name: str):
        if sys.modules.get("matplotlib.pyplot") is self:
            del sys.modules["matplotlib.pyplot"]
        real = importlib.import_module("matplotlib.pyplot")
        return getattr(real, name)


def import_mediapipe_for_workers() -> None:
    """Import MediaPipe in a pose worker (or its fork server) without ``matplotlib.pyplot``.

    ``mediapipe.solutions`` imports ``matplotlib.pyplot`` for a plotting helper that
    runform never calls, which is over half of MediaPipe's import time (0.6 of 1.1 s
    measured with ``python -X importtime``). Here a stand-in that imports pyplot the first
    time one of its attributes is used takes its place while MediaPipe is imported, and
    is removed again from ``sys.modules`` afterwards. Meant for worker processes, which
    run no user code; when pyplot is already loaded nothing changes, and when MediaPipe
    cannot be imported nothing is raised (each worker reports that itself).
    """
    stand_in = None
    if "matplotlib.pyplot" not in sys.modules:
        stand_in = sys.modules["matplotlib.pyplot"] = _PyplotOnDemand("matplotlib.pyplot")
    try:
        _import_mediapipe()
    except PoseError:
        pass
    finally:
        if stand_in is not None and sys.modules.get("matplotlib.pyplot") is stand_in:
            del sys.modules["matplotlib.pyplot"]


def _small_sample(rgb: np.ndarray, row: np.ndarray, max_side: int = 1280):
    """A frame kept for the second-person check, at most ``max_side`` pixels (4K frames
    would hold ~25 MB each), with its landmark rows scaled to match."""
    import cv2

    scale = max_side / max(rgb.shape[:2])
    row = row.copy()
    if scale < 1:
        rgb = cv2.resize(
            rgb,
            (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)),
            interpolation=cv2.INTER_AREA,
        )
        row[:, :2] *= scale
    return rgb, row


def _count_other_people(mp, samples) -> int:
    """In how many sample frames a person is found once the tracked runner is hidden.

    BlazePose follows a single person, so a second runner (or a spectator) in the frame
    can silently take over the track. This cheap check greys out a generous box around
    the detected runner in a few frames and runs the detector again on what is left.
    """
    if not samples:
        return 0
    found = 0
    with mp.solutions.pose.Pose(
        static_image_mode=True, model_complexity=1, min_detection_confidence=0.5
    ) as detector:
        for rgb, row in samples:
            h, w = rgb.shape[:2]
            pts = row[(row[:, 3] > 0.3) & np.isfinite(row[:, 0]), :2]
            if len(pts) < 4:
                continue
            (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
            mx, my = 0.35 * (x1 - x0) + 0.03 * w, 0.2 * (y1 - y0) + 0.03 * h
            x0, x1 = int(max(0, x0 - mx)), int(min(w, x1 + mx))
            y0, y1 = int(max(0, y0 - my)), int(min(h, y1 + my))
            masked = rgb.copy()
            masked[y0:y1, x0:x1] = 128
            res = detector.process(masked)
            if res.pose_landmarks is None:
                continue
            torso = [res.pose_landmarks.landmark[i] for i in _TORSO]
            if np.mean([p.visibility for p in torso]) > 0.5:
                found += 1
    return found
