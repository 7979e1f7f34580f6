"""Where the course lives: the source checkout, nbgrader's source folder, the course root, and
the modules and lessons found in them.

The curriculum folder is nbgrader's *source* folder: every folder of ``curriculum/`` that holds
notebooks is a module, and every module is one nbgrader assignment::

    curriculum/00-start-here/00-start-here.ipynb  ->  build/course/release/00-start-here/...

Everything is discovered, never listed by hand, so a new lesson is released, graded and checked
by the same code.  Environment overrides: ``CAMPAIGNLAB_CURRICULUM`` (source folder) and
``CAMPAIGNLAB_COURSE_ROOT`` (course root, default ``build/course``).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The source checkout this package belongs to (the course is built from a checkout).
REPO = Path(__file__).resolve().parents[3]
#: The nbgrader configuration every command uses.
CONFIG = REPO / "grader" / "nbgrader_config.py"
#: Files and folders that must never be in a student version (grader/nbgrader_config.py ignores
#: them): paired scripts carry solutions; exports/ holds what a lesson wrote when run.
NEVER_RELEASED = ("*.py", "*.pyc", "__pycache__", ".ipynb_checkpoints", "exports")


class CourseError(RuntimeError):
    """An nbgrader command failed, timed out, or produced something unsafe to hand out."""


def curriculum_dir() -> Path:
    """nbgrader's source folder: ``$CAMPAIGNLAB_CURRICULUM`` or ``<repo>/curriculum``.

    >>> curriculum_dir().is_absolute()
    True
    """
    env = os.environ.get("CAMPAIGNLAB_CURRICULUM")
    return Path(env).expanduser().resolve() if env else REPO / "curriculum"


def course_root() -> Path:
    """The course root (release/, submitted/, autograded/, feedback/, gradebook.db).

    ``$CAMPAIGNLAB_COURSE_ROOT`` or ``<repo>/build/course``.

    >>> course_root().is_absolute()
    True
    """
    env = os.environ.get("CAMPAIGNLAB_COURSE_ROOT")
    return Path(env).expanduser().resolve() if env else REPO / "build" / "course"


def _is_lesson(path: Path) -> bool:
    return path.suffix == ".ipynb" and path.is_file() and not path.name.startswith(".")


def modules(curriculum: Path | str | None = None) -> list[str]:
    """Sorted names of the module folders of ``curriculum`` that contain notebooks.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for f in ["01-voter-files/01-read.ipynb", "00-start-here/00-start-here.ipynb",
    ...               "notes/README.md", ".ipynb_checkpoints/x.ipynb"]:
    ...         p = Path(d, f); p.parent.mkdir(exist_ok=True); p.touch()
    ...     modules(d)
    ['00-start-here', '01-voter-files']
    """
    root = Path(curriculum) if curriculum is not None else curriculum_dir()
    if not root.is_dir():
        return []
    return sorted(
        d.name
        for d in root.iterdir()
        if d.is_dir() and not d.name.startswith((".", "_")) and any(map(_is_lesson, d.iterdir()))
    )


def notebooks(module: str, curriculum: Path | str | None = None) -> list[str]:
    """Sorted notebook file names of one module (nbgrader grades only the module's top level)."""
    root = Path(curriculum) if curriculum is not None else curriculum_dir()
    return sorted(p.name for p in (root / module).iterdir() if _is_lesson(p))



def state_dir(root: Path | str, module: str) -> Path:
    """``<root>/campaignlab/<module>``: results, roster copy and collect manifest of a module.

    >>> state_dir("/course", "00-start-here").as_posix()
    '/course/campaignlab/00-start-here'
    """
    return Path(root) / "campaignlab" / module
