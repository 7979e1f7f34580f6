import pandas as pd
import pytest

from campaignlab.voterfile import normalize_names
from campaignlab.voterfile.names import canonical_first_name, phonetic_key


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
