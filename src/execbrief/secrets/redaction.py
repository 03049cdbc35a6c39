"""The last line of "secrets are never held": redact any secret a source let into its records.

Sources that look for secrets (``env``, ``code``) keep only fingerprints. Every other source reads
free text — a note's ``Stripe key: sk_live_...`` line, a ledger memo, a bad cell quoted in an
error — and could carry a secret into the snapshot, and from there into reports, JSON exports and
the store. ``redact_result`` scans every text field of every record and error with the secret
scanner, and checks each of its tokens against the fingerprints of every secret the run's sources
found (a password in ``.env`` is then caught when a note repeats it, whatever its shape). A field
that holds one is replaced, line by line, by a marker naming its kind and fingerprint; each
redaction becomes a ``SecretFinding`` so the CTO report can flag the secret where it was written.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.secrets.guard import MIN_TOKEN, candidate_tokens
from execbrief.secrets.scanner import Detection, Scanner
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult

#: No secret the scanner or the guard recognises is shorter than this.
MIN_SECRET = MIN_TOKEN

#: Records that already hold fingerprints only.
_SAFE = (SecretFinding, EnvKey)


def marker(detection: Detection) -> str:
    """What replaces a secret: ``[redacted: Stripe secret key (live), fingerprint ab12cd34]``."""
    return f"[redacted: {detection.label}, fingerprint {detection.fingerprint[:8]}]"


class Redactor:
    """A scanner plus the fingerprints of the secrets the run has already seen.

    Strings found clean are remembered: account names, channels and statuses repeat on every row,
    and scanning each distinct string once keeps redaction a small share of collect's cost.
    """

    def __init__(self, scanner: Scanner, known: frozenset[str] = frozenset()) -> None:
        self.scanner = scanner
        self.known = known
        self._clean: set[str] = set()

    def scan(self, text: str, where: Provenance) -> list[Detection]:
        """Secrets in ``text``: by the scanner's rules, or by a token whose fingerprint is known."""
        if len(text) < MIN_SECRET or text in self._clean:
            return []
        hits = [
            d
            for d in self.scanner.scan_text(text, where.source, unquoted=True)
            if d.allowlisted is None
        ]
        if self.known:
            flagged = {hit.line for hit in hits}
            for number, line in enumerate(text.split("\n"), 1):
                if number in flagged:
                    continue
                for token in candidate_tokens(line):
                    fingerprint = self.scanner.fingerprint(token)
                    if fingerprint in self.known:
                        hits.append(
                            Detection(
                                kind="known_secret",
                                file=where.source,
                                line=number,
                                live=None,
                                length=len(token),
                                prefix_class=None,
                                fingerprint=fingerprint,
                                detector="known-fingerprint",
                            )
                        )
                        break
        if not hits:
            self._clean.add(text)
        return hits


def _clean(value: Any, redactor: Redactor, where: Provenance, found: list[Detection]) -> Any:
    if isinstance(value, str):
        hits = redactor.scan(value, where)
        if not hits:
            return value
        found.extend(hits)
        by_line = {hit.line: hit for hit in hits}
        lines = value.split("\n")
        return "\n".join(
            marker(by_line[n]) if n in by_line else line for n, line in enumerate(lines, 1)
        )
    if isinstance(value, tuple):
        cleaned = tuple(_clean(item, redactor, where, found) for item in value)
        return value if cleaned == value else cleaned
    if isinstance(value, dict):
        cleaned_dict = {k: _clean(v, redactor, where, found) for k, v in value.items()}
        return value if cleaned_dict == value else cleaned_dict
    return value


def _redact(item: Any, redactor: Redactor, where: Provenance, found: list[Detection]) -> Any:
    changes = {}
    for field in dataclasses.fields(item):
        if field.name in ("provenance", "entity"):
            continue
        value = getattr(item, field.name)
        cleaned = _clean(value, redactor, where, found)
        if cleaned is not value:
            changes[field.name] = cleaned
    return dataclasses.replace(item, **changes) if changes else item


def known_fingerprints(results: list[SourceResult]) -> frozenset[str]:
    """The fingerprints of the secrets found by the sources that look for them."""
    return frozenset(
        record.fingerprint
        for result in results
        for record in result.records
        if isinstance(record, _SAFE) and record.fingerprint
    )


def redact_result(result: SourceResult, redactor: Redactor) -> SourceResult:
    """The result with every secret in a record or error replaced, plus a SecretFinding for each."""
    records: list[Record] = []
    findings: list[SecretFinding] = []
    changed = False
    for record in result.records:
        if isinstance(record, _SAFE):
            records.append(record)
            continue
        found: list[Detection] = []
        cleaned = _redact(record, redactor, record.provenance, found)
        records.append(cleaned)
        if found:
            changed = True
            line_base = (record.provenance.line or 1) - 1
            for detection in found:
                line = line_base + detection.line
                place = record.provenance.at_line(line)
                findings.append(
                    dataclasses.replace(
                        detection, file=record.provenance.source, line=line
                    ).to_record(record.entity, place)
                )
    errors: list[SourceError] = []
    for error in result.errors:
        found = []
        errors.append(_redact(error, redactor, error.provenance, found))
        changed = changed or bool(found)
    if not changed:
        return result
    unique = {(f.fingerprint, f.file, f.line): f for f in findings}
    return dataclasses.replace(result, records=(*records, *unique.values()), errors=tuple(errors))
