"""The grading county: a county of the same kind the trainees never saw, kept by the course."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from campaignlab import data
from campaignlab.course import county


@pytest.fixture
def small(monkeypatch):
    """Small counties (2,000 voters, +1 per seed) so these tests take a second or two."""
    monkeypatch.setattr(county, "grading_voters", lambda seed: 2_000 + seed % 7)


def _active(folder) -> int:
    voters = pd.read_csv(folder / data.FILES["voters"], sep="\t", dtype=str,
                         usecols=["status_cd"])
    return int((voters["status_cd"] == "A").sum())


def test_refuses_the_canonical_seed(tmp_path):
    with pytest.raises(ValueError, match="canonical seed"):
        county.ensure(tmp_path, seed=data.CANONICAL_SEED)


def test_keeps_its_seed_and_generates_once(tmp_path, small):
    lines: list[str] = []
    folder = county.ensure(tmp_path, log=lines.append)  # a new random seed, kept
    seed = county.kept_seed(tmp_path)
    assert seed is not None and seed != data.CANONICAL_SEED
    assert all((folder / f).is_file() for f in data.FILES.values())
    assert len(lines) == 1 and "grading county" in lines[0]
    kept = json.loads((tmp_path / "campaignlab" / county.SEED_FILE).read_text())
    assert kept == {"seed": seed, "voters": county.grading_voters(seed)}
    stamp = (folder / county.STAMP).stat().st_mtime_ns
    assert county.ensure(tmp_path, log=lines.append) == folder  # same seed: nothing generated
    assert len(lines) == 1 and (folder / county.STAMP).stat().st_mtime_ns == stamp


def test_a_new_seed_or_a_half_written_county_regenerates(tmp_path, small):
    folder = county.ensure(tmp_path, seed=11, log=lambda *_: None)
    before = _active(folder)
    county.ensure(tmp_path, seed=12, log=lambda *_: None)
    assert county.kept_seed(tmp_path) == 12
    assert _active(folder) != before  # another size: even exactly planted counts differ
    (folder / county.STAMP).unlink()  # as if generation had been interrupted
    lines: list[str] = []
    county.ensure(tmp_path, log=lines.append)
    assert lines and (folder / county.STAMP).is_file()


def test_grading_county_is_never_the_canonical_size():
    sizes = {county.grading_voters(s) for s in range(1, 500)}
    assert data.CANONICAL_VOTERS not in sizes
    assert min(sizes) >= data.CANONICAL_VOTERS * 0.97 and max(sizes) <= data.CANONICAL_VOTERS * 1.03
