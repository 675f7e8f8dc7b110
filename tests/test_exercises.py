"""Self-checking exercises (runform.exercises), lesson answers and instructor copies."""

from __future__ import annotations

import math

import nbformat
import pytest

import runform as rf
from runform import answers, data, exercises, teach
from runform.exercises import Choice, Function, Numeric


@pytest.fixture(autouse=True)
def _fresh_registry():
    exercises.reset()
    yield
    exercises.reset()


def _choice():
    return Choice(
        "Which leg?",
        {"near": "Yes: seen whole.", "far": "No: hidden.", "both": "No: mixes good and poor."},
        answer="near",
        hints=["nudge", "stronger"],
        title="Leg",
    )


def test_choice_gives_per_option_feedback_then_graded_hints():
    q = _choice()
    first = q.check("far")
    assert (first.correct, first.message, first.hint, first.level) == (
        False,
        "No: hidden.",
        "nudge",
        1,
    )
    assert "Hint 1 of 2" in q.output.value and "nudge" in q.output.value
    second = q.check("both")
    assert (second.message, second.hint, second.level) == (
        "No: mixes good and poor.",
        "stronger",
        2,
    )
    third = q.check("far")
    assert third.hint == "stronger"  # the last hint repeats
    right = q.check("near")
    assert right.correct and right.hint is None and right.message == "Yes: seen whole."
    assert q.solved and q.attempts == 4 and "runform-correct" in q.output.value
    assert q.control.value == "near"  # the programmatic answer shows in the widget


def test_choice_button_grades_the_selected_option():
    q = _choice()
    q.button.click()
    assert not q.solved and "Pick one" in q.feedback.message
    q.control.value = "near"
    q.button.click()
    assert q.solved


def test_choice_rejects_an_answer_not_among_the_options():
    with pytest.raises(ValueError):
        Choice("?", {"a": "", "b": ""}, answer="c")


def test_numeric_tolerance_and_hidden_answer():
    q = Numeric(
        "Contact time?",
        answer=250.0,
        tolerance=16.7,
        unit="ms",
        hints=["count frames", "(TO - IC) x 16.7 ms"],
    )
    assert "250" not in repr(q) and "250" not in q.widget.children[0].value
    low = q.check(230)
    assert not low.correct and "too low" in low.message and "250" not in str(low)
    assert low.hint == "count frames"
    assert not q.check("abc").correct  # not a number: a clear message, no crash
    assert q.check("266,6").correct  # decimal comma accepted, within one frame
    assert "250" not in q.output.value
    q2 = Numeric("?", answer=250.0, tolerance=16.7)
    assert not q2.check(266.8).correct and "too high" in q2.feedback.message


def test_numeric_refuses_a_missing_answer_or_tolerance():
    with pytest.raises(ValueError):
        Numeric("?", answer=float("nan"), tolerance=1.0)
    with pytest.raises(ValueError):
        Numeric("?", answer=1.0, tolerance=0.0)


def test_function_exercise_runs_the_students_function():
    q = Function("hypot(a, b)", cases=[((3, 4), 5.0), ((5, 12), 13.0)], hints=["Pythagoras"])
    wrong = q.check(lambda a, b: a + b)
    assert not wrong.correct and "Case 1 of 2" in wrong.message and wrong.hint == "Pythagoras"
    crash = q.check(lambda a, b: 1 / 0)
    assert "ZeroDivisionError" in crash.message
    assert not q.check("not a function").correct
    assert q.check(math.hypot).correct and q.solved


def test_numeric_feedback_names_what_the_answer_is():
    runform_value = Numeric("?", answer=10.0, tolerance=1.0, unit="°")
    assert runform_value.check(10.5).message == "Correct: within ±1 ° of runform's value."
    truth = Numeric("?", answer=10.0, tolerance=1.0, unit="°", reference="the true angle")
    fb = truth.check(9.5)
    assert fb.message == "Correct: within ±1 ° of the true angle."
    assert "runform's value" not in truth.output.value


def test_check_shows_in_a_notebook_like_the_widget_not_as_a_record():
    """A check cell's output (the IPython display of check's Feedback) reads as feedback."""
    from IPython.core.interactiveshell import InteractiveShell

    q = Function("hypot(a, b)", cases=[((3, 4), 5.0)], hints=["Pythagoras", "a² + b²"])
    shown, _ = InteractiveShell.instance().display_formatter.format(q.check(lambda a, b: a + b))
    assert shown["text/html"] == q.output.value  # as the widget shows it
    assert "✘ Case 1 of 1: got 7, expected 5." in shown["text/html"]
    assert "Hint 1 of 2:</i> Pythagoras" in shown["text/html"]
    assert shown["text/plain"] == "✘ Case 1 of 1: got 7, expected 5. Hint 1 of 2: Pythagoras"
    assert "Feedback(" not in shown["text/plain"]
    right, _ = InteractiveShell.instance().display_formatter.format(q.check(math.hypot))
    assert right["text/plain"] == "✔ All 1 test cases pass."


def test_registry_lists_every_exercise_in_order():
    a, b = _choice(), Numeric("?", answer=1.0, tolerance=0.5)
    assert exercises.exercises() == [a, b]
    b.check(1.2)
    assert [e.solved for e in exercises.exercises()] == [False, True]


@pytest.fixture(scope="module")
def lesson():
    s = data.load()
    return s, rf.analyze(s.clip, height_cm=s.height_cm)


def test_answers_come_from_the_clip(lesson):
    s, result = lesson
    assert answers.one_frame_ms(result) == pytest.approx(1000 / 60)
    # what the player's IC/TO buttons show for the first near contact, within one frame
    row = answers.near_contact(result)
    frames_ms = (row["to_frame"] - row["ic_frame"]) * 1000 / 60
    assert answers.contact_time_ms(result) == pytest.approx(frames_ms, abs=1000 / 60)
    assert bool(row["near"]) and row["foot"] == result.clip.near_side
    # and within 4 frames of the simulated runner's 250 ms (runform's first near contact
    # on this clip reads 306 ms: IC 2.5 frames early, TO 1 frame late)
    assert answers.contact_time_ms(result) == pytest.approx(
        1000 * s.sample.params["runner"]["contact_time_s"], abs=4 * 1000 / 60
    )
    ic = int(answers.near_contact(result)["ic_frame"])
    truth_knee = answers.true_angle(s, "knee_flexion", ic)
    # the simulated runner lands with the knee bent ~18 deg; runform agrees within 5 deg
    assert 8 < truth_knee < 30
    near_knee = result.angles[f"{result.clip.near_side}_knee_flexion_deg"].iloc[ic]
    assert near_knee == pytest.approx(truth_knee, abs=answers.HAND_ANGLE_TOLERANCE_DEG)
    assert 0 < answers.landmark_offset_px(s, "knee", ic) < 20


def test_knee_cases_match_a_three_point_angle(lesson):
    import numpy as np

    _, result = lesson
    cases = answers.knee_cases(result, n=5)
    assert len(cases) == 5

    def knee_flexion(hip, knee, ankle):
        u, v = np.subtract(hip, knee), np.subtract(ankle, knee)
        return 180 - np.degrees(np.arccos(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v)))

    q = Function("knee", cases=cases, tolerance=0.01)
    assert q.check(knee_flexion).correct
    assert not q.check(lambda h, k, a: 180 - knee_flexion(h, k, a)).correct


def _master(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Lesson"),
        nbformat.v4.new_code_cell("q = 1", outputs=[], execution_count=3),
        nbformat.v4.new_code_cell("q.check(2)", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("note", metadata={"tags": ["instructor"]}),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hi")]
    path = tmp_path / "masters" / "01_lesson.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def test_student_copy_drops_solutions_and_notes_and_clears_outputs(tmp_path):
    master = _master(tmp_path)
    before = master.read_bytes()
    (out,) = teach.write_copies("student", master.parent, tmp_path / "student")
    cells = nbformat.read(out, as_version=4).cells
    assert [c.source for c in cells] == ["# Lesson", "q = 1"]
    assert cells[1].outputs == [] and cells[1].execution_count is None
    assert master.read_bytes() == before  # the master is never changed


def test_solutions_copy_keeps_everything_with_a_banner(tmp_path):
    master = _master(tmp_path)
    assert teach.main(["solutions", str(master), "--out", str(tmp_path / "sol")]) == 0
    cells = nbformat.read(tmp_path / "sol" / master.name, as_version=4).cells
    assert "Instructor copy" in cells[0].source
    assert [c.source for c in cells[1:]] == ["# Lesson", "q = 1", "q.check(2)", "note"]


def test_copy_refuses_to_overwrite_the_master(tmp_path):
    master = _master(tmp_path)
    with pytest.raises(ValueError):
        teach.write_copies("student", master, master.parent)
