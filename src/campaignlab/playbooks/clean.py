"""The pieces of the clean-voter-file playbook that are not already toolkit steps.

``campaignlab.voterfile`` does the work (``read_voter_file``, ``clean_voter_file``,
``dedupe_history``, ``pivot_history``). This module checks the columns before any work,
turns the step reports into the playbook's two audit files, and writes large CSVs with a
progress bar:

* the **set-aside file**: one row per record that left the file or had a value changed,
  with the step(s) and the reason(s), the record as it was in the input, and for a
  duplicate the registration kept instead;
* the **reconciliation**: for every step, rows in = kept + set aside, and each step starts
  with the rows the step before it kept.

>>> import pandas as pd
>>> from campaignlab import voterfile as vf
>>> raw = pd.DataFrame({"ncid": ["AL1", "AL2"], "first_name": ["ann", "ANN"],
...     "middle_name": ["B", "BETH"], "last_name": ["LEE", "LEE"], "name_suffix_lbl": [None, None],
...     "registr_dt": ["01/01/1900", "02/03/2010"], "birth_year": ["1980", "1980"],
...     "gender_code": ["F", "F"], "zip_code": ["00301", "301"], "full_phone_number": [None, None],
...     "res_street_address": ["1 OAK ST", "1 Oak Street"], "status_cd": ["A", "A"]})
>>> clean, reports = vf.clean_voter_file(raw, as_of="2026-09-12")
>>> aside = set_aside_records(raw, clean, reports, id="ncid")
>>> aside[["ncid", "action", "reason"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['AL1', 'set aside', 'registration date -> missing: placeholder date 01/01/1900; name tidied
  (case, spacing, punctuation or suffix); duplicate registration: kept the latest of its group'],
 ['AL2', 'changed', 'ZIP: leading zeros restored']]
>>> recon = reconciliation(reports, file="voters")
>>> bool(recon["reconciles"].all()), recon["rows_set_aside"].sum()
(True, np.int64(1))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from campaignlab import voterfile as vf
from campaignlab.voterfile.layouts import LAYOUTS, Layout
from campaignlab.voterfile.report import StepReport

__all__ = ["voter_layout", "check_columns", "check_ids", "set_aside_records", "reconciliation",
           "reconciliation_json", "merge_duplicate_votes", "clean_history", "write_csv", "ISSUE_COLUMNS"]  # fmt: skip

#: Columns ``clean_voter_file`` adds that say why a value was changed ("missing" = blank in the
#: file: not a change, so not listed) -> how the set-aside file words it.
ISSUE_COLUMNS = {
    "registration_date_issue": "registration date -> missing: {}",
    "birth_year_clean_issue": "birth year -> missing: {}",
    "zip_issue": "ZIP: {}",
    "phone_issue": "phone: {}",
    "address_issue": "address: {}",
}
NAME_CHANGED = "name tidied (case, spacing, punctuation or suffix)"


def voter_layout(voters: pd.DataFrame, layout: str | None = None, columns: Mapping[str, str | None] | None = None,
                 date_format: str | None = None) -> Layout:  # fmt: skip
    """The layout to clean with: the one named or read, with your column map and date format.

    A file read as ``"delimited"`` (a layout the toolkit does not know) becomes a voter-file
    layout made from ``columns`` (role -> your column).

    >>> v = pd.DataFrame({"VOTER_ID": ["1"]}); v.attrs["layout"] = "delimited"
    >>> lay = voter_layout(v, columns={"id": "VOTER_ID"}, date_format="%Y-%m-%d")
    >>> lay.kind, lay.roles["id"], lay.date_format
    ('voter file', 'VOTER_ID', '%Y-%m-%d')
    """
    name = layout if layout not in (None, "auto") else voters.attrs.get("layout", "ncvoter")
    if name not in LAYOUTS:
        raise ValueError(f"unknown layout {name!r}; use 'auto' or one of {sorted(LAYOUTS)}")
    lay = LAYOUTS[name]
    if lay.kind != "voter file" and lay.kind != "unknown":
        what = f"{'an' if lay.title[0] in 'AEIOU' else 'a'} {lay.title}"
        raise ValueError(f"{voters.attrs.get('source', 'the file')} is {what}, not a voter file: "
                         f"{lay.next_step} is the step for it, not this playbook")  # fmt: skip
    if lay.kind == "unknown":
        if not columns:
            raise ValueError(f"{voters.attrs.get('source', 'the file')}: the toolkit does not know this layout: "
                             "map its columns with columns={'id': <your ID column>, 'first': ..., 'last': ..., "
                             "'registration_date': ..., 'zip': ..., 'address': ...} (see campaignlab.voterfile.layouts)")  # fmt: skip
        lay = Layout("column map", "your layout (column map)", "voter file", None, dict(columns))
    if date_format:
        lay = dataclasses.replace(lay, date_format=date_format)
    return lay


def check_columns(voters: pd.DataFrame, lay: Layout, columns: Mapping[str, str | None] | None = None) -> dict:
    """Every column the cleaning needs is there, and every row has its own voter ID; role -> column.

    Missing columns are all named at once, with the column map to try; the message starts
    with the file. Voter IDs are never printed (they are personal data): rows are named by
    their position among the rows read.

    >>> check_columns(pd.DataFrame({"ncid": ["AL1"]}), LAYOUTS["ncvoter"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.voterfile.report.MissingColumnsError: the file: clean_voter_file: the data (NC ncvoter ...) has no 'first_name' ...
    >>> v = pd.DataFrame({c: ["x", "x", None] for c in LAYOUTS["ncvoter"].roles.values()})
    >>> check_columns(v, LAYOUTS["ncvoter"])
    Traceback (most recent call last):
    ...
    campaignlab.voterfile.report.VoterFileError: the file: 1 row has no voter ID in 'ncid' (data row 3); 1 ID is used by more than one row (data row 2). Every registration needs its own ID: check that 'ncid' is the voter ID column (map another with columns={'id': <your column>}), or fix those rows in the file
    """
    from campaignlab.voterfile import _check_roles

    source = voters.attrs.get("source", "the file")
    roles = {**lay.roles, **dict(columns or {})}
    roles.pop("city", None)
    try:
        _check_roles(voters, lay, roles)
    except vf.MissingColumnsError as err:
        raise vf.MissingColumnsError(f"{source}: {err}", err.missing) from None
    check_ids(voters, roles["id"], source)
    return roles


def check_ids(voters: pd.DataFrame, id: str, source: str, fix: str = "fix those rows in the file") -> None:
    """Every row has its own voter ID; else a ``VoterFileError`` naming the rows by position, never the IDs.

    >>> check_ids(pd.DataFrame({"v": ["1", "1", None]}), "v", "f.csv", fix="run clean-voter-file first")
    Traceback (most recent call last):
    ...
    campaignlab.voterfile.report.VoterFileError: f.csv: 1 row has no voter ID in 'v' (data row 3); 1 ID is used by more than one row (data row 2). Every registration needs its own ID: check that 'v' is the voter ID column (map another with columns={'id': <your column>}), or run clean-voter-file first
    """
    ids = voters[id]
    missing, repeated = ids.isna().to_numpy(), ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    if not (missing.any() or repeated.any()):
        return
    rows = lambda m: f"data row {', '.join(str(i + 1) for i in np.flatnonzero(m)[:5])}{', ...' if m.sum() > 5 else ''}"  # noqa: E731
    parts = []
    if missing.any():
        parts.append(f"{int(missing.sum()):,} row{'s have' if missing.sum() > 1 else ' has'} no voter ID in {id!r} "
                     f"({rows(missing)})")  # fmt: skip
    if repeated.any():
        n = int(ids[repeated].nunique())
        parts.append(f"{n:,} ID{'s are' if n > 1 else ' is'} used by more than one row ({rows(repeated)})")
    raise vf.VoterFileError(f"{source}: {'; '.join(parts)}. Every registration needs its own ID: check that "
                            f"{id!r} is the voter ID column (map another with columns={{'id': <your column>}}), "
                            f"or {fix}")  # fmt: skip

def _changes(frame: pd.DataFrame, raw: pd.DataFrame, name_cols: Sequence[str]) -> pd.Series:
    """Per row of ``frame``: the reasons its values were changed, joined by "; " (missing: none)."""
    parts: list[pd.Series] = []  # each: the reason, only on the rows it applies to
    for col, words in ISSUE_COLUMNS.items():
        if col in frame.columns:
            issue = frame[col]
            has = (issue.notna() & issue.ne("missing")).fillna(False).to_numpy(dtype=bool)
            if has.any():
                parts.append(words.format("") + issue[has].astype("str"))
    before = raw.reindex(frame.index) if not frame.index.equals(raw.index) else raw
    tidied = np.zeros(len(frame), dtype=bool)
    for col in name_cols:
        if col in frame.columns and col in before.columns:
            a, b = frame[col], before[col]
            tidied |= (b.notna() & (a.isna() | a.ne(b))).fillna(False).to_numpy(dtype=bool)
    if tidied.any():
        parts.append(pd.Series(NAME_CHANGED, index=frame.index[tidied], dtype="str"))
    joined = pd.Series(pd.NA, index=frame.index, dtype="str")
    if not parts:
        return joined
    rows = pd.concat([p.index.to_series() for p in parts]).unique()
    out = pd.Series("", index=rows, dtype="str")
    for p in parts:  # in ISSUE_COLUMNS order, then names: the order the steps ran
        cur = out.loc[p.index]
        out.loc[p.index] = cur.where(cur.eq(""), cur + "; ") + p
    joined.loc[rows] = out
    return joined


def set_aside_records(raw: pd.DataFrame, clean: pd.DataFrame, reports: Sequence[StepReport], *, id: str,
                      read_report: StepReport | None = None, name_cols: Sequence[str] | None = None) -> pd.DataFrame:  # fmt: skip
    """One row per record set aside or changed: ``action``, ``step``, ``reason``, the input record.

    Args:
        raw: the file as read (``read_voter_file``), before cleaning.
        clean, reports: what ``clean_voter_file`` returned for ``raw``.
        id: the voter ID column.
        read_report: the reader's report: lines it could not read are listed first, with
            their line number and raw text.
        name_cols: the name columns cleaning rewrites in place (default: the NC names,
            or those of ``raw.attrs["layout"]``).

    Returns:
        columns ``action`` ("set aside" / "changed"), ``step``, ``reason``, ``kept_id``
        (for a duplicate: the registration kept), ``line`` and ``raw_line`` (lines the
        reader set aside), then the input's columns as they were in the file.
    """
    if name_cols is None:
        lay = LAYOUTS.get(raw.attrs.get("layout", "ncvoter"), LAYOUTS["ncvoter"])
        name_cols = [c for r, c in lay.roles.items() if r in ("first", "middle", "last", "suffix") and c]
    cols = ["action", "step", "reason", "kept_id", "line", "raw_line", *raw.columns]
    frames = []
    if read_report is not None and read_report.rows_set_aside:
        a = read_report.set_aside
        frames.append(pd.DataFrame({"action": "set aside", "step": read_report.step, "reason": a["reason"].to_numpy(),
                                    "line": a["line"].to_numpy(), "raw_line": a["raw"].to_numpy()}))  # fmt: skip
    for r in reports:
        if not r.rows_set_aside:
            continue
        a = r.set_aside
        why = _changes(a, raw, name_cols)
        reason = why.fillna("").str.cat(a["reason"].astype("str"), sep="; ").str.strip("; ")
        rec = raw.loc[a.index].copy()
        rec.insert(0, "action", "set aside")
        rec.insert(1, "step", r.step)
        rec.insert(2, "reason", reason.to_numpy())
        rec.insert(3, "kept_id", a["kept_id"].to_numpy() if "kept_id" in a.columns else None)
        frames.append(rec)
    why = _changes(clean, raw, name_cols)
    changed = why.notna()
    rec = raw.loc[clean.index[changed.to_numpy()]].copy()
    rec.insert(0, "action", "changed")
    rec.insert(1, "step", "clean_voter_file")
    rec.insert(2, "reason", why[changed].to_numpy())
    frames.append(rec)
    out = pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=cols)], ignore_index=True)
    out = out.reindex(columns=cols)
    return out.astype({"action": "str", "step": "str", "reason": "str", "kept_id": "str", "raw_line": "str"})


def reconciliation(reports: Sequence[StepReport], *, file: str) -> pd.DataFrame:
    """One row per step: rows in, kept, set aside, changed, and whether the counts hold.

    ``reconciles``: rows in = kept + set aside. ``follows_previous``: the step starts from
    the rows the step before kept (nothing was lost between steps).

    >>> a = StepReport("a", rows_in=3, rows_kept=2, set_aside=pd.DataFrame({"reason": ["x"]}))
    >>> b = StepReport("b", rows_in=2, rows_kept=2, changes={"tidied": 1})
    >>> reconciliation([a, b], file="voters")[["step", "rows_set_aside", "rows_changed", "follows_previous"]].values.tolist()
    [['a', 1, 0, True], ['b', 0, 1, True]]
    """
    rows, prev = [], None
    for r in reports:
        rows.append({"file": file, "step": r.step, "rows_in": r.rows_in, "rows_kept": r.rows_kept,
                     "rows_set_aside": r.rows_set_aside, "rows_changed": r.rows_changed,
                     "reconciles": r.rows_in == r.rows_kept + r.rows_set_aside,
                     "follows_previous": prev is None or r.rows_in == prev})  # fmt: skip
        prev = r.rows_out
    return pd.DataFrame(rows, columns=["file", "step", "rows_in", "rows_kept", "rows_set_aside", "rows_changed",
                                       "reconciles", "follows_previous"])  # fmt: skip


def reconciliation_json(chains: Mapping[str, Sequence[StepReport]], outputs: Mapping[str, Mapping]) -> dict:
    """The reconciliation as a JSON-ready dict: every step's counts, reasons, changes and flags
    (most frequent first), and per file the totals (rows in the input = rows in the clean
    output + rows set aside)."""
    out: dict = {"files": {}}
    most = lambda d: dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731 (ties by name)
    for name, reports in chains.items():
        steps = [{"step": r.step, "rows_in": r.rows_in, "rows_kept": r.rows_kept, "rows_set_aside": r.rows_set_aside,
                  "rows_out": r.rows_out, "set_aside": most(r.reasons), "changed": most(r.changes),
                  "flagged": most(r.flags),
                  "notes": list(r.notes), **({"layout": r.layout} if r.layout else {})} for r in reports]  # fmt: skip
        total_aside = sum(r.rows_set_aside for r in reports)
        first, last = reports[0], reports[-1]
        out["files"][name] = {
            "rows_in": first.rows_in, "rows_out": last.rows_kept, "rows_set_aside": total_aside,
            "reconciles": first.rows_in == last.rows_kept + total_aside
            and all(r.rows_in == r.rows_kept + r.rows_set_aside for r in reports),
            "steps": steps, **dict(outputs.get(name, {})),
        }  # fmt: skip
    return out


def merge_duplicate_votes(history: pd.DataFrame, duplicates: pd.DataFrame, *, id: str,
                          voter_id: str) -> tuple[pd.DataFrame, StepReport]:  # fmt: skip
    """Credit votes cast under a duplicate registration to the registration kept for that person.

    ``duplicates`` is ``resolve_duplicates``' ``set_aside`` (with ``kept_id``). Run
    :func:`~campaignlab.voterfile.dedupe_history` afterwards: a person who voted under both
    registrations in one election has one vote.

    >>> h = pd.DataFrame({"ncid": ["AL1", "AL2"], "election_lbl": ["11/08/2016", "11/06/2018"]})
    >>> d = pd.DataFrame({"ncid": ["AL1"], "kept_id": ["AL9"], "reason": ["duplicate"]})
    >>> out, r = merge_duplicate_votes(h, d, id="ncid", voter_id="ncid")
    >>> out["ncid"].tolist(), r.changes
    (['AL9', 'AL2'], {'vote of a duplicate registration credited to the one kept': 1})
    """
    if not len(duplicates) or "kept_id" not in duplicates.columns:
        return history, StepReport("merge_duplicate_votes", len(history), len(history))
    to_kept = pd.Series(duplicates["kept_id"].to_numpy(), index=duplicates[voter_id].astype("str").to_numpy())
    ids = history[id].astype("str")
    new = ids.map(to_kept)
    moved = new.notna()
    result = history.copy(deep=False)
    result[id] = ids.where(~moved, new)
    result["merged_from"] = pd.array(ids.where(moved).to_numpy(), dtype="str")
    report = StepReport("merge_duplicate_votes", len(history), len(history),
                        changes={"vote of a duplicate registration credited to the one kept": int(moved.sum())})  # fmt: skip
    return result, report


def clean_history(history: pd.DataFrame, read_report: StepReport | None, clean: pd.DataFrame,
                  duplicates: pd.DataFrame, *, id: str, voter_id: str, method: str | None = "voting_method",
                  progress: bool = False) -> tuple[pd.DataFrame, list[StepReport], pd.DataFrame]:  # fmt: skip
    """Dedupe a long vote history and fit it to the clean voter file.

    Steps: votes of duplicate registrations credited to the registration kept
    (:func:`merge_duplicate_votes`); ``dedupe_history`` (label drift, repeated rows, and a
    person who voted under both registrations counted once); ``pivot_history`` against the
    clean file's IDs, which sets aside votes by IDs that are not in it.

    Returns:
        ``(history kept, [reports], set-aside records)``: one set-aside row per vote row that
        was set aside or changed, with ``action``, ``step``, ``reason`` and the row as read.
    """
    from tqdm import tqdm

    reports = [read_report] if read_report is not None else []
    with tqdm(total=3, desc="vote history", unit="step", disable=not progress, leave=False) as bar:
        h1, r1 = merge_duplicate_votes(history, duplicates, id=id, voter_id=voter_id)
        bar.update()
        h2, r2 = vf.dedupe_history(h1, id=id, method=method)
        bar.update()
        wide, r3 = vf.pivot_history(h2, id=id, voters=clean[voter_id])
        bar.update()
    kept = h2[~h2.index.isin(r3.set_aside.index)]  # a boolean filter: fast on arrow text columns
    reports += [r1, r2, r3]
    cols = ["action", "step", "reason", "line", "raw_line", *history.columns, "merged_from"]
    frames = []
    if read_report is not None and read_report.rows_set_aside:
        a = read_report.set_aside
        frames.append(pd.DataFrame({"action": "set aside", "step": read_report.step, "reason": a["reason"].to_numpy(),
                                    "line": a.get("line", pd.Series(None, index=a.index)).to_numpy(),
                                    "raw_line": a.get("raw", pd.Series(None, index=a.index)).to_numpy()}))  # fmt: skip
    for r in (r2, r3):
        if r.rows_set_aside:
            a = r.set_aside.copy()
            a.insert(0, "action", "set aside")
            a.insert(1, "step", r.step)
            frames.append(a)
    moved = kept[kept["merged_from"].notna()].copy() if "merged_from" in kept.columns else kept.iloc[:0]
    if len(moved):
        moved.insert(0, "action", "changed")
        moved.insert(1, "step", r1.step)
        moved.insert(2, "reason", "vote of a duplicate registration credited to the one kept")
        frames.append(moved)
    aside = pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=cols)], ignore_index=True)
    aside = aside.reindex(columns=[c for c in cols if c in aside.columns or c in ("action", "step", "reason")])
    return kept, reports, aside.astype({"action": "str", "step": "str", "reason": "str"})


def write_csv(frame: pd.DataFrame | Iterable[pd.DataFrame], path: str | Path, *, progress: bool = False,
              chunk: int = 200_000) -> Path:  # fmt: skip
    """Write ``frame`` as UTF-8 CSV (text quoted, dates as YYYY-MM-DD, blank for missing), in chunks, with a bar.

    ``frame`` may also be the pieces of one table, one after the other (same columns and
    types): the file is the one their concatenation would give.

    >>> import tempfile
    >>> p = write_csv(pd.DataFrame({"d": pd.to_datetime(["2012-03-14", None]), "n": pd.array([1, None], "Int64")}),
    ...               Path(tempfile.mkdtemp()) / "x.csv")
    >>> p.read_text().splitlines()
    ['"d","n"', '"2012-03-14",1', ',']
    >>> parts = [pd.DataFrame({"n": pd.array([1], "Int64")}), pd.DataFrame({"n": pd.array([None], "Int64")})]
    >>> write_csv(iter(parts), p).read_text().splitlines()
    ['"n"', '1', '']
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from tqdm import tqdm

    path = Path(path)
    frames = [frame] if isinstance(frame, pd.DataFrame) else frame
    writer, schema = None, None
    try:
        for f in frames:
            f = f.copy(deep=False)
            for c in f.columns:
                if pd.api.types.is_datetime64_any_dtype(f[c].dtype):
                    f[c] = f[c].dt.strftime("%Y-%m-%d").astype("str")
                elif f[c].dtype == object:
                    f[c] = f[c].astype("str")
            if writer is None:
                schema = pa.Schema.from_pandas(f.iloc[:0], preserve_index=False)
                writer = pacsv.CSVWriter(path, schema)
            starts = range(0, len(f), chunk)
            for s in tqdm(starts, desc=f"writing {path.name}", unit="chunk", disable=not progress, leave=False):
                part = pa.Table.from_pandas(f.iloc[s : s + chunk], schema=schema, preserve_index=False)
                writer.write_table(part)
    finally:
        if writer is not None:
            writer.close()
    return path
