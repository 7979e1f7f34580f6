"""A cohort of honest and hostile hand-ins of 00-start-here, built from the fresh release
(never committed notebooks), collected from an LMS-style folder, autograded once per session
by the sandboxed workflow, with feedback and reports.  Each test checks one case.

Limits are short here (cells 10 s: a loaded machine under pytest-xdist reads the county in 2-3 s;
notebooks 90 s, 1000 MB) so the battery stays ~2-3 min.
"""

from __future__ import annotations

import copy
import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from harness import build_submission

from campaignlab.course import cells, layout, release

from .tampering import tampering_cases

MODULE = "00-start-here"
LESSON = "00-start-here.ipynb"
FULL = 10.0  # automatic points of the lesson


def _sandbox_ready() -> str | None:
    from campaignlab import data
    from campaignlab.course.sandbox import Sandbox, SandboxUnavailable

    try:
        problems = Sandbox(data.data_dir()).self_test()
    except SandboxUnavailable as err:
        return str(err)
    return "; ".join(problems) or None


@dataclass
class Case:
    student: str
    why: str
    expected: float | None  # automatic points; None: not gradable (see status)
    answers: dict[str, str] = field(default_factory=dict)
    base: str = "solution"
    edit: object = None  # callable(nb) -> nb or raw bytes
    filename: str | None = None  # file name in the hand-in folder
    status: str = "graded"


def _drop(gids):
    def edit(nb):
        nb.cells = [c for c in nb.cells if cells.grade_id(c) not in gids]
        return nb
    return edit


def _edit_tests(nb):
    for c in nb.cells:
        if (cells.grade_id(c) or "").endswith("-tests"):
            c.source = "pass  # the test, edited away"
    return nb


def _append(code):
    def edit(nb):
        import nbformat

        nb.cells.append(nbformat.v4.new_code_cell(code))
        return nb
    return edit


HIDE_ERRORS = """n_active = 0
ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip.set_custom_exc((BaseException,), lambda *a, **k: None)
_orig = ip.run_cell
def _quiet(*a, **k):
    r = _orig(*a, **k)
    r.error_in_exec = None
    return r
ip.run_cell = _quiet
"""

SNOOP = """import glob, os, json
ROOT, CUR = {root!r}, {cur!r}
seen = {{p: os.path.exists(p) for p in [ROOT, CUR, ROOT + "/gradebook.db", ROOT + "/submitted",
        ROOT + "/release", os.path.expanduser("~root/.ipython"), "/root/.ipython"]}}
seen["classmates"] = glob.glob(ROOT + "/submitted/*/*/*.ipynb") + glob.glob("/tmp/**/submitted/*", recursive=True)[:5]
try:
    open(ROOT + "/gradebook.db", "ab").write(b"x")
    seen["write"] = "WROTE"
except OSError as e:
    seen["write"] = type(e).__name__
print("SNOOP", json.dumps(seen))
active_rows = voters[voters["status_cd"] == "A"]
n_active = len(active_rows)
"""

STARTUP = """import os
d = os.path.expanduser("~/.ipython/profile_default/startup")
os.makedirs(d, exist_ok=True)
open(os.path.join(d, "00-evil.py"), "w").write("n_young = 10**9\\nshare_una = 0.5\\n")
for target in {targets!r}:
    try:
        os.makedirs(target, exist_ok=True)
        open(os.path.join(target, "00-evil.py"), "w").write("raise SystemExit")
        print("PLANTED", target)
    except OSError as e:
        print("blocked", target, type(e).__name__)
active_rows = voters[voters["status_cd"] == "A"]
n_active = len(active_rows)
"""


def cases(root: Path, cur: Path) -> list[Case]:
    import os

    home_startup = os.path.expanduser("~/.ipython/profile_default/startup")
    return [
        Case("reference", "the reference solution", FULL),
        Case("blank", "the untouched student version", 0.0, base="release"),
        Case("edit-tests", "test cells edited to `pass`, one wrong answer", FULL - 2,
             answers={"young-voters": "n_young = 0"}, edit=_edit_tests),
        Case("delete-tests", "every test cell deleted", FULL,
             edit=_drop({"predict-zip-tests", "load-voters-tests", "count-active-tests", "share-unaffiliated-tests",
                         "zip-voters-tests", "young-voters-tests"})),
        Case("delete-answer", "an answer cell deleted", FULL - 2, edit=_drop({"young-voters"})),
        Case("infinite-loop", "an infinite loop", FULL - 2, answers={"young-voters": "while True:\n    pass"}),
        Case("ignore-interrupt", "a loop that ignores interrupts", FULL - 4, answers={
            "zip-voters": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"}),
        Case("input", "input()", FULL - 1, answers={"count-active": "n_active = int(input('how many? '))"}),
        Case("sys-exit", "sys.exit()", FULL - 2, answers={"share-unaffiliated": "import sys\nsys.exit(3)"}),
        Case("os-exit", "os._exit()", FULL - 2, answers={"young-voters": "import os\nos._exit(0)"}),
        Case("crash", "a kernel crash (segfault)", FULL - 4, answers={
            "zip-voters": "import ctypes\nctypes.string_at(0)"}),
        Case("memory-bomb", "a memory bomb (only the prediction and the load, before it, count)", 3.0, answers={
            "count-active": "hog = []\nwhile True:\n    hog.append(bytearray(10**7))"}),
        Case("flood", "an output flood with very long lines", FULL, answers={
            "share-unaffiliated": "print('x' * 5_000_000)\nfor i in range(100_000):\n    print(i)\n"
                                  "n_una = (active['party_cd'] == 'UNA').sum()\nshare_una = n_una / len(active)"}),
        Case("stray-marker", "a stray hidden-test marker", FULL, answers={
            "count-active": "### BEGIN HIDDEN TESTS\nn_active = len(voters[voters['status_cd'] == 'A'])"}),
        Case("bad-json", "not valid JSON", None, edit=lambda nb: b'{"cells": [', status="unreadable"),
        Case("empty", "an empty file", None, edit=lambda nb: b"", status="unreadable"),
        Case("patched-kernel", "a kernel patched to hide errors (n_active = 0 also fails young-voters)",
             FULL - 3,
             answers={"count-active": HIDE_ERRORS}),
        Case("background", "a detached background process", FULL, answers={
            "young-voters": "import subprocess\nsubprocess.Popen(['sleep', '317'], start_new_session=True)\n"
                            "n_young = ages.between(18, 29).sum()"}),
        Case("startup-file", "an IPython startup file", FULL, answers={
            "count-active": STARTUP.format(targets=[home_startup, str(root / "ipython")])}),
        Case("snoop", "reads sources and classmates' work, writes the gradebook", FULL,
             answers={"count-active": SNOOP.format(root=str(root), cur=str(cur))}),
        Case("history-leak", "prints the hidden tests from the kernel's history", FULL,
             edit=_append("print('\\n'.join(_ih))")),
        Case("wrong-name", "a wrongly named file", None, filename="wrong-name_1_2_homework.ipynb",
             status="not handed in"),
        Case("text-file", "a .txt file", None, filename="text-file_1_2_00-start-here.txt",
             status="not handed in"),
    ] + tampering_cases(Case)


class Cohort:
    def __init__(self, root: Path, cur: Path, source: Path, cases: list[Case]):
        self.root, self.cur, self.source, self.cases = root, cur, source, cases
        self.by_student = {c.student: c for c in cases}
        self.results = {}
        self.placements = []
        self.log: list[str] = []
        self.seconds = 0.0
        self.limits = None

    def result(self, student):
        return self.results[(student, LESSON)]


@pytest.fixture(scope="session")
def cohort(tmp_path_factory, grading_county) -> Cohort:
    import time

    import nbformat

    reason = _sandbox_ready()
    if reason:
        pytest.fail(f"the grading sandbox does not work here: {reason}")
    from campaignlab.course import collect, feedback, report
    from campaignlab.course.autograde import Grader
    from campaignlab.course.sandbox import Limits

    base = tmp_path_factory.mktemp("grading")
    root, cur = base / "course", layout.curriculum_dir()
    release.build(root, [MODULE])
    release_nb = nbformat.read(root / "release" / MODULE / LESSON, as_version=4)
    source_nb = nbformat.read(cur / MODULE / LESSON, as_version=4)
    handins = base / "handins"
    handins.mkdir()
    all_cases = cases(root, cur)
    with (base / "roster.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "first_name", "last_name", "email"])
        for c in all_cases:
            w.writerow([c.student, "T", c.student.title(), f"{c.student}@example.org"])
        w.writerow(["no-handin", "N", "Nobody", "nobody@example.org"])
    for c in all_cases:
        nb = build_submission(copy.deepcopy(release_nb), source_nb, c.answers, c.base)
        out = c.edit(nb) if c.edit else nb
        name = c.filename or f"{c.student}_1234_5678_{LESSON}"
        data = out if isinstance(out, bytes) else nbformat.writes(out).encode()
        (handins / name).write_bytes(data)
    # a hand-in from someone not on the roster, and a stray system file
    shutil.copy(handins / f"reference_1234_5678_{LESSON}", handins / f"stranger_1_2_{LESSON}")
    (handins / ".DS_Store").write_bytes(b"\0")
    co = Cohort(root, cur, source_nb, all_cases)
    co.placements = collect.collect(
        root, MODULE, handins, lessons=[LESSON], roster=collect.read_roster(base / "roster.csv"),
        log=co.log.append)
    limits = Limits(memory_mb=1000, cell_timeout=10, notebook_timeout=90, interrupt_grace=3,
                    output_bytes=50_000)
    co.limits = limits
    t0 = time.monotonic()
    results = Grader(root, MODULE, limits=limits, data_dir=grading_county, log=co.log.append).run()
    co.seconds = time.monotonic() - t0
    co.results = {(r.student, r.notebook): r for r in results}
    co.pages = feedback.generate(root, MODULE, log=co.log.append)
    co.report = report.build(root, MODULE, log=co.log.append)
    return co
