"""The instructor's page, ``reports/<module>/index.html`` (issue 17): what it says on the
hostile cohort of ``conftest.py`` (graded once per session), what it says on small synthetic
cohorts (nobody missed anything, hostile names), and that it renders offline in a real browser.
"""

from __future__ import annotations

import csv
import html
import json
import re
import statistics
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from campaignlab.course import cli, report
from campaignlab.course.autograde import HandinResult
from campaignlab.course.feedback import page_path
from campaignlab.course.score import TestResult as Outcome
from campaignlab.course.titles import exercise_titles

from .conftest import FULL, LESSON, MODULE


def sandboxed(test):
    """For tests of the hostile cohort: it is graded in the sandbox, once per session."""
    return pytest.mark.slow(pytest.mark.needs("bwrap", "setpriv")(test))


class _Tags(HTMLParser):
    """Every tag of a page with its attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def _glance(page: str, term: str) -> str:
    return re.search(f"<dt>{term}</dt><dd>([^<]*)</dd>", page).group(1)


def _self_contained(page: str) -> list[str]:
    """Why the page would need the network or JavaScript ([] when it does not)."""
    problems = [f"<{t}> tag" for t, _ in _Tags(page).tags
                if t in ("script", "link", "iframe", "object", "embed", "img")]
    problems += [f"external reference {m}" for m in
                 re.findall(r"""(?:src|href)=["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", page)]
    problems += [f"event handler {m}" for m in re.findall(r"<[^>]*\son\w+=", page)]
    return problems


def _broken_links(index: Path) -> list[str]:
    return [h for h in _Tags(index.read_text(encoding="utf-8")).hrefs()
            if not (index.parent / unquote(h)).resolve().is_file()]


# ------------------------------------------------------------------ synthetic cohorts


def _cell(make, text, **nbgrader):
    cell = make(text)
    cell.metadata["nbgrader"] = nbgrader
    return cell


def synthetic_course(root: Path, failures: dict[str, str], roster: list[tuple[str, str]]) -> Path:
    """A graded module of one lesson with three exercises, written the way autograde, collect
    and feedback leave a course root: the release, results.json, the roster, feedback pages.
    ``failures``: trainee -> the failure message of their first exercise (everyone else
    passes everything); ``roster``: (id, first name)."""
    import nbformat

    v4 = nbformat.v4
    release = root / "release" / MODULE
    release.mkdir(parents=True)
    nbformat.write(v4.new_notebook(cells=[
        _cell(v4.new_markdown_cell, "> ### Exercise 1 · Load the voter file (2 points)",
              grade_id="load-task", locked=True),
        _cell(v4.new_code_cell, "voters = ...", grade_id="load", solution=True),
        _cell(v4.new_code_cell, "assert voters", grade_id="load-tests", grade=True, points=2),
        _cell(v4.new_markdown_cell, "### How good is it?\n\n> ### Exercise 2 · Count the "
              "*active* voters (1 point)", grade_id="count-task", locked=True),
        _cell(v4.new_code_cell, "n = ...", grade_id="count", solution=True),
        _cell(v4.new_code_cell, "assert n", grade_id="count-tests", grade=True, points=1),
        _cell(v4.new_markdown_cell, "## 3. No task heading here", grade_id="s3", locked=True),
        _cell(v4.new_code_cell, "m = ...", grade_id="untitled", solution=True),
        _cell(v4.new_code_cell, "assert m", grade_id="untitled-tests", grade=True, points=1),
    ]), release / LESSON)
    points = {"load-tests": 2.0, "count-tests": 1.0, "untitled-tests": 1.0}
    results = []
    for sid, _ in roster:
        tests = {g: Outcome(p, p, "passed", "", g) for g, p in points.items()}
        if sid in failures:
            tests["load-tests"] = Outcome(0.0, 2.0, "failed", failures[sid], "load-tests")
        results.append(HandinResult(sid, LESSON, f"{sid}.ipynb", "graded", max_score=4.0,
                                    score=sum(t.points for t in tests.values()), tests=tests,
                                    review=[f"count-tests: {failures[sid]}"] if sid in failures
                                    else []))
    state = root / "campaignlab" / MODULE
    state.mkdir(parents=True)
    (state / "results.json").write_text(json.dumps(
        {"module": MODULE, "flags": [], "results": [r.to_json() for r in results]}))
    with (root / "campaignlab" / "roster.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "first_name", "last_name"])
        w.writerows([sid, first, "Trainee"] for sid, first in roster)
    for sid, _ in roster:
        page = page_path(root, sid, MODULE, LESSON)
        page.parent.mkdir(parents=True)
        page.write_text("<!DOCTYPE html><title>Feedback</title>", encoding="utf-8")
    return root


def test_nobody_missed_is_a_sentence_not_an_empty_chart(tmp_path):
    root = synthetic_course(tmp_path, {}, [("ana", "Ana"), ("bo", "Bo"), ("cy", "Cy")])
    built = report.build(root, MODULE, log=lambda _: None)
    page = built["index"].read_text(encoding="utf-8")
    reteach = _section(page, "reteach")
    assert "Nobody missed an exercise: all 3 graded trainees passed all 3 exercises." in reteach
    assert "<svg" not in reteach and 'class="chart"' not in reteach
    png = (built["dir"] / "skills.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 1000  # an image that says so
    with (built["dir"] / "skills.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["exercise"]: r["missed"] for r in rows} == {
        "load-tests": "0", "count-tests": "0", "untitled-tests": "0"}  # the CSV lists them all
    assert not _broken_links(built["index"]) and not _self_contained(page)


def test_page_escapes_hostile_text_and_titles_fall_back(tmp_path):
    evil = "<script>alert(1)</script>"
    root = synthetic_course(tmp_path, {"mal": f"AssertionError: {evil}"},
                            [("ana", "Ana"), ("mal", f'<img src=x onerror="alert(2)">{evil}')])
    built = report.build(root, MODULE, log=lambda _: None)
    page = built["index"].read_text(encoding="utf-8")
    assert not _self_contained(page), _self_contained(page)
    assert html.escape(evil) in _section(page, "reteach")  # the failure, beside its bar
    assert html.escape('<img src=x onerror="alert(2)">') in _section(page, "trainees")
    chart = _section(page, "reteach")
    assert "Exercise 1 · Load the voter file" in chart
    # the exercise without a task heading keeps its grade id
    assert ("Nobody missed Exercise 2 · Count the active voters (00-start-here); "
            "untitled-tests (00-start-here).") in chart
    assert chart.count("<svg") == 1
    review = _section(page, "review")
    assert "mal" in review and html.escape(evil) in review
    first = _section(page, "trainees").split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "mal" in first and "REVIEW" in first  # flagged trainees first
    assert {s["exercise"]: s["label"] for s in built["skills"]} == {"load-tests": "Exercise 1 · Load the voter file",
                      "count-tests": "Exercise 2 · Count the active voters",
                      "untitled-tests": "untitled-tests"}


# ------------------------------------------------------------------ the hostile cohort


def _page(cohort) -> str:
    return cohort.report["index"].read_text(encoding="utf-8")


@sandboxed
def test_cohort_at_a_glance(cohort):
    page = _page(cohort)
    cases = cohort.cases
    graded = [c for c in cases if c.status == "graded"]
    assert _glance(page, "On the roster") == str(len(cases) + 1)  # + no-handin
    assert _glance(page, "Handed in") == str(sum(c.status != "not handed in" for c in cases))
    assert _glance(page, "Graded") == str(len(graded))
    not_graded = {c.student for c in cases if c.status != "graded"} | {"no-handin"}
    assert _glance(page, "Not graded") == str(len(not_graded))
    median = statistics.median(c.expected for c in graded)
    assert _glance(page, "Median score").startswith(f"{median:g} of {FULL:g} automatic points")
    table = _section(page, "glance")
    why = {m[0]: m[1] for m in re.findall(r"<tr><td>([^<]+)</td><td>([^<]*)</td></tr>", table)}
    assert set(not_graded) <= set(why), why
    assert "not valid notebook JSON" in why["bad-json"]
    assert "the file is empty" in why["empty"]
    assert "wrong-name_1_2_homework.ipynb was not placed" in why["wrong-name"]
    assert "not a notebook" in why["text-file"]
    assert html.unescape(why["no-handin"]) == f"{LESSON}: not handed in"
    assert "stranger_1_2_" in table and "not on the roster" in table  # files not placed


@sandboxed
def test_review_flags_come_first(cohort):
    page = _page(cohort)
    order = [page.index(f'<section id="{s}">') for s in ("review", "glance", "reteach", "trainees")]
    assert order == sorted(order)
    flagged = {s for (s, _), r in cohort.results.items() if r.review}
    assert flagged, "no hand-in of the hostile cohort was flagged REVIEW"
    review = _section(page, "review")
    for student in flagged:
        assert f"<td>{html.escape(student)}</td>" in review
    rows = _section(page, "trainees").split("<tbody>", 1)[1].split("</tr>")
    first = [re.search(r"<td>([^<]+)", r).group(1) for r in rows[:len(flagged)]]
    assert set(first) == flagged and all("REVIEW" in r for r in rows[:len(flagged)])


@sandboxed
@pytest.mark.parametrize("gid", ["load-voters-tests", "count-active-tests",
                                 "share-unaffiliated-tests", "zip-voters-tests",
                                 "young-voters-tests"])
def test_exercises_are_named_by_their_lesson_titles(cohort, gid):
    title = exercise_titles(cohort.source)[gid]
    assert title.startswith("Exercise ") and "points)" not in title
    skill = next(s for s in cohort.report["skills"] if s["exercise"] == gid)
    assert skill["label"] == title
    chart = _section(_page(cohort), "reteach")
    assert gid not in chart and html.escape(title) in chart
    with (cohort.report["dir"] / "skills.csv").open(encoding="utf-8") as f:
        assert {r["exercise"]: r["label"] for r in csv.DictReader(f)}[gid] == title
    feedback = cohort.pages[("reference", LESSON)].read_text(encoding="utf-8")
    assert html.escape(title) in feedback and f"<td>{gid}</td>" not in feedback


@sandboxed
def test_most_common_failure_beside_each_bar(cohort):
    chart = _section(_page(cohort), "reteach")
    rows = chart.split("<tbody>", 1)[1].split("</tr>")
    missed = [s for s in cohort.report["skills"] if s["missed"]]
    assert missed and chart.count("<svg") == len(missed)
    for skill, row in zip(missed, rows, strict=False):  # same order: most missed first
        assert html.escape(skill["label"]) in row
        assert html.escape(skill["most_common_failure"]) in row
        assert f"{skill['missed']} of {skill['trainees']}" in row
    nobody = [s for s in cohort.report["skills"] if not s["missed"]]
    for skill in nobody:
        assert html.escape(skill["label"]) in chart.split("</table>", 1)[1]


@sandboxed
def test_links_reach_every_feedback_page_and_work_from_another_folder(cohort, tmp_path, capsys):
    index = cohort.report["index"]
    assert not _broken_links(index)
    assert not _self_contained(_page(cohort)), _self_contained(_page(cohort))
    linked = {(index.parent / unquote(h)).resolve() for h in _Tags(_page(cohort)).hrefs()}
    assert {p.resolve() for p in cohort.pages.values()} <= linked
    out = tmp_path / "elsewhere"
    assert cli.main(["report", MODULE, "--root", str(cohort.root), "--out", str(out)]) == 0
    assert f"open {out / 'index.html'}" in capsys.readouterr().out
    assert not _broken_links(out / "index.html")


# ------------------------------------------------------------------ a real browser


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.needs("chromium", "bwrap", "setpriv")
def test_page_renders_offline_in_a_browser(cohort, tmp_path):
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    index = cohort.report["index"]
    students = cohort.report["students"]
    missed = [s for s in cohort.report["skills"] if s["missed"]]
    requests: list[str] = []
    shot = tmp_path / "report.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False,  # none is needed
                                          viewport={"width": 1300, "height": 900})

            def offline(route):  # nothing but files: the page must not need the network
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    requests.append(route.request.url)
                    route.abort()

            context.route("**/*", offline)
            pg = context.new_page()
            pg.goto(index.as_uri(), wait_until="load")
            pg.screenshot(path=str(shot), full_page=True)
            heading = pg.get_by_role("heading", level=1)
            assert heading.is_visible() and MODULE in heading.inner_text()
            assert pg.locator("table.trainees tbody tr").count() == len(students)
            bars = pg.locator("table.chart svg")
            assert bars.count() == len(missed)
            for k in range(bars.count()):
                box = bars.nth(k).bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, f"bar {k}: {box}"
                filled = bars.nth(k).locator("rect").nth(1).bounding_box()
                assert filled and filled["width"] > 0, f"bar {k} shows nothing (screenshot {shot})"
            assert not pg.locator("script").count()
            assert not requests, f"the page fetched {requests}"  # self-contained

            link = pg.locator("table.trainees a").first
            assert link.is_visible()
            with pg.expect_navigation(wait_until="domcontentloaded"):
                link.click()
            target = Path(unquote(urlparse(pg.url).path))
            assert target.is_file() and target.parts[-4] == "feedback", pg.url
            assert target.resolve() in {p.resolve() for p in cohort.pages.values()}
            assert "Feedback" in pg.title()
        except BaseException:
            print(f"screenshot: {shot}")
            raise
        finally:
            browser.close()
