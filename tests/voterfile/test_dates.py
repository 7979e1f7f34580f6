import pandas as pd
import pytest

from campaignlab.voterfile import parse_registration_dates


def test_placeholders_become_missing_with_reason(voters, run_pure):
    out, report = run_pure(parse_registration_dates, voters, as_of="2026-09-12")
    by = out.set_index("ncid")
    assert by.loc["AL1", "registration_date"] == pd.Timestamp("2012-03-14")
    assert pd.isna(by.loc["AL3", "registration_date"])
    assert by.loc["AL3", "registration_date_issue"] == "placeholder date 01/01/1900"
    assert by.loc["AL4", "registration_date_issue"] == "unreadable date"
    assert pd.isna(by.loc["AL1", "registration_date_issue"])
    assert pd.isna(by.loc["AL6", "birth_year_clean"]) and by.loc["AL6", "birth_year_clean_issue"].startswith("impossible")
    assert by.loc["AL1", "birth_year_clean"] == 1970
    assert report.changes["date -> missing: placeholder date 01/01/1900"] == 1
    assert report.changes["date -> missing: unreadable date"] == 1
    assert out["registr_dt"].equals(voters["registr_dt"])  # raw text kept


def test_future_dates_and_other_formats():
    f = pd.DataFrame({"DateReg": ["2030-01-01", "1800-01-01", "2019-05-02"]})
    out, report = parse_registration_dates(f, column="DateReg", format="%Y-%m-%d", as_of="2026-09-12", birth_year=None)
    assert out["registration_date_issue"].tolist()[:2] == ["after the file date", "placeholder date 1800-01-01"]
    assert out["registration_date"].iloc[2] == pd.Timestamp("2019-05-02")


def test_bad_input():
    with pytest.raises(KeyError, match="registr_dt"):
        parse_registration_dates(pd.DataFrame({"x": ["1"]}))
    with pytest.raises(TypeError, match="not text"):
        parse_registration_dates(pd.DataFrame({"registr_dt": [20120314]}), birth_year=None)
