"""A lesson's reference values, computed once per grading batch, where no trainee code runs.

Hidden tests compare an answer with what they recompute from the county, and build that
reference once per notebook, in a block of their own::

    if "_ref_a" not in globals():
        _v = pd.read_csv(_data.path("voters"), ...)   # the county files and the toolkit only
        _ref_a = ...

Every hand-in of a batch runs on the same county, so the block gives the same value each time
(5-10 s of a model lesson's grading).  Before the batch, the grader runs each lesson's blocks
once, in a process of their own (``python -I``, the county at ``CAMPAIGNLAB_DATA``): the
course's own test code on the county, nothing from a hand-in.  Each value is written as plain
data (``wire``) to ``<folder>/<lesson>/``, and travels in each hand-in's job to the runner, which
gives it to the checker when it starts it, before the trainee's kernel exists (never through a
file the kernel could read); the checker sets ``_ref_a`` from it, so the block is skipped.  A block that needs a value
of the notebook (it names one: ``NameError``) or fails is left out, and the checker runs it
as before: a reference changes how fast a verdict comes, never what it is.

>>> src = 'import pandas as pd\\nif "_ref_a" not in globals():\\n    _ref_a = pd.Series([1, 2])\\n'
>>> src += 'if "_ref_b" not in globals():\\n    _ref_b = len(voters)\\nassert x == _ref_a.sum()'
>>> [name for name, _ in blocks(src)]
['_ref_a', '_ref_b']
>>> ns, made = run_blocks([src])
>>> made, ns["_ref_a"].tolist()
(['_ref_a'], [1, 2])
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANIFEST = "manifest.json"


def _guard_name(node: ast.stmt) -> str | None:
    """``"_x"`` for ``if "_x" not in globals():`` (a test-owned name), else None."""
    if not isinstance(node, ast.If):
        return None
    test = node.test
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str)
            and test.left.value.startswith("_")
            and isinstance(test.comparators[0], ast.Call)
            and isinstance(test.comparators[0].func, ast.Name)
            and test.comparators[0].func.id == "globals" and not test.comparators[0].args):
        return test.left.value
    return None


def blocks(source: str) -> list[tuple[str, str]]:
    """``(name, code)`` for each reference block of a test cell, in order; ``code`` runs the
    cell's imports (top level, before the block) and then the block."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found, imports = [], []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif (name := _guard_name(node)) is not None:
            found.append((name, ast.unparse(ast.Module(body=[*imports, node], type_ignores=[]))))
    return found


def run_blocks(sources: list[str], log=lambda msg: None) -> tuple[dict, list[str]]:
    """Run the reference blocks of a lesson's test cells (in order, in one namespace, as the
    checker would): ``(namespace, names made)``.  A failing block is reported and skipped."""
    import builtins

    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    made: list[str] = []
    for source in sources:
        for name, code in blocks(source):
            if name in ns:
                continue
            t0 = time.monotonic()
            try:
                exec(compile(code, f"<reference {name}>", "exec"), ns)  # noqa: S102 - course code
            except Exception as err:  # noqa: BLE001 - left to the checker, which runs it per hand-in
                log(f"reference {name}: not precomputed ({type(err).__name__}: {str(err)[:200]})")
                ns.pop(name, None)
                continue
            if name in ns:
                made.append(name)
                log(f"reference {name}: {time.monotonic() - t0:.1f} s")
    return ns, made


def build(sources: dict[str, list[str]], data_dir: Path | str, folder: Path | str, *,
          jobs: int = 1, log=print) -> Path:
    """Precompute the references of every lesson (``{lesson file: [test cell source, ...]}``)
    on the county in ``data_dir``, into ``folder/<lesson>/``; one process per lesson."""
    from concurrent.futures import ThreadPoolExecutor

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    todo = {name: cells for name, cells in sources.items() if any(blocks(c) for c in cells)}

    def one(name: str) -> None:
        out = folder / name
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as job:
            json.dump({"sources": todo[name], "out": str(out)}, job)
        env = dict(os.environ, CAMPAIGNLAB_DATA=str(Path(data_dir).resolve()))
        try:
            proc = subprocess.run([sys.executable, "-I", "-m", __name__, job.name], env=env,
                                  capture_output=True, text=True, timeout=600)
        finally:
            os.unlink(job.name)
        for line in proc.stdout.splitlines():
            log(f"{name}: {line}")
        if proc.returncode != 0:  # no references: the checker computes them per hand-in
            log(f"{name}: references not precomputed (exit {proc.returncode}): "
                f"{proc.stderr.strip()[-500:]}")

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, todo))
    return folder


def pack(folder: Path | str) -> dict | None:
    """One lesson's references as one JSON-able value (``{"manifest", "files"}``, file bytes in
    base64), to travel in a hand-in's job; None if there are none."""
    import base64

    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        return None
    manifest = json.loads((folder / MANIFEST).read_text())
    if not manifest:
        return None
    files = {f["name"]: base64.b64encode((folder / f["name"]).read_bytes()).decode("ascii")
             for entry in manifest.values() for f in entry.get("files", [])}
    return {"manifest": manifest, "files": files}


def unpack(packed: dict) -> dict:
    """The values of ``pack(...)``, decoded as plain data (``wire``); {} if unreadable."""
    import base64
    import shutil

    from campaignlab.course import wire

    folder = Path(tempfile.mkdtemp(prefix="cl-refs-"))
    try:
        for f, data in packed.get("files", {}).items():
            if "/" in f or f.startswith("."):
                return {}
            (folder / f).write_bytes(base64.b64decode(data))
        return wire.load(folder, packed["manifest"], call=None)
    except (KeyError, TypeError, ValueError, OSError):
        return {}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    from campaignlab.course import wire
    from campaignlab.course.checker import cache_county_reads

    job = json.loads(Path(argv[0]).read_text())
    if os.environ.get("CAMPAIGNLAB_DATA"):
        cache_county_reads(Path(os.environ["CAMPAIGNLAB_DATA"]))
    ns, made = run_blocks(job["sources"], log=print)
    out = Path(job["out"])
    out.mkdir(parents=True, exist_ok=True)
    manifest = wire.export(ns, made, out)
    unsendable = [n for n, e in manifest.items() if e["value"].get("t") == "unsendable"]
    for n in unsendable:
        print(f"reference {n}: not plain data ({manifest[n]['value'].get('type')}): left to the checker")
        del manifest[n]
    (out / MANIFEST).write_text(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
