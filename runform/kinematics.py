"""Sagittal-plane angles, each defined once, with its sign convention.

All formulas follow science.md §1. Positions are first *normalised*: image y points
down, so ``Y = -y``; and when the runner faces image-left, ``X = -x`` (mirror), so
that every runner faces +X and every signed angle means the same thing whichever way
the runner runs. The direction is decided once per clip (:mod:`runform.orientation`).

Vectors: trunk ``K = mid(shoulders) - mid(hips)``, thigh ``T = knee - hip``, shank
``S = ankle - knee``, foot ``F = foot_index - heel``. For a downward-pointing vector
``phi(v) = atan2(v.X, -v.Y)`` (positive = distal end ahead), and
``ang(v) = atan2(v.Y, v.X)``. Differences are wrapped to (-180°, 180°], so no angle
jumps by 360°.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .clip import Clip
from .landmarks import INDEX

__all__ = [
    "ANGLES", "AngleDef", "angle_table", "angles", "midpoint", "normalise", "sagittal_angles",
]


@dataclass(frozen=True)
class AngleDef:
    """Definition of one angle: name, formula, sign convention, typical values."""

    name: str
    formula: str
    positive: str
    zero: str
    per_side: bool = True


ANGLES: tuple[AngleDef, ...] = (
    AngleDef("ankle_dorsiflexion", "90° − (ang(knee − ankle) − ang(toe − heel)) − standing",
             "dorsiflexion (shin tilted over the foot, toes up)",
             "foot (heel→toe) perpendicular to the shank"),
    AngleDef("knee_flexion", "φ(thigh) − φ(shank)", "flexion", "straight knee"),
    AngleDef("thigh_angle", "φ(knee − hip)",
             "knee ahead of the hip; negative = thigh behind vertical (coach's hip extension)",
             "thigh vertical"),
    AngleDef("hip_flexion", "φ(thigh) + trunk lean",
             "flexion relative to the shoulder–hip line; negative = extension",
             "thigh in line with the trunk"),
    AngleDef("shank_angle", "φ(ankle − knee)",
             "ankle ahead of the knee (lower leg reaching out)", "shank vertical"),
    AngleDef("foot_angle", "ang(toe − heel) − standing",
             "toe up (heel lower than toe); relative to image horizontal",
             "sole level (standing value when calibrated)"),
    AngleDef("trunk_lean", "atan2(K.X, K.Y), K = mid(shoulders) − mid(hips)",
             "forward lean", "trunk vertical", per_side=False),
)


def angle_table():
    """The angle definitions as a pandas DataFrame (for notebooks and docs)."""
    import pandas as pd

    return pd.DataFrame([a.__dict__ for a in ANGLES]).set_index("name")


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Midpoint of two point series; where one is missing, the other (NaN if both)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), np.where(np.isfinite(a), a, b))


def _wrap(deg: np.ndarray) -> np.ndarray:
    """Wrap degrees to (-180, 180]."""
    return 180.0 - np.mod(180.0 - deg, 360.0)


def normalise(xy: np.ndarray, direction: str | None) -> np.ndarray:
    """Image pixels (y down) → runner frame (Y up, runner facing +X).

    Parameters
    ----------
    xy : ndarray, shape (..., 2)
        Image coordinates in pixels.
    direction : {"left", "right"} or None
        Image direction the runner faces; "left" mirrors X. None is treated as "right".
    """
    out = np.array(xy, dtype=float, copy=True)
    out[..., 1] = -out[..., 1]
    if direction == "left":
        out[..., 0] = -out[..., 0]
    return out


def _phi(v: np.ndarray) -> np.ndarray:
    """Angle of a downward vector from the downward vertical, degrees (+ = end ahead)."""
    return np.degrees(np.arctan2(v[..., 0], -v[..., 1]))


def _ang(v: np.ndarray) -> np.ndarray:
    """Angle of a vector from +X, counter-clockwise, degrees."""
    return np.degrees(np.arctan2(v[..., 1], v[..., 0]))


def _per_side(value, side: str) -> float:
    """A calibration value that is either one number or a {"left": .., "right": ..} dict."""
    if isinstance(value, dict):
        return float(value.get(side, 0.0))
    return float(value)


def sagittal_angles(p: dict[str, np.ndarray], *, ankle_offset_deg=0.0,
                    foot_offset_deg=0.0) -> dict[str, np.ndarray]:
    """All sagittal angles from normalised points (Y up, runner facing +X).

    Parameters
    ----------
    p : dict of str to ndarray, shape (n, 2)
        Normalised positions keyed by BlazePose name; needs the shoulders, hips,
        knees, ankles, heels and foot_index points (missing ones give NaN angles).
    ankle_offset_deg, foot_offset_deg : float or dict
        Standing-calibration values subtracted from the ankle and foot angles, degrees:
        one number for both sides or ``{"left": .., "right": ..}``.

    Returns
    -------
    dict of str to ndarray
        ``<side>_<angle>_deg`` for each side and angle of :data:`ANGLES`, and
        ``trunk_lean_deg``; degrees, NaN where a point is missing.
    """
    sh = midpoint(p["left_shoulder"], p["right_shoulder"])
    hp = midpoint(p["left_hip"], p["right_hip"])
    k = sh - hp
    lean = np.degrees(np.arctan2(k[..., 0], k[..., 1]))
    out = {}
    for s in ("left", "right"):
        hip, knee, ankle = p[f"{s}_hip"], p[f"{s}_knee"], p[f"{s}_ankle"]
        foot = p[f"{s}_foot_index"] - p[f"{s}_heel"]
        thigh, shank = _phi(knee - hip), _phi(ankle - knee)
        out[f"{s}_ankle_dorsiflexion_deg"] = _wrap(
            90.0 - _wrap(_ang(knee - ankle) - _ang(foot)) - _per_side(ankle_offset_deg, s))
        out[f"{s}_knee_flexion_deg"] = _wrap(thigh - shank)
        out[f"{s}_thigh_angle_deg"] = thigh
        out[f"{s}_hip_flexion_deg"] = _wrap(thigh + lean)
        out[f"{s}_shank_angle_deg"] = shank
        out[f"{s}_foot_angle_deg"] = _wrap(_ang(foot) - _per_side(foot_offset_deg, s))
    out["trunk_lean_deg"] = lean
    return out


def angles(clip: Clip):
    """Sagittal angles of a clip as a DataFrame, degrees.

    The clip's direction must be known (see :meth:`Clip.oriented`); it is detected
    if missing. Columns: ``time_s``, ``<side>_<angle>_deg`` for side ``left``/``right``
    and the angles of :data:`ANGLES`, and ``trunk_lean_deg``. NaN where unknown.
    The standing calibration in ``clip.calibration`` (``ankle_deg``, ``foot_deg``: the
    angles measured while standing, one number or per side) is subtracted when present.
    ``df.attrs`` records the near side and direction.
    """
    import pandas as pd

    if clip.direction is None:
        clip = clip.oriented()
    xy = normalise(clip.xy, clip.direction)
    pts = {name: xy[:, i] for name, i in INDEX.items()}
    vals = sagittal_angles(pts, ankle_offset_deg=clip.calibration.get("ankle_deg", 0.0),
                           foot_offset_deg=clip.calibration.get("foot_deg", 0.0))
    df = pd.DataFrame({"time_s": clip.time, **vals})
    df.attrs.update(near_side=clip.near_side, direction=clip.direction, fps=clip.fps)
    return df
