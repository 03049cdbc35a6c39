"""The books seen by month: month keys, windows of complete months, cash effects and row citations.

Shared by the finance, accounting and operations analyses so that every one of them counts a month,
a trailing window and a cash movement the same way.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from execbrief.records.ledger import AccountType, Transaction
from execbrief.snapshot import Provenance, Record, Snapshot
from execbrief.values import Money, Period

#: Account types whose positive amount means cash came in (credit-normal accounts).
CREDIT_NORMAL = frozenset({AccountType.INCOME, AccountType.LIABILITY, AccountType.EQUITY})
COSTS = frozenset({AccountType.EXPENSE, AccountType.COST_OF_SALES})
CENT = Decimal("0.01")


@functools.lru_cache(maxsize=8192)  # asked once per ledger row per analysis, of a few dates
def month_of(day: date) -> Period:
    """The calendar month holding ``day``: one object per month, so the days of a month are one
    dict key or set member by identity, not by ``Period.__eq__`` per row."""
    return _month(day.year, day.month)


@functools.lru_cache(maxsize=4096)
def _month(year: int, month: int) -> Period:
    return Period.containing(date(year, month, 1))


_DATE = operator.attrgetter("date")
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)


@dataclasses.dataclass(frozen=True)
class ByMonth:
    """A ledger's rows grouped by calendar month once, each month's rows in row order, and whether
    every row is in the portfolio's currency: what the P&L months and the burn months both read."""

    rows: dict[Period, list[Transaction]]
    uniform: bool


def by_month(rows: Sequence[Transaction], currency: str) -> ByMonth:
    """``rows`` grouped by ``month_of`` their date (runs of one month, as a dated ledger has them,
    are taken whole in C; rows out of order still land in their month, in row order)."""
    groups: dict[Period, list[Transaction]] = {}
    keyed = zip(map(month_of, map(_DATE, rows)), rows, strict=True)
    for month, run in itertools.groupby(keyed, _FIRST):
        groups.setdefault(month, []).extend(map(_SECOND, run))
    return ByMonth(groups, one_currency(rows, currency))


_YEAR_MONTH = operator.attrgetter("year", "month")


def month_count(days: Iterable[date]) -> int:
    """How many calendar months hold ``days``: counted by year and month in C, no ``Period``
    made or hashed per day (asked per payee of every ledger)."""
    return len(set(map(_YEAR_MONTH, days)))


def month_range(first: Period, last: Period) -> list[Period]:
    """Every month from ``first`` to ``last`` inclusive (empty when ``first`` is after ``last``)."""
    out: list[Period] = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


@functools.lru_cache(maxsize=64)  # asked per entity and window, of the run's as_of
def last_complete_month(as_of: date) -> Period:
    """The latest month wholly on or before ``as_of`` (the as_of month itself when as_of is its last day)."""
    return Period.last_complete(as_of)  # the report's default period follows the same rule


def trailing(months: int, as_of: date, first: Period | None = None) -> list[Period]:
    """The last ``months`` complete months before ``as_of``, none before ``first`` (the data's start)."""
    return list(_trailing(months, as_of, first))


@functools.lru_cache(maxsize=1024)  # asked per entity and window, of few windows and first months
def _trailing(months: int, as_of: date, first: Period | None) -> tuple[Period, ...]:
    end = last_complete_month(as_of)
    window = [end]
    while len(window) < months:
        window.insert(0, window[0].previous())
    if first is not None:
        window = [m for m in window if m >= first]
    return tuple(window)


def cash_effect(tx: Transaction) -> Money:
    """The cash movement of a ledger line: positive in, negative out, zero for non-cash lines.

    Amounts are positive in the account's own direction (income earned, expense incurred, liability
    or equity raised, asset bought), so cash moves with the amount on credit-normal accounts and
    against it on debit-normal ones.
    """
    if not tx.cash:
        return Money(0, tx.amount.currency)
    return tx.amount if tx.account_type in CREDIT_NORMAL else -tx.amount


def cash_amount(tx: Transaction) -> Decimal:
    """``cash_effect(tx).amount`` without a Money per line, for sums in hot loops (a negative
    zero may come back where ``cash_effect`` gives zero: it adds and compares as zero)."""
    if not tx.cash:
        return _ZERO
    return tx.amount.amount if tx.account_type in CREDIT_NORMAL else -tx.amount.amount


_ZERO = Decimal(0)
_CURRENCY = operator.attrgetter("amount.currency")


def one_currency(rows: Iterable[Transaction], currency: str) -> bool:
    """Whether every row's amount is in ``currency``: then its amounts may be summed as Decimals
    (else ``total`` on the Money says which currencies clash)."""
    return set(map(_CURRENCY, rows)) <= {currency}


_AMOUNT = operator.attrgetter("amount.amount")


def sum_amounts(rows: Sequence[Transaction], currency: str, *, checked: bool = False) -> Money:
    """``total((t.amount for t in rows), currency)``, added up in C when the rows are of one
    currency (the same Decimal sum, in the same order); ``checked``: a caller has found them so
    (``one_currency`` of rows holding these)."""
    if checked or one_currency(rows, currency):
        return Money(sum(map(_AMOUNT, rows), _ZERO), currency)
    return total((t.amount for t in rows), currency)


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum of amounts, zero in ``currency`` when empty."""
    zero = Money(0, currency)
    sum_ = zero.amount
    for amount in amounts:
        if amount.currency != zero.currency:  # raises the running sum's CurrencyMismatch
            return Money(sum_, zero.currency) + amount
        sum_ += amount.amount
    return Money(sum_, zero.currency)  # one Money, not one per row


def cents(money: Money) -> Money:
    """Rounded to whole cents, half away from zero."""
    return money.quantize(CENT)


def round2(value: Decimal) -> Decimal:
    """A ratio or count rounded to two decimals, half away from zero."""
    return value.quantize(CENT, ROUND_HALF_UP)  # by place: a keyword costs twice as much


def ceil_units(value: Decimal) -> int:
    """Rounded up to a whole unit (0.2 units still needs one more unit)."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def cite(records: Sequence[Record], detail: str | None = None) -> tuple[Provenance, ...]:
    """A compact citation of many rows: one provenance per file with the first..last line cited.

    The line range spans every cited row of that file; ``detail`` (default ``"N rows"``) says how many
    rows the figure sums, so a reader can re-add them.
    """
    provenance = list(map(_PROVENANCE, records))
    if provenance and _one_source(provenance):
        return (_span(provenance, detail),)
    by_file: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_file[record.provenance.source].append(record)
    out: list[Provenance] = []
    for source in sorted(by_file):
        rows = by_file[source]
        lines = [r.provenance.line for r in rows if r.provenance.line is not None]
        ends = [
            r.provenance.end_line or r.provenance.line
            for r in rows
            if r.provenance.line is not None
        ]
        first = rows[0].provenance
        note = detail or (f"{len(rows)} row" + ("s" if len(rows) != 1 else ""))
        out.append(
            Provenance(
                source,
                min(lines) if lines else None,
                max(e for e in ends if e is not None) if lines else None,
                first.commit,
                first.commit_date,
                note,
            )
        )
    return tuple(out)


def runs(records: Sequence[Record]) -> tuple[Provenance, ...]:
    """The records' own lines and nothing else: per file (in order of first appearance), one
    citation per run of consecutive lines (``:8``, ``:10``, not ``:8-10`` when line 9 is another
    client's), so a range never spans a line the figure does not hold. A record with no line is
    cited as it is."""
    by_file: dict[str, list[Provenance]] = defaultdict(list)
    for record in records:
        by_file[record.provenance.source].append(record.provenance)
    out: list[Provenance] = []
    for found in by_file.values():
        numbered = sorted({(p.line, p.end_line or p.line) for p in found if p.line is not None})
        out.extend(dict.fromkeys(p for p in found if p.line is None))
        first = found[0]
        start = end = None
        for line, last in numbered:
            if end is not None and line <= end + 1:
                end = max(end, last)
                continue
            if start is not None:
                out.append(first.at_line(start, end))
            start, end = line, last
        if start is not None:
            out.append(first.at_line(start, end))
    return tuple(out)


_PROVENANCE = operator.attrgetter("provenance")
_SOURCE = operator.attrgetter("source")
_LINE = operator.attrgetter("line")
_END_LINE = operator.attrgetter("end_line")


def _one_source(provenance: list[Provenance]) -> bool:
    sources = list(map(_SOURCE, provenance))
    return sources.count(sources[0]) == len(sources)


def _span(provenance: list[Provenance], detail: str | None) -> Provenance:
    """``cite`` of rows of one file, its lines read in C: the first..last line, "N rows"."""
    lines = list(map(_LINE, provenance))
    ends = list(map(_END_LINE, provenance))
    first = provenance[0]
    note = detail or (f"{len(provenance)} row" + ("s" if len(provenance) != 1 else ""))
    if None in lines or ends.count(None) != len(ends):  # the general case, as ``cite`` has it
        known = [line for line in lines if line is not None]
        tops = [p.end_line or p.line for p in provenance if p.line is not None]
        low = min(known) if known else None
        high = max(e for e in tops if e is not None) if known else None
    else:
        low, high = min(lines), max(lines)
    return Provenance(first.source, low, high, first.commit, first.commit_date, note)


def merge_citations(provenance: Iterable[Provenance]) -> tuple[Provenance, ...]:
    """Citations of one file merged into one spanning their lines, with the rows added up (the
    ``N rows`` details), so a figure over several months cites each file once."""
    by_file: dict[str, list[Provenance]] = defaultdict(list)
    for p in provenance:
        by_file[p.source].append(p)
    out = []
    for source in sorted(by_file):
        items = by_file[source]
        lines = [p.line for p in items if p.line is not None]
        ends = [p.end_line or p.line for p in items if p.line is not None]
        first = items[0]
        out.append(
            Provenance(
                source,
                min(lines) if lines else None,
                max(e for e in ends if e is not None) if lines else None,
                first.commit,
                first.commit_date,
                distinct_rows(items),
            )
        )
    return tuple(out)


def merge_merged(
    parts: Sequence[tuple[Sequence[Provenance], Sequence[Provenance]]],
) -> tuple[Provenance, ...]:
    """``merge_citations`` of every part's citations, given each part as (its citations, their
    ``merge_citations``): a file that only one part cites keeps that part's merged citation, and
    only the files several parts cite are merged again, from their citations."""
    owners: dict[str, int] = defaultdict(int)
    for _, merged in parts:
        for p in merged:
            owners[p.source] += 1
    out = {p.source: p for _, merged in parts for p in merged if owners[p.source] == 1}
    shared = [p for cited, _ in parts for p in cited if owners[p.source] > 1]
    out.update((p.source, p) for p in merge_citations(shared))
    return tuple(out[source] for source in sorted(out))


#: A citation as ``distinct_rows`` weighs it: first line, last line, rows.
_Cited = tuple[int | None, int | None, int]


def distinct_rows(citations: Sequence[Provenance]) -> str:
    """How many rows the citations of one file name, each row once: ``"12 rows"``. A citation
    given twice (two forecast lines citing one booking pace) counts once, and rows named line by
    line (a one-line citation, or a range with as many rows as lines) are counted by line. A
    range of fewer rows than lines that meets another citation cannot say which of its lines
    are rows; the count is then the most there can be: ``"at most 12 rows"``."""
    unique: list[_Cited] = list(dict.fromkeys((p.line, p.end_line, _rows_of(p)) for p in citations))
    bounded = any((p.detail or "").startswith("at most ") for p in citations)
    if not bounded and _apart(unique):  # no line cited twice: each citation counts its rows
        count = sum(rows for _, _, rows in unique)
        return f"{count} row" + ("s" if count != 1 else "")
    return _overlapping_rows(unique, bounded)


def _overlapping_rows(unique: list[_Cited], bounded: bool) -> str:
    """``distinct_rows`` of citations (without repeats) some of which may share lines."""
    by_line: set[int] = set()
    sparse: list[_Cited] = []
    for line, end, rows in unique:
        if line is not None and (end or line) - line + 1 == rows:
            by_line.update(range(line, (end or line) + 1))
        else:
            sparse.append((line, end, rows))
    # a range's first and last lines are rows of it: a one-line citation of either is counted
    ends = {line for a, b, _ in sparse for line in (a, b or a) if line is not None}
    by_line -= ends
    unique = [
        c
        for c in unique
        if c in sparse or not set(range(c[0] or 0, (c[1] or c[0] or 0) + 1)) <= ends
    ]
    count = len(by_line) + sum(rows for _, _, rows in sparse)
    if not bounded and not any(_meets(one, unique) for one in sparse):
        return f"{count} row" + ("s" if count != 1 else "")
    lines = by_line.union(*(range(a, (b or a) + 1) for a, b, _ in sparse if a is not None))
    return f"at most {min(count, len(lines)) if lines else count} rows"


def _apart(unique: Sequence[_Cited]) -> bool:
    """Whether the citations each have lines (first <= last) and no two share one."""
    spans = sorted((line, end or line) for line, end, _ in unique if line is not None)
    if len(spans) != len(unique) or any(last < line for line, last in spans):
        return False
    return all(later[0] > earlier[1] for earlier, later in itertools.pairwise(spans))


def _rows_of(citation: Provenance) -> int:
    """The rows a citation counts: its ``N rows`` (or ``at most N rows``) detail, else one."""
    return _rows_in(citation.detail or "")


@functools.lru_cache(maxsize=1024)  # asked per citation merged, of a few details ("14 rows")
def _rows_in(detail: str) -> int:
    words = detail.removeprefix("at most ").split()
    return int(words[0]) if words and words[0].isdigit() else 1


def _meets(one: _Cited, unique: Sequence[_Cited]) -> bool:
    """Whether a range shares a line with another citation (one without lines meets any)."""
    line, end, _ = one
    if line is None:
        return len(unique) > 1
    return any(
        other != one
        and other[0] is not None
        and other[0] <= (end or line)
        and (other[1] or other[0]) >= line
        for other in unique
    )


def payee(tx: Transaction) -> str:
    """Who was paid: the counterparty, else the memo without digits (so "Adobe 03/26" groups)."""
    if tx.counterparty:
        return tx.counterparty.strip().lower()
    return _memo_payee(tx.memo)


@functools.lru_cache(maxsize=1 << 14)  # asked per ledger row by several analyses, of few memos
def _memo_payee(memo: str) -> str:
    return " ".join(_MEMO_NUMBERS.sub(" ", memo.lower()).split())


class Asked:
    """A yes-or-no ``test`` of a row's parts (strings), asked once per distinct parts: a ledger
    repeats its accounts, categories and memos. At most ``limit`` answers are kept, so a ledger
    of unique memos costs what asking every row does."""

    def __init__(self, test: Callable[..., bool], limit: int = 1 << 14) -> None:
        self.test = test
        self.limit = limit
        self.seen: dict[tuple[str, ...], bool] = {}

    def __call__(self, *parts: str) -> bool:
        found = self.seen.get(parts)
        if found is None:
            found = self.test(*parts)
            if len(self.seen) < self.limit:
                self.seen[parts] = found
        return found


_MEMO_NUMBERS = re.compile(r"[0-9#/.,:-]+")


def searcher(pattern: re.Pattern[str]) -> Asked:
    """Whether ``pattern`` is found in a row's parts joined by spaces (``f"{a} {b}"``)."""
    return Asked(lambda *parts: bool(pattern.search(" ".join(parts))))


#: A payee, memo or account that names payroll: a running cost however few months the books hold
#: ("GUSTO PAYROLL 112826 PPD", "ADP WAGE PAY", "Expenses:Payroll").
PAYROLL = re.compile(
    r"\b(?:payroll|salar(?:y|ies)|wages?|gusto|paychex|adp|rippling|deel)\b", re.IGNORECASE
)


def recurring_payees(rows: Iterable[Transaction], months: int = 3) -> set[str]:
    """Payees paid (on cost or asset accounts) in at least ``months`` distinct months, and every
    payroll payee: running costs such as payroll, rent or premiums rather than one-off spending."""
    # the days each (counterparty, memo, account) is paid on: the payee and the payroll test
    # are asked once per distinct line, not once per row
    days: dict[tuple[str | None, str, str], set[date]] = defaultdict(set)
    for tx in rows:
        if tx.account_type in _PAYING:
            days[(tx.counterparty, tx.memo, tx.account)].add(tx.date)
    seen: dict[str, set[Period]] = defaultdict(set)
    payroll: set[str] = set()
    for (counterparty, memo, account), dates in days.items():
        name = counterparty.strip().lower() if counterparty else _memo_payee(memo)
        if not name:
            continue
        seen[name].update(map(month_of, dates))
        if name not in payroll and PAYROLL.search(f"{name} {memo} {account}"):
            payroll.add(name)
    return payroll | {name for name, found in seen.items() if len(found) >= months}


_PAYING = frozenset({*COSTS, AccountType.ASSET})


#: The last snapshot ``ledger`` was asked of, and the rows it gave each entity.
_last_ledgers: list[tuple[Snapshot, dict[str, tuple[Transaction, ...]]]] = []


def ledger(snapshot: Snapshot, entity: str) -> list[Transaction]:
    """The entity's ledger lines dated on or before the snapshot's as_of, in source order: the
    books finance and accounting read (accounting three times over), filtered once a run."""
    if not _last_ledgers or _last_ledgers[0][0] is not snapshot:
        _last_ledgers[:] = [(snapshot, {})]
    kept = _last_ledgers[0][1]
    rows = kept.get(entity)
    if rows is None:
        as_of = snapshot.as_of
        rows = kept[entity] = tuple(
            t for t in snapshot.records(Transaction, entity) if t.date <= as_of
        )
    return list(rows)


#: The last snapshot ``single_currency`` filtered and its answer: finance, accounting and
#: operations each ask for the same snapshot in one run, and it is read once.
_last_filtered: list[tuple[Snapshot, Snapshot, tuple[str, ...]]] = []


def single_currency(snapshot: Snapshot) -> tuple[Snapshot, list[str]]:
    """The snapshot without records holding money in another currency than the portfolio's (sums
    across currencies would be wrong), and one note per skipped record naming where it is."""
    for seen, filtered, notes in _last_filtered:
        if seen is snapshot or filtered is snapshot:
            return filtered, list(notes) if seen is snapshot else []
    kept, found = _single_currency(snapshot)
    _last_filtered[:] = [(snapshot, kept, tuple(found))]
    return kept, found


_FIELDS: dict[type, tuple[str, ...]] = {}


#: Field annotations that never hold a Money: the currency check skips these fields (a record's
#: ``entity``, ``provenance``, names, dates and counts), and reads every other one.
_NEVER_MONEY = frozenset(
    {
        "str", "str | None", "int", "int | None", "bool", "bool | None", "float", "float | None",
        "date", "date | None", "Decimal", "Decimal | None", "Provenance", "tuple[str, ...]",
    }
)  # fmt: skip


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a record type that may hold a Money (by annotation; unknown ones count)."""
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind) if str(f.type) not in _NEVER_MONEY
        )
    return names


def _all_in(records: Sequence[Record], currency: str) -> bool:
    """Whether no record holds a Money of another currency, read field by field in C (the
    per-record check of ``_single_currency`` is asked only of a result where one does)."""
    kinds = set(map(type, records))
    for kind in kinds:
        of_kind = records if len(kinds) == 1 else [r for r in records if type(r) is kind]
        for name in _field_names(kind):
            values = list(map(operator.attrgetter(name), of_kind))
            types = set(map(type, values))
            if not any(issubclass(t, Money) for t in types):
                continue
            if types != {Money}:
                values = [v for v in values if isinstance(v, Money)]
            if set(map(_CURRENCY_OF, values)) - {currency}:
                return False
    return True


_CURRENCY_OF = operator.attrgetter("currency")


def _single_currency(snapshot: Snapshot) -> tuple[Snapshot, list[str]]:
    notes: list[str] = []
    results = []
    for result in snapshot.results:
        if _all_in(result.records, snapshot.currency):
            results.append(result)
            continue
        kept = []
        for record in result.records:
            foreign = [
                value.currency
                for name in _field_names(type(record))
                if isinstance(value := getattr(record, name), Money)
                and value.currency != snapshot.currency
            ]
            if foreign:
                notes.append(
                    f"{record.provenance.cite()}: skipped, in {foreign[0]} while the portfolio counts in "
                    f"{snapshot.currency}"
                )
            else:
                kept.append(record)
        results.append(
            dataclasses.replace(result, records=tuple(kept))
            if len(kept) != len(result.records)
            else result
        )
    if not notes:
        return snapshot, []
    return snapshot.with_results(tuple(results)), notes
