"""`init` on an outside tester's tree (issue 14's audit): a business folder holding a bank
export and a processor export becomes one entity with two ledger parts, its kind read from the
Airbnb layout, and a tool's export named only by the tool (Stripe's ``Itemized_payouts_…``) never
becomes a business of its own."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

TREE = Path(__file__).parent.parent / "data" / "audit14-init"


def test_a_business_folder_of_two_exports_is_one_entity_with_two_ledger_parts(
    tmp_path: Path,
) -> None:
    root = tmp_path / "tree"
    shutil.copytree(TREE, root)
    (root / "repos.env").write_text("STRIPE_SECRET_KEY=\n")
    result = CliRunner().invoke(cli, ["init", str(root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    config = tomllib.loads((root / "portfolio.toml").read_text(encoding="utf-8"))
    assert [e["id"] for e in config["entities"]] == ["dune"]
    dune = config["entities"][0]
    assert dune["kind"] == "rental"
    parts = [(part["path"], part["layout"]) for part in dune["ledger"]]
    assert parts[:2] == [
        ("dune/airbnb/airbnb_10_2026-10_2026.csv", "airbnb-transactions"),
        ("dune/bofa/stmt.csv", "bank-of-america"),
    ]
    # the payouts export names no business: with one business in the tree it joins that one
    assert parts[2][0] == "stripe/Itemized_payouts_USD_2026-10-01_to_2026-11-04.csv"
    assert dune["env"] == "repos.env" and "shared" not in config  # one business: its own
    checked = CliRunner().invoke(
        cli, ["check", "-c", str(root / "portfolio.toml"), "--as-of", "2026-11-04"]
    )
    assert checked.exit_code in (0, 1), checked.output
    assert "error:" not in checked.output.lower()
