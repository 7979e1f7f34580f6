"""Targeting: who could vote, what they did before, and scores that rank them.

Pure functions (inputs are never modified); steps that drop rows return ``(result,
StepReport)`` so every set-aside row has a reason, as in :mod:`campaignlab.voterfile`.

>>> from campaignlab import targeting
>>> targeting.registration_deadline("2026-11-03").strftime("%m/%d/%Y")
'10/09/2026'
"""

from campaignlab.targeting.electorate import DEADLINE_DAYS, eligible_at, registration_deadline
from campaignlab.targeting.history import (
    KINDS,
    election_calendar,
    history_features,
    years_registered,
)
from campaignlab.targeting.propensity import propensity_table
from campaignlab.targeting.score import DEFAULT_POINTS, capture, rule_score
from campaignlab.targeting.universes import (
    CONTACT_RATE_RANGE,
    DOOR_CONTACT_RATE,
    DOOR_CONTACTS_PER_VOTE,
    DOORS_PER_SHIFT,
    canvass_plan,
    cut_turf,
    support_ids,
    tier_universes,
    votes_gained,
)

__all__ = [
    "CONTACT_RATE_RANGE",
    "DOOR_CONTACT_RATE",
    "DOOR_CONTACTS_PER_VOTE",
    "DOORS_PER_SHIFT",
    "DEADLINE_DAYS",
    "DEFAULT_POINTS",
    "KINDS",
    "canvass_plan",
    "capture",
    "cut_turf",
    "election_calendar",
    "eligible_at",
    "history_features",
    "propensity_table",
    "registration_deadline",
    "rule_score",
    "support_ids",
    "tier_universes",
    "votes_gained",
    "years_registered",
]
