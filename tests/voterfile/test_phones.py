import pandas as pd
import pytest

from campaignlab.voterfile import flag_shared_phones, normalize_phone


def test_normalize_phone(voters, run_pure):
    out, report = run_pure(normalize_phone, voters)
    by = out.set_index("ncid")
    assert by.loc["AL1", "phone"] == "9195550100" == by.loc["AL2", "phone"]
    assert by.loc["AL7", "phone"] == "9845550199"
    assert pd.isna(by.loc["AL4", "phone"]) and by.loc["AL4", "phone_issue"] == "7 digits: no area code"
    assert by.loc["AL8", "phone_issue"] == "not a phone number"
    assert report.changes["phone: 7 digits: no area code"] == 1


def test_library_fallback_and_area_code():
    f = pd.DataFrame({"p": ["919 555 0123 ext. 4", "+44 20 7946 0958", "555-0123"]})
    out, _ = normalize_phone(f, column="p", default_area_code="984")
    assert out["phone"].iloc[0] == "9195550123" and out["phone_issue"].iloc[0] == "read by phonenumbers"
    assert pd.isna(out["phone"].iloc[1])  # not a US number
    assert out["phone"].iloc[2] == "9845550123"


def test_flag_shared_phones(run_pure):
    f = pd.DataFrame({"phone": ["9195550100"] * 10 + ["9195550111", None]})
    out, report = run_pure(flag_shared_phones, f)
    assert out["phone_shared"].sum() == 10 and report.flags == {"phone shared by 10+ voters": 10}
    assert pd.isna(out["phone_shared_by"].iloc[-1])


def test_bad_input():
    with pytest.raises(ValueError, match="3 digits"):
        normalize_phone(pd.DataFrame({"full_phone_number": ["1"]}), default_area_code="91")
    with pytest.raises(ValueError, match="threshold"):
        flag_shared_phones(pd.DataFrame({"phone": ["1"]}), threshold=1)
    with pytest.raises(KeyError, match="parameter phone="):
        flag_shared_phones(pd.DataFrame({"x": ["1"]}))
