"""Clean, dedupe, household and match a voter file, at state scale, with a report of every step.

Every function is pure (it never changes its input), takes column names with North Carolina
defaults, and returns ``(result, StepReport)``: what changed, and which rows were set aside
and why, with counts that reconcile (rows in = rows kept + rows set aside).
``read_voter_file`` recognises the layout (NC current and pre-2022, ncvhis, Ohio, VAN,
Action Network; anything else with a column map) and ``clean_voter_file`` cleans any voter
file layout with the layout's column map (``layouts.LAYOUTS``).

To find a list's people (sign-ups, donors, a VAN or Action Network export) in the file, use
``link_list`` (``linkage.py``): a Fellegi-Sunter model on ``splink`` 5 (DuckDB), its m
probabilities estimated by EM and its u from a seeded sample of pairs on your own data, over
names (ASCII key, nicknames, typos), ZIP, phone, address, city, email and birth year. It returns
three parts: *matched* (one voter per row, probability and the fields that agreed), *needs
review* (the top candidates of ambiguous rows) and *not found* (with the reason); a name alone is
never a match. ``match_list`` is the small transparent rule-based matcher lesson 03 teaches.

>>> from campaignlab import data
>>> from campaignlab import voterfile as vf
>>> voters, r = vf.read_voter_file(data.path("voters"))
>>> r.rows_in == r.rows_kept + r.rows_set_aside
True
>>> voters, r = vf.normalize_names(voters)
>>> voters, r = vf.normalize_zip(voters)
>>> voters["zip5"].str.len().dropna().eq(5).all()
np.True_
"""

import sys
from collections.abc import Mapping

import pandas as pd

from campaignlab.voterfile.addresses import normalize_address
from campaignlab.voterfile.dates import parse_registration_dates
from campaignlab.voterfile.duplicates import flag_duplicate_registrations, resolve_duplicates
from campaignlab.voterfile.history import (
    carry_history_over,
    dedupe_history,
    history_from_wide,
    pivot_history,
    voted_k_of_n,
)
from campaignlab.voterfile.households import assign_households
from campaignlab.voterfile.layouts import (
    LAYOUTS,
    REQUIRED_ROLES,
    ROLE_STEPS,
    Layout,
    detect_layout,
    suggest_column_map,
)
from campaignlab.voterfile.linkage import LinkResult, link_list
from campaignlab.voterfile.matching import match_list
from campaignlab.voterfile.names import matching_key, normalize_names
from campaignlab.voterfile.phones import flag_shared_phones, normalize_phone
from campaignlab.voterfile.read import (
    ChunkedFile,
    read_in_chunks,
    read_vote_history,
    read_voter_file,
)
from campaignlab.voterfile.report import (
    MissingColumnsError,
    StepReport,
    VoterFileError,
    combine_reports,
)
from campaignlab.voterfile.walk import walk_order
from campaignlab.voterfile.zips import normalize_zip

__all__ = [
    "StepReport",
    "VoterFileError",
    "MissingColumnsError",
    "combine_reports",
    "LAYOUTS",
    "Layout",
    "detect_layout",
    "read_voter_file",
    "read_vote_history",
    "read_in_chunks",
    "ChunkedFile",
    "normalize_names",
    "matching_key",
    "parse_registration_dates",
    "normalize_zip",
    "normalize_phone",
    "flag_shared_phones",
    "normalize_address",
    "flag_duplicate_registrations",
    "resolve_duplicates",
    "assign_households",
    "match_list",
    "link_list",
    "LinkResult",
    "dedupe_history",
    "carry_history_over",
    "pivot_history",
    "history_from_wide",
    "voted_k_of_n",
    "walk_order",
    "clean_voter_file",
    "cleaning_steps",
    "ROW_STEPS",
]


def _voter_layout(voters: pd.DataFrame, layout: str | Layout | None) -> Layout:
    if isinstance(layout, Layout):
        return layout
    name = layout or voters.attrs.get("layout") or "ncvoter"
    if name not in LAYOUTS:
        raise ValueError(f"clean_voter_file: unknown layout {name!r}; use one of {sorted(LAYOUTS)}")
    return LAYOUTS[name]


def _check_roles(voters: pd.DataFrame, lay: Layout, roles: Mapping[str, str | None]) -> None:
    """Name every missing column at once, with the steps that need it and a column map to try."""
    unknown = sorted(set(roles) - set(ROLE_STEPS))
    if unknown:
        raise ValueError(f"clean_voter_file: unknown roles {unknown} in columns=; use {sorted(ROLE_STEPS)}")
    missing = {col: ROLE_STEPS[role] for role, col in roles.items() if col is not None and col not in voters.columns}
    unnamed = [r for r in REQUIRED_ROLES if roles.get(r) is None]
    if not missing and not unnamed:
        return
    parts = [f"{col!r} (needed by {', '.join(steps)})" for col, steps in missing.items()]
    parts += [f"a {role!r} column (needed by {', '.join(ROLE_STEPS[role])})" for role in unnamed]
    role_of = {col: role for role, col in roles.items() if col is not None}
    guess = suggest_column_map(list(missing), [c for c in voters.columns if c not in role_of])
    fix = ", ".join(f"{role_of[col]!r}: {yours!r}" for yours, col in guess.items())
    raise MissingColumnsError(
        f"clean_voter_file: the data ({lay.title}) has no {'; '.join(parts)}. "
        f"Columns found: {list(voters.columns)[:12]}{' ...' if voters.shape[1] > 12 else ''}. "
        f"Map them with columns={{{fix or repr(unnamed[0]) + ': <your column>'}}} "
        "(role -> your column; None for one your file lacks).",
        missing,
    )


#: The steps of ``clean_voter_file`` that look at one row at a time: they can run on a file piece by piece.
ROW_STEPS = ("normalize_names", "parse_registration_dates", "normalize_zip", "normalize_phone", "normalize_address")


def cleaning_steps(voters: pd.DataFrame, *, as_of=None, layout: str | Layout | None = None,
                   columns: Mapping[str, str | None] | None = None, dedupe: str = "rules"):  # fmt: skip
    """The chain ``clean_voter_file`` runs, as ``([(step name, function of a frame)], roles)``.

    ``voters`` may be the first piece of a file (:func:`read_in_chunks`): only its columns and
    ``attrs`` are used. The steps in :data:`ROW_STEPS` need one row at a time; the others
    (shared phones, duplicates, households) need the whole file.

    >>> v = pd.DataFrame(columns=list(LAYOUTS["ncvoter"].roles.values()))
    >>> [name for name, _ in cleaning_steps(v, as_of="2026-09-12")[0]][-3:]
    ['flag_duplicate_registrations', 'resolve_duplicates', 'assign_households']
    """
    lay = _voter_layout(voters, layout)
    if lay.kind != "voter file" and not columns:
        raise ValueError(f"clean_voter_file: this is {'an' if lay.title[0] in 'AEIOU' else 'a'} {lay.title}, "
                         f"not a voter file: use {lay.next_step}, or map its columns with columns=")  # fmt: skip
    roles = {**(lay.roles if lay.kind == "voter file" else {}), **dict(columns or {})}
    roles.pop("city", None)
    _check_roles(voters, lay, roles)
    r = {k: roles.get(k) for k in ROLE_STEPS}
    as_of = as_of if as_of is not None else voters.attrs.get("file_date")
    year = None if as_of is None else pd.Timestamp(as_of).year
    steps = [
        ("normalize_names", lambda f: normalize_names(f, first=r["first"], middle=r["middle"], last=r["last"],
                                                      suffix=r["suffix"])),
        ("parse_registration_dates", lambda f: parse_registration_dates(
            f, column=r["registration_date"], format=lay.date_format, as_of=as_of, birth_year=r["birth_year"])),
        ("normalize_zip", lambda f: normalize_zip(f, column=r["zip"])),
    ]
    if r["phone"] is not None:
        steps += [("normalize_phone", lambda f: normalize_phone(f, column=r["phone"])),
                  ("flag_shared_phones", lambda f: flag_shared_phones(f))]
    steps += [
        ("normalize_address", lambda f: normalize_address(f, column=r["address"])),
        ("flag_duplicate_registrations", lambda f: flag_duplicate_registrations(
            f, id=r["id"], first=r["first"], middle=r["middle"], last=r["last"], suffix=r["suffix"],
            birth_year=r["birth_year"], gender=r["gender"], address="address_std", zip="zip5",
            phone="phone" if r["phone"] is not None else None, as_of_year=year, method=dedupe)),
        ("resolve_duplicates", lambda f: resolve_duplicates(f, id=r["id"], date="registration_date",
                                                            status=r["status"])),
        ("assign_households", lambda f: assign_households(f)),
    ]
    return steps, r


def clean_voter_file(
    voters: pd.DataFrame,
    *,
    as_of=None,
    layout: str | Layout | None = None,
    columns: Mapping[str, str | None] | None = None,
    progress: bool | None = None,
    dedupe: str = "rules",
) -> tuple[pd.DataFrame, list[StepReport]]:
    """The standard cleaning chain: names, dates, ZIP, phone, address, shared phones,
    duplicates flagged and resolved, households. Returns ``(clean voters, [reports])``.

    Args:
        voters: a voter file (not modified), as ``read_voter_file`` returns it.
        as_of: the file's date (later registration dates are errors; ages are counted at
            it). Default: the file's date kept by ``read_voter_file``, else today.
        layout: the layout whose column map to use (``"ncvoter"``, ``"ohio"``, ``"van"``...);
            default: the one ``read_voter_file`` recognised, else NC.
        columns: role -> column overrides of the layout's map (roles: ``id``, ``first``,
            ``middle``, ``last``, ``suffix``, ``registration_date``, ``birth_year``,
            ``gender``, ``zip``, ``phone``, ``address``, ``status``; ``None`` for a column
            your file lacks). Every missing column is named at once, before any work.
        dedupe: how duplicate registrations are found: ``"rules"`` (Module 01's rules) or
            ``"splink"`` (the rules, plus one person under two surnames; see
            ``flag_duplicate_registrations``).
        progress: show a ``tqdm`` progress bar over the steps (default: for 200,000 rows or
            more, in a terminal or a notebook).

    >>> import pandas as pd
    >>> v = pd.DataFrame({"ncid": ["AL1", "AL2"], "first_name": ["ann", "ANN"],
    ...     "middle_name": ["B", "BETH"], "last_name": ["LEE", "LEE"], "name_suffix_lbl": [None, None],
    ...     "registr_dt": ["01/01/1900", "02/03/2010"], "birth_year": ["1980", "1980"],
    ...     "gender_code": ["F", "F"], "zip_code": ["00301", "301"], "full_phone_number": [None, None],
    ...     "res_street_address": ["1 OAK ST", "1 Oak Street"], "status_cd": ["A", "A"]})
    >>> clean, reports = clean_voter_file(v, as_of="2026-09-12")
    >>> clean["ncid"].tolist(), [r.step for r in reports][-1]
    (['AL2'], 'assign_households')
    >>> clean_voter_file(v.drop(columns=["registr_dt", "status_cd"]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.voterfile.report.MissingColumnsError: clean_voter_file: the data (NC ncvoter (current 67-column layout)) has no 'registr_dt' (needed by parse_registration_dates, resolve_duplicates); 'status_cd' (needed by resolve_duplicates). ...
    """
    if not isinstance(voters, pd.DataFrame):
        raise TypeError(f"clean_voter_file: expected a pandas DataFrame, got {type(voters).__name__}")
    steps = [fn for _, fn in cleaning_steps(voters, as_of=as_of, layout=layout, columns=columns, dedupe=dedupe)[0]]
    if progress is None:  # a bar where someone watches (a terminal, a notebook), never in logs
        progress = len(voters) >= 200_000 and (sys.stderr.isatty() or "ipykernel" in sys.modules)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(steps), desc="clean_voter_file", unit="step", leave=False)
    reports = []
    try:
        for step in steps:
            voters, report = step(voters)
            reports.append(report)
            if bar is not None:
                bar.set_postfix_str(report.step)
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    return voters, reports
