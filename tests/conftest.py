"""Shared fixtures of the course gates.

Modules, notebooks and known-wrong submissions are discovered, never listed: a new lesson in
``curriculum/`` (and its ``tests/submissions/<module>/*.yml``) is covered without touching the tests.

For developing the harness, point it at a throwaway copy of the curriculum:
``CAMPAIGNLAB_CURRICULUM=/tmp/cur CAMPAIGNLAB_SUBMISSIONS=/tmp/subs pytest tests/test_curriculum_*.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import GRADING_SEED, CourseBuild

from campaignlab.course import layout

pytest_plugins = ["system_requirements"]  # @pytest.mark.needs(command): see that file
REPO_ROOT = layout.REPO
CURRICULUM = layout.curriculum_dir()
SUBMISSIONS = Path(os.environ.get("CAMPAIGNLAB_SUBMISSIONS") or REPO_ROOT / "tests" / "submissions")


def source_notebooks() -> list[tuple[str, str]]:
    """(module, notebook file) of every lesson of the curriculum."""
    return [(m, nb) for m in layout.modules(CURRICULUM) for nb in layout.notebooks(m, CURRICULUM)]


def submission_cases() -> list[tuple[str, Path]]:
    """(module folder name, case file) of every ``tests/submissions/<module>/*.yml``."""
    if not SUBMISSIONS.is_dir():
        return []
    return sorted(
        (d.name, f)
        for d in SUBMISSIONS.iterdir()
        if d.is_dir()
        for f in d.iterdir()
        if f.suffix in (".yml", ".yaml")
    )


def pytest_generate_tests(metafunc):
    """Parametrize over what the curriculum holds today (ids name module, notebook, case).

    ``curriculum_module``: a module folder name; ``curriculum_lesson``: (module, notebook file);
    ``submission_case``: (module, case file).
    """
    names = metafunc.fixturenames
    if "curriculum_module" in names:
        metafunc.parametrize("curriculum_module", layout.modules(CURRICULUM))
    if "curriculum_lesson" in names:
        lessons = source_notebooks()
        metafunc.parametrize("curriculum_lesson", lessons, ids=[f"{m}/{nb}" for m, nb in lessons])
    if "submission_case" in names:
        cases = submission_cases()
        metafunc.parametrize("submission_case", cases, ids=[f"{m}/{f.stem}" for m, f in cases])


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout under test."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def curriculum_dir() -> Path:
    """nbgrader's source folder (``$CAMPAIGNLAB_CURRICULUM`` or ``curriculum/``)."""
    return CURRICULUM


@pytest.fixture(scope="session")
def submissions_dir() -> Path:
    """The known-wrong submissions (``$CAMPAIGNLAB_SUBMISSIONS`` or ``tests/submissions/``)."""
    return SUBMISSIONS


@pytest.fixture(scope="session")
def tmp_course_root(tmp_path_factory) -> Path:
    """A throwaway nbgrader course root (release/, submitted/, autograded/, feedback/, gradebook)."""
    return tmp_path_factory.mktemp("course")


@pytest.fixture(scope="session")
def grading_county(tmp_path_factory) -> Path:
    """The county every gate grades on: generated once per session from ``GRADING_SEED``, a
    seed other than the canonical one (as an instructor's course keeps its own)."""
    from campaignlab.course import county

    return county.ensure(tmp_path_factory.mktemp("grading-course"), seed=GRADING_SEED)


@pytest.fixture(scope="session")
def course_build(tmp_course_root, curriculum_dir, submissions_dir, grading_county) -> CourseBuild:
    """Lazily built and graded modules, shared by every gate of the session (graded by the
    instructors' ``Grader``, sandboxed, on the grading county)."""
    return CourseBuild(tmp_course_root, curriculum_dir, submissions_dir, data_dir=grading_county)


def _xdist_group(item) -> str | None:
    """Which tests must share one pytest-xdist worker: those that share an expensive fixture.

    A module's grading gates share its one autograde batch (``course_build``), the hostile
    battery shares its cohort, and a test file shares its module-scoped fixtures; each lesson's
    nbval run stands alone and goes wherever a worker is free.
    """
    path = Path(str(item.fspath)).resolve()
    try:
        rel = path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    if rel == "tests/test_curriculum_grading.py":
        module = params.get("curriculum_module") or (params.get("submission_case") or (None,))[0]
        return f"grade:{module}" if module else None
    if "cohort" in getattr(item, "fixturenames", ()):
        return "cohort"
    if rel == "tests/test_curriculum_notebooks.py" or not rel.startswith("tests/"):
        return None
    return rel


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which turns the marks into groups
def pytest_collection_modifyitems(config, items):
    """Under ``-n`` (``tasks.py test`` runs ``--dist loadgroup``), keep the tests that share an
    expensive fixture on one worker (``_xdist_group``).

    Collection happens in the workers, where xdist sets ``dist`` to "no" and keeps
    ``--dist loadgroup`` as ``option.loadgroup``: both are read, or the groups would be lost and
    each worker would build (and grade) everything its share of tests needs.
    """
    if not (config.getoption("dist", "no") == "loadgroup"
            or getattr(config.option, "loadgroup", False)):
        return
    for item in items:
        group = _xdist_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
