"""Support IDs, universe tiers, votes gained and walk packets (campaignlab.targeting.universes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import targeting
from campaignlab.targeting.universes import (
    canvass_plan,
    cut_turf,
    support_ids,
    tier_universes,
    votes_gained,
)


@pytest.fixture
def contacts() -> pd.DataFrame:
    """A VAN contact history: re-IDs, a not-home, another question, a late answer, junk."""
    rows = [
        ("AL1", "07/12/2026", "10:05", "Canvassed", "Measure A Support", "3 - Undecided"),
        ("AL1", "09/20/2026", "13:40", "Canvassed", "Measure A Support", "1 - Strong Yes"),
        ("AL1", "09/20/2026", "09:00", "Canvassed", "Measure A Support", "4 - Lean No"),   # earlier that day
        ("AL2", "08/01/2026", "11:00", "Not Home", None, None),
        ("AL3", "08/02/2026", "11:30", "Canvassed", "Volunteer?", "1 - Yes"),
        ("AL4", "10/20/2026", "12:00", "Canvassed", "Measure A Support", "2 - Lean Yes"),
        ("AL5", "08/03/2026", "12:00", "Canvassed", "Measure A Support", "Maybe"),
        ("AL6", "08/04/2026", "12:00", "Canvassed", "Measure A Support", "5 - Strong No"),
    ]
    cols = ["StateFileID", "Date Canvassed", "Time Canvassed", "Result", "Survey Question Name", "Survey Response"]
    return pd.DataFrame(rows, columns=cols).astype("str")


def test_support_ids_latest_answer_wins(contacts):
    before = contacts.copy()
    ids, report = support_ids(contacts)
    pd.testing.assert_frame_equal(contacts, before)  # input untouched
    assert ids["support_id"].to_dict() == {"AL1": 1, "AL4": 2, "AL6": 5}
    assert ids.loc["AL1", "support_label"] == "Strong Yes"
    assert report.rows_in == report.rows_kept + report.rows_set_aside
    assert report.reasons == {"no survey response (not reached, or not asked)": 1,
                              "another survey question (not 'Measure A Support')": 1,
                              "survey response not 1-5": 1}
    assert report.changes["earlier answers replaced by a voter's latest"] == 2


def test_support_ids_as_of_cuts_later_answers(contacts):
    ids, report = support_ids(contacts, as_of="2026-10-11")
    assert "AL4" not in ids.index
    assert report.reasons["answer after 10/11/2026"] == 1


def test_support_ids_names_missing_columns():
    with pytest.raises(KeyError, match="Survey Response"):
        support_ids(pd.DataFrame({"StateFileID": ["AL1"], "Date Canvassed": ["07/01/2026"]}),
                    time=None, question_column=None)


@pytest.fixture
def scored() -> pd.DataFrame:
    return pd.DataFrame({
        "ncid": ["AL1", "AL2", "AL3", "AL4", "AL5", "AL6", "AL7", "AL8", "AL9"],
        "status_cd": ["A", "A", "I", "A", "R", "D", "A", "I", "A"],
        "turnout_score": [0.25, 0.70, 0.5, 0.95, 0.5, 0.5, 0.1, 0.6, np.nan],
        "support_id": [2, 1, 1, 3, 1, 1, 1, 3, 1],
    })


def test_tier_universes_edges_and_status(scored):
    before = scored.copy()
    tiers, report = tier_universes(scored)
    pd.testing.assert_frame_equal(scored, before)
    got = dict(zip(tiers["ncid"], tiers["universe"], strict=True))
    assert got == {"AL1": "gotv", "AL2": "not targeted", "AL3": "gotv", "AL4": "persuasion",
                   "AL7": "not targeted", "AL8": "not targeted", "AL9": "not targeted"}
    assert tiers.set_index("ncid")["inactive"].to_dict()["AL3"]  # inactive kept, flagged
    assert report.reasons == {"removed (cannot vote)": 1, "denied (never registered)": 1}
    assert report.flags["no turnout score (in neither GOTV nor persuasion)"] == 1


def test_tier_universes_refuses_a_0_100_score(scored):
    with pytest.raises(ValueError, match="divided by 100"):
        tier_universes(scored.assign(turnout_score=scored["turnout_score"] * 100))


def test_votes_gained_counts_contacts_not_doors():
    assert votes_gained(1400, contact_rate=1.0) == 100.0
    assert votes_gained(1400, contact_rate=0.25) == 25.0
    # a second pass only reaches those the first missed; contacts never exceed the universe
    assert votes_gained(2000, universe_size=1000, contact_rate=0.5, round_to=None) == pytest.approx(750 / 14)
    assert votes_gained(10**6, universe_size=1000, contact_rate=0.5, round_to=None) <= 1000 / 14
    assert votes_gained(0, universe_size=0) == 0.0
    with pytest.raises(ValueError):
        votes_gained(100, contact_rate=25)


def test_canvass_plan_range_is_ordered():
    plan = canvass_plan({"gotv": 2000, "persuasion": 300}, shifts=50)
    assert (plan["votes_low"] <= plan["votes_typical"]).all() and (plan["votes_typical"] <= plan["votes_high"]).all()
    assert plan.loc["gotv", "attempts"] == 50 * targeting.DOORS_PER_SHIFT
    assert plan.loc["persuasion", "contacts_typical"] <= 300


def test_cut_turf_keeps_a_door_in_one_packet():
    walked = pd.DataFrame({"precinct_abbrv": ["01"] * 4 + ["02"], "walk_stop": pd.array([1, 2, 2, pd.NA, 1], dtype="Int64")})
    out = cut_turf(walked, doors_per_packet=1)
    assert out["packet"].tolist()[:3] == [1, 2, 2] and pd.isna(out["packet"].iloc[3]) and out["packet"].iloc[4] == 1
    assert "packet" not in walked.columns
    with pytest.raises(ValueError):
        cut_turf(walked, 0)
