"""Acceptance (issue 14, audit 14): a consultancy whose only source is a Toggl Track detailed
export (no rate column, no invoice column) and no invoices source. Every report says what the
data cannot give as unknown, never $0, and computes what it can from the time entries.

Fixture: tests/data/audit14/ (the tester's Toggl and Airbnb files as they wrote them; see the
comment in its portfolio.toml). Figures worked by hand (as of 2026-11-20, report month 2026-10):

- 7 entries, 20.0 h; billable 19.0 h (3.5 + 2 + 4.25 + 5 + 2.5 + 1.75), non-billable 1.0 h (Leo's
  internal retro on 10-14). Rates from Amount ÷ hours: Maya 525 / 3.5 = 150, Leo 600 / 5 = 120.
- Billable value 525 + 300 + 637.50 + 600 + 300 + 262.50 = $2,625.00; by client, October:
  Saltmarsh Coop 3 entries 8.0 h $1,125.00; Meridian Port Authority 2 entries 9.25 h $1,237.50;
  Keel & Co. 1 entry 1.75 h $262.50.
- Billable hours in 2026-10: 19 (every entry is in October).
- Unbilled value: unknown (the export has no invoice column), never $0.
- Receivables, overdue receivables and their aging: unknown (no invoices source), never $0.
- With an invoices register added (one $1,125.00 invoice due 2026-11-05, unpaid on 11-20, 15 days
  late): receivables $1,125.00, overdue $1,125.00 in the 1-30 bucket.
- Dune Cottage's Airbnb reservations: units <- 'Nights' (3 + 4 + 5 = 12 nights), said once in each
  report's method note.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "audit14"
AS_OF = "2026-11-20"
REPORTS = ("ceo", "billing")
TOGGL = "time/Toggl_time_entries_2026-10-01_to_2026-10-31.csv"


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _copy(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name) / "audit14"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
    return root / "portfolio.toml"


def _builds(config: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each report as text (whitespace collapsed) and as its JSON document."""
    out = {}
    for report in REPORTS:
        args = ("build", "-c", str(config), "--as-of", AS_OF, "--report", report)
        text = _run(*args)
        doc = _run(*args, "--format", "json")
        assert text.exit_code == 0 and doc.exit_code == 0, text.stdout[-400:]
        out[report] = (" ".join(text.stdout.split()), json.loads(doc.stdout))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, Any]]]:
    return _builds(_copy(tmp_path_factory, "toggl-only"))


@pytest.fixture(scope="module")
def with_invoices(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[str, dict[str, Any]]]:
    config = _copy(tmp_path_factory, "with-invoices")
    (config.parent / "invoices.csv").write_text(
        "number,client,issued,due,amount,paid_on\n"
        "TA-2026-101,Saltmarsh Coop,2026-10-06,2026-11-05,1125.00,\n"
    )
    text = config.read_text().replace(
        'timesheets = "time/', 'invoices = "invoices.csv"\ntimesheets = "time/'
    )
    config.write_text(text)
    return _builds(config)


def _blocks(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for s in doc["sections"] for b in s["blocks"] if b["type"] == kind]


def _kpis(doc: dict[str, Any], entity: str) -> dict[str, tuple[str, Any, str]]:
    """KPI -> (status, value, basis) of one entity in the CEO report's KPI framework table."""
    table = next(
        b for b in _blocks(doc, "table") if (b["title"] or "").startswith("KPIs by entity")
    )
    return {
        kpi: (status, value, basis)
        for name, kpi, status, value, basis in (r["cells"] for r in table["rows"])
        if name == entity
    }


def _metrics(doc: dict[str, Any], entity: str) -> dict[str, Any]:
    return {
        m["id"]: m["value"]
        for b in _blocks(doc, "metrics")
        for m in b["metrics"]
        if m["entity"] == entity
    }


def test_ceo_kpis_say_unknown_and_count_the_billable_hours(built: dict[str, Any]) -> None:
    kpis = _kpis(built["ceo"][1], "Tern Analytics")
    assert kpis["Unbilled work"][:2] == ("unknown", "unknown (the export has no invoice column)")
    status, value, basis = kpis["Overdue receivables"]
    assert (status, value) == ("unknown", "unknown (no invoices source)")
    assert basis == 'add invoices = "invoices.csv" to the entity'
    status, value, basis = kpis["Billable hours per month"]
    assert status == "tracked" and Decimal(value) == Decimal("19.0")
    assert "2026-10" in basis
    text = built["ceo"][0]
    assert "Unbilled work Status tracked" not in text
    assert "Overdue receivables Status tracked Value $0" not in text


def test_billing_report_says_receivables_unknown_with_the_fix(built: dict[str, Any]) -> None:
    text, doc = built["billing"]
    metrics = _metrics(doc, "tern-analytics")
    assert metrics["billing.receivable"] == (
        'unknown (no invoices source); add invoices = "invoices.csv" to the entity'
    )
    assert "billing.aging" not in metrics and "billing.unbilled" not in metrics
    assert "Accounts receivable $0" not in text and "$0" not in text
    assert "Receivables by age: unknown (no invoices source)." in text
    assert "unbilled value unknown (the export has no invoice column); 19 billable h" in text


def test_billing_groups_the_toggl_entries_by_client_and_month(built: dict[str, Any]) -> None:
    doc = built["billing"][1]
    logged = next(
        b for b in _blocks(doc, "table") if (b["title"] or "").startswith("Logged against")
    )
    billable = logged["rows"][0]["cells"]
    assert Decimal(billable[1]) == Decimal("19.0")
    assert Decimal(billable[2]["amount"]) == Decimal("2625.00")
    assert not any("of which" in r["cells"][0] for r in logged["rows"])  # no 0 h split
    grouped = next(
        b for b in _blocks(doc, "table") if (b["title"] or "").startswith("Billable time by")
    )
    rows = [
        (c[0], c[1], c[2], Decimal(c[3]), Decimal(c[4]["amount"]))
        for c in (r["cells"] for r in grouped["rows"])
    ]
    assert rows == [
        ("Keel & Co.", "2026-10", 1, Decimal("1.75"), Decimal("262.50")),
        ("Meridian Port Authority", "2026-10", 2, Decimal("9.25"), Decimal("1237.50")),
        ("Saltmarsh Coop", "2026-10", 3, Decimal("8.0"), Decimal("1125.00")),
    ]
    lines = {
        (p["source"], p["line"], p["end_line"]) for r in grouped["rows"] for p in r["provenance"]
    }
    # Saltmarsh Coop's lines are 2, 3 and 7: cited 2-3 and 7, never 2-7 (4-6 are Meridian's)
    assert lines == {(TOGGL, 8, 8), (TOGGL, 4, 5), (TOGGL, 2, 3), (TOGGL, 7, 7)}


def test_an_invoices_source_makes_receivables_known(with_invoices: dict[str, Any]) -> None:
    kpis = _kpis(with_invoices["ceo"][1], "Tern Analytics")
    status, value, _ = kpis["Overdue receivables"]
    assert status == "tracked" and Decimal(value["amount"]) == Decimal("1125.00")
    text, doc = with_invoices["billing"]
    assert Decimal(_metrics(doc, "tern-analytics")["billing.receivable"]["amount"]) == 1125
    assert "receivables unknown" not in text
    assert "1-30 $1,125 TA-2026-101" in text


def test_the_nights_mapping_is_said_once_per_source(built: dict[str, Any]) -> None:
    # Billing reads time and invoices, not bookings: its note names no Airbnb file
    assert "units <- 'Nights'" not in built["billing"][0]
    for report in ("ceo",):
        text = built[report][0]
        note = text[text.index("How the exports were read:") :]
        assert note.count("units <- 'Nights'") == 1, report
        assert "units = Nights" not in note, report
        assert "units <- 'Nights': each booking counts that many units" in note, report
        assert note.count("amount <- 'Gross earnings'") == 1, report
