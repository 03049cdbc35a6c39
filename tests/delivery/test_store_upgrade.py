"""A store written by the previous release (0.1: the demo's store after one `execbrief demo`) opens,
is migrated to the current schema, and `history` and `check --expect` read it."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.store import migrations
from execbrief.store.db import Store
from execbrief.store.status import DeliveryStatus
from kits.delivery import FakeTime

OLD_STORE = Path(__file__).parents[1] / "data" / "store-0.1" / "execbrief.db.gz"
OLD_MIGRATIONS = ["m001_runs", "m002_deliveries", "m003_events", "m004_history"]


def old_store(target: Path) -> Path:
    """The 0.1 store, unpacked to ``target`` (the test data itself is never opened for writing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OLD_STORE) as packed, target.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return target


def test_the_old_store_opens_and_is_migrated(tmp_path: Path) -> None:
    path = old_store(tmp_path / "execbrief.db")
    raw = sqlite3.connect(path, isolation_level=None)
    assert migrations.applied(raw) == OLD_MIGRATIONS
    # 0.1 marked a sender waiting to retry in the error text; leave one such row, as a sender
    # killed during its back-off would have, with a run that no longer lives
    raw.execute(
        "INSERT INTO runs (started, command, status, pid, host) VALUES"
        " ('2026-11-21T08:00:00Z', 'send', 'running', 1, 'gone')"
    )
    raw.execute(
        "INSERT INTO deliveries (run_id, report, period, recipient, status, error, claimed_at,"
        " updated_at, attempts) VALUES (2, 'ceo', '2026-12', 'ceo@harbor.example', 'sending',"
        " 'waiting to retry: SES Throttling: slow down', '2026-11-21T08:00:00Z',"
        " '2026-11-21T08:00:01Z', 1)"
    )
    raw.close()

    with Store(path, clock=FakeTime().now, is_alive=lambda pid, host: False) as store:
        assert migrations.applied(store.db) == [name for name, _ in migrations.MIGRATIONS]
        assert "m005_waiting_since" in migrations.applied(store.db)
        rows = store.deliveries()
        assert len(rows) == 11
        sent = [row for row in rows if row.period == "2026-11"]
        assert {row.status for row in sent} == {DeliveryStatus.SENT}
        assert all(row.message_id and row.waiting_since is None for row in sent)
        waiting = next(row for row in rows if row.period == "2026-12")
        # the mark became the column; the error is the provider's own text again
        assert (waiting.status, waiting.waiting_since, waiting.error) == (
            DeliveryStatus.SENDING,
            "2026-11-21T08:00:01Z",
            "SES Throttling: slow down",
        )
        # its sender is dead and was waiting, not calling: not sent, so failed, not unknown
        [recovered] = store.recover()
        assert recovered.status is DeliveryStatus.FAILED
        assert "waiting to retry after a refused attempt (SES Throttling: slow down)" in (
            recovered.error or ""
        )
        assert recovered.waiting_since is None


def test_history_and_check_expect_read_the_old_store(example_portfolio: Path) -> None:
    old_store(example_portfolio.parent / ".execbrief" / "execbrief.db")
    runner = CliRunner()
    config = str(example_portfolio)

    listed = runner.invoke(cli, ["history", "-c", config, "--json"], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert len(rows) == 10
    assert {(row["period"], row["status"]) for row in rows} == {("2026-11", "sent")}
    assert {row["report"] for row in rows} == {
        "ceo",
        "cto",
        "cmo",
        "cfo",
        "accounting",
        "rental",
        "operations",
        "billing",
    }

    summary = runner.invoke(
        cli, ["history", "-c", config, "--period", "2026-11", "--json"], catch_exceptions=False
    )
    assert summary.exit_code == 0, summary.output
    seen = json.loads(summary.output)
    assert seen["snapshots"] and len(seen["deliveries"]) == 10

    # November went to everyone; December is due by January and nothing was sent for it
    for as_of, missed in (("2026-12-05", []), ("2027-01-05", ["2026-12"] * 8)):
        checked = runner.invoke(
            cli,
            ["check", "-c", config, "--as-of", as_of, "--expect", "monthly", "--json"],
            catch_exceptions=False,
        )
        delivery = json.loads(checked.output)["delivery"]
        assert [m["period"] for m in delivery["missed"]] == missed, as_of
