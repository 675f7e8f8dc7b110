"""Claim-with-measurement exercises: does the number you cite back what you say?

A fourth kind of self-checking exercise, next to :mod:`runform.exercises`' Choice,
Numeric and Function. The student writes a claim about a change (e.g. "pulling the toes
up before landing raises the foot-strike angle"), picks the measurement from the
notebook that backs it and the direction the claim asserts. The check compares the
direction with the measured change: a change counts only when it is larger than the
measurement's uncertainty (given with the evidence), so "raises" is not supported by a
difference inside the noise, and "does not change" is. The claim's text is kept (it is
the student's) but not graded: only its direction is. ::

    q = Claim("Write a claim about the toes-up cue ...",
              {"foot-strike angle": (3.0, 9.0, 2.5, "°")},
              change="pulling the toes up")
    q.check(("foot-strike angle", "raises", "Toes up lands the foot steeper."))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .exercises import Exercise

__all__ = ["DIRECTIONS", "Claim", "claim_verdict"]

DIRECTIONS = ("raises", "lowers", "does not change")


def claim_verdict(direction: str, before: float, after: float, uncertainty: float) -> str:
    """Does a measured change support a claim's direction?

    Parameters
    ----------
    direction : {"raises", "lowers", "does not change"}
        What the claim says the change does to the measurement.
    before, after : float
        The measurement without and with the change.
    uncertainty : float
        How large a change must be to count as real (e.g. the two 95 % CI half-widths
        combined, or the measurement's typical error), same unit; > 0.

    Returns
    -------
    {"supports", "contradicts", "cannot tell"}
        "cannot tell" when the claim says the measurement moves but the change lies
        within ``uncertainty``; "supports" a "does not change" claim in that case.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if not uncertainty > 0:
        raise ValueError(f"uncertainty must be positive, got {uncertainty!r}")
    delta = float(after) - float(before)
    moved = "raises" if delta > uncertainty else "lowers" if delta < -uncertainty else None
    if direction == "does not change":
        return "supports" if moved is None else "contradicts"
    if moved is None:
        return "cannot tell"
    return "supports" if moved == direction else "contradicts"


class Claim(Exercise):
    """A claim, the measurement that backs it, and a check of its direction.

    Parameters
    ----------
    prompt : str
        What to write a claim about.
    evidence : mapping of str to (before, after, uncertainty, unit)
        Measurement label → its value without and with the change, the smallest real
        change (> 0) and its unit; computed by runform in the notebook.
    change : str
        The change the claims are about, e.g. "pulling the toes up" (used in feedback).
    hints, title
        See :class:`runform.exercises.Exercise`.
    """

    kind = "Claim"

    def __init__(self, prompt: str, evidence: Mapping[str, tuple], *, change: str, **kwargs):
        if not evidence:
            raise ValueError("a claim exercise needs at least one measurement")
        for name, (_b, _a, unc, _u) in evidence.items():
            if not unc > 0:
                raise ValueError(f"uncertainty of {name!r} must be positive, got {unc!r}")
        self.evidence, self.change = dict(evidence), change
        self.claim_text = ""
        super().__init__(prompt, **kwargs)

    def _control(self):
        import ipywidgets as w

        self.text = w.Textarea(
            placeholder="your claim, in one sentence", layout=w.Layout(width="320px", height="60px")
        )
        self.measure = w.Dropdown(options=list(self.evidence), description="backed by")
        self.direction = w.Dropdown(options=DIRECTIONS, description="it")
        return w.HBox([self.text, w.VBox([self.measure, self.direction])])

    def _read(self) -> tuple:
        return (self.measure.value, self.direction.value, self.text.value)

    def _show(self, answer: Any) -> None:
        measure, direction, *text = (*tuple(answer), "")
        if measure in self.evidence:
            self.measure.value = measure
        if direction in DIRECTIONS:
            self.direction.value = direction
        self.text.value = str(text[0]) if text else ""

    def _grade(self, answer: Any) -> tuple[bool, str]:
        try:
            measure, direction, *rest = tuple(answer)
        except (TypeError, ValueError):
            return False, "Answer with (measurement, direction, your claim)."
        if measure not in self.evidence:
            return False, f"Back the claim with one of: {', '.join(self.evidence)}."
        if direction not in DIRECTIONS:
            return False, f"Say whether {self.change} {' / '.join(DIRECTIONS)} it."
        self.claim_text = str(rest[0]) if rest else ""
        before, after, unc, unit = self.evidence[measure]
        verdict = claim_verdict(direction, before, after, unc)
        sep = "" if unit == "°" else " "
        facts = (
            f"{measure}: {before:.1f}{sep}{unit} → {after:.1f}{sep}{unit} with "
            f"{self.change} (a change counts beyond ±{unc:.1f}{sep}{unit})"
        )
        if verdict == "supports":
            return True, f"Supported: {facts}, so it {direction} it."
        if verdict == "cannot tell":
            return False, (
                f"Not shown: {facts}; the change is within the uncertainty, so "
                "this measurement cannot back a claim that it moves."
            )
        return False, f"Contradicted: {facts}; the claim's direction is wrong."
