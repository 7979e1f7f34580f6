"""Vectorised string building on pyarrow arrays (no per-row Python on the hot path).

>>> import numpy as np
>>> zfill(np.array([7, 123]), 5).to_pylist()
['00007', '00123']
>>> format_dates(np.array(["2016-11-08", "1900-01-01"], dtype="datetime64[D]")).to_pylist()
['11/08/2016', '01/01/1900']
>>> take(["DEM", "REP"], np.array([1, 0, 1])).to_pylist()
['REP', 'DEM', 'REP']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def take(values: Sequence[str] | pa.Array, idx: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Look ``idx`` up in ``values`` (a small dictionary); rows where ``mask`` is True become null.

    >>> take(["A", "B"], np.array([0, 1]), mask=np.array([False, True])).to_pylist()
    ['A', None]
    """
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    ind = pa.array(np.asarray(idx, dtype=np.int64), mask=mask)
    return pc.take(arr, ind)


def zfill(numbers: np.ndarray, width: int) -> pa.Array:
    """Zero-padded text of non-negative integers (voter_reg_num is 12 characters)."""
    return pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")


def format_dates(days: np.ndarray, fmt: str = "mdy") -> pa.Array:
    """Format ``datetime64[D]`` values as MM/DD/YYYY (``fmt="mdy"``) or YYYY-MM-DD (``"iso"``).

    Uses a lookup table over the distinct days, so a million dates cost one ``take``.
    NaT becomes null.
    """
    d = np.asarray(days, dtype="datetime64[D]")
    nat = np.isnat(d)
    ints = d.astype(np.int64)
    if nat.all():
        return pa.nulls(len(d), pa.string())
    lo = ints[~nat].min()
    hi = ints[~nat].max()
    days_in_range = pa.array(np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[s]"))
    table = pc.strftime(days_in_range, format="%m/%d/%Y" if fmt == "mdy" else "%Y-%m-%d")
    return take(table.cast(pa.string()), np.where(nat, 0, ints - lo), mask=nat)


def join(*parts: pa.Array | str, sep: str = " ") -> pa.Array:
    """Join text columns element-wise, skipping nulls (``"123" + "OAK ST"``).

    >>> join(pa.array(["1", "2"]), pa.array(["OAK ST", None])).to_pylist()
    ['1 OAK ST', '2']
    """
    return pc.binary_join_element_wise(*parts, sep, null_handling="skip")


def where(mask: np.ndarray, a: pa.Array | str, b: pa.Array | str) -> pa.Array:
    """``a`` where ``mask`` else ``b`` (either may be a scalar string or None).

    >>> where(np.array([True, False]), "X", pa.array(["a", "b"])).to_pylist()
    ['X', 'b']
    """
    a = pa.scalar(a, pa.string()) if a is None or isinstance(a, str) else a
    b = pa.scalar(b, pa.string()) if b is None or isinstance(b, str) else b
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)
