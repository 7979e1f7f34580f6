"""What the doors said: door attempts, contacts and IDs from a VAN contact history.

A VAN contact history has one row per **attempt**: a knock, a dial or a text to one voter. At the
door, an attempt is a **contact** when someone answered (``Canvassed``, ``Refused``, ``Moved``,
``Deceased``: a person came to the door and told the canvasser something), and an **ID** when the
voter answered the survey question. A contact rate is contacts over **attempts** (doors knocked),
never over the people on the list: a voter knocked three times is three attempts, and two voters
behind one door are two attempts.

``Moved`` and ``Deceased`` are what a neighbour or a relative told a canvasser, not a registration
change: only the board of elections removes a voter. The campaign flags them (and stops knocking),
it never drops them from the file (:func:`field_flags`).

>>> import pandas as pd
>>> knocks = pd.DataFrame({
...     "Contact Type": ["Walk", "Walk", "Walk", "Walk", "Phone"],
...     "Result": ["Canvassed", "Not Home", "Refused", "Not Home", "Canvassed"],
...     "Survey Response": ["1 - Strong Yes", None, None, None, "2 - Lean Yes"],
...     "Turf Name": ["P01-01", "P01-01", "P01-02", "P01-02", None]})
>>> rates = contact_rates(knocks, by="Turf Name")
>>> rates[["attempts", "contacts", "ids", "contact_rate"]].to_dict("index")
{'P01-01': {'attempts': 2, 'contacts': 1, 'ids': 1, 'contact_rate': 0.5}, 'P01-02': {'attempts': 2, 'contacts': 1, 'ids': 0, 'contact_rate': 0.5}}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import require_columns

__all__ = ["CONTACT_RESULTS", "DOOR", "FLAG_RESULTS", "contact_rates", "field_flags", "shift_start"]

#: VAN's contact type for a door knock.
DOOR = "Walk"
#: Door results where someone came to the door: a contact (the rest: Not Home, Inaccessible,
#: Wrong Address, found nobody to talk to).
CONTACT_RESULTS = ("Canvassed", "Refused", "Moved", "Deceased")
#: Results that say the voter is no longer at the address: flagged on the file, never dropped.
FLAG_RESULTS = ("Moved", "Deceased")


def _text(values: pd.Series) -> pd.Series:
    return values.astype("str").str.strip()


def contact_rates(
    contacts: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    contact_type: str | None = DOOR,
    type_column: str = "Contact Type",
    result: str = "Result",
    response: str = "Survey Response",
    contact_results: Sequence[str] = CONTACT_RESULTS,
) -> pd.DataFrame:
    """Attempts, contacts and IDs per group, each rate over the **attempts** of the group.

    Args:
        contacts: a VAN contact history (one row per attempt).
        by: column(s) to group by (a shift, a turf, a canvasser, an hour); ``None``: one row ``all``.
        contact_type: keep only attempts of this type (default door knocks; ``None``: every row).
        contact_results: results that count as a contact (someone answered).

    Returns:
        One row per group: ``attempts``, ``contacts``, ``ids`` (attempts with a survey answer),
        ``contact_rate`` = contacts / attempts, ``id_rate`` = IDs / attempts and
        ``ids_per_contact`` = IDs / contacts (empty where a group has no contact). Groups with no
        attempt do not appear; the input is not modified.

    >>> k = pd.DataFrame({"Contact Type": ["Walk"] * 4, "Result": ["Moved", "Not Home", "Canvassed", "Deceased"],
    ...                   "Survey Response": [None, None, "3 - Undecided", None]})
    >>> contact_rates(k).loc["all", ["attempts", "contacts", "contact_rate", "ids_per_contact"]].round(3).tolist()
    [4.0, 3.0, 0.75, 0.333]
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    require_columns(contacts, {"result": result, "response": response,
                               "type_column": type_column if contact_type is not None else None,
                               **{f"by[{i}]": k for i, k in enumerate(keys)}}, "contact_rates")  # fmt: skip
    rows = contacts
    if contact_type is not None:
        rows = contacts.loc[_text(contacts[type_column]).eq(contact_type).to_numpy()]
    answered = _text(rows[result]).isin(list(contact_results)).to_numpy()
    surveyed = rows[response].notna().to_numpy() & _text(rows[response]).ne("").to_numpy()
    counts = pd.DataFrame({"attempts": np.ones(len(rows), dtype=np.int64), "contacts": answered.astype(np.int64),
                           "ids": surveyed.astype(np.int64)}, index=rows.index)  # fmt: skip
    if keys:
        table = counts.groupby([rows[k] for k in keys], sort=True).sum()
    else:
        table = counts.sum().to_frame("all").T.astype(np.int64)
    table["contact_rate"] = table["contacts"] / table["attempts"]
    table["id_rate"] = table["ids"] / table["attempts"]
    table["ids_per_contact"] = table["ids"] / table["contacts"].where(table["contacts"] > 0)
    return table


def field_flags(
    contacts: pd.DataFrame,
    *,
    id: str = "StateFileID",
    result: str = "Result",
    date: str = "Date Canvassed",
    date_format: str = "%m/%d/%Y",
    flag_results: Sequence[str] = FLAG_RESULTS,
    as_of=None,
) -> pd.DataFrame:
    """Each voter's field flag (``Moved`` or ``Deceased``): the latest such result, with its date.

    Attempts after ``as_of`` (a date) are left out. A voter flagged twice keeps the latest flag.
    Join the result to the voter file with a left merge and keep every registration: the flag
    tells canvassers to stop knocking, it does not remove anyone.

    Returns:
        One row per flagged voter, labelled by ``id``: ``field_flag``, ``flag_date``, ``times_flagged``.

    >>> c = pd.DataFrame({"StateFileID": ["AL1", "AL1", "AL2", "AL3"], "Result": ["Not Home", "Moved", "Canvassed", "Deceased"],
    ...                   "Date Canvassed": ["07/11/2026", "08/01/2026", "08/02/2026", "10/20/2026"]})
    >>> field_flags(c, as_of="2026-10-05")["field_flag"].to_dict()
    {'AL1': 'Moved'}
    """
    require_columns(contacts, {"id": id, "result": result, "date": date}, "field_flags")
    when = pd.to_datetime(contacts[date], format=date_format, errors="coerce")
    hit = _text(contacts[result]).isin(list(flag_results)).to_numpy().copy()
    if as_of is not None:
        hit &= (when <= pd.Timestamp(as_of)).to_numpy()
    rows = pd.DataFrame({"voter": contacts[id].to_numpy()[hit], "field_flag": _text(contacts[result]).to_numpy()[hit],
                         "flag_date": when.to_numpy()[hit]})  # fmt: skip
    times = rows.groupby("voter").size()
    latest = rows.sort_values("flag_date", kind="stable").groupby("voter").tail(1).set_index("voter")
    latest["times_flagged"] = times.reindex(latest.index).astype(np.int64)
    latest.index.name = id
    return latest.sort_index()


def shift_start(shift_ids: pd.Series) -> pd.Series:
    """The start time (``HH:MM``) of each VAN-style shift id ``<kind>-<YYYYMMDD>-<HHMM>-<user>``.

    >>> shift_start(pd.Series(["W-20260912-1000-00042", "W-20260914-1730-00007", None])).tolist()
    ['10:00', '17:30', nan]
    """
    hhmm = shift_ids.astype("str").str.extract(r"^[A-Z]+-\d{8}-(\d{2})(\d{2})-", expand=True)
    return (hhmm[0] + ":" + hhmm[1]).where(hhmm[0].notna())
