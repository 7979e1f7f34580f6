"""Data you can trust from the field: hold each canvass shift against its turf.

Fabricated or careless canvassing leaves marks a data director can test, shift by shift:

* **rapid**: knocks seconds apart across a whole shift (MiniVAN's sync time, ``Date Created``),
  where an honest canvasser needs minutes to walk to the next door;
* **inflated**: a contact or "yes" rate far above what the same turf gives other canvassers;
* **identical**: every survey answer of the shift the same;
* **removed**: ``Canvassed`` recorded on a voter the current file says is no longer registered
  there (status ``R``).

A rate "far above" is judged with the chance of seeing it **honestly**: the binomial tail
P(X >= contacts) for the shift's attempts at the turf's rate (from the turf's *other* shifts, so a
shift does not set its own bar). With hundreds of shifts, some honest ones land in any tail, so
p-values are adjusted for the number of shifts (Holm) before a shift is called a suspect. A
suspect is a shift to look at with the organizer, never a verdict on a volunteer.

>>> bool(binomial_tail(9, 10, 0.25) < 0.001)   # 9 contacts in 10 doors on a 25% turf: hardly by chance
True
>>> round(float(binomial_tail(4, 10, 0.25)), 3)   # 4 in 10: happens about one shift in four
0.224
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from campaignlab.field.doors import CONTACT_RESULTS, DOOR
from campaignlab.voterfile.report import require_columns

__all__ = ["SUPPORTERS", "binomial_tail", "knock_gaps", "shift_checks"]

#: Survey answers that count as support ("1 - Strong Yes", "2 - Lean Yes").
SUPPORTERS = (1, 2)


def binomial_tail(successes, trials, rate):
    """P(X >= ``successes``) for X ~ Binomial(``trials``, ``rate``): the chance of at least that many.

    Vectorised over arrays; 1 where ``successes`` is 0 (at least nothing always happens).

    >>> binomial_tail([0, 5, 10], 10, 0.5).round(4).tolist()
    [1.0, 0.623, 0.001]
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    p = np.clip(np.asarray(rate, dtype=float), 0.0, 1.0)
    return stats.binom.sf(np.maximum(k, 0.0) - 1.0, n, p)


def _created(values: pd.Series, created_format: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format=created_format, errors="coerce")


def knock_gaps(
    doors: pd.DataFrame,
    *,
    shift: str = "Shift ID",
    created: str = "Date Created",
    created_format: str | None = "%m/%d/%Y %H:%M:%S",
) -> pd.DataFrame:
    """Seconds between consecutive attempts of each shift, from the canvassing app's sync times.

    Returns one row per shift: ``attempts``, ``median_gap_s`` (the median gap: voters behind one
    door are seconds apart, so the median, not the shortest gap, tells a walked shift from a
    fabricated one), ``short_gap_share`` (gaps under a minute) and ``minutes`` (first to last).
    Rows without a shift or a time are left out.

    >>> d = pd.DataFrame({"Shift ID": ["A"] * 4 + ["B"] * 3,
    ...     "Date Created": ["09/12/2026 10:00:00", "09/12/2026 10:05:00", "09/12/2026 10:05:20", "09/12/2026 10:11:00",
    ...                      "09/12/2026 10:00:00", "09/12/2026 10:00:15", "09/12/2026 10:00:40"]})
    >>> knock_gaps(d)[["attempts", "median_gap_s", "minutes"]].to_dict("index")
    {'A': {'attempts': 4, 'median_gap_s': 300.0, 'minutes': 11.0}, 'B': {'attempts': 3, 'median_gap_s': 20.0, 'minutes': 0.67}}
    """
    require_columns(doors, {"shift": shift, "created": created}, "knock_gaps")
    t = _created(doors[created], created_format)
    ok = doors[shift].notna().to_numpy() & t.notna().to_numpy()
    frame = pd.DataFrame({"shift": doors[shift].to_numpy()[ok], "t": t.to_numpy()[ok]})
    frame = frame.sort_values(["shift", "t"], kind="stable")
    gap = frame.groupby("shift")["t"].diff().dt.total_seconds()
    per = pd.DataFrame({"shift": frame["shift"], "gap": gap})
    g = per.groupby("shift", sort=True)
    span = frame.groupby("shift", sort=True)["t"].agg(["min", "max"])
    out = pd.DataFrame({
        "attempts": g.size().astype(np.int64),
        "median_gap_s": g["gap"].median(),
        "short_gap_share": per["gap"].lt(60).where(per["gap"].notna()).groupby(per["shift"], sort=True).mean(),
        "minutes": ((span["max"] - span["min"]).dt.total_seconds() / 60).round(2),
    })
    out.index.name = shift
    return out


def _leave_one_out(part: pd.Series, whole: pd.Series) -> pd.Series:
    """Each shift's turf total without the shift itself."""
    return whole - part


def shift_checks(
    contacts: pd.DataFrame,
    *,
    removed: Iterable[str] | None = None,
    shift: str = "Shift ID",
    turf: str = "Turf Name",
    canvasser: str = "Canvassed By",
    id: str = "StateFileID",
    created: str = "Date Created",
    created_format: str | None = "%m/%d/%Y %H:%M:%S",
    contact_type: str | None = DOOR,
    type_column: str = "Contact Type",
    result: str = "Result",
    response: str = "Survey Response",
    contact_results: Sequence[str] = CONTACT_RESULTS,
    supporters: Sequence[int] = SUPPORTERS,
    alpha: float = 0.05,
    rapid_seconds: float = 60.0,
    min_attempts_rapid: int = 10,
    min_ids_identical: int = 5,
    identical_alpha: float = 0.01,
) -> pd.DataFrame:
    """One row per door shift, with each sign of fabrication and the chance of it arising honestly.

    Columns: ``canvasser``, ``turf``, ``attempts``, ``contacts``, ``contact_rate``,
    ``turf_contact_rate`` (the turf's other shifts), ``p_contacts`` (binomial tail),
    ``ids``, ``yes`` (IDs in ``supporters``), ``yes_rate`` (yes over IDs), ``turf_yes_rate``,
    ``p_yes``, ``median_gap_s``, ``top_answer_share`` (the most common answer's share of the
    shift's IDs), ``p_identical`` (the chance that all of the shift's answers are one answer, drawn
    from the answers of the turf's other shifts; 1 where they are not all one), ``removed_canvassed`` (Canvassed on a voter id in ``removed``), then the flags
    ``rapid`` (median gap under ``rapid_seconds`` in a shift of at least ``min_attempts_rapid``
    attempts: a two-door shift says nothing), ``inflated`` (Holm-adjusted ``p_contacts`` or
    ``p_yes`` under ``alpha``), ``identical`` (at least ``min_ids_identical`` IDs, all one answer, and ``p_identical`` under
    ``identical_alpha``: in a turf where most say "Strong Yes", five in a row happen honestly),
    ``removed`` (at least one), ``suspect`` (any flag) and ``reasons`` (the flags, joined by ";").

    A turf walked by one shift only has no other shifts to compare with: its base rates are the
    program's (all other shifts). The input is not modified.

    >>> rows = []
    >>> for s in range(6):   # five honest shifts of 12 doors, 3 contacts each; shift 5 claims 11
    ...     for i in range(12):
    ...         hit = i < (11 if s == 5 else 3)
    ...         rows.append({"Contact Type": "Walk", "Shift ID": f"W-20260912-1000-{s:05d}", "Turf Name": "P01-01",
    ...                      "Canvassed By": f"V{s}", "StateFileID": f"AL{s}{i}",
    ...                      "Date Created": f"09/12/2026 10:{4 * i:02d}:00" if s < 5 else f"09/12/2026 10:00:{4 * i:02d}",
    ...                      "Result": "Canvassed" if hit else "Not Home",
    ...                      "Survey Response": ("1 - Strong Yes" if s == 5 else f"{1 + i} - x") if hit else None})
    >>> checks = shift_checks(pd.DataFrame(rows), removed=["AL50"])
    >>> checks.loc["W-20260912-1000-00005", ["contacts", "turf_contact_rate", "reasons"]].to_dict()
    {'contacts': 11, 'turf_contact_rate': 0.25, 'reasons': 'rapid;inflated;identical;removed'}
    >>> int(checks["suspect"].sum())
    1
    """
    require_columns(contacts, {"shift": shift, "turf": turf, "canvasser": canvasser, "id": id, "created": created,
                               "result": result, "response": response,
                               "type_column": type_column if contact_type is not None else None},
                    "shift_checks")  # fmt: skip
    rows = contacts
    if contact_type is not None:
        rows = contacts.loc[contacts[type_column].astype("str").str.strip().eq(contact_type).to_numpy()]
    rows = rows.loc[rows[shift].notna().to_numpy()]
    res = rows[result].astype("str").str.strip()
    answer = pd.to_numeric(rows[response].astype("str").str.extract(r"^\s*(\d)", expand=False), errors="coerce")
    gone = set(() if removed is None else removed)
    parts = pd.DataFrame({
        "shift": rows[shift].to_numpy(),
        "contacts": res.isin(list(contact_results)).to_numpy(dtype=np.int64),
        "ids": answer.notna().to_numpy(dtype=np.int64),
        "yes": answer.isin(list(supporters)).to_numpy(dtype=np.int64),
        "removed_canvassed": (res.eq("Canvassed") & rows[id].isin(gone)).to_numpy(dtype=np.int64),
    })
    g = parts.groupby("shift", sort=True)
    out = g[["contacts", "ids", "yes", "removed_canvassed"]].sum()
    out.insert(0, "attempts", g.size().astype(np.int64))
    first = rows.groupby(rows[shift].to_numpy(), sort=True)[[canvasser, turf]].first()
    out.insert(0, "turf", first[turf].reindex(out.index))
    out.insert(0, "canvasser", first[canvasser].reindex(out.index))

    # base rates: the turf's other shifts (the program's other shifts where a turf has one shift)
    by_turf = out.groupby("turf")[["attempts", "contacts", "ids", "yes"]].transform("sum")
    n_in_turf = out.groupby("turf")["attempts"].transform("size")
    total = out[["attempts", "contacts", "ids", "yes"]].sum()
    other = {c: _leave_one_out(out[c], by_turf[c]).where(n_in_turf > 1, total[c] - out[c])
             for c in ("attempts", "contacts", "ids", "yes")}  # fmt: skip
    out["contact_rate"] = out["contacts"] / out["attempts"]
    out["turf_contact_rate"] = other["contacts"] / other["attempts"].where(other["attempts"] > 0)
    out["p_contacts"] = binomial_tail(out["contacts"], out["attempts"], out["turf_contact_rate"].fillna(0.0))
    out["yes_rate"] = out["yes"] / out["ids"].where(out["ids"] > 0)
    out["turf_yes_rate"] = other["yes"] / other["ids"].where(other["ids"] > 0)
    out["p_yes"] = binomial_tail(out["yes"], out["ids"], out["turf_yes_rate"].fillna(0.0))

    gaps = knock_gaps(rows, shift=shift, created=created, created_format=created_format)
    out["median_gap_s"] = gaps["median_gap_s"].reindex(out.index)
    answered = pd.DataFrame({"shift": rows[shift].to_numpy(), "answer": answer.to_numpy()}).dropna()
    counts = pd.crosstab(answered["shift"], answered["answer"]).reindex(out.index, fill_value=0)
    out["top_answer_share"] = (counts.max(axis=1) / counts.sum(axis=1).where(counts.sum(axis=1) > 0)).astype(float)
    # chance of one answer throughout: sum over answers of (its share among the turf's other answers)^n
    turf_counts = counts.groupby(out["turf"].to_numpy()).transform("sum").to_numpy()
    elsewhere = np.where(n_in_turf.to_numpy()[:, None] > 1, turf_counts, counts.sum().to_numpy()[None, :])
    elsewhere = elsewhere - counts.to_numpy()
    shares = elsewhere / np.maximum(elsewhere.sum(axis=1, keepdims=True), 1)
    n_ids = counts.to_numpy().sum(axis=1)
    one_answer = out["top_answer_share"].eq(1.0).to_numpy()
    out["p_identical"] = np.where(one_answer, (shares ** n_ids[:, None]).sum(axis=1), 1.0)

    adj = {}
    for name in ("p_contacts", "p_yes"):
        p = out[name].to_numpy(dtype=float)
        adj[name] = multipletests(p, method="holm")[1] if len(p) else p
    out["rapid"] = (out["median_gap_s"].lt(rapid_seconds) & out["attempts"].ge(min_attempts_rapid)).to_numpy()
    out["inflated"] = (adj["p_contacts"] < alpha) | (adj["p_yes"] < alpha)
    out["identical"] = ((out["ids"] >= min_ids_identical).to_numpy() & one_answer
                        & (out["p_identical"] < identical_alpha).to_numpy())
    out["removed"] = out["removed_canvassed"].gt(0).to_numpy()
    kinds = ["rapid", "inflated", "identical", "removed"]
    out["suspect"] = out[kinds].any(axis=1)
    flags = out[kinds].to_numpy()
    out["reasons"] = [";".join(k for k, f in zip(kinds, row, strict=True) if f) for row in flags]
    out.index.name = shift
    return out
