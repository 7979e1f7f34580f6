import pandas as pd
import pytest

from campaignlab.voterfile import read_vote_history, read_voter_file


def test_ncvoter_text_and_bad_lines(voter_file):
    voters, report = read_voter_file(voter_file)
    assert len(voters) == 8
    assert all(pd.api.types.is_string_dtype(voters[c]) for c in voters.columns)
    assert voters.loc[voters["ncid"] == "AL1", "zip_code"].item() == "00301"  # zeros kept
    assert voters.loc[voters["ncid"] == "AL1", "voter_reg_num"].item() == "000000000001"
    assert voters["middle_name"].isna().sum() >= 2  # blank and "  " both missing
    # the extra-field line is reported, not dropped silently and not fatal
    assert report.rows_in == 9 and report.rows_kept == 8 and report.rows_set_aside == 1
    aside = report.set_aside.iloc[0]
    assert aside["line"] == 4
    assert aside["reason"] == "wrong field count (expected 15, got 16)"
    assert aside["raw"].endswith("EXTRA")


def test_generic_delimited_with_column_map(tmp_path):
    f = tmp_path / "van.csv"
    f.write_text('Voter File VANID,LastName,Zip5,"Pref Phone "\n0012,Diaz,00304,919-555-0100\n9,Lee\n')
    voters, report = read_voter_file(f, layout="delimited", columns={"Voter File VANID": "vanid", "Pref Phone ": "phone"},
                                     required=["vanid"])  # fmt: skip
    assert voters.columns.tolist() == ["vanid", "LastName", "Zip5", "phone"]
    assert voters["vanid"].tolist() == ["0012"]
    assert report.reasons == {"wrong field count (expected 4, got 2)": 1}


def test_missing_required_columns_are_named(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("ncid\tlast_name\nAL1\tLEE\n")
    with pytest.raises(KeyError, match=r"first_name.*registr_dt"):
        read_voter_file(f)


def test_unknown_layout_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="unknown layout"):
        read_voter_file(tmp_path / "x.txt", layout="ohio-ish")
    with pytest.raises(FileNotFoundError):
        read_voter_file(tmp_path / "nope.txt")


def test_column_map_must_name_real_columns(tmp_path):
    f = tmp_path / "v.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(KeyError, match="not in the file header"):
        read_voter_file(f, layout="delimited", columns={"VANID": "ncid"})


def test_read_vote_history(tmp_path):
    f = tmp_path / "h.txt"
    f.write_text("ncid\telection_lbl\telection_desc\tvoting_method\nAL1\t11/08/2016\t11/08/2016 GENERAL\tIN-PERSON\n")
    hist, report = read_vote_history(f)
    assert hist.loc[0, "ncid"] == "AL1" and report.rows_kept == 1


def test_reads_canonical_file():
    from campaignlab import data

    voters, report = read_voter_file(data.path("voters"))
    assert report.rows_set_aside == 0 and len(voters) == report.rows_in
    zips = voters.set_index("ncid")["zip_code"].dropna()
    defects = pd.read_csv(data.path("truth_defects"), dtype=str)
    as_number = defects.loc[defects["defect"] == "zip_plus4_as_number", "key"]
    assert zips.drop(as_number).str.startswith("00").all()  # text: zeros kept
    assert (zips[as_number].str.len() == 7).all()  # except the planted ZIP+4 read as a number upstream
