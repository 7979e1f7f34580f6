"""The volunteers of the field program: who works which shift, and their Mobilize sign-ups.

The canvass and the phone banks run on volunteers. ``Roster`` hands out the shifts of a
program, day by day, to volunteers whose careers follow the organizers' experience: many
come once, those who come back keep coming, about a week apart. ``build_attendance``
then writes the Mobilize event-attendance export the organizers keep: every shift a
volunteer worked is one attended sign-up, and around it the sign-ups that flaked (more
often when nobody confirmed the shift by phone), the people who signed up and never came,
and the sign-ups for shifts still ahead on the export date.

Every share here is an unsourced free parameter (``datasets/README.md`` says so); only
the ordering of flake rates by confirmation channel (call < text < email < none) is the
organizers' rule of thumb.

>>> import numpy as np
>>> roster = Roster(np.random.default_rng(1))
>>> days = np.array(["2026-09-05"] * 3 + ["2026-09-12"] * 3, dtype="datetime64[D]")
>>> who = roster.assign(days)
>>> len(set(who[:3].tolist()))  # one shift per volunteer per day
3
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

#: Chance a volunteer comes back after the first shift, and after each later one (free).
RETURN_AFTER_FIRST = 0.45
RETURN_AFTER_LATER = 0.80
#: Days until a returning volunteer's next shift: 2 + gamma with this mean (free).
RETURN_GAP_MEAN_DAYS = 5.0
#: Volunteers' personal show probability for an unconfirmed sign-up: Beta(a, b) (free).
SHOW_BETA = (6.0, 2.5)
#: Confirmation channels, their share of past sign-ups (free) and their effect on the
#: log-odds of showing (free; ordering call > text > email > none from organizers' practice).
CHANNELS = ("call", "text", "email", "none")
CHANNEL_SHARES = (0.30, 0.30, 0.25, 0.15)
CHANNEL_SHOW_LOGIT = (2.0, 1.2, 0.5, -0.3)
#: Of the sign-ups that will not show, the share who cancel ahead, by channel (free).
CHANNEL_CANCEL_SHARE = (0.55, 0.40, 0.25, 0.05)
#: People who sign up and never show, per volunteer who showed at least once (free).
NEVER_SHOWED_PER_VOLUNTEER = 0.35
#: Sign-up lead time: 1 + exponential days with this mean, capped at 42 (free).
LEAD_DAYS_MEAN = 10.0
LEAD_DAYS_MAX = 42
#: The export: timeslots on or after this day are future sign-ups (attended empty).
EXPORT_DATE = "2026-10-06"
#: Referrer of a sign-up (utm_source; "" = direct) (free).
UTM_SOURCES = ("email", "text", "facebook", "friend", "")
UTM_SHARES = (0.30, 0.15, 0.15, 0.20, 0.20)
#: Canvass staging locations: consecutive precincts share one Mobilize event.
PRECINCTS_PER_STAGING = 4

ATTENDANCE_COLUMNS = [
    "id", "event_id", "event_title", "event_type", "timeslot_id", "timeslot_start", "timeslot_end",
    "user_id", "given_name", "family_name", "email_address", "phone_number", "postal_code",
    "status", "attended", "created_date", "utm_source", "confirmation_channel",
]  # fmt: skip
VOLUNTEER_COLUMNS = ["user_id", "canvassed_by", "show_probability", "fabricator", "walk_shifts", "phone_shifts"]


class Roster:
    """Hands out shifts to volunteers day by day; keeps each volunteer's career across calls.

    A shift goes to the volunteer who has been due back longest (not already working that
    day); when nobody is due, a new volunteer takes it. After each shift a volunteer comes
    back with ``RETURN_AFTER_FIRST`` (after the first) or ``RETURN_AFTER_LATER``.

    >>> r = Roster(np.random.default_rng(3))
    >>> first = r.assign(np.array(["2026-07-11", "2026-07-11"], dtype="datetime64[D]"))
    >>> r.count, len(r.shifts)
    (2, 2)
    """

    def __init__(self, rng: np.random.Generator, first_id: int = 0):
        self.rng = rng
        self.count = 0
        self.first_id = first_id
        self.shifts: list[int] = []  # shifts worked, per volunteer
        self._due: list[tuple[int, int, int]] = []  # (due day, tie-break, volunteer)

    def assign(self, days: np.ndarray) -> np.ndarray:
        """Volunteer number (``first_id`` + 0, 1, ...) for each shift of ``days`` (any order)."""
        day_num = np.asarray(days, dtype="datetime64[D]").astype(np.int64)
        order = np.argsort(day_num, kind="stable")
        out = np.empty(len(day_num), dtype=np.int64)
        n = len(day_num)
        back = self.rng.random(n)
        gap = 2 + np.rint(self.rng.gamma(2.0, RETURN_GAP_MEAN_DAYS / 2.0, size=n)).astype(np.int64)
        tie = self.rng.integers(0, 1 << 30, size=n)
        busy: set[int] = set()
        today = None
        for k, i in enumerate(order):
            d = int(day_num[i])
            if d != today:
                today, busy = d, set()
            held = []
            who = -1
            while self._due and self._due[0][0] <= d:
                item = heapq.heappop(self._due)
                if item[2] in busy:
                    held.append(item)
                    continue
                who = item[2]
                break
            for item in held:
                heapq.heappush(self._due, item)
            if who < 0:
                who = self.count
                self.count += 1
                self.shifts.append(0)
            self.shifts[who] += 1
            busy.add(who)
            stay = RETURN_AFTER_FIRST if self.shifts[who] == 1 else RETURN_AFTER_LATER
            if back[k] < stay:
                heapq.heappush(self._due, (d + int(gap[k]), int(tie[k]), who))
            out[i] = who + self.first_id
        return out


def draw_codes(u: np.ndarray, weights) -> np.ndarray:
    """The category (0..k-1) of each uniform draw ``u``, under ``weights``: k weights, or one row of k per draw.

    >>> draw_codes(np.array([0.05, 0.5, 0.99]), [0.1, 0.6, 0.3]).tolist()
    [0, 1, 2]
    >>> draw_codes(np.array([0.5, 0.5]), [[1.0, 0.0], [0.0, 1.0]]).tolist()
    [0, 1]
    """
    u = np.asarray(u, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), (len(u), np.shape(weights)[-1]))
    cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
    return np.minimum((u[:, None] > cum).sum(axis=1), w.shape[1] - 1)


def _stamp(day: np.ndarray, seconds: np.ndarray) -> pd.Series:
    """``"YYYY-MM-DD HH:MM:SS"`` from days and seconds after midnight.

    >>> _stamp(np.array(["2026-09-05"], dtype="datetime64[D]"), np.array([36_005])).tolist()
    ['2026-09-05 10:00:05']
    """
    ts = np.asarray(day, dtype="datetime64[D]").astype("datetime64[s]") + np.asarray(seconds, dtype=np.int64)
    return pd.Series(pd.DatetimeIndex(ts).strftime("%Y-%m-%d %H:%M:%S"), dtype="str")


def build_attendance(
    shifts: pd.DataFrame, names: pd.DataFrame, fabricators: np.ndarray, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """The Mobilize attendance export and the volunteers' truth, from the shifts worked.

    Args:
        shifts: one row per shift worked: ``volunteer`` (0..n-1), ``kind`` ("Walk"/"Phone"),
            ``day`` (datetime64[D]), ``start`` (minutes after midnight), ``hours`` (planned length),
            ``staging`` (canvass staging location number; ignored for phone shifts).
        names: one row per volunteer 0..m-1 (m >= n: the rest never show): ``user_id``,
            ``given_name``, ``family_name``, ``email_address``, ``phone_number``, ``postal_code``.
        fabricators: volunteer numbers who planted fabricated shifts (truth only).
        rng: the only source of randomness.

    Returns:
        ``{"mobilize_event_attendance.csv": ..., "truth/volunteers.csv": ...}``.

    >>> shifts = pd.DataFrame({"volunteer": [0, 0, 1], "kind": ["Walk", "Walk", "Phone"],
    ...     "day": np.array(["2026-09-05", "2026-09-12", "2026-09-06"], dtype="datetime64[D]"),
    ...     "start": [600, 600, 720], "hours": [3, 3, 2], "staging": [0, 0, 0]})
    >>> names = pd.DataFrame({"user_id": [11, 12, 13], "given_name": ["Ann", "Bo", "Cy"],
    ...     "family_name": ["Lee", "Kim", "Ruiz"], "email_address": ["a@example.com"] * 3,
    ...     "phone_number": ["9195550100"] * 3, "postal_code": ["00301"] * 3})
    >>> out = build_attendance(shifts, names, np.array([], dtype=int), np.random.default_rng(0))
    >>> att = out["mobilize_event_attendance.csv"]
    >>> int((att["attended"] == "True").sum())
    3
    """
    n_vol = len(names)
    show_p = rng.beta(*SHOW_BETA, size=n_vol)
    vol = shifts["volunteer"].to_numpy(dtype=np.int64)
    kind = shifts["kind"].to_numpy(dtype=object)
    day = shifts["day"].to_numpy(dtype="datetime64[D]")
    start = shifts["start"].to_numpy(dtype=np.int64)
    hours = shifts["hours"].to_numpy(dtype=np.int64)
    staging = np.where(kind == "Walk", shifts["staging"].to_numpy(dtype=np.int64), -1)
    export = np.datetime64(EXPORT_DATE)
    logit = np.log(show_p / (1 - show_p))
    ch_logit = np.asarray(CHANNEL_SHOW_LOGIT)

    # every shift worked: one attended sign-up; a channel given that it showed (Bayes: share x show prob)
    n = len(vol)
    q_all = 1 / (1 + np.exp(-(logit[vol][:, None] + ch_logit[None, :])))
    channel = draw_codes(rng.random(n), np.asarray(CHANNEL_SHARES)[None, :] * q_all)
    q = q_all[np.arange(n), channel]
    # the sign-ups before it that did not show, same channel: failures before a success
    n_flake = rng.geometric(np.clip(q, 1e-6, 1.0)) - 1
    rows_vol = [vol]
    rows_day = [day]
    rows_start = [start]
    rows_hours = [hours]
    rows_staging = [staging]
    rows_kind = [kind]
    rows_channel = [channel]
    rows_attended = [np.ones(n, dtype=bool)]
    src = np.repeat(np.arange(n), n_flake)
    off = rng.integers(-21, 22, size=len(src))
    off = np.where(off == 0, 7, off)
    rows_vol.append(vol[src])
    rows_day.append(day[src] + off)
    rows_start.append(start[src])
    rows_hours.append(hours[src])
    rows_staging.append(staging[src])
    rows_kind.append(kind[src])
    rows_channel.append(channel[src])
    rows_attended.append(np.zeros(len(src), dtype=bool))
    # people who signed up and never showed: volunteer numbers past the shift workers
    never = np.arange(int(vol.max()) + 1 if n else 0, n_vol)
    if len(never):
        k = 1 + (rng.random(len(never)) < 0.3)
        nv = np.repeat(never, k)
        like = rng.integers(0, max(n, 1), size=len(nv))
        rows_vol.append(nv)
        rows_day.append(day[like] + rng.integers(-10, 11, size=len(nv)) if n else np.full(len(nv), export))
        rows_start.append(start[like])
        rows_hours.append(hours[like])
        rows_staging.append(staging[like])
        rows_kind.append(kind[like])
        # their channel given that they did not show: share x (1 - show prob)
        miss = 1 - 1 / (1 + np.exp(-(logit[nv][:, None] + ch_logit[None, :])))
        rows_channel.append(draw_codes(rng.random(len(nv)), np.asarray(CHANNEL_SHARES)[None, :] * miss))
        rows_attended.append(np.zeros(len(nv), dtype=bool))
    a_vol = np.concatenate(rows_vol)
    a_day = np.concatenate(rows_day)
    a_start = np.concatenate(rows_start)
    a_hours = np.concatenate(rows_hours)
    a_staging = np.concatenate(rows_staging)
    a_kind = np.concatenate(rows_kind)
    a_channel = np.concatenate(rows_channel)
    a_att = np.concatenate(rows_attended)
    # the program runs 07/11 to 11/02: flakes moved outside it are moved back in
    lo, hi = np.datetime64("2026-07-11"), np.datetime64("2026-11-02")
    a_day = np.clip(a_day, lo, hi)

    m = len(a_vol)
    lead = np.minimum(1 + rng.exponential(LEAD_DAYS_MEAN - 1, size=m), LEAD_DAYS_MAX).astype(np.int64)
    created_day = a_day - lead
    created_sec = rng.integers(8 * 3600, 22 * 3600, size=m)
    future = a_day >= export
    keep = created_day < export  # sign-ups made after the export are not in it
    cancel = ~a_att & (rng.random(m) < np.asarray(CHANNEL_CANCEL_SHARE)[a_channel])
    confirmed = (a_channel < 3) & ~cancel
    status = np.where(cancel, "CANCELLED", np.where(confirmed, "CONFIRMED", "REGISTERED"))
    status = np.where(future, "REGISTERED", status)
    attended = np.where(future, "", np.where(a_att, "True", "False"))
    channel_lbl = np.where(future, "", np.asarray(CHANNELS, dtype=object)[a_channel])
    utm = np.asarray(UTM_SOURCES, dtype=object)[draw_codes(rng.random(m), UTM_SHARES)]

    # events: one canvass event per staging location, one phone-bank event
    is_walk = a_kind == "Walk"
    event_key = np.where(is_walk, a_staging, -1)
    uniq_ev = np.unique(event_key)
    event_id = 4_100 + np.searchsorted(uniq_ev, event_key) * 7
    per = PRECINCTS_PER_STAGING

    def title(k: int) -> str:
        if k < 0:
            return "Yes on A Phone Bank"
        return f"Yes on A Canvass: Precincts {k * per + 1:02d}-{k * per + per:02d}"

    ev_title = np.asarray([title(int(k)) for k in uniq_ev], dtype=object)[np.searchsorted(uniq_ev, event_key)]
    slot_key = pd.MultiIndex.from_arrays([event_key, a_day.astype(np.int64), a_start, a_hours])
    slot_codes, _ = pd.factorize(slot_key, sort=True)

    table = pd.DataFrame(
        {
            "_day": a_day,
            "_start": a_start,
            "event_id": event_id.astype(np.int64),
            "event_title": pd.Series(ev_title, dtype="str"),
            "event_type": pd.Series(np.where(is_walk, "CANVASS", "PHONE_BANK"), dtype="str"),
            "timeslot_id": (700_000 + slot_codes * 3).astype(np.int64),
            "timeslot_start": _stamp(a_day, a_start * 60),
            "timeslot_end": _stamp(a_day, (a_start + a_hours * 60) * 60),
            "user_id": names["user_id"].to_numpy(dtype=np.int64)[a_vol],
            "given_name": names["given_name"].to_numpy(dtype=object)[a_vol],
            "family_name": names["family_name"].to_numpy(dtype=object)[a_vol],
            "email_address": names["email_address"].to_numpy(dtype=object)[a_vol],
            "phone_number": names["phone_number"].to_numpy(dtype=object)[a_vol],
            "postal_code": names["postal_code"].to_numpy(dtype=object)[a_vol],
            "status": status,
            "attended": attended,
            "created_date": _stamp(created_day, created_sec),
            "utm_source": utm,
            "confirmation_channel": channel_lbl,
        }
    )[keep]
    # a volunteer signs up for one timeslot once: repeated flakes on one timeslot collapse,
    # and an attended sign-up wins over a flake on the same timeslot
    table = table.assign(_att=(table["attended"] == "True"))
    table = table.sort_values(["timeslot_id", "user_id", "_att"], ascending=[True, True, False], kind="stable")
    table = table.drop_duplicates(["timeslot_id", "user_id"], keep="first")
    # nobody signs up for a second timeslot on a day they work a shift
    worked_day = pd.MultiIndex.from_frame(table.loc[table["_att"], ["user_id", "_day"]])
    clash = pd.MultiIndex.from_frame(table[["user_id", "_day"]]).isin(worked_day) & ~table["_att"].to_numpy()
    table = table[~clash]
    table = table.sort_values(["_day", "_start", "event_id", "user_id"], kind="stable").reset_index(drop=True)
    ids = rng.permutation(len(table)) + 2_000_001
    table.insert(0, "id", ids.astype(np.int64))
    table = table[ATTENDANCE_COLUMNS]
    for col in ATTENDANCE_COLUMNS:
        if table[col].dtype == object:
            table[col] = table[col].astype("str")
    table["attended"] = table["attended"].where(table["attended"] != "")
    table["confirmation_channel"] = table["confirmation_channel"].where(table["confirmation_channel"] != "")
    table["utm_source"] = table["utm_source"].where(table["utm_source"] != "")

    fab = np.zeros(n_vol, dtype=bool)
    fab[np.asarray(fabricators, dtype=np.int64)] = True
    walk_n = np.bincount(vol[kind == "Walk"], minlength=n_vol)
    phone_n = np.bincount(vol[kind == "Phone"], minlength=n_vol)
    worked = (walk_n + phone_n) > 0
    van_name = (names["family_name"].astype("str") + ", " + names["given_name"].astype("str")).where(worked)
    truth = pd.DataFrame(
        {
            "user_id": names["user_id"].to_numpy(dtype=np.int64),
            "canvassed_by": van_name.astype("str"),
            "show_probability": np.round(show_p, 4),
            "fabricator": fab,
            "walk_shifts": walk_n.astype(np.int64),
            "phone_shifts": phone_n.astype(np.int64),
        }
    )[VOLUNTEER_COLUMNS]
    return {"mobilize_event_attendance.csv": table, "truth/volunteers.csv": truth.sort_values("user_id").reset_index(drop=True)}
