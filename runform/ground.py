"""The ground line under a runner's feet: its tilt in the image.

Foot-strike angles are measured against the ground, not the image horizontal
(camera roll, an inclined belt). The heel and toe landmarks each sit at
their own height above the sole, so fitting one line through a mix of both lowest
points tilts it spuriously (by ~2.5° on a level treadmill in the Fukuchi data). Here
both landmarks share one slope and keep their own intercepts.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .geometry import normalise
from .landmarks import INDEX

__all__ = ["MAX_TILT_DEG", "ground_tilt_deg"]

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
        slope = float(np.clip(coef[0], -np.tan(np.radians(MAX_TILT_DEG)),
                              np.tan(np.radians(MAX_TILT_DEG))))
    return float(np.degrees(np.arctan(slope)))
