"""Is a turnout score any good? Ranking, calibration, gains and who it serves worst.

A turnout score is judged on voters it has never seen (a test set, or out-of-fold predictions),
against what they did in the election it predicts. Four questions, one function each:

- **Does it rank?** :func:`score_quality` gives the ROC AUC (``sklearn.metrics.roc_auc_score``): the
  chance that a random voter who voted scores above a random one who did not (0.5 is a coin).
- **Does it mean what it says?** :func:`calibration_table` puts voters in bins of predicted
  chance (``sklearn.calibration.calibration_curve``) beside the share who voted;
  :func:`expected_calibration_error` is the voter-weighted average gap between the two, and the
  Brier score (in :func:`score_quality`) the mean squared error of the probabilities.
- **Where are the voters?** :func:`gains_table` splits the ranked list into deciles from the
  **top**: turnout per decile, lift over the average, and the share of all voters reached so far.
- **For whom does it fail?** :func:`error_by_group` repeats the measures inside each group
  (age, party): a score that is right on average can be wrong for a whole group.

Plots: :func:`plot_reliability` and :func:`plot_gains` (titled, labelled, colour-blind safe).

>>> import numpy as np, pandas as pd
>>> voted = pd.Series([1, 0, 1, 1, 0, 0, 1, 0])
>>> chance = pd.Series([0.9, 0.2, 0.7, 0.6, 0.4, 0.1, 0.8, 0.3])
>>> score_quality(voted, chance).round(3).to_dict()
{'voters': 8.0, 'turnout': 0.5, 'mean_predicted': 0.5, 'auc': 1.0, 'brier': 0.075, 'ece': 0.25}
>>> gains_table(voted, chance, groups=4)[["voters", "turnout", "lift", "share_of_voted"]].values.tolist()
[[2.0, 1.0, 2.0, 0.5], [2.0, 1.0, 2.0, 1.0], [2.0, 0.0, 0.0, 1.0], [2.0, 0.0, 0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "PALETTE",
    "calibration_table",
    "error_by_group",
    "expected_calibration_error",
    "gains_table",
    "plot_gains",
    "plot_reliability",
    "score_quality",
]

#: Okabe-Ito colours (colour-blind safe), in the order the plots use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]


def _arrays(outcome, probability, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Outcome as 0/1 floats and probability as floats, same length, no missing values."""
    y = np.asarray(outcome, dtype=float)
    p = np.asarray(probability, dtype=float)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(f"{name}: outcome and probability must be two 1-D columns of the same length "
                         f"(got {y.shape} and {p.shape})")  # fmt: skip
    if np.isnan(y).any() or np.isnan(p).any():
        raise ValueError(f"{name}: missing values in outcome or probability; drop or fill them first "
                         "(and say how many)")  # fmt: skip
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"{name}: outcome must be True/False (or 1/0): voted or not")
    return y, p


def _bin_edges(p: np.ndarray, bins: int, strategy: str) -> np.ndarray:
    # exactly as sklearn.calibration.calibration_curve bins (so counts line up with its output)
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, bins + 1)
    if strategy == "quantile":
        return np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")


def calibration_table(outcome, probability, *, bins: int = 10, strategy: str = "uniform") -> pd.DataFrame:
    """Voters per bin of predicted chance: how many, the average prediction, the share who voted.

    Bins are those of ``sklearn.calibration.calibration_curve``: ``bins`` equal widths of
    0-1 (``strategy="uniform"``, right edge included, the first bin from 0) or equal numbers of
    voters (``"quantile"``). Empty bins are left out. ``gap`` is predicted minus observed: above
    0 the score promises more turnout than happened.

    >>> t = calibration_table([0, 1, 1, 1, 0, 1], [0.1, 0.15, 0.6, 0.7, 0.65, 0.95], bins=2)
    >>> t[["bin", "voters", "mean_predicted", "turnout"]].round(3).values.tolist()
    [['0.0-0.5', 2, 0.125, 0.5], ['0.5-1.0', 4, 0.725, 0.75]]
    """
    y, p = _arrays(outcome, probability, "calibration_table")
    from sklearn.calibration import calibration_curve

    turnout, predicted = calibration_curve(y, p, n_bins=bins, strategy=strategy)
    edges = _bin_edges(p, bins, strategy)
    ids = np.searchsorted(edges[1:-1], p)  # calibration_curve's own binning
    counts = np.bincount(ids, minlength=len(edges) - 1)
    used = np.flatnonzero(counts)
    digits = 1 if strategy == "uniform" and bins <= 10 else 3
    labels = [f"{edges[i]:.{digits}f}-{edges[i + 1]:.{digits}f}" for i in used]
    table = pd.DataFrame({"bin": labels, "voters": counts[used].astype("int64"),
                          "mean_predicted": predicted, "turnout": turnout})  # fmt: skip
    table["gap"] = table["mean_predicted"] - table["turnout"]
    return table


def expected_calibration_error(outcome, probability, *, bins: int = 10, strategy: str = "uniform") -> float:
    """Average ``|predicted - observed|`` over the bins of :func:`calibration_table`, weighted by voters.

    Each bin counts by the share of voters in it: a bin of 20 voters far off matters less than one
    of 20,000 a little off. 0 is perfect; a score whose 60% means 60% everywhere is near 0.

    >>> round(expected_calibration_error([0, 1, 1, 1, 0, 1], [0.1, 0.15, 0.6, 0.7, 0.65, 0.95], bins=2), 4)
    0.1417
    """
    t = calibration_table(outcome, probability, bins=bins, strategy=strategy)
    return float((t["voters"] * t["gap"].abs()).sum() / t["voters"].sum())


def score_quality(outcome, probability, *, bins: int = 10) -> pd.Series:
    """One score's report card: voters, turnout, mean prediction, ROC AUC, Brier score and ECE.

    ``auc`` needs voters and non-voters both (``nan`` otherwise). ``brier`` and ``ece`` read the
    score as a probability (0-1): pass a vendor's 0-100 score divided by 100.

    >>> score_quality([True, False, True], [0.8, 0.3, 0.4]).round(3).to_dict()
    {'voters': 3.0, 'turnout': 0.667, 'mean_predicted': 0.5, 'auc': 1.0, 'brier': 0.163, 'ece': 0.367}
    """
    y, p = _arrays(outcome, probability, "score_quality")
    from sklearn.metrics import brier_score_loss, roc_auc_score

    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")
    return pd.Series({"voters": float(len(y)), "turnout": float(y.mean()), "mean_predicted": float(p.mean()),
                      "auc": auc, "brier": float(brier_score_loss(y, p)),
                      "ece": expected_calibration_error(y, p, bins=bins)})  # fmt: skip


def gains_table(outcome, score, *, groups: int = 10) -> pd.DataFrame:
    """Deciles (or ``groups``) of the ranked list, from the **highest** score down.

    Group 1 is the top tenth: the voters a campaign would reach first. Per group: ``voters``,
    ``voted``, ``turnout``, ``lift`` (turnout over the average turnout: 2.0 means twice as
    likely to vote as a voter picked at random), ``share_of_voted`` (cumulative gains: the
    share of everyone who voted found in groups 1..k) and ``share_of_list`` (the share of the
    list contacted by then). Ties are broken by position, so give a score without many ties
    (a model's probability), or sort the rows first.

    >>> g = gains_table([1, 0, 0, 1, 1, 0], [0.9, 0.1, 0.2, 0.8, 0.4, 0.5], groups=3)
    >>> g[["voters", "voted", "share_of_list", "share_of_voted"]].round(3).values.tolist()
    [[2.0, 2.0, 0.333, 0.667], [2.0, 1.0, 0.667, 1.0], [2.0, 0.0, 1.0, 1.0]]
    """
    y, s = _arrays(outcome, score, "gains_table")
    if y.sum() == 0:
        raise ValueError("gains_table: nobody voted, so there are no gains to count")
    order = np.argsort(-s, kind="stable")  # highest first; ties keep their row order
    group = np.empty(len(s), dtype=np.int64)
    group[order] = np.arange(len(s)) * groups // len(s) + 1
    by = pd.DataFrame({"group": group, "voted": y}).groupby("group")["voted"].agg(["size", "sum"])
    table = pd.DataFrame({"voters": by["size"].astype(float), "voted": by["sum"]})
    table.index.name = "decile" if groups == 10 else "group"
    table["turnout"] = table["voted"] / table["voters"]
    table["lift"] = table["turnout"] / y.mean()
    table["share_of_list"] = table["voters"].cumsum() / len(y)
    table["share_of_voted"] = table["voted"].cumsum() / y.sum()
    return table


def error_by_group(outcome, probability, groups, *, bins: int = 10, min_voters: int = 1) -> pd.DataFrame:
    """:func:`score_quality` inside each group (age group, party...): who the score serves worst.

    ``gap`` is the group's mean prediction minus its turnout (above 0: the score expects more of
    them than turned out). Within-group AUC says how well the score tells the group's voters
    from its non-voters; it is lower in a group whose voters look alike in the file. Groups with
    fewer than ``min_voters`` voters are left out (their figures move a lot by chance).

    >>> g = error_by_group([1, 0, 1, 0, 1, 1], [0.9, 0.2, 0.6, 0.5, 0.3, 0.8], ["young", "young", "young", "old", "old", "old"])
    >>> g[["voters", "turnout", "gap", "auc"]].round(2).values.tolist()
    [[3.0, 0.67, -0.13, 0.5], [3.0, 0.67, -0.1, 1.0]]
    """
    y, p = _arrays(outcome, probability, "error_by_group")
    g = pd.Series(np.asarray(groups, dtype=object))
    if len(g) != len(y):
        raise ValueError(f"error_by_group: groups has {len(g)} values for {len(y)} voters")
    rows = {}
    for name, idx in g.groupby(g, sort=True).groups.items():
        if len(idx) >= min_voters:
            rows[name] = score_quality(y[idx], p[idx], bins=bins)
    columns = ["voters", "turnout", "mean_predicted", "auc", "brier", "ece"]
    table = pd.DataFrame(rows, index=columns).T
    table.index.name = "group"
    table.insert(3, "gap", table["mean_predicted"] - table["turnout"])
    return table


def _percent_plot(lines: dict[str, tuple], ax, *, diagonal: str, xlabel: str, ylabel: str, title: str,
                  legend: str, markersize: float | None = None):  # fmt: skip
    """One 0-100% by 0-100% chart: a dashed diagonal, then one coloured line per score."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 100], [0, 100], linestyle="--", color="grey", linewidth=1, label=diagonal)
    for (name, (x, y)), colour, marker in zip(lines.items(), PALETTE, "osD^v<>", strict=False):
        ax.plot(x, y, marker=marker, color=colour, label=name, markersize=markersize)
    ax.set(xlim=(0, 100), ylim=(0, 100), xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc=legend, fontsize=8)
    return ax


def plot_reliability(curves: dict[str, pd.DataFrame], *, ax=None, title: str | None = None):
    """Reliability plot: per score, its :func:`calibration_table` as predicted vs observed (in %).

    Points on the diagonal mean "a 60% voter votes 60% of the time". Colours follow the order of
    ``curves`` (:data:`PALETTE`): pass scores in the same order to every plot. Returns the axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_reliability({"model": calibration_table([0, 1, 1], [0.2, 0.7, 0.9], bins=5)})
    >>> ax.get_xlabel()
    'Predicted chance of voting (%)'
    """
    lines = {name: (t["mean_predicted"] * 100, t["turnout"] * 100) for name, t in curves.items()}
    return _percent_plot(lines, ax, diagonal="perfectly calibrated", xlabel="Predicted chance of voting (%)",
                         ylabel="Voted (% of the bin's voters)", legend="upper left",
                         title=title or "Reliability: does a predicted 60% vote 60% of the time?")  # fmt: skip


def plot_gains(tables: dict[str, pd.DataFrame], *, ax=None, title: str | None = None):
    """Cumulative gains: share of everyone who voted reached vs share of the list, per score.

    The diagonal is a list in random order; the higher a curve, the more voters each door finds.
    Returns the axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_gains({"model": gains_table([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4], groups=2)})
    >>> ax.get_ylabel()
    'Voters reached (% of everyone who voted)'
    """
    lines = {name: (np.concatenate([[0], t["share_of_list"].to_numpy() * 100]),
                    np.concatenate([[0], t["share_of_voted"].to_numpy() * 100])) for name, t in tables.items()}  # fmt: skip
    return _percent_plot(lines, ax, diagonal="random order", xlabel="List contacted, from the top score down (%)",
                         ylabel="Voters reached (% of everyone who voted)", legend="lower right", markersize=4,
                         title=title or "Gains: how many of the voters each share of the list reaches")  # fmt: skip
