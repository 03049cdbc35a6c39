"""The marketing analysis: channel visibility, the booking funnel, an email-blast model, OTA
sequencing and a local-SEO roadmap, each figure with its evidence and every assumption from
``[analysis.marketing]`` (defaults cited in ``docs/metrics.md``).

- **Channel matrix**: entities x channels. A cell is *listed* when any evidence says so (the
  entity's ``channels`` table, the handoff notes' ``OTA listings`` / review / email-list facts, a
  link on its site, a booking that came through the channel), *not listed* when the config says
  ``false`` or the notes say ``none`` and nothing contradicts it, else *unknown*. Each cell also
  carries the share of booked bookings and revenue the channel brought (trailing 12 months).
- **Funnel**: per entity and month a booking was created, how many reached inquiry, quoted,
  booked and completed (a booking's status is the furthest stage it reached), with cancellations
  counted apart; a step that stopped converting is a finding with the rows involved.
- **Email blast**: list size x open x click x conversion x average booking value, as a range.
- **OTA sequencing**: each marketplace not yet used, scored by expected net revenue, audience fit
  for the entity's kind and set-up effort.
- **SEO**: LocalBusiness data, titles, descriptions, canonical, viewport, sitemap, robots,
  https links, analytics, NAP consistency, each gap a finding citing its page and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import ClassVar, Literal
from urllib.parse import unquote, urljoin, urlsplit

from pydantic import Field, field_validator, model_validator

from execbrief.config import Config, Entity, Model
from execbrief.findings import (
    AnalysisResult,
    CostTier,
    Effort,
    Finding,
    Metric,
    Severity,
)
from execbrief.hookspecs import hookimpl
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.handoff import Fact
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, MoneyRange, Percent, Period

NAME = "marketing"
CENT = Decimal("0.01")

# --------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------


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


def _ota(
    label: str,
    commission: str,
    effort: Effort,
    fit: dict[str, str],
    source: str,
    setup_fee: str = "0",
) -> OtaTerms:
    return OtaTerms(
        label=label,
        commission=Decimal(commission),
        setup_fee=Decimal(setup_fee),
        effort=effort,
        fit={kind: Decimal(value) for kind, value in fit.items()},
        source=source,
    )


#: Marketplaces known out of the box (commission defaults cited in docs/metrics.md).
DEFAULT_OTAS: dict[str, OtaTerms] = {
    "getmyboat": _ota(
        "GetMyBoat",
        "0.085",
        Effort.DAYS,
        {"charter": "1.0"},
        "GetMyBoat help centre: 8.5% owner service fee on USD bookings",
    ),
    "boatsetter": _ota(
        "Boatsetter",
        "0.20",
        Effort.DAYS,
        {"charter": "0.9"},
        "Boatsetter support: 20% owner listing fee (12.5% with Instant Book)",
    ),
    "sailo": _ota(
        "Sailo",
        "0.20",
        Effort.DAYS,
        {"charter": "0.9"},
        "not published; assumed at the Boatsetter rate (20%), set yours from your contract",
    ),
    "viator": _ota(
        "Viator",
        "0.25",
        Effort.WEEKS,
        {"charter": "0.8"},
        "Viator supplier commission 20-30%, 25% typical, plus a $29 per-product fee (2025)",
        setup_fee="29",
    ),
    "getyourguide": _ota(
        "GetYourGuide",
        "0.30",
        Effort.WEEKS,
        {"charter": "0.7"},
        "GetYourGuide supplier commission starts at 30% (25-28% at volume)",
    ),
    "airbnb": _ota(
        "Airbnb",
        "0.15",
        Effort.DAYS,
        {"rental": "1.0", "charter": "0.4"},
        "Airbnb host-only service fee ~15% (split-fee hosts pay 3%)",
    ),
    "vrbo": _ota(
        "Vrbo",
        "0.08",
        Effort.DAYS,
        {"rental": "0.9"},
        "Vrbo pay-per-booking: 5% commission + 3% payment processing",
    ),
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


# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------

SITE = "site"
GOOGLE = "google_business"
EMAIL = "email_list"
#: The matrix's standard columns, in order.
BASE_CHANNELS = (
    SITE,
    GOOGLE,
    "getmyboat",
    "sailo",
    "boatsetter",
    "viator",
    "getyourguide",
    "airbnb",
    "vrbo",
    "tripadvisor",
    "yelp",
    "instagram",
    "facebook",
    EMAIL,
)
CHANNEL_LABELS = {
    SITE: "Own site",
    GOOGLE: "Google Business",
    EMAIL: "Email list",
    "getmyboat": "GetMyBoat",
    "sailo": "Sailo",
    "boatsetter": "Boatsetter",
    "viator": "Viator",
    "getyourguide": "GetYourGuide",
    "airbnb": "Airbnb",
    "vrbo": "Vrbo",
    "tripadvisor": "Tripadvisor",
    "yelp": "Yelp",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "thumbtack": "Thumbtack",
    "fareharbor": "FareHarbor",
    "x": "X (Twitter)",
    "click-and-boat": "Click&Boat",
    "booking": "Booking.com",
}
#: Channel keys that are marketplaces (OTAs) for the "no OTA listing" shortfall.
OTA_CHANNELS = frozenset(
    {
        "getmyboat",
        "sailo",
        "boatsetter",
        "viator",
        "getyourguide",
        "airbnb",
        "vrbo",
        "klook",
        "expedia",
        "booking",
        "samboat",
        "click-and-boat",
        "boataround",
    }
)
#: Site link hosts (as the site source writes them) -> channel key.
HOST_CHANNELS = {
    "getmyboat.com": "getmyboat",
    "sailo.com": "sailo",
    "boatsetter.com": "boatsetter",
    "viator.com": "viator",
    "getyourguide.com": "getyourguide",
    "airbnb.com": "airbnb",
    "vrbo.com": "vrbo",
    "booking.com": "booking",
    "expedia.com": "expedia",
    "tripadvisor.com": "tripadvisor",
    "yelp.com": "yelp",
    "klook.com": "klook",
    "thumbtack.com": "thumbtack",
    "angi.com": "angi",
    "homeadvisor.com": "homeadvisor",
    "houzz.com": "houzz",
    "nextdoor.com": "nextdoor",
    "clutch.co": "clutch",
    "upwork.com": "upwork",
    "trustpilot.com": "trustpilot",
    "click-and-boat.com": "click-and-boat",
    "samboat.com": "samboat",
    "boataround.com": "boataround",
    "g.page": GOOGLE,
    "maps.google.com": GOOGLE,
    "google.com/maps": GOOGLE,
    "business.google.com": GOOGLE,
    "maps.app.goo.gl": GOOGLE,
    "goo.gl/maps": GOOGLE,
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "twitter.com": "x",
    "x.com": "x",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "linkedin.com": "linkedin",
    "pinterest.com": "pinterest",
    "threads.net": "threads",
}
#: Spellings in configs, notes and booking logs -> channel key (compared after ``slug``).
CHANNEL_ALIASES = {
    "website": SITE,
    "web": SITE,
    "ownsite": SITE,
    "site": SITE,
    "direct": SITE,
    "directwebsite": SITE,
    "google": GOOGLE,
    "googlebusiness": GOOGLE,
    "googlebusinessprofile": GOOGLE,
    "gbp": GOOGLE,
    "googlemybusiness": GOOGLE,
    "gmb": GOOGLE,
    "googlemaps": GOOGLE,
    "email": EMAIL,
    "emaillist": EMAIL,
    "newsletter": EMAIL,
    "mailchimp": EMAIL,
    "getmyboat": "getmyboat",
    "getmyboatcom": "getmyboat",
    "sailo": "sailo",
    "boatsetter": "boatsetter",
    "viator": "viator",
    "getyourguide": "getyourguide",
    "gyg": "getyourguide",
    "airbnb": "airbnb",
    "airbnbexperiences": "airbnb",
    "vrbo": "vrbo",
    "homeaway": "vrbo",
    "tripadvisor": "tripadvisor",
    "yelp": "yelp",
    "instagram": "instagram",
    "ig": "instagram",
    "facebook": "facebook",
    "fb": "facebook",
    "fareharbor": "fareharbor",
    "bookingcom": "booking",
    "thumbtack": "thumbtack",
    # spellings of the keys site links give (HOST_CHANNELS), so a channel is one column
    "clickandboat": "click-and-boat",
    "clickboat": "click-and-boat",
    "twitter": "x",
    "samboat": "samboat",
    "boataround": "boataround",
}
#: Booking channels that are not a listing anywhere (no matrix column is made for them).
OFFLINE_CHANNELS = frozenset(
    {
        "phone",
        "walkup",
        "referral",
        "repeat",
        "other",
        "unknown",
        "",
        "walkin",
        "concierge",
        "hotel",
        "word of mouth",
        "wordofmouth",
        "email",
        "sms",
        "text",
    }
)
NONE_WORDS = frozenset({"none", "no", "nil", "n/a", "na", "0", "-", "not listed", "nowhere"})


def slug(text: str) -> str:
    """Lower-case letters and digits only: ``Get My Boat`` -> ``getmyboat``."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def channel_key(text: str) -> str:
    """The matrix key for a channel as written (``Google Business Profile`` -> ``google_business``)."""
    key = slug(re.sub(r"\(.*?\)", "", text)) or slug(text)
    if key in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[key]
    # "Airbnb Experiences", "Viator listing": a known name inside a longer label
    for alias in sorted(CHANNEL_ALIASES, key=len, reverse=True):
        if len(alias) >= 5 and alias in key:
            return CHANNEL_ALIASES[alias]
    return key


def booking_channel(text: str) -> str:
    """A booking's channel as a matrix key; offline channels (``phone``, ``walk-up``, ``email``
    inquiries) keep their own slug so they never count for a listing."""
    key = slug(text)
    return key if key in OFFLINE_CHANNELS else channel_key(text)


@dataclass(frozen=True)
class ChannelCell:
    """One cell of the visibility matrix.

    ``listed`` is True (evidence it is listed), False (evidence it is not) or None (no evidence);
    ``evidence`` says which, in words. ``bookings`` and ``revenue`` count booked or completed
    bookings created in the share window; the shares are of the entity's totals in that window.
    """

    entity: str
    channel: str
    listed: bool | None
    evidence: tuple[str, ...]
    bookings: int
    revenue: Money
    booking_share: Percent | None
    revenue_share: Percent | None
    provenance: tuple[Provenance, ...] = ()


# --------------------------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------------------------

STAGES = ("inquiry", "quoted", "booked", "completed")
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


def compact_rows(provenances: Iterable[Provenance]) -> tuple[Provenance, ...]:
    """Row citations with consecutive lines of one file merged: lines 4, 5, 6 -> ``4-6``."""
    by_file: dict[str, list[Provenance]] = defaultdict(list)
    for prov in provenances:
        by_file[prov.source].append(prov)
    out: list[Provenance] = []
    for source in sorted(by_file):
        items = sorted(by_file[source], key=lambda p: p.line or 0)
        start = items[0]
        end_line = start.end_line or start.line
        for prov in items[1:]:
            if prov.line is not None and end_line is not None and prov.line <= end_line + 1:
                end_line = max(end_line, prov.end_line or prov.line)
                continue
            out.append(start.at_line(start.line, end_line))
            start, end_line = prov, prov.end_line or prov.line
        out.append(start.at_line(start.line, end_line))
    return tuple(out)


def _rate(part: int, whole: int) -> Percent | None:
    if whole == 0:
        return None
    return Percent((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


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
                quote_rate=_rate(counts[1], counts[0]),
                book_rate=_rate(counts[2], counts[1]),
                complete_rate=_rate(completed_due, due),
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
                    before=_rate(healthy_down, healthy_up),
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


# --------------------------------------------------------------------------------------------
# Email model
# --------------------------------------------------------------------------------------------


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


def _pct(fraction: Decimal) -> Percent:
    """A fraction as a Percent without trailing zeros (0.3580 -> 35.8%)."""
    return Percent(Percent.from_fraction(fraction).value.normalize())


def _num(value: Decimal, places: int = 1) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, ROUND_HALF_UP):,}"


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
            f"{list_size:,} opted-in subscribers × {_pct(a.open_rate)} open = {_num(opens)} opens; "
            f"× {_pct(click_of_opens.quantize(Decimal('0.0001'), ROUND_HALF_UP))} of opens click "
            f"({_pct(a.click_rate)} of the list) = {_num(clicks)} clicks; "
            f"× {_pct(conv_low.quantize(Decimal('0.0001'), ROUND_HALF_UP))}–"
            f"{_pct(conv_high.quantize(Decimal('0.0001'), ROUND_HALF_UP))} of clicks book "
            f"({_pct(a.conversion_low)}–{_pct(a.conversion_high)} of the list) = "
            f"{_num(low, 2)}–{_num(high, 2)} bookings"
        )
    else:
        clicks = opens * a.click_rate
        low, high = clicks * a.conversion_low, clicks * a.conversion_high
        steps = (
            f"{list_size:,} opted-in subscribers × {_pct(a.open_rate)} open = {_num(opens)} opens; "
            f"× {_pct(a.click_rate)} of opens click = {_num(clicks)} clicks; "
            f"× {_pct(a.conversion_low)}–{_pct(a.conversion_high)} of clicks book = "
            f"{_num(low, 2)}–{_num(high, 2)} bookings"
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
        open_rate=_pct(a.open_rate),
        click_rate=_pct(a.click_rate),
        conversion_low=_pct(a.conversion_low),
        conversion_high=_pct(a.conversion_high),
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


# --------------------------------------------------------------------------------------------
# OTA sequencing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OtaScore:
    """One marketplace scored for one entity; ``rank`` 1 is the one to list first.

    ``gross`` = baseline monthly booking revenue x reach x fit; ``net`` = gross x (1 - commission)
    - monthly fee; ``score`` = net / effort cost (1, 2, 4, 8 for hours..months), or, with no
    booking history, fit x (1 - commission) / effort cost.
    """

    entity: str
    ota: str
    label: str
    commission: Percent
    monthly_fee: Money
    setup_fee: Money
    fit: Decimal
    effort: Effort
    gross: Money | None
    net: Money | None
    score: Decimal
    rank: int
    why: str
    source: str


def _absence_checked(snapshot: Snapshot, eid: str) -> tuple[Provenance, ...]:
    """Where an absence was looked for: the entity's note, booking log and site sources (their
    files), else its entry in portfolio.toml — so a "none found" finding still cites something."""
    places = tuple(
        Provenance(path)
        for result in snapshot.results_for(eid)
        if result.kind in ("handoff", "bookings", "site")
        for path in result.paths
    )
    return places or (Provenance("portfolio.toml", detail=f"entity {eid}: no channel evidence"),)


def score_otas(
    entity: str,
    kind: str,
    otas: dict[str, OtaTerms],
    listed: set[str],
    baseline: Money | None,
    reach: Decimal,
    currency: str,
) -> list[OtaScore]:
    """Marketplaces not yet listed, with fit > 0 for ``kind``, best first."""
    scored: list[tuple[Decimal, str, OtaTerms, Money | None, Money | None]] = []
    for key, terms in otas.items():
        fit = terms.fit.get(kind, Decimal(0))
        if key in listed or fit <= 0:
            continue
        gross: Money | None = None
        net: Money | None = None
        if baseline is not None:
            # round once, at the end: rounding gross first moves net by a cent
            exact_gross = baseline * reach * fit
            exact_net = exact_gross * (1 - terms.commission) - Money(terms.monthly_fee, currency)
            gross, net = exact_gross.quantize(CENT), exact_net.quantize(CENT)
            score = (exact_net.amount / terms.effort.cost).quantize(CENT)
        else:
            score = (fit * (1 - terms.commission) / terms.effort.cost).quantize(Decimal("0.0001"))
        scored.append((score, key, terms, gross, net))
    scored.sort(key=lambda item: (-item[0], item[1]))
    out: list[OtaScore] = []
    for rank, (score, key, terms, gross, net) in enumerate(scored, start=1):
        fit = terms.fit.get(kind, Decimal(0))
        money = (
            f"{net}/mo net of {_pct(terms.commission)} commission"
            if net is not None
            else (f"{_pct(terms.commission)} commission (no booking history to size it)")
        )
        why = f"{money}; fit {fit} for {kind}; set-up {terms.effort.value}"
        if terms.setup_fee:
            why += f" and {Money(terms.setup_fee, currency)} to list"
        out.append(
            OtaScore(
                entity=entity,
                ota=key,
                label=terms.label,
                commission=_pct(terms.commission),
                monthly_fee=Money(terms.monthly_fee, currency),
                setup_fee=Money(terms.setup_fee, currency),
                fit=fit,
                effort=terms.effort,
                gross=gross,
                net=net,
                score=score,
                rank=rank,
                why=why,
                source=terms.source,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# SEO
# --------------------------------------------------------------------------------------------

LB_REQUIRED = ("name", "address", "telephone", "openingHours")
#: Error pages static-site generators write; served with a 404 status, never indexed.
NOT_FOUND_PAGES = frozenset({"404.html", "404.htm"})


def _norm_name(text: str) -> str:
    words = re.sub(r"[^0-9a-z ]+", " ", text.lower()).split()
    drop = {"the", "co", "company", "inc", "llc", "ltd"}
    return " ".join(w for w in words if w not in drop)


def _page_prov(page: SitePage, key: str | None = None) -> Provenance:
    line = page.lines.get(key) if key else None
    return page.provenance.at_line(line if line is not None else page.provenance.line)


def _seo(
    rule: str,
    entity: str,
    about: str,
    title: str,
    evidence: str,
    recommendation: str,
    provenance: Sequence[Provenance],
    severity: Severity = Severity.MEDIUM,
    effort: Effort = Effort.HOURS,
    impact: int = 1,
    tags: tuple[str, ...] = (),
) -> Finding:
    return Finding(
        id=f"marketing.seo.{rule}:{entity}:{about}",
        rule=f"marketing.seo.{rule}",
        title=title,
        severity=severity,
        entity=entity,
        evidence=evidence,
        recommendation=recommendation,
        effort=effort,
        impact=impact,
        tags=("marketing", "seo", *tags),
        provenance=tuple(provenance),
        cost_tier=CostTier.ZERO_COST,
    )


def seo_findings(
    entity: EntityInfo,
    pages: list[SitePage],
    businesses: list[LocalBusiness],
    site_files: list[SiteFile],
    local: bool = True,
) -> list[Finding]:
    """Every local-SEO gap of one entity's site(s), each a finding citing its page and line."""
    out: list[Finding] = []
    eid = entity.id
    sites = sorted({p.site for p in pages} | {f.site for f in site_files})
    for site in sites:
        site_pages = sorted((p for p in pages if p.site == site), key=lambda p: p.path)
        files_ = [f for f in site_files if f.site == site]
        site_prov = files_[0].provenance if files_ else Provenance(site)
        home = next((p for p in site_pages if p.path in ("index.html", "index.htm")), None)
        home = home or (site_pages[0] if site_pages else None)
        # a meta-refresh alias is no page; a 404 page or a noindex page is not indexed, so it needs
        # no title, description or canonical of its own
        live = [p for p in site_pages if not p.refresh]
        content = [p for p in live if PurePosixPath(p.path).name.lower() not in NOT_FOUND_PAGES]
        indexed = [p for p in content if not p.noindex]
        if home is not None and home.noindex and not home.refresh:
            out.append(
                _seo(
                    "noindex_home",
                    eid,
                    home.path,
                    f"The home page of {site} tells search engines not to index it",
                    f'{home.path} has <meta name="robots" content="noindex">; it will drop out of '
                    "search results.",
                    "Remove the noindex meta tag (it is usually left over from a staging site).",
                    [_page_prov(home, "noindex")],
                    severity=Severity.CRITICAL,
                    impact=3,
                )
            )
        lbs = [
            b
            for b in businesses
            if any(b.provenance.source == p.provenance.source for p in site_pages)
        ]
        # structured data
        if site_pages and not lbs and local:
            out.append(
                _seo(
                    "localbusiness_missing",
                    eid,
                    site,
                    "No LocalBusiness structured data",
                    f"None of {len(site_pages)} pages of {site} has schema.org LocalBusiness "
                    "data (JSON-LD or microdata)"
                    + (
                        f"; {bad} JSON-LD block{'s' if bad > 1 else ''} did not parse"
                        if (bad := sum(len(p.jsonld_errors) for p in site_pages))
                        else ""
                    )
                    + (
                        f"; JSON-LD types found: {', '.join(found[:8])}"
                        + (f" and {len(found) - 8} more" if len(found) > 8 else "")
                        + " (none is LocalBusiness or a schema.org subtype of it)."
                        if (found := sorted({t for p in site_pages for t in p.jsonld_types}))
                        else "."
                    ),
                    "Add a LocalBusiness (or subtype) JSON-LD block to the home page with name, "
                    "address, telephone, openingHours and url.",
                    [_page_prov(home, "jsonld")] if home else [site_prov],
                    severity=Severity.HIGH,
                    impact=2,
                )
            )
        for business in lbs:
            missing = [f for f in LB_REQUIRED if f not in business.fields]
            if missing:
                out.append(
                    _seo(
                        "localbusiness_fields",
                        eid,
                        f"{business.page}:{','.join(missing)}",
                        f"LocalBusiness data lacks {', '.join(missing)}",
                        f"The {business.type} block on {business.page} has no {', '.join(missing)}.",
                        "Fill the missing LocalBusiness fields so Google can show them.",
                        [business.provenance],
                    )
                )
        for page in site_pages:
            for number, error in enumerate(page.jsonld_errors, start=1):
                out.append(
                    _seo(
                        "jsonld_invalid",
                        eid,
                        f"{page.path}:{number}",
                        f"JSON-LD does not parse on {page.path}",
                        f"{page.path}: {error}",
                        "Fix the JSON syntax (validate it with the Schema Markup Validator).",
                        [_page_prov(page, f"jsonld_error:{number}")],
                    )
                )
        # titles and descriptions
        for attr, label, rule in (
            ("title", "title", "title"),
            ("meta_description", "meta description", "description"),
        ):
            seen: dict[str, list[SitePage]] = defaultdict(list)
            for page in indexed:
                value = getattr(page, attr)
                if not value:
                    out.append(
                        _seo(
                            f"{rule}_missing",
                            eid,
                            page.path,
                            f"No {label} on {page.path}",
                            f"{page.path} has no {label}.",
                            f"Write a unique {label} for {page.path}.",
                            [_page_prov(page)],
                            severity=Severity.MEDIUM if rule == "title" else Severity.LOW,
                        )
                    )
                else:
                    seen[value.strip().lower()].append(page)
            for group in seen.values():
                if len(group) > 1:
                    names = ", ".join(p.path for p in group)
                    out.append(
                        _seo(
                            f"{rule}_duplicate",
                            eid,
                            names,
                            f"Same {label} on {len(group)} pages",
                            f"{names} share the {label} {getattr(group[0], attr)!r}.",
                            f"Give each page its own {label}.",
                            [_page_prov(p, attr) for p in group],
                            severity=Severity.LOW,
                        )
                    )
        site_host = next((f.host for f in files_ if f.host), None)
        for page in live:
            if page not in indexed:
                pass  # not indexed: its canonical does not matter
            elif not page.canonical:
                out.append(
                    _seo(
                        "canonical_missing",
                        eid,
                        page.path,
                        f"No canonical tag on {page.path}",
                        f'{page.path} has no <link rel="canonical">.',
                        "Add a canonical link to the page's preferred https:// URL.",
                        [_page_prov(page)],
                        severity=Severity.LOW,
                    )
                )
            elif (where := canonical_elsewhere(page.path, page.canonical, site_host)) is not None:
                out.append(
                    _seo(
                        "canonical_elsewhere",
                        eid,
                        page.path,
                        f"Canonical tag on {page.path} points to another {where}",
                        f"{page.path} names {page.canonical} as its canonical URL, so search engines "
                        "index that instead of this page.",
                        "Point the canonical link at the page's own https:// URL (keep it elsewhere "
                        "only for a true duplicate).",
                        [_page_prov(page, "canonical")],
                    )
                )
            if not page.viewport:
                out.append(
                    _seo(
                        "viewport_missing",
                        eid,
                        page.path,
                        f"No viewport meta tag on {page.path}",
                        f'{page.path} has no <meta name="viewport">, so phones render it zoomed out.',
                        'Add <meta name="viewport" content="width=device-width, initial-scale=1">.',
                        [_page_prov(page)],
                    )
                )
            for url in page.http_links:
                out.append(
                    _seo(
                        "http_link",
                        eid,
                        f"{page.path}:{url}",
                        f"Insecure http:// link on {page.path}",
                        f"{page.path} links to {url}.",
                        "Change the link to https:// (or drop it if the target has no https).",
                        [_page_prov(page, f"http:{url}")],
                        severity=Severity.LOW,
                    )
                )
            for href in page.broken_links:
                out.append(
                    _seo(
                        "broken_link",
                        eid,
                        f"{page.path}:{href}",
                        f"Broken internal link on {page.path}",
                        f"{page.path} links to {href}, which is not in the site.",
                        "Fix the link or restore the page.",
                        [_page_prov(page, f"broken:{href}")],
                        tags=("ux",),
                    )
                )
        # site files
        for site_file in files_:
            if not site_file.sitemap:
                out.append(
                    _seo(
                        "sitemap_missing",
                        eid,
                        site,
                        f"No sitemap.xml in {site}",
                        f"{site} has no sitemap.xml.",
                        "Generate a sitemap.xml listing every page and name it in robots.txt.",
                        [site_file.provenance],
                    )
                )
            elif site_file.sitemap_error or site_file.sitemap_urls == 0:
                out.append(
                    _seo(
                        "sitemap_invalid",
                        eid,
                        site,
                        f"sitemap.xml in {site} is unusable",
                        site_file.sitemap_error or f"{site}/sitemap.xml lists no URLs.",
                        "Regenerate sitemap.xml as a valid <urlset> with one <loc> per page.",
                        [
                            site_file.provenance.at_line(None)
                            if not site_file.sitemap_error
                            else Provenance(f"{site}/sitemap.xml")
                        ],
                    )
                )
            if not site_file.robots:
                out.append(
                    _seo(
                        "robots_missing",
                        eid,
                        site,
                        f"No robots.txt in {site}",
                        f"{site} has no robots.txt.",
                        "Add a robots.txt that allows crawling and names the sitemap.",
                        [site_file.provenance],
                        severity=Severity.LOW,
                    )
                )
            elif site_file.robots_disallows_all:
                out.append(
                    _seo(
                        "robots_blocks_all",
                        eid,
                        site,
                        f"robots.txt blocks every crawler on {site}",
                        f"{site}/robots.txt disallows / for User-agent: *; search engines will not index the site.",
                        "Remove the blanket Disallow: / (it is usually left over from a staging site).",
                        [Provenance(f"{site}/robots.txt")],
                        severity=Severity.CRITICAL,
                        impact=3,
                    )
                )
        # analytics
        with_analytics = [p for p in content if p.analytics]
        if content and not with_analytics:
            out.append(
                _seo(
                    "analytics_missing",
                    eid,
                    site,
                    f"No analytics on {site}",
                    f"None of {len(content)} pages loads an analytics tag (GA4, GTM, Plausible, ...).",
                    "Add one privacy-friendly analytics tag to every page so channel results can be measured.",
                    [_page_prov(home)] if home else [site_prov],
                    severity=Severity.HIGH,
                    impact=2,
                )
            )
        elif with_analytics and len(with_analytics) < len(content):
            for page in content:
                if not page.analytics:
                    out.append(
                        _seo(
                            "analytics_partial",
                            eid,
                            page.path,
                            f"No analytics tag on {page.path}",
                            f"{page.path} loads no analytics tag while other pages do.",
                            "Add the site's analytics tag to this page (a shared template fixes all).",
                            [_page_prov(page)],
                            severity=Severity.LOW,
                        )
                    )
        # NAP: phone (numbers compared by their last nine digits, so national and international
        # forms of one number agree: 020 7946 0958 = +44 20 7946 0958, (555) 010-2000 = +1 ...)
        phone_pages: dict[str, list[SitePage]] = defaultdict(list)
        page_digits: dict[tuple[str, str], str] = {}
        shown: dict[str, str] = {}
        for page in site_pages:
            for phone in page.phones:
                key = _phone_key(phone)
                if len(key) < 7:
                    continue
                if (page.path, key) not in page_digits:
                    phone_pages[key].append(page)
                    page_digits[(page.path, key)] = phone
                shown.setdefault(key, phone)
        lb_phones: set[str] = set()
        for business in lbs:
            key = _phone_key(business.telephone or "")
            if len(key) >= 7:
                lb_phones.add(key)
                # a non-NANP number is shown as the business writes it (+44 20 7946 0958)
                if len(shown.get(key, "")) != 10:
                    shown[key] = (business.telephone or "").strip()
        shown = {k: _fmt_phone(v) if len(v) == 10 else v for k, v in shown.items()}
        all_phones = set(phone_pages) | lb_phones
        if len(all_phones) > 1:
            # most pages win; on a tie the home page's number, then the LocalBusiness one
            main = max(
                sorted(all_phones),
                key=lambda ph: (
                    len(phone_pages.get(ph, [])) + (ph in lb_phones),
                    home is not None and any(p is home for p in phone_pages.get(ph, [])),
                    ph in lb_phones,
                ),
            )
            odd = sorted(all_phones - {main})
            provs = [
                _page_prov(p, f"phone:{page_digits[(p.path, ph)]}")
                for ph in odd
                for p in phone_pages.get(ph, [])
            ]
            provs += [b.provenance for b in lbs if _phone_key(b.telephone or "") in odd]
            where = "; ".join(
                f"{shown[ph]} on {', '.join(p.path for p in phone_pages.get(ph, [])) or 'LocalBusiness data'}"
                for ph in odd
            )
            out.append(
                _seo(
                    "nap_phone",
                    eid,
                    site,
                    f"Phone number differs across {site}",
                    f"Most of the site gives {shown[main]}, but: {where}.",
                    "Use one phone number everywhere (pages, LocalBusiness data, Google Business Profile).",
                    provs,
                    severity=Severity.MEDIUM,
                    impact=2,
                )
            )
        # NAP: name vs config, address across pages
        wanted = _norm_name(entity.name)
        for business in lbs:
            if business.name and _norm_name(business.name) != wanted:
                out.append(
                    _seo(
                        "nap_name",
                        eid,
                        f"{business.page}:{business.name}",
                        f"Business name differs from {entity.name!r}",
                        f"The LocalBusiness name on {business.page} is {business.name!r}; the portfolio calls it {entity.name!r}.",
                        "Use the same business name on the site, in LocalBusiness data and on Google.",
                        [business.provenance],
                        severity=Severity.LOW,
                    )
                )
        addresses = {
            (b.street_address or b.address_text or "", b.locality or "", b.postal_code or "")
            for b in lbs
            if b.street_address or b.address_text
        }
        if len(addresses) > 1:
            out.append(
                _seo(
                    "nap_address",
                    eid,
                    site,
                    f"Address differs across {site}",
                    "LocalBusiness blocks give different addresses: "
                    + "; ".join(", ".join(x for x in a if x) for a in sorted(addresses))
                    + ".",
                    "Use one address everywhere.",
                    [b.provenance for b in lbs],
                    severity=Severity.MEDIUM,
                )
            )
    return out


def canonical_elsewhere(path: str, canonical: str, site_host: str | None) -> str | None:
    """``"site"`` when a page's canonical URL names another host than ``site_host``, ``"page"``
    when it names another path of the site, else None. The page ``tours/index.html`` is
    ``/tours/``, ``/tours`` or ``/tours/index.html``; ``about.html`` also ``/about`` or
    ``/about/``. A relative canonical is read against the page's own URL."""
    own = "/" + path
    folder, _, name = own.rpartition("/")
    forms = {own}
    if name in ("index.html", "index.htm"):
        forms |= {folder + "/", folder or "/"}
    else:
        stem = re.sub(r"\.html?$", "", own)
        forms |= {stem, stem + "/"}
    parts = urlsplit(urljoin("https://page.invalid" + own, canonical.strip()))
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host != "page.invalid" and site_host is not None and host != site_host:
        return "site"
    return None if unquote(parts.path or "/") in forms else "page"


def _phone_key(text: str) -> str:
    """The last nine digits of a phone number: enough to tell numbers apart, and the same
    whether it is written with a country code or a national trunk prefix."""
    return re.sub(r"\D", "", text)[-9:]


def _fmt_phone(digits: str) -> str:
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits


# --------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketingResult(AnalysisResult):
    """The marketing analysis' typed output for the CMO report."""

    channels: tuple[str, ...] = ()
    matrix: tuple[ChannelCell, ...] = ()
    funnel: tuple[FunnelRow, ...] = ()
    breaks: tuple[FunnelBreak, ...] = ()
    email: tuple[EmailCase, ...] = ()
    otas: tuple[OtaScore, ...] = ()

    def cell(self, entity: str, channel: str) -> ChannelCell | None:
        """The matrix cell of an entity and channel."""
        return next((c for c in self.matrix if c.entity == entity and c.channel == channel), None)


def _ota_names(raw: str) -> list[str]:
    parts = re.split(r"[,;/&+]|\band\b", re.sub(r"\(.*?\)", "", raw))
    return [p.strip() for p in parts if p.strip()]


def _says_none(fact: Fact) -> bool:
    """``OTA listings: none`` (or ``0``, ``no``, ``none yet``, ``not listed``)."""
    raw = fact.raw.strip().lower()
    return (
        fact.value == 0
        or fact.value is False
        or raw in NONE_WORDS
        or raw.startswith(("none", "no ", "not ", "nil"))
    )


class MarketingAnalysis:
    """Channel visibility, funnel, email model, OTA order and local-SEO gaps."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = (
        "Channels, funnel, email blast model, OTA sequencing and local SEO."
    )
    Options: ClassVar[type[Model]] = MarketingOptions
    EntityOptions: ClassVar[type[Model] | None] = None

    def analyze(self, snapshot: Snapshot, config: Config) -> MarketingResult:
        """Compute the marketing result (pure: same snapshot and config, same result)."""
        options = config.analysis_options(NAME)
        if not isinstance(options, MarketingOptions):
            options = MarketingOptions()
        entities = {e.id: e for e in config.entities}
        currency = snapshot.currency
        start = snapshot.as_of - timedelta(days=options.share_window_days)
        metrics: list[Metric] = []
        findings: list[Finding] = []
        cells: list[ChannelCell] = []
        rows: list[FunnelRow] = []
        breaks: list[FunnelBreak] = []
        cases: list[EmailCase] = []
        scores: list[OtaScore] = []
        extra = [channel_key(c) for c in options.channels]
        columns: dict[str, None] = dict.fromkeys([*BASE_CHANNELS, *extra])
        evidence_by_entity: dict[str, dict[str, _Evidence]] = {}
        for info in snapshot.entities:
            ev = _gather(snapshot, info, entities.get(info.id), start)
            evidence_by_entity[info.id] = ev
            for key, found in ev.items():
                if found.yes or any(p.source == "portfolio.toml" for p in found.provenance):
                    columns.setdefault(key, None)
        channels = tuple(columns)
        for info in snapshot.entities:
            eid = info.id
            ev = evidence_by_entity[eid]
            bookings = snapshot.records(Booking, eid)
            window = [
                b
                for b in bookings
                if start < b.created <= snapshot.as_of
                and stage_reached(b) >= 3
                and b.status is not BookingStatus.CANCELLED
            ]
            total_n = len(window)
            total_rev = _sum((b.amount for b in window), currency)
            for channel in channels:
                e = ev.get(channel, _Evidence())
                n = sum(1 for b in window if booking_channel(b.channel) == channel)
                rev = _sum(
                    (b.amount for b in window if booking_channel(b.channel) == channel), currency
                )
                cells.append(
                    ChannelCell(
                        entity=eid,
                        channel=channel,
                        listed=e.listed(),
                        evidence=tuple(e.words),
                        bookings=n,
                        revenue=rev,
                        booking_share=_rate(n, total_n),
                        revenue_share=_rate_money(rev, total_rev),
                        provenance=tuple(dict.fromkeys(e.provenance)),
                    )
                )
            listed = {c for c in channels if ev.get(c, _Evidence()).listed()}
            # "OTA listings: 2" with no names still says the entity is listed somewhere
            stated_listings = any(
                f.key == "ota_listings"
                and isinstance(f.value, int)
                and not isinstance(f.value, bool)
                and f.value > 0
                for f in snapshot.records(Fact, eid)
            )
            if (
                info.kind in ("charter", "rental")
                and not (listed & OTA_CHANNELS)
                and not stated_listings
            ):
                negative = [p for c in OTA_CHANNELS for p in ev.get(c, _Evidence()).provenance]
                findings.append(
                    Finding(
                        id=f"marketing.no_ota:{eid}",
                        rule="marketing.no_ota",
                        title=f"{info.name} is on no OTA",
                        severity=Severity.HIGH,
                        entity=eid,
                        evidence=f"No marketplace listing found for {info.name} (config, notes, site links, bookings).",
                        recommendation="List on the marketplaces in the OTA order below, best net revenue first.",
                        effort=Effort.DAYS,
                        impact=3,
                        tags=("marketing", "shortfall"),
                        provenance=tuple(dict.fromkeys(negative))
                        or tuple(ev.get(SITE, _Evidence()).provenance)
                        or _absence_checked(snapshot, eid),
                        cost_tier=CostTier.REVENUE,
                    )
                )
            if window:
                for channel in sorted(listed & OTA_CHANNELS):
                    cell = cells[-len(channels) + channels.index(channel)]
                    if cell.bookings == 0:
                        findings.append(
                            Finding(
                                id=f"marketing.idle_listing:{eid}:{channel}",
                                rule="marketing.idle_listing",
                                title=f"{CHANNEL_LABELS.get(channel, channel)} brought "
                                f"{info.name} no bookings",
                                severity=Severity.LOW,
                                entity=eid,
                                evidence=f"Listed ({', '.join(cell.evidence)}), yet none of "
                                f"{total_n} bookings in the last {options.share_window_days} "
                                "days came through it.",
                                recommendation="Check the listing is live, priced and "
                                "calendar-synced, or drop it and record the channel on bookings.",
                                effort=Effort.HOURS,
                                tags=("marketing",),
                                provenance=cell.provenance,
                                cost_tier=CostTier.ZERO_COST,
                            )
                        )
            listed_n = len(listed)
            metrics.append(
                Metric(
                    f"{NAME}.channels.listed",
                    "Channels listed",
                    listed_n,
                    eid,
                    formula="matrix cells with evidence of a listing",
                )
            )
            # funnel
            if bookings:
                entity_rows = funnel(bookings, snapshot.as_of, options.funnel_months)
                rows.extend(entity_rows)
                entity_breaks = funnel_breaks(
                    bookings,
                    snapshot.as_of,
                    options.funnel_months,
                    options.funnel_min_count,
                    options.funnel_maturity_days,
                )
                breaks.extend(entity_breaks)
                for brk in entity_breaks:
                    findings.append(_break_finding(info, brk))
            # email model
            case = _email(snapshot, info, options, window, ev, currency)
            if case is not None:
                cases.append(case)
                metrics.append(
                    Metric(
                        f"{NAME}.email.list_size",
                        "Email list (opted-in)",
                        case.list_size,
                        eid,
                        provenance=case.provenance,
                    )
                )
                metrics.append(
                    Metric(
                        f"{NAME}.email.revenue",
                        "Modelled revenue per email blast",
                        case.revenue,
                        eid,
                        formula=case.arithmetic,
                        provenance=case.provenance,
                    )
                )
            # OTA sequencing
            baseline = total_rev / 12 if total_n else None  # exact; scores round at the end
            scores.extend(
                score_otas(
                    eid,
                    info.kind,
                    options.all_otas(),
                    listed,
                    baseline,
                    options.ota_reach,
                    currency,
                )
            )
            # SEO
            pages = snapshot.records(SitePage, eid)
            site_files = snapshot.records(SiteFile, eid)
            findings.extend(
                seo_findings(
                    info,
                    pages,
                    snapshot.records(LocalBusiness, eid),
                    site_files,
                    local=info.kind in options.local_kinds,
                )
            )
            if (
                pages
                and info.kind in ("charter", "rental")
                and not any(p.booking_widgets for p in pages)
            ):
                home = next((p for p in pages if p.path.startswith("index.")), pages[0])
                findings.append(
                    Finding(
                        id=f"marketing.no_booking_widget:{eid}",
                        rule="marketing.no_booking_widget",
                        title=f"No booking or availability calendar on {info.name}'s site",
                        severity=Severity.MEDIUM,
                        entity=eid,
                        evidence=f"None of {len(pages)} pages embeds a booking engine or availability calendar.",
                        recommendation="Embed a booking widget with live availability on the home and booking pages.",
                        effort=Effort.DAYS,
                        impact=2,
                        tags=("marketing", "ux"),
                        provenance=(home.provenance,),
                        cost_tier=CostTier.LOW_COST,
                    )
                )
        return MarketingResult(
            name=NAME,
            metrics=tuple(metrics),
            findings=tuple(findings),
            channels=channels,
            matrix=tuple(cells),
            funnel=tuple(rows),
            breaks=tuple(breaks),
            email=tuple(cases),
            otas=tuple(scores),
        )


@dataclass
class _Evidence:
    """What was found about one entity's channel: words for and against, and where."""

    yes: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)

    def add(self, positive: bool, word: str, prov: Provenance | None) -> None:
        (self.yes if positive else self.no).append(word)
        if prov is not None:
            self.provenance.append(prov)

    def listed(self) -> bool | None:
        if self.yes:
            return True
        return False if self.no else None

    @property
    def words(self) -> list[str]:
        return list(dict.fromkeys(self.yes if self.yes else self.no))


def _gather(
    snapshot: Snapshot, info: EntityInfo, entity: Entity | None, start: date
) -> dict[str, _Evidence]:
    ev: dict[str, _Evidence] = defaultdict(_Evidence)
    eid = info.id
    if entity is not None:
        for name, value in entity.channels.items():
            key = channel_key(name)
            prov = Provenance("portfolio.toml", detail=f"{eid} channels.{name}")
            if value is False or (isinstance(value, str) and value.strip().lower() in NONE_WORDS):
                ev[key].add(False, "config: not listed", prov)
            else:
                ev[key].add(True, "config" if value is True else f"config: {value}", prov)
    for fact in snapshot.records(Fact, eid):
        if fact.key == "ota_listings":
            names = _ota_names(fact.raw)
            if _says_none(fact):
                for key in sorted(OTA_CHANNELS & set(BASE_CHANNELS)):
                    ev[key].add(False, "notes: none", fact.provenance)
            else:
                for name in names:
                    ev[channel_key(name)].add(True, "notes", fact.provenance)
        elif fact.key == "email_list" and isinstance(fact.value, int):
            ev[EMAIL].add(fact.value > 0, f"notes: {fact.value:,}", fact.provenance)
        elif fact.key in ("review_rating", "review_count") and "google" in fact.label.lower():
            ev[GOOGLE].add(True, "notes: Google reviews", fact.provenance)
    pages = snapshot.records(SitePage, eid)
    if pages:
        ev[SITE].add(True, "site", pages[0].provenance)
    for page in pages:
        for host in (*page.ota_links, *page.social_links):
            key = HOST_CHANNELS.get(host, slug(host.split(".")[0]))
            kind = "ota" if host in page.ota_links else "social"
            ev[key].add(
                True, "site link", page.provenance.at_line(page.lines.get(f"{kind}:{host}"))
            )
        for widget in page.booking_widgets:
            if not widget.startswith("element:"):
                ev[channel_key(widget)].add(
                    True, "site widget", page.provenance.at_line(page.lines.get(f"widget:{widget}"))
                )
    for counts in snapshot.records(SubscriberCounts, eid):
        ev[EMAIL].add(
            counts.opted_in > 0, f"subscribers: {counts.opted_in:,} opted in", counts.provenance
        )
    seen: set[str] = set()
    for booking in snapshot.records(Booking, eid):
        key = booking_channel(booking.channel)
        if key in OFFLINE_CHANNELS:
            continue
        if key not in seen and start < booking.created <= snapshot.as_of:
            seen.add(key)
            ev[key].add(True, "bookings", booking.provenance)
    return ev


def _sum(amounts: Iterable[Money | None], currency: str) -> Money:
    total = Money(0, currency)
    for amount in amounts:
        if amount is not None:
            total = total + amount
    return total


def _rate_money(part: Money, whole: Money) -> Percent | None:
    if whole.is_zero:
        return None
    return Percent((part.amount * 100 / whole.amount).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _break_finding(info: EntityInfo, brk: FunnelBreak) -> Finding:
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
        tags=("marketing", "funnel", "shortfall"),
        provenance=brk.provenance,
        cost_tier=CostTier.ZERO_COST,
    )


def _email(
    snapshot: Snapshot,
    info: EntityInfo,
    options: MarketingOptions,
    window: list[Booking],
    ev: dict[str, _Evidence],
    currency: str,
) -> EmailCase | None:
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
        value = (_sum(amounts, currency) / len(amounts)).quantize(CENT)
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


@hookimpl
def register_analyses() -> list[object]:
    """The marketing analysis."""
    return [MarketingAnalysis()]
