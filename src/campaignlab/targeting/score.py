"""A transparent rule-based turnout score, and how much of the vote a score's top tier reaches.

Before any model, campaigns score voters with points per past vote: a rule anyone can read
and check. :data:`DEFAULT_POINTS` gives more weight to the elections that look most like a
November general (a past general 3 points, a primary 2, a municipal election 1). Such a score
ranks voters well, but it ties thousands of them, gives every new registrant the same zero,
and knows nothing the history does not (lesson 2 fits a model; lesson 3 measures both).

>>> import pandas as pd
>>> features = pd.DataFrame({"generals": [3, 1, 0], "primaries": [1, 0, 0], "municipals": [2, 0, 1]},
...                         index=["AL1", "AL2", "AL3"])
>>> rule_score(features).tolist()
[13, 3, 1]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["rule_score", "capture", "DEFAULT_POINTS"]

#: Points per past vote of each kind (columns of ``history_features``).
DEFAULT_POINTS = {"generals": 3, "primaries": 2, "municipals": 1}


def rule_score(features: pd.DataFrame, points: Mapping[str, float] = DEFAULT_POINTS) -> pd.Series:
    """Sum of ``points[column] x features[column]`` for every row: a score anyone can recompute.

    >>> rule_score(pd.DataFrame({"generals": [1]}), {"generals": 3, "primaries": 2})
    Traceback (most recent call last):
    ...
    KeyError: "rule_score: no column 'primaries' in features (columns: ['generals']); points are given per column"
    """
    for col in points:
        if col not in features.columns:
            raise KeyError(f"rule_score: no column {col!r} in features (columns: {list(features.columns)}); "
                           "points are given per column")  # fmt: skip
    total = sum(features[col] * pts for col, pts in points.items())
    return pd.Series(total, index=features.index, name="score")


def capture(score: pd.Series, outcome: pd.Series, share: float = 0.5) -> float:
    """Share of the ``outcome`` total held by the top ``share`` of voters ranked by ``score``.

    Ties at the cut count in proportion (a tied group half inside the top tier brings half its
    outcome), so the answer does not depend on row order. ``outcome`` may be True/False (who
    voted) or a probability (the truth).

    >>> s = pd.Series([3, 2, 2, 0]); y = pd.Series([1, 1, 0, 0])
    >>> capture(s, y, 0.5)  # the top voter, and half of the two tied at 2
    0.75
    """
    if not 0 < share <= 1:
        raise ValueError(f"capture: share must be in (0, 1], got {share}")
    y = pd.Series(np.asarray(outcome, dtype=float), index=score.index)
    by = y.groupby(score.to_numpy()).agg(["size", "sum"]).sort_index(ascending=False)
    slots = share * len(score)
    before = by["size"].cumsum() - by["size"]
    take = np.clip(slots - before, 0, by["size"]) / by["size"]
    return float((take * by["sum"]).sum() / y.sum())
