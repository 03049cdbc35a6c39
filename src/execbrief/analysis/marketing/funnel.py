"""The booking funnel: per entity and month, how many bookings reached inquiry, quoted, booked and
completed (a booking's status is the furthest stage it reached), and the steps that stopped
converting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from execbrief.analysis.marketing.figures import compact_rows, rate
from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import EntityInfo, Provenance
from execbrief.values import Percent, Period

STEPS = (("inquiry", "quoted"), ("quoted", "booked"), ("booked", "completed"))
STAGE_RANK = {
    BookingStatus.INQUIRY: 1,
    BookingStatus.QUOTED: 2,
    BookingStatus.BOOKED: 3,
    BookingStatus.COMPLETED: 4,
}


def stage_reached(booking: Booking) -> int:
    """The furthest funnel stage a booking reached, 1 (inquiry) .. 4 (completed).

    A cancelled booking reached *booked* when it carries a deposit (deposits are taken on
    booking), *quoted* when it carries an amount, else *inquiry*; it is never *completed*.
    """
    if booking.status is BookingStatus.CANCELLED:
        if booking.deposit is not None and not booking.deposit.is_zero:
            return 3
        if booking.amount is not None and not booking.amount.is_zero:
            return 2
        return 1
    return STAGE_RANK[booking.status]


@dataclass(frozen=True)
class FunnelRow:
    """One entity-month of the funnel (bookings by the month they were created).

    ``inquiries`` .. ``completed`` count bookings that reached at least that stage; ``cancelled``
    counts cancellations (also counted in the stages they reached). Rates are step conversions:
    quoted/inquiries, booked/quoted, completed/booked-and-due (service date before ``as_of``).
    """

    entity: str
    month: str
    inquiries: int
    quoted: int
    booked: int
    completed: int
    cancelled: int
    booked_due: int
    quote_rate: Percent | None
    book_rate: Percent | None
    complete_rate: Percent | None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class FunnelBreak:
    """A step that stopped converting: months where ``upstream`` bookings reached ``step[0]`` and
    none reached ``step[1]``; ``booking_ids`` are the stuck bookings, ``provenance`` their rows
    (consecutive rows of a file merged into ranges). ``before`` is the step's conversion in the
    funnel's earlier months, when there were any."""

    entity: str
    step: tuple[str, str]
    months: tuple[str, ...]
    upstream: int
    booking_ids: tuple[str, ...]
    before: Percent | None
    provenance: tuple[Provenance, ...] = ()

    @property
    def label(self) -> str:
        """``quoted → booked``."""
        return f"{self.step[0]} → {self.step[1]}"


def funnel(bookings: Sequence[Booking], as_of: date, months: int) -> list[FunnelRow]:
    """The funnel rows of one entity's bookings, one per month from the first month with a
    booking (at most ``months`` months back) to the ``as_of`` month, empty months included."""
    if not bookings:
        return []
    entity = bookings[0].entity
    last = Period.containing(as_of)
    dates = [b.created for b in bookings if b.created <= as_of]
    first = Period.containing(min(dates)) if dates else last
    window = [last]
    while len(window) < months and window[0] > first:
        window.insert(0, window[0].previous())
    rows: list[FunnelRow] = []
    by_month: dict[str, list[Booking]] = defaultdict(list)
    for booking in bookings:
        if booking.created <= as_of:
            by_month[str(Period.containing(booking.created))].append(booking)
    for period in window:
        month = str(period)
        items = by_month.get(month, [])
        reached = [stage_reached(b) for b in items]
        counts = [sum(1 for r in reached if r >= stage) for stage in (1, 2, 3, 4)]
        due = sum(
            1
            for b, r in zip(items, reached, strict=True)
            if r >= 3 and b.service_date is not None and b.service_date < as_of
        )
        completed_due = counts[3]
        rows.append(
            FunnelRow(
                entity=entity,
                month=month,
                inquiries=counts[0],
                quoted=counts[1],
                booked=counts[2],
                completed=counts[3],
                cancelled=sum(1 for b in items if b.status is BookingStatus.CANCELLED),
                booked_due=due,
                quote_rate=rate(counts[1], counts[0]),
                book_rate=rate(counts[2], counts[1]),
                complete_rate=rate(completed_due, due),
                provenance=compact_rows(b.provenance for b in items),
            )
        )
    return rows


def funnel_breaks(
    bookings: Sequence[Booking], as_of: date, months: int, min_count: int, maturity_days: int
) -> list[FunnelBreak]:
    """Steps that stopped converting, consecutive broken months of a step merged into one break.

    A step (from stage *a* to *b*) is broken in a month when at least ``min_count`` bookings
    created that month, and at least ``maturity_days`` before ``as_of``, reached *a* and none of
    them reached *b*; a broken step stays broken in the following months while bookings keep
    reaching *a* (any number) and none reach *b*, so a partial current month extends it. For booked -> completed only bookings whose service date has passed count.
    """
    if not bookings:
        return []
    entity = bookings[0].entity
    rows = funnel(bookings, as_of, months)
    window = {row.month for row in rows}
    cutoff = as_of - timedelta(days=maturity_days)
    by_month: dict[str, list[Booking]] = defaultdict(list)
    for booking in bookings:
        month = str(Period.containing(booking.created))
        if month in window and booking.created <= cutoff:
            by_month[month].append(booking)
    breaks: list[FunnelBreak] = []
    for index, (start, nxt) in enumerate(STEPS, start=1):
        broken: list[tuple[str, list[Booking]]] = []
        healthy_up = healthy_down = 0
        previous = ""
        for row in rows:
            items = by_month.get(row.month, [])
            if start == "booked":
                items = [b for b in items if b.service_date is not None and b.service_date < as_of]
            up = [b for b in items if stage_reached(b) >= index]
            down = [b for b in up if stage_reached(b) >= index + 1]
            continues = bool(broken) and broken[-1][0] == previous and bool(up)
            previous = row.month
            if (len(up) >= min_count or continues) and not down:
                broken.append((row.month, up))
            elif not broken:
                healthy_up += len(up)
                healthy_down += len(down)
        for group in _consecutive(broken, [row.month for row in rows]):
            stuck = [b for _, items in group for b in items]
            breaks.append(
                FunnelBreak(
                    entity=entity,
                    step=(start, nxt),
                    months=tuple(month for month, _ in group),
                    upstream=len(stuck),
                    booking_ids=tuple(b.id for b in stuck),
                    before=rate(healthy_down, healthy_up),
                    provenance=compact_rows(b.provenance for b in stuck),
                )
            )
    return breaks


def _consecutive(
    broken: list[tuple[str, list[Booking]]], order: list[str]
) -> list[list[tuple[str, list[Booking]]]]:
    groups: list[list[tuple[str, list[Booking]]]] = []
    for month, items in broken:
        if groups and order.index(month) == order.index(groups[-1][-1][0]) + 1:
            groups[-1].append((month, items))
        else:
            groups.append([(month, items)])
    return groups


def break_finding(info: EntityInfo, brk: FunnelBreak) -> Finding:
    """The finding for a step that stopped converting, naming the stuck bookings."""
    months = brk.months[0] if len(brk.months) == 1 else f"{brk.months[0]}..{brk.months[-1]}"
    before = f" (it was {brk.before} in the months before)" if brk.before is not None else ""
    ids = brk.booking_ids
    shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
    fix = {
        "quoted": "Answer every inquiry with a quote within a day; check the inbox and the form.",
        "booked": "Follow up every open quote and find out why none converted (price, deposit link, response time).",
        "completed": "Check that booked trips are marked completed and paid; chase the ones that are not.",
    }[brk.step[1]]
    return Finding(
        id=f"marketing.funnel_break:{info.id}:{brk.step[0]}-{brk.step[1]}:{brk.months[0]}",
        rule="marketing.funnel_break",
        title=f"{info.name}: {brk.label} stopped converting in {months}",
        severity=Severity.HIGH,
        entity=info.id,
        evidence=f"{brk.upstream} bookings reached {brk.step[0]} in {months} and none reached "
        f"{brk.step[1]}{before}: {shown}.",
        recommendation=fix,
        effort=Effort.HOURS,
        impact=3,
        shortfall=True,
        tags=("marketing", "funnel"),
        provenance=brk.provenance,
        cost_tier=CostTier.ZERO_COST,
    )
