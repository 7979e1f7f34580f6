"""Match an outside list (sign-ups, donors, an Action Network export) to the voter file.

Every list row gets the best-scoring voter among those that share a blocking key with it
(last-name sound + ZIP; full name; phone; address; first name + ZIP), a match score (0-1)
and the evidence used. Rows without a confident, unambiguous match are set aside with a reason,
so ``report`` tells you how many sign-ups you could not find and why.

>>> import pandas as pd
>>> voters = pd.DataFrame({"ncid": ["AL1", "AL2", "AL3"], "first_name": ["WILLIAM", "ANN", "ANN"],
...     "middle_name": ["J", None, None], "last_name": ["HOLT", "REYES", "REYES"],
...     "zip_code": ["00301", "00302", "00309"], "full_phone_number": ["9195550100", None, None],
...     "res_street_address": ["1 OAK ST", "2 ELM ST", "9 ASH CT"], "res_city_desc": ["ALDER"] * 3})
>>> signups = pd.DataFrame({"uuid": ["u1", "u2", "u3"], "first_name": ["Bill", "Ann", "Zed"],
...     "last_name": ["Holt", "Reyes", "Quill"], "zip_code": ["301", None, "00301"],
...     "can2_phone": ["(919) 555-0100", None, None], "can2_user_address": [None, None, None],
...     "can2_user_city": [None, None, None]})
>>> matched, report = match_list(signups, voters)
>>> matched[["uuid", "ncid", "match_evidence"]].values.tolist()
[['u1', 'AL1', 'nickname last zip phone']]
>>> report.set_aside[["uuid", "reason"]].values.tolist()
[['u2', 'best candidate scores below the threshold'], ['u3', 'no voter with a similar name']]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from campaignlab.voterfile.addresses import _address_parts
from campaignlab.voterfile.blocking import cross_pairs, jaro_winkler
from campaignlab.voterfile.duplicates import NAME_EQUIVALENTS_KEYS
from campaignlab.voterfile.names import (
    canonical_first_name,
    matching_key,
    phonetic_key,
    split_suffix,
)
from campaignlab.voterfile.phones import _phone_parts
from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns
from campaignlab.voterfile.zips import _by_unique, _zip_parts

__all__ = ["match_list", "LIST_COLUMNS", "VOTER_COLUMNS"]

#: Default list columns (Action Network export). ``None`` = the list lacks it.
LIST_COLUMNS = {"id": "uuid", "first": "first_name", "last": "last_name", "zip": "zip_code",
                "phone": "can2_phone", "address": "can2_user_address", "city": "can2_user_city"}  # fmt: skip
#: Default voter-file columns (NC ncvoter). ``group`` (optional): a duplicate-group column;
#: registrations of one group are one person, never "ambiguous" between themselves.
VOTER_COLUMNS = {"id": "ncid", "first": "first_name", "middle": "middle_name", "last": "last_name",
                 "zip": "zip_code", "phone": "full_phone_number", "address": "res_street_address",
                 "city": "res_city_desc", "group": None}  # fmt: skip
PRIOR = -5.5


def _prep(frame: pd.DataFrame, cols: Mapping[str, str | None]) -> pd.DataFrame:
    idx = frame.index
    none = pd.Series(pd.NA, index=idx, dtype="str")
    get = lambda k: frame[cols[k]].astype("str") if cols.get(k) else none  # noqa: E731
    p = pd.DataFrame(index=idx)
    # ASCII matching keys (accents folded): a list's ANDRES meets the file's ANDRÉS
    p["first"] = matching_key(get("first"))
    p["middle"] = matching_key(get("middle"))
    last = matching_key(get("last"))
    tail = split_suffix(last)
    p["last"] = last.where(tail[0].isna(), tail[0])
    p["first_canon"] = canonical_first_name(p["first"])
    p["last_key"] = phonetic_key(p["last"])
    p["zip5"] = pd.array(_by_unique(get("zip"), _zip_parts)[0], dtype="str") if cols.get("zip") else none
    if cols.get("phone"):
        p["phone"] = pd.array(_by_unique(get("phone"), lambda u: _phone_parts(u, "US", None))[0], dtype="str")
    else:
        p["phone"] = none
    if cols.get("address"):
        number, street, unit, std, issue = _by_unique(get("address"), _address_parts)
        p["address"] = pd.array(np.where(pd.isna(street), None, std), dtype="str")
        p["street"] = pd.array(street, dtype="str")
    else:
        p["address"] = p["street"] = none
    p["city"] = matching_key(get("city"))
    return p.reset_index(drop=True)


def _eq(a: pd.Series, b: pd.Series) -> np.ndarray:
    return (a.to_numpy() == b.to_numpy()) & a.notna().to_numpy() & b.notna().to_numpy()


def _both(a: pd.Series, b: pd.Series) -> np.ndarray:
    return (a.notna() & b.notna()).to_numpy()


def _score(a: pd.DataFrame, b: pd.DataFrame, zips: set, cities: set) -> tuple[np.ndarray, np.ndarray]:
    n = len(a)
    w = np.zeros(n)
    ev = np.full(n, "", dtype=object)

    def add(mask, weight, label=None):
        nonlocal w, ev
        w = w + np.where(mask, weight, 0.0)
        if label:
            ev = np.where(mask, ev + label + " ", ev)

    f_eq = _eq(a["first"], b["first"])
    f_canon = _eq(a["first_canon"], b["first_canon"]) & ~f_eq
    pair = pd.Series(a["first"].fillna("").to_numpy(dtype=object) + "|" + b["first"].fillna("").to_numpy(dtype=object))
    f_nick = pair.isin(NAME_EQUIVALENTS_KEYS).to_numpy() & ~f_eq & ~f_canon
    f_mid = _eq(a["first"], b["middle"]) & ~f_eq & ~f_canon & ~f_nick
    f_jw = jaro_winkler(a["first"], b["first"])
    f_typo = ~(f_eq | f_canon | f_nick | f_mid) & (f_jw >= 0.88)
    f_other = ~(f_eq | f_canon | f_nick | f_mid | f_typo)
    add(f_eq, 4.0, "first")
    add(f_canon | f_nick, 3.5, "nickname")
    add(f_mid, 2.5, "middle-as-first")
    add(f_typo, 2.0, "first~")
    add(f_other, -5.0)

    l_eq = _eq(a["last"], b["last"])
    l_jw = jaro_winkler(a["last"], b["last"])
    add(l_eq, 4.5, "last")
    add(~l_eq & (l_jw >= 0.9), 2.0, "last~")
    add(~l_eq & (l_jw < 0.9), -6.0)

    z_eq = _eq(a["zip5"], b["zip5"])
    add(z_eq, 2.0, "zip")
    add(_both(a["zip5"], b["zip5"]) & ~z_eq, -0.25)
    add(a["zip5"].notna().to_numpy() & ~a["zip5"].isin(zips).to_numpy(), -3.0)
    ad_eq = _eq(a["address"], b["address"])
    st_eq = _eq(a["street"], b["street"]) & ~ad_eq
    add(ad_eq, 4.0, "address")
    add(st_eq, 1.0, "street")
    add(_both(a["address"], b["address"]) & ~ad_eq & ~st_eq, -0.25)
    ph_eq = _eq(a["phone"], b["phone"])
    add(ph_eq, 3.0, "phone")
    add(_both(a["phone"], b["phone"]) & ~ph_eq, -0.5)
    c_eq = _eq(a["city"], b["city"])
    add(c_eq, 0.5)
    add(a["city"].notna().to_numpy() & ~a["city"].isin(cities).to_numpy(), -3.0)
    # how many voters carry this name: a common name alone proves little
    # (counted among voters in the same ZIP when the ZIP agrees; none when the address does)
    common = np.where(z_eq, b["name_zip_count"].to_numpy(), b["name_count"].to_numpy())
    common = np.where(ad_eq, 1, np.maximum(common, 1))
    add(np.ones(n, dtype=bool), -1.0 * np.log2(common))
    return w, np.char.strip(ev.astype(str))


def match_list(
    people: pd.DataFrame,
    voters: pd.DataFrame,
    *,
    list_columns: Mapping[str, str | None] | None = None,
    voter_columns: Mapping[str, str | None] | None = None,
    threshold: float = 0.9,
    margin: float = 2.0,
    max_block: int = 500,
) -> tuple[pd.DataFrame, StepReport]:
    """Find each list row's voter; return matched rows with the voter ID and a match score.

    Args:
        people: the outside list (not modified).
        voters: the voter file (not modified); run :func:`resolve_duplicates` first, or give
            its duplicate-group column as ``voter_columns["group"]``.
        list_columns: overrides of :data:`LIST_COLUMNS` (Action Network defaults): keys
            id, first, last, zip, phone, address, city.
        voter_columns: overrides of :data:`VOTER_COLUMNS` (NC defaults): keys id, first,
            middle, last, zip, phone, address, city, group.
        threshold: minimum match score (0-1) to accept.
        margin: the best voter must beat any other person's voter by this many log-odds
            points (about a factor e**margin), else the row is "ambiguous".
        max_block: skip blocking keys shared by more voters than this (such as a shared phone).

    Returns:
        ``(matched rows with voter id column, "match_score", "match_evidence"; report)``.
        ``report.set_aside`` has the unmatched rows with ``reason``, ``best_candidate`` and
        ``best_score`` for a human to review.

    >>> match_list(pd.DataFrame({"uuid": ["u1"]}), pd.DataFrame({"ncid": ["AL1"]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "match_list (list): columns 'first_name' (parameter first=), 'last_name' (parameter last=), ... are not in the data. Columns found: ['uuid']. Map your layout's columns with first='<your column>', ..."
    """
    lcols = {**LIST_COLUMNS, **(list_columns or {})}
    vcols = {**VOTER_COLUMNS, **(voter_columns or {})}
    for cols, which in ((lcols, LIST_COLUMNS), (vcols, VOTER_COLUMNS)):
        unknown = set(cols) - set(which)
        if unknown:
            raise ValueError(f"match_list: unknown column keys {sorted(unknown)}; use {sorted(which)}")
    require_columns(people, lcols, "match_list (list)")
    require_columns(voters, vcols, "match_list (voters)")
    if not 0 < threshold < 1:
        raise ValueError(f"match_list: threshold is a score between 0 and 1, got {threshold!r}")
    vid = vcols["id"]
    L = _prep(people, lcols)
    V = _prep(voters, vcols)
    V["name_count"] = V.groupby(["first_canon", "last"], dropna=False)["last"].transform("size").to_numpy()
    V["name_zip_count"] = V.groupby(["first_canon", "last", "zip5"], dropna=False)["last"].transform("size").to_numpy()
    V["group"] = voters[vcols["group"]].astype("str").to_numpy() if vcols.get("group") else voters[vid].astype("str").to_numpy()
    V["group"] = V["group"].where(V["group"].notna(), voters[vid].astype("str").to_numpy())
    V["first_init"] = V["first"].str[:1]
    L["first_init"] = L["first"].str[:1]
    passes = [["last_key", "zip5"], ["first_canon", "last_key"], ["phone", "first_init"], ["address"],
              ["first_canon", "zip5"], ["last", "first_init"]]  # fmt: skip
    pairs = cross_pairs(L, V, passes, max_block=max_block)
    a = L.iloc[pairs[:, 0]].reset_index(drop=True)
    b = V.iloc[pairs[:, 1]].reset_index(drop=True)
    zips = set(V["zip5"].dropna().unique())
    cities = set(V["city"].dropna().unique())
    w, ev = _score(a, b, zips, cities)
    cand = pd.DataFrame({"i": pairs[:, 0], "j": pairs[:, 1], "w": w, "ev": ev, "g": b["group"].to_numpy()})
    cand = cand.sort_values(["i", "w"], ascending=[True, False], kind="stable")
    best = cand.drop_duplicates("i")
    # second best among other people (other duplicate groups)
    others = cand.merge(best[["i", "g"]].rename(columns={"g": "best_g"}), on="i")
    second = others[others["g"] != others["best_g"]].drop_duplicates("i").set_index("i")["w"]
    n = len(people)
    best_w = np.full(n, -1e9)
    best_w[best["i"].to_numpy()] = best["w"].to_numpy()
    best_j = np.full(n, -1)
    best_j[best["i"].to_numpy()] = best["j"].to_numpy()
    best_ev = np.full(n, "", dtype=object)
    best_ev[best["i"].to_numpy()] = best["ev"].to_numpy()
    second_w = np.full(n, -1e9)
    second_w[second.index.to_numpy()] = second.to_numpy()
    score = 1.0 / (1.0 + np.exp(-np.clip(best_w + PRIOR, -50, 50)))
    has = best_j >= 0
    ok = has & (score >= threshold) & (best_w - second_w >= margin)
    reason = np.where(~has, "no voter with a similar name", None)
    reason = np.where(has & (score < threshold), "best candidate scores below the threshold", reason)
    reason = np.where(has & (score >= threshold) & (best_w - second_w < margin),
                      "ambiguous: another voter scores as well", reason)  # fmt: skip
    ids = voters[vid].astype("str").to_numpy()
    cand_id = np.where(has, ids[np.maximum(best_j, 0)], None)
    result = people.iloc[np.flatnonzero(ok)].copy()
    result[vid if vid not in people.columns else f"{vid}_voter"] = pd.array(cand_id[ok], dtype="str")
    result["match_score"] = score[ok].round(4)
    result["match_evidence"] = pd.array(best_ev[ok], dtype="str")
    aside = people.iloc[np.flatnonzero(~ok)].copy()
    aside["best_candidate"] = pd.array(cand_id[~ok], dtype="str")
    aside["best_score"] = np.where(has[~ok], score[~ok].round(4), np.nan)
    aside = reasons_frame(aside, pd.Series(reason[~ok], dtype="str"))
    flags = {"matched on name alone (no ZIP, address or phone agreement)": int(
        (ok & ~pd.Series(best_ev).str.contains("zip|address|phone|street").to_numpy()).sum())}  # fmt: skip
    report = StepReport("match_list", n, int(ok.sum()), aside, {}, flags,
                        details={"candidates": cand.assign(list_row=cand["i"], voter_id=ids[cand["j"].to_numpy()])})  # fmt: skip
    return result, report
