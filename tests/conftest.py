"""Shared fixtures: a small hand-built document, and the bundled example portfolio in a tmp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import execbrief
from execbrief.document import (
    ActionPlan,
    Bullet,
    BulletList,
    Chart,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Point,
    Row,
    Section,
    Series,
    Table,
)
from execbrief.findings import Action, Effort, Finding, Metric, Severity
from execbrief.snapshot import Provenance
from execbrief.values import Cadence, Money, MoneyRange, Percent

PACKAGE = Path(execbrief.__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    """Whatever plugins happen to be installed must not change the suite's results: no entry point
    is loaded while it runs (set before collection imports the CLI, which loads the plugins).
    tests/test_plugins.py unsets it for the test that installs a plugin and loads it."""
    os.environ["EXECBRIEF_NO_ENTRY_POINTS"] = "1"


def package_files() -> set[str]:
    """Every file inside the installed package, byte-code aside."""
    return {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if "__pycache__" not in p.parts and not p.is_dir()
    }


@pytest.fixture(scope="session", autouse=True)
def package_stays_untouched() -> Iterator[None]:
    """The suite never writes into the package (the bundled example portfolio included): a test
    that needs to write there works on a copy (the ``example_portfolio`` fixture)."""
    before = package_files()
    yield
    added = sorted(package_files() - before)
    assert not added, f"tests wrote into the package: {added[:5]}"


def make_document() -> Document:
    """A document that uses every block type and value type."""
    note = Provenance("handoffs/harbor.md", 12)
    ledger = Provenance(
        "ledgers/harbor.csv", 40, 52, commit="0123456789abcdef", commit_date=date(2026, 11, 2)
    )
    burn = MoneyRange(
        Money(Decimal("7000")), Money(Decimal("9000")), Cadence.MONTH, approximate=True
    )
    finding = Finding(
        id="briefing.empty_pipeline:tidewater",
        rule="briefing.empty_pipeline",
        title="Pipeline is empty",
        severity=Severity.CRITICAL,
        entity="tidewater",
        evidence="Pipeline: none",
        recommendation="Book five discovery calls this month.",
        effort=Effort.DAYS,
        impact=3,
        shortfall=True,
        provenance=(note,),
    )
    return Document(
        report="ceo",
        title="CEO report",
        audience="the CEO",
        period="2026-11",
        as_of=date(2026, 11, 20),
        portfolio="Harbor Holdings",
        summary=(Bullet("Pipeline is empty at Tidewater", (note,)),),
        warnings=(
            Bullet("ledgers/clean.csv could not be read", (Provenance("ledgers/clean.csv", 3),)),
        ),
        sections=(
            Section(
                "Figures",
                (
                    Paragraph("Burn is stated in the note. " * 8, (note,)),
                    Metrics(
                        (
                            Metric(
                                "burn",
                                "Monthly burn",
                                burn,
                                "harbor",
                                "2026-11",
                                None,
                                "stated",
                                (note,),
                            ),
                            Metric(
                                "cash",
                                "Cash",
                                Money(Decimal("12400.50")),
                                "harbor",
                                provenance=(ledger,),
                            ),
                            Metric("open", "Open rate", Percent(Decimal("36"))),
                            Metric("charters", "Break-even", 6, unit="charters/month"),
                            Metric("ratio", "Realisation", Decimal("0.85")),
                            Metric("signed", "Agreement signed", False),
                            Metric("since", "Since", date(2025, 10, 1)),
                            Metric("state", "State", "unknown"),
                            Metric("none", "Nothing", None),
                        ),
                        title="Key figures",
                    ),
                    Table(
                        ("Entity", "Kind", "Revenue"),
                        (
                            Row(("Harbor Charters", "charter", Money(Decimal("5000"))), (ledger,)),
                            Row(("Tidewater | Labs", "consultancy", Money(Decimal("-120.25"))), ()),
                        ),
                        title="Entities",
                    ),
                    Chart(
                        "Revenue by month",
                        (
                            Series(
                                "Harbor",
                                tuple(
                                    Point(f"2026-{m:02d}", Money(Decimal(m * 100)))
                                    for m in range(1, 7)
                                ),
                            ),
                        ),
                    ),
                    BulletList((Bullet("one", (note,)), Bullet("two")), title="List"),
                ),
            ),
            Section(
                "Shortfalls",
                (
                    Findings((finding,), title="Critical"),
                    Findings((), title="None here", empty_text="No gaps."),
                    ActionPlan(
                        (
                            Action(
                                "Book calls",
                                "Pipeline is empty",
                                7,
                                "tidewater",
                                None,
                                (finding.id,),
                                provenance=(note,),
                            ),
                        )
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def document() -> Document:
    """A document that exercises every block and value type."""
    return make_document()


@pytest.fixture
def example_portfolio(tmp_path: Path) -> Path:
    """A private copy of the bundled example portfolio; returns its portfolio.toml."""
    from execbrief.examples import copy_example

    return copy_example(tmp_path / "harbor") / "portfolio.toml"
