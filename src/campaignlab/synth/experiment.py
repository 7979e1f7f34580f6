"""The randomized 2024 GOTV canvass experiment (door knocking before the 11/05/2024 general).

A research partner ran it for a 2024 campaign, two years before the Measure A coalition: a
get-out-the-vote door knock (a reminder and a plan to vote, no persuasion script), randomized
by household. It is what lesson 5 of module 02 estimates, and the world knows the answer.

Design (each constant below says where it comes from):

* Universe: every household (true ``household_id``) with at least one person eligible for
  the 2024 general (a true probability for it), except dorm and nursing-home residents (an
  institution is no door to knock). Only the eligible members are in the experiment.
* Assignment: complete randomization of households, half treatment, half control (an odd
  household out goes to either by a coin).
* Treatment households are attempted with ``ATTEMPT_RATE`` (turf not finished). An attempted
  household answers with P = sigmoid(a + older + homeowner + size), ``a`` solved so the
  mean over the universe's households is ``ANSWER_RATE``; each eligible person in an
  answering household is contacted with ``CONTACT_GIVEN_ANSWER``. Control households are
  never attempted. The contact rate among treated people lands near G&G's ~25%.
* True effect of a contact on P(vote) in 2024, for every person in the experiment:
  ``tau_low = BASE * 4 p0 (1 - p0) * h`` in a low-salience election (largest for mid-
  propensity voters), ``h = exp(-AGE_SLOPE (age - 45) / 20 + N(0, HET_SD))`` (younger voters
  respond a little more: partly visible in the file, partly not), BASE solved so the mean of
  ``tau_low`` over the experiment is ``1 / 14`` (G&G: 1 vote per 14 door contacts). In the
  presidential general, ``tau = SALIENCE_2024 * tau_low``.
* Persuasion: none. The canvass is GOTV only (persuasion effects in general elections
  average about zero: Kalla & Broockman 2018, 49 field experiments).

The effect is realised in the vote history without redrawing anything else: the history's
2024-general probability of a contacted treated voter is ``p0 + tau``, with the same uniform
draw, so only the votes with ``p0 <= u < p0 + tau`` are added (see ``history.build_history``,
``baseline``). ``truth/turnout_probability.csv`` keeps ``p0``, the probability without the
canvass.

>>> import numpy as np
>>> from campaignlab.synth.experiment import example_experiment
>>> exp = example_experiment(3_000, seed=1)
>>> sorted(exp.files)
['canvass_experiment_2024.csv', 'truth/canvass_experiment_2024.csv']
>>> t = exp.files["canvass_experiment_2024.csv"]
>>> sorted(set(t["assignment"]))
['control', 'treatment']
>>> bool((t.loc[t["assignment"] == "control", "contacted"] == "N").all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal
from campaignlab.synth.people import sigmoid

#: The election the experiment ran in (index into ``calibration.ELECTIONS``).
ELECTION = next(i for i, e in enumerate(cal.ELECTIONS) if e.lbl == "11/05/2024")
#: Share of treatment households a canvasser actually knocked (turf not finished; unsourced).
ATTEMPT_RATE = 0.90
#: Mean chance that somebody opens the door of an attempted household (G&G: door contact
#: rate ~25%, range 10-50%; set so the person-level contact rate lands near 25%).
ANSWER_RATE = 0.32
#: Who opens the door (unsourced): older households, homeowners and bigger households more.
ANSWER_AGE_SLOPE = 0.02  # per year of the oldest eligible member's age above 50
ANSWER_HOMEOWNER = 0.5
ANSWER_PER_EXTRA_MEMBER = 0.15
#: Chance an eligible member of an answering household is talked to (unsourced).
CONTACT_GIVEN_ANSWER = 0.80
#: Votes per door contact in a low-salience election (G&G, 2004 ed.: 1 per 14 contacts).
VOTES_PER_CONTACT_LOW = 1 / 14
#: Effect in a high-salience (presidential) election as a share of the low-salience effect.
#: Mann & Haenschen (2024): GOTV effects 33-76% smaller in high-salience elections, so a
#: factor between 0.24 and 0.67; 0.45 (55% smaller) is inside the range.
SALIENCE_2024 = 0.45
#: Voter-level heterogeneity of the effect (unsourced): younger voters respond more.
AGE_SLOPE = 0.25  # per 20 years of age below 45 (log scale)
HET_SD = 0.30  # what the file cannot see (log scale)
#: Canvass weekends before the 2024 general (Saturdays and Sundays).
CANVASS_FIRST_DAY = np.datetime64("2024-10-05")
CANVASS_LAST_DAY = np.datetime64("2024-11-03")

EXPERIMENT_COLUMNS = ["ncid", "household_key", "assignment", "attempted", "contacted", "canvass_date"]
TRUTH_COLUMNS = ["ncid", "person_id", "p0", "tau", "tau_low_salience"]


@dataclass
class Experiment:
    """The history's probabilities with the canvass, and the two files."""

    prob: np.ndarray  # persons x elections: the input with p0 + tau for contacted treated people
    files: dict[str, pd.DataFrame]


def canvass_days() -> np.ndarray:
    """The weekend days of the canvass.

    >>> [str(d) for d in canvass_days()[:2]]
    ['2024-10-05', '2024-10-06']
    """
    days = np.arange(CANVASS_FIRST_DAY, CANVASS_LAST_DAY + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    return days[weekday >= 5]


def _solve_intercept(x: np.ndarray, target: float) -> float:
    """``a`` with mean(sigmoid(a + x)) == target (Newton).

    >>> round(_solve_intercept(np.zeros(3), 0.5), 6)
    0.0
    """
    a = float(np.log(target / (1 - target)))
    for _ in range(50):
        p = sigmoid(a + x)
        a -= float(p.mean() - target) / max(float((p * (1 - p)).mean()), 1e-12)
    return a


def build_experiment(
    people: pd.DataFrame, prob: np.ndarray, row: np.ndarray, ncid: pa.Array, rng: np.random.Generator
) -> Experiment:
    """Randomize, canvass and record the truth; never mutates ``prob``.

    Args:
        people: the people table (person_id, household_id, special, birth_year, homeowner).
        prob: persons x ``cal.ELECTIONS`` true probabilities (NaN = not eligible).
        row: persons x elections registration row each vote is recorded under.
        ncid: ncid of every registration row.
    """
    p_all = prob[:, ELECTION]
    special = people["special"].fillna("").to_numpy(dtype=str)
    person = np.flatnonzero(~np.isnan(p_all) & (special == ""))
    hh_codes, hh = np.unique(people["household_id"].to_numpy()[person], return_inverse=True)
    n_h, n = len(hh_codes), len(person)
    p0 = p_all[person]
    age = cal.ELECTIONS[ELECTION].year - people["birth_year"].to_numpy()[person]

    # assignment: exactly half the households (the odd one by a coin) -----------------------
    order = rng.permutation(n_h)
    n_treat = n_h // 2 + int(n_h % 2 and rng.random() < 0.5)
    treated_hh = np.zeros(n_h, dtype=bool)
    treated_hh[order[:n_treat]] = True

    # the canvass ----------------------------------------------------------------------------
    oldest = np.full(n_h, -np.inf)
    np.maximum.at(oldest, hh, age)
    size = np.bincount(hh, minlength=n_h)
    owner = np.zeros(n_h, dtype=bool)
    owner[hh] = people["homeowner"].to_numpy(dtype=bool)[person]
    x = ANSWER_AGE_SLOPE * (oldest - 50) + ANSWER_HOMEOWNER * owner + ANSWER_PER_EXTRA_MEMBER * (size - 1)
    p_answer = sigmoid(_solve_intercept(x, ANSWER_RATE) + x)
    attempted_hh = treated_hh & (rng.random(n_h) < ATTEMPT_RATE)
    answered_hh = attempted_hh & (rng.random(n_h) < p_answer)
    contacted = answered_hh[hh] & (rng.random(n) < CONTACT_GIVEN_ANSWER)

    # the true effects -------------------------------------------------------------------------
    h = np.exp(-AGE_SLOPE * (age - 45) / 20 + rng.normal(0.0, HET_SD, n))
    shape = 4 * p0 * (1 - p0) * h
    tau_low = np.round(VOTES_PER_CONTACT_LOW * shape / shape.mean(), 5) if n else shape
    tau = np.round(SALIENCE_2024 * tau_low, 5)
    boosted = prob.copy()
    boosted[person[contacted], ELECTION] = np.minimum(p0[contacted] + tau[contacted], 1.0)

    # what the research partner hands over -------------------------------------------------------
    days = canvass_days()
    day = days[rng.integers(0, len(days), n_h)]
    key_of = np.empty(n_h, dtype=np.int64)
    key_of[rng.permutation(n_h)] = np.arange(1, n_h + 1)
    reg_ncid = np.asarray(pc.take(ncid, pa.array(row[person, ELECTION])).to_pylist(), dtype=object)
    date_text = pd.DatetimeIndex(day).strftime("%m/%d/%Y").to_numpy(dtype=object)[hh]
    yn = np.array(["N", "Y"], dtype=object)
    table = pd.DataFrame(
        {
            "ncid": reg_ncid,
            "household_key": np.char.add("HH", np.char.zfill(key_of[hh].astype(str), 6)).astype(object),
            "assignment": np.where(treated_hh[hh], "treatment", "control").astype(object),
            "attempted": yn[attempted_hh[hh].astype(int)],
            "contacted": yn[contacted.astype(int)],
            "canvass_date": np.where(attempted_hh[hh], date_text, None),
        }
    )
    truth = pd.DataFrame(
        {
            "ncid": reg_ncid,
            "person_id": people["person_id"].to_numpy()[person],
            "p0": p0,
            "tau": tau,
            "tau_low_salience": tau_low,
        }
    )
    srt = np.lexsort((reg_ncid.astype(str), table["household_key"].to_numpy(dtype=str)))
    table = table.iloc[srt].reset_index(drop=True).astype({c: "str" for c in EXPERIMENT_COLUMNS[:-1]})
    table["canvass_date"] = table["canvass_date"].astype("str")
    truth = truth.iloc[np.argsort(reg_ncid.astype(str), kind="stable")].reset_index(drop=True)
    truth["ncid"] = truth["ncid"].astype("str")
    return Experiment(prob=boosted, files={"canvass_experiment_2024.csv": table,
                                           "truth/canvass_experiment_2024.csv": truth})  # fmt: skip


def example_experiment(voters: int = 3_000, seed: int = 1) -> Experiment:
    """The experiment of a small county built from ``seed`` (for examples and tests)."""
    from campaignlab.synth import core_world

    core = core_world(seed, voters)
    return core.experiment
