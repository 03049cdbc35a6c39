"""A secret scanner of our own: provider rules, a keyword prefilter, entropy and placeholder checks.

The scanner finds credentials in text and files and reports *where* they are and *what* they are,
never *what they say*: a :class:`Detection` keeps the kind, file, line, live or test, length,
prefix class (``sk_live``, ``AKIA``, ...) and a keyed HMAC-SHA256 fingerprint of the value. The
matched value lives only in local variables while one line is examined; it is never stored in an
object that outlives that line, never logged and never put in an error message.

How a file is read (fast path first):

1. The bytes are read in blocks of about 1 MiB cut at line ends (memory stays bounded, binaries
   with a NUL byte in their first 8 KiB are skipped).
2. One compiled alternation of lowercase keywords (``_PREFILTER``) runs over the ASCII-lowercased
   block. A line without any keyword (``password``, ``secret``, ``token``, ``sk_live_``, ``akia``,
   ``-----begin``...) never reaches a per-rule regex: this is the one fast check per line.
3. Each line the prefilter hits is decoded and given to the rules whose cheap literal hint it holds.
4. Every candidate value passes placeholder detection (``changeme``, ``your-api-key-here``,
   ``xxxx``, ``<...>``, ``${VAR}``, ``os.environ[...]``, repeated or sequential characters, ...)
   and a Shannon-entropy floor chosen per rule, so documentation examples are not reported.

Fingerprints are ``HMAC-SHA256(key, value)`` truncated to 16 hex digits. The key is per portfolio
(``.execbrief/fingerprint.key`` or ``EXECBRIEF_FINGERPRINT_KEY``), so a fingerprint cannot be
reversed by hashing guesses of a short password, unlike a plain hash.

Only the standard library is used here: sources and the delivery guard both import this module.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import hmac
import itertools
import json
import math
import re
import secrets as _secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from execbrief.records.secrets import SecretFinding
    from execbrief.snapshot import Provenance

FINGERPRINT_HEX = 16
BLOCK_BYTES = 1 << 20
SNIFF_BYTES = 8192
MAX_LINE = 20_000

#: Human labels of the detection kinds, for messages and reports.
KIND_LABELS = {
    "stripe-secret-key": "Stripe secret key",
    "stripe-restricted-key": "Stripe restricted key",
    "stripe-publishable-key": "Stripe publishable key",
    "aws-access-key-id": "AWS access key id",
    "aws-secret-access-key": "AWS secret access key",
    "google-api-key": "Google API key",
    "github-token": "GitHub token",
    "slack-token": "Slack token",
    "slack-webhook": "Slack webhook URL",
    "twilio-api-key": "Twilio API key SID",
    "twilio-account-sid": "Twilio account SID",
    "sendgrid-api-key": "SendGrid API key",
    "private-key": "private key",
    "jwt": "JSON Web Token",
    "url-credentials": "password in a URL",
    "npm-token": "npm access token",
    "openai-api-key": "OpenAI API key",
    "password": "hardcoded password",
    "secret": "hardcoded secret",
    "token": "hardcoded token",
    "api-key": "hardcoded API key",
}


class AllowlistLike(Protocol):
    """What the scanner needs of an allowlist entry (``config.AllowlistEntry`` fits)."""

    @property
    def fingerprint(self) -> str | None: ...

    @property
    def path(self) -> str | None: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Detection:
    """One secret found: what and where, never the value.

    ``live`` is True for a live/production key, False for a test-mode key (``sk_test_``), None when
    the format does not say. ``prefix_class`` is the recognisable, non-secret head of the format
    (``sk_live``, ``AKIA``, ``ghp``, ``RSA PRIVATE KEY``, the URL scheme). ``allowlisted`` holds the
    allowlist reason when a config entry silences the detection.
    """

    kind: str
    file: str
    line: int
    live: bool | None
    length: int
    prefix_class: str | None
    fingerprint: str
    detector: str
    allowlisted: str | None = None

    @property
    def label(self) -> str:
        """``Stripe secret key (live)``."""
        base = KIND_LABELS.get(self.kind, self.kind)
        mode = (
            {True: " (live)", False: " (test)"}.get(self.live, "") if self.live is not None else ""
        )
        return base + mode

    def describe(self, where: str | None = None) -> str:
        """``Stripe secret key (live), fingerprint ab12cd34, at app/handler.py:14``."""
        place = where if where is not None else f"{self.file}:{self.line}"
        return f"{self.label}, fingerprint {self.fingerprint[:8]}, at {place}"

    def to_record(self, entity: str, provenance: Provenance) -> SecretFinding:
        """The snapshot record for this detection."""
        from execbrief.records.secrets import SecretFinding

        return SecretFinding(
            entity=entity,
            provenance=provenance,
            kind=self.kind,
            file=self.file,
            line=self.line,
            live=self.live,
            length=self.length,
            prefix_class=self.prefix_class,
            fingerprint=self.fingerprint,
            detector=self.detector,
            allowlisted=self.allowlisted,
        )


class _Hit(NamedTuple):
    """A candidate on one line. Holds the value: local to ``_scan_line``, never returned."""

    start: int
    end: int
    kind: str
    live: bool | None
    prefix_class: str | None
    value: str
    detector: str


# --------------------------------------------------------------------------------------------
# Value checks: entropy and placeholders


def shannon_entropy(value: str) -> float:
    """Shannon entropy in bits per character (0 for an empty string)."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


_PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "changethis", "replaceme", "replace_me", "replace-me",
    "your_", "your-", "yourkey", "yoursecret", "yourtoken", "yourpassword", "yourapikey",
    "example", "dummy", "placeholder", "sample", "redacted", "notasecret", "not_a_secret",
    "not-a-secret", "not-real", "not_real", "notreal", "fake", "xxxx", "****", "....", "…", "todo", "fixme", "insert", "test", "mock", "demo",
    "_here", "-here", "here_", "goes_here", "<", ">", "${", "{{", "}}", "%(", "os.environ",
    "os.getenv", "getenv(", "process.env", "env[", "environ[", "secrets.", "vault:", "ssm:",
    "arn:aws:secretsmanager", "lorem", "ipsum",
)  # fmt: skip

_PLACEHOLDER_EXACT = frozenset(
    {
        "", "none", "null", "nil", "true", "false", "undefined", "empty", "unset", "required",
        "secret", "secrets", "password", "passwd", "pass", "pwd", "token", "key", "apikey",
        "api_key", "api-key", "test", "testing", "foo", "bar", "baz", "foobar", "abc", "abc123",
        "admin", "root", "user", "guest", "qwerty", "letmein", "default", "string", "str",
        "value", "secret_key", "secretkey", "access_key", "auth_token", "private_key",
        "your-api-key-here", "xxx", "...", "-", "*", "?", "n/a", "na",
    }
)  # fmt: skip

_VAR_REFERENCE = re.compile(
    r"""^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(.*\)|%[sd]|%\(\w+\)s|\{\w*\}|\{\{.*\}\}|<[^>]*>|\[[^\]]*\]|@\w+@|__\w+__|!\w+.*)$"""
)
_ASCENDING = "0123456789abcdefghijklmnopqrstuvwxyz0123456789"  # and its substrings


def is_placeholder(value: str) -> bool:
    """True if ``value`` reads as a stand-in rather than a credential.

    Catches ``changeme``, ``your-api-key-here``, ``xxxx``, ``<token>``, ``${VAR}``, ``%(pw)s``,
    ``os.environ[...]``, ``example``/``dummy``/``sample``/``fake``, values made of one or two
    repeated characters and ascending runs such as ``12345678`` or ``abcdef``.
    """
    stripped = value.strip()
    low = stripped.lower()
    if low in _PLACEHOLDER_EXACT or _VAR_REFERENCE.match(stripped):
        return True
    if any(word in low for word in _PLACEHOLDER_WORDS):
        return True
    if len(set(low)) <= 2:
        return True
    most = Counter(low).most_common(1)[0][1]
    if len(low) >= 6 and most / len(low) > 0.6:
        return True
    if len(low) >= 6 and low in _ASCENDING:
        return True
    steps = sum(1 for a, b in pairwise(low) if ord(b) - ord(a) in (1, -1))
    return len(low) >= 8 and steps / (len(low) - 1) >= 0.6


def _char_classes(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


def _random_enough(body: str, min_entropy: float, min_classes: int = 2) -> bool:
    return (
        not is_placeholder(body)
        and shannon_entropy(body) >= min_entropy
        and _char_classes(body) >= min_classes
    )


# --------------------------------------------------------------------------------------------
# The prefilter and the rules

_PREFILTER = re.compile(
    rb"[spr]k_(?:live|test)_"
    rb"|\b(?:akia|asia)[0-9a-z]{16}\b"
    rb"|aiza"
    rb"|gh[pousr]_|github_pat_"
    rb"|xox[baprs]-|hooks\.slack\.com"
    rb"|\bsg\."
    rb"|private key|bearer|npm_|\bsk-"
    rb"|eyj"
    rb"|pass|pwd|secret|token|credential"
    rb"|(?:api|access|auth|private|signing|encryption|master|app|license)[_-]?key"
    rb"|://[^/\s:@'\"]{1,64}:[^/\s@'\"]{1,128}@"
    rb"|\b(?:ac|sk)[0-9a-f]{32}\b"
)

_STRIPE = re.compile(
    r"(?<![A-Za-z0-9_])((sk|rk|pk)_(live|test)_([0-9A-Za-z]{16,247}))(?![0-9A-Za-z])"
)
_AWS_ID = re.compile(r"(?<![A-Za-z0-9])((AKIA|ASIA)([0-9A-Z]{16}))(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
_GOOGLE = re.compile(r"(?<![A-Za-z0-9_\-])(AIza([0-9A-Za-z_\-]{35}))(?![A-Za-z0-9_\-])")
_GITHUB = re.compile(
    r"(?<![A-Za-z0-9_])((gh[pousr])_([A-Za-z0-9]{36,255})|(github_pat)_([A-Za-z0-9_]{22,255}))(?![A-Za-z0-9_])"
)
_SLACK_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])((xox[baprs])-([0-9A-Za-z\-]{10,250}))(?![0-9A-Za-z\-])"
)
_SLACK_HOOK = re.compile(
    r"(https://hooks\.slack\.com/(?:services|workflows)/(T[A-Z0-9]{6,})/(B?[A-Z0-9]{6,})/([A-Za-z0-9]{16,}))"
)
_TWILIO = re.compile(r"(?<![A-Za-z0-9])((AC|SK)([0-9a-f]{32}))(?![A-Za-z0-9])")
_SENDGRID = re.compile(
    r"(?<![A-Za-z0-9])(SG\.([A-Za-z0-9_\-]{22})\.([A-Za-z0-9_\-]{43}))(?![A-Za-z0-9_\-])"
)
_PRIVATE_KEY = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_JWT = re.compile(
    r"(?<![A-Za-z0-9_\-])(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})(?![A-Za-z0-9_\-])"
)
_URL_CREDS = re.compile(
    r"(?<![A-Za-z0-9+.\-])([A-Za-z][A-Za-z0-9+.\-]{1,20})://([^\s/:@'\"`<>]{1,64}):([^\s/@'\"`<>]{1,128})@([^\s/:'\"`<>@?#]+)"
)
_ASSIGN = re.compile(
    r"""(?<![A-Za-z0-9_.\-])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)["']?(?:\s*:\s*[A-Za-z_][A-Za-z0-9_\[\]., |]{0,40}?)?\s*(?P<op>:=|=>|==|=|:)\s*"""
    r"""(?:(?P<q>["'`])(?P<qv>[^"'`]{0,500})(?P=q)|(?P<uv>[^\s"'`,;#)\]}]{1,500}))"""
)
_BEARER = re.compile(
    r"(?<![A-Za-z0-9])[Bb]earer\s+([A-Za-z0-9_\-.=+/~]{16,500})(?![A-Za-z0-9_\-.=+/~])"
)
_NPM = re.compile(r"(?<![A-Za-z0-9_])(npm_([A-Za-z0-9]{36}))(?![A-Za-z0-9])")
_OPENAI = re.compile(
    r"(?<![A-Za-z0-9_\-])(sk-(?:(proj|svcacct|admin)-)?([A-Za-z0-9_\-]{32,200}))(?![A-Za-z0-9_\-])"
)
_PAIR = re.compile(
    r"""(?<![A-Za-z0-9_])(?P<kq>["'])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})(?P=kq)\s*,\s*(?P<q>["'])(?P<qv>[^"'`]{1,500})(?P=q)"""
)
_IN_STRING = re.compile(
    r"(?<=[;\"'?&])\s*(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})=(?P<v>[^;\"'&\s#]{1,500})"
)
_XML = re.compile(r"<(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})>(?P<v>[^<>\s]{1,500})</(?P=key)>")
_B64_CHARS = re.compile(r"[^A-Za-z0-9+/=]")

_UNQUOTED_SUFFIXES = frozenset(
    {
        ".env",
        ".yml",
        ".yaml",
        ".ini",
        ".cfg",
        ".conf",
        ".properties",
        ".sh",
        ".bash",
        ".zsh",
        ".envrc",
    }
)

_UNQUOTED_NAMES = frozenset(
    {"dockerfile", "procfile", "credentials", ".npmrc", ".pypirc", ".netrc", ".pgpass", ".htpasswd"}
)

_SECRET_WORDS = {
    "password": "password", "passwd": "password", "pwd": "password", "pass": "password",
    "passphrase": "password", "dbpass": "password", "secret": "secret", "secrets": "secret",
    "token": "token", "apikey": "api-key", "credential": "secret", "credentials": "secret",
    "privatekey": "secret", "secretkey": "secret",
}  # fmt: skip
_SECRET_PAIRS = {
    ("api", "key"): "api-key", ("access", "key"): "secret", ("auth", "key"): "secret",
    ("private", "key"): "secret", ("signing", "key"): "secret", ("encryption", "key"): "secret",
    ("master", "key"): "secret", ("secret", "key"): "secret", ("app", "key"): "api-key",
    ("client", "secret"): "secret", ("license", "key"): "api-key",
}  # fmt: skip
_NOT_SECRET_LAST = frozenset(
    {
        "id", "ids", "name", "names", "url", "uri", "endpoint", "host", "hostname", "port", "path",
        "file", "filename", "dir", "type", "ttl", "expiry", "expires", "expiration", "length",
        "len", "timeout", "region", "user", "username", "header", "field", "prefix", "suffix",
        "format", "count", "max", "min", "size", "enabled", "required", "policy", "arn",
        "version", "env", "var", "class", "kind", "mode", "label", "help", "text", "message",
        "msg", "prompt", "type_", "reset", "changed", "char", "chars", "pattern", "regex", "re",
        "index", "idx", "pos", "start", "end", "len_", "cls", "factory", "handler", "callback",
        "hint", "description", "desc", "title", "error", "errors", "valid", "validator", "rule",
        "rules", "strength", "manager", "store", "storage", "location", "source", "provider",
        "algorithm", "alg", "scheme", "id_", "ref", "key_id", "keyid", "lifetime", "age",
        "hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "md5", "fingerprint",
    }
)  # fmt: skip
#: A variable its author named a stand-in (``FAKE_PASSWORD``, ``dummyApiKey``) holds no credential.
_STAND_IN_NAMES = frozenset({"fake", "dummy", "example", "sample", "mock", "placeholder", "bogus"})
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*$|^[A-Z_][A-Z0-9_]*$")
_NUMBERISH = re.compile(r"^[\d.,:\-+ ]+$")


def secret_key_category(key: str) -> str | None:
    """``password``, ``secret``, ``token`` or ``api-key`` if a variable name says it holds one.

    ``DB_PASSWORD``, ``smtpPassword``, ``stripe_api_key``, ``JWT_SECRET``, ``client-secret`` do;
    ``TOKEN_EXPIRY``, ``PASSWORD_MIN_LENGTH``, ``API_KEY_ID``, ``tokenize`` do not.
    """
    words = [w for w in _WORD_SPLIT.split(_CAMEL.sub(r"\1_\2", key).lower()) if w]
    if not words or words[-1] in _NOT_SECRET_LAST or not _STAND_IN_NAMES.isdisjoint(words):
        return None
    found: str | None = None
    for index, word in enumerate(words):
        if index + 1 < len(words) and (word, words[index + 1]) in _SECRET_PAIRS:
            found = _SECRET_PAIRS[(word, words[index + 1])]
        elif word in _SECRET_WORDS:
            found = _SECRET_WORDS[word]
        elif word.endswith(("password", "passwd")):
            found = "password"
        elif word.endswith("secret"):
            found = "secret"
        elif word.endswith("token") and word not in {"tokentoken"}:
            found = "token"
        elif word.endswith("apikey"):
            found = "api-key"
    return found


def unquoted_allowed(file: str) -> bool:
    """True for files where ``KEY=value`` needs no quotes: ``.env``, YAML, INI, shell, ..."""
    name = PurePosixPath(file.replace("\\", "/")).name.lower()
    if name.startswith(".env") or name.endswith(".env") or name in _UNQUOTED_NAMES:
        return True
    return PurePosixPath(name).suffix in _UNQUOTED_SUFFIXES


# --------------------------------------------------------------------------------------------
# Per-rule checks. Each yields candidate hits for one line.


def _rule_stripe(line: str, low: str, include_test: bool) -> Iterator[_Hit]:
    if "_live_" not in low and "_test_" not in low:
        return
    for m in _STRIPE.finditer(line):
        head, mode, body = m.group(2), m.group(3), m.group(4)
        if not _random_enough(body, 3.0):
            continue
        live = mode == "live"
        if not live and not include_test:
            continue
        if head == "pk" and not live:
            continue  # a test publishable key is public and harmless
        kind = {
            "sk": "stripe-secret-key",
            "rk": "stripe-restricted-key",
            "pk": "stripe-publishable-key",
        }[head]
        yield _Hit(m.start(1), m.end(1), kind, live, f"{head}_{mode}", m.group(1), "stripe")


def _rule_aws(line: str, low: str) -> Iterator[_Hit]:
    if "akia" in low or "asia" in low:
        for m in _AWS_ID.finditer(line):
            if _random_enough(m.group(3), 2.8):
                yield _Hit(
                    m.start(1), m.end(1), "aws-access-key-id", None, m.group(2), m.group(1), "aws"
                )
    if "aws" in low or "secret" in low:
        for m in _AWS_SECRET.finditer(line):
            value = m.group(1)
            if (
                any(c.islower() for c in value)
                and any(c.isupper() for c in value)
                and any(c.isdigit() for c in value)
                and _random_enough(value, 4.0, 3)
            ):
                yield _Hit(m.start(1), m.end(1), "aws-secret-access-key", None, None, value, "aws")


def _rule_google(line: str, low: str) -> Iterator[_Hit]:
    if "aiza" not in low:
        return
    for m in _GOOGLE.finditer(line):
        if _random_enough(m.group(2), 3.5):
            yield _Hit(m.start(1), m.end(1), "google-api-key", None, "AIza", m.group(1), "google")


def _rule_github(line: str, low: str) -> Iterator[_Hit]:
    if "gh" not in low and "github_pat_" not in low:
        return
    for m in _GITHUB.finditer(line):
        head = m.group(2) or m.group(4)
        body = m.group(3) or m.group(5)
        if _random_enough(body, 3.5):
            yield _Hit(m.start(1), m.end(1), "github-token", None, head, m.group(1), "github")


def _rule_slack(line: str, low: str) -> Iterator[_Hit]:
    if "xox" in low:
        for m in _SLACK_TOKEN.finditer(line):
            if _random_enough(m.group(3).replace("-", ""), 3.0):
                yield _Hit(
                    m.start(1), m.end(1), "slack-token", None, m.group(2), m.group(1), "slack"
                )
    if "hooks.slack.com" in low:
        for m in _SLACK_HOOK.finditer(line):
            if _random_enough(m.group(4), 3.0):
                yield _Hit(
                    m.start(1),
                    m.end(1),
                    "slack-webhook",
                    None,
                    "hooks.slack.com",
                    m.group(1),
                    "slack",
                )


def _rule_twilio(line: str, low: str) -> Iterator[_Hit]:
    for m in _TWILIO.finditer(line):
        body = m.group(3)
        if (
            _random_enough(body, 3.0)
            and any(c.isdigit() for c in body)
            and any(c.isalpha() for c in body)
        ):
            kind = "twilio-api-key" if m.group(2) == "SK" else "twilio-account-sid"
            yield _Hit(m.start(1), m.end(1), kind, None, m.group(2), m.group(1), "twilio")


def _rule_sendgrid(line: str, low: str) -> Iterator[_Hit]:
    if "sg." not in low:
        return
    for m in _SENDGRID.finditer(line):
        if _random_enough(m.group(2) + m.group(3), 3.5):
            yield _Hit(
                m.start(1), m.end(1), "sendgrid-api-key", None, "SG.", m.group(1), "sendgrid"
            )


def _jwt_header_ok(token: str) -> bool:
    head, payload = token.split(".")[:2]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
        body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    if not isinstance(header, dict) or "alg" not in header:
        return False
    # jwt.io's sample token (John Doe, sub 1234567890) is documentation, not a credential.
    return b"John Doe" not in body and b'"1234567890"' not in body


def _rule_jwt(line: str, low: str) -> Iterator[_Hit]:
    if "eyj" not in low:
        return
    for m in _JWT.finditer(line):
        signature = m.group(1).rsplit(".", 1)[-1]
        if _jwt_header_ok(m.group(1)) and not is_placeholder(signature):
            yield _Hit(m.start(1), m.end(1), "jwt", None, "eyJ", m.group(1), "jwt")


_WEAK_PASSWORDS = frozenset({"pass", "password", "passwd", "secret", "pwd", "pw", "x", "****"})


def _rule_url(line: str, low: str) -> Iterator[_Hit]:
    if "://" not in low or "@" not in low:
        return
    for m in _URL_CREDS.finditer(line):
        scheme, user, password, host = (
            m.group(1).lower(),
            m.group(2),
            m.group(3),
            m.group(4).lower(),
        )
        if len(password) < 4 or password.lower() in _WEAK_PASSWORDS or is_placeholder(password):
            continue
        if _VAR_REFERENCE.match(user) or any(
            word in user.lower() for word in ("example", "your", "dummy")
        ):
            continue
        if "example" in host or host in {"host", "hostname", "server", "domain"}:
            continue
        yield _Hit(m.start(3), m.end(3), "url-credentials", None, scheme, password, "url")


def _encodes_placeholder(value: str) -> bool:
    """True when ``value`` is base64 of a stand-in (``cGFzc3dvcmQ=`` is ``password``)."""
    if len(value) < 8 or len(value) % 4 or _B64_CHARS.search(value):
        return False
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.isprintable() and is_placeholder(decoded)


def _assignment_value_ok(category: str, value: str) -> bool:
    if value.startswith(
        ("$2a$", "$2b$", "$2y$", "$argon2", "pbkdf2_", "$pbkdf2", "$6$", "$5$", "sha256$")
    ):
        return False  # a password hash, not the password
    if is_placeholder(value) or _NUMBERISH.match(value) or value.count(" ") >= 2 or "(" in value:
        return False
    if _encodes_placeholder(value):
        return False  # a Kubernetes Secret's base64 of "password" or "changeme-please"
    if category == "password":
        return len(value) >= 6 and shannon_entropy(value) >= 2.3 and not _IDENTIFIER.match(value)
    # tokens, secrets and API keys are machine-made: long, varied, not an identifier or a path
    return (
        len(value) >= 12
        and shannon_entropy(value) >= 3.0
        and _char_classes(value) >= 2
        and not _IDENTIFIER.match(value)
        and not (value.startswith(("/", "./", "~/")) or "://" in value or " " in value)
    )


def _rule_assign(line: str, low: str, unquoted: bool) -> Iterator[_Hit]:
    if "=" not in line and ":" not in line:
        return
    for m in _ASSIGN.finditer(line):
        category = secret_key_category(m.group("key"))
        if category is None:
            continue
        quoted = m.group("q") is not None
        if quoted:
            value, start, end = m.group("qv"), m.start("qv"), m.end("qv")
        else:
            if not unquoted or m.group("op") == "==":
                continue
            value, start, end = m.group("uv"), m.start("uv"), m.end("uv")
        if value.startswith(("!", "&", "*", "|", ">")) and not quoted:
            continue  # YAML tags, anchors, aliases and block scalars
        if _assignment_value_ok(category, value):
            yield _Hit(start, end, category, None, None, value, "assignment")


def _rule_bearer(line: str, low: str) -> Iterator[_Hit]:
    if "bearer" not in low:
        return
    for m in _BEARER.finditer(line):
        value = m.group(1)
        if value.startswith("eyJ"):
            continue  # a JWT: the jwt rule judges it
        if _random_enough(value, 3.0) and len(value) >= 16 and not _IDENTIFIER.match(value):
            yield _Hit(m.start(1), m.end(1), "token", None, "Bearer", value, "bearer")


def _rule_npm_openai(line: str, low: str) -> Iterator[_Hit]:
    if "npm_" in low:
        for m in _NPM.finditer(line):
            if _random_enough(m.group(2), 3.5):
                yield _Hit(m.start(1), m.end(1), "npm-token", None, "npm", m.group(1), "npm")
    if "sk-" in low:
        for m in _OPENAI.finditer(line):
            body = m.group(3)
            if _random_enough(body, 3.5, 3) and len(body) >= 40:
                prefix = f"sk-{m.group(2)}" if m.group(2) else "sk"
                yield _Hit(
                    m.start(1), m.end(1), "openai-api-key", None, prefix, m.group(1), "openai"
                )


#: Inline markers other scanners honour: ``# pragma: allowlist secret`` (detect-secrets),
#: ``gitleaks:allow``, ``nosec``/``NOSONAR`` next to a credential.
_INLINE_ALLOW = re.compile(
    r"pragma:\s*allowlist[ -]secret|gitleaks:allow|\bnosec\b|nosonar|noqa:\s*s105"
)
INLINE_REASON = "inline allowlist comment on the line"
_HOST_PORT = re.compile(r"^[\w.\-]+:\d+$")


def _strict_category(key: str) -> str | None:
    """The category when the name *ends* in the secret noun (``DB_PASSWORD``, ``apiKey``), for
    the looser pair forms where a list of strings could otherwise pass for an assignment."""
    words = [w for w in _WORD_SPLIT.split(_CAMEL.sub(r"\1_\2", key).lower()) if w]
    if not words or words[-1] == "pass":
        return None
    category = secret_key_category(key)
    last = words[-1]
    ends = (
        last in _SECRET_WORDS
        or (len(words) > 1 and (words[-2], last) in _SECRET_PAIRS)
        or last.endswith(("password", "passwd", "secret", "token", "apikey"))
    )
    return category if ends else None


def _pair_value_ok(category: str, value: str) -> bool:
    return (
        _assignment_value_ok(category, value)
        and " " not in value
        and _char_classes(value) >= 2
        and not _HOST_PORT.match(value)
        and secret_key_category(value) is None
    )


def _rule_pairs(line: str, low: str) -> Iterator[_Hit]:
    """``("password", "value")`` (a getenv default, a config setter, PHP ``define``),
    ``;Password=value;`` inside a string (connection and query strings) and
    ``<password>value</password>``."""
    if "," in line:
        for m in _PAIR.finditer(line):
            category = _strict_category(m.group("key"))
            if category is not None and _pair_value_ok(category, m.group("qv")):
                yield _Hit(
                    m.start("qv"), m.end("qv"), category, None, None, m.group("qv"), "assignment"
                )
    if "=" in line:  # Password=...; in a connection string, ?api_key=... in a URL
        for m in _IN_STRING.finditer(line):
            category = _strict_category(m.group("key"))
            if category is not None and _pair_value_ok(category, m.group("v")):
                yield _Hit(
                    m.start("v"), m.end("v"), category, None, None, m.group("v"), "assignment"
                )
    if "</" in line:
        for m in _XML.finditer(line):
            category = _strict_category(m.group("key"))
            if category is not None and _pair_value_ok(category, m.group("v")):
                yield _Hit(
                    m.start("v"), m.end("v"), category, None, None, m.group("v"), "assignment"
                )


def _private_key_hits(line: str, following: list[str]) -> Iterator[_Hit]:
    for m in _PRIVATE_KEY.finditer(line):
        rest = line[m.end() :].replace("\\n", "\n")
        parts = [rest.split("-----END", 1)[0]]
        if "-----END" not in rest:
            for other in following:
                parts.append(other.split("-----END", 1)[0])
                if "-----END" in other:
                    break
        # drop PEM headers such as "Proc-Type: 4,ENCRYPTED" before joining the base64 body
        body = "".join(
            _B64_CHARS.sub("", part) for part in "\n".join(parts).splitlines() if ":" not in part
        )
        # No placeholder-word test here: a long random body contains short words by chance.
        if len(body) < 64 or shannon_entropy(body) < 4.0 or "..." in "".join(parts):
            continue
        yield _Hit(m.start(), m.end(), "private-key", None, m.group(1), body, "private-key")


# --------------------------------------------------------------------------------------------
# The scanner


class Scanner:
    """Finds secrets in text and files; keeps fingerprints, never values.

    ``key`` keys the HMAC fingerprints (an empty key is replaced by a random per-process key, so
    fingerprints stay unguessable, though then not stable across runs). ``allowlist`` entries
    (``fingerprint`` or ``path`` glob, with a ``reason``) mark detections as allowlisted rather than
    dropping them. ``include_test`` also reports test-mode keys (``sk_test_``) with ``live=False``;
    by default they are treated as decoys.
    """

    def __init__(
        self,
        key: bytes,
        allowlist: Iterable[AllowlistLike] = (),
        *,
        include_test: bool = False,
    ) -> None:
        self._key = key or _process_key()
        self._allow_fingerprints: list[tuple[str, str]] = []
        self._allow_paths: list[tuple[str, str]] = []
        for entry in allowlist:
            if entry.fingerprint:
                self._allow_fingerprints.append((entry.fingerprint.strip().lower(), entry.reason))
            if entry.path:
                self._allow_paths.append((entry.path.strip().replace("\\", "/"), entry.reason))
        self.include_test = include_test

    def __repr__(self) -> str:
        return (
            f"Scanner(allowlist={len(self._allow_fingerprints) + len(self._allow_paths)} entries)"
        )

    def fingerprint(self, value: str | bytes) -> str:
        """``HMAC-SHA256(key, value)`` as 16 hex digits: stable per key, not reversible without it."""
        data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()[:FINGERPRINT_HEX]

    def allowlist_reason(self, fingerprint: str, file: str) -> str | None:
        """The reason of the first allowlist entry matching this fingerprint or file, or None."""
        for prefix, reason in self._allow_fingerprints:
            if len(prefix) >= 8 and fingerprint.startswith(prefix):
                return reason
        posix = file.replace("\\", "/")
        name = PurePosixPath(posix).name
        for pattern, reason in self._allow_paths:
            bare = pattern[3:] if pattern.startswith("**/") else pattern
            if (
                fnmatch.fnmatchcase(posix, pattern)
                or fnmatch.fnmatchcase(posix, bare)
                or fnmatch.fnmatchcase(posix, f"*/{bare}")
                or ("/" not in bare and fnmatch.fnmatchcase(name, bare))
            ):
                return reason
        return None

    # -- entry points -------------------------------------------------------------------------

    def scan_text(
        self, text: str, file: str = "<text>", *, unquoted: bool | None = None
    ) -> list[Detection]:
        """Every detection in ``text``; lines are numbered from 1. ``unquoted`` defaults to the
        file type (``.env``, YAML, INI, shell: yes; code: no)."""
        allow_unquoted = unquoted_allowed(file) if unquoted is None else unquoted
        out: list[Detection] = []
        self._scan_block(text.encode("utf-8", "surrogatepass"), 1, file, allow_unquoted, out)
        return out

    def scan_file(
        self,
        path: str | Path,
        display: str | None = None,
        *,
        unquoted: bool | None = None,
        max_bytes: int | None = None,
    ) -> list[Detection]:
        """Stream a file in blocks cut at line ends; a binary file (NUL byte in its first 8 KiB)
        gives no detections. ``display`` is the name detections carry (default: the path).
        OSErrors propagate: the caller names the file in its own error record."""
        file = display if display is not None else str(path)
        allow_unquoted = unquoted_allowed(file) if unquoted is None else unquoted
        out: list[Detection] = []
        with open(path, "rb") as handle:
            first = handle.read(BLOCK_BYTES)
            if b"\0" in first[:SNIFF_BYTES]:
                return out
            if first.startswith(b"\xef\xbb\xbf"):
                first = first[3:]
            pending = first
            line_no = 1
            read = len(first)
            eof = not first
            while pending or not eof:
                more = b""
                if not eof and (max_bytes is None or read < max_bytes):
                    more = handle.read(BLOCK_BYTES)
                    read += len(more)
                eof = eof or not more
                if eof:
                    block, pending = pending, b""
                else:
                    data = pending + more
                    cut = _cut(data)
                    if cut == 0 and len(data) > 4 * BLOCK_BYTES:
                        cut = len(data)  # one enormous line: scan what we have, keep memory bounded
                    block, pending = data[:cut], data[cut:]
                if block:
                    self._scan_block(block, line_no, file, allow_unquoted, out)
                    line_no += block.count(b"\n")
        return out

    # -- internals ----------------------------------------------------------------------------

    def _scan_block(
        self, data: bytes, first_line: int, file: str, unquoted: bool, out: list[Detection]
    ) -> None:
        lower = data.lower()
        counted_pos, counted_line = 0, first_line
        next_allowed = 0
        for m in _PREFILTER.finditer(lower):
            pos = m.start()
            if pos < next_allowed:
                continue
            start = data.rfind(b"\n", 0, pos) + 1
            end = data.find(b"\n", pos)
            if end == -1:
                end = len(data)
            counted_line += data.count(b"\n", counted_pos, start)
            counted_pos = start
            next_allowed = end + 1
            line = data[start : min(end, start + MAX_LINE)].decode("utf-8", "replace").rstrip("\r")
            following: Iterable[str] = ()
            if b"private key" in lower[start:end]:
                following = _following_lines(data, end)
            consumed = self._scan_line(line, counted_line, file, unquoted, following, out)
            if consumed:
                skip_to = end
                for _ in range(consumed):
                    nxt = data.find(b"\n", skip_to + 1)
                    skip_to = len(data) if nxt == -1 else nxt
                next_allowed = skip_to + 1

    def _scan_line(
        self,
        line: str,
        lineno: int,
        file: str,
        unquoted: bool,
        following: Iterable[str],
        out: list[Detection],
    ) -> int:
        """Scan one line; returns how many following lines a private-key block consumed."""
        low = line.lower()
        hits: list[_Hit] = []
        consumed = 0
        hits.extend(_rule_stripe(line, low, self.include_test))
        hits.extend(_rule_aws(line, low))
        hits.extend(_rule_google(line, low))
        hits.extend(_rule_github(line, low))
        hits.extend(_rule_slack(line, low))
        hits.extend(_rule_twilio(line, low))
        hits.extend(_rule_sendgrid(line, low))
        hits.extend(_rule_jwt(line, low))
        if "private key" in low:
            lines = list(following)
            for hit in _private_key_hits(line, lines):
                hits.append(hit)
                consumed = max(consumed, _block_length(lines))
        hits.extend(_rule_url(line, low))
        hits.extend(_rule_bearer(line, low))
        hits.extend(_rule_npm_openai(line, low))
        claimed = [(h.start, h.end) for h in hits]
        for hit in itertools.chain(_rule_assign(line, low, unquoted), _rule_pairs(line, low)):
            if not any(hit.start < e and s < hit.end for s, e in claimed):
                hits.append(hit)
                claimed.append((hit.start, hit.end))
        inline = INLINE_REASON if hits and _INLINE_ALLOW.search(low) else None
        seen: set[tuple[int, int]] = set()
        for hit in sorted(hits, key=lambda h: (h.start, h.end)):
            if (hit.start, hit.end) in seen:
                continue
            seen.add((hit.start, hit.end))
            fingerprint = self.fingerprint(hit.value)
            out.append(
                Detection(
                    kind=hit.kind,
                    file=file,
                    line=lineno,
                    live=hit.live,
                    length=len(hit.value),
                    prefix_class=hit.prefix_class,
                    fingerprint=fingerprint,
                    detector=hit.detector,
                    allowlisted=self.allowlist_reason(fingerprint, file) or inline,
                )
            )
        return consumed


def _cut(data: bytes) -> int:
    """Where to end a block: after its last full line, but before a private-key block that is not
    closed within it (so the key is read whole with the next block). 0 means: read more first."""
    cut = data.rfind(b"\n") + 1
    begin = data.rfind(b"-----BEGIN", 0, cut)
    if begin != -1 and data.find(b"-----END", begin, cut) == -1:
        return data.rfind(b"\n", 0, begin) + 1
    return cut


def _following_lines(data: bytes, end: int, limit: int = 200) -> list[str]:
    lines: list[str] = []
    pos = end + 1
    while pos < len(data) and len(lines) < limit:
        nxt = data.find(b"\n", pos)
        nxt = len(data) if nxt == -1 else nxt
        text = data[pos:nxt].decode("utf-8", "replace").rstrip("\r")
        lines.append(text)
        if "-----END" in text:
            break
        pos = nxt + 1
    return lines


def _block_length(lines: list[str]) -> int:
    for index, text in enumerate(lines):
        if "-----END" in text:
            return index + 1
    return 0


_PROCESS_KEY: list[bytes] = []


def _process_key() -> bytes:
    if not _PROCESS_KEY:
        _PROCESS_KEY.append(_secrets.token_bytes(32))
    return _PROCESS_KEY[0]
