"""A secret that only a ``[shared]`` env holds is redacted wherever an entity's own source repeats
it (audit26 F1: a database password from the shared ``repos.env`` stood in clear in a bank memo,
in ``collect --json``, the store's snapshot and its source cache). Serial and parallel, first
run and cached run alike."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

CONFIG = """[portfolio]
name = "Shared Secrets"
as_of = 2026-11-30

[shared]
env = "repos.env"

[[entities]]
id = "acme"
name = "Acme"
kind = "other"
ledger = "ledger.csv"

[[entities]]
id = "pier"
name = "Pier"
kind = "other"
ledger = "pier.csv"
"""


def _portfolio(base: Path, password: str, url_password: str) -> Path:
    (base / "repos.env").write_text(
        f"DB_PASSWORD={password}\nDATABASE_URL=postgres://app:{url_password}@db.internal:5432/app\n",
        encoding="utf-8",
    )
    (base / "ledger.csv").write_text(
        "date,account,amount,memo\n"
        "2026-10-01,Assets:Checking,1000.00,Opening balance\n"
        f"2026-10-09,Expenses:Misc,45.00,ATM REF {password}\n"
        f"2026-11-02,Income:Sales,300.00,ZELLE FROM A STANHOPE REF {url_password}\n",
        encoding="utf-8",
    )
    (base / "pier.csv").write_text(
        "date,account,amount,memo\n2026-10-03,Income:Sales,120.00,Coffee\n", encoding="utf-8"
    )
    (base / "portfolio.toml").write_text(CONFIG, encoding="utf-8")
    return base / "portfolio.toml"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "execbrief", *args], capture_output=True, text=True, check=False
    )


def _store_holds(store: Path, value: bytes) -> bool:
    """Whether any cell of the store holds ``value``, as it is or zlib-compressed."""
    with sqlite3.connect(store) as db:
        tables = [
            name for (name,) in db.execute("select name from sqlite_master where type='table'")
        ]
        for table in tables:
            for row in db.execute(f"select * from {table}"):  # the names are the store's own
                for cell in row:
                    data = cell if isinstance(cell, bytes) else str(cell).encode()
                    if value in data:
                        return True
                    try:
                        if value in zlib.decompress(data):
                            return True
                    except zlib.error:
                        pass
    return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_shared_env_secret_is_redacted_in_every_entity_source(tmp_path: Path, jobs: str) -> None:
    password, url_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    config = _portfolio(tmp_path, password, url_password)
    for _run_number in range(2):  # the second run reads the kept results
        done = _run("collect", "-c", str(config), "--json", "--jobs", jobs)
        assert done.returncode in (0, 1), done.stderr
        assert '"kind": "env"' in done.stdout  # the shared env was read
        for value in (password, url_password):
            assert value not in done.stdout and value not in done.stderr
        assert done.stdout.count("[redacted:") >= 2
    store = next(tmp_path.glob(".execbrief/*.db"))
    for value in (password, url_password):
        assert not _store_holds(store, value.encode())
