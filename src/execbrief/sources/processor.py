"""A payment processor's or platform's export in an entity's cash pool (Stripe, Square, PayPal,
Airbnb), and its payouts matched to the bank's lines so income is counted once.

Each export is read as sales, fees and payouts, whatever its columns: a sale's gross is income
(``Income:Sales (<processor>)``) and the fee kept on it an expense (``Expenses:Payment processing
fees (<processor>)``); a refund or dispute is negative income and a fee given back a negative
expense; a payout moves the net balance to the bank. How each export says which is which is its
:class:`Processor` (one per layout of ``sources.layouts`` read with ``reader = "processor"``):

- Stripe (Balance report, itemized): ``reporting_category`` says charge, refund, fee or payout;
  ``fee`` is positive when charged.
- Square (Transactions export): one row per payment or refund; ``Total Collected`` less ``Tax``
  and ``Tip`` is the sale (tax and tips are owed to others: liabilities), ``Fees`` is negative
  when charged; the rows of one ``Deposit ID`` (their ``Net Total`` less cash taken) are one
  payout, on its ``Deposit Date``.
- PayPal (Activity download): only ``Completed`` rows count; ``Fee`` is negative when charged; a
  withdrawal or transfer to the bank is a payout; a payment sent (negative gross, not a refund)
  is an expense; holds, currency conversions and bank deposits into PayPal move no income.
- Airbnb (Transaction history): a Reservation's ``Gross earnings`` is income and its ``Service
  fee`` (and ``Fast pay fee``) the fee; an Adjustment or Resolution's ``Amount`` is income (negative
  when taken back); a ``Payout`` row's ``Paid out`` is a payout arriving on ``Arriving by date``.

The processor's lines move no cash of their own: cash is the bank's, and the payout reaches it as
the bank's credit (Chase: "ORIG CO NAME:STRIPE ... TRANSFER", "SQUARE INC", "PAYPAL TRANSFER",
"AIRBNB PAYMENTS"). :func:`match_payouts` takes each payout and turns the bank credit naming the
processor, of the same amount, dated on the payout's day or up to ``PAYOUT_DAYS`` after it, from
income into a transfer within the pool (``Assets:Stripe balance``, still cash in for burn). A
payout with no bank line is said in one warning (the bank export may end before it arrives). A
Stripe activity export with ``automatic_payout_id`` gives the payouts itself: the net of the rows
one payout paid, arriving when the last of them is available; the payouts export, when listed
too, states the same payout once. A bank credit naming a processor whose export is in the pool
but that no payout matched is said too (:func:`unpaired_credits`): never a silent double count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from execbrief.records.ledger import AccountType, Transaction, processor_balance
from execbrief.snapshot import Provenance, Record, SourceError
from execbrief.sources.base import SourceRequest
from execbrief.sources.cells import parse_amount, parse_date
from execbrief.sources.files import Column, CsvTable, Location, RowErrors, provenance
from execbrief.values import Money

#: A bank line is the payout's when dated on the payout's day up to this many days after it.
PAYOUT_DAYS = 7

INCOME, EXPENSE, LIABILITY = AccountType.INCOME, AccountType.EXPENSE, AccountType.LIABILITY


@dataclass(frozen=True)
class Line:
    """One ledger line a row gives: ``sales``, ``fees``, or another account of the processor."""

    account: str
    kind: AccountType
    amount: Decimal


@dataclass(frozen=True)
class Read:
    """What one row says: its day, its lines, and the part of a payout it is (if any)."""

    day: date
    lines: tuple[Line, ...] = ()
    payout: Decimal | None = None
    payout_day: date | None = None
    #: The rows of one payout share it (Square's Deposit ID); a row alone when empty.
    payout_key: str = ""
    #: True for a piece of a payout another row may state whole (a Stripe charge's net in the
    #: automatic payout its ``automatic_payout_id`` names).
    part: bool = False


@dataclass(frozen=True)
class Processor:
    """How one export is read: its columns, the row reader, and how the bank names its payouts."""

    name: str
    columns: tuple[Column, ...]
    require: tuple[str, ...]
    read: Callable[[Mapping[str, str], str | None], Read | None]
    bank_memo: re.Pattern[str]
    date_format: str | None = None
    #: How to give the payouts a bank credit is matched to, said when one is not.
    payout_fix: str = "list the export with its payout rows for those dates beside the bank's"
    #: True when the export's ``balance`` column is the running balance of the money held at the
    #: processor (PayPal's ``Balance``): it is then a cash account of the pool (:class:`Held`).
    running_balance: bool = False

    def account(self, line: Line) -> str:
        """The full account name of a line (``sales`` -> ``Income:Sales (Square)``)."""
        named = {"sales": "Income:Sales", "fees": "Expenses:Payment processing fees"}
        return f"{named.get(line.account, line.account)} ({self.name})"


@dataclass(frozen=True)
class Payout:
    """A payout from the processor to the bank: its day (expected arrival when given)."""

    day: date
    amount: Decimal
    reference: str
    at: Provenance
    processor: str = "Stripe"
    #: The processor's id of the payout (``po_...``) when the export names it, so one payout
    #: stated by two exports (the payouts export and the activity rows it paid) counts once.
    key: str = ""
    #: True when summed from the activity rows it paid rather than stated as one row.
    part: bool = False


@dataclass
class Held:
    """The money held at a processor (a PayPal balance), from its export's running balance column:
    a cash account of the pool, ``Assets:<processor> balance``, like a bank's.

    ``running`` holds each row's ``(line, day, balance)`` in file order (turned into one assertion
    per date by ``layouts.running_balances``, in either date order), ``moves`` what the rows that
    count moved it by per day (``Net``), so each assertion is checked against them. A row in
    another currency than the ledger's has its own balance in the same column; those balances are
    not the ledger's cash, and ``other`` names each such currency with its first line.
    """

    account: str
    running: list[tuple[int, date, Decimal]] = field(default_factory=list)
    moves: dict[date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    other: dict[str, int] = field(default_factory=dict)

    def add(self, line: int, row: Mapping[str, str], fmt: str | None, currency: str) -> None:
        """One row's balance and movement (a row with an empty balance cell moves nothing)."""
        text = row.get("balance", "").strip()
        if not text:
            return
        code = row.get("currency", "").strip().upper()
        if code and code != currency.upper():
            self.other.setdefault(code, line)
            return
        day = parse_date(row["date"], fmt)
        self.running.append((line, day, _amount(row, "balance")))
        memo = row.get("impact", "").strip().lower() == "memo"  # PayPal's "Balance Impact"
        if row.get("status", "").strip().lower() == "completed" and not memo:
            self.moves[day] += _amount(row, "net")


def _amount(row: Mapping[str, str], name: str) -> Decimal:
    """A money cell (``12.50``, ``-$0.95``, ``"1,050.00"``); an empty or absent cell is zero."""
    text = row.get(name, "").strip()
    if not text or text in ("-", "--"):
        return Decimal(0)
    return parse_amount(text, what=name.replace("_", " "))


def _day(row: Mapping[str, str], name: str, fmt: str | None) -> date | None:
    text = row.get(name, "").strip()
    return parse_date(text, fmt, what=name.replace("_", " ")) if text else None


def _sale(gross: Decimal, fee_charged: Decimal) -> list[Line]:
    out = [Line("sales", INCOME, gross)] if gross else []
    if fee_charged:
        out.append(Line("fees", EXPENSE, fee_charged))
    return out


# ------------------------------------------------------------------------------------ Stripe
_STRIPE_EXPENSES = frozenset({"fee", "network_cost", "tax"})


def _stripe(row: Mapping[str, str], fmt: str | None) -> Read:
    day = parse_date(row["date"], fmt)
    gross, fee, net = (_amount(row, name) for name in ("gross", "fee", "net"))
    category = row["category"].strip().lower()
    payout_id = row.get("payout", "").strip()
    if category == "payout":
        key = payout_id or row.get("source", "").strip()
        return Read(
            day, payout=abs(net), payout_day=_day(row, "arrival", fmt) or day, payout_key=key
        )
    lines = (
        (Line("fees", EXPENSE, -net),) if category in _STRIPE_EXPENSES else tuple(_sale(gross, fee))
    )
    if not payout_id:
        return Read(day, lines)
    # An activity row an automatic payout paid (automatic_payout_id): its net is part of that
    # payout, which arrives once the row's funds are available.
    available = _day(row, "available", fmt) or day
    return Read(day, lines, net, available, payout_id, part=True)


STRIPE = Processor(
    "Stripe",
    (
        Column("id", ("balance_transaction_id", "payout_id")),
        Column("date", ("created", "effective_at", "created_utc", "effective_at_utc")),
        Column("arrival", ("payout_expected_arrival_date",)),
        # the payouts export's payout_id; an activity row's automatic payout
        Column("payout", ("payout_id", "automatic_payout_id")),
        Column(
            "available",
            (
                "automatic_payout_effective_at",
                "automatic_payout_effective_at_utc",
                "available_on",
                "available_on_utc",
            ),
        ),
        Column("source", ("source_id",)),
        Column("currency", ()),
        Column("gross", ()),
        Column("fee", ()),
        Column("net", ()),
        Column("category", ("reporting_category",)),
        Column("description", ()),
    ),
    ("date", "gross", "net", "category"),
    _stripe,
    re.compile(r"\bstripe\b", re.IGNORECASE),
    payout_fix=(
        "list Stripe's Itemized payouts export (payouts.itemized) beside it, or download the "
        "balance export with its automatic_payout_id column, so each payout is matched"
    ),
)


# ------------------------------------------------------------------------------------ Square
def _square(row: Mapping[str, str], fmt: str | None) -> Read:
    day = parse_date(row["date"], fmt)
    collected, tax, tip = (_amount(row, name) for name in ("total_collected", "tax", "tip"))
    lines = _sale(collected - tax - tip, -_amount(row, "fees"))
    lines += [Line(name, LIABILITY, value) for name, value in (
        ("Liabilities:Sales tax collected", tax), ("Liabilities:Tips owed to staff", tip),
    ) if value]  # fmt: skip
    deposit = row.get("deposit_id", "").strip()
    if not deposit:  # a cash sale (or one not yet deposited) is no payout
        return Read(day, tuple(lines))
    paid = _amount(row, "net_total") - _amount(row, "cash")
    return Read(day, tuple(lines), paid, _day(row, "deposit_date", fmt) or day, deposit)


SQUARE = Processor(
    "Square",
    (
        Column("date", ()),
        Column("total_collected", ()),
        Column("tax", ()),
        Column("tip", ()),
        Column("fees", ()),
        Column("net_total", ()),
        Column("cash", ()),
        Column("id", ("transaction id",)),
        Column("description", ()),
        Column("deposit_id", ()),
        Column("deposit_date", ()),
    ),
    ("date", "total_collected", "fees", "net_total"),
    _square,
    re.compile(r"\bsquare\b|\bsq \*", re.IGNORECASE),
)


# ------------------------------------------------------------------------------------ PayPal
_PAYPAL_PAYOUT = re.compile(r"withdrawal|transfer to bank|to bank account|funds to", re.IGNORECASE)
_PAYPAL_NO_INCOME = re.compile(
    r"hold|authori[sz]ation|currency conversion|bank deposit to pp|transfer from bank|"
    r"general credit card deposit",
    re.IGNORECASE,
)
_PAYPAL_REFUND = re.compile(r"refund|reversal|chargeback|dispute", re.IGNORECASE)


def _paypal(row: Mapping[str, str], fmt: str | None) -> Read | None:
    if row.get("status", "").strip().lower() != "completed":
        return None
    kind = row.get("type", "")
    day = parse_date(row["date"], fmt)
    gross, fee, net = (_amount(row, name) for name in ("gross", "fee", "net"))
    if _PAYPAL_PAYOUT.search(kind):
        return Read(day, payout=-net, payout_day=day)
    if _PAYPAL_NO_INCOME.search(kind):
        return Read(day)
    if gross < 0 and not _PAYPAL_REFUND.search(kind):  # a payment the business sent
        return Read(day, (Line("Expenses:Payments sent", EXPENSE, -gross),))
    return Read(day, tuple(_sale(gross, -fee)))


PAYPAL = Processor(
    "PayPal",
    (
        Column("date", ()),
        Column("name", ()),
        Column("type", ()),
        Column("status", ()),
        Column("currency", ()),
        Column("gross", ()),
        Column("fee", ()),
        Column("net", ()),
        Column("id", ("transaction id",)),
        Column("balance", ()),
        Column("impact", ("balance impact",)),
    ),
    ("date", "type", "status", "gross", "net"),
    _paypal,
    re.compile(r"\bpaypal\b", re.IGNORECASE),
    "%m/%d/%Y",
    running_balance=True,
)


# ------------------------------------------------------------------------------------ Airbnb
def _airbnb(row: Mapping[str, str], fmt: str | None) -> Read | None:
    day = parse_date(row["date"], fmt)
    kind = row.get("type", "").strip().lower()
    if kind == "payout":
        return Read(day, payout=_amount(row, "paid_out"), payout_day=_day(row, "arriving", fmt))
    fees = _amount(row, "service_fee") + _amount(row, "fast_pay_fee")
    if kind == "reservation":
        gross = _amount(row, "gross") if row.get("gross", "").strip() else None
        return Read(
            day, tuple(_sale(_amount(row, "amount") + fees if gross is None else gross, fees))
        )
    return Read(day, tuple(_sale(_amount(row, "amount") + fees, fees)))


AIRBNB = Processor(
    "Airbnb",
    (
        Column("date", ()),
        Column("arriving", ("arriving by date",)),
        Column("type", ()),
        Column("id", ("confirmation code",)),
        Column("description", ("listing",)),
        Column("currency", ()),
        Column("amount", ()),
        Column("paid_out", ("paid out",)),
        Column("service_fee", ("service fee", "host fee")),
        Column("fast_pay_fee", ("fast pay fee",)),
        Column("gross", ("gross earnings",)),
    ),
    ("date", "type", "amount", "paid_out"),
    _airbnb,
    re.compile(r"\bairbnb\b", re.IGNORECASE),
    "%m/%d/%Y",
)

#: The processor that reads each layout of ``sources.layouts`` with ``reader = "processor"``.
BY_LAYOUT: dict[str, Processor] = {
    "stripe-balance": STRIPE,
    "stripe-payouts": STRIPE,
    "square-transactions": SQUARE,
    "paypal-activity": PAYPAL,
    "airbnb-transactions": AIRBNB,
}
PROCESSOR_ACCOUNT = re.compile(
    r"\((?:" + "|".join(re.escape(p.name) for p in {*BY_LAYOUT.values()}) + r")\)$"
)


def read_processor(
    request: SourceRequest,
    loc: Location,
    currency: str,
    date_format: str | None,
    layout: str = "stripe-balance",
) -> tuple[list[Record], list[Payout], RowErrors, CsvTable, Held | None]:
    """The income, fee and liability transactions and the payouts of one processor export, and
    the money it holds when its balance column is a running balance (None otherwise)."""
    processor = BY_LAYOUT[layout]
    table = CsvTable(loc, processor.columns, require=processor.require)
    base = provenance(loc)
    bad = RowErrors(loc)
    records: list[Record] = []
    pieces: dict[str, list[tuple[Read, Provenance, str]]] = {}
    fmt = date_format or processor.date_format
    held = (
        Held(f"Assets:{processor.name} balance")
        if processor.running_balance and "balance" in table.index
        else None
    )
    for line, row in table.rows(bad):
        at = base.at_line(line)
        try:
            read = processor.read(row, fmt)
            if held is not None:
                held.add(line, row, fmt, currency)
        except (ValueError, ArithmeticError) as exc:
            bad.add(line, str(exc))
            continue
        if read is None:
            continue
        other = _other_currency(row, currency)
        if other and (read.lines or read.payout):
            bad.add(line, other)
            continue
        records.extend(_transactions(request, processor, read, row, at, currency))
        if read.payout is not None:
            key = read.payout_key or f"line {line}"
            pieces.setdefault(key, []).append((read, at, read.payout_key or row.get("id", "")))
    if held is not None and held.running:
        # the sales and fees moved the money held at the processor: the account they name, so
        # the bank's own lines are added to the bank's balance, not after the processor's
        records = [
            replace(r, cash_account=held.account) if isinstance(r, Transaction) else r
            for r in records
        ]
    return records, _payouts(processor, pieces), bad, table, held


def _other_currency(row: Mapping[str, str], currency: str) -> str | None:
    """What is wrong with a row in another currency than the ledger's, or None."""
    code = row.get("currency", "").strip().upper()
    if not code or code == currency.upper():
        return None
    return (
        f"amounts in {code}, not the ledger's {currency}; list the {code} rows as a ledger part "
        f'of their own with currency = "{code}"'
    )


def _transactions(
    request: SourceRequest,
    processor: Processor,
    read: Read,
    row: Mapping[str, str],
    at: Provenance,
    currency: str,
) -> list[Transaction]:
    """The row's lines as P&L transactions: they move no cash (the bank's lines do)."""
    memo = row.get("description", "") or row.get("name", "")
    out: list[Transaction] = []
    for line in read.lines:
        account = processor.account(line)
        category = account.split(":")[-1]
        money = Money(line.amount, currency)
        reference = row.get("id") or None
        txn = Transaction(request.entity.id, at, read.day, account, line.kind, category, money)
        out.append(replace(txn, memo=memo, reference=reference, cash=False))
    return out


def _payouts(
    processor: Processor, pieces: Mapping[str, list[tuple[Read, Provenance, str]]]
) -> list[Payout]:
    """One payout per key: its pieces added up, on the latest piece's payout day (a payout
    arrives once all it pays is available), cited at its first piece."""
    out: list[Payout] = []
    for parts in pieces.values():
        first, at, reference = parts[0]
        total = sum((p.payout or Decimal(0) for p, _, _ in parts), Decimal(0))
        if total:
            day = max(p.payout_day or p.day for p, _, _ in parts)
            part = any(p.part for p, _, _ in parts)
            out.append(Payout(day, total, reference, at, processor.name, first.payout_key, part))
    return out


def _distinct(payouts: Sequence[Payout]) -> list[Payout]:
    """One payout per ``po_...``: a payout stated whole (Stripe's payouts export, or a payout row
    of a balance export) over the same one summed from the activity rows it paid, and a payout
    two exports state whole once."""
    whole = {(p.processor, p.key) for p in payouts if p.key and not p.part}
    seen: set[tuple[str, str]] = set()
    out: list[Payout] = []
    for payout in payouts:
        key = (payout.processor, payout.key)
        if payout.key and (key in seen or (payout.part and key in whole)):
            continue
        if payout.key:
            seen.add(key)
        out.append(payout)
    return out


def match_payouts(
    request: SourceRequest, records: Sequence[Record], payouts: Sequence[Payout], kind: str
) -> tuple[list[Record], list[SourceError]]:
    """``records`` with each bank credit that is a payout turned from income into a transfer
    within the pool (cash in from the processor's balance, no P&L), and a warning for each
    payout no bank line matched."""
    memos = {p.name: p.bank_memo for p in BY_LAYOUT.values()}
    dropped: dict[int, str] = {}
    errors: list[SourceError] = []
    for payout in sorted(_distinct(payouts), key=lambda p: p.day):
        memo = memos.get(payout.processor, STRIPE.bank_memo)
        found = next(
            (
                i
                for i, r in enumerate(records)
                if i not in dropped and _bank_credit(r, memo) and _pays(r, payout)
            ),
            None,
        )
        if found is not None:
            dropped[found] = payout.processor
            continue
        errors.append(
            SourceError(
                entity=request.entity.id,
                source_kind=kind,
                provenance=payout.at,
                message=_unmatched(payout),
                fatal=False,
            )
        )
    return [_transfer(r, dropped[i]) if i in dropped else r for i, r in enumerate(records)], errors


def _transfer(record: Record, processor: str) -> Record:
    """A bank credit that is a payout: cash in from the processor's balance (an asset given up,
    so its amount is negative in the asset's direction), no income."""
    assert isinstance(record, Transaction)
    account = processor_balance(processor)
    return replace(
        record,
        account=account,
        account_type=AccountType.ASSET,
        category=account.split(":")[-1],
        amount=-record.amount,
    )


def _unmatched(payout: Payout) -> str:
    said = (
        f"payout {payout.reference or ''} of {payout.amount} on {payout.day.isoformat()}"
    ).replace("payout  of", "payout of")
    if payout.part:
        return (
            f"{said} (the net of the activity rows it paid) has no bank line of that amount "
            f"within {PAYOUT_DAYS} days; the export may start or end inside the payout: list "
            f"{payout.processor}'s payouts export (Itemized payouts) beside it"
        )
    return (
        f"{said} has no bank line of that amount within {PAYOUT_DAYS} days; list the bank "
        "export that received it beside the processor's in this entity's ledger"
    )


def unpaired_credits(
    request: SourceRequest, records: Sequence[Record], exports: Mapping[str, str], kind: str
) -> list[SourceError]:
    """A warning per processor (``exports``: processor name -> its export's path) whose export
    is in the pool while bank credits naming it matched no payout: those credits are still
    income beside the processor's own sales, so the income may be counted twice."""
    errors: list[SourceError] = []
    for processor in dict.fromkeys(BY_LAYOUT.values()):
        export = exports.get(processor.name)
        if export is None:
            continue
        credits = [
            r
            for r in records
            if isinstance(r, Transaction) and _bank_credit(r, processor.bank_memo)
        ]
        if not credits:
            continue
        total = sum((c.amount.amount for c in credits), Decimal(0))
        first = min(credits, key=lambda c: c.date)
        errors.append(
            SourceError(
                entity=request.entity.id,
                source_kind=kind,
                provenance=first.provenance,
                message=(
                    f"{len(credits)} bank credit(s) naming {processor.name} ({total} in all, the "
                    f"first on {first.date.isoformat()}) match no payout of {export}, so they are "
                    f"counted as income beside its sales and that income may be counted twice; "
                    f"{processor.payout_fix}"
                ),
                fatal=False,
            )
        )
    return errors


def _bank_credit(record: Record, memo: re.Pattern[str]) -> bool:
    """A bank export's income line naming the processor (not a processor's own line)."""
    return (
        isinstance(record, Transaction)
        and record.account_type == AccountType.INCOME
        and bool(memo.search(record.memo))
        and not PROCESSOR_ACCOUNT.search(record.account)
    )


def _pays(record: Record, payout: Payout) -> bool:
    assert isinstance(record, Transaction)
    late = (record.date - payout.day).days
    return record.amount.amount == payout.amount and 0 <= late <= PAYOUT_DAYS
