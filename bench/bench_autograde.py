"""Autograde a synthetic cohort two ways, side by side, and print both times and the ratio.

    .venv/bin/python bench/bench_autograde.py                       # 40 trainees x 01-voter-files
    .venv/bin/python bench/bench_autograde.py --students 8 --module 00-start-here

1. the workflow: ``campaignlab.course.autograde.Grader`` (one bubblewrap sandbox per notebook,
   ``--jobs`` in parallel, default: the number of cores);
2. plain nbgrader: ``nbgrader autograde <module>`` (serial, no sandbox) on identical hand-ins
   in a second course root, on the same grading county (``CAMPAIGNLAB_DATA``).

Hand-ins are built from the fresh release: a third hand in the reference solution, a third the
untouched student version, a third the reference with one answer per lesson broken.  Both ways
must agree on every student's total (checked).  Peak memory: the largest single sandbox
(cgroup ``memory.max_usage_in_bytes``) and the largest child process of plain nbgrader.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from harness import build_submission, scores_from_gradebook, submit  # noqa: E402

from campaignlab.course import cells, county, layout, release  # noqa: E402
from campaignlab.course.autograde import Grader  # noqa: E402
from campaignlab.course.sandbox import Limits  # noqa: E402


def build_cohort(root: Path, module: str, students: int) -> dict[str, str]:
    release.build(root, [module])
    cur = layout.curriculum_dir()
    kinds = {}
    for k in range(students):
        sid = f"trainee{k:03d}"
        kind = ("reference", "blank", "one-wrong")[k % 3]
        kinds[sid] = kind
        nbs = {}
        for name in layout.notebooks(module, cur):
            rel = nbformat.read(root / "release" / module / name, as_version=4)
            src = nbformat.read(cur / module / name, as_version=4)
            if kind == "blank":
                nbs[name] = rel
                continue
            answers = {}
            if kind == "one-wrong":
                first = next((cells.grade_id(c) for c in rel.cells if cells.is_solution_cell(c)
                              and c.cell_type == "code"), None)
                if first:
                    answers[first] = "raise ValueError('a wrong answer')"
            nbs[name] = build_submission(rel, src, answers, "solution")
        submit(root, module, sid, nbs)
    return kinds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--module", default="01-voter-files")
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--skip-plain", action="store_true", help="only time the workflow")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ours, plain = Path(tmp, "ours"), Path(tmp, "plain")
        print(f"building {args.students} trainees x {args.module} "
              f"({len(layout.notebooks(args.module))} lessons) in two course roots ...", flush=True)
        build_cohort(ours, args.module, args.students)
        build_cohort(plain, args.module, args.students)
        n_nb = args.students * len(layout.notebooks(args.module))
        data_dir = county.ensure(Path(tmp, "county-root"), seed=4242, log=lambda *_: None)

        t0 = time.perf_counter()
        grader = Grader(ours, args.module, limits=Limits(), jobs=args.jobs, data_dir=data_dir,
                        log=lambda *_: None)
        results = grader.run()
        t_ours = time.perf_counter() - t0
        peak_sandbox = max((r.peak_memory_bytes or 0) for r in results)
        ours_totals = {}
        for r in results:
            ours_totals[r.student] = ours_totals.get(r.student, 0) + r.score
        print(f"workflow (sandboxed, {args.jobs} in parallel): {t_ours:8.1f} s for {n_nb} notebooks"
              f"  ({t_ours / n_nb:.2f} s/notebook); peak memory of one sandbox "
              f"{peak_sandbox / 2**20:.0f} MB; memory bound: {grader.sandbox.mechanism}", flush=True)
        per_core_ours = n_nb / (t_ours / 60) / args.jobs
        print(f"  {per_core_ours:.1f} notebooks per core-minute", flush=True)
        if args.skip_plain:
            return 0
        t0 = time.perf_counter()
        os.environ["CAMPAIGNLAB_DATA"] = str(data_dir)
        release.nbgrader(["autograde", args.module, "--force", "--create"], root=plain,
                         timeout=3600 + 60 * n_nb)
        t_plain = time.perf_counter() - t0
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(f"plain nbgrader autograde (serial):          {t_plain:8.1f} s for {n_nb} notebooks"
              f"  ({t_plain / n_nb:.2f} s/notebook); peak memory of one process "
              f"{peak_child / 2**20:.0f} MB")
        print(f"  {n_nb / (t_plain / 60):.1f} notebooks per core-minute (one core)")
        print(f"speed-up: {t_plain / t_ours:.2f}x on {args.jobs} cores "
              f"(parent RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
        plain_scores = scores_from_gradebook(plain, args.module)
        mismatch = [
            s for s in ours_totals
            if abs(sum(x.code_score for x in plain_scores.get(s, {}).values()) - ours_totals[s]) > 1e-9
        ]
        if mismatch:
            print(f"MISMATCH between the two gradebooks for {len(mismatch)} student(s): "
                  f"{mismatch[:5]}")
            return 1
        print("both ways agree on every student's automatic total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
