import pandas as pd
import pytest

from campaignlab.voterfile import normalize_names
from campaignlab.voterfile.names import canonical_first_name, matching_key, phonetic_key


def test_normalize_names(voters, run_pure):
    out, report = run_pure(normalize_names, voters)
    by = out.set_index("ncid")
    assert by.loc["AL2", "first_name"] == "BILL" and by.loc["AL2", "last_name"] == "HOLT"
    assert by.loc["AL7", "first_name"] == "MARY ANN" and by.loc["AL7", "last_name"] == "O'NEIL"
    assert by.loc["AL4", "last_name"] == "REYES" and by.loc["AL4", "name_suffix_lbl"] == "JR"
    assert by.loc["AL5", "name_suffix_lbl"] == "SR"
    assert by.loc["AL6", "first_name"] == "JI-WOO" and pd.isna(by.loc["AL6", "middle_name"])
    assert report.changes["suffix moved out of last name"] == 1
    assert report.changes["suffix period removed"] == 1
    assert report.rows_set_aside == 0


def test_multiword_surname_kept():
    out, _ = normalize_names(pd.DataFrame({"first_name": ["A"], "last_name": ["VAN BUREN"]}), middle=None, suffix=None)
    assert out["last_name"].item() == "VAN BUREN"


def test_bad_input():
    with pytest.raises(KeyError, match="parameter last="):
        normalize_names(pd.DataFrame({"first_name": ["A"]}), middle=None, suffix=None)
    with pytest.raises(TypeError, match="DataFrame"):
        normalize_names(["A"])
    with pytest.raises(TypeError, match="not text"):
        normalize_names(pd.DataFrame({"first_name": [1], "last_name": ["X"]}), middle=None, suffix=None)


def test_helpers():
    assert canonical_first_name(pd.Series(["BOB", "PEGGY", "ZED"])).tolist() == ["ROBERT", "MARGARET", "ZED"]
    assert phonetic_key(pd.Series(["SMITH", "SMYTH"])).nunique() == 1


def test_accents_and_letters_kept_as_written(run_pure):
    v = pd.DataFrame({"first_name": ["andrés", "ZOË", "François"], "middle_name": ["josé", None, "Ñ"],
                      "last_name": ["castañeda jr", "gómez-peña", "Ørsted"], "name_suffix_lbl": [None, None, None]})
    out, report = run_pure(normalize_names, v)
    assert out["first_name"].tolist() == ["ANDRÉS", "ZOË", "FRANÇOIS"]
    assert out["last_name"].tolist() == ["CASTAÑEDA", "GÓMEZ-PEÑA", "ØRSTED"]
    assert out["name_suffix_lbl"].tolist()[0] == "JR"
    # the ASCII matching keys, for joins and comparisons only
    assert out["first_name_key"].tolist() == ["ANDRES", "ZOE", "FRANCOIS"]
    assert out["last_name_key"].tolist() == ["CASTANEDA", "GOMEZ-PENA", "ORSTED"]
    keys = out["middle_name_key"]
    assert keys[0] == "JOSE" and pd.isna(keys[1]) and keys[2] == "N"
    assert report.rows_set_aside == 0


def test_keys_can_be_left_out():
    out, _ = normalize_names(pd.DataFrame({"first_name": ["A"], "last_name": ["B"]}), middle=None, suffix=None, key_suffix=None)
    assert out.columns.tolist() == ["first_name", "last_name"]


def test_matching_key_folds_what_the_display_name_keeps():
    assert matching_key(pd.Series(["Andrés", "O’Neil", "Nguyễn", "  "])).tolist()[:3] == ["ANDRES", "O'NEIL", "NGUYEN"]
    assert phonetic_key(pd.Series(["CASTAÑEDA", "CASTANEDA"])).nunique() == 1


def test_duplicates_and_matching_compare_keys_not_display_names(run_pure):
    from campaignlab.voterfile import flag_duplicate_registrations, match_list

    voters = pd.DataFrame({"ncid": ["AL1", "AL2"], "first_name": ["ANDRÉS", "ANDRES"], "middle_name": ["JOSÉ", "JOSE"],
                           "last_name": ["CASTAÑEDA", "CASTANEDA"], "name_suffix_lbl": [None, None],
                           "birth_year": ["1970", "1970"], "gender_code": ["M", "M"],
                           "res_street_address": ["12 OAK ST", "12 OAK ST"], "zip_code": ["00301", "00301"],
                           "full_phone_number": [None, None], "res_city_desc": ["ALDER", "ALDER"]})  # fmt: skip
    flagged, report = run_pure(flag_duplicate_registrations, voters, as_of_year=2026)
    assert flagged["duplicate_group"].tolist() == ["AL1", "AL1"]
    assert "first last middle" in report.details["pairs"]["evidence"].item()
    people = pd.DataFrame({"uuid": ["u1"], "first_name": ["Andres"], "last_name": ["Castaneda"], "zip_code": ["00301"],
                           "can2_phone": [None], "can2_user_address": ["12 Oak St"], "can2_user_city": ["Alder"]})  # fmt: skip
    matched, _ = run_pure(match_list, people, voters.iloc[:1])
    assert matched["ncid"].tolist() == ["AL1"] and "first last" in matched["match_evidence"].item()
