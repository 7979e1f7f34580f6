"""Find registrations of the same person under different IDs, and keep one per person.

The same person can be registered twice: a new ID at the next number, a nickname
("BILL" for "WILLIAM"), a middle initial for a middle name, a move across the county.
``flag_duplicate_registrations`` compares only records that share a blocking key (sound of
the last name + birth year + first name; + ZIP; or the same address), scores each pair
on names, birth year, sex, suffix, address, ZIP and phone, and links pairs above a threshold
into groups. ``resolve_duplicates`` keeps one registration per group and sets the others
aside with a reason.

>>> import pandas as pd
>>> voters = pd.DataFrame({
...     "ncid": ["AL1", "AL2", "AL3", "AL4"],
...     "first_name": ["WILLIAM", "BILL", "WILLIAM", "ANN"],
...     "middle_name": ["JOHN", "J", "PETER", "MAE"],
...     "last_name": ["HOLT", "HOLT", "HOLT", "HOLT"],
...     "name_suffix_lbl": [None, None, None, None],
...     "birth_year": ["1970", "1970", "1970", "1972"],
...     "gender_code": ["M", "M", "M", "F"],
...     "res_street_address": ["1 OAK ST", "1 OAK ST", "9 ELM ST", "1 OAK ST"],
...     "zip_code": ["00301", "00301", "00305", "00301"],
...     "full_phone_number": [None, None, None, None],
...     "registr_dt": ["01/02/1990", "05/06/2020", "03/03/2003", "01/02/1990"],
...     "status_cd": ["A", "A", "A", "A"]})
>>> flagged, report = flag_duplicate_registrations(voters)
>>> flagged["duplicate_group"].tolist()
['AL1', 'AL1', nan, nan]
>>> kept, report = resolve_duplicates(flagged)
>>> kept["ncid"].tolist(), report.set_aside[["ncid", "kept_id", "reason"]].values.tolist()
(['AL2', 'AL3', 'AL4'], [['AL1', 'AL2', 'duplicate registration: kept the latest of its group']])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.blocking import jaro_winkler, self_pairs
from campaignlab.voterfile.dates import birth_years
from campaignlab.voterfile.names import (
    NAME_EQUIVALENTS,
    canonical_first_name,
    matching_key,
    phonetic_key,
    split_suffix,
)
from campaignlab.voterfile.report import StepReport, empty_aside, reasons_frame, require_columns

__all__ = ["flag_duplicate_registrations", "resolve_duplicates", "score_pairs"]

#: Default column names (NC ncvoter).
NC_COLUMNS = {
    "id": "ncid", "first": "first_name", "middle": "middle_name", "last": "last_name",
    "suffix": "name_suffix_lbl", "birth_year": "birth_year", "gender": "gender_code",
    "address": "res_street_address", "zip": "zip_code", "phone": "full_phone_number",
}  # fmt: skip
PRIOR = -8.0  # log-odds that two records sharing a block are one person, before evidence


def _text(s: pd.Series | None, n: int, index) -> pd.Series:
    if s is None:
        return pd.Series(pd.NA, index=index, dtype="str")
    return matching_key(s)  # ASCII: ANDRÉS and ANDRES compare equal; the display name is untouched


def _prepare(frame: pd.DataFrame, cols: dict[str, str | None], as_of_year: int) -> pd.DataFrame:
    """The comparison fields: ASCII matching keys (upper case, accents folded, nicknames resolved)."""
    get = lambda k: frame[cols[k]] if cols.get(k) else None  # noqa: E731
    n, idx = len(frame), frame.index
    p = pd.DataFrame(index=idx)
    p["first"] = _text(get("first"), n, idx)
    p["middle"] = _text(get("middle"), n, idx)
    p["last"] = _text(get("last"), n, idx)
    sfx = _text(get("suffix"), n, idx)
    tail = split_suffix(p["last"])
    p["last"] = p["last"].where(tail[0].isna(), tail[0])
    p["suffix"] = sfx.str.replace(".", "", regex=False).where(sfx.notna(), tail[1]).astype("str")
    p["first_canon"] = canonical_first_name(p["first"])
    p["last_key"] = phonetic_key(p["last"])
    p["name_count"] = p.groupby(["first_canon", "last"], dropna=False)["last"].transform("size").to_numpy()
    if cols.get("birth_year"):
        by = birth_years(frame[cols["birth_year"]])[0].astype("Float64")  # a year, or a birth date (Ohio)
        by = by.where((as_of_year - by).between(16, 110))
        p["birth_year"] = pd.array(by, dtype="Int64")
    else:
        p["birth_year"] = pd.array([pd.NA] * n, dtype="Int64")
    g = _text(get("gender"), n, idx)
    p["gender"] = g.where(g.isin(["F", "M"]))
    addr = _text(get("address"), n, idx)
    p["address"] = addr.where(~addr.isin(["REMOVED", "CONFIDENTIAL"]))
    z = get("zip")
    p["zip5"] = (z.astype("str").str.replace(r"[^0-9]", "", regex=True).str[:5] if z is not None else _text(None, n, idx))
    p["zip5"] = p["zip5"].where(p["zip5"].str.len() == 5)
    ph = get("phone")
    ph = ph.astype("str").str.replace(r"[^0-9]", "", regex=True).str[-10:] if ph is not None else _text(None, n, idx)
    p["phone"] = ph.where(ph.str.len() == 10)
    return p.reset_index(drop=True)


def _codes(s: pd.Series) -> np.ndarray:
    return pd.factorize(s, use_na_sentinel=True)[0]


def score_pairs(p: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds evidence and a short description for the pairs ``(i[k], j[k])`` of ``p``.

    Weights are hand-set (a Fellegi-Sunter style sum): agreement on a rare thing counts,
    disagreement on birth year, first name or suffix counts heavily against. Equality is
    tested on integer codes, so a million pairs cost a few numpy operations.
    """
    n = len(i)
    w = np.zeros(n)
    labels: list[tuple[np.ndarray, str]] = []

    def add(mask, weight, label=None):
        nonlocal w
        w = w + np.where(mask, weight, 0.0)
        if label:
            labels.append((mask, label))

    def codes(col):
        c = _codes(p[col])
        return c[i], c[j]

    def eq(col):
        ca, cb = codes(col)
        return (ca == cb) & (ca >= 0), (ca >= 0) & (cb >= 0)

    def text(col):
        v = p[col].to_numpy(dtype=object)
        return pd.Series(v[i], dtype="str"), pd.Series(v[j], dtype="str")

    fa, fb = text("first")
    f_eq, _ = eq("first")
    f_canon = eq("first_canon")[0] & ~f_eq
    pair = fa.fillna("") + "|" + fb.fillna("")
    f_nick = pair.isin(NAME_EQUIVALENTS_KEYS).to_numpy() & ~f_eq & ~f_canon
    f_jw = jaro_winkler(fa, fb)
    la_, lb_ = fa.str.len().fillna(0).to_numpy(), fb.str.len().fillna(0).to_numpy()
    f_init = ((la_ == 1) | (lb_ == 1)) & (fa.str[:1] == fb.str[:1]).fillna(False).to_numpy()
    f_typo = ~f_eq & ~f_canon & ~f_nick & ~f_init & (f_jw >= 0.9)
    f_other = ~(f_eq | f_canon | f_nick | f_init | f_typo)
    add(f_eq, 4.0, "first")
    add(f_canon | f_nick, 3.5, "nickname")
    add(f_init, 0.5)
    add(f_typo, 1.5, "first~")
    add(f_other, -6.0)

    l_eq, _ = eq("last")
    la, lb = text("last")
    l_jw = np.where(l_eq, 1.0, jaro_winkler(la, lb))
    add(l_eq, 4.0, "last")
    add(~l_eq & (l_jw >= 0.92), 1.0, "last~")
    add(~l_eq & (l_jw < 0.92), -6.0)

    m_eq, m_both = eq("middle")
    ma, mb = text("middle")
    short = (ma.str.len() == 1).fillna(False).to_numpy() | (mb.str.len() == 1).fillna(False).to_numpy()
    m_init = m_both & ~m_eq & short & (ma.str[:1] == mb.str[:1]).fillna(False).to_numpy()
    add(m_eq, 3.0, "middle")
    add(m_init, 1.5, "middle-initial")
    add(m_both & ~m_eq & ~m_init, -5.0)

    y_eq, y_both = eq("birth_year")
    add(y_eq, 3.0, "birth-year")
    add(y_both & ~y_eq, -8.0)

    g_eq, g_both = eq("gender")
    add(g_eq, 0.5)
    add(g_both & ~g_eq, -3.0)

    s_eq, s_both = eq("suffix")
    sa, sb = codes("suffix")
    add(s_eq, 1.0, "suffix")
    add(s_both & ~s_eq, -8.0)
    add((sa >= 0) != (sb >= 0), -1.0)

    a_eq, a_both = eq("address")
    add(a_eq, 2.5, "address")
    add(a_both & ~a_eq, -1.5)
    z_eq, z_both = eq("zip5")
    add(z_eq, 0.5, "zip")
    add(z_both & ~z_eq, -0.5)
    add(eq("phone")[0], 1.5, "phone")
    if "name_count" in p.columns:  # common names agree by chance more often
        nc = p["name_count"].to_numpy()
        common = np.maximum(np.minimum(nc[i], nc[j]) - 1, 1)
        add(np.ones(n, dtype=bool), -0.7 * np.log2(common))
    ev = np.full(n, "", dtype=object)
    for mask, label in labels:
        ev = np.where(mask, ev + label + " ", ev)
    return w, pd.Series(ev, dtype="str").str.strip().to_numpy(dtype=object)


NAME_EQUIVALENTS_KEYS = frozenset(f"{x}|{y}" for x, y in NAME_EQUIVALENTS)


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(pairs):
        return np.arange(n)
    g = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(g, directed=False)[1]


def flag_duplicate_registrations(
    voters: pd.DataFrame,
    *,
    id: str = "ncid",
    first: str = "first_name",
    middle: str | None = "middle_name",
    last: str = "last_name",
    suffix: str | None = "name_suffix_lbl",
    birth_year: str | None = "birth_year",
    gender: str | None = "gender_code",
    address: str | None = "res_street_address",
    zip: str | None = "zip_code",
    phone: str | None = "full_phone_number",
    threshold: float = 0.9,
    as_of_year: int | None = None,
    out: str = "duplicate_group",
    max_block: int = 1000,
    method: str = "rules",
) -> tuple[pd.DataFrame, StepReport]:
    """Flag registrations that look like the same person; add a group ID and a match score.

    Candidate pairs come from three blocking passes (sound of last name + birth year + first
    name with nicknames resolved; sound of last name + birth year + ZIP + first initial;
    sound of last name + street address + first initial), so the work grows with the file, not with its square. Each pair gets
    a score (0-1) from names, birth year, sex, suffix, address, ZIP and phone; pairs at or
    above ``threshold`` are linked, and linked registrations form a group.

    Args:
        voters: the voter file (not modified). Raw or normalised columns both work: names,
            ZIPs and phones are tidied internally for comparison only.
        id ... phone: column names (NC defaults); ``None`` for a column your layout lacks.
        threshold: minimum pair score to link (0.9 reached >= 0.95 precision on the course
            data; lower it to find more, at the price of false links).
        as_of_year: year ages are computed at (impossible birth years are ignored);
            default: this year.
        out: group column: the smallest ID of the group (missing for registrations with no
            duplicate); ``f"{out}_score"`` holds the best score linking the row.
        method: ``"rules"`` (the default, what Module 01 teaches), or ``"splink"``: the rules'
            pairs plus the pairs of one person under two surnames found by splink
            (:mod:`campaignlab.voterfile.same_person`), which the rules never compare.
            On the synthetic county it finds about half of the name changes the rules miss,
            at a precision above 0.99 (``bench/bench_dedupe.py``); it takes a few seconds more
            per 50,000 registrations.

    Returns:
        ``(voters with the two columns, report)``; nothing is set aside here (see
        :func:`resolve_duplicates`). ``report.details["pairs"]`` lists every scored
        candidate pair (id_a, id_b, score, evidence, linked).

    >>> flag_duplicate_registrations(pd.DataFrame({"ncid": ["AL1"]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "flag_duplicate_registrations: columns 'first_name' (parameter first=), 'middle_name' (parameter middle=), ... 'full_phone_number' (parameter phone=) are not in the data. Columns found: ['ncid']. Map your layout's columns with first='<your column>', ..., phone='<your column>'."
    """
    cols = {"id": id, "first": first, "middle": middle, "last": last, "suffix": suffix,
            "birth_year": birth_year, "gender": gender, "address": address, "zip": zip, "phone": phone}  # fmt: skip
    require_columns(voters, cols, "flag_duplicate_registrations")
    if not 0 < threshold < 1:
        raise ValueError(f"flag_duplicate_registrations: threshold is a score between 0 and 1, got {threshold!r}")
    if method not in ("rules", "splink"):
        raise ValueError(f"flag_duplicate_registrations: method is 'rules' or 'splink', got {method!r}")
    if voters[id].isna().any():
        raise ValueError(f"flag_duplicate_registrations: {int(voters[id].isna().sum())} rows have no {id!r}")
    if voters[id].duplicated().any():
        raise ValueError(f"flag_duplicate_registrations: {id!r} is not unique; every registration needs its own ID")
    as_of_year = as_of_year or pd.Timestamp.today().year
    p = _prepare(voters, cols, as_of_year)
    p["first_init"] = p["first"].str[:1]
    passes = [["last_key", "birth_year", "first_canon"], ["last_key", "birth_year", "zip5", "first_init"],
              ["last_key", "address", "first_init"]]  # fmt: skip
    pairs = self_pairs(p, passes, max_block=max_block)
    logit, evidence = score_pairs(p, pairs[:, 0], pairs[:, 1])
    score = 1.0 / (1.0 + np.exp(-(logit + PRIOR)))
    linked = score >= threshold
    if method == "splink":
        from campaignlab.voterfile.same_person import surname_change_pairs

        extra = surname_change_pairs(voters, cols, as_of_year=as_of_year)
        ordered = np.sort(pairs, axis=1).astype(np.int64)
        known = ordered[:, 0] * len(p) + ordered[:, 1]  # ("zip" is a column parameter here)
        new = extra[~np.isin(extra["i"].to_numpy(dtype=np.int64) * len(p) + extra["j"].to_numpy(dtype=np.int64), known)]
        pairs = np.concatenate([pairs, new[["i", "j"]].to_numpy(dtype=np.int64).reshape(-1, 2)])
        score = np.concatenate([score, new["score"].to_numpy(dtype=float)])
        evidence = np.concatenate([np.asarray(evidence, dtype=object),
                                   ("splink: " + new["evidence"].astype("str")).to_numpy(dtype=object)])
        linked = np.concatenate([linked, np.ones(len(new), dtype=bool)])
    comp = _components(len(p), pairs[linked])
    ids = voters[id].astype("str").to_numpy()
    size = np.bincount(comp)
    in_group = size[comp] > 1
    group_id = pd.Series(ids).groupby(comp).transform("min").to_numpy()
    best = np.zeros(len(p))
    lp = pairs[linked]
    np.maximum.at(best, lp[:, 0], score[linked])
    np.maximum.at(best, lp[:, 1], score[linked])
    result = voters.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = pd.array(np.where(in_group, group_id, None), dtype="str")
    result[f"{out}_score"] = np.where(in_group, best.round(4), np.nan)
    details = pd.DataFrame(
        {"id_a": ids[pairs[:, 0]], "id_b": ids[pairs[:, 1]], "score": score.round(4),
         "evidence": pd.array(evidence, dtype="str"), "linked": linked}  # fmt: skip
    )
    n_groups = int((size > 1).sum())
    flags = {
        "registrations in a duplicate group": int(in_group.sum()),
        f"duplicate groups ({int(size.max(initial=0))} registrations in the largest)": n_groups,
        "candidate pairs scored": len(pairs),
    }
    if method == "splink":
        flags["pairs under two surnames linked by splink"] = len(new)
    report = StepReport("flag_duplicate_registrations", len(voters), len(voters), empty_aside(voters),
                        {}, flags, details={"pairs": details})  # fmt: skip
    return result, report


#: Status -> preference when two registrations are one person (NC codes; Ohio and others in words).
STATUS_RANK = {"A": 0, "ACTIVE": 0, "S": 1, "TEMPORARY": 1, "I": 2, "INACTIVE": 2, "CONFIRMATION": 2,
               "D": 3, "DENIED": 3, "R": 4, "REMOVED": 4}  # fmt: skip


def resolve_duplicates(
    voters: pd.DataFrame,
    *,
    group: str = "duplicate_group",
    id: str = "ncid",
    date: str = "registr_dt",
    date_format: str = "%m/%d/%Y",
    status: str | None = "status_cd",
    prefer_active: bool = True,
) -> tuple[pd.DataFrame, StepReport]:
    """Keep one registration per duplicate group; set the others aside with a reason.

    The kept registration is the latest one (practitioners' rule: the newest registration
    carries the current address); with ``prefer_active`` an active registration wins over an
    inactive or removed one first. Ties go to the higher ID. Rows with no group are kept.

    Args:
        voters: output of :func:`flag_duplicate_registrations` (not modified).
        group: the group column.
        date: registration date: a datetime column (``parse_registration_dates``) or text
            in ``date_format``; unreadable dates count as oldest.
        status: status column (A active ... R removed), or ``None``.

    Returns:
        ``(one row per person, report)``; ``report.set_aside`` has the dropped registrations
        with ``kept_id`` (the registration kept instead) and ``reason`` (a better status, or
        the latest of its group). Pass it to :func:`~campaignlab.voterfile.history.carry_history_over`
        to move their votes to the kept registration.

    >>> resolve_duplicates(pd.DataFrame({"ncid": ["AL1"], "registr_dt": ["01/01/2000"]}), status=None)
    Traceback (most recent call last):
    ...
    KeyError: "resolve_duplicates: column 'duplicate_group' (parameter group=) is not in the data. Columns found: ['ncid', 'registr_dt']. Map your layout's column with group='<your column>'. Run flag_duplicate_registrations first."
    """
    try:
        require_columns(voters, {"group": group, "id": id, "date": date, "status": status}, "resolve_duplicates")
    except KeyError as err:
        if group not in voters.columns:
            raise KeyError(err.args[0] + " Run flag_duplicate_registrations first.") from None
        raise
    d = voters[date]
    if not pd.api.types.is_datetime64_any_dtype(d.dtype):
        d = pd.to_datetime(d.astype("str"), format=date_format, errors="coerce")
    pos = np.arange(len(voters))
    g = voters[group].to_numpy(dtype=object)
    in_group = voters[group].notna().to_numpy()
    sub = pd.DataFrame(
        {
            "pos": pos[in_group],
            "g": g[in_group].astype(str),
            "rank": (pd.Series(voters[status].to_numpy(dtype=object)[in_group], dtype="str").str.strip().str.upper()
                     .map(STATUS_RANK).fillna(9).to_numpy() if status and prefer_active else 0),
            "date": d.to_numpy()[in_group],
            "id": voters[id].astype("str").to_numpy()[in_group],
        }
    )
    sub = sub.sort_values(["g", "rank", "date", "id"], ascending=[True, True, False, False], na_position="last")
    first = ~sub["g"].duplicated()
    kept_id = sub.loc[first].set_index("g")["id"]
    drop_pos = sub.loc[~first, "pos"].to_numpy()
    keep = np.ones(len(voters), dtype=bool)
    keep[drop_pos] = False
    aside = voters.iloc[drop_pos].copy()
    aside["kept_id"] = pd.array(kept_id.reindex(sub.loc[~first, "g"]).to_numpy(), dtype="str")
    kept_rank = sub.loc[first].set_index("g")["rank"].reindex(sub.loc[~first, "g"]).to_numpy()
    better = kept_rank < sub.loc[~first, "rank"].to_numpy()
    why = np.where(better, "duplicate registration: kept one with a better status (active first)",
                   "duplicate registration: kept the latest of its group")  # fmt: skip
    aside = reasons_frame(aside, pd.Series(why, dtype="str"))
    result = voters[keep]  # a boolean filter: much faster than a take on arrow text columns
    report = StepReport("resolve_duplicates", len(voters), len(result), aside,
                        flags={"groups resolved": int(first.sum())})  # fmt: skip
    return result, report
