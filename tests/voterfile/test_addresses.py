import pandas as pd
import pytest

from campaignlab.voterfile import normalize_address


def test_normalize_address(voters, run_pure):
    out, report = run_pure(normalize_address, voters)
    by = out.set_index("ncid")
    assert by.loc["AL1", "address_std"] == "12 OAK ST" == by.loc["AL2", "address_std"]
    assert by.loc["AL4", "address_std"] == "7 ELM AVE APT 2" and by.loc["AL4", "address_unit"] == "2"
    assert pd.isna(by.loc["AL6", "address_std"]) and by.loc["AL6", "address_issue"] == "placeholder 'REMOVED'"
    # usaddress cannot read an address with two units: keep the raw text, say so
    assert by.loc["AL8", "address_std"] == "123 MAIN ST APT 4 APT 5"
    assert by.loc["AL8", "address_issue"] == "could not parse (ambiguous): kept raw"
    assert report.changes["address: could not parse (ambiguous): kept raw"] == 1
    assert out["res_street_address"].equals(voters["res_street_address"])


def test_units_and_directions():
    f = pd.DataFrame({"a": ["5 North Elm Road Unit B", "5 N ELM RD # B", "PO Box 77"]})
    out, _ = normalize_address(f, column="a", prefix="addr")
    assert out["addr_std"].tolist() == ["5 N ELM RD APT B", "5 N ELM RD APT B", "PO BOX 77"]
    assert out["addr_issue"].iloc[2] == "PO box, not a residence"


def test_bad_input():
    with pytest.raises(TypeError, match="not text"):
        normalize_address(pd.DataFrame({"res_street_address": [12]}))



def test_two_addresses_in_one_leave_the_fast_path():
    out, _ = normalize_address(pd.DataFrame({"a": ["123 MAIN ST 456 OAK AVE", "9 ELM ST"]}), column="a")
    assert out["address_issue"].iloc[0] in {"parsed by usaddress", "could not parse: kept raw"}
    assert pd.isna(out["address_issue"].iloc[1])
