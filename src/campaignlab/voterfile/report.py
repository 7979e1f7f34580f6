"""``StepReport``: what one cleaning step did, and which rows it set aside and why.

Every function of ``campaignlab.voterfile`` returns ``(result, report)``. The report always
reconciles: ``rows_in == rows_kept + rows_set_aside``. Rows that stay in the result but were
changed or marked (a placeholder date turned to missing, a phone shared by many voters) are
counted in ``changes``/``flags``; rows that left the result are in ``set_aside`` with a
``reason`` column, so nothing disappears silently.

>>> import pandas as pd
>>> aside = pd.DataFrame({"ncid": ["AL2"], "reason": ["duplicate of AL1"]})
>>> r = StepReport("resolve_duplicates", rows_in=3, rows_kept=2, set_aside=aside,
...                changes={"kept the latest registration": 1})
>>> r.rows_set_aside, r.reasons
(1, {'duplicate of AL1': 1})
>>> print(r)
resolve_duplicates: 3 rows in, 2 kept, 1 set aside
  set aside  duplicate of AL1                               1
  changed    kept the latest registration                   1
>>> StepReport("bad", rows_in=3, rows_kept=1)
Traceback (most recent call last):
...
ValueError: bad: counts do not reconcile: 3 rows in != 1 kept + 0 set aside
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["StepReport", "combine_reports", "reasons_frame", "VoterFileError", "MissingColumnsError"]


class VoterFileError(ValueError):
    """A file the toolkit cannot read as it is; the message names the file, the line and the fix."""


class MissingColumnsError(KeyError):
    """Columns a step needs are not in the data; ``missing`` maps each to the steps needing it.

    >>> print(MissingColumnsError("read: no column 'ncid'", {"ncid": ("resolve_duplicates",)}))
    read: no column 'ncid'
    """

    def __init__(self, message: str, missing: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__(message)
        self.missing = {k: tuple(v) for k, v in (missing or {}).items()}

    def __str__(self) -> str:  # a KeyError prints its message in quotes: this one reads as text
        return str(self.args[0])


@dataclass
class StepReport:
    """The record of one step.

    Attributes:
        step: the function (or stage) name.
        rows_in: rows of the input.
        rows_kept: input rows represented in the result.
        set_aside: the input rows that were left out, with a ``reason`` column.
        changes: what was changed in kept rows: description -> number of rows.
        flags: what was marked (not changed) in kept rows: description -> number of rows.
        rows_out: rows of the result when the step reshapes (pivot); defaults to ``rows_kept``.
        details: extra tables (for example candidate pairs with scores).
        layout: the file layout a reader recognised (``read_voter_file``).
        notes: things to know that are not row counts (a repaired header, a truncated file).
    """

    step: str
    rows_in: int
    rows_kept: int
    set_aside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"reason": pd.Series(dtype="str")}))
    changes: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    rows_out: int | None = None
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    layout: str | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if "reason" not in self.set_aside.columns:
            raise ValueError(f"{self.step}: set_aside needs a 'reason' column")
        self.rows_in, self.rows_kept = int(self.rows_in), int(self.rows_kept)
        if self.rows_out is None:
            self.rows_out = self.rows_kept
        self.changes = {k: int(v) for k, v in self.changes.items() if v}
        self.flags = {k: int(v) for k, v in self.flags.items() if v}
        if self.rows_in != self.rows_kept + self.rows_set_aside:
            raise ValueError(
                f"{self.step}: counts do not reconcile: {self.rows_in} rows in != "
                f"{self.rows_kept} kept + {self.rows_set_aside} set aside"
            )

    @property
    def rows_set_aside(self) -> int:
        return len(self.set_aside)

    @property
    def rows_changed(self) -> int:
        """Rows counted under ``changes`` (a row changed twice counts twice)."""
        return sum(self.changes.values())

    @property
    def reasons(self) -> dict[str, int]:
        """Set-aside reason -> rows, most frequent first."""
        if not len(self.set_aside):
            return {}
        counts = self.set_aside["reason"].astype("str").value_counts(sort=True)
        return {str(k): int(v) for k, v in counts.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per reason, change and flag: columns step, kind, what, rows."""
        rows = [(self.step, "set aside", k, v) for k, v in self.reasons.items()]
        rows += [(self.step, "changed", k, v) for k, v in self.changes.items()]
        rows += [(self.step, "flagged", k, v) for k, v in self.flags.items()]
        return pd.DataFrame(rows, columns=["step", "kind", "what", "rows"])

    def __str__(self) -> str:
        head = f"{self.step}: {self.rows_in:,} rows in, {self.rows_kept:,} kept, {self.rows_set_aside:,} set aside"
        if self.rows_out != self.rows_kept:
            head += f", {self.rows_out:,} rows out"
        lines = [head]
        if self.layout:
            lines.append(f"  layout     {self.layout}")
        for kind, items in (("set aside", self.reasons), ("changed", self.changes), ("flagged", self.flags)):
            for what, n in items.items():
                text = what if len(what) <= 44 else what[:41] + "..."
                lines.append(f"  {kind:<10} {text:<44} {n:>3,}")
        lines += [f"  note       {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks only
        return f"<pre>{self}</pre>"


def reasons_frame(frame: pd.DataFrame, reason: pd.Series | str) -> pd.DataFrame:
    """``frame`` (a slice of the input) with a ``reason`` column, index kept for tracing.

    >>> reasons_frame(pd.DataFrame({"a": [1]}), "why")["reason"].tolist()
    ['why']
    """
    out = frame.copy()
    out["reason"] = reason if isinstance(reason, str) else reason.to_numpy()
    out["reason"] = out["reason"].astype("str")
    return out


def combine_reports(reports: Iterable[StepReport], step: str = "pipeline") -> pd.DataFrame:
    """Stack several reports into one table (step, kind, what, rows) for a notebook.

    >>> a = StepReport("a", rows_in=2, rows_kept=2, changes={"upper-cased": 2})
    >>> combine_reports([a])[["step", "rows"]].to_dict("records")
    [{'step': 'a', 'rows': 2}]
    """
    frames = [r.to_frame() for r in reports]
    return pd.concat(frames, ignore_index=True) if frames else StepReport(step, 0, 0).to_frame()


def require_columns(frame: pd.DataFrame, columns: Mapping[str, str | None], func: str) -> None:
    """Raise a ``TypeError``/``KeyError`` that names what is wrong with the input.

    ``columns`` maps the parameter name to the column it names (``None`` = not used). Every
    missing column is named at once.

    >>> require_columns(pd.DataFrame({"a": [1]}), {"last": "last_name"}, "normalize_names")
    Traceback (most recent call last):
    ...
    KeyError: "normalize_names: column 'last_name' (parameter last=) is not in the data. Columns found: ['a']. Map your layout's column with last='<your column>'."
    >>> require_columns(pd.DataFrame({"a": [1]}), {"first": "first_name", "last": "last_name"}, "f")
    Traceback (most recent call last):
    ...
    KeyError: "f: columns 'first_name' (parameter first=), 'last_name' (parameter last=) are not in the data. Columns found: ['a']. Map your layout's columns with first='<your column>', last='<your column>'."
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func}: expected a pandas DataFrame, got {type(frame).__name__}")
    cols = list(frame.columns)
    missing = [(param, col) for param, col in columns.items() if col is not None and col not in frame.columns]
    if not missing:
        return
    shown = cols if len(cols) <= 12 else cols[:12] + ["..."]
    if len(missing) == 1:
        param, col = missing[0]
        raise KeyError(
            f"{func}: column {col!r} (parameter {param}=) is not in the data. Columns found: {shown}. "
            f"Map your layout's column with {param}='<your column>'."
        )
    names = ", ".join(f"{col!r} (parameter {param}=)" for param, col in missing)
    params = ", ".join(f"{param}='<your column>'" for param, _ in missing)
    raise KeyError(
        f"{func}: columns {names} are not in the data. Columns found: {shown}. "
        f"Map your layout's columns with {params}."
    )


def require_text(frame: pd.DataFrame, column: str, func: str) -> None:
    """Raise a ``TypeError`` when ``column`` holds numbers instead of text.

    >>> require_text(pd.DataFrame({"zip_code": [27601]}), "zip_code", "normalize_zip")
    Traceback (most recent call last):
    ...
    TypeError: normalize_zip: column 'zip_code' holds int64, not text. Read the file with dtype=str (read_voter_file does) so IDs, ZIPs and phones keep their leading zeros.
    """
    s = frame[column]
    if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
        return
    if s.isna().all():
        return
    raise TypeError(
        f"{func}: column {column!r} holds {s.dtype}, not text. Read the file with dtype=str "
        "(read_voter_file does) so IDs, ZIPs and phones keep their leading zeros."
    )


def empty_aside(frame: pd.DataFrame) -> pd.DataFrame:
    """A zero-row set-aside table with ``frame``'s columns and ``reason``."""
    return reasons_frame(frame.iloc[:0], pd.Series([], dtype="str"))
