"""Self-checking exercises for notebooks, built on ipywidgets only.

No server, no custom JavaScript: the check runs in the kernel, so the same exercise
works in JupyterLab, on Binder, in Voilà and headless (a test or a notebook cell can
answer it and read the feedback). Three kinds:

* :class:`Choice` – one correct option among several, with feedback for every option;
* :class:`Numeric` – a number checked against a value the caller computes with runform
  from the same clip, within a tolerance set by the measurement's uncertainty (e.g. one
  frame for an event time). The value is kept inside the exercise and never shown;
* :class:`Function` – the student writes a function; it is run on test cases whose
  expected results come from runform.

A wrong answer gets the next of the exercise's graded hints (first a nudge, then a
stronger hint); a right one a confirmation. Programmatic use::

    q = Choice("Which leg should you trust?", {"near": "Yes: ...", "far": "No: ..."},
               answer="near", hints=["Which leg does the camera see whole?"])
    q                         # shows the widget
    fb = q.check("far")       # Feedback: shown as the ✘ message and hint in a notebook
    fb.correct, fb.hint, q.solved, q.attempts

:func:`exercises` lists every exercise made in this session (a CI check of a master
notebook asserts they are all solved).
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Choice", "Exercise", "Feedback", "Function", "Numeric", "exercises", "reset"]

_ALL: list[Exercise] = []


@dataclass(frozen=True, repr=False)
class Feedback:
    """The outcome of one attempt.

    As the last line of a notebook cell it shows as the widget does (✔ or ✘, the message
    and the hint), not as a data record.

    Attributes
    ----------
    correct : bool
        Whether the answer was accepted.
    message : str
        What the student is told about this answer (plain text).
    hint : str or None
        The graded hint shown after a wrong answer (None when right or no hints).
    level : int
        Which hint (1 = the first nudge); 0 when none was given.
    n_hints : int
        How many hints the exercise has (for "Hint 1 of 2").
    """

    correct: bool
    message: str
    hint: str | None = None
    level: int = 0
    n_hints: int = 0

    def __str__(self) -> str:
        return self.message + (f" Hint {self.level}: {self.hint}" if self.hint else "")

    def __repr__(self) -> str:
        mark = "✔" if self.correct else "✘"
        hint = f" Hint {self.level} of {self.n_hints}: {self.hint}" if self.hint else ""
        return f"{mark} {self.message}{hint}"

    def _repr_html_(self) -> str:
        return _feedback_html(self)


def exercises() -> list[Exercise]:
    """Every exercise created in this Python session, in creation order."""
    return list(_ALL)


def reset() -> None:
    """Forget the exercises created so far (for tests)."""
    _ALL.clear()


class Exercise:
    """Common part: a prompt, an answer control, a Check button, feedback and hints.

    Subclasses set :attr:`control` (the answer widget), implement :meth:`_grade` and
    :meth:`_read` (the control's current answer).

    Parameters
    ----------
    prompt : str
        The question (HTML allowed).
    hints : sequence of str
        Graded hints, mildest first; the n-th wrong attempt shows hint n (the last one
        repeats).
    title : str, optional
        A short label (shown bold, used by :func:`exercises` reports).
    """

    kind = "exercise"

    def __init__(self, prompt: str, *, hints: Sequence[str] = (), title: str | None = None):
        import ipywidgets as w

        self.prompt, self.hints, self.title = prompt, tuple(hints), title or self.kind
        self.attempts, self.wrong, self.solved = 0, 0, False
        self.feedback: Feedback | None = None
        self._prompt = w.HTML(f"<b>{html.escape(self.title)}.</b> {prompt}")
        self.button = w.Button(
            description="Check", button_style="primary", layout=w.Layout(width="90px")
        )
        self.button.add_class("runform-check")
        self.output = w.HTML("")
        self.output.add_class("runform-feedback")
        self.button.on_click(lambda _b: self._submit(self._read()))
        self.control = self._control()
        self.widget = w.VBox(
            [self._prompt, w.HBox([self.control, self.button]), self.output],
            layout=w.Layout(border="1px solid #bbb", padding="6px", margin="6px 0"),
        )
        self.widget.add_class("runform-exercise")
        _ALL.append(self)

    # subclasses -----------------------------------------------------------
    def _control(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _read(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _grade(self, answer: Any) -> tuple[bool, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _show(self, answer: Any) -> None:
        """Put a programmatic answer into the control (when it can hold it)."""

    # common ---------------------------------------------------------------
    def check(self, answer: Any) -> Feedback:
        """Answer the exercise from code; returns (and displays) the feedback."""
        self._show(answer)
        return self._submit(answer)

    @property
    def hint_level(self) -> int:
        """Hints shown so far (0 before any wrong answer)."""
        return self.feedback.level if self.feedback and self.feedback.hint else 0

    def _submit(self, answer: Any) -> Feedback:
        self.attempts += 1
        ok, message = self._grade(answer)
        if ok:
            self.solved = True
            fb = Feedback(True, message, n_hints=len(self.hints))
        else:
            self.wrong += 1
            level = min(self.wrong, len(self.hints))
            hint = self.hints[level - 1] if level else None
            fb = Feedback(False, message, hint, level, len(self.hints))
        self.feedback = fb
        self.output.value = _feedback_html(fb)
        return fb

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        state = "solved" if self.solved else f"{self.attempts} attempt(s)"
        return f"<{type(self).__name__} {self.title!r}: {state}>"


def _feedback_html(fb: Feedback) -> str:
    colour, mark = ("#1a7f37", "✔") if fb.correct else ("#b35900", "✘")
    out = (
        f"<div class='runform-{'correct' if fb.correct else 'wrong'}' "
        f"style='color:{colour}'>{mark} {html.escape(fb.message)}</div>"
    )
    if fb.hint:
        out += (
            f"<div class='runform-hint' style='color:#444'><i>Hint {fb.level} of "
            f"{fb.n_hints}:</i> {html.escape(fb.hint)}</div>"
        )
    return out


class Choice(Exercise):
    """Multiple choice with feedback for every option.

    Parameters
    ----------
    prompt : str
        The question.
    options : mapping of str to str
        Option label → what the student is told when choosing it.
    answer : str
        The correct option's label.
    hints, title
        See :class:`Exercise`.
    """

    kind = "Question"

    def __init__(self, prompt: str, options: Mapping[str, str], answer: str, **kwargs):
        if answer not in options:
            raise ValueError(f"answer {answer!r} is not one of the options {list(options)}")
        self.options, self._answer = dict(options), answer
        super().__init__(prompt, **kwargs)

    def _control(self):
        import ipywidgets as w

        box = w.RadioButtons(
            options=list(self.options), value=None, layout=w.Layout(width="max-content")
        )
        box.add_class("runform-options")
        return box

    def _read(self):
        return self.control.value

    def _show(self, answer):
        if answer in self.options:
            self.control.value = answer

    def _grade(self, answer):
        if answer not in self.options:
            return False, "Pick one of the options first."
        return answer == self._answer, self.options[answer]


class Numeric(Exercise):
    """A number checked against a reference value within a tolerance.

    Parameters
    ----------
    prompt : str
        The question; say the unit.
    answer : float
        The reference value: what runform computes from the same clip, or the truth of a
        rendered sample (pass an expression, never a literal; it is never displayed).
    tolerance : float
        Accepted absolute difference, from the measurement's uncertainty (e.g. one
        frame, ``clip.frame_ms``, for an event time), in the answer's unit; > 0.
    unit : str
        Unit shown beside the box.
    reference : str
        What ``answer`` is, as the feedback names it ("within ±2 ° of *the true angle*");
        default "runform's value".
    hints, title
        See :class:`Exercise`.
    """

    kind = "Measure"

    def __init__(
        self,
        prompt: str,
        answer: float,
        tolerance: float,
        *,
        unit: str = "",
        reference: str = "runform's value",
        **kwargs,
    ):
        if not (isinstance(answer, numbers.Real) and math.isfinite(answer)):
            raise ValueError("answer must be a finite number (runform could not compute it?)")
        if not (isinstance(tolerance, numbers.Real) and tolerance > 0):
            raise ValueError(f"tolerance must be a positive number, got {tolerance!r}")
        self._answer, self.tolerance, self.unit = float(answer), float(tolerance), unit
        self.reference = reference
        super().__init__(prompt, **kwargs)

    def _control(self):
        import ipywidgets as w

        box = w.Text(
            placeholder=f"your answer{' in ' + self.unit if self.unit else ''}",
            layout=w.Layout(width="180px"),
        )
        box.add_class("runform-answer")
        return box

    def _read(self):
        return self.control.value

    def _show(self, answer):
        self.control.value = str(answer)

    def _grade(self, answer):
        try:
            value = float(str(answer).replace(",", ".").strip())
        except ValueError:
            return False, f"{answer!r} is not a number: type digits only (e.g. 12.5)."
        if not math.isfinite(value):
            return False, "Type a finite number."
        tol = f"±{self.tolerance:.3g}{' ' + self.unit if self.unit else ''}"
        if abs(value - self._answer) <= self.tolerance:
            return True, f"Correct: within {tol} of {self.reference}."
        side = "high" if value > self._answer else "low"
        return False, f"Not yet: {value:g} is too {side} (more than {tol} away)."


class Function(Exercise):
    """The student's function, run on test cases whose results come from runform.

    Parameters
    ----------
    prompt : str
        What the function must do, with its signature.
    cases : sequence of (args, expected)
        Positional arguments (a tuple) and the expected return value (a number).
    tolerance : float
        Accepted absolute difference per case.
    hints, title
        See :class:`Exercise`.

    Notes
    -----
    The Check button is replaced by a call: ``exercise.check(my_function)``.
    """

    kind = "Code"

    def __init__(
        self,
        prompt: str,
        cases: Sequence[tuple[tuple, float]],
        *,
        tolerance: float = 1e-6,
        **kwargs,
    ):
        if not cases:
            raise ValueError("a function exercise needs at least one test case")
        self.cases, self.tolerance = [(tuple(a), float(e)) for a, e in cases], float(tolerance)
        super().__init__(prompt, **kwargs)
        self.button.layout.display = "none"

    def _control(self):
        import ipywidgets as w

        return w.HTML(
            "<i>Define your function, then run <code>.check(your_function)</code> in a cell.</i>"
        )

    def _read(self):
        return None

    def _grade(self, func: Callable | None):
        if not callable(func):
            return False, "Pass your function itself, e.g. exercise.check(knee_angle)."
        for k, (args, expected) in enumerate(self.cases, 1):
            try:
                got = float(func(*args))
            except Exception as exc:  # the student's code may raise anything
                return False, f"Case {k} raised {type(exc).__name__}: {exc}"
            if not abs(got - expected) <= self.tolerance:
                return False, (
                    f"Case {k} of {len(self.cases)}: got {got:.4g}, expected {expected:.4g}."
                )
        return True, f"All {len(self.cases)} test cases pass."
