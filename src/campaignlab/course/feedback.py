"""Per-student HTML feedback, built by the trusted parent from the autograded copies.

No code runs here.  Hidden tests never reach the page: every test cell shows its *public*
text (the release), test errors show only ``Error: message`` (no traceback, whose frames
could quote hidden lines), any output or trainee cell that quotes a hidden-test line is
replaced by a notice, solution/hidden-test markers in the trainee's own text are defused,
outputs are as autograde capped them (``outputs.cap_outputs``), and each page is checked with
``leaks.feedback_leaks`` against the trusted copy of the lesson before it is written (a page that fails is replaced by a scores-only
page and reported).  Exercises are named by their title in the lesson
(``titles.exercise_titles``: "Exercise 3 · Share of active voters who are unaffiliated"), as in
the instructor's report, never by grade id.  Layout: ``page_path``,
``<root>/feedback/<student>/<module>/<lesson>.html`` (nbgrader's, so ``nbgrader
release_feedback`` works on a hub).
"""

from __future__ import annotations

import html
from pathlib import Path

from campaignlab.course import assemble as asm
from campaignlab.course.autograde import load_results
from campaignlab.course.cells import MARKER_RE, hidden_secrets
from campaignlab.course.leaks import feedback_leaks
from campaignlab.course.titles import exercise_titles, relabel

REDACTED = "[removed from feedback: this quoted the hidden tests]"
#: Told to every trainee on their feedback page (lesson 00 says it too).
GRADED_ON = ("Your notebook was graded on a fresh county of the same kind as the one in the "
             "lessons (the same files and columns, other people and other counts): answers your "
             "code computes from the data earn their points there; numbers typed in do not.")


def page_path(root: Path | str, student: str, module: str, lesson: str) -> Path:
    """Where the feedback page of one trainee's lesson is written.

    >>> page_path("/course", "ana", "00-start-here", "00-start-here.ipynb").as_posix()
    '/course/feedback/ana/00-start-here/00-start-here.html'
    """
    return Path(root) / "feedback" / student / module / (lesson.removesuffix(".ipynb") + ".html")


def _defuse(text: str) -> str:
    """Make nbgrader markers in trainee text harmless.

    >>> _defuse("### BEGIN HIDDEN TESTS")
    '### BEGIN HIDDEN_TESTS (marker)'
    """
    return MARKER_RE.sub(lambda m: f"{m.group(1)} {m.group(2).replace(' ', '_')} (marker)", text)


def _quotes(text: str, hidden: list[str]) -> bool:
    flat = " ".join(text.split())
    return any(h in flat for h in hidden)


def feedback_notebook(trusted: asm.TrustedNotebook, graded, result):
    """The feedback notebook (nbformat) of one autograded hand-in."""
    import nbformat

    hidden = hidden_secrets(asm.source_notebook(trusted))
    by_gid = {c.gid: c for c in trusted.cells if c.gid}
    nb = nbformat.v4.new_notebook(metadata=graded.metadata)
    lines = [
        f"# Feedback: {trusted.name}",
        f"**{result.student}**, module {trusted.module}: automatic score "
        f"**{result.score:g} / {result.max_score:g}**. Written answers are graded by hand.",
        GRADED_ON,
    ]
    if result.reason:
        lines.append(f"\n> {_defuse(html.escape(result.reason))}")
    for note in result.notes:
        lines.append(f"- {_defuse(html.escape(note))}")
    lines.append("\n| exercise | points | result |\n|---|---|---|")
    for gid, t in result.tests.items():
        label = html.escape(t.label or gid).replace("|", "&#124;")
        lines.append(f"| {label} | {t.points:g} / {t.max_points:g} | {t.outcome} |")
    nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
    for cell in graded.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        tc = by_gid.get(gid)
        new = nbformat.from_dict(dict(cell))
        new.metadata = {}
        if tc is not None and tc.role in ("test", "locked"):
            new.source = tc.public
        elif _quotes(new.source, hidden):
            new.source = "# " + REDACTED
        new.source = _defuse(new.source)
        if new.cell_type == "code":
            outs = []
            for o in cell.get("outputs", []):  # capped by autograde before it was stored
                o = dict(o)
                if o["output_type"] == "error":
                    o = {"output_type": "stream", "name": "stderr",
                         "text": f"{o.get('ename')}: {o.get('evalue')}\n"}
                blob = str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) + str(
                    o.get("data", {}).get("text/html", ""))
                if _quotes(blob, hidden):
                    o = {"output_type": "stream", "name": "stderr", "text": REDACTED + "\n"}
                if o["output_type"] == "stream":
                    o["text"] = _defuse(o["text"])
                elif "data" in o:
                    o["data"] = {k: _defuse(v) if isinstance(v, str) else v
                                 for k, v in o["data"].items()}
                outs.append(nbformat.from_dict(o))
            new.outputs = outs
        nb.cells.append(new)
        if tc is not None and tc.role == "test":
            t = result.tests.get(gid)
            if t is not None:
                mark = "✔ passed" if t.outcome == "passed" else f"✘ {t.outcome}"
                detail = f" — {html.escape(_defuse(t.detail))}" if t.detail and t.outcome != "passed" else ""
                nb.cells.append(nbformat.v4.new_markdown_cell(
                    f"**{mark}: {t.points:g} / {t.max_points:g} points** "
                    f"({html.escape(t.label or gid)}){detail}"))
    return nb


def _summary_page(result, title: str) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(t.label or g)}</td><td>{t.points:g} / {t.max_points:g}</td>"
        f"<td>{html.escape(t.outcome)}</td></tr>"
        for g, t in result.tests.items()
    )
    reason = f"<p>{html.escape(_defuse(result.reason))}</p>" if result.reason else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(result.student)}: "
        f"automatic score {result.score:g} / {result.max_score:g}</p>{reason}"
        f"<table><tr><th>exercise</th><th>points</th><th>result</th></tr>{rows}</table>"
        "</body></html>"
    )


def generate(root: Path | str, module: str, *, log=print) -> dict[tuple[str, str], Path]:
    """Write every feedback page of ``module``; return ``{(student, lesson): page}``."""
    import nbformat
    from nbconvert import HTMLExporter

    root = Path(root).resolve()
    doc = load_results(root, module)
    trusted = asm.load_trusted(root, module)
    sources = {n: asm.source_notebook(t) for n, t in trusted.items()}
    titles = {n: exercise_titles(nb) for n, nb in sources.items()}
    exporter = HTMLExporter(template_name="lab")
    pages = {}
    for res in doc["results"]:
        if res.notebook not in trusted:
            continue
        relabel([res], {res.notebook: titles[res.notebook]})
        dest = page_path(root, res.student, module, res.notebook)
        dest.parent.mkdir(parents=True, exist_ok=True)
        graded_path = root / "autograded" / res.student / module / res.notebook
        title = f"Feedback: {res.notebook}"
        if res.status != "graded" or not graded_path.is_file():
            page = _summary_page(res, title)
        else:
            graded = nbformat.read(graded_path, as_version=4)
            fb = feedback_notebook(trusted[res.notebook], graded, res)
            page, _ = exporter.from_notebook_node(fb, resources={"metadata": {"name": title}})
        leaks = feedback_leaks(sources[res.notebook], page)
        if leaks:
            log(f"WARNING {res.student}/{res.notebook}: feedback would show hidden tests "
                f"({leaks[0]}); wrote a scores-only page instead")
            page = _summary_page(res, title)
        dest.write_text(page, encoding="utf-8")
        pages[(res.student, res.notebook)] = dest
    log(f"feedback: {len(pages)} page(s) in {root / 'feedback'}")
    return pages
