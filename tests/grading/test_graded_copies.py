"""The graded copies in ``autograded/`` explain themselves and agree with the gradebook.

nbgrader (formgrader, ``determine_grade``) reads a test cell with no error output as passed.  A
test cell that never ran (the kernel died, the time limit passed) or that ran without proving its
pass must therefore carry an error output saying why it earned nothing; then nbgrader's own
reading of every graded copy gives the same points as the gradebook, cell by cell.
"""

from __future__ import annotations

import logging

import nbformat
import pytest

from campaignlab.course import cells

from .conftest import LESSON, MODULE

pytestmark = [pytest.mark.slow, pytest.mark.needs("bwrap", "setpriv")]


def _graded_copies(cohort):
    for (student, name), res in sorted(cohort.results.items()):
        path = cohort.root / "autograded" / student / MODULE / name
        if res.status in ("graded", "error") and res.file:
            assert path.is_file(), f"{student}: no graded copy {path.name} ({res.status})"
            yield student, res, nbformat.read(path, as_version=4)


def test_nbgrader_reads_the_same_points_as_the_gradebook(cohort):
    from nbgrader.utils import determine_grade, is_grade, is_solution

    log = logging.getLogger("determine_grade")
    problems, copies, stopped = [], 0, 0
    for student, res, nb in _graded_copies(cohort):
        copies += 1
        stopped += any(t.outcome == "not run" for t in res.tests.values())
        for cell in nb.cells:
            if not is_grade(cell) or is_solution(cell):
                continue  # manual (written) answers are graded by hand
            gid = cells.grade_id(cell)
            points, _ = determine_grade(cell, log)
            ours = res.tests[gid].points
            if points != ours:
                problems.append(f"{student}/{gid}: nbgrader reads {points}, the gradebook has {ours} "
                                f"({res.tests[gid].outcome}: {res.tests[gid].detail})")
    assert copies >= 15, f"only {copies} graded copies of {LESSON}"
    assert stopped, "no hand-in of the cohort stopped before its last test: the case is not covered"
    assert not problems, "graded copies disagree with the gradebook:\n  " + "\n  ".join(problems)


def test_a_test_that_earned_nothing_says_why_in_its_output(cohort):
    problems = []
    for student, res, nb in _graded_copies(cohort):
        for cell in nb.cells:
            gid = cells.grade_id(cell)
            tr = res.tests.get(gid)
            if tr is None or tr.outcome == "passed":
                continue
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if not errors or not errors[-1].evalue.strip():
                problems.append(f"{student}/{gid}: {tr.outcome}, but no error output says why")
            elif tr.outcome == "not run" and not errors[-1].evalue.startswith("not run"):
                problems.append(f"{student}/{gid}: never ran, but its output says {errors[-1].evalue!r}")
    assert not problems, "\n  ".join(problems)


def test_a_stopped_notebook_names_the_cell_it_stopped_at(cohort):
    res = cohort.result("memory-bomb")
    not_run = [t for t in res.tests.values() if t.outcome == "not run"]
    assert not_run, {g: (t.outcome, t.detail) for g, t in res.tests.items()}
    for t in not_run:
        assert "ran out of memory" in t.detail and ", at cell " in t.detail, t.detail
