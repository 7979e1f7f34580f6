"""The size of an email list over time, from a people export and the send reports.

A people export (Action Network, EveryAction) is a snapshot: it says when each member joined
(``created_date``) and whether they are still subscribed, but not **when** anyone left. The send
reports say when: each send's unsubscribes and bounces (an address that bounces is marked
``bouncing`` and gets no more email). So the list on the first day is rebuilt backwards from
today: today's subscribers, minus everyone who joined since, plus everyone who left since. Then
forward, month by month, with each month's churn over the list at the **start** of the month
(the people who could have left).

>>> import pandas as pd
>>> members = pd.DataFrame({
...     "created_date": ["2025-03-01", "2025-11-20", "2026-07-04", "2026-07-20", "2026-08-09"],
...     "can2_subscription_status": ["subscribed", "unsubscribed", "subscribed", "bouncing", "subscribed"]})
>>> sends = pd.DataFrame({"send_date": ["2026-07-10", "2026-07-28", "2026-08-12"],
...                       "unsubscribes": [1, 0, 0], "bounces": [0, 1, 0]})
>>> g = list_growth(members, sends, "2026-07-01", "2026-08-31")
>>> g[["joined", "left", "at_start", "at_end", "churn"]].round(2).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
{'joined': [2, 1], 'left': [2, 0], 'at_start': [2, 2], 'at_end': [2, 3], 'churn': [1.0, 0.0]}
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["list_growth"]


def list_growth(
    members: pd.DataFrame,
    sends: pd.DataFrame,
    start,
    end,
    *,
    created: str = "created_date",
    status: str = "can2_subscription_status",
    subscribed: str = "subscribed",
    send_date: str = "send_date",
    departures: Sequence[str] = ("unsubscribes", "bounces"),
) -> pd.DataFrame:
    """Joins, departures, size and churn of the list for each month from ``start`` to ``end``.

    ``members``: the people export as it is today (one row per member); ``sends``: every send
    from ``start`` on, with the date and the departure counts (``departures``). ``start`` should
    be the first day of a month. Members with an unreadable ``created`` date are left out of the
    joins (count them before you trust the sizes); blank departure counts count as 0.

    Returns one row per month (a ``PeriodIndex`` named ``month``): ``joined`` (members created
    that month, on or after ``start``), one column per departure count and ``left`` (their sum),
    ``net_change``, ``at_start`` and ``at_end`` (subscribers), and ``churn`` = left / at_start.
    Members who joined after ``end`` still count in the rebuilt size on ``start`` (they are in
    today's subscribers), so ``at_end`` of the last month is today's subscribers minus them.
    """
    missing = [c for c in (created, status) if c not in members.columns]
    missing += [c for c in (send_date, *departures) if c not in sends.columns]
    if missing:
        raise KeyError(f"list_growth: no column {missing} (members: {list(members.columns)}; sends: {list(sends.columns)})")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    months = pd.period_range(start, end, freq="M", name="month")
    joined_at = pd.to_datetime(members[created], errors="coerce")
    sent_at = pd.to_datetime(sends[send_date], errors="coerce")
    counts = sends[list(departures)].apply(pd.to_numeric, errors="coerce").fillna(0)
    since = (sent_at >= start).to_numpy()
    joined = joined_at[joined_at >= start]
    out = pd.DataFrame(index=months)
    out["joined"] = joined.dt.to_period("M").value_counts().reindex(months, fill_value=0).to_numpy()
    gone = counts[since].groupby(sent_at[since].dt.to_period("M")).sum().reindex(months, fill_value=0)
    for col in departures:
        out[col] = gone[col].to_numpy()
    out["left"] = gone.sum(axis=1).to_numpy()
    out["net_change"] = out["joined"] - out["left"]
    first = (members[status] == subscribed).sum() - len(joined) + counts[since].to_numpy().sum()
    out["at_end"] = first + out["net_change"].cumsum()
    out["at_start"] = out["at_end"] - out["net_change"]
    out["churn"] = out["left"] / out["at_start"].where(out["at_start"] > 0)
    return out[["joined", *departures, "left", "net_change", "at_start", "at_end", "churn"]]
