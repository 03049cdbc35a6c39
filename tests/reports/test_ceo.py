"""The CEO report, built through the pipeline: summary, sections, shortfalls from every analysis
(without doubles), the action plan, warnings for unreadable notes, and unseen notes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

from execbrief import pipeline
from execbrief.config import Config, NoOptions, load_config
from execbrief.document import ActionPlan, Document, Findings, Metrics, Table
from execbrief.findings import AnalysisResult, Effort, Finding, Severity
from execbrief.hookspecs import hookimpl
from execbrief.plugins import Registry, get_registry
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Cadence, Money, MoneyRange, Percent

AS_OF = date(2026, 11, 20)

PLANTED = {
    "briefing.empty-pipeline:tidewater-labs",
    "briefing.equity-unsigned:crewboard",
    "briefing.zero-ota:sunset-sails",
    "briefing.funnel-stall:harbor-charters:deposits-paid",
    # the timesheets' finding: it replaces the note's sentence on the same figure (issue 13, 7)
    "operations.unbilled:tidewater-labs",
}


def build(config_path: Path, registry: Registry | None = None) -> Document:
    registry = registry or get_registry()
    config = load_config(config_path, registry.option_models())
    snapshot = pipeline.collect(config, registry, AS_OF, key=b"test-key")
    ctx = pipeline.context(snapshot, config, registry)
    [built] = pipeline.build(ctx, registry, ["ceo"])
    assert built.error is None, built.error
    assert built.document is not None
    return built.document


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    """The bundled example's CEO document, built once for this module (building is pure)."""
    from execbrief.examples import copy_example

    config_path = copy_example(tmp_path_factory.mktemp("ceo") / "harbor") / "portfolio.toml"
    return config_path, build(config_path)


def section(document: Document, title: str) -> list[object]:
    return list(next(s for s in document.sections if s.title == title).blocks)


# ---------------------------------------------------------------------------------- the example


def test_the_example_report_shows_every_planted_problem_first(
    example: tuple[Path, Document],
) -> None:
    example_portfolio, document = example
    assert (document.report, document.title, document.audience) == ("ceo", "CEO briefing", "CEO")
    assert (document.period, document.as_of, document.portfolio) == (
        "2026-10",  # as of 2026-11-20 the last complete month is October
        AS_OF,
        "Harbor Holdings",
    )
    assert [s.title for s in document.sections] == [
        "Asset inventory",
        "Entity figures",
        "P&L roll-up",
        "Notes against the data",
        "Critical shortfalls",
        "Missing KPIs",
        "KPI framework (from the data)",
        "30-day action plan",
    ]
    ids = [f.id for f in document.findings()]
    assert set(ids) >= PLANTED
    assert len(ids) == len(set(ids))
    assert document.warnings == ()
    # the summary names the worst shortfalls, one bullet per rule in rank order, citing them all
    [block] = section(document, "Critical shortfalls")
    ranked = block.findings  # type: ignore[attr-defined]
    groups: dict[str, list[Finding]] = {}
    for finding in ranked:
        groups.setdefault(finding.rule, []).append(finding)
    top = list(groups.values())[:6]
    assert [b.provenance for b in document.summary[: len(top)]] == [
        tuple(dict.fromkeys(p for f in group for p in f.provenance)) for group in top
    ]
    assert document.summary[len(top)].text.endswith("KPIs not tracked.")
    equity = next(f for f in ranked if f.id == "briefing.equity-unsigned:crewboard")
    assert equity.title == "CrewBoard: an equity promise (10%) is not signed"
    assert [p.cite() for p in equity.provenance] == [
        f"handoffs/crewboard.md:{line}"
        for line in _lines(
            example_portfolio,
            "handoffs/crewboard.md",
            "**Equity promised:**",
            "**Agreement status:**",
        )
    ]


def _lines(config: Path, note: str, *texts: str) -> list[int]:
    lines = (config.parent / note).read_text(encoding="utf-8").splitlines()
    return [next(n for n, line in enumerate(lines, 1) if text in line) for text in texts]


def test_the_example_report_renders_every_planted_problem_in_text(
    example: tuple[Path, Document],
) -> None:
    text = pipeline.render(example[1], get_registry(), "text")
    for phrase in (
        "empty sales pipeline",
        "equity promise (10%) is not signed",
        "listed on no online travel agency",
        "23 quotes sent led to 0 deposits paid",
        "$4,100 of unbilled work",
    ):
        assert phrase in " ".join(text.split()), phrase
    assert "handoffs/harbor-charters.md:" in text


def test_inventory_and_figures_cite_the_notes(example: tuple[Path, Document]) -> None:
    example_portfolio, document = example
    table, counts = section(document, "Asset inventory")
    assert [row.cells for row in table.rows][:2] == [  # type: ignore[attr-defined]
        ("Harbor Charters", "charter", "company", "handoffs/harbor-charters.md"),
        ("Sunset Sail Co.", "charter", "company", "handoffs/sunset-sails.md"),
    ]
    assert [row.cells[2] for row in table.rows].count("revenue stream") == 3  # type: ignore[attr-defined]
    assert {m.label: m.value for m in counts.metrics}["Companies"] == 4  # type: ignore[attr-defined]
    figures = [b for b in section(document, "Entity figures") if isinstance(b, Metrics)]
    assert figures[0].title == "Harbor Charters (charter, company)"
    by = {(m.entity, m.id): m for b in figures for m in b.metrics}
    burn = by[("harbor-charters", "briefing.burn")]
    assert burn.value == MoneyRange(Money(5000), Money(9000), Cadence.MONTH, approximate=True)
    assert burn.provenance == (
        Provenance(
            "handoffs/harbor-charters.md",
            _lines(example_portfolio, "handoffs/harbor-charters.md", "| Burn rate |")[0],
        ),
    )
    assert by[("crewboard", "briefing.equity_obligations")].value == Percent(10)
    assert (
        by[("harbor-charters", "briefing.equity_obligations")].value is None
    )  # not stated: a dash
    for metric in by.values():
        if metric.value is not None:
            assert metric.provenance[0].source == f"handoffs/{metric.entity}.md"
            assert metric.provenance[0].line is not None


def test_the_action_plan_follows_the_ranked_shortfalls_within_30_days(
    example: tuple[Path, Document],
) -> None:
    document = example[1]
    [findings] = section(document, "Critical shortfalls")
    [plan] = section(document, "30-day action plan")
    assert isinstance(findings, Findings) and isinstance(plan, ActionPlan)
    shortfalls = {f.id: f for f in findings.findings}
    # one action per fix, in the rank of its worst shortfall, covering every place it applies to
    covered = [i for a in plan.actions for i in a.finding_ids]
    assert covered == list(shortfalls)[: len(covered)] and len(plan.actions) <= 10
    assert len({a.title for a in plan.actions}) == len(plan.actions)
    stripe = next(a for a in plan.actions if len(a.finding_ids) > 1)
    assert stripe.title.startswith("Treat it as leaked: roll the key in the Stripe dashboard")
    assert stripe.entity == "Clean Sweep Hauling, Harbor Charters, Sunset Sail Co., Tidewater Labs"
    assert stripe.monthly_effect is None
    for action in plan.actions:
        group = [shortfalls[i] for i in action.finding_ids]
        assert action.due_in_days == min(
            {"critical": 7, "high": 14, "medium": 21}.get(f.severity.value, 30) for f in group
        )
        assert action.provenance == tuple(dict.fromkeys(p for f in group for p in f.provenance))
        assert action.rationale == "; ".join(f.title for f in group) + "."


def test_the_plan_turns_each_shortfall_into_a_dated_action(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": ACME})
    [plan] = section(build(config), "30-day action plan")
    actions = {a.finding_ids[0]: a for a in plan.actions}  # type: ignore[attr-defined]
    pipeline_action = actions["briefing.empty-pipeline:acme"]
    assert pipeline_action.title.startswith("Acme: Start outreach this week:")
    assert pipeline_action.due_in_days == 7
    assert pipeline_action.entity == "acme"
    assert pipeline_action.provenance == (Provenance("handoffs/acme.md", 4),)


def test_the_document_round_trips_through_json(example: tuple[Path, Document]) -> None:
    document = example[1]
    data = json.loads(json.dumps(document.to_dict()))
    assert Document.from_dict(data) == document


# ---------------------------------------------------------------------------------- other analyses


class FakeAnalysis:
    """An analysis that reports a mix of findings, to show which reach the CEO."""

    name: ClassVar[str] = "zz-fake"
    description: ClassVar[str] = "test"
    Options = NoOptions
    EntityOptions = None

    def analyze(self, snapshot: Snapshot, config: Config) -> AnalysisResult:
        def finding(
            id: str,
            severity: Severity,
            tags: tuple[str, ...],
            *prov: Provenance,
            entity: str = "acme",
        ) -> Finding:
            return Finding(
                id,
                id.split(":")[0],
                id,
                severity,
                entity,
                "evidence",
                "Fix it.",
                Effort.HOURS,
                1,
                tags,
                prov,
                shortfall="shortfall" in tags,
            )

        return AnalysisResult(
            self.name,
            findings=(
                finding("fake.critical:acme", Severity.CRITICAL, ("security",)),
                finding("fake.tagged:other", Severity.MEDIUM, ("shortfall",), entity="other"),
                finding("fake.low:acme", Severity.LOW, ("ux",)),
                finding(
                    "fake.same-line:acme",
                    Severity.HIGH,
                    ("shortfall",),
                    Provenance("handoffs/acme.md", 4),
                ),
                finding("fake.pipeline-dry:acme", Severity.HIGH, ("shortfall",)),
            ),
        )


class BrokenAnalysis:
    """An analysis with a bug."""

    name: ClassVar[str] = "zz-broken"
    description: ClassVar[str] = "test"
    Options = NoOptions
    EntityOptions = None

    def analyze(self, snapshot: Snapshot, config: Config) -> AnalysisResult:
        raise RuntimeError("boom")


class ExtraPlugin:
    @hookimpl
    def register_analyses(self) -> list[object]:
        return [FakeAnalysis(), BrokenAnalysis()]


ACME = """\
# Acme
## Sales
Cash: $1,000
Pipeline: none
Burn: $500/mo
"""


def write_portfolio(root: Path, notes: dict[str, str | bytes]) -> Path:
    entities = []
    for entity, content in notes.items():
        entities.append(
            f'[[entities]]\nid = "{entity}"\nname = "{entity.title()}"\nkind = "consultancy"\nhandoff = "handoffs/{entity}.md"\n'
        )
        (root / "handoffs").mkdir(parents=True, exist_ok=True)
        target = root / "handoffs" / f"{entity}.md"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    config = root / "portfolio.toml"
    config.write_text('[portfolio]\nname = "Test Co"\n\n' + "\n".join(entities), encoding="utf-8")
    return config


def test_shortfalls_of_other_analyses_join_without_doubles(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": ACME, "other": "Cash: $1\nBurn: $1/mo\n"})
    document = build(config, get_registry([ExtraPlugin()]))
    ids = [f.id for f in document.findings()]
    assert "fake.critical:acme" in ids  # critical, whatever its tags
    assert "fake.tagged:other" in ids  # tagged shortfall
    assert "fake.low:acme" not in ids  # neither
    assert "fake.same-line:acme" not in ids  # cites the line the empty-pipeline finding cites
    assert "fake.pipeline-dry:acme" not in ids  # the same topic as briefing.empty-pipeline
    assert "briefing.empty-pipeline:acme" in ids
    # the broken analysis costs only its own findings, and says so
    [warning] = document.warnings
    assert warning.text.startswith("the zz-broken analysis failed (RuntimeError at test_ceo.py:")
    assert warning.text.endswith("); its shortfalls are missing from this report")


def test_the_summary_groups_shortfalls_of_one_rule(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": ACME, "other": ACME.replace("# Acme", "# Other")})
    document = build(config)
    assert (
        document.summary[0].text == "Acme has an empty sales pipeline (and 1 more like it: Other)"
    )
    assert document.summary[0].provenance == (
        Provenance("handoffs/acme.md", 4),
        Provenance("handoffs/other.md", 4),
    )
    assert [f.id for f in document.findings()][:2] == [
        "briefing.empty-pipeline:acme",
        "briefing.empty-pipeline:other",
    ]


def test_a_note_line_that_is_not_utf8_is_left_out_and_the_rest_read(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": ACME, "broken": b"Cash: $1\nCaf\xe9\n"})
    document = build(config)
    [warning] = document.warnings
    assert warning.text.startswith("Broken: handoffs/broken.md:2: the line is not valid UTF-8")
    assert warning.provenance == (Provenance("handoffs/broken.md", 2),)
    ids = [f.id for f in document.findings()]
    assert "briefing.note-unreadable:broken" not in ids  # line 1's cash is read
    assert "briefing.missing-fact:broken:burn" in ids


def test_an_unreadable_note_shows_as_a_warning_and_a_gap(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": ACME, "broken": b"Cash: $1\n"})
    note = tmp_path / "handoffs" / "broken.md"
    note.unlink()
    note.mkdir()  # a folder where the note should be: nothing of it can be read
    document = build(config)
    [warning] = document.warnings
    assert warning.text.startswith("Broken: handoffs/broken.md")
    ids = [f.id for f in document.findings()]
    assert "briefing.note-unreadable:broken" in ids
    assert not any(i.startswith("briefing.missing-fact:broken") for i in ids)
    figures = [b for b in section(document, "Entity figures") if isinstance(b, Metrics)]
    broken = next(b for b in figures if b.title and b.title.startswith("Broken"))
    assert broken.title == "Broken (consultancy, company; note unreadable)"
    assert all(m.value is None for m in broken.metrics)
    assert any("source problem" in b.text for b in document.summary)
    # the summary names the entity once, and the inventory shows which note is missing
    assert "Broken: the handoff note could not be read, so its figures are unknown" in [
        b.text for b in document.summary
    ]
    [inventory] = [b for b in section(document, "Asset inventory") if isinstance(b, Table)]
    row = next(r for r in inventory.rows if r.cells[0] == "Broken")
    assert row.cells[3] == "handoffs/broken.md (unreadable)"
    assert row.provenance == (Provenance("handoffs/broken.md"),)


def test_a_stale_note_is_a_warning(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"acme": "Last updated: 2026-09-01\n" + ACME})
    document = build(config)
    assert [(w.text, w.provenance) for w in document.warnings] == [
        (
            "Acme: the handoff source (handoffs/acme.md) is 80 days old, over the 45-day limit; "
            "its figures may be out of date",
            (Provenance("handoffs/acme.md"),),
        )
    ]


# ---------------------------------------------------------------------------------- unseen notes


HERON = """\
---
owner: Lee Park
updated: 2026-11-01
---

# Heron Bay Rentals

Two cottages on the bay, let by the week in summer and by the month in winter.

## Money

| Figure | Value |
|---|---|
| Bank balance | $22,000 |
| Monthly burn | $3K–4K/mo |
| Revenue | $6,100 |

## Distribution

- Listed on OTAs: none (we only take direct bookings)
- Occupancy: 54%
- ADR: $210
"""

OSPREY = """\
# Osprey Web Studio

**Cash:** $9,500
**Burn rate:** ~$6K/mo
**Leads in pipeline:** 0

## Partners

**Equity owed:** 15% to our designer, Kim
**Partner agreement:** not signed yet

## Billing

Two retainers ran over in October and the extra hours have not been
invoiced, roughly $2,300 between them.

| Stage | Count |
|---|---|
| Discovery calls | 12 |
| Proposals | 5 |
| Signed | 0 |
"""


def test_unseen_notes_give_a_ceo_report_matching_them(tmp_path: Path) -> None:
    config = write_portfolio(tmp_path, {"heron": HERON, "osprey": OSPREY})
    text = config.read_text(encoding="utf-8").replace(
        'id = "heron"\nname = "Heron"\nkind = "consultancy"',
        'id = "heron"\nname = "Heron"\nkind = "rental"\nstream = true',
    )
    config.write_text(text, encoding="utf-8")
    data = json.loads(json.dumps(build(config).to_dict()))
    document = Document.from_dict(data)
    figures = {
        (m.entity, m.id): m for m in document.metrics() if m.id.startswith("briefing.") and m.entity
    }
    expect = {
        ("heron", "briefing.cash"): (Money(22000), "handoffs/heron.md:14"),
        ("heron", "briefing.burn"): (
            MoneyRange(Money(3000), Money(4000), Cadence.MONTH),
            "handoffs/heron.md:15",
        ),
        ("osprey", "briefing.cash"): (Money(9500), "handoffs/osprey.md:3"),
        ("osprey", "briefing.burn"): (
            MoneyRange.point(Money(6000), Cadence.MONTH, approximate=True),
            "handoffs/osprey.md:4",
        ),
        ("osprey", "briefing.pipeline"): (0, "handoffs/osprey.md:5"),
        ("osprey", "briefing.equity_obligations"): (Percent(15), "handoffs/osprey.md:9"),
    }
    for key, (value, cite) in expect.items():
        assert figures[key].value == value, key
        assert [p.cite() for p in figures[key].provenance] == [cite], key
    shortfalls = {
        f.id: [p.cite() for p in f.provenance] for f in document.findings() if f.shortfall
    }
    assert shortfalls == {
        "briefing.zero-ota:heron": ["handoffs/heron.md:20"],
        "briefing.empty-pipeline:osprey": ["handoffs/osprey.md:5"],
        "briefing.equity-unsigned:osprey": ["handoffs/osprey.md:9", "handoffs/osprey.md:10"],
        "briefing.unbilled-work:osprey": ["handoffs/osprey.md:14-15"],
        "briefing.funnel-stall:osprey:signed": ["handoffs/osprey.md:20", "handoffs/osprey.md:21"],
    }
    titles = {f.id: f.title for f in document.findings()}
    assert titles["briefing.unbilled-work:osprey"] == "Osprey has ~$2,300 of unbilled work"
    assert titles["briefing.funnel-stall:osprey:signed"] == "Osprey: 5 proposals led to 0 signed"


# Notes in styles real operators use that the other fixtures do not: a Notion export (emoji
# headings, a callout, a table with a notes column, upper-case labels), ### sub-sections with
# numbered lists and a funnel written as arrows, one entity in two notes (one with CRLF line
# endings, one with nested front matter), a note with no headings, and a binary file.
KELP = """\
# 🛶 Kelp Kayak Tours — Handoff

<aside>
💡 Handed over by Priya on Nov 10, 2026. Ask her before changing prices.
</aside>

## 💰 Money

**CASH ON HAND:** $23,900

**Monthly Burn:** about $6k

> ⚠️ **Runway:** ~4 months if nothing changes

## 📈 Sales

| Metric | Value | Notes |
| --- | --- | --- |
| Open leads | 5 | mostly schools |
| OTA Listings | 0 | never got around to it |
| Bookings / month | 38 | summer avg |

## 🤝 Ownership

- **Equity promised:** 5% to Marco (lead guide)
- **Agreement signed:** No — just a handshake in May
"""
RUBBLE = """\
# Rubble Runners

## Finances

### Cash

1. Bank balance: 12,400 USD
2. Burn: $9,500/mo

## Sales

### Funnel (October)

- Inquiries → 40
- Quotes → 22
- Jobs booked → 0

### Pipeline

Open leads: none right now
"""
BYTES_A = (
    "# Byte Harbor — money\r\n\r\n## Numbers\r\n\r\n- Cash: $41,000\r\n- Burn rate: $15K/month\r\n"
    "- Runway: 2.7 months\r\n\r\n## Billing\r\n\r\n"
    "About $6,800 of October work has not been invoiced yet.\r\n"
)
BYTES_B = """\
---
owner:
  name: Lee Tran
updated: 2026-11-15
metrics:
  mrr: 8000
  pipeline: 0
---

# Byte Harbor — sales

- Utilisation: 71%
"""
CABIN = """\
Pine Cabin handoff, written by Jo on 2026-11-01.

Occupancy: 48%
Nightly rate: $185
Cash: $3,050
Burn: $1,100 per month
Listed on: Airbnb only
"""
OPERATOR_TOML = """\
[portfolio]
name = "Gull Rock Ventures"

[[entities]]
id = "kelp"
name = "Kelp Kayak Tours"
kind = "charter"
handoff = "notes/kelp.md"

[[entities]]
id = "rubble"
name = "Rubble Runners"
kind = "hauling"
handoff = "notes/rubble.md"

[[entities]]
id = "bytes"
name = "Byte Harbor"
kind = "consultancy"
handoff = ["notes/bytes-a.md", "notes/bytes-b.md"]

[[entities]]
id = "cabin"
name = "Pine Cabin"
kind = "rental"
stream = true
handoff = "notes/cabin.md"

[[entities]]
id = "sloop"
name = "Broken Sloop"
kind = "delivery"
stream = true
handoff = "notes/sloop.md"
"""


def test_notes_in_operators_own_styles_give_a_ceo_report_matching_them(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, text in {"kelp": KELP, "rubble": RUBBLE, "bytes-b": BYTES_B, "cabin": CABIN}.items():
        (notes / f"{name}.md").write_text(text, encoding="utf-8")
    (notes / "bytes-a.md").write_bytes(BYTES_A.encode())
    (notes / "sloop.md").write_bytes(b"\x00\x01binary\xff")
    config = tmp_path / "portfolio.toml"
    config.write_text(OPERATOR_TOML, encoding="utf-8")
    document = Document.from_dict(json.loads(json.dumps(build(config).to_dict())))

    figures = {
        (m.entity, m.id.removeprefix("briefing.")): (m.value, [p.cite() for p in m.provenance])
        for m in document.metrics()
        if m.id.startswith("briefing.") and m.entity and m.value is not None
    }
    month = Cadence.MONTH
    expect = {
        ("kelp", "cash"): (Money(23900), ["notes/kelp.md:9"]),
        ("kelp", "burn"): (
            MoneyRange.point(Money(6000), None, approximate=True),
            ["notes/kelp.md:11"],
        ),
        ("kelp", "runway"): (Decimal(4), ["notes/kelp.md:13"]),
        ("kelp", "pipeline"): (5, ["notes/kelp.md:19"]),
        ("kelp", "equity_obligations"): (Percent(5), ["notes/kelp.md:25"]),
        ("kelp", "equity_agreement_signed"): (False, ["notes/kelp.md:26"]),
        ("rubble", "cash"): (Money(12400), ["notes/rubble.md:7"]),
        ("rubble", "burn"): (MoneyRange.point(Money(9500), month), ["notes/rubble.md:8"]),
        ("rubble", "pipeline"): (0, ["notes/rubble.md:20"]),
        ("bytes", "cash"): (Money(41000), ["notes/bytes-a.md:5"]),
        ("bytes", "burn"): (MoneyRange.point(Money(15000), month), ["notes/bytes-a.md:6"]),
        ("bytes", "runway"): (Decimal("2.7"), ["notes/bytes-a.md:7"]),
        ("bytes", "pipeline"): (0, ["notes/bytes-b.md:7"]),
        ("cabin", "cash"): (Money(3050), ["notes/cabin.md:5"]),
        ("cabin", "burn"): (MoneyRange.point(Money(1100), month), ["notes/cabin.md:6"]),
    }
    for key, value in expect.items():
        assert figures.get(key) == value, key
    assert not [key for key in figures if key[0] == "sloop"]

    shortfalls = {
        f.id: [p.cite() for p in f.provenance] for f in document.findings() if f.shortfall
    }
    assert shortfalls == {
        "briefing.equity-unsigned:kelp": ["notes/kelp.md:25", "notes/kelp.md:26"],
        "briefing.zero-ota:kelp": ["notes/kelp.md:20"],
        "briefing.empty-pipeline:rubble": ["notes/rubble.md:20"],
        "briefing.funnel-stall:rubble:jobs-booked": ["notes/rubble.md:15", "notes/rubble.md:16"],
        "briefing.empty-pipeline:bytes": ["notes/bytes-b.md:7"],
        "briefing.unbilled-work:bytes": ["notes/bytes-a.md:11"],
        "briefing.note-unreadable:sloop": ["notes/sloop.md"],
    }
    titles = {f.id: f.title for f in document.findings()}
    assert titles["briefing.unbilled-work:bytes"] == "Byte Harbor has ~$6,800 of unbilled work"
    assert titles["briefing.funnel-stall:rubble:jobs-booked"] == (
        "Rubble Runners: 22 quotes led to 0 jobs booked"
    )
    # MRR in nested front matter and 'Listed on' count as tracked KPIs; the unreadable note is a gap
    kpis = {f.id for f in document.findings() if "kpi" in f.tags}
    assert "briefing.missing-kpi:bytes:mrr" not in kpis
    assert "briefing.missing-kpi:cabin:ota-listings" not in kpis
    assert [w.text for w in document.warnings] == [
        "Broken Sloop: notes/sloop.md: is a binary file (it contains NUL bytes); expected UTF-8 text"
    ]


def test_demo_mails_every_planted_problem_once_and_force_mails_again(tmp_path: Path) -> None:
    """The issue's check as written: `execbrief demo --out D`, parse the .eml files, send again
    (nothing new), send with --force (the CEO report again)."""
    import email
    from email import policy

    from click.testing import CliRunner

    from execbrief.cli import cli

    out = tmp_path / "D"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sent = sorted((out / "outbox").glob("*.eml"))
    messages = [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sent]
    ceo = [m for m in messages if m["To"] == "ceo@harbor.example" and "CEO" in m["Subject"]]
    assert len(ceo) == 1
    part = ceo[0].get_body(("plain",))
    assert part is not None
    body = " ".join(part.get_content().split())
    # the brief names the worst shortfalls; the attached full report holds every one
    (full,) = [p.get_content() for p in ceo[0].iter_attachments()]
    full = " ".join(full.split())
    for phrase in (
        "Tidewater Labs has an empty sales pipeline",
        "CrewBoard: an equity promise (10%) is not signed",
        "Harbor Charters: 23 quotes sent led to 0 deposits paid",
        "Tidewater Labs has $4.1K of unbilled work",  # the brief rounds; the full report is exact
    ):
        assert phrase in body, phrase
    for phrase in (
        "Tidewater Labs has an empty sales pipeline",
        "CrewBoard: an equity promise (10%) is not signed",
        "Sunset Sail Co. is listed on no online travel agency",
        "Harbor Charters: 23 quotes sent led to 0 deposits paid",
        "Tidewater Labs has $4,100 of unbilled work",
    ):
        assert phrase in full, phrase

    config = str(out / "portfolio.toml")
    again = CliRunner().invoke(cli, ["send", "-c", config], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert sorted((out / "outbox").glob("*.eml")) == sent
    forced = CliRunner().invoke(
        cli, ["send", "-c", config, "--report", "ceo", "--force"], catch_exceptions=False
    )
    assert forced.exit_code == 0, forced.output
    assert len(list((out / "outbox").glob("*.eml"))) == len(sent) + 1
