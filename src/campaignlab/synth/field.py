"""The field program: a VAN-style contact history for the Yes on Measure A canvass.

The coalition knocks doors, runs phone banks and sends peer-to-peer (P2P) texts from
July to election eve 2026. It cannot see anybody's true support, so it targets on a
noisy *estimate*: likely supporters of moderate turnout propensity (the GOTV
universe) and persuadable, reliable voters (the persuasion universe). Each row of
``van_contact_history.csv`` is one attempt on one voter, as VAN exports it.

Calibration (Green & Gerber, *Get Out the Vote*; summarised in ``datasets/README.md``):

* door contact rate ~25% of attempts (G&G: typically 10-50%);
* phone: 30-40% of listed numbers are bad, ~18-23% of dials are answered;
* canvassers make ~12 door attempts per hour (we read G&G's "~12 contacts per hour"
  as attempts, i.e. rows per canvasser-hour; conversations are ~3 per hour);
* support IDs ("1 - Strong Yes" .. "5 - Strong No") are noisy reports of the true
  ``people.support``: report noise, courtesy bias and cut-points are unsourced.

Example (a tiny county):

>>> import numpy as np
>>> from campaignlab.synth.field import build_field, example_people
>>> people, voters = example_people(400, seed=1)
>>> tables = build_field(people, voters, np.random.default_rng(7))
>>> sorted(tables)
['truth/vanid_map.csv', 'van_contact_history.csv']
>>> contacts = tables["van_contact_history.csv"]
>>> list(contacts.columns[:4])
['Voter File VANID', 'StateFileID', 'Date Canvassed', 'Time Canvassed']
>>> set(contacts["Contact Type"]) <= {"Walk", "Phone", "SMS/Text"}
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# --- calibration constants -------------------------------------------------------------
#: Door attempts answered by someone (G&G: door contact rate ~25%, range 10-50%).
DOOR_ANSWER_RATE = 0.26
#: Share of door attempts where the canvasser cannot reach the door (unsourced).
DOOR_INACCESSIBLE_RATE = 0.03
#: Of voters reached at the door / on the phone, share who refuse to talk (unsourced).
REFUSAL_SHARE = 0.12
#: Door attempts per canvasser-hour (G&G: canvassers ~12 contacts per hour; read as attempts).
CANVASS_ATTEMPTS_PER_HOUR = 12
#: Length of a canvass shift in hours (unsourced convention: 3-hour weekend shifts).
CANVASS_SHIFT_HOURS = 3
#: Dials per caller-hour at a volunteer phone bank (unsourced).
PHONE_DIALS_PER_HOUR = 40
#: Phone-bank shift length in hours (unsourced).
PHONE_SHIFT_HOURS = 2
#: Share of listed phone numbers that are wrong or disconnected (G&G: 30-40%).
PHONE_BAD_NUMBER_RATE = 0.35
#: Per dial on a good number, chance someone answers. With redials this gives
#: ~21% of all dials answered (G&G: phone answer rate ~18-23%).
PHONE_ANSWER_PER_DIAL = 0.27
#: P2P texts to voters: replies with an ID / opt-outs / "wrong number" replies.
#: Chosen so replies ~13-14% and opt-outs ~2% (M+R 2019: P2P 14% replies, 2% opt-outs).
P2P_ID_REPLY_RATE = 0.12
P2P_OPT_OUT_RATE = 0.02
P2P_WRONG_NUMBER_REPLY_RATE = 0.10
#: Sd of the noise between true support and what a voter tells a volunteer (unsourced).
SUPPORT_REPORT_NOISE_SD = 0.15
#: Voters tell a Yes-campaign volunteer slightly more "yes" than they feel (unsourced).
SUPPORT_REPORT_COURTESY_BIAS = 0.03
#: Cut-points on reported support for responses 1..4 (else 5) (unsourced).
SUPPORT_CUTPOINTS = (0.75, 0.58, 0.42, 0.25)
#: Share of "Canvassed" rows where the survey question was asked and answered (unsourced).
SURVEY_ASKED_RATE = 0.92
#: The campaign's targeting model: noise on its estimates of support and turnout (unsourced).
TARGET_SUPPORT_NOISE_SD = 0.12
TARGET_TURNOUT_NOISE_SD = 0.08
#: Share of universe households the walk program reaches at all (turf never cut: unsourced).
WALK_TURF_COVERAGE = 0.85

RESULTS = (
    "Canvassed", "Not Home", "Refused", "Moved", "Inaccessible", "Wrong Number",
    "Disconnected", "Left Message", "Busy", "Texted",
)
CONTACT_TYPES = ("Walk", "Phone", "SMS/Text")
INPUT_TYPES = ("MiniVAN", "Manual", "OpenVPB", "Bulk Upload")
SURVEY_QUESTION = "Measure A Support"
SURVEY_RESPONSES = (
    "1 - Strong Yes",
    "2 - Lean Yes",
    "3 - Undecided",
    "4 - Lean No",
    "5 - Strong No",
)
#: Program calendar (the coalition's field program, July-October 2026; election 11/03/2026).
WALK_PASSES = (("2026-07-11", "2026-08-31"), ("2026-09-01", "2026-10-11"), ("2026-10-12", "2026-11-02"))
PHONE_PASSES = (("2026-07-13", "2026-08-28"), ("2026-08-31", "2026-10-09"), ("2026-10-12", "2026-11-02"))
SMS_WINDOW = ("2026-10-19", "2026-11-02")

#: VANID = VANID_BASE + (person_id * VANID_MULT + VANID_ADD) mod VANID_MOD: a bijection on
#: person ids below 900,000,000, so every person has one stable 9-digit VANID.
VANID_BASE = 100_000_000
VANID_MOD = 900_000_000
VANID_MULT = 7_919
VANID_ADD = 4_177_211

CONTACT_COLUMNS = [
    "Voter File VANID",
    "StateFileID",
    "Date Canvassed",
    "Time Canvassed",
    "Contact Type",
    "Result",
    "Canvassed By",
    "Input Type",
    "Survey Question Name",
    "Survey Response",
]


def vanid_for(person_id: np.ndarray | pd.Series) -> np.ndarray:
    """The stable 9-digit VAN id of each person (a bijection of ``person_id``).

    >>> vanid_for(np.array([1, 2, 3])).tolist()
    [104185130, 104193049, 104200968]
    """
    pid = np.asarray(person_id, dtype=np.int64)
    return VANID_BASE + (pid * VANID_MULT + VANID_ADD) % VANID_MOD


def decode(codes: np.ndarray, labels) -> pd.Series:
    """Integer codes -> a ``str`` Series of labels (code -1 -> missing), decoded by Arrow.

    Building string columns from codes is ~5x faster than from Python objects at scale.

    >>> decode(np.array([1, -1, 0]), ["Walk", "Phone"]).tolist()
    ['Phone', nan, 'Walk']
    """
    import pyarrow as pa

    codes = np.asarray(codes, dtype=np.int64)
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    dictionary = pa.array(list(labels) if len(labels) else [""], type=pa.large_string())
    arr = pa.DictionaryArray.from_arrays(idx, dictionary).dictionary_decode()
    return pd.Series(arr.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get))


def _in_voter_file(ncid: pd.Series, voter_ncid: pd.Series) -> np.ndarray:
    """Boolean mask: a non-empty ``ncid`` that appears in the voter file (arrow-fast).

    >>> _in_voter_file(pd.Series(["A", "", None, "B"]), pd.Series(["B", None, ""])).tolist()
    [False, False, False, True]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    left = pa.array(ncid.astype("str"), from_pandas=True)
    right = pa.array(voter_ncid.astype("str"), from_pandas=True)
    found = pc.fill_null(pc.is_in(left, value_set=right, skip_nulls=True), False)
    nonempty = pc.fill_null(pc.greater(pc.utf8_length(left), 0), False)
    return np.asarray(pc.and_(found, nonempty).to_numpy(zero_copy_only=False), dtype=bool)


def _sorted_codes(values: pd.Series) -> np.ndarray:
    """Rank of each value among the sorted distinct values (``pd.factorize(sort=True)`` codes).

    >>> _sorted_codes(pd.Series(["00302", "00301", "00302"])).tolist()
    [1, 0, 1]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(pa.array(values.astype("str"), from_pandas=True))
    rank = np.empty(len(enc.dictionary), dtype=np.int64)
    rank[np.asarray(pc.sort_indices(enc.dictionary))] = np.arange(len(enc.dictionary))
    return rank[np.asarray(enc.indices)]


def _sort_contacts(day: np.ndarray, minute: np.ndarray, vanid: np.ndarray) -> np.ndarray:
    """Stable order by day, minute, then VANID (one int64 key: same as ``np.lexsort``).

    >>> _sort_contacts(np.array([2, 1, 1]), np.array([0, 5, 5]), np.array([7, 9, 8])).tolist()
    [2, 1, 0]
    """
    d = np.asarray(day).astype(np.int64)
    d = d - d.min() if len(d) else d
    key = (d * 100_000 + np.asarray(minute, dtype=np.int64)) * 1_000_000_000 + np.asarray(vanid, dtype=np.int64)
    return np.argsort(key, kind="stable")


def _days(window: tuple[str, str]) -> np.ndarray:
    return np.arange(np.datetime64(window[0]), np.datetime64(window[1]) + 1)


def _draw_days(rng: np.random.Generator, window: tuple[str, str], n: int, weekend_weight: float) -> np.ndarray:
    days = _days(window)
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    w = np.where(weekday >= 5, weekend_weight, 1.0)
    return rng.choice(days, size=n, p=w / w.sum())


def _fmt(days: np.ndarray, fmt: str) -> np.ndarray:
    """Format datetime64 values through their unique values (fast at scale)."""
    uniq, inv = np.unique(days, return_inverse=True)
    return np.asarray(pd.DatetimeIndex(uniq).strftime(fmt), dtype=object)[inv]


def _staff_names(people: pd.DataFrame, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct "Last, First" user names for volunteers, drawn from the county.

    Names that repeat get a middle initial, then a number, so every user name is unique
    (VAN user names are distinct accounts).
    """
    pick = rng.choice(len(people), size=n, replace=n > len(people))
    chosen = people.iloc[pick].reset_index(drop=True)
    last = chosen["last_name"].astype("str").fillna("").str.title()
    first = chosen["first_name"].astype("str").fillna("").str.title()
    names = last + ", " + first
    dup = names.duplicated(keep="first")
    mid = chosen["middle_name"].astype("str").fillna("").str[:1]
    names = names.where(~dup | (mid == ""), names + " " + mid)
    dup = names.duplicated(keep="first")
    names = names.where(~dup, names + " " + (names.groupby(names).cumcount() + 1).astype(str))
    return names.to_numpy(dtype=object)


def _schedule(
    days: np.ndarray,
    group: np.ndarray,
    per_hour: int,
    shift_hours: int,
    starts_weekend: tuple[int, ...],
    starts_weekday: tuple[int, ...],
    people: pd.DataFrame,
    shifts_per_volunteer: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Give each attempt a time of day and a staffer, shift by shift.

    Attempts are ordered by day then ``group`` (a turf / household order) and cut into
    shifts of ``per_hour * shift_hours`` attempts; rows that share a group (a door) share a
    time. Shifts of one day have distinct staffers.
    Returns (minutes after midnight, staffer code, staffer names).
    """
    n = len(days)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    order = np.lexsort((group, days))
    d, g = days[order], group[order]
    new_day = np.r_[True, d[1:] != d[:-1]]
    day_start = np.maximum.accumulate(np.where(new_day, np.arange(n), 0))
    new_group = new_day | np.r_[True, g[1:] != g[:-1]]
    first_pos = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    first_rank = first_pos - day_start  # rows of one door share the door's rank
    per_shift = per_hour * shift_hours
    shift = first_rank // per_shift
    pos = first_rank % per_shift
    weekday = (d.astype(np.int64) + 3) % 7
    # shifts of a day cycle through the day's start slots; extra shifts run in parallel
    slots_we, slots_wd = np.asarray(starts_weekend), np.asarray(starts_weekday)
    start = np.where(weekday >= 5, slots_we[shift % len(slots_we)], slots_wd[shift % len(slots_wd)])
    jitter = rng.integers(0, max(1, 60 // per_hour), size=n)[first_pos]
    minute = start * 60 + (pos * 60) // per_hour + jitter
    # staff pool: enough for the busiest day, and each volunteer works ~shifts_per_volunteer
    uniq_days, day_idx = np.unique(d, return_inverse=True)
    shifts_per_day = np.zeros(len(uniq_days), dtype=np.int64)
    np.maximum.at(shifts_per_day, day_idx, shift + 1)
    pool = max(int(shifts_per_day.max()), int(shifts_per_day.sum()) // shifts_per_volunteer, 3)
    staff = _staff_names(people, rng, pool)
    offset = rng.integers(0, pool, size=len(uniq_days))[day_idx]
    who = (offset + shift) % pool
    out_min = np.empty(n, dtype=np.int64)
    out_who = np.empty(n, dtype=np.int64)
    out_min[order] = minute
    out_who[order] = who
    return out_min, out_who, list(staff)


def _survey(support: np.ndarray, canvassed: np.ndarray, noise_sd: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Survey Response code (0 = "1 - Strong Yes" .. 4) for canvassed rows that answered, else -1."""
    n = len(support)
    reported = support + SUPPORT_REPORT_COURTESY_BIAS + rng.normal(0.0, 1.0, size=n) * noise_sd
    cuts = np.asarray(SUPPORT_CUTPOINTS)
    code = (reported[:, None] < cuts[None, :]).sum(axis=1)
    asked = canvassed & (rng.random(n) < SURVEY_ASKED_RATE)
    return np.where(asked, code, -1)


def build_field(
    people: pd.DataFrame, voters: pd.DataFrame | None, rng: np.random.Generator, in_file: np.ndarray | None = None
) -> dict[str, pd.DataFrame]:
    """Simulate the canvass, phone banks and P2P texts; return the VAN contact history.

    Args:
        people: one row per real person (the synth ``people`` frame: person_id, ncid,
            first_name, last_name, household_id, zip5, phone, support, turnout_2026, status).
        voters: the ncvoter frame; only people whose ``ncid`` is in it have a VANID.
        rng: the only source of randomness.
        in_file: optional precomputed mask "the person's ncid is in ``voters``" (then
            ``voters`` is not read; the generator knows every primary registration is there).

    Returns:
        ``{"van_contact_history.csv": contacts, "truth/vanid_map.csv": vanid_map}``.
        ``contacts`` has one row per attempt (see ``CONTACT_COLUMNS``); ``vanid_map`` maps
        every VANID to person_id and ncid (the voter file's join key).

    >>> people, voters = example_people(300, seed=2)
    >>> a = build_field(people, voters, np.random.default_rng(1))["van_contact_history.csv"]
    >>> b = build_field(people, voters, np.random.default_rng(1))["van_contact_history.csv"]
    >>> a.equals(b)
    True
    """
    r_target, r_walk, r_phone, r_sms, r_survey, r_staff = rng.spawn(6)
    ncid = people["ncid"].astype("str").reset_index(drop=True)
    if in_file is None:
        in_file = _in_voter_file(ncid, voters["ncid"])
    vanid_all = vanid_for(people["person_id"].to_numpy())
    vanid_map = pd.DataFrame(
        {
            "vanid": vanid_all[in_file],
            "person_id": people["person_id"].to_numpy(dtype=np.int64)[in_file],
            "ncid": ncid[in_file].reset_index(drop=True),
        }
    )

    # --- targeting: the campaign's noisy model, not the truth ---------------------------
    n_people = len(people)
    support = people["support"].to_numpy(dtype=float)
    turnout = people["turnout_2026"].to_numpy(dtype=float)
    est_sup = support + r_target.normal(0, TARGET_SUPPORT_NOISE_SD, n_people)
    est_turn = turnout + r_target.normal(0, TARGET_TURNOUT_NOISE_SD, n_people)
    active = in_file & (people["status"].astype("str") == "A").to_numpy(dtype=bool, na_value=False)
    gotv = active & (est_sup >= 0.60) & (est_turn >= 0.20) & (est_turn <= 0.75)
    persuade = active & (est_sup >= 0.40) & (est_sup < 0.60) & (est_turn >= 0.45)
    univ = np.flatnonzero(gotv | persuade)
    u_gotv = gotv[univ]
    u_sup = support[univ]
    # a small share of targets moved out since registering (inactive soon): "Moved" results
    moved = r_target.random(len(univ)) < 0.04
    hh_code, _ = pd.factorize(people["household_id"].to_numpy()[univ])
    n_hh = int(hh_code.max()) + 1 if len(univ) else 0
    zip_rank = _sorted_codes(people["zip5"].take(univ))
    # turf order: ZIP then household (households in a ZIP are walked together)
    turf = zip_rank.astype(np.int64) * (n_hh + 1) + hh_code

    rows_p, rows_day, rows_type, rows_res, rows_group = [], [], [], [], []
    R = {name: i for i, name in enumerate(RESULTS)}

    # --- walk: up to three passes by household --------------------------------------------
    covered = r_walk.random(n_hh) < WALK_TURF_COVERAGE
    contacted = np.zeros(len(univ), dtype=bool)
    done = np.zeros(len(univ), dtype=bool)  # refused or moved: drop from later passes
    pass_prob = (1.0, 0.75, 0.60)
    for p, window in enumerate(WALK_PASSES):
        hh_on = covered & (r_walk.random(n_hh) < pass_prob[p])
        targeted = hh_on[hh_code] & ~done & (~contacted if p < 2 else u_gotv)
        idx = np.flatnonzero(targeted)
        day_hh = _draw_days(r_walk, window, n_hh, weekend_weight=3.0)
        u = r_walk.random(n_hh)
        inaccessible = u < DOOR_INACCESSIBLE_RATE
        answered = (u >= DOOR_INACCESSIBLE_RATE) & (u < DOOR_INACCESSIBLE_RATE + DOOR_ANSWER_RATE)
        h = hh_code[idx]
        refuse = r_walk.random(len(idx)) < REFUSAL_SHARE
        talk = np.where(moved[idx], R["Moved"], np.where(refuse, R["Refused"], R["Canvassed"]))
        res = np.where(inaccessible[h], R["Inaccessible"], np.where(answered[h], talk, R["Not Home"]))
        contacted[idx] |= answered[h] & ~moved[idx]
        done[idx] |= answered[h] & (moved[idx] | refuse)
        rows_p.append(idx)
        rows_day.append(day_hh[h])
        rows_type.append(np.full(len(idx), 0, dtype=np.int8))
        rows_res.append(res)
        rows_group.append(turf[idx])

    # --- phone banks: voters with a listed phone not reached at the door ------------------
    has_phone = people["phone"].astype("str").take(univ).fillna("").str.len().to_numpy() > 0
    on_list = has_phone & ~contacted & ~done & (r_phone.random(len(univ)) < 0.75)
    bad = r_phone.random(len(univ)) < PHONE_BAD_NUMBER_RATE
    bad_kind = np.where(r_phone.random(len(univ)) < 0.55, R["Wrong Number"], R["Disconnected"])
    still = on_list.copy()
    redial_prob = (1.0, 0.8, 0.6)
    for p, window in enumerate(PHONE_PASSES):
        dial = still & (r_phone.random(len(univ)) < redial_prob[p])
        idx = np.flatnonzero(dial)
        n = len(idx)
        ans = r_phone.random(n) < PHONE_ANSWER_PER_DIAL
        refuse = r_phone.random(n) < REFUSAL_SHARE
        miss = r_phone.random(n)
        unanswered = np.where(miss < 0.6, R["Not Home"], np.where(miss < 0.9, R["Left Message"], R["Busy"]))
        talk = np.where(moved[idx], R["Moved"], np.where(refuse, R["Refused"], R["Canvassed"]))
        res = np.where(bad[idx], bad_kind[idx], np.where(ans, talk, unanswered))
        still[idx] &= ~bad[idx] & ~ans
        contacted[idx] |= ~bad[idx] & ans & ~moved[idx]
        rows_p.append(idx)
        rows_day.append(_draw_days(r_phone, window, n, weekend_weight=0.3))
        rows_type.append(np.full(n, 1, dtype=np.int8))
        rows_res.append(res)
        rows_group.append(r_phone.integers(0, 1 << 40, size=n))

    # --- P2P texts: GOTV universe with a phone, in the last two weeks ----------------------
    text = u_gotv & has_phone & (r_sms.random(len(univ)) < 0.8)
    idx = np.flatnonzero(text)
    n = len(idx)
    u = r_sms.random(n)
    good_res = np.where(
        u < P2P_ID_REPLY_RATE,
        R["Canvassed"],
        np.where(u < P2P_ID_REPLY_RATE + P2P_OPT_OUT_RATE, R["Refused"], R["Texted"]),
    )
    bad_res = np.where(
        u < P2P_WRONG_NUMBER_REPLY_RATE,
        R["Wrong Number"],
        np.where(u < P2P_WRONG_NUMBER_REPLY_RATE + P2P_OPT_OUT_RATE, R["Refused"], R["Texted"]),
    )
    rows_p.append(idx)
    rows_day.append(_draw_days(r_sms, SMS_WINDOW, n, weekend_weight=1.0))
    rows_type.append(np.full(n, 2, dtype=np.int8))
    rows_res.append(np.where(bad[idx], bad_res, good_res))
    rows_group.append(r_sms.integers(0, 1 << 40, size=n))

    # --- assemble ------------------------------------------------------------------------
    pidx = np.concatenate(rows_p)
    day = np.concatenate(rows_day)
    ctype = np.concatenate(rows_type)
    result = np.concatenate(rows_res)
    group = np.concatenate(rows_group)
    n_rows = len(pidx)

    minute = np.zeros(n_rows, dtype=np.int64)
    who = np.zeros(n_rows, dtype=np.int64)
    staff_names: list[str] = []
    for kind, per_hour, hours, we, wd, per_vol in (
        (0, CANVASS_ATTEMPTS_PER_HOUR, CANVASS_SHIFT_HOURS, (10, 13, 16), (17,), 6),
        (1, PHONE_DIALS_PER_HOUR, PHONE_SHIFT_HOURS, (12, 15), (18,), 5),
        (2, 300, 2, (10, 13, 16), (10, 13, 16, 18), 4),
    ):
        m = ctype == kind
        minute[m], codes, names = _schedule(day[m], group[m], per_hour, hours, we, wd, people, per_vol, r_staff)
        who[m] = codes + len(staff_names)
        staff_names.extend(names)

    input_u = r_staff.random(n_rows)
    input_type = np.select(
        [ctype == 0, ctype == 1],
        [np.where(input_u < 0.88, 0, 1), np.where(input_u < 0.8, 2, 1)],
        3,
    )
    canvassed = result == R["Canvassed"]
    noise = np.where(ctype == 0, SUPPORT_REPORT_NOISE_SD, SUPPORT_REPORT_NOISE_SD * 1.2)
    response = _survey(u_sup[pidx], canvassed, noise, r_survey)

    person = univ[pidx]
    order = _sort_contacts(day, minute, vanid_all[person])
    person, day, minute, ctype, result, who, input_type, response = (
        x[order] for x in (person, day, minute, ctype, result, who, input_type, response)
    )
    d0 = day.min() if n_rows else np.datetime64("2026-07-01")
    day_code = (day - d0).astype(np.int64)
    day_labels = list(pd.date_range(d0, periods=int(day_code.max()) + 1 if n_rows else 1).strftime("%m/%d/%Y"))
    time_labels = [f"{h:02d}:{mm:02d}" for h in range(24) for mm in range(60)]
    contacts = pd.DataFrame(
        {
            "Voter File VANID": vanid_all[person],
            "StateFileID": ncid.take(person).reset_index(drop=True),
            "Date Canvassed": decode(day_code, day_labels),
            "Time Canvassed": decode(np.minimum(minute, 24 * 60 - 1), time_labels),
            "Contact Type": decode(ctype, CONTACT_TYPES),
            "Result": decode(result, RESULTS),
            "Canvassed By": decode(who, staff_names),
            "Input Type": decode(input_type, INPUT_TYPES),
            "Survey Question Name": decode(np.where(response >= 0, 0, -1), (SURVEY_QUESTION,)),
            "Survey Response": decode(response, SURVEY_RESPONSES),
        }
    )
    return {"van_contact_history.csv": contacts, "truth/vanid_map.csv": vanid_map}


def example_people(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small stand-in ``people`` frame and matching minimal ``voters`` frame.

    For doctests and unit tests of the field and digital builders; the real county
    comes from ``campaignlab.synth.generate``.

    >>> people, voters = example_people(5)
    >>> people["zip5"].str.len().eq(5).all(), len(voters) <= 5
    (np.True_, True)
    """
    rng = np.random.default_rng(seed)
    firsts = np.array(
        ["WILLIAM", "ROBERT", "JAMES", "MARY", "PATRICIA", "ELIZABETH", "JENNIFER", "MICHAEL",
         "KATHERINE", "MARIA", "JOSE", "DANIEL", "AISHA", "WEI", "LATOYA", "CHRISTOPHER"]
    )
    lasts = np.array(
        ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "O'BRIEN", "NGUYEN",
         "DAVIS", "MARTINEZ", "MCDONALD", "WASHINGTON", "LEE", "PATEL", "ALDERSON", "KIM"]
    )
    streets = np.array(["MAPLE ST", "CEDAR HILL RD", "RIVER BEND DR", "OLD MILL LN", "FERNWOOD AVE"])
    cities = np.array(["ALDER", "MILLBROOK", "EASTON FALLS", "CEDAR HILL", "RIVERTON"])
    hh_n = max(1, int(n / 1.8))
    hh = np.sort(rng.integers(0, hh_n, size=n))
    hh_num = rng.integers(100, 9999, size=hh_n)
    hh_street = rng.integers(0, len(streets), size=hh_n)
    hh_zip = rng.integers(1, 17, size=hh_n)
    support = rng.beta(2.2, 1.8, size=n)
    phone_last4 = rng.integers(0, 10_000, size=n)
    has_phone = rng.random(n) < 0.45
    area = np.where(rng.random(n) < 0.7, "919", "984")
    phone = pd.Series(
        [f"{a}555{x:04d}" for a, x in zip(area, phone_last4, strict=True)], dtype="str"
    ).where(has_phone)
    status = rng.choice(np.array(["A", "I", "R", "D", "S"]), size=n, p=[0.8, 0.09, 0.09, 0.015, 0.005])
    people = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "ncid": pd.Series([f"AC{i:07d}" for i in range(1, n + 1)], dtype="str"),
            "first_name": rng.choice(firsts, size=n),
            "middle_name": rng.choice(np.array(["ANN", "LEE", "MARIE", "JAMES", ""]), size=n),
            "last_name": rng.choice(lasts, size=n),
            "suffix": "",
            "sex": rng.choice(np.array(["F", "M", "U"]), size=n, p=[0.52, 0.46, 0.02]),
            "age": rng.integers(18, 95, size=n),
            "party": rng.choice(np.array(["DEM", "REP", "UNA", "LIB", "GRE"]), size=n, p=[0.36, 0.3, 0.32, 0.01, 0.01]),
            "race": rng.choice(np.array(["W", "B", "A", "O", "U"]), size=n),
            "address": pd.Series(hh_num[hh].astype(str), dtype="str") + " " + streets[hh_street[hh]],
            "city": cities[hh_zip[hh] % len(cities)],
            "phone": phone,
            "household_id": hh.astype(np.int64),
            "support": support,
            "turnout_2026": rng.beta(2.0, 1.5, size=n),
            "status": status,
        }
    )
    for c in ("first_name", "middle_name", "last_name", "suffix", "sex", "party", "race",
              "address", "city", "status"):
        people[c] = people[c].astype("str")
    people["zip5"] = ("003" + pd.Series(hh_zip[hh]).map("{:02d}".format)).astype("str")
    registered = rng.random(n) < 0.97
    voters = pd.DataFrame(
        {
            "ncid": people["ncid"][registered],
            "last_name": people["last_name"][registered],
            "first_name": people["first_name"][registered],
            "status_cd": people["status"][registered],
            "zip_code": people["zip5"][registered],
            "full_phone_number": people["phone"][registered].fillna(""),
        }
    ).reset_index(drop=True).astype("str")
    return people, voters
