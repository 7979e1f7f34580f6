"""Parse registration dates; placeholders and unreadable dates become missing, with a reason.

State files fill unknown dates with placeholders (NC ``01/01/1900``, VAN ``1/1/1900``, Ohio
``1800-01-01`` and ``1900-01-01``) or literal junk (``##/##/####``). Treating those as real
dates puts thousands of voters in 1900. Every form is caught whatever the file's date format
(a placeholder is the text, or a date that reads as 1 January 1900 or 1800), and so is a
date after the file's own date.

>>> import pandas as pd
>>> voters = pd.DataFrame({"registr_dt": ["03/14/2012", "01/01/1900", "##/##/####", None, "1/1/1900",
...                                       "1900-01-01", "05/06/2031"],
...                        "birth_year": ["1980", "1755", "2001", None, "1990", "1800-01-01", "1970"]})
>>> out, report = parse_registration_dates(voters, as_of="2026-09-12")
>>> out["registration_date"].dt.year.tolist()
[2012.0, nan, nan, nan, nan, nan, nan]
>>> out["registration_date_issue"].tolist()
[nan, 'placeholder date 01/01/1900', 'unreadable date', 'missing', 'placeholder date 1/1/1900', 'placeholder date 1900-01-01', 'after the file date']
>>> out["birth_year_clean"].tolist()
[1980, <NA>, 2001, <NA>, 1990, <NA>, 1970]
>>> print(report)
parse_registration_dates: 7 rows in, 7 kept, 0 set aside
  changed    date -> missing: placeholder date 01/01/1900   1
  changed    date -> missing: unreadable date               1
  changed    date -> missing: placeholder date 1/1/1900     1
  changed    date -> missing: placeholder date 1900-01-01   1
  changed    date -> missing: after the file date           1
  changed    birth year -> missing: impossible age          1
  changed    birth year -> missing: placeholder date        1
  flagged    date missing in the file                       1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text

__all__ = ["parse_registration_dates", "birth_years", "PLACEHOLDER_DATES"]

#: Texts states use for "unknown" (NC 01/01/1900; VAN 1/1/1900; Ohio 1800-01-01 and 1900-01-01).
PLACEHOLDER_DATES = ("01/01/1900", "1/1/1900", "1900-01-01", "01/01/1800", "1/1/1800", "1800-01-01",
                     "00/00/0000", "0/0/0000", "0000-00-00")  # fmt: skip
#: Dates that mean "unknown" whatever their format.
PLACEHOLDER_DAYS = (pd.Timestamp("1900-01-01"), pd.Timestamp("1800-01-01"))
_ANY_FORMAT = ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _parse(u: pd.Series, formats: Sequence[str]) -> pd.Series:
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    for f in formats:
        todo = out.isna()
        if not todo.any():
            break
        out = out.mask(todo, pd.to_datetime(u.where(todo), format=f, errors="coerce"))
    return out


def _placeholder(u: pd.Series, placeholders: Sequence[str]) -> pd.Series:
    """True where a distinct date text means "unknown" (any format)."""
    literal = u.isin(list(placeholders))
    return literal | _parse(u, _ANY_FORMAT).isin(PLACEHOLDER_DAYS)


def birth_years(values: pd.Series, placeholders: Sequence[str] = PLACEHOLDER_DATES) -> tuple[pd.Series, pd.Series]:
    """Birth year (``Int64``) from a year (NC ``birth_year``) or a full date (Ohio ``DATE_OF_BIRTH``).

    Returns ``(years, reason)``; reason is ``"placeholder date"`` or ``"unreadable"`` where a
    value gives no year.

    >>> y, why = birth_years(pd.Series(["1980", "1975-04-02", "04/02/1961", "1800-01-01", "abc", None]))
    >>> y.tolist(), why.tolist()
    ([1980, 1975, 1961, <NA>, <NA>, <NA>], [nan, nan, nan, 'placeholder date', 'unreadable', nan])
    """
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str").str.strip()
    year = pd.to_numeric(u, errors="coerce")
    year = year.where(year == year.round())
    found = pd.to_numeric(u.str.extract(r"(?:^|\D)(\d{4})(?:\D|$)")[0], errors="coerce")
    year = year.fillna(found)
    ph = _placeholder(u, placeholders) & (u.str.len() > 4)
    year = year.mask(ph)
    why = pd.Series(pd.NA, index=u.index, dtype="str").mask(ph, "placeholder date").mask(~ph & year.isna(), "unreadable")
    take = np.where(codes < 0, len(u), codes)
    years = pd.array(np.append(year.to_numpy(dtype=float), np.nan)[take], dtype="Float64").astype("Int64")
    reason = pd.Series(np.append(why.to_numpy(dtype=object), None)[take], index=values.index, dtype="str")
    return pd.Series(years, index=values.index), reason


def parse_registration_dates(
    voters: pd.DataFrame,
    *,
    column: str = "registr_dt",
    format: str | Sequence[str] = "%m/%d/%Y",
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
        format: its ``strftime`` format (Ohio: ``"%Y-%m-%d"``), or several tried in order.
        out: name of the parsed column; ``f"{out}_issue"`` holds why a date is missing.
        placeholders: texts meaning "unknown"; dates reading as 1 January 1900 or 1800
            in any common format are placeholders too.
        as_of: the file's snapshot date; later dates are set to missing
            ("after the file date"). Default: the file's date that ``read_voter_file``
            kept in ``voters.attrs["file_date"]``, else today.
        birth_year: a birth-year or birth-date column to check (``None`` to skip); the
            year goes to ``birth_year_out``; placeholders and impossible ages (over
            ``max_age`` or under ``min_age`` at ``as_of``) become missing, with the reason in
            ``f"{birth_year_out}_issue"``.

    Returns:
        ``(voters with the new columns, report)``; no row is set aside.

    >>> parse_registration_dates(pd.DataFrame({"registr_dt": [20120314]}), birth_year=None)
    Traceback (most recent call last):
    ...
    TypeError: parse_registration_dates: column 'registr_dt' holds int64, not text. Read the file with dtype=str (read_voter_file does) so IDs, ZIPs and phones keep their leading zeros.
    """
    require_columns(voters, {"column": column, "birth_year": birth_year}, "parse_registration_dates")
    require_text(voters, column, "parse_registration_dates")
    if as_of is None:
        as_of = voters.attrs.get("file_date")
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    formats = (format,) if isinstance(format, str) else tuple(format)
    raw = voters[column].astype("str").str.strip()
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str")
    parsed_u = _parse(u, formats)
    reason_u = pd.Series(pd.NA, index=u.index, dtype="str")
    is_ph = _placeholder(u, placeholders)
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
        by, why = birth_years(voters[birth_year], placeholders)
        age = as_of.year - by
        bad = (by.notna() & ((age > max_age) | (age < min_age))).fillna(False).astype(bool)
        result[birth_year_out] = by.mask(bad)
        why = why.mask(bad, f"impossible age (over {max_age} or under {min_age})")
        result[f"{birth_year_out}_issue"] = why
        changes["birth year -> missing: impossible age"] = int(bad.sum())
        changes["birth year -> missing: placeholder date"] = int((why == "placeholder date").sum())
        changes["birth year -> missing: unreadable"] = int((why == "unreadable").sum())
    report = StepReport("parse_registration_dates", len(voters), len(voters), empty_aside(voters), changes, flags)
    return result, report
