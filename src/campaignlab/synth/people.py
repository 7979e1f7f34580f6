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

from campaignlab.synth import calibration as cal
from campaignlab.synth import names, places

HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5])
HOUSEHOLD_P = np.array([0.30, 0.36, 0.16, 0.12, 0.06])  # adults per household; unsourced
SUFFIXES = np.array(["JR", "SR", "II", "III", "IV"])
SUFFIX_P = np.array([0.60, 0.20, 0.08, 0.10, 0.02])
PARTY_LEAN = {"DEM": 1.2, "REP": -1.2, "UNA": 0.0, "LIB": -0.6, "GRE": 1.0}  # unsourced
FRONT_DESK_PHONE = "9845550100"  # the nursing home's shared phone (planted)
DORM_PHONE = "9195550199"  # a dorm hall phone (planted)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function.

    >>> float(sigmoid(np.array(0.0)))
    0.5
    """
    return 1.0 / (1.0 + np.exp(-x))


def choice(keys: list, shares: np.ndarray | list, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` of ``keys`` with probabilities ``shares`` (inverse CDF, vectorised)."""
    p = np.asarray(shares, dtype=float)
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return np.asarray(keys)[np.searchsorted(cdf, rng.random(n), side="right")]


def draw_ages(n: int, rng: np.random.Generator) -> np.ndarray:
    """Ages at the end of 2026 from the registered-voter age bands."""
    lo = np.array([b[0] for b in cal.AGE_BANDS])
    hi = np.array([b[1] for b in cal.AGE_BANDS])
    band = choice(np.arange(len(lo)), [b[2] for b in cal.AGE_BANDS], n, rng)
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
    homeowner, years_at_address, reg_date, special, lean, dem_prob, support, habit.
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
    special = np.array([""] * n_home + ["dorm"] * n_dorm + ["nursing home"] * n_nurse)
    n_hh_all = n_hh + n_dorm + n_nurse

    # ages --------------------------------------------------------------------------------
    head_age = draw_ages(n_hh, rng)
    age = head_age[hh].copy()
    spouse = member == 1
    age[spouse] = np.clip(age[spouse] + np.round(rng.normal(0, 4, spouse.sum())), 18, 99)
    kid = member >= 2
    grown = kid & (head_age[hh] >= 42)
    age[grown] = rng.integers(18, 31, grown.sum())
    other = kid & ~grown
    age[other] = draw_ages(other.sum(), rng)
    age = np.concatenate([age, rng.integers(18, 23, n_dorm), rng.integers(75, 100, n_nurse)])
    age = age.astype(np.int64)

    # sex, race, ethnicity, names ---------------------------------------------------------------
    sex = choice(list(cal.GENDER_SHARES), list(cal.GENDER_SHARES.values()), n, rng)
    head_sex = sex[np.concatenate([np.cumsum(sizes) - sizes, np.arange(n_home, n)])]
    opposite = np.where(head_sex == "F", "M", "F")
    flip = np.concatenate([spouse, np.zeros(n - n_home, bool)]) & (rng.random(n) < 0.85)
    sex = np.where(flip, opposite[hh_all], sex)
    hh_race = choice(list(cal.RACE_SHARES), list(cal.RACE_SHARES.values()), n_hh_all, rng)
    own_race = choice(list(cal.RACE_SHARES), list(cal.RACE_SHARES.values()), n, rng)
    race = np.where(rng.random(n) < 0.9, hh_race[hh_all], own_race)
    ethnic = choice(list(cal.ETHNIC_SHARES), list(cal.ETHNIC_SHARES.values()), n, rng)
    ethnic = np.where((race == "U") & (rng.random(n) < 0.8), "UN", ethnic)

    first = names.first_names(sex, rng)
    middle = names.first_names(sex, rng)
    middle = np.where(rng.random(n) < cal.MISSING_MIDDLE, "", middle)
    hh_last = names.last_names(n_hh_all, rng)
    own_last = names.last_names(n, rng)
    last = np.where(rng.random(n) < np.where(member_all == 0, 0.0, 0.15), own_last, hh_last[hh_all])
    male = sex == "M"
    has_suffix = male & (rng.random(n) < cal.SUFFIX_PRESENT / max(male.mean(), 1e-9))
    suffix = np.where(has_suffix, choice(SUFFIXES, SUFFIX_P, n, rng), "")

    # party and latent traits -------------------------------------------------------------------
    party = choice(list(cal.PARTY_SHARES), list(cal.PARTY_SHARES.values()), n, rng)
    head_party = party[np.concatenate([np.cumsum(sizes) - sizes, np.arange(n_home, n)])][hh_all]
    party = np.where((member_all > 0) & (rng.random(n) < 0.6), head_party, party)
    party = np.where((race == "B") & (rng.random(n) < 0.45), "DEM", party)
    young = age < 35

    # homes -------------------------------------------------------------------------------------
    hh_head_age = np.concatenate([head_age, age[n_home:]])
    hh_size = np.concatenate([sizes, np.ones(n - n_home, dtype=np.int64)])
    hh_owner = rng.random(n_hh_all) < sigmoid(-3.2 + 0.075 * hh_head_age + 0.4 * (hh_size > 1))
    hh_owner[n_hh:] = False
    homeowner = hh_owner[hh_all]

    lean = np.select([party == k for k in PARTY_LEAN], list(PARTY_LEAN.values()), 0.0)
    z = lean + 0.5 * ((race == "B") & (party == "UNA")) + rng.normal(0, 0.8, n)
    dem_prob = sigmoid(1.3 * z)
    support = sigmoid(0.15 + 0.8 * z + 0.5 * ~homeowner + 0.3 * young + rng.normal(0, 0.6, n))
    habit = rng.normal(0, 1, n)

    # addresses -----------------------------------------------------------------------------------
    hh_pct = choice(np.arange(len(pct)), pct["share"].to_numpy(), n_hh_all, rng)
    st_pct = places.street_precinct()
    st_names = places.streets()
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
    apt_txt = np.where(apt, np.char.add(" APT ", (rng.integers(1, 40, n_hh_all)).astype(str)), "")
    hh_addr = np.char.add(np.char.add(np.char.add(number.astype(str), " "), st_names[street]), apt_txt)
    city = pct["res_city_desc"].to_numpy()[hh_pct]
    zip5 = pct["zip5"].to_numpy()[hh_pct]
    # special addresses
    dorm_pick = rng.random(n_dorm) < 0.6
    dorm_ix = np.where(dorm_pick, 0, 1)
    ci = n_hh
    hh_addr[ci : ci + n_dorm] = np.array([d[0] for d in places.DORMS])[dorm_ix]
    city[ci : ci + n_dorm] = places.DORMS[0][1]
    zip5[ci : ci + n_dorm] = places.DORMS[0][2]
    hh_pct[ci : ci + n_dorm] = 1
    cj = n_hh + n_dorm
    hh_addr[cj:] = places.NURSING_HOME[0]
    city[cj:] = places.NURSING_HOME[1]
    zip5[cj:] = places.NURSING_HOME[2]
    hh_pct[cj:] = int(np.flatnonzero(pct["res_city_desc"].to_numpy() == places.NURSING_HOME[1])[0])
    zip4 = np.char.zfill(rng.integers(1, 9999, n_hh_all).astype(str), 4)

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
    phone = np.full(n, "", dtype="<U10")
    phone[has_phone] = _phone_pool(len(used), rng)[inverse]
    nurse = special == "nursing home"
    phone = np.where(nurse & (rng.random(n) < 0.8), FRONT_DESK_PHONE, phone)
    has_phone |= nurse & (phone == FRONT_DESK_PHONE)
    dorm = special == "dorm"
    phone = np.where(dorm & (rng.random(n) < 0.03), DORM_PHONE, phone)
    has_phone |= dorm & (phone == DORM_PHONE)

    birth_state = choice(list(cal.BIRTH_STATE_SHARES), list(cal.BIRTH_STATE_SHARES.values()), n, rng)
    drivers_lic = np.where(rng.random(n) < cal.DRIVERS_LIC_YES, "Y", "N")

    df = pa.table(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "household_id": hh_all.astype(np.int64) + 1,
            "first_name": first,
            "middle_name": pa.array(middle, pa.string(), mask=middle == ""),
            "last_name": last,
            "suffix": pa.array(suffix, pa.string(), mask=suffix == ""),
            "sex": sex,
            "birth_year": (cal.YEAR_END - age).astype(np.int64),
            "age": age,
            "race": race,
            "ethnic": ethnic,
            "party": party,
            "birth_state": birth_state,
            "drivers_lic": drivers_lic,
            "address": hh_addr[hh_all],
            "city": city[hh_all],
            "zip5": zip5[hh_all],
            "zip4": zip4[hh_all],
            "precinct": hh_pct[hh_all].astype(np.int64),
            "phone": pa.array(phone, pa.string(), mask=~has_phone),
            "homeowner": homeowner,
            "years_at_address": np.round(years, 2),
            "reg_date": reg_date,
            "special": special,
            "lean": np.round(z, 4),
            "dem_prob": np.round(dem_prob, 4),
            "support": np.round(support, 4),
            "habit": habit,
        }
    ).to_pandas()
    return df


def _phone_pool(k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` distinct 555 numbers while they last (20,000 exist), then repeats (large counties)."""
    reserved = {FRONT_DESK_PHONE, DORM_PHONE}
    all_numbers = np.char.add(
        np.repeat(np.char.add(np.array(cal.AREA_CODES), cal.EXCHANGE), 10_000),
        np.tile(np.char.zfill(np.arange(10_000).astype(str), 4), len(cal.AREA_CODES)),
    )
    all_numbers = all_numbers[~np.isin(all_numbers, list(reserved))]
    perm = rng.permutation(len(all_numbers))
    reps = -(-k // len(perm))
    return all_numbers[np.tile(perm, reps)[:k]]
