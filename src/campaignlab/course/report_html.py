"""``reports/<module>/index.html``: the one page an instructor opens after grading.

Rendered from plain data (``report.build`` computes it), self-contained: inline CSS, the
re-teach chart as inline SVG bars, no JavaScript, nothing fetched from the network, so it
opens from disk in any browser, offline.  Links (feedback pages, the CSVs) are relative.
Every text that comes from a trainee (ids, names, file names, failure messages, notes) or the
course is HTML-escaped.  Order: hand-ins flagged REVIEW first, then the cohort at a glance,
what to re-teach, and the table of trainees (flagged ones first).

>>> skills = [{"lesson": "00-start-here.ipynb", "exercise": "a-tests", "label": "Exercise 1 · Load",
...            "trainees": 2, "passed": 1, "missed": 1, "share_missed": 0.5,
...            "most_common_failure": "AssertionError: <b>no</b>", "failure_count": 1}]
>>> html_page = page("00-start-here", {"roster": 2, "handed_in": 2, "graded": 2,
...                  "not_graded": [], "median": 4.5, "max_points": 9.0}, [], [], skills,
...                  [], ["00-start-here.ipynb"], {}, [])
>>> "Exercise 1 · Load" in html_page and "&lt;b&gt;no&lt;/b&gt;" in html_page
True
>>> "<b>no" in html_page
False
"""

from __future__ import annotations

import html

#: The colour of a missed share (Okabe-Ito vermillion: readable for colour-blind eyes).
BAR = "#D55E00"

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1200px; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .35em .6em; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; font-size: .9em; color: #555; }
td.num, th.num { text-align: right; white-space: nowrap; }
.muted, .lesson, .n { color: #666; font-size: .9em; }
.lesson { display: block; }
.flag { background: #fff4e5; border-left: 4px solid #D55E00; padding: .6em 1em; }
.ok { background: #eef7ee; border-left: 4px solid #2e7d32; padding: .6em 1em; }
.badge { display: inline-block; font-size: .75em; font-weight: 600; padding: 0 .4em;
         border-radius: 3px; background: #D55E00; color: #fff; margin-left: .4em; }
.badge.grey { background: #777; }
dl.glance { display: grid; grid-template-columns: max-content auto; gap: .25em 1.2em; }
dl.glance dt { font-weight: 600; }
dl.glance dd { margin: 0; }
table.chart caption { text-align: left; padding-bottom: .3em; }
table.chart td.bar { white-space: nowrap; }
table.chart svg { vertical-align: middle; }
table.chart td.why { max-width: 36em; font-family: ui-monospace, Menlo, Consolas, monospace;
                     font-size: .85em; }
ul.notes { margin: 0; padding-left: 1.1em; font-size: .9em; }
tr.review { background: #fff8ef; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _n(count: int, word: str) -> str:
    """``count`` and ``word``, plural when it should be.

    >>> _n(1, "trainee"), _n(3, "exercise")
    ('1 trainee', '3 exercises')
    """
    return f"{count} {word}{'' if count == 1 else 's'}"


def _name(skill: dict) -> str:
    return f"{skill['label'] or skill['exercise']} ({skill['lesson'].removesuffix('.ipynb')})"


def nobody_missed(skills: list[dict]) -> str:
    """The sentence that stands where the chart has no bar: for the whole chart when nobody
    missed anything (or nothing was graded), else for the exercises nobody missed ("" if none).

    >>> ex = lambda label, missed: {"lesson": "00.ipynb", "exercise": label, "label": label,
    ...                             "trainees": 4, "missed": missed}
    >>> nobody_missed([ex("Exercise 1 · Load", 0), ex("Exercise 2 · Count", 0)])
    'Nobody missed an exercise: all 4 graded trainees passed all 2 exercises.'
    >>> nobody_missed([ex("Exercise 1 · Load", 0), ex("Exercise 2 · Count", 3)])
    'Nobody missed Exercise 1 · Load (00).'
    >>> nobody_missed([ex("Exercise 2 · Count", 3)])
    ''
    >>> nobody_missed([])
    'No hand-in has been graded yet, so there is nothing to re-teach.'
    """
    if not skills:
        return "No hand-in has been graded yet, so there is nothing to re-teach."
    clean = [s for s in skills if not s["missed"]]
    if len(clean) == len(skills):
        trainees = max(s["trainees"] for s in skills)
        return (f"Nobody missed an exercise: all {trainees} graded "
                f"trainee{'s' * (trainees != 1)} passed all {_n(len(skills), 'exercise')}.")
    if not clean:
        return ""
    return f"Nobody missed {'; '.join(map(_name, clean))}."


def _bar(share: float, label: str) -> str:
    width = max(0.0, min(100.0, 100 * share))
    return (f'<svg width="240" height="18" viewBox="0 0 100 10" preserveAspectRatio="none" '
            f'role="img" aria-label="{_e(label)}"><rect width="100" height="10" fill="#eee"/>'
            f'<rect width="{width:.1f}" height="10" fill="{BAR}"/></svg>')


def chart(skills: list[dict]) -> str:
    """The re-teach chart: a bar per exercise someone missed, most missed first, titled as in
    the lesson, with the most common failure beside it; a sentence for the rest.

    >>> print(chart([]))
    <p class="ok">No hand-in has been graded yet, so there is nothing to re-teach.</p>
    """
    rows = [s for s in skills if s["missed"]]
    sentence = nobody_missed(skills)
    if not rows:
        return f'<p class="ok">{_e(sentence)}</p>'
    out = ['<table class="chart"><caption class="muted">Share of graded trainees who missed '
           'each exercise, most missed first: re-teach from the top.</caption>',
           "<thead><tr><th>exercise</th><th>missed by</th><th>most common failure</th></tr>"
           "</thead><tbody>"]
    for s in rows:
        n = f"{s['missed']} of {s['trainees']} ({100 * s['share_missed']:.0f}%)"
        why = s["most_common_failure"] or "(no message)"
        count = s.get("failure_count", 0)
        out.append(
            f'<tr><th scope="row" class="ex">{_e(s["label"] or s["exercise"])}'
            f'<span class="lesson">{_e(s["lesson"].removesuffix(".ipynb"))}</span></th>'
            f'<td class="bar">{_bar(s["share_missed"], "missed by " + n)} '
            f'<span class="n">{_e(n)}</span></td>'
            f'<td class="why">{_e(why)}'
            + (f' <span class="n">({count} of {s["missed"]})</span>' if count else "")
            + "</td></tr>")
    out.append("</tbody></table>")
    if sentence:
        out.append(f'<p class="ok nobody">{_e(sentence)}</p>')
    return "\n".join(out)


def _review(review: list[tuple[str, str, str]], flags: list[str]) -> str:
    if not review and not flags:
        return '<p class="ok">No hand-in is flagged for review.</p>'
    out = ['<div class="flag"><p>Autograde could not vouch for these points: student code that '
           "reaches into the kernel or the process, a test that stopped without an error, or "
           "a gradebook changed outside the workflow. Open each hand-in (formgrader) before "
           "you trust its score.</p>"]
    if review:
        out.append("<table><thead><tr><th>trainee</th><th>lesson</th><th>why</th></tr></thead>"
                   "<tbody>")
        out += [f"<tr><td>{_e(s)}</td><td>{_e(lesson.removesuffix('.ipynb'))}</td>"
                f"<td>{_e(note)}</td></tr>"
                for s, lesson, note in review]
        out.append("</tbody></table>")
    if flags:
        out.append("<p>Gradebook:</p><ul>" + "".join(f"<li>{_e(f)}</li>" for f in flags)
                   + "</ul>")
    out.append("</div>")
    return "\n".join(out)


def _glance(g: dict) -> str:
    roster = (str(g["roster"]) if g["roster"] else
              "no roster (give `grade collect` a --roster to list who did not hand in)")
    strangers = g.get("not_on_roster", [])
    handed = str(g["handed_in"]) + (
        f" (not on the roster: {_e(', '.join(strangers))})" if strangers else "")
    median = ("—" if g["median"] is None else
              f"{g['median']:g} of {g['max_points']:g} automatic points, over the "
              f"{_n(g['graded'], 'graded trainee')} (points you give by hand in formgrader "
              "count once given)")
    out = ['<dl class="glance">',
           f"<dt>On the roster</dt><dd>{roster}</dd>",
           f"<dt>Handed in</dt><dd>{handed}</dd>",
           f"<dt>Graded</dt><dd>{g['graded']}</dd>",
           f"<dt>Not graded</dt><dd>{len(g['not_graded'])}</dd>",
           f"<dt>Median score</dt><dd>{_e(median)}</dd>",
           "</dl>"]
    if g["not_graded"]:
        out.append('<table class="not-graded"><thead><tr><th>not graded</th><th>why</th></tr>'
                   "</thead><tbody>")
        out += [f"<tr><td>{_e(s)}</td><td>{_e(why)}</td></tr>" for s, why in g["not_graded"]]
        out.append("</tbody></table>")
    unplaced = g.get("unplaced", [])
    if unplaced:
        out.append(f"<p>{_n(len(unplaced), 'file')} in the hand-ins could not be placed "
                   "(all in handins.csv):</p><table class='unplaced'><thead><tr><th>file</th>"
                   "<th>why</th></tr></thead><tbody>")
        out += [f"<tr><td>{_e(f)}</td><td>{_e(why)}</td></tr>" for f, why in unplaced]
        out.append("</tbody></table>")
    return "\n".join(out)


def _trainees(students: list[dict], lessons: list[str], lesson_max: dict[str, float],
              links: dict[tuple[str, str], str]) -> str:
    head = "".join(f'<th class="num">{_e(x.removesuffix(".ipynb"))}</th>' for x in lessons)
    out = ['<table class="trainees"><thead><tr><th>trainee</th><th>name</th>'
           f'{head}<th class="num">total</th><th>notes</th></tr></thead><tbody>']
    for row in sorted(students, key=lambda r: (not r.get("review"), r["student"])):
        badges = ('<span class="badge">REVIEW</span>' if row.get("review") else "") + (
            '<span class="badge grey">not on the roster</span>'
            if row.get("on_roster", "yes") != "yes" else "")
        cells = []
        for lesson in lessons:
            pts = f"{float(row.get(lesson, 0)):g} / {lesson_max.get(lesson, 0):g}"
            link = links.get((row["student"], lesson))
            cells.append(f'<td class="num"><a href="{_e(link)}">{pts}</a></td>' if link
                         else f'<td class="num">{pts}</td>')
        notes = row.get("reasons") or ([row["notes"]] if row.get("notes") else [])
        out.append(
            f'<tr class="{"review" if row.get("review") else ""}">'
            f"<td>{_e(row['student'])}{badges}</td><td>{_e(row.get('name', ''))}</td>"
            + "".join(cells)
            + f'<td class="num">{float(row["total"]):g}</td><td>'
            + ('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"
               if notes else "")
            + "</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def page(module: str, glance: dict, review: list[tuple[str, str, str]], flags: list[str],
         skills: list[dict], students: list[dict], lessons: list[str],
         links: dict[tuple[str, str], str], files: list[str]) -> str:
    """The whole page.  ``glance``: ``report.glance``; ``review``: (trainee, lesson, note) of
    every REVIEW flag; ``flags``: gradebook flags of the batch; ``skills`` and ``students``:
    the rows of skills.csv and students.csv; ``links``: (trainee, lesson) -> relative link to
    the feedback page; ``files``: the CSVs and images beside the page."""
    title = f"{module}: cohort report"
    lesson_max = glance.get("lesson_max", {})
    files_html = ", ".join(f'<a href="{_e(f)}">{_e(f)}</a>' for f in files)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<p class="muted">From the last autograde run. Points link to each trainee\'s '
        "feedback page (send those to the trainees).</p>",
        f'<section id="review"><h2>Look at these first: flagged REVIEW ({len(review) + len(flags)})'
        f"</h2>{_review(review, flags)}</section>",
        f'<section id="glance"><h2>The cohort at a glance</h2>{_glance(glance)}</section>',
        f'<section id="reteach"><h2>What to re-teach</h2>{chart(skills)}</section>',
        f'<section id="trainees"><h2>Trainees ({len(students)})</h2>'
        f"{_trainees(students, lessons, lesson_max, links)}</section>",
        f'<footer><h2>For spreadsheets</h2><p>{files_html}</p></footer>' if files else "",
        "</body></html>", ""])
