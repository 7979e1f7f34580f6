"""Read a voter file, a vote history or a campaign export: every column as text, layout named.

One reader for the files campaigns get: NC ``ncvoter`` (current 67-column and pre-2022
71-column layouts), NC ``ncvhis``, the Ohio statewide file (one history column per
election), a VAN export, an Action Network export, and any other delimited file with a
column map. The layout is recognised from the header and named in the report (or chosen
with ``layout=``); a file that is not a voter file at all is refused with the reason.

Every column is text: reading IDs, ZIP codes and phone numbers as numbers drops leading
zeros ("00301" -> 301). Lines with the wrong number of fields (a stray tab inside a name, a
truncated last line) neither stop the read nor vanish: they are set aside with their line
number and raw text, so ``rows_in == rows_kept + rows_set_aside``. Lines that are not valid
UTF-8 (a few Latin-1 lines in a UTF-8 file, as in real NC files) are decoded one line at a
time: their bytes that are not UTF-8 as cp1252 (Latin-1 for the five bytes cp1252 leaves
undefined), and listed in ``report.details["reencoded_lines"]``. A UTF-8 byte-order mark, spaces around header names,
mixed line endings and quoted fields holding line breaks are handled. Anything else stops
with a :class:`VoterFileError` naming the file, the line and the fix.

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
  layout     NC ncvoter (current 67-column layout)
  set aside  wrong field count (expected 4, got 5)          1
>>> report.set_aside[["line", "reason"]].to_dict("records")
[{'line': 3, 'reason': 'wrong field count (expected 4, got 5)'}]
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from campaignlab.voterfile.layouts import LAYOUTS, Layout, detect_layout, suggest_column_map
from campaignlab.voterfile.report import MissingColumnsError, StepReport, VoterFileError

__all__ = ["read_voter_file", "read_vote_history", "read_in_chunks", "ChunkedFile", "NCVOTER_REQUIRED", "NCVHIS_REQUIRED", "LAYOUTS"]

#: Columns the toolkit's NC defaults rely on (the layouts in ``layouts.py`` name them all).
NCVOTER_REQUIRED = list(LAYOUTS["ncvoter"].required_columns())
NCVHIS_REQUIRED = list(LAYOUTS["ncvhis"].required_columns())

_MAGIC = {
    b"PK\x03\x04": "a zip archive or an Excel .xlsx workbook: unzip it, or save the sheet as CSV",
    b"\xd0\xcf\x11\xe0": "an Excel .xls workbook: save the sheet as CSV (File > Save As > CSV UTF-8)",
    b"\x1f\x8b": "a gzip archive: unpack it first (gunzip)",
    b"BZh": "a bzip2 archive: unpack it first (bunzip2)",
    b"%PDF": "a PDF document: export the data itself as CSV",
    b"SQLite format 3": "an SQLite database: export the table as CSV",
}
_SEPARATORS = ("\t", ",", "|", ";")
_DATA_LIKE = re.compile(r"^[\d\s/.\-:+()#]+$")
_NAME_LIKE = re.compile(r"name|first|last|voter|vanid|address|addr|zip|phone|email|ncid|regist", re.I)


def _fail(step: str, path: Path, problem: str, fix: str, line: int | None = None) -> VoterFileError:
    where = f"{path}, line {line}" if line else str(path)
    return VoterFileError(f"{step}: {where}: {problem}. {fix}")


def _check_bytes(step: str, path: Path, head: bytes) -> str | None:
    """Refuse binary files; ``"utf-16"`` when the file is UTF-16 (Excel "Unicode text")."""
    if not head:
        raise _fail(step, path, "the file is empty (0 bytes): no header, no rows",
                    "Check that the download or export finished, then download it again")  # fmt: skip
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            kind, fix = what.split(": ", 1)
            raise _fail(step, path, f"this is {kind}, not a delimited text file", fix[0].upper() + fix[1:])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        raise _fail(step, path, "the file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark",
                    "Open it in a spreadsheet and save it as 'CSV UTF-8'")  # fmt: skip
    if not head.strip():
        raise _fail(step, path, "the file holds only blank lines: no header, no rows", "Download it again")
    return None


def _first_line(head: bytes) -> bytes:
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
    return re.split(rb"\r\n|\n|\r", head, maxsplit=1)[0]


def _cp1252_bytes(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode handler: the bytes that are not UTF-8 as cp1252, or Latin-1 where cp1252 has none."""
    bad = err.object[err.start : err.end]
    return "".join(_CP1252.get(b, chr(b)) for b in bad), err.end


_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
codecs.register_error("campaignlab-cp1252", _cp1252_bytes)


def _decode_line(line: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 when valid; else its UTF-8 characters as UTF-8 and its other bytes
    as cp1252 ("cp1252"), or Latin-1 for the five bytes cp1252 leaves undefined ("latin-1").

    >>> _decode_line("MARÍA O".encode() + b"\\x92NEIL")
    ('MARÍA O’NEIL', 'cp1252')
    """
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = line.decode("utf-8", errors="campaignlab-cp1252")
        undefined = any(0x80 <= ord(c) <= 0x9F for c in text)
        return text, "latin-1" if undefined else "cp1252"


def _sniff(header: str) -> str:
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {s: outside.count(s) for s in _SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header_names(text: str, sep: str) -> tuple[list[str], list[str]]:
    """Column names (stripped, blanks and repeats made unique) and notes on what was repaired."""
    raw = next(csv.reader([text], delimiter=sep))
    names, notes, seen = [], [], {}
    for i, name in enumerate(raw, start=1):
        clean = name.strip().strip("\ufeff").strip()
        if not clean:
            clean = f"column_{i}"
            notes.append(f"header field {i} is blank: named {clean!r}")
        elif clean != name:
            notes.append(f"header name {name!r} trimmed to {clean!r}")
        if clean in seen:
            seen[clean] += 1
            notes.append(f"header name {clean!r} repeated: column {i} named {f'{clean}_{seen[clean]}'!r}")
            clean = f"{clean}_{seen[clean]}"
        else:
            seen[clean] = 1
        names.append(clean)
    return names, notes


def _repair_utf8(data: bytes) -> tuple[bytes, list[dict]]:
    """Re-encode the lines that are not UTF-8 (decoded as cp1252/Latin-1), one line at a time.

    >>> fixed, lines = _repair_utf8("ncid\\nAL1 ANDRÉS\\n".encode() + b"AL2 CASTA\\xd1EDA\\n")
    >>> fixed.decode().splitlines()[2], lines
    ('AL2 CASTAÑEDA', [{'line': 3, 'encoding': 'cp1252', 'text': 'AL2 CASTAÑEDA'}])
    """
    out: list[bytes] = []
    fixed: list[dict] = []
    pos, line_no, chunk = 0, 0, 1 << 22
    while pos < len(data):
        end = data.find(b"\n", pos + chunk)
        end = len(data) if end < 0 else end + 1
        piece = data[pos:end]
        try:
            piece.decode("utf-8")
            out.append(piece)
            line_no += piece.count(b"\n")
        except UnicodeDecodeError:
            for line in piece.split(b"\n"):
                text, enc = _decode_line(line)
                if enc != "utf-8":
                    fixed.append({"line": line_no + 1, "encoding": enc, "text": text.rstrip("\r")})
                out.append(text.encode("utf-8") + b"\n")
                line_no += 1
            out[-1] = out[-1][:-1]  # split() adds one piece after the last newline
            line_no -= 1
        pos = end
    return b"".join(out), fixed


def _parse(source, names: list[str], sep: str, include: list[str] | None, newlines: bool, encoding: str):
    bad: list[dict] = []

    def on_bad(row) -> str:
        bad.append({"line": None if row.number is None else int(row.number), "fields": int(row.actual_columns),
                    "raw": row.text,
                    "reason": f"wrong field count (expected {row.expected_columns}, got {row.actual_columns})"})  # fmt: skip
        return "skip"

    table = pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(encoding=encoding, use_threads=True, block_size=1 << 24,
                                       column_names=names, skip_rows=1),  # fmt: skip
        parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=on_bad, newlines_in_values=newlines),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            include_columns=include,
        ),
    )
    return table, bad


def _open(source):
    return pa.BufferReader(source) if isinstance(source, pa.Buffer) else open(source, "rb")


def _locate_lines(source, bad: list[dict]) -> None:
    """Fill in the 1-based file line of each bad row (one pass, only when there are bad rows)."""
    wanted: dict[str, list[dict]] = {}
    for b in bad:
        if b["line"] is None:
            wanted.setdefault(b["raw"].split("\n")[0].rstrip("\r"), []).append(b)
    if not wanted:
        return
    with _open(source) as fh:
        data = fh.read()
    for number, line in enumerate(data.split(b"\n"), start=1):
        text = line.rstrip(b"\r").decode("utf-8", errors="replace")
        if wanted.get(text):
            wanted[text].pop(0)["line"] = number


def _tail(source) -> tuple[bytes, int | None]:
    """The last line when the file does not end with a line end (else b""), and its line number."""
    with _open(source) as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - (1 << 16)))
        tail = fh.read()
        if not tail or tail.endswith((b"\n", b"\r")):
            return b"", None
        fh.seek(0)
        lines = 1
        while block := fh.read(1 << 24):
            lines += block.count(b"\n")
    return re.split(rb"\r\n|\n|\r", tail)[-1], lines


def _file_date(path: Path) -> str:
    """The file's own date: a date in its name (``..._20201203.txt``), else its modification day."""
    m = re.search(r"(19|20)(\d{2})-?(\d{2})-?(\d{2})", path.name)
    if m:
        try:
            return dt.date(int(m.group(1) + m.group(2)), int(m.group(3)), int(m.group(4))).isoformat()
        except ValueError:
            pass
    return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()


def _resolve_layout(step: str, path: Path, layout, names: list[str], header_text: str) -> tuple[Layout, list[str]]:
    if isinstance(layout, Layout):
        return layout, []
    if layout != "auto" and layout not in LAYOUTS:
        raise ValueError(f"{step}: unknown layout {layout!r}; use 'auto' or one of {sorted(LAYOUTS)} "
                         "('delimited' with columns= for any other file)")  # fmt: skip
    if len(names) == 1 and len(names[0]) > 40:
        raise _fail(step, path, "line 1 has no delimiter (tab, comma, pipe or semicolon): a fixed-width file?",
                    "The toolkit reads delimited files: convert it to CSV, or pass sep= if it uses another "
                    "delimiter", line=1)  # fmt: skip
    filled = [n for n in names if not n.startswith("column_")]
    data_like = sum(bool(_DATA_LIKE.match(n)) for n in filled)
    if filled and data_like * 2 >= len(filled):  # the line is a voter's record: never quote it in the error
        raise _fail(step, path, f"the first line looks like data, not a header ({data_like} of its {len(names)} "
                    "fields are numbers or dates)",
                    "Add the layout's header line to the file (layouts.LAYOUTS[...].header lists the published "
                    "ones)", line=1)  # fmt: skip
    if layout != "auto":
        return LAYOUTS[layout], []
    found = detect_layout(names)
    if found is not None:
        return found, []
    if any(_NAME_LIKE.search(n) for n in names):
        return LAYOUTS["delimited"], ["layout not recognised: read as a generic delimited file; map its "
                                      "columns with columns= (see campaignlab.voterfile.layouts)"]  # fmt: skip
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    raise _fail(step, path, f"this does not look like a voter file: its header ({shown}) has no name, address, "
                "ZIP, phone or voter-ID column",
                "If it is one, read it with layout='delimited' and map its columns with columns=")  # fmt: skip


def _missing_error(step: str, path: Path, lay: Layout, needed: Mapping[str, Sequence[str]], frame_cols,
                   header: list[str], renamed: bool) -> MissingColumnsError | None:  # fmt: skip
    missing = {c: tuple(s) for c, s in needed.items() if c not in frame_cols}
    if not missing:
        return None
    what = "; ".join(f"{c!r} (needed by {', '.join(s)})" for c, s in missing.items())
    suggestion = suggest_column_map(list(missing), [h for h in header if h not in needed])
    after = " after renaming with columns=" if renamed else ""
    shown = header if len(header) <= 10 else header[:10] + ["..."]
    return MissingColumnsError(
        f"{step}: {path} ({lay.title}) has no column{'s' if len(missing) > 1 else ''} {what}{after}. "
        f"Header: {shown}. If the file names them otherwise, map them: columns={suggestion}; "
        "or read it with layout='delimited' and map only what you use.",
        missing,
    )


def _read(path, *, step: str, layout, sep: str | None, columns: Mapping[str, str] | None,
          required: Sequence[str] | None, usecols: Sequence[str] | None, encoding: str,
          chunk_rows: int | None = None) -> tuple[pd.DataFrame, StepReport]:  # fmt: skip
    path = Path(path)
    if isinstance(layout, str) and layout != "auto" and layout not in LAYOUTS:
        _resolve_layout(step, path, layout, [], "")  # raises: unknown layout
    if not path.exists():
        raise FileNotFoundError(f"{step}: no file at {path}")
    if not path.is_file():
        raise _fail(step, path, "this is a folder, not a file", "Give the path of the voter file inside it")
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    source: str | pa.Buffer = str(path)
    notes: list[str] = []
    if _check_bytes(step, path, head) == "utf-16":
        source = pa.py_buffer(path.read_bytes().decode("utf-16").encode("utf-8"))
        head = source.to_pybytes()[: 1 << 20]
        notes.append("the file is UTF-16 (Excel 'Unicode text'): read as such")
    try:
        user_encoding = codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig")
    except LookupError:
        raise ValueError(f"{step}: unknown encoding {encoding!r}; use 'utf-8' (the default, with a "
                         "cp1252/Latin-1 fallback line by line), 'cp1252', 'latin-1' or 'utf-16'") from None  # fmt: skip
    line = _first_line(head)
    try:
        header_text = line.decode(encoding) if user_encoding else _decode_line(line)[0]
    except UnicodeDecodeError as err:
        raise _fail(step, path, f"the header is not {encoding} ({err.reason} at byte {err.start})",
                    "Leave encoding= at its default ('utf-8', with a fallback line by line)", line=1) from None  # fmt: skip
    lay_sep = LAYOUTS[layout].sep if isinstance(layout, str) and layout in LAYOUTS else None
    sep = sep or lay_sep or _sniff(header_text)
    names, header_notes = _header_names(header_text, sep)
    lay, layout_notes = _resolve_layout(step, path, layout, names, header_text)
    if sep != (lay.sep or sep) and layout == "auto":  # the sniffed delimiter wins over the layout's
        notes.append(f"delimited by {sep!r}, not the layout's usual {lay.sep!r}")
    notes += header_notes + layout_notes
    columns = dict(columns or {})
    include = None if usecols is None else [c for c in names if c in set(usecols) | set(columns)]
    arrow_encoding = encoding if user_encoding else "utf8"
    reencoded: list[dict] = []
    newlines = repaired = False
    while True:
        try:
            table, bad = _parse(source, names, sep, include, newlines, arrow_encoding)
        except pa.ArrowException as err:
            text = str(err)
            if "invalid UTF8" in text and not user_encoding and not repaired:
                data = path.read_bytes() if isinstance(source, str) else source.to_pybytes()
                fixed, reencoded = _repair_utf8(data)
                del data  # keep one copy of the file in memory, not two
                source, repaired = pa.py_buffer(fixed), True
                continue
            if "newlines_in_values" in text and not newlines:
                newlines = True
                continue
            raise _fail(step, path, f"the file could not be read as a {sep!r}-delimited file ({text})",
                        "Check the delimiter (sep=) and the encoding (encoding=)") from None  # fmt: skip
        if not newlines and any(b["raw"].count('"') % 2 for b in bad):
            newlines = True  # an odd number of quotes: a quoted field holds a line break; parse again
            continue
        break
    if newlines:
        notes.append("quoted fields hold line breaks: read again with line breaks allowed inside values")
    if bad and any(b["line"] is None for b in bad):  # threaded parsing does not know line numbers
        _locate_lines(source, bad)
    last, last_no = _tail(source)
    if last and last.count(b'"') % 2 and table.num_rows and not any(b["line"] == last_no for b in bad):
        bad.append({"line": last_no, "fields": last.decode("utf-8", "replace").count(sep) + 1,
                    "raw": last.decode("utf-8", "replace"),
                    "reason": "truncated last line: a quoted field is never closed (was the download cut short?)"})  # fmt: skip
        table = table.slice(0, table.num_rows - 1)
    elif last and last_no != 1 and not any(b["line"] == last_no for b in bad):
        notes.append(f"the file does not end with a line end: check that its last line ({last_no}) is complete")
    for b in bad:
        if last_no is not None and b["line"] == last_no and b["reason"].startswith("wrong field count"):
            b["reason"] = b["reason"] + ": truncated last line?"
    frame = None if chunk_rows else _tidy(table).to_pandas()  # one chunk per column: fast take/filter later
    file_columns = table.column_names
    if columns:
        # "Pref Phone " (VAN, trailing space) also matches "Pref Phone", and the other way round
        stripped = {c.strip(): c for c in file_columns}
        columns = {(k if k in file_columns else stripped.get(k.strip(), k)): v for k, v in columns.items()}
        unknown = [c for c in columns if c not in file_columns]
        if unknown:
            raise MissingColumnsError(f"{step}: columns= maps {unknown}, which are not in the file header of {path} "
                                      f"(it starts {names[:12]}): use the file's own column names as keys")  # fmt: skip
    renamed = [columns.get(c, c) for c in file_columns]
    if frame is not None and columns:
        frame = frame.rename(columns=columns)
    if required is not None:
        needed = {c: ("required=",) for c in required}
    elif usecols is not None:
        needed = {}
    else:
        needed = lay.required_columns()
    error = _missing_error(step, path, lay, needed, renamed, names, bool(columns))
    if error is not None:
        raise error
    aside = pd.DataFrame(bad, columns=["line", "fields", "raw", "reason"]).astype({"raw": "str", "reason": "str"})
    aside["line"] = pd.array(aside["line"], dtype="Int64")  # 1-based file lines (header = line 1)
    if not table.num_rows and not len(aside):
        notes.append("the file has a header but no rows")
    changes = {}
    details = {}
    if reencoded:
        lines = [r["line"] for r in reencoded]
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        changes[f"line not UTF-8: decoded as {'/'.join(sorted({r['encoding'] for r in reencoded}))}"] = len(lines)
        notes.append(f"{len(lines)} line(s) were not UTF-8 and were decoded one by one as cp1252/Latin-1: line {shown}")
        details["reencoded_lines"] = pd.DataFrame(reencoded).astype({"encoding": "str", "text": "str"})
    attrs = {"source": str(path), "layout": lay.name, "file_date": _file_date(path)}
    report = StepReport(step, rows_in=table.num_rows + len(aside), rows_kept=table.num_rows, set_aside=aside,
                        changes=changes, details=details, layout=lay.title, notes=notes)  # fmt: skip
    if chunk_rows:
        return ChunkedFile(table.rename_columns(renamed), attrs, chunk_rows), report
    frame.attrs = attrs
    return frame, report


def _tidy(table: pa.Table) -> pa.Table:
    """Every column trimmed (fixed-width padding) with blank text made missing, one chunk per column."""
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        col = pc.utf8_trim_whitespace(col)  # strip fixed-width padding, make blank text missing
        cols[name] = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    return pa.table(cols, schema=pa.schema([(n, pa.string()) for n in table.column_names])).combine_chunks()


class ChunkedFile:
    """A file read once, handed out in pieces of ``chunk_rows`` rows (a statewide file's pandas copy would not fit).

    Each piece is what :func:`read_voter_file` returns for those rows: the same text columns,
    renamed by ``columns=``, with its row numbers in the whole file as its index (``attrs`` too).
    The file's text stays in memory once, in Arrow; only one piece at a time becomes pandas.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "h.txt"
    >>> _ = f.write_text("ncid\\telection_lbl\\telection_desc\\tvoting_method\\n"
    ...                  + "AL1\\t11/08/2016\\t11/08/2016 GENERAL\\tIN-PERSON  \\n" * 3)
    >>> h, r = read_in_chunks(f, chunk_rows=2)
    >>> [c.index.tolist() for c in h.chunks()], h.column("voting_method").tolist(), len(h)
    ([[0, 1], [2]], ['IN-PERSON', 'IN-PERSON', 'IN-PERSON'], 3)
    """

    def __init__(self, table: pa.Table, attrs: Mapping, chunk_rows: int) -> None:
        self.table, self.attrs, self.chunk_rows = table, dict(attrs), int(chunk_rows)
        self.columns = list(table.column_names)

    def __len__(self) -> int:
        return self.table.num_rows

    def _frame(self, table: pa.Table, start: int) -> pd.DataFrame:
        frame = _tidy(table).to_pandas()
        frame.index = pd.RangeIndex(start, start + len(frame))
        frame.attrs = dict(self.attrs)
        return frame

    def chunks(self, columns: Sequence[str] | None = None):
        """The rows, ``chunk_rows`` at a time, as pandas frames indexed by their row in the file."""
        table = self.table if columns is None else self.table.select(list(columns))
        for start in range(0, max(len(self), 1), self.chunk_rows):
            yield self._frame(table.slice(start, self.chunk_rows), start)

    def column(self, name: str) -> pd.Series:
        """One whole column, tidied as the pieces are."""
        return self._frame(self.table.select([name]), 0)[name]

    def frame(self, columns: Sequence[str]) -> pd.DataFrame:
        """The named columns of every row, as one pandas frame (for the steps that need the whole file)."""
        return self._frame(self.table.select(list(columns)), 0)

    def release(self) -> None:
        """Let go of the file's text (the pieces already handed out are not affected)."""
        self.table = self.table.schema.empty_table()  # a slice would keep the buffers alive


def read_voter_file(
    path: str | Path,
    *,
    layout: str | Layout = "auto",
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    required: Sequence[str] | None = None,
    usecols: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, StepReport]:
    """Read a voter file (or a history or a campaign export) with every column as text.

    Args:
        path: the file.
        layout: ``"auto"`` (recognise it from the header, the default), or one of
            :data:`~campaignlab.voterfile.layouts.LAYOUTS`: ``"ncvoter"``, ``"ncvoter_2021"``,
            ``"ncvhis"``, ``"ohio"``, ``"van"``, ``"action_network"``, or ``"delimited"``
            (any delimited file: give ``sep=`` or let the header line decide).
        sep: the delimiter; overrides the layout's.
        columns: rename map ``{"your column": "toolkit column"}`` applied after reading,
            e.g. ``{"REG_DATE": "registr_dt"}``.
        required: columns that must be present after renaming (default: those the layout
            names, which ``clean_voter_file`` uses; none for ``"delimited"`` or with ``usecols``).
        usecols: read only these columns (and those in ``columns``).
        encoding: ``"utf-8"`` (the default) reads UTF-8 and decodes lines that are not
            UTF-8 as cp1252/Latin-1, one by one; any other encoding decodes the whole file.

    Returns:
        ``(voters, report)``: blanks are missing; ``report.layout`` names the layout;
        ``report.set_aside`` lists lines with the wrong number of fields (line, field
        count, raw text, reason); ``report.details["reencoded_lines"]`` the lines decoded
        as cp1252/Latin-1. ``voters.attrs`` holds the source, the layout name and the
        file's date (from its name, else its modification day) for ``clean_voter_file``.

    Raises:
        FileNotFoundError: no such file. VoterFileError: the file cannot be read (empty,
        binary, not a voter file, first line is data); the message names file, line, fix.
        MissingColumnsError (a ``KeyError``): columns the layout needs are missing, all
        named at once with the steps that need them and a suggested column map.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "van.csv"
    >>> _ = f.write_text('\\ufeffVoter File VANID,LastName,"Pref Phone ",Zip5\\n0012,Díaz,9195550100,00304\\n')
    >>> v, r = read_voter_file(f, layout="delimited", columns={"Voter File VANID": "vanid"})
    >>> v.to_dict("records")
    [{'vanid': '0012', 'LastName': 'Díaz', 'Pref Phone': '9195550100', 'Zip5': '00304'}]
    >>> r.notes
    ["header name 'Pref Phone ' trimmed to 'Pref Phone'"]
    """
    return _read(path, step="read_voter_file", layout=layout, sep=sep, columns=columns,
                 required=required, usecols=usecols, encoding=encoding)  # fmt: skip


def read_vote_history(
    path: str | Path,
    *,
    layout: str | Layout = "auto",
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    required: Sequence[str] | None = None,
    usecols: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, StepReport]:
    """Read a long vote-history file (one row per vote cast) with every column as text.

    Same arguments as :func:`read_voter_file`. A wide history (one column per election, as
    in the Ohio file) is read by :func:`read_voter_file`; turn it into this long form with
    :func:`~campaignlab.voterfile.history.history_from_wide`.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "hist.txt"
    >>> _ = f.write_text("ncid\\telection_lbl\\telection_desc\\tvoting_method\\n"
    ...                  "AL1\\t11/08/2016\\t11/08/2016 GENERAL\\tIN-PERSON\\n")
    >>> h, r = read_vote_history(f)
    >>> h.loc[0, "election_desc"], r.rows_kept, r.layout
    ('11/08/2016 GENERAL', 1, 'NC ncvhis vote history')
    """
    return _read(path, step="read_vote_history", layout=layout, sep=sep, columns=columns,
                 required=required, usecols=usecols, encoding=encoding)  # fmt: skip


def read_in_chunks(
    path: str | Path,
    *,
    history: bool = False,
    chunk_rows: int = 500_000,
    layout: str | Layout = "auto",
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    required: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> tuple[ChunkedFile, StepReport]:
    """:func:`read_voter_file` (or, with ``history``, :func:`read_vote_history`) for a file too big for pandas.

    The same reader, the same checks, errors and report (lines set aside with their line
    number); the rows come as a :class:`ChunkedFile`, whose ``chunks()`` are the frames
    ``read_voter_file`` would return, ``chunk_rows`` rows at a time.
    """
    return _read(path, step="read_vote_history" if history else "read_voter_file", layout=layout, sep=sep,
                 columns=columns, required=required, usecols=None, encoding=encoding, chunk_rows=chunk_rows)  # fmt: skip
