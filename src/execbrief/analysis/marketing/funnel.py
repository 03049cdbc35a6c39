"""The booking funnel: per entity and month, how many bookings reached inquiry, quoted, booked and
completed (a booking's status is the furthest stage it reached), and the steps that stopped
converting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from execbrief.analysis.marketing.figures import compact_rows, rate
from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import EntityInfo, Provenance, set_in_dict
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


@set_in_dict
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


def funnel_months(bookings: Sequence[Booking], as_of: date, months: int) -> list[str]:
    """The months a funnel covers, oldest first: from the first month with a booking created by
    ``as_of`` (at most ``months`` months back) to the ``as_of`` month."""
    created = [b.created for b in bookings if b.created <= as_of]
    first = min(created) if created else as_of
    return _months((first.year, first.month), as_of, months)


def _months(first: tuple[int, int], as_of: date, months: int) -> list[str]:
    """``YYYY-MM`` from the month ``first`` (year, month), at most ``months`` back, to as_of's."""
    last = as_of.year * 12 + as_of.month - 1
    start = max(first[0] * 12 + first[1] - 1, last - months + 1)
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(start, last + 1)]


@dataclass(frozen=True)
class _Staged:
    """One entity's bookings created by ``as_of``, each with its stage reached, by month of
    creation (in row order), and the funnel's months: what the rows and the breaks both read."""

    entity: str
    months: list[str]
    by_month: dict[str, list[tuple[Booking, int]]]


def _staged(bookings: Sequence[Booking], as_of: date, months: int) -> _Staged:
    by_month: dict[tuple[int, int], list[tuple[Booking, int]]] = defaultdict(list)
    for booking in bookings:
        created = booking.created
        if created <= as_of:
            by_month[created.year, created.month].append((booking, stage_reached(booking)))
    first = min(by_month) if by_month else (as_of.year, as_of.month)
    return _Staged(
        bookings[0].entity,
        _months(first, as_of, months),
        {f"{year:04d}-{month:02d}": items for (year, month), items in by_month.items()},
    )


def funnel(bookings: Sequence[Booking], as_of: date, months: int) -> list[FunnelRow]:
    """The funnel rows of one entity's bookings, one per month from the first month with a
    booking (at most ``months`` months back) to the ``as_of`` month, empty months included."""
    return _rows(_staged(bookings, as_of, months), as_of) if bookings else []


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
    return _breaks(_staged(bookings, as_of, months), as_of, min_count, maturity_days)


def funnel_with_breaks(
    bookings: Sequence[Booking], as_of: date, months: int, min_count: int, maturity_days: int
) -> tuple[list[FunnelRow], list[FunnelBreak]]:
    """``funnel`` and ``funnel_breaks`` of the same bookings, each booking staged once."""
    if not bookings:
        return [], []
    staged = _staged(bookings, as_of, months)
    return _rows(staged, as_of), _breaks(staged, as_of, min_count, maturity_days)


def _rows(staged: _Staged, as_of: date) -> list[FunnelRow]:
    rows: list[FunnelRow] = []
    for month in staged.months:
        items = staged.by_month.get(month, [])
        counts = [sum(1 for _, r in items if r >= stage) for stage in (1, 2, 3, 4)]
        due = sum(
            1 for b, r in items if r >= 3 and b.service_date is not None and b.service_date < as_of
        )
        completed_due = counts[3]
        rows.append(
            FunnelRow(
                entity=staged.entity,
                month=month,
                inquiries=counts[0],
                quoted=counts[1],
                booked=counts[2],
                completed=counts[3],
                cancelled=sum(1 for b, _ in items if b.status is BookingStatus.CANCELLED),
                booked_due=due,
                quote_rate=rate(counts[1], counts[0]),
                book_rate=rate(counts[2], counts[1]),
                complete_rate=rate(completed_due, due),
                provenance=compact_rows(b.provenance for b, _ in items),
            )
        )
    return rows


def _breaks(staged: _Staged, as_of: date, min_count: int, maturity_days: int) -> list[FunnelBreak]:
    cutoff = as_of - timedelta(days=maturity_days)
    mature = {
        month: [(b, r) for b, r in items if b.created <= cutoff]
        for month, items in staged.by_month.items()
    }
    breaks: list[FunnelBreak] = []
    for index, (start, nxt) in enumerate(STEPS, start=1):
        broken: list[tuple[str, list[Booking]]] = []
        healthy_up = healthy_down = 0
        previous = ""
        for month in staged.months:
            items = mature.get(month, [])
            if start == "booked":
                items = [
                    (b, r)
                    for b, r in items
                    if b.service_date is not None and b.service_date < as_of
                ]
            up = [b for b, r in items if r >= index]
            down = sum(1 for _, r in items if r >= index + 1)
            continues = bool(broken) and broken[-1][0] == previous and bool(up)
            previous = month
            if (len(up) >= min_count or continues) and not down:
                broken.append((month, up))
            elif not broken:
                healthy_up += len(up)
                healthy_down += down
        for group in _consecutive(broken, staged.months):
            stuck = [b for _, items in group for b in items]
            breaks.append(
                FunnelBreak(
                    entity=staged.entity,
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


#: A step's conversion that falls to less than this share of its earlier level is a finding
#: (docs/metrics.md, "Booking funnel": 60% falling to 25% is a fall of 58%, beyond one half).
DROP_SHARE = Decimal("0.5")
#: The months a fall is measured over: the last complete months before as_of's month.
RECENT_MONTHS = 3
#: Per step, the FunnelRow counts before and after it.
STEP_COUNTS = {
    ("inquiry", "quoted"): ("inquiries", "quoted"),
    ("quoted", "booked"): ("quoted", "booked"),
}


@dataclass(frozen=True)
class FunnelDrop:
    """A step whose conversion over the recent complete months fell below ``DROP_SHARE`` of its
    conversion in the earlier months (a fall to zero is a :class:`FunnelBreak` instead)."""

    entity: str
    step: tuple[str, str]
    months: tuple[str, ...]
    recent: Percent
    before: Percent
    upstream: int
    provenance: tuple[Provenance, ...] = ()


def pooled_rate(rows: Sequence[FunnelRow], step: tuple[str, str]) -> tuple[Percent | None, int]:
    """A step's conversion over several months (Σ after ÷ Σ before) and Σ before."""
    up_name, down_name = STEP_COUNTS[step]
    up = sum(getattr(r, up_name) for r in rows)
    down = sum(getattr(r, down_name) for r in rows)
    return rate(down, up), up


def conversion_drops(rows: Sequence[FunnelRow], as_of: date, min_count: int) -> list[FunnelDrop]:
    """Steps whose conversion over the last RECENT_MONTHS complete months fell by more than
    DROP_SHARE against the months before them, each pool with at least ``min_count`` upstream."""
    current = str(Period.containing(as_of))
    complete = [r for r in rows if r.month != current]
    recent, earlier = complete[-RECENT_MONTHS:], complete[:-RECENT_MONTHS]
    out: list[FunnelDrop] = []
    for step in STEP_COUNTS:
        now, up_now = pooled_rate(recent, step)
        then, up_then = pooled_rate(earlier, step)
        if now is None or then is None or up_now < min_count or up_then < min_count:
            continue
        if now.value == 0 or then.value == 0:
            continue  # a fall to zero is a funnel break
        if now.value < then.value * (1 - DROP_SHARE):
            out.append(
                FunnelDrop(
                    recent[0].entity,
                    step,
                    tuple(r.month for r in recent),
                    now,
                    then,
                    up_now,
                    tuple(p for r in recent for p in r.provenance),
                )
            )
    return out


def drop_finding(info: EntityInfo, drop: FunnelDrop) -> Finding:
    """The finding for a step whose conversion fell by more than DROP_SHARE."""
    months = f"{drop.months[0]}..{drop.months[-1]}"
    label = f"{drop.step[0]} → {drop.step[1]}"
    return Finding(
        id=f"marketing.funnel_drop:{info.id}:{drop.step[0]}-{drop.step[1]}:{drop.months[0]}",
        rule="marketing.funnel_drop",
        title=f"{info.name}: {label} conversion fell from {drop.before} to {drop.recent}",
        severity=Severity.HIGH,
        entity=info.id,
        evidence=f"{drop.upstream} bookings reached {drop.step[0]} in {months} and {drop.recent} "
        f"went on to {drop.step[1]}, against {drop.before} in the months before (a fall of more "
        f"than {int(DROP_SHARE * 100)}%).",
        recommendation="Find what changed at this step (price, terms, deposit, response time, "
        "the form) and call five of the customers who stopped there.",
        effort=Effort.HOURS,
        impact=3,
        shortfall=True,
        tags=("marketing", "funnel"),
        provenance=drop.provenance,
        cost_tier=CostTier.ZERO_COST,
    )


#: Words in a note's step name that say which bookings stage it is.
_STAGE_WORDS = (
    ("inquiry", ("inquir", "enquir", "lead", "request", "contact")),
    ("quoted", ("quote", "proposal", "estimate")),
    ("booked", ("deposit", "book", "paid", "confirm", "sign", "won")),
    ("completed", ("complet", "trip", "sail", "job done", "deliver")),
)


def stage_of(name: str) -> str | None:
    """The bookings stage a note's funnel step names ("Quotes sent" -> quoted), or None."""
    text = name.lower()
    return next((stage for stage, words in _STAGE_WORDS if any(w in text for w in words)), None)
