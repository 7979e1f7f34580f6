"""Benchmark: the synthetic county at scale, and vectorised voter rows vs. Faker one row at a time.

Run:  .venv/bin/python bench/bench_generate.py [--voters 1000000] [--faker-rows 20000] [--repeat 3]

1. ``generate()`` at ``--voters`` (each run in a fresh process, so peak RSS is its own), twice:
   * "voter file + full vote history (+ their truth)": ``generate(programs=False)`` writes
     ncvoter, ncvhis and truth/{people,registrations,turnout_probability,defects};
   * "whole world": ``generate()`` adds vendor scores, the field and digital programs.
   Target (issue): 1,000,000 voters in <= 15 s and <= 4 GB peak RSS on a 2-core machine.
   Wall time depends on what else runs on the machine, so CPU time (user + sys, all threads)
   is printed too, with the main thread's share: files are written by two background threads
   while the main thread builds the rest, so on 2 idle cores the wall time is about
   max(main-thread CPU, total CPU / 2).
2. A side-by-side comparison, measured the same way on both sides: the voter-file columns
   (names, address, city, ZIP, phone, birth year, sex, party, registration date, status,
   race, ethnicity, precinct, IDs) built in memory for the same n, from a seed, nothing
   written. Ours: ``build_people`` + ``build_registrations`` + ``build_voterfile`` (all 67
   ncvoter columns, defects planted). Faker: one Faker call per field per row. Best of
   ``--repeat`` runs each, interleaved; ours is also timed at ``--voters`` to show the scale.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from campaignlab.synth import generate, streams
from campaignlab.synth.people import build_people
from campaignlab.synth.registrations import build_registrations, people_for
from campaignlab.synth.voterfile import NCVOTER_COLUMNS, build_voterfile

TARGET_SECONDS = 15
TARGET_GB = 4


def faker_rows(n: int, seed: int = 2026) -> list[dict[str, str]]:
    """The voter columns, one Faker call per field per row (the common approach)."""
    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(seed)
    rows = []
    for i in range(n):
        sex = fake.random_element(("F", "M", "U"))
        row = dict.fromkeys(NCVOTER_COLUMNS, "")
        row.update(
            county_id="1", county_desc="ALDER", voter_reg_num=f"{30_000_000 + i:012d}",
            ncid=f"AL{100_000 + i}", last_name=fake.last_name().upper(),
            first_name=(fake.first_name_female() if sex == "F" else fake.first_name_male()).upper(),
            middle_name=fake.first_name().upper(), status_cd=fake.random_element("AAAAIRDS"),
            res_street_address=fake.street_address().upper(), res_city_desc=fake.city().upper(),
            state_cd="CB", zip_code=f"003{fake.random_int(1, 16):02d}",
            full_phone_number=f"919555{fake.random_int(0, 9999):04d}",
            registr_dt=fake.date_between("-40y", "-30d").strftime("%m/%d/%Y"),
            race_code=fake.random_element("WWWWBBU"), ethnic_code=fake.random_element(("NL", "UN")),
            party_cd=fake.random_element(("DEM", "REP", "UNA")), gender_code=sex,
            birth_year=str(fake.random_int(1927, 2008)), precinct_abbrv=f"{fake.random_int(1, 24):02d}",
        )  # fmt: skip
        rows.append(row)
    return rows


def vectorised_rows(n: int, seed: int = 2026):
    """The ncvoter table (pyarrow, 67 columns) for ``n`` registrations, in memory."""
    rng = streams(seed)
    people = build_people(people_for(n), rng["people"])
    regs = build_registrations(people, n, rng["registrations"])
    return build_voterfile(people, regs, rng["voterfile"]).table


def run_generate(voters: int, seed: int, programs: bool) -> dict:
    """One timed ``generate()`` into a temporary folder (deleted afterwards)."""
    out = Path(tempfile.mkdtemp(prefix="campaignlab-bench-"))
    try:
        cpu0, main0, t0 = time.process_time(), time.thread_time(), time.perf_counter()
        files = generate(out, seed=seed, voters=voters, programs=programs)
        seconds, cpu, main = time.perf_counter() - t0, time.process_time() - cpu0, time.thread_time() - main0
        size = sum(f.stat().st_size for f in files) / 1e6
        with open(out / "ncvhis_alder.txt", "rb") as f:
            history_rows = sum(1 for _ in f) - 1
    finally:
        shutil.rmtree(out, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    return {"seconds": seconds, "cpu": cpu, "main": main, "peak_gb": peak, "files": len(files), "mb": size,
            "history_rows": history_rows}  # fmt: skip


def in_child(voters: int, seed: int, programs: bool) -> dict:
    """``run_generate`` in a fresh interpreter (its own peak RSS, no warm caches)."""
    cmd = [sys.executable, __file__, "--child", "--voters", str(voters), "--seed", str(seed)]
    cmd += [] if programs else ["--core"]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def seconds(fn, *args) -> float:
    """Wall time of one call ``fn(*args)``."""
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--faker-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side in the comparison (best kept)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_generate(args.voters, args.seed, programs=not args.core)))
        return

    print(f"1. generate(), {args.voters:,} voters, seed {args.seed} (target <= {TARGET_SECONDS} s, <= {TARGET_GB} GB)")
    for label, programs in (("voter file + full vote history (+ their truth)", False), ("whole world", True)):
        r = in_child(args.voters, args.seed, programs)
        ok = "OK" if r["seconds"] <= TARGET_SECONDS and r["peak_gb"] <= TARGET_GB else "MISSED"
        idle = max(r["main"], r["cpu"] / 2)  # 2 free cores: the main thread or half the work, whichever is longer
        print(f"   {label}: {r['files']} files, {r['mb']:,.0f} MB, {r['history_rows']:,} history rows\n"
              f"      {r['seconds']:6.2f} s wall -> {ok}; peak RSS {r['peak_gb']:.2f} GB; CPU {r['cpu']:.2f} s"
              f" (main thread {r['main']:.2f} s, so ~{idle:.1f} s on 2 idle cores)")  # fmt: skip

    n = args.faker_rows
    print(f"2. voter columns built in memory from seed {args.seed}, same n = {n:,} (best of {args.repeat})")
    ours = faker = float("inf")
    for _ in range(args.repeat):  # interleaved, so both sides see the same machine load
        ours = min(ours, seconds(vectorised_rows, n, args.seed))
        faker = min(faker, seconds(faker_rows, n, args.seed))
    big = seconds(vectorised_rows, args.voters, args.seed)
    print(f"   vectorised (67 columns, defects planted): {n / ours:>12,.0f} rows/s  ({ours:.2f} s)")
    print(f"   Faker, one row at a time (~20 columns):   {n / faker:>12,.0f} rows/s  ({faker:.2f} s)")
    print(f"   ratio at n = {n:,}: {faker / ours:,.0f}x")
    print(f"   vectorised at n = {args.voters:,}: {args.voters / big:,.0f} rows/s ({big:.2f} s)"
          f" -> {args.voters / big / (n / faker):,.0f}x Faker's rate")  # fmt: skip


if __name__ == "__main__":
    main()
