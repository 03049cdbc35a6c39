"""`init` recognises Square, PayPal, Airbnb and FareHarbor exports by their catalogue layout
(sources/layouts.py), even where a column alias would have taken the file for another kind (a
Square export's ``Staff Name`` looks like a timesheet, a FareHarbor report's ``Email`` like a
subscriber list), and files them under the business whose note names the tool. The exports are
the fixtures of tests/sources/test_layouts_payments.py and test_layouts_bookings.py."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
NOTE = (
    "# Harbor Charters — handoff\n\nLast updated: 2026-11-20\n\n## Money\n\n"
    "- Card sales on Square at the kiosk, PayPal invoices, the loft on Airbnb, "
    "charters booked through FareHarbor\n"
)
EXPORTS = {
    "square/transactions-2026-10-01-2026-11-01.csv": "square-transactions.csv",
    "paypal/Download.CSV": "paypal-activity.csv",
    "airbnb/airbnb_10_2026-10_2026.csv": "airbnb-transaction-history.csv",
    "fareharbor/bookings-2026-10.csv": "fareharbor-bookings.csv",
}


def test_processor_and_booking_exports_are_written_with_their_layout(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/harbor-charters.md").write_text(NOTE)
    for rel, fixture in EXPORTS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / fixture, tmp_path / rel)
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "portfolio.toml").read_text()
    config = tomllib.loads(text)
    assert [e["id"] for e in config["entities"]] == ["harbor-charters"]
    for key in ("square-transactions", "paypal-activity", "airbnb-transactions"):
        assert f"layout '{key}'" in text  # recognised, named in the comment
    assert config["entities"][0]["bookings"] == {
        "path": "fareharbor/bookings-2026-10.csv",
        "layout": "fareharbor",
    }
    assert "timesheets" not in config["entities"][0]
    assert "subscribers" not in config["entities"][0]


def test_square_items_beside_its_transactions_are_one_business(tmp_path: Path) -> None:
    """Square's Items export (``items-<from>-<to>.csv``) is the sales by item of the business whose
    note names Square, beside its Transactions export: its file name names no business."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/harbor-charters.md").write_text(NOTE)
    (tmp_path / "square").mkdir()
    for rel, fixture in (
        ("square/transactions-2026-10-01-2026-11-01.csv", "square-transactions.csv"),
        ("square/items-2026-10-01-2026-11-01.csv", "square-items.csv"),
    ):
        shutil.copy(FIXTURES / fixture, tmp_path / rel)
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    config = tomllib.loads((tmp_path / "portfolio.toml").read_text())
    (entity,) = config["entities"]
    assert entity["id"] == "harbor-charters"
    assert entity["ledger"]["layout"] == "square-transactions"
    assert entity["bookings"] == {
        "path": "square/items-2026-10-01-2026-11-01.csv",
        "layout": "square-items",
    }


def test_airbnb_history_is_the_rentals_bookings_too(tmp_path: Path) -> None:
    # audit14b finding 6: docs/formats.md says to list Airbnb's file as the rental's bookings too
    # (layout airbnb-reservations); init left it out, so nights, ADR and occupancy were unknown
    rel = "pine-cottage/airbnb/airbnb_11_2026-10_2026.csv"
    (tmp_path / rel).parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "airbnb-transaction-history.csv", tmp_path / rel)
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (entity,) = tomllib.loads((tmp_path / "portfolio.toml").read_text())["entities"]
    assert entity["kind"] == "rental"
    assert entity["ledger"] == {"path": rel, "layout": "airbnb-transactions"}
    assert entity["bookings"] == {"path": rel, "layout": "airbnb-reservations"}
