"""The handoff notes source: label styles, typing, line numbers, tables, funnels, front matter,
and garbage in (binary, invalid UTF-8, BOM, bad YAML, missing file, folder)."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief import pipeline
from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.records.handoff import Fact, FunnelStep, NoteSection
from execbrief.snapshot import Provenance, Snapshot
from execbrief.sources.handoff import parse_note, read_value
from execbrief.sources.vocabulary import TERMS, ValueType, lookup, normalize_label, slug
from execbrief.values import Cadence, Money, MoneyRange, Percent

AS_OF = date(2026, 11, 20)


def parse(
    text: str,
) -> tuple[list[Fact], list[FunnelStep], list[NoteSection], list[tuple[int | None, str]]]:
    note = parse_note(textwrap.dedent(text).lstrip("\n"), "acme", Provenance("handoffs/acme.md"))
    facts = [r for r in note.records if isinstance(r, Fact)]
    steps = [r for r in note.records if isinstance(r, FunnelStep)]
    sections = [r for r in note.records if isinstance(r, NoteSection)]
    return facts, steps, sections, note.problems


def by_key(facts: list[Fact]) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    for fact in facts:
        out.setdefault(fact.key, fact)
    return out


# ---------------------------------------------------------------------------------- label styles


def test_every_label_style_gives_a_fact_at_its_line() -> None:
    facts, _, _, problems = parse(
        """
        # Acme

        ## Money
        Cash on hand: $12,400
        - Burn rate: ~$7–9K/mo
        * **MRR:** $1,200
        **Revenue**: $5,000 (October)
        - Open leads — 3
        **Expenses** — $4,000/mo
        Runway — 3 months
        """
    )
    assert problems == []
    got = {f.key: (f.provenance.line, f.section, f.value) for f in facts}
    assert got == {
        "cash": (4, "Money", Money(12400)),
        "burn": (5, "Money", MoneyRange(Money(7000), Money(9000), Cadence.MONTH, approximate=True)),
        "mrr": (6, "Money", Money(1200)),
        "revenue": (7, "Money", Money(5000)),
        "pipeline": (8, "Money", 3),
        "expenses": (9, "Money", MoneyRange.point(Money(4000), Cadence.MONTH)),
        "runway": (10, "Money", Decimal(3)),
    }
    assert all(f.known and f.provenance.source == "handoffs/acme.md" for f in facts)
    assert by_key(facts)["burn"].raw == "~$7–9K/mo"
    assert by_key(facts)["burn"].label == "Burn rate"


def test_dash_separator_needs_a_bullet_bold_or_known_label() -> None:
    facts, _, _, _ = parse(
        """
        ## Notes
        Weather — windy most of October.
        - Weather — windy
        **Mood** — good
        """
    )
    assert [(f.key, f.provenance.line, f.known) for f in facts] == [
        ("weather", 3, False),
        ("mood", 4, False),
    ]


def test_prose_is_not_mistaken_for_labels() -> None:
    facts, _, _, _ = parse(
        """
        ## Story
        We were busy in the summer: every slot went.
        The reason is simple. Some text wraps so that
        the middle of a sentence: looks like a label.
        Note. This has a full stop: so no.
        Visit https://acme.example for more.
        Revenue was great in the summer: every slot went.
        """
    )
    assert facts == []


def test_unknown_labels_are_text_facts_keyed_by_slug() -> None:
    facts, _, _, _ = parse(
        """
        - Fuel cost (avg): $400/mo
        - Next haul-out: March
        """
    )
    assert [(f.key, f.label, f.value, f.known) for f in facts] == [
        ("fuel-cost", "Fuel cost (avg)", "$400/mo", False),
        ("next-haul-out", "Next haul-out", "March", False),
    ]


def test_task_list_items_and_inline_markup_are_read() -> None:
    facts, _, _, _ = parse(
        """
        - [ ] **Equity promised:** 10% to [Jordan](https://example.com)
        - [x] Website: `https://acme.example`
        """
    )
    got = by_key(facts)
    assert got["equity_obligations"].value == Percent(10)
    assert got["equity_obligations"].raw == "10% to Jordan"
    assert got["website"].value == "https://acme.example"


def test_sections_follow_level_two_headings() -> None:
    facts, _, sections, _ = parse(
        """
        # Acme Boats
        Owner: Sam

        ## Finances
        Cash: $1,000

        ### Detail
        Burn: $500/mo

        ## Sales
        Pipeline: none
        """
    )
    assert [(f.key, f.section) for f in facts] == [
        ("owner", ""),
        ("cash", "Finances"),
        ("burn", "Finances"),
        ("pipeline", "Sales"),
    ]
    assert [(s.title, s.provenance.line, s.provenance.end_line) for s in sections] == [
        ("Acme Boats", 1, 2),
        ("Finances", 4, 8),
        ("Sales", 10, 11),
    ]
    assert sections[2].text == "## Sales\nPipeline: none"


# ---------------------------------------------------------------------------------- typing


@pytest.mark.parametrize(
    ("label", "text", "expected"),
    [
        ("Cash", "$7,500", Money(7500)),
        ("Cash", "USD 3,676.00", Money("3676.00")),
        ("Cash", "-$1,200 (overdrawn)", Money(-1200)),
        ("Cash", "(1,200)", Money(-1200)),
        ("Cash", "—", Money(0)),
        ("Pipeline", "0", 0),
        ("Pipeline", "no leads at all", 0),
        ("Pipeline", "empty", 0),
        ("Pipeline", "none, the last proposal was turned down", 0),
        ("OTA listings", "none; we sell direct", 0),
        ("Monthly burn rate", "$4K", Money(4000)),
        ("Utilisation", "0%", Percent(0)),
        ("Burn", "7-9k", MoneyRange(Money(7000), Money(9000))),
        (
            "Monthly burn",
            "about $8K a month",
            MoneyRange.point(Money(8000), Cadence.MONTH, approximate=True),
        ),
        ("Revenue", "$1.2M", Money(1200000)),
        ("Pipeline", "$40K across 3 deals", Money(40000)),
        ("Pipeline", "none", 0),
        ("Open leads", "0 open leads", 0),
        ("Leads in pipeline", "12", 12),
        ("Email list size", "1,240", 1240),
        ("Subscribers", "~300", 300),
        ("Utilisation", "62%", Percent(62)),
        ("Occupancy", "71.5 %", Percent("71.5")),
        ("Equity promised", "none", Percent(0)),
        ("Equity owed", "2 points to Sam", "2 points to Sam"),
        ("Google rating", "4.8 (212 reviews)", Decimal("4.8")),
        ("Runway", "about 3.5 months", Decimal("3.5")),
        # runway is in months: other units are converted, never read as months
        ("Runway", "~6 weeks", Decimal("1.4")),
        ("Runway", "1.5 years", Decimal(18)),
        ("Runway", "90 days", Decimal("3.0")),
        ("Runway", "3-4 months", Decimal(3)),
        ("Runway", "about a year", "about a year"),
        ("Runway", "none", Decimal(0)),
        ("Cash", "12,400 dollars", Money(12400)),
        ("Cash", "9k bucks", Money(9000)),
        ("Subscribers", "~1.2k", 1200),
        ("Active users", "1.3K", 1300),
        ("Review count", "2.5 million", "2.5 million"),
        ("OTA listings", "none", 0),
        ("Listed on OTAs", "Airbnb, VRBO and Booking.com", 3),
        ("OTA listings", "4", 4),
        ("Agreement signed", "yes", True),
        ("Agreement status", "signed 2026-03-02", True),
        ("Agreement status", "not signed, verbal only", False),
        ("Equity agreement", "drafted, pending review", False),
        ("Last updated", "2026-11-14", date(2026, 11, 14)),
        ("Updated", "Nov 3, 2026", date(2026, 11, 3)),
        ("As of", "3 November 2026", date(2026, 11, 3)),
        ("Bookings", "lots", "lots"),
        ("Cash", "pooled with the holding account", "pooled with the holding account"),
        ("Website", "https://acme.example", "https://acme.example"),
    ],
)
def test_known_labels_are_typed(label: str, text: str, expected: object) -> None:
    facts, _, _, _ = parse(f"- {label}: {text}\n")
    assert len(facts) == 1
    assert facts[0].value == expected
    assert type(facts[0].value) is type(expected)
    assert facts[0].raw == text


def test_read_value_gives_none_when_nothing_fits() -> None:
    assert read_value("soon", (ValueType.DATE,)) is None
    assert read_value("", (ValueType.MONEY,)) is None
    assert read_value("€300", (ValueType.MONEY,), "USD") == Money(300, "EUR")
    assert read_value("300", (ValueType.MONEY,), "GBP") == Money(300, "GBP")


def test_vocabulary_matching_and_slugs() -> None:
    assert lookup("**Burn (monthly):**") is not None
    assert lookup("Current cash").key == "cash"  # type: ignore[union-attr]
    assert lookup("Bank balance").key == "cash"  # type: ignore[union-attr]
    assert lookup("Leads in pipeline").key == "pipeline"  # type: ignore[union-attr]
    assert lookup("Equity obligations").key == "equity_obligations"  # type: ignore[union-attr]
    assert lookup("Listed on OTAs").key == "ota_listings"  # type: ignore[union-attr]
    assert lookup("Unbilled work").key == "unbilled"  # type: ignore[union-attr]
    assert lookup("Equity") is None  # too vague: "Equity: 100% ours" is no promise
    assert lookup("Favourite colour") is None
    # a known label inside a longer one counts, unless the label is about something else
    assert lookup("Monthly burn rate").key == "burn"  # type: ignore[union-attr]
    assert lookup("Equity promised to Jordan").key == "equity_obligations"  # type: ignore[union-attr]
    assert lookup("Bookings in October").key == "bookings"  # type: ignore[union-attr]
    assert lookup("Monthly burn rate", exact=True) is None
    assert lookup("Cash flow") is None
    assert lookup("Revenue target") is None
    assert lookup("Sales tax") is None
    assert lookup("Site visits") is None  # "site" alone is too common to count inside a label
    assert normalize_label("Sign-ups & Members (est.)") == "sign ups and members"
    assert slug("Fuel cost (avg)") == "fuel-cost"
    assert slug("!!!") == "unlabelled"
    synonyms = [normalize_label(s) for t in TERMS for s in t.synonyms]
    keys = [t.key for t in TERMS]
    assert len(keys) == len(set(keys))
    assert len(synonyms) == len(set(synonyms)), "a label may mean only one term"


# ---------------------------------------------------------------------------------- tables


def test_two_column_table_rows_are_facts() -> None:
    facts, steps, _, _ = parse(
        """
        ## Money

        | Figure | Value |
        | --- | --- |
        | Cash on hand | $31,400 |
        | Burn rate | ~$7–9K/mo |
        | Boats | 2 |
        | Favourite dock | B |
        """
    )
    assert steps == []
    assert [(f.key, f.provenance.line, f.section, f.known) for f in facts] == [
        ("cash", 5, "Money", True),
        ("burn", 6, "Money", True),
        ("fleet", 7, "Money", True),
        ("favourite-dock", 8, "Money", False),
    ]
    assert facts[2].value == 2


def test_wide_table_with_a_value_column_and_without() -> None:
    facts, _, _, _ = parse(
        """
        | Item | Amount | Notes |
        |---|---|---|
        | Cash | $5,000 | low |

        | Month | Nights | Revenue |
        |---|---|---|
        | August | 27 | $5,600 |
        """
    )
    assert [(f.key, f.provenance.line, f.value, f.known) for f in facts] == [
        ("cash", 3, Money(5000), True),
        ("august-nights", 7, 27, False),  # settled: JSON would read "27" back as a number
        ("august-revenue", 7, "$5,600", False),
    ]
    assert facts[1].label == "August (Nights)"


def test_step_and_count_table_is_a_funnel_in_order() -> None:
    _, steps, _, problems = parse(
        """
        ## Charter funnel

        | Step | Count | Conversion |
        | --- | ---: | ---: |
        | Inquiries | 1,041 | |
        | Quotes sent | 23 | 2% |
        | Deposits paid | 0 | 0% |
        """
    )
    assert problems == []
    assert [(s.step, s.count, s.order, s.provenance.line, s.funnel) for s in steps] == [
        ("Inquiries", 1041, 1, 5, "Charter funnel"),
        ("Quotes sent", 23, 2, 6, "Charter funnel"),
        ("Deposits paid", 0, 3, 7, "Charter funnel"),
    ]


def test_stage_table_with_integer_second_column_is_a_funnel() -> None:
    _, steps, _, _ = parse(
        """
        | Stage | Oct |
        |---|---|
        | Leads | 40 |
        | Won | 4 |
        """
    )
    assert [(s.step, s.count) for s in steps] == [("Leads", 40), ("Won", 4)]


def test_funnel_row_without_a_count_is_reported_and_skipped() -> None:
    _, steps, _, problems = parse(
        """
        | Step | Count |
        |---|---|
        | Leads | 40 |
        | Quotes | lots |
        | Won | 2 |
        """
    )
    assert [(s.step, s.order) for s in steps] == [("Leads", 1), ("Won", 2)]
    assert problems == [
        (4, "the funnel step 'Quotes' has no count ('lots'); expected a whole number such as 23")
    ]


# ---------------------------------------------------------------------------------- front matter


def test_front_matter_keys_are_facts_at_their_lines() -> None:
    facts, _, _, problems = parse(
        """
        ---
        owner: Dana
        burn: 8000
        cash: "$12,400"
        ota_listings: [Airbnb, VRBO]
        agreement_signed: no
        updated: 2026-11-14
        rating: 4.8
        colour: blue
        ---
        # Acme
        Pipeline: 3
        """
    )
    assert problems == []
    got = [(f.key, f.provenance.line, f.section, f.value) for f in facts]
    assert got == [
        ("owner", 2, "front matter", "Dana"),
        ("burn", 3, "front matter", Money(8000)),
        ("cash", 4, "front matter", Money(12400)),
        ("ota_listings", 5, "front matter", 2),
        ("equity_agreement_signed", 6, "front matter", False),
        ("updated", 7, "front matter", date(2026, 11, 14)),
        ("review_rating", 8, "front matter", Decimal("4.8")),
        ("colour", 9, "front matter", "blue"),
        ("pipeline", 12, "", 3),
    ]


def test_bad_front_matter_yaml_names_the_line_and_the_body_is_still_read() -> None:
    facts, _, _, problems = parse(
        """
        ---
        owner: Dana
        burn: [8000
        ---
        Cash: $10
        """
    )
    assert [f.key for f in facts] == ["cash"]
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 3  # the line of the bracket left open
    assert message.startswith("the front matter is not valid YAML")


def test_front_matter_must_be_a_mapping() -> None:
    _, _, _, problems = parse(
        """
        ---
        - just
        - a list
        ---
        """
    )
    assert problems == [
        (
            2,
            "the front matter is not a set of key: value pairs; expected lines such as 'burn: $8K/mo' between the --- markers",
        )
    ]


def test_unclosed_front_matter_is_reported_at_line_one() -> None:
    _, _, _, problems = parse("---\nowner: Dana\n\n# Acme\n")
    assert problems and problems[0][0] == 1
    assert "never closed" in problems[0][1]


# ---------------------------------------------------------------------------------- the source


def write_portfolio(
    root: Path, notes: dict[str, str | bytes | None], handoff: dict[str, str] | None = None
) -> Path:
    """A portfolio with one entity per note; a None note is not written (missing file)."""
    lines = ['[portfolio]\nname = "Test"\n']
    for entity, content in notes.items():
        path = (handoff or {}).get(entity, f"handoffs/{entity}.md")
        lines.append(
            f'[[entities]]\nid = "{entity}"\nname = "{entity.title()}"\nkind = "charter"\nhandoff = "{path}"\n'
        )
        target = root / path
        if isinstance(content, bytes):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        elif isinstance(content, str):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    config = root / "portfolio.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def collect(config_path: Path) -> Snapshot:
    registry = get_registry()
    config = load_config(config_path, registry.option_models())
    return pipeline.collect(config, registry, AS_OF, key=b"test-key")


def test_garbage_notes_give_source_errors_and_the_run_goes_on(tmp_path: Path) -> None:
    good = "# Good\nCash: $1,000\n"
    config = write_portfolio(
        tmp_path,
        {
            "good": good,
            "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "latin": "Cash: $1\nCaf\xe9: open\n".encode("latin-1"),
            "missing": None,
            "badyaml": "---\nowner: [x\n---\nBurn: $2K/mo\n",
            "bom": "\ufeff# Bom\nCash: $5\n\nBurn: $1/mo\n",
        },
    )
    (tmp_path / "handoffs" / "folder").mkdir()
    snapshot = collect(config)
    errors = {e.entity: e for e in snapshot.errors()}
    assert set(errors) == {"binary", "latin", "missing", "badyaml"}
    assert errors["binary"].provenance == Provenance("handoffs/binary.md")
    assert "binary" in errors["binary"].message
    assert errors["latin"].provenance.cite() == "handoffs/latin.md:2"
    assert "UTF-8" in errors["latin"].message
    assert errors["missing"].provenance.source == "handoffs/missing.md"
    assert "no such file" in errors["missing"].message
    assert errors["badyaml"].provenance.cite() == "handoffs/badyaml.md:2"
    assert not errors["badyaml"].fatal
    assert all(e.source_kind == "handoff" for e in errors.values())
    # the rest of the run is intact, and the BOM does not shift line numbers
    facts = {(f.entity, f.key): f for f in snapshot.records(Fact)}
    assert facts[("good", "cash")].value == Money(1000)
    assert facts[("badyaml", "burn")].provenance.cite() == "handoffs/badyaml.md:4"
    assert facts[("bom", "cash")].provenance.cite() == "handoffs/bom.md:2"
    assert facts[("bom", "burn")].provenance.cite() == "handoffs/bom.md:4"
    assert not errors["latin"].fatal
    # the line of invalid UTF-8 is left out, the line before it kept (issue 17 audit, item 8)
    assert facts[("latin", "cash")].provenance.cite() == "handoffs/latin.md:1"
    assert not any(f.entity in ("binary", "missing") for f in snapshot.records(Fact))


def test_a_folder_of_notes_is_read_and_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    config = write_portfolio(
        tmp_path,
        {"many": None, "empty": None},
        handoff={"many": "notes/many", "empty": "notes/empty"},
    )
    (tmp_path / "notes" / "many").mkdir(parents=True)
    (tmp_path / "notes" / "many" / "a.md").write_text("Cash: $1\n", encoding="utf-8")
    (tmp_path / "notes" / "many" / "b.md").write_text("\n\nBurn: $2/mo\n", encoding="utf-8")
    (tmp_path / "notes" / "empty").mkdir(parents=True)
    snapshot = collect(config)
    cites = sorted(f.provenance.cite() for f in snapshot.records(Fact, "many"))
    assert cites == ["notes/many/a.md:1", "notes/many/b.md:3"]
    [error] = snapshot.errors()
    assert error.entity == "empty"
    assert error.provenance.source == "notes/empty"
    assert "folder" in error.message


def test_a_handoff_path_that_is_a_folder_named_like_a_note_is_an_error(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"dir": None})
    (tmp_path / "handoffs" / "dir.md").mkdir(parents=True)
    [error] = collect(config).errors()
    assert error.provenance.source == "handoffs/dir.md"
    assert "is a folder" in error.message


def test_freshness_comes_from_the_updated_fact(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": "Last updated: 2026-09-01\nCash: $1\n"})
    [result] = collect(config).results
    assert result.freshness is not None
    assert result.freshness.newest_record == date(2026, 9, 1)
    assert result.freshness.age_days == 80
    assert result.freshness.stale  # 80 days > the default 45


# ---------------------------------------------------------------------------------- unseen notes


UNSEEN = """\
---
owner: Maria Lopez
updated: 2026-11-02
---

# Gull Point Kayaks — handoff

Gull Point rents kayaks and paddleboards from a beach shack and runs guided tours.
The owner wrote this in a hurry before leaving for the winter.

## Finances

**Cash in bank:** $3,210
**Net burn:** $1.5K–2K/mo over the winter
Gross margin: 48%

## Sales

| Metric | Now |
|--------|-----|
| Bookings per month | 35 |
| Email list | 820 |
| OTA channels | TripAdvisor, Viator |

| Stage | Count |
|-------|------:|
| Tour enquiries | 60 |
| Tours booked | 18 |

## Ownership

- Equity owed: 5% to the tour guide, Eli
- Partner agreement: signed March 2026
"""


def test_an_unseen_note_written_from_the_docs(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"gull": UNSEEN})
    snapshot = collect(config)
    assert snapshot.errors() == []
    facts = {f.key: f for f in snapshot.records(Fact, "gull")}
    expected = {
        "owner": (2, "Maria Lopez"),
        "updated": (3, date(2026, 11, 2)),
        "cash": (13, Money(3210)),
        "burn": (14, MoneyRange(Money(1500), Money(2000), Cadence.MONTH)),
        "gross_margin": (15, Percent(48)),
        "bookings": (21, 35),
        "email_list": (22, 820),
        "ota_listings": (23, 2),
        "equity_obligations": (32, Percent(5)),
        "equity_agreement_signed": (33, True),
    }
    assert {k: (f.provenance.line, f.value) for k, f in facts.items()} == expected
    assert all(f.provenance.source == "handoffs/gull.md" for f in facts.values())
    steps = snapshot.records(FunnelStep, "gull")
    assert [(s.step, s.count, s.provenance.line) for s in steps] == [
        ("Tour enquiries", 60, 27),
        ("Tours booked", 18, 28),
    ]


def test_the_full_example_in_the_docs_parses_as_documented() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
    text = docs.read_text(encoding="utf-8")
    section = text[text.index("## Handoff notes") :]
    start = section.index("```markdown\n") + len("```markdown\n")
    example = section[start : section.index("\n```\n", start) + 1]
    note = parse_note(example, "example", Provenance("handoffs/example.md"))
    assert note.problems == []
    facts = {f.key: f for f in note.records if isinstance(f, Fact) and f.known}
    # the docs' table "What the example gives" lists these, at these lines
    table = section[section.index("What the example gives") :]
    table = table[: table.find("\n## ")] if "\n## " in table else table
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows, "the docs list the facts of the example"
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        key, line = cells[0].strip("`"), int(cells[1])
        assert key in facts, key
        assert facts[key].provenance.line == line, key


def test_the_docs_vocabulary_table_matches_the_code() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
    text = docs.read_text(encoding="utf-8")
    section = text[text.index("### Vocabulary") : text.index("### Errors")]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            key, labels, kind = (cell.strip() for cell in line.strip("|").split("|"))
            rows[key.strip("`")] = (tuple(label.strip() for label in labels.split(",")), kind)
    assert rows == {t.key: (t.synonyms, " or ".join(v.value for v in t.types)) for t in TERMS}


@pytest.mark.parametrize(
    ("front_matter", "line", "problem"),
    [
        ("owner: Dana\n  indented: wrong\nburn: 1\n", 3, "mapping values are not allowed here"),
        ('owner: Dana\nburn: 1\nx: "unclosed\n', 4, "found unexpected end of stream"),
        ("owner: Dana\n\tburn: 1\n", 3, "found character '\\t' that cannot start any token"),
    ],
)
def test_yaml_errors_name_the_line_of_the_problem(
    front_matter: str, line: int, problem: str
) -> None:
    note = parse_note(f"---\n{front_matter}---\nCash: $1\n", "acme", Provenance("handoffs/acme.md"))
    assert note.problems == [
        (
            line,
            f"the front matter is not valid YAML ({problem}); expected 'key: value' lines between the --- markers",
        )
    ]
    assert [r.key for r in note.records if isinstance(r, Fact)] == ["cash"]


def test_the_example_snapshot_equals_its_json_round_trip(example_portfolio: Path) -> None:
    snapshot = collect(example_portfolio)
    handoff = tuple(r for r in snapshot.results if r.kind == "handoff")
    assert len(handoff) == 7
    only = snapshot.with_results(handoff)
    back = Snapshot.from_dict(json.loads(json.dumps(only.to_dict())))
    assert back == only
    assert sum(1 for r in only.records(Fact) if not r.known) > 10  # unknown labels kept too


def test_crlf_line_endings_keep_line_numbers() -> None:
    text = "---\r\nowner: Dana\r\n---\r\n## Money\r\nCash: $1,000\r\n\r\n| Step | Count |\r\n|---|---|\r\n| A | 3 |\r\n"
    note = parse_note(text, "acme", Provenance("handoffs/acme.md"))
    cited = [(type(r).__name__, r.provenance.cite()) for r in note.records]
    assert cited == [
        ("Fact", "handoffs/acme.md:2"),
        ("Fact", "handoffs/acme.md:5"),
        ("FunnelStep", "handoffs/acme.md:9"),
        ("NoteSection", "handoffs/acme.md:4-9"),
    ]
    assert note.records[1].value == Money(1000)  # type: ignore[attr-defined]


def test_code_blocks_and_headings_are_not_facts() -> None:
    facts, _, _, _ = parse(
        """
        ## Cash: not a fact

        ```
        Cash: $1,000
        ```

            Burn: $5/mo
        """
    )
    assert facts == []


# ------------------------------------------------------------ styles found in real operators' notes


def test_labels_after_an_emoji_or_in_a_callout_are_facts() -> None:
    """Notion exports start callouts and bullets with an emoji: '> ⚠️ **Runway:** ~4 months'."""
    facts, _, _, _ = parse(
        """
        ## 💰 Money

        > ⚠️ **Runway:** ~4 months if nothing changes

        - ✅ Cash on hand: $23,900
        - 🔥 Burn — about $6k/mo
        💡 Pipeline: 5

        🙂 We were busy: every slot went.
        """
    )
    got = {f.key: (f.provenance.line, f.section, f.value) for f in facts}
    assert got == {
        "runway": (3, "💰 Money", Decimal(4)),
        "cash": (5, "💰 Money", Money(23900)),
        "burn": (6, "💰 Money", MoneyRange.point(Money(6000), Cadence.MONTH, approximate=True)),
        "pipeline": (7, "💰 Money", 5),
    }
    assert by_key(facts)["cash"].label == "Cash on hand"


def test_nested_front_matter_keys_are_facts_labelled_by_their_path() -> None:
    facts, _, _, problems = parse(
        """
        ---
        updated: 2026-11-15
        metrics:
          mrr: 8000
          pipeline: 0
        equity:
          promised: 8% to Dana
          signed: false
        targets:
          revenue: 20000
        ---
        # Acme
        """
    )
    assert problems == []
    got = [(f.label, f.key, f.provenance.line, f.value, f.known) for f in facts]
    assert got == [
        ("updated", "updated", 2, date(2026, 11, 15), True),
        ("metrics.mrr", "mrr", 4, Money(8000), True),
        ("metrics.pipeline", "pipeline", 5, 0, True),
        ("equity.promised", "equity_obligations", 7, Percent(8), True),
        ("equity.signed", "equity_agreement_signed", 8, False, True),
        # a target is not a fact about the business as it is
        ("targets.revenue", "targets-revenue", 10, 20000, False),
    ]


def test_a_list_of_steps_with_arrows_is_a_funnel() -> None:
    facts, steps, _, problems = parse(
        """
        ## Sales

        ### Funnel (October)

        - Inquiries → 40
        - Quotes -> 22
        - Jobs booked → 0

        ### Web funnel

        1. Visits → 1,200
        2. Sign-ups → 30

        - Cash → bank
        - Burn: $9K/mo
        """
    )
    assert problems == []
    assert [(s.funnel, s.step, s.count, s.order, s.provenance.line) for s in steps] == [
        ("Funnel (October)", "Inquiries", 40, 1, 5),
        ("Funnel (October)", "Quotes", 22, 2, 6),
        ("Funnel (October)", "Jobs booked", 0, 3, 7),
        ("Web funnel", "Visits", 1200, 1, 11),
        ("Web funnel", "Sign-ups", 30, 2, 12),
    ]
    # a list that is not all 'step → count' stays what it was; the funnel lines are no facts
    assert [(f.key, f.provenance.line) for f in facts] == [("burn", 15)]


def test_two_funnel_tables_in_one_section_stay_two_funnels() -> None:
    _, steps, _, _ = parse(
        """
        ## Sales

        | Step | Count |
        |---|---|
        | Leads | 40 |
        | Won | 4 |

        | Step | Count |
        |---|---|
        | Visits | 900 |
        | Sign-ups | 0 |
        """
    )
    assert [(s.funnel, s.step, s.order) for s in steps] == [
        ("Sales", "Leads", 1),
        ("Sales", "Won", 2),
        ("Sales (2)", "Visits", 1),
        ("Sales (2)", "Sign-ups", 2),
    ]


def test_listed_on_and_listings_are_ota_listings() -> None:
    facts, _, _, _ = parse(
        """
        Listed on: Airbnb only
        - Listings: Airbnb, VRBO
        - Active listings: 3
        """
    )
    assert [(f.key, f.value) for f in facts] == [
        ("ota_listings", 1),
        ("ota_listings", 2),
        ("active-listings", 3),
    ]


def test_a_slash_separates_words_of_a_label_and_two_terms_in_one_label_are_no_fact() -> None:
    assert (term := lookup("Burn/month")) is not None and term.key == "burn"
    assert (term := lookup("Revenue/mo")) is not None and term.key == "revenue"
    assert (term := lookup("A/R")) is not None and term.key == "accounts_receivable"
    assert (term := lookup("Leads / pipeline")) is not None and term.key == "pipeline"
    # two different terms: which figure is which is a guess, so neither
    assert lookup("Cash/Burn") is None
    assert lookup("Cash and burn") is None
    assert lookup("Revenue / expenses") is None


def test_a_table_of_months_gives_the_latest_month_as_the_fact() -> None:
    facts, _, _, problems = parse(
        """
        ## Monthly numbers

        | Metric | Sep | Oct | Nov 2026 |
        |---|---|---|---|
        | Revenue | $10,000 | $11,000 | $9,000 |
        | Cash | $30K | $25K | |
        | Fuel | $800 | $700 | $650 |

        | | Nov | Oct |
        |---|---|---|
        | Burn | $4K | $5K |

        | Metric | Oct | Target |
        |---|---|---|
        | Bookings | 30 | 40 |
        """
    )
    assert problems == []
    known = [(f.key, f.label, f.provenance.line, f.value) for f in facts if f.known]
    assert known == [
        ("revenue", "Revenue (Nov 2026)", 5, Money(9000)),
        ("cash", "Cash (Oct)", 6, Money(25000)),
        ("burn", "Burn (Nov)", 11, Money(4000)),
    ]
    # the other months stay as text facts; a table with a Target column is not a table of months
    unknown = {f.key: f.value for f in facts if not f.known}
    assert unknown["revenue-sep"] == "$10,000"
    assert unknown["fuel-nov-2026"] == "$650"
    assert unknown["bookings-oct"] == 30 and unknown["bookings-target"] == 40


def test_a_funnel_written_on_one_line_as_a_chain() -> None:
    facts, steps, _, _ = parse(
        """
        ## Sales
        Funnel: Enquiries 30 → Quotes 12 → Bookings 0
        - Leads (40) -> calls (12) -> won (0)

        Fuel → diesel → tank
        Route: Boston → Halifax → St. John's
        Upgrade: v2 → v3
        """
    )
    assert [(s.funnel, s.step, s.count, s.order, s.provenance.line) for s in steps] == [
        ("Funnel", "Enquiries", 30, 1, 2),
        ("Funnel", "Quotes", 12, 2, 2),
        ("Funnel", "Bookings", 0, 3, 2),
        ("Sales", "Leads", 40, 1, 3),
        ("Sales", "calls", 12, 2, 3),
        ("Sales", "won", 0, 3, 3),
    ]
    assert [(f.key, f.value) for f in facts] == [
        ("route", "Boston → Halifax → St. John's"),
        ("upgrade", "v2 → v3"),
    ]


def test_pathological_lines_are_read_quickly_and_never_raise() -> None:
    import time

    started = time.perf_counter()
    facts, _, _, _ = parse(
        "x" + " " * 20000 + "→ 1\n"
        "Cash" + " " * 20000 + ": $5\n"
        "Runway: " + "1" * 5000 + " weeks\n"
        "Runway: " + "9" * 5000 + " months\n"
    )
    assert time.perf_counter() - started < 2
    assert (facts[0].key, facts[0].raw) == ("cash", "$5")
    assert [f.key for f in facts] == ["cash", "runway", "runway"]


def test_label_lines_inside_a_notion_callout_are_facts() -> None:
    """Notion exports a callout as an <aside> HTML block; the lines in it are read, tags dropped."""
    facts, _, _, _ = parse(
        """
        # Kelp
        Last edited time: November 18, 2026 9:12 AM

        <aside>
        💡 <strong>Cash on hand:</strong> $23,900
        Burn: $6K/mo
        </aside>

        <div class="note">We were busy: every slot went.</div>

        <!--
        Cash: $1 (an old figure, hidden)
        -->
        """
    )
    assert [(f.key, f.provenance.line, f.value) for f in facts] == [
        ("updated", 2, date(2026, 11, 18)),
        ("cash", 5, Money(23900)),
        ("burn", 6, MoneyRange.point(Money(6000), Cadence.MONTH)),
    ]


def test_a_heading_that_is_a_known_label_with_the_value_below_it_is_a_fact() -> None:
    facts, _, _, _ = parse(
        """
        ## Money

        ### Cash on hand
        $12,400 in checking

        ### Burn
        About $6K a month, mostly fuel.

        ## Pipeline

        None right now; the last proposal was lost in October.

        ## Revenue

        We moved $5,000 to savings; revenue was fine.

        ### Runway
        Depends on the season.
        """
    )
    assert [(f.key, f.label, f.section, f.provenance.line, f.value) for f in facts] == [
        ("cash", "Cash on hand", "Money", 4, Money(12400)),
        (
            "burn",
            "Burn",
            "Money",
            7,
            MoneyRange.point(Money(6000), Cadence.MONTH, approximate=True),
        ),
        ("pipeline", "Pipeline", "Pipeline", 11, 0),
    ]
