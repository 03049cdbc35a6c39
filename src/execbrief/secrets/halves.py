"""One big result redacted on two processes: a forked child redacts the second half of its records
while this process redacts the first.

A 50 MB ledger is one source, read on one process (``collecting._one_dominates``), and redacting
its 700,000 records costs about as much as reading them. What one record becomes depends only on
that record and the redactor's known secrets (``redact_records``), so the halves give the same
records, findings and token index as one pass; only the redactors' memories of clean texts differ,
and they decide nothing. The child sends back only what changed: the records it redacted, their
findings and the fingerprints of its texts' tokens.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from execbrief.forking import may_fork
from execbrief.secrets.redaction import (
    RedactedRecords,
    Redactor,
    redact_records,
    redact_result,
    redacted_result,
)
from execbrief.snapshot import Record, SourceResult

#: A result with fewer records is redacted in one pass: forking costs more than half of it.
SPLIT_RECORDS = 1 << 17

#: What the child sends: (offset in its half, redacted record) for each record that changed, the
#: half's findings, whether a record changed, and the fingerprints its texts' tokens joined to the
#: redactor's index (None without an index).
Sent = tuple[list[tuple[int, Record]], list[Any], bool, set[str] | None]


def redact_in_halves(
    result: SourceResult, redactor: Redactor, report: Callable[[int, int], None] | None = None
) -> SourceResult:
    """``redact_result``, the second half of a big result's records on a forked child (where the
    system forks and this process is no pool's worker); the same result as one pass."""
    records = result.records
    if len(records) < SPLIT_RECORDS or not may_fork():
        return redact_result(result, redactor, report)
    middle = len(records) // 2
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_second_half, args=(records, middle, redactor, writer), name="execbrief-redact"
    )
    child.start()
    writer.close()
    try:
        first = redact_records(records[:middle], redactor, _doubled(report, len(records)))
        second = _received(reader, records, middle, redactor)
    except BaseException:
        child.terminate()  # interrupted: the child's half is of no use
        raise
    finally:
        reader.close()
        child.join()
    if report is not None:
        report(len(records), len(records))
    whole = RedactedRecords(
        first.records + second.records,
        first.findings + second.findings,
        first.changed or second.changed,
    )
    return redacted_result(result, redactor, whole)


def _doubled(
    report: Callable[[int, int], None] | None, total: int
) -> Callable[[int, int], None] | None:
    """The first half's progress told as the whole's (the halves keep pace)."""
    if report is None:
        return None
    return lambda done, _half: report(min(2 * done, total), total)


def _second_half(
    records: Sequence[Record], middle: int, redactor: Redactor, writer: Connection
) -> None:
    """In the child: redact ``records[middle:]`` and send what changed (``Sent``)."""
    gc.freeze()  # the parent's objects: no collection here walks (and so copies) them
    half = records[middle:]
    redacted = redact_records(half, redactor)
    changes = [
        (at, record)
        for at, (record, given) in enumerate(zip(redacted.records, half, strict=True))
        if record is not given
    ]
    sent: Sent = (changes, redacted.findings, redacted.changed, redactor.index)
    writer.send(sent)
    writer.close()


def _received(
    reader: Connection, records: Sequence[Record], middle: int, redactor: Redactor
) -> RedactedRecords:
    """The child's half as ``redact_records`` gives it; redacted here if the child died."""
    try:
        changes, findings, changed, seen = reader.recv()
    except EOFError:  # the child died before sending (killed, out of memory): its half here
        return redact_records(records[middle:], redactor)
    half = list(records[middle:])
    for at, record in changes:
        half[at] = record
    if seen is not None and redactor.index is not None:
        redactor.index.update(seen)
    return RedactedRecords(half, findings, changed)
