"""Decide, once per clip, how the runner is seen: direction, treadmill, near side.

Deciding these per frame is what makes angles flip sign mid-clip in other tools.
Each decision here is a robust vote over the whole clip, and a user's explicit
choice always wins.
"""

from __future__ import annotations

import warnings

import numpy as np

from .clip import Clip
from .errors import RunformWarning
from .geometry import midpoint
from .landmarks import INDEX

__all__ = ["detect_direction", "detect_near_side", "detect_treadmill", "leg_length_px", "orient"]

#: Hip speed, in leg lengths per second, above which the runner is crossing the frame.
OVERGROUND_SPEED = 0.6


def _mid(clip: Clip, a: str, b: str) -> np.ndarray:
    return midpoint(clip.point(a), clip.point(b))


def leg_length_px(clip: Clip) -> float:
    """Median hip→knee→ankle length in pixels over both legs (NaN if unknown)."""
    vals = []
    for s in ("left", "right"):
        h, k, a = (clip.point(f"{s}_{j}") for j in ("hip", "knee", "ankle"))
        vals.append(np.linalg.norm(k - h, axis=1) + np.linalg.norm(a - k, axis=1))
    v = np.concatenate(vals)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if len(v) else float("nan")


def hip_speed(clip: Clip) -> float:
    """Horizontal hip-midpoint speed in leg lengths per second (signed, + = image right).

    A robust slope (median of frame-to-frame velocities) of the hip midpoint's x.
    """
    x = _mid(clip, "left_hip", "right_hip")[:, 0]
    good = np.isfinite(x)
    leg = leg_length_px(clip)
    if good.sum() < 3 or not np.isfinite(leg):
        return 0.0
    t = clip.time[good]
    slope = np.polyfit(t - t.mean(), x[good], 1)[0]
    return float(slope / leg)


def detect_treadmill(clip: Clip) -> bool:
    """True when the runner stays in place in the frame (treadmill, or a following camera).

    A fixed camera that the runner crosses shows the hip moving at running speed
    (≈ 3 leg lengths per second at 2.5 m/s); on a treadmill it barely drifts. The
    threshold is :data:`OVERGROUND_SPEED` leg lengths per second.
    """
    return abs(hip_speed(clip)) < OVERGROUND_SPEED


def detect_direction(clip: Clip, treadmill: bool | None = None) -> str | None:
    """Image direction the runner faces, ``"left"`` or ``"right"``, decided once per clip.

    Votes: the hip's horizontal travel when the runner crosses the
    frame; otherwise the median sign of toe minus heel (feet point forward) and of nose
    minus ear midpoint, weighted by visibility. Returns None when nothing is visible.
    """
    if treadmill is None:
        treadmill = detect_treadmill(clip)
    if not treadmill:
        v = hip_speed(clip)
        if abs(v) >= OVERGROUND_SPEED:
            return "right" if v > 0 else "left"
    votes, weights = [], []
    for s in ("left", "right"):
        dx = clip.point(f"{s}_foot_index")[:, 0] - clip.point(f"{s}_heel")[:, 0]
        w = np.minimum(
            clip.visibility[:, INDEX[f"{s}_foot_index"]], clip.visibility[:, INDEX[f"{s}_heel"]]
        )
        votes.append(np.sign(dx))
        weights.append(w)
    ears = _mid(clip, "left_ear", "right_ear")[:, 0]
    votes.append(np.sign(clip.point("nose")[:, 0] - ears))
    weights.append(clip.visibility[:, INDEX["nose"]])
    v, w = np.concatenate(votes), np.concatenate(weights)
    ok = np.isfinite(v) & (w > 0)
    if not ok.any():
        return None
    score = np.sum(v[ok] * w[ok]) / np.sum(w[ok])
    return "right" if score > 0 else "left"


def detect_near_side(clip: Clip) -> str | None:
    """The runner's side nearer the camera, ``"left"`` or ``"right"``, or None.

    Votes over hips, knees, ankles, shoulders and ears: the near landmark has the
    smaller MediaPipe depth and the higher visibility. Returns None when neither cue
    separates the sides (e.g. keypoints from a CSV with equal visibility).
    """
    joints = ("shoulder", "hip", "knee", "ankle", "ear")
    score = 0.0
    if clip.depth is not None:
        for j in joints:
            d = clip.depth[:, INDEX[f"right_{j}"]] - clip.depth[:, INDEX[f"left_{j}"]]
            d = d[np.isfinite(d)]
            if len(d):
                score += float(np.sign(np.median(d)))  # right deeper -> left nearer
    for j in joints:
        dv = clip.visibility[:, INDEX[f"left_{j}"]] - clip.visibility[:, INDEX[f"right_{j}"]]
        m = float(np.mean(dv))
        if abs(m) > 0.02:
            score += 0.5 * np.sign(m)
    if score == 0:
        return None
    return "left" if score > 0 else "right"


def orient(
    clip: Clip,
    *,
    direction: str | None = None,
    treadmill: bool | None = None,
    near_side: str | None = None,
) -> Clip:
    """Fill in ``direction``, ``treadmill`` and ``near_side`` once for the whole clip.

    Explicit arguments win, then values already on the clip, then detection.
    """
    treadmill = treadmill if treadmill is not None else clip.treadmill
    if treadmill is None:
        treadmill = detect_treadmill(clip)
    direction = direction or clip.direction or detect_direction(clip, treadmill)
    near_side = near_side or clip.near_side or detect_near_side(clip)
    out = clip.replace(direction=direction, treadmill=bool(treadmill), near_side=near_side)
    if direction is None:
        msg = (
            "Could not tell which way the runner faces (feet and face not visible); "
            "assuming image-right. Pass direction='left' or 'right'."
        )
        warnings.warn(msg, RunformWarning, stacklevel=2)
        out = out.replace(direction="right").with_warning(msg)
    if near_side is None:
        out = out.with_warning(
            "Could not tell which leg is nearer the camera; both legs are treated as "
            "equally reliable. Pass near_side='left' or 'right' if you know it."
        )
    return out
