"""The house rules: what every page assumes alike, stated once.

A chapter that needs a peak-to-average factor, a significance level or an experiment's shortest
duration takes it from ``HOUSE`` and never restates it, so no two pages can disagree. The
estimation reference page shows this table (``{{ table: kit.house.assumptions }}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit.assume import CONVENTION, DEFINITION, assume, design, thumb
from snippets.kit.display import count, fixed, minutes, pct, percentile, times, weeks, yes_no


@dataclass(frozen=True)
class HouseRules:
    """Rules of thumb and conventions shared by every page of the book."""

    seconds_per_day: int = assume(86_400, "Seconds in a day", count, DEFINITION)
    peak_to_average: float = assume(
        3.0, "Peak-to-average traffic factor", times, thumb("top of the common 2-3x range; measure your own")
    )
    alpha: float = assume(0.05, "Significance level of an A/B test (two-sided)", lambda v: fixed(v, 2), CONVENTION)
    power: float = assume(0.80, "Power of an A/B test", lambda v: pct(v, 0), CONVENTION)
    minimum_experiment_weeks: int = assume(
        2, "Shortest A/B test", weeks, thumb("two full weekly cycles, so weekday effects and novelty average out")
    )
    whole_weeks: bool = assume(
        True, "A/B tests run in whole weeks", yes_no, thumb("every weekday weighs the same in the result")
    )
    single_call_quantile: float = assume(
        0.99, "Quantile each parallel call is budgeted at", percentile, design("the usual service-level percentile")
    )
    interview_minutes: int = assume(45, "Length of a design interview", minutes, thumb("a typical design round"))


HOUSE = HouseRules()
#: The name the engine shows as this module's assumptions table.
ASSUMPTIONS = HOUSE
