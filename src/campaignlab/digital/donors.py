"""Donors: what the gifts look like, who gives again, and RFM segments.

Works on a donation export with one row per charge (ActBlue-style columns by default:
``Receipt ID``, ``Date``, ``Amount``, ``Recurring``, ``Donor Email``). A donor is identified
by their email, lower-cased and trimmed (the same person gives from one address; a donor
file with a donor ID column can name it with ``donor=``).

>>> import pandas as pd
>>> gifts = pd.DataFrame({"Date": ["2026-07-01", "2026-07-20", "2026-08-03", "2026-08-05", "2026-09-09"],
...     "Amount": ["25", "10", "250", "25", "10"], "Recurring": ["N", "N", "N", "Y", "N"],
...     "Donor Email": ["a@example.com", "b@example.org", "c@example.net", "A@example.com ", "b@example.org"]})
>>> s = gift_summary(gifts)
>>> s["donors"], s["gifts"], s["median_gift"], round(s["top_10pct_share"], 2)
(3, 5, 25.0, 0.78)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["gift_summary", "cohort_retention", "rfm_segments"]


def _gifts(donations: pd.DataFrame, donor: str, date: str, amount: str) -> pd.DataFrame:
    missing = [c for c in (donor, date, amount) if c not in donations.columns]
    if missing:
        raise KeyError(f"donations: no column {missing}; columns found: {list(donations.columns)}. "
                       "Name yours with donor=, date=, amount=")  # fmt: skip
    out = pd.DataFrame({
        "donor": donations[donor].astype("str").str.strip().str.lower(),
        "date": pd.to_datetime(donations[date], errors="coerce"),
        "amount": pd.to_numeric(donations[amount], errors="coerce"),
    })  # fmt: skip
    bad = out["donor"].isna() | out["date"].isna() | out["amount"].isna()
    if bad.any():
        raise ValueError(f"donations: {int(bad.sum())} rows have no donor, no readable date or no amount "
                         f"(first at row {int(np.flatnonzero(bad.to_numpy())[0]) + 1}); fix or remove them first")  # fmt: skip
    return out


def gift_summary(donations: pd.DataFrame, *, donor: str = "Donor Email", date: str = "Date", amount: str = "Amount",
                 recurring: str | None = "Recurring") -> dict:  # fmt: skip
    """Totals, mean and median gift, one-time vs recurring, and how skewed the giving is.

    ``top_10pct_share``: the share of the money given by the top 10% of donors (at least
    one donor). A mean far above the median says a few big gifts carry the program: quote
    the median as "the typical gift".
    """
    g = _gifts(donations, donor, date, amount)
    per_donor = g.groupby("donor")["amount"].sum().sort_values(ascending=False)
    top = max(1, int(np.ceil(0.1 * len(per_donor))))
    out = {"donors": int(per_donor.size), "gifts": len(g), "revenue": float(g["amount"].sum()),
           "mean_gift": float(g["amount"].mean()), "median_gift": float(g["amount"].median()),
           "top_10pct_share": float(per_donor.iloc[:top].sum() / per_donor.sum())}  # fmt: skip
    if recurring and recurring in donations.columns:
        rec = donations[recurring].astype("str").str.strip().str.upper().isin(["Y", "YES", "TRUE", "1"]).to_numpy()
        out["recurring_gifts"] = int(rec.sum())
        out["recurring_revenue_share"] = float(g["amount"][rec].sum() / g["amount"].sum()) if len(g) else float("nan")
    return out


def cohort_retention(donations: pd.DataFrame, *, donor: str = "Donor Email", date: str = "Date",
                     amount: str = "Amount", freq: str = "M", as_of=None) -> pd.DataFrame:  # fmt: skip
    """Share of each first-gift cohort that gives again k periods later.

    Rows: the month (``freq="M"``) of each donor's first gift; column 0 is the cohort's size
    in donors; column k the share of them who gave in the k-th period after their first.
    The denominator is the cohort, every period: a donor who skips a month and comes back is
    counted where they gave. A period after ``as_of`` (default: the last gift in the file) has
    not happened yet: its cell is missing (NaN), not 0, because nobody in the cohort could
    have come back then.

    >>> gifts = pd.DataFrame({"Date": ["2026-07-01", "2026-08-02", "2026-07-09", "2026-09-01"],
    ...     "Amount": [5, 5, 10, 10], "Donor Email": ["a@example.com", "a@example.com", "b@example.org", "b@example.org"]})
    >>> cohort_retention(gifts).round(2).values.tolist()
    [[2.0, 0.5, 0.5]]
    >>> late = pd.concat([gifts, pd.DataFrame({"Date": ["2026-09-20"], "Amount": [25], "Donor Email": ["c@example.net"]})])
    >>> cohort_retention(late).round(2).values.tolist()  # September's donor could not come back yet
    [[2.0, 0.5, 0.5], [1.0, nan, nan]]
    """
    g = _gifts(donations, donor, date, amount)
    period = g["date"].dt.to_period(freq)
    first = period.groupby(g["donor"]).transform("min")
    age = (period - first).map(lambda off: off.n)
    counts = pd.DataFrame({"cohort": first, "age": age, "donor": g["donor"]}).drop_duplicates()
    table = counts.groupby(["cohort", "age"])["donor"].nunique().unstack("age", fill_value=0).sort_index()
    table = table.reindex(columns=range(int(table.columns.max()) + 1), fill_value=0)
    size = table[0]
    share = table.div(size, axis=0).astype(float)
    last = pd.Timestamp(as_of).to_period(freq) if as_of is not None else g["date"].max().to_period(freq)
    room = np.array([(last - c).n for c in share.index])  # periods each cohort has had so far
    share = share.mask(np.arange(share.shape[1])[None, :] > room[:, None])
    share[0] = size.astype(float)
    share.columns.name = "periods after the first gift"
    return share


def rfm_segments(donations: pd.DataFrame, *, as_of, donor: str = "Donor Email", date: str = "Date",
                 amount: str = "Amount", bins: int = 3) -> pd.DataFrame:  # fmt: skip
    """Recency, frequency and money per donor, each scored 1 (low) to ``bins`` (high).

    Recency is the days since the last gift at ``as_of`` (fewer days = a higher score).
    Scores are quantile ranks (ties share a score), so they mean "better than most of
    this file's donors", not a fixed dollar line. ``segment`` names the cells campaigns use:
    "champions" (top on all three), "lapsing" (gave often, not lately), "new" (one recent
    gift), "one and done" (one gift, not lately), else "others".
    """
    g = _gifts(donations, donor, date, amount)
    as_of = pd.Timestamp(as_of)
    per = g.groupby("donor").agg(last=("date", "max"), frequency=("date", "size"), monetary=("amount", "sum"))
    per["recency_days"] = (as_of - per["last"]).dt.days

    def score(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
        r = values.rank(method="average", pct=True, ascending=higher_is_better)
        return np.ceil(r * bins).clip(1, bins).astype(int)

    per["R"] = score(per["recency_days"], higher_is_better=False)
    per["F"] = score(per["frequency"])
    per["M"] = score(per["monetary"])
    top = bins
    seg = np.select(
        [(per["R"] == top) & (per["F"] == top) & (per["M"] == top),
         (per["F"] >= top - 1 + (bins == 2)) & (per["R"] == 1) & (per["frequency"] > 1),
         (per["frequency"] == 1) & (per["R"] == top),
         (per["frequency"] == 1) & (per["R"] == 1)],
        ["champions", "lapsing", "new", "one and done"], default="others")  # fmt: skip
    per["segment"] = seg
    return per[["recency_days", "frequency", "monetary", "R", "F", "M", "segment"]]
