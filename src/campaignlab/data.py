"""Find the course datasets from anywhere: a lesson, a test, or nbgrader's autograde folder.

Every notebook asks for data by name, never by a relative path::

    >>> from campaignlab import data
    >>> data.path("voters").name
    'ncvoter_alder.txt'

The folder is, in order: the ``CAMPAIGNLAB_DATA`` environment variable; the
``datasets/`` folder of the source checkout the package was installed from; or
``~/.cache/campaignlab/datasets``. A missing canonical file is generated on first use
(about two seconds), so a fresh Binder or laptop never needs a download.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The canonical county: every lesson, test and checksum uses this seed and size.
CANONICAL_SEED = 2026
CANONICAL_VOTERS = 50_000

#: Dataset name -> file name inside the data folder. Truth files live in ``truth/``:
#: lessons may compare with them, but trainees never receive them in a real campaign.
FILES = {
    "voters": "ncvoter_alder.txt",
    "history": "ncvhis_alder.txt",
    "vendor": "vendor_scores.csv",
    "contacts": "van_contact_history.csv",
    "mobilize": "mobilize_event_attendance.csv",
    "list": "action_network_export.csv",
    "email_sends": "email_sends.csv",
    "email_ab_recipients": "email_ab_test_recipients.csv",
    "sms_sends": "sms_sends.csv",
    "donations": "donations.csv",
    "ads_campaigns": "meta_ads_campaigns.csv",
    "ad_leads": "meta_lead_ads_leads.csv",
    "canvass_experiment": "canvass_experiment_2024.csv",
    "truth_people": "truth/people.csv",
    "truth_registrations": "truth/registrations.csv",
    "truth_turnout": "truth/turnout_probability.csv",
    "truth_defects": "truth/defects.csv",
    "truth_list_matches": "truth/list_matches.csv",
    "truth_ab_tests": "truth/ab_tests.csv",
    "truth_email_opens": "truth/email_opens.csv",
    "truth_donors": "truth/donors.csv",
    "truth_ad_leads": "truth/ad_leads.csv",
    "truth_vanid_map": "truth/vanid_map.csv",
    "truth_fabricated_shifts": "truth/fabricated_shifts.csv",
    "truth_volunteers": "truth/volunteers.csv",
    "truth_canvass_experiment": "truth/canvass_experiment_2024.csv",
}


def data_dir() -> Path:
    """The folder that holds (or will hold) the canonical datasets.

    >>> data_dir().name
    'datasets'
    """
    env = os.environ.get("CAMPAIGNLAB_DATA")
    if env:
        return Path(env).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if (checkout / "README.md").is_file():
        return checkout
    return Path.home() / ".cache" / "campaignlab" / "datasets"


def path(name: str, *, generate: bool = True) -> Path:
    """Return the path of dataset ``name``, generating the canonical data if it is missing.

    Args:
        name: one of ``campaignlab.data.FILES`` (for example ``"voters"``).
        generate: when True (the default) a missing file triggers generation of the
            whole canonical county; when False a missing file raises ``FileNotFoundError``.

    >>> path("history").name
    'ncvhis_alder.txt'
    >>> path("vote history")
    Traceback (most recent call last):
    ...
    KeyError: "No dataset called 'vote history'. Known datasets: voters, history, vendor, contacts, mobilize, list, email_sends, email_ab_recipients, sms_sends, donations, ads_campaigns, ad_leads, canvass_experiment, truth_people, truth_registrations, truth_turnout, truth_defects, truth_list_matches, truth_ab_tests, truth_email_opens, truth_donors, truth_ad_leads, truth_vanid_map, truth_fabricated_shifts, truth_volunteers, truth_canvass_experiment"
    """
    if name not in FILES:
        raise KeyError(f"No dataset called {name!r}. Known datasets: {', '.join(FILES)}")
    target = data_dir() / FILES[name]
    if not target.is_file():
        if not generate:
            raise FileNotFoundError(
                f"{target} is missing. Run `campaignlab generate` to build the canonical data."
            )
        ensure_canonical()
    return target


def ensure_canonical(folder: Path | None = None) -> Path:
    """Generate the canonical county into ``folder`` (default: ``data_dir()``) if any file is missing.

    Returns the folder. Generation is deterministic, so regenerating never changes a file.
    """
    folder = Path(folder) if folder is not None else data_dir()
    if all((folder / f).is_file() for f in FILES.values()):
        return folder
    from campaignlab.synth import generate  # imported here: lessons that only read stay light

    generate(folder, seed=CANONICAL_SEED, voters=CANONICAL_VOTERS)
    return folder
