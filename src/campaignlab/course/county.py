"""The grading county: every hand-in is graded on a county of the same kind that the trainee
never saw.

Trainees work on the canonical county (seed 2026, 50,000 voters).  If grading ran there too, a
number typed in from the lesson's own output (``n_active = 40000``) would pass like a computed
one.  So autograde runs every notebook against a county generated from a seed that only the
instructor's course keeps (``<root>/campaignlab/grading-county.json``, beside the gradebook,
never in a release), with the same files, columns and defect rates, and a size one to three
per cent away from the canonical one: even the counts the generator plants exactly (the 80 %
active share) come out different.  Answers computed from the data earn their points there;
typed numbers do not.

>>> grading_voters(1234) != data.CANONICAL_VOTERS
True
>>> all(0.01 <= abs(grading_voters(s) / data.CANONICAL_VOTERS - 1) <= 0.03 for s in range(200))
True
>>> grading_voters(1234) == grading_voters(1234)
True
"""

from __future__ import annotations

import json
import random
import secrets
from pathlib import Path

from campaignlab import data

#: Where the course keeps the seed, and the generated county, under the course root.
SEED_FILE = "grading-county.json"
COUNTY_DIR = "grading-county"
#: Written into the county folder once generation has finished (a half-written folder has none).
STAMP = ".county.json"


def grading_voters(seed: int) -> int:
    """The grading county's size for ``seed``: 1-3 % above or below the canonical 50,000."""
    rng = random.Random(seed)
    off = rng.uniform(0.01, 0.03) * rng.choice((-1, 1))
    return int(round(data.CANONICAL_VOTERS * (1 + off)))


def _state(root: Path) -> Path:
    return Path(root) / "campaignlab"


def kept_seed(root: Path | str) -> int | None:
    """The grading seed this course keeps, or None before the first autograde."""
    p = _state(Path(root)) / SEED_FILE
    if not p.is_file():
        return None
    return int(json.loads(p.read_text())["seed"])


def ensure(root: Path | str, seed: int | None = None, log=print) -> Path:
    """The grading county of the course at ``root`` (generated on first use); its folder.

    The seed is, in order: ``seed`` (which is then kept, replacing an earlier one), the seed the
    course already keeps, or a new random one (kept).  Generation is deterministic, so the same
    seed gives the same county on every grading machine (copy ``grading-county.json`` to shard
    a cohort over several).  Raises ``ValueError`` for the canonical seed: trainees have that one.
    """
    state = _state(Path(root))
    state.mkdir(parents=True, exist_ok=True)
    if seed is None:
        seed = kept_seed(root)
    if seed is None:
        seed = secrets.randbelow(2**31 - 1) + 1
    if seed == data.CANONICAL_SEED:
        raise ValueError(
            f"the grading seed must differ from the canonical seed {data.CANONICAL_SEED}: "
            "trainees work on that county, so typed-in numbers would pass"
        )
    voters = grading_voters(seed)
    (state / SEED_FILE).write_text(json.dumps({"seed": seed, "voters": voters}) + "\n")
    folder = state / COUNTY_DIR
    want = {"seed": seed, "voters": voters}
    stamp = folder / STAMP
    have = json.loads(stamp.read_text()) if stamp.is_file() else None
    complete = all((folder / f).is_file() for f in data.FILES.values())
    if have == want and complete:
        return folder
    from campaignlab.synth import generate

    log(f"generating the grading county ({voters:,} voters, the seed kept in "
        f"{state / SEED_FILE}): a county of the same kind the trainees never saw")
    if stamp.is_file():
        stamp.unlink()
    generate(folder, seed=seed, voters=voters)
    stamp.write_text(json.dumps(want) + "\n")
    return folder
