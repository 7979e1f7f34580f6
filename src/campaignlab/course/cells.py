"""What a lesson's cells are made of: nbgrader's markers, answer and test cells, and the one
definition of what is secret (solution lines and hidden-test lines) that the release check, the
feedback pages and the graded copies all use.

The helpers only look at text, and are pure::

    >>> src = "def zfill(z):\\n    ### BEGIN SOLUTION\\n    return z.zfill(5)\\n    ### END SOLUTION"
    >>> print(strip_solution(src))
    def zfill(z):
        return z.zfill(5)
    >>> solution_lines(src)
    ['    return z.zfill(5)']
"""

from __future__ import annotations

import re

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
#: A solution or hidden-test line shorter than this (whitespace collapsed) is too common to be
#: called a leak when it shows up elsewhere (``)``, ``else:``, ``return df``).
MIN_LEAK_CHARS = 12
#: A marker anywhere in a line of text (trainee text quoting one is defused, never trusted).
MARKER_RE = re.compile(r"(BEGIN|END) (HIDDEN TESTS|SOLUTION)")


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


def source(cell) -> str:
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


def norm(text: str) -> str:
    return " ".join(text.split())


_STRING_ONLY = re.compile(r"""^[rRbBuUfF]{0,2}(?:"[^"]*"|'[^']*')[\s,)\]]*$""")


def significant(line: str) -> bool:
    """A line long and specific enough that finding it elsewhere means it leaked.

    >>> [significant(s) for s in [")", "else:", "return df", "assert zips.str.len().eq(5).all()"]]
    [False, False, False, True]
    >>> significant("    # YOUR CODE HERE")
    False
    """
    text = norm(line)
    if len(text) < MIN_LEAK_CHARS or not re.search(r"[A-Za-z0-9]", text):
        return False
    return text.lstrip("#").strip().upper() not in {"YOUR CODE HERE", "YOUR ANSWER HERE"}


def public_text(nb) -> str:
    """Everything in a source notebook that trainees are meant to see (normalised)."""
    parts = []
    for cell in nb["cells"]:
        src = source(cell)
        _, outside = _regions(src, BEGIN_SOLUTION, END_SOLUTION)
        if is_solution_cell(cell) and BEGIN_SOLUTION not in src:
            outside = []
        _, outside = _regions("\n".join(outside), BEGIN_HIDDEN, END_HIDDEN)
        parts.extend(norm(line) for line in outside)
    return "\n".join(parts)


def secret_lines(source_nb) -> dict[str, list[tuple[str, str]]]:
    """The significant solution and hidden-test lines of a source notebook that appear nowhere
    else in it: ``{"solution": [(cell_label, line)], "hidden": [...]}``.

    A line also shown in a public part of the notebook (for example in the narrative) is not a
    secret; neither is a line that is only a string literal inside hidden tests (assertion
    messages are meant for trainees and show in feedback by design).
    """
    public = public_text(source_nb)
    out: dict[str, list[tuple[str, str]]] = {"solution": [], "hidden": []}
    for i, cell in enumerate(source_nb["cells"]):
        src, label = source(cell), f"cell {i} ({grade_id(cell) or cell['cell_type']})"
        sol = solution_lines(src, whole_cell=is_solution_cell(cell))
        for kind, lines in (("solution", sol), ("hidden", hidden_lines(src))):
            for line in lines:
                text = norm(line)
                if not significant(line) or text in public:
                    continue
                if kind == "hidden" and _STRING_ONLY.match(text):
                    continue
                out[kind].append((label, text))
    return out


def canonical(text: str) -> str:
    """A cell source without trailing spaces and blank edges (how edits are told apart).

    >>> canonical("\\nx = 1  \\n\\n")
    'x = 1'
    """
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def same_text(a: str, b: str) -> bool:
    """True when two cell sources differ at most in trailing spaces and blank edges.

    >>> same_text("x = 1  \\n", "x = 1")
    True
    """
    return canonical(a) == canonical(b)


def heading(markdown: str) -> str | None:
    """The first heading of a markdown cell, without its ``#`` and emphasis marks.

    >>> heading("Some text\\n## Count the *active* voters")
    'Count the active voters'
    """
    for line in markdown.splitlines():
        line = line.strip()
        if line.startswith("#"):
            return re.sub(r"[*_`]", "", line.lstrip("#").strip())
    return None


def hidden_secrets(nb) -> list[str]:
    """The secret hidden-test lines of ``nb`` (whitespace collapsed): what no trainee may see.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell(
    ...     "assert n > 0\\n### BEGIN HIDDEN TESTS\\nassert n == len(_ref[_ref.a == 1])\\n"
    ...     "### END HIDDEN TESTS")
    >>> hidden_secrets(nbformat.v4.new_notebook(cells=[cell]))
    ['assert n == len(_ref[_ref.a == 1])']
    """
    return [line for _, line in secret_lines(nb)["hidden"]]
