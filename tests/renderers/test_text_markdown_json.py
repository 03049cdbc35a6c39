"""Text, markdown and JSON renderers on a document with every block type."""

from __future__ import annotations

import json
import re

from execbrief.document import Document
from execbrief.findings import Finding, Severity
from execbrief.renderers.json import JsonRenderer
from execbrief.renderers.markdown import MarkdownRenderer
from execbrief.renderers.text import MAX_LINE, WIDTH, TextRenderer
from execbrief.snapshot import Provenance


def test_text_wraps_cites_and_lists_sources(document: Document) -> None:
    text = TextRenderer().render(document)
    lines = text.splitlines()
    # the first line names the report and the period as a reader says it
    assert lines[:2] == [
        "CEO report — November 2026, as of 2026-11-20",
        "Harbor Holdings · for the CEO",
    ]
    paragraph_lines = [line for line in lines if line.startswith("Burn is stated")]
    assert paragraph_lines and all(len(line) <= WIDTH for line in paragraph_lines)
    assert all(len(line) <= MAX_LINE for line in lines)
    sources = lines[lines.index("SOURCES") :]
    assert "  [1] ledgers/clean.csv:3" in sources
    assert any("ledgers/harbor.csv:40-52 (commit 01234567, 2026-11-02)" in line for line in sources)
    # every marker used in the body has a note, and vice versa
    body = "\n".join(lines[: lines.index("SOURCES")])
    used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    noted = {int(m.group(1)) for line in sources if (m := re.match(r"\s+\[(\d+)\]", line))}
    assert used == noted


def test_text_formats_values(document: Document) -> None:
    text = TextRenderer().render(document)
    assert "~$7,000–9,000/mo" in text
    assert "$12,400.50" in text
    assert "36%" in text
    assert "6 charters/month" in text
    assert "-$120.25" in text
    assert "Agreement signed  no" in text or re.search(r"Agreement signed\s+no", text)
    assert "[CRITICAL] Pipeline is empty (tidewater)" in text
    assert "Fix: Book five discovery calls this month. (effort: days)" in text
    assert "No gaps." in text
    assert "▁" in text and "█" in text  # sparkline from lowest to highest


def test_text_table_aligns_numbers_right(document: Document) -> None:
    lines = TextRenderer().render(document).splitlines()
    header = next(line for line in lines if line.strip().startswith("Entity"))
    row = next(line for line in lines if "Harbor Charters" in line and "charter" in line)
    # the revenue column ends at the same column as its heading
    assert header.rstrip().endswith("Revenue")
    assert row.index("$5,000") + len("$5,000") == header.index("Revenue") + len("Revenue")


def test_unreconciled_document_says_so_first(document: Document) -> None:
    from dataclasses import replace

    text = TextRenderer().render(replace(document, reconciled=False))
    assert text.splitlines()[4].startswith("NOT RECONCILED")


def test_markdown_has_tables_and_sources(document: Document) -> None:
    md = MarkdownRenderer().render(document)
    assert md.startswith("# CEO report — November 2026, as of 2026-11-20\n")
    assert "| Entity | Kind | Revenue | |" in md
    assert "Tidewater \\| Labs" in md
    assert "## Sources" in md and "`handoffs/harbor.md:12`" in md


def test_json_renderer_round_trips(document: Document) -> None:
    data = json.loads(JsonRenderer().render(document))
    assert Document.from_dict(data) == document


def test_rendering_is_deterministic(document: Document) -> None:
    for renderer in (TextRenderer(), MarkdownRenderer(), JsonRenderer()):
        assert renderer.render(document) == renderer.render(document)


def test_a_table_wider_than_78_columns_becomes_one_block_per_row() -> None:
    from datetime import date

    from execbrief.document import Row, Section, Table
    from execbrief.values import Money

    columns = ("Entity", "Revenue", "Expenses", "Net", "Net margin", "Cash", "Runway note")
    rows = tuple(
        Row(
            (
                f"Entity number {n}",
                Money("84545.10"),
                Money("75584.59"),
                Money("8960.51"),
                "10.6%",
                Money("31400"),
                "stated in the handoff note",
            ),
            (Provenance(f"ledgers/e{n}.csv", n + 1),),
        )
        for n in range(3)
    )
    table = Table(columns, rows, title="P&L by entity")
    doc = Document("cfo", "CFO report", "the CFO", "2026-11", date(2026, 12, 1), "P",
                   sections=(Section("P&L", (table,)),))  # fmt: skip
    lines = TextRenderer().render(doc).splitlines()
    assert all(len(line) <= WIDTH for line in lines)
    start = lines.index("  Entity number 0 [1]")
    assert lines[start + 1 : start + 3] == [
        "    Revenue      $84,545.10",
        "    Expenses     $75,584.59",
    ]
    assert "    Runway note  stated in the handoff note" in lines


def test_a_table_as_blocks_wraps_a_long_cell_and_cuts_nothing() -> None:
    """A cell over 60 characters is cut only in a grid; a row as a block wraps it whole (the
    forecast's at-risk reason was cut to "— at risk: ove…" in the full report)."""
    from datetime import date

    from execbrief.document import Row, Section, Table

    reason = "due 2026-07-30, overdue 62 days, and the client has not answered two reminders"
    table = Table(
        ("Week", "Date", "Kind", "Line", "Amount", "At risk"),
        (Row(("1", "2026-10-01", "invoice", "K-007 Meridian Port", "$3,500", reason)),),
    )
    doc = Document("cfo", "CFO report", "the CFO", "2026-11", date(2026, 12, 1), "P",
                   sections=(Section("Forecast", (table,)),))  # fmt: skip
    text = TextRenderer().render(doc)
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert "…" not in text
    assert reason in " ".join(text.split())


def test_a_sentence_is_said_once_and_a_shared_fix_once(document: Document) -> None:
    from dataclasses import replace

    from execbrief.document import Findings, Section

    fix = "Treat it as leaked: roll the key and read the new one at runtime from a secret store."
    findings = tuple(
        Finding(
            f"s:{n}",
            "s",
            f"Key {n}",
            Severity.CRITICAL,
            None,
            "Anyone with read access to the code holds it. It is live.",
            fix,
        )
        for n in range(3)
    )
    doc = replace(document, sections=(Section("Gaps", (Findings(findings),)),))
    body = " ".join(TextRenderer().render(doc).split())
    assert body.count(fix) == 1
    assert body.count("Anyone with read access to the code holds it.") == 1
    # findings that share a fix are one action: the fix is stated once for the three
    assert body.count(f"Fix for 1–3, one action: {fix} (effort: days)") == 1
    assert body.count("Evidence: It is live.") == 2  # a repeated sentence is left out
    assert MarkdownRenderer().render(doc).count(fix) == 1


def test_briefs_round_money_as_a_reader_uses_it() -> None:
    from decimal import Decimal

    from execbrief.renderers.formatting import format_brief_value
    from execbrief.values import Cadence, Money, MoneyRange

    assert format_brief_value(Money("112667.60")) == "$112.7K"
    burn = MoneyRange(Money("8512.47"), Money("20925"), Cadence.MONTH)
    assert format_brief_value(burn) == "$8.5–20.9K/mo"
    assert format_brief_value(Money("29.48")) == "$29"
    assert format_brief_value(Decimal("1152.04")) == "1,152"
    assert format_brief_value(Decimal("2.37")) == "2.4"


def test_a_files_commit_is_named_once_in_the_source_list() -> None:
    from execbrief.renderers.formatting import Citations

    commit = "0123456789abcdef"
    first = Provenance("ledgers/harbor.csv", 4, commit=commit)
    later = Provenance("ledgers/harbor.csv", 9, commit=commit)
    other = Provenance("notes/harbor.md", 2, commit="fedcba9876543210")
    citations = Citations()
    citations.mark([first, later, other])
    assert citations.notes() == [
        (1, "ledgers/harbor.csv:4 (commit 01234567)"),
        (2, "ledgers/harbor.csv:9"),
        (3, "notes/harbor.md:2 (commit fedcba98)"),
    ]


#: Two business names that differ only at their end (an audit found both cut to "Harbor
#: Charters & Yacht Delivery Servi…" in the CFO report's week-13 key figures).
LONG_NAMES = (
    "Harbor Charters & Yacht Delivery Services of Marin County, Sausalito",
    "Harbor Charters & Yacht Delivery Services of Sonoma County, Bodega",
)


def _body_of(*blocks: object) -> list[str]:
    from datetime import date

    from execbrief.document import Section

    doc = Document("cfo", "CFO report", "the CFO", "2026-11", date(2026, 12, 1), "P",
                   sections=(Section("Cash", tuple(blocks)),))  # type: ignore[arg-type]  # fmt: skip
    lines = TextRenderer().render(doc).splitlines()
    assert all(len(line) <= WIDTH for line in lines)
    assert not [line for line in lines if "…" in line]
    return lines[: lines.index("SOURCES")] if "SOURCES" in lines else lines


def test_long_key_figure_labels_wrap_whole_and_stay_apart() -> None:
    from execbrief.document import Metrics
    from execbrief.findings import Metric
    from execbrief.values import Money

    metrics = tuple(
        Metric(f"cash.{n}", f"Week 13, {name}", Money(amount), provenance=(Provenance("l.csv", n),))
        for n, (name, amount) in enumerate(zip(LONG_NAMES, ("26833", "10740.77"), strict=True), 1)
    )
    short = Metric("cash.3", "Week 13, Portfolio", Money("121160.18"))
    lines = _body_of(Metrics((short, *metrics)))
    start = lines.index("  Week 13, Portfolio                        $121,160.18")
    entries = lines[start + 1 :]
    # each long label is said whole over two lines, its figure on the label's last line, in the
    # figures' column
    assert entries[:6] == [
        "  Week 13, Harbor Charters & Yacht",
        "    Delivery Services of Marin County,",
        "    Sausalito                               $26,833 [1]",
        "  Week 13, Harbor Charters & Yacht",
        "    Delivery Services of Sonoma County,",
        "    Bodega                                  $10,740.77 [2]",
    ]


def test_a_long_grid_cell_wraps_in_its_column_and_is_never_cut() -> None:
    from execbrief.document import Row, Table
    from execbrief.values import Money

    rows = tuple(
        Row((name, Money(amount)), (Provenance("l.csv", n),))
        for n, (name, amount) in enumerate(zip(LONG_NAMES, ("26833", "10740"), strict=True), 1)
    )
    lines = _body_of(Table(("Entity", "Cash"), rows))
    header = next(line for line in lines if line.startswith("  Entity"))
    body = lines[lines.index(header) + 2 :]
    assert body[:4] == [
        "  Harbor Charters & Yacht Delivery Services of Marin County,    $26,833  [1]",
        "    Sausalito",
        "  Harbor Charters & Yacht Delivery Services of Sonoma County,   $10,740  [2]",
        "    Bodega",
    ]
    assert header.rstrip().endswith("Cash")  # still a grid: the numbers right-aligned under it
    assert body[0].index("$26,833") + 7 == header.index("Cash") + 4


def test_a_long_chart_series_name_wraps_above_its_sparkline() -> None:
    from execbrief.document import Chart, Point, Series
    from execbrief.values import Money

    series = tuple(
        Series(name, (Point("2026-09", Money("29.48")), Point("2026-11", Money(last))))
        for name, last in zip(LONG_NAMES, ("29.94", "17.73"), strict=True)
    )
    lines = _body_of(Chart("AWS cost by month", series))
    text = " ".join(" ".join(lines).split())
    for name in LONG_NAMES:
        assert " ".join(name.split()) in text
    sparks = [line for line in lines if "▁" in line]
    assert len(sparks) == 2 and len(set(sparks)) == 2


def test_a_chart_titled_with_a_long_entity_name_wraps_with_its_marks() -> None:
    # audit30: "<entity>: monthly revenue, expenses and net burn [14]" ran to 100 columns
    from execbrief.document import Chart, Point, Series
    from execbrief.values import Money

    title = f"{LONG_NAMES[0]}: monthly revenue, expenses and net burn"
    series = (Series("revenue", (Point("2026-10", Money("9")), Point("2026-11", Money("12")))),)
    lines = _body_of(Chart(title, series, provenance=(Provenance("ledgers/a.csv", 2),)))
    at = next(i for i, line in enumerate(lines) if line.startswith("Harbor Charters"))
    assert " ".join(lines[at : at + 2]) == f"{title} [1]"  # said whole, on two lines
