"""The instructor's reports: the gradebook as CSV and what to re-teach.

Written to ``<root>/reports/<module>/`` (or ``--out``):

- ``grades.csv``   one row per student x lesson x exercise (points, outcome, why);
- ``students.csv`` one row per student (roster and anyone who handed in): points per lesson,
  total, and every reason a lesson was not (fully) graded: nobody is left out;
- ``handins.csv``  one row per file found in the hand-in folder / zip (from ``collect``) with
  where it went, or why it could not be placed;
- ``skills.csv`` / ``skills.png`` per exercise across the cohort: how many trainees missed it,
  the most common failure message; sorted, most missed first: what to re-teach.

Manual scores come from the gradebook (nbgrader's API), automatic ones from the last
autograde run, which wrote the same numbers into the gradebook.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from campaignlab.course.autograde import load_results, load_roster
from campaignlab.course.gradebook import scripts_on_path
from campaignlab.course.layout import state_dir


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _manual_scores(root: Path, module: str) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
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


def build(root: Path | str, module: str, out: Path | str | None = None, log=print) -> dict:
    """Write the reports; return ``{"dir", "students", "skills"}`` (skills: list of dicts)."""
    root = Path(root).resolve()
    out = Path(out) if out else root / "reports" / module
    out.mkdir(parents=True, exist_ok=True)
    doc = load_results(root, module)
    results = doc["results"]
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

    students = sorted({r.student for r in results} | set(roster))
    srows = []
    for s in students:
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
                   "see notes", notes=" | ".join(reasons))
        srows.append(row)
    _write(out / "students.csv", srows,
           ["student", "name", "on_roster", *lessons, "total", "max_automatic", "status", "notes"])

    manifest = state_dir(root, module) / "collect.csv"
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as f:
            hrows = list(csv.DictReader(f))
        _write(out / "handins.csv", hrows, list(hrows[0].keys()) if hrows else ["file"])

    graded_students = {r.student for r in results if r.status == "graded"} | {
        r.student for r in results if r.status in ("unreadable", "error")}
    stats: dict[tuple[str, str], dict] = {}
    for r in results:
        if r.student not in graded_students and r.status == "not handed in":
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
        skills.append({**{k: v for k, v in s.items() if k != "why"}, "missed": missed,
                       "share_missed": round(missed / s["trainees"], 3) if s["trainees"] else 0.0,
                       "most_common_failure": s["why"].most_common(1)[0][0] if s["why"] else ""})
    skills.sort(key=lambda x: (-x["share_missed"], x["lesson"], x["exercise"]))
    _write(out / "skills.csv", skills, ["lesson", "exercise", "label", "max_points", "trainees",
                                        "passed", "missed", "share_missed", "most_common_failure"])
    _plot(skills, out / "skills.png", module)
    log(f"reports in {out}: grades.csv, students.csv, skills.csv, skills.png"
        + (", handins.csv" if manifest.is_file() else ""))
    for s in skills[:5]:
        log(f"  re-teach? {s['label'] or s['exercise']} ({s['lesson']}): missed by "
            f"{s['missed']} of {s['trainees']}")
    return {"dir": out, "students": srows, "skills": skills}


def _plot(skills: list[dict], path: Path, module: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = list(reversed(skills))
    labels = [f"{s['label'] or s['exercise']} ({s['lesson'].removesuffix('.ipynb')})"[:70]
              for s in rows]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(len(rows), 1)))
    ax.barh(labels, [100 * s["share_missed"] for s in rows], color="#D55E00")
    ax.set_xlim(0, 100)
    ax.set_xlabel("Trainees who missed the exercise (%)")
    ax.set_title(f"{module}: exercises most trainees missed\n(re-teach from the top)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
