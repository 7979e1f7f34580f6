"""``campaignlab grade ...``: the instructor's commands (see grader/README.md).

    campaignlab grade check                       # is the sandbox working on this machine?
    campaignlab grade release 00-start-here --out student-repo --repo me/cdl-students
    campaignlab grade collect 00-start-here handins.zip --roster roster.csv
    campaignlab grade autograde 00-start-here
    campaignlab grade feedback 00-start-here
    campaignlab grade report 00-start-here
    campaignlab grade merge 00-start-here shard-1 shard-2   # grades of several machines, one gradebook
    campaignlab grade all 00-start-here handins.zip --roster roster.csv   # the last four

``add_parser(subparsers)`` registers the group on the top-level ``campaignlab`` parser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _root(args) -> Path:
    from campaignlab.course import layout

    return Path(args.root).resolve() if args.root else layout.course_root()


def _limits(args):
    from campaignlab.course.sandbox import Limits

    return Limits(memory_mb=args.memory_mb, pids=args.pids, cpus=args.cpus,
                  cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                  output_bytes=args.output_bytes)


def _lessons(root: Path, module: str) -> list[str]:
    from campaignlab.course import layout

    rel = root / "release" / module
    if rel.is_dir():
        return sorted(p.name for p in rel.glob("*.ipynb"))
    return layout.notebooks(module)


def _check(args) -> int:
    from campaignlab import data
    from campaignlab.course.sandbox import Sandbox, SandboxUnavailable

    try:
        sb = Sandbox(data.data_dir(), _limits(args))
    except SandboxUnavailable as err:
        print(f"NOT READY: {err}", file=sys.stderr)
        return 1
    for line in sb.describe():
        print(f"  {line}")
    problems = sb.self_test()
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    print("sandbox OK" if not problems else "sandbox NOT OK")
    return 1 if problems else 0


def _release(args) -> int:
    """Student versions; with ``--out`` a whole student repository.  Everything written is read
    back (``leaks.check_handout``) and the command fails if anything gives a lesson away."""
    from campaignlab.course import leaks, release, student_repo
    from campaignlab.course.layout import CourseError

    reason = args.out and student_repo.unsafe_destination(args.out)
    if reason:
        print(f"refusing --out: {reason}", file=sys.stderr)
        return 1
    try:
        release.hand_out(args.root, args.modules or None, out=args.out, zip_path=args.zip,
                         repo=args.repo, branch=args.branch, hub=args.hub,
                         env_repo=args.env_repo, env_branch=args.env_branch)
        if args.out:
            student_repo.write(args.out, repo=args.repo, branch=args.branch)
    except CourseError as err:
        print(err, file=sys.stderr)
        return 1
    problems = [f"{target}: {problem}"
                for target in (args.out, args.zip) if target
                for problem in leaks.check_handout(target, root=_root(args))]
    if problems:
        print("DO NOT PUBLISH: what was written gives lessons away:\n  " + "\n  ".join(problems),
              file=sys.stderr)
        return 1
    return 0


def _released(root: Path, module: str) -> bool:
    """Hand-ins are graded against the version that was handed out: never rebuild it here."""
    if (root / "release" / module).is_dir() and (root / "gradebook.db").is_file():
        return True
    print(f"{module} has not been released in {root}: grading compares hand-ins with the "
          f"student version trainees received. Run `campaignlab grade release {module}` "
          "first (and hand out that version).", file=sys.stderr)
    return False


def _collect(args) -> int:
    from campaignlab.course import collect

    root = _root(args)
    if not _released(root, args.module):
        return 1
    roster = collect.read_roster(args.roster) if args.roster else None
    rows = collect.collect(root, args.module, args.source, lessons=_lessons(root, args.module),
                           roster=roster, patterns=args.pattern or None)
    print(f"every file is listed in {root / 'campaignlab' / args.module / 'collect.csv'}")
    return 0 if rows else 1


def _autograde(args) -> int:
    from campaignlab.course import county
    from campaignlab.course.autograde import Grader
    from campaignlab.course.sandbox import SandboxUnavailable

    root = _root(args)
    if not _released(root, args.module):
        return 1
    try:
        data_dir = county.ensure(root, seed=args.grading_seed)
        g = Grader(root, args.module, limits=_limits(args), jobs=args.jobs, data_dir=data_dir)
    except SandboxUnavailable as err:
        print(f"refusing to run hand-ins without a sandbox: {err}", file=sys.stderr)
        return 1
    except ValueError as err:  # e.g. the canonical seed as the grading seed
        print(f"cannot grade: {err}", file=sys.stderr)
        return 1
    results = g.run(students=args.student or None)
    bad = [r for r in results if r.status not in ("graded", "not handed in")]
    review = [r for r in results if r.review]
    print(f"graded {sum(r.status == 'graded' for r in results)} of {len(results)} "
          f"(student, lesson) rows; {len(bad)} could not be graded; {len(review)} flagged "
          "for review (see the notes above and students.csv after `grade report`)")
    return 0


def _merge(args) -> int:
    from campaignlab.course.merge import ShardError, merge_shards

    try:
        results = merge_shards(_root(args), args.module, args.shards)
    except ShardError as err:
        print(f"cannot merge: {err}", file=sys.stderr)
        return 1
    print(f"merged {len({r.student for r in results})} student(s); run `campaignlab grade feedback "
          f"{args.module}` and `campaignlab grade report {args.module}` next")
    return 0


def _feedback(args) -> int:
    from campaignlab.course import feedback

    feedback.generate(_root(args), args.module)
    return 0


def _report(args) -> int:
    from campaignlab.course import report

    built = report.build(_root(args), args.module, out=args.out)
    print(f"open {built['index']}")
    return 0


def _all(args) -> int:
    for step in (_collect, _autograde, _feedback, _report):
        rc = step(args)
        if rc:
            return rc
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", help="nbgrader course root (default: build/course or "
                                  "$CAMPAIGNLAB_COURSE_ROOT)")


def _limit_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("limits per notebook (enforced outside the kernel)")
    g.add_argument("--jobs", type=int, default=None, help="sandboxes in parallel (default: cores)")
    g.add_argument("--memory-mb", type=int, default=2048)
    g.add_argument("--pids", type=int, default=256, help="processes + threads")
    g.add_argument("--cpus", type=float, default=1.0, help="CPU quota per sandbox (cores)")
    g.add_argument("--cell-timeout", type=float, default=120.0, help="seconds per cell")
    g.add_argument("--notebook-timeout", type=float, default=600.0, help="seconds per notebook")
    g.add_argument("--output-bytes", type=int, default=200_000, help="output kept per cell")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--grading-seed", type=int, default=None,
                   help="seed of the grading county (default: the one this course keeps in "
                        "<root>/campaignlab/grading-county.json, chosen at random on first use)")


def _collect_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="folder or LMS bulk-download zip of hand-ins")
    p.add_argument("--roster", help="roster CSV (id[,first_name,last_name,email,aliases])")
    p.add_argument("--pattern", action="append",
                   help="regex on each file's path with groups (?P<student>..) and "
                        "(?P<notebook>..); repeatable, tried in order (default: a folder per "
                        "student, LMS names like lastfirst_123_456_lesson.ipynb)")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``grade`` on the top-level ``campaignlab`` subparsers; return its parser."""
    grade = subparsers.add_parser(
        "grade", help="instructor workflow: release, collect, autograde, feedback, report",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = grade.add_subparsers(dest="grade_command", required=True)

    p = sub.add_parser("check", help="check that the sandbox works on this machine")
    _limit_args(p)
    p.set_defaults(func=_check)

    p = sub.add_parser("release", help="student versions into a folder/zip; print links")
    p.add_argument("modules", nargs="*", help="module folders (default: all)")
    _common(p)
    p.add_argument("--out", help="make this folder the student repository (e.g. its checkout): "
                                 "student versions, README, Binder config, package")
    p.add_argument("--zip", help="also write them to this zip file")
    p.add_argument("--repo", help="GitHub owner/name of the student repository (for links)")
    p.add_argument("--branch", default="main")
    p.add_argument("--hub", help="JupyterHub URL for nbgitpuller links")
    p.add_argument("--env-repo", help="owner/name of the repository with the Binder environment")
    p.add_argument("--env-branch", default="main")
    p.set_defaults(func=_release)

    p = sub.add_parser("collect", help="import hand-ins from a folder or an LMS zip")
    p.add_argument("module")
    _collect_args(p)
    _common(p)
    p.set_defaults(func=_collect)

    p = sub.add_parser("autograde", help="grade every hand-in, sandboxed, in parallel")
    p.add_argument("module")
    _common(p)
    _limit_args(p)
    p.set_defaults(func=_autograde)

    p = sub.add_parser("merge", help="bring the grades of other grading machines into this gradebook")
    p.add_argument("module")
    p.add_argument("shards", nargs="+", help="course roots where `autograde --student ...` ran")
    _common(p)
    p.set_defaults(func=_merge)

    p = sub.add_parser("feedback", help="per-student HTML feedback (no hidden tests)")
    p.add_argument("module")
    _common(p)
    p.set_defaults(func=_feedback)

    p = sub.add_parser("report", help="the cohort page (index.html), gradebook CSVs, re-teach chart")
    p.add_argument("module")
    _common(p)
    p.add_argument("--out", help="folder for the reports (default: <root>/reports/<module>)")
    p.set_defaults(func=_report)

    p = sub.add_parser("all", help="collect + autograde + feedback + report")
    p.add_argument("module")
    _collect_args(p)
    _common(p)
    _limit_args(p)
    p.add_argument("--out", help="folder for the reports")
    p.set_defaults(func=_all)
    return grade


def main(argv: list[str] | None = None) -> int:
    """``python -m campaignlab.course.cli ...`` (same as ``campaignlab grade ...``)."""
    parser = argparse.ArgumentParser(prog="campaignlab")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["grade", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
