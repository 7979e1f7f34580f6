"""Did the canvass work? Estimates from a randomized field experiment, and for whom it worked.

A GOTV experiment assigns households at random to be canvassed (treatment) or left alone
(control), then compares turnout by **assignment**, never by who was actually reached:

* ``balance_table``: randomization should leave the groups alike before the canvass;
* ``intent_to_treat``: the difference in turnout between the assigned groups (ITT), with an
  interval. Households, not people, were randomized, so the standard error is clustered by
  household (members of one household vote alike: counting them as independent draws
  understates the uncertainty). Past turnout as covariates narrows the interval;
* ``contact_rate`` and ``effect_per_contact``: the complier average causal effect (CACE), the
  ITT divided by the share of the treatment group actually contacted (the Wald /
  instrumental-variable estimate), with a delta-method interval;
* ``two_model_uplift`` and ``qini_curve``: heterogeneous effects. Two turnout models (one per
  arm); their difference is each voter's predicted uplift. The Qini curve adds up the **true**
  per-voter effects (the synthetic world knows them) of the voters a ranking contacts first.

>>> import pandas as pd
>>> exp = pd.DataFrame({"assignment": ["treatment"] * 4 + ["control"] * 4,
...                     "contacted": ["Y", "N", "Y", "N", "N", "N", "N", "N"],
...                     "voted": [1, 1, 1, 0, 1, 0, 1, 0]})
>>> round(contact_rate(exp), 2)
0.5
>>> est = intent_to_treat(exp, "voted")
>>> round(est.estimate, 2)
0.25
>>> round(effect_per_contact(exp, "voted").estimate, 2)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Estimate",
    "balance_table",
    "contact_rate",
    "effect_per_contact",
    "intent_to_treat",
    "qini_curve",
    "qini_share",
    "two_model_uplift",
]


@dataclass(frozen=True)
class Estimate:
    """An estimate with its standard error and confidence interval."""

    estimate: float
    se: float
    low: float
    high: float
    n: int
    level: float = 0.95

    def __str__(self) -> str:
        return f"{self.estimate:+.4f} ({self.level:.0%} interval {self.low:+.4f} to {self.high:+.4f}; n = {self.n:,})"


def _yes(values: pd.Series, name: str) -> np.ndarray:
    """True/False from booleans, 0/1 or Y/N text.

    >>> _yes(pd.Series(["Y", "n", "N"]), "contacted").tolist()
    [True, False, False]
    """
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        out = pd.to_numeric(values).to_numpy(dtype=float)
        if np.isnan(out).any() or not np.isin(out, [0, 1]).all():
            raise ValueError(f"{name} should be True/False (or 1/0, Y/N) for every row")
        return out.astype(bool)
    text = values.astype("str").str.strip().str.upper()
    if not text.isin(["Y", "N", "TRUE", "FALSE"]).all():
        raise ValueError(f"{name} should be Y/N (or True/False) for every row")
    return text.isin(["Y", "TRUE"]).to_numpy()


def _treated(frame: pd.DataFrame, assignment: str, treatment: str) -> np.ndarray:
    if assignment not in frame.columns:
        raise KeyError(f"no column {assignment!r}: pass assignment= the column saying treatment or control")
    treated = (frame[assignment] == treatment).to_numpy(dtype=bool)
    if treated.all() or not treated.any():
        raise ValueError(f"{assignment!r} should hold both arms: {treatment!r} and the control group")
    return treated


def balance_table(
    frame: pd.DataFrame, covariates: list[str], *, assignment: str = "assignment", treatment: str = "treatment"
) -> pd.DataFrame:
    """Mean of each pre-canvass covariate by arm, the difference and the standardized difference.

    A standardized difference (difference / pooled sd) below 0.1 is the usual reading of "balanced".

    >>> exp = pd.DataFrame({"assignment": ["treatment", "control"] * 2, "age": [30, 32, 50, 48]})
    >>> balance_table(exp, ["age"]).round(2).values.tolist()
    [[40.0, 40.0, 0.0, 0.0]]
    """
    treated = _treated(frame, assignment, treatment)
    rows = {}
    for col in covariates:
        x = pd.to_numeric(frame[col]).to_numpy(dtype=float)
        t, c = x[treated], x[~treated]
        sd = np.sqrt((np.nanvar(t, ddof=1) + np.nanvar(c, ddof=1)) / 2)
        diff = np.nanmean(t) - np.nanmean(c)
        rows[col] = {"treatment": np.nanmean(t), "control": np.nanmean(c), "difference": diff,
                     "standardized difference": diff / sd if sd > 0 else 0.0}  # fmt: skip
    return pd.DataFrame.from_dict(rows, orient="index")


def contact_rate(
    frame: pd.DataFrame, *, assignment: str = "assignment", contacted: str = "contacted", treatment: str = "treatment"
) -> float:
    """Share of the **treatment group** that was contacted (the bottom is everyone assigned to it).

    >>> contact_rate(pd.DataFrame({"assignment": ["treatment", "treatment", "control"],
    ...                            "contacted": ["Y", "N", "N"]}))
    0.5
    """
    treated = _treated(frame, assignment, treatment)
    return float(_yes(frame[contacted], contacted)[treated].mean())


def _design(frame: pd.DataFrame, treated: np.ndarray, covariates: list[str] | None) -> np.ndarray:
    cols = [np.ones(len(frame)), treated.astype(float)]
    for col in covariates or []:
        x = pd.to_numeric(frame[col]).to_numpy(dtype=float)
        cols.append(x - np.nanmean(x))
    return np.column_stack(cols)


def _fit(y: np.ndarray, X: np.ndarray, groups: np.ndarray | None):
    import statsmodels.api as sm

    model = sm.OLS(y, X)
    if groups is None:
        return model.fit(cov_type="HC2")
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups})


def _groups(frame: pd.DataFrame, cluster: str | None) -> np.ndarray | None:
    return None if cluster is None else pd.factorize(frame[cluster])[0]


def intent_to_treat(
    frame: pd.DataFrame,
    outcome: str,
    *,
    assignment: str = "assignment",
    treatment: str = "treatment",
    cluster: str | None = None,
    covariates: list[str] | None = None,
    level: float = 0.95,
) -> Estimate:
    """Turnout of the treatment group minus turnout of the control group, with an interval.

    A regression of the outcome on assignment (statsmodels OLS): without covariates its
    coefficient is exactly the difference in means. ``cluster=`` the column of the unit that was
    randomized (the household) gives cluster-robust standard errors; otherwise HC2 (robust).
    ``covariates=`` pre-canvass columns (past votes): the same effect, a narrower interval.

    >>> exp = pd.DataFrame({"assignment": ["treatment", "control"] * 3, "voted": [1, 0, 1, 1, 0, 0],
    ...                     "household": ["a", "b", "c", "d", "e", "f"]})
    >>> round(intent_to_treat(exp, "voted", cluster="household").estimate, 3)
    0.333
    """
    treated = _treated(frame, assignment, treatment)
    y = _yes(frame[outcome], outcome).astype(float)
    res = _fit(y, _design(frame, treated, covariates), _groups(frame, cluster))
    low, high = res.conf_int(alpha=1 - level)[1]
    return Estimate(float(res.params[1]), float(res.bse[1]), float(low), float(high), len(frame), level)


def effect_per_contact(
    frame: pd.DataFrame,
    outcome: str,
    *,
    assignment: str = "assignment",
    contacted: str = "contacted",
    treatment: str = "treatment",
    cluster: str | None = None,
    covariates: list[str] | None = None,
    level: float = 0.95,
) -> Estimate:
    """The complier average causal effect (CACE): ITT / contact rate, with a delta-method interval.

    The Wald (instrumental-variable) estimate: assignment is the instrument, contact the
    treatment received. Nobody in the control group can be contacted, so the first stage is
    the treatment group's contact rate. The standard error is that of the ITT of
    ``outcome - CACE x contacted`` divided by the contact rate (the usual IV linearization),
    clustered like the ITT.

    >>> exp = pd.DataFrame({"assignment": ["treatment"] * 4 + ["control"] * 4,
    ...                     "contacted": [True, False, True, False] + [False] * 4,
    ...                     "voted": [1, 1, 1, 0, 1, 0, 1, 0]})
    >>> round(effect_per_contact(exp, "voted").estimate, 3)
    0.5
    """
    treated = _treated(frame, assignment, treatment)
    y = _yes(frame[outcome], outcome).astype(float)
    d = _yes(frame[contacted], contacted).astype(float)
    X, groups = _design(frame, treated, covariates), _groups(frame, cluster)
    first = float(_fit(d, X, groups).params[1])
    if first <= 0:
        raise ValueError("nobody in the treatment group was contacted more than in control: no effect per contact")
    cace = float(_fit(y, X, groups).params[1]) / first
    res = _fit(y - cace * d, X, groups)
    se = float(res.bse[1]) / first
    z = _z(level)
    return Estimate(cace, se, cace - z * se, cace + z * se, len(frame), level)


def _z(level: float) -> float:
    """Two-sided normal quantile.

    >>> round(_z(0.95), 2)
    1.96
    """
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def two_model_uplift(
    X: pd.DataFrame, voted: pd.Series, treated: pd.Series, *, score: pd.DataFrame | None = None, model=None
) -> np.ndarray:
    """Predicted uplift: P(vote | canvassed) - P(vote | not), from one model per arm.

    ``model`` is any scikit-learn classifier (default: a standardized logistic regression);
    it is cloned and fitted on the treatment rows, then on the control rows, and scores the rows
    of ``score`` (default ``X``). Fitted on assignment, it predicts the ITT uplift of assigning a
    voter to the canvass (divide by the contact rate for an effect per contact).

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"age": rng.integers(18, 90, 400)})
    >>> t = pd.Series(rng.random(400) < 0.5)
    >>> v = pd.Series(rng.random(400) < 0.5 + 0.2 * t * (X["age"] < 40))
    >>> u = two_model_uplift(X, v, t)
    >>> bool(u[X["age"] < 30].mean() > u[X["age"] > 70].mean())
    True
    """
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    base = model if model is not None else make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    t = _yes(pd.Series(np.asarray(treated)), "treated")
    y = _yes(pd.Series(np.asarray(voted)), "voted")
    Xv = X.to_numpy(dtype=float) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=float)
    S = Xv if score is None else (score.to_numpy(dtype=float) if isinstance(score, pd.DataFrame) else np.asarray(score, float))
    m_t = clone(base).fit(Xv[t], y[t])
    m_c = clone(base).fit(Xv[~t], y[~t])
    return m_t.predict_proba(S)[:, 1] - m_c.predict_proba(S)[:, 1]


def qini_curve(score, true_effect, *, points: int = 101) -> pd.DataFrame:
    """Votes gained by contacting voters in order of ``score`` (highest first), by the truth.

    Columns: ``share_contacted`` (0..1), ``votes_gained`` (sum of the true effects of the
    voters contacted so far) and ``random`` (the same share picked at random). Ties in the
    score are broken by position (stable sort).

    >>> qini_curve([3, 2, 1, 0], [0.4, 0.3, 0.2, 0.1], points=3).round(6).values.tolist()
    [[0.0, 0.0, 0.0], [0.5, 0.7, 0.5], [1.0, 1.0, 1.0]]
    """
    s = np.asarray(score, dtype=float)
    tau = np.asarray(true_effect, dtype=float)
    if s.shape != tau.shape or s.ndim != 1 or not len(s):
        raise ValueError("score and true_effect should be two lists of the same voters")
    order = np.argsort(-s, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(tau[order])])
    share = np.linspace(0, 1, points)
    k = np.round(share * len(s)).astype(int)
    return pd.DataFrame({"share_contacted": share, "votes_gained": cum[k], "random": share * tau.sum()})


def qini_share(score, true_effect) -> float:
    """How much of the oracle's gain over random order a ranking achieves (1 = the oracle, 0 = random).

    The areas between each Qini curve and the random line: a ranking by the true effects is the oracle.

    >>> qini_share([3, 2, 1, 0], [0.4, 0.3, 0.2, 0.1])
    1.0
    >>> qini_share([0, 1, 2, 3], [0.4, 0.3, 0.2, 0.1])
    -1.0
    """
    tau = np.asarray(true_effect, dtype=float)
    n = len(tau)

    def area(s) -> float:  # mean height of the curve above the random line, over k = 1..n
        gained = np.cumsum(tau[np.argsort(-np.asarray(s, dtype=float), kind="stable")])
        return float(np.mean(gained) - tau.sum() * (n + 1) / (2 * n))

    best = area(tau)
    return round(area(score) / best, 12) if best > 0 else 0.0
