"""`init` and a Google Forms responses download: the linked spreadsheet is named after the form
and its sheet "Form Responses 1", so the file is "Charter requests (Responses) - Form Responses
1.csv". Its name is the form's, not a business's: it used to found a business "charter" of its
own beside the business whose folder (or handoff note) it sits with. The sheet is
tests/data/exports/forms/charter-requests-responses.csv (Timestamp first, one column per
question, the owner's Status and Total added at the right: layouts.py, "google-forms")."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).parent.parent / "data"
FORM = DATA / "exports" / "forms" / "charter-requests-responses.csv"
CHASE = DATA / "audit14" / "bank" / "Chase4821_Activity_20261104.CSV"
NAME = "Charter requests (Responses) - Form Responses 1.csv"
NOTE = "# Gull Rock Charters — handoff\n\nUpdated: 2026-11-18\n\n## Money\n\n- Cash: $11,000\n"


def init(root: Path) -> list[dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["init", str(root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return tomllib.loads((root / "portfolio.toml").read_text(encoding="utf-8"))["entities"]


def test_a_form_export_beside_a_handoff_note_joins_that_business(tmp_path: Path) -> None:
    (tmp_path / "handoffs").mkdir()
    (tmp_path / "handoffs" / "gull-rock.md").write_text(NOTE)
    (tmp_path / "bookings").mkdir()
    shutil.copy(FORM, tmp_path / "bookings" / NAME)
    [entity] = init(tmp_path)
    assert entity["id"] == "gull-rock" and entity["name"] == "Gull Rock Charters"
    assert entity["bookings"]["path"] == f"bookings/{NAME}"
    assert entity["bookings"]["layout"] == "google-forms"


def test_a_business_folder_names_its_form_export_and_its_bank(tmp_path: Path) -> None:
    # the portfolio folder is the one business: its name, not the form's title
    root = tmp_path / "gull-rock"
    (root / "bank").mkdir(parents=True)
    (root / "forms").mkdir()
    shutil.copy(CHASE, root / "bank" / CHASE.name)
    shutil.copy(FORM, root / "forms" / NAME)
    [entity] = init(root)
    assert entity["id"] == "gull-rock"
    assert entity["ledger"]["path"] == f"bank/{CHASE.name}"
    assert entity["bookings"]["path"] == f"forms/{NAME}"
