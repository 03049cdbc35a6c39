"""The marketing analysis: model arithmetic, funnel stages and breaks, the channel matrix, OTA
scores and every SEO check, with hand-computed expected values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execbrief.analysis.marketing import (
    EmailAssumptions,
    MarketingAnalysis,
    MarketingOptions,
    MarketingResult,
    OtaTerms,
    compact_rows,
    email_case,
    funnel,
    funnel_breaks,
    score_otas,
    stage_reached,
)
from execbrief.analysis.marketing.funnel import funnel_months, funnel_with_breaks
from execbrief.config import Config, OptionModels, config_from_dict
from execbrief.findings import Effort
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.handoff import Fact
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceResult
from execbrief.values import Money, Percent, Period

AS_OF = date(2026, 11, 20)
USD = "USD"


def usd(amount: str | int) -> Money:
    return Money(Decimal(amount), USD)


def booking(
    line: int,
    created: date,
    status: str,
    amount: str | None = "500",
    deposit: str | None = None,
    channel: str = "website",
    service: date | None = None,
    entity: str = "boats",
) -> Booking:
    return Booking(
        entity=entity,
        provenance=Provenance("bookings/boats.csv", line),
        id=f"B{line}",
        created=created,
        service_date=service,
        status=BookingStatus(status),
        amount=usd(amount) if amount is not None else None,
        deposit=usd(deposit) if deposit is not None else None,
        channel=channel,
    )


def make_config(tmp_path: Path, raw: dict[str, Any] | None = None) -> Config:
    data: dict[str, Any] = {
        "portfolio": {"name": "Test"},
        "entities": [
            {
                "id": "boats",
                "name": "Boat Co.",
                "kind": "charter",
                "channels": {"getmyboat": True, "Viator": "https://viator.com/x", "sailo": False},
            },
            {"id": "haul", "name": "Haul It", "kind": "hauling"},
        ],
    }
    data.update(raw or {})
    return config_from_dict(
        data, tmp_path / "portfolio.toml", OptionModels(analyses={"marketing": MarketingOptions})
    )


def make_snapshot(records: list[Record]) -> Snapshot:
    results = tuple(
        SourceResult(
            entity=entity,
            kind="test",
            paths=(),
            records=tuple(r for r in records if r.entity == entity),
        )
        for entity in ("boats", "haul")
    )
    return Snapshot(
        "Test",
        USD,
        AS_OF,
        (EntityInfo("boats", "Boat Co.", "charter"), EntityInfo("haul", "Haul It", "hauling")),
        results,
    )


# --------------------------------------------------------------------------------------------
# email model
# --------------------------------------------------------------------------------------------


def test_email_case_default_rates() -> None:
    case = email_case("boats", 3676, "export", EmailAssumptions(), usd(500), "notes")
    # 3676 x 0.358 = 1316.008 opens; 3676 x 0.019 = 69.844 clicks; 3676 x 0.002..0.005 bookings
    assert case.opens == Decimal("1316.008")
    assert case.clicks == Decimal("69.844")
    assert (case.bookings_low, case.bookings_high) == (Decimal("7.352"), Decimal("18.380"))
    assert (case.revenue.low, case.revenue.high) == (usd("3676.00"), usd("9190.00"))
    assert case.open_rate == Percent(Decimal("35.8"))
    assert "3,676 opted-in subscribers × 35.8% open = 1,316.0 opens" in case.arithmetic
    assert "5.31% of opens click (1.9% of the list) = 69.8 clicks" in case.arithmetic
    assert "(0.2%–0.5% of the list) = 7.35–18.38 bookings" in case.arithmetic
    assert "10.53%–26.32% of clicks book" in case.arithmetic
    assert case.arithmetic.endswith("× $500 average booking (notes) = $3,676–$9,190 per blast.")


def test_email_case_previous_step_basis() -> None:
    rates = EmailAssumptions(
        open_rate=Decimal("0.5"),
        click_rate=Decimal("0.1"),
        conversion_low=Decimal("0.1"),
        conversion_high=Decimal("0.2"),
        basis="previous_step",
    )
    case = email_case("boats", 1000, "export", rates, usd(100), "config")
    assert (case.opens, case.clicks) == (Decimal("500.0"), Decimal("50.00"))
    assert (case.bookings_low, case.bookings_high) == (Decimal("5.000"), Decimal("10.000"))
    assert (case.revenue.low, case.revenue.high) == (usd("500.00"), usd("1000.00"))


def test_email_configured_value_and_rates_win(tmp_path: Path) -> None:
    """An average booking value set in [analysis.marketing.email] is the stated assumption: it is
    used even when bookings could give a mean, and the case says the rates are the configured ones."""
    records: list[Record] = [
        SubscriberCounts("boats", Provenance("subscribers/list.csv"), 1000, 1000, 1000, 1000, {}),
        booking(2, date(2026, 6, 1), "completed", "600"),
        booking(3, date(2026, 6, 2), "completed", "400"),
    ]
    email = {
        "open_rate": "0.4",
        "click_rate": "0.05",
        "conversion_low": "0.02",
        "conversion_high": "0.08",
        "basis": "previous_step",
        "average_booking_value": "150",
    }
    cfg = make_config(tmp_path, {"analysis": {"marketing": {"email": email}}})
    [case] = MarketingAnalysis().analyze(make_snapshot(records), cfg).email
    # 1000 x 0.4 = 400 opens; x 0.05 = 20 clicks; x 0.02..0.08 = 0.4..1.6 bookings; x $150
    assert case.average_value == usd("150")
    assert case.value_source == "[analysis.marketing.email] average_booking_value"
    assert (case.revenue.low, case.revenue.high) == (usd("60.00"), usd("240.00"))
    assert case.rates == "the rates set in [analysis.marketing.email]"
    # without it, the bookings' mean (1000 / 2 = 500) and the benchmark defaults
    [default] = MarketingAnalysis().analyze(make_snapshot(records), make_config(tmp_path)).email
    assert default.average_value == usd("500.00")
    assert default.rates == "the benchmark rates"


def test_rates_may_be_written_as_percentages(tmp_path: Path) -> None:
    cfg = make_config(
        tmp_path,
        {
            "analysis": {
                "marketing": {
                    "ota_reach": "15%",
                    "email": {"open_rate": "40%", "click_rate": "2.5 %", "conversion_high": 0.01},
                    "otas": {"samboat": {"label": "SamBoat", "commission": "12%"}},
                }
            }
        },
    )
    options = cfg.analysis_options("marketing")
    assert isinstance(options, MarketingOptions)
    assert (options.email.open_rate, options.email.click_rate) == (Decimal("0.4"), Decimal("0.025"))
    assert options.ota_reach == Decimal("0.15")
    assert options.otas["samboat"].commission == Decimal("0.12")
    with pytest.raises(ValueError, match="less than or equal to 1"):
        EmailAssumptions(open_rate="140%")  # type: ignore[arg-type]


def test_email_assumptions_checked() -> None:
    with pytest.raises(ValueError, match="conversion_low"):
        EmailAssumptions(conversion_low=Decimal("0.01"), conversion_high=Decimal("0.005"))
    with pytest.raises(ValueError, match="click_rate <= open_rate"):
        EmailAssumptions(click_rate=Decimal("0.5"))


# --------------------------------------------------------------------------------------------
# funnel
# --------------------------------------------------------------------------------------------


def test_stage_reached() -> None:
    d = date(2026, 5, 1)
    assert stage_reached(booking(2, d, "inquiry", None)) == 1
    assert stage_reached(booking(2, d, "quoted")) == 2
    assert stage_reached(booking(2, d, "booked")) == 3
    assert stage_reached(booking(2, d, "completed")) == 4
    assert stage_reached(booking(2, d, "cancelled", None)) == 1
    assert stage_reached(booking(2, d, "cancelled", "400")) == 2
    assert stage_reached(booking(2, d, "cancelled", "400", "100")) == 3


def test_compact_rows() -> None:
    provs = [Provenance("a.csv", n) for n in (9, 4, 5, 6)] + [Provenance("b.csv", 2)]
    assert [p.cite() for p in compact_rows(provs)] == ["a.csv:4-6", "a.csv:9", "b.csv:2"]


def funnel_bookings() -> list[Booking]:
    past = date(2026, 10, 1)
    rows = [
        # 2026-08: 4 inquiries, 3 quoted, 2 booked (1 completed), 1 cancelled after deposit
        booking(2, date(2026, 8, 2), "inquiry", None),
        booking(3, date(2026, 8, 3), "quoted"),
        booking(4, date(2026, 8, 4), "completed", service=past),
        booking(5, date(2026, 8, 5), "cancelled", "500", "100", service=past),
        # 2026-09: 3 quotes, none booked -> broken quoted -> booked
        booking(6, date(2026, 9, 1), "quoted"),
        booking(7, date(2026, 9, 2), "quoted"),
        booking(8, date(2026, 9, 3), "quoted"),
        # 2026-10: 4 quotes, none booked -> same break continues
        booking(9, date(2026, 10, 1), "quoted"),
        booking(10, date(2026, 10, 2), "quoted"),
        booking(12, date(2026, 10, 3), "quoted"),
        booking(13, date(2026, 10, 4), "quoted"),
        # 2026-11: 3 quotes, two younger than 7 days (not counted); the one left extends the break
        booking(14, date(2026, 11, 2), "quoted"),
        booking(15, date(2026, 11, 15), "quoted"),
        booking(16, date(2026, 11, 18), "quoted"),
    ]
    return rows


def test_funnel_rows() -> None:
    rows = {r.month: r for r in funnel(funnel_bookings(), AS_OF, 4)}
    assert list(rows) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    aug = rows["2026-08"]
    assert (aug.inquiries, aug.quoted, aug.booked, aug.completed, aug.cancelled) == (4, 3, 2, 1, 1)
    assert aug.quote_rate == Percent(Decimal("75.0"))
    assert aug.book_rate == Percent(Decimal("66.7"))
    assert aug.booked_due == 2 and aug.complete_rate == Percent(Decimal("50.0"))
    assert [p.cite() for p in aug.provenance] == ["bookings/boats.csv:2-5"]
    sep = rows["2026-09"]
    assert (sep.inquiries, sep.quoted, sep.booked, sep.book_rate) == (
        3,
        3,
        0,
        Percent(Decimal("0.0")),
    )


def test_funnel_break_at_the_right_rows() -> None:
    breaks = funnel_breaks(funnel_bookings(), AS_OF, 4, min_count=3, maturity_days=7)
    assert len(breaks) == 1
    brk = breaks[0]
    assert brk.step == ("quoted", "booked")
    assert brk.months == ("2026-09", "2026-10", "2026-11")
    assert brk.upstream == 8
    assert brk.booking_ids == ("B6", "B7", "B8", "B9", "B10", "B12", "B13", "B14")
    assert [p.cite() for p in brk.provenance] == [
        "bookings/boats.csv:6-10",
        "bookings/boats.csv:12-14",
    ]
    assert brk.before == Percent(Decimal("66.7"))  # 2 of 3 quotes booked in 2026-08


def test_no_break_below_min_count() -> None:
    assert funnel_breaks(funnel_bookings(), AS_OF, 4, min_count=5, maturity_days=7) == []


@given(st.dates(min_value=date(1900, 1, 1)), st.integers(0, 5000), st.integers(1, 130))
def test_funnel_months_are_the_periods_back_from_as_of(as_of: date, back: int, months: int) -> None:
    """The months, counted as integers, are the Periods stepped back from as_of's month to the
    first booking's, at most ``months`` of them."""
    first = Period.containing(as_of - timedelta(days=back))
    expected = [Period.containing(as_of)]
    while len(expected) < months and expected[0] > first:
        expected.insert(0, expected[0].previous())
    bookings = [booking(1, as_of - timedelta(days=back), "inquiry", None)]
    assert funnel_months(bookings, as_of, months) == [str(p) for p in expected]


def test_funnel_months_run_from_the_first_booking_to_as_of() -> None:
    bookings = funnel_bookings()
    assert funnel_months(bookings, AS_OF, 2) == ["2026-10", "2026-11"]
    assert funnel_months(bookings, AS_OF, 30) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert funnel_months([], AS_OF, 30) == ["2026-11"]


@pytest.mark.parametrize(("months", "min_count", "maturity"), [(4, 3, 7), (2, 1, 0), (30, 2, 40)])
def test_funnel_with_breaks_is_the_funnel_and_its_breaks(
    months: int, min_count: int, maturity: int
) -> None:
    """The marketing analysis stages the bookings once for both; each alone gives the same."""
    bookings = funnel_bookings()
    assert funnel_with_breaks(bookings, AS_OF, months, min_count, maturity) == (
        funnel(bookings, AS_OF, months),
        funnel_breaks(bookings, AS_OF, months, min_count, maturity),
    )


# --------------------------------------------------------------------------------------------
# OTA scores
# --------------------------------------------------------------------------------------------


def test_score_otas_arithmetic_and_order() -> None:
    otas = {
        "getmyboat": OtaTerms(
            label="GetMyBoat", commission=Decimal("0.085"), fit={"charter": Decimal(1)}
        ),
        "boatsetter": OtaTerms(
            label="Boatsetter", commission=Decimal("0.20"), fit={"charter": Decimal("0.9")}
        ),
        "viator": OtaTerms(
            label="Viator",
            commission=Decimal("0.25"),
            effort=Effort.WEEKS,
            fit={"charter": Decimal("0.8")},
        ),
        "vrbo": OtaTerms(label="Vrbo", commission=Decimal("0.08"), fit={"rental": Decimal(1)}),
        "sailo": OtaTerms(label="Sailo", commission=Decimal("0.2"), fit={"charter": Decimal(1)}),
    }
    scores = score_otas("boats", "charter", otas, {"sailo"}, usd(1000), Decimal("0.10"), USD)
    assert [s.ota for s in scores] == ["getmyboat", "boatsetter", "viator"]
    gmb, bs, vi = scores
    # 1000 x 0.10 x 1.0 = 100 gross; x (1 - 0.085) = 91.50 net; / effort days (2) = 45.75
    assert (gmb.gross, gmb.net, gmb.score, gmb.rank) == (
        usd("100.00"),
        usd("91.50"),
        Decimal("45.75"),
        1,
    )
    assert (bs.gross, bs.net, bs.score) == (usd("90.00"), usd("72.00"), Decimal("36.00"))
    assert (vi.gross, vi.net, vi.score) == (usd("80.00"), usd("60.00"), Decimal("15.00"))
    assert gmb.why == "$91.50/mo net of 8.5% commission; fit 1 for charter; set-up days"


def test_score_otas_without_history() -> None:
    otas = {
        "a": OtaTerms(label="A", commission=Decimal("0.1"), fit={"rental": Decimal("0.5")}),
        "b": OtaTerms(label="B", commission=Decimal("0.2"), fit={"rental": Decimal(1)}),
    }
    scores = score_otas("loft", "rental", otas, set(), None, Decimal("0.1"), USD)
    # a: 0.5 x 0.9 / 2 = 0.225; b: 1 x 0.8 / 2 = 0.4
    assert [(s.ota, s.score, s.net) for s in scores] == [
        ("b", Decimal("0.4000"), None),
        ("a", Decimal("0.2250"), None),
    ]


# --------------------------------------------------------------------------------------------
# the whole analysis: matrix from config + notes + site + bookings
# --------------------------------------------------------------------------------------------


def test_matrix_from_every_kind_of_evidence(tmp_path: Path) -> None:
    from execbrief.records.site import SitePage

    note = Provenance("handoffs/boats.md", 12)
    page = SitePage(
        entity="boats",
        provenance=Provenance("sites/boats/index.html", 1),
        path="index.html",
        title="t",
        meta_description="d",
        canonical="c",
        viewport=True,
        lang="en",
        h1=("h",),
        analytics=("plausible",),
        forms=0,
        booking_widgets=("fareharbor",),
        ota_links=("tripadvisor.com",),
        social_links=("instagram.com",),
        http_links=(),
        broken_links=(),
        phones=(),
        jsonld_types=(),
        jsonld_errors=(),
        lines={"ota:tripadvisor.com": 30, "social:instagram.com": 31, "widget:fareharbor": 20},
        site="sites/boats",
    )
    records: list[Record] = [
        Fact(
            "boats", note, "Channels", "OTA listings", "ota_listings", 2, "GetYourGuide, Boatsetter"
        ),
        Fact(
            "boats",
            note.at_line(13),
            "Channels",
            "Google rating",
            "review_rating",
            Decimal("4.8"),
            "4.8",
        ),
        SubscriberCounts("boats", Provenance("subscribers/list.csv"), 10, 9, 9, 8, {}),
        page,
        booking(2, date(2026, 6, 1), "completed", "600", channel="GetMyBoat"),
        booking(3, date(2026, 6, 2), "completed", "400", channel="website"),
        booking(4, date(2026, 6, 3), "booked", "1000", channel="Phone"),
        booking(5, date(2026, 6, 4), "quoted", "700", channel="website"),
    ]
    result = MarketingAnalysis().analyze(make_snapshot(records), make_config(tmp_path))
    assert isinstance(result, MarketingResult)

    def cell(channel: str) -> tuple[Any, ...]:
        c = result.cell("boats", channel)
        assert c is not None
        return (c.listed, c.evidence, c.bookings, c.booking_share, c.revenue_share)

    # booked or completed: 3 bookings, $2,000
    assert cell("getmyboat") == (
        True,
        ("config", "bookings"),
        1,
        Percent(Decimal("33.3")),
        Percent(Decimal("30.0")),
    )
    assert cell("site") == (
        True,
        ("site", "bookings"),
        1,
        Percent(Decimal("33.3")),
        Percent(Decimal("20.0")),
    )
    assert cell("viator") == (
        True,
        ("config: https://viator.com/x",),
        0,
        Percent(Decimal("0.0")),
        Percent(Decimal("0.0")),
    )
    assert cell("sailo")[:2] == (False, ("config: not listed",))
    assert cell("getyourguide")[:2] == (True, ("notes",))
    assert cell("boatsetter")[:2] == (True, ("notes",))
    assert cell("google_business")[:2] == (True, ("notes: Google reviews",))
    assert cell("tripadvisor")[:2] == (True, ("site link",))
    assert cell("instagram")[:2] == (True, ("site link",))
    assert cell("fareharbor")[:2] == (True, ("site widget",))
    assert cell("email_list")[:2] == (True, ("subscribers: 8 opted in",))
    assert cell("yelp")[:2] == (None, ())
    assert result.cell("boats", "tripadvisor").provenance == (
        Provenance("sites/boats/index.html", 30),
    )  # type: ignore[union-attr]
    # phone is not a listing channel: no column
    assert "phone" not in result.channels
    # email model uses opted-in count and the mean booked value (2000 / 3 = 666.67)
    [case] = result.email
    assert case.list_size == 8 and case.average_value == usd("666.67")
    # idle listings: viator, getyourguide, boatsetter listed but no bookings
    idle = sorted(f.id for f in result.findings if f.rule == "marketing.idle_listing")
    assert idle == [
        "marketing.idle_listing:boats:boatsetter",
        "marketing.idle_listing:boats:getyourguide",
        "marketing.idle_listing:boats:viator",
    ]
    assert not any(f.rule == "marketing.no_ota" for f in result.findings)
    # OTA order skips what is listed: sailo (config false) and airbnb remain for a charter
    assert [s.ota for s in result.otas if s.entity == "boats"] == ["sailo", "airbnb"]


def test_no_ota_shortfall_from_notes(tmp_path: Path) -> None:
    note = Provenance("handoffs/boats.md", 22)
    records: list[Record] = [
        Fact("boats", note, "Where", "OTA listings", "ota_listings", 0, "none")
    ]
    cfg = make_config(
        tmp_path, {"entities": [{"id": "boats", "name": "Boat Co.", "kind": "charter"}]}
    )
    result = MarketingAnalysis().analyze(make_snapshot(records), cfg)
    [finding] = [f for f in result.findings if f.rule == "marketing.no_ota"]
    assert finding.tags == ("marketing",) and finding.shortfall
    assert finding.provenance == (note,)
    assert result.cell("boats", "viator").listed is False  # type: ignore[union-attr]


def test_options_from_config(tmp_path: Path) -> None:
    cfg = make_config(
        tmp_path,
        {
            "analysis": {
                "marketing": {
                    "email": {"open_rate": "0.4", "click_rate": "0.03"},
                    "otas": {
                        "samboat": {"label": "SamBoat", "commission": "0.15", "fit": {"charter": 1}}
                    },
                    "channels": ["Thumbtack"],
                }
            }
        },
    )
    options = cfg.analysis_options("marketing")
    assert isinstance(options, MarketingOptions)
    assert options.email.open_rate == Decimal("0.4")
    assert "samboat" in options.all_otas() and "getmyboat" in options.all_otas()
    result = MarketingAnalysis().analyze(make_snapshot([]), cfg)
    assert "thumbtack" in result.channels


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Airbnb Experiences", "airbnb"),
        ("Viator (via FareHarbor)", "viator"),
        ("Get My Boat", "getmyboat"),
        ("Google Business Profile", "google_business"),
        ("Direct - Website", "site"),
        ("newsletter", "email_list"),
        ("Thumbtack", "thumbtack"),
        # the same keys the site's links give (the catalogue's hosts), so one channel is one column
        ("Click & Boat", "click-and-boat"),
        ("Click and Boat", "click-and-boat"),
        ("Twitter", "x"),
        ("Booking.com", "booking"),
        ("Google Maps", "google_business"),
    ],
)
def test_channel_key(written: str, key: str) -> None:
    from execbrief.analysis.marketing import channel_key

    assert channel_key(written) == key


def test_offline_booking_channels_are_not_listings() -> None:
    from execbrief.analysis.marketing import booking_channel

    assert booking_channel("email") == "email"  # an emailed inquiry, not the email list
    assert booking_channel("Walk-up") == "walk-up"
    assert booking_channel("walk in") == "walk-up"
    assert booking_channel("GetMyBoat") == "getmyboat"


def test_notes_none_yet_means_no_ota(tmp_path: Path) -> None:
    note = Provenance("handoffs/boats.md", 5)
    records: list[Record] = [
        Fact("boats", note, "Where", "OTA listings", "ota_listings", "none yet", "none yet")
    ]
    cfg = make_config(
        tmp_path, {"entities": [{"id": "boats", "name": "Boat Co.", "kind": "charter"}]}
    )
    result = MarketingAnalysis().analyze(make_snapshot(records), cfg)
    assert any(f.rule == "marketing.no_ota" for f in result.findings)
