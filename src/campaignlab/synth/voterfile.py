"""The state voter file in the NCSBE ``ncvoter`` layout (67 columns), with planted defects.

>>> len(NCVOTER_COLUMNS), NCVOTER_COLUMNS[:4]
(67, ['county_id', 'county_desc', 'voter_reg_num', 'ncid'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal
from campaignlab.synth import names, places, text
from campaignlab.synth.history import dictionary
from campaignlab.synth.registrations import VARIATIONS

# layout_ncvoter.txt (NCSBE, rev. 2022-02), in order
NCVOTER_COLUMNS = [
    "county_id", "county_desc", "voter_reg_num", "ncid", "last_name", "first_name",
    "middle_name", "name_suffix_lbl", "status_cd", "voter_status_desc", "reason_cd",
    "voter_status_reason_desc", "res_street_address", "res_city_desc", "state_cd", "zip_code",
    "mail_addr1", "mail_addr2", "mail_addr3", "mail_addr4", "mail_city", "mail_state",
    "mail_zipcode", "full_phone_number", "confidential_ind", "registr_dt", "race_code",
    "ethnic_code", "party_cd", "gender_code", "birth_year", "age_at_year_end", "birth_state",
    "drivers_lic", "precinct_abbrv", "precinct_desc", "municipality_abbrv", "municipality_desc",
    "ward_abbrv", "ward_desc", "cong_dist_abbrv", "super_court_abbrv", "judic_dist_abbrv",
    "nc_senate_abbrv", "nc_house_abbrv", "county_commiss_abbrv", "county_commiss_desc",
    "township_abbrv", "township_desc", "school_dist_abbrv", "school_dist_desc",
    "fire_dist_abbrv", "fire_dist_desc", "water_dist_abbrv", "water_dist_desc",
    "sewer_dist_abbrv", "sewer_dist_desc", "sanit_dist_abbrv", "sanit_dist_desc",
    "rescue_dist_abbrv", "rescue_dist_desc", "munic_dist_abbrv", "munic_dist_desc",
    "dist_1_abbrv", "dist_1_desc", "vtd_abbrv", "vtd_desc",
]  # fmt: skip
PRECINCT_COLUMNS = NCVOTER_COLUMNS[34:67]


@dataclass
class VoterFile:
    """The ncvoter table, the defects planted in it, and per-row keys for the history."""

    table: pa.Table
    defects: pd.DataFrame
    ncid: pa.Array
    voter_reg_num: pa.Array
    precinct: pa.Array  # precinct_abbrv per row
    precinct_idx: np.ndarray
    variation: np.ndarray  # the duplicate's variation as planted ("" for primary rows)


def _pick(mask: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly round(share * len(mask)) rows among ``mask`` (fewer if not enough)."""
    pool = np.flatnonzero(mask)
    k = min(len(pool), int(round(share * len(mask))))
    out = np.zeros(len(mask), bool)
    out[rng.choice(pool, size=k, replace=False)] = True
    return out


def _arrow(values) -> pa.Array:
    arr = pa.array(values, from_pandas=True)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.string()) if pa.types.is_large_string(arr.type) else arr


def _np(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _blank(arr: pa.Array) -> np.ndarray:
    """True where the text is null or empty."""
    return np.asarray(pc.fill_null(pc.equal(arr, ""), True).to_numpy(zero_copy_only=False))


def build_voterfile(people: pd.DataFrame, regs: pd.DataFrame, rng: np.random.Generator) -> VoterFile:
    """Lay out one ncvoter row per registration and plant the defects (recorded in the truth)."""
    n = len(regs)
    pi = regs["person_idx"].to_numpy()
    pi_arr = pa.array(pi)
    is_dup = regs["is_dup"].to_numpy()
    status_code = regs["status_code"].to_numpy()
    variation = np.array(("", *VARIATIONS))[regs["variation_code"].to_numpy() + 1]
    defects: list[pd.DataFrame] = []

    width = max(6, len(str(int(regs["ncid_num"].max()))))
    ncid = pc.binary_join_element_wise("AL", text.zfill(regs["ncid_num"].to_numpy(), width), "")
    reg_num = text.zfill(regs["reg_num"].to_numpy(), 12)

    def record(mask: np.ndarray, defect: str, detail) -> None:
        idx = np.flatnonzero(mask)
        ind = pa.array(idx)
        if isinstance(detail, pa.Array):
            det = _np(pc.take(detail, ind))
        elif isinstance(detail, np.ndarray):
            det = detail[idx]
        else:
            det = np.full(len(idx), detail, dtype=object)
        defects.append(pd.DataFrame({"dataset": "voters", "key": _np(pc.take(ncid, ind)),
                                     "defect": defect, "detail": pd.array(det, dtype="str"),
                                     "_row": idx}))  # fmt: skip

    def col(name: str) -> pa.Array:
        return pc.take(_arrow(people[name]), pi_arr)

    def where(mask: np.ndarray, a, b) -> pa.Array:
        return text.where(mask, a, b)

    first = col("first_name")
    middle = col("middle_name")
    last = col("last_name")
    suffix = col("suffix")

    # new defects draw from a child stream, so the main stream (every older column) is untouched
    extra = rng.spawn(1)[0]
    new_last_code = names.last_name_codes(n, extra)
    u_move, u_maiden = extra.random(n), extra.random(n)

    # duplicate registrations and their variations ----------------------------------------------
    dup_idx = np.flatnonzero(is_dup)
    dup_first = pc.take(first, pa.array(dup_idx))
    keys = pa.array(list(names.DUPLICATE_NICKNAME))
    nick_pos = pc.index_in(dup_first, value_set=keys)
    has_nick = np.zeros(n, bool)
    has_nick[dup_idx] = np.asarray(pc.is_valid(nick_pos).to_numpy(zero_copy_only=False))
    nick_kinds = ["nickname", "nickname_moved"]
    v_nick = is_dup & np.isin(variation, nick_kinds)
    no_nick = v_nick & ~has_nick  # no nickname for this first name: the other half of the variation
    variation = np.where(no_nick, np.where(variation == "nickname", "middle_initial", "moved_address"), variation)
    v_nick = is_dup & np.isin(variation, nick_kinds)
    nick_full = pa.nulls(n, pa.string())
    nick_vals = pc.take(pa.array(list(names.DUPLICATE_NICKNAME.values())), nick_pos)
    nick_full = pc.take(pa.concat_arrays([nick_vals, pa.array([None], pa.string())]),
                        pa.array(np.where(is_dup, np.cumsum(is_dup) - 1, len(dup_idx))))  # fmt: skip
    first = where(v_nick, nick_full, first)
    v_mid = is_dup & (variation == "middle_initial")
    variation = np.where(v_mid & _blank(middle), "exact", variation)
    v_mid = is_dup & (variation == "middle_initial")
    middle = where(v_mid, pc.utf8_slice_codeunits(middle, 0, 1), middle)
    v_case = is_dup & (variation == "name_case")
    # a new surname (marriage): another surname of the vocabulary, sometimes the old one as middle name
    v_name = is_dup & (variation == "name_change")
    last_vocab = names.load_tables().last
    new_last = text.take(last_vocab, new_last_code)
    same = np.asarray(pc.fill_null(pc.equal(new_last, last), False).to_numpy(zero_copy_only=False))
    new_last = where(same, text.take(last_vocab, (new_last_code + 1) % len(last_vocab)), new_last)
    maiden_middle = v_name & (u_maiden < cal.NAME_CHANGE_MAIDEN_MIDDLE)
    middle = where(maiden_middle, last, middle)
    old_last = last
    last = where(v_name, new_last, last)

    # addresses (moved duplicates live somewhere else in the county) -------------------------
    want_move = is_dup & (np.isin(variation, ["moved_address", "nickname_moved"])
                          | (v_name & (u_move < cal.NAME_CHANGE_MOVED)))  # fmt: skip
    regular = np.flatnonzero(people["special"].to_numpy() == "")
    donor = regular[rng.integers(0, len(regular), n)]
    hh = people["household_id"].to_numpy()
    v_move = want_move & (hh[donor] != hh[pi])
    stayed = want_move & ~v_move  # the donor was the same household: no move after all
    variation = np.where(stayed & (variation == "moved_address"), "exact", variation)
    variation = np.where(stayed & (variation == "nickname_moved"), "nickname", variation)
    variation = np.where(v_name & v_move, "name_change_moved", variation)
    home = np.where(v_move, donor, pi)
    home_arr = pa.array(home)

    def at_home(name: str) -> pa.Array:
        return pc.take(_arrow(people[name]), home_arr)

    address, city, zip5, zip4 = at_home("address"), at_home("city"), at_home("zip5"), at_home("zip4")
    pct_idx = people["precinct"].to_numpy()[home].astype(np.int64)

    dup_of = regs["duplicate_of_row"].to_numpy(dtype=float, na_value=np.nan)
    dup_of_row = np.nan_to_num(dup_of, nan=0).astype(np.int64)
    ncid_num = regs["ncid_num"].to_numpy()
    consecutive = is_dup & (ncid_num - 1 == ncid_num[dup_of_row])
    d = dup_idx
    renamed = _np(pc.take(text.join(pc.binary_join_element_wise("; last name", old_last, "->", " "), last),
                          pa.array(d)))  # fmt: skip
    detail = ("duplicate of " + _np(pc.take(ncid, pa.array(dup_of_row[d]))).astype(str) + "; variation="
              + variation[d] + np.where(consecutive[d], "; consecutive id", "")
              + np.where(v_name[d], renamed.astype(str), ""))  # fmt: skip
    full_detail = np.empty(n, dtype=object)
    full_detail[d] = detail
    record(is_dup, "duplicate_registration", full_detail)
    # twins (people.twin_pairs): two people a rule on last name + address + birth year would merge
    twin_of = people["twin_of"].to_numpy() if "twin_of" in people else np.full(len(people), -1)
    prim = np.zeros(len(people), dtype=np.int64)
    prim[pi[~is_dup]] = np.flatnonzero(~is_dup)
    has_twin = np.flatnonzero(twin_of >= 0)
    twin_row = np.zeros(n, bool)
    twin_row[prim[has_twin]] = True
    twin_detail = np.empty(n, dtype=object)
    twin_detail[prim[has_twin]] = ("twin of " + _np(pc.take(ncid, pa.array(prim[twin_of[has_twin]]))).astype(str)
                                   + ": two people, not a duplicate")  # fmt: skip
    record(twin_row, "twin_not_duplicate", twin_detail)

    # case and suffix noise ---------------------------------------------------------------------
    noisy_case = _pick(~is_dup, cal.NAME_CASE, rng) | v_case
    first = where(noisy_case, pc.utf8_title(first), first)
    last = where(noisy_case, pc.utf8_title(last), last)
    record(noisy_case, "name_case", text.join(first, last))
    has_suffix = ~_blank(suffix)
    in_last = _pick(has_suffix, cal.SUFFIX_IN_LAST, rng)
    last = where(in_last, text.join(last, suffix), last)
    record(in_last, "suffix_in_last_name", last)
    suffix = where(in_last, None, suffix)
    jr_sr = np.asarray(pc.fill_null(pc.is_in(suffix, pa.array(["JR", "SR"])), False).to_numpy(zero_copy_only=False))
    dotted = jr_sr & (rng.random(n) < cal.SUFFIX_DOT)
    suffix = where(dotted, pc.binary_join_element_wise(suffix, ".", ""), suffix)
    record(dotted, "suffix_with_period", suffix)

    # status, removed addresses, confidential ----------------------------------------------------
    removed = status_code == list(cal.STATUS_DESC).index("R")
    confidential = (rng.random(n) < cal.CONFIDENTIAL) & ~removed
    record(removed, "removed_address", pc.binary_join_element_wise("reason_cd=", _arrow(regs["reason_cd"]), ""))
    special = people["special"].to_numpy()[pi]
    dorm = (special == "dorm") & ~removed & ~v_move & ~confidential
    record(dorm, "dorm_address", address)
    blank_addr = removed | confidential
    zip9 = rng.random(n) < cal.ZIP9_SHARE
    res_zip = where(zip9, pc.binary_join_element_wise(zip5, zip4, ""), zip5)
    # a ZIP+4 that went through a number somewhere upstream: its leading zeros are gone (7 digits here)
    as_number = _pick(zip9 & ~blank_addr, cal.ZIP_PLUS4_AS_NUMBER, extra)
    record(as_number, "zip_plus4_as_number", pc.binary_join_element_wise("true zip_code ", res_zip, ""))
    res_zip = where(as_number, pc.utf8_ltrim(res_zip, "0"), res_zip)
    mail_kind = rng.random(n)
    mail_same = (mail_kind < cal.MAIL_SAME_AS_RES) & ~blank_addr
    mail_box = (mail_kind >= cal.MAIL_SAME_AS_RES) & (mail_kind < cal.MAIL_SAME_AS_RES + cal.MAIL_PO_BOX) & ~blank_addr
    mail_any = mail_same | mail_box
    po_box = pc.binary_join_element_wise("PO BOX ", pa.array(rng.integers(1, 3000, n)).cast(pa.string()), "")

    # phones ------------------------------------------------------------------------------------
    phone = where(confidential, None, col("phone"))
    present = ~_blank(phone)
    short = _pick(present, cal.PHONE_7_DIGIT * present.mean(), rng)
    phone = where(short, pc.utf8_slice_codeunits(phone, 3), phone)
    record(short, "phone_7_digit", phone)
    vc = pc.value_counts(phone).flatten()
    counts = pc.take(vc[1], pc.index_in(phone, value_set=vc[0]))
    counts = np.asarray(pc.fill_null(counts, 0).to_numpy(zero_copy_only=False))
    shared = present & (counts >= 10)
    record(shared, "phone_shared_10plus",
           pc.binary_join_element_wise(phone, pa.array(counts).cast(pa.string()), " shared by "))  # fmt: skip

    # dates and ages ------------------------------------------------------------------------------
    true_dt = text.format_dates(regs["reg_date"].to_numpy().astype("datetime64[D]"))
    ph1900 = _pick(np.ones(n, bool), cal.PLACEHOLDER_1900, rng)
    big = int(np.bincount(pct_idx, minlength=len(places.precincts())).argmax())
    hashed = _pick((pct_idx == big) & ~ph1900, cal.HASH_DATE, rng)
    reg_dt = where(ph1900, "01/01/1900", true_dt)
    reg_dt = where(hashed, "##/##/####", reg_dt)
    true_txt = pc.binary_join_element_wise("true registr_dt ", true_dt, "")
    record(ph1900, "registr_dt_1900", true_txt)
    record(hashed, "registr_dt_hash", true_txt)
    # day and month swapped (DD/MM/YYYY): unreadable when the day is past 12, silently wrong otherwise
    month, day = pc.utf8_slice_codeunits(true_dt, 0, 2), pc.utf8_slice_codeunits(true_dt, 3, 5)
    differ = np.asarray(pc.not_equal(month, day).to_numpy(zero_copy_only=False))
    swapped = _pick(differ & ~ph1900 & ~hashed, cal.REGDT_DAY_MONTH, extra)
    swapped_dt = pc.binary_join_element_wise(day, month, pc.utf8_slice_codeunits(true_dt, 6, 10), "/")
    reg_dt = where(swapped, swapped_dt, reg_dt)
    record(swapped, "registr_dt_day_month_swapped", true_txt)
    birth_year = people["birth_year"].to_numpy()[pi].astype(np.int64)
    bad_age = _pick(np.ones(n, bool), cal.IMPOSSIBLE_AGE, rng)
    # a placeholder year, or the true year off by a century or two: which ages those give varies by county
    kind = rng.integers(0, len(cal.PLACEHOLDER_BIRTH_YEARS) + len(cal.CENTURY_TYPOS), n)
    fake_year = np.array(cal.PLACEHOLDER_BIRTH_YEARS + tuple(-np.array(cal.CENTURY_TYPOS)))[kind]
    fake_year = np.where(kind < len(cal.PLACEHOLDER_BIRTH_YEARS), fake_year, birth_year + fake_year)
    record(bad_age, "impossible_age", text.join("true birth_year", pa.array(birth_year).cast(pa.string())))
    birth_year = np.where(bad_age, fake_year, birth_year)
    age = cal.YEAR_END - birth_year
    birth_state = where(rng.random(n) < cal.MISSING_BIRTH_STATE, None, col("birth_state"))

    def s(a: pa.Array, blank: np.ndarray | None = None) -> pa.Array:
        m = _blank(a)
        if blank is not None:
            m = m | blank
        return where(m, None, a)

    zeros = np.zeros(n, dtype=np.int32)
    st_codes = list(cal.STATUS_DESC)
    assert st_codes == list(cal.STATUS_SHARES)  # registrations' status codes index both
    st_idx = status_code
    out = {
        "county_id": dictionary([cal.COUNTY_ID], zeros),
        "county_desc": dictionary([cal.COUNTY_DESC], zeros),
        "voter_reg_num": reg_num,
        "ncid": ncid,
        "last_name": s(last),
        "first_name": s(first),
        "middle_name": s(middle),
        "name_suffix_lbl": s(suffix),
        "status_cd": dictionary(st_codes, st_idx),
        "voter_status_desc": dictionary([cal.STATUS_DESC[k] for k in st_codes], st_idx),
        "reason_cd": _arrow(regs["reason_cd"]),
        "voter_status_reason_desc": _arrow(regs["reason_desc"]),
        "res_street_address": where(removed, "REMOVED", s(address, confidential)),
        "res_city_desc": s(city, blank_addr),
        "state_cd": where(blank_addr, None, cal.STATE_CD),
        "zip_code": s(res_zip, blank_addr),
        "mail_addr1": where(mail_box, po_box, s(address, ~mail_same)),
        "mail_addr2": pa.nulls(n, pa.string()),
        "mail_addr3": pa.nulls(n, pa.string()),
        "mail_addr4": pa.nulls(n, pa.string()),
        "mail_city": s(city, ~mail_any),
        "mail_state": where(mail_any, cal.STATE_CD, None),
        "mail_zipcode": s(zip5, ~mail_any),
        "full_phone_number": phone,
        "confidential_ind": where(confidential, "Y", "N"),
        "registr_dt": reg_dt,
        "race_code": col("race"),
        "ethnic_code": col("ethnic"),
        "party_cd": col("party"),
        "gender_code": col("sex"),
        "birth_year": pa.array(birth_year).cast(pa.string()),
        "age_at_year_end": pa.array(age).cast(pa.string()),
        "birth_state": birth_state,
        "drivers_lic": col("drivers_lic"),
    }
    pct = places.precincts()
    for name in PRECINCT_COLUMNS:
        vals = pa.array([v if v != "" else None for v in pct[name].tolist()], pa.string())
        out[name] = dictionary(vals, pct_idx)
    table = pa.table({k: out[k] for k in NCVOTER_COLUMNS})
    defects_df = pd.concat(defects, ignore_index=True)
    precinct = text.take(pct["precinct_abbrv"].tolist(), pct_idx)
    return VoterFile(table, defects_df, ncid, reg_num, precinct, pct_idx, np.where(is_dup, variation, ""))
