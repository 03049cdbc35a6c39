"""A big result redacted on two processes (``secrets.halves``) is the one a single pass gives: the
same records (the very objects where nothing changed), findings in the same order, the same token
index; a child that dies leaves its half to this process."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from execbrief.collecting import Job, collect_parallel
from execbrief.config import load_config
from execbrief.pipeline import collect
from execbrief.plugins import get_registry
from execbrief.records.ledger import AccountType, Transaction
from execbrief.records.secrets import SecretFinding
from execbrief.secrets import halves, redaction
from execbrief.secrets.halves import EarlyRedaction, redact_in_halves
from execbrief.secrets.redaction import Redactor, redact_result
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, Record, SourceResult
from execbrief.sources import files, ledger
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


def harbor_portfolio(tmp_path: Path, memos: dict[int, str], count: int, env: str = "") -> Path:
    """A one-entity portfolio whose ledger has ``count`` deposit lines, line ``n``'s memo
    ``memos[n]`` where given; with ``env``, a .env file the entity lists too."""
    lines = ["date,account,amount,memo,counterparty,reference"]
    for n in range(count):
        memo = memos.get(n, "Charter deposit")
        lines.append(f"2026-04-{n % 28 + 1:02d},Income:Charters,250.00,{memo},Stripe,BK-{n:05d}")
    (tmp_path / "harbor.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    listed = ""
    if env:
        (tmp_path / "app.env").write_text(env, encoding="utf-8")
        listed = 'env = ["app.env"]\n'
    config = tmp_path / "portfolio.toml"
    config.write_text(
        '[portfolio]\nname = "P"\ncurrency = "USD"\n\n'
        '[[entities]]\nid = "harbor"\nname = "Harbor"\nkind = "charter"\n'
        'ledger = "harbor.csv"\n' + listed,
        encoding="utf-8",
    )
    return config


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

    monkeypatch.setattr(halves, "_redact_part", dies)
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
    path = harbor_portfolio(tmp_path, {333: f"Refund via {stripe}"}, 400)
    registry = get_registry()
    config = load_config(path, registry.option_models())
    job = Job(config, registry, date(2026, 4, 30), KEY)
    second_half = halves._redact_part

    def noted(*given: object) -> None:  # in the child: leaves its pid where the test looks
        (tmp_path / f"child-{os.getpid()}").touch()
        second_half(*given)  # type: ignore[arg-type]

    monkeypatch.setattr(halves, "_redact_part", noted)
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


@pytest.fixture
def small_early(small_halves: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Children for offers of a few dozen records."""
    monkeypatch.setattr(halves, "EARLY_RECORDS", 40)


def offered(early: EarlyRedaction, records: tuple[Record, ...], step: int) -> None:
    """Offer ``records`` as a reader appending them does, every ``step`` records, waiting for each
    child (a reader reads on: here the children are made to keep up, so that each offer forks)."""
    made: list[Record] = []
    for at in range(0, len(records), step):
        made.extend(records[at : at + step])
        early.offer(made)
        for child in early._children:
            child.process.join(30)


@pytest.mark.parametrize("offered_count", [250, 120])  # the rest after them: alone, in halves
def test_records_redacted_as_they_are_read_are_what_one_pass_gives(
    small_early: None, offered_count: int
) -> None:
    stripe = "sk_live_" + secrets.token_hex(12)
    planted = {3: f"Refund via {stripe}", 90: f"Admin password: {secrets.token_urlsafe(12)}"}
    planted[280] = f"Refund via {stripe}"  # in the records no child took
    result = ledger_result(300, planted)
    one_index: set[str] = set()
    one = redact_result(result, Redactor(Scanner(KEY), index=one_index))
    early = EarlyRedaction(Redactor(Scanner(KEY), index=set()))
    offered(early, result.records[:offered_count], 50)
    assert len(early._children) >= 2
    redacted = early.redacted(result)
    assert redacted == one and early.redactor.index == one_index
    assert [f.line for f in redacted.records if isinstance(f, SecretFinding)] == [3, 90, 280]
    kept = [a is b for a, b in zip(redacted.records, result.records, strict=False)]
    assert kept.count(False) == len(planted)


def test_a_result_that_is_not_the_offered_records_is_redacted_whole(small_early: None) -> None:
    stripe = "sk_live_" + secrets.token_hex(12)
    result = ledger_result(300, {10: f"Refund via {stripe}"})
    early = EarlyRedaction(Redactor(Scanner(KEY), index=set()))
    offered(early, result.records[:200], 50)
    # the reader made its records anew after the offers (a double-entry file is settled so)
    remade = replace(result, records=tuple(replace(r, cash=False) for r in result.records))
    assert early._children
    assert early.redacted(remade) == redact_result(remade, Redactor(Scanner(KEY)))


def test_an_early_child_that_dies_leaves_its_records_here(
    small_early: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies(*_: object) -> None:
        os._exit(9)

    monkeypatch.setattr(halves, "_redact_part", dies)
    stripe = "sk_live_" + secrets.token_hex(12)
    result = ledger_result(300, {20: f"Refund via {stripe}", 120: f"Refund via {stripe}"})
    early = EarlyRedaction(Redactor(Scanner(KEY), index=set()))
    offered(early, result.records, 50)
    assert early.redacted(result) == redact_result(result, Redactor(Scanner(KEY)))


def test_a_ledger_read_under_jobs_is_redacted_as_it_is_read_and_matches_jobs_1(
    small_early: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "OFFER_LINES", 30)
    monkeypatch.setattr(ledger, "OFFER_LINES", 30)
    stripe = "sk_live_" + secrets.token_hex(12)
    path = harbor_portfolio(tmp_path, dict.fromkeys((40, 333, 590), f"Refund via {stripe}"), 600)
    registry = get_registry()
    config = load_config(path, registry.option_models())
    job = Job(config, registry, date(2026, 4, 30), KEY)
    parts: list[int] = []
    redact_part = halves._redact_part

    def noted(part: Sequence[Record], *given: Any) -> None:
        (tmp_path / f"part-{os.getpid()}-{len(part)}").touch()
        redact_part(part, *given)

    monkeypatch.setattr(halves, "_redact_part", noted)
    serial = collect_parallel(job, 1)
    assert not list(tmp_path.glob("part-*"))
    split = collect_parallel(job, 2)
    parts = [int(p.name.rsplit("-", 1)[1]) for p in tmp_path.glob("part-*")]
    assert len(parts) >= 2 and sum(parts) <= 600
    assert [(i, k, r.result, r.tokens) for i, k, r in split] == [
        (i, k, r.result, r.tokens) for i, k, r in serial
    ]
    assert stripe not in repr(split)


def test_a_late_redaction_of_a_big_ledger_starts_from_it_as_read_on_both_processes(
    small_early: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entity's .env holds a password its ledger's memos repeat: the ledger, redacted
    against no secret of its own as it was read, is redacted again against the run's (in halves
    under ``--jobs 2``) from the result as read, not read a second time; ``--jobs 1`` gives the
    same snapshot."""
    monkeypatch.setattr(files, "OFFER_LINES", 30)
    monkeypatch.setattr(ledger, "OFFER_LINES", 30)
    password = "Qv7mWz2xLp9rTk4n"
    memos = dict.fromkeys((30, 350), f"paid with {password} by mistake")
    path = harbor_portfolio(tmp_path, memos, 400, f"DATABASE_PASSWORD={password}\n")
    registry = get_registry()
    reads: list[str] = []
    real = registry.sources["ledger"].collect
    monkeypatch.setattr(
        registry.sources["ledger"], "collect", lambda request: reads.append("") or real(request)
    )
    config = load_config(path, registry.option_models())
    texts = []
    for jobs in (1, 2):
        reads.clear()
        snapshot = collect(config, registry, date(2026, 4, 30), key=KEY, jobs=jobs)
        assert len(reads) == 1
        texts.append(json.dumps(snapshot.to_dict(), sort_keys=True))
    assert texts[0] == texts[1]
    assert password not in texts[0] and texts[0].count("known-fingerprint") == 2
