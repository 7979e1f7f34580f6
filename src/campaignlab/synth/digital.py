"""The digital program: an Action Network list, email and SMS sends, an A/B test, donations.

The Yes on Measure A coalition keeps its supporters in an Action Network list (volunteers,
donors, petition signers, ~11% of the county plus out-of-county signups), emails them,
texts them and raises money through refcoded links. Every table is built from one
per-member simulation, so the files reconcile: a gift counted in ``email_sends.csv`` is a
row of ``donations.csv`` with that send's refcode, an unsubscribe shows in the member's
final ``can2_subscription_status``, and the A/B recipient rows add up to the A/B sends.

Calibration (M+R Benchmarks; summarised in ``datasets/README.md``). M+R Benchmarks 2022:
fundraising email click-through 0.54%, response 0.09%; welcome 3.2%, newsletter 1.1%;
unsubscribes 9.1%/yr, bounces 7.8%/yr; ~60 emails per subscriber per year. M+R Benchmarks
2024: advocacy click-through 2.1%, response 1.8%; $58 raised per 1,000 fundraising emails;
texts 4.8% click-through, 3.9% response. M+R Benchmarks 2019: P2P texts 14% replies, 2%
opt-outs; fundraising texts 4.2% click-through, 0.7% opt-out. Opens ~28%, inflated by
Apple Mail Privacy Protection ("machine opens", modelled).
The average gift is unsourced (Blackbaud 2021 online ~$204; 2012 small-dollar ~$53): our
first charges average ~$65 (ask-string mix, 12% monthly recurring), which with the 0.09%
response gives ~$58 per 1,000 fundraising emails. ``donations.csv`` also holds the
coalition's donor file from 2023 (``campaignlab.synth.donor_file``): prior donors and donors
off the list, drawn from a fifth child of ``rng`` so that the program's files do not move.

>>> import numpy as np
>>> from campaignlab.synth.field import example_people
>>> from campaignlab.synth.digital import build_digital
>>> people, _ = example_people(2000, seed=1)
>>> tables = build_digital(people, np.random.default_rng(3))
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['action_network_export.csv', 'donations.csv', 'email_ab_test_recipients.csv',
 'email_sends.csv', 'sms_sends.csv', 'truth/ab_tests.csv', 'truth/donors.csv',
 'truth/email_opens.csv', 'truth/list_matches.csv']
>>> tables["action_network_export.csv"]["email"].str.endswith(
...     ("@example.com", "@example.org", "@example.net")).all()
np.True_

Sign-ups shorten first names with the nicknames of the cleaner's table:

>>> from campaignlab.synth.digital import SIGNUP_NICKNAMES
>>> SIGNUP_NICKNAMES["WILLIAM"], SIGNUP_NICKNAMES["MARY"]
(('BILL', 'WILL', 'BILLY'), ('MOLLY',))
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.names import NICKNAMES

# --- calendar (the coalition's field + digital program, July-October 2026) ---------------
LIST_START = np.datetime64("2024-01-01")
PROGRAM_START = np.datetime64("2026-07-01")
EXPORT_DATE = np.datetime64("2026-11-02")

# --- the list -------------------------------------------------------------------------
#: Share of county people on the list (volunteers, donors, petition signers: 8-15%; unsourced).
MEMBER_SHARE = 0.11
#: Out-of-county / unmatchable signups, as a share of in-county members (unsourced).
OUT_OF_COUNTY_SHARE = 0.12
#: In-county members who signed up twice with a second email (unsourced).
DUPLICATE_SIGNUP_RATE = 0.03
#: Share of members created before the program started (unsourced).
PRE_PROGRAM_SHARE = 0.55
#: Name and contact mess on sign-up forms (all unsourced: free parameters).
NICKNAME_RATE = 0.35  # of members whose first name has a common nickname
MIDDLE_AS_FIRST_RATE = 0.02
FIRST_TYPO_RATE = 0.03
LAST_TYPO_RATE = 0.02
MOVED_RATE = 0.06  # in-county members whose list address is newer than the voter file's
ZIP_MISSING_RATE = 0.05
ZIP_LOST_ZEROS_RATE = 0.06  # "304" for "00304", as after a trip through Excel
ZIP_PLUS4_RATE = 0.04
PHONE_GIVEN_RATE = 0.55
ADDRESS_GIVEN_RATE = 0.45
SMS_OPT_IN_RATE = 0.70  # of members who gave a phone
VOLUNTEER_RATE = 0.18
PRIOR_DONOR_RATE = 0.10
PETITION_RATE = 0.70
EVENT_RATE = 0.15

# --- email (M+R Benchmarks; see module docstring) ---------------------------------------
EMAILS_PER_SUBSCRIBER_YEAR = 60  # M+R 2022
UNSUBSCRIBE_RATE_YEAR = 0.091  # M+R 2022
BOUNCE_RATE_YEAR = 0.078  # M+R 2022
UNSUB_PER_EMAIL = UNSUBSCRIBE_RATE_YEAR / EMAILS_PER_SUBSCRIBER_YEAR
BOUNCE_PER_EMAIL = BOUNCE_RATE_YEAR / EMAILS_PER_SUBSCRIBER_YEAR
#: Apple Mail Privacy Protection: share of members whose mail app pre-fetches every message
#: (unsourced; chosen so total opens are ~28%, M+R), and chance a pre-fetch happens.
MPP_SHARE = 0.25
MPP_AUTO_OPEN = 0.97
#: Per message type: (human open rate, click-through per delivered, conversion per click).
#: Click-through: M+R fundraising 0.54%, advocacy 2.1%, welcome 3.2%, newsletter 1.1%.
#: Conversion: fundraising response 0.09% (a gift), advocacy response 1.8% (an action).
#: Human open rates are unsourced (chosen so opens total ~28% with MPP).
EMAIL_RATES = {
    ("fundraising", "Donors"): (0.080, 0.0110, 0.36),
    ("fundraising", "Non-donors"): (0.042, 0.0046, 0.11),
    ("advocacy", "*"): (0.060, 0.0210, 0.018 / 0.021),
    ("newsletter", "*"): (0.050, 0.0110, 0.0),
    ("welcome", "*"): (0.150, 0.0320, 0.0),
}
#: Ask-string gift amounts and their shares (unsourced; mean ~$73), plus "other amount"
#: gifts drawn log-normally; many small gifts, a few large. With 12% of gifts recurring at
#: ~$16/month the first-charge mean is ~$65, i.e. ~$58 per 1,000 emails at 0.09% response.
GIFT_AMOUNTS = np.array([5, 10, 15, 20, 25, 27, 35, 50, 100, 250, 500, 1000], dtype=float)
GIFT_SHARES = np.array([0.07, 0.12, 0.05, 0.07, 0.21, 0.04, 0.05, 0.15, 0.13, 0.07, 0.025, 0.015])
OTHER_AMOUNT_SHARE = 0.10
OTHER_AMOUNT_LOGNORMAL = (3.6, 0.9)  # median ~$37 (unsourced)
RECURRING_SHARE = 0.12  # of new gifts (unsourced)
RECURRING_AMOUNTS = np.array([5, 10, 15, 20, 25, 50], dtype=float)
RECURRING_SHARES = np.array([0.15, 0.30, 0.15, 0.15, 0.20, 0.05])
RECURRING_MONTHLY_CANCEL = 0.06  # unsourced
#: Expected first charge of a new gift (the A/B truth uses it).
MEAN_FIRST_GIFT = round(
    (1 - RECURRING_SHARE)
    * ((1 - OTHER_AMOUNT_SHARE) * float(GIFT_AMOUNTS @ GIFT_SHARES)
       + OTHER_AMOUNT_SHARE * float(np.exp(OTHER_AMOUNT_LOGNORMAL[0] + OTHER_AMOUNT_LOGNORMAL[1] ** 2 / 2)))
    + RECURRING_SHARE * float(RECURRING_AMOUNTS @ RECURRING_SHARES),
    2,
)
#: Gifts made outside any email/SMS (website, events), per refcoded gift (unsourced).
ORGANIC_GIFTS_PER_REFCODED = 0.40

# --- SMS (M+R 2019/2024) --------------------------------------------------------------
SMS_DELIVERY_RATE = 0.97  # unsourced
P2P_REPLY_RATE = 0.14  # M+R 2019
P2P_OPT_OUT_RATE = 0.02  # M+R 2019
SMS_FUNDRAISING_CTR = 0.042  # M+R 2019
SMS_FUNDRAISING_OPT_OUT = 0.007  # M+R 2019
SMS_FUNDRAISING_GIFT_PER_CLICK = 0.06  # unsourced
SMS_CTR = 0.048  # M+R 2024, all texts
SMS_RESPONSE = 0.039  # M+R 2024 (actions on advocacy/event texts)
SMS_OPT_OUT = 0.007  # unsourced for non-fundraising broadcasts: M+R 2019 fundraising figure

EMAIL_DOMAINS = np.array(["example.com", "example.net", "example.org"])
EMAIL_DOMAIN_SHARES = np.array([0.55, 0.25, 0.20])
OUT_OF_COUNTY_CITIES = np.array(["PORT HALLEY", "GRANTHAM", "WESTBURY", "LAKEMONT", "NORTHFIELD", "SILVER RUN"])

#: (send date, type, subject). Twenty list-wide messages in 124 days = ~59 per year.
EMAIL_MESSAGES = (
    ("2026-07-02", "newsletter", "Measure A: what's next this summer"),
    ("2026-07-07", "fundraising", "Can you chip in before the 4th of July rush fades?"),
    ("2026-07-15", "advocacy", "Sign: homes for Alder County families"),
    ("2026-07-21", "fundraising", "We're 400 dollars from our goal"),
    ("2026-07-30", "fundraising", "Midnight deadline: July numbers"),
    ("2026-08-03", "newsletter", "August update from the Yes on A coalition"),
    ("2026-08-05", "advocacy", "Tell the county board: put Measure A first"),
    ("2026-08-11", "fundraising", "Rent went up again. We're fighting back."),
    ("2026-08-19", "advocacy", "AB-01"),
    ("2026-08-25", "fundraising", "Our first TV ad (we need your help)"),
    ("2026-09-01", "newsletter", "September: 9 weeks to go"),
    ("2026-09-08", "fundraising", "AB-02"),
    ("2026-09-16", "advocacy", "Pledge to vote Yes on A"),
    ("2026-09-22", "fundraising", "Quarter-end: where we stand"),
    ("2026-09-30", "fundraising", "Final hours of Q3"),
    ("2026-10-01", "newsletter", "October: early voting starts soon"),
    ("2026-10-06", "advocacy", "Write a letter to the editor"),
    ("2026-10-13", "fundraising", "Opponents just outspent us 3 to 1"),
    ("2026-10-20", "advocacy", "Make your plan to vote"),
    ("2026-10-27", "fundraising", "One week. One last push."),
)
#: A/B subject-line tests with true rates per variant: (human open, click-through per
#: delivered, conversion per delivered). AB-01 splits the whole list; AB-02 tests four
#: subject lines on 20% of the list and sends the observed winner (by gifts) to the rest.
AB_TESTS = {
    "AB-01": {
        "type": "advocacy",
        "test_share": 1.0,
        "variants": {
            "A": ("Tell the council: fund Measure A", 0.055, 0.0190, 0.0160),
            "B": ("Your neighbors can't wait", 0.070, 0.0260, 0.0220),
        },
    },
    "AB-02": {
        "type": "fundraising",
        "test_share": 0.20,
        "variants": {
            "A": ("Can you chip in $5?", 0.045, 0.0050, 0.0008),
            "B": ("We're behind. Here's why.", 0.050, 0.0060, 0.0010),
            "C": ("3 days left to fund the field program", 0.060, 0.0075, 0.0014),
            "D": ("Re: Measure A", 0.085, 0.0055, 0.0008),
        },
    },
}
#: (send date, type, purpose, audience)
SMS_SENDS = (
    ("2026-07-09", "broadcast", "fundraising", "SMS subscribers"),
    ("2026-07-18", "p2p", "volunteer recruitment", "SMS subscribers"),
    ("2026-07-30", "broadcast", "fundraising", "SMS subscribers"),
    ("2026-08-13", "broadcast", "advocacy", "SMS subscribers"),
    ("2026-08-22", "p2p", "event", "SMS subscribers"),
    ("2026-09-10", "broadcast", "event", "SMS subscribers"),
    ("2026-09-19", "p2p", "volunteer recruitment", "SMS subscribers"),
    ("2026-09-29", "broadcast", "fundraising", "SMS subscribers"),
    ("2026-10-08", "broadcast", "advocacy", "SMS subscribers"),
    ("2026-10-17", "p2p", "gotv", "SMS subscribers"),
    ("2026-10-21", "broadcast", "gotv", "SMS subscribers"),
    ("2026-10-30", "broadcast", "fundraising", "SMS subscribers"),
    ("2026-10-31", "p2p", "gotv", "SMS subscribers"),
    ("2026-11-02", "broadcast", "gotv", "SMS subscribers"),
)

#: The formal names whose sign-ups may use a nickname, and how many of the nicknames the
#: cleaner's table (``campaignlab.voterfile.names.NICKNAMES``) lists for each they draw from
#: (the first n, in that order; nicknames added to the table later are not drawn). The
#: generator's own choice, part of the canonical county: changing it changes ``datasets/``.
_SIGNUP_NAMES = """
    WILLIAM:3 ROBERT:3 JAMES:3 JOHN:2 MICHAEL:1 RICHARD:3 THOMAS:2 CHARLES:2 JOSEPH:2 DANIEL:2
    CHRISTOPHER:1 MATTHEW:1 ANTHONY:1 DAVID:1 STEVEN:1 STEPHEN:1 EDWARD:3 KENNETH:2 ANDREW:2
    JOSHUA:1 BENJAMIN:1 SAMUEL:1 NICHOLAS:1 ALEXANDER:1 TIMOTHY:1 PATRICK:1 GREGORY:1 DONALD:1
    RONALD:1 GERALD:1 LAWRENCE:1 PETER:1 JONATHAN:1 JEFFREY:1 ELIZABETH:4 JENNIFER:2 PATRICIA:3
    MARGARET:3 SUSAN:1 DEBORAH:2 KATHERINE:3 CATHERINE:2 CHRISTINE:2 CHRISTINA:1 REBECCA:1
    JESSICA:1 SAMANTHA:1 VICTORIA:2 ABIGAIL:1 ALEXANDRA:1 KIMBERLY:1 PAMELA:1 BARBARA:1 SANDRA:1
    CYNTHIA:1 JACQUELINE:1 STEPHANIE:1 ANGELA:1 THERESA:1 MARY:1
""".split()
#: Formal first name -> the nicknames its sign-ups may use (one drawn uniformly).
SIGNUP_NICKNAMES: dict[str, tuple[str, ...]] = {
    name: NICKNAMES[name][: int(n)]
    for name, _, n in (entry.partition(":") for entry in _SIGNUP_NAMES)
}
_NICK_FLAT = {f"{k}|{i}": v for k, vs in SIGNUP_NICKNAMES.items() for i, v in enumerate(vs)}
_NICK_COUNT = {k: len(vs) for k, vs in SIGNUP_NICKNAMES.items()}

LIST_COLUMNS = [
    "uuid", "first_name", "last_name", "email", "zip_code", "can2_phone", "can2_user_address",
    "can2_user_city", "can2_state_abbreviated", "can2_subscription_status", "can2_sms_status",
    "can2_user_tags", "created_date",
]


# --- vectorised helpers ---------------------------------------------------------------
def _s(values) -> pd.Series:
    """A fresh 0..n-1 indexed ``str`` Series."""
    return pd.Series(np.asarray(values, dtype=object), dtype="str")


def _uuid4(rng: np.random.Generator, n: int) -> pd.Series:
    """``n`` random version-4 UUID strings, without a Python loop.

    >>> u = _uuid4(np.random.default_rng(0), 2)
    >>> u.str.len().tolist(), u.str[14].tolist()
    ([36, 36], ['4', '4'])
    """
    b = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    b[:, 6] = (b[:, 6] & 0x0F) | 0x40
    b[:, 8] = (b[:, 8] & 0x3F) | 0x80
    hexchars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    h = np.empty((n, 32), dtype=np.uint8)
    h[:, 0::2] = hexchars[b >> 4]
    h[:, 1::2] = hexchars[b & 0x0F]
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    full = np.hstack([h[:, :8], dash, h[:, 8:12], dash, h[:, 12:16], dash, h[:, 16:20], dash, h[:, 20:]])
    return _s(np.ascontiguousarray(full).view("S36").ravel().astype(str))


def _typo(values: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Drop, double or swap one letter of each value (vectorised over a char matrix).

    >>> _typo(_s(["WILLIAM", "ANN"]), np.random.default_rng(1)).str.len().between(2, 8).all()
    np.True_
    """
    n = len(values)
    if n == 0:
        return values
    arr = values.fillna("").to_numpy(dtype=str)
    width = max(int(np.char.str_len(arr).max()), 1) + 1
    m = arr.astype(f"U{width}").view(np.uint32).reshape(n, width)
    lens = np.char.str_len(arr)
    pos = np.floor(rng.random(n) * np.maximum(lens - 1, 1)).astype(np.int64)
    op = rng.integers(0, 3, size=n)  # 0 drop, 1 double, 2 swap with next
    j = np.arange(width)[None, :]
    p = pos[:, None]
    o = op[:, None]
    src = np.where(o == 0, np.where(j >= p, j + 1, j), np.where(o == 1, np.where(j > p, j - 1, j), j))
    src = np.where((o == 2) & (j == p), p + 1, np.where((o == 2) & (j == p + 1), p, src))
    src = np.clip(src, 0, width - 1)
    out = np.take_along_axis(m, src, axis=1)
    out[:, -1] = 0 if width > 1 else out[:, -1]
    res = np.ascontiguousarray(out).view(f"U{width}").ravel()
    short = lens < 2
    res = np.where(short, arr, res)
    return _s(res)


def _mixed_case(values: pd.Series, rng: np.random.Generator, shares=(0.75, 0.12, 0.13)) -> pd.Series:
    """Title case, lower case or UPPER case, as people type into forms."""
    u = rng.random(len(values))
    title, lower = values.str.title(), values.str.lower()
    return title.where(u < shares[0], lower.where(u < shares[0] + shares[1], values.str.upper()))


def _dates_to_str(ts: np.ndarray, fmt: str) -> pd.Series:
    """Format datetime64 values (any unit) as strings."""
    return _s(pd.DatetimeIndex(ts).strftime(fmt))


def _rising_dates(rng: np.random.Generator, n: int, start, end) -> np.ndarray:
    """Timestamps between start and end whose density rises toward the end (lists grow)."""
    span = (np.datetime64(end, "s") - np.datetime64(start, "s")).astype(np.int64)
    off = (np.sqrt(rng.random(n)) * span).astype(np.int64)
    return np.datetime64(start, "s") + off.astype("timedelta64[s]")


def _new_phones(rng: np.random.Generator, n: int) -> pd.Series:
    area = np.where(rng.random(n) < 0.65, "919", "984")
    last4 = pd.Series(rng.integers(0, 10_000, size=n)).astype(str).str.zfill(4)
    return _s(area) + "555" + last4.astype("str").reset_index(drop=True)


def _format_phones(ten: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Format 10-digit phones as people type them, including 7-digit leftovers."""
    a, b, c = ten.str[0:3], ten.str[3:6], ten.str[6:10]
    fmts = [
        "(" + a + ") " + b + "-" + c,
        a + "-" + b + "-" + c,
        a + "." + b + "." + c,
        "+1" + ten,
        ten,
        b + "-" + c,
        "1 " + a + " " + b + " " + c,
    ]
    shares = np.array([0.25, 0.2, 0.1, 0.2, 0.15, 0.05, 0.05])
    k = rng.choice(len(fmts), size=len(ten), p=shares)
    out = fmts[0]
    for i in range(1, len(fmts)):
        out = out.where(k != i, fmts[i])
    return out


def ask_amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    """One-time gift amounts: the ask string, plus log-normal "other amount" gifts (>= $3).

    >>> a = ask_amounts(np.random.default_rng(0), 1000)
    >>> bool((a >= 3).all()), bool(np.median(a) < a.mean())
    (True, True)
    """
    amt = rng.choice(GIFT_AMOUNTS, size=n, p=GIFT_SHARES)
    other = rng.random(n) < OTHER_AMOUNT_SHARE
    mu, sd = OTHER_AMOUNT_LOGNORMAL
    amt[other] = np.maximum(np.round(rng.lognormal(mu, sd, size=int(other.sum()))), 3.0)
    return amt


def _gifts(rng: np.random.Generator, who: np.ndarray, refcode: str, date, channel: str) -> pd.DataFrame:
    """New gifts by members ``who``: amount of the first charge and whether it recurs monthly."""
    n = len(who)
    amt = ask_amounts(rng, n)
    recurring = rng.random(n) < RECURRING_SHARE
    amt[recurring] = rng.choice(RECURRING_AMOUNTS, size=int(recurring.sum()), p=RECURRING_SHARES)
    return pd.DataFrame(
        {"member": who, "refcode": refcode, "date": np.datetime64(date, "D"), "amount": amt,
         "recurring": recurring, "channel": channel}
    )


def _emails(given: pd.Series, family: pd.Series, age: pd.Series, uuid: pd.Series,
            rng: np.random.Generator) -> pd.Series:
    """Email addresses built from the name people go by (example.com/net/org), unique in the batch.

    >>> e = _emails(_s(["ANN", "ANN"]), _s(["LEE", "LEE"]), pd.Series([40, 40]), _s(["ab12cd34", "ef56ab78"]),
    ...             np.random.default_rng(0))
    >>> bool(e.is_unique and e.str.contains("ann").all())
    True
    """
    n = len(given)
    fl = given.str.lower().str.replace(r"[^a-z]", "", regex=True)
    ll = family.str.lower().str.replace(r"[^a-z]", "", regex=True)
    birth = (2026 - age).astype("str")
    two = pd.Series(rng.integers(1, 100, size=n)).astype("str")
    patterns = [
        fl + "." + ll,
        fl + ll,
        fl.str[:1] + ll,
        fl + "_" + ll + two,
        fl + birth,
        ll + "." + fl,
        fl + ll.str[:1] + two,
    ]
    pk = rng.choice(len(patterns), size=n, p=[0.33, 0.15, 0.15, 0.1, 0.1, 0.07, 0.1])
    local = patterns[0]
    for i in range(1, len(patterns)):
        local = local.where(pk != i, patterns[i])
    domain = _s(rng.choice(EMAIL_DOMAINS, size=n, p=EMAIL_DOMAIN_SHARES))
    local = local.where(local.str.len() > 0, "supporter")
    email = local + "@" + domain
    seq = email.groupby(email).cumcount()
    email = email.where(seq == 0, local + (seq + 1).astype("str") + "@" + domain)
    seq = email.groupby(email).cumcount()  # a rare second collision: make unique by uuid
    email = email.where(seq == 0, local + "." + uuid.str[:6] + "@" + domain)
    return email.astype("str")


# --- the list -------------------------------------------------------------------------
def _build_members(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Internal member frame: one row per list record, true identity and messy fields."""
    n_people = len(people)
    people = people[["first_name", "middle_name", "last_name", "address", "city", "zip5", "phone", "age",
                     "support", "turnout_2026"]]  # only what the list needs: takes stay cheap
    support = people["support"].to_numpy(dtype=float)
    turnout = people["turnout_2026"].to_numpy(dtype=float)
    w = support**2 * (0.5 + turnout)
    p = np.clip(MEMBER_SHARE * w / max(w.mean(), 1e-9), 0, 0.9)
    join = np.flatnonzero(rng.random(n_people) < p)
    dup = join[rng.random(len(join)) < DUPLICATE_SIGNUP_RATE]
    pidx = np.concatenate([join, dup])
    n_in = len(pidx)
    n_out = int(round(len(join) * OUT_OF_COUNTY_SHARE))
    src = people.iloc[pidx].reset_index(drop=True)

    # true identity (in-county), then out-of-county strangers built from mixed-up names
    first = src["first_name"].astype("str").fillna("")
    last = src["last_name"].astype("str").fillna("")
    middle = src["middle_name"].astype("str").fillna("")
    zip5 = src["zip5"].astype("str").fillna("")
    city = src["city"].astype("str").fillna("")
    address = src["address"].astype("str").fillna("")
    phone = src["phone"].astype("str")
    age = src["age"].to_numpy(dtype=np.int64)

    # moved: list address is another household's (a newer address than the voter file)
    moved = rng.random(n_in) < MOVED_RATE
    other = rng.integers(0, n_people, size=n_in)
    oth = people.iloc[other].reset_index(drop=True)
    address = address.where(~moved, oth["address"].astype("str").fillna(""))
    city = city.where(~moved, oth["city"].astype("str").fillna(""))
    zip_list = zip5.where(~moved, oth["zip5"].astype("str").fillna(""))

    o1 = people.iloc[rng.integers(0, n_people, size=n_out)].reset_index(drop=True)
    o2 = people.iloc[rng.integers(0, n_people, size=n_out)].reset_index(drop=True)
    out_first = o1["first_name"].astype("str").fillna("")
    out_last = o2["last_name"].astype("str").fillna("")
    out_street = o2["address"].astype("str").fillna("").str.replace(r"^\S+\s+", "", regex=True)
    out_address = pd.Series(rng.integers(10, 9999, size=n_out)).astype("str") + " " + out_street
    out_zip = "00" + pd.Series(rng.integers(317, 400, size=n_out)).astype("str")
    out_city = _s(rng.choice(OUT_OF_COUNTY_CITIES, size=n_out))

    n = n_in + n_out
    cat = lambda a, b: pd.concat([a, b], ignore_index=True).astype("str")  # noqa: E731
    m = pd.DataFrame(
        {
            "pidx": np.concatenate([pidx, np.full(n_out, -1)]),
            "first": cat(first, out_first),
            "middle": cat(middle, _s(np.full(n_out, ""))),
            "last": cat(last, out_last),
            "address": cat(address, out_address.astype("str")),
            "city": cat(city, out_city),
            "zip5": cat(zip_list, out_zip.astype("str")),
            "phone10": cat(phone, _s(np.full(n_out, None))),
            "age": np.concatenate([age, rng.integers(18, 90, size=n_out)]),
            "moved": np.concatenate([moved, np.zeros(n_out, bool)]),
            "is_duplicate": np.concatenate([np.zeros(len(join), bool), np.ones(len(dup), bool), np.zeros(n_out, bool)]),
        }
    )
    m["in_county"] = m["pidx"] >= 0
    m["uuid"] = _uuid4(rng, n)

    # first-name variants
    u = rng.random(n)
    nick_n = m["first"].map(_NICK_COUNT).fillna(0).to_numpy(dtype=np.int64)
    k = np.floor(rng.random(n) * np.maximum(nick_n, 1)).astype(np.int64)
    nick = (m["first"] + "|" + pd.Series(k).astype("str")).map(_NICK_FLAT)
    use_nick = (nick_n > 0) & (u < NICKNAME_RATE)
    use_mid = ~use_nick & (m["middle"].str.len().to_numpy() > 1) & (rng.random(n) < MIDDLE_AS_FIRST_RATE)
    use_typo = ~use_nick & ~use_mid & (rng.random(n) < FIRST_TYPO_RATE)
    given = m["first"].where(~use_nick, nick).where(~use_mid, m["middle"])
    typo_idx = np.flatnonzero(use_typo)
    given = given.copy()
    given.iloc[typo_idx] = _typo(given.iloc[typo_idx].reset_index(drop=True), rng).to_numpy()
    m["first_variant"] = np.select([use_nick, use_mid, use_typo], ["nickname", "middle", "typo"], "exact")
    last_typo = rng.random(n) < LAST_TYPO_RATE
    family = m["last"].copy()
    lt = np.flatnonzero(last_typo)
    family.iloc[lt] = _typo(family.iloc[lt].reset_index(drop=True), rng).to_numpy()
    m["last_typo"] = last_typo
    m["given"] = given.astype("str")
    m["family"] = family.astype("str")
    m["first_name"] = _mixed_case(m["given"], rng)
    m["last_name"] = _mixed_case(m["family"], rng)

    # email: built from the name people go by; duplicates sign up with another pattern
    m["email"] = _emails(m["given"], m["family"], m["age"], m["uuid"], rng)

    # ZIP as typed (or lost in Excel)
    uz = rng.random(n)
    zip_code = m["zip5"].where(uz >= ZIP_LOST_ZEROS_RATE, m["zip5"].str.lstrip("0"))
    plus4 = (uz >= ZIP_LOST_ZEROS_RATE) & (uz < ZIP_LOST_ZEROS_RATE + ZIP_PLUS4_RATE)
    zip4 = pd.Series(rng.integers(0, 10_000, size=n)).astype("str").str.zfill(4)
    zip_code = zip_code.where(~plus4, m["zip5"] + "-" + zip4)
    missing = (uz >= ZIP_LOST_ZEROS_RATE + ZIP_PLUS4_RATE) & (
        uz < ZIP_LOST_ZEROS_RATE + ZIP_PLUS4_RATE + ZIP_MISSING_RATE
    )
    m["zip_code"] = zip_code.where(~missing).astype("str")
    m["zip_defect"] = np.select(
        [uz < ZIP_LOST_ZEROS_RATE, plus4, missing], ["lost_zeros", "zip_plus4", "missing"], "none"
    )
    m.loc[m["zip5"].str.len().to_numpy() == 0, "zip_defect"] = "missing"

    # phones: the voter-file phone when there is one, else a new cell; some give none
    gives_phone = rng.random(n) < PHONE_GIVEN_RATE
    ten = m["phone10"].where(m["phone10"].fillna("").str.len() == 10, _new_phones(rng, n))
    m["phone10"] = ten.where(gives_phone).astype("str")
    m["can2_phone"] = _format_phones(ten, rng).where(gives_phone).astype("str")

    gives_addr = rng.random(n) < ADDRESS_GIVEN_RATE
    m["can2_user_address"] = _mixed_case(m["address"], rng, (0.6, 0.05, 0.35)).where(gives_addr).astype("str")
    gives_city = gives_addr | (rng.random(n) < 0.3)
    m["can2_user_city"] = _mixed_case(m["city"], rng, (0.7, 0.05, 0.25)).where(gives_city).astype("str")
    m["can2_state_abbreviated"] = _s(np.where(gives_city | m["zip_code"].notna().to_numpy(), "CB", None))

    pre = rng.random(n) < PRE_PROGRAM_SHARE
    created = np.where(
        pre,
        _rising_dates(rng, n, LIST_START, PROGRAM_START),
        _rising_dates(rng, n, PROGRAM_START, EXPORT_DATE - np.timedelta64(1, "D")),
    )
    m["created"] = created
    # members who left before the program (tenure x annual churn hazard)
    tenure = (PROGRAM_START - created.astype("datetime64[D]")).astype(np.int64).clip(0) / 365.0
    left = rng.random(n) < 1 - np.exp(-(UNSUBSCRIBE_RATE_YEAR + BOUNCE_RATE_YEAR) * tenure)
    why = np.where(rng.random(n) < UNSUBSCRIBE_RATE_YEAR / (UNSUBSCRIBE_RATE_YEAR + BOUNCE_RATE_YEAR), "unsubscribed", "bouncing")
    m["email_status"] = np.where(left, why, "subscribed")
    m["sms_status"] = np.where(gives_phone & (rng.random(n) < SMS_OPT_IN_RATE), "subscribed", np.where(gives_phone, "unsubscribed", ""))
    m["mpp"] = rng.random(n) < MPP_SHARE
    m["volunteer"] = rng.random(n) < VOLUNTEER_RATE
    m["donor"] = rng.random(n) < PRIOR_DONOR_RATE
    m["petition"] = rng.random(n) < PETITION_RATE
    m["event"] = rng.random(n) < EVENT_RATE
    return m


# --- email ----------------------------------------------------------------------------
def _rates(kind: str, segment: str) -> tuple[float, float, float]:
    return EMAIL_RATES.get((kind, segment), EMAIL_RATES.get((kind, "*"), (0.05, 0.01, 0.0)))


def _send_email(
    rec: np.ndarray,
    m: dict,
    rates: tuple[float, float, float],
    rng: np.random.Generator,
) -> dict:
    """Simulate one send to member indices ``rec``; updates ``m`` (statuses) in place."""
    n = len(rec)
    h, ctr, conv = rates
    bounced = rng.random(n) < BOUNCE_PER_EMAIL
    machine = m["mpp"][rec] & (rng.random(n) < MPP_AUTO_OPEN) & ~bounced
    human = (rng.random(n) < h) & ~bounced
    clicked = human & (rng.random(n) < ctr / h)
    converted = clicked & (rng.random(n) < conv)
    unsub = ~bounced & (rng.random(n) < UNSUB_PER_EMAIL)
    m["email_status"][rec[bounced]] = "bouncing"
    m["email_status"][rec[unsub]] = "unsubscribed"
    return {
        "bounced": bounced,
        "machine": machine,
        "human": human,
        "clicked": clicked,
        "converted": converted,
        "unsub": unsub,
    }


def _email_program(members: pd.DataFrame, rng: np.random.Generator):
    st = {
        "email_status": members["email_status"].to_numpy(dtype=object).copy(),
        "mpp": members["mpp"].to_numpy(),
        "donor": members["donor"].to_numpy().copy(),
    }
    created_day = members["created"].to_numpy().astype("datetime64[D]")
    in_county = members["in_county"].to_numpy()
    rows, opens_truth, gifts, ab_rows, ab_truth = [], [], [], [], []

    def row(mid, date, kind, subject, segment, refcode, rec, out, amounts=None):
        d = ~out["bounced"]
        revenue = float(amounts.sum()) if amounts is not None else 0.0
        rows.append(
            {
                "message_id": mid, "send_date": date, "message_type": kind, "subject": subject,
                "segment": segment, "refcode": refcode, "recipients": len(rec),
                "delivered": int(d.sum()), "bounces": int(out["bounced"].sum()),
                "opens": int((out["machine"] | out["human"]).sum()), "clicks": int(out["clicked"].sum()),
                "actions": int(out["converted"].sum()) if kind == "advocacy" else 0,
                "gifts": int(out["converted"].sum()) if kind == "fundraising" else 0,
                "revenue": round(revenue, 2), "unsubscribes": int(out["unsub"].sum()),
            }
        )
        opens_truth.append(
            {
                "message_id": mid, "segment": segment, "opens": int((out["machine"] | out["human"]).sum()),
                "machine_opens": int(out["machine"].sum()), "human_opens": int(out["human"].sum()),
                "machine_only_opens": int((out["machine"] & ~out["human"]).sum()),
            }
        )

    def give(rec, out, refcode, date, rng):
        who = rec[out["converted"]]
        g = _gifts(rng, who, refcode, date, "email")
        st["donor"][who] = True
        gifts.append(g)
        return g["amount"].to_numpy()

    # weekly welcome messages to the week's new signups (Mondays)
    welcome_days = np.arange(np.datetime64("2026-07-06"), EXPORT_DATE, 7)
    schedule = [(str(d), "welcome", "Welcome to Yes on Measure A") for d in welcome_days] + list(EMAIL_MESSAGES)
    schedule.sort(key=lambda x: (x[0], x[1] != "welcome"))
    for date, kind, subject in schedule:
        day = np.datetime64(date)
        active = (st["email_status"] == "subscribed") & (created_day < day)
        stamp = date.replace("-", "")[2:]
        mid = f"EM-{stamp}-{kind[:2].upper()}"
        if kind == "welcome":
            rec = np.flatnonzero(active & (created_day >= day - 7))
            out = _send_email(rec, st, _rates(kind, "*"), rng)
            row(mid, date, kind, subject, "New signups (last 7 days)", f"em{stamp}wel", rec, out)
            continue
        if subject in AB_TESTS:
            _ab_send(subject, mid, date, kind, active, st, in_county, rng, row, give, ab_rows, ab_truth, stamp)
            continue
        if kind == "fundraising":
            for seg, mask in (("Donors", st["donor"]), ("Non-donors", ~st["donor"])):
                rec = np.flatnonzero(active & mask)
                out = _send_email(rec, st, _rates(kind, seg), rng)
                ref = f"em{stamp}fr{'d' if seg == 'Donors' else 'n'}"
                amt = give(rec, out, ref, date, rng)
                row(mid, date, kind, subject, seg, ref, rec, out, amt)
        elif kind == "advocacy":
            for seg, mask in (("Alder County", in_county), ("Outside Alder County", ~in_county)):
                rec = np.flatnonzero(active & mask)
                out = _send_email(rec, st, _rates(kind, "*"), rng)
                row(mid, date, kind, subject, seg, f"em{stamp}ad{'c' if seg == 'Alder County' else 'o'}", rec, out)
        else:
            rec = np.flatnonzero(active)
            out = _send_email(rec, st, _rates(kind, "*"), rng)
            row(mid, date, kind, subject, "All subscribers", f"em{stamp}nl", rec, out)

    sends = pd.DataFrame(rows)
    opens = pd.DataFrame(opens_truth)
    gifts_df = pd.concat(gifts, ignore_index=True) if gifts else None
    return sends, opens, gifts_df, pd.concat(ab_rows, ignore_index=True), pd.DataFrame(ab_truth), st


def _ab_send(test_id, mid, date, kind, active, st, in_county, rng, row, give, ab_rows, ab_truth, stamp):
    spec = AB_TESTS[test_id]
    variants = spec["variants"]
    names = list(variants)
    rec_all = np.flatnonzero(active)
    rng_order = rng.permutation(rec_all)
    n_test = int(round(len(rec_all) * spec["test_share"]))
    test, rest = rng_order[:n_test], rng_order[n_test:]
    arm = np.arange(len(test)) % len(names)
    observed = {}
    m_open = MPP_SHARE * MPP_AUTO_OPEN
    for i, v in enumerate(names):
        subject, h, ctr, conv = variants[v]
        rec = np.sort(test[arm == i])
        out = _send_email(rec, st, (h, ctr, conv / ctr), rng)
        ref = f"em{stamp}{kind[:2]}{v.lower()}"
        amt = give(rec, out, ref, date, rng) if kind == "fundraising" else None
        row(mid, date, kind, subject, f"Test {v}", ref, rec, out, amt)
        observed[v] = int(out["converted"].sum()) if kind == "fundraising" else int(out["clicked"].sum())
        amount = np.zeros(len(rec))
        if amt is not None:
            amount[out["converted"]] = amt
        ab_rows.append(
            pd.DataFrame(
                {
                    "test_id": test_id, "message_id": mid, "send_date": date, "member": rec,
                    "variant": v, "subject": subject, "delivered": (~out["bounced"]).astype(np.int64),
                    "opened": (out["machine"] | out["human"]).astype(np.int64),
                    "clicked": out["clicked"].astype(np.int64),
                    "took_action": (out["converted"] & (kind == "advocacy")).astype(np.int64),
                    "donated": (out["converted"] & (kind == "fundraising")).astype(np.int64),
                    "amount": np.round(amount, 2),
                }
            )
        )
        ab_truth.append(
            {
                "test_id": test_id, "message_id": mid, "send_date": date, "message_type": kind,
                "variant": v, "subject": subject, "share_of_list": spec["test_share"] / len(names),
                "recipients": len(rec), "true_human_open_rate": h,
                "true_open_rate": round(m_open + (1 - m_open) * h, 6), "true_click_rate": ctr,
                "true_action_rate": conv if kind == "advocacy" else 0.0,
                "true_donation_rate": conv if kind == "fundraising" else 0.0,
                "true_mean_gift": MEAN_FIRST_GIFT if kind == "fundraising" else 0.0,
            }
        )
    if len(rest):
        winner = max(names, key=lambda v: (observed[v], -names.index(v)))
        subject, h, ctr, conv = variants[winner]
        rec = np.sort(rest)
        out = _send_email(rec, st, (h, ctr, conv / ctr), rng)
        ref = f"em{stamp}{kind[:2]}w"
        amt = give(rec, out, ref, date, rng) if kind == "fundraising" else None
        row(mid, date, kind, subject, f"Remainder (winner {winner})", ref, rec, out, amt)
    else:
        winner = ""
    key = "true_donation_rate" if kind == "fundraising" else "true_click_rate"
    rows_t = [t for t in ab_truth if t["test_id"] == test_id]
    base = rows_t[0]
    best = max(rows_t, key=lambda t: t[key])["variant"]
    for t in rows_t:
        t["true_click_effect_vs_A"] = round(t["true_click_rate"] - base["true_click_rate"], 6)
        t["true_action_effect_vs_A"] = round(t["true_action_rate"] - base["true_action_rate"], 6)
        t["true_donation_effect_vs_A"] = round(t["true_donation_rate"] - base["true_donation_rate"], 6)
        t["is_true_best"] = t["variant"] == best
        t["chosen_winner"] = t["variant"] == winner


# --- SMS ------------------------------------------------------------------------------
def _sms_program(members: pd.DataFrame, st_sms: np.ndarray, rng: np.random.Generator):
    """Simulate texts to SMS subscribers; updates ``st_sms`` (sms statuses) in place."""
    created_day = members["created"].to_numpy().astype("datetime64[D]")
    rows, gifts = [], []
    for date, kind, purpose, audience in SMS_SENDS:
        day = np.datetime64(date)
        rec = np.flatnonzero((st_sms == "subscribed") & (created_day < day))
        n = len(rec)
        stamp = date.replace("-", "")[2:]
        ref = f"sms{stamp}{purpose[:2]}"
        delivered = rng.random(n) < SMS_DELIVERY_RATE
        u = rng.random(n)
        replies = clicks = actions = None
        n_gifts, revenue = 0, 0.0
        if kind == "p2p":
            replied = delivered & (u < P2P_REPLY_RATE)
            opt = replied & (rng.random(n) < P2P_OPT_OUT_RATE / P2P_REPLY_RATE)  # STOP is a reply
            replies = int(replied.sum())
        else:
            fundraising = purpose == "fundraising"
            ctr = SMS_FUNDRAISING_CTR if fundraising else SMS_CTR
            clicked = delivered & (u < ctr)
            opt = delivered & ~clicked & (rng.random(n) < (SMS_FUNDRAISING_OPT_OUT if fundraising else SMS_OPT_OUT))
            clicks = int(clicked.sum())
            if fundraising:
                gave = clicked & (rng.random(n) < SMS_FUNDRAISING_GIFT_PER_CLICK)
                g = _gifts(rng, rec[gave], ref, day, "sms")
                n_gifts, revenue = len(g), float(g["amount"].sum())
                gifts.append(g)
            else:
                actions = int((clicked & (rng.random(n) < SMS_RESPONSE / SMS_CTR)).sum())
        st_sms[rec[opt]] = "unsubscribed"
        rows.append(
            {
                "send_id": f"SMS-{stamp}-{'P' if kind == 'p2p' else 'B'}", "send_date": date,
                "send_type": kind, "purpose": purpose, "audience": audience, "refcode": ref,
                "sent": n, "delivered": int(delivered.sum()), "replies": replies,
                "opt_outs": int(opt.sum()), "clicks": clicks, "actions": actions,
                "gifts": n_gifts, "revenue": round(revenue, 2),
            }
        )
    sends = pd.DataFrame(rows).astype({"replies": "Int64", "clicks": "Int64", "actions": "Int64"})
    gifts_df = pd.concat(gifts, ignore_index=True) if gifts else None
    return sends, gifts_df


def _no_gifts() -> pd.DataFrame:
    return pd.DataFrame(
        {"member": np.zeros(0, np.int64), "refcode": _s([]), "date": np.zeros(0, "datetime64[D]"),
         "amount": np.zeros(0), "recurring": np.zeros(0, bool), "channel": _s([])}
    )


# --- donations ------------------------------------------------------------------------
def _donations(members: pd.DataFrame, gifts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """ActBlue-style receipts: refcoded gifts, organic gifts, monthly recurring series."""
    n_org = int(round(len(gifts) * ORGANIC_GIFTS_PER_REFCODED))
    org_member = rng.integers(0, len(members), size=n_org) if len(members) else np.zeros(0, np.int64)
    org_days = PROGRAM_START + rng.integers(0, (EXPORT_DATE - PROGRAM_START).astype(int), size=n_org)
    organic = _gifts(rng, org_member, "", PROGRAM_START, "web")
    organic["date"] = org_days
    g = pd.concat([gifts, organic], ignore_index=True)
    n = len(g)
    # time of gift: hours after the send (email/SMS) or any time of day (web)
    delay = np.where(g["channel"].to_numpy() == "web", rng.integers(8 * 3600, 23 * 3600, size=n),
                     9 * 3600 + np.minimum(rng.exponential(6 * 3600, size=n), 60 * 3600).astype(np.int64))
    when = g["date"].to_numpy().astype("datetime64[s]") + delay.astype("timedelta64[s]")
    when = np.minimum(when, EXPORT_DATE.astype("datetime64[s]") - np.timedelta64(1, "s"))
    recurring = g["recurring"].to_numpy(dtype=bool)
    amount = g["amount"].to_numpy()
    # monthly installments until cancelled or the export date
    months_left = ((EXPORT_DATE - when.astype("datetime64[D]")).astype(np.int64) // 30).clip(0)
    cancel_after = rng.geometric(RECURRING_MONTHLY_CANCEL, size=n)
    n_inst = np.where(recurring, np.minimum(months_left + 1, cancel_after), 1)
    rep = np.repeat(np.arange(n), n_inst)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(n_inst) - n_inst, n_inst)  # 0-based installment
    base = when[rep]
    months = base.astype("datetime64[M]") + k.astype("timedelta64[M]")
    dom = (base.astype("datetime64[D]") - base.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    inst_day = months.astype("datetime64[D]") + np.minimum(dom, 27).astype("timedelta64[D]")
    tod = (base - base.astype("datetime64[D]").astype("datetime64[s]"))
    inst = np.where(k == 0, base, inst_day.astype("datetime64[s]") + tod)
    keep = inst < EXPORT_DATE.astype("datetime64[s]")
    rep, k, inst = rep[keep], k[keep], inst[keep]
    order = np.lexsort((rep, inst))
    rep, k, inst = rep[order], k[order], inst[order]
    mem = members.iloc[g["member"].to_numpy()[rep]].reset_index(drop=True)
    is_rec = recurring[rep]
    ref = g["refcode"].to_numpy(dtype=object)[rep]
    zip5 = mem["zip5"].where(mem["zip5"].str.len() == 5, "")
    out = pd.DataFrame(
        {
            "Receipt ID": _s(np.char.add("AB", (10_000_001 + np.arange(len(rep))).astype(str))),
            "Date": _dates_to_str(inst, "%Y-%m-%d %H:%M:%S"),
            "Amount": np.round(amount[rep], 2),
            "Recurring": _s(np.where(is_rec, "Y", "N")),
            "Recurrence Number": pd.array(np.where(is_rec, k + 1, 0), dtype="Int64"),
            "Reference Code": _s(ref),
            "Fundraising Page": _s(np.where(g["channel"].to_numpy()[rep] == "web", "yes-on-a-web", "yes-on-a")),
            "Donor First Name": mem["given"].str.title(),
            "Donor Last Name": mem["family"].str.title(),
            "Donor Email": mem["email"],
            "Donor ZIP": zip5,
            "Donor City": mem["city"].str.title(),
            "Donor State": _s(np.full(len(rep), "CB")),
            "Donor Phone": mem["phone10"],
        }
    )
    out.loc[~is_rec, "Recurrence Number"] = pd.NA
    out["Reference Code"] = out["Reference Code"].replace("", pd.NA)
    out.attrs["member"] = g["member"].to_numpy()[rep]
    out.attrs["gift"] = rep  # the gift (first charge) each receipt belongs to
    out.attrs["cancel_after"] = cancel_after
    out.attrs["channel"] = g["channel"].to_numpy(dtype=object)
    return out


# --- the public builder ---------------------------------------------------------------
def build_digital(people: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Simulate the list, email, SMS and fundraising program.

    Args:
        people: one row per real person (person_id, ncid, first/middle/last_name, age,
            address, city, zip5, phone, support, turnout_2026, ...).
        rng: the only source of randomness.

    Returns:
        file name -> frame: ``action_network_export.csv``, ``email_sends.csv``,
        ``email_ab_test_recipients.csv``, ``sms_sends.csv``, ``donations.csv`` and the truth
        tables ``truth/list_matches.csv``, ``truth/ab_tests.csv``, ``truth/email_opens.csv``.

    >>> from campaignlab.synth.field import example_people
    >>> people, _ = example_people(1500, seed=4)
    >>> a = build_digital(people, np.random.default_rng(9))
    >>> b = build_digital(people, np.random.default_rng(9))
    >>> all(a[k].equals(b[k]) for k in a)
    True
    >>> s = a["email_sends.csv"]
    >>> bool((s["recipients"] == s["delivered"] + s["bounces"]).all())
    True
    """
    # a fifth child for the donor history: the first four (and every file they build) do not move
    r_list, r_email, r_sms, r_don, r_history = rng.spawn(5)
    members = _build_members(people, r_list)
    sends, opens, email_gifts, ab_rec, ab_truth, st = _email_program(members, r_email)
    sms_status = members["sms_status"].to_numpy(dtype=object).copy()
    sms_sends, sms_gifts = _sms_program(members, sms_status, r_sms)
    parts = [x for x in (email_gifts, sms_gifts) if x is not None and len(x)]
    gifts = pd.concat(parts, ignore_index=True) if parts else _no_gifts()
    donations = _donations(members, gifts, r_don)

    donor = st["donor"].copy()
    donor[donations.attrs["member"]] = True
    from campaignlab.synth.donor_file import build_history  # it builds on this module's helpers

    donations, donor_truth = build_history(members, people, donations, r_history)
    tags = [
        ("petition: homes for alder", members["petition"].to_numpy()),
        ("volunteer", members["volunteer"].to_numpy()),
        ("donor", donor),
        ("event: town hall", members["event"].to_numpy()),
        ("out of county", ~members["in_county"].to_numpy()),
    ]
    tag_str = pd.Series(np.full(len(members), ""), dtype="str")
    for name, flag in tags:
        add = np.where(flag, name, "")
        sep = np.where(flag & (tag_str.str.len().to_numpy() > 0), ", ", "")
        tag_str = tag_str + _s(sep) + _s(add)
    export = pd.DataFrame(
        {
            "uuid": members["uuid"],
            "first_name": members["first_name"],
            "last_name": members["last_name"],
            "email": members["email"],
            "zip_code": members["zip_code"],
            "can2_phone": members["can2_phone"],
            "can2_user_address": members["can2_user_address"],
            "can2_user_city": members["can2_user_city"],
            "can2_state_abbreviated": members["can2_state_abbreviated"],
            "can2_subscription_status": _s(st["email_status"]),
            "can2_sms_status": _s(np.where(sms_status == "", None, sms_status)),
            "can2_user_tags": tag_str.where(tag_str.str.len() > 0),
            "created_date": _dates_to_str(members["created"].to_numpy(), "%Y-%m-%d %H:%M:%S"),
        }
    )
    order = np.lexsort((members["uuid"].to_numpy(dtype=str), members["created"].to_numpy()))
    export = export.iloc[order].reset_index(drop=True)

    pidx = members["pidx"].to_numpy()
    has = pidx >= 0
    pid = np.full(len(members), -1, dtype=np.int64)
    pid[has] = people["person_id"].to_numpy(dtype=np.int64)[pidx[has]]
    ncid = pd.Series(np.full(len(members), None, dtype=object), dtype="str")
    ncid[has] = people["ncid"].astype("str").take(pidx[has]).to_numpy()
    ncid = ncid.where(ncid.fillna("").str.len() > 0)
    matches = pd.DataFrame(
        {
            "uuid": members["uuid"],
            "person_id": pd.array(np.where(has, pid, 0), dtype="Int64"),
            "ncid": ncid,
            "in_county": members["in_county"],
            "duplicate_signup": members["is_duplicate"],
            "first_name_variant": _s(members["first_variant"]),
            "last_name_typo": members["last_typo"],
            "moved": members["moved"],
            "zip_defect": _s(members["zip_defect"]),
        }
    )
    matches.loc[~has, "person_id"] = pd.NA
    matches = matches.iloc[order].reset_index(drop=True)

    uuid = members["uuid"].to_numpy(dtype=object)
    ab = ab_rec.copy()
    ab.insert(3, "uuid", _s(uuid[ab["member"].to_numpy()]))
    ab = ab.drop(columns="member")
    for c in ("test_id", "message_id", "send_date", "variant", "subject"):
        ab[c] = ab[c].astype("str")
    for frame in (sends, opens, ab_truth, sms_sends):
        for c in frame.columns:
            if frame[c].dtype == object:
                frame[c] = frame[c].astype("str")
    return {
        "action_network_export.csv": export,
        "email_sends.csv": sends,
        "email_ab_test_recipients.csv": ab,
        "sms_sends.csv": sms_sends,
        "donations.csv": donations,
        "truth/donors.csv": donor_truth,
        "truth/list_matches.csv": matches,
        "truth/ab_tests.csv": ab_truth,
        "truth/email_opens.csv": opens,
    }
