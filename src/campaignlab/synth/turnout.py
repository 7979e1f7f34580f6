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
from campaignlab.synth import places
from campaignlab.synth.people import sigmoid

REGISTRATION_DEADLINE = 25  # days before election day (NC-like)
CALIBRATION_SAMPLE = 60_000
BLOCK = 32_768  # persons per block of the persons x elections matrices


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


def build_turnout(
    people: pd.DataFrame, regs: pd.DataFrame, rng: np.random.Generator, row_precinct: np.ndarray | None = None
) -> Turnout:
    """Eligibility and true turnout probability for every person and election in cal.ELECTIONS.

    ``row_precinct`` (precinct index of each registration row, as laid out in the voter file; by
    default the person's own precinct) decides who may vote in a MUNICIPAL election: only a
    resident of a municipality, through the registration the vote would be recorded under (a
    duplicate registered at a new address counts from its own date). Unincorporated precincts
    (blank municipality) are never eligible for one.
    """
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

    status = regs["status_code"].to_numpy()
    st_d, st_r, st_i, st_s = (status == list(cal.STATUS_SHARES).index(k) for k in "DRIS")
    reg_day = _days(regs["reg_date"])
    removal = _days(regs["removal_date"])
    lapse = _days(regs["lapse_date"])
    inactive = _days(regs["inactive_date"])
    birth_year = people["birth_year"].to_numpy()
    cutoff = eday[None, :] - REGISTRATION_DEADLINE
    if row_precinct is None:
        row_precinct = people["precinct"].to_numpy()[person]
    in_town = (places.precincts()["municipality_abbrv"].to_numpy() != "")[np.asarray(row_precinct, dtype=np.int64)]
    municipal = np.array([e.kind == "MUNICIPAL" for e in elections])[None, :]

    party = people["party"].to_numpy()
    kind = np.array([e.kind for e in elections])
    una_effect = np.array([cal.UNA_EFFECT[k] for k in kind])[None, :]
    start = _days(people["reg_date"])
    habit = people["habit"].to_numpy()
    homeowner = people["homeowner"].to_numpy()
    female = (people["sex"] == "F").to_numpy()
    una = (party == "UNA")
    minor = np.isin(party, ["LIB", "GRE"])

    ages = np.arange(year.min() - birth_year.max(), year.max() - birth_year.min() + 1)
    group_of_age = age_group(ages)  # lookup table: cheaper than a search per cell

    def block(ix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Eligibility, registration row, covariate sum and age group of persons ``ix``."""
        age_e = year[None, :] - birth_year[ix][:, None]
        age_ok = age_e >= 18
        p_row, d = prim_row[ix], d_row[ix]
        elig_prim = (
            age_ok
            & (reg_day[p_row][:, None] <= cutoff)
            & ~st_d[p_row][:, None]
            & ~(st_r[p_row][:, None] & (removal[p_row][:, None] <= eday[None, :]))
        )
        use_dup = has_dup[ix][:, None] & age_ok & (reg_day[d][:, None] <= cutoff)
        eligible = elig_prim | use_dup
        row = np.where(use_dup, d[:, None], p_row[:, None])
        eligible &= ~municipal | in_town[row]  # municipal elections: residents of a municipality only
        tenure = np.clip((eday[None, :] - start[ix][:, None]) / 365.25, 0, None)
        x = (
            cal.HABIT_SD * habit[ix][:, None]
            + cal.HOMEOWNER_EFFECT * homeowner[ix][:, None]
            + cal.TENURE_EFFECT * np.log1p(tenure)
        )
        x += cal.FEMALE_EFFECT * female[ix][:, None]
        x += una_effect * una[ix][:, None]
        x += cal.MINOR_PARTY_EFFECT * minor[ix][:, None]
        x += cal.INACTIVE_EFFECT * (st_i[row] & (inactive[row] <= eday[None, :]))
        x += cal.LAPSED_EFFECT * (lapse[row] <= eday[None, :])
        x += cal.TEMPORARY_EFFECT * st_s[row]
        return eligible, row, x, group_of_age[age_e - ages[0]]

    n_g = len(cal.AGE_GROUP_LABELS)

    # calibrate alpha on a (deterministic) subsample ---------------------------------------
    sub = np.arange(n) if n <= CALIBRATION_SAMPLE else np.sort(rng.choice(n, CALIBRATION_SAMPLE, replace=False))
    el, _, xs, group = block(sub)
    cell = (np.arange(n_e)[None, :] * n_g + group)[el]
    xs = xs[el]
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

    # the probabilities, a block of persons at a time (cache-sized temporaries) --------------
    prob = np.empty((n, n_e))
    row = np.empty((n, n_e), dtype=np.int64)
    for lo in range(0, n, BLOCK):
        ix = np.arange(lo, min(lo + BLOCK, n))
        eligible, row[ix], x, group = block(ix)
        p = np.round(sigmoid(alpha[np.arange(n_e)[None, :], group] + x), 4)
        p[~eligible] = np.nan
        prob[ix] = p
    return Turnout(prob=prob, row=row, alpha=alpha)
