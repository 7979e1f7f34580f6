"""Quality gates 2-4: the nbgrader round trip of every module of the curriculum, through the
engine instructors run (``campaignlab.course.autograde.Grader``: one sandbox per hand-in, on a
grading county generated from another seed, so typed-in numbers fail).

Per module (discovered in ``curriculum/``), in a throwaway course root and one autograde batch:
- ``generate_assignment`` builds the student version; no solution, hidden test or marker leaks;
- the reference solution (source, markers stripped, handed in as a student) gets full automatic
  marks; the untouched student version gets 0;
- every ``tests/submissions/<module>/<case>.yml`` gets exactly the expected points;
- the feedback of every one of them shows no hidden test.
"""

from __future__ import annotations

import pytest

from campaignlab.course import layout, leaks
from campaignlab.course.cells import grade_id

pytestmark = pytest.mark.slow
# Releasing needs only nbgrader; grading runs every hand-in in the sandbox, which needs these.
sandboxed = pytest.mark.needs("bwrap", "setpriv")


def test_curriculum_has_modules(curriculum_dir):
    assert layout.modules(curriculum_dir), (
        f"no module folder with a notebook in {curriculum_dir}: nothing would be released or graded"
    )


def test_release_leaks_nothing(course_build, curriculum_module, curriculum_dir):
    release_dir = course_build.release(curriculum_module)
    problems = leaks.check_release(curriculum_module, release_dir.parent.parent, curriculum_dir)
    assert not problems, (
        f"The student version of {curriculum_module} gives away answers or tests:\n  "
        + "\n  ".join(problems)
    )


def test_release_keeps_every_answer_cell(course_build, curriculum_module, curriculum_dir):
    """The student version has the same answer and test cells as the source (nothing lost)."""
    import nbformat

    release_dir = course_build.release(curriculum_module)
    problems = []
    for name in layout.notebooks(curriculum_module, curriculum_dir):
        src = nbformat.read(curriculum_dir / curriculum_module / name, as_version=4)
        rel = nbformat.read(release_dir / name, as_version=4)
        ids = [[grade_id(c) for c in nb.cells if grade_id(c)] for nb in (src, rel)]
        if ids[0] != ids[1]:
            problems.append(f"{name}: source cells {ids[0]} but released cells {ids[1]}")
    assert not problems, "\n".join(problems)


def _graded(course_build, module):
    g = course_build.graded(module)
    for student in ("reference", "blank"):
        assert student in g.scores, (
            f"{module}: no grades for {student!r}:\n{g.log[-3000:]}"
        )
    return g


@sandboxed
def test_reference_solution_gets_full_marks(course_build, curriculum_module):
    g = _graded(course_build, curriculum_module)
    problems = []
    for name, score in sorted(g.scores["reference"].items()):
        if score.code_score != score.max_code_score:
            lost = [t for t, pts in score.tests.items() if pts < score.max_tests[t]]
            problems.append(
                f"{curriculum_module}/{name}: reference solution scores {score.code_score} of "
                f"{score.max_code_score} automatic points; failing test cells:\n"
                + g.explain("reference", name, lost)
            )
    assert not problems, "\n".join(problems)


@sandboxed
def test_untouched_release_gets_zero(course_build, curriculum_module):
    g = _graded(course_build, curriculum_module)
    problems = []
    for name, score in sorted(g.scores["blank"].items()):
        if score.code_score != 0:
            passed = [t for t, pts in score.tests.items() if pts > 0]
            problems.append(
                f"{curriculum_module}/{name}: the untouched student version scores "
                f"{score.code_score} points; these test cells pass without an answer (make them "
                f"fail until the trainee answers):\n" + g.explain("blank", name, passed)
            )
    assert not problems, "\n".join(problems)


@sandboxed
def test_submission_case(course_build, submission_case, curriculum_dir):
    module, case_file = submission_case
    assert module in layout.modules(curriculum_dir), (
        f"{case_file}: there is no module {module!r} in {curriculum_dir}"
    )
    g = _graded(course_build, module)
    assert case_file.stem not in g.case_errors, g.case_errors.get(case_file.stem)
    student, case = g.cases[case_file.stem]
    where = f"{module}/{case.notebook}, case {case.name!r} ({case.why})"
    assert student in g.scores and case.notebook in g.scores[student], (
        f"{where}: not graded:\n{g.log[-3000:]}"
    )
    score = g.scores[student][case.notebook]
    problems = []
    unknown = sorted(set(case.tests) - set(score.tests))
    if unknown:
        problems.append(
            f"expected points for {unknown}, which are not autograded test cells "
            f"(test cells: {sorted(score.tests)})"
        )
    wrong = {t: pts for t, pts in case.tests.items() if t in score.tests and score.tests[t] != pts}
    if wrong:
        problems.append(
            "test cells scored differently from expected:\n"
            + "\n".join(f"    {t}: expected {case.tests[t]}" for t in wrong)
            + "\n  got:\n"
            + g.explain(student, case.notebook, list(wrong))
        )
    if score.code_score != case.total:
        problems.append(
            f"total {score.code_score} of {score.max_code_score}, expected {case.total}; "
            f"all test cells:\n" + g.explain(student, case.notebook, sorted(score.tests))
        )
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


@sandboxed
def test_feedback_shows_no_hidden_tests(course_build, curriculum_module):
    g = _graded(course_build, curriculum_module)
    problems, pages = [], 0
    for student, per_nb in sorted(g.scores.items()):
        for name in per_nb:
            if not g.submitted(student, name):
                continue  # a case hands in one notebook; the others are recorded as missing
            page = g.feedback_page(student, name)
            if not page.is_file():
                problems.append(f"{student}: no feedback page {page.name}")
                continue
            pages += 1
            found = leaks.feedback_leaks(g.source[name], page.read_text(encoding="utf-8"))
            problems += [f"{student}/{page.name}: {leak}" for leak in found]
    assert pages, f"{curriculum_module}: no feedback generated:\n{g.log[-3000:]}"
    assert not problems, (
        f"The feedback of {curriculum_module} shows hidden tests:\n  " + "\n  ".join(problems)
    )
