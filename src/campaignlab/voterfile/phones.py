"""Normalise phone numbers to 10 digits, and flag numbers shared by many voters.

Most values are handled by a vectorised rule (strip punctuation, drop a leading 1); only the
odd ones (letters, extensions, foreign formats) go to ``phonenumbers``, once per distinct value.

>>> import pandas as pd
>>> voters = pd.DataFrame({"full_phone_number": ["(919) 555-0123", "+1 984.555.0199", "5550123",
...                                              "12", None]})
>>> out, report = normalize_phone(voters)
>>> out["phone"].tolist()
['9195550123', '9845550199', nan, nan, nan]
>>> out["phone_issue"].tolist()
[nan, nan, '7 digits: no area code', 'not a phone number', 'missing']
>>> normalize_phone(voters, default_area_code="919")[0]["phone"].tolist()[:3]
['9195550123', '9845550199', '9195550123']
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns
from campaignlab.voterfile.zips import _by_unique

__all__ = ["normalize_phone", "flag_shared_phones"]

_NANP = r"[2-9]\d{2}[2-9]\d{6}"


@lru_cache(maxsize=200_000)
def _library(raw: str, region: str) -> str | None:
    """phonenumbers' reading of one odd value: 10 national digits or None."""
    import phonenumbers

    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num) or num.country_code != 1:
        return None
    return str(num.national_number)


def _phone_parts(u: pd.Series, region: str, area: str | None) -> tuple[pd.Series, pd.Series]:
    digits = u.str.replace(r"[\s().\-+/]", "", regex=True)
    plain = digits.str.fullmatch(r"\d+").fillna(False)
    digits = digits.where(~(plain & (digits.str.len() == 11) & digits.str.startswith("1")), digits.str[1:])
    ten = plain & digits.str.fullmatch(_NANP).fillna(False)
    seven = plain & digits.str.fullmatch(r"[2-9]\d{6}").fillna(False)
    phone = digits.where(ten)
    issue = pd.Series(pd.NA, index=u.index, dtype="str")
    if area:
        phone = phone.mask(seven, area + digits)
        issue = issue.mask(seven, f"7 digits: area code {area} added")
    else:
        issue = issue.mask(seven, "7 digits: no area code")
    rest = ~ten & ~seven
    if rest.any():
        lib = pd.Series([_library(v, region) for v in u[rest]], index=u.index[rest], dtype="str")
        phone = phone.mask(rest, lib)
        issue = issue.mask(rest & phone.isna(), "not a phone number")
        issue = issue.mask(rest & phone.notna(), "read by phonenumbers")
    return phone, issue


def normalize_phone(
    frame: pd.DataFrame,
    *,
    column: str = "full_phone_number",
    out: str = "phone",
    region: str = "US",
    default_area_code: str | None = None,
) -> tuple[pd.DataFrame, StepReport]:
    """Add a 10-digit phone column and ``f"{out}_issue"`` saying why a phone is missing or fixed.

    Args:
        frame: the frame (not modified; the raw column is kept).
        column: the raw phone column (NC ``full_phone_number``; VAN ``"Pref Phone "`` with its
            trailing space; Action Network ``can2_phone``).
        out: output column.
        region: ``phonenumbers`` region for numbers without a country code.
        default_area_code: add this area code to 7-digit numbers (only if you know they are
            all local); by default they become missing with a reason.

    >>> normalize_phone(pd.DataFrame({"phone": ["9195550123"]}))
    Traceback (most recent call last):
    ...
    KeyError: "normalize_phone: column 'full_phone_number' (parameter column=) is not in the data. Columns found: ['phone']. Map your layout's column with column='<your column>'."
    """
    require_columns(frame, {"column": column}, "normalize_phone")
    if default_area_code is not None and not (len(str(default_area_code)) == 3 and str(default_area_code).isdigit()):
        raise ValueError(f"normalize_phone: default_area_code must be 3 digits, got {default_area_code!r}")
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw.dtype):
        raw = raw.astype("Int64")
    raw = raw.astype("str")
    phone, issue = _by_unique(raw, lambda u: _phone_parts(u, region, default_area_code))
    issue = np.where(raw.isna().to_numpy(), "missing", issue)
    result = frame.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = pd.array(phone, dtype="str")
    result[f"{out}_issue"] = pd.array(issue, dtype="str")
    counts = result[f"{out}_issue"].value_counts()
    changes = {f"phone: {k}": int(v) for k, v in counts.items() if k != "missing"}
    flags = {"phone missing in the file": int(counts.get("missing", 0))}
    report = StepReport("normalize_phone", len(frame), len(frame), empty_aside(frame), changes, flags)
    return result, report


def flag_shared_phones(
    frame: pd.DataFrame, *, phone: str = "phone", threshold: int = 10, out: str = "phone_shared_by"
) -> tuple[pd.DataFrame, StepReport]:
    """Count the voters sharing each phone and flag phones shared by ``threshold`` or more.

    A number on 10+ registrations is a dorm switchboard, a nursing home or a data-entry
    default: don't call it as if it were one voter's. Adds ``out`` (voters on that number,
    missing when no phone) and ``"phone_shared"`` (bool). No row is set aside.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"phone": ["9195550100"] * 3 + ["9195550111", None]})
    >>> out, r = flag_shared_phones(f, threshold=3)
    >>> out["phone_shared"].tolist(), out["phone_shared_by"].tolist()
    ([True, True, True, False, False], [3, 3, 3, 1, <NA>])
    """
    require_columns(frame, {"phone": phone}, "flag_shared_phones")
    if not isinstance(threshold, int | np.integer) or threshold < 2:
        raise ValueError(f"flag_shared_phones: threshold must be an integer >= 2, got {threshold!r}")
    counts = frame.groupby(phone, dropna=True)[phone].transform("size")
    result = frame.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = pd.array(counts.reindex(frame.index), dtype="Int64")
    shared = (result[out] >= threshold).fillna(False).astype(bool)
    result["phone_shared"] = shared
    flags = {f"phone shared by {threshold}+ voters": int(shared.sum())}
    report = StepReport("flag_shared_phones", len(frame), len(frame), empty_aside(frame), {}, flags)
    return result, report
