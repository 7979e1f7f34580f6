"""Targeting: who could vote, what they did before, scores that rank them (rules and models), and whether doors worked.

Pure functions (inputs are never modified); steps that drop rows return ``(result,
StepReport)`` so every set-aside row has a reason, as in :mod:`campaignlab.voterfile`.

>>> from campaignlab import targeting
>>> targeting.registration_deadline("2026-11-03").strftime("%m/%d/%Y")
'10/09/2026'
"""

from campaignlab.targeting.electorate import DEADLINE_DAYS, eligible_at, registration_deadline
from campaignlab.targeting.evaluate import (
    calibration_table,
    error_by_group,
    expected_calibration_error,
    gains_table,
    plot_gains,
    plot_reliability,
    score_quality,
)
from campaignlab.targeting.experiment import (
    Estimate,
    balance_table,
    contact_rate,
    effect_per_contact,
    intent_to_treat,
    qini_curve,
    qini_share,
    two_model_uplift,
)
from campaignlab.targeting.history import (
    KINDS,
    election_calendar,
    history_features,
    years_registered,
)
from campaignlab.targeting.model import (
    CATEGORIES,
    NUMBERS,
    fit_turnout_model,
    leaky_columns,
    score_turnout,
    turnout_features,
    turnout_pipeline,
    voted_in,
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
    "CATEGORIES",
    "CONTACT_RATE_RANGE",
    "DEADLINE_DAYS",
    "DEFAULT_POINTS",
    "DOORS_PER_SHIFT",
    "DOOR_CONTACTS_PER_VOTE",
    "DOOR_CONTACT_RATE",
    "Estimate",
    "KINDS",
    "NUMBERS",
    "balance_table",
    "calibration_table",
    "canvass_plan",
    "capture",
    "contact_rate",
    "cut_turf",
    "effect_per_contact",
    "election_calendar",
    "eligible_at",
    "error_by_group",
    "expected_calibration_error",
    "fit_turnout_model",
    "gains_table",
    "history_features",
    "intent_to_treat",
    "leaky_columns",
    "plot_gains",
    "plot_reliability",
    "propensity_table",
    "qini_curve",
    "qini_share",
    "registration_deadline",
    "rule_score",
    "score_quality",
    "score_turnout",
    "support_ids",
    "tier_universes",
    "turnout_features",
    "turnout_pipeline",
    "two_model_uplift",
    "voted_in",
    "votes_gained",
    "years_registered",
]
