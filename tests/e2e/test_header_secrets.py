"""Secrets written as CSV header names never reach an output or the store (issue 17 audit, item
5): the column mapping's "ignored:" list passes the same redaction as every other text.

Fresh random values each run, in the header of a ledger in execbrief's own CSV shape
(docs/formats.md, *Ledger*: date, account, amount, memo), as the audit's case ledgers/k2.csv
wrote them. ``check``, ``collect``, ``collect --json`` and ``send`` run as subprocesses; their output and
every byte under the portfolio (the SQLite store's snapshots and source_cache blobs
decompressed) are searched for each value.
"""

from __future__ import annotations

import secrets
import string
import subprocess
import sys
from pathlib import Path

from kits.outputs import every_byte_written

ALNUM = string.ascii_letters + string.digits


def _random(length: int) -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(length))


def test_secrets_in_csv_header_names_reach_no_output_and_no_store_row(tmp_path: Path) -> None:
    planted = {
        "stripe": "sk_live_" + _random(24),
        "github": "ghp_" + _random(36),
        "slack": f"xoxb-{secrets.randbelow(10**12):012d}-{secrets.randbelow(10**13):013d}-"
        + _random(24),
        "password": _random(15),
    }
    headers = [planted["stripe"], planted["github"], planted["slack"]]
    headers.append("password=" + planted["password"])
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers" / "k2.csv").write_text(
        "date,account,amount,memo," + ",".join(headers) + "\n"
        "2026-01-01,Assets:Checking,100.00,Opening balance,a,b,c,d\n"
        "2026-10-01,Income:Sales,50.00,Sale,a,b,c,d\n",
        encoding="utf-8",
    )
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "Audit Holdings"\ncurrency = "USD"\nas_of = 2026-11-20\n\n'
        '[delivery]\ntransport = "outbox"\nsender = "reports@audit.example"\n'
        'operator = "ops@audit.example"\noutbox = "outbox"\n\n'
        '[reports.cfo]\nto = ["cfo@audit.example"]\n\n'
        '[[entities]]\nid = "kite"\nname = "Kite Shack"\nkind = "other"\n'
        'ledger = "ledgers/k2.csv"\n',
        encoding="utf-8",
    )
    printed: list[str] = []
    for command in (["check"], ["collect"], ["collect", "--json"], ["send"]):
        done = subprocess.run(
            [sys.executable, "-m", "execbrief", *command, "-c", "portfolio.toml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        printed.extend([done.stdout, done.stderr])
        assert "Traceback" not in done.stderr, done.stderr
    # the mapping is still shown, its secret headers as markers
    assert "ignored: [redacted: Stripe secret key (live)" in printed[2]
    written = every_byte_written(tmp_path, {"ledgers", "portfolio.toml"})
    assert any(":source_cache" in name for name, _ in written), "the store keeps the result"
    assert any(":snapshots" in name for name, _ in written), "the store keeps the snapshot"
    leaks = {
        shape: [name for name, data in written if value.encode() in data]
        + [f"output #{n}" for n, text in enumerate(printed) if value in text]
        for shape, value in planted.items()
    }
    assert not any(leaks.values()), leaks
