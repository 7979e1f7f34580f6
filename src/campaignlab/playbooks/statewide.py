"""clean-voter-file on a statewide file: the same steps and the same outputs, out of core.

A state file with its history (5 million voters, 2 GB of voters and 2 GB of votes) does not
fit in memory as pandas frames with every cleaning column beside every raw one. This path
gives the same files as the pandas path, byte for byte, on a machine with a third of the
memory that path would need:

* **Reading**: the toolkit's reader (:func:`~campaignlab.voterfile.read_in_chunks`: the same
  checks, errors and set-aside lines) keeps the file's text once, in Arrow, and hands it out
  in pieces of ``chunk_rows`` rows.
* **The steps that look at one row** (names, dates, ZIP, phone, address:
  :data:`~campaignlab.voterfile.ROW_STEPS`) run piece by piece, with the toolkit's own
  functions; each piece, as read and as cleaned, goes to Parquet in a work folder.
* **The steps that need the whole file** (phones shared by many voters, duplicate
  registrations, households) run the toolkit's own functions on the dozen columns they read,
  for every row at once: the rules are never re-implemented.
* **The vote history** is credited to the registrations kept piece by piece, then shuffled by
  voter into buckets with **DuckDB** (out of core: ``memory_limit``, spilling to the work
  folder), deduped and checked against the clean file one bucket at a time with the toolkit's
  ``dedupe_history`` and ``pivot_history`` (a vote's duplicates are always the same voter's),
  and written back in the file's order by DuckDB.
* **The outputs** are written piece by piece in the order the pandas path writes them.

>>> choose_engine("auto", 2_000_000_000), choose_engine("auto", 10_000), choose_engine("pandas", 2e9)
('duckdb', 'pandas', 'pandas')
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from campaignlab import voterfile as vf
from campaignlab.playbooks import clean as pb
from campaignlab.voterfile.layouts import Layout
from campaignlab.voterfile.report import StepReport

__all__ = ["choose_engine", "read_statewide", "check_statewide", "clean_statewide", "CleanedStatewide",
           "write_voter_outputs", "clean_history_statewide", "AUTO_BYTES"]  # fmt: skip

#: ``engine="auto"`` takes the out-of-core path for voter files at least this big (about 1.2
#: million NC registrations; the pandas path needs about 6 GB per million with the history).
AUTO_BYTES = 500_000_000
#: The row-step columns the whole-file steps read (besides the roles' columns).
_CLEAN_COLUMNS = ("address_std", "zip5", "phone", "registration_date")
_SHARED = ("phone_shared_by", "phone_shared")
_DUPLICATE = ("duplicate_group", "duplicate_group_score")
_HOUSEHOLD = ("household_id", "household_size", "household_issue")


def choose_engine(engine: str, size: float) -> str:
    """``"pandas"`` or ``"duckdb"``: the one asked for, or for ``"auto"`` by the voter file's size in bytes."""
    if engine not in ("auto", "pandas", "duckdb"):
        raise ValueError(f"engine is 'auto', 'pandas' or 'duckdb', got {engine!r}")
    if engine != "auto":
        return engine
    return "duckdb" if size >= AUTO_BYTES else "pandas"


def read_statewide(path, *, layout: str = "auto", chunk_rows: int = 500_000, history: bool = False):
    """The file through the toolkit's reader, in pieces: ``(ChunkedFile, read report)``."""
    return vf.read_in_chunks(path, layout=layout, required=[] if not history else None, history=history,
                             chunk_rows=chunk_rows)  # fmt: skip


def check_statewide(voters: vf.ChunkedFile, lay: Layout, columns: Mapping[str, str | None] | None = None) -> dict:
    """:func:`~campaignlab.playbooks.clean.check_columns` for a file in pieces: the same errors, the same roles."""
    empty = pd.DataFrame(columns=voters.columns)
    empty.attrs = dict(voters.attrs)
    roles = {**lay.roles, **dict(columns or {})}
    roles.pop("city", None)
    from campaignlab.voterfile import _check_roles

    source = voters.attrs.get("source", "the file")
    try:
        _check_roles(empty, lay, roles)
    except vf.MissingColumnsError as err:
        raise vf.MissingColumnsError(f"{source}: {err}", err.missing) from None
    pb.check_ids(voters.frame([roles["id"]]), roles["id"], source)
    return roles


def _light(report: StepReport) -> StepReport:
    """The report with its set-aside rows as reasons only, in arrays of their own.

    An empty set-aside frame is a zero-row slice of the step's input: it would keep every column
    of that input (a whole piece of the file) alive for as long as the report lives.
    """
    import dataclasses

    reasons = pd.DataFrame({"reason": pd.array(report.set_aside["reason"].to_numpy(dtype=object), dtype="str")},
                           index=report.set_aside.index.to_numpy())  # fmt: skip
    return dataclasses.replace(report, set_aside=reasons)


def _merge(parts: Sequence[StepReport], set_aside: pd.DataFrame | None = None, **extra) -> StepReport:
    """One report for a step run piece by piece: counts added up, in the order of the counts."""

    def total(dicts):
        dicts, out = list(dicts), {}
        for d in dicts:
            for k, v in d.items():
                out[k] = out.get(k, 0) + v
        by_count = all(list(d.values()) == sorted(d.values(), reverse=True) for d in dicts)
        return dict(sorted(out.items(), key=lambda kv: -kv[1])) if by_count else out  # the step's own order

    first = parts[0]
    aside = set_aside if set_aside is not None else pd.concat([p.set_aside for p in parts])
    return StepReport(first.step, sum(p.rows_in for p in parts), sum(p.rows_kept for p in parts), aside,
                      total(p.changes for p in parts), total(p.flags for p in parts), **extra)  # fmt: skip


@dataclass
class CleanedStatewide:
    """What :func:`clean_statewide` leaves for the outputs: the reports and the work folder's pieces."""

    reports: list[StepReport]
    work: Path
    pieces: list[int]  # the first row of each piece
    columns: list[str]  # the clean file's columns, in the pandas path's order
    raw_columns: list[str]
    name_cols: list[str]
    whole: pd.DataFrame  # per row of the file: the whole-file columns and "kept"
    households: pd.DataFrame  # per kept row: the household columns
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)  # resolve_duplicates' set-aside
    roles: dict = field(default_factory=dict)

    @property
    def clean_rows(self) -> int:
        return len(self.households)

    def piece(self, start: int, what: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """A piece as read (``what="raw"``) or cleaned (``"clean"``), indexed by its rows in the file."""
        import pyarrow.parquet as pq

        path = self.work / f"{what}-{start:012d}.parquet"
        frame = pq.read_table(path, columns=None if columns is None else [*columns, "_row"]).to_pandas()
        return frame.set_index(pd.Index(frame.pop("_row").to_numpy())).rename_axis(None)


def _to_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.assign(_row=frame.index.to_numpy(dtype=np.int64)).to_parquet(path, index=False)


def clean_statewide(voters: vf.ChunkedFile, *, work: Path, as_of=None, layout: Layout, columns=None,
                    dedupe: str = "rules", progress: bool = False) -> CleanedStatewide:  # fmt: skip
    """``clean_voter_file`` on a file in pieces: the row steps piece by piece, the whole-file steps on their columns.

    Returns the reports (the same as ``clean_voter_file``'s, step for step) and the pieces,
    as read and cleaned, in ``work``; :func:`write_voter_outputs` writes the files from them.
    """
    from tqdm import tqdm

    work.mkdir(parents=True, exist_ok=True)
    empty = pd.DataFrame(columns=voters.columns)
    empty.attrs = dict(voters.attrs)
    steps, r = vf.cleaning_steps(empty, as_of=as_of, layout=layout, columns=columns, dedupe=dedupe)
    row_steps = [(n, f) for n, f in steps if n in vf.ROW_STEPS]
    file_steps = [(n, f) for n, f in steps if n not in vf.ROW_STEPS]
    name_cols = [c for k in ("first", "middle", "last", "suffix") if (c := r.get(k))]
    wanted = [c for c in dict.fromkeys([*(v for v in r.values() if v), *_CLEAN_COLUMNS])]
    parts: dict[str, list[StepReport]] = {n: [] for n, _ in row_steps}
    narrow, pieces, columns_out = [], [], None
    n_pieces = -(-len(voters) // voters.chunk_rows) or 1
    for raw in tqdm(voters.chunks(), total=n_pieces, desc="cleaning, piece by piece", unit="piece",
                    disable=not progress, leave=False):  # fmt: skip
        frame = raw
        for name, step in row_steps:
            frame, report = step(frame)
            parts[name].append(_light(report))
        frame = frame.assign(_why=pb._changes(frame, raw, name_cols))
        start = int(raw.index[0]) if len(raw) else 0
        _to_parquet(raw, work / f"raw-{start:012d}.parquet")
        _to_parquet(frame, work / f"clean-{start:012d}.parquet")
        narrow.append(frame[[c for c in wanted if c in frame.columns]])
        pieces.append(start)
        columns_out = columns_out or [c for c in frame.columns if c != "_why"]
    whole = pd.concat(narrow) if len(narrow) > 1 else narrow[0]
    del narrow
    reports = {n: _merge(p) for n, p in parts.items()}
    with tqdm(total=len(file_steps), desc="the whole file", unit="step", disable=not progress, leave=False) as bar:
        for name, step in file_steps:
            bar.set_postfix_str(name)
            whole, report = step(whole)
            reports[name] = report if name == "resolve_duplicates" else _light(report)  # its rows are its own
            bar.update()
    order = [n for n, _ in steps]
    duplicates = reports["resolve_duplicates"].set_aside
    # the whole-file columns per row of the file; the kept rows with their households
    flagged_cols = [c for c in (*_SHARED, *_DUPLICATE) if c in whole.columns]
    per_row = pd.DataFrame(index=pd.RangeIndex(len(voters)))
    kept = np.zeros(len(voters), dtype=bool)
    kept[whole.index.to_numpy()] = True
    for c in flagged_cols:  # kept rows from the final frame; set-aside rows from resolve's set-aside
        per_row[c] = pd.concat([whole[c], duplicates[c]]).sort_index() if len(duplicates) else whole[c]
    per_row["kept"] = kept
    # the clean file's columns in the pandas path's order: shared phones after the phone step's
    cols = list(columns_out)
    if "phone_issue" in cols and _SHARED[0] in flagged_cols:
        at = cols.index("phone_issue") + 1
        cols[at:at] = list(_SHARED)
    cols += list(_DUPLICATE) + list(_HOUSEHOLD)
    return CleanedStatewide([reports[n] for n in order], work, pieces, cols, list(voters.columns), name_cols,
                            per_row, whole[list(_HOUSEHOLD)], duplicates, dict(r))  # fmt: skip


def _clean_pieces(cleaned: CleanedStatewide) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Per piece: (raw rows, cleaned rows with every column and ``_why``, the per-row whole-file columns)."""
    for start in cleaned.pieces:
        raw, frame = cleaned.piece(start, "raw"), cleaned.piece(start, "clean")
        yield raw, frame, cleaned.whole.loc[frame.index]


def write_voter_outputs(cleaned: CleanedStatewide, read_report: StepReport, out: Path, *,
                        progress: bool = False) -> tuple[pd.DataFrame, dict]:  # fmt: skip
    """Write ``clean_voters.csv`` and ``set_aside_voters.csv`` as the pandas path does, piece by piece.

    Returns ``(counts by action, step and reason, counts of records)``: the set-aside file
    itself stays on disk (it holds real people).
    """
    from tqdm import tqdm

    aside_cols = ["action", "step", "reason", "kept_id", "line", "raw_line", *cleaned.raw_columns]
    dups, changed_parts = [], []
    dup = cleaned.duplicates

    def clean_pieces():
        for raw, frame, whole in tqdm(_clean_pieces(cleaned), total=len(cleaned.pieces), desc="writing the clean file",
                                      unit="piece", disable=not progress, leave=False):  # fmt: skip
            for c in whole.columns:
                if c != "kept":
                    frame[c] = whole[c]
            if len(dup):  # the duplicates set aside: their reasons, joined with what cleaning changed
                here = dup.index[(dup.index >= frame.index[0]) & (dup.index <= frame.index[-1])] if len(frame) else []
                if len(here):
                    dups.append((raw.loc[here], frame.loc[here, "_why"]))
            keep = whole["kept"].to_numpy()
            frame = frame[keep]
            raw_kept = raw[keep]
            for c in _HOUSEHOLD:
                frame[c] = cleaned.households.loc[frame.index, c]
            ch = frame["_why"].notna().to_numpy()
            if ch.any():  # to the work folder: a third of a state's records can have a value changed
                rec = raw_kept[ch].copy()
                rec.insert(0, "action", "changed")
                rec.insert(1, "step", "clean_voter_file")
                rec.insert(2, "reason", frame.loc[ch, "_why"].to_numpy())
                path = cleaned.work / f"changed-{len(changed_parts):06d}.parquet"
                _aside_ready(rec, aside_cols).to_parquet(path)
                changed_parts.append(path)
            yield frame[cleaned.columns]

    pb.write_csv(clean_pieces(), out / "clean_voters.csv")
    pieces: list[pd.DataFrame] = []
    if read_report is not None and read_report.rows_set_aside:
        a = read_report.set_aside
        pieces.append(_aside_ready(pd.DataFrame({"action": "set aside", "step": read_report.step,
                                                 "reason": a["reason"].to_numpy(), "line": a["line"].to_numpy(),
                                                 "raw_line": a["raw"].to_numpy()}), aside_cols))  # fmt: skip
    if dups:
        rec = pd.concat([d[0] for d in dups]).loc[dup.index]
        why = pd.concat([d[1] for d in dups]).loc[dup.index]
        reason = why.fillna("").str.cat(dup["reason"].astype("str"), sep="; ").str.strip("; ")
        rec = rec.copy()
        rec.insert(0, "action", "set aside")
        rec.insert(1, "step", "resolve_duplicates")
        rec.insert(2, "reason", reason.to_numpy())
        rec.insert(3, "kept_id", dup["kept_id"].to_numpy())
        pieces.append(_aside_ready(rec, aside_cols))
    tally: list[pd.DataFrame] = []

    def aside_pieces():
        import pyarrow.parquet as pq

        for p in [*pieces, *changed_parts]:
            frame = p if isinstance(p, pd.DataFrame) else pq.read_table(p).to_pandas()
            tally.append(frame[["action", "step", "reason"]])
            yield frame

    pb.write_csv(_nonempty(aside_pieces(), _aside_ready(pd.DataFrame(columns=aside_cols), aside_cols)),
                 out / "set_aside_voters.csv")  # fmt: skip
    counts = pd.concat(tally, ignore_index=True) if tally else pd.DataFrame(columns=["action", "step", "reason"])
    records = {"clean_rows": cleaned.clean_rows, "set_aside_records": int((counts["action"] == "set aside").sum()),
               "changed_records": int((counts["action"] == "changed").sum())}  # fmt: skip
    return counts, records


def _aside_ready(frame: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """A piece of a set-aside file with its columns in order and their types (text; ``line`` a whole number)."""
    frame = frame.reindex(columns=list(cols))
    types = {c: "str" for c in frame.columns if c != "line"}
    if "line" in frame.columns:
        types["line"] = "Int64"
    return frame.astype(types)


def _duckdb(work: Path, memory_limit: str):
    import duckdb

    spill = work / "duckdb-spill"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{spill.as_posix()}'")
    return con


def clean_history_statewide(history: Iterable[pd.DataFrame], read_report: StepReport | None,
                            cleaned: CleanedStatewide, out: Path, *, id: str, voter_id: str,
                            method: str | None = "voting_method", history_columns: Sequence[str],
                            buckets: int = 16, memory_limit: str = "4GB", release=None,
                            progress: bool = False) -> tuple[list[StepReport], pd.DataFrame, dict]:  # fmt: skip
    """The pandas path's ``clean_history`` for a history in pieces; writes ``clean_history.csv`` and
    ``set_aside_history.csv`` in the same order.

    Votes of duplicate registrations are credited to the one kept piece by piece
    (``merge_duplicate_votes``); DuckDB then puts each voter's votes in one of ``buckets``
    buckets (hash of the voter ID), so ``dedupe_history`` and ``pivot_history`` see all the
    votes of a voter at once, one bucket at a time; DuckDB writes the outputs back in the
    history's order. ``release`` (e.g. ``ChunkedFile.release``) is called once every piece
    is in the work folder.

    Returns ``(reports, counts by action, step and reason, counts of rows)``.
    """
    import pyarrow as pa
    from tqdm import tqdm

    work = cleaned.work / "history"
    if work.exists():
        shutil.rmtree(work)
    (work / "merged").mkdir(parents=True)
    con = _duckdb(cleaned.work, memory_limit)
    dup = cleaned.duplicates
    merges, has_merged = [], False
    for i, piece in enumerate(tqdm(history, desc="history: crediting duplicates", unit="piece",
                                   disable=not progress, leave=False)):  # fmt: skip
        h1, r1 = pb.merge_duplicate_votes(piece, dup, id=id, voter_id=voter_id)
        merges.append(r1)
        has_merged = "merged_from" in h1.columns
        _to_parquet(h1, work / "merged" / f"part-{i:06d}.parquet")
    r1 = _merge(merges)
    if release is not None:  # the votes are in the work folder: free the history's text
        release()
    cols_in = [*history_columns, *(["merged_from"] if has_merged else [])]
    q = lambda c: '"' + c.replace('"', '""') + '"'  # noqa: E731
    merged = (work / "merged" / "*.parquet").as_posix()
    con.execute(f"""COPY (SELECT *, hash({q(id)}) % {buckets} AS _bucket FROM read_parquet('{merged}'))
                    TO '{(work / "buckets").as_posix()}' (FORMAT parquet, PARTITION_BY (_bucket))""")
    clean_ids = pa.table({"id": pa.array(_clean_ids(cleaned), pa.string())})
    con.register("clean_ids", clean_ids)
    voters_by_bucket = con.execute(f"SELECT id, hash(id) % {buckets} AS b FROM clean_ids").df()
    (work / "kept").mkdir()
    (work / "aside").mkdir()
    r2s, r3s, a2, a3 = [], [], [], []
    for b in tqdm(range(buckets), desc="history: dedupe by voter", unit="bucket", disable=not progress, leave=False):
        folder = work / "buckets" / f"_bucket={b}"
        files = sorted(folder.glob("*.parquet")) if folder.exists() else []
        if files:
            h = con.execute(f"SELECT * FROM read_parquet('{(folder / '*.parquet').as_posix()}', "
                            "hive_partitioning = false) ORDER BY _row").to_arrow_table().to_pandas()  # fmt: skip
            h = h.set_index(pd.Index(h.pop("_row").to_numpy())).rename_axis(None)[cols_in]
            h = h.astype({c: "str" for c in cols_in})
        else:
            h = pd.DataFrame({c: pd.Series(dtype="str") for c in cols_in})
        mine = voters_by_bucket.loc[voters_by_bucket["b"] == b, "id"]
        h2, r2 = vf.dedupe_history(h, id=id, method=method)
        _, r3 = vf.pivot_history(h2, id=id, voters=pd.Series(mine.to_numpy(), dtype="str"))
        kept = h2[~h2.index.isin(r3.set_aside.index)]
        _to_parquet(kept, work / "kept" / f"b{b:03d}.parquet")
        for r, acc, name in ((r2, a2, "dedupe"), (r3, a3, "pivot")):
            if r.rows_set_aside:
                _to_parquet(r.set_aside, work / "aside" / f"{name}-b{b:03d}.parquet")
            acc.append(r.set_aside[["reason"]])
        r2s.append(r2)
        r3s.append(r3)
    r2 = _merge(r2s, pd.concat(a2).sort_index())
    r3 = _merge(r3s, pd.concat(a3).sort_index(), rows_out=sum(r.rows_out for r in r3s))
    reports = ([read_report] if read_report is not None else []) + [r1, r2, r3]

    def ordered(pattern: str, where: str = "") -> Iterator[pd.DataFrame]:
        files = sorted(work.glob(pattern))
        if not files:
            return
        glob = (work / pattern).as_posix()
        res = con.execute(f"SELECT * FROM read_parquet('{glob}', union_by_name = true, hive_partitioning = false) "
                          f"{where} ORDER BY _row")
        reader = res.to_arrow_reader(200_000)
        for batch in reader:
            frame = batch.to_pandas()
            yield frame.drop(columns=["_row"])

    kept_cols = cols_in
    counts: list[pd.DataFrame] = []
    n_kept = [0]

    def kept_pieces():
        for f in ordered("kept/*.parquet"):
            n_kept[0] += len(f)
            yield f[kept_cols].astype({c: "str" for c in kept_cols})

    pb.write_csv(_nonempty(kept_pieces(), pd.DataFrame({c: pd.Series(dtype="str") for c in kept_cols})),
                 out / "clean_history.csv")  # fmt: skip
    # the set-aside file: the reader's lines, dedupe's, pivot's, then the votes moved (the pandas path's order)
    aside_cols = ["action", "step", "reason", "line", "raw_line", *history_columns, "merged_from"]
    present = {"action", "step", "reason"}
    sources: list[tuple[str, Iterator[pd.DataFrame]]] = []
    if read_report is not None and read_report.rows_set_aside:
        a = read_report.set_aside
        first = pd.DataFrame({"action": "set aside", "step": read_report.step, "reason": a["reason"].to_numpy(),
                              "line": a.get("line", pd.Series(None, index=a.index)).to_numpy(),
                              "raw_line": a.get("raw", pd.Series(None, index=a.index)).to_numpy()})  # fmt: skip
        present |= set(first.columns)
        sources.append(("", iter([first])))
    for r, name in ((r2, "dedupe"), (r3, "pivot")):
        if r.rows_set_aside:
            present |= {*cols_in, "reason"}
            sources.append((r.step, ordered(f"aside/{name}-*.parquet")))
    if has_merged and r1.changes:
        present |= set(cols_in)
        sources.append((r1.step, ordered("kept/*.parquet", "WHERE merged_from IS NOT NULL")))
    final_cols = [c for c in aside_cols if c in present]

    def aside_pieces():
        for step, frames in sources:
            for f in frames:
                if step:
                    f.insert(0, "action", "changed" if step == r1.step else "set aside")
                    f.insert(1, "step", step)
                    if step == r1.step:
                        f.insert(2, "reason", "vote of a duplicate registration credited to the one kept")
                f = _aside_ready(f, final_cols)
                counts.append(f[["action", "step", "reason"]])
                yield f

    pb.write_csv(_nonempty(aside_pieces(), _aside_ready(pd.DataFrame(columns=final_cols), final_cols)),
                 out / "set_aside_history.csv")  # fmt: skip
    con.close()
    tally = pd.concat(counts, ignore_index=True) if counts else pd.DataFrame(columns=["action", "step", "reason"])
    records = {"clean_rows": n_kept[0], "set_aside_records": int((tally["action"] == "set aside").sum()),
               "changed_records": int((tally["action"] == "changed").sum())}  # fmt: skip
    return reports, tally, records


def _nonempty(frames: Iterator[pd.DataFrame], empty: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The frames, or ``empty`` alone when there are none (a file with its header only)."""
    any_ = False
    for f in frames:
        any_ = True
        yield f
    if not any_:
        yield empty


def _clean_ids(cleaned: CleanedStatewide) -> list[str]:
    """The clean file's voter IDs (one per kept registration)."""
    ids = []
    for start in cleaned.pieces:
        frame = cleaned.piece(start, "clean", [cleaned.roles["id"]])
        keep = cleaned.whole.loc[frame.index, "kept"].to_numpy()
        ids.append(frame[cleaned.roles["id"]][keep].astype("str"))
    return pd.concat(ids).tolist() if ids else []
