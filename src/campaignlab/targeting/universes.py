"""From scores to universes: support IDs from the field, GOTV and persuasion tiers, doors and votes.

A campaign's field IDs say who supports the measure: each canvass, call or text that reaches a
voter can end with a survey response ("1 - Strong Yes" .. "5 - Strong No" in VAN). The latest ID
per voter is the campaign's support score. Combined with a turnout score it sorts the electorate
into **universes**: supporters who may not vote (GOTV: a reminder can move them), undecided voters
who will vote anyway (persuasion), and the rest. Removed and denied registrations cannot vote and
are set aside with a reason; inactive voters are still registered: they stay in, flagged.

Sizing a universe against capacity follows Green & Gerber (*Get Out the Vote*, 2004 ed., in
DOMAIN.md): canvassers make about 12 door attempts an hour; about 25% of door attempts reach
someone (typically 10-50%); and door-to-door canvassing gains about 1 vote per 14 **contacts**
(people reached, not doors knocked). A 3-hour shift is an unsourced convention.

>>> import pandas as pd
>>> contacts = pd.DataFrame({
...     "StateFileID": ["AL1", "AL1", "AL2", "AL3"],
...     "Date Canvassed": ["07/12/2026", "09/20/2026", "08/01/2026", "08/02/2026"],
...     "Time Canvassed": ["10:05", "13:40", "11:00", "11:30"],
...     "Result": ["Canvassed", "Canvassed", "Not Home", "Canvassed"],
...     "Survey Question Name": ["Measure A Support", "Measure A Support", None, "Measure A Support"],
...     "Survey Response": ["3 - Undecided", "2 - Lean Yes", None, "1 - Strong Yes"]})
>>> ids, report = support_ids(contacts)
>>> ids["support_id"].to_dict()
{'AL1': 2, 'AL3': 1}
>>> votes_gained(3600, contact_rate=0.25)   # 3,600 doors -> 900 contacts -> 900 / 14 votes
64.3
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, reasons_frame, require_columns

__all__ = [
    "CONTACT_RATE_RANGE",
    "DOOR_ATTEMPTS_PER_HOUR",
    "DOOR_CONTACT_RATE",
    "DOOR_CONTACTS_PER_VOTE",
    "DOORS_PER_SHIFT",
    "SHIFT_HOURS",
    "SUPPORT_LABELS",
    "canvass_plan",
    "cut_turf",
    "support_ids",
    "tier_universes",
    "votes_gained",
]

#: Green & Gerber: canvassers make ~12 contacts (read as door attempts) an hour.
DOOR_ATTEMPTS_PER_HOUR = 12
#: A volunteer canvass shift, in hours (unsourced convention: 3-hour weekend shifts).
SHIFT_HOURS = 3
#: Door attempts in one volunteer shift.
DOORS_PER_SHIFT = DOOR_ATTEMPTS_PER_HOUR * SHIFT_HOURS
#: Green & Gerber: about 25% of door attempts reach someone ...
DOOR_CONTACT_RATE = 0.25
#: ... typically between 10% and 50%.
CONTACT_RATE_RANGE = (0.10, 0.50)
#: Green & Gerber (2004 ed.): door-to-door canvassing gains 1 vote per 14 contacts.
DOOR_CONTACTS_PER_VOTE = 14
#: VAN's five-point support question: the leading number is the ID.
SUPPORT_LABELS = {1: "Strong Yes", 2: "Lean Yes", 3: "Undecided", 4: "Lean No", 5: "Strong No"}


def support_ids(
    contacts: pd.DataFrame,
    *,
    as_of=None,
    question: str | None = "Measure A Support",
    id: str = "StateFileID",
    date: str = "Date Canvassed",
    time: str | None = "Time Canvassed",
    question_column: str | None = "Survey Question Name",
    response: str = "Survey Response",
    date_format: str = "%m/%d/%Y",
) -> tuple[pd.DataFrame, StepReport]:
    """Each voter's latest support ID (1 Strong Yes .. 5 Strong No) from a VAN contact history.

    The most recent answer wins (a voter who was undecided in July and leans yes in September is a
    lean yes), as VAN's "most recent response" does. Attempts without an answer (Not Home, Moved,
    a text nobody answered), answers to another question, answers after ``as_of`` and answers
    without a leading number 1-5 are set aside with a reason.

    Args:
        contacts: one row per attempt (VAN contact history; not modified).
        as_of: keep answers given on or before this date (``None``: all).
        question: the survey question to read (``None``: every question, e.g. a file of one).
        id: the voter's ID column. VAN's contact history carries the state file ID
            (``StateFileID``, the NC ``ncid``) beside ``Voter File VANID``: use it to join the
            voter file; a ``Voter File VANID`` works as well against a VAN export.
        date, time: when the attempt was made (``time`` ``None`` if your export has none).

    Returns:
        ``(ids, report)``: one row per voter, indexed by ``id``, columns ``support_id``
        (1-5), ``support_label`` and ``id_date`` (the date of that answer).

    >>> ids, report = support_ids(pd.DataFrame({"StateFileID": ["AL1"], "Date Canvassed": ["10/20/2026"],
    ...     "Survey Response": ["4 - Lean No"]}), as_of="2026-10-11", time=None, question_column=None)
    >>> len(ids), report.reasons
    (0, {'answer after 10/11/2026': 1})
    """
    require_columns(contacts, {"id": id, "date": date, "time": time, "question_column": question_column,
                               "response": response}, "support_ids")  # fmt: skip
    day = pd.to_datetime(contacts[date].astype("str"), format=date_format, errors="coerce")
    when = day
    if time is not None:
        clock = pd.to_timedelta(contacts[time].astype("str").str.strip() + ":00", errors="coerce")
        when = day + clock.fillna(pd.Timedelta(0))
    text = contacts[response].astype("str").str.strip()
    lead = pd.to_numeric(text.str.extract(r"^([1-5])\b", expand=False), errors="coerce")
    reason = pd.Series(None, index=contacts.index, dtype="object")
    reason[lead.isna()] = "survey response not 1-5"
    reason[text.isna() | (text == "")] = "no survey response (not reached, or not asked)"
    if question is not None and question_column is not None:
        other = contacts[question_column].astype("str").str.strip().ne(question) & text.notna() & (text != "")
        reason[other.to_numpy()] = f"another survey question (not {question!r})"
    reason[day.isna().to_numpy() & reason.isna().to_numpy()] = "date unreadable"
    if as_of is not None:
        cut = pd.Timestamp(as_of).normalize()
        reason[(day > cut).to_numpy() & reason.isna().to_numpy()] = f"answer after {cut:%m/%d/%Y}"
    voter = contacts[id].astype("str").str.strip()
    reason[(voter.isna() | (voter == "")).to_numpy() & reason.isna().to_numpy()] = "no voter ID"
    use = reason.isna().to_numpy()
    answers = pd.DataFrame({id: voter.to_numpy()[use], "support_id": lead.to_numpy()[use],
                            "when": when.to_numpy()[use], "id_date": day.to_numpy()[use],
                            "pos": np.arange(int(use.sum()))})  # fmt: skip
    latest = answers.sort_values(["when", "pos"], kind="stable").drop_duplicates(id, keep="last")
    ids = latest.set_index(id).sort_index()[["support_id", "id_date"]]
    ids["support_id"] = ids["support_id"].astype("int64")
    ids.insert(1, "support_label", pd.array(ids["support_id"].map(SUPPORT_LABELS), dtype="str"))
    aside = reasons_frame(contacts.iloc[np.flatnonzero(~use)], pd.Series(reason.to_numpy()[~use], dtype="str"))
    report = StepReport("support_ids", len(contacts), int(use.sum()), aside, rows_out=len(ids),
                        changes={"earlier answers replaced by a voter's latest": int(use.sum()) - len(ids)},
                        notes=[f"{len(ids):,} voters with a support ID"])  # fmt: skip
    return ids, report


def tier_universes(
    voters: pd.DataFrame,
    *,
    turnout: str = "turnout_score",
    support: str = "support_id",
    status: str | None = "status_cd",
    supporters: Iterable[int] = (1, 2),
    persuadable: Iterable[int] = (3,),
    gotv_turnout: tuple[float, float] = (0.25, 0.70),
    persuasion_turnout: float = 0.70,
) -> tuple[pd.DataFrame, StepReport]:
    """Put every voter who can vote in one tier: ``gotv``, ``persuasion``, ``no ID`` or ``not targeted``.

    - ``gotv``: a supporter (``support`` in ``supporters``) whose turnout score is at least
      ``gotv_turnout[0]`` and below ``gotv_turnout[1]``. Supporters above it vote anyway (a
      reminder gains little); below it, a single knock rarely moves them.
    - ``persuasion``: a persuadable voter (``support`` in ``persuadable``, default undecided) whose
      turnout score is at least ``persuasion_turnout``: they will vote, so their minds matter.
    - ``no ID``: the field has not identified them yet (the next ID canvass).

    Turnout scores are probabilities (0-1). Removed (``R``) and denied (``D``) registrations are set
    aside (they cannot vote); inactive (``I``) voters stay in with ``inactive`` ``True``.

    Returns:
        ``(tiers, report)``: the rows that can vote with columns ``universe`` and ``inactive``.

    >>> v = pd.DataFrame({"ncid": ["AL1", "AL2", "AL3", "AL4", "AL5", "AL6"],
    ...                   "status_cd": ["A", "A", "I", "A", "R", "A"],
    ...                   "turnout_score": [0.5, 0.9, 0.4, 0.8, 0.5, 0.3],
    ...                   "support_id": [1, 2, None, 3, 1, 5]})
    >>> tiers, report = tier_universes(v)
    >>> tiers[["ncid", "universe", "inactive"]].values.tolist()
    [['AL1', 'gotv', False], ['AL2', 'not targeted', False], ['AL3', 'no ID', True], ['AL4', 'persuasion', False], ['AL6', 'not targeted', False]]
    >>> report.reasons, report.flags["inactive (still registered: kept, flagged)"]
    ({'removed (cannot vote)': 1}, 1)
    """
    require_columns(voters, {"turnout": turnout, "support": support, "status": status}, "tier_universes")
    low, high = gotv_turnout
    if not 0 <= low < high <= 1 or not 0 <= persuasion_turnout <= 1:
        raise ValueError("tier_universes: turnout cut-offs are probabilities between 0 and 1, "
                         f"with gotv_turnout low < high (got {gotv_turnout}, {persuasion_turnout})")  # fmt: skip
    score = pd.to_numeric(voters[turnout], errors="coerce")
    if score.max() > 1:
        raise ValueError(f"tier_universes: {turnout!r} has values above 1: pass probabilities (a 0-100 vendor "
                         "score divided by 100)")  # fmt: skip
    sid = pd.to_numeric(voters[support], errors="coerce")
    code = voters[status].astype("str").str.strip().str.upper() if status else pd.Series("", index=voters.index)
    reason = np.full(len(voters), None, dtype=object)
    reason[(code == "R").to_numpy()] = "removed (cannot vote)"
    reason[(code == "D").to_numpy()] = "denied (never registered)"
    keep = pd.isna(reason)
    is_sup = sid.isin(list(supporters)).to_numpy()
    is_pers = sid.isin(list(persuadable)).to_numpy()
    s = score.to_numpy(dtype=float)
    tier = np.select([sid.isna().to_numpy(), is_sup & (s >= low) & (s < high), is_pers & (s >= persuasion_turnout)],
                     ["no ID", "gotv", "persuasion"], "not targeted")  # fmt: skip
    tiers = voters.iloc[np.flatnonzero(keep)].copy()
    tiers["universe"] = pd.array(tier[keep], dtype="str")
    tiers["inactive"] = (code.to_numpy() == "I")[keep]
    aside = reasons_frame(voters.iloc[np.flatnonzero(~keep)], pd.Series(reason[~keep], dtype="str"))
    counts = tiers["universe"].value_counts()
    flags = {"inactive (still registered: kept, flagged)": int(tiers["inactive"].sum()),
             "no turnout score (in neither GOTV nor persuasion)": int(score[keep].isna().sum())}  # fmt: skip
    notes = [f"{name}: {int(counts.get(name, 0)):,} voters" for name in ("gotv", "persuasion", "no ID", "not targeted")]
    report = StepReport("tier_universes", len(voters), len(tiers), aside, flags=flags, notes=notes)
    return tiers, report


def votes_gained(
    attempts,
    universe_size=None,
    *,
    contact_rate=DOOR_CONTACT_RATE,
    contacts_per_vote: float = DOOR_CONTACTS_PER_VOTE,
    round_to: int | None = 1,
):
    """Votes a door program gains: ``contacts / contacts_per_vote``, contacts from attempts.

    Votes come from **contacts** (people reached), not doors knocked: ``attempts x contact_rate``
    people are reached on one pass. With ``universe_size``, attempts beyond one pass go back to the
    voters not reached yet (pass after pass), so no voter is reached twice and contacts never
    exceed the universe. Any argument may be an array (e.g. a low/high range of contact rates).

    >>> votes_gained(3600, contact_rate=[0.10, 0.25, 0.50]).tolist()   # G&G: 1 vote per 14 contacts
    [25.7, 64.3, 128.6]
    >>> votes_gained(3000, universe_size=1000, contact_rate=0.25)    # 3 passes: 1000 x (1 - 0.75**3) / 14
    41.3
    """
    rate = np.asarray(contact_rate, dtype=float)
    doors = np.asarray(attempts, dtype=float)
    if np.any(rate < 0) or np.any(rate > 1) or np.any(doors < 0):
        raise ValueError("votes_gained: attempts must be >= 0 and contact_rate between 0 and 1")
    if universe_size is None:
        contacts = doors * rate
    else:
        n = np.asarray(universe_size, dtype=float)
        passes = np.where(n > 0, doors / np.where(n > 0, n, 1), 0.0)
        full = np.floor(passes)
        reached_full = n * (1 - (1 - rate) ** full)
        contacts = reached_full + (passes - full) * n * (1 - rate) ** full * rate
    votes = contacts / contacts_per_vote
    if round_to is not None:
        votes = np.round(votes, round_to)
    return float(votes) if np.ndim(votes) == 0 else votes


def canvass_plan(
    universes: Mapping[str, int],
    shifts: int,
    *,
    doors_per_shift: int = DOORS_PER_SHIFT,
    contact_rates: Mapping[str, float] | None = None,
    contacts_per_vote: float = DOOR_CONTACTS_PER_VOTE,
) -> pd.DataFrame:
    """Doors, contacts and votes gained if all ``shifts`` go to one universe, for each universe.

    ``universes`` maps a name to its size (voters). Door attempts are ``shifts x doors_per_shift``;
    the range comes from ``contact_rates`` (default: Green & Gerber's low 10%, typical 25%, high
    50%). Votes count only where a contact can gain one: use it for GOTV universes (persuasion
    effects in general elections average about zero, Kalla & Broockman).

    >>> plan = canvass_plan({"gotv": 5000, "small": 1000}, shifts=100)
    >>> plan.loc["gotv"].to_dict()
    {'voters': 5000.0, 'attempts': 3600.0, 'passes': 0.72, 'contacts_typical': 900.0, 'votes_low': 25.7, 'votes_typical': 64.3, 'votes_high': 128.6}
    >>> plan.loc["small", ["passes", "contacts_typical"]].tolist()   # 3.6 passes reach 64% of 1,000
    [3.6, 641.4]
    """
    rates = dict(contact_rates or {"low": CONTACT_RATE_RANGE[0], "typical": DOOR_CONTACT_RATE,
                                   "high": CONTACT_RATE_RANGE[1]})  # fmt: skip
    attempts = int(shifts) * int(doors_per_shift)
    rows = {}
    for name, size in universes.items():
        size = int(size)
        used = min(attempts, size * 20)  # past 20 passes a universe is exhausted: stop counting doors
        row = {"voters": size, "attempts": used, "passes": round(used / size, 2) if size else 0.0}
        typical = rates.get("typical", DOOR_CONTACT_RATE)
        row["contacts_typical"] = round(votes_gained(used, size, contact_rate=typical, contacts_per_vote=1,
                                                     round_to=None), 1)  # fmt: skip
        for label, rate in rates.items():
            row[f"votes_{label}"] = votes_gained(used, size, contact_rate=rate, contacts_per_vote=contacts_per_vote)
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def cut_turf(walked: pd.DataFrame, doors_per_packet: int = DOORS_PER_SHIFT, *, precinct: str = "precinct_abbrv",
             stop: str = "walk_stop") -> pd.DataFrame:  # fmt: skip
    """Number the walk packets of each precinct: ``doors_per_packet`` doors (``walk_stop``) each.

    Takes the output of :func:`campaignlab.voterfile.walk_order` (rows already in walk order;
    voters behind one door share a stop, so they share a packet). Rows ``walk_order`` could not
    place on a street (no stop) get no packet: they are for the field director to look up.

    >>> w = pd.DataFrame({"precinct_abbrv": ["01", "01", "01", "01", "02"],
    ...                   "walk_stop": pd.array([1, 1, 2, 3, 1], dtype="Int64")})
    >>> cut_turf(w, doors_per_packet=2)["packet"].tolist()
    [1, 1, 1, 2, 1]
    """
    require_columns(walked, {"precinct": precinct, "stop": stop}, "cut_turf")
    if int(doors_per_packet) < 1:
        raise ValueError("cut_turf: doors_per_packet must be at least 1")
    out = walked.copy()
    stops = pd.array(walked[stop], dtype="Int64")
    out["packet"] = (stops - 1) // int(doors_per_packet) + 1
    return out
