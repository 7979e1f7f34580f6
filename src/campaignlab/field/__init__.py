"""The field program: what the doors said, and which canvass data to trust.

Pure functions on a VAN contact history (one row per attempt; ``Turf Name``, ``Shift ID`` and
``Date Created`` as VAN exports them); inputs are never modified.

* :mod:`~campaignlab.field.doors`: attempts, contacts and IDs per shift, turf, time or canvasser,
  every rate over the doors knocked; Moved and Deceased flags to join to the voter file.
* :mod:`~campaignlab.field.checks`: each shift against its turf (binomial tails, Holm-adjusted),
  knocks seconds apart, identical answers, "Canvassed" on removed voters.

>>> from campaignlab import field
>>> field.CONTACT_RESULTS
('Canvassed', 'Refused', 'Moved', 'Deceased')
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

__all__ = [
    "CONTACT_RESULTS",
    "DOOR",
    "FLAG_RESULTS",
    "SUPPORTERS",
    "binomial_tail",
    "contact_rates",
    "field_flags",
    "knock_gaps",
    "shift_checks",
    "shift_start",
]
