"""`history --period P` shows the run whose reports were delivered (not a later re-run that sent
nothing), and every finding a report shows, missing KPIs included, is stored and compared."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.document import Document
from history.test_three_runs_e2e import CONFIG, since_last, write


def send(runner: CliRunner, config: Path, as_of: str) -> None:
    sent = runner.invoke(cli, ["send", "-c", str(config), "--as-of", as_of])
    assert sent.exit_code == 0, sent.output


def test_history_period_shows_the_delivering_run_and_names_later_ones(tmp_path: Path) -> None:
    runner = CliRunner()
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG)
    write(tmp_path, cash="$20,000", ota="2", pipeline="3 leads")
    send(runner, config, "2026-10-20")  # run 1 delivers September
    write(tmp_path, cash="$35,000", ota="2", pipeline="3 leads")
    send(runner, config, "2026-10-21")  # run 2: already sent, skipped

    table = runner.invoke(
        cli, ["history", "-c", str(config), "--period", "2026-09"], terminal_width=250
    )
    assert table.exit_code == 0, table.output
    text = " ".join(table.output.split())
    assert "What run 1 read for 2026-09 (as of 2026-10-20), the delivered run" in text
    assert "Later runs for 2026-09 sent nothing new: run 2 (as of 2026-10-21)." in text
    assert "Figures in the reports of run 1" in text
    assert "$20,000" in text and "$35,000" not in text  # the figure the reader got

    shown = runner.invoke(cli, ["history", "-c", str(config), "--period", "2026-09", "--json"])
    data = json.loads(shown.output)
    assert data["delivered_runs"] == {"ceo": 1}
    assert [(s["run_id"], s["delivered"]) for s in data["snapshots"]] == [(1, True), (2, False)]
    assert [(d["run_id"], d["delivered"]) for d in data["documents"]] == [(1, True), (2, False)]


def test_a_missing_kpi_stated_next_period_is_resolved(tmp_path: Path) -> None:
    runner = CliRunner()
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG)
    write(tmp_path, cash="$20,000", ota="2", pipeline="3 leads")
    send(runner, config, "2026-10-20")
    stored = runner.invoke(cli, ["history", "-c", str(config), "--period", "2026-09", "--json"])
    findings = {f["finding_id"] for f in json.loads(stored.output)["findings"]}
    kpi = "briefing.missing-kpi:tern:day-rate"
    assert kpi in findings

    write(tmp_path, cash="$20,000", ota="2", pipeline="3 leads")
    notes = tmp_path / "notes" / "tern.md"
    notes.write_text(notes.read_text().replace("## Sales", "- Day rate: $1,200\n\n## Sales"))
    lines = since_last(runner, config, "2026-11-20")
    assert "[LOW] Tern Consulting does not track day rate" in lines["Resolved"]
    assert not any("day rate" in line for line in lines["Still open"])
    assert any("does not track" in line for line in lines["Still open"])  # the others carry on

    built = runner.invoke(
        cli, ["build", "-c", str(config), "--as-of", "2026-11-20", "--format", "json"]
    )
    document = Document.from_dict(json.loads(built.output))
    assert kpi not in {f.id for f in document.findings()}


def test_a_blocked_report_is_sent_by_the_next_send_for_its_period_once_the_books_tie(
    tmp_path: Path,
) -> None:
    """docs/delivery.md, *Gates*: a delivery the reconciliation gate blocked is retried by the next
    `send` for the same period; that run's document is then the one its reader got."""
    from reports.test_finance_handworked import portfolio

    outbox = '[delivery]\ntransport = "outbox"\nsender = "r@a.example"\noperator = "o@a.example"\n'
    toml = outbox + 'outbox = "outbox"\n\n[reports.cfo]\nto = ["cfo@a.example"]\n\n'
    wrong = ("2026-05-31,Assets:Bank,3000.00", "2026-05-31,Assets:Bank,3100.00")
    config = portfolio(
        tmp_path,
        {
            "ledgers/ridge.csv": wrong,
            "portfolio.toml": ("[analysis.operations]", toml + "[analysis.operations]"),
        },
    )
    runner = CliRunner()
    blocked = runner.invoke(cli, ["send", "-c", str(config), "--report", "cfo", "--json"])
    assert blocked.exit_code == 1 and "blocked" in blocked.stdout
    period = json.loads(blocked.stdout)["period"]
    ledger = tmp_path / "ledgers" / "ridge.csv"
    ledger.write_text(ledger.read_text().replace(wrong[1], wrong[0]))  # the books tie again
    retried = runner.invoke(
        cli, ["send", "-c", str(config), "--report", "cfo", "--period", period, "--json"]
    )
    assert retried.exit_code == 0, retried.output
    assert len(list((tmp_path / "outbox").glob("*cfo*"))) == 1
    shown = runner.invoke(cli, ["history", "-c", str(config), "--period", period, "--json"])
    data = json.loads(shown.stdout)
    assert [d["status"] for d in data["deliveries"]] == ["sent"]
    assert data["delivered_runs"] == {"cfo": 2}
