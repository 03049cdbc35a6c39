"""Money and Percent pickle as one call of their Decimal's text (``Money.__reduce__``): what
unpickles is the value that was pickled, to the digit, exponent and currency (the second run
renders the reports it kept from them)."""

from __future__ import annotations

import pickle
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from execbrief.values import Money, Percent

DECIMALS = st.decimals(allow_nan=False, allow_infinity=False)
#: Amounts a ledger holds (quantizing to cents fails past the context's 28 digits).
AMOUNTS = st.decimals(min_value=-(10**12), max_value=10**12, places=6)
CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "GBP"])


def _same_decimal(one: Decimal, other: Decimal) -> bool:
    """Equal as a Decimal is written: sign, digits and exponent (2.50 is not 2.5)."""
    return one.as_tuple() == other.as_tuple()


@given(DECIMALS, CURRENCIES)
def test_money_unpickles_as_it_was(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(money, protocol=protocol))
        assert type(back) is Money and back == money
        assert _same_decimal(back.amount, money.amount) and back.currency == money.currency
        assert list(back.__dict__.items()) == list(money.__dict__.items())
        assert str(back) == str(money)


@given(AMOUNTS, CURRENCIES)
def test_money_made_by_arithmetic_unpickles_as_it_was(amount: Decimal, currency: str) -> None:
    money = (Money(amount, currency) * Decimal("1.0005")).quantize()
    back = pickle.loads(pickle.dumps(money))
    assert _same_decimal(back.amount, money.amount) and back == money


@given(DECIMALS)
def test_percent_unpickles_as_it_was(value: Decimal) -> None:
    percent = Percent(value)
    back = pickle.loads(pickle.dumps(percent))
    assert type(back) is Percent and back == percent
    assert _same_decimal(back.value, percent.value)
    assert list(back.__dict__.items()) == list(percent.__dict__.items())


def test_the_amount_is_pickled_as_text() -> None:
    money = Money("2.50", "EUR")
    assert money.__reduce__()[1] == ("2.50", "EUR")
    assert Percent("36.0").__reduce__()[1] == ("36.0",)
