"""Past one machine: bring the grades of several grading machines (shards) into one gradebook.

A large cohort can be graded as jobs on an engine the course already has (Kubernetes jobs
beside a JupyterHub, a batch queue, a few laptops): each job holds a copy of the course root
(the released module, the hand-ins, ``campaignlab/grading-county.json``) and runs
``campaignlab grade autograde MODULE --student ID ...`` for its share of the students. Each
job leaves ``campaignlab/<module>/results.json`` and ``autograded/<student>/<module>/`` in its
copy. ``merge_shards`` (``campaignlab grade merge MODULE SHARD ...``) then writes them into the
main course root's gradebook through the same writer autograde uses, one result at a time, so
feedback and the cohort report work as if one machine had graded everyone.

It refuses, before writing anything, when the shards do not fit together: a shard graded on
another county (another grading seed), a student graded in two shards, a shard of another
module, or a shard with no results. Nothing a trainee's code produced is trusted here: the
rows are the ones the graders' parent process wrote after the sandboxes were gone.
"""

from __future__ import annotations

from pathlib import Path

from campaignlab.course import assemble as asm
from campaignlab.course import county
from campaignlab.course.autograde import (
    HandinResult,
    county_of,
    load_results,
    load_roster,
    save_results,
)
from campaignlab.course.gradebook import GradebookWriter

__all__ = ["merge_shards", "ShardError"]


class ShardError(ValueError):
    """The shards cannot be merged; the message says which shard and why."""


def _root_county(root: Path) -> dict | None:
    seed = county.kept_seed(root)
    if seed is None:
        return None
    return {"seed": seed, "voters": county.grading_voters(seed)}


def _collect(root: Path, module: str, shards: list[Path]) -> list[tuple[Path, HandinResult]]:
    want = _root_county(root)
    rows: list[tuple[Path, HandinResult]] = []
    where: dict[tuple[str, str], Path] = {}
    for shard in shards:
        try:
            doc = load_results(shard, module)
        except FileNotFoundError:
            raise ShardError(f"{shard}: no results for {module} (run `campaignlab grade autograde "
                             f"{module} --student ...` in that copy of the course first)") from None
        if doc.get("module") != module:
            raise ShardError(f"{shard}: its results are for {doc.get('module')!r}, not {module!r}")
        have = doc.get("county")
        if want is None:
            want = have  # the main root never graded: the shards must agree among themselves
        elif have != want:
            raise ShardError(
                f"{shard}: graded on the county {have} but this course grades on {want}: copy "
                f"{root / 'campaignlab' / county.SEED_FILE} to every shard (or pass the same "
                "--grading-seed) and grade that shard again")
        for res in doc["results"]:
            key = (res.student, res.notebook)
            if key in where:
                raise ShardError(
                    f"{res.student} / {res.notebook} was graded in two shards ({where[key]} and "
                    f"{shard}): grade each student in exactly one shard (--student)")
            where[key] = shard
            rows.append((shard, res))
    return rows


def merge_shards(root: Path | str, module: str, shards: list[Path | str], log=print) -> list[HandinResult]:
    """Write the results and graded copies of ``shards`` into the course at ``root``.

    Args:
        root: the main course root (its gradebook, roster and grading seed).
        module: the module graded.
        shards: course roots of the grading jobs, each graded with ``--student`` for its share.

    Returns:
        the merged results, one per (student, lesson), as ``autograde`` returns them.

    Raises:
        ShardError: the shards do not fit together (nothing is written then).
    """
    import nbformat

    root = Path(root).resolve()
    shards = [Path(s).resolve() for s in shards]
    if not shards:
        raise ShardError("name at least one shard (a course root graded with --student)")
    rows = _collect(root, module, shards)
    trusted = asm.load_trusted(root, module)
    writer = GradebookWriter(root, module, trusted, load_roster(root, module))
    results = []
    try:
        for shard, res in rows:
            copy = shard / "autograded" / res.student / module / res.notebook
            graded = nbformat.read(copy, as_version=4) if copy.is_file() else None
            writer.write(res, graded)
            results.append(res)
    finally:
        writer.close()
    for res in results:
        res.notes.extend(writer.flags.get(res.student, {}).get(res.notebook, []))
    results.sort(key=lambda r: (r.student, r.notebook))
    data_dir = root / "campaignlab" / county.COUNTY_DIR
    save_results(root, module, results, keep_others=True, flags=writer.global_flags,
                 county=county_of(data_dir) or _root_county(root),
                 shards=[str(s) for s in shards])
    log(f"merged {len(results)} (student, lesson) rows of {module} from {len(shards)} shard(s) "
        f"into {root / 'gradebook.db'}")
    return results
