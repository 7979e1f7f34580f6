"""The propensity table: turnout in a target election by the number of past votes.

Every row of the table is a group of eligible voters with the same number of past votes (the
table's ``past_votes``); ``voters`` is how many could vote in the target election (the
denominator: build it with :func:`campaignlab.targeting.eligible_at`), ``voted`` how many
of them did, and ``turnout`` their share. Counts are of voters, one per registration, never
of history rows.

>>> import pandas as pd
>>> past = pd.Series([0, 0, 1, 2, 2, 2], index=list("abcdef"))
>>> voted = pd.Series([False, True, False, True, True, False], index=list("abcdef"))
>>> propensity_table(past, voted).reset_index().values.tolist()
[[0.0, 2.0, 1.0, 0.5], [1.0, 1.0, 0.0, 0.0], [2.0, 3.0, 2.0, 0.667]]
"""

from __future__ import annotations

import pandas as pd

__all__ = ["propensity_table"]


def propensity_table(past_votes: pd.Series, voted: pd.Series, *, round_to: int | None = 3) -> pd.DataFrame:
    """Voters, voters who voted and turnout in the target election, per number of past votes.

    Args:
        past_votes: one whole number per eligible voter (e.g. ``history_features(...)["generals"]``).
        voted: ``True``/``False`` per voter: voted in the target election. Aligned on the index.
        round_to: decimals of ``turnout`` (``None`` keeps full precision).

    >>> propensity_table(pd.Series([1], index=["a"]), pd.Series([True], index=["b"]))
    Traceback (most recent call last):
    ...
    ValueError: propensity_table: past_votes and voted are not labelled by the same voters (2 labels differ): pass both for the same eligible voters
    """
    if not past_votes.index.equals(voted.index):
        if past_votes.index.has_duplicates or set(past_votes.index) != set(voted.index):
            differ = len(set(past_votes.index) ^ set(voted.index))
            raise ValueError(f"propensity_table: past_votes and voted are not labelled by the same voters "
                             f"({differ} labels differ): pass both for the same eligible voters")  # fmt: skip
        voted = voted.reindex(past_votes.index)
    if voted.isna().any() or not pd.api.types.is_bool_dtype(voted):
        raise TypeError("propensity_table: voted must be True/False for every voter (no row in the history = False)")
    grouped = voted.groupby(past_votes.rename("past_votes"))
    table = pd.DataFrame({"voters": grouped.size(), "voted": grouped.sum().astype("int64")})
    table["turnout"] = table["voted"] / table["voters"]
    if round_to is not None:
        table["turnout"] = table["turnout"].round(round_to)
    return table
