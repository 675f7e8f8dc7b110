"""Sagittal-plane angles, each defined once, with its sign convention.

Positions are first *normalised*: image y points
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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .clip import Clip
from .geometry import ang_deg as _ang
from .geometry import midpoint, normalise
from .geometry import phi_deg as _phi
from .geometry import wrap_deg as _wrap
from .landmarks import INDEX

__all__ = [
    "ANGLES",
    "GONIOMETER",
    "AngleDef",
    "angle_table",
    "angles",
    "midpoint",
    "normalise",
    "sagittal_angles",
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
    AngleDef(
        "ankle_dorsiflexion",
        "90° − (ang(knee − ankle) − ang(toe − heel)) − standing",
        "dorsiflexion (shin tilted over the foot, toes up)",
        "foot (heel→toe) perpendicular to the shank",
    ),
    AngleDef("knee_flexion", "φ(thigh) − φ(shank)", "flexion", "straight knee"),
    AngleDef(
        "thigh_angle",
        "φ(knee − hip)",
        "knee ahead of the hip; negative = thigh behind vertical (coach's hip extension)",
        "thigh vertical",
    ),
    AngleDef(
        "hip_flexion",
        "φ(thigh) + trunk lean",
        "flexion relative to the shoulder–hip line; negative = extension",
        "thigh in line with the trunk",
    ),
    AngleDef(
        "shank_angle",
        "φ(ankle − knee)",
        "ankle ahead of the knee (lower leg reaching out)",
        "shank vertical",
    ),
    AngleDef(
        "foot_angle",
        "ang(toe − heel) − standing",
        "toe up (heel lower than toe); relative to image horizontal",
        "sole level (standing value when calibrated)",
    ),
    AngleDef(
        "trunk_lean",
        "atan2(K.X, K.Y), K = mid(shoulders) − mid(hips)",
        "forward lean",
        "trunk vertical",
        per_side=False,
    ),
)


#: How a hand goniometer reading (the angle ABC between three points, 0–180°) maps to
#: runform's angle of the same name: points (A, B = vertex, C) and the rule.
GONIOMETER: dict[str, tuple[tuple[str, str, str], str, object]] = {
    "knee_flexion": (("hip", "knee", "ankle"), "180 − ABC", lambda abc: 180.0 - abc),
    "hip_flexion": (
        ("shoulder", "hip", "knee"),
        "180 − ABC (sign not shown)",
        lambda abc: 180.0 - abc,
    ),
    "ankle_dorsiflexion": (
        ("knee", "ankle", "sole"),
        "90 − ABC (arm BC parallel to the sole)",
        lambda abc: 90.0 - abc,
    ),
}


def angle_table():
    """The angle definitions as a pandas DataFrame (for notebooks and docs)."""
    import pandas as pd

    return pd.DataFrame([a.__dict__ for a in ANGLES]).set_index("name")


def _per_side(value, side: str) -> float:
    """A calibration value that is either one number or a {"left": .., "right": ..} dict."""
    if isinstance(value, Mapping):
        return float(value.get(side, 0.0))
    return float(value)


def sagittal_angles(
    p: dict[str, np.ndarray], *, ankle_offset_deg=0.0, foot_offset_deg=0.0
) -> dict[str, np.ndarray]:
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
            90.0 - _wrap(_ang(knee - ankle) - _ang(foot)) - _per_side(ankle_offset_deg, s)
        )
        out[f"{s}_knee_flexion_deg"] = _wrap(thigh - shank)
        out[f"{s}_thigh_angle_deg"] = thigh
        out[f"{s}_hip_flexion_deg"] = _wrap(thigh + lean)
        out[f"{s}_shank_angle_deg"] = shank
        out[f"{s}_foot_angle_deg"] = _wrap(_ang(foot) - _per_side(foot_offset_deg, s))
    out["trunk_lean_deg"] = lean
    return out


def angles(clip: Clip):
    """Sagittal angles of a clip as a DataFrame, degrees.

    The clip must be oriented (:meth:`Clip.oriented`); an un-oriented clip raises
    :class:`~runform.errors.InputError` rather than being re-oriented silently.
    Columns: ``time_s``, ``<side>_<angle>_deg`` for side ``left``/``right``
    and the angles of :data:`ANGLES`, and ``trunk_lean_deg``. NaN where unknown.
    The standing calibration in ``clip.calibration`` (``ankle_deg``, ``foot_deg``: the
    angles measured while standing, one number or per side) is subtracted when present.
    ``df.attrs`` records the near side and direction.
    """
    import pandas as pd

    clip.require_oriented("angles", treadmill=False)
    xy = normalise(clip.xy, clip.direction)
    pts = {name: xy[:, i] for name, i in INDEX.items()}
    vals = sagittal_angles(
        pts,
        ankle_offset_deg=clip.calibration.get("ankle_deg", 0.0),
        foot_offset_deg=clip.calibration.get("foot_deg", 0.0),
    )
    df = pd.DataFrame({"time_s": clip.time, **vals})
    df.attrs.update(near_side=clip.near_side, direction=clip.direction, fps=clip.fps)
    return df
