#!/usr/bin/env python3
"""The two commands of Campaign Data Lab.

    python3 tasks.py lab    # set up, generate the data, build the student notebooks, open JupyterLab
    python3 tasks.py test   # set up (with test tools) and run the whole test suite

Both create the virtual environment ``.venv`` with the pinned stack from pyproject.toml the first
time (about two minutes) and reuse it afterwards; they reinstall only when pyproject.toml changes.
Only Python 3.11 and git are needed on the machine. Nothing here needs the network after the
first install: the data is generated locally.

Some tests need system commands (``SYSTEM_REQUIREMENTS``, the one table of them: the pytest
plugin ``tests/system_requirements.py`` reads it from here).  ``test`` installs the missing ones
with apt-get when it can (root, or passwordless sudo); otherwise it says, in one line, what is
missing and how to install it, and those tests are skipped (under ``CI=true`` they fail).
``CAMPAIGNLAB_NO_SYSTEM_INSTALL=1`` stops it from installing anything.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".campaignlab-installed"
WORKSPACE = ROOT / "my-work"
START_PAGE = "00-start-here/00-start-here.ipynb"
NO_INSTALL_ENV = "CAMPAIGNLAB_NO_SYSTEM_INSTALL"
STALE_VENV = "is .venv another user's, or from another Python? Remove it and run this again"


class Requirement(NamedTuple):
    command: str  # looked up on PATH
    package: str  # the Debian package that provides it
    why: str  # what needs it
    as_root_only: bool = False  # needed only when the tests run as root


#: What the tests need from the system; tests say which with ``@pytest.mark.needs(command)``.
SYSTEM_REQUIREMENTS = (
    Requirement("bwrap", "bubblewrap", "the grading sandbox"),
    Requirement("setpriv", "util-linux", "the grading sandbox as root", as_root_only=True),
    Requirement(
        "chromium",
        "chromium",
        "the browser test: Playwright drives Debian's Chromium, it never downloads a browser",
    ),
)


class TaskError(Exception):
    """A step failed: the message says which and what to do; no traceback is shown."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def say(msg: str) -> None:
    print(f"[campaignlab] {msg}", flush=True)


def run(*cmd: str | Path, what: str = "", hint: str = "", **kw) -> None:
    """Run ``cmd``; if it fails or cannot start, raise a TaskError naming ``what``, ``hint``."""
    argv = [str(c) for c in cmd]
    what = what or " ".join(argv[:3])
    try:
        subprocess.run(argv, check=True, **kw)
    except subprocess.CalledProcessError as err:
        raise TaskError(
            f"{what} failed (exit code {err.returncode}, its output is above)"
            + (f": {hint}" if hint else "")
        ) from None
    except OSError as err:
        raise TaskError(f"{what} could not start ({err})" + (f": {hint}" if hint else "")) from None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------------- system packages
def missing_requirements(requirements=SYSTEM_REQUIREMENTS) -> list[Requirement]:
    """The requirements whose command is not on PATH (root-only ones only when root)."""
    root = is_root()
    return [
        r for r in requirements if (root or not r.as_root_only) and not shutil.which(r.command)
    ]


def describe(missing: list[Requirement]) -> str:
    return ", ".join(f"{r.command} (Debian package {r.package}, for {r.why})" for r in missing)


def packages(missing: list[Requirement]) -> list[str]:
    return list(dict.fromkeys(r.package for r in missing))


def install_command(pkgs: list[str]) -> str:
    return "sudo apt-get install " + " ".join(pkgs)


def installer() -> tuple[list[str] | None, str]:
    """(command prefix that runs apt-get with the rights to install, or None; why not)."""
    if os.environ.get(NO_INSTALL_ENV, "").strip() not in ("", "0"):
        return None, f"{NO_INSTALL_ENV} is set"
    if not shutil.which("apt-get"):
        return None, "no apt-get here"
    if is_root():
        return ["env", "DEBIAN_FRONTEND=noninteractive"], ""
    if shutil.which("sudo"):
        ok = subprocess.run(["sudo", "-n", "true"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if ok.returncode == 0:
            return ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"], ""
    return None, "not root and no passwordless sudo"


def apt_install(prefix: list[str], pkgs: list[str]) -> str | None:
    """``apt-get update`` once, then install ``pkgs``; None when done, else what went wrong."""
    problems = []
    for step in (["apt-get", "update", "-qq"],
                 ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *pkgs]):
        try:
            done = subprocess.run([*prefix, *step], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL)
        except OSError as err:
            return f"`{' '.join(step[:2])}` could not start ({err})"
        if done.returncode:  # a failed update may still leave an install that works
            problems.append(f"`{' '.join(step[:2])}` failed (exit code {done.returncode})")
    return "; ".join(problems) if problems and done.returncode else None


def ensure_system_requirements() -> list[Requirement]:
    """Install what the tests need when possible; else one line saying what and how.

    Returns what is still missing (the tests needing it are skipped, or fail under CI=true).
    """
    missing = missing_requirements()
    if not missing:
        return []
    pkgs = packages(missing)
    prefix, why_not = installer()
    if prefix is not None:
        say(f"installing Debian packages {' '.join(pkgs)} with apt-get, as the tests need "
            f"{describe(missing)} (a minute or two)")
        problem = apt_install(prefix, pkgs)
        still = missing_requirements(missing)
        if not still:
            return []
        if not problem:
            problem = f"apt-get ran, but {', '.join(r.command for r in still)} is not on PATH"
        why_not, missing, pkgs = problem, still, packages(still)
    how = f"`{install_command(pkgs)}`"
    if not shutil.which("apt-get"):
        how = f"the Debian/Ubuntu packages ({how} there)"
    elif prefix is None:
        how += ", or run `python3 tasks.py test` as root, which installs them"
    then = ("CI=true: the tests that need them will FAIL" if in_ci()
            else "the tests that need them are skipped")
    say(f"missing system commands: {describe(missing)}; not installed ({why_not}); "
        f"install with {how}; {then}")
    return missing


# ---------------------------------------------------------------------- the environment
def check_python() -> None:
    if sys.version_info[:2] != (3, 11):
        found = shutil.which("python3.11")
        hint = f"run it as `{found} tasks.py ...`" if found else "install Python 3.11"
        raise TaskError(
            f"Campaign Data Lab pins its stack for Python 3.11; this is Python "
            f"{sys.version_info.major}.{sys.version_info.minor}. Please {hint}."
        )


def ensure_venv_module() -> None:
    """Debian splits ensurepip (which ``venv`` needs for pip) into python3.X-venv."""
    import importlib.util

    if importlib.util.find_spec("ensurepip"):
        return
    pkg = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
    prefix, why_not = installer()
    if prefix is not None:
        say(f"installing Debian package {pkg} with apt-get: creating .venv needs ensurepip")
        problem = apt_install(prefix, [pkg])
        importlib.invalidate_caches()
        if not problem and importlib.util.find_spec("ensurepip"):
            return
        why_not = problem or f"{pkg} is installed but ensurepip is still missing"
    raise TaskError(
        f"this Python has no ensurepip, so .venv cannot be created ({why_not}): install it with "
        f"`sudo apt-get install {pkg}` (Debian/Ubuntu), or use a Python 3.11 that has it"
    )


def ensure_env(extras: str) -> None:
    """Create .venv and install the pinned package (with ``extras``) unless already done."""
    check_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.is_file() else []
    if wanted in have:
        return
    if not PY.exists():
        ensure_venv_module()
        say("creating the virtual environment .venv (first run only)")
        try:
            venv.create(VENV, with_pip=True, symlinks=os.name != "nt")
        except (OSError, subprocess.CalledProcessError) as err:
            raise TaskError(f"creating .venv failed ({err}); remove .venv and try again") from None
    say(f"installing the pinned stack{' with ' + extras if extras else ''} (first run: ~2 minutes)")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target,
        cwd=ROOT, what="installing the pinned stack into .venv",
        hint="the first run needs the network (PyPI); check the connection and run it again")
    STAMP.write_text("\n".join([*have, wanted]) + "\n")


# ---------------------------------------------------------------------- the tasks
def prepare_lab() -> Path:
    """Generate the data, build the student versions and copy new ones into my-work/."""
    say("checking the synthetic county data (generated on first run)")
    run(PY, "-m", "campaignlab", "generate", "--if-missing", cwd=ROOT,
        what="generating the synthetic county data",
        hint="see the message above; `python3 tasks.py test` checks the whole setup")
    say("building the student versions of every module")
    run(PY, "-m", "campaignlab", "release", "--workspace", WORKSPACE, "--trainee", cwd=ROOT,
        what="building the student versions of the lessons",
        hint="see the message above; is curriculum/ complete (git status)?")
    return WORKSPACE


def lab(args: argparse.Namespace) -> int:
    ensure_env("")
    workspace = prepare_lab()
    if args.prepare_only:
        say(f"ready: the student notebooks are in {workspace}")
        return 0
    say(f"opening JupyterLab on {START_PAGE} (Ctrl+C twice to stop)")
    cmd = [
        str(BIN / "jupyter"), "lab",
        f"--ServerApp.root_dir={workspace}",
        f"--LabApp.default_url=/lab/tree/{START_PAGE}",
        *args.jupyter_args,
    ]
    if is_root():
        cmd.append("--allow-root")  # containers and CI machines run as root; jupyter refuses otherwise
    try:
        os.execv(cmd[0], cmd)
    except OSError as err:
        raise TaskError(f"JupyterLab could not start ({err}): {STALE_VENV}") from None


def parallel(pytest_args: list[str]) -> list[str]:
    """pytest-xdist options: one worker per core (at most 4), tests that share an expensive
    fixture on one worker (``tests/conftest.py``); none if the arguments choose for themselves.

    >>> parallel(["-k", "voterfile"])[2:]
    ['--dist', 'loadgroup']
    >>> parallel(["-n", "0"]), parallel(["-p", "no:xdist"])
    ([], [])
    """
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist", "--co", "--collect-only"))
                 or a == "no:xdist" for a in pytest_args)
    return [] if chosen else ["-n", str(min(4, os.cpu_count() or 1)), "--dist", "loadgroup"]


def test(args: argparse.Namespace) -> int:
    check_python()  # before installing anything
    ensure_system_requirements()
    ensure_env("dev")
    run(BIN / "ruff", "check", ".", cwd=ROOT, what="ruff (lint)", hint="fix what it reports")
    # the canonical county once, before the workers start (each would otherwise make it itself)
    run(PY, "-m", "campaignlab", "generate", "--if-missing", cwd=ROOT,
        what="generating the synthetic county data", hint="see the message above")
    try:
        return subprocess.run([str(BIN / "pytest"), *parallel(args.pytest_args), *args.pytest_args],
                              cwd=ROOT).returncode
    except OSError as err:
        raise TaskError(f"pytest could not start ({err}): {STALE_VENV}") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="task", required=True)
    p_lab = sub.add_parser("lab", help="start JupyterLab on the start page, with data ready")
    p_lab.add_argument("--prepare-only", action="store_true", help="set everything up, do not start JupyterLab")
    p_lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="extra arguments for `jupyter lab`")
    p_lab.set_defaults(func=lab)
    p_test = sub.add_parser("test", help="run the whole test suite (lint, unit, notebooks, grading, browser)")
    p_test.add_argument("pytest_args", nargs=argparse.REMAINDER, help="extra arguments for pytest")
    p_test.set_defaults(func=test)
    args, extra = parser.parse_known_args()
    # everything tasks.py does not know goes to jupyter lab / pytest, in order
    if args.task == "lab":
        args.jupyter_args = extra + args.jupyter_args
    else:
        args.pytest_args = extra + args.pytest_args
    try:
        return args.func(args)
    except TaskError as err:
        say(f"error: {err}")
        return err.code
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except Exception as err:  # never a traceback for a newcomer; one line that can be reported
        say(f"error: {args.task} stopped unexpectedly: {type(err).__name__}: {err} "
            "(please report it, with this line)")
        return 1


if __name__ == "__main__":
    sys.exit(main())
