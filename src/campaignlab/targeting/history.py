"""Vote-history features known before an election: the only honest inputs to predict it.

To predict turnout in a target election, use only what was known before it: votes in the last
few generals, primaries and municipal elections held **before** its date, whether the voter
ever voted before, and how long they had been registered. A feature that includes the target
election itself "predicts" it perfectly and is useless for the next one (target leakage).
Each vote counts once per voter and election, so label-drift duplicates cannot count twice.

>>> import pandas as pd
>>> hist = pd.DataFrame({
...     "ncid": ["AL1", "AL1", "AL1", "AL2", "AL2"],
...     "election_lbl": ["11/06/2018", "11/06/2018", "11/08/2022", "11/03/2020", "11/05/2019"],
...     "election_desc": ["11/06/2018 GENERAL", "11/06/2018 GENERAL", "11/08/2022 GENERAL",
...                       "11/03/2020 GENERAL", "11/05/2019 MUNICIPAL"]})
>>> features, report = history_features(hist, "2022-11-08", voters=["AL1", "AL2", "AL3"], last=2)
>>> features.reset_index().values.tolist()
[['AL1', 1, 0, 0, True], ['AL2', 1, 0, 1, True], ['AL3', 0, 0, 0, False]]
>>> report.notes[0]
'generals before 11/08/2022 (last 2): 11/06/2018, 11/03/2020'
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns

__all__ = ["history_features", "election_calendar", "years_registered", "KINDS"]

#: election_desc word -> feature column.
KINDS = {"GENERAL": "generals", "PRIMARY": "primaries", "MUNICIPAL": "municipals"}


def election_calendar(history: pd.DataFrame, *, election: str = "election_lbl", desc: str = "election_desc",
                      date_format: str = "%m/%d/%Y") -> pd.DataFrame:  # fmt: skip
    """One row per election in date order: ``election_lbl``, ``date``, ``kind`` (GENERAL, PRIMARY...).

    >>> election_calendar(pd.DataFrame({"election_lbl": ["11/08/2022", "05/17/2022"],
    ...                                 "election_desc": ["11/08/2022 GENERAL", "05/17/2022 PRIMARY"]})).values.tolist()
    [['05/17/2022', Timestamp('2022-05-17 00:00:00'), 'PRIMARY'], ['11/08/2022', Timestamp('2022-11-08 00:00:00'), 'GENERAL']]
    """
    require_columns(history, {"election": election, "desc": desc}, "election_calendar")
    cal = history[[election, desc]].drop_duplicates(election)
    cal = pd.DataFrame({"election_lbl": cal[election].to_numpy(),
                        "date": pd.to_datetime(cal[election], format=date_format, errors="coerce").to_numpy(),
                        "kind": cal[desc].astype("str").str.replace(r"^\s*[\d/-]+\s*", "", regex=True)
                        .str.strip().str.upper().to_numpy()})  # fmt: skip
    return cal.dropna(subset=["date"]).sort_values("date", kind="stable").reset_index(drop=True)


def history_features(
    history: pd.DataFrame,
    before,
    *,
    voters: Iterable[str] | pd.Series | None = None,
    last: int = 3,
    id: str = "ncid",
    election: str = "election_lbl",
    desc: str = "election_desc",
    date_format: str = "%m/%d/%Y",
) -> tuple[pd.DataFrame, StepReport]:
    """Per voter: votes in the last ``last`` generals, primaries and municipals before ``before``.

    Args:
        history: long vote history, one row per vote (duplicates count once; not modified).
        before: the target election's date: only elections strictly before it are used.
        voters: the IDs to return a row for (default: every ID in the history); voters with
            no vote get zeros, as "no row" means "did not vote".
        last: how many elections of each kind to look back.

    Returns:
        ``(features, report)``: indexed by voter ID, columns ``generals``, ``primaries``,
        ``municipals`` (whole numbers 0..last) and ``ever_voted`` (any vote before the date).
        The report's notes name the elections used; votes by IDs not in ``voters`` are set aside.
    """
    require_columns(history, {"id": id, "election": election, "desc": desc}, "history_features")
    cut = pd.Timestamp(before)
    cal = election_calendar(history, election=election, desc=desc, date_format=date_format)
    cal = cal[cal["date"] < cut]
    if voters is None:
        index = pd.Index(pd.unique(history[id].dropna()), dtype="str", name=id).sort_values()
    else:
        index = pd.Index(pd.Series(list(voters) if not isinstance(voters, pd.Series) else voters, dtype="str"),
                         name=id)  # fmt: skip
        if index.has_duplicates:
            raise ValueError("history_features: voters= has repeated IDs")
    rows = index.get_indexer(history[id].astype("str"))
    past = history[election].isin(cal["election_lbl"]).to_numpy()
    reason = np.full(len(history), None, dtype=object)
    reason[~past] = f"election on or after {cut:%m/%d/%Y}, or not a dated election"
    reason[past & (rows < 0)] = "voter not in voters="
    use = pd.isna(reason)
    pairs = pd.DataFrame({"row": rows[use], "lbl": history[election].to_numpy()[use]}).drop_duplicates()
    out = pd.DataFrame(index=index)
    notes = []
    for kind, col in KINDS.items():
        chosen = cal.loc[cal["kind"] == kind, "election_lbl"].tail(last)
        counts = np.bincount(pairs.loc[pairs["lbl"].isin(chosen), "row"], minlength=len(index))
        out[col] = counts.astype("int64")
        notes.append(f"{col} before {cut:%m/%d/%Y} (last {last}): {', '.join(chosen) or 'none'}")
    out["ever_voted"] = np.bincount(pairs["row"], minlength=len(index)) > 0
    aside = reasons_frame(history.iloc[np.flatnonzero(~use)], pd.Series(reason[~use], dtype="str"))
    report = StepReport("history_features", len(history), int(use.sum()), aside, rows_out=len(out),
                        flags={"voters with no vote before the date": int((~out["ever_voted"]).sum())},
                        notes=notes)  # fmt: skip
    return out, report


def years_registered(registration_dates: pd.Series, at) -> pd.Series:
    """Years between registration and ``at`` (floats; missing where the date is unknown).

    >>> years_registered(pd.Series(pd.to_datetime(["2012-11-08", None])), "2022-11-08").round(1).tolist()
    [10.0, nan]
    """
    days = (pd.Timestamp(at) - pd.to_datetime(registration_dates)).dt.days
    return (days / 365.25).where(days >= 0).rename("years_registered")
