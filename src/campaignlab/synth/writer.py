"""Deterministic, fast CSV writing (pyarrow): same table -> same bytes.

Text is always double-quoted (as NCSBE delivers its files), numbers are not, missing values
are empty. The NC files are tab-delimited, everything else comma-delimited.

>>> import tempfile, pandas as pd
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = write(pd.DataFrame({"zip": ["00301", None], "n": [1, 2]}), out)
>>> out.read_text()
'"zip","n"\\n"00301",1\\n,2\\n'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def to_arrow(df: pd.DataFrame | pa.Table) -> pa.Table:
    """Convert a DataFrame to an arrow table with CSV-friendly types (dates as text)."""
    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
    cols = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_timestamp(col.type):
            times = pc.strftime(col, format="%Y-%m-%d %H:%M:%S")
            dates = pc.strftime(col, format="%Y-%m-%d")
            midnight = pc.all(pc.equal(pc.utf8_slice_codeunits(times, 11), "00:00:00")).as_py()
            col = dates if midnight in (True, None) else times
        elif pa.types.is_date(col.type):
            col = pc.strftime(col.cast(pa.timestamp("s")), format="%Y-%m-%d")
        elif pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        cols.append(col)
        del name
    return pa.table(cols, names=table.column_names)


#: How Arrow prints k / 10,000 for k = 0..10,000 ("0", "0.0001", ..., "0.5", ..., "1").
_FIXED4 = ["0", *(f"0.{k:04d}".rstrip("0") for k in range(1, 10_000)), "1"]


def fixed4_text(col: pa.Array | pa.ChunkedArray) -> pa.Array | None:
    """Text of a float column of probabilities rounded to 4 decimals, exactly as Arrow's CSV
    writer prints them, by table lookup (float formatting is the slow part of a write).
    ``None`` when some value is not such a probability.

    >>> fixed4_text(pa.array([0.5, None, 0.0001, 1.0])).to_pylist()
    ['0.5', None, '0.0001', '1']
    >>> fixed4_text(pa.array([0.12345])) is None
    True
    """
    if not pa.types.is_floating(col.type):
        return None
    values = np.asarray(col.to_numpy(zero_copy_only=False), dtype=float)  # nulls -> NaN
    null = np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if np.isnan(values[~null]).any():
        return None  # a NaN that is not null prints as "nan"
    v = np.where(null, 0.0, values)
    k = np.rint(v * 10_000)
    if not ((k / 10_000 == v).all() and (k >= 0).all() and (k <= 10_000).all() and not np.signbit(v).any()):
        return None
    return pc.take(pa.array(_FIXED4, pa.string()), pa.array(k.astype(np.int64), mask=null))


def _unquoted_numbers(table: pa.Table) -> pa.Table | None:
    """The table as pre-printed text when it holds only integers and 4-decimal probabilities."""
    cols = []
    for col in table.columns:
        if pa.types.is_integer(col.type):
            cols.append(col.cast(pa.string()))
        elif (text := fixed4_text(col)) is not None:
            cols.append(text)
        else:
            return None
    return pa.table(cols, names=table.column_names)


def write(df: pd.DataFrame | pa.Table, path: Path, delimiter: str = ",") -> Path:
    """Write ``df`` to ``path`` (parents created); returns the path.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = write(pd.DataFrame({"id": [1, 2], "p": [0.25, None]}), out)
    >>> out.read_text()
    '"id","p"\\n1,0.25\\n2,\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = to_arrow(df)  # dictionary columns are cast to text: wide dictionary writes are slow
    numbers = _unquoted_numbers(table) if table.num_columns else None
    if numbers is not None:  # same bytes as below, without formatting floats one by one
        with pa.OSFile(str(path), "wb") as f:
            f.write((delimiter.join(f'"{n}"' for n in table.column_names) + "\n").encode())
            opts = pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none", batch_size=65_536)
            pacsv.write_csv(numbers, f, opts)
        return path
    opts = pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed", batch_size=65_536)
    pacsv.write_csv(table, path, opts)
    return path
