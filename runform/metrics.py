"""Clip-level running metrics, each with its uncertainty, from the step table.

The per-step rows come from :func:`runform.steps.step_table` (re-exported here). Timing
metrics carry the frame-rate quantisation (one frame = ``1000 / fps`` ms; each event ±½
frame, so a contact time is off by up to ±1 frame) and a 95 % confidence interval over
steps. Per-step contact and flight times are flagged as unreliable below 120 fps.
Foot-strike classification follows Altman & Davis 2012 (Gait Posture 35:298) with an
"uncertain" band of ±2.5° around each threshold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from .clip import Clip
from .kinematics import angles as angle_table
from .oscillation import OSCILLATION_NOTE, vertical_oscillation
from .reference import (
    LEG_PER_STATURE,
    PER_STEP_TIMING_FPS,
    contact_time_error_text,
    thigh_speed_error_text,
)
from .steps import step_table
from .strike import (
    FootStrike,
    _clip_strike_type,
    _strike_band,
    classify_strike,
)

__all__ = [
    "FootStrike",
    "Metric",
    "StepSummary",
    "classify_strike",
    "clip_metrics",
    "step_table",
    "summarise",
]

#: Fewest strides (initial contact to the same foot's next) a cadence is read from: one
#: stride's time carries both its contacts' timing errors with nothing to average them
#: (a MediaPipe IC is ~1 frame off, so one stride at 60 fps can read 5 % off: the
#: overground_crossing sample read −9.7 steps/min from its single stride), and a clip of
#: one or two stances is not a rhythm (issue 10: cadence is withheld for such clips).
MIN_CADENCE_STRIDES = 2
WITHHELD_CADENCE = (
    "withheld: needs at least two full strides (three plausible initial contacts "
    "of the same foot); one stride is too little to time a rhythm"
)
#: Why stride-based metrics are missing on a clip of one or two stances.
WITHHELD_STRIDE = (
    "withheld: needs at least one full stride (two plausible initial contacts "
    "of the same foot); this clip has too few contacts"
)


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
class StepSummary:
    """How many steps the clip-level metrics rest on, and how well each event is timed.

    Attributes
    ----------
    n_steps, n_excluded : int
        Contacts found, and those left out as implausible (``excluded`` in the steps).
    event_sd_ms : dict
        Mean IC/TO timing SD per foot, ms (``ic_sd_ms``/``to_sd_ms`` of the steps).
    far_foot_note : str
        What to keep in mind about the far foot's events ("" when the side is unknown).
    """

    n_steps: int
    n_excluded: int
    event_sd_ms: dict
    far_foot_note: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "n_steps": self.n_steps,
            "n_excluded": self.n_excluded,
            "event_sd_ms": {k: _num(v) for k, v in self.event_sd_ms.items()},
            "far_foot_note": self.far_foot_note,
        }


def _num(v):
    return None if v is None or not np.isfinite(v) else round(float(v), 4)


def summarise(
    values, resolution: float | None = None, note: str = "", per_step: bool | None = None
) -> Metric:
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


def _from_strides(values, resolution, note, per_step=None) -> Metric:
    """:func:`summarise` of a per-stride quantity, withheld like cadence below
    :data:`MIN_CADENCE_STRIDES` strides (a stride's two IC errors need others to average)."""
    m = summarise(values, resolution, note, per_step)
    if 0 < m.n_steps < MIN_CADENCE_STRIDES:
        return Metric(float("nan"), (float("nan"),) * 2, m.n_steps, None, WITHHELD_CADENCE)
    return m


def _trusted(steps):
    """Steps of the near foot (both feet when the near side is unknown), complete and
    not excluded as implausible (:func:`runform.plausibility.flag_steps`)."""
    s = steps[steps["complete"]] if "complete" in steps else steps
    s = s[~s["excluded"]] if "excluded" in s else s
    near = s[s["near"]]
    return near if len(near) >= 2 else s


def _cadence(trusted, frame: float) -> Metric:
    """Cadence from stride times (two steps per stride), or withheld with the reason."""
    stride = trusted["stride_ms"].to_numpy(float)
    stride = stride[np.isfinite(stride)]
    if len(stride) >= 3:  # a missed or split contact makes a stride half or double
        med = np.median(stride)
        stride = stride[(stride > 0.7 * med) & (stride < 1.3 * med)]
    st = summarise(stride)
    if st.n_steps < MIN_CADENCE_STRIDES:
        return Metric(float("nan"), (float("nan"),) * 2, st.n_steps, None, WITHHELD_CADENCE)
    # cadence = 2 steps per mean stride (the mean of reciprocals would be biased)
    return Metric(
        120000.0 / st.value,
        tuple(120000.0 / v if v else float("nan") for v in st.ci95[::-1]),
        st.n_steps,
        round(float(120000.0 * frame / st.value**2 / np.sqrt(st.n_steps)), 3),
        note="steps per minute, from near-foot stride times",
    )


def _step_summary(steps, near_side) -> StepSummary:
    """Counts of steps and excluded steps, mean event SD per foot, far-foot note."""
    sd = {}
    for foot in ("left", "right"):
        sel = steps[steps["foot"] == foot] if len(steps) else steps
        sd[foot] = (
            float(np.nanmean(sel[["ic_sd_ms", "to_sd_ms"]].to_numpy()))
            if len(sel) and "ic_sd_ms" in sel
            else float("nan")
        )
    note = ""
    if near_side in ("left", "right"):
        far = "right" if near_side == "left" else "left"
        note = (
            "far-foot events are read through the near leg's occlusion; clip-level "
            "timing uses the near foot"
        )
        if np.isfinite(sd[far]) and np.isfinite(sd[near_side]) and sd[far] > 1.5 * sd[near_side]:
            note = (
                f"far ({far}) foot events: ±{sd[far]:.0f} ms vs ±{sd[near_side]:.0f} ms "
                "for the near foot; its landmarks are partly hidden, so clip-level "
                "timing uses the near foot"
            )
    n_ex = int(steps["excluded"].sum()) if "excluded" in steps else 0
    return StepSummary(len(steps), n_ex, sd, note)


#: How the clip's step time is read from the near foot alone. A step ends at the *other*
#: foot's landing, and the far foot's landings are the least trustworthy events of a side
#: view (hidden behind the near leg; on the renders one read 56 ms early, turning a
#: 103 ms flight into 34 ms), so the clip's step and flight times come from the near
#: foot's strides and contacts, with the two steps of a stride taken as alike. The
#: per-step ``step_ms`` / ``flight_ms`` of steps.csv still use both feet.
NEAR_STEP_NOTE = "half the near foot's stride time: the far foot's landings are less trustworthy"
#: The flight-time counterpart of :data:`NEAR_STEP_NOTE`.
NEAR_FLIGHT_NOTE = (
    "half the near foot's stride minus its contact (the two steps of a stride taken as "
    "alike): the far foot's landings are less trustworthy"
)


def clip_metrics(clip: Clip, steps=None, *, height_cm: float | None = None) -> dict:
    """Clip-level metrics with uncertainty: name → :class:`Metric` (or :class:`FootStrike`).

    Cadence comes from stride times of each foot (two steps per stride), so a missed
    contact of the far foot cannot halve it. Timing metrics use the near foot's
    complete, plausible steps (step and flight time too: half its stride, and half its
    stride minus its contact, :data:`NEAR_STEP_NOTE`); stride-based metrics are withheld
    with the reason on a clip of one or two stances. ``step_summary``
    (:class:`StepSummary`) counts the steps and the excluded ones and gives the mean
    event timing SD per foot.
    """
    steps = step_table(clip, height_cm=height_cm) if steps is None else steps
    trusted = _trusted(steps)
    plausible = steps[steps["complete"] & ~steps["excluded"]] if len(steps) else steps
    standing = bool(len(steps)) and bool((steps["foot_strike_reference"] == "standing").all())
    fsa = summarise(
        trusted["foot_strike_angle_deg"],
        None,
        (
            "relative to the standing foot angle"
            if standing
            else "relative to the ground line: no standing trial, so the landmark "
            "line's own angle to the sole is unknown and the uncertain band is wider"
        )
        + "; raters reading 240 fps video agree to ~2.5° (Murray et al. 2019, Sports 7:8), "
        "and on rendered runners runform read −4.4 to +4.5° from the truth",
    )
    band = _strike_band(standing)
    out = _timing_metrics(clip, trusted)
    out["foot_strike"] = FootStrike(
        _clip_strike_type(fsa, band), fsa, "standing" if standing else "ground", band
    )
    out["step_summary"] = _step_summary(steps, clip.near_side)
    for col in (
        "shank_angle_ic_deg",
        "knee_flexion_ic_deg",
        "knee_flexion_peak_stance_deg",
        "dorsiflexion_peak_stance_deg",
        "overstride_leg",
        "overstride_cm",
    ):
        if col in trusted:
            out[col] = summarise(trusted[col])
    out.update(_swing_metrics(clip, trusted))
    out.update(_oscillation_metrics(clip, plausible, height_cm))
    return out


def _timing_metrics(clip: Clip, trusted) -> dict:
    """Cadence, step, stride, contact and flight time and duty factor, each a Metric."""
    frame = clip.frame_ms
    per_step_ok = clip.fps >= PER_STEP_TIMING_FPS
    tnote = f"±{frame:.0f} ms per step at {clip.fps:g} fps; " + (
        "per-step values are reliable"
        if per_step_ok
        else "per-step values are NOT reliable below 120 fps: read the mean and its CI"
    )
    duty = trusted["contact_ms"] / trusted["stride_ms"]
    out = {
        "cadence_spm": _cadence(trusted, frame),
        "step_time_ms": _from_strides(trusted["stride_ms"] / 2, frame, NEAR_STEP_NOTE),
        "stride_time_ms": summarise(trusted["stride_ms"], frame),
        "contact_time_ms": summarise(
            trusted["contact_ms"], frame, tnote + _contact_bias_note(clip), per_step_ok
        ),
        "flight_time_ms": _from_strides(
            trusted["stride_ms"] / 2 - trusted["contact_ms"],
            frame,
            f"{tnote}; {NEAR_FLIGHT_NOTE}",
            per_step_ok,
        ),
        "duty_factor": summarise(
            duty,
            frame / np.nanmedian(trusted["stride_ms"]) if duty.notna().any() else None,
            "contact time / stride time",
        ),
    }
    for key in ("step_time_ms", "stride_time_ms", "flight_time_ms", "duty_factor"):
        if out[key].n_steps == 0:
            out[key] = replace(out[key], note=WITHHELD_STRIDE)
    return out


def _contact_bias_note(clip: Clip) -> str:
    """On video, how far mean contact times read on rendered runners (else nothing)."""
    if clip.provenance.get("kind") != "video":
        return ""
    return (
        f"; on rendered runners the mean from video read {contact_time_error_text()} "
        "(the pose model's feet touch down early)"
    )


def _swing_metrics(clip: Clip, trusted) -> dict:
    """Hip extension (thigh behind vertical), crank speed and trunk lean per stride."""
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
        # the forward swing's peak speed comes ~190-240 ms after toe-off (mid-swing):
        # searched over the whole swing, toe-off to the same foot's next contact
        swing = (t >= r.to_s) & (t <= r.ic_s + r.stride_ms / 1000)
        vel = np.gradient(thigh, t)
        ok = swing & np.isfinite(vel)
        crank.append(np.max(vel[ok]) if r.stride_ms > 0 and ok.sum() >= 3 else np.nan)
    return {
        "peak_hip_extension_deg": summarise(ext, note="thigh behind vertical"),
        "hip_extension_timing_ms": summarise(
            timing, clip.frame_ms, "peak extension relative to toe-off"
        ),
        "thigh_angular_velocity_deg_s": summarise(crank, note=_thigh_speed_note(clip)),
        "trunk_lean_deg": summarise(lean, note="mean over each stride"),
    }


def _thigh_speed_note(clip: Clip) -> str:
    """What the peak thigh speed is, and on video how far it read on rendered runners."""
    note = "the thigh's fastest forward swing, toe-off to the next contact"
    if clip.provenance.get("kind") != "video":
        return note
    return (
        f"{note}; on rendered runners it read {thigh_speed_error_text()}: the hip and knee "
        "landmarks wobble as the knees pass, so compare a runner with themselves"
    )


def _oscillation_metrics(clip: Clip, steps, height_cm) -> dict:
    """Vertical oscillation per step in leg lengths (and cm with a height), with its CI."""
    osc = np.asarray(vertical_oscillation(clip, steps))
    out = {"vertical_oscillation_leg": summarise(osc, note=OSCILLATION_NOTE)}
    if height_cm:
        cm = osc * LEG_PER_STATURE * height_cm
        out["vertical_oscillation_cm"] = summarise(cm, note=OSCILLATION_NOTE)
    return out
