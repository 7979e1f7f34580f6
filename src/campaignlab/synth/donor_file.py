"""The coalition's donor file, 2023 to the export: who gave before and beside the 2026 program.

``campaignlab.synth.digital`` simulates the July-October 2026 program gift by gift (every
refcoded gift reconciles with ``email_sends.csv`` / ``sms_sends.csv``). This module adds the
rest of the ActBlue export: the list's prior donors (the members tagged ``donor`` before the
program) and donors who never joined the Action Network list (out-of-county supporters who
gave through a partner's page, the website or an event), from January 2023 to the export date.

The model, per donor (every parameter unsourced unless a source is named):

* a first gift on a day drawn from a daily intensity that grows as the coalition grows and
  peaks in the giving season: Giving Tuesday, the last days of December, quarter ends;
* one-time donors give again as a Poisson process at their own rate (gamma-distributed:
  most never come back, a loyal few give several times a year) while they stay "active"
  (an exponential active life); repeats follow the same seasonal calendar;
* ``RECURRING_SHARE`` of new donors start a monthly gift (the program's share), charged on
  the same day each month until they cancel or their card fails (a monthly hazard each);
* a few major donors give $1,000-$5,000 gifts: most of the money, few of the gifts;
* gift amounts: the program's ask string (``digital.ask_amounts``), a donor keeping their
  usual amount most of the time;
* a source per gift: email and SMS only for list members after they joined (refcodes of the
  coalition's pre-program fundraising sends, ``emYYMMDDfr`` / ``smsYYMMDDfu``); events
  (``evYYMMDD...``), partner pages (``partner-...``) and the website (no refcode) for anyone.
  From July 2026 email and SMS gifts are the program's own (built in ``digital``), so history
  donors then give only on the web, at events and through partners.

The truth (``truth/donors.csv``, one row per receipt) names the true donor behind every
receipt, their behaviour segment, the gift's source and, for recurring gifts, the month the
series stopped and why.

>>> import numpy as np
>>> from campaignlab.synth.field import example_people
>>> from campaignlab.synth.digital import build_digital
>>> people, _ = example_people(3000, seed=2)
>>> t = build_digital(people, np.random.default_rng(5))
>>> don, truth = t["donations.csv"], t["truth/donors.csv"]
>>> len(don) == len(truth) and bool((don["Receipt ID"] == truth["receipt_id"]).all())
True
>>> bool(don["Date"].str[:4].min() == "2023")
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.synth import digital as dg

HISTORY_START = np.datetime64("2023-01-01")
#: Donors who are not on the Action Network list, per list member (unsourced).
NONLIST_DONORS_PER_MEMBER = 0.42
#: Share of donors whose capacity is a major gift (unsourced) and their usual gifts.
MAJOR_DONOR_SHARE = 0.012
MAJOR_AMOUNTS = np.array([1000, 2500, 5000], dtype=float)
MAJOR_SHARES = np.array([0.6, 0.3, 0.1])
#: A one-time donor's repeat gifts per active year: gamma (shape, mean) (unsourced; most
#: never give again, about a quarter give again within a year).
REPEAT_RATE_GAMMA = (0.4, 1.1)
MAJOR_REPEAT_RATE = 1.5
#: Mean active life after the first gift, in years (exponential; unsourced).
ACTIVE_YEARS = 1.3
#: Chance a repeat gift is the donor's usual amount (else a fresh draw from the ask string).
SAME_AMOUNT = 0.65
#: Monthly hazards of a recurring series: the donor cancels (the program's
#: ``RECURRING_MONTHLY_CANCEL``) or the card fails and is not updated (unsourced).
CARD_FAILURE_MONTHLY = 0.02
#: The coalition grows: first-gift intensity rises linearly from 1 (Jan 2023) to this at the
#: election, with a further election surge over the program months (unsourced).
GROWTH_AT_ELECTION = 3.0
ELECTION_SURGE = 1.8
#: Seasonal multipliers on the daily intensity (unsourced; the December push is the sector's
#: common experience, not a figure we can cite).
SEASON = {"november": 1.3, "december": 2.0, "year_end": 6.0, "giving_tuesday": 10.0, "quarter_end": 2.0}
GIVING_TUESDAYS = ("2023-11-28", "2024-12-03", "2025-12-02")
#: Sources of a gift, by who and when (unsourced): list members after joining, before
#: joining (or during the program, when email/SMS gifts are the program's), non-list donors.
SOURCES = ("email", "sms", "web", "event", "partner")
SOURCE_SHARES = {
    "member": (0.50, 0.10, 0.28, 0.12, 0.00),
    "member_before": (0.00, 0.00, 0.75, 0.25, 0.00),
    "nonlist": (0.00, 0.00, 0.45, 0.15, 0.40),
}
PARTNERS = ("partner-tenants", "partner-faith", "partner-labor")
PAGES = {"email": "yes-on-a", "sms": "yes-on-a", "web": "yes-on-a-web", "event": "yes-on-a-events",
         "partner": "alder-housing-partners"}  # fmt: skip
#: The coalition's events (day, slug): a gift made at or within three weeks after one is
#: an event gift.
EVENTS = (
    ("2023-04-22", "springhp"), ("2023-08-19", "cookout"), ("2023-10-14", "fallgala"),
    ("2024-04-20", "springhp"), ("2024-08-17", "cookout"), ("2024-10-12", "fallgala"),
    ("2025-04-26", "springhp"), ("2025-08-16", "cookout"), ("2025-10-18", "fallgala"),
    ("2026-04-18", "kickoff"), ("2026-06-13", "summerhp"), ("2026-08-22", "rally"),
    ("2026-09-12", "fallgala"), ("2026-10-10", "houseparty"),
)  # fmt: skip
EVENT_WINDOW_DAYS = 21

RECEIPT_COLUMNS = ["Receipt ID", "Date", "Amount", "Recurring", "Recurrence Number", "Reference Code",
                   "Fundraising Page", "Donor First Name", "Donor Last Name", "Donor Email", "Donor ZIP",
                   "Donor City", "Donor State", "Donor Phone"]  # fmt: skip
TRUTH_COLUMNS = ["receipt_id", "donor_id", "on_list", "person_id", "segment", "source", "series_id",
                 "series_end_month", "series_end_reason"]  # fmt: skip


# --- the calendar -----------------------------------------------------------------------
def _days(start, end) -> np.ndarray:
    return np.arange(np.datetime64(start, "D"), np.datetime64(end, "D"))


def season(days: np.ndarray) -> np.ndarray:
    """Seasonal multiplier of each day (1 on an ordinary day).

    >>> season(np.array(["2024-06-10", "2024-12-03", "2024-12-31"], dtype="datetime64[D]")).tolist()
    [1.0, 10.0, 6.0]
    """
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    w = np.ones(len(days))
    w[month == 11] = SEASON["november"]
    w[month == 12] = SEASON["december"]
    w[(month == 12) & (dom >= 26)] = SEASON["year_end"]
    quarter_end = np.isin(month, [3, 6, 9]) & (dom >= 29)
    w[quarter_end] = SEASON["quarter_end"]
    w[np.isin(days, np.array(GIVING_TUESDAYS, dtype="datetime64[D]"))] = SEASON["giving_tuesday"]
    return w


def _growth(days: np.ndarray) -> np.ndarray:
    span = (dg.EXPORT_DATE - HISTORY_START).astype(np.int64)
    g = 1 + (GROWTH_AT_ELECTION - 1) * (days - HISTORY_START).astype(np.int64) / span
    return g * np.where(days >= dg.PROGRAM_START, ELECTION_SURGE, 1.0)


def email_sends() -> np.ndarray:
    """Days of the coalition's pre-program fundraising emails: the 5th and 19th of each month
    from the list's start, Giving Tuesday and December 29-31.

    >>> d = email_sends()
    >>> str(d[0]), str(d[-1]), bool(np.datetime64("2025-12-31") in d)
    ('2024-01-05', '2026-06-19', True)
    """
    months = np.arange(np.datetime64(dg.LIST_START, "M"), np.datetime64(dg.PROGRAM_START, "M"))
    base = months.astype("datetime64[D]")
    days = np.concatenate([base + 4, base + 18])
    extra = [np.datetime64(d) for d in GIVING_TUESDAYS[1:]] + [
        np.datetime64(f"{y}-12-{d}") for y in (2024, 2025) for d in (29, 30, 31)
    ]
    return np.unique(np.concatenate([days, np.array(extra, dtype="datetime64[D]")]))


def sms_sends() -> np.ndarray:
    """Days of pre-program fundraising texts: the 12th of each month from June 2024, and Dec 31.

    >>> str(sms_sends()[0])
    '2024-06-12'
    """
    months = np.arange(np.datetime64("2024-06", "M"), np.datetime64(dg.PROGRAM_START, "M"))
    extra = np.array(["2024-12-31", "2025-12-31"], dtype="datetime64[D]")
    return np.unique(np.concatenate([months.astype("datetime64[D]") + 11, extra]))


def _last_before(schedule: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the latest schedule day on or before each day (-1 if none) and the gap in days."""
    i = np.searchsorted(schedule, day, side="right") - 1
    gap = np.where(i >= 0, (day - schedule[np.maximum(i, 0)]).astype(np.int64), 10**6)
    return i, gap


# --- donors -----------------------------------------------------------------------------
def _nonlist_donors(people: pd.DataFrame, list_emails: pd.Series, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Out-of-county donors who never joined the list: names mixed from county people, as the
    list's out-of-county sign-ups are; their own emails (example.*) and 555 phones."""
    n_people = len(people)
    o1 = people.iloc[rng.integers(0, n_people, size=n)].reset_index(drop=True)
    o2 = people.iloc[rng.integers(0, n_people, size=n)].reset_index(drop=True)
    given = o1["first_name"].astype("str").fillna("")
    family = o2["last_name"].astype("str").fillna("")
    uuid = dg._uuid4(rng, n)
    age = pd.Series(rng.integers(20, 90, size=n))
    email = dg._emails(given, family, age, uuid, rng)
    taken = email.isin(set(list_emails))
    parts = email.str.split("@", n=1, expand=True)
    email = email.where(~taken, parts[0] + "." + uuid.str[:6] + "@" + parts[1])
    gives_phone = rng.random(n) < dg.PHONE_GIVEN_RATE
    return pd.DataFrame({
        "donor_id": uuid, "given": given, "family": family, "email": email,
        "zip5": "00" + pd.Series(rng.integers(317, 400, size=n)).astype("str"),
        "city": dg._s(rng.choice(dg.OUT_OF_COUNTY_CITIES, size=n)),
        "phone10": dg._new_phones(rng, n).where(gives_phone).astype("str"),
        "member": -1, "person_id": pd.array([pd.NA] * n, dtype="Int64"),
    })  # fmt: skip


def _sample_days(cum: np.ndarray, days: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw of a day in ``[lo, hi)`` (day indices) under cumulative weights ``cum``."""
    c0 = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    c1 = cum[hi - 1]
    idx = np.searchsorted(cum, c0 + u * (c1 - c0), side="left")
    return days[np.clip(idx, lo, hi - 1)]


def build_history(members: pd.DataFrame, people: pd.DataFrame, program: pd.DataFrame,
                  rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The whole donor file: history receipts merged with the program's, and the truth.

    Args:
        members: ``digital._build_members`` output (prior donors have ``donor`` set).
        people: the county's people (names for out-of-county donors).
        program: ``digital._donations`` output (July-October 2026 receipts, attrs intact).
        rng: the only source of randomness (its own stream: nothing else moves).

    Returns:
        ``donations.csv`` (every receipt, by time, Receipt IDs renumbered) and ``truth/donors.csv``.
    """
    r_who, r_when, r_amt, r_src, r_rec = rng.spawn(5)
    # donors: the list's prior donors, then out-of-county donors who never joined
    prior = np.flatnonzero(members["donor"].to_numpy())
    listed = members.iloc[prior].reset_index(drop=True)
    all_pidx = members["pidx"].to_numpy()
    person_of = np.where(all_pidx >= 0, people["person_id"].to_numpy(dtype=np.int64)[np.maximum(all_pidx, 0)], -1)
    pid = person_of[prior]
    d_list = pd.DataFrame({
        "donor_id": listed["uuid"], "given": listed["given"], "family": listed["family"],
        "email": listed["email"], "zip5": listed["zip5"], "city": listed["city"], "phone10": listed["phone10"],
        "member": prior, "person_id": pd.array(np.where(pid >= 0, pid, 0), dtype="Int64"),
    })  # fmt: skip
    d_list.loc[pid < 0, "person_id"] = pd.NA
    n_nl = int(round(NONLIST_DONORS_PER_MEMBER * len(members)))
    donors = pd.concat([d_list, _nonlist_donors(people, members["email"], n_nl, r_who)], ignore_index=True)
    n = len(donors)
    on_list = donors["member"].to_numpy() >= 0
    created = np.full(n, np.datetime64("2100-01-01"), dtype="datetime64[D]")
    created[on_list] = members["created"].to_numpy().astype("datetime64[D]")[prior]
    sms_ok = np.zeros(n, bool)
    sms_ok[on_list] = members["sms_status"].to_numpy(dtype=str)[prior] == "subscribed"

    # first gifts: prior donors before the program, the others until the export
    days = _days(HISTORY_START, dg.EXPORT_DATE)
    n_days = len(days)
    prog_i = int((dg.PROGRAM_START - HISTORY_START).astype(np.int64))
    s = season(days)
    first_cum = np.cumsum(_growth(days) * s)
    rep_cum = np.cumsum(s / s.mean() / 365.25)  # in seasonal "years"
    hi_first = np.where(on_list, prog_i, n_days)
    t0 = _sample_days(first_cum, days, np.zeros(n, np.int64), hi_first, r_when.random(n))
    major = r_amt.random(n) < MAJOR_DONOR_SHARE
    first = dg._gifts(r_amt, np.arange(n), "", HISTORY_START, "")
    recurring = first["recurring"].to_numpy() & ~major
    usual = first["amount"].to_numpy().copy()
    usual[major] = r_amt.choice(MAJOR_AMOUNTS, size=int(major.sum()), p=MAJOR_SHARES)
    rate = r_when.gamma(REPEAT_RATE_GAMMA[0], REPEAT_RATE_GAMMA[1] / REPEAT_RATE_GAMMA[0], size=n)
    rate[major] = MAJOR_REPEAT_RATE
    rate[recurring] = 0.0
    segment = np.select([major, recurring, rate >= 1.0], ["major", "sustainer", "loyal"], "occasional")

    # repeat gifts of one-time donors while active
    i0 = (t0 - HISTORY_START).astype(np.int64)
    end = np.minimum(i0 + 1 + np.ceil(r_when.exponential(ACTIVE_YEARS * 365.25, size=n)).astype(np.int64), n_days)
    lo = np.minimum(i0 + 1, n_days - 1)
    expo = np.where(end > lo, rep_cum[end - 1] - np.where(lo > 0, rep_cum[lo - 1], 0), 0.0)
    k = r_when.poisson(rate * expo)
    who = np.repeat(np.arange(n), k)
    rday = _sample_days(rep_cum, days, lo[who], np.maximum(end[who], lo[who] + 1), r_when.random(len(who)))
    g_who = np.concatenate([np.arange(n), who])
    g_day = np.concatenate([t0, rday])
    g_first = np.concatenate([np.ones(n, bool), np.zeros(len(who), bool)])
    m = len(g_who)
    fresh = dg.ask_amounts(r_amt, m)
    keep_usual = g_first | major[g_who] | (r_amt.random(m) < SAME_AMOUNT)
    g_amt = np.where(keep_usual, usual[g_who], fresh)

    # sources: who can be reached how, on that day
    before = (g_day <= created[g_who]) | (g_day >= dg.PROGRAM_START)
    kind = np.where(~on_list[g_who], 2, np.where(before, 1, 0))
    probs = np.array([SOURCE_SHARES[k] for k in ("member", "member_before", "nonlist")])
    u = r_src.random(m)
    src = (u[:, None] > np.cumsum(probs[kind], axis=1)).sum(axis=1).clip(0, len(SOURCES) - 1)
    src = np.where((src == 1) & ~sms_ok[g_who], 0, src)  # texts only to SMS subscribers
    ref = np.full(m, "", dtype=object)
    hour = np.where(src <= 1, 9 * 3600 + np.minimum(r_src.exponential(6 * 3600, size=m), 40 * 3600),
                    r_src.integers(8 * 3600, 23 * 3600, size=m)).astype(np.int64)  # fmt: skip
    for code, sched, prefix, suffix in ((0, email_sends(), "em", "fr"), (1, sms_sends(), "sms", "fu")):
        sel = src == code
        i, gap = _last_before(sched, g_day)
        ok = sel & (gap <= 5) & (i >= 0)
        ok &= sched[np.maximum(i, 0)] > created[g_who]
        send = sched[np.maximum(i, 0)]
        stamp = pd.DatetimeIndex(send).strftime("%y%m%d").to_numpy(dtype=object)
        ref[ok] = prefix + stamp[ok] + suffix
        g_day = np.where(ok, send, g_day)
        src = np.where(sel & ~ok, 2, src)  # no send just before: the gift came through the website
    ev_day = np.array([d for d, _ in EVENTS], dtype="datetime64[D]")
    ev_ref = np.array([f"ev{d.replace('-', '')[2:]}{slug}" for d, slug in EVENTS], dtype=object)
    i, gap = _last_before(ev_day, g_day)
    ev = (src == 3) & (i >= 0) & (gap <= EVENT_WINDOW_DAYS)
    ref[ev] = ev_ref[np.maximum(i, 0)][ev]
    src = np.where((src == 3) & ~ev, 2, src)
    part = src == 4
    ref[part] = np.array(PARTNERS, dtype=object)[r_src.integers(0, len(PARTNERS), size=int(part.sum()))]
    when = g_day.astype("datetime64[s]") + hour.astype("timedelta64[s]")
    when = np.minimum(when, dg.EXPORT_DATE.astype("datetime64[s]") - np.timedelta64(1, "s"))

    # recurring series: monthly on the first charge's day until cancelled, card failed or export
    is_series = g_first & recurring[g_who]
    hazard = dg.RECURRING_MONTHLY_CANCEL + CARD_FAILURE_MONTHLY
    charges = r_rec.geometric(hazard, size=m)  # charges made before the stop
    why = np.where(r_rec.random(m) < dg.RECURRING_MONTHLY_CANCEL / hazard, "cancelled", "card failed")
    months_left = ((dg.EXPORT_DATE.astype("datetime64[M]") - when.astype("datetime64[M]")).astype(np.int64) + 1)
    n_ch = np.where(is_series, np.minimum(charges, months_left), 1)
    rep = np.repeat(np.arange(m), n_ch)
    kth = np.arange(len(rep)) - np.repeat(np.cumsum(n_ch) - n_ch, n_ch)
    t = _monthly(when[rep], kth)
    keep = t < dg.EXPORT_DATE.astype("datetime64[s]")
    rep, kth, t = rep[keep], kth[keep], t[keep]
    made = np.bincount(rep, minlength=m)
    stop_t = _monthly(when, made)
    stopped = is_series & (charges <= made) & (stop_t < dg.EXPORT_DATE.astype("datetime64[s]"))
    end_month = np.where(stopped, pd.DatetimeIndex(stop_t).strftime("%Y-%m").to_numpy(dtype=object), None)
    end_why = np.where(stopped, why, np.where(is_series, "active", None))

    d = donors.iloc[g_who[rep]].reset_index(drop=True)
    srec = is_series[rep]
    hist = pd.DataFrame({
        "Date": dg._dates_to_str(t, "%Y-%m-%d %H:%M:%S"),
        "Amount": np.round(g_amt[rep], 2),
        "Recurring": dg._s(np.where(srec, "Y", "N")),
        "Recurrence Number": pd.array(np.where(srec, kth + 1, 0), dtype="Int64"),
        "Reference Code": dg._s(ref[rep]),
        "Fundraising Page": dg._s(np.array([PAGES[s] for s in SOURCES], dtype=object)[src[rep]]),
        "Donor First Name": d["given"].str.title(), "Donor Last Name": d["family"].str.title(),
        "Donor Email": d["email"], "Donor ZIP": d["zip5"].where(d["zip5"].str.len() == 5, ""),
        "Donor City": d["city"].str.title(), "Donor State": dg._s(np.full(len(rep), "CB")),
        "Donor Phone": d["phone10"],
    })  # fmt: skip
    hist.loc[~srec, "Recurrence Number"] = pd.NA
    hist["Reference Code"] = hist["Reference Code"].replace("", pd.NA)
    series_id = np.where(srec, np.char.add("S", (rep + 1).astype(str)), None)
    h_truth = pd.DataFrame({
        "donor_id": d["donor_id"], "on_list": on_list[g_who[rep]], "person_id": d["person_id"],
        "segment": dg._s(segment[g_who[rep]]), "source": dg._s(np.array(SOURCES)[src[rep]]),
        "series_id": dg._s(series_id), "series_end_month": dg._s(end_month[rep]),
        "series_end_reason": dg._s(end_why[rep]),
    })  # fmt: skip
    segment_of = pd.Series(segment, index=donors["donor_id"].to_numpy())
    return _merge(program, _program_truth(members, person_of, segment_of, program), hist, h_truth)


def _monthly(first: np.ndarray, kth: np.ndarray) -> np.ndarray:
    """Time of the ``kth`` (0-based) monthly charge of series that started at ``first``: the same
    day of the month (at most the 28th) and time of day.

    >>> t = np.array(["2025-01-31T10:00:00"], dtype="datetime64[s]")
    >>> str(_monthly(t, np.array([1]))[0])
    '2025-02-28T10:00:00'
    """
    base_m = first.astype("datetime64[M]")
    dom = np.minimum((first.astype("datetime64[D]") - base_m.astype("datetime64[D]")).astype(np.int64), 27)
    tod = first - first.astype("datetime64[D]").astype("datetime64[s]")
    d = (base_m + kth.astype("timedelta64[M]")).astype("datetime64[D]") + dom.astype("timedelta64[D]")
    return np.where(kth == 0, first, d.astype("datetime64[s]") + tod)


def _program_truth(members: pd.DataFrame, person_of: np.ndarray, segment_of: pd.Series,
                   program: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Truth rows of the program's receipts (their monthly gifts stop only by cancelling)."""
    mem, gift = program.attrs["member"], program.attrs["gift"]
    uuid = members["uuid"].to_numpy(dtype=object)[mem]
    is_rec = (program["Recurring"] == "Y").to_numpy()
    made = np.bincount(gift, minlength=int(gift.max(initial=-1)) + 1)[gift]
    first_t = pd.to_datetime(program["Date"]).groupby(gift).transform("min").to_numpy().astype("datetime64[s]")
    stop_t = _monthly(first_t, made)
    cancel_after = program.attrs["cancel_after"][gift]
    stopped = is_rec & (cancel_after <= made) & (stop_t < dg.EXPORT_DATE.astype("datetime64[s]"))
    person = person_of[mem]
    out = pd.DataFrame({
        "donor_id": dg._s(uuid), "on_list": True,
        "person_id": pd.array(np.where(person >= 0, person, 0), dtype="Int64"),
        "segment": pd.Series(uuid).map(segment_of).fillna("2026 program").astype("str"),
        "source": dg._s(program.attrs["channel"][gift]),
        "series_id": dg._s(np.where(is_rec, np.char.add("P", (gift + 1).astype(str)), None)),
        "series_end_month": dg._s(np.where(stopped, pd.DatetimeIndex(stop_t).strftime("%Y-%m"), None)),
        "series_end_reason": dg._s(np.where(stopped, "cancelled", np.where(is_rec, "active", None))),
    })  # fmt: skip
    out.loc[person < 0, "person_id"] = pd.NA
    return out


def _merge(program: pd.DataFrame, p_truth: pd.DataFrame, hist: pd.DataFrame, h_truth: pd.DataFrame):
    """All receipts in time order (the program's first on ties), Receipt IDs renumbered."""
    rows = pd.concat([program.drop(columns="Receipt ID").reset_index(drop=True), hist], ignore_index=True)
    truth = pd.concat([p_truth, h_truth], ignore_index=True)
    order = np.argsort(rows["Date"].to_numpy(dtype=str), kind="stable")
    rows, truth = rows.iloc[order].reset_index(drop=True), truth.iloc[order].reset_index(drop=True)
    receipt = dg._s(np.char.add("AB", (10_000_001 + np.arange(len(rows))).astype(str)))
    rows.insert(0, "Receipt ID", receipt)
    truth.insert(0, "receipt_id", receipt)
    for c in ("donor_id", "segment", "source", "series_id", "series_end_month", "series_end_reason"):
        truth[c] = truth[c].astype("str")
    return rows[RECEIPT_COLUMNS], truth[TRUTH_COLUMNS]
