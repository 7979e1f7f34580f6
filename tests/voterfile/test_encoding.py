"""Encodings: a few Latin-1/cp1252 lines among UTF-8 ones, UTF-16 exports, and mojibake in names."""

import pandas as pd

from campaignlab import voterfile as vf
from campaignlab.voterfile.layouts import NCVOTER_HEADER, VAN_HEADER


def nc_bytes(files, rows) -> bytes:
    return files.delimited(NCVOTER_HEADER, rows, quote=True).encode("utf-8")


def test_latin1_lines_among_utf8_ones(files, read_checked, run_pure):
    """The issue's NC file: defaults used to stop with ArrowInvalid, or garble GONZÁLEZ as Latin-1."""
    people = files.PEOPLE
    good = nc_bytes(files, people + [dict(people[4], ncid="AL6", last_name="GONZÁLEZ", first_name="MARÍA")])
    lines = good.split(b"\n")
    # line 8 and 9: the same kind of names, typed on a Windows machine (cp1252 bytes, not UTF-8)
    lines.insert(7, lines[6].replace(b"AL6", b"AL7").replace("GONZÁLEZ".encode(), b"PE\xd1A")
                 .replace("MARÍA".encode(), b"JOS\xc9"))  # fmt: skip
    lines.insert(8, lines[6].replace(b"AL6", b"AL8").replace("GONZÁLEZ".encode(), b"O\x92NEIL"))
    path = files.write("ncvoter_Statewide.txt", b"\n".join(lines))
    voters, report = read_checked(path, rows_in=8)
    by = voters.set_index("ncid")
    assert by.loc["AL6", "last_name"] == "GONZÁLEZ" and by.loc["AL1", "last_name"] == "CASTAÑEDA"  # UTF-8 intact
    assert by.loc["AL7", "last_name"] == "PEÑA" and by.loc["AL7", "first_name"] == "JOSÉ"  # cp1252 lines decoded
    assert by.loc["AL8", "last_name"] == "O’NEIL"
    assert report.changes == {"line not UTF-8: decoded as cp1252": 2}
    lines_fixed = report.details["reencoded_lines"]
    assert lines_fixed["line"].tolist() == [8, 9] and lines_fixed["encoding"].tolist() == ["cp1252", "cp1252"]
    assert any("line 8, 9" in n for n in report.notes)
    names, r = run_pure(vf.normalize_names, voters)
    assert names.set_index("ncid").loc["AL8", "last_name"] == "O'NEIL"


def test_a_byte_cp1252_leaves_undefined_is_read_as_latin1(files, read_checked):
    path = files.write("odd.csv", b"voter_id,last_name\nAL1,SMITH\nAL2,X\x81Y\n")
    voters, report = read_checked(path, rows_in=2)
    assert voters["last_name"].tolist() == ["SMITH", "X\x81Y"]
    assert report.details["reencoded_lines"]["encoding"].tolist() == ["latin-1"]


def test_utf16_export(files, read_checked):
    text = files.delimited(VAN_HEADER, files.VAN_ROWS, sep="\t")  # Excel's "Unicode text"
    voters, report = read_checked(files.write("van_unicode.txt", text, encoding="utf-16"), rows_in=3)
    assert report.layout == "VAN export" and voters.loc[0, "LastName"] == "Castañeda"
    assert voters.loc[0, "Zip5"] == "00301" and voters.loc[0, "Voter File VANID"] == "0012"


def test_a_whole_file_in_another_encoding(files, read_checked):
    path = files.write("latin1.csv", "voter_id,last_name\nAL1,MUÑOZ\n", encoding="latin-1")
    voters, report = read_checked(path, rows_in=1, encoding="latin-1")
    assert voters.loc[0, "last_name"] == "MUÑOZ" and "reencoded_lines" not in report.details
    voters, report = read_checked(path, rows_in=1)  # the default finds the same, line by line
    assert voters.loc[0, "last_name"] == "MUÑOZ" and report.details["reencoded_lines"]["line"].tolist() == [2]


def test_mojibake_from_an_earlier_program_is_repaired_in_names(run_pure):
    v = pd.DataFrame({"first_name": ["JOSÃ‰", "ANA"], "last_name": ["CASTAÃ‘EDA", "GONZÃ\x81LEZ"]})
    out, report = run_pure(vf.normalize_names, v, middle=None, suffix=None)
    assert out["first_name"].tolist() == ["JOSÉ", "ANA"]
    assert out["last_name"].tolist() == ["CASTAÑEDA", "GONZÁLEZ"]
    assert out["last_name_key"].tolist() == ["CASTANEDA", "GONZALEZ"]
    assert report.changes["mojibake repaired (ftfy)"] == 3
