"""The suite's parallel run keeps tests that share an expensive fixture on one worker.

``tasks.py test`` runs pytest-xdist with ``--dist loadgroup``, and ``tests/conftest.py`` marks
the groups (a module's grading gates, the hostile cohort, each test file). If the groups were
lost, nothing would fail: every worker would quietly build (and grade) whatever its share of the
tests needs, and the suite would take far longer. That happened once (pytest 9.2 with
pytest-xdist 3.8 drops the groups, xdist #1386), so it is checked here, on two quick files.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

from conftest import REPO_ROOT

FILES = ["tests/voterfile/test_dates.py", "tests/voterfile/test_phones.py"]


def test_each_test_file_runs_on_one_worker():
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p",
         "no:cacheprovider", "--no-header", "--durations=0", *FILES],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    workers = defaultdict(set)
    for worker, nodeid in re.findall(r"^\[(gw\d+)\] \[ *\d+%\] PASSED (\S+)", run.stdout, re.M):
        assert "@" in nodeid, (
            f"{nodeid} ran without its xdist group: --dist loadgroup no longer sees the groups "
            "of tests/conftest.py (check the pytest and pytest-xdist versions)"
        )
        workers[nodeid.split("::")[0]].add(worker)
    assert set(workers) == set(FILES), run.stdout[-3000:]
    split = {f: sorted(w) for f, w in workers.items() if len(w) > 1}
    assert not split, f"tests of one file ran on several workers: {split}"
