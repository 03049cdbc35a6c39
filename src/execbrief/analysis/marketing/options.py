"""``[analysis.marketing]``: the model assumptions of the marketing analysis (email rates,
marketplace terms, funnel thresholds), each default cited in ``docs/metrics.md``."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from execbrief.config import Model
from execbrief.findings import Effort
from execbrief.records.channels import CATALOGUE, Channel

NAME = "marketing"


def _percent(value: object) -> object:
    """A rate written as a percentage (``"40%"``, ``"2.5 %"``) as the fraction it means."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return Decimal(value.strip()[:-1].strip()) / 100
        except ArithmeticError:
            return value  # left for the field's own error message
    return value


class EmailAssumptions(Model):
    """``[analysis.marketing.email]``: the email-blast model's rates (fractions, 0.358 = 35.8%).

    Defaults: Revinate 2024 Hospitality Benchmark Report, North America email channel (35.8% open,
    1.9% click-through, 0.2% conversion; 0.5% conversion for sends to segments of 5,000 guests or
    fewer). ``basis = "recipients"`` reads every rate as a share of the list, as benchmarks publish
    them; ``"previous_step"`` reads click as a share of opens and conversion as a share of clicks.
    ``average_booking_value``, when set, is used instead of the mean of the entity's bookings.
    """

    open_rate: Decimal = Field(default=Decimal("0.358"), ge=0, le=1)
    click_rate: Decimal = Field(default=Decimal("0.019"), ge=0, le=1)
    conversion_low: Decimal = Field(default=Decimal("0.002"), ge=0, le=1)
    conversion_high: Decimal = Field(default=Decimal("0.005"), ge=0, le=1)
    basis: Literal["recipients", "previous_step"] = "recipients"
    average_booking_value: Decimal | None = Field(default=None, gt=0)

    _rates = field_validator(
        "open_rate", "click_rate", "conversion_low", "conversion_high", mode="before"
    )(_percent)

    @model_validator(mode="after")
    def _ordered(self) -> EmailAssumptions:
        if self.conversion_low > self.conversion_high:
            raise ValueError("conversion_low must not exceed conversion_high")
        if self.basis == "recipients" and not (
            self.conversion_high <= self.click_rate <= self.open_rate
        ):
            raise ValueError(
                "with basis = 'recipients' the rates are shares of the list, so expected "
                "conversion_high <= click_rate <= open_rate"
            )
        return self


class OtaTerms(Model):
    """One marketplace's terms: ``commission`` and ``monthly_fee`` paid by the operator, a one-off
    ``setup_fee``, ``effort`` to list, ``fit`` by entity kind (0..1) and ``source`` (the citation).
    """

    label: str
    commission: Decimal = Field(ge=0, lt=1)
    monthly_fee: Decimal = Field(default=Decimal(0), ge=0)
    setup_fee: Decimal = Field(default=Decimal(0), ge=0)
    effort: Effort = Effort.DAYS
    fit: dict[str, Decimal] = Field(default_factory=dict)
    source: str = ""

    _commission = field_validator("commission", mode="before")(_percent)


def _default_terms(channel: Channel) -> OtaTerms | None:
    terms = channel.terms
    if terms is None:
        return None
    return OtaTerms(
        label=channel.label,
        commission=terms.commission,
        setup_fee=terms.setup_fee,
        effort=terms.effort,
        fit=dict(terms.fit),
        source=terms.source,
    )


#: Marketplaces known out of the box: the catalogue's channels with known terms (commission
#: defaults cited in docs/metrics.md).
DEFAULT_OTAS: dict[str, OtaTerms] = {
    c.key: terms for c in CATALOGUE if (terms := _default_terms(c)) is not None
}


class MarketingOptions(Model):
    """``[analysis.marketing]``: the model assumptions of the marketing analysis.

    ``channels`` adds channel columns to the matrix (``thumbtack``, ``nextdoor``); ``otas``
    overrides or adds marketplaces (merged with the defaults by key); ``ota_reach`` is the share
    of an entity's current monthly booking revenue a new listing is expected to add at fit 1.0
    (an assumption, not a benchmark: set it from your own history); ``funnel_months`` is how
    many months back (at most) the funnel shows, from the first month with bookings; a step is
    *broken* in a month when at least ``funnel_min_count`` bookings reached the earlier stage (ignoring those younger than
    ``funnel_maturity_days``) and none reached the next. ``local_kinds`` are the entity kinds
    expected to carry LocalBusiness data (a platform is not a local business).
    """

    email: EmailAssumptions = Field(default_factory=EmailAssumptions)
    otas: dict[str, OtaTerms] = Field(default_factory=dict)
    channels: list[str] = Field(default_factory=list)
    ota_reach: Decimal = Field(default=Decimal("0.10"), ge=0, le=1)
    funnel_months: int = Field(default=24, ge=1, le=120)
    funnel_min_count: int = Field(default=3, ge=1)
    funnel_maturity_days: int = Field(default=7, ge=0)
    share_window_days: int = Field(default=365, ge=1)
    local_kinds: list[str] = Field(
        default_factory=lambda: ["charter", "hauling", "consultancy", "rental", "delivery", "other"]
    )

    _reach = field_validator("ota_reach", mode="before")(_percent)

    def all_otas(self) -> dict[str, OtaTerms]:
        """The default marketplaces with the config's overrides and additions."""
        return {**DEFAULT_OTAS, **self.otas}
