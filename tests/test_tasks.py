"""The README's test command on a fresh machine (issue 7): tasks.py and the ``needs`` marker.

The fresh-machine path is run for real: ``python3 tasks.py test`` in a subprocess whose PATH has
everything of /usr/bin except ``bwrap`` and ``chromium``, with the installer disabled
(``CAMPAIGNLAB_NO_SYSTEM_INSTALL=1``, so no apt-get runs).  It must say in one line what is
missing and how to install it, skip the tests that need it with that reason, and, under
``CI=true``, fail them instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import system_requirements as plugin

ROOT = Path(__file__).resolve().parents[1]
tasks = plugin.tasks
HIDDEN = ("bwrap", "chromium")
# one test that needs chromium, the grading tests that need bwrap (skipped before any fixture)
NEEDY = ["tests/test_browser.py", "tests/grading/test_hostile.py"]


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a machine without bubblewrap and Chromium, and no installer."""
    bin_dir = tmp_path_factory.mktemp("fresh-bin")
    for folder in ("/usr/bin", "/bin"):
        for exe in Path(folder).iterdir() if Path(folder).is_dir() else ():
            link = bin_dir / exe.name
            if exe.name not in HIDDEN and not link.exists() and not link.is_symlink():
                link.symlink_to(exe)
    env = {k: v for k, v in os.environ.items() if k != "CI" and not k.startswith("PYTEST")}
    env.update(PATH=str(bin_dir), CAMPAIGNLAB_NO_SYSTEM_INSTALL="1")
    return env


def _tasks_test(env: dict[str, str], *pytest_args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "test", "-p", "no:cacheprovider", *pytest_args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )


def _message(out: str) -> str:
    lines = [ln for ln in out.splitlines() if ln.startswith("[campaignlab] missing system")]
    assert len(lines) == 1, f"expected one line about missing system commands:\n{out}"
    return lines[0]


@pytest.mark.slow
def test_fresh_machine_says_what_is_missing_in_one_line(fresh_env):
    done = _tasks_test(fresh_env, "--collect-only", "tests/test_browser.py")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    first = out.splitlines()[0]
    assert first == _message(out), f"the message must come first:\n{out}"
    for words in ("bwrap (Debian package bubblewrap", "chromium (Debian package chromium",
                  "CAMPAIGNLAB_NO_SYSTEM_INSTALL is set",
                  "`sudo apt-get install bubblewrap chromium`",
                  "run `python3 tasks.py test` as root, which installs them",
                  "the tests that need them are skipped"):
        assert words in first, f"{words!r} not in: {first}"
    assert "system commands missing: bwrap (bubblewrap), chromium (chromium)" in out, out
    assert "test_trainee_answers_first_exercise" in out, out


@pytest.mark.slow
def test_fresh_machine_skips_what_needs_them_with_the_reason(fresh_env):
    done = _tasks_test(fresh_env, "-q", "-rs", *NEEDY)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    skips = [ln for ln in out.splitlines() if ln.startswith("SKIPPED [")]
    assert any("test_browser.py" in s and "needs chromium (Debian package chromium" in s
               and "`sudo apt-get install chromium`" in s for s in skips), out
    assert any("test_hostile.py" in s and "needs bwrap (Debian package bubblewrap" in s
               and "`sudo apt-get install bubblewrap`" in s for s in skips), out
    assert all("or run `python3 tasks.py test` as root, which installs" in s for s in skips), out
    summary = out.strip().splitlines()[-1]
    assert re.search(r"\d+ skipped", summary) and "passed" not in summary, summary
    assert "error" not in summary and "failed" not in summary, summary


@pytest.mark.slow
def test_under_ci_nothing_skips_they_fail(fresh_env):
    done = _tasks_test(dict(fresh_env, CI="true"), "-q", "-rsE", *NEEDY)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "CI=true: the tests that need them will FAIL" in _message(out)
    summary = out.strip().splitlines()[-1]
    assert "skipped" not in summary and re.search(r"\d+ error", summary), summary
    assert re.search(r"ERROR tests/test_browser.py::\S+ - .*needs chromium.*never skipped", out), out
    assert "ERROR tests/grading/test_hostile.py::" in out, out


# ---------------------------------------------------------------------- in-process
def test_one_table_of_system_requirements():
    assert {r.command: r.package for r in tasks.SYSTEM_REQUIREMENTS} == {
        "bwrap": "bubblewrap", "setpriv": "util-linux", "chromium": "chromium"}
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get" not in ci and "python3 tasks.py test" in ci, "one list: tasks.py's"


def test_setpriv_is_needed_only_as_root(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda cmd, *a, **k: None)
    monkeypatch.setattr(tasks, "is_root", lambda: False)
    assert plugin.missing(["bwrap", "setpriv"]) == ["bwrap"]
    assert [r.command for r in tasks.missing_requirements()] == ["bwrap", "chromium"]
    monkeypatch.setattr(tasks, "is_root", lambda: True)
    assert plugin.missing(["bwrap", "setpriv"]) == ["bwrap", "setpriv"]
    reason = plugin.reason(["bwrap", "setpriv"])
    assert "`sudo apt-get install bubblewrap util-linux`" in reason
    assert "which installs them" in reason


def test_installer_is_off_when_asked(monkeypatch):
    monkeypatch.setenv(tasks.NO_INSTALL_ENV, "1")
    assert tasks.installer() == (None, f"{tasks.NO_INSTALL_ENV} is set")


@pytest.mark.parametrize("python", ["/nonexistent/python", shutil.which("false")])
def test_lab_failure_is_one_clear_line(monkeypatch, capsys, python):
    """A step of ``tasks.py lab`` that fails (here: data generation) ends in a message, an exit
    code, and no traceback."""
    monkeypatch.setattr(tasks, "ensure_env", lambda extras: None)
    monkeypatch.setattr(tasks, "PY", Path(python))
    monkeypatch.setattr(sys, "argv", ["tasks.py", "lab", "--prepare-only"])
    assert tasks.main() == 1
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    assert last.startswith("[campaignlab] error: generating the synthetic county data "), out
    assert "Traceback" not in out
