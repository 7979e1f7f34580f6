"""Clean, dedupe, household and match a voter file, at state scale, with a report of every step.

Every function is pure (it never changes its input), takes column names with North Carolina
defaults (map your own layout: Ohio, Florida, a VAN export), and returns
``(result, StepReport)``: what changed, and which rows were set aside and why, with counts
that reconcile (rows in = rows kept + rows set aside).

>>> from campaignlab import data
>>> from campaignlab import voterfile as vf
>>> voters, r = vf.read_voter_file(data.path("voters"))
>>> r.rows_in == r.rows_kept + r.rows_set_aside
True
>>> voters, r = vf.normalize_names(voters)
>>> voters, r = vf.normalize_zip(voters)
>>> voters["zip5"].str.len().dropna().eq(5).all()
np.True_
"""

import pandas as pd

from campaignlab.voterfile.addresses import normalize_address
from campaignlab.voterfile.dates import parse_registration_dates
from campaignlab.voterfile.duplicates import flag_duplicate_registrations, resolve_duplicates
from campaignlab.voterfile.history import dedupe_history, pivot_history, voted_k_of_n
from campaignlab.voterfile.households import assign_households
from campaignlab.voterfile.matching import match_list
from campaignlab.voterfile.names import normalize_names
from campaignlab.voterfile.phones import flag_shared_phones, normalize_phone
from campaignlab.voterfile.read import read_vote_history, read_voter_file
from campaignlab.voterfile.report import StepReport, combine_reports
from campaignlab.voterfile.zips import normalize_zip

__all__ = [
    "StepReport",
    "combine_reports",
    "read_voter_file",
    "read_vote_history",
    "normalize_names",
    "parse_registration_dates",
    "normalize_zip",
    "normalize_phone",
    "flag_shared_phones",
    "normalize_address",
    "flag_duplicate_registrations",
    "resolve_duplicates",
    "assign_households",
    "match_list",
    "dedupe_history",
    "pivot_history",
    "voted_k_of_n",
    "clean_voter_file",
]


def clean_voter_file(voters, *, as_of=None):
    """The standard cleaning chain on an ncvoter frame: names, dates, ZIP, phone, address,
    shared phones, duplicates flagged and resolved, households. Returns
    ``(clean voters, [reports])``; map other layouts by calling the steps yourself.

    >>> import pandas as pd
    >>> v = pd.DataFrame({"ncid": ["AL1", "AL2"], "first_name": ["ann", "ANN"],
    ...     "middle_name": ["B", "BETH"], "last_name": ["LEE", "LEE"], "name_suffix_lbl": [None, None],
    ...     "registr_dt": ["01/01/1900", "02/03/2010"], "birth_year": ["1980", "1980"],
    ...     "gender_code": ["F", "F"], "zip_code": ["00301", "301"], "full_phone_number": [None, None],
    ...     "res_street_address": ["1 OAK ST", "1 Oak Street"], "status_cd": ["A", "A"]})
    >>> clean, reports = clean_voter_file(v, as_of="2026-09-12")
    >>> clean["ncid"].tolist(), [r.step for r in reports][-1]
    (['AL2'], 'assign_households')
    """
    reports = []
    steps = [
        lambda f: normalize_names(f),
        lambda f: parse_registration_dates(f, as_of=as_of),
        lambda f: normalize_zip(f),
        lambda f: normalize_phone(f),
        lambda f: flag_shared_phones(f),
        lambda f: normalize_address(f),
        lambda f: flag_duplicate_registrations(
            f, address="address_std", zip="zip5", phone="phone",
            as_of_year=None if as_of is None else pd.Timestamp(as_of).year),
        lambda f: resolve_duplicates(f, date="registration_date"),
        lambda f: assign_households(f),
    ]  # fmt: skip
    for step in steps:
        voters, report = step(voters)
        reports.append(report)
    return voters, reports
