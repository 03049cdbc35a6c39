"""Money, money ranges, percentages and calendar periods.

The value objects every other module counts with. All amounts are :class:`~decimal.Decimal`
(never ``float``) and carry their currency; ranges are first-class, so "~$7–9K/mo" is a
:class:`MoneyRange` of 7,000..9,000 per month and arithmetic keeps the range.

Everything here is deterministic and free of I/O. Each value is a frozen dataclass with
``to_dict``/``from_dict`` for JSON:

* ``Money.to_dict()`` -> ``{"amount": "7500.00", "currency": "USD"}`` (the amount is an exact
  decimal string, with at least two decimals).
* ``MoneyRange.to_dict()`` -> ``{"low": "7000.00", "high": "9000.00", "currency": "USD",
  "cadence": "month", "approximate": true}`` (``cadence`` may be ``null``).
* ``Percent.to_dict()`` -> ``{"value": "36"}`` (percent units, exact).
* ``Period.to_dict()`` -> ``{"period": "2026-11"}``; ``Period.from_dict`` also accepts the
  bare string ``"2026-11"``.

Parsing and formatting:

* :func:`parse_money` reads one whole money expression as people write it in notes
  (``$7,500``, ``$7.5K``, ``~$7–9K/mo``, ``(1,200)``, ``USD 3,676.00``, ``$7K to $9K``...).
* :func:`extract_money` finds the first money expression inside free text.
* :func:`format_money` writes Money and ranges in the house style; its output always parses
  back to an equal value.
* :func:`parse_percent`, :func:`parse_percent_range` and :func:`parse_period` do the same for
  percentages and periods.

The formatter is lossless: it prints every significant digit (``$0.125`` stays ``$0.125``), so
call :meth:`Money.quantize` first when a report wants whole cents.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Final, Literal, NamedTuple, overload

__all__ = [
    "KNOWN_CURRENCY_CODES",
    "Cadence",
    "CurrencyMismatch",
    "Money",
    "MoneyParseError",
    "MoneyRange",
    "Percent",
    "PercentParseError",
    "Period",
    "PeriodKind",
    "PeriodParseError",
    "extract_money",
    "format_money",
    "parse_money",
    "parse_percent",
    "parse_percent_range",
    "parse_period",
]

CENT: Final = Decimal("0.01")

# Written as escapes so that no look-alike of an ASCII character hides in the source.
_EN_DASH: Final = "\u2013"
_EM_DASH: Final = "\u2014"
_FIGURE_DASH: Final = "\u2012"
_MINUS_SIGN: Final = "\u2212"
_ALMOST_EQUAL: Final = "\u2248"
_EURO: Final = "\u20ac"
_POUND: Final = "\u00a3"

#: Currency codes that :func:`extract_money` recognises in free text. :func:`parse_money`
#: accepts any three capital letters, since the whole string is known to be an amount.
KNOWN_CURRENCY_CODES: Final = frozenset(
    {
        "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "HKD",
        "SGD", "SEK", "NOK", "DKK", "PLN", "CZK", "MXN", "BRL", "INR", "ZAR",
    }
)  # fmt: skip

_SYMBOL_CURRENCY: Final = {"US$": "USD", "$": "USD", _EURO: "EUR", _POUND: "GBP"}
_CURRENCY_SYMBOL: Final = {"USD": "$", "EUR": _EURO, "GBP": _POUND}
_RE_CURRENCY_CODE: Final = re.compile(r"[A-Z]{3}")


# --------------------------------------------------------------------------- errors


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""


class MoneyParseError(ValueError):
    """Text could not be read as a money amount; the message quotes it and says what was expected."""


class PercentParseError(ValueError):
    """Text could not be read as a percentage."""


class PeriodParseError(ValueError):
    """Text could not be read as a calendar month ("2026-11") or quarter ("2026-Q4")."""


# --------------------------------------------------------------------------- helpers


def _coerce_decimal(value: object, what: str) -> Decimal:
    """Turn a Decimal, int or decimal string into a finite Decimal; refuse floats."""
    if type(value) is Decimal and value.is_finite():  # the common case, first
        return value.copy_abs() if value.is_zero() and value.is_signed() else value
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a Decimal, int or decimal string, not a bool")
    if isinstance(value, float):
        raise TypeError(
            f"{what} must not be a float (got {value!r}): use a Decimal or a string "
            "such as '7500.00'"
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{what} must be a decimal number, got {value!r}") from None
    else:
        raise TypeError(
            f"{what} must be a Decimal, int or decimal string, not {type(value).__name__}"
        )
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if result.is_zero() and result.is_signed():
        result = result.copy_abs()  # one zero, so "-$0" never appears
    return result


def _scalar(value: object) -> Decimal | None:
    """The Decimal for an arithmetic operand, or None when the operand is not a scalar."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        return None
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"cannot scale money by {value!r}")
    return result


def _normalize_currency(code: object) -> str:
    """Upper-case a three-letter currency code, or raise ValueError/TypeError."""
    if type(code) is str and (known := _CHECKED_CODES.get(code)) is not None:
        return known
    if not isinstance(code, str):
        raise TypeError(f"currency must be a string such as 'USD', not {type(code).__name__}")
    upper = code.strip().upper()
    if not _RE_CURRENCY_CODE.fullmatch(upper):
        raise ValueError(f"currency must be a three-letter code such as 'USD', got {code!r}")
    if len(_CHECKED_CODES) < 1024:
        _CHECKED_CODES[code] = upper
    return upper


#: Currency codes as written -> their checked form: a run builds Money hundreds of thousands of
#: times from a handful of codes.
_CHECKED_CODES: dict[str, str] = {}


def _plain(value: Decimal) -> str:
    """Fixed-point text for a Decimal with trailing fractional zeros removed ("7.50" -> "7.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _exact_string(value: Decimal) -> str:
    """Exact fixed-point text with at least two decimals: the JSON form of an amount."""
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _mapping(data: object, owner: str) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise TypeError(f"{owner}.from_dict expects a mapping, got {type(data).__name__}")
    return data


def _field(data: Mapping[str, object], key: str, owner: str) -> object:
    if key not in data:
        raise ValueError(f"{owner}.from_dict: missing {key!r} in {dict(data)!r}")
    return data[key]


def _amount_field(data: Mapping[str, object], key: str, owner: str) -> Decimal | int | str:
    value = _field(data, key, owner)
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(
            f"{owner}.from_dict: {key!r} must be a decimal string such as '7500.00', got {value!r}"
        )
    return value


def _str_field(data: Mapping[str, object], key: str, owner: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise TypeError(f"{owner}.from_dict: {key!r} must be a string, got {value!r}")
    return value


# --------------------------------------------------------------------------- cadence


class Cadence(StrEnum):
    """How often an amount recurs."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    def per_month_factor(self) -> Decimal:
        """How many of this cadence fit in a month: an amount per cadence times this is per month."""
        numerator, denominator = _PER_MONTH[self]
        return Decimal(numerator) / Decimal(denominator)

    @property
    def suffix(self) -> str:
        """The short suffix used when formatting: "/mo", "/yr", "/wk", "/day", "/qtr"."""
        return _CADENCE_SUFFIX[self]


# Exact fractions (numerator, denominator) of each cadence per month.
_PER_MONTH: Final[dict[Cadence, tuple[int, int]]] = {
    Cadence.DAY: (365, 12),
    Cadence.WEEK: (52, 12),
    Cadence.MONTH: (1, 1),
    Cadence.QUARTER: (1, 3),
    Cadence.YEAR: (1, 12),
}
_CADENCE_SUFFIX: Final[dict[Cadence, str]] = {
    Cadence.DAY: "/day",
    Cadence.WEEK: "/wk",
    Cadence.MONTH: "/mo",
    Cadence.QUARTER: "/qtr",
    Cadence.YEAR: "/yr",
}


# --------------------------------------------------------------------------- money

_new_object = object.__new__


@dataclass(frozen=True, init=False)
class Money:
    """An exact amount of one currency.

    ``Money(7500)``, ``Money("7500.00")`` and ``Money(Decimal("7500"), "USD")`` are equal; floats
    are refused with TypeError, NaN and infinities with ValueError. Amounts of different
    currencies never mix: adding or comparing them raises :class:`CurrencyMismatch`.
    """

    amount: Decimal
    currency: str = "USD"

    def __init__(self, amount: Decimal | int | str, currency: str = "USD") -> None:
        # The fields go straight into the instance's dict (the frozen ``__setattr__`` refuses
        # them): a run makes Money hundreds of thousands of times, and ``object.__setattr__``
        # per field was a third of making one.
        fields = self.__dict__
        fields["amount"] = _coerce_decimal(amount, "Money amount")
        fields["currency"] = _normalize_currency(currency)

    @staticmethod
    def _exact(amount: Decimal, currency: str) -> Money:
        """Money from parts already checked (the result of arithmetic on two Money): the amount
        is a finite Decimal, the currency a checked code; only the zero is made unsigned."""
        money = _new_object(Money)
        if amount.is_zero() and amount.is_signed():
            amount = amount.copy_abs()
        fields = money.__dict__
        fields["amount"] = amount
        fields["currency"] = currency
        return money

    def __reduce__(self) -> tuple[Callable[[str, str], Money], tuple[str, str]]:
        """Pickled as one call of its amount's text and its currency (``_money_of_text``), not
        as a class, a state dict and a Decimal reduced on its own: the built reports of 1,000
        entities hold 200,000 Money, and pickled this way (with Percent) their pickling for the
        store costs a fifth fewer instructions (callgrind). ``str`` of a Decimal is exact (sign,
        digits and exponent), as Decimal's own pickling relies on."""
        return _money_of_text, (str(self.amount), self.currency)

    @classmethod
    def zero(cls, currency: str = "USD") -> Money:
        """Zero in ``currency``."""
        return cls(Decimal(0), currency)

    @property
    def is_zero(self) -> bool:
        """True when the amount is zero."""
        return self.amount.is_zero()

    def quantize(self, exp: Decimal = CENT) -> Money:
        """Round to cents (or to ``exp``), half away from zero."""
        # the rounding passed by place: as a keyword, Decimal.quantize took twice as long
        return Money._exact(self.amount.quantize(exp, ROUND_HALF_UP), self.currency)

    def _same_currency(self, other: Money, action: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(
                f"cannot {action} {self.currency} and {other.currency} amounts: {self} and {other}"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add")
        return Money._exact(self.amount + other.amount, self.currency)

    def __radd__(self, other: int) -> Money:
        # Lets the built-in sum() start from its default 0.
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money._exact(self.amount - other.amount, self.currency)

    def __mul__(self, other: Decimal | int) -> Money:
        factor = _scalar(other)
        if factor is None:
            return NotImplemented
        return Money._exact(self.amount * factor, self.currency)

    def __rmul__(self, other: Decimal | int) -> Money:
        return self.__mul__(other)

    @overload
    def __truediv__(self, other: Money) -> Decimal: ...

    @overload
    def __truediv__(self, other: Decimal | int) -> Money: ...

    def __truediv__(self, other: Money | Decimal | int) -> Money | Decimal:
        """Divide by a scalar (giving Money) or by Money of the same currency (giving a ratio)."""
        if isinstance(other, Money):
            self._same_currency(other, "divide")
            if other.is_zero:
                raise ZeroDivisionError(f"cannot divide {self} by {other}")
            return self.amount / other.amount
        divisor = _scalar(other)
        if divisor is None:
            return NotImplemented
        if divisor.is_zero():
            raise ZeroDivisionError(f"cannot divide {self} by zero")
        return Money._exact(self.amount / divisor, self.currency)

    def __neg__(self) -> Money:
        return Money._exact(self.amount.copy_negate(), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._exact(self.amount.copy_abs(), self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        return format_money(self)

    def to_dict(self) -> dict[str, str]:
        """``{"amount": "7500.00", "currency": "USD"}``; the amount string is exact."""
        return {"amount": _exact_string(self.amount), "currency": self.currency}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Money:
        """Inverse of :meth:`to_dict`; ``currency`` defaults to USD, float amounts are refused."""
        data = _mapping(data, "Money")
        amount = _amount_field(data, "amount", "Money")
        return cls(amount, _str_field(data, "currency", "Money", "USD"))


def _money_of_text(amount: str, currency: str) -> Money:
    """The Money ``Money.__reduce__`` pickled: its fields as they were, unchecked (only ever
    unpickled from what this program pickled)."""
    money = _new_object(Money)
    fields = money.__dict__
    fields["amount"] = Decimal(amount)
    fields["currency"] = currency
    return money


@dataclass(frozen=True)
class MoneyRange:
    """An inclusive range ``low..high`` of one currency, optionally per ``cadence``.

    Arithmetic is interval arithmetic: ``a - b`` is ``a.low - b.high .. a.high - b.low``, and
    scaling by a negative number swaps the ends. Combining two ranges with different cadences
    raises ValueError (convert one with :meth:`per` first); a range without a cadence takes the
    other's. The result is approximate when either operand is.
    """

    low: Money
    high: Money
    cadence: Cadence | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.low, Money) or not isinstance(self.high, Money):
            raise TypeError("MoneyRange ends must be Money")
        if self.low.currency != self.high.currency:
            raise CurrencyMismatch(
                f"MoneyRange ends must share a currency: {self.low} and {self.high}"
            )
        if self.low.amount > self.high.amount:
            raise ValueError(f"MoneyRange low end {self.low} is above its high end {self.high}")
        if self.cadence is not None and not isinstance(self.cadence, Cadence):
            object.__setattr__(self, "cadence", Cadence(self.cadence))
        if not isinstance(self.approximate, bool):
            raise TypeError(f"MoneyRange.approximate must be a bool, got {self.approximate!r}")

    @classmethod
    def point(
        cls, money: Money, cadence: Cadence | None = None, *, approximate: bool = False
    ) -> MoneyRange:
        """The range holding just ``money``."""
        return cls(money, money, cadence, approximate)

    @property
    def currency(self) -> str:
        """The currency of both ends."""
        return self.low.currency

    @property
    def midpoint(self) -> Money:
        """The middle of the range."""
        return Money((self.low.amount + self.high.amount) / 2, self.currency)

    @property
    def width(self) -> Money:
        """``high - low``."""
        return self.high - self.low

    @property
    def is_point(self) -> bool:
        """True when low equals high."""
        return self.low.amount == self.high.amount

    def contains(self, money: Money) -> bool:
        """True when ``low <= money <= high``; a different currency raises CurrencyMismatch."""
        return self.low <= money <= self.high

    def quantize(self, exp: Decimal = CENT) -> MoneyRange:
        """Both ends rounded to cents (or ``exp``), half away from zero."""
        return MoneyRange(
            self.low.quantize(exp), self.high.quantize(exp), self.cadence, self.approximate
        )

    def per(self, cadence: Cadence | str) -> MoneyRange:
        """The same range expressed per ``cadence`` (e.g. per month -> per year is times 12)."""
        target = Cadence(cadence)
        if self.cadence is None:
            raise ValueError(f"cannot convert {self} to per {target}: the range has no cadence")
        if target == self.cadence:
            return self
        from_num, from_den = _PER_MONTH[self.cadence]
        to_num, to_den = _PER_MONTH[target]
        numerator, denominator = from_num * to_den, from_den * to_num
        common = math.gcd(numerator, denominator)
        numerator, denominator = numerator // common, denominator // common

        def convert(money: Money) -> Money:
            amount = money.amount * numerator
            if denominator != 1:
                amount = amount / denominator
            return Money(amount, money.currency)

        return MoneyRange(convert(self.low), convert(self.high), target, self.approximate)

    def _cadence_with(self, other: MoneyRange) -> Cadence | None:
        if self.cadence is None:
            return other.cadence
        if other.cadence is None or other.cadence == self.cadence:
            return self.cadence
        raise ValueError(
            f"cannot combine a per-{self.cadence} range with a per-{other.cadence} range: "
            "convert one with .per() first"
        )

    def __add__(self, other: Money | MoneyRange) -> MoneyRange:
        if isinstance(other, Money):
            return MoneyRange(self.low + other, self.high + other, self.cadence, self.approximate)
        if isinstance(other, MoneyRange):
            return MoneyRange(
                self.low + other.low,
                self.high + other.high,
                self._cadence_with(other),
                self.approximate or other.approximate,
            )
        return NotImplemented

    def __radd__(self, other: Money | int) -> MoneyRange:
        if isinstance(other, Money):
            return self.__add__(other)
        if type(other) is int and other == 0:  # sum() starts from 0
            return self
        return NotImplemented

    def __sub__(self, other: Money | MoneyRange) -> MoneyRange:
        if isinstance(other, Money):
            return MoneyRange(self.low - other, self.high - other, self.cadence, self.approximate)
        if isinstance(other, MoneyRange):
            return MoneyRange(
                self.low - other.high,
                self.high - other.low,
                self._cadence_with(other),
                self.approximate or other.approximate,
            )
        return NotImplemented

    def __rsub__(self, other: Money) -> MoneyRange:
        if not isinstance(other, Money):
            return NotImplemented
        return MoneyRange(other - self.high, other - self.low, self.cadence, self.approximate)

    def __mul__(self, other: Decimal | int) -> MoneyRange:
        factor = _scalar(other)
        if factor is None:
            return NotImplemented
        low, high = self.low * factor, self.high * factor
        if factor < 0:
            low, high = high, low
        return MoneyRange(low, high, self.cadence, self.approximate)

    def __rmul__(self, other: Decimal | int) -> MoneyRange:
        return self.__mul__(other)

    def __truediv__(self, other: Decimal | int) -> MoneyRange:
        divisor = _scalar(other)
        if divisor is None:
            return NotImplemented
        if divisor.is_zero():
            raise ZeroDivisionError(f"cannot divide {self} by zero")
        low, high = self.low / divisor, self.high / divisor
        if divisor < 0:
            low, high = high, low
        return MoneyRange(low, high, self.cadence, self.approximate)

    def __neg__(self) -> MoneyRange:
        return MoneyRange(-self.high, -self.low, self.cadence, self.approximate)

    def __str__(self) -> str:
        return format_money(self)

    def to_dict(self) -> dict[str, str | bool | None]:
        """``{"low", "high"`` (exact strings), ``"currency", "cadence"`` (or None), ``"approximate"}``."""
        return {
            "low": _exact_string(self.low.amount),
            "high": _exact_string(self.high.amount),
            "currency": self.currency,
            "cadence": None if self.cadence is None else self.cadence.value,
            "approximate": self.approximate,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> MoneyRange:
        """Inverse of :meth:`to_dict`."""
        data = _mapping(data, "MoneyRange")
        currency = _str_field(data, "currency", "MoneyRange", "USD")
        low = Money(_amount_field(data, "low", "MoneyRange"), currency)
        high = Money(_amount_field(data, "high", "MoneyRange"), currency)
        raw_cadence = data.get("cadence")
        if raw_cadence is not None and not isinstance(raw_cadence, str):
            raise TypeError(
                f"MoneyRange.from_dict: 'cadence' must be a string, got {raw_cadence!r}"
            )
        approximate = data.get("approximate", False)
        if not isinstance(approximate, bool):
            raise TypeError(
                f"MoneyRange.from_dict: 'approximate' must be a bool, got {approximate!r}"
            )
        cadence = None if raw_cadence is None else Cadence(raw_cadence)
        return cls(low, high, cadence, approximate)


# --------------------------------------------------------------------------- percent


@dataclass(frozen=True, order=True, init=False)
class Percent:
    """A percentage in percent units: ``Percent(Decimal("36"))`` is 36%, i.e. a fraction of 0.36."""

    value: Decimal

    def __init__(self, value: Decimal | int | str) -> None:
        object.__setattr__(self, "value", _coerce_decimal(value, "Percent value"))

    def __reduce__(self) -> tuple[Callable[[str], Percent], tuple[str]]:
        """Pickled as one call of its value's text, as Money is (``Money.__reduce__``)."""
        return _percent_of_text, (str(self.value),)

    @classmethod
    def from_fraction(cls, fraction: Decimal | int | str) -> Percent:
        """``Percent.from_fraction(Decimal("0.36"))`` is 36%."""
        return cls(_coerce_decimal(fraction, "fraction").scaleb(2))

    @property
    def fraction(self) -> Decimal:
        """The value as a fraction: 36% -> 0.36."""
        return self.value.scaleb(-2)

    @overload
    def of(self, money: Money) -> Money: ...

    @overload
    def of(self, money: MoneyRange) -> MoneyRange: ...

    def of(self, money: Money | MoneyRange) -> Money | MoneyRange:
        """This share of an amount or range (exact; quantize afterwards for cents)."""
        return money * self.fraction

    def __str__(self) -> str:
        return f"{_plain(self.value)}%"

    def to_dict(self) -> dict[str, str]:
        """``{"value": "36"}`` in percent units, exact."""
        return {"value": format(self.value, "f")}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Percent:
        """Inverse of :meth:`to_dict`."""
        data = _mapping(data, "Percent")
        return cls(_amount_field(data, "value", "Percent"))


def _percent_of_text(value: str) -> Percent:
    """The Percent ``Percent.__reduce__`` pickled, unchecked (as ``_money_of_text``)."""
    percent = _new_object(Percent)
    percent.__dict__["value"] = Decimal(value)
    return percent


# --------------------------------------------------------------------------- period

PeriodKind = Literal["month", "quarter"]
_RE_PERIOD: Final = re.compile(r"([0-9]{4})-(?:([0-9]{2})|[Qq]([0-9]))")


def _shift_month(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"period out of range: year {year}")
    return date(year, month0 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month or quarter, written "2026-11" or "2026-Q4".

    Build one with :meth:`month`, :meth:`quarter`, :meth:`containing` or :meth:`parse`. Periods
    sort by start date, then kind ("month" before "quarter"). ``to_dict`` gives
    ``{"period": "2026-Q4"}``; ``from_dict`` takes that or the bare string.
    """

    start: date
    kind: PeriodKind = "month"

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime):
            object.__setattr__(self, "start", self.start.date())
        if not isinstance(self.start, date):
            raise TypeError(f"Period.start must be a date, got {self.start!r}")
        if self.kind not in ("month", "quarter"):
            raise ValueError(f"Period.kind must be 'month' or 'quarter', got {self.kind!r}")
        if self.start.day != 1 or (self.kind == "quarter" and self.start.month % 3 != 1):
            raise ValueError(f"{self.start} is not the first day of a {self.kind}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month ``year``-``month``."""
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, got {month}")
        return cls(date(year, month, 1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Calendar quarter ``quarter`` (1..4) of ``year``."""
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {quarter}")
        return cls(date(year, 3 * quarter - 2, 1), "quarter")

    @classmethod
    def containing(cls, day: date, kind: PeriodKind = "month") -> Period:
        """The month (or quarter) that ``day`` falls in."""
        if kind == "month":
            return cls(date(day.year, day.month, 1), "month")
        if kind == "quarter":
            return cls(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), "quarter")
        raise ValueError(f"kind must be 'month' or 'quarter', got {kind!r}")

    @classmethod
    def last_complete(cls, day: date, kind: PeriodKind = "month") -> Period:
        """The last month (or quarter) wholly on or before ``day``: the period a run as of ``day``
        reports by default. An as-of on a period's last day completes it, as the data windows
        count it (as of 2026-12-01 or 2026-12-30, November 2026; as of 2026-11-30, November
        2026; as of 2026-09-30, quarterly, Q3 2026)."""
        period = cls.containing(day, kind)
        return period if period.end <= day else period.previous()

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2026-11" or "2026-Q4" (the q may be lower case)."""
        if not isinstance(text, str):
            raise TypeError(f"Period.parse expects a string, not {type(text).__name__}")
        match = _RE_PERIOD.fullmatch(text.strip())
        if match is None:
            raise PeriodParseError(f"expected a period like '2026-11' or '2026-Q4', got {text!r}")
        year = int(match.group(1))
        if year < 1:
            raise PeriodParseError(f"year must be 0001..9999 in {text!r}")
        if match.group(2) is not None:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise PeriodParseError(f"month must be 01..12 in {text!r}")
            return cls.month(year, month)
        quarter = int(match.group(3))
        if not 1 <= quarter <= 4:
            raise PeriodParseError(f"quarter must be Q1..Q4 in {text!r}")
        return cls.quarter(year, quarter)

    @property
    def year(self) -> int:
        """The calendar year."""
        return self.start.year

    @property
    def number(self) -> int:
        """The month number (1..12) or quarter number (1..4)."""
        if self.kind == "month":
            return self.start.month
        return (self.start.month + 2) // 3

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return _period_end(self.start, self.kind)

    def months(self) -> tuple[Period, ...]:
        """The calendar months in this period, in order."""
        if self.kind == "month":
            return (self,)
        return tuple(Period(date(self.year, self.start.month + i, 1), "month") for i in range(3))

    def next(self) -> Period:
        """The following period of the same kind."""
        return Period(_shift_month(self.start, 1 if self.kind == "month" else 3), self.kind)

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        return Period(_shift_month(self.start, -1 if self.kind == "month" else -3), self.kind)

    def contains(self, day: date) -> bool:
        """True when ``day`` falls inside the period."""
        if isinstance(day, datetime):
            day = day.date()
        return self.start <= day <= self.end

    def label(self) -> str:
        """The period as a reader says it: "November 2026", "Q4 2026"."""
        if self.kind == "month":
            return f"{calendar.month_name[self.start.month]} {self.year}"
        return f"Q{self.number} {self.year}"

    def __str__(self) -> str:
        return _period_text(self.start, self.kind)

    def to_dict(self) -> dict[str, str]:
        """``{"period": "2026-11"}``."""
        return {"period": str(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | str) -> Period:
        """Inverse of :meth:`to_dict`; also accepts the bare string form."""
        if isinstance(data, str):
            return cls.parse(data)
        data = _mapping(data, "Period")
        value = _field(data, "period", "Period")
        if not isinstance(value, str):
            raise TypeError(f"Period.from_dict: 'period' must be a string, got {value!r}")
        return cls.parse(value)


@functools.lru_cache(maxsize=4096)  # analyses key their months by text, per row and figure
def _period_text(start: date, kind: PeriodKind) -> str:
    """``str`` of the period of this kind starting on ``start``: "2026-11", "2026-Q4"."""
    if kind == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}-Q{(start.month + 2) // 3}"


@functools.lru_cache(maxsize=4096)  # asked per ledger row (is it in the month?), of few periods
def _period_end(start: date, kind: PeriodKind) -> date:
    """The last day of the period of this kind starting on ``start``."""
    last_month = start.month + (2 if kind == "quarter" else 0)
    return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


def parse_period(text: str) -> Period:
    """Read "2026-11" or "2026-Q4"; same as :meth:`Period.parse`."""
    return Period.parse(text)


# --------------------------------------------------------------------------- money parser

# Horizontal white space only: an expression never runs across a line break.
_H: Final = r"[ \t\u00a0\u2009\u202f]"
_NUMBER: Final = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"

_RE_HSPACE: Final = re.compile(rf"{_H}*")
_RE_APPROX: Final = re.compile(
    rf"(?:[~{_ALMOST_EQUAL}]|(?i:approximately|approx\.|approx|about|around|roughly|circa)"
    rf"(?![A-Za-z])){_H}*"
)
_RE_SIGN: Final = re.compile(rf"[-{_MINUS_SIGN}]")
_RE_SYMBOL: Final = re.compile(rf"US\$|\$|{_EURO}|{_POUND}")
_RE_CODE: Final = re.compile(r"[A-Z]{3}(?![A-Za-z])")
_RE_NUMBER: Final = re.compile(_NUMBER)
_RE_MULTIPLIER: Final = re.compile(
    rf"{_H}*(?i:(thousand|million|billion))(?![A-Za-z])|(?i:(bn|k|m|b))(?![A-Za-z])"
)
_MULTIPLIER_EXPONENT: Final = {
    "k": 3, "thousand": 3, "m": 6, "million": 6, "b": 9, "bn": 9, "billion": 9,
}  # fmt: skip
_MULTIPLIER_SUFFIX: Final = {3: "K", 6: "M", 9: "B"}
_RE_SEPARATOR: Final = re.compile(
    rf"{_H}*[-{_FIGURE_DASH}{_EN_DASH}{_EM_DASH}]{_H}*|{_H}+(?i:to){_H}+"
)

_SLASH_CADENCES: Final = {
    "mo": Cadence.MONTH, "mon": Cadence.MONTH, "mth": Cadence.MONTH, "month": Cadence.MONTH,
    "yr": Cadence.YEAR, "y": Cadence.YEAR, "year": Cadence.YEAR, "annum": Cadence.YEAR,
    "wk": Cadence.WEEK, "w": Cadence.WEEK, "week": Cadence.WEEK,
    "day": Cadence.DAY, "d": Cadence.DAY,
    "qtr": Cadence.QUARTER, "q": Cadence.QUARTER, "quarter": Cadence.QUARTER,
}  # fmt: skip
_WORD_CADENCES: Final = {
    "monthly": Cadence.MONTH, "per month": Cadence.MONTH, "per mo": Cadence.MONTH,
    "a month": Cadence.MONTH, "each month": Cadence.MONTH, "every month": Cadence.MONTH,
    "annually": Cadence.YEAR, "yearly": Cadence.YEAR, "per year": Cadence.YEAR,
    "per yr": Cadence.YEAR, "a year": Cadence.YEAR, "each year": Cadence.YEAR,
    "every year": Cadence.YEAR, "per annum": Cadence.YEAR, "p.a.": Cadence.YEAR,
    "weekly": Cadence.WEEK, "per week": Cadence.WEEK, "per wk": Cadence.WEEK,
    "a week": Cadence.WEEK, "each week": Cadence.WEEK, "every week": Cadence.WEEK,
    "daily": Cadence.DAY, "per day": Cadence.DAY, "a day": Cadence.DAY,
    "each day": Cadence.DAY, "every day": Cadence.DAY,
    "quarterly": Cadence.QUARTER, "per quarter": Cadence.QUARTER, "per qtr": Cadence.QUARTER,
    "a quarter": Cadence.QUARTER, "each quarter": Cadence.QUARTER,
    "every quarter": Cadence.QUARTER,
}  # fmt: skip


def _alternatives(phrases: Mapping[str, Cadence]) -> str:
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    return "|".join(f"{_H}+".join(map(re.escape, phrase.split())) for phrase in ordered)


_RE_CADENCE: Final = re.compile(
    rf"{_H}*/{_H}*(?i:(?P<slash>{_alternatives(_SLASH_CADENCES)}))(?![A-Za-z])"
    rf"|{_H}+(?i:(?P<word>{_alternatives(_WORD_CADENCES)}))(?![A-Za-z])"
)
_EXAMPLES: Final = f"'$7,500', '$7.5K', '~$7{_EN_DASH}9K/mo' or '(1,200)'"


class _Amount(NamedTuple):
    """One end of a money expression, as written."""

    end: int
    negative: bool
    number: Decimal
    exponent: int | None
    currency: str | None


class _Expression(NamedTuple):
    approximate: bool
    low: _Amount
    high: _Amount | None
    cadence: Cadence | None


class _Fail(Exception):
    """Internal: the scanner could not continue at a position."""


class _Scanner:
    """A small recursive-descent reader of money expressions over one string."""

    def __init__(self, text: str, *, any_code: bool) -> None:
        self.text = text
        self.any_code = any_code
        self.furthest = -1
        self.expected = ""

    def fail(self, pos: int, expected: str) -> _Fail:
        if pos > self.furthest:
            self.furthest, self.expected = pos, expected
        return _Fail()

    def _code(self, pos: int) -> re.Match[str] | None:
        match = _RE_CODE.match(self.text, pos)
        if match and (self.any_code or match.group() in KNOWN_CURRENCY_CODES):
            return match
        return None

    def _suffix_code(self, pos: int, currency: str | None) -> tuple[int, str | None]:
        code_start = _RE_HSPACE.match(self.text, pos)
        assert code_start is not None  # the pattern can match the empty string
        match = self._code(code_start.end())
        if match is None:
            return pos, currency
        if currency is not None and match.group() != currency:
            self.fail(match.start(), f"no second currency (the amount is already in {currency})")
            return pos, currency
        return match.end(), match.group()

    def amount(self, pos: int) -> _Amount:
        text = self.text
        negative = False
        currency: str | None = None
        paren = text.startswith("(", pos)
        if paren:
            pos += 1
        elif sign := _RE_SIGN.match(text, pos):
            negative, pos = True, sign.end()
        if symbol := _RE_SYMBOL.match(text, pos):
            currency, pos = _SYMBOL_CURRENCY[symbol.group()], symbol.end()
        elif code := self._code(pos):
            currency = code.group()
            space = _RE_HSPACE.match(text, code.end())
            assert space is not None
            pos = space.end()
        sign = None if currency is None or negative or paren else _RE_SIGN.match(text, pos)
        if sign:
            negative, pos = True, sign.end()
        number = _RE_NUMBER.match(text, pos)
        if number is None:
            what = "a number" if currency or negative or paren else "a number or a currency sign"
            raise self.fail(pos, what)
        pos = number.end()
        exponent = None
        if multiplier := _RE_MULTIPLIER.match(text, pos):
            word = multiplier.group(1) or multiplier.group(2)
            exponent, pos = _MULTIPLIER_EXPONENT[word.lower()], multiplier.end()
        pos, currency = self._suffix_code(pos, currency)
        if paren:
            if not text.startswith(")", pos):
                raise self.fail(pos, "a closing parenthesis")
            negative = True
            pos, currency = self._suffix_code(pos + 1, currency)
        return _Amount(pos, negative, Decimal(number.group().replace(",", "")), exponent, currency)

    def expression(self, pos: int, *, allow_range: bool = True) -> tuple[_Expression, int]:
        approximate = False
        if approx := _RE_APPROX.match(self.text, pos):
            approximate, pos = True, approx.end()
        low = self.amount(pos)
        pos = low.end
        high = None
        if allow_range and (separator := _RE_SEPARATOR.match(self.text, pos)):
            try:
                high = self.amount(separator.end())
            except _Fail:
                high = None
            else:
                pos = high.end
        cadence = None
        if match := _RE_CADENCE.match(self.text, pos):
            phrase = " ".join((match.group("slash") or match.group("word")).lower().split())
            cadence = _SLASH_CADENCES.get(phrase) or _WORD_CADENCES[phrase]
            pos = match.end()
        return _Expression(approximate, low, high, cadence), pos


def _signed(amount: _Amount) -> Decimal:
    return amount.number.copy_negate() if amount.negative else amount.number


def _amount_value(amount: _Amount, exponent: int | None) -> Decimal:
    value = amount.number if exponent is None else amount.number * Decimal(10**exponent)
    return value.copy_negate() if amount.negative else value


def _build(expression: _Expression, default_currency: str, text: str) -> Money | MoneyRange:
    low, high = expression.low, expression.high
    currencies = {end.currency for end in (low, high) if end is not None and end.currency}
    if len(currencies) > 1:
        raise MoneyParseError(
            f"cannot read a money amount from {text!r}: the two ends are in different "
            f"currencies ({' and '.join(sorted(currencies))})"
        )
    currency = currencies.pop() if currencies else default_currency
    if high is None:
        money = Money(_amount_value(low, low.exponent), currency)
        if expression.cadence is None and not expression.approximate:
            return money
        return MoneyRange.point(money, expression.cadence, approximate=expression.approximate)
    low_exponent = low.exponent
    # "7-9k" and "$7–9K" mean 7,000-9,000; "$500-1.2K" means 500-1,200.
    if low_exponent is None and high.exponent is not None and _signed(low) <= _signed(high):
        low_exponent = high.exponent
    low_money = Money(_amount_value(low, low_exponent), currency)
    high_money = Money(_amount_value(high, high.exponent), currency)
    if low_money > high_money:
        raise MoneyParseError(
            f"cannot read a money amount from {text!r}: the range runs backwards "
            f"({format_money(low_money)} is above {format_money(high_money)})"
        )
    return MoneyRange(low_money, high_money, expression.cadence, expression.approximate)


def _parse_error(text: str, scanner: _Scanner) -> MoneyParseError:
    pos = scanner.furthest
    found = repr(text[pos : pos + 12]) if pos < len(text) else "the end of the text"
    return MoneyParseError(
        f"cannot read a money amount from {text!r}: expected {scanner.expected} at "
        f"position {pos}, found {found} (amounts look like {_EXAMPLES})"
    )


def parse_money(text: str, default_currency: str = "USD") -> Money | MoneyRange:
    """Read one whole money expression, as people write it in notes.

    A single amount gives :class:`Money`; a single amount with a cadence or an "about"/"~"
    gives ``MoneyRange.point(...)`` so that neither is lost; two amounts joined by a hyphen,
    en or em dash or "to" give a :class:`MoneyRange`. Amounts without a currency marker are in
    ``default_currency``. Raises :class:`MoneyParseError` quoting the text and saying what was
    expected.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_money expects a string, not {type(text).__name__}")
    default_currency = _normalize_currency(default_currency)
    if not text.strip():
        raise MoneyParseError(f"expected a money amount such as {_EXAMPLES}, got {text!r}")
    scanner = _Scanner(text, any_code=True)
    start = len(text) - len(text.lstrip())
    try:
        expression, end = scanner.expression(start)
    except _Fail:
        raise _parse_error(text, scanner) from None
    if text[end:].strip():
        rest = _RE_HSPACE.match(text, end)
        assert rest is not None
        scanner.fail(rest.end(), "the end of the amount (or a cadence such as '/mo')")
        raise _parse_error(text, scanner)
    return _build(expression, default_currency, text)


def _ends_cleanly(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    after = text[end]
    if after.isalnum() or after == "_":
        return False
    return not (after in ".," and text[end + 1 : end + 2].isdigit())


def _may_start(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index else " "
    if char in "$" + _EURO + _POUND:
        return True
    if before.isalnum() or before == "_":
        return False
    if char.isdigit():
        return before not in ".,"
    return char in "~(-" + _ALMOST_EQUAL + _MINUS_SIGN or char.isalpha()


def extract_money(
    text: str, default_currency: str = "USD"
) -> tuple[Money | MoneyRange, tuple[int, int]] | None:
    """Find the first money expression in free text and its ``(start, end)`` character span.

    Same forms as :func:`parse_money`, but a number only counts as money when it carries a
    currency marker ($, €, £ or a known code such as USD) or a k/m/b multiplier, so "3 boats"
    is not money. Currency codes are limited to :data:`KNOWN_CURRENCY_CODES`. A leading
    "about"/"roughly"/"~" and a trailing cadence are part of the span. Returns None when the
    text holds no money.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_money expects a string, not {type(text).__name__}")
    default_currency = _normalize_currency(default_currency)
    scanner = _Scanner(text, any_code=False)
    for start in range(len(text)):
        if not _may_start(text, start):
            continue
        for allow_range in (True, False):
            try:
                expression, end = scanner.expression(start, allow_range=allow_range)
            except _Fail:
                break
            if not _ends_cleanly(text, end):
                continue
            ends = (
                [expression.low] if expression.high is None else [expression.low, expression.high]
            )
            if not any(end_.currency or end_.exponent is not None for end_ in ends):
                continue
            try:
                value = _build(expression, default_currency, text[start:end])
            except MoneyParseError:
                continue
            return value, (start, end)
    return None


# --------------------------------------------------------------------------- formatter


#: Beyond this many digits before or after the point (no amount of money has them) an amount is
#: written in scientific notation ("1.5E+120"), so the formatter never writes a million digits.
MAX_WRITTEN_DIGITS: Final = 60


def _last_place(magnitude: Decimal) -> int:
    """The power of ten of the last non-zero digit (-2 for 7.50)."""
    _sign, digits, exponent = magnitude.as_tuple()
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return int(exponent) + zeros


def _digits(magnitude: Decimal, *, cents: bool) -> str:
    """Comma-grouped digits; with ``cents`` a fractional part shows at least two places."""
    if not magnitude.is_zero() and (
        magnitude.adjusted() >= MAX_WRITTEN_DIGITS or _last_place(magnitude) < -MAX_WRITTEN_DIGITS
    ):
        return format(magnitude, "E")
    whole, _, frac = format(magnitude, "f").partition(".")
    frac = frac.rstrip("0")
    if frac and cents:
        frac = frac.ljust(2, "0")
    head = len(whole) % 3 or 3  # grouped as text: int() refuses more than 4,300 digits
    grouped = ",".join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return f"{grouped}.{frac}" if frac else grouped


def _compact_exponent(magnitude: Decimal) -> int | None:
    """0 below 1,000; 3/6/9 for K/M/B when that is exact to two decimals; else None."""
    if magnitude.adjusted() >= MAX_WRITTEN_DIGITS:
        return None  # written in scientific notation by _digits
    for exponent in (9, 6, 3):
        if magnitude >= 10**exponent:
            scaled = _plain(magnitude.scaleb(-exponent))
            return exponent if len(scaled.partition(".")[2]) <= 2 else None
    return 0


def _body(magnitude: Decimal, exponent: int, *, suffix: bool) -> str:
    if exponent == 0:
        return _digits(magnitude, cents=True)
    scaled = _digits(magnitude.scaleb(-exponent), cents=False)
    return scaled + (_MULTIPLIER_SUFFIX[exponent] if suffix else "")


def _with_currency(body: str, negative: bool, currency: str | None) -> str:
    sign = "-" if negative else ""
    if currency is None:
        return sign + body
    symbol = _CURRENCY_SYMBOL.get(currency)
    if symbol is not None:
        return f"{sign}{symbol}{body}"
    return f"{currency} {sign}{body}"


def _format_single(money: Money, compact: bool) -> str:
    magnitude = money.amount.copy_abs()
    exponent = (_compact_exponent(magnitude) or 0) if compact else 0
    body = _body(magnitude, exponent, suffix=True)
    return _with_currency(body, money.amount < 0, money.currency)


def _format_range(value: MoneyRange, compact: bool) -> str:
    prefix = "~" if value.approximate else ""
    suffix = "" if value.cadence is None else value.cadence.suffix
    if value.is_point and (value.cadence is not None or value.approximate):
        return f"{prefix}{_format_single(value.low, compact)}{suffix}"
    low, high = value.low.amount, value.high.amount
    low_exp = high_exp = 0
    if compact:
        low_c, high_c = _compact_exponent(low.copy_abs()), _compact_exponent(high.copy_abs())
        if low_c is not None and high_c is not None:
            low_exp, high_exp = low_c, high_c
            # A bare low end next to a high end with a multiplier would be read as sharing it
            # ("$1–1.2K" is 1,000..1,200), so spell such a range out in full.
            if low_exp == 0 and high_exp and not low.is_zero() and low <= high.scaleb(-high_exp):
                low_exp = high_exp = 0
    if low < 0:
        # a dash beside a minus sign misreads ("-$1.05K–-650"): spell both ends with " to "
        low_text = _with_currency(_body(low.copy_abs(), low_exp, suffix=True), True, value.currency)
        high_text = _with_currency(
            _body(high.copy_abs(), high_exp, suffix=True), high < 0, value.currency
        )
        return f"{prefix}{low_text} to {high_text}{suffix}"
    shared = low_exp != 0 and low_exp == high_exp
    low_text = _with_currency(
        _body(low.copy_abs(), low_exp, suffix=not shared), low < 0, value.currency
    )
    high_text = _with_currency(_body(high.copy_abs(), high_exp, suffix=True), high < 0, None)
    return f"{prefix}{low_text}{_EN_DASH}{high_text}{suffix}"


def format_money(value: Money | MoneyRange, *, compact: bool | None = None) -> str:
    """Write an amount or range in the house style; the result parses back to an equal value.

    Money: "$7,500", "$7,500.50", "-$1,200", "€300", "£300", "CHF 1,200". With
    ``compact=True``: "$7.5K", "$1.2M", "$12K" when that is exact to two decimals, otherwise
    the full digits. Ranges: "~$7–9K/mo" (en dash, "~" when approximate, shared multiplier,
    cadence suffix /day /wk /mo /qtr /yr). A one-value range with a cadence or "~" is written
    as one value ("~$7,500/mo"); a bare one-value range keeps both ends ("$7,500–7,500").
    ``compact=None`` (the default) means the full form.
    """
    if isinstance(value, Money):
        return _format_single(value, bool(compact))
    if isinstance(value, MoneyRange):
        return _format_range(value, bool(compact))
    raise TypeError(f"format_money expects Money or MoneyRange, not {type(value).__name__}")


# --------------------------------------------------------------------------- percent parser

_PERCENT_MARK: Final = rf"{_H}*(?:%|(?i:percent|pct)(?![A-Za-z]))"
_RE_PERCENT: Final = re.compile(rf"(?P<sign>[-{_MINUS_SIGN}])?(?P<number>{_NUMBER}){_PERCENT_MARK}")
_RE_PERCENT_RANGE: Final = re.compile(
    rf"(?P<low_sign>[-{_MINUS_SIGN}])?(?P<low>{_NUMBER})(?:{_PERCENT_MARK})?"
    rf"(?:{_RE_SEPARATOR.pattern})"
    rf"(?P<high_sign>[-{_MINUS_SIGN}])?(?P<high>{_NUMBER}){_PERCENT_MARK}"
)


def _percent(sign: str | None, number: str) -> Percent:
    value = Decimal(number.replace(",", ""))
    return Percent(value.copy_negate() if sign else value)


def parse_percent(text: str) -> Percent:
    """Read one percentage: "36%", "1.9 %", "-2%", "12 percent". Ranges are refused."""
    if not isinstance(text, str):
        raise TypeError(f"parse_percent expects a string, not {type(text).__name__}")
    stripped = text.strip()
    if match := _RE_PERCENT.fullmatch(stripped):
        return _percent(match.group("sign"), match.group("number"))
    if _RE_PERCENT_RANGE.fullmatch(stripped):
        raise PercentParseError(
            f"expected a single percentage, got the range {text!r} (use parse_percent_range)"
        )
    raise PercentParseError(f"expected a percentage such as '36%' or '1.9%', got {text!r}")


def parse_percent_range(text: str) -> tuple[Percent, Percent]:
    """Read "0.2–0.5%", "20-30%", "20% to 30%" or a single "36%" (giving ``(p, p)``)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_percent_range expects a string, not {type(text).__name__}")
    stripped = text.strip()
    if match := _RE_PERCENT.fullmatch(stripped):
        single = _percent(match.group("sign"), match.group("number"))
        return single, single
    if match := _RE_PERCENT_RANGE.fullmatch(stripped):
        low = _percent(match.group("low_sign"), match.group("low"))
        high = _percent(match.group("high_sign"), match.group("high"))
        if low > high:
            raise PercentParseError(f"the range {text!r} runs backwards ({low} is above {high})")
        return low, high
    raise PercentParseError(
        f"expected a percentage such as '36%' or a range such as '0.2{_EN_DASH}0.5%', got {text!r}"
    )


def counted(count: int | Decimal, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: "1 endpoint", "2 endpoints", "1 month",
    "0 spends"; ``plural`` for an irregular noun ("1 entry", plural="entries")."""
    many = plural or (
        noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    )
    return f"{count} {noun if count == 1 else many}"


def with_article(phrase: str) -> str:
    """``phrase`` with "a" or "an" before it by its first sound: "an other", "a consultancy"."""
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"
