"""The rental-unit report: gross potential rent, vacancy, NOI, cap rate, cash-on-cash and collection
for each rental entity, with its monthly income and costs. Arranged from the ``operations``,
``finance`` and ``accounting`` analyses.
"""

from __future__ import annotations

from execbrief.analysis.base import all_by
from execbrief.analysis.finance import FinanceResult
from execbrief.analysis.kpis import KpiStatus, kpi_framework
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
from execbrief.snapshot import Provenance


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
        categories = all_by(acc.categories, lambda c: c.entity)
        for unit in ops.rentals:
            name = names.get(unit.entity, unit.entity)
            basis = unit.vacancy_basis.split(": ", 1)
            vacancy = (
                f"{unit.vacancy} ({basis[0]})"
                if unit.vacancy is not None
                else f"unknown ({basis[-1]})"
            )
            let_kpis = _let_kpis(fin, ops, unit)
            returns = (
                f"NOI {brief(unit.noi_annual)}/yr, "
                f"cap rate {brief(unit.cap_rate, 'unknown (no stated value)')}, "
                f"cash-on-cash {brief(unit.cash_on_cash, 'unknown (no cash invested stated)')}"
            )
            if unit.long_term:
                summary.append(
                    Bullet(
                        f"{name} ({unit.let} let): {_let_line(let_kpis)}; {returns}.",
                        _cites(let_kpis, unit),
                    )
                )
            else:
                summary.append(
                    Bullet(
                        f"{name} ({unit.let} let): {_let_line(let_kpis)}; {returns}, "
                        f"vacancy {vacancy}.",
                        _cites(let_kpis, unit),
                    )
                )
            blocks: list[Block] = [
                Metrics(ops.metrics_of(unit.entity), "Key figures"),
                _let_table(unit, let_kpis),
                _pro_forma(unit),
            ]
            ent = fin.for_entity(unit.entity)
            if ent is not None and ent.has_ledger:
                blocks.append(fb.monthly_chart(ent, fin.window_12m))
            cats = sorted(
                categories.get(unit.entity, ()),
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
                [f for r in (ops, fin, acc) for f in r.findings_of(unit.entity)],
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
                        "A unit with a monthly rent is a long-term let (rent per month, months let, economic "
                        "vacancy); any other is a short-term let (ADR, occupancy, RevPAR). "
                        "Gross potential rent = rate × nights (or months) in the window; NOI = rental income − operating "
                        "expenses (mortgage interest and principal are debt service, not operating expenses; bank "
                        "interest earned is other income, not rent); collection rate = rental income ÷ booked "
                        "revenue; cap rate = annual NOI ÷ stated value; cash-on-cash = (annual NOI − annual debt service) ÷ cash "
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


def _let_kpis(fin: FinanceResult, ops: OperationsResult, unit: RentalUnit) -> list[KpiStatus]:
    """The unit's KPIs for its kind of let (rent, months let, economic vacancy for a long-term
    let; ADR, occupancy, RevPAR for a short-term one), as the KPI framework computes them."""
    rows = kpi_framework(fin, ops, {unit.entity: "rental"})
    wanted = LONG_TERM if unit.long_term else SHORT_TERM
    return [k for name in wanted for k in rows if k.kpi == name]


#: The KPIs that describe each kind of let, in the order the brief says them.
LONG_TERM = ("Rent per month", "Months let", "Economic vacancy")
SHORT_TERM = ("Average daily rate", "Occupancy", "RevPAR")
_SHORT = {"Rent per month": "rent", "Months let": "let", "Economic vacancy": "economic vacancy",
          "Average daily rate": "ADR", "Occupancy": "occupancy", "RevPAR": "RevPAR"}  # fmt: skip


def _let_line(kpis: list[KpiStatus]) -> str:
    parts = []
    for k in kpis:
        value = brief(k.value) if k.tracked else "unknown"
        if k.kpi == "Rent per month" and k.tracked:
            value += "/mo"
        if k.kpi == "Months let" and k.tracked:
            value += " months"
        parts.append(f"{_SHORT[k.kpi]} {value}")
    return ", ".join(parts)


def _cites(kpis: list[KpiStatus], unit: RentalUnit) -> tuple[Provenance, ...]:
    return tuple(dict.fromkeys(p for k in kpis for p in k.provenance[:1])) or unit.provenance[:2]


def _let_table(unit: RentalUnit, kpis: list[KpiStatus]) -> Table:
    return Table(
        ("KPI", "Value", "Basis or what is needed"),
        tuple(Row((k.kpi, k.value, k.basis), k.provenance) for k in kpis),
        f"KPIs of a {unit.let} let",
        ("l", "r", "l"),
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
        *(
            (
                Row(
                    ("Other income (interest; not rent, left out of NOI)", unit.other_income),
                    unit.other_income_provenance[:1],
                ),
            )
            if unit.other_income is not None
            else ()
        ),
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
