"""Normalise ZIP codes to 5 digits (+4 kept apart), restoring zeros lost to spreadsheets.

>>> import pandas as pd
>>> voters = pd.DataFrame({"zip_code": ["00301", "003024321", "304", "00305-1234", "304.0", "ABC", None]})
>>> out, report = normalize_zip(voters)
>>> out["zip5"].tolist()
['00301', '00302', '00304', '00305', '00304', nan, nan]
>>> out["zip4"].tolist()
[nan, '4321', nan, '1234', nan, nan, nan]
>>> out["zip_issue"].tolist()
[nan, nan, 'leading zeros restored', nan, 'leading zeros restored', 'not a ZIP code', 'missing']

A ZIP+4 that was read as a number upstream lost its leading zeros too: 00307 + 7505 arrives as
``3077505`` (7 digits; 8 for ZIPs starting with one zero). Padded back to 9 digits, its first five
are the ZIP, and it gets its own reason (cutting the first five of ``3077505`` would give ``30775``,
a ZIP in another state):

>>> out, report = normalize_zip(pd.DataFrame({"zip_code": ["3077505", "12345678", "0"]}))
>>> out["zip5"].tolist(), out["zip4"].tolist()
(['00307', '01234', nan], ['7505', '5678', nan])
>>> out["zip_issue"].tolist()
['ZIP+4 read as a number: leading zeros restored', 'ZIP+4 read as a number: leading zeros restored', 'not a ZIP code']
>>> report.changes["ZIP+4 read as a number: leading zeros restored"]
2
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns

__all__ = ["normalize_zip"]

#: The reason given to a 7-8 digit value: a ZIP+4 that went through a number and lost its zeros.
PLUS4_AS_NUMBER = "ZIP+4 read as a number: leading zeros restored"


def _by_unique(raw: pd.Series, func) -> tuple[np.ndarray, ...]:
    """Apply ``func`` (Series of distinct values -> tuple of Series) and broadcast back."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    results = func(pd.Series(uniques, dtype="str"))
    take = np.where(codes < 0, len(uniques), codes)
    return tuple(np.append(r.to_numpy(dtype=object), None)[take] for r in results)


def _zip_parts(u: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    s = u.str.strip().str.replace(r"\.0+$", "", regex=True).str.replace(r"[\s-]", "", regex=True)
    digits = s.str.fullmatch(r"\d+").fillna(False)
    n = s.str.len()
    five = digits & (n == 5)
    nine = digits & (n == 9)
    short5 = digits & n.between(3, 4)
    short9 = digits & n.between(7, 8)
    padded = s.where(~short5, s.str.zfill(5)).where(~short9, s.str.zfill(9))
    ok = five | nine | short5 | short9
    zip5 = padded.str[:5].where(ok)
    zip4 = padded.str[5:9].where(nine | short9)
    zip5 = zip5.where(zip5 != "00000")
    issue = pd.Series(pd.NA, index=u.index, dtype="str")
    issue = issue.mask(short5, "leading zeros restored")
    issue = issue.mask(short9, PLUS4_AS_NUMBER)
    issue = issue.mask(~ok | (padded.str[:5] == "00000"), "not a ZIP code")
    return zip5, zip4, issue


def normalize_zip(
    frame: pd.DataFrame,
    *,
    column: str = "zip_code",
    out: str = "zip5",
    zip4_out: str | None = "zip4",
    expected: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, StepReport]:
    """Add a 5-digit ZIP column (text), the +4 apart, and a reason when a ZIP is missing or fixed.

    3-4 digit values (``"304"``, ``304.0`` from Excel) get their leading zeros back; 9-digit and
    ``12345-6789`` values are split; 7-8 digit values are a ZIP+4 read as a number (``3077505`` is
    00307-7505): padded to 9 digits and split, with their own reason; anything else becomes
    missing with ``"not a ZIP code"``.
    Numbers are accepted (a file read without ``dtype=str``) but their zeros are guesses: read
    ZIPs as text. The input column is kept as it was.

    Args:
        frame: the frame (not modified).
        column: the raw ZIP column (NC ``zip_code``; VAN ``Zip5``; Action Network ``zip_code``).
        out, zip4_out: output columns; ``f"{out}_issue"`` is named ``zip_issue`` when
            ``out == "zip5"``.
        expected: ZIPs you expect (your district); others are flagged in ``report.flags``.

    >>> normalize_zip(pd.DataFrame({"zip": ["27601"]}))
    Traceback (most recent call last):
    ...
    KeyError: "normalize_zip: column 'zip_code' (parameter column=) is not in the data. Columns found: ['zip']. Map your layout's column with column='<your column>'."
    """
    require_columns(frame, {"column": column}, "normalize_zip")
    raw = frame[column]
    if not (pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object):
        raw = raw.astype("Int64").astype("str") if pd.api.types.is_numeric_dtype(raw.dtype) else raw.astype("str")
    zip5, zip4, issue = _by_unique(raw.astype("str"), _zip_parts)
    issue = np.where(pd.isna(raw.to_numpy(dtype=object)), "missing", issue)
    issue_col = "zip_issue" if out == "zip5" else f"{out}_issue"
    result = frame.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = pd.array(zip5, dtype="str")
    if zip4_out:
        result[zip4_out] = pd.array(zip4, dtype="str")
    result[issue_col] = pd.array(issue, dtype="str")
    counts = result[issue_col].value_counts()
    changes = {
        "leading zeros restored": int(counts.get("leading zeros restored", 0)),
        PLUS4_AS_NUMBER: int(counts.get(PLUS4_AS_NUMBER, 0)),
        "ZIP -> missing: not a ZIP code": int(counts.get("not a ZIP code", 0)),
        "ZIP+4 split off": int(result[zip4_out].notna().sum()) if zip4_out else 0,
    }
    flags = {"ZIP missing in the file": int(counts.get("missing", 0))}
    if expected is not None:
        outside = result[out].notna() & ~result[out].isin(list(expected))
        flags["ZIP outside the expected ZIPs"] = int(outside.sum())
    report = StepReport("normalize_zip", len(frame), len(frame), empty_aside(frame), changes, flags)
    return result, report
