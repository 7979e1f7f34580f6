"""Benchmark: vectorised generation vs. Faker one row at a time, measured side by side.

Run:  .venv/bin/python bench/bench_generate.py [--voters 1000000] [--faker-rows 20000]

Prints the wall time and peak memory of ``campaignlab.synth.generate`` for a full county
(voter file, vote history 2016-2025, vendor, field, digital and truth files, all written), then
the per-row rate of a Faker generator of the same voter columns, and the ratio of the rates.
Targets (issue): 1,000,000 voters in <= 15 s and <= 4 GB peak RSS on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from campaignlab.synth import generate
from campaignlab.synth.voterfile import NCVOTER_COLUMNS


def faker_rows(n: int, seed: int = 2026) -> list[dict[str, str]]:
    """The same 67 voter columns, one Faker call per field per row (the common approach)."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--faker-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="campaignlab-bench-"))
    try:
        t0 = time.perf_counter()
        files = generate(out, seed=args.seed, voters=args.voters)
        seconds = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in files) / 1e6
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # KiB -> GB (approx.)
        lines = sum(1 for _ in open(out / "ncvhis_alder.txt", "rb")) - 1
    finally:
        shutil.rmtree(out, ignore_errors=True)
    vec_rate = args.voters / seconds
    print(f"generate(): {args.voters:,} voters, {lines:,} history rows, {len(files)} files, "
          f"{size:,.0f} MB written in {seconds:.2f} s; peak RSS {peak:.2f} GB")  # fmt: skip
    print(f"  target: <= 15 s and <= 4 GB -> time {'OK' if seconds <= 15 else 'MISSED'}, "
          f"memory {'OK' if peak <= 4 else 'MISSED'}")  # fmt: skip

    t0 = time.perf_counter()
    faker_rows(args.faker_rows)
    f_seconds = time.perf_counter() - t0
    f_rate = args.faker_rows / f_seconds
    print(f"Faker, one row at a time: {args.faker_rows:,} voter rows (not written) in {f_seconds:.2f} s")
    print(f"rates: vectorised {vec_rate:,.0f} voters/s (everything, written) vs Faker {f_rate:,.0f} rows/s"
          f" -> {vec_rate / f_rate:,.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
