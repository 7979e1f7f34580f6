"""Vote history in the NCSBE ``ncvhis`` long layout: one row per vote cast.

Votes are drawn from the true probabilities. Before 2020 the voting methods carry the old
labels (IN-PERSON, ABSENTEE ONESTOP, CURBSIDE); from 2020 the new ones. A planted share of old
votes was exported twice, once under each label (label drift), recorded in the truth.

>>> HISTORY_COLUMNS[:3]
['county_id', 'voter_reg_num', 'election_lbl']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal

HISTORY_COLUMNS = [
    "county_id", "voter_reg_num", "election_lbl", "election_desc", "voting_method",
    "voted_party_cd", "pct_label", "ncid", "voted_county_id", "vtd_label",
]  # fmt: skip
OLD_TO_NEW = {0: 0, 1: 1, 3: 3}  # IN-PERSON, ABSENTEE ONESTOP, CURBSIDE have new names


def dictionary(values, idx: np.ndarray) -> pa.DictionaryArray:
    """A dictionary-encoded column (cheap to build, cheap to write).

    >>> dictionary(["A", "B"], np.array([1, 1, 0])).to_pylist()
    ['B', 'B', 'A']
    """
    vals = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(idx, dtype=np.int32)), vals)


def method_shares(e: cal.Election) -> tuple[float, ...]:
    """Shares of the five methods for election ``e``.

    >>> method_shares(cal.ELECTIONS[0])
    (0.55, 0.38, 0.05, 0.01, 0.01)
    """
    shares = cal.METHOD_SHARES[e.kind]
    return shares[e.year] if isinstance(shares, dict) else shares


def votes_in_file_order(voted: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(election, person, registration row) of every vote, sorted by election then row.

    A person has one row per election, so (election, row) keys are unique: flagging each
    election's rows and reading the flags back sorts them in linear time, the same order as
    ``np.lexsort((row, election))``.

    >>> voted = np.array([[True, True], [True, False]])  # persons x elections
    >>> rows = np.array([[1, 1], [0, 2]])
    >>> [a.tolist() for a in votes_in_file_order(voted, rows)]
    [[0, 0, 1], [1, 0, 0], [0, 1, 1]]
    """
    n_rows = int(rows.max()) + 1 if rows.size else 0
    person_at = np.empty(n_rows, dtype=np.int64)
    e_parts, p_parts, r_parts = [], [], []
    for e in range(voted.shape[1]):
        person = np.flatnonzero(voted[:, e])
        row = rows[person, e]
        flag = np.zeros(n_rows, dtype=bool)
        flag[row] = True
        person_at[row] = person
        row = np.flatnonzero(flag)
        e_parts.append(np.full(len(row), e, dtype=np.int64))
        p_parts.append(person_at[row])
        r_parts.append(row)
    return np.concatenate(e_parts), np.concatenate(p_parts), np.concatenate(r_parts)


def build_history(
    prob: np.ndarray,
    rows: np.ndarray,
    people: pd.DataFrame,
    reg: dict[str, pa.Array],
    rng: np.random.Generator,
    baseline: np.ndarray | None = None,
) -> tuple[pa.Table, pd.DataFrame, np.ndarray]:
    """Draw votes and lay them out as ncvhis.

    Args:
        prob: persons x cal.ELECTIONS true probabilities (NaN = not eligible).
        rows: persons x elections registration row each vote is recorded under.
        people: the people table (party, dem_prob).
        reg: per registration row text columns ``ncid``, ``voter_reg_num``, ``precinct``.
        baseline: the probabilities without a program that moved some of ``prob`` (the 2024
            canvass experiment). Votes are drawn with ``prob``, from the same uniforms; every
            per-vote draw (method, label drift, primary ballot) of a vote ``baseline`` would
            also give is the one it would get without the program, and the votes the program
            added draw theirs afterwards. So the history differs from the one ``baseline``
            gives only by the votes the program changed.

    Returns the history table, the label-drift truth (ncid, election_lbl, old, new) and the
    persons x past-elections boolean matrix of true votes.
    """
    past = cal.PAST_ELECTIONS
    n_e = len(past)
    p = prob[:, :n_e]
    u_vote = rng.random(p.shape)
    voted = u_vote < p  # never true where p is NaN (not eligible)
    base = voted if baseline is None else u_vote < baseline[:, :n_e]
    e_idx, p_idx, row = votes_in_file_order(base, rows)
    n = len(e_idx)
    u, u_drift, u_una = rng.random(n), rng.random(n), rng.random(n)
    if baseline is not None:  # the added votes draw after the others; the lost ones are dropped
        e_add, p_add, r_add = votes_in_file_order(voted & ~base, rows)
        k = len(e_add)
        e_idx, p_idx, row = np.concatenate([e_idx, e_add]), np.concatenate([p_idx, p_add]), np.concatenate([row, r_add])
        u, u_drift, u_una = (np.concatenate([a, rng.random(k)]) for a in (u, u_drift, u_una))
        keep = voted[p_idx, e_idx]
        srt = np.lexsort((row, e_idx))
        srt = srt[keep[srt]]
        e_idx, p_idx, row, u, u_drift, u_una = (a[srt] for a in (e_idx, p_idx, row, u, u_drift, u_una))
        n = len(e_idx)

    # method ------------------------------------------------------------------------------
    cdf = np.array([np.cumsum(method_shares(e)) for e in past])
    cdf[:, -1] = 1.0
    method = np.zeros(n, dtype=np.int64)
    for k in range(cdf.shape[1] - 1):  # the number of cut-points at or below u
        method += u >= cdf[e_idx, k]
    new_era = np.array([e.year >= cal.NEW_LABEL_FROM for e in past])[e_idx]
    label = method + 5 * new_era

    # label drift: some old votes exported again with the new label ----------------------------
    drift = ~new_era & np.isin(method, list(OLD_TO_NEW)) & (u_drift < cal.LABEL_DRIFT)
    d_pos = np.flatnonzero(drift)
    keys = np.concatenate([np.arange(n) * 2, d_pos * 2 + 1])
    take = np.concatenate([np.arange(n), d_pos])
    out_label = np.concatenate([label, method[d_pos] + 5])
    srt = np.argsort(keys, kind="stable")
    take, out_label = take[srt], out_label[srt]

    # party on the ballot ---------------------------------------------------------------------
    parties = ["DEM", "REP", "UNA", "LIB", "GRE"]
    party_code = pc.index_in(pa.array(people["party"], from_pandas=True), value_set=pa.array(parties))
    party = np.asarray(pc.fill_null(party_code, -1)).astype(np.int64)[p_idx]
    primary = np.array([e.kind == "PRIMARY" for e in past])[e_idx]
    dem = people["dem_prob"].to_numpy()[p_idx]
    una_pick = np.where(u_una < dem, 0, 1)
    party = np.where(primary & (party == 2), una_pick, party)

    ei = e_idx[take]
    ri = row[take]
    zeros = np.zeros(len(take), dtype=np.int32)
    labels = list(cal.METHODS_OLD) + list(cal.METHODS_NEW)
    table = pa.table(
        {
            "county_id": dictionary([cal.COUNTY_ID], zeros),
            "voter_reg_num": dictionary(reg["voter_reg_num"], ri),
            "election_lbl": dictionary([e.lbl for e in past], ei),
            "election_desc": dictionary([e.desc for e in past], ei),
            "voting_method": dictionary(labels, out_label),
            "voted_party_cd": dictionary(parties, party[take]),
            "pct_label": dictionary(reg["precinct"], ri),
            "ncid": dictionary(reg["ncid"], ri),
            "voted_county_id": dictionary([cal.COUNTY_ID], zeros),
            "vtd_label": dictionary(reg["precinct"], ri),
        }
    )
    drift_truth = pd.DataFrame(
        {
            "ncid": pc.take(reg["ncid"], pa.array(row[d_pos])).to_pandas(),
            "election_lbl": np.array([e.lbl for e in past])[e_idx[d_pos]],
            "old": np.array(labels)[label[d_pos]],
            "new": np.array(labels)[method[d_pos] + 5],
        }
    )
    return table, drift_truth, voted
