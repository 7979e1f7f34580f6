import pandas as pd
import pytest

from campaignlab.voterfile import normalize_zip


def test_normalize_zip(voters, run_pure):
    out, report = run_pure(normalize_zip, voters, expected=["00301", "00308"])
    by = out.set_index("ncid")
    assert by.loc["AL2", "zip5"] == "00301" and by.loc["AL2", "zip4"] == "4321"
    assert by.loc["AL3", "zip5"] == "00301" and by.loc["AL3", "zip_issue"] == "leading zeros restored"
    assert pd.isna(by.loc["AL6", "zip5"]) and by.loc["AL6", "zip_issue"] == "missing"
    assert report.changes["leading zeros restored"] == 1
    assert report.flags["ZIP outside the expected ZIPs"] == 1  # 00312
    assert out["zip_code"].equals(voters["zip_code"])


def test_junk_and_numbers():
    out, _ = normalize_zip(pd.DataFrame({"zip_code": ["ABCDE", "00000", "1"]}))
    assert out["zip5"].isna().all() and (out["zip_issue"] == "not a ZIP code").all()
    out, _ = normalize_zip(pd.DataFrame({"zip_code": [301, 27601]}))  # numbers: zeros restored
    assert out["zip5"].tolist() == ["00301", "27601"]


def test_bad_input():
    with pytest.raises(KeyError, match="parameter column="):
        normalize_zip(pd.DataFrame({"zip": ["1"]}))
