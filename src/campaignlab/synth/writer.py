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


def write(df: pd.DataFrame | pa.Table, path: Path, delimiter: str = ",") -> Path:
    """Write ``df`` to ``path`` (parents created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = to_arrow(df)  # dictionary columns are cast to text: wide dictionary writes are slow
    opts = pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed", batch_size=65_536)
    pacsv.write_csv(table, path, opts)
    return path
