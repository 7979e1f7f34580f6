"""The score-evaluation tools: ranking, calibration, gains and error by group."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

from campaignlab.targeting import evaluate

matplotlib.use("Agg")


@pytest.fixture
def scored():
    """2,000 voters whose outcome is drawn from their (known) chance: a calibrated score."""
    rng = np.random.default_rng(7)
    chance = rng.beta(2, 2, 2000)
    voted = rng.random(2000) < chance
    age = rng.choice(["18-29", "30-64", "65+"], 2000)
    return pd.DataFrame({"voted": voted, "chance": chance, "age": age})


def test_quality_matches_sklearn_and_leaves_input_alone(scored):
    before = scored.copy()
    q = evaluate.score_quality(scored["voted"], scored["chance"])
    pd.testing.assert_frame_equal(scored, before)
    assert q["auc"] == pytest.approx(roc_auc_score(scored["voted"], scored["chance"]))
    assert q["brier"] == pytest.approx(brier_score_loss(scored["voted"], scored["chance"]))
    assert q["ece"] < 0.05  # drawn from the chance itself: calibrated up to noise
    assert q["voters"] == 2000


def test_calibration_table_is_calibration_curve_with_counts(scored):
    t = evaluate.calibration_table(scored["voted"], scored["chance"])
    true, pred = calibration_curve(scored["voted"], scored["chance"], n_bins=10)
    np.testing.assert_allclose(t["turnout"], true)
    np.testing.assert_allclose(t["mean_predicted"], pred)
    assert t["voters"].sum() == 2000
    assert t["bin"].iloc[0] == "0.0-0.1"
    # the counts are the bins' own: recompute one bin by hand (right edge in, as sklearn bins)
    in_bin = (scored["chance"] > 0.3) & (scored["chance"] <= 0.4)
    assert t.set_index("bin").loc["0.3-0.4", "voters"] == in_bin.sum()
    q = evaluate.calibration_table(scored["voted"], scored["chance"], strategy="quantile", bins=5)
    assert q["voters"].min() >= 399 and q["voters"].max() <= 401


def test_ece_is_weighted_by_voters():
    # one big bin slightly off, one tiny bin far off: weighting keeps the tiny bin small
    y = [1] * 60 + [0] * 40 + [1]
    p = [0.55] * 100 + [0.05]
    ece = evaluate.expected_calibration_error(y, p)
    assert ece == pytest.approx((100 * 0.05 + 1 * 0.95) / 101)
    unweighted = (0.05 + 0.95) / 2
    assert ece < unweighted / 5


def test_ece_of_a_shifted_score_is_the_shift(scored):
    shifted = (scored["chance"] + 0.1).clip(upper=1)
    ece = evaluate.expected_calibration_error(scored["voted"], shifted)
    assert 0.07 < ece < 0.13


def test_gains_start_from_the_top(scored):
    g = evaluate.gains_table(scored["voted"], scored["chance"])
    assert g.index.tolist() == list(range(1, 11)) and g.index.name == "decile"
    assert (g["voters"] == 200).all()
    assert g["turnout"].iloc[0] > g["turnout"].iloc[-1]
    assert g["lift"].iloc[0] > 1.5 and g["lift"].iloc[-1] < 0.5
    assert g["share_of_voted"].iloc[-1] == pytest.approx(1.0)
    top = scored.nlargest(200, "chance")["voted"].mean()
    assert g["turnout"].iloc[0] == pytest.approx(top)
    assert (g["lift"] * g["voters"]).sum() / 2000 == pytest.approx(1.0)  # lift averages 1 over the list


def test_gains_uneven_groups():
    g = evaluate.gains_table([1, 0, 1, 1, 0, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.3, 0.6], groups=3)
    assert g["voters"].tolist() == [3, 2, 2]
    assert g["voted"].tolist() == [3, 1, 0]


def test_error_by_group(scored):
    shifted = scored["chance"].where(scored["age"] != "18-29", scored["chance"] * 0.5)
    t = evaluate.error_by_group(scored["voted"], shifted, scored["age"])
    assert t.index.tolist() == ["18-29", "30-64", "65+"]
    assert t.loc["18-29", "gap"] < -0.15  # the score under-predicts the young by half
    assert abs(t.loc["65+", "gap"]) < 0.05
    assert t["voters"].sum() == 2000
    small = evaluate.error_by_group(scored["voted"], scored["chance"], scored["age"], min_voters=10_000)
    assert small.empty


@pytest.mark.parametrize("outcome,prob,message", [
    ([1, 0], [0.5], "same length"),
    ([1, None], [0.5, 0.5], "missing"),
    ([2, 0], [0.5, 0.5], "True/False"),
])  # fmt: skip
def test_bad_input_says_what_is_off(outcome, prob, message):
    with pytest.raises(ValueError, match=message):
        evaluate.score_quality(outcome, prob)


def test_one_class_auc_is_nan():
    assert np.isnan(evaluate.score_quality([1, 1], [0.4, 0.6])["auc"])


def test_plots_are_labelled(scored):
    t = evaluate.calibration_table(scored["voted"], scored["chance"])
    ax = evaluate.plot_reliability({"score": t})
    assert ax.get_title() and "%" in ax.get_xlabel() and "%" in ax.get_ylabel()
    ax = evaluate.plot_gains({"score": evaluate.gains_table(scored["voted"], scored["chance"])})
    assert ax.get_title() and "%" in ax.get_xlabel() and len(ax.get_lines()) == 2
