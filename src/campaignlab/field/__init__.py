"""The field program: canvass shifts, turf and the volunteers who knock the doors.

* :mod:`~campaignlab.field.volunteers`: sign-ups, shows and flakes over the shifts held, who
  came back after each shift, retention by first-shift cohort, and the sign-ups a plan needs.

>>> from campaignlab import field
>>> field.signups_needed(30, flake_rate=0.4)
50
"""

from campaignlab.field.volunteers import (
    attended_flags,
    retention_curves,
    return_rates,
    shift_outcomes,
    signups_needed,
    worked_shifts,
)

__all__ = ["attended_flags", "retention_curves", "return_rates", "shift_outcomes", "signups_needed",
           "worked_shifts"]  # fmt: skip
