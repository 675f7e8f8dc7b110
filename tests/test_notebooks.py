"""Every notebook runs headless as a student's fresh copy; masters answer every exercise.

Each notebook is executed with nbclient in a new kernel, in a temporary folder with no
``../shared``, offline (see ``tests/support/notebooks.py``). The master must solve every
exercise it defines (its ``solution`` cells answer them); the student copy written by
``runform.teach`` must run top to bottom without an error, with the exercises present
and unanswered. Committed notebooks carry no outputs.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from runform import teach
from tests.support import notebooks as nbs

NOTEBOOKS = nbs.notebooks()
IDS = [p.stem for p in NOTEBOOKS]
_MASTER_RUNS: dict = {}


def _run_master(path, tmp_path_factory) -> dict:
    """Execute a master once per session (two tests read its report)."""
    if path not in _MASTER_RUNS:
        _MASTER_RUNS[path] = nbs.execute(path, tmp_path_factory.mktemp("master"))
    return _MASTER_RUNS[path]


def test_there_is_a_start_here_notebook():
    assert (nbs.NOTEBOOKS / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; "
        "clear them before committing (Edit → Clear Outputs of All Cells)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_master_has_solutions_and_exercises_where_taught(path):
    nb = nbformat.read(path, as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    n_solutions = sum(teach.SOLUTION_TAG in t for t in tags)
    assert n_solutions >= 1, f"{path.name} has no cell tagged 'solution'"
    # every solution cell follows an exercise cell, not another solution
    for i, t in enumerate(tags):
        if teach.SOLUTION_TAG in t:
            assert i > 0 and teach.SOLUTION_TAG not in tags[i - 1], (path.name, i)
    headings = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any("Check your understanding" in h for h in headings)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_master_runs_and_answers_every_exercise(path, tmp_path_factory):
    report = _run_master(path, tmp_path_factory)
    exercises = report["exercises"]
    assert len(exercises) >= 3, f"{path.name} defines only {len(exercises)} exercises"
    unsolved = [e["title"] for e in exercises if not e["solved"]]
    assert not unsolved, f"{path.name}: the master does not solve {unsolved}"
    kinds = {e["kind"] for e in exercises}
    if path.name == "00_start_here.ipynb":
        assert kinds == {"Choice", "Numeric", "Function"}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_copy_runs_clean_with_exercises_unanswered(path, tmp_path, tmp_path_factory):
    (copy,) = teach.write_copies("student", path, tmp_path / "student")
    nb = nbformat.read(copy, as_version=4)
    assert not any(teach.SOLUTION_TAG in c.metadata.get("tags", []) for c in nb.cells)
    master = _run_master(path, tmp_path_factory)["exercises"]
    student = nbs.execute(copy, tmp_path / "run-student")["exercises"]
    assert [e["title"] for e in student] == [e["title"] for e in master]
    assert not any(e["solved"] for e in student), "a student copy arrives with answers"
