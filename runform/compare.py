"""Before/after comparison of two runs: what moved, by how much, towards the target or not.

A run is an analysed clip or an earlier output folder (``metrics.json``, ``angles.csv``,
``steps.csv``). For every metric both runs have, the difference of the means gets a 95 %
interval from the two confidence intervals (half-widths added in quadrature, the normal
approximation for independent means). It *changed* when that interval excludes zero.
The target side comes from the coaching table (a measure with an "above" threshold
should go down); a measure with only a published norm is said to move closer to or
further from the norm's mean, which is a population average, not a target.

The intervals hold the step-to-step scatter only. What differs between the two clips
themselves (the frame rate, the leg nearer the camera, treadmill or ground) can move a
measure as much as the runner did: :func:`caveats` names it, and a row is marked when
it may come from the clips rather than the runner (a timing measure of clips filmed at
different frame rates, an angle of clips smoothed at different cutoffs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .coaching_table import format_value, label, load_table
from .errors import InputError
from .reference import NORMS

__all__ = ["Run", "caveats", "compare", "format_value", "load_run", "row_numbers"]


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

    @property
    def fps(self) -> float | None:
        """Frame rate of the clip, frames per second (None when not recorded)."""
        v = self.data.get("clip", {}).get("fps")
        return float(v) if v else None

    @property
    def cutoff_hz(self) -> float | None:
        """Low-pass cutoff of the clip's angles, Hz (None when not recorded or unfiltered)."""
        v = self.data.get("clip", {}).get("cutoff_hz")
        return float(v) if v else None


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


def _fps_differ(a: Run, b: Run) -> bool:
    return bool(a.fps and b.fps and abs(a.fps - b.fps) > 0.5)


def _cutoffs_differ(a: Run, b: Run) -> bool:
    return bool(a.cutoff_hz and b.cutoff_hz and abs(a.cutoff_hz - b.cutoff_hz) > 0.1)


def _caveat(name: str, a: Run, b: Run) -> str:
    """What marks a row: the frame rates (timing) or the filter cutoffs (the rest)."""
    if _is_timing(name):
        return "frame rates differ" if _fps_differ(a, b) else ""
    if name == "cadence_spm":  # a rate over many strides: neither frame rate nor filter
        return ""
    return "filter cutoffs differ" if _cutoffs_differ(a, b) else ""


#: Measures that share another's target (the same distance in other units).
_SAME_TARGET = {
    "overstride_cm": "overstride_leg",
    "vertical_oscillation_cm": "vertical_oscillation_leg",
}


def _is_timing(key: str) -> bool:
    """A measure made of event times (contact, flight, step time, duty factor)."""
    return key.endswith("_ms") or key == "duty_factor"


def caveats(a: Run, b: Run) -> list[str]:
    """What differs between the two clips and can move a measure on its own (plain words)."""
    out = []
    if _fps_differ(a, b):
        out.append(
            f"The clips were filmed at different frame rates ({a.fps:g} and {b.fps:g} fps). "
            "Contact, flight and step times and the duty factor carry frame-rate errors of "
            "their own, so a change in them may come from the camera, not the runner: film "
            "both at the same rate (the rows are marked)."
        )
    if _cutoffs_differ(a, b):
        out.append(
            f"The angles were smoothed differently ({a.cutoff_hz:g} and {b.cutoff_hz:g} Hz "
            "low-pass, set by each clip's frame rate): a lower cutoff flattens peaks and "
            "shifts angles at contact, so angle changes may come from the filter (the rows "
            "are marked)."
        )
    ca, cb = a.data.get("clip", {}), b.data.get("clip", {})
    if ca.get("near_side") and cb.get("near_side") and ca["near_side"] != cb["near_side"]:
        out.append(
            f"The leg nearer the camera differs ({ca['near_side']} before, {cb['near_side']} "
            "after): the two legs of one runner differ too, so film the same side."
        )
    if ca.get("treadmill") is not None and cb.get("treadmill") is not None:
        if bool(ca["treadmill"]) != bool(cb["treadmill"]):
            out.append(
                "One clip is on a treadmill and the other over ground: runners move "
                "differently on each, so compare like with like."
            )
    return out


def _direction(name: str, va: float, vb: float, diff: float, targets: dict) -> str:
    """Words for the side a change went: to the coaching target, or to the norm's mean."""
    want = targets.get(_SAME_TARGET.get(name, name))
    if want is not None:
        good = diff < 0 if want == "down" else diff > 0
        return "towards the target" if good else "away from the target"
    norm = NORMS.get(name)
    if norm is not None:
        closer = abs(vb - norm.mean) < abs(va - norm.mean)
        return "closer to the published mean" if closer else "further from the published mean"
    return ""


def row_numbers(r: dict) -> tuple[str, str, str, str, str]:
    """Before, after, change and its interval's ends of a :func:`compare` row, as text
    with the decimals the measure's size needs (the change and interval signed)."""
    scale = max(abs(r["a"]), abs(r["b"]))
    signed = (format_value(r[k], scale, True) for k in ("diff", "diff_lo", "diff_hi"))
    return (format_value(r["a"], scale), format_value(r["b"], scale), *signed)


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
        toward = _direction(name, va, vb, diff, targets) if changed else ""
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
                "unit": label(name)[1].strip() or "ratio",
                "caveat": _caveat(name, a, b),
            }
        )
    return rows
