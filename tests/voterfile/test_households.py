import pandas as pd
import pytest

from campaignlab import data
from campaignlab.voterfile import (
    assign_households,
    normalize_address,
    normalize_zip,
    read_voter_file,
)


def test_assign_households(voters, run_pure):
    v, _ = normalize_address(voters)
    v, _ = normalize_zip(v)
    out, report = run_pure(assign_households, v, max_size=2)
    by = out.set_index("ncid")
    # 12 OAK ST has 3 registrations (> max_size=2): group quarters, one household each
    assert by.loc["AL1", "household_id"] != by.loc["AL2", "household_id"]
    assert by.loc["AL1", "household_issue"].startswith("group quarters")
    assert by.loc["AL4", "household_id"] != by.loc["AL5", "household_id"]  # APT 2 vs APT 1
    assert pd.isna(by.loc["AL6", "household_id"]) and by.loc["AL6", "household_issue"] == "no residential address"
    out, _ = assign_households(v)  # default max_size: the three at 12 OAK ST share one
    by = out.set_index("ncid")
    assert by.loc["AL1", "household_id"] == by.loc["AL2", "household_id"] == by.loc["AL3", "household_id"]
    assert by.loc["AL1", "household_size"] == 3


def test_bad_input():
    with pytest.raises(KeyError, match="normalize_address|address_std"):
        assign_households(pd.DataFrame({"res_street_address": ["1 OAK ST"]}))
    with pytest.raises(ValueError, match="max_size"):
        assign_households(pd.DataFrame({"address_std": ["1"], "zip5": ["1"]}), max_size=0)


def test_households_against_truth():
    """Pairs of primary registrations put in one household really live together (>= 0.95)."""
    voters, _ = read_voter_file(data.path("voters"))
    v, _ = normalize_address(voters)
    v, _ = normalize_zip(v)
    out, _ = assign_households(v)
    regs = pd.read_csv(data.path("truth_registrations"), dtype=str)
    people = pd.read_csv(data.path("truth_people"), dtype={"person_id": str}, usecols=["person_id", "household_id"])
    prim = regs[regs["duplicate_of"].isna()].merge(people, on="person_id")
    t = out.merge(prim[["ncid", "household_id"]].rename(columns={"household_id": "true_hh"}), on="ncid")
    t = t[t["household_id"].notna() & t["household_issue"].isna()]
    pairs = t.groupby("household_id")["true_hh"].agg(lambda s: (len(s) * (len(s) - 1) // 2, s.value_counts().map(lambda n: n * (n - 1) // 2).sum()))
    total = sum(p[0] for p in pairs)
    same = sum(p[1] for p in pairs)
    print(f"\nhouseholds: {same}/{total} voter pairs put together really share a household ({same / total:.3f})")
    assert same / total >= 0.95
