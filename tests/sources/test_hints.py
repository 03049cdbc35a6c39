"""Error hints that do not mislead (issue 13, 10): a missing column's suggestions ranked by what
the column means, and a multi-line inline table's TOML error saying how to write it."""

from __future__ import annotations

from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.errors import ConfigError
from execbrief.sources.timesheets import InvoiceOptions, InvoicesSource
from kits.ops import make_request, one_error, write


def test_missing_amount_suggests_the_invoice_amount_first_and_lists_every_candidate(
    tmp_path: Path,
) -> None:
    # An invoice export with both "Paid Amount" and "Invoice Amount" (and "Balance"): the closest
    # spelling is "Paid Amount", but the invoice's amount is the invoice's own figure.
    write(
        tmp_path,
        "i.csv",
        "Invoice ID,Client,Issue Date,Due Date,Paid Amount,Invoice Amount,Balance\n"
        "1001,Acme,2026-01-02,2026-02-01,0.00,500.00,500.00\n",
    )
    result = InvoicesSource().collect(make_request(tmp_path, "invoices", "i.csv", InvoiceOptions()))
    error = one_error(result)
    assert error.fatal and error.provenance.line == 1
    assert (
        "has no 'amount' column; did you mean 'Invoice Amount'? (other candidates: "
        "'Paid Amount') (or map it: columns = { amount = \"Invoice Amount\" })"
    ) in error.message


def test_a_multi_line_inline_table_says_how_to_write_it(tmp_path: Path) -> None:
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "P"\n\n[[entities]]\nid = "a"\nname = "A"\nkind = "consultancy"\n'
        'ledger = { path = "exports/xero.csv",\n  grouped = true, double_entry = true }\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "portfolio.toml")
    message = str(caught.value)
    assert "is not valid TOML: Invalid initial character for a key part (at line 8" in message
    assert (
        "the inline table ledger = { ... } on line 8 runs across lines, which TOML allows only on "
        "one line: put it on one line, or write it as a table of its own, [entities.ledger] after "
        "the entity's other keys, one key = value a line"
    ) in message
