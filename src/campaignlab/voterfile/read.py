"""Read a state voter file or vote history with every column as text, reporting bad lines.

IDs, ZIP codes and phone numbers are text: reading them as numbers drops leading zeros
("00301" -> 301). Lines with the wrong number of fields (a stray tab or delimiter inside a
name, a truncated last line) are not dropped silently and do not stop the read: they are set
aside in the report with their line number and raw text.

>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "voters.txt"
>>> _ = f.write_text("ncid\\tlast_name\\tfirst_name\\tzip_code\\n"
...                  "AL1\\tSMITH\\tANN\\t00301\\n"
...                  "AL2\\tO\\tBRIEN\\tPAT\\t00302\\n"
...                  "AL3\\tJONES\\tBO\\t\\n")
>>> voters, report = read_voter_file(f, layout="ncvoter", required=["ncid"])
>>> voters["zip_code"].tolist()
['00301', nan]
>>> print(report)
read_voter_file: 3 rows in, 2 kept, 1 set aside
  set aside  wrong field count (expected 4, got 5)          1
>>> report.set_aside[["line", "reason"]].to_dict("records")
[{'line': 3, 'reason': 'wrong field count (expected 4, got 5)'}]
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from campaignlab.voterfile.report import StepReport

__all__ = ["read_voter_file", "read_vote_history", "NCVOTER_REQUIRED", "NCVHIS_REQUIRED", "LAYOUTS"]

#: Columns the toolkit's NC defaults rely on (the full layout has 67; older files differ).
NCVOTER_REQUIRED = ["ncid", "last_name", "first_name", "registr_dt"]
NCVHIS_REQUIRED = ["ncid", "election_lbl", "election_desc", "voting_method"]

#: Named layouts: delimiter and the columns that must be present.
LAYOUTS = {
    "ncvoter": {"sep": "\t", "required": NCVOTER_REQUIRED},
    "ncvhis": {"sep": "\t", "required": NCVHIS_REQUIRED},
    "delimited": {"sep": None, "required": []},
}


def _sniff(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        head = fh.readline()
    counts = {sep: head.count(sep) for sep in ("\t", ",", "|", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read(
    path: str | Path,
    *,
    step: str,
    layout: str,
    sep: str | None,
    columns: Mapping[str, str] | None,
    required: Sequence[str] | None,
    usecols: Sequence[str] | None,
    encoding: str,
) -> tuple[pd.DataFrame, StepReport]:
    if layout not in LAYOUTS:
        raise ValueError(f"{step}: unknown layout {layout!r}; use one of {sorted(LAYOUTS)} (or 'delimited' with sep=)")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{step}: no file at {path}")
    spec = LAYOUTS[layout]
    sep = sep or spec["sep"] or _sniff(path, encoding)
    required = list(spec["required"] if required is None else required)
    columns = dict(columns or {})

    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        header = next(csv.reader([fh.readline()], delimiter=sep))
    if not header or header == [""]:
        raise ValueError(f"{step}: {path} is empty (no header line)")
    bad: list[dict] = []

    def on_bad(row) -> str:
        bad.append(
            {
                "line": None if row.number is None else int(row.number),
                "fields": int(row.actual_columns),
                "raw": row.text,
                "reason": f"wrong field count (expected {row.expected_columns}, got {row.actual_columns})",
            }
        )
        return "skip"

    wanted = None if usecols is None else [c for c in header if c in set(usecols) | set(columns)]
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding, use_threads=True, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=on_bad, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            include_columns=wanted,
        ),
    )
    # strip surrounding blanks (fixed-width habits) and make blank text missing
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        col = pc.utf8_trim_whitespace(col)
        cols[name] = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    frame = pa.table(cols).combine_chunks().to_pandas()  # one chunk per column: fast take/filter later
    if columns:
        # "Pref Phone " (VAN, trailing space) also matches "Pref Phone", and the other way round
        stripped = {c.strip(): c for c in frame.columns}
        columns = {(k if k in frame.columns else stripped.get(k.strip(), k)): v for k, v in columns.items()}
        unknown = [c for c in columns if c not in frame.columns]
        if unknown:
            raise KeyError(f"{step}: columns= maps {unknown}, which are not in the file header {header[:12]}")
        frame = frame.rename(columns=columns)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        hint = "" if not columns else " after renaming with columns="
        raise KeyError(
            f"{step}: the file has no column(s) {missing}{hint}. Header starts {header[:8]}. "
            f"Pass columns={{'<your column>': '{missing[0]}'}} to map your layout."
        )
    if any(b["line"] is None for b in bad):  # threaded parsing does not know line numbers
        _locate_lines(path, bad, encoding)
    aside = pd.DataFrame(bad, columns=["line", "fields", "raw", "reason"])
    aside = aside.astype({"raw": "str", "reason": "str"})
    # lines are 1-based file lines (header = line 1)
    if len(aside):
        aside["line"] = pd.array(aside["line"], dtype="Int64")
    report = StepReport(step, rows_in=len(frame) + len(aside), rows_kept=len(frame), set_aside=aside)
    return frame, report


def _locate_lines(path: Path, bad: list[dict], encoding: str) -> None:
    """Fill in the 1-based file line of each bad row (one pass, only when there are bad rows)."""
    wanted: dict[str, list[dict]] = {}
    for b in bad:
        wanted.setdefault(b["raw"], []).append(b)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.rstrip("\r\n")
            if text in wanted and wanted[text]:
                wanted[text].pop(0)["line"] = number


def read_voter_file(
    path: str | Path,
    *,
    layout: str = "ncvoter",
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    required: Sequence[str] | None = None,
    usecols: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, StepReport]:
    """Read a voter file with every column as text (``str``); blanks become missing.

    Args:
        path: the file.
        layout: ``"ncvoter"`` (tab-delimited NC layout, the default) or ``"delimited"``
            (any delimited file: give ``sep=`` or let the header line decide).
        sep: the delimiter; overrides the layout's.
        columns: rename map ``{"your column": "toolkit column"}`` applied after reading,
            e.g. ``{"Voter File VANID": "ncid", "LastName": "last_name"}``.
        required: columns that must be present after renaming (default: the layout's).
        usecols: read only these columns (and those in ``columns``).
        encoding: file encoding.

    Returns:
        ``(voters, report)``; ``report.set_aside`` lists lines with the wrong number of
        fields (line number, field count, raw text, reason).

    Raises:
        FileNotFoundError: no such file. KeyError: required columns are missing (named).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "van.csv"
    >>> _ = f.write_text('Voter File VANID,LastName,Zip5\\n0012,Diaz,00304\\n')
    >>> v, r = read_voter_file(f, layout="delimited", columns={"Voter File VANID": "vanid"})
    >>> v.to_dict("records")
    [{'vanid': '0012', 'LastName': 'Diaz', 'Zip5': '00304'}]
    """
    return _read(path, step="read_voter_file", layout=layout, sep=sep, columns=columns,
                 required=required, usecols=usecols, encoding=encoding)  # fmt: skip


def read_vote_history(
    path: str | Path,
    *,
    layout: str = "ncvhis",
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    required: Sequence[str] | None = None,
    usecols: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, StepReport]:
    """Read a long vote-history file (one row per vote cast) with every column as text.

    Same arguments as :func:`read_voter_file`; the default layout is ``"ncvhis"``.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "hist.txt"
    >>> _ = f.write_text("ncid\\telection_lbl\\telection_desc\\tvoting_method\\n"
    ...                  "AL1\\t11/08/2016\\t11/08/2016 GENERAL\\tIN-PERSON\\n")
    >>> h, r = read_vote_history(f)
    >>> h.loc[0, "election_desc"], r.rows_kept
    ('11/08/2016 GENERAL', 1)
    """
    return _read(path, step="read_vote_history", layout=layout, sep=sep, columns=columns,
                 required=required, usecols=usecols, encoding=encoding)  # fmt: skip
