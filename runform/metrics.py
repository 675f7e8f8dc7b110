"""Per-step and per-clip running metrics, each with its uncertainty.

Timing metrics carry the frame-rate quantisation (one frame = ``1000 / fps`` ms; each
event ±½ frame, so a contact time is off by up to ±1 frame; science.md §3) and a 95 %
confidence interval over steps. Per-step contact and flight times are flagged as
unreliable below 120 fps. Foot-strike classification follows Altman & Davis 2012
(science.md §2) with an "uncertain" band of ±2.5° around each threshold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .clip import Clip
from .events import detect_events
from .geometry import midpoint, normalise
from .ground import ground_tilt_deg
from .kinematics import angles as angle_table
from .landmarks import INDEX
from .orientation import leg_length_px
from .reference import (
    FFS_BELOW_DEG,
    LEG_PER_STATURE,
    PER_STEP_TIMING_FPS,
    RFS_ABOVE_DEG,
    UNCERTAIN_BAND_DEG,
)

__all__ = ["FootStrike", "Metric", "classify_strike", "clip_metrics", "step_table", "summarise"]



@dataclass(frozen=True)
class Metric:
    """One clip-level number with its uncertainty.

    Attributes
    ----------
    value : float
        Mean over steps (NaN when unknown).
    ci95 : tuple of float
        95 % confidence interval of the mean over steps ``(lo, hi)``; NaN when n < 2.
    n_steps : int
        Number of steps (or strides) it rests on.
    resolution : float or None
        Quantisation of a single measurement in the metric's unit (timing: one frame).
    note : str
        What to keep in mind when reading it.
    per_step_reliable : bool or None
        Timing metrics only: whether single steps can be trusted at this frame rate
        (:data:`runform.reference.PER_STEP_TIMING_FPS`); None for other metrics.
    """

    value: float
    ci95: tuple[float, float]
    n_steps: int
    resolution: float | None = None
    note: str = ""
    per_step_reliable: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ci95", tuple(float(v) for v in self.ci95))

    @property
    def known(self) -> bool:
        """True when the value is a finite number."""
        return bool(np.isfinite(self.value))

    def to_dict(self) -> dict:
        """JSON-ready dict (NaN becomes None; ``per_step_reliable`` only when set)."""
        d = asdict(self)
        d["value"] = _num(d["value"])
        d["ci95"] = [_num(v) for v in d["ci95"]]
        if d["per_step_reliable"] is None:
            del d["per_step_reliable"]
        return d


@dataclass(frozen=True)
class FootStrike:
    """The clip's foot-strike type and the angle it rests on.

    Attributes
    ----------
    type : {"rearfoot", "midfoot", "forefoot", "uncertain", "unknown"}
        Altman & Davis (2012) class of the mean foot-strike angle; "uncertain" when the
        mean's 95 % CI comes within the uncertain band of a threshold.
    angle : Metric
        Foot-strike angle, degrees, toe up positive, relative to the ground line.
    """

    type: str
    angle: Metric

    def to_dict(self) -> dict:
        """JSON-ready dict: ``type``, ``angle_deg`` and the angle's CI, n, note."""
        d = self.angle.to_dict()
        d.pop("value")
        return {"type": self.type, "angle_deg": _num(self.angle.value), **d}


def _num(v):
    return None if v is None or not np.isfinite(v) else round(float(v), 4)


def summarise(values, resolution: float | None = None, note: str = "",
              per_step: bool | None = None) -> Metric:
    """Mean and t-based 95 % CI of the finite values, as a :class:`Metric`."""
    from scipy import stats

    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return Metric(float("nan"), (float("nan"),) * 2, 0, resolution, note, per_step)
    m = float(v.mean())
    if len(v) < 2:
        return Metric(m, (float("nan"),) * 2, 1, resolution, note, per_step)
    half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return Metric(m, (m - half, m + half), len(v), resolution, note, per_step)


def classify_strike(angle_deg: float) -> str:
    """Foot-strike type from the foot-strike angle (toe up positive, degrees).

    Altman & Davis 2012: > 8.0° rearfoot, −1.6° to 8.0° midfoot, < −1.6° forefoot;
    within ±2.5° of a threshold the answer is "uncertain" (science.md §2).
    """
    if not np.isfinite(angle_deg):
        return "unknown"
    if any(abs(angle_deg - thr) <= UNCERTAIN_BAND_DEG for thr in (RFS_ABOVE_DEG, FFS_BELOW_DEG)):
        return "uncertain"
    if angle_deg > RFS_ABOVE_DEG:
        return "rearfoot"
    return "forefoot" if angle_deg < FFS_BELOW_DEG else "midfoot"


def _clip_strike_type(fsa: Metric) -> str:
    """Strike type of the clip: "uncertain" when the mean's 95 % CI reaches a threshold band.

    A clip-level label must hold for the runner, not just for the sample of steps: if
    the confidence interval of the mean angle comes within :data:`UNCERTAIN_BAND_DEG` of
    a threshold, the steps do not settle which side of it the runner is on.
    """
    kind = classify_strike(fsa.value)
    lo, hi = fsa.ci95
    if kind in ("unknown", "uncertain") or not (np.isfinite(lo) and np.isfinite(hi)):
        return kind
    for thr in (RFS_ABOVE_DEG, FFS_BELOW_DEG):
        if lo - UNCERTAIN_BAND_DEG <= thr <= hi + UNCERTAIN_BAND_DEG:
            return "uncertain"
    return kind


def _at(series: np.ndarray, t: np.ndarray, when: float) -> float:
    """Value of ``series`` at time ``when`` (linear interpolation, NaN-aware)."""
    ok = np.isfinite(series)
    if ok.sum() < 2 or not t[ok][0] <= when <= t[ok][-1]:
        return float("nan")
    return float(np.interp(when, t[ok], series[ok]))


def _before(series: np.ndarray, t: np.ndarray, when: float) -> float:
    """Value at the last frame at or before ``when`` (NaN if unknown).

    The foot-strike angle is read here rather than interpolated at IC: before
    touchdown the foot angle changes slowly, after it the foot slaps flat within a few
    tens of ms, so any sample after contact is biased towards a flatter foot.
    """
    k = int(np.searchsorted(t, when + 1e-9)) - 1
    return float(series[k]) if 0 <= k < len(series) and np.isfinite(series[k]) else float("nan")


def step_table(clip: Clip, events=None, *, height_cm: float | None = None,
               strike_clip: Clip | None = None):
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

    Returns
    -------
    pandas.DataFrame
        Columns: foot, near, ic_s, to_s, contact_ms, step_ms (IC to the other foot's
        next IC), stride_ms (IC to the same foot's next IC), flight_ms,
        foot_strike_angle_deg (relative to the fitted ground line and the standing
        calibration), foot_strike_type, shank_angle_ic_deg, knee_flexion_ic_deg,
        knee_flexion_peak_stance_deg, dorsiflexion_peak_stance_deg,
        overstride_leg (heel ahead of the hip midpoint at IC, leg lengths) and
        overstride_cm when the stature is known.
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
    slope = {s: ground_tilt_deg(clip, s) for s in ("left", "right")}
    rows = []
    ics = ev.sort_values("ic_s")
    for _, r in ics.iterrows():
        s = r.foot
        later = ics[ics.ic_s > r.ic_s]
        nxt_other = later[later.foot != s].ic_s.min() if len(later) else np.nan
        nxt_same = later[later.foot == s].ic_s.min() if len(later) else np.nan
        stance = (t >= r.ic_s) & (t <= r.to_s)
        fsa = _before(foot[f"{s}_foot_angle_deg"].to_numpy(), t, r.ic_s) - slope[s]
        heel_x = _at(xy[:, INDEX[f"{s}_heel"], 0], t, r.ic_s)
        over = (heel_x - _at(hip_x, t, r.ic_s)) / leg
        rows.append({
            "foot": s, "near": bool(r.near), "ic_s": r.ic_s, "to_s": r.to_s,
            "contact_ms": r.contact_ms,
            "step_ms": 1000 * (nxt_other - r.ic_s),
            "stride_ms": 1000 * (nxt_same - r.ic_s),
            "flight_ms": 1000 * (nxt_other - r.to_s),
            "foot_strike_angle_deg": fsa, "foot_strike_type": classify_strike(fsa),
            "shank_angle_ic_deg": _at(ang[f"{s}_shank_angle_deg"].to_numpy(), t, r.ic_s),
            "knee_flexion_ic_deg": _at(ang[f"{s}_knee_flexion_deg"].to_numpy(), t, r.ic_s),
            "knee_flexion_peak_stance_deg": _peak(ang[f"{s}_knee_flexion_deg"], stance),
            "dorsiflexion_peak_stance_deg": _peak(ang[f"{s}_ankle_dorsiflexion_deg"], stance),
            "overstride_leg": over,
            "complete": bool(r.complete),
        })
    df = pd.DataFrame(rows)
    if height_cm and len(df):
        df["overstride_cm"] = df["overstride_leg"] * LEG_PER_STATURE * height_cm
    # a step is a plausible step only when the other foot lands within one stride
    if len(df):
        bad = df["step_ms"] > 0.9 * df["stride_ms"]
        df.loc[bad, ["step_ms", "flight_ms"]] = np.nan
    return df


def _peak(series, mask) -> float:
    v = np.asarray(series, float)[np.asarray(mask)]
    v = v[np.isfinite(v)]
    return float(v.max()) if len(v) else float("nan")


def _trusted(steps):
    """Steps of the near foot (both feet when the near side is unknown), complete only."""
    s = steps[steps["complete"]] if "complete" in steps else steps
    near = s[s["near"]]
    return near if len(near) >= 2 else s


def clip_metrics(clip: Clip, steps=None, *, height_cm: float | None = None) -> dict:
    """Clip-level metrics with uncertainty: name → :class:`Metric` (or :class:`FootStrike`).

    Cadence comes from stride times of each foot (two steps per stride), so a missed
    contact of the far foot cannot halve it. Timing metrics use the near foot.
    """
    steps = step_table(clip, height_cm=height_cm) if steps is None else steps
    frame = clip.frame_ms
    trusted = _trusted(steps)
    stride = trusted["stride_ms"].to_numpy(float)
    stride = stride[np.isfinite(stride)]
    if len(stride) >= 3:  # a missed or split contact makes a stride half or double
        med = np.median(stride)
        stride = stride[(stride > 0.7 * med) & (stride < 1.3 * med)]
    st = summarise(stride)
    # cadence = 2 steps per mean stride (the mean of reciprocals would be biased)
    cad = Metric(120000.0 / st.value if st.n_steps else float("nan"),
                 tuple(120000.0 / v if v else float("nan") for v in st.ci95[::-1]), st.n_steps,
                 round(float(120000.0 * frame / st.value ** 2 / np.sqrt(st.n_steps)), 3)
                 if st.n_steps else None,
                 note="steps per minute, from near-foot stride times")
    per_step_ok = clip.fps >= PER_STEP_TIMING_FPS
    tnote = (f"±{frame:.0f} ms per step at {clip.fps:g} fps; " +
             ("per-step values are reliable" if per_step_ok else
              "per-step values are NOT reliable below 120 fps: read the mean and its CI"))
    ct = summarise(trusted["contact_ms"], frame, tnote, per_step_ok)
    ft = summarise(trusted["flight_ms"], frame, tnote, per_step_ok)
    duty = summarise(trusted["contact_ms"] / trusted["stride_ms"], frame / np.nanmedian(
        trusted["stride_ms"]) if len(trusted) else None, "contact time / stride time")
    fsa = summarise(trusted["foot_strike_angle_deg"], None,
                    "relative to the ground line; 2D video error is ~2.5° (science.md §2)")
    out = {
        "cadence_spm": cad,
        "step_time_ms": summarise(steps["step_ms"], frame),
        "stride_time_ms": summarise(steps["stride_ms"], frame),
        "contact_time_ms": ct,
        "flight_time_ms": ft,
        "duty_factor": duty,
        "foot_strike": FootStrike(_clip_strike_type(fsa), fsa),
    }
    for col in ("shank_angle_ic_deg", "knee_flexion_ic_deg", "knee_flexion_peak_stance_deg",
                "dorsiflexion_peak_stance_deg", "overstride_leg", "overstride_cm"):
        if col in trusted:
            out[col] = summarise(trusted[col])
    out.update(_swing_metrics(clip, trusted, height_cm))
    return out


def _swing_metrics(clip: Clip, trusted, height_cm) -> dict:
    """Hip extension (thigh behind vertical), crank speed, trunk lean, vertical oscillation."""
    ang = angle_table(clip)
    t = clip.time
    ext, timing, crank, lean = [], [], [], []
    trunk = ang["trunk_lean_deg"].to_numpy()
    for _, r in trusted.iterrows():
        step = (t >= r.ic_s) & (t < r.ic_s + (r.stride_ms / 1000 if r.stride_ms > 0 else 0))
        if step.any() and np.isfinite(trunk[step]).any():
            lean.append(float(np.nanmean(trunk[step])))
        thigh = ang[f"{r.foot}_thigh_angle_deg"].to_numpy()
        win = (t >= r.ic_s) & (t <= r.to_s + 0.15)
        if win.sum() < 3 or not np.isfinite(thigh[win]).any():
            continue
        i = np.flatnonzero(win)[int(np.nanargmin(thigh[win]))]
        ext.append(-thigh[i])
        timing.append(1000 * (t[i] - r.to_s))
        vel = np.gradient(thigh, t)
        crank.append(np.nanmax(vel[win]) if np.isfinite(vel[win]).any() else np.nan)
    xy = normalise(clip.xy, clip.direction)
    hip_y = midpoint(xy[:, INDEX["left_hip"], 1], xy[:, INDEX["right_hip"], 1])
    osc_leg = (np.nanpercentile(hip_y, 95) - np.nanpercentile(hip_y, 5)) / leg_length_px(clip)
    osc_note = ("hip-midpoint 5th-95th percentile range over the clip; includes landmark "
                "jitter, not validated against a reference")
    out = {
        "peak_hip_extension_deg": summarise(ext, note="thigh behind vertical"),
        "hip_extension_timing_ms": summarise(timing, clip.frame_ms,
                                             "peak extension relative to toe-off"),
        "thigh_angular_velocity_deg_s": summarise(crank, note="peak forward swing"),
        "trunk_lean_deg": summarise(lean, note="mean over each stride"),
        "vertical_oscillation_leg": Metric(osc_leg, (float("nan"),) * 2, len(trusted),
                                           note=osc_note),
    }
    if height_cm:
        out["vertical_oscillation_cm"] = Metric(osc_leg * LEG_PER_STATURE * height_cm,
                                                (float("nan"),) * 2, len(trusted),
                                                note=osc_note)
    return out
