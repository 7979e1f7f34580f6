"""The randomized 2024 GOTV canvass experiment: design, truth, and the votes it changed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import data
from campaignlab.synth import COMPONENTS, core_world, streams, writer
from campaignlab.synth import experiment as ex
from campaignlab.synth.history import build_history

from .conftest import SEED, VOTERS


@pytest.fixture(scope="module")
def exp(synth_county):
    out = synth_county[0]
    table = pd.read_csv(out / data.FILES["canvass_experiment"], dtype=str, keep_default_na=False, na_values=[""])
    truth = pd.read_csv(out / data.FILES["truth_canvass_experiment"], dtype={"ncid": str})
    return table, truth


@pytest.fixture(scope="module")
def core():
    return core_world(SEED, VOTERS)


def test_columns_and_codes(exp):
    table, truth = exp
    assert list(table.columns) == ex.EXPERIMENT_COLUMNS
    assert list(truth.columns) == ex.TRUTH_COLUMNS
    assert table["ncid"].is_unique and set(table["ncid"]) == set(truth["ncid"])
    assert set(table["assignment"]) == {"treatment", "control"}
    assert set(table["attempted"]) == set(table["contacted"]) == {"Y", "N"}
    assert table["household_key"].str.fullmatch(r"HH\d{6}").all()
    dates = pd.to_datetime(table["canvass_date"], format="%m/%d/%Y")
    assert table["canvass_date"].notna().eq(table["attempted"] == "Y").all()
    assert dates.min() >= pd.Timestamp("2024-10-05") and dates.max() <= pd.Timestamp("2024-11-03")
    assert (dates.dropna().dt.day_of_week >= 5).all()  # weekend canvass


def test_same_seed_same_experiment():
    a = core_world(3, 2_000).experiment
    b = core_world(3, 2_000).experiment
    for name in a.files:
        pd.testing.assert_frame_equal(a.files[name], b.files[name])
    np.testing.assert_array_equal(a.prob, b.prob)
    other = core_world(4, 2_000).experiment.files["canvass_experiment_2024.csv"]
    assert not other.equals(a.files["canvass_experiment_2024.csv"])


def test_universe_is_eligible_households_without_institutions(exp, truth):
    table, t = exp
    people = truth["people"].set_index("person_id")
    assert people.loc[t["person_id"], "special"].isna().all()  # no dorm or nursing home
    p0 = truth["turnout"].set_index("person_id").loc[t["person_id"], "general_2024"].to_numpy()
    np.testing.assert_allclose(t["p0"], p0)  # the truth file keeps the probability without the canvass
    eligible = truth["turnout"].loc[truth["turnout"]["general_2024"].notna(), "person_id"]
    outside = people.loc[people.index.isin(eligible) & people["special"].isna()]
    assert set(outside.index) == set(t["person_id"])


def test_randomised_by_household_and_balanced(exp):
    table, truth = exp
    hh = table.groupby("household_key")["assignment"].agg(["nunique", "first"])
    assert (hh["nunique"] == 1).all()  # one arm per household
    counts = hh["first"].value_counts()
    assert abs(counts["treatment"] - counts["control"]) <= 1
    df = table.merge(truth, on="ncid")
    for col in ("p0", "tau"):  # covariates balanced: standardized difference below 0.05
        g = df.groupby("assignment")[col].mean()
        assert abs(g["treatment"] - g["control"]) / df[col].std() < 0.05, col


def test_contact_rates(exp):
    table, _ = exp
    treated = table[table["assignment"] == "treatment"]
    control = table[table["assignment"] == "control"]
    assert (control["attempted"] == "N").all() and (control["contacted"] == "N").all()
    assert ((table["contacted"] == "Y") <= (table["attempted"] == "Y")).all()
    attempted_hh = treated.drop_duplicates("household_key")["attempted"].eq("Y").mean()
    assert 0.85 < attempted_hh < 0.95
    contact = treated["contacted"].eq("Y").mean()
    assert 0.20 < contact < 0.30  # G&G: door contact ~25%


def test_true_effects(exp):
    table, truth = exp
    assert truth["tau_low_salience"].mean() == pytest.approx(ex.VOTES_PER_CONTACT_LOW, abs=5e-4)  # 1 per 14
    ratio = truth["tau"].sum() / truth["tau_low_salience"].sum()
    assert ratio == pytest.approx(ex.SALIENCE_2024, abs=1e-3)
    assert 0.24 <= ex.SALIENCE_2024 <= 0.67  # Mann & Haenschen: 33-76% smaller
    assert (truth["tau"] >= 0).all() and (truth["p0"] + truth["tau"] <= 1).all()
    df = table.merge(truth, on="ncid")
    per_contact = df.loc[df["contacted"] == "Y", "tau"].mean()
    assert 0.02 < per_contact < 0.045
    mid = df["p0"].between(0.35, 0.65)
    assert df.loc[mid, "tau"].mean() > 2 * df.loc[df["p0"] > 0.95, "tau"].mean()  # mid-propensity most


def test_votes_change_only_for_contacted_treated_voters(core, synth_county, exp, tmp_path):
    table, truth = exp
    kw = dict(rows=core.turnout.row, people=core.people, reg=core.reg_text)
    without, _, _ = build_history(core.turnout.prob, rng=streams(SEED)["history"], **kw)
    noop, _, _ = build_history(core.turnout.prob, rng=streams(SEED)["history"], baseline=core.turnout.prob, **kw)
    assert noop.equals(without)  # a program that changes nothing changes no row
    written = pd.read_csv(synth_county[0] / "ncvhis_alder.txt", sep="\t", dtype=str)
    writer.write(without, tmp_path / "without.txt", delimiter="\t")
    before = pd.read_csv(tmp_path / "without.txt", sep="\t", dtype=str)
    merged = written.merge(before, how="outer", indicator=True)
    assert (merged["_merge"] != "right_only").all()  # no vote lost
    added = merged[merged["_merge"] == "left_only"]
    assert len(added) > 0
    assert (added["election_lbl"] == "11/05/2024").all()
    contacted = set(table.loc[table["contacted"] == "Y", "ncid"])
    assert set(added["ncid"]) <= contacted
    # about as many added votes as the true effects say (a sum of Bernoullis: 5 sd)
    d = table.merge(truth, on="ncid")
    c = d[d["contacted"] == "Y"]
    expected = c["tau"].sum()  # each contacted voter adds a vote with probability tau
    assert abs(len(added) - expected) < 5 * np.sqrt(expected) + 1, (len(added), expected)


def test_other_streams_untouched():
    new = streams(SEED)
    last = COMPONENTS.index("experiment")  # later components (ads) were appended after it
    old = np.random.SeedSequence(SEED).spawn(last)
    for name, seq in zip(COMPONENTS[:last], old, strict=True):
        assert new[name].random(4).tolist() == np.random.default_rng(seq).random(4).tolist(), name
