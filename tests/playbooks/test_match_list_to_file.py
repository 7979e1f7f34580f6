"""The match-list-to-file playbook, through papermill: a generated list with its truth, other layouts, bad input.

Each run checks what the playbook promises: the outputs are all there and only in the output
folder; every list row ends in exactly one of matched, needs review or not found (the
reconciliation holds, step by step); matched rows are right (precision against the truth of
``synth.match_lists``); the notebook shows counts, never a person's ID or name.
"""

from __future__ import annotations

import pandas as pd
import pytest
from playbook_runs import Run, check_stored, execute, personal_values, shown  # tests/
from voterfile.conftest import LayoutFiles  # small files in every layout (tests/voterfile)

from campaignlab import cli, data
from campaignlab.playbooks import repository_root
from campaignlab.synth.match_lists import build_match_list, score_matches
from campaignlab.voterfile import read_voter_file

pytestmark = pytest.mark.slow

OUTPUTS = {"match-list-to-file.ipynb", "matched.csv", "needs_review.csv", "not_found.csv", "summary.md",
           "reconciliation.csv", "reconciliation.json"}  # fmt: skip


@pytest.fixture
def run_match(tmp_path):
    """Run match-list-to-file with papermill; return a :class:`Run` (``expect_error`` keeps the error)."""
    def run(out_name="out", expect_error=False, **params) -> Run:
        return execute("match-list-to-file", tmp_path, out_name, expect_error, **params)

    return run


def check_run(run: Run, list_rows: int, id_column: str) -> dict:
    """What every finished run must show; returns the reconciliation JSON."""
    assert run.error() is None
    assert {p.name for p in run.out.iterdir()} == OUTPUTS
    recon = run.csv("reconciliation.csv")
    assert (recon[["reconciles", "follows_previous"]].apply(lambda c: c.str.lower()) == "true").all().all(), recon
    summary = run.json()["files"]["list"]
    matched, review, missing = run.csv("matched.csv"), run.csv("needs_review.csv"), run.csv("not_found.csv")
    assert summary["rows_in"] == list_rows == len(matched) + review[id_column].nunique() + len(missing)
    assert summary["matched_rows"] == summary["rows_out"] == len(matched)
    # each list row in exactly one part; every not-found row has its reason
    ids = [set(matched[id_column]), set(review[id_column]), set(missing[id_column].dropna())]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2]), "a list row in two parts"
    assert missing["reason"].notna().all() and review["reason"].notna().all()
    assert review["decision"].isna().all() and list(review.columns[:1]) == ["decision"]
    assert (matched["match_probability"].astype(float) >= 0.9).all()
    text = (run.out / "summary.md").read_text()
    assert f"{list_rows:,} rows on the list" in text and "never tell them they are not registered" in text
    return summary


@pytest.fixture(scope="module")
def county_list(tmp_path_factory):
    """A 600-row Action Network export of people from the canonical county, and its truth."""
    folder = tmp_path_factory.mktemp("list")
    voters, _ = read_voter_file(data.path("voters"))
    text = lambda n: pd.read_csv(data.path(n), dtype=str, keep_default_na=False, na_values=[""])  # noqa: E731
    regs = text("truth_registrations")
    signups, truth = build_match_list(voters, text("truth_people"), regs, size=600, seed=11)
    signups = signups.drop(columns=["birth_year"])  # Action Network has no birth year
    signups.loc[0, "last_name"] = None  # cannot be matched at all
    path = folder / "action_network_export.csv"
    signups.to_csv(path, index=False)
    return path, signups, truth, regs


def test_an_action_network_export_against_the_county(run_match, county_list):
    path, signups, truth, regs = county_list
    run = run_match(list_file=path, voter_file=data.path("voters"))
    check_run(run, len(signups), "uuid")
    quality = score_matches(run.csv("matched.csv"), truth, regs, review=run.csv("needs_review.csv"))
    print(quality)
    assert quality["precision"] >= 0.97 and quality["recall_with_review"] >= 0.95, quality
    assert quality["hard_negatives_matched"] <= 0.02, quality
    missing = run.csv("not_found.csv")
    assert missing.loc[missing["uuid"] == signups.loc[0, "uuid"], "reason"].tolist() == [
        "no first or last name: a name is needed to match"]  # fmt: skip
    leaked = shown(run.output_text(), personal_values(path, ["uuid", "email", "can2_user_address", "can2_phone"]))
    assert not leaked, f"the notebook's outputs show people's data: {leaked[:5]}"


def test_a_latin1_signup_sheet_with_a_column_map_against_a_van_export(run_match, tmp_path):
    files = LayoutFiles(tmp_path)
    van = files.van()
    sheet = files.write("signups.csv", "Row;Given name;Family name;Post code;Mobile\r\n"
                        "1;Andrés;Castañeda;301;(919) 555-0100\r\n2;Zed;Quill;00399;\r\n3;;Lee;00304;\r\n",
                        encoding="latin-1")  # fmt: skip
    run = run_match(list_file=sheet, voter_file=van, list_layout="delimited",
                    list_columns={"id": "Row", "first": "Given name", "last": "Family name", "zip": "Post code",
                                  "phone": "Mobile"})  # fmt: skip
    check_run(run, 3, "Row")
    matched = run.csv("matched.csv")
    assert matched[["Row", "Voter File VANID", "voter_first"]].values.tolist() == [["1", "0012", "Andrés"]]
    assert run.csv("not_found.csv").set_index("Row")["reason"].to_dict() == {
        "2": "no voter with a similar name", "3": "no first or last name: a name is needed to match"}  # fmt: skip
    assert "Andrés" not in run.output_text() and "0012" not in run.output_text()


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"list_layout": "delimited"}, "the toolkit does not know this layout: map its columns with list_columns="),
        ({"list_columns": {"phone": "cell"}}, "no column phone='cell'"),
        ({"swap": True}, "not a list of people: give it as voter_file"),
        ({"list_columns": {"mobile": "x"}}, "unknown roles ['mobile']"),
    ],
)
def test_bad_input_stops_at_the_first_cell_with_a_message(run_match, tmp_path, params, says):
    files = LayoutFiles(tmp_path)
    people, van = files.action_network(), files.van()
    if params.pop("swap", False):
        people = van
    run = run_match(expect_error=True, list_file=people, voter_file=van, **params)
    cell, error = run.error()
    assert cell == 0 and says in error["evalue"], error["evalue"]
    assert {p.name for p in run.out.iterdir()} == {"match-list-to-file.ipynb"}, "wrote outputs on bad input"


def test_the_command_line_runs_it_and_refuses_an_output_folder_in_the_repository(tmp_path, capsys, monkeypatch):
    files = LayoutFiles(tmp_path)
    people, van = files.action_network(), files.van()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["playbook", "match-list-to-file", "--quiet", "--param", f"list_file={people.name}", "--param",
                     f"voter_file={van.name}", "--param", "output_dir=cli-out", "--param", "progress=false"]) == 0  # fmt: skip
    assert {p.name for p in (tmp_path / "cli-out").iterdir()} == OUTPUTS
    assert pd.read_csv(tmp_path / "cli-out" / "matched.csv", dtype=str)["uuid"].tolist() == ["u1"]
    capsys.readouterr()
    assert cli.main(["playbook", "match-list-to-file", "--param", f"list_file={people}", "--param",
                     f"voter_file={van}", "--param", f"output_dir={repository_root() / 'out'}"]) == 2  # fmt: skip
    assert "inside the campaignlab repository" in capsys.readouterr().err
    assert not (repository_root() / "out").exists()


def test_the_stored_playbook_has_no_outputs_and_a_parameters_cell():
    check_stored("match-list-to-file")


def test_the_clean_file_of_clean_voter_file_is_a_voter_file_to_match_against(run_match, tmp_path):
    """The documented chain: clean-voter-file first, then match against its clean_voters.csv."""
    from campaignlab.playbooks import run_playbook

    files = LayoutFiles(tmp_path)
    clean_out = tmp_path / "clean"
    run_playbook("clean-voter-file", {"voter_file": str(files.ncvoter()), "output_dir": str(clean_out),
                                      "as_of": "2026-09-12", "progress": False}, progress=False)  # fmt: skip
    people = files.action_network()
    run = run_match(list_file=people, voter_file=clean_out / "clean_voters.csv")
    check_run(run, 2, "uuid")
    assert "in groups of registrations of one person" in run.output_text()
    parts = {name: set(run.csv(f"{name}.csv")["uuid"]) for name in ("matched", "needs_review", "not_found")}
    assert parts["not_found"] == {"u2"} and parts["matched"] | parts["needs_review"] == {"u1"}, parts
