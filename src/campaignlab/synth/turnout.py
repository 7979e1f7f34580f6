"""True turnout: each person's probability of voting in each election (a logistic model).

logit P(vote) = alpha[election, age group] + habit + homeowner + tenure + sex + party + status.
``alpha`` is solved so that, among people eligible at the time, turnout by age group follows the
CPS age profile and the overall rate hits the election's target (calibration.TURNOUT_TARGETS).
The persistent ``habit`` term makes past votes predict future ones.

>>> import numpy as np
>>> float(logit(np.array(0.5)))
0.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from campaignlab.synth import calibration as cal
from campaignlab.synth.people import sigmoid

REGISTRATION_DEADLINE = 25  # days before election day (NC-like)
CALIBRATION_SAMPLE = 60_000


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of ``p``."""
    return np.log(p) - np.log1p(-p)


@dataclass
class Turnout:
    """Probabilities (persons x elections, NaN = not eligible) and the registration row used."""

    prob: np.ndarray
    row: np.ndarray  # registration row a vote in that election is recorded under
    alpha: np.ndarray


def _day(e: cal.Election) -> np.int64:
    return e.day.astype("datetime64[D]").astype(np.int64)


def _days(values) -> np.ndarray:
    d = np.asarray(values).astype("datetime64[D]")
    out = d.astype(np.int64).astype(float)
    out[np.isnat(d)] = np.nan
    return out


def age_group(age: np.ndarray) -> np.ndarray:
    """Index into calibration.AGE_GROUP_LABELS.

    >>> age_group(np.array([18, 29, 30, 80])).tolist()
    [0, 1, 2, 5]
    """
    return np.clip(np.searchsorted(cal.AGE_GROUP_EDGES, age, side="right") - 1, 0, None)


def build_turnout(people: pd.DataFrame, regs: pd.DataFrame, rng: np.random.Generator) -> Turnout:
    """Eligibility and true turnout probability for every person and election in cal.ELECTIONS."""
    n = len(people)
    elections = cal.ELECTIONS
    n_e = len(elections)
    eday = np.array([_day(e) for e in elections], dtype=float)
    year = np.array([e.year for e in elections])

    person = regs["person_idx"].to_numpy()
    is_dup = regs["is_dup"].to_numpy()
    prim_row = np.empty(n, dtype=np.int64)
    prim_row[person[~is_dup]] = np.flatnonzero(~is_dup)
    dup_row = np.full(n, -1, dtype=np.int64)
    dup_row[person[is_dup]] = np.flatnonzero(is_dup)
    has_dup = dup_row >= 0
    d_row = np.where(has_dup, dup_row, prim_row)

    status = regs["status"].to_numpy().astype(str)
    reg_day = _days(regs["reg_date"])
    removal = _days(regs["removal_date"])
    lapse = _days(regs["lapse_date"])
    inactive = _days(regs["inactive_date"])

    birth_year = people["birth_year"].to_numpy()
    age_e = year[None, :] - birth_year[:, None]
    age_ok = age_e >= 18
    cutoff = eday[None, :] - REGISTRATION_DEADLINE

    ps = status[prim_row][:, None]
    elig_prim = (
        age_ok
        & (reg_day[prim_row][:, None] <= cutoff)
        & (ps != "D")
        & ~((ps == "R") & (removal[prim_row][:, None] <= eday[None, :]))
    )
    use_dup = has_dup[:, None] & age_ok & (reg_day[d_row][:, None] <= cutoff)
    eligible = elig_prim | use_dup
    row = np.where(use_dup, d_row[:, None], prim_row[:, None])

    # covariates ------------------------------------------------------------------------
    party = people["party"].to_numpy().astype(str)
    kind = np.array([e.kind for e in elections])
    start = _days(people["reg_date"])
    tenure = np.clip((eday[None, :] - start[:, None]) / 365.25, 0, None)
    x = (
        cal.HABIT_SD * people["habit"].to_numpy()[:, None]
        + cal.HOMEOWNER_EFFECT * people["homeowner"].to_numpy()[:, None]
        + cal.TENURE_EFFECT * np.log1p(tenure)
        + cal.FEMALE_EFFECT * (people["sex"].to_numpy() == "F")[:, None]
        + np.array([cal.UNA_EFFECT[k] for k in kind])[None, :] * (party == "UNA")[:, None]
        + cal.MINOR_PARTY_EFFECT * np.isin(party, ["LIB", "GRE"])[:, None]
    )
    row_status = status[row]
    went_inactive = (row_status == "I") & (inactive[row] <= eday[None, :])
    x += cal.INACTIVE_EFFECT * went_inactive
    x += cal.LAPSED_EFFECT * (lapse[row] <= eday[None, :])
    x += cal.TEMPORARY_EFFECT * (row_status == "S")
    del tenure, went_inactive, row_status

    group = age_group(age_e)
    n_g = len(cal.AGE_GROUP_LABELS)

    # calibrate alpha on a (deterministic) subsample ---------------------------------------
    sub = np.arange(n) if n <= CALIBRATION_SAMPLE else np.sort(rng.choice(n, CALIBRATION_SAMPLE, replace=False))
    el = eligible[sub]
    cell = (np.arange(n_e)[None, :] * n_g + group[sub])[el]
    xs = x[sub][el]
    n_cells = n_e * n_g
    counts = np.bincount(cell, minlength=n_cells).reshape(n_e, n_g).astype(float)
    target_all = np.array([cal.TURNOUT_TARGETS[e.lbl] for e in elections])
    grad = np.array([cal.AGE_GRADIENT[e.kind] for e in elections])
    base = logit(target_all)[:, None] + grad[:, None] * cal.AGE_LOGIT_OFFSET[None, :]
    c = np.zeros(n_e)
    for _ in range(30):  # shift the age profile so the eligible-weighted mean hits the target
        t = sigmoid(base + c[:, None])
        f = (counts * t).sum(1) / counts.sum(1) - target_all
        fp = (counts * t * (1 - t)).sum(1) / counts.sum(1)
        c -= f / fp
    target = sigmoid(base + c[:, None]).ravel()
    alpha = logit(target).copy()
    for _ in range(40):  # Newton per cell: mean sigmoid(alpha + x) = target
        p = sigmoid(alpha[cell] + xs)
        f = np.bincount(cell, p, n_cells) / np.maximum(counts.ravel(), 1) - target
        fp = np.bincount(cell, p * (1 - p), n_cells) / np.maximum(counts.ravel(), 1)
        alpha -= f / np.maximum(fp, 1e-9)
    alpha = alpha.reshape(n_e, n_g)

    lin = alpha[np.arange(n_e)[None, :], group] + x
    prob = np.round(sigmoid(lin), 4)
    prob[~eligible] = np.nan
    return Turnout(prob=prob, row=row, alpha=alpha)
