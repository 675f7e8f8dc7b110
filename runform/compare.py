"""Before/after comparison of two runs: what moved, by how much, towards the target or not.

A run is an analysed clip or an earlier output folder (``metrics.json``, ``angles.csv``,
``steps.csv``). For every metric both runs have, the difference of the means gets a 95 %
interval from the two confidence intervals (half-widths added in quadrature, the normal
approximation for independent means). It *changed* when that interval excludes zero.
The target side comes from the coaching table (a measure with an "above" threshold
should go down) or, failing that, from the published norm (towards its mean).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .coaching_table import label, load_table
from .errors import InputError
from .reference import NORMS

__all__ = ["Run", "compare", "load_run"]


@dataclass(frozen=True)
class Run:
    """One side of a comparison: its name, metrics.json content and tables."""

    name: str
    data: dict
    angles: object
    events: object

    @property
    def near_side(self) -> str:
        """Leg whose strides are compared."""
        return self.data.get("clip", {}).get("near_side") or "left"


def load_run(path: str, analyse=None) -> Run:
    """A :class:`Run` from an output folder, or from ``analyse(path)`` for a video/CSV.

    ``analyse`` returns ``(result, findings)`` (the command line passes its options in).
    """
    import pandas as pd

    p = Path(path)
    if p.is_dir():
        mfile = p / "metrics.json"
        if not mfile.is_file():
            raise InputError(
                f"{p} has no metrics.json: give a video or a folder written by 'runform analyze'."
            )
        data = json.loads(mfile.read_text())
        angles = pd.read_csv(p / "angles.csv")
        events = pd.read_csv(p / "steps.csv")[["foot", "ic_s", "to_s"]]
        return Run(p.name, data, angles, events)
    from .io import analysis_json

    if analyse is None:
        raise InputError(f"{p} is not an output folder of 'runform analyze'.")
    result, findings = analyse(str(p))
    return Run(p.name, analysis_json(result, findings), result.angles, result.events)


def _metric(d) -> tuple[float, float, int] | None:
    """(mean, CI half-width, n) of a metrics.json entry, or None."""
    if not isinstance(d, dict):
        return None
    v = d.get("value", d.get("angle_deg"))
    if v is None:
        return None
    lo, hi = (d.get("ci95") or [None, None])[:2]
    half = (hi - lo) / 2 if lo is not None and hi is not None else float("nan")
    return float(v), float(half), int(d.get("n_steps", 0))


def _targets() -> dict[str, str]:
    out = {}
    for p in load_table():
        d = p["detect"]
        want = "down" if "above" in d else "up"
        # a measure with limits on both sides (trunk lean) has no one-way target
        out[d["measure"]] = want if out.get(d["measure"], want) == want else None
    return {k: v for k, v in out.items() if v is not None}


def compare(a: Run, b: Run) -> list[dict]:
    """One row per metric in both runs: means, difference with 95 % interval, direction."""
    targets = _targets()
    rows = []
    keys = [k for k in a.data if k in b.data and _metric(a.data[k]) and _metric(b.data[k])]
    for key in keys:
        (va, ha, na), (vb, hb, nb) = _metric(a.data[key]), _metric(b.data[key])
        name = "foot_strike_angle_deg" if key == "foot_strike" else key
        diff = vb - va
        half = float(np.hypot(ha, hb)) if np.isfinite(ha) and np.isfinite(hb) else np.nan
        changed = bool(np.isfinite(half) and abs(diff) > half)
        want = targets.get(name)
        norm = NORMS.get(name)
        if want is not None:
            good = diff < 0 if want == "down" else diff > 0
        elif norm is not None:
            good = abs(vb - norm.mean) < abs(va - norm.mean)
        else:
            good = None
        toward = (
            ""
            if good is None or not changed
            else ("towards the target" if good else "away from the target")
        )
        rows.append(
            {
                "key": name,
                "label": label(name)[0],
                "a": va,
                "b": vb,
                "n_a": na,
                "n_b": nb,
                "diff": diff,
                "diff_lo": diff - half,
                "diff_hi": diff + half,
                "changed": changed,
                "toward": toward,
            }
        )
    return rows
