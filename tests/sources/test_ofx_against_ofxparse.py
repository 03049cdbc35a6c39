"""The OFX reader (sources/ofxtags.py, our own: ofxparse over BeautifulSoup took 4.7 s a MB, see
bench/parsers.py) read against ofxparse, a well-kept OFX library, on every OFX/QFX fixture laid
out as the banks write them: the same transactions (date, amount, FITID, payee, memo) and the
same ledger balance. Two differences are ours on purpose: a cheque's reference is its CHECKNUM
(ofxparse's id is the FITID), and a day is the bank's own local day, where ofxparse turns
``20261030230000[-5:EST]`` into 31 October in UTC."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.sources.files import Location
from execbrief.sources.ofx import read_statements

ofxparse = pytest.importorskip("ofxparse")
#: ofxparse calls BeautifulSoup's deprecated findAll and parses XML as HTML: its warnings, not ours
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = sorted([*DATA.rglob("*.ofx"), *DATA.rglob("*.qfx")])


def _ours(path: Path) -> list[tuple[list[tuple], Decimal | None]]:
    statements = read_statements(Location(display=path.name, path=path))
    return [
        (
            sorted((t.day, t.amount, t.reference, t.payee, t.memo) for t in s.lines),
            s.balance[2] if s.balance else None,
        )
        for s in statements
    ]


_POSTED = re.compile(r"<FITID>([^<\s]+).*?<DTPOSTED>\d{8,14}(?:\.\d+)?\[([+-]?\d+)", re.S)
_POSTED_FIRST = re.compile(r"<DTPOSTED>\d{8,14}(?:\.\d+)?\[([+-]?\d+).*?<FITID>([^<\s]+)", re.S)


def _offsets(path: Path) -> dict[str, int]:
    """Each transaction's UTC offset in hours, by FITID, as its DTPOSTED writes it."""
    offsets: dict[str, int] = {}
    for block in path.read_text(errors="replace").split("<STMTTRN>")[1:]:
        if m := _POSTED.search(block):
            offsets[m.group(1)] = int(m.group(2))
        elif m := _POSTED_FIRST.search(block):
            offsets[m.group(2)] = int(m.group(1))
    return offsets


def _local_day(posted: object, offset: int) -> date:
    return (posted + timedelta(hours=offset)).date()  # type: ignore[operator]


def _theirs(path: Path) -> list[tuple[list[tuple], Decimal | None]]:
    with path.open("rb") as handle:
        parsed = ofxparse.OfxParser.parse(handle)
    offsets = _offsets(path)
    return [
        (
            sorted(
                (
                    _local_day(t.date, offsets.get(t.id, 0)),
                    t.amount,
                    t.checknum or t.id,
                    t.payee or "",
                    t.memo or "",
                )
                for t in account.statement.transactions
            ),
            getattr(account.statement, "balance", None),
        )
        for account in parsed.accounts
    ]


def test_there_are_fixtures_to_compare() -> None:
    assert len(FIXTURES) >= 3


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_our_reader_and_ofxparse_read_the_same_statement(path: Path) -> None:
    assert _ours(path) == _theirs(path)
