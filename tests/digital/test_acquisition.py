"""campaignlab.digital.acquisition and dashboard on the synthetic program: against the truth, and reconciled."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from campaignlab import data, digital  # noqa: E402


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data.path(name), dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def files():
    return _csv("ads_campaigns"), _csv("ad_leads"), _csv("list"), _csv("donations")


def test_acquisition_matches_the_truth_and_reconciles(files):
    spend, leads, members, donations = files
    before = [f.copy() for f in files]
    t = digital.acquisition_costs(spend, leads, members, donations)
    for f, b in zip(files, before, strict=True):
        pd.testing.assert_frame_equal(f, b)  # never mutates its inputs
    truth = pd.read_csv(data.path("truth_ad_leads"), dtype=str, keep_default_na=False)
    paid = t.drop(index=digital.ORGANIC)
    assert (paid["leads"] == paid["new_subscribers"] + paid["already_on_list"] + paid["not_on_list"]).all()
    assert paid["leads"].sum() == len(leads)
    new = truth[truth["new_to_list"] == "true"].groupby("campaign_name").size()
    assert paid["new_subscribers"].to_dict() == new.to_dict()
    donors = truth[truth["gave_after_joining"] == "true"].groupby("campaign_name").size()
    assert paid["donors"].to_dict() == donors.reindex(paid.index, fill_value=0).to_dict()
    assert paid["spend"].sum() == pytest.approx(pd.to_numeric(spend["Amount spent (USD)"]).sum())
    assert (paid["cost_per_lead"] <= paid["cost_per_subscriber"]).all()
    assert pd.isna(t.loc[digital.ORGANIC, "cost_per_subscriber"]) and t.loc[digital.ORGANIC, "spend"] == 0
    # the lookalike campaign costs most per lead and least per donor: the lesson's point
    assert paid["cost_per_lead"].idxmax() == paid["cost_per_donor"].idxmin() == "Donor lookalike - lead ads"


def test_a_missing_column_names_what_was_found(files):
    spend, leads, members, donations = files
    with pytest.raises(KeyError, match="Name yours with"):
        digital.acquisition_costs(spend.drop(columns="Amount spent (USD)"), leads, members, donations)


def test_text_benchmarks_compare_p2p_replies_and_broadcast_clicks():
    sms = _csv("sms_sends")
    b = digital.text_against_benchmarks(sms)
    p2p = b[b["send_type"] == "p2p"]
    assert set(p2p["metric"]) == {"reply_rate", "opt_out_rate"}
    assert set(b.loc[b["purpose"] == "fundraising", "message_type"]) == {"fundraising text"}
    replies = p2p[p2p["metric"] == "reply_rate"].set_index("purpose")["ours"]
    num = sms[sms["send_type"] == "p2p"].assign(delivered=lambda d: pd.to_numeric(d["delivered"]),
                                                replies=lambda d: pd.to_numeric(d["replies"]))
    summed = num.groupby("purpose")["replies"].sum() / num.groupby("purpose")["delivered"].sum()
    pd.testing.assert_series_equal(replies.sort_index(), summed.sort_index(), check_names=False)

def test_figure_panels_reads_titles_labels_and_values():
    fig, axes = plt.subplots(2, 2)
    axes[0, 0].plot([1, 2, 3], [10, 12, 11])
    axes[0, 0].set(title="List size", xlabel="Month", ylabel="Subscribers")
    axes[0, 1].barh(["a", "b"], [3.0, 5.0])
    axes[0, 1].set(title="Cost", xlabel="US dollars", ylabel="Source")
    axes[1, 0].bar(["x", "y", "z"], [0.1, 0.3, 0.2])
    axes[1, 0].axhline(0.14)
    p = digital.figure_panels(fig)
    plt.close(fig)
    assert len(p) == 4 and p.loc[0, "title"] == "List size" and p.loc[1, "ylabel"] == "Source"
    assert p.loc[1, "y_max"] == 5.0 and p.loc[2, "bars"] == 3 and p.loc[2, "lines"] == 1
    assert p.loc[2, "y_max"] == pytest.approx(0.3) and p.loc[3, "points"] == 0 and p.loc[3, "title"] == ""
