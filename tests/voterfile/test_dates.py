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


@pytest.mark.parametrize("value, fmt", [("01/01/1900", "%m/%d/%Y"), ("1/1/1900", "%m/%d/%Y"), ("1900-01-01", "%m/%d/%Y"),
                                        ("1900-01-01", "%Y-%m-%d"), ("1800-01-01", "%Y-%m-%d"), ("1/1/1800", "%Y-%m-%d"),
                                        ("00/00/0000", "%m/%d/%Y")])  # fmt: skip
def test_every_placeholder_form_is_missing_with_a_reason(value, fmt, run_pure):
    out, report = run_pure(parse_registration_dates, pd.DataFrame({"d": [value, "2012-03-04" if "-" in fmt else "03/04/2012"]}),
                           column="d", format=fmt, as_of="2026-09-12", birth_year=None)  # fmt: skip
    assert pd.isna(out["registration_date"].iloc[0])
    assert out["registration_date_issue"].iloc[0] == f"placeholder date {value}"
    assert out["registration_date"].iloc[1] == pd.Timestamp("2012-03-04")
    assert report.changes == {f"date -> missing: placeholder date {value}": 1}


def test_junk_dates_stay_missing_with_a_reason():
    out, _ = parse_registration_dates(pd.DataFrame({"registr_dt": ["##/##/####", "13/45/2012"]}), birth_year=None)
    assert out["registration_date"].isna().all() and out["registration_date_issue"].tolist() == ["unreadable date"] * 2


def test_after_the_files_own_date(files):
    """With no as_of, the file's own date (here from its name) is the limit, not today."""
    from campaignlab.voterfile import read_voter_file

    people = [dict(p, registr_dt=d) for p, d in zip(files.PEOPLE, ["03/14/2012", "06/01/2020", "07/01/2020",
                                                                   "01/01/2020", "05/31/2020"], strict=True)]  # fmt: skip
    voters, _ = read_voter_file(files.ncvoter("VR_Snapshot_20200601.txt", rows=people))
    assert voters.attrs["file_date"] == "2020-06-01"
    out, report = parse_registration_dates(voters)
    assert out["registration_date_issue"].fillna("").tolist() == ["", "", "after the file date", "", ""]
    assert report.changes["date -> missing: after the file date"] == 1


def test_birth_dates_as_well_as_years(run_pure):
    v = pd.DataFrame({"registr_dt": ["03/14/2012"] * 4, "dob": ["1980-02-03", "1800-01-01", "1900-01-01", "02/03/2015"]})
    out, report = run_pure(parse_registration_dates, v, birth_year="dob", as_of="2026-09-12")
    assert out["birth_year_clean"].tolist()[0] == 1980
    assert out["birth_year_clean_issue"].tolist()[1:] == ["placeholder date", "placeholder date",
                                                          "impossible age (over 110 or under 16)"]  # fmt: skip
