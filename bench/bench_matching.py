"""Benchmark: list matching, the rule-based ``match_list`` vs the splink matcher ``link_list``.

Run:  .venv/bin/python bench/bench_matching.py [--list 2000] [--scale-voters 1000000] [--scale-list 100000]

1. County: the canonical Alder County voter file (``campaignlab.data``), duplicate
   registrations flagged (``flag_duplicate_registrations``, not timed) and a sign-up list of
   ``--list`` rows built with its truth by ``campaignlab.synth.match_lists.build_match_list``
   (half not on the file; hard negatives: a voter's exact name, another address and phone).
2. Scale: a county of ``--scale-voters`` registrations generated with
   ``campaignlab.synth.generate`` in a child process (as bench_voterfile.py does), and a
   ``--scale-list``-row list built from it the same way. Target: 100,000 x 1,000,000 in
   <= 120 s for ``link_list``.

For both matchers, side by side: precision of the matches, recall (true matches found in the
matches; for ``link_list`` also counting "needs review"), share of hard negatives matched,
wall time, and peak memory above the data already loaded (each run in a forked child, so
one's peak does not hide the other's). The ratio of the times is printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from campaignlab import data
from campaignlab import voterfile as vf
from campaignlab.synth.match_lists import build_match_list, score_matches

LIST_MAP = {"birth_year": "birth_year"}
VOTER_MAP = {"group": "duplicate_group"}
_STATE: dict = {}


def _text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _rss_gb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1024**3


def _run(which: str, conn) -> None:
    """In a forked child: run one matcher on the loaded data, send back scores, time, memory."""
    signups, voters, truth, regs = _STATE["data"]
    base = _rss_gb()
    if _STATE.get("memory_cap_gb"):  # a MemoryError here, not the kernel's OOM killer for everyone
        import psutil

        vm = psutil.Process().memory_info().vms
        cap = int(vm + _STATE["memory_cap_gb"] * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        _match(which, signups, voters, truth, regs, base, conn)
    except MemoryError:
        conn.send({"error": f"MemoryError (over {_STATE['memory_cap_gb']} GB more)"})
        conn.close()


def _match(which, signups, voters, truth, regs, base, conn) -> None:
    t0 = time.perf_counter()
    if which == "rules":
        matched, _ = vf.match_list(signups, voters, voter_columns=VOTER_MAP)
        review, n_review = None, 0
    else:
        matched, review, _, _ = vf.link_list(signups, voters, list_columns=LIST_MAP, voter_columns=VOTER_MAP)
        n_review = review["uuid"].nunique()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    conn.send({"seconds": seconds, "peak_gb": max(peak - base, 0.0), "review_rows": n_review,
               **score_matches(matched, truth, regs, review=review)})  # fmt: skip
    conn.close()


def compare(title: str, signups, voters, truth, regs) -> None:
    _STATE["data"] = (signups, voters, truth, regs)
    ctx = mp.get_context("fork")
    out = {}
    for which in ("rules", "splink"):
        a, b = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_run, args=(which, b))
        p.start()
        if a.poll(_STATE.get("timeout", 3600)):
            out[which] = a.recv()
        else:
            out[which] = {"error": f"stopped after {_STATE.get('timeout')} s"}
            p.terminate()
        p.join()
    print(f"\n{title}: {len(signups):,} list rows ({int((truth['kind'] == 'on_file').sum()):,} on the file, "
          f"{int((truth['kind'] == 'hard_negative').sum()):,} hard negatives) against {len(voters):,} registrations")  # fmt: skip
    print(f"  {'':<34}{'match_list (rules)':>20}{'link_list (splink)':>20}")
    r, s = out["rules"], out["splink"]

    def cell(res, key, fmt):
        return fmt.format(res[key]) if key in res else res.get("error", "-")[:18]

    rows = [("matched", "matched", "{:,}"), ("needs review (rows)", "review_rows", "{:,}"),
            ("precision of matched", "precision", "{:.3f}"),
            ("recall in matched", "recall", "{:.3f}"),
            ("recall in matched + needs review", "recall_with_review", "{:.3f}"),
            ("hard negatives matched", "hard_negatives_matched", "{:.1%}"),
            ("time (s, wall)", "seconds", "{:.1f}"), ("peak memory above the data (GB)", "peak_gb", "{:.2f}")]  # fmt: skip
    for name, key, fmt in rows:
        a = "(no review)" if key == "recall_with_review" and "error" not in r else cell(r, key, fmt)
        print(f"  {name:<34}{a:>20}{cell(s, key, fmt):>20}")
    for name, res in (("match_list", r), ("link_list", s)):
        if "error" in res:
            print(f"  {name}: {res['error']}")
    if "error" in r or "error" in s:
        return out
    print(f"  time ratio splink / rules: {s['seconds'] / max(r['seconds'], 1e-9):.2f}x")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", type=int, default=2000)
    parser.add_argument("--scale-voters", type=int, default=1_000_000)
    parser.add_argument("--scale-list", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-scale", action="store_true", help="only the county comparison")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a matcher is stopped")
    parser.add_argument("--memory-cap", type=float, default=12, help="GB a matcher may add (then MemoryError)")
    args = parser.parse_args()
    _STATE.update(timeout=args.timeout, memory_cap_gb=args.memory_cap)

    voters, _ = vf.read_voter_file(data.path("voters"))
    voters, _ = vf.flag_duplicate_registrations(voters, as_of_year=2026)
    people, regs = _text(data.path("truth_people")), _text(data.path("truth_registrations"))
    signups, truth = build_match_list(voters, people, regs, size=args.list, seed=args.seed)
    compare("County (canonical Alder County)", signups, voters, truth, regs)
    if args.no_scale:
        return

    out = Path(tempfile.mkdtemp(prefix="campaignlab-bench-match-"))
    try:
        code = (f"from campaignlab.synth import generate; "
                f"generate({str(out)!r}, seed={args.seed}, voters={args.scale_voters}, programs=False)")  # fmt: skip
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        print(f"\ngenerated {args.scale_voters:,} registrations in {time.perf_counter() - t0:.1f} s (child process, not counted)")
        t0 = time.perf_counter()
        big, _ = vf.read_voter_file(out / "ncvoter_alder.txt")
        big, _ = vf.flag_duplicate_registrations(big, as_of_year=2026)
        people, regs = _text(out / "truth" / "people.csv"), _text(out / "truth" / "registrations.csv")
        signups, truth = build_match_list(big, people, regs, size=args.scale_list, seed=args.seed)
        print(f"read, duplicates flagged and list built in {time.perf_counter() - t0:.1f} s (not counted)")
        res = compare("Scale", signups, big, truth, regs)
        if "error" in res["splink"]:
            return
        t = res["splink"]["seconds"]
        print(f"  target: link_list {args.scale_list:,} x {args.scale_voters:,} in <= 120 s -> "
              f"{t:.1f} s {'OK' if t <= 120 else 'MISSED'}")  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
