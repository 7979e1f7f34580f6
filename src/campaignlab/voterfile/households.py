"""Group voters into households by standardised residential address.

>>> import pandas as pd
>>> voters = pd.DataFrame({
...     "ncid": ["AL1", "AL2", "AL3", "AL4"],
...     "address_std": ["1 OAK ST", "1 OAK ST", "1 OAK ST APT 2", None],
...     "zip5": ["00301", "00301", "00301", None]})
>>> out, report = assign_households(voters)
>>> out["household_id"].tolist(), out["household_size"].tolist()
([1, 1, 2, <NA>], [2, 2, 1, <NA>])
>>> out["household_issue"].tolist()
[nan, nan, nan, 'no residential address']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns

__all__ = ["assign_households"]


def assign_households(
    voters: pd.DataFrame,
    *,
    address: str = "address_std",
    zip: str | None = "zip5",
    city: str | None = None,
    max_size: int = 10,
    out: str = "household_id",
) -> tuple[pd.DataFrame, StepReport]:
    """Give voters at the same address (unit included) the same household number.

    Run :func:`normalize_address` first so "12 MAIN STREET #4" and "12 MAIN ST APT 4" agree.
    Addresses with more than ``max_size`` voters are group quarters (dorms, nursing homes,
    shelters): one mailer per voter there, so each voter is a household of one, flagged.
    Voters without a residential address (removed, confidential) get no household, flagged.
    No row is set aside.

    Args:
        voters: the voter frame (not modified).
        address: standardised address column (with the unit).
        zip, city: columns that disambiguate the same street address in two towns.
        max_size: largest believable household.
        out: household column (integers from 1 in file order); also adds
            ``household_size`` and ``household_issue``.

    >>> assign_households(pd.DataFrame({"res_street_address": ["1 OAK ST"]}))
    Traceback (most recent call last):
    ...
    KeyError: "assign_households: columns 'address_std' (parameter address=), 'zip5' (parameter zip=) are not in the data. Columns found: ['res_street_address']. Map your layout's columns with address='<your column>', zip='<your column>'."
    """
    require_columns(voters, {"address": address, "zip": zip, "city": city}, "assign_households")
    if not isinstance(max_size, int | np.integer) or max_size < 1:
        raise ValueError(f"assign_households: max_size must be a positive integer, got {max_size!r}")
    keys = [c for c in (address, zip, city) if c is not None]
    addr = voters[address].astype("str").str.upper().str.replace(r"[ \t]+", " ", regex=True).str.strip()
    has = addr.notna() & (addr.str.len() > 0) & ~addr.isin(["REMOVED", "CONFIDENTIAL"])
    frame = pd.DataFrame({"a": addr.to_numpy()})
    for i, c in enumerate(keys[1:]):
        frame[f"k{i}"] = voters[c].astype("str").fillna("").to_numpy()
    code = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy()
    code = np.where(has.to_numpy(), code, -1)
    size = np.bincount(code[code >= 0], minlength=code.max() + 2 if len(code) else 1)
    n_at = np.where(code >= 0, size[np.maximum(code, 0)], 0)
    group_q = (code >= 0) & (n_at > max_size)
    # households: address groups, but each group-quarters resident on their own
    valid = code >= 0
    hh_key = np.where(group_q, -(np.arange(len(code), dtype=np.float64) + 2), code.astype(np.float64))
    hh, _ = pd.factorize(np.where(valid, hh_key, np.nan), use_na_sentinel=True)  # first-appearance order
    hh_id = hh + 1
    hh_size = np.bincount(hh_id)[hh_id]
    result = voters.copy(deep=False)  # copy-on-write: the input is never modified
    result[out] = pd.array(np.where(valid, hh_id, None), dtype="Int64")
    result["household_size"] = pd.array(np.where(valid, hh_size, None), dtype="Int64")
    issue = np.where(~valid, "no residential address", None)
    issue = np.where(group_q, f"group quarters (more than {max_size} voters at the address): one household each", issue)
    result["household_issue"] = pd.array(issue, dtype="str")
    flags = {
        "no residential address: no household": int((~valid).sum()),
        f"group quarters (>{max_size} voters at one address): own household": int(group_q.sum()),
        "households": int(hh.max() + 1) if len(hh) else 0,
    }
    report = StepReport("assign_households", len(voters), len(voters), empty_aside(voters), {}, flags)
    return result, report
