"""Quality gate 1: every source notebook of the curriculum runs and matches its stored outputs.

Each lesson runs under nbval in its own pytest subprocess (so one plain ``pytest`` covers the
curriculum, a hung or crashing kernel cannot take the suite down, and a failing notebook fails
this test with nbval's report), on a copy of its module folder in a tmp dir (files a lesson
writes, like exports/, never land in curriculum/).  Outputs are compared after ``tests/sanitize.cfg``; images are
not compared.  A cheap metadata check runs first, without a kernel.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from campaignlab.course import cells, layout

SANITIZE = Path(__file__).with_name("sanitize.cfg")
CELL_TIMEOUT = 120  # seconds per cell, as in grader/nbgrader_config.py
NOTEBOOK_TIMEOUT = 900  # seconds for a whole lesson


def test_lesson_metadata(curriculum_lesson, curriculum_dir):
    """nbgrader metadata is valid, grade ids are unique, and every answer cell has its tests."""
    from nbgrader.nbgraderformat import MetadataValidator

    module, name = curriculum_lesson
    path = curriculum_dir / module / name
    nb = nbformat.read(path, as_version=4)
    where = f"{module}/{name}"
    MetadataValidator().validate_nb(nb)  # raises with the offending cell
    ids = [cells.grade_id(c) for c in nb.cells if cells.grade_id(c)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"{where}: grade_id used twice: {dupes}"
    problems = []
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            if f"{gid}-tests" not in ids:
                problems.append(f"cell {i} ({gid}): answer cell without a `{gid}-tests` test cell")
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            if not meta.get("locked"):
                problems.append(f"cell {i} ({gid}): test cell is not locked")
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)
    executed = [c for c in nb.cells if c.cell_type == "code" and c.get("execution_count")]
    assert executed, (
        f"{where} is stored unexecuted, so nbval has no outputs to compare: run it top to bottom "
        f"and save it (e.g. `jupyter nbconvert --to notebook --execute --inplace {path}`)"
    )


def run_nbval(path: Path, cwd: Path) -> tuple[int, str]:
    """Run nbval on one notebook in a fresh pytest process: (exit code, report without colours)."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        f"--nbval-cell-timeout={CELL_TIMEOUT}",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-q",
        "--no-header",
        "-rN",
        str(path),
    ]
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT
        )
    except subprocess.TimeoutExpired as err:
        return -1, f"nbval ran longer than {NOTEBOOK_TIMEOUT} s\n{err.stdout}"
    return done.returncode, re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)[-8000:]


@pytest.mark.slow
def test_lesson_runs_and_matches_outputs(curriculum_lesson, curriculum_dir, repo_root, tmp_path):
    module, name = curriculum_lesson
    # run a copy: whatever the lesson writes (exports/...) stays out of the source folder
    work = tmp_path / module
    shutil.copytree(
        curriculum_dir / module, work, ignore=shutil.ignore_patterns(*layout.NEVER_RELEASED)
    )
    code, report = run_nbval(work / name, repo_root)
    assert code == 0, (
        f"{module}/{name} does not run cleanly or its outputs changed "
        f"(nbval exit {code}; 1 = a cell failed or differs, 5 = nothing collected, "
        f"-1 = timeout):\n{report}"
    )


@pytest.mark.slow
def test_nbval_gate_catches_changed_output(tmp_path, repo_root):
    """The gate itself: a notebook whose stored output is stale must fail, a good one pass."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def lesson(stored: str) -> Path:
        cell = new_code_cell("print(2 + 2)", execution_count=1)
        cell.outputs = [new_output("stream", name="stdout", text=stored)]
        nb = new_notebook(cells=[cell])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = tmp_path / f"lesson-{stored.strip()}.ipynb"
        nbformat.write(nb, path)
        return path

    code, report = run_nbval(lesson("5\n"), repo_root)
    assert code == 1, f"a stale output was not caught (exit {code}):\n{report}"
    code, report = run_nbval(lesson("4\n"), repo_root)
    assert code == 0, f"a correct notebook failed (exit {code}):\n{report}"
