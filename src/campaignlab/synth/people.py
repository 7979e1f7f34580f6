"""The real people of Alder County: households, demographics, addresses, phones, latent traits.

One row per person (the truth, before any registration defect). Pure function of the RNG.

>>> import numpy as np
>>> p = build_people(2_000, np.random.default_rng(1))
>>> len(p), p["person_id"].is_unique, bool(p["age"].min() >= 18)
(2000, True, True)
>>> sorted(p["sex"].unique())
['F', 'M', 'U']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal
from campaignlab.synth import names, places, text

HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5])
HOUSEHOLD_P = np.array([0.30, 0.36, 0.16, 0.12, 0.06])  # adults per household; unsourced
SUFFIXES = np.array(["JR", "SR", "II", "III", "IV"])
SUFFIX_P = np.array([0.60, 0.20, 0.08, 0.10, 0.02])
PARTY_LEAN = {"DEM": 1.2, "REP": -1.2, "UNA": 0.0, "LIB": -0.6, "GRE": 1.0}  # unsourced
# Institutions' shared phones (the nursing home's front desk, a dorm hall phone) are drawn per county
# from 555-0100..0199 of 919/984, the block set aside for fiction; nobody else gets one of them.
RESERVED_PHONES = tuple(f"{a}{cal.EXCHANGE}{line:04d}" for a in cal.AREA_CODES for line in range(100, 200))
SPECIALS = ("", "dorm", "nursing home")  # group quarters: none, the dorms, the nursing home


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function.

    >>> float(sigmoid(np.array(0.0)))
    0.5
    """
    return 1.0 / (1.0 + np.exp(-x))


def choice_idx(shares: np.ndarray | list, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` indices with probabilities ``shares`` (inverse CDF, vectorised).

    >>> choice_idx([0.0, 1.0], 3, np.random.default_rng(0)).tolist()
    [1, 1, 1]
    """
    p = np.asarray(shares, dtype=float)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right")


def choice(keys: list, shares: np.ndarray | list, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` of ``keys`` with probabilities ``shares`` (same draws as ``choice_idx``)."""
    return np.asarray(keys)[choice_idx(shares, n, rng)]


def draw_ages(n: int, rng: np.random.Generator, weights=None) -> np.ndarray:
    """Ages at the end of 2026 from the age bands of ``cal.AGE_BANDS``.

    ``weights`` replaces the bands' shares (e.g. ``cal.HOUSEHOLDER_AGE_WEIGHTS``).

    >>> ages = draw_ages(10_000, np.random.default_rng(0))
    >>> bool(ages.min() >= 18), bool(ages.max() <= 99)
    (True, True)
    """
    lo = np.array([b[0] for b in cal.AGE_BANDS])
    hi = np.array([b[1] for b in cal.AGE_BANDS])
    shares = weights if weights is not None else [b[2] for b in cal.AGE_BANDS]
    band = choice(np.arange(len(lo)), shares, n, rng)
    return lo[band] + np.floor(rng.random(n) * (hi[band] - lo[band] + 1)).astype(np.int64)


def _household_sizes(n: int, rng: np.random.Generator) -> np.ndarray:
    sizes = choice(HOUSEHOLD_SIZES, HOUSEHOLD_P, n // 2 + 10, rng)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, n)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= cum[k - 1] - n
    return sizes[sizes > 0]


def build_people(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Build ``n`` people in households, plus the dorm and nursing-home residents.

    Columns: person_id, household_id, first/middle/last_name, suffix, sex, birth_year, age,
    race, ethnic, party, birth_state, address, city, zip5, zip4, precinct (index), phone,
    homeowner, years_at_address, reg_date, special, lean, dem_prob, support, habit, twin_of
    (index of the person's twin, -1 for most people; see ``twin_pairs``).
    """
    pct = places.precincts()
    n_dorm = int(round(cal.DORM_SHARE * n))
    n_nurse = int(round(cal.NURSING_SHARE * n))
    n_home = n - n_dorm - n_nurse

    # households ------------------------------------------------------------------------
    sizes = _household_sizes(n_home, rng)
    n_hh = len(sizes)
    hh = np.repeat(np.arange(n_hh), sizes)
    member = np.arange(n_home) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    # special residents each form their own household (roommates are not family)
    hh_all = np.concatenate([hh, n_hh + np.arange(n_dorm + n_nurse)])
    member_all = np.concatenate([member, np.zeros(n_dorm + n_nurse, dtype=np.int64)])
    special = np.repeat(np.arange(len(SPECIALS)), [n_home, n_dorm, n_nurse])  # codes into SPECIALS
    n_hh_all = n_hh + n_dorm + n_nurse

    # ages --------------------------------------------------------------------------------
    head_age = draw_ages(n_hh, rng, cal.HOUSEHOLDER_AGE_WEIGHTS)
    age = head_age[hh].copy()
    spouse = member == 1
    age[spouse] = np.clip(age[spouse] + np.round(rng.normal(0, 4, spouse.sum())), 18, 99)
    kid = member >= 2
    grown = kid & (head_age[hh] >= 42)
    gap = rng.integers(cal.GENERATION_GAP[0], cal.GENERATION_GAP[1] + 1, grown.sum())
    age[grown] = np.maximum(head_age[hh][grown] - gap, 18)
    other = kid & ~grown
    age[other] = draw_ages(other.sum(), rng, cal.HOUSEHOLDER_AGE_WEIGHTS)
    age = np.concatenate([age, rng.integers(18, 23, n_dorm), rng.integers(75, 100, n_nurse)])
    age = age.astype(np.int64)

    # sex, race, ethnicity, names (integer codes into small vocabularies until the end) ---------
    sexes, races, ethnics = list(cal.GENDER_SHARES), list(cal.RACE_SHARES), list(cal.ETHNIC_SHARES)
    sex = choice_idx(list(cal.GENDER_SHARES.values()), n, rng)
    is_f, is_m = sexes.index("F"), sexes.index("M")
    head_sex = sex[np.concatenate([np.cumsum(sizes) - sizes, np.arange(n_home, n)])]
    opposite = np.where(head_sex == is_f, is_m, is_f)
    flip = np.concatenate([spouse, np.zeros(n - n_home, bool)]) & (rng.random(n) < 0.85)
    sex = np.where(flip, opposite[hh_all], sex)
    hh_race = choice_idx(list(cal.RACE_SHARES.values()), n_hh_all, rng)
    own_race = choice_idx(list(cal.RACE_SHARES.values()), n, rng)
    race = np.where(rng.random(n) < 0.9, hh_race[hh_all], own_race)
    ethnic = choice_idx(list(cal.ETHNIC_SHARES.values()), n, rng)
    ethnic = np.where((race == races.index("U")) & (rng.random(n) < 0.8), ethnics.index("UN"), ethnic)

    female, unknown = sex == is_f, sex == sexes.index("U")
    first = names.first_name_codes(female, unknown, rng)
    middle = names.first_name_codes(female, unknown, rng)
    no_middle = rng.random(n) < cal.MISSING_MIDDLE
    hh_last = names.last_name_codes(n_hh_all, rng)
    own_last = names.last_name_codes(n, rng)
    last = np.where(rng.random(n) < np.where(member_all == 0, 0.0, 0.15), own_last, hh_last[hh_all])
    male = sex == is_m
    has_suffix = male & (rng.random(n) < cal.SUFFIX_PRESENT / max(male.mean(), 1e-9))
    suffix = choice_idx(SUFFIX_P, n, rng)

    # party and latent traits -------------------------------------------------------------------
    parties = list(cal.PARTY_SHARES)
    party = party_by_age(age, rng.random(n))  # the same uniforms as one county-wide draw
    head_party = party[np.concatenate([np.cumsum(sizes) - sizes, np.arange(n_home, n)])][hh_all]
    party = np.where((member_all > 0) & (rng.random(n) < 0.6), head_party, party)
    black = race == races.index("B")
    party = np.where(black & (rng.random(n) < 0.45), parties.index("DEM"), party)
    young = age < 35

    # homes -------------------------------------------------------------------------------------
    hh_head_age = np.concatenate([head_age, age[n_home:]])
    hh_size = np.concatenate([sizes, np.ones(n - n_home, dtype=np.int64)])
    hh_owner = rng.random(n_hh_all) < sigmoid(-3.2 + 0.075 * hh_head_age + 0.4 * (hh_size > 1))
    hh_owner[n_hh:] = False
    homeowner = hh_owner[hh_all]

    lean = np.array([PARTY_LEAN.get(k, 0.0) for k in parties])[party]
    z = lean + 0.5 * (black & (party == parties.index("UNA"))) + rng.normal(0, 0.8, n)
    dem_prob = sigmoid(1.3 * z)
    support = sigmoid(0.15 + 0.8 * z + 0.5 * ~homeowner + 0.3 * young + rng.normal(0, 0.6, n))
    habit = rng.normal(0, 1, n)

    # addresses -----------------------------------------------------------------------------------
    hh_pct = choice_idx(pct["share"].to_numpy(), n_hh_all, rng)
    st_pct = places.street_precinct()
    # each precinct's streets; a household picks one of them
    order = np.argsort(st_pct, kind="stable")
    start = np.searchsorted(st_pct[order], np.arange(len(pct)))
    count = np.bincount(st_pct, minlength=len(pct))
    street = order[start[hh_pct] + (rng.random(n_hh_all) * count[hh_pct]).astype(np.int64)]
    # unique house numbers within a street: draw (street, number) slots without replacement
    slots = rng.choice(9_900, size=n_hh_all, replace=n_hh_all > 9_900) + 100
    number = slots + 0  # same number on different streets is fine
    dup_addr = pd.Series(street * 10_000 + number).duplicated().to_numpy()
    number = np.where(dup_addr, number + 10_000 + np.arange(n_hh_all) % 7, number)
    apt = (~hh_owner) & (rng.random(n_hh_all) < 0.35)
    apt_no = rng.integers(1, 40, n_hh_all)
    # special addresses: the dorms and the nursing home (codes past the precincts' cities/ZIPs)
    dorm_pick = rng.random(n_dorm) < 0.6
    dorm_ix = np.where(dorm_pick, 0, 1)
    ci, cj = n_hh, n_hh + n_dorm
    hh_addr = pa.concat_arrays([
        street_address(number[:ci], street[:ci], np.where(apt[:ci], apt_no[:ci], 0)),
        text.take([d[0] for d in places.DORMS], dorm_ix),
        text.take([places.NURSING_HOME[0]], np.zeros(n_nurse, np.int64)),
    ])  # fmt: skip
    place = hh_pct.copy()  # codes into precinct places + [dorm, nursing home]
    place[ci:cj] = len(pct)
    place[cj:] = len(pct) + 1
    cities = [*pct["res_city_desc"], places.DORMS[0][1], places.NURSING_HOME[1]]
    zips = [*pct["zip5"], places.DORMS[0][2], places.NURSING_HOME[2]]
    hh_pct[ci:cj] = 1
    hh_pct[cj:] = int(np.flatnonzero(pct["res_city_desc"].to_numpy() == places.NURSING_HOME[1])[0])
    zip4 = text.zfill(rng.integers(1, 9999, n_hh_all), 4)

    # registration date = moved to the current address (years ago at the snapshot) ---------------
    max_years = np.minimum(age - 18, 60) + 0.9
    years = max_years * rng.beta(1.2, 1.4, n)
    years[n_home : n_home + n_dorm] = rng.random(n_dorm) * np.minimum(age[n_home : n_home + n_dorm] - 17.5, 3.5)
    reg_date = cal.SNAPSHOT - np.round(years * 365.25 + 20).astype("timedelta64[D]")

    # phones: 42% of people list one; a household shares its landline -------------------------------
    has_phone = rng.random(n) >= cal.MISSING_PHONE
    hh_landline = rng.random(n_hh_all) < 0.5
    use_landline = hh_landline[hh_all] & (rng.random(n) < 0.7)
    # number only the phones in use: one per landline household, one per cell
    slot = np.where(use_landline, hh_all, n_hh_all + np.arange(n))
    used, inverse = np.unique(slot[has_phone], return_inverse=True)
    phone = np.zeros(n, dtype=np.int64)  # 10-digit numbers; 0 = none
    phone[has_phone] = _phone_pool(len(used), rng)[inverse]
    front_desk, dorm_phone = institution_phones(rng.spawn(1)[0])  # spawn: the main stream is untouched
    nurse = special == SPECIALS.index("nursing home")
    phone = np.where(nurse & (rng.random(n) < 0.8), int(front_desk), phone)
    dorm = special == SPECIALS.index("dorm")
    phone = np.where(dorm & (rng.random(n) < 0.03), int(dorm_phone), phone)

    birth_state = choice_idx(list(cal.BIRTH_STATE_SHARES.values()), n, rng)
    drivers_lic = rng.random(n) < cal.DRIVERS_LIC_YES

    # twins: two grown children of one household, same birth year and last name (not duplicates) ----
    grown_child = np.concatenate([grown, np.zeros(n - n_home, bool)])
    # a second child stream (the phones' one is spawned first): the main stream is untouched
    older, younger = twin_pairs(hh_all, grown_child, age, first, rng.spawn(1)[0])
    age[younger] = age[older]
    last[younger] = last[older]
    twin_of = np.full(n, -1, dtype=np.int64)
    twin_of[older], twin_of[younger] = younger, older

    vocab = names.first_name_vocab()
    last_vocab = names.load_tables().last
    return pa.table(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "household_id": hh_all.astype(np.int64) + 1,
            "first_name": text.take(vocab, first),
            "middle_name": text.take(vocab, middle, mask=no_middle),
            "last_name": text.take(last_vocab, last),
            "suffix": text.take(SUFFIXES, suffix, mask=~has_suffix),
            "sex": text.take(sexes, sex),
            "birth_year": (cal.YEAR_END - age).astype(np.int64),
            "age": age,
            "race": text.take(races, race),
            "ethnic": text.take(ethnics, ethnic),
            "party": text.take(parties, party),
            "birth_state": text.take(list(cal.BIRTH_STATE_SHARES), birth_state),
            "drivers_lic": text.take(["N", "Y"], drivers_lic),
            "address": pc.take(hh_addr, pa.array(hh_all)),
            "city": text.take(cities, place[hh_all]),
            "zip5": text.take(zips, place[hh_all]),
            "zip4": pc.take(zip4, pa.array(hh_all)),
            "precinct": hh_pct[hh_all].astype(np.int64),
            "phone": pa.array(phone, mask=phone == 0).cast(pa.string()),
            "homeowner": homeowner,
            "years_at_address": np.round(years, 2),
            "reg_date": reg_date.astype("datetime64[s]"),
            "special": text.take(SPECIALS, special),
            "lean": np.round(z, 4),
            "dem_prob": np.round(dem_prob, 4),
            "support": np.round(support, 4),
            "habit": habit,
            "twin_of": twin_of,
        }
    ).to_pandas()


def party_by_age(age: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Party codes (indices into ``cal.PARTY_SHARES``) from uniforms ``u``, by each person's age band.

    The draw weights of ``cal.PARTY_DRAW_WEIGHTS`` differ by age band (the young register
    unaffiliated far more often); the inverse CDF uses the uniforms given, so the stream that
    drew them moves on exactly as with one county-wide draw.

    >>> party_by_age(np.array([20, 80]), np.array([0.0, 0.9999])).tolist()  # DEM first, GRE last
    [0, 4]
    >>> parties = list(cal.PARTY_SHARES)
    >>> u = np.random.default_rng(0).random(20_000)
    >>> young = party_by_age(np.full(20_000, 20), u) == parties.index("UNA")
    >>> old = party_by_age(np.full(20_000, 80), u) == parties.index("UNA")
    >>> bool(young.mean() > old.mean() + 0.15)
    True
    """
    w = np.asarray(cal.PARTY_DRAW_WEIGHTS, dtype=float)
    cdf = np.cumsum(w / w.sum(1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    lo = np.array([b[0] for b in cal.AGE_BANDS])
    band = np.clip(np.searchsorted(lo, age, side="right") - 1, 0, len(lo) - 1)
    return (np.asarray(u)[:, None] >= cdf[band]).sum(1)


def twin_pairs(
    household: np.ndarray,
    grown_child: np.ndarray,
    age: np.ndarray,
    first: np.ndarray,
    rng: np.random.Generator,
    k: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pick ``k`` (default ``cal.TWIN_PAIRS`` x people) pairs of twins: (older, younger) person indices.

    A pair is two grown children living with a parent in one household, with different first
    names (codes ``first``); the caller gives the younger the older's birth year and last name.
    Each household gives at most one pair.

    >>> hh = np.array([0, 0, 0, 0, 1, 1])
    >>> grown = np.array([False, False, True, True, True, True])
    >>> twin_pairs(hh, grown, np.array([60, 58, 30, 28, 40, 41]), np.array([1, 2, 3, 4, 5, 5]),
    ...            np.random.default_rng(0), k=1)
    (array([2]), array([3]))
    """
    k = int(round(cal.TWIN_PAIRS * len(household))) if k is None else k
    idx = np.flatnonzero(grown_child)
    hh = household[idx]
    # consecutive grown children of one household (people are in household order)
    pair = np.flatnonzero((hh[1:] == hh[:-1]) & (first[idx[1:]] != first[idx[:-1]]))
    pair = pair[np.r_[True, hh[pair][1:] != hh[pair][:-1]]] if len(pair) else pair  # one per household
    pick = np.sort(rng.choice(pair, size=min(k, len(pair)), replace=False))
    a, b = idx[pick], idx[pick + 1]
    older = np.where(age[a] >= age[b], a, b)
    return older, np.where(older == a, b, a)


def street_address(number: np.ndarray, street: np.ndarray, apt: np.ndarray) -> pa.Array:
    """``"<number> <street>"`` plus ``" APT <apt>"`` where ``apt`` > 0 (built by Arrow).

    >>> street_address(np.array([12, 7]), np.array([0, 1]), np.array([0, 3])).to_pylist()
    ['12 ALDERWOOD ST', '7 ALDERWOOD RD APT 3']
    """
    base = text.join(pa.array(np.asarray(number, dtype=np.int64)).cast(pa.string()), text.take(places.streets(), street))
    apt = np.asarray(apt, dtype=np.int64)
    suffix = text.where(apt > 0, pc.binary_join_element_wise("APT", pa.array(apt).cast(pa.string()), " "), None)
    return text.join(base, suffix)


def institution_phones(rng: np.random.Generator) -> tuple[str, str]:
    """The nursing home's front-desk phone and the dorm hall phone of one county (two reserved numbers).

    They differ from county to county, so a list of them typed from one county is wrong on another.

    >>> desk, dorm = institution_phones(np.random.default_rng(3))
    >>> desk != dorm and {desk, dorm} <= set(RESERVED_PHONES)
    True
    """
    first, second = rng.choice(len(RESERVED_PHONES), size=2, replace=False)
    return RESERVED_PHONES[first], RESERVED_PHONES[second]


def area_codes_for(k: int) -> tuple[str, ...]:
    """The area codes needed for ``k`` distinct phone numbers (919/984 while they suffice).

    >>> area_codes_for(19_800), area_codes_for(19_801)
    (('919', '984'), ('919', '984', '252'))
    """
    codes = cal.AREA_CODES + cal.extra_area_codes()
    need = -(-(k + len(RESERVED_PHONES)) // cal.LINES_PER_AREA_CODE)
    return codes[: min(max(need, len(cal.AREA_CODES)), len(codes))]


def phone_numbers(area_codes: tuple[str, ...]) -> np.ndarray:
    """Every 555 number of ``area_codes`` as 10-digit integers, minus the institutions' block.

    >>> phone_numbers(("919",))[:2].tolist()
    [9195550000, 9195550001]
    """
    area = np.array([int(a) for a in area_codes], dtype=np.int64) * 10_000_000 + int(cal.EXCHANGE) * 10_000
    lines = np.arange(cal.LINES_PER_AREA_CODE, dtype=np.int64)
    numbers = (area[:, None] + lines[None, :]).ravel()
    return numbers[~np.isin(numbers, [int(p) for p in RESERVED_PHONES])]


def _phone_pool(k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct 555 numbers in random order, from as many area codes as ``k`` needs.

    Numbers repeat only past the last area code (about 7 million numbers).
    """
    pool = phone_numbers(area_codes_for(k))
    perm = rng.permutation(len(pool))
    reps = -(-k // len(perm))
    return pool[np.tile(perm, reps)[:k]]
