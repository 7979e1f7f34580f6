"""Small fixtures for the targeting toolkit: a handful of registrations and their votes."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def voters() -> pd.DataFrame:
    """Eight NC-layout registrations, all text: every eligibility rule is met or broken once."""
    return pd.DataFrame({
        "ncid": ["AL1", "AL2", "AL3", "AL4", "AL5", "AL6", "AL7", "AL8"],
        "registr_dt": ["03/14/2012", "10/14/2022", "10/15/2022", "01/01/1900", "##/##/####",
                       "05/02/2010", "06/01/2016", "02/02/2015"],
        "birth_year": ["1970", "1980", "1990", "1950", "1960", "2005", "1985", "1900"],
        "status_cd": ["A", "A", "A", "I", "A", "A", "R", "D"],
        "municipality_abbrv": ["ALD", None, "MIL", "ALD", "", "ALD", "ALD", "ALD"],
    }).astype("str")


@pytest.fixture
def history() -> pd.DataFrame:
    """Long NC history: a label-drift duplicate (AL1 2016), a vote in the target, one after it."""
    rows = [
        ("AL1", "11/08/2016", "GENERAL"), ("AL1", "11/08/2016", "GENERAL"), ("AL1", "11/06/2018", "GENERAL"),
        ("AL1", "11/03/2020", "GENERAL"), ("AL1", "11/08/2022", "GENERAL"), ("AL1", "05/17/2022", "PRIMARY"),
        ("AL4", "11/05/2019", "MUNICIPAL"), ("AL4", "11/05/2024", "GENERAL"), ("AL9", "11/03/2020", "GENERAL"),
        ("AL2", "03/15/2016", "PRIMARY"),
    ]  # fmt: skip
    return pd.DataFrame({"ncid": [r[0] for r in rows], "election_lbl": [r[1] for r in rows],
                         "election_desc": [f"{r[1]} {r[2]}" for r in rows]})  # fmt: skip
