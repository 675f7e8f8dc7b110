"""The coaching table as data: ``runform/findings.json``, read, checked and named.

Each problem of the table names what a coach sees, its usual causes, a cue, and the one
measurement that detects it (``detect``: ``measure``, ``above``/``below`` a threshold of
:data:`runform.reference.THRESHOLDS` or a number, the typical ``error`` of that
measurement). This module reads and checks a table and gives the measures their plain
names; :mod:`runform.findings` judges the problems on an analysed clip.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from .errors import InputError
from .reference import THRESHOLDS

__all__ = [
    "LABELS",
    "TABLE_PATH",
    "UNIT_SUFFIXES",
    "format_value",
    "label",
    "load_table",
    "problem_codes",
    "unit",
]

TABLE_PATH = Path(__file__).with_name("findings.json")
#: The unit a metric key's ending names (runform's naming rule; longest ending first).
#: :data:`LABELS` gives the same units (``tests/test_report.py`` checks).
UNIT_SUFFIXES = (
    ("_deg_s", "°/s"),
    ("_deg", "°"),
    ("_spm", "steps/min"),
    ("_ms", "ms"),
    ("_cm", "cm"),
    ("_leg", "leg lengths"),
    ("_s", "s"),
    ("_m", "m"),
)
#: Plain names and units of the measures, for sentences a coach reads.
LABELS = {
    "shank_angle_ic_deg": ("shank angle at contact", "°"),
    "overstride_leg": ("heel ahead of the hips at contact", " leg lengths"),
    "overstride_cm": ("heel ahead of the hips at contact", " cm"),
    "foot_strike_angle_deg": ("foot-strike angle (toe up +)", "°"),
    "knee_flexion_ic_deg": ("knee bend at contact", "°"),
    "swing_dorsiflexion_peak_deg": ("ankle dorsiflexion before contact (late swing)", "°"),
    "peak_hip_extension_deg": ("thigh behind vertical at push-off", "°"),
    "thigh_angular_velocity_deg_s": ("peak forward thigh speed", " °/s"),
    "swing_thigh_peak_deg": ("peak forward thigh angle in swing", "°"),
    "swing_knee_flexion_peak_deg": ("peak knee bend in swing", "°"),
    "thigh_retraction_deg": ("thigh swung back before contact", "°"),
    "thigh_angle_ic_deg": ("thigh angle at contact", "°"),
    "duty_factor": ("duty factor (share of the stride on the ground)", ""),
    "flight_time_ms": ("flight time", " ms"),
    "contact_time_ms": ("contact time", " ms"),
    "vertical_oscillation_leg": ("hip bounce", " leg lengths"),
    "trunk_lean_deg": ("trunk lean (forward +)", "°"),
    "cadence_spm": ("cadence", " steps/min"),
    "step_time_ms": ("step time", " ms"),
    "stride_time_ms": ("stride time", " ms"),
    "knee_flexion_peak_stance_deg": ("peak knee bend in stance", "°"),
    "dorsiflexion_peak_stance_deg": ("peak ankle dorsiflexion in stance", "°"),
    "hip_extension_timing_ms": ("time from toe-off to peak thigh extension (+ after)", " ms"),
    "vertical_oscillation_cm": ("hip bounce", " cm"),
}


def load_table(path: str | os.PathLike | None = None) -> list[dict]:
    """The coaching table (``problems`` of ``findings.json``, or of the file at ``path``).

    Raises
    ------
    InputError
        The file is missing, not JSON, or a problem lacks a field or names an unknown
        threshold.
    """
    p = Path(path) if path is not None else TABLE_PATH
    try:
        problems = json.loads(p.read_text(encoding="utf-8"))["problems"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(
            f"Cannot read the coaching table {p}: {exc}. It must be JSON with "
            "a 'problems' list (see runform/findings.json)."
        ) from None
    for prob in problems:
        missing = {"code", "problem", "cue", "detect"} - set(prob)
        if missing:
            raise InputError(
                f"{p.name}: problem {prob.get('code', '?')!r} lacks {', '.join(sorted(missing))}."
            )
        d = prob["detect"]
        ref = d.get("above", d.get("below"))
        if ref is None or (isinstance(ref, str) and ref not in THRESHOLDS):
            raise InputError(
                f"{p.name}: problem {prob['code']!r}: 'above'/'below' must be a "
                f"number or one of {', '.join(sorted(THRESHOLDS))}; got {ref!r}."
            )
    return problems


def problem_codes(table: list[dict] | None = None) -> list[str]:
    """Codes of the problems in the table, in order."""
    return [p["code"] for p in (table or load_table())]


def unit(measure: str) -> str:
    """The unit a metric key's ending names (``"thigh_angular_velocity_deg_s"`` → ``"°/s"``);
    ``""`` for a ratio such as ``duty_factor``."""
    return next((u for end, u in UNIT_SUFFIXES if measure.endswith(end)), "")


def label(measure: str) -> tuple[str, str]:
    """Plain name and unit suffix of a measure (``" ms"``, ``"°"``; unknown measures: the
    key's words and the unit of its ending)."""
    if measure in LABELS:
        return LABELS[measure]
    u = unit(measure)
    return measure.replace("_", " "), ("" if u in ("", "°") else " ") + u


def format_value(v: float, scale: float, signed: bool = False) -> str:
    """``v`` with as many decimals as a measure of size ``scale`` needs (0 from 100 up,
    1 from 1, 2 from 0.1, else 3), with a sign when ``signed``; "–" when None or not
    finite."""
    if v is None or not math.isfinite(v):
        return "–"
    scale = abs(scale) if scale is not None and math.isfinite(scale) else abs(v)
    digits = 0 if scale >= 100 else 1 if scale >= 1 else 2 if scale >= 0.1 else 3
    v = 0.0 if round(v, digits) == 0 else v  # no "-0.0"
    return f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"
