"""The field program: a VAN-style contact history for the Yes on Measure A canvass.

The coalition knocks doors, runs phone banks and sends peer-to-peer (P2P) texts from
July to election eve 2026. It cannot see anybody's true support, so it targets on a
noisy *estimate*: likely supporters of moderate turnout propensity (the GOTV
universe) and persuadable, reliable voters (the persuasion universe). Each row of
``van_contact_history.csv`` is one attempt on one voter, as VAN exports it.

The walk list (cut from an older file, so a few of its voters are removed today) is cut
into turf: each precinct's doors in walk order (street, odd side then even, house
number), in runs of ``TURF_DOORS`` doors. Each pass walks a turf in shifts of 1-4 hours,
one volunteer per shift (``volunteers.Roster``); a door answers with a chance set by its
turf, the shift's time of day and the canvasser. A handful of canvassers fabricate most
of their shifts (``_plant_fabrication``; truth in ``truth/fabricated_shifts.csv``), and
``volunteers.build_attendance`` writes the Mobilize sign-ups around the shifts worked.

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
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['mobilize_event_attendance.csv', 'truth/fabricated_shifts.csv', 'truth/vanid_map.csv',
 'truth/volunteers.csv', 'van_contact_history.csv']
>>> contacts = tables["van_contact_history.csv"]
>>> list(contacts.columns[:4])
['Voter File VANID', 'StateFileID', 'Date Canvassed', 'Time Canvassed']
>>> set(contacts["Contact Type"]) <= {"Walk", "Phone", "SMS/Text"}
True
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from campaignlab.synth import volunteers

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

# --- turf, shifts and the doors (module 04) ----------------------------------------------
#: Universe doors per turf: a turf is a walkable run of doors of one precinct (unsourced).
TURF_DOORS = 80
#: Log-odds that someone answers a door, before turf, hour and canvasser effects. With them,
#: ~25% of door attempts are contacts, 10-50% by turf and time of day (G&G).
DOOR_ANSWER_LOGIT = -1.08
#: Sd of each turf's effect and each canvasser's effect on those log-odds (unsourced).
TURF_LOGIT_SD = 0.40
CANVASSER_LOGIT_SD = 0.15
#: Canvass shift starts (minutes after midnight) and their effect on the log-odds of an
#: answer: weekend 10:00, 13:00, 16:00; weekday 14:00 (afternoon), 17:30 (evening) (unsourced).
WEEKEND_SLOTS = (600, 780, 960)
WEEKEND_SLOT_LOGIT = (-0.05, 0.10, 0.20)
WEEKDAY_SLOTS = (840, 1050)
WEEKDAY_SLOT_LOGIT = (-0.55, 0.25)
#: Share of weekday canvass shifts that go out in the afternoon rather than the evening (unsourced).
WEEKDAY_AFTERNOON_SHARE = 0.35
#: Canvass shift lengths in hours and their shares (unsourced; most are 3-hour shifts).
SHIFT_HOURS = (1, 2, 3, 4)
SHIFT_HOURS_P = (0.06, 0.22, 0.57, 0.15)
#: A turf's leftover doors under this many attempts go to the shift before (unsourced).
MIN_SHIFT_ATTEMPTS = 8
#: Mean seconds between consecutive attempts of a shift: 3,600 / 12 attempts an hour (G&G).
SECONDS_PER_ATTEMPT = 300
#: Shape of the gamma distribution of the walk between two doors (unsourced).
DOOR_GAP_SHAPE = 2.5
#: Doors whose address is no residence ("Wrong Address"), universe voters who died since
#: the file was cut ("Deceased") (unsourced).
WRONG_ADDRESS_RATE = 0.01
DECEASED_SHARE = 0.003
#: Share of the walk list that the current file marks removed (R): the list was cut from an
#: older file (unsourced).
STALE_LIST_SHARE = 0.03
#: Planted fabricated or careless shifts: share of walk shifts, one fabricator per
#: FABRICATOR_SHIFTS walk shifts (at least 3), each faking about this share of their
#: shifts (unsourced).
FABRICATED_SHIFT_SHARE = 0.045
FABRICATOR_SHIFTS = 120
FABRICATOR_SHIFT_SHARE = 0.8
#: A fabricator's style: chance of each kind (rapid, inflated, identical) (unsourced).
FABRICATION_KINDS = ("rapid", "inflated", "identical", "removed")
FABRICATION_STYLE_P = (0.45, 0.6, 0.4)
#: Survey answers an "inflated" fabricator types: mostly yes (unsourced).
FABRICATED_SUPPORT_SHARES = (0.55, 0.30, 0.10, 0.03, 0.02)

RESULTS = (
    "Canvassed", "Not Home", "Refused", "Moved", "Inaccessible", "Wrong Number",
    "Disconnected", "Left Message", "Busy", "Texted", "Deceased", "Wrong Address",
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
    "Turf Name",
    "Shift ID",
    "Date Created",
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


def _staff_names(people: pd.DataFrame, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` distinct "Last, First" user names for volunteers, drawn from the county.

    Names that repeat get a middle initial, then a number, so every user name is unique
    (VAN user names are distinct accounts). Returns (names, row of ``people`` each is drawn from).
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
    return names.to_numpy(dtype=object), pick


def _schedule(
    days: np.ndarray,
    group: np.ndarray,
    per_hour: int,
    shift_hours: int,
    starts_weekend: tuple[int, ...],
    starts_weekday: tuple[int, ...],
    shifts_per_volunteer: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Give each attempt a time of day and a shift, and each shift a staffer of a rota.

    Attempts are ordered by day then ``group`` (a household / dial order) and cut into
    shifts of ``per_hour * shift_hours`` attempts; rows that share a group share a time.
    Shifts of one day have distinct staffers of a rota of ``pool`` staffers.
    Returns (minutes after midnight, shift code, staffer code, pool).

    >>> m, s, w, pool = _schedule(np.array(["2026-09-05"] * 5, dtype="datetime64[D]"), np.arange(5),
    ...                           2, 1, (10,), (17,), 3, np.random.default_rng(0))
    >>> s.tolist(), int(m.min()) >= 600
    ([0, 0, 1, 1, 2], True)
    """
    n = len(days)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, 0
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
    # staff pool: enough for the busiest day, and each staffer works ~shifts_per_volunteer
    uniq_days, day_idx = np.unique(d, return_inverse=True)
    shifts_per_day = np.zeros(len(uniq_days), dtype=np.int64)
    np.maximum.at(shifts_per_day, day_idx, shift + 1)
    pool = max(int(shifts_per_day.max()), int(shifts_per_day.sum()) // shifts_per_volunteer, 3)
    offset = rng.integers(0, pool, size=len(uniq_days))[day_idx]
    who = (offset + shift) % pool
    shift_code = pd.factorize(day_idx.astype(np.int64) * (int(shift.max()) + 1) + shift, sort=True)[0]
    out_min, out_shift, out_who = (np.empty(n, dtype=np.int64) for _ in range(3))
    out_min[order] = minute
    out_shift[order] = shift_code
    out_who[order] = who
    return out_min, out_shift, out_who, pool


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
        ``van_contact_history.csv`` (one row per attempt, see ``CONTACT_COLUMNS``),
        ``truth/vanid_map.csv`` (every VANID -> person_id and ncid, the voter file's join key),
        ``truth/fabricated_shifts.csv`` (Shift ID, Canvassed By, kinds), and from
        ``volunteers.build_attendance``: ``mobilize_event_attendance.csv`` and
        ``truth/volunteers.csv``.

    >>> people, voters = example_people(300, seed=2)
    >>> a = build_field(people, voters, np.random.default_rng(1))["van_contact_history.csv"]
    >>> b = build_field(people, voters, np.random.default_rng(1))["van_contact_history.csv"]
    >>> a.equals(b)
    True
    """
    r_target, r_walk, r_phone, r_sms, r_survey, r_staff = rng.spawn(6)
    r_list, r_vol, r_fab, r_mob = rng.spawn(4)
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
    status = people["status"].astype("str").to_numpy(dtype=object, na_value="")
    active = in_file & (status == "A")
    gotv = active & (est_sup >= 0.60) & (est_turn >= 0.20) & (est_turn <= 0.75)
    persuade = active & (est_sup >= 0.40) & (est_sup < 0.60) & (est_turn >= 0.45)
    # the walk list was cut from an older file: some of its voters are removed (R) today
    was_target = in_file & (status == "R") & (est_sup >= 0.40)  # today's file scores them 0 turnout
    n_target = int((gotv | persuade).sum())
    n_stale = min(int(was_target.sum()), int(round(n_target * STALE_LIST_SHARE / (1 - STALE_LIST_SHARE))))
    stale_pick = np.zeros(n_people, dtype=bool)
    stale_pick[r_list.choice(np.flatnonzero(was_target), size=n_stale, replace=False)] = True
    univ = np.flatnonzero(gotv | persuade | stale_pick)
    stale = stale_pick[univ]
    u_gotv = (gotv | (stale_pick & (est_sup >= 0.60)))[univ]
    u_sup = support[univ]
    # a small share of targets moved out or died since the file was cut
    moved = r_target.random(len(univ)) < 0.04
    deceased = ~moved & (r_list.random(len(univ)) < DECEASED_SHARE)
    gone = moved | stale  # nobody at the door knows them: "Moved"
    hh_code, _ = pd.factorize(people["household_id"].to_numpy()[univ])
    n_hh = int(hh_code.max()) + 1 if len(univ) else 0
    turf = walk_turfs(people.iloc[univ], hh_code, n_hh)
    door_turf, door_rank, turf_names = turf.door_turf, turf.door_rank, turf.names
    turf_logit = r_list.normal(0.0, TURF_LOGIT_SD, size=len(turf_names))
    wrong_address = r_list.random(n_hh) < WRONG_ADDRESS_RATE
    skill = r_list.normal(0.0, CANVASSER_LOGIT_SD, size=len(univ) + 16)
    walk_roster = volunteers.Roster(r_vol)

    R = {name: i for i, name in enumerate(RESULTS)}
    rows_p, rows_day, rows_type, rows_res, rows_group, rows_sec, rows_shift = [], [], [], [], [], [], []
    walk_shifts: list[pd.DataFrame] = []

    # --- walk: up to three passes, turf by turf, each shift a run of doors in walk order ----
    covered = r_walk.random(n_hh) < WALK_TURF_COVERAGE
    contacted = np.zeros(len(univ), dtype=bool)
    done = np.zeros(len(univ), dtype=bool)  # refused, moved, dead or no such address: not again
    pass_prob = (1.0, 0.75, 0.60)
    n_walk_shifts = 0
    for p, window in enumerate(WALK_PASSES):
        hh_on = covered & (r_walk.random(n_hh) < pass_prob[p])
        targeted = hh_on[hh_code] & ~done & (~contacted if p < 2 else u_gotv)
        idx = np.flatnonzero(targeted)
        idx = idx[np.lexsort((idx, door_rank[hh_code[idx]]))]  # walk order
        h = hh_code[idx]
        t = door_turf[h]
        cut = _cut_shifts(t, h, r_walk)
        n_s = int(cut.shift.max()) + 1 if len(idx) else 0
        s_day = _draw_days(r_walk, window, n_s, weekend_weight=3.0)
        s_weekend = (s_day.astype(np.int64) + 3) % 7 >= 5
        we_slot = r_walk.integers(0, len(WEEKEND_SLOTS), size=n_s)
        wd_slot = (r_walk.random(n_s) >= WEEKDAY_AFTERNOON_SHARE).astype(np.int64)
        s_start = np.where(s_weekend, np.asarray(WEEKEND_SLOTS)[we_slot], np.asarray(WEEKDAY_SLOTS)[wd_slot])
        s_slot_logit = np.where(
            s_weekend, np.asarray(WEEKEND_SLOT_LOGIT)[we_slot], np.asarray(WEEKDAY_SLOT_LOGIT)[wd_slot]
        )
        s_vol = walk_roster.assign(s_day)
        s_turf = np.zeros(n_s, dtype=np.int64)
        s_turf[cut.shift] = t
        # results: a door answers with the turf's, the hour's and the canvasser's chance
        sh = cut.shift
        logit = DOOR_ANSWER_LOGIT + turf_logit[t] + s_slot_logit[sh] + skill[s_vol[sh]]
        p_answer = 1.0 / (1.0 + np.exp(-logit))
        u = r_walk.random(n_hh)[h]
        inaccessible = u < DOOR_INACCESSIBLE_RATE
        answered = ~inaccessible & (u < DOOR_INACCESSIBLE_RATE + (1 - DOOR_INACCESSIBLE_RATE) * p_answer)
        no_such = wrong_address[h]
        refuse = r_walk.random(len(idx)) < REFUSAL_SHARE
        talk = np.select([gone[idx], deceased[idx], refuse], [R["Moved"], R["Deceased"], R["Refused"]], R["Canvassed"])
        res = np.select(
            [no_such, inaccessible, answered], [R["Wrong Address"], R["Inaccessible"], talk], R["Not Home"]
        )
        contacted[idx] |= answered & ~no_such & ~gone[idx] & ~deceased[idx]
        done[idx] |= no_such | (answered & (gone[idx] | deceased[idx] | refuse))
        # knock times: seconds between voters of a door, a gamma gap between doors
        same_door = ~cut.first_in_shift & ~cut.new_door
        gap = _knock_gaps(same_door, cut.first_in_shift, r_walk)
        sec = s_start[sh] * 60 + _cumsum_by(gap, cut.first_in_shift)
        rows_p.append(idx)
        rows_day.append(s_day[sh])
        rows_type.append(np.full(len(idx), 0, dtype=np.int8))
        rows_res.append(res)
        rows_group.append(door_rank[h])
        rows_sec.append(sec)
        rows_shift.append(sh + n_walk_shifts)
        walk_shifts.append(
            pd.DataFrame(
                {
                    "volunteer": s_vol,
                    "day": s_day,
                    "start": s_start,
                    "hours": np.ceil(np.bincount(sh, minlength=n_s) / CANVASS_ATTEMPTS_PER_HOUR).astype(np.int64),
                    "turf": s_turf,
                    "staging": turf.precinct[s_turf] // volunteers.PRECINCTS_PER_STAGING,
                }
            )
        )
        n_walk_shifts += n_s
    walk_table = pd.concat(walk_shifts, ignore_index=True)
    walk_table["hours"] = walk_table["hours"].clip(1, 4)

    # --- phone banks: voters with a listed phone not reached at the door ------------------
    has_phone = people["phone"].astype("str").take(univ).fillna("").str.len().to_numpy() > 0
    on_list = has_phone & ~contacted & ~done & ~stale & (r_phone.random(len(univ)) < 0.75)
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
        rows_sec.append(np.zeros(n, dtype=np.int64))
        rows_shift.append(np.full(n, -1, dtype=np.int64))

    # --- P2P texts: GOTV universe with a phone, in the last two weeks ----------------------
    text = u_gotv & has_phone & ~stale & (r_sms.random(len(univ)) < 0.8)
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
    rows_sec.append(np.zeros(n, dtype=np.int64))
    rows_shift.append(np.full(n, -1, dtype=np.int64))

    # --- assemble ------------------------------------------------------------------------
    pidx = np.concatenate(rows_p)
    day = np.concatenate(rows_day)
    ctype = np.concatenate(rows_type)
    result = np.concatenate(rows_res)
    group = np.concatenate(rows_group)
    sec = np.concatenate(rows_sec).astype(np.int64)
    shift = np.concatenate(rows_shift).astype(np.int64)
    n_rows = len(pidx)
    walk = ctype == 0

    # phone banks: shifts of the caller rota, each worked by a volunteer of the phone roster
    m = ctype == 1
    ph_min, ph_shift, _, _ = _schedule(
        day[m], group[m], PHONE_DIALS_PER_HOUR, PHONE_SHIFT_HOURS, (12, 15), (18,), 5, r_staff
    )
    n_ph = int(ph_shift.max()) + 1 if m.any() else 0
    ph_day = np.empty(n_ph, dtype="datetime64[D]")
    ph_day[ph_shift] = day[m]
    ph_start = np.full(n_ph, 24 * 60, dtype=np.int64)
    np.minimum.at(ph_start, ph_shift, ph_min)
    ph_start = ph_start // 60 * 60
    phone_roster = volunteers.Roster(r_vol, first_id=walk_roster.count)
    ph_vol = phone_roster.assign(ph_day)
    sec[m] = ph_min * 60 + r_staff.integers(0, 60, size=int(m.sum()))
    shift[m] = n_walk_shifts + ph_shift
    # P2P texts: the texting team's rota (not Mobilize volunteers)
    m2 = ctype == 2
    sm_min, _, sm_who, sm_pool = _schedule(day[m2], group[m2], 300, 2, (10, 13, 16), (10, 13, 16, 18), 4, r_staff)
    sec[m2] = sm_min * 60

    # planted fabricated and careless canvass shifts
    fab = _plant_fabrication(walk_table, r_fab)
    survey_override = np.full(n_rows, -2, dtype=np.int64)  # -2: the honest survey draw
    is_fab = np.zeros(n_walk_shifts + n_ph + 1, dtype=bool)
    is_fab[fab["shift"].to_numpy()] = True
    f_rows = np.flatnonzero(walk & is_fab[np.maximum(shift, 0)])
    if len(f_rows):
        style = fab.set_index("shift").loc[shift[f_rows]]
        inflated, identical, rapid = (style[k].to_numpy(dtype=bool) for k in ("inflated", "identical", "rapid"))
        c_prob = np.where(inflated, 0.75, np.where(identical, 0.30, 0.06))
        canv = r_fab.random(len(f_rows)) < c_prob
        result[f_rows] = np.where(canv, R["Canvassed"], R["Not Home"])
        rosy = volunteers.draw_codes(r_fab.random(len(f_rows)), FABRICATED_SUPPORT_SHARES)
        flat = r_fab.integers(0, 5, size=len(f_rows))
        answer = np.where(identical, style["answer"].to_numpy(dtype=np.int64), np.where(inflated, rosy, flat))
        survey_override[f_rows] = np.where(canv, answer, -1)
        # rapid: the whole shift clicked through seconds apart
        r_rows = f_rows[rapid]
        if len(r_rows):
            first = np.r_[True, shift[r_rows][1:] != shift[r_rows][:-1]]
            gap = np.where(first, r_fab.uniform(300, 1500, size=len(r_rows)), r_fab.uniform(5, 40, size=len(r_rows)))
            start = walk_table["start"].to_numpy()[shift[r_rows]]
            sec[r_rows] = start * 60 + np.rint(_cumsum_by(gap, first)).astype(np.int64)
        removed_hit = np.zeros(len(is_fab), dtype=bool)
        hit = f_rows[stale[pidx[f_rows]] & canv]
        removed_hit[shift[hit]] = True
        fab = fab.assign(removed=removed_hit[fab["shift"].to_numpy()])
    else:
        fab = fab.assign(removed=np.zeros(len(fab), dtype=bool))
    sec = np.minimum(sec, 24 * 3600 - 1)
    minute = sec // 60

    # volunteers: walk roster, phone roster, people who signed up and never came; then the texters
    n_workers = phone_roster.first_id + phone_roster.count
    n_never = int(round(volunteers.NEVER_SHOWED_PER_VOLUNTEER * n_workers))
    n_vol = n_workers + n_never
    staff_names, staff_pick = _staff_names(people, r_staff, n_vol + sm_pool)
    user_id = 10_001 + r_vol.permutation(n_vol)
    who = np.zeros(n_rows, dtype=np.int64)
    who[walk] = walk_table["volunteer"].to_numpy()[shift[walk]]
    who[m] = ph_vol[ph_shift]
    who[m2] = n_vol + sm_who

    # Shift IDs: W/P - date - start - the volunteer's Mobilize user id
    s_kind = np.r_[np.zeros(n_walk_shifts, dtype=np.int64), np.ones(n_ph, dtype=np.int64)]
    s_day = np.r_[walk_table["day"].to_numpy(dtype="datetime64[D]"), ph_day]
    s_start = np.r_[walk_table["start"].to_numpy(dtype=np.int64), ph_start]
    s_vol = np.r_[walk_table["volunteer"].to_numpy(dtype=np.int64), ph_vol]
    s_label = [
        f"{'WP'[k]}-{d}-{st // 60:02d}{st % 60:02d}-{u:05d}"
        for k, d, st, u in zip(s_kind, _fmt(s_day, "%Y%m%d") if len(s_day) else [], s_start, user_id[s_vol], strict=True)
    ]

    input_u = r_staff.random(n_rows)
    walk_input = np.where(r_staff.random(n_walk_shifts) < 0.88, 0, 1)
    walk_input[fab["shift"].to_numpy()] = 0  # fabricators sync from MiniVAN
    input_type = np.select(
        [walk, m], [walk_input[np.maximum(shift, 0) % max(n_walk_shifts, 1)], np.where(input_u < 0.8, 2, 1)], 3
    )
    canvassed = result == R["Canvassed"]
    noise = np.where(ctype == 0, SUPPORT_REPORT_NOISE_SD, SUPPORT_REPORT_NOISE_SD * 1.2)
    response = _survey(u_sup[pidx], canvassed, noise, r_survey)
    response = np.where(survey_override >= -1, survey_override, response)
    turf_code = np.full(n_rows, -1, dtype=np.int64)
    turf_code[walk] = walk_table["turf"].to_numpy()[shift[walk]]
    shift_code = np.where(m2, -1, shift)

    person = univ[pidx]
    order = _sort_contacts(day, sec, vanid_all[person])
    person, day, sec, minute, ctype, result, who, input_type, response, turf_code, shift_code = (
        x[order] for x in (person, day, sec, minute, ctype, result, who, input_type, response, turf_code, shift_code)
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
            "Time Canvassed": decode(minute, time_labels),
            "Contact Type": decode(ctype, CONTACT_TYPES),
            "Result": decode(result, RESULTS),
            "Canvassed By": decode(who, staff_names),
            "Input Type": decode(input_type, INPUT_TYPES),
            "Survey Question Name": decode(np.where(response >= 0, 0, -1), (SURVEY_QUESTION,)),
            "Survey Response": decode(response, SURVEY_RESPONSES),
            "Turf Name": decode(turf_code, turf_names),
            "Shift ID": decode(shift_code, s_label),
            "Date Created": _date_created(day_code, day_labels, np.where(ctype == 2, -1, sec)),
        }
    )

    # the Mobilize export: every shift worked, the flakes around them, the no-shows
    given, family = _split_names(staff_names[:n_vol])
    names = pd.DataFrame(
        {
            "user_id": user_id,
            "given_name": given,
            "family_name": family,
            "email_address": _emails(given, family, user_id, r_vol),
            "phone_number": pd.Series(9_195_550_000 + r_vol.integers(0, 10_000, size=n_vol)).astype("str"),
            "postal_code": people["zip5"].astype("str").to_numpy(dtype=object)[staff_pick[:n_vol]],
        }
    )
    worked = pd.DataFrame(
        {
            "volunteer": s_vol,
            "kind": np.where(s_kind == 0, "Walk", "Phone"),
            "day": s_day,
            "start": s_start,
            "hours": np.r_[walk_table["hours"].to_numpy(dtype=np.int64), np.full(n_ph, PHONE_SHIFT_HOURS)],
            "staging": np.r_[walk_table["staging"].to_numpy(dtype=np.int64), np.zeros(n_ph, dtype=np.int64)],
        }
    )
    fab_vol = np.unique(walk_table["volunteer"].to_numpy()[fab["shift"].to_numpy()])
    vol_tables = volunteers.build_attendance(worked, names, fab_vol, r_mob)
    kinds = [
        ";".join(k for k, on in zip(FABRICATION_KINDS, row, strict=True) if on)
        for row in fab[list(FABRICATION_KINDS)].itertuples(index=False)
    ]
    fab_truth = pd.DataFrame(
        {
            "Shift ID": pd.Series([s_label[i] for i in fab["shift"]], dtype="str"),
            "Canvassed By": pd.Series(staff_names[walk_table["volunteer"].to_numpy()[fab["shift"].to_numpy()]], dtype="str"),
            "kinds": pd.Series(kinds, dtype="str"),
        }
    ).sort_values("Shift ID", kind="stable").reset_index(drop=True)
    return {
        "van_contact_history.csv": contacts,
        "truth/vanid_map.csv": vanid_map,
        "truth/fabricated_shifts.csv": fab_truth,
        **vol_tables,
    }


def _date_created(day_code: np.ndarray, day_labels: list[str], sec: np.ndarray) -> pd.Series:
    """ "MM/DD/YYYY HH:MM:SS" from day codes and seconds after midnight (-1: missing).

    >>> _date_created(np.array([0, 1]), ["07/11/2026", "07/12/2026"], np.array([36_005, -1])).tolist()
    ['07/11/2026 10:00:05', nan]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    sec = np.asarray(sec, dtype=np.int64)
    hms = [f"{h:02d}:{mm:02d}:{ss:02d}" for h in range(24) for mm in range(60) for ss in range(60)]
    days = pa.array(decode(np.where(sec >= 0, day_code, -1), day_labels), from_pandas=True)
    times = pa.array(decode(sec, hms), from_pandas=True)
    joined = pc.binary_join_element_wise(days, times, pa.scalar(" ", pa.large_string()))
    return pd.Series(joined.to_pandas(), dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _split_names(names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ "Last, First" -> (given, family).

    >>> _split_names(np.array(["Lee, Ann M", "O'Brien, Bo"], dtype=object))
    (array(['Ann M', 'Bo'], dtype=object), array(['Lee', "O'Brien"], dtype=object))
    """
    split = [str(x).partition(", ") for x in names]
    return np.array([g for _, _, g in split], dtype=object), np.array([f for f, _, _ in split], dtype=object)


def _emails(given: np.ndarray, family: np.ndarray, uid: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """first.last@example.com/org/net, lower case, made unique with the user id where needed.

    >>> _emails(np.array(["Ann", "Ann"]), np.array(["O'Lee", "O'Lee"]), np.array([5, 6]),
    ...         np.random.default_rng(0)).str.split("@").str[0].tolist()
    ['ann.olee', 'ann.olee6']
    """
    g = pd.Series(given, dtype="str").str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    f = pd.Series(family, dtype="str").str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    local = g + "." + f
    local = local.where(~local.duplicated(), local + pd.Series(np.asarray(uid)).astype(str))
    domain = np.asarray(["example.com", "example.org", "example.net"], dtype=object)[rng.integers(0, 3, size=len(g))]
    return (local + "@" + domain).astype("str")


class _Turfs(NamedTuple):
    door_turf: np.ndarray  # turf code of each door (household)
    door_rank: np.ndarray  # the door's place in the county's walk order (turf by turf)
    names: list[str]  # "P07-03" per turf code
    precinct: np.ndarray  # 0-based precinct number of each turf


def walk_turfs(doors_people: pd.DataFrame, hh_code: np.ndarray, n_hh: int) -> _Turfs:
    """Cut the universe's doors into walkable turfs: precinct, then runs of ~``TURF_DOORS`` doors.

    Walk order inside a precinct: street (A-Z), odd side then even side, house number up.
    ``doors_people`` holds one row per universe voter (``address``, ``precinct`` or ``zip5``);
    ``hh_code`` gives each row its door 0..n_hh-1.

    >>> ppl = pd.DataFrame({"address": ["12 OAK ST", "7 OAK ST", "9 ELM RD", "4 OAK ST APT 2"],
    ...                     "precinct": ["03", "03", "03", "03"]})
    >>> t = walk_turfs(ppl, np.array([0, 1, 2, 3]), 4)
    >>> t.door_rank.tolist(), t.names
    ([3, 1, 0, 2], ['P03-01'])
    """
    first = np.full(n_hh, -1, dtype=np.int64)
    first[hh_code[::-1]] = np.arange(len(hh_code))[::-1]
    d = doors_people.iloc[first].reset_index(drop=True)
    if "precinct" in d.columns:
        pct = d["precinct"].astype("str").fillna("00").to_numpy(dtype=object)
    else:
        pct = ("Z" + d["zip5"].astype("str").str[-2:]).to_numpy(dtype=object)
    address = d["address"].astype("str").fillna("")
    number = pd.to_numeric(address.str.extract(r"^(\d+)", expand=False), errors="coerce").fillna(0).astype(np.int64)
    street = address.str.replace(r"^\d+\s*", "", regex=True).str.replace(r"\s+APT\s.*$", "", regex=True)
    pct_code = _sorted_codes(pd.Series(pct, dtype="str"))
    street_code = _sorted_codes(street)
    num = number.to_numpy()
    order = np.lexsort((np.arange(n_hh), num, num % 2 == 0, street_code, pct_code))
    rank = np.empty(n_hh, dtype=np.int64)
    rank[order] = np.arange(n_hh)
    # turfs: each precinct's doors, in walk order, cut into ~TURF_DOORS-door runs
    p_sorted = pct_code[order]
    n_pct = int(pct_code.max()) + 1 if n_hh else 0
    per_pct = np.bincount(pct_code, minlength=n_pct)
    n_turf = np.maximum(1, np.rint(per_pct / TURF_DOORS).astype(np.int64))
    pct_start = np.r_[0, np.cumsum(per_pct)[:-1]]
    pos = np.arange(n_hh) - pct_start[p_sorted]
    k = pos * n_turf[p_sorted] // np.maximum(per_pct[p_sorted], 1)
    turf_base = np.r_[0, np.cumsum(n_turf)[:-1]]
    door_turf = np.empty(n_hh, dtype=np.int64)
    door_turf[order] = turf_base[p_sorted] + k
    pct_label = np.empty(n_pct, dtype=object)
    pct_label[pct_code] = pct
    names, precinct = [], []
    for c in range(n_pct):
        for j in range(int(n_turf[c])):
            names.append(f"P{pct_label[c]}-{j + 1:02d}")
            lab = str(pct_label[c])
            precinct.append(int(lab) - 1 if lab.isdigit() else c)
    return _Turfs(door_turf, rank, names, np.asarray(precinct, dtype=np.int64))


class _Cut(NamedTuple):
    shift: np.ndarray  # pass-local shift code of each row (rows of a shift are contiguous)
    first_in_shift: np.ndarray
    new_door: np.ndarray


def _cut_shifts(turf: np.ndarray, door: np.ndarray, rng: np.random.Generator) -> _Cut:
    """Cut rows in walk order (sorted by turf, then door) into canvass shifts of 1-4 hours.

    A shift holds ~``CANVASS_ATTEMPTS_PER_HOUR`` attempts per hour of its length; a door is
    never split; a turf's last shift takes what is left (a short shift).

    >>> c = _cut_shifts(np.zeros(30, dtype=int), np.arange(30), np.random.default_rng(0))
    >>> bool(c.first_in_shift[0]), int(c.shift.max()) >= 0
    (True, True)
    """
    n = len(turf)
    if n == 0:
        z = np.zeros(0, dtype=bool)
        return _Cut(np.zeros(0, dtype=np.int64), z, z)
    new_turf = np.r_[True, turf[1:] != turf[:-1]]
    new_door = new_turf | np.r_[True, door[1:] != door[:-1]]
    turf_start = np.maximum.accumulate(np.where(new_turf, np.arange(n), 0))
    first_pos = np.maximum.accumulate(np.where(new_door, np.arange(n), 0))
    rank = first_pos - turf_start
    offsets = 4096
    hours = rng.choice(np.asarray(SHIFT_HOURS), p=np.asarray(SHIFT_HOURS_P), size=offsets + n // CANVASS_ATTEMPTS_PER_HOUR + 2)
    cum = np.r_[0, np.cumsum(hours * CANVASS_ATTEMPTS_PER_HOUR)]
    o = rng.integers(0, offsets, size=int(turf.max()) + 1)[turf]
    k = np.searchsorted(cum, cum[o] + rank, side="right") - 1 - o
    # a leftover of under MIN_SHIFT_ATTEMPTS at a turf's end joins the shift before it
    last = np.r_[turf[1:] != turf[:-1], True]
    k_last = np.zeros(int(turf.max()) + 1, dtype=np.int64)
    k_last[turf[last]] = k[last]
    tail = (k == k_last[turf]) & (k > 0)
    tail_size = np.bincount(turf[tail], minlength=len(k_last))
    k = np.where(tail & (tail_size[turf] < MIN_SHIFT_ATTEMPTS), k - 1, k)
    shift = pd.factorize(turf.astype(np.int64) * (int(k.max()) + 1) + k, sort=True)[0].astype(np.int64)
    return _Cut(shift, np.r_[True, shift[1:] != shift[:-1]], new_door)


def _knock_gaps(same_door: np.ndarray, first: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds before each attempt: from the shift's start (first), from the voter before.

    Voters of one door are 15-75 s apart; doors a gamma gap apart, sized so attempts average
    ``SECONDS_PER_ATTEMPT`` apart (12 an hour).
    """
    n = len(same_door)
    rest = ~first
    f = float(same_door[rest].mean()) if rest.any() else 0.0
    door_mean = (SECONDS_PER_ATTEMPT - f * 45.0) / max(1.0 - f, 1e-9)
    between = rng.gamma(DOOR_GAP_SHAPE, door_mean / DOOR_GAP_SHAPE, size=n)
    within = rng.uniform(15, 75, size=n)
    start = rng.uniform(300, 1500, size=n)
    return np.where(first, start, np.where(same_door, within, between))


def _cumsum_by(x: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Running sum of ``x`` restarting where ``first`` is True.

    >>> _cumsum_by(np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, False])).tolist()
    [1.0, 3.0, 3.0, 7.0]
    """
    c = np.cumsum(x)
    starts = np.flatnonzero(first)
    grp = np.cumsum(first) - 1
    return c - (c[starts] - x[starts])[grp]


def _plant_fabrication(walk_table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Choose the fabricated shifts: most shifts of a handful of regular canvassers.

    Returns one row per fabricated shift: shift, volunteer, and the canvasser's style
    (rapid, inflated, identical: one or more) and their one identical answer code.

    >>> wt = pd.DataFrame({"volunteer": np.repeat(np.arange(20), 5)})
    >>> fab = _plant_fabrication(wt, np.random.default_rng(1))
    >>> len(fab), fab["volunteer"].nunique() >= 1
    (4, True)
    """
    cols = ["shift", "volunteer", "rapid", "inflated", "identical", "answer"]
    n_s = len(walk_table)
    target = int(round(FABRICATED_SHIFT_SHARE * n_s))
    if target == 0:
        return pd.DataFrame({c: np.zeros(0, dtype=bool if c in cols[2:5] else np.int64) for c in cols})
    vol = walk_table["volunteer"].to_numpy(dtype=np.int64)
    counts = np.bincount(vol)
    n_fab = max(3, int(round(n_s / FABRICATOR_SHIFTS)))
    cand = np.flatnonzero(counts >= 4)
    if len(cand) < n_fab:
        cand = np.flatnonzero(counts >= 1)
    cand = rng.permutation(cand)
    take = min(n_fab, len(cand))
    while take < len(cand) and counts[cand[:take]].sum() * FABRICATOR_SHIFT_SHARE < target:
        take += 1
    chosen = cand[:take]
    theirs = np.flatnonzero(np.isin(vol, chosen))
    pick = np.sort(rng.choice(theirs, size=min(target, len(theirs)), replace=False))
    style_u = rng.random((len(chosen), 3)) < np.asarray(FABRICATION_STYLE_P)
    none = ~style_u.any(axis=1)
    style_u[none, rng.integers(0, 3, size=int(none.sum()))] = True
    answer = np.where(rng.random(len(chosen)) < 0.7, 0, 2)
    who = np.searchsorted(np.sort(chosen), vol[pick])
    order = np.argsort(chosen)
    style = style_u[order][who]
    return pd.DataFrame(
        {
            "shift": pick.astype(np.int64),
            "volunteer": vol[pick],
            "rapid": style[:, 0],
            "inflated": style[:, 1],
            "identical": style[:, 2],
            "answer": answer[order][who].astype(np.int64),
        }
    )


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
    people["precinct"] = pd.Series(hh_zip[hh]).map("{:02d}".format).astype("str")
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
