"""Tests for execbrief.values: Money, MoneyRange, Percent, Period and the notes money parser."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.values import (
    Cadence,
    CurrencyMismatch,
    Money,
    MoneyParseError,
    MoneyRange,
    Percent,
    PercentParseError,
    Period,
    PeriodParseError,
    extract_money,
    format_money,
    parse_money,
    parse_percent,
    parse_percent_range,
    parse_period,
)

D = Decimal
EN = "\u2013"  # en dash
EM = "\u2014"  # em dash
MINUS = "\u2212"  # minus sign
EURO = "\u20ac"
POUND = "\u00a3"


def usd(amount: str | int) -> Money:
    return Money(D(amount))


def rng(
    low: str | int,
    high: str | int,
    cadence: Cadence | None = None,
    approximate: bool = False,
    currency: str = "USD",
) -> MoneyRange:
    return MoneyRange(Money(D(low), currency), Money(D(high), currency), cadence, approximate)


def point(
    amount: str | int, cadence: Cadence | None = None, approximate: bool = False
) -> MoneyRange:
    return MoneyRange.point(usd(amount), cadence, approximate=approximate)


def same(actual: Money | MoneyRange, expected: Money | MoneyRange) -> None:
    """Equal values and equal types (Money is never equal to a MoneyRange anyway)."""
    assert type(actual) is type(expected)
    assert actual == expected


# ----------------------------------------------------------------------------- Cadence


@pytest.mark.parametrize(
    ("cadence", "factor"),
    [
        (Cadence.DAY, D(365) / D(12)),
        (Cadence.WEEK, D(52) / D(12)),
        (Cadence.MONTH, D(1)),
        (Cadence.QUARTER, D(1) / D(3)),
        (Cadence.YEAR, D(1) / D(12)),
    ],
)
def test_cadence_per_month_factor(cadence: Cadence, factor: Decimal) -> None:
    assert cadence.per_month_factor() == factor


def test_cadence_values_and_suffixes() -> None:
    assert [c.value for c in Cadence] == ["day", "week", "month", "quarter", "year"]
    assert Cadence("month") is Cadence.MONTH
    assert [c.suffix for c in Cadence] == ["/day", "/wk", "/mo", "/qtr", "/yr"]


# ----------------------------------------------------------------------------- Money


def test_money_coerces_int_and_str() -> None:
    assert Money(7500) == Money("7500.00") == Money(D("7500"), "USD")
    assert Money(7500).amount == D("7500")
    assert isinstance(Money("12.5").amount, Decimal)
    assert Money(1, "eur").currency == "EUR"
    assert Money("-0").amount.is_signed() is False


@pytest.mark.parametrize("bad", [7.5, float("nan"), True])
def test_money_rejects_float_and_bool(bad: object) -> None:
    with pytest.raises(TypeError):
        Money(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", [D("NaN"), D("Infinity"), D("-Infinity"), "inf", "nan", "7,500", "x"]
)
def test_money_rejects_non_finite_and_garbage(bad: Decimal | str) -> None:
    with pytest.raises(ValueError):
        Money(bad)


@pytest.mark.parametrize("bad", ["US", "DOLLARS", "U5D", ""])
def test_money_rejects_bad_currency(bad: str) -> None:
    with pytest.raises(ValueError):
        Money(1, bad)


def test_money_is_frozen_and_hashable() -> None:
    money = usd(5)
    with pytest.raises(AttributeError):
        money.amount = D(6)  # type: ignore[misc]
    assert len({Money("5"), Money("5.00"), Money(5, "EUR")}) == 2


def test_money_arithmetic() -> None:
    assert usd(7500) + usd("0.50") == usd("7500.50")
    assert usd(100) - usd(250) == usd(-150)
    assert usd(100) * 3 == usd(300) == 3 * usd(100)
    assert usd(100) * D("0.5") == usd(50)
    assert usd(100) / 4 == usd(25)
    assert usd(100) / D("0.5") == usd(200)
    assert usd(300) / usd(1200) == D("0.25")
    assert -usd(5) == usd(-5)
    assert +usd(5) == usd(5)
    assert abs(usd(-5)) == usd(5)
    assert sum([usd(1), usd(2), usd(3)]) == usd(6)
    assert sum([usd(1), usd(2)], Money.zero()) == usd(3)


def test_money_rejects_float_scalars_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        usd(1) * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        usd(1) + 1  # type: ignore[operator]
    with pytest.raises(CurrencyMismatch):
        usd(1) + Money(1, "EUR")
    with pytest.raises(CurrencyMismatch):
        usd(1) - Money(1, "EUR")
    with pytest.raises(CurrencyMismatch):
        _ = usd(1) < Money(1, "EUR")
    with pytest.raises(ZeroDivisionError):
        usd(1) / 0
    assert isinstance(CurrencyMismatch("x"), ValueError)


def test_money_comparisons_and_zero() -> None:
    assert usd(1) < usd(2) <= usd(2) < usd(3)
    assert usd(3) > usd(2) >= usd(2)
    assert sorted([usd(3), usd(-1), usd(2)]) == [usd(-1), usd(2), usd(3)]
    assert Money.zero("EUR") == Money(0, "EUR")
    assert Money.zero().is_zero
    assert not usd("0.01").is_zero
    assert usd(1) != Money(1, "EUR")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2.345", "2.35"),
        ("-2.345", "-2.35"),
        ("2.344", "2.34"),
        ("7500", "7500.00"),
        ("0.005", "0.01"),
    ],
)
def test_money_quantize_half_up(amount: str, expected: str) -> None:
    quantized = Money(amount).quantize()
    assert quantized == Money(expected)
    assert quantized.to_dict()["amount"] == expected


def test_money_dict_round_trip() -> None:
    assert usd(7500).to_dict() == {"amount": "7500.00", "currency": "USD"}
    assert Money("0.125", "EUR").to_dict() == {"amount": "0.125", "currency": "EUR"}
    assert Money(D("7.5E+3")).to_dict() == {"amount": "7500.00", "currency": "USD"}
    assert Money.from_dict({"amount": "7500.00", "currency": "USD"}) == usd(7500)
    assert Money.from_dict({"amount": "12"}) == usd(12)
    with pytest.raises(TypeError):
        Money.from_dict({"amount": 7.5, "currency": "USD"})
    with pytest.raises(ValueError, match="missing 'amount'"):
        Money.from_dict({"currency": "USD"})


def test_money_str_is_format_money() -> None:
    assert str(usd(7500)) == "$7,500" == format_money(usd(7500))


# ----------------------------------------------------------------------------- MoneyRange


def test_range_validation() -> None:
    with pytest.raises(ValueError, match="above"):
        rng(9, 7)
    with pytest.raises(CurrencyMismatch):
        MoneyRange(usd(1), Money(2, "EUR"))
    with pytest.raises(TypeError):
        MoneyRange(usd(1), usd(2), None, "yes")  # type: ignore[arg-type]
    assert MoneyRange(usd(1), usd(2), "month").cadence is Cadence.MONTH  # type: ignore[arg-type]


def test_range_properties() -> None:
    r = rng(7000, 9000, Cadence.MONTH, approximate=True)
    assert r.currency == "USD"
    assert r.midpoint == usd(8000)
    assert r.width == usd(2000)
    assert r.contains(usd(7000)) and r.contains(usd(9000)) and r.contains(usd(8500))
    assert not r.contains(usd("9000.01"))
    with pytest.raises(CurrencyMismatch):
        r.contains(Money(8000, "EUR"))
    assert not r.is_point
    assert MoneyRange.point(usd(5)).is_point
    assert MoneyRange.point(usd(5), Cadence.WEEK, approximate=True) == rng(5, 5, Cadence.WEEK, True)


def test_range_addition() -> None:
    a = rng(7000, 9000, Cadence.MONTH)
    assert a + usd(1000) == rng(8000, 10000, Cadence.MONTH)
    assert usd(1000) + a == rng(8000, 10000, Cadence.MONTH)
    assert a + rng(100, 200, Cadence.MONTH, True) == rng(7100, 9200, Cadence.MONTH, True)
    assert a + rng(100, 200) == rng(7100, 9200, Cadence.MONTH)
    assert rng(100, 200) + a == rng(7100, 9200, Cadence.MONTH)
    assert sum([a, a]) == rng(14000, 18000, Cadence.MONTH)
    with pytest.raises(ValueError, match="per"):
        a + rng(1, 2, Cadence.YEAR)
    with pytest.raises(CurrencyMismatch):
        a + Money(1, "EUR")


def test_range_subtraction_is_interval_arithmetic() -> None:
    a = rng(7000, 9000)
    assert a - rng(1000, 2000) == rng(5000, 8000)
    assert a - usd(500) == rng(6500, 8500)
    assert usd(10000) - a == rng(1000, 3000)
    assert -a == rng(-9000, -7000)


def test_range_scaling() -> None:
    a = rng(7000, 9000, Cadence.MONTH, True)
    assert a * 2 == rng(14000, 18000, Cadence.MONTH, True)
    assert 2 * a == a * 2
    assert a * -1 == rng(-9000, -7000, Cadence.MONTH, True)
    assert a * D("0.5") == rng(3500, 4500, Cadence.MONTH, True)
    assert a / 2 == rng(3500, 4500, Cadence.MONTH, True)
    assert a / -2 == rng(-4500, -3500, Cadence.MONTH, True)
    with pytest.raises(ZeroDivisionError):
        a / 0
    with pytest.raises(TypeError):
        a * 1.5  # type: ignore[operator]


def test_range_per_cadence() -> None:
    monthly = rng(7000, 9000, Cadence.MONTH, True)
    assert monthly.per(Cadence.YEAR) == rng(84000, 108000, Cadence.YEAR, True)
    assert monthly.per("quarter") == rng(21000, 27000, Cadence.QUARTER, True)
    assert monthly.per(Cadence.MONTH) is monthly
    assert rng(1200, 2400, Cadence.YEAR).per(Cadence.MONTH) == rng(100, 200, Cadence.MONTH)
    assert rng(1000, 1000, Cadence.WEEK).per(Cadence.YEAR) == rng(52000, 52000, Cadence.YEAR)
    assert rng(12, 12, Cadence.DAY).per(Cadence.YEAR) == rng(4380, 4380, Cadence.YEAR)
    weekly = rng(300, 600, Cadence.WEEK).per(Cadence.MONTH)
    assert weekly.low.amount == D(300) * 52 / 12
    with pytest.raises(ValueError, match="no cadence"):
        rng(1, 2).per(Cadence.MONTH)


def test_range_quantize_and_dict() -> None:
    r = rng("1.005", "2.004", Cadence.DAY)
    assert r.quantize() == rng("1.01", "2.00", Cadence.DAY)
    data = rng(7000, 9000, Cadence.MONTH, True).to_dict()
    assert data == {
        "low": "7000.00",
        "high": "9000.00",
        "currency": "USD",
        "cadence": "month",
        "approximate": True,
    }
    assert MoneyRange.from_dict(data) == rng(7000, 9000, Cadence.MONTH, True)
    plain = rng(1, 2, currency="EUR").to_dict()
    assert plain["cadence"] is None
    assert MoneyRange.from_dict(plain) == rng(1, 2, currency="EUR")


# ----------------------------------------------------------------------------- Percent


def test_percent_basics() -> None:
    p = Percent(D("36"))
    assert p.fraction == D("0.36")
    assert p.of(usd(1000)) == usd(360)
    assert p.of(rng(100, 200, Cadence.MONTH)) == rng(36, 72, Cadence.MONTH)
    assert Percent.from_fraction(D("0.36")) == p
    assert Percent(36) == Percent("36.0") == p
    assert Percent(1) < Percent(2)
    with pytest.raises(TypeError):
        Percent(0.36)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("36", "36%"),
        ("36.0", "36%"),
        ("1.9", "1.9%"),
        ("0.25", "0.25%"),
        ("-2", "-2%"),
        ("0", "0%"),
        ("1E+3", "1000%"),
    ],
)
def test_percent_str(value: str, text: str) -> None:
    assert str(Percent(value)) == text


def test_percent_dict() -> None:
    assert Percent("1.9").to_dict() == {"value": "1.9"}
    assert Percent.from_dict({"value": "1.9"}) == Percent("1.9")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("36%", "36"),
        ("1.9 %", "1.9"),
        ("0.25%", "0.25"),
        ("-2%", "-2"),
        (f"{MINUS}2%", "-2"),
        ("12 percent", "12"),
        ("  7%  ", "7"),
        ("1,200%", "1200"),
    ],
)
def test_parse_percent(text: str, expected: str) -> None:
    assert parse_percent(text) == Percent(expected)


@pytest.mark.parametrize("text", ["", "36", "%", "abc%", "~36%", "36%%", f"0.2{EN}0.5%"])
def test_parse_percent_errors(text: str) -> None:
    with pytest.raises(PercentParseError) as info:
        parse_percent(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        (f"0.2{EN}0.5%", "0.2", "0.5"),
        ("20-30%", "20", "30"),
        ("20% to 30%", "20", "30"),
        (f"1.5 {EM} 2 %", "1.5", "2"),
        ("36%", "36", "36"),
        ("-5--2%", "-5", "-2"),
    ],
)
def test_parse_percent_range(text: str, low: str, high: str) -> None:
    assert parse_percent_range(text) == (Percent(low), Percent(high))


@pytest.mark.parametrize("text", ["30-20%", "20-30", "", "20%-"])
def test_parse_percent_range_errors(text: str) -> None:
    with pytest.raises(PercentParseError):
        parse_percent_range(text)


# ----------------------------------------------------------------------------- Period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "canonical"),
    [
        ("2026-11", "month", date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("2026-q1", "quarter", date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2025-02", "month", date(2025, 2, 1), date(2025, 2, 28), "2025-02"),
        (" 2026-Q2 ", "quarter", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
    ],
)
def test_period_parse(text: str, kind: str, start: date, end: date, canonical: str) -> None:
    period = Period.parse(text)
    assert period == parse_period(text)
    assert period.kind == kind
    assert period.start == start
    assert period.end == end
    assert str(period) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "26-11",
        "2026/11",
        "2026-1",
        "0000-01",
        "Q4 2026",
    ],
)
def test_period_parse_errors(text: str) -> None:
    with pytest.raises(PeriodParseError) as info:
        Period.parse(text)
    assert repr(text) in str(info.value)


def test_period_constructors_and_navigation() -> None:
    nov = Period.month(2026, 11)
    q4 = Period.quarter(2026, 4)
    assert nov.year == 2026 and nov.number == 11
    assert q4.number == 4
    assert Period.containing(date(2026, 11, 17)) == nov
    assert Period.containing(datetime(2026, 11, 17, 23, 59)) == nov
    assert Period.containing(date(2026, 11, 17), "quarter") == q4
    assert q4.months() == (Period.month(2026, 10), nov, Period.month(2026, 12))
    assert nov.months() == (nov,)
    assert Period.month(2026, 12).next() == Period.month(2027, 1)
    assert Period.month(2027, 1).previous() == Period.month(2026, 12)
    assert q4.next() == Period.quarter(2027, 1)
    assert Period.quarter(2027, 1).previous() == q4
    assert q4.contains(date(2026, 12, 31)) and not q4.contains(date(2027, 1, 1))
    assert nov.contains(datetime(2026, 11, 30, 12)) and not nov.contains(date(2026, 10, 31))
    with pytest.raises(ValueError):
        Period(date(2026, 11, 2))
    with pytest.raises(ValueError):
        Period(date(2026, 11, 1), "quarter")
    with pytest.raises(ValueError):
        Period.month(2026, 13)
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)


def test_period_ordering_by_start_then_kind() -> None:
    periods = [
        Period.month(2026, 11),
        Period.quarter(2026, 4),
        Period.month(2026, 10),
        Period.month(2025, 12),
    ]
    assert [str(p) for p in sorted(periods)] == ["2025-12", "2026-10", "2026-Q4", "2026-11"]
    assert Period.month(2026, 1) < Period.month(2026, 2)


def test_period_dict() -> None:
    q4 = Period.quarter(2026, 4)
    assert q4.to_dict() == {"period": "2026-Q4"}
    assert Period.from_dict({"period": "2026-Q4"}) == q4
    assert Period.from_dict("2026-Q4") == q4


# ----------------------------------------------------------------------------- parse_money

PARSE_CASES: list[tuple[str, Money | MoneyRange]] = [
    ("$7,500", usd(7500)),
    ("$7,500.50", usd("7500.50")),
    ("$7.5K", usd(7500)),
    ("$7.5k", usd(7500)),
    (f"~$7{EN}9K/mo", rng(7000, 9000, Cadence.MONTH, True)),
    ("$50-84/mo", rng(50, 84, Cadence.MONTH)),
    (f"$10K{EN}50K", rng(10000, 50000)),
    ("7-9k", rng(7000, 9000)),
    ("$1.2M", usd(1200000)),
    ("$1.2m", usd(1200000)),
    ("$3B", usd(3000000000)),
    ("$1bn", usd(1000000000)),
    ("(1,200)", usd(-1200)),
    ("($1,200)", usd(-1200)),
    ("-$300", usd(-300)),
    ("$-300", usd(-300)),
    (f"{MINUS}$300", usd(-300)),
    ("USD 3,676.00", usd("3676.00")),
    ("USD3,676", usd(3676)),
    ("3,676.00 USD", usd("3676.00")),
    ("$5 USD", usd(5)),
    ("US$40", usd(40)),
    (f"{EURO}1.200", Money("1.2", "EUR")),
    (f"{EURO}300", Money(300, "EUR")),
    (f"{POUND}1,250.50", Money("1250.50", "GBP")),
    ("EUR 5K", Money(5000, "EUR")),
    ("GBP 2.5M", Money(2500000, "GBP")),
    ("CHF 1,200", Money(1200, "CHF")),
    ("1,200 CHF", Money(1200, "CHF")),
    ("CHF -1,200", Money(-1200, "CHF")),
    (f"$7K{EN}$9K", rng(7000, 9000)),
    (f"$7K {EM} $9K", rng(7000, 9000)),
    ("$7K - $9K", rng(7000, 9000)),
    ("$7K to $9K", rng(7000, 9000)),
    (f"$7{EN}$9K", rng(7000, 9000)),
    ("$500-1.2K", rng(500, 1200)),
    ("$1-2K", rng(1000, 2000)),
    ("7 to 9 thousand", rng(7000, 9000)),
    ("5 thousand", usd(5000)),
    ("$2.5 million", usd(2500000)),
    ("1.5 billion", usd(1500000000)),
    ("3", usd(3)),
    ("7500.50", usd("7500.50")),
    (".5K", usd(500)),
    ("  $7,500  ", usd(7500)),
    (f"-$300{EN}-$200", rng(-300, -200)),
    (f"CHF -9{EN}-7K", rng(-9000, -7000, currency="CHF")),
    ("1,000-2,000 EUR", rng(1000, 2000, currency="EUR")),
    ("about $5K", point(5000, approximate=True)),
    ("About $5K", point(5000, approximate=True)),
    ("approx $5K", point(5000, approximate=True)),
    ("approx. $5K", point(5000, approximate=True)),
    ("approximately 7-9k", rng(7000, 9000, approximate=True)),
    ("roughly $8K a month", point(8000, Cadence.MONTH, True)),
    ("~$5K", point(5000, approximate=True)),
    ("~ $5K", point(5000, approximate=True)),
    ("\u2248$5K", point(5000, approximate=True)),
    ("$8K/mo", point(8000, Cadence.MONTH)),
    ("$8K/month", point(8000, Cadence.MONTH)),
    ("$8K / mo", point(8000, Cadence.MONTH)),
    ("$8K per month", point(8000, Cadence.MONTH)),
    ("$8K a month", point(8000, Cadence.MONTH)),
    ("$8K monthly", point(8000, Cadence.MONTH)),
    ("$8K Monthly", point(8000, Cadence.MONTH)),
    ("$90K/yr", point(90000, Cadence.YEAR)),
    ("$90K/year", point(90000, Cadence.YEAR)),
    ("$90K per year", point(90000, Cadence.YEAR)),
    ("$90K annually", point(90000, Cadence.YEAR)),
    ("$90K a year", point(90000, Cadence.YEAR)),
    ("$90K p.a.", point(90000, Cadence.YEAR)),
    ("$2K/wk", point(2000, Cadence.WEEK)),
    ("$2K/week", point(2000, Cadence.WEEK)),
    ("$2K per week", point(2000, Cadence.WEEK)),
    ("$2K weekly", point(2000, Cadence.WEEK)),
    ("$300/day", point(300, Cadence.DAY)),
    ("$300 per day", point(300, Cadence.DAY)),
    ("$300 daily", point(300, Cadence.DAY)),
    ("$15K/qtr", point(15000, Cadence.QUARTER)),
    ("$15K/quarter", point(15000, Cadence.QUARTER)),
    ("$15K per quarter", point(15000, Cadence.QUARTER)),
    ("$15K quarterly", point(15000, Cadence.QUARTER)),
    ("$5 million a year", point(5000000, Cadence.YEAR)),
    (f"$7{EN}7", rng(7, 7)),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES, ids=[case[0] for case in PARSE_CASES])
def test_parse_money(text: str, expected: Money | MoneyRange) -> None:
    same(parse_money(text), expected)


def test_parse_money_exact_decimals() -> None:
    parsed = parse_money("$1,234,567.89")
    assert isinstance(parsed, Money)
    assert parsed.amount == D("1234567.89")
    assert parse_money("$0.0001") == usd("0.0001")


def test_parse_money_default_currency() -> None:
    assert parse_money("7-9k", default_currency="EUR") == rng(7000, 9000, currency="EUR")
    assert parse_money("$5", default_currency="EUR") == usd(5)
    assert parse_money("5 GBP", default_currency="EUR") == Money(5, "GBP")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected a money amount"),
        ("   ", "expected a money amount"),
        ("$", "expected a number"),
        ("abc", "expected a number or a currency sign"),
        (f"$7K{EN}$3K", "runs backwards"),
        ("$5 USD EUR", "expected the end of the amount"),
        ("$5 EUR", "already in USD"),
        (f"$7K{EN}{EURO}9K", "different currencies"),
        ("7,50", "expected the end"),
        ("(5", "closing parenthesis"),
        ("(-5)", "expected a number"),
        ("-$-5", "expected a number"),
        ("~", "expected a number"),
        (f"$7K{EN}", "expected a number"),
        ("$5/fortnight", "expected the end"),
        ("1.2.3", "expected the end"),
        ("3 boats", "expected the end"),
        ("$5 and $6", "expected the end"),
        ("$5Kg", "expected the end"),
        ("36%", "expected the end"),
        ("$5\n$6", "expected the end"),
    ],
)
def test_parse_money_errors(text: str, fragment: str) -> None:
    with pytest.raises(MoneyParseError) as info:
        parse_money(text)
    message = str(info.value)
    assert fragment in message
    assert repr(text) in message
    assert isinstance(info.value, ValueError)


# ----------------------------------------------------------------------------- extract_money

EXTRACT_CASES: list[tuple[str, Money | MoneyRange, str]] = [
    (f"~$7{EN}9K/mo (fuel and slip fees)", rng(7000, 9000, Cadence.MONTH, True), f"~$7{EN}9K/mo"),
    ("we burn roughly $8K a month", point(8000, Cadence.MONTH, True), "roughly $8K a month"),
    ("We have 3 boats and $40K in the bank.", usd(40000), "$40K"),
    ("Q4 2026 revenue: 7-9k", rng(7000, 9000), "7-9k"),
    ("invoice 2026-11 for USD 3,676.00.", usd("3676.00"), "USD 3,676.00"),
    ("Costs: ($1,200) net", usd(-1200), "($1,200)"),
    (f"Between 2020 and 2024 we spent {EURO}1.2M on boats", Money(1200000, "EUR"), f"{EURO}1.2M"),
    ("line one $5K\n- $3K", usd(5000), "$5K"),
    ("$5K - 3 boats", usd(5000), "$5K"),
    ("fees: 3,676.00 USD, paid", usd("3676.00"), "3,676.00 USD"),
    ("slip is $450/mo, fuel extra", point(450, Cadence.MONTH), "$450/mo"),
    ("about 5 people spent about $5K", point(5000, approximate=True), "about $5K"),
    ("priced at $7,500.", usd(7500), "$7,500"),
    ("2.5m raised", usd(2500000), "2.5m"),
    ("-$300 refund", usd(-300), "-$300"),
]


@pytest.mark.parametrize(
    ("text", "expected", "span_text"), EXTRACT_CASES, ids=[case[0] for case in EXTRACT_CASES]
)
def test_extract_money(text: str, expected: Money | MoneyRange, span_text: str) -> None:
    found = extract_money(text)
    assert found is not None
    value, (start, end) = found
    same(value, expected)
    assert text[start:end] == span_text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3 boats",
        "no money here",
        "about 5 people",
        "PHP 8 upgrade",
        "AWS 3 accounts",
        "version 1.5 (build 2026-11)",
        "(fuel and slip fees)",
        "$ and more",
        "v2k upgrade",
    ],
)
def test_extract_money_none(text: str) -> None:
    assert extract_money(text) is None


# ----------------------------------------------------------------------------- format_money

FORMAT_CASES: list[tuple[Money | MoneyRange, bool | None, str]] = [
    (usd(7500), None, "$7,500"),
    (usd("7500.00"), None, "$7,500"),
    (usd("7500.50"), None, "$7,500.50"),
    (usd("7500.5"), None, "$7,500.50"),
    (usd(-1200), None, "-$1,200"),
    (usd("0.125"), None, "$0.125"),
    (usd(0), None, "$0"),
    (Money(300, "EUR"), None, f"{EURO}300"),
    (Money(300, "GBP"), None, f"{POUND}300"),
    (Money(1200, "CHF"), None, "CHF 1,200"),
    (Money(-1200, "CHF"), None, "CHF -1,200"),
    (usd(7500), False, "$7,500"),
    (usd(7500), True, "$7.5K"),
    (usd(1200000), True, "$1.2M"),
    (usd(12000), True, "$12K"),
    (usd(1250000), True, "$1.25M"),
    (usd(3000000000), True, "$3B"),
    (usd(-7500), True, "-$7.5K"),
    (usd("7500.50"), True, "$7,500.50"),
    (usd(1234), True, "$1,234"),
    (usd(500), True, "$500"),
    (Money(1200, "CHF"), True, "CHF 1.2K"),
    (rng(7000, 9000, Cadence.MONTH, True), True, f"~$7{EN}9K/mo"),
    (rng(7000, 9000, Cadence.MONTH, True), None, f"~$7,000{EN}9,000/mo"),
    (rng(500, 1200), True, f"$500{EN}1.2K"),
    (rng(1, 1200), True, f"$1{EN}1,200"),
    (rng(0, 5000), True, f"$0{EN}5K"),
    (rng(10000, 50000), True, f"$10{EN}50K"),
    (rng(500000, 1200000), True, f"$500K{EN}1.2M"),
    (rng(-2000, 5), True, "-$2K to $5"),
    (rng(-300, -200), None, "-$300 to -$200"),
    (rng(7000, 9000, Cadence.YEAR, currency="EUR"), True, f"{EURO}7{EN}9K/yr"),
    (rng(7000, 9000, Cadence.WEEK, currency="CHF"), True, f"CHF 7{EN}9K/wk"),
    (rng(50, 84, Cadence.DAY), None, f"$50{EN}84/day"),
    (rng(50, 84, Cadence.QUARTER), None, f"$50{EN}84/qtr"),
    (point(7500, Cadence.MONTH), None, "$7,500/mo"),
    (point(7500, approximate=True), True, "~$7.5K"),
    (point(7500), None, f"$7,500{EN}7,500"),
]


@pytest.mark.parametrize(
    ("value", "compact", "text"), FORMAT_CASES, ids=[case[2] for case in FORMAT_CASES]
)
def test_format_money(value: Money | MoneyRange, compact: bool | None, text: str) -> None:
    assert format_money(value, compact=compact) == text
    same(parse_money(text, default_currency=value.currency), value)
    if compact is None:
        assert str(value) == text


def test_format_money_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        format_money(Decimal(1))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- properties

CURRENCIES = st.sampled_from(["USD", "EUR", "GBP", "CHF", "JPY"])
CENTS = st.integers(min_value=-(10**14), max_value=10**14).map(lambda cents: Decimal(cents) / 100)
ROUND = st.builds(
    lambda mantissa, scale: Decimal(mantissa) * scale,
    st.integers(min_value=-999, max_value=999),
    st.sampled_from([1, 10, 100, 1000, 10**4, 10**5, 10**6, 10**7, 10**8, 10**9]),
)
AMOUNTS = st.one_of(CENTS, ROUND)
CADENCES = st.sampled_from([None, *Cadence])


@st.composite
def money_ranges(draw: st.DrawFn) -> MoneyRange:
    currency = draw(CURRENCIES)
    a, b = sorted([draw(AMOUNTS), draw(AMOUNTS)])
    if draw(st.booleans()):
        b = a
    return MoneyRange(Money(a, currency), Money(b, currency), draw(CADENCES), draw(st.booleans()))


def _check_round_trip(value: Money | MoneyRange, compact: bool | None) -> None:
    text = format_money(value, compact=compact)
    same(parse_money(text, default_currency=value.currency), value)
    found = extract_money(f"Budget: {text} (est.)")
    assert found is not None
    same(found[0], value)
    assert found[1] == (8, 8 + len(text))


@settings(max_examples=150, deadline=None)
@given(AMOUNTS, CURRENCIES, st.sampled_from([None, False, True]))
def test_money_format_round_trip(amount: Decimal, currency: str, compact: bool | None) -> None:
    _check_round_trip(Money(amount, currency), compact)


@settings(max_examples=150, deadline=None)
@given(money_ranges(), st.sampled_from([None, True]))
def test_range_format_round_trip(value: MoneyRange, compact: bool | None) -> None:
    _check_round_trip(value, compact)


@settings(max_examples=100, deadline=None)
@given(AMOUNTS)
def test_compact_is_only_used_when_lossless(amount: Decimal) -> None:
    text = format_money(Money(amount), compact=True)
    if text[-1] in "KMB":
        digits = text.rstrip("KMB").lstrip("-$")
        assert len(digits.partition(".")[2]) <= 2
    else:
        assert text == format_money(Money(amount))


@settings(max_examples=100, deadline=None)
@given(AMOUNTS, CURRENCIES)
def test_money_dict_round_trip_property(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    assert Money.from_dict(money.to_dict()) == money
    assert Decimal(money.to_dict()["amount"]) == amount


@settings(max_examples=100, deadline=None)
@given(money_ranges())
def test_range_dict_round_trip_property(value: MoneyRange) -> None:
    assert MoneyRange.from_dict(value.to_dict()) == value


@settings(max_examples=100, deadline=None)
@given(money_ranges(), money_ranges(), st.data())
def test_interval_arithmetic_contains_pointwise_results(
    a: MoneyRange, b: MoneyRange, data: st.DataObject
) -> None:
    b = MoneyRange(Money(b.low.amount, a.currency), Money(b.high.amount, a.currency), a.cadence)
    x = Money(
        data.draw(st.sampled_from([a.low.amount, a.high.amount, a.midpoint.amount])), a.currency
    )
    y = Money(
        data.draw(st.sampled_from([b.low.amount, b.high.amount, b.midpoint.amount])), a.currency
    )
    k = data.draw(st.integers(min_value=-5, max_value=5))
    assert (a + b).contains(x + y)
    assert (a - b).contains(x - y)
    assert (a * k).contains(x * k)
    assert (-a).contains(-x)


@settings(max_examples=100, deadline=None)
@given(money_ranges())
def test_month_year_conversion_is_exact(value: MoneyRange) -> None:
    monthly = MoneyRange(value.low, value.high, Cadence.MONTH, value.approximate)
    assert monthly.per(Cadence.YEAR).per(Cadence.MONTH) == monthly
    assert monthly.per(Cadence.QUARTER).low == monthly.low * 3


PERCENTS = st.builds(
    lambda mantissa, exponent: Decimal(mantissa).scaleb(exponent),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-4, max_value=2),
)


@settings(max_examples=100, deadline=None)
@given(PERCENTS)
def test_percent_round_trip(value: Decimal) -> None:
    percent = Percent(value)
    assert parse_percent(str(percent)) == percent
    assert Percent.from_dict(percent.to_dict()) == percent
    assert Percent.from_fraction(percent.fraction) == percent
    assert parse_percent_range(str(percent)) == (percent, percent)


@settings(max_examples=100, deadline=None)
@given(PERCENTS, PERCENTS)
def test_percent_range_round_trip(a: Decimal, b: Decimal) -> None:
    low, high = sorted([Percent(a), Percent(b)])
    assert parse_percent_range(f"{_bare(low)}{EN}{high}") == (low, high)


def _bare(percent: Percent) -> str:
    return str(percent).rstrip("%")


PERIODS = st.builds(
    lambda year, number, quarterly: (
        Period.quarter(year, number % 4 + 1) if quarterly else Period.month(year, number)
    ),
    st.integers(min_value=2, max_value=9998),
    st.integers(min_value=1, max_value=12),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(PERIODS)
def test_period_round_trip(period: Period) -> None:
    assert Period.parse(str(period)) == period
    assert Period.from_dict(period.to_dict()) == period
    assert period.next().previous() == period
    assert period.previous() < period < period.next()
    assert period.next().start == period.end + timedelta(days=1)
    assert Period.containing(period.start, period.kind) == period
    assert Period.containing(period.end, period.kind) == period
    months = period.months()
    assert months[0].start == period.start and months[-1].end == period.end
    assert all(period.contains(month.start) for month in months)


def test_a_run_reports_the_last_complete_period() -> None:
    from datetime import date

    from execbrief.values import Period

    assert Period.last_complete(date(2026, 12, 1)) == Period.month(2026, 11)
    assert Period.last_complete(date(2026, 11, 20)) == Period.month(2026, 10)
    # An as-of on a period's last day completes it (the data windows already counted it so:
    # books.trailing as of 2027-01-31 ends with 2027-01), so the period named is that one.
    assert Period.last_complete(date(2027, 1, 31)) == Period.month(2027, 1)
    assert Period.last_complete(date(2026, 11, 30)) == Period.month(2026, 11)
    assert Period.last_complete(date(2026, 11, 29)) == Period.month(2026, 10)
    assert Period.last_complete(date(2026, 11, 1)) == Period.month(2026, 10)
    assert Period.last_complete(date(2024, 2, 29)) == Period.month(2024, 2)
    assert Period.last_complete(date(2026, 12, 1), "quarter") == Period.quarter(2026, 3)
    assert Period.last_complete(date(2026, 9, 30), "quarter") == Period.quarter(2026, 3)
    assert Period.last_complete(date(2026, 9, 29), "quarter") == Period.quarter(2026, 2)
    assert Period.last_complete(date(2026, 12, 31), "quarter") == Period.quarter(2026, 4)
    assert Period.month(2026, 11).label() == "November 2026"
    assert Period.quarter(2026, 4).label() == "Q4 2026"


def test_brief_text_rounds_the_dollar_amounts_of_a_sentence_and_nothing_else() -> None:
    from execbrief.precision import brief_text

    assert brief_text("Add $2,292.97/mo of revenue (or cut $1,726.72/mo).") == (
        "Add $2.3K/mo of revenue (or cut $1.7K/mo)."
    )
    assert brief_text("spend $16.65–17.73/mo; already $1.7K and $8.5–20.9K/mo") == (
        "spend $17–18/mo; already $1.7K and $8.5–20.9K/mo"
    )
    assert brief_text("-$250 net; $99.18/mo at 20%; $0.50 each; v1.2; 12.5 units") == (
        "-$250 net; $99/mo at 20%; $0.50 each; v1.2; 12.5 units"
    )
