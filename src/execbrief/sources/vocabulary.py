"""The vocabulary of handoff notes: canonical fact keys, the labels people write for them, and
the type of value each one expects.

``lookup("Monthly burn")`` gives the ``burn`` term; a label nobody listed gives None and the
handoff source keeps it as a text fact keyed by :func:`slug`. Labels are compared after
:func:`normalize_label`: lower case, ``&`` read as "and", anything in parentheses dropped,
punctuation and extra spaces removed, and a leading "current"/"total"/"approx." ignored, so
``**Burn (monthly):**`` and ``Current cash`` both match.

The table in ``docs/formats.md`` ("Handoff notes") lists every term; keep them in step.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Final


class ValueType(enum.StrEnum):
    """What a fact's value is read as."""

    MONEY = "money"  # Money, or MoneyRange for "~$7–9K/mo"
    COUNT = "count"  # a whole number; "none"/"zero" is 0
    LIST_COUNT = "count or list"  # a number, "none", or a list whose items are counted
    PERCENT = "percent"  # Percent
    NUMBER = "number"  # a Decimal such as a 4.8 review rating
    MONTHS = "months"  # a Decimal number of months; "6 weeks", "1.5 years", "90 days" converted
    DATE = "date"  # 2026-11-20, Nov 20, 2026, 20 November 2026
    YESNO = "yes/no"  # bool
    TEXT = "text"  # kept as written


@dataclass(frozen=True)
class Term:
    """A canonical fact: its key, a display label, the labels that mean it, the types it takes.

    ``types`` are tried in order; the first that reads the value wins, else the value is kept as
    text.
    """

    key: str
    label: str
    types: tuple[ValueType, ...]
    synonyms: tuple[str, ...]


M, C, LC, P, N, MO, D, B, T = (
    ValueType.MONEY,
    ValueType.COUNT,
    ValueType.LIST_COUNT,
    ValueType.PERCENT,
    ValueType.NUMBER,
    ValueType.MONTHS,
    ValueType.DATE,
    ValueType.YESNO,
    ValueType.TEXT,
)

#: Every known term, in the order the docs list them.
TERMS: Final[tuple[Term, ...]] = (
    # money in and out
    Term(
        "burn",
        "Burn",
        (M,),
        ("burn rate", "monthly burn", "burn", "net burn", "cash burn", "burn per month"),
    ),
    Term(
        "cash",
        "Cash",
        (M,),
        ("cash on hand", "cash", "bank balance", "cash in bank", "cash balance", "cash position"),
    ),
    Term("runway", "Runway (months)", (MO,), ("runway", "cash runway", "months of runway")),
    Term(
        "revenue",
        "Revenue",
        (M,),
        ("monthly revenue", "revenue", "gross revenue", "sales", "income", "revenue per month"),
    ),
    Term(
        "expenses",
        "Expenses",
        (M,),
        (
            "expenses",
            "monthly expenses",
            "costs",
            "monthly costs",
            "operating costs",
            "opex",
            "fixed costs",
        ),
    ),
    Term("mrr", "MRR", (M,), ("mrr", "monthly recurring revenue", "recurring revenue")),
    Term("arr", "ARR", (M,), ("arr", "annual recurring revenue")),
    Term("gross_margin", "Gross margin", (P,), ("gross margin", "margin")),
    Term("debt", "Debt", (M,), ("debt", "loan balance", "loans", "outstanding debt")),
    Term(
        "accounts_receivable",
        "Accounts receivable",
        (M,),
        (
            "accounts receivable",
            "receivables",
            "a/r",
            "ar",
            "outstanding invoices",
            "invoices outstanding",
        ),
    ),
    Term(
        "unbilled",
        "Unbilled work",
        (M,),
        (
            "unbilled work",
            "unbilled",
            "unbilled time",
            "unbilled amount",
            "not yet invoiced",
            "work not invoiced",
        ),
    ),
    Term("unbilled_hours", "Unbilled hours", (N,), ("unbilled hours",)),
    Term("payroll", "Payroll", (M,), ("payroll", "wages", "contractor costs")),
    Term(
        "marketing_spend",
        "Marketing spend",
        (M,),
        ("marketing spend", "ad spend", "advertising", "ads budget"),
    ),
    # sales
    Term(
        "pipeline",
        "Pipeline",
        (M, C),
        (
            "pipeline",
            "open leads",
            "leads in pipeline",
            "sales pipeline",
            "pipeline value",
            "open opportunities",
            "open deals",
            "leads",
        ),
    ),
    Term(
        "bookings",
        "Bookings per month",
        (C,),
        (
            "bookings",
            "bookings per month",
            "monthly bookings",
            "bookings this month",
            "charters booked",
            "trips booked",
        ),
    ),
    Term(
        "average_booking_value",
        "Average booking value",
        (M,),
        (
            "average booking value",
            "avg booking value",
            "average booking",
            "average charter value",
            "average ticket",
            "average order value",
        ),
    ),
    Term(
        "conversion_rate",
        "Conversion rate",
        (P,),
        ("conversion rate", "conversion", "close rate", "win rate", "quote to booking"),
    ),
    Term(
        "cac",
        "Customer acquisition cost",
        (M,),
        ("customer acquisition cost", "cac", "cost per booking", "cost per customer"),
    ),
    Term("cost_per_lead", "Cost per lead", (M,), ("cost per lead", "cpl")),
    Term(
        "repeat_rate",
        "Repeat customer rate",
        (P,),
        ("repeat rate", "repeat customers", "repeat customer rate", "returning customers"),
    ),
    Term(
        "review_rating",
        "Review rating",
        (N,),
        ("review rating", "rating", "google rating", "average rating", "star rating", "reviews"),
    ),
    Term("review_count", "Review count", (C,), ("review count", "number of reviews")),
    Term(
        "ota_listings",
        "OTA listings",
        (LC,),
        (
            "ota listings",
            "listed on otas",
            "otas",
            "ota channels",
            "online travel agencies",
            "listing sites",
            "listed on",
            "listings",
        ),
    ),
    Term(
        "email_list",
        "Email list size",
        (C,),
        ("email list size", "email list", "subscribers", "newsletter subscribers", "mailing list"),
    ),
    Term("website", "Website", (T,), ("website", "site", "web site", "url", "web")),
    # operations
    Term(
        "utilisation",
        "Utilisation",
        (P,),
        (
            "utilisation",
            "utilization",
            "billable utilisation",
            "billable utilization",
            "fleet utilisation",
            "fleet utilization",
            "boat utilisation",
            "boat utilization",
            "truck utilisation",
            "truck utilization",
        ),
    ),
    Term(
        "realisation",
        "Realisation",
        (P,),
        ("realisation", "realization", "realisation rate", "realization rate"),
    ),
    Term("occupancy", "Occupancy", (P,), ("occupancy", "occupancy rate")),
    Term(
        "adr",
        "Average daily rate",
        (M,),
        ("average daily rate", "adr", "nightly rate", "average nightly rate"),
    ),
    Term(
        "length_of_stay",
        "Average length of stay",
        (N,),
        ("average length of stay", "avg length of stay", "length of stay", "average stay", "alos"),
    ),
    Term(
        "jobs",
        "Jobs per month",
        (C,),
        ("jobs", "jobs per month", "jobs this month", "jobs completed", "monthly jobs"),
    ),
    Term(
        "average_job_value",
        "Average job value",
        (M,),
        ("average job value", "avg job value", "average job", "average invoice"),
    ),
    Term(
        "deliveries",
        "Deliveries",
        (C,),
        (
            "deliveries",
            "deliveries completed",
            "deliveries this year",
            "passages",
            "passages completed",
        ),
    ),
    Term(
        "day_rate",
        "Day rate",
        (M,),
        ("day rate", "daily rate", "hourly rate", "billing rate", "blended rate"),
    ),
    Term(
        "clients",
        "Active clients",
        (C,),
        ("clients", "active clients", "customers", "active customers"),
    ),
    Term("fleet", "Fleet size", (C,), ("fleet", "fleet size", "boats", "vessels", "trucks")),
    Term("headcount", "Headcount", (C,), ("headcount", "staff", "team size", "crew")),
    # platforms
    Term(
        "active_users",
        "Active users",
        (C,),
        (
            "active users",
            "members",
            "active members",
            "registered users",
            "registered crew",
            "users",
            "sign-ups",
            "signups",
        ),
    ),
    Term(
        "placements",
        "Placements",
        (C,),
        ("placements", "placements per month", "placements this month", "matches"),
    ),
    Term("take_rate", "Take rate", (P,), ("take rate", "commission", "platform fee")),
    Term("churn", "Churn", (P,), ("churn", "monthly churn", "churn rate")),
    Term(
        "gmv",
        "Gross merchandise value",
        (M,),
        ("gmv", "gross merchandise value", "gross booking value"),
    ),
    # property
    Term(
        "monthly_rent",
        "Monthly rent",
        (M,),
        ("monthly rent", "rent", "rent per month", "monthly rental income", "lease rent"),
    ),
    Term(
        "property_value",
        "Property value",
        (M,),
        ("property value", "stated value", "market value", "appraised value", "purchase price"),
    ),
    Term(
        "cash_invested",
        "Cash invested",
        (M,),
        ("cash invested", "equity invested", "down payment"),
    ),
    # ownership
    Term(
        "equity_obligations",
        "Equity obligations",
        (P, T),
        (
            "equity promised",
            "equity obligations",
            "equity owed",
            "equity promises",
            "equity commitments",
            "equity promise",
        ),
    ),
    Term(
        "equity_agreement_signed",
        "Equity agreement signed",
        (B, T),
        (
            "equity agreement signed",
            "agreement signed",
            "agreement status",
            "equity agreement",
            "equity agreement status",
            "signed agreement",
            "partner agreement",
            "vesting agreement",
            "equity signed",
        ),
    ),
    # people and dates
    Term(
        "owner",
        "Owner",
        (T,),
        ("owner", "owner operator", "operator", "managed by", "manager", "lead", "contact"),
    ),
    Term("status", "Status", (T,), ("status", "stage", "state")),
    Term(
        "updated",
        "Last updated",
        (D,),
        (
            "updated",
            "last updated",
            "as of",
            "date",
            "written",
            "handoff date",
            "last edited",
            "last edited time",
            "last modified",
        ),
    ),
)

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PUNCT = re.compile(r"[^\w/ -]+")
_LEADING = re.compile(r"^(?:current|total|approx|approximate|approximately|est|estimated|our)\s+")


def normalize_label(label: str) -> str:
    """The form labels are compared in: ``"**Burn (monthly):**"`` -> ``"burn"``."""
    text = label.lower().replace("&", " and ").replace("*", " ").replace("_", " ")
    text = _PARENS.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    text = " ".join(text.replace("-", " ").replace("/", " / ").split())
    previous = None
    while previous != text:
        previous, text = text, _LEADING.sub("", text)
    return text


#: Single words that name their term even inside a longer label ("Monthly burn" -> burn).
DISTINCTIVE: Final = frozenset(
    {"burn", "runway", "pipeline", "mrr", "arr", "cash", "revenue", "expenses", "occupancy",
     "utilisation", "utilization", "realisation", "realization", "churn", "subscribers",
     "bookings", "placements", "deliveries", "unbilled", "adr", "gmv"}
)  # fmt: skip
#: Words that make a label about something else than its term ("Revenue target", "Cash flow").
BLOCKING: Final = frozenset(
    {"target", "targets", "goal", "goals", "forecast", "budget", "budgeted", "projected",
     "projection", "expected", "plan", "planned", "flow", "growth", "change", "previous", "prior",
     "ytd", "next", "delta", "tax", "taxes", "share", "split", "history", "notes", "note"}
)  # fmt: skip


#: Words that, beside a distinctive single word, make the label name another figure: the cash
#: put into a property is not the cash in the bank, a CI pipeline holds no leads, a unit's maximum
#: occupancy is its size. Checked only when a single distinctive word is all that matched.
FALSE_FRIENDS: Final[dict[str, frozenset[str]]] = {
    "cash": frozenset(
        {"invested", "investment", "investments", "contributed", "contribution", "injected",
         "injection", "purchase", "price", "paid", "offer", "back", "on", "needed", "required",
         "raised", "call", "out", "deposit", "deposited"}
    ),
    "revenue": frozenset(
        {"deferred", "unearned", "lost", "potential", "recognised", "recognized", "backlog"}
    ),
    "expenses": frozenset(
        {"capital", "reimbursed", "reimbursable", "personal", "startup", "prepaid", "one"}
    ),
    "pipeline": frozenset(
        {"ci", "cd", "data", "build", "deploy", "deployment", "release", "etl", "test", "tests"}
    ),
    "occupancy": frozenset(
        {"max", "maximum", "capacity", "peak", "break", "breakeven", "limit", "guests", "sleeps"}
    ),
    "bookings": frozenset(
        {"value", "calendar", "link", "page", "system", "tool", "software", "platform", "site",
         "email", "form", "cancelled", "canceled", "lost", "refunded"}
    ),
    "deliveries": frozenset({"late", "failed", "missed", "cancelled", "canceled"}),
    "placements": frozenset({"failed", "cancelled", "canceled", "lost"}),
}  # fmt: skip
#: The periods a "per ..." may name and still be the monthly figure ("Revenue per month").
_PER_MONTH: Final = frozenset({"month", "mo", "monthly", "months"})


def _false_friend(word: str, words: list[str]) -> bool:
    """Whether a label matched only by the distinctive ``word`` is about another figure:
    it holds one of the word's :data:`FALSE_FRIENDS`, or a "per" that is not "per month"
    ("Revenue per booking", "Bookings per week")."""
    if FALSE_FRIENDS.get(word, frozenset()).intersection(words):
        return True
    return any(
        w == "per" and (i + 1 == len(words) or words[i + 1] not in _PER_MONTH)
        for i, w in enumerate(words)
    )


def lookup(label: str, *, exact: bool = False) -> Term | None:
    """The known term a label means, or None.

    An exact match (after :func:`normalize_label`) wins. Otherwise the longest known label of two
    or more words, or a distinctive single word (:data:`DISTINCTIVE`), found as whole words inside
    the label counts ("Monthly burn rate" is ``burn``, "Equity promised to Jordan" is
    ``equity_obligations``), unless the label holds a :data:`BLOCKING` word ("Cash flow",
    "Revenue target") or names two terms of which neither is part of the other ("Cash / burn").
    With ``exact``, only an exact match counts.
    """
    normalized = normalize_label(label)
    found = _BY_LABEL.get(normalized)
    if found is not None or exact or not normalized:
        return found
    words = normalized.split()
    if BLOCKING.intersection(words):
        return None
    padded = f" {normalized} "
    matched: dict[str, tuple[str, Term]] = {}  # term key -> its longest synonym in the label
    for synonym, size, term in _inner_synonyms(words):
        fits = f" {synonym} " in padded
        if fits and size > len(matched.get(term.key, ("", term))[0].split()):
            matched[term.key] = (synonym, term)
    if not matched:
        return None
    best, term = max(matched.values(), key=lambda item: len(item[0].split()))
    # "Cash / burn: $10K / $2K" names two figures and which is which would be a guess; but in
    # "Monthly cash burn" the "cash" is part of "cash burn", so that label is the burn.
    if any(f" {other} " not in f" {best} " for other, _ in matched.values()):
        return None
    if len(best.split()) == 1 and _false_friend(best, words):
        return None
    return term


#: Normalised label -> term; the first term listing a label keeps it.
_BY_LABEL: Final[dict[str, Term]] = {}
for _term in TERMS:
    for _synonym in _term.synonyms:
        _BY_LABEL.setdefault(normalize_label(_synonym), _term)

#: First word -> the synonyms that count inside a longer label (two or more words, or a
#: distinctive word) with their word counts, in ``_BY_LABEL`` order: a label is then compared with
#: the synonyms that start with one of its words, not with every synonym.
_INNER: Final[dict[str, list[tuple[int, str, int, Term]]]] = {}
for _order, (_synonym, _term) in enumerate(_BY_LABEL.items()):
    _size = len(_synonym.split())
    if _size >= 2 or _synonym in DISTINCTIVE:
        _INNER.setdefault(_synonym.split()[0], []).append((_order, _synonym, _size, _term))


def _inner_synonyms(words: list[str]) -> list[tuple[str, int, Term]]:
    found = {item[0]: item for word in set(words) for item in _INNER.get(word, ())}
    return [
        (synonym, size, term)
        for _, synonym, size, term in sorted(found.values(), key=lambda i: i[0])
    ]


#: Canonical key -> term.
BY_KEY: Final[dict[str, Term]] = {term.key: term for term in TERMS}


def slug(label: str) -> str:
    """The key of an unknown label: ``"Fuel cost (avg)"`` -> ``"fuel-cost"``."""
    words = re.findall(r"[a-z0-9]+", _PARENS.sub(" ", label.lower()))
    return "-".join(words) or "unlabelled"
