"""The channel catalogue: every marketplace, directory, social network, booking engine and offline
channel execbrief knows, in one table.

Each :class:`Channel` has its ``key`` (what records, configs and reports call it), a ``label`` for
people, the ``hosts`` its links live on (read by the site source to tell a listing or profile link
from any other), the ``spellings`` it is written as in booking sheets, handoff notes, ledgers and
``portfolio.toml`` (compared after :func:`slug`, so ``Get My Boat`` and ``getmyboat.com`` are one
spelling), its ``kind`` (a marketplace, a directory, ...) and, for the marketplaces whose terms are
known, the :class:`Terms` an operator pays.

Readers: ``sources/site.py`` (listing, social and booking-engine hosts), ``sources/bookings.py``
(booking-sheet spellings), ``analysis/marketing`` (keys, labels, spellings, which channels are
marketplaces, the default marketplace terms) and ``analysis/accounting.py`` (which bookings came
through a commission or lead marketplace). Add a channel here and every one of them knows it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from execbrief.findings import Effort


class ChannelKind(enum.StrEnum):
    """What a channel is to the business."""

    #: The business's own website.
    OWN_SITE = "own-site"
    #: Google Business Profile and Maps.
    SEARCH = "search"
    #: A marketplace that sells the business's trips, stays or jobs and takes a commission or a
    #: lead fee (Airbnb, Vrbo, Booking.com, GetMyBoat, Viator, Thumbtack, Angi).
    MARKETPLACE = "marketplace"
    #: A review site or directory: a listing people find the business on, but no booking sale.
    DIRECTORY = "directory"
    SOCIAL = "social"
    #: The business's own email list.
    EMAIL_LIST = "email-list"
    #: Booking and scheduling software embedded on the business's site.
    BOOKING_ENGINE = "booking-engine"
    #: Not a listing anywhere: phone, walk-up, referral (booking sheets only).
    OFFLINE = "offline"


@dataclass(frozen=True)
class Terms:
    """What an operator pays a marketplace, and the marketing model's defaults for listing there.

    ``commission`` is a fraction of the booking (0.085 = 8.5%), ``setup_fee`` a one-off fee,
    ``effort`` the set-up effort, ``fit`` the audience fit (0..1) by entity kind, and ``source``
    the citation for the terms.
    """

    commission: Decimal
    effort: Effort
    fit: tuple[tuple[str, Decimal], ...]
    source: str
    setup_fee: Decimal = Decimal(0)


@dataclass(frozen=True)
class Channel:
    """One channel of the catalogue."""

    key: str
    label: str
    kind: ChannelKind
    hosts: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()
    terms: Terms | None = None

    @property
    def marketplace(self) -> bool:
        """True for a marketplace that sells the business's services for a commission or fee."""
        return self.kind is ChannelKind.MARKETPLACE

    @property
    def offline(self) -> bool:
        """True for a channel that is no listing anywhere (phone, walk-up, referral)."""
        return self.kind is ChannelKind.OFFLINE


def _terms(
    commission: str, effort: Effort, fit: dict[str, str], source: str, setup_fee: str = "0"
) -> Terms:
    return Terms(
        commission=Decimal(commission),
        effort=effort,
        fit=tuple((kind, Decimal(value)) for kind, value in fit.items()),
        source=source,
        setup_fee=Decimal(setup_fee),
    )


_K = ChannelKind

#: Every known channel. Within a kind, the order is the order hosts are tried in.
CATALOGUE: tuple[Channel, ...] = (
    Channel(
        "site",
        "Own site",
        _K.OWN_SITE,
        spellings=("website", "web", "web site", "own site", "site", "direct", "direct website", "online"),
    ),
    Channel(
        "getmyboat",
        "GetMyBoat",
        _K.MARKETPLACE,
        hosts=("getmyboat.com",),
        spellings=("getmyboat", "get my boat", "getmyboat.com"),
        terms=_terms("0.085", Effort.DAYS, {"charter": "1.0"}, "GetMyBoat help centre: 8.5% owner service fee on USD bookings"),
    ),
    Channel(
        "sailo",
        "Sailo",
        _K.MARKETPLACE,
        hosts=("sailo.com",),
        spellings=("sailo", "sailo.com"),
        terms=_terms("0.20", Effort.DAYS, {"charter": "0.9"}, "not published; assumed at the Boatsetter rate (20%), set yours from your contract"),
    ),
    Channel(
        "viator",
        "Viator",
        _K.MARKETPLACE,
        hosts=("viator.com",),
        spellings=("viator",),
        terms=_terms("0.25", Effort.WEEKS, {"charter": "0.8"}, "Viator supplier commission 20-30%, 25% typical, plus a $29 per-product fee (2025)", setup_fee="29"),
    ),
    Channel(
        "getyourguide",
        "GetYourGuide",
        _K.MARKETPLACE,
        hosts=("getyourguide.com",),
        spellings=("getyourguide", "gyg"),
        terms=_terms("0.30", Effort.WEEKS, {"charter": "0.7"}, "GetYourGuide supplier commission starts at 30% (25-28% at volume)"),
    ),
    Channel(
        "boatsetter",
        "Boatsetter",
        _K.MARKETPLACE,
        hosts=("boatsetter.com",),
        spellings=("boatsetter", "boatsetter.com"),
        terms=_terms("0.20", Effort.DAYS, {"charter": "0.9"}, "Boatsetter support: 20% owner listing fee (12.5% with Instant Book)"),
    ),
    Channel(
        "airbnb",
        "Airbnb",
        _K.MARKETPLACE,
        hosts=("airbnb.com",),
        spellings=("airbnb", "airbnb experiences"),
        terms=_terms("0.15", Effort.DAYS, {"rental": "1.0", "charter": "0.4"}, "Airbnb host-only service fee ~15% (split-fee hosts pay 3%)"),
    ),
    Channel(
        "vrbo",
        "Vrbo",
        _K.MARKETPLACE,
        hosts=("vrbo.com",),
        spellings=("vrbo", "homeaway"),
        terms=_terms("0.08", Effort.DAYS, {"rental": "0.9"}, "Vrbo pay-per-booking: 5% commission + 3% payment processing"),
    ),
    Channel("booking", "Booking.com", _K.MARKETPLACE, hosts=("booking.com",), spellings=("booking.com",)),
    Channel("expedia", "Expedia", _K.MARKETPLACE, hosts=("expedia.com",)),
    Channel("tripadvisor", "Tripadvisor", _K.DIRECTORY, hosts=("tripadvisor.com",)),
    Channel("yelp", "Yelp", _K.DIRECTORY, hosts=("yelp.com",)),
    Channel("klook", "Klook", _K.MARKETPLACE, hosts=("klook.com",)),
    Channel("thumbtack", "Thumbtack", _K.MARKETPLACE, hosts=("thumbtack.com",)),
    Channel("angi", "Angi", _K.MARKETPLACE, hosts=("angi.com",), spellings=("angi", "angies list")),
    Channel("homeadvisor", "HomeAdvisor", _K.MARKETPLACE, hosts=("homeadvisor.com",)),
    Channel("houzz", "Houzz", _K.DIRECTORY, hosts=("houzz.com",)),
    Channel("nextdoor", "Nextdoor", _K.DIRECTORY, hosts=("nextdoor.com",)),
    Channel("clutch", "Clutch", _K.DIRECTORY, hosts=("clutch.co",)),
    Channel("upwork", "Upwork", _K.MARKETPLACE, hosts=("upwork.com",)),
    Channel("trustpilot", "Trustpilot", _K.DIRECTORY, hosts=("trustpilot.com",)),
    Channel(
        "click-and-boat",
        "Click&Boat",
        _K.MARKETPLACE,
        hosts=("click-and-boat.com",),
        spellings=("click and boat", "click&boat", "clickboat"),
    ),
    Channel("samboat", "SamBoat", _K.MARKETPLACE, hosts=("samboat.com",)),
    Channel("boataround", "Boataround", _K.MARKETPLACE, hosts=("boataround.com",)),
    Channel(
        "google_business",
        "Google Business",
        _K.SEARCH,
        hosts=("g.page", "maps.google.com", "google.com/maps", "business.google.com", "maps.app.goo.gl", "goo.gl/maps"),
        spellings=("google", "google business", "google business profile", "gbp", "google my business", "gmb", "google maps"),
    ),
    # a booking sheet's "OTA" names no marketplace, but says the booking came through one
    Channel("ota", "OTA (unnamed)", _K.MARKETPLACE, spellings=("ota", "otas", "online travel agency")),
    Channel("facebook", "Facebook", _K.SOCIAL, hosts=("facebook.com",), spellings=("facebook", "fb")),
    Channel("instagram", "Instagram", _K.SOCIAL, hosts=("instagram.com",), spellings=("instagram", "ig")),
    Channel("x", "X (Twitter)", _K.SOCIAL, hosts=("twitter.com", "x.com"), spellings=("twitter",)),
    Channel("tiktok", "TikTok", _K.SOCIAL, hosts=("tiktok.com",)),
    Channel("youtube", "YouTube", _K.SOCIAL, hosts=("youtube.com",)),
    Channel("linkedin", "LinkedIn", _K.SOCIAL, hosts=("linkedin.com",)),
    Channel("pinterest", "Pinterest", _K.SOCIAL, hosts=("pinterest.com",)),
    Channel("threads", "Threads", _K.SOCIAL, hosts=("threads.net",)),
    Channel("bsky", "Bluesky", _K.SOCIAL, hosts=("bsky.app",), spellings=("bluesky",)),
    Channel("mastodon", "Mastodon", _K.SOCIAL, hosts=("mastodon.social",)),
    Channel("email_list", "Email list", _K.EMAIL_LIST, spellings=("email", "email list", "newsletter", "mailchimp")),
    # booking engines: a host is found anywhere in a script, iframe or link URL, first entry first
    Channel("fareharbor", "FareHarbor", _K.BOOKING_ENGINE, hosts=("fareharbor.com",)),
    Channel("peek", "Peek", _K.BOOKING_ENGINE, hosts=("peek.com",)),
    Channel("calendly", "Calendly", _K.BOOKING_ENGINE, hosts=("calendly.com",)),
    Channel("checkfront", "Checkfront", _K.BOOKING_ENGINE, hosts=("checkfront.com",)),
    Channel("bookeo", "Bookeo", _K.BOOKING_ENGINE, hosts=("bookeo.com",)),
    Channel("rezdy", "Rezdy", _K.BOOKING_ENGINE, hosts=("rezdy.com",)),
    Channel("xola", "Xola", _K.BOOKING_ENGINE, hosts=("xola.com",)),
    Channel("bokun", "Bókun", _K.BOOKING_ENGINE, hosts=("bokun.io",)),
    Channel("trekksoft", "TrekkSoft", _K.BOOKING_ENGINE, hosts=("trekksoft.com",)),
    Channel("acuity", "Acuity Scheduling", _K.BOOKING_ENGINE, hosts=("acuityscheduling.com",)),
    Channel(
        "square-appointments",
        "Square Appointments",
        _K.BOOKING_ENGINE,
        hosts=("squareup.com/appointments", "square.site/book"),
    ),
    Channel("setmore", "Setmore", _K.BOOKING_ENGINE, hosts=("setmore.com",)),
    Channel("simplybook", "SimplyBook.me", _K.BOOKING_ENGINE, hosts=("simplybook.me",)),
    Channel("youcanbookme", "YouCanBook.me", _K.BOOKING_ENGINE, hosts=("youcanbook.me",)),
    Channel("tidycal", "TidyCal", _K.BOOKING_ENGINE, hosts=("tidycal.com",)),
    Channel("cal.com", "Cal.com", _K.BOOKING_ENGINE, hosts=("cal.com",)),
    Channel("jobber", "Jobber", _K.BOOKING_ENGINE, hosts=("jobber.com",)),
    Channel("housecall-pro", "Housecall Pro", _K.BOOKING_ENGINE, hosts=("housecallpro.com",)),
    Channel("lodgify", "Lodgify", _K.BOOKING_ENGINE, hosts=("lodgify.com",)),
    Channel("hostaway", "Hostaway", _K.BOOKING_ENGINE, hosts=("hostaway.com",)),
    Channel("ownerrez", "OwnerRez", _K.BOOKING_ENGINE, hosts=("ownerrez.com",)),
    # offline: only a booking sheet's channel column means these (an "email" there is an inquiry
    # by email; in notes and configs "email" is the email list)
    Channel("phone", "Phone", _K.OFFLINE, spellings=("phone", "telephone", "call", "phone call")),
    Channel("walk-up", "Walk-up", _K.OFFLINE, spellings=("walk-up", "walk in")),
    # "How did you hear about us?" answers: a friend, family, word of mouth are all referrals
    Channel("referral", "Referral", _K.OFFLINE, spellings=("referral", "referred", "referred by a friend", "word of mouth", "friend", "friends", "a friend", "from a friend", "friend or family", "friends and family", "friends family", "family", "family member", "colleague", "recommendation", "recommended", "personal recommendation")),
    Channel("repeat", "Repeat customer", _K.OFFLINE, spellings=("repeat",)),
    Channel("concierge", "Concierge", _K.OFFLINE, spellings=("concierge", "hotel", "hotel concierge", "concierge desk")),
    Channel("email", "Email inquiry", _K.OFFLINE, spellings=("email", "e-mail")),
    Channel("sms", "Text message", _K.OFFLINE, spellings=("sms", "text")),
    Channel("other", "Other", _K.OFFLINE),
    Channel("unknown", "Unknown", _K.OFFLINE, spellings=("unknown", "")),
)  # fmt: skip


def slug(text: str) -> str:
    """Lower-case letters and digits only: ``Get My Boat`` -> ``getmyboat``."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _spelled(channels: Iterable[Channel]) -> dict[str, Channel]:
    """Each channel's spellings (and its key) as slugs -> the channel."""
    out: dict[str, Channel] = {}
    for channel in channels:
        for spelling in (channel.key, *channel.spellings):
            out.setdefault(slug(spelling), channel)
    return out


@cache
def _tables() -> tuple[dict[str, Channel], dict[str, Channel], dict[str, Channel]]:
    """(listing spellings, offline spellings, key -> channel)."""
    listing = _spelled(c for c in CATALOGUE if not c.offline)
    offline = _spelled(c for c in CATALOGUE if c.offline)
    return listing, offline, {c.key: c for c in CATALOGUE}


def channel(key: str) -> Channel | None:
    """The catalogue entry with this key."""
    return _tables()[2].get(key)


def find(text: str, booking: bool = False) -> Channel | None:
    """The channel a name as written means, or None for one the catalogue does not know.

    Parenthesised words are ignored (``GetMyBoat (OTA)``). A spelling matches exactly; failing
    that, the longest known spelling of five letters or more inside the name (``Viator listing``,
    ``Airbnb Experiences``). ``booking=True`` reads a booking sheet's channel column, where the
    offline channels (``phone``, ``walk-in``, ``email``) come first; elsewhere they come last.
    """
    listing, offline, _ = _tables()
    key = slug(re.sub(r"\(.*?\)", "", text)) or slug(text)
    exact = (offline, listing) if booking else (listing, offline)
    for table in exact:
        if key in table:
            return table[key]
    # on a tie of length a named channel beats the own site ("Viator online" is Viator)
    for spelling in sorted(
        listing, key=lambda s: (-len(s), listing[s].kind is ChannelKind.OWN_SITE)
    ):
        if len(spelling) >= 5 and spelling in key:
            return listing[spelling]
    if booking:  # a form's free answer: "A friend told me", "Word of mouth (neighbour)"
        for spelling in sorted(offline, key=lambda s: -len(s)):
            if len(spelling) >= 6 and spelling in key:
                return offline[spelling]
    return None


def for_host(host: str) -> Channel | None:
    """The channel a linked host belongs to (as the site source records it: ``airbnb.com``)."""
    return next((c for c in CATALOGUE if host in c.hosts), None)


def hosts(*kinds: ChannelKind) -> tuple[str, ...]:
    """The hosts of every channel of these kinds, in catalogue order."""
    return tuple(host for c in CATALOGUE if c.kind in kinds for host in c.hosts)


def keys(*kinds: ChannelKind) -> frozenset[str]:
    """The keys of every channel of these kinds."""
    return frozenset(c.key for c in CATALOGUE if c.kind in kinds)


#: An audience fit below this is a low fit for a kind of business: such a marketplace is named
#: and ranked after the ones that fit (docs/metrics.md, "OTA sequencing").
LOW_FIT = Decimal("0.5")


def marketplaces_for(kind: str, limit: int = 3) -> tuple[Channel, ...]:
    """The catalogue's marketplaces that fit ``kind`` (fit of ``LOW_FIT`` or more), best fit
    first (catalogue order on a tie), at most ``limit``. Booking software is no marketplace."""
    fitting = [
        (fit, index, c)
        for index, c in enumerate(CATALOGUE)
        if c.marketplace
        and c.terms is not None
        and (fit := dict(c.terms.fit).get(kind, Decimal(0))) >= LOW_FIT
    ]
    fitting.sort(key=lambda item: (-item[0], item[1]))
    return tuple(c for _fit, _index, c in fitting[:limit])


def is_marketplace(text: str) -> bool:
    """True when a booking's channel, as written, is a marketplace."""
    found = find(text, booking=True)
    return found is not None and found.marketplace
