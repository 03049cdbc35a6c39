"""The rental-unit report: gross potential rent, vacancy, NOI, cap rate, cash-on-cash and collection
for each rental entity, with its monthly income and costs. Arranged from the ``operations``,
``finance`` and ``accounting`` analyses.
"""

from __future__ import annotations

from execbrief.analysis.operations import OperationsResult, RentalUnit
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
from execbrief.reports import finblocks as fb
from execbrief.reports.base import BaseReport, Report, ReportContext


class RentalReport(BaseReport):
    """The ``rental`` report plugin."""

    name = "rental"
    title = "Rental unit report"
    audience = "Owner"

    def build(self, ctx: ReportContext) -> Document:
        """Arrange each rental unit's figures into the document."""
        ops = ctx.typed("operations", OperationsResult)
        fin = fb.finance(ctx)
        acc = fb.accounting(ctx)
        names = {e.id: e.name for e in ctx.snapshot.entities}
        entities = {u.entity for u in ops.rentals} or {
            e.id for e in ctx.snapshot.entities if e.kind == "rental"
        }
        reconciled, warnings = fb.gate(ctx, entities)
        summary: list[Bullet] = []
        sections: list[Section] = []
        for unit in ops.rentals:
            name = names.get(unit.entity, unit.entity)
            basis = unit.vacancy_basis.split(": ", 1)
            vacancy = (
                f"{unit.vacancy} ({basis[0]})"
                if unit.vacancy is not None
                else f"unknown ({basis[-1]})"
            )
            summary.append(
                Bullet(
                    f"{name}: NOI {brief(unit.noi_annual)}/yr, "
                    f"cap rate {brief(unit.cap_rate, 'unknown (no stated value)')}, "
                    f"cash-on-cash {brief(unit.cash_on_cash, 'unknown (no cash invested stated)')}, "
                    f"vacancy {vacancy}.",
                    unit.provenance[:2],
                )
            )
            blocks: list[Block] = [
                Metrics(tuple(m for m in ops.metrics if m.entity == unit.entity), "Key figures"),
                _pro_forma(unit),
            ]
            ent = fin.for_entity(unit.entity)
            if ent is not None and ent.has_ledger:
                blocks.append(fb.monthly_chart(ent, fin.window_12m))
            cats = sorted(
                (c for c in acc.categories if c.entity == unit.entity),
                key=lambda c: -c.total.amount,
            )
            if cats:
                blocks.append(
                    Table(
                        ("Account", "Total (whole ledger)", "Last month"),
                        tuple(
                            Row(
                                (c.account, c.total.quantize(), c.last_month.quantize()),
                                c.provenance,
                            )
                            for c in cats
                        ),
                        "Costs by account",
                        ("l", "r", "r"),
                    )
                )
            found = fb.entity_findings(
                [f for r in (ops, fin, acc) for f in r.findings if f.entity == unit.entity],
                {unit.entity},
            )
            blocks.append(Findings(tuple(found), "Findings", "Nothing found."))
            sections.append(Section(name, tuple(blocks), unit.entity))
        if not ops.rentals:
            summary.append(Bullet("No rental unit has ledger or booking data to analyse."))
        sections.append(
            Section(
                "Method",
                (
                    Paragraph(
                        "Gross potential rent = rate × nights (or months) in the window; NOI = income − operating "
                        "expenses (mortgage interest and principal are debt service, not operating expenses); cap "
                        "rate = annual NOI ÷ stated value; cash-on-cash = (annual NOI − annual debt service) ÷ cash "
                        "invested. Sources: docs/metrics.md, section Operations."
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


def _pro_forma(unit: RentalUnit) -> Table:
    span = f"{unit.window[0]}..{unit.window[-1]}"
    rate = (
        f"{unit.rate.value.quantize()} per {'month' if unit.rate_basis == 'monthly' else 'night'}"
        if unit.rate.value
        else "no rate"
    )
    rows = (
        Row(
            (
                f"Gross potential rent ({rate}, from {unit.rate.source or 'nowhere'})",
                unit.gross_potential_rent,
            ),
            unit.rate.provenance,
        ),
        Row(("Rental income collected", unit.income.quantize()), unit.provenance[:1]),
        Row(
            ("Operating expenses (excluding debt service)", unit.operating_expenses.quantize()),
            unit.provenance[:1],
        ),
        Row(("Net operating income", unit.noi.quantize())),
        Row(("Debt service (interest and principal)", unit.debt_service.quantize())),
        Row(("Cash flow before tax", unit.cash_flow.quantize())),
        Row(
            (
                f"Stated value ({unit.property_value.source or 'not stated'})",
                unit.property_value.value,
            ),
            unit.property_value.provenance,
        ),
        Row(
            (
                f"Cash invested ({unit.cash_invested.source or 'not stated'})",
                unit.cash_invested.value,
            ),
            unit.cash_invested.provenance,
        ),
    )
    return Table(
        ("Item", f"{span} ({len(unit.window)} months)"),
        rows,
        "Operating statement",
        ("l", "r"),
        "Annual figures scale these by 12 ÷ months in the window.",
    )


@hookimpl
def register_reports() -> list[Report]:
    """The rental report."""
    return [RentalReport()]
