"""The forecast's options: ``[analysis.forecast]`` (how recurring lines are recognised) and
``[entities.settings.forecast]`` (overrides of what is measured from one entity's history)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from execbrief.config import Config, Model


class ForecastOptions(Model):
    """``[analysis.forecast]``.

    ``recurring_months``: a payee paid (or paying) about the same amount in at least this many
    distinct months is a recurring line, whatever its cadence (a yearly bill: this many years); ``tolerance`` is "about the same" as a fraction of the
    latest amount. ``payroll_words`` and ``loan_words`` (whole words of the account, category or
    payee, any case) name payroll and loan payments; payroll amounts may vary (the latest is used).
    """

    recurring_months: int = Field(default=3, ge=2, le=12)
    tolerance: Decimal = Field(default=Decimal("0.10"), ge=0, lt=1)
    payroll_words: list[str] = Field(
        default_factory=lambda: ["payroll", "wages", "salary", "salaries", "gusto", "adp"]
    )
    loan_words: list[str] = Field(default_factory=lambda: ["loan", "mortgage", "note payable"])


class ForecastEntityOptions(Model):
    """``[entities.settings.forecast]``: overrides of the measured assumptions of one entity.

    ``payment_lag_days`` replaces every client's measured lag (days paid after the due date);
    ``client_lags`` sets it per client name. ``deposit_lead_days`` and ``deposit_share`` replace
    the measured booking lead time and deposit share; ``new_bookings = false`` leaves the run-rate
    of new bookings' deposits out. ``reserve`` replaces the cash-reserve rule's amount.
    """

    payment_lag_days: int | None = Field(default=None, ge=-365, le=365)
    client_lags: dict[str, int] = Field(default_factory=dict)
    deposit_lead_days: int | None = Field(default=None, ge=0, le=730)
    deposit_share: Decimal | None = Field(default=None, ge=0, le=1)
    new_bookings: bool = True
    reserve: Decimal | None = Field(default=None, ge=0)


def forecast_options(config: Config | None) -> ForecastOptions:
    """The validated ``[analysis.forecast]`` (defaults when absent)."""
    options = config.analysis_options("forecast") if config is not None else None
    return options if isinstance(options, ForecastOptions) else ForecastOptions()


def entity_forecast_options(config: Config | None, entity: str) -> ForecastEntityOptions:
    """The validated ``[entities.settings.forecast]`` of one entity (defaults when absent)."""
    if config is None:
        return ForecastEntityOptions()
    try:
        options = config.entity(entity).setting("forecast")
    except KeyError:
        return ForecastEntityOptions()
    return options if isinstance(options, ForecastEntityOptions) else ForecastEntityOptions()
