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


def test_zip_plus4_read_as_a_number():
    """7-8 digits: a ZIP+4 that lost its leading zeros; the ZIP is the first five of the value padded to 9."""
    raw = pd.DataFrame({"zip_code": ["3077505", "003077505", "3010001", " 12345678 ", "123456", "30775"]})
    out, report = normalize_zip(raw)
    assert out["zip5"].tolist()[:4] == ["00307", "00307", "00301", "01234"]
    assert out["zip4"].tolist()[:4] == ["7505", "7505", "0001", "5678"]
    issue = out["zip_issue"].tolist()
    assert issue[0] == issue[2] == issue[3] == "ZIP+4 read as a number: leading zeros restored"
    assert pd.isna(issue[1])  # a well-formed ZIP+4 is not a repair
    assert issue[4] == "not a ZIP code" and pd.isna(out["zip5"][4])  # 6 digits: no rule can tell
    assert out["zip5"][5] == "30775" and pd.isna(issue[5])  # 5 digits are taken as written
    assert report.changes["ZIP+4 read as a number: leading zeros restored"] == 3
    assert report.changes.get("leading zeros restored", 0) == 0
    assert report.rows_in == report.rows_kept == len(raw)


def test_zip_plus4_read_as_a_number_on_the_synthetic_file(tmp_path):
    """The voter file's planted ZIP+4-as-number values all come back to the true ZIP (truth/defects.csv)."""
    from campaignlab.synth import generate

    generate(tmp_path, seed=11, voters=3_000, programs=False)
    voters = pd.read_csv(tmp_path / "ncvoter_alder.txt", sep="\t", dtype=str)
    defects = pd.read_csv(tmp_path / "truth" / "defects.csv", dtype=str)
    planted = defects[defects["defect"] == "zip_plus4_as_number"].set_index("key")["detail"]
    assert len(planted) > 0
    out, report = normalize_zip(voters)
    got = out.set_index("ncid").loc[planted.index]
    true_zip = planted.str.removeprefix("true zip_code ")
    assert (got["zip5"] == true_zip.str[:5]).all() and (got["zip4"] == true_zip.str[5:]).all()
    assert (got["zip_issue"] == "ZIP+4 read as a number: leading zeros restored").all()
    assert report.changes["ZIP+4 read as a number: leading zeros restored"] == len(planted)
