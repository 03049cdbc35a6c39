"""Every shape of secret a person writes is redacted before anything keeps it (issue 17, item 5).

Fresh random values each run are planted in the shapes the fault run found kept: label-style
passwords in a note's prose, lists and tables; credentials in URLs in notes and code; whole
private-key blocks in and out of a code fence; secrets in a site's link and form query strings; a
code file named like a key; an entity name holding one. Then every command runs, and every byte
written (collect's JSON, each build format, the outbox, history, the archive, every cell of every
table of the SQLite store read directly) and every line printed is searched for each value.
No value is in a .env file, so nothing can be caught by its known fingerprint: each shape must be
recognised as itself.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
import string
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from execbrief.examples import copy_example
from kits.outputs import every_byte_written

ALNUM = string.ascii_letters + string.digits


def password(length: int = 14) -> str:
    """A human-chosen-looking password: letters, digits and a symbol, random each run."""
    body = "".join(secrets.choice(ALNUM) for _ in range(length))
    return body[:4] + secrets.choice("!#%+") + body[4:] + str(secrets.randbelow(10))


def token(length: int = 32) -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(length))


def key_body() -> list[str]:
    """A private key's base64 body, in 64-character lines."""
    blob = base64.b64encode(secrets.token_bytes(600)).decode()
    return textwrap.wrap(blob, 64)


def plant(root: Path) -> dict[str, str]:
    """Plant each shape; return the planted values by a name for the shape."""
    planted = {
        "note: 'Admin password:' line": password(),
        "note: 'pw:' in a list": password(),
        "note: 'Password =' line": password(),
        "note: password in prose": password(),
        "note: bold label": password(),
        "note: two-column table row": password(),
        "note: Value table row": password(),
        "note: postgres URL": password(),
        "note: https user:token URL": token(),
        "code: postgres URL": password(),
        "code: https user:token URL": token(),
        "site: link ?api_key=": token(),
        "site: form &token=": token(),
        "code file name": "sk_live_" + token(24),
        "code: password in the file so named": password(),
        "entity name": "sk_live_" + token(24),
    }
    fenced, bare = key_body(), key_body()
    for number, line in enumerate(fenced):
        planted[f"note: fenced private key line {number}"] = line
    for number, line in enumerate(bare):
        planted[f"note: bare private key line {number}"] = line
    p = planted
    note = root / "handoffs" / "harbor-charters.md"
    fence = "\n".join(["```text", "-----BEGIN RSA PRIVATE KEY-----", *fenced])
    fence += "\n-----END RSA PRIVATE KEY-----\n```"
    key = "\n".join(["-----BEGIN OPENSSH PRIVATE KEY-----", *bare])
    key += "\n-----END OPENSSH PRIVATE KEY-----"
    note.write_text(
        note.read_text()
        + f"""
## Access

Admin password: {p["note: 'Admin password:' line"]}

- Wi-Fi pw: {p["note: 'pw:' in a list"]}
- Password = {p["note: 'Password =' line"]}

The admin password is {p["note: password in prose"]} until the migration is done.

**Router password:** {p["note: bold label"]}

| System | Password |
|---|---|
| Admin password | {p["note: two-column table row"]} |

| Item | Value | Owner |
| --- | --- | --- |
| Staff pw | {p["note: Value table row"]} | Dana |

Database: postgres://admin:{p["note: postgres URL"]}@db.harborcharters.internal/charters
Deploy hook: https://deploy:{p["note: https user:token URL"]}@hooks.harbortools.io/v2/run

The server's key, pasted for the handover:

{fence}

and the backup box's:

{key}
"""
    )
    backend = root / "code" / "harbor-charters" / "backend"
    (backend / "db.js").write_text(
        f'const DATABASE = "postgres://admin:{p["code: postgres URL"]}@db.harborcharters.internal/app";\n'
        f'fetch("https://ci:{p["code: https user:token URL"]}@hooks.harbortools.io/deploy");\n'
    )
    # the file holds a secret too, so the CTO report cites it by its (redacted) name
    (backend / f"{p['code file name']}.js").write_text(
        f'const password = "{p["code: password in the file so named"]}";\n'
    )
    site = root / "sites" / "harbor-charters" / "contact.html"
    site.write_text(
        site.read_text().replace(
            "</body>",
            f'<p><a href="https://widgets.bookingpartner.io/embed?api_key={p["site: link ?api_key="]}'
            '&ref=harbor">Book online</a></p>\n'
            f'<form action="/subscribe?list=7&token={p["site: form &token="]}" method="post">'
            '<input name="email" type="email"><button>Join</button></form>\n</body>',
        )
    )
    config = root / "portfolio.toml"
    config.write_text(
        config.read_text().replace(
            'name = "Harbor Charters"', f'name = "Harbor Charters {p["entity name"]}"', 1
        )
    )
    return planted


def run(args: list[str], cwd: Path, printed: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    printed.extend([done.stdout, done.stderr])
    return done


def pieces(value: str) -> set[str]:
    """The value and each 12-character piece of it (a truncated or wrapped leak)."""
    return {value} | {value[i : i + 12] for i in range(0, len(value) - 11, 4)}


def store_cells(db: Path) -> list[tuple[str, bytes]]:
    """Every cell of every table, read straight from the SQLite file (whatever kits miss)."""
    cells = []
    with sqlite3.connect(db) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        for table in tables:
            if not connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone():
                continue
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                cells.extend((table, str(cell).encode()) for cell in row if cell is not None)
    return cells


@pytest.mark.slow
def test_no_shape_of_secret_reaches_any_output(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "harbor")
    planted = plant(root)
    printed: list[str] = []
    config = str(root / "portfolio.toml")
    as_of = ["--as-of", "2026-11-20"]
    collected = run(["collect", "-c", config, *as_of, "--json"], root, printed)
    assert collected.returncode in (0, 1), collected.stderr
    (root / "collected.json").write_text(collected.stdout)
    for fmt in ("text", "markdown", "json", "html"):
        out = root / "built" / fmt
        built = run(
            ["build", "-c", config, *as_of, "--format", fmt, "--out", str(out)], root, printed
        )
        assert built.returncode in (0, 1), built.stderr
        assert list(out.iterdir()), f"no {fmt} report was written"
    sent = run(["send", "-c", config, *as_of, "--json"], root, printed)
    assert sent.returncode in (0, 1), sent.stderr
    history = run(["history", "-c", config, "--period", "2026-10", "--json"], root, printed)
    assert history.returncode == 0, history.stderr
    archive = run(["archive", "-c", config, "--out", str(root / "site")], root, printed)
    assert archive.returncode == 0, archive.stderr

    written = every_byte_written(root, {"handoffs", "code", "sites", "repos.env", "portfolio.toml"})
    stores = sorted(root.rglob("*.db"))
    assert stores, "send made a store"
    written += [(f"{db.name}:{table}", cell) for db in stores for table, cell in store_cells(db)]
    assert any(name.startswith("outbox") for name, _ in written), "the outbox holds messages"
    assert any(name.startswith("site") for name, _ in written), "the archive was written"
    leaks: dict[str, list[str]] = {}
    for shape, value in planted.items():
        places = [name for name, data in written if any(p.encode() in data for p in pieces(value))]
        places += [
            f"output #{n}"
            for n, text in enumerate(printed)
            if any(p in text for p in pieces(value))
        ]
        if places:
            leaks[shape] = sorted(set(places))
    assert not leaks, leaks  # each shape, and where it leaked

    # redacted, not lost: the secrets are CTO findings, the entity and the file are still named
    cto = (root / "built" / "text" / "cto.txt").read_text()
    assert "harbor-charters.md:" in cto
    assert "Harbor Charters [redacted" in cto
    assert "backend/[redacted" in cto
