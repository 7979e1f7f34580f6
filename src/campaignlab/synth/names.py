"""Sample names from the 1990 Census frequency tables (public domain; see tables/PROVENANCE.md).

>>> import numpy as np
>>> t = load_tables()
>>> str(t.last[0]), str(t.male[0]), str(t.female[0])
('SMITH', 'JAMES', 'MARY')
>>> idx = sample(t.last_p, 3, np.random.default_rng(1))
>>> len(idx)
3
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

TABLES = Path(__file__).with_name("tables")

#: Formal first name -> a common nickname (convention; used for duplicate registrations).
NICKNAMES = {
    "WILLIAM": "BILL", "ROBERT": "BOB", "RICHARD": "RICK", "JAMES": "JIM", "JOHN": "JACK",
    "MICHAEL": "MIKE", "THOMAS": "TOM", "JOSEPH": "JOE", "CHARLES": "CHUCK", "DAVID": "DAVE",
    "DANIEL": "DAN", "CHRISTOPHER": "CHRIS", "ANTHONY": "TONY", "EDWARD": "ED",
    "STEVEN": "STEVE", "KENNETH": "KEN", "TIMOTHY": "TIM", "MATTHEW": "MATT",
    "ANDREW": "ANDY", "JOSHUA": "JOSH", "NICHOLAS": "NICK", "GREGORY": "GREG",
    "RONALD": "RON", "DONALD": "DON", "GERALD": "JERRY", "LAWRENCE": "LARRY",
    "BENJAMIN": "BEN", "SAMUEL": "SAM", "ALEXANDER": "ALEX", "PATRICK": "PAT",
    "ELIZABETH": "BETH", "KATHERINE": "KATE", "MARGARET": "PEGGY", "PATRICIA": "PATTY",
    "JENNIFER": "JENNY", "SUSAN": "SUE", "DEBORAH": "DEBBIE", "REBECCA": "BECKY",
    "BARBARA": "BARB", "CYNTHIA": "CINDY", "KIMBERLY": "KIM", "JESSICA": "JESS",
    "STEPHANIE": "STEPH", "VICTORIA": "VICKY", "CHRISTINE": "CHRIS", "PAMELA": "PAM",
    "SAMANTHA": "SAM", "ABIGAIL": "ABBY", "DOROTHY": "DOT", "JACQUELINE": "JACKIE",
}  # fmt: skip


@dataclass(frozen=True)
class NameTables:
    """Names and their sampling probabilities (renormalised over the kept rows)."""

    male: np.ndarray
    male_p: np.ndarray
    female: np.ndarray
    female_p: np.ndarray
    last: np.ndarray
    last_p: np.ndarray


def _read(name: str) -> tuple[np.ndarray, np.ndarray]:
    rows = [line.split() for line in (TABLES / name).read_text().splitlines() if line.strip()]
    names = np.array([r[0] for r in rows])
    freq = np.array([float(r[1]) for r in rows])
    # a few rare names have frequency 0.000 after rounding: give them the smallest mass
    freq = np.where(freq > 0, freq, freq[freq > 0].min() / 2)
    return names, freq / freq.sum()


@cache
def load_tables() -> NameTables:
    """Read the three Census tables once."""
    male, male_p = _read("dist.male.first")
    female, female_p = _read("dist.female.first")
    last, last_p = _read("dist.all.last")
    return NameTables(male, male_p, female, female_p, last, last_p)


def sample(p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` indices with probabilities ``p`` (inverse-CDF, vectorised)."""
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int32)


def first_name_vocab() -> np.ndarray:
    """All first names: the female table, then the male table (codes index into this).

    >>> str(first_name_vocab()[0])
    'MARY'
    """
    t = load_tables()
    return np.concatenate([t.female, t.male])


def first_name_codes(female: np.ndarray, unknown: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Codes into ``first_name_vocab()`` of first (or middle) names; ``unknown`` sex draws from either.

    >>> first_name_vocab()[first_name_codes(np.array([True]), np.array([False]), np.random.default_rng(0))].dtype.kind
    'U'
    """
    t = load_tables()
    n = len(female)
    is_female = female | (unknown & (rng.random(n) < 0.5))
    fi = sample(t.female_p, n, rng)
    mi = sample(t.male_p, n, rng)
    return np.where(is_female, fi, len(t.female) + mi.astype(np.int64))


def first_names(sex: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """First (or middle) names for people of ``sex`` (F/M/U; U draws from either table).

    >>> first_names(np.array(["F", "M"]), np.random.default_rng(0)).dtype.kind
    'U'
    """
    return first_name_vocab()[first_name_codes(sex == "F", sex == "U", rng)]


def last_name_codes(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` codes into ``load_tables().last``, drawn by frequency.

    >>> len(last_name_codes(4, np.random.default_rng(0)))
    4
    """
    return sample(load_tables().last_p, n, rng)


def last_names(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` surnames drawn by frequency."""
    return load_tables().last[last_name_codes(n, rng)]


def nickname(first: np.ndarray) -> np.ndarray:
    """The nickname of each first name, or the empty string when there is none.

    >>> nickname(np.array(["WILLIAM", "ZED"])).tolist()
    ['BILL', '']
    """
    keys = np.array(list(NICKNAMES))
    vals = np.array(list(NICKNAMES.values()))
    order = np.argsort(keys)
    keys, vals = keys[order], vals[order]
    pos = np.clip(np.searchsorted(keys, first), 0, len(keys) - 1)
    return np.where(keys[pos] == first, vals[pos], "")
