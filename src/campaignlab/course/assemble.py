"""Build the notebook that actually runs, from the *trusted* copy of a lesson, not the hand-in.

The trusted copy is what ``nbgrader generate_assignment`` stored: the gradebook holds every
locked and test cell's source *with* its hidden tests; the release holds the cell order, the
answer stubs and the public text of each test.  From a hand-in only the trainee's answers and
the cells the trainee added are taken:

- every answer cell (``solution``) comes from the hand-in, matched by ``grade_id``; a deleted
  answer cell is graded as the unanswered stub;
- every locked and test cell is the trusted source, whatever the hand-in holds (edited,
  deleted, moved or duplicated test cells change nothing; a note says so);
- cells the trainee added run where the trainee put them (after the same trusted cell);
  nbgrader metadata on them is dropped, so they are never graded;
- each test cell runs in the checker (``checker``), a process the trainee's code never ran in,
  on the trainee's values sent as plain data (``wire``); its check-in token (an HMAC of a
  per-run secret, the student, the notebook and the cell) never enters the kernel: the runner
  reports it for a test the checker passed, and the parent counts a test as passed only if that
  exact token came back for that cell with no error.

>>> tok = token(b"secret", "ana", "00-start-here.ipynb", "load-voters-tests")
>>> tok.startswith("CLTOKEN-") and len(tok) == 48
True
>>> tok == token(b"other", "ana", "00-start-here.ipynb", "load-voters-tests")
False
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from campaignlab.course.cells import MARKER_RE, canonical, grade_id, heading
from campaignlab.course.cells import source as _src
from campaignlab.course.gradebook import scripts_on_path

#: Student code that reaches into the kernel or the process: allowed (it may be harmless) but
#: flagged for the instructor, because it is how a hand-in would try to fake its results.
TAMPER_RE = re.compile(
    r"get_ipython|\bIPython\b|ipykernel|input_transformers|ast_transformers|showtraceback|"
    r"set_custom_exc|settrace|setprofile|excepthook|_getframe|\binspect\b|\bctypes\b|"
    r"\bgc\.|__builtins__|\bbuiltins\b|\b_ih\b|\bIn\[|os\._exit|\bsignal\b|\bsubprocess\b|"
    r"os\.fork|os\.system|\bmultiprocessing\b|__import__|\bexec\(|\beval\(|\bcompile\(|"
    r"CLTOKEN"
)


def token(secret: bytes, student: str, notebook: str, gid: str) -> str:
    """The check-in token a test cell prints when (and only when) all its asserts passed."""
    msg = f"{student}\0{notebook}\0{gid}".encode()
    return "CLTOKEN-" + hmac.new(secret, msg, hashlib.sha1).hexdigest()


@dataclass
class TrustedCell:
    gid: str
    role: str  # answer | test | manual | locked | narrative
    cell_type: str
    source: str  # what runs (tests: with hidden tests)
    public: str  # what trainees see (release text)
    points: float = 0.0
    label: str = ""
    answer_gid: str | None = None  # for a test: the answer cell it checks


@dataclass
class TrustedNotebook:
    module: str
    name: str  # file name, e.g. 00-start-here.ipynb
    cells: list[TrustedCell]
    metadata: dict

    @property
    def tests(self) -> list[TrustedCell]:
        return [c for c in self.cells if c.role == "test"]

    @property
    def max_auto(self) -> float:
        return sum(c.points for c in self.tests)


@dataclass
class ExecCell:
    role: str  # answer | test | manual | locked | narrative | extra
    gid: str | None
    cell_type: str
    source: str  # what runs / what the graded copy shows
    run: str | None = None  # code sent to the kernel (None: not executed)
    token: str | None = None
    note: str | None = None
    metadata: dict = field(default_factory=dict)


@dataclass
class Assembled:
    cells: list[ExecCell]
    notes: list[str]
    review: list[str]  # reasons to look at this hand-in by hand



def load_trusted(root: Path | str, module: str) -> dict[str, TrustedNotebook]:
    """``{notebook file: TrustedNotebook}`` from the gradebook and the release of ``module``."""
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    release = root / "release" / module
    if not release.is_dir():
        raise FileNotFoundError(
            f"no release of {module} in {release}: run `campaignlab grade release {module}` first"
        )
    db = "sqlite:///" + str((root / "gradebook.db").resolve())
    out: dict[str, TrustedNotebook] = {}
    with scripts_on_path(), Gradebook(db) as gb:
        try:
            assignment = gb.find_assignment(module)
        except MissingEntry:
            raise FileNotFoundError(
                f"{module} is not in the gradebook {root / 'gradebook.db'}: release it first"
            ) from None
        for nbrow in assignment.notebooks:
            name = nbrow.name + ".ipynb"
            rel = nbformat.read(release / name, as_version=4)
            src = {c.name: c for c in nbrow.source_cells}
            grades = {c.name: float(c.max_score) for c in nbrow.grade_cells}
            solutions = {c.name for c in nbrow.solution_cells}
            cells: list[TrustedCell] = []
            last_md, last_answer, last_label = None, None, None
            for c in rel.cells:
                gid = grade_id(c)
                text = _src(c)
                if not gid:
                    if c.cell_type == "markdown":
                        cells.append(TrustedCell("", "narrative", "markdown", text, text))
                        last_md = text
                    continue
                if gid in solutions and gid in grades:
                    role = "manual"
                elif gid in solutions:
                    role = "answer"
                elif gid in grades:
                    role = "test"
                else:
                    role = "locked"
                trusted = src[gid].source if gid in src and role in ("test", "locked") else text
                tc = TrustedCell(gid, role, c.cell_type, trusted, text, grades.get(gid, 0.0))
                if role in ("answer", "manual"):
                    last_answer = gid
                    last_label = (heading(last_md) if last_md else None) or gid
                    tc.label = last_label
                if role == "test":
                    tc.answer_gid = last_answer
                    tc.label = last_label or gid
                if c.cell_type == "markdown" and role in ("locked", "narrative"):
                    last_md = text
                cells.append(tc)
            out[name] = TrustedNotebook(module, name, cells, dict(rel.metadata))
    return out


def source_notebook(trusted: TrustedNotebook):
    """The lesson as its source notebook shows it, from the trusted copy: test and locked cells
    with their hidden tests, answer cells as the student stub.  What ``cells.secret_lines``
    reads to know what is secret, without the curriculum folder."""
    import nbformat

    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(trusted.metadata))
    for tc in trusted.cells:
        new = nbformat.v4.new_code_cell if tc.cell_type == "code" else nbformat.v4.new_markdown_cell
        cell = new(tc.source)
        if tc.gid:
            cell.metadata["nbgrader"] = {"grade_id": tc.gid, "solution": tc.role in ("answer", "manual"),
                                         "grade": tc.role in ("test", "manual"),
                                         "locked": tc.role in ("test", "locked")}
        nb.cells.append(cell)
    return nb


def parse_handin(raw: bytes):
    """The hand-in as a notebook, or raise ``ValueError`` with a reason a trainee understands."""
    import nbformat

    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("the file is not text (not a notebook)") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"the file is not valid notebook JSON ({err.msg}, line {err.lineno})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cells", doc.get("worksheets")), list):
        raise ValueError("the file is JSON but not a Jupyter notebook (no cells)")
    try:
        nb = nbformat.reads(json.dumps(doc), as_version=4)
    except Exception as err:  # noqa: BLE001 - any malformed notebook
        raise ValueError(f"the notebook is malformed: {str(err)[:200]}") from None
    for c in nb.cells:
        if not isinstance(c.get("metadata", {}), dict):
            c["metadata"] = {}
    return nb


def assemble(trusted: TrustedNotebook, handin, secret: bytes, student: str) -> Assembled:
    """Merge a parsed hand-in into the trusted notebook (see the module docstring)."""
    known = {c.gid: c for c in trusted.cells if c.gid}
    narrative = {canonical(c.source) for c in trusted.cells if c.role == "narrative"}
    theirs: dict[str, object] = {}
    extras: dict[str | None, list] = {None: []}
    prev: str | None = None
    notes: list[str] = []
    review: list[str] = []
    for c in handin.cells if handin is not None else []:
        gid = grade_id(c)
        if gid in known and gid not in theirs:
            theirs[gid] = c
            prev = gid
            continue
        if gid in known:
            notes.append(f"a second cell with id {gid!r} was run as an ordinary cell (not graded)")
        if c.get("cell_type") == "markdown" and canonical(_src(c)) in narrative:
            continue
        if c.get("cell_type") not in ("code", "markdown"):
            continue
        extras.setdefault(prev, []).append(c)

    cells: list[ExecCell] = []

    def add_extras(after):
        for c in extras.get(after, []):
            text = _src(c)
            run = text if c.get("cell_type") == "code" else None
            cells.append(ExecCell("extra", None, c["cell_type"], text, run=run))

    add_extras(None)
    for tc in trusted.cells:
        if tc.role == "narrative":
            cells.append(ExecCell("narrative", None, "markdown", tc.source))
            continue
        mine = theirs.get(tc.gid)
        note = None
        if tc.role in ("answer", "manual"):
            if mine is None:
                text = tc.public
                note = "this answer cell was missing from the hand-in: graded as unanswered"
                notes.append(f"{tc.gid}: answer cell deleted")
            else:
                text = _src(mine)
            run = text if tc.cell_type == "code" else None
            cells.append(ExecCell(tc.role, tc.gid, tc.cell_type, text, run=run, note=note))
        else:
            if mine is None:
                note = "this cell was missing from the hand-in: the original was run"
                notes.append(f"{tc.gid}: {'test' if tc.role == 'test' else 'locked'} cell deleted")
            elif canonical(_src(mine)) != canonical(tc.public) and canonical(_src(mine)) != canonical(
                tc.source
            ):
                note = "this cell was edited in the hand-in: the original was run"
                notes.append(f"{tc.gid}: {'test' if tc.role == 'test' else 'locked'} cell edited")
            ec = ExecCell(tc.role, tc.gid, tc.cell_type, tc.source, note=note)
            if tc.cell_type == "code":
                if tc.role == "test":
                    ec.token = token(secret, student, trusted.name, tc.gid)
                # a test runs in the checker (``checker``), never in the kernel: the test code and
                # its token stay out of the trainee's reach
                ec.run = tc.source
            cells.append(ec)
        add_extras(tc.gid)

    student_code = "\n".join(
        c.source for c in cells if c.role in ("answer", "manual", "extra") and c.run
    )
    hits = sorted(set(TAMPER_RE.findall(student_code)))
    if hits:
        review.append(
            "the trainee's code reaches into the kernel or the process ("
            + ", ".join(hits[:8])
            + "): read it before trusting the score"
        )
    if any(MARKER_RE.search(c.source) for c in cells if c.role in ("answer", "manual", "extra")):
        notes.append("the hand-in contains a solution/hidden-test marker in its own cells (ignored)")
    return Assembled(cells, notes, review)



def to_notebook(trusted: TrustedNotebook, cells: list[ExecCell]):
    """An nbformat notebook of the assembled cells (no outputs)."""
    import nbformat

    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(trusted.metadata))
    for c in cells:
        if c.cell_type == "code":
            cell = nbformat.v4.new_code_cell(c.source)
        else:
            cell = nbformat.v4.new_markdown_cell(c.source)
        if c.gid:
            tc = next(t for t in trusted.cells if t.gid == c.gid)
            cell.metadata["nbgrader"] = {
                "grade": tc.role in ("test", "manual"),
                "solution": tc.role in ("answer", "manual"),
                "locked": tc.role in ("test", "locked"),
                "grade_id": c.gid,
                "schema_version": 3,
            }
            if tc.role in ("test", "manual"):
                cell.metadata["nbgrader"]["points"] = tc.points
        nb.cells.append(cell)
    return nb
