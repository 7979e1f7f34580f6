"""Registrations of one person under two surnames, on the splink engine.

The rule-based ``flag_duplicate_registrations`` blocks on the sound of the last name, so a
person who re-registered under a new surname (marriage) is never compared with their old
registration. ``surname_change_pairs`` scores pairs with the same Fellegi-Sunter model as
``link_list`` (splink, DuckDB; m by expectation maximisation, u from a seeded random
sample) on blockings that do not need the last name (the same phone; the same first name,
birth year and sex) besides the rules' own, and keeps the linked pairs whose surnames differ.
``flag_duplicate_registrations(..., method="splink")`` adds them to the rules' pairs.

A pair is linked only when the model is sure (``threshold``) **and** the first names agree
(exactly, as a nickname or a typo), the birth years agree, the sexes do not disagree, and,
with a new surname, the middle names do not disagree and the phone agrees, or the old surname
is now the middle name, or the same middle name is at the same address: housemates (a dorm, a family) share an address and
sometimes a phone, rarely a first name, a birth year and a middle name.

Measured on the generator's planted duplicates (``bench/bench_dedupe.py``, two counties of
50,000): the rules find none of the 81 name changes; with these pairs about half are found
(the others changed surname, address and phone at once, and left no middle name behind),
and precision stays above 0.99.

>>> import pandas as pd
>>> voters = pd.DataFrame({
...     "ncid": ["AL1", "AL2", "AL3", "AL4"], "first_name": ["MARY", "MARY", "ANN", "MARY"],
...     "middle_name": ["JO", "HOLT", "MAE", "JO"], "last_name": ["HOLT", "REYES", "HOLT", "PARK"],
...     "birth_year": ["1980", "1980", "1980", "1981"], "gender_code": ["F", "F", "F", "F"],
...     "res_street_address": ["1 OAK ST", "7 ELM ST", "1 OAK ST", "9 ASH CT"],
...     "zip_code": ["00301", "00305", "00301", "00309"],
...     "full_phone_number": ["9195550100", "9195550100", None, None]})
>>> cols = {"id": "ncid", "first": "first_name", "middle": "middle_name", "last": "last_name",
...         "birth_year": "birth_year", "gender": "gender_code", "address": "res_street_address",
...         "zip": "zip_code", "phone": "full_phone_number"}
>>> surname_change_pairs(voters, cols, as_of_year=2026)[["i", "j", "evidence"]].values.tolist()
[[0, 1, 'first phone birth_year old-surname-as-middle']]
"""

from __future__ import annotations

import logging
import shutil
import tempfile

import numpy as np
import pandas as pd

from campaignlab.voterfile.dates import birth_years
from campaignlab.voterfile.linkage import (
    M_FLOOR,
    _arrow,
    _comparisons,
    _evidence,
    _level,
    _null,
    _prepare,
)

__all__ = ["surname_change_pairs"]

_SAME_FIRST = {"first", "nickname", "first~"}


def _middle_and_sex() -> list[dict]:
    return [
        {"output_column_name": "middle", "comparison_levels": [
            _null("middle"), _level("middle_l = middle_r", "exact", 0.75, 0.01),
            _level("left(middle_l, 1) = left(middle_r, 1)", "initial", 0.15, 0.05),
            _level("middle_l = last_r OR last_l = middle_r", "old surname", 0.03, 0.0002),
            _level("ELSE", "other", 0.07, 0.94)]},
        {"output_column_name": "sex", "comparison_levels": [
            _null("sex"), _level("sex_l = sex_r", "agree", 0.99, 0.5), _level("ELSE", "disagree", 0.01, 0.5)]},
    ]  # fmt: skip


def surname_change_pairs(voters: pd.DataFrame, cols: dict, *, as_of_year: int, threshold: float = 0.95,
                         seed: int = 2026) -> pd.DataFrame:  # fmt: skip
    """Pairs of registrations (row positions ``i < j``) of one person under two surnames.

    ``cols``: role -> column, as ``flag_duplicate_registrations`` takes them. Returns one
    row per linked pair: ``i``, ``j``, ``score`` (match probability) and ``evidence``.
    """
    p = _prepare(voters, {**cols, "city": None, "email": None, "birth_year": None})
    if cols.get("birth_year"):
        by = birth_years(voters[cols["birth_year"]])[0].astype("Float64")  # a year, or a birth date (Ohio)
        p["birth_year"] = pd.array(by.where((as_of_year - by).between(16, 110)).to_numpy(), dtype="Int64")
    g = cols.get("gender")
    sex = voters[g].astype("str").str.strip().str.upper() if g else pd.Series(pd.NA, index=voters.index, dtype="str")
    p["sex"] = pd.array(sex.where(sex.isin(["F", "M"])).to_numpy(), dtype="str")
    if len(p) < 2:
        return pd.DataFrame({"i": [], "j": [], "score": [], "evidence": []})
    pairs, prob, ev, linked, new_last = _score(p, seed, threshold)
    keep = linked & new_last
    return pd.DataFrame({"i": pairs[keep, 0], "j": pairs[keep, 1], "score": prob[keep],
                         "evidence": pd.array(ev[keep], dtype="str")})  # fmt: skip


def _score(p: pd.DataFrame, seed: int, threshold: float):
    """Candidate pairs (i < j), their probability, evidence, and whether they are linked."""
    import duckdb
    import psutil
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = _arrow(p[["unique_id", "first", "first_canon", "first_key", "first_init", "middle", "last", "last_key",
                      "zip5", "phone", "address", "street", "city", "email", "birth_year"]])  # fmt: skip
    import pyarrow as pa

    frame = frame.append_column("sex", pa.array(p["sex"].to_numpy(dtype=object, na_value=None), type=pa.string()))
    have = {"birth_year"} if p["birth_year"].notna().any() else set()
    comps = _comparisons(have) + _middle_and_sex()
    rules = [block_on("first_canon", "last_key", "birth_year"), block_on("last_key", "zip5", "first_init", "birth_year"),
             block_on("address", "first_init"), block_on("phone"), block_on("first_canon", "birth_year", "sex")]  # fmt: skip
    n = len(p)
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comps, blocking_rules_to_generate_predictions=rules,
                               probability_two_random_records_match=min(2.0 / max(n, 2), 0.5), max_iterations=20,
                               em_convergence=0.001, retain_matching_columns=True,
                               retain_intermediate_calculation_columns=False)  # fmt: skip
    spill = tempfile.mkdtemp(prefix="campaignlab-dedupe-")
    con = duckdb.connect()
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    try:
        con.execute(f"SET memory_limit = '{max(1, int(psutil.virtual_memory().total * 0.3 / 1024**3))}GB'")
        con.execute(f"SET temp_directory = '{spill}'")
        db = DuckDBAPI(con)
        table = db.register(frame, table_name="registrations")
        splink_log.setLevel(logging.ERROR)
        linker = Linker(table, settings, log_level=None)
        if n >= 5000:
            linker.training.estimate_u_using_random_sampling(max_pairs=min(2e6, 20.0 * n), seed=seed)
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("first_canon", "last", "birth_year"), estimate_without_term_frequencies=True)
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("address", "first_init"), estimate_without_term_frequencies=True)
            for comp in linker._settings_obj.core_model_settings.comparisons:
                for lv in comp.comparison_levels:
                    if not lv.is_null_level and lv.m_probability is not None and lv.m_probability < M_FLOOR:
                        lv.m_probability = M_FLOOR
        pred = linker.inference.predict(threshold_match_probability=0.01)
        gammas = ", ".join(f"gamma_{c['output_column_name']}" for c in comps)
        cand = con.execute(f"SELECT match_probability, unique_id_l, unique_id_r, {gammas} FROM {pred.physical_name}").df()
    finally:
        con.close()
        splink_log.setLevel(level)
        shutil.rmtree(spill, ignore_errors=True)
    i = cand["unique_id_l"].to_numpy(dtype=np.int64)
    j = cand["unique_id_r"].to_numpy(dtype=np.int64)
    pairs = np.column_stack([np.minimum(i, j), np.maximum(i, j)]) if len(cand) else np.empty((0, 2), np.int64)
    prob = cand["match_probability"].to_numpy(dtype=float)
    ev, _, _ = _evidence(cand, comps) if len(cand) else (np.empty(0, str), None, None)
    by = p["birth_year"].to_numpy(dtype="float64", na_value=np.nan)
    same_year = by[pairs[:, 0]] == by[pairs[:, 1]]
    sx = p["sex"].to_numpy(dtype=object, na_value=None)
    sex_ok = np.array([a is None or b is None or a == b for a, b in zip(sx[pairs[:, 0]], sx[pairs[:, 1]], strict=True)],
                      dtype=bool)  # fmt: skip
    g_mid = cand["gamma_middle"].to_numpy() if len(cand) else np.zeros(0, int)
    ev = np.char.strip(np.where(g_mid == 3, ev.astype(str) + " middle",
                                np.where(g_mid == 1, ev.astype(str) + " old-surname-as-middle", ev.astype(str))))
    words = [set(e.split()) for e in ev]
    first_ok = np.array([bool(w & _SAME_FIRST) for w in words], dtype=bool)
    last_ok = np.array([bool(w & {"last", "last~"}) for w in words], dtype=bool)
    phone_ok = np.array(["phone" in w for w in words], dtype=bool)
    home_ok = np.array([bool(w & {"address", "street zip"}) for w in words], dtype=bool)
    # the same surname: a middle name (or its initial), an address or a phone must agree too;
    # a new surname: a middle name that does not disagree, and the phone, or the old surname kept
    # as the middle name, or the same middle name at the same address (housemates share an
    # address and a phone, not a first name, a middle name and a birth year)
    same_last = last_ok & ((g_mid >= 2) | home_ok | phone_ok)
    new_last = ~last_ok & (g_mid != 0) & (phone_ok | (g_mid == 1) | ((g_mid == 3) & home_ok))
    linked = (prob >= threshold) & first_ok & same_year & sex_ok & (same_last | new_last)
    return pairs, prob, ev, linked, ~last_ok
