"""The briefing analysis: inventory, stated figures, shortfall rules and the KPI catalogue, over
the bundled example (each planted problem at its note line) and over hand-built snapshots."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execbrief import pipeline
from execbrief.analysis.briefing import (
    _UNBILLED,
    KPI_CATALOGUE,
    Briefing,
    BriefingResult,
    _may_say_unbilled,
)
from execbrief.config import config_from_dict, load_config
from execbrief.errors import ConfigError
from execbrief.findings import Finding, Severity
from execbrief.plugins import get_registry
from execbrief.records.handoff import Fact, FunnelStep, NoteSection
from execbrief.serialization import from_jsonable, to_jsonable
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceError, SourceResult
from execbrief.sources.vocabulary import BY_KEY
from execbrief.values import Cadence, Money, MoneyRange, Percent

AS_OF = date(2026, 11, 20)


def line_of(config_path: Path, note: str, text: str) -> int:
    """The 1-based line of ``note`` that contains ``text`` (exactly one)."""
    lines = (config_path.parent / note).read_text(encoding="utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, (note, text, hits)
    return hits[0]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BriefingResult]:
    """The bundled example, collected once for this module (the analysis is pure)."""
    from execbrief.examples import copy_example

    config_path = copy_example(tmp_path_factory.mktemp("briefing") / "harbor") / "portfolio.toml"
    registry = get_registry()
    config = load_config(config_path, registry.option_models())
    snapshot = pipeline.collect(config, registry, AS_OF, key=b"test-key")
    return config_path, Briefing().analyze(snapshot, config)


def cites(result: BriefingResult, finding_id: str) -> list[str]:
    finding = next(f for f in result.findings if f.id == finding_id)
    return [p.cite() for p in finding.provenance]


# ---------------------------------------------------------------------------------- the example


def test_every_planted_problem_is_found_at_its_note_line(
    example: tuple[Path, BriefingResult],
) -> None:
    config, result = example
    tide, crew = "handoffs/tidewater-labs.md", "handoffs/crewboard.md"
    sunset, harbor = "handoffs/sunset-sails.md", "handoffs/harbor-charters.md"
    assert cites(result, "briefing.empty-pipeline:tidewater-labs") == [
        f"{tide}:{line_of(config, tide, 'Pipeline: none')}",
        f"{tide}:{line_of(config, tide, 'Open leads: 0')}",
    ]
    assert cites(result, "briefing.equity-unsigned:crewboard") == [
        f"{crew}:{line_of(config, crew, '**Equity promised:**')}",
        f"{crew}:{line_of(config, crew, '**Agreement status:**')}",
    ]
    assert cites(result, "briefing.zero-ota:sunset-sails") == [
        f"{sunset}:{line_of(config, sunset, '**OTA listings:** none')}"
    ]
    assert cites(result, "briefing.funnel-stall:harbor-charters:deposits-paid") == [
        f"{harbor}:{line_of(config, harbor, '| Quotes sent | 23 |')}",
        f"{harbor}:{line_of(config, harbor, '| Deposits paid | 0 |')}",
        f"{harbor}:{line_of(config, harbor, 'The quote template changed in')}",  # the stated cause
    ]
    amount_line = line_of(config, tide, "That is roughly $4,100")
    assert f"{tide}:{amount_line}-{amount_line + 1}" in cites(
        result, "briefing.unbilled-work:tidewater-labs"
    )


def test_the_planted_problems_are_the_only_shortfalls(example: tuple[Path, BriefingResult]) -> None:
    _, result = example
    shortfalls = {f.id: f for f in result.findings if f.shortfall}
    assert set(shortfalls) == {
        "briefing.empty-pipeline:tidewater-labs",
        "briefing.equity-unsigned:crewboard",
        "briefing.zero-ota:sunset-sails",
        "briefing.funnel-stall:harbor-charters:deposits-paid",
        "briefing.unbilled-work:tidewater-labs",
    }
    assert shortfalls["briefing.empty-pipeline:tidewater-labs"].severity is Severity.CRITICAL
    assert shortfalls["briefing.equity-unsigned:crewboard"].severity is Severity.CRITICAL
    assert (
        shortfalls["briefing.equity-unsigned:crewboard"].title
        == "CrewBoard: an equity promise (10%) is not signed"
    )
    assert (
        shortfalls["briefing.unbilled-work:tidewater-labs"].title
        == "Tidewater Labs has ~$4,100 of unbilled work"
    )
    assert shortfalls["briefing.funnel-stall:harbor-charters:deposits-paid"].title == (
        "Harbor Charters: 23 quotes sent led to 0 deposits paid"
    )
    assert all(f.entity and f.provenance and f.recommendation for f in shortfalls.values())


def test_inventory_counts_companies_streams_and_kinds(example: tuple[Path, BriefingResult]) -> None:
    _, result = example
    values = {m.id: m.value for m in result.metrics if m.id.startswith("briefing.inventory.")}
    assert values == {
        "briefing.inventory.companies": 4,
        "briefing.inventory.streams": 3,
        "briefing.inventory.kind.charter": 2,
        "briefing.inventory.kind.consultancy": 1,
        "briefing.inventory.kind.delivery": 1,
        "briefing.inventory.kind.hauling": 1,
        "briefing.inventory.kind.platform": 1,
        "briefing.inventory.kind.rental": 1,
    }
    charter = result.metric("briefing.inventory.kind.charter")
    assert charter is not None
    assert charter.provenance == (Provenance("portfolio.toml"),)


def test_stated_figures_are_metrics_citing_their_lines(
    example: tuple[Path, BriefingResult],
) -> None:
    config, result = example
    harbor = "handoffs/harbor-charters.md"
    burn = result.metric("briefing.burn", "harbor-charters")
    assert burn is not None
    assert burn.value == MoneyRange(Money(5000), Money(9000), Cadence.MONTH, approximate=True)
    assert burn.provenance[0].cite() == f"{harbor}:{line_of(config, harbor, '| Burn rate |')}"
    expected = {
        ("cash", "harbor-charters"): Money(31400),
        ("cash", "tidewater-labs"): Money(41200),
        ("pipeline", "tidewater-labs"): 0,
        ("pipeline", "clean-sweep"): 7,
        ("pipeline", "blue-passage"): MoneyRange.point(Money(14000), approximate=True),
        ("equity_obligations", "crewboard"): Percent(10),
        ("equity_agreement_signed", "crewboard"): False,
        ("runway", "sunset-sails"): Decimal("2.7"),
        ("burn", "crewboard"): MoneyRange.point(Money(2300), Cadence.MONTH),
    }
    for (key, entity), value in expected.items():
        metric = result.metric(f"briefing.{key}", entity)
        assert metric is not None, (key, entity)
        assert metric.value == value, (key, entity)
        assert metric.provenance[0].source == f"handoffs/{entity}.md"
    assert result.metric("briefing.equity_obligations", "harbor-charters") is None
    for brief in result.entities:
        assert brief.figure("burn") is not None and brief.figure("cash") is not None, brief.entity


def test_missing_kpis_per_entity(example: tuple[Path, BriefingResult]) -> None:
    _, result = example
    missing = {b.entity: b.missing_kpis for b in result.entities}
    assert missing == {
        "harbor-charters": ("Repeat customer rate",),
        "sunset-sails": ("Conversion rate", "Repeat customer rate"),
        "clean-sweep": ("Conversion rate",),
        "tidewater-labs": ("Utilisation", "Realisation", "Accounts receivable", "Day rate"),
        "dockside-loft": ("Average length of stay",),
        "blue-passage": ("Conversion rate", "Utilisation"),
        "crewboard": ("Churn", "Customer acquisition cost"),
    }
    kpi = [f for f in result.findings if "kpi" in f.tags]
    assert len(kpi) == 13
    assert all(f.severity is Severity.LOW for f in kpi)
    assert "briefing.missing-kpi:tidewater-labs:accounts-receivable" in {f.id for f in kpi}
    text = result.metric("briefing.kpi.missing", "tidewater-labs")
    coverage = result.metric("briefing.kpi.coverage", "tidewater-labs")
    assert (
        text is not None and text.value == "Utilisation, Realisation, Accounts receivable, Day rate"
    )
    assert coverage is not None and coverage.value == Percent(33)  # 2 of 6


def test_the_result_round_trips_through_json(example: tuple[Path, BriefingResult]) -> None:
    _, result = example
    assert from_jsonable(to_jsonable(result), BriefingResult) == result


# ---------------------------------------------------------------------------------- the rules


NOTE = "handoffs/acme.md"


def fact(key: str, value: object, line: int, raw: str | None = None) -> Fact:
    label = BY_KEY[key].label if key in BY_KEY else key
    return Fact(
        "acme",
        Provenance(NOTE, line),
        "Notes",
        label,
        key,
        value,  # type: ignore[arg-type]
        raw if raw is not None else str(value),
        key in BY_KEY,
    )


def snapshot(
    *records: Record, kind: str = "charter", errors: tuple[SourceError, ...] = (), note: bool = True
) -> Snapshot:
    results = (SourceResult("acme", "handoff", (NOTE,), tuple(records), errors),) if note else ()
    return Snapshot("Test", "USD", AS_OF, (EntityInfo("acme", "Acme", kind),), results)


BASICS = (fact("cash", Money(1000), 1), fact("burn", Money(500), 2))


def shortfalls(snap: Snapshot, options: dict[str, object] | None = None) -> dict[str, Finding]:
    config = None
    if options is not None:
        raw = {"portfolio": {"name": "Test"}, "analysis": {"briefing": options}}
        config = config_from_dict(raw, Path("portfolio.toml"), get_registry().option_models())
    result = Briefing().analyze(snap, config)
    return {f.id: f for f in result.findings if f.shortfall}


def test_a_signed_equity_promise_is_fine_and_a_missing_agreement_is_at_risk() -> None:
    signed = snapshot(
        *BASICS,
        fact("equity_obligations", Percent(5), 3),
        fact("equity_agreement_signed", True, 4, "signed"),
    )
    assert shortfalls(signed) == {}
    unstated = shortfalls(snapshot(*BASICS, fact("equity_obligations", Percent(5), 3)))
    finding = unstated["briefing.equity-at-risk:acme"]
    assert finding.severity is Severity.HIGH
    disputed = shortfalls(
        snapshot(
            *BASICS,
            fact("equity_obligations", Percent(5), 3),
            fact(
                "equity_agreement_signed", True, 4, "signed, but the partner disputes the vesting"
            ),
        )
    )
    assert disputed["briefing.equity-at-risk:acme"].severity is Severity.CRITICAL
    nothing = snapshot(*BASICS, fact("equity_obligations", Percent(0), 3, "none"))
    assert shortfalls(nothing) == {}


def test_pipeline_is_empty_only_when_every_statement_says_so() -> None:
    assert "briefing.empty-pipeline:acme" in shortfalls(
        snapshot(*BASICS, fact("pipeline", 0, 3), fact("pipeline", Money(0), 4))
    )
    assert (
        shortfalls(snapshot(*BASICS, fact("pipeline", 0, 3), fact("pipeline", Money(9000), 4)))
        == {}
    )
    assert "briefing.empty-pipeline:acme" in shortfalls(
        snapshot(*BASICS, fact("pipeline", "empty for now", 3))
    )
    assert shortfalls(snapshot(*BASICS)) == {}  # not stated is a KPI gap, not an empty pipeline


def test_zero_ota_applies_to_the_configured_kinds_only() -> None:
    records = (*BASICS, fact("ota_listings", 0, 3, "none"))
    assert set(shortfalls(snapshot(*records, kind="rental"))) == {"briefing.zero-ota:acme"}
    assert shortfalls(snapshot(*records, kind="hauling")) == {}
    assert set(shortfalls(snapshot(*records, kind="hauling"), {"ota_kinds": ["hauling"]})) == {
        "briefing.zero-ota:acme"
    }
    assert shortfalls(snapshot(*BASICS, fact("ota_listings", 2, 3), kind="charter")) == {}


def test_zero_ota_names_the_catalogues_marketplaces_for_the_kind() -> None:
    """Booking software (FareHarbor) is not a marketplace; the fix names the catalogue's
    marketplaces that fit the kind, best fit first (GetMyBoat 1.0, Sailo and Boatsetter 0.9)."""
    records = (*BASICS, fact("ota_listings", 0, 3, "none"))
    charter = shortfalls(snapshot(*records, kind="charter"))["briefing.zero-ota:acme"]
    assert charter.recommendation.startswith("List on GetMyBoat, Sailo and Boatsetter: photos")
    assert "FareHarbor" not in charter.recommendation
    rental = shortfalls(snapshot(*records, kind="rental"))["briefing.zero-ota:acme"]
    assert rental.recommendation.startswith("List on Airbnb and Vrbo: photos")
    # a kind no catalogue marketplace fits still gets a fix, naming none
    hauling = shortfalls(snapshot(*records, kind="hauling"), {"ota_kinds": ["hauling"]})
    assert hauling["briefing.zero-ota:acme"].recommendation.startswith(
        "List on the marketplaces where customers of its kind book: photos"
    )


def test_funnel_stall_is_the_first_zero_after_a_non_zero_step() -> None:
    def step(name: str, count: int, order: int) -> FunnelStep:
        return FunnelStep("acme", Provenance(NOTE, 10 + order), "Sales", name, count, order)

    stalled = shortfalls(
        snapshot(
            *BASICS,
            step("Leads", 10, 1),
            step("Calls", 4, 2),
            step("Won", 0, 3),
            step("Paid", 0, 4),
        )
    )
    assert list(stalled) == ["briefing.funnel-stall:acme:won"]
    assert stalled["briefing.funnel-stall:acme:won"].evidence.startswith(
        "The 'Sales' funnel shows "
    )
    assert [p.cite() for p in stalled["briefing.funnel-stall:acme:won"].provenance] == [
        f"{NOTE}:12",
        f"{NOTE}:13",
    ]
    assert shortfalls(snapshot(*BASICS, step("Leads", 0, 1), step("Won", 0, 2))) == {}
    assert shortfalls(snapshot(*BASICS, step("Leads", 5, 1), step("Won", 1, 2))) == {}


def test_unbilled_work_from_a_fact_or_a_mention() -> None:
    stated = shortfalls(snapshot(*BASICS, fact("unbilled", Money(2000), 3, "$2,000")))
    assert stated["briefing.unbilled-work:acme"].title == "Acme has $2,000 of unbilled work"
    assert shortfalls(snapshot(*BASICS, fact("unbilled", Money(0), 3, "none"))) == {}
    prose = NoteSection(
        "acme",
        Provenance(NOTE, 20, 24),
        "Billing",
        "## Billing\n\nWe did three jobs in May.\nThey were never\ninvoiced, about $1.2K in all. Fine otherwise.",
    )
    wrapped = shortfalls(snapshot(*BASICS, prose))["briefing.unbilled-work:acme"]
    assert wrapped.title == "Acme has ~$1,200 of unbilled work"
    assert [p.cite() for p in wrapped.provenance] == [f"{NOTE}:23-24"]
    assert "“They were never invoiced, about $1.2K in all.”" in wrapped.evidence
    prose = NoteSection(
        "acme",
        Provenance(NOTE, 20, 23),
        "Billing",
        "## Billing\n\nWe did three jobs in May. They\nhave not been invoiced (about $900). Fine otherwise.",
    )
    found = shortfalls(snapshot(*BASICS, prose))["briefing.unbilled-work:acme"]
    assert found.title == "Acme has ~$900 of unbilled work"
    assert [p.cite() for p in found.provenance] == [f"{NOTE}:22-23"]


def test_a_sentence_saying_there_is_no_unbilled_work_is_no_finding() -> None:
    text = "## Billing\nThere is no unbilled work. We have nothing\nunbilled either. All is billed."
    prose = NoteSection("acme", Provenance(NOTE, 20, 22), "Billing", text)
    assert shortfalls(snapshot(*BASICS, prose)) == {}


def test_missing_cash_and_burn_are_shortfalls() -> None:
    found = shortfalls(snapshot(fact("cash", "pooled with the holding account", 3)))
    assert set(found) == {"briefing.missing-fact:acme:cash", "briefing.missing-fact:acme:burn"}
    cash = found["briefing.missing-fact:acme:cash"]
    assert "gives no figure" in cash.evidence
    assert cash.provenance == (Provenance(NOTE, 3),)
    # the note does mention its cash, in words: the title says what is missing is the figure
    assert cash.title == "Acme: the handoff note gives no figure for its cash"
    assert found["briefing.missing-fact:acme:burn"].title == (
        "Acme: the handoff note does not state its burn"
    )
    assert found["briefing.missing-fact:acme:burn"].provenance == (Provenance(NOTE),)
    assert found["briefing.missing-fact:acme:burn"].severity is Severity.MEDIUM


def test_an_unreadable_note_is_one_shortfall_and_no_guesswork() -> None:
    error = SourceError(
        "acme", "handoff", Provenance(NOTE, 2), "is not valid UTF-8 (byte 0xe9 at column 4)"
    )
    result = Briefing().analyze(snapshot(errors=(error,)), None)
    assert [f.id for f in result.findings] == ["briefing.note-unreadable:acme"]
    assert result.findings[0].provenance == (Provenance(NOTE, 2),)
    assert f"{NOTE}:2: is not valid UTF-8" in result.findings[0].evidence
    assert result.entities[0].readable is False
    assert result.entities[0].paths == (NOTE,)
    assert result.findings[0].title == (
        "Acme: the handoff note could not be read, so its figures are unknown"
    )


def test_an_entity_without_a_note() -> None:
    result = Briefing().analyze(snapshot(note=False), None)
    assert [f.id for f in result.findings] == ["briefing.no-note:acme"]
    assert result.entities[0].has_note is False


def test_kpi_catalogue_covers_every_kind_with_known_keys() -> None:
    kinds = {"charter", "hauling", "consultancy", "rental", "delivery", "platform", "other"}
    assert set(KPI_CATALOGUE) == kinds
    for kpis in KPI_CATALOGUE.values():
        for kpi in kpis:
            assert all(key in BY_KEY for key in kpi.tracked_by()), kpi


def test_a_funnel_table_counts_as_tracking_conversion() -> None:
    step = FunnelStep("acme", Provenance(NOTE, 9), "Sales", "Leads", 3, 1)
    with_funnel = Briefing().analyze(snapshot(*BASICS, step), None).entities[0]
    without = Briefing().analyze(snapshot(*BASICS), None).entities[0]
    assert "Conversion rate" in with_funnel.tracked_kpis
    assert "Conversion rate" in without.missing_kpis
    assert len(without.missing_kpis) == len(KPI_CATALOGUE["charter"])


def test_options_come_from_the_config_and_are_checked() -> None:
    found = shortfalls(snapshot(fact("cash", Money(1), 1)), {"required_facts": ["cash", "revenue"]})
    assert set(found) == {"briefing.missing-fact:acme:revenue"}
    registry = get_registry()
    raw = {"portfolio": {"name": "Test"}, "analysis": {"briefing": {"ota_kind": ["charter"]}}}
    with pytest.raises(ConfigError, match="ota_kind"):
        config_from_dict(raw, Path("portfolio.toml"), registry.option_models())


def test_extra_kpis_join_the_catalogue() -> None:
    raw = {
        "portfolio": {"name": "Test"},
        "analysis": {"briefing": {"extra_kpis": {"charter": ["gross_margin"]}}},
    }
    config = config_from_dict(raw, Path("portfolio.toml"), get_registry().option_models())
    brief = Briefing().analyze(snapshot(*BASICS), config).entities[0]
    assert brief.missing_kpis[-1] == "Gross margin"


def test_an_empty_note_is_reported_as_empty() -> None:
    result = Briefing().analyze(snapshot(), None)
    [finding] = result.findings
    assert finding.id == "briefing.note-unreadable:acme"
    assert finding.evidence == f"nothing could be read from {NOTE} (the note is empty)"
    assert finding.provenance == (Provenance(NOTE),)


def test_an_agreement_line_next_to_an_equity_promise_says_whether_it_is_signed() -> None:
    """'Agreement: verbal only' is no vocabulary label (a bare 'Agreement' may be any contract),
    but beside an equity promise, in the same section, it is that promise's agreement."""

    def other(label: str, raw: str, line: int, section: str = "Notes") -> Fact:
        return Fact("acme", Provenance(NOTE, line), section, label, label.lower(), raw, raw, False)

    promise = fact("equity_obligations", Percent(3), 3, "3% to Lou")
    verbal = shortfalls(snapshot(*BASICS, promise, other("Agreement", "verbal only", 4)))
    finding = verbal["briefing.equity-unsigned:acme"]
    assert finding.severity is Severity.CRITICAL
    assert [p.cite() for p in finding.provenance] == [f"{NOTE}:3", f"{NOTE}:4"]
    assert "'Agreement: verbal only'" in finding.evidence
    paperwork = shortfalls(snapshot(*BASICS, promise, other("Paperwork", "none yet", 4)))
    assert "briefing.equity-unsigned:acme" in paperwork
    signed = shortfalls(snapshot(*BASICS, promise, other("Contract", "signed 2026-02-01", 4)))
    assert not [key for key in signed if "equity" in key]
    # in another section, or with another label, it says nothing about the promise
    lease = other("Lease agreement", "not signed", 9, section="Premises")
    elsewhere = shortfalls(snapshot(*BASICS, promise, lease))
    assert set(elsewhere) == {"briefing.equity-at-risk:acme"}
    fuel = shortfalls(snapshot(*BASICS, promise, other("Fuel card", "not signed up", 4)))
    assert set(fuel) == {"briefing.equity-at-risk:acme"}


def test_a_funnel_stall_fix_names_the_cause_the_note_states(tmp_path: Path) -> None:
    """Issue 12 (advice that fits the case): the note says why the quotes stopped converting, so
    the fix names that change and cites its line; a note that states no cause keeps the generic
    fix."""
    from execbrief.analysis.briefing import stated_cause
    from execbrief.records.handoff import NoteSection
    from execbrief.snapshot import Provenance

    text = (
        "## Funnel\n\n| Step | Count |\n|---|---|\n| Quotes sent | 23 |\n| Deposits paid | 0 |\n\n"
        "We sent 23 quotes and none booked. The quote template changed in\n"
        "September (a 50% non-refundable deposit) and nobody followed up.\nFix it first.\n"
    )
    section = NoteSection("acme", Provenance("handoffs/acme.md", 10, end_line=21), "Funnel", text)
    found = stated_cause([section], Provenance("handoffs/acme.md", 15))
    assert found is not None
    sentence, where = found
    assert sentence == (
        "The quote template changed in September (a 50% non-refundable deposit) and nobody "
        "followed up."
    )
    assert (where.source, where.line) == ("handoffs/acme.md", 17)  # where the sentence starts
    assert stated_cause([section], Provenance("handoffs/other.md", 15)) is None
    plain = NoteSection(
        "acme", Provenance("handoffs/acme.md", 10, end_line=16), "Funnel", text[:90]
    )
    assert stated_cause([plain], Provenance("handoffs/acme.md", 15)) is None


def test_the_demo_funnel_stall_names_the_template_change(
    example: tuple[Path, BriefingResult],
) -> None:
    _, result = example
    stall = next(f for f in result.findings if f.rule == "briefing.funnel-stall")
    assert "The quote template changed in September" in stall.recommendation
    assert any(p.line and p.line >= 63 for p in stall.provenance)


#: Text made of the letters of the unbilled-work phrases (and an 'ı', which case-blind 'i' matches).
_NOTE_TEXT = st.text(
    alphabet="unbilledinvoicedtyhasvrgwmkaBUNIH'- \nı", max_size=80
) | st.sampled_from(
    ["We have not yet invoiced March.", "Work UN-BILLED since May", "it never went onto an invoice"]
)


@given(_NOTE_TEXT)
def test_the_unbilled_scan_skips_only_text_it_cannot_match(text: str) -> None:
    """The prefilter and the pattern's first-letter lookahead change nothing that is found."""
    plain = re.compile(_UNBILLED.pattern.removeprefix("(?=[unh])"), re.I)
    assert [m.span() for m in _UNBILLED.finditer(text)] == [m.span() for m in plain.finditer(text)]
    if plain.search(text):
        assert _may_say_unbilled(text)
