"""Autograde every hand-in of a module: in parallel, each notebook in its own sandbox, scored
and written to the gradebook by the trusted parent only.

Flow per hand-in (worker thread; the work happens in the sandboxed processes):
read the file -> parse (or a clear reason) -> assemble from the trusted copy -> run in a
fresh sandbox -> check every test cell's token/status -> cap outputs -> result.
The main thread alone writes the gradebook (nbgrader's API) and the autograded copies, one
result at a time, after that hand-in's sandbox is gone.  Every file handed in and every
roster student gets a row in ``<root>/campaignlab/<module>/results.json``.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from campaignlab.course import assemble as asm
from campaignlab.course import county, references, score
from campaignlab.course.gradebook import GradebookWriter
from campaignlab.course.layout import state_dir
from campaignlab.course.sandbox import Limits, Sandbox
from campaignlab.course.score import TestResult

MAX_HANDIN_BYTES = 20 * 1024 * 1024


@dataclass
class HandinResult:
    student: str
    notebook: str
    file: str | None
    status: str  # graded | not handed in | unreadable | not a lesson | error
    reason: str = ""
    score: float = 0.0
    max_score: float = 0.0
    tests: dict[str, TestResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_memory_bytes: int | None = None
    cpu_seconds: float | None = None  # as the sandbox reported it (for planning, never scored)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> HandinResult:
        d = dict(d)
        d["tests"] = {k: TestResult(**v) for k, v in d.get("tests", {}).items()}
        return cls(**d)


def _zero_tests(trusted: asm.TrustedNotebook, why: str) -> dict[str, TestResult]:
    return {
        t.gid: TestResult(0.0, t.points, "not run", why, t.label) for t in trusted.tests
    }


class Grader:
    """One autograde batch of one module."""

    def __init__(self, root: Path | str, module: str, *, limits: Limits | None = None,
                 jobs: int | None = None, roster: list[dict] | None = None,
                 data_dir: Path | str | None = None, mechanism: str | None = None, log=print):
        self.root = Path(root).resolve()
        self.module = module
        self.limits = limits or Limits()
        self.jobs = jobs or os.cpu_count() or 1
        self.log = log
        self.trusted = asm.load_trusted(self.root, module)
        # the county every hand-in runs on (read-only at /data): the course's grading county,
        # which the trainees never saw, unless a data folder is given
        self.data_dir = Path(data_dir) if data_dir is not None else county.ensure(self.root, log=log)
        # the sandbox's limits mechanism: the first that works here, unless one is required
        self.sandbox = Sandbox(self.data_dir, self.limits, mechanism=mechanism)
        self.secret = secrets.token_bytes(32)
        self.roster = roster if roster is not None else load_roster(self.root, module)
        self.refs: dict[str, dict] = {}  # lesson -> its precomputed references (``references``)

    # ---------------------------------------------------------------- discovery
    def handins(self) -> list[tuple[str, str, Path | None]]:
        """(student, notebook file, path or None) for every roster student x lesson and every
        file found in ``submitted/<student>/<module>/``."""
        rows: list[tuple[str, str, Path | None]] = []
        sub = self.root / "submitted"
        students = {r["id"] for r in self.roster}
        if sub.is_dir():
            students |= {d.name for d in sub.iterdir() if (d / self.module).is_dir()}
        for student in sorted(students):
            folder = sub / student / self.module
            files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
            for name in self.trusted:
                rows.append((student, name, folder / name if (folder / name).is_file() else None))
            for p in files:
                if p.name not in self.trusted and p.name != "timestamp.txt":
                    rows.append((student, p.name, p))
        return rows

    # ---------------------------------------------------------------- one hand-in
    def grade_one(self, student: str, name: str, path: Path | None):
        trusted = self.trusted.get(name)
        if trusted is None:
            return HandinResult(student, name, str(path), "not a lesson",
                                f"{name} is not a lesson of {self.module} (lessons: "
                                f"{', '.join(self.trusted)}): not graded"), None
        res = HandinResult(student, name, str(path) if path else None, "graded",
                           max_score=trusted.max_auto)
        if path is None:
            res.status, res.reason = "not handed in", "no hand-in for this lesson"
            res.tests = _zero_tests(trusted, "not handed in")
            return res, None
        raw = path.read_bytes()[: MAX_HANDIN_BYTES + 1]
        try:
            if len(raw) > MAX_HANDIN_BYTES:
                raise ValueError(f"the file is larger than {MAX_HANDIN_BYTES // 2**20} MB")
            nb = asm.parse_handin(raw)
        except ValueError as err:
            res.status, res.reason = "unreadable", f"could not read the hand-in: {err}"
            res.tests = _zero_tests(trusted, "the hand-in could not be read")
            return res, None
        built = asm.assemble(trusted, nb, self.secret, student)
        res.notes, res.review = built.notes, built.review
        runnable = [k for k, c in enumerate(built.cells) if c.run is not None]
        lim = self.limits
        job = {
            "cells": [built.cells[k].run for k in runnable],
            "tests": {str(j): built.cells[k].token for j, k in enumerate(runnable)
                      if built.cells[k].role == "test"},
            "cell_timeout": lim.cell_timeout, "interrupt_grace": lim.interrupt_grace,
            "output_bytes": lim.output_bytes, "line_chars": lim.line_chars,
            "notebook_output_bytes": lim.notebook_output_bytes,
            "memory_bytes": lim.memory_bytes, "cpu_seconds": int(lim.notebook_timeout) + 5,
            "file_bytes": lim.file_mb * 1024 * 1024,
            "refs": self.refs.get(name),
        }
        run = self.sandbox.run([sys.executable, "-m", "campaignlab.course.runner"],
                               json.dumps(job).encode())
        res.seconds, res.peak_memory_bytes = round(run.seconds, 2), run.peak_memory_bytes
        scored = score.score_run(trusted, built, runnable, run, lim)
        res.tests, res.reason = scored.tests, scored.reason
        res.cpu_seconds = scored.cpu_seconds
        res.notes += scored.notes
        res.review += scored.review
        if scored.runner_failed:
            res.status = "error"
        res.score = sum(t.points for t in res.tests.values())
        if run.leftover_processes:
            res.notes.append(f"{run.leftover_processes} process(es) were still running at the end "
                             "and were killed")
        return res, scored.graded

    def references(self, rows) -> dict[str, dict]:
        """The reference values of the lessons with two or more hand-ins in ``rows``, computed
        once on the county (``references``), outside every sandbox: no hand-in is involved."""
        import tempfile

        counts: dict[str, int] = {}
        for _, name, path in rows:
            if path is not None and name in self.trusted:
                counts[name] = counts.get(name, 0) + 1
        sources = {name: [c.source for c in self.trusted[name].tests]
                   for name, n in counts.items() if n >= 2}
        if not sources:
            return {}
        t0 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="cl-refs-") as tmp:
            references.build(sources, self.data_dir, tmp, jobs=self.jobs, log=lambda m: None)
            refs = {name: packed for name in sources
                    if (packed := references.pack(Path(tmp) / name))}
        if refs:
            self.log(f"reference values of {len(refs)} lesson(s) computed once for the batch "
                     f"({time.monotonic() - t0:.0f} s)")
        return refs

    # ---------------------------------------------------------------- batch
    def run(self, students: list[str] | None = None) -> list[HandinResult]:
        rows = self.handins()
        if students:
            rows = [r for r in rows if r[0] in students]
        t0 = time.monotonic()
        results: list[HandinResult] = []
        self.log(f"autograding {len(rows)} hand-in(s) of {self.module} with {self.jobs} "
                 f"sandbox(es) in parallel")
        self.refs = self.references(rows)
        writer = GradebookWriter(self.root, self.module, self.trusted, self.roster)
        try:
            with ThreadPoolExecutor(max_workers=self.jobs) as pool:
                futures = {pool.submit(self.grade_one, *row): row for row in rows}
                for fut in as_completed(futures):
                    student, name, path = futures[fut]
                    try:
                        res, graded = fut.result()
                    except Exception as err:  # noqa: BLE001 - one bad hand-in never stops the batch
                        trusted = self.trusted.get(name)
                        res, graded = HandinResult(
                            student, name, str(path) if path else None, "error",
                            f"grading failed: {type(err).__name__}: {err}"[:500],
                            max_score=trusted.max_auto if trusted else 0.0,
                            tests=_zero_tests(trusted, "grading failed") if trusted else {},
                        ), None
                    writer.write(res, graded)  # main thread only: serialized
                    results.append(res)
                    self.log(_line(res))
            writer.finish(students_graded={r.student for r in results})
        finally:
            writer.close()
        for res in results:
            res.notes.extend(writer.flags.get(res.student, {}).get(res.notebook, []))
        results.sort(key=lambda r: (r.student, r.notebook))
        save_results(self.root, self.module, results, keep_others=bool(students),
                     seconds=time.monotonic() - t0, limits=asdict(self.limits),
                     flags=writer.global_flags, county=county_of(self.data_dir))
        for f in writer.global_flags:
            self.log(f"FLAG {f}")
        return results


def _line(r: HandinResult) -> str:
    text = f"{r.student:>20} {r.notebook:<40} {r.score:g}/{r.max_score:g}  {r.status}"
    extra = "; ".join([r.reason] * bool(r.reason) + r.review[:1] + r.notes[:2])
    return text + (f"  ({extra})" if extra else "")


def load_roster(root: Path | str, module: str | None = None) -> list[dict]:
    """The roster saved by ``collect`` (``<root>/campaignlab/roster.csv``); [] if none."""
    import csv

    p = Path(root) / "campaignlab" / "roster.csv"
    if not p.is_file():
        return []
    with p.open(newline="", encoding="utf-8") as f:
        return [dict(r) for r in csv.DictReader(f)]


def county_of(data_dir: Path | str) -> dict | None:
    """What the county in ``data_dir`` was generated from (``{"seed", "voters"}``), if known."""
    stamp = Path(data_dir) / county.STAMP
    return json.loads(stamp.read_text()) if stamp.is_file() else None


def save_results(root: Path | str, module: str, results: list[HandinResult], *, keep_others: bool,
                 **extra) -> Path:
    """Write ``<root>/campaignlab/<module>/results.json``: one row per (student, lesson).

    With ``keep_others`` the rows of students not in ``results`` are kept from the file already
    there (a re-grade of a few students, or a merge of shards); otherwise they are replaced.
    ``extra`` (seconds, limits, flags, county) is stored beside the rows.
    """
    out = state_dir(root, module)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.json"
    previous = {}
    if keep_others and path.is_file():
        previous = {(r["student"], r["notebook"]): r for r in json.loads(path.read_text())["results"]}
    merged = {**previous, **{(r.student, r.notebook): r.to_json() for r in results}}
    extra = {k: (round(v, 1) if k == "seconds" else v) for k, v in extra.items()}
    path.write_text(json.dumps({"module": module, **extra,
                                "results": [merged[k] for k in sorted(merged)]}, indent=1))
    return path


def load_results(root: Path | str, module: str) -> dict:
    p = state_dir(root, module) / "results.json"
    if not p.is_file():
        raise FileNotFoundError(f"no results for {module}: run `campaignlab grade autograde` first")
    doc = json.loads(p.read_text())
    doc["results"] = [HandinResult.from_json(r) for r in doc["results"]]
    return doc
