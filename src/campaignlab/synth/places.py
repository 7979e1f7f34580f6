"""The geography of fictional Alder County: cities, ZIPs, precincts, districts, streets.

All places are invented; ZIP codes start with "00" so reading them as numbers loses zeros.

>>> p = precincts()
>>> len(p), p.loc[0, "precinct_abbrv"], p.loc[0, "zip5"]
(24, '01', '00301')
>>> sorted(p["res_city_desc"].unique())[:3]
['ALDER', 'CEDAR HILL', 'EASTON FALLS']
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

# city -> (municipality abbreviation or "" if unincorporated, ZIPs, number of precincts,
# share of the county's households); shares unsourced
CITIES = [
    ("ALDER", "ALD", ["00301", "00302", "00303", "00304", "00305", "00306"], 10, 0.44),
    ("MILLBROOK", "MIL", ["00307", "00308"], 3, 0.14),
    ("EASTON FALLS", "EAF", ["00309", "00310"], 3, 0.12),
    ("CEDAR HILL", "CDH", ["00311"], 2, 0.08),
    ("RIVERTON", "RIV", ["00312", "00313"], 3, 0.11),
    ("WILLOW GROVE", "WGR", ["00314"], 1, 0.04),
    ("PINE BLUFF", "", ["00315", "00316"], 2, 0.07),
]

STREET_WORDS = [
    "ALDERWOOD", "BRAMBLE", "COPPERLEAF", "DOVETAIL", "EMBERLY", "FERNHOLLOW", "GLENMOOR",
    "HARTWICK", "IVYBROOK", "JUNIPER RIDGE", "KESTREL", "LARKSPUR", "MEADOWLARK", "NETTLEFORD",
    "OAKHAVEN", "PEBBLECREEK", "QUILLFEATHER", "RAVENSCROFT", "SAGEBRUSH", "THISTLEDOWN",
    "UNDERHILL", "VESPER", "WINTERHAVEN", "YARROW", "ZEPHYR", "AMBERLY", "BIRCHMONT",
    "CINDERWOOD", "DAWNRIDGE", "ELDERBERRY", "FOXGLOVE", "GOLDFINCH", "HOLLYHOCK", "INKBERRY",
    "JASPERVALE", "KINGSMERE", "LANTERN HILL", "MAPLESHADE", "NORTHBROOK", "ORCHARD GATE",
    "PRIMROSE", "QUARRY MILL", "RUSHWICK", "SILVERBELL", "TANGLEWOOD", "UPLAND FARM",
    "VALLEYVIEW", "WHISTLER", "BLUE HERON", "CHERRYSTONE", "DEER TRACK", "FIDDLEHEAD",
    "GRANITE FALLS", "HICKORY NUT", "LITTLE CREEK", "MOSSY ROCK", "OLD MILL", "POPLAR SPRINGS",
    "RED FOX", "STONEGATE",
]  # fmt: skip
STREET_TYPES = ["ST", "RD", "AVE", "DR", "LN", "CT", "WAY", "TRL"]

#: special addresses shared by many voters (planted: dorms and a nursing home)
DORMS = [("100 COLLEGE AVE", "ALDER", "00302"), ("2 SCHOLARS WAY", "ALDER", "00302")]
NURSING_HOME = ("450 GOLDEN YEARS LN", "MILLBROOK", "00307")


@cache
def precincts() -> pd.DataFrame:
    """One row per precinct with its city, ZIP, household share and district codes."""
    rows = []
    k = 0
    for ci, (city, muni, zips, n_pct, share) in enumerate(CITIES):
        for j in range(n_pct):
            k += 1
            abbrv = f"{k:02d}"
            rows.append(
                {
                    "precinct_abbrv": abbrv,
                    "precinct_desc": f"{city} {j + 1}",
                    "res_city_desc": city,
                    "zip5": zips[j % len(zips)],
                    "share": share / n_pct,
                    "municipality_abbrv": muni,
                    "municipality_desc": city if muni else "",
                    "ward_abbrv": f"W{j % 4 + 1}" if city == "ALDER" else "",
                    "ward_desc": f"ALDER WARD {j % 4 + 1}" if city == "ALDER" else "",
                    "cong_dist_abbrv": "4" if k <= 12 else "13",
                    "super_court_abbrv": "15A",
                    "judic_dist_abbrv": "15",
                    "nc_senate_abbrv": "23" if k <= 14 else "24",
                    "nc_house_abbrv": ["50", "51", "54"][(k - 1) // 8],
                    "county_commiss_abbrv": str((k - 1) % 5 + 1),
                    "county_commiss_desc": f"COMMISSIONER DISTRICT {(k - 1) % 5 + 1}",
                    "township_abbrv": f"{ci + 1:02d}",
                    "township_desc": f"{city} TOWNSHIP",
                    "school_dist_abbrv": "ACS" if city == "ALDER" else "",
                    "school_dist_desc": "ALDER CITY SCHOOLS" if city == "ALDER" else "",
                    "fire_dist_abbrv": "PBF" if not muni else "",
                    "fire_dist_desc": "PINE BLUFF FIRE DISTRICT" if not muni else "",
                    "water_dist_abbrv": "",
                    "water_dist_desc": "",
                    "sewer_dist_abbrv": "",
                    "sewer_dist_desc": "",
                    "sanit_dist_abbrv": "",
                    "sanit_dist_desc": "",
                    "rescue_dist_abbrv": "",
                    "rescue_dist_desc": "",
                    "munic_dist_abbrv": muni,
                    "munic_dist_desc": city if muni else "",
                    "dist_1_abbrv": "",
                    "dist_1_desc": "",
                    "vtd_abbrv": abbrv,
                    "vtd_desc": abbrv,
                }
            )
    df = pd.DataFrame(rows)
    df["share"] = df["share"] / df["share"].sum()
    return df


@cache
def streets() -> np.ndarray:
    """All street names, e.g. ``'ALDERWOOD ST'`` (480 of them)."""
    return np.array([f"{w} {t}" for w in STREET_WORDS for t in STREET_TYPES])


def street_precinct(seed: int = 0) -> np.ndarray:
    """Precinct index of every street (streets are split among precincts by household share).

    >>> street_precinct().shape
    (480,)
    """
    share = precincts()["share"].to_numpy()
    n = len(streets())
    counts = np.maximum(2, np.round(share * n).astype(int))
    counts[np.argmax(counts)] += n - counts.sum()
    order = np.random.default_rng(seed).permutation(n)
    out = np.empty(n, dtype=np.int32)
    out[order] = np.repeat(np.arange(len(share)), counts)
    return out
