"""Registrations: the rows of the voter file, before formatting.

Every person has a primary registration; about 1.5% also have a duplicate registration under a
new NCID and voter_reg_num (often the next number), with a variation of name or address: some
of them made to be missed by simple rules (a married woman's new surname, a nickname at a new
address).
Statuses are assigned with the exact NC shares; duplicates are always active or inactive.

>>> import numpy as np
>>> from campaignlab.synth.people import build_people
>>> people = build_people(1_000, np.random.default_rng(0))
>>> regs = build_registrations(people, 1_015, np.random.default_rng(1))
>>> len(regs), int(regs["duplicate_of_row"].notna().sum())
(1015, 15)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from campaignlab.synth import calibration as cal
from campaignlab.synth.people import choice_idx
from campaignlab.synth.text import take

NCID_PREFIX = "AL"
VARIATIONS = ("exact", "name_case", "nickname", "middle_initial", "moved_address", "name_change", "nickname_moved")
VARIATION_P = (0.15, 0.20, 0.20, 0.25, 0.20)  # unsourced; drawn over the first five variations
# then, from a child stream: cal.NAME_CHANGE of women's non-consecutive duplicates become
# "name_change" (a new surname after marriage, years later) and cal.NICKNAME_MOVED of the
# "nickname" ones "nickname_moved" (a nickname AND a new address). The voter file resolves them:
# see campaignlab.synth.voterfile.


def people_for(voters: int) -> int:
    """How many real people stand behind ``voters`` registrations.

    >>> people_for(50_000)
    49261
    """
    return int(round(voters / (1 + cal.DUPLICATE_RATE)))


def exact_counts(shares: dict[str, float], n: int) -> dict[str, int]:
    """Largest-remainder rounding of ``shares`` to integers summing to ``n``.

    >>> exact_counts({"A": 0.5, "B": 0.5}, 3)
    {'A': 2, 'B': 1}
    """
    raw = {k: v * n for k, v in shares.items()}
    out = {k: int(np.floor(v)) for k, v in raw.items()}
    rest = n - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), list(raw).index(k)))[:rest]:
        out[k] += 1
    return out


def build_registrations(people: pd.DataFrame, n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per registration: person, IDs, dates, status, reason, variation of duplicates.

    Columns: row (0..n-1, file order = ID order), person_idx, ncid_num, reg_num, reg_date,
    status, reason_cd, reason_desc, removal_date, lapse_date, inactive_date,
    duplicate_of_row (Int64), variation; status_code (index into ``cal.STATUS_SHARES``) and
    variation_code (index into ``VARIATIONS``, -1 for primary rows) for vectorised callers.
    """
    n_people = len(people)
    n_dup = n_rows - n_people
    if n_dup < 0:
        raise ValueError("n_rows must be at least the number of people")
    reg_date = people["reg_date"].to_numpy().astype("datetime64[D]")

    # primary registrations numbered in order of registration date, leaving odd gaps
    order = np.argsort(reg_date, kind="stable")
    rank = np.empty(n_people, dtype=np.int64)
    rank[order] = np.arange(n_people)
    ncid_num = 100_000 + 2 * rank
    reg_num = 30_000_000 + 2 * rank

    dup_people = np.sort(rng.choice(n_people, size=n_dup, replace=False))
    consecutive = rng.random(n_dup) < cal.DUPLICATE_CONSECUTIVE
    late = np.arange(n_dup)
    dup_ncid = np.where(consecutive, ncid_num[dup_people] + 1, 100_000 + 2 * n_people + 2 * late + 1)
    dup_regn = np.where(consecutive, reg_num[dup_people] + 1, 30_000_000 + 2 * n_people + 2 * late + 1)
    base = reg_date[dup_people]
    span = np.maximum((cal.SNAPSHOT - 30 - base).astype(np.int64), 1)
    later = base + (rng.random(n_dup) * span).astype("timedelta64[D]")
    soon = base + rng.integers(0, 30, n_dup).astype("timedelta64[D]")
    dup_date = np.where(consecutive, soon, later)
    var_code_dup = choice_idx(VARIATION_P, n_dup, rng)  # codes into VARIATIONS
    hard = rng.spawn(1)[0]  # the duplicates simple rules miss: a child stream, the main one is untouched
    female = people["sex"].to_numpy()[dup_people] == "F"
    marry = female & ~consecutive & (hard.random(n_dup) < cal.NAME_CHANGE)
    nick_moved = (var_code_dup == VARIATIONS.index("nickname")) & (hard.random(n_dup) < cal.NICKNAME_MOVED)
    var_code_dup = np.where(nick_moved, VARIATIONS.index("nickname_moved"), var_code_dup)
    var_code_dup = np.where(marry, VARIATIONS.index("name_change"), var_code_dup)

    person_idx = np.concatenate([np.arange(n_people), dup_people])
    ncid = np.concatenate([ncid_num, dup_ncid])
    # file order = NCID order (NCIDs are unique, so any sort is the stable one)
    srt = np.argsort(ncid, kind="stable")
    is_dup = np.r_[np.zeros(n_people, bool), np.ones(n_dup, bool)][srt]
    ncid = ncid[srt]
    # the duplicate points at the primary row (by ncid)
    dup_of_ncid = np.concatenate([np.zeros(n_people, np.int64), ncid_num[dup_people]])[srt]
    dup_of = pd.array(np.searchsorted(ncid, dup_of_ncid), dtype="Int64")
    dup_of[~is_dup] = pd.NA
    var_code = np.concatenate([np.full(n_people, -1), var_code_dup])[srt]
    regs = pd.DataFrame(
        {
            "row": np.arange(n_rows),
            "person_idx": person_idx[srt],
            "ncid_num": ncid,
            "reg_num": np.concatenate([reg_num, dup_regn])[srt],
            "reg_date": np.concatenate([reg_date, dup_date])[srt],
            "is_dup": is_dup,
            "variation": _text(("", *VARIATIONS), var_code + 1),
            "duplicate_of_row": dup_of,
        }
    )

    # statuses: exact counts; duplicates only get A or I -----------------------------------
    counts = exact_counts(cal.STATUS_SHARES, n_rows)
    keys = list(counts)  # status codes index this list (A I R D S)
    status = rng.permutation(np.repeat(np.arange(len(keys)), list(counts.values())))
    a, i = keys.index("A"), keys.index("I")
    bad = np.flatnonzero(is_dup & (status != a) & (status != i))
    pool = np.flatnonzero(~is_dup & (status == a))
    swap = rng.choice(pool, size=len(bad), replace=False)
    status[bad], status[swap] = status[swap], status[bad]
    regs["status"] = _text(keys, status)
    regs["status_code"] = status
    regs["variation_code"] = var_code

    reasons = [o for options in cal.REASONS.values() for o in options]  # codes index this list
    reason = np.zeros(n_rows, dtype=np.int64)
    first = 0
    for st, options in cal.REASONS.items():
        m = status == keys.index(st)
        reason[m] = first + choice_idx([o[2] for o in options], int(m.sum()), rng)
        first += len(options)
    regs["reason_cd"] = _text([o[0] for o in reasons], reason)
    regs["reason_desc"] = _text([o[1] for o in reasons], reason)

    # removal / inactive / lapse dates --------------------------------------------------------
    rd = regs["reg_date"].to_numpy().astype("datetime64[D]")
    nat = np.datetime64("NaT", "D")
    lo = np.maximum(rd + 180, np.datetime64("2016-06-01"))
    span = np.maximum((cal.SNAPSHOT - 7 - lo).astype(np.int64), 1)
    removal = lo + (rng.random(n_rows) * span).astype("timedelta64[D]")
    regs["removal_date"] = np.where(status == keys.index("R"), removal, nat)
    lapse = removal - 4 * 365
    regs["lapse_date"] = np.where(reason == [o[0] for o in reasons].index("RM"), lapse, nat)
    lo_i = np.maximum(rd + 365, np.datetime64("2019-01-01"))
    span_i = np.maximum((cal.SNAPSHOT - 30 - lo_i).astype(np.int64), 1)
    inactive = lo_i + (rng.random(n_rows) * span_i).astype("timedelta64[D]")
    regs["inactive_date"] = np.where(status == i, inactive, nat)
    return regs


def _text(vocab, codes: np.ndarray) -> pd.Series:
    """A ``str`` Series of ``vocab[codes]`` (built by Arrow, no Python objects)."""
    return pd.Series(take(vocab, codes).cast(pa.large_string()).to_pandas())
