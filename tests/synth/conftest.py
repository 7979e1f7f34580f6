"""One small county per test session (generation is deterministic, so tests may share it)."""

from __future__ import annotations

import pandas as pd
import pytest

from campaignlab.synth import generate

SEED = 7
VOTERS = 20_000


@pytest.fixture(scope="session")
def synth_county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    files = generate(out, seed=SEED, voters=VOTERS)
    return out, files


@pytest.fixture(scope="session")
def voters(synth_county):
    return pd.read_csv(synth_county[0] / "ncvoter_alder.txt", sep="\t", dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="session")
def history(synth_county):
    return pd.read_csv(synth_county[0] / "ncvhis_alder.txt", sep="\t", dtype=str)


@pytest.fixture(scope="session")
def truth(synth_county):
    folder = synth_county[0] / "truth"
    return {
        "people": pd.read_csv(folder / "people.csv", dtype={"ncid": str, "zip5": str, "phone": str, "precinct": str}),
        "registrations": pd.read_csv(folder / "registrations.csv", dtype=str),
        "turnout": pd.read_csv(folder / "turnout_probability.csv"),
        "defects": pd.read_csv(folder / "defects.csv", dtype=str),
    }
