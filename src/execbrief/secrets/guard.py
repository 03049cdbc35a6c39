"""The secret guard: every outgoing message is checked before a transport sees it.

``SecretGuard(key, fingerprints).check(message)`` scans the subject, every text and HTML part and
every attachment (decoded; of an image only its file name) in two ways:

1. with the same detectors the sources use (``execbrief.secrets.scanner``): a Stripe key, an AWS key
   pair, a private-key block, a password assignment... anywhere in the message;
2. against the fingerprints of every secret the run saw (``known_fingerprints(snapshot)``): each
   candidate token of the message (split on whitespace and punctuation, 8 characters or more) is
   HMAC-ed with the portfolio key and looked up in the set. This catches a leaked value that the
   regexes alone would not recognise, such as a short database password from a ``.env`` file.

A hit is described without its value: ``Stripe secret key (live) (fingerprint ab12cd34) in body
(text/plain) line 14``. The caller blocks the message when the list is not empty.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from email.message import EmailMessage, Message

from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Snapshot

MIN_TOKEN = 8

_SPLITTERS = (
    re.compile(r"[\s\"'`<>()\[\]{},;|]+"),
    re.compile(r"[^A-Za-z0-9_\-+/=.~]+"),
    re.compile(r"[^A-Za-z0-9_\-]+"),
    re.compile(r"[^A-Za-z0-9]+"),
)
_EDGE = "\"'`()[]{}<>,;:.!?*"


def known_fingerprints(snapshot: Snapshot) -> frozenset[str]:
    """The fingerprints of every secret the snapshot's records hold (``SecretFinding`` and
    ``EnvKey`` records, and any other record with a ``fingerprint`` string)."""
    found: set[str] = set()
    for result in snapshot.results:
        for record in result.records:
            value = getattr(record, "fingerprint", None)
            if isinstance(value, str) and value:
                found.add(value)
    return frozenset(found)


#: A line of one word made of letters, digits, ``_`` and ``-`` (a reference, an id, a name): no
#: split but the finest one can cut it, so its tokens are itself and the finest split's long
#: pieces (its runs of letters and digits).
_ONE_WORD = re.compile(r"[A-Za-z0-9_\-]+")

#: Each splitter's pieces of ``MIN_TOKEN`` characters or more, found directly: a maximal run of
#: the characters a splitter keeps is one of its pieces (the short pieces, most of a line's, are
#: never made).
_LONG_PIECES = (
    re.compile(rf"[^\s\"'`<>()\[\]{{}},;|]{{{MIN_TOKEN},}}"),
    re.compile(rf"[A-Za-z0-9_\-+/=.~]{{{MIN_TOKEN},}}"),
    re.compile(rf"[A-Za-z0-9_\-]{{{MIN_TOKEN},}}"),
    re.compile(rf"[A-Za-z0-9]{{{MIN_TOKEN},}}"),
)
#: A word long enough to hold a token: no shorter word, stripped or split, gives one.
_LONG_WORD = re.compile(rf"\S{{{MIN_TOKEN},}}")


def candidate_tokens(line: str) -> set[str]:
    """Every token of a line a secret could be: words, words without surrounding punctuation, the
    value side of ``KEY=value`` and ``key: value``, and finer splits on punctuation (tokens of
    ``MIN_TOKEN`` characters or more; ``tests/test_guard.py`` holds the plain form this equals)."""
    if _ONE_WORD.fullmatch(line):
        tokens = set(_LONG_PIECES[-1].findall(line))
        if len(line) >= MIN_TOKEN:
            tokens.add(line)
        return tokens
    words = set(_LONG_WORD.findall(line))
    words.update(map(str.strip, list(words), itertools.repeat(_EDGE)))
    out = set(words)
    for sep in ("=", ":"):
        out.update(word.split(sep, 1)[1].strip(_EDGE) for word in words if sep in word)
    for splitter in _LONG_PIECES:
        out.update(splitter.findall(line))
    return {token for token in out if len(token) >= MIN_TOKEN}


class SecretGuard:
    """Checks an outgoing ``EmailMessage`` for secrets; ``check`` returns descriptions of hits
    (never values), an empty list when the message is clean."""

    def __init__(
        self, key: bytes, fingerprints: frozenset[str], scanner: Scanner | None = None
    ) -> None:
        self._hasher = Scanner(key)
        self._fingerprints = frozenset(fp.lower() for fp in fingerprints)
        self._scanner = scanner if scanner is not None else Scanner(key, include_test=True)

    def __repr__(self) -> str:
        return f"SecretGuard({len(self._fingerprints)} known fingerprints)"

    def check(self, message: EmailMessage) -> list[str]:
        """Descriptions of every secret found in the message; empty when it may be sent."""
        hits: list[str] = []
        seen: set[tuple[str, int, str]] = set()
        for where, text in _texts(message):
            for detection in self._scanner.scan_text(text, where, unquoted=True):
                if detection.allowlisted:
                    continue
                mark = (where, detection.line, detection.fingerprint)
                if mark not in seen:
                    seen.add(mark)
                    hits.append(
                        f"{detection.label} (fingerprint {detection.fingerprint[:8]}) in {where} line {detection.line}"
                    )
            if self._fingerprints:
                for number, line in enumerate(text.splitlines(), start=1):
                    for token in candidate_tokens(line):
                        fingerprint = self._hasher.fingerprint(token)
                        if fingerprint not in self._fingerprints:
                            continue
                        mark = (where, number, fingerprint)
                        if mark not in seen:
                            seen.add(mark)
                            hits.append(
                                f"a secret seen in this run's sources (fingerprint {fingerprint[:8]}) "
                                f"in {where} line {number}"
                            )
        return hits


def _texts(message: EmailMessage) -> Iterator[tuple[str, str]]:
    """(where, text) for the subject, every body part and every attachment, decoded."""
    subject = message.get("Subject")
    if subject:
        yield "subject", str(subject)
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        filename = part.get_filename()
        ctype = part.get_content_type()
        if filename:
            yield f"attachment {filename!r} filename", filename
        if part.get_content_maintype() == "image":
            continue  # pixels, not text: a chart's values are in the HTML's alt text
        if filename:
            where = f"attachment {filename!r}"
        elif part.get_content_maintype() == "text":
            where = f"body ({ctype})"
        else:
            where = f"part {index} ({ctype})"
        text = _decoded(part)
        yield where, text
        if ctype == "text/html" or (filename or "").lower().endswith((".html", ".htm")):
            unescaped = html.unescape(text)
            if unescaped != text:
                yield f"{where}, entities decoded", unescaped


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, "replace")
        except LookupError:
            return payload.decode("utf-8", "replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""
