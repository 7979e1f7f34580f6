"""Match a list to the voter file with a probabilistic model you can trust: ``link_list``.

``link_list(people, voters)`` scores every (list row, voter) pair that shares a blocking key
with the Fellegi-Sunter model of ``splink`` (DuckDB backend): each compared field (first name,
last name, ZIP, phone, address, city, email, birth year) adds evidence for or against the
pair, weighted by how often it agrees among true matches (m, estimated by expectation
maximisation) and among random pairs (u, estimated from a seeded random sample of pairs).
Names are compared on their ASCII matching key (``matching_key``: ANDRÉS meets ANDRES) with
nicknames (``canonical_first_name``: BILL meets WILLIAM) and typos (Jaro-Winkler); ZIPs,
phones and addresses are normalised first (lost zeros, ZIP+4, any phone format, STREET / ST).
The result comes in **three parts**:

* ``matched``: one voter per list row, with its ``match_probability`` and the evidence (the
  fields that agreed). A row is matched only when its best voter is likely
  (``threshold``), clearly ahead of any other person (``margin``), agrees on first and last
  name at least roughly (nickname, typo) and on more than the name: **a name alone, without
  an address, phone, email, ZIP or birth-year agreement, is never a match**; by default
  neither is a name and ZIP alone (``zip_threshold``), since a namesake in the same ZIP is
  common.
* ``needs_review``: ambiguous rows for a person to decide, with their top candidates and
  probabilities (name only; name and ZIP only; two people score alike; a likely voter
  below the threshold; a relative at the same address).
* ``not_found``: rows with no plausible voter, with the reason.

Counts reconcile (list rows = matched + needs review + not found) in ``report``, a
``StepReport`` like every other step's. The model is trained on the data it matches
(``train="auto"``: when the list has 500+ rows and the file 5,000+ voters), with seeded
sampling, so the same inputs give the same output; smaller inputs use fixed values (m and u
trained once on the synthetic county). ``match_list`` (``matching.py``) stays the small,
transparent rule-based matcher the lessons teach with.

How well it does is measured, not assumed: ``campaignlab.synth.match_lists`` builds a
sign-up list from a generated county with its truth kept (hard negatives, typos, nicknames,
moved voters, missing fields, half the list not on the file); ``tests/voterfile/test_linkage.py``
holds ``link_list`` to precision >= 0.97 in *matched*, recall >= 0.95 in *matched* + *needs
review* and <= 2% of hard negatives matched, and ``bench/bench_matching.py`` prints it beside
``match_list`` and at 100,000 list rows x 1,000,000 voters.

Toolchain: ``splink==5.0.0`` (pin ``<6``: v5 registers tables with
``DuckDBAPI().register(table)`` and passes them to ``Linker([left, right], settings)``; the
v4 ``Linker(df, settings, db_api)`` call is gone) on ``duckdb==2.0.1``.

>>> import pandas as pd
>>> voters = pd.DataFrame({"ncid": ["AL1", "AL2", "AL3"], "first_name": ["WILLIAM", "ANN", "ANN"],
...     "middle_name": ["J", None, None], "last_name": ["HOLT", "REYES", "REYES"],
...     "zip_code": ["00301", "00302", "00309"], "full_phone_number": ["9195550100", None, None],
...     "res_street_address": ["1 OAK ST", "2 ELM ST", "9 ASH CT"], "res_city_desc": ["ALDER"] * 3,
...     "birth_year": ["1970", "1980", "1990"]})
>>> signups = pd.DataFrame({"uuid": ["u1", "u2", "u3"], "first_name": ["Bill", "Ann", "Zed"],
...     "last_name": ["Holt", "Reyes", "Quill"], "email": ["bill@example.com", None, None],
...     "zip_code": ["301", None, "00301"], "can2_phone": ["(919) 555-0100", None, None],
...     "can2_user_address": ["1 Oak Street", None, None], "can2_user_city": [None, None, None]})
>>> result = link_list(signups, voters)
>>> result.matched[["uuid", "ncid", "match_evidence"]].values.tolist()
[['u1', 'AL1', 'nickname last address phone']]
>>> result.needs_review[["uuid", "candidate", "ncid", "reason"]].values.tolist()
[['u2', 1, 'AL2', 'name only: no address, phone, email, ZIP or birth-year agreement'], ['u2', 2, 'AL3', 'name only: no address, phone, email, ZIP or birth-year agreement']]
>>> result.not_found[["uuid", "reason"]].values.tolist()
[['u3', 'no voter with a similar name']]
>>> r = result.report
>>> r.rows_in == len(result.matched) + result.needs_review["uuid"].nunique() + len(result.not_found)
True
>>> r.reasons  # doctest: +NORMALIZE_WHITESPACE
{'needs review: name only: no address, phone, email, ZIP or birth-year agreement': 1,
 'not found: no voter with a similar name': 1}
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from campaignlab.voterfile.matching import LIST_COLUMNS, VOTER_COLUMNS, _prep
from campaignlab.voterfile.names import phonetic_key
from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns

__all__ = ["link_list", "LinkResult", "LINK_LIST_COLUMNS", "LINK_VOTER_COLUMNS"]

#: List columns (Action Network export defaults; ``None`` = the list lacks it).
LINK_LIST_COLUMNS: dict[str, str | None] = {**LIST_COLUMNS, "email": "email", "birth_year": None}
#: Voter-file columns (NC defaults). ``group``: a duplicate-group column (registrations of one
#: group are one person, never "ambiguous" between themselves).
LINK_VOTER_COLUMNS: dict[str, str | None] = {**VOTER_COLUMNS, "email": None, "birth_year": "birth_year"}

#: Fields that, agreeing, show more than the name: without one of them a row is never matched.
SUPPORTING = ("zip", "phone", "address", "email", "birth_year")
NAME_ONLY = "name only: no address, phone, email, ZIP or birth-year agreement"
AMBIGUOUS = "ambiguous: another person scores nearly as well"
BELOW = "probability below the match threshold"
ZIP_ONLY = "name and ZIP only: confirm with an address, phone or email"
NAME_DIFFERS = "first or last name differs (a relative at the same address?)"
NO_NAME = "no voter with a similar name"
UNLIKELY = "best candidate is unlikely (probability below the review threshold)"

#: the smallest m probability a trained level keeps (no level is a veto)
M_FLOOR = 0.005

_FIELDS = ["first", "first_canon", "first_key", "middle", "last", "last_key", "first_init", "zip5", "phone", "address",
           "street", "city", "email", "birth_year"]  # fmt: skip


def _level(sql: str, label: str, m: float, u: float, **kw) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u, **kw}


def _null(col: str) -> dict:
    return {"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL", "label_for_charts": "missing", "is_null_level": True}


def _exact_else(col: str, label: str, m: float, u: float) -> dict:
    return {"output_column_name": label, "comparison_levels": [
        _null(col), _level(f"{col}_l = {col}_r", "agree", m, u), _level("ELSE", "disagree", 1 - m, 1 - u)]}  # fmt: skip


def _comparisons(have: set[str]) -> list[dict]:
    """The model's comparisons, with starting m/u values: those trained on a 4,000-row list
    against the synthetic county (email: a guess, the county's file has none), used as they are
    when ``link_list`` does not train."""
    jw = "jaro_winkler_similarity"
    comps = [
        {"output_column_name": "first", "comparison_levels": [
            _null("first"),
            _level("first_l = first_r", "exact", 0.78, 0.0026),
            _level("first_canon_l = first_canon_r", "nickname", 0.05, 0.0013),
            _level("first_l = middle_r", "middle-as-first", 0.005, 0.0025),
            _level(f"{jw}(first_l, first_r) >= 0.88", "first~", 0.07, 0.002),
            _level("ELSE", "other", 0.095, 0.9916)]},
        {"output_column_name": "last", "comparison_levels": [
            _null("last"),
            _level("last_l = last_r", "exact", 0.91, 0.0026, tf_adjustment_column="last", tf_adjustment_weight=1.0),
            _level(f"{jw}(last_l, last_r) >= 0.92", "last~", 0.04, 0.0003),
            _level("last_key_l = last_key_r", "last sound", 0.01, 0.0005),
            _level("ELSE", "other", 0.04, 0.9966)]},
        # one comparison for where they live: ZIP, city and address are not independent
        {"output_column_name": "residence", "comparison_levels": [
            {"sql_condition": "(address_l IS NULL OR address_r IS NULL) AND (zip5_l IS NULL OR zip5_r IS NULL) "
                              "AND (city_l IS NULL OR city_r IS NULL)", "label_for_charts": "missing",
             "is_null_level": True},
            _level("address_l = address_r", "address", 0.5, 0.0001),
            _level("street_l = street_r AND zip5_l = zip5_r", "street zip", 0.005, 0.0009),
            _level("zip5_l = zip5_r AND (address_l IS NULL OR address_r IS NULL)", "zip", 0.33, 0.022),
            _level("zip5_l = zip5_r", "zip, another address", 0.015, 0.031),
            _level("city_l = city_r", "city", 0.04, 0.117),
            _level("ELSE", "elsewhere", 0.11, 0.8289)]},
        {"output_column_name": "phone", "comparison_levels": [
            _null("phone"), _level("phone_l = phone_r", "agree", 0.8, 0.00004),
            _level("right(phone_l, 7) = right(phone_r, 7)", "last 7 digits", 0.05, 0.00006),
            _level("ELSE", "disagree", 0.15, 0.9999)]},
    ]  # fmt: skip
    if "email" in have:
        comps.append(_exact_else("email", "email", 0.7, 0.0001))
    if "birth_year" in have:
        comps.append({"output_column_name": "birth_year", "comparison_levels": [
            _null("birth_year"), _level("birth_year_l = birth_year_r", "agree", 0.95, 0.014),
            _level("abs(birth_year_l - birth_year_r) <= 1", "within a year", 0.005, 0.031),
            _level("ELSE", "disagree", 0.045, 0.955)]})  # fmt: skip
    return comps


#: evidence label of each (comparison, level label) that counts as agreement
_EVIDENCE = {("first", "exact"): "first", ("first", "nickname"): "nickname",
             ("first", "middle-as-first"): "middle-as-first", ("first", "first~"): "first~",
             ("last", "exact"): "last", ("last", "last~"): "last~", ("last", "last sound"): "last~",
             ("residence", "address"): "address", ("residence", "street zip"): "street zip",
             ("residence", "zip"): "zip", ("residence", "zip, another address"): "zip-other-address",
             ("residence", "city"): "city", ("phone", "agree"): "phone", ("phone", "last 7 digits"): "phone",
             ("email", "agree"): "email", ("birth_year", "agree"): "birth_year",
             ("birth_year", "within a year"): "birth_year~"}  # fmt: skip
_SUPPORT_LABELS = {"zip", "street", "phone", "address", "email", "birth_year"}
#: more than the ZIP: a namesake in the same ZIP is common, so name + ZIP alone needs ``zip_threshold``
_STRONG_LABELS = {"street", "phone", "address", "email", "birth_year"}


@dataclass
class LinkResult:
    """``link_list``'s three parts and its report (unpacks as ``matched, needs_review, not_found, report``).

    Attributes:
        matched: list rows matched, with the voter id, ``match_probability``,
            ``match_weight`` (log2 Bayes factor) and ``match_evidence`` (fields that agreed).
        needs_review: one row per (list row, candidate): the list row, ``candidate`` rank
            (1 = best), the voter id, the voter's name/address/phone as on the file,
            ``match_probability``, ``match_evidence`` and the ``reason``.
        not_found: list rows with no plausible voter, with ``reason`` (and the best
            candidate's probability when there was one).
        report: ``StepReport``: rows in = matched + needs review + not found.
        model: the trained splink settings (m and u of every level), for a record.
    """

    matched: pd.DataFrame
    needs_review: pd.DataFrame
    not_found: pd.DataFrame
    report: StepReport
    model: dict = field(default_factory=dict, repr=False)

    def __iter__(self):
        return iter((self.matched, self.needs_review, self.not_found, self.report))


def _prepare(frame: pd.DataFrame, cols: Mapping[str, str | None]) -> pd.DataFrame:
    p = _prep(frame, cols)
    p["first_init"] = p["first"].str[:1]
    p["first_key"] = phonetic_key(p["first"])  # WALTEER and WALTER sound alike
    if cols.get("email"):
        e = frame[cols["email"]].astype("str").str.strip().str.lower()
        p["email"] = pd.array(e.where(e.str.contains(r"^[^@\s]+@[^@\s]+\.[a-z]+$", regex=True)).to_numpy(), dtype="str")
    else:
        p["email"] = pd.Series(pd.NA, index=p.index, dtype="str")
    if cols.get("birth_year"):
        y = pd.to_numeric(frame[cols["birth_year"]].astype("str").str.strip().str[:4], errors="coerce").to_numpy()
        p["birth_year"] = pd.array(np.where((y >= 1880) & (y <= 2030), y, np.nan), dtype="Int64")
    else:
        p["birth_year"] = pd.array([pd.NA] * len(p), dtype="Int64")
    p = p[_FIELDS].copy()
    p.insert(0, "unique_id", np.arange(len(p), dtype=np.int64))
    return p


def _arrow(p: pd.DataFrame):
    import pyarrow as pa

    arrays = {}
    for c in p.columns:
        if c in ("unique_id", "birth_year"):
            arrays[c] = pa.array(pd.array(p[c], dtype="Int64").to_numpy(dtype="float64", na_value=np.nan),
                                 from_pandas=True).cast(pa.int64())
        else:
            arrays[c] = pa.array(p[c].to_numpy(dtype=object, na_value=None), type=pa.string())
    return pa.table(arrays)


def _train(linker, *, seed: int, n_voters: int) -> None:
    """u from a seeded random sample of pairs; m by EM on two blockings (each trains the
    fields it does not block on): same name (trains where they live, phone, email, birth
    year) and same address and initial (trains the names; not the ZIP and street alone,
    whose pairs are mostly relatives)."""
    from splink import block_on

    linker.training.estimate_u_using_random_sampling(max_pairs=min(2e6, 20.0 * n_voters), seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_canon", "last"), estimate_without_term_frequencies=True)  # fmt: skip
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("address", "first_init"), estimate_without_term_frequencies=True)  # fmt: skip
    # a level never seen among the training matches gets m = 0, which would make it a veto
    # (a voter who moved along the same street could never match): keep every m above M_FLOOR
    for comp in linker._settings_obj.core_model_settings.comparisons:
        for level in comp.comparison_levels:
            if not level.is_null_level and level.m_probability is not None and level.m_probability < M_FLOOR:
                level.m_probability = M_FLOOR


def _evidence(cand: pd.DataFrame, comps: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate pair: 'first last zip...' (fields that agreed) and whether any supports."""
    ev = np.full(len(cand), "", dtype=object)
    support = np.zeros(len(cand), dtype=bool)
    strong = np.zeros(len(cand), dtype=bool)
    for comp in comps:
        name = comp["output_column_name"]
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        gamma = cand[f"gamma_{name}"].to_numpy()
        n = len(levels)
        for i, lv in enumerate(levels):  # splink numbers non-null levels n-1 (best) .. 0 (else)
            label = _EVIDENCE.get((name, lv["label_for_charts"]))
            if label is None:
                continue
            hit = gamma == n - 1 - i
            ev = np.where(hit, ev + label + " ", ev)
            if set(label.split()) & _SUPPORT_LABELS:
                support |= hit
            if set(label.split()) & _STRONG_LABELS:
                strong |= hit
    return np.char.strip(ev.astype(str)), support, strong


def link_list(
    people: pd.DataFrame,
    voters: pd.DataFrame,
    *,
    list_columns: Mapping[str, str | None] | None = None,
    voter_columns: Mapping[str, str | None] | None = None,
    threshold: float = 0.9,
    zip_threshold: float = 1.0,
    review_threshold: float = 0.01,
    margin: float = 3.0,
    candidates: int = 5,
    prior_on_file: float = 0.5,
    train: bool | str = "auto",
    seed: int = 2026,
    progress: bool | None = None,
) -> LinkResult:
    """Match each list row to the voter file: matched, needs review and not found (module docstring).

    Args:
        people: the list (not modified): Action Network columns by default.
        voters: the voter file (not modified): NC columns by default. Run
            ``resolve_duplicates`` first, or give its duplicate-group column as
            ``voter_columns["group"]``.
        list_columns: overrides of :data:`LINK_LIST_COLUMNS`: keys id, first, last, zip,
            phone, address, city, email, birth_year (``None`` for a column the list lacks).
        voter_columns: overrides of :data:`LINK_VOTER_COLUMNS`: keys id, first, middle, last,
            zip, phone, address, city, email, birth_year, group.
        threshold: smallest match probability (0-1) to match.
        zip_threshold: smallest match probability to match on the name and ZIP alone (no
            address, phone, email or birth-year agreement): 1.0, the default, sends those
            rows to review, since a namesake in the same ZIP is common (a county has a few
            dozen ZIPs); lower it (0.99) to accept the likeliest.
        review_threshold: smallest probability for a candidate to be worth a human's look;
            a row whose best candidate agrees on first and last name is reviewed whatever it.
        margin: the best voter's match weight (log2 Bayes factor) must beat every other
            person's by this much (3 = 8 times as likely), else the row is ambiguous.
        candidates: how many candidates ``needs_review`` shows per row.
        prior_on_file: the share of the list you expect on the file (the prior).
        train: estimate m and u on these data (``True``), keep the starting values
            (``False``), or ``"auto"``: train when the list has 500+ rows and the file 5,000+.
        seed: seed of the random sample of pairs u is estimated from.
        progress: a ``tqdm`` bar over the stages (default: 100,000+ voters, in a terminal or
            a notebook).

    Returns:
        :class:`LinkResult` ``(matched, needs_review, not_found, report)``.

    >>> link_list(pd.DataFrame({"uuid": ["u1"]}), pd.DataFrame({"ncid": ["AL1"]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "link_list (list): columns 'first_name' (parameter first=), 'last_name' (parameter last=), ... are not in the data. Columns found: ['uuid']. Map your layout's columns with first='<your column>', ..."
    """
    lcols = {**LINK_LIST_COLUMNS, **(list_columns or {})}
    vcols = {**LINK_VOTER_COLUMNS, **(voter_columns or {})}
    for cols, which in ((lcols, LINK_LIST_COLUMNS), (vcols, LINK_VOTER_COLUMNS)):
        unknown = set(cols) - set(which)
        if unknown:
            raise ValueError(f"link_list: unknown column keys {sorted(unknown)}; use {sorted(which)}")
    for key in ("id", "first", "last"):
        for cols, side in ((lcols, "list"), (vcols, "voters")):
            if not cols.get(key):
                raise ValueError(f"link_list ({side}): the {key!r} column is required (got None)")
    require_columns(people, lcols, "link_list (list)")
    require_columns(voters, vcols, "link_list (voters)")
    if not 0 < threshold <= zip_threshold <= 1:
        raise ValueError(f"link_list: need 0 < threshold <= zip_threshold <= 1, got {threshold!r}, {zip_threshold!r}")
    if not 0 < review_threshold < threshold < 1:
        raise ValueError(f"link_list: need 0 < review_threshold < threshold < 1, got {review_threshold!r}, {threshold!r}")
    if train not in (True, False, "auto"):
        raise ValueError(f"link_list: train is True, False or 'auto', got {train!r}")
    if progress is None:
        progress = len(voters) >= 100_000 and (sys.stderr.isatty() or "ipykernel" in sys.modules)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=3, desc="link_list", unit="stage", leave=False)

    def stage(name: str) -> None:
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update()

    try:
        return _link(people, voters, lcols, vcols, threshold, zip_threshold, review_threshold, margin, candidates,
                     prior_on_file, train, seed, stage)  # fmt: skip
    finally:
        if bar is not None:
            bar.close()


def _link(people, voters, lcols, vcols, threshold, zip_threshold, review_threshold, margin, k, prior_on_file, train, seed, stage):
    import duckdb
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    n, n_v = len(people), len(voters)
    L = _prepare(people, lcols)
    V = _prepare(voters, vcols)
    vid = vcols["id"]
    ids = voters[vid].astype("str").to_numpy()
    group = voters[vcols["group"]].astype("str") if vcols.get("group") else pd.Series(ids, index=voters.index)
    group = group.where(group.notna(), pd.Series(ids, index=voters.index)).to_numpy(dtype=object)
    stage("prepared")

    have = {f for f in ("email", "birth_year") if L[f].notna().any() and V[f].notna().any()}
    comps = _comparisons(have)
    # blocking: only pairs sharing one of these are compared (a state file has 10^12 pairs);
    # every key is narrow enough that a county of 16 ZIPs and a million voters stays small
    rules = [block_on("first_canon", "last_key"), block_on("first_key", "last_key"), block_on("phone"),
             block_on("address", "first_init"), block_on("last_key", "zip5", "first_init")]  # fmt: skip
    if "email" in have:
        rules.append(block_on("email"))
    settings = SettingsCreator(
        link_type="link_only", comparisons=comps, blocking_rules_to_generate_predictions=rules,
        probability_two_random_records_match=min(prior_on_file / max(n_v, 1), 0.5),
        retain_matching_columns=True, retain_intermediate_calculation_columns=False,
        max_iterations=20, em_convergence=0.001)  # fmt: skip
    import psutil

    spill = tempfile.mkdtemp(prefix="campaignlab-link-")
    con = duckdb.connect()
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    try:
        # spill to a temporary folder rather than take the machine's memory (DuckDB's default
        # is 80% of it) or write into the working directory
        limit_gb = max(1, int(psutil.virtual_memory().total * 0.3 / 1024**3))
        con.execute(f"SET memory_limit = '{limit_gb}GB'")
        con.execute(f"SET temp_directory = '{spill}'")
        db = DuckDBAPI(con)
        left = db.register(_arrow(L), table_name="list_rows")
        right = db.register(_arrow(V), table_name="voter_rows")
        splink_log.setLevel(logging.ERROR)  # its training advice is for splink users, not for ours
        linker = Linker([left, right], settings, log_level=None)
        do_train = train is True or (train == "auto" and n >= 500 and n_v >= 5000)
        if do_train:
            _train(linker, seed=seed, n_voters=n_v)
        stage("trained" if do_train else "fixed parameters")
        floor = min(review_threshold / 100, 1e-7)
        pred = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
        gammas = ", ".join(f"gamma_{c['output_column_name']}" for c in comps)
        cand = con.execute(  # only what the decision needs: not the compared values of every pair
            f"SELECT match_weight, match_probability, source_dataset_l, unique_id_l, unique_id_r, {gammas} "
            f"FROM {pred.physical_name}").df()  # fmt: skip
        model = linker.misc.save_model_to_json()
    finally:
        con.close()
        splink_log.setLevel(level)
        shutil.rmtree(spill, ignore_errors=True)
    stage("scored")
    if len(cand):  # the list table is registered first: its ids are on the _l side
        left_is_l = (cand["source_dataset_l"] == "list_rows").to_numpy()
        i = np.where(left_is_l, cand["unique_id_l"], cand["unique_id_r"]).astype(np.int64)
        j = np.where(left_is_l, cand["unique_id_r"], cand["unique_id_l"]).astype(np.int64)
    else:
        i = j = np.empty(0, dtype=np.int64)
    if len(cand):
        ev, support, strong = _evidence(cand, comps)
    else:
        ev, support, strong = np.empty(0, dtype=str), np.empty(0, dtype=bool), np.empty(0, dtype=bool)
    c = pd.DataFrame({"i": i, "j": j, "w": cand["match_weight"].to_numpy(dtype=float) if len(cand) else [],
                      "p": cand["match_probability"].to_numpy(dtype=float) if len(cand) else [],
                      "ev": ev, "support": support, "strong": strong})  # fmt: skip
    c["g"] = group[c["j"].to_numpy()] if len(c) else []
    c = c.sort_values(["i", "w", "j"], ascending=[True, False, True], kind="stable")
    # one candidate per person: a duplicate registration is the same person
    c = c.drop_duplicates(["i", "g"]).reset_index(drop=True)
    c["rank"] = c.groupby("i").cumcount() + 1
    best = c[c["rank"] == 1].set_index("i")
    second = c[c["rank"] == 2].set_index("i")["w"]
    rows = np.arange(n)
    has = np.isin(rows, best.index)
    b = best.reindex(rows)
    bp = b["p"].fillna(0).to_numpy()
    bw = b["w"].fillna(-1e9).to_numpy()
    sw = second.reindex(rows).fillna(-1e9).to_numpy()
    bsup = b["support"].fillna(False).to_numpy(dtype=bool)
    bstrong = b["strong"].fillna(False).to_numpy(dtype=bool)
    bev = b["ev"].fillna("").to_numpy(dtype=object)
    words = [set(e.split()) for e in bev]
    names_close = np.array([bool(w & {"first", "nickname", "first~", "middle-as-first"}) and bool(w & {"last", "last~"})
                            for w in words], dtype=bool)  # fmt: skip
    clear = bw - sw >= margin
    sure = (bp >= threshold) & bstrong | (bp >= zip_threshold) & bsup
    matched = has & sure & clear & names_close
    review = has & ~matched & ((bp >= review_threshold) | names_close)
    reason = np.full(n, None, dtype=object)
    reason[review & ~bsup] = NAME_ONLY
    reason[review & bsup & ~clear] = AMBIGUOUS
    reason[review & bsup & clear] = BELOW
    reason[review & bsup & ~bstrong & clear & (bp >= threshold)] = ZIP_ONLY
    reason[review & bsup & clear & ~names_close & (bp >= threshold)] = NAME_DIFFERS
    reason[~has] = NO_NAME
    reason[has & ~matched & ~review] = UNLIKELY

    out_id = vid if vid not in people.columns else f"{vid}_voter"
    mi = np.flatnonzero(matched)
    res = people.iloc[mi].copy()
    res[out_id] = pd.array(ids[b["j"].to_numpy()[mi].astype(np.int64)], dtype="str")
    res["match_probability"] = bp[mi].round(4)
    res["match_weight"] = bw[mi].round(2)
    res["match_evidence"] = pd.array(bev[mi], dtype="str")

    ri = np.flatnonzero(review)
    rc = c[c["i"].isin(ri) & (c["rank"] <= k)]
    shown = [x for x in (lcols["id"], lcols["first"], lcols["last"]) if x]
    rev = people[shown].iloc[rc["i"].to_numpy()].reset_index(drop=True)
    rev.insert(len(shown), "candidate", rc["rank"].to_numpy())
    rev[out_id] = pd.array(ids[rc["j"].to_numpy()], dtype="str")
    for key in ("first", "last", "address", "zip", "phone"):
        if vcols.get(key):
            rev[f"voter_{key}"] = voters[vcols[key]].astype("str").to_numpy()[rc["j"].to_numpy()]
    rev["match_probability"] = rc["p"].round(4).to_numpy()
    rev["match_evidence"] = pd.array(rc["ev"].to_numpy(), dtype="str")
    rev["reason"] = pd.array(reason[rc["i"].to_numpy()], dtype="str")

    nf = np.flatnonzero(~matched & ~review)
    not_found = people.iloc[nf].copy()
    not_found["best_probability"] = np.where(has[nf], bp[nf].round(4), np.nan)
    not_found = reasons_frame(not_found, pd.Series(reason[nf], dtype="str"))

    aside_idx = np.flatnonzero(~matched)
    aside = people.iloc[aside_idx].copy()
    aside["best_candidate"] = pd.array(np.where(has[aside_idx], ids[np.nan_to_num(b["j"].to_numpy()[aside_idx]).astype(np.int64)], None), dtype="str")
    aside["best_probability"] = np.where(has[aside_idx], bp[aside_idx].round(4), np.nan)
    tag = np.where(review[aside_idx], "needs review: ", "not found: ")
    aside = reasons_frame(aside, pd.Series(tag + reason[aside_idx].astype(str), dtype="str"))
    report = StepReport(
        "link_list", n, len(mi), aside,
        flags={"matched on name alone": int((matched & ~bsup).sum())},
        details={"candidates": c.assign(list_row=c["i"], voter_id=ids[c["j"].to_numpy()] if len(c) else [])},
        notes=[f"splink Fellegi-Sunter model, {'trained on these data (seed ' + str(seed) + ')' if do_train else 'fixed parameters (not trained on these data)'}; "
               f"{len(c):,} candidate pairs; {int(review.sum()):,} rows need review"],
    )  # fmt: skip
    return LinkResult(res, rev, not_found, report, model if isinstance(model, dict) else {})
