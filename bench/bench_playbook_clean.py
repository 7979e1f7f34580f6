"""Benchmark: the clean-voter-file playbook end to end on a generated county (papermill, as alumni run it).

Run:  .venv/bin/python bench/bench_playbook_clean.py [--voters 1000000] [--engines pandas,duckdb]
                                                     [--data DIR] [--no-history]

1. Generates a county of ``--voters`` registrations (and its vote history) with
   ``campaignlab.synth.generate`` in a child process, into a temporary folder; or, with
   ``--data``, uses a county generated before (``campaignlab generate --voters N --out DIR``;
   5 million voters take about 5 minutes to generate).
2. Runs ``playbooks/clean-voter-file.ipynb`` through papermill on it (the voter file and,
   unless ``--no-history``, the ncvhis history) once per engine of ``--engines``, one after
   the other, output into a temporary folder.
3. Prints, per engine, the wall time, each cell's time (papermill records it), and the peak
   memory of the kernel that ran the notebook (resident set size, sampled every 0.1 s with
   psutil), against the targets of issue 15: 1M voters <= 60 s; 5M voters <= 10 min and
   <= 12 GB. With two engines it checks that they wrote the same files and prints the ratios
   of time and memory (duckdb / pandas), measured side by side in this one run.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import papermill
import psutil
from bench_voterfile import generate_in_child  # the same county generation, in a child process

from campaignlab.playbooks import playbook_path

AS_OF = "2026-09-12"


class PeakRSS:
    """Samples the summed RSS of this process's children (the kernel) until stopped."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def print_cell_times(nb) -> None:
    """Each code cell's time (papermill records it), named by the heading above it."""
    heading = "parameters"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = next((line.lstrip("# ") for line in cell.source.splitlines() if line.startswith("#")), heading)
            continue
        tags = cell.metadata.get("tags", [])
        what = "parameters" if "parameters" in tags or "injected-parameters" in tags else heading
        print(f"  {cell.metadata.get('papermill', {}).get('duration', 0):7.1f} s  {what[:70]}")


TARGETS = {1_000_000: (60, None), 5_000_000: (600, 12.0)}  # voters -> (seconds, GB)


def run_engine(engine: str, tmp: Path, voter_file: Path, history: Path | None, voters: int) -> tuple[float, float, Path]:
    """One papermill run of the playbook with ``engine``; prints its figures; returns (s, GB, output folder)."""
    out = tmp / f"out-{engine}"
    out.mkdir()
    params = {"voter_file": str(voter_file), "history_file": str(history) if history else "",
              "output_dir": str(out), "as_of": AS_OF, "progress": False, "engine": engine}  # fmt: skip
    with PeakRSS() as rss:
        t0 = time.perf_counter()
        papermill.execute_notebook(str(playbook_path("clean-voter-file")), str(out / "clean-voter-file.ipynb"),
                                   parameters=params, progress_bar=False, cwd=str(tmp))  # fmt: skip
        wall = time.perf_counter() - t0
    nb = nbformat.read(out / "clean-voter-file.ipynb", as_version=4)
    print(f"\nclean-voter-file playbook, engine={engine}, on {voters:,} voters{' with history' if history else ''}:")
    print_cell_times(nb)
    summary = json.loads((out / "reconciliation.json").read_text())
    for name, f in summary["files"].items():
        print(f"  {name}: {f['rows_in']:,} rows in = {f['rows_out']:,} clean + {f['rows_set_aside']:,} set aside"
              f" -> {'reconciles' if f['reconciles'] else 'DOES NOT RECONCILE'}")  # fmt: skip
    peak = rss.peak / 1024**3
    print(f"  total {wall:.1f} s wall (kernel start included)   peak kernel RSS {peak:.2f} GB "
          f"({rss.peak / voters * 1000 / 1024**2:.1f} MB per 1,000 voters)")
    if voters in TARGETS:
        secs, gb = TARGETS[voters]
        ok = wall <= secs and (gb is None or peak <= gb)
        print(f"  target for {voters:,} voters: <= {secs} s{f' and <= {gb:.0f} GB' if gb else ''} -> "
              f"{'OK' if ok else 'MISSED'}")
    return wall, peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--engines", default="pandas,duckdb", help="comma-separated: pandas, duckdb")
    parser.add_argument("--data", type=Path, help="a generated county's folder (ncvoter_alder.txt, ncvhis_alder.txt)")
    parser.add_argument("--no-history", action="store_true", help="the voter file only")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="campaignlab-bench-playbook-"))
    try:
        data = args.data
        if data is None:
            data = tmp / "data"
            gen = generate_in_child(data, args.voters, args.seed)
            print(f"generated {args.voters:,} registrations in {gen:.1f} s (child process, not counted)")
        voter_file = data / "ncvoter_alder.txt"
        history = None if args.no_history else data / "ncvhis_alder.txt"
        with open(voter_file, "rb") as fh:
            rows = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b"")) - 1
        sizes = f"{voter_file.stat().st_size / 1e6:,.0f} MB" + (f" + {history.stat().st_size / 1e6:,.0f} MB history" if history else "")
        print(f"input: {rows:,} registrations ({sizes})")
        runs = {e: run_engine(e, tmp, voter_file, history, rows) for e in engines}
        if len(runs) == 2:
            (a, (ta, ma, oa)), (b, (tb, mb, ob)) = runs.items()
            print(f"\n{b} / {a} at {rows:,} voters, side by side in this run: time x{tb / ta:.2f}, "
                  f"peak memory x{mb / ma:.2f}")  # fmt: skip
            names = sorted(p.name for p in oa.iterdir() if p.suffix in (".csv", ".json"))
            same = [n for n in names if filecmp.cmp(oa / n, ob / n, shallow=False)]
            print(f"  the same bytes in {len(same)} of {len(names)} output files (CSV and JSON)"
                  + ("" if len(same) == len(names) else f" (different: {sorted(set(names) - set(same))})"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
