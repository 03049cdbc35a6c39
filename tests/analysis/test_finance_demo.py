"""The example portfolio's planted finance problems are found, with figures checked by hand against
the demo files (src/execbrief/examples/harbor/)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import execbrief
from execbrief import pipeline
from execbrief.analysis import accounting, finance, operations
from execbrief.config import Config, load_config
from execbrief.plugins import get_registry
from execbrief.snapshot import Snapshot
from execbrief.values import Money

HARBOR = Path(execbrief.__file__).parent / "examples" / "harbor" / "portfolio.toml"


def usd(value: str) -> Money:
    return Money(Decimal(value))


@pytest.fixture(scope="module")
def demo() -> tuple[Snapshot, Config]:
    registry = get_registry()
    config = load_config(HARBOR, registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 11, 20), key=b"k" * 32)
    return snapshot, config


@pytest.fixture(scope="module")
def fin(demo: tuple[Snapshot, Config]) -> finance.FinanceResult:
    return finance.analyze(*demo)


@pytest.fixture(scope="module")
def acc(demo: tuple[Snapshot, Config], fin: finance.FinanceResult) -> accounting.AccountingResult:
    return accounting.analyze(demo[0], demo[1], fin)


@pytest.fixture(scope="module")
def ops(demo: tuple[Snapshot, Config]) -> operations.OperationsResult:
    return operations.analyze(*demo)


def test_deposits_booked_as_income_on_harbor_charters(acc: accounting.AccountingResult) -> None:
    outstanding = [i for i in acc.deferred if i.outstanding]
    # five summer-2026 deposits for charters in 2026-12..2027-04: 430 + 580 + 250 + 380 + 500
    assert {i.entity for i in outstanding} == {"harbor-charters"}
    assert sorted(i.booking or "" for i in outstanding) == [
        "BK-1139",
        "BK-1161",
        "BK-1178",
        "BK-1198",
        "BK-1219",
    ]
    assert sum((i.amount.amount for i in outstanding), Decimal(0)) == Decimal("2140.00")
    assert all(i.service_date and i.service_date > date(2026, 11, 20) for i in outstanding)
    # Sunset Sails books deposits to 2100 Customer Deposits: nothing to move there
    assert not [i for i in acc.deferred if i.entity == "sunset-sails"]
    gaps = {(g.entity, g.account) for g in acc.chart_gaps}
    assert ("harbor-charters", "Customer deposits (contract liability)") in gaps
    assert ("sunset-sails", "Customer deposits (contract liability)") not in gaps


def test_misc_pile_and_duplicate_payment(acc: accounting.AccountingResult) -> None:
    (misc,) = [p for p in acc.piles if p.kind == "misc"]
    # 212.40 + 389.00 + 460.00 + 145.99 + 318.75
    assert (misc.entity, misc.total, len(misc.rows)) == ("harbor-charters", usd("1526.14"), 5)
    (dup,) = acc.duplicates
    assert (dup.entity, dup.payee, dup.amount) == (
        "harbor-charters",
        "Coastal Marine Insurance",
        usd("640.00"),
    )
    assert (dup.first.date, dup.second.date) == (date(2026, 10, 5), date(2026, 10, 6))
    ids = {f.id for f in acc.findings}
    assert {
        "accounting.misc:harbor-charters",
        "accounting.deposits-as-income:harbor-charters",
    } <= ids


def test_unbilled_work_and_overdue_invoices(ops: operations.OperationsResult) -> None:
    (gap,) = ops.billing
    assert gap.entity == "tidewater-labs"
    assert gap.unbilled_value == usd("4100.00")
    overdue = {b.bucket: b.invoices for b in gap.aging if b.bucket != "Current"}
    # one overdue invoice in each bucket on 2026-11-20
    assert {k: len(v) for k, v in overdue.items()} == {"1-30": 1, "31-60": 1, "61-90": 1, "90+": 1}
    assert gap.clients[0].share.value > 50
    ids = {f.id for f in ops.findings}
    assert {"operations.unbilled:tidewater-labs", "operations.overdue:tidewater-labs"} <= ids


def test_rollup_and_books_reconcile(
    fin: finance.FinanceResult, acc: accounting.AccountingResult
) -> None:
    assert fin.rollup_ok and fin.portfolio is not None
    for index, _period in enumerate(fin.periods):
        parts = sum((e.months[index].net.amount for e in fin.entities), Decimal(0))
        assert fin.portfolio.months[index].net.amount == parts
    assert acc.reconciled, acc.reasons


def test_equity_rule_fails_for_crewboard(fin: finance.FinanceResult) -> None:
    check = next(c for c in fin.rules if c.kind == "equity-agreement" and c.entity == "crewboard")
    assert check.status == "fail" and check.provenance


def test_rental_figures_use_the_configured_value(ops: operations.OperationsResult) -> None:
    (unit,) = ops.rentals
    assert unit.property_value.source == "config" and unit.cap_rate is not None
    # cap rate = annual NOI ÷ 385,000, to two decimals
    assert unit.cap_rate.value == (unit.noi_annual.amount / 385000 * 100).quantize(Decimal("0.01"))
