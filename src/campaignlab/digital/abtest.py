"""A/B tests: the difference of two rates with its interval, a readout per variant, and power.

Two variants of a message go to random halves of a list; the question is whether the
difference in click (or gift) rates is larger than chance would make it. ``compare_rates``
gives the difference, its confidence interval (Newcombe's hybrid score interval, which keeps
its coverage for the small rates of fundraising email, where the textbook Wald interval does
not) and the p-value (two-proportion z-test), with statsmodels doing the arithmetic.
``sample_size`` and ``detectable_lift`` answer "was this test big enough?" before it is sent.

Decide the sample size before the test and read the result once: looking at the p-value
every few hours and stopping at the first p < 0.05 finds "winners" that are not (the
module 03 lessons measure how often); with many variants, compare each with the control
and adjust for the number of comparisons (``ab_readout(adjust="holm")``).

>>> r = compare_rates(30, 2000, 52, 2000)  # A: 30 of 2,000 clicked; B: 52 of 2,000
>>> round(r.difference, 4), [round(x, 4) for x in r.interval], round(r.p_value, 3)
(0.011, [0.0022, 0.0201], 0.014)
>>> sample_size(0.02, 0.01)  # people per variant to see 2% -> 3% at 80% power
3789
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import pandas as pd

__all__ = ["RateComparison", "compare_rates", "ab_readout", "sample_size", "detectable_lift", "peeking_simulation"]


@dataclass(frozen=True)
class RateComparison:
    """Rate B minus rate A, with its interval and two-sided p-value."""

    rate_a: float
    rate_b: float
    n_a: int
    n_b: int
    difference: float
    interval: tuple[float, float]
    p_value: float
    confidence: float

    @property
    def significant(self) -> bool:
        """The interval leaves out zero (at the chosen confidence)."""
        return self.interval[0] > 0 or self.interval[1] < 0

    @property
    def relative_lift(self) -> float:
        """(B - A) / A: how people usually quote a test ("+37%"), NaN when A is 0."""
        return self.difference / self.rate_a if self.rate_a else float("nan")


def _check(successes: int, n: int, which: str) -> None:
    if n <= 0:
        raise ValueError(f"compare_rates: variant {which} has no recipients (n={n})")
    if not 0 <= successes <= n:
        raise ValueError(f"compare_rates: variant {which} has {successes} successes out of {n} recipients")


def compare_rates(successes_a: int, n_a: int, successes_b: int, n_b: int, *, confidence: float = 0.95) -> RateComparison:
    """Compare the rates of A (control) and B: difference B - A, its interval, its p-value.

    Counts are of people (recipients who clicked at least once, not clicks).
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    _check(successes_a, n_a, "A")
    _check(successes_b, n_b, "B")
    if not 0 < confidence < 1:
        raise ValueError(f"compare_rates: confidence is between 0 and 1, got {confidence!r}")
    with warnings.catch_warnings():  # no success in either arm: statsmodels warns on 0/0, p is 1 below
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = confint_proportions_2indep(successes_b, n_b, successes_a, n_a, method="newcombe",
                                               compare="diff", alpha=1 - confidence)  # fmt: skip
        test = test_proportions_2indep(successes_b, n_b, successes_a, n_a, method="score", compare="diff")
    p = float(test.pvalue) if not math.isnan(float(test.pvalue)) else 1.0
    return RateComparison(successes_a / n_a, successes_b / n_b, int(n_a), int(n_b), successes_b / n_b - successes_a / n_a,
                          (float(low), float(high)), p, confidence)  # fmt: skip


def ab_readout(recipients: pd.DataFrame, outcome: str, *, variant: str = "variant", control: str | None = None,
               confidence: float = 0.95, adjust: str | None = "holm") -> pd.DataFrame:  # fmt: skip
    """One row per variant against the control: people, rate, difference, interval, p-value.

    ``recipients``: one row per person who received the message (delivered only), with a
    0/1 ``outcome`` column (``clicked``, ``donated``). ``control``: the variant the others are
    compared with (default: the first in sort order). With more than two variants the
    p-values are adjusted for the number of comparisons (``adjust``: a method of
    ``statsmodels.stats.multitest.multipletests``, e.g. ``"holm"``, ``"bonferroni"``; None for
    none), and ``significant`` uses the adjusted p-value.

    >>> df = pd.DataFrame({"variant": ["A"] * 1000 + ["B"] * 1000, "clicked": [1] * 20 + [0] * 980 + [1] * 45 + [0] * 955})
    >>> ab_readout(df, "clicked")[["variant", "people", "rate", "difference", "significant"]].round(4).values.tolist()
    [['A', 1000, 0.02, 0.0, False], ['B', 1000, 0.045, 0.025, True]]
    """
    if outcome not in recipients.columns or variant not in recipients.columns:
        raise KeyError(f"ab_readout: need columns {variant!r} and {outcome!r}; found {list(recipients.columns)}")
    y = pd.to_numeric(recipients[outcome], errors="coerce")
    if y.isna().any() or not y.isin([0, 1]).all():
        raise ValueError(f"ab_readout: {outcome!r} must be 0 or 1 for every recipient (one row per person)")
    by = y.groupby(recipients[variant].astype("str")).agg(["sum", "size"])
    control = str(control) if control is not None else str(by.index[0])
    if control not in by.index:
        raise ValueError(f"ab_readout: no variant {control!r}; variants: {list(by.index)}")
    rows = []
    for name, (k, n) in by.iterrows():
        if name == control:
            rows.append({"variant": name, "people": int(n), "successes": int(k), "rate": k / n, "difference": 0.0,
                         "low": float("nan"), "high": float("nan"), "p_value": float("nan")})  # fmt: skip
            continue
        r = compare_rates(int(by.loc[control, "sum"]), int(by.loc[control, "size"]), int(k), int(n), confidence=confidence)
        rows.append({"variant": name, "people": int(n), "successes": int(k), "rate": r.rate_b,
                     "difference": r.difference, "low": r.interval[0], "high": r.interval[1], "p_value": r.p_value})  # fmt: skip
    out = pd.DataFrame(rows)
    tested = out["variant"] != control
    out["p_adjusted"] = out["p_value"]
    if adjust and tested.sum() > 1:
        from statsmodels.stats.multitest import multipletests

        out.loc[tested, "p_adjusted"] = multipletests(out.loc[tested, "p_value"], method=adjust)[1]
    if adjust and tested.sum() > 1:  # many comparisons: the adjusted p-values decide
        out["significant"] = tested & (out["p_adjusted"] < 1 - confidence)
    else:  # one comparison: the interval decides (it leaves out zero)
        out["significant"] = tested & ((out["low"] > 0) | (out["high"] < 0))
    return out


def sample_size(base_rate: float, lift: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """People per variant needed to detect ``base_rate`` -> ``base_rate + lift`` (two-sided test).

    Uses Cohen's h with statsmodels' ``NormalIndPower``: equal groups.
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    if not 0 < base_rate < 1 or not 0 < base_rate + lift < 1 or lift == 0:
        raise ValueError(f"sample_size: need 0 < base_rate, base_rate + lift < 1 and lift != 0; got {base_rate}, {lift}")
    h = abs(proportion_effectsize(base_rate + lift, base_rate))
    return int(math.ceil(NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0)))


def detectable_lift(base_rate: float, n_per_variant: int, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest increase over ``base_rate`` a test with ``n_per_variant`` people per arm detects.

    >>> round(detectable_lift(0.02, 3789), 4)
    0.01
    """
    from scipy.optimize import brentq

    if n_per_variant < 2 or not 0 < base_rate < 1:
        raise ValueError(f"detectable_lift: need n_per_variant >= 2 and 0 < base_rate < 1; got {n_per_variant}, {base_rate}")
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    power_at = lambda lift: NormalIndPower().power(proportion_effectsize(base_rate + lift, base_rate),  # noqa: E731
                                                   nobs1=n_per_variant, alpha=alpha, ratio=1.0)  # fmt: skip
    top = 1 - base_rate - 1e-9
    if power_at(top) < power:
        return float("nan")
    return float(brentq(lambda x: power_at(x) - power, 1e-9, top))


def peeking_simulation(rate: float, people_per_day: int, *, days: int = 14, tests: int = 2000,
                       seed: int = 0) -> pd.DataFrame:  # fmt: skip
    """Simulated A/A tests read every day: the p-value of each test after each day.

    Each of ``tests`` simulated tests sends the same message to two arms, ``people_per_day``
    new people in each arm every day for ``days`` days, with the same true ``rate`` in both:
    any "winner" is a false one. After each day, the p-value of the two-proportion score test
    on the counts so far (the test of ``compare_rates``, statsmodels, all tests at once).
    Rows: the tests; columns: day 1 to ``days``. Seeded: the same arguments, the same table.

    Reading the last column once gives false winners at about the nominal 5%; stopping at the
    first day with p < 0.05 gives many more (``(p < 0.05).any(axis=1).mean()``):

    >>> p = peeking_simulation(0.02, 300, days=14, tests=2000, seed=1)
    >>> p.shape, list(p.columns[:3])
    ((2000, 14), [1, 2, 3])
    >>> bool((p[14] < 0.05).mean() < 0.08), bool((p < 0.05).any(axis=1).mean() > 0.12)
    (True, True)
    """
    import numpy as np
    from statsmodels.stats.proportion import test_proportions_2indep

    if not 0 < rate < 1 or people_per_day < 1 or days < 1 or tests < 1:
        raise ValueError(f"peeking_simulation: need 0 < rate < 1 and people_per_day, days, tests >= 1; "
                         f"got {rate}, {people_per_day}, {days}, {tests}")  # fmt: skip
    rng = np.random.default_rng(seed)
    n = np.tile(np.arange(1, days + 1) * int(people_per_day), (int(tests), 1))
    a = rng.binomial(int(people_per_day), rate, size=n.shape).cumsum(axis=1)
    b = rng.binomial(int(people_per_day), rate, size=n.shape).cumsum(axis=1)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        res = test_proportions_2indep(b.ravel(), n.ravel(), a.ravel(), n.ravel(), method="score", compare="diff")
    p = np.asarray(res.pvalue, dtype=float).reshape(n.shape)
    p = np.where(np.isnan(p), 1.0, p)  # no success yet in either arm: nothing to see, p = 1
    return pd.DataFrame(p, columns=pd.RangeIndex(1, days + 1), index=pd.RangeIndex(int(tests), name="test"))
