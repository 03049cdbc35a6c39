"""The ``ledger`` source: bookkeeping transactions and cash balances per entity.

Reads CSV ledgers (one row per line on a non-cash account, the cash side implied) and beancount
files (``.beancount``/``.bean``, through the optional beancount v3 library). Both give
``Transaction`` records in one sign convention and ``CashBalance`` records (opening balances,
balance assertions with their computed value, and a computed closing balance at ``as_of``).

The format, the sign convention and the options are documented in ``docs/formats.md``
("Ledgers").
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import Field, field_validator

from execbrief import cyclegc
from execbrief.config import Model
from execbrief.hookspecs import hookimpl
from execbrief.records.ledger import (
    AccountType,
    CashBalance,
    ReceivableBalance,
    Transaction,
    is_receivable,
)
from execbrief.snapshot import ColumnMapping, Provenance, Record, SourceError, SourceResult
from execbrief.sources import layouts
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.beancount_files import IncludeGraph, include_graph
from execbrief.sources.cards import CARD_PAYMENTS, match_card_payments
from execbrief.sources.cells import check_date_format, parse_amount, parse_date
from execbrief.sources.files import (
    OFFER_LINES,
    ROW_ERRORS_QUOTED,
    Column,
    CsvTable,
    DateRange,
    Location,
    ReadError,
    RowErrors,
    excerpt,
    expand,
    finish,
    offered_records,
    provenance,
    read_text,
)
from execbrief.sources.ofx import OFX_SUFFIXES, read_statements
from execbrief.sources.processor import (
    BY_LAYOUT,
    Held,
    Payout,
    match_payouts,
    read_processor,
    unpaired_credits,
)
from execbrief.sources.tabular import file_layout, mapping_of
from execbrief.values import Money

KIND = "ledger"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
BEANCOUNT_SUFFIXES = (".beancount", ".bean")
SIGN_CHECK_MIN_ROWS = 3
#: How many distinct amounts and plans a reader shares before it forgets them (``_Shared``).
SHARED_LIMIT = 1 << 18
T = TypeVar("T")

COLUMNS = (
    Column(
        "date",
        (
            "Transaction Date",
            "Txn Date",
            "Trans Date",
            "Posting Date",
            "Post Date",
            "Posted",
            "Date Posted",
            "Booking Date",
            "Value Date",
        ),
    ),
    Column("account", ("Category", "Account Name", "GL Account", "Ledger Account")),
    Column(
        "amount", ("Amount", "Amount USD", "Transaction Amount", "Value", "Net Amount", "Total")
    ),
    Column(
        "debit",
        ("Debit", "Debit Amount", "Debits", "Withdrawal", "Withdrawals", "Money Out", "Paid Out"),
    ),
    Column(
        "credit",
        ("Credit", "Credit Amount", "Credits", "Deposit", "Deposits", "Money In", "Paid In"),
    ),
    Column(
        "memo",
        (
            "Description",
            "Transaction Description",
            "Memo/Description",
            "Memo",
            "Details",
            "Narrative",
            "Narration",
        ),
    ),
    Column("counterparty", ("Payee", "Name", "Contact", "Vendor", "Customer", "Payer", "Merchant")),
    Column(
        "reference",
        (
            "Ref",
            "Reference",
            "Check Number",
            "Check",
            "Check or Slip",
            "Doc Number",
            "Num",
            "Transaction ID",
        ),
    ),
    Column("type", ("Entry Type", "Kind", "Row Type")),
    # The kind of transaction as the bookkeeping tool names it (QuickBooks "Invoice", Xero
    # "Receivable Payment"): with ``reference`` and ``counterparty`` it tells which lines of a
    # double-entry export are one transaction.
    Column("transaction_type", ("Transaction Type", "Txn Type", "Source")),
    Column("account_type", ("Account Type", "Account Group", "Account Class")),
    Column("balance", ("Running Balance", "Running Bal", "Balance")),
)
REQUIRE = ("date", "account", ("amount", "debit", "credit"))
REQUIRE_WITHOUT_ACCOUNT = ("date", ("amount", "debit", "credit"))

#: The sane range of a ledger amount (docs/formats.md, "Ledgers"): below a trillion in absolute
#: value, at most six decimal places, written in at most 40 characters. Beyond it a row is an error
#: naming its file and line, never a figure that later fails a report's arithmetic.
MAX_AMOUNT = Decimal(10) ** 12
MAX_AMOUNT_DECIMALS = 6
MAX_AMOUNT_CHARS = 40


def check_amount(number: Decimal, *, what: str = "amount") -> Decimal:
    """``number`` if it is in the sane range of a ledger amount, else ``ValueError``."""
    exponent = number.as_tuple().exponent
    if not number.is_finite() or abs(number) >= MAX_AMOUNT:
        raise ValueError(
            f"{what} {excerpt(str(number), 24)} is out of range; expected less than "
            "1,000,000,000,000 either way"
        )
    if isinstance(exponent, int) and exponent < -MAX_AMOUNT_DECIMALS:
        raise ValueError(
            f"{what} {excerpt(str(number), 24)} has {-exponent} decimal places; expected at most "
            f"{MAX_AMOUNT_DECIMALS}"
        )
    return number


@functools.lru_cache(maxsize=1 << 16)  # amounts repeat row after row; a bad one is not kept
def ledger_amount(text: str, *, what: str = "amount") -> Decimal:
    """A ledger cell's amount (``cells.parse_amount``) within the sane range, else ``ValueError``."""
    if len(text.strip()) > MAX_AMOUNT_CHARS:
        raise ValueError(
            f"bad {what} {excerpt(text, 24)!r} ({len(text.strip())} characters); expected an "
            f"amount of at most {MAX_AMOUNT_CHARS} characters, like 1234.56"
        )
    return check_amount(parse_amount(text, what=what), what=what)


_PREFIXES: dict[str, AccountType] = {
    "assets": AccountType.ASSET,
    "asset": AccountType.ASSET,
    "liabilities": AccountType.LIABILITY,
    "liability": AccountType.LIABILITY,
    "equity": AccountType.EQUITY,
    "income": AccountType.INCOME,
    "revenue": AccountType.INCOME,
    "revenues": AccountType.INCOME,
    "sales": AccountType.INCOME,
    "expenses": AccountType.EXPENSE,
    "expense": AccountType.EXPENSE,
    "costofsales": AccountType.COST_OF_SALES,
    "costofgoodssold": AccountType.COST_OF_SALES,
    "cogs": AccountType.COST_OF_SALES,
}
_NUMBERED = re.compile(r"^(?P<num>\d{4,6})(?:[\s:.\-–·]+(?P<name>.*))?$")
_CASH_WORDS = re.compile(r"cash|checking|chequing|bank|savings|money ?market|petty", re.IGNORECASE)
_OPENING_WORDS = re.compile(r"\bopening\b", re.IGNORECASE)
_BALANCE_TYPES = frozenset({"balance", "assertion", "balance assertion", "closing", "statement"})
#: FreshBooks types a cash account's starting balance ``initial_balance``.
_OPENING_TYPES = frozenset({"opening", "initial_balance"})
_NONCASH_TYPES = frozenset({"accrual", "noncash", "non-cash", "journal", "adjustment"})

# Income, liabilities and equity grow with money in; expenses, cost of sales and assets with money out.
_CASH_IN_TYPES = frozenset({AccountType.INCOME, AccountType.LIABILITY, AccountType.EQUITY})


def cash_direction(account_type: AccountType) -> int:
    """+1 if a positive amount on this account type means money in, -1 if money out."""
    return 1 if account_type in _CASH_IN_TYPES else -1


class OpeningBalance(Model):
    """``opening_balance = { date = 2025-10-01, amount = 42000, account = "Assets:Checking" }``."""

    date: date
    amount: Decimal
    account: str = "Assets:Cash"

    @field_validator("amount")
    @classmethod
    def _sane(cls, value: Decimal) -> Decimal:
        return check_amount(value)


class DefaultAccounts(Model):
    """``default_accounts = { money_in = "Income:Uncategorized", money_out = "Expenses:Uncategorized" }``.

    For exports without categories (or with a bank's own category names): a row with no account
    goes to ``money_in`` or ``money_out`` by the direction of its cash, and a name that is neither
    hierarchical nor numbered is typed income or expense the same way.
    """

    money_in: str = "Income:Uncategorized"
    money_out: str = "Expenses:Uncategorized"


class LedgerOptions(Model):
    """Options of the ``ledger`` source (an inline table on the entity)."""

    columns: dict[str, str] = Field(default_factory=dict)
    date_format: str | None = None
    sign: Literal["natural", "bank", "debit", "card"] = "natural"
    opening_balance: OpeningBalance | None = None
    account_types: dict[str, AccountType] = Field(default_factory=dict)
    cash_accounts: list[str] = Field(default_factory=list)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    default_accounts: DefaultAccounts | None = None
    double_entry: bool = False
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    grouped: bool = False
    #: A known export layout (``sources.layouts``); recognised from the header when unset.
    layout: str | None = None
    #: The column names of a file with no header line (``files.CsvTable``), by position.
    header: list[str] | None = Field(default=None, min_length=1)
    #: An entity may list several ledger tables, each with its own options (config.py).
    several_files: ClassVar[bool] = True

    @field_validator("layout")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        return layouts.check(value, KIND)

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, value: dict[str, str]) -> dict[str, str]:
        known = [c.name for c in COLUMNS]
        for key in value:
            if key not in known:
                raise ValueError(
                    f"unknown ledger column {key!r}; expected one of {', '.join(known)}"
                )
        return value

    @field_validator("date_format")
    @classmethod
    def _format(cls, value: str | None) -> str | None:
        return check_date_format(value)


@dataclass(frozen=True)
class Account:
    """An account name read: its type, its last segment, whether it holds cash."""

    name: str
    type: AccountType
    category: str
    cash: bool


class AccountBook:
    """Classifies account names (cached: ledgers repeat a few dozen names many times)."""

    def __init__(self, options: LedgerOptions) -> None:
        self.overrides = {
            key.strip().lower(): value for key, value in options.account_types.items()
        }
        self.cash_names = {name.strip().lower() for name in options.cash_accounts}
        self._cache: dict[tuple[str, str], Account] = {}

    def read(self, name: str, type_label: str = "") -> Account:
        """The account for a name as written; ``ValueError`` if its type cannot be told.

        ``type_label`` is the export's own account type column (``Expenses``, ``Cash and Bank``),
        used when it is one of the known words; ``account_types`` in the config still wins.
        """
        cached = self._cache.get((name, type_label))
        if cached is None:
            cached = self._classify(name, type_label)
            self._cache[(name, type_label)] = cached
        return cached

    def _classify(self, raw: str, type_label: str) -> Account:
        name = sys.intern(raw.strip())
        if not name:
            raise ValueError("empty account")
        segments = [s.strip() for s in name.split(":") if s.strip()]
        category = sys.intern(segments[-1] if segments else name)
        kind = self._override(name)
        labelled = _TYPE_LABELS.get(_key(type_label)) if type_label else None
        if kind is None and labelled is not None:
            kind = labelled[0]
        numbered = _NUMBERED.match(segments[0] if segments else name)
        if numbered and numbered["name"]:
            category = sys.intern(numbered["name"].strip())
        if kind is None and numbered:
            kind = _numbered_type(numbered["num"])
            if kind is None:
                raise ValueError(
                    f"account {name!r} is outside the numbered ranges (1xxx assets .. 7xxx expenses); "
                    f'map it with account_types = {{ "{name}" = "{guess_account_type(name)}" }}'
                )
        if kind is None and len(segments) > 1:
            kind = _PREFIXES.get(_key(segments[0]))
            if kind is AccountType.EXPENSE and _key(segments[1]) in (
                "costofsales",
                "costofgoodssold",
                "cogs",
            ):
                kind = AccountType.COST_OF_SALES
        if kind is None:
            raise ValueError(
                f"account {name!r} is neither hierarchical (Expenses:Fuel) nor numbered (6100 Fuel); "
                f'map it with account_types = {{ "{name}" = "{guess_account_type(name)}" }}'
            )
        cash = kind is AccountType.ASSET and (
            (labelled is not None and labelled[1]) or self._is_cash(name, numbered)
        )
        return Account(name, kind, category, cash)

    def _override(self, name: str) -> AccountType | None:
        lowered = name.lower()
        if lowered in self.overrides:
            return self.overrides[lowered]
        best: tuple[int, AccountType] | None = None
        for key, value in self.overrides.items():
            if (
                key.endswith(":")
                and lowered.startswith(key)
                and (best is None or len(key) > best[0])
            ):
                best = (len(key), value)
        return best[1] if best else None

    def _is_cash(self, name: str, numbered: re.Match[str] | None) -> bool:
        if self.cash_names:
            lowered = name.lower()
            return any(
                lowered == c or lowered.startswith(c.rstrip(":") + ":") for c in self.cash_names
            )
        if numbered:
            return 1000 <= int(numbered["num"][:4]) <= 1099 or bool(_CASH_WORDS.search(name))
        return bool(_CASH_WORDS.search(name))


_TYPE_LABELS: dict[str, tuple[AccountType, bool]] = {
    **{key: (value, False) for key, value in _PREFIXES.items()},
    "cashandbank": (AccountType.ASSET, True),
    "bank": (AccountType.ASSET, True),
    "cash": (AccountType.ASSET, True),
    "currentasset": (AccountType.ASSET, False),
    "currentassets": (AccountType.ASSET, False),
    "fixedasset": (AccountType.ASSET, False),
    "fixedassets": (AccountType.ASSET, False),
    "accountsreceivable": (AccountType.ASSET, False),
    "othercurrentasset": (AccountType.ASSET, False),
    "othercurrentassets": (AccountType.ASSET, False),
    "currentliability": (AccountType.LIABILITY, False),
    "othercurrentliability": (AccountType.LIABILITY, False),
    "othercurrentliabilities": (AccountType.LIABILITY, False),
    "longtermliabilities": (AccountType.LIABILITY, False),
    "currentliabilities": (AccountType.LIABILITY, False),
    "creditcard": (AccountType.LIABILITY, False),
    "accountspayable": (AccountType.LIABILITY, False),
    "otherincome": (AccountType.INCOME, False),
    "operatingexpense": (AccountType.EXPENSE, False),
    "operatingexpenses": (AccountType.EXPENSE, False),
    "otherexpense": (AccountType.EXPENSE, False),
    "otherexpenses": (AccountType.EXPENSE, False),
    "directcosts": (AccountType.COST_OF_SALES, False),
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _numbered_type(number: str) -> AccountType | None:
    return {
        "1": AccountType.ASSET,
        "2": AccountType.LIABILITY,
        "3": AccountType.EQUITY,
        "4": AccountType.INCOME,
        "5": AccountType.COST_OF_SALES,
        "6": AccountType.EXPENSE,
        "7": AccountType.EXPENSE,
    }.get(number[0])


#: Words of an account's name that tell its type, first match wins (Xero's default chart:
#: "Business Bank Account (090)", "Accounts Receivable (610)", "Sales (200)", "Rent (469)").
_NAME_WORDS: tuple[tuple[AccountType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for kind, words in (
        (AccountType.COST_OF_SALES, r"cost of (?:sales|goods sold)|cogs|direct costs?"),
        (
            AccountType.LIABILITY,
            r"payables?|loans?|credit card|gst|vat|sales tax|accrued|"
            r"unearned|deferred|rounding|suspense|wages payable|deposits received",
        ),
        (
            AccountType.ASSET,
            r"bank|checking|chequing|savings|cash|petty|receivables?|"
            r"prepayments?|inventory|equipment|fixed assets?|undeposited",
        ),
        (
            AccountType.EQUITY,
            r"equity|capital|retained earnings|drawings|owner'?s? (?:draw|"
            r"contribution)s?|dividends?",
        ),
        (
            AccountType.INCOME,
            r"sales|revenue|income|fees earned|interest (?:income|earned)|"
            r"other revenue|turnover",
        ),
    )
)


def guess_account_type(name: str) -> AccountType:
    """The type an account's name suggests by its words (a bank account is an asset, Sales is
    income), else expense: a guess to write as one, never a reading."""
    for kind, words in _NAME_WORDS:
        if words.search(name):
            return kind
    return AccountType.EXPENSE


def classify_account(name: str) -> AccountType:
    """The account type of a hierarchical (``Income:Charters``) or numbered (``6100 Fuel``) name."""
    return AccountBook(LedgerOptions()).read(name).type


@dataclass
class _Balance:
    """A balance row waiting for the computed cash position.

    ``at_start`` balances stand at the start of their day (opening balances, beancount's balance
    directives); CSV assertions at its end, like a bank statement's closing balance. ``emit`` is
    False for balances already turned into records (beancount's, which beancount computed).
    """

    kind: str
    day: date
    account: str
    amount: Decimal
    provenance: Provenance
    at_start: bool = False
    emit: bool = True


@dataclass
class _Cash:
    """The entity's cash: opening balances, assertions and daily cash movements.

    ``moves`` is the pooled movement of ledgers whose cash side is implied (single-entry CSVs,
    beancount): one anchor for every cash account together. ``account_moves`` holds, per cash
    account, the movements of its own lines in a double-entry export; each such account is
    anchored on its own opening or assertion, and the accounts are added up only after.
    """

    balances: list[_Balance] = field(default_factory=list)
    moves: dict[date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    account_moves: dict[str, dict[date, Decimal]] = field(default_factory=dict)
    #: A processor export's payouts, matched to the bank's lines once every part is read.
    payouts: list[Payout] = field(default_factory=list)
    #: Each processor's first export in the pool (``Stripe`` -> its path), and every file read.
    exports: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    #: The files with cash lines whose cash account is implied (a bank export's lines).
    implied_files: list[str] = field(default_factory=list)
    #: The money held at a processor (``Assets:PayPal balance``), a cash account of its own:
    #: its balances (one assertion per date of its running balance), its daily moves, and the
    #: file its closing balance is computed from.
    held: dict[str, tuple[list[_Balance], dict[date, Decimal], str]] = field(default_factory=dict)

    def has_bank(self) -> bool:
        """True when a file of the pool is not a processor's export (a bank's, the books')."""
        return any(f not in self.exports.values() for f in self.files)

    def records(
        self, request: SourceRequest, currency: str, source: str | None
    ) -> list[CashBalance]:
        """CashBalance records: openings, assertions with ``computed``, and closings at as_of
        (one for the pool, or one per cash account of a double-entry export), then those of the
        money held at each processor whose export has a running balance."""
        out: list[CashBalance] = []
        if not self.account_moves:
            out.extend(self._records(request, currency, source, self.balances, self.moves))
        for account, balances in self.by_account().items() if self.account_moves else ():
            moves = self.account_moves.get(account, {})
            out.extend(self._records(request, currency, source, balances, moves, account))
        for account, (balances, moves, file) in self.held.items():
            out.extend(self._records(request, currency, file, balances, moves, account))
        return out

    def by_account(self) -> dict[str, list[_Balance]]:
        """Each cash account's balances, a balance naming no account of the export's cash lines
        going to the only one there is (``opening_balance``'s default ``Assets:Cash``)."""
        names = {name.lower(): name for name in self.account_moves}
        out: dict[str, list[_Balance]] = {name: [] for name in sorted(self.account_moves)}
        for item in self.balances:
            account = names.get(item.account.lower())
            if account is None and len(names) == 1:
                account = next(iter(names.values()))
            out.setdefault(account or item.account, []).append(item)
        return out

    def unanchored(self) -> list[str]:
        """Cash accounts with lines of their own but no opening balance or assertion."""
        return [name for name, items in self.by_account().items() if not items]

    def bank_unanchored(self) -> list[str]:
        """The bank files whose lines move the pool's implied cash (a bank export with no
        balance column: Wells Fargo's) when the pool has no opening balance or assertion."""
        if self.account_moves or self.balances or not any(self.moves.values()):
            return []
        return self.implied_files

    def _records(
        self,
        request: SourceRequest,
        currency: str,
        source: str | None,
        balances: Sequence[_Balance],
        moves: dict[date, Decimal],
        account: str | None = None,
    ) -> list[CashBalance]:
        """Records of one pool of cash (``account``: the cash account they all stand on, when
        known). The anchor is the sum of the opening balances on the earliest opening date, or else
        the earliest assertion; assertions after it get the computed position of the cash."""
        entity = request.entity.id
        anchor = _anchor(balances)
        out: list[CashBalance] = []
        for item in balances:
            if not item.emit:
                continue
            computed: Money | None = None
            if (
                anchor is not None
                and item.kind != "opening"
                and item is not anchor
                and item.day >= anchor.day
            ):
                computed = Money(_position(anchor, moves, item.day, item.at_start), currency)
            out.append(
                CashBalance(
                    entity,
                    item.provenance,
                    item.day,
                    account or item.account,
                    Money(item.amount, currency),
                    item.kind,
                    computed,
                )
            )
        if anchor is not None and source is not None and request.as_of >= anchor.day:
            closing = Money(_position(anchor, moves, request.as_of, False), currency)
            detail = (
                f"computed: {anchor.kind} balance of {anchor.day.isoformat()} plus cash movements"
            )
            out.append(
                CashBalance(
                    entity,
                    Provenance(source, detail=detail),
                    request.as_of,
                    account or anchor.account,
                    closing,
                    "closing",
                    closing,
                )
            )
        return out


def _anchor(balances: Sequence[_Balance]) -> _Balance | None:
    openings = [b for b in balances if b.kind == "opening"]
    if openings:
        first = min(b.day for b in openings)
        same_day = [b for b in openings if b.day == first]
        total = sum((b.amount for b in same_day), Decimal(0))
        return _Balance(
            "opening", first, same_day[0].account, total, same_day[0].provenance, True, False
        )
    assertions = sorted(balances, key=lambda b: (b.day, not b.at_start))
    return assertions[0] if assertions else None


def _position(anchor: _Balance, moves: dict[date, Decimal], day: date, at_start: bool) -> Decimal:
    total = anchor.amount
    for moved_on, amount in moves.items():
        after_anchor = moved_on >= anchor.day if anchor.at_start else moved_on > anchor.day
        before_day = moved_on < day if at_start else moved_on <= day
        if after_anchor and before_day:
            total += amount
    return total


class _Signed:
    """A line's account type and amount as the sign check counts them: one object per plan,
    counted by identity."""

    __slots__ = ("amount", "kind")

    def __init__(self, kind: AccountType, amount: Decimal) -> None:
        self.kind, self.amount = kind, amount


@dataclass
class _SignCheck:
    """Counts negative amounts per account type to catch a file written in the other convention."""

    rows: dict[AccountType, int] = field(default_factory=lambda: defaultdict(int))
    negative: dict[AccountType, int] = field(default_factory=lambda: defaultdict(int))
    #: The file's income, summed, and the lines of its first negative income rows.
    income: Decimal = Decimal(0)
    negative_income_lines: list[int] = field(default_factory=list)
    #: The sign of each line checked and not yet counted, in file order: a CSV line appends its
    #: plan's (``_CsvLedger.row``), and ``tally`` counts them (a call a line, ``add``, was 7% of
    #: reading a big ledger).
    pending: list[_Signed] = field(default_factory=list)

    def negative_income_line(self, line: int) -> None:
        """Note a line of negative income (the first ``ROW_ERRORS_QUOTED`` are quoted)."""
        if len(self.negative_income_lines) < ROW_ERRORS_QUOTED:
            self.negative_income_lines.append(line)

    def tally(self) -> None:
        """Count the pending lines: per account type, and the income added up in file order."""
        pending = self.pending
        for signed, count in Counter(pending).items():
            self.rows[signed.kind] += count
            if signed.amount < 0:
                self.negative[signed.kind] += count
        income = AccountType.INCOME
        self.income = sum((s.amount for s in pending if s.kind is income), self.income)
        pending.clear()

    def negative_income(self, sign: str) -> str | None:
        """A warning when the file's income sums below zero (too few rows for ``problem`` to
        refuse: two income rows written as credits read as Revenue −$3,000), else None."""
        self.tally()
        if self.income >= 0 or not self.negative_income_lines:
            return None
        lines = ", ".join(str(n) for n in self.negative_income_lines)
        more = self.negative[AccountType.INCOME] - len(self.negative_income_lines)
        fix = (
            'if income is written negative as a credit, set sign = "debit" for this ledger'
            if sign == "natural"
            else f'check that sign = "{sign}" is how this file writes income'
        )
        return (
            f"its income sums to {self.income:,.2f}, below zero: the income rows on line"
            f"{'s' if len(self.negative_income_lines) > 1 else ''} {lines}"
            f"{f' (and {more} more)' if more > 0 else ''} are negative and read as money given "
            f"back; expected income above zero over the file: {fix}"
        )

    def problem(self, sign: str) -> str | None:
        """A sentence when most income or expense amounts have the wrong sign, else None."""
        self.tally()
        for kind, label in (
            (AccountType.EXPENSE, "expense"),
            (AccountType.COST_OF_SALES, "cost-of-sales"),
            (AccountType.INCOME, "income"),
        ):
            rows, negative = self.rows[kind], self.negative[kind]
            if rows >= SIGN_CHECK_MIN_ROWS and negative * 2 > rows:
                if sign == "natural" and kind is AccountType.INCOME:
                    fix = (
                        "if income is written negative as a credit (hledger, ledger-cli, a trial "
                        'balance), set sign = "debit" for this ledger'
                    )
                elif sign == "natural":
                    fix = 'if negative means money out (a bank export), set sign = "bank" for this ledger'
                elif sign == "bank":
                    fix = 'with sign = "bank" money out must be negative; remove sign = "bank" if it is not'
                else:
                    fix = (
                        'with sign = "debit" income is negative and expenses positive; remove '
                        'sign = "debit" if this file writes them otherwise'
                    )
                return (
                    f"breaks the sign convention: {negative} of {rows} {label} amounts are negative, "
                    f"but income and expenses are written as positive amounts; {fix}"
                )
        return None


class LedgerSource(BaseSource):
    """Bookkeeping ledgers: CSV exports and beancount files."""

    name = KIND
    description = "Bookkeeping ledgers (CSV or beancount): transactions and cash balances"
    Options = LedgerOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every ledger file of the entity (every part of its ``[[entities.ledger]]`` list,
        each with its own options, into one cash pool); bad files and rows become SourceErrors."""
        options = request.spec.options
        if not isinstance(options, LedgerOptions):
            options = LedgerOptions()
        cash = _Cash()
        records: list[Record] = []
        errors: list[SourceError] = []
        span = DateRange(request.as_of)
        mappings: list[ColumnMapping] = []
        all_locations: list[Location] = []
        first_source: str | None = None
        for part in _parts(request):
            locations, found = _read_part(part, cash, span, mappings, records, errors)
            all_locations.extend(locations)
            first_source = first_source or found
        if cash.exports and cash.has_bank():
            # a bank export beside the processor's: each payout is a transfer within the pool
            # (a processor export alone pays out to a bank the portfolio does not list); a bank
            # credit naming the processor that no payout matched is said, never counted silently
            records, unmatched = match_payouts(request, records, cash.payouts, KIND)
            errors.extend(unmatched)
            errors.extend(unpaired_credits(request, records, cash.exports, KIND))
        records = match_card_payments(records)  # a card paid from the bank: one transfer
        for part in _parts(request):
            ob = getattr(part.spec.options, "opening_balance", None)
            if ob is None:
                continue
            cash.balances.append(
                _Balance(
                    "opening",
                    ob.date,
                    ob.account,
                    ob.amount,
                    Provenance("portfolio.toml", detail=f"{part.spec.key}.opening_balance"),
                    at_start=True,
                )
            )
            first_source = first_source or "portfolio.toml"
        records.extend(cash.records(request, options.currency or request.currency, first_source))
        errors.extend(_unanchored(request, cash, first_source))
        result = finish(request, KIND, all_locations, records, errors, span)
        return replace(result, mappings=tuple(mappings))


def _cell_reference(text: str) -> str | None:
    """A line's reference as the tool means it: American Express writes its Reference in
    apostrophes (``'320263240412345678'``, so a spreadsheet keeps it text), which are not part
    of it."""
    text = text.strip()
    if len(text) > 2 and text[0] == text[-1] == "'":
        text = text[1:-1].strip()
    return text or None


#: Bank layouts whose export has no balance column, so the cash needs ``opening_balance``.
_NO_BALANCE = frozenset(
    layout.key
    for layout in layouts.CATALOGUE
    if layout.source == "ledger"
    and layout.balance is None
    and layout.reader == "table"
    and layout.options.get("sign") == "bank"
)


def _read_part(
    request: SourceRequest,
    cash: _Cash,
    span: DateRange,
    mappings: list[ColumnMapping],
    records: list[Record],
    errors: list[SourceError],
) -> tuple[list[Location], str | None]:
    """The files of one ledger part, read with its options; its locations and the first file
    that gave records or balances."""
    options = request.spec.options
    if not isinstance(options, LedgerOptions):
        options = LedgerOptions()
    locations, found_errors = expand(
        request, suffixes=CSV_SUFFIXES + BEANCOUNT_SUFFIXES + OFX_SUFFIXES
    )
    errors.extend(found_errors)
    book = AccountBook(options)
    first_source: str | None = None
    graphs = _beancount_graphs(request, locations, errors)
    for loc in locations:
        try:
            if loc.suffix in BEANCOUNT_SUFFIXES:
                if loc.display not in graphs:
                    continue  # refused, or read as an include of another configured ledger
                read = _read_beancount(request, loc, book, cash, span, graphs[loc.display])
            elif loc.suffix in OFX_SUFFIXES:
                read = _read_ofx(request, options, loc, book, cash, span)
            else:
                read = _read_csv(request, options, loc, book, cash, span, mappings)
        except ReadError as exc:
            errors.append(exc.to_error(request, KIND))
            continue
        file_records, file_errors = read
        cash.files.append(loc.display)
        # a catalogued bank download with no balance column (Wells Fargo's): its cash needs the
        # config's opening balance, and is said to be unknown without one
        bank = [m for m in mappings if m.source == loc.display and m.layout in _NO_BALANCE]
        if bank and any(
            isinstance(r, Transaction) and r.cash and r.cash_account is None for r in file_records
        ):
            cash.implied_files.append(loc.display)
        records.extend(file_records)
        errors.extend(file_errors)
        if first_source is None and (file_records or cash.balances):
            first_source = loc.display
    return list(locations), first_source


def _unanchored(request: SourceRequest, cash: _Cash, source: str | None) -> list[SourceError]:
    """A warning per cash account with lines but no balance: its cash is not counted."""
    return [
        SourceError(
            entity=request.entity.id,
            source_kind=KIND,
            provenance=Provenance(source or request.spec.key),
            message=(
                f"cash account {name!r} has lines but no opening balance or balance assertion, so "
                "its cash is not counted; export it with its Opening Balance row or give "
                f'opening_balance = {{ date = ..., amount = "...", account = "{name}" }}'
            ),
            fatal=False,
        )
        for name in cash.unanchored()
    ] + [
        SourceError(
            entity=request.entity.id,
            source_kind=KIND,
            provenance=Provenance(file),
            message=(
                "the file has no opening balance or balance column, so its cash is unknown; give "
                'opening_balance = { date = ..., amount = "...", account = "Assets:Checking" } '
                "(the balance at the start of its first day) in its ledger table"
            ),
            fatal=False,
        )
        for file in cash.bank_unanchored()
    ]


def _beancount_graphs(
    request: SourceRequest, locations: Sequence[Location], errors: list[SourceError]
) -> dict[str, IncludeGraph]:
    """The include graph of each beancount ledger to read (by display path).

    A ledger that another configured ledger includes is read once, as part of the one that
    includes it (``ledgers/*.beancount`` over a main file and its years); a refused one gets its
    error here.
    """
    graphs: dict[str, IncludeGraph] = {}
    for loc in locations:
        if loc.suffix not in BEANCOUNT_SUFFIXES:
            continue
        try:
            graphs[loc.display] = include_graph(request, loc, read_text(loc) if loc.is_s3 else None)
        except ReadError as exc:
            errors.append(exc.to_error(request, KIND))
    claimed: set[str] = set()
    keep: dict[str, IncludeGraph] = {}
    for display, graph in sorted(graphs.items(), key=lambda item: -len(item[1].files)):
        if display not in claimed:
            keep[display] = graph
            claimed.update(ledger.loc.display for ledger in graph.files)
    return keep


def _read_csv(
    request: SourceRequest,
    options: LedgerOptions,
    loc: Location,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
    mappings: list[ColumnMapping] | None = None,
) -> tuple[list[Record], list[SourceError]]:
    """Transactions and balances of one CSV ledger; its balances and cash moves join ``cash``.
    A known bank layout (``sources.layouts``) sets the options the config leaves unset, and its
    running balance column gives one balance assertion per date."""
    layout = file_layout(loc, KIND, options)
    if layout is not None and layout.reader == "processor":
        return _read_processor(request, options, loc, layout, cash, span, mappings)
    options = layouts.with_layout(options, layout)
    reader = _CsvLedger(request, options, loc, book, span)
    if layout is not None and layout.balance and "balance" in reader.table.index:
        reader.running = []
    if mappings is not None:
        mappings.append(mapping_of(reader.table, options, layout))
    # Rows make records and no reference cycles; the records live to the end of the run.
    # The records so far are offered for redaction elsewhere as the file is read on (a
    # double-entry file's are all made anew when it is settled: offered in vain).
    offer = None if options.double_entry else offered_records()
    offer_at = OFFER_LINES
    with cyclegc.paused(keep=True):
        for line, row in reader.table.rows(reader.bad):
            if offer is not None and line >= offer_at:
                offer(reader.records)
                offer_at = line + OFFER_LINES
            if options.grouped and reader.grouped_row(line, row):
                continue
            if reader.summary_row(line, row):
                continue
            try:
                reader.row(line, row)
            except ValueError as exc:
                reader.bad.add(line, str(exc))
    problem = reader.check.problem(options.sign)
    if problem is not None:
        raise ReadError(loc.display, problem)
    reader.settle_cash()
    for line, day, amount in layouts.running_balances(reader.running or []):
        reader.balances.append(
            _Balance("assertion", day, "Cash", amount, reader.base.at_line(line))
        )
    cash.balances.extend(reader.balances)
    for day, amount in reader.moves.items():
        cash.moves[day] += amount
    for name, moves in reader.account_moves.items():
        into = cash.account_moves.setdefault(name, defaultdict(Decimal))
        for day, amount in moves.items():
            into[day] += amount
    for item in reader.balances:
        span.add(item.day)
    # A file of which no row could be read is a failed source, not a warning.
    errors = reader.bad.errors(request, KIND, fatal=not (reader.records or reader.balances))
    warning = reader.check.negative_income(options.sign)
    if warning is not None:
        first = reader.check.negative_income_lines[0]
        errors.append(
            SourceError(
                request.entity.id, KIND, Provenance(loc.display, first), warning, fatal=False
            )
        )
    return reader.records + reader.receivable_balances, errors


def _read_processor(
    request: SourceRequest,
    options: LedgerOptions,
    loc: Location,
    layout: layouts.Layout,
    cash: _Cash,
    span: DateRange,
    mappings: list[ColumnMapping] | None,
) -> tuple[list[Record], list[SourceError]]:
    """A payment processor's export (``sources.processor``): sales and fees, no cash of its
    own; its payouts wait in ``cash`` for the bank lines they are matched to."""
    currency = options.currency or request.currency
    records, payouts, bad, table, held = read_processor(
        request, loc, currency, options.date_format, layout.key
    )
    if mappings is not None:
        mappings.append(mapping_of(table, options, layout))
    cash.payouts.extend(payouts)
    cash.exports.setdefault(BY_LAYOUT[layout.key].name, loc.display)
    for record in records:
        if isinstance(record, Transaction):
            span.add(record.date)
    errors = bad.errors(request, KIND, fatal=not (records or payouts))
    if held is not None:
        errors.extend(_hold(request, loc, held, cash, span, currency))
    return records, errors


def _hold(
    request: SourceRequest, loc: Location, held: Held, cash: _Cash, span: DateRange, currency: str
) -> list[SourceError]:
    """The money held at a processor as a cash account of the pool: each date's closing running
    balance an assertion (``layouts.running_balances``, the bank layouts' mechanism), checked
    against the export's own moves; balances in another currency are said, never added."""
    base = provenance(loc)
    balances, moves, _ = cash.held.setdefault(held.account, ([], defaultdict(Decimal), loc.display))
    for line, day, amount in layouts.running_balances(held.running):
        balances.append(_Balance("assertion", day, held.account, amount, base.at_line(line)))
        span.add(day)
    for day, amount in held.moves.items():
        moves[day] += amount
    if not held.other:
        return []
    codes = ", ".join(f"{code} (first at line {line})" for code, line in sorted(held.other.items()))
    return [
        SourceError(
            entity=request.entity.id,
            source_kind=KIND,
            provenance=base.at_line(min(held.other.values())),
            message=(
                f"its Balance column also holds the balance in {codes}: one running balance per "
                f"currency, so only the {currency} balance is the cash held at "
                f"{held.account.removeprefix('Assets:')}, and the other is not counted; download "
                "one currency per file (the Activity download's currency filter) and list it as "
                'a ledger part of its own with currency = "<code>"'
            ),
            fatal=False,
        )
    ]


#: A card statement's money in is a payment or a credit, never income (docs/formats.md, OFX).
CARD_ACCOUNTS = DefaultAccounts(money_in=CARD_PAYMENTS)


def _read_ofx(
    request: SourceRequest,
    options: LedgerOptions,
    loc: Location,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
) -> tuple[list[Record], list[SourceError]]:
    """An OFX/QFX statement (``sources.ofx``): each line a transaction on the default accounts by
    the direction of its money, a bank's LEDGERBAL an assertion. A card's lines move no cash (its
    money in goes to Liabilities) and its LEDGERBAL, what it owes, is no cash balance."""
    base = provenance(loc)
    records: list[Record] = []
    bad = RowErrors(loc)
    balances: dict[date, list[tuple[int, Decimal]]] = defaultdict(list)
    for statement in read_statements(loc):
        for line, message in statement.skipped:
            bad.add(line, message)
        defaults = options.default_accounts or (
            CARD_ACCOUNTS if statement.card else DefaultAccounts()
        )
        currency = options.currency or statement.currency or request.currency
        for item in statement.lines:
            account, _ = _account(book, "", "", item.amount, defaults)
            amount = item.amount * cash_direction(account.type)
            if not statement.card:
                cash.moves[item.day] += item.amount
            span.add(item.day)
            records.append(
                Transaction(
                    request.entity.id,
                    base.at_line(item.line),
                    item.day,
                    account.name,
                    account.type,
                    account.category,
                    Money(amount, currency),
                    " ".join(p for p in (item.payee, item.memo) if p),
                    item.payee or None,
                    item.reference,
                    not statement.card,
                )
            )
        if statement.balance is not None and not statement.card:
            line, day, amount = statement.balance
            balances[day].append((line, amount))
    errors = bad.errors(request, KIND, fatal=not (records or balances))
    if len(balances) > 1:  # the pool's cash is one figure: it cannot be asserted per account
        return records, [
            *errors,
            SourceError(
                entity=request.entity.id,
                source_kind=KIND,
                provenance=base,
                message=(
                    "holds statements whose ledger balances (LEDGERBAL) are dated "
                    f"{', '.join(sorted(d.isoformat() for d in balances))}, so none is a balance "
                    "assertion; download each account as a file of its own"
                ),
                fatal=False,
            ),
        ]
    for day, found in balances.items():  # several accounts on one date: one pooled balance
        total = sum((amount for _, amount in found), Decimal(0))
        cash.balances.append(_Balance("assertion", day, "Cash", total, base.at_line(found[0][0])))
        span.add(day)
    return records, errors


def _parts(request: SourceRequest) -> list[SourceRequest]:
    """One request per ledger part (``[[entities.ledger]]``), each with its own options; the
    entity's one ledger when it lists none."""
    parts = getattr(request.spec, "parts", ())
    return [replace(request, spec=part) for part in parts] or [request]


def _ledger_table(options: LedgerOptions, loc: Location) -> CsvTable:
    """The CSV table with the ledger's columns; a missing account column suggests ``grouped``."""
    try:
        return CsvTable(
            loc,
            COLUMNS,
            mapping=options.columns,
            require=REQUIRE
            if options.default_accounts is None and not options.grouped
            else REQUIRE_WITHOUT_ACCOUNT,
            delimiter=options.delimiter,
            header=options.header,
        )
    except ReadError as exc:
        # A near header is the likelier fix; only without one is a grouped layout suggested.
        if not exc.message.startswith("has no 'account' column") or "did you mean" in exc.message:
            raise
        raise ReadError(
            loc.display,
            f"{exc.message}; a bank or card export (one amount per row, no account) is read "
            f'with its layout (layout = "<name>", one of {", ".join(_bank_layouts())}) or, '
            'for another bank, sign = "bank" and default_accounts = {} (docs/formats.md, '
            '"Export layouts"); only an export that lists each account as a heading row above '
            'its lines (QuickBooks "Transaction Detail by Account") needs grouped = true',
            exc.line,
        ) from None


def _bank_layouts() -> list[str]:
    """The layouts of bank and card exports (one amount per row, no account column)."""
    return [
        c.key for c in layouts.CATALOGUE if c.source == KIND and "default_accounts" in c.options
    ]


class _Shared(dict[Hashable, T]):
    """One shared object per key (``get`` is the dict's own), remembered up to ``SHARED_LIMIT``
    keys (then forgotten and begun again, so a ledger of unique values costs no memory beyond its
    records)."""

    def put(self, key: Hashable, value: T) -> T:
        if len(self) >= SHARED_LIMIT:
            self.clear()
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a CSV line's money columns, account and type give (``_CsvLedger.plan``): the same for
    every line that writes those cells alike, so a ledger works each combination out once."""

    written: Decimal | None  # the amount column's figure, as written
    moved: Decimal | None  # the cash movement, when the file tells it
    account: Account
    guessed: bool  # the account's type inferred from the direction of the cash
    row_type: str
    plain: bool  # a line no memo makes a balance (``_balance_row`` has nothing to do for it)
    amount: Decimal  # in the account's sign
    money: Money
    noncash: bool
    flow: Decimal  # the pooled cash movement: ``amount`` times the account's cash direction
    #: What the sign check counts of the line (None: not checked, its figure absent or its
    #: account's type guessed from it), and whether it is negative income.
    signed: _Signed | None
    negative_income: bool


_PLAN_CELLS = ("amount", "debit", "credit", "account", "account_type", "type")


def _plan_cells(row: dict[str, str]) -> tuple[str, ...]:
    """The cells a line's plan depends on, "" for a column the row lacks."""
    return tuple(row.get(name, "") for name in _PLAN_CELLS)


class _CsvLedger:
    """The state of reading one CSV ledger: its rows become records, balances and cash moves."""

    def __init__(
        self,
        request: SourceRequest,
        options: LedgerOptions,
        loc: Location,
        book: AccountBook,
        span: DateRange,
    ) -> None:
        self.options = options
        self.book = book
        self.span = span
        self.table = _ledger_table(options, loc)
        self.entity = request.entity.id
        self.currency = options.currency or request.currency
        self.has_amount = "amount" in self.table.index
        self.bank = options.sign in ("bank", "card")
        # A card export writes a charge positive and a payment negative: the reverse of a bank's.
        self.card = options.sign == "card"
        self.debit_sign = options.sign == "debit"
        self.bad = RowErrors(loc)
        self.base = provenance(loc)
        self.check = _SignCheck()
        self.signs = self.check.pending  # appended to a line
        self.records: list[Record] = []
        self.balances: list[_Balance] = []
        #: a receivable's own Opening/Closing Balance rows (kept apart: ``records`` pairs with
        #: ``keys`` one to one)
        self.receivable_balances: list[Record] = []
        self.moves: dict[date, Decimal] = defaultdict(Decimal)
        self.heading: str | None = None
        self.pending: tuple[str, Decimal, int] | None = None  # an opening waiting for its date
        self.closed: str | None = None  # the heading whose Total row was the last row read
        self.group_day: date | None = None  # the date of the current group's last line
        # Double-entry: each transaction record's key and pooled cash movement, settled at the
        # end of the file by the cash lines of the same key (``settle_cash``).
        self.keys: list[tuple[str, ...]] = []
        self.deferred: list[tuple[date, Decimal]] = []
        self.cash_keys: dict[tuple[str, ...], str] = {}
        self.account_moves: dict[str, dict[date, Decimal]] = {}
        # Ledgers repeat a few hundred dates, amounts, memos and payees many times: one object
        # for each (a million-row ledger then holds a few thousand of them, not a million; memos
        # and payees are interned).
        self.days: dict[str, date] = {}
        self.spanned: set[date] = set()  # the days already folded into ``span``
        self.money = _Shared[Money]()
        self.plans = _Shared[_Plan]()
        #: (line, date, running balance) of each row, when the layout has a balance column.
        self.running: list[tuple[int, date, Decimal]] | None = None
        #: A line's cells a plan depends on, as a key of ``plans`` (``row``): fetched in C,
        #: those of them the file has as columns (the others are "" on every line), unless a
        #: heading row may fill in a line's account.
        present = [name for name in _PLAN_CELLS if name in self.table.index]
        self.plan_cells: Callable[[dict[str, str]], Hashable] = (
            _plan_cells if options.grouped or not present else operator.itemgetter(*present)
        )

    def grouped_row(self, line: int, row: dict[str, str]) -> bool:
        """A grouped export's heading, total or summary row (True: consumed); a line under a
        heading gets the heading's account."""
        role, label = _grouped_role(
            self.table.cells, self.table.index["date"], self.table.index.get("balance")
        )
        if role == "heading":
            self.heading, self.closed, self.group_day = label, None, None
            if row.get("balance", "").strip() and self._is_cash(label):
                # QuickBooks Desktop writes a cash account's beginning balance on its heading
                self._group_balance(line, row, "Beginning balance", label)
            return True
        if role == "total":
            self.heading, self.closed = None, self.heading
            return True
        if role == "skip":
            # Xero writes its Closing Balance row after the group's Total row.
            heading = self.heading or self.closed
            if heading is not None and self._is_cash(heading):
                self._group_balance(line, row, label, heading)
            elif heading is not None:
                self._receivable_balance(line, row, label, heading)
            return True
        if not row.get("account", "").strip():
            if self.heading is None:
                self._outside_group(line, row)
                return True
            row["account"] = self.heading
        return False

    def _receivable_balance(self, line: int, row: dict[str, str], label: str, heading: str) -> None:
        """Xero's ``Opening Balance`` / ``Closing Balance`` row under a receivable's heading:
        what was owed before the export's first line and after its last (not cash)."""
        kind = (
            "opening"
            if _OPENING_SUMMARY.match(label)
            else "closing"
            if _CLOSING_SUMMARY.match(label)
            else None
        )
        if kind is None or not row.get("balance", "").strip():
            return
        try:
            account = self.book.read(heading)
        except ValueError:
            return
        if not is_receivable(account.name, account.type):
            return
        try:
            value = ledger_amount(row["balance"], what="balance")
        except ValueError as exc:
            self.bad.add(line, str(exc))
            return
        day = self.group_day if kind == "closing" else None
        self.receivable_balances.append(
            ReceivableBalance(
                self.entity, self.base.at_line(line), account.name, kind, self._money(value), day
            )
        )

    def _outside_group(self, line: int, row: dict[str, str]) -> None:
        """A row outside any account's group: a title or footer row without money (Xero's
        ``Accrual basis  Friday, 20 November 2026  09:14``) is skipped; a row with money is an
        error that says where it stands."""
        if not any(row.get(name, "").strip() for name in ("amount", "debit", "credit")):
            return
        if self.closed is None:
            self.bad.add(line, "comes before any account heading row; expected a heading above it")
        else:
            self.bad.add(
                line,
                f"comes after the Total row of '{self.closed}' and before the next account "
                "heading; expected it under a heading",
            )

    def _is_cash(self, heading: str) -> bool:
        """Whether a heading names a cash account (an unmapped name is not one)."""
        try:
            return self.book.read(heading).cash
        except ValueError:
            return False

    def _group_balance(self, line: int, row: dict[str, str], label: str, heading: str) -> None:
        """Xero's ``Opening Balance`` and ``Closing Balance`` rows under a cash account's heading.

        The opening (no date of its own) stands before the group's first line, unless the config
        gives one; the closing is the export's own balance after the group's last line, an
        assertion the computed cash must meet. Under any other heading (Accounts Receivable) such
        a row is that account's balance, not cash, and is skipped.
        """
        if not row.get("balance", "").strip():
            return
        opening = _OPENING_SUMMARY.match(label) if heading == self.heading else None
        if opening and self.options.opening_balance is not None:
            return
        if not opening and (not _CLOSING_SUMMARY.match(label) or self.group_day is None):
            return
        try:
            value = ledger_amount(row["balance"], what="balance")
        except ValueError as exc:
            self.bad.add(line, str(exc))
            return
        if opening:
            self.pending = (heading, value, line)
        elif self.group_day is not None:
            at = self.base.at_line(line)
            self.balances.append(_Balance("assertion", self.group_day, heading, value, at))

    def summary_row(self, line: int, row: dict[str, str]) -> bool:
        """A bank's ``Beginning balance as of 01/01/2026`` line (True: consumed): its running
        balance is the opening (unless the config gives one); any other such line is a summary."""
        memo = row.get("memo", "")
        if (
            row.get("account", "").strip()  # the usual line, told before the pattern is tried
            or not _SUMMARY_LINE.match(memo)
            or any(row.get(name, "").strip() for name in ("amount", "debit", "credit"))
        ):
            return False
        if (
            self.options.opening_balance is None
            and _OPENING_SUMMARY.match(memo)
            and row.get("balance", "").strip()
        ):
            try:
                day = parse_date(row["date"], self.options.date_format)
                value = ledger_amount(row["balance"], what="balance")
            except ValueError as exc:
                self.bad.add(line, str(exc))
                return True
            self.balances.append(
                _Balance("opening", day, "Cash", value, self.base.at_line(line), True)
            )
        return True

    def row(self, line: int, row: dict[str, str]) -> None:
        """One ledger line: a balance, or a transaction; ``ValueError`` for a bad row."""
        text = row["date"]
        day = self.days.get(text)
        if day is None:
            day = self.days[text] = parse_date(text, self.options.date_format)
        if self.running is not None and row.get("balance", "").strip():
            self.running.append((line, day, ledger_amount(row["balance"], what="balance")))
        if self.pending is not None and row.get("account") == self.pending[0]:
            heading, value, at = self.pending
            self.balances.append(
                _Balance("opening", day, heading, value, self.base.at_line(at), True)
            )
            self.pending = None
        if self.heading is not None and row.get("account") == self.heading:
            self.group_day = day
        key = self.plan_cells(row)  # the cells a plan depends on
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans.put(key, self.plan(row))
        if not plan.plain and self._balance_row(
            line, row, day, plan.account, plan.row_type, plan.written, plan.moved
        ):
            return
        if plan.signed is not None:
            self.signs.append(plan.signed)
            if plan.negative_income:
                self.check.negative_income_line(line)
        if day not in self.spanned:
            self.spanned.add(day)
            self.span.add(day)
        if self.options.double_entry:
            self.keys.append(_transaction_key(row, day))
            self.deferred.append((day, Decimal(0) if plan.noncash else plan.flow))
        elif not plan.noncash:
            self.moves[day] += plan.flow
        account = plan.account
        reference = row.get("reference", "")  # a cell ``rows`` stripped
        base = self.base
        self.records.append(
            Transaction(
                self.entity,
                Provenance(base.source, line, None, base.commit, base.commit_date, base.detail),
                day,
                account.name,
                account.type,
                account.category,
                plan.money,
                sys.intern(row.get("memo", "")),
                sys.intern(row.get("counterparty", "")) or None,
                _cell_reference(reference) if reference[:1] == "'" else reference or None,
                not plan.noncash,
            )
        )

    def plan(self, row: dict[str, str]) -> _Plan:
        """What the line's amount, debit, credit, account, account type and type cells give: its
        account and amounts (``ValueError`` for a bad amount or account)."""
        written, moved = _written(row, self.has_amount, self.bank)
        if self.card and written is not None and moved is not None:
            moved = -moved
        account, guessed = _account(
            self.book,
            row.get("account", ""),
            row.get("account_type", ""),
            moved,
            self.options.default_accounts,
        )
        if self.card and guessed and account.type is AccountType.INCOME:
            # a card's bare category is spending: a credit under it is a refund, not income
            account = replace(account, type=AccountType.EXPENSE)
        row_type = row.get("type", "").strip().lower()
        direction = cash_direction(account.type)
        # A known cash movement is turned into the account's sign; else the amount is as written.
        if moved is not None:
            amount = moved * direction
        elif self.debit_sign:
            amount = -(written or Decimal(0)) * direction  # a debit grows assets and expenses
        else:
            amount = written or Decimal(0)
        # a card's lines move no cash: its charges are owed until the bank pays the card
        noncash = row_type in _NONCASH_TYPES or self.card
        # what ``_balance_row`` reads the memo for (cash and equity accounts) or refuses
        plain = (
            not account.cash
            and account.type is not AccountType.EQUITY
            and row_type != "opening"
            and row_type not in _BALANCE_TYPES
        )
        money = self._money(amount)
        signed = _Signed(account.type, amount) if written is not None and not guessed else None
        negative_income = signed is not None and account.type is AccountType.INCOME and amount < 0
        return _Plan(
            written, moved, account, guessed, row_type, plain, amount, money, noncash,
            amount * direction, signed, negative_income,
        )  # fmt: skip

    def _money(self, amount: Decimal) -> Money:
        """The row's amount as Money, one object per amount as written (``str`` tells 920.0
        from 920.00, which compare equal)."""
        key = str(amount)
        money = self.money.get(key)
        if money is None:
            money = self.money.put(key, Money(amount, self.currency))
        return money

    def _cash_line(
        self,
        row: dict[str, str],
        day: date,
        account: Account,
        written: Decimal | None,
        moved: Decimal | None,
    ) -> None:
        """A double-entry export's line on a cash account: its transaction moved this account's
        cash by the line's amount (a debit, or a positive natural amount, is money in)."""
        # A debit to the bank is money in; a written amount is the bank account's own change.
        delta = written if written is not None else -(moved or Decimal(0))
        self.cash_keys.setdefault(_transaction_key(row, day), account.name)
        moves = self.account_moves.setdefault(account.name, defaultdict(Decimal))
        moves[day] += delta

    def settle_cash(self) -> None:
        """Double-entry: a line moved cash when its transaction (same date, transaction type,
        reference and counterparty) has a line on a cash account; an invoice or a bill moves cash
        when it is paid, through the payment's receivable or payable line. A file with no cash
        lines at all keeps every line as cash, pooled (the cash side was not exported)."""
        if not self.options.double_entry:
            return
        if not self.cash_keys:
            for day, amount in self.deferred:
                self.moves[day] += amount
            return
        settled: list[Record] = []
        for record, key in zip(self.records, self.keys, strict=True):
            account = self.cash_keys.get(key)
            if isinstance(record, Transaction) and (account is None or not record.cash):
                record = dataclasses.replace(record, cash=False)
            elif isinstance(record, Transaction):
                record = dataclasses.replace(record, cash_account=account)
            settled.append(record)
        self.records = settled

    def _balance_row(
        self,
        line: int,
        row: dict[str, str],
        day: date,
        account: Account,
        row_type: str,
        written: Decimal | None,
        moved: Decimal | None,
    ) -> bool:
        """An opening, an assertion, or a line the cash side of which others carry (True:
        consumed); ``ValueError`` for a balance or transaction on the wrong account."""
        memo = row.get("memo", "")
        if account.cash and (row_type in _OPENING_TYPES or _OPENING_WORDS.search(memo)):
            value = _balance_value(row, self.has_amount)
            at = self.base.at_line(line)
            self.balances.append(_Balance("opening", day, account.name, value, at, True))
            return True
        if account.cash and row_type in _BALANCE_TYPES:
            value = _balance_value(row, self.has_amount)
            at = self.base.at_line(line)
            self.balances.append(_Balance("assertion", day, account.name, value, at))
            return True
        if row_type == "opening" or row_type in _BALANCE_TYPES:
            raise ValueError(
                f"a {row_type} row must be on a cash account (Assets:Checking, 1010 Bank), "
                f"not {account.name!r}"
            )
        # The equity side of an opening balance: an account named so (Equity:Opening Balances),
        # or an owner's-capital line whose memo says so (Wave's "Opening balance").
        if account.type is AccountType.EQUITY and (
            "opening" in account.name.lower() or _OPENING_WORDS.search(memo)
        ):
            if self.options.double_entry:
                return True  # the counterpart of the opening balance on the cash account
            # Single-entry: the equity side is the only record of the opening cash.
            natural = -(written or Decimal(0)) if self.debit_sign else written
            value = natural if natural is not None else (moved or Decimal(0))
            at = self.base.at_line(line)
            self.balances.append(_Balance("opening", day, "Cash", value, at, True))
            return True
        if account.cash and self.options.double_entry:
            # The cash side of a general-ledger export: it tells which transactions moved cash.
            self._cash_line(row, day, account, written, moved)
            return True
        if account.cash:
            raise ValueError(
                f"a row on cash account {account.name!r} must be an opening balance or a balance "
                "assertion (type column); write transactions on the income or expense account"
            )
        return False


def _transaction_key(row: dict[str, str], day: date) -> tuple[str, ...]:
    """What the lines of one transaction share in a double-entry export: date, transaction type,
    reference and counterparty (a line's own memo may differ from its split's)."""
    return (
        day.isoformat(),
        *(
            " ".join(row.get(name, "").split()).lower()
            for name in ("transaction_type", "reference", "counterparty")
        ),
    )


_SUMMARY_LINE = re.compile(r"\s*(beginning|opening|ending|closing) balance\b", re.IGNORECASE)
_OPENING_SUMMARY = re.compile(r"\s*(beginning|opening) balance\b", re.IGNORECASE)
_CLOSING_SUMMARY = re.compile(r"\s*(ending|closing) balance\b", re.IGNORECASE)
_SUMMARY_ROWS = (
    "total",
    "opening balance",
    "closing balance",
    "beginning balance",
    "ending balance",
)


def heading_labels(rows: Iterable[Sequence[str]], headers: Sequence[str]) -> list[str]:
    """The account heading rows of a grouped export (Xero's ``Business Bank Account (090)``),
    in order, each once: how the reader tells a heading from a line, for ``init``."""
    keys = [h.strip().lower() for h in headers]
    date_column = keys.index("date") if "date" in keys else 0
    balance = next((i for i, k in enumerate(keys) if "balance" in k), None)
    out: list[str] = []
    for cells in rows:
        role, label = _grouped_role(cells, date_column, balance)
        if role == "heading" and label not in out:
            out.append(label)
    return out


def _grouped_role(
    cells: Sequence[str], date_column: int, balance_column: int | None = None
) -> tuple[str, str]:
    """What a row of a grouped export is, and its first filled cell: ``heading`` (one filled
    cell, an account name, at or before the date column: QuickBooks Desktop indents
    sub-accounts one column per level, and may write the beginning balance beside it),
    ``total`` (the end of a group), ``skip`` (a summary row) or ``line``."""
    filled = [(i, cell.strip()) for i, cell in enumerate(cells) if cell.strip()]
    if not filled:
        return "skip", ""
    position, label = filled[0]
    lowered = label.lower()
    if lowered.startswith("total"):
        return "total", label
    if len(filled) == 1 and position <= date_column:
        return "heading", label
    if lowered.startswith(_SUMMARY_ROWS):
        return "skip", label
    if len(filled) == 2 and position <= date_column and filled[1][0] == balance_column:
        return "heading", label
    return "line", label


def _written(
    row: dict[str, str], has_amount: bool, bank: bool
) -> tuple[Decimal | None, Decimal | None]:
    """(the amount of an amount column, else None; the cash movement when the file tells it).

    The cash movement (+ in, - out) is known with ``sign = "bank"`` or from a debit/credit pair.
    """
    amount_text = row.get("amount", "").strip() if has_amount else ""
    debit_text, credit_text = row.get("debit", "").strip(), row.get("credit", "").strip()
    if amount_text:  # some exports give both; the signed amount is the one to trust
        written = ledger_amount(amount_text)
        return written, (written if bank else None)
    if debit_text and credit_text:
        raise ValueError("has both a debit and a credit; expected one of them")
    # The column says the direction; some banks also sign it (Monzo-style "Money Out" -4.50).
    if debit_text:
        return None, -abs(ledger_amount(debit_text, what="debit"))
    if credit_text:
        return None, abs(ledger_amount(credit_text, what="credit"))
    raise ValueError("has no amount; expected an amount, a debit or a credit")


def _account(
    book: AccountBook,
    name: str,
    type_label: str,
    moved: Decimal | None,
    defaults: DefaultAccounts | None,
) -> tuple[Account, bool]:
    """The row's account, and whether its type was inferred from the direction of the cash."""
    if defaults is None:
        return book.read(name, type_label), False
    if moved is None:
        raise ValueError(
            'default_accounts needs the direction of the cash: set sign = "bank" or use debit/credit columns'
        )
    if not name.strip():
        return book.read(defaults.money_in if moved > 0 else defaults.money_out), False
    try:
        return book.read(name, type_label), False
    except ValueError:
        kind = AccountType.INCOME if moved > 0 else AccountType.EXPENSE
        clean = sys.intern(name.strip())
        return Account(clean, kind, clean, False), True


def _balance_value(row: dict[str, str], has_amount: bool) -> Decimal:
    if has_amount and row.get("amount", "").strip():
        return ledger_amount(row["amount"], what="balance")
    debit, credit = row.get("debit", "").strip(), row.get("credit", "").strip()
    if debit or credit:
        return ledger_amount(debit or credit, what="balance")
    raise ValueError("has no balance amount")


# --------------------------------------------------------------------------------------------
# beancount
# --------------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"[A-Z]{3}")
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
MAX_MESSAGE_CHARS = 200


@dataclass
class _Parsed:
    """A beancount ledger loaded: its entries, beancount's problems, each file's provenance."""

    entries: list[Any]
    problems: list[Any]
    files: dict[str, Provenance]
    rejected: list[tuple[str, int, str]] = field(default_factory=list)


def _read_beancount(
    request: SourceRequest,
    loc: Location,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
    graph: IncludeGraph,
) -> tuple[list[Record], list[SourceError]]:
    """Records of a beancount ledger and its includes (checked first: ``beancount_files``)."""
    parsed = _load_beancount(request, graph)
    errors = [warning.to_error(request, KIND) for warning in graph.warnings[:ROW_ERRORS_QUOTED]]
    if len(graph.warnings) > ROW_ERRORS_QUOTED:
        more = len(graph.warnings) - ROW_ERRORS_QUOTED
        errors.append(
            ReadError(
                loc.display,
                f"{more} more include lines match no file, so nothing was included from them (the rest of this ledger was read)",
                fatal=False,
            ).to_error(request, KIND)
        )
    # A failed balance directive is data (a CashBalance whose computed differs), not a read error.
    problems = [p for p in parsed.problems if type(p).__name__ != "BalanceError"]
    errors += [_beancount_error(request, loc, parsed.files, p) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:  # 500,000 bad lines were 500,000 errors: 5 s a MB
        errors.append(
            ReadError(
                loc.display,
                f"beancount reported {len(problems) - MAX_PROBLEMS:,} more problems; the first "
                f"{MAX_PROBLEMS} are listed (fix those and check again)",
                fatal=False,
            ).to_error(request, KIND)
        )
    records, skipped = _beancount_records(request, parsed, book, cash, span)
    for rows in skipped.values():
        errors.extend(rows.errors(request, KIND))
    return records, errors


def _beancount_modules(loc: Location) -> Any:
    try:
        from beancount import loader
        from beancount.core import data
        from beancount.ops import validation
        from beancount.parser import booking, parser
    except ImportError:
        raise ReadError(
            loc.display,
            "is a beancount ledger, but beancount is not installed; pip install 'execbrief[beancount]'",
        ) from None
    return loader, data, validation, booking, parser


def _load_beancount(request: SourceRequest, graph: IncludeGraph) -> _Parsed:
    """Parse the graph's files (and only those), then book, run beancount's own plugins, validate.

    This is ``beancount.loader.load_file`` without its include-following: each file is opened by
    the file layer (a regular file, checked) and handed to the parser. Document folders (option
    ``documents``) and the ledger's own Python path (``insert_pythonpath``) are not used.
    """
    top = graph.files[0].loc
    loader, data, validation, booking, parser = _beancount_modules(top)
    entries: list[Any] = []
    problems: list[Any] = []
    options: list[dict[str, Any]] = []
    files: dict[str, Provenance] = {}
    rejected: list[tuple[str, int, str]] = []
    for ledger in graph.files:
        try:
            if ledger.loc.path is None:
                parsed = parser.parse_string(graph.text or "", report_filename=ledger.loc.display)
            else:
                with ledger.loc.open_binary() as handle:
                    parsed = parser.parse_file(handle, report_filename=ledger.loc.display)
        except ReadError:
            raise
        except Exception as exc:  # beancount reports bad input as errors; anything else fails
            raise ReadError(
                ledger.loc.display,
                f"could not be read by beancount ({type(exc).__name__}: {excerpt(str(exc))})",
            ) from None
        graph.check_parsed(request, ledger, parsed[2]["include"], parsed[2]["plugin"])
        entries.extend(_sane_entries(parsed[0], ledger.loc.display, rejected))
        problems.extend(parsed[1])
        options.append(parsed[2])
        files[ledger.loc.display] = provenance(ledger.loc)
    merged = loader.aggregate_options_map(options[0], options[1:])
    merged["include"] = list(files)
    merged["documents"] = []
    merged.pop("pythonpath", None)
    try:
        entries.sort(key=data.entry_sortkey)
        entries, booked = booking.book(entries, merged)
        entries, problems = loader.run_transformations(entries, problems + booked, merged, None)
        problems.extend(validation.validate(entries, merged, None, None))
    except Exception as exc:
        raise ReadError(
            top.display,
            f"could not be read by beancount ({type(exc).__name__}: {excerpt(str(exc))})",
        ) from None
    return _Parsed(entries, problems, files, rejected)


def _sane_entries(
    entries: list[Any], where: str, rejected: list[tuple[str, int, str]]
) -> Iterator[Any]:
    """The parsed entries whose amounts are in the sane range; each other one goes to
    ``rejected`` as (file, line, why) before beancount's booking would fail on it."""
    for entry in entries:
        numbers = [getattr(getattr(entry, "amount", None), "number", None)]
        for posting in getattr(entry, "postings", None) or ():
            numbers += [
                getattr(posting.units, "number", None),
                getattr(posting.price, "number", None),
            ]
        try:
            for number in numbers:
                if isinstance(number, Decimal):
                    check_amount(number)
        except ValueError as exc:
            rejected.append((where, int(entry.meta.get("lineno") or 0), str(exc)))
            continue
        yield entry


def _beancount_records(
    request: SourceRequest,
    parsed: _Parsed,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
) -> tuple[list[Record], dict[str, RowErrors]]:
    """Transactions and balance assertions of the loaded entries; skipped rows per file."""
    from beancount.core import data

    records: list[Record] = []
    skipped: dict[str, RowErrors] = {}
    top = next(iter(parsed.files))
    for source, number, message in parsed.rejected:
        skipped.setdefault(source, RowErrors(source)).add(number, message)
    for entry in parsed.entries:
        meta = getattr(entry, "meta", None) or {}
        filename = meta.get("filename")
        where = filename if isinstance(filename, str) and filename in parsed.files else top
        line = meta.get("lineno") if isinstance(meta.get("lineno"), int) else None
        cite = parsed.files[where].at_line(line)
        if isinstance(entry, data.Balance):
            records.extend(_beancount_balance(request, entry, cite, book, cash, span))
        elif isinstance(entry, data.Transaction):
            rows = skipped.setdefault(where, RowErrors(where))
            records.extend(_beancount_transaction(request, entry, cite, book, cash, span, rows))
    return records, skipped


def _beancount_balance(
    request: SourceRequest,
    entry: Any,
    cite: Provenance,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
) -> list[Record]:
    """A balance directive on a cash account: a CashBalance with beancount's computed value."""
    try:
        account = book.read(entry.account)
    except ValueError:
        return []
    expected = entry.amount.number
    currency = entry.amount.currency or ""
    if not account.cash or expected is None or not _CURRENCY.fullmatch(currency):
        return []
    diff = getattr(entry, "diff_amount", None)
    computed = expected + diff.number if diff is not None else expected
    cash.balances.append(
        _Balance("assertion", entry.date, entry.account, expected, cite, True, False)
    )
    span.add(entry.date)
    return [
        CashBalance(
            request.entity.id,
            cite,
            entry.date,
            entry.account,
            Money(expected, currency),
            "assertion",
            Money(computed, currency),
        )
    ]


def _beancount_postings(
    entry: Any, book: AccountBook, rows: RowErrors
) -> list[tuple[Any, Account]]:
    """The entry's currency postings with their accounts; [] (and a row error) on a bad account."""
    line = (getattr(entry, "meta", None) or {}).get("lineno") or 0
    accounts = []
    for posting in entry.postings:
        try:
            accounts.append((posting, book.read(posting.account)))
        except ValueError as exc:
            rows.add(line, str(exc))
            return []
    commodities = sorted(
        {
            p.units.currency
            for p, _a in accounts
            if p.units is not None and not _CURRENCY.fullmatch(p.units.currency or "")
        }
    )
    if commodities:
        rows.add(
            line, f"commodity {commodities[0]!r} is not a currency; only currency postings are read"
        )
        # The currency postings (the cash paid for the shares) still count.
        accounts = [
            (p, a)
            for p, a in accounts
            if p.units is None or _CURRENCY.fullmatch(p.units.currency or "")
        ]
    return accounts


def _beancount_transaction(
    request: SourceRequest,
    entry: Any,
    cite: Provenance,
    book: AccountBook,
    cash: _Cash,
    span: DateRange,
    rows: RowErrors,
) -> list[Record]:
    """A transaction: one record per non-cash posting, or an opening balance on the cash accounts."""
    accounts = _beancount_postings(entry, book, rows)
    if not accounts:
        return []
    cash_postings = [(p, a) for p, a in accounts if a.cash]
    opening = [
        a for _p, a in accounts if a.type is AccountType.EQUITY and "opening" in a.name.lower()
    ]
    if opening and cash_postings:
        for posting, account in cash_postings:
            if posting.units is not None and posting.units.number is not None:
                cash.balances.append(
                    _Balance("opening", entry.date, account.name, posting.units.number, cite, True)
                )
        span.add(entry.date)
        return []
    records: list[Record] = []
    for posting, account in accounts:
        if account.cash or posting.units is None or posting.units.number is None:
            continue
        # beancount writes income and liabilities as negative (credit) numbers.
        amount = -posting.units.number * cash_direction(account.type)
        records.append(
            Transaction(
                request.entity.id,
                cite,
                entry.date,
                account.name,
                account.type,
                account.category,
                Money(amount, posting.units.currency),
                entry.narration or "",
                entry.payee or None,
                _reference(entry),
                bool(cash_postings),
            )
        )
        span.add(entry.date)
    for posting, _account in cash_postings:
        if posting.units is not None and posting.units.number is not None:
            cash.moves[entry.date] += posting.units.number
    return records


def _reference(entry: Any) -> str | None:
    links = sorted(getattr(entry, "links", None) or ())
    if links:
        return links[0]
    reference = (getattr(entry, "meta", None) or {}).get("reference")
    return str(reference) if reference else None


#: beancount problems of one ledger listed one by one; the rest are counted in one more error.
MAX_PROBLEMS = 200


def _beancount_error(
    request: SourceRequest, loc: Location, files: dict[str, Provenance], problem: Any
) -> SourceError:
    """beancount's problem as a warning at its file and line, quoting at most a short excerpt."""
    source = getattr(problem, "source", None) or {}
    filename = source.get("filename")
    line = source.get("lineno")
    where = filename if filename in files else loc.display
    return SourceError(
        entity=request.entity.id,
        source_kind=KIND,
        provenance=Provenance(where, int(line) if isinstance(line, int) and line > 0 else None),
        message=f"beancount: {_short_message(str(getattr(problem, 'message', problem)))}",
        fatal=False,
    )


def _short_message(message: str) -> str:
    """beancount's message on one line, each quoted piece of the file cut to a short excerpt."""
    flat = " ".join(message.split())
    short = _QUOTED.sub(
        lambda m: f"'{excerpt(m[1])}'" if m[1] is not None else f'"{excerpt(m[2])}"', flat
    )
    return excerpt(short, MAX_MESSAGE_CHARS)


@hookimpl
def register_sources() -> list[Source]:
    """The ledger source."""
    return [LedgerSource()]
