"""Benchmark: the voterfile cleaning + dedupe + household pipeline vs. naive row-wise pandas.

Run:  .venv/bin/python bench/bench_voterfile.py [--voters 1000000] [--naive-rows 20000]

1. Generates a county of ``--voters`` registrations with ``campaignlab.synth.generate`` in a
   child process (so its memory is not counted), into a temporary folder.
2. Runs ``read_voter_file`` + ``clean_voter_file`` (names, dates, ZIP, phone, shared phones,
   address, duplicate flagging + resolution, households) on the whole file and prints wall
   time and peak RSS of this process. Targets (issue 3): < 60 s and < 4 GB.
3. Runs a naive version (``DataFrame.apply`` row by row, ``phonenumbers``/``usaddress`` on
   every row, duplicate pairs compared in a Python loop) on the first ``--naive-rows`` rows,
   runs the vectorised pipeline on the same rows, and prints both times and the ratio. The
   naive time for the full file is a linear extrapolation (a lower bound: its pair loop grows
   faster than linearly), and is labelled as such.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from campaignlab import voterfile as vf

AS_OF = "2026-09-12"


def generate_in_child(out: Path, voters: int, seed: int) -> float:
    code = f"from campaignlab.synth import generate; generate({str(out)!r}, seed={seed}, voters={voters})"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def fast_pipeline(path: Path, nrows: int | None = None) -> tuple[pd.DataFrame, list]:
    voters, read_report = vf.read_voter_file(path)
    if nrows is not None:
        voters = voters.iloc[:nrows]
    clean, reports = vf.clean_voter_file(voters, as_of=AS_OF)
    return clean, [read_report, *reports]


# --- the naive version: what a first attempt usually looks like ------------------------------
def naive_pipeline(voters: pd.DataFrame) -> pd.DataFrame:
    import jellyfish
    import phonenumbers
    import usaddress

    df = voters.copy()

    def clean_name(x):
        return " ".join(str(x).upper().split()) if isinstance(x, str) else None

    for c in ("first_name", "middle_name", "last_name"):
        df[c] = df.apply(lambda r, c=c: clean_name(r[c]), axis=1)

    def parse_date(r):
        s = r["registr_dt"]
        if not isinstance(s, str) or s in ("01/01/1900",):
            return None
        try:
            return datetime.strptime(s, "%m/%d/%Y")
        except ValueError:
            return None

    df["registration_date"] = df.apply(parse_date, axis=1)

    def zip5(r):
        z = r["zip_code"]
        return str(z)[:5].zfill(5) if isinstance(z, str) else None

    df["zip5"] = df.apply(zip5, axis=1)

    def phone(r):
        p = r["full_phone_number"]
        if not isinstance(p, str):
            return None
        try:
            n = phonenumbers.parse(p, "US")
        except phonenumbers.NumberParseException:
            return None
        return str(n.national_number) if phonenumbers.is_valid_number(n) else None

    df["phone"] = df.apply(phone, axis=1)
    counts = df["phone"].value_counts()
    df["phone_shared"] = df.apply(lambda r: isinstance(r["phone"], str) and counts[r["phone"]] >= 10, axis=1)

    def address(r):
        a = r["res_street_address"]
        if not isinstance(a, str) or a == "REMOVED":
            return None
        try:
            tags, _ = usaddress.tag(a)
        except usaddress.RepeatedLabelError:
            return a
        return " ".join(tags.values())

    df["address_std"] = df.apply(address, axis=1)

    # duplicates: compare every pair sharing last name + birth year, in Python
    links = []
    for _, g in df.groupby(["last_name", "birth_year"]):
        rows = g.to_dict("records")
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                a, b = rows[i], rows[j]
                sim = jellyfish.jaro_winkler_similarity(a["first_name"] or "", b["first_name"] or "")
                ma, mb = a["middle_name"], b["middle_name"]
                ma, mb = (ma if isinstance(ma, str) else ""), (mb if isinstance(mb, str) else "")
                if sim > 0.9 and ma[:1] == mb[:1]:
                    links.append((a["ncid"], b["ncid"]))
    drop = {b for _, b in links}
    df = df[df.apply(lambda r: r["ncid"] not in drop, axis=1)].copy()
    df["hh_key"] = df.apply(lambda r: f"{r['address_std']}|{r['zip5']}" if r["address_std"] else None, axis=1)
    df["household_id"] = df.groupby("hh_key").ngroup()
    return df


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--naive-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="campaignlab-bench-vf-"))
    try:
        gen = generate_in_child(out, args.voters, args.seed)
        path = out / "ncvoter_alder.txt"
        print(f"generated {args.voters:,} registrations in {gen:.1f} s (child process, not counted)")

        rss0 = peak_rss_gb()
        t0, c0 = time.perf_counter(), cpu_seconds()
        clean, reports = fast_pipeline(path)
        fast, fast_cpu = time.perf_counter() - t0, cpu_seconds() - c0
        rss = peak_rss_gb()
        print(f"\nvectorised pipeline (read + clean + dedupe + households) on {args.voters:,} voters:")
        for r in reports:
            print(f"  {r.step:<30} in {r.rows_in:>9,}  kept {r.rows_kept:>9,}  set aside {r.rows_set_aside:>7,}")
        print(f"  time {fast:.1f} s wall ({fast_cpu:.1f} s CPU)   peak RSS {rss:.2f} GB (before: {rss0:.2f} GB)   "
              f"targets: < 60 s, < 4 GB -> {'OK' if fast < 60 and rss < 4 else 'MISSED'}")  # fmt: skip

        sample, _ = vf.read_voter_file(path)
        sample = sample.iloc[: args.naive_rows]
        t0, c0 = time.perf_counter(), cpu_seconds()
        naive_pipeline(sample)
        naive, naive_cpu = time.perf_counter() - t0, cpu_seconds() - c0
        t0, c0 = time.perf_counter(), cpu_seconds()
        vf.clean_voter_file(sample, as_of=AS_OF)
        fast_small, fast_small_cpu = time.perf_counter() - t0, cpu_seconds() - c0
        print(f"\nsame {len(sample):,}-row sample, side by side (read excluded):")
        print(f"  naive row-wise apply   {naive:8.2f} s wall {naive_cpu:8.2f} s CPU")
        print(f"  vectorised toolkit     {fast_small:8.2f} s wall {fast_small_cpu:8.2f} s CPU")
        print(f"  ratio naive/vectorised {naive / fast_small:8.1f}x wall {naive_cpu / fast_small_cpu:6.1f}x CPU")
        scaled = naive * args.voters / len(sample)
        print(f"\nnaive extrapolated linearly to {args.voters:,} rows: ~{scaled:,.0f} s "
              f"(a lower bound) vs {fast:.1f} s measured: ~{scaled / fast:,.0f}x")  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
