"""Volunteers: who signed up, who showed, who flaked, who came back, and the sign-ups a plan needs.

Works on an event-attendance export with one row per sign-up to a shift (Mobilize's columns by
default: ``user_id``, ``timeslot_start``, ``status``, ``attended``, ``confirmation_channel``).
A sign-up whose shift has been held has ``attended`` True or False; a sign-up for a shift still
ahead has it empty. Only the held shifts say anything about showing up, so every rate here is
over **past sign-ups**, and the future ones are set aside with a reason (``StepReport``).

* a **show** is a past sign-up attended; a **flake** is a past sign-up not attended, whether the
  volunteer cancelled ahead (``CANCELLED``) or just did not come (a no-show): either way the
  shift is one person short;
* a volunteer **came back** after their n-th shift when they worked an (n+1)-th. A shift worked
  last week has not had the time to be followed: :func:`return_rates` counts only shifts at least
  ``min_days`` before the export;
* retention by first-shift cohort is :func:`campaignlab.digital.cohort_retention` on the shifts
  worked (a volunteer's shifts are a donor's gifts), by week.

>>> import pandas as pd
>>> signups = pd.DataFrame({"user_id": [1, 1, 2, 2, 3],
...     "timeslot_start": ["2026-09-05 10:00:00", "2026-09-12 10:00:00", "2026-09-05 10:00:00",
...                        "2026-10-10 10:00:00", "2026-09-06 14:00:00"],
...     "status": ["CONFIRMED", "CONFIRMED", "CANCELLED", "REGISTERED", "REGISTERED"],
...     "attended": ["True", "True", "False", None, "False"],
...     "confirmation_channel": ["call", "call", "email", None, "none"]})
>>> table, report = shift_outcomes(signups)
>>> table.drop(columns="flake_rate").loc["all"].to_dict(), float(table.loc["all", "flake_rate"])
({'sign_ups': 4, 'shows': 2, 'cancelled': 1, 'no_shows': 1, 'flakes': 2}, 0.5)
>>> print(report)
shift_outcomes: 5 rows in, 4 kept, 1 set aside
  set aside  shift not held yet (attended empty)            1
  note       flake rate over 4 past sign-ups
>>> signups_needed(20, flake_rate=0.2)    # 20 volunteers on the doors: 25 sign-ups
25
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns

__all__ = ["attended_flags", "return_rates", "retention_curves", "shift_outcomes", "signups_needed",
           "worked_shifts"]  # fmt: skip

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
FUTURE = "shift not held yet (attended empty)"


def attended_flags(values: pd.Series) -> pd.Series:
    """``attended`` as a nullable boolean: True, False, or missing (``<NA>``) for a shift not held yet.

    Exports write it as ``True``/``False``, ``TRUE``, ``yes``/``no`` or ``1``/``0``, and read as
    text it is a string: ``"False"`` is not False to Python (a non-empty string is true).

    >>> attended_flags(pd.Series(["True", "False", None, "yes", True])).tolist()
    [True, False, <NA>, True, True]
    >>> attended_flags(pd.Series(["maybe"]))
    Traceback (most recent call last):
    ...
    ValueError: attended: 1 value(s) are neither true, false nor empty, e.g. 'maybe'
    """
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(_TRUE).fillna(False)] = True
    out[text.isin(_FALSE).fillna(False)] = False
    odd = text.notna() & (text != "") & ~text.isin(_TRUE | _FALSE).fillna(False)
    if odd.any():
        raise ValueError(f"attended: {int(odd.sum())} value(s) are neither true, false nor empty, "
                         f"e.g. {values[odd].iloc[0]!r}")  # fmt: skip
    return out


def shift_outcomes(attendance: pd.DataFrame, by: str | list[str] | None = None, *, attended: str = "attended",
                   status: str = "status", cancelled: str = "CANCELLED") -> tuple[pd.DataFrame, StepReport]:  # fmt: skip
    """Sign-ups, shows and flakes of the shifts already held, and the flake rate over those sign-ups.

    One row per value of ``by`` (a column or a list of columns; ``None``: one row, ``"all"``).
    ``flakes = cancelled + no_shows`` and ``flake_rate = flakes / sign_ups``, where ``sign_ups``
    counts the past sign-ups only: a sign-up for a shift still ahead is neither a show nor a flake,
    and is set aside in the report.
    """
    require_columns(attendance, {"attended": attended, "status": status}, "shift_outcomes")
    flags = attended_flags(attendance[attended])
    held = flags.notna()
    past = attendance[held.to_numpy()]
    shows = flags[held].astype(bool).to_numpy()
    was_cancelled = past[status].astype("str").str.strip().str.upper().eq(cancelled.upper()).to_numpy() & ~shows
    parts = pd.DataFrame({"sign_ups": 1, "shows": shows.astype(int), "cancelled": was_cancelled.astype(int),
                          "no_shows": (~shows & ~was_cancelled).astype(int)}, index=past.index)  # fmt: skip
    if by is None:
        table = parts.sum().to_frame("all").T
    else:
        keys = [by] if isinstance(by, str) else list(by)
        require_columns(attendance, {f"by[{i}]": k for i, k in enumerate(keys)}, "shift_outcomes")
        table = parts.groupby([past[k] for k in keys]).sum()
    table["flakes"] = table["cancelled"] + table["no_shows"]
    table["flake_rate"] = table["flakes"] / table["sign_ups"]
    aside = reasons_frame(attendance[(~held).to_numpy()], FUTURE)
    report = StepReport("shift_outcomes", len(attendance), len(past), aside,
                        notes=[f"flake rate over {len(past):,} past sign-ups"])  # fmt: skip
    return table, report


def worked_shifts(attendance: pd.DataFrame, *, person: str = "user_id", start: str = "timeslot_start",
                  attended: str = "attended") -> pd.DataFrame:  # fmt: skip
    """The shifts worked (attended sign-ups), in time order per volunteer, numbered, with the next one.

    Adds ``start_time`` (parsed), ``shift_number`` (1 for a volunteer's first shift worked) and
    ``next_start`` (when the same volunteer worked again; ``NaT`` if they have not, yet).

    >>> s = pd.DataFrame({"user_id": [7, 7, 8], "attended": ["True", "True", "True"],
    ...                   "timeslot_start": ["2026-09-12 10:00:00", "2026-09-05 10:00:00", "2026-09-05 14:00:00"]})
    >>> w = worked_shifts(s)
    >>> w[["user_id", "shift_number"]].values.tolist(), int(w["next_start"].notna().sum())
    ([[7, 1], [7, 2], [8, 1]], 1)
    """
    require_columns(attendance, {"person": person, "start": start, "attended": attended}, "worked_shifts")
    came = attended_flags(attendance[attended]).fillna(False).astype(bool).to_numpy()
    out = attendance[came].copy()
    out["start_time"] = pd.to_datetime(out[start])
    out = out.sort_values([person, "start_time"], kind="stable")
    per = out.groupby(person, sort=False)
    out["shift_number"] = per.cumcount().to_numpy() + 1
    out["next_start"] = per["start_time"].shift(-1)
    return out.reset_index(drop=True)


def return_rates(attendance: pd.DataFrame, as_of, *, min_days: int = 14, person: str = "user_id",
                 start: str = "timeslot_start", attended: str = "attended") -> pd.DataFrame:  # fmt: skip
    """Share of volunteers who came back after their n-th shift, for each n.

    Counts only shifts worked at least ``min_days`` before ``as_of`` (the export): a volunteer whose
    shift was two days ago has not had the time to come back, and counting them would make every
    recent recruit look like a loss. ``volunteers``: those with an n-th shift that old;
    ``came_back``: those of them with an (n+1)-th shift by ``as_of``.

    >>> s = pd.DataFrame({"user_id": [1, 1, 1, 2, 3], "attended": ["True"] * 5,
    ...     "timeslot_start": ["2026-09-01 10:00:00", "2026-09-08 10:00:00", "2026-09-30 10:00:00",
    ...                        "2026-09-02 10:00:00", "2026-09-29 10:00:00"]})
    >>> return_rates(s, "2026-10-05").to_dict("index")
    {1: {'volunteers': 2, 'came_back': 1, 'return_rate': 0.5}, 2: {'volunteers': 1, 'came_back': 1, 'return_rate': 1.0}}
    """
    w = worked_shifts(attendance, person=person, start=start, attended=attended)
    old = w[w["start_time"] <= pd.Timestamp(as_of) - pd.Timedelta(days=int(min_days))]
    back = old["next_start"].notna() & (old["next_start"] <= pd.Timestamp(as_of))
    table = pd.DataFrame({"volunteers": old.groupby("shift_number").size(),
                          "came_back": back.groupby(old["shift_number"]).sum().astype(int)})  # fmt: skip
    table["return_rate"] = table["came_back"] / table["volunteers"]
    table.index.name = "shift_number"
    return table


def retention_curves(attendance: pd.DataFrame, as_of, *, freq: str = "W", person: str = "user_id",
                     start: str = "timeslot_start", attended: str = "attended") -> pd.DataFrame:  # fmt: skip
    """Share of each first-shift cohort who worked a shift k weeks (``freq`` periods) after their first.

    Column 0 is the cohort's size; a week after ``as_of`` has not happened yet, so its cell is
    missing, not 0 (:func:`campaignlab.digital.cohort_retention`, with shifts for gifts). The week
    ``as_of`` falls in counts only if ``as_of`` is its last day: an export made on a Monday holds one
    day of that week, and would show every cohort's curve falling to 0 there.

    >>> s = pd.DataFrame({"user_id": [1, 1, 2], "attended": ["True"] * 3,
    ...     "timeslot_start": ["2026-09-01 10:00:00", "2026-09-08 10:00:00", "2026-09-02 10:00:00"]})
    >>> retention_curves(s, "2026-09-13").values.tolist()    # Sunday: the week of 09/07 is over
    [[2.0, 0.5]]
    >>> retention_curves(s, "2026-09-10").values.tolist()    # Thursday: that week is not
    [[2.0, nan]]
    """
    from campaignlab.digital.donors import cohort_retention

    as_of = pd.Timestamp(as_of)
    period = as_of.to_period(freq)
    if as_of < period.end_time.floor("D"):  # the period of as_of is not over: the one before is the last
        as_of = (period - 1).end_time.floor("D")
    w = worked_shifts(attendance, person=person, start=start, attended=attended)
    shifts = pd.DataFrame({"who": w[person].astype("str"), "when": w["start_time"], "one": 1})
    table = cohort_retention(shifts, donor="who", date="when", amount="one", freq=freq, as_of=as_of)
    table.index.name = "first shift"
    table.columns.name = "periods after the first shift"
    return table


def signups_needed(shows, flake_rate, have=0):
    """Sign-ups to recruit so that ``shows`` volunteers come, given the flake rate; ``have`` already in.

    Each sign-up brings ``1 - flake_rate`` volunteers on average, so ``shows / (1 - flake_rate)``
    sign-ups are needed, rounded up, less those already signed up (never below 0). Arrays work.

    >>> signups_needed([30, 10], flake_rate=0.25, have=[12, 20]).tolist()
    [28, 0]
    """
    rate = np.asarray(flake_rate, dtype=float)
    if np.any(rate < 0) or np.any(rate >= 1):
        raise ValueError("signups_needed: flake_rate must be at least 0 and below 1")
    need = np.ceil(np.asarray(shows, dtype=float) / (1 - rate) - 1e-9) - np.asarray(have, dtype=float)
    need = np.maximum(need, 0).astype(int)
    return int(need) if np.ndim(need) == 0 else need
