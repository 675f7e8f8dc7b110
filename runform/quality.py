"""Capture-quality checks on any clip (video or keypoints), as records a program can read.

Each problem found is a :class:`QualityCheck`: a stable ``code``, a ``severity``
(``"info"``, ``"warning"``, ``"error"``), a ``message`` saying what is wrong and what it
does to the numbers, and a ``fix`` saying what to change when filming again. They are
collected in :attr:`runform.Clip.quality`, printed by the command line and written to
``metrics.json``.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from .landmarks import INDEX
from .reference import PER_STEP_TIMING_FPS, VISIBILITY_THRESHOLD

if TYPE_CHECKING:  # the container imports this module: no runtime import back
    from .clip import Clip

__all__ = ["QualityCheck", "as_check", "check_clip"]

#: Fewer detected frames than this fraction gives a warning (a project convention).
MIN_DETECTION_RATE = 0.5
#: Fraction of detected frames with the feet (or the body) out of frame or hidden above
#: which a warning is given (a project convention).
MAX_PARTIAL_FRACTION = 0.2
#: Trunk tilt from upright (deg) beyond which the video is taken to be rotated.
SIDEWAYS_DEG, UPSIDE_DOWN_DEG = 50.0, 135.0

_BODY = [INDEX[f"{s}_{j}"] for s in ("left", "right") for j in ("shoulder", "hip", "knee", "ankle")]
_FEET = {s: [INDEX[f"{s}_{j}"] for j in ("ankle", "heel", "foot_index")] for s in ("left", "right")}
SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class QualityCheck:
    """One capture-quality finding.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"feet_hidden"``, ``"timing_fps"``, ``"sideways"``.
    severity : {"info", "warning", "error"}
        "info": a limit worth knowing; "warning": some numbers are unreliable;
        "error": the clip cannot be analysed as it is.
    message : str
        What is wrong and what it does to the measurements.
    fix : str
        What to change when filming (or processing) again; may be empty.
    """

    code: str
    severity: str
    message: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}.")

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()

    def to_dict(self) -> dict:
        """JSON-ready dict with ``code``, ``severity``, ``message`` and ``fix``."""
        return asdict(self)


def as_check(value) -> QualityCheck:
    """A :class:`QualityCheck` from a check, a dict of its fields or a plain message."""
    if isinstance(value, QualityCheck):
        return value
    if isinstance(value, dict):
        return QualityCheck(**value)
    return QualityCheck("note", "warning", str(value))


def check_clip(clip: Clip) -> list[QualityCheck]:
    """Capture-quality checks of a clip's landmarks; empty when nothing needs saying.

    Checks, over the frames where a person was detected: how often the runner was
    found (:data:`MIN_DETECTION_RATE`); how often the feet or the body are out of frame
    or hidden (:data:`MAX_PARTIAL_FRACTION`); overall landmark confidence; whether the
    runner is upright (a sideways or upside-down runner means a rotated video whose
    rotation metadata is missing: the pose model still "finds" the runner); whether one
    foot is much less visible than the other (the far leg); and whether the frame rate
    limits the timing of contact and flight
    (:data:`runform.reference.PER_STEP_TIMING_FPS`).

    Parameters
    ----------
    clip : Clip
        Raw landmarks (pixels, visibility), from a video or a keypoints file.
    """
    detected = np.isfinite(clip.xy[:, :, 0]).any(axis=1)
    if not detected.any():
        return [
            QualityCheck(
                "no_person",
                "error",
                "No person was detected in any frame.",
                "Film the runner from the side with the whole body in frame.",
            )
        ]
    xy, vis = clip.xy[detected], clip.visibility[detected]
    return [
        *_detection(detected),
        *_framing(clip, xy, vis),
        *_upright(xy),
        *_landmarks(vis),
        *_timing(clip),
    ]


def _detection(detected: np.ndarray) -> list[QualityCheck]:
    """How often the runner was found, and where the misses are."""
    n, n_det = len(detected), int(detected.sum())
    if n_det < MIN_DETECTION_RATE * n:
        return [
            QualityCheck(
                "low_detection",
                "warning",
                f"The runner was detected in only {n_det} of {n} frames; results rest on few "
                "frames.",
                "Check that the whole body stays in frame.",
            )
        ]
    if n_det == n:
        return []
    first, last = np.flatnonzero(detected)[[0, -1]]
    where = []
    if first > 0:
        where.append(f"the first {first}")
    if last < n - 1:
        where.append(f"the last {n - 1 - last}")
    at = f" ({' and '.join(where)} frames: entering or leaving the frame?)" if where else ""
    return [
        QualityCheck(
            "frames_without_runner",
            "info",
            f"No runner was found in {n - n_det} of {n} frames{at}; those frames are left "
            "empty (NaN).",
            "Start and stop filming with the runner in view.",
        )
    ]


def _framing(clip: Clip, xy: np.ndarray, vis: np.ndarray) -> list[QualityCheck]:
    """Feet or body out of frame or hidden."""
    out = []
    size = np.array([clip.width, clip.height])
    margin = 0.01 * size
    with np.errstate(invalid="ignore"):
        outside = ((xy < -margin) | (xy > size + margin)).any(axis=2)
    hidden = outside | (vis < VISIBILITY_THRESHOLD)
    feet_gone = np.ones(len(xy), bool)
    for idx in _FEET.values():
        feet_gone &= hidden[:, idx].any(axis=1)
    body_out = outside[:, _BODY].any(axis=1)
    if feet_gone.mean() > MAX_PARTIAL_FRACTION:
        out.append(
            QualityCheck(
                "feet_hidden",
                "warning",
                f"The feet are out of frame or hidden in {100 * feet_gone.mean():.0f}% of the "
                "frames: foot angles and contact events are unreliable there.",
                "Film with the whole body, feet included, in frame.",
            )
        )
    if body_out.mean() > MAX_PARTIAL_FRACTION:
        out.append(
            QualityCheck(
                "body_cut_off",
                "warning",
                f"Part of the body is outside the frame in {100 * body_out.mean():.0f}% of the "
                "frames (cut off at the edge): angles there are guesses.",
                "Keep the whole runner in frame, or analyse only the frames where they are.",
            )
        )
    return out


def _trunk_tilt_deg(xy: np.ndarray) -> float:
    """Median angle in degrees between the hip→shoulder line and image-up (0 = upright)."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames without both sides
        sh = np.nanmean(xy[:, [INDEX["left_shoulder"], INDEX["right_shoulder"]]], axis=1)
        hp = np.nanmean(xy[:, [INDEX["left_hip"], INDEX["right_hip"]]], axis=1)
    v = sh - hp
    tilt = np.abs(np.degrees(np.arctan2(v[:, 0], -v[:, 1])))
    tilt = tilt[np.isfinite(tilt)]
    return float(np.median(tilt)) if len(tilt) else 0.0


def _upright(xy: np.ndarray) -> list[QualityCheck]:
    """A runner lying sideways or upside down: a rotated video without rotation metadata."""
    up = _trunk_tilt_deg(xy)
    if up > UPSIDE_DOWN_DEG:
        return [
            QualityCheck(
                "upside_down",
                "error",
                f"The runner looks upside down (trunk {up:.0f}° from upright): the video is "
                "probably rotated by 180° without rotation metadata.",
                "Turn it upright (e.g. ffmpeg -vf 'transpose=1,transpose=1') and retry.",
            )
        ]
    if up > SIDEWAYS_DEG:
        return [
            QualityCheck(
                "sideways",
                "error",
                f"The runner looks sideways (trunk {up:.0f}° from upright): the video is "
                "probably rotated by 90° without rotation metadata, and every angle is wrong.",
                "Turn it upright (e.g. ffmpeg -vf transpose=1 or transpose=2) and retry.",
            )
        ]
    return []


def _landmarks(vis: np.ndarray) -> list[QualityCheck]:
    """Low confidence overall; one foot much less visible (the far leg)."""
    out = []
    med_vis = float(np.median(vis[:, _BODY]))
    if med_vis < VISIBILITY_THRESHOLD:
        out.append(
            QualityCheck(
                "low_visibility",
                "warning",
                f"Low landmark confidence (median visibility {med_vis:.2f} for shoulders, hips, "
                "knees and ankles): expect jitter and gaps.",
                "Better light, a closer camera or a higher shutter speed help.",
            )
        )
    foot_vis = {s: float(np.median(vis[:, idx])) for s, idx in _FEET.items()}
    lo, hi = sorted(foot_vis, key=foot_vis.get)
    if foot_vis[lo] < 0.8 and foot_vis[hi] - foot_vis[lo] > 0.15:
        out.append(
            QualityCheck(
                "far_foot",
                "info",
                f"The {lo} foot is much less visible than the {hi} foot (median visibility "
                f"{foot_vis[lo]:.2f} vs {foot_vis[hi]:.2f}): it is probably the far leg, whose "
                f"foot landmarks are unreliable in side view.",
                f"Trust the {hi} leg's foot angles and events; film the other side for the "
                f"{lo} leg.",
            )
        )
    return out


def _timing(clip: Clip) -> list[QualityCheck]:
    """Frame rate too low to time single contacts."""
    if clip.fps >= PER_STEP_TIMING_FPS:
        return []
    return [
        QualityCheck(
            "timing_fps",
            "info",
            f"At {clip.fps:g} fps one frame lasts {clip.frame_ms:.0f} ms: contact and flight "
            f"times are resolved only to about ±{clip.frame_ms:.0f} ms per step; means over "
            "many steps are better.",
            f"Film at {PER_STEP_TIMING_FPS:g} fps or more to time single contacts.",
        )
    ]
