"""Accounting: revenue recognition (deposits booked as income), chart-of-accounts gaps, the expense
audit by category (totals, month-on-month change, outliers, likely duplicates, subscriptions),
milestones to profitability, and the reconciliation gate.

Formulas and sources are in ``docs/metrics.md`` ("Accounting").
"""

from __future__ import annotations

import functools
import operator
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from pydantic import BaseModel, Field

from execbrief.analysis import books
from execbrief.analysis import finance as fin
from execbrief.analysis.base import Analysis, all_by
from execbrief.config import Config, Model
from execbrief.findings import AnalysisResult, CostTier, Effort, Finding, Metric, Severity
from execbrief.hookspecs import hookimpl
from execbrief.records import channels
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.ledger import (
    AccountType,
    CashBalance,
    Transaction,
    paid_out_by,
    pays_card,
)
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, set_in_dict
from execbrief.values import Money, Percent, Period, counted, with_article


class AccountingOptions(Model):
    """``[analysis.accounting]``: thresholds and word lists of the accounting checks.

    ``misc_threshold``: uncategorised spending per entity above which it is a finding.
    ``duplicate_days``: two payments to one payee of one amount this many days apart or less are
    likely duplicates. ``match_days``: how far an income line's date may be from a booking's
    creation date when matched by amount. ``deposit_tolerance`` (fraction) and
    ``deposit_tolerance_amount``: how far bookings' deposits and the ledger's may differ before the
    books do not reconcile (the larger of the two applies).
    """

    misc_threshold: Decimal = Field(default=Decimal(500), ge=0)
    duplicate_days: int = Field(default=5, ge=0, le=60)
    match_days: int = Field(default=3, ge=0, le=60)
    subscription_months: int = Field(default=3, ge=2)
    subscription_tolerance: Decimal = Field(default=Decimal("0.05"), ge=0, lt=1)
    outlier_min_rows: int = Field(default=4, ge=4)
    deposit_tolerance: Decimal = Field(default=Decimal("0.02"), ge=0, lt=1)
    deposit_tolerance_amount: Decimal = Field(default=Decimal(50), ge=0)
    milestone_quarters: int = Field(default=4, ge=1, le=12)
    deposit_words: list[str] = Field(
        default_factory=lambda: [
            "deposit",
            "deposits",
            "prepayment",
            "prepaid",
            "prepay",
            "advance",
            "retainer",
            "down payment",
        ]
    )
    misc_words: list[str] = Field(
        default_factory=lambda: [
            "misc", "miscellaneous", "uncategorized", "uncategorised", "other", "general", "sundry",
            "suspense", "ask my accountant", "unknown",
        ]
    )  # fmt: skip
    draw_words: list[str] = Field(
        default_factory=lambda: [
            "owner draw",
            "owner's draw",
            "owners draw",
            "draw",
            "draws",
            "personal",
            "distribution",
        ]
    )


# --------------------------------------------------------------------------- result types


@set_in_dict
@dataclass(frozen=True)
class DeferredItem:
    """Income booked before its service date: a contract liability (ASC 606) until then.

    ``booking`` is the matched booking id (None when the line only says "deposit"); ``matched_by``
    says how (``reference``, ``memo``, ``deposit amount``, ``amount``, or ``words``).
    ``outstanding`` is True when the service date is after as_of: still a liability today.
    """

    entity: str
    received: date
    amount: Money
    period: str
    account: str
    memo: str
    booking: str | None
    service_date: date | None
    recognise_in: str | None
    matched_by: str
    outstanding: bool
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class DeferredSummary:
    """Amount to move from income to customer deposits, per entity and period booked."""

    entity: str
    period: str
    amount: Money
    items: int
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class ChartGap:
    """An account missing against the standard chart for the entity's kind."""

    entity: str
    account: str
    account_type: str
    why: str


@set_in_dict
@dataclass(frozen=True)
class CategoryAudit:
    """One expense category of one entity: totals, last month against the one before, outliers."""

    entity: str
    account: str
    total: Money
    rows: int
    by_month: tuple[tuple[str, Money], ...]
    last_month: Money
    previous_month: Money
    change: Money
    change_pct: Percent | None
    outliers: tuple[Transaction, ...] = ()
    fence: Money | None = None
    provenance: tuple[Provenance, ...] = ()
    last_period: str = ""
    previous_period: str = ""


@dataclass(frozen=True)
class DuplicatePair:
    """Two payments that look like one paid twice: same payee, same amount, dates close."""

    entity: str
    payee: str
    amount: Money
    first: Transaction
    second: Transaction
    days_apart: int


@dataclass(frozen=True)
class Subscription:
    """A recurring charge: one payee, about the same amount, in at least N distinct months.

    ``charge`` is the latest charge, paid every ``every_months`` months (1 monthly, 3 quarterly,
    12 yearly, from the median gap between the charges); ``monthly`` is its monthly equivalent,
    charge ÷ every_months, unrounded (the recurring total adds these).
    """

    entity: str
    payee: str
    monthly: Money
    months: int
    first: date
    last: date
    account: str
    provenance: tuple[Provenance, ...] = ()
    charge: Money | None = None
    every_months: int = 1

    @property
    def cadence(self) -> str:
        """How often the charge is paid: "month", "quarter", "year" or "6 months"."""
        return CADENCE_NAMES.get(self.every_months, f"{self.every_months} months")

    def describe(self) -> str:
        """ "$49.00/mo", or "$2,740.00 a quarter, $913.33/mo equivalent"."""
        charge = self.charge or self.monthly
        if self.every_months == 1:
            return f"{charge.quantize()}/mo"
        every = (
            f"a {self.cadence}" if self.every_months in CADENCE_NAMES else f"every {self.cadence}"
        )
        return f"{charge.quantize()} {every}, {self.monthly.quantize()}/mo equivalent"


#: Names of the usual billing intervals, in months.
CADENCE_NAMES = {1: "month", 3: "quarter", 12: "year"}
#: Average Gregorian month in days, to turn the gap between charges into months.
DAYS_PER_MONTH = Decimal("30.4375")


def every_months(dates: Sequence[date]) -> int:
    """Months between charges: the median gap between consecutive dates ÷ 30.4375 days,
    rounded to a whole month (at least 1)."""
    gaps = sorted((b - a).days for a, b in pairwise(sorted(dates)))
    if not gaps:
        return 1
    middle = len(gaps) // 2
    median = (
        Decimal(gaps[middle]) if len(gaps) % 2 else Decimal(gaps[middle - 1] + gaps[middle]) / 2
    )
    return max(1, int((median / DAYS_PER_MONTH).to_integral_value(rounding=ROUND_HALF_UP)))


@dataclass(frozen=True)
class Pile:
    """Uncategorised ("Misc") spending or owner draws booked as expenses, for one entity."""

    entity: str
    kind: str
    total: Money
    rows: tuple[Transaction, ...]


@dataclass(frozen=True)
class Milestone:
    """One quarter's milestone on the way to profitability."""

    entity: str
    quarter: str
    goal: str
    revenue_per_month: Money
    net_per_month: Money | None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class ReconcileIssue:
    """One reason the inputs do not reconcile; ``entity`` is None for portfolio-wide problems."""

    entity: str | None
    reason: str
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class AccountingResult(AnalysisResult):
    """Accounting's typed result. ``reconciled`` is False when the books disagree with themselves or
    with the bookings beyond tolerance; ``reasons`` say where."""

    deferred: tuple[DeferredItem, ...] = ()
    deferred_summary: tuple[DeferredSummary, ...] = ()
    chart_gaps: tuple[ChartGap, ...] = ()
    piles: tuple[Pile, ...] = ()
    categories: tuple[CategoryAudit, ...] = ()
    duplicates: tuple[DuplicatePair, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    no_milestones: tuple[tuple[str, str], ...] = ()
    reconciled: bool = True
    issues: tuple[ReconcileIssue, ...] = ()
    reasons: tuple[str, ...] = ()
    reason_provenance: tuple[Provenance, ...] = ()
    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()
    #: (entity, warning) that does not block sending; a report shows its own entities' only.
    warnings: tuple[tuple[str, str], ...] = ()

    def issues_for(self, entities: set[str] | None = None) -> list[ReconcileIssue]:
        """Reconciliation issues touching these entities (portfolio-wide ones always count)."""
        return [
            i for i in self.issues if entities is None or i.entity is None or i.entity in entities
        ]


# --------------------------------------------------------------------------- helpers


def accounting_options(config: Config | None) -> AccountingOptions:
    """The validated ``[analysis.accounting]`` options (defaults when absent)."""
    options = config.analysis_options("accounting") if config is not None else None
    return options if isinstance(options, AccountingOptions) else AccountingOptions()


def _words(words: Sequence[str]) -> re.Pattern[str]:
    """Any of ``words`` standing alone (not inside a longer word), in any case."""
    return _words_pattern(tuple(words))


@functools.lru_cache(maxsize=256)  # asked per entity and chart entry, of a few word lists
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


#: A bank's own words for how money came in ("DEPOSIT", "MOBILE DEPOSIT", "ATM CASH DEPOSIT",
#: "DEPOSIT MADE IN A BRANCH/STORE", "eDeposit", a reference number): a memo of nothing else says
#: the bank took a deposit at the counter, not that a customer paid ahead for a booking.
_BANK_DEPOSIT = re.compile(
    r"(?:(?:mobile|atm|cash|check|cheque|branch|counter|teller|remote|online|night|drop|"
    r"e-?|in|at|a|made|store|/|ref(?:erence)?|no|[#*:.\-\d])\s*)*deposit"
    r"(?:\s*(?:made|in|at|a|branch|store|atm|ref(?:erence)?|no|[#*:./\-\d])\s*)*",
    re.IGNORECASE,
)


def _says_deposit(account: str, memo: str, words: re.Pattern[str]) -> bool:
    """Whether a ledger line's account or memo says deposit: a customer's deposit, not a bank's
    counter deposit (a memo that is only the bank's deposit wording names no booking or
    customer, so it says nothing of what the money was for)."""
    if words.search(account):
        return True
    return bool(words.search(memo)) and not _BANK_DEPOSIT.fullmatch(memo.strip())


def _deposit_test(words: re.Pattern[str]) -> books.Asked:
    """``_says_deposit`` of a line's ``(account, memo)``, asked once per distinct pair."""
    return books.Asked(lambda account, memo: _says_deposit(account, memo, words))


_payee = books.payee  # asked per ledger row: no call of a wrapper in between


def _ledger(snapshot: Snapshot, entity: str) -> list[Transaction]:
    return books.ledger(snapshot, entity)


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """First and third quartile, linear interpolation between closest ranks (Excel QUARTILE.INC)."""
    data = sorted(values)
    n = len(data)

    def at(q: Decimal) -> Decimal:
        position = (n - 1) * q
        low = int(position)
        fraction = position - low
        if low + 1 >= n:
            return data[low]
        return data[low] + (data[low + 1] - data[low]) * fraction

    return at(Decimal("0.25")), at(Decimal("0.75"))


# --------------------------------------------------------------------------- revenue recognition


def revenue_recognition(
    snapshot: Snapshot, entity: str, options: AccountingOptions
) -> list[DeferredItem]:
    """Income lines for services on a later date: matched to bookings by reference, booking id in
    the memo, or the booking's deposit amount (never its full amount) within ``match_days`` of its
    creation; a line whose service falls in a later month than it was booked, or after as_of, is a
    contract liability until then. Lines for cancelled bookings are skipped (a kept deposit is
    earned on cancellation). Unmatched lines that say "deposit" are listed for review (no date)."""
    deposit_words = _words(options.deposit_words)
    bookings = snapshot.records(Booking, entity)
    by_id = {b.id.lower(): b for b in bookings}
    # made when a memo is first searched (most entities' income lines name their booking in
    # the reference: at 1,000 entities one of 429 patterns was searched)
    id_pattern = functools.cache(functools.partial(_id_pattern, bookings))
    by_money: dict[str, dict[Decimal, list[Booking]]] = {"deposit": defaultdict(list)}
    for b in bookings:
        for field in by_money:
            money = getattr(b, field)
            if money is not None:
                by_money[field][money.amount].append(b)
    used: set[tuple[str, str]] = set()
    out: list[DeferredItem] = []
    says_deposit = _deposit_test(deposit_words)
    named: dict[str, str | None] = {}  # memo -> the booking id it names (memos repeat)
    by_created: dict[int, _Created] = {}  # by id of a pool of by_money (they live as long)
    # (an enum member read off its class costs ten times a local's read: a big ledger's every row)
    income, inquiry, cancelled = AccountType.INCOME, BookingStatus.INQUIRY, BookingStatus.CANCELLED
    month_names: dict[date, str] = {}  # each line's month as text, once per date
    for tx in _ledger(snapshot, entity):
        if tx.account_type != income or tx.amount.amount <= 0:
            continue
        match: Booking | None = None
        how = ""
        if tx.reference and tx.reference.lower() in by_id:
            match, how = by_id[tx.reference.lower()], "reference"
        elif bookings and (found := _named(id_pattern, tx.memo, named)) is not None:
            match, how = by_id.get(found.lower()), "memo"
        if match is None:
            # Only a booking's deposit column is matched by amount: a payment equal to a plain
            # job's full price ($300) is not a deposit, and guessing one defers earned income.
            for field, label in (("deposit", "deposit amount"),):
                pool = by_money[field].get(tx.amount.amount)
                if not pool:
                    continue
                if len(pool) > 16:  # a big pool: only the bookings created near the line
                    created = by_created.get(id(pool)) or by_created.setdefault(
                        id(pool), _Created(pool)
                    )
                    pool = created.near(tx.date, options.match_days)
                candidates = [
                    b
                    for b in pool
                    if abs((tx.date - b.created).days) <= options.match_days
                    and (b.id, field) not in used
                    and b.status != inquiry
                ]
                if candidates:
                    match = min(candidates, key=lambda b: (abs((tx.date - b.created).days), b.id))
                    how = label
                    used.add((match.id, field))
                    break
        if match is not None and match.status == cancelled:
            continue  # a kept deposit of a cancelled booking is earned (or owed back), not deferred
        if match is not None and match.service_date is not None:
            if (
                match.service_date <= books.month_of(tx.date).end
                and match.service_date <= snapshot.as_of
            ):
                continue  # service in the month booked and already done: income is right
            out.append(
                DeferredItem(
                    entity,
                    tx.date,
                    tx.amount,
                    _month_name(tx.date, month_names),
                    tx.account,
                    tx.memo,
                    match.id,
                    match.service_date,
                    str(books.month_of(match.service_date)),
                    how,
                    match.service_date > snapshot.as_of,
                    (tx.provenance, match.provenance),
                )
            )
        elif says_deposit(tx.account, tx.memo):
            out.append(
                DeferredItem(
                    entity,
                    tx.date,
                    tx.amount,
                    _month_name(tx.date, month_names),
                    tx.account,
                    tx.memo,
                    match.id if match else None,
                    None,
                    None,
                    "words",
                    False,
                    (tx.provenance,),
                )
            )
    return out


def _month_name(day: date, names: dict[date, str]) -> str:
    """The calendar month holding ``day`` as text (``2026-03``), kept in ``names`` per date."""
    name = names.get(day)
    if name is None:
        name = names[day] = str(books.month_of(day))
    return name


class _Created:
    """The bookings of one deposit amount, sorted by creation once: those created within some
    days of an income line are read off by bisection, in the pool's order, not scanned per row."""

    def __init__(self, pool: list[Booking]) -> None:
        self.pool = pool
        self.order = sorted(range(len(pool)), key=lambda i: pool[i].created)
        self.created = [pool[i].created for i in self.order]

    def near(self, day: date, days: int) -> list[Booking]:
        """The pool's bookings created within ``days`` of ``day`` (all of them near the
        calendar's ends)."""
        try:
            low, high = day - timedelta(days=days), day + timedelta(days=days)
        except OverflowError:
            return self.pool
        near = self.order[bisect_left(self.created, low) : bisect_right(self.created, high)]
        return [self.pool[i] for i in sorted(near)]


def _id_pattern(bookings: Sequence[Booking]) -> re.Pattern[str]:
    """Any of the bookings' ids in any case, a longer one before one it starts with."""
    return re.compile(
        "|".join(re.escape(b.id) for b in sorted(bookings, key=lambda b: -len(b.id))),
        re.IGNORECASE,
    )


def _named(
    pattern: Callable[[], re.Pattern[str]], memo: str, seen: dict[str, str | None]
) -> str | None:
    """The first booking id ``pattern()`` finds in ``memo`` (asked once per distinct memo, at
    most 16,384 kept)."""
    if memo in seen:
        return seen[memo]
    found = pattern().search(memo)
    text = found.group() if found else None
    if len(seen) < 1 << 14:
        seen[memo] = text
    return text


def summarise_deferred(items: Sequence[DeferredItem], currency: str) -> list[DeferredSummary]:
    """Dated deferred items summed per entity and period booked (undated ones are for review)."""
    groups: dict[tuple[str, str], list[DeferredItem]] = defaultdict(list)
    for item in items:
        if item.service_date is not None:
            groups[(item.entity, item.period)].append(item)
    return [
        DeferredSummary(
            entity,
            period,
            books.total((i.amount for i in group), currency),
            len(group),
            tuple(i.provenance[0] for i in group),
        )
        for (entity, period), group in sorted(groups.items())
    ]


# --------------------------------------------------------------------------- chart of accounts

_PROCESSORS = re.compile(
    r"\b(?:stripe|square|paypal|shopify payments|sumup|toast)\b", re.IGNORECASE
)
#: (account, type, words that name it, when it is needed) per entity kind. ``when``: always, ota
#: (bookings through commission channels), deposits (customer deposits taken), processor (income
#: paid through a card processor that keeps a fee).
_COMMON: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("Customer deposits (contract liability)", "liability", ("deposit", "deposits", "unearned", "deferred revenue", "contract liability"), "deposits"),
    ("Insurance", "expense", ("insurance",), "always"),
    ("Payment processing fees", "expense", ("bank fee", "bank fees", "bank charges", "merchant", "merchant fees", "processing", "processing fees", "stripe fees", "square fees", "payment fees", "card fees"), "processor"),
)  # fmt: skip
STANDARD_CHART: dict[str, tuple[tuple[str, str, tuple[str, ...], str], ...]] = {
    "charter": (
        ("OTA / booking commissions", "expense", ("commission", "commissions", "ota", "booking fee", "booking fees", "marketplace"), "ota"),
        ("Fuel", "expense", ("fuel", "diesel", "gas"), "always"),
        ("Dockage and slip fees", "expense", ("dock", "dockage", "slip", "marina", "mooring"), "always"),
        ("Vessel maintenance and repairs", "expense", ("maintenance", "repair", "repairs", "haul out"), "always"),
    ),
    "hauling": (
        ("Dump and disposal fees", "expense", ("dump", "disposal", "tipping", "landfill", "transfer station"), "always"),
        ("Fuel", "expense", ("fuel", "diesel", "gas"), "always"),
        ("Vehicle costs", "expense", ("vehicle", "truck", "lease", "auto"), "always"),
        ("Lead and marketplace fees", "expense", ("commission", "lead", "leads", "marketplace", "thumbtack", "angi"), "ota"),
    ),
    "consultancy": (
        ("Contractors and payroll", "expense", ("payroll", "wages", "salary", "salaries", "contractor", "contractors"), "always"),
        ("Software subscriptions", "expense", ("software", "saas", "subscription", "subscriptions"), "always"),
    ),
    "rental": (
        ("Cleaning and turnover", "expense", ("cleaning", "turnover", "housekeeping", "laundry"), "always"),
        ("Platform / host fees", "expense", ("commission", "host fee", "host fees", "platform", "airbnb", "vrbo", "service fee", "service fees"), "ota"),
        ("Property tax", "expense", ("property tax", "property taxes"), "always"),
        ("Repairs and maintenance", "expense", ("maintenance", "repair", "repairs"), "always"),
        ("Utilities", "expense", ("utilities", "utility", "electric", "water", "internet"), "always"),
    ),
    "delivery": (
        ("Crew", "expense", ("crew", "wages", "contractor", "contractors", "payroll"), "always"),
        ("Travel", "expense", ("travel", "airfare", "flights", "transport", "lodging"), "always"),
    ),
    "platform": (
        ("Hosting and infrastructure", "expense", ("hosting", "aws", "cloud", "server", "servers", "infrastructure"), "always"),
        ("Payment processing", "expense", ("stripe", "processing", "payment fees", "merchant"), "always"),
    ),
}  # fmt: skip


_INCOME = AccountType.INCOME
#: The account types a deposit taken is booked to.
_TAKEN = frozenset({AccountType.INCOME, AccountType.LIABILITY})


def chart_gaps(
    snapshot: Snapshot,
    info: EntityInfo,
    rows: Sequence[Transaction],
    deferred: Sequence[DeferredItem],
) -> list[ChartGap]:
    """Accounts of the standard chart for the entity's kind that its ledger never uses."""
    bookings = snapshot.records(Booking, info.id)
    # marketplaces taking a commission or a lead fee, as the channel catalogue knows them
    ota = sorted(c for c in {b.channel for b in bookings} if channels.is_marketplace(c))
    deposits = [b for b in bookings if b.deposit is not None and b.deposit.amount > 0]
    # the processor's name in the payee, or in a bank export's memo ("STRIPE TRANSFER ST-...")
    processors = sorted(
        {
            name
            for key in {(t.counterparty or "", t.memo) for t in rows if t.account_type == _INCOME}
            if (found := _PROCESSORS.search(" ".join(key))) and (name := found.group(0).title())
        }
    )
    # every account the ledger uses, by its type: each chart entry below looks its kind up
    used: dict[AccountType, set[str]] = defaultdict(set)
    for t in rows:
        used[t.account_type].add(t.account)
    out = []
    for account, kind, words, when in (*_COMMON, *STANDARD_CHART.get(info.kind, ())):
        if when == "ota" and not ota:
            continue
        if when == "deposits" and not (deposits or any(d.entity == info.id for d in deferred)):
            continue
        if when == "processor" and not processors:
            continue
        pattern = _words(words)
        typed = {
            name
            for account_type, names in used.items()
            if account_type.value == kind or (kind == "expense" and account_type in books.COSTS)
            for name in names
        }
        if any(pattern.search(name) for name in typed):
            continue
        why = {
            "always": f"a standard account for {with_article(info.kind)} business",
            "ota": f"bookings come through commission channels ({', '.join(ota)})",
            "processor": f"income is paid through {', '.join(processors)}, who keep a fee",
            "deposits": f"{len(deposits)} bookings took deposits"
            if deposits
            else "deposits were booked as income",
        }[when]
        out.append(ChartGap(info.id, account, kind, why))
    return out


def piles(
    rows: Sequence[Transaction], options: AccountingOptions, entity: str, currency: str
) -> list[Pile]:
    """Uncategorised spending (category or account reads "Misc", "Other", ...) and owner draws
    booked as expenses."""
    misc = _words(options.misc_words)
    draws = _words(options.draw_words)
    is_misc = books.Asked(
        lambda category, account: bool(misc.search(category) or misc.search(account.split(":")[-1]))
    )
    is_draw = books.Asked(lambda account, memo: bool(draws.search(account) or draws.search(memo)))
    costs = books.COSTS
    spend = [t for t in rows if t.account_type in costs]
    misc_rows = tuple(t for t in spend if is_misc(t.category, t.account))
    draw_rows = tuple(t for t in spend if is_draw(t.account, t.memo))
    out = []
    if misc_rows:
        out.append(Pile(entity, "misc", books.sum_amounts(misc_rows, currency), misc_rows))
    if draw_rows:
        out.append(
            Pile(
                entity,
                "owner-draws",
                books.sum_amounts(draw_rows, currency),
                draw_rows,
            )
        )
    return out


# --------------------------------------------------------------------------- expense audit


def audit_categories(
    rows: Sequence[Transaction], entity: str, as_of: date, options: AccountingOptions, currency: str
) -> list[CategoryAudit]:
    """Per expense account: total, per month, last complete month against the one before, and
    outliers above Tukey's upper fence (Q3 + 1.5 × IQR) when the account has enough rows."""
    last = books.last_complete_month(as_of)
    previous = last.previous()
    groups: dict[str, list[Transaction]] = defaultdict(list)
    # each account's rows by month, grouped in the same pass (not one ``by_month`` an account),
    # by the month's name: a string hashes in C, a Period in Python (a big ledger's every row)
    by_month: dict[str, dict[str, list[Transaction]]] = defaultdict(dict)
    month_names: dict[date, str] = {}
    costs = books.COSTS
    for t in rows:
        if t.account_type in costs:
            groups[t.account].append(t)
            month = _month_name(t.date, month_names)
            months_of = by_month[t.account]
            found = months_of.get(month)
            if found is None:
                months_of[month] = [t]
            else:
                found.append(t)
    # summed as Decimals, one Money per month (not one per row); when the costs are not all of
    # one currency, each sum checks its own rows (and Money says which currencies clash)
    uniform = books.one_currency((t for group in groups.values() for t in group), currency)
    # the running costs (payroll, rent), read only when an account has a row over its fence
    running = functools.cache(functools.partial(books.recurring_payees, rows))
    out = []
    for account, group in sorted(groups.items()):
        months = {
            month: books.sum_amounts(txs, currency, checked=uniform)
            for month, txs in by_month[account].items()
        }
        last_amount, prev_amount = (
            months.get(str(last), Money(0, currency)),
            months.get(str(previous), Money(0, currency)),
        )
        change = last_amount - prev_amount
        pct = (
            Percent.from_fraction(books.round2(change.amount / prev_amount.amount * 100) / 100)
            if not prev_amount.is_zero
            else None
        )
        outliers: tuple[Transaction, ...] = ()
        fence: Money | None = None
        if len(group) >= options.outlier_min_rows:
            q1, q3 = quartiles([t.amount.amount for t in group])
            fence = Money(q3 + (q3 - q1) * Decimal("1.5"), currency)
            # a running cost such as payroll is large by nature, not unusual
            outliers = _above(group, fence, running)
        out.append(
            CategoryAudit(
                entity,
                account,
                books.sum_amounts(group, currency, checked=uniform),
                len(group),
                tuple(sorted(months.items())),
                last_amount,
                prev_amount,
                change,
                pct,
                outliers,
                fence.quantize() if fence else None,
                books.cite(group),
                str(last),
                str(previous),
            )
        )
    return out


def _above(
    group: Sequence[Transaction], fence: Money, running: Callable[[], set[str]]
) -> tuple[Transaction, ...]:
    """The rows over ``fence`` whose payee is not one of the ``running`` costs (compared as
    Decimals when the rows are of the fence's currency, else as Money, which says the clash)."""
    if books.one_currency(group, fence.currency):
        line = fence.amount
        over = [t for t in group if t.amount.amount > line]
    else:
        over = [t for t in group if t.amount > fence]
    if not over:
        return ()
    recurring = running()
    return tuple(t for t in over if books.payee(t) not in recurring)


def find_duplicates(rows: Sequence[Transaction], entity: str, days: int) -> list[DuplicatePair]:
    """Payments that look like one bill paid twice: one payee, one amount, ``days`` or fewer apart,
    and either the same reference, or an amount that is not a chance match — the payee is billed
    that amount (at least 80% of its payments) at intervals longer than ``days``, or the amount
    appears for this payee in no other payment. Pairs with different references are never paired."""
    spend = sorted(
        (t for t in rows if t.account_type in _SPEND),
        key=_date_and_provenance,
    )
    by_payee: dict[str, list[Transaction]] = defaultdict(list)
    for t in spend:
        by_payee[_payee(t) or t.account.lower()].append(t)
    out: list[DuplicatePair] = []
    for payee, payments in sorted(by_payee.items()):
        by_amount: dict[Decimal, list[Transaction]] = defaultdict(list)
        for t in payments:
            by_amount[t.amount.amount].append(t)
        for _amount, group in sorted(by_amount.items()):
            # a fixed bill: most of the payee's payments, at gaps (but this one) over ``days``
            billed = len(group) >= 0.8 * len(payments)
            out.extend(
                DuplicatePair(
                    entity, first.counterparty or payee, first.amount, first, second, apart
                )
                for first, second, apart in _close_pairs(group, days, billed)
            )
    return out


_SPEND = frozenset({*books.COSTS, AccountType.ASSET})
_DATE = operator.attrgetter("date")


def _date_and_provenance(t: Transaction) -> tuple[object, ...]:
    """``(t.date, t.provenance)`` as one flat tuple: the same order, compared in C rather than
    through the dataclass's ``__lt__`` (a big ledger has thousands of rows a day)."""
    p = t.provenance
    return (t.date, p.source, p.line, p.end_line, p.commit, p.commit_date, p.detail)


def _close_pairs(
    group: list[Transaction], days: int, billed: bool
) -> Iterator[tuple[Transaction, Transaction, int]]:
    """Consecutive payments of one payee and amount ``days`` or fewer apart that are not a chance
    match: the same reference, a pair alone, or (``billed``) a bill whose other gaps have a median
    over ``days``. The median of the gaps but one is read off the gaps sorted once."""
    gaps = [(b.date - a.date).days for a, b in pairwise(group)]
    ordered = sorted(gaps)
    middle = (len(gaps) - 1) // 2  # the median's place among the gaps but one
    for index, (first, second) in enumerate(pairwise(group)):
        apart = gaps[index]
        if apart > days:
            continue
        if first.reference and second.reference and first.reference != second.reference:
            continue
        same_reference = bool(first.reference) and first.reference == second.reference
        if not (same_reference or len(group) == 2 or billed):
            continue
        if not same_reference and len(group) != 2:
            # without gaps[index], the sorted gaps shift left past its first place
            cut = bisect_left(ordered, apart)
            if len(gaps) > 1 and ordered[middle + 1 if cut <= middle else middle] <= days:
                continue
        yield first, second, apart


def find_subscriptions(
    rows: Sequence[Transaction], entity: str, options: AccountingOptions
) -> list[Subscription]:
    """Payees charged about the same amount (within the tolerance of the latest charge) in at least
    ``subscription_months`` distinct months."""
    groups: dict[str, list[Transaction]] = defaultdict(list)
    costs = books.COSTS
    for t in rows:
        if t.account_type in costs and t.amount.amount > 0 and (name := _payee(t)):
            groups[name].append(t)
    out = []
    for payee, group in sorted(groups.items()):
        group.sort(key=lambda t: t.date)
        latest = group[-1].amount
        similar = [
            t
            for t in group
            if abs(t.amount.amount - latest.amount)
            <= latest.amount * options.subscription_tolerance
        ]
        months = books.month_count(map(_DATE, similar))
        # a subscription is about one fixed charge a month, most of what the payee is paid
        if months < options.subscription_months or len(similar) < 0.8 * len(group):
            continue
        if len(similar) > months * Decimal("1.25"):
            continue
        every = every_months([t.date for t in similar])
        out.append(
            Subscription(
                entity,
                group[-1].counterparty or payee,
                latest / every,
                months,
                similar[0].date,
                similar[-1].date,
                group[-1].account,
                books.cite(similar),
                latest,
                every,
            )
        )
    return out


# --------------------------------------------------------------------------- milestones


def milestones(finance: fin.FinanceResult, as_of: date, quarters: int) -> list[Milestone]:
    """Quarter-by-quarter monthly revenue goals: from today's run rate, close the gap to break-even
    in equal steps by the last quarter; an entity already past break-even steps towards the revenue
    for the target margin instead. Net per month at each goal = goal × contribution ratio − fixed."""
    out = []
    start = Period.containing(as_of, "quarter").next()
    for ent in finance.entities:
        be = ent.break_even
        exact = be.exact if be is not None else None
        if be is None or exact is None or exact.break_even_revenue is None:
            continue
        # Exact figures all the way; each milestone is rounded once, when it is made.
        current = exact.revenue_per_month
        if current < exact.break_even_revenue:
            goal, target = "break even", exact.break_even_revenue
        elif exact.target_revenue is not None and current < exact.target_revenue:
            goal, target = (
                f"{Percent.from_fraction(be.target_margin or 0)} net margin",
                exact.target_revenue,
            )
        else:
            continue
        gap = target - current
        quarter = start
        for step in range(1, quarters + 1):
            revenue = current + gap * Decimal(step) / Decimal(quarters)
            net = None
            if be.contribution_ratio is not None:
                net = (revenue * be.contribution_ratio - exact.fixed_costs).quantize()
            label = goal if step == quarters else f"{step}/{quarters} of the way to {goal}"
            out.append(
                Milestone(ent.entity, str(quarter), label, revenue.quantize(), net, be.provenance)
            )
            quarter = quarter.next()
    return out


def without_milestones(finance: fin.FinanceResult) -> list[tuple[str, str]]:
    """Entities with a ledger that get no milestones, and why: break-even not reachable, unknown,
    or already past the revenue for the target margin."""
    out = []
    for ent in finance.entities:
        be = ent.break_even
        if not ent.has_ledger or be is None:
            continue
        if be.status == "not reachable" or (
            be.break_even_revenue is None and be.contribution_ratio is not None
        ):
            why = be.text.removeprefix("not reachable: ")  # the text may already say it
            out.append((ent.entity, f"break-even is not reachable: {why}"))
        elif be.break_even_revenue is None or be.revenue_per_month is None:
            out.append((ent.entity, f"break-even cannot be measured: {be.text}"))
        elif be.revenue_per_month >= be.break_even_revenue and (
            be.target_revenue is None or be.revenue_per_month >= be.target_revenue
        ):
            target = "the target-margin revenue" if be.target_revenue is not None else "break-even"
            out.append((ent.entity, f"already at {target} ({be.revenue_per_month}/mo)"))
    return out


# --------------------------------------------------------------------------- reconciliation


@dataclass(frozen=True)
class Reconciliation:
    """What reconciling found: the issues (which block sending), the checks that ran and those
    that could not (said in the report, never "everything reconciles" over a gap), and warnings
    that do not block (a bank-export ledger with no deposit account)."""

    issues: tuple[ReconcileIssue, ...] = ()
    checked: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()  # (entity, warning)


def reconcile(
    snapshot: Snapshot, options: AccountingOptions, finance: fin.FinanceResult
) -> list[ReconcileIssue]:
    """Why the inputs do not reconcile: failed balance assertions, a ledger's computed cash that
    the finance cash disagrees with, a roll-up that is off, bookings' deposits against the
    ledger's deposits beyond tolerance. Empty when everything checked agrees."""
    return list(reconciliation(snapshot, options, finance).issues)


def reconciliation(
    snapshot: Snapshot, options: AccountingOptions, finance: fin.FinanceResult
) -> Reconciliation:
    """Every reconciliation check, with what was and was not checked."""
    names = {e.id: e.name for e in snapshot.entities}
    issues = _assertion_issues(snapshot, names)
    # a failed assertion already explains why the two roads to cash part: say it once
    explained = {issue.entity for issue in issues}
    issues += [
        issue
        for issue in _cash_agreement_issues(snapshot, finance, names)
        if issue.entity not in explained
    ]
    issues += [ReconcileIssue(None, problem) for problem in finance.rollup_problems]
    checked, unchecked = _coverage(snapshot, names)
    warnings: list[tuple[str, str]] = []
    for info in snapshot.entities:
        deposit = _deposit_check(snapshot, options, info)
        if isinstance(deposit, ReconcileIssue):
            issues.append(deposit)
        elif deposit is not None and deposit.startswith("warning: "):
            warnings.append((info.id, deposit.removeprefix("warning: ")))
            unchecked.append(
                f"{info.name}: bookings' deposits against the ledger (the ledger has no deposit "
                "account; see the warning)"
            )
        elif deposit is not None:
            checked.append(deposit)
    return Reconciliation(tuple(issues), tuple(checked), tuple(unchecked), tuple(warnings))


def _assertion_issues(snapshot: Snapshot, names: dict[str, str]) -> list[ReconcileIssue]:
    """A balance assertion (a bank statement, an export's own closing balance) the ledger's
    lines do not reach."""
    issues = []
    for balance in snapshot.records(CashBalance):
        if not balance.reconciles and balance.computed is not None:
            off = (balance.balance - balance.computed).quantize()
            issues.append(
                ReconcileIssue(
                    balance.entity,
                    f"{names.get(balance.entity, balance.entity)}: the balance of {balance.account} on "
                    f"{balance.date} is {balance.balance.quantize()} but the ledger computes "
                    f"{balance.computed.quantize()} (off by {off})",
                    (balance.provenance,),
                )
            )
    return issues


def _cash_agreement_issues(
    snapshot: Snapshot, finance: fin.FinanceResult, names: dict[str, str]
) -> list[ReconcileIssue]:
    """The ledger source's closing cash (each cash account on its own lines) against the finance
    cash (stated balances plus the cash lines since): two roads to one figure must meet."""
    issues = []
    for ent in finance.entities:
        closings = [
            b
            for b in snapshot.records(CashBalance, ent.entity)
            if b.kind == "closing" and b.date == snapshot.as_of
        ]
        run = ent.runway
        if not closings or run is None or run.cash is None:
            continue
        ledger = books.total((b.balance for b in closings), snapshot.currency)
        if ledger.quantize() != run.cash.quantize():
            issues.append(
                ReconcileIssue(
                    ent.entity,
                    f"{names.get(ent.entity, ent.entity)}: the ledger's own cash accounts come to "
                    f"{ledger.quantize()} on {snapshot.as_of} but the finance cash is "
                    f"{run.cash.quantize()} (off by {(run.cash - ledger).quantize()}); a line moved "
                    "cash on one side only",
                    tuple(b.provenance for b in closings) + run.provenance[:3],
                )
            )
    return issues


def _coverage(snapshot: Snapshot, names: dict[str, str]) -> tuple[list[str], list[str]]:
    """Which entities' balances could be checked (and their processor payouts matched to bank
    deposits), and which ledgers could not be read or were read with a warning."""
    checked: list[str] = []
    unchecked: list[str] = []
    for info in snapshot.entities:
        failed = [
            e
            for e in snapshot.errors(info.id)
            if e.entity == info.id and e.source_kind == "ledger" and e.fatal
        ]
        for error in failed:
            unchecked.append(f"{info.name}: the ledger {error.provenance.cite()} could not be read")
        warned = [
            e
            for e in snapshot.errors(info.id)
            if e.entity == info.id and e.source_kind == "ledger" and not e.fatal
        ]
        for error in warned:  # a warning skipped no row unless it counts some: it says its own
            unchecked.append(
                f"{info.name}: {counted(error.rows_skipped, 'ledger row')} skipped and not "
                f"checked ({error.describe()})"
                if error.rows_skipped
                else f"{info.name}: {error.describe()}"
            )
        asserted = [b for b in snapshot.records(CashBalance, info.id) if b.kind == "assertion"]
        # an assertion the cash starts from (computed None: a QFX's only LEDGERBAL, PayPal's
        # first Balance) was compared with nothing, so it checked nothing
        stated = [b for b in asserted if b.computed is not None]
        if stated:
            checked.append(
                f"{info.name}: {counted(len(stated), 'balance assertion')} against the ledger"
            )
        elif asserted:
            unchecked.append(
                f"{info.name}: the ledger starts from its statement balance, so no later balance "
                "checks it"
            )
        elif snapshot.records(Transaction, info.id):
            unchecked.append(
                f"{info.name}: no balance assertion (a statement balance) to check the ledger against"
            )
        checked += _payouts_matched(snapshot, info)
        checked += _cards_paid(snapshot, info)
    return checked, unchecked


def _cards_paid(snapshot: Snapshot, info: EntityInfo) -> list[str]:
    """One line when the bank paid the card: its payments matched the card's own payment
    lines, so they are transfers (the card's charges are the expenses, and move no cash)."""
    paid = [t for t in snapshot.records(Transaction, info.id) if pays_card(t)]
    if not paid:
        return []
    total = books.total((-t.amount for t in paid), snapshot.currency).quantize()
    return [
        f"{info.name}: {counted(len(paid), 'card payment')} ({total}) from the bank matched to "
        "the card's own payment lines, so the card's charges are counted once, as expenses, and "
        "the bank's payments are transfers to the card, not spending"
    ]


_ACCOUNT = operator.attrgetter("account")


def _payouts_matched(snapshot: Snapshot, info: EntityInfo) -> list[str]:
    """One line per processor whose payouts were matched to the bank's credits: each such
    credit is a transfer from the processor's balance, so its sales are not counted twice."""
    paid: dict[str, list[Transaction]] = defaultdict(list)
    rows = snapshot.records(Transaction, info.id)
    # only a processor's balance account (``Assets:<processor> balance``) takes a payout: the
    # accounts are looked at once each, and only their rows are asked (a big ledger has few)
    held = {
        a for a in set(map(_ACCOUNT, rows)) if a.startswith("Assets:") and a.endswith(" balance")
    }
    for t in (t for t in rows if t.account in held) if held else ():
        if (processor := paid_out_by(t)) is not None:
            paid[processor].append(t)
    return [
        f"{info.name}: {counted(len(credits), f'{processor} payout')} "
        f"({books.total((-t.amount for t in credits), snapshot.currency).quantize()}) matched "
        f"to bank deposits, so the income is counted once, from {processor}'s sales (each "
        f"deposit is a transfer from the {processor} balance)"
        for processor, credits in paid.items()
    ]


def _processor_advice(rows: Sequence[Transaction]) -> str:
    """How to get each deposit on a line of its own: add the export of a processor the bank's
    income lines name and the ledger does not list yet (Stripe, Square and PayPal have layouts);
    when every such export is listed (or none is named), the booking tool's payouts have no
    export execbrief reads, so the check is left to a person."""
    named = {
        found.group(0).lower()
        for t in rows
        if t.account_type == _INCOME and t.cash
        if (found := _READABLE_PROCESSORS.search(t.memo))
    }
    listed = {m.group(1).lower() for t in rows if (m := _PROCESSOR_ACCOUNT.search(t.account))}
    missing = sorted(named - listed)
    if missing:
        names = " and ".join(f"{_PROCESSOR_TITLES[n]}'s" for n in missing)
        return f"add the processor's export as a second ledger file ({names})"
    return (
        "check them by hand against the booking tool's payout report (its payouts are not an "
        "export execbrief reads)"
    )


#: Processors with an export layout (docs/formats.md, Export layouts), as a bank memo names them.
_READABLE_PROCESSORS = re.compile(r"\b(?:stripe|square|paypal)\b", re.IGNORECASE)
_PROCESSOR_TITLES = {"stripe": "Stripe", "square": "Square", "paypal": "PayPal"}
#: A processor export's account names its processor at the end (``Income:Sales (Stripe)``).
_PROCESSOR_ACCOUNT = re.compile(r"\((stripe|square|paypal)[^()]*\)$", re.IGNORECASE)


def _deposit_check(
    snapshot: Snapshot, options: AccountingOptions, info: EntityInfo
) -> ReconcileIssue | str | None:
    """Bookings' deposits against the ledger's: an issue beyond tolerance, else what was checked
    (or, ``warning: ...``, why it cannot be: a ledger with no deposit account, a bank export whose
    processor payouts lump deposits together). None when there is nothing to check."""
    deposit_words = _words(options.deposit_words)
    rows = _ledger(snapshot, info.id)
    bookings = [
        b
        for b in snapshot.records(Booking, info.id)
        if b.deposit is not None and b.deposit.amount > 0
    ]
    if not rows or not bookings:
        return None
    # the books start at their first line: an opening balance counts, a computed closing does not
    starts = [t.date for t in rows] + [
        b.date
        for b in snapshot.records(CashBalance, info.id)
        if b.kind != "closing" and b.date <= snapshot.as_of
    ]
    first, last = min(starts), snapshot.as_of
    taken = [b for b in bookings if first <= b.created <= last]
    booked_total = books.total((b.deposit for b in taken if b.deposit), snapshot.currency)
    says_deposit = _deposit_test(deposit_words)
    if not any(says_deposit(t.account, t.memo) for t in rows if t.account_type in _TAKEN):
        return (
            f"warning: {info.name}: bookings took {booked_total.quantize()} in deposits from {first} "
            f"to {last}, but the ledger has no deposit account, so they could not be checked "
            "against it (a bank export lumps a processor's payouts, STRIPE TRANSFER, together); "
            f"map the payouts to a deposit account (account_types, or a categorised export), or "
            f"{_processor_advice(rows)} (docs/formats.md, Reconciling deposits)"
        )
    recorded = [
        t
        for t in rows
        if t.account_type in _TAKEN
        and t.cash
        and t.amount.amount > 0
        and says_deposit(t.account, t.memo)
    ]
    ledger_total = books.total((t.amount for t in recorded), snapshot.currency)
    tolerance = max(
        booked_total.amount * options.deposit_tolerance, options.deposit_tolerance_amount
    )
    if abs((booked_total - ledger_total).amount) > tolerance:
        return ReconcileIssue(
            info.id,
            f"{info.name}: bookings took {booked_total.quantize()} in deposits from {first} to {last} "
            f"but the ledger records {ledger_total.quantize()} of deposits "
            f"(tolerance {Money(tolerance, snapshot.currency).quantize()})",
            books.cite(taken) + books.cite(recorded),
        )
    return (
        f"{info.name}: bookings' deposits {booked_total.quantize()} against the ledger's "
        f"{ledger_total.quantize()} (within {Money(tolerance, snapshot.currency).quantize()})"
    )


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True)
class FindingInputs:
    """What the accounting finding rules read."""

    result: AccountingResult
    options: AccountingOptions
    names: dict[str, str]
    currency: str


def _deposits_as_income(inputs: FindingInputs) -> Iterator[Finding]:
    """Customer deposits booked as income before the service (high), one finding an entity."""
    result, currency = inputs.result, inputs.currency
    summaries = all_by(result.deferred_summary, lambda s: s.entity)
    deferred = all_by(result.deferred, lambda i: i.entity)
    for summary_entity in sorted(summaries):
        sums = summaries[summary_entity]
        items = deferred.get(summary_entity, [])
        total = books.total((s.amount for s in sums), currency)
        outstanding = books.total((i.amount for i in items if i.outstanding), currency)
        periods = ", ".join(f"{s.period} {s.amount.quantize()}" for s in sums)
        dated = [i for i in items if i.service_date is not None]
        how = ", ".join(
            f"{sum(1 for i in dated if i.matched_by == way)} by {way}"
            for way in dict.fromkeys(i.matched_by for i in dated)
        )
        yield Finding(
            f"accounting.deposits-as-income:{summary_entity}",
            "accounting.deposits-as-income",
            f"{inputs.names[summary_entity]} books customer deposits as income before the service",
            Severity.HIGH,
            summary_entity,
            f"{sum(s.items for s in sums)} payments totalling {total.quantize()} were booked as income before the "
            f"service date ({periods}); {outstanding.quantize()} is for services after today and is still a liability. "
            f"Matched to their bookings {how}.",
            "Book deposits to Liabilities:Customer Deposits and move them to income on the service date "
            "(ASC 606 contract liability); reclassify the amounts listed per period.",
            Effort.DAYS,
            3,
            ("accounting", "revenue-recognition"),
            tuple(p for s in sums for p in s.provenance),
            None,
            CostTier.ZERO_COST,
        )


def _piles(inputs: FindingInputs) -> Iterator[Finding]:
    """Uncategorised ("Misc") spending over ``misc_threshold``, and owner draws booked as expenses."""
    names = inputs.names
    for pile in inputs.result.piles:
        if pile.kind == "misc" and pile.total.amount <= inputs.options.misc_threshold:
            continue
        top = sorted(pile.rows, key=lambda t: -t.amount.amount)[:3]
        listed = "; ".join(f"{t.date} {t.amount.quantize()} {t.memo or t.account}" for t in top)
        if pile.kind == "misc":
            title = f'{names[pile.entity]} has {pile.total.quantize()} of uncategorised ("Misc") spending'
            fix = "Recategorise each Misc line to a real expense account; set a rule that nothing stays in Misc at month end."
        else:
            title = f"{names[pile.entity]} books owner draws as business expenses ({pile.total.quantize()})"
            fix = "Move owner draws to an Equity:Owner Draws account; they are not expenses and distort profit and burn."
        yield Finding(
            f"accounting.{pile.kind}:{pile.entity}",
            f"accounting.{pile.kind}",
            title,
            Severity.MEDIUM,
            pile.entity,
            f"{len(pile.rows)} lines, largest: {listed}",
            fix,
            Effort.HOURS,
            2,
            ("accounting",),
            books.cite(pile.rows),
            None,
            CostTier.ZERO_COST,
        )


def _duplicates(inputs: FindingInputs) -> Iterator[Finding]:
    """The same payee paid the same amount twice within days (medium)."""
    for pair in inputs.result.duplicates:
        yield Finding(
            f"accounting.duplicate:{pair.entity}:{pair.payee}:{pair.first.date}:{pair.amount.amount}",
            "accounting.duplicate",
            f"{inputs.names[pair.entity]} likely paid {pair.payee} {pair.amount.quantize()} twice",
            Severity.MEDIUM,
            pair.entity,
            f"{pair.first.date} and {pair.second.date} ({pair.days_apart} days apart), same payee and amount "
            f"({pair.first.account}).",
            f"Check with {pair.payee}; ask for a refund or credit of {pair.amount.quantize()} if it was paid twice.",
            Effort.HOURS,
            2,
            ("accounting", "cost"),
            (pair.first.provenance, pair.second.provenance),
            None,
            CostTier.ZERO_COST,
        )


def _chart_gaps(inputs: FindingInputs) -> Iterator[Finding]:
    """Standard accounts missing from an entity's chart (medium, low when all are expense accounts)."""
    gaps_by_entity: dict[str, list[ChartGap]] = defaultdict(list)
    for gap in inputs.result.chart_gaps:
        gaps_by_entity[gap.entity].append(gap)
    for entity, gaps in gaps_by_entity.items():
        yield Finding(
            f"accounting.chart-gaps:{entity}",
            "accounting.chart-gaps",
            f"{inputs.names[entity]}'s chart of accounts lacks {len(gaps)} standard account(s)",
            Severity.LOW if all(g.account_type == "expense" for g in gaps) else Severity.MEDIUM,
            entity,
            "; ".join(f"{g.account} ({g.why})" for g in gaps),
            "Add the missing accounts and recode past lines to them.",
            Effort.HOURS,
            1,
            ("accounting",),
            (),
            None,
            CostTier.ZERO_COST,
        )


def _outliers(inputs: FindingInputs) -> Iterator[Finding]:
    """A charge above its category's upper fence (low), one finding a charge."""
    for audit in inputs.result.categories:
        for row in audit.outliers:
            yield Finding(
                f"accounting.outlier:{audit.entity}:{audit.account}:{row.date}:{row.amount.amount}",
                "accounting.outlier",
                f"Unusual {audit.account} charge of {row.amount.quantize()} at {inputs.names[audit.entity]}",
                Severity.LOW,
                audit.entity,
                f"{row.date} {row.memo or ''}: above the category's upper fence {audit.fence} "
                f"(Q3 + 1.5 × IQR over {audit.rows} lines).",
                "Confirm the charge is right and expected; recode or dispute it if not.",
                Effort.HOURS,
                1,
                ("accounting", "cost"),
                (row.provenance,),
                None,
                CostTier.ZERO_COST,
            )


def _subscriptions(inputs: FindingInputs) -> Iterator[Finding]:
    """The recurring charges of each entity, to review (info)."""
    subs_by_entity: dict[str, list[Subscription]] = defaultdict(list)
    for sub in inputs.result.subscriptions:
        subs_by_entity[sub.entity].append(sub)
    for entity, subs in subs_by_entity.items():
        monthly = books.total((s.monthly for s in subs), inputs.currency)
        yield Finding(
            f"accounting.subscriptions:{entity}",
            "accounting.subscriptions",
            f"{inputs.names[entity]} pays {len(subs)} recurring charge(s), "
            f"{monthly.quantize()}/mo (monthly equivalents)",
            Severity.INFO,
            entity,
            "; ".join(f"{s.payee} {s.describe()} ({s.months} months)" for s in subs),
            "Review each recurring charge once a quarter; cancel what is unused.",
            Effort.HOURS,
            1,
            ("accounting", "cost"),
            tuple(p for s in subs for p in s.provenance),
            None,
            CostTier.ZERO_COST,
        )


def _unreconciled(inputs: FindingInputs) -> Iterator[Finding]:
    """The books do not reconcile (high), with every reason."""
    result = inputs.result
    if result.reconciled:
        return
    yield Finding(
        "accounting.unreconciled",
        "accounting.unreconciled",
        "The books do not reconcile",
        Severity.HIGH,
        None,
        " ".join(result.reasons),
        "Find and fix each difference before relying on these figures.",
        Effort.DAYS,
        4,
        ("accounting", "reconciliation"),
        result.reason_provenance,
        None,
        CostTier.ZERO_COST,
    )


#: The accounting finding rules, in the order their findings are listed.
FINDING_RULES: tuple[Callable[[FindingInputs], Iterator[Finding]], ...] = (
    _deposits_as_income,
    _piles,
    _duplicates,
    _chart_gaps,
    _outliers,
    _subscriptions,
    _unreconciled,
)


def _findings(
    result: AccountingResult, options: AccountingOptions, names: dict[str, str], currency: str
) -> list[Finding]:
    inputs = FindingInputs(result, options, names, currency)
    return [finding for rule in FINDING_RULES for finding in rule(inputs)]


def _metrics(result: AccountingResult, currency: str) -> list[Metric]:
    out = []
    for summary in result.deferred_summary:
        out.append(
            Metric(
                "accounting.deferred.to_move",
                "Income to move to customer deposits",
                summary.amount.quantize(),
                summary.entity,
                summary.period,
                None,
                "sum of income lines matched to bookings whose service month is after the month booked (ASC 606)",
                summary.provenance,
            )
        )
    deferred = all_by(result.deferred, lambda i: i.entity)
    for entity in sorted(deferred):
        items = [i for i in deferred[entity] if i.outstanding]
        out.append(
            Metric(
                "accounting.deferred.outstanding",
                "Contract liability at as_of (service still to come)",
                books.total((i.amount for i in items), currency).quantize(),
                entity,
                None,
                None,
                "sum of deferred items whose service date is after as_of",
                tuple(i.provenance[0] for i in items),
            )
        )
    for pile in result.piles:
        out.append(
            Metric(
                f"accounting.{pile.kind}.total",
                "Uncategorised spending" if pile.kind == "misc" else "Owner draws in expenses",
                pile.total.quantize(),
                pile.entity,
                None,
                None,
                "sum of the lines",
                books.cite(pile.rows),
            )
        )
    for audit in result.categories:
        out.append(
            Metric(
                "accounting.category.total",
                f"{audit.account} total",
                audit.total.quantize(),
                audit.entity,
                None,
                None,
                "sum of the account's lines",
                audit.provenance,
            )
        )
    for m in result.milestones:
        out.append(
            Metric(
                "accounting.milestone.revenue",
                f"Revenue goal ({m.goal})",
                m.revenue_per_month,
                m.entity,
                m.quarter,
                None,
                "current + (target − current) × step ÷ quarters",
                m.provenance,
            )
        )
    out.append(
        Metric(
            "accounting.reconciled",
            "Books reconcile",
            result.reconciled,
            None,
            None,
            None,
            "every check passed",
            result.reason_provenance,
        )
    )
    return out


def analyze(
    snapshot: Snapshot, config: Config | None = None, finance: fin.FinanceResult | None = None
) -> AccountingResult:
    """The accounting analysis (pure). ``finance`` may be passed to reuse a finance result."""
    options = accounting_options(config)
    snapshot, skipped = books.single_currency(snapshot)
    finance = finance or fin.analyze(snapshot, config)
    currency = snapshot.currency
    deferred: list[DeferredItem] = []
    gaps: list[ChartGap] = []
    all_piles: list[Pile] = []
    categories: list[CategoryAudit] = []
    duplicates: list[DuplicatePair] = []
    subscriptions: list[Subscription] = []
    for info in snapshot.entities:
        rows = _ledger(snapshot, info.id)
        items = revenue_recognition(snapshot, info.id, options)
        deferred.extend(items)
        if not rows:
            continue
        gaps.extend(chart_gaps(snapshot, info, rows, items))
        all_piles.extend(piles(rows, options, info.id, currency))
        categories.extend(audit_categories(rows, info.id, snapshot.as_of, options, currency))
        duplicates.extend(find_duplicates(rows, info.id, options.duplicate_days))
        subscriptions.extend(find_subscriptions(rows, info.id, options))
    checks = reconciliation(snapshot, options, finance)
    issues = checks.issues
    result = AccountingResult(
        name="accounting",
        deferred=tuple(deferred),
        deferred_summary=tuple(summarise_deferred(deferred, currency)),
        chart_gaps=tuple(gaps),
        piles=tuple(all_piles),
        categories=tuple(categories),
        duplicates=tuple(duplicates),
        subscriptions=tuple(subscriptions),
        milestones=tuple(milestones(finance, snapshot.as_of, options.milestone_quarters)),
        no_milestones=tuple(without_milestones(finance)),
        reconciled=not issues,
        issues=issues,
        reasons=tuple(i.reason for i in issues),
        reason_provenance=tuple(p for i in issues for p in i.provenance),
        checked=checks.checked,
        unchecked=checks.unchecked,
        warnings=checks.warnings,
    )
    names = {e.id: e.name for e in snapshot.entities}
    return replace(
        result,
        metrics=tuple(_metrics(result, currency)),
        findings=tuple(_findings(result, options, names, currency)),
        notes=tuple(skipped),
    )


class AccountingAnalysis:
    """The ``accounting`` analysis plugin."""

    name = "accounting"
    description = (
        "Revenue recognition, chart-of-accounts gaps, expense audit, milestones and reconciliation."
    )
    Options: type[BaseModel] = AccountingOptions
    EntityOptions: type[BaseModel] | None = None
    requires = ("finance",)  # the run's finance result is passed in, not computed again

    def analyze(
        self, snapshot: Snapshot, config: Config, finance: fin.FinanceResult | None = None
    ) -> AccountingResult:
        """Compute the accounting result (from the run's finance result when given)."""
        return analyze(snapshot, config, finance)


@hookimpl
def register_analyses() -> list[Analysis]:
    """The accounting analysis."""
    return [AccountingAnalysis()]
