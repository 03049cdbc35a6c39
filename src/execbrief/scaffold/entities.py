"""Grouping recognised sources into entities by folder and file name: ``ledgers/clean-sweep.csv``,
``code/clean-sweep/`` and ``agent_handoffs/projects/clean-sweep.md`` are one business;
``sites/cleansweep.com/`` is too (names compare without punctuation or a domain's ending). Words
that name a kind of file (``bookings``, ``export``, ``checking``, ``stripe``, a year) are not
names, nor is a Google Forms export's own file name (``Charter requests (Responses) - Form
Responses 1.csv`` names the form); a file left with no name is shared (an ``.env``) or belongs
to the only entity."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from execbrief.scaffold.recognise import Found

#: Folder and file-name words that say what a file is, not whose it is.
GENERIC = frozenset(
    # words tools put in their export file names (Stripe's Itemized_payouts_USD_..., Google
    # Forms' "Form Responses 1", Mailchimp's subscribed_members_export_...)
    {"itemized", "change", "usd", "eur", "gbp", "cad", "aud", "form", "forms", "response"}
    | {"responses", "requests", "subscribed", "unsubscribed", "cleaned", "profiles"}
    | {"clockify", "klaviyo", "amex", "ofx", "qfx"}
    | {
        "handoff",
        "handoffs",
        "notes",
        "agent",
        "agents",
        "projects",
        "project",
        "ledger",
        "ledgers",
        "books",
        "bank",
        "banks",
        "exports",
        "export",
        "bookings",
        "booking",
        "billing",
        "invoices",
        "invoice",
        "timesheets",
        "timesheet",
        "hours",
        "time",
        "trips",
        "trip",
        "subscribers",
        "subscriber",
        "list",
        "lists",
        "members",
        "audience",
        "sites",
        "site",
        "web",
        "www",
        "code",
        "repos",
        "repo",
        "tools",
        "tool",
        "apps",
        "app",
        "env",
        "fixtures",
        "fixture",
        "data",
        "finance",
        "accounting",
        "docs",
        "sample",
        "samples",
        "cur",
        "aws",
        "costs",
        "cost",
        "usage",
        "report",
        "reports",
        "checking",
        "savings",
        "account",
        "activity",
        "statement",
        "statements",
        "transactions",
        "transaction",
        "balance",
        "history",
        "chase",
        "stripe",
        "paypal",
        "square",
        "airbnb",
        "fareharbor",
        "earnings",
        "wise",
        "mercury",
        "harvest",
        "toggl",
        "mailchimp",
        "shopify",
        "quickbooks",
        "qbo",
        "xero",
        "wave",
        "jobs",
        "job",
        "orders",
        "items",
        "item",
        "payouts",
        "deposits",
        "backend",
        "frontend",
        "src",
        "api",
        "lambda",
        "lambdas",
        "functions",
        "infra",
        "and",
        "the",
        "of",
        "all",
        "main",
        "prod",
        "production",
        "dev",
        "staging",
        "local",
        "secrets",
        "config",
        "shared",
        "common",
        "latest",
        "new",
        "old",
        "copy",
        "final",
        "q1",
        "q2",
        "q3",
        "q4",
        "ytd",
        "entries",
        "entry",
        "to",
        "from",
        "detailed",
        "summary",
        "download",
    }
)
#: Tools whose name in a file's path says where it came from; the business whose handoff note
#: names the tool (``Move timesheets from Toggl``, ``Chase checking``) is the one it belongs to.
TOOLS = frozenset(
    {"toggl", "harvest", "clockify", "chase", "stripe", "paypal", "square", "wise", "mercury"}
    | {"mailchimp", "klaviyo", "shopify", "quickbooks", "xero", "wave", "gusto", "calendly"}
    | {"airbnb", "fareharbor"}
)
DOMAIN_ENDINGS = re.compile(r"\.(com|net|org|io|co|us|biz|info|app|dev|example|test|site)$")
#: Which sources make an entity: a shared .env alone does not.
OWNING_KINDS = ("handoff", "code", "site", "ledger", "bookings", "timesheets", "invoices", "trips")


@dataclass
class Entity:
    """A business init found: its id, name, and sources by kind (in the order found)."""

    id: str
    name: str | None = None
    sources: dict[str, list[Found]] = field(default_factory=dict)
    guesses: list[str] = field(default_factory=list)

    def add(self, item: Found) -> None:
        """Add a source."""
        self.sources.setdefault(item.kind, []).append(item)


@dataclass
class Grouped:
    """The entities, the sources every entity shares, and those init could not place."""

    entities: list[Entity]
    shared: list[Found]
    unplaced: list[Found]


def words(text: str) -> list[str]:
    """The name words of a file or folder name: lower case, generic words and numbers dropped."""
    text = DOMAIN_ENDINGS.sub("", text.lower())
    parts = [re.sub(r"\d+$", "", p) for p in re.split(r"[^a-z0-9]+", text)]
    return [p for p in parts if p and p not in GENERIC]


#: A Google Forms responses sheet downloads as "<form title> (Responses) - Form Responses 1.csv"
#: (the linked spreadsheet is named after the form, its sheet "Form Responses 1"): the name is
#: the form's ("Charter requests"), not a business's.
FORM_EXPORT = re.compile(r"\(responses\)|form responses", re.IGNORECASE)


def name_of(item: Found) -> list[str]:
    """The name words of the business a source belongs to: the first folder on its path that
    names one, else its own file (or folder) name; a form's responses export names a form, so
    it takes only its folders' names (else it belongs where nameless files go)."""
    path = PurePosixPath(item.path)
    folders = path.parts if item.kind in ("code", "site") else path.parts[:-1]
    for part in folders:
        if words(part):
            return words(part)
    if item.options.get("layout") == "google-forms" or FORM_EXPORT.search(path.name):
        return []
    stem = path.name if item.kind in ("code", "site") else path.name.split(".")[0]
    return words(stem)


def _key(name_words: list[str]) -> str:
    return "".join(name_words)


def _match(key: str, entities: dict[str, Entity]) -> Entity | None:
    if key in entities:
        return entities[key]
    for known, entity in entities.items():
        shorter, longer = sorted((key, known), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter):
            return entity
    return None


def group(found: list[Found], fallback: str) -> Grouped:
    """Entities by name; handoff notes first, so a note names the business its files join."""
    order = {kind: i for i, kind in enumerate(OWNING_KINDS)}
    ranked = sorted(found, key=lambda f: order.get(f.kind, len(order)))
    entities: dict[str, Entity] = {}
    nameless: list[Found] = []
    for item in ranked:
        name = name_of(item)
        if not name:
            nameless.append(item)
            continue
        entity = _match(_key(name), entities) or _mentioned_by(_phrase(item), entities)
        if entity is None and item.kind in OWNING_KINDS:
            entity = entities.setdefault(_key(name), Entity("-".join(name)))
        if entity is None:
            nameless.append(item)
            continue
        entity.add(item)
        if item.kind == "handoff" and item.title and entity.name is None:
            entity.name = item.title
    return _place(list(entities.values()), nameless, fallback)


def _phrase(item: Found) -> str:
    """A code or site folder's own name as words (``booking-bot`` gives ``booking bot``), which
    a note may mention; empty for other sources."""
    if item.kind not in ("code", "site"):
        return ""
    return " ".join(re.split(r"[^a-z0-9]+", PurePosixPath(item.path).name.lower())).strip()


def _mentioned_by(phrase: str, entities: dict[str, Entity] | list[Entity]) -> Entity | None:
    """The one entity whose handoff note mentions ``phrase`` (as whole words), if exactly one."""
    if len(phrase) < 3:
        return None
    pattern = re.compile(
        r"(?<![a-z0-9])" + re.escape(phrase).replace(r"\ ", r"[\s_-]+") + r"(?![a-z0-9])"
    )
    values = entities.values() if isinstance(entities, dict) else entities
    hits = [
        e for e in values if any(pattern.search(n.mentions) for n in e.sources.get("handoff", []))
    ]
    return hits[0] if len(hits) == 1 else None


def _by_tool(item: Found, entities: list[Entity]) -> Entity | None:
    """The entity whose note names the tool a file came from (``Toggl_time_entries.csv``)."""
    path_words = set(re.split(r"[^a-z0-9]+", item.path.lower()))
    layout = str(item.options.get("layout", "")) if isinstance(item.options, dict) else ""
    tools = sorted((path_words & TOOLS) | ({layout} if layout in TOOLS else set()))
    for tool in tools:
        entity = _mentioned_by(tool, entities)
        if entity is not None:
            return entity
    return None


def _place(entities: list[Entity], nameless: list[Found], fallback: str) -> Grouped:
    """Nameless sources: every one joins the only entity (one made from the folder's name when
    there is none); else an .env is shared by all and the rest are left for the user."""
    if len(entities) <= 1:
        if not entities:
            entities = [Entity("-".join(words(fallback)) or "business")]
        for item in nameless:
            entities[0].add(item)
            if item.kind == "handoff" and item.title and entities[0].name is None:
                entities[0].name = item.title
        return Grouped(entities, [], [])
    shared = [item for item in nameless if item.kind == "env"]
    unplaced = []
    for item in nameless:
        if item.kind == "env":
            continue
        entity = _by_tool(item, entities)
        if entity is None:
            unplaced.append(item)
        else:
            entity.add(item)
            item.guesses.append(f"placed here: {entity.id}'s note names the tool it came from")
    return Grouped(entities, shared, unplaced)
