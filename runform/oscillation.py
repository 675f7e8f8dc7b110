"""Vertical oscillation: the hip midpoint's rise and fall within each step.

A helper of :mod:`runform.metrics` (which summarises it with its CI). Leg lengths are
hip → ankle (:func:`runform.orientation.leg_length_px`); image y is down, so the range
is taken on the runner-frame height of :func:`runform.geometry.normalise`.
"""

from __future__ import annotations

import numpy as np

from .clip import Clip
from .geometry import midpoint, normalise
from .landmarks import INDEX
from .orientation import leg_length_px
from .reference import oscillation_error_text

__all__ = ["OSCILLATION_NOTE", "vertical_oscillation"]

#: What the vertical oscillation is and how far to trust it (measured on the rendered
#: samples, where the hip's true rise and fall is known: ``OSCILLATION_ERROR_PCT``).
OSCILLATION_NOTE = (
    "rise and fall of the hip midpoint within each step (both feet), filtered landmarks; "
    "the hips stand in for the centre of mass. On rendered runners with known motion it "
    f"read {oscillation_error_text()}"
)


def vertical_oscillation(clip: Clip, steps) -> list[float]:
    """Rise and fall of the hip midpoint within each step, in leg lengths.

    Per step (IC to the other foot's next IC) the range max − min of the hip-midpoint
    height, the per-step vertical oscillation of wearable-sensor studies (Malisoux L et
    al. 2023, Orthop J Sports Med), with the hips standing in for the centre of mass.
    Steps with a missing hip in more than a quarter of their frames are skipped.
    """
    xy = normalise(clip.xy, clip.direction)
    hip_y = midpoint(xy[:, INDEX["left_hip"], 1], xy[:, INDEX["right_hip"], 1])
    t, leg = clip.time, leg_length_px(clip)
    out = []
    for _, r in steps.iterrows():
        if not np.isfinite(r.step_ms) or r.step_ms <= 0:
            continue
        win = hip_y[(t >= r.ic_s) & (t <= r.ic_s + r.step_ms / 1000)]
        if len(win) < 3 or np.isnan(win).mean() > 0.25:
            continue
        out.append(float((np.nanmax(win) - np.nanmin(win)) / leg))
    return out
