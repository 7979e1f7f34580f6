"""campaignlab.field.volunteers: shows and flakes over past sign-ups, returns, retention, sign-ups needed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import field


def _signups() -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": [1, 1, 1, 2, 2, 3, 4, 4],
        "timeslot_start": ["2026-09-01 10:00:00", "2026-09-08 10:00:00", "2026-09-15 10:00:00",
                           "2026-09-02 14:00:00", "2026-10-08 10:00:00", "2026-09-03 17:30:00",
                           "2026-09-30 10:00:00", "2026-09-20 10:00:00"],
        "status": ["CONFIRMED", "CONFIRMED", "CANCELLED", "CONFIRMED", "REGISTERED", "REGISTERED",
                   "CONFIRMED", "REGISTERED"],
        "attended": ["True", "True", "False", "True", None, "False", "True", "False"],
        "confirmation_channel": ["call", "call", "text", "text", None, "none", "email", "none"],
    })  # fmt: skip


def test_flakes_are_counted_over_past_signups_and_the_future_is_set_aside():
    s = _signups()
    before = s.copy()
    table, report = field.shift_outcomes(s, by="confirmation_channel")
    pd.testing.assert_frame_equal(s, before)  # pure
    assert report.rows_in == report.rows_kept + report.rows_set_aside == len(s)
    assert report.reasons == {field.volunteers.FUTURE: 1}
    assert table["sign_ups"].sum() == 7
    assert (table["flakes"] == table["cancelled"] + table["no_shows"]).all()
    assert table.loc["none", "flake_rate"] == 1.0 and table.loc["call", "flake_rate"] == 0.0
    assert table.loc["text", "cancelled"] == 1 and table.loc["text", "flake_rate"] == 0.5


def test_attended_read_as_text_is_not_truthy():
    flags = field.attended_flags(pd.Series(["False", "FALSE", "no", "0", "", None]))
    assert flags.iloc[:4].tolist() == [False] * 4 and flags.iloc[4:].isna().all()


def test_shift_numbers_and_next_shift_follow_time_not_file_order():
    w = field.worked_shifts(_signups())
    one = w[w["user_id"] == 1]
    assert one["shift_number"].tolist() == [1, 2]
    assert one["next_start"].iloc[0] == pd.Timestamp("2026-09-08 10:00:00") and pd.isna(one["next_start"].iloc[1])
    assert len(w) == 4 and set(w["user_id"]) == {1, 2, 4}


def test_return_rates_leave_out_shifts_too_recent_to_be_followed():
    s = _signups()
    r = field.return_rates(s, "2026-10-05", min_days=14)
    # first shifts at least 14 days old: users 1 (came back) and 2 (not yet: next sign-up is future); 4's is 09/30
    assert r.loc[1, "volunteers"] == 2 and r.loc[1, "came_back"] == 1
    everything = field.return_rates(s, "2026-10-05", min_days=0)
    assert everything.loc[1, "volunteers"] == 3 and everything.loc[1, "return_rate"] < r.loc[1, "return_rate"]


def test_retention_cells_after_the_export_are_missing_not_zero():
    t = field.retention_curves(_signups(), "2026-10-04")  # the week after 09/28-10/04 has not begun
    assert t[0].sum() == 3  # three volunteers worked at least once
    assert np.isnan(t.iloc[-1, -1])


def test_signups_needed_rounds_up_and_never_goes_negative():
    assert field.signups_needed(10, 0.5) == 20
    assert field.signups_needed(10, 0.3) == 15  # 14.3 rounded up
    assert field.signups_needed(10, 0.5, have=25) == 0
    with pytest.raises(ValueError):
        field.signups_needed(10, 1.0)


def test_a_week_the_export_cuts_short_is_missing_not_a_drop_to_zero():
    s = _signups()
    monday = field.retention_curves(s, "2026-10-05 23:59")  # the week 10/05-10/11 has one day in the file
    sunday = field.retention_curves(s, "2026-10-04")
    pd.testing.assert_frame_equal(monday, sunday)
