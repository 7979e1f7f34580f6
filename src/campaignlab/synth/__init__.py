"""Build the synthetic Alder County: voter file, vote history, vendor scores, field, digital, truth.

``generate(out_dir, seed, voters)`` writes every file of ``campaignlab.data.FILES`` and returns
their sorted paths. Same seed and package version => byte-identical files. Each component draws
from its own ``numpy`` generator spawned from one ``SeedSequence`` (see ``streams``), so changing
one component never shifts the random numbers of another.

The ``people`` table (one row per real person; ``truth/people.csv``) handed to
``field.build_field(people, voters, rng)`` and ``digital.build_digital(people, rng)`` (whose list
export and donations ``ads.build_ads`` then builds the paid-acquisition files from):

============== ========= ===========================================================
column         dtype     meaning
============== ========= ===========================================================
person_id      int64     1..n, the real person
household_id   int64     true household (dorm/nursing-home residents: one each)
ncid           str       the person's primary registration (first one; see registrations)
first_name     str       true name, upper case (the file may show variants)
middle_name    str/<NA>  true middle name
last_name      str       true surname
suffix         str/<NA>  JR SR II III IV
sex            str       F M U
birth_year     int64     true birth year
age            int64     age at 12/31/2026
race, ethnic   str       race_code / ethnic_code values
party          str       DEM REP UNA LIB GRE
birth_state    str       two letters (OC = out of country)
address        str       residential street address (true, even when the file says REMOVED)
city, zip5     str       residential city and 5-digit ZIP (text, "00301")
phone          str/<NA>  10 digits, 919/984 + 555 exchange (more area codes past ~50,000 voters)
precinct       str       precinct_abbrv ("01".."24")
homeowner      bool      owns the home
years_at_address float   years at the address at the snapshot
special        str       "", "dorm" or "nursing home"
status         str       status_cd of the primary registration (A I R D S)
dem_prob       float     true probability of being a Democrat-type voter (partisanship)
support        float     true P(yes on Measure A), 0-1
turnout_2026   float     true P(vote 11/03/2026), 0 when not eligible
============== ========= ===========================================================

>>> sorted(streams(1))[:3]
['ads', 'defects', 'digital']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal
from campaignlab.synth import text, writer
from campaignlab.synth.experiment import Experiment, build_experiment
from campaignlab.synth.history import HISTORY_COLUMNS, build_history
from campaignlab.synth.people import build_people
from campaignlab.synth.registrations import build_registrations, people_for
from campaignlab.synth.turnout import Turnout, build_turnout
from campaignlab.synth.vendor import build_vendor
from campaignlab.synth.voterfile import NCVOTER_COLUMNS, VoterFile, build_voterfile

__all__ = ["generate", "streams", "build_world", "core_world", "NCVOTER_COLUMNS", "HISTORY_COLUMNS"]

#: Components in a fixed order: a component's stream depends only on the seed and its index.
COMPONENTS = ("people", "registrations", "turnout", "voterfile", "history", "vendor",
              "defects", "field", "digital", "experiment", "ads")  # fmt: skip

PEOPLE_COLUMNS = [
    "person_id", "household_id", "ncid", "first_name", "middle_name", "last_name", "suffix",
    "sex", "birth_year", "age", "race", "ethnic", "party", "birth_state", "address", "city",
    "zip5", "phone", "precinct", "homeowner", "years_at_address", "special", "status",
    "dem_prob", "support", "turnout_2026",
]  # fmt: skip
DEFECT_COLUMNS = ["dataset", "key", "defect", "detail"]


def streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per component, spawned from ``SeedSequence(seed)``."""
    children = np.random.SeedSequence(seed).spawn(len(COMPONENTS))
    return {name: np.random.default_rng(c) for name, c in zip(COMPONENTS, children, strict=True)}


def _optional(module: str):
    try:
        return importlib.import_module(f"campaignlab.synth.{module}")
    except ModuleNotFoundError as err:  # only a missing module is skipped, never a broken one
        if err.name == f"campaignlab.synth.{module}":
            return None
        raise


Emit = Callable[[str, "pd.DataFrame | pa.Table"], None]


@dataclass
class Core:
    """The world up to the probabilities: what the history and every program are built from."""

    rng: dict[str, np.random.Generator]
    people: pd.DataFrame
    regs: pd.DataFrame
    vf: VoterFile
    turnout: Turnout
    reg_text: dict[str, pa.Array]
    experiment: Experiment


def core_world(seed: int, voters: int) -> Core:
    """People, registrations, the voter file, true turnout and the 2024 canvass experiment.

    >>> core = core_world(1, 1_000)
    >>> core.experiment.prob.shape == core.turnout.prob.shape
    True
    """
    rng = streams(seed)
    people = build_people(people_for(voters), rng["people"])
    regs = build_registrations(people, voters, rng["registrations"])
    vf = build_voterfile(people, regs, rng["voterfile"])
    # municipal eligibility follows the precinct of each registration as the file lays it out
    turnout = build_turnout(people, regs, rng["turnout"], row_precinct=vf.precinct_idx)
    reg_text = {"ncid": vf.ncid, "voter_reg_num": vf.voter_reg_num, "precinct": vf.precinct}
    experiment = build_experiment(people, turnout.prob, turnout.row, vf.ncid, rng["experiment"])
    return Core(rng, people, regs, vf, turnout, reg_text, experiment)


def build_world(
    seed: int = 2026, voters: int = 50_000, programs: bool = True, emit: Emit | None = None
) -> dict[str, pd.DataFrame | pa.Table]:
    """Build every table in memory: file name (as in ``data.FILES``) -> table.

    ``programs=False`` stops after the voter file, its history and their truth (no vendor,
    field, digital or experiment files; the 2024 canvass experiment is still run, because the
    history holds the votes it caused). ``emit(name, table)`` is called as soon as each table is final,
    so a caller can write big files while the rest is still being built.

    >>> sorted(build_world(seed=1, voters=1_000, programs=False))[:3]
    ['ncvhis_alder.txt', 'ncvoter_alder.txt', 'truth/defects.csv']
    """
    tables: dict[str, pd.DataFrame | pa.Table] = {}

    def ready(name: str, table: pd.DataFrame | pa.Table) -> None:
        tables[name] = table
        if emit is not None:
            emit(name, table)

    core = core_world(seed, voters)
    rng, people, regs, vf, turnout = core.rng, core.people, core.regs, core.vf, core.turnout
    ready("ncvoter_alder.txt", vf.table)
    # the 2024 canvass experiment adds the votes its contacts caused, and nothing else
    history, drift, _ = build_history(
        core.experiment.prob, turnout.row, people, core.reg_text, rng["history"], baseline=turnout.prob
    )
    ready("ncvhis_alder.txt", history)

    ncid = vf.ncid
    person_idx = regs["person_idx"].to_numpy()
    is_dup = regs["is_dup"].to_numpy()
    status_code = regs["status_code"].to_numpy()
    status = np.array(list(cal.STATUS_SHARES))[status_code]
    primary_row = np.empty(len(people), dtype=np.int64)
    primary_row[person_idx[~is_dup]] = np.flatnonzero(~is_dup)

    from campaignlab.synth.places import precincts

    i26 = len(cal.ELECTIONS) - 1
    truth_people = people.assign(
        ncid=_str(pc.take(ncid, pa.array(primary_row))),
        precinct=_str(text.take(precincts()["precinct_abbrv"].tolist(), people["precinct"].to_numpy())),
        status=_str(text.take(list(cal.STATUS_SHARES), status_code[primary_row])),
        special=_str(_blank_to_null(pa.array(people["special"], from_pandas=True))),
        turnout_2026=np.nan_to_num(turnout.prob[:, i26], nan=0.0),
    )[PEOPLE_COLUMNS]

    dup_of = regs["duplicate_of_row"].to_numpy(dtype=float, na_value=np.nan)
    registrations = pd.DataFrame(
        {
            "ncid": _str(ncid),
            "voter_reg_num": _str(vf.voter_reg_num),
            "person_id": people["person_id"].to_numpy()[person_idx],
            "duplicate_of": _str(pc.take(ncid, pa.array(np.nan_to_num(dup_of, nan=0).astype(np.int64), mask=~is_dup))),
            "variation": _str(_dup_variations(vf.variation, is_dup)),
            "registr_dt": _str(text.format_dates(regs["reg_date"].to_numpy(), fmt="iso")),
            "status_cd": regs["status"],
        }
    )
    ready("truth/registrations.csv", registrations)
    turnout_df = pd.DataFrame(
        {"person_id": people["person_id"].to_numpy()} | {e.column: turnout.prob[:, i] for i, e in enumerate(cal.ELECTIONS)}
    )
    ready("truth/turnout_probability.csv", turnout_df)

    drift_rows = pd.DataFrame(
        {
            "dataset": "history",
            "key": (drift["ncid"] + "|" + drift["election_lbl"]).astype("str"),
            "defect": "label_drift_duplicate",
            "detail": (drift["old"] + " / " + drift["new"]).astype("str"),
        }
    )
    defects = pd.concat([vf.defects[DEFECT_COLUMNS], drift_rows], ignore_index=True)
    defects = defects.sort_values(["dataset", "defect", "key"], kind="stable").reset_index(drop=True)
    ready("truth/defects.csv", defects)
    ready("truth/people.csv", truth_people)
    if not programs:
        return dict(sorted(tables.items()))

    vendor = build_vendor(ncid, person_idx, status, turnout.prob, people["dem_prob"].to_numpy(), rng["vendor"])

    ready("vendor_scores.csv", vendor)
    for name, table in core.experiment.files.items():
        ready(name, table)
    field = _optional("field")
    if field is not None:  # every person's primary registration is in the voter file
        for name, table in field.build_field(truth_people, None, rng["field"], in_file=np.ones(len(truth_people), bool)).items():
            ready(name, table)
    digital = _optional("digital")
    if digital is not None:
        built = digital.build_digital(truth_people, rng["digital"])
        for name, table in built.items():
            ready(name, table)
        ads = _optional("ads")
        if ads is not None:  # paid acquisition, from the finished list and donor file
            for name, table in ads.build_ads(built["action_network_export.csv"], built["donations.csv"], rng["ads"]).items():
                ready(name, table)
    return dict(sorted(tables.items()))


def _blank_to_null(arr: pa.Array) -> pa.Array:
    """Empty strings become missing values.

    >>> _blank_to_null(pa.array(["", "dorm"])).to_pylist()
    [None, 'dorm']
    """
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _dup_variations(variation: np.ndarray, is_dup: np.ndarray) -> pa.Array:
    """The variation of each duplicate registration, missing for primary rows.

    >>> _dup_variations(np.array(["", "nickname"]), np.array([False, True])).to_pylist()
    [None, 'nickname']
    """
    vocab = sorted(set(variation[is_dup].tolist())) or [""]
    codes = np.zeros(len(variation), dtype=np.int64)
    codes[is_dup] = np.searchsorted(np.array(vocab), variation[is_dup])
    return text.take(vocab, codes, mask=~is_dup)


def _str(arr: pa.Array) -> pd.Series:
    """An Arrow text array as a pandas ``str`` Series (no Python objects)."""
    return pd.Series(arr.cast(pa.large_string()).to_pandas())


def generate(out_dir: str | Path, seed: int = 2026, voters: int = 50_000, programs: bool = True) -> list[Path]:
    """Write the synthetic county into ``out_dir``; return the sorted list of files written.

    Files are written by two background threads while the rest of the world is built
    (Arrow's CSV writer releases the GIL). ``programs=False``: see ``build_world``.

    >>> import tempfile
    >>> files = generate(tempfile.mkdtemp(), seed=1, voters=2_000)
    >>> sorted(f.name for f in files if f.name.startswith("nc"))
    ['ncvhis_alder.txt', 'ncvoter_alder.txt']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, table: pd.DataFrame | pa.Table) -> Path:
        sep = "\t" if name.startswith(("ncvoter", "ncvhis")) else ","
        return writer.write(table, out / name, delimiter=sep)

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs: list[Future[Path]] = []
        build_world(seed=seed, voters=voters, programs=programs, emit=lambda n, t: jobs.append(pool.submit(write, n, t)))
        return sorted(job.result() for job in jobs)
