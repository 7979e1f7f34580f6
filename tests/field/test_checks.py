"""campaignlab.field.checks: a fabricated shift stands out against its turf; honest chance is measured."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from campaignlab import field


def _shift(n: int, shift: str, turf: str, contacts: int, *, seconds: int = 300, answer=None, start: str = "10:00",
           ids_prefix: str = "AL") -> list[dict]:
    rows = []
    t0 = pd.Timestamp(f"2026-09-12 {start}")
    for i in range(n):
        hit = i < contacts
        rows.append({"Contact Type": "Walk", "Shift ID": shift, "Turf Name": turf, "Canvassed By": shift[-5:],
                     "StateFileID": f"{ids_prefix}{shift[-5:]}{i:03d}",
                     "Date Created": (t0 + pd.Timedelta(seconds=seconds * i)).strftime("%m/%d/%Y %H:%M:%S"),
                     "Result": "Canvassed" if hit else "Not Home",
                     "Survey Response": (answer or f"{1 + i % 5} - x") if hit else None})
    return rows


def _program(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(40):
        turf = f"P{s % 4:02d}-01"
        rows += _shift(36, f"W-20260912-1000-{s:05d}", turf, int(rng.binomial(36, 0.25)))
    return pd.DataFrame(rows)


def test_binomial_tail_is_scipys_survival_function():
    assert field.binomial_tail(7, 20, 0.25) == pytest.approx(stats.binom.sf(6, 20, 0.25))
    assert field.binomial_tail(0, 20, 0.25) == 1.0


def test_knock_gaps_median_ignores_voters_behind_one_door():
    rows = pd.DataFrame(_shift(10, "W-1", "T", 2))
    rows.loc[3, "Date Created"] = rows.loc[2, "Date Created"]  # two voters at one door
    gaps = field.knock_gaps(rows)
    assert gaps.loc["W-1", "median_gap_s"] == 300
    assert gaps.loc["W-1", "attempts"] == 10


def test_a_planted_shift_is_the_only_suspect():
    honest = _program()
    fake = pd.DataFrame(_shift(36, "W-20260912-1000-99999", "P00-01", 30, seconds=20, answer="1 - Strong Yes"))
    fake.loc[0, "StateFileID"] = "ALGONE"
    checks = field.shift_checks(pd.concat([honest, fake], ignore_index=True), removed=["ALGONE"])
    row = checks.loc["W-20260912-1000-99999"]
    assert row["reasons"] == "rapid;inflated;identical;removed"
    assert row["turf_contact_rate"] < 0.4  # the turf's other shifts set the bar, not the fake one
    assert checks["suspect"].sum() == 1


def test_honest_shifts_raise_few_false_alarms():
    """Holm over 40 honest shifts: a lucky shift is not called a suspect at alpha 0.01."""
    checks = field.shift_checks(_program(seed=11))
    assert checks["suspect"].sum() == 0
    assert checks["p_contacts"].min() < 0.2  # some shifts do look lucky before the adjustment


def test_a_turf_with_one_shift_uses_the_programs_rate():
    rows = pd.DataFrame(_program().to_dict("records") + _shift(36, "W-20260913-1000-55555", "P99-01", 9))
    checks = field.shift_checks(rows)
    assert checks.loc["W-20260913-1000-55555", "turf_contact_rate"] == pytest.approx(
        checks.drop(index="W-20260913-1000-55555")["contacts"].sum()
        / checks.drop(index="W-20260913-1000-55555")["attempts"].sum())


def test_shift_checks_does_not_modify_its_input():
    rows = _program()
    before = rows.copy()
    field.shift_checks(rows)
    pd.testing.assert_frame_equal(rows, before)


def test_identical_answers_are_judged_against_the_turfs_answers():
    """Five Strong Yes in a row is ordinary where nearly everyone says Strong Yes, and rare where few do."""
    rows = []
    for s in range(10):
        rows += _shift(20, f"W-20260912-1000-{s:05d}", "P00-01", 5, answer="1 - Strong Yes")
        rows += _shift(20, f"W-20260912-1000-{s + 10:05d}", "P01-01", 5, answer=None if s < 9 else "1 - Strong Yes")
    checks = field.shift_checks(pd.DataFrame(rows))
    assert checks.loc["W-20260912-1000-00000", "top_answer_share"] == 1.0
    assert checks.loc["W-20260912-1000-00019", "top_answer_share"] == 1.0
    assert checks.loc["W-20260912-1000-00000", "p_identical"] > 0.5       # a Strong Yes turf: no surprise
    assert not checks.loc["W-20260912-1000-00000", "identical"]
    assert checks.loc["W-20260912-1000-00019", "p_identical"] < 0.01      # answers there run 1-5: 5 x 0.2 ** 5
    assert checks.loc["W-20260912-1000-00019", "identical"]
