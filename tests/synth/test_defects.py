"""Every planted defect is in the files and in truth/defects.csv, and vice versa."""

from __future__ import annotations

import re

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


def test_planted_values_differ_from_county_to_county(voters, tmp_path):
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
