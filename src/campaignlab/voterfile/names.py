"""Normalise voter names: case, spacing, punctuation, and suffixes typed into the last name.

>>> import pandas as pd
>>> voters = pd.DataFrame({"first_name": [" mary ann", "Bill"], "middle_name": ["Lou", None],
...                        "last_name": ["o'neil", "SMITH JR"], "name_suffix_lbl": [None, None]})
>>> clean, report = normalize_names(voters)
>>> clean[["first_name", "last_name", "name_suffix_lbl"]].to_dict("records")
[{'first_name': 'MARY ANN', 'last_name': "O'NEIL", 'name_suffix_lbl': nan}, {'first_name': 'BILL', 'last_name': 'SMITH', 'name_suffix_lbl': 'JR'}]
>>> report.changes
{'case or spacing': 4, 'suffix moved out of last name': 1}
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text

__all__ = ["normalize_names", "NICKNAMES", "canonical_first_name", "phonetic_key"]

SUFFIXES = ("JR", "SR", "II", "III", "IV")

#: Nickname -> formal first name (common US usage; a convention, extend it for your state).
#: Several formal names can share a nickname (CHRIS): the first listed wins for blocking,
#: and the matchers treat any listed pair as equivalent. The synthetic county draws its
#: nicknames from this table too (``campaignlab.synth.names``, ``campaignlab.synth.digital``),
#: by position: append names and nicknames freely, but reordering or removing one changes
#: the canonical datasets.
_FORMAL = {
    "WILLIAM": "BILL WILL BILLY WILLIE LIAM", "ROBERT": "BOB ROB BOBBY ROBBIE BERT",
    "JAMES": "JIM JIMMY JAMIE", "JOHN": "JACK JOHNNY JON", "MICHAEL": "MIKE MICKEY MIKEY",
    "RICHARD": "RICK RICH DICK RICKY RICHIE", "THOMAS": "TOM TOMMY", "CHARLES": "CHUCK CHARLIE CHAS",
    "JOSEPH": "JOE JOEY", "DANIEL": "DAN DANNY", "CHRISTOPHER": "CHRIS TOPHER", "MATTHEW": "MATT",
    "ANTHONY": "TONY", "DAVID": "DAVE DAVEY", "STEVEN": "STEVE", "STEPHEN": "STEVE",
    "EDWARD": "ED EDDIE TED NED", "KENNETH": "KEN KENNY", "ANDREW": "ANDY DREW",
    "JOSHUA": "JOSH", "BENJAMIN": "BEN BENNY", "SAMUEL": "SAM SAMMY", "NICHOLAS": "NICK",
    "ALEXANDER": "ALEX AL", "TIMOTHY": "TIM TIMMY", "PATRICK": "PAT", "GREGORY": "GREG",
    "DONALD": "DON DONNIE", "RONALD": "RON RONNIE", "GERALD": "JERRY", "LAWRENCE": "LARRY",
    "PETER": "PETE", "JONATHAN": "JON", "JEFFREY": "JEFF", "ALBERT": "AL", "ARTHUR": "ART",
    "FREDERICK": "FRED FREDDIE", "HENRY": "HANK HARRY", "LEONARD": "LEN LENNY", "RAYMOND": "RAY",
    "EUGENE": "GENE", "FRANCIS": "FRANK", "FRANKLIN": "FRANK", "PHILIP": "PHIL",
    "PHILLIP": "PHIL", "VINCENT": "VINCE", "ZACHARY": "ZACK ZACH", "NATHANIEL": "NATE NAT",
    "NATHAN": "NATE", "DOUGLAS": "DOUG", "WALTER": "WALT", "HAROLD": "HAL HARRY",
    "ELIZABETH": "LIZ BETH BETSY LIZZIE ELIZA LIZA BETTY", "JENNIFER": "JEN JENNY",
    "PATRICIA": "PATTY TRISH PAT TRICIA", "MARGARET": "MAGGIE PEGGY MEG", "SUSAN": "SUE SUSIE",
    "DEBORAH": "DEBBIE DEB", "DEBRA": "DEBBIE DEB", "KATHERINE": "KATE KATIE KATHY KAT",
    "CATHERINE": "CATHY KATE CATE", "KATHLEEN": "KATHY KATE", "CHRISTINE": "CHRIS TINA CHRISSY",
    "CHRISTINA": "TINA CHRIS", "REBECCA": "BECKY BECCA", "JESSICA": "JESS JESSIE",
    "SAMANTHA": "SAM SAMMY", "VICTORIA": "VICKY TORI VICKIE", "ABIGAIL": "ABBY",
    "ALEXANDRA": "ALEX ALLIE", "KIMBERLY": "KIM", "PAMELA": "PAM", "BARBARA": "BARB BARBIE",
    "SANDRA": "SANDY", "CYNTHIA": "CINDY", "JACQUELINE": "JACKIE", "STEPHANIE": "STEPH",
    "ANGELA": "ANGIE", "THERESA": "TERRY TESS", "MARY": "MOLLY POLLY MAE", "DOROTHY": "DOT DOTTIE",
    "JUDITH": "JUDY", "VIRGINIA": "GINNY", "ELEANOR": "ELLIE NELL", "SUZANNE": "SUE",
    "JANET": "JAN", "CAROLYN": "CAROL", "SHARON": "SHARI", "DONNA": "DONNIE", "NANCY": "NAN",
    "ROBERTA": "BOBBIE", "FRANCES": "FRAN", "ALICE": "ALLIE", "HELEN": "NELL",
}  # fmt: skip
NICKNAMES: dict[str, tuple[str, ...]] = {k: tuple(v.split()) for k, v in _FORMAL.items()}
_NICK_TO_FORMAL: dict[str, str] = {}
for _formal, _nicks in NICKNAMES.items():
    for _n in _nicks:
        _NICK_TO_FORMAL.setdefault(_n, _formal)
#: (a, b) pairs of first names that name the same person (both orders).
NAME_EQUIVALENTS: frozenset[tuple[str, str]] = frozenset(
    {(f, n) for f, ns in NICKNAMES.items() for n in ns} | {(n, f) for f, ns in NICKNAMES.items() for n in ns}
    | {(a, b) for ns in NICKNAMES.values() for a in ns for b in ns}
)  # fmt: skip


def canonical_first_name(first: pd.Series) -> pd.Series:
    """Map nicknames to a formal name (upper-case input), vectorised.

    >>> canonical_first_name(pd.Series(["BILL", "ANN", None])).tolist()
    ['WILLIAM', 'ANN', nan]
    """
    mapped = first.map(_NICK_TO_FORMAL)
    return mapped.where(mapped.notna(), first).astype("str")


@cache
def _metaphone(value: str) -> str:
    import jellyfish

    return jellyfish.metaphone(value) or value


def phonetic_key(names: pd.Series) -> pd.Series:
    """Metaphone of each name (computed once per distinct name), for blocking.

    >>> phonetic_key(pd.Series(["SMITH", "SMYTHE", None])).tolist()
    ['SM0', 'SM0', nan]
    """
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    keys = np.array([_metaphone(str(u).replace(" ", "")) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[codes], index=names.index, dtype="str")


def _clean(s: pd.Series) -> pd.Series:
    """Upper case, punctuation except ' and - removed, spaces collapsed, blank -> missing.

    Works on the distinct values only (a state file has far fewer names than rows).
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str")
    u = (
        u.str.upper()
        .str.replace(r"[^A-Z0-9' -]+", " ", regex=True)
        .str.replace(r" {2,}", " ", regex=True)
        .str.strip()
    )
    u = u.where(u.str.len() > 0)
    values = np.append(u.to_numpy(dtype=object), None)[np.where(codes < 0, len(u), codes)]
    return pd.Series(values, index=s.index, dtype="str")


def split_suffix(last: pd.Series) -> pd.DataFrame:
    """Columns 0 (surname) and 1 (suffix) where a suffix ends the last name, else missing.

    >>> split_suffix(pd.Series(["SMITH JR", "VAN BUREN", None])).values.tolist()
    [['SMITH', 'JR'], [nan, nan], [nan, nan]]
    """
    codes, uniques = pd.factorize(last, use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str").str.extract(r"^(.+?)[ ,]+(JR|SR|II|III|IV)$")
    take = np.where(codes < 0, len(u), codes)
    cols = {i: pd.Series(np.append(u[i].to_numpy(dtype=object), None)[take], index=last.index, dtype="str")
            for i in (0, 1)}  # fmt: skip
    return pd.DataFrame(cols)


def normalize_names(
    voters: pd.DataFrame,
    *,
    first: str = "first_name",
    middle: str | None = "middle_name",
    last: str = "last_name",
    suffix: str | None = "name_suffix_lbl",
) -> tuple[pd.DataFrame, StepReport]:
    """Upper-case and tidy name columns; move JR/SR/II/III/IV typed into the last name.

    Punctuation other than apostrophes and hyphens becomes a space, runs of spaces collapse,
    blanks become missing, and ``"JR."`` becomes ``"JR"``. A suffix found at the end of the
    last name moves to the suffix column when that is empty (``"SMITH JR"`` -> ``SMITH``,
    ``JR``); multi-word surnames (``VAN BUREN``) are left alone. No row is set aside.

    Args:
        voters: the voter frame (not modified).
        first, middle, last, suffix: column names (NC defaults); pass ``None`` for a
            column your layout lacks (middle, suffix).

    Returns:
        ``(voters with cleaned name columns, report)``; ``report.changes`` counts values
        changed per kind.

    >>> normalize_names(pd.DataFrame({"first_name": ["ann"]}), last="surname", middle=None, suffix=None)
    Traceback (most recent call last):
    ...
    KeyError: "normalize_names: column 'surname' (parameter last=) is not in the data. Columns found: ['first_name']. Map your layout's column with last='<your column>'."
    """
    require_columns(voters, {"first": first, "middle": middle, "last": last, "suffix": suffix}, "normalize_names")
    cols = [c for c in (first, middle, last, suffix) if c is not None]
    for c in cols:
        require_text(voters, c, "normalize_names")
    out = voters.copy(deep=False)  # copy-on-write: the input is never modified
    changed = 0
    for c in (first, middle, last):
        if c is None:
            continue
        new = _clean(voters[c])
        changed += int(((new != voters[c].astype("str")) & voters[c].notna()).fillna(False).sum())
        out[c] = new
    moved = dotted = 0
    if suffix is not None:
        sfx = _clean(voters[suffix]).str.replace(r"\.$", "", regex=True)
        sfx = sfx.str.replace(" ", "", regex=False)
        dotted = int((voters[suffix].astype("str").str.strip().str.upper().str.endswith(".")).fillna(False).sum())
        tail = split_suffix(out[last])
        movable = tail[0].notna() & (sfx.isna() | (sfx == tail[1]))
        out[last] = out[last].where(~movable, tail[0])
        sfx = sfx.where(~movable | sfx.notna(), tail[1])
        moved = int(movable.sum())
        out[suffix] = sfx.astype("str")
    report = StepReport(
        "normalize_names",
        rows_in=len(voters),
        rows_kept=len(voters),
        set_aside=empty_aside(voters),
        changes={"case or spacing": changed, "suffix moved out of last name": moved, "suffix period removed": dotted},
    )
    return out, report
