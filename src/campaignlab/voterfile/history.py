"""Vote history: remove double-counted votes, pivot to one row per voter, "voted k of n".

NC's ``ncvhis`` has one row per vote cast: no row means the voter did not vote. Older votes
were re-exported under renamed voting methods (IN-PERSON became ELECTION DAY IN-PERSON), so
the same vote can appear twice: count it once. Ohio's statewide file is *wide* instead: one
column per election (``GENERAL-11/08/2022``), blank = did not vote, ``X`` or a party letter =
voted. :func:`history_from_wide` turns it into the same long form, so every step below works
on both; ``voted_k_of_n`` refuses text columns (a blank is never a vote).

>>> import pandas as pd
>>> hist = pd.DataFrame({
...     "ncid": ["AL1", "AL1", "AL1", "AL2"],
...     "election_lbl": ["11/08/2016", "11/08/2016", "11/06/2018", "11/06/2018"],
...     "election_desc": ["11/08/2016 GENERAL", "11/08/2016 GENERAL", "11/06/2018 GENERAL",
...                       "11/06/2018 GENERAL"],
...     "voting_method": ["IN-PERSON", "ELECTION DAY IN-PERSON", "ABSENTEE BY MAIL", "PROVISIONAL"]})
>>> clean, report = dedupe_history(hist)
>>> len(clean), report.reasons
(3, {'same vote under an old and a new method label (label drift)': 1})
>>> wide, report = pivot_history(clean, voters=["AL1", "AL2", "AL3"])
>>> wide.reset_index().values.tolist()
[['AL1', True, True], ['AL2', False, True], ['AL3', False, False]]
>>> k, report = voted_k_of_n(wide, k=1, n=2)
>>> k["voted_1_of_2_general"].tolist()
[True, True, False]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from campaignlab.voterfile.layouts import wide_history_columns
from campaignlab.voterfile.report import StepReport, empty_aside, reasons_frame, require_columns

__all__ = ["dedupe_history", "carry_history_over", "pivot_history", "voted_k_of_n", "history_from_wide", "LABEL_DRIFT"]

#: Old NC voting-method label -> its current name.
LABEL_DRIFT = {
    "IN-PERSON": "ELECTION DAY IN-PERSON",
    "CURBSIDE": "ELECTION DAY CURBSIDE",
    "ABSENTEE ONESTOP": "EARLY VOTING IN-PERSON",
}
#: Ohio's marks in a wide history: ``X`` voted; a party letter: voted that party's primary ballot.
VOTE_MARKS = ("X",)
PARTY_MARKS = ("D", "R", "L", "G", "C", "N", "S", "E")
_WIDE = re.compile(r"^\s*(?P<kind>[A-Za-z][A-Za-z ]*?)[-_ ](?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*$")
_HOW_TO_WIDE = ("turn a wide history (one column per election) into votes first: "
                "history, r = history_from_wide(voters, id='SOS_VOTERID'); "
                "wide, r = pivot_history(history, id='SOS_VOTERID', voters=voters['SOS_VOTERID'])")  # fmt: skip


def history_from_wide(
    voters: pd.DataFrame,
    *,
    id: str = "SOS_VOTERID",
    elections: Sequence[str] | None = None,
    vote_marks: Sequence[str] = VOTE_MARKS,
    party_marks: Sequence[str] = PARTY_MARKS,
) -> tuple[pd.DataFrame, StepReport]:
    """One row per vote cast, from a file with one column per election (Ohio's statewide file).

    A blank cell means the voter did not vote: it gives no row, never a vote. ``X`` (any of
    ``vote_marks``) means voted; a party letter (``party_marks``) means voted with that
    party's primary ballot, kept in ``voted_party_cd``. Any other mark ("Y", "0", "?") is
    neither: it is set aside with a reason, for you to decide (pass it in ``vote_marks``
    if your state uses it for "voted").

    Args:
        voters: the wide file (not modified), e.g. from ``read_voter_file`` on an Ohio file.
        id: the voter ID column (Ohio ``SOS_VOTERID``).
        elections: the election columns; default every column named like
            ``GENERAL-11/08/2022`` or ``PRIMARY-2022-05-03``.
        vote_marks, party_marks: marks that mean "voted".

    Returns:
        ``(history, report)``: columns ``id``, ``election_lbl`` (MM/DD/YYYY),
        ``election_desc`` ("11/08/2022 GENERAL"), ``voted_party_cd`` and
        ``election_column``, ready for :func:`dedupe_history` (``method=None``) and
        :func:`pivot_history` with ``id=``. ``report.rows_in`` counts marked cells:
        ``rows_in == votes + marks set aside``; blank cells are flagged.

    >>> ohio = pd.DataFrame({"SOS_VOTERID": ["OH1", "OH2", "OH3"],
    ...                      "PRIMARY-05/03/2022": ["D", None, "R"], "GENERAL-11/08/2022": ["X", "X", "Y"]})
    >>> votes, report = history_from_wide(ohio)
    >>> votes[["SOS_VOTERID", "election_desc", "voted_party_cd"]].values.tolist()
    [['OH1', '05/03/2022 PRIMARY', 'D'], ['OH3', '05/03/2022 PRIMARY', 'R'], ['OH1', '11/08/2022 GENERAL', nan], ['OH2', '11/08/2022 GENERAL', nan]]
    >>> print(report)
    history_from_wide: 5 rows in, 4 kept, 1 set aside
      set aside  unknown mark 'Y': not a vote, not a blank      1
      flagged    blank cells (did not vote)                     1
      flagged    voters                                         3
    """
    require_columns(voters, {"id": id}, "history_from_wide")
    if elections is None:
        elections = wide_history_columns(voters.columns)
        if not elections:
            raise ValueError(f"history_from_wide: no column is named like an election ('GENERAL-11/08/2022'); "
                             f"columns found: {list(voters.columns)[:12]}. Name them with elections=[...]")  # fmt: skip
    require_columns(voters, {f"elections[{i}]": c for i, c in enumerate(elections)}, "history_from_wide")
    ids = voters[id].astype("str").to_numpy(dtype=object)
    no_id = pd.isna(ids)
    votes, aside, blanks = [], [], 0
    voted_marks = {str(m).upper() for m in vote_marks}
    party = {str(m).upper() for m in party_marks}
    for col in elections:
        m = _WIDE.match(str(col))
        if not m:
            raise ValueError(f"history_from_wide: column {col!r} does not name an election as TYPE-MM/DD/YYYY "
                             "(Ohio: GENERAL-11/08/2022); rename it or leave it out of elections=")  # fmt: skip
        date = m.group("date")
        when = pd.Timestamp(date) if "-" in date else pd.to_datetime(date, format="%m/%d/%Y")
        label, kind = when.strftime("%m/%d/%Y"), " ".join(m.group("kind").upper().split())
        mark = voters[col].astype("str").str.strip().str.upper()
        marked = mark.notna().to_numpy() & (mark.str.len() > 0).fillna(False).to_numpy()
        blanks += int((~marked).sum())
        mk = mark.to_numpy(dtype=object)
        is_vote = marked & pd.Series(mk).isin(voted_marks | party).to_numpy()
        ok = is_vote & ~no_id
        votes.append(pd.DataFrame({id: ids[ok], "election_lbl": label, "election_desc": f"{label} {kind}",
                                   "voted_party_cd": pd.array(np.where(pd.Series(mk[ok]).isin(party), mk[ok], None), dtype="str"),
                                   "election_column": str(col)}))  # fmt: skip
        odd = marked & ~ok
        why = np.where(no_id[odd], "missing voter ID",
                       np.array([f"unknown mark {v!r}: not a vote, not a blank" for v in mk[odd]], dtype=object))
        aside.append(pd.DataFrame({id: ids[odd], "election_column": str(col), "mark": pd.array(mk[odd], dtype="str"),
                                   "reason": pd.array(why, dtype="str")}))  # fmt: skip
    history = pd.concat(votes, ignore_index=True).astype({id: "str", "election_lbl": "str", "election_desc": "str",
                                                          "election_column": "str"})  # fmt: skip
    set_aside = pd.concat(aside, ignore_index=True)
    flags = {"blank cells (did not vote)": blanks, "voters": len(voters),
             "voters with no vote in these elections": int(len(voters) - history[id].nunique())}  # fmt: skip
    report = StepReport("history_from_wide", len(history) + len(set_aside), len(history), set_aside, flags=flags)
    return history, report


def dedupe_history(
    history: pd.DataFrame,
    *,
    id: str = "ncid",
    election: str = "election_lbl",
    method: str | None = "voting_method",
    label_drift: Mapping[str, str] = LABEL_DRIFT,
) -> tuple[pd.DataFrame, StepReport]:
    """Keep one row per voter and election; set the extra rows aside with a reason.

    When the same vote appears under an old and a new method label, the new label is kept.
    Rows without a voter ID or an election are set aside too.

    Args:
        history: long vote history (not modified).
        id, election, method: columns (NC defaults); ``method=None`` if your file has none.
        label_drift: old label -> new label.

    >>> dedupe_history(pd.DataFrame({"ncid": ["AL1"]}))
    Traceback (most recent call last):
    ...
    KeyError: "dedupe_history: columns 'election_lbl' (parameter election=), 'voting_method' (parameter method=) are not in the data. Columns found: ['ncid']. Map your layout's columns with election='<your column>', method='<your column>'."
    """
    require_columns(history, {"id": id, "election": election, "method": method}, "dedupe_history")
    n = len(history)
    no_id = history[id].isna().to_numpy()
    no_el = history[election].isna().to_numpy() & ~no_id
    usable = ~no_id & ~no_el
    pos = np.flatnonzero(usable)
    # integer codes, sorted with numpy: a statewide history has tens of millions of rows
    id_codes = pd.factorize(history[id][usable])[0]  # boolean filters: much faster than takes on arrow text
    el_codes = pd.factorize(history[election][usable])[0]
    if method is not None:
        raw_s = history[method][usable].astype("str")
        m = raw_s.str.upper().str.strip()
        canon = m.map(dict(label_drift)).where(lambda x: x.notna(), m)
        is_old = m.isin(list(label_drift)).to_numpy()
        canon_codes = pd.factorize(canon.fillna(""))[0]
        raw_codes = pd.factorize(raw_s.fillna(""))[0]
    else:
        is_old = np.zeros(len(pos), dtype=bool)
        canon_codes = raw_codes = np.zeros(len(pos), dtype=np.int64)
    order = np.lexsort((pos, is_old, el_codes, id_codes))  # by voter, election; the new label first
    s_id, s_el = id_codes[order], el_codes[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (s_id[1:] != s_id[:-1]) | (s_el[1:] != s_el[:-1])
    dup = ~starts
    first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    s_canon, s_raw = canon_codes[order], raw_codes[order]
    same_canon = s_canon == s_canon[first]
    same_raw = s_raw == s_raw[first]
    why = np.where(
        same_raw,
        "exact duplicate vote row",
        np.where(same_canon, "same vote under an old and a new method label (label drift)",
                 "second vote in the same election (different method): kept one"),
    )  # fmt: skip
    drop_pos = pos[order][dup]
    drop_why = why[dup]
    reason = np.full(n, None, dtype=object)
    reason[no_id] = "missing voter ID"
    reason[no_el] = "missing election"
    reason[drop_pos] = drop_why
    aside_mask = pd.notna(reason)
    aside = reasons_frame(history.iloc[np.flatnonzero(aside_mask)], pd.Series(reason[aside_mask], dtype="str"))
    result = history[~aside_mask]
    report = StepReport("dedupe_history", n, len(result), aside)
    return result, report


def carry_history_over(
    history: pd.DataFrame,
    set_aside: pd.DataFrame,
    *,
    id: str = "ncid",
    kept_id: str = "kept_id",
    election: str = "election_lbl",
    moved_from: str = "moved_from",
) -> tuple[pd.DataFrame, StepReport]:
    """Move the votes of set-aside duplicate registrations to the registration kept instead.

    When two registrations are one person and one is set aside, its votes still belong to
    that person: left under the set-aside ID they vanish from the kept record's history,
    and the person looks like a rarer voter than they are. Each vote row of a set-aside ID
    gets the kept ID (the old ID stays in ``moved_from``). A moved row is set aside, with a
    reason, when the kept registration already has a vote in that election (one person votes
    once per election); rows that were not moved are never touched (label drift is
    :func:`dedupe_history`'s job).

    Args:
        history: long vote history (not modified).
        set_aside: the set-aside registrations, one row per ID, with the ID kept instead:
            ``report.set_aside`` of :func:`resolve_duplicates` (``kept_id``) or any table
            with ``id`` and ``kept_id`` columns.
        id, kept_id, election: column names.
        moved_from: new column: the ID a moved vote was recorded under (blank for the rest).

    >>> import pandas as pd
    >>> hist = pd.DataFrame({"ncid": ["AL1", "AL1", "AL2", "AL3"],
    ...                      "election_lbl": ["11/08/2016", "11/03/2020", "11/08/2016", "11/03/2020"]})
    >>> aside = pd.DataFrame({"ncid": ["AL1"], "kept_id": ["AL2"]})  # AL1 and AL2: one person
    >>> moved, report = carry_history_over(hist, aside)
    >>> moved[["ncid", "election_lbl", "moved_from"]].values.tolist()
    [['AL2', '11/03/2020', 'AL1'], ['AL2', '11/08/2016', nan], ['AL3', '11/03/2020', nan]]
    >>> report.reasons, report.flags
    ({'already voted under the kept registration': 1}, {'votes moved to the kept registration': 1})
    """
    require_columns(history, {"id": id, "election": election}, "carry_history_over")
    require_columns(set_aside, {"id": id, "kept_id": kept_id}, "carry_history_over")
    pairs = set_aside[[id, kept_id]].dropna()
    if pairs[id].duplicated().any():
        raise ValueError(f"carry_history_over: an ID appears twice in set_aside[{id!r}]; give each one kept ID")
    if pairs[id].isin(pairs[kept_id]).any():
        raise ValueError(f"carry_history_over: a set-aside ID is also someone's {kept_id!r}: resolve the chain first")
    new_id = pairs.set_index(id)[kept_id]
    n = len(history)
    target = history[id].map(new_id)
    moved = target.notna().to_numpy()
    out = history.copy()
    out[moved_from] = pd.array(np.where(moved, history[id].to_numpy(dtype=object), None), dtype="str")
    out[id] = target.where(moved, history[id]).astype(history[id].dtype)
    key = pd.DataFrame({"id": out[id].to_numpy(), "el": out[election].to_numpy(), "moved": moved,
                        "pos": np.arange(n)}).sort_values(["id", "el", "moved", "pos"], kind="stable")  # fmt: skip
    clash = key.duplicated(["id", "el"]).to_numpy() & key["moved"].to_numpy()
    drop = np.zeros(n, dtype=bool)
    drop[key["pos"].to_numpy()[clash]] = True
    aside = reasons_frame(out.iloc[np.flatnonzero(drop)], "already voted under the kept registration")
    result = out.iloc[np.flatnonzero(~drop)]
    flags = {"votes moved to the kept registration": int((moved & ~drop).sum())}
    report = StepReport("carry_history_over", n, len(result), aside, flags=flags)
    return result, report


def _column_names(desc: pd.Series, dates: pd.Series) -> pd.Series:
    """``general_2016`` from '11/08/2016 GENERAL'; date added when two share a name."""
    kind = desc.str.replace(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*", "", regex=True).str.strip().str.lower()
    kind = kind.str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_")
    kind = kind.where(kind.str.len() > 0, "election")
    name = kind + "_" + dates.dt.year.astype("str")
    clash = name.duplicated(keep=False)
    return name.where(~clash, kind + "_" + dates.dt.strftime("%Y_%m_%d"))


def pivot_history(
    history: pd.DataFrame,
    *,
    id: str = "ncid",
    election: str = "election_lbl",
    desc: str | None = "election_desc",
    date_format: str = "%m/%d/%Y",
    voters: Iterable[str] | pd.Series | None = None,
) -> tuple[pd.DataFrame, StepReport]:
    """One row per voter, one ``True``/``False`` column per election, oldest first.

    Columns are named like ``general_2016`` / ``primary_2020`` (``<type>_<yyyy_mm_dd>`` when
    a year has two of a type). Pass ``voters`` (the IDs of your voter file) to get a row for
    every voter: those with no vote row get ``False`` everywhere, which is what "no row"
    means in ncvhis. Votes by IDs not in ``voters`` are set aside with a reason, as are rows
    whose election date cannot be read. Run :func:`dedupe_history` first.

    >>> pivot_history(pd.DataFrame({"ncid": ["AL1"], "election_lbl": ["2016"]}), desc=None)
    Traceback (most recent call last):
    ...
    ValueError: pivot_history: no election date in 'election_lbl' could be read with format '%m/%d/%Y' (first value: '2016')
    """
    require_columns(history, {"id": id, "election": election, "desc": desc}, "pivot_history")
    n = len(history)
    codes, uniq = pd.factorize(history[election].astype("str"), use_na_sentinel=True)
    u_dates = pd.to_datetime(pd.Series(uniq, dtype="str"), format=date_format, errors="coerce")
    if n and u_dates.notna().sum() == 0:
        raise ValueError(
            f"pivot_history: no election date in {election!r} could be read with format {date_format!r} "
            f"(first value: {history[election].iloc[0]!r})"
        )
    if desc is not None:
        first_desc = history.groupby(codes)[desc].first() if n else pd.Series(dtype="str")
        u_desc = first_desc.reindex(range(len(uniq))).astype("str").fillna("")
    else:
        u_desc = pd.Series("election", index=range(len(uniq)), dtype="str")
    u_desc.index = range(len(uniq))
    good_u = u_dates.notna().to_numpy()
    order = np.argsort(u_dates.to_numpy(), kind="stable")
    order = order[good_u[order]]
    names = _column_names(u_desc.iloc[order].reset_index(drop=True), u_dates.iloc[order].reset_index(drop=True))
    col_of_u = np.full(len(uniq), -1)
    col_of_u[order] = np.arange(len(order))
    col = np.where(codes >= 0, col_of_u[np.maximum(codes, 0)], -1)
    ids = history[id].astype("str")
    reason = np.full(n, None, dtype=object)
    reason[col < 0] = "unreadable election date"
    reason[ids.isna().to_numpy()] = "missing voter ID"
    if voters is not None:
        vid = pd.Index(pd.Series(list(voters) if not isinstance(voters, pd.Series) else voters, dtype="str"))
        if vid.has_duplicates:
            raise ValueError("pivot_history: voters= has repeated IDs")
        row_codes = vid.get_indexer(ids)
        reason[(row_codes < 0) & pd.isna(reason)] = "voter not in voters="
    else:
        vid = pd.Index(pd.unique(ids.dropna()), dtype="str").sort_values()
        row_codes = vid.get_indexer(ids)
    ok = pd.isna(reason)
    mat = np.zeros((len(vid), len(names)), dtype=bool)
    mat[row_codes[ok], col[ok]] = True
    wide = pd.DataFrame(mat, index=vid.rename(id), columns=list(names))
    aside = reasons_frame(history.iloc[np.flatnonzero(~ok)], pd.Series(reason[~ok], dtype="str"))
    flags = {"voters with no vote in the history": int((~mat.any(axis=1)).sum())} if voters is not None else {}
    report = StepReport("pivot_history", n, int(ok.sum()), aside, flags=flags, rows_out=len(wide))
    return wide, report


def _require_votes(s: pd.Series, column) -> None:
    """Raise unless ``s`` holds True/False (or 0/1): text marks and blanks are not votes yet."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return
    if pd.api.types.is_integer_dtype(s.dtype) and s.dropna().isin([0, 1]).all():
        return
    values = [repr(v) for v in pd.unique(s.dropna())[:3]]
    what = f"text (values such as {', '.join(values)})" if values else f"{s.dtype} with no value"
    raise TypeError(
        f"voted_k_of_n: column {column!r} holds {what}, not True/False: counted as votes, every blank and every "
        f"mark would count as a vote. Use the True/False columns of pivot_history; {_HOW_TO_WIDE}."
    )


def voted_k_of_n(
    wide: pd.DataFrame,
    *,
    k: int = 3,
    n: int = 4,
    kind: str = "general",
    elections: list[str] | None = None,
    out: str | None = None,
) -> tuple[pd.DataFrame, StepReport]:
    """Did each voter vote in at least ``k`` of the last ``n`` elections of a type?

    Args:
        wide: output of :func:`pivot_history` (not modified).
        k, n: at least ``k`` of the last ``n``.
        kind: election type prefix of the columns (``general``, ``primary``, ``municipal``).
        elections: explicit columns to use instead (then ``n`` is their number).
        out: output column (default ``f"voted_{k}_of_{n}_{kind}"``); ``f"{out}_votes"`` holds
            the count. Voters registered after some of those elections could not vote in
            them: filter on registration date if that matters to your universe.

    >>> voted_k_of_n(pd.DataFrame({"general_2024": [True]}), k=3, n=4)
    Traceback (most recent call last):
    ...
    ValueError: voted_k_of_n: only 1 'general' election column(s) found (general_2024); need n=4
    >>> voted_k_of_n(pd.DataFrame({"GENERAL-11/08/2022": ["X", None]}), k=1, n=1,
    ...              elections=["GENERAL-11/08/2022"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: voted_k_of_n: column 'GENERAL-11/08/2022' holds text (values such as 'X'), not True/False: ...
    """
    if not isinstance(wide, pd.DataFrame):
        raise TypeError(f"voted_k_of_n: expected the DataFrame from pivot_history, got {type(wide).__name__}")
    if elections is None:
        pat = re.compile(rf"^{re.escape(kind)}_(\d{{4}})(?:_(\d{{2}})_(\d{{2}}))?$")
        found = [(m.groups(), c) for c in wide.columns if (m := pat.match(str(c)))]
        found.sort(key=lambda t: tuple(x or "" for x in t[0]))
        cols = [c for _, c in found]
        if len(cols) < n:
            hint = f"; the columns {wide_history_columns(wide.columns)[:3]} are a wide history: {_HOW_TO_WIDE}" \
                if wide_history_columns(wide.columns) else ""  # fmt: skip
            raise ValueError(f"voted_k_of_n: only {len(cols)} {kind!r} election column(s) found ({', '.join(cols)}); need n={n}{hint}")
        cols = cols[-n:]
    else:
        require_columns(wide, {f"elections[{i}]": c for i, c in enumerate(elections)}, "voted_k_of_n")
        cols, n = list(elections), len(elections)
    if not 0 < k <= n:
        raise ValueError(f"voted_k_of_n: need 0 < k <= n, got k={k}, n={n}")
    for c in cols:
        _require_votes(wide[c], c)
    out = out or f"voted_{k}_of_{n}_{kind}"
    votes = wide[cols].fillna(False).astype(bool).sum(axis=1)
    result = wide.copy(deep=False)  # copy-on-write: the input is never modified
    result[f"{out}_votes"] = votes
    result[out] = votes >= k
    flags = {f"voted {k}+ of {', '.join(cols)}": int((votes >= k).sum())}
    report = StepReport("voted_k_of_n", len(wide), len(wide), empty_aside(wide), {}, flags)
    return result, report
