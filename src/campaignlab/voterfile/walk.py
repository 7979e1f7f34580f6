"""Put voters in the order a canvasser walks: precinct, street, side of the street, house, unit.

Sorting ``res_street_address`` as text sorts by house number first (``1022 ORCHARD GATE LN``,
``1029 ...``, ``1075 MAPLESHADE AVE``): a canvasser following it would zig-zag across town.
A walk list goes precinct by precinct (turf is cut by precinct), street by street, one side of
the street at a time (odd house numbers on one side, even on the other, as US addressing puts
them), house number up, then apartment or unit. ``walk_order`` parses each address with the
toolkit's address standardiser (``normalize_address``: a fast rule, then ``usaddress``) and sorts
on those parts. Addresses it cannot place on a street (PO boxes, ``REMOVED``, text it cannot
parse) go last in their precinct with the reason in ``walk_issue``: flagged, never dropped.

>>> import pandas as pd
>>> voters = pd.DataFrame({
...     "ncid": ["AL1", "AL2", "AL3", "AL4", "AL5", "AL6"],
...     "precinct_abbrv": ["02", "01", "01", "01", "01", "01"],
...     "res_street_address": ["5 ELM ST", "1075 MAPLESHADE AVE", "1029 ORCHARD GATE LN",
...                            "1022 ORCHARD GATE LN", "12 MAPLESHADE AVE APT 10", "12 MAPLESHADE AVE APT 9"]})
>>> walked, report = walk_order(voters)
>>> walked[["ncid", "walk_street", "walk_side", "walk_number", "walk_unit"]].values.tolist()
[['AL2', 'MAPLESHADE AVE', 'odd', 1075, nan], ['AL6', 'MAPLESHADE AVE', 'even', 12, '9'], ['AL5', 'MAPLESHADE AVE', 'even', 12, '10'], ['AL3', 'ORCHARD GATE LN', 'odd', 1029, nan], ['AL4', 'ORCHARD GATE LN', 'even', 1022, nan], ['AL1', 'ELM ST', 'odd', 5, nan]]
>>> walked["walk_stop"].tolist()
[1, 2, 3, 4, 5, 1]
>>> same_door = pd.DataFrame({"precinct_abbrv": ["01"] * 3,
...                           "res_street_address": ["4 OAK ST", "REMOVED", "4 Oak Street"]})
>>> walked, report = walk_order(same_door)
>>> walked["walk_stop"].tolist(), walked["walk_issue"].tolist()
([1, 1, <NA>], [nan, nan, "placeholder 'REMOVED'"])
>>> report.flags
{"not placed on a street: placeholder 'REMOVED'": 1}
>>> report.rows_in == report.rows_kept
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from campaignlab.voterfile.addresses import normalize_address
from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text

__all__ = ["walk_order"]

_PARTS = "_walk"  # prefix of normalize_address's columns while we work; dropped afterwards


def _natural(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Sort keys for house numbers or units: the leading whole number, then the text ("12A")."""
    number = pd.to_numeric(values.str.extract(r"^(\d+)", expand=False), errors="coerce")
    return number.to_numpy(dtype=float), values.fillna("")


def walk_order(
    frame: pd.DataFrame,
    *,
    precinct: str | None = "precinct_abbrv",
    address: str = "res_street_address",
) -> tuple[pd.DataFrame, StepReport]:
    """Sort voters into walk order and number the stops of each precinct.

    Order: precinct, street, side (odd house numbers first, then even), house number, unit.
    New columns: ``walk_street``, ``walk_side`` (``"odd"``/``"even"``), ``walk_number`` (the
    house number as a whole number), ``walk_unit``, ``walk_stop`` (the door: 1, 2, ...
    within each precinct; voters behind one door share it; empty for rows not placed) and ``walk_issue`` (why
    an address could not be placed on a street; those rows come last in their precinct). No
    row is set aside.

    Args:
        frame: voters (not modified), addresses as text.
        precinct: the turf column (NC ``precinct_abbrv``), or ``None`` for one turf.
        address: the street-address column (NC ``res_street_address``; VAN ``vAddress``).

    Returns:
        ``(the rows in walk order, report)``; the index is kept so rows can be joined back.

    >>> walk_order(pd.DataFrame({"res_street_address": ["1 OAK ST"]}))
    Traceback (most recent call last):
    ...
    KeyError: "walk_order: column 'precinct_abbrv' (parameter precinct=) is not in the data. Columns found: ['res_street_address']. Map your layout's column with precinct='<your column>'."
    """
    require_columns(frame, {"precinct": precinct, "address": address}, "walk_order")
    require_text(frame, address, "walk_order")
    parts, _ = normalize_address(frame[[address]], column=address, prefix=_PARTS)
    street = parts[f"{_PARTS}_street"]
    number_text = parts[f"{_PARTS}_number"]
    unit = parts[f"{_PARTS}_unit"]
    house, house_text = _natural(number_text)
    unit_n, unit_text = _natural(unit)
    placed = street.notna().to_numpy() & ~np.isnan(house)
    side = np.where(~placed, None, np.where(np.nan_to_num(house) % 2 == 1, "odd", "even"))
    issue = parts[f"{_PARTS}_issue"].where(~placed, pd.NA)
    issue = issue.where(~(~placed & issue.isna()), "no house number")
    keys = pd.DataFrame(
        {
            "turf": frame[precinct].astype("str").fillna("") if precinct else "",
            "unplaced": ~placed,
            "street": street.fillna("").to_numpy(),
            "side": (side == "even").astype(int),
            "house": house,
            "house_text": house_text.to_numpy(),
            "unit_n": unit_n,
            "unit_text": unit_text.to_numpy(),
            "pos": np.arange(len(frame)),
        },
        index=frame.index,
    )
    keys = keys.sort_values(list(keys.columns), na_position="first", kind="stable")
    order = keys["pos"].to_numpy()
    result = frame.iloc[order].copy(deep=False)
    result["walk_street"] = pd.array(street.to_numpy()[order], dtype="str")
    result["walk_side"] = pd.array(side[order], dtype="str")
    result["walk_number"] = pd.array(np.where(placed, house, np.nan)[order], dtype="Int64")
    result["walk_unit"] = pd.array(unit.to_numpy()[order], dtype="str")
    door = keys[["turf", "street", "house_text", "unit_text"]].reset_index(drop=True)
    new_door = door.ne(door.shift()).any(axis=1) & ~keys["unplaced"].to_numpy()
    stop = new_door.astype(int).groupby(door["turf"].to_numpy()).cumsum()
    result["walk_stop"] = pd.array(stop.where(~keys["unplaced"].to_numpy()).to_numpy(), dtype="Int64")
    result["walk_issue"] = pd.array(issue.to_numpy()[order], dtype="str")
    flags = {f"not placed on a street: {k}": int(v) for k, v in result["walk_issue"].value_counts().items()}
    report = StepReport("walk_order", len(frame), len(result), empty_aside(frame), {}, flags)
    return result, report
