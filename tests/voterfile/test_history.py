import pandas as pd
import pytest

from campaignlab import data
from campaignlab.voterfile import dedupe_history, pivot_history, read_vote_history, voted_k_of_n


def test_dedupe_history(history, run_pure):
    out, report = run_pure(dedupe_history, history)
    assert len(out) == 4
    assert report.reasons == {
        "same vote under an old and a new method label (label drift)": 1,
        "exact duplicate vote row": 1,
        "missing voter ID": 1,
    }
    kept = out[(out["ncid"] == "AL1") & (out["election_lbl"] == "11/08/2016")]
    assert kept["voting_method"].item() == "ELECTION DAY IN-PERSON"  # the new label is kept


def test_pivot_and_k_of_n(history, run_pure):
    clean, _ = dedupe_history(history)
    wide, report = run_pure(pivot_history, clean, voters=["AL1", "AL2", "AL3"])
    assert wide.columns.tolist() == ["general_2016", "general_2018", "general_2020"]
    assert wide.loc["AL3"].tolist() == [False, False, False]  # no row = did not vote
    assert not wide["general_2020"].any()  # its only vote is by AL9, who is not in voters=
    assert report.reasons == {"voter not in voters=": 1}
    assert report.rows_out == 3
    k, report = run_pure(voted_k_of_n, wide, k=2, n=3)
    assert k["voted_2_of_3_general"].tolist() == [True, False, False]
    assert k["voted_2_of_3_general_votes"].tolist() == [2, 1, 0]


def test_bad_input(history):
    with pytest.raises(KeyError, match="parameter election="):
        dedupe_history(history.drop(columns="election_lbl"))
    with pytest.raises(ValueError, match="need n=4"):
        voted_k_of_n(pd.DataFrame({"general_2024": [True]}), k=3, n=4)
    with pytest.raises(ValueError, match="0 < k <= n"):
        voted_k_of_n(pd.DataFrame({"general_2024": [True]}), k=2, n=1)
    with pytest.raises(ValueError, match="could be read"):
        pivot_history(pd.DataFrame({"ncid": ["A"], "election_lbl": ["2016"]}), desc=None)


def test_label_drift_against_truth():
    hist, _ = read_vote_history(data.path("history"))
    out, report = dedupe_history(hist)
    truth = pd.read_csv(data.path("truth_defects"), dtype=str)
    drift = set(truth.loc[truth["defect"] == "label_drift_duplicate", "key"])
    aside = report.set_aside
    found = set(aside["ncid"] + "|" + aside["election_lbl"])
    print(f"\nvote history: {len(drift)} planted label-drift duplicates, {len(found)} set aside, {len(found & drift)} correct")
    assert found == drift
    wide, _ = pivot_history(out)
    assert wide.columns[0] == "primary_2016" and "general_2024" in wide.columns


def test_voted_k_of_n_refuses_text_columns():
    wide = pd.DataFrame({"general_2016": ["X", None], "general_2018": ["", "X"]})
    with pytest.raises(TypeError, match=r"general_2016.*holds text.*history_from_wide"):
        voted_k_of_n(wide, k=1, n=2)
    ok, _ = voted_k_of_n(pd.DataFrame({"general_2016": [1, 0], "general_2018": [0, 0]}), k=1, n=2)
    assert ok["voted_1_of_2_general"].tolist() == [True, False]
    with pytest.raises(TypeError, match="holds text"):
        voted_k_of_n(pd.DataFrame({"general_2016": [2, 0]}), k=1, n=1)


def test_voted_k_of_n_points_wide_columns_to_history_from_wide():
    with pytest.raises(ValueError, match="GENERAL-11/08/2022.*history_from_wide"):
        voted_k_of_n(pd.DataFrame({"SOS_VOTERID": ["OH1"], "GENERAL-11/08/2022": ["X"]}), k=1, n=1)


def test_history_from_wide_edge_cases(run_pure):
    from campaignlab.voterfile import history_from_wide

    wide = pd.DataFrame({"SOS_VOTERID": ["OH1", None, "OH3"], "GENERAL-2022-11-08": [" x ", "X", "  "],
                         "SPECIAL-08/02/2022": ["X", None, "Y"]})  # fmt: skip
    votes, report = run_pure(history_from_wide, wide, vote_marks=("X", "Y"))
    assert votes["election_lbl"].tolist() == ["11/08/2022", "08/02/2022", "08/02/2022"]
    assert votes["election_desc"].tolist()[1] == "08/02/2022 SPECIAL"
    assert report.reasons == {"missing voter ID": 1}
    assert report.flags["blank cells (did not vote)"] == 2
    clean, r = run_pure(dedupe_history, votes, id="SOS_VOTERID", method=None)
    assert len(clean) == 3
    with pytest.raises(ValueError, match="no column is named like an election"):
        history_from_wide(pd.DataFrame({"SOS_VOTERID": ["OH1"]}))
    with pytest.raises(ValueError, match="does not name an election"):
        history_from_wide(wide, elections=["SOS_VOTERID"])


def test_carry_history_over(run_pure):
    from campaignlab.voterfile import carry_history_over

    hist = pd.DataFrame({
        "ncid": ["AL1", "AL1", "AL2", "AL2", "AL2", "AL3", "AL4"],
        "election_lbl": ["11/08/2016", "11/03/2020", "11/08/2016", "11/08/2016", "11/05/2024",
                         "11/03/2020", "11/03/2020"],
    })  # fmt: skip
    aside = pd.DataFrame({"ncid": ["AL1", "AL4", "AL7"], "kept_id": ["AL2", "AL3", "AL8"]})
    out, report = run_pure(carry_history_over, hist, aside)
    # AL1's 2016 vote is already on AL2; its 2020 vote moves. AL2's own label-drift pair is untouched.
    assert sorted(map(tuple, out[["ncid", "election_lbl"]].values.tolist())) == [
        ("AL2", "11/03/2020"), ("AL2", "11/05/2024"), ("AL2", "11/08/2016"), ("AL2", "11/08/2016"),
        ("AL3", "11/03/2020"),
    ]
    assert report.set_aside["moved_from"].tolist() == ["AL1", "AL4"]
    assert report.flags == {"votes moved to the kept registration": 1}
    assert out.loc[out["moved_from"].notna(), "ncid"].tolist() == ["AL2"]
    assert not out["ncid"].isin(aside["ncid"]).any()  # no vote stays on a set-aside ID


def test_carry_history_over_refuses_chains_and_two_targets():
    from campaignlab.voterfile import carry_history_over

    hist = pd.DataFrame({"ncid": ["AL1"], "election_lbl": ["11/08/2016"]})
    with pytest.raises(ValueError, match="twice"):
        carry_history_over(hist, pd.DataFrame({"ncid": ["AL1", "AL1"], "kept_id": ["AL2", "AL3"]}))
    with pytest.raises(ValueError, match="chain"):
        carry_history_over(hist, pd.DataFrame({"ncid": ["AL1", "AL2"], "kept_id": ["AL2", "AL3"]}))


def test_carry_history_over_after_resolve_duplicates():
    """The set-aside table of resolve_duplicates plugs straight in, and no vote is lost."""
    from campaignlab.voterfile import carry_history_over, resolve_duplicates

    voters = pd.DataFrame({"ncid": ["AL1", "AL2", "AL3"], "duplicate_group": ["AL1", "AL1", None],
                           "registr_dt": ["01/02/1990", "05/06/2020", "03/03/2003"],
                           "status_cd": ["A", "I", "A"]})  # fmt: skip
    kept, r = resolve_duplicates(voters)
    assert kept["ncid"].tolist() == ["AL1", "AL3"]  # active beats a later inactive registration
    hist = pd.DataFrame({"ncid": ["AL2", "AL1", "AL3"], "election_lbl": ["11/05/2024", "11/08/2016", "11/05/2024"]})
    out, report = carry_history_over(hist, r.set_aside)
    assert out.groupby("ncid").size().to_dict() == {"AL1": 2, "AL3": 1}
    assert report.rows_set_aside == 0
