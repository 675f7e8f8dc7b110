"""Foot strike, reaching, and the coached runner's three strides (numbers behind notebook 03).

Everything here reads an :class:`runform.Analysis` (or the simulated runner) and returns
numbers with units and uncertainties; drawing lives in :mod:`runform.widgets.footstrike`.

Sign conventions are runform's (``docs/conventions.md``): foot-strike angle toe up +,
shank angle + ankle ahead of the knee, overstride + heel ahead of the hips.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..model import strides as _strides

__all__ = [
    "COACHED_STRIDES",
    "STRIDE_MEASURES",
    "change_table",
    "coached_params",
    "foot_line",
    "ic_offset_ms",
    "metric_text",
    "model_truth",
    "stride_measures",
    "stride_table",
    "strike_frames",
    "typical_step",
]

#: The coached runner's three strides: sample name → RunnerParams (defined once, in
#: :mod:`runform.model.strides`; the rendered samples of the same names use them).
COACHED_STRIDES = _strides.COACHED_STRIDES

#: Measures compared across strides: key → (label, unit).
STRIDE_MEASURES = {
    "foot_strike_angle_deg": ("foot-strike angle (toe up +)", "°"),
    "shank_angle_ic_deg": ("shank angle at contact", "°"),
    "overstride_cm": ("heel ahead of the hips at contact", "cm"),
    "step_length_m": ("step length", "m"),
    "cadence_spm": ("cadence", "steps/min"),
    "contact_time_ms": ("contact time", "ms"),
    "vertical_oscillation_cm": ("vertical oscillation of the hips", "cm"),
}


def coached_params(name: str):
    """:class:`~runform.model.RunnerParams` of one coached stride.

    From the sample registry when the rendered clip ``name`` is registered (the
    parameters it was rendered with), else from :data:`COACHED_STRIDES`.
    """
    from .. import data
    from ..model import RunnerParams

    if name in data.names():
        runner = dict(data.sample(name).params.get("runner", {}))
        runner.pop("strike_angle_deg_used", None)
        if runner:
            return RunnerParams(**runner)
    if name not in COACHED_STRIDES:
        raise KeyError(f"{name!r} is not a coached stride; known: {', '.join(COACHED_STRIDES)}")
    return COACHED_STRIDES[name]


def strike_frames(result):
    """The near foot's contacts with the frame at which the strike angle is read.

    Returns
    -------
    pandas.DataFrame
        ``ic_s`` (s), ``frame`` (last frame at or before initial contact, where runform
        reads the foot-strike angle), ``foot_strike_angle_deg`` and ``foot_strike_type``;
        steps runform excluded are left out.
    """
    steps = result.steps
    ok = steps["near"].astype(bool)
    if "excluded" in steps:
        ok &= ~steps["excluded"].astype(bool)
    out = steps.loc[ok, ["ic_s", "foot_strike_angle_deg", "foot_strike_type"]].copy()
    t = result.clip.time
    out.insert(1, "frame", np.searchsorted(t, out["ic_s"].to_numpy() + 1e-9) - 1)
    return out[out["frame"] >= 0].reset_index(drop=True)


def typical_step(result):
    """The near-foot step whose strike angle is closest to the clip's mean (a row).

    The picture of "this runner's strike": a single frame can be an outlier (a
    landmark off by a few pixels on a small foot), the clip mean is what runform reports.
    """
    frames = strike_frames(result)
    if frames.empty:
        raise ValueError("no near-foot contact with a strike angle in this clip")
    mean = result.metrics["foot_strike"].angle.value
    k = int(np.nanargmin(np.abs(frames["foot_strike_angle_deg"].to_numpy() - mean)))
    return frames.iloc[k]


def foot_line(result, frame: int, strike_deg: float) -> dict:
    """Heel and toe landmarks at ``frame`` and the reference line of the strike angle.

    Parameters
    ----------
    result : Analysis
    frame : int
        Video frame (e.g. from :func:`strike_frames`).
    strike_deg : float
        runform's foot-strike angle of that step, degrees (toe up +).

    Returns
    -------
    dict
        ``heel``, ``toe`` (image pixels, y down, MediaPipe's raw landmarks), ``foot_deg``
        (the heel→toe line's angle to image horizontal, toe up +, in the running
        direction), ``reference_deg`` (``foot_deg − strike_deg``: the line the strike
        angle is measured from, i.e. the ground under the foot and, with a standing
        trial, the standing foot) and ``forward`` (+1 runner faces image-right, −1
        left).
    """
    clip = result.raw
    side = result.clip.near_side or "left"
    forward = -1.0 if result.clip.direction == "left" else 1.0
    heel = clip.point(f"{side}_heel")[int(frame)]
    toe = clip.point(f"{side}_foot_index")[int(frame)]
    foot_deg = math.degrees(math.atan2(-(toe[1] - heel[1]), forward * (toe[0] - heel[0])))
    return {
        "heel": heel,
        "toe": toe,
        "foot_deg": foot_deg,
        "reference_deg": foot_deg - float(strike_deg),
        "forward": forward,
    }


def _ci_half(metric) -> float:
    lo, hi = metric.ci95
    return float((hi - lo) / 2) if np.isfinite(lo) and np.isfinite(hi) else float("nan")


def stride_measures(result, speed_mps: float) -> dict:
    """The seven measures of :data:`STRIDE_MEASURES` on one clip: key → (mean, ±95 %, n).

    Step length is the belt speed times the step time (a treadmill: the hips stay put),
    its uncertainty that of the step time. The others are runform's clip metrics with
    their 95 % CI (vertical oscillation: the hip midpoint's rise and fall within each
    step).
    """
    m = result.metrics
    out = {}
    fs = m["foot_strike"].angle
    out["foot_strike_angle_deg"] = (fs.value, _ci_half(fs), fs.n_steps)
    for key in (
        "shank_angle_ic_deg",
        "overstride_cm",
        "cadence_spm",
        "contact_time_ms",
        "vertical_oscillation_cm",
    ):
        metric = m[key]
        out[key] = (metric.value, _ci_half(metric), metric.n_steps)
    st = m["step_time_ms"]
    out["step_length_m"] = (
        speed_mps * st.value / 1000,
        speed_mps * _ci_half(st) / 1000,
        st.n_steps,
    )
    return {k: out[k] for k in STRIDE_MEASURES}


def model_truth(params, fps: float = 60.0, duration_s: float = 4.0) -> dict:
    """The exact values of :data:`STRIDE_MEASURES` for the simulated runner ``params``.

    Same keys and layout as :func:`stride_measures` (mean, half-width, n). From the
    parameters: strike angle, overstride (heel ahead of the hip *joint*), step length,
    cadence, contact time; from the simulated motion: the shank angle at each contact of
    the right foot and the hip midpoint's rise and fall within each step (IC to the next
    IC of either foot; the spread is that over steps, 0 when they repeat).
    """
    from ..model import events_table, simulate

    motion = simulate(params, fps=fps, duration_s=duration_s)
    tt, ev = motion.truth_table(), events_table(motion)
    ic = ev.loc[ev["foot"] == "right", "ic_s"].to_numpy()
    t = tt["time_s"].to_numpy()
    shank = np.interp(ic, t, tt["right_shank_angle_deg"].to_numpy())
    z = motion.joints["mid_hip"][:, 2]
    steps = np.sort(ev["ic_s"].to_numpy())
    bounce = [100 * np.ptp(z[(t >= a) & (t <= b)]) for a, b in itertools.pairwise(steps)]

    def spread(v):
        v = np.asarray(v, float)
        return float(v.mean()), float(1.96 * v.std(ddof=1) / math.sqrt(len(v))), len(v)

    n = len(ic)
    return {
        "foot_strike_angle_deg": (params.strike_angle_deg, 0.0, n),
        "shank_angle_ic_deg": spread(shank),
        "overstride_cm": (float(params.overstride_cm), 0.0, n),
        "step_length_m": (params.step_length_m, 0.0, n),
        "cadence_spm": (float(params.cadence_spm), 0.0, n),
        "contact_time_ms": (1000.0 * params.contact_s, 0.0, n),
        "vertical_oscillation_cm": spread(bounce),
    }


def ic_offset_ms(result, true_ic_s) -> tuple[float, int]:
    """How early (−) or late (+) runform finds the near foot's initial contacts, ms.

    Parameters
    ----------
    result : Analysis
    true_ic_s : array
        The true contact times of the near foot, s (a model's ``motion.ic_s[side]`` or a
        rendered sample's ``truth["events"][side]["ic_s"]``).

    Returns
    -------
    (median offset in ms, contacts compared)
        Each detected contact is paired with the nearest true one.
    """
    true = np.asarray(true_ic_s, float)
    det = strike_frames(result)["ic_s"].to_numpy()
    if not len(true) or not len(det):
        return float("nan"), 0
    gaps = [d - true[np.argmin(np.abs(true - d))] for d in det]
    return 1000.0 * float(np.median(gaps)), len(gaps)


def metric_text(value: float, half: float, unit: str, digits: int = 1) -> str:
    """``"12.3 ± 0.4 °"`` (NaN uncertainty shown as "± ?")."""
    u = f"± {half:.{digits}f}" if np.isfinite(half) else "± ?"
    sep = "" if unit == "°" else " "
    return f"{value:.{digits}f} {u}{sep}{unit}"


def stride_table(measures: dict):
    """A table for people: one row per measure, one column per stride ("mean ± 95 % CI").

    Parameters
    ----------
    measures : dict of str to dict
        Stride label → :func:`stride_measures` result.
    """
    import pandas as pd

    digits = {"step_length_m": 2, "cadence_spm": 0, "contact_time_ms": 0}
    rows = {}
    for key, (label, unit) in STRIDE_MEASURES.items():
        rows[f"{label} ({unit})"] = {
            name: metric_text(v[key][0], v[key][1], unit, digits.get(key, 1))
            for name, v in measures.items()
        }
    table = pd.DataFrame(rows).T
    table.columns.name = "mean ± half the 95 % CI"  # shown above the rows: not an SD
    return table


def change_table(measured: dict, exact: dict, pairs, keys=None):
    """Each change between two strides as runform reads it beside the true change.

    Parameters
    ----------
    measured, exact : dict of str to dict
        Stride label → :func:`stride_measures` (runform) and :func:`model_truth` (truth).
    pairs : sequence of (str, str)
        (before, after) stride labels.
    keys : sequence of str, optional
        Measures of :data:`STRIDE_MEASURES` (default: the landing numbers and contact
        time).

    Returns
    -------
    DataFrame
        One row per measure ("label (unit)"), per pair three columns: ``runform`` and
        ``true`` (after − before, in the measure's unit) and ``runform/true`` (the share
        of the true change runform reads, %; negative: the wrong direction).
    """
    import pandas as pd

    keys = keys or (
        "shank_angle_ic_deg",
        "overstride_cm",
        "foot_strike_angle_deg",
        "contact_time_ms",
    )
    rows = {}
    for key in keys:
        label, unit = STRIDE_MEASURES[key]
        row = {}
        for a, b in pairs:
            got = measured[b][key][0] - measured[a][key][0]
            true = exact[b][key][0] - exact[a][key][0]
            row[(f"{a} → {b}", "runform")] = round(got, 1)
            row[(f"{a} → {b}", "true")] = round(true, 1)
            row[(f"{a} → {b}", "runform/true (%)")] = round(100 * got / true) if true else np.nan
        rows[f"{label} ({unit})"] = row
    return pd.DataFrame(rows).T
