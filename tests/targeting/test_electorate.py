import pandas as pd
import pytest

from campaignlab import targeting


def test_rules(voters):
    before = voters.copy()
    out, report = targeting.eligible_at(voters, "2022-11-08")
    pd.testing.assert_frame_equal(voters, before)  # the input is never modified
    # on the deadline day counts; the day after does not; unknown dates stay; under 18, R, D leave
    assert out["ncid"].tolist() == ["AL1", "AL2", "AL4", "AL5"]
    assert out["registration_date_unknown"].tolist() == [False, False, True, True]
    assert report.rows_in == report.rows_kept + report.rows_set_aside == len(voters)
    assert report.reasons == {
        "registered after the deadline 10/14/2022": 1,
        "under 18 in 2022": 1,
        "removed (cannot vote; removal date unknown)": 1,
        "denied (never registered)": 1,
    }
    assert report.flags["inactive (still registered: kept, flagged)"] == 1
    assert report.flags["registration date unknown (kept, flagged)"] == 2


def test_unknown_dates_can_be_left_out(voters):
    out, report = targeting.eligible_at(voters, "2022-11-08", unknown_dates="exclude")
    assert out["ncid"].tolist() == ["AL1", "AL2"]
    assert report.reasons["registration date unknown (left out)"] == 2


def test_municipal_residents_only(voters):
    out, report = targeting.eligible_at(voters, "2023-11-07", municipality="municipality_abbrv")
    assert "AL2" not in set(out["ncid"]) and "AL5" not in set(out["ncid"])
    assert report.reasons["not a resident of a municipality"] == 2


def test_turning_18_in_the_year_counts(voters):
    out, _ = targeting.eligible_at(voters, "2023-11-07")  # AL6, born 2005, is 18 in 2023
    assert "AL6" in set(out["ncid"])


def test_dates_already_parsed_and_other_deadline(voters):
    v = voters.assign(reg=pd.to_datetime(voters["registr_dt"], format="%m/%d/%Y", errors="coerce"))
    out, _ = targeting.eligible_at(v, "2022-11-08", registration="reg", deadline_days=30, status=None)
    assert "AL2" not in set(out["ncid"])  # 10/14 is after a 30-day deadline (10/09)
    assert {"AL7", "AL8"} <= set(out["ncid"])  # without a status column nobody is set aside for it


def test_bad_option(voters):
    with pytest.raises(ValueError, match="unknown_dates"):
        targeting.eligible_at(voters, "2022-11-08", unknown_dates="drop")
