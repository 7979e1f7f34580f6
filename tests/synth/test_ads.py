"""campaignlab.synth.ads: the Ads Manager export reconciles with its leads, and the leads with the list."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def ads(synth_county):
    out = synth_county[0]
    spend = pd.read_csv(out / "meta_ads_campaigns.csv", dtype=str)
    leads = pd.read_csv(out / "meta_lead_ads_leads.csv", dtype=str)
    truth = pd.read_csv(out / "truth/ad_leads.csv", dtype=str, keep_default_na=False)
    members = pd.read_csv(out / "action_network_export.csv", dtype=str)
    donations = pd.read_csv(out / "donations.csv", dtype=str)
    return spend, leads, truth, members, donations


def test_weekly_leads_are_the_rows_of_the_leads_export(ads):
    spend, leads, *_ = ads
    when = pd.to_datetime(leads["created_time"], utc=True).dt.tz_convert("America/New_York").dt.tz_localize(None)
    week = (when - pd.Timestamp("2025-04-07")).dt.days // 7
    starts = (pd.Timestamp("2025-04-07") + pd.to_timedelta(week * 7, "D")).dt.strftime("%Y-%m-%d")
    counted = leads.groupby([leads["campaign_name"], starts]).size()
    reported = spend.set_index(["Campaign name", "Reporting starts"])["Leads"].astype(int)
    assert reported.sum() == len(leads)
    assert (reported[reported > 0] == counted.reindex(reported[reported > 0].index)).all()
    assert (pd.to_numeric(spend["Amount spent (USD)"]) > 0).all()
    assert (pd.to_numeric(spend["Link clicks"]) <= pd.to_numeric(spend["Impressions"])).all()
    assert (pd.to_numeric(spend["Reach"]) <= pd.to_numeric(spend["Impressions"])).all()


def test_new_leads_join_the_list_minutes_later_and_the_truth_says_which(ads):
    _, leads, truth, members, _ = ads
    assert truth["id"].tolist() == leads["id"].tolist()
    key = members["email"].str.strip().str.lower()
    joined = pd.Series(pd.to_datetime(members["created_date"]).to_numpy(), index=key)
    when = pd.to_datetime(leads["created_time"], utc=True).dt.tz_convert("America/New_York").dt.tz_localize(None)
    lag = joined.reindex(leads["email"].str.strip().str.lower()).to_numpy() - when.to_numpy()
    new = truth["new_to_list"] == "true"
    minutes = pd.Series(lag[new.to_numpy()]).dt.total_seconds() / 60
    assert minutes.between(0, 21).all()
    old = pd.Series(lag[(~new & (truth["uuid"] != "")).to_numpy()])
    assert (old < pd.Timedelta(0)).all()  # already on the list before the lead
    assert (truth["uuid"] == "").mean() < 0.08  # a few leads never reach the list
    assert leads["email"].str.contains("@example\\.(?:com|org|net)$", case=False).all()


def test_the_lookalike_campaign_finds_donors_and_retargeting_finds_members(ads):
    _, _, truth, *_ = ads
    t = truth.assign(new=truth["new_to_list"] == "true", gave=truth["gave_after_joining"] == "true")
    by = t.groupby("campaign_name")[["new", "gave"]].mean()
    assert by["gave"].idxmax() == "Donor lookalike - lead ads"
    assert by["new"].idxmin() == "Site visitors - retargeting lead ads"
