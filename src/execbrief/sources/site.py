"""The ``site`` source: a folder of a site's built HTML, read with lxml's HTML parser (libxml2).

Per page it keeps what a local-SEO and UX audit needs (a ``SitePage``): title, meta description,
canonical, viewport, lang, h1s, JSON-LD (``LocalBusiness`` and subtypes become ``LocalBusiness``
records, blocks that do not parse are recorded), analytics tags, forms, booking widgets, links to
OTAs, review sites and social profiles, insecure ``http://`` links, internal links to files that do
not exist, and phone numbers. Per site folder one ``SiteFile``: robots.txt and sitemap.xml.

Files are found with the shared file layer (hidden files skipped, symlinked folders not walked);
a file whose real path lies outside the site folder (a symlink pointing out) is skipped with a
note, and a link is never resolved outside the folder. Malformed HTML is parsed as a browser would
(the parser tolerates it); invalid UTF-8 is decoded by the page's declared charset or with
replacement characters and reported; a binary file named ``.html`` is skipped and reported.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, TypeAlias
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from pydantic import Field

from execbrief import cyclegc, localfiles
from execbrief.config import Model
from execbrief.hookspecs import hookimpl
from execbrief.records import channels
from execbrief.records.channels import ChannelKind
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult
from execbrief.sources import files
from execbrief.sources.base import BaseSource, Source, SourceRequest

KIND = "site"
HTML_SUFFIXES = (".html", ".htm")
#: Sitemap file names read from the folder's top level (their URL counts add up).
SITEMAP_NAMES = ("sitemap.xml", "sitemap_index.xml", "sitemap-index.xml", "wp-sitemap.xml")
SITE_FILES = ("robots.txt", *SITEMAP_NAMES)
MAX_PAGE_BYTES = 8 << 20

#: schema.org LocalBusiness and its subtypes (the common ones, two levels deep). ``@type`` values
#: are compared without a ``schema.org/`` prefix.
LOCAL_BUSINESS_TYPES = frozenset(
    [
        "LocalBusiness",
        "AnimalShelter",
        "ArchiveOrganization",
        "AutomotiveBusiness",
        "AutoBodyShop",
        "AutoDealer",
        "AutoPartsStore",
        "AutoRental",
        "AutoRepair",
        "AutoWash",
        "GasStation",
        "MotorcycleDealer",
        "MotorcycleRepair",
        "ChildCare",
        "Dentist",
        "DryCleaningOrLaundry",
        "EmergencyService",
        "FireStation",
        "Hospital",
        "PoliceStation",
        "EmploymentAgency",
        "EntertainmentBusiness",
        "AdultEntertainment",
        "AmusementPark",
        "ArtGallery",
        "Casino",
        "ComedyClub",
        "MovieTheater",
        "NightClub",
        "FinancialService",
        "AccountingService",
        "AutomatedTeller",
        "BankOrCreditUnion",
        "InsuranceAgency",
        "FoodEstablishment",
        "Bakery",
        "BarOrPub",
        "Brewery",
        "CafeOrCoffeeShop",
        "Distillery",
        "FastFoodRestaurant",
        "IceCreamShop",
        "Restaurant",
        "Winery",
        "GovernmentOffice",
        "PostOffice",
        "HealthAndBeautyBusiness",
        "BeautySalon",
        "DaySpa",
        "HairSalon",
        "HealthClub",
        "NailSalon",
        "TattooParlor",
        "HomeAndConstructionBusiness",
        "Electrician",
        "GeneralContractor",
        "HVACBusiness",
        "HousePainter",
        "Locksmith",
        "MovingCompany",
        "Plumber",
        "RoofingContractor",
        "InternetCafe",
        "LegalService",
        "Attorney",
        "Notary",
        "Library",
        "LodgingBusiness",
        "BedAndBreakfast",
        "Campground",
        "Hostel",
        "Hotel",
        "Motel",
        "Resort",
        "VacationRental",
        "MedicalBusiness",
        "ProfessionalService",
        "RadioStation",
        "RealEstateAgent",
        "RecyclingCenter",
        "SelfStorage",
        "ShoppingCenter",
        "SportsActivityLocation",
        "BowlingAlley",
        "ExerciseGym",
        "GolfCourse",
        "PublicSwimmingPool",
        "SkiResort",
        "SportsClub",
        "StadiumOrArena",
        "TennisComplex",
        "Store",
        "BikeStore",
        "BookStore",
        "ClothingStore",
        "ComputerStore",
        "ConvenienceStore",
        "DepartmentStore",
        "ElectronicsStore",
        "Florist",
        "FurnitureStore",
        "GardenStore",
        "GroceryStore",
        "HardwareStore",
        "HobbyShop",
        "HomeGoodsStore",
        "JewelryStore",
        "LiquorStore",
        "MensClothingStore",
        "MobilePhoneStore",
        "MovieRentalStore",
        "MusicStore",
        "OfficeEquipmentStore",
        "OutletStore",
        "PawnShop",
        "PetStore",
        "ShoeStore",
        "SportingGoodsStore",
        "TireShop",
        "ToyStore",
        "WholesaleStore",
        "TelevisionStation",
        "TouristInformationCenter",
        "TravelAgency",
    ]
)

#: Booking engines and scheduling tools, found in script/iframe/link URLs: host fragment -> name
#: (the catalogue's booking engines, in its order: the first fragment found wins).
BOOKING_ENGINES = {
    host: c.key
    for c in channels.CATALOGUE
    if c.kind is ChannelKind.BOOKING_ENGINE
    for host in c.hosts
}

#: Words in an element's id or class that mark a home-made booking or availability calendar.
WIDGET_WORDS = ("availability", "calendar", "booking", "book-now", "reservation")

#: Hosts of listings (marketplaces, directories, Google Business) and of social profiles, from
#: the channel catalogue (``execbrief.records.channels``); a page keeps the entry a link matched.
OTA_HOSTS = channels.hosts(ChannelKind.MARKETPLACE, ChannelKind.DIRECTORY, ChannelKind.SEARCH)
SOCIAL_HOSTS = channels.hosts(ChannelKind.SOCIAL)

#: Analytics and tag tools: (pattern in a script URL or inline script, name).
ANALYTICS_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"googletagmanager\.com/gtag/js\?[^\"'\s]*id=G-", re.I), "google-analytics-4"),
    (re.compile(r"googletagmanager\.com/gtag/js\?[^\"'\s]*id=(UA|AW|DC)-", re.I), "google-tag"),
    (re.compile(r"gtag\(\s*['\"]config['\"]\s*,\s*['\"]G-", re.I), "google-analytics-4"),
    (re.compile(r"googletagmanager\.com/gtm\.js|GTM-[A-Z0-9]{4,}", re.I), "google-tag-manager"),
    (
        re.compile(r"google-analytics\.com/(analytics|ga)\.js|ga\(\s*['\"]create", re.I),
        "google-analytics-ua",
    ),
    (re.compile(r"plausible\.io/js|/js/plausible|data-domain=", re.I), "plausible"),
    (re.compile(r"usefathom\.com", re.I), "fathom"),
    (re.compile(r"matomo\.js|piwik\.js|_paq\.push", re.I), "matomo"),
    (re.compile(r"simpleanalyticscdn\.com|simpleanalytics\.com/", re.I), "simple-analytics"),
    (re.compile(r"static\.cloudflareinsights\.com/beacon", re.I), "cloudflare-web-analytics"),
    (
        re.compile(r"connect\.facebook\.net/[^\"'\s]*fbevents\.js|fbq\(\s*['\"]init", re.I),
        "meta-pixel",
    ),
    (re.compile(r"umami\.is|/umami\.js|cloud\.umami", re.I), "umami"),
    (re.compile(r"static\.hotjar\.com|hotjar\.com/c/hotjar", re.I), "hotjar"),
    (re.compile(r"clarity\.ms/tag", re.I), "microsoft-clarity"),
    (re.compile(r"posthog\.com|posthog\.init", re.I), "posthog"),
    (re.compile(r"gc\.zgo\.at|goatcounter\.com", re.I), "goatcounter"),
    (re.compile(r"cdn\.segment\.com|analytics\.load\(", re.I), "segment"),
)
MEASUREMENT_ID = re.compile(
    r"\b(G-[A-Z0-9]{6,12}|GTM-[A-Z0-9]{4,9}|UA-\d{4,10}-\d{1,4}|AW-\d{6,12})\b"
)

#: A phone number as written in visible text (NANP-shaped, optional +1).
PHONE_TEXT = re.compile(r"(?<![\w.])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w])")
NON_LINK_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "#", "about:", "blob:")


class SiteOptions(Model):
    """Options of the ``site`` source.

    ``base_url`` is the site's own address (``https://harborcharters.example``): absolute links to
    it are checked like relative ones. ``max_pages`` bounds the pages read per folder.
    """

    base_url: str | None = None
    max_pages: int = Field(default=2000, ge=1)


def normalize_phone(text: str) -> str:
    """Digits only, a leading NANP country code dropped from 11-digit numbers (``+1 (555) 010-2000``
    -> ``5550102000``)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def _well_formed(url: str) -> bool:
    """False for a link ``urlsplit`` cannot read (``http://[x``: an unclosed IPv6 host)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _host_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed link has no host (it is reported as malformed)
        return "", ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, parts.path or ""


def match_host(url: str, hosts: Iterable[str]) -> str | None:
    """The entry of ``hosts`` an absolute URL belongs to, or None. Subdomains count
    (``m.facebook.com``), and so do country domains of a brand (``tripadvisor.co.uk``,
    ``getyourguide.de``); an entry with a path (``google.com/maps``) must match the path too."""
    host, path = _host_path(url)
    if not host:
        return None
    labels = host.split(".")
    for entry in hosts:
        entry_host, _, entry_path = entry.partition("/")
        same = host == entry_host or host.endswith("." + entry_host)
        brand = entry_host.split(".")[0]
        if not same and entry_host.count(".") == 1 and len(brand) > 3 and brand in labels:
            tail = labels[labels.index(brand) + 1 :]
            same = 1 <= len(tail) <= 2 and all(len(part) <= 3 for part in tail)
        if same and (not entry_path or path.lstrip("/").startswith(entry_path)):
            return entry
    return None


#: An element of the parsed page (lxml's; lxml has no type hints, so it is ``Any`` to mypy).
Tag: TypeAlias = lxml.html.HtmlElement
#: Elements whose text is no page text (``get_text`` of BeautifulSoup, read before, skipped them).
_NOT_TEXT = frozenset(("script", "style", "template"))


def _line(tag: Tag) -> int | None:
    line = getattr(tag, "sourceline", None)
    return int(line) if isinstance(line, int) else None


def _strings(tag: Tag) -> Iterator[tuple[str, Tag]]:
    """Each text of the element, in document order, with the element holding it (comments,
    scripts and styles left out); no recursion, so a deep page does not overflow."""
    for event, node in etree.iterwalk(tag, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            parent = node.getparent()
            if node.tail and parent is not None and node is not tag:
                yield node.tail, parent
        elif event == "start":
            if node.text and isinstance(node.tag, str) and node.tag not in _NOT_TEXT:
                yield node.text, node
        elif node is not tag and node.tail:
            parent = node.getparent()
            if parent is not None:
                yield node.tail, parent


def _own_text(tag: Tag) -> str:
    """A script's or a style's text (an element holding no other element: its text)."""
    return (tag.text or "") if len(tag) == 0 else ""


def _text(tag: Tag | None) -> str | None:
    if tag is None:
        return None
    text = " ".join(" ".join(text for text, _ in _strings(tag)).split())
    return text or None


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    return " ".join((value or "").split()) if name in ("class", "rel") else (value or "").strip()


def _strip_schema(value: str) -> str:
    return re.sub(r"^https?://schema\.org/", "", value.strip())


def _types(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("@type")
    items = raw if isinstance(raw, list) else [raw]
    return [_strip_schema(item) for item in items if isinstance(item, str)]


def _walk_jsonld(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object with an ``@type`` in a JSON-LD document (``@graph`` arrays, lists, nesting),
    to 50 levels deep as ``_index_ids`` reads (a block nested deeper holds no business)."""
    if depth > 50:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for key, item in value.items():
            if key != "@type" and isinstance(item, dict | list):
                yield from _walk_jsonld(item, depth + 1)


def _index_ids(value: Any, nodes: dict[str, dict[str, Any]], depth: int = 0) -> None:
    """Every JSON-LD object with an ``@id`` and more than the ``@id`` itself, by its ``@id``."""
    if depth > 50:
        return
    if isinstance(value, list):
        for item in value:
            _index_ids(item, nodes, depth + 1)
    elif isinstance(value, dict):
        ref = value.get("@id")
        if isinstance(ref, str) and len(value) > 1:
            nodes.setdefault(ref, value)
        for item in value.values():
            if isinstance(item, dict | list):
                _index_ids(item, nodes, depth + 1)


def _resolve(value: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    """A bare ``{"@id": ...}`` reference replaced by the node it names (lists item by item)."""
    if isinstance(value, list):
        return [_resolve(item, nodes) for item in value]
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return nodes.get(value["@id"], value)
    return value


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int)), None)
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _local_business(
    obj: dict[str, Any], kind: str, page: str, entity: str, prov: Provenance
) -> LocalBusiness:
    address = obj.get("address")
    if isinstance(address, list):
        address = next((a for a in address if isinstance(a, dict | str)), None)
    street = locality = region = postal = text = None
    if isinstance(address, dict):
        street = _string(address.get("streetAddress"))
        locality = _string(address.get("addressLocality"))
        region = _string(address.get("addressRegion"))
        postal = _string(address.get("postalCode"))
    elif isinstance(address, str):
        text = address.strip() or None
    has_hours = bool(obj.get("openingHours") or obj.get("openingHoursSpecification"))
    present = [
        name
        for name, ok in (
            ("name", _string(obj.get("name")) is not None),
            ("address", bool(street or locality or text)),
            ("telephone", _string(obj.get("telephone")) is not None),
            ("openingHours", has_hours),
            ("url", _string(obj.get("url")) is not None),
            ("geo", bool(obj.get("geo"))),
            ("image", bool(obj.get("image") or obj.get("logo"))),
            ("priceRange", _string(obj.get("priceRange")) is not None),
        )
        if ok
    ]
    return LocalBusiness(
        entity=entity,
        provenance=prov,
        page=page,
        schema_type=kind,
        name=_string(obj.get("name")),
        telephone=_string(obj.get("telephone")),
        street_address=street,
        locality=locality,
        region=region,
        postal_code=postal,
        has_hours=has_hours,
        url=_string(obj.get("url")),
        address_text=text,
        fields=tuple(present),
    )


@dataclass
class _Found:
    """Ordered, de-duplicated values with the line of their first element."""

    values: dict[str, None] = field(default_factory=dict)

    def add(self, value: str) -> None:
        self.values.setdefault(value, None)

    def out(self) -> tuple[str, ...]:
        return tuple(self.values)


class _Site:
    """One site folder being read: its root, known files and options."""

    def __init__(
        self, request: SourceRequest, root: Path | None, display: str, options: SiteOptions
    ) -> None:
        self.request = request
        self.root = root
        self.real_root = localfiles.resolved(root) if root is not None else None
        self.display = display
        self.options = options
        base = urlsplit(options.base_url) if options.base_url else None
        self.own_host = (base.hostname or "").lower().removeprefix("www.") if base else None
        #: With no base_url: each page's absolute http(s) links (url, line) by page path, checked
        #: once the site's host is known from the canonical links of all its pages.
        self.deferred: dict[str, tuple[Path, list[tuple[str, int | None]]]] = {}
        self._exists: dict[tuple[Path, str], bool | None] = {}

    def inside(self, path: Path) -> bool:
        """True when ``path``'s real location is inside the site folder."""
        # the check every source's files get against the portfolio folder (localfiles)
        return self.real_root is not None and localfiles.resolves_inside(path, self.real_root)

    def exists(self, page_dir: Path, href: str) -> bool | None:
        """Whether an internal link's target exists inside the folder (None: not checkable);
        asked once per folder and link while the site is read (every page repeats its menu)."""
        key = (page_dir, href)
        if key not in self._exists:
            self._exists[key] = self._exists_now(page_dir, href)
        return self._exists[key]

    def _exists_now(self, page_dir: Path, href: str) -> bool | None:
        if self.root is None:
            return None
        parts = urlsplit(href)
        target = unquote(parts.path)
        if not target:
            return True
        if "\0" in target:  # /x%00.html: no file has a NUL byte in its name
            return False
        base = self.root if target.startswith("/") else page_dir
        candidate = base / target.lstrip("/")
        options = [candidate]
        if target.endswith("/"):
            options = [candidate / "index.html", candidate / "index.htm"]
        elif not Path(target).suffix:
            options += [candidate.with_name(candidate.name + ".html"), candidate / "index.html"]
        for option in options:
            try:
                if self.inside(option) and option.is_file():
                    return True
            except OSError:
                continue
        return False

    def internal(self, url: str) -> str | None:
        """The path part of a link to this site, or None for an external or non-page link."""
        low = url.strip().lower()
        if not low or low.startswith(NON_LINK_SCHEMES):
            return None
        if low.startswith(("http://", "https://", "//")):
            host, path = _host_path(url if not low.startswith("//") else "https:" + url)
            if self.own_host and host == self.own_host:
                return path or "/"
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", low):
            return None
        return url.strip()


class _Tags:
    """A parsed page's elements in document order, walked once: each rule that looks for some
    elements filters this list rather than walking the whole tree again (``find_all``)."""

    def __init__(self, root: Tag) -> None:
        self.root = root
        self.every: list[Tag] = [tag for tag in root.iter() if isinstance(tag.tag, str)]

    def named(self, *names: str) -> list[Tag]:
        """The elements with one of these names, in document order."""
        return [tag for tag in self.every if tag.tag in names]

    def first(self, name: str) -> Tag | None:
        """The first element with this name."""
        return next((tag for tag in self.every if tag.tag == name), None)


def _analytics(tags: _Tags) -> tuple[list[tuple[str, int | None]], list[str]]:
    found: list[tuple[str, int | None]] = []
    ids: dict[str, None] = {}
    for tag in tags.named("script", "noscript", "iframe", "img"):
        text = " ".join(
            part
            for part in (
                _attr(tag, "src"),
                _attr(tag, "data-domain") and f"data-domain={_attr(tag, 'data-domain')}",
                _attr(tag, "data-website-id") and "umami.is",
                _own_text(tag) if tag.tag in ("script", "noscript") else "",
            )
            if part
        )
        if not text:
            continue
        for pattern, name in ANALYTICS_PATTERNS:
            if pattern.search(text):
                found.append((name, _line(tag)))
        for match in MEASUREMENT_ID.finditer(text):
            ids.setdefault(match.group(1), None)
    return found, list(ids)


_WIDGET_URL_TAGS = frozenset(("script", "iframe", "a", "link", "form", "div", "section", "button"))


def _widgets(tags: _Tags) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = []
    attributed = [tag for tag in tags.every if tag.attrib]  # 100k bare <div>: nothing to read
    for tag in (t for t in attributed if t.tag in _WIDGET_URL_TAGS):
        url = (
            _attr(tag, "src")
            or _attr(tag, "href")
            or _attr(tag, "action")
            or _attr(tag, "data-src")
        )
        low = url.lower()
        if low:
            for needle, name in BOOKING_ENGINES.items():
                if needle in low:
                    found.append((name, _line(tag)))
                    break
    for tag in attributed:
        if tag.tag in ("html", "body", "head", "script", "style", "link", "meta", "a"):
            continue
        ident = _attr(tag, "id").lower()
        classes = _attr(tag, "class").lower()
        for word in WIDGET_WORDS:
            if word in ident:
                found.append((f"element:{tag.tag}#{_attr(tag, 'id')}", _line(tag)))
                break
            if word in classes:
                cls = next((c for c in classes.split() if word in c), word)
                found.append((f"element:{tag.tag}.{cls}", _line(tag)))
                break
    return found


#: The microdata properties a LocalBusiness record reads (``_local_business``).
_MICRODATA_PROPS = frozenset(
    ("name", "telephone", "url", "openingHours", "image", "address")
) | frozenset(("streetAddress", "addressLocality", "addressRegion", "postalCode"))


def _business_kind(tag: Tag) -> str | None:
    """The LocalBusiness type (or subtype) an element's ``itemtype`` names, if any."""
    kinds = [_strip_schema(t) for t in _attr(tag, "itemtype").split()]
    return next((k for k in kinds if k in LOCAL_BUSINESS_TYPES), None)


def _microdata(tags: _Tags, page: str, entity: str, prov: Provenance) -> list[LocalBusiness]:
    """LocalBusiness (or subtype) items written as schema.org microdata (``itemtype``/``itemprop``)."""
    out: list[LocalBusiness] = []
    for tag in (tag for tag in tags.every if "itemtype" in tag.attrib):
        kind = _business_kind(tag)
        if kind is None:
            continue
        props = _item_props(tag)
        parts = ("streetAddress", "addressLocality", "addressRegion", "postalCode")
        address: dict[str, str] | str | None = {k: props[k] for k in parts if props.get(k)}
        if not address:
            address = props.get("address") or None
        obj: dict[str, Any] = {
            key: props.get(key) for key in ("name", "telephone", "url", "openingHours", "image")
        }
        obj["address"] = address
        out.append(_local_business(obj, kind, page, entity, prov.at_line(_line(tag))))
    return out


def _item_props(item: Tag) -> dict[str, str]:
    """The first value of each property a LocalBusiness item reads, from the ``itemprop``
    elements inside it (a nested ``PostalAddress`` gives its parts); a LocalBusiness nested
    inside is an item of its own and its subtree is not read here, so each element is read for
    one item only (100,000 nested items read once each, not once per item around them)."""
    props: dict[str, str] = {}
    walk = etree.iterwalk(item, events=("start",))
    for _, element in walk:
        if element is item or not isinstance(element.tag, str):
            continue
        if "itemtype" in element.attrib and _business_kind(element) is not None:
            walk.skip_subtree()
            continue
        names = [
            name
            for name in _attr(element, "itemprop").split()
            if name in _MICRODATA_PROPS and name not in props
        ]
        if not names:
            continue
        value = (
            _attr(element, "content")
            or _attr(element, "href")
            or _attr(element, "datetime")
            or _text(element)
            or ""
        )
        for name in names:
            props[name] = value.removeprefix("tel:")
    return props


def _visible_text_phones(root: Tag) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = []
    for node, parent in _strings(root):
        if parent.tag in ("noscript", "head", "title"):
            continue
        for match in PHONE_TEXT.finditer(node):
            digits = normalize_phone(match.group(0))
            if len(digits) == 10:
                found.append((digits, _line(parent)))
    return found


class _Lines:
    """The first line of each thing found on a page (``title``, ``ota:<host>``, ...)."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}

    def mark(self, key: str, tag: Tag | None) -> None:
        """Note the line of ``tag`` under ``key``."""
        self.note(key, _line(tag) if tag is not None else None)

    def note(self, key: str, line: int | None) -> None:
        """Keep ``line`` under ``key`` when it is the first seen."""
        if line is not None and (key not in self.lines or line < self.lines[key]):
            self.lines[key] = line


@dataclass
class _Head:
    """What a page's head (and its ``<html>`` and ``<h1>`` tags) says."""

    title: str | None = None
    description: str | None = None
    canonical: str | None = None
    site_name: str | None = None
    refresh: str | None = None
    viewport: bool = False
    noindex: bool = False
    lang: str | None = None
    h1s: list[str] = field(default_factory=list)


def _read_meta(meta: Tag, head: _Head, lines: _Lines) -> None:
    name = _attr(meta, "name").lower()
    prop = _attr(meta, "property").lower()
    if name in ("robots", "googlebot") and "noindex" in _attr(meta, "content").lower():
        head.noindex = True
        lines.mark("noindex", meta)
    elif _attr(meta, "http-equiv").lower() == "refresh" and head.refresh is None:
        target = re.search(r"url\s*=\s*['\"]?([^'\"\s;]+)", _attr(meta, "content"), re.I)
        if target:
            head.refresh = target.group(1)
            lines.mark("refresh", meta)
    elif name == "description" and head.description is None:
        head.description = " ".join(_attr(meta, "content").split()) or None
        if head.description:
            lines.mark("meta_description", meta)
    elif name == "viewport" and _attr(meta, "content"):
        head.viewport = True
        lines.mark("viewport", meta)
    elif prop == "og:site_name" and head.site_name is None:
        head.site_name = _attr(meta, "content") or None


def _read_head(tags: _Tags, lines: _Lines) -> _Head:
    head = _Head()
    title_tag = tags.first("title")
    head.title = _text(title_tag) if title_tag is not None else None
    if head.title and title_tag is not None:
        lines.mark("title", title_tag)
    for meta in tags.named("meta"):
        _read_meta(meta, head, lines)
    for link in tags.named("link"):
        if "canonical" in _attr(link, "rel").lower().split() and _attr(link, "href"):
            head.canonical = _attr(link, "href")
            lines.mark("canonical", link)
            break
    html_tag = tags.first("html")
    head.lang = _attr(html_tag, "lang") or None if html_tag is not None else None
    for h1 in tags.named("h1"):
        lines.mark("h1", h1)
        head.h1s.append(_text(h1) or "")
    return head


def _read_jsonld(
    tags: _Tags, rel: str, entity: str, prov: Provenance, lines: _Lines
) -> tuple[_Found, list[str], list[LocalBusiness]]:
    """The page's JSON-LD: the types seen, the blocks that did not parse, the LocalBusiness ones."""
    jsonld_types = _Found()
    jsonld_errors: list[str] = []
    businesses: list[LocalBusiness] = []
    parsed: list[tuple[Tag, Any]] = []
    for script in tags.named("script"):
        if _attr(script, "type").lower() != "application/ld+json":
            continue
        lines.mark("jsonld", script)
        body = _own_text(script)
        try:
            parsed.append((script, json.loads(body)))
        except (ValueError, RecursionError) as exc:  # [[[[... past the parser's stack
            line = _line(script)
            why = "nested too deeply to read" if isinstance(exc, RecursionError) else str(exc)
            jsonld_errors.append(f"line {line}: {why}" if line else why)
            lines.mark(f"jsonld_error:{len(jsonld_errors)}", script)
    # nodes by @id across the page's blocks: @graph nodes refer to each other ({"@id": ...})
    nodes: dict[str, dict[str, Any]] = {}
    for _, data in parsed:
        _index_ids(data, nodes)
    for script, data in parsed:
        for obj in _walk_jsonld(data):
            kinds = _types(obj)
            for kind in kinds:
                jsonld_types.add(kind)
            business_kind = next((k for k in kinds if k in LOCAL_BUSINESS_TYPES), None)
            if business_kind is not None:
                resolved = {key: _resolve(value, nodes) for key, value in obj.items()}
                businesses.append(
                    _local_business(
                        resolved, business_kind, rel, entity, prov.at_line(_line(script))
                    )
                )
    return jsonld_types, jsonld_errors, businesses


@dataclass
class _Links:
    """What a page links to: listing and social hosts, insecure, broken and malformed links,
    phone numbers."""

    ota: _Found = field(default_factory=_Found)
    social: _Found = field(default_factory=_Found)
    http: _Found = field(default_factory=_Found)
    broken: _Found = field(default_factory=_Found)
    malformed: _Found = field(default_factory=_Found)
    phones: _Found = field(default_factory=_Found)


def _read_link(
    site: _Site, tag: Tag, url: str, rel: str, page_dir: Path, found: _Links, lines: _Lines
) -> None:
    low = url.lower()
    if not _well_formed(url):  # no browser can follow it: not a missing page of this site
        found.malformed.add(url)
        lines.mark(f"malformed:{url}", tag)
        return
    if low.startswith("tel:"):
        digits = normalize_phone(unquote(url[4:]))
        if digits:
            found.phones.add(digits)
            lines.mark(f"phone:{digits}", tag)
        return
    if low.startswith("http://"):
        found.http.add(url)
        lines.mark(f"http:{url}", tag)
    if low.startswith(("http://", "https://", "//")):
        absolute = url if not low.startswith("//") else "https:" + url
        host = match_host(absolute, OTA_HOSTS)
        if host is not None:
            found.ota.add(host)
            lines.mark(f"ota:{host}", tag)
        host = match_host(absolute, SOCIAL_HOSTS)
        if host is not None:
            found.social.add(host)
            lines.mark(f"social:{host}", tag)
    is_canonical = tag.tag == "link" and "canonical" in _attr(tag, "rel").lower()
    if site.own_host is None and low.startswith(("http://", "https://", "//")):
        if not is_canonical:
            site.deferred.setdefault(rel, (page_dir, []))[1].append((url, _line(tag)))
        return
    internal = site.internal(url)
    if internal is None or is_canonical:
        return
    if site.exists(page_dir, internal) is False:
        found.broken.add(url)
        lines.mark(f"broken:{url}", tag)


def _read_links(site: _Site, tags: _Tags, rel: str, page_dir: Path, lines: _Lines) -> _Links:
    found = _Links()
    # A form's action is where it posts (often a server route such as /quote), not a link.
    for tag in tags.named("a", "link", "script", "img", "iframe", "source", "area"):
        for attr in ("href", "src"):
            url = _attr(tag, attr)
            if url:
                _read_link(site, tag, url, rel, page_dir, found, lines)
    for digits, line in _visible_text_phones(tags.root):
        found.phones.add(digits)
        lines.note(f"phone:{digits}", line)
    return found


#: libxml2 stops reading a page nested deeper than this (``XML_PARSE_HUGE``'s limit). It reads a
#: huge ``&#...;`` as U+FFFD and a stray ``<![`` as a bogus comment, as a browser does (Python's
#: parser, read before, raised on both).
MAX_DEPTH = 2048
_HTML_TAG = re.compile(r"<html[\s>/]", re.IGNORECASE)


def parse_page(text: str) -> tuple[Tag, int | None]:
    """The page's root element (lxml's HTML parser, libxml2) and, when its elements nest deeper
    than ``MAX_DEPTH``, the line where reading stopped (the rest of the page is not read)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but blanks or comments
        return lxml.html.document_fromstring("<html></html>"), None
    stopped = next((e.line for e in parser.error_log if "Excessive depth" in e.message), None)
    return root, stopped


def read_page(
    site: _Site, loc: files.Location, text: str, entity: str
) -> tuple[SitePage, list[LocalBusiness], files.ReadError | None]:
    """Parse one page (already decoded) into its ``SitePage`` and ``LocalBusiness`` records, and
    the problem of a page nested too deep to read whole (read up to the line it names).

    lxml's parser builds a 1 MB page's tree in under a tenth of a second; BeautifulSoup, read
    before, took 1.4 s of ordinary markup and 2.5 s of 100,000 nested ``<div>``. The cycle
    collector waits while the page is read (``execbrief.cyclegc``)."""
    with cyclegc.paused():
        root, stopped = parse_page(text)
        page, businesses = _read_page(site, loc, text, root, entity)
    if stopped is None:
        return page, businesses, None
    problem = files.ReadError(
        loc.display,
        f"nests its elements more than {MAX_DEPTH:,} deep; read up to line {stopped:,}, the "
        "rest of the page skipped",
        stopped,
        fatal=False,
    )
    return page, businesses, problem


def _read_page(
    site: _Site, loc: files.Location, text: str, root: Tag, entity: str
) -> tuple[SitePage, list[LocalBusiness]]:
    prov = files.provenance(loc)
    lines = _Lines()
    if loc.path is not None and site.root is not None:
        rel = Path(os.path.relpath(loc.path, site.root)).as_posix()
        page_dir = loc.path.parent
    else:
        rel, page_dir = loc.name, Path(".")
    tags = _Tags(root)
    head = _read_head(tags, lines)
    jsonld_types, jsonld_errors, businesses = _read_jsonld(tags, rel, entity, prov, lines)
    businesses.extend(_microdata(tags, rel, entity, prov))
    analytics = _Found()
    found_analytics, analytics_ids = _analytics(tags)
    for name, line in found_analytics:
        analytics.add(name)
        lines.note(f"analytics:{name}", line)
    widgets = _Found()
    for name, line in _widgets(tags):
        widgets.add(name)
        lines.note(f"widget:{name}", line)
    forms = tags.named("form")
    if forms:
        lines.mark("form", forms[0])
    links = _read_links(site, tags, rel, page_dir, lines)
    html_tag = tags.first("html")
    # lxml makes an <html> element for a page that writes none: its line is no line of the page
    first_line = _line(html_tag) if html_tag is not None and _HTML_TAG.search(text) else None
    page = SitePage(
        entity=entity,
        provenance=prov.at_line(first_line or 1),
        path=rel,
        title=head.title,
        meta_description=head.description,
        canonical=head.canonical,
        viewport=head.viewport,
        lang=head.lang,
        h1=tuple(head.h1s),
        analytics=analytics.out(),
        forms=len(forms),
        booking_widgets=widgets.out(),
        ota_links=links.ota.out(),
        social_links=links.social.out(),
        http_links=links.http.out(),
        broken_links=links.broken.out(),
        malformed_links=links.malformed.out(),
        phones=links.phones.out(),
        jsonld_types=jsonld_types.out(),
        jsonld_errors=tuple(jsonld_errors),
        analytics_ids=tuple(analytics_ids),
        site_name=head.site_name,
        lines=lines.lines,
        site=site.display,
        noindex=head.noindex,
        refresh=head.refresh,
    )
    return page, businesses


def robots_rules(text: str) -> tuple[bool, bool]:
    """(disallows everything for ``User-agent: *``, names a ``Sitemap:``) from robots.txt text.

    A ``*`` group disallows all when it has ``Disallow: /`` and no ``Allow:`` rule that opens a
    path again (RFC 9309: the most specific rule wins, so any ``Allow`` of a longer path opens it).
    """
    groups: list[tuple[list[str], list[tuple[str, str]]]] = []
    agents: list[str] = []
    rules: list[tuple[str, str]] = []
    sitemap = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "sitemap" and value:
            sitemap = True
        elif key == "user-agent":
            if rules:
                groups.append((agents, rules))
                agents, rules = [], []
            agents.append(value.lower())
        elif key in ("allow", "disallow"):
            rules.append((key, value))
    if agents:
        groups.append((agents, rules))
    star = [r for a, r in groups if "*" in a]
    blocked = any(
        ("disallow", "/") in group and not any(k == "allow" and v not in ("",) for k, v in group)
        for group in star
    )
    return blocked, sitemap


def sitemap_count(text: str) -> int:
    """``<loc>`` entries of a sitemap or sitemap index; ``ValueError`` if it is not XML."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ValueError(f"is not well-formed XML ({exc})") from None
    tag = root.tag.rsplit("}", 1)[-1]
    if tag not in ("urlset", "sitemapindex"):
        raise ValueError(f"has root element <{tag}>; expected <urlset> or <sitemapindex>")
    return sum(1 for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc")


def decode_page(loc: files.Location) -> tuple[str, files.ReadError | None]:
    """The page's text: strict UTF-8 through the file layer, else (invalid UTF-8 only) decoded by
    its declared charset or with replacement characters, with the UTF-8 problem as a note.

    ``ReadError`` for a missing, binary, over-large or unreadable file.
    """
    try:
        return files.read_text(loc, max_bytes=MAX_PAGE_BYTES), None
    except files.ReadError as exc:
        if "UTF-8" not in exc.message or "binary" in exc.message:
            raise
        note = exc
    with loc.open_binary() as handle:
        raw = handle.read(MAX_PAGE_BYTES + 1)
    from bs4.dammit import UnicodeDammit  # here: importing bs4 is a fifth of execbrief's start-up

    dammit = UnicodeDammit(raw, is_html=True)
    text = (
        dammit.unicode_markup
        if dammit.unicode_markup is not None
        else raw.decode("utf-8", "replace")
    )
    encoding = dammit.original_encoding or "utf-8 with replacement characters"
    return text, files.ReadError(
        note.where,
        f"{note.message.split(';')[0]}; read as {encoding} instead",
        note.line,
        fatal=False,
    )


def _shown(site: _Site, loc: files.Location) -> str:
    """A file as cited: the site folder plus its path inside it (symlinks not resolved)."""
    if loc.path is None or site.root is None:
        return loc.display
    return f"{site.display}/{Path(os.path.relpath(loc.path, site.root)).as_posix()}"


class SiteSource(BaseSource):
    """Reads a site's built HTML folder (pages, robots.txt, sitemap.xml)."""

    name = KIND
    description = (
        "A site's built HTML: SEO tags, JSON-LD LocalBusiness, analytics, widgets, links, phones."
    )
    Options: ClassVar[type[Model]] = SiteOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """One ``SiteFile`` per configured folder and a ``SitePage`` per page; never raises for bad input."""
        options = request.spec.options
        if not isinstance(options, SiteOptions):
            options = SiteOptions()
        records: list[Record] = []
        errors: list[SourceError] = []
        all_locations: list[files.Location] = []
        for configured in request.spec.paths:
            resolved = request.resolve(configured) if not files.is_s3_url(configured) else None
            root = (
                resolved
                if resolved is not None and resolved.is_dir()
                else (resolved.parent if resolved is not None else None)
            )
            display = request.display(resolved) if resolved is not None else configured
            site = _Site(request, root, display, options)
            locations, problems = files.expand(
                request, [configured], suffixes=(*HTML_SUFFIXES, *SITE_FILES)
            )
            errors.extend(problems)
            all_locations.extend(locations)
            records.extend(self._read_site(request, site, locations, errors))
        return files.finish(request, KIND, all_locations, records, errors)

    def _read_site(
        self,
        request: SourceRequest,
        site: _Site,
        locations: list[files.Location],
        errors: list[SourceError],
    ) -> list[Record]:
        out: list[Record] = []
        robots = sitemap = robots_all = robots_sitemap = False
        sitemap_urls = 0
        sitemap_error: str | None = None
        pages = 0
        for loc in locations:
            if loc.path is not None and site.root is not None and not site.inside(loc.path):
                errors.append(
                    SourceError(
                        request.entity.id,
                        KIND,
                        Provenance(_shown(site, loc)),
                        "is a symbolic link pointing outside the site folder; skipped",
                        fatal=False,
                    )
                )
                continue
            top_level = loc.path is None or site.root is None or loc.path.parent == site.root
            try:
                if loc.name.lower() == "robots.txt" and top_level:
                    robots = True
                    robots_all, robots_sitemap = robots_rules(files.read_text(loc))
                elif loc.name.lower() in SITEMAP_NAMES and top_level:
                    sitemap = True
                    try:
                        sitemap_urls += sitemap_count(files.read_text(loc))
                    except ValueError as exc:
                        sitemap_error = f"{loc.display} {exc}"
                        errors.append(
                            SourceError(
                                request.entity.id,
                                KIND,
                                Provenance(loc.display),
                                str(exc),
                                fatal=False,
                            )
                        )
                elif loc.suffix in HTML_SUFFIXES:
                    if pages >= site.options.max_pages:
                        continue
                    text, note = decode_page(loc)
                    if note is not None:
                        errors.append(note.to_error(request, KIND))
                    page, businesses, problem = read_page(site, loc, text, request.entity.id)
                    if problem is not None:
                        errors.append(problem.to_error(request, KIND))
                    out.append(page)
                    out.extend(businesses)
                    pages += 1
            except files.ReadError as exc:
                error = exc.to_error(request, KIND)
                errors.append(
                    SourceError(
                        error.entity,
                        KIND,
                        error.provenance,
                        f"{error.message}; page skipped",
                        fatal=False,
                    )
                )
            except (
                OSError,
                RecursionError,
                ValueError,
                AssertionError,
            ) as exc:
                # a page deep enough to exhaust the parser, or markup it rejects
                errors.append(
                    SourceError(
                        request.entity.id,
                        KIND,
                        Provenance(loc.display),
                        f"could not be parsed ({type(exc).__name__}); page skipped",
                        fatal=False,
                    )
                )
        host = site.own_host or _canonical_host(r for r in out if isinstance(r, SitePage))
        if site.own_host is None and host is not None:
            out = [_check_deferred(site, r, host) if isinstance(r, SitePage) else r for r in out]
        if pages == 0 and not any(e.fatal for e in errors):
            errors.append(
                SourceError(
                    request.entity.id,
                    KIND,
                    Provenance(site.display),
                    "has no readable .html pages; expected a folder of a site's built HTML",
                )
            )
        out.insert(
            0,
            SiteFile(
                entity=request.entity.id,
                provenance=Provenance(site.display),
                site=site.display,
                robots=robots,
                robots_disallows_all=robots_all,
                sitemap=sitemap,
                sitemap_urls=sitemap_urls,
                sitemap_error=sitemap_error,
                robots_sitemap=robots_sitemap,
                pages=pages,
                host=host,
            ),
        )
        return out


def _canonical_host(pages: Iterable[SitePage]) -> str | None:
    """The host most pages' absolute canonical links name (``www.`` dropped), or None when
    none does or two hosts tie."""
    counts = Counter(
        _host_path(page.canonical)[0]
        for page in pages
        if page.canonical and page.canonical.lower().startswith(("http://", "https://"))
    )
    ranked = counts.most_common(2)
    if not ranked or not ranked[0][0] or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _check_deferred(site: _Site, page: SitePage, host: str) -> SitePage:
    """The page with its absolute links to ``host`` checked like relative ones."""
    page_dir, links = site.deferred.get(page.path, (None, []))
    if page_dir is None:
        return page
    broken = dict.fromkeys(page.broken_links)
    lines = dict(page.lines)
    for url, line in links:
        link_host, path = _host_path(url if not url.startswith("//") else "https:" + url)
        if link_host != host or site.exists(page_dir, path or "/") is not False:
            continue
        broken.setdefault(url, None)
        key = f"broken:{url}"
        if line is not None and (key not in lines or line < lines[key]):
            lines[key] = line
    if len(broken) == len(page.broken_links):
        return page
    return replace(page, broken_links=tuple(broken), lines=lines)


@hookimpl
def register_sources() -> list[Source]:
    """The site source."""
    return [SiteSource()]
