"""On the canonical county: the toolkit's electorate gives turnouts close to the truth."""

import pandas as pd
import pytest

from campaignlab import data, targeting


@pytest.fixture(scope="module")
def county():
    v = pd.read_csv(data.path("voters"), sep="\t", dtype=str,
                    usecols=["ncid", "status_cd", "registr_dt", "birth_year", "municipality_abbrv"])
    h = pd.read_csv(data.path("history"), sep="\t", dtype=str, usecols=["ncid", "election_lbl", "election_desc"])
    regs = pd.read_csv(data.path("truth_registrations"), dtype=str, usecols=["ncid", "person_id"])
    truth = pd.read_csv(data.path("truth_turnout"), dtype={"person_id": str})
    return v, h, regs.merge(truth, on="person_id").set_index("ncid")


@pytest.mark.parametrize("lbl,column", [("11/08/2016", "general_2016"), ("11/06/2018", "general_2018"),
                                        ("11/03/2020", "general_2020"), ("11/08/2022", "general_2022"),
                                        ("11/05/2024", "general_2024")])  # fmt: skip
def test_general_turnout_matches_truth(county, lbl, column):
    v, h, truth = county
    electorate, report = targeting.eligible_at(v, pd.to_datetime(lbl, format="%m/%d/%Y"))
    voted = electorate["ncid"].isin(h.loc[h["election_lbl"] == lbl, "ncid"])
    expected = truth[column].reindex(electorate["ncid"])
    # nearly everyone the rules let in was really eligible, and turnout is what the truth expects
    assert expected.notna().mean() > 0.99, report
    assert abs(voted.mean() - expected.mean()) < 0.015
    assert abs(voted.mean() - truth[column].mean()) < 0.02  # the whole true electorate, removed voters too


def test_propensity_rises_and_features_are_before_the_target(county):
    v, h, _ = county
    electorate, _ = targeting.eligible_at(v, "2022-11-08")
    f, report = targeting.history_features(h, "2022-11-08", voters=electorate["ncid"])
    assert all("11/08/2022" not in n.split(": ")[1] for n in report.notes)
    voted = pd.Series(f.index.isin(h.loc[h["election_lbl"] == "11/08/2022", "ncid"]), index=f.index)
    table = targeting.propensity_table(f["generals"], voted)
    assert table.index.tolist() == [0, 1, 2, 3] and table["turnout"].is_monotonic_increasing
    assert table["voters"].sum() == len(electorate)
    score = targeting.rule_score(f)
    assert 0.6 < targeting.capture(score, voted, 0.5) < 0.85
