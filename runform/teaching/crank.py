"""The hip as a crank: thigh angle against thigh angular velocity, stride by stride.

A coach's "hip extension" is the thigh angle to vertical, φT (runform's ``thigh_angle``:
+ knee ahead of the hip, − thigh behind vertical). Plotted against its angular velocity
dφT/dt, each stride draws a loop, the phase portrait of the crank: the thigh swings
forward (velocity +) to its peak flexion in late swing, retracts (velocity −) through
initial contact (IC) and stance, reaches its peak extension near toe-off (TO) and swings
forward again. A faster runner draws a bigger loop: thigh angular velocity rises with
speed (Clark KP et al. 2020, Biol Open 9:bio053546, 3.1–10 m/s).

The thigh angle is not the hip angle. The hip joint angle is measured against the trunk:
hip flexion = φT + trunk lean λ (runform's ``hip_flexion``), so a runner leaning 7°
forward with the thigh 15° behind vertical has only 8° of hip extension.

Inputs are plain arrays and an events table (``foot``, ``ic_s``, ``to_s``), so the same
functions read an :class:`runform.analysis.Analysis`, the simulated runner's truth or
motion-capture data. Angles degrees, velocities degrees per second, times seconds
unless named ``_ms``.
"""

from __future__ import annotations

import numpy as np

from ..cycles import cycle_curves, strides
from .summary import stride_summary

__all__ = [
    "angular_velocity",
    "crank_strides",
    "crank_summary",
    "from_analysis",
    "hip_flexion",
    "phase_portrait",
    "thigh_cases",
]


def hip_flexion(thigh_deg, trunk_lean_deg):
    """Hip angle relative to the trunk line, degrees: φT + λ (+ flexion, − extension)."""
    return np.asarray(thigh_deg, float) + np.asarray(trunk_lean_deg, float)


def angular_velocity(time_s, angle_deg) -> np.ndarray:
    """Time derivative of an angle by central differences, degrees per second.

    NaN where the angle or a neighbour is unknown. Differentiation amplifies noise:
    give it a low-passed angle (an Analysis's angles are filtered).
    """
    t, a = np.asarray(time_s, float), np.asarray(angle_deg, float)
    v = np.full(a.shape, np.nan)
    if len(a) >= 3:
        v[1:-1] = (a[2:] - a[:-2]) / (t[2:] - t[:-2])
    return v


def from_analysis(result, side: str | None = None):
    """``(time_s, thigh_deg, trunk_lean_deg, events, side)`` of an Analysis (near leg default)."""
    side = side or result.clip.near_side or "left"
    a = result.angles
    return (
        a["time_s"].to_numpy(float),
        a[f"{side}_thigh_angle_deg"].to_numpy(float),
        a["trunk_lean_deg"].to_numpy(float),
        result.events,
        side,
    )


def phase_portrait(time_s, thigh_deg, events, foot: str, n_points: int = 101) -> dict:
    """Per-stride loops of thigh angle vs angular velocity, with IC and TO marked.

    Returns
    -------
    dict
        ``angle`` and ``velocity``: arrays (n_strides, n_points), degrees and degrees/s,
        resampled from IC (0 %) to the next IC (100 %); ``pct``; ``toe_off_pct`` per
        stride; ``ic`` and ``to``: arrays (n_strides, 2) of (angle, velocity) at IC and
        at TO.
    """
    vel = angular_velocity(time_s, thigh_deg)
    pct, ang, toes = cycle_curves(time_s, thigh_deg, events, foot, n_points)
    _, vc, _ = cycle_curves(time_s, vel, events, foot, n_points)
    ic = np.column_stack([ang[:, 0], vc[:, 0]]) if len(ang) else np.zeros((0, 2))
    to = np.array(
        [
            [np.interp(tp, pct, a), np.interp(tp, pct, v)]
            for tp, a, v in zip(toes, ang, vc, strict=True)
        ]
    ).reshape(-1, 2)
    return {"pct": pct, "angle": ang, "velocity": vc, "toe_off_pct": toes, "ic": ic, "to": to}


def crank_strides(time_s, thigh_deg, events, foot: str):
    """One row per complete stride: the crank's peaks and their timing vs toe-off.

    Returns
    -------
    pandas.DataFrame
        ``ic_s``, ``to_s``; ``thigh_ic_deg`` and ``thigh_to_deg`` (thigh angle at IC and
        TO); ``peak_extension_deg`` (most negative thigh angle, i.e. furthest behind
        vertical) and ``peak_extension_vs_to_ms`` (its time minus TO, ms, + after TO);
        ``peak_flexion_deg`` (most positive, late swing); ``peak_back_velocity_dps``
        (fastest backward rotation, degrees/s, negative) and ``peak_back_velocity_vs_to_ms``;
        ``peak_forward_velocity_dps`` (fastest forward swing, degrees/s).
    """
    import pandas as pd

    t, a = np.asarray(time_s, float), np.asarray(thigh_deg, float)
    v = angular_velocity(t, a)
    rows = []
    for ic, to, nxt in strides(events, foot):
        k = np.flatnonzero((t >= ic) & (t < nxt) & np.isfinite(a) & np.isfinite(v))
        if len(k) < 4:
            continue
        i_ext, i_back = k[np.argmin(a[k])], k[np.argmin(v[k])]
        rows.append(
            {
                "ic_s": ic,
                "to_s": to,
                "thigh_ic_deg": float(np.interp(ic, t[k], a[k])),
                "thigh_to_deg": float(np.interp(to, t[k], a[k])),
                "peak_extension_deg": float(a[i_ext]),
                "peak_extension_vs_to_ms": 1000.0 * (t[i_ext] - to),
                "peak_flexion_deg": float(np.max(a[k])),
                "peak_back_velocity_dps": float(v[i_back]),
                "peak_back_velocity_vs_to_ms": 1000.0 * (t[i_back] - to),
                "peak_forward_velocity_dps": float(np.max(v[k])),
            }
        )
    return pd.DataFrame(rows)


def crank_summary(table, fps: float):
    """Mean, SD and uncertainty of each column of :func:`crank_strides`.

    See :func:`runform.teaching.summary.stride_summary`.
    """
    return stride_summary(table, fps)


def thigh_cases(result, n: int = 5) -> list[tuple[tuple, float]]:
    """Test cases for a student's ``thigh_angle(hip, knee, direction)`` on image points.

    ``n`` frames spread over the clip; the arguments are the (x, y) image pixels of the
    near hip and knee of the analysed (filtered) clip and the image direction the runner
    faces ("left"/"right"); the expected value is runform's thigh angle there, degrees.
    """
    clip, table = result.clip, result.angles
    side = clip.near_side or "left"
    thigh = table[f"{side}_thigh_angle_deg"].to_numpy(float)
    ok = np.flatnonzero(np.isfinite(thigh))
    frames = ok[np.linspace(0, len(ok) - 1, n).round().astype(int)]
    hip, knee = clip.point(f"{side}_hip"), clip.point(f"{side}_knee")
    return [
        ((tuple(map(float, hip[i])), tuple(map(float, knee[i])), clip.direction), float(thigh[i]))
        for i in frames
    ]
