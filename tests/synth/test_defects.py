"""Every planted defect is in the files and in truth/defects.csv, and vice versa."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from campaignlab.synth import calibration as cal

from .conftest import SEED, VOTERS


def recorded(truth, defect: str) -> set[str]:
    d = truth["defects"]
    return set(d.loc[d["defect"] == defect, "key"])


def test_duplicates_recorded_both_ways(truth):
    regs = truth["registrations"]
    assert recorded(truth, "duplicate_registration") == set(regs.loc[regs["duplicate_of"].notna(), "ncid"])


def test_duplicates_often_consecutive(truth):
    regs = truth["registrations"].dropna(subset=["duplicate_of"])
    step = regs["ncid"].str[2:].astype(int) - regs["duplicate_of"].str[2:].astype(int)
    assert (step == 1).mean() == pytest.approx(cal.DUPLICATE_CONSECUTIVE, abs=0.06)


def test_placeholder_and_hash_dates(voters, truth):
    assert set(voters.loc[voters["registr_dt"] == "01/01/1900", "ncid"]) == recorded(truth, "registr_dt_1900")
    hashed = voters["registr_dt"] == "##/##/####"
    assert set(voters.loc[hashed, "ncid"]) == recorded(truth, "registr_dt_hash")
    assert hashed.mean() == pytest.approx(cal.HASH_DATE, abs=0.0005)
    assert voters.loc[hashed, "precinct_abbrv"].nunique() == 1  # clustered
    assert (voters["registr_dt"] == "01/01/1900").mean() == pytest.approx(cal.PLACEHOLDER_1900, abs=0.0005)


def test_impossible_ages(voters, truth):
    age = voters["age_at_year_end"].astype(int)
    assert (age == 2026 - voters["birth_year"].astype(int)).all()
    assert set(voters.loc[age > 110, "ncid"]) == recorded(truth, "impossible_age")
    assert len(recorded(truth, "impossible_age")) > 0


def test_phones(voters, truth):
    phone = voters["full_phone_number"].dropna()
    assert set(phone[phone.str.len() == 7].index.map(voters["ncid"])) == recorded(truth, "phone_7_digit")
    assert phone.str.fullmatch(r"(919|984)?555\d{4}").all()
    counts = phone.map(phone.value_counts())
    assert set(voters.loc[counts[counts >= 10].index, "ncid"]) == recorded(truth, "phone_shared_10plus")
    assert recorded(truth, "phone_shared_10plus")


def test_name_case_and_suffix_noise(voters, truth):
    mixed = (voters["first_name"] != voters["first_name"].str.upper()) | (
        voters["last_name"] != voters["last_name"].str.upper()
    )
    assert set(voters.loc[mixed, "ncid"]) == recorded(truth, "name_case")
    dotted = voters["name_suffix_lbl"].fillna("").str.endswith(".")
    assert set(voters.loc[dotted, "ncid"]) == recorded(truth, "suffix_with_period")
    in_last = voters["last_name"].str.upper().str.contains(r" (?:JR|SR|II|III|IV)$")
    assert set(voters.loc[in_last, "ncid"]) == recorded(truth, "suffix_in_last_name")


def test_removed_and_dorm_addresses(voters, truth):
    assert set(voters.loc[voters["res_street_address"] == "REMOVED", "ncid"]) == recorded(truth, "removed_address")
    dorm = recorded(truth, "dorm_address")
    shared = voters.loc[voters["ncid"].isin(dorm), "res_street_address"].value_counts()
    assert len(shared) == 2 and (shared >= 0.003 * len(voters)).all()  # hundreds at 50,000 voters
    at_dorm = voters["res_street_address"].isin(shared.index)
    assert set(voters.loc[at_dorm, "ncid"]) == dorm


def test_label_drift_duplicates(history, truth):
    key = history["ncid"] + "|" + history["election_lbl"]
    twice = set(key[key.duplicated(keep=False)])
    assert twice == recorded(truth, "label_drift_duplicate")
    drift = history[key.isin(twice)]
    assert set(drift["voting_method"]) <= set(cal.METHODS_OLD) | set(cal.METHODS_NEW)
    assert (drift["election_lbl"].str[-4:].astype(int) < cal.NEW_LABEL_FROM).all()


def test_zip_plus4_read_as_a_number(voters, truth):
    """7-digit ZIPs are a ZIP+4 that lost its zeros: left-padded to 9 digits, the first five are the ZIP."""
    d = truth["defects"]
    planted = d[d["defect"] == "zip_plus4_as_number"].set_index("key")["detail"]
    zips = voters.set_index("ncid")["zip_code"].dropna()
    assert set(zips[zips.str.len().isin([7, 8])].index) == set(planted.index)
    true_zip = planted.str.removeprefix("true zip_code ")
    assert (true_zip.str.fullmatch(r"00\d{7}")).all()
    got = zips[planted.index]
    assert (got.str.zfill(9) == true_zip).all() and (got == true_zip.str.lstrip("0")).all()
    assert len(planted) == round(cal.ZIP_PLUS4_AS_NUMBER * len(voters))
    people = truth["people"].set_index("ncid")["zip5"]
    primary = got.index.intersection(people.index)
    moved = set(truth["registrations"].dropna(subset=["duplicate_of"])["ncid"])
    primary = [k for k in primary if k not in moved]
    assert (got[primary].str.zfill(9).str[:5] == people[primary]).all()


def test_registration_dates_with_day_and_month_swapped(voters, truth):
    d = truth["defects"]
    planted = set(d.loc[d["defect"] == "registr_dt_day_month_swapped", "key"])
    assert len(planted) == round(cal.REGDT_DAY_MONTH * len(voters))
    true_iso = truth["registrations"].set_index("ncid")["registr_dt"]
    true_mdy = pd.to_datetime(true_iso).dt.strftime("%m/%d/%Y")
    shown = voters.set_index("ncid")["registr_dt"]
    ok = shown.isin(["01/01/1900", "##/##/####"]) | (shown == true_mdy[shown.index])
    assert set(shown.index[~ok]) == planted
    keys = sorted(planted)
    swapped = true_mdy[keys].str[3:5] + "/" + true_mdy[keys].str[:2] + "/" + true_mdy[keys].str[6:]
    assert (shown[keys] == swapped).all()
    day = true_mdy[keys].str[3:5].astype(int)
    assert (day > 12).any() and (day <= 12).any()  # some unreadable as MM/DD, some silently wrong


def _dups(voters, truth) -> pd.DataFrame:
    regs = truth["registrations"].dropna(subset=["duplicate_of"])
    v = voters.set_index("ncid")
    cols = ["first_name", "middle_name", "last_name", "birth_year", "res_street_address"]
    new, old = v.loc[regs["ncid"], cols].reset_index(drop=True), v.loc[regs["duplicate_of"], cols].reset_index(drop=True)
    return pd.concat([regs[["ncid", "duplicate_of", "variation"]].reset_index(drop=True), new,
                      old.add_suffix("_old")], axis=1)  # fmt: skip


def test_name_change_duplicates(voters, truth):
    """Marriage: a later registration under a new surname, same first name and birth year, often moved."""
    pairs = _dups(voters, truth)
    name = pairs[pairs["variation"].isin(["name_change", "name_change_moved"])]
    assert len(name) >= 0.05 * len(pairs)
    assert (name["last_name"].str.upper() != name["last_name_old"].str.upper()).all()
    assert (name["first_name"].str.upper() == name["first_name_old"].str.upper()).all()
    assert (name["birth_year"] == name["birth_year_old"]).all()
    moved = name["variation"] == "name_change_moved"
    assert moved.mean() > 0.4
    removed = name["res_street_address"].eq("REMOVED") | name["res_street_address_old"].eq("REMOVED")
    assert (name.loc[moved & ~removed, "res_street_address"] != name.loc[moved & ~removed, "res_street_address_old"]).all()
    ncid_step = name["ncid"].str[2:].astype(int) - name["duplicate_of"].str[2:].astype(int)
    assert (ncid_step > 1).all()  # registered years later, not the next ID
    maiden = name["middle_name"].str.upper() == name["last_name_old"].str.upper()
    assert maiden.any() and not maiden.all()
    people = truth["people"].set_index("ncid")
    assert (people.loc[name["duplicate_of"], "sex"] == "F").all()


def test_nickname_and_moved_duplicates(voters, truth):
    pairs = _dups(voters, truth)
    both = pairs[pairs["variation"] == "nickname_moved"]
    assert len(both) > 0
    assert (both["first_name"].str.upper() != both["first_name_old"].str.upper()).all()
    assert (both["last_name"].str.upper() == both["last_name_old"].str.upper()).all()
    removed = both["res_street_address"].eq("REMOVED") | both["res_street_address_old"].eq("REMOVED")
    assert (both.loc[~removed, "res_street_address"] != both.loc[~removed, "res_street_address_old"]).all()


def test_twins_are_recorded_and_are_not_duplicates(voters, truth):
    d = truth["defects"]
    twins = d[d["defect"] == "twin_not_duplicate"]
    assert len(twins) == 2 * round(cal.TWIN_PAIRS * len(truth["people"]))
    other = twins["detail"].str.extract(r"^twin of (AL\d+)")[0]
    assert set(other) == set(twins["key"])  # recorded both ways
    people = truth["people"].set_index("ncid")
    a, b = people.loc[twins["key"]], people.loc[other]
    assert (a["person_id"].to_numpy() != b["person_id"].to_numpy()).all()
    for col in ["household_id", "last_name", "birth_year", "address"]:
        assert (a[col].to_numpy() == b[col].to_numpy()).all(), col
    assert (a["first_name"].to_numpy() != b["first_name"].to_numpy()).all()
    regs = truth["registrations"].set_index("ncid")
    assert regs.loc[twins["key"], "duplicate_of"].isna().all()  # both are primary registrations


def test_no_municipal_votes_outside_municipalities(voters, history, truth):
    """Only residents vote in a municipal election; its eligibility (truth) says the same."""
    town = voters.set_index("ncid")["municipality_abbrv"]
    muni = history[history["election_desc"].str.endswith("MUNICIPAL")]
    assert town[muni["ncid"]].notna().all()
    assert (history["ncid"].map(town).isna() & ~history.index.isin(muni.index)).any()  # they vote in the others
    regs = truth["registrations"]
    outside = regs.groupby("person_id")["ncid"].agg(lambda s: town[s].isna().all())
    t = truth["turnout"].set_index("person_id")
    out_ids = outside.index[outside].astype(int)
    municipal = [e.column for e in cal.ELECTIONS if e.kind == "MUNICIPAL"]
    assert len(out_ids) > 0.03 * len(t)
    assert t.loc[out_ids, municipal].isna().all().all()
    assert t.loc[out_ids, "general_2024"].notna().any()


def test_no_real_contact_details(synth_county):
    """No phone outside the 555 exchange, no email outside example.com/org/net, in any file."""
    out, files = synth_county
    phone_re = re.compile(r"(?<![\d.])(?:\+?1[-. ]?)?\(?(\d{3})\)?[-. ]?(\d{3})[-. ]?(\d{4})(?!\d)")
    email_re = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
    for f in files:
        text = f.read_text()
        domains = {m.group(1).lower() for m in email_re.finditer(text)}
        assert domains <= {"example.com", "example.org", "example.net"}, (f.name, domains)
        if f.name in {"ncvoter_alder.txt", "action_network_export.csv", "sms_sends.csv"}:
            df = pd.read_csv(f, sep="\t" if f.suffix == ".txt" else ",", dtype=str)
            for col in [c for c in df.columns if "phone" in c.lower()]:
                vals = df[col].dropna().str.replace(r"\D", "", regex=True).str[-10:]
                assert vals.str.fullmatch(r"(?:\d{3})?555\d{4}").all(), (f.name, col)
        for m in phone_re.finditer(text):
            if m.group(2) != "555" and m.group(1) in cal.AREA_CODES:
                pytest.fail(f"{f.name}: phone-like {m.group(0)!r} outside the 555 exchange")


def test_planted_values_differ_from_county_to_county(voters, truth, tmp_path):
    """A list typed from one county (its impossible ages, its shared phones) is wrong on another.

    Grading runs on a county from another seed: a typed list must not pass there.
    """
    from campaignlab.synth import generate

    generate(tmp_path, seed=SEED + 1, voters=VOTERS)
    other = pd.read_csv(tmp_path / "ncvoter_alder.txt", sep="\t", dtype=str)

    def planted(vf: pd.DataFrame) -> tuple[set, set]:
        age = vf["age_at_year_end"].astype(int)
        phone = vf["full_phone_number"].dropna()
        shared = phone[phone.map(phone.value_counts()) >= 10]
        return set(age[age > 110]), set(shared)

    (ages, phones), (other_ages, other_phones) = planted(voters), planted(other)
    assert phones and other_phones and not phones & other_phones, (phones, other_phones)
    assert ages - other_ages and other_ages - ages, (sorted(ages), sorted(other_ages))

    # the newer defects: planted in both counties at the same rates, on other rows and values
    other_truth = pd.read_csv(tmp_path / "truth" / "defects.csv", dtype=str)
    other_regs = pd.read_csv(tmp_path / "truth" / "registrations.csv", dtype=str)

    def defect(d: pd.DataFrame, name: str) -> pd.DataFrame:
        return d[d["defect"] == name]

    def variations(regs: pd.DataFrame) -> pd.Series:
        kind = regs["variation"].dropna().replace({"name_change_moved": "name_change"})
        return kind.value_counts()

    for name in ["zip_plus4_as_number", "registr_dt_day_month_swapped", "twin_not_duplicate"]:
        mine, theirs = defect(truth["defects"], name), defect(other_truth, name)
        assert len(mine) > 0 and len(mine) == pytest.approx(len(theirs), rel=0.1), name
        assert set(mine["detail"]) != set(theirs["detail"]), name
    zips = [set(vf.loc[vf["zip_code"].str.len() == 7, "zip_code"]) for vf in (voters, other)]
    assert zips[0] and zips[1] and len(zips[0] & zips[1]) < 0.1 * len(zips[0])
    counts, other_counts = variations(truth["registrations"]), variations(other_regs)
    n, m = counts.sum(), other_counts.sum()
    for kind in ["name_change", "nickname_moved"]:  # same rate: within 4 standard errors
        p = (counts[kind] + other_counts[kind]) / (n + m)
        assert abs(counts[kind] / n - other_counts[kind] / m) < 4 * np.sqrt(p * (1 - p) * (1 / n + 1 / m)), kind
    twin_names = [set(vf.loc[vf["ncid"].isin(defect(d, "twin_not_duplicate")["key"]), "last_name"])
                  for vf, d in ((voters, truth["defects"]), (other, other_truth))]  # fmt: skip
    assert twin_names[0] != twin_names[1]
    # municipal votes by residents only, in the other county too
    other_hist = pd.read_csv(tmp_path / "ncvhis_alder.txt", sep="\t", dtype=str)
    town = other.set_index("ncid")["municipality_abbrv"]
    votes = other_hist[other_hist["election_desc"].str.endswith("MUNICIPAL")]
    assert len(votes) > 0 and town[votes["ncid"]].notna().all()
