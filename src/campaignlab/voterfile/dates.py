"""Parse registration dates; placeholders and unreadable dates become missing, with a reason.

State files fill unknown dates with placeholders (NC ``01/01/1900``, Ohio ``1800-01-01``) or
literal junk (``##/##/####``). Treating those as real dates puts thousands of voters in 1900.

>>> import pandas as pd
>>> voters = pd.DataFrame({"registr_dt": ["03/14/2012", "01/01/1900", "##/##/####", None],
...                        "birth_year": ["1980", "1755", "2001", None]})
>>> out, report = parse_registration_dates(voters, as_of="2026-09-12")
>>> out["registration_date"].dt.year.tolist()
[2012.0, nan, nan, nan]
>>> out["registration_date_issue"].tolist()
[nan, 'placeholder date 01/01/1900', 'unreadable date', 'missing']
>>> out["birth_year_clean"].tolist()
[1980, <NA>, 2001, <NA>]
>>> print(report)
parse_registration_dates: 4 rows in, 4 kept, 0 set aside
  changed    date -> missing: placeholder date 01/01/1900   1
  changed    date -> missing: unreadable date               1
  changed    birth year -> missing: impossible age          1
  flagged    date missing in the file                       1
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text

__all__ = ["parse_registration_dates", "PLACEHOLDER_DATES"]

#: Dates states use for "unknown" (NC 01/01/1900; Ohio 1800-01-01 and 1900-01-01).
PLACEHOLDER_DATES = ("01/01/1900", "1900-01-01", "01/01/1800", "1800-01-01", "00/00/0000", "0000-00-00")


def parse_registration_dates(
    voters: pd.DataFrame,
    *,
    column: str = "registr_dt",
    format: str = "%m/%d/%Y",
    out: str = "registration_date",
    placeholders: tuple[str, ...] = PLACEHOLDER_DATES,
    as_of: str | pd.Timestamp | None = None,
    birth_year: str | None = "birth_year",
    birth_year_out: str = "birth_year_clean",
    max_age: int = 110,
    min_age: int = 16,
) -> tuple[pd.DataFrame, StepReport]:
    """Add a parsed date column and a reason column for every date that became missing.

    Args:
        voters: the voter frame (not modified).
        column: the registration date as text (NC ``registr_dt``, MM/DD/YYYY).
        format: its ``strftime`` format (Ohio and Florida exports: ``"%Y-%m-%d"``).
        out: name of the parsed column; ``f"{out}_issue"`` holds why a date is missing.
        placeholders: values meaning "unknown".
        as_of: the file's snapshot date; later dates are set to missing
            ("after the file date"). Default: today.
        birth_year: a birth-year column to check (``None`` to skip); impossible ages
            (over ``max_age`` or under ``min_age`` at ``as_of``) become missing in
            ``birth_year_out`` with the reason in ``f"{birth_year_out}_issue"``.

    Returns:
        ``(voters with the new columns, report)``; no row is set aside.

    >>> parse_registration_dates(pd.DataFrame({"registr_dt": [20120314]}), birth_year=None)
    Traceback (most recent call last):
    ...
    TypeError: parse_registration_dates: column 'registr_dt' holds int64, not text. Read the file with dtype=str (read_voter_file does) so IDs, ZIPs and phones keep their leading zeros.
    """
    require_columns(voters, {"column": column, "birth_year": birth_year}, "parse_registration_dates")
    require_text(voters, column, "parse_registration_dates")
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    raw = voters[column].astype("str").str.strip()
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str")
    parsed_u = pd.to_datetime(u, format=format, errors="coerce")
    reason_u = pd.Series(pd.NA, index=u.index, dtype="str")
    is_ph = u.isin(list(placeholders))
    reason_u = reason_u.mask(is_ph, "placeholder date " + u)
    reason_u = reason_u.mask(~is_ph & parsed_u.isna(), "unreadable date")
    reason_u = reason_u.mask(~is_ph & (parsed_u > as_of), "after the file date")
    parsed_u = parsed_u.mask(reason_u.notna())
    take = np.where(codes < 0, len(u), codes)
    parsed = pd.Series(
        np.append(parsed_u.to_numpy(), np.datetime64("NaT")).astype(parsed_u.dtype)[take], index=voters.index
    )
    reason = pd.Series(np.append(reason_u.to_numpy(dtype=object), "missing")[take], index=voters.index, dtype="str")
    result = voters.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = parsed
    result[f"{out}_issue"] = reason
    counts = reason.value_counts()
    changes = {f"date -> missing: {k}": int(v) for k, v in counts.items() if k != "missing"}
    flags = {"date missing in the file": int(counts.get("missing", 0))}
    if birth_year is not None:
        require_text(voters, birth_year, "parse_registration_dates")
        by = pd.to_numeric(voters[birth_year], errors="coerce")
        age = as_of.year - by
        bad = by.notna() & ((age > max_age) | (age < min_age))
        unreadable = by.isna() & voters[birth_year].notna()
        result[birth_year_out] = pd.array(by.where(~bad), dtype="Int64")
        why = pd.Series(pd.NA, index=voters.index, dtype="str")
        why = why.mask(bad, f"impossible age (over {max_age} or under {min_age})").mask(unreadable, "unreadable")
        result[f"{birth_year_out}_issue"] = why
        changes["birth year -> missing: impossible age"] = int(bad.sum())
        changes["birth year -> missing: unreadable"] = int(unreadable.sum())
    report = StepReport("parse_registration_dates", len(voters), len(voters), empty_aside(voters), changes, flags)
    return result, report
