"""The secret guard: blocks a message with a secret in its subject, body or attachment, or any
token whose fingerprint the run has seen; lets a clean message through; never quotes a value."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.secrets.guard import (
    _EDGE,
    _SPLITTERS,
    MIN_TOKEN,
    SecretGuard,
    candidate_tokens,
    known_fingerprints,
)
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, SourceResult

KEY = b"guard-test-key-0123456789abcdef"
STRIPE_LIVE = "sk_" + "live_" + "u0l3zZo6N4CrCWaLFRUKbT0k"
AWS_ID = "AKIA" + "HYVTN53C7X5FLJFQ"
# A short, word-like password: no regex would call it a secret in free text.
DB_PASSWORD = "harbor-Dock-42"


def message(subject: str = "CTO report, November 2026", body: str = "All quiet.\n") -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "reports@harbor.example"
    msg["To"] = "cto@harbor.example"
    msg.set_content(body)
    return msg


def guard(fingerprints: frozenset[str] = frozenset()) -> SecretGuard:
    return SecretGuard(KEY, fingerprints)


def test_clean_message_passes() -> None:
    msg = message(
        body="Runway is 7-9 months.\nFingerprint a1b2c3d4 was rotated.\nPassword policy: 12+ chars.\n"
    )
    msg.add_alternative("<p>Runway is <b>7-9 months</b>.</p>", subtype="html")
    msg.add_attachment(b'{"ok": true}', maintype="application", subtype="json", filename="cto.json")
    assert guard(frozenset({Scanner(KEY).fingerprint(DB_PASSWORD)})).check(msg) == []


def test_secret_in_subject_is_blocked() -> None:
    [hit] = guard().check(message(subject=f"key {STRIPE_LIVE}"))
    assert hit.startswith("Stripe secret key (live) (fingerprint ")
    assert hit.endswith("in subject line 1")
    assert STRIPE_LIVE not in hit


def test_secret_in_body_names_the_line() -> None:
    [hit] = guard().check(message(body=f"Summary\n\nDeploy with {AWS_ID} today.\n"))
    assert hit.endswith("in body (text/plain) line 3")
    assert AWS_ID not in hit


def test_secret_in_html_part_even_behind_entities() -> None:
    msg = message()
    hidden = "".join(f"&#{ord(c)};" for c in STRIPE_LIVE)
    msg.add_alternative(f"<p>key: {hidden}</p>", subtype="html")
    hits = guard().check(msg)
    assert len(hits) == 1 and "body (text/html), entities decoded line 1" in hits[0]


def test_secret_in_attachment_is_decoded_and_found() -> None:
    msg = message()
    payload = f'{{"findings": [], "note": "{STRIPE_LIVE}"}}'.encode()
    msg.add_attachment(payload, maintype="application", subtype="json", filename="cto.json")
    [hit] = guard().check(msg)
    assert "attachment 'cto.json' line 1" in hit
    markdown = message()
    markdown.add_attachment(f"# Report\n\nAWS: {AWS_ID}\n", subtype="markdown", filename="cto.md")
    [hit] = guard().check(markdown)
    assert "attachment 'cto.md' line 3" in hit


def test_a_known_fingerprint_blocks_what_the_regexes_miss() -> None:
    body = f"Database access restored; the new password is {DB_PASSWORD}, use it.\n"
    assert guard().check(message(body=body)) == []
    known = frozenset({Scanner(KEY).fingerprint(DB_PASSWORD)})
    [hit] = guard(known).check(message(body=body))
    assert hit.startswith("a secret seen in this run's sources (fingerprint ")
    assert hit.endswith("in body (text/plain) line 1")
    assert DB_PASSWORD not in hit
    # quoted, in KEY=value form, or inside punctuation: still found
    for text in (
        f'"{DB_PASSWORD}"',
        f"DB_PASSWORD={DB_PASSWORD}",
        f"({DB_PASSWORD}).",
        f"pw:{DB_PASSWORD}",
    ):
        assert guard(known).check(message(body=text)), text
    # a different key gives different fingerprints: nothing matches
    other = frozenset({Scanner(b"other key").fingerprint(DB_PASSWORD)})
    assert guard(other).check(message(body=body)) == []


def test_candidate_tokens() -> None:
    tokens = candidate_tokens(f'set DB_PASSWORD="{DB_PASSWORD}"; done')
    assert DB_PASSWORD in tokens
    assert all(len(token) >= 8 for token in tokens)
    assert "set" not in tokens


def plain_candidate_tokens(line: str) -> set[str]:
    """``candidate_tokens`` as first written: every word and split made, the short ones dropped."""
    out: set[str] = set()
    for word in line.split():
        for token in (word, word.strip(_EDGE)):
            out.add(token)
            for sep in ("=", ":"):
                if sep in token:
                    out.add(token.split(sep, 1)[1].strip(_EDGE))
    for splitter in _SPLITTERS:
        out.update(splitter.split(line))
    return {token for token in out if len(token) >= MIN_TOKEN}


#: Letters, digits, every character a splitter or the edge strip treats apart, and whitespace
#: that ``str.split`` and regular expressions must agree on.
_TOKEN_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aZ09_-+/=.~:;,|'\"`<>()[]{}!?*@#$%& \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000é")
    ),
    max_size=60,
)


@settings(max_examples=3000, deadline=None)
@given(_TOKEN_TEXT)
def test_candidate_tokens_equal_the_plain_form(line: str) -> None:
    assert candidate_tokens(line) == plain_candidate_tokens(line)


#: A reference, an id or a name: one word of letters, digits, ``_`` and ``-`` (the fast path).
_ONE_WORD_TEXT = st.text(alphabet=st.sampled_from(list("aZ09_-")), max_size=40)


@settings(max_examples=2000, deadline=None)
@given(_ONE_WORD_TEXT)
def test_candidate_tokens_of_one_word_equal_the_plain_form(word: str) -> None:
    assert candidate_tokens(word) == plain_candidate_tokens(word)


def test_candidate_tokens_of_a_note_equal_the_plain_form() -> None:
    note = (
        'Router pw: "harbor-Dock-42" (rotated)\nKEY=sk_test_abcdefgh12; url=https://x.example/a?b=c'
    )
    assert candidate_tokens(note) == plain_candidate_tokens(note) != set()


def test_known_fingerprints_from_snapshot_records() -> None:
    prov = Provenance("repos.env", 3)
    finding = SecretFinding(
        "harbor-charters",
        prov,
        "stripe-secret-key",
        "repos.env",
        3,
        True,
        32,
        "sk_live",
        "aa11bb22cc33dd44",
        "stripe",
    )
    secret_key = EnvKey(
        "harbor-charters",
        prov,
        "repos.env",
        3,
        "DB_PASSWORD",
        "database",
        "secret",
        None,
        "ff00ee11dd22cc33",
    )
    config_key = EnvKey(
        "harbor-charters", prov, "repos.env", 4, "AWS_REGION", "aws", "config", None, None
    )
    snapshot = Snapshot(
        "Harbor Holdings",
        "USD",
        date(2026, 11, 20),
        (EntityInfo("harbor-charters", "Harbor Charters", "charter"),),
        (
            SourceResult(
                "harbor-charters", "env", ("repos.env",), (finding, secret_key, config_key)
            ),
        ),
    )
    assert known_fingerprints(snapshot) == frozenset({"aa11bb22cc33dd44", "ff00ee11dd22cc33"})
