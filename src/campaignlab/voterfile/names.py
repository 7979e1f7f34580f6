"""Normalise voter names: case, spacing, punctuation, and suffixes typed into the last name.

A name comes out as the voter wrote it, in capitals: accents and letters such as Ñ are kept
(ANDRÉS, CASTAÑEDA). Comparing and blocking use a separate ASCII *matching key*
(:func:`matching_key`: ANDRES, CASTANEDA), so ANDRÉS and a list's ANDRES still meet.

>>> import pandas as pd
>>> voters = pd.DataFrame({"first_name": [" mary ann", "Bill", "andrés"], "middle_name": ["Lou", None, None],
...                        "last_name": ["o'neil", "SMITH JR", "Castañeda"], "name_suffix_lbl": [None, None, None]})
>>> clean, report = normalize_names(voters)
>>> clean[["first_name", "last_name", "name_suffix_lbl"]].to_dict("records")[1:]
[{'first_name': 'BILL', 'last_name': 'SMITH', 'name_suffix_lbl': 'JR'}, {'first_name': 'ANDRÉS', 'last_name': 'CASTAÑEDA', 'name_suffix_lbl': nan}]
>>> clean["last_name_key"].tolist()
["O'NEIL", 'SMITH', 'CASTANEDA']
>>> report.changes
{'case or spacing': 6, 'suffix moved out of last name': 1}
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np
import pandas as pd

from campaignlab.voterfile.report import StepReport, empty_aside, require_columns, require_text

__all__ = ["normalize_names", "matching_key", "repair_mojibake", "NICKNAMES", "canonical_first_name", "phonetic_key"]

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
    keys = [_metaphone(k.replace(" ", "")) if (k := _ascii_key(str(u))) else None for u in uniques]
    keys = np.array(keys + [None], dtype=object)
    return pd.Series(keys[codes], index=names.index, dtype="str")


_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4]")  # curly and other apostrophes -> '
_NOT_NAME = re.compile(r"[^\w' -]+|_+")  # \w is Unicode here: letters with accents stay
_NOT_KEY = re.compile(r"[^A-Z0-9' -]+")


def _tidy(value: str) -> str | None:
    """One name as written, in capitals: accents kept, punctuation except ' and - -> space."""
    text = _APOSTROPHES.sub("'", unicodedata.normalize("NFC", value).upper())
    text = " ".join(_NOT_NAME.sub(" ", text).split())
    return text or None


def _ascii_key(value: str) -> str | None:
    """The ASCII matching key of one tidied name (unidecode: É -> E, Ñ -> N, Ø -> O)."""
    if not value.isascii():
        from unidecode import unidecode

        value = unidecode(value).upper()
    text = " ".join(_NOT_KEY.sub(" ", value).split())
    return text or None


def _tidy_and_key(s: pd.Series, repair: bool = True) -> tuple[pd.Series, pd.Series, int]:
    """(names as written, ASCII keys, rows whose mojibake was repaired), from one factorisation.

    A state file has far fewer names than rows, and nearly all are ASCII: for those the name
    and its key are the same (upper case, punctuation except ' and - -> space, spaces
    collapsed), done on all at once with Arrow. Only the non-ASCII ones go through
    ``ftfy`` (mojibake), :func:`_tidy` and ``unidecode``, one distinct value at a time.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    arr = pa.array(np.asarray(uniques, dtype=object), type=pa.string())
    up = pc.replace_substring(pc.utf8_upper(arr), "`", "'")
    up = pc.replace_substring_regex(up, r"[^A-Z0-9' -]+", " ")
    up = pc.utf8_trim(pc.replace_substring_regex(up, " {2,}", " "), " ")
    tidy = np.array(up.to_pylist() + [None], dtype=object)
    tidy[:-1][tidy[:-1] == ""] = None
    key = tidy.copy()
    odd = np.flatnonzero(~pc.string_is_ascii(arr).to_numpy(zero_copy_only=False))
    repaired_rows = 0
    if len(odd):
        import ftfy
        from ftfy.badness import is_bad

        rows = np.bincount(codes[codes >= 0], minlength=len(uniques))
        for i in odd:
            value = str(uniques[i])
            if repair and is_bad(value):
                fixed = ftfy.fix_encoding(value)
                repaired_rows += int(rows[i]) if fixed != value else 0
                value = fixed
            tidy[i] = _tidy(value)
            key[i] = None if tidy[i] is None else _ascii_key(tidy[i])
    take = pa.array(np.where(codes < 0, len(uniques), codes))

    def spread(values: np.ndarray) -> pd.Series:  # an Arrow take: no Python object per row
        return pd.Series(pd.array(pc.take(pa.array(values, type=pa.string()), take), dtype="str"), index=s.index)

    return spread(tidy), spread(key), repaired_rows


def _clean(s: pd.Series) -> pd.Series:
    """Upper case, accents kept, punctuation except ' and - removed, spaces collapsed, blank -> missing.

    >>> _clean(pd.Series(["  andrés ", "o’neil", "J.R.", " "])).tolist()
    ['ANDRÉS', "O'NEIL", 'J R', nan]
    """
    return _tidy_and_key(s, repair=False)[0]


def matching_key(names: pd.Series) -> pd.Series:
    """ASCII key of each name for blocking and comparison: capitals, accents folded (unidecode).

    Never a name to print or mail: the display name is :func:`normalize_names`' output.
    Mojibake is repaired first (CASTAÃ‘EDA -> CASTANEDA).

    >>> matching_key(pd.Series(["Andrés", "CASTAÑEDA", "Øster-Gård", "o’neil", "CASTAÃ‘EDA", None])).tolist()
    ['ANDRES', 'CASTANEDA', 'OSTER-GARD', "O'NEIL", 'CASTANEDA', nan]
    """
    return _tidy_and_key(names)[1]


def repair_mojibake(names: pd.Series) -> tuple[pd.Series, int]:
    """Undo mojibake (UTF-8 once read as cp1252 by another program: CASTAÃ‘EDA) with ``ftfy``.

    Only values ``ftfy`` judges bad are touched. Returns the repaired names and how many
    rows changed.

    >>> repair_mojibake(pd.Series(["CASTAÃ‘EDA", "CASTAÑEDA", None]))
    (0    CASTAÑEDA
    1    CASTAÑEDA
    2          NaN
    dtype: str, 1)
    """
    import ftfy
    from ftfy.badness import is_bad

    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    fixed = [ftfy.fix_encoding(v) if not v.isascii() and is_bad(v) else v for v in map(str, uniques)]
    changed = np.array([a != b for a, b in zip(map(str, uniques), fixed, strict=True)] + [False])
    take = np.where(codes < 0, len(fixed), codes)
    out = pd.Series(np.array(fixed + [None], dtype=object)[take], index=names.index, dtype="str")
    return out, int(changed[take].sum())


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
    key_suffix: str | None = "_key",
) -> tuple[pd.DataFrame, StepReport]:
    """Upper-case and tidy name columns, keeping accents; move JR/SR/II/III/IV out of the last name.

    Names keep every letter as written (ANDRÉS, CASTAÑEDA, capitals); mojibake left by an
    earlier program (CASTAÃ‘EDA) is repaired with ``ftfy`` and counted. Punctuation other
    than apostrophes and hyphens becomes a space, curly apostrophes become ``'``, runs of
    spaces collapse, blanks become missing, and ``"JR."`` becomes ``"JR"``. A suffix found at
    the end of the last name moves to the suffix column when that is empty (``"SMITH JR"`` ->
    ``SMITH``, ``JR``); multi-word surnames (``VAN BUREN``) are left alone. No row is set aside.

    Args:
        voters: the voter frame (not modified).
        first, middle, last, suffix: column names (NC defaults); pass ``None`` for a
            column your layout lacks (middle, suffix).
        key_suffix: adds ``f"{column}{key_suffix}"`` for first, middle and last: the ASCII
            matching key (:func:`matching_key`) to join or compare on; ``None`` to skip.

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
    mojibake = 0
    keys = {}
    for c in (first, middle, last):
        if c is None:
            continue
        new, keys[c], n_fixed = _tidy_and_key(voters[c])
        mojibake += n_fixed
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
        if last in keys and movable.any():
            keys[last] = keys[last].where(~movable, _tidy_and_key(tail[0].where(movable))[1])
        sfx = sfx.where(~movable | sfx.notna(), tail[1])
        moved = int(movable.sum())
        out[suffix] = sfx.astype("str")
    if key_suffix:
        for c, key in keys.items():
            out[f"{c}{key_suffix}"] = key
    report = StepReport(
        "normalize_names",
        rows_in=len(voters),
        rows_kept=len(voters),
        set_aside=empty_aside(voters),
        changes={"case or spacing": changed, "suffix moved out of last name": moved, "suffix period removed": dotted,
                 "mojibake repaired (ftfy)": mojibake},
    )
    return out, report
