"""One reader for every layout: recognised, named in the report, read as text, cleaned end to end."""

import pandas as pd
import pytest

from campaignlab import voterfile as vf
from campaignlab.voterfile.layouts import (
    LAYOUTS,
    NCVOTER_2021_HEADER,
    NCVOTER_HEADER,
    detect_layout,
)


def test_published_headers_have_their_sizes():
    assert len(NCVOTER_HEADER) == 67 and len(NCVOTER_2021_HEADER) == 71
    assert {"birth_age", "absent_ind"} <= set(NCVOTER_2021_HEADER) - set(NCVOTER_HEADER)
    for name, lay in LAYOUTS.items():
        assert name == "delimited" or detect_layout(lay.header) is lay, name


@pytest.mark.parametrize("maker, layout", [("ncvoter", "ncvoter"), ("ncvoter_2021", "ncvoter_2021")])
def test_nc_voter_files_current_and_pre_2022(files, read_checked, maker, layout):
    path = getattr(files, maker)()
    voters, report = read_checked(path, rows_in=5)
    assert report.layout == LAYOUTS[layout].title and voters.attrs["layout"] == layout
    assert voters.shape[1] == len(LAYOUTS[layout].header)
    assert voters.loc[0, "voter_reg_num"] == "000000000001" and voters.loc[0, "zip_code"] == "00301"
    before = voters.copy(deep=True)
    clean, reports = vf.clean_voter_file(voters, as_of="2026-09-12")
    pd.testing.assert_frame_equal(voters, before)  # pure: the input is unchanged
    assert [r.rows_in for r in reports][-1] == 4 and reports[0].rows_in == 5
    by = clean.set_index("ncid")
    assert "AL1" not in by.index and "AL2" in by.index  # one man registered twice: latest kept
    assert by.loc["AL4", "first_name"] == "ZOË" and by.loc["AL4", "last_name"] == "GÓMEZ-PEÑA"
    assert by.loc["AL4", "last_name_key"] == "GOMEZ-PENA"
    assert by.loc["AL3", "last_name"] == "O'NEIL"
    assert by.loc["AL3", "registration_date_issue"] == "placeholder date 1/1/1900"
    assert by.loc["AL5", "registration_date_issue"] == "after the file date"


def test_ncvhis_reads_with_either_reader(files, read_checked):
    path = files.ncvhis()
    hist, report = read_checked(path, rows_in=3)
    assert report.layout == "NC ncvhis vote history"
    same, _ = read_checked(path, reader=vf.read_vote_history)
    pd.testing.assert_frame_equal(hist, same)
    clean, r = vf.dedupe_history(hist)
    assert r.reasons == {"same vote under an old and a new method label (label drift)": 1}
    with pytest.raises(ValueError, match="not a voter file: use dedupe_history"):
        vf.clean_voter_file(hist)


def test_ohio_wide_history_never_counts_a_blank(files, read_checked, run_pure):
    path = files.ohio()
    voters, report = read_checked(path, rows_in=4)
    assert report.layout.startswith("Ohio statewide")
    elections = files.OHIO_ELECTIONS
    # the reported bug: text marks counted as votes. Now refused, with the way out
    with pytest.raises(TypeError, match="history_from_wide"):
        vf.voted_k_of_n(voters, k=3, n=4, elections=[e for e in elections if e.startswith("GENERAL")])
    history, r = run_pure(vf.history_from_wide, voters)
    marks = [m for ms in files.OHIO_MARKS.values() for m in ms]
    assert r.rows_in == sum(m != "" for m in marks)  # marked cells = votes + marks set aside
    assert r.reasons == {"unknown mark 'Y': not a vote, not a blank": 1}
    assert r.flags["blank cells (did not vote)"] == sum(m == "" for m in marks)
    assert history.loc[history["voted_party_cd"].notna(), "voted_party_cd"].tolist() == ["D", "R"]
    wide, _ = run_pure(vf.pivot_history, history, id="SOS_VOTERID", voters=voters["SOS_VOTERID"])
    assert wide.columns.tolist() == ["general_2016", "general_2018", "general_2020", "primary_2022", "general_2022"]
    k, _ = run_pure(vf.voted_k_of_n, wide, k=3, n=4)
    # recount from the file: a vote is X or a party letter, never a blank (OH4's "Y" is not one)
    recount = {v: sum(m in {"X", "D", "R"} for e, m in zip(elections, ms, strict=True) if e.startswith("GENERAL"))
               for v, ms in files.OHIO_MARKS.items()}  # fmt: skip
    assert k["voted_3_of_4_general_votes"].to_dict() == recount
    assert k["voted_3_of_4_general"].tolist() == [True, False, False, True]


def test_ohio_cleans_with_its_own_dates_and_statuses(files):
    voters, _ = vf.read_voter_file(files.ohio())
    clean, reports = vf.clean_voter_file(voters, as_of="2026-09-12")
    by = clean.set_index("SOS_VOTERID")
    assert by.loc["OH1", "registration_date"] == pd.Timestamp("2010-05-02")  # YYYY-MM-DD
    assert by.loc["OH1", "birth_year_clean_issue"] == "placeholder date"  # 1800-01-01
    assert by.loc["OH4", "birth_year_clean"] == 1990
    # OH2 (1900-01-01 registration, CONFIRMATION) and OH3 are one person: the active one is kept
    assert "OH2" not in by.index and "OH3" in by.index
    assert [r.step for r in reports if r.step == "normalize_phone"] == []  # Ohio has no phone


def test_van_export_as_reported_and_recognised(files, read_checked):
    path = files.van()
    # the call from the issue: BOM, a header with a trailing space, numeric-looking columns
    voters, report = read_checked(path, rows_in=3, layout="delimited",
                                  columns={"Voter File VANID": "vanid", "Pref Phone ": "phone"})  # fmt: skip
    assert voters["vanid"].tolist() == ["0012", "0013", "0014"] and voters["Age"].tolist() == ["56", "46", "71"]
    assert voters["Zip5"].tolist() == ["00301", "00302", "00304"] and "phone" in voters.columns
    voters, report = read_checked(path, rows_in=3)
    assert report.layout == "VAN export" and "header name 'Pref Phone ' trimmed to 'Pref Phone'" in report.notes
    clean, _ = vf.clean_voter_file(voters, as_of="2026-09-12")
    by = clean.set_index("Voter File VANID")
    assert by.loc["0012", "FirstName"] == "ANDRÉS" and by.loc["0012", "phone"] == "9195550100"
    assert by.loc["0013", "registration_date_issue"] == "placeholder date 1/1/1900"
    assert by.loc["0014", "registration_date"] == pd.Timestamp("2019-12-01")


def test_van_export_tab_delimited(files, read_checked):
    voters, report = read_checked(files.van("MyVoters.txt", sep="\t"), rows_in=3)
    assert report.layout == "VAN export" and voters.loc[0, "Voter File VANID"] == "0012"


def test_action_network_list_matches_the_accented_voter(files, read_checked, run_pure):
    people, report = read_checked(files.action_network(), rows_in=2)
    assert report.layout.startswith("Action Network export")
    with pytest.raises(ValueError, match="not a voter file: use match_list"):
        vf.clean_voter_file(people)
    voters, _ = vf.read_voter_file(files.ncvoter())
    voters, _ = vf.flag_duplicate_registrations(voters, as_of_year=2026)
    matched, r = run_pure(vf.match_list, people, voters, voter_columns={"group": "duplicate_group"})
    assert matched["uuid"].tolist() == ["u1"] and matched["ncid"].item() in {"AL1", "AL2"}
    assert matched["first_name"].item() == "Andres"  # the list's own name is left as it was
    assert r.set_aside["uuid"].tolist() == ["u2"]


def test_any_other_layout_with_a_column_map(files, read_checked):
    text = ("StateVoterID\tFName\tLName\tBirthdate\tRegStreetAddress\tRegZipCode\tRegistrationDate\n"
            "WA0001\tAna\tDíaz\t1980-02-03\t12 Oak St\t98501\t2014-03-04\n")  # fmt: skip
    path = files.write("wa_voters.txt", text)
    voters, report = read_checked(path, rows_in=1)
    assert report.layout.startswith("generic delimited") and any("not recognised" in n for n in report.notes)
    cols = {"id": "StateVoterID", "first": "FName", "last": "LName", "registration_date": "RegistrationDate",
            "birth_year": "Birthdate", "zip": "RegZipCode", "address": "RegStreetAddress", "middle": None,
            "suffix": None, "gender": None, "phone": None, "status": None}  # fmt: skip
    clean, _ = vf.clean_voter_file(voters, layout="ohio", columns=cols, as_of="2026-09-12")  # Ohio's date format
    assert clean.loc[0, "LName"] == "DÍAZ" and clean.loc[0, "birth_year_clean"] == 1980


def test_missing_columns_named_at_once_with_steps_and_a_map(files):
    header = [h for h in NCVOTER_HEADER if h not in ("status_cd", "registr_dt")] + ["REG_DATE"]
    path = files.ncvoter("ncvoter_missing.txt", header=header)
    with pytest.raises(vf.MissingColumnsError) as err:
        vf.read_voter_file(path)
    text = str(err.value)
    assert "ncvoter_missing.txt" in text
    assert "'registr_dt' (needed by parse_registration_dates, resolve_duplicates)" in text
    assert "'status_cd' (needed by resolve_duplicates)" in text
    assert "columns={'REG_DATE': 'registr_dt', 'voter_status_desc': 'status_cd'}" in text
    assert err.value.missing == {"registr_dt": ("parse_registration_dates", "resolve_duplicates"),
                                 "status_cd": ("resolve_duplicates",)}  # fmt: skip
    assert isinstance(err.value, KeyError) and not text.startswith('"')  # reads as text, not a KeyError repr
    voters, _ = vf.read_voter_file(path, columns={"REG_DATE": "registr_dt", "voter_status_desc": "status_cd"})
    assert {"registr_dt", "status_cd"} <= set(voters.columns)
    # the same check, before any work, in clean_voter_file
    with pytest.raises(vf.MissingColumnsError, match=r"'registr_dt' \(needed by .*'status_cd' \(needed by"):
        vf.clean_voter_file(voters.drop(columns=["registr_dt", "status_cd"]))
