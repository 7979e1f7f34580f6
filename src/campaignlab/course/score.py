"""What a run earned: the trusted parent reads the lines a sandboxed run sent back and scores
each test cell.  A test passes only when its cell reported no error *and* printed its own
check-in token (``assemble.token``); a cell that never ran, or ran without proving it passed,
earns nothing, with the reason, and its graded copy shows that reason as the cell's error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from campaignlab.course import assemble as asm
from campaignlab.course.outputs import cap_outputs


@dataclass
class TestResult:
    points: float
    max_points: float
    outcome: str  # passed | failed | not run
    detail: str = ""
    label: str = ""


@dataclass
class Scored:
    """The score of one run: per-test results, what to tell the trainee and the instructor."""

    tests: dict[str, TestResult]
    graded: object  # the graded copy (nbformat notebook, outputs capped)
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    runner_failed: bool = False
    cpu_seconds: float | None = None  # what the sandbox says it used (reported, never scored)


def _as_output(o: dict):
    import nbformat

    return nbformat.from_dict(o)


def _explain_cell(cell, detail: str) -> None:
    """Give a test cell that earned nothing an error output saying why, unless it has one."""
    import nbformat

    if any(o.get("output_type") == "error" for o in cell.outputs):
        return
    cell.outputs.append(nbformat.v4.new_output(
        "error", ename="NotGraded", evalue=detail or "this test did not pass", traceback=[]))


def score_run(trusted: asm.TrustedNotebook, built: asm.Assembled, runnable: list[int], run,
              lim) -> Scored:
    """Score the sandbox result ``run`` of the assembled notebook ``built``.

    ``runnable``: the indexes of ``built.cells`` that were sent to the kernel, in order;
    ``lim``: the ``sandbox.Limits`` the run had.
    """
    notes: list[str] = []
    review: list[str] = []
    tests: dict[str, TestResult] = {}
    reason, runner_failed = "", False
    records, stop, done, cpu_seconds = {}, None, False, None
    for line in run.stdout.decode("utf-8", "replace").splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if not isinstance(ev, dict):
            continue
        if ev.get("event") == "cell" and isinstance(ev.get("i"), int):
            records[ev["i"]] = ev
        elif ev.get("event") == "stop":
            stop = ev
        elif ev.get("event") == "done":
            done = True
            cpu = ev.get("cpu_seconds")
            cpu_seconds = float(cpu) if isinstance(cpu, (int, float)) and 0 <= cpu < 1e6 else None
        elif ev.get("event") == "leftover":
            notes.append(f"the notebook left {ev.get('n')} process(es) running after it "
                             f"finished ({'; '.join(map(str, ev.get('commands', [])))[:200]}): "
                             "killed with the sandbox")
    why_stopped, where = None, None
    if run.oom_killed:
        why_stopped = f"it ran out of memory (limit {lim.memory_mb} MB)"
    elif run.timed_out:
        why_stopped = f"the notebook ran longer than {lim.notebook_timeout:g} s and was stopped"
    elif stop:
        why_stopped = str(stop.get("reason", "stopped"))[:300]
    elif not done:
        why_stopped = "the run ended abruptly"
        if run.stdout_capped:
            why_stopped += " (it produced too much output)"
    if why_stopped:
        at = stop.get("at") if stop else None
        if isinstance(at, int) and 0 <= at < len(runnable):
            where = built.cells[runnable[at]].gid or "added by the trainee"
        reason = f"stopped: {why_stopped}" + (f" (at cell {where})" if where else "")
        runner_failed = not records and "runner error" in why_stopped
    # outputs back onto the assembled cells; scores from tokens
    executed = {}
    for j, k in enumerate(runnable):
        if j in records:
            executed[k] = records[j]
    answer_rec = {built.cells[k].gid: r for k, r in executed.items()
                  if built.cells[k].role in ("answer", "manual")}
    graded = asm.to_notebook(trusted, built.cells)
    for k, cell in enumerate(built.cells):
        rec = executed.get(k)
        if cell.cell_type == "code":
            graded.cells[k].outputs = [
                _as_output(o) for o in cap_outputs(rec.get("outputs", []) if rec else [], lim)
            ]
            ec = rec.get("execution_count") if rec else None
            graded.cells[k].execution_count = ec if isinstance(ec, int) else None
        if rec and rec.get("ename") == "CellTimeoutError":
            notes.append(f"cell {cell.gid or '(added by the trainee)'}: ran longer than "
                             f"{lim.cell_timeout:g} s and was interrupted")
        if cell.role != "test":
            continue
        tc = next(t for t in trusted.cells if t.gid == cell.gid)
        tr = TestResult(0.0, tc.points, "failed", "", tc.label)
        if rec is None:
            tr.outcome = "not run"
            tr.detail = "not run" + (f": {why_stopped}" if why_stopped else "") + (
                f", at cell {where}" if where else "")
        else:
            errors = [o for o in rec.get("outputs", []) if isinstance(o, dict)
                      and o.get("output_type") == "error"]
            ok = rec.get("status") == "ok" and not rec.get("ename") and not errors
            if ok and cell.token in (rec.get("tokens") or []):
                tr.points, tr.outcome = tc.points, "passed"
            elif ok:
                tr.detail = ("no error was shown, but the test did not finish (its check-in "
                             "line is missing): errors were hidden or the test was cut short")
                review.append(f"{cell.gid}: {tr.detail}")
            else:
                ename = rec.get("ename") or (errors[-1].get("ename") if errors else "error")
                evalue = rec.get("evalue") or (errors[-1].get("evalue") if errors else "")
                tr.detail = f"{ename}: {evalue}"[:500]
        ans = answer_rec.get(tc.answer_gid) if tc.answer_gid else None
        if tr.outcome != "passed" and ans and ans.get("ename"):
            tr.detail += (f"; the answer cell {tc.answer_gid} raised {ans['ename']}: "
                          f"{ans.get('evalue', '')}"[:300])
        if cell.note:
            tr.detail = (tr.detail + "; " if tr.detail else "") + cell.note
        tests[cell.gid] = tr
        graded.cells[k].metadata.setdefault("campaignlab", {})["outcome"] = tr.outcome
    for k, cell in enumerate(built.cells):
        if cell.note:
            graded.cells[k].metadata.setdefault("campaignlab", {})["note"] = cell.note
    for k, cell in enumerate(built.cells):
        if cell.role == "test" and tests.get(cell.gid) and tests[cell.gid].outcome != "passed":
            _explain_cell(graded.cells[k], tests[cell.gid].detail)
    return Scored(tests, graded, reason, notes, review, runner_failed, cpu_seconds)
