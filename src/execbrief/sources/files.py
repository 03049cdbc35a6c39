"""The shared file-reading layer every source uses: paths, S3, safe text, streaming CSV, provenance.

What a source should use (in this order)::

    locations, errors = expand(request, suffixes=(".csv",))       # paths, folders, globs, s3:// URLs
    for loc in locations:
        table = CsvTable(loc, [Column("date"), Column("amount", ("Amount", "Total"))],
                         mapping=options.columns)               # header checked here (ReadError)
        bad = RowErrors(loc)
        prov = provenance(loc)                                  # file + git commit, once per file
        for line, row in table.rows(bad):                       # physical line numbers, bounded memory
            try: ...  record(provenance=prov.at_line(line))
            except ValueError as exc: bad.add(line, str(exc))   # row errors: counted, first few quoted
        errors.extend(bad.errors(request, kind))
    return finish(request, kind, locations, records, errors, dates)  # freshness, date range

Every failure to read becomes a ``ReadError`` (a ``SourceFailure``) whose ``to_error(request,
kind)`` is the ``SourceError`` record: one sentence naming the file (and line) and what was
expected. Sources catch ``ReadError`` per file and go on with the next file.

- ``expand`` resolves configured paths relative to the portfolio root; ``s3://bucket/key`` and
  ``s3://bucket/prefix/`` are read with boto3 and the standard credential chain, honouring
  ``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL`` (tests point these at moto's server).
- Only regular files are opened: a named pipe (FIFO), socket or device at a configured path, in a
  glob's matches or in a folder is skipped with an error naming it, never opened (opening a FIFO
  blocks until a writer comes, which is forever). ``Location.open_binary`` checks again on the
  opened descriptor, so a file swapped for a FIFO after ``expand`` cannot hang the run either.
- ``include_target`` checks what a file's include-like directive (beancount's ``include``) names:
  a regular file with an expected suffix inside the portfolio folder, else a ``ReadError`` at the
  including file's line; nothing of a refused target is opened.
- ``excerpt`` is the most a parser may quote of a file's text in a message: one short line.
- ``reporting_reads(hook)``: while it is in force, ``iter_lines`` (so ``CsvTable`` and
  ``read_text``) tells ``hook`` how far a big file has been read, once per ``READ_REPORT_BYTES``
  (the CLI's progress bar: "12.4 / 50.0 MB (123,456 lines)"); without one a read costs nothing more.
- ``offering_records(hook)``: while it is in force, a reader of a big file (the CSV ledger) hands
  ``hook`` the records it has made so far, every ``OFFER_LINES`` lines (``offered_records``), so
  that they are redacted on another process while it reads on (``secrets.halves.EarlyRedaction``).
- ``iter_lines`` / ``read_text`` open text safely: missing path, a folder, a binary file (a NUL byte
  in the first 8 KB), invalid UTF-8 (names the line), an over-long line; a UTF-8 BOM is stripped.
- ``CsvTable`` streams a CSV file: header aliases (case, space and punctuation insensitive), a
  column mapping from the config, missing columns reported with the nearest header (difflib).
- ``provenance`` adds the last git commit touching a file and its date (fails soft without git).
- ``freshness`` / ``finish`` compute the source's age against ``request.as_of``.
"""

from __future__ import annotations

import csv
import difflib
import fnmatch
import functools
import io
import itertools
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from execbrief import localfiles
from execbrief.errors import SourceFailure
from execbrief.snapshot import Freshness, Provenance, Record, SourceError, SourceResult
from execbrief.sources import gitlog
from execbrief.sources.base import SourceRequest
from execbrief.sources.gitlog import Commit

CHUNK = 1 << 16
SNIFF = 8192
MAX_LINE_BYTES = 1 << 20
ROW_ERRORS_QUOTED = 5
HEADER_SEARCH_LINES = 20
#: A CSV record (one row) spans at most this many physical lines: a real export's multi-line
#: cell (Amex's "Extended Details", an address) takes a handful; more is a quote left open.
MAX_RECORD_LINES = 20
BOM = b"\xef\xbb\xbf"
GLOB_CHARS = re.compile(r"[*?\[]")
EXCERPT_CHARS = 60

#: Hears of one line a reader drops (its number, why) and goes on with the next.
BadLine = Callable[[int, str], None]
#: How far a file's reading has got: (the file as cited, bytes read, its size or None, lines read).
ReadProgress = Callable[[str, int, int | None, int], None]
#: What a long redaction's row is called after its source's name (``crewboard: ledger ·
#: redacting``): it reports to the same hook, its figures records rather than bytes.
REDACTING = "redacting"
#: A hook hears of a file at most once per this many bytes read (and once more at its end).
READ_REPORT_BYTES = 1 << 20
_read_hook: ReadProgress | None = None


@contextmanager
def reporting_reads(hook: ReadProgress | None) -> Iterator[None]:
    """Within the block, files read through ``iter_lines`` report to ``hook`` every
    ``READ_REPORT_BYTES`` (a file smaller than that never does); ``None`` turns reports off."""
    global _read_hook
    before, _read_hook = _read_hook, hook
    try:
        yield
    finally:
        _read_hook = before


def read_reporter() -> ReadProgress | None:
    """The hook ``reporting_reads`` put in force, if any."""
    return _read_hook


#: What hears a reader's records so far (the very list it appends to; it is never changed).
RecordsOffer = Callable[[list[Any]], None]

#: A reader offers its records once per this many lines.
OFFER_LINES = 1 << 14
_offer_hook: RecordsOffer | None = None


@contextmanager
def offering_records(hook: RecordsOffer | None) -> Iterator[None]:
    """Within the block, a reader of a big file hands ``hook`` its records so far every
    ``OFFER_LINES`` lines; ``None`` turns offers off."""
    global _offer_hook
    before, _offer_hook = _offer_hook, hook
    try:
        yield
    finally:
        _offer_hook = before


def offered_records() -> RecordsOffer | None:
    """The hook ``offering_records`` put in force, if any."""
    return _offer_hook


class ReadError(SourceFailure):
    """A file (or one line of it) could not be read; ``to_error`` makes the ``SourceError``."""

    def __init__(
        self, where: str, message: str, line: int | None = None, *, fatal: bool = True
    ) -> None:
        self.where = where
        self.line = line
        self.message = message
        self.fatal = fatal
        cite = f"{where}:{line}" if line is not None else where
        super().__init__(f"{cite}: {message}")

    def to_error(self, request: SourceRequest, kind: str) -> SourceError:
        """The ``SourceError`` record for this failure."""
        return SourceError(
            entity=request.entity.id,
            source_kind=kind,
            provenance=Provenance(self.where, self.line),
            message=self.message,
            fatal=self.fatal,
        )


# --------------------------------------------------------------------------------------------
# Locations: a local file or an S3 object
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """One input file: a local ``path`` or an S3 object (``bucket``, ``key``).

    ``display`` is how it is cited: relative to the portfolio root when inside it, else the path or
    the ``s3://`` URL. ``modified`` is the S3 object's LastModified date (local files use mtime).
    """

    display: str
    path: Path | None = None
    bucket: str | None = None
    key: str | None = None
    modified: date | None = None
    size: int | None = None

    @property
    def is_s3(self) -> bool:
        """True for an S3 object."""
        return self.bucket is not None

    @property
    def name(self) -> str:
        """The file name (last path segment)."""
        if self.path is not None:
            return self.path.name
        return (self.key or "").rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        """The lower-cased file suffix, ``.csv``."""
        name = self.name
        return name[name.rfind(".") :].lower() if "." in name else ""

    def open_binary(self) -> BinaryIO:
        """Open for reading bytes; ``ReadError`` if it cannot be opened or is not a regular file.

        A FIFO, socket or device is refused before it is opened; the descriptor is opened
        non-blocking and checked again (``fstat``), so a path swapped after the first check cannot
        block the run.
        """
        if self.path is None:
            return _s3_open(self)
        try:
            return localfiles.open_regular(self.path)
        except localfiles.NotRegular as exc:
            if exc.kind == "folder":
                raise ReadError(self.display, "is a folder; expected a file") from None
            raise not_regular(self.display, exc.kind) from None
        except (FileNotFoundError, NotADirectoryError):
            raise ReadError(self.display, "no such file; expected a file at this path") from None
        except IsADirectoryError:
            raise ReadError(self.display, "is a folder; expected a file") from None
        except PermissionError:
            raise ReadError(self.display, "cannot be read (permission denied)") from None
        except OSError as exc:
            raise ReadError(self.display, f"cannot be opened ({exc.strerror or exc})") from None

    def mtime(self) -> date | None:
        """The date the file was last modified (UTC), or the S3 object's LastModified."""
        if self.path is not None:
            try:
                return datetime.fromtimestamp(self.path.stat().st_mtime, tz=UTC).date()
            except OSError:
                return None
        return self.modified


def file_kind(path: Path) -> str:
    """``file``, ``folder``, ``missing`` or what else is there (``a named pipe (FIFO)``, ``a socket``,
    ``a character device``, ``a block device``, ``a symbolic link loop``); symbolic links are
    followed. Never opens the path (``localfiles.kind``)."""
    return localfiles.kind(path)


def not_regular(where: str, kind: str, *, fatal: bool = True) -> ReadError:
    """The error for a FIFO, socket or device where a file was expected (it is never opened)."""
    if kind == localfiles.LOOP:
        return ReadError(
            where,
            f"is {kind} (a link that leads back to itself); skipped; expected a regular file at "
            "this path: remove the link or point it at a file",
            fatal=fatal,
        )
    return ReadError(
        where,
        f"is {kind}, not a regular file; skipped without opening it "
        "(reading one can block the run); expected a regular file at this path",
        fatal=fatal,
    )


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most ``limit`` characters of ``text`` on one line, for quoting a file's text in a message.

    Whitespace runs become one space and a longer text ends in ``...``. The run's redaction pass
    (``execbrief.secrets.redaction``) then replaces any secret left in the message.
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(0, limit - 3)].rstrip() + "..."


def is_s3_url(path: str) -> bool:
    """True for ``s3://...``."""
    return path.lower().startswith("s3://")


def expand(
    request: SourceRequest,
    paths: Sequence[str] | None = None,
    *,
    suffixes: Sequence[str] = (),
    allow_dirs: bool = True,
) -> tuple[list[Location], list[SourceError]]:
    """Resolve configured paths (default: the request's spec) into sorted, de-duplicated locations.

    A path may be a file, a folder (its files with one of ``suffixes``, recursively, hidden files
    skipped, symlinked folders not followed), a glob (``ledgers/*.csv``, ``**`` allowed), or an S3
    object, prefix (ending in ``/``) or glob. Problems (missing path, no match, a folder where a file
    was expected, a FIFO, socket or device) come back as SourceErrors; the other paths are still
    expanded. A FIFO, socket or device is never opened: a configured one is a fatal error for that
    path, one among a glob's or a folder's files is a warning (fatal when nothing else matched).
    """
    kind = request.spec.kind
    wanted = tuple(s.lower() for s in suffixes)
    found: list[Location] = []
    errors: list[SourceError] = []
    for configured in request.spec.paths if paths is None else paths:
        skipped: list[ReadError] = []
        try:
            if is_s3_url(configured):
                found.extend(_s3_expand(configured, wanted))
            else:
                found.extend(_local_expand(request, configured, wanted, allow_dirs, skipped))
        except ReadError as exc:
            errors.append(exc.to_error(request, kind))
        errors.extend(exc.to_error(request, kind) for exc in skipped)
    unique: dict[str, Location] = {}
    for loc in found:
        unique.setdefault(loc.display, loc)
    return list(unique.values()), errors


def _suffix_ok(name: str, wanted: tuple[str, ...]) -> bool:
    return not wanted or name.lower().endswith(wanted)


def _regular_files(
    request: SourceRequest,
    candidates: Iterable[tuple[Path, str]],
    skipped: list[ReadError],
    boundary: Path | None,
) -> list[Path]:
    """The regular files among ``candidates`` (``(path, kind)``) that resolve inside ``boundary``;
    each FIFO, socket, device, link loop or link out of ``boundary`` goes to ``skipped``, unopened."""
    out: list[Path] = []
    for path, kind in candidates:
        if kind == "file" and (boundary is None or localfiles.resolves_inside(path, boundary)):
            out.append(path)
        elif kind == "file":
            skipped.append(outside_link(request, path, boundary, fatal=False))
        elif kind not in ("folder", "missing"):
            skipped.append(not_regular(request.display(path), kind, fatal=False))
    return out


def boundary(request: SourceRequest, named: Path, *, file: bool = False) -> Path | None:
    """The folder every file read for a configured path must resolve inside.

    ``named`` is what the configured path names, resolved against the portfolio root: the file,
    the folder, or a glob's folder. A path written inside the portfolio folder (the folder holding
    portfolio.toml) must stay inside it once symbolic links are followed. A path the config writes
    outside it (``/srv/books``, ``../shared``) is named explicitly: a folder or glob there bounds
    its own files, and a ``file`` there is read where it is (None: no bound).
    """
    if localfiles.lexically_inside(named, request.root):
        return request.root
    return None if file else named


def outside_link(
    request: SourceRequest, path: Path, bound: Path | None, *, fatal: bool = True
) -> ReadError:
    """The error for a file whose symbolic links lead outside ``bound``: it is never opened."""
    if bound is None or localfiles.lexically_inside(bound, request.root):
        where = "the portfolio folder (the folder holding portfolio.toml)"
        fix = "copy the file into the portfolio folder, or name its real path in portfolio.toml"
    else:
        where = f"{request.display(bound)}, the folder portfolio.toml names"
        fix = "copy the file into that folder, or name its real path in portfolio.toml"
    return ReadError(
        request.display(path),
        f"is a symbolic link to a file outside {where}; skipped without reading it; {fix}",
        fatal=fatal,
    )


def _local_expand(
    request: SourceRequest,
    configured: str,
    wanted: tuple[str, ...],
    allow_dirs: bool,
    skipped: list[ReadError],
) -> list[Location]:
    resolved = request.resolve(configured)
    shown = request.display(resolved)
    if GLOB_CHARS.search(configured):
        base, pattern = _split_glob(resolved)
        candidates = sorted(
            p
            for p in base.glob(pattern)
            if not p.name.startswith(".") and _suffix_ok(p.name, wanted)
        )
        bound = boundary(request, base)
        matches = _regular_files(request, ((p, file_kind(p)) for p in candidates), skipped, bound)
        if not matches:
            _all_fatal(skipped)
            if skipped:
                return []
            raise ReadError(
                shown, "matches no files; expected the pattern to match at least one file"
            )
        return [Location(request.display(p), path=p) for p in matches]
    kind = file_kind(resolved)
    if kind == "folder":
        if not allow_dirs or (wanted and resolved.name.lower().endswith(wanted)):
            raise ReadError(shown, "is a folder; expected a file")
        bound = boundary(request, resolved)
        files = _regular_files(request, _walk(resolved, wanted), skipped, bound)
        if not files:
            _all_fatal(skipped)
            if skipped:
                return []
            expected = " or ".join(wanted) if wanted else "any"
            raise ReadError(shown, f"is a folder with no {expected} files in it")
        return [Location(request.display(p), path=p) for p in files]
    if kind == "missing":
        if resolved.is_symlink():
            raise ReadError(shown, "is a broken symbolic link; expected a file")
        raise ReadError(
            shown, "no such file or folder; check the path in portfolio.toml (relative to it)"
        )
    if kind != "file":
        raise not_regular(shown, kind)
    bound = boundary(request, resolved, file=True)
    if bound is not None and not localfiles.resolves_inside(resolved, bound):
        raise outside_link(request, resolved, bound)
    return [Location(shown, path=resolved)]


def _all_fatal(skipped: list[ReadError]) -> None:
    """Nothing but FIFOs, sockets or devices matched: each of them is then a fatal error."""
    for exc in skipped:
        exc.fatal = True


def _split_glob(path: Path) -> tuple[Path, str]:
    parts = path.parts
    for index, part in enumerate(parts):
        if GLOB_CHARS.search(part):
            return Path(*parts[:index]), "/".join(parts[index:])
    return path.parent, path.name


def _walk(folder: Path, wanted: tuple[str, ...]) -> list[tuple[Path, str]]:
    """``(path, kind)`` of the files under ``folder`` with a wanted suffix (hidden ones skipped,
    linked folders not followed), through ``localfiles.walk``: nothing is opened."""
    return [
        (path, found)
        for path, found in localfiles.walk(folder, skip_folder=lambda name: name.startswith("."))
        if not path.name.startswith(".") and _suffix_ok(path.name, wanted)
    ]


# --------------------------------------------------------------------------------------------
# Include-like directives: what a file names, checked before anything of it is opened
# --------------------------------------------------------------------------------------------


def inside_root(request: SourceRequest, path: Path) -> bool:
    """True when ``path`` (symbolic links resolved) is inside the portfolio folder."""
    return localfiles.resolves_inside(path, request.root)


def include_targets(
    request: SourceRequest,
    loc: Location,
    target: str,
    line: int | None,
    *,
    suffixes: Sequence[str],
    directive: str = "include",
    what: str = "file",
) -> list[Location]:
    """The files an include-like directive at ``loc:line`` names (a path or a glob, relative to
    ``loc``'s folder), each checked before anything of it is read.

    Each must be, symbolic links resolved, inside the portfolio folder, a regular file and have one
    of ``suffixes``; otherwise a fatal ``ReadError`` at ``loc:line`` says the including file was
    skipped and what to do (``what`` names it in the message: ``ledger``). A target that matches
    nothing is a non-fatal ``ReadError`` (the rest of the file can still be read). A file read
    from S3 may not include anything.
    """
    quoted = f'{directive} "{excerpt(target)}"'

    def refused(why: str, fix: str) -> ReadError:
        return ReadError(
            loc.display,
            f"{quoted} {why}, so the included file was not read and this {what} was skipped; {fix}",
            line,
        )

    if loc.path is None:
        raise refused(
            "is in a file read from S3, which cannot include other files",
            "list each file as its own path in portfolio.toml instead",
        )
    written = Path(target)
    wanted = " or ".join(suffixes)
    resolved = written if written.is_absolute() else loc.path.parent / written
    outside_fix = (
        "move the included file into the portfolio folder (the folder of portfolio.toml) and "
        f"{directive} it by a relative path, or remove the {directive} line"
    )
    base, pattern = _split_glob(resolved) if GLOB_CHARS.search(target) else (resolved, "")
    if not inside_root(request, base):
        raise refused("points outside the portfolio folder", outside_fix)
    if pattern:
        matches = sorted(base.glob(pattern))
    else:
        matches = [resolved] if file_kind(resolved) != "missing" else []
    if not matches:
        raise ReadError(
            loc.display,
            f"{quoted} matches no file, so nothing was included (the rest of this {what} was read); "
            "fix the path (relative to this file's folder) or remove the line",
            line,
            fatal=False,
        )
    out: list[Location] = []
    for match in matches:
        if not inside_root(request, match):
            raise refused("points outside the portfolio folder", outside_fix)
        kind = file_kind(match)
        if kind == "folder":
            raise refused(
                "names a folder",
                f'{directive} the files in it with a glob such as "{excerpt(target)}/*{suffixes[0]}"',
            )
        if kind != "file":
            raise refused(
                f"names {kind}, not a regular file", f"{directive} a regular {wanted} file"
            )
        if not _suffix_ok(match.name, tuple(suffixes)):
            raise refused(
                f"names a file that is not a {wanted} file", f"{directive} only {wanted} files"
            )
        out.append(Location(request.display(match), path=match))
    return out


# --------------------------------------------------------------------------------------------
# S3
# --------------------------------------------------------------------------------------------

_S3_CLIENTS: dict[str | None, Any] = {}
_S3_LOCK = threading.Lock()


def s3_client() -> Any:
    """A boto3 S3 client (standard credential chain; ``AWS_ENDPOINT_URL_S3``/``AWS_ENDPOINT_URL``)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None
    with _S3_LOCK:
        client = _S3_CLIENTS.get(endpoint)
        if client is None:
            import boto3

            client = boto3.session.Session().client("s3", endpoint_url=endpoint)
            _S3_CLIENTS[endpoint] = client
        return client


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> (bucket, key); ``ReadError`` if there is no bucket."""
    rest = url[5:]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise ReadError(url, "is not an S3 URL; expected s3://bucket/key or s3://bucket/prefix/")
    return bucket, key


def _s3_problem(url: str, exc: Exception) -> ReadError:
    from botocore.exceptions import ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return ReadError(
            url, "cannot be read: no AWS credentials found (set AWS_PROFILE or AWS keys)"
        )
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", "error"))
        if code in ("NoSuchKey", "404", "NotFound"):
            return ReadError(
                url, "no such S3 object; expected an object at this key (or end a prefix with /)"
            )
        if code == "NoSuchBucket":
            return ReadError(url, "no such S3 bucket")
        if code in ("AccessDenied", "403", "Forbidden"):
            return ReadError(url, "cannot be read: access denied by S3")
        return ReadError(url, f"cannot be read from S3 ({code})")
    return ReadError(url, f"cannot be read from S3 ({type(exc).__name__})")


def _s3_expand(url: str, wanted: tuple[str, ...]) -> list[Location]:
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = parse_s3_url(url)
    client = s3_client()
    try:
        if key and not key.endswith("/") and not GLOB_CHARS.search(key):
            head = client.head_object(Bucket=bucket, Key=key)
            modified = head.get("LastModified")
            return [
                Location(
                    f"s3://{bucket}/{key}",
                    bucket=bucket,
                    key=key,
                    modified=modified.date() if modified else None,
                    size=head.get("ContentLength"),
                )
            ]
        match = GLOB_CHARS.search(key)
        prefix = key[: match.start()] if match else key
        out: list[Location] = []
        paginator = client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                name = item["Key"]
                if name.endswith("/") or not _suffix_ok(name, wanted):
                    continue
                if match and not fnmatch.fnmatchcase(name, key):
                    continue
                modified = item.get("LastModified")
                out.append(
                    Location(
                        f"s3://{bucket}/{name}",
                        bucket=bucket,
                        key=name,
                        modified=modified.date() if modified else None,
                        size=item.get("Size"),
                    )
                )
    except (ClientError, BotoCoreError) as exc:
        raise _s3_problem(url, exc) from None
    if not out:
        raise ReadError(url, "matches no S3 objects; expected at least one file under this prefix")
    return sorted(out, key=lambda loc: loc.display)


def _s3_open(loc: Location) -> BinaryIO:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        body = s3_client().get_object(Bucket=loc.bucket, Key=loc.key)["Body"]
    except (ClientError, BotoCoreError) as exc:
        raise _s3_problem(loc.display, exc) from None
    return _StreamingReader(body)  # type: ignore[return-value]


class _StreamingReader(io.RawIOBase):
    """A botocore StreamingBody as a file object, read in chunks (never the whole object)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return bytes(self._body.read(None if size is None or size < 0 else size))
        except Exception as exc:  # botocore/urllib3 stream errors are not OSErrors
            raise OSError(f"the S3 download failed: {type(exc).__name__}") from exc

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._body.close()
        finally:
            super().close()


# --------------------------------------------------------------------------------------------
# Safe text
# --------------------------------------------------------------------------------------------


def iter_lines(
    loc: Location,
    *,
    keepends: bool = False,
    max_line_bytes: int = MAX_LINE_BYTES,
    bad_line: BadLine | None = None,
) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` from a UTF-8 file, streaming in chunks (bounded memory).

    Raises ``ReadError`` for a missing file or folder, a binary file (a NUL byte in the first 8 KB),
    invalid UTF-8 (naming the line and column), or a line longer than ``max_line_bytes``. A UTF-8
    BOM is stripped. An empty file yields nothing. With ``bad_line``, a line of invalid UTF-8 or
    longer than ``max_line_bytes`` is not fatal: ``bad_line(number, why)`` hears of it and it is
    yielded empty (so the lines after it are read, and keep their numbers).
    """
    with loc.open_binary() as handle:
        try:
            first = handle.read(SNIFF)
        except IsADirectoryError:
            raise ReadError(loc.display, "is a folder; expected a file") from None
        except OSError as exc:
            raise ReadError(loc.display, f"cannot be read ({exc.strerror or exc})") from None
        if first.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ReadError(
                loc.display,
                "is a binary file (UTF-16 text); expected UTF-8 text, re-export it as 'CSV UTF-8'",
            )
        if first.startswith(b"PK\x03\x04"):
            raise ReadError(
                loc.display,
                "is a binary file (a spreadsheet or zip archive); expected text such as CSV, export it as CSV",
            )
        if b"\x00" in first:
            raise ReadError(
                loc.display, "is a binary file (it contains NUL bytes); expected UTF-8 text"
            )
        counter = _ReadCounter(loc, handle, len(first)) if _read_hook is not None else None
        if first.startswith(BOM):
            first = first[len(BOM) :]
        runs = _split_lines(handle, first, loc, max_line_bytes, counter, bad_line is not None)
        number = 0  # the lines yielded so far
        for run in runs:
            if run is None:  # a line past max_line_bytes, dropped unread (only with bad_line)
                assert bad_line is not None
                number += 1
                bad_line(number, _too_long(loc, max_line_bytes, number).message)
                yield number, "\n" if keepends else ""
                continue
            try:
                texts = _text_lines(run.decode("utf-8"), keepends)
            except UnicodeDecodeError:  # which line: decoded one by one, each in its turn
                for text in _each_decoded(loc, run, number, keepends, bad_line):
                    number += 1
                    yield number, text
                continue
            yield from enumerate(texts, number + 1)
            number += len(texts)


def _text_lines(text: str, keepends: bool) -> list[str]:
    """The lines of a decoded run, split at newlines only (not at a lone carriage return), with
    their newlines or without their line ends."""
    if keepends:
        return io.StringIO(text, newline="\n").readlines()
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()
    return [line.rstrip("\r") for line in lines] if "\r" in text else lines


def _each_decoded(
    loc: Location, run: bytes, number: int, keepends: bool, bad_line: BadLine | None
) -> Iterator[str]:
    """The lines of a run one by one (it holds invalid UTF-8), from line ``number + 1``: a bad
    line raises, or with ``bad_line`` is told and comes out empty."""
    parts = run.split(b"\n")
    last = parts.pop()
    for raw in [*(part + b"\n" for part in parts), *([last] if last else [])]:
        number += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            error = _not_utf8(loc, raw, exc.start, number)
            if bad_line is None:
                raise error from None
            bad_line(number, error.message)
            yield "\n" if keepends else ""
            continue
        yield text if keepends else text.rstrip("\r\n")


def _not_utf8(loc: Location, raw: bytes, start: int, number: int) -> ReadError:
    """The error for a line that is not UTF-8; a line whose bytes are Windows-1252 letters (a
    CSV saved by Excel on Windows: ``Caf\xe9``) says so, since re-saving as 'CSV UTF-8' fixes it."""
    column = len(raw[:start].decode("utf-8", "replace")) + 1
    fix = "re-export or convert the file to UTF-8"
    if _reads_as_windows_1252(raw):
        fix = "it reads as Windows-1252 (Excel's plain 'CSV'): save it as 'CSV UTF-8' instead"
    return ReadError(
        loc.display,
        f"is not valid UTF-8 (byte 0x{raw[start]:02x} at column {column}); expected UTF-8 text, {fix}",
        number,
    )


def _reads_as_windows_1252(raw: bytes) -> bool:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\r\n" for c in text)


class _ReadCounter:
    """Counts one file's bytes for the read hook and calls it every ``READ_REPORT_BYTES``."""

    def __init__(self, loc: Location, handle: BinaryIO, sniffed: int) -> None:
        assert _read_hook is not None
        self.hook, self.display, self.read = _read_hook, loc.display, sniffed
        self.size = loc.size if loc.is_s3 else _local_size(handle)
        self.next_at = READ_REPORT_BYTES

    def add(self, size: int, lines: int) -> None:
        self.read += size
        if self.read >= self.next_at:
            self._tell(lines)
            self.next_at = self.read + READ_REPORT_BYTES

    def done(self, lines: int) -> None:
        if self.read >= READ_REPORT_BYTES:  # a file that was reported on hears its end too
            self._tell(lines)

    def _tell(self, lines: int) -> None:
        try:
            self.hook(self.display, self.read, self.size, lines)
        except Exception:  # a failing progress display never costs the file: it goes unreported
            self.hook = lambda *_report: None


def _local_size(handle: BinaryIO) -> int | None:
    try:
        return os.fstat(handle.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def _split_lines(
    handle: BinaryIO,
    first: bytes,
    loc: Location,
    limit: int,
    counter: _ReadCounter | None = None,
    skip_long: bool = False,
) -> Iterator[bytes | None]:
    """The file's lines as bytes, in runs of whole lines (each with its newline; the file's last
    line may have none), decoded and split a run at a time; a line longer than ``limit`` raises,
    or with ``skip_long`` is dropped as it streams (never held whole) and yielded as None."""
    pending = first
    number = 0
    chunk = first
    dropping = False  # inside a too-long line: its bytes are thrown away up to its newline
    while True:
        if dropping:
            end = pending.find(b"\n")
            if end >= 0:
                number += 1
                yield None
                pending, chunk, dropping = pending[end + 1 :], pending[end + 1 :], False
            else:
                pending = b""
        if not dropping and b"\n" in chunk:
            end = pending.rfind(b"\n") + 1
            run, pending = pending[:end], pending[end:]
            if len(run) <= limit + 1:  # no line in it is longer than the limit
                number += run.count(b"\n")
                yield run
            else:
                for part in run[:-1].split(b"\n"):
                    number += 1
                    if len(part) > limit:
                        if not skip_long:
                            raise _too_long(loc, limit, number)
                        yield None
                        continue
                    yield part + b"\n"
        if not dropping and len(pending) > limit:
            if not skip_long:
                raise _too_long(loc, limit, number + 1)
            pending, dropping = b"", True
        try:
            chunk = handle.read(CHUNK)
        except OSError as exc:
            raise ReadError(
                loc.display, f"cannot be read ({exc.strerror or exc})", number or None
            ) from None
        if not chunk:
            break
        if counter is not None:
            counter.add(len(chunk), number)
        pending += chunk
    if dropping:
        number += 1
        yield None
    elif pending:
        number += 1
        yield pending
    if counter is not None:
        counter.done(number)


def _too_long(loc: Location, limit: int, number: int) -> ReadError:
    return ReadError(
        loc.display,
        f"has a line longer than {limit // 1024} KB; expected a text file with normal lines",
        number,
    )


def read_text(
    loc: Location,
    *,
    max_bytes: int = 16 << 20,
    max_line_bytes: int | None = None,
    bad_line: BadLine | None = None,
) -> str:
    """A whole small text file (HTML, .env, markdown), checked like ``iter_lines`` (with
    ``bad_line``, a line of invalid UTF-8 or past ``max_line_bytes`` is left empty).

    ``ReadError`` when the file is larger than ``max_bytes`` (use ``iter_lines`` to stream).
    """
    out: list[str] = []
    size = 0
    limit = max_bytes if max_line_bytes is None else max_line_bytes
    for _number, text in iter_lines(loc, keepends=True, max_line_bytes=limit, bad_line=bad_line):
        size += len(text)
        if size > max_bytes:
            raise ReadError(
                loc.display, f"is larger than {max_bytes >> 20} MB; expected a small text file"
            )
        out.append(text)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=4096)
def normalize_header(name: str) -> str:
    """Header key for matching: lower case, letters and digits only (``Txn. Date`` -> ``txndate``).

    Kept per name: every layout's sniff asks it of the same few header cells again and again."""
    return _NOT_ALNUM.sub("", name.strip().lower())


@dataclass(frozen=True)
class Column:
    """A column a source reads: its canonical ``name`` and the header ``aliases`` that mean it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self) -> list[str]:
        """Normalised header keys that match this column (name first)."""
        return [normalize_header(self.name), *(normalize_header(a) for a in self.aliases)]


#: Words that turn a column into part of a figure rather than the figure itself: "Paid Amount" is
#: what was paid of an invoice, "Invoice Amount" the invoice. Headers with them are suggested last.
_PARTIAL_WORDS = re.compile(r"paid|balance|due|outstanding|tax|vat|gst|discount|tip|fee|refund")


def _by_meaning(candidates: Iterable[str], lookup: dict[str, str]) -> list[str]:
    """Every header holding a wanted column's name or alias (``Invoice Amount``, ``Paid Amount``
    for ``amount``), the plain figure before a part of it (paid, balance, tax), then shortest."""
    wanted = {normalize_header(c) for c in candidates if normalize_header(c)}
    holding = [
        header
        for key, header in lookup.items()
        if any(w in key for w in wanted) and key not in wanted
    ]
    return sorted(
        holding,
        key=lambda h: (bool(_PARTIAL_WORDS.search(normalize_header(h))), len(h), h),
    )


class RowErrors:
    """Row errors of one file: counted, the first few quoted; ``errors()`` gives one SourceError."""

    def __init__(self, loc: Location | str, quote: int = ROW_ERRORS_QUOTED) -> None:
        self.where = loc.display if isinstance(loc, Location) else loc
        self.quote = quote
        self.count = 0
        self.first_line: int | None = None
        self.samples: list[str] = []

    def add(self, line: int, message: str) -> None:
        """Record a skipped row at ``line`` with what was wrong."""
        self.count += 1
        if self.first_line is None:
            self.first_line = line
        if len(self.samples) < self.quote:
            self.samples.append(f"line {line}: {message}")

    def add_dropped(self, line: int, why: str) -> None:
        """A line ``iter_lines`` dropped (``bad_line``): ``why`` as a row error's words."""
        self.add(line, why.removeprefix("is ").removeprefix("has a line "))

    def __bool__(self) -> bool:
        return self.count > 0

    def message(self) -> str:
        """``3 rows skipped: line 4: ...; line 9: ...; and 1 more``."""
        plural = "row" if self.count == 1 else "rows"
        text = f"{self.count} {plural} skipped: " + "; ".join(self.samples)
        if self.count > len(self.samples):
            text += f"; and {self.count - len(self.samples)} more"
        return text

    def errors(
        self, request: SourceRequest, kind: str, *, fatal: bool = False
    ) -> list[SourceError]:
        """No error when nothing was skipped, else one non-fatal SourceError with ``rows_skipped``."""
        if not self.count:
            return []
        return [
            SourceError(
                entity=request.entity.id,
                source_kind=kind,
                provenance=Provenance(self.where, self.first_line),
                message=self.message(),
                rows_skipped=self.count,
                fatal=fatal,
            )
        ]


def unread_columns(
    loc: Location, mapping: Mapping[str, str], columns: Sequence[Column]
) -> frozenset[str]:
    """The columns the mapping says not to read (``columns = { channel = "" }``: no header is
    that column, not even one its aliases name); a required column cannot be left unread."""
    unread = frozenset(name for name, written in mapping.items() if not written.strip())
    for column in columns:
        if column.required and column.name in unread:
            raise ReadError(
                loc.display,
                f'the column mapping leaves {column.name!r} unread ({column.name} = ""), but '
                f"this source needs it; map it to the header that holds it, or remove the entry",
            )
    return unread


class CsvTable:
    """A CSV file read as a stream of ``(line, row)``; the header is read and checked on creation.

    ``columns`` lists what the source understands; ``mapping`` (from the config, canonical name ->
    header as written in the file) overrides the aliases. ``require`` lists canonical names that
    must be present; a tuple inside it means "at least one of these". Missing or misspelt columns
    raise ``ReadError`` at line 1 with the nearest header as a suggestion. ``rows`` yields dicts of
    canonical name -> stripped cell text (only the columns found), with the physical line number of
    the row's first line.

    ``header`` names the columns of a file that has no header line (Wells Fargo's download): every
    line is then a row, and ``header_line`` is 0.
    """

    def __init__(
        self,
        loc: Location,
        columns: Sequence[Column],
        *,
        mapping: Mapping[str, str] | None = None,
        require: Sequence[str | tuple[str, ...]] = (),
        delimiter: str | None = None,
        header: Sequence[str] | None = None,
    ) -> None:
        self.loc = loc
        self.columns = list(columns)
        self._lines = iter_lines(loc, keepends=True, bad_line=self._bad_line)
        #: Lines dropped (invalid UTF-8, too long) before ``rows`` was given its RowErrors.
        self._dropped: list[tuple[int, str]] = []
        self._row_errors: RowErrors | None = None
        self._strict = False
        #: The physical lines of the record being read (to read on after an unclosed quote).
        self._record: list[tuple[int, str]] = []
        self._at_end = False
        self._consumed = 0
        self._header_line = 0
        self._ahead: list[tuple[int, str]] = []
        #: The raw cells of the row ``rows`` last yielded (for layouts with heading rows).
        self.cells: list[str] = []
        if header is not None:
            self._positional(header, mapping or {}, require, delimiter)
            return
        nonblank = 0
        for number, text in self._lines:
            self._ahead.append((number, text))
            if text.strip():
                nonblank += 1
                if nonblank >= HEADER_SEARCH_LINES:
                    break
        if not nonblank:
            wanted = [c.name for c in self.columns if c.required]
            wanted += [
                r if isinstance(r, str) else " or ".join(r) for r in require if r not in wanted
            ]
            names = ", ".join(wanted)
            raise ReadError(
                loc.display, f"is empty; expected a CSV header line with columns {names}", 1
            )
        # The header is the first non-blank line, or a later one when lines above it (a report
        # title, an account name, a date range) do not hold the required columns.
        first_error: ReadError | None = None
        best_score = 0
        for position, (number, text) in enumerate(self._ahead):
            if not text.strip():
                continue
            try:
                cells = next(csv.reader([text], delimiter=delimiter or _sniff_delimiter(text)))
            except (csv.Error, StopIteration) as exc:
                first_error = first_error or ReadError(
                    loc.display, f"has an unreadable header ({exc})", number
                )
                continue
            self.header = [cell.strip() for cell in cells]
            self._header_line = number
            try:
                self.index = self._match(mapping or {}, require)
            except ReadError as exc:
                # Report the line most like a header (a title line above it names no column).
                score = self._known_headers()
                if first_error is None or score > best_score:
                    first_error, best_score = exc, score
                continue
            self._refuse_repeated_columns()
            self.delimiter = delimiter or _sniff_delimiter(text)
            self._consumed = number
            self._rest = self._ahead_from(position + 1)
            self._reader = csv.reader(self._feed(self._rest), delimiter=self.delimiter)
            return
        assert first_error is not None
        raise first_error

    def _positional(
        self,
        header: Sequence[str],
        mapping: Mapping[str, str],
        require: Sequence[str | tuple[str, ...]],
        delimiter: str | None,
    ) -> None:
        """A headerless file: ``header`` names its columns by position; every line is a row."""
        self.header = [cell.strip() for cell in header]
        self.index = self._match(mapping, require)
        self._refuse_repeated_columns()
        for number, text in self._lines:
            self._ahead.append((number, text))
            if text.strip():
                break
        else:
            raise ReadError(
                self.loc.display, f"is empty; expected rows of {', '.join(self.header)}", 1
            )
        self.delimiter = delimiter or ","
        self._rest = self._ahead_from(0)
        self._reader = csv.reader(self._feed(self._rest), delimiter=self.delimiter)

    def _refuse_repeated_columns(self) -> None:
        """A column this source reads may be headed once: with two ``amount`` columns, which one
        holds the figure would be a guess."""
        keys = [normalize_header(h) for h in self.header]
        for canonical, position in self.index.items():
            repeats = [i for i, key in enumerate(keys) if key == keys[position]]
            if len(repeats) > 1:
                raise ReadError(
                    self.loc.display,
                    f"has the column {excerpt(self.header[position], 40)!r} more than once "
                    f"(columns {', '.join(str(i + 1) for i in repeats)}); expected each column "
                    f"once, so that which one is the {canonical} is not a guess: rename or remove "
                    "the others",
                    self._header_line,
                )

    @property
    def header_line(self) -> int:
        """The physical line of the header (1 unless blank or title lines come first)."""
        return self._header_line

    def _known_headers(self) -> int:
        """How many cells of the current header line name a column this source reads."""
        keys = {key for column in self.columns for key in column.header_keys()}
        return sum(1 for cell in self.header if normalize_header(cell) in keys)

    def _ahead_from(self, position: int) -> Iterator[tuple[int, str]]:
        """The lines after the header: those read ahead looking for it, then the rest."""
        self._consumed = self._header_line
        ahead, self._ahead = self._ahead[position:], []
        return itertools.chain(ahead, self._lines)

    def _feed(self, lines: Iterator[tuple[int, str]]) -> Iterator[str]:
        """The text of ``lines`` for the csv reader, each kept in ``_record`` until ``rows``
        starts the next record; a record past ``MAX_RECORD_LINES`` lines is an unclosed quote."""
        record = self._record
        for number, text in lines:
            self._consumed = number
            record.append((number, text))
            if len(record) > MAX_RECORD_LINES:
                raise _UnclosedQuote
            yield text
        self._at_end = True

    def _bad_line(self, number: int, why: str) -> None:
        """A line ``iter_lines`` dropped: a row error once ``rows`` has its RowErrors."""
        if self._row_errors is not None:
            self._row_errors.add_dropped(number, why)
        elif self._strict:  # ``rows()`` without RowErrors: a bad line fails the file, as before
            raise ReadError(self.loc.display, why, number)
        else:
            self._dropped.append((number, why))

    def _open_quote(self, cells: list[str], width: int) -> str | None:
        """Why a record read over several lines is a quote left open, or None: it ran to the
        end of the file, or it took whole rows into one cell (another number of fields than the
        header, or a line inside it with as many delimiters as a row: a real multi-line cell,
        an address or Amex's details, holds a few words)."""
        if self._at_end:
            return _unclosed("is not closed before the end of the file")
        swallowed = len(cells) != width or (
            width >= 3
            and any(text.count(self.delimiter) >= width - 1 for _, text in self._record[1:-1])
        )
        if swallowed:
            return _unclosed(f"runs to line {self._consumed}, taking whole rows")
        return None

    def _restart(self, start: int, message: str, errors: RowErrors | None) -> Iterator[list[str]]:
        """A row error at ``start`` for the record begun there, and a csv reader from the line
        after it: the lines the record swallowed are read again as rows."""
        if errors is None:
            raise ReadError(self.loc.display, message, start)
        errors.add(start, message)
        replay = self._record[1:]
        self._record.clear()
        self._at_end = False
        self._consumed = start
        self._rest = itertools.chain(replay, self._rest)
        return iter(csv.reader(self._feed(self._rest), delimiter=self.delimiter))

    def _match(
        self, mapping: Mapping[str, str], require: Sequence[str | tuple[str, ...]]
    ) -> dict[str, int]:
        keys = [normalize_header(h) for h in self.header]
        known = {c.name for c in self.columns}
        index: dict[str, int] = {}
        unread = unread_columns(self.loc, mapping, self.columns)
        for canonical, written in mapping.items():
            if canonical not in known:
                raise ReadError(
                    self.loc.display,
                    f"the column mapping names {canonical!r}, which this source does not read; "
                    f"expected one of {', '.join(sorted(known))}",
                )
            if canonical in unread:
                continue
            target = normalize_header(written)
            if target not in keys:
                raise ReadError(
                    self.loc.display,
                    f"has no column {written!r} (mapped to {canonical}){self._suggest([written])}",
                    self._header_line,
                )
            index[canonical] = keys.index(target)
        for column in self.columns:
            if column.name in index or column.name in unread:
                continue
            for key in column.header_keys():
                if key in keys and keys.index(key) not in index.values():
                    index[column.name] = keys.index(key)
                    break
        for need in [*(c.name for c in self.columns if c.required), *require]:
            group = (need,) if isinstance(need, str) else need
            if any(name in index for name in group):
                continue
            candidates: list[str] = []
            for name in group:
                column = next((c for c in self.columns if c.name == name), Column(name))
                candidates.extend([column.name, *column.aliases])
            wanted = " or ".join(repr(n) for n in group)
            raise ReadError(
                self.loc.display,
                f"has no {wanted} column{self._suggest(candidates, group[0], set(index.values()))}",
                self._header_line,
            )
        return index

    def _suggest(
        self, candidates: Iterable[str], canonical: str | None = None, used: Set[int] = frozenset()
    ) -> str:
        found = [h for h in self.header if h]
        # A header already read as another column is no suggestion (not 'Amount' for 'account').
        lookup = {normalize_header(h): h for i, h in enumerate(self.header) if h and i not in used}
        best: str | None = None
        score = 0.0
        for candidate in candidates:
            for match in difflib.get_close_matches(
                normalize_header(candidate), list(lookup), n=1, cutoff=0.6
            ):
                ratio = difflib.SequenceMatcher(None, normalize_header(candidate), match).ratio()
                if ratio > score:
                    best, score = lookup[match], ratio
        listing = ", ".join(found[:12]) + (", ..." if len(found) > 12 else "")
        text = f" (found: {listing})" if found else " (the header is empty)"
        ranked = _by_meaning(candidates, lookup)
        if ranked:
            best = ranked[0]
        if best is not None:
            hint = f' (or map it: columns = {{ {canonical} = "{best}" }})' if canonical else ""
            others = [h for h in ranked if h != best]
            also = f" (other candidates: {', '.join(repr(h) for h in others)})" if others else ""
            text = f"; did you mean {best!r}?{also}{hint}{text}"
        return text

    def rows(self, errors: RowErrors | None = None) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, row)``; blank lines are skipped, malformed rows go to ``errors``.

        A quote that opens a cell and is not closed within ``MAX_RECORD_LINES`` lines, or before
        the end of the file, is a row error at the line the record began: the lines after that
        one are read as rows again, so one stray ``"`` never swallows the rest of the file."""
        if self._dropped:
            number, why = self._dropped[0]
            if errors is None:
                raise ReadError(self.loc.display, why, number)
            self._row_errors = errors
            for number, why in self._dropped:
                self._bad_line(number, why)
            self._dropped = []
        self._row_errors = errors
        self._strict = errors is None
        width = len(self.header)
        full_row = _row_maker(tuple(self.index.items()))
        reader: Iterator[list[str]] = iter(self._reader)
        record = self._record
        while True:
            record.clear()
            start = self._consumed + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _UnclosedQuote:
                reader = self._restart(
                    start, _unclosed(f"is not closed within {MAX_RECORD_LINES} lines"), errors
                )
                continue
            except csv.Error as exc:
                if len(record) > 1:  # a field past the size limit: a quote left open
                    reader = self._restart(
                        start, _unclosed(f"is not closed within {MAX_RECORD_LINES} lines"), errors
                    )
                    continue
                if errors is None:
                    raise ReadError(self.loc.display, f"is not valid CSV ({exc})", start) from None
                errors.add(start, f"not valid CSV ({exc})")
                continue
            if len(record) > 1 and (problem := self._open_quote(cells, width)):
                reader = self._restart(start, problem, errors)
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                message = f"has {len(cells)} fields but the header has {width} (an unquoted comma?)"
                if errors is None:
                    raise ReadError(self.loc.display, message, start)
                errors.add(start, message)
                continue
            self.cells = cells
            if len(cells) >= width:  # the usual full row: every indexed column is there
                yield start, full_row(cells)
            else:
                yield (
                    start,
                    {
                        name: (cells[i].strip() if i < len(cells) else "")
                        for name, i in self.index.items()
                    },
                )


@functools.lru_cache(maxsize=256)
def _row_maker(index: tuple[tuple[str, int], ...]) -> Callable[[list[str]], dict[str, str]]:
    """The function making a full row's dict (canonical name -> stripped cell) from its cells,
    written out for ``index`` (``{'date': cells[0].strip(), ...}``): a row costs less than half
    what a comprehension over the index costs, a tenth of reading a big ledger's rows."""
    entries = ", ".join(f"{name!r}: cells[{int(position)}].strip()" for name, position in index)
    made: Callable[[list[str]], dict[str, str]] = eval(f"lambda cells: {{{entries}}}")
    return made


class _UnclosedQuote(Exception):
    """A record ran past ``MAX_RECORD_LINES`` physical lines: a quote opened and never closed."""


def _unclosed(where: str) -> str:
    """The row error of a quote left open; ``where``: how far the cell ran."""
    return (
        f"a quoted cell opens on this line and {where} (a stray '\"'?); expected each cell that "
        "starts with '\"' to end with one: the row is skipped and the lines after it are read"
    )


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


# --------------------------------------------------------------------------------------------
# Git provenance
# --------------------------------------------------------------------------------------------


_GIT_CACHE: dict[tuple[str, int, int], Commit | None] = {}
_GIT_LOCK = threading.Lock()


#: Folder -> the repository root above it (None: in none), looked up once in the life of the
#: process (a repository made since is not seen): a portfolio's files sit in a few folders, and
#: each lookup costs a system call per folder above.
_REPO_ROOTS: dict[Path, Path | None] = {}
_MAX_REPO_ROOTS = 1 << 14

#: (repository root, its index's modification time) -> its recent history (None: ask per file),
#: read once for all the files of the repository a run cites.
_HISTORIES: dict[tuple[Path, int], gitlog.History | None] = {}
_MAX_HISTORIES = 64


def _repo_root(path: Path) -> Path | None:
    return _folder_repo_root(path.parent)


def _folder_repo_root(folder: Path) -> Path | None:
    """The nearest folder from ``folder`` up that holds ``.git``; each folder on the way is
    remembered too, so the files of sibling folders cost one look each."""
    looked: list[Path] = []
    found: Path | None = None
    for candidate in (folder, *folder.parents):
        if candidate in _REPO_ROOTS:
            found = _REPO_ROOTS[candidate]
            break
        looked.append(candidate)
        if (candidate / ".git").exists():
            found = candidate
            break
    if len(_REPO_ROOTS) + len(looked) > _MAX_REPO_ROOTS:
        _REPO_ROOTS.clear()
    _REPO_ROOTS.update(dict.fromkeys(looked, found))
    return found


def last_commit(path: Path) -> Commit | None:
    """The last commit touching ``path`` (what ``git log -1 --format='%H %cs' -- file`` says),
    or None.

    Fails soft: None when git is missing, the file is not in a repository or not committed. Results
    are cached per file, keyed on the file's and the repository index's modification times, so a
    new commit is seen. A repository's recent history is read once (``gitlog``) and answers for
    all its files; git is asked per file only where that history cannot tell.
    """
    try:
        resolved = localfiles.resolved(path)
        root = _repo_root(resolved)
        if root is None:
            return None
        index = root / ".git" / "index"
        index_mtime = index.stat().st_mtime_ns if index.exists() else 0
        cache_key = (str(resolved), resolved.stat().st_mtime_ns, index_mtime)
    except OSError:
        return None
    with _GIT_LOCK:
        if cache_key in _GIT_CACHE:
            return _GIT_CACHE[cache_key]
    if shutil.which("git") is None:
        return None
    history = _history(root, index_mtime)
    relative = resolved.relative_to(root).as_posix()
    if history is not None and (relative in history.newest or history.complete):
        commit = history.newest.get(relative)
    else:
        commit = _ask_git(resolved)
    with _GIT_LOCK:
        _GIT_CACHE[cache_key] = commit
    return commit


def _history(root: Path, index_mtime: int) -> gitlog.History | None:
    """The repository's recent history, read once per state of its index."""
    key = (root, index_mtime)
    with _GIT_LOCK:
        if key in _HISTORIES:
            return _HISTORIES[key]
    history = gitlog.recent_history(root)
    with _GIT_LOCK:
        if len(_HISTORIES) >= _MAX_HISTORIES:
            _HISTORIES.clear()
        _HISTORIES[key] = history
    return history


def _ask_git(resolved: Path) -> Commit | None:
    """``git log -1 -- file`` for one file."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%H %cs", "--", resolved.name],
            cwd=resolved.parent,
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            sha, _, day = done.stdout.strip().partition(" ")
            return Commit(sha, date.fromisoformat(day))
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return None


def provenance(loc: Location, line: int | None = None) -> Provenance:
    """Provenance for a file: its display path and, inside a git repository, the last commit."""
    commit = last_commit(loc.path) if loc.path is not None else None
    if commit is None:
        return Provenance(loc.display, line)
    return Provenance(loc.display, line, commit=commit.sha, commit_date=commit.day)


# --------------------------------------------------------------------------------------------
# Freshness and the finished result
# --------------------------------------------------------------------------------------------


def last_updated(locations: Iterable[Location]) -> date | None:
    """The newest of each file's last commit date (if committed) or else its modification date."""
    days: list[date] = []
    for loc in locations:
        commit = last_commit(loc.path) if loc.path is not None else None
        day = commit.day if commit is not None else loc.mtime()
        if day is not None:
            days.append(day)
    return max(days) if days else None


def freshness(
    request: SourceRequest,
    locations: Iterable[Location],
    newest_record: date | None = None,
) -> Freshness:
    """How old a source is against ``request.as_of``.

    The age is measured from the newest record dated on or before ``as_of`` when the data has dates,
    else from the files' last update (git commit date, else mtime); it is never negative. The source
    is stale when the age exceeds ``request.stale_after_days``.
    """
    updated = last_updated(locations)
    reference = newest_record if newest_record is not None else updated
    age = max(0, (request.as_of - reference).days) if reference is not None else None
    limit = request.stale_after_days
    return Freshness(
        last_updated=updated,
        newest_record=newest_record,
        age_days=age,
        stale=age is not None and age > limit,
        limit_days=limit,
    )


@dataclass
class DateRange:
    """Running min/max of record dates, and the newest one on or before ``as_of``."""

    as_of: date
    first: date | None = None
    last: date | None = None
    newest_past: date | None = None
    _seen: int = field(default=0, repr=False)

    def add(self, day: date | None) -> None:
        """Fold one record date in (None is ignored)."""
        if day is None:
            return
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day
        if day <= self.as_of and (self.newest_past is None or day > self.newest_past):
            self.newest_past = day


def finish(
    request: SourceRequest,
    kind: str,
    locations: Sequence[Location],
    records: Iterable[Record],
    errors: Iterable[SourceError],
    dates: Iterable[date | None] | DateRange = (),
) -> SourceResult:
    """The SourceResult with date range and freshness filled in, in one call.

    ``dates`` are the records' dates (or a ``DateRange`` built while reading); freshness comes from
    the newest one on or before ``as_of`` and the files' commits or modification times.
    """
    span = dates if isinstance(dates, DateRange) else DateRange(request.as_of)
    if not isinstance(dates, DateRange):
        for day in dates:
            span.add(day)
    return SourceResult(
        entity=request.entity.id,
        kind=kind,
        paths=tuple(request.spec.paths),
        records=tuple(records),
        errors=tuple(errors),
        freshness=freshness(request, locations, span.newest_past),
        first_date=span.first,
        last_date=span.last,
    )
