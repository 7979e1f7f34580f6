"""Benchmark: the digital-report playbook end to end on a donation file of a million receipts (papermill).

Run:  .venv/bin/python bench/bench_playbook_digital.py [--copies 125]

1. Builds the exports in a temporary folder from the synthetic county's (``campaignlab.data``):
   the email, text, A/B and list exports as they are, and a donation file made of ``--copies``
   copies of the county's receipts, each copy with receipt IDs and donor emails of its own
   (so a copy's donors are new donors: 125 copies are 1,008,250 receipts from 408,375 donors).
2. Runs ``playbooks/digital-report.ipynb`` through papermill on them, output into the
   temporary folder.
3. Prints the wall time, each cell's time, the peak memory of the kernel (resident set size,
   sampled every 0.1 s with psutil), and whether the counts reconcile.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd
import papermill
from bench_playbook_clean import (  # the same memory sampler and cell timings
    PeakRSS,
    print_cell_times,
)

from campaignlab import data
from campaignlab.playbooks import playbook_path

EXPORTS = {"email_file": "email_sends.csv", "ab_file": "email_ab_test_recipients.csv", "sms_file": "sms_sends.csv"}


def donations(copies: int, folder: Path) -> tuple[Path, int, int]:
    """``copies`` copies of the county's receipts, each with its own receipt IDs and donor emails."""
    base = pd.read_csv(data.path("donations"), dtype=str, keep_default_na=False)
    local, _, domain = base["Donor Email"].str.partition("@").values.T
    parts = []
    for k in range(copies):
        part = base.copy()
        part["Receipt ID"] = base["Receipt ID"] + f"-{k:03d}"
        part["Donor Email"] = [f"{a}.{k}@{d}" if a else "" for a, d in zip(local, domain, strict=True)]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    path = folder / "donations.csv"
    frame.to_csv(path, index=False)
    return path, len(frame), frame.loc[frame["Donor Email"] != "", "Donor Email"].nunique()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=125)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="campaignlab-bench-digital-"))
    try:
        folder = tmp / "data"
        folder.mkdir()
        params = {}
        for param, name in EXPORTS.items():
            params[param] = str(shutil.copy(data.path("donations").parent / name, folder / name))
        gifts, receipts, donors = donations(args.copies, folder)
        params["donations_file"] = str(gifts)
        print(f"donation file: {receipts:,} receipts from {donors:,} donors ({gifts.stat().st_size / 1e6:,.0f} MB)")
        out = tmp / "out"
        out.mkdir()
        params.update(output_dir=str(out), progress=False)
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            papermill.execute_notebook(str(playbook_path("digital-report")), str(out / "digital-report.ipynb"),
                                       parameters=params, progress_bar=False, cwd=str(tmp))  # fmt: skip
            wall = time.perf_counter() - t0
        print(f"\ndigital-report playbook on {receipts:,} receipts (papermill):")
        print_cell_times(nbformat.read(out / "digital-report.ipynb", as_version=4))
        summary = json.loads((out / "reconciliation.json").read_text())
        for name, f in summary.get("files", {}).items():
            print(f"  {name}: {f['rows_in']:,} rows in = {f['rows_out']:,} kept + {f['rows_set_aside']:,} set aside"
                  f" -> {'reconciles' if f['reconciles'] else 'DOES NOT RECONCILE'}")  # fmt: skip
        print(f"  total {wall:.1f} s wall (kernel start included)   peak kernel RSS {rss.peak / 1024**3:.2f} GB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
