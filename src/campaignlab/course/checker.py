"""The checker: runs a lesson's test cells where trainee code never ran.

Started by the runner (inside the sandbox) before the trainee's kernel, as its own process
(``python -I``: no user site, no environment-chosen paths, no current folder on ``sys.path``),
marked non-dumpable, so the kernel (same uid) cannot read or write its memory.  It holds the test
code (hidden tests included: they never enter the kernel) and decides each verdict.  The trainee's
values reach it as plain data only (``wire``); a trainee's function is called through the runner,
on plain data, in the kernel.

Protocol, one JSON object per line (runner -> checker on stdin, checker -> runner on stdout):
first, optionally, ``{"op": "refs", "packed"}``: the lesson's precomputed references
(``references``), set as the test code's own names; then ``{"op": "test", "source", "export"}`` runs one test cell on the values exported to the folder
``export``; while it runs the checker may send ``{"op": "call", "name", "request"}`` and read back
``{"op": "reply", "folder"}`` or ``{"op": "reply", "error"}``; it ends with ``{"op": "result",
"status": "ok" | "error", "stdout", "ename", "evalue", "traceback"}``.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import sys
import uuid
from pathlib import Path


def names_in(source: str) -> list[str]:
    """Every identifier a test cell's code mentions, in order (what to ask the kernel for).

    >>> names_in("import pandas as pd\\nassert n_active == len(voters[voters.x == 1])")
    ['pd', 'n_active', 'len', 'voters']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = sorted((n.lineno, n.col_offset, n.id) for n in ast.walk(tree) if isinstance(n, ast.Name))
    found += sorted((n.lineno, n.col_offset, (n.asname or n.name).split(".")[0])
                    for n in ast.walk(tree) if isinstance(n, ast.alias))
    return list(dict.fromkeys(name for *_, name in sorted(found)))


def owned_by_test(name: str) -> bool:
    """A name the test code owns (one that starts with ``_``): never asked of the notebook.

    Test cells keep their working values under names that start with ``_``, and build a
    reference once per notebook (``if "_ref_a" not in globals(): ...``).  Taken from the
    notebook, such a name would let a hand-in hand over its own reference; so the checker keeps
    them across the lesson's test cells (as the notebook would) and only the test code sets them.

    >>> [n for n in names_in("_expected = _cache\\nassert len(walk_list) == _expected") if not owned_by_test(n)]
    ['len', 'walk_list']
    """
    return name.startswith("_")


def asked_of_notebook(source: str) -> list[str]:
    """The names a test cell needs from the notebook: those it mentions, less its own."""
    return [n for n in names_in(source) if not owned_by_test(n)]


class Checker:
    """One lesson's test cells, run one after the other in one namespace (as in a notebook)."""

    def __init__(self, inbox, outbox, exchange: Path):
        self.inbox, self.outbox, self.exchange = inbox, outbox, exchange
        self.ns: dict = {"__name__": "__main__", "__builtins__": builtins}

    def send(self, obj: dict) -> None:
        self.outbox.write(json.dumps(obj) + "\n")
        self.outbox.flush()

    def call(self, name: str, args: tuple, kwargs: dict):
        from campaignlab.course import wire

        request = self.exchange / f"call-{uuid.uuid4().hex}"
        wire.write_args(args, kwargs, request)
        self.send({"op": "call", "name": name, "request": str(request)})
        line = self.inbox.readline()
        reply = json.loads(line) if line else {"error": "the notebook stopped answering"}
        if reply.get("error"):
            raise RuntimeError(f"{name}(...) could not be run in the notebook: {reply['error']}")
        folder = Path(str(reply.get("folder")))
        doc = wire.read_manifest(folder)
        if not isinstance(doc, dict) or not doc.get("ok"):
            ename = str(doc.get("ename", "Error"))[:100] if isinstance(doc, dict) else "Error"
            evalue = str(doc.get("evalue", ""))[:2000] if isinstance(doc, dict) else ""
            raise TraineeFunctionError(f"{name}(...) raised {ename}: {evalue}")
        return wire.decode_value(doc, folder, f"the result of {name}(...)", self.call)

    def run_test(self, source: str, export: Path) -> dict:
        import time

        from campaignlab.course import wire

        t0 = time.monotonic()
        try:
            values = wire.load(export, wire.read_manifest(export), self.call)
        except Exception as err:  # noqa: BLE001 - the kernel sent no usable export
            values = {}
            problem = f"the notebook's values could not be read ({type(err).__name__})"
        else:
            problem = None
        for name in asked_of_notebook(source):
            if name in values:
                self.ns[name] = values[name]
            elif not hasattr(builtins, name):
                self.ns.pop(name, None)  # not in the notebook (any more): not here either
        out = io.StringIO()
        result = {"op": "result", "status": "ok", "ename": None, "evalue": "", "traceback": [],
                  "seconds_load": round(time.monotonic() - t0, 3)}
        try:
            if problem:
                raise RuntimeError(problem)
            code = compile(source, "<test cell>", "exec")
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                exec(code, self.ns)  # noqa: S102 - our own test code, on plain data
        except BaseException as err:  # noqa: BLE001 - a failing test is a result, not a crash
            # the message only: a traceback would show the (hidden) test code
            result.update(status="error", ename=type(err).__name__, evalue=str(err)[:2000],
                          traceback=[f"{type(err).__name__}: {str(err)[:2000]}"])
        result["stdout"] = out.getvalue()[:200_000]
        result["seconds_test"] = round(time.monotonic() - t0 - result["seconds_load"], 3)
        return result


def cache_county_reads(data_dir: Path) -> None:
    r"""Read each county file once per hand-in: later reads with other ``usecols`` are cut from it.

    Hidden tests recompute what they expect from the county (``pd.read_csv(data.path(...))``),
    a lesson's tests read the same files 10-30 times, and each read of the voter file costs
    0.1-0.7 s.  In the checker (trusted code only; the county is read-only at /data) the first
    read of a file with given options keeps the whole table; a read with the same options and
    a list of ``usecols`` gets those columns, in file order, as ``pandas.read_csv`` gives them.
    Copy-on-write (pandas 3) keeps the cached table safe from tests that add columns.  Other
    files (a trainee's export), and reads with ``nrows``, ``chunksize``, ``iterator`` or a
    callable ``usecols``, go to pandas unchanged.

    >>> import pandas as pd, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "v.txt").write_text("b\ta\n1\t2\n")
    >>> cache_county_reads(folder)
    >>> pd.read_csv(folder / "v.txt", sep="\t", dtype=str, usecols=["a", "b"]).columns.tolist()
    ['b', 'a']
    >>> pd.read_csv(folder / "v.txt", sep="\t", dtype=str)["a"].tolist()
    ['2']
    >>> pd.read_csv.cached
    1
    >>> pd.read_csv = pd.read_csv.__wrapped__  # (the checker never undoes it; a doctest must)
    """
    import pandas as pd

    real = getattr(pd.read_csv, "__wrapped__", pd.read_csv)
    root = Path(data_dir).resolve()
    tables: dict = {}

    def read_csv(filepath_or_buffer, *args, **kwargs):
        usecols = kwargs.pop("usecols", None)
        try:
            path = Path(filepath_or_buffer).resolve()
            key = (str(path), path.stat().st_mtime_ns, args, repr(sorted(kwargs.items())))
            usable = (path.is_relative_to(root) and not args
                      and not {"nrows", "chunksize", "iterator", "skiprows"} & set(kwargs)
                      and (usecols is None or (isinstance(usecols, (list, tuple))
                                               and all(isinstance(c, str) for c in usecols))))
        except (TypeError, OSError, ValueError):
            usable = False
        if not usable:
            return real(filepath_or_buffer, *args, usecols=usecols, **kwargs)
        if key not in tables:
            tables[key] = real(filepath_or_buffer, **kwargs)
            read_csv.cached = len(tables)
        table = tables[key]
        if usecols is None:
            return table.copy(deep=False)
        missing = [c for c in usecols if c not in table.columns]
        if missing:  # let pandas say it, in its words
            return real(filepath_or_buffer, usecols=usecols, **kwargs)
        wanted = set(usecols)
        return table[[c for c in table.columns if c in wanted]].copy(deep=False)

    read_csv.__wrapped__ = real
    read_csv.cached = 0
    pd.read_csv = read_csv


class TraineeFunctionError(Exception):
    """The trainee's function raised when the test called it (the test sees this exception)."""


def main() -> int:
    from campaignlab.course.runner import _undumpable

    _undumpable()
    sys.modules.setdefault("rfc3987_syntax", None)
    inbox = sys.stdin
    outbox = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    exchange = Path(os.environ.get("CAMPAIGNLAB_EXCHANGE", "/tmp"))
    if os.environ.get("CAMPAIGNLAB_DATA"):
        cache_county_reads(Path(os.environ["CAMPAIGNLAB_DATA"]))
    checker = Checker(inbox, outbox, exchange)
    for line in inbox:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("op") == "refs" and isinstance(msg.get("packed"), dict):
            from campaignlab.course import references

            values = references.unpack(msg["packed"])
            checker.ns.update({k: v for k, v in values.items() if owned_by_test(k)})
        elif msg.get("op") == "test":
            checker.send(checker.run_test(str(msg.get("source", "")), Path(str(msg.get("export")))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
