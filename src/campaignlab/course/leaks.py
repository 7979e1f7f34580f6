"""Leak checks: nothing secret (``cells.secret_lines``) may reach a student version or a
feedback page.  ``check_release`` is the gate every release passes before anyone sees it;
``check_handout`` reads every file of what trainees get (a student repository, a zip).
"""

from __future__ import annotations

import fnmatch
import html.parser
import json
from pathlib import Path

from campaignlab.course import county, layout
from campaignlab.course.cells import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    MARKERS,
    grade_id,
    is_solution_cell,
    norm,
    public_text,
    secret_lines,
    significant,
    source,
)


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
        texts = [source(cell)]
        for out in cell.get("outputs", []):
            texts.append(
                json.dumps(out.get("data", {})) + out.get("text", "") + out.get("evalue", "")
            )
        text = "\n".join(texts)
        problems += [f"cell {i}: marker {m!r}" for m in MARKERS if m in text]
        flat = norm(text)
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
    return norm("".join(parser.parts))


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


def check_release(
    module: str, root: Path | str | None = None, curriculum: Path | str | None = None
) -> list[str]:
    """Everything unsafe in the student version of ``module`` (empty list: safe to hand out).

    Checks each released notebook against its source (``notebook_leaks``) and every other file
    of the release folder for markers and for files that must never ship (``NEVER_RELEASED``).
    """
    import nbformat

    root = Path(root) if root is not None else layout.course_root()
    src_dir = Path(curriculum or layout.curriculum_dir()) / module
    rel_dir = root / "release" / module
    problems = []
    for name in layout.notebooks(module, src_dir.parent):
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
        if any(fnmatch.fnmatch(part, pat) for part in parts for pat in layout.NEVER_RELEASED):
            if path.is_file():
                problems.append(f"{module}/{rel}: must not be in the release")
        elif path.is_file() and path.suffix != ".ipynb" and path.stat().st_size < 5_000_000:
            text = path.read_bytes().decode("utf-8", "replace")
            problems += [f"{module}/{rel}: marker {m!r}" for m in MARKERS if m in text]
    return problems




#: Names (of a file or of any folder above it) that never belong in anything handed to trainees:
#: the gradebook (it stores every hidden test), the grading county and its seed, nbgrader's
#: instructor folders, and what a lesson wrote when it was run (``exports/``).
NEVER_HANDED_OUT = (
    "gradebook.db",
    county.SEED_FILE,
    county.COUNTY_DIR,
    county.STAMP,
    "submitted",
    "autograded",
    "feedback",
    "exports",
    ".ipynb_checkpoints",
)
#: How deep archives inside archives are opened.
_ARCHIVE_DEPTH = 3


def answer_lines(source_nb) -> list[tuple[str, str]]:
    """The model answers of a source notebook: significant lines of what its answer cells
    printed (a student version has no outputs, so they never belong in one).

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("### BEGIN SOLUTION\\nprint(n)\\n### END SOLUTION",
    ...     metadata={"nbgrader": {"solution": True, "grade_id": "walk"}},
    ...     outputs=[nbformat.v4.new_output("stream", text="voters on the walk list: 12345\\n")])
    >>> answer_lines(nbformat.v4.new_notebook(cells=[cell]))
    [('cell 0 (walk)', 'voters on the walk list: 12345')]
    """
    public = public_text(source_nb)
    out = []
    for i, cell in enumerate(source_nb["cells"]):
        if not is_solution_cell(cell):
            continue
        for output in cell.get("outputs", []):
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            for line in text.splitlines():
                if significant(line) and norm(line) not in public:
                    out.append((f"cell {i} ({grade_id(cell)})", norm(line)))
    return out


def lesson_secrets(curriculum: Path | str | None = None) -> list[tuple[str, str, str]]:
    """``(kind, where, line)`` for every secret of every lesson of ``curriculum``: solution
    lines, hidden-test lines (``secret_lines``) and model answers (``answer_lines``).  A line
    that another lesson shows openly (a later lesson starts from an earlier answer) is not one.
    """
    import nbformat

    cur = Path(curriculum) if curriculum is not None else layout.curriculum_dir()
    lessons = {f"{m}/{name}": nbformat.read(cur / m / name, as_version=4)
               for m in layout.modules(cur) for name in layout.notebooks(m, cur)}
    public = set("\n".join(public_text(nb) for nb in lessons.values()).split("\n"))
    found = []
    for lesson, nb in lessons.items():
        secrets = secret_lines(nb)
        for kind, pairs in (("solution", secrets["solution"]), ("hidden", secrets["hidden"]),
                            ("answer", answer_lines(nb))):
            found += [(kind, f"{lesson} {where}", line) for where, line in pairs
                      if line not in public]
    return found


def _package_sources() -> set[bytes]:
    """The bytes of every file of the installed ``campaignlab`` package: the grading engine
    itself names the markers, so a verbatim copy of it may contain them."""
    import campaignlab

    return {p.read_bytes() for p in Path(campaignlab.__file__).parent.rglob("*") if p.is_file()}


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def _members(name: str, data: bytes, depth: int = 0):
    """``(name, bytes)`` of a file and, for a zip or tar archive, of every member (recursively)."""
    import io
    import tarfile
    import zipfile

    yield name, data
    if depth >= _ARCHIVE_DEPTH:
        return
    buf = io.BytesIO(data)
    if zipfile.is_zipfile(buf):
        with zipfile.ZipFile(buf) as z:
            for info in z.infolist():
                if not info.is_dir():
                    yield from _members(f"{name}!{info.filename}", z.read(info), depth + 1)
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for m in t.getmembers():
                f = t.extractfile(m) if m.isfile() else None
                if f is not None:
                    yield from _members(f"{name}!{m.name}", f.read(), depth + 1)
    except tarfile.TarError:
        pass


def check_handout(
    path: Path | str,
    curriculum: Path | str | None = None,
    root: Path | str | None = None,
) -> list[str]:
    """Everything that gives a lesson away in what is handed to trainees: a folder (a student
    repository written by ``campaignlab grade release --out``) or one file (the ``--zip``).

    Every file is read (hidden ones too; archives are opened, members included; only a ``.git``
    folder is passed over): a name of ``NEVER_HANDED_OUT``; a solution or hidden-test marker
    (outside verbatim copies of the ``campaignlab`` package, whose grading engine names them);
    any solution line, hidden-test line or model answer of any lesson of ``curriculum``
    (``lesson_secrets``); and, with the course ``root``, the grading seed it keeps.  Empty list:
    nothing found.
    """
    import re

    path = Path(path)
    secrets = lesson_secrets(curriculum)
    engine = _package_sources()
    seed = county.kept_seed(root) if root is not None else None
    seed_re = re.compile(rf'"seed":\s*{seed}(?!\d)') if seed is not None else None
    if path.is_dir():
        files = sorted(p for p in path.rglob("*")
                       if p.is_file() and ".git" not in p.relative_to(path).parts)
        base = path
    else:
        files, base = [path], path.parent
    problems = []
    for file in files:
        for name, data in _members(file.relative_to(base).as_posix(), file.read_bytes()):
            parts = re.split(r"[/!]", name)
            bad = [part for part in parts for pat in NEVER_HANDED_OUT if fnmatch.fnmatch(part, pat)]
            if bad:
                problems.append(f"{name}: must never be handed out ({bad[0]})")
            text = data.decode("utf-8", "replace")
            try:
                text += "\n" + "\n".join(_json_strings(json.loads(text)))
            except ValueError:
                pass
            if data not in engine:
                problems += [f"{name}: marker {m!r}" for m in MARKERS if m in text]
            flat = norm(text)
            problems += [f"{name}: {kind} line of {where}: {line}"
                         for kind, where, line in secrets if line in flat]
            if seed_re is not None and seed_re.search(text):
                problems.append(f"{name}: the grading seed of {root}")
    return problems
