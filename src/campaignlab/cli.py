"""The ``campaignlab`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from campaignlab import data


def _generate(args: argparse.Namespace) -> int:
    from campaignlab.synth import generate

    out = Path(args.out) if args.out else data.data_dir()
    canonical = args.seed == data.CANONICAL_SEED and args.voters == data.CANONICAL_VOTERS
    if args.if_missing and canonical:
        missing = [f for f in data.FILES.values() if not (out / f).is_file()]
        if not missing:
            print(f"{out}: canonical data already in place")
            return 0
    files = generate(out, seed=args.seed, voters=args.voters)
    for f in files:
        print(f)
    return 0


def _release(args: argparse.Namespace) -> int:
    from campaignlab.course import release, trainee
    from campaignlab.course.layout import CourseError

    try:
        built = release.build(args.root, args.modules or None)
    except CourseError as err:
        print(err, file=sys.stderr)
        return 1
    for folder in built.values():
        print(folder)
    if args.workspace:
        for f in trainee.copy_new_lessons(list(built.values()), Path(args.workspace)):
            print(f"new lesson: {f}")
    if args.trainee and trainee.disable_student_extensions():
        print("turned off the nbgrader extensions trainees do not use (they need an exchange)")
    return 0


def _playbook(args: argparse.Namespace) -> int:
    from campaignlab import playbooks

    if args.list or not args.name:
        for name, what in playbooks.PLAYBOOKS.items():
            print(f"{name}: {what}")
        return 0
    try:
        import papermill.exceptions as pm_errors

        params = playbooks.parse_params(args.param)
        target = playbooks.run_playbook(args.name, params, progress=not args.quiet, log_output=args.log_output)
    except playbooks.PlaybookError as err:
        print(f"campaignlab playbook: {err}", file=sys.stderr)
        return 2
    except pm_errors.PapermillExecutionError as err:
        print(f"campaignlab playbook {args.name}: stopped at cell {err.exec_count}: {err.ename}: {err.evalue}",
              file=sys.stderr)
        out = params.get("output_dir")
        if out:
            print(f"the notebook with the error is in {Path(out).expanduser().resolve()}", file=sys.stderr)
        return 1
    print(f"done: {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campaignlab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="build the synthetic county (same seed = same bytes)")
    gen.add_argument("--seed", type=int, default=data.CANONICAL_SEED)
    gen.add_argument("--voters", type=int, default=data.CANONICAL_VOTERS)
    gen.add_argument("--out", help="output folder (default: the course datasets folder)")
    gen.add_argument(
        "--if-missing", action="store_true", help="do nothing if the canonical files are all there"
    )
    gen.set_defaults(func=_generate)

    rel = sub.add_parser("release", help="build the student versions of the curriculum")
    rel.add_argument("modules", nargs="*", help="module folders (default: all of them)")
    rel.add_argument("--root", help="course root (default: build/course)")
    rel.add_argument(
        "--workspace", help="also copy new student notebooks here, never overwriting a trainee's"
    )
    rel.add_argument(
        "--trainee",
        action="store_true",
        help="turn off nbgrader's exchange and instructor extensions in this environment",
    )
    rel.set_defaults(func=_release)

    pb = sub.add_parser(
        "playbook",
        help="run an alumni playbook (papermill) on your own files",
        description="Run a playbook notebook from playbooks/ with papermill; the executed notebook and "
        "every output go to output_dir (outside the repository). Example: campaignlab playbook "
        "clean-voter-file --param voter_file=ncvoter_Statewide.txt --param output_dir=~/campaign-data/clean",
    )
    pb.add_argument("name", nargs="?", help="the playbook (clean-voter-file) or a notebook path")
    pb.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                    help="a parameter; maps as JSON: --param columns='{\"id\": \"VOTER_ID\"}'")  # fmt: skip
    pb.add_argument("--list", action="store_true", help="list the playbooks")
    pb.add_argument("--quiet", action="store_true", help="no progress bar over the cells")
    pb.add_argument("--log-output", action="store_true", help="print the cells' output as they run")
    pb.set_defaults(func=_playbook)

    from campaignlab.course.cli import add_parser as add_grade_parser

    add_grade_parser(sub)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
