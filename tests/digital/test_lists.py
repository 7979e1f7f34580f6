"""campaignlab.digital.list_growth on the synthetic list export and send report."""

from __future__ import annotations

import pandas as pd
import pytest

from campaignlab import data, digital


def _read():
    members = pd.read_csv(data.path("list"), dtype=str)
    sends = pd.read_csv(data.path("email_sends"), dtype=str)
    return members, sends


def test_the_rebuilt_list_reconciles_with_the_export_and_the_sends():
    members, sends = _read()
    before = members.copy(), sends.copy()
    g = digital.list_growth(members, sends, "2026-07-01", "2026-10-31")
    pd.testing.assert_frame_equal(members, before[0])
    pd.testing.assert_frame_equal(sends, before[1])
    assert [str(m) for m in g.index] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    created = pd.to_datetime(members["created_date"])
    subscribed = int((members["can2_subscription_status"] == "subscribed").sum())
    later = int((created > "2026-10-31 23:59:59").sum())
    assert g["at_end"].iloc[-1] == subscribed - later  # forward again lands on today's list
    left = sends[["unsubscribes", "bounces"]].astype(int).to_numpy().sum()
    assert g["left"].sum() == left
    assert g["at_start"].iloc[0] == subscribed - int((created >= "2026-07-01").sum()) + left
    assert (g["at_start"].iloc[1:].to_numpy() == g["at_end"].iloc[:-1].to_numpy()).all()
    assert g["churn"].between(0, 0.1).all()
    yearly, _ = digital.LIST_BENCHMARKS["churn_per_year"]
    monthly = 1 - (1 - yearly) ** (1 / 12)
    print(f"monthly churn {g['churn'].min():.2%}-{g['churn'].max():.2%}; M+R {yearly:.0%}/yr = {monthly:.2%}/month")
    assert g["churn"].mean() == pytest.approx(monthly, rel=0.6)  # calibrated to M+R, loosely


def test_a_missing_column_is_named():
    members, sends = _read()
    with pytest.raises(KeyError, match="created_date"):
        digital.list_growth(members.drop(columns="created_date"), sends, "2026-07-01", "2026-10-31")
