"""Finance analysis on hand-made records: every expected figure is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.analysis import books
from execbrief.analysis.finance import FinanceResult, analyze, deploy_capital, runway
from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.values import Cadence, Money, MoneyRange
from kits.ledger import LINES, balance, booking, config, fact, snapshot, tx

ENTITIES = [("boats", "charter"), ("haul", "hauling"), ("idle", "consultancy")]


def usd(value: str | int) -> Money:
    return Money(Decimal(str(value)))


def records() -> list:
    LINES.reset()  # the line numbers below are asserted
    return [
        # boats: opening balance 2025-12-31 of $2,000.
        balance("boats", "2025-12-31", 2000),
        # Jan: +1000 income, -400 rent, -100 fuel (cost of sales)
        tx("boats", "2026-01-05", "Income:Charters", 1000),
        tx("boats", "2026-01-06", "Expenses:Rent", 400),
        tx("boats", "2026-01-07", "COGS:Fuel", 100),
        # Feb: +500, -400, -50
        tx("boats", "2026-02-05", "Income:Charters", 500),
        tx("boats", "2026-02-06", "Expenses:Rent", 400),
        tx("boats", "2026-02-07", "COGS:Fuel", 50),
        # Mar: +200, -400, -20, and $300 of non-cash depreciation (P&L only)
        tx("boats", "2026-03-05", "Income:Charters", 200),
        tx("boats", "2026-03-06", "Expenses:Rent", 400),
        tx("boats", "2026-03-07", "COGS:Fuel", 20),
        tx("boats", "2026-03-31", "Expenses:Depreciation", 300, cash=False),
        # Apr (the as_of month, incomplete): +100
        tx("boats", "2026-04-10", "Income:Charters", 100),
        # bookings: four sold charters in the window, one cancelled, one in the future
        booking("boats", "B1", "2025-12-01", "2026-01-10", "completed", "500"),
        booking("boats", "B2", "2025-12-02", "2026-01-20", "completed", "500"),
        booking("boats", "B3", "2026-01-02", "2026-02-14", "completed", "500"),
        booking("boats", "B4", "2026-02-02", "2026-03-05", "completed", "400"),
        booking("boats", "B5", "2026-02-03", "2026-03-09", "cancelled", "900"),
        booking("boats", "B6", "2026-03-03", "2026-05-09", "booked", "700"),
        # haul: net burn 600, 800, 700 in Jan..Mar; balance asserted $4,200 at 2026-03-31.
        tx("haul", "2026-01-02", "Income:Jobs", 400),
        tx("haul", "2026-01-03", "Expenses:Truck Lease", 1000, "Truck lease January"),
        tx("haul", "2026-02-02", "Income:Jobs", 200),
        tx("haul", "2026-02-03", "Expenses:Truck Lease", 1000, "Truck lease February"),
        tx("haul", "2026-03-02", "Income:Jobs", 300),
        tx("haul", "2026-03-03", "Assets:Trailer", 1200, "New trailer, revenue case: +$800/mo"),
        tx("haul", "2026-03-04", "Equity:Owner Contribution", 200),
        balance("haul", "2026-03-31", 4200, kind="assertion"),
        # idle: income only, no cash balance
        tx("idle", "2026-02-10", "Income:Consulting", 900),
        tx("idle", "2026-03-10", "Income:Consulting", 900),
        fact("haul", "equity_obligations", "Equity promised", "5% to Sam", "5% to Sam (unsigned)"),
        fact("idle", "equity_obligations", "Equity promised", "2% to Lee", "2% to Lee"),
        fact("idle", "equity_agreement_signed", "Agreement signed", True, "yes"),
    ]


@pytest.fixture(scope="module")
def result() -> FinanceResult:
    cfg = config(ENTITIES, analysis={"finance": {"max_unreviewed_spend": 900}})
    return analyze(snapshot(ENTITIES, records()), cfg)


def test_pnl_per_entity_and_month(result: FinanceResult) -> None:
    boats = result.for_entity("boats")
    assert boats is not None
    assert result.periods == ("2025-12", "2026-01", "2026-02", "2026-03", "2026-04")
    jan, feb, mar = boats.month("2026-01"), boats.month("2026-02"), boats.month("2026-03")
    assert jan and feb and mar
    assert (jan.revenue, jan.expenses, jan.net) == (usd(1000), usd(500), usd(500))
    assert (feb.revenue, feb.expenses, feb.net) == (usd(500), usd(450), usd(50))
    # March counts the non-cash depreciation: 400 + 20 + 300 = 720; net 200 - 720 = -520
    assert (mar.revenue, mar.cost_of_sales, mar.operating_expenses, mar.net) == (
        usd(200),
        usd(20),
        usd(700),
        usd(-520),
    )
    # provenance: the three January rows, lines 3..5 of the boats ledger
    assert [p.cite() for p in jan.provenance] == ["ledgers/boats.csv:3-5 (3 rows)"]


def test_rollup_equals_sum_of_entities_to_the_cent(result: FinanceResult) -> None:
    assert result.rollup_ok
    assert result.portfolio is not None
    for index, period in enumerate(result.periods):
        for attr in ("revenue", "expenses", "net"):
            parts = sum(
                (getattr(e.months[index], attr).amount for e in result.entities), Decimal(0)
            )
            assert getattr(result.portfolio.months[index], attr).amount == parts, (period, attr)
    # Jan: boats +500, haul 400 - 1000 = -600, idle 0 -> -100
    assert result.portfolio.month("2026-01").net == usd(-100)  # type: ignore[union-attr]
    metric = next(m for m in result.metrics if m.key == "finance.net@*@2026-01")
    assert metric.value == usd(-100)


def test_burn_series_from_cash_lines_only(result: FinanceResult) -> None:
    boats = result.for_entity("boats")
    assert boats is not None
    burn = {b.period: b for b in boats.burn}
    assert (burn["2026-01"].cash_in, burn["2026-01"].gross_burn, burn["2026-01"].net_burn) == (
        usd(1000),
        usd(500),
        usd(-500),
    )
    # March: the $300 depreciation moved no cash: out 420, in 200, net burn 220
    assert (burn["2026-03"].gross_burn, burn["2026-03"].net_burn) == (usd(420), usd(220))
    haul = result.for_entity("haul")
    assert haul is not None
    hb = {b.period: b for b in haul.burn}
    # March: in 300 + 200 owner contribution; out 1200 trailer -> net burn 700
    assert (hb["2026-03"].cash_in, hb["2026-03"].gross_burn, hb["2026-03"].net_burn) == (
        usd(500),
        usd(1200),
        usd(700),
    )


def test_trailing_ranges_both_ends(result: FinanceResult) -> None:
    assert result.window_3m == ("2026-01", "2026-02", "2026-03")
    haul = result.for_entity("haul")
    assert haul is not None
    assert haul.net_burn_3m == MoneyRange(usd(600), usd(800), Cadence.MONTH)
    assert haul.gross_burn_3m == MoneyRange(usd(1000), usd(1200), Cadence.MONTH)
    # haul's data starts in January, so its 6-month window is the same three months
    assert haul.net_burn_6m == MoneyRange(usd(600), usd(800), Cadence.MONTH)
    boats = result.for_entity("boats")
    assert boats is not None
    # boats' data starts in December (the opening balance): Dec 0, Jan -500, Feb -50, Mar 220
    assert boats.net_burn_6m == MoneyRange(usd(-500), usd(220), Cadence.MONTH)
    assert boats.net_burn_3m == MoneyRange(usd(-500), usd(220), Cadence.MONTH)


def test_runway_range_and_dates(result: FinanceResult) -> None:
    haul = result.for_entity("haul")
    assert haul is not None and haul.runway is not None
    run = haul.runway
    # cash 4,200 (asserted 03-31, nothing after); 4200/800 = 5.25 months; 4200/600 = 7 months
    assert run.status == "burning"
    assert run.cash == usd(4200)
    assert (run.months_low, run.months_high) == (Decimal("5.25"), Decimal("7.00"))
    # 5.25 × 30.4375 = 159.8 -> 159 days after 2026-04-15; 7 × 30.4375 = 213.06 -> 213 days
    assert (run.out_low, run.out_high) == (date(2026, 9, 21), date(2026, 11, 14))


def test_runway_partly_burning_and_cash_roll_forward(result: FinanceResult) -> None:
    boats = result.for_entity("boats")
    assert boats is not None and boats.runway is not None
    # 2000 + 500 + 50 - 220 (Jan..Mar) + 100 (April) = 2,430; worst month burns 220
    assert boats.runway.cash == usd(2430)
    assert boats.runway.status == "partly burning"
    assert boats.runway.months_low == Decimal("11.05")  # 2430 / 220 = 11.045
    assert boats.runway.months_high is None


def test_runway_not_burning_and_no_cash(result: FinanceResult) -> None:
    idle = result.for_entity("idle")
    assert idle is not None and idle.runway is not None
    assert idle.runway.status == "no cash"
    assert idle.runway.text == "unknown, no cash balance"
    zero = MoneyRange(usd(0), usd(0), Cadence.MONTH)
    assert runway(usd(100), zero, date(2026, 4, 15)).text == "not burning"
    negative = MoneyRange(usd(-300), usd(-100), Cadence.MONTH)
    assert runway(usd(100), negative, date(2026, 4, 15)).status == "not burning"
    assert runway(None, negative, date(2026, 4, 15)).text == "unknown, no cash balance"
    out = runway(usd(-5), MoneyRange(usd(10), usd(20), Cadence.MONTH), date(2026, 4, 15))
    assert out.status == "out of cash" and out.months_low == 0


def test_break_even_measured_from_bookings_and_ledger(result: FinanceResult) -> None:
    boats = result.for_entity("boats")
    assert boats is not None and boats.break_even is not None
    be = boats.break_even
    # window Dec..Mar (4 months); price = (500+500+500+400)/4 = 475 from bookings
    assert be.window == ("2025-12", "2026-01", "2026-02", "2026-03")
    assert be.units_sold == 4 and be.price == usd("475.00") and be.price_source == "bookings"
    # variable = cost of sales 170 / 4 units = 42.50; fixed = (3 × 400 + 300) / 4 months = 375
    assert be.variable_cost == usd("42.50") and be.fixed_costs == usd("375.00")
    assert be.contribution == usd("432.50")
    # 375 / 432.5 = 0.867 -> 1 charter/month
    assert be.units_needed == 1 and be.status == "reachable"
    # revenue to break even: 375 / (432.5/475) = 411.8497 -> 411.85
    assert be.break_even_revenue == usd("411.85")
    # target margin 15%: 375 / (432.5/475 - 0.15) = 375 × 475 / 361.25 = 493.0796 -> 493.08
    assert be.target_revenue == usd("493.08")
    assert be.revenue_per_month == usd("425.00")  # (1000 + 500 + 200) / 4


def test_negative_contribution_is_not_reachable() -> None:
    ents = [("loss", "delivery")]
    cfg = config(
        ents,
        settings={
            "loss": {"finance": {"unit_price": 50, "variable_cost": 80, "fixed_costs": 1000}}
        },
    )
    recs = [
        tx("loss", "2026-03-01", "Income:Trips", 100),
        tx("loss", "2026-03-02", "Expenses:Insurance", 1000),
    ]
    be = analyze(snapshot(ents, recs), cfg).for_entity("loss").break_even  # type: ignore[union-attr]
    assert be is not None
    assert be.status == "not reachable" and be.units_needed is None
    assert be.contribution == usd(-30)
    assert be.text.startswith("not reachable")
    assert be.target_status == "not reachable" and be.break_even_revenue is None
    finding_ids = {f.id for f in analyze(snapshot(ents, recs), cfg).findings}
    assert "finance.breakeven-unreachable:loss" in finding_ids


def test_break_even_rounds_up_and_uses_overrides() -> None:
    ents = [("rent", "rental")]
    cfg = config(
        ents,
        settings={
            "rent": {"finance": {"unit_price": 100, "variable_cost": 40, "fixed_costs": 1210}}
        },
    )
    recs = [tx("rent", "2026-03-01", "Income:Rent", 100)]
    be = analyze(snapshot(ents, recs), cfg).for_entity("rent").break_even  # type: ignore[union-attr]
    assert be is not None
    # 1210 / 60 = 20.17 -> 21 nights
    assert be.units_exact == Decimal("20.17") and be.units_needed == 21
    assert be.unit == "night" and be.text.startswith("21 nights/month")
    # revenue: 1210 / 0.6 = 2016.67; target 1210 / (0.6 - 0.15) = 2688.89
    assert be.break_even_revenue == usd("2016.67") and be.target_revenue == usd("2688.89")


def test_rules_pass_and_fail_with_evidence(result: FinanceResult) -> None:
    checks = {(c.rule, c.entity): c for c in result.rules}
    spend = checks[("spend-needs-revenue-case", "haul")]
    # two truck leases of $1,000 > $900 without a revenue case; the trailer has one
    assert spend.status == "fail"
    assert "2 spends over" in spend.evidence and "Trailer" not in spend.evidence
    assert [p.line for p in spend.provenance] == [3, 5]
    assert checks[("equity-needs-agreement", "haul")].status == "fail"
    assert checks[("equity-needs-agreement", "idle")].status == "pass"
    cash = checks[("keep-cash", "haul")]
    assert cash.status == "pass"  # 5.25 months >= 3
    assert checks[("keep-cash", "idle")].status == "unknown"
    finding_ids = {f.id for f in result.findings}
    assert "finance.rule.equity-needs-agreement:haul" in finding_ids
    assert "finance.rule.spend-needs-revenue-case:haul" in finding_ids


def test_cash_rule_fails_below_minimum() -> None:
    cfg = config(ENTITIES, analysis={"finance": {"min_cash_months": 6}})
    res = analyze(snapshot(ENTITIES, records()), cfg)
    check = next(c for c in res.rules if c.rule == "keep-cash" and c.entity == "haul")
    assert check.status == "fail" and "5.25 months" in check.evidence
    assert any(f.id == "finance.rule.keep-cash:haul" for f in res.findings)
    # without the rule, the short runway is still a finding
    no_rule = config(ENTITIES, analysis={"finance": {"min_cash_months": 6, "rules": []}})
    res = analyze(snapshot(ENTITIES, records()), no_rule)
    assert res.rules == ()
    assert any(f.id == "finance.runway-short:haul" for f in res.findings)


def test_no_ledger_at_all() -> None:
    res = analyze(snapshot([("x", "charter")], []), config([("x", "charter")]))
    assert res.periods == ()
    assert res.notes
    x = res.for_entity("x")
    assert x is not None and not x.has_ledger


def test_capital_deployment_tiers_and_order() -> None:
    def finding(
        fid: str,
        tier: CostTier | None,
        effect: int | None,
        effort: Effort = Effort.DAYS,
        tags: tuple[str, ...] = (),
    ) -> Finding:
        return Finding(
            fid,
            f"rule.{fid}",
            fid,
            Severity.MEDIUM,
            None,
            "e",
            f"do {fid}",
            effort,
            1,
            tags,
            (),
            usd(effect) if effect is not None else None,
            tier,
        )

    tiers = deploy_capital(
        [
            finding("a", CostTier.ZERO_COST, 100),
            finding("b", CostTier.ZERO_COST, 500),
            finding("c", None, None, Effort.HOURS),
            finding("d", None, 50, tags=("marketing",)),
            finding("e", None, None, Effort.WEEKS),
        ]
    )
    assert [a.finding_ids for a in tiers[CostTier.ZERO_COST]] == [("b",), ("a",), ("c",)]
    assert [a.finding_ids for a in tiers[CostTier.REVENUE]] == [("d",)]
    assert [a.finding_ids for a in tiers[CostTier.LOW_COST]] == [("e",)]
    assert tiers[CostTier.ZERO_COST][0].monthly_effect == usd(500)


def test_capital_deployment_groups_one_rule_across_entities() -> None:
    def finding(entity: str, effect: int) -> Finding:
        return Finding(
            f"x:{entity}",
            "x",
            "t",
            Severity.HIGH,
            entity,
            "e",
            "fix it",
            Effort.DAYS,
            1,
            (),
            (),
            usd(effect),
            CostTier.REVENUE,
        )

    (action,) = deploy_capital([finding("a", 100), finding("b", 250)])[CostTier.REVENUE]
    assert action.entities == ("a", "b") and action.monthly_effect == usd(350)
    assert action.finding_ids == ("x:a", "x:b")


def test_own_findings_carry_tiers(result: FinanceResult) -> None:
    assert result.findings
    assert all(f.cost_tier is not None for f in result.findings)


def test_windows_helpers() -> None:
    # as_of on the last day of a month counts that month as complete
    assert str(books.last_complete_month(date(2026, 3, 31))) == "2026-03"
    assert str(books.last_complete_month(date(2026, 3, 30))) == "2026-02"
    assert [str(p) for p in books.trailing(3, date(2026, 1, 10))] == [
        "2025-10",
        "2025-11",
        "2025-12",
    ]


def test_opening_balance_stands_at_the_start_of_its_day() -> None:
    ents = [("o", "charter")]
    recs = [
        balance("o", "2026-03-01", 1000),  # opening: the same day's income counts after it
        tx("o", "2026-03-01", "Income:Charters", 100),
        tx("o", "2026-03-02", "Expenses:Fuel", 40),
    ]
    run = analyze(snapshot(ents, recs), config(ents)).for_entity("o").runway  # type: ignore[union-attr]
    assert run is not None and run.cash == usd(1060)
    # an assertion stands at the end of its day: the same day's line is already in it
    recs = [balance("o", "2026-03-01", 1000, kind="assertion"), *recs[1:]]
    run = analyze(snapshot(ents, recs), config(ents)).for_entity("o").runway  # type: ignore[union-attr]
    assert run is not None and run.cash == usd(960)


def test_default_variable_words_and_override() -> None:
    ents = [("v", "charter")]
    recs = [
        tx("v", "2026-03-01", "Income:Charters", 1000),
        tx("v", "2026-03-02", "Expenses:Fuel", 200),  # variable by default
        tx("v", "2026-03-03", "Expenses:Slip Fees", 300),  # fixed
        booking("v", "V1", "2026-02-01", "2026-03-05", "completed", "500"),
        booking("v", "V2", "2026-02-02", "2026-03-06", "completed", "500"),
    ]
    be = analyze(snapshot(ents, recs), config(ents)).for_entity("v").break_even  # type: ignore[union-attr]
    assert be is not None
    # price 500, variable 200 / 2 = 100, fixed 300 -> 300 / 400 = 0.75 -> 1 charter
    assert (be.variable_cost, be.fixed_costs, be.units_needed) == (usd(100), usd(300), 1)
    cfg = config(ents, settings={"v": {"finance": {"variable_categories": []}}})
    be = analyze(snapshot(ents, recs), cfg).for_entity("v").break_even  # type: ignore[union-attr]
    assert be is not None and (be.variable_cost, be.fixed_costs) == (usd(0), usd(500))


def test_recurring_payments_are_not_one_off_spends() -> None:
    ents = [("p", "consultancy")]
    recs = [
        tx("p", f"2026-0{m}-28", "Expenses:Salaries", 5000, "Payroll", counterparty="Gusto")
        for m in (1, 2, 3)
    ] + [tx("p", "2026-03-10", "Expenses:Equipment", 4000, "New laptops", counterparty="Apple")]
    res = analyze(snapshot(ents, recs), config(ents))
    check = next(c for c in res.rules if c.rule == "spend-needs-revenue-case")
    assert (
        check.status == "fail"
        and "1 spend over" in check.evidence
        and "Apple" not in check.evidence
    )
    assert "New laptops" in check.evidence and "Payroll" not in check.evidence


def test_rows_in_another_currency_are_skipped_with_a_note() -> None:
    from execbrief.records.ledger import AccountType, Transaction
    from execbrief.snapshot import Provenance

    ents = [("eu", "charter")]
    euro = Transaction(
        "eu",
        Provenance("ledgers/eu.csv", 9),
        date(2026, 3, 3),
        "Income:Charters",
        AccountType.INCOME,
        "Charters",
        Money(Decimal(500), "EUR"),
    )
    recs = [tx("eu", "2026-03-01", "Income:Charters", 100), euro]
    res = analyze(snapshot(ents, recs), config(ents))
    assert res.for_entity("eu").month("2026-03").revenue == usd(100)  # type: ignore[union-attr]
    assert res.notes == ("ledgers/eu.csv:9: skipped, in EUR while the portfolio counts in USD",)


@pytest.mark.parametrize(
    ("analysis", "key"),
    [
        ({"finance": {"target_margin": "1.5"}}, "analysis.finance.target_margin"),
        ({"finance": {"rules": [{"id": "x", "kind": "nope"}]}}, "analysis.finance.rules[0].kind"),
        ({"finance": {"runway_windw": 3}}, "analysis.finance.runway_windw"),
        ({"accounting": {"duplicate_days": -1}}, "analysis.accounting.duplicate_days"),
        ({"operations": {"concentration_limit": 2}}, "analysis.operations.concentration_limit"),
    ],
)
def test_bad_options_name_their_key(analysis: dict, key: str) -> None:
    from execbrief.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        config(ENTITIES, analysis=analysis)
    assert key in str(caught.value)


def test_bad_entity_settings_name_their_key() -> None:
    from execbrief.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        config(ENTITIES, settings={"boats": {"finance": {"unit_price": -5}}})
    assert "entities[0].settings.finance.unit_price" in str(caught.value)


_ACCOUNTS = [
    "Income:Sales",
    "Expenses:Rent",
    "Expenses:Fuel",
    "COGS:Parts",
    "Liabilities:Loan",
    "Equity:Draws",
    "Assets:Van",
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(min_value=0, max_value=150),
            st.sampled_from(_ACCOUNTS),
            st.decimals(
                min_value=-500, max_value=5000, places=2, allow_nan=False, allow_infinity=False
            ),
            st.booleans(),
        ),
        max_size=40,
    ),
    st.integers(min_value=-2000, max_value=20000),
)
def test_properties_hold_for_any_ledger(rows: list, opening: int) -> None:
    ents = [("a", "charter"), ("b", "hauling")]
    recs = [balance("a", "2026-01-01", opening)]
    for entity, day, account, amount, cash in rows:
        when = date(2026, 1, 1) + timedelta(days=day)
        recs.append(tx(entity, when.isoformat(), account, str(amount), cash=cash))
    res = analyze(snapshot(ents, recs, as_of="2026-05-20"), config(ents))
    assert res.rollup_ok and res.portfolio is not None
    for index in range(len(res.periods)):
        for attr in ("revenue", "expenses", "net"):
            parts = sum(
                (getattr(e.months[index], attr).amount for e in res.entities if e.has_ledger),
                Decimal(0),
            )
            assert getattr(res.portfolio.months[index], attr).amount == parts
        for ent in (*res.entities, res.portfolio):
            if ent.has_ledger:
                b = ent.burn[index]
                assert b.net_burn == b.gross_burn - b.cash_in and b.gross_burn.amount >= 0
    for ent in res.entities:
        run = ent.runway
        if run and run.months_low is not None and run.months_high is not None:
            assert 0 <= run.months_low <= run.months_high
        be = ent.break_even
        if be and be.units_needed is not None:
            assert be.units_needed >= 0 and be.status == "reachable"


def test_no_complete_month_yet() -> None:
    ents = [("new", "charter")]
    recs = [balance("new", "2026-04-01", 500), tx("new", "2026-04-03", "Expenses:Fuel", 50)]
    res = analyze(snapshot(ents, recs), config(ents))  # as of 2026-04-15: April is not complete
    new = res.for_entity("new")
    assert new is not None and new.runway is not None and new.break_even is not None
    assert new.net_burn_3m is None and new.runway.status == "no data"
    assert new.runway.cash == usd(450) and "no complete month" in new.runway.text
    assert new.break_even.status == "unknown"
