"""Reading single CSV cells: dates, amounts, yes/no. Each parser raises ``ValueError`` with a short
message saying what was found and what was expected, ready for ``RowErrors.add(line, str(exc))``.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from execbrief.config import EARLIEST_AS_OF, LATEST_AS_OF

_AMOUNT = re.compile(r"^(?P<sign>[-+])?(?P<cur>[$€£])?(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)$")
_DAY_MONTH = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")
_YMD_SLASHED = re.compile(r"^\d{4}([/.])\d{1,2}\1\d{1,2}$")
TRUE = frozenset({"y", "yes", "true", "t", "1", "x"})
FALSE = frozenset({"n", "no", "false", "f", "0", ""})


#: A day whose day, month and year all differ, written and read back to test a ``date_format``.
_ROUND_TRIP = date(2026, 11, 23)


def check_date_format(value: str | None) -> str | None:
    """``value`` when it is a ``strptime`` format that reads back a date it wrote, else
    ``ValueError`` (``%Q%Q`` or ``%m/%Y`` would only surface later, as an error on every row)."""
    if value is None:
        return None
    written = ""
    try:
        written = _ROUND_TRIP.strftime(value)
        back = datetime.strptime(written, value).date()
    except (ValueError, re.error):  # a directive repeated ("%d %d") is a regex error in strptime
        back = None
    if "%" not in value or back != _ROUND_TRIP:
        raise ValueError(
            f"date_format {value[:40]!r} cannot read back the date it writes (2026-11-23 comes out "
            f"as {written[:40]!r}); expected a strptime format with a day, month and year, such "
            "as '%m/%d/%Y'"
        )
    return value


@functools.lru_cache(maxsize=1 << 14)  # dates repeat row after row; a bad one is not kept
def parse_date(text: str, fmt: str | None = None, *, what: str = "date") -> date:
    """A date written ``YYYY-MM-DD`` or ``YYYY/MM/DD`` (a time after it is ignored), or in ``fmt``.

    Ambiguous day/month orders are never guessed: a ledger in ``11/03/2026`` form needs
    ``date_format = "%m/%d/%Y"`` (or ``"%d/%m/%Y"``) in the config.

    Kept per text: the rows of a table that fall on one day then hold one date object, which a
    collect worker pickles once a result and its parent unpickles once (``sourcecache.pack``).
    """
    value = text.strip()
    if not value:
        raise ValueError(f"empty {what}")
    try:
        if fmt:
            found = _strptime_date(value, fmt)
        else:
            if len(value) > 10 and value[10] in "T ":
                value = value[:10]
            if _YMD_SLASHED.match(value):  # 2026/11/20 and 2026.11.20 are unambiguous too
                value = re.sub(r"[/.]", "-", value)
                year, month, day = (int(part) for part in value.split("-"))
                found = date(year, month, day)
            else:
                found = date.fromisoformat(value)
    except ValueError:
        expected = (
            f"a date like {date(2026, 11, 20).strftime(fmt)} ({fmt})" if fmt else "YYYY-MM-DD"
        )
        if not fmt and _DAY_MONTH.match(value):
            expected += ' (for this layout set date_format, e.g. "%m/%d/%Y" or "%d/%m/%Y")'
        raise ValueError(f"bad {what} {text.strip()[:40]!r}; expected {expected}") from None
    if not EARLIEST_AS_OF <= found <= LATEST_AS_OF:  # 0001-01-01: a typo, and a span to walk
        raise ValueError(
            f"{what} {text.strip()[:40]!r} is outside the years 1900 to 2999 that execbrief "
            "reads; expected the day the row happened (check the year)"
        )
    return found


_TRAILING_TIME = re.compile(
    r"^(?P<day>.+?)[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?$"
)


def _strptime_date(value: str, fmt: str) -> date:
    """``value`` read with ``fmt``; a time of day after the date (``11/3/2025 11:05:35``,
    ``2025-11-03T11:05``) is accepted whatever the format, and so is a date alone where the format
    also has a time (Google Forms writes ``12/5/2025`` beside ``11/3/2025 11:05:35``)."""
    try:
        return datetime.strptime(value, fmt).date()
    except ValueError:
        pass
    match = _TRAILING_TIME.match(value)
    if match:
        try:
            return datetime.strptime(match["day"].strip(), fmt).date()
        except ValueError:
            pass
    day_part = fmt.split("%H", 1)[0].split("%I", 1)[0].rstrip(" T")
    if day_part != fmt and day_part:
        try:
            return datetime.strptime(match["day"].strip() if match else value, day_part).date()
        except ValueError:
            pass
    raise ValueError(value)


def _is_code(text: str) -> bool:
    """Three capital letters A-Z: ``USD``."""
    return len(text) == 3 and text.isascii() and text.isalpha() and text.isupper()


def without_currency_code(value: str) -> str:
    r"""``value`` without a leading ``USD`` and a trailing `` USD`` set off by whitespace
    (``USD 1,250.00``, ``1250.00 USD``): what ``re.sub(r"^[A-Z]{3}\s+|\s+[A-Z]{3}$", "", value)``
    gives, in one pass. That regex retried its ``\s+`` from every space of a long run of them
    (a 56 KB cell of spaces: 2.6 s)."""
    if len(value) > 3 and _is_code(value[:3]) and value[3].isspace():
        value = value[3:].lstrip()
    if len(value) > 3 and _is_code(value[-3:]) and value[-4].isspace():
        value = value[:-3].rstrip()
    return value


def parse_amount(text: str, *, what: str = "amount") -> Decimal:
    """A plain amount: ``1234.56``, ``-1,234.56``, ``(1,234.56)`` (negative), ``$1,234``,
    ``1250.00 USD``.

    Thousands separators are commas; the decimal mark is a point. No ``K`` suffixes or ranges here
    (handoff notes use ``values.parse_money`` for those).
    """
    value = without_currency_code(text.strip()).replace(" ", "")
    if not value:
        raise ValueError(f"empty {what}")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.endswith("-") and not value.startswith("-"):
        negative, value = True, value[:-1]
    if len(value) > 1 and value[0] in "$€£" and value[1] in "-+":
        value = value[1] + value[0] + value[2:]
    match = _AMOUNT.match(value)
    if not match:
        raise ValueError(
            f"bad {what} {text.strip()[:40]!r}; expected a number like 1234.56 or -1,234.56"
        )
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise ValueError(f"bad {what} {text.strip()[:40]!r}") from None
    if match["sign"] == "-":
        negative = not negative
    return -number if negative else number


def parse_bool(text: str, *, what: str = "value") -> bool:
    """``yes``/``no``, ``true``/``false``, ``1``/``0``, ``y``/``n``, ``x``/empty."""
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"bad {what} {text.strip()[:40]!r}; expected yes or no")
