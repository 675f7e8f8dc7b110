"""Values the lessons' exercises are checked against, computed from the same clip.

A notebook builds an exercise with ``Numeric(prompt, answer=answers.contact_time_ms(
result), tolerance=answers.one_frame_ms(result))``: the expected value comes from runform
(or from the exact truth of a rendered clip) at run time, so it is never a literal in
the notebook, and the way it is computed is not spelt out in the cell the student reads.
Each tolerance is the uncertainty of the measurement the student makes.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "HAND_ANGLE_TOLERANCE_DEG",
    "change",
    "compare_change",
    "contact_time_ms",
    "foot_angle_cases",
    "frames_in",
    "knee_cases",
    "landmark_offset_px",
    "largest_change",
    "metric_half_width",
    "metric_mean",
    "model_strike_angle",
    "near_contact",
    "one_frame_ms",
    "overstride_cm",
    "strike_class",
    "true_angle",
]

#: Accepted error of a knee angle measured by hand on one video frame, degrees.
#: Manual 2D measurement of knee and hip angles at foot strike repeats within a 95 %
#: prediction interval 3–8° wide within a day (Damsted C, Nielsen RO, Larsen LH, 2015,
#: Int J Sports Phys Ther 10(2):147–154); ±5° also covers the few degrees by which a
#: landmark and the joint centre one sees differ.
HAND_ANGLE_TOLERANCE_DEG = 5.0


def near_contact(result, k: int = 0):
    """The ``k``-th contact (0 = first) of the near-camera foot: a row of ``result.events``."""
    ev = result.events
    near = ev[ev["near"].astype(bool)] if "near" in ev else ev
    if len(near) <= k:
        raise ValueError(f"the clip has only {len(near)} near-foot contacts")
    return near.iloc[k]


def contact_time_ms(result, k: int = 0) -> float:
    """Contact time of the near foot's ``k``-th step as the frame player shows it, ms.

    From the IC and TO frames runform detected (what ``IC ▶`` and ``TO ▶`` jump to).
    """
    row = near_contact(result, k)
    return float((row["to_s"] - row["ic_s"]) * 1000.0)


def one_frame_ms(result) -> float:
    """One frame in ms: the uncertainty of an event read off the video (±1 frame)."""
    return float(result.clip.frame_ms)


def true_angle(loaded, angle: str, frame: int, side: str | None = None) -> float:
    """The exact angle of a rendered sample at a frame, degrees (truth, not MediaPipe).

    ``angle`` is a name of :data:`runform.kinematics.ANGLES` (e.g. ``"knee_flexion"``);
    ``side`` defaults to the leg nearer the camera.
    """
    truth = _truth(loaded)
    side = side or truth["near_side"]
    return float(truth["angles_deg"][f"{side}_{angle}"][int(frame)])


def landmark_offset_px(loaded, joint: str, frame: int, side: str | None = None) -> float:
    """Distance between MediaPipe's landmark and the true joint centre, pixels."""
    truth = _truth(loaded)
    name = f"{side or truth['near_side']}_{joint}"
    true = np.asarray(truth["joints_2d_px"][name][int(frame)], float)
    return float(np.hypot(*(loaded.clip.point(name)[int(frame)] - true)))


def knee_cases(result, n: int = 5) -> list[tuple[tuple, float]]:
    """Test cases for a student's ``knee_flexion(hip, knee, ankle)`` on image points.

    ``n`` frames spread over the clip where the near knee is bent (10–170°); the
    arguments are (x, y) image pixels of the near hip, knee and ankle of the analysed
    clip, the expected value runform's knee flexion there, degrees.
    """
    clip, table = result.clip, result.angles
    side = clip.near_side or "left"
    knee = table[f"{side}_knee_flexion_deg"].to_numpy(float)
    ok = np.flatnonzero(np.isfinite(knee) & (knee > 10) & (knee < 170))
    if len(ok) < n:
        raise ValueError("too few frames with a bent, visible knee")
    frames = ok[np.linspace(0, len(ok) - 1, n).round().astype(int)]
    pts = [clip.point(f"{side}_{j}") for j in ("hip", "knee", "ankle")]
    return [(tuple(tuple(float(v) for v in p[i]) for p in pts), float(knee[i])) for i in frames]


def _truth(loaded) -> dict:
    truth = getattr(loaded, "truth", None)
    if not truth or "angles_deg" not in truth:
        raise ValueError(
            f"{getattr(loaded, 'name', loaded)!r} has no exact truth: "
            "use a rendered sample (runform.data.names('bundled'))."
        )
    return truth


# ------------------------------------------------------------ notebooks 03 and 04
def strike_class(angle_deg: float) -> str:
    """runform's class of a foot-strike angle (Altman & Davis 2012, ±2.5° uncertain band)."""
    from .strike import classify_strike

    return classify_strike(float(angle_deg))


def overstride_cm(result) -> tuple[float, float]:
    """Heel ahead of the hips at contact, cm: runform's clip mean and its 95 % CI half-width."""
    m = result.metrics["overstride_cm"]
    return float(m.value), float((m.ci95[1] - m.ci95[0]) / 2)


def foot_angle_cases(result, n: int = 4) -> list[tuple[tuple, float]]:
    """Test cases for a student's ``foot_angle(heel, toe, direction)`` on image points.

    At ``n`` strike frames of the near foot: the raw heel and toe landmarks (x, y image
    pixels, y down), the running direction ("left"/"right"), and the heel→toe line's
    angle to image horizontal, toe up +, degrees.
    """
    from .teaching.footstrike import foot_line, strike_frames

    frames = strike_frames(result).head(n)
    cases = []
    for _, row in frames.iterrows():
        line = foot_line(result, int(row["frame"]), float(row["foot_strike_angle_deg"]))
        args = (
            tuple(float(v) for v in line["heel"]),
            tuple(float(v) for v in line["toe"]),
            result.clip.direction,
        )
        cases.append((args, float(line["foot_deg"])))
    if not cases:
        raise ValueError("no near-foot strike frames in this clip")
    return cases


def change(measures: dict, key: str, before: str, after: str) -> tuple[float, float]:
    """Change of a measure between two clips and the size a real change must exceed.

    ``measures`` maps clip label → {key: (mean, 95 % half-width, n)}; the threshold is
    the two half-widths combined in quadrature (NaN taken as 0).
    """
    (a, ua, _), (b, ub, _) = measures[before][key], measures[after][key]
    return float(b - a), float(np.hypot(np.nan_to_num(ua), np.nan_to_num(ub)))


def largest_change(measures: dict, key: str, pairs) -> tuple[str, str]:
    """The (before, after) pair among ``pairs`` with the largest absolute change of ``key``."""
    return max(pairs, key=lambda p: abs(change(measures, key, *p)[0]))


def frames_in(duration_ms: float, fps: float) -> float:
    """How many frames of a ``fps`` video a duration spans (may be below 1)."""
    return float(duration_ms) * float(fps) / 1000.0


def model_strike_angle(toes_up_deg: float, kept: float, relaxed_strike_deg: float) -> float:
    """Foot-strike angle of the simulated runner with that ankle strategy, degrees.

    Measured on the model's exact truth (:func:`runform.teaching.ankle_strategy.
    measure_motion`), not taken from the formula the notebook explains.
    """
    from .model import simulate
    from .teaching.ankle_strategy import measure_motion, strategy_params

    p = strategy_params(toes_up_deg, kept, relaxed_strike_deg)
    return measure_motion(simulate(p, fps=50.0, duration_s=1.8))["foot_strike_angle_deg"][0]


def metric_mean(result, key: str) -> float:
    """The clip's mean of a metric as the report's measurements table shows it."""
    return float(result.metrics[key].value)


def metric_half_width(result, key: str, floor: float = 0.0) -> float:
    """Half the width of a metric's 95 % CI (at least ``floor``): how far a value read
    off the table may be from the mean and still be the same number."""
    lo, hi = result.metrics[key].ci95
    return max(float(floor), float(hi - lo) / 2.0)


def compare_change(rows, key: str) -> tuple[float, float]:
    """(after − before, half-width of its 95 % interval) of one measure of a comparison
    (:func:`runform.compare.compare` rows)."""
    row = next(r for r in rows if r["key"] == key)
    return float(row["diff"]), float(row["diff_hi"] - row["diff"])
