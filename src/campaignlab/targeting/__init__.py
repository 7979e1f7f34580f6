"""Targeting: who could vote, what they did before, and scores that rank them (rules and models).

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

__all__ = [
    "CATEGORIES",
    "DEADLINE_DAYS",
    "DEFAULT_POINTS",
    "KINDS",
    "NUMBERS",
    "calibration_table",
    "capture",
    "election_calendar",
    "eligible_at",
    "error_by_group",
    "expected_calibration_error",
    "fit_turnout_model",
    "gains_table",
    "history_features",
    "leaky_columns",
    "plot_gains",
    "plot_reliability",
    "propensity_table",
    "registration_deadline",
    "rule_score",
    "score_quality",
    "score_turnout",
    "turnout_features",
    "turnout_pipeline",
    "voted_in",
    "years_registered",
]
