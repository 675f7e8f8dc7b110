"""Per-stride swing-phase measures that the coaching findings need.

Each stride of a foot runs from its initial contact (IC) through toe-off (TO) to its
next IC; the swing phase is TO → next IC. Measures are taken from the filtered angles
of :func:`runform.kinematics.angles` (degrees, signs as in ``docs/conventions.md``):

- ``swing_knee_flexion_peak_deg``: largest knee flexion in swing (the "back kick");
- ``swing_thigh_peak_deg``: largest forward thigh angle in swing (knee drive);
- ``thigh_angle_ic_deg``: thigh angle at the next IC;
- ``thigh_retraction_deg``: swing peak minus thigh at IC (how far the leg is swung
  back before landing: "pawback"; Seyfarth et al. 2003, J Exp Biol 206:2547);
- ``swing_dorsiflexion_peak_deg``: largest ankle dorsiflexion in the last 40 % of
  swing (a foot pulled up before contact).
"""

from __future__ import annotations

import numpy as np

from .cycles import strides
from .metrics import Metric, summarise

__all__ = ["LATE_SWING_FRACTION", "swing_measures", "swing_table"]

#: Fraction of the swing phase, counted back from IC, searched for pre-contact
#: dorsiflexion (terminal swing; a project convention).
LATE_SWING_FRACTION = 0.4


def _window_max(t: np.ndarray, y: np.ndarray, lo: float, hi: float) -> float:
    m = (t >= lo) & (t <= hi) & np.isfinite(y)
    return float(y[m].max()) if m.sum() >= 2 else float("nan")


def _value_at(t: np.ndarray, y: np.ndarray, when: float) -> float:
    ok = np.isfinite(y)
    if ok.sum() < 2 or not t[ok][0] <= when <= t[ok][-1]:
        return float("nan")
    return float(np.interp(when, t[ok], y[ok]))


def swing_table(angles, events, foot: str):
    """One row per complete stride of ``foot`` with its swing measures (degrees).

    Parameters
    ----------
    angles : DataFrame
        Filtered angles (``time_s`` plus ``<foot>_<angle>_deg`` columns).
    events : DataFrame
        Contacts from :func:`runform.events.detect_events`.
    foot : {"left", "right"}
        Whose strides.

    Returns
    -------
    DataFrame
        Columns ``ic_s``, ``to_s``, ``next_ic_s`` and the measures listed in the module
        docstring; NaN where the angle is unknown.
    """
    import pandas as pd

    t = angles["time_s"].to_numpy(float)
    col = {
        k: angles[f"{foot}_{k}_deg"].to_numpy(float)
        for k in ("knee_flexion", "thigh_angle", "ankle_dorsiflexion")
    }
    rows = []
    for ic, to, nxt in strides(events, foot):
        if not ic < to < nxt:
            continue
        peak_thigh = _window_max(t, col["thigh_angle"], to, nxt)
        thigh_ic = _value_at(t, col["thigh_angle"], nxt)
        late = nxt - LATE_SWING_FRACTION * (nxt - to)
        rows.append(
            {
                "ic_s": ic,
                "to_s": to,
                "next_ic_s": nxt,
                "swing_knee_flexion_peak_deg": _window_max(t, col["knee_flexion"], to, nxt),
                "swing_thigh_peak_deg": peak_thigh,
                "thigh_angle_ic_deg": thigh_ic,
                "thigh_retraction_deg": peak_thigh - thigh_ic,
                "swing_dorsiflexion_peak_deg": _window_max(t, col["ankle_dorsiflexion"], late, nxt),
            }
        )
    cols = [
        "ic_s",
        "to_s",
        "next_ic_s",
        "swing_knee_flexion_peak_deg",
        "swing_thigh_peak_deg",
        "thigh_angle_ic_deg",
        "thigh_retraction_deg",
        "swing_dorsiflexion_peak_deg",
    ]
    return pd.DataFrame(rows, columns=cols)


def swing_measures(angles, events, foot: str) -> dict[str, Metric]:
    """Mean and 95 % CI over strides of each swing measure (n counts strides)."""
    table = swing_table(angles, events, foot)
    notes = {
        "swing_knee_flexion_peak_deg": "largest knee bend in swing",
        "swing_thigh_peak_deg": "largest forward thigh angle in swing",
        "thigh_angle_ic_deg": "thigh angle at contact",
        "thigh_retraction_deg": "thigh swung back between its swing peak and contact",
        "swing_dorsiflexion_peak_deg": "largest dorsiflexion in the last 40 % of swing",
    }
    return {k: summarise(table[k], note=v) for k, v in notes.items()}
