"""On the canonical county: the field toolkit's rates match the calibration, and its shift checks find
the planted fabricated shifts with few false alarms."""

import pandas as pd
import pytest

from campaignlab import data, field, targeting


@pytest.fixture(scope="module")
def county():
    contacts = pd.read_csv(data.path("contacts"), dtype=str)
    voters = pd.read_csv(data.path("voters"), sep="\t", dtype=str, usecols=["ncid", "status_cd"])
    truth = pd.read_csv(data.path("truth_fabricated_shifts"), dtype=str)
    return contacts, voters, truth


def test_door_contact_rate_is_in_green_and_gerbers_range(county):
    contacts, _, truth = county
    honest = contacts[~contacts["Shift ID"].isin(truth["Shift ID"])]
    rate = field.contact_rates(honest).loc["all", "contact_rate"]
    low, high = targeting.CONTACT_RATE_RANGE
    assert low < rate < high and abs(rate - targeting.DOOR_CONTACT_RATE) < 0.05


def test_shift_checks_find_the_planted_shifts(county):
    contacts, voters, truth = county
    checks = field.shift_checks(contacts, removed=voters.loc[voters["status_cd"] == "R", "ncid"])
    planted = checks.index.isin(truth["Shift ID"])
    found = (checks["suspect"] & planted).sum()
    assert found / planted.sum() > 0.8, checks.loc[planted & ~checks["suspect"], "reasons"]
    assert (checks["suspect"] & ~planted).sum() / (~planted).sum() < 0.02  # false alarms among honest shifts
    # every shift checked: the counts reconcile with the door attempts
    assert checks["attempts"].sum() == field.contact_rates(contacts).loc["all", "attempts"]


def test_planted_kinds_show_their_own_mark(county):
    contacts, voters, truth = county
    checks = field.shift_checks(contacts, removed=voters.loc[voters["status_cd"] == "R", "ncid"])
    kinds = truth.set_index("Shift ID")["kinds"].str.split(";")
    for kind in ("rapid", "identical", "removed"):
        shifts = [s for s, k in kinds.items() if kind in k]
        if len(shifts) >= 5:  # a kind planted in a handful of shifts says little either way
            assert checks.loc[shifts, kind].mean() > 0.7, kind
