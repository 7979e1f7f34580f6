"""Digital metrics: email, SMS and fundraising programs, and A/B tests that tell the truth.

Pure functions on the platform exports the course uses (Action Network email and SMS
reports, per-recipient A/B files, ActBlue-style donation exports); inputs are never
modified. Statistics come from statsmodels and scipy, not from hand-rolled formulas.

* :mod:`~campaignlab.digital.program`: rates per message or segment over the right
  denominator (delivered, not sent), revenue per 1,000, and the published benchmarks.
* :mod:`~campaignlab.digital.abtest`: the difference of two rates with its interval and
  p-value, a readout per variant, sample size and the smallest detectable lift, and what
  reading a test every day does to it.
* :mod:`~campaignlab.digital.lists`: the list's joins, departures, size and churn by month,
  rebuilt from a people export and the send reports.
* :mod:`~campaignlab.digital.donors`: gifts (one-time vs recurring, the skew), cohort
  retention by first-gift month, and RFM segments.
* :mod:`~campaignlab.digital.acquisition`: what a subscriber and a donor cost, by source, from
  ad spend, lead-form leads, the list and the donor file (organic joiners beside the paid).
* :mod:`~campaignlab.digital.dashboard`: what each panel of a small-multiples figure holds.

>>> from campaignlab import digital
>>> r = digital.compare_rates(20, 1000, 30, 1000)  # A: 2.0% clicked, B: 3.0%
>>> round(r.difference, 3), r.significant
(0.01, False)
"""

from campaignlab.digital.abtest import (
    RateComparison,
    ab_readout,
    compare_rates,
    detectable_lift,
    peeking_simulation,
    sample_size,
)
from campaignlab.digital.acquisition import ORGANIC, acquisition_costs, lead_times
from campaignlab.digital.dashboard import figure_panels
from campaignlab.digital.donors import cohort_retention, gift_summary, rfm_segments
from campaignlab.digital.lists import list_growth
from campaignlab.digital.program import (
    BENCHMARKS,
    LIST_BENCHMARKS,
    against_benchmarks,
    program_metrics,
    text_against_benchmarks,
    text_benchmark_kind,
)

__all__ = [
    "BENCHMARKS",
    "LIST_BENCHMARKS",
    "ORGANIC",
    "RateComparison",
    "ab_readout",
    "acquisition_costs",
    "against_benchmarks",
    "cohort_retention",
    "compare_rates",
    "detectable_lift",
    "figure_panels",
    "gift_summary",
    "lead_times",
    "list_growth",
    "peeking_simulation",
    "program_metrics",
    "rfm_segments",
    "sample_size",
    "text_against_benchmarks",
    "text_benchmark_kind",
]
