"""Standardise residential street addresses; keep the raw value when an address won't parse.

A vectorised rule reads the common ``NUMBER STREET [UNIT]`` form and standardises suffixes,
directions and unit words (USPS Publication 28 abbreviations); the rest goes to ``usaddress``
once per distinct value. ``usaddress`` raises ``RepeatedLabelError`` on ambiguous strings
("123 MAIN ST 456 OAK AVE"): those keep their raw text, with a reason.

>>> import pandas as pd
>>> voters = pd.DataFrame({"res_street_address": [
...     "12 North Main Street Apt. 4", "12 N MAIN ST # 4", "REMOVED", "PO BOX 12", None,
...     "ONE OAK AVENUE"]})
>>> out, report = normalize_address(voters)
>>> out["address_std"].tolist()
['12 N MAIN ST APT 4', '12 N MAIN ST APT 4', nan, 'PO BOX 12', nan, 'ONE OAK AVE']
>>> out["address_issue"].tolist()
[nan, nan, "placeholder 'REMOVED'", 'PO box, not a residence', 'missing', 'parsed by usaddress']
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text
from campaignlab.voterfile.zips import _by_unique

__all__ = ["normalize_address", "STREET_SUFFIXES"]

#: Long form -> USPS abbreviation (Publication 28, the common ones).
STREET_SUFFIXES = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE", "ROAD": "RD",
    "DRIVE": "DR", "DRV": "DR", "LANE": "LN", "COURT": "CT", "CRT": "CT", "TRAIL": "TRL",
    "BOULEVARD": "BLVD", "CIRCLE": "CIR", "PLACE": "PL", "PARKWAY": "PKWY", "HIGHWAY": "HWY",
    "TERRACE": "TER", "SQUARE": "SQ", "LOOP": "LOOP", "RUN": "RUN", "PIKE": "PIKE",
    "EXTENSION": "EXT", "CROSSING": "XING", "POINT": "PT", "RIDGE": "RDG", "COVE": "CV",
    "HOLLOW": "HOLW", "MOUNT": "MT", "MOUNTAIN": "MTN", "STATION": "STA",
}  # fmt: skip
DIRECTIONS = {"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE",
              "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW"}  # fmt: skip
UNITS = {"APARTMENT": "APT", "APT": "APT", "#": "APT", "UNIT": "UNIT", "SUITE": "STE", "STE": "STE",
         "LOT": "LOT", "ROOM": "RM", "RM": "RM", "TRAILER": "TRLR", "TRLR": "TRLR", "SPACE": "SPC",
         "SPC": "SPC", "BUILDING": "BLDG", "BLDG": "BLDG", "DORM": "RM"}  # fmt: skip
_WORDS = {**STREET_SUFFIXES, **DIRECTIONS, "APARTMENT": "APT", "SUITE": "STE", "ROOM": "RM", "TRAILER": "TRLR"}
_WORD_RE = re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b")
_UNIT_WORDS = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_SUFFIX_ABBR = sorted(set(STREET_SUFFIXES.values()) | {"WAY", "ALY", "PATH", "ROW", "WALK", "CRES", "GRV"})
_SUFFIX_WORDS = "|".join(_SUFFIX_ABBR)
# the fast path: NUMBER [DIR] NAME SUFFIX [DIR] [UNIT]; anything else goes to usaddress
_ADDRESS_RE = (
    r"^(?P<number>\d+[A-Z]?(?:-\d+)?(?: 1/2)?) "
    r"(?P<street>(?:(?:N|S|E|W|NE|NW|SE|SW) )?[A-Z][A-Z0-9' -]*? (?:" + _SUFFIX_WORDS + r")(?: (?:N|S|E|W|NE|NW|SE|SW))?)"
    r"(?: (?P<unit_type>" + _UNIT_WORDS + r") ?(?P<unit>[A-Z0-9-]+))?$"
)
_TWO_ADDRESSES = r"\b(?:" + _SUFFIX_WORDS + r") \d"
_PLACEHOLDERS = ("REMOVED", "CONFIDENTIAL", "UNKNOWN", "NONE", "N/A", "NA")


@lru_cache(maxsize=500_000)
def _usaddress(raw: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(number, street, unit, reason) from usaddress; street None when it cannot parse."""
    import usaddress

    try:
        tags, kind = usaddress.tag(raw)
    except usaddress.RepeatedLabelError:
        return None, None, None, "could not parse (ambiguous): kept raw"
    if kind != "Street Address" or "AddressNumber" not in tags or "StreetName" not in tags:
        return None, None, None, "could not parse: kept raw"
    parts = [tags.get(k) for k in ("StreetNamePreDirectional", "StreetNamePreType", "StreetName",
                                   "StreetNamePostType", "StreetNamePostDirectional")]  # fmt: skip
    street = " ".join(p for p in parts if p)
    street = _WORD_RE.sub(lambda m: _WORDS[m.group(1)], street)
    unit = tags.get("OccupancyIdentifier")
    if unit:
        unit = unit.lstrip("#").strip() or None
    return tags["AddressNumber"], street, unit, "parsed by usaddress"


def _address_parts(u: pd.Series) -> tuple[pd.Series, ...]:
    s = u.str.upper().str.replace(r"[.,;]", " ", regex=True).str.replace(r"[ \t]+", " ", regex=True).str.strip()
    s = s.str.replace(r"# *", "# ", regex=True)
    s = s.str.replace(_WORD_RE.pattern, lambda m: _WORDS[m.group(1)], regex=True)
    placeholder = s.isin(_PLACEHOLDERS)
    pobox = s.str.contains(r"^(?:P ?O ?BOX|POST OFFICE BOX|BOX) \w+", regex=True).fillna(False)
    parts = s.str.extract(_ADDRESS_RE)
    two = parts["street"].str.contains(_TWO_ADDRESSES, regex=True).fillna(False)
    ok = parts["number"].notna() & ~two & ~placeholder & ~pobox
    number = parts["number"].where(ok)
    street = parts["street"].where(ok)
    unit = parts["unit"].where(ok)
    issue = pd.Series(pd.NA, index=u.index, dtype="str")
    issue = issue.mask(placeholder, "placeholder '" + s + "'").mask(pobox, "PO box, not a residence")
    rest = ~ok & ~placeholder & ~pobox & (s.str.len() > 0)
    if rest.any():
        lib = [_usaddress(v) for v in s[rest]]
        idx = u.index[rest]
        number = number.mask(rest, pd.Series([x[0] for x in lib], index=idx, dtype="str"))
        street = street.mask(rest, pd.Series([x[1] for x in lib], index=idx, dtype="str"))
        unit = unit.mask(rest, pd.Series([x[2] for x in lib], index=idx, dtype="str"))
        issue = issue.mask(rest, pd.Series([x[3] for x in lib], index=idx, dtype="str"))
    parsed = street.notna()
    unit_txt = ("APT " + unit).where(unit.notna(), "")
    std = (number + " " + street + " " + unit_txt).str.strip().where(parsed)
    std = std.where(~pobox, s).where(~(rest & ~parsed), s)  # PO boxes and unparsed keep the text
    return number, street, unit, std, issue


def normalize_address(
    frame: pd.DataFrame,
    *,
    column: str = "res_street_address",
    prefix: str = "address",
) -> tuple[pd.DataFrame, StepReport]:
    """Add a standardised address and its parts; say why any address is missing or kept raw.

    New columns: ``f"{prefix}_std"`` (``"12 N MAIN ST APT 4"``; the cleaned raw text when it
    cannot be parsed; missing for placeholders such as NC's ``REMOVED``),
    ``f"{prefix}_number"``, ``f"{prefix}_street"``, ``f"{prefix}_unit"`` and
    ``f"{prefix}_issue"``. Every unit word (APT, #, UNIT, STE...) is written ``APT`` in
    ``_std`` so the same flat matches however it was typed. No row is set aside.

    Args:
        frame: the frame (not modified).
        column: the street-address column (NC ``res_street_address``; VAN ``vAddress``;
            Action Network ``can2_user_address``).
        prefix: prefix of the new columns.

    >>> normalize_address(pd.DataFrame({"res_street_address": [12]}))
    Traceback (most recent call last):
    ...
    TypeError: normalize_address: column 'res_street_address' holds int64, not text. Read the file with dtype=str (read_voter_file does) so IDs, ZIPs and phones keep their leading zeros.
    """
    require_columns(frame, {"column": column}, "normalize_address")
    require_text(frame, column, "normalize_address")
    raw = frame[column].astype("str")
    number, street, unit, std, issue = _by_unique(raw, _address_parts)
    issue = np.where(raw.isna().to_numpy(), "missing", issue)
    result = frame.copy(deep=False)  # copy-on-write: the input is never modified
    for name, values in (("std", std), ("number", number), ("street", street), ("unit", unit), ("issue", issue)):
        result[f"{prefix}_{name}"] = pd.array(values, dtype="str")
    counts = result[f"{prefix}_issue"].value_counts()
    changes = {f"address: {k}": int(v) for k, v in counts.items() if k != "missing"}
    std_s = result[f"{prefix}_std"]
    changes["address rewritten in standard form"] = int((std_s.notna() & (std_s != raw)).sum())
    flags = {"address missing in the file": int(counts.get("missing", 0))}
    report = StepReport("normalize_address", len(frame), len(frame), empty_aside(frame), changes, flags)
    return result, report
