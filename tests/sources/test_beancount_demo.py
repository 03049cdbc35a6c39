"""The demo ships Blue Passage's books as a CSV ledger so the base install reads every report
whole; the beancount ledger they came from stays a test fixture. Both read to the same
transactions and balances, and the CFO report's figures are the same from either."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.examples import copy_example
from execbrief.pipeline import build, collect, context
from execbrief.plugins import get_registry
from execbrief.records.ledger import CashBalance, Transaction

pytest.importorskip("beancount")

BEANCOUNT = Path(__file__).parents[1] / "data" / "beancount" / "blue-passage.beancount"
CSV_LEDGER = 'ledger = "ledgers/blue-passage.csv"'


def portfolio(tmp_path: Path, beancount: bool) -> Path:
    root = copy_example(tmp_path / ("bean" if beancount else "csv"))
    if beancount:
        shutil.copy(BEANCOUNT, root / "ledgers" / "blue-passage.beancount")
        config = root / "portfolio.toml"
        text = config.read_text(encoding="utf-8")
        assert CSV_LEDGER in text
        config.write_text(
            text.replace(CSV_LEDGER, 'ledger = "ledgers/blue-passage.beancount"'),
            encoding="utf-8",
        )
    return root / "portfolio.toml"


def read(config_path: Path):  # type: ignore[no-untyped-def]
    registry = get_registry()
    config = load_config(config_path, registry.option_models())
    snapshot = collect(config, registry, config.portfolio.as_of)
    return config, registry, snapshot


def ledger(snapshot):  # type: ignore[no-untyped-def]
    (result,) = [r for r in snapshot.results if r.entity == "blue-passage" and r.kind == "ledger"]
    assert result.errors == ()
    return result.records


def test_the_csv_books_hold_the_beancount_transactions(tmp_path: Path) -> None:
    _, _, from_csv = read(portfolio(tmp_path, beancount=False))
    _, _, from_bean = read(portfolio(tmp_path, beancount=True))

    def transactions(records):  # type: ignore[no-untyped-def]
        return sorted(
            (
                t.date,
                t.account,
                t.account_type,
                t.amount,
                t.memo,
                t.counterparty,
                t.reference,
                t.cash,
            )
            for t in records
            if isinstance(t, Transaction)
        )

    bean = transactions(ledger(from_bean))
    assert len(bean) == 80
    assert transactions(ledger(from_csv)) == bean

    def balances(records, shift: int):  # type: ignore[no-untyped-def]
        # beancount checks a balance at the start of its day, a CSV balance row at the end of it
        return sorted(
            (
                b.date - timedelta(days=shift if b.kind == "assertion" else 0),
                b.kind,
                b.balance,
                b.computed,
            )
            for b in records
            if isinstance(b, CashBalance)
        )

    assert balances(ledger(from_csv), 0) == balances(ledger(from_bean), 1)


def test_the_cfo_figures_are_the_same_from_either(tmp_path: Path) -> None:
    def figures(config_path: Path) -> tuple[dict[str, object], list[str]]:
        config, registry, snapshot = read(config_path)
        (built,) = build(context(snapshot, config, registry), registry, ["cfo"])
        assert built.document is not None
        metrics = {m.key: m.value for m in built.document.metrics()}
        return metrics, [f"{f.id}: {f.title}" for f in built.document.findings()]

    from_csv = figures(portfolio(tmp_path, beancount=False))
    assert "finance.cash@*@*" in from_csv[0]  # the portfolio cash holds Blue Passage's
    assert from_csv == figures(portfolio(tmp_path, beancount=True))


def test_the_ledger_generator_writes_what_the_demo_ships(tmp_path: Path) -> None:
    """tools/make_harbor_ledgers.py (run in a copy of the tree) writes the demo's ledgers byte for
    byte, Blue Passage's as the CSV the demo lists, and the beancount original to this fixture;
    it used to write ledgers/blue-passage.beancount, which the demo does not ship."""
    import subprocess
    import sys

    repo = Path(__file__).parents[2]
    harbor = Path("src/execbrief/examples/harbor")
    shutil.copytree(repo / harbor, tmp_path / harbor)
    (tmp_path / "tools").mkdir()
    shutil.copy(repo / "tools/make_harbor_ledgers.py", tmp_path / "tools")
    (tmp_path / BEANCOUNT.relative_to(repo)).parent.mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "tools/make_harbor_ledgers.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in (tmp_path / harbor / "ledgers").iterdir())
    assert written == sorted(p.name for p in (repo / harbor / "ledgers").iterdir())
    assert "blue-passage.csv" in written and "blue-passage.beancount" not in written
    for name in written:
        ours = (tmp_path / harbor / "ledgers" / name).read_bytes()
        assert ours == (repo / harbor / "ledgers" / name).read_bytes(), name
    assert (tmp_path / BEANCOUNT.relative_to(repo)).read_bytes() == BEANCOUNT.read_bytes()
