"""Schema, determinism and the canonical checksums of ``campaignlab.synth.generate``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from campaignlab import data
from campaignlab.synth import HISTORY_COLUMNS, NCVOTER_COLUMNS, PEOPLE_COLUMNS, generate
from campaignlab.synth.vendor import VENDOR_COLUMNS

from .conftest import SEED

MANIFEST = Path(__file__).resolve().parents[2] / "datasets" / "MANIFEST.sha256"

EXPECTED = {
    "ncvoter_alder.txt": NCVOTER_COLUMNS,
    "ncvhis_alder.txt": HISTORY_COLUMNS,
    "vendor_scores.csv": VENDOR_COLUMNS,
    "truth/people.csv": PEOPLE_COLUMNS,
    "truth/registrations.csv": ["ncid", "voter_reg_num", "person_id", "duplicate_of", "variation",
                                "registr_dt", "status_cd"],  # fmt: skip
    "truth/defects.csv": ["dataset", "key", "defect", "detail"],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_registered_dataset_is_written(synth_county):
    out, files = synth_county
    written = {f.relative_to(out).as_posix() for f in files}
    assert files == sorted(files)
    assert set(data.FILES.values()) <= written, set(data.FILES.values()) - written


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_columns_in_order(synth_county, name):
    sep = "\t" if name.startswith("nc") else ","
    df = pd.read_csv(synth_county[0] / name, sep=sep, dtype=str, nrows=5)
    assert list(df.columns) == EXPECTED[name]


def test_ncvoter_has_67_columns_and_text_ids(voters, truth):
    assert voters.shape[1] == 67
    assert voters["voter_reg_num"].str.fullmatch(r"\d{12}").all()
    assert voters["ncid"].str.fullmatch(r"AL\d{6,}").all()
    assert voters["ncid"].is_unique and voters["voter_reg_num"].is_unique
    zips = voters["zip_code"].dropna()
    d = truth["defects"]
    as_number = set(d.loc[d["defect"] == "zip_plus4_as_number", "key"])
    well_formed = zips.str.fullmatch(r"00\d{3}(\d{4})?")
    assert set(voters.loc[zips.index[~well_formed], "ncid"]) == as_number  # the planted ZIP+4 read as numbers
    assert (zips.str.len() == 9).mean() > 0.2
    dates = voters["registr_dt"]
    assert dates.str.fullmatch(r"\d\d/\d\d/\d{4}|##/##/####").all()
    assert (voters["county_id"] == "1").all() and (voters["county_desc"] == "ALDER").all()


def test_history_layout(history):
    assert history["election_lbl"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    assert (history["election_desc"].str[:10] == history["election_lbl"]).all()
    assert set(history["election_desc"].str[11:]) == {"GENERAL", "PRIMARY", "MUNICIPAL"}
    years = history["election_lbl"].str[-4:].astype(int)
    assert years.min() == 2016 and years.max() == 2025
    assert history["voter_reg_num"].str.fullmatch(r"\d{12}").all()


def test_history_joins_voter_file(voters, history):
    assert history["ncid"].isin(voters["ncid"]).all()
    pairs = voters.set_index("ncid")["voter_reg_num"]
    assert (history["ncid"].map(pairs) == history["voter_reg_num"]).all()


def test_same_seed_same_bytes_other_seed_differs(tmp_path, synth_county):
    out, files = synth_county
    again = generate(tmp_path / "a", seed=SEED, voters=2_000)
    twice = generate(tmp_path / "b", seed=SEED, voters=2_000)
    other = generate(tmp_path / "c", seed=SEED + 1, voters=2_000)
    assert [sha256(f) for f in again] == [sha256(f) for f in twice]
    assert sha256(again[1]) != sha256(other[1])  # ncvoter differs


def test_manifest_matches_canonical_generation(tmp_path):
    assert MANIFEST.is_file(), "datasets/MANIFEST.sha256 is missing"
    expected = {}
    for line in MANIFEST.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        expected[name] = digest
    files = generate(tmp_path, seed=data.CANONICAL_SEED, voters=data.CANONICAL_VOTERS)
    got = {f.relative_to(tmp_path).as_posix(): sha256(f) for f in files}
    assert got == expected
