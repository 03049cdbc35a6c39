"""A big result redacted on two processes (``secrets.halves``) is the one a single pass gives: the
same records (the very objects where nothing changed), findings in the same order, the same token
index; a child that dies leaves its half to this process."""

from __future__ import annotations

import os
import secrets
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.collecting import Job, collect_parallel
from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.records.ledger import AccountType, Transaction
from execbrief.records.secrets import SecretFinding
from execbrief.secrets import halves, redaction
from execbrief.secrets.halves import redact_in_halves
from execbrief.secrets.redaction import Redactor, redact_result
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, SourceResult
from execbrief.values import Money

KEY = b"h" * 32


def ledger_result(count: int, planted: dict[int, str]) -> SourceResult:
    """A ledger's ``count`` transactions with unique references; ``planted``: line -> memo."""
    base = Provenance("ledgers/harbor.csv")
    records = tuple(
        Transaction(
            "harbor",
            base.at_line(line),
            date(2026, 4, 1),
            "Income:Charters",
            AccountType.INCOME,
            "Charters",
            Money(Decimal("250.00"), "USD"),
            planted.get(line, "Deposit, charter on 2026-09-08"),
            "Stripe",
            f"BK-{line:05d}-2026-04",
        )
        for line in range(2, count + 2)
    )
    return SourceResult("harbor", "ledger", ("ledgers/harbor.csv",), records)


@pytest.fixture
def small_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Halves for a result of a few hundred records, prescanned in batches that the halves cut."""
    monkeypatch.setattr(halves, "SPLIT_RECORDS", 64)
    monkeypatch.setattr(redaction, "PRESCAN_RECORDS", 37)


def test_halves_give_what_one_pass_gives(small_halves: None) -> None:
    stripe = "sk_live_" + secrets.token_hex(12)
    password = secrets.token_urlsafe(12)
    scanner = Scanner(KEY)
    known = frozenset({scanner.fingerprint(password)})
    planted = {
        5: f"Refund via {stripe}",  # a rule's find, in the first half
        150: f"paid with {password} by mistake",  # a known value, in the second half
        151: f"Refund via {stripe}",  # the same secret again, second half
        299: f"Admin password: {password}",  # a label, the last record
    }
    result = ledger_result(300, planted)
    one_index: set[str] = set()
    one = redact_result(result, Redactor(scanner, known, index=one_index))
    two_index: set[str] = set()
    two = redact_in_halves(result, Redactor(scanner, known, index=two_index))
    assert two == one
    assert two_index == one_index and len(one_index) > 300
    kept = [a is b for a, b in zip(two.records, result.records, strict=False)]
    assert kept.count(False) == len(planted)  # the other records are the very objects
    findings = [r for r in two.records if isinstance(r, SecretFinding)]
    assert [f.line for f in findings] == [5, 150, 151, 299]
    assert stripe not in repr(two) and password not in repr(two)


def test_a_clean_big_result_is_returned_as_it_is(small_halves: None) -> None:
    result = ledger_result(200, {})
    assert redact_in_halves(result, Redactor(Scanner(KEY), index=set())) is result


def test_the_halves_report_progress_up_to_the_whole(
    small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redaction, "REPORT_RECORDS", 50)
    heard: list[tuple[int, int]] = []
    redact_in_halves(ledger_result(300, {}), Redactor(Scanner(KEY)), lambda *r: heard.append(r))
    assert heard[0] == (0, 300) and heard[-1] == (300, 300)
    assert all(total == 300 for _, total in heard) and heard == sorted(heard)


def test_a_child_that_dies_leaves_its_half_here(
    small_halves: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies(*_: object) -> None:
        os._exit(9)

    monkeypatch.setattr(halves, "_second_half", dies)
    stripe = "sk_live_" + secrets.token_hex(12)
    result = ledger_result(200, {180: f"Refund via {stripe}"})
    index: set[str] = set()
    redacted = redact_in_halves(result, Redactor(Scanner(KEY), index=index))
    assert redacted == redact_result(result, Redactor(Scanner(KEY)))
    assert stripe not in repr(redacted) and len(index) > 200


def test_a_serial_collect_under_jobs_splits_and_matches_jobs_1(
    small_halves: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One entity is read on this process; with ``--jobs 2`` its big ledger's redaction forks,
    and the records and token index are those of ``--jobs 1``."""
    stripe = "sk_live_" + secrets.token_hex(12)
    lines = ["date,account,amount,memo,counterparty,reference"]
    for n in range(400):
        memo = f"Refund via {stripe}" if n == 333 else "Charter deposit"
        lines.append(f"2026-04-{n % 28 + 1:02d},Income:Charters,250.00,{memo},Stripe,BK-{n:05d}")
    (tmp_path / "harbor.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "P"\ncurrency = "USD"\n\n'
        '[[entities]]\nid = "harbor"\nname = "Harbor"\nkind = "charter"\n'
        'ledger = "harbor.csv"\n',
        encoding="utf-8",
    )
    registry = get_registry()
    config = load_config(tmp_path / "portfolio.toml", registry.option_models())
    job = Job(config, registry, date(2026, 4, 30), KEY)
    second_half = halves._second_half

    def noted(*given: object) -> None:  # in the child: leaves its pid where the test looks
        (tmp_path / f"child-{os.getpid()}").touch()
        second_half(*given)  # type: ignore[arg-type]

    monkeypatch.setattr(halves, "_second_half", noted)
    serial = collect_parallel(job, 1)
    assert not list(tmp_path.glob("child-*"))
    split = collect_parallel(job, 2)
    children = list(tmp_path.glob("child-*"))
    assert len(children) == 1 and children[0].name != f"child-{os.getpid()}"
    assert [(i, k, r.result, r.tokens) for i, k, r in split] == [
        (i, k, r.result, r.tokens) for i, k, r in serial
    ]
    assert stripe not in repr(split)
    assert any(isinstance(r, SecretFinding) for _, _, read in split for r in read.result.records)
