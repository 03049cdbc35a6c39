"""Redaction: secrets a source let into its records are replaced and reported, clean ones kept."""

from __future__ import annotations

import base64
import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.config import load_config
from execbrief.pipeline import redact_config_names
from execbrief.records.handoff import Fact, NoteSection
from execbrief.records.secrets import SecretFinding
from execbrief.records.site import SitePage
from execbrief.secrets.redaction import (
    _ANY_HINT,
    REPORT_RECORDS,
    Redactor,
    _label_spans,
    _touched,
    known_fingerprints,
    redact_result,
    redact_text,
    scan_free_text,
)
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, SourceError, SourceResult
from execbrief.sources.handoff import HandoffSource
from execbrief.sources.site import SiteOptions, SiteSource
from kits.files import request

KEY = b"k" * 32
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
PASSWORD = "Tr0ub4dor" + "-Zq8!xKw2"


def section(text: str, line: int = 10) -> NoteSection:
    return NoteSection("harbor", Provenance("handoffs/harbor.md", line), "Access", text)


def test_rule_detection_is_redacted_and_reported_at_its_line() -> None:
    result = SourceResult(
        "harbor",
        "handoff",
        ("handoffs/harbor.md",),
        (section(f"## Access\nkeys below\nStripe: {STRIPE}\n"),),
    )
    redacted = redact_result(result, Redactor(Scanner(KEY)))
    note = redacted.records[0]
    assert isinstance(note, NoteSection)
    assert STRIPE not in note.text
    assert note.text.splitlines()[:2] == ["## Access", "keys below"]
    assert note.text.splitlines()[2].startswith("Stripe: [redacted: Stripe")  # the value only
    finding = redacted.records[1]
    assert isinstance(finding, SecretFinding)
    assert (finding.file, finding.line, finding.live) == ("handoffs/harbor.md", 12, True)
    assert STRIPE not in repr(redacted)


def test_known_fingerprint_catches_a_value_no_rule_knows() -> None:
    scanner = Scanner(KEY)
    env = SecretFinding(
        "harbor",
        Provenance("repos.env", 3),
        "password",
        "repos.env",
        3,
        None,
        18,
        None,
        scanner.fingerprint(PASSWORD),
        "assign",
    )
    note = section(f"Admin password: {PASSWORD}")
    results = [
        SourceResult("harbor", "env", ("repos.env",), (env,)),
        SourceResult("harbor", "handoff", ("h.md",), (note,)),
    ]
    redactor = Redactor(scanner, known_fingerprints(results))
    assert redactor.known == {env.fingerprint}
    cleaned = redact_result(results[1], redactor)
    assert PASSWORD not in repr(cleaned)
    assert redact_result(results[0], redactor) is results[0]  # fingerprint-only records untouched


def test_clean_result_is_returned_unchanged_and_errors_are_redacted() -> None:
    clean = SourceResult("harbor", "handoff", ("h.md",), (section("Cash on hand: $12,400"),))
    redactor = Redactor(Scanner(KEY))
    assert redact_result(clean, redactor) is clean
    error = SourceError(
        "harbor", "ledger", Provenance("l.csv", 4), f"cannot read amount 'token={STRIPE}'"
    )
    bad = SourceResult("harbor", "ledger", ("l.csv",), errors=(error,))
    assert STRIPE not in redact_result(bad, redactor).errors[0].message


# -- every shape people write a secret in (issue 17, item 5) ------------------------------------

PW = "Kq7v" + "#Lm29xTz4"
SCANNER = Scanner(KEY)


def redacted(text: str) -> str:
    return redact_text(text, scan_free_text(text, SCANNER, "handoffs/harbor.md"))


def test_labelled_passwords_in_prose_lists_and_tables_are_redacted_in_place() -> None:
    text = "\n".join(
        [
            f"Admin password: {PW}",
            f"- Wi-Fi pw: {PW}",
            f"Password = {PW}",
            f"The admin password is {PW} until the migration.",
            f"**Router password:** {PW}",
            f"For now the pwd is `{PW}`, then SSO.",
            "",
            "| System | Password |",
            "|---|---|",
            f"| Admin | {PW} |",
            "",
            "| Item | Value |",
            "| --- | --- |",
            f"| Staff pw | {PW} |",
        ]
    )
    out = redacted(text)
    assert PW not in out
    assert len(out.split("\n")) == len(text.split("\n"))  # line numbers stay true
    lines = out.split("\n")
    assert lines[0].startswith("Admin password: [redacted: hardcoded password, fingerprint ")
    assert lines[3].startswith("The admin password is [redacted") and "migration" in lines[3]
    assert lines[9].startswith("| Admin | [redacted") and lines[9].endswith("|")  # still a row
    assert lines[13].startswith("| Staff pw | [redacted")


def test_words_after_a_label_are_not_secrets() -> None:
    text = "\n".join(
        [
            "The password is required at sign-up.",
            "Password: see 1Password, vault Ops",
            "Token: none yet",
            "| Password | Owner |",
            "|---|---|",
            "| rotated | Dana |",
            "PIN: 4471",
            "API key: pending",
        ]
    )
    assert redacted(text) == text


def test_credentials_in_urls_lose_only_the_password() -> None:
    out = redacted(f"DB: postgres://admin:{PW}@db.harbor.internal/app and more")
    assert PW not in out
    assert out.startswith("DB: postgres://admin:[redacted: password in a URL, fingerprint ")
    assert out.endswith("]@db.harbor.internal/app and more")


def _key_lines() -> list[str]:
    body = base64.b64encode(bytes(range(256)) * 3).decode()
    return [body[i : i + 64] for i in range(0, len(body), 64)]


def test_a_whole_private_key_block_goes_in_or_out_of_a_fence() -> None:
    body = _key_lines()
    fenced = ["```", "-----BEGIN RSA PRIVATE KEY-----", *body, "-----END RSA PRIVATE KEY-----"]
    bare = ["-----BEGIN OPENSSH PRIVATE KEY-----", *body, "-----END OPENSSH PRIVATE KEY-----"]
    text = "\n".join(["Key:", *fenced, "```", "", "Backup:", *bare, "after"])
    out = redacted(text).split("\n")
    assert len(out) == len(text.split("\n"))
    assert not any(line in out for line in body)
    assert "END" not in "\n".join(out)
    assert out[1] == "```" and out[len(fenced) + 1] == "```"  # the fence still closes
    assert out[2].startswith("[redacted: private key, fingerprint ")
    assert out[-1] == "after"


def test_an_unclosed_private_key_loses_its_body_to_the_first_other_line() -> None:
    body = _key_lines()
    text = "\n".join(["-----BEGIN PRIVATE KEY-----", *body, "", "next paragraph"])
    out = redacted(text).split("\n")
    assert not any(line in out for line in body)
    assert out[-2:] == ["", "next paragraph"]


def test_site_query_strings_and_a_file_named_like_a_key_are_redacted(tmp_path: Path) -> None:
    token = "Zr8" + "xQ2vLm9TkP4wN7bY"
    stripe = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    site = tmp_path / "site"
    site.mkdir()
    (site / f"{stripe}.html").write_text(
        "<html><head><title>Contact</title></head><body>"
        # a link the site source keeps (a missing page, an http:// link); a form action is no link
        f'<a href="/book.html?api_key={token}&ref=x">Book</a>'
        f'<a href="http://widgets.partner.io/embed?token={token}">Widget</a>'
        f'<form action="/subscribe?list=7&token={token}" method="post"></form></body></html>'
    )
    result = SiteSource().collect(request(tmp_path, "site", SiteOptions(), kind="site"))
    assert token in repr(result) and stripe in repr(result)  # what the source read
    cleaned = redact_result(result, Redactor(SCANNER))
    assert token not in repr(cleaned) and stripe not in repr(cleaned)
    (page,) = [r for r in cleaned.records if isinstance(r, SitePage)]
    assert "/[redacted: Stripe secret key (live), fingerprint " in page.provenance.source
    assert any("api_key=[redacted: hardcoded API key" in key for key in page.lines)
    assert any("token=[redacted: hardcoded token" in link for link in page.http_links)


def test_fingerprint_only_records_keep_all_but_their_paths() -> None:
    stripe = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    path = f"code/app/{stripe}.js"
    finding = SecretFinding(
        "harbor", Provenance(path, 1), "password", path, 1, None, 12, None, "ab" * 8, "assignment"
    )
    cleaned = redact_result(SourceResult("harbor", "code", (path,), (finding,)), Redactor(SCANNER))
    (secret,) = cleaned.records
    assert isinstance(secret, SecretFinding) and stripe not in repr(cleaned)
    assert secret.file == secret.provenance.source == cleaned.paths[0]
    assert secret.file.startswith("code/app/[redacted: Stripe secret key (live)")
    assert dataclasses.replace(secret, file=path, provenance=finding.provenance) == finding


def test_a_note_is_redacted_before_it_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "harbor.md").write_text(
        f"# Harbor\n\n## Access\n\n- Admin password: {PW}\n- Cash on hand: $1,200\n"
    )
    result = HandoffSource().collect(request(tmp_path, "harbor.md", kind="handoff"))
    assert PW not in repr(result)
    facts = {r.key: r for r in result.records if isinstance(r, Fact)}
    assert str(facts["admin-password"].value).startswith("[redacted: hardcoded password")
    assert len(facts) >= 2  # the rest of the note is read as before
    (found,) = [r for r in result.records if isinstance(r, SecretFinding)]
    assert (found.line, found.kind) == (5, "password")


def test_secrets_in_config_names_are_redacted_where_the_config_enters(tmp_path: Path) -> None:
    stripe = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    config = tmp_path / "portfolio.toml"
    config.write_text(
        f'[portfolio]\nname = "Holdings {stripe}"\n\n[secrets]\nkey_file = "k.key"\n\n'
        f'[[entities]]\nid = "harbor"\nname = "Harbor {stripe}"\nkind = "charter"\n'
        '\n[[entities]]\nid = "plain"\nname = "Plain Co"\nkind = "charter"\n'
    )
    loaded = redact_config_names(load_config(config))
    assert stripe not in loaded.model_dump_json()
    assert loaded.entities[0].name.startswith("Harbor [redacted: Stripe secret key (live)")
    assert loaded.entities[1].name == "Plain Co"
    clean = tmp_path / "clean.toml"
    clean.write_text('[portfolio]\nname = "Plain"\n\n[secrets]\nkey_file = "c.key"\n')
    redact_config_names(load_config(clean))
    assert not (tmp_path / "c.key").exists()  # no key is made for a config with nothing to hide


def test_the_token_index_tells_when_more_secrets_would_change_a_result() -> None:
    """The guarantee the parallel collect rests on: redacting against more fingerprints, none of
    them in the index of a first redaction, gives that first result; one in it changes it."""
    scanner = Scanner(KEY)
    note = section(f"## Access\nThe spare login is {PASSWORD} until May.\nStripe: {STRIPE}\n")
    result = SourceResult("harbor", "handoff", ("h.md",), (note,))
    seen: set[str] = set()
    first = redact_result(result, Redactor(scanner, index=seen))
    assert scanner.fingerprint(PASSWORD) in seen
    elsewhere = frozenset({scanner.fingerprint("an-other-secret-value")})
    assert not elsewhere & seen
    assert redact_result(result, Redactor(scanner, elsewhere)) == first
    known = redact_result(result, Redactor(scanner, frozenset({scanner.fingerprint(PASSWORD)})))
    assert known != first and PASSWORD not in repr(known)


def test_a_long_redaction_reports_how_far_it_has_got() -> None:
    """More than REPORT_RECORDS records: (done, total) at each step and at the end, and the result
    is the one an unreported redaction gives; a short result reports nothing."""
    scanner = Scanner(KEY)
    total = REPORT_RECORDS + 5
    notes = tuple(section(f"ref BK-{n:06d}-2026", line=n + 1) for n in range(total - 1))
    result = SourceResult("harbor", "handoff", ("h.md",), (*notes, section(f"Stripe: {STRIPE}")))
    heard: list[tuple[int, int]] = []
    redacted = redact_result(result, Redactor(scanner), lambda d, t: heard.append((d, t)))
    assert heard == [(0, total), (REPORT_RECORDS, total), (total, total)]
    assert redacted == redact_result(result, Redactor(scanner))
    assert STRIPE not in repr(redacted)
    short = SourceResult("harbor", "handoff", ("h.md",), notes[:10])
    redact_result(short, Redactor(scanner), lambda d, t: heard.append((d, t)))
    assert len(heard) == 3


#: Texts as a ledger's memos, payees and references hold them: clean ones, secrets by rule and
#: label, a known value no rule knows, a table cell, several lines, accents, a letter that only
#: case-folds to a label word (the long s of ``paſsword``: no secret, but a text to read in full).
PRESCANNED = (
    "BK-1160-2025-10-0",
    "Deposit, charter on 2026-09-08",
    "Chesapeake Boatyard",
    f"Refund via {STRIPE} today",
    f"Admin password: {PASSWORD}",
    "Ol5hcWABqUGDSBTyIA",
    "Diesel Ol5hcWABqUGDSBTyIA top-up",
    "| Staff pw | hunter2hunter2 |",
    "first line of it\nsecond Ol5hcWABqUGDSBTyIA line",
    "Café, quai 3 — remboursé",
    "Marée Haute Ol5hcWABqUGDSBTyIA",
    "Wi-Fi paſsword: Zq8xKw2Tr0ub4dor",
    "no keyword at all here",
)


def test_a_prescan_finds_clean_what_scanning_text_by_text_does_and_indexes_the_same() -> None:
    scanner = Scanner(KEY)
    known = frozenset({scanner.fingerprint("Ol5hcWABqUGDSBTyIA")})
    where = Provenance("ledgers/harbor.csv", 7)
    one_by_one_index: set[str] = set()
    one_by_one = Redactor(scanner, known, index=one_by_one_index)
    expected = [one_by_one.scan(text, where) for text in PRESCANNED]
    prescanned_index: set[str] = set()
    prescanned = Redactor(scanner, known, index=prescanned_index)
    prescanned.prescan([*PRESCANNED, 12, None], where.source)
    assert [prescanned.scan(text, where) for text in PRESCANNED] == expected
    assert prescanned_index == one_by_one_index
    assert sum(1 for hits in expected if hits) == 7
    clean = Redactor(scanner, frozenset(), index=set())
    clean.prescan(PRESCANNED, where.source)
    assert "BK-1160-2025-10-0" in clean._clean and "Chesapeake Boatyard" in clean._clean
    assert not {text for text in PRESCANNED if "Zq8" in text or "|" in text} & clean._clean


def test_redactors_sharing_what_no_rule_reads_find_and_index_what_fresh_ones_do() -> None:
    scanner = Scanner(KEY)
    where = Provenance("ledgers/harbor.csv", 7)
    tokens: dict[str, str] = {}
    untouched: dict[str, tuple[str, ...]] = {}
    # the first knows no secret and remembers "Diesel Ol5h… top-up" as one no rule reads; the
    # second knows that value, and must still find it there
    for known in (frozenset(), frozenset({scanner.fingerprint("Ol5hcWABqUGDSBTyIA")})):
        fresh_index: set[str] = set()
        fresh = Redactor(scanner, known, index=fresh_index)
        fresh.prescan(PRESCANNED, where.source)
        shared_index: set[str] = set()
        shared = Redactor(scanner, known, tokens=tokens, untouched=untouched, index=shared_index)
        shared.prescan(PRESCANNED, where.source)
        assert [shared.scan(t, where) for t in PRESCANNED] == [
            fresh.scan(t, where) for t in PRESCANNED
        ]
        assert shared_index == fresh_index
    assert "Diesel Ol5hcWABqUGDSBTyIA top-up" in untouched


class _OneByOne(Redactor):
    """Asks of every record alone whether redaction leaves it as it is: the plain form of the
    runs ``redact_result`` passes whole."""

    def all_unchanged(
        self, records: tuple[Any, ...], fields: tuple[Callable[[Any], Any], ...]
    ) -> bool:
        return False


#: Short texts (never secrets), the prescanned ones, and a file name that is a secret.
_RUN_TEXTS = st.sampled_from(["", "Access", "ok", *PRESCANNED])
_RUN_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["handoffs/a.md", "handoffs/b.md"]),
        st.sampled_from([None, "notes.md", f"{STRIPE}.md"]),
        _RUN_TEXTS,
        _RUN_TEXTS,
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_RUN_ROWS)
def test_runs_passed_whole_are_what_asking_record_by_record_gives(
    rows: list[tuple[str, str | None, str, str]],
) -> None:
    scanner = Scanner(KEY)
    known = frozenset({scanner.fingerprint("Ol5hcWABqUGDSBTyIA")})
    records = tuple(
        NoteSection("harbor", Provenance(source, n + 1, detail=detail), title, text)
        for n, (source, detail, title, text) in enumerate(rows)
    )
    result = SourceResult("harbor", "handoff", ("handoffs",), records)

    def redacted(kind: type[Redactor]) -> tuple[SourceResult, set[str], set[str]]:
        index: set[str] = set()
        redactor = kind(scanner, known, index=index)
        return redact_result(result, redactor), index, redactor._clean

    assert redacted(Redactor) == redacted(_OneByOne)


#: Texts with label words in any case, table bars, and letters that case-fold to a label word's.
_LABEL_TEXT = st.text(alphabet=st.sampled_from(list("PpAaSsWwDdKkEeYy|x \tſKé")), max_size=12)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_LABEL_TEXT, min_size=1, max_size=8))
def test_the_texts_a_label_word_or_bar_touches_are_those_labelled_values_reads(
    texts: list[str],
) -> None:
    joined = "\n".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
    lower = joined.encode("utf-8", "surrogatepass").lower()
    touched = _touched(starts, _label_spans(joined, lower))
    assert touched == {i for i, t in enumerate(texts) if "|" in t or _ANY_HINT.search(t)}


def test_a_text_clean_in_an_allowlisted_file_is_read_again_in_another() -> None:
    """What the rules find depends on the file: a labelled password is left alone under an
    allowlisted path, and the same redactor must still find it in any other file (it once
    remembered the text clean for every file)."""
    from execbrief.config import AllowlistEntry

    scanner = Scanner(KEY, [AllowlistEntry(path="docs/*", reason="sample docs")])
    text = f"Admin password: {PASSWORD}"
    redactor = Redactor(scanner)
    assert redactor.scan(text, Provenance("docs/a.md", 3)) == []
    hits = redactor.scan(text, Provenance("notes/b.md", 3))
    assert hits and hits == Redactor(scanner).scan(text, Provenance("notes/b.md", 3))
    assert redactor.scan(text, Provenance("docs/a.md", 9)) == []  # remembered for its file


_PAGE_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["sites/a/index.html", "sites/a/book.html"]),
        st.lists(_RUN_TEXTS, max_size=3),
        st.dictionaries(_RUN_TEXTS, st.integers(1, 9), max_size=3),
    ),
    max_size=12,
)


def _page(source: str, texts: list[str], lines: dict[str, int]) -> SitePage:
    empty: tuple[str, ...] = ()
    return SitePage(
        "harbor", Provenance(source), path=source, title=texts[0] if texts else None,
        meta_description=None, canonical=None, viewport=True, lang=None, h1=tuple(texts),
        analytics=empty, forms=0, booking_widgets=empty, ota_links=empty, social_links=empty,
        http_links=tuple(texts[1:]), broken_links=empty, phones=empty, jsonld_types=empty,
        jsonld_errors=empty, lines=lines,
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_PAGE_ROWS)
def test_texts_in_tuples_and_dicts_prescanned_are_redacted_as_when_scanned_one_by_one(
    rows: list[tuple[str, list[str], dict[str, int]]],
) -> None:
    from execbrief.secrets import redaction

    scanner = Scanner(KEY)
    known = frozenset({scanner.fingerprint("Ol5hcWABqUGDSBTyIA")})
    result = SourceResult("harbor", "site", ("sites/a",), tuple(_page(*row) for row in rows))

    def redacted() -> tuple[SourceResult, set[str]]:
        index: set[str] = set()
        return redact_result(result, Redactor(scanner, known, index=index)), index

    # (the prescan remembers an untouched text clean in every file, scanning it in this one)
    prescanned = redacted()
    nested, redaction._nested_texts = redaction._nested_texts, lambda kind: None
    try:
        assert prescanned == redacted()
    finally:
        redaction._nested_texts = nested
