"""The clean-voter-file playbook, through papermill, on every layout the toolkit reads and on broken files.

Each run checks what the playbook promises: the outputs are all there and only in the output
folder; every step reconciles (rows in = kept + set aside) and starts from the rows the step
before kept; the set-aside file holds every record the steps set aside; the notebook's outputs
show counts, never a voter's ID or name; bad input stops at the first cell with the toolkit's error.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from playbook_runs import Run, check_stored, execute, personal_values, shown  # tests/
from voterfile.conftest import (  # small files in every layout (tests/voterfile)
    NC_HEADER,
    ROWS,
    LayoutFiles,
)

from campaignlab import cli
from campaignlab.playbooks import playbook_path, repository_root

#: What the clean-voter-file playbook writes (history files only with a history).
VOTER_OUTPUTS = {"clean-voter-file.ipynb", "clean_voters.csv", "set_aside_voters.csv", "reconciliation.csv",
                 "reconciliation.json"}  # fmt: skip
HISTORY_OUTPUTS = {"clean_history.csv", "set_aside_history.csv"}


@pytest.fixture
def run_playbook(tmp_path):
    """Run clean-voter-file with papermill; return a :class:`Run` (raise=False keeps the error)."""
    def run(out_name="out", expect_error=False, **params) -> Run:
        return execute("clean-voter-file", tmp_path, out_name, expect_error, **params)

    return run


@pytest.fixture
def layout_files(tmp_path) -> LayoutFiles:
    folder = tmp_path / "input"
    folder.mkdir()
    return LayoutFiles(folder)


ID_AND_NAMES = ["ncid", "SOS_VOTERID", "Voter File VANID", "first_name", "last_name", "FIRST_NAME", "LAST_NAME",
                "FirstName", "LastName", "res_street_address", "RESIDENTIAL_ADDRESS1", "vAddress"]  # fmt: skip


def check_run(run, source: Path, *, history: bool = False, columns: list[str] | None = None) -> dict:
    """The checks every successful run must pass; returns the reconciliation JSON."""
    assert run.error() is None
    assert {p.name for p in run.out.iterdir()} == VOTER_OUTPUTS | (HISTORY_OUTPUTS if history else set())
    summary = run.json()
    recon = run.csv("reconciliation.csv")
    assert (recon["reconciles"] == "True").all() and (recon["follows_previous"] == "True").all(), recon
    for name, f in summary["files"].items():
        steps = f["steps"]
        assert f["reconciles"] and f["rows_in"] == f["rows_out"] + f["rows_set_aside"], name
        for before, after in zip(steps, steps[1:], strict=False):
            assert after["rows_in"] == before["rows_out"], (name, after["step"])
        for s in steps:
            assert s["rows_in"] == s["rows_kept"] + s["rows_set_aside"], (name, s["step"])
        clean = run.csv(f["clean_file"])
        aside = run.csv(f["set_aside_file"])
        assert len(clean) == f["rows_out"] == f["clean_rows"]
        assert (aside["action"] == "set aside").sum() == f["rows_set_aside"] == f["set_aside_records"]
        assert aside["reason"].notna().all(), f"{name}: a set-aside record without its reason"
        by_step = aside[aside["action"] == "set aside"]["step"].value_counts().to_dict()
        assert by_step == {s["step"]: s["rows_set_aside"] for s in steps if s["rows_set_aside"]}
    voters = summary["files"]["voters"]
    assert voters["steps"][0]["step"] == "read_voter_file"
    assert voters["steps"][-1]["step"] == "assign_households"
    # PII: no ID, name or address of the input in what the notebook shows
    text = run.output_text()
    leaked = shown(text, personal_values(source, columns or ID_AND_NAMES))
    assert not leaked, f"the notebook's outputs show voters' data: {leaked[:5]}"
    assert "dataframe" in text and "reconciles" in text, "the summary table is missing"
    return summary


@pytest.mark.parametrize("maker", ["ncvoter", "ncvoter_2021", "van"])
def test_each_voter_file_layout(run_playbook, layout_files, maker):
    source = getattr(layout_files, maker)()
    before = sorted(p.name for p in source.parent.iterdir())
    run = run_playbook(voter_file=source, as_of="2026-09-12")
    summary = check_run(run, source)
    assert sorted(p.name for p in source.parent.iterdir()) == before, "the playbook wrote beside its input"
    clean = run.csv("clean_voters.csv")
    assert {"household_id", "zip5", "registration_date", "address_std"} <= set(clean.columns)
    if maker.startswith("ncvoter"):  # AL1/AL2 are one man: the later registration is kept, AL1 set aside
        aside = run.csv("set_aside_voters.csv")
        dup = aside[aside["action"] == "set aside"]
        assert dup["ncid"].tolist() == ["AL1"] and dup["kept_id"].tolist() == ["AL2"]
        assert "AL1" not in set(clean["ncid"])
        changed = aside[aside["action"] == "changed"].set_index("ncid")["reason"]
        assert "placeholder date 1/1/1900" in changed["AL3"] and "after the file date" in changed["AL5"]
        assert summary["files"]["voters"]["steps"][0]["layout"].startswith("NC ncvoter")


def test_nc_file_with_its_vote_history(run_playbook, layout_files):
    source, hist = layout_files.ncvoter(), layout_files.ncvhis()
    run = run_playbook(voter_file=source, history_file=hist, as_of="2026-09-12", progress=True)
    summary = check_run(run, source, history=True)
    h = summary["files"]["history"]
    assert h["rows_in"] == 3 and h["steps"][0]["step"] == "read_vote_history"
    aside = run.csv("set_aside_history.csv")
    # AL1's 2016 vote under an old and a new label counts once; AL1 is a duplicate of AL2, so it moves to AL2
    assert aside["reason"].str.contains("label drift").sum() == 1
    kept = run.csv("clean_history.csv")
    assert set(kept["ncid"]) == {"AL2", "AL3"} and kept["merged_from"].dropna().tolist() == ["AL1"]
    text = run.output_text()
    for bar in ("clean_voter_file", "vote history", "writing clean_voters.csv"):
        assert re.search(rf"{bar}:\s+\d+%\|", text), f"no progress bar for {bar}"


def test_ohio_history_comes_from_its_election_columns(run_playbook, layout_files):
    source = layout_files.ohio()
    run = run_playbook(voter_file=source, as_of="2026-09-12")
    summary = check_run(run, source, history=True)
    steps = [s["step"] for s in summary["files"]["history"]["steps"]]
    assert steps[0] == "history_from_wide"
    aside = run.csv("set_aside_history.csv")
    assert "unknown mark 'Y': not a vote, not a blank" in set(aside["reason"])
    dup = run.csv("set_aside_voters.csv").query("action == 'set aside'")
    assert dup["SOS_VOTERID"].tolist() == ["OH2"]  # CONFIRMATION loses to ACTIVE


def test_rows_are_shown_only_when_show_rows_asks(run_playbook, layout_files):
    source = layout_files.ncvoter()
    run = run_playbook(voter_file=source, as_of="2026-09-12", show_rows=2)
    shown_values = shown(run.output_text(), personal_values(source, ["ncid"]))
    # the set-aside file starts with AL1 (the duplicate, kept_id AL2), then AL2 (its ZIP repaired)
    assert shown_values == ["AL1", "AL2"], "show_rows=2 shows the first two records of the set-aside file"


def test_a_line_with_a_stray_tab_is_set_aside_with_its_line_number(run_playbook, layout_files):
    lines = ["\t".join(NC_HEADER)] + ["\t".join("" if v is None else v for v in r) for r in ROWS]
    lines.insert(3, lines[3] + "\tEXTRA")
    source = layout_files.write("ncvoter_20260912.txt", "\n".join(lines) + "\n")
    run = run_playbook(voter_file=source)  # the file's date comes from its name
    summary = check_run(run, source)
    read = summary["files"]["voters"]["steps"][0]
    assert read["rows_in"] == len(ROWS) + 1 and read["rows_set_aside"] == 1
    aside = run.csv("set_aside_voters.csv")
    bad = aside[aside["step"] == "read_voter_file"]
    assert bad["line"].tolist() == ["4"] and bad["raw_line"].str.endswith("EXTRA").all()
    assert summary["input"]["as_of"] == "2026-09-12"


def test_any_other_layout_with_a_column_map(run_playbook, layout_files):
    rename = {"ncid": "VOTER_ID", "first_name": "FIRST", "middle_name": "MIDDLE", "last_name": "SURNAME",
              "registr_dt": "REG_DATE", "zip_code": "ZIP", "res_street_address": "STREET", "status_cd": "STATUS",
              "birth_year": "YOB", "gender_code": "SEX", "full_phone_number": "PHONE"}  # fmt: skip
    people = [{rename.get(k, k): v for k, v in p.items()} for p in layout_files.PEOPLE]
    for p in people:  # ISO dates, as many states write them
        m, d, y = (p["REG_DATE"].split("/") + ["", ""])[:3]
        p["REG_DATE"] = f"{y}-{int(m):02d}-{int(d):02d}" if y.isdigit() else p["REG_DATE"]
    header = list(dict.fromkeys(k for p in people for k in p))
    source = layout_files.write("state_file.csv", layout_files.delimited(header, people, sep=","))
    roles = {"id": "VOTER_ID", "first": "FIRST", "middle": "MIDDLE", "last": "SURNAME", "suffix": None,
             "registration_date": "REG_DATE", "birth_year": "YOB", "gender": "SEX", "zip": "ZIP", "phone": "PHONE",
             "address": "STREET", "status": "STATUS"}  # fmt: skip
    run = run_playbook(voter_file=source, columns=roles, date_format="%Y-%m-%d", as_of="2026-09-12")
    check_run(run, source)
    clean = run.csv("clean_voters.csv").set_index("VOTER_ID")
    assert "AL1" not in clean.index and clean.loc["AL2", "registration_date"] == "2020-05-06"


@pytest.mark.parametrize(
    "case, content, error, words",
    [
        ("empty", b"", "VoterFileError", ["the file is empty", "download"]),
        ("excel", b"PK\x03\x04rest of a zip", "VoterFileError", ["Excel .xlsx", "save the sheet as CSV"]),
        ("no header", b"AL1\t000000000001\t03/14/2012\nAL2\t000000000002\t05/06/2020\n", "VoterFileError",
         ["line 1", "looks like data", "header"]),
        ("missing columns", None, "MissingColumnsError", ["registr_dt", "columns={", "registration_date"]),
        ("repeated ids", None, "VoterFileError", ["used by more than one row", "data row 2"]),
        ("action network", None, "ValueError", ["not a voter file", "match_list"]),
    ],
)  # fmt: skip
def test_bad_input_stops_at_the_first_cell_with_the_toolkits_error(run_playbook, layout_files, case, content,
                                                                    error, words):  # fmt: skip
    source = layout_files.broken(case, content)
    run = run_playbook(voter_file=source, expect_error=True)
    where, err = run.error()
    assert where == 0, f"stopped at step cell {where}, not at the first one (read and check)"
    assert err["ename"] == error, err["ename"]
    assert str(source) in err["evalue"], "the error does not name the file"
    for w in words:
        assert w.lower() in err["evalue"].lower(), (w, err["evalue"])
    assert not (run.out / "clean_voters.csv").exists()
    leaked = shown(err["evalue"], personal_values(layout_files.ncvoter("people.txt"), ["ncid", "last_name"]))
    assert not leaked, f"the error message shows voters' data: {leaked}"


def test_the_command_line_runs_it_and_refuses_what_it_cannot_do(layout_files, tmp_path, capsys, monkeypatch):
    source = layout_files.van()
    monkeypatch.chdir(tmp_path)  # relative paths are the current folder's
    code = cli.main(["playbook", "clean-voter-file", "--quiet", "--param", f"voter_file={source.relative_to(tmp_path)}",
                     "--param", "output_dir=cli-out", "--param", "as_of=2026-09-12", "--param", "progress=false",
                     "--param", "show_rows=0"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert {p.name for p in (tmp_path / "cli-out").iterdir()} == VOTER_OUTPUTS
    assert cli.main(["playbook", "clean-voter-file", "--param", f"voter_file={source}", "--param",
                     f"output_dir={repository_root() / 'playbooks' / 'out'}"]) == 2  # fmt: skip
    assert "inside the campaignlab repository" in capsys.readouterr().err
    assert not (repository_root() / "playbooks" / "out").exists()
    assert cli.main(["playbook", "clean-voter-file", "--param", "voterfile=x", "--param", "output_dir=o"]) == 2
    err = capsys.readouterr().err
    assert "no parameter 'voterfile'" in err and "voter_file" in err
    assert cli.main(["playbook", "clean-voter-file", "--param", f"voter_file={layout_files.action_network()}",
                     "--param", "output_dir=bad", "--quiet"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "stopped at cell" in err and "not a voter file" in err and str(tmp_path / "bad") in err


def test_papermill_itself_runs_it(layout_files, tmp_path):
    import shutil
    import sys

    papermill = shutil.which("papermill", path=str(Path(sys.executable).parent))
    source, out = layout_files.ncvoter(), tmp_path / "pm"
    subprocess.run([papermill, str(playbook_path("clean-voter-file")), str(tmp_path / "pm.ipynb"), "-p", "voter_file",
                    str(source), "-p", "output_dir", str(out), "-p", "as_of", "2026-09-12", "--no-progress-bar"],
                   check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
    assert {p.name for p in out.iterdir()} == VOTER_OUTPUTS - {"clean-voter-file.ipynb"}


def test_the_canonical_county_with_its_history(run_playbook, tmp_path):
    """50,000 voters: every count of the steps is in the set-aside file, record by record."""
    from campaignlab import data

    source = data.path("voters")
    run = run_playbook(voter_file=source, history_file=data.path("history"), as_of="2026-09-12")
    # 50,000 people: last names include words ("CASE"); check IDs and addresses here
    summary = check_run(run, source, history=True, columns=["ncid", "voter_reg_num", "res_street_address"])
    aside = run.csv("set_aside_voters.csv")
    reasons = aside["reason"].str.split("; ").explode().value_counts()
    steps = {s["step"]: s for s in summary["files"]["voters"]["steps"]}
    dates = steps["parse_registration_dates"]["changed"]
    for what, n in dates.items():  # every date turned to missing is listed, with its reason
        if what.startswith("date -> missing: "):
            assert reasons.get("registration date -> missing: " + what.removeprefix("date -> missing: ")) == n, what
    for what, n in steps["normalize_phone"]["changed"].items():
        assert reasons.get(what) == n, what
    removed = steps["normalize_address"]["changed"]["address: placeholder 'REMOVED'"]
    assert reasons.get("address: placeholder 'REMOVED'") == removed
    text = run.output_text()
    assert not re.search(r"\bAL\d{6}\b", text), "the notebook shows a voter ID"


def test_the_stored_playbook_has_no_outputs_and_a_parameters_cell():
    check_stored("clean-voter-file")


def test_nbstripout_filters_playbooks_and_leaves_the_lessons_alone(tmp_path):
    """The documented one-time install, in a scratch repository with the shipped .gitattributes:
    `git add` strips a playbook run on real data, and stores a lesson byte for byte."""
    import shutil
    import sys

    root = repository_root()
    lesson = next(root.glob("curriculum/*/*.ipynb")).relative_to(root)
    repo = tmp_path / "repo"
    for rel in (Path(".gitattributes"), lesson, Path("playbooks/clean-voter-file.ipynb")):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / rel, repo / rel)
    ran = nbformat.read(repo / "playbooks/clean-voter-file.ipynb", as_version=4)
    ran.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="AL1 ANDRÉS CASTAÑEDA\n")]
    ran.cells[2].execution_count = 1
    nbformat.write(ran, repo / "playbooks/clean-voter-file.ipynb")
    attributes = (repo / ".gitattributes").read_bytes()
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True, text=True).stdout  # noqa: E731
    git("init", "-q")
    nbstripout = Path(sys.executable).with_name("nbstripout")
    subprocess.run([str(nbstripout), "--install", "--attributes", ".gitattributes"], cwd=repo, check=True)
    assert (repo / ".gitattributes").read_bytes() == attributes, "the install changed .gitattributes"
    info = repo / ".git" / "info" / "attributes"
    assert not info.exists() or "ipynb" not in info.read_text(), "the install filters every notebook"
    git("add", ".")
    staged = git("show", ":playbooks/clean-voter-file.ipynb")
    assert "CASTAÑEDA" not in staged and '"outputs": []' in staged
    assert git("show", f":{lesson}").encode() == (root / lesson).read_bytes(), "git add changed a lesson"
    attrs = git("check-attr", "filter", "--", "playbooks/another-playbook.ipynb", str(lesson))
    assert attrs.splitlines() == ["playbooks/another-playbook.ipynb: filter: nbstripout",
                                  f"{lesson}: filter: unspecified"]  # fmt: skip


def test_the_first_cell_refuses_missing_parameters_and_an_output_folder_in_the_repository(run_playbook, layout_files):
    run = run_playbook(expect_error=True)  # the defaults: no voter file
    where, err = run.error()
    assert where == 0 and err["ename"] == "PlaybookError" and "voter_file is not set" in err["evalue"]
    inside = repository_root() / "playbooks" / "real-data-out"
    run = run_playbook(out_name="o2", expect_error=True, voter_file=layout_files.ncvoter(), output_dir=str(inside))
    where, err = run.error()
    assert where == 0 and "inside the campaignlab repository" in err["evalue"]
    assert not inside.exists(), "the playbook wrote into the repository"
