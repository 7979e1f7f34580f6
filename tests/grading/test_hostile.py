"""The safety gates of issue 4: one hostile hand-in per attack, one batch.

For each: the batch completes, every other student's grade is right, the hostile one gets
what its answers earn (no more), and the instructor sees a clear message.
"""

from __future__ import annotations

import json
import os

import pytest
from harness import scores_from_gradebook

from campaignlab.course import layout, leaks
from campaignlab.course.outputs import TOKEN_RE

from .conftest import FULL, LESSON, MODULE, cases

pytestmark = [pytest.mark.slow, pytest.mark.needs("bwrap", "setpriv")]

CASE_IDS = [c.student for c in cases(layout.REPO, layout.REPO)]


def _explain(co, student) -> str:
    r = co.results.get((student, LESSON))
    if r is None:
        return f"no result for {student}; log:\n" + "\n".join(co.log[-40:])
    tests = "\n".join(f"    {g}: {t.points}/{t.max_points} {t.outcome} {t.detail[:150]}"
                      for g, t in r.tests.items())
    return (f"{student}: {r.status} {r.score}/{r.max_score} reason={r.reason!r} notes={r.notes} "
            f"review={r.review}\n{tests}")


@pytest.mark.parametrize("student", CASE_IDS)
def test_case_scores_exactly_what_it_earns(cohort, student):
    case = cohort.by_student[student]
    r = cohort.results.get((student, LESSON))
    assert r is not None, f"{case.why}: no row at all (a hand-in was dropped)\n" + _explain(cohort, student)
    assert r.status == case.status, f"{case.why}: status\n" + _explain(cohort, student)
    expected = case.expected if case.expected is not None else 0.0
    assert r.score == expected, f"{case.why}: expected {expected}\n" + _explain(cohort, student)


def test_every_file_and_every_roster_student_has_a_row(cohort):
    rows = {p.file: p for p in cohort.placements}
    assert rows["wrong-name_1_2_homework.ipynb"].status == "unplaced"
    assert "not a lesson" in rows["wrong-name_1_2_homework.ipynb"].reason
    assert "not a notebook" in rows["text-file_1_2_00-start-here.txt"].reason
    assert "not on the roster" in rows[f"stranger_1_2_{LESSON}"].reason
    assert rows[".DS_Store"].status == "unplaced"
    assert ("no-handin", LESSON) in cohort.results
    assert cohort.results[("no-handin", LESSON)].status == "not handed in"
    students = {r["student"]: r for r in cohort.report["students"]}
    for case in cohort.cases:
        assert case.student in students, f"{case.student} missing from students.csv"
        if case.status != "graded":
            assert students[case.student]["notes"], f"{case.student}: no reason in students.csv"
    handins = (cohort.report["dir"] / "handins.csv").read_text()
    for p in cohort.placements:
        assert p.file in handins


def test_gradebook_holds_exactly_the_workflow_scores(cohort):
    scores = scores_from_gradebook(cohort.root, MODULE)
    for (student, lesson), r in cohort.results.items():
        if r.status in ("graded", "unreadable"):
            got = scores[student][lesson]
            assert got.code_score == r.score, f"{student}: gradebook {got.code_score} != {r.score}"
            assert got.max_code_score == FULL


def test_messages_name_the_problem(cohort):
    def msg(student):
        r = cohort.result(student)
        return " ".join([r.reason, *r.notes, *r.review, *(t.detail for t in r.tests.values())])

    assert "edited" in msg("edit-tests")
    assert "deleted" in msg("delete-tests")
    assert "answer cell deleted" in msg("delete-answer")
    assert "interrupted" in msg("infinite-loop")
    assert "ignored the interrupt" in msg("ignore-interrupt")
    assert "StdinNotImplementedError" in msg("input")
    assert "SystemExit" in msg("sys-exit")
    assert "kernel died" in msg("os-exit")
    assert "kernel died" in msg("crash")
    assert "out of memory" in msg("memory-bomb")
    assert "marker" in msg("stray-marker")
    assert "not valid notebook JSON" in msg("bad-json")
    assert "empty" in msg("empty")
    assert "reaches into the kernel" in msg("patched-kernel")
    assert "process" in msg("background")


def test_patched_kernel_gets_no_hidden_pass(cohort):
    t = cohort.result("patched-kernel").tests["count-active-tests"]
    assert t.outcome != "passed", t


def _assert_bomb_bounded(r, mechanism: str, limit: int) -> None:
    from .test_sandbox_limits import SAMPLE_OVERSHOOT

    assert r.tests["load-voters-tests"].outcome == "passed"
    what = (f"[{mechanism}] memory bomb: peak {r.peak_memory_bytes} of {limit} bytes, "
            f"reason {r.reason!r}")
    assert r.peak_memory_bytes is not None, what
    assert "out of memory" in r.reason, what
    if mechanism == "rlimit":
        # the parent's RssWatch killed the kernel past the limit (one 10 ms sample late at most)
        assert limit < r.peak_memory_bytes <= limit + SAMPLE_OVERSHOOT, what
    else:
        # the run's cgroup stopped it at the limit: OOM kill, peak at (not over) the limit
        assert 0.9 * limit <= r.peak_memory_bytes <= limit + 4 * 2**20, what


def test_memory_bomb_was_bounded_and_earlier_credit_kept(cohort):
    from campaignlab.course.sandbox import Sandbox

    # the Grader's sandbox chose its mechanism on this host, as this one does
    _assert_bomb_bounded(cohort.result("memory-bomb"), Sandbox(cohort.root).mechanism,
                         cohort.limits.memory_bytes)


def test_without_a_cgroup_the_reference_still_gets_full_marks(cohort, grading_county, tmp_path):
    """The rlimit mechanism (an instructor's laptop without root or systemd's delegation, a
    container): pandas reserves far more address space than it touches, so the bound must be on
    RAM; the reference gets every point, the memory bomb is stopped with its earlier credit."""
    import shutil

    from campaignlab.course.autograde import Grader

    root = tmp_path / "course"
    shutil.copytree(cohort.root, root, symlinks=True)
    grader = Grader(root, MODULE, limits=cohort.limits, data_dir=grading_county,
                    mechanism="rlimit", log=lambda *a, **k: None)
    assert grader.sandbox.mechanism == "rlimit"
    got = {r.student: r for r in grader.run(students=["reference", "memory-bomb"])}
    ref = got["reference"]
    assert (ref.status, ref.score) == ("graded", FULL), (ref.reason, ref.notes,
                                                         {k: (t.outcome, t.detail) for k, t in ref.tests.items()})
    bomb = got["memory-bomb"]
    assert bomb.score == cohort.by_student["memory-bomb"].expected, bomb.reason
    _assert_bomb_bounded(bomb, "rlimit", cohort.limits.memory_bytes)


def test_output_is_capped_in_graded_notebook_and_feedback(cohort):
    graded = cohort.root / "autograded" / "flood" / MODULE / LESSON
    page = cohort.pages[("flood", LESSON)]
    assert graded.stat().st_size < 1_500_000, graded.stat().st_size
    assert page.stat().st_size < 3_000_000, page.stat().st_size
    assert "x" * 2_001 not in graded.read_text()


def test_no_process_left_running(cohort):
    import psutil

    left = [p.info for p in psutil.process_iter(["pid", "cmdline"])
            if p.info["cmdline"] and p.info["cmdline"][:2] == ["sleep", "317"]]
    assert not left, f"processes outlived grading: {left}"
    assert not any((cohort.root.parent).rglob("00-evil.py"))
    assert not os.path.exists(os.path.expanduser("~/.ipython/profile_default/startup/00-evil.py"))


def test_sandbox_saw_no_course_files(cohort):
    nb = json.loads((cohort.root / "autograded" / "snoop" / MODULE / LESSON).read_text())
    text = json.dumps(nb)
    assert "SNOOP" in text, "the snoop cell did not run"
    texts = ["".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
             if o.get("output_type") == "stream"]
    line = next(t for t in texts if "SNOOP" in t)
    seen = json.loads(line.split("SNOOP", 1)[1])
    assert seen["write"] != "WROTE"
    assert not seen["classmates"]
    assert not any(v is True for k, v in seen.items() if k not in ("write", "classmates")), seen


def test_feedback_shows_no_hidden_tests(cohort):
    problems = []
    for (student, _lesson), page in cohort.pages.items():
        text = page.read_text(encoding="utf-8")
        problems += [f"{student}: {p}" for p in leaks.feedback_leaks(cohort.source, text)]
        if TOKEN_RE.search(text):  # a token's shape (the trainee's own code may name CLTOKEN)
            problems.append(f"{student}: a check-in token is in the feedback")
    assert not problems, "\n".join(problems)
    assert len(cohort.pages) >= len(cohort.cases) - 2


def test_test_code_never_enters_the_kernel(cohort):
    """The hand-in prints the kernel's whole input history: it holds the trainee's cells and the
    lesson's locked cells, but no line of any test cell (they run in the checker)."""
    import nbformat

    from campaignlab.course.cells import grade_id

    graded = nbformat.read(cohort.root / "autograded" / "history-leak" / MODULE / LESSON, as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[-1].outputs)
    assert "n_active" in printed, printed[:2000]  # the history really was printed
    def lines(test: bool) -> set[str]:
        return {ln.strip() for c in cohort.source.cells
                if (grade_id(c) or "").endswith("-tests") == test
                for ln in c.source.splitlines() if len(ln.strip()) > 15}

    test_lines = lines(True) - lines(False)  # an import both kinds of cell have proves nothing
    seen = sorted(ln for ln in test_lines if ln in printed)
    assert not seen, f"test code reached the kernel: {seen[:5]}"


def test_reteach_report(cohort):
    skills = cohort.report["skills"]
    assert skills and skills == sorted(skills, key=lambda s: -s["share_missed"])
    assert (cohort.report["dir"] / "skills.png").stat().st_size > 1000
    assert {s["exercise"] for s in skills} == {
        "predict-zip-tests", "load-voters-tests", "count-active-tests", "share-unaffiliated-tests",
        "zip-voters-tests", "young-voters-tests"}


def test_batch_runs_in_parallel(cohort):
    rows = [r for r in cohort.results.values() if r.status == "graded"]
    serial = sum(r.seconds for r in rows)
    if (os.cpu_count() or 1) > 1:
        assert cohort.seconds < serial * 0.9, (cohort.seconds, serial)


def _not_searchable(path) -> str | None:
    """The first folder on the way to ``path`` another user cannot enter, or None."""
    from pathlib import Path

    for p in [Path(path), *Path(path).parents]:
        if p.is_dir() and not p.stat().st_mode & 0o001:
            return str(p)
    return None


def test_an_instructor_without_root_grades_the_reference_in_full(cohort, grading_county):
    """An instructor's laptop: not root, no cgroup of their own. Run from root as uid 65534 (the
    same code path as any normal user: bubblewrap makes its own user namespace, and the limits
    fall back to rlimit and the parent's RssWatch): the reference gets every point, the memory
    bomb is stopped with its earlier credit."""
    import dataclasses
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    if os.geteuid() != 0:
        pytest.skip("not root: every grading test of this run is already an instructor without root")
    where = [os.path.realpath(sys.executable), sys.base_prefix, sys.prefix, layout.REPO]
    blocked = next(filter(None, map(_not_searchable, where)), None)
    if blocked:
        pytest.skip(f"another user cannot enter {blocked}, where this checkout, its .venv or the "
                    "Python it was made from is")
    work = Path(tempfile.mkdtemp(prefix="cl-nonroot-"))
    try:
        shutil.copytree(cohort.root, work / "course", symlinks=True)
        shutil.copytree(grading_county, work / "county")
        for p in [work, *work.rglob("*")]:
            os.lchown(p, 65534, 65534)
        work.chmod(0o755)
        script = (
            "import json, sys\n"
            "from campaignlab.course.autograde import Grader\n"
            "from campaignlab.course.sandbox import Limits\n"
            "root, county, module, limits = sys.argv[1:5]\n"
            "g = Grader(root, module, limits=Limits(**json.loads(limits)), data_dir=county,\n"
            "           log=lambda *a, **k: None)\n"
            "res = g.run(students=['reference', 'memory-bomb'])\n"
            "print(json.dumps({'mechanism': g.sandbox.mechanism, 'uid': __import__('os').getuid(),\n"
            "                  'scores': {r.student: [r.status, r.score, r.reason] for r in res}}))\n"
        )
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8"}
        out = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
             script, str(work / "course"), str(work / "county"), MODULE,
             json.dumps(dataclasses.asdict(cohort.limits))],
            env=env, cwd=work, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
        got = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert got["uid"] == 65534 and got["mechanism"] == "rlimit", got
    assert got["scores"]["reference"][:2] == ["graded", FULL], got
    bomb = got["scores"]["memory-bomb"]
    assert bomb[1] == cohort.by_student["memory-bomb"].expected and "out of memory" in bomb[2], got
