"""The finance analysis' options: ``[analysis.finance]`` (model assumptions and the financial
rules) and ``[entities.settings.finance]`` (what the data cannot say about one entity)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from execbrief.config import Config, Model

#: Operating-expense categories that vary with each unit sold (matched as whole words): the cost
#: of delivering one more charter, job, night or trip. Cost-of-sales accounts are always variable.
DEFAULT_VARIABLE_WORDS: tuple[str, ...] = (
    "fuel", "diesel", "commission", "commissions", "platform fees", "host fees", "merchant fees",
    "processing fees", "payment processing", "captains", "crew", "cleaning", "turnover", "turnovers",
    "dump fees", "disposal", "tipping fees", "travel",
)  # fmt: skip


RuleKind = Literal["cash-months", "max-spend", "equity-agreement"]


class RuleSpec(Model):
    """One financial rule of ``[[analysis.finance.rules]]``.

    ``cash-months``: cash covers ``months`` of net burn at the worst month of the runway window.
    ``max-spend``: no single cash spend over ``limit`` without a revenue case in its memo or reference.
    ``equity-agreement``: no equity promised (handoff fact ``equity_obligations``) without a signed
    agreement (fact ``equity_agreement_signed`` = yes, or the promise itself says it is signed).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: RuleKind
    months: Decimal | None = Field(default=None, gt=0)
    limit: Decimal | None = Field(default=None, gt=0)
    description: str | None = None


def _default_rules() -> list[RuleSpec]:
    return [
        RuleSpec(id="keep-cash", kind="cash-months"),
        RuleSpec(id="spend-needs-revenue-case", kind="max-spend"),
        RuleSpec(id="equity-needs-agreement", kind="equity-agreement"),
    ]


class FinanceOptions(Model):
    """``[analysis.finance]``: the model's assumptions and the financial rules.

    ``target_margin`` is a fraction (0.15 = 15% net margin). ``runway_window`` is the number of
    trailing complete months whose net-burn range runway divides by; ``window_months`` the months
    break-even prices and costs are measured over. ``revenue_case_markers`` are the words (matched
    as whole words, any case) that make a memo or reference count as a revenue case.
    """

    target_margin: Decimal = Field(default=Decimal("0.15"), ge=0, lt=1)
    min_cash_months: Decimal = Field(default=Decimal(3), gt=0)
    max_unreviewed_spend: Decimal = Field(default=Decimal(2500), gt=0)
    runway_window: int = Field(default=3, ge=1, le=24)
    window_months: int = Field(default=6, ge=1, le=24)
    revenue_case_markers: list[str] = Field(
        default_factory=lambda: ["revenue case", "business case", "roi", "payback", "approved"]
    )
    rules: list[RuleSpec] = Field(default_factory=_default_rules)


class FinanceEntityOptions(Model):
    """``[entities.settings.finance]``: what the data cannot say about one entity.

    ``unit`` names the break-even unit (charter, job, billable hour, trip, night, ...);
    ``unit_source`` where units are counted (``bookings``, ``trips``, ``timesheets``, or ``none``).
    ``unit_price``, ``variable_cost`` (per unit) and ``fixed_costs`` (per month) override what is
    measured. ``variable_categories`` are words (matched as whole words in the last account segment,
    any case) naming operating-expense accounts that are variable costs; it replaces the default
    list ``DEFAULT_VARIABLE_WORDS`` (``[]`` makes every operating expense fixed).
    """

    unit: str | None = None
    unit_source: Literal["bookings", "trips", "timesheets", "none"] | None = None
    unit_price: Decimal | None = Field(default=None, gt=0)
    variable_cost: Decimal | None = Field(default=None, ge=0)
    fixed_costs: Decimal | None = Field(default=None, ge=0)
    variable_categories: list[str] | None = None


def finance_options(config: Config | None) -> FinanceOptions:
    """The validated ``[analysis.finance]`` options (defaults when absent)."""
    options = config.analysis_options("finance") if config is not None else None
    return options if isinstance(options, FinanceOptions) else FinanceOptions()


def entity_options(config: Config | None, entity: str) -> FinanceEntityOptions:
    """The validated ``[entities.settings.finance]`` of one entity (defaults when absent)."""
    if config is None:
        return FinanceEntityOptions()
    try:
        options = config.entity(entity).setting("finance")
    except KeyError:
        return FinanceEntityOptions()
    return options if isinstance(options, FinanceEntityOptions) else FinanceEntityOptions()
