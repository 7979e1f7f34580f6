"""pytest plugin: ``@pytest.mark.needs("bwrap", ...)`` for tests that need a system command.

The commands, their Debian packages and why they are needed come from the one table,
``SYSTEM_REQUIREMENTS`` in ``tasks.py`` (which installs them when it can).  A test whose command
is missing from PATH is skipped with the reason and the command that installs it; under CI
(``CI=true`` or ``CI=1``) nothing may skip, so it fails instead, at setup, before its fixtures
run.  Commands the table marks ``as_root_only`` (setpriv) count as missing only when running as
root.  Loaded by ``pytest_plugins`` in ``tests/conftest.py``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

TASKS_PY = Path(__file__).resolve().parents[1] / "tasks.py"
_REASON = pytest.StashKey[str]()


def _load_tasks():
    """tasks.py (stdlib only, not a package) as a module, loaded once."""
    name = "campaignlab_tasks"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TASKS_PY)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]


tasks = _load_tasks()
TABLE = {r.command: r for r in tasks.SYSTEM_REQUIREMENTS}


def missing(commands) -> list[str]:
    """The commands of ``commands`` that are needed here and not on PATH."""
    root = tasks.is_root()
    out = []
    for cmd in commands:
        req = TABLE.get(cmd)
        if req is not None and req.as_root_only and not root:
            continue
        if not shutil.which(cmd):
            out.append(cmd)
    return out


def reason(commands: list[str]) -> str:
    """Why a test that needs ``commands`` (all missing) cannot run, and how to fix it."""
    unknown = [c for c in commands if c not in TABLE]
    if unknown:
        return (f"needs {', '.join(unknown)}, which is not in SYSTEM_REQUIREMENTS of tasks.py: "
                "add it there (command, Debian package, why)")
    reqs = [TABLE[c] for c in commands]
    what = ", ".join(f"{r.command} (Debian package {r.package}, for {r.why})" for r in reqs)
    pkgs = tasks.packages(reqs)
    them = "it" if len(pkgs) == 1 else "them"
    return (f"needs {what}: install {them} with `{tasks.install_command(pkgs)}`, "
            f"or run `python3 tasks.py test` as root, which installs {them}")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs(command, ...): needs these system commands (tasks.py SYSTEM_REQUIREMENTS); "
        "skipped when one is missing, failed instead under CI=true",
    )


def pytest_report_header(config):
    gone = missing(TABLE)
    if not gone:
        return f"system commands the tests need: all on PATH ({', '.join(TABLE)})"
    then = "fail (CI=true)" if tasks.in_ci() else "are skipped"
    names = ", ".join(f"{c} ({TABLE[c].package})" for c in gone)
    return f"system commands missing: {names}; the tests marked needs() for them {then}"


def pytest_collection_modifyitems(config, items):
    for item in items:
        needed = [c for mark in item.iter_markers("needs") for c in mark.args]
        gone = missing(dict.fromkeys(needed))
        if not gone:
            continue
        why = reason(gone)
        if tasks.in_ci() or any(c not in TABLE for c in gone):
            item.stash[_REASON] = why
        else:
            item.add_marker(pytest.mark.skip(reason=why))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    why = item.stash.get(_REASON, None)
    if why is not None:
        pytest.fail(f"{why} (CI=true: a test that cannot run fails, it is never skipped)"
                    if tasks.in_ci() else why, pytrace=False)
