"""A turnout model, honest in time: features known before the election, a scikit-learn Pipeline.

To learn who votes, fit a model on a past election, with only what was known **before** it:
past votes by kind of election (the last few of each, and the most recent one), age at the
election, party, gender, years registered at the election and precinct. The outcome is whether
the voter voted in that election. To score a coming election, build the same features for its
date (they then use every past election, the last one included) and apply the fitted model.

Two things leak the outcome and must stay out (:func:`leaky_columns` names them):
registration status **as of today's file** (recorded after the election: it cannot say who was
active then, and list maintenance moves voters who stop voting to inactive afterwards), and
anything from the target election or later (a vote in it, a count of votes that includes it).

>>> import pandas as pd
>>> voters = pd.DataFrame({"ncid": ["AL1", "AL2", "AL3"], "registr_dt": ["03/14/2012", "10/20/2022", "05/02/2010"],
...                        "birth_year": ["1970", "1980", "1990"], "status_cd": ["A", "A", "I"],
...                        "party_cd": ["DEM", "REP", "UNA"], "gender_code": ["F", "M", "F"],
...                        "precinct_abbrv": ["01", "02", "01"]})
>>> history = pd.DataFrame({"ncid": ["AL1", "AL1", "AL3"], "election_lbl": ["11/03/2020", "11/08/2022", "11/03/2020"],
...                         "election_desc": ["11/03/2020 GENERAL", "11/08/2022 GENERAL", "11/03/2020 GENERAL"]})
>>> features, report = turnout_features(voters, history, "2022-11-08")
>>> features[["generals", "last_general", "age", "years_registered", "party"]].round(1).reset_index().values.tolist()
[['AL1', 1, 1, 52.0, 10.7, 'DEM'], ['AL3', 1, 1, 32.0, 12.5, 'UNA']]
>>> voted_in(history, "2022-11-08", features.index).tolist()
[True, False]
>>> leaky_columns(features.assign(status_cd=["A", "I"], voted_2022=[1, 0]), "2022-11-08")
{'status_cd': "registration status as of today's file, recorded after 11/08/2022: it cannot say who was active then, and list maintenance after an election moves voters who did not vote or answer mail to inactive", 'voted_2022': 'named for 2022, the year of the election on 11/08/2022 or later: from the target election or after'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline
# scikit-learn is imported where it is used: the features need only pandas (and a kernel that
# imports this module for them starts seconds sooner)

from campaignlab.targeting.electorate import eligible_at
from campaignlab.targeting.history import history_features, years_registered
from campaignlab.voterfile.report import StepReport, require_columns

__all__ = [
    "CATEGORIES",
    "NUMBERS",
    "turnout_features",
    "voted_in",
    "turnout_pipeline",
    "leaky_columns",
    "fit_turnout_model",
    "score_turnout",
]

#: The category features of :func:`turnout_features` (one-hot encoded by :func:`turnout_pipeline`).
CATEGORIES = ["party", "gender", "precinct"]
#: The number features of :func:`turnout_features` (scaled by :func:`turnout_pipeline`).
NUMBERS = ["generals", "primaries", "municipals", "last_general", "last_primary", "last_municipal",
           "ever_voted", "age", "years_registered", "registration_date_unknown"]  # fmt: skip

#: Columns of an NC voter file that record registration status as of the file's date.
STATUS_COLUMNS = ("status_cd", "voter_status_desc", "reason_cd", "voter_status_reason_desc")
_DATE = re.compile(r"(\d{1,2})[/_-](\d{1,2})[/_-](\d{4})|(\d{4})[/_-](\d{1,2})[/_-](\d{1,2})")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_OUTCOME_NAMES = {"voted", "turnout", "outcome", "target", "y", "label"}


def turnout_features(
    voters: pd.DataFrame,
    history: pd.DataFrame,
    election_date,
    *,
    last: int = 3,
    id: str = "ncid",
    registration: str = "registr_dt",
    birth_year: str = "birth_year",
    status: str | None = "status_cd",
    party: str = "party_cd",
    gender: str = "gender_code",
    precinct: str = "precinct_abbrv",
    municipality: str | None = None,
) -> tuple[pd.DataFrame, StepReport]:
    """One row per registration that could vote on ``election_date``: what was known before it.

    Works for a past election (to fit a model: pair it with :func:`voted_in`) and for a coming
    one (to score it): every feature is computed as of ``election_date``.

    Args:
        voters: a voter file, one row per registration (not modified); duplicates resolved first.
        history: long vote history, one row per vote (not modified).
        election_date: the target election's day: only elections strictly before it are counted.
        last: how many elections of each kind to count (:func:`history_features`).
        status: the status column used only to decide who could vote (removed and denied
            registrations are set aside, by :func:`eligible_at`); it is never a feature.
        municipality: for a municipal election, the column naming the voter's municipality:
            only its residents could vote (the others are set aside, by :func:`eligible_at`).

    Returns:
        ``(features, report)``: indexed by voter ID (sorted as in ``voters``), with columns
        :data:`NUMBERS` (past votes of each kind in the last ``last``, ``last_*`` 1 if the
        voter voted in the most recent election of that kind, ``ever_voted``, ``age`` in the
        election's year (missing if unknown or impossible), ``years_registered`` at the
        election (missing if the date is unknown), ``registration_date_unknown``) and
        :data:`CATEGORIES` (``party``, ``gender``, ``precinct`` as text). The report is the
        electorate's (:func:`eligible_at`), with the elections used in its notes.

    >>> turnout_features(pd.DataFrame({"ncid": ["AL1"]}), pd.DataFrame(), "2022-11-08")
    Traceback (most recent call last):
    ...
    KeyError: "turnout_features: columns 'party_cd' (parameter party=), 'gender_code' (parameter gender=), 'precinct_abbrv' (parameter precinct=) are not in the data. Columns found: ['ncid']. Map your layout's columns with party='<your column>', gender='<your column>', precinct='<your column>'."
    """
    require_columns(voters, {"id": id, "party": party, "gender": gender, "precinct": precinct}, "turnout_features")
    day = pd.Timestamp(election_date).normalize()
    electorate, report = eligible_at(voters, day, registration=registration, birth_year=birth_year, status=status,
                                     municipality=municipality)
    ids = electorate[id].astype("str")
    if ids.duplicated().any():
        raise ValueError(f"turnout_features: {int(ids.duplicated().sum())} repeated IDs in voters: resolve "
                         "duplicate registrations first (campaignlab.voterfile.resolve_duplicates)")  # fmt: skip
    counts, counts_report = history_features(history, day, voters=ids, last=last, id=id)
    latest, _ = history_features(history, day, voters=ids, last=1, id=id)
    out = pd.DataFrame(index=counts.index)
    for col in ("generals", "primaries", "municipals"):
        out[col] = counts[col]
    for col, kind in (("last_general", "generals"), ("last_primary", "primaries"), ("last_municipal", "municipals")):
        out[col] = latest[kind]
    out["ever_voted"] = counts["ever_voted"].astype("int64")
    born = pd.to_numeric(electorate[birth_year], errors="coerce").to_numpy()
    age = pd.Series(day.year - born, index=out.index, dtype="float64")
    out["age"] = age.where((age >= 0) & (age <= 110))
    if pd.api.types.is_datetime64_any_dtype(electorate[registration]):
        reg = electorate[registration]
    else:
        reg = pd.to_datetime(electorate[registration], format="%m/%d/%Y", errors="coerce")
    reg = reg.where(~electorate["registration_date_unknown"].to_numpy())
    out["years_registered"] = years_registered(reg, day).to_numpy()
    out["registration_date_unknown"] = electorate["registration_date_unknown"].astype("int64").to_numpy()
    for col, source in (("party", party), ("gender", gender), ("precinct", precinct)):
        out[col] = electorate[source].astype("str").str.strip().str.upper().to_numpy()
    report.notes.extend(counts_report.notes)
    return out, report


def voted_in(history: pd.DataFrame, election_date, voters: Iterable[str] | pd.Index, *, id: str = "ncid",
             election: str = "election_lbl", date_format: str = "%m/%d/%Y") -> pd.Series:  # fmt: skip
    """The outcome: ``True`` for each voter with a vote recorded on ``election_date``.

    Raises ``ValueError`` if the history holds no vote on that date (an election that has not
    happened yet, or a wrong date): there is no outcome to learn from.

    >>> h = pd.DataFrame({"ncid": ["AL1"], "election_lbl": ["11/05/2024"]})
    >>> voted_in(h, "2024-11-05", ["AL1", "AL2"]).tolist()
    [True, False]
    >>> voted_in(h, "2026-11-03", ["AL1"])
    Traceback (most recent call last):
    ...
    ValueError: voted_in: no vote in the history on 11/03/2026 (elections run 11/05/2024 to 11/05/2024): a coming election has no outcome yet
    """
    require_columns(history, {"id": id, "election": election}, "voted_in")
    day = pd.Timestamp(election_date).normalize()
    dates = pd.to_datetime(history[election], format=date_format, errors="coerce")
    on_day = (dates == day).to_numpy()
    if not on_day.any():
        span = f"{dates.min():%m/%d/%Y} to {dates.max():%m/%d/%Y}" if dates.notna().any() else "none dated"
        raise ValueError(f"voted_in: no vote in the history on {day:%m/%d/%Y} (elections run {span}): "
                         "a coming election has no outcome yet")  # fmt: skip
    index = pd.Index(voters, dtype="str", name=id)
    return pd.Series(index.isin(history.loc[on_day, id].astype("str")), index=index, name="voted")


def turnout_pipeline(categories: Iterable[str] = CATEGORIES, numbers: Iterable[str] = NUMBERS, *,
                     C: float = 1.0) -> Pipeline:  # fmt: skip
    """An unfitted Pipeline: one-hot for categories, scaling for numbers, then logistic regression.

    Missing numbers are filled with the median (plus a column saying they were missing), missing
    categories become ``"missing"``, and a category the model never saw (a new precinct) is
    ignored. The fit is deterministic (lbfgs, no random state).

    >>> X = pd.DataFrame({"party": ["DEM", "REP", "DEM", "UNA"], "generals": [3, 0, 2, None]})
    >>> model = turnout_pipeline(["party"], ["generals"]).fit(X, [1, 0, 1, 0])
    >>> model.predict_proba(X)[:, 1].round(2).tolist()
    [0.81, 0.25, 0.7, 0.24]
    >>> list(model.named_steps)
    ['prepare', 'model']
    """
    categories, numbers = list(categories), list(numbers)
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prepare = ColumnTransformer(
        [("categories", Pipeline([("fill", SimpleImputer(strategy="constant", fill_value="missing")),
                                  ("one_hot", OneHotEncoder(handle_unknown="ignore"))]), categories),
         ("numbers", Pipeline([("fill", SimpleImputer(strategy="median", add_indicator=True)),
                               ("scale", StandardScaler())]), numbers)],
        remainder="drop")  # fmt: skip
    return Pipeline([("prepare", prepare), ("model", LogisticRegression(C=C, max_iter=2000))])


def _election_words(name: str) -> bool:
    return bool(re.search(r"general|vote|turnout|elect|ballot", name, flags=re.IGNORECASE))


def leaky_columns(features: pd.DataFrame, election_date, *, outcome=None, threshold: float = 0.95) -> dict[str, str]:
    """The columns of ``features`` that leak the outcome of the election on ``election_date``: column -> why.

    Checks names (registration status as of today's file; a date on or after the election, or a
    year of it or later with election words, in the name; a name such as ``voted``) and, with
    ``outcome`` (True/False per row), data: a column that alone ranks the outcome almost perfectly
    (ROC AUC at least ``threshold``, or at most ``1 - threshold``) is most likely the target
    election itself (checked on 50 rows or more: fewer cannot tell). An empty dict means no leak
    was found, not a proof that there is none.

    >>> X = pd.DataFrame({"generals": [0, 2, 1, 3] * 25, "copy": [0, 0, 1, 1] * 25})
    >>> leaky_columns(X, "2024-11-05", outcome=[False, False, True, True] * 25)
    {'copy': 'alone it predicts who voted on 11/05/2024 almost perfectly (AUC 1.00): is it the target election itself?'}
    """
    day = pd.Timestamp(election_date).normalize()
    found: dict[str, str] = {}
    for col in features.columns:
        name = str(col)
        low = name.lower()
        if low in STATUS_COLUMNS or "status" in low or low in ("inactive", "removed", "reason"):
            found[name] = (f"registration status as of today's file, recorded after {day:%m/%d/%Y}: it cannot say "
                           "who was active then, and list maintenance after an election moves voters who did not "
                           "vote or answer mail to inactive")  # fmt: skip
            continue
        if low in _OUTCOME_NAMES:
            found[name] = f"named like the outcome itself: who voted on {day:%m/%d/%Y}"
            continue
        dated = None
        for m in _DATE.finditer(name):
            mm, dd, yy = (m.group(1), m.group(2), m.group(3)) if m.group(3) else (m.group(5), m.group(6), m.group(4))
            try:
                dated = pd.Timestamp(int(yy), int(mm), int(dd))
            except ValueError:
                continue
            if dated >= day:
                found[name] = f"names {dated:%m/%d/%Y}, on or after the election on {day:%m/%d/%Y}"
                break
        if name in found or dated is not None:
            continue
        years = [int(y) for y in _YEAR.findall(name)]
        late = [y for y in years if y > day.year or (y == day.year and "primar" not in low)]
        if late and _election_words(name):
            found[name] = (f"named for {late[0]}, the year of the election on {day:%m/%d/%Y} or later: from the "
                           "target election or after")  # fmt: skip
    if outcome is not None:
        y = np.asarray(outcome, dtype=float)
        if len(y) != len(features):
            raise ValueError(f"leaky_columns: outcome has {len(y)} values for {len(features)} rows")
        if 0 < np.nansum(y) < len(y) and len(y) >= 50:
            from sklearn.metrics import roc_auc_score

            for col in features.columns:
                if str(col) in found:
                    continue
                values = features[col]
                if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
                    x = pd.to_numeric(values, errors="coerce").astype("float64")
                else:  # a category: each value's share of voters
                    x = pd.Series(y, index=features.index).groupby(values.astype("str").to_numpy()).transform("mean")
                x = x.to_numpy(dtype="float64")
                keep = ~np.isnan(x) & ~np.isnan(y)
                if keep.sum() < 2 or len(np.unique(y[keep])) < 2 or len(np.unique(x[keep])) < 2:
                    continue
                auc = roc_auc_score(y[keep], x[keep])
                if auc >= threshold or auc <= 1 - threshold:
                    found[str(col)] = (f"alone it predicts who voted on {day:%m/%d/%Y} almost perfectly "
                                       f"(AUC {max(auc, 1 - auc):.2f}): is it the target election itself?")  # fmt: skip
    return found


def fit_turnout_model(features: pd.DataFrame, voted, *, election_date=None, pipeline: Pipeline | None = None) -> Pipeline:
    """Fit ``pipeline`` (default :func:`turnout_pipeline`) on ``features`` and the outcome ``voted``.

    With ``election_date``, refuses leaky columns (:func:`leaky_columns`) with a message naming
    them. Neither input is modified; the pipeline passed in is cloned, not fitted in place.

    >>> X = pd.DataFrame({"party": ["DEM", "REP", "DEM", "UNA"], "generals": [3, 0, 2, 1],
    ...                   "status_cd": ["A", "I", "A", "A"]})
    >>> fit_turnout_model(X, [1, 0, 1, 0], election_date="2024-11-05")
    Traceback (most recent call last):
    ...
    ValueError: fit_turnout_model: leaky features: status_cd (registration status as of today's file, recorded after 11/05/2024: it cannot say who was active then, and list maintenance after an election moves voters who did not vote or answer mail to inactive). Drop them: a model must learn only from what was known before the election.
    """
    from sklearn.base import clone

    if isinstance(voted, pd.Series):
        voted = voted if voted.index.equals(features.index) else voted.reindex(features.index)
        if voted.isna().any():
            raise ValueError("fit_turnout_model: voted has no value for some rows of features: align them by voter")
        y = voted.astype("bool").to_numpy()
    else:
        y = np.asarray(voted).astype("bool")
    if election_date is not None:
        leaks = leaky_columns(features, election_date, outcome=y)
        if leaks:
            named = "; ".join(f"{c} ({why})" for c, why in leaks.items())
            raise ValueError(f"fit_turnout_model: leaky features: {named}. Drop them: a model must learn only "
                             "from what was known before the election.")  # fmt: skip
    if pipeline is None:
        present = set(features.columns)
        pipeline = turnout_pipeline([c for c in CATEGORIES if c in present], [c for c in NUMBERS if c in present])
    return clone(pipeline).fit(features, y)


def score_turnout(model: Pipeline, features: pd.DataFrame) -> pd.Series:
    """Each voter's modelled chance of voting (0-1), labelled like ``features``: the turnout score.

    >>> X = pd.DataFrame({"generals": [0, 1, 2, 3]}, index=["a", "b", "c", "d"])
    >>> m = fit_turnout_model(X, [False, False, True, True], pipeline=turnout_pipeline([], ["generals"]))
    >>> score_turnout(m, X).round(2).tolist()
    [0.22, 0.4, 0.6, 0.78]
    """
    return pd.Series(model.predict_proba(features)[:, 1], index=features.index, name="turnout_score")
