"""`execbrief history --period P` shows what a run saw and sent; `archive` writes the static site."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli


def test_history_period_and_archive(tmp_path: Path) -> None:
    runner = CliRunner()
    demo = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert demo.exit_code in (0, 1), demo.output
    config = str(tmp_path / "demo" / "portfolio.toml")

    shown = runner.invoke(cli, ["history", "-c", config, "--period", "2026-10", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["period"] == "2026-10"
    sources = data["snapshots"][-1]["sources"]
    assert {s["kind"] for s in sources} >= {"handoff", "ledger", "bookings"}
    reports = {d["report"] for d in data["documents"]}
    assert "ceo" in reports
    assert any(f["report"] == "ceo" for f in data["findings"])
    assert {d["report"] for d in data["deliveries"] if d["status"] == "sent"} == reports

    out = tmp_path / "site"
    archived = runner.invoke(cli, ["archive", "-c", config, "--out", str(out)])
    assert archived.exit_code == 0, archived.output
    index = (out / "index.html").read_text()
    for report in reports:
        page = out / "2026-10" / f"{report}.html"
        assert page.is_file()
        assert f'href="2026-10/{report}.html"' in index
        assert "Since last report" in page.read_text()


def test_history_period_lists_every_reports_figures_and_stores_each_key_figure(
    tmp_path: Path,
) -> None:
    """`history --period P` shows the figures each report stated (table and --json), and every
    key figure a brief shows (``Brief.figures``) is among them with the value the reader saw, so
    the next report can compare it (issue 20: cash was shown and never stored)."""
    from execbrief.document import Document, brief_of
    from execbrief.history.deltas import comparison_key, describe
    from execbrief.serialization import to_jsonable

    runner = CliRunner()
    demo = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert demo.exit_code in (0, 1), demo.output
    config = str(tmp_path / "demo" / "portfolio.toml")
    shown = runner.invoke(cli, ["history", "-c", config, "--period", "2026-10", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    stored = {(f["report"], f"{f['metric']}@{f['entity'] or '*'}"): f for f in data["figures"]}
    assert ("cfo", "finance.cash@*") in stored and ("ceo", "finance.cash@*") in stored

    checked = 0
    for row in data["documents"]:
        built = runner.invoke(
            cli,
            ["build", "-c", config, "--report", row["report"], "--format", "json"],
        )
        assert built.exit_code == 0, built.output
        for figure in brief_of(Document.from_dict(json.loads(built.output))).figures:
            key = (row["report"], comparison_key(figure.metric))
            assert key in stored, f"{key} is a key figure of {row['report']} but was not stored"
            assert stored[key]["value"] == to_jsonable(figure.metric.value)
            assert stored[key]["text"] == describe(figure.metric.value, figure.metric.unit)
            checked += 1
    assert checked >= 30

    table = runner.invoke(
        cli, ["history", "-c", config, "--period", "2026-10", "--report", "cfo"], terminal_width=200
    )
    assert table.exit_code == 0, table.output
    assert "Figures in the reports of run" in table.output
    cash = stored[("cfo", "finance.cash@*")]["text"]
    assert any("Cash" in line and cash in line for line in table.output.splitlines())


def test_the_as_of_flag_wins_over_the_files_as_of(tmp_path: Path) -> None:
    """`[portfolio] as_of` is the default report date; `--as-of` overrides it (docs/formats.md,
    `--as-of` help)."""
    runner = CliRunner()
    demo = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")])
    assert demo.exit_code in (0, 1), demo.output
    config = tmp_path / "demo" / "portfolio.toml"
    text = config.read_text()
    assert "\nas_of = 2026-11-20" in text
    config.write_text(text.replace("\nas_of = 2026-11-20", "\nas_of = 2026-09-15", 1))

    def as_of(*args: str) -> str:
        built = runner.invoke(
            cli, ["build", "-c", str(config), "--report", "cto", "--format", "json", *args]
        )
        assert built.exit_code == 0, built.output
        return str(json.loads(built.output)["as_of"])

    assert as_of() == "2026-09-15"
    assert as_of("--as-of", "2026-11-20") == "2026-11-20"
    helped = runner.invoke(cli, ["build", "--help"], terminal_width=200)
    assert "wins over [portfolio] as_of" in " ".join(helped.output.split())
