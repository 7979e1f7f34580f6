"""Shared fixtures of the course gates.

Modules, notebooks and known-wrong submissions are discovered, never listed: a new lesson in
``curriculum/`` (and its ``tests/submissions/<module>/*.yml``) is covered without touching the tests.

For developing the harness, point it at a throwaway copy of the curriculum:
``CAMPAIGNLAB_CURRICULUM=/tmp/cur CAMPAIGNLAB_SUBMISSIONS=/tmp/subs pytest tests/test_curriculum_*.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from campaignlab import course

REPO_ROOT = course.REPO
CURRICULUM = course.curriculum_dir()
SUBMISSIONS = Path(os.environ.get("CAMPAIGNLAB_SUBMISSIONS") or REPO_ROOT / "tests" / "submissions")
#: Parallel autograde shards per module (``CAMPAIGNLAB_GRADE_WORKERS``; default: CPUs, at most 4).
GRADE_WORKERS = int(os.environ.get("CAMPAIGNLAB_GRADE_WORKERS") or min(4, os.cpu_count() or 1))


def source_notebooks() -> list[tuple[str, str]]:
    """(module, notebook file) of every lesson of the curriculum."""
    return [(m, nb) for m in course.modules(CURRICULUM) for nb in course.notebooks(m, CURRICULUM)]


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
        metafunc.parametrize("curriculum_module", course.modules(CURRICULUM))
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


class CourseBuild:
    """Builds each module at most once per test session, on first use.

    ``release(module)`` runs generate_assignment; ``graded(module)`` also submits the reference
    solution, the untouched release and every submission case as students, autogrades them
    (one nbgrader command per parallel shard) and generates feedback for all of them.  A failure is remembered and re-raised for every
    test that needs that module, so each test fails with the real reason.
    """

    def __init__(self, root: Path, curriculum: Path, submissions: Path):
        self.root, self.curriculum, self.submissions = root, curriculum, submissions
        self._released: dict[str, object] = {}
        self._graded: dict[str, object] = {}

    @staticmethod
    def _cached(cache, module, build):
        if module not in cache:
            try:
                cache[module] = build(module)
            except Exception as err:  # remembered: every test of the module reports it
                cache[module] = err
        if isinstance(cache[module], Exception):
            raise cache[module]
        return cache[module]

    def release(self, module: str) -> Path:
        return self._cached(self._released, module, self._release)

    def graded(self, module: str) -> GradedModule:
        return self._cached(self._graded, module, self._grade)

    def _release(self, module: str) -> Path:
        # check=False: the leak gate reports leaks itself, naming notebook and cell
        return course.release(self.root, [module], curriculum=self.curriculum, check=False)[module]

    def _grade(self, module: str) -> GradedModule:
        import nbformat

        release_dir = self.release(module)
        names = course.notebooks(module, self.curriculum)
        source = {n: nbformat.read(self.curriculum / module / n, as_version=4) for n in names}
        released = {n: nbformat.read(release_dir / n, as_version=4) for n in names}
        g = GradedModule(module=module, source=source)
        handins = {
            "reference": {
                n: course.build_submission(released[n], source[n], {}, "solution") for n in names
            },
            "blank": released,
        }
        folder = self.submissions / module
        for case_file in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            student = "case-" + "".join(ch if ch.isalnum() else "-" for ch in case_file.stem)
            try:
                case = course.load_case(case_file)
                if case.notebook not in source:
                    raise ValueError(
                        f"notebook {case.notebook!r} is not a notebook of {module} "
                        f"(notebooks: {names})"
                    )
                nb = course.build_submission(
                    released[case.notebook], source[case.notebook], case.answers, case.base
                )
            except Exception as err:
                g.case_errors[case_file.stem] = f"{case_file}: {err}"
                continue
            handins[student] = {case.notebook: nb}
            g.cases[case_file.stem] = (student, case)
        self._autograde_sharded(module, handins, g)
        return g

    def _autograde_sharded(self, module: str, handins: dict, g: GradedModule) -> None:
        """Autograde ``handins`` ({student: {notebook: node}}) in parallel shards.

        nbgrader autogrades one notebook at a time (~6-7 s each, more for data-heavy lessons), so
        the students are dealt round-robin into ``GRADE_WORKERS`` course roots, each a copy of
        the gradebook right after generate_assignment, and each shard runs one autograde and
        one generate_feedback command.  Scores are read from every shard's gradebook.
        """
        from concurrent.futures import ThreadPoolExecutor

        students = sorted(handins, key=lambda s: (s not in ("reference", "blank"), s))
        n = max(1, min(GRADE_WORKERS, len(students)))
        roots = [self.root]
        for k in range(1, n):
            shard = self.root.parent / f"{self.root.name}-{module}-shard{k}"
            shard.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.root / "gradebook.db", shard / "gradebook.db")
            roots.append(shard)
        for i, student in enumerate(students):
            root = roots[i % n]
            course.submit(root, module, student, handins[student])
            g.student_root[student] = root

        def grade(root: Path) -> tuple[str, str, dict]:
            log = course.autograde(root, module, curriculum=self.curriculum).stdout
            fb = course.generate_feedback(root, module, curriculum=self.curriculum).stdout
            return log, fb, course.scores_from_gradebook(root, module)

        with ThreadPoolExecutor(max_workers=n) as pool:
            results = list(pool.map(grade, roots))
        for (log, fb, scores), root in zip(results, roots, strict=True):
            g.autograde_log += f"--- {root}\n{log}"
            g.feedback_log += f"--- {root}\n{fb}"
            g.scores.update({s: v for s, v in scores.items() if g.student_root.get(s) == root})


class GradedModule:
    """The outcome of grading one module (see ``CourseBuild.graded``)."""

    def __init__(self, module: str, source: dict):
        self.module, self.source = module, source
        #: the (shard) course root each student was graded in
        self.student_root: dict[str, Path] = {}
        self.cases: dict[str, tuple[str, course.Case]] = {}
        self.case_errors: dict[str, str] = {}
        self.scores: dict[str, dict[str, course.NotebookScore]] = {}
        self.autograde_log = self.feedback_log = ""

    def autograded(self, student: str, notebook: str):
        import nbformat

        root = self.student_root[student]
        return nbformat.read(root / "autograded" / student / self.module / notebook, as_version=4)

    def feedback_page(self, student: str, notebook: str) -> Path:
        root = self.student_root[student]
        return root / "feedback" / student / self.module / notebook.replace(".ipynb", ".html")

    def submitted(self, student: str, notebook: str) -> bool:
        root = self.student_root[student]
        return (root / "submitted" / student / self.module / notebook).is_file()

    def explain(self, student: str, notebook: str, test_ids) -> str:
        """One line per test cell: points and the error it raised in the autograded copy."""
        try:
            nb = self.autograded(student, notebook)
        except FileNotFoundError:
            return f"    (no autograded copy of {notebook} for {student})"
        score = self.scores[student][notebook]
        return "\n".join(
            f"    {tid}: {score.tests.get(tid)} / {score.max_tests.get(tid)} points; "
            f"{course.error_outputs(nb, tid)}"
            for tid in test_ids
        )


@pytest.fixture(scope="session")
def course_build(tmp_course_root, curriculum_dir, submissions_dir) -> CourseBuild:
    """Lazily built and graded modules, shared by every gate of the session."""
    return CourseBuild(tmp_course_root, curriculum_dir, submissions_dir)
