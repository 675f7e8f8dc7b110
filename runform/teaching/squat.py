"""A 2D quasi-static squat: why limited ankle dorsiflexion moves load from the knee to the hip.

The body is four rigid segments in the sagittal plane (facing +X, Y up, metres): the foot
flat on the floor, the shank, the thigh and HAT (head, arms and trunk), with Winter's
segment lengths, masses and centre-of-mass positions (Winter DA 2009, *Biomechanics and
Motor Control of Human Movement*, 4th ed., Table 4.1). Both legs move together. A bar
may sit on the shoulders. The squatter must keep the whole-body centre of mass over the
middle of the foot, or fall.

For a squat depth (the thigh angle to horizontal) the squatter keeps the trunk at a
preferred lean and lets the shank tilt forward as far as balance needs. With the foot
flat, the shank's forward tilt *is* the ankle dorsiflexion. If that exceeds the
dorsiflexion the ankle allows, the shank stops at the limit, the hips sit further back,
and the only way to keep the centre of mass over the foot is to lean the trunk forward.

Joint moments are quasi-static: the weight of everything above a joint times its
horizontal distance from the joint (the moment arm), per leg. A forward trunk puts the
load far ahead of the hip and closer to the knee, so the share of the moment carried at
the hip rises. Blocking forward knee travel in a parallel back squat did this in the lab:
hip torque 28 → 303 N·m, knee 150 → 117 N·m (Fry AC, Smith JC, Schilling BK 2003,
J Strength Cond Res 17:629). It is a torque shift to the hip, which says nothing by itself
about how well the gluteal muscles are "activated".

Angles in degrees: ``shank_deg`` forward tilt of the shank from vertical (= dorsiflexion),
``thigh_deg`` thigh below horizontal (0 = thighs parallel to the floor, + deeper),
``trunk_deg`` forward lean of the hip → shoulder line from vertical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..reference import WINTER_SEGMENT_COM, WINTER_SEGMENT_MASS

__all__ = [
    "ANKLE_MAX_DEG",
    "G",
    "SquatPose",
    "knee_over_toe_deg",
    "required_dorsiflexion",
    "squat",
    "sweep",
]

#: Gravitational acceleration, m/s².
G = 9.81
#: Most shank tilt the model ever uses, degrees, even with "unlimited" dorsiflexion: a
#: model convention, beyond any adult ankle (the weight-bearing lunge is 39 ± 4.6° in
#: healthy adults, Hall EA, Docherty CL 2017, J Sci Med Sport 20:618; 60° is +4.6 SD).
ANKLE_MAX_DEG = 60.0


@dataclass(frozen=True)
class SquatPose:
    """One balanced squat position and its joint loads.

    Attributes
    ----------
    points : dict of str to ndarray, shape (2,)
        ``heel``, ``toe``, ``ankle``, ``knee``, ``hip``, ``shoulder``, ``com`` in metres.
    shank_deg, thigh_deg, trunk_deg : float
        Segment angles (see the module docstring), degrees.
    limited : bool
        True when the dorsiflexion limit stopped the shank and the trunk had to lean.
    feasible : bool
        False when no trunk lean keeps the centre of mass over the foot.
    knee_arm_m, hip_arm_m : float
        Horizontal distance from the joint to the centre of mass of everything above it,
        metres; positive = the load needs the knee extensors (load behind the knee) or
        the hip extensors (load ahead of the hip).
    knee_moment_nm, hip_moment_nm : float
        Quasi-static extensor moments per leg, N·m.
    """

    points: dict
    shank_deg: float
    thigh_deg: float
    trunk_deg: float
    limited: bool
    feasible: bool
    knee_arm_m: float
    hip_arm_m: float
    knee_moment_nm: float
    hip_moment_nm: float

    @property
    def hip_share(self) -> float:
        """Hip moment / (hip + knee moment), 0–1 (negative moments count as 0)."""
        h, k = max(self.hip_moment_nm, 0.0), max(self.knee_moment_nm, 0.0)
        return h / (h + k) if h + k > 0 else float("nan")


def _lengths(stature_m: float) -> dict[str, float]:
    from ..model import segment_lengths

    s = segment_lengths(stature_m)
    return {k: s[k] for k in ("foot", "shank", "thigh", "trunk", "ankle_height", "ankle_from_heel")}


def _chain(seg, shank, thigh, trunk) -> dict[str, np.ndarray]:
    """Joint positions (m) for segment angles in radians."""
    ankle = np.array([0.0, seg["ankle_height"]])
    knee = ankle + seg["shank"] * np.array([math.sin(shank), math.cos(shank)])
    hip = knee + seg["thigh"] * np.array([-math.cos(thigh), -math.sin(thigh)])
    shoulder = hip + seg["trunk"] * np.array([math.sin(trunk), math.cos(trunk)])
    heel = np.array([-seg["ankle_from_heel"], 0.0])
    return {
        "heel": heel,
        "toe": heel + np.array([seg["foot"], 0.0]),
        "ankle": ankle,
        "knee": knee,
        "hip": hip,
        "shoulder": shoulder,
    }


def _masses(body_kg: float, bar_kg: float) -> dict[str, float]:
    m = WINTER_SEGMENT_MASS
    return {
        "foot": 2 * m["foot"] * body_kg,
        "shank": 2 * m["shank"] * body_kg,
        "thigh": 2 * m["thigh"] * body_kg,
        "hat": m["hat"] * body_kg,
        "bar": bar_kg,
    }


def _segment_coms(p) -> dict[str, np.ndarray]:
    c = WINTER_SEGMENT_COM
    return {
        "foot": 0.5 * (p["heel"] + p["toe"]),
        "shank": p["knee"] + c["shank"] * (p["ankle"] - p["knee"]),
        "thigh": p["hip"] + c["thigh"] * (p["knee"] - p["hip"]),
        "hat": p["hip"] + c["hat"] * (p["shoulder"] - p["hip"]),
        "bar": p["shoulder"],
    }


def _com(p, masses, parts) -> np.ndarray:
    coms = _segment_coms(p)
    total = sum(masses[k] for k in parts)
    return sum(masses[k] * coms[k] for k in parts) / total


ALL = ("foot", "shank", "thigh", "hat", "bar")


def _solve_sin(f, lo_angle: float, hi_angle: float) -> float:
    """Angle whose sine makes the affine-in-sine balance error f zero (radians; NaN if none)."""
    f0, f1 = f(lo_angle), f(hi_angle)
    s0, s1 = math.sin(lo_angle), math.sin(hi_angle)
    if f1 == f0:
        return float("nan")
    s = s0 - f0 * (s1 - s0) / (f1 - f0)
    return math.asin(s) if -1.0 <= s <= 1.0 else float("nan")


def squat(
    dorsiflexion_limit_deg: float = math.inf,
    thigh_deg: float = 0.0,
    *,
    trunk_pref_deg: float = 0.0,
    stature_m: float = 1.75,
    body_kg: float = 75.0,
    bar_kg: float = 0.0,
    balance_at: float = 0.5,
) -> SquatPose:
    """The balanced squat for a depth and a dorsiflexion limit.

    Parameters
    ----------
    dorsiflexion_limit_deg : float
        Most forward tilt of the shank (dorsiflexion, foot flat) the ankle allows,
        degrees; ``inf`` = unlimited.
    thigh_deg : float
        Depth: thigh below horizontal, degrees (0 = parallel squat).
    trunk_pref_deg : float
        Trunk lean the squatter keeps when the ankle allows it, degrees (0 = upright).
    stature_m, body_kg, bar_kg : float
        Body height (segment lengths), body mass and bar load on the shoulders.
    balance_at : float
        Where the centre of mass must be, as a fraction of the foot from heel (0) to
        toe (1); 0.5 = mid-foot.

    Returns
    -------
    SquatPose
    """
    seg, masses = _lengths(stature_m), _masses(body_kg, bar_kg)
    heel_x = -seg["ankle_from_heel"]
    target = heel_x + balance_at * seg["foot"]
    alpha, beta = math.radians(thigh_deg), math.radians(trunk_pref_deg)

    def err_shank(s):
        return _com(_chain(seg, s, alpha, beta), masses, ALL)[0] - target

    needed = _solve_sin(err_shank, 0.0, math.pi / 2)
    needed = math.inf if not math.isfinite(needed) else math.degrees(needed)
    allowed = min(float(dorsiflexion_limit_deg), ANKLE_MAX_DEG)
    shank, limited = math.radians(min(needed, allowed)), needed > allowed
    if limited:

        def err_trunk(b):
            return _com(_chain(seg, shank, alpha, b), masses, ALL)[0] - target

        beta = _solve_sin(err_trunk, 0.0, math.pi / 2)
    feasible = math.isfinite(shank) and math.isfinite(beta)
    return _loads(seg, masses, shank, alpha, beta, limited, feasible)


def _loads(seg, masses, shank, alpha, beta, limited, feasible) -> SquatPose:
    nan = float("nan")
    if not feasible:
        return SquatPose(
            {}, math.degrees(shank), math.degrees(alpha), nan, limited, False, nan, nan, nan, nan
        )
    p = _chain(seg, shank, alpha, beta)
    above_knee, above_hip = ("thigh", "hat", "bar"), ("hat", "bar")
    knee_arm = float(p["knee"][0] - _com(p, masses, above_knee)[0])
    hip_arm = float(_com(p, masses, above_hip)[0] - p["hip"][0])
    w_knee = G * sum(masses[k] for k in above_knee) / 2  # per leg
    w_hip = G * sum(masses[k] for k in above_hip) / 2
    p["com"] = _com(p, masses, ALL)
    return SquatPose(
        p,
        math.degrees(shank),
        math.degrees(alpha),
        math.degrees(beta),
        limited,
        True,
        knee_arm,
        hip_arm,
        w_knee * knee_arm,
        w_hip * hip_arm,
    )


def knee_over_toe_deg(stature_m: float = 1.75) -> float:
    """Shank tilt (degrees) that puts the knee straight above the toe, foot flat.

    Fry et al. 2003 restricted the squat by stopping the knees at a board in front of the
    toes; in this model that is a dorsiflexion limit of asin(toe ahead of ankle / shank).
    """
    seg = _lengths(stature_m)
    return math.degrees(math.asin((seg["foot"] - seg["ankle_from_heel"]) / seg["shank"]))


def required_dorsiflexion(thigh_deg: float = 0.0, **kwargs) -> float:
    """Dorsiflexion (shank tilt, degrees) a squat to this depth needs at the preferred trunk lean.

    Keyword arguments as :func:`squat`; ``inf`` when no shank tilt below 90° balances it
    (the trunk must lean whatever the ankle allows).
    """
    seg, masses = (
        _lengths(kwargs.get("stature_m", 1.75)),
        _masses(kwargs.get("body_kg", 75.0), kwargs.get("bar_kg", 0.0)),
    )
    target = -seg["ankle_from_heel"] + kwargs.get("balance_at", 0.5) * seg["foot"]
    alpha, beta = math.radians(thigh_deg), math.radians(kwargs.get("trunk_pref_deg", 0.0))
    s = _solve_sin(
        lambda sh: _com(_chain(seg, sh, alpha, beta), masses, ALL)[0] - target, 0.0, math.pi / 2
    )
    return math.degrees(s) if math.isfinite(s) else math.inf


def sweep(limits_deg, thigh_deg: float = 0.0, **kwargs):
    """:func:`squat` over a range of dorsiflexion limits, as a pandas DataFrame.

    Columns: ``df_limit_deg``, ``shank_deg``, ``trunk_deg``, ``knee_arm_cm``,
    ``hip_arm_cm``, ``knee_moment_nm``, ``hip_moment_nm``, ``hip_share_pct``, ``feasible``.
    """
    import pandas as pd

    rows = []
    for lim in np.asarray(limits_deg, float):
        s = squat(float(lim), thigh_deg, **kwargs)
        rows.append(
            {
                "df_limit_deg": float(lim),
                "shank_deg": s.shank_deg,
                "trunk_deg": s.trunk_deg,
                "knee_arm_cm": 100 * s.knee_arm_m,
                "hip_arm_cm": 100 * s.hip_arm_m,
                "knee_moment_nm": s.knee_moment_nm,
                "hip_moment_nm": s.hip_moment_nm,
                "hip_share_pct": 100 * s.hip_share,
                "feasible": s.feasible,
            }
        )
    return pd.DataFrame(rows)
