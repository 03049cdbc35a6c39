"""Hand-made records for the finance, accounting and operations tests: short constructors that give
every record a distinct, predictable provenance (file and line)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from execbrief.config import Config, OptionModels, config_from_dict
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.handoff import Fact
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.records.timesheets import Invoice, TimeEntry
from execbrief.records.trips import Trip
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceResult
from execbrief.values import Money

TYPES = {
    "Income": AccountType.INCOME,
    "Expenses": AccountType.EXPENSE,
    "COGS": AccountType.COST_OF_SALES,
    "Liabilities": AccountType.LIABILITY,
    "Equity": AccountType.EQUITY,
    "Assets": AccountType.ASSET,
}


class Lines:
    """Line counter per file, so each record gets the next line of its file."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def reset(self) -> None:
        """Start every file at line 2 again (the header is line 1)."""
        self.next.clear()

    def __call__(self, source: str) -> Provenance:
        line = self.next.get(source, 2)
        self.next[source] = line + 1
        return Provenance(source, line)


LINES = Lines()


def d(text: str) -> date:
    return date.fromisoformat(text)


def tx(
    entity: str,
    day: str,
    account: str,
    amount: str | int,
    memo: str = "",
    *,
    cash: bool = True,
    counterparty: str | None = None,
    reference: str | None = None,
    line: int | None = None,
) -> Transaction:
    """A ledger line; the account type comes from the first account segment."""
    prov = (
        LINES(f"ledgers/{entity}.csv")
        if line is None
        else Provenance(f"ledgers/{entity}.csv", line)
    )
    return Transaction(
        entity,
        prov,
        d(day),
        account,
        TYPES[account.split(":")[0]],
        account.split(":")[-1],
        Money(Decimal(str(amount))),
        memo,
        counterparty,
        reference,
        cash,
    )


def balance(
    entity: str, day: str, amount: str | int, kind: str = "opening", computed: str | None = None
) -> CashBalance:
    return CashBalance(
        entity,
        LINES(f"ledgers/{entity}.csv"),
        d(day),
        "Assets:Bank",
        Money(Decimal(str(amount))),
        kind,
        Money(Decimal(computed)) if computed is not None else None,
    )


def booking(
    entity: str,
    bid: str,
    created: str,
    service: str | None,
    status: str,
    amount: str | None,
    deposit: str | None = None,
    channel: str = "website",
    units: int = 1,
) -> Booking:
    return Booking(
        entity,
        LINES(f"bookings/{entity}.csv"),
        bid,
        d(created),
        d(service) if service else None,
        BookingStatus(status),
        Money(Decimal(amount)) if amount else None,
        Money(Decimal(deposit)) if deposit else None,
        channel,
        None,
        None,
        units,
    )


def time_entry(
    entity: str,
    day: str,
    client: str,
    hours: str,
    rate: str | None,
    invoice: str | None = None,
    billable: bool = True,
) -> TimeEntry:
    return TimeEntry(
        entity,
        LINES(f"timesheets/{entity}.csv"),
        d(day),
        client,
        "A. Person",
        Decimal(hours),
        billable,
        Money(Decimal(rate)) if rate else None,
        invoice,
    )


def invoice(
    entity: str,
    number: str,
    client: str,
    issued: str,
    due: str,
    amount: str,
    paid: str | None = None,
) -> Invoice:
    return Invoice(
        entity,
        LINES(f"invoices/{entity}.csv"),
        number,
        client,
        d(issued),
        d(due),
        Money(Decimal(amount)),
        d(paid) if paid else None,
    )


def trip(entity: str, tid: str, start: str, end: str, nm: str, fee: str, expenses: str) -> Trip:
    return Trip(
        entity,
        LINES(f"trips/{entity}.csv"),
        tid,
        d(start),
        d(end),
        "A",
        "B",
        Decimal(nm),
        Money(Decimal(fee)),
        Money(Decimal(expenses)),
    )


def fact(entity: str, key: str, label: str, value: Any, raw: str) -> Fact:
    return Fact(entity, LINES(f"handoffs/{entity}.md"), "Finances", label, key, value, raw)


def snapshot(
    entities: Iterable[tuple[str, str]], records: Iterable[Record], as_of: str = "2026-04-15"
) -> Snapshot:
    """A snapshot of (id, kind) entities holding ``records`` (one result per entity and record type)."""
    infos = tuple(EntityInfo(eid, eid.replace("-", " ").title(), kind) for eid, kind in entities)
    grouped: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        grouped.setdefault((record.entity, type(record).__name__), []).append(record)
    results = tuple(
        SourceResult(entity, kind.lower(), (f"{kind.lower()}/{entity}",), tuple(rows))
        for (entity, kind), rows in grouped.items()
    )
    return Snapshot("Test Holdings", "USD", d(as_of), infos, results)


def config(
    entities: Iterable[tuple[str, str]],
    settings: dict[str, dict[str, Any]] | None = None,
    analysis: dict[str, Any] | None = None,
) -> Config:
    """A validated config with the finance, accounting and operations options registered."""
    raw: dict[str, Any] = {
        "portfolio": {"name": "Test Holdings"},
        "entities": [
            {"id": eid, "name": eid, "kind": kind, "settings": (settings or {}).get(eid, {})}
            for eid, kind in entities
        ],
        "analysis": analysis or {},
    }
    plugins = []
    for module, cls in (
        ("finance", "FinanceAnalysis"),
        ("accounting", "AccountingAnalysis"),
        ("operations", "OperationsAnalysis"),
    ):
        try:
            plugins.append(getattr(importlib.import_module(f"execbrief.analysis.{module}"), cls)())
        except ModuleNotFoundError:
            continue
    models = OptionModels(
        analyses={p.name: p.Options for p in plugins},
        entity_settings={p.name: p.EntityOptions for p in plugins if p.EntityOptions is not None},
    )
    return config_from_dict(raw, Path("/tmp/portfolio.toml"), models, environ={})
