"""Phones at scale: enough 555 numbers, no accidental sharing beyond households and planted phones."""

from __future__ import annotations

import pytest

from campaignlab.synth import calibration as cal
from campaignlab.synth import streams
from campaignlab.synth.people import RESERVED_PHONES, area_codes_for, build_people, phone_numbers
from campaignlab.synth.registrations import build_registrations, people_for
from campaignlab.synth.voterfile import build_voterfile

VOTERS = 200_000  # ~70,000 numbers in use: far more than 919/984 hold (20,000)


@pytest.fixture(scope="module")
def big():
    rng = streams(11)
    people = build_people(people_for(VOTERS), rng["people"])
    regs = build_registrations(people, VOTERS, rng["registrations"])
    return people, build_voterfile(people, regs, rng["voterfile"])


def test_area_codes_grow_with_the_county():
    assert area_codes_for(1) == cal.AREA_CODES  # canonical sizes keep 919/984 only
    assert area_codes_for(20_000 - len(RESERVED_PHONES)) == cal.AREA_CODES
    assert len(area_codes_for(20_000)) == 3
    codes = area_codes_for(400_000)
    assert len(codes) == 41 and len(set(codes)) == 41 and codes[:2] == cal.AREA_CODES
    numbers = phone_numbers(codes[:3])
    assert len(numbers) == 30_000 - len(RESERVED_PHONES) and len(set(numbers.tolist())) == len(numbers)


def test_numbers_are_shared_only_by_households(big):
    people, _ = big
    phone = people["phone"].dropna()
    assert phone.str.fullmatch(r"\d{3}555\d{4}").all()
    assert phone.str[:3].nunique() > 2
    planted = phone.isin(RESERVED_PHONES)
    households = people.loc[phone.index[~planted]].groupby(phone[~planted])["household_id"].nunique()
    assert households.max() == 1  # a landline is shared inside one household, never by chance


def test_shared_phone_defect_stays_at_its_planted_rate(big):
    _, vf = big
    flagged = vf.defects[vf.defects["defect"] == "phone_shared_10plus"]
    phones = set(flagged["detail"].str.split(" ").str[0])
    assert len(phones) == 2 and phones <= set(RESERVED_PHONES)  # the nursing-home desk, the dorm hall phone
    planted = cal.NURSING_SHARE * 0.8 + cal.DORM_SHARE * 0.03  # see people.build_people
    assert len(flagged) / VOTERS == pytest.approx(planted, rel=0.25)
