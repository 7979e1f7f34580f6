"""A commercial vendor append: modelled scores keyed by NCID, noisy versions of the truth.

Scores are 0-100 with one decimal (as TargetSmart/L2 deliver them): turnout in a presidential
general, a midterm general and a primary, and partisanship (100 = surely Democratic).
The vendor matched active, inactive and temporary registrations only, and missed a few.

>>> VENDOR_COLUMNS
['ncid', 'turnout_presidential', 'turnout_midterm', 'turnout_primary', 'partisanship']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaignlab.synth import calibration as cal
from campaignlab.synth.people import sigmoid
from campaignlab.synth.turnout import logit

VENDOR_COLUMNS = ["ncid", "turnout_presidential", "turnout_midterm", "turnout_primary", "partisanship"]
MATCH_RATE = 0.97  # unsourced
SCORE_NOISE = 0.7  # logit-scale noise of the turnout models (unsourced)
PARTISAN_NOISE = 0.6  # unsourced


def _score(truth: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    t = np.clip(truth, 0.002, 0.998)
    return np.round(100 * sigmoid(logit(t) + rng.normal(0, noise, len(t))), 1)


def build_vendor(
    ncid: pa.Array, person_idx: np.ndarray, status: np.ndarray, prob: np.ndarray,
    dem_prob: np.ndarray, rng: np.random.Generator,
) -> pd.DataFrame:  # fmt: skip
    """Scores for the matched registrations, in NCID order.

    ``prob`` is the persons x cal.ELECTIONS truth; the presidential score targets the 2024
    general, the midterm score the 2026 general (the campaign's election) and the primary score
    the 2024 primary. People not yet eligible then get the 2026 probability as their truth.
    """
    cols = {e.column: i for i, e in enumerate(cal.ELECTIONS)}
    p26 = np.nan_to_num(prob[:, cols["general_2026"]], nan=0.05)
    pres = np.where(np.isnan(prob[:, cols["general_2024"]]), p26, prob[:, cols["general_2024"]])
    prim = np.where(np.isnan(prob[:, cols["primary_2024"]]), p26 / 3, prob[:, cols["primary_2024"]])
    keep = np.isin(status, ["A", "I", "S"]) & (rng.random(len(ncid)) < MATCH_RATE)
    pi = person_idx[keep]
    return pd.DataFrame(
        {
            "ncid": pd.Series(pc.filter(ncid, pa.array(keep)).cast(pa.large_string()).to_pandas()),
            "turnout_presidential": _score(pres[pi], SCORE_NOISE, rng),
            "turnout_midterm": _score(p26[pi], SCORE_NOISE, rng),
            "turnout_primary": _score(prim[pi], SCORE_NOISE, rng),
            "partisanship": _score(dem_prob[pi], PARTISAN_NOISE, rng),
        }
    )
