"""The exact truth of a rendered sample as the tables an Analysis has (angles, events).

A rendered sample's truth (``runform.data`` samples of kind "bundled") holds the true
angles per frame (degrees, the conventions of :mod:`runform.kinematics`) and the exact
initial-contact and toe-off times. These two functions shape them like
:attr:`runform.Analysis.angles` and :attr:`runform.Analysis.events`, so the same
functions (cycles, stance peaks, the crank) can be run on the truth and on MediaPipe's
landmarks, and compared.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["truth_angles", "truth_events"]


def truth_angles(truth: dict):
    """True angles as a DataFrame: ``time_s``, ``<side>_<angle>_deg``, ``trunk_lean_deg``."""
    import pandas as pd

    cols = {"time_s": np.asarray(truth["time_s"], float)}
    for name, values in truth["angles_deg"].items():
        cols[f"{name}_deg"] = np.asarray(values, float)
    return pd.DataFrame(cols)


def truth_events(truth: dict):
    """Exact contacts: ``foot``, ``ic_s``, ``to_s``, ``ic_frame``, ``to_frame``, ``near``.

    Frames are the first and last frame in contact (as :func:`runform.events.detect_events`);
    only contacts whose IC and TO both fall inside the clip are kept.
    """
    import pandas as pd

    fps, n = float(truth["fps"]), int(truth["n_frames"])
    rows = []
    for foot, ev in truth["events"].items():
        for ic, to in zip(ev["ic_s"], ev["to_s"], strict=True):
            if ic < 0 or to >= n / fps:
                continue
            rows.append(
                {
                    "foot": foot,
                    "ic_s": float(ic),
                    "to_s": float(to),
                    "ic_frame": math.ceil(ic * fps - 1e-9),
                    "to_frame": math.ceil(to * fps - 1e-9) - 1,
                    "near": foot == truth.get("near_side"),
                }
            )
    return pd.DataFrame(rows).sort_values("ic_s", ignore_index=True)
