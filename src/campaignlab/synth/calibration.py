"""Published figures the synthetic county is calibrated to, as named constants.

Every constant carries its source; ``datasets/README.md`` (the data dictionary) lists them per
file: the NCSBE ``ncvoter``/``ncvhis`` layouts (rev. 2022-02), the Accountability Project's
NC statewide voter file (Dec 2020), the CPS Voting and Registration Supplements 2016-2022
and Pew's validated voters 2018-2022.
``unsourced`` marks a free parameter: a plausible value nobody has published for us.

>>> round(sum(STATUS_SHARES.values()), 3)
1.0
>>> [e.desc for e in ELECTIONS][:2]
['03/15/2016 PRIMARY', '11/08/2016 GENERAL']
>>> TURNOUT_TARGETS["11/03/2020"]
0.668
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# --- the fictional world (datasets/README.md) ------------------------------------------
COUNTY_ID = "1"
COUNTY_DESC = "ALDER"
STATE_CD = "CB"
SNAPSHOT = np.datetime64("2026-09-12")  # voter file snapshot date
YEAR_END = 2026  # age_at_year_end is the age on 12/31/2026
AREA_CODES = ("919", "984")  # phones: exchange 555 only
EXCHANGE = "555"
LINES_PER_AREA_CODE = 10_000  # 555-0000 .. 555-9999


def extra_area_codes() -> tuple[str, ...]:
    """Area codes added, in this order, when 919/984 hold too few 555 numbers for the county.

    The other North Carolina codes first, then every NANP-shaped code (first digit 2-9, middle
    digit not 9) except special ones (N00, N11, 555, toll-free); the 555 exchange keeps every
    number fictional.

    >>> extra_area_codes()[:3], len(extra_area_codes())
    (('252', '336', '472'), 695)
    """
    nc = ("252", "336", "472", "704", "743", "828", "910", "980")
    toll_free = {"800", "833", "844", "855", "866", "877", "888"}
    rest = (f"{c}" for c in range(200, 1000) if c // 10 % 10 != 9 and c % 100 not in (0, 11) and c != 555)
    return nc + tuple(c for c in rest if c not in toll_free and c not in nc and c not in AREA_CODES)

# --- registration status (NC statewide file, Dec 2020, 8.3M rows; irworkshop) ----------
# active 80%, inactive 8.8%, removed 9.1%, denied 1.7%; the remaining 0.4% temporary (S)
# is unsourced.
STATUS_SHARES = {"A": 0.800, "I": 0.088, "R": 0.091, "D": 0.017, "S": 0.004}
STATUS_DESC = {"A": "ACTIVE", "I": "INACTIVE", "R": "REMOVED", "D": "DENIED", "S": "TEMPORARY"}
# reason codes per status: (code, description, share within status). Codes from the NCSBE
# layout (layout_ncvoter.txt, rev. 2022-02); the shares within a status are unsourced.
REASONS = {
    "A": [("AV", "VERIFIED", 0.93), ("AN", "UNVERIFIED NEW", 0.05), ("A1", "UNVERIFIED", 0.02)],
    "I": [
        ("IN", "CONFIRMATION NOT RETURNED", 0.70),
        ("IU", "CONFIRMATION RETURNED UNDELIVERABLE", 0.30),
    ],
    "R": [
        ("RD", "DECEASED", 0.30),
        ("RL", "MOVED FROM COUNTY", 0.22),
        ("RS", "MOVED FROM STATE", 0.10),
        ("RH", "MOVED WITHIN STATE", 0.08),
        ("RM", "REMOVED AFTER 2 FED GENERAL ELECTIONS IN INACTIVE STATUS", 0.25),
        ("RF", "FELONY CONVICTION", 0.03),
        ("RQ", "REQUEST FROM VOTER", 0.02),
    ],
    "D": [
        ("DU", "VERIFICATION RETURNED UNDELIVERABLE", 0.70),
        ("DI", "UNAVAILABLE ESSENTIAL INFORMATION", 0.30),
    ],
    "S": [("SM", "MILITARY", 0.5), ("SO", "OVERSEAS CITIZEN", 0.5)],
}

# --- missing values (NC statewide file, Dec 2020; irworkshop) ---------------------------
MISSING_PHONE = 0.58
MISSING_BIRTH_STATE = 0.20
MISSING_MIDDLE = 0.07
SUFFIX_PRESENT = 0.05  # suffix blank 95%
CONFIDENTIAL = 0.002  # unsourced
DRIVERS_LIC_YES = 0.85  # unsourced
ZIP9_SHARE = 0.40  # unsourced: share of residential ZIPs delivered with the +4
MAIL_SAME_AS_RES = 0.85  # unsourced
MAIL_PO_BOX = 0.05  # unsourced

# --- demographic codes -------------------------------------------------------------------
# race/ethnic/gender shares: NC statewide voter file (8.1M rows, zrp dataset statistics);
# not a published figure, treat as plausible rather than sourced.
RACE_SHARES = {"W": 0.66, "B": 0.21, "U": 0.07, "O": 0.03, "A": 0.01, "I": 0.01, "M": 0.01}
ETHNIC_SHARES = {"NL": 0.74, "UN": 0.23, "HL": 0.03}
GENDER_SHARES = {"F": 0.51, "M": 0.44, "U": 0.05}
# party registration, county-wide: unsourced (NC-like: DEM ~ REP ~ UNA, small LIB/GRE)
PARTY_SHARES = {"DEM": 0.35, "REP": 0.30, "UNA": 0.342, "LIB": 0.007, "GRE": 0.001}
# Unaffiliated share of registrations by age band (the bands of AGE_BANDS): unsourced (DOMAIN.md has
# no figure). The shape is NC's: unaffiliated registration is far more common among the young than
# among the old; these values are chosen so that the county-wide share stays near PARTY_SHARES["UNA"].
# The other parties share the rest in the proportions of PARTY_SHARES.
UNA_BY_AGE = (0.48, 0.43, 0.38, 0.34, 0.30, 0.26, 0.22, 0.22)
# age of registered voters at year end, by band (unsourced; roughly ACS adult population)
AGE_BANDS = [(18, 24, 0.10), (25, 34, 0.16), (35, 44, 0.16), (45, 54, 0.16), (55, 64, 0.17),
             (65, 74, 0.14), (75, 84, 0.08), (85, 99, 0.03)]  # fmt: skip
# Householders (and adults outside a parent-child pair) are drawn from these weights, not from
# AGE_BANDS: grown children living with a parent add young adults, and these weights were fitted
# (iterative proportional fitting at 300,000 voters) so that all registrations together follow
# AGE_BANDS within about half a point (tests/synth/test_calibration.py checks it).
HOUSEHOLDER_AGE_WEIGHTS = (0.047, 0.143, 0.144, 0.164, 0.203, 0.172, 0.097, 0.030)
# a grown child living with a parent is this many years younger (unsourced)
GENERATION_GAP = (22, 36)
# Party draw weights per age band (rows: AGE_BANDS; columns: PARTY_SHARES order). A person's party
# is drawn from these, then 60% of household members take the householder's party and 45% of Black
# voters are set to DEM; the weights were fitted (iterative proportional fitting at 300,000 voters,
# tests/synth/test_calibration.py checks the result) so that after those steps the unaffiliated
# share by band follows UNA_BY_AGE and the county-wide shares follow PARTY_SHARES within ~1 point.
PARTY_DRAW_WEIGHTS = (  # DEM, REP, UNA, LIB, GRE
    (0.1617, 0.2376, 0.594, 0.0062, 0.0006),  # 18-24
    (0.2161, 0.2694, 0.5078, 0.006, 0.0008),  # 25-34
    (0.2462, 0.2951, 0.4502, 0.0073, 0.0012),  # 35-44
    (0.2779, 0.3311, 0.3822, 0.0075, 0.0013),  # 45-54
    (0.3084, 0.3564, 0.3261, 0.0078, 0.0012),  # 55-64
    (0.3375, 0.3738, 0.2786, 0.009, 0.0011),  # 65-74
    (0.368, 0.4005, 0.2208, 0.0091, 0.0017),  # 75-84
    (0.3639, 0.3934, 0.2322, 0.0092, 0.0012),  # 85-99
)
# twins: pairs of grown children of one household with the same birth year and last name, different
# first names: two people, NOT a duplicate registration (unsourced rate)
TWIN_PAIRS = 0.0006
BIRTH_STATE_SHARES = {"CB": 0.52, "NY": 0.07, "VA": 0.06, "SC": 0.05, "PA": 0.04, "FL": 0.04,
                      "OH": 0.03, "NJ": 0.03, "GA": 0.03, "CA": 0.03, "TX": 0.02, "MD": 0.03,
                      "IL": 0.02, "OC": 0.03}  # fmt: skip  # unsourced; OC = out of country

# --- planted defects (rates) -----------------------------------------------------------------
DUPLICATE_RATE = 0.015  # "same person twice under consecutive IDs" (irworkshop); 1-2% unsourced
DUPLICATE_CONSECUTIVE = 0.6  # unsourced: share of duplicates with the next ID
PLACEHOLDER_1900 = 0.001  # 1900-01-01 registration dates ~0.1% (irworkshop)
HASH_DATE = 0.003  # literal "##/##/####" ~0.3%, clustered (irworkshop); here in one precinct
IMPOSSIBLE_AGE = 0.0005  # unsourced rate; NC max age seen 271 (irworkshop)
PLACEHOLDER_BIRTH_YEARS = (1900, 1901)  # half the impossible ages; the rest are century typos
CENTURY_TYPOS = (100, 200)  # 1985 typed as 1885 or 1785 (NC files hold ages up to 271, irworkshop)
PHONE_7_DIGIT = 0.01  # share of present phones missing the area code; unsourced
NAME_CASE = 0.004  # unsourced: names delivered in mixed case
SUFFIX_DOT = 0.15  # unsourced: share of suffixes written "JR." instead of "JR"
SUFFIX_IN_LAST = 0.0015  # unsourced: suffix typed into last_name ("SMITH JR")
DORM_SHARE = 0.012  # unsourced: voters living in the two college dorms
NURSING_SHARE = 0.003  # unsourced: voters living in the nursing home
LABEL_DRIFT = 0.02  # unsourced: share of pre-2020 votes exported twice (old + new label)
# Duplicates that simple rules miss (all rates unsourced):
NAME_CHANGE = 0.6  # share of women's non-consecutive duplicates that are a new surname (marriage)
NAME_CHANGE_MOVED = 0.7  # ... of which also at a new address
NAME_CHANGE_MAIDEN_MIDDLE = 0.3  # ... of which the old surname is now the middle name
NICKNAME_MOVED = 0.4  # share of nickname duplicates also at a new address
REGDT_DAY_MONTH = 0.002  # registr_dt written DD/MM/YYYY (day and month swapped)
ZIP_PLUS4_AS_NUMBER = 0.006  # a ZIP+4 read as a number somewhere upstream: zeros lost, 7 digits


# --- elections -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Election:
    """One election: ``lbl`` is MM/DD/YYYY as in ncvhis, ``kind`` GENERAL/PRIMARY/MUNICIPAL."""

    lbl: str
    kind: str

    @property
    def desc(self) -> str:
        return f"{self.lbl} {self.kind}"

    @property
    def year(self) -> int:
        return int(self.lbl[-4:])

    @property
    def day(self) -> np.datetime64:
        m, d, y = self.lbl.split("/")
        return np.datetime64(f"{y}-{m}-{d}")

    @property
    def column(self) -> str:
        """Column name in truth/turnout_probability.csv, e.g. ``general_2016``."""
        return f"{self.kind.lower()}_{self.year}"

    @property
    def presidential(self) -> bool:
        return self.year % 4 == 0


ELECTIONS = [
    Election("03/15/2016", "PRIMARY"),
    Election("11/08/2016", "GENERAL"),
    Election("11/07/2017", "MUNICIPAL"),
    Election("05/08/2018", "PRIMARY"),
    Election("11/06/2018", "GENERAL"),
    Election("11/05/2019", "MUNICIPAL"),
    Election("03/03/2020", "PRIMARY"),
    Election("11/03/2020", "GENERAL"),
    Election("11/02/2021", "MUNICIPAL"),
    Election("05/17/2022", "PRIMARY"),
    Election("11/08/2022", "GENERAL"),
    Election("11/07/2023", "MUNICIPAL"),
    Election("03/05/2024", "PRIMARY"),
    Election("11/05/2024", "GENERAL"),
    Election("11/04/2025", "MUNICIPAL"),
    Election("11/03/2026", "GENERAL"),  # the campaign's election: truth only, no history
]
PAST_ELECTIONS = ELECTIONS[:-1]

# Expected turnout among people eligible at the time (registered before the election, 18+,
# not removed). Generals: CPS share of voting-age citizens (2016 61.4%, 2018 53.4%,
# 2020 66.8%, 2022 52.2%); 2024 and 2026: unsourced (2024 set near 2020/2016, 2026 = 2022).
# Presidential primaries ~20% and municipal/odd-year 30-45% of registered: practitioners'
# rules of thumb, no single published source; midterm primaries 14% and the year-to-year
# municipal values: unsourced.
TURNOUT_TARGETS = {
    "03/15/2016": 0.20,
    "11/08/2016": 0.614,
    "11/07/2017": 0.36,
    "05/08/2018": 0.14,
    "11/06/2018": 0.534,
    "11/05/2019": 0.33,
    "03/03/2020": 0.20,
    "11/03/2020": 0.668,
    "11/02/2021": 0.31,
    "05/17/2022": 0.14,
    "11/08/2022": 0.522,
    "11/07/2023": 0.34,
    "03/05/2024": 0.20,
    "11/05/2024": 0.64,
    "11/04/2025": 0.38,
    "11/03/2026": 0.522,
}

# Age groups (age on election day) and their marginal logit offset from the overall rate.
# From CPS: 2016 18-29 46.1% vs 61.4% overall; 2020 18-24 51.4% and 65-74 76.0% vs 66.8%;
# 2016 65+ 70.9%. The 25-29, 30-44, 45-64 and 75+ offsets are interpolations (unsourced).
AGE_GROUP_EDGES = (18, 25, 30, 45, 65, 75)  # lower edges
AGE_GROUP_LABELS = ("18-24", "25-29", "30-44", "45-64", "65-74", "75+")
AGE_LOGIT_OFFSET = np.array([-0.64, -0.45, -0.11, 0.23, 0.45, 0.30])
# the age gradient is steeper in low-turnout elections (unsourced multiplier)
AGE_GRADIENT = {"GENERAL": 1.0, "PRIMARY": 1.5, "MUNICIPAL": 1.4}

# Within-cell effects (conditional logit). Homeowners 58.1% vs renters 36.5% and same address
# 5+ yrs 67.6% vs <1 yr 40.5% (CPS 2022) are raw gaps that also carry age: the conditional
# coefficients below are free parameters chosen to reproduce gaps of that size.
HOMEOWNER_EFFECT = 0.55
TENURE_EFFECT = 0.30  # per log(1 + years at the address)
FEMALE_EFFECT = 0.15  # CPS 2020 women 68.4% vs men 65.0%
UNA_EFFECT = {"GENERAL": -0.35, "PRIMARY": -1.0, "MUNICIPAL": -0.3}  # unsourced party gap
MINOR_PARTY_EFFECT = -0.2  # unsourced
HABIT_SD = 2.1  # persistent person effect (unsourced; tuned so "voted k of n" predicts)
INACTIVE_EFFECT = -2.2  # after a voter goes inactive (unsourced)
LAPSED_EFFECT = -3.0  # RM voters in the years before removal (unsourced)
TEMPORARY_EFFECT = -0.7  # S (overseas/military) voters (unsourced)

# Voting method shares by era (unsourced; NC-like, heavy early voting). Old labels before
# 2020, new labels from 2020 on: the label drift of the NCSBE ncvhis files.
METHODS_OLD = ("IN-PERSON", "ABSENTEE ONESTOP", "ABSENTEE BY MAIL", "CURBSIDE", "PROVISIONAL")
METHODS_NEW = ("ELECTION DAY IN-PERSON", "EARLY VOTING IN-PERSON", "ABSENTEE BY MAIL",
               "ELECTION DAY CURBSIDE", "PROVISIONAL")  # fmt: skip
NEW_LABEL_FROM = 2020
METHOD_SHARES = {  # election_lbl -> shares in the order of the METHODS tuples
    "GENERAL": {2016: (0.36, 0.56, 0.05, 0.02, 0.01), 2018: (0.46, 0.47, 0.05, 0.01, 0.01),
                2020: (0.16, 0.64, 0.18, 0.01, 0.01), 2022: (0.38, 0.52, 0.08, 0.01, 0.01),
                2024: (0.24, 0.66, 0.08, 0.01, 0.01), 2026: (0.38, 0.52, 0.08, 0.01, 0.01)},
    "PRIMARY": (0.55, 0.38, 0.05, 0.01, 0.01),
    "MUNICIPAL": (0.62, 0.32, 0.04, 0.01, 0.01),
}  # fmt: skip
