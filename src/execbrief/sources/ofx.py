"""OFX and QFX statements (a bank's or a card's download for Quicken, Money or QuickBooks).

The file's tags are read by ``ofxtags`` (OFX 1.x SGML and OFX 2.x XML), in one pass; this module
reads the bank (``STMTRS``) and credit card (``CCSTMTRS``) statements in them: each statement's
lines (OFX's own sign, for a bank and a card alike: positive is money in, negative money out) and
its ``LEDGERBAL``, the balance at ``DTASOF``. The ledger source turns them into transactions and a
balance assertion. (ofxparse, read before, took 4 to 5 s a MB of transactions on BeautifulSoup;
ofxtools, the other maintained reader, is GPL-3.)

The text is decoded as its header says (OFX 1.x ``ENCODING`` and ``CHARSET``, OFX 2.x's XML
declaration; UTF-8 when it says nothing). Dates are the statement's own calendar dates, the first
eight digits of ``DTPOSTED`` and ``DTASOF``, whatever the time zone after them. Each line cites
the physical line of its ``<STMTTRN>``; a transaction without a readable ``TRNAMT``,
``DTPOSTED`` or ``FITID`` is skipped with a message at that line, the rest read.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.sources.files import Location, ReadError, excerpt
from execbrief.sources.ofxtags import Element, read_elements

OFX_SUFFIXES = (".ofx", ".qfx", ".qbo")  # .qbo: QuickBooks Web Connect, OFX too
MAX_OFX_BYTES = 32 << 20

_BLOCK = re.compile(r"<(STMTRS|CCSTMTRS)>", re.IGNORECASE)
_OFX = re.compile(r"<OFX>", re.IGNORECASE)
_CURRENCY = re.compile(r"[A-Z]{3}")
_TAG = re.compile(r"<(/?)([A-Za-z0-9_.]+)>")
#: Opening tags of a name that also closes that may go unclosed before the file is refused.
MAX_UNCLOSED = 16
#: Opening tags a statement may hold: this many a transaction (a bank's have 5 to 10) and
#: ``MAX_OTHER_TAGS`` for the headers, account and balances around them.
TAGS_PER_TRANSACTION = 20
MAX_OTHER_TAGS = 1_000
EXPECTED = "expected the bank's or card's OFX, QFX or Quicken download"
NO_STATEMENT = "has no bank or credit card statement (STMTRS or CCSTMTRS); " + EXPECTED
#: An amount as OFX writes it: a point or a comma before the decimals (OFX 1.6, 3.2.9.1).
_AMOUNT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
#: OFX 1.x's ``ENCODING``/``CHARSET`` headers and OFX 2.x's XML declaration.
_HEADER = re.compile(rb"^(ENCODING|CHARSET):[ \t]*([A-Za-z0-9_-]+)", re.MULTILINE)
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)[\"']")


@dataclass(frozen=True)
class StatementLine:
    """One ``STMTTRN``: ``amount`` positive is money into the account, negative money out."""

    line: int
    day: date
    amount: Decimal
    payee: str
    memo: str
    reference: str | None
    kind: str


@dataclass(frozen=True)
class Statement:
    """One account's statement: its lines, its ledger balance ``(line, date, amount)``, and the
    transactions (or the balance) that could not be read, as ``(line, message)``."""

    account: str
    card: bool
    currency: str | None
    lines: tuple[StatementLine, ...]
    balance: tuple[int, date, Decimal] | None
    skipped: tuple[tuple[int, str], ...] = ()


class _Unreadable(ValueError):
    """One transaction's (or balance's) field is missing or not readable."""


def read_statements(loc: Location) -> list[Statement]:
    """The statements of one OFX/QFX file; ``ReadError`` naming the file when it is not one."""
    text = _decode(loc, _read_bytes(loc))
    _has_a_statement(loc, text)
    document = read_elements(text)
    lines = _Lines(text)
    out = [
        _statement(loc, lines, element, element.name == "CCSTMTRS")
        for element in document.named("STMTRS", "CCSTMTRS")
        if element.value is None
    ]
    if not out:
        raise ReadError(loc.display, NO_STATEMENT)
    return out


def _decode(loc: Location, data: bytes) -> str:
    """The file's text in the encoding its header names; ``ReadError`` at the first line that is
    not in it."""
    encoding = _encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(
            loc.display,
            f"is not valid {encoding} text, the encoding its header names (byte "
            f"0x{data[exc.start]:02x}); " + EXPECTED,
            line,
        ) from None
    except LookupError:
        raise ReadError(
            loc.display, f"names an encoding Python does not know ({encoding!r}); " + EXPECTED
        ) from None


def _encoding(data: bytes) -> str:
    head = data[: data.find(b"<")] if b"<" in data else data[:4096]
    headers = {k.decode().upper(): v.decode().upper() for k, v in _HEADER.findall(head)}
    if headers.get("ENCODING") in ("USASCII", "ASCII"):
        charset = headers.get("CHARSET", "1252")
        return "latin-1" if charset in ("8859-1", "ISO-8859-1", "ISO8859-1") else "cp1252"
    declared = _XML_ENCODING.search(data[:4096])
    return declared.group(1).decode() if declared else "utf-8"


def _has_a_statement(loc: Location, text: str) -> None:
    """Refuse, in one pass over the tags before they are read, a file with no ``<OFX>`` element,
    no bank or card statement, tags no statement holds, or an aggregate left open (each
    ``<STMTTRN>`` after an unclosed one would be read as inside it: lines would be lost)."""
    if _OFX.search(text) is None:
        raise ReadError(
            loc.display,
            "is not a readable OFX/QFX statement (it has no <OFX> element); " + EXPECTED,
        )
    if _BLOCK.search(text) is None:
        raise ReadError(loc.display, NO_STATEMENT)
    opened: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for found in _TAG.finditer(text):
        (closed if found.group(1) else opened)[found.group(2).upper()] += 1
    tags, transactions = sum(opened.values()), opened["STMTTRN"]
    if tags > TAGS_PER_TRANSACTION * transactions + MAX_OTHER_TAGS:
        # no bank writes this (the fuzz harness and the 1 MB shapes of bench/parsers.py do)
        raise ReadError(
            loc.display,
            f"has {tags:,} tags for {transactions:,} transactions; expected a bank's or card's "
            f"statement (at most {TAGS_PER_TRANSACTION} tags a transaction)",
        )
    for name, count in closed.items():
        if opened[name] - count > MAX_UNCLOSED:
            # a few are a leaf closed XML-style beside SGML ones, more are lines lost unseen
            raise ReadError(
                loc.display,
                f"has {opened[name]:,} <{name}> tags but {count:,} </{name}>; expected each "
                f"<{name}> closed, as a bank's download closes them",
            )


def _statement(loc: Location, lines: _Lines, element: Element, card: bool) -> Statement:
    skipped: list[tuple[int, str]] = []
    read: list[StatementLine] = []
    transactions = element.child("BANKTRANLIST")
    for item in transactions.children if transactions is not None else []:
        if item.name != "STMTTRN":
            continue
        try:
            read.append(_line(item, lines.of(item.at)))
        except _Unreadable as exc:
            skipped.append((lines.of(item.at), str(exc)))
    balance = None
    ledger = element.child("LEDGERBAL")
    if ledger is not None:
        try:
            balance = (
                lines.of(ledger.at),
                _day(ledger, "DTASOF", "ledger balance date"),
                _amount(ledger, "BALAMT", "ledger balance amount"),
            )
        except _Unreadable as exc:
            skipped.append((lines.of(ledger.at), str(exc)))
    account = element.child("CCACCTFROM" if card else "BANKACCTFROM")
    account_type = account.text("ACCTTYPE") if account is not None and not card else None
    kind = "credit card" if card else (account_type or "bank").lower()
    number = ((account.text("ACCTID") if account is not None else None) or "")[-4:]
    currency = (element.text("CURDEF") or "").strip().upper() or None
    if currency is not None and not _CURRENCY.fullmatch(currency):
        raise ReadError(
            loc.display,
            f"has a statement currency (CURDEF) {excerpt(currency, 24)!r} that is not a "
            "three-letter code; expected one such as USD in the bank's download",
        )
    name = f"{kind} ...{number}" if number else kind
    return Statement(name, card, currency, tuple(read), balance, tuple(skipped))


def _line(item: Element, line: int) -> StatementLine:
    """One ``STMTTRN``; ``_Unreadable`` naming its first missing or unreadable field."""
    amount = _amount(item, "TRNAMT", "Transaction Amount")
    day = _day(item, "DTPOSTED", "Transaction Date")
    fitid = (item.text("FITID") or "").strip()
    if not fitid:
        raise _Unreadable("Missing FIT id (FITID, a required field)")
    payee = item.text("NAME")
    if payee is None and (named := item.child("PAYEE")) is not None:
        payee = named.text("NAME")  # OFX's PAYEE aggregate in place of NAME
    return StatementLine(
        line,
        day,
        amount,
        (payee or "").strip(),
        (item.text("MEMO") or "").strip(),
        (item.text("CHECKNUM") or "").strip() or fitid,
        (item.text("TRNTYPE") or "").strip().lower(),
    )


def _amount(element: Element, tag: str, what: str) -> Decimal:
    written = element.text(tag)
    if written is None:
        raise _Unreadable(f"Missing {what} ({tag}, a required field)")
    plain = written.replace(" ", "")
    if plain.lower() in ("null", "-null"):  # a bank's line for a change of interest rate
        return Decimal(0)
    if not _AMOUNT.fullmatch(plain):
        raise _Unreadable(f"Invalid {what}: {excerpt(written, 40)!r}")
    return Decimal(plain.replace(",", "."))


def _day(element: Element, tag: str, what: str) -> date:
    written = element.text(tag)
    if written is None:
        raise _Unreadable(f"Missing {what} ({tag}, a required field)")
    digits = written.strip()[:8]
    try:
        if not digits.isdigit():
            raise ValueError
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise _Unreadable(f"Invalid {what}: {excerpt(written, 40)!r}") from None


class _Lines:
    """The physical line of an offset in the text (one pass over it, then a bisect each)."""

    def __init__(self, text: str) -> None:
        self.starts = [m.end() for m in re.finditer("\n", text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


def _read_bytes(loc: Location) -> bytes:
    try:
        with loc.open_binary() as handle:
            data: bytes = handle.read(MAX_OFX_BYTES + 1)
    except IsADirectoryError:
        raise ReadError(loc.display, "is a folder; expected an OFX or QFX file") from None
    except OSError as exc:
        raise ReadError(loc.display, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_OFX_BYTES:
        raise ReadError(
            loc.display, f"is larger than {MAX_OFX_BYTES >> 20} MB; expected a statement"
        )
    if not data.strip():
        raise ReadError(loc.display, "is empty; expected an OFX or QFX statement", 1)
    if b"\x00" in data[:8192]:
        raise ReadError(loc.display, "is a binary file; expected an OFX or QFX statement (text)")
    return data
