import pandas as pd
import pytest

from campaignlab.voterfile import walk_order


def test_walk_order_on_the_messy_rows(voters, run_pure):
    out, report = run_pure(walk_order, voters, precinct=None)
    assert report.rows_in == report.rows_kept == len(voters)
    assert sorted(out["ncid"]) == sorted(voters["ncid"])  # nobody lost or doubled
    by = out.set_index("ncid")
    # AL1 and AL2 are one door written two ways ("12 OAK ST", "12 Oak Street")
    assert by.loc["AL1", "walk_stop"] == by.loc["AL2", "walk_stop"] == by.loc["AL3", "walk_stop"]
    assert by.loc["AL1", "walk_side"] == "even" and by.loc["AL1", "walk_number"] == 12
    # REMOVED and an address usaddress cannot read cannot be walked: last, flagged, no stop
    assert set(list(out["ncid"])[-2:]) == {"AL6", "AL8"}
    assert by.loc["AL8", "walk_issue"] == "could not parse (ambiguous): kept raw"
    assert pd.isna(by.loc["AL6", "walk_stop"]) and by.loc["AL6", "walk_issue"] == "placeholder 'REMOVED'"


def test_street_then_side_then_number_not_text_order():
    raw = ["1022 ORCHARD GATE LN", "1029 ORCHARD GATE LN", "1075 MAPLESHADE AVE", "9 ORCHARD GATE LN",
           "31 ORCHARD GATE LN", "200 ORCHARD GATE LN"]
    f = pd.DataFrame({"precinct_abbrv": "07", "res_street_address": raw})
    out, _ = walk_order(f)
    assert out["res_street_address"].tolist() == [
        "1075 MAPLESHADE AVE",
        "9 ORCHARD GATE LN", "31 ORCHARD GATE LN", "1029 ORCHARD GATE LN",  # odd side, up
        "200 ORCHARD GATE LN", "1022 ORCHARD GATE LN",  # even side, up
    ]  # fmt: skip
    assert out["walk_stop"].tolist() == [1, 2, 3, 4, 5, 6]
    assert out["walk_side"].tolist() == ["odd", "odd", "odd", "odd", "even", "even"]


def test_precincts_are_separate_turfs_and_units_sort_as_numbers():
    f = pd.DataFrame({
        "pct": ["02", "01", "01", "01"],
        "addr": ["1 ELM ST", "4 OAK ST APT 10", "4 OAK ST APT 9", "4 OAK ST APT 2B"],
    })  # fmt: skip
    out, _ = walk_order(f, precinct="pct", address="addr")
    assert out["addr"].tolist() == ["4 OAK ST APT 2B", "4 OAK ST APT 9", "4 OAK ST APT 10", "1 ELM ST"]
    assert out["walk_stop"].tolist() == [1, 2, 3, 1]
    assert list(out.index) == [3, 2, 1, 0]  # the index is kept, so rows join back


def test_bad_input():
    with pytest.raises(TypeError, match="not text"):
        walk_order(pd.DataFrame({"precinct_abbrv": ["01"], "res_street_address": [12]}))
    with pytest.raises(KeyError, match="precinct="):
        walk_order(pd.DataFrame({"res_street_address": ["1 OAK ST"]}))
