"""campaignlab.digital on the synthetic program's exports, and the A/B helpers against simulated truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from campaignlab import data, digital


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data.path(name), dtype=str, keep_default_na=False, na_values=[""])


def test_intervals_cover_the_true_difference_at_their_nominal_rate():
    """Many simulated tests at fundraising-email rates: the 95% interval holds the truth ~95% of the time."""
    rng = np.random.default_rng(2026)
    sims, covered, rejected_null = 4000, 0, 0
    for _ in range(sims):
        n = int(rng.integers(2000, 20000))
        p_a = rng.uniform(0.003, 0.05)
        p_b = p_a * rng.choice([1.0, 1.2, 1.5])
        ka, kb = rng.binomial(n, p_a), rng.binomial(n, p_b)
        r = digital.compare_rates(int(ka), n, int(kb), n)
        covered += r.interval[0] <= p_b - p_a <= r.interval[1]
    coverage = covered / sims
    print(f"95% intervals covered the true difference in {coverage:.1%} of {sims:,} simulated tests")
    assert 0.93 <= coverage <= 0.97
    for _ in range(2000):  # no true difference: "significant" about 5% of the time
        ka, kb = rng.binomial(5000, 0.01, size=2)
        rejected_null += digital.compare_rates(int(ka), 5000, int(kb), 5000).significant
    print(f"false winners with no true difference: {rejected_null / 2000:.1%}")
    assert 0.03 <= rejected_null / 2000 <= 0.07


def test_sample_size_gives_the_power_it_promises():
    rng = np.random.default_rng(7)
    n = digital.sample_size(0.02, 0.01)
    wins = sum(digital.compare_rates(int(rng.binomial(n, 0.02)), n, int(rng.binomial(n, 0.03)), n).significant
               for _ in range(1000))  # fmt: skip
    print(f"{n:,} per variant: the real 2% -> 3% lift found in {wins / 1000:.0%} of tests")
    assert 0.75 <= wins / 1000 <= 0.85
    assert abs(digital.detectable_lift(0.02, n) - 0.01) < 5e-4


def test_the_ab_readout_on_the_program_and_its_truth():
    recipients = _csv("email_ab_recipients")
    truth = _csv("truth_ab_tests")
    before = recipients.copy()
    for test_id, rows in recipients.groupby("test_id"):
        out = digital.ab_readout(rows, "clicked")
        assert out["people"].sum() == len(rows)
        assert out["successes"].sum() == pd.to_numeric(rows["clicked"]).sum()
        assert set(out["variant"]) == set(truth.loc[truth["test_id"] == test_id, "variant"])
    pd.testing.assert_frame_equal(recipients, before)


def test_many_variants_are_adjusted():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"variant": np.repeat(list("ABCDEF"), 3000), "clicked": rng.binomial(1, 0.02, 18000)})
    raw = digital.ab_readout(df, "clicked", adjust=None)
    adj = digital.ab_readout(df, "clicked", adjust="holm")
    assert (adj["p_adjusted"].fillna(1) >= raw["p_value"].fillna(1) - 1e-12).all()
    assert adj["significant"].sum() <= raw["significant"].sum()


def test_program_metrics_use_delivered_and_reconcile_with_the_sends():
    sends = _csv("email_sends")
    m = digital.program_metrics(sends, by="message_type")
    num = sends[["recipients", "delivered", "clicks", "revenue"]].apply(pd.to_numeric)
    assert m["messages"].sum() == len(sends)
    assert m["delivered"].sum() == num["delivered"].sum() and m["sent"].sum() == num["recipients"].sum()
    fundraising = sends["message_type"] == "fundraising"
    assert m.loc["fundraising", "click_rate"] == pytest.approx(
        num.loc[fundraising, "clicks"].sum() / num.loc[fundraising, "delivered"].sum())
    assert m.loc["fundraising", "revenue_per_1000"] == pytest.approx(
        1000 * num.loc[fundraising, "revenue"].sum() / num.loc[fundraising, "delivered"].sum())
    bench = digital.against_benchmarks(m)
    assert {"fundraising", "advocacy"} <= set(bench["message_type"])
    fr = bench.set_index(["message_type", "metric"]).loc[("fundraising", "revenue_per_1000")]
    print(f"fundraising: ${fr['ours']:.0f} per 1,000 delivered vs ${fr['benchmark']:.0f} ({fr['source']})")
    assert 0.5 < fr["ratio"] < 2  # the world is calibrated to M+R


def test_sms_report_with_blank_counts():
    sms = _csv("sms_sends")
    m = digital.program_metrics(sms, by="send_type", sent="sent")
    assert {"p2p", "broadcast"} <= set(m.index)
    assert m.loc["p2p", "reply_rate"] > 0
    assert np.isnan(m.loc["broadcast", "reply_rate"])  # broadcasts do not track replies: missing, not 0


def test_donors():
    gifts = _csv("donations")
    s = digital.gift_summary(gifts)
    assert s["gifts"] == len(gifts) and s["mean_gift"] > s["median_gift"]  # a few big gifts
    ret = digital.cohort_retention(gifts)
    assert ret[0].sum() == s["donors"]  # every donor in exactly one cohort
    later = ret.drop(columns=0)
    assert ((later >= 0) & (later <= 1) | later.isna()).all().all()
    # the last cohort has had no time to come back: missing, not 0; the first saw every month
    assert later.iloc[-1].isna().all() and later.iloc[0].notna().all()
    assert later.notna().sum(axis=1).is_monotonic_decreasing
    rfm = digital.rfm_segments(gifts, as_of="2026-11-02")
    assert len(rfm) == s["donors"] and set(rfm[["R", "F", "M"]].stack()) <= {1, 2, 3}
    champions = rfm[rfm["segment"] == "champions"]
    assert (champions["monetary"].median() > rfm["monetary"].median())


def test_clear_errors():
    with pytest.raises(ValueError, match="has 5 successes out of 3"):
        digital.compare_rates(5, 3, 1, 10)
    with pytest.raises(KeyError, match="no \\['delivered'\\] column"):
        digital.program_metrics(pd.DataFrame({"recipients": [1]}))
    with pytest.raises(ValueError, match="must be 0 or 1"):
        digital.ab_readout(pd.DataFrame({"variant": ["A", "B"], "clicked": [2, 0]}), "clicked")
    with pytest.raises(ValueError, match="no readable date"):
        digital.gift_summary(pd.DataFrame({"Donor Email": ["a@example.com"], "Date": ["soon"], "Amount": ["5"]}))


def test_peeking_inflates_false_winners_and_one_look_keeps_the_nominal_rate():
    """A/A tests read once hold ~5% false winners; stopping at the first daily p < 0.05 finds far more."""
    p = digital.peeking_simulation(0.02, 150, days=14, tests=4000, seed=11)
    once, daily = float((p[14] < 0.05).mean()), float((p < 0.05).any(axis=1).mean())
    print(f"false winners: {once:.1%} read once, {daily:.1%} read every day for 14 days")
    assert 0.035 <= once <= 0.065
    assert daily > 2.5 * once
    assert p.equals(digital.peeking_simulation(0.02, 150, days=14, tests=4000, seed=11))  # seeded
    assert ((p >= 0) & (p <= 1)).all().all()
    with pytest.raises(ValueError, match="0 < rate < 1"):
        digital.peeking_simulation(0.0, 100)
