"""The turnout-targets playbook, through papermill: the canonical county, an Ohio-shaped file, a column map, bad input.

Each run checks what the playbook promises: the outputs are all there and only in the output
folder; every registration is scored or set aside with a reason (rows in = scored + set aside),
every door-universe voter is on a walk list or set aside; the back-test's calibration figures are
printed and sane (recomputed from the files, never typed in); the model is honest in time; walk
lists are in walk order and carry no race or ethnicity column unless asked; the notebook shows
counts, never a voter's ID, name or address.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from playbook_runs import Run, check_stored, execute, personal_values, shown  # tests/
from voterfile.conftest import LayoutFiles  # small files in every layout (tests/voterfile)

from campaignlab import cli, data
from campaignlab import targeting as tg
from campaignlab.voterfile import read_vote_history, read_voter_file

pytestmark = pytest.mark.slow

OUTPUTS = {"turnout-targets.ipynb", "scores.csv", "universes.csv", "walk_lists", "model_report.json",
           "model_report.csv", "reliability.csv", "gains.csv", "set_aside.csv", "reconciliation.csv",
           "reconciliation.json"}  # fmt: skip
#: The only columns a walk list may carry (race and ethnicity only when walk_race asks).
WALK_COLUMNS = {"precinct", "packet", "stop", "street", "side", "house_number", "voter_id", "first", "middle", "last",
                "suffix", "address", "city", "zip", "age", "gender", "universe", "support", "result",
                "support_response", "notes"}  # fmt: skip
RACE_WORDS = ("race", "ethnic", "hispanic")


@pytest.fixture
def run_targets(tmp_path):
    """Run turnout-targets with papermill; return a :class:`Run` (``expect_error`` keeps the error)."""
    def run(out_name="out", expect_error=False, **params) -> Run:
        return execute("turnout-targets", tmp_path, out_name, expect_error, **params)

    return run


def walk_files(run: Run) -> dict[str, pd.DataFrame]:
    index = run.csv("walk_lists/index.csv")
    return {row.precinct: run.csv(f"walk_lists/{row.file}") for row in index.itertuples()}


def check_walk_order(walk: pd.DataFrame, doors_per_packet: int = 36) -> None:
    """Walk order: one precinct per file, each street once, odd side then even, house numbers up."""
    assert walk["precinct"].nunique() == 1
    stop = walk["stop"].astype(int)
    assert stop.iloc[0] == 1 and stop.is_monotonic_increasing and (stop.diff().dropna() <= 1).all()
    assert (walk["packet"].astype(int) == (stop - 1) // doors_per_packet + 1).all()
    street = walk["street"]
    visits = street[street.ne(street.shift())]
    assert visits.is_unique, "a street is walked twice in one precinct"
    assert visits.tolist() == sorted(visits), "streets are not in the toolkit's order"
    number = walk["house_number"].astype(int)
    assert ((number % 2 == 1) == walk["side"].eq("odd")).all(), "a house is on the wrong side of the street"
    for _, block in walk.groupby(street.to_numpy(), sort=False):
        sides = block["side"]
        assert sides.tolist() == sorted(sides, key=lambda s: s != "odd"), "odd side, then even side"
        for _, one_side in block.groupby(sides.to_numpy()):
            assert one_side["house_number"].astype(int).is_monotonic_increasing, "house numbers go up"


def check_run(run: Run, voters_in: int, *, walk_universes=("gotv", "persuasion"), race_allowed=False) -> dict:
    """What every finished run must show; returns the model report."""
    assert run.error() is None
    assert {p.name for p in run.out.iterdir()} == OUTPUTS | ({"registration_chase.csv"}
                                                             if (run.out / "registration_chase.csv").exists() else set())
    recon = run.csv("reconciliation.csv")
    assert (recon[["reconciles", "follows_previous"]].apply(lambda c: c.str.lower()) == "true").all().all(), recon
    files = run.json()["files"]
    scores, universes, aside = run.csv("scores.csv"), run.csv("universes.csv"), run.csv("set_aside.csv")
    # every registration is scored or set aside, with a reason, never both
    voter_aside = aside[aside["file"] == "voters"]
    assert files["voters"]["rows_in"] == voters_in == len(scores) + len(voter_aside)
    assert files["voters"]["reconciles"] and files["voters"]["rows_out"] == len(scores)
    assert scores["voter_id"].is_unique and not set(scores["voter_id"]) & set(voter_aside["id"].dropna())
    assert aside["reason"].notna().all()
    p = scores["turnout_score"].astype(float)
    assert p.between(0, 1).all() and set(scores["decile"].astype(int)) == set(range(1, 11))
    assert p.groupby(scores["decile"].astype(int)).mean().is_monotonic_decreasing
    # one universe and a reason per person scored
    on_file = universes[universes["universe"] != "registration chase"]
    assert sorted(on_file["voter_id"]) == sorted(scores["voter_id"]) and universes["reason"].notna().all()
    # walk lists: every door-universe voter on one, or set aside with the reason
    walks = walk_files(run)
    walk = pd.concat(walks.values(), ignore_index=True) if walks else pd.DataFrame(columns=["voter_id"])
    door = set(on_file.loc[on_file["universe"].isin(walk_universes), "voter_id"])
    walk_aside = aside[aside["file"] == "walk lists"]
    assert set(walk["voter_id"]) | set(walk_aside["id"]) == door and len(walk) + len(walk_aside) == len(door)
    assert walk["voter_id"].is_unique
    for name, one in walks.items():
        check_walk_order(one)
        extra = set(one.columns) - WALK_COLUMNS
        assert race_allowed or not extra, f"walk list {name} carries {extra}"
        assert race_allowed or not [c for c in one.columns if any(w in c.lower() for w in RACE_WORDS)]
        assert one[["result", "support_response", "notes"]].isna().all().all()
    # the back-test: figures sane, consistent with the reliability table, printed in the notebook
    report = json.loads((run.out / "model_report.json").read_text())
    back = report["backtest"]
    assert 0.6 < back["auc"] < 1 and 0 <= back["ece"] < 0.25 and 0 < back["brier"] < 0.25, back
    rel = run.csv("reliability.csv").astype({"voters": int, "gap": float})
    assert rel["voters"].sum() == back["voters"]
    assert abs((rel["voters"] * rel["gap"].abs()).sum() / rel["voters"].sum() - back["ece"]) < 1e-9
    text = run.output_text()
    assert f"AUC {back['auc']:.3f}" in text and f"ECE {back['ece']:.3f}" in text
    # honest in time: fitted on an election before the target, back-tested on one before that
    target = pd.Timestamp(report["election"])
    assert pd.Timestamp(report["fitted_on"]) < target
    if back["fitted_on"]:
        assert pd.Timestamp(back["fitted_on"]) < pd.Timestamp(back["scored"]) == pd.Timestamp(report["fitted_on"])
    for note in report["features_before"]:
        used = pd.to_datetime(note.split(": ")[1].split(", "), format="%m/%d/%Y", errors="coerce").dropna()
        assert (used < target).all(), note
    return report


# --- the canonical county -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unregistered(tmp_path_factory):
    """Supporters who are not on the voter file: three rows of an Action Network export, one without an ID."""
    folder = tmp_path_factory.mktemp("unregistered")
    an = pd.read_csv(data.path("list"), dtype=str).head(3)
    an.loc[2, "uuid"] = None
    path = folder / "not_found.csv"
    an.to_csv(path, index=False)
    return path


def test_the_canonical_county_with_support_ids_and_a_registration_chase(run_targets, unregistered):
    run = run_targets(voter_file=data.path("voters"), history_file=data.path("history"), election="2026-11-03",
                      contacts_file=data.path("contacts"), as_of="2026-10-11", unregistered_file=unregistered)
    voters, _ = read_voter_file(data.path("voters"), required=[])
    report = check_run(run, len(voters))
    # the electorate is the toolkit's, recomputed here
    electorate, _ = tg.eligible_at(voters, "2026-11-03")
    assert sorted(run.csv("scores.csv")["voter_id"]) == sorted(electorate["ncid"])
    # the back-test is the toolkit's recipe, recomputed: fit on the election before, score the one fitted on
    history, _ = read_vote_history(data.path("history"))
    back = report["backtest"]
    last = back["counts_last"]  # the history starts in 2016: the 2018 fit sees one general, so both days count one
    assert last == min(3, (tg.election_calendar(history)["date"] < back["fitted_on"]).groupby(
        tg.election_calendar(history)["kind"]).sum().reindex(list(tg.KINDS), fill_value=0).min())
    x_back, _ = tg.turnout_features(voters, history, back["fitted_on"], last=last)
    x_check, _ = tg.turnout_features(voters, history, back["scored"], last=last)
    model = tg.fit_turnout_model(x_back, tg.voted_in(history, back["fitted_on"], x_back.index))
    quality = tg.score_quality(tg.voted_in(history, back["scored"], x_check.index), tg.score_turnout(model, x_check))
    assert abs(quality["auc"] - back["auc"]) < 1e-6 and abs(quality["ece"] - back["ece"]) < 1e-6
    # support IDs: GOTV and persuasion follow the toolkit's rules, with the ID in the reason
    universes = run.csv("universes.csv")
    tiers = universes.set_index("voter_id")
    gotv, pers = tiers[tiers["universe"] == "gotv"], tiers[tiers["universe"] == "persuasion"]
    assert len(gotv) and len(pers)
    assert gotv["support_id"].astype(int).isin([1, 2]).all() and gotv["turnout_score"].astype(float).between(0.25, 0.70).all()
    assert (pers["support_id"].astype(int) == 3).all() and (pers["turnout_score"].astype(float) >= 0.70).all()
    assert gotv["reason"].str.contains("support ID").all()
    ids, _ = tg.support_ids(pd.read_csv(data.path("contacts"), dtype=str), as_of="2026-10-11")
    has_id = tiers["support_id"].notna() & (tiers["universe"] != "registration chase")
    assert set(tiers.index[has_id]) == set(ids.index) & set(run.csv("scores.csv")["voter_id"])
    inactive = set(voters.loc[voters["status_cd"] == "I", "ncid"]) & set(tiers.index)
    assert inactive and set(tiers.index[tiers["inactive"].str.lower() == "true"]) == inactive
    # the registration chase: the list rows with an ID, the one without set aside
    chase = run.csv("registration_chase.csv")
    assert len(chase) == 2 and (chase["deadline"] == "2026-10-09").all()
    aside = run.csv("set_aside.csv")
    assert aside.loc[aside["file"] == "unregistered", "reason"].tolist() == ["no list ID (uuid)"]
    # confidential voters never on a walk list
    secret = set(voters.loc[voters["confidential_ind"] == "Y", "ncid"])
    walk = pd.concat(walk_files(run).values())
    assert not secret & set(walk["voter_id"])
    # nothing personal in the notebook's outputs
    leaked = shown(run.output_text(), personal_values(data.path("voters"), ["ncid", "res_street_address"]))
    assert not leaked, f"the notebook's outputs show people's data: {leaked[:5]}"


def test_a_municipal_election_counts_the_residents_only(run_targets):
    run = run_targets(voter_file=data.path("voters"), history_file=data.path("history"), election="2027-11-02",
                      election_kind="MUNICIPAL")
    voters, _ = read_voter_file(data.path("voters"), required=[])
    report = check_run(run, len(voters))
    residents, why = tg.eligible_at(voters, "2027-11-02", municipality="municipality_abbrv")
    assert sorted(run.csv("scores.csv")["voter_id"]) == sorted(residents["ncid"])
    aside = run.csv("set_aside.csv")
    outside = aside[aside["reason"] == "not a resident of a municipality"]
    assert len(outside) == why.reasons["not a resident of a municipality"] > 0
    # fitted and back-tested on municipal elections, their turnout over the residents too
    history, _ = read_vote_history(data.path("history"))
    calendar = tg.election_calendar(history)
    municipal = calendar.loc[calendar["kind"] == "MUNICIPAL", "date"].dt.strftime("%Y-%m-%d").tolist()
    assert report["fitted_on"] == municipal[-1] and report["backtest"]["fitted_on"] == municipal[-2]
    electorate, _ = tg.eligible_at(voters, municipal[-1], municipality="municipality_abbrv")
    voted = tg.voted_in(history, municipal[-1], electorate["ncid"])
    assert abs(report["backtest"]["turnout"] - voted.mean()) < 1e-9


# --- other layouts, built from the canonical county -------------------------------------------------------------


@pytest.fixture(scope="module")
def county_sample():
    """15,000 registrations of the canonical county and their votes."""
    voters, _ = read_voter_file(data.path("voters"), required=[])
    history, _ = read_vote_history(data.path("history"))
    sample = voters.iloc[:15_000]
    return sample, history[history["ncid"].isin(sample["ncid"])]


def test_an_ohio_shaped_file_with_its_history_in_election_columns(run_targets, tmp_path, county_sample):
    voters, history = county_sample
    voters = voters[voters["status_cd"].isin(["A", "S", "I"])]  # Ohio's file holds active and confirmation voters
    reg = pd.to_datetime(voters["registr_dt"], format="%m/%d/%Y", errors="coerce")
    ohio = pd.DataFrame({
        "SOS_VOTERID": "OH" + voters["ncid"].str[2:], "COUNTY_NUMBER": "25", "COUNTY_ID": voters["voter_reg_num"],
        "LAST_NAME": voters["last_name"], "FIRST_NAME": voters["first_name"], "MIDDLE_NAME": voters["middle_name"],
        "SUFFIX": voters["name_suffix_lbl"], "DATE_OF_BIRTH": voters["birth_year"] + "-07-01",
        "REGISTRATION_DATE": reg.dt.strftime("%Y-%m-%d"),
        "VOTER_STATUS": voters["status_cd"].map({"A": "ACTIVE", "S": "ACTIVE", "I": "CONFIRMATION"}),
        "PARTY_AFFILIATION": voters["party_cd"].str[0].where(voters["party_cd"].isin(["DEM", "REP"])),
        "RESIDENTIAL_ADDRESS1": voters["res_street_address"], "RESIDENTIAL_SECONDARY_ADDR": None,
        "RESIDENTIAL_CITY": voters["res_city_desc"], "RESIDENTIAL_STATE": "OH",
        "RESIDENTIAL_ZIP": voters["zip_code"].str[:5], "RESIDENTIAL_ZIP_PLUS4": None,
        "PRECINCT_NAME": voters["precinct_desc"], "PRECINCT_CODE": voters["precinct_abbrv"]})  # fmt: skip
    cal = tg.election_calendar(history)
    for lbl, kind in zip(cal["election_lbl"], cal["kind"], strict=True):
        voted = set(history.loc[history["election_lbl"] == lbl, "ncid"])
        ohio[f"{kind}-{lbl}"] = np.where(voters["ncid"].isin(voted), "X", None)
    path = tmp_path / "SWVF_1_22.txt"
    ohio.to_csv(path, index=False)
    with path.open("a") as f:  # a broken last line: too many fields (a stray comma in a name)
        f.write(",".join(["OH999", "25", "X", "ROE, JR", "JAN"] + [""] * (ohio.shape[1] - 3)) + "\n")
    run = run_targets(voter_file=path, election="2026-11-03")
    check_run(run, len(ohio) + 1, walk_universes=("gotv", "persuasion"))
    aside = run.csv("set_aside.csv")
    unread = aside[aside["step"] == "read_voter_file"]
    assert len(unread) == 1 and unread["line"].astype(int).tolist() == [len(ohio) + 2], unread
    assert "Ohio statewide voter file" in run.output_text()
    scores = run.csv("scores.csv")
    inactive = set(ohio.loc[ohio["VOTER_STATUS"] == "CONFIRMATION", "SOS_VOTERID"])
    universes = run.csv("universes.csv").set_index("voter_id")
    assert inactive <= set(scores["voter_id"]) and universes.loc[list(inactive), "inactive"].str.lower().eq("true").all()


def test_any_other_layout_with_a_column_map_race_when_asked_and_a_back_test_on_held_out_voters(run_targets, tmp_path, county_sample):
    voters, history = county_sample
    reg = pd.to_datetime(voters["registr_dt"], format="%m/%d/%Y", errors="coerce")
    state = pd.DataFrame({"VOTER_ID": voters["ncid"], "GIVEN": voters["first_name"], "SURNAME": voters["last_name"],
                          "REG_DATE": reg.dt.strftime("%Y-%m-%d"), "YOB": voters["birth_year"],
                          "STATUS": voters["status_cd"], "AFFIL": voters["party_cd"], "SEX": voters["gender_code"],
                          "PCT": voters["precinct_abbrv"], "STREET": voters["res_street_address"],
                          "TOWN": voters["res_city_desc"], "ZIP": voters["zip_code"], "RACE": voters["race_code"]})  # fmt: skip
    votes = history.rename(columns={"ncid": "VOTER", "election_lbl": "DATE", "election_desc": "ELECTION"})
    state.to_csv(tmp_path / "state_file.csv", index=False)
    votes[["VOTER", "DATE", "ELECTION"]].to_csv(tmp_path / "state_history.csv", index=False)
    columns = {"id": "VOTER_ID", "first": "GIVEN", "last": "SURNAME", "registration_date": "REG_DATE",
               "birth_year": "YOB", "status": "STATUS", "party": "AFFIL", "gender": "SEX", "precinct": "PCT",
               "address": "STREET", "city": "TOWN", "zip": "ZIP", "race": "RACE"}  # fmt: skip
    run = run_targets(voter_file=tmp_path / "state_file.csv", history_file=tmp_path / "state_history.csv",
                      columns=columns, date_format="%Y-%m-%d",
                      history_columns={"id": "VOTER", "election": "DATE", "desc": "ELECTION"},
                      election="2026-11-03", walk_universes=["gotv"], walk_race=True,
                      backtest_election="2016-11-08")
    report = check_run(run, len(state), walk_universes=("gotv",), race_allowed=True)
    # no comparable election before 2016 in the history: checked on the half of 2016's voters it was not fitted on
    assert report["fitted_on"] == "2016-11-08" and report["backtest"]["fitted_on"] is None
    assert "half of the voters" in report["backtest"]["how"] and "half of the voters" in run.output_text()
    assert abs(report["backtest"]["voters"] - report["fit"]["voters"] / 2) <= 1
    walk = pd.concat(walk_files(run).values())
    assert "RACE" in walk.columns and set(walk.columns) - WALK_COLUMNS == {"RACE"}


def test_a_van_export_with_the_state_id_mapped_scores_as_the_state_file_does(run_targets, tmp_path, county_sample):
    """A VAN export has ages, not birth years, and VAN's own IDs: mapped to its StateFileID, the state's history fits."""
    voters, history = county_sample
    voters = voters[voters["status_cd"].isin(["A", "S", "I"])]  # VAN holds the voters who can vote
    age = 2026 - pd.to_numeric(voters["birth_year"])  # at the export's day (its name: 2026-09-12), after the birthday
    van = pd.DataFrame({
        "Voter File VANID": (100_000 + np.arange(len(voters))).astype(str), "StateFileID": voters["ncid"].to_numpy(),
        "FirstName": voters["first_name"].to_numpy(), "MiddleName": voters["middle_name"].to_numpy(),
        "LastName": voters["last_name"].to_numpy(), "Suffix": voters["name_suffix_lbl"].to_numpy(),
        "Sex": voters["gender_code"].to_numpy(), "Party": voters["party_cd"].to_numpy(), "Age": age.to_numpy(),
        "vAddress": voters["res_street_address"].to_numpy(), "City": voters["res_city_desc"].to_numpy(),
        "State": "CB", "Zip5": voters["zip_code"].str[:5].to_numpy(), "Pref Phone ": None, "Cell Phone": None,
        "PrecinctName": voters["precinct_abbrv"].to_numpy(), "DateReg": voters["registr_dt"].to_numpy()})  # fmt: skip
    van.to_csv(tmp_path / "MyVoters_20260912.csv", index=False)
    # the same people as a state file with birth years and no status (VAN has none)
    state = van.drop(columns=["Voter File VANID", "Age"]).assign(YOB=voters["birth_year"].to_numpy())
    state.to_csv(tmp_path / "state_file.csv", index=False)
    history.to_csv(tmp_path / "history.csv", index=False)
    hist = {"id": "ncid", "election": "election_lbl", "desc": "election_desc"}
    run = run_targets("van", voter_file=tmp_path / "MyVoters_20260912.csv", columns={"id": "StateFileID"},
                      history_file=tmp_path / "history.csv", history_columns=hist, election="2026-11-03")
    check_run(run, len(van))
    assert "VAN export" in run.output_text() and "age = Age" in run.output_text()
    columns = {"id": "StateFileID", "first": "FirstName", "last": "LastName", "registration_date": "DateReg",
               "birth_year": "YOB", "party": "Party", "gender": "Sex", "precinct": "PrecinctName",
               "address": "vAddress", "city": "City", "zip": "Zip5"}  # fmt: skip
    ref = run_targets("state", voter_file=tmp_path / "state_file.csv", layout="delimited", columns=columns,
                      history_file=tmp_path / "history.csv", history_columns=hist, election="2026-11-03")
    a, b = (r.csv("scores.csv").set_index("voter_id")["turnout_score"].astype(float) for r in (run, ref))
    assert sorted(a.index) == sorted(b.index) and set(a.index) <= set(voters["ncid"])
    assert np.allclose(a.sort_index(), b.sort_index()), "the age gave other birth years than the state file's"
    # without the map, VAN's own IDs are not the history's: the first cell says the two files do not go together
    bad = run_targets("bad", expect_error=True, voter_file=tmp_path / "MyVoters_20260912.csv",
                      history_file=tmp_path / "history.csv", history_columns=hist, election="2026-11-03")
    assert "do not go together" in bad.error()[1]["evalue"]


def test_the_clean_files_of_clean_voter_file_are_a_voter_file_and_history_to_target(run_targets, tmp_path):
    """The documented chain: clean-voter-file first (one registration per person), then turnout-targets on its files."""
    from campaignlab.playbooks import run_playbook

    clean = tmp_path / "clean"
    run_playbook("clean-voter-file", {"voter_file": str(data.path("voters")), "history_file": str(data.path("history")),
                                      "output_dir": str(clean), "progress": False}, progress=False)  # fmt: skip
    run = run_targets(voter_file=clean / "clean_voters.csv", history_file=clean / "clean_history.csv",
                      election="2026-11-03")
    clean_voters = pd.read_csv(clean / "clean_voters.csv", dtype=str)
    check_run(run, len(clean_voters))
    assert "birth_year = birth_year_clean" in run.output_text() and "registration_date = registration_date" in run.output_text()


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("no election", "give the day of the election you target as YYYY-MM-DD"),
        ("election before the history", "the history has no GENERAL election before 11/08/2016"),
        ("history given as the voter file", "not a vote history (one row per vote)"),
        ("a history of other voters", "none of the 3 votes in the history is by a voter ID of"),
        ("a list as the voter file", "not a voter file: give the voter file as voter_file"),
        ("a role misspelt", "unknown roles ['precint']"),
        ("a municipal election without municipalities", "has no municipality column: a municipal election"),
    ],
)
def test_bad_input_stops_at_the_first_cell_with_a_message(run_targets, tmp_path, case, says):
    files = LayoutFiles(tmp_path)
    params = {"voter_file": files.ncvoter(), "history_file": files.ncvhis(), "election": "2026-11-03"}
    if case == "no election":
        params["election"] = ""
    elif case == "election before the history":
        params["election"] = "2016-11-08"
    elif case == "history given as the voter file":
        params["history_file"] = params["voter_file"]
    elif case == "a history of other voters":
        params["voter_file"] = files.ohio()
    elif case == "a list as the voter file":
        params["voter_file"] = files.action_network()
    elif case == "a role misspelt":
        params["columns"] = {"precint": "precinct_abbrv"}
    elif case == "a municipal election without municipalities":
        params.update(voter_file=files.ohio(), history_file="", election="2027-11-02", election_kind="MUNICIPAL")
    run = run_targets(expect_error=True, **params)
    cell, error = run.error()
    assert cell == 0 and says in error["evalue"], error["evalue"]
    assert {p.name for p in run.out.iterdir()} == {"turnout-targets.ipynb"}, "wrote outputs on bad input"


def test_the_stored_playbook_has_no_outputs_a_parameters_cell_and_is_listed(capsys):
    check_stored("turnout-targets")
    assert cli.main(["playbook", "--list"]) == 0
    assert "turnout-targets" in capsys.readouterr().out
