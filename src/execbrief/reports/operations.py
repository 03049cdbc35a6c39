"""The delivery-operations report: trips, nautical miles, revenue and margin per trip and per mile,
and utilisation for each entity with a trip log, with its trips listed. Arranged from the
``operations`` and ``finance`` analyses.
"""

from __future__ import annotations

from execbrief.analysis.operations import DeliveryOps, OperationsResult
from execbrief.document import (
    Block,
    Bullet,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief
from execbrief.records.trips import Trip
from execbrief.reports import finblocks as fb
from execbrief.reports.base import BaseReport, Report, ReportContext


class OperationsReport(BaseReport):
    """The ``operations`` report plugin."""

    name = "operations"
    title = "Delivery operations report"
    audience = "Operations lead"

    def build(self, ctx: ReportContext) -> Document:
        """Arrange each delivery operation's figures into the document."""
        ops = ctx.typed("operations", OperationsResult)
        fin = fb.finance(ctx)
        names = {e.id: e.name for e in ctx.snapshot.entities}
        entities = {d.entity for d in ops.deliveries}
        reconciled, warnings = fb.gate(
            ctx, entities or {e.id for e in ctx.snapshot.entities if e.kind == "delivery"}
        )
        summary: list[Bullet] = []
        sections: list[Section] = []
        for d in ops.deliveries:
            name = names.get(d.entity, d.entity)
            summary.append(
                Bullet(
                    f"{name}: {d.trips} trips, {d.nautical_miles:,} nm in {d.window[0]}..{d.window[-1]}; revenue "
                    f"{brief(d.revenue)}, margin {brief(d.margin)} ({brief(d.margin_pct)}); "
                    f"{brief(d.margin_per_mile)} margin per nm; busy {brief(d.utilisation)} of the days.",
                    d.provenance,
                )
            )
            blocks: list[Block] = [Metrics(ops.metrics_of(d.entity), "Key figures")]
            blocks.append(_trips(ctx, d))
            ent = fin.for_entity(d.entity)
            if ent is not None and ent.has_ledger:
                blocks.append(fb.monthly_chart(ent, fin.window_12m))
                blocks.append(fb.break_even_table(fin, d.entity))
            found = fb.entity_findings(
                [f for r in (ops, fin) for f in r.findings_of(d.entity)], {d.entity}
            )
            blocks.append(Findings(tuple(found), "Findings", "Nothing found."))
            sections.append(Section(name, tuple(blocks), d.entity))
        if not ops.deliveries:
            summary.append(Bullet("No entity has a trip log to analyse."))
        sections.append(
            Section(
                "Method",
                (
                    Paragraph(
                        "Trips that start in the window count. Margin = fees − the trip log's expenses; per trip "
                        "and per nautical mile divide by trips and miles. Utilisation = calendar days with a trip "
                        "under way (start and end day included) ÷ days in the window. Sources: docs/metrics.md, "
                        "section Operations."
                    ),
                ),
                "method",
            )
        )
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
            reconciled=reconciled,
        )


def _trips(ctx: ReportContext, d: DeliveryOps) -> Table:
    start, end = d.window[0], d.window[-1]
    trips = [t for t in ctx.snapshot.records(Trip, d.entity) if start <= f"{t.start:%Y-%m}" <= end]
    return Table(
        ("Trip", "Start", "End", "From", "To", "nm", "Fee", "Expenses"),
        tuple(
            Row(
                (
                    t.id,
                    t.start,
                    t.end,
                    t.origin,
                    t.destination,
                    t.nautical_miles,
                    t.fee.quantize(),
                    t.expenses.quantize(),
                ),
                (t.provenance,),
            )
            for t in trips
        ),
        f"Trips starting {start}..{end}",
        ("l", "l", "l", "l", "l", "r", "r", "r"),
    )


@hookimpl
def register_reports() -> list[Report]:
    """The delivery operations report."""
    return [OperationsReport()]
