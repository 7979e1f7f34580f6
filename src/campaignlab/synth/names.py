"""Sample names from the 1990 Census frequency tables (public domain; see tables/PROVENANCE.md).

>>> import numpy as np
>>> t = load_tables()
>>> str(t.last[0]), str(t.male[0]), str(t.female[0])
('SMITH', 'JAMES', 'MARY')
>>> idx = sample(t.last_p, 3, np.random.default_rng(1))
>>> len(idx)
3

Duplicate registrations shorten some first names, with nicknames taken from the voter-file
toolkit's table (``campaignlab.voterfile.names.NICKNAMES``), the one the cleaner resolves:

>>> DUPLICATE_NICKNAME["WILLIAM"], DUPLICATE_NICKNAME["ELIZABETH"]
('BILL', 'BETH')
>>> all(nick in NICKNAMES[name] for name, nick in DUPLICATE_NICKNAME.items())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from campaignlab.voterfile.names import NICKNAMES

TABLES = Path(__file__).with_name("tables")

#: Formal names whose duplicate registrations may carry a nickname. The nicknames come from
#: the cleaner's table, ``campaignlab.voterfile.names.NICKNAMES``, so the toolkit knows every
#: nickname the generator writes; this list (and the three picks below) is the generator's
#: own choice and part of the canonical county: changing it changes ``datasets/``.
_DUPLICATE_NAMES = """
    WILLIAM ROBERT RICHARD JAMES JOHN MICHAEL THOMAS JOSEPH CHARLES DAVID DANIEL CHRISTOPHER
    ANTHONY EDWARD STEVEN KENNETH TIMOTHY MATTHEW ANDREW JOSHUA NICHOLAS GREGORY RONALD DONALD
    GERALD LAWRENCE BENJAMIN SAMUEL ALEXANDER PATRICK ELIZABETH KATHERINE MARGARET PATRICIA
    JENNIFER SUSAN DEBORAH REBECCA BARBARA CYNTHIA KIMBERLY JESSICA STEPHANIE VICTORIA
    CHRISTINE PAMELA SAMANTHA ABIGAIL DOROTHY JACQUELINE
""".split()
#: Each uses the first nickname ``NICKNAMES`` lists for it, except these.
_DUPLICATE_PICKS = {"ELIZABETH": "BETH", "MARGARET": "PEGGY", "JENNIFER": "JENNY"}
#: Formal first name -> the nickname its duplicate registrations use.
DUPLICATE_NICKNAME: dict[str, str] = {
    name: _DUPLICATE_PICKS.get(name, NICKNAMES[name][0]) for name in _DUPLICATE_NAMES
}


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

