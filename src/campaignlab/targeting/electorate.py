"""Who could vote in an election: the right denominator for its turnout.

Turnout in an election is a share of the people who could vote in it, not of today's file.
In North Carolina that is everyone registered by the deadline (25 days before Election Day)
and 18 by then. A voter file has birth years only, so "18" means turning 18 during the
election's year (NC also lets 17-year-olds who will be 18 by the general vote in its
primary). From today's file we cannot tell when a removed voter was removed, and removed
or denied registrations cannot vote in the coming election: they are set aside, with a
reason. Inactive voters are still registered: they stay in, flagged. A registration date
the file does not know (a placeholder such as 01/01/1900 or ``##/##/####``) is kept by
default, flagged: those are mostly old records converted from an earlier system.
Municipal elections are for residents of a municipality only: pass ``municipality=``.
The electorate has one row per registration: resolve duplicate registrations first
(:func:`campaignlab.voterfile.resolve_duplicates`) to count people, not rows.

>>> import pandas as pd
>>> voters = pd.DataFrame({
...     "ncid": ["AL1", "AL2", "AL3", "AL4", "AL5", "AL6"],
...     "registr_dt": ["03/14/2012", "10/20/2022", "01/01/1900", "05/02/2010", "06/01/2016", "02/02/2020"],
...     "birth_year": ["1970", "1980", "1950", "2006", "1990", "1985"],
...     "status_cd": ["A", "A", "I", "A", "R", "A"]})
>>> electorate, report = eligible_at(voters, "2022-11-08")
>>> electorate["ncid"].tolist()
['AL1', 'AL3', 'AL6']
>>> print(report)
eligible_at: 6 rows in, 3 kept, 3 set aside
  set aside  registered after the deadline 10/14/2022       1
  set aside  under 18 in 2022                               1
  set aside  removed (cannot vote; removal date unknown)    1
  flagged    inactive (still registered: kept, flagged)     1
  flagged    registration date unknown (kept, flagged)      1
  note       election 11/08/2022: registered by 10/14/2022, 18 in 2022
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.dates import parse_registration_dates
from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns

__all__ = ["eligible_at", "registration_deadline", "DEADLINE_DAYS"]

#: NC: register at least 25 days before Election Day (same-day registration at early voting aside).
DEADLINE_DAYS = 25
REMOVED = "removed (cannot vote; removal date unknown)"
DENIED = "denied (never registered)"


def registration_deadline(election_date, deadline_days: int = DEADLINE_DAYS) -> pd.Timestamp:
    """The last day to register for an election held on ``election_date``.

    >>> registration_deadline("2022-11-08").date()
    datetime.date(2022, 10, 14)
    """
    return pd.Timestamp(election_date).normalize() - pd.Timedelta(days=deadline_days)


def eligible_at(
    voters: pd.DataFrame,
    election_date,
    *,
    deadline_days: int = DEADLINE_DAYS,
    registration: str = "registr_dt",
    birth_year: str = "birth_year",
    status: str | None = "status_cd",
    municipality: str | None = None,
    unknown_dates: str = "include",
    date_format: str = "%m/%d/%Y",
) -> tuple[pd.DataFrame, StepReport]:
    """The registrations that could vote in the election on ``election_date``, and why not the others.

    Args:
        voters: a voter file, one row per registration (not modified).
        election_date: Election Day (anything ``pd.Timestamp`` reads).
        deadline_days: days before Election Day registration closes (NC 25).
        registration: the registration date column: text in ``date_format`` (placeholders
            such as 01/01/1900 are read as unknown) or already dates.
        birth_year: the birth year column; a missing or impossible one (older than 110)
            keeps the row, flagged.
        status: the status column (NC codes: R removed and D denied are set aside,
            I inactive is kept and flagged); ``None`` if your file has none.
        municipality: for a municipal election, the column naming the voter's municipality:
            rows where it is blank are set aside (residents only).
        unknown_dates: ``"include"`` (default: kept, flagged) or ``"exclude"`` (set aside).

    Returns:
        ``(electorate, report)``: the eligible rows with a ``registration_date_unknown``
        column, and a report whose counts reconcile (rows in = eligible + set aside).

    >>> eligible_at(pd.DataFrame({"ncid": ["AL1"]}), "2022-11-08")
    Traceback (most recent call last):
    ...
    KeyError: "eligible_at: columns 'registr_dt' (parameter registration=), 'birth_year' (parameter birth_year=), 'status_cd' (parameter status=) are not in the data. Columns found: ['ncid']. Map your layout's columns with registration='<your column>', birth_year='<your column>', status='<your column>'."
    """
    require_columns(voters, {"registration": registration, "birth_year": birth_year, "status": status,
                             "municipality": municipality}, "eligible_at")  # fmt: skip
    if unknown_dates not in ("include", "exclude"):
        raise ValueError(f"eligible_at: unknown_dates must be 'include' or 'exclude', got {unknown_dates!r}")
    day = pd.Timestamp(election_date).normalize()
    deadline = registration_deadline(day, deadline_days)
    if pd.api.types.is_datetime64_any_dtype(voters[registration]):
        reg = voters[registration]
    else:
        parsed, _ = parse_registration_dates(voters[[registration]], column=registration, format=date_format,
                                             birth_year=None)  # fmt: skip
        reg = parsed["registration_date"]
    unknown = reg.isna().to_numpy()
    born = pd.to_numeric(voters[birth_year], errors="coerce")
    age = day.year - born
    age_unknown = (age.isna() | (age > 110)).to_numpy()
    reason = np.full(len(voters), None, dtype=object)
    if municipality is not None:
        muni = voters[municipality].astype("str").str.strip()
        reason[(muni.isna() | (muni == "")).to_numpy()] = "not a resident of a municipality"
    late = (reg > deadline).fillna(False).to_numpy()
    reason[late] = f"registered after the deadline {deadline:%m/%d/%Y}"
    if unknown_dates == "exclude":
        reason[unknown] = "registration date unknown (left out)"
    young = ((age < 18) & ~age.isna()).to_numpy()
    reason[young] = f"under 18 in {day.year}"
    code = voters[status].astype("str").str.strip().str.upper().to_numpy() if status else None
    if status:
        reason[code == "R"] = REMOVED
        reason[code == "D"] = DENIED
    out = pd.isna(reason)
    electorate = voters.iloc[np.flatnonzero(out)].copy()
    electorate["registration_date_unknown"] = unknown[out]
    aside = reasons_frame(voters.iloc[np.flatnonzero(~out)], pd.Series(reason[~out], dtype="str"))
    flags = {}
    if status:
        flags["inactive (still registered: kept, flagged)"] = int((code[out] == "I").sum())
    flags["registration date unknown (kept, flagged)"] = int(unknown[out].sum())
    flags["birth year unknown or impossible (kept, flagged)"] = int(age_unknown[out].sum())
    report = StepReport("eligible_at", len(voters), len(electorate), aside, flags=flags,
                        notes=[f"election {day:%m/%d/%Y}: registered by {deadline:%m/%d/%Y}, 18 in {day.year}"])  # fmt: skip
    return electorate, report
