"""The synthetic county matches the published figures it is calibrated to.

CPS Voting and Registration Supplements, Pew validated voters: see ``datasets/README.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab.synth import calibration as cal


def test_status_mix_matches_nc(voters):
    share = voters["status_cd"].value_counts(normalize=True)
    for code, expected in cal.STATUS_SHARES.items():
        assert share[code] == pytest.approx(expected, abs=0.002), code


def test_reason_codes_consistent_with_status(voters):
    for code, reasons in cal.REASONS.items():
        got = set(voters.loc[voters["status_cd"] == code, "reason_cd"])
        assert got <= {r[0] for r in reasons}, code


@pytest.mark.parametrize(
    ("column", "rate", "tol"),
    [("full_phone_number", cal.MISSING_PHONE, 0.02), ("birth_state", cal.MISSING_BIRTH_STATE, 0.015),
     ("middle_name", cal.MISSING_MIDDLE, 0.01), ("name_suffix_lbl", 1 - cal.SUFFIX_PRESENT, 0.01)],
)  # fmt: skip
def test_missing_rates(voters, column, rate, tol):
    assert voters[column].isna().mean() == pytest.approx(rate, abs=tol)


def test_removed_voters_have_removed_addresses(voters):
    removed = voters["status_cd"] == "R"
    assert (voters.loc[removed, "res_street_address"] == "REMOVED").all()
    assert voters.loc[removed, ["res_city_desc", "zip_code"]].isna().all().all()
    assert (voters.loc[~removed, "res_street_address"] != "REMOVED").all()


def _turnout(history, truth):
    """persons x past elections: eligible (truth) and voted (history)."""
    t = truth["turnout"].set_index("person_id")
    regs = truth["registrations"].set_index("ncid")["person_id"].astype(int)
    h = history.drop_duplicates(["ncid", "election_lbl"])
    voted = pd.crosstab(h["ncid"].map(regs), h["election_lbl"]).reindex(t.index, fill_value=0) > 0
    return t, voted


def test_turnout_by_election_matches_targets(history, truth):
    t, voted = _turnout(history, truth)
    for e in cal.PAST_ELECTIONS:
        eligible = t[e.column].notna()
        rate = voted.loc[eligible, e.lbl].mean()
        assert rate == pytest.approx(cal.TURNOUT_TARGETS[e.lbl], abs=0.02), e.desc
        # the truth probabilities themselves average to the target
        assert t.loc[eligible, e.column].mean() == pytest.approx(cal.TURNOUT_TARGETS[e.lbl], abs=0.01)


def test_turnout_by_age_follows_cps(history, truth):
    t, voted = _turnout(history, truth)
    birth = truth["people"].set_index("person_id")["birth_year"]
    age16 = 2016 - birth
    el = t["general_2016"].notna()
    young = voted.loc[el & (age16 < 30), "11/08/2016"].mean()
    old = voted.loc[el & (age16 >= 65), "11/08/2016"].mean()
    assert young == pytest.approx(0.461, abs=0.04)  # CPS 2016 18-29
    assert old == pytest.approx(0.709, abs=0.04)  # CPS 2016 65+
    age20 = 2020 - birth
    el = t["general_2020"].notna()
    assert voted.loc[el & (age20 < 25), "11/03/2020"].mean() == pytest.approx(0.514, abs=0.05)
    assert voted.loc[el & age20.between(65, 74), "11/03/2020"].mean() == pytest.approx(0.760, abs=0.04)


def test_homeowners_vote_more_in_2022(history, truth):
    t, voted = _turnout(history, truth)
    owner = truth["people"].set_index("person_id")["homeowner"]
    el = t["general_2022"].notna()
    gap = voted.loc[el & owner, "11/08/2022"].mean() - voted.loc[el & ~owner, "11/08/2022"].mean()
    assert 0.10 <= gap <= 0.35  # CPS 2022: 58.1% vs 36.5%


def test_past_votes_predict_future_votes(history, truth):
    """Habit: 'voted k of n' predicts, and Pew's at-least-once / all-three shares are plausible."""
    t, voted = _turnout(history, truth)
    gens = ["11/06/2018", "11/03/2020", "11/08/2022"]
    el = t[["general_2018", "general_2020", "general_2022"]].notna().all(axis=1)
    v = voted.loc[el, gens]
    assert 0.60 <= v.any(axis=1).mean() <= 0.85  # Pew: 70% at least once
    assert 0.28 <= v.all(axis=1).mean() <= 0.50  # Pew: 37% all three
    k = v.sum(axis=1)
    later = voted.loc[el, "11/05/2024"]
    rates = later.groupby(k).mean()
    assert rates.is_monotonic_increasing and rates[3] - rates[0] > 0.4


def test_vendor_scores_are_noisy_truth(synth_county, truth):
    vendor = pd.read_csv(synth_county[0] / "vendor_scores.csv", dtype={"ncid": str})
    scores = vendor.drop(columns="ncid")
    assert scores.apply(lambda c: c.between(0, 100)).all().all()
    assert ((scores * 10).round() == scores * 10).all().all()  # one decimal
    person = vendor["ncid"].map(truth["registrations"].set_index("ncid")["person_id"].astype(int))
    true26 = person.map(truth["people"].set_index("person_id")["turnout_2026"])
    corr = np.corrcoef(vendor["turnout_midterm"], true26)[0, 1]
    assert 0.6 < corr < 0.99  # informative, but not the truth


def test_duplicate_rate(truth, voters):
    regs = truth["registrations"]
    rate = regs["duplicate_of"].notna().mean()
    assert rate == pytest.approx(cal.DUPLICATE_RATE / (1 + cal.DUPLICATE_RATE), abs=0.002)
    assert len(regs) == len(voters)
    assert regs["person_id"].nunique() == len(truth["people"])


def test_people_schema_for_field_and_digital(truth):
    p = truth["people"]
    assert p["person_id"].is_unique and p["ncid"].str.startswith("AL").all()
    assert set(p["sex"]) <= {"F", "M", "U"} and set(p["party"]) <= {"DEM", "REP", "UNA", "LIB", "GRE"}
    assert p["support"].between(0, 1).all() and p["turnout_2026"].between(0, 1).all()
    assert np.isclose(p["support"].mean(), 0.5, atol=0.15)


def test_registrations_by_age_follow_the_age_bands(voters):
    """Grown children living with parents must not inflate the young (a bug this test caught)."""
    ages = pd.to_numeric(voters["birth_year"]).rsub(cal.YEAR_END)
    ages = ages[ages.between(18, 99)]
    edges = [b[0] for b in cal.AGE_BANDS] + [cal.AGE_BANDS[-1][1] + 1]
    got = np.histogram(ages, bins=edges)[0] / len(ages)
    for (lo, hi, share), seen in zip(cal.AGE_BANDS, got, strict=True):
        assert seen == pytest.approx(share, abs=0.015), f"ages {lo}-{hi}: {seen:.3f} vs {share}"


def test_unaffiliated_registration_falls_with_age(voters):
    """The young register unaffiliated far more often than the old; county-wide shares stay on target."""
    ages = pd.to_numeric(voters["birth_year"]).rsub(cal.YEAR_END)
    ok = ages.between(18, 99)
    edges = [b[0] for b in cal.AGE_BANDS] + [cal.AGE_BANDS[-1][1] + 1]
    band = pd.cut(ages[ok], bins=edges, right=False, labels=False)
    una = (voters.loc[ok, "party_cd"] == "UNA").groupby(band).mean()
    for b, expected in enumerate(cal.UNA_BY_AGE):
        assert una[b] == pytest.approx(expected, abs=0.035), f"band {cal.AGE_BANDS[b]}: {una[b]:.3f}"
    assert una[0] - una[len(cal.UNA_BY_AGE) - 1] > 0.2
    share = voters["party_cd"].value_counts(normalize=True)
    for party, expected in cal.PARTY_SHARES.items():
        assert share.get(party, 0) == pytest.approx(expected, abs=0.015), party
