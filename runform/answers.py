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
    "contact_time_ms",
    "knee_cases",
    "landmark_offset_px",
    "metric_half_width",
    "metric_mean",
    "near_contact",
    "one_frame_ms",
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


def metric_mean(result, key: str) -> float:
    """The clip's mean of a metric as the report's measurements table shows it."""
    return float(result.metrics[key].value)


def metric_half_width(result, key: str, floor: float = 0.0) -> float:
    """Half the width of a metric's 95 % CI (at least ``floor``): how far a value read
    off the table may be from the mean and still be the same number."""
    lo, hi = result.metrics[key].ci95
    return max(float(floor), float(hi - lo) / 2.0)


def change(rows, key: str) -> tuple[float, float]:
    """(after − before, half-width of its 95 % interval) of one measure of a comparison
    (:func:`runform.compare.compare` rows)."""
    row = next(r for r in rows if r["key"] == key)
    return float(row["diff"]), float(row["diff_hi"] - row["diff"])
