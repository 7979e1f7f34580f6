"""The test harness of the course gates: known-wrong submissions as YAML cases, hand-ins built
from the fresh student version, and every module graded by the same engine instructors run
(``campaignlab.course.autograde.Grader``: sandboxed, on a grading county the trainees never saw).

A case file, ``tests/submissions/<module>/<case>.yml``::

    notebook: 00-start-here.ipynb        # the lesson it hands in
    why: ZIP codes read as numbers lose their leading zeros
    base: solution                       # other answers: the reference (solution) or the stub (release)
    answers:                             # grade_id -> the trainee's code
      load-voters: |
        voters = pd.read_csv(campaignlab.data.path("voters"), sep="\\t")
    expected:
      total: 7                           # automatic points of that lesson
      tests: {load-voters-tests: 0}      # points of single test cells (optional)
"""

from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import packing

from campaignlab.course import layout
from campaignlab.course.cells import grade_id, is_solution_cell, source, strip_solution
from campaignlab.course.gradebook import scripts_on_path

#: The grading seed of the gates: a fixed one, so CI is reproducible (instructors' courses get
#: a random one, kept beside their gradebook).
GRADING_SEED = 4242


@dataclass
class Case:
    """A known-wrong (or hostile) submission, read from ``tests/submissions/<module>/<case>.yml``."""

    name: str
    notebook: str
    why: str
    base: str
    answers: dict[str, str]
    total: float
    tests: dict[str, float] = field(default_factory=dict)


def load_case(path: Path | str) -> Case:
    """Read and check one submission case file (the YAML format of this module's docstring).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "lost-zeros.yml")
    ...     _ = p.write_text('''
    ... notebook: 00-start-here.ipynb
    ... why: ZIP codes read as numbers lose their leading zeros
    ... base: solution
    ... answers:
    ...   load-voters: |
    ...     voters = pd.read_csv(campaignlab.data.path("voters"), sep="\\\\t")
    ... expected:
    ...   total: 3
    ...   tests: {load-voters-tests: 0}
    ... ''')
    ...     case = load_case(p)
    >>> case.name, case.base, case.total, case.tests
    ('lost-zeros', 'solution', 3.0, {'load-voters-tests': 0.0})
    >>> print(case.answers["load-voters"], end="")
    voters = pd.read_csv(campaignlab.data.path("voters"), sep="\\t")
    """
    import yaml

    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping with notebook/why/base/answers/expected")
    unknown = set(doc) - {"notebook", "why", "base", "answers", "expected"}
    missing = {"notebook", "expected"} - set(doc)
    if unknown or missing:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    base = doc.get("base", "solution")
    if base not in ("solution", "release"):
        raise ValueError(f"{path}: base must be 'solution' or 'release', not {base!r}")
    answers = doc.get("answers") or {}
    expected = doc["expected"]
    if not isinstance(answers, dict) or not all(isinstance(v, str) for v in answers.values()):
        raise ValueError(f"{path}: answers must map grade_id -> code (a string)")
    if not isinstance(expected, dict) or "total" not in expected:
        raise ValueError(f"{path}: expected must have a total")
    return Case(
        name=path.stem,
        notebook=str(doc["notebook"]),
        why=str(doc.get("why", "")),
        base=base,
        answers={str(k): v for k, v in answers.items()},
        total=float(expected["total"]),
        tests={str(k): float(v) for k, v in (expected.get("tests") or {}).items()},
    )


def build_submission(release_nb, source_nb, answers: dict[str, str], base: str = "solution"):
    """A hand-in built from the freshly generated student version ``release_nb``.

    Answer cells listed in ``answers`` (grade_id -> code) get that code; the other answer cells
    keep the student stub (``base="release"``) or get the reference solution of ``source_nb``,
    markers stripped (``base="solution"``).  Notebooks may be nbformat nodes or paths.

    >>> import nbformat
    >>> def nb(src):
    ...     c = nbformat.v4.new_code_cell(src)
    ...     c.metadata["nbgrader"] = {"solution": True, "grade_id": "double", "grade": False,
    ...                               "locked": False, "schema_version": 3}
    ...     return nbformat.v4.new_notebook(cells=[c])
    >>> rel = nb("# YOUR CODE HERE\\nraise NotImplementedError()")
    >>> src = nb("### BEGIN SOLUTION\\ndef double(x):\\n    return 2 * x\\n### END SOLUTION")
    >>> build_submission(rel, src, {}, "solution").cells[0].source
    'def double(x):\\n    return 2 * x'
    >>> build_submission(rel, src, {"double": "double = abs"}, "release").cells[0].source
    'double = abs'
    >>> build_submission(rel, src, {"triple": "x"})
    Traceback (most recent call last):
    ...
    KeyError: "answers for unknown answer cells: ['triple'] (answer cells: ['double'])"
    """
    import nbformat

    if base not in ("solution", "release"):
        raise ValueError(f"base must be 'solution' or 'release', not {base!r}")
    if not hasattr(release_nb, "cells"):
        release_nb = nbformat.read(release_nb, as_version=4)
    if not hasattr(source_nb, "cells"):
        source_nb = nbformat.read(source_nb, as_version=4)
    reference = {
        grade_id(c): strip_solution(source(c)) for c in source_nb.cells if is_solution_cell(c)
    }
    sub = copy.deepcopy(release_nb)
    answer_ids = [grade_id(c) for c in sub.cells if is_solution_cell(c)]
    unknown = sorted(set(answers) - set(answer_ids))
    if unknown:
        raise KeyError(f"answers for unknown answer cells: {unknown} (answer cells: {answer_ids})")
    for cell in sub.cells:
        if not is_solution_cell(cell):
            continue
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid].rstrip("\n")
        elif base == "solution":
            if gid not in reference:
                raise KeyError(f"answer cell {gid!r} of the release is not in the source")
            cell.source = reference[gid]
    return sub


def submit(root: Path | str, module: str, student: str, notebooks_: dict[str, object]) -> Path:
    """Write a hand-in where ``nbgrader autograde`` looks for it:
    ``<root>/submitted/<student>/<module>/<notebook>``."""
    import nbformat

    folder = Path(root) / "submitted" / student / module
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks_.items():
        nbformat.write(nb, folder / name)
    # nbgrader reads the submission time from this file (and warns when it is missing)
    (folder / "timestamp.txt").write_text(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
    return folder


@dataclass
class NotebookScore:
    """Automatic marks of one autograded notebook."""

    code_score: float
    max_code_score: float
    score: float
    max_score: float
    #: grade_id of each autograded test cell -> points it earned
    tests: dict[str, float]
    #: grade_id of each autograded test cell -> points it is worth
    max_tests: dict[str, float]


def scores_from_gradebook(root: Path | str, module: str) -> dict[str, dict[str, NotebookScore]]:
    """``{student: {notebook file: NotebookScore}}`` for ``module`` from the course gradebook.

    Compare automatic totals with ``max_code_score``: ``score``/``max_score`` include manually
    graded points, which stay at 0 until someone grades them.
    """
    from nbgrader.api import Gradebook, MissingEntry

    db_url = "sqlite:///" + str((Path(root) / "gradebook.db").resolve())
    result: dict[str, dict[str, NotebookScore]] = {}
    with scripts_on_path(), Gradebook(db_url) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(module, student.id)
            except MissingEntry:
                continue
            per_nb = {}
            for nb in sub.notebooks:
                tests, max_tests = {}, {}
                for grade in nb.grades:
                    if grade.cell_type == "code" and grade.auto_score is not None:
                        tests[grade.name] = float(grade.auto_score)
                        max_tests[grade.name] = float(grade.max_score)
                per_nb[nb.name + ".ipynb"] = NotebookScore(
                    code_score=float(nb.code_score),
                    max_code_score=float(nb.max_code_score),
                    score=float(nb.score),
                    max_score=float(nb.max_score),
                    tests=tests,
                    max_tests=max_tests,
                )
            result[student.id] = per_nb
    return result


def error_outputs(nb, grade_id_: str) -> str:
    """The error text (``ename: evalue``) of the cell ``grade_id_`` of an executed notebook."""
    for cell in nb.cells:
        if grade_id(cell) == grade_id_:
            errs = [
                f"{o.get('ename')}: {o.get('evalue')}"
                for o in cell.get("outputs", [])
                if o.get("output_type") == "error"
            ]
            return "; ".join(errs) or "(no error output)"
    return "(cell not found)"




def case_student(case_name: str) -> str:
    """The student id a case is handed in under: ``case-<name>``."""
    return "case-" + "".join(ch if ch.isalnum() else "-" for ch in case_name)


def points_of(nb) -> dict[str, float]:
    """grade_id -> points of each autograded test cell of a source notebook."""
    return {grade_id(c): float(c.metadata["nbgrader"].get("points", 0)) for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def _scored_as_expected(g, student: str, case: Case) -> bool:
    score = g.scores.get(student, {}).get(case.notebook)
    return (score is not None and score.code_score == case.total
            and all(score.tests.get(t) == v for t, v in case.tests.items()))


class CourseBuild:
    """Builds each module at most once per test session, on first use.

    ``release(module)`` builds the student version (the same ``release.build`` trainees and
    instructors use); ``graded(module)`` hands in the reference solution, the untouched student
    version and every submission case as students, grades them all in one batch with the
    instructors' ``Grader`` on the grading county, and writes their feedback pages.  A failure is
    remembered and re-raised for every test that needs that module, so each test fails with the
    real reason.
    """

    def __init__(self, root: Path, curriculum: Path, submissions: Path, *, data_dir: Path,
                 limits=None, pack: bool | None = None):
        self.root, self.curriculum, self.submissions = root, curriculum, submissions
        self.data_dir, self.limits = data_dir, limits
        #: hand in the cases that cannot change each other's points together (tests/packing.py);
        #: CAMPAIGNLAB_PACK=0 grades every case alone
        self.pack = os.environ.get("CAMPAIGNLAB_PACK", "1") != "0" if pack is None else pack
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
        from campaignlab.course import release

        # check=False: the leak gate reports leaks itself, naming notebook and cell
        return release.build(self.root, [module], curriculum=self.curriculum, check=False)[module]

    def _grade(self, module: str) -> GradedModule:
        import nbformat

        from campaignlab.course import feedback
        from campaignlab.course.autograde import Grader

        release_dir = self.release(module)
        names = layout.notebooks(module, self.curriculum)
        src = {n: nbformat.read(self.curriculum / module / n, as_version=4) for n in names}
        released = {n: nbformat.read(release_dir / n, as_version=4) for n in names}
        g = GradedModule(module=module, source=src, root=self.root)
        handins = {
            "reference": {n: build_submission(released[n], src[n], {}, "solution") for n in names},
            "blank": released,
        }
        folder = self.submissions / module
        by_lesson: dict[str, list[Case]] = {}
        for case_file in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            try:
                case = load_case(case_file)
                if case.notebook not in src:
                    raise ValueError(
                        f"notebook {case.notebook!r} is not a notebook of {module} "
                        f"(notebooks: {names})"
                    )
                build_submission(released[case.notebook], src[case.notebook], case.answers,
                                 case.base)
            except Exception as err:
                g.case_errors[case_file.stem] = f"{case_file}: {err}"
                continue
            by_lesson.setdefault(case.notebook, []).append(case)
        # cases that cannot change each other's points share a hand-in (tests/packing.py)
        packs: dict[str, tuple[Case, list[Case]]] = {}
        for name, cases in by_lesson.items():
            code = [c for c in src[name].cells if c.cell_type == "code"]
            points = points_of(src[name])
            groups = (packing.plan(cases, [source(c) for c in code], [grade_id(c) for c in code],
                                   points) if self.pack else [[c] for c in cases])
            for k, members in enumerate(groups):
                student = (case_student(members[0].name) if len(members) == 1
                           else f"pack-{Path(name).stem[:2]}-{k}")
                packs[student] = (packing.combined(members, student, points), members)
        for student, (view, _) in packs.items():
            handins[student] = {view.notebook: build_submission(
                released[view.notebook], src[view.notebook], view.answers, view.base)}
        log: list[str] = []
        grader = Grader(self.root, module, limits=self.limits, data_dir=self.data_dir,
                        log=log.append)

        def grade(students):
            for student in students:
                submit(self.root, module, student, handins[student])
            results = grader.run(students=sorted(students))
            feedback.generate(self.root, module, log=log.append)
            for r in results:
                if r.status in ("graded", "unreadable", "error"):
                    g.results[(r.student, r.notebook)] = r
                    g.scores.setdefault(r.student, {})[r.notebook] = NotebookScore(
                        code_score=r.score, max_code_score=r.max_score, score=r.score,
                        max_score=r.max_score,
                        tests={k: t.points for k, t in r.tests.items()},
                        max_tests={k: t.max_points for k, t in r.tests.items()},
                    )

        grade(list(handins))
        for student, (view, members) in packs.items():
            for m in members:
                g.cases[m.name] = (student, view)
        # a pack that scored otherwise than its members expect: grade each member alone, so
        # each case is judged (and explained) on its own
        alone = []
        for student, (view, members) in list(packs.items()):
            if len(members) > 1 and not _scored_as_expected(g, student, view):
                log.append(f"pack {student} ({', '.join(m.name for m in members)}) scored "
                           "otherwise than expected: grading its cases one by one")
                for m in members:
                    one = case_student(m.name)
                    handins[one] = {m.notebook: build_submission(
                        released[m.notebook], src[m.notebook], m.answers, m.base)}
                    g.cases[m.name] = (one, m)
                    alone.append(one)
        if alone:
            grade(alone)
        g.log = "\n".join(log)
        return g


class GradedModule:
    """The outcome of grading one module (see ``CourseBuild.graded``)."""

    def __init__(self, module: str, source: dict, root: Path):
        self.module, self.source, self.root = module, source, root
        self.cases: dict[str, tuple[str, Case]] = {}
        self.case_errors: dict[str, str] = {}
        self.scores: dict[str, dict[str, NotebookScore]] = {}
        self.results: dict[tuple[str, str], object] = {}
        self.log = ""

    def autograded(self, student: str, notebook: str):
        import nbformat

        return nbformat.read(self.root / "autograded" / student / self.module / notebook,
                             as_version=4)

    def feedback_page(self, student: str, notebook: str) -> Path:
        return self.root / "feedback" / student / self.module / notebook.replace(".ipynb", ".html")

    def submitted(self, student: str, notebook: str) -> bool:
        return (self.root / "submitted" / student / self.module / notebook).is_file()

    def explain(self, student: str, notebook: str, test_ids) -> str:
        """One line per test cell: points, outcome and why (as the trainee's feedback says)."""
        r = self.results.get((student, notebook))
        if r is None:
            return f"    (no result for {student}/{notebook})"
        lines = [f"    {tid}: {t.points:g} / {t.max_points:g} {t.outcome}: {t.detail[:300]}"
                 for tid in test_ids if (t := r.tests.get(tid)) is not None]
        head = f"    [{r.status}] {r.reason}" if r.reason else None
        return "\n".join(([head] if head else []) + lines)
