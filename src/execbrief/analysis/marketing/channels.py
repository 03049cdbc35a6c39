"""Channel visibility: which channel a name, link or booking means, what evidence says each entity
is listed there or not, and the entity x channel matrix with each channel's share of bookings.

A cell is *listed* when any evidence says so (the entity's ``channels`` table, the handoff notes'
``OTA listings`` / review / email-list facts, a link on its site, a booking that came through the
channel), *not listed* when the config says ``false`` or the notes say ``none`` and nothing
contradicts it, else *unknown*.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from execbrief.analysis.marketing.figures import money_rate, rate, total
from execbrief.analysis.marketing.options import MarketingOptions
from execbrief.config import Entity
from execbrief.records import channels as catalogue
from execbrief.records.bookings import Booking
from execbrief.records.channels import ChannelKind, slug
from execbrief.records.handoff import Fact
from execbrief.records.site import SitePage
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, set_in_dict
from execbrief.values import Money, Percent

SITE = "site"
GOOGLE = "google_business"
EMAIL = "email_list"
#: The matrix's standard columns, in order (keys of ``execbrief.records.channels``).
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
#: Channel key -> label, for every catalogued channel.
CHANNEL_LABELS = {c.key: c.label for c in catalogue.CATALOGUE}
#: Channel keys that are marketplaces, for the "no OTA listing" shortfall.
OTA_CHANNELS = catalogue.keys(ChannelKind.MARKETPLACE)
#: Channel keys that are no listing anywhere (phone, walk-up, referral): bookings through them
#: are no evidence of a listing.
OFFLINE_CHANNELS = catalogue.keys(ChannelKind.OFFLINE)
NONE_WORDS = frozenset({"none", "no", "nil", "n/a", "na", "0", "-", "not listed", "nowhere"})


@functools.lru_cache(maxsize=4096)
def channel_key(text: str) -> str:
    """The matrix key for a channel as written (``Google Business Profile`` -> ``google_business``);
    a channel the catalogue does not know is its own key (its letters and digits)."""
    found = catalogue.find(text)
    return found.key if found is not None else slug(re.sub(r"\(.*?\)", "", text)) or slug(text)


@functools.lru_cache(maxsize=4096)  # a few spellings, asked once per booking per pass
def booking_channel(text: str) -> str:
    """A booking's channel as a matrix key; offline channels (``phone``, ``walk-up``, ``email``
    inquiries) keep their own key, which is never a listing's."""
    found = catalogue.find(text, booking=True)
    return found.key if found is not None and found.offline else channel_key(text)


def host_channel(host: str) -> str:
    """The matrix key for a host a site links to (``airbnb.com`` -> ``airbnb``)."""
    found = catalogue.for_host(host)
    return found.key if found is not None else slug(host.split(".")[0])


@set_in_dict
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


@dataclass
class Evidence:
    """What was found about one entity's channel: words for and against, and where."""

    yes: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)

    def add(self, positive: bool, word: str, prov: Provenance | None) -> None:
        """Record one piece of evidence for (``positive``) or against a listing."""
        (self.yes if positive else self.no).append(word)
        if prov is not None:
            self.provenance.append(prov)

    def listed(self) -> bool | None:
        """True with evidence for a listing, False with evidence only against, else None."""
        if self.yes:
            return True
        return False if self.no else None

    @property
    def words(self) -> list[str]:
        """The evidence in words: the positive ones when there are any, else the negative."""
        return list(dict.fromkeys(self.yes if self.yes else self.no))


def gather(
    snapshot: Snapshot, info: EntityInfo, entity: Entity | None, start: date
) -> dict[str, Evidence]:
    """What says each channel lists the entity or does not: its ``channels`` table, the notes'
    OTA, email-list and review facts, site links and widgets, subscriber counts and bookings
    created after ``start``."""
    ev: dict[str, Evidence] = defaultdict(Evidence)
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
            key = host_channel(host)
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


def matrix_columns(
    options: MarketingOptions, evidence: Iterable[dict[str, Evidence]]
) -> tuple[str, ...]:
    """The matrix's channels: the standard columns, the config's extra ones, then every channel
    any entity has evidence of (a listing, or a ``false`` in portfolio.toml), in order seen."""
    extra = [channel_key(c) for c in options.channels]
    columns: dict[str, None] = dict.fromkeys([*BASE_CHANNELS, *extra])
    for ev in evidence:
        for key, found in ev.items():
            if found.yes or any(p.source == "portfolio.toml" for p in found.provenance):
                columns.setdefault(key, None)
    return tuple(columns)


def channel_cells(
    entity: str,
    channels: Sequence[str],
    ev: dict[str, Evidence],
    window: Sequence[Booking],
    currency: str,
) -> list[ChannelCell]:
    """One entity's row of the matrix; ``window`` are its booked bookings in the share window."""
    total_n = len(window)
    total_rev = total((b.amount for b in window), currency)
    by_channel: dict[str, list[Booking]] = defaultdict(list)
    for booking in window:
        by_channel[booking_channel(booking.channel)].append(booking)
    cells: list[ChannelCell] = []
    for channel in channels:
        e = ev.get(channel, Evidence())
        booked = by_channel.get(channel, [])
        n = len(booked)
        rev = total((b.amount for b in booked), currency)
        cells.append(
            ChannelCell(
                entity=entity,
                channel=channel,
                listed=e.listed(),
                evidence=tuple(e.words),
                bookings=n,
                revenue=rev,
                booking_share=rate(n, total_n),
                revenue_share=money_rate(rev, total_rev),
                provenance=tuple(dict.fromkeys(e.provenance)),
            )
        )
    return cells
