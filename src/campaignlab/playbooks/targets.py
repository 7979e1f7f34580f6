"""The pieces of the turnout-targets playbook that are not already toolkit steps.

``campaignlab.targeting`` does the work (``turnout_features``, ``fit_turnout_model``,
``score_quality``, ``calibration_table``, ``support_ids``, ``tier_universes``, ``cut_turf``) and
``campaignlab.voterfile.walk_order`` puts doors in walk order. This module maps any layout onto
the columns those steps take, picks the elections to learn from (honest in time: the model for a
coming election is fitted on the last comparable one, and judged first by a back-test one cycle
earlier), writes each voter's universe with the reason, and builds walk lists that carry names,
addresses and the canvasser's fields only.

>>> import pandas as pd
>>> v = pd.DataFrame({"ncid": ["AL1"], "registr_dt": ["03/14/2012"], "birth_year": ["1970"], "status_cd": ["A"],
...                   "party_cd": ["DEM"], "gender_code": ["F"], "precinct_abbrv": ["01"], "first_name": ["ANN"],
...                   "last_name": ["LEE"], "res_street_address": ["1 OAK ST"], "race_code": ["W"]})
>>> v.attrs["layout"] = "ncvoter"
>>> roles = target_roles(v)
>>> roles["precinct"], roles["race"]
('precinct_abbrv', ['race_code'])
>>> work = standard_voters(v, roles)
>>> work[["voter_id", "registration_date", "birth_year", "status", "party"]].values.tolist()
[['AL1', Timestamp('2012-03-14 00:00:00'), 1970.0, 'A', 'DEM']]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from campaignlab import targeting as tg
from campaignlab import voterfile as vf
from campaignlab.playbooks import PlaybookError
from campaignlab.voterfile.dates import birth_years
from campaignlab.voterfile.layouts import LAYOUTS, suggest_column_map
from campaignlab.voterfile.report import StepReport

__all__ = ["TARGET_ROLES", "REQUIRED", "target_roles", "standard_voters", "standard_history",
           "comparable_elections", "residents_only", "model_report", "turnout_universes", "universe_reasons", "walk_lists",
           "registration_chase", "set_aside_rows", "turf_file_name"]  # fmt: skip

#: The roles the playbook reads from a voter file (the toolkit's voter-file roles, and three more).
TARGET_ROLES = ("id", "first", "middle", "last", "suffix", "address", "city", "zip", "registration_date",
                "birth_year", "age", "status", "party", "gender", "precinct", "municipality", "confidential",
                "race")  # fmt: skip
#: Roles the model and the walk lists cannot do without.
REQUIRED = ("id", "registration_date", "birth_year", "precinct", "address")
#: Per layout, the roles its cleaning layout does not name (party, precinct, confidentiality, race).
_EXTRA = {
    "ncvoter": {"party": "party_cd", "gender": "gender_code", "precinct": "precinct_abbrv",
                "municipality": "municipality_abbrv", "confidential": "confidential_ind",
                "race": ["race_code", "ethnic_code"]},
    "ohio": {"party": "PARTY_AFFILIATION", "precinct": "PRECINCT_CODE", "race": []},
    "van": {"party": "Party", "precinct": "PrecinctName", "age": "Age", "race": []},
}  # fmt: skip
_EXTRA["ncvoter_2021"] = _EXTRA["ncvoter"]
#: Status words -> the NC codes ``eligible_at`` reads (R removed and D denied cannot vote, I inactive can).
STATUS_CODES = {"ACTIVE": "A", "INACTIVE": "I", "CONFIRMATION": "I", "TEMPORARY": "S", "REMOVED": "R",
                "CANCELED": "R", "CANCELLED": "R", "PURGED": "R", "DENIED": "D"}  # fmt: skip
#: Blank columns a canvasser fills in at the door.
CANVASSER_FIELDS = ("result", "support_response", "notes")


def _source(frame: pd.DataFrame, default: str = "the voter file") -> str:
    return str(frame.attrs.get("source", default))


def target_roles(voters: pd.DataFrame, layout: str = "auto", columns: Mapping[str, object] | None = None) -> dict:
    """Role -> column of the voter file (``race``: a list of columns), from its layout and your map.

    The clean file of the clean-voter-file playbook is recognised by its ``birth_year_clean``
    and ``registration_date`` columns (already clean: a year, an ISO date). Every required role
    (:data:`REQUIRED`) must name a column of the file; the others may be ``None``. Missing ones
    are all named at once, with a column map guessed from the header.

    >>> v = pd.DataFrame(columns=["VOTER_ID", "REG", "YOB", "PCT", "STREET"]); v.attrs["layout"] = "delimited"
    >>> target_roles(v)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: the voter file: the toolkit does not know this layout: map its columns with columns={"id": ..., ...
    >>> target_roles(v, columns={"id": "VOTER_ID", "registration_date": "REG", "birth_year": "YOB",
    ...                          "precinct": "PCT", "address": "STREET", "party": "AFFIL"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: the voter file: no column party='AFFIL'. Its columns: ['VOTER_ID', 'REG', 'YOB', 'PCT', 'STREET']; fix columns (null for a column the file lacks)
    """
    source = _source(voters)
    name = layout if layout not in (None, "", "auto") else voters.attrs.get("layout", "delimited")
    if name not in LAYOUTS:
        raise PlaybookError(f"unknown layout {name!r}; use 'auto' or one of {sorted(LAYOUTS)}")
    lay = LAYOUTS[name]
    if lay.kind in ("vote history", "list"):
        raise PlaybookError(f"{source} is {lay.title}, not a voter file: give the voter file as voter_file"
                            + (", and this file as history_file" if lay.kind == "vote history" else
                               ", and a list of unregistered supporters as unregistered_file"))  # fmt: skip
    unknown = set(columns or {}) - set(TARGET_ROLES)
    if unknown:
        raise PlaybookError(f"columns: unknown roles {sorted(unknown)}; the roles are {', '.join(TARGET_ROLES)}")
    roles: dict = dict.fromkeys(TARGET_ROLES)
    roles["race"] = []
    if lay.kind == "voter file":
        roles.update({r: c for r, c in lay.roles.items() if r in TARGET_ROLES})
        roles.update(_EXTRA.get(lay.name, {}))
    if "birth_year_clean" in voters.columns:  # the clean file of clean-voter-file
        roles["birth_year"] = "birth_year_clean"
    if "registration_date" in voters.columns and "registration_date_issue" in voters.columns:
        roles["registration_date"] = "registration_date"
    roles.update(dict(columns or {}))
    if isinstance(roles["race"], str):
        roles["race"] = [roles["race"]]
    roles["race"] = [c for c in (roles["race"] or []) if c in voters.columns]
    if lay.kind == "unknown" and not columns:
        hint = suggest_column_map(list(REQUIRED), list(voters.columns))
        raise PlaybookError(f'{source}: the toolkit does not know this layout: map its columns with columns={{"id": ..., '
                            '"registration_date": ..., "birth_year": ..., "precinct": ..., "address": ...}} and any '
                            f"of {', '.join(r for r in TARGET_ROLES if r not in REQUIRED)}; from its header, "
                            f"perhaps {hint}")  # fmt: skip
    absent = [f"{r}={c!r}" for r, c in roles.items() if r != "race" and c is not None and c not in voters.columns
              and (columns or {}).get(r) is not None]  # fmt: skip
    if absent:
        raise PlaybookError(f"{source}: no column {', '.join(absent)}. Its columns: {list(voters.columns)}; "
                            "fix columns (null for a column the file lacks)")  # fmt: skip
    roles = {r: (c if r == "race" or c in voters.columns else None) for r, c in roles.items()}
    need = [r for r in REQUIRED if not roles.get(r) and not (r == "birth_year" and roles.get("age"))]
    if need:
        wanted = [c for r in need for c in [lay.roles.get(r) or _EXTRA.get(lay.name, {}).get(r) or r]]
        hint = suggest_column_map(wanted, list(voters.columns))
        raise PlaybookError(f"{source}: no {', '.join(repr(r) for r in need)} column ({lay.title}): the model needs "
                            "each voter's registration date, birth year and precinct, and the walk lists an address. "
                            f"Map them with columns={{{', '.join(f'{r!r}: <your column>' for r in need)}}}; from its "
                            f"header, perhaps {hint}")  # fmt: skip
    return roles


def _status_codes(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.upper()
    return text.map(lambda s: STATUS_CODES.get(s, s) if isinstance(s, str) else s).astype("str")


def standard_voters(voters: pd.DataFrame, roles: Mapping[str, object], *, date_format: str | None = None) -> pd.DataFrame:
    """The columns the targeting steps take, under fixed names (a new frame; ``voters`` is not modified).

    ``voter_id``, ``registration_date`` (a date; placeholders such as 01/01/1900 and unreadable
    dates are missing), ``birth_year`` (a number, from a year or a full birth date; without one,
    from an ``age`` at the file's date, which may be one year late), ``status``
    (NC codes: Ohio's ``CONFIRMATION`` is ``I``, ``REMOVED`` is ``R``), ``party``, ``gender``,
    ``precinct`` (``UNKNOWN`` where the file has no such column), and ``municipality`` (blank
    outside every municipality; only when the file has one). The index is the file's.

    >>> v = pd.DataFrame({"SOS_VOTERID": ["OH1"], "REGISTRATION_DATE": ["1900-01-01"], "DATE_OF_BIRTH": ["1980-05-02"],
    ...                   "VOTER_STATUS": ["CONFIRMATION"], "PRECINCT_CODE": ["25A"], "RESIDENTIAL_ADDRESS1": ["1 HIGH ST"]})
    >>> v.attrs["layout"] = "ohio"
    >>> w = standard_voters(v, target_roles(v))
    >>> w["registration_date"].isna().all(), w.drop(columns="registration_date").astype("str").iloc[0].tolist()
    (np.True_, ['OH1', '1980.0', 'I', 'UNKNOWN', 'UNKNOWN', '25A'])
    """
    work = pd.DataFrame(index=voters.index)
    work["voter_id"] = voters[roles["id"]].astype("str").str.strip()
    reg_col = roles["registration_date"]
    if reg_col == "registration_date" and "registration_date_issue" in voters.columns:
        work["registration_date"] = pd.to_datetime(voters[reg_col], errors="coerce", format="ISO8601")
    else:
        lay = LAYOUTS.get(voters.attrs.get("layout", ""), None)
        fmt = date_format or (lay.date_format if lay is not None and lay.kind == "voter file" else "%m/%d/%Y")
        parsed, _ = vf.parse_registration_dates(voters[[reg_col]].astype("str"), column=reg_col, format=fmt,
                                                birth_year=None)  # fmt: skip
        work["registration_date"] = parsed["registration_date"].to_numpy()
    if roles.get("birth_year"):
        years, _ = birth_years(voters[roles["birth_year"]])
    else:  # an age at the file's date (VAN's "Age"): the birth year, or the year after it (birthday not yet past)
        day = pd.Timestamp(voters.attrs.get("file_date") or pd.Timestamp.today())
        years = day.year - pd.to_numeric(voters[roles["age"]].astype("str").str.strip(), errors="coerce")
    work["birth_year"] = pd.to_numeric(years, errors="coerce").astype("float64").to_numpy()
    work["status"] = _status_codes(voters[roles["status"]]) if roles.get("status") else "A"
    for role in ("party", "gender", "precinct"):
        col = roles.get(role)
        work[role] = voters[col].astype("str").str.strip().fillna("UNKNOWN") if col else "UNKNOWN"
    if roles.get("municipality"):
        town = voters[roles["municipality"]].astype("str").str.strip()
        work["municipality"] = town.where(town != "")
    return work


def residents_only(work: pd.DataFrame, election_kind: str, source: str = "the voter file") -> str | None:
    """The column that limits a municipal election to the municipality's residents (``None``
    for other elections): a municipal rate's denominator is the residents, not the county.

    >>> residents_only(pd.DataFrame({"municipality": ["CH", None]}), "municipal")
    'municipality'
    >>> residents_only(pd.DataFrame({"precinct": ["P1"]}), "GENERAL") is None
    True
    >>> residents_only(pd.DataFrame({"precinct": ["P1"]}), "MUNICIPAL")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: the voter file has no municipality column: a municipal election ...
    """
    if election_kind.strip().upper() != "MUNICIPAL":
        return None
    if "municipality" not in work.columns:
        raise PlaybookError(f"{source} has no municipality column: a municipal election is for the "
                            "municipality's residents only, so the playbook must know each voter's. Map it "
                            'with columns={"municipality": <your column>} (blank for voters outside every '
                            "municipality)")  # fmt: skip
    return "municipality"


def standard_history(history: pd.DataFrame, *, id: str, election: str = "election_lbl",
                     desc: str = "election_desc") -> pd.DataFrame:  # fmt: skip
    """The long history as ``voter_id``, ``election_lbl`` (MM/DD/YYYY), ``election_desc``: a new frame.

    >>> h = pd.DataFrame({"ncid": [" AL1"], "election_lbl": ["11/08/2022"], "election_desc": ["11/08/2022 GENERAL"]})
    >>> standard_history(h, id="ncid").values.tolist()
    [['AL1', '11/08/2022', '11/08/2022 GENERAL']]
    """
    return pd.DataFrame({"voter_id": history[id].astype("str").str.strip().to_numpy(),
                         "election_lbl": history[election].astype("str").str.strip().to_numpy(),
                         "election_desc": history[desc].astype("str").to_numpy()})  # fmt: skip


def _cycle_match(cal: pd.DataFrame, day: pd.Timestamp, kind: str) -> pd.DataFrame:
    same = cal[(cal["kind"] == kind) & (cal["date"] < day)]
    if kind == "GENERAL":  # a midterm is compared with midterms, a presidential year with presidential years
        cycle = same[same["date"].dt.year % 4 == day.year % 4]
        if len(cycle):
            return cycle
    return same


def comparable_elections(calendar: pd.DataFrame, election, *, kind: str = "GENERAL",
                         backtest=None) -> tuple[pd.Timestamp, pd.Timestamp | None, str]:  # fmt: skip
    """``(fit_on, backtest_from, why)``: the last comparable election before ``election``, and the one before it.

    The model for ``election`` is fitted on ``fit_on`` (its features as of that day, its outcome)
    and scores ``election`` with features as of ``election``. Before that, the same recipe is
    judged one cycle back: fitted on ``backtest_from``, it scores ``fit_on``, whose outcome is
    known. Comparable: the same kind, and for a general the same cycle (a midterm with midterms)
    when the history has one. ``backtest`` names ``fit_on`` yourself. ``backtest_from`` is
    ``None`` when the history holds no earlier comparable election.

    >>> cal = pd.DataFrame({"election_lbl": ["11/06/2018", "11/03/2020", "11/08/2022", "11/05/2024"],
    ...                     "date": pd.to_datetime(["2018-11-06", "2020-11-03", "2022-11-08", "2024-11-05"]),
    ...                     "kind": ["GENERAL"] * 4})
    >>> fit_on, back, why = comparable_elections(cal, "2026-11-03")
    >>> f"{fit_on:%Y}", f"{back:%Y}"
    ('2022', '2018')
    >>> comparable_elections(cal, "2016-11-08")
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: the history has no GENERAL election before 11/08/2016 (it runs 11/06/2018 to 11/05/2024): the model learns from the last comparable election; check election= (YYYY-MM-DD) and the history file
    """
    day = pd.Timestamp(election).normalize()
    kind = kind.strip().upper()
    span = (f"it runs {calendar['date'].min():%m/%d/%Y} to {calendar['date'].max():%m/%d/%Y}" if len(calendar)
            else "it holds no dated election")  # fmt: skip
    if backtest:
        fit_on = pd.Timestamp(backtest).normalize()
        if not (calendar["date"] == fit_on).any():
            raise PlaybookError(f"backtest_election {fit_on:%m/%d/%Y} is not an election in the history ({span}); "
                                "leave it blank to use the last comparable election")  # fmt: skip
        if fit_on >= day:
            raise PlaybookError(f"backtest_election {fit_on:%m/%d/%Y} is not before the election {day:%m/%d/%Y}")
        why = f"{fit_on:%m/%d/%Y}, as backtest_election asks"
    else:
        same = _cycle_match(calendar, day, kind)
        if not len(same):
            raise PlaybookError(f"the history has no {kind} election before {day:%m/%d/%Y} ({span}): the model learns "
                                "from the last comparable election; check election= (YYYY-MM-DD) and the history file")  # fmt: skip
        fit_on = same["date"].iloc[-1]
        why = (f"{fit_on:%m/%d/%Y}, the last {kind.lower()} before {day:%m/%d/%Y}"
               + (" in the same four-year cycle" if kind == "GENERAL" and fit_on.year % 4 == day.year % 4 else ""))
    fit_kind = calendar.loc[calendar["date"] == fit_on, "kind"].iloc[0]
    earlier = _cycle_match(calendar, fit_on, fit_kind)
    back = earlier["date"].iloc[-1] if len(earlier) else None
    return fit_on, back, why


def model_report(outcome: pd.Series, score: pd.Series, *, bins: int = 10) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """``(measures, reliability table, gains table)`` of a score against what happened.

    Measures (:func:`campaignlab.targeting.score_quality`): voters, turnout, mean prediction,
    ROC AUC, Brier score, expected calibration error; the lift of the top decile.

    >>> m, rel, gains = model_report(pd.Series([1, 0, 1, 1, 0, 0, 1, 0] * 5),
    ...                              pd.Series([0.9, 0.2, 0.7, 0.6, 0.4, 0.1, 0.8, 0.3] * 5))
    >>> round(m["auc"], 2), list(rel.columns), int(gains["voters"].sum())
    (1.0, ['bin', 'voters', 'mean_predicted', 'turnout', 'gap'], 40)
    """
    y = outcome.astype("bool").to_numpy()
    p = score.to_numpy(dtype=float)
    quality = tg.score_quality(y, p, bins=bins)
    gains = tg.gains_table(y, p)
    measures = {k: float(v) for k, v in quality.items()}
    measures["voters"] = int(measures["voters"])
    measures["top_decile_lift"] = float(gains["lift"].iloc[0])
    return measures, tg.calibration_table(y, p, bins=bins), gains.reset_index()


def turnout_universes(scored: pd.DataFrame, *, turnout: str = "turnout_score",
                      gotv_turnout: tuple[float, float] = (0.25, 0.70)) -> pd.Series:  # fmt: skip
    """Without support IDs: ``gotv`` (a turnout score in the GOTV band), ``votes anyway`` or ``unlikely``.

    >>> turnout_universes(pd.DataFrame({"turnout_score": [0.1, 0.5, 0.9]})).tolist()
    ['unlikely', 'gotv', 'votes anyway']
    """
    low, high = gotv_turnout
    s = scored[turnout].to_numpy(dtype=float)
    return pd.Series(np.select([s < low, s < high], ["unlikely", "gotv"], "votes anyway"), index=scored.index,
                     dtype="str", name="universe")  # fmt: skip


def universe_reasons(tiers: pd.DataFrame, *, has_ids: bool, gotv_turnout=(0.25, 0.70),
                     persuasion_turnout: float = 0.70) -> pd.Series:  # fmt: skip
    """One sentence per voter: why this universe (the score, the band, the support ID).

    >>> t = pd.DataFrame({"universe": ["gotv", "votes anyway"], "turnout_score": [0.5, 0.9]})
    >>> universe_reasons(t, has_ids=False).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['turnout score 0.50 in the GOTV band 0.25-0.70 (no support IDs given: check the universe against your own support targeting)',
     'turnout score 0.90 at or above 0.70: votes without a knock']
    """
    low, high = gotv_turnout
    score = tiers["turnout_score"].map(lambda s: f"{s:.2f}")
    label = tiers["support_label"].astype("str") if "support_label" in tiers.columns else pd.Series("", index=tiers.index)
    sid = (tiers["support_id"].astype("Int64").astype("str") if "support_id" in tiers.columns
           else pd.Series("", index=tiers.index))  # fmt: skip
    who = "support ID " + sid + " (" + label + ")"
    text = {
        "gotv": (who + ", turnout score " + score + f" in the GOTV band {low:.2f}-{high:.2f}") if has_ids else
                ("turnout score " + score + f" in the GOTV band {low:.2f}-{high:.2f} (no support IDs given: check the "
                 "universe against your own support targeting)"),
        "persuasion": who + ", turnout score " + score + f" at or above {persuasion_turnout:.2f}: will vote, undecided",
        "no ID": "no support ID yet, turnout score " + score + ": the next ID canvass",
        "not targeted": who + ", turnout score " + score + ": outside the GOTV and persuasion rules",
        "votes anyway": "turnout score " + score + f" at or above {high:.2f}: votes without a knock",
        "unlikely": "turnout score " + score + f" below {low:.2f}: one knock rarely moves them",
    }  # fmt: skip
    out = pd.Series(pd.NA, index=tiers.index, dtype="str")
    for name, words in text.items():
        here = (tiers["universe"] == name).to_numpy()
        out[here] = words[here] if isinstance(words, pd.Series) else words
    return out


def turf_file_name(turf: str) -> str:
    """A safe file name for a precinct's walk list.

    >>> turf_file_name("12 / NORTH"), turf_file_name("")
    ('walk_12_NORTH.csv', 'walk_no_precinct.csv')
    """
    clean = re.sub(r"[^A-Za-z0-9]+", "_", str(turf)).strip("_")
    return f"walk_{clean or 'no_precinct'}.csv"


def walk_lists(voters: pd.DataFrame, tiers: pd.DataFrame, roles: Mapping[str, object], *,
               universes: Sequence[str] = ("gotv", "persuasion"), doors_per_packet: int = tg.DOORS_PER_SHIFT,
               include_race: bool = False) -> tuple[pd.DataFrame, StepReport]:  # fmt: skip
    """The walk list of the door universes, in walk order, packets cut: names, addresses, canvasser fields.

    ``walk_order`` (precinct, street, side of the street, house number, unit) and ``cut_turf``
    do the order and the packets. Confidential voters (NC ``confidential_ind`` Y) and addresses
    ``walk_order`` cannot place on a street are set aside with the reason. Columns: precinct,
    packet, stop, street, side, house number, the voter's ID, names, address, city, ZIP, age,
    gender, universe (and support ID), then blank ``result``, ``support_response``, ``notes``; race
    and ethnicity columns only with ``include_race``.

    ``voters``: the file's rows, indexed like ``tiers`` (the scored voters with ``universe``, ``age``,
    ``gender`` and ``voter_id``). A voter without a precinct goes on a list of its own, never lost.

    >>> v = pd.DataFrame({"ncid": ["A1", "A2", "A3", "A4"], "precinct_abbrv": ["01", None, "01", "01"],
    ...                   "res_street_address": ["3 OAK ST", "2 OAK ST", "1 OAK ST", "PO BOX 7"],
    ...                   "confidential_ind": ["N", "N", "Y", "N"]}, index=["A1", "A2", "A3", "A4"])
    >>> t = pd.DataFrame({"universe": "gotv", "age": 30, "gender": "F", "voter_id": v.index}, index=v.index)
    >>> roles = {"id": "ncid", "precinct": "precinct_abbrv", "address": "res_street_address",
    ...          "confidential": "confidential_ind"}
    >>> walk, report = walk_lists(v, t, roles)
    >>> walk[["precinct", "packet", "stop", "side", "voter_id"]].values.tolist()
    [['', 1, 1, 'even', 'A2'], ['01', 1, 1, 'odd', 'A1']]
    >>> report.set_aside["reason"].tolist()
    ['confidential voter: never on a walk list', 'address not placed on a street (PO box, not a residence)']
    """
    door = tiers[tiers["universe"].isin(list(universes))]
    rows = voters.loc[door.index]
    reason = pd.Series(pd.NA, index=door.index, dtype="str")
    if roles.get("confidential"):
        secret = rows[roles["confidential"]].astype("str").str.strip().str.upper().eq("Y").fillna(False)
        reason[secret.to_numpy()] = "confidential voter: never on a walk list"
    keep = reason.isna().to_numpy()
    pick = {roles["precinct"]: "precinct"}
    for role in ("id", "first", "middle", "last", "suffix", "address", "city", "zip"):
        if roles.get(role) and roles[role] not in pick:
            pick[roles[role]] = role if role != "id" else "voter_id"
    if include_race:
        pick.update({c: c for c in roles.get("race") or []})
    base = rows[list(pick)].rename(columns=pick)
    base["address"] = base["address"].astype("str")
    base["precinct"] = base["precinct"].astype("str").fillna("")  # no precinct: a list of its own, never lost
    base = base.assign(age=door["age"], gender=door["gender"], universe=door["universe"])
    if "support_label" in door.columns:
        base["support"] = door["support_label"]
    walked, _ = vf.walk_order(base.iloc[np.flatnonzero(keep)], precinct="precinct", address="address")
    walked = tg.cut_turf(walked, doors_per_packet, precinct="precinct")
    unplaced = walked["walk_stop"].isna().to_numpy()
    reason[walked.index[unplaced]] = ("address not placed on a street (" + walked.loc[unplaced, "walk_issue"]
                                      .fillna("unreadable").astype("str") + ")").to_numpy()  # fmt: skip
    placed = walked.iloc[np.flatnonzero(~unplaced)]
    lead = ["precinct", "packet", "walk_stop", "walk_street", "walk_side", "walk_number"]
    out = placed[lead + [c for c in base.columns if c != "precinct"]].rename(
        columns={"walk_stop": "stop", "walk_street": "street", "walk_side": "side", "walk_number": "house_number"})
    for c in CANVASSER_FIELDS:
        out[c] = ""
    aside = door.loc[reason.notna().to_numpy(), ["voter_id"]].assign(reason=reason[reason.notna()])
    report = StepReport("walk_lists", len(door), len(out), aside,
                        notes=[f"universes walked: {', '.join(universes)}; {doors_per_packet} doors a packet"])  # fmt: skip
    return out, report


def registration_chase(people: pd.DataFrame, roles: Mapping[str, str | None], deadline: pd.Timestamp) -> tuple[pd.DataFrame, StepReport]:
    """The registration-chase universe: one row per person on the list, with the reason; unusable rows set aside.

    ``people``: supporters known not to be registered (the ``not_found.csv`` of
    match-list-to-file, or a list of your own); ``roles``: ``id``, ``first``, ``last`` and any of
    ``address``, ``city``, ``zip``, ``phone``, ``email`` (the contact fields kept).

    >>> p = pd.DataFrame({"uuid": ["u1", None, "u1"], "first_name": ["Zed", "Al", "Zed"], "last_name": ["Quill", "Wu", "Quill"]})
    >>> chase, report = registration_chase(p, {"id": "uuid", "first": "first_name", "last": "last_name"},
    ...                                    pd.Timestamp("2026-10-09"))
    >>> chase[["list_id", "universe"]].values.tolist(), report.reasons
    ([['u1', 'registration chase']], {'no list ID (uuid)': 1, 'repeated list ID: the first row is kept': 1})
    """
    idc = roles["id"]
    ids = people[idc].astype("str").str.strip()
    reason = pd.Series(pd.NA, index=people.index, dtype="str")
    reason[(ids.duplicated(keep="first") & ids.notna()).to_numpy()] = "repeated list ID: the first row is kept"
    reason[(ids.isna() | ids.eq("")).to_numpy()] = f"no list ID ({idc})"
    keep = reason.isna().to_numpy()
    cols = {roles[r]: r for r in ("id", "first", "last", "address", "city", "zip", "phone", "email") if roles.get(r)}
    chase = people.loc[keep, list(cols)].rename(columns=cols).rename(columns={"id": "list_id"})
    chase.insert(1, "universe", "registration chase")
    chase.insert(2, "reason", f"on the list of supporters not on the voter file: help them register by {deadline:%m/%d/%Y}")
    aside = people.loc[~keep, [idc]].assign(reason=reason[~keep])
    return chase, StepReport("registration_chase", len(people), int(keep.sum()), aside)


def set_aside_rows(reports: Sequence[tuple[str, StepReport]], id_columns: Mapping[str, str]) -> pd.DataFrame:
    """One row per record set aside by any step: ``file``, ``step``, ``reason``, the record's ID (or its line).

    Only the ID: the record itself is in your file, and the set-aside file carries no more than the job needs.

    >>> r = StepReport("eligible_at", 2, 1, pd.DataFrame({"ncid": ["AL2"], "reason": ["under 18 in 2026"]}))
    >>> set_aside_rows([("voters", r)], {"voters": "ncid"}).values.tolist()
    [['voters', 'eligible_at', 'under 18 in 2026', 'AL2', None]]
    """
    frames = []
    for file, r in reports:
        if not r.rows_set_aside:
            continue
        a = r.set_aside
        idc = id_columns.get(file)
        frames.append(pd.DataFrame({
            "file": file, "step": r.step, "reason": a["reason"].astype("str").to_numpy(),
            "id": a[idc].astype("str").to_numpy() if idc in a.columns else
            (a["voter_id"].astype("str").to_numpy() if "voter_id" in a.columns else None),
            "line": a["line"].to_numpy() if "line" in a.columns else None}))  # fmt: skip
    cols = ["file", "step", "reason", "id", "line"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
