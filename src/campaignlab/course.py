"""Build, grade and check the course: the instructor side of nbgrader, in small functions.

The curriculum folder is nbgrader's *source* folder: every folder of ``curriculum/`` that holds
notebooks is a module, and every module is one nbgrader assignment::

    curriculum/00-start-here/00-start-here.ipynb  ->  build/course/release/00-start-here/...

Everything is discovered, never listed by hand, so a new lesson is released, graded and checked
by the same code.  Commands run nbgrader in a subprocess with ``grader/nbgrader_config.py`` and
a wall-clock bound (``NOTEBOOK_BUDGET`` seconds per notebook; the config bounds every cell).

The helpers that only look at text are pure::

    >>> src = "def zfill(z):\\n    ### BEGIN SOLUTION\\n    return z.zfill(5)\\n    ### END SOLUTION"
    >>> print(strip_solution(src))
    def zfill(z):
        return z.zfill(5)
    >>> solution_lines(src)
    ['    return z.zfill(5)']

Environment overrides (used by the tests): ``CAMPAIGNLAB_CURRICULUM`` (source folder) and
``CAMPAIGNLAB_COURSE_ROOT`` (course root, default ``build/course``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import fnmatch
import html.parser
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The source checkout this module belongs to (the course is built from a checkout).
REPO = Path(__file__).resolve().parents[2]
#: The nbgrader configuration every command uses.
CONFIG = REPO / "grader" / "nbgrader_config.py"
#: Wall-clock seconds allowed per notebook for a whole nbgrader command (cells are bounded at
#: 120 s each by the config; this bounds a hand-in that runs many slow cells).
NOTEBOOK_BUDGET = 600
#: Seconds an nbgrader command needs besides the notebooks (it takes ~3 s to start).
COMMAND_OVERHEAD = 120

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
#: A solution or hidden-test line shorter than this (whitespace collapsed) is too common to be
#: called a leak when it shows up elsewhere (``)``, ``else:``, ``return df``).
MIN_LEAK_CHARS = 12

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


#: Files and folders that must never be in a student version (grader/nbgrader_config.py ignores
#: them): paired scripts carry solutions; exports/ holds what a lesson wrote when run.
NEVER_RELEASED = ("*.py", "*.pyc", "__pycache__", ".ipynb_checkpoints", "exports")


class CourseError(RuntimeError):
    """An nbgrader command failed, timed out, or produced something unsafe to hand out."""


# --------------------------------------------------------------------------- discovery


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


_modules = modules  # for functions whose ``modules`` argument hides the function


# --------------------------------------------------------------------------- cell text


def _regions(source: str, begin: str, end: str) -> tuple[list[str], list[str]]:
    """Split ``source`` into (lines inside begin/end regions, lines outside; markers dropped)."""
    inside, outside, within = [], [], False
    for line in source.split("\n"):
        if begin in line:
            within = True
        elif end in line:
            within = False
        else:
            (inside if within else outside).append(line)
    return inside, outside


def strip_solution(source: str) -> str:
    """The reference answer of a solution cell: its source without the solution markers.

    >>> strip_solution("x = 1\\n### BEGIN SOLUTION\\ny = x + 1\\n### END SOLUTION\\nprint(y)")
    'x = 1\\ny = x + 1\\nprint(y)'
    >>> strip_solution("answer = 42")  # a cell without markers is all solution
    'answer = 42'
    """
    return "\n".join(
        line
        for line in source.split("\n")
        if BEGIN_SOLUTION not in line and END_SOLUTION not in line
    )


def is_solution_cell(cell) -> bool:
    """True for an nbgrader answer cell (``solution: true``)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def grade_id(cell) -> str | None:
    """The cell's nbgrader ``grade_id`` (None for a cell without nbgrader metadata)."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def solution_lines(source: str, *, whole_cell: bool = False) -> list[str]:
    """Lines that nbgrader removes from a solution cell when it builds the student version.

    ``whole_cell``: the cell is a solution cell without markers (all of it is replaced).

    >>> solution_lines("a = 1\\n# BEGIN SOLUTION\\nb = 2\\n# END SOLUTION")
    ['b = 2']
    >>> solution_lines("b = 2", whole_cell=True)
    ['b = 2']
    """
    inside, _ = _regions(source, BEGIN_SOLUTION, END_SOLUTION)
    if not inside and BEGIN_SOLUTION not in source and whole_cell:
        return source.split("\n")
    return inside


def hidden_lines(source: str) -> list[str]:
    """Lines inside ``BEGIN HIDDEN TESTS`` / ``END HIDDEN TESTS`` regions.

    >>> hidden_lines("assert f(1) == 2\\n### BEGIN HIDDEN TESTS\\nassert f(0) == 1\\n### END HIDDEN TESTS")
    ['assert f(0) == 1']
    """
    return _regions(source, BEGIN_HIDDEN, END_HIDDEN)[0]


def _norm(text: str) -> str:
    return " ".join(text.split())


_STRING_ONLY = re.compile(r"""^[rRbBuUfF]{0,2}(?:"[^"]*"|'[^']*')[\s,)\]]*$""")


def _significant(line: str) -> bool:
    """A line long and specific enough that finding it elsewhere means it leaked.

    >>> [_significant(s) for s in [")", "else:", "return df", "assert zips.str.len().eq(5).all()"]]
    [False, False, False, True]
    >>> _significant("    # YOUR CODE HERE")
    False
    """
    text = _norm(line)
    if len(text) < MIN_LEAK_CHARS or not re.search(r"[A-Za-z0-9]", text):
        return False
    return text.lstrip("#").strip().upper() not in {"YOUR CODE HERE", "YOUR ANSWER HERE"}


def _public_text(nb) -> str:
    """Everything in a source notebook that trainees are meant to see (normalised)."""
    parts = []
    for cell in nb["cells"]:
        src = _source(cell)
        _, outside = _regions(src, BEGIN_SOLUTION, END_SOLUTION)
        if is_solution_cell(cell) and BEGIN_SOLUTION not in src:
            outside = []
        _, outside = _regions("\n".join(outside), BEGIN_HIDDEN, END_HIDDEN)
        parts.extend(_norm(line) for line in outside)
    return "\n".join(parts)


def secret_lines(source_nb) -> dict[str, list[tuple[str, str]]]:
    """The significant solution and hidden-test lines of a source notebook that appear nowhere
    else in it: ``{"solution": [(cell_label, line)], "hidden": [...]}``.

    A line also shown in a public part of the notebook (for example in the narrative) is not a
    secret; neither is a line that is only a string literal inside hidden tests (assertion
    messages are meant for trainees and show in feedback by design).
    """
    public = _public_text(source_nb)
    out: dict[str, list[tuple[str, str]]] = {"solution": [], "hidden": []}
    for i, cell in enumerate(source_nb["cells"]):
        src, label = _source(cell), f"cell {i} ({grade_id(cell) or cell['cell_type']})"
        sol = solution_lines(src, whole_cell=is_solution_cell(cell))
        for kind, lines in (("solution", sol), ("hidden", hidden_lines(src))):
            for line in lines:
                text = _norm(line)
                if not _significant(line) or text in public:
                    continue
                if kind == "hidden" and _STRING_ONLY.match(text):
                    continue
                out[kind].append((label, text))
    return out


def notebook_leaks(source_nb, release_nb) -> list[str]:
    """Problems that make a student version unsafe to hand out (empty list: safe).

    Checks every cell source and output of ``release_nb`` for the solution/hidden-test markers
    and for the secret lines of ``source_nb`` (see ``secret_lines``).

    >>> import nbformat
    >>> def cell(src, **nbg):
    ...     c = nbformat.v4.new_code_cell(src)
    ...     if nbg: c.metadata["nbgrader"] = nbg
    ...     return c
    >>> src = nbformat.v4.new_notebook(cells=[
    ...     cell("### BEGIN SOLUTION\\nanswer = voters['zip'].str.zfill(5)\\n### END SOLUTION",
    ...          solution=True, grade_id="zips")])
    >>> ok = nbformat.v4.new_notebook(cells=[cell("# YOUR CODE HERE\\nraise NotImplementedError()")])
    >>> notebook_leaks(src, ok)
    []
    >>> notebook_leaks(src, src)  # doctest: +NORMALIZE_WHITESPACE
    ["cell 0: marker 'BEGIN SOLUTION'", "cell 0: marker 'END SOLUTION'",
     "cell 0: solution line of cell 0 (zips): answer = voters['zip'].str.zfill(5)"]
    """
    problems = []
    secrets = secret_lines(source_nb)
    for i, cell in enumerate(release_nb["cells"]):
        texts = [_source(cell)]
        for out in cell.get("outputs", []):
            texts.append(
                json.dumps(out.get("data", {})) + out.get("text", "") + out.get("evalue", "")
            )
        text = "\n".join(texts)
        problems += [f"cell {i}: marker {m!r}" for m in MARKERS if m in text]
        flat = _norm(text)
        for kind in ("solution", "hidden"):
            problems += [
                f"cell {i}: {kind} line of {where}: {line}"
                for where, line in secrets[kind]
                if line in flat
            ]
    return problems


class _TextOfHTML(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The visible text of an HTML page, whitespace collapsed (syntax highlighting removed).

    >>> html_text('<style>p {}</style><pre><span class="k">assert</span> x &gt; 1</pre>')
    'assert x > 1'
    """
    parser = _TextOfHTML()
    parser.feed(page)
    return _norm("".join(parser.parts))


def feedback_leaks(source_nb, feedback_html: str) -> list[str]:
    """Hidden-test text (markers or secret hidden lines of ``source_nb``) in a feedback page."""
    text = html_text(feedback_html)
    problems = [f"marker {m!r}" for m in (BEGIN_HIDDEN, END_HIDDEN) if m in feedback_html]
    problems += [
        f"hidden line of {where}: {line}"
        for where, line in secret_lines(source_nb)["hidden"]
        if line in text
    ]
    return problems


# --------------------------------------------------------------------------- running nbgrader


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process it started (kernels run in their own sessions)."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        victims = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        victims = []
    for p in victims:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(victims, timeout=10)


def nbgrader(
    args: list[str],
    *,
    root: Path | str | None = None,
    curriculum: Path | str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` with ``grader/nbgrader_config.py``; raise ``CourseError`` when it
    fails or runs longer than ``timeout`` seconds (then it and its kernels are killed)."""
    root = Path(root) if root is not None else course_root()
    root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CAMPAIGNLAB_COURSE_ROOT"] = str(root.resolve())
    env["CAMPAIGNLAB_CURRICULUM"] = str(Path(curriculum or curriculum_dir()).resolve())
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # nbgrader runs `alembic` (a script of this environment) to create the gradebook
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # traitlets wants the config file name without ".py"
    cmd = [
        sys.executable,
        "-m",
        "nbgrader",
        *args,
        f"--NbGrader.config_file={CONFIG.with_suffix('')}",
    ]
    timeout = timeout if timeout is not None else COMMAND_OVERHEAD + NOTEBOOK_BUDGET
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        out, _ = proc.communicate()
        raise CourseError(
            f"`nbgrader {' '.join(args)}` ran longer than {timeout:.0f} s and was killed.\n"
            + out[-4000:]
        ) from None
    if proc.returncode != 0:
        raise CourseError(
            f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n" + out[-4000:]
        )
    return subprocess.CompletedProcess(cmd, proc.returncode, out, "")


def check_release(
    module: str, root: Path | str | None = None, curriculum: Path | str | None = None
) -> list[str]:
    """Everything unsafe in the student version of ``module`` (empty list: safe to hand out).

    Checks each released notebook against its source (``notebook_leaks``) and every other file
    of the release folder for markers and for files that must never ship (``NEVER_RELEASED``).
    """
    import nbformat

    root = Path(root) if root is not None else course_root()
    src_dir = Path(curriculum or curriculum_dir()) / module
    rel_dir = root / "release" / module
    problems = []
    for name in notebooks(module, src_dir.parent):
        rel = rel_dir / name
        if not rel.is_file():
            problems.append(f"{module}/{name}: missing from the release")
            continue
        source_nb = nbformat.read(src_dir / name, as_version=4)
        release_nb = nbformat.read(rel, as_version=4)
        problems += [f"{module}/{name}: {p}" for p in notebook_leaks(source_nb, release_nb)]
    for path in sorted(rel_dir.rglob("*")):
        rel = path.relative_to(rel_dir).as_posix()
        parts = path.relative_to(rel_dir).parts
        if any(fnmatch.fnmatch(part, pat) for part in parts for pat in NEVER_RELEASED):
            if path.is_file():
                problems.append(f"{module}/{rel}: must not be in the release")
        elif path.is_file() and path.suffix != ".ipynb" and path.stat().st_size < 5_000_000:
            text = path.read_bytes().decode("utf-8", "replace")
            problems += [f"{module}/{rel}: marker {m!r}" for m in MARKERS if m in text]
    return problems


def release(
    dest_root: Path | str | None = None,
    modules: list[str] | None = None,
    *,
    curriculum: Path | str | None = None,
    check: bool = True,
) -> dict[str, Path]:
    """Build the student versions: ``nbgrader generate_assignment --force`` for each module.

    Returns ``{module: release folder}``.  With ``check`` (the default) a release that would leak
    a solution or a hidden test raises ``CourseError`` (``check_release``); nothing unsafe is
    left in place for trainees to open.
    """
    import shutil

    root = Path(dest_root) if dest_root is not None else course_root()
    curriculum = Path(curriculum) if curriculum is not None else curriculum_dir()
    names = modules if modules is not None else _modules(curriculum)
    built = {}
    for module in names:
        n = len(notebooks(module, curriculum))
        nbgrader(
            ["generate_assignment", module, "--force"],
            root=root,
            curriculum=curriculum,
            timeout=COMMAND_OVERHEAD + 60 * n,
        )
        if check:
            problems = check_release(module, root, curriculum)
            if problems:
                shutil.rmtree(root / "release" / module, ignore_errors=True)
                raise CourseError(
                    f"The student version of {module} would leak (release removed):\n  "
                    + "\n  ".join(problems)
                )
        built[module] = root / "release" / module
    return built


def release_all(course_root: Path | str | None = None) -> list[Path]:
    """Release every module of the curriculum into ``course_root`` (default: build/course).

    Returns the release folders (``<course_root>/release/<module>``), the folders trainees open.
    """
    return list(release(course_root).values())


def main_release(argv: list[str] | None = None) -> int:
    """``campaignlab release [--root DIR] [--curriculum DIR] [MODULE ...]``: build student versions.

    Prints one release folder per line; exit status 1 (with the reason) if a module fails or
    would leak.
    """
    parser = argparse.ArgumentParser(
        prog="campaignlab release",
        description="Build the student versions of the curriculum (nbgrader generate_assignment).",
    )
    parser.add_argument("modules", nargs="*", help="module folders (default: all of them)")
    parser.add_argument("--root", help="course root (default: build/course)")
    parser.add_argument("--curriculum", help="source folder (default: curriculum/)")
    args = parser.parse_args(argv)
    try:
        built = release(args.root, args.modules or None, curriculum=args.curriculum)
    except CourseError as err:
        print(err, file=sys.stderr)
        return 1
    for path in built.values():
        print(path)
    return 0


# --------------------------------------------------------------------------- submissions


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
    """Read and check one submission case file (the YAML contract of CONTRACT.md).

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
        grade_id(c): strip_solution(_source(c)) for c in source_nb.cells if is_solution_cell(c)
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


def autograde(
    root: Path | str,
    module: str,
    *,
    curriculum: Path | str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Autograde every submitted hand-in of ``module`` in one nbgrader command.

    The whole command is bounded by ``NOTEBOOK_BUDGET`` seconds per submitted notebook.
    """
    root = Path(root)
    n = len(list((root / "submitted").glob(f"*/{module}/*.ipynb")))
    return nbgrader(
        ["autograde", module, "--force", "--create"],
        root=root,
        curriculum=curriculum,
        timeout=timeout if timeout is not None else COMMAND_OVERHEAD + NOTEBOOK_BUDGET * n,
    )


def generate_feedback(
    root: Path | str, module: str, *, curriculum: Path | str | None = None
) -> subprocess.CompletedProcess:
    """HTML feedback for every autograded hand-in of ``module`` (hidden tests removed)."""
    root = Path(root)
    n = len(list((root / "autograded").glob(f"*/{module}/*.ipynb")))
    return nbgrader(
        ["generate_feedback", module, "--force"],
        root=root,
        curriculum=curriculum,
        timeout=COMMAND_OVERHEAD + 30 * n,
    )


@contextlib.contextmanager
def scripts_on_path():
    """Opening a gradebook runs ``alembic``, a script of this environment: make sure it is found
    even when the environment is not activated (``.venv/bin/pytest``)."""
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), old])
    try:
        yield
    finally:
        os.environ["PATH"] = old


_scripts_on_path = scripts_on_path  # the name other modules of the package first used


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


# --------------------------------------------------------------------------- trainee Jupyter


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
