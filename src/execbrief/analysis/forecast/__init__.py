"""The 13-week cash forecast: week by week opening cash, expected inflows and outflows and closing
cash, per entity and for the portfolio, with the assumptions measured from each entity's history.

One concern a module: ``options`` (``[analysis.forecast]``, ``[entities.settings.forecast]``);
``assumptions`` (payment lags, booking lead time, deposit share, the pace of new bookings);
``rules`` (which row gives which expected movement on which day); ``weeks`` (the week table);
``entity`` (one entity's forecast and the portfolio's); ``result`` (the analysis).
Rules and sources: ``docs/metrics.md``, "13-week cash forecast".

This package is the plugin module (``execbrief.plugins.DEFAULT_PLUGINS``).
"""

from __future__ import annotations

from execbrief.analysis.base import Analysis
from execbrief.analysis.forecast.assumptions import Assumption
from execbrief.analysis.forecast.entity import PORTFOLIO, EntityForecast, Reserve
from execbrief.analysis.forecast.result import ForecastAnalysis, ForecastResult, analyze
from execbrief.analysis.forecast.rules import ForecastLine
from execbrief.analysis.forecast.weeks import WEEKS, ForecastWeek
from execbrief.hookspecs import hookimpl


@hookimpl
def register_analyses() -> list[Analysis]:
    """The forecast analysis."""
    return [ForecastAnalysis()]


__all__ = [
    "PORTFOLIO",
    "WEEKS",
    "Assumption",
    "EntityForecast",
    "ForecastAnalysis",
    "ForecastLine",
    "ForecastResult",
    "ForecastWeek",
    "Reserve",
    "analyze",
    "register_analyses",
]
