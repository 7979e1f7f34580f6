"""The file layouts campaigns get, how to recognise each from its header, and its column map.

A *layout* names the columns a state or a campaign tool uses for what the toolkit needs
(the voter ID, names, registration date, ZIP, phone, address...): its *roles*.
``read_voter_file`` recognises the layout from the header and names it in its report;
``clean_voter_file`` uses the layout's roles, so one call cleans an NC file, an Ohio file
or a VAN export alike. Anything else is read as ``"delimited"`` with a column map.

>>> detect_layout(["ncid", "election_lbl", "election_desc", "voting_method"]).name
'ncvhis'
>>> detect_layout(["Voter File VANID", "FirstName", "LastName"]).title
'VAN export'
>>> detect_layout(["donor", "amount"]) is None
True
>>> LAYOUTS["ohio"].roles["registration_date"], LAYOUTS["ohio"].date_format
('REGISTRATION_DATE', '%Y-%m-%d')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Layout", "LAYOUTS", "ROLE_STEPS", "NCVOTER_HEADER", "NCVOTER_2021_HEADER", "NCVHIS_HEADER",
           "OHIO_HEADER", "VAN_HEADER", "ACTION_NETWORK_HEADER", "detect_layout", "suggest_column_map",
           "wide_history_columns"]  # fmt: skip

#: NC ``ncvoter``, current layout (layout_ncvoter.txt, NCSBE, rev. 2022-02): 67 columns.
NCVOTER_HEADER = (
    "county_id county_desc voter_reg_num ncid last_name first_name middle_name name_suffix_lbl status_cd "
    "voter_status_desc reason_cd voter_status_reason_desc res_street_address res_city_desc state_cd zip_code "
    "mail_addr1 mail_addr2 mail_addr3 mail_addr4 mail_city mail_state mail_zipcode full_phone_number "
    "confidential_ind registr_dt race_code ethnic_code party_cd gender_code birth_year age_at_year_end "
    "birth_state drivers_lic precinct_abbrv precinct_desc municipality_abbrv municipality_desc ward_abbrv "
    "ward_desc cong_dist_abbrv super_court_abbrv judic_dist_abbrv nc_senate_abbrv nc_house_abbrv "
    "county_commiss_abbrv county_commiss_desc township_abbrv township_desc school_dist_abbrv "
    "school_dist_desc fire_dist_abbrv fire_dist_desc water_dist_abbrv water_dist_desc sewer_dist_abbrv "
    "sewer_dist_desc sanit_dist_abbrv sanit_dist_desc rescue_dist_abbrv rescue_dist_desc munic_dist_abbrv "
    "munic_dist_desc dist_1_abbrv dist_1_desc vtd_abbrv vtd_desc"
).split()
#: NC ``ncvoter`` before 2022: 71 columns, ``birth_age`` instead of ``age_at_year_end``,
#: ``absent_ind``/``name_prefx_cd``/``dist_2_*``, and ``ncid`` near the end.
NCVOTER_2021_HEADER = (
    "county_id county_desc voter_reg_num status_cd voter_status_desc reason_cd voter_status_reason_desc "
    "absent_ind name_prefx_cd last_name first_name middle_name name_suffix_lbl res_street_address "
    "res_city_desc state_cd zip_code mail_addr1 mail_addr2 mail_addr3 mail_addr4 mail_city mail_state "
    "mail_zipcode full_phone_number race_code ethnic_code party_cd gender_code birth_age birth_state "
    "drivers_lic registr_dt precinct_abbrv precinct_desc municipality_abbrv municipality_desc ward_abbrv "
    "ward_desc cong_dist_abbrv super_court_abbrv judic_dist_abbrv nc_senate_abbrv nc_house_abbrv "
    "county_commiss_abbrv county_commiss_desc township_abbrv township_desc school_dist_abbrv "
    "school_dist_desc fire_dist_abbrv fire_dist_desc water_dist_abbrv water_dist_desc sewer_dist_abbrv "
    "sewer_dist_desc sanit_dist_abbrv sanit_dist_desc rescue_dist_abbrv rescue_dist_desc munic_dist_abbrv "
    "munic_dist_desc dist_1_abbrv dist_1_desc dist_2_abbrv dist_2_desc confidential_ind birth_year ncid "
    "vtd_abbrv vtd_desc"
).split()
#: NC ``ncvhis``: one row per vote cast.
NCVHIS_HEADER = ("county_id voter_reg_num election_lbl election_desc voting_method voted_party_cd "
                 "pct_label ncid voted_county_id vtd_label").split()  # fmt: skip
#: Ohio statewide voter file (SWVF): the fixed columns; one history column per election follows
#: (``GENERAL-11/08/2022``: ``X`` voted, a party letter in a primary, blank did not vote).
OHIO_HEADER = (
    "SOS_VOTERID COUNTY_NUMBER COUNTY_ID LAST_NAME FIRST_NAME MIDDLE_NAME SUFFIX DATE_OF_BIRTH "
    "REGISTRATION_DATE VOTER_STATUS PARTY_AFFILIATION RESIDENTIAL_ADDRESS1 RESIDENTIAL_SECONDARY_ADDR "
    "RESIDENTIAL_CITY RESIDENTIAL_STATE RESIDENTIAL_ZIP RESIDENTIAL_ZIP_PLUS4 PRECINCT_NAME PRECINCT_CODE"
).split()
#: VAN "My Voters" export (note the trailing space VAN puts in "Pref Phone ").
VAN_HEADER = ["Voter File VANID", "FirstName", "MiddleName", "LastName", "Suffix", "Sex", "Party", "Age",
              "vAddress", "City", "State", "Zip5", "Pref Phone ", "Cell Phone", "PrecinctName", "DateReg"]  # fmt: skip
#: Action Network people export (a list to match to the voter file, not a voter file).
ACTION_NETWORK_HEADER = ("uuid first_name last_name email zip_code can2_phone can2_user_address can2_user_city "
                         "can2_state_abbreviated can2_subscription_status can2_sms_status can2_user_tags").split()  # fmt: skip

#: Each role of a voter file -> the steps of ``clean_voter_file`` that need it.
ROLE_STEPS: dict[str, tuple[str, ...]] = {
    "id": ("flag_duplicate_registrations", "resolve_duplicates"),
    "first": ("normalize_names", "flag_duplicate_registrations"),
    "middle": ("normalize_names", "flag_duplicate_registrations"),
    "last": ("normalize_names", "flag_duplicate_registrations"),
    "suffix": ("normalize_names", "flag_duplicate_registrations"),
    "registration_date": ("parse_registration_dates", "resolve_duplicates"),
    "birth_year": ("parse_registration_dates", "flag_duplicate_registrations"),
    "gender": ("flag_duplicate_registrations",),
    "zip": ("normalize_zip", "flag_duplicate_registrations", "assign_households"),
    "phone": ("normalize_phone", "flag_shared_phones", "flag_duplicate_registrations"),
    "address": ("normalize_address", "flag_duplicate_registrations", "assign_households"),
    "status": ("resolve_duplicates",),
    "city": ("match_list",),
}
#: Roles ``clean_voter_file`` cannot do without (the others may be ``None``: a layout lacks them).
REQUIRED_ROLES = ("id", "first", "last", "registration_date", "zip", "address")

_NC_ROLES = {"id": "ncid", "first": "first_name", "middle": "middle_name", "last": "last_name",
             "suffix": "name_suffix_lbl", "registration_date": "registr_dt", "birth_year": "birth_year",
             "gender": "gender_code", "zip": "zip_code", "phone": "full_phone_number",
             "address": "res_street_address", "status": "status_cd", "city": "res_city_desc"}  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """One file layout.

    Attributes:
        name: the key in :data:`LAYOUTS` (what ``layout=`` takes).
        title: how the report names it.
        kind: ``"voter file"``, ``"vote history"`` or ``"list"`` (people to match).
        sep: its delimiter (``None``: read it from the header line).
        roles: role -> column (``None`` when the layout has no such column).
        date_format: format of its registration dates.
        header: its full header, when the layout is published.
        next_step: what to do with it after reading.
    """

    name: str
    title: str
    kind: str
    sep: str | None
    roles: Mapping[str, str | None] = field(default_factory=dict)
    date_format: str = "%m/%d/%Y"
    header: tuple[str, ...] = ()
    next_step: str = ""

    def required_columns(self) -> dict[str, tuple[str, ...]]:
        """Column -> the steps that need it, for the columns of this layout that its next step uses.

        >>> LAYOUTS["ncvhis"].required_columns()["election_lbl"]
        ('dedupe_history',)
        """
        if self.kind != "voter file":
            return {col: (self.next_step,) for col in self.roles.values() if col is not None}
        return {col: ROLE_STEPS[role] for role, col in self.roles.items() if col is not None and role != "city"}


LAYOUTS: dict[str, Layout] = {
    "ncvoter": Layout("ncvoter", "NC ncvoter (current 67-column layout)", "voter file", "\t", _NC_ROLES,
                      header=tuple(NCVOTER_HEADER), next_step="clean_voter_file"),
    "ncvoter_2021": Layout("ncvoter_2021", "NC ncvoter (pre-2022 71-column layout)", "voter file", "\t",
                           _NC_ROLES, header=tuple(NCVOTER_2021_HEADER), next_step="clean_voter_file"),
    "ncvhis": Layout("ncvhis", "NC ncvhis vote history", "vote history", "\t",
                     {"id": "ncid", "election": "election_lbl", "desc": "election_desc", "method": "voting_method"},
                     header=tuple(NCVHIS_HEADER), next_step="dedupe_history"),
    "ohio": Layout("ohio", "Ohio statewide voter file (wide vote history)", "voter file", ",",
                   {"id": "SOS_VOTERID", "first": "FIRST_NAME", "middle": "MIDDLE_NAME", "last": "LAST_NAME",
                    "suffix": "SUFFIX", "registration_date": "REGISTRATION_DATE", "birth_year": "DATE_OF_BIRTH",
                    "gender": None, "zip": "RESIDENTIAL_ZIP", "phone": None, "address": "RESIDENTIAL_ADDRESS1",
                    "status": "VOTER_STATUS", "city": "RESIDENTIAL_CITY"},
                   date_format="%Y-%m-%d", header=tuple(OHIO_HEADER), next_step="clean_voter_file"),
    "van": Layout("van", "VAN export", "voter file", None,
                  {"id": "Voter File VANID", "first": "FirstName", "middle": "MiddleName", "last": "LastName",
                   "suffix": "Suffix", "registration_date": "DateReg", "birth_year": None, "gender": "Sex",
                   "zip": "Zip5", "phone": "Pref Phone", "address": "vAddress", "status": None, "city": "City"},
                  header=tuple(VAN_HEADER), next_step="clean_voter_file"),
    "action_network": Layout("action_network", "Action Network export (a list of people, not a voter file)",
                             "list", ",",
                             {"id": "uuid", "first": "first_name", "last": "last_name", "zip": "zip_code",
                              "phone": "can2_phone", "address": "can2_user_address", "city": "can2_user_city"},
                             header=tuple(ACTION_NETWORK_HEADER), next_step="match_list"),
    "delimited": Layout("delimited", "generic delimited file (map its columns with columns=)", "unknown", None),
}  # fmt: skip

_WIDE_HISTORY = re.compile(r"^(?P<kind>[A-Z][A-Z ]*?)[-_ ](?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$")


def wide_history_columns(columns: Sequence[str]) -> list[str]:
    """The columns named like one election each (Ohio ``GENERAL-11/08/2022``, ``PRIMARY-05/03/2022``).

    >>> wide_history_columns(["SOS_VOTERID", "PRIMARY-05/03/2022", "GENERAL-11/08/2022"])
    ['PRIMARY-05/03/2022', 'GENERAL-11/08/2022']
    """
    return [c for c in columns if _WIDE_HISTORY.match(str(c).strip().upper())]


def detect_layout(header: Sequence[str]) -> Layout | None:
    """The layout whose columns the header carries, or ``None`` (not a layout we know).

    Matching ignores case and surrounding spaces.

    >>> detect_layout(["county_id", "ncid", "birth_age", "last_name"]).name
    'ncvoter_2021'
    >>> detect_layout(["SOS_VOTERID", "LAST_NAME", "GENERAL-11/08/2022"]).name
    'ohio'
    """
    cols = {str(c).strip().lower() for c in header}
    if {"ncid", "election_lbl"} <= cols or {"voter_reg_num", "election_desc", "voting_method"} <= cols:
        return LAYOUTS["ncvhis"]
    if "ncid" in cols or {"voter_reg_num", "registr_dt"} <= cols:
        if "birth_age" in cols:
            return LAYOUTS["ncvoter_2021"]
        return LAYOUTS["ncvoter"]
    if "sos_voterid" in cols:
        return LAYOUTS["ohio"]
    if "voter file vanid" in cols or "vanid" in cols:
        return LAYOUTS["van"]
    if any(c.startswith("can2_") for c in cols) or ({"uuid", "email"} <= cols and "first_name" in cols):
        return LAYOUTS["action_network"]
    return None


def suggest_column_map(missing: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    """``{"<your column>": missing column}``, guessing the file's column by similar names.

    >>> suggest_column_map(["registr_dt", "status_cd"], ["REG_DATE", "VOTER_STATUS", "ncid"])
    {'REG_DATE': 'registr_dt', 'VOTER_STATUS': 'status_cd'}
    >>> suggest_column_map(["registr_dt"], ["x"])
    {'<your column for registr_dt>': 'registr_dt'}
    """
    lowered = {str(h).strip().lower(): str(h) for h in header}
    words = {h: [w for w in re.split(r"[^a-z0-9]+", h) if len(w) >= 3] for h in lowered}
    out: dict[str, str] = {}
    for col in missing:
        target = col.lower()
        free = [h for h in lowered if lowered[h] not in out]
        stems = [w for w in re.split(r"[^a-z0-9]+", target) if len(w) >= 3]
        # share a word, or one word starts the other: registr_dt ~ REG_DATE, status_cd ~ VOTER_STATUS
        shared = [h for h in free if any(a.startswith(b) or b.startswith(a) for a in stems for b in words[h])]
        pool = shared or difflib.get_close_matches(target, free, n=1, cutoff=0.6)
        guess = max(pool, key=lambda h: difflib.SequenceMatcher(None, target, h).ratio()) if pool else None
        out[lowered[guess] if guess else f"<your column for {col}>"] = col
    return out
