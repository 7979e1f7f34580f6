"""Leak checks: nothing secret (``cells.secret_lines``) may reach a student version or a
feedback page.  ``check_release`` is the gate every release passes before anyone sees it.
"""

from __future__ import annotations

import fnmatch
import html.parser
import json
from pathlib import Path

from campaignlab.course import layout
from campaignlab.course.cells import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    MARKERS,
    norm,
    secret_lines,
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


