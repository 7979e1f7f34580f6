"""campaignlab.field.doors: rates over the doors knocked, flags that keep every voter."""

from __future__ import annotations

import pandas as pd
import pytest

from campaignlab import field


def _knocks() -> pd.DataFrame:
    return pd.DataFrame({
        "StateFileID": ["AL1", "AL1", "AL2", "AL3", "AL3", "AL4"],
        "Contact Type": ["Walk", "Walk", "Walk", "Walk", "Phone", "Walk"],
        "Date Canvassed": ["07/11/2026", "08/01/2026", "08/01/2026", "08/02/2026", "08/03/2026", "10/20/2026"],
        "Result": ["Not Home", "Moved", "Canvassed", "Deceased", "Canvassed", "Moved"],
        "Survey Response": [None, None, "2 - Lean Yes", None, "1 - Strong Yes", None],
        "Shift ID": ["W-20260711-1000-00001", "W-20260801-1730-00002", "W-20260801-1730-00002",
                     "W-20260802-1000-00001", "P-20260803-1200-00003", "W-20261020-1400-00002"],
    })


def test_the_denominator_is_door_attempts_not_voters():
    """AL1 was knocked twice: two attempts, one contact; phone rows are not doors."""
    knocks = _knocks()
    before = knocks.copy()
    rates = field.contact_rates(knocks)
    assert rates.loc["all", "attempts"] == 5
    assert rates.loc["all", "contacts"] == 4  # Moved, Canvassed, Deceased, Moved
    assert rates.loc["all", "contact_rate"] == pytest.approx(4 / 5)
    assert rates.loc["all", "ids"] == 1
    pd.testing.assert_frame_equal(knocks, before)


def test_rates_by_group_add_up_to_the_program():
    knocks = _knocks()
    by = field.contact_rates(knocks, by="Shift ID")
    assert by["attempts"].sum() == field.contact_rates(knocks).loc["all", "attempts"]
    assert "P-20260803-1200-00003" not in by.index  # a phone shift, not a door
    everything = field.contact_rates(knocks, by="Contact Type", contact_type=None)
    assert everything.loc["Phone", "attempts"] == 1


def test_contact_rates_names_a_missing_column():
    with pytest.raises(KeyError, match="Turf Name"):
        field.contact_rates(_knocks(), by="Turf Name")


def test_field_flags_keep_the_latest_flag_up_to_the_day():
    flags = field.field_flags(_knocks(), as_of="2026-10-05")
    assert flags["field_flag"].to_dict() == {"AL1": "Moved", "AL3": "Deceased"}
    later = field.field_flags(_knocks())
    assert later.loc["AL4", "field_flag"] == "Moved"
    assert (later["times_flagged"] == 1).all()


def test_shift_start_reads_the_time_from_the_shift_id():
    starts = field.shift_start(_knocks()["Shift ID"])
    assert starts.tolist() == ["10:00", "17:30", "17:30", "10:00", "12:00", "14:00"]
