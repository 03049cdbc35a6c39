"""A beancount ledger reads only inside the portfolio folder: includes are checked before anything
of their target is opened, only beancount's own plugins run, warnings quote short excerpts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from execbrief.records.ledger import Transaction
from execbrief.snapshot import SourceResult
from execbrief.sources.files import excerpt
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from kits.files import request, start_s3, write

MARKER = "outside-file-content-QX7"
OUTSIDE_LINES = f"{MARKER} root:x:0:0\n{MARKER}:daemon:x:1:1\n"

MAIN = """option "operating_currency" "USD"
{include}
2025-10-01 open Assets:Checking USD
2025-10-01 open Equity:Opening-Balances
2025-10-01 * "Opening balance"
  Assets:Checking  5000.00 USD
  Equity:Opening-Balances
"""

YEAR = """2025-10-01 open Expenses:Fuel
2025-10-06 * "Shell" "Diesel"
  Expenses:Fuel  300.00 USD
  Assets:Checking
"""

REFUSED_OUTSIDE = (
    "points outside the portfolio folder, so the included file was not read and this ledger was "
    "skipped; move the included file into the portfolio folder (the folder of portfolio.toml) and "
    "include it by a relative path, or remove the include line"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The portfolio folder; tmp_path/outside.txt lies beside it, outside."""
    (tmp_path / "outside.txt").write_text(OUTSIDE_LINES)
    (tmp_path / "outside.beancount").write_text(f'2025-10-02 * "{MARKER}"\n')
    folder = tmp_path / "portfolio"
    folder.mkdir()
    return folder


def collect(root: Path, paths: str | list[str]) -> SourceResult:
    return LedgerSource().collect(request(root, paths, LedgerOptions()))


def described(result: SourceResult) -> list[str]:
    return [error.describe() for error in result.errors]


def no_marker(result: SourceResult) -> None:
    """Nothing of the outside file is in any record or error."""
    assert MARKER not in repr(result)


@pytest.mark.parametrize(
    "written",
    [
        "{outside}/outside.txt",  # an absolute path, like /etc/passwd
        "../../outside.txt",  # relative, climbing out
        "../../outside.beancount",  # a beancount file, still outside
        "../../*.txt",  # a glob whose folder is outside
    ],
)
def test_an_include_outside_the_folder_is_refused_and_nothing_of_it_is_read(
    root: Path, written: str
) -> None:
    target = written.format(outside=root.parent)
    write(root, "ledgers/books.beancount", MAIN.format(include=f'include "{target}"'))
    result = collect(root, "ledgers/books.beancount")
    assert described(result) == [
        f'ledgers/books.beancount:2: include "{excerpt(target)}" {REFUSED_OUTSIDE}'
    ]
    assert result.errors[0].fatal
    assert not result.records
    no_marker(result)


def test_the_message_for_etc_passwd(root: Path) -> None:
    write(root, "books.beancount", 'include "/etc/passwd"\n' + YEAR)
    result = collect(root, "books.beancount")
    assert described(result) == [f'books.beancount:1: include "/etc/passwd" {REFUSED_OUTSIDE}']
    assert "root:" not in repr(result)


def test_a_symbolic_link_inside_that_points_outside_is_refused(root: Path) -> None:
    (root / "ledgers").mkdir()
    (root / "ledgers" / "2025.beancount").symlink_to(root.parent / "outside.beancount")
    write(root, "ledgers/books.beancount", MAIN.format(include='include "2025.beancount"'))
    result = collect(root, "ledgers/books.beancount")
    assert described(result) == [
        f'ledgers/books.beancount:2: include "2025.beancount" {REFUSED_OUTSIDE}'
    ]
    no_marker(result)


def test_a_nested_include_outside_is_refused_at_the_file_and_line_that_wrote_it(
    root: Path,
) -> None:
    write(root, "ledgers/books.beancount", MAIN.format(include='include "2025.beancount"'))
    write(root, "ledgers/2025.beancount", YEAR + 'include "../../outside.txt"\n')
    result = collect(root, "ledgers/books.beancount")
    assert described(result) == [
        f'ledgers/2025.beancount:5: include "../../outside.txt" {REFUSED_OUTSIDE}'
    ]
    no_marker(result)


def test_includes_inside_the_folder_are_read_and_cited_at_their_own_file_and_line(
    root: Path,
) -> None:
    write(root, "ledgers/books.beancount", MAIN.format(include='include "years/*.beancount"'))
    write(root, "ledgers/years/2025.beancount", YEAR)
    write(root, "ledgers/years/2026.bean", "")  # not matched by the glob's suffix
    result = collect(root, "ledgers/books.beancount")
    assert result.errors == ()
    (fuel,) = [r for r in result.records if isinstance(r, Transaction)]
    assert fuel.provenance.cite() == "ledgers/years/2025.beancount:2"
    assert str(fuel.amount.amount) == "300.00"


def test_a_ledger_included_by_another_configured_one_is_not_counted_twice(root: Path) -> None:
    write(root, "ledgers/books.beancount", MAIN.format(include='include "2025.beancount"'))
    write(root, "ledgers/2025.beancount", YEAR)
    result = collect(root, "ledgers/*.beancount")
    assert result.errors == ()
    assert len([r for r in result.records if isinstance(r, Transaction)]) == 1


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("../.env", "names a file that is not a .beancount or .bean file"),
        ("notes", "names a folder"),
    ],
)
def test_an_include_of_something_that_is_not_a_beancount_file_is_refused(
    root: Path, target: str, why: str
) -> None:
    write(root, ".env", f"STRIPE_KEY={MARKER}\n")
    (root / "ledgers" / "notes").mkdir(parents=True)
    write(root, "ledgers/books.beancount", MAIN.format(include=f'include "{target}"'))
    (message,) = described(collect(root, "ledgers/books.beancount"))
    assert message.startswith(f'ledgers/books.beancount:2: include "{target}" {why}, ')
    assert "so the included file was not read and this ledger was skipped" in message


def test_an_include_of_a_fifo_is_refused_without_opening_it(root: Path) -> None:
    write(root, "books.beancount", MAIN.format(include='include "pipe.beancount"'))
    os_mkfifo(root / "pipe.beancount")
    (message,) = described(collect(root, "books.beancount"))  # returns: the FIFO is not opened
    assert message.startswith(
        'books.beancount:2: include "pipe.beancount" names a named pipe (FIFO), not a regular file'
    )


def os_mkfifo(path: Path) -> None:
    import os

    os.mkfifo(path)


def test_an_include_that_matches_nothing_is_a_warning_and_the_rest_is_read(root: Path) -> None:
    write(root, "books.beancount", MAIN.format(include='include "2027.beancount"'))
    result = collect(root, "books.beancount")
    assert described(result) == [
        'books.beancount:2: include "2027.beancount" matches no file, so nothing was included '
        "(the rest of this ledger was read); fix the path (relative to this file's folder) or "
        "remove the line"
    ]
    assert not result.errors[0].fatal
    assert any(r for r in result.records)


def test_the_include_check_does_not_need_beancount(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "beancount", None)
    write(root, "books.beancount", 'include "/etc/passwd"\n')
    assert described(collect(root, "books.beancount")) == [
        f'books.beancount:1: include "/etc/passwd" {REFUSED_OUTSIDE}'
    ]


def test_a_plugin_that_is_not_beancounts_own_is_refused(root: Path) -> None:
    write(root, "myplugin.py", "raise SystemExit('a ledger plugin ran')\n")
    write(
        root,
        "books.beancount",
        'option "insert_pythonpath" "TRUE"\nplugin "myplugin"\n' + MAIN.format(include=""),
    )
    assert described(collect(root, "books.beancount")) == [
        'books.beancount:2: plugin "myplugin" would run Python code the ledger names; execbrief '
        "runs only beancount's own plugins (beancount.plugins.*), so this ledger was skipped; "
        "remove the plugin line, or run the plugin yourself and point the ledger source at its "
        "output"
    ]


def test_beancounts_own_plugins_still_run(root: Path) -> None:
    write(
        root,
        "books.beancount",
        'plugin "beancount.plugins.auto_accounts"\n2025-10-06 * "Shell" "Diesel"\n'
        "  Expenses:Fuel  300.00 USD\n  Assets:Checking\n",
    )
    result = collect(root, "books.beancount")
    assert result.errors == ()
    assert len([r for r in result.records if isinstance(r, Transaction)]) == 1


def test_an_include_written_across_lines_is_refused_unread(root: Path) -> None:
    write(root, "books.beancount", 'include "../\n../outside.txt"\n')
    (message,) = described(collect(root, "books.beancount"))
    assert "so the included file was not read and this ledger was skipped" in message


def test_a_beancount_warning_quotes_only_a_short_excerpt(root: Path) -> None:
    junk = "x" * 30 + "-" + "y" * 300
    write(root, "books.beancount", MAIN.format(include=junk))
    result = collect(root, "books.beancount")
    (warning,) = [e for e in result.errors if "Invalid token" in e.message]
    assert warning.provenance.cite() == "books.beancount:2"
    assert len(warning.message) <= 200
    assert "y" * 60 not in warning.message


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield from start_s3(monkeypatch)


def test_a_ledger_from_s3_may_not_include(tmp_path: Path, s3: Any) -> None:
    s3.create_bucket(Bucket="books")
    body = MAIN.format(include='include "/etc/passwd"')
    s3.put_object(Bucket="books", Key="acme/main.beancount", Body=body.encode())
    assert described(collect(tmp_path, "s3://books/acme/main.beancount")) == [
        's3://books/acme/main.beancount:2: include "/etc/passwd" is in a file read from S3, which '
        "cannot include other files, so the included file was not read and this ledger was "
        "skipped; list each file as its own path in portfolio.toml instead"
    ]


def test_many_includes_that_match_nothing_are_folded(root: Path) -> None:
    lines = "".join(f'include "missing-{n}.beancount"\n' for n in range(2000))
    write(root, "books.beancount", lines + MAIN.format(include=""))
    messages = described(collect(root, "books.beancount"))
    assert len(messages) == 6
    assert messages[-1] == (
        "books.beancount: 1995 more include lines match no file, so nothing was included from "
        "them (the rest of this ledger was read)"
    )
