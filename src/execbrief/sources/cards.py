"""A card's payments matched to the bank's lines that paid them, so the card's charges are
counted once.

A card export (``sign = "card"``, the ``american-express`` layout, an OFX ``CCSTMTRS``) books its
charges as expenses and a payment to the card as money in on :data:`CARD_PAYMENTS`, a liability,
never income. The bank's download books the same payment as money out; with no category it is an
uncategorised expense, so the card's charges would be counted twice (once each, and again as the
bank's payment). :func:`match_card_payments` takes each card payment and re-books the bank's line of
the same amount that says it pays a card (``AMEX EPAYMENT``, ``PAYMENT TO CREDIT CARD``), dated up
to :data:`PAYMENT_DAYS` around it, to :data:`CARD_PAYMENTS` too: a transfer within the cash pool,
no expense. Its cash movement stays in the bank's balance.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from execbrief.records.ledger import CARD_PAYMENTS, AccountType, Transaction
from execbrief.snapshot import Record
from execbrief.values import Money

__all__ = ["CARD_PAYMENTS", "match_card_payments"]
#: A bank line pays a card payment when dated up to this many days before or after it.
PAYMENT_DAYS = 7
#: A bank line that says it pays a card.
BANK_MEMO = re.compile(
    r"\b(amex|american express|card|crd|cc|epay(ment)?|autopay|pmt)\b", re.IGNORECASE
)


def match_card_payments(records: Sequence[Record]) -> list[Record]:
    """``records`` with each bank line that paid a card payment re-booked to the card's
    liability (an expense no more); every other record as it was."""
    payments = [
        r
        for r in records
        if isinstance(r, Transaction) and r.account == CARD_PAYMENTS and r.amount.amount > 0
    ]
    if not payments:
        return list(records)
    out = list(records)
    amounts = {p.amount.amount for p in payments}
    candidates: dict[Decimal, list[int]] = defaultdict(list)  # a big ledger is scanned once
    for i, r in enumerate(out):
        if isinstance(r, Transaction) and r.amount.amount in amounts:
            candidates[r.amount.amount].append(i)
    taken: set[int] = set()
    for payment in sorted(payments, key=lambda p: p.date):
        found = next(
            (
                i
                for i in candidates[payment.amount.amount]
                if i not in taken and _pays(out[i], payment)
            ),
            None,
        )
        if found is None:
            continue
        taken.add(found)
        line = out[found]
        assert isinstance(line, Transaction)
        out[found] = dataclasses.replace(
            line,
            account=CARD_PAYMENTS,
            account_type=AccountType.LIABILITY,
            category=CARD_PAYMENTS.split(":")[-1],
            amount=Money(-line.amount.amount, line.amount.currency),
        )
    return out


def _pays(record: Record, payment: Transaction) -> bool:
    """Whether ``record`` is another file's bank line that paid ``payment``."""
    return (
        isinstance(record, Transaction)
        and record.account_type is AccountType.EXPENSE
        and record.cash
        and record.amount == payment.amount
        and record.provenance.source != payment.provenance.source
        and abs((record.date - payment.date).days) <= PAYMENT_DAYS
        and bool(BANK_MEMO.search(record.memo))
    )
