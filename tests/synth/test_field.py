"""The VAN contact history: schema, determinism, Green & Gerber calibration, truth joins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import data
from campaignlab.synth.field import (
    CONTACT_COLUMNS,
    RESULTS,
    SURVEY_RESPONSES,
    build_field,
    example_people,
    vanid_for,
)

CONTACTED = ["Canvassed", "Refused", "Moved"]


@pytest.fixture(scope="module")
def county():
    return example_people(40_000, seed=11)


@pytest.fixture(scope="module")
def field(county):
    people, voters = county
    return build_field(people, voters, np.random.default_rng(2026))


@pytest.fixture(scope="module")
def contacts(field):
    return field["van_contact_history.csv"]


def test_schema_and_types(contacts, field):
    assert list(contacts.columns) == CONTACT_COLUMNS
    assert contacts["Voter File VANID"].dtype == np.int64
    assert contacts["Voter File VANID"].between(100_000_000, 999_999_999).all()
    for col in CONTACT_COLUMNS[1:]:
        assert contacts[col].dtype == "str", col
    assert set(contacts["Contact Type"]) == {"Walk", "Phone", "SMS/Text"}
    assert set(contacts["Result"]) <= set(RESULTS)
    assert contacts["Date Canvassed"].str.fullmatch(r"\d\d/\d\d/2026").all()
    dates = pd.to_datetime(contacts["Date Canvassed"], format="%m/%d/%Y")
    assert dates.min() >= pd.Timestamp("2026-07-01") and dates.max() < pd.Timestamp("2026-11-03")
    assert dates.is_monotonic_increasing  # an export sorted by date
    assert contacts["Time Canvassed"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").all()
    assert contacts["Canvassed By"].str.fullmatch(r"[A-Z][^,]*, .+").all()
    assert sorted(field) == [
        "mobilize_event_attendance.csv", "truth/fabricated_shifts.csv", "truth/vanid_map.csv",
        "truth/volunteers.csv", "van_contact_history.csv",
    ]


def test_survey_only_when_canvassed(contacts):
    has = contacts["Survey Response"].notna()
    assert (contacts.loc[has, "Result"] == "Canvassed").all()
    assert set(contacts.loc[has, "Survey Response"]) == set(SURVEY_RESPONSES)
    assert (contacts.loc[has, "Survey Question Name"] == "Measure A Support").all()
    assert contacts.loc[~has, "Survey Question Name"].isna().all()
    asked = has[contacts["Result"] == "Canvassed"].mean()
    assert 0.85 < asked < 0.97


def test_deterministic(county, contacts):
    people, voters = county
    again = build_field(people, voters, np.random.default_rng(2026))["van_contact_history.csv"]
    pd.testing.assert_frame_equal(contacts, again)
    other = build_field(people, voters, np.random.default_rng(2027))["van_contact_history.csv"]
    assert not contacts.equals(other)


def test_does_not_mutate_inputs(county):
    people, voters = county
    before_p, before_v = people.copy(), voters.copy()
    build_field(people, voters, np.random.default_rng(1))
    pd.testing.assert_frame_equal(people, before_p)
    pd.testing.assert_frame_equal(voters, before_v)


def test_vanid_map_joins_to_voter_file(field, county):
    people, voters = county
    vmap = field["truth/vanid_map.csv"]
    contacts = field["van_contact_history.csv"]
    assert vmap["vanid"].is_unique and vmap["ncid"].is_unique
    assert set(vmap["ncid"]) <= set(voters["ncid"])
    assert contacts["Voter File VANID"].isin(vmap["vanid"]).all()
    joined = contacts.merge(vmap, left_on="Voter File VANID", right_on="vanid", validate="many_to_one")
    assert (joined["StateFileID"] == joined["ncid"]).all()
    # the VANID is a bijection of person_id
    assert vanid_for(vmap["person_id"]).tolist() == vmap["vanid"].tolist()
    assert len(np.unique(vanid_for(np.arange(1, 2_000_001)))) == 2_000_000


def test_door_contact_rate_green_gerber(contacts):
    walk = contacts[contacts["Contact Type"] == "Walk"]
    rate = walk["Result"].isin(["Canvassed", "Refused", "Moved", "Deceased"]).mean()
    assert 0.20 <= rate <= 0.30, f"door contact rate {rate:.3f}, G&G ~25%"


def test_phone_answer_and_bad_numbers(contacts):
    phone = contacts[contacts["Contact Type"] == "Phone"]
    answered = phone["Result"].isin(CONTACTED).mean()
    assert 0.18 <= answered <= 0.23, f"phone answer rate {answered:.3f}, G&G 18-23%"
    bad = phone.groupby("Voter File VANID")["Result"].agg(lambda r: r.isin(["Wrong Number", "Disconnected"]).any())
    assert 0.30 <= bad.mean() <= 0.40, f"bad numbers {bad.mean():.3f}, G&G 30-40%"
    # nobody is redialled after a wrong number or a conversation
    last = phone.groupby("Voter File VANID")["Result"].agg(list)
    stops = {"Wrong Number", "Disconnected", "Canvassed", "Refused", "Moved"}
    assert all(not (set(r[:-1]) & stops) for r in last)


def test_canvassers_make_about_12_attempts_an_hour(contacts):
    walk = contacts[contacts["Contact Type"] == "Walk"]
    minutes = walk["Time Canvassed"].str[:2].astype(int) * 60 + walk["Time Canvassed"].str[3:].astype(int)
    shifts = minutes.groupby([walk["Canvassed By"], walk["Date Canvassed"]]).agg(["count", "min", "max"])
    full = shifts[shifts["count"] >= 20]
    per_hour = full["count"] / ((full["max"] - full["min"] + 5) / 60)
    assert 10 <= per_hour.median() <= 14, per_hour.median()
    # a canvasser works one shift at a time: no two doors at once far apart
    assert (shifts["max"] - shifts["min"]).max() <= 10 * 60


def test_support_ids_are_noisy_reports_of_true_support(field, county):
    people, _ = county
    vmap = field["truth/vanid_map.csv"]
    ids = field["van_contact_history.csv"].dropna(subset=["Survey Response"])
    ids = ids.merge(vmap, left_on="Voter File VANID", right_on="vanid").merge(people[["person_id", "support"]], on="person_id")
    code = ids["Survey Response"].str[0].astype(int)
    means = ids.groupby(code)["support"].mean()
    assert means.is_monotonic_decreasing, means
    r = np.corrcoef(code, ids["support"])[0, 1]
    assert -0.85 < r < -0.4, f"IDs should track support, noisily (r={r:.2f})"


def test_targeting_looks_realistic(field, county):
    people, _ = county
    vmap = field["truth/vanid_map.csv"]
    touched = vmap[vmap["vanid"].isin(field["van_contact_history.csv"]["Voter File VANID"])]
    targets = people[people["person_id"].isin(touched["person_id"])]
    others = people[~people["person_id"].isin(touched["person_id"])]
    assert targets["support"].mean() > others["support"].mean() + 0.1
    # active voters only, but for the walk list's few voters removed since it was cut
    assert 0.0 < (targets["status"] == "R").mean() < 0.06
    assert targets["status"].isin(["A", "R"]).all()
    by_phone = field["van_contact_history.csv"].query("`Contact Type` != 'Walk'")["Voter File VANID"]
    phoned = people[people["person_id"].isin(vmap.loc[vmap["vanid"].isin(by_phone), "person_id"])]
    assert (phoned["status"] == "A").all()
    assert 0.15 < targets["turnout_2026"].mean() < 0.85
    attempts = field["van_contact_history.csv"].groupby("Voter File VANID").size()
    assert attempts.mean() > 1.3, "a real program makes several attempts per target"


@pytest.fixture(scope="module")
def real_world():
    """The canonical county's contact history and VAN ID map (generated if missing)."""
    return {
        "contacts": pd.read_csv(data.path("contacts"), dtype={"StateFileID": str}),
        "vanid_map": pd.read_csv(data.path("truth_vanid_map"), dtype={"ncid": str}),
        "voters": pd.read_csv(data.path("voters"), sep="\t", usecols=["ncid"], dtype=str),
    }


def test_real_county(real_world):
    """The field program of the canonical county (built on the full synthetic world)."""
    contacts, vmap = real_world["contacts"], real_world["vanid_map"]
    assert list(contacts.columns) == CONTACT_COLUMNS and len(contacts) > 100
    assert contacts["Voter File VANID"].isin(vmap["vanid"]).all()
    ids = contacts[["Voter File VANID", "StateFileID"]].merge(vmap, left_on="Voter File VANID", right_on="vanid")
    assert len(ids) == len(contacts) and (ids["StateFileID"] == ids["ncid"]).all()
    assert contacts["StateFileID"].isin(real_world["voters"]["ncid"]).all()
    walk = contacts[contacts["Contact Type"] == "Walk"]
    assert len(walk) > 1_000
    assert 0.17 <= walk["Result"].isin(["Canvassed", "Refused", "Moved", "Deceased"]).mean() <= 0.33


def test_small_and_empty_inputs():
    people, voters = example_people(30, seed=5)
    out = build_field(people, voters.iloc[:0], np.random.default_rng(0))
    assert len(out["van_contact_history.csv"]) == 0
    assert list(out["van_contact_history.csv"].columns) == CONTACT_COLUMNS
