"""Build the synthetic Alder County: voter file, vote history, vendor scores, field, digital, truth.

``generate(out_dir, seed, voters)`` writes every file of ``campaignlab.data.FILES`` and returns
their sorted paths. Same seed and package version => byte-identical files. Each component draws
from its own ``numpy`` generator spawned from one ``SeedSequence`` (see ``streams``), so changing
one component never shifts the random numbers of another.

The ``people`` table (one row per real person; ``truth/people.csv``) handed to
``field.build_field(people, voters, rng)`` and ``digital.build_digital(people, rng)``:

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
phone          str/<NA>  10 digits, 919/984 + 555 exchange
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
['defects', 'digital', 'field']
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from campaignlab.synth import calibration as cal
from campaignlab.synth import writer
from campaignlab.synth.history import HISTORY_COLUMNS, build_history
from campaignlab.synth.people import build_people
from campaignlab.synth.registrations import build_registrations, people_for
from campaignlab.synth.turnout import build_turnout
from campaignlab.synth.vendor import build_vendor
from campaignlab.synth.voterfile import NCVOTER_COLUMNS, build_voterfile

__all__ = ["generate", "streams", "build_world", "NCVOTER_COLUMNS", "HISTORY_COLUMNS"]

#: Components in a fixed order: a component's stream depends only on the seed and its index.
COMPONENTS = ("people", "registrations", "turnout", "voterfile", "history", "vendor",
              "defects", "field", "digital")  # fmt: skip

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


def voters_frame(table: pa.Table) -> pd.DataFrame:
    """The ncvoter table as pandas, every column ``str`` (as ``read_csv(dtype=str)`` gives)."""
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        cols[name] = col
    return pa.table(cols).to_pandas()


def build_world(seed: int = 2026, voters: int = 50_000) -> dict[str, pd.DataFrame | pa.Table]:
    """Build every table in memory: file name (as in ``data.FILES``) -> table."""
    rng = streams(seed)
    people = build_people(people_for(voters), rng["people"])
    regs = build_registrations(people, voters, rng["registrations"])
    turnout = build_turnout(people, regs, rng["turnout"])
    vf = build_voterfile(people, regs, rng["voterfile"])
    reg_text = {"ncid": vf.ncid, "voter_reg_num": vf.voter_reg_num, "precinct": vf.precinct}
    history, drift, _ = build_history(turnout.prob, turnout.row, people, reg_text, rng["history"])

    ncid = np.asarray(vf.ncid.to_numpy(zero_copy_only=False)).astype(str)
    reg_num = np.asarray(vf.voter_reg_num.to_numpy(zero_copy_only=False)).astype(str)
    person_idx = regs["person_idx"].to_numpy()
    is_dup = regs["is_dup"].to_numpy()
    status = regs["status"].to_numpy().astype(str)
    primary_row = np.empty(len(people), dtype=np.int64)
    primary_row[person_idx[~is_dup]] = np.flatnonzero(~is_dup)

    from campaignlab.synth.places import precincts

    i26 = len(cal.ELECTIONS) - 1
    truth_people = people.assign(
        ncid=pd.array(ncid[primary_row], dtype="str"),
        precinct=pd.array(precincts()["precinct_abbrv"].to_numpy()[people["precinct"]], dtype="str"),
        status=pd.array(status[primary_row], dtype="str"),
        special=people["special"].replace("", pd.NA),
        turnout_2026=np.nan_to_num(turnout.prob[:, i26], nan=0.0),
    )[PEOPLE_COLUMNS]

    dup_of = regs["duplicate_of_row"].to_numpy(dtype=float, na_value=np.nan)
    registrations = pd.DataFrame(
        {
            "ncid": pd.array(ncid, dtype="str"),
            "voter_reg_num": pd.array(reg_num, dtype="str"),
            "person_id": people["person_id"].to_numpy()[person_idx],
            "duplicate_of": pd.array(
                np.where(is_dup, ncid[np.nan_to_num(dup_of, nan=0).astype(np.int64)], None), dtype="str"
            ),
            "variation": pd.array(np.where(is_dup, _variations(vf.defects, ncid, is_dup), None), dtype="str"),
            "registr_dt": regs["reg_date"].to_numpy().astype("datetime64[D]").astype(str),
            "status_cd": pd.array(status, dtype="str"),
        }
    )
    turnout_df = pd.DataFrame({"person_id": people["person_id"].to_numpy()})
    for i, e in enumerate(cal.ELECTIONS):
        turnout_df[e.column] = turnout.prob[:, i]

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

    vendor = build_vendor(ncid, person_idx, status, turnout.prob, people["dem_prob"].to_numpy(), rng["vendor"])

    tables: dict[str, pd.DataFrame | pa.Table] = {
        "ncvoter_alder.txt": vf.table,
        "ncvhis_alder.txt": history,
        "vendor_scores.csv": vendor,
        "truth/people.csv": truth_people,
        "truth/registrations.csv": registrations,
        "truth/turnout_probability.csv": turnout_df,
        "truth/defects.csv": defects,
    }
    field = _optional("field")
    if field is not None:
        tables.update(field.build_field(truth_people, voters_frame(vf.table), rng["field"]))
    digital = _optional("digital")
    if digital is not None:
        tables.update(digital.build_digital(truth_people, rng["digital"]))
    return tables


def _variations(defects: pd.DataFrame, ncid: np.ndarray, is_dup: np.ndarray) -> np.ndarray:
    dup = defects[defects["defect"] == "duplicate_registration"]
    var = dup["detail"].str.extract(r"variation=(\w+)")[0]
    lookup = pd.Series(var.to_numpy(), index=dup["key"].to_numpy())
    return lookup.reindex(ncid).fillna("").to_numpy().astype(str)


def generate(out_dir: str | Path, seed: int = 2026, voters: int = 50_000) -> list[Path]:
    """Write the synthetic county into ``out_dir``; return the sorted list of files written.

    >>> import tempfile
    >>> files = generate(tempfile.mkdtemp(), seed=1, voters=2_000)
    >>> sorted(f.name for f in files if f.name.startswith("nc"))
    ['ncvhis_alder.txt', 'ncvoter_alder.txt']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = build_world(seed=seed, voters=voters)

    def write(item: tuple[str, pd.DataFrame | pa.Table]) -> Path:
        name, table = item
        sep = "\t" if name.startswith(("ncvoter", "ncvhis")) else ","
        return writer.write(table, out / name, delimiter=sep)

    with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow writes release the GIL
        paths = list(pool.map(write, sorted(tables.items(), key=lambda kv: kv[0])))
    return sorted(paths)
