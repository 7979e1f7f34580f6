"""Benchmark: the module's turnout model, features to scores, on a generated county (issue 13).

Run:  .venv/bin/python bench/bench_turnout_model.py [--voters 1000000] [--seed 2026]

1. Generates a county of ``--voters`` registrations with ``campaignlab.synth.generate`` in a
   child process, into a temporary folder (the same generation as bench_voterfile.py; not timed).
2. In this process, as lesson 3 does: reads the voter file and the history, builds the features
   known before the 11/05/2024 general (``targeting.turnout_features``) and who voted
   (``targeting.voted_in``), splits the electorate in halves, fits ``targeting.turnout_pipeline()``
   on one half and scores the other, then scores the whole electorate.
3. Prints each step's wall time, this process's peak memory (maximum resident set size, from
   ``resource.getrusage``), and the model's AUC and ECE on the test half beside the oracle's
   (the world's true probabilities) on the same voters.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_voterfile import generate_in_child  # the same county generation, in a child process
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from campaignlab import targeting

ELECTION = "2024-11-05"
VOTER_COLUMNS = ["ncid", "status_cd", "registr_dt", "birth_year", "party_cd", "gender_code", "precinct_abbrv"]


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="campaignlab-bench-model-"))
    try:
        gen = generate_in_child(tmp / "data", args.voters, args.seed)
        folder = tmp / "data"
        print(f"generated {args.voters:,} registrations in {gen:.1f} s (child process, not counted)")

        times: dict[str, float] = {}

        def step(name, fn):
            t0 = time.perf_counter()
            out = fn()
            times[name] = time.perf_counter() - t0
            return out

        voters = step("read voter file (7 columns)", lambda: pd.read_csv(
            folder / "ncvoter_alder.txt", sep="\t", dtype=str, usecols=VOTER_COLUMNS))  # fmt: skip
        history = step("read history (3 columns)", lambda: pd.read_csv(
            folder / "ncvhis_alder.txt", sep="\t", dtype=str, usecols=["ncid", "election_lbl", "election_desc"]))  # fmt: skip
        features, _ = step("turnout_features (2024 electorate)",
                           lambda: targeting.turnout_features(voters, history, ELECTION))
        voted = step("voted_in", lambda: targeting.voted_in(history, ELECTION, features.index))
        X_train, X_test, y_train, y_test = train_test_split(features, voted, test_size=0.5, random_state=2024,
                                                            stratify=voted)  # fmt: skip
        model = step("fit the pipeline (training half)", lambda: targeting.fit_turnout_model(X_train, y_train))
        test_chance = step("score the test half", lambda: targeting.score_turnout(model, X_test))
        step("score the whole electorate", lambda: targeting.score_turnout(model, features))
        quality = step("evaluate (AUC, Brier, ECE, gains)", lambda: (
            targeting.score_quality(y_test, test_chance), targeting.gains_table(y_test, test_chance)))[0]  # fmt: skip

        regs = pd.read_csv(folder / "truth" / "registrations.csv", dtype=str, usecols=["ncid", "person_id"])
        truth = pd.read_csv(folder / "truth" / "turnout_probability.csv", dtype={"person_id": str},
                            usecols=["person_id", "general_2024"])  # fmt: skip
        oracle = regs.merge(truth, on="person_id").set_index("ncid")["general_2024"].reindex(X_test.index)
        known = oracle.notna().to_numpy()
        auc_model = roc_auc_score(y_test[known], test_chance[known])
        auc_oracle = roc_auc_score(y_test[known], oracle[known])

        print(f"\nturnout model on {args.voters:,} registrations: {len(features):,} could vote on 11/05/2024 "
              f"(turnout {voted.mean():.1%}); fit on {len(X_train):,}, judged on {len(X_test):,}")  # fmt: skip
        for name, sec in times.items():
            print(f"  {sec:7.1f} s  {name}")
        total = sum(times.values())
        print(f"  {total:7.1f} s  total (reading included)   peak RSS {peak_rss_gb():.2f} GB "
              f"({peak_rss_gb() * 1024 / args.voters * 1000:.2f} MB per 1,000 registrations)")  # fmt: skip
        print(f"  AUC on the test half: model {auc_model:.3f}, oracle {auc_oracle:.3f} "
              f"(gap {auc_oracle - auc_model:.3f}; model reached {(auc_model - 0.5) / (auc_oracle - 0.5):.0%} "
              f"of the achievable) · model ECE {quality['ece']:.4f} · Brier {quality['brier']:.4f}")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
