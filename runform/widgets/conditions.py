"""A table the student fills by choosing, per row, the condition a number belongs to.

Built on :class:`runform.exercises.Exercise` (same Check button, feedback and graded
hints), so it is listed by :func:`runform.exercises.exercises` with the other exercises.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from ..exercises import Exercise

__all__ = ["ConditionTable"]

PLACEHOLDER = "— choose —"


class ConditionTable(Exercise):
    """Match each row (a measured value) to one of several conditions.

    Parameters
    ----------
    prompt : str
        The question.
    rows : mapping of str to str
        Row label (e.g. "20°") → the correct option for it.
    options : sequence of str
        The conditions offered in every row's drop-down.
    hints, title
        See :class:`runform.exercises.Exercise`.

    Notes
    -----
    ``check({"20°": "NWB, knee bent", ...})`` answers from code. The feedback says how
    many rows are right and which are not, never what they should be.
    """

    kind = "Table"

    def __init__(self, prompt: str, rows: Mapping[str, str], options: Sequence[str], **kwargs):
        bad = [v for v in rows.values() if v not in options]
        if bad:
            raise ValueError(f"answers {bad} are not among the options {list(options)}")
        self.rows, self.options = dict(rows), list(options)
        super().__init__(prompt, **kwargs)

    def _control(self):
        import ipywidgets as w

        self.dropdowns = {
            label: w.Dropdown(
                options=[PLACEHOLDER, *self.options],
                value=PLACEHOLDER,
                layout=w.Layout(width="260px"),
            )
            for label in self.rows
        }
        cells = []
        for label, dd in self.dropdowns.items():
            cells += [w.HTML(f"<b>{html.escape(label)}</b>"), dd]
        return w.GridBox(cells, layout=w.Layout(grid_template_columns="120px 270px"))

    def _read(self):
        return {label: dd.value for label, dd in self.dropdowns.items()}

    def _show(self, answer):
        if isinstance(answer, Mapping):
            for label, value in answer.items():
                if label in self.dropdowns and value in self.options:
                    self.dropdowns[label].value = value

    def _grade(self, answer):
        if not isinstance(answer, Mapping):
            return False, "Choose a condition in every row."
        wrong = [label for label, right in self.rows.items() if answer.get(label) != right]
        if not wrong:
            return True, f"All {len(self.rows)} rows match their test."
        return False, (
            f"{len(self.rows) - len(wrong)} of {len(self.rows)} right; look again "
            f"at: {', '.join(wrong)}."
        )
