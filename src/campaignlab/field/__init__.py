"""The field program: what the doors said, which canvass data to trust, and the volunteers who
knock the doors.

Pure functions on a VAN contact history (one row per attempt; ``Turf Name``, ``Shift ID`` and
``Date Created`` as VAN exports them) and a Mobilize attendance export; inputs are never modified.

* :mod:`~campaignlab.field.doors`: attempts, contacts and IDs per shift, turf, time or canvasser,
  every rate over the doors knocked; Moved and Deceased flags to join to the voter file.
* :mod:`~campaignlab.field.checks`: each shift against its turf (binomial tails, Holm-adjusted),
  knocks seconds apart, identical answers, "Canvassed" on removed voters.
* :mod:`~campaignlab.field.volunteers`: sign-ups, shows and flakes over the shifts held, who
  came back after each shift, retention by first-shift cohort, and the sign-ups a plan needs.

>>> from campaignlab import field
>>> field.CONTACT_RESULTS
('Canvassed', 'Refused', 'Moved', 'Deceased')
>>> field.signups_needed(30, flake_rate=0.4)
50
"""

from campaignlab.field.checks import SUPPORTERS, binomial_tail, knock_gaps, shift_checks
from campaignlab.field.doors import (
    CONTACT_RESULTS,
    DOOR,
    FLAG_RESULTS,
    contact_rates,
    field_flags,
    shift_start,
)
from campaignlab.field.volunteers import (
    attended_flags,
    retention_curves,
    return_rates,
    shift_outcomes,
    signups_needed,
    worked_shifts,
)

__all__ = [
    "CONTACT_RESULTS",
    "DOOR",
    "FLAG_RESULTS",
    "SUPPORTERS",
    "attended_flags",
    "binomial_tail",
    "contact_rates",
    "field_flags",
    "knock_gaps",
    "retention_curves",
    "return_rates",
    "shift_checks",
    "shift_outcomes",
    "shift_start",
    "signups_needed",
    "worked_shifts",
]
