"""The ground line under a runner's feet: its tilt in the image.

Foot-strike angles are measured against the ground, not the image horizontal
(camera roll, an inclined belt). The heel and toe landmarks each sit at
their own height above the sole, so fitting one line through a mix of both lowest
points tilts it spuriously (by ~2.5° on a level treadmill in the Fukuchi data). Here
both landmarks share one slope and keep their own intercepts.

It also holds the ground line under one foot's lowest points and the foot heights above
it that :mod:`runform.events` reads contacts from.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .geometry import normalise
from .landmarks import INDEX
from .orientation import leg_length_px

__all__ = ["MAX_TILT_DEG", "foot_heights", "ground_line", "ground_tilt_deg"]

#: Steeper than this is not a floor (nor a treadmill at its maximum incline, ~15 %).
MAX_TILT_DEG = 19.0
#: Fraction of frames taken as a landmark's lowest positions (a foot is on the ground
#: for ~30–40 % of a running cycle).
LOW_FRACTION = 0.3


def ground_tilt_deg(clip: Clip, side: str, joints=("heel", "foot_index")) -> float:
    """Tilt of the ground in the runner's frame (Y up, facing +X), degrees.

    Positive when the ground rises in the running direction. Fitted to the lowest
    ``LOW_FRACTION`` of each landmark's positions with one common slope and one
    intercept per landmark, refined by re-selecting the lowest points eight times.
    0.0 when too few points are known.
    """
    xy = normalise(clip.xy, clip.direction)
    pts = [xy[:, INDEX[f"{side}_{j}"]] for j in joints]
    pts = [p[np.isfinite(p).all(axis=1)] for p in pts]
    if any(len(p) < 8 for p in pts):
        return 0.0
    slope = 0.0
    for _ in range(8):  # each pass re-selects the lowest points under the current line
        rows, ys = [], []
        for k, p in enumerate(pts):
            resid = p[:, 1] - slope * p[:, 0]
            low = p[resid <= np.percentile(resid, 100 * LOW_FRACTION)]
            onehot = np.zeros((len(low), len(pts)))
            onehot[:, k] = 1.0
            rows.append(np.column_stack([low[:, 0], onehot]))
            ys.append(low[:, 1])
        design, y = np.vstack(rows), np.concatenate(ys)
        if np.ptp(design[:, 0]) <= 1e-9:
            return 0.0
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        slope = float(
            np.clip(coef[0], -np.tan(np.radians(MAX_TILT_DEG)), np.tan(np.radians(MAX_TILT_DEG)))
        )
    return float(np.degrees(np.arctan(slope)))


def ground_line(points: np.ndarray, fraction: float = 0.3) -> tuple[float, float]:
    """Fit the ground line ``Y = a + b X`` under one foot's lowest points.

    The lowest ``fraction`` of the points relative to the current line are refitted
    three times (a foot is on the ground roughly 30–40 % of a running cycle).

    Returns
    -------
    a, b : float
        Intercept (pixels, normalised Y up) and slope (dY/dX).
    """
    ok = np.isfinite(points).all(axis=1)
    p = points[ok]
    if len(p) < 4:
        return float("nan"), 0.0
    a, b = float(np.percentile(p[:, 1], 100 * fraction / 2)), 0.0
    for _ in range(3):
        resid = p[:, 1] - (a + b * p[:, 0])
        low = resid <= np.percentile(resid, 100 * fraction)
        xs, ys = p[low, 0], p[low, 1]
        if np.ptp(xs) > 1e-6 * max(1.0, np.abs(xs).max()) and len(xs) >= 4:
            b, a = np.polyfit(xs, ys, 1)
            b = float(np.clip(b, -0.35, 0.35))  # ±19°: beyond that it is not a floor
            a = float(np.median(ys - b * xs))
        else:
            a, b = float(np.median(ys)), 0.0
    return float(a), float(b)


def _lowest_points(xy: np.ndarray, side: str) -> np.ndarray:
    """(n, 2) normalised position (Y up) of the lower of the foot's heel and toe."""
    heel = xy[:, INDEX[f"{side}_heel"]]
    toe = xy[:, INDEX[f"{side}_foot_index"]]
    use_toe = np.nan_to_num(toe[:, 1], nan=np.inf) < np.nan_to_num(heel[:, 1], nan=np.inf)
    low = np.where(use_toe[:, None], toe, heel)
    return np.where(np.isfinite(low), low, np.where(np.isfinite(heel), heel, toe))


def _foot_geometry(clip: Clip, side: str) -> dict:
    """Heights (lowest point, heel, toe) and x of heel and toe, leg lengths; tilt; leg."""
    xy = normalise(clip.xy, clip.direction)
    low = _lowest_points(xy, side)
    a, b = ground_line(low)
    leg = leg_length_px(clip)
    if not np.isfinite(leg) or leg <= 0:
        span = np.nanmax(low[:, 1]) - np.nanmin(low[:, 1]) if np.isfinite(low).any() else 1.0
        leg = float(span) or 1.0
    heel = xy[:, INDEX[f"{side}_heel"]]
    toe = xy[:, INDEX[f"{side}_foot_index"]]

    def height(p):
        return (p[:, 1] - (a + b * p[:, 0])) / leg

    hip, knee, ankle = (xy[:, INDEX[f"{side}_{j}"]] for j in ("hip", "knee", "ankle"))
    thigh = np.arctan2(knee[:, 0] - hip[:, 0], hip[:, 1] - knee[:, 1])
    shank = np.arctan2(ankle[:, 0] - knee[:, 0], knee[:, 1] - ankle[:, 1])
    return {
        "h": height(low),
        "heel": height(heel),
        "toe": height(toe),
        "knee": np.degrees(thigh - shank),
        "slope_deg": float(np.degrees(np.arctan(b))),
        "leg": leg,
        "heel_x": heel[:, 0] / leg,
        "toe_x": toe[:, 0] / leg,
    }


def foot_heights(clip: Clip, side: str) -> tuple[np.ndarray, float, float]:
    """Height of the foot's lowest point (heel or toe) above the ground line, leg lengths.

    Returns
    -------
    h : ndarray, shape (n,)
        Height in leg lengths (NaN where the foot is unknown).
    slope_deg : float
        Tilt of the fitted ground line, degrees (+ = rising in the running direction).
    leg_px : float
        Leg length used for normalisation, pixels.
    """
    g = _foot_geometry(clip, side)
    return g["h"], g["slope_deg"], g["leg"]
