"""A remembering formatter writes every value as the formatter does, including values that are
equal but stored with other digits (``7500`` and ``7500.00``, ``1.5E+60`` and ``1.50E+60``)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.findings import MetricValue
from execbrief.renderers.formatting import format_brief_value, format_value, remembering
from execbrief.values import Cadence, Money, MoneyRange, Percent

#: Digits and exponents of equal numbers written apart, small and beyond 60 digits.
_NUMBERS = st.builds(
    lambda digits, zeros, exponent, negative: Decimal(
        f"{'-' if negative else ''}{digits}{'0' * zeros}E{exponent - zeros}"
    ),
    st.sampled_from(["0", "1", "15", "75", "7500", "123456789", "5"]),
    st.integers(0, 3),
    st.sampled_from([-70, -64, -3, -2, -1, 0, 1, 2, 3, 58, 60, 62]),
    st.booleans(),
)
_MONEY = st.builds(Money, _NUMBERS, st.sampled_from(["USD", "EUR", "CHF"]))
_RANGES = st.builds(
    lambda low, high, currency, cadence, approximate: MoneyRange(
        Money(min(low, high), currency), Money(max(low, high), currency), cadence, approximate
    ),
    _NUMBERS,
    _NUMBERS,
    st.sampled_from(["USD", "EUR"]),
    st.sampled_from([None, *Cadence]),
    st.booleans(),
)
_VALUES = st.one_of(
    _MONEY,
    _RANGES,
    st.builds(Percent, _NUMBERS.filter(lambda n: abs(n) < Decimal("1E+20"))),
    _NUMBERS,
    st.sampled_from([None, True, False, 0, 1, 1234567, "", "ok", date(2026, 11, 20)]),
)


@pytest.mark.parametrize("format", [format_value, format_brief_value])
@settings(max_examples=300, deadline=None)
@given(values=st.lists(_VALUES, max_size=30))
def test_a_remembering_formatter_writes_what_the_formatter_writes(
    format: Callable[[MetricValue], str], values: list[MetricValue]
) -> None:
    formatted = remembering(format)
    assert [_written(formatted, v) for v in values] == [_written(format, v) for v in values]


def _written(format: Callable[[MetricValue], str], value: MetricValue) -> str:
    try:
        return str(format(value))
    except ArithmeticError as error:  # a brief's rounding refuses what does not fit
        return repr(error)


def test_equal_amounts_written_apart_stay_apart() -> None:
    formatted = remembering(format_value)
    assert formatted(Money(Decimal("1.50E+60"))) == format_value(Money(Decimal("1.50E+60")))
    assert formatted(Money(Decimal("1.5E+60"))) == format_value(Money(Decimal("1.5E+60")))
    assert format_value(Money(Decimal("1.50E+60"))) != format_value(Money(Decimal("1.5E+60")))
