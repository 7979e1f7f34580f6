"""Benchmark: ``campaignlab.field.shift_checks`` on a statewide-size contact history.

Run:  .venv/bin/python bench/bench_shift_checks.py [--copies 40]

A coordinated campaign's VAN export runs to about a million door attempts. This takes the canonical
county's contact history (``campaignlab generate`` first) and stacks ``--copies`` copies of it, each
with its own shift, turf and voter ids (so the copies are separate programs, not repeats of the same
shifts), then prints, for 1 copy and for all of them: door attempts, shifts, wall time of
``field.contact_rates`` by shift and of ``field.shift_checks``, the peak RSS of this process, and the
time per 100,000 attempts of the large run over the small one's (1.0 = linear).
"""

from __future__ import annotations

import argparse
import resource
import time

import pandas as pd

from campaignlab import data, field


def stacked(contacts: pd.DataFrame, removed: pd.Series, copies: int) -> tuple[pd.DataFrame, pd.Series]:
    parts, gone = [], []
    for k in range(copies):
        c = contacts.copy()
        for col in ("Shift ID", "Turf Name", "StateFileID"):
            c[col] = c[col] + f"-{k}"
        parts.append(c)
        gone.append(removed + f"-{k}")
    return pd.concat(parts, ignore_index=True), pd.concat(gone, ignore_index=True)


def run(contacts: pd.DataFrame, removed: pd.Series) -> dict:
    doors = contacts[contacts["Contact Type"] == "Walk"]
    t0 = time.perf_counter()
    rates = field.contact_rates(doors, by="Shift ID")
    t1 = time.perf_counter()
    checks = field.shift_checks(doors, removed=removed)
    t2 = time.perf_counter()
    return {"attempts": len(doors), "shifts": len(checks), "contact_rates_s": t1 - t0, "shift_checks_s": t2 - t1,
            "suspects": int(checks["suspect"].sum()), "rates_rows": len(rates)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40)
    args = ap.parse_args()
    contacts = pd.read_csv(data.path("contacts"), dtype=str)
    voters = pd.read_csv(data.path("voters"), sep="\t", dtype=str, usecols=["ncid", "status_cd"])
    removed = voters.loc[voters["status_cd"] == "R", "ncid"]
    small = run(contacts, removed)
    big_contacts, big_removed = stacked(contacts, removed, args.copies)
    big = run(big_contacts, big_removed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, r in (("1 copy", small), (f"{args.copies} copies", big)):
        print(f"{label:>10}: {r['attempts']:>9,} door attempts, {r['shifts']:>7,} shifts; contact_rates by shift "
              f"{r['contact_rates_s']:.2f} s, shift_checks {r['shift_checks_s']:.2f} s, {r['suspects']:,} suspects")
    per_small = small["shift_checks_s"] / small["attempts"]
    per_big = big["shift_checks_s"] / big["attempts"]
    print(f"shift_checks time per attempt, {args.copies} copies over 1: {per_big / per_small:.2f} (1.0 = linear); "
          f"peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
