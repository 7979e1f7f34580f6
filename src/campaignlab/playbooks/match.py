"""The pieces of the match-list-to-file playbook that are not already toolkit steps.

``campaignlab.voterfile.link_list`` does the matching (splink, three parts). This module
works out which column plays which part in the list and in the voter file (from the layout
the reader recognised, or your column map), sets aside list rows that cannot be matched at
all (no ID, no name) with the reason, and writes what an organizer reads: a review sheet with
a ``decision`` column and a plain-language summary.

>>> import pandas as pd
>>> signups = pd.DataFrame({"uuid": ["u1", "u2", None, "u1"], "first_name": ["Ann", None, "Bo", "Ann"],
...                         "last_name": ["Lee", "Roe", "Park", "Lee"]})
>>> kept, report = matchable_rows(signups, {"id": "uuid", "first": "first_name", "last": "last_name"})
>>> kept["uuid"].tolist()
['u1']
>>> report.set_aside["reason"].tolist()
['no first or last name: a name is needed to match', 'no list ID (uuid)', 'repeated list ID: the first row with it is matched']
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from campaignlab import voterfile as vf
from campaignlab.playbooks import PlaybookError
from campaignlab.playbooks.clean import voter_layout
from campaignlab.voterfile.layouts import LAYOUTS, suggest_column_map
from campaignlab.voterfile.linkage import LINK_LIST_COLUMNS, LinkResult
from campaignlab.voterfile.report import StepReport

__all__ = ["list_roles", "voter_roles", "matchable_rows", "review_sheet", "with_voter", "summary_text",
           "group_duplicates", "LIST_ROLES", "VOTER_ROLES"]  # fmt: skip

#: What each list column can be (``link_list``'s list keys).
LIST_ROLES = ("id", "first", "last", "zip", "phone", "address", "city", "email", "birth_year")
#: What each voter-file column can be (``link_list``'s voter keys).
VOTER_ROLES = ("id", "first", "middle", "last", "zip", "phone", "address", "city", "email", "birth_year", "group")
NO_NAME = "no first or last name: a name is needed to match"
NO_ID = "no list ID ({})"
REPEATED = "repeated list ID: the first row with it is matched"


def _source(frame: pd.DataFrame, default: str) -> str:
    return str(frame.attrs.get("source", default))


def list_roles(people: pd.DataFrame, layout: str = "auto", columns: Mapping[str, str | None] | None = None) -> dict:
    """Role -> column of the list, for ``link_list(list_columns=...)``.

    An Action Network export is known (``uuid``, ``first_name``, ``can2_phone``...); a column
    named ``birth_year`` is used when there is one. Any other list needs ``columns`` for at
    least ``id``, ``first`` and ``last``. Every column named must be in the list.

    >>> an = pd.DataFrame(columns=["uuid", "first_name", "last_name", "email", "zip_code", "can2_phone",
    ...                            "can2_user_address", "can2_user_city"])
    >>> an.attrs["layout"] = "action_network"
    >>> list_roles(an)["phone"]
    'can2_phone'
    >>> sheet = pd.DataFrame(columns=["Name First", "Name Last", "Zip"]); sheet.attrs["layout"] = "delimited"
    >>> list_roles(sheet)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: the list: the toolkit does not know this layout: map its columns with list_columns={"id": ..., "first": ..., "last": ...} ...
    >>> roles = list_roles(sheet.assign(Row=[]), columns={"id": "Row", "first": "Name First", "last": "Name Last", "zip": "Zip"})
    >>> roles["first"], roles["zip"], roles["phone"]
    ('Name First', 'Zip', None)
    """
    source = _source(people, "the list")
    name = layout if layout not in (None, "", "auto") else people.attrs.get("layout", "delimited")
    if name not in LAYOUTS:
        raise PlaybookError(f"unknown list_layout {name!r}; use 'auto', 'action_network' or 'delimited'")
    lay = LAYOUTS[name]
    if lay.kind in ("voter file", "vote history"):
        raise PlaybookError(f"{source} is {lay.title}, not a list of people: give it as voter_file, and the list "
                            "(an Action Network export, a sign-up sheet) as list_file")  # fmt: skip
    unknown = set(columns or {}) - set(LIST_ROLES)
    if unknown:
        raise PlaybookError(f"list_columns: unknown roles {sorted(unknown)}; the roles are {', '.join(LIST_ROLES)}")
    if lay.name == "action_network":
        roles = {**LINK_LIST_COLUMNS, "birth_year": "birth_year" if "birth_year" in people.columns else None}
    else:
        if not columns or not {"id", "first", "last"} <= set(columns):
            hint = suggest_column_map(["first", "last", "zip", "phone", "address"], list(people.columns))
            raise PlaybookError(f"{source}: the toolkit does not know this layout: map its columns with "
                                'list_columns={"id": ..., "first": ..., "last": ...} and any of zip, phone, address, '
                                f"city, email, birth_year; from its header, perhaps {hint}")  # fmt: skip
        roles = dict.fromkeys(LIST_ROLES)
    roles.update(columns or {})
    absent = [f"{role}={col!r}" for role, col in roles.items() if col is not None and col not in people.columns]
    if absent:
        raise PlaybookError(f"{source}: no column {', '.join(absent)}. Its columns: {list(people.columns)}; "
                            "fix list_columns (None for a column the list lacks)")  # fmt: skip
    return roles


def voter_roles(voters: pd.DataFrame, layout: str = "auto", columns: Mapping[str, str | None] | None = None) -> dict:
    """Role -> column of the voter file, for ``link_list(voter_columns=...)``.

    From the layout (NC, Ohio, VAN, or a column map). The clean file of the clean-voter-file
    playbook is recognised by its ``duplicate_group`` column (registrations of one person
    are then one candidate) and its ``birth_year_clean`` (a year, whatever the file had).

    >>> v = pd.DataFrame(columns=["Voter File VANID", "FirstName", "MiddleName", "LastName", "Suffix", "DateReg",
    ...                           "Sex", "Zip5", "Pref Phone", "vAddress", "City"])
    >>> v.attrs["layout"] = "van"
    >>> r = voter_roles(v); r["id"], r["address"], r["birth_year"]
    ('Voter File VANID', 'vAddress', None)
    """
    lay = voter_layout(voters, layout, columns)
    roles = {role: lay.roles.get(role) for role in VOTER_ROLES}
    roles.update({k: v for k, v in (columns or {}).items() if k in VOTER_ROLES})
    if "birth_year_clean" in voters.columns:
        roles["birth_year"] = "birth_year_clean"
    if "duplicate_group" in voters.columns and not roles.get("group"):
        roles["group"] = "duplicate_group"
    for role in ("id", "first", "last"):
        if not roles.get(role):
            raise PlaybookError(f"{_source(voters, 'the voter file')}: no {role!r} column in the layout "
                                f"{lay.title}: map it with voter_columns={{{role!r}: <your column>}}")  # fmt: skip
    return {role: (col if col in voters.columns else None) if role not in ("id", "first", "last") else col
            for role, col in roles.items()}  # fmt: skip


def group_duplicates(voters: pd.DataFrame, layout: str = "auto", columns: Mapping[str, str | None] | None = None,
                     *, as_of_year: int | None = None) -> tuple[pd.DataFrame, StepReport]:  # fmt: skip
    """The voter file with a ``duplicate_group`` column (not modified), when it has none yet.

    Two registrations of one person are then one candidate, never "ambiguous" between
    themselves. Uses ``flag_duplicate_registrations`` with the layout's columns; a birth
    column that holds full dates (Ohio's ``DATE_OF_BIRTH``) is not used as a year.
    """
    lay = voter_layout(voters, layout, columns)
    roles = {**lay.roles, **dict(columns or {})}
    args = {r: roles.get(r) if roles.get(r) in voters.columns else None
            for r in ("middle", "suffix", "birth_year", "gender", "address", "zip", "phone")}  # fmt: skip
    if args["birth_year"] and not voters[args["birth_year"]].dropna().astype("str").str.fullmatch(r"\d{4}").all():
        args["birth_year"] = None
    return vf.flag_duplicate_registrations(voters, id=roles["id"], first=roles["first"], last=roles["last"],
                                           as_of_year=as_of_year, **args)  # fmt: skip


def matchable_rows(people: pd.DataFrame, roles: Mapping[str, str | None]) -> tuple[pd.DataFrame, StepReport]:
    """The list rows ``link_list`` can work on; the others set aside with the reason (not modified).

    A row needs its own ID (to load the result back) and a first and a last name.
    """
    idc = roles["id"]
    no_name = people[roles["first"]].isna() | people[roles["last"]].isna()
    no_name |= people[roles["first"]].astype("str").str.strip().eq("") | people[roles["last"]].astype("str").str.strip().eq("")
    no_id = people[idc].isna() | people[idc].astype("str").str.strip().eq("")
    repeated = people[idc].duplicated(keep="first") & ~no_id
    reason = pd.Series(pd.NA, index=people.index, dtype="str")
    reason = reason.mask(repeated, REPEATED).mask(no_id, NO_ID.format(idc)).mask(no_name, NO_NAME)
    aside = people[reason.notna()].assign(reason=reason[reason.notna()])
    kept = people[reason.isna()]
    return kept, StepReport("matchable_rows", len(people), len(kept), set_aside=aside)


def with_voter(matched: pd.DataFrame, voters: pd.DataFrame, vroles: Mapping[str, str | None]) -> pd.DataFrame:
    """``matched`` with the voter's name and address as the file has them, to check a match by eye.

    >>> m = pd.DataFrame({"uuid": ["u1"], "ncid": ["AL1"]})
    >>> v = pd.DataFrame({"ncid": ["AL1"], "first_name": ["ANN"], "last_name": ["LEE"], "res_street_address": ["1 OAK ST"]})
    >>> with_voter(m, v, {"id": "ncid", "first": "first_name", "last": "last_name", "address": "res_street_address"}).iloc[0].tolist()
    ['u1', 'AL1', 'ANN', 'LEE', '1 OAK ST']
    """
    pick = {vroles["id"]: vroles["id"]}
    pick.update({vroles[r]: f"voter_{r}" for r in ("first", "last", "address", "zip") if vroles.get(r)})
    cols = [c for c in pick if c in voters.columns]
    side = voters[cols].drop_duplicates(vroles["id"]).rename(columns={c: pick[c] for c in cols if c != vroles["id"]})
    return matched.merge(side, on=vroles["id"], how="left", validate="many_to_one")


def review_sheet(needs_review: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """The needs-review rows as a sheet to decide on: a blank ``decision`` column after each row.

    >>> r = pd.DataFrame({"uuid": ["u2", "u2"], "candidate": [1, 2], "ncid": ["AL2", "AL3"]})
    >>> review_sheet(r, "uuid").columns.tolist()
    ['decision', 'uuid', 'candidate', 'ncid']
    """
    sheet = needs_review.sort_values([id_column, "candidate"], kind="stable")
    return sheet.assign(decision="")[["decision", *needs_review.columns]]


def summary_text(result: LinkResult, before: list[StepReport], *, list_name: str, voter_name: str,
                 id_column: str) -> str:  # fmt: skip
    """A short summary an organizer can read (Markdown): what came out, and what to do with each part.

    ``before``: the reports of the steps before ``link_list`` (reading the list, ``matchable_rows``).
    """
    rows_in = before[0].rows_in
    unusable_n = sum(r.rows_set_aside for r in before)
    unusable = "\n".join(f"  - {k:,} {why}" for r in before for why, k in r.reasons.items())
    n_review = result.needs_review[id_column].nunique() if len(result.needs_review) else 0
    total = max(rows_in, 1)
    share = lambda k: f"{k:,} ({k / total:.0%})"  # noqa: E731
    reasons = result.report.reasons
    review_lines = "\n".join(f"  - {k:,} {why.removeprefix('needs review: ')}" for why, k in reasons.items()
                             if why.startswith("needs review"))  # fmt: skip
    missing_lines = "\n".join(f"  - {k:,} {why.removeprefix('not found: ')}" for why, k in reasons.items()
                              if why.startswith("not found"))  # fmt: skip
    return f"""# {list_name} matched to {voter_name}

{rows_in:,} rows on the list:

- **Matched: {share(len(result.matched))}.** Each has one voter, a match probability and the evidence (the
  fields that agreed). Never on a name alone. `matched.csv` holds the voter ID to load into your
  voter file tool (VAN: a bulk upload of the voter IDs).
- **Needs review: {share(n_review)}.** A person decides: `needs_review.csv` shows up to five candidates per
  row, best first, with the voter's address and phone as the file has them. Write `yes` in `decision`
  beside the right candidate, or nothing if none is right.
{review_lines}
- **Not found: {share(len(result.not_found))}.** `not_found.csv`.
{missing_lines}
  Not found is not the same as not registered: people move, marry and sign up with nicknames. Offer
  them help to check or update their registration; never tell them they are not registered.
- **Could not be matched at all: {share(unusable_n)}** (in `not_found.csv` with the reason).
{unusable if unusable else "  - none"}

Counts reconcile: {rows_in:,} = {len(result.matched):,} + {n_review:,} + {len(result.not_found):,} + {unusable_n:,}
(`reconciliation.csv`).
"""
