"""clean-voter-file's duckdb engine (a statewide file, in pieces) gives the pandas engine's files.

Each case runs the playbook twice through papermill, ``engine="pandas"`` and ``engine="duckdb"``
with pieces of a few rows (so every file is cut into many pieces, the duplicates and a voter's
votes fall in different pieces, and DuckDB's buckets are mostly empty), and compares what they
wrote: every CSV and the reconciliation JSON, byte for byte. Bad input stops both at the first
cell with the same error.
"""

from __future__ import annotations

import filecmp
import json
import re
from collections.abc import Sequence

import pytest
from playbook_runs import execute  # tests/
from voterfile.conftest import (  # small files in every layout (tests/voterfile)
    NC_HEADER,
    ROWS,
    LayoutFiles,
)

from campaignlab.playbooks.statewide import choose_engine

CSVS = ["clean_voters.csv", "set_aside_voters.csv", "reconciliation.csv", "reconciliation.json"]
HISTORY_CSVS = ["clean_history.csv", "set_aside_history.csv"]


@pytest.fixture
def layout_files(tmp_path) -> LayoutFiles:
    folder = tmp_path / "input"
    folder.mkdir()
    return LayoutFiles(folder)


def both_engines(tmp_path, *, history: bool = False, chunk_rows: int = 2, bars: Sequence[str] = (), **params) -> dict:
    """Run both engines on the same input; assert their files are the same (and the duckdb run's progress
    ``bars`` are shown); return the JSON."""
    runs = {e: execute("clean-voter-file", tmp_path, e, False, engine=e, chunk_rows=chunk_rows, **params)
            for e in ("pandas", "duckdb")}  # fmt: skip
    pandas, duckdb = runs["pandas"].out, runs["duckdb"].out
    assert {p.name for p in pandas.iterdir()} == {p.name for p in duckdb.iterdir()}, "not the same files"
    for name in CSVS + (HISTORY_CSVS if history else []):
        assert filecmp.cmp(pandas / name, duckdb / name, shallow=False), f"{name} differs between the engines"
    a = json.loads((pandas / "reconciliation.json").read_text())
    text = runs["duckdb"].output_text()
    assert "engine: duckdb" in text
    for bar in bars:
        assert re.search(rf"{re.escape(bar)}:\s+\d+%\|", text), f"no progress bar for {bar}"
    assert not (duckdb / ".work").exists(), "the work folder was left behind"
    return a


@pytest.mark.parametrize("maker", ["ncvoter", "ncvoter_2021", "van"])
def test_each_layout_gives_the_same_files(tmp_path, layout_files, maker):
    summary = both_engines(tmp_path, voter_file=getattr(layout_files, maker)(), as_of="2026-09-12")
    assert summary["files"]["voters"]["rows_in"] == (3 if maker == "van" else 5)


def test_nc_file_and_its_history_give_the_same_files(tmp_path, layout_files):
    bars = ["cleaning, piece by piece", "the whole file", "writing the clean file", "history: dedupe by voter"]
    summary = both_engines(tmp_path, history=True, voter_file=layout_files.ncvoter(), history_file=layout_files.ncvhis(),
                           as_of="2026-09-12", progress=True, bars=bars)  # fmt: skip
    changed = summary["files"]["history"]["steps"][1]["changed"]
    assert changed == {"vote of a duplicate registration credited to the one kept": 2}


def test_ohio_history_from_its_election_columns_gives_the_same_files(tmp_path, layout_files):
    summary = both_engines(tmp_path, history=True, voter_file=layout_files.ohio(), as_of="2026-09-12")
    assert summary["files"]["history"]["steps"][0]["step"] == "history_from_wide"


def test_broken_lines_give_the_same_files(tmp_path, layout_files):
    """A stray tab (line 4) and a truncated last line (a quote never closed): both set aside, by line."""
    lines = ["\t".join(NC_HEADER)] + ["\t".join("" if v is None else v for v in r) for r in ROWS]
    lines.insert(3, lines[3] + "\tEXTRA")
    text = "\n".join(lines) + "\n" + '"AL9\t"00000'
    source = layout_files.write("ncvoter_20260912.txt", text)
    summary = both_engines(tmp_path, voter_file=source)
    assert summary["files"]["voters"]["steps"][0]["rows_set_aside"] == 2


def test_a_column_map_and_lines_in_cp1252_give_the_same_files(tmp_path, layout_files):
    people = [dict(p) for p in layout_files.PEOPLE]
    header = list(people[0])
    text = layout_files.delimited(header, people, sep=",").encode("utf-8")
    text = text.replace("GÓMEZ-PEÑA".encode(), "GÓMEZ-PEÑA".encode("cp1252"))  # one line saved by Excel
    source = layout_files.write("state_file.csv", text)
    roles = {"id": "ncid", "first": "first_name", "middle": "middle_name", "last": "last_name", "suffix": None,
             "registration_date": "registr_dt", "birth_year": "birth_year", "gender": "gender_code", "zip": "zip_code",
             "phone": "full_phone_number", "address": "res_street_address", "status": "status_cd"}  # fmt: skip
    summary = both_engines(tmp_path, voter_file=source, layout="delimited", columns=roles, as_of="2026-09-12")
    assert summary["files"]["voters"]["steps"][0]["changed"]


def test_the_generated_county_with_its_history_gives_the_same_files(tmp_path):
    """50,000 registrations and their votes, in pieces of 7,000: duplicates across pieces, 16 buckets of votes."""
    from campaignlab import data

    summary = both_engines(tmp_path, history=True, chunk_rows=7_000, voter_file=data.path("voters"),
                           history_file=data.path("history"), as_of="2026-09-12")  # fmt: skip
    voters = summary["files"]["voters"]
    assert voters["rows_set_aside"] > 0 and voters["steps"][-2]["step"] == "resolve_duplicates"
    assert summary["files"]["history"]["rows_set_aside"] > 0


@pytest.mark.parametrize("case", ["missing columns", "repeated ids", "action network", "empty"])
def test_bad_input_stops_both_at_the_first_cell_with_the_same_error(tmp_path, layout_files, case):
    source = layout_files.broken(case)
    errors = []
    for engine in ("pandas", "duckdb"):
        run = execute("clean-voter-file", tmp_path, engine, True, voter_file=source, engine=engine, chunk_rows=2)
        where, err = run.error()
        assert where == 0, f"{engine}: stopped at step cell {where}, not at the first one"
        errors.append((err["ename"], err["evalue"]))
    assert errors[0] == errors[1]


def test_auto_takes_duckdb_for_a_statewide_file_only():
    assert choose_engine("auto", 2_100_000_000) == "duckdb"  # 5 million NC registrations
    assert choose_engine("auto", 21_000_000) == "pandas"  # the county
    assert choose_engine("duckdb", 100) == "duckdb"
    with pytest.raises(ValueError, match="engine is 'auto', 'pandas' or 'duckdb'"):
        choose_engine("spark", 100)
