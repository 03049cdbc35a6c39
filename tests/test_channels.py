"""The channel catalogue: which channels are marketplaces (the decisions made when the old tables
disagreed), that every spelling and host names one channel, and that the site source, the
bookings source, the marketing and the accounting analyses all read the same table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from execbrief.analysis import accounting
from execbrief.analysis.marketing import CHANNEL_LABELS, booking_channel, channel_key
from execbrief.analysis.marketing.channels import OTA_CHANNELS, host_channel
from execbrief.analysis.marketing.options import DEFAULT_OTAS
from execbrief.records import channels
from execbrief.records.channels import CATALOGUE, ChannelKind, slug
from execbrief.sources import site
from execbrief.sources.bookings import channel_of
from kits.ledger import booking, config, snapshot, tx


@pytest.mark.parametrize(
    "written",
    [
        "Airbnb",
        "Vrbo",
        "Booking.com",
        "GetMyBoat",
        "Viator",
        "Sailo",
        "Boatsetter",
        "GetYourGuide",
        "Expedia",
        "Klook",
        "SamBoat",
        "Click&Boat",
        "Boataround",
        # lead marketplaces: the old marketing and accounting tables both left these out
        "Thumbtack",
        "Angi",
        "HomeAdvisor",
        "Upwork",
        # a booking sheet's bare "OTA": marketing did not count it, accounting did
        "OTA",
    ],
)
def test_marketplaces(written: str) -> None:
    assert channels.is_marketplace(written)
    assert channel_key(written) in OTA_CHANNELS


@pytest.mark.parametrize(
    "written",
    [
        "Website",
        "direct",
        "Phone",
        "Referral",
        "Walk-in",
        "Google",
        "Google Business Profile",
        "Instagram",
        "newsletter",
        "email",
        "Yelp",
        # accounting counted these as commission channels; marketing did not
        "Tripadvisor",  # a review site: its bookable experiences are sold by Viator
        "FareHarbor",  # booking software on the operator's own site, not a marketplace
    ],
)
def test_not_marketplaces(written: str) -> None:
    assert not channels.is_marketplace(written)
    assert channel_key(written) not in OTA_CHANNELS


def test_keys_spellings_and_hosts_each_name_one_channel() -> None:
    keys = [c.key for c in CATALOGUE]
    assert len(keys) == len(set(keys))
    for entry in CATALOGUE:
        assert entry.label
        assert channels.channel(entry.key) is entry
        assert channels.find(entry.key, booking=entry.offline) is entry
        for host in entry.hosts:
            assert channels.for_host(host) is entry
    hosts = [h for c in CATALOGUE for h in c.hosts]
    assert len(hosts) == len(set(hosts))
    for offline in (False, True):
        spelled = [
            slug(s) for c in CATALOGUE if c.offline is offline for s in (c.key, *c.spellings)
        ]
        owners = {s: {c.key for c in CATALOGUE if c.offline is offline and s in {slug(x) for x in (c.key, *c.spellings)}} for s in spelled}  # fmt: skip
        assert {s: o for s, o in owners.items() if len(o) > 1} == {}


def test_email_means_the_list_in_notes_and_an_inquiry_in_a_booking_sheet() -> None:
    assert channel_key("email") == "email_list"
    assert booking_channel("email") == "email"
    assert channel_of("E-mail") == "email"


def test_the_site_source_reads_its_hosts_from_the_catalogue() -> None:
    marketplaces = channels.hosts(ChannelKind.MARKETPLACE)
    assert set(marketplaces) <= set(site.OTA_HOSTS)
    assert "thumbtack.com" in site.OTA_HOSTS and "angi.com" in site.OTA_HOSTS
    assert not set(site.OTA_HOSTS) & set(site.SOCIAL_HOSTS)
    assert set(site.SOCIAL_HOSTS) == set(channels.hosts(ChannelKind.SOCIAL))
    assert site.BOOKING_ENGINES["fareharbor.com"] == "fareharbor"
    # the site's link hosts give the same keys as the names written in notes and bookings
    for host in site.OTA_HOSTS + site.SOCIAL_HOSTS:
        entry = channels.for_host(host)
        assert entry is not None and host_channel(host) == entry.key
        assert channel_key(entry.label) == entry.key


def test_bookings_and_marketing_agree_on_a_booking_channel() -> None:
    for written in ("Get My Boat", "getmyboat.com", "Website", "Walk-in", "Booking.com", "Hotel"):
        assert booking_channel(channel_of(written)) == booking_channel(written)


def test_marketing_labels_and_default_terms_come_from_the_catalogue() -> None:
    assert CHANNEL_LABELS["booking"] == "Booking.com" and CHANNEL_LABELS["linkedin"] == "LinkedIn"
    with_terms = {c.key for c in CATALOGUE if c.terms is not None}
    assert set(DEFAULT_OTAS) == with_terms
    assert all(channels.channel(key).marketplace for key in with_terms)  # type: ignore[union-attr]
    assert DEFAULT_OTAS["getmyboat"].commission == channels.channel("getmyboat").terms.commission  # type: ignore[union-attr]


def test_accounting_wants_a_lead_fee_account_for_thumbtack_bookings() -> None:
    entities = [("sweep", "hauling")]
    rows = [
        booking("sweep", "J1", "2026-01-10", "2026-01-12", "completed", "300", None, "Thumbtack"),
        tx("sweep", "2026-01-12", "Income:Hauling", 300),
        tx("sweep", "2026-01-15", "Expenses:Fuel", 60),
    ]
    gaps = {
        g.account: g.why
        for g in accounting.analyze(snapshot(entities, rows), config(entities)).chart_gaps
    }
    assert "Lead and marketplace fees" in gaps
    assert "(Thumbtack)" in gaps["Lead and marketplace fees"]
    phone = [booking("sweep", "J1", "2026-01-10", "2026-01-12", "completed", "300", None, "Phone")]
    gaps_phone = accounting.analyze(snapshot(entities, phone), config(entities)).chart_gaps
    assert "Lead and marketplace fees" not in {g.account for g in gaps_phone}


DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_formats_md_lists_the_whole_catalogue() -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    section = text[text.index("### The channel catalogue") :]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| ([a-z-]+)", section, re.M)
    assert [(key, label.strip(), kind) for key, label, kind in rows] == [
        (c.key, c.label, c.kind.value) for c in CATALOGUE
    ]


def test_metrics_md_lists_every_seo_rule_in_table_order() -> None:
    from execbrief.analysis.marketing import seo

    source = Path(seo.__file__).read_text(encoding="utf-8")
    in_code = re.findall(r'audit\.finding\(\s*f?"([a-z_{}]+)"', source)
    in_code = [
        name.replace("{rule}", base)
        for name in in_code
        for base in (("title", "description") if "{rule}" in name else ("",))
    ]
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    section = text[text.index("### Local SEO checks") : text.index("### 30/60/90")]
    documented = re.findall(r"`([a-z_]+)`", "".join(re.findall(r"^\| (`[^|]+) \|", section, re.M)))
    assert sorted(documented) == sorted(set(in_code))
