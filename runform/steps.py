"""The step table: one row per foot contact, with its timing and the angles that describe it.

Each row holds a contact's initial contact and toe-off, contact, step, stride and flight
times, the foot-strike angle and class (:mod:`runform.strike`), the shank, knee and ankle
angles at contact and in stance, and overstride; :func:`runform.plausibility.flag_steps`
marks the implausible ones. :mod:`runform.metrics` averages these rows into clip-level
metrics.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .events import detect_events
from .geometry import midpoint, normalise
from .ground import ground_tilt_deg
from .kinematics import angles as angle_table
from .landmarks import INDEX
from .orientation import leg_length_px
from .plausibility import flag_steps
from .reference import LEG_PER_STATURE
from .strike import strike_angle

__all__ = ["step_table"]


def _at(series: np.ndarray, t: np.ndarray, when: float) -> float:
    """Value of ``series`` at time ``when`` (linear interpolation, NaN-aware)."""
    ok = np.isfinite(series)
    if ok.sum() < 2 or not t[ok][0] <= when <= t[ok][-1]:
        return float("nan")
    return float(np.interp(when, t[ok], series[ok]))


def step_table(
    clip: Clip,
    events=None,
    *,
    height_cm: float | None = None,
    strike_clip: Clip | None = None,
    ground_clip: Clip | None = None,
):
    """One row per contact with its timing and the angles that describe it.

    Parameters
    ----------
    clip : Clip
        Cleaned, oriented clip.
    events : DataFrame, optional
        From :func:`runform.events.detect_events` (computed when omitted).
    height_cm : float, optional
        Runner's stature; converts overstride to cm.
    strike_clip : Clip, optional
        Clip whose foot angle gives the foot-strike angle: the cleaned but unfiltered
        landmarks (a low-pass filter blends the pre-contact angle with the fast slap
        that follows contact). Default: ``clip``.
    ground_clip : Clip, optional
        Clip whose heel and toe give the tilt of the ground line the strike angle is
        measured against (:func:`runform.ground.ground_tilt_deg`): :func:`runform.analyze`
        passes the filtered clip without the feet bridge, so the ground is fitted to
        measured foot positions, not interpolated ones. Default: ``clip``.

    Returns
    -------
    pandas.DataFrame
        Columns: foot, near, ic_s, to_s, contact_ms, step_ms (IC to the other foot's
        next IC), stride_ms (IC to the same foot's next IC), flight_ms,
        foot_strike_angle_deg and foot_strike_type (:mod:`runform.strike`; against the
        ground line, minus the standing foot angle when calibrated:
        foot_strike_reference "standing" or "ground"), shank_angle_ic_deg, knee_flexion_ic_deg,
        knee_flexion_peak_stance_deg, dorsiflexion_peak_stance_deg, overstride_leg
        (heel ahead of the hip midpoint at IC, leg lengths), overstride_cm when the
        stature is known, complete, ic_sd_ms / to_sd_ms / contact_sd_ms (timing SD,
        ms), ic_method / to_method (the rule that timed each event,
        :func:`runform.events.detect_events`) and flag / excluded_reason / excluded
        (:func:`runform.plausibility.flag_steps`).
    """
    import pandas as pd

    clip.require_oriented("step_table")
    ev = detect_events(clip) if events is None else events
    ang = angle_table(clip)
    foot = angle_table(strike_clip) if strike_clip is not None else ang
    t = clip.time
    xy = normalise(clip.xy, clip.direction)
    hip_x = midpoint(xy[:, INDEX["left_hip"], 0], xy[:, INDEX["right_hip"], 0])
    leg = leg_length_px(clip)
    slope = {s: ground_tilt_deg(ground_clip or clip, s) for s in ("left", "right")}
    standing = (strike_clip or clip).calibration.get("foot_deg") is not None
    ctx = {
        "t": t,
        "ang": ang,
        "foot": foot,
        "xy": xy,
        "hip_x": hip_x,
        "leg": leg,
        "slope": slope,
        "standing": standing,
    }
    ics = ev.sort_values("ic_s")
    rows = [_step_row(r, ics, ctx) for _, r in ics.iterrows()]
    df = pd.DataFrame(rows)
    if height_cm and len(df):
        df["overstride_cm"] = df["overstride_leg"] * LEG_PER_STATURE * height_cm
    # a step is a plausible step only when the other foot lands within one stride
    if len(df):
        bad = df["step_ms"] > 0.9 * df["stride_ms"]
        df.loc[bad, ["step_ms", "flight_ms"]] = np.nan
        df["contact_sd_ms"] = np.hypot(df["ic_sd_ms"], df["to_sd_ms"])
    return flag_steps(df)


def _step_row(r, ics, c: dict) -> dict:
    """One row of :func:`step_table` for contact ``r`` (``c``: the clip's shared arrays)."""
    s, t, ang = r.foot, c["t"], c["ang"]
    later = ics[ics.ic_s > r.ic_s]
    nxt_other = later[later.foot != s].ic_s.min() if len(later) else np.nan
    nxt_same = later[later.foot == s].ic_s.min() if len(later) else np.nan
    stance = (t >= r.ic_s) & (t <= r.to_s)
    row = {
        "foot": s,
        "near": bool(r.near),
        "ic_s": r.ic_s,
        "to_s": r.to_s,
        "contact_ms": r.contact_ms,
        "step_ms": 1000 * (nxt_other - r.ic_s),
        "stride_ms": 1000 * (nxt_same - r.ic_s),
        "flight_ms": 1000 * (nxt_other - r.to_s),
    }
    row.update(
        strike_angle(
            c["foot"][f"{s}_foot_angle_deg"].to_numpy(), t, r.ic_s, c["slope"][s], c["standing"]
        )
    )
    heel_x = _at(c["xy"][:, INDEX[f"{s}_heel"], 0], t, r.ic_s)
    row.update(
        {
            "shank_angle_ic_deg": _at(ang[f"{s}_shank_angle_deg"].to_numpy(), t, r.ic_s),
            "knee_flexion_ic_deg": _at(ang[f"{s}_knee_flexion_deg"].to_numpy(), t, r.ic_s),
            "knee_flexion_peak_stance_deg": _peak(ang[f"{s}_knee_flexion_deg"], stance),
            "dorsiflexion_peak_stance_deg": _peak(ang[f"{s}_ankle_dorsiflexion_deg"], stance),
            "overstride_leg": (heel_x - _at(c["hip_x"], t, r.ic_s)) / c["leg"],
            "complete": bool(r.complete),
            "ic_sd_ms": getattr(r, "ic_sd_ms", np.nan),
            "to_sd_ms": getattr(r, "to_sd_ms", np.nan),
            "ic_method": getattr(r, "ic_method", ""),
            "to_method": getattr(r, "to_method", ""),
        }
    )
    return row


def _peak(series, mask) -> float:
    v = np.asarray(series, float)[np.asarray(mask)]
    v = v[np.isfinite(v)]
    return float(v.max()) if len(v) else float("nan")
