"""Records read from bookkeeping ledgers (CSV exports or beancount).

A ledger may hold millions of lines, so its records are slotted (no per-row ``__dict__``); like
every record they pickle as the tuple of their fields (``snapshot.Record``).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from execbrief.snapshot import Record, set_by_slot
from execbrief.values import Money


class AccountType(enum.StrEnum):
    """The account types both hierarchical names and numbered charts map to."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    COST_OF_SALES = "cost_of_sales"
    EXPENSE = "expense"


@set_by_slot
@dataclass(frozen=True, slots=True)
class Transaction(Record):
    """One ledger line.

    Sign convention (the same for every ledger format): ``amount`` is positive for income earned and
    for expenses incurred, i.e. income and expense amounts are both positive numbers, a refund or
    reversal is negative. ``cash`` says whether the line moved cash (a bank/cash account on the
    other side), which burn is computed from. ``account`` is the full account name as written
    (``Expenses:Fuel`` or ``6100 Fuel``); ``category`` is its last segment. ``cash_account`` names
    the cash account the line's transaction moved when the export lists it (a double-entry export
    has the bank's own lines), so cash is added up per account; None when the cash side is implied.
    """

    date: date
    account: str
    account_type: AccountType
    category: str
    amount: Money
    memo: str = ""
    counterparty: str | None = None
    reference: str | None = None
    cash: bool = True
    cash_account: str | None = None


@set_by_slot
@dataclass(frozen=True, slots=True)
class CashBalance(Record):
    """A cash balance on a date: an opening balance or a balance assertion.

    ``asserted`` balances are checked against the transactions; ``computed`` is what the
    transactions give at that date (None when not computable) so a failed assertion can be shown.
    """

    date: date
    account: str
    balance: Money
    kind: str = "opening"  # opening | assertion | closing
    computed: Money | None = None

    @property
    def reconciles(self) -> bool:
        """True when there is nothing to check or the computed balance matches."""
        return self.computed is None or self.computed == self.balance


def processor_balance(processor: str) -> str:
    """The account a processor's payout leaves from (``Assets:Stripe balance``): a bank credit
    matched to a payout is moved onto it, a transfer within the cash pool, not income."""
    return f"Assets:{processor} balance"


_PROCESSOR_BALANCE = re.compile(r"Assets:(.+) balance")


#: Where a card's money in goes (a payment, or a credit with no category); a bank line that
#: paid the card is re-booked here, so the card's charges count once, as expenses.
CARD_PAYMENTS = "Liabilities:Card payments and credits"


def pays_card(record: Transaction) -> bool:
    """Whether a bank line is a card payment matched to the card's own payment line (a
    transfer to the card, not spending)."""
    return record.account == CARD_PAYMENTS and record.cash and record.amount.amount < 0


def paid_out_by(record: Transaction) -> str | None:
    """The processor whose payout a bank credit was matched to (``processor_balance``), else
    None."""
    found = _PROCESSOR_BALANCE.fullmatch(record.account)
    if found is None or record.account_type != AccountType.ASSET or record.amount.amount >= 0:
        return None
    return found.group(1)


_RECEIVABLE = re.compile(r"\b(?:accounts? )?receivables?\b", re.IGNORECASE)


def is_receivable(account: str, account_type: AccountType) -> bool:
    """Whether an account is a receivable (Xero's ``Accounts Receivable (610)``, QuickBooks'
    ``11000 · Accounts Receivable``): an asset whose name says receivable."""
    return account_type == AccountType.ASSET and _RECEIVABLE.search(account) is not None


@dataclass(frozen=True)
class ReceivableBalance(Record):
    """A grouped export's own balance row under a receivable account's heading (Xero's
    ``Opening Balance`` and ``Closing Balance``): ``opening`` is what was owed before the
    export's first line (no date: the row has none), ``closing`` after its last, dated that
    line's day. Not cash; the receivables analysis itemises and checks against them."""

    account: str
    kind: str  # opening | closing
    balance: Money
    date: date | None = None
