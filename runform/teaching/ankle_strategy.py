"""The active vs passive ankle debate on the simulated runner (numbers behind notebook 04).

:func:`strategy_params` turns the debate's knobs into :class:`runform.model.RunnerParams`:
how far the toes are pulled up in late swing, how much of that the runner still holds at
contact, where the foot lands and how fast the runner goes. :func:`simulate_strategy`
re-simulates the runner, projects it into a side-view camera and measures it with
runform's own pipeline (``runform.analyze`` on the projected landmarks), exactly as the
rendered ``ankle_active``/``ankle_passive`` pair is measured by :func:`measure`.

Modelling choice, stated plainly: the simulated runner lets the landing set the foot,
so extra swing dorsiflexion alone does not change the foot-strike angle. How much of
a "toes up" pull survives to contact is what the debate is about and nobody has
measured it for the cue; the ``kept`` knob makes that assumption explicit (0 = the
ankle is free again by contact, 1 = the whole pull is still there at contact).
"""

from __future__ import annotations

import numpy as np

from ..reference import FFS_BELOW_DEG, RFS_ABOVE_DEG
from ..strike import classify_strike

__all__ = [
    "MEASURES",
    "measure",
    "measure_motion",
    "simulate_strategy",
    "strategy_params",
    "strike_label",
]

#: Measurements of the debate: key → (label, unit).
MEASURES = {
    "swing_dorsiflexion_peak_deg": ("ankle dorsiflexion in late swing (peak)", "°"),
    "ankle_ic_deg": ("ankle angle at contact (dorsiflexion +)", "°"),
    "foot_strike_angle_deg": ("foot-strike angle (toe up +)", "°"),
    "shank_angle_ic_deg": ("shank angle at contact", "°"),
    "overstride_cm": ("heel ahead of the hips at contact", "cm"),
    "contact_time_ms": ("contact time", "ms"),
}
#: The camera of the rendered samples (tracking, 4 m, 700 px focal length, 640 × 480).
_CAMERA = dict(distance_m=4.0, focal_px=700.0, image_size=(640, 480), follow=True)


def _strike_type(angle_deg: float) -> str:
    """Altman & Davis class without an uncertain band (the model's exact angle)."""
    if angle_deg > RFS_ABOVE_DEG:
        return "rearfoot"
    return "forefoot" if angle_deg < FFS_BELOW_DEG else "midfoot"


def strategy_params(
    toes_up_deg: float = 0.0,
    kept: float = 0.5,
    relaxed_strike_deg: float = 3.0,
    overstride_cm: float = 16.0,
    speed_mps: float = 3.3,
):
    """Runner parameters for one ankle strategy.

    Parameters
    ----------
    toes_up_deg : float
        Extra dorsiflexion pulled in late swing, degrees (0 = passive, "leave the ankle
        alone"; 10–20 = a strong "toes up").
    kept : float
        Share (0–1) of that pull still held at initial contact; it adds to the landing
        angle (see the module note).
    relaxed_strike_deg : float
        Foot-strike angle the runner lands with when the ankle is left alone, degrees
        (toe up +; default +3°, the typical midfoot strike).
    overstride_cm : float
        Heel ahead of the hip at contact, cm.
    speed_mps : float
        Running speed, m/s.

    Returns
    -------
    RunnerParams
    """
    from ..model import RunnerParams

    if not 0.0 <= kept <= 1.0:
        raise ValueError(f"kept is a share between 0 and 1, got {kept!r}")
    strike = float(np.clip(relaxed_strike_deg + kept * toes_up_deg, -25.0, 35.0))
    active = toes_up_deg > 0
    return RunnerParams(
        speed_mps=speed_mps,
        overstride_cm=overstride_cm,
        foot_strike=_strike_type(strike),
        foot_strike_angle_deg=strike,
        ankle_strategy="active" if active else "passive",
        active_dorsiflexion_deg=float(toes_up_deg) if active else 12.0,
    )


def measure(result, height_cm: float | None = None) -> dict:
    """The :data:`MEASURES` of an analysed clip: key → (mean, 95 % CI half-width, n).

    Also ``foot_strike_type`` (runform's clip-level class, with its uncertain band).
    The ankle angle at contact is the near ankle's dorsiflexion at each near-foot
    initial contact (interpolated), averaged; the late-swing peak is runform's swing
    measure (largest dorsiflexion in the last 40 % of swing).
    """
    from ..swing import swing_measures

    m = result.metrics
    side = result.clip.near_side or "left"
    out = {}
    swing = swing_measures(result.angles, result.events, side)["swing_dorsiflexion_peak_deg"]
    out["swing_dorsiflexion_peak_deg"] = _triple(swing)
    ev = result.events[result.events["near"].astype(bool)]
    ang = result.angles
    ankle = np.interp(
        ev["ic_s"].to_numpy(),
        ang["time_s"].to_numpy(),
        ang[f"{side}_ankle_dorsiflexion_deg"].to_numpy(),
    )
    out["ankle_ic_deg"] = _spread(ankle)
    out["foot_strike_angle_deg"] = _triple(m["foot_strike"].angle)
    out["shank_angle_ic_deg"] = _triple(m["shank_angle_ic_deg"])
    key = "overstride_cm" if "overstride_cm" in m else "overstride_leg"
    out["overstride_cm"] = _triple(m[key])
    out["contact_time_ms"] = _triple(m["contact_time_ms"])
    out["foot_strike_type"] = m["foot_strike"].type
    return out


def _triple(metric) -> tuple[float, float, int]:
    lo, hi = metric.ci95
    half = (hi - lo) / 2 if np.isfinite(lo) and np.isfinite(hi) else float("nan")
    return float(metric.value), float(half), int(metric.n_steps)


def measure_motion(motion, side: str = "right", truth=None) -> dict:
    """The :data:`MEASURES` of a simulated runner from its exact truth (no camera, no pose).

    Same keys and the same definitions as :func:`measure` (the late-swing peak from
    :func:`runform.swing.swing_measures` on the true angles and contacts; angles at
    contact interpolated at the exact contact instants); the half-width is the spread
    over the simulated strides (0 when every stride is the same). ``truth``: the
    motion's :meth:`~runform.model.RunnerMotion.truth_table` when already computed.
    """
    from ..model import events_table
    from ..swing import swing_measures

    tt = motion.truth_table() if truth is None else truth
    ev = events_table(motion)
    ev = ev[ev["foot"] == side]
    t = tt["time_s"].to_numpy()
    out = {
        "swing_dorsiflexion_peak_deg": _triple(
            swing_measures(tt, ev, side)["swing_dorsiflexion_peak_deg"]
        )
    }
    ic = ev["ic_s"].to_numpy()
    for key, col in (("ankle_ic_deg", "ankle_dorsiflexion"), ("shank_angle_ic_deg", "shank_angle")):
        out[key] = _spread(np.interp(ic, t, tt[f"{side}_{col}_deg"].to_numpy()))
    # the strike angle at the last frame at or before contact, as runform reads it
    before = np.clip(np.searchsorted(t, ic + 1e-9) - 1, 0, len(t) - 1)
    out["foot_strike_angle_deg"] = _spread(tt[f"{side}_foot_angle_deg"].to_numpy()[before])
    p = motion.params
    out["overstride_cm"] = (float(p.overstride_cm), 0.0, len(ev))
    out["contact_time_ms"] = _spread(ev["contact_ms"].to_numpy(float))
    out["foot_strike_type"] = strike_label(out["foot_strike_angle_deg"][0])
    return out


def _spread(v) -> tuple[float, float, int]:
    v = np.asarray(v, float)
    v = v[np.isfinite(v)]
    half = 1.96 * np.std(v, ddof=1) / np.sqrt(len(v)) if len(v) > 1 else float("nan")
    return float(np.mean(v)), float(half), len(v)


def simulate_strategy(params, fps: float = 60.0, duration_s: float = 2.0):
    """Simulate, film side-on and measure one strategy.

    Returns
    -------
    (motion, result, measured)
        The :class:`~runform.model.RunnerMotion`, the :class:`runform.Analysis` of its
        projected landmarks (noise-free: what MediaPipe would give if it were perfect)
        and :func:`measure` of it.
    """
    from ..analysis import analyze
    from ..model import Camera, simulate

    motion = simulate(params, fps=fps, duration_s=duration_s)
    clip = motion.to_clip(Camera(facing="right", **_CAMERA))
    height_cm = 100.0 * params.stature_m
    result = analyze(clip, height_cm=height_cm)
    return motion, result, measure(result, height_cm)


def strike_label(angle_deg: float) -> str:
    """Class of a foot-strike angle with runform's uncertain band (±2.5°)."""
    return classify_strike(angle_deg)
