"""Channel visibility: which channel a name, link or booking means, what evidence says each entity
is listed there or not, and the entity x channel matrix with each channel's share of bookings.

A cell is *listed* when any evidence says so (the entity's ``channels`` table, the handoff notes'
``OTA listings`` / review / email-list facts, a link on its site, a booking that came through the
channel), *not listed* when the config says ``false`` or the notes say ``none`` and nothing
contradicts it, else *unknown*.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from execbrief.analysis.marketing.figures import money_rate, rate, total
from execbrief.analysis.marketing.options import MarketingOptions
from execbrief.config import Entity
from execbrief.records.bookings import Booking
from execbrief.records.handoff import Fact
from execbrief.records.site import SitePage
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, Percent

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
    cells: list[ChannelCell] = []
    for channel in channels:
        e = ev.get(channel, Evidence())
        n = sum(1 for b in window if booking_channel(b.channel) == channel)
        rev = total((b.amount for b in window if booking_channel(b.channel) == channel), currency)
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
