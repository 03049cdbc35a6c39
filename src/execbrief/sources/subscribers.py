"""The ``subscribers`` source: a mailing-list export (CSV) reduced to counts.

Only counts leave this module: rows, unique addresses (trimmed, case-insensitive), valid ones (a
sane syntax check), opted-in ones, and unique addresses by signup source. The addresses themselves
are never stored in a record, an error message or a log: while counting, each address is held only
as a keyed BLAKE2b digest, and row errors cite line numbers, never cell text.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any, ClassVar

from pydantic import Field, field_validator

from execbrief.config import Model
from execbrief.hookspecs import hookimpl
from execbrief.records.subscribers import SubscriberCounts
from execbrief.snapshot import ColumnMapping, Provenance, Record, SourceError, SourceResult
from execbrief.sources import layouts
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import (
    Column,
    CsvTable,
    DateRange,
    ReadError,
    RowErrors,
    expand,
    finish,
    normalize_header,
    provenance,
)
from execbrief.sources.tabular import check_columns, file_layout, mapping_of, open_table

COLUMNS = (
    Column(
        "email",
        (
            "email address",
            "e-mail",
            "e-mail address",
            "email_address",
            "mail",
            "subscriber",
            "subscriber email",
            "address",
        ),
        required=True,
    ),
    Column(
        "status",
        (
            "opt-in",
            "optin",
            "opted in",
            "opt in status",
            "member status",
            "subscription status",
            "subscribed",
            "consent",
            "email marketing consent",
            "accepts marketing",
        ),
    ),
    Column(
        "source",
        (
            "signup source",
            "sign-up source",
            "list source",
            "origin",
            "channel",
            "how did you hear about us",
        ),
    ),
)

#: Status words that mean the address has opted in; anything else (unsubscribed, pending,
#: cleaned, bounced, no, ...) counts as not opted in.
OPTED_IN = frozenset(
    {
        "subscribed",
        "subscriber",
        "opted in",
        "opt in",
        "optin",
        "yes",
        "y",
        "true",
        "1",
        "confirmed",
        "active",
        "double opt in",
        "single opt in",
        "confirmed opt in",
    }
)

# Local part: dot-atoms of the usual characters; domain: two or more labels, a letter TLD.
_LOCAL_CHARACTERS = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-"
)
_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_SEPARATORS = re.compile(r"[\s_\-]+")
_ADDRESSISH = re.compile(r"[^\s,;'\"()<>]*@[^\s,;'\"()<>]*")
NO_SOURCE = "unknown"
OTHER_SOURCE = "other"


class SubscribersOptions(Model):
    """``subscribers = { path = ..., columns = { email = "E-mail" }, delimiter = ";" }``.

    ``opted_in`` adds status words that mean "opted in" (compared case-insensitively).
    """

    columns: dict[str, str] = Field(default_factory=dict)
    layout: str | None = None
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    opted_in: list[str] = Field(default_factory=list)

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        return check_columns(value, [c.name for c in COLUMNS])

    @field_validator("layout")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        return layouts.check(value, "subscribers")


#: Headers of a Mailchimp export of unsubscribed or cleaned members: no address in it is opted in.
_OPTED_OUT_FILE = frozenset({"unsubtime", "cleantime"})


def opted_out_file(table: CsvTable) -> bool:
    """True for an export that holds only addresses that left (Mailchimp's unsubscribed and
    cleaned files have no status column, but an ``UNSUB_TIME`` or ``CLEAN_TIME`` one)."""
    return "status" not in table.index and any(
        normalize_header(h) in _OPTED_OUT_FILE for h in table.header
    )


def is_valid_email(address: str) -> bool:
    """A sane syntax check: one ``@``, a dot-atom local part of at most 64 characters, a domain
    of letter-digit-hyphen labels with a letter TLD, 254 characters in all."""
    if len(address) > 254:
        return False
    local, at, domain = address.partition("@")
    if not at or not local or len(local) > 64 or "@" in domain:
        return False
    # dot-atoms: only the usual characters and dots, no dot first, last or twice (told in C)
    if local.strip(_LOCAL_CHARACTERS + ".") or local[0] == "." or local[-1] == ".":
        return False
    return ".." not in local and _valid_domain(domain)


@functools.lru_cache(maxsize=1024)  # an export's addresses share a few domains (never a name)
def _valid_domain(domain: str) -> bool:
    return _DOMAIN.match(domain) is not None


def _status_key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().lower()).strip()


def _source_key(written: str) -> str:
    """A signup source as counted: spaces folded, lower case; ``other`` for one that holds an
    address (``referred by ann@example.com`` would leak it)."""
    source = " ".join(written.split()).lower() or NO_SOURCE
    return OTHER_SOURCE if "@" in source else source


def count_file(
    table: CsvTable, key: bytes, extra_opted_in: frozenset[str], bad: RowErrors
) -> tuple[int, int, int, int, dict[str, int], int]:
    """Count one export: (rows, unique, valid, opted_in, by_source, last_line).

    An address is opted in when any of its rows says so; its source is that of its first row.
    Only digests of addresses are kept while counting.
    """
    has_status = "status" in table.index
    left = opted_out_file(table)
    opted_words = OPTED_IN | extra_opted_in
    tally = _Tally()
    seen = tally.seen
    rows = 0
    last = 1
    # blake2b takes at most 64 bytes of key; the keyed state is made once and copied per address
    # (a third of what keying each digest again costs)
    keyed = hashlib.blake2b(key=key[:64], digest_size=16)
    status_opted: dict[str, bool] = {}  # an export repeats a handful of status words
    sources: dict[str, str] = {}  # and of signup sources
    for line, row in table.rows(bad):
        last = line
        address = row.get("email", "").strip()
        if not address:
            bad.add(line, "empty email address")
            continue
        rows += 1
        normal = address.lower()
        hasher = keyed.copy()
        hasher.update(normal.encode("utf-8"))
        digest = hasher.digest()
        if left:
            opted = False
        elif not has_status:
            opted = True
        else:
            status = row.get("status", "")
            known = status_opted.get(status)
            if known is None:
                known = status_opted[status] = _status_key(status) in opted_words
            opted = known
        state = seen.get(digest)
        if state is None:
            written = row.get("source", "")
            source = sources.get(written)
            if source is None:
                source = sources[written] = _source_key(written)
            if tally.spilled:
                tally.write(digest, is_valid_email(normal), opted, source)
            else:
                seen[digest] = [is_valid_email(normal), opted, source]
                if len(seen) > SPILL_AFTER:
                    tally.spill()
        elif opted:
            state[1] = True
    unique = valid = opted_in = 0
    by_source: Counter[str] = Counter()
    for states in tally.groups():
        unique += len(states)
        for state in states:
            valid += bool(state[0])
            opted_in += bool(state[0] and state[1])
            by_source[str(state[2])] += 1
    return rows, unique, valid, opted_in, dict(sorted(by_source.items())), last


#: Distinct addresses counted in memory; past this the digests go to temporary files, partitioned
#: by digest, and each partition is counted on its own: memory stays bounded whatever the size.
SPILL_AFTER = 250_000
_PARTITIONS = 64
_ENTRY = struct.Struct("<16sBI")  # digest, flags (1 valid, 2 opted in), source number


class _Tally:
    """The distinct addresses of one export (keyed digests only) with their state."""

    def __init__(self) -> None:
        self.seen: dict[bytes, list[Any]] = {}  # digest -> [valid, opted_in, source]
        self.spilled = False
        self._files: list[IO[bytes]] = []
        self._numbers: dict[str, int] = {}
        self._names: list[str] = []

    def spill(self) -> None:
        """Move the digests held so far to the partition files; later rows go there too."""
        # Closed one by one as groups() counts them (and by the garbage collector if it never does).
        self._files = [tempfile.TemporaryFile() for _ in range(_PARTITIONS)]  # noqa: SIM115
        self.spilled = True
        for digest, (valid, opted, source) in self.seen.items():
            self.write(digest, valid, opted, source)
        self.seen.clear()  # every later row goes to the files, repeats of these addresses too

    def write(self, digest: bytes, valid: bool, opted: bool, source: str) -> None:
        """Append one row's state to its digest's partition (repeats are merged when counted)."""
        number = self._numbers.get(source)
        if number is None:
            number = self._numbers[source] = len(self._names)
            self._names.append(source)
        flags = (1 if valid else 0) | (2 if opted else 0)
        self._files[digest[0] % _PARTITIONS].write(_ENTRY.pack(digest, flags, number))

    def groups(self) -> Iterator[list[list[Any]]]:
        """The states of the distinct addresses, one partition at a time (the first row's source
        wins; an address is opted in when any of its rows is)."""
        if not self.spilled:
            yield list(self.seen.values())
            return
        for handle in self._files:
            with handle:
                handle.seek(0)
                merged: dict[bytes, list[Any]] = {}
                for digest, flags, number in _ENTRY.iter_unpack(handle.read()):
                    state = merged.get(digest)
                    if state is None:
                        merged[digest] = [flags & 1, flags & 2, self._names[number]]
                    elif flags & 2:
                        state[1] = 2
                yield list(merged.values())


class SubscribersSource(BaseSource):
    """A mailing-list export: counts of unique, valid and opted-in addresses, by signup source."""

    name: ClassVar[str] = "subscribers"
    description: ClassVar[str] = (
        "mailing-list exports (CSV), kept as counts only: never the addresses"
    )
    Options: ClassVar[type[SubscribersOptions]] = SubscribersOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """One ``SubscriberCounts`` per export file; no address ever leaves this function."""
        options = request.spec.options
        opts = options if isinstance(options, SubscribersOptions) else SubscribersOptions()
        extra = frozenset(_status_key(word) for word in opts.opted_in)
        key = request.fingerprint_key or b"execbrief-subscribers"
        locations, errors = expand(request, suffixes=(".csv", ".tsv"))
        records: list[Record] = []
        mappings: list[ColumnMapping] = []
        for loc in locations:
            bad = RowErrors(loc)
            try:
                where: Provenance = provenance(loc)
                layout = file_layout(loc, self.name, opts)
                file_opts = layouts.with_layout(opts, layout)
                table = open_table(loc, COLUMNS, file_opts.columns, file_opts.delimiter)
                note = ("no address in this file is opted in",) if opted_out_file(table) else ()
                mappings.append(mapping_of(table, file_opts, layout, note))
                rows, unique, valid, opted_in, by_source, last = count_file(table, key, extra, bad)
                records.append(
                    SubscriberCounts(
                        entity=request.entity.id,
                        provenance=where.at_line(table.header_line, last),
                        rows=rows,
                        unique=unique,
                        valid=valid,
                        opted_in=opted_in,
                        by_source=by_source,
                    )
                )
            except ReadError as exc:
                errors.append(exc.to_error(request, self.name))
            errors.extend(bad.errors(request, self.name))
        # An export has no dates of its own: freshness comes from the files' commits or mtimes.
        result = finish(
            request,
            self.name,
            locations,
            records,
            [scrub(e) for e in errors],
            DateRange(request.as_of),
        )
        return replace(result, mappings=tuple(mappings))


def scrub(error: SourceError) -> SourceError:
    """The error with anything shaped like an address blanked out of its message.

    Row errors here never quote cells, but a header check can list the first line of a file that
    has no header, and that line may be an address.
    """
    message = _ADDRESSISH.sub("<address>", error.message)
    return error if message == error.message else replace(error, message=message)


@hookimpl
def register_sources() -> list[Source]:
    """The subscribers source."""
    return [SubscribersSource()]
