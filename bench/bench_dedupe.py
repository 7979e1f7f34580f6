"""Benchmark: finding duplicate registrations, the rules vs the rules plus splink's surname-change pairs.

Run:  .venv/bin/python bench/bench_dedupe.py [--seeds 2026 31] [--voters 50000]

For each county (seed 2026 is the canonical one in ``datasets/``; others are generated in a
child process into a temporary folder, as bench_voterfile.py does), both methods of
``flag_duplicate_registrations`` run side by side on the same file; against the generator's
truth (``truth/registrations.csv``) it prints the pairs linked, precision, recall, the share
found of each planted variation (name changes above all) and the wall time, with the time
ratio splink / rules.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_voterfile import generate_in_child  # noqa: E402

from campaignlab import data  # noqa: E402
from campaignlab import voterfile as vf  # noqa: E402


def pairs_of(flagged: pd.DataFrame) -> set[tuple[str, str]]:
    out = set()
    for _, grp in flagged[flagged["duplicate_group"].notna()].groupby("duplicate_group"):
        out |= set(itertools.combinations(sorted(grp["ncid"]), 2))
    return out


def measure(folder: Path, label: str) -> None:
    voters, _ = vf.read_voter_file(folder / "ncvoter_alder.txt")
    regs = pd.read_csv(folder / "truth" / "registrations.csv", dtype=str)
    truth = set()
    for _, grp in regs.groupby("person_id"):
        truth |= set(itertools.combinations(sorted(grp["ncid"]), 2))
    planted = regs[regs["duplicate_of"].notna()]
    rows, times = {}, {}
    for method in ("rules", "splink"):
        t0 = time.perf_counter()
        flagged, _ = vf.flag_duplicate_registrations(voters, as_of_year=2026, method=method)
        times[method] = time.perf_counter() - t0
        got = pairs_of(flagged)
        hit = pd.Series([tuple(sorted(p)) in got for p in zip(planted["ncid"], planted["duplicate_of"], strict=True)],
                        index=planted.index)  # fmt: skip
        by_kind = hit.groupby(planted["variation"]).mean()
        rows[method] = {"pairs": len(got), "right": len(got & truth), "precision": len(got & truth) / max(len(got), 1),
                        "recall": len(got & truth) / len(truth), **{f"found: {k}": v for k, v in by_kind.items()},
                        "seconds": times[method]}  # fmt: skip
    table = pd.DataFrame(rows)
    print(f"\n== {label}: {len(voters):,} registrations, {len(truth):,} true duplicate pairs "
          f"({int((planted['variation'].str.startswith('name_change')).sum())} name changes)")  # fmt: skip
    print(table.to_string(float_format=lambda x: f"{x:.3f}"))
    print(f"time splink / rules: {times['splink'] / times['rules']:.1f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[2026, 31])
    ap.add_argument("--voters", type=int, default=50_000)
    args = ap.parse_args(argv)
    for seed in args.seeds:
        if seed == 2026 and args.voters == 50_000:
            data.ensure_canonical()
            measure(data.data_dir(), "canonical county (seed 2026)")
            continue
        tmp = Path(tempfile.mkdtemp(prefix="bench-dedupe-"))
        try:
            generate_in_child(tmp, args.voters, seed)
            measure(tmp, f"county seed {seed}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
