"""A big result's redaction on a second process: a forked child redacts part of its records while
this process redacts the rest, or reads on.

A 50 MB ledger is one source, read on one process (``collecting._one_dominates``), and redacting
its 700,000 records costs most of what reading them does. What one record becomes depends only on
that record and the redactor's known secrets (``redact_records``), so records redacted in parts
give the same records, findings and token index as one pass; only the redactors' memories of clean
texts differ, and they decide nothing. A child sends back only what changed: the records it
redacted, their findings and the fingerprints of its texts' tokens. Two ways:

- ``redact_in_halves``: a result's second half on a child while this process redacts the first;
- ``EarlyRedaction``: while a big file is still being read, the records read so far on a child
  (the reader offers them: ``files.offering_records``), one child at a time, so that redacting
  runs beside reading on the second core; what no child took is redacted once the file is read.
  It is used only where the records a child took are the result's first records, as they were,
  and the result holds no secret of its own (the children redact against none); else the result
  is redacted in halves as if nothing had been taken.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import operator
import os
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

#: A reader's offer of fewer new records than this waits for a later one (a fork of a process
#: holding a big file's records costs tens of milliseconds).
EARLY_RECORDS = 1 << 16

#: What a child sends: (offset in its part, redacted record) for each record that changed, the
#: part's findings, whether a record changed, and the fingerprints its texts' tokens joined to the
#: redactor's index (None without an index).
Sent = tuple[list[tuple[int, Record]], list[Any], bool, set[str] | None]


def redact_in_halves(
    result: SourceResult, redactor: Redactor, report: Callable[[int, int], None] | None = None
) -> SourceResult:
    """``redact_result``, the second half of a big result's records on a forked child (where the
    system forks and this process is no pool's worker); the same result as one pass."""
    if len(result.records) < SPLIT_RECORDS or not may_fork():
        return redact_result(result, redactor, report)
    return redacted_result(result, redactor, _in_halves(result.records, redactor, report))


def _in_halves(
    records: Sequence[Record], redactor: Redactor, report: Callable[[int, int], None] | None
) -> RedactedRecords:
    middle = len(records) // 2
    child = _Child(records[middle:], redactor)
    try:
        first = redact_records(records[:middle], redactor, _doubled(report, len(records)))
        second = child.received()
    except BaseException:
        child.stop()  # interrupted: the child's half is of no use
        raise
    if report is not None:
        report(len(records), len(records))
    return _joined([first, second])


def _doubled(
    report: Callable[[int, int], None] | None, total: int
) -> Callable[[int, int], None] | None:
    """The first half's progress told as the whole's (the halves keep pace)."""
    if report is None:
        return None
    return lambda done, _half: report(min(2 * done, total), total)


def _joined(parts: list[RedactedRecords]) -> RedactedRecords:
    """Consecutive parts' redactions as the one of all their records."""
    return RedactedRecords(
        list(itertools.chain.from_iterable(part.records for part in parts)),
        list(itertools.chain.from_iterable(part.findings for part in parts)),
        any(part.changed for part in parts),
    )


class EarlyRedaction:
    """The records a reader offers redacted on forked children while it reads on (``offer``,
    one child at a time: this process reads on the one core, the child redacts on the other);
    ``redacted`` then gives the result as ``redact_in_halves`` would."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._offered: list[Record] | None = None  # the list the reader appends to
        self._taken = 0  # how many of its first records the children took
        self._children: list[_Child] = []
        self._done: list[RedactedRecords] = []  # what the first children sent, in order

    def offer(self, records: list[Record]) -> None:
        """The reader's records so far (``files.RecordsOffer``): those no child took yet go to a
        new child, when there are enough of them and the last child is done."""
        if self._offered is None:
            self._offered = records
        elif records is not self._offered:
            return  # another file's: only the first file's lead the result
        if len(records) - self._taken < EARLY_RECORDS or not self._receive_done():
            return
        self._children.append(_Child(records[self._taken :], self.redactor))
        self._taken = len(records)

    def _receive_done(self, wait: bool = False) -> bool:
        """Receive what the children sent, if they have (``wait``: when they have); whether no
        child is at work now."""
        pending = self._children[len(self._done) :]
        if pending and not wait and not pending[0].ready():
            return False
        self._done.extend(child.received() for child in pending)
        return True

    def redacted(
        self, result: SourceResult, report: Callable[[int, int], None] | None = None
    ) -> SourceResult:
        """``redact_result`` of the read's ``result`` by this redaction's redactor, the records
        the children took as they redacted them and the rest here."""
        parts = [child.part for child in self._children]
        records = result.records
        taken = sum(map(len, parts))
        if (
            not taken
            or len(records) < taken
            or not all(map(operator.is_, records, itertools.chain.from_iterable(parts)))
        ):
            self.close()  # the result is not the offered records followed by others
            return redact_in_halves(result, self.redactor, report)
        rest = records[taken:]
        self._receive_done()
        # the rest in halves if it is big, even beside a child still at work (it took less)
        if len(rest) >= SPLIT_RECORDS and may_fork():
            tail = _in_halves(rest, self.redactor, None)
        else:
            tail = redact_records(rest, self.redactor)
        self._receive_done(wait=True)
        if report is not None:
            report(len(records), len(records))
        return redacted_result(result, self.redactor, _joined([*self._done, tail]))

    def close(self) -> None:
        """Stop the children still at work (what they would send is no longer wanted)."""
        for child in self._children[len(self._done) :]:
            child.stop()
        self._done.clear()
        self._children.clear()


class _Child:
    """A forked child redacting ``part``, a run of records (``_redact_part``)."""

    def __init__(self, part: Sequence[Record], redactor: Redactor) -> None:
        self.part = part
        self.redactor = redactor
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_redact_part, args=(part, redactor, writer), name="execbrief-redact"
        )
        self.process.start()
        writer.close()

    def ready(self) -> bool:
        """Whether the child has sent what it made (or died): ``received`` will not wait."""
        return self.reader.poll()

    def received(self) -> RedactedRecords:
        """The part as ``redact_records`` gives it; redacted here if the child died."""
        try:
            changes, findings, changed, seen = self.reader.recv()
        except EOFError:  # the child died before sending (killed, out of memory): its part here
            return redact_records(self.part, self.redactor)
        finally:
            self.reader.close()
            self.process.join()
        records = list(self.part)
        for at, record in changes:
            records[at] = record
        if seen is not None and self.redactor.index is not None:
            self.redactor.index.update(seen)
        return RedactedRecords(records, findings, changed)

    def stop(self) -> None:
        self.process.terminate()
        self.reader.close()
        self.process.join()


def _redact_part(part: Sequence[Record], redactor: Redactor, writer: Connection) -> None:
    """In the child: redact ``part`` and send what changed (``Sent``). Its index starts empty:
    every text found clean before the fork was scanned in the parent, whose index holds its
    tokens already."""
    gc.freeze()  # the parent's objects: no collection here walks (and so copies) them
    if redactor.index is not None:
        redactor.index = set()
    redacted = redact_records(part, redactor)
    changes = [
        (at, record)
        for at, (record, given) in enumerate(zip(redacted.records, part, strict=True))
        if record is not given
    ]
    sent: Sent = (changes, redacted.findings, redacted.changed, redactor.index)
    writer.send(sent)
    writer.close()
    # Gone at once: a child forked beside the progress bar's thread must not flush the standard
    # streams at exit as multiprocessing's does (a lock that thread held at the fork would hang
    # it, and what the parent had buffered would be written twice).
    os._exit(0)
