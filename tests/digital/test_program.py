"""campaignlab.digital.program: the bounce rate over sent, and each benchmark beside the rate it names."""

from __future__ import annotations

import pandas as pd
import pytest

from campaignlab import data, digital


def _sends() -> pd.DataFrame:
    return pd.read_csv(data.path("email_sends"), dtype=str, keep_default_na=False, na_values=[""])


def test_bounce_rate_is_over_sent_and_the_rest_over_delivered():
    sends = _sends()
    before = sends.copy()
    m = digital.program_metrics(sends)
    num = sends[["recipients", "delivered", "bounces", "unsubscribes"]].apply(pd.to_numeric)
    assert m.loc["all", "bounce_rate"] == pytest.approx(num["bounces"].sum() / num["recipients"].sum())
    assert m.loc["all", "bounce_rate"] + m.loc["all", "delivery_rate"] == pytest.approx(1)
    assert m.loc["all", "unsubscribe_rate"] == pytest.approx(num["unsubscribes"].sum() / num["delivered"].sum())
    pd.testing.assert_frame_equal(sends, before)  # never mutates its input


def test_advocacy_response_is_compared_with_actions_not_gifts():
    """M+R's advocacy response rate (1.8%) counts actions; advocacy emails raise no money."""
    m = digital.program_metrics(_sends(), by="message_type")
    bench = digital.against_benchmarks(m).set_index(["message_type", "metric"])
    assert ("advocacy", "action_rate") in bench.index
    assert ("advocacy", "response_rate") not in bench.index
    row = bench.loc[("advocacy", "action_rate")]
    assert row["ours"] == pytest.approx(m.loc["advocacy", "actions"] / m.loc["advocacy", "delivered"])
    assert 0.5 < row["ratio"] < 2  # the world is calibrated to M+R


def test_list_benchmarks_are_yearly_shares():
    b = digital.LIST_BENCHMARKS
    assert all(0 < value < 1 for key, (value, _) in b.items() if key != "emails_per_subscriber_per_year")
    assert all(source.startswith("M+R") for _, source in b.values())
