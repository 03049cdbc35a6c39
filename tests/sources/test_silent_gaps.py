"""Issue 17, silent gaps: a CSV with a column it reads headed twice and an empty handoff note are
named, never read without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.sources.handoff import HandoffSource
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from kits.files import request, write


def test_a_repeated_amount_column_is_an_error_at_line_1(tmp_path: Path) -> None:
    write(tmp_path, "books.csv", "date,account,amount,amount\n2026-01-02,Income:Sales,10,20\n")
    result = LedgerSource().collect(request(tmp_path, "books.csv", LedgerOptions()))
    (error,) = result.errors
    assert error.describe() == (
        "books.csv:1: has the column 'amount' more than once (columns 3, 4); expected each "
        "column once, so that which one is the amount is not a guess: rename or remove the others"
    )
    assert result.records == ()


def test_a_repeated_column_the_source_does_not_read_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "books.csv", "date,account,amount,note,note\n2026-01-02,Income:Sales,10,a,b\n")
    result = LedgerSource().collect(request(tmp_path, "books.csv", LedgerOptions()))
    assert result.errors == () and len(result.records) >= 1


@pytest.mark.parametrize("content", ["", "  \n\n\t\n"])
def test_an_empty_note_is_a_warning_naming_the_file(tmp_path: Path, content: str) -> None:
    write(tmp_path, "acme.md", content)
    result = HandoffSource().collect(request(tmp_path, "acme.md", kind="handoff"))
    (error,) = result.errors
    assert error.describe() == "acme.md: is empty; expected the entity's handoff note"
    assert not error.fatal


def test_check_names_the_empty_note(tmp_path: Path) -> None:
    write(tmp_path, "handoffs/acme.md", "")
    config = write(
        tmp_path,
        "portfolio.toml",
        '[portfolio]\nname = "T"\n\n[[entities]]\nid = "acme"\nname = "Acme"\nkind = "other"\n'
        'handoff = "handoffs/acme.md"\n',
    )
    result = CliRunner().invoke(cli, ["check", "-c", str(config)], catch_exceptions=False)
    out = " ".join(result.output.split())
    assert "handoffs/acme.md: is empty; expected the entity's handoff note" in out.replace(
        "│ ", ""
    ) or ("is empty" in out and "handoff note" in out)
