"""A payment processor's balance export in an entity's cash pool (Stripe), and its payouts matched
to the bank's lines so income is counted once.

A processor export lists balance transactions with their ``gross``, ``fee`` and ``net``: a charge's
gross is income and its fee an expense; a refund or dispute is negative income; a ``fee`` row
(billing, Radar) an expense; a ``payout`` row moves the net balance to the bank. The processor's
lines move no cash of their own: cash is the bank's, and the payout reaches it as the bank's
"STRIPE TRANSFER" credit. :func:`match_payouts` takes each payout and drops the bank credit of the
same amount, dated on the payout's day or up to ``PAYOUT_DAYS`` after it, from the income
(it is a transfer within the pool); its cash movement stays in the bank's balance. A payout with no
bank line is said in one warning (the bank export may end before it arrives).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from execbrief.records.ledger import AccountType, Transaction
from execbrief.snapshot import Provenance, Record, SourceError
from execbrief.sources.base import SourceRequest
from execbrief.sources.cells import parse_date
from execbrief.sources.files import Column, CsvTable, Location, RowErrors, provenance
from execbrief.values import Money

#: A bank line is the payout's when dated on the payout's day up to this many days after it.
PAYOUT_DAYS = 7

COLUMNS = (
    Column("id", ("balance_transaction_id", "payout_id")),
    Column("date", ("created", "effective_at", "created_utc", "effective_at_utc")),
    Column("arrival", ("payout_expected_arrival_date", "automatic_payout_effective_at")),
    Column("currency", ()),
    Column("gross", ()),
    Column("fee", ()),
    Column("net", ()),
    Column("category", ("reporting_category",)),
    Column("description", ()),
)
REQUIRE = ("date", "gross", "net", "category")

_INCOME = "Income:Sales (Stripe)"
_FEES = "Expenses:Payment processing fees (Stripe)"
_EXPENSE_CATEGORIES = frozenset({"fee", "network_cost", "tax"})
#: The bank's description of a processor's transfer (Chase: "ORIG CO NAME:STRIPE ... TRANSFER").
BANK_MEMO = re.compile(r"\bstripe\b", re.IGNORECASE)


@dataclass(frozen=True)
class Payout:
    """A payout from the processor to the bank: its day (expected arrival when given)."""

    day: date
    amount: Decimal
    reference: str
    at: Provenance


def read_processor(
    request: SourceRequest,
    loc: Location,
    currency: str,
    date_format: str | None,
) -> tuple[list[Record], list[Payout], RowErrors, CsvTable]:
    """The income and fee transactions and the payouts of one processor export."""
    table = CsvTable(loc, COLUMNS, require=REQUIRE)
    base = provenance(loc)
    bad = RowErrors(loc)
    records: list[Record] = []
    payouts: list[Payout] = []
    for line, row in table.rows(bad):
        try:
            records.extend(_row(request, row, base.at_line(line), currency, date_format, payouts))
        except (ValueError, ArithmeticError) as exc:
            bad.add(line, str(exc))
    return records, payouts, bad, table


def _row(
    request: SourceRequest,
    row: dict[str, str],
    at: Provenance,
    currency: str,
    date_format: str | None,
    payouts: list[Payout],
) -> list[Record]:
    day = parse_date(row["date"], date_format)
    gross, fee, net = (_amount(row.get(name, ""), name) for name in ("gross", "fee", "net"))
    category = row["category"].strip().lower()
    memo = row.get("description", "")
    if category == "payout":
        arrival = row.get("arrival", "").strip()
        when = parse_date(arrival, date_format) if arrival else day
        payouts.append(Payout(when, abs(net), row.get("id", ""), at))
        return []

    def line(account: str, kind: AccountType, amount: Decimal) -> Transaction:
        category_name = account.split(":")[-1]
        return Transaction(
            request.entity.id, at, day, account, kind, category_name,
            Money(amount, currency), memo, None, row.get("id") or None,
        )  # fmt: skip

    if category in _EXPENSE_CATEGORIES:
        return [line(_FEES, AccountType.EXPENSE, -net)]
    out: list[Record] = [line(_INCOME, AccountType.INCOME, gross)] if gross else []
    if fee:
        out.append(line(_FEES, AccountType.EXPENSE, fee))
    return out


def _amount(text: str, name: str) -> Decimal:
    value = text.strip().replace(",", "")
    if not value:
        return Decimal(0)
    try:
        return Decimal(value)
    except ArithmeticError:
        raise ValueError(
            f"bad {name} {text.strip()[:40]!r}; expected a number like 12.50"
        ) from None


def match_payouts(
    request: SourceRequest, records: Sequence[Record], payouts: Sequence[Payout], kind: str
) -> tuple[list[Record], list[SourceError]]:
    """``records`` without the bank credits that are payouts (transfers within the cash pool), and
    a warning for each payout no bank line matched."""
    candidates = [
        i
        for i, r in enumerate(records)
        if isinstance(r, Transaction)
        and r.account_type == AccountType.INCOME
        and BANK_MEMO.search(r.memo)
        and not r.account.endswith("(Stripe)")
    ]
    dropped: set[int] = set()
    errors: list[SourceError] = []
    for payout in sorted(payouts, key=lambda p: p.day):
        found = next(
            (i for i in candidates if i not in dropped and _pays(records[i], payout)), None
        )
        if found is not None:
            dropped.add(found)
            continue
        errors.append(
            SourceError(
                entity=request.entity.id,
                source_kind=kind,
                provenance=payout.at,
                message=(
                    f"payout {payout.reference or ''} of {payout.amount} on {payout.day.isoformat()}"
                    f" has no bank line of that amount within {PAYOUT_DAYS} days; list the bank "
                    "export that received it beside the processor's in this entity's ledger"
                ).replace("payout  of", "payout of"),
                fatal=False,
            )
        )
    return [r for i, r in enumerate(records) if i not in dropped], errors


def _pays(record: Record, payout: Payout) -> bool:
    assert isinstance(record, Transaction)
    late = (record.date - payout.day).days
    return record.amount.amount == payout.amount and timedelta(0).days <= late <= PAYOUT_DAYS
