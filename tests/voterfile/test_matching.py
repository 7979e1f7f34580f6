import pandas as pd
import pytest

from campaignlab import data
from campaignlab.voterfile import flag_duplicate_registrations, match_list, read_voter_file


def test_match_list(voters, signups, run_pure):
    # AL1 and AL2 are one person registered twice: unflagged, Bill Holt is ambiguous
    _, report = match_list(signups, voters)
    assert report.set_aside.set_index("uuid").loc["u1", "reason"] == "ambiguous: another voter scores as well"
    voters, _ = flag_duplicate_registrations(voters, as_of_year=2026)
    matched, report = run_pure(match_list, signups, voters, voter_columns={"group": "duplicate_group"})
    got = dict(zip(matched["uuid"], matched["ncid"], strict=True))
    assert got.get("u1") in {"AL1", "AL2"}  # Bill Holt, ZIP "301", same phone
    assert got.get("u2") == "AL7"  # Mary Ann ONeil, 100 College Avenue
    assert got.get("u3") == "AL5"  # Carlos Reyes at Apt 1, not his son at Apt 2
    assert "u4" not in got  # a stranger from outside the county
    assert report.rows_kept + report.rows_set_aside == len(signups)
    assert set(report.set_aside["uuid"]) == set(signups["uuid"]) - set(got)
    assert matched["match_score"].between(0, 1).all()
    assert {"reason", "best_candidate", "best_score"} <= set(report.set_aside.columns)


def test_column_maps_and_bad_input(voters, signups):
    renamed = signups.rename(columns={"first_name": "FirstName"})
    matched, _ = match_list(renamed, voters, list_columns={"first": "FirstName"})
    assert len(matched) >= 2
    with pytest.raises(KeyError, match=r"match_list \(list\).*parameter first="):
        match_list(renamed, voters)
    with pytest.raises(ValueError, match="unknown column keys"):
        match_list(signups, voters, voter_columns={"dob": "birth_date"})
    with pytest.raises(ValueError, match="threshold"):
        match_list(signups, voters, threshold=1.5)


def test_accuracy_on_canonical_data():
    """Issue 3: list matching reaches >= 0.95 precision and >= 0.90 recall (list rows)."""
    voters, _ = read_voter_file(data.path("voters"))
    voters, _ = flag_duplicate_registrations(voters, as_of_year=2026)
    lst = pd.read_csv(data.path("list"), dtype=str, keep_default_na=False, na_values=[""])
    matched, report = match_list(lst, voters, voter_columns={"group": "duplicate_group"})
    truth = pd.read_csv(data.path("truth_list_matches"), dtype=str)
    regs = pd.read_csv(data.path("truth_registrations"), dtype=str)
    person_of_ncid = dict(zip(regs["ncid"], regs["person_id"], strict=True))
    person_of_uuid = dict(zip(truth["uuid"], truth["person_id"], strict=True))
    correct = sum(person_of_ncid.get(n) == person_of_uuid.get(u) for u, n in zip(matched["uuid"], matched["ncid"], strict=True))
    findable = int(truth["person_id"].notna().sum())
    precision, recall = correct / max(len(matched), 1), correct / findable
    print(f"\nlist matching: {len(lst)} list rows, {findable} really in the file, {len(matched)} matched, "
          f"{correct} correct: precision {precision:.3f}, recall {recall:.3f}")  # fmt: skip
    print(report)
    assert precision >= 0.95, f"precision {precision:.3f} < 0.95"
    assert recall >= 0.90, f"recall {recall:.3f} < 0.90"
