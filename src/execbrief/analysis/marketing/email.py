"""The email-blast model: list size x open x click x conversion x average booking value, as a
range, with every input and intermediate figure spelled out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from execbrief.analysis.marketing.figures import CENT, compact_rows, num, pct, total
from execbrief.analysis.marketing.options import EmailAssumptions, MarketingOptions
from execbrief.records.bookings import Booking
from execbrief.records.handoff import Fact
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, MoneyRange, Percent


@dataclass(frozen=True)
class EmailCase:
    """The modelled email blast for one entity, with every input and intermediate figure.

    ``opens``, ``clicks``, ``bookings_low``/``bookings_high`` are expected counts (Decimals, not
    rounded), ``revenue`` their value at ``average_value``; ``arithmetic`` spells it out.
    """

    entity: str
    list_size: int
    list_source: str
    open_rate: Percent
    click_rate: Percent
    conversion_low: Percent
    conversion_high: Percent
    basis: str
    average_value: Money
    value_source: str
    opens: Decimal
    clicks: Decimal
    bookings_low: Decimal
    bookings_high: Decimal
    revenue: MoneyRange
    arithmetic: str
    provenance: tuple[Provenance, ...] = ()
    #: Where the rates come from, as a phrase: ``the benchmark rates`` (the cited defaults) or
    #: ``the rates set in [analysis.marketing.email]``.
    rates: str = "the benchmark rates"


def email_case(
    entity: str,
    list_size: int,
    list_source: str,
    assumptions: EmailAssumptions,
    average_value: Money,
    value_source: str,
    provenance: tuple[Provenance, ...] = (),
) -> EmailCase:
    """The email-blast model: list x open x click x conversion x value, as a range.

    With basis ``recipients`` (benchmarks' convention) opens = list x open, clicks = list x click,
    bookings = list x conversion; the step shares shown are click/open and conversion/click. With
    ``previous_step`` each rate applies to the step before it.
    """
    size = Decimal(list_size)
    a, d = assumptions, EmailAssumptions()
    opens = size * a.open_rate
    if a.basis == "recipients":
        clicks = size * a.click_rate
        low, high = size * a.conversion_low, size * a.conversion_high
        click_of_opens = a.click_rate / a.open_rate if a.open_rate else Decimal(0)
        conv_low = a.conversion_low / a.click_rate if a.click_rate else Decimal(0)
        conv_high = a.conversion_high / a.click_rate if a.click_rate else Decimal(0)
        steps = (
            f"{list_size:,} opted-in subscribers × {pct(a.open_rate)} open = {num(opens)} opens; "
            f"× {pct(click_of_opens.quantize(Decimal('0.0001'), ROUND_HALF_UP))} of opens click "
            f"({pct(a.click_rate)} of the list) = {num(clicks)} clicks; "
            f"× {pct(conv_low.quantize(Decimal('0.0001'), ROUND_HALF_UP))}–"
            f"{pct(conv_high.quantize(Decimal('0.0001'), ROUND_HALF_UP))} of clicks book "
            f"({pct(a.conversion_low)}–{pct(a.conversion_high)} of the list) = "
            f"{num(low, 2)}–{num(high, 2)} bookings"
        )
    else:
        clicks = opens * a.click_rate
        low, high = clicks * a.conversion_low, clicks * a.conversion_high
        steps = (
            f"{list_size:,} opted-in subscribers × {pct(a.open_rate)} open = {num(opens)} opens; "
            f"× {pct(a.click_rate)} of opens click = {num(clicks)} clicks; "
            f"× {pct(a.conversion_low)}–{pct(a.conversion_high)} of clicks book = "
            f"{num(low, 2)}–{num(high, 2)} bookings"
        )
    revenue = MoneyRange(
        (average_value * low).quantize(CENT),
        (average_value * high).quantize(CENT),
        approximate=True,
    )
    arithmetic = (
        f"{steps}; × {average_value.quantize(CENT)} average booking ({value_source}) = "
        f"{revenue.low}–{revenue.high} per blast."
    )
    return EmailCase(
        entity=entity,
        list_size=list_size,
        list_source=list_source,
        open_rate=pct(a.open_rate),
        click_rate=pct(a.click_rate),
        conversion_low=pct(a.conversion_low),
        conversion_high=pct(a.conversion_high),
        basis=a.basis,
        average_value=average_value,
        value_source=value_source,
        opens=opens,
        clicks=clicks,
        bookings_low=low,
        bookings_high=high,
        revenue=revenue,
        arithmetic=arithmetic,
        provenance=provenance,
        rates=(
            "the benchmark rates"
            if (a.open_rate, a.click_rate, a.conversion_low, a.conversion_high, a.basis)
            == (d.open_rate, d.click_rate, d.conversion_low, d.conversion_high, d.basis)
            else "the rates set in [analysis.marketing.email]"
        ),
    )


def entity_email_case(
    snapshot: Snapshot,
    info: EntityInfo,
    options: MarketingOptions,
    window: list[Booking],
    currency: str,
) -> EmailCase | None:
    """The email blast modelled for one entity, or None with no list size or no booking value.

    The list is the subscriber export's opted-in count, else the size in the handoff notes; the
    value is ``average_booking_value`` when set, else the mean of ``window``'s bookings, else the
    average booking value in the notes.
    """
    counts = snapshot.records(SubscriberCounts, info.id)
    provenance: list[Provenance] = []
    if counts:
        size = sum(c.opted_in for c in counts)
        source = "opted-in unique addresses in the subscriber export"
        provenance.extend(c.provenance for c in counts)
    else:
        facts = [
            f
            for f in snapshot.records(Fact, info.id)
            if f.key == "email_list" and isinstance(f.value, int)
        ]
        if not facts:
            return None
        size = int(facts[-1].value)  # type: ignore[arg-type]
        source = "email list size in the handoff notes"
        provenance.append(facts[-1].provenance)
    if size <= 0:
        return None
    amounts = [b.amount for b in window if b.amount is not None]
    # a value set in the config is the user's stated assumption: it wins over the bookings' mean
    if options.email.average_booking_value is not None:
        value = Money(options.email.average_booking_value, currency)
        value_source = "[analysis.marketing.email] average_booking_value"
    elif amounts:
        value = (total(amounts, currency) / len(amounts)).quantize(CENT)
        value_source = f"mean of {len(amounts)} booked or completed bookings, trailing 12 months"
        provenance.extend(compact_rows(b.provenance for b in window if b.amount is not None)[:3])
    else:
        facts = [
            f
            for f in snapshot.records(Fact, info.id)
            if f.key == "average_booking_value" and isinstance(f.value, Money)
        ]
        if not facts:
            return None
        value = facts[-1].value  # type: ignore[assignment]
        value_source = "average booking value in the handoff notes"
        provenance.append(facts[-1].provenance)
    return email_case(info.id, size, source, options.email, value, value_source, tuple(provenance))
