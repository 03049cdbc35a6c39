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
import functools
import hashlib
import heapq
import itertools
import json
import math
import re
import secrets as _secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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
    "twilio-auth-token": "Twilio auth token",
    "mailgun-api-key": "Mailgun API key",
    "mailchimp-api-key": "Mailchimp API key",
    "gitlab-token": "GitLab token",
    "azure-storage-key": "Azure storage account key",
    "shopify-token": "Shopify access token",
    "square-access-token": "Square access token",
    "braintree-access-token": "Braintree access token",
    "heroku-api-key": "Heroku API key",
    "pypi-token": "PyPI API token",
    "docker-hub-token": "Docker Hub access token",
    "basic-auth": "user and password (basic auth)",
    "rails-master-key": "Rails master key",
    "google-service-account-key": "Google service-account private key",
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
    allowlist reason when a config entry silences the detection. ``span`` (the value's columns in
    its line) and ``end_line`` (the last line of a multi-line secret, a private key's END line)
    say what redaction replaces; neither takes part in comparisons.
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
    span: tuple[int, int] | None = field(default=None, compare=False)
    end_line: int | None = field(default=None, compare=False)

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


class LineContext(NamedTuple):
    """What a rule may know of the file a line comes from."""

    file: str
    name: str  # the lower-cased file name
    unquoted: bool  # KEY=value needs no quotes here (.env, YAML, INI, shell, dotfiles)
    prose: bool  # a translation catalogue
    include_test: bool
    every_line: bool  # a file whose every line is read (master.key, .pgpass)


_EVERY_LINE_NAMES = frozenset({"master.key", ".pgpass", "pgpass.conf"})


def _may_read_every_line(file: str) -> bool:
    """False when ``line_context(file).every_line`` is (its name would end in ``.key`` or hold
    ``pgpass``), told without parsing the path."""
    lowered = file.lower()
    return ".key" in lowered or "pgpass" in lowered


@functools.lru_cache(maxsize=4096)
def line_context(
    file: str, unquoted: bool | None = None, include_test: bool = False
) -> LineContext:
    """The context of ``file`` (``unquoted`` overrides the file-kind default). Remembered: a
    source that scans a file line by line (a ``.env``) asks for the same file's context each time."""
    posix = file.replace("\\", "/")
    name = PurePosixPath(posix).name.lower()
    every = name in _EVERY_LINE_NAMES or (
        name.endswith(".key") and "/credentials/" in f"/{posix.lower()}"
    )
    return LineContext(
        file=file,
        name=name,
        unquoted=unquoted_allowed(file) if unquoted is None else unquoted,
        prose=prose_file(file),
        include_test=include_test,
        every_line=every,
    )


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
    "not-a-secret", "not-real", "not_real", "notreal", "****", "....", "…", "insert",
    "_here", "-here", "here_", "goes_here", "os.environ",
    "os.getenv", "getenv(", "process.env", "env[", "environ[", "secrets.", "vault:", "ssm:",
    "arn:aws:secretsmanager",
)  # fmt: skip

#: Short stand-in words; as bare substrings one random 40-character key body in about a
#: thousand holds one ("...pfaKEj...", "...GfDemo8..."), so they count only where a word would
#: stand: see ``_holds_short_stand_in_word``.
_SHORT_STAND_IN_WORDS = re.compile("fake|test|mock|demo|todo|fixme|dummy|lorem|ipsum")

#: Any of ``_PLACEHOLDER_WORDS``, in one search (a loop of 45 ``in`` tests was a quarter of a
#: big ``.env``'s scan).
_PLACEHOLDER_WORD = re.compile(
    "|".join(map(re.escape, sorted(_PLACEHOLDER_WORDS, key=len, reverse=True)))
)

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
    r"""^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\(.*\)|%[sd]|%\(\w+\)s|\{\w*\}|\{\{.*\}\}|<[^>]*>|\[[^\]]*\]|@\w+@|__\w+__|<%.*)$"""
)
#: Stand-in shapes anywhere in a value: ``<your key>``, ``${VAR}``, ``{{ var }}``, ``%(name)s``,
#: ``<%= ENV[...] %>``, ``[set in Azure]``, ``$(cat /run/secret)``. A lone ``<``, ``>`` or ``(``
#: is no stand-in, nor ``$(`` but a command with its argument: strong passwords hold them (one random
#: Django key in a hundred holds ``$(`` and a letter).
_PLACEHOLDER_SHAPE = re.compile(
    r"<[a-z]{3,}(?:[ _.\-][A-Za-z]{2,})*>|\$\{[A-Za-z_][\w.:\-]+\}|\$\{\{|\{\{\s*[\w.|' \-]+\s*\}\}|xxxx|XXXX|%\(\w+\)s"
    r"|<%.*?%>|\[[a-z]{3,}(?:[ _.\-][A-Za-z]{2,})*\]|\bENC\[|\$\([a-z][\w.\-]* [^)]*\)"
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
    if _PLACEHOLDER_WORD.search(low) or _PLACEHOLDER_SHAPE.search(stripped):
        return True
    if _holds_short_stand_in_word(stripped, low):
        return True
    if len(set(low)) <= 2:
        return True
    most = max(map(low.count, set(low)))
    if len(low) >= 6 and most / len(low) > 0.6:
        return True
    if len(low) >= 6 and low in _ASCENDING:
        return True
    steps = sum(1 for a, b in pairwise(low) if ord(b) - ord(a) in (1, -1))
    return len(low) >= 8 and steps / (len(low) - 1) >= 0.6


def _holds_short_stand_in_word(value: str, low: str) -> bool:
    """True if a short stand-in word stands as a word in ``value``: at its start or end or beside
    a separator (``test_key``, ``sk_live_demo123``), capitalised in camel case (``myFakeKey``), or
    in a value of letters alone (``mytestkey``); not inside a random body (``pfaKEj``)."""
    for m in _SHORT_STAND_IN_WORDS.finditer(low):
        start, end = m.span()
        word = value[start:end]
        title = word[0].isupper() and word[1:].islower()
        if not (word.islower() or word.isupper() or title):
            continue  # "FAkE" is letters drawn at random
        before = value[start - 1] if start else ""
        after = value[end] if end < len(value) else ""
        lettered = not any(c.isdigit() for c in value)
        if lettered or not before.isalnum() or not after.isalnum():
            return True
        if title and after.isupper():
            return True
    return False


def _char_classes(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


#: Floors for bodies a provider's prefix already marks, set under the lowest of 200,000 random
#: draws so that no real key falls under them (a floor of 3.0 missed one random 32-hex Twilio
#: token in about 1,500, 3.5 one 20-character GitLab token in about 600): a 32-hex body (lowest
#: drawn 2.80 bits a character), a 20-character letters-and-digits body (3.10), an AWS key id's
#: 16 base-32 characters (2.48). Stand-ins are caught by ``is_placeholder`` instead.
HEX_BODY_MIN_ENTROPY = 2.5
SHORT_BODY_MIN_ENTROPY = 2.9
AWS_ID_MIN_ENTROPY = 2.3


def _random_enough(body: str, min_entropy: float, min_classes: int = 2) -> bool:
    return (
        not is_placeholder(body)
        and shannon_entropy(body) >= min_entropy
        and _char_classes(body) >= min_classes
    )


# --------------------------------------------------------------------------------------------
# The prefilter and the rules

#: Lower-case literals one of which every line a rule can match holds (the prefilter).
PREFILTER_WORDS = (
    "sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_", "akia", "asia",
    "aiza", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "xapp-",
    "hooks.slack.com", "sg.", "private key", "begin ssh2", "putty-user-key-file", "bearer",
    "npm_", "sk-", "eyj", "pass", "pwd", "secret", "token", "credential", "salt", "nonce",
    "-us", "mailgun", "glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glimt-", "glsoat-",
    "glcbt-", "gloas-", "glagent-", "glwt-", "gr1348941", "shpat_", "shpca_", "shppa_",
    "shpss_", "eaaa", "sq0", "hrku-", "pypi-", "dckr_", "login", "machine ", "sshpass", "mysql",
    "ftp", "minio", "fernet", "jwt.encode", "hmac.new", ".connect(", "client(",
)  # fmt: skip
#: ...and the few that need more than a literal: ``*_KEY``, ``AUTH``, ``user:pass@`` in a URL.
_PREFILTER_SHAPES = re.compile(
    rb"key(?![a-z])|auth(?![a-z])|://[^/\s:@'\"]{1,64}:[^/\s@'\"]{1,128}@"
)


def _literal_trie(words: Iterable[str]) -> re.Pattern[bytes]:
    """One regex matching any of ``words``, nested by common prefix (``gl(?:pat-|dt-|...)``):
    Python's ``re`` then tries one branch per position instead of every word."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""  # a shorter word already matches
        branches = [re.escape(char) + emit(sub) for char, sub in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(emit(tree).encode())


_PREFILTER = _literal_trie(PREFILTER_WORDS)


def _has_keyword(lower: bytes) -> bool:
    """Whether a lower-cased block holds a prefilter keyword or shape: without one no rule reads
    any of its lines (outside files whose every line is read)."""
    return bool(_PREFILTER.search(lower) or _PREFILTER_SHAPES.search(lower))


def _candidates(lower: bytes) -> Iterator[int]:
    """Positions of prefilter hits in a lower-cased block, in order."""
    return heapq.merge(
        (m.start() for m in _PREFILTER.finditer(lower)),
        (m.start() for m in _PREFILTER_SHAPES.finditer(lower)),
    )


#: A vendor prefix glued to a digit before it is still a key (``Cash: $9sk_live_…``): the
#: prefixes are distinctive enough that only a letter or ``_`` before one makes it another word.
_STRIPE = re.compile(r"(?<![A-Za-z_])((sk|rk|pk)_(live|test)_([0-9A-Za-z]{16,247}))(?![0-9A-Za-z])")


def key_mode(value: str) -> bool | None:
    """True for a value with a live key's prefix (``sk_live_``, ``rk_live_``, ``pk_live_``), False
    for a test-mode one (``sk_test_``, ...), None for any other: the prefix alone says the mode,
    even when the rest is too regular for the Stripe rule to call it a key."""
    match = re.match(r"\s*[\"']?(?:sk|rk|pk)_(live|test)_", value)
    return None if match is None else match.group(1) == "live"


_AWS_ID = re.compile(r"(?<![A-Za-z0-9])((AKIA|ASIA)([0-9A-Z]{16}))(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
_GOOGLE = re.compile(r"(?<![A-Za-z0-9_\-])(AIza([0-9A-Za-z_\-]{35}))(?![A-Za-z0-9_\-])")
_GITHUB = re.compile(
    r"(?<![A-Za-z_])((gh[pousr])_([A-Za-z0-9]{36,255})|(github_pat)_([A-Za-z0-9_]{22,255}))(?![A-Za-z0-9_])"
)
_SLACK_TOKEN = re.compile(
    r"(?<![A-Za-z])((xoxe\.xox[bp]|xox[abeoprs]|xapp)-([0-9A-Za-z\-]{10,250}))(?![0-9A-Za-z\-])"
)
_SLACK_HOOK = re.compile(
    r"(https://hooks\.slack\.com/(?:services|workflows)/(T[A-Z0-9]{6,})/(B?[A-Z0-9]{6,})/([A-Za-z0-9]{16,}))"
)
_TWILIO = re.compile(r"(?<![A-Za-z0-9])((AC|SK)([0-9a-f]{32}))(?![A-Za-z0-9])")
_SENDGRID = re.compile(
    r"(?<![A-Za-z0-9])(SG\.([A-Za-z0-9_\-]{22})\.([A-Za-z0-9_\-]{43}))(?![A-Za-z0-9_\-])"
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----|---- BEGIN (SSH2 ENCRYPTED PRIVATE KEY) ----"
)
_KEY_END = re.compile(r"-{4,5} ?END")
_KEY_BEGIN = re.compile(rb"-{4,5} ?BEGIN ")
_JWT = re.compile(
    r"(?<![A-Za-z0-9_\-])(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})(?![A-Za-z0-9_\-])"
)
_URL_CREDS = re.compile(
    r"(?<![A-Za-z0-9+.\-])([A-Za-z][A-Za-z0-9+.\-]{1,20})://([^\s/:@'\"`<>]{1,64}):([^\s/@'\"`<>]{1,128})@([^\s/:'\"`<>@?#]+)"
)
_ASSIGN = re.compile(
    r"""(?<![A-Za-z0-9_.\-])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)["']?(?:\s*:\s*[A-Za-z_][A-Za-z0-9_\[\]., |]{0,40}?)?\s*(?P<op>:=|=>|==|=|:)\s*"""
    r"""(?:[bBrRuU]{0,2}(?P<q>["'`])(?P<qv>(?:(?!(?P=q)).){0,500})(?P=q)|(?P<uv>[^\s"'`]{1,500}))"""
)
_BEARER = re.compile(
    r"(?<![A-Za-z0-9])[Bb]earer\s+([A-Za-z0-9_\-.=+/~]{16,500})(?![A-Za-z0-9_\-.=+/~])"
)
_NPM = re.compile(r"(?<![A-Za-z0-9_])(npm_([A-Za-z0-9]{36}))(?![A-Za-z0-9])")
_OPENAI = re.compile(
    r"(?<![A-Za-z0-9_\-])(sk-(?:(proj|svcacct|admin)-)?([A-Za-z0-9_\-]{32,200}))(?![A-Za-z0-9_\-])"
)
_PAIR = re.compile(
    r"""(?<![A-Za-z0-9_])(?P<kq>["'])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})(?P=kq)\s*,\s*(?P<q>["'])(?P<qv>(?:(?!(?P=q)).){1,500})(?P=q)"""
)
_IN_STRING = re.compile(
    r"(?<=[;\"'?&])\s*(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})=(?P<v>[^;\"'&\s#]{1,500})"
)
_XML = re.compile(
    r"<(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,80})(?:\s[^<>]*)?>(?P<v>[^<>\s]{1,500})</(?P=key)>"
)
#: ``<add key="ApiKey" value="…"/>``, ``<property name="password" value="…"/>``
_XML_ATTR = re.compile(
    r"""\b(?:name|key)\s*=\s*(?P<kq>["'])(?P<key>[A-Za-z_][\w.\-]{0,80})(?P=kq)\s+value\s*=\s*(?P<q>["'])(?P<v>(?:(?!(?P=q)).){1,500})(?P=q)"""
)
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
        ".cnf",
        ".toml",
        ".tfvars",
        ".s3cfg",
        ".netrc",
        ".pgpass",
        ".npmrc",
        ".pypirc",
    }
)

_UNQUOTED_NAMES = frozenset(
    {
        "dockerfile",
        "procfile",
        "credentials",
        "config",
        ".npmrc",
        ".pypirc",
        ".netrc",
        ".pgpass",
        ".htpasswd",
        "_netrc",
        ".git-credentials",
        ".s3cfg",
        ".my.cnf",
        ".boto",
    }
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
        "hasher", "hashers", "validators", "backend", "backends", "engine", "input", "button",
        "form", "page", "link", "route", "view", "template", "icon", "tooltip", "caption",
        "sid", "placeholder", "question", "providers", "method", "methods",
    }
)  # fmt: skip
#: A variable its author named a stand-in (``FAKE_PASSWORD``, ``dummyApiKey``) holds no credential.
_STAND_IN_NAMES = frozenset({"fake", "dummy", "example", "sample", "mock", "placeholder", "bogus"})
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_NUMBERISH = re.compile(r"^[\d.,:\-+ ]+$")


#: Words that say a name *may* hold a secret, less plainly than ``password`` or ``api_key``:
#: ``STRIPE_KEY``, ``HMAC_KEY``, ``NONCE_KEY``, ``AUTH_SALT``, ``AUTH``, ``_auth``. The value must
#: then be machine-made (no short human password).
_WEAK_LAST = {"key": "secret", "salt": "secret", "auth": "secret", "nonce": "secret"}
#: ...unless the word before says what kind of key it is and that kind is no secret.
_NOT_SECRET_KEY_KIND = frozenset(
    {
        "public", "publishable", "pub", "primary", "foreign", "sort", "partition", "cache",
        "lookup", "idempotency", "i18n", "translation", "map", "dict", "hot", "unique", "row",
        "composite", "range", "dedup", "dedupe", "group", "order", "index", "shortcut",
        "keyboard", "registry", "object", "bucket", "s3", "message", "event", "config",
        "setting", "settings", "query", "state", "store", "redis", "column", "field", "record",
        "item", "element", "react", "list", "schema", "label", "lock", "routing", "always",
        "default", "metric", "metrics", "cursor", "page", "locale", "ssh",
    }
)  # fmt: skip


def _name_words(key: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub(r"\1_\2", key).lower()) if w]


def secret_name(key: str) -> tuple[str, bool] | None:
    """``(category, strong)`` if a variable name says it holds a secret, else None.

    ``DB_PASSWORD``, ``smtpPassword``, ``stripe_api_key``, ``JWT_SECRET``, ``client-secret`` say
    so plainly (strong); ``STRIPE_KEY``, ``HMAC_KEY``, ``AUTH_SALT``, ``AUTH`` weakly.
    ``TOKEN_EXPIRY``, ``PASSWORD_MIN_LENGTH``, ``API_KEY_ID``, ``CACHE_KEY``, ``tokenize`` do not.
    """
    words = _name_words(key)
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
    if found is not None:
        return found, True
    last = words[-1]
    if last in _WEAK_LAST and len(words) > 1 and words[-2] not in _NOT_SECRET_KEY_KIND:
        return _WEAK_LAST[last], False
    if last == "auth" and len(words) == 1:
        return "secret", False
    return None


def secret_key_category(key: str) -> str | None:
    """``password``, ``secret``, ``token`` or ``api-key`` if a variable name says it holds one
    (plainly or weakly, see :func:`secret_name`)."""
    named = secret_name(key)
    return named[0] if named else None


def unquoted_allowed(file: str) -> bool:
    """True for files where ``KEY=value`` needs no quotes: ``.env``, YAML, INI, shell, and the
    suffix-less dotfiles (``.bashrc``, ``.zshrc``, ``.profile``, ``.s3cfg``, ``.credentials``)."""
    name = PurePosixPath(file.replace("\\", "/")).name.lower()
    if name.startswith(".env") or name.endswith(".env") or name in _UNQUOTED_NAMES:
        return True
    if name.startswith(".") and "." not in name[1:]:
        return True  # .bashrc, .zshrc, .bash_profile, .profile, .credentials, .s3cfg, ...
    return PurePosixPath(name).suffix in _UNQUOTED_SUFFIXES


_PROSE_FOLDERS = frozenset({"locale", "locales", "i18n", "l10n", "lang", "langs", "translations"})


def prose_file(file: str) -> bool:
    """True for translation catalogues (``locales/en.json``, ``*.po``), full of labels such as
    ``"password": "Passwort"``."""
    path = PurePosixPath(file.replace("\\", "/").lower())
    return path.suffix in {".po", ".pot", ".xliff", ".resx"} or not _PROSE_FOLDERS.isdisjoint(
        path.parts[:-1]
    )


# --------------------------------------------------------------------------------------------
# Per-rule checks. Each yields candidate hits for one line.


#: Bits per character a Stripe key's body must carry (after its ``sk_live_``-style prefix).
STRIPE_MIN_ENTROPY = 2.3


def _rule_stripe(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "_live_" not in low and "_test_" not in low:
        return
    for m in _STRIPE.finditer(line):
        head, mode, body = m.group(2), m.group(3), m.group(4)
        # the prefix is the evidence: a floor of 3.0 bits missed one random 24-hex body in 200
        # (hex tops out at 4.0; 200,000 draws never fell under 2.5), so 2.3 only drops stand-ins
        if not _random_enough(body, STRIPE_MIN_ENTROPY):
            continue
        live = mode == "live"
        if not live and not ctx.include_test:
            continue
        if head == "pk" and not live:
            continue  # a test publishable key is public and harmless
        kind = {
            "sk": "stripe-secret-key",
            "rk": "stripe-restricted-key",
            "pk": "stripe-publishable-key",
        }[head]
        yield _Hit(m.start(1), m.end(1), kind, live, f"{head}_{mode}", m.group(1), "stripe")


def _rule_aws(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "akia" in low or "asia" in low:
        for m in _AWS_ID.finditer(line):
            if _random_enough(m.group(3), AWS_ID_MIN_ENTROPY, 1):
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


def _rule_google(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "aiza" not in low:
        return
    for m in _GOOGLE.finditer(line):
        if _random_enough(m.group(2), 3.5):
            yield _Hit(m.start(1), m.end(1), "google-api-key", None, "AIza", m.group(1), "google")


def _rule_github(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "gh" not in low and "github_pat_" not in low:
        return
    for m in _GITHUB.finditer(line):
        head = m.group(2) or m.group(4)
        body = m.group(3) or m.group(5)
        if _random_enough(body, 3.5):
            yield _Hit(m.start(1), m.end(1), "github-token", None, head, m.group(1), "github")


def _rule_slack(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "xox" in low or "xapp-" in low:
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


_HEX32_QUOTED = re.compile(r"""(["'])([0-9a-f]{32})\1""")


def _rule_twilio(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """An account SID (``AC``) or API key SID (``SK``) is an identifier; the credential is the
    32-hex auth token or key secret passed beside it (``Client("AC…", "<token>")``)."""
    sids = [m for m in _TWILIO.finditer(line) if _random_enough(m.group(3), HEX_BODY_MIN_ENTROPY)]
    if not sids:
        return
    for m in _HEX32_QUOTED.finditer(line):
        if any(s.start(3) <= m.start(2) < s.end(3) for s in sids):
            continue
        if _random_enough(m.group(2), HEX_BODY_MIN_ENTROPY):
            yield _Hit(
                m.start(2),
                m.end(2),
                "twilio-auth-token",
                None,
                sids[0].group(2),
                m.group(2),
                "twilio",
            )


def _rule_sendgrid(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
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


def _rule_jwt(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "eyj" not in low:
        return
    for m in _JWT.finditer(line):
        signature = m.group(1).rsplit(".", 1)[-1]
        if _jwt_header_ok(m.group(1)) and not is_placeholder(signature):
            yield _Hit(m.start(1), m.end(1), "jwt", None, "eyJ", m.group(1), "jwt")


_WEAK_PASSWORDS = frozenset({"pass", "password", "passwd", "secret", "pwd", "pw", "x", "****"})


def _rule_url(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
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
        stand_in_host = "example" in host or host in {"host", "hostname", "server", "domain"}
        if stand_in_host and not _random_password(password):
            continue  # a documentation example; a random password is real wherever it points
        yield _Hit(m.start(3), m.end(3), "url-credentials", None, scheme, password, "url")


#: On an ``example`` host a password is a documentation example (``s3cretPass99``) unless it is
#: long and random, as a generated one is (``postgres://admin:<18 random>@db.example.com``).
EXAMPLE_HOST_MIN_PASSWORD = 14


def _random_password(password: str) -> bool:
    return len(password) >= EXAMPLE_HOST_MIN_PASSWORD and judge_value(
        password, ValueContext("password", strong_name=False)
    )


def _encodes_placeholder(value: str) -> bool:
    """True when ``value`` is base64 of a stand-in (``cGFzc3dvcmQ=`` is ``password``)."""
    if len(value) < 8 or len(value) % 4 or _B64_CHARS.search(value):
        return False
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.isprintable() and is_placeholder(decoded)


_HASH_PREFIXES = ("$2a$", "$2b$", "$2y$", "$argon2", "pbkdf2_", "$pbkdf2", "$6$", "$5$", "sha256$")
_PATH = re.compile(r"^(?:~|\.{1,2})?(?:/[\w.\-@]+)+/?$|^[A-Za-z]:\\[\w\\. \-]+$")
_PARTS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{6,}")
_WORD_SYMBOLS = frozenset(" _-./:,?!'&")


_BACKSLASH_PATH = re.compile(r"^[\w .{}\-]+(?:\\{1,2}[\w .{}\-]+){2,}$")
_ESCAPES = re.compile(r"^(?:\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\[nrt0\\])+$")
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def _looks_like_path(value: str) -> bool:
    """``/run/secrets/db``, ``./certs/app.key``, ``Software\\Python\\Core``: a path, not base64
    that starts with ``/`` (base64 is about 40% upper case; paths are mostly lower case)."""
    if _BACKSLASH_PATH.match(value):
        return True
    if not _PATH.match(value):
        return False
    letters = [c for c in value if c.isalpha()]
    return sum(c.isupper() for c in letters) <= 0.2 * max(1, len(letters))


def _pronounceable(part: str) -> bool:
    low = part.lower()
    if len(low) <= 3:
        return True
    vowels = sum(c in "aeiouy" for c in low)
    return vowels / len(low) >= 0.2 and not _CONSONANT_RUN.search(low)


def _wordlike(value: str) -> bool:
    """Made of readable words: an identifier (``users_by_email``), a label or a sentence
    (``Forgot your password?``, ``Passwort``), not a random string."""
    if any(not c.isalnum() and c not in _WORD_SYMBOLS for c in value):
        return False
    parts = [p for p in _PARTS.split(value) if p]
    if not parts or not all(p.isalpha() for p in parts):
        return False
    if not all(p.islower() or p.istitle() or (p.isupper() and len(p) <= 5) for p in parts):
        return False
    long_parts = [p for p in parts if len(p) >= 4]
    return bool(long_parts) and all(_pronounceable(p) for p in long_parts)


def _entropy_floor(value: str) -> float:
    """Three quarters of the most a value of this length over its own alphabet can hold (hex:
    16 symbols; lower-case alphanumerics: 36; plus the separators it uses): random values clear
    it, words do not."""
    alnum = [c for c in value if c.isalnum()]
    symbols = len({c for c in value if not c.isalnum()})
    if all(c in "0123456789abcdefABCDEF" for c in alnum) and not (
        any(c.islower() for c in alnum) and any(c.isupper() for c in alnum)
    ):
        alphabet = 16 + symbols
    else:
        alphabet = (
            26 * any(c.islower() for c in alnum)
            + 26 * any(c.isupper() for c in alnum)
            + 10 * any(c.isdigit() for c in alnum)
            + symbols
        )
    return 0.75 * min(math.log2(max(alphabet, 2)), math.log2(max(len(value), 2)))


def _dense_with_spaces(value: str) -> bool:
    """A long random value that happens to hold a space (a WordPress salt), not prose."""
    return (
        len(value) >= 24
        and value.count(" ") <= len(value) // 10
        and _char_classes(value) >= 3
        and shannon_entropy(value) >= 4.5
    )


class ValueContext(NamedTuple):
    """What the judgement knows besides the value: the name's category, whether the name says
    secret plainly (``PASSWORD``, ``API_KEY``) or only weakly (``*_KEY``, ``*_SALT``, ``AUTH``),
    and whether the file holds user-facing text (i18n catalogues), where labels abound."""

    category: str
    strong_name: bool = True
    prose_file: bool = False


#: A whole HTML tag (``</code>``, ``<li>``): markup around a value, never part of one.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*>")


def judge_value(value: str, context: ValueContext) -> bool:
    """True when ``value``, assigned to a name that says secret, reads as a real credential.

    A scored judgement of the whole value, not a veto on one character: stand-in shapes
    (``changeme``, ``<your key>``, ``${VAR}``), numbers, password hashes, base64 of a stand-in,
    URLs and paths are out; readable words (identifiers, labels, sentences) are out; the rest must
    be long enough and hold at least three quarters of the entropy its own alphabet allows.
    A password under a plain password name may be short and human (``hunter22``)."""
    if not value or is_placeholder(value) or _NUMBERISH.match(value):
        return False
    if value.startswith(_HASH_PREFIXES) or _encodes_placeholder(value):
        return False  # a password hash, or a Kubernetes Secret's base64 of "changeme"
    if "://" in value or _looks_like_path(value) or _wordlike(value) or _ESCAPES.match(value):
        return False
    if " " in value and not _dense_with_spaces(value):
        return False
    classes = _char_classes(value)
    if context.category == "password" and context.strong_name and not context.prose_file:
        return len(value) >= 6 and classes >= 2 and shannon_entropy(value) >= 2.0
    shortest = 10 if classes >= 3 else 12
    return (
        len(value) >= shortest and classes >= 2 and shannon_entropy(value) >= _entropy_floor(value)
    )


_YAML_NOT_A_VALUE = re.compile(r"^(?:![\w!]*|[&*][\w\-]+|[|>][+\-]?\d?)$")


def _unquoted_value(value: str) -> str:
    """A bare value without the punctuation that closes its line (``,``, ``;``, an unmatched
    ``)``/``]``/``}``), and without the markup that follows it in rendered HTML (``</code>``:
    "master.key:1</code>" is a cited line, the value ``1``)."""
    tag = _MARKUP_TAG.search(value)
    if tag is not None:
        value = value[: tag.start()]
    value = value.rstrip(",;")
    while (
        value
        and value[-1] in ")]}"
        and value.count(value[-1]) > value.count({")": "(", "]": "[", "}": "{"}[value[-1]])
    ):
        value = value[:-1].rstrip(",;")
    return value


def _rule_assign(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """``name = "value"`` and, where the file kind allows, ``NAME=value`` / ``name: value``."""
    if "=" not in line and ":" not in line:
        return
    for m in _ASSIGN.finditer(line):
        named = secret_name(m.group("key"))
        if named is None:
            continue
        quoted = m.group("q") is not None
        if quoted:
            value, start = m.group("qv"), m.start("qv")
        else:
            if not ctx.unquoted:
                continue
            value, start = _unquoted_value(m.group("uv")), m.start("uv")
            if m.group("op") == "==":  # KEY==x in a .env file: the value starts with "="
                value, start = "=" + value, start - 1
            if _YAML_NOT_A_VALUE.match(value):
                continue  # YAML tags, anchors, aliases and block scalars
        if judge_value(value, ValueContext(named[0], named[1], ctx.prose)):
            yield _Hit(start, start + len(value), named[0], None, None, value, "assignment")


def _rule_bearer(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    if "bearer" not in low:
        return
    for m in _BEARER.finditer(line):
        value = m.group(1)
        if value.startswith("eyJ"):
            continue  # a JWT: the jwt rule judges it
        if _random_enough(value, 3.0) and len(value) >= 16 and not _wordlike(value):
            yield _Hit(m.start(1), m.end(1), "token", None, "Bearer", value, "bearer")


def _rule_npm_openai(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
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


# --------------------------------------------------------------------------------------------
# Provider rules written from each provider's documented key format


class _Shape(NamedTuple):
    """A provider key recognisable by its shape alone: the hint the lowered line must hold,
    the pattern (group 1 the whole key, group 2 the random body), kind and prefix class."""

    hint: str
    pattern: re.Pattern[str]
    kind: str
    prefix: str
    min_entropy: float


_SHAPES: tuple[_Shape, ...] = (
    # Mailgun private API keys: legacy "key-" + 32 hex; current 32 hex-8 hex-8 hex
    _Shape("key-", re.compile(r"(?<![A-Za-z0-9_-])(key-([0-9a-f]{32}))(?![0-9A-Za-z])"), "mailgun-api-key", "key-", HEX_BODY_MIN_ENTROPY),
    _Shape("-", re.compile(r"(?<![A-Za-z0-9_-])(([0-9a-f]{32})-[0-9a-f]{8}-[0-9a-f]{8})(?![0-9A-Za-z-])"), "mailgun-api-key", "mailgun", HEX_BODY_MIN_ENTROPY),
    # Mailchimp API keys: 32 hex, a dash and the data-centre ("-us6")
    _Shape("-us", re.compile(r"(?<![A-Za-z0-9_-])(([0-9a-f]{32})-us[0-9]{1,2})(?![0-9A-Za-z])"), "mailchimp-api-key", "-us", HEX_BODY_MIN_ENTROPY),
    # GitLab tokens: personal, deploy, runner, pipeline-trigger, feed, mail, SCIM, CI job, OAuth
    _Shape("gl", re.compile(r"(?<![A-Za-z0-9_-])((?:glpat|gldt|glrt|glptt|glft|glimt|glsoat|glcbt|gloas|glagent|glwt)-([A-Za-z0-9_\-.]{20,200}))(?![A-Za-z0-9_\-])"), "gitlab-token", "glpat", SHORT_BODY_MIN_ENTROPY),
    _Shape("gr1348941", re.compile(r"(?<![A-Za-z0-9])(GR1348941([A-Za-z0-9_\-]{20,}))(?![A-Za-z0-9_\-])"), "gitlab-token", "GR1348941", SHORT_BODY_MIN_ENTROPY),
    # Azure storage account keys: 64 random bytes, 88 base64 characters
    _Shape("accountkey", re.compile(r"AccountKey=(([A-Za-z0-9+/]{86}==))"), "azure-storage-key", "AccountKey", 4.5),
    # Shopify: admin API access, custom app, partner and shared-secret tokens
    _Shape("shp", re.compile(r"(?<![A-Za-z0-9_])(shp(?:at|ca|pa|ss)_([0-9a-fA-F]{32}))(?![0-9A-Za-z])"), "shopify-token", "shpat", HEX_BODY_MIN_ENTROPY),
    # Square: production access tokens (EAAA + 60), legacy sq0atp-/sq0csp- tokens and secrets
    _Shape("eaaa", re.compile(r"(?<![A-Za-z0-9_-])(EAAA([A-Za-z0-9_\-]{60}))(?![A-Za-z0-9_\-])"), "square-access-token", "EAAA", 4.0),
    _Shape("sq0", re.compile(r"(?<![A-Za-z0-9_-])(sq0(?:atp|csp)-([A-Za-z0-9_\-]{22,43}))(?![A-Za-z0-9_\-])"), "square-access-token", "sq0", SHORT_BODY_MIN_ENTROPY),
    # Heroku platform API tokens (the new format; the old ones are UUIDs under a key name)
    _Shape("hrku-", re.compile(r"(?<![A-Za-z0-9_-])(HRKU-([A-Za-z0-9_\-]{20,200}))(?![A-Za-z0-9_\-])"), "heroku-api-key", "HRKU", SHORT_BODY_MIN_ENTROPY),
    # PyPI API tokens: "pypi-" and a base64 macaroon that begins with the issuer
    _Shape("pypi-", re.compile(r"(?<![A-Za-z0-9_-])(pypi-(AgE[A-Za-z0-9_\-]{50,}))(?![A-Za-z0-9_\-])"), "pypi-token", "pypi", 4.0),
    # Docker Hub personal and organisation access tokens
    _Shape("dckr_", re.compile(r"(?<![A-Za-z0-9_])(dckr_(?:pat|oat)_([A-Za-z0-9_\-]{20,}))(?![A-Za-z0-9_\-])"), "docker-hub-token", "dckr_pat", SHORT_BODY_MIN_ENTROPY),
)  # fmt: skip


def _rule_shapes(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """Every provider of ``_SHAPES`` whose hint the line holds."""
    for shape in _SHAPES:
        if shape.hint not in low:
            continue
        for m in shape.pattern.finditer(line):
            if _random_enough(m.group(2), shape.min_entropy):
                yield _Hit(
                    m.start(1),
                    m.end(1),
                    shape.kind,
                    None,
                    shape.prefix,
                    m.group(1),
                    shape.kind.split("-")[0],
                )


_BRAINTREE = re.compile(
    r"(?<![A-Za-z0-9_])(access_token\$(production|sandbox)\$([0-9a-z]{16})\$([0-9a-f]{32}))(?![0-9a-f])"
)


def _rule_braintree(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """Braintree (PayPal) access tokens: ``access_token$production$<merchant>$<32 hex>``."""
    if "access_token$" not in low:
        return
    for m in _BRAINTREE.finditer(line):
        live = m.group(2) == "production"
        if (live or ctx.include_test) and _random_enough(m.group(4), HEX_BODY_MIN_ENTROPY):
            yield _Hit(
                m.start(1),
                m.end(1),
                "braintree-access-token",
                live,
                "access_token",
                m.group(1),
                "braintree",
            )


_BASIC_BLOB = re.compile(
    r"""(?:["']auth["']\s*:\s*|(?<![A-Za-z0-9])_auth\s*=\s*)["']?([A-Za-z0-9+/]{8,}={0,2})"""
)


def _rule_basic_auth(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """Docker ``config.json`` ``"auth"`` and ``.npmrc`` ``_auth``: base64 of ``user:password``."""
    if "auth" not in low:
        return
    for m in _BASIC_BLOB.finditer(line):
        try:
            decoded = base64.b64decode(m.group(1), validate=True).decode("utf-8")
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        user, sep, password = decoded.partition(":")
        if sep and user and decoded.isprintable() and _basic_auth_password(password):
            yield _Hit(
                m.start(1), m.end(1), "basic-auth", None, "user:password", m.group(1), "basic-auth"
            )


def _basic_auth_password(password: str) -> bool:
    """The ``user:password`` shape already says password, so a random one of letters alone
    (``FqoegVkLbSpzxuHozDfj``, camel-case to a word splitter) is one; stand-ins are not."""
    return (
        len(password) >= 6
        and not is_placeholder(password)
        and not _NUMBERISH.match(password)
        and shannon_entropy(password) >= 2.0
    )


_NETRC = re.compile(r"(?:^|\s)password\s+(\S+)")


def _rule_netrc(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """``.netrc``: ``machine host login user password <password>``."""
    if ctx.name not in {".netrc", "_netrc", "netrc"}:
        return
    for m in _NETRC.finditer(line):
        if judge_value(m.group(1), ValueContext("password")):
            yield _Hit(m.start(1), m.end(1), "password", None, "netrc", m.group(1), "netrc")


_PGPASS = re.compile(r"^(?:[^:#\\]|\\.)*:(?:[^:\\]|\\.)*:(?:[^:\\]|\\.)*:(?:[^:\\]|\\.)*:(.+)$")


def _rule_pgpass(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """``.pgpass``: ``host:port:database:user:password`` (every line is read)."""
    if ctx.name not in {".pgpass", "pgpass.conf"}:
        return
    m = _PGPASS.match(line.strip())
    if m and judge_value(m.group(1).replace("\\:", ":"), ValueContext("password")):
        start = line.index(m.group(1))
        yield _Hit(start, start + len(m.group(1)), "password", None, "pgpass", m.group(1), "pgpass")


_HEX32_LINE = re.compile(r"^\s*([0-9a-f]{32})\s*$")


def _rule_rails_master_key(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """Rails ``config/master.key`` (and ``config/credentials/<env>.key``): 32 hex, alone."""
    if not ctx.every_line or ctx.name.endswith("pgpass") or ctx.name == "pgpass.conf":
        return
    m = _HEX32_LINE.match(line)
    if m and _random_enough(m.group(1), 3.0):
        yield _Hit(
            m.start(1), m.end(1), "rails-master-key", None, "master.key", m.group(1), "rails"
        )


_CLI_PASSWORD = re.compile(
    r"\b(?:(?:docker|podman|buildah|skopeo|oras|helm(?:\s+registry)?)\s+login\b.*?\s(?:-p|--password)(?:=|\s+)"
    r"|\bsshpass\s+-p\s*|\bmysql(?:dump|admin)?\b.*?\s-p)([^\s'\"]{4,})"
)


def _rule_cli_password(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """A password on a command line: ``docker login -p …``, ``mysql -p…``, ``sshpass -p …``."""
    if "login" not in low and "sshpass" not in low and "mysql" not in low:
        return
    for m in _CLI_PASSWORD.finditer(line):
        if judge_value(m.group(1), ValueContext("password")):
            yield _Hit(m.start(1), m.end(1), "password", None, "command line", m.group(1), "cli")


#: Known client calls whose positional arguments hold a credential: (hint, call pattern,
#: index of the secret argument, category).
_POSITIONAL: tuple[tuple[str, re.Pattern[str], int, str], ...] = (
    ("login", re.compile(r"\.login\s*\("), 1, "password"),
    ("ftp", re.compile(r"\bFTP(?:_TLS)?\s*\("), 2, "password"),
    ("minio", re.compile(r"\bMinio\s*\("), 2, "secret"),
    ("auth(", re.compile(r"\b(?:HTTPBasicAuth|HTTPDigestAuth|HTTPProxyAuth|BasicAuth)\s*\("), 1, "password"),
    ("oauth", re.compile(r"\b(?:OAuthHandler|OAuth1|OAuth1Session)\s*\("), 1, "secret"),
    ("fernet", re.compile(r"\bFernet\s*\("), 0, "secret"),
    ("jwt.encode", re.compile(r"\bjwt\.encode\s*\("), 1, "secret"),
    ("hmac.new", re.compile(r"\bhmac\.new\s*\("), 0, "secret"),
    ("auth", re.compile(r"\bauth\s*=\s*\("), 1, "password"),
    ("connect", re.compile(r"\b(?:pymysql|MySQLdb|mysql\.connector)\.connect\s*\("), 2, "password"),
)  # fmt: skip
_ARG = re.compile(
    r"""\s*(?:[bBrRuU]{0,2}(["'])((?:(?!\1)[^\\]|\\.)*)\1|[^,()"']+(?:\([^()]*\))?)\s*(,|\))"""
)


def _positional_literal(line: str, pos: int, index: int) -> tuple[int, str] | None:
    """The string literal passed as argument ``index`` of the call whose ``(`` ends at ``pos``."""
    for count in range(index + 1):
        m = _ARG.match(line, pos)
        if m is None:
            return None
        if count == index:
            return (m.start(2), m.group(2)) if m.group(1) else None
        if m.group(3) == ")":
            return None
        pos = m.end()
    return None


def _rule_positional(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """A secret passed positionally to a known client: ``server.login("me@x.io", "…")``,
    ``Minio(host, access, "…")``, ``Fernet(b"…")``, ``HTTPBasicAuth("u", "…")``."""
    for hint, call, index, category in _POSITIONAL:
        if hint not in low:
            continue
        for m in call.finditer(line):
            found = _positional_literal(line, m.end(), index)
            if found and judge_value(found[1], ValueContext(category)):
                yield _Hit(
                    found[0], found[0] + len(found[1]), category, None, None, found[1], "positional"
                )


#: Inline markers other scanners honour: ``# pragma: allowlist secret`` (detect-secrets),
#: ``gitleaks:allow``, ``nosec``/``NOSONAR`` next to a credential.
_INLINE_ALLOW = re.compile(
    r"pragma:\s*allowlist[ -]secret|gitleaks:allow|\bnosec\b|nosonar|noqa:\s*s105"
)
INLINE_REASON = "inline allowlist comment on the line"
_HOST_PORT = re.compile(r"^[\w.\-]+:\d+$")


def _strict_name(key: str) -> tuple[str, bool] | None:
    """The name judgement when the name *ends* in the secret noun (``DB_PASSWORD``, ``apiKey``,
    ``NONCE_KEY``, ``<Pass>``), for the looser pair forms where a list of strings could otherwise
    pass for an assignment."""
    words = _name_words(key)
    named = secret_name(key)
    if not words or named is None:
        return None
    last = words[-1]
    ends = (
        last in _SECRET_WORDS
        or last in _WEAK_LAST
        or (len(words) > 1 and (words[-2], last) in _SECRET_PAIRS)
        or last.endswith(("password", "passwd", "secret", "token", "apikey"))
    )
    return named if ends else None


def _pair_value_ok(named: tuple[str, bool], value: str, ctx: LineContext) -> bool:
    """As an assignment, and not a constant's name (``'CAST_KEY', 'X509_ATTRIBUTE'`` is a list
    of names) nor itself a secret's name."""
    return (
        judge_value(value, ValueContext(named[0], named[1], ctx.prose))
        and not (not named[1] and _CONSTANT_NAME.match(value))
        and not _HOST_PORT.match(value)
        and secret_key_category(value) is None
    )


_PAIR_FORMS = (
    (",", _PAIR, "qv"),  # ("DB_PASSWORD", "…"): a getenv default, PHP define, a config setter
    ("=", _IN_STRING, "v"),  # ;Password=…; in a connection string, ?api_key=… in a URL
    ("</", _XML, "v"),  # <password>…</password>, <Pass encoding="base64">…</Pass>
    ("value", _XML_ATTR, "v"),  # <add key="ApiKey" value="…"/>
)


def _rule_pairs(line: str, low: str, ctx: LineContext) -> Iterator[_Hit]:
    """A secret name and its value side by side, in the forms of ``_PAIR_FORMS``."""
    for hint, pattern, group in _PAIR_FORMS:
        if hint not in low:
            continue
        for m in pattern.finditer(line):
            named = _strict_name(m.group("key"))
            if named is not None and _pair_value_ok(named, m.group(group), ctx):
                value = m.group(group)
                yield _Hit(m.start(group), m.end(group), named[0], None, None, value, "assignment")


def _private_key_hits(line: str, following: list[str]) -> Iterator[_Hit]:
    for m in _PRIVATE_KEY.finditer(line):
        rest = line[m.end() :].replace("\\n", "\n")
        parts = [_KEY_END.split(rest, 1)[0]]
        if not _KEY_END.search(rest):
            for other in following:
                parts.append(_KEY_END.split(other, 1)[0])
                if _KEY_END.search(other):
                    break
        # drop PEM headers such as "Proc-Type: 4,ENCRYPTED" before joining the base64 body
        body = "".join(
            _B64_CHARS.sub("", part) for part in "\n".join(parts).splitlines() if ":" not in part
        )
        # No placeholder-word test here: a long random body contains short words by chance.
        if len(body) < 64 or shannon_entropy(body) < 4.0 or "..." in "".join(parts):
            continue
        label = m.group(1) or m.group(2)
        kind = (
            "google-service-account-key" if '"private_key"' in line[: m.start()] else "private-key"
        )
        yield _Hit(m.start(), m.end(), kind, None, label, body, "private-key")


def _putty_key_hits(line: str, following: list[str]) -> Iterator[_Hit]:
    """A PuTTY ``.ppk`` file: the ``Private-Lines`` after its ``PuTTY-User-Key-File`` header."""
    if not line.startswith("PuTTY-User-Key-File-"):
        return
    body: list[str] = []
    count = 0
    for text in following:
        if text.startswith("Private-Lines:"):
            count = (
                int(text.split(":", 1)[1].strip() or 0)
                if text.split(":", 1)[1].strip().isdigit()
                else 0
            )
            continue
        if count and len(body) < count:
            body.append(text.strip())
    value = "".join(body)
    if len(value) >= 64 and shannon_entropy(value) >= 4.0:
        yield _Hit(
            0,
            len(line),
            "private-key",
            None,
            "PuTTY " + line.split(":", 1)[-1].strip(),
            value,
            "private-key",
        )


#: Rules that know a provider's format; they run first and claim their spans.
PROVIDER_RULES: tuple[Callable[[str, str, LineContext], Iterator[_Hit]], ...] = (
    _rule_stripe, _rule_aws, _rule_google, _rule_github, _rule_slack, _rule_twilio,
    _rule_sendgrid, _rule_jwt, _rule_shapes, _rule_braintree, _rule_url, _rule_bearer,
    _rule_npm_openai, _rule_basic_auth, _rule_rails_master_key,
)  # fmt: skip
#: Rules that judge a value by the name or the place it is given; a span a provider rule
#: claimed is not reported twice.
NAME_RULES: tuple[Callable[[str, str, LineContext], Iterator[_Hit]], ...] = (
    _rule_assign, _rule_pairs, _rule_netrc, _rule_pgpass, _rule_cli_password, _rule_positional,
)  # fmt: skip
_EVERY_LINE = re.compile(rb"[^\n]")


def _prefixed_first(hits: list[_Hit]) -> list[_Hit]:
    """Drops a hit with no prefix of its own (a bare 40-character AWS-secret shape) where it
    overlaps one a provider's prefix marks: ``HRKU-`` and a body that happens to hold "aws" is
    one Heroku key, not also an AWS secret."""
    prefixed = [(h.start, h.end) for h in hits if h.prefix_class]
    if not prefixed:
        return hits
    return [
        h for h in hits if h.prefix_class or not any(h.start < e and s < h.end for s, e in prefixed)
    ]


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

    @staticmethod
    def may_hold_secret(text: str) -> bool:
        """False when no rule can match ``text``: none of the prefilter's keywords is in it (the
        check ``scan_text`` starts with; outside files whose every line is read)."""
        lower = text.lower().encode("utf-8", "surrogatepass")
        return bool(_PREFILTER.search(lower) or _PREFILTER_SHAPES.search(lower))

    @staticmethod
    def assignment_may_hold_secret(key: str, value: str) -> bool:
        """False when no rule can match the line ``key=value``: as :meth:`may_hold_secret`, and
        a name that passes the prefilter only as a ``*_KEY``/``AUTH`` shape (``KEY_7``) but is no
        secret name holds none either (the name rules need a secret name, and the provider rules
        a literal of their own)."""
        if Scanner.may_hold_secret(value):
            return True
        lower = key.lower().encode("utf-8", "surrogatepass")
        if _PREFILTER.search(lower):
            return True
        return _PREFILTER_SHAPES.search(lower) is not None and secret_name(key) is not None

    @staticmethod
    def keyword_spans(lower: bytes) -> Iterator[tuple[int, int]]:
        """Where the prefilter's keywords are in a lower-cased block (``may_hold_secret`` of many
        texts at once: a text none of them touches holds nothing a rule can match)."""
        for pattern in (_PREFILTER, _PREFILTER_SHAPES):
            for found in pattern.finditer(lower):
                yield found.span()

    def fingerprint(self, value: str | bytes) -> str:
        """``HMAC-SHA256(key, value)`` as 16 hex digits: stable per key, not reversible without it."""
        data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
        pads = _hmac_pads(self._key)
        inner, outer = pads[0].copy(), pads[1].copy()
        inner.update(data)
        outer.update(inner.digest())
        return outer.hexdigest()[:FINGERPRINT_HEX]

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
        data = text.encode("utf-8", "surrogatepass")
        out: list[Detection] = []
        if not _may_read_every_line(file) and not _has_keyword(data.lower()):
            return out  # as ``_scan_block`` finds, without the file's context (its name parsed)
        self._scan_block(data, 1, line_context(file, unquoted, self.include_test), out)
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
        ctx = line_context(file, unquoted, self.include_test)
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
                    self._scan_block(block, line_no, ctx, out)
                    line_no += block.count(b"\n")
        return out

    # -- internals ----------------------------------------------------------------------------

    def _scan_block(
        self, data: bytes, first_line: int, ctx: LineContext, out: list[Detection]
    ) -> None:
        lower = data.lower()
        counted_pos, counted_line = 0, first_line
        next_allowed = 0
        if ctx.every_line:
            candidates: Iterable[int] = (m.start() for m in _EVERY_LINE.finditer(lower))
        elif not _has_keyword(lower):
            return  # no keyword, so no line to read: most memos, names and references
        else:
            candidates = _candidates(lower)
        for pos in candidates:
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
            head = lower[start:end]
            if b"private key" in head or b"putty-user-key-file" in head:
                following = _following_lines(data, end)
            consumed = self._scan_line(line, counted_line, ctx, following, out)
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
        ctx: LineContext,
        following: Iterable[str],
        out: list[Detection],
    ) -> int:
        """Scan one line; returns how many following lines a private-key block consumed."""
        low = line.lower()
        hits: list[_Hit] = []
        consumed = 0
        for rule in PROVIDER_RULES:
            hits.extend(rule(line, low, ctx))
        hits = _prefixed_first(hits)
        if "private key" in low or "putty-user-key-file" in low:
            lines = list(following)
            for hit in itertools.chain(
                _private_key_hits(line, lines), _putty_key_hits(line, lines)
            ):
                hits.append(hit)
                consumed = max(consumed, _block_length(lines))
        claimed = [(h.start, h.end) for h in hits]
        for rule in NAME_RULES:
            for hit in rule(line, low, ctx):
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
                    file=ctx.file,
                    line=lineno,
                    live=hit.live,
                    length=len(hit.value),
                    prefix_class=hit.prefix_class,
                    fingerprint=fingerprint,
                    detector=hit.detector,
                    allowlisted=self.allowlist_reason(fingerprint, ctx.file) or inline,
                    span=(hit.start, hit.end),
                    end_line=lineno + consumed if hit.detector == "private-key" else None,
                )
            )
        return consumed


_HMAC_BLOCK = 64  # SHA-256's block size
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


@functools.lru_cache(maxsize=16)  # a run has one key (a test a few)
def _hmac_pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """HMAC-SHA256's two hashes with ``key`` already fed in (RFC 2104): a fingerprint copies them
    instead of setting up an HMAC (the same digest as ``hmac.new``, at less than half its cost;
    a ledger's every unique reference is fingerprinted)."""
    if len(key) > _HMAC_BLOCK:
        key = hashlib.sha256(key).digest()
    block = key.ljust(_HMAC_BLOCK, b"\0")
    return hashlib.sha256(block.translate(_INNER_PAD)), hashlib.sha256(block.translate(_OUTER_PAD))


def _cut(data: bytes) -> int:
    """Where to end a block: after its last full line, but before a private-key block that is not
    closed within it (so the key is read whole with the next block). 0 means: read more first."""
    cut = data.rfind(b"\n") + 1
    begin = data.rfind(b"-----BEGIN", 0, cut)
    if begin != -1 and data.find(b"-----END", begin, cut) == -1:
        return data.rfind(b"\n", 0, begin) + 1
    return cut


def _following_lines(data: bytes, end: int, limit: int = 200) -> list[str]:
    """The lines after a key's BEGIN line, up to its END line. A further BEGIN line ends them
    (a PEM block holds no other): otherwise a run of BEGIN lines reads 200 lines each."""
    lines: list[str] = []
    pos = end + 1
    while pos < len(data) and len(lines) < limit:
        nxt = data.find(b"\n", pos)
        nxt = len(data) if nxt == -1 else nxt
        if _KEY_BEGIN.search(data, pos, nxt):
            break
        text = data[pos:nxt].decode("utf-8", "replace").rstrip("\r")
        lines.append(text)
        if _KEY_END.search(text) or text.startswith("Private-MAC:"):
            break
        pos = nxt + 1
    return lines


def _block_length(lines: list[str]) -> int:
    for index, text in enumerate(lines):
        if _KEY_END.search(text) or text.startswith("Private-MAC:"):
            return index + 1
    return 0


_PROCESS_KEY: list[bytes] = []


def _process_key() -> bytes:
    if not _PROCESS_KEY:
        _PROCESS_KEY.append(_secrets.token_bytes(32))
    return _PROCESS_KEY[0]
