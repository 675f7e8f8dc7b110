"""Coaching findings: the problem → cause → cue table as data, judged on the measurements.

The table lives in ``runform/findings.json`` (a coach may edit it or pass their own;
reading and checking it is :mod:`runform.coaching_table`):
each problem names what a coach sees, its usual causes, a cue, and the one measurement
that detects it, compared with a threshold of :data:`runform.reference.THRESHOLDS`
(most are coaching conventions built around a published value; each says so).

A problem is judged on the mean of the measurement over the clip's steps and its 95 %
confidence interval (CI):

- **present** when the whole CI lies beyond the threshold;
- **absent** when the whole CI lies on the good side;
- **cannot tell** when the CI straddles the threshold (borderline), or when the clip
  cannot support the measurement (too few steps, too low a frame rate, a rotated or
  oblique view, hidden landmarks): the finding is then *withheld*, with the reason.

Confidence (``"high"``, ``"moderate"``, ``"low"``) grades a present/absent verdict by
how far the mean lies from the threshold compared with the typical error of that
measurement from 2D video (:data:`runform.reference.ANGLE_ERROR_DEG`), and by the
number of steps: a CI excludes random step-to-step scatter, not a systematic offset of
the landmarks.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

import numpy as np

from .coaching_table import LABELS, TABLE_PATH, label, load_table, problem_codes
from .errors import InputError
from .findings_summary import STATUSES, summary  # noqa: F401  (STATUSES: re-exported)
from .metrics import Metric
from .reference import ANGLE_ERROR_DEG, MIN_FINDING_STEPS, THRESHOLDS, VISIBILITY_THRESHOLD

__all__ = [
    "LABELS",
    "TABLE_PATH",
    "Evidence",
    "Finding",
    "RunnerProfile",
    "evaluate",
    "find",
    "label",
    "load_table",
    "measures",
    "problem_codes",
    "summary",
]

#: Lowest frame rate at which mean contact/flight timing is used for a finding (one
#: frame = 40 ms at 25 fps, a sixth of a contact; a project convention).
MIN_TIMING_FPS = 25.0
#: Quality records that make every angle unusable (a rotated or oblique view).
BLOCKING_VIEW = ("no_person", "sideways", "upside_down", "oblique_view")
#: Steps from which a verdict may be "high" confidence (project convention).
HIGH_CONFIDENCE_STEPS = 5
_JOINT_LANDMARKS = {
    "hip": "hip",
    "knee": "knee",
    "ankle": "ankle",
    "heel": "heel",
    "foot_index": "foot_index",
    "shoulder": "shoulder",
}


@dataclass(frozen=True)
class RunnerProfile:
    """What the coach knows about the runner (all optional).

    Attributes
    ----------
    height_cm : float, optional
        Stature, cm (gives overstride in cm).
    speed_mps : float, optional
        Running speed, m/s (treadmill setting): adjusts speed-dependent thresholds.
    """

    height_cm: float | None = None
    speed_mps: float | None = None

    def __post_init__(self) -> None:
        if self.height_cm is not None and not 50 <= float(self.height_cm) <= 250:
            raise InputError(f"height should be a stature in cm (50–250), got {self.height_cm!r}.")
        if self.speed_mps is not None and not 0.5 <= float(self.speed_mps) <= 12:
            raise InputError(
                f"speed should be in m/s (0.5–12; 10 km/h = 2.78 m/s), got {self.speed_mps!r}."
            )


@dataclass(frozen=True)
class Evidence:
    """One number a finding rests on: mean, 95 % CI, steps, unit."""

    measure: str
    value: float
    ci95: tuple[float, float]
    n_steps: int
    note: str = ""

    def to_dict(self) -> dict:
        """JSON-ready dict (NaN → None)."""

        def num(v):
            return None if v is None or not np.isfinite(v) else round(float(v), 3)

        return {
            "measure": self.measure,
            "value": num(self.value),
            "ci95": [num(v) for v in self.ci95],
            "n_steps": int(self.n_steps),
            "note": self.note,
        }


@dataclass(frozen=True)
class Finding:
    """The verdict on one problem of the coaching table.

    Attributes
    ----------
    code, problem : str
        Identifier and plain name of the problem.
    status : {"present", "absent", "cannot_tell"}
    confidence : {"high", "moderate", "low"} or None
        None when the status is "cannot_tell".
    withheld : bool
        True when the clip cannot support this measurement (``reason`` says why).
    reason : str
        The verdict in one plain sentence, with the numbers.
    evidence : tuple of Evidence
        The detecting measurement first, then the supporting ones.
    threshold, direction, threshold_basis
        The cut-off used (after any speed adjustment), "above"/"below", and its source.
    what_you_see, causes, cue, explanation, evidence_strength
        Text of the coaching table.
    """

    code: str
    problem: str
    status: str
    confidence: str | None
    withheld: bool
    reason: str
    evidence: tuple = ()
    threshold: float = float("nan")
    direction: str = "above"
    threshold_basis: str = ""
    convention: bool = True
    what_you_see: str = ""
    causes: tuple = ()
    cue: str = ""
    explanation: str = ""
    evidence_strength: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        d = asdict(self)
        d["evidence"] = [e.to_dict() for e in self.evidence]
        d["causes"] = list(self.causes)
        d["threshold"] = None if not np.isfinite(self.threshold) else self.threshold
        return d


def measures(analysis) -> dict[str, Metric]:
    """Every measurement a finding can use: clip metrics plus swing measures."""
    from .swing import swing_measures

    out = {k: v for k, v in analysis.metrics.items() if isinstance(v, Metric)}
    fs = analysis.metrics.get("foot_strike")
    if fs is not None:
        out["foot_strike_angle_deg"] = fs.angle
    foot = analysis.clip.near_side or "left"
    out.update(swing_measures(analysis.angles, analysis.events, foot))
    return out


def _threshold(detect: dict, profile: RunnerProfile | None) -> tuple[float, str, str, bool]:
    """(value, direction, basis, convention) of a detect rule, speed-adjusted if asked."""
    direction = "above" if "above" in detect else "below"
    ref = detect[direction]
    if isinstance(ref, str):
        thr = THRESHOLDS[ref]
        value, basis, conv = thr.value, thr.basis, thr.convention
    else:
        value, basis, conv = float(ref), "set in the coaching table", True
    slope = detect.get("speed_slope")
    if slope and profile is not None and profile.speed_mps is not None:
        ref_v = float(detect.get("speed_ref_mps", 2.5))
        v = float(np.clip(profile.speed_mps, 2.0, 6.0))
        value += THRESHOLDS[slope].value * (v - ref_v)
        basis += f" Adjusted to {profile.speed_mps:g} m/s: {THRESHOLDS[slope].basis}"
    return float(value), direction, basis, conv


def _error(detect: dict) -> float:
    err = detect.get("error", 0.0)
    return float(ANGLE_ERROR_DEG.get(err, 0.0) if isinstance(err, str) else err)


def _withheld_reason(analysis, prob: dict, metric: Metric | None) -> str | None:
    """Why the clip cannot support this problem's measurement, or None."""
    codes = {q.code: q for q in analysis.quality}
    errors = [q for q in analysis.quality if q.severity == "error"]
    if errors:
        return f"the clip cannot be analysed as it is ({errors[0].message})"
    needs = prob.get("needs", {})
    if needs.get("angles") and any(c in codes for c in BLOCKING_VIEW):
        q = next(codes[c] for c in BLOCKING_VIEW if c in codes)
        return f"angles from this view are unreliable ({q.message})"
    if needs.get("timing") and analysis.clip.fps < MIN_TIMING_FPS:
        return (
            f"at {analysis.clip.fps:g} fps one frame lasts {analysis.clip.frame_ms:.0f} ms, "
            f"too coarse to time contacts (film at {MIN_TIMING_FPS:g} fps or more)"
        )
    hidden = _hidden_joints(analysis, needs.get("angles", ()))
    if hidden:
        return (
            f"the near leg's {', '.join(hidden)} {'is' if len(hidden) == 1 else 'are'} "
            "hidden or poorly detected in most frames"
        )
    if metric is None or not metric.known:
        return "the measurement could not be made on this clip (no complete strides)"
    if metric.n_steps < MIN_FINDING_STEPS:
        return (
            f"only {metric.n_steps} step(s) could be measured; at least "
            f"{MIN_FINDING_STEPS} are needed (film a longer run)"
        )
    return None


def _hidden_joints(analysis, joints) -> list[str]:
    from .landmarks import INDEX

    side = analysis.clip.near_side or "left"
    vis = analysis.raw.visibility
    out = []
    for j in joints:
        name = f"{side}_{_JOINT_LANDMARKS.get(j, j)}"
        if name in INDEX and len(vis) and np.median(vis[:, INDEX[name]]) < VISIBILITY_THRESHOLD:
            out.append(j.replace("_", " "))
    return out


def _judge(m: Metric, thr: float, direction: str, err: float) -> tuple[str, str | None]:
    """Status and confidence of a mean with CI against a threshold (see module doc)."""
    lo, hi = m.ci95
    if not (np.isfinite(lo) and np.isfinite(hi)):
        lo = hi = m.value
    sign = 1.0 if direction == "above" else -1.0
    beyond_lo, beyond_hi = sorted((sign * (lo - thr), sign * (hi - thr)))
    if beyond_lo > 0:
        status = "present"
    elif beyond_hi < 0:
        status = "absent"
    else:
        return "cannot_tell", None
    margin = abs(m.value - thr)
    if margin > err and m.n_steps >= HIGH_CONFIDENCE_STEPS:
        return status, "high"
    return status, "moderate" if margin > err / 2 else "low"


def _fmt(v: float) -> str:
    return f"{v:.2f}" if abs(v) < 2 else f"{v:.1f}"


def _reason(prob, m: Metric, status, thr, direction, err) -> str:
    lo, hi = m.ci95
    name, unit = label(prob["detect"]["measure"])
    ci = f" (95% CI {_fmt(lo)} to {_fmt(hi)}{unit})" if np.isfinite(lo) else ""
    base = (
        f"{name}: {_fmt(m.value)}{unit}{ci} over {m.n_steps} steps; threshold: "
        f"{direction} {_fmt(thr)}{unit}"
    )
    if status == "cannot_tell":
        return base + ": the steps fall on both sides of the threshold (borderline)."
    tail = (
        ""
        if abs(m.value - thr) > err
        else (f"; the margin is within the ~{_fmt(err)}{unit} error of this measurement from video")
    )
    return base + tail + "."


def _table_text(prob: dict) -> dict:
    """The coaching table's words for one problem, as :class:`Finding` fields."""
    return {
        "problem": prob["problem"],
        "what_you_see": prob.get("what_you_see", ""),
        "causes": tuple(prob.get("causes", ())),
        "cue": prob["cue"],
        "explanation": prob.get("explanation", ""),
        "evidence_strength": prob.get("evidence", ""),
    }


def evaluate(
    analysis,
    code: str,
    profile: RunnerProfile | None = None,
    table: list[dict] | None = None,
    values: dict | None = None,
) -> Finding:
    """Judge one problem of the coaching table on an analysed clip.

    Parameters
    ----------
    analysis : runform.Analysis
        The analysed clip.
    code : str
        Problem code (:func:`problem_codes`), e.g. ``"reaching"``.
    profile : RunnerProfile, optional
        Height and speed of the runner.
    table : list of dict, optional
        A coaching table (:func:`load_table`); default the bundled one.
    values : dict, optional
        Precomputed :func:`measures` (saves recomputing them per problem).

    Returns
    -------
    Finding
        ``status`` is "present", "absent" or "cannot_tell"; ``reason`` says why.
    """
    table = table or load_table()
    prob = next((p for p in table if p["code"] == code), None)
    if prob is None:
        raise InputError(
            f"No problem {code!r} in the coaching table; known: {', '.join(problem_codes(table))}."
        )
    values = measures(analysis) if values is None else values
    d = prob["detect"]
    m = values.get(d["measure"])
    thr, direction, basis, conv = _threshold(d, profile)
    err = _error(d)
    why = _withheld_reason(analysis, prob, m)
    evidence = tuple(
        Evidence(k, v.value, v.ci95, v.n_steps, v.note)
        for k in [d["measure"], *prob.get("supporting", [])]
        if (v := values.get(k)) is not None
    )
    text = {
        **_table_text(prob),
        "threshold": thr,
        "direction": direction,
        "threshold_basis": basis,
        "convention": conv,
    }
    if why is not None:
        return Finding(
            code,
            status="cannot_tell",
            confidence=None,
            withheld=True,
            reason=f"Not judged: {why}.",
            evidence=evidence,
            **text,
        )
    status, conf = _judge(m, thr, direction, err)
    cap = prob.get("max_confidence")
    if conf and cap == "low":
        conf = "low"
    return Finding(
        code,
        status=status,
        confidence=conf,
        withheld=False,
        reason=_reason(prob, m, status, thr, direction, err),
        evidence=evidence,
        **text,
    )


def find(
    analysis,
    profile: RunnerProfile | None = None,
    table: list[dict] | str | os.PathLike | None = None,
) -> list[Finding]:
    """Judge every problem of the coaching table; present ones first."""
    if profile is None and getattr(analysis, "height_cm", None):
        profile = RunnerProfile(height_cm=analysis.height_cm)
    table = load_table(table) if not isinstance(table, list) else table
    values = measures(analysis)
    out = [evaluate(analysis, p["code"], profile, table, values) for p in table]
    order = {"present": 0, "cannot_tell": 1, "absent": 2}
    return sorted(out, key=lambda f: (order[f.status], f.withheld))
