#!/usr/bin/env python3
"""The two commands of Campaign Data Lab.

    python3 tasks.py lab    # set up, generate the data, build the student notebooks, open JupyterLab
    python3 tasks.py test   # set up (with test tools) and run the whole test suite

Both create the virtual environment ``.venv`` with the pinned stack from pyproject.toml the first
time (about two minutes) and reuse it afterwards; they reinstall only when pyproject.toml changes.
Only Python 3.11 and git are needed on the machine. Nothing here needs the network after the
first install: the data is generated locally.
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

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".campaignlab-installed"
WORKSPACE = ROOT / "my-work"
START_PAGE = "00-start-here/00-start-here.ipynb"


def say(msg: str) -> None:
    print(f"[campaignlab] {msg}", flush=True)


def run(*cmd: str | Path, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def check_python() -> None:
    if sys.version_info[:2] != (3, 11):
        found = shutil.which("python3.11")
        hint = f"run it as `{found} tasks.py ...`" if found else "install Python 3.11"
        sys.exit(
            f"Campaign Data Lab pins its stack for Python 3.11; this is Python "
            f"{sys.version_info.major}.{sys.version_info.minor}. Please {hint}."
        )


def ensure_env(extras: str) -> None:
    """Create .venv and install the pinned package (with ``extras``) unless already done."""
    check_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.is_file() else []
    if wanted in have:
        return
    if not PY.exists():
        say("creating the virtual environment .venv (first run only)")
        venv.create(VENV, with_pip=True, symlinks=os.name != "nt")
    say(f"installing the pinned stack{' with ' + extras if extras else ''} (first run: ~2 minutes)")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target, cwd=ROOT)
    STAMP.write_text("\n".join([*have, wanted]) + "\n")


def prepare_lab() -> Path:
    """Generate the data, build the student versions and copy new ones into my-work/."""
    say("checking the synthetic county data (generated on first run)")
    run(PY, "-m", "campaignlab", "generate", "--if-missing")
    say("building the student versions of every module")
    run(PY, "-m", "campaignlab", "release", "--workspace", WORKSPACE, "--trainee")
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
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI machines run as root; jupyter refuses otherwise
    os.execv(cmd[0], cmd)


def test(args: argparse.Namespace) -> int:
    ensure_env("dev")
    run(BIN / "ruff", "check", ".", cwd=ROOT)
    return subprocess.run([str(BIN / "pytest"), *args.pytest_args], cwd=ROOT).returncode


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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
