"""Exercise titles in the lesson's own words, for the instructor's report and the trainee's
feedback: ``Exercise 3 · Share of active voters who are unaffiliated`` rather than the grade id
``share-unaffiliated-tests`` or whatever heading happened to come before the answer cell.

A lesson states each exercise in a task cell, a markdown cell before its answer cell, headed
(usually inside a blockquote) like this::

    > ### Exercise 3 · Share of active voters who are unaffiliated (2 points)

The title is that heading as the lesson writes it, without ``>``, ``#``, emphasis and the
points in parentheses (the report and the feedback show points in their own column).  An
answer cell takes the title of the last task heading before it; the test cells that check that
answer take the same title.  Where a lesson has no task heading, callers keep the label they
had (the heading before the answer cell, or the grade id): see ``relabel``.

Only text is read, nothing runs: the functions work on source, release or trusted notebooks
(``assemble.source_notebook``) alike, as nbformat nodes or plain dicts.
"""

from __future__ import annotations

import re
from pathlib import Path

from campaignlab.course.cells import grade_id, source

#: A markdown heading, also inside a blockquote (``> ### ...``).
_HEADING = re.compile(r"^\s*(?:>\s*)*#{1,6}\s+(.+?)\s*#*\s*$")
#: The points a task heading ends with: ``(2 points)``, ``(1 point)``, ``(3 points, graded by hand)``.
_POINTS = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)\s*$", re.IGNORECASE)
#: A heading that names a task even without points.
_TASK = re.compile(r"^(?:exercise|reflection)\b", re.IGNORECASE)


def _plain(text: str) -> str:
    """Markdown inline marks removed: links keep their text, emphasis and code marks go.

    >>> _plain("Count the **active** voters in `n_active` ([docs](https://x.org))")
    'Count the active voters in n_active (docs)'
    >>> _plain("_Why_ flag, not drop?")
    'Why flag, not drop?'
    """
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*`]|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])", "", text)
    return " ".join(text.split())


def headings(markdown: str) -> list[str]:
    """Every heading of a markdown cell, blockquoted ones included, as written (marks kept).

    >>> headings("### How good is the match?\\nText\\n> ### Exercise 7 · Precision (2 points)")
    ['How good is the match?', 'Exercise 7 · Precision (2 points)']
    """
    return [m.group(1) for m in map(_HEADING.match, markdown.splitlines()) if m]


def task_title(markdown: str) -> str | None:
    """The exercise title a task cell gives, or None when the cell states no task.

    The first heading that ends with its points, else the first that starts with "Exercise" or
    "Reflection"; the points are dropped.

    >>> task_title("**Notice** the zeros are back.\\n\\n"
    ...            "> ### Exercise 1 · Load the voter file (2 points)\\n> Load the **whole** file")
    'Exercise 1 · Load the voter file'
    >>> task_title("> ### Reflection · Responsible use (3 points, graded by hand)")
    'Reflection · Responsible use'
    >>> task_title("### How good is the match?\\n\\n> ### Exercise 7 · Precision and recall (2 points)")
    'Exercise 7 · Precision and recall'
    >>> task_title("## 5. A first look at the voter file") is None
    True
    """
    found = headings(markdown)
    best = next((h for h in found if _POINTS.search(h)), None)
    best = best or next((h for h in found if _TASK.match(_plain(h))), None)
    if best is None:
        return None
    return _plain(_POINTS.sub("", best)) or None


def exercise_titles(nb) -> dict[str, str]:
    """``{grade_id: title}`` for the answer, hand-graded and test cells of a lesson notebook.

    A markdown cell with a heading starts a new part of the lesson: answer cells after it take
    its task title, or none if it states no task (a section heading); a test cell takes the
    title of the answer cell before it.

    >>> import nbformat
    >>> v4 = nbformat.v4
    >>> def cell(make, text, **nbgrader):
    ...     c = make(text)
    ...     if nbgrader:
    ...         c.metadata["nbgrader"] = nbgrader
    ...     return c
    >>> nb = v4.new_notebook(cells=[
    ...     cell(v4.new_markdown_cell, "> ### Exercise 2 · Count the *active* voters (1 point)",
    ...          grade_id="count-task", locked=True),
    ...     cell(v4.new_code_cell, "n_active = ...", grade_id="count-active", solution=True),
    ...     cell(v4.new_code_cell, "assert n_active", grade_id="count-active-tests", grade=True),
    ...     cell(v4.new_markdown_cell, "## 3. Where they live"),
    ...     cell(v4.new_code_cell, "zips = ...", grade_id="zips", solution=True),
    ... ])
    >>> exercise_titles(nb)
    {'count-active': 'Exercise 2 · Count the active voters', 'count-active-tests': 'Exercise 2 · Count the active voters'}
    """
    out: dict[str, str] = {}
    current: str | None = None
    answer: str | None = None
    for cell in nb["cells"]:
        gid = grade_id(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "markdown" and not meta.get("solution"):
            text = source(cell)
            if headings(text):
                current = task_title(text)
            continue
        if not gid:
            continue
        if meta.get("solution"):
            answer = gid
            if current:
                out[gid] = current
        elif meta.get("grade") and answer in out:
            out[gid] = out[answer]
    return out


def module_titles(root: Path | str, module: str) -> dict[str, dict[str, str]]:
    """``{lesson file: {grade_id: title}}`` from the release of ``module`` in the course root
    (the version trainees got); ``{}`` for a module that has not been released.

    >>> module_titles("/nonexistent", "00-start-here")
    {}
    """
    import nbformat

    folder = Path(root) / "release" / module
    out = {}
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        try:
            out[path.name] = exercise_titles(nbformat.read(path, as_version=4))
        except Exception:  # noqa: BLE001 - an unreadable release keeps the old labels
            continue
    return out


def relabel(results, titles: dict[str, dict[str, str]]) -> None:
    """Give every test result of ``results`` (autograde's ``HandinResult``s) the title of its
    exercise, in place; a test without a title keeps its label, or gets its grade id.

    >>> from types import SimpleNamespace as NS
    >>> r = NS(notebook="00.ipynb", tests={"a-tests": NS(label="a"), "b-tests": NS(label="")})
    >>> relabel([r], {"00.ipynb": {"a-tests": "Exercise 1 · Load the voter file"}})
    >>> [t.label for t in r.tests.values()]
    ['Exercise 1 · Load the voter file', 'b-tests']
    """
    for r in results:
        mine = titles.get(r.notebook, {})
        for gid, t in r.tests.items():
            t.label = mine.get(gid) or t.label or gid
