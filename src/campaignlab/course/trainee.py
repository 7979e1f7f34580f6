"""The trainee's side of the course on a laptop or Binder: new lessons copied into their
workspace without ever overwriting their work, and nbgrader's instructor and exchange parts
turned off in the Jupyter they use.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from campaignlab.course.layout import CourseError

#: nbgrader's student-side JupyterLab plugins that need an exchange or are instructor tools.
#: ``validate-assignment`` (the Validate button) works without an exchange and stays on.
STUDENT_DISABLED_LAB_PLUGINS = (
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:menu",
)
#: The matching server extensions (``validate_assignment`` stays on).
STUDENT_DISABLED_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.formgrader",
)


def copy_new_lessons(releases: list[Path], workspace: Path) -> list[Path]:
    """Copy each release folder into ``workspace``, never overwriting a file the trainee has.

    Returns the files copied. A trainee's work in ``workspace`` is theirs: a newer release of a
    lesson they already started is reported, not copied over it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     rel = Path(d, "release", "00-start-here"); rel.mkdir(parents=True)
    ...     _ = Path(rel, "00-start-here.ipynb").write_text("new")
    ...     work = Path(d, "my-work"); (work / "00-start-here").mkdir(parents=True)
    ...     _ = Path(work, "00-start-here", "00-start-here.ipynb").write_text("my answers")
    ...     copied = copy_new_lessons([rel], work)  # doctest: +ELLIPSIS
    ...     (copied, Path(work, "00-start-here", "00-start-here.ipynb").read_text())
    kept your .../my-work/00-start-here/00-start-here.ipynb (a newer student version is in ...)
    ([], 'my answers')
    """
    copied = []
    for release in releases:
        for src in sorted(p for p in release.rglob("*") if p.is_file()):
            dest = workspace / release.name / src.relative_to(release)
            if dest.exists():
                if dest.read_bytes() != src.read_bytes():
                    print(f"kept your {dest} (a newer student version is in {src})")
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            copied.append(dest)
    return copied


def _prefix_of(python: str) -> Path:
    if Path(python).resolve() == Path(sys.executable).resolve():
        return Path(sys.prefix)
    done = subprocess.run(
        [python, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip())


def student_extensions_configured(prefix: Path | str | None = None) -> bool:
    """True when the ``sys_prefix`` config of ``prefix`` already disables (and locks) every
    ``STUDENT_DISABLED_*`` part.  Reads the config files only: fast, no Jupyter started.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     student_extensions_configured(d)
    False
    """
    etc = Path(prefix if prefix is not None else sys.prefix) / "etc" / "jupyter"

    def load(path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    page = load(etc / "labconfig" / "page_config.json")
    lab_ok = all(
        page.get(key, {}).get(plugin) is True
        for key in ("disabledExtensions", "lockedExtensions")
        for plugin in STUDENT_DISABLED_LAB_PLUGINS
    )
    server_ok = all(
        load(etc / "jupyter_server_config.d" / f"{ext}.json")
        .get("ServerApp", {})
        .get("jpserver_extensions", {})
        .get(ext)
        is False
        for ext in STUDENT_DISABLED_SERVER_EXTENSIONS
    )
    return lab_ok and server_ok


def disable_student_extensions(python: str | None = None) -> bool:
    """Turn off the nbgrader parts a trainee must not see or that fail without an exchange.

    Disables (and locks, so they cannot be switched back on from the UI) the JupyterLab plugins
    ``STUDENT_DISABLED_LAB_PLUGINS`` and disables the server extensions
    ``STUDENT_DISABLED_SERVER_EXTENSIONS`` at the ``sys_prefix`` level of the environment of
    ``python`` (default: this one), with Jupyter's own commands::

        jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:assignment-list ...
        jupyter labextension lock --level=sys_prefix @jupyter/nbgrader:assignment-list ...
        jupyter server extension disable --sys-prefix nbgrader.server_extensions.assignment_list ...

    The Validate button (``validate-assignment``) stays: it works without an exchange.
    Idempotent: returns False without running anything when the config already says so
    (the commands take ~5 s each), True when it changed the config.
    """
    python = python or sys.executable
    if student_extensions_configured(_prefix_of(python)):
        return False
    commands = [
        ["labextension", "disable", "--level=sys_prefix", *STUDENT_DISABLED_LAB_PLUGINS],
        ["labextension", "lock", "--level=sys_prefix", *STUDENT_DISABLED_LAB_PLUGINS],
        ["server", "extension", "disable", "--sys-prefix", *STUDENT_DISABLED_SERVER_EXTENSIONS],
    ]
    for args in commands:
        done = subprocess.run(
            [python, "-m", "jupyter", *args], capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise CourseError(f"`jupyter {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
    return True


def student_extensions_state(python: str | None = None) -> dict[str, bool]:
    """``{plugin or server extension: enabled?}`` for the nbgrader parts, as Jupyter itself
    resolves them from every config level (slow: ~4 s)."""
    python = python or sys.executable
    code = (
        "import json, sys\n"
        "from jupyterlab.commands import get_app_info\n"
        "from jupyter_server.extension.config import ExtensionConfigManager\n"
        "from jupyter_core.paths import jupyter_config_path\n"
        "plugins, exts = json.loads(sys.argv[1])\n"
        "disabled = get_app_info().get('disabled', {})\n"
        "mgr = ExtensionConfigManager(read_config_path=jupyter_config_path())\n"
        "state = {p: not disabled.get(p, False) for p in plugins}\n"
        "state.update({e: mgr.enabled(e) for e in exts})\n"
        "print(json.dumps(state))\n"
    )
    names = json.dumps(
        [
            [*STUDENT_DISABLED_LAB_PLUGINS, "@jupyter/nbgrader:validate-assignment"],
            [*STUDENT_DISABLED_SERVER_EXTENSIONS, "nbgrader.server_extensions.validate_assignment"],
        ]
    )
    done = subprocess.run([python, "-c", code, names], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise CourseError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])

