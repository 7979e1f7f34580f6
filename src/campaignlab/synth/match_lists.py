"""A sign-up list to test list matching on, built from a generated county with its truth kept.

``build_match_list(voters, people, registrations, size=, seed=)`` draws a list in the Action
Network export layout (``uuid, first_name, last_name, email, zip_code, can2_phone,
can2_user_address, can2_user_city``, plus ``birth_year`` as a donor file would have it, mostly
blank) and a truth table saying, for every row, who it really is. Half the rows (``on_file``)
are real voters, written as people type into forms; the other half are not on the file:

* **on file**: the voter's name in mixed case, a nickname (``NICKNAMES``) or a typo in the
  first or last name; ZIP with lost zeros or ZIP+4; phone in any format; address spelled out
  or abbreviated; each field missing at the rates below. **Moved** voters give a new address
  (another household's) and keep their phone or only their email.
* **hard negatives**: the exact name of a voter on the file, with another address, another
  phone (never one on the file) and their own email: a namesake, not the voter.
* **strangers**: a first and a last name drawn from the county, an address in or out of it.

Seeded and deterministic: the list depends only on the inputs and ``seed``, from its own
``numpy`` generator, so it never shifts the random streams of ``campaignlab generate``
(nothing here is written into ``datasets/``). Phones are in the 555 exchange and emails on
example.com/org/net, like the rest of the synthetic county.

>>> from campaignlab import data
>>> import pandas as pd
>>> voters = pd.read_csv(data.path("voters"), sep="\\t", dtype=str, keep_default_na=False, na_values=[""])
>>> people = pd.read_csv(data.path("truth_people"), dtype=str, keep_default_na=False, na_values=[""])
>>> regs = pd.read_csv(data.path("truth_registrations"), dtype=str, keep_default_na=False, na_values=[""])
>>> signups, truth = build_match_list(voters, people, regs, size=400, seed=1)
>>> len(signups), truth["kind"].value_counts().to_dict()
(400, {'on_file': 200, 'stranger': 120, 'hard_negative': 80})
>>> signups["email"].str.endswith(("@example.com", "@example.org", "@example.net")).all()
np.True_
>>> build_match_list(voters, people, regs, size=400, seed=1)[0].equals(signups)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.names import NICKNAMES

__all__ = ["build_match_list", "score_matches", "LIST_LAYOUT", "TRUTH_COLUMNS"]

#: Columns of the list (Action Network export, plus a birth year as a donor file has one).
LIST_LAYOUT = ["uuid", "first_name", "last_name", "email", "zip_code", "can2_phone",
               "can2_user_address", "can2_user_city", "birth_year"]  # fmt: skip
#: Columns of the truth table: who each list row really is and how it was written.
TRUTH_COLUMNS = ["uuid", "kind", "person_id", "ncid", "name_of_ncid", "first_variant", "last_typo",
                 "moved", "gave_address", "gave_phone", "gave_zip", "gave_birth_year"]  # fmt: skip

# --- free parameters (unsourced): how a sign-up form is filled in ----------------------
ON_FILE_SHARE = 0.5
HARD_NEGATIVE_SHARE = 0.4  # of the rows not on the file
NICKNAME_RATE = 0.25  # of people whose first name has a nickname
FIRST_TYPO_RATE = 0.06
LAST_TYPO_RATE = 0.05
MOVED_RATE = 0.12
ADDRESS_GIVEN_RATE = 0.6
PHONE_GIVEN_RATE = 0.55  # people with a phone on file give it at this rate
NEW_PHONE_RATE = 0.12  # give a cell phone the file does not have
ZIP_GIVEN_RATE = 0.9
BIRTH_YEAR_GIVEN_RATE = 0.25
OUT_OF_COUNTY_SHARE = 0.3  # of off-file rows: an address outside the county
OUT_OF_COUNTY_CITIES = ["PORT HALLEY", "EASTON RIDGE", "NEW BRISTOL", "LAKE ODELL"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]
_SPELLED = {"ST": "Street", "AVE": "Avenue", "RD": "Road", "DR": "Drive", "LN": "Lane", "CT": "Court",
            "BLVD": "Boulevard", "PL": "Place", "CIR": "Circle", "WAY": "Way", "APT": "Apt."}  # fmt: skip


def _s(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object), dtype="str")


def _case(values: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Title, lower or UPPER case, as typed into a form."""
    u = rng.random(len(values))
    return values.str.title().where(u < 0.7, values.str.lower().where(u < 0.8, values.str.upper()))


def _typo(values: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Drop, double or swap one inner letter of each value (names of 4+ letters)."""
    out = []
    for v, pos, op in zip(values.fillna(""), rng.random(len(values)), rng.integers(0, 3, len(values)), strict=True):
        if len(v) < 4:
            out.append(v)
            continue
        i = 1 + int(pos * (len(v) - 2))  # never the first letter (blocking keys start there)
        if op == 0:
            out.append(v[:i] + v[i + 1 :])
        elif op == 1:
            out.append(v[:i] + v[i] + v[i:])
        else:
            j = min(i + 1, len(v) - 1)
            out.append(v[:i] + v[j] + v[i] + v[j + 1 :] if j > i else v)
    return _s(out)


def _nickname(first: pd.Series, rng: np.random.Generator) -> tuple[pd.Series, np.ndarray]:
    nicks = first.map(NICKNAMES)
    has = nicks.notna().to_numpy() & (rng.random(len(first)) < NICKNAME_RATE)
    pick = rng.random(len(first))
    new = [ns[int(p * len(ns))] if h else f for f, ns, h, p in zip(first, nicks, has, pick, strict=True)]
    return _s(new), has


def _address_as_typed(address: pd.Series, rng: np.random.Generator) -> pd.Series:
    spelled = address.str.split(" ").map(lambda ws: " ".join(_SPELLED.get(w, w) for w in ws), na_action="ignore")
    spell = rng.random(len(address)) < 0.4
    typed = address.where(~spell, spelled.astype("str"))
    return _case(typed, rng)


def _phone_as_typed(ten: pd.Series, rng: np.random.Generator) -> pd.Series:
    a, b, c = ten.str[0:3], ten.str[3:6], ten.str[6:10]
    forms = ["(" + a + ") " + b + "-" + c, a + "-" + b + "-" + c, a + "." + b + "." + c, "+1 " + ten, ten]
    k = rng.integers(0, len(forms), len(ten))
    out = forms[0]
    for i in range(1, len(forms)):
        out = out.where(k != i, forms[i])
    return out


def _new_phones(rng: np.random.Generator, n: int, taken: set[str]) -> pd.Series:
    """``n`` distinct 555-exchange numbers that no voter of the file has.

    A county's own area codes are nearly full (one 555 exchange serves ~10,000 numbers), so
    new cell phones also come with area codes from elsewhere, as people keep their numbers
    when they move.
    """
    out: list[str] = []
    seen = set(taken)
    for _ in range(100):
        m = 2 * n + 10
        area = rng.integers(201, 990, size=m)
        area = np.where(rng.random(m) < 0.3, np.where(rng.random(m) < 0.6, 919, 984), area)
        last4 = rng.integers(200, 10_000, size=m)  # 0100-0199 of 919/984: the county's reserved block
        for a, d in zip(area, last4, strict=True):
            p = f"{a}555{d:04d}"
            if a % 100 != 11 and p not in seen and len(out) < n:
                seen.add(p)
                out.append(p)
        if len(out) == n:
            return _s(out)
    raise RuntimeError("build_match_list: could not draw enough new phone numbers")


def _email(first: pd.Series, last: pd.Series, uuid: pd.Series, rng: np.random.Generator) -> pd.Series:
    f = first.str.lower().str.replace(r"[^a-z]", "", regex=True)
    ln = last.str.lower().str.replace(r"[^a-z]", "", regex=True)
    num = pd.Series(rng.integers(1, 100, len(first))).astype("str")
    k = rng.integers(0, 3, len(first))
    local = (f + "." + ln).where(k == 0, (f.str[:1] + ln + num).where(k == 1, f + ln))
    domain = _s(rng.choice(EMAIL_DOMAINS, len(first)))
    return (local + "." + uuid.str[:4] + "@" + domain).astype("str")  # unique: never two people's


def build_match_list(
    voters: pd.DataFrame,
    people: pd.DataFrame,
    registrations: pd.DataFrame,
    *,
    size: int = 2000,
    seed: int = 0,
    on_file_share: float = ON_FILE_SHARE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sign-up list of ``size`` rows and its truth table (see the module docstring).

    Args:
        voters: the generated voter file (``ncvoter`` columns, read as text).
        people: ``truth/people.csv`` of the same county (read as text).
        registrations: ``truth/registrations.csv`` (ncid -> person_id).
        size: rows of the list.
        seed: the list's own random seed.
        on_file_share: share of rows that are voters of the file.

    Returns:
        ``(list in LIST_LAYOUT columns, truth in TRUTH_COLUMNS)``, one truth row per list
        row, same order. ``person_id``/``ncid`` are empty for rows not on the file;
        ``name_of_ncid`` is the voter whose name a hard negative carries.
    """
    rng = np.random.default_rng([seed, 14])
    n_on = int(round(size * on_file_share))
    n_hard = int(round((size - n_on) * HARD_NEGATIVE_SHARE))
    n_str = size - n_on - n_hard
    on_file_people = set(registrations["person_id"].astype("str"))
    pool = people[people["person_id"].astype("str").isin(on_file_people)].reset_index(drop=True)
    prim = voters[voters["ncid"].isin(set(people["ncid"]))].reset_index(drop=True)  # primary registrations

    # --- on file: real voters as they type themselves -----------------------------------
    src = pool.iloc[rng.choice(len(pool), n_on, replace=False)].reset_index(drop=True)
    first, nick = _nickname(src["first_name"].astype("str"), rng)
    first_typo = ~nick & (rng.random(n_on) < FIRST_TYPO_RATE)
    first = first.where(~first_typo, _typo(first, rng))
    last_typo = rng.random(n_on) < LAST_TYPO_RATE
    last = src["last_name"].astype("str").where(~last_typo, _typo(src["last_name"].astype("str"), rng))
    moved = rng.random(n_on) < MOVED_RATE
    other = pool.iloc[rng.integers(0, len(pool), n_on)].reset_index(drop=True)
    address = src["address"].where(~moved, other["address"]).astype("str")
    city = src["city"].where(~moved, other["city"]).astype("str")
    zip5 = src["zip5"].where(~moved, other["zip5"]).astype("str")
    has_phone = src["phone"].notna().to_numpy()
    # a moved voter keeps the phone (if any) or gives only the email; others give a phone at a rate
    gave_phone = has_phone & np.where(moved, rng.random(n_on) < 0.6, rng.random(n_on) < PHONE_GIVEN_RATE)
    phone = src["phone"].astype("str").where(gave_phone)
    # some give a new cell phone that the file does not have (instead of the file's, or none)
    taken = set(voters["full_phone_number"].dropna().astype("str").str.replace(r"\D", "", regex=True))
    taken |= {p[-7:] for p in taken}  # nor a 7-digit leftover of one
    new_cell = rng.random(n_on) < NEW_PHONE_RATE
    phone = phone.where(~new_cell, _new_phones(rng, n_on, {p for p in taken if len(p) == 10}))
    on = pd.DataFrame({"kind": "on_file", "person_id": src["person_id"].astype("str"),
                       "ncid": src["ncid"].astype("str"), "name_of_ncid": _s([None] * n_on),
                       "first": first, "last": last, "address": address, "city": city, "zip5": zip5,
                       "phone": phone, "birth_year": src["birth_year"].astype("str"),
                       "first_variant": np.select([nick, first_typo], ["nickname", "typo"], "exact"),
                       "last_typo": last_typo, "moved": moved})  # fmt: skip
    # a moved voter who gives no phone gives at least the new address
    on["force_address"] = moved & ~gave_phone

    # --- hard negatives: a voter's exact name, another life ------------------------------
    named = prim[prim["first_name"].notna() & prim["last_name"].notna()]
    named = named.iloc[rng.choice(len(named), n_hard, replace=False)].reset_index(drop=True)
    elsewhere = pool.iloc[rng.integers(0, len(pool), n_hard)].reset_index(drop=True)
    hard = pd.DataFrame({"kind": "hard_negative", "person_id": _s([None] * n_hard), "ncid": _s([None] * n_hard),
                         "name_of_ncid": named["ncid"].astype("str"),
                         "first": named["first_name"].astype("str").str.strip(),
                         "last": named["last_name"].astype("str").str.strip(),
                         "address": elsewhere["address"].astype("str"), "city": elsewhere["city"].astype("str"),
                         "zip5": elsewhere["zip5"].astype("str"), "birth_year": _s(rng.integers(1940, 2007, n_hard)),
                         "first_variant": "exact", "last_typo": False, "moved": False, "force_address": False})  # fmt: skip

    # --- strangers: county-sounding names, nobody on the file ----------------------------
    f_src = pool["first_name"].astype("str").to_numpy()[rng.integers(0, len(pool), n_str)]
    l_src = pool["last_name"].astype("str").to_numpy()[rng.integers(0, len(pool), n_str)]
    there = pool.iloc[rng.integers(0, len(pool), n_str)].reset_index(drop=True)
    strangers = pd.DataFrame({"kind": "stranger", "person_id": _s([None] * n_str), "ncid": _s([None] * n_str),
                              "name_of_ncid": _s([None] * n_str), "first": _s(f_src), "last": _s(l_src),
                              "address": there["address"].astype("str"), "city": there["city"].astype("str"),
                              "zip5": there["zip5"].astype("str"), "birth_year": _s(rng.integers(1940, 2007, n_str)),
                              "first_variant": "exact", "last_typo": False, "moved": False, "force_address": False})  # fmt: skip
    off = pd.concat([hard, strangers], ignore_index=True)
    n_off = len(off)
    out_county = rng.random(n_off) < OUT_OF_COUNTY_SHARE
    street = off["address"].str.replace(r"^\S+\s+", "", regex=True)
    off["address"] = off["address"].where(~out_county, _s(rng.integers(10, 9999, n_off)).astype("str") + " " + street)
    off["city"] = off["city"].where(~out_county, _s(rng.choice(OUT_OF_COUNTY_CITIES, n_off)))
    off["zip5"] = off["zip5"].where(~out_county, "00" + _s(rng.integers(317, 400, n_off)).astype("str"))
    taken |= set(phone.dropna())
    off_phone = _new_phones(rng, n_off, {p for p in taken if len(p) == 10})
    off_phone = _s([p if p[-7:] not in taken else None for p in off_phone])
    off["phone"] = off_phone.where(rng.random(n_off) < PHONE_GIVEN_RATE)

    rows = pd.concat([on, off], ignore_index=True)
    rows = rows.iloc[rng.permutation(size)].reset_index(drop=True)
    n = size
    b = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    uuid = _s([f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:32]}" for h in (x.tobytes().hex() for x in b)])

    gave_address = (rng.random(n) < ADDRESS_GIVEN_RATE) | rows["force_address"].to_numpy(dtype=bool)
    gave_zip = rng.random(n) < ZIP_GIVEN_RATE
    gave_by = rng.random(n) < BIRTH_YEAR_GIVEN_RATE
    z = rng.random(n)
    zip_code = rows["zip5"].where(z >= 0.08, rows["zip5"].str.lstrip("0"))
    zip_code = zip_code.where((z < 0.08) | (z >= 0.14), rows["zip5"] + "-" + _s(rng.integers(0, 10_000, n)).str.zfill(4))
    first_typed = _case(rows["first"].astype("str"), rng)
    last_typed = _case(rows["last"].astype("str"), rng)
    email = _email(rows["first"].astype("str"), rows["last"].astype("str"), uuid, rng)
    gives_city = gave_address | (rng.random(n) < 0.3)
    signups = pd.DataFrame({
        "uuid": uuid,
        "first_name": first_typed + np.where(rng.random(n) < 0.05, " ", ""),  # a trailing space
        "last_name": last_typed,
        "email": email,
        "zip_code": zip_code.where(gave_zip).astype("str"),
        "can2_phone": _phone_as_typed(rows["phone"].astype("str"), rng).where(rows["phone"].notna()).astype("str"),
        "can2_user_address": _address_as_typed(rows["address"].astype("str"), rng).where(gave_address).astype("str"),
        "can2_user_city": _case(rows["city"].astype("str"), rng).where(gives_city).astype("str"),
        "birth_year": rows["birth_year"].where(gave_by).astype("str"),
    })[LIST_LAYOUT]  # fmt: skip
    truth = pd.DataFrame({
        "uuid": uuid, "kind": rows["kind"], "person_id": rows["person_id"], "ncid": rows["ncid"],
        "name_of_ncid": rows["name_of_ncid"], "first_variant": rows["first_variant"],
        "last_typo": rows["last_typo"].astype(bool), "moved": rows["moved"].astype(bool),
        "gave_address": gave_address, "gave_phone": rows["phone"].notna().to_numpy(), "gave_zip": gave_zip,
        "gave_birth_year": gave_by,
    })[TRUTH_COLUMNS]  # fmt: skip
    return signups, truth


def score_matches(
    matched: pd.DataFrame, truth: pd.DataFrame, registrations: pd.DataFrame, *,
    list_id: str = "uuid", voter_id: str = "ncid", review: pd.DataFrame | None = None,
) -> dict[str, float]:
    """Precision and recall of a matcher's output against the truth of :func:`build_match_list`.

    A match is correct when the voter is a registration of the list row's person (any of
    their registrations: a duplicate registration is the same person). ``review`` (the
    candidates shown to a human: one row per list row and candidate voter) counts toward
    ``recall_with_review`` where the right voter is among a row's candidates.

    Returns a dict: ``matched``, ``correct``, ``precision``, ``recall`` (true matches found in
    ``matched`` / list rows on the file), ``recall_with_review``, ``hard_negatives_matched``
    (share of hard negatives in ``matched``) and ``hard_negatives``.
    """
    person_of = dict(zip(registrations["ncid"].astype("str"), registrations["person_id"].astype("str"), strict=True))
    t = truth.set_index("uuid")
    ids = matched[list_id].astype("str").to_numpy()
    got = [person_of.get(str(v)) for v in matched[voter_id]]
    want = t["person_id"].reindex(ids).to_numpy()
    correct = int(sum(g is not None and g == w for g, w in zip(got, want, strict=True)))
    on_file = int((truth["kind"] == "on_file").sum())
    found_on_file: set[str] = set()
    if review is not None and len(review):
        rp = [person_of.get(str(v)) for v in review[voter_id]]
        rw = t["person_id"].reindex(review[list_id].astype("str")).to_numpy()
        found_on_file = {str(u) for u, g, w in zip(review[list_id], rp, rw, strict=True) if g is not None and g == w}
    hard = set(t.index[t["kind"] == "hard_negative"])
    return {
        "matched": len(matched),
        "correct": correct,
        "precision": correct / max(len(matched), 1),
        "recall": correct / max(on_file, 1),
        "recall_with_review": (correct + len(found_on_file - set(ids))) / max(on_file, 1),
        "hard_negatives": len(hard),
        "hard_negatives_matched": len(hard & set(ids)) / max(len(hard), 1),
    }
