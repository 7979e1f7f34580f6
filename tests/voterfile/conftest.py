"""Small messy fixtures for the voterfile toolkit: a few rows that carry every known defect."""

from __future__ import annotations

import pandas as pd
import pytest

NC_HEADER = ["county_id", "voter_reg_num", "ncid", "last_name", "first_name", "middle_name",
             "name_suffix_lbl", "status_cd", "res_street_address", "res_city_desc", "zip_code",
             "full_phone_number", "registr_dt", "gender_code", "birth_year"]  # fmt: skip

ROWS = [
    # county, reg_num, ncid, last, first, middle, suffix, status, address, city, zip, phone, date, sex, birth
    ["1", "000000000001", "AL1", "HOLT", "WILLIAM", "JOHN", None, "A", "12 OAK ST", "ALDER", "00301", "9195550100", "03/14/2012", "M", "1970"],
    ["1", "000000000002", "AL2", "Holt", "bill", "J", None, "A", "12 Oak Street", "ALDER", "003014321", "919-555-0100", "05/06/2020", "M", "1970"],
    ["1", "000000000003", "AL3", "HOLT", "ANN", "MAE", None, "A", "12 OAK ST", "ALDER", "301", None, "01/01/1900", "F", "1972"],
    ["1", "000000000004", "AL4", "REYES JR", "CARLOS", None, None, "I", "7 ELM AVE APT 2", "MILLBROOK", "00308", "5550123", "##/##/####", "M", "1988"],
    ["1", "000000000005", "AL5", "REYES", "CARLOS", None, "SR.", "A", "7 ELM AVE APT 1", "MILLBROOK", "00308", None, "07/04/1999", "M", "1960"],
    ["1", "000000000006", "AL6", "PARK", "JI-WOO", "  ", None, "R", "REMOVED", None, None, None, "11/30/2015", "U", "1755"],
    ["1", "000000000007", "AL7", "O'NEIL", "mary  ann", "LOU", None, "A", "100 COLLEGE AVE", "ALDER", "00301", "(984) 555-0199", "08/08/2018", "F", "2001"],
    ["1", "000000000008", "AL8", "SMITH", "JOHN", "PAUL", None, "A", "123 MAIN ST APT 4 APT 5", "RIVERTON", "00312", "12", "09/09/2009", "M", "1980"],
]  # fmt: skip


@pytest.fixture
def voters() -> pd.DataFrame:
    """Eight NC-layout rows, all text, with case/suffix/ZIP/phone/date/address defects."""
    return pd.DataFrame(ROWS, columns=NC_HEADER).astype("str")


@pytest.fixture
def voter_file(tmp_path):
    """The same rows as a tab-delimited ncvoter-style file, plus one line with an extra field."""
    lines = ["\t".join(NC_HEADER)]
    for row in ROWS:
        lines.append("\t".join("" if v is None else v for v in row))
    lines.insert(3, lines[3] + "\tEXTRA")  # a stray tab: 16 fields, line 4 of the file
    path = tmp_path / "ncvoter_test.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ncid": ["AL1", "AL1", "AL1", "AL2", "AL2", None, "AL9"],
            "election_lbl": ["11/08/2016", "11/08/2016", "11/06/2018", "11/06/2018", "11/06/2018", "11/06/2018", "11/03/2020"],
            "election_desc": ["11/08/2016 GENERAL", "11/08/2016 GENERAL", "11/06/2018 GENERAL", "11/06/2018 GENERAL",
                              "11/06/2018 GENERAL", "11/06/2018 GENERAL", "11/03/2020 GENERAL"],
            "voting_method": ["IN-PERSON", "ELECTION DAY IN-PERSON", "ABSENTEE BY MAIL", "PROVISIONAL", "PROVISIONAL",
                              "ABSENTEE BY MAIL", "ABSENTEE BY MAIL"],
        }
    ).astype("str")  # fmt: skip


@pytest.fixture
def signups() -> pd.DataFrame:
    """An Action Network-style export: nickname, lost zeros, typo, out-of-county stranger."""
    return pd.DataFrame(
        {
            "uuid": ["u1", "u2", "u3", "u4"],
            "first_name": ["Bill", "Mary Ann", "Carlos", "Zed"],
            "last_name": ["Holt", "ONeil", "Reyes", "Quill"],
            "zip_code": ["301", "00301", None, "00399"],
            "can2_phone": ["+1 919 555 0100", None, None, None],
            "can2_user_address": [None, "100 College Avenue", "7 Elm Ave Apt 1", None],
            "can2_user_city": [None, "Alder", None, "Port Halley"],
        }
    ).astype("str")


@pytest.fixture
def run_pure():
    """Call ``func(frame, **kw)`` and fail if it modified ``frame``; return its result."""

    def run(func, frame, *args, **kw):
        before = frame.copy(deep=True)
        result = func(frame, *args, **kw)
        pd.testing.assert_frame_equal(frame, before, obj=f"{func.__name__} input")
        out, report = result
        assert out is not frame, f"{func.__name__} returned its input object"
        assert report.rows_in == report.rows_kept + report.rows_set_aside
        return out, report

    return run
