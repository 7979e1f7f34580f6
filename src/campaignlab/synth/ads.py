"""Paid acquisition: a Meta Ads Manager export by campaign and week, and its lead-ads leads.

The coalition ran three Facebook/Instagram lead-ad campaigns from April 2025 to the export
(a lead form: name, email, ZIP). Each lead syncs to the Action Network list within minutes;
a lead whose email was already on the list is not a new subscriber, and a few leads never
reach the list (a form filled with an address the list rejects). Built from the finished
list export and donations file, with its own random stream, so no other file changes.

Files:

* ``meta_ads_campaigns.csv``: one row per campaign and week (Ads Manager columns: Campaign
  name, Reporting starts, Reporting ends, Amount spent (USD), Impressions, Reach, Link clicks,
  Leads). ``Leads`` is the number of rows of the leads export in that campaign and week.
* ``meta_lead_ads_leads.csv``: one row per lead (id, created_time in ISO 8601 with the
  Eastern offset, ad_name, campaign_name, form_name, platform, email, full_name, zip_code).
* ``truth/ad_leads.csv``: per lead, the list member it is (uuid, blank when it never reached
  the list), whether it was new to the list, and whether that member gave after joining.

Calibration: DOMAIN.md has no paid-acquisition figure (M+R's cost per lead or per donor is
not in it), so every cost below is an unsourced free parameter: cost per lead ~$2.50 to
~$9 by campaign, CPM ~$11-14, link click-through ~0.8-1.4%, frequency ~1.6-2.0. The
lookalike campaign is aimed at people like past donors: members who go on to give are
more likely to have come through it (the targeting a real campaign buys).

>>> import numpy as np, pandas as pd
>>> export = pd.DataFrame({"uuid": [f"u{i}" for i in range(400)],
...     "first_name": "ANA", "last_name": "DIAZ",
...     "email": [f"ana{i}@example.com" for i in range(400)], "zip_code": "27501",
...     "created_date": pd.date_range("2025-01-01", "2026-10-30", periods=400).strftime("%Y-%m-%d %H:%M:%S")})
>>> gifts = pd.DataFrame({"Donor Email": ["ana399@example.com"], "Date": ["2026-10-31 10:00:00"]})
>>> out = build_ads(export, gifts, np.random.default_rng(1))
>>> sorted(out)
['meta_ads_campaigns.csv', 'meta_lead_ads_leads.csv', 'truth/ad_leads.csv']
>>> spend, leads = out["meta_ads_campaigns.csv"], out["meta_lead_ads_leads.csv"]
>>> int(spend["Leads"].sum()) == len(leads)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CAMPAIGNS", "FLIGHT_START", "build_ads"]

#: First Monday of the flights; weekly rows run to the last full week before the export.
FLIGHT_START = "2025-04-07"
FLIGHT_END = "2026-11-01"  # a Sunday: the last reporting week ends here

#: campaign name -> (ad name, form name, cost per lead $, CPM $, link CTR, frequency,
#: share of new leads among non-donors, among future donors, leads already on the list
#: per new lead). All unsourced free parameters (see the module docstring).
CAMPAIGNS = {
    "Homes for Alder - petition lead ads": ("Sign for homes - video", "Petition: homes for Alder", 4.0, 11.0, 0.011, 1.8, 0.62, 0.35, 0.08),
    "Donor lookalike - lead ads": ("Stand with renters - carousel", "Join the coalition", 9.0, 14.0, 0.008, 1.6, 0.18, 0.55, 0.10),
    "Site visitors - retargeting lead ads": ("Finish signing - static", "Petition: homes for Alder", 2.5, 12.0, 0.014, 2.0, 0.20, 0.10, 0.80),
}  # fmt: skip
#: share of members who joined during the flights that came through a lead ad: non-donors, future donors
LEAD_SHARE = (0.30, 0.60)
#: leads that never reach the list (rejected or unsynced form entries), per lead
UNSYNCED_SHARE = 0.04


def _offset(local: pd.Series) -> pd.Series:
    """US Eastern UTC offset of naive local times: -04:00 in daylight time, else -05:00."""
    year = local.dt.year
    start = pd.to_datetime(year.astype(str) + "-03-08") + pd.to_timedelta((6 - pd.to_datetime(year.astype(str) + "-03-08").dt.day_of_week) % 7, "D")
    end = pd.to_datetime(year.astype(str) + "-11-01") + pd.to_timedelta((6 - pd.to_datetime(year.astype(str) + "-11-01").dt.day_of_week) % 7, "D")
    dst = (local >= start + pd.Timedelta(hours=2)) & (local < end + pd.Timedelta(hours=2))
    return pd.Series(np.where(dst, "-04:00", "-05:00"), index=local.index)


def _case_noise(email: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Lead forms prefill the address the person gave Facebook, often capitalised."""
    u = rng.random(len(email))
    out = email.where(u >= 0.15, email.str.capitalize())
    return out.where(u < 0.92, " " + email.str.upper())


def build_ads(export: pd.DataFrame, donations: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """The Ads Manager weekly export, the leads export and their truth (see the module docstring).

    Args:
        export: the Action Network list export (uuid, first_name, last_name, email, zip_code,
            created_date as ``%Y-%m-%d %H:%M:%S``).
        donations: the contributions export (Donor Email, Date).
        rng: the only source of randomness.
    """
    r_pick, r_old, r_lost, r_time, r_spend, r_form = rng.spawn(6)
    names = list(CAMPAIGNS)
    start, end = pd.Timestamp(FLIGHT_START), pd.Timestamp(FLIGHT_END) + pd.Timedelta(days=1)
    members = export[["uuid", "first_name", "last_name", "email", "zip_code"]].copy()
    members["created"] = pd.to_datetime(export["created_date"], format="%Y-%m-%d %H:%M:%S")
    key = export["email"].str.strip().str.lower()
    gifts = pd.DataFrame({"key": donations["Donor Email"].str.strip().str.lower(),
                          "when": pd.to_datetime(donations["Date"], format="%Y-%m-%d %H:%M:%S")})
    last_gift = gifts.groupby("key")["when"].max()
    gave_after = (last_gift.reindex(key).to_numpy() >= members["created"].to_numpy())
    members["gave_after"] = gave_after

    # new subscribers who came through an ad: joined during the flights
    window = ((members["created"] >= start + pd.Timedelta(hours=1)) & (members["created"] < end)).to_numpy()
    p_lead = np.where(gave_after, LEAD_SHARE[1], LEAD_SHARE[0])
    is_lead = window & (r_pick.random(len(members)) < p_lead)
    share_non = np.array([CAMPAIGNS[c][6] for c in names])
    share_don = np.array([CAMPAIGNS[c][7] for c in names])
    u = r_pick.random(len(members))
    pick_non = np.searchsorted(np.cumsum(share_non / share_non.sum()), u, side="right")
    pick_don = np.searchsorted(np.cumsum(share_don / share_don.sum()), u, side="right")
    campaign = np.minimum(np.where(gave_after, pick_don, pick_non), len(names) - 1)
    new = members[is_lead].assign(campaign=campaign[is_lead], new_to_list=True)
    new["lead_time"] = new["created"] - pd.to_timedelta(r_time.integers(40, 1200, len(new)), "s")

    # leads from people already on the list: they fill the form again, the list gains nobody
    parts = [new]
    for c, name in enumerate(names):
        n_old = int(round(CAMPAIGNS[name][8] * (new["campaign"] == c).sum()))
        pool = np.flatnonzero((members["created"] < end - pd.Timedelta(days=14)).to_numpy())
        take = r_old.choice(pool, size=min(n_old, len(pool)), replace=False)
        old = members.iloc[np.sort(take)].assign(campaign=c, new_to_list=False)
        lo = np.maximum(old["created"].to_numpy(), np.datetime64(start)) + np.timedelta64(1, "D")
        span = (np.datetime64(end) - lo).astype("timedelta64[s]").astype(np.int64)
        old["lead_time"] = lo + (r_old.random(len(old)) * np.maximum(span, 1)).astype("timedelta64[s]")
        parts.append(old[old["lead_time"] < end])
    leads = pd.concat(parts, ignore_index=True)
    # a few leads never reach the list: a made-up address the list rejects
    n_lost = int(round(UNSYNCED_SHARE * len(leads)))
    lost = leads.iloc[r_lost.choice(len(leads), size=n_lost, replace=False)].copy()
    lost = lost.assign(uuid=None, new_to_list=False, gave_after=False,
                       email=[f"lead{int(x):06d}@example.org" for x in r_lost.integers(0, 10**6, n_lost)])
    lost["lead_time"] = lost["lead_time"] + pd.to_timedelta(r_lost.integers(3600, 30 * 86400, n_lost), "s")
    lost = lost[lost["lead_time"] < end]
    leads = pd.concat([leads, lost], ignore_index=True).sort_values("lead_time", kind="stable").reset_index(drop=True)
    leads["lead_time"] = leads["lead_time"].dt.floor("s")
    ids = 10**14 + np.cumsum(r_form.integers(1, 10**9, len(leads)))  # rising, like Meta's lead ids
    camp = np.array(names)[leads["campaign"].to_numpy()]
    leads_out = pd.DataFrame({
        "id": pd.Series([f"l:{i}" for i in ids], dtype="str"),
        "created_time": (leads["lead_time"].dt.strftime("%Y-%m-%dT%H:%M:%S") + _offset(leads["lead_time"])).astype("str"),
        "ad_name": pd.Series([CAMPAIGNS[c][0] for c in camp], dtype="str"),
        "campaign_name": pd.Series(camp, dtype="str"),
        "form_name": pd.Series([CAMPAIGNS[c][1] for c in camp], dtype="str"),
        "platform": pd.Series(np.where(r_form.random(len(leads)) < 0.7, "fb", "ig"), dtype="str"),
        "email": _case_noise(leads["email"].astype("str"), r_form).astype("str"),
        "full_name": (leads["first_name"].str.title() + " " + leads["last_name"].str.title()).astype("str"),
        "zip_code": leads["zip_code"].astype("str"),
    })
    truth = pd.DataFrame({"id": leads_out["id"], "uuid": leads["uuid"].astype("str"),
                          "campaign_name": leads_out["campaign_name"],
                          "new_to_list": leads["new_to_list"].astype(bool),
                          "gave_after_joining": (leads["new_to_list"] & leads["gave_after"].astype(bool)).astype(bool)})

    # Ads Manager: one row per campaign and Monday-Sunday week, leads counted from the leads export
    weeks = pd.date_range(start, pd.Timestamp(FLIGHT_END) - pd.Timedelta(days=6), freq="7D")
    week_of = ((leads["lead_time"] - start).dt.days // 7).to_numpy()
    rows = []
    for c, name in enumerate(names):
        _, _, cpl, cpm, ctr, freq, *_ = CAMPAIGNS[name]
        counts = np.bincount(week_of[leads["campaign"].to_numpy() == c], minlength=len(weeks))[: len(weeks)]
        noise = r_spend.lognormal(0.0, 0.25, len(weeks))
        spent = np.round(counts * cpl * noise + r_spend.uniform(5, 25, len(weeks)), 2)
        impressions = np.round(spent / cpm * 1000 * r_spend.lognormal(0, 0.1, len(weeks))).astype(np.int64)
        clicks = r_spend.binomial(impressions, ctr)
        reach = np.round(impressions / (freq * r_spend.lognormal(0, 0.08, len(weeks)))).astype(np.int64)
        for w, day in enumerate(weeks):
            rows.append({"Campaign name": name, "Reporting starts": f"{day:%Y-%m-%d}",
                         "Reporting ends": f"{day + pd.Timedelta(days=6):%Y-%m-%d}", "Amount spent (USD)": float(spent[w]),
                         "Impressions": int(impressions[w]), "Reach": int(reach[w]), "Link clicks": int(clicks[w]),
                         "Leads": int(counts[w])})  # fmt: skip
    spend = pd.DataFrame(rows).sort_values(["Reporting starts", "Campaign name"], kind="stable").reset_index(drop=True)
    for col in ("Campaign name", "Reporting starts", "Reporting ends"):
        spend[col] = spend[col].astype("str")
    return {"meta_ads_campaigns.csv": spend, "meta_lead_ads_leads.csv": leads_out, "truth/ad_leads.csv": truth}
