import pandas as pd
import pytest

from campaignlab import data
from campaignlab.voterfile import flag_duplicate_registrations, read_voter_file, resolve_duplicates


def test_flag_and_resolve(voters, run_pure):
    flagged, report = run_pure(flag_duplicate_registrations, voters, as_of_year=2026)
    by = flagged.set_index("ncid")
    # BILL J HOLT is WILLIAM JOHN HOLT (nickname + middle initial, same birth year)
    assert by.loc["AL1", "duplicate_group"] == by.loc["AL2", "duplicate_group"] == "AL1"
    assert by.loc["AL1", "duplicate_group_score"] >= 0.9
    # CARLOS REYES JR (1988) and CARLOS REYES SR (1960): father and son, not duplicates
    assert pd.isna(by.loc["AL4", "duplicate_group"]) and pd.isna(by.loc["AL5", "duplicate_group"])
    assert pd.isna(by.loc["AL3", "duplicate_group"])  # same address, another person
    assert report.flags["registrations in a duplicate group"] == 2
    pairs = report.details["pairs"]
    assert {"id_a", "id_b", "score", "evidence", "linked"} <= set(pairs.columns)

    kept, report = run_pure(resolve_duplicates, flagged)
    assert "AL1" not in kept["ncid"].tolist() and "AL2" in kept["ncid"].tolist()  # latest kept
    assert report.rows_set_aside == 1 and report.set_aside["kept_id"].tolist() == ["AL2"]
    assert report.reasons == {"duplicate registration: kept the latest of its group": 1}


def test_resolve_prefers_active():
    f = pd.DataFrame({"ncid": ["A", "B"], "duplicate_group": ["A", "A"], "registr_dt": ["01/01/2000", "01/01/2020"],
                      "status_cd": ["A", "I"]})  # fmt: skip
    kept, report = resolve_duplicates(f)
    assert kept["ncid"].tolist() == ["A"]
    # the reason says why the later registration was set aside: not "the latest was kept"
    assert report.reasons == {"duplicate registration: kept one with a better status (active first)": 1}
    kept, report = resolve_duplicates(f, prefer_active=False)
    assert kept["ncid"].tolist() == ["B"]
    assert report.reasons == {"duplicate registration: kept the latest of its group": 1}


def test_resolve_reasons_per_row():
    """Removed < active: better status; among two actives: the latest; ties to the higher ID."""
    f = pd.DataFrame({"ncid": ["A", "B", "C", "D", "E"], "duplicate_group": ["A", "A", "A", "D", "D"],
                      "registr_dt": ["01/01/2000", "01/01/2020", "01/01/2010", "05/05/2005", "05/05/2005"],
                      "status_cd": ["A", "R", "A", "I", "I"]})  # fmt: skip
    kept, report = resolve_duplicates(f)
    assert kept["ncid"].tolist() == ["C", "E"]
    why = report.set_aside.set_index("ncid")[["kept_id", "reason"]]
    assert why.loc["B", "reason"].endswith("better status (active first)") and why.loc["B", "kept_id"] == "C"
    assert why.loc["A", "reason"].endswith("the latest of its group")
    assert why.loc["D", "kept_id"] == "E"


def test_bad_input(voters):
    with pytest.raises(ValueError, match="not unique"):
        flag_duplicate_registrations(pd.concat([voters, voters.iloc[:1]]))
    with pytest.raises(ValueError, match="threshold"):
        flag_duplicate_registrations(voters, threshold=5)
    with pytest.raises(KeyError, match="parameter birth_year="):
        flag_duplicate_registrations(voters.drop(columns="birth_year"))
    with pytest.raises(KeyError, match="Run flag_duplicate_registrations first"):
        resolve_duplicates(voters)


#: Duplicates planted to be missed by name rules (truth/registrations.csv variation): a new surname
#: after marriage, or a nickname at a new address. Recall is reported for them, not required.
HARD_VARIATIONS = {"name_change", "name_change_moved", "nickname_moved"}


def test_accuracy_on_canonical_data():
    """Issue 3: duplicate detection reaches >= 0.95 precision and >= 0.90 recall (pairs).

    Recall is required on the duplicates a name-based rule can see (same surname, a nickname, a
    middle initial, a move); the hard ones are printed. Twins (same surname, address and birth year,
    different first names) must never be linked.
    """
    voters, _ = read_voter_file(data.path("voters"))
    truth = pd.read_csv(data.path("truth_registrations"), dtype=str)
    flagged, _ = flag_duplicate_registrations(voters, as_of_year=2026)
    grouped = flagged.loc[flagged["duplicate_group"].notna(), ["ncid", "duplicate_group"]]
    pred = set()
    for _, ids in grouped.groupby("duplicate_group")["ncid"]:
        ids = sorted(ids)
        pred |= {(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]}
    dup = truth.dropna(subset=["duplicate_of"])
    hard = dup["variation"].isin(HARD_VARIATIONS)
    true = {tuple(sorted(p)) for p in zip(dup["ncid"], dup["duplicate_of"], strict=True)}
    seen = {tuple(sorted(p)) for p in zip(dup.loc[~hard, "ncid"], dup.loc[~hard, "duplicate_of"], strict=True)}
    tp = len(pred & true)
    precision, recall = tp / max(len(pred), 1), len(pred & seen) / len(seen)
    print(f"\nduplicate registrations: {len(true)} true pairs, {len(pred)} flagged, {tp} correct: "
          f"precision {precision:.3f}, recall {recall:.3f} on the {len(seen)} a name rule can see, "
          f"{len(pred & (true - seen))} of the {len(true - seen)} hard ones found")  # fmt: skip
    assert precision >= 0.95, f"precision {precision:.3f} < 0.95"
    assert recall >= 0.90, f"recall {recall:.3f} < 0.90"
    defects = pd.read_csv(data.path("truth_defects"), dtype=str)
    twins = defects[defects["defect"] == "twin_not_duplicate"]
    twin_pairs = {tuple(sorted(p)) for p in zip(twins["key"], twins["detail"].str.extract(r"^twin of (AL\d+)")[0],
                                                strict=True)}  # fmt: skip
    assert twin_pairs and not pred & twin_pairs, f"twins linked as duplicates: {sorted(pred & twin_pairs)}"
