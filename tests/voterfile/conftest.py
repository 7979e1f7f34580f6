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


# --- files in every layout the toolkit reads, built from small strings (synthetic people only) ---
from campaignlab.voterfile import read_voter_file  # noqa: E402
from campaignlab.voterfile.layouts import (  # noqa: E402
    ACTION_NETWORK_HEADER,
    NCVHIS_HEADER,
    NCVOTER_2021_HEADER,
    NCVOTER_HEADER,
    OHIO_HEADER,
    VAN_HEADER,
)

#: Five registrations, four people: AL1/AL2 are one man registered twice (accents typed once,
#: not the other time); placeholder, junk and future dates; a curly apostrophe.
_PEOPLE_COLUMNS = ["ncid", "voter_reg_num", "first_name", "middle_name", "last_name", "status_cd",
                   "res_street_address", "res_city_desc", "zip_code", "full_phone_number", "registr_dt",
                   "gender_code", "birth_year"]  # fmt: skip
PEOPLE = [dict(zip(_PEOPLE_COLUMNS, row, strict=True)) for row in [
    ["AL1", "000000000001", "ANDRÉS", "JOSÉ", "CASTAÑEDA", "A", "12 OAK ST", "ALDER", "00301", "9195550100", "03/14/2012", "M", "1970"],
    ["AL2", "000000000002", "Andres", "J", "Castaneda", "A", "12 Oak Street", "ALDER", "301", "919-555-0100", "05/06/2020", "M", "1970"],
    ["AL3", "000000000003", "ann", "", "o’neil", "A", "1 ELM ST", "ALDER", "00302", "", "1/1/1900", "F", "1980"],
    ["AL4", "000000000004", "ZOË", "", "GÓMEZ-PEÑA", "I", "7 ASH CT APT 2", "MILLBROOK", "00303", "(984) 555-0199", "##/##/####", "F", "1992"],
    ["AL5", "000000000005", "BO", "", "LEE", "A", "9 PINE RD", "ALDER", "00304", "", "06/01/2031", "M", "1955"],
]]  # fmt: skip


def delimited(header, rows, sep="\t", quote=False, end="\n") -> str:
    """A delimited file as text: header, then one line per row (missing fields blank)."""
    q = (lambda v: f'"{v}"') if quote else (lambda v: v)
    lines = [sep.join(q(h) for h in header)] + [sep.join(q(r.get(h, "")) for h in header) for r in rows]
    return end.join(lines) + end


class LayoutFiles:
    """Writes small files in each real layout into a temporary folder."""

    PEOPLE = PEOPLE
    delimited = staticmethod(delimited)

    def __init__(self, folder):
        self.folder = folder

    def write(self, name: str, content: str | bytes, encoding: str = "utf-8"):
        path = self.folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def ncvoter(self, name="ncvoter_Statewide.txt", rows=PEOPLE, header=NCVOTER_HEADER):
        return self.write(name, delimited(header, rows, quote=True))  # NC quotes every field

    def ncvoter_2021(self, name="ncvoter_2021.txt"):
        return self.write(name, delimited(NCVOTER_2021_HEADER, [dict(p, birth_age="56") for p in PEOPLE], quote=True))

    def ncvhis(self, name="ncvhis_Statewide.txt"):
        rows = [dict(ncid="AL1", election_lbl="11/08/2016", election_desc="11/08/2016 GENERAL", voting_method="IN-PERSON"),
                dict(ncid="AL1", election_lbl="11/08/2016", election_desc="11/08/2016 GENERAL",
                     voting_method="ELECTION DAY IN-PERSON"),
                dict(ncid="AL3", election_lbl="11/06/2018", election_desc="11/06/2018 GENERAL",
                     voting_method="ABSENTEE BY MAIL")]  # fmt: skip
        return self.write(name, delimited(NCVHIS_HEADER, [dict(r, county_id="1") for r in rows], quote=True))

    OHIO_ELECTIONS = ["GENERAL-11/08/2016", "GENERAL-11/06/2018", "PRIMARY-05/03/2022", "GENERAL-11/03/2020",
                      "GENERAL-11/08/2022"]  # fmt: skip
    #: voter -> marks in OHIO_ELECTIONS order ("" = did not vote)
    OHIO_MARKS = {"OH1": ["X", "X", "D", "X", "X"], "OH2": ["X", "", "", "X", ""], "OH3": ["", "", "R", "", ""],
                  "OH4": ["X", "X", "", "Y", "X"]}  # fmt: skip

    def ohio(self, name="SWVF_1_22.txt"):
        base = [dict(SOS_VOTERID="OH1", LAST_NAME="GÓMEZ", FIRST_NAME="LUZ", DATE_OF_BIRTH="1800-01-01",
                     REGISTRATION_DATE="2010-05-02", VOTER_STATUS="ACTIVE", RESIDENTIAL_ADDRESS1="5 MAPLE AVE",
                     RESIDENTIAL_CITY="COLUMBUS", RESIDENTIAL_ZIP="43004"),
                dict(SOS_VOTERID="OH2", LAST_NAME="ROE", FIRST_NAME="JAN", DATE_OF_BIRTH="1980-01-01",
                     REGISTRATION_DATE="1900-01-01", VOTER_STATUS="CONFIRMATION", RESIDENTIAL_ADDRESS1="6 MAPLE AVE",
                     RESIDENTIAL_CITY="COLUMBUS", RESIDENTIAL_ZIP="43004"),
                dict(SOS_VOTERID="OH3", LAST_NAME="ROE", FIRST_NAME="JAN", DATE_OF_BIRTH="1980-01-01",
                     REGISTRATION_DATE="2021-02-03", VOTER_STATUS="ACTIVE", RESIDENTIAL_ADDRESS1="6 MAPLE AVE",
                     RESIDENTIAL_CITY="COLUMBUS", RESIDENTIAL_ZIP="43004"),
                dict(SOS_VOTERID="OH4", LAST_NAME="PARK", FIRST_NAME="MIN", DATE_OF_BIRTH="1990-07-04",
                     REGISTRATION_DATE="2012-09-30", VOTER_STATUS="ACTIVE", RESIDENTIAL_ADDRESS1="1 HIGH ST",
                     RESIDENTIAL_CITY="DUBLIN", RESIDENTIAL_ZIP="43016")]  # fmt: skip
        rows = [dict(r, COUNTY_NUMBER="25", **dict(zip(self.OHIO_ELECTIONS, self.OHIO_MARKS[r["SOS_VOTERID"]], strict=True)))
                for r in base]  # fmt: skip
        return self.write(name, delimited(OHIO_HEADER + self.OHIO_ELECTIONS, rows, sep=",", quote=True))

    VAN_ROWS = [
        {"Voter File VANID": "0012", "FirstName": "Andrés", "LastName": "Castañeda", "Sex": "M", "Party": "D",
         "Age": "56", "vAddress": "12 Oak St", "City": "Alder", "State": "CB", "Zip5": "00301",
         "Pref Phone ": "919-555-0100", "DateReg": "3/14/2012"},
        {"Voter File VANID": "0013", "FirstName": "Ann", "LastName": "O'Neil", "Sex": "F", "Party": "U", "Age": "46",
         "vAddress": "1 Elm St", "City": "Alder", "State": "CB", "Zip5": "00302", "DateReg": "1/1/1900"},
        {"Voter File VANID": "0014", "FirstName": "Bo", "LastName": "Lee", "Sex": "M", "Party": "R", "Age": "71",
         "vAddress": "9 Pine Rd", "City": "Alder", "State": "CB", "Zip5": "00304", "Cell Phone": "9845550111",
         "DateReg": "12/1/2019"},
    ]  # fmt: skip

    def van(self, name="MyVoters.csv", sep=","):
        return self.write(name, "\ufeff" + delimited(VAN_HEADER, self.VAN_ROWS, sep=sep, end="\r\n"))

    def action_network(self, name="action_network.csv"):
        rows = [dict(uuid="u1", first_name="Andres", last_name="Castaneda", email="andres@example.com", zip_code="301",
                     can2_phone="(919) 555-0100", can2_user_address="12 Oak Street", can2_user_city="Alder"),
                dict(uuid="u2", first_name="Zed", last_name="Quill", email="zed@example.org", zip_code="00399")]  # fmt: skip
        return self.write(name, delimited(ACTION_NETWORK_HEADER, rows, sep=","))

    def broken(self, case: str, content: bytes = b""):
        """A voter file a playbook must refuse: "missing columns" (no registr_dt), "repeated ids",
        "action network" (a list, not a voter file), or any other case: ``content`` as the file."""
        if case == "missing columns":
            return self.write("ncvoter_cut.txt", delimited([h for h in PEOPLE[0] if h != "registr_dt"], PEOPLE))
        if case == "repeated ids":
            return self.ncvoter(rows=[PEOPLE[0], dict(PEOPLE[1], ncid="AL1"), *PEOPLE[2:]])
        if case == "action network":
            return self.action_network()
        return self.write(f"{case.replace(' ', '_')}.txt", content)


@pytest.fixture
def files(tmp_path) -> LayoutFiles:
    return LayoutFiles(tmp_path)


@pytest.fixture
def read_checked():
    """Read a file, and check what every read must give: the file untouched, all text, counts
    that reconcile (rows in the file = rows read + rows set aside)."""

    def read(path, reader=read_voter_file, rows_in=None, **kw):
        before = path.read_bytes()
        frame, report = reader(path, **kw)
        assert path.read_bytes() == before, "the reader changed its input file"
        assert report.rows_in == report.rows_kept + report.rows_set_aside
        assert report.rows_kept == len(frame)
        if rows_in is not None:
            assert report.rows_in == rows_in, f"{report.rows_in} rows read, the file has {rows_in}"
        assert all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns), frame.dtypes
        return frame, report

    return read
