"""Reading notes the way they are written (issue 13, item 8): a label that names another figure
beside a distinctive word ("Cash invested") is not that figure; an amount in words ("12,700
dollars") is money; a label with a parenthesis or a longer phrase is still a fact, and an equity
promise written that way reaches the briefing's shortfalls."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analysis.briefing import Briefing
from execbrief.records.handoff import Fact
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, SourceResult
from execbrief.sources.handoff import parse_note
from execbrief.sources.vocabulary import DISTINCTIVE, FALSE_FRIENDS, lookup
from execbrief.values import Money, Percent


def facts(text: str) -> dict[str, Fact]:
    records = parse_note(text, "unit", Provenance("notes/unit.md")).records
    return {r.label: r for r in records if isinstance(r, Fact)}


# Every false friend of every distinctive word: the label is not that word's term.
FALSE = sorted((word, friend) for word, friends in FALSE_FRIENDS.items() for friend in friends)


def test_every_false_friend_belongs_to_a_distinctive_word() -> None:
    assert set(FALSE_FRIENDS) <= DISTINCTIVE


@pytest.mark.parametrize(("word", "friend"), FALSE)
def test_a_false_friend_beside_a_distinctive_word_is_not_its_term(word: str, friend: str) -> None:
    assert lookup(f"{word.title()} {friend}") is None or lookup(f"{word} {friend}").key != word
    assert lookup(f"{friend.title()} {word}") is None or lookup(f"{friend} {word}").key != word


@pytest.mark.parametrize(
    ("label", "key"),
    [
        # the controls: the same words as true friends
        ("Cash", "cash"),
        ("Cash on hand", "cash"),
        ("Current cash in checking", "cash"),
        ("Monthly cash burn", "burn"),
        ("Monthly revenue", "revenue"),
        ("Revenue per month", "revenue"),
        ("Sales pipeline", "pipeline"),
        ("Occupancy rate", "occupancy"),
        ("Bookings per month", "bookings"),
        ("Deliveries completed", "deliveries"),
        # the false friends have terms of their own or none
        ("Cash invested", "cash_invested"),
        ("Cash-on-cash", None),
        ("Revenue per booking", None),
        ("Bookings per week", None),
        ("Deferred revenue", None),
        ("CI pipeline", None),
        ("Max occupancy", None),
        ("Late deliveries", None),
        ("Monthly rent", "monthly_rent"),
        ("Purchase price", "property_value"),
    ],
)
def test_labels_and_their_terms(label: str, key: str | None) -> None:
    term = lookup(label)
    assert (term.key if term else None) == key


def test_cash_invested_is_not_the_entitys_cash_and_dollars_in_words_are_money() -> None:
    read = facts(
        "# Unit\n\n"
        "- Cash invested: $96,500\n"
        "- Cash: 12,700 dollars in the rental account\n"
        "- Cash-on-cash: 7%\n"
    )
    assert read["Cash invested"].key == "cash_invested"
    assert read["Cash invested"].value == Money(Decimal(96500), "USD")
    assert read["Cash"].key == "cash"
    assert read["Cash"].value == Money(Decimal(12700), "USD")
    assert read["Cash"].provenance.cite() == "notes/unit.md:4"
    assert read["Cash-on-cash"].key == "cash-on-cash"  # a text fact of its own
    assert [f.label for f in read.values() if f.key == "cash"] == ["Cash"]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("- Equity promised to Sam (our first engineer): 5%", "Equity promised to Sam (our first engineer)"),
        ("Equity promised to Sam (he was our first engineer): 5%", "Equity promised to Sam (he was our first engineer)"),
        ("- Equity promised to our first engineer on joining: 5%", "Equity promised to our first engineer on joining"),
    ],
)  # fmt: skip
def test_a_label_with_a_parenthesis_or_a_longer_phrase_is_a_fact(line: str, label: str) -> None:
    fact = facts(f"# Crew\n\n{line}\n")[label]
    assert fact.key == "equity_obligations"
    assert fact.value == Percent(5)
    assert fact.provenance.cite() == "notes/unit.md:3"


def test_a_long_unknown_phrase_before_a_colon_is_still_prose() -> None:
    assert facts("# X\n\nWhen the season ended the crew and the skipper left: sad\n") == {}


def test_an_unsigned_equity_promise_with_a_parenthesis_reaches_the_shortfalls() -> None:
    note = (
        "# Crew\n\n## Team\n\n- Equity promised to Sam (our first engineer): 5%, nothing signed\n"
    )
    records = parse_note(note, "crew", Provenance("notes/crew.md")).records
    result = SourceResult("crew", "handoff", ("notes/crew.md",), tuple(records))
    snapshot = Snapshot(
        "Test", "USD", date(2026, 11, 20), (EntityInfo("crew", "Crewboard", "platform"),), (result,)
    )
    found = {f.id: f for f in Briefing().analyze(snapshot).findings}
    equity = found["briefing.equity-unsigned:crew"]
    assert equity.shortfall
    assert equity.title == "Crewboard: an equity promise (5%) is not signed"
    assert [p.cite() for p in equity.provenance] == ["notes/crew.md:5"]
