"""Benchmark: the turnout-targets playbook end to end on a generated county (papermill, as alumni run it).

Run:  .venv/bin/python bench/bench_playbook_targets.py [--voters 1000000] [--with-contacts]

1. Generates a county of ``--voters`` registrations, its vote history and its VAN contact history
   with ``campaignlab.synth.generate`` in a child process, into a temporary folder.
2. Runs ``playbooks/turnout-targets.ipynb`` through papermill on it for the 11/03/2026 general
   (the back-test, the model, scores, universes, walk lists), output into the temporary folder.
3. Prints the wall time, each cell's time, the peak memory of the kernel (resident set size,
   sampled every 0.1 s with psutil), the back-test's AUC and ECE, and whether the counts reconcile.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from bench_playbook_clean import (  # the same memory sampler and cell timings
    PeakRSS,
    print_cell_times,
)
from bench_voterfile import generate_in_child  # the same county generation, in a child process

from campaignlab.playbooks import playbook_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--with-contacts", action="store_true", help="support IDs from the VAN contact history")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="campaignlab-bench-targets-"))
    try:
        gen = generate_in_child(tmp / "data", args.voters, args.seed)
        voter_file, history = tmp / "data" / "ncvoter_alder.txt", tmp / "data" / "ncvhis_alder.txt"
        print(f"generated {args.voters:,} registrations ({voter_file.stat().st_size / 1e6:,.0f} MB + "
              f"{history.stat().st_size / 1e6:,.0f} MB history) in {gen:.1f} s (child process, not counted)")  # fmt: skip
        out = tmp / "out"
        out.mkdir()
        params = {"voter_file": str(voter_file), "history_file": str(history), "election": "2026-11-03",
                  "output_dir": str(out), "progress": False}  # fmt: skip
        if args.with_contacts:
            params.update(contacts_file=str(tmp / "data" / "van_contact_history.csv"), as_of="2026-10-11")
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            papermill.execute_notebook(str(playbook_path("turnout-targets")), str(out / "turnout-targets.ipynb"),
                                       parameters=params, progress_bar=False, cwd=str(tmp))  # fmt: skip
            wall = time.perf_counter() - t0
        print(f"\nturnout-targets playbook on {args.voters:,} voters (papermill):")
        print_cell_times(nbformat.read(out / "turnout-targets.ipynb", as_version=4))
        summary = json.loads((out / "reconciliation.json").read_text())
        for name, f in summary["files"].items():
            print(f"  {name}: {f['rows_in']:,} rows in = {f['rows_out']:,} kept + {f['rows_set_aside']:,} set aside"
                  f" -> {'reconciles' if f['reconciles'] else 'DOES NOT RECONCILE'}")  # fmt: skip
        back = json.loads((out / "model_report.json").read_text())["backtest"]
        print(f"  back-test ({back['how']}): AUC {back['auc']:.3f}, ECE {back['ece']:.3f}")
        print(f"  total {wall:.1f} s wall (kernel start included)   peak kernel RSS {rss.peak / 1024**3:.2f} GB "
              f"({rss.peak / args.voters * 1000 / 1024**2:.1f} MB per 1,000 voters)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
