"""What a subscriber and a donor cost, by source: ad spend, leads, the list and the donor file.

The rule: a cost is the money spent on a source over what **that source** brought, counted
once each. A lead is not a subscriber: a person already on the list who fills the form again
joins nobody, and a lead that never reached the list joins nobody either. A donor bought by
a source is a subscriber **that source brought** who gave **after joining**: a donor who was
on the list (or gave) before the ad came through some other door. Members who joined in the
same period without a lead are the **organic** source: no ad spend, which does not make them
free (staff time, events and partners cost money too; the export just does not say how much).

Emails are the join key, trimmed and lower-cased (a lead form prefills the address the
person gave Facebook, capitalisation included).

>>> import pandas as pd
>>> spend = pd.DataFrame({"Campaign name": ["petition", "petition", "lookalike"],
...     "Amount spent (USD)": [60.0, 40.0, 90.0]})
>>> leads = pd.DataFrame({"campaign_name": ["petition", "petition", "petition", "lookalike", "lookalike"],
...     "email": ["Ana@example.com", "bo@example.org", "cy@example.net", "di@example.com", "zz@example.org"],
...     "created_time": ["2026-07-01T10:00:00-04:00", "2026-07-02T10:00:00-04:00", "2026-07-03T10:00:00-04:00",
...                      "2026-07-04T10:00:00-04:00", "2026-07-05T10:00:00-04:00"]})
>>> members = pd.DataFrame({"email": ["ana@example.com", "bo@example.org", "cy@example.net", "di@example.com", "ed@example.com"],
...     "created_date": ["2026-07-01 10:05:00", "2026-07-02 10:09:00", "2025-01-01 09:00:00",
...                      "2026-07-04 10:02:00", "2026-07-06 12:00:00"]})
>>> gifts = pd.DataFrame({"Donor Email": ["ana@example.com", "cy@example.net", "di@example.com"],
...     "Date": ["2026-08-01 12:00:00", "2026-08-01 12:00:00", "2026-08-02 12:00:00"], "Amount": [25, 50, 10]})
>>> t = acquisition_costs(spend, leads, members, gifts, since="2026-07-01")
>>> t[["spend", "leads", "new_subscribers", "already_on_list", "not_on_list", "donors"]].astype(int).to_dict("index")["petition"]
{'spend': 100, 'leads': 3, 'new_subscribers': 2, 'already_on_list': 1, 'not_on_list': 0, 'donors': 1}
>>> t.loc[["petition", "lookalike"], ["cost_per_lead", "cost_per_subscriber", "cost_per_donor"]].round(2).values.tolist()
[[33.33, 50.0, 100.0], [45.0, 90.0, 90.0]]
>>> t.loc["organic (no ad)", ["spend", "new_subscribers"]].tolist(), pd.isna(t.loc["organic (no ad)", "cost_per_subscriber"])
([0.0, 1.0], True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ORGANIC", "acquisition_costs", "lead_times"]

#: The name of the row for members who joined without a lead.
ORGANIC = "organic (no ad)"


def lead_times(values: pd.Series, tz: str = "America/New_York") -> pd.Series:
    """Lead-form times (ISO 8601 with an offset, as Meta exports them) as naive local times.

    A list export writes local time without an offset; Meta writes the offset. Comparing the
    two needs one clock: convert the lead times to the list's time zone, then drop the zone.

    >>> lead_times(pd.Series(["2026-07-01T10:00:00-04:00", "2026-01-05T18:30:00+0000"])).astype(str).tolist()
    ['2026-07-01 10:00:00', '2026-01-05 13:30:00']
    """
    parsed = pd.to_datetime(values, utc=True, format="ISO8601")
    return parsed.dt.tz_convert(tz).dt.tz_localize(None)


def _need(frame: pd.DataFrame, what: str, cols: list[str], hint: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise KeyError(f"{what}: no column {missing}; columns found: {list(frame.columns)}. Name yours with {hint}")


def acquisition_costs(
    spend: pd.DataFrame, leads: pd.DataFrame, members: pd.DataFrame, donations: pd.DataFrame, *,
    since=None, until=None, spend_source: str = "Campaign name", amount_spent: str = "Amount spent (USD)",
    lead_source: str = "campaign_name", lead_email: str = "email", lead_time: str = "created_time",
    member_email: str = "email", joined: str = "created_date", donor_email: str = "Donor Email",
    gift_date: str = "Date", gift_amount: str = "Amount", tz: str = "America/New_York",
) -> pd.DataFrame:
    """Spend, leads, new subscribers, donors and the cost of each, per source (and organic).

    Args:
        spend: an ad platform's report (one row per campaign and period; Meta Ads Manager
            columns by default).
        leads: the lead-form export, one row per lead (Meta lead ads columns by default);
            lead times with an offset are converted to ``tz`` (see :func:`lead_times`).
        members: the list export (Action Network: ``email``, ``created_date`` in local time).
        donations: the contributions export, one row per receipt.
        since, until: the period whose organic joiners are counted (default: the first lead's
            day to the last member's join). Paid rows count every lead of the export.

    Returns one row per source (the spend report's campaigns, then ``ORGANIC``): ``spend``,
    ``leads``, ``new_subscribers`` (leads whose email joined the list at or after the lead),
    ``already_on_list`` and ``not_on_list`` (the leads set aside: leads = the three added up),
    ``donors`` (new subscribers who gave at or after joining, each once), ``revenue`` (their
    gifts after joining), ``cost_per_lead``, ``cost_per_subscriber``, ``cost_per_donor``
    (missing where the divisor is 0, and for organic, which has no spend in the report).
    Inputs are not modified.
    """
    _need(spend, "spend", [spend_source, amount_spent], "spend_source=, amount_spent=")
    _need(leads, "leads", [lead_source, lead_email, lead_time], "lead_source=, lead_email=, lead_time=")
    _need(members, "members", [member_email, joined], "member_email=, joined=")
    _need(donations, "donations", [donor_email, gift_date, gift_amount], "donor_email=, gift_date=, gift_amount=")
    when = leads[lead_time]
    if not pd.api.types.is_datetime64_any_dtype(when):
        when = lead_times(when, tz)
    elif getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_convert(tz).dt.tz_localize(None)
    lead = pd.DataFrame({"source": leads[lead_source].astype("str").to_numpy(),
                         "key": leads[lead_email].astype("str").str.strip().str.lower().to_numpy(),
                         "when": when.to_numpy()})
    member = pd.DataFrame({"key": members[member_email].astype("str").str.strip().str.lower(),
                           "joined": pd.to_datetime(members[joined])}).drop_duplicates("key")
    gift = pd.DataFrame({"key": donations[donor_email].astype("str").str.strip().str.lower(),
                         "when": pd.to_datetime(donations[gift_date]),
                         "amount": pd.to_numeric(donations[gift_amount])})
    lead = lead.merge(member, on="key", how="left")
    lead["on_list"] = lead["joined"].notna()
    lead["new"] = lead["on_list"] & (lead["joined"] >= lead["when"])
    again = lead[lead["new"]].sort_values("when", kind="stable").duplicated("key")
    lead.loc[again[again].index, "new"] = False  # one person joins once: their first lead brought them
    acquired = lead[lead["new"]]

    start = pd.Timestamp(since) if since is not None else lead["when"].min().normalize()
    end = pd.Timestamp(until) if until is not None else member["joined"].max()
    window = member[(member["joined"] >= start) & (member["joined"] <= end)]
    organic = window[~window["key"].isin(acquired["key"])].assign(source=ORGANIC)
    joiners = pd.concat([acquired[["key", "source", "joined"]], organic[["key", "source", "joined"]]], ignore_index=True)
    after = gift.merge(joiners, on="key")
    after = after[after["when"] >= after["joined"]]

    sources = list(dict.fromkeys([*spend[spend_source].astype("str"), *lead["source"]]))
    out = pd.DataFrame(index=pd.Index([*sources, ORGANIC], name="source"))
    out["spend"] = pd.to_numeric(spend[amount_spent]).groupby(spend[spend_source].astype("str").to_numpy()).sum()
    out.loc[ORGANIC, "spend"] = 0.0
    out["spend"] = out["spend"].fillna(0.0)
    out["leads"] = lead.groupby("source").size()
    out["new_subscribers"] = joiners.groupby("source").size()
    out["already_on_list"] = lead[lead["on_list"] & ~lead["new"]].groupby("source").size()
    out["not_on_list"] = lead[~lead["on_list"]].groupby("source").size()
    out["donors"] = after.groupby("source")["key"].nunique()
    out["revenue"] = after.groupby("source")["amount"].sum()
    counts = ["leads", "new_subscribers", "already_on_list", "not_on_list", "donors"]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    out["revenue"] = out["revenue"].fillna(0.0)
    paid = out.index != ORGANIC
    for col, by in (("cost_per_lead", "leads"), ("cost_per_subscriber", "new_subscribers"), ("cost_per_donor", "donors")):
        out[col] = (out["spend"] / out[by].where(out[by] > 0)).where(paid)
    return out
