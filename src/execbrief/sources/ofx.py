"""OFX and QFX statements (a bank's or a card's download for Quicken, Money or QuickBooks).

The file is parsed by ofxparse (MIT; OFX 1.x SGML and OFX 2.x XML, bank ``STMTRS`` and credit
card ``CCSTMTRS``); ofxtools, the other maintained reader, is GPL-3, so the base install does not
use it. This module only reads: each statement's lines (OFX's own sign, for a bank and a card
alike: positive is money in, negative money out) and its ``LEDGERBAL``, the balance at
``DTASOF``. The ledger source turns them into transactions and a balance assertion.

Dates are the statement's own calendar dates, the first eight digits of ``DTPOSTED`` and
``DTASOF``: ofxparse converts a time with a zone to UTC, which moves a late-evening line in
New York to the next day. Each line cites the physical line of its ``<STMTTRN>``.
"""

from __future__ import annotations

import bisect
import functools
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from execbrief.sources.files import Location, ReadError, excerpt

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
_TRANSACTION = re.compile(r"<STMTTRN>", re.IGNORECASE)
_LEDGERBAL = re.compile(r"<LEDGERBAL>", re.IGNORECASE)
_FIELD = r"<{}>\s*([^<\r\n]*)"


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
    transactions ofxparse could not read, as ``(line, message)``."""

    account: str
    card: bool
    currency: str | None
    lines: tuple[StatementLine, ...]
    balance: tuple[int, date, Decimal] | None
    skipped: tuple[tuple[int, str], ...] = ()


def read_statements(loc: Location) -> list[Statement]:
    """The statements of one OFX/QFX file; ``ReadError`` naming the file when it is not one."""
    data = _read_bytes(loc)
    text = data.decode("latin-1")  # the tags are ASCII: enough to find their lines
    _has_a_statement(loc, text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ofxparse calls BeautifulSoup's old method names
            # a bad transaction is skipped (``discarded_entries``), the rest of the file read
            parsed = _ofxparse().OfxParser.parse(io.BytesIO(data), fail_fast=False)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(
            loc.display,
            f"is not a readable OFX/QFX statement ({type(exc).__name__}: {str(exc)[:80]}); "
            + EXPECTED,
        ) from None
    blocks = _blocks(text)
    lines = _Lines(text)
    out: list[Statement] = []
    for account in getattr(parsed, "accounts", []):
        statement = getattr(account, "statement", None)
        if statement is None or not hasattr(statement, "transactions"):
            continue  # an investment statement: not a bank's or a card's
        card = account.type == _ofxparse().AccountType.CreditCard
        start = blocks["CCSTMTRS" if card else "STMTRS"].pop(0) if blocks else (0, len(text))
        out.append(_statement(loc, text, lines, start, account, statement, card))
    if not out:
        raise ReadError(loc.display, NO_STATEMENT)
    return out


def _has_a_statement(loc: Location, text: str) -> None:
    """Refuse, before ofxparse builds its tree (4 s a MB of nested tags), a file with no ``<OFX>``
    element or no bank or card statement in it: ofxparse would find nothing in it either."""
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
        # ofxparse searches the whole tree a few dozen times: 1 MB of other tags took 9 s
        raise ReadError(
            loc.display,
            f"has {tags:,} tags for {transactions:,} transactions; expected a bank's or card's "
            f"statement (at most {TAGS_PER_TRANSACTION} tags a transaction)",
        )
    for name, count in closed.items():
        if opened[name] - count > MAX_UNCLOSED:
            # ofxparse nests each unclosed one in the one before, then searches each nest:
            # 1,000 unclosed <STMTTRN> in 40 KB took 5 s, in 200 KB two minutes
            raise ReadError(
                loc.display,
                f"has {opened[name]:,} <{name}> tags but {count:,} </{name}>; expected each "
                f"<{name}> closed, as a bank's download closes them",
            )


def _statement(
    loc: Location,
    text: str,
    lines_at: _Lines,
    span: tuple[int, int],
    account: Any,
    statement: Any,
    card: bool,
) -> Statement:
    chunk = text[span[0] : span[1]]
    found = _transactions(text, lines_at, span)
    lines = []
    for item in statement.transactions:
        line, day = found.get(item.id, (None, None))
        if line is None:
            raise ReadError(loc.display, f"has a transaction whose FITID {item.id!r} is not found")
        day = day or item.date.date()
        lines.append(
            StatementLine(
                line,
                day,
                Decimal(item.amount),
                (item.payee or "").strip(),
                (item.memo or "").strip(),
                (item.checknum or item.id or "").strip() or None,
                (item.type or "").strip(),
            )
        )
    balance = None
    ledger = _LEDGERBAL.search(chunk)
    if ledger is not None and getattr(statement, "balance", None) is not None:
        at = span[0] + ledger.start()
        day = _date_field(text[at : at + 400], "DTASOF")
        if day is not None:
            balance = (lines_at.of(at), day, Decimal(statement.balance))
    skipped = []
    for entry in getattr(statement, "discarded_entries", []):
        fitid = entry["content"].find("fitid") if hasattr(entry.get("content"), "find") else None
        key = fitid.contents[0].strip() if fitid is not None and fitid.contents else ""
        line = found.get(key, (lines_at.of(span[0]), None))[0]
        message = " ".join(str(entry.get("error") or "unreadable transaction").split())
        message = re.sub(r"\s+(['\"])$", r"\1", message)  # ofxparse quotes the tag's newline
        skipped.append((line, message[:80]))
    kind = "credit card" if card else (getattr(account, "account_type", "") or "bank").lower()
    number = (getattr(account, "account_id", "") or "")[-4:]
    currency = (statement.currency or "").strip().upper() or None
    if currency is not None and not _CURRENCY.fullmatch(currency):
        raise ReadError(
            loc.display,
            f"has a statement currency (CURDEF) {excerpt(currency, 24)!r} that is not a "
            "three-letter code; expected one such as USD in the bank's download",
        )
    name = f"{kind} ...{number}" if number else kind
    return Statement(name, card, currency, tuple(lines), balance, tuple(skipped))


def _blocks(text: str) -> dict[str, list[tuple[int, int]]]:
    """The span of each statement aggregate, by kind, in the order ofxparse lists them."""
    starts = [(m.start(), m.group(1).upper()) for m in _BLOCK.finditer(text)]
    out: dict[str, list[tuple[int, int]]] = {"STMTRS": [], "CCSTMTRS": []}
    for index, (start, kind) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        out[kind].append((start, end))
    return out


def _transactions(
    text: str, lines_at: _Lines, span: tuple[int, int]
) -> dict[str, tuple[int, date | None]]:
    """FITID -> (line of its ``<STMTTRN>``, its ``DTPOSTED`` calendar date) within ``span``."""
    out: dict[str, tuple[int, date | None]] = {}
    positions = [m.start() for m in _TRANSACTION.finditer(text, span[0], span[1])]
    for index, start in enumerate(positions):
        end = positions[index + 1] if index + 1 < len(positions) else span[1]
        block = text[start:end]
        fitid = re.search(_FIELD.format("FITID"), block, re.IGNORECASE)
        if fitid is not None:
            out.setdefault(
                fitid.group(1).strip(), (lines_at.of(start), _date_field(block, "DTPOSTED"))
            )
    return out


def _date_field(block: str, tag: str) -> date | None:
    found = re.search(_FIELD.format(tag), block, re.IGNORECASE)
    digits = found.group(1).strip()[:8] if found else ""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


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


@functools.cache
def _ofxparse() -> Any:
    import ofxparse
    from ofxparse import ofxparse as parser

    parser.OfxPreprocessedFile = _linear_preprocessed_file(parser.OfxFile)
    return ofxparse


def _linear_preprocessed_file(base: type) -> type:
    """ofxparse 0.21's ``OfxPreprocessedFile`` with its one quadratic step made linear.

    To close the SGML tags an OFX 1.x file leaves open, ofxparse lists every closing tag of the
    file, then asks, for each opening tag, whether its name is in that *list*: 12,500
    transactions (1 MB) took 7.7 of 12 s, and 4 MB minutes. This is the same pass over the same
    tokens with the names in a set, so the text parsed, the tags closed and the errors raised are
    ofxparse's own; ``_ofxparse`` puts it where ``OfxParser.parse`` looks it up. ``base`` is
    ofxparse's ``OfxFile``, which reads the headers.
    """

    class LinearPreprocessedFile(base):
        def __init__(self, fh: Any) -> None:
            super().__init__(fh)
            read: Any = getattr(self, "fh", None)  # the body after the headers
            if read is None:
                return
            text = read.read()
            closing = {t.upper() for t in re.findall(r"(?i)</([a-z0-9_\.]+)>", text)}
            last_open: str | None = None
            out = io.StringIO()
            for token in re.split(r"(?i)(</?[a-z0-9_\.]+>)", text):
                is_tag = token.startswith("<") and not token.startswith("<!")
                if is_tag and last_open is not None:
                    out.write(f"</{last_open}>")
                    last_open = None
                if is_tag and not token.startswith(("</", "<?")):
                    name = re.findall(r"(?i)<([a-z0-9_\.]+)>", token)[0]
                    if name.upper() not in closing:
                        last_open = name
                out.write(token)
            out.seek(0)
            self.fh = out

    return LinearPreprocessedFile
