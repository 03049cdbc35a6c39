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
