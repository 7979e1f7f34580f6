"""Broken files: each one loads correctly, or stops with an error naming the file, the line and the fix."""

import gzip

import pytest

from campaignlab import voterfile as vf
from campaignlab.voterfile.layouts import NCVOTER_HEADER
from campaignlab.voterfile.report import VoterFileError

HEADER = "voter_id,last_name,first_name,zip_code\n"  # a layout the toolkit does not know: read as delimited


def refused(path, *words, **kw):
    """The read stops with a VoterFileError (never a raw Arrow/pandas error) naming the file."""
    before = path.read_bytes()
    with pytest.raises(VoterFileError) as err:
        vf.read_voter_file(path, **kw)
    assert path.read_bytes() == before
    text = str(err.value)
    assert str(path) in text, text
    for w in words:
        assert w in text, text
    return text


NOT_TEXT = [
    ("empty.txt", b"", ["empty (0 bytes)", "download"]),
    ("blank.txt", b"\n \r\n\n", ["only blank lines"]),
    ("book.xlsx", b"PK\x03\x04\x14\x00rest-of-a-workbook", ["Excel .xlsx", "CSV"]),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ["Excel .xls"]),
    ("ncvoter.txt.gz", gzip.compress(HEADER.encode(), mtime=0), ["gzip", "gunzip"]),
    ("layout.pdf", b"%PDF-1.7 ...", ["PDF"]),
    ("nul.txt", b"ncid\x00,x\n", ["NUL bytes"]),
]  # fmt: skip


# ids by file name only: the bytes would make ids that differ between xdist workers
@pytest.mark.parametrize("name, content, words", NOT_TEXT, ids=[c[0] for c in NOT_TEXT])
def test_files_that_are_not_text(files, name, content, words):
    refused(files.write(name, content), *words)


def test_not_a_voter_file(files):
    text = refused(files.write("donations.csv", "donation_id,amount,date\nD1,25.00,2026-01-02\n"),
                   "does not look like a voter file", "donation_id, amount, date")  # fmt: skip
    assert "layout='delimited'" in text
    # if the user says it is one, it is read
    table, report = vf.read_voter_file(files.folder / "donations.csv", layout="delimited")
    assert report.rows_in == 1 and table.loc[0, "amount"] == "25.00"


def test_first_line_is_data_not_a_header(files):
    refused(files.write("headerless.txt", '"1"\t"ALDER"\t"000000000001"\t"AL1"\n'), "line 1", "looks like data")


def test_fixed_width_file(files):
    refused(files.write("qvf.txt", "HOLT      WILLIAM   J 1970 00301 12 OAK ST          A\n"), "line 1", "fixed-width")


def test_header_only_loads_empty(files, read_checked):
    voters, report = read_checked(files.write("ncvoter_header.txt", "\t".join(NCVOTER_HEADER) + "\n"), rows_in=0)
    assert voters.columns.tolist() == NCVOTER_HEADER and report.notes == ["the file has a header but no rows"]


def test_truncated_last_line_is_set_aside_with_its_line(files, read_checked):
    path = files.write("cut.csv", HEADER + "AL1,SMITH,ANN,00301\nAL2,LEE,BO,00302\nAL3,JON")
    voters, report = read_checked(path, rows_in=3)
    assert voters["voter_id"].tolist() == ["AL1", "AL2"]
    row = report.set_aside.iloc[0]
    assert row["line"] == 4 and row["raw"] == "AL3,JON"
    assert row["reason"] == "wrong field count (expected 4, got 2): truncated last line?"


def test_truncated_inside_a_quote_is_set_aside(files, read_checked):
    path = files.write("cutq.csv", HEADER + 'AL1,SMITH,ANN,00301\nAL2,"LEE","BO","003')
    voters, report = read_checked(path, rows_in=2)
    assert voters["voter_id"].tolist() == ["AL1"]
    assert report.set_aside["line"].tolist() == [3]
    assert "truncated last line" in report.set_aside["reason"].item()


def test_complete_last_line_without_line_end_is_read_with_a_note(files, read_checked):
    voters, report = read_checked(files.write("noeol.csv", HEADER + "AL1,SMITH,ANN,00301"), rows_in=1)
    assert voters["zip_code"].item() == "00301"
    assert "the file does not end with a line end: check that its last line (2) is complete" in report.notes


def test_bom_and_spaces_in_the_header(files, read_checked):
    path = files.write("bom.csv", "\ufeff voter_id ,last_name,first_name,zip_code\r\nAL1,SMITH,ANN,00301\r\n")
    voters, report = read_checked(path, rows_in=1)
    assert voters.columns.tolist() == ["voter_id", "last_name", "first_name", "zip_code"]


def test_blank_and_repeated_header_names(files, read_checked):
    voters, report = read_checked(files.write("dup.csv", "voter_id,last_name,,last_name\nAL1,SMITH,x,SMYTHE\n"))
    assert voters.columns.tolist() == ["voter_id", "last_name", "column_3", "last_name_2"]
    assert [n for n in report.notes if n.startswith("header")] == [
        "header field 3 is blank: named 'column_3'", "header name 'last_name' repeated: column 4 named 'last_name_2'"]


def test_mixed_line_endings(files, read_checked):
    path = files.write("mixed.csv", HEADER.encode() + b"AL1,SMITH,ANN,00301\r\nAL2,LEE,BO,00302\rAL3,ROE,JAN,00303\n")
    voters, _ = read_checked(path, rows_in=3)
    assert voters["zip_code"].tolist() == ["00301", "00302", "00303"]


def test_quoted_fields_with_line_breaks(files, read_checked):
    path = files.write("multi.csv", 'voter_id,last_name,res_street_address\nAL1,SMITH,"12 OAK ST\nAPT 4"\nAL2,LEE,"1 ELM ST"\n')
    voters, _ = read_checked(path, rows_in=2)
    assert voters["res_street_address"].tolist() == ["12 OAK ST\nAPT 4", "1 ELM ST"]


def test_quoted_line_breaks_across_read_blocks(files, read_checked):
    """A 17 MB file whose quoted line breaks fall on the reader's block boundary: parsed again."""
    row = 'AL{:07d},SMITH,"12 OAK ST\nAPT 4\nBLDG C\nREAR"\n'
    n = 17_000_000 // len(row.format(0))
    path = files.write("big.csv", "voter_id,last_name,res_street_address\n" + "".join(row.format(i) for i in range(n)))
    voters, report = read_checked(path, rows_in=n)
    assert voters["res_street_address"].iloc[-1] == "12 OAK ST\nAPT 4\nBLDG C\nREAR"
    assert report.rows_set_aside == 0
    assert "quoted fields hold line breaks: read again with line breaks allowed inside values" in report.notes


def test_stray_field_is_set_aside_not_fatal(voter_file, read_checked):
    voters, report = read_checked(voter_file, rows_in=9)
    assert report.set_aside["line"].tolist() == [4]


def test_folder_and_unknown_layout(files, tmp_path):
    with pytest.raises(VoterFileError, match="folder"):
        vf.read_voter_file(tmp_path)
    with pytest.raises(ValueError, match="unknown layout 'ohio-ish'"):
        vf.read_voter_file(files.write("x.csv", HEADER), layout="ohio-ish")


def test_encoding_errors_are_explained(files):
    path = files.write("x.csv", HEADER.encode() + b"AL1,MU\xd1OZ,ANA,00301\n")
    with pytest.raises(ValueError, match="unknown encoding 'latin-9x'"):
        vf.read_voter_file(path, encoding="latin-9x")
    refused(files.write("y.csv", b"voter_id,last\xffname\nAL1,x\n"), "line 1", "the header is not ascii",
            encoding="ascii")  # fmt: skip
