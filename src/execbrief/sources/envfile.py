"""The ``env`` source: ``.env`` files, read for what they hold, never for what they say.

For every ``KEY=value`` line (``export KEY=value``, quoted or not, multi-line double-quoted values
too) it keeps the key, the service the key belongs to (Stripe, SES, AWS, JWT, database, ...), the
kind of value (``secret``, ``placeholder``, ``empty``, ``config``), whether a secret looks live
(``sk_live_``) or test (``sk_test_``), and a keyed fingerprint of secret values: an ``EnvKey``
record per line, plus a ``SecretFinding`` for each real (live or unknown) plaintext secret. The
value itself never leaves the function that reads its line.

A configured path may be a file (``repos.env``), a glob, or a folder: in a folder every ``.env``,
``.env.*`` and ``*.env`` file is read (dependency and VCS folders skipped, links not followed).
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from execbrief.hookspecs import hookimpl
from execbrief.localfiles import walk
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.secrets.scanner import Scanner, is_placeholder, key_mode, secret_key_category
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import (
    Location,
    ReadError,
    expand,
    finish,
    iter_lines,
    not_regular,
    provenance,
)

KIND = "env"

_LINE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?P<raw>.*)$")
_SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", "site-packages", "vendor"}
)

#: Key patterns (searched in the upper-cased key, first match wins) -> service.
SERVICES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), service)
    for pattern, service in (
        (r"(^|_)SES(_|$)|SMTP|MAIL_(HOST|PASSWORD|USER)", "ses"),
        (r"STRIPE", "stripe"),
        (r"(^|_)JWT(_|$)", "jwt"),
        (r"SENDGRID", "sendgrid"),
        (r"TWILIO", "twilio"),
        (r"SLACK", "slack"),
        (r"GITHUB|(^|_)GH_", "github"),
        (r"GOOGLE|(^|_)GCP(_|$)|GMAIL|FIREBASE|(^|_)GA4?_|(^|_)GTM_|RECAPTCHA|MAPS_API", "google"),
        (r"(^|_)AWS(_|$)|(^|_)S3_|DYNAMO|COGNITO|(^|_)SQS_|(^|_)SNS_|LAMBDA", "aws"),
        (r"DATABASE|(^|_)DB_|POSTGRES|(^|_)PG|MYSQL|MARIADB|MONGO|REDIS|SQLALCHEMY", "database"),
        (r"MAILCHIMP", "mailchimp"),
        (r"OPENAI|ANTHROPIC", "ai"),
        (r"SENTRY", "sentry"),
        (r"PAYPAL|SQUARE|BRAINTREE", "payments"),
        (r"SHOPIFY", "shopify"),
        (r"CLOUDFLARE|(^|_)CF_", "cloudflare"),
        (r"(^|_)SECRET_KEY$|SESSION|DJANGO|FLASK|(^|_)APP_(KEY|SECRET)", "app"),
    )
)

#: Service implied by what a detector recognised in the value, when the key says nothing.
_SERVICE_BY_KIND = {
    "stripe": "stripe",
    "aws": "aws",
    "google": "google",
    "github": "github",
    "slack": "slack",
    "twilio": "twilio",
    "sendgrid": "sendgrid",
    "jwt": "jwt",
    "url": "database",
}


def service_for(key: str) -> str | None:
    """The service a key belongs to by its name (``STRIPE_SECRET_KEY`` -> ``stripe``), or None."""
    upper = key.upper()
    for pattern, service in SERVICES:
        if pattern.search(upper):
            return service
    return None


class EnvSource(BaseSource):
    """``.env`` files: keys by service, plaintext secrets (live or test) and placeholders."""

    name = KIND
    description = ".env files: keys by service, plaintext secrets (live or test), placeholders"

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured .env file; bad files become SourceErrors, the rest is read.

        A file several entities list is read once per run (``request.shared``): every listing
        gets its records under its own entity, so the one finding per secret names each entity
        that lists the file; the file's read errors are reported on its first listing only."""
        scanner = Scanner(request.fingerprint_key, request.allowlist, include_test=True)
        locations, errors = _locations(request)
        records: list[Record] = []
        for loc in locations:
            if request.shared is None:
                found, problems = _read_file(loc, request, scanner)
            else:
                (found, problems), first = request.shared.get(
                    KIND,
                    _identity(loc),
                    request.entity.id,
                    functools.partial(_read_file, loc, request, scanner),
                )
                if not first:
                    found = [replace(r, entity=request.entity.id) for r in found]
                    problems = []
            records.extend(found)
            errors.extend(problems)
        return finish(request, KIND, locations, records, errors)


def _identity(loc: Location) -> str:
    """What makes two listings one file: the resolved local path, or the S3 URL."""
    return str(loc.path.resolve()) if loc.path is not None else loc.display


def _read_file(
    loc: Location, request: SourceRequest, scanner: Scanner
) -> tuple[list[Record], list[SourceError]]:
    """One file's records and errors; a file that breaks off keeps the records read before."""
    records: list[Record] = []
    try:
        return records, _read(loc, request, scanner, records)
    except ReadError as exc:
        return records, [exc.to_error(request, KIND)]


def _locations(request: SourceRequest) -> tuple[list[Location], list[SourceError]]:
    locations: list[Location] = []
    errors: list[SourceError] = []
    for configured in request.spec.paths:
        resolved = request.resolve(configured)
        if "://" not in configured and resolved.is_dir():
            found = [
                Location(request.display(p), path=p) for p in _env_files(request, resolved, errors)
            ]
            if not found:
                errors.append(
                    SourceError(
                        request.entity.id,
                        KIND,
                        Provenance(request.display(resolved)),
                        "is a folder with no .env files in it; expected .env, .env.* or *.env files",
                    )
                )
            locations.extend(found)
        else:
            more, problems = expand(request, [configured])
            locations.extend(more)
            errors.extend(problems)
    return locations, errors


def is_env_name(name: str) -> bool:
    """``.env``, ``.env.production``, ``repos.env``: yes; ``.envrc``, ``env.py``: no."""
    lower = name.lower()
    return (
        lower == ".env" or lower.startswith(".env.") or (lower.endswith(".env") and len(lower) > 4)
    )


def _env_files(request: SourceRequest, folder: Path, errors: list[SourceError]) -> list[Path]:
    """The .env files under ``folder`` (``localfiles.walk``: linked folders not followed, nothing
    opened); a symbolic link is skipped, and a FIFO, device or link loop is named in ``errors``."""
    out: list[Path] = []
    for candidate, found in walk(folder, skip_folder=lambda name: name in _SKIP_DIRS):
        if not is_env_name(candidate.name) or (candidate.is_symlink() and found == "file"):
            continue
        if found == "file":
            out.append(candidate)
        elif found not in ("folder", "missing"):
            problem = not_regular(request.display(candidate), found, fatal=False)
            errors.append(problem.to_error(request, KIND))
    return out


MAX_VALUE_LINES = 200


class _Lines:
    """An iterator over (number, text) that can take lines back (a quote that never closes)."""

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self._lines = lines
        self._pushed: deque[tuple[int, str]] = deque()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> tuple[int, str]:
        if self._pushed:
            return self._pushed.popleft()
        return next(self._lines)

    def push_back(self, items: list[tuple[int, str]]) -> None:
        self._pushed.extendleft(reversed(items))


class _FirstLines:
    """Line numbers of one kind of problem: their count and the first five only (a file of
    millions of bad lines must not hold millions of numbers)."""

    def __init__(self) -> None:
        self.count = 0
        self.first: list[int] = []

    def append(self, number: int) -> None:
        """Count one more line; keep its number if it is among the first five."""
        self.count += 1
        if len(self.first) < 5:
            self.first.append(number)

    def __len__(self) -> int:
        return self.count


def _logical_lines(
    loc: Location, unterminated: _FirstLines
) -> Iterator[tuple[int, str, str | None]]:
    """(line, key, value) per assignment; ``key`` is "" with value None for a line that is not
    one. A quoted value may run over several lines (up to ``MAX_VALUE_LINES``); it is cited at its
    first line. An opening quote that never closes keeps only its own line (the lines after it
    are read as usual) and its line number goes to ``unterminated``."""
    stream = _Lines(iter_lines(loc))
    for number, text in stream:
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(text)
        if match is None:
            yield number, "", None
            continue
        key, raw = match.group("key"), match.group("raw").strip()
        if raw[:1] in {'"', "'"}:
            quote = raw[0]
            body = raw[1:]
            if quote in body:
                yield number, key, body[: body.index(quote)]
                continue
            taken: list[tuple[int, str]] = []
            closed = False
            for item in stream:
                taken.append(item)
                if quote in item[1]:
                    closed = True
                    break
                if len(taken) >= MAX_VALUE_LINES:
                    break
            if closed:
                parts = [
                    body,
                    *(t for _n, t in taken[:-1]),
                    taken[-1][1][: taken[-1][1].index(quote)],
                ]
                yield number, key, "\n".join(parts)
                continue
            stream.push_back(taken)
            unterminated.append(number)
            yield number, key, body
            continue
        yield number, key, re.split(r"\s+#", raw, maxsplit=1)[0].strip()


#: A ``.env`` is a few hundred settings; past these counts a file is generated or hostile, and
#: keeping a record per line would grow the snapshot without bound (issue 17: a 1,000,000-line
#: file took 5 GB). Every line is still read; what is not kept is counted in one message.
MAX_KEYS = 10_000
MAX_SECRETS = 1_000


class _Limits:
    """What one file's reading kept and what it only counted past ``MAX_KEYS``/``MAX_SECRETS``."""

    def __init__(self) -> None:
        self.keys = 0
        self.secrets = 0
        self.keys_dropped = 0
        self.secrets_unlisted = 0
        self.unjudged = 0

    def take_secret(self) -> bool:
        """Count a secret; True while it may still be listed as a finding."""
        self.secrets += 1
        if self.secrets > MAX_SECRETS:
            self.secrets_unlisted += 1
            return False
        return True


def _read(
    loc: Location, request: SourceRequest, scanner: Scanner, records: list[Record]
) -> list[SourceError]:
    """Append the file's records to ``records``; return its non-fatal errors."""
    prov = provenance(loc)
    bad_lines = _FirstLines()
    unterminated = _FirstLines()
    limits = _Limits()
    for number, key, value in _logical_lines(loc, unterminated):
        if value is None:
            bad_lines.append(number)
            continue
        limits.keys += 1
        if limits.keys > MAX_KEYS:
            limits.keys_dropped += 1
            # past the cap only secrets matter, and a line no rule's keyword is in holds none
            if scanner.assignment_may_hold_secret(key, value):
                if limits.secrets >= MAX_SECRETS:
                    limits.unjudged += 1
                    continue
                _judge(loc, request, scanner, records, prov.at_line(number), key, value, limits)
            continue
        records.append(
            _judge(loc, request, scanner, records, prov.at_line(number), key, value, limits)
        )
    return _problems(request, prov, bad_lines, unterminated, limits)


def _judge(
    loc: Location,
    request: SourceRequest,
    scanner: Scanner,
    records: list[Record],
    at: Provenance,
    key: str,
    value: str,
    limits: _Limits,
) -> EnvKey:
    """The line's EnvKey; a SecretFinding for each secret in it goes to ``records``."""
    number = at.line or 0
    category = secret_key_category(key)
    service = service_for(key)
    fingerprint: str | None = None
    live: bool | None = None
    # the detectors judge first: they test placeholders on the part after a known prefix,
    # so sk_test_<random> is a test key, not a "test" placeholder
    detections = (
        [
            replace(d, line=number + d.line - 1)
            for d in scanner.scan_text(f"{key}={value}", loc.display, unquoted=True)
        ]
        if value.strip()
        else []
    )
    if not value.strip():
        value_kind = "empty"
    elif detections:
        value_kind = "secret"
        lives = {d.live for d in detections}
        live = True if True in lives else (False if lives == {False} else None)
        fingerprint = scanner.fingerprint(value)
        service = service or _SERVICE_BY_KIND.get(detections[0].detector)
        listed = [d for d in detections if d.live is not False]
        if listed and limits.take_secret():
            records.extend(d.to_record(request.entity.id, at) for d in listed)
    elif is_placeholder(value):
        value_kind = "placeholder"
    elif category is not None and not value.replace(".", "").isdigit():
        value_kind = "secret"
        live = key_mode(value)
        fingerprint = scanner.fingerprint(value)
        if limits.take_secret():
            records.append(
                _env_secret(
                    request,
                    at,
                    loc.display,
                    number,
                    category,
                    (len(value), live),
                    fingerprint,
                    scanner,
                )
            )
    else:
        value_kind = "config"
    return EnvKey(
        entity=request.entity.id,
        provenance=at,
        file=loc.display,
        line=number,
        key=key,
        service=service or "other",
        value_kind=value_kind,
        live=live,
        fingerprint=fingerprint,
    )


def _problems(
    request: SourceRequest,
    prov: Provenance,
    bad_lines: _FirstLines,
    unterminated: _FirstLines,
    limits: _Limits,
) -> list[SourceError]:
    """One sentence per kind of problem the file had."""
    found: list[tuple[int | None, str, int]] = []
    if bad_lines:
        shown = ", ".join(str(n) for n in bad_lines.first)
        more = f" and {len(bad_lines) - 5} more" if len(bad_lines) > 5 else ""
        found.append(
            (
                bad_lines.first[0],
                f"{len(bad_lines)} line(s) are not KEY=value assignments (lines {shown}{more}); "
                "expected KEY=value, export KEY=value or # comments",
                len(bad_lines),
            )
        )
    if unterminated:
        shown = ", ".join(str(n) for n in unterminated.first)
        found.append(
            (
                unterminated.first[0],
                f"{len(unterminated)} quoted value(s) never close (lines {shown}); "
                "expected a closing quote; only the opening line was read as the value",
                0,
            )
        )
    if limits.keys_dropped:
        found.append(
            (
                None,
                f"has {limits.keys:,} assignments; the first {MAX_KEYS:,} are kept as keys and "
                f"the rest only searched for secrets; expected a .env of settings (split a "
                "generated file, or leave it out of the config)",
                0,
            )
        )
    if limits.secrets_unlisted or limits.unjudged:
        unjudged = (
            f", and {limits.unjudged:,} more lines whose names or values look secret were "
            "not judged one by one"
            if limits.unjudged
            else ""
        )
        found.append(
            (
                None,
                f"holds more than {MAX_SECRETS:,} plaintext secrets: the first {MAX_SECRETS:,} "
                f"are findings, {limits.secrets_unlisted:,} more are only counted here"
                f"{unjudged}; treat every secret in the file as leaked and rotate them",
                0,
            )
        )
    return [
        SourceError(
            request.entity.id, KIND, prov.at_line(line), message, rows_skipped=skipped, fatal=False
        )
        for line, message, skipped in found
    ]


def _env_secret(
    request: SourceRequest,
    at: Provenance,
    display: str,
    line: int,
    category: str,
    length_and_live: tuple[int, bool | None],
    fingerprint: str,
    scanner: Scanner,
) -> Record:
    length, live = length_and_live
    return SecretFinding(
        entity=request.entity.id,
        provenance=at,
        kind=category,
        file=display,
        line=line,
        live=live,
        length=length,
        prefix_class=None,
        fingerprint=fingerprint,
        detector="env-key",
        allowlisted=scanner.allowlist_reason(fingerprint, display),
    )


@hookimpl
def register_sources() -> list[Source]:
    """The ``env`` source."""
    return [EnvSource()]
