"""Ankle dorsiflexion for the teaching notebooks: the drawn ankle and the knee-to-wall test.

Two pieces of geometry, both checkable with a ruler and a protractor:

* :func:`ankle_points` places a knee, ankle, heel and toe so that runform's ankle angle
  (:data:`runform.kinematics.ANGLES`: 0° with the heel→toe line perpendicular to the
  shank, dorsiflexion +) equals the angle asked for. The notebooks draw it.
* The knee-to-wall (weight-bearing lunge) test. With the foot flat, the heel down and the
  knee touching the wall, the shank leans forward from vertical by the tibial inclination

      θ = asin((d + a) / L),

  where d is the toe–wall distance, a the distance along the floor from the toe to the
  ankle axis and L the distance from the ankle axis to the point of the knee touching the
  wall (about the shank length). With the foot flat, θ is the dorsiflexion of the lunge.
  The relation is not linear: dθ/dd = 1 / (L cos θ) radians per unit length, so a
  centimetre is worth 1.4–2.1° for adult proportions, not one fixed slope. A straight
  line through real data cannot be steeper than SD(angle) / SD(distance) ≈ 4.6° / 3.0 cm
  ≈ 1.5°/cm (Hall EA, Docherty CL 2017, J Sci Med Sport 20:618, n = 50).

Lengths are centimetres, angles degrees. Norms and the smallest real change come from
:mod:`runform.reference`.
"""

from __future__ import annotations

import math

import numpy as np

from ..reference import KNEE_TO_WALL_MDC, NORMS

__all__ = [
    "TOE_TO_ANKLE_PER_FOOT",
    "ankle_points",
    "knee_to_wall_angle",
    "knee_to_wall_distance",
    "knee_to_wall_slope",
    "knee_to_wall_z",
    "seed_pass_band",
    "stance_dorsiflexion",
]

#: Distance from the toe to the ankle axis along the floor as a fraction of foot length:
#: the ankle sits a quarter of the foot length in front of the back of the heel, the
#: proportion runform's simulated runner uses (Winter DA 2009, Biomechanics and Motor
#: Control of Human Movement, 4th ed., Fig. 4.1). A 26 cm foot gives a ≈ 19.5 cm.
TOE_TO_ANKLE_PER_FOOT = 0.75
#: One inch in centimetres (the seed article gives the knee-to-wall distance in inches).
INCH_CM = 2.54


def _check_lengths(foot_cm: float, shank_cm: float) -> tuple[float, float]:
    foot_cm, shank_cm = float(foot_cm), float(shank_cm)
    if not (foot_cm > 0 and shank_cm > 0):
        raise ValueError(f"foot and shank lengths must be positive, got {foot_cm}, {shank_cm}")
    return TOE_TO_ANKLE_PER_FOOT * foot_cm, shank_cm


def knee_to_wall_angle(distance_cm, foot_cm: float = 26.0, shank_cm: float = 43.0):
    """Tibial inclination (= lunge dorsiflexion) for a toe–wall distance, degrees.

    Parameters
    ----------
    distance_cm : float or array_like
        Distance from the big toe to the wall with the knee touching it, cm (≥ 0).
    foot_cm : float
        Foot length, heel to toe, cm; the toe → ankle-axis distance is
        :data:`TOE_TO_ANKLE_PER_FOOT` of it.
    shank_cm : float
        Ankle axis to the point of the knee touching the wall, cm (about the shank).

    Returns
    -------
    float or ndarray
        θ = asin((d + a) / L) in degrees, forward lean of the shank from vertical;
        NaN where d + a > L (the knee cannot reach the wall).
    """
    a, length = _check_lengths(foot_cm, shank_cm)
    s = (np.asarray(distance_cm, float) + a) / length
    with np.errstate(invalid="ignore"):
        out = np.degrees(np.arcsin(np.where(s <= 1.0, s, np.nan)))
    return float(out) if out.ndim == 0 else out


def knee_to_wall_distance(angle_deg, foot_cm: float = 26.0, shank_cm: float = 43.0):
    """Toe–wall distance that a lunge dorsiflexion allows, cm: d = L sin θ − a.

    The inverse of :func:`knee_to_wall_angle` (same parameters); may be negative for a
    small angle (the knee would need the toe past the wall).
    """
    a, length = _check_lengths(foot_cm, shank_cm)
    out = length * np.sin(np.radians(np.asarray(angle_deg, float))) - a
    return float(out) if out.ndim == 0 else out


def knee_to_wall_slope(distance_cm, foot_cm: float = 26.0, shank_cm: float = 43.0):
    """Degrees of lunge dorsiflexion per centimetre at a toe–wall distance, °/cm.

    dθ/dd = 1 / (L cos θ), converted to degrees; NaN where the knee cannot reach.
    """
    _, length = _check_lengths(foot_cm, shank_cm)
    theta = np.radians(knee_to_wall_angle(distance_cm, foot_cm, shank_cm))
    out = np.degrees(1.0 / (length * np.cos(theta)))
    return float(out) if np.ndim(out) == 0 else out


def knee_to_wall_z(distance_cm) -> float:
    """Standard score of a knee-to-wall distance among healthy adults.

    Against 10.3 ± 3.0 cm (Hall & Docherty 2017, n = 50); z = (d − mean) / SD.
    """
    n = NORMS["knee_to_wall_cm"]
    return (float(distance_cm) - n.mean) / n.sd


def seed_pass_band(inches=(3.0, 5.0)) -> dict:
    """Where the seed article's "big toe 3–5 inches from the wall" sits among norms.

    Returns
    -------
    dict
        ``cm`` (the two distances), ``z`` (standard scores vs Hall & Docherty 2017),
        ``percentile`` (normal approximation, %) and ``mdc_cm`` (between-rater smallest
        real change, Powden et al. 2015).
    """
    cm = tuple(INCH_CM * float(i) for i in inches)
    z = tuple(knee_to_wall_z(c) for c in cm)
    pct = tuple(50.0 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in z)
    return {"cm": cm, "z": z, "percentile": pct, "mdc_cm": KNEE_TO_WALL_MDC["between_raters_cm"]}


def ankle_points(
    dorsiflexion_deg: float,
    shank_cm: float = 43.0,
    foot_cm: float = 26.0,
    shank_lean_deg: float = 0.0,
) -> dict[str, np.ndarray]:
    """Knee, ankle, heel and toe of a drawn ankle with a given dorsiflexion, cm.

    The foot rotates about the ankle; the shank leans ``shank_lean_deg`` forward of
    vertical (facing +X, Y up). The heel → toe line makes 90° − dorsiflexion with the
    ankle → knee line, so :func:`runform.kinematics.sagittal_angles` of these points
    returns ``dorsiflexion_deg`` (positive = toes towards the shin).

    Returns
    -------
    dict of str to ndarray, shape (2,)
        ``knee``, ``ankle``, ``heel``, ``foot_index`` (toe) in cm, ankle at the origin.
    """
    lean = math.radians(float(shank_lean_deg))
    up = np.array([math.sin(lean), math.cos(lean)])  # ankle → knee, knee ahead when leaning
    knee = float(shank_cm) * up
    # foot direction: the "up" direction turned clockwise by 90° − DF (toes forward)
    turn = math.radians(90.0 - float(dorsiflexion_deg))
    c, s = math.cos(turn), math.sin(turn)
    foot_dir = np.array([c * up[0] + s * up[1], -s * up[0] + c * up[1]])
    heel = -(1.0 - TOE_TO_ANKLE_PER_FOOT) * float(foot_cm) * foot_dir
    toe = heel + float(foot_cm) * foot_dir
    # the heel and toe landmarks sit below the ankle centre: drop the sole line a little
    drop = 0.25 * (1.0 - TOE_TO_ANKLE_PER_FOOT) * float(foot_cm)
    below = np.array([foot_dir[1], -foot_dir[0]]) * drop
    return {"knee": knee, "ankle": np.zeros(2), "heel": heel + below, "foot_index": toe + below}


def stance_dorsiflexion(time_s, dorsiflexion_deg, events, foot: str):
    """Dorsiflexion at initial contact and its stance peak, one row per contact.

    Parameters
    ----------
    time_s, dorsiflexion_deg : array_like
        Frame times (s) and the ankle angle (degrees, + dorsiflexion), e.g. an
        Analysis's ``time_s`` and ``<side>_ankle_dorsiflexion_deg``.
    events : DataFrame
        Contacts with ``foot``, ``ic_s``, ``to_s``.
    foot : {"left", "right"}
        Whose contacts.

    Returns
    -------
    pandas.DataFrame
        ``ic_s``, ``to_s``, ``df_ic_deg`` (at IC, interpolated), ``df_peak_deg`` (largest
        value from IC to TO), ``peak_after_ic_ms`` and ``peak_pct`` (its time in % of
        the stance phase); contacts with fewer than 4 known frames are dropped.
    """
    import pandas as pd

    t, a = np.asarray(time_s, float), np.asarray(dorsiflexion_deg, float)
    ev = events[events["foot"] == foot].sort_values("ic_s")
    rows = []
    for ic, to in zip(ev["ic_s"].to_numpy(float), ev["to_s"].to_numpy(float), strict=True):
        k = np.flatnonzero((t >= ic) & (t <= to) & np.isfinite(a))
        if len(k) < 4 or ic < t[0] or to > t[-1]:
            continue
        i = k[np.argmax(a[k])]
        rows.append(
            {
                "ic_s": ic,
                "to_s": to,
                "df_ic_deg": float(np.interp(ic, t[k], a[k])),
                "df_peak_deg": float(a[i]),
                "peak_after_ic_ms": 1000.0 * (t[i] - ic),
                "peak_pct": 100.0 * (t[i] - ic) / (to - ic),
            }
        )
    return pd.DataFrame(rows)
