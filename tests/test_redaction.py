"""Redaction: secrets a source let into its records are replaced and reported, clean ones kept."""

from __future__ import annotations

from execbrief.records.handoff import NoteSection
from execbrief.records.secrets import SecretFinding
from execbrief.secrets.redaction import Redactor, known_fingerprints, redact_result
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, SourceError, SourceResult

KEY = b"k" * 32
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
PASSWORD = "Tr0ub4dor" + "-Zq8!xKw2"


def section(text: str, line: int = 10) -> NoteSection:
    return NoteSection("harbor", Provenance("handoffs/harbor.md", line), "Access", text)


def test_rule_detection_is_redacted_and_reported_at_its_line() -> None:
    result = SourceResult(
        "harbor",
        "handoff",
        ("handoffs/harbor.md",),
        (section(f"## Access\nkeys below\nStripe: {STRIPE}\n"),),
    )
    redacted = redact_result(result, Redactor(Scanner(KEY)))
    note = redacted.records[0]
    assert isinstance(note, NoteSection)
    assert STRIPE not in note.text
    assert note.text.splitlines()[:2] == ["## Access", "keys below"]
    assert note.text.splitlines()[2].startswith("[redacted: Stripe")
    finding = redacted.records[1]
    assert isinstance(finding, SecretFinding)
    assert (finding.file, finding.line, finding.live) == ("handoffs/harbor.md", 12, True)
    assert STRIPE not in repr(redacted)


def test_known_fingerprint_catches_a_value_no_rule_knows() -> None:
    scanner = Scanner(KEY)
    env = SecretFinding(
        "harbor",
        Provenance("repos.env", 3),
        "password",
        "repos.env",
        3,
        None,
        18,
        None,
        scanner.fingerprint(PASSWORD),
        "assign",
    )
    note = section(f"Admin password: {PASSWORD}")
    results = [
        SourceResult("harbor", "env", ("repos.env",), (env,)),
        SourceResult("harbor", "handoff", ("h.md",), (note,)),
    ]
    redactor = Redactor(scanner, known_fingerprints(results))
    assert redactor.known == {env.fingerprint}
    cleaned = redact_result(results[1], redactor)
    assert PASSWORD not in repr(cleaned)
    assert redact_result(results[0], redactor) is results[0]  # fingerprint-only records untouched


def test_clean_result_is_returned_unchanged_and_errors_are_redacted() -> None:
    clean = SourceResult("harbor", "handoff", ("h.md",), (section("Cash on hand: $12,400"),))
    redactor = Redactor(Scanner(KEY))
    assert redact_result(clean, redactor) is clean
    error = SourceError(
        "harbor", "ledger", Provenance("l.csv", 4), f"cannot read amount 'token={STRIPE}'"
    )
    bad = SourceResult("harbor", "ledger", ("l.csv",), errors=(error,))
    assert STRIPE not in redact_result(bad, redactor).errors[0].message
