"""The experiment toolkit: ITT, clustering, effect per contact, balance, uplift and Qini."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from campaignlab import targeting as tg


@pytest.fixture(scope="module")
def trial() -> pd.DataFrame:
    """4,000 households of 1-3 people; a shared household habit; 30% of treated contacted, +8 pp each."""
    rng = np.random.default_rng(5)
    n_h = 4_000
    size = rng.integers(1, 4, n_h)
    hh = np.repeat(np.arange(n_h), size)
    arm = np.where(rng.permutation(n_h) < n_h // 2, "treatment", "control")[hh]
    habit = rng.normal(0, 1.5, n_h)[hh]
    past = (rng.random(len(hh)) < 1 / (1 + np.exp(-habit))).astype(int)
    contacted = (arm == "treatment") & (rng.random(len(hh)) < 0.3)
    p = 1 / (1 + np.exp(-habit)) + 0.08 * contacted
    return pd.DataFrame({"household": hh, "assignment": arm, "contacted": np.where(contacted, "Y", "N"),
                         "past": past, "voted": rng.random(len(hh)) < np.clip(p, 0, 1)})  # fmt: skip


def test_itt_is_the_difference_in_means_and_does_not_mutate(trial):
    before = trial.copy()
    est = tg.intent_to_treat(trial, "voted")
    g = trial.groupby("assignment")["voted"].mean()
    assert est.estimate == pytest.approx(g["treatment"] - g["control"], abs=1e-12)
    assert est.low < est.estimate < est.high and est.n == len(trial)
    pd.testing.assert_frame_equal(trial, before)
    c = trial.groupby("assignment")["voted"].agg(["sum", "size"])
    low, high = confint_proportions_2indep(c.loc["treatment", "sum"], c.loc["treatment", "size"],
                                           c.loc["control", "sum"], c.loc["control", "size"], method="wald")  # fmt: skip
    assert est.high - est.low == pytest.approx(high - low, rel=0.02)  # robust SE ~ the two-proportion one


def test_clustering_widens_when_households_vote_alike(trial):
    plain = tg.intent_to_treat(trial, "voted")
    clustered = tg.intent_to_treat(trial, "voted", cluster="household")
    assert clustered.estimate == pytest.approx(plain.estimate)
    assert clustered.se > 1.1 * plain.se


def test_covariates_narrow_the_interval(trial):
    plain = tg.intent_to_treat(trial, "voted", cluster="household")
    adjusted = tg.intent_to_treat(trial, "voted", cluster="household", covariates=["past"])
    assert adjusted.se < plain.se
    assert abs(adjusted.estimate - plain.estimate) < 2 * plain.se


def test_effect_per_contact_is_itt_over_contact_rate(trial):
    rate = tg.contact_rate(trial)
    assert rate == pytest.approx((trial.loc[trial["assignment"] == "treatment", "contacted"] == "Y").mean())
    itt = tg.intent_to_treat(trial, "voted", cluster="household")
    cace = tg.effect_per_contact(trial, "voted", cluster="household")
    assert cace.estimate == pytest.approx(itt.estimate / rate)
    assert cace.se == pytest.approx(itt.se / rate, rel=0.1)
    assert cace.low < 0.08 < cace.high


def test_balance_and_bad_inputs(trial):
    table = tg.balance_table(trial, ["past"])
    assert list(table.columns) == ["treatment", "control", "difference", "standardized difference"]
    assert abs(table.loc["past", "standardized difference"]) < 0.1
    with pytest.raises(ValueError, match="both arms"):
        tg.intent_to_treat(trial.assign(assignment="treatment"), "voted")
    with pytest.raises(ValueError, match="Y/N"):
        tg.contact_rate(trial.assign(contacted="maybe"))
    with pytest.raises(KeyError, match="assignment"):
        tg.contact_rate(trial.drop(columns="assignment"))


def test_uplift_and_qini():
    rng = np.random.default_rng(1)
    n = 6_000
    X = pd.DataFrame({"young": rng.random(n) < 0.5, "x": rng.normal(size=n)}).astype(float)
    tau = np.where(X["young"] == 1, 0.15, 0.0)
    treated = rng.random(n) < 0.5
    voted = rng.random(n) < 0.4 + tau * treated
    uplift = tg.two_model_uplift(X, voted, treated)
    assert uplift[X["young"] == 1].mean() > uplift[X["young"] == 0].mean() + 0.05
    assert tg.qini_share(tau, tau) == 1.0
    assert 0.5 < tg.qini_share(uplift, tau) <= 1.0
    curve = tg.qini_curve(uplift, tau)
    assert curve["votes_gained"].iloc[-1] == pytest.approx(tau.sum())
    assert (curve["votes_gained"] >= curve["random"] - 1e-9).mean() > 0.9
    with pytest.raises(ValueError):
        tg.qini_curve([1, 2], [1.0])
