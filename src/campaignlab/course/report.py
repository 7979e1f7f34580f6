"""The instructor's reports: one page to read, the gradebook as CSV, and what to re-teach.

Written to ``<root>/reports/<module>/`` (or ``--out``):

- ``index.html``   the page to open (offline, in any browser; ``report_html.page``): the
  hand-ins flagged REVIEW, the cohort at a glance, the re-teach chart with the most common
  failure beside each bar, and every trainee's points per lesson linked to their feedback pages;
- ``grades.csv``   one row per student x lesson x exercise (points, outcome, why);
- ``students.csv`` one row per student (roster and anyone who handed in): points per lesson,
  total, and every reason a lesson was not (fully) graded: nobody is left out;
- ``handins.csv``  one row per file found in the hand-in folder / zip (from ``collect``) with
  where it went, or why it could not be placed;
- ``skills.csv`` / ``skills.png`` per exercise across the graded hand-ins: how many trainees
  missed it, the most common failure message; sorted, most missed first: what to re-teach.
  The chart shows the exercises someone missed; when nobody missed any, it says so.

Exercises are named by their title in the lesson (``titles``), in the CSVs' ``label`` column
too; the grade id stays in ``exercise``.

Manual scores come from the gradebook (nbgrader's API), automatic ones from the last
autograde run, which wrote the same numbers into the gradebook.
"""

from __future__ import annotations

import csv
import os
import statistics
import textwrap
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from campaignlab.course import report_html
from campaignlab.course.autograde import load_results, load_roster
from campaignlab.course.feedback import page_path
from campaignlab.course.gradebook import scripts_on_path
from campaignlab.course.layout import state_dir
from campaignlab.course.titles import module_titles, relabel


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _manual_scores(root: Path, module: str) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    if not (root / "gradebook.db").is_file():  # never create one just to read it
        return out
    with scripts_on_path(), Gradebook("sqlite:///" + str(root / "gradebook.db")) as gb:
        try:
            subs = gb.find_assignment(module).submissions
        except MissingEntry:
            return out
        for sub in subs:
            for nb in sub.notebooks:
                manual = sum(float(g.manual_score or 0) + float(g.extra_credit or 0)
                             for g in nb.grades)
                out[(sub.student.id, nb.name + ".ipynb")] = manual
    return out


def href(path: Path | str, start: Path | str) -> str:
    """A relative link from the folder ``start`` to the file ``path`` (URL-quoted), so a page
    keeps working when its folder is opened from disk or copied with the course root.

    >>> href("/course/feedback/ana b/00-start-here/00-start-here.html", "/course/reports/00-start-here")
    '../../feedback/ana%20b/00-start-here/00-start-here.html'
    """
    rel = Path(os.path.relpath(Path(path), Path(start)))
    return "/".join(quote(part) for part in rel.parts)


def glance(results, roster_ids: set[str], students: list[dict],
           handins: list[dict] | None = None) -> dict:
    """The cohort at a glance: counts of trainees, who was not graded and why, the median.

    ``results``: autograde's ``HandinResult``s; ``students``: the rows of ``students.csv``
    (``student``, ``total``); ``handins``: the rows of the collect manifest.  A trainee counts
    as graded when at least one lesson was; the median is over graded trainees.

    >>> from types import SimpleNamespace as R
    >>> results = [R(student="ana", notebook="a.ipynb", status="graded", reason="", max_score=9),
    ...            R(student="bo", notebook="a.ipynb", status="unreadable", max_score=9,
    ...              reason="could not read the hand-in: the file is empty"),
    ...            R(student="cy", notebook="a.ipynb", status="not handed in", max_score=9,
    ...              reason="no hand-in for this lesson")]
    >>> g = glance(results, {"ana", "bo", "cy"}, [{"student": "ana", "total": 7.0}],
    ...            [{"file": "cy_1_homework.ipynb", "student": "cy", "status": "unplaced",
    ...              "reason": "not a lesson"}])
    >>> g["roster"], g["handed_in"], g["graded"], g["median"], g["max_points"]
    (3, 2, 1, 7.0, 9.0)
    >>> g["not_graded"]
    [('bo', 'a.ipynb: could not read the hand-in: the file is empty'), ('cy', 'a.ipynb: not handed in; cy_1_homework.ipynb was not placed: not a lesson')]
    """
    handins = handins or []
    everyone = sorted(roster_ids | {r.student for r in results})
    handed = {r.student for r in results if r.status != "not handed in"}
    graded = {r.student for r in results if r.status == "graded"}
    not_graded = []
    for s in everyone:
        if s in graded:
            continue
        why = []
        for r in results:
            if r.student == s:
                text = "not handed in" if r.status == "not handed in" else r.reason or r.status
                why.append(f"{r.notebook}: {text}")
        why += [f"{h['file']} was not placed: {h['reason']}" for h in handins
                if h.get("student") == s and h.get("status") == "unplaced"]
        not_graded.append((s, "; ".join(why) or "no hand-in"))
    totals = [float(row["total"]) for row in students if row["student"] in graded]
    lesson_max: dict[str, float] = {}
    for r in results:
        if r.status != "not a lesson":
            lesson_max[r.notebook] = max(lesson_max.get(r.notebook, 0.0), float(r.max_score))
    return {
        "roster": len(roster_ids),
        "not_on_roster": sorted(handed - roster_ids) if roster_ids else [],
        "handed_in": len(handed), "graded": len(graded), "not_graded": not_graded,
        "median": statistics.median(totals) if totals else None,
        "max_points": sum(lesson_max.values()), "lesson_max": lesson_max,
        "unplaced": [(h["file"], h.get("reason", "")) for h in handins
                     if h.get("status") == "unplaced"],
    }


def _students(results, roster: dict, manual: dict, lessons: list[str]) -> list[dict]:
    """One row per student (roster and anyone who handed in): points per lesson and why."""
    srows = []
    for s in sorted({r.student for r in results} | set(roster)):
        mine = [r for r in results if r.student == s]
        info = roster.get(s, {})
        row = {"student": s, "name": " ".join(filter(None, [info.get("first_name"),
                                                             info.get("last_name")])),
               "on_roster": "yes" if s in roster else "NO (handed in, not on the roster)"}
        total = maxi = 0.0
        reasons = []
        for lesson in lessons:
            r = next((x for x in mine if x.notebook == lesson), None)
            pts = (r.score if r else 0.0) + manual.get((s, lesson), 0.0)
            row[lesson] = pts
            total += pts
            maxi += r.max_score if r else 0.0
            if r is None:
                reasons.append(f"{lesson}: not graded")
            elif r.status != "graded" or r.reason:
                reasons.append(f"{lesson}: {r.status}{': ' + r.reason if r.reason else ''}")
            for n in r.review if r else []:
                reasons.append(f"{lesson}: REVIEW {n}")
        for r in mine:
            if r.status == "not a lesson":
                reasons.append(f"{r.notebook}: {r.reason}")
        row.update(total=total, max_automatic=maxi, status="complete" if not reasons else
                   "see notes", notes=" | ".join(reasons), reasons=reasons,
                   review=any(": REVIEW " in x for x in reasons))
        srows.append(row)
    return srows


def _skills(results) -> list[dict]:
    """Per exercise across the graded hand-ins: how many missed it and the most common failure.

    Only hand-ins that ran count: one that was not handed in or could not be read is listed
    under "not graded" (students.csv notes, the page), and would make "the hand-in could not
    be read" the most common failure of every exercise, which is nothing to re-teach.
    """
    stats: dict[tuple[str, str], dict] = {}
    for r in results:
        if r.status != "graded":
            continue
        for gid, t in r.tests.items():
            s = stats.setdefault((r.notebook, gid), {"lesson": r.notebook, "exercise": gid,
                                                      "label": t.label, "max_points": t.max_points,
                                                      "trainees": 0, "passed": 0, "why": Counter()})
            s["trainees"] += 1
            if t.outcome == "passed":
                s["passed"] += 1
            else:
                s["why"][(t.detail or t.outcome).split(";")[0][:120]] += 1
    skills = []
    for s in stats.values():
        missed = s["trainees"] - s["passed"]
        why, n = s["why"].most_common(1)[0] if s["why"] else ("", 0)
        skills.append({**{k: v for k, v in s.items() if k != "why"}, "missed": missed,
                       "share_missed": round(missed / s["trainees"], 3) if s["trainees"] else 0.0,
                       "most_common_failure": why, "failure_count": n})
    skills.sort(key=lambda x: (-x["share_missed"], x["lesson"], x["exercise"]))
    return skills


def build(root: Path | str, module: str, out: Path | str | None = None, log=print) -> dict:
    """Write the reports; return ``{"dir", "index", "students", "skills"}`` (the last two:
    lists of dicts, the rows of students.csv and skills.csv)."""
    root = Path(root).resolve()
    out = Path(out).resolve() if out else root / "reports" / module
    out.mkdir(parents=True, exist_ok=True)
    doc = load_results(root, module)
    results = doc["results"]
    relabel(results, module_titles(root, module))
    roster = {r["id"]: r for r in load_roster(root)}
    manual = _manual_scores(root, module)
    lessons = sorted({r.notebook for r in results if r.status != "not a lesson"})

    grade_rows = []
    for r in results:
        for gid, t in r.tests.items():
            grade_rows.append({"student": r.student, "lesson": r.notebook, "exercise": gid,
                               "label": t.label, "points": t.points, "max_points": t.max_points,
                               "outcome": t.outcome, "detail": t.detail})
    _write(out / "grades.csv", grade_rows,
           ["student", "lesson", "exercise", "label", "points", "max_points", "outcome", "detail"])

    srows = _students(results, roster, manual, lessons)
    _write(out / "students.csv", srows,
           ["student", "name", "on_roster", *lessons, "total", "max_automatic", "status", "notes"])

    manifest = state_dir(root, module) / "collect.csv"
    hrows: list[dict] = []
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as f:
            hrows = list(csv.DictReader(f))
        _write(out / "handins.csv", hrows, list(hrows[0].keys()) if hrows else ["file"])

    skills = _skills(results)
    _write(out / "skills.csv", skills, ["lesson", "exercise", "label", "max_points", "trainees",
                                        "passed", "missed", "share_missed", "most_common_failure"])
    _plot(skills, out / "skills.png", module)

    links = {}
    for r in results:
        page = page_path(root, r.student, module, r.notebook)
        if page.is_file():
            links[(r.student, r.notebook)] = href(page, out)
    review = [(r.student, r.notebook, n) for r in results for n in r.review]
    files = [f for f in ("grades.csv", "students.csv", "handins.csv", "skills.csv", "skills.png")
             if (out / f).is_file()]
    index = out / "index.html"
    index.write_text(report_html.page(
        module, glance(results, set(roster), srows, hrows), review, doc.get("flags", []),
        skills, srows, lessons, links, files), encoding="utf-8")

    log(f"reports in {out}: index.html, {', '.join(files)}")
    for s in skills[:5]:
        if s["missed"]:
            log(f"  re-teach? {s['label'] or s['exercise']} ({s['lesson']}): missed by "
                f"{s['missed']} of {s['trainees']}")
    return {"dir": out, "index": index, "students": srows, "skills": skills}


def _plot(skills: list[dict], path: Path, module: str) -> None:
    """skills.png: a bar per exercise someone missed, most missed first, labelled with its
    title; when nobody missed any, an image that says so (never an empty frame)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [s for s in reversed(skills) if s["missed"]]
    if not rows:
        fig, ax = plt.subplots(figsize=(8, 1.6))
        ax.axis("off")
        ax.text(0.5, 0.5, textwrap.fill(report_html.nobody_missed(skills), 70), ha="center",
                va="center", fontsize=12, transform=ax.transAxes)
        ax.set_title(f"{module}: what to re-teach", loc="left", fontsize=12)
    else:
        labels = [textwrap.fill(s["label"] or s["exercise"], 45) + "\n"
                  + s["lesson"].removesuffix(".ipynb") for s in rows]
        lines = sum(label.count("\n") + 1 for label in labels)
        fig, ax = plt.subplots(figsize=(9, 1.6 + 0.3 * lines))
        ax.barh(range(len(rows)), [100 * s["share_missed"] for s in rows], color="#D55E00")
        ax.set_yticks(range(len(rows)), labels, fontsize=9)
        for y, s in enumerate(rows):
            ax.text(100 * s["share_missed"] + 1, y, f"{s['missed']} of {s['trainees']}",
                    va="center", fontsize=8)
        ax.set_xlim(0, 100)
        nobody = len(skills) - len(rows)
        ax.set_xlabel("Trainees who missed the exercise (%)" + (
            f"\nNot shown: {nobody} exercise{'s' * (nobody != 1)} nobody missed"
            if nobody else ""))
        ax.set_title(f"{module}: what to re-teach\nexercises trainees missed, most missed first",
                     loc="left", fontsize=12)
    fig.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.2)
    plt.close(fig)
