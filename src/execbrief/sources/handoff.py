"""The ``handoff`` source: markdown handoff notes read into typed facts, funnels and sections.

A note is CommonMark with GitHub tables and optional YAML front matter, parsed with markdown-it-py
(line numbers come from the tokens' ``map``). What becomes a record (``execbrief.records.handoff``):

- every front matter key: a ``Fact`` in section ``front matter``, cited at the key's line;
- every line that starts with a short label and a colon (``Cash on hand: $12,400``), bulleted or
  not, with the label in bold or not (``**Burn:** ~$7–9K/mo``); in a bullet or with a bold or
  known label, an em or en dash works as the separator too (``**Pipeline** — none``);
- every row of a two-column table (label | value), and of a wider table with a ``Value`` column;
- every row of a table whose first column is a step (``Step``/``Stage``) and which has a count
  column: a ``FunnelStep``, in table order;
- every ``##`` section, with its source lines, as a ``NoteSection`` (for mentions in prose).

Labels are matched against ``execbrief.sources.vocabulary``; a known label's value is typed
(money, money range, percent, count, number, date, yes/no) and an unknown label is kept as a text
fact keyed by its slug. The convention is documented in ``docs/formats.md`` ("Handoff notes").
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from execbrief.hookspecs import hookimpl
from execbrief.records.handoff import Fact, FactValue, FunnelStep, NoteSection
from execbrief.secrets.redaction import redact_text, scan_free_text
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult
from execbrief.sources import files, notechunks
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.ledger import MAX_AMOUNT, MAX_AMOUNT_CHARS
from execbrief.sources.vocabulary import Term, ValueType, lookup, normalize_label, slug
from execbrief.values import (
    Money,
    MoneyParseError,
    MoneyRange,
    Percent,
    extract_money,
    parse_money,
)

KIND = "handoff"
SUFFIXES = (".md", ".markdown", ".txt")
FRONT_MATTER = "front matter"

MAX_LABEL_WORDS = 6
#: Front matter lines read (the demo's notes have 5 to 8): past it, a problem and the rest unread.
MAX_FRONT_MATTER_LINES = 1_000
#: A note line longer than this is left out with a warning (a pasted blob, not a fact); the
#: rest of the note is read. A long paragraph is a few KB.
MAX_NOTE_LINE_BYTES = 64 << 10
#: Dropped note lines warned about one by one, at most.
ROW_ERRORS_SHOWN = 5
#: A label that names a known term may be a longer phrase ("Equity promised to our first
#: engineer on joining").
MAX_KNOWN_LABEL_WORDS = 10
MAX_LABEL_CHARS = 48
MAX_KNOWN_LABEL_CHARS = 80
#: With its parentheses, a label may be this long.
MAX_RAW_LABEL_CHARS = 120
PLAIN_LABEL_WORDS = 4
STEP_HEADERS = frozenset({"step", "stage", "funnel", "funnel step", "funnel stage", "phase"})
COUNT_HEADERS = frozenset(
    {"count", "number", "n", "total", "volume", "qty", "quantity", "people", "leads", "this month",
     "last 30 days", "last month", "value"}
)  # fmt: skip
VALUE_HEADERS = frozenset(
    {"value", "amount", "figure", "current", "now", "latest", "this month", "today", "status"}
)

_MD = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases (``*name``), so that a few hundred bytes of
    nested aliases (a "billion laughs") cannot grow into gigabytes of facts."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed in front matter", mark
            )
        return super().compose_node(parent, index)


_COLON = re.compile(r"^(?P<label>[^:]+?)\s*:(?:\s+|$)(?P<value>.*)$")
_COLON_TIGHT = re.compile(r"^(?P<label>[^:]+?)\s*:\s*(?P<value>.*)$")
_DASH = re.compile(
    r"^(?P<label>[^:—–]+?)\s+(?:—|–|--)\s+(?P<value>.+)$|^(?P<label2>[^:—]+?)\s*—\s*(?P<value2>.+)$"
)
_TASK = re.compile(r"^\[[ xX]\]\s+")
_LABEL_BAD = re.compile(r"[.;!?\"“”`|<>=]|https?$|^\d")
_ZERO = re.compile(
    r"^\s*(?:(?:none|nil|zero|nothing|empty|no|not)(?![\w.])|0(?![\w.,])(?!\s*%)|[—–-]\s*$)",
    re.IGNORECASE,
)
_INT = re.compile(
    r"^\s*(?:~|≈|about\s+|around\s+|approx\.?\s+|approximately\s+|roughly\s+)?(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]*\d)(?!\s*%)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^\s*(?:~|≈|about\s+|around\s+|approx\.?\s+|roughly\s+)?(\d+(?:\.\d+)?)(?!\s*%)", re.IGNORECASE
)
_THOUSANDS = re.compile(
    r"^\s*(?:~|≈|about\s+|around\s+|approx\.?\s+|roughly\s+)?(\d+(?:\.\d)?)\s*k\b", re.IGNORECASE
)
_DURATION = re.compile(
    r"^\s*(?:~|≈|about\s+|around\s+|approx\.?\s+|approximately\s+|roughly\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)(?:\s*(?:-|–|—|to)\s*\d+(?:\.\d+)?)?(?!\s*%)"
    r"\s*(?P<unit>months?|mos?\b|mths?|weeks?|wks?|days?|years?|yrs?)?",
    re.IGNORECASE,
)
#: Units of a duration other than months, as (prefix, how many make a month).
_PER_MONTH = (("w", Decimal(52) / 12), ("d", Decimal(365) / 12), ("y", Decimal(1) / 12))
_DOLLARS = re.compile(r"\s*\b(?:dollars?|bucks)\b", re.IGNORECASE)
#: An amount written with the word after it ("12,700 dollars", "3.5k bucks"): read as "$12,700".
_AMOUNT_IN_WORDS = re.compile(
    r"(?<![\w$.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\s*[km]\b)?\s*(?:dollars?|bucks)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:%|percent\b|pct\b)", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_WORD_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))\b"
)
_NO = re.compile(
    r"\b(?:no|not|never|unsigned|pending|draft|drafted|verbal|verbally|handshake|outstanding|"
    r"missing|tbd|false|n)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"\b(?:yes|y|true|signed|executed|done|complete|completed|in place)\b", re.IGNORECASE
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|we|i|you|they|it)\b",
    re.IGNORECASE,
)
#: The start of a line that is a value, not a sentence: "$12,400 ...", "about 3 months", "none".
_VALUE_START = re.compile(
    r"^(?:[~≈$€£(-]|\d|(?:about|around|approx|approximately|roughly|none|nil|zero|nothing|"
    r"empty|no|usd|eur|gbp)\b)",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>]*>")
_ARROWS = re.compile(r"\s*(?:→|->|⟶|➝|➜|=>)\s*")
_COUNT_TEXT = r"\d{1,3}(?:,\d{3})+|\d+"
#: A step of a one-line funnel: "Quotes 12", "Quotes (12)", "Quotes: 12" or "12 quotes".
_CHAIN_STEP = re.compile(
    rf"^(?:(?P<name>[^\W\d][^()\d:]*?)(?:\s*:\s*|\s*\(\s*|\s+)~?(?P<n>{_COUNT_TEXT})\s*\)?"
    rf"|~?(?P<n2>{_COUNT_TEXT})\s+(?P<name2>[^\W\d][^()\d]*?))$"
)
#: A funnel step written as a list item: "Inquiries → 40", "Quotes -> 22".
_ARROW_STEP = re.compile(
    r"^(?P<step>[^\s→].*?)\s*(?:→|->|⟶|➝|➜|=>)\s*~?(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s*$"
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "sept",
)  # fmt: skip
_WHOLE_INT = re.compile(r"-?\d+")
_INT_DIGITS = 4000
_WHOLE_DECIMAL = re.compile(r"-?\d+\.\d+")
_WHOLE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\+|&|/|\band\b)\s*", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Typing values
# --------------------------------------------------------------------------------------------


class AbsurdValue(ValueError):
    """A value a note cannot state: an amount beyond the ledger's sane range (docs/formats.md)."""


def _sane_money(value: Money | MoneyRange, written: str) -> Money | MoneyRange:
    """``value`` when it is within the sane range of an amount, else :class:`AbsurdValue`."""
    written = written.strip()
    shown = files.excerpt(written, 24)
    if len(written) > MAX_AMOUNT_CHARS:
        raise AbsurdValue(
            f"the amount {shown!r} is {len(written)} characters long; expected an amount of at "
            f"most {MAX_AMOUNT_CHARS} characters, like $12,400"
        )
    ends = [value] if isinstance(value, Money) else [value.low, value.high]
    if any(not end.amount.is_finite() or abs(end.amount) >= MAX_AMOUNT for end in ends):
        raise AbsurdValue(
            f"the amount {shown!r} is out of range; expected less than $1,000,000,000,000 "
            "either way"
        )
    return value


def read_value(text: str, types: Sequence[ValueType], currency: str = "USD") -> FactValue | None:
    """Read value text as the first of ``types`` that fits; None when none does.

    "none", "nil", "zero", "no ..." and "0" are zero for counts, numbers, percents and money (the
    first numeric type the term takes, counts before money, so "Pipeline: none" is 0 leads).
    """
    text = text.strip()
    if not text:
        return None
    if _ZERO.match(text):
        for kind in (
            ValueType.COUNT,
            ValueType.LIST_COUNT,
            ValueType.NUMBER,
            ValueType.MONTHS,
            ValueType.PERCENT,
        ):
            if kind in types:
                return _zero(kind)
        if ValueType.MONEY in types:
            return Money.zero(currency)
    # A bare number is money only when the term takes no count ("Pipeline: 3" is three leads).
    strict = ValueType.COUNT in types
    for kind in types:
        value = _read_as(kind, text, currency, strict=strict)
        if value is not None:
            return value
    return None


def _zero(kind: ValueType) -> FactValue:
    if kind is ValueType.PERCENT:
        return Percent(0)
    if kind in (ValueType.NUMBER, ValueType.MONTHS):
        return Decimal(0)
    return 0


def _read_as(
    kind: ValueType, text: str, currency: str, *, strict: bool = False
) -> FactValue | None:
    if kind is ValueType.MONEY:
        # "12,700 dollars in the rental account": an amount in the portfolio's currency
        text = _DOLLARS.sub("", _AMOUNT_IN_WORDS.sub(r"$\1\2", text)).strip()
        try:
            if strict:
                raise MoneyParseError(text)
            return _sane_money(parse_money(text, currency), text)
        except MoneyParseError:
            found = extract_money(text, currency)
            if found is None:
                return None
            money, (start, end) = found
            return _sane_money(money, text[start:end])
    if kind in (ValueType.COUNT, ValueType.LIST_COUNT):
        if match := _THOUSANDS.match(text):
            return int(Decimal(match.group(1)) * 1000)
        if match := _INT.match(text):
            return _sane_count(match.group(1))
        if kind is ValueType.LIST_COUNT:
            items = [item for item in _LIST_SPLIT.split(_strip_parens(text)) if item.strip()]
            return len(items) if items else None
        return None
    if kind is ValueType.NUMBER:
        if match := _NUMBER.match(text):
            try:
                return Decimal(match.group(1))
            except InvalidOperation:  # pragma: no cover - the pattern only matches decimals
                return None
        return None
    if kind is ValueType.MONTHS:
        return _read_months(text)
    if kind is ValueType.PERCENT:
        if match := _PERCENT.search(text):
            return Percent(match.group(1))
        return None
    if kind is ValueType.DATE:
        return _read_date(text)
    if kind is ValueType.YESNO:
        if _NO.search(text):
            return False
        if _YES.search(text):
            return True
        return None
    return text


def _sane_count(digits: str) -> int:
    """A whole number written with optional thousands commas, below the sane range's bound."""
    plain = digits.replace(",", "")
    if len(plain) > len(str(MAX_AMOUNT)) - 1:
        raise AbsurdValue(
            f"the count {files.excerpt(digits, 24)!r} is out of range; expected a whole number "
            "less than 1,000,000,000,000"
        )
    return int(plain)


def _read_months(text: str) -> Decimal | None:
    """A duration in months: "3.5 months", "3-4 months" (the lower end), "6 weeks" (1.4)."""
    match = _DURATION.match(text)
    if match is None:
        return None
    number = Decimal(match.group("n"))
    unit = (match.group("unit") or "").lower()
    per_month = next((size for prefix, size in _PER_MONTH if unit.startswith(prefix)), None)
    if per_month is None:
        return number
    try:
        months = (number / per_month).quantize(Decimal("0.1"))
    except InvalidOperation:  # more digits than a Decimal holds: no runway anyone wrote
        return None
    return months.quantize(Decimal(1)) if months == months.to_integral_value() else months


def _funnel_count_problem(step: str, digits: str, left_out: str = "step") -> str | None:
    """The problem with a funnel step's count of 13 or more digits (no funnel holds a trillion
    people), else None."""
    try:
        _sane_count(digits)
    except AbsurdValue as exc:
        return f"the funnel step {files.excerpt(step, 48)!r}: {exc}; the {left_out} is left out"
    return None


def _strip_parens(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


def _read_date(text: str) -> date | None:
    if match := _ISO_DATE.search(text):
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    if match := _WORD_DATE.search(text):
        day = match.group("d1") or match.group("d2")
        month = match.group("m1") or match.group("m2")
        year = match.group("y1") or match.group("y2")
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                return datetime.strptime(f"{day} {month} {year}", fmt).date()
            except ValueError:
                continue
    return None


def settle(value: FactValue) -> FactValue:
    """Text that reads as a whole number, a decimal or an ISO date becomes one.

    JSON keeps a fact's value as a string, and decoding reads such a string back as a number or
    date; settling it here keeps a snapshot equal to its JSON round trip. Other text is unchanged.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _WHOLE_INT.fullmatch(text):
        # beyond Python's int-from-text limit a whole number stays exact as a Decimal
        return int(text) if len(text) <= _INT_DIGITS else Decimal(text)
    if _WHOLE_DECIMAL.fullmatch(text):
        return Decimal(text)
    if _WHOLE_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return value
    return value


def _yaml_value(value: Any, term: Term | None, currency: str) -> tuple[FactValue, str]:
    """A front matter value typed like a note value; returns (value, raw text)."""
    if isinstance(value, bool):
        return value, "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date(), value.date().isoformat()
    if isinstance(value, date):
        return value, value.isoformat()
    if isinstance(value, list | tuple):
        raw = ", ".join(str(item) for item in value)
        if term is not None and ValueType.LIST_COUNT in term.types:
            return len(value), raw
        return raw, raw
    if isinstance(value, dict):
        raw = ", ".join(f"{k}: {v}" for k, v in value.items())
        return raw, raw
    raw = "" if value is None else str(value)
    if term is None:
        return raw, raw
    if isinstance(value, int | float) and not isinstance(value, bool):
        counts = ValueType.COUNT in term.types or ValueType.LIST_COUNT in term.types
        if counts and isinstance(value, int):
            return value, raw
        if ValueType.MONEY in term.types:
            return _sane_money(Money(Decimal(raw), currency), raw), raw
        if ValueType.NUMBER in term.types:
            return Decimal(raw), raw
        if ValueType.PERCENT in term.types:
            return Percent(Decimal(raw)), raw
    typed = read_value(raw, term.types, currency)
    return (raw if typed is None else typed), raw


def _bad_yaml_value(key: yaml.Node, value: yaml.Node, exc: Exception) -> str:
    """One sentence for a front matter key whose key or value YAML cannot build."""
    name = files.excerpt(str(key.value), 48) if isinstance(key, yaml.ScalarNode) else "a key"
    written = files.excerpt(str(value.value), 24) if isinstance(value, yaml.ScalarNode) else ""
    why = str(exc).partition(":")[0]
    if "integer string conversion" in why:  # Python's int-from-text limit
        why = "too many digits"
    why = files.excerpt(why, 60)
    return (
        f"the front matter value of {name!r} ({written!r}) cannot be read ({why}); expected a "
        "real date such as 2026-11-14, a number or text (quote it to keep it as text)"
    )


# --------------------------------------------------------------------------------------------
# Parsing a note
# --------------------------------------------------------------------------------------------


@dataclass
class ParsedNote:
    """What one note gave: records in document order and problems (with 1-based lines)."""

    records: list[Record] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    line: int
    bold: bool


def parse_note(text: str, entity: str, where: Provenance, currency: str = "USD") -> ParsedNote:
    """Parse one note's text; ``where`` is the file's provenance (its line is replaced per record)."""
    text, cut = bound_tables(text)
    parser = _NoteParser(text, entity, where, currency)
    parser.run()
    parser.out.problems.extend(cut)
    return parser.out


#: A note's table is a few dozen rows; one of hundreds of thousands (an export pasted in) would
#: cost the markdown parser seconds and gigabytes (issue 17: 200,000 rows took 116 s, 1.5 GB).
MAX_TABLE_ROWS = 5_000
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
#: What every line ``_DELIMITER_ROW`` matches starts with: a note without one has no table to cut.
_ANY_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[^\S\n]*:?-+:?[^\S\n]*(?:\||$)", re.MULTILINE)


def bound_tables(text: str) -> tuple[str, list[tuple[int | None, str]]]:
    """``text`` with each table's rows past ``MAX_TABLE_ROWS`` blanked (line numbers kept), and
    one problem per table cut. A table is a delimiter row (``|---|---|``) and the lines with a
    ``|`` after it, up to a blank line."""
    if text.count("\n") < MAX_TABLE_ROWS or not _ANY_DELIMITER_ROW.search(text):
        return text, []
    lines = text.split("\n")
    problems: list[tuple[int | None, str]] = []
    index = 1
    while index < len(lines):
        if "-" not in lines[index] or not _DELIMITER_ROW.match(lines[index]):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and "|" in lines[end] and lines[end].strip():
            end += 1
        rows = end - index - 1
        if rows > MAX_TABLE_ROWS:
            for cut in range(index + 1 + MAX_TABLE_ROWS, end):
                lines[cut] = ""
            problems.append(
                (
                    index,
                    f"the table has {rows:,} rows; the first {MAX_TABLE_ROWS:,} are read; "
                    "expected a note's table of a few dozen rows (keep long data in a ledger "
                    "or bookings file)",
                )
            )
        index = end
    return ("\n".join(lines), problems) if problems else (text, [])


#: Below this many brackets and parentheses a note is parsed as written (every ordinary note).
MAX_PLAIN_BRACKETS = 2_000
_BRACKET = re.compile(r"\\.|[\[\]()]")
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})")
_CLOSER = {"]": "[", ")": "("}


def _front_matter_end(lines: list[str]) -> int:
    """The index of the line after a front matter block's closing ``---``, or 0 for none."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0


def bound_brackets(text: str) -> str:
    """``text`` with each ``[`` or ``(`` that no bracket closes in its paragraph escaped
    (``\\[``), line numbers kept. markdown-it looks for the end of a link label or destination
    from every opening bracket, to the end of the paragraph: a 200 KB run of ``[`` took 4 s and
    grew quadratically. An escaped bracket reads as the same text. Fenced code is left alone,
    and so is a note with fewer than ``MAX_PLAIN_BRACKETS`` openers."""
    if text.count("[") + text.count("(") < MAX_PLAIN_BRACKETS:
        return text
    lines = text.split("\n")
    unmatched: list[tuple[int, int]] = []  # (line, column) of each opener never closed
    stack: list[tuple[str, int, int]] = []
    fenced = False
    front = _front_matter_end(lines)
    for number, line in enumerate(lines):
        if number < front:
            continue  # YAML, read by its own loader
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            unmatched.extend((n, c) for _, n, c in stack)
            stack = []
            continue
        for match in _BRACKET.finditer(line):
            char = match.group()
            if char in "[(":
                stack.append((char, number, match.start()))
            elif char in _CLOSER and stack and stack[-1][0] == _CLOSER[char]:
                stack.pop()
    unmatched.extend((n, c) for _, n, c in stack)
    by_line: dict[int, list[int]] = {}
    for number, column in unmatched:
        by_line.setdefault(number, []).append(column)
    for number, columns in by_line.items():
        line = lines[number]
        pieces: list[str] = []
        last = 0
        for column in sorted(columns):
            pieces.extend((line[last:column], "\\"))
            last = column
        lines[number] = "".join(pieces) + line[last:]
    return "\n".join(lines)


def _cut_problem(read_to: int) -> str:
    return (
        f"the note holds more than {notechunks.MAX_PARSED_CHARS:,} characters or "
        f"{notechunks.MAX_PARSED_LINES:,} lines of headings, labelled lines and tables; it is "
        f"read to line {read_to:,} and the rest is left out; "
        "expected a handoff note of a few pages (keep long data in a ledger or bookings file)"
    )


class _NoteParser:
    def __init__(self, text: str, entity: str, where: Provenance, currency: str) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.entity = entity
        self.where = where
        self.currency = currency
        self.out = ParsedNote()
        self.section = ""
        self.title = ""
        self.heading = ""  # the nearest heading of any level, which names a funnel
        self.funnel_names: set[str] = set()
        self.funnel_numbers: dict[str, int] = {}  # base name -> the last number given it

    def at(self, line: int | None, end: int | None = None) -> Provenance:
        return self.where.at_line(line, end)

    def run(self) -> None:
        prepared = notechunks.parse_text(self.text)
        tokens = _MD.parse(bound_brackets(prepared.text))
        if prepared.cut:
            self.lines = self.lines[: prepared.read_to]
        body_start = 0
        if tokens and tokens[0].type == "front_matter":
            self.front_matter(tokens[0])
            body_start = (tokens[0].map or (0, 0))[1]
        elif self.lines and self.lines[0].strip() == "---" and _looks_like_front_matter(self.lines):
            self.out.problems.append(
                (1, "the front matter opened with --- on line 1 is never closed; "
                    "expected a second --- line after the key: value lines")
            )  # fmt: skip
        list_depth = 0
        index = 0
        headings: list[tuple[int, int, str]] = []
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open":
                title = _plain(tokens[index + 1]) if index + 1 < len(tokens) else ""
                level = int(token.tag[1:])
                line = (token.map or (0, 0))[0]
                if level == 1 and not self.title:
                    self.title = title
                if level >= 2:
                    self.heading = title
                if level == 2:
                    self.section = title
                    headings.append((line, level, title))
                if (
                    level >= 2
                    and index + 4 < len(tokens)
                    and tokens[index + 3].type == ("paragraph_open")
                ):
                    self.heading_fact(title, tokens[index + 4])
                index += 3
                continue
            if token.type in ("bullet_list_open", "ordered_list_open"):
                if (after := self.arrow_funnel(tokens, index)) is not None:
                    index = after
                    continue
                list_depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            elif token.type == "table_open":
                index = self.table(tokens, index)
                continue
            elif token.type == "inline" and token.map is not None:
                for item in _inline_lines(token):
                    self.label_line(item, in_list=list_depth > 0)
            elif (
                token.type == "html_block"
                and token.map is not None
                and not token.content.lstrip().startswith(("<!--", "<?", "<![CDATA["))
            ):
                # a Notion callout (<aside>) and the like: its lines without their tags;
                # a comment is hidden on purpose and stays unread
                for offset, raw in enumerate(token.content.splitlines()):
                    text = html.unescape(_TAG.sub("", raw))
                    self.label_line(_Line(text, token.map[0] + offset + 1, False), in_list=False)
            index += 1
        self.sections(body_start, headings)
        if prepared.cut:
            self.out.problems.append((prepared.read_to, _cut_problem(prepared.read_to)))

    # ---- front matter

    def front_matter(self, token: Token) -> None:
        start = (token.map or (0, 0))[0]
        first_line = start + 2  # 1-based line of the first key (after the opening ---)
        content = self.bounded_front_matter(token.content, first_line)
        try:
            loader = _FrontMatterLoader(content)
            try:
                node = loader.get_single_node()
                if node is None:
                    return
                if not isinstance(node, yaml.MappingNode):
                    self.out.problems.append(
                        (first_line, "the front matter is not a set of key: value pairs; "
                            "expected lines such as 'burn: $8K/mo' between the --- markers")
                    )  # fmt: skip
                    return
                self.yaml_mapping(loader, node, first_line, "")
            finally:
                loader.dispose()
        except (yaml.YAMLError, RecursionError) as exc:  # nesting deeper than Python recurses
            mark = getattr(exc, "problem_mark", None)
            context = getattr(exc, "context_mark", None)
            if mark is None or (context is not None and mark.index >= len(token.content.rstrip())):
                mark = context  # the parser ran off the end: point at what was left open
            line = first_line + mark.line if mark is not None else first_line
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.out.problems.append(
                (line, f"the front matter is not valid YAML ({problem}); "
                    "expected 'key: value' lines between the --- markers")
            )  # fmt: skip

    def bounded_front_matter(self, content: str, first_line: int) -> str:
        """The front matter up to ``MAX_FRONT_MATTER_LINES``, cut before a top-level key so what
        is read stays valid YAML; a longer one is one problem. PyYAML's loader takes 4 to 8 s a
        MB of keys (and every key is a fact): front matter is a few lines of facts, not a table."""
        lines = content.splitlines(keepends=True)
        if len(lines) <= MAX_FRONT_MATTER_LINES:
            return content
        cut = next(
            (
                index
                for index in range(MAX_FRONT_MATTER_LINES, 0, -1)
                if lines[index][:1] not in ("", " ", "\t", "-", "#", "\n", "\r")
            ),
            MAX_FRONT_MATTER_LINES,
        )
        self.out.problems.append(
            (
                first_line + cut,
                f"the front matter has {len(lines):,} lines; the first {cut:,} are read; "
                "expected a few key: value lines (put tables and long lists in the note's body)",
            )
        )
        return "".join(lines[:cut])

    def yaml_mapping(
        self, loader: yaml.SafeLoader, node: yaml.MappingNode, first_line: int, prefix: str
    ) -> None:
        """A fact per key; a nested mapping gives a fact per leaf, labelled by its key path.

        A key or value YAML cannot build (``updated: 2026-13-45``) is one problem at its line;
        the other keys are read.
        """
        for key_node, value_node in node.value:
            line = first_line + key_node.start_mark.line
            try:
                label = prefix + str(loader.construct_object(key_node, deep=True))
                if isinstance(value_node, yaml.MappingNode) and value_node.value:
                    self.yaml_mapping(loader, value_node, first_line, f"{label}.")
                    continue
                value = loader.construct_object(value_node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                self.out.problems.append((line, _bad_yaml_value(key_node, value_node, exc)))
                continue
            self.add_yaml_fact(label, value, line)

    def add_yaml_fact(self, label: str, value: Any, line: int) -> None:
        term = lookup(label)
        try:
            typed, raw = _yaml_value(value, term, self.currency)
        except AbsurdValue as exc:
            self.absurd(label, exc, line)
            return
        self.out.records.append(
            Fact(
                entity=self.entity,
                provenance=self.at(line),
                section=FRONT_MATTER,
                label=label,
                key=term.key if term else slug(label),
                value=settle(typed),
                raw=raw,
                known=term is not None,
            )
        )

    # ---- label: value lines

    def label_line(self, item: _Line, *, in_list: bool) -> None:
        # one space for any run of white space keeps the label patterns linear on long lines
        text = " ".join(_strip_symbols(_TASK.sub("", item.text)).split())
        if not text or self.chain_funnel(text, item.line):
            return
        match = (_COLON_TIGHT if item.bold else _COLON).match(text)
        label = value = None
        if match and _label_ok(match.group("label")):
            label, value = match.group("label"), match.group("value")
        else:
            dash = _DASH.match(text)
            if dash:
                candidate = dash.group("label") or dash.group("label2")
                rest = dash.group("value") or dash.group("value2")
                if _label_ok(candidate) and (item.bold or in_list or lookup(candidate, exact=True)):
                    label, value = candidate, rest
        if label is None or value is None or not value.strip():
            return
        label = label.strip()
        if lookup(label, exact=True) is None and _prose(label, plain=not (item.bold or in_list)):
            return
        self.add_fact(label, value.strip(), item.line)

    def heading_fact(self, title: str, paragraph: Token) -> None:
        """A heading that is a known label, with its value on the first line below it.

        ``### Cash on hand`` then ``$12,400 in checking``. Only when that line starts with a
        value (a number, an amount, *about*, *none*, ...) and the value reads as the term's
        type, so that prose under a heading named like a figure is not taken for the figure.
        """
        term = lookup(_strip_symbols(title), exact=True)
        if term is None or paragraph.type != "inline" or paragraph.map is None:
            return
        first = _inline_lines(paragraph)[0]
        text = " ".join(first.text.split())
        if not _VALUE_START.match(text) or ": " in text:
            return
        try:
            value = read_value(text, term.types, self.currency)
        except AbsurdValue as exc:
            self.absurd(_strip_symbols(title).strip(), exc, first.line)
            return
        if value is None or isinstance(value, str):
            return
        self.add_fact(_strip_symbols(title).strip(), text, first.line)

    def absurd(self, label: str, exc: AbsurdValue, line: int) -> None:
        """A known label whose value no note can state: one problem, and no fact."""
        self.out.problems.append(
            (line, f"{files.excerpt(label, 48)}: {exc}; the fact is left unknown")
        )

    def add_fact(self, label: str, value: str, line: int, section: str | None = None) -> None:
        term = lookup(label)
        typed: FactValue = value
        if term is not None:
            try:
                read = read_value(value, term.types, self.currency)
            except AbsurdValue as exc:
                self.absurd(label, exc, line)
                return
            typed = value if read is None else read
        self.out.records.append(
            Fact(
                entity=self.entity,
                provenance=self.at(line),
                section=self.section if section is None else section,
                label=label,
                key=term.key if term else slug(label),
                value=settle(typed),
                raw=value,
                known=term is not None,
            )
        )

    # ---- tables

    def table(self, tokens: list[Token], index: int) -> int:
        header: list[str] = []
        rows: list[tuple[int, list[str]]] = []
        current: list[str] = []
        in_head = False
        row_line = 0
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                current = []
                row_line = (token.map or (0, 0))[0] + 1
            elif token.type == "inline":
                current.append(_plain(token).strip())
            elif token.type == "tr_close":
                if in_head:
                    header = current
                else:
                    rows.append((row_line, current))
            index += 1
        self.table_records(header, rows)
        return index + 1

    def table_records(self, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        names = [normalize_label(cell) for cell in header]
        if len(names) >= 2 and names[0] in STEP_HEADERS:
            count_column = next((i for i, n in enumerate(names) if i and n in COUNT_HEADERS), None)
            if count_column is None and all(
                len(cells) > 1 and _INT.fullmatch(cells[1].strip()) for _, cells in rows
            ):
                count_column = 1
            if count_column is not None:
                self.funnel(rows, count_column)
                return
        value_column = 1 if len(names) == 2 else None
        if value_column is None:
            value_column = next((i for i, n in enumerate(names) if i and n in VALUE_HEADERS), None)
        newest = _newest_first(header) if value_column is None else []
        for line, cells in rows:
            if not cells or not cells[0]:
                continue
            if value_column is not None:
                if value_column < len(cells) and cells[value_column]:
                    self.add_fact(cells[0], cells[value_column], line)
                continue
            # in a table of months, a known row's latest month is its fact ("Cash (Nov)")
            width = min(len(cells), len(header))
            latest = next((c for c in newest if c < width and cells[c]), None)
            if latest is not None and lookup(cells[0]) is None:
                latest = None
            for column in range(1, width):
                if column == latest:
                    self.add_fact(f"{cells[0]} ({header[column]})", cells[column], line)
                elif cells[column]:
                    label = f"{cells[0]} ({header[column]})"
                    self.out.records.append(
                        Fact(
                            entity=self.entity,
                            provenance=self.at(line),
                            section=self.section,
                            label=label,
                            key=slug(f"{cells[0]} {header[column]}"),
                            value=settle(cells[column]),
                            raw=cells[column],
                            known=False,
                        )
                    )

    def funnel_name(self, label: str = "") -> str:
        """The label, else the nearest heading's title; a second funnel of that name gets ' (2)'."""
        base = label or self.heading or self.title or "Funnel"
        name, number = base, 1
        if base in self.funnel_names:
            # numbers below the last one given for this base are taken: start there (linear)
            number = self.funnel_numbers.get(base, 1)
        while name in self.funnel_names:
            number += 1
            name = f"{base} ({number})"
        self.funnel_names.add(name)
        self.funnel_numbers[base] = number
        return name

    def chain_funnel(self, text: str, line: int) -> bool:
        """A line 'Funnel: Enquiries 30 → Quotes 12 → Bookings 0' (2+ steps, each with a count)
        gives funnel steps, all cited at that line; False when the line is anything else."""
        label = ""
        match = _COLON.match(text)
        if match and _label_ok(match.group("label")) and _ARROWS.search(match.group("value")):
            label, text = match.group("label").strip(), match.group("value")
        parts = _ARROWS.split(text)
        if len(parts) < 2:
            return False
        steps: list[tuple[str, int]] = []
        for part in parts:
            step = _CHAIN_STEP.match(part.strip())
            if step is None:
                return False
            name = (step.group("name") or step.group("name2")).strip()
            count = step.group("n") or step.group("n2")
            if len(count) > MAX_AMOUNT_CHARS:
                return False  # no funnel counts that; read the line as a label line
            if (problem := _funnel_count_problem(name, count, "funnel on this line")) is not None:
                self.out.problems.append((line, problem))
                return True  # the line is a funnel, with a count no funnel holds
            steps.append((name, int(count.replace(",", ""))))
        funnel = self.funnel_name(label)
        for order, (name, count) in enumerate(steps, start=1):
            self.out.records.append(
                FunnelStep(
                    entity=self.entity,
                    provenance=self.at(line),
                    funnel=funnel,
                    step=name,
                    count=count,
                    order=order,
                )
            )
        return True

    def arrow_funnel(self, tokens: list[Token], index: int) -> int | None:
        """A list whose every item is 'Step → count' (2+ items) is a funnel; the index after it.

        None (and nothing read) when the list is anything else.
        """
        opened = tokens[index]
        close = opened.type.replace("_open", "_close")
        items: list[tuple[int, str, int]] = []
        bad: list[tuple[int | None, str]] = []
        end = index + 1
        while end < len(tokens) and not (
            tokens[end].type == close and tokens[end].level == opened.level
        ):
            token = tokens[end]
            if token.type == "inline":
                lines = _inline_lines(token)
                match = _ARROW_STEP.match(" ".join(_strip_symbols(lines[0].text).split()))
                if token.level != opened.level + 3 or len(lines) != 1 or match is None:
                    return None
                if len(match.group("count")) > MAX_AMOUNT_CHARS:
                    return None
                problem = _funnel_count_problem(match.group("step").strip(), match.group("count"))
                if problem is not None:
                    bad.append((lines[0].line, problem))
                    end += 1
                    continue
                count = int(match.group("count").replace(",", ""))
                items.append((lines[0].line, match.group("step").strip(), count))
            end += 1
        if len(items) + len(bad) < 2:
            return None
        self.out.problems.extend(bad)
        funnel = self.funnel_name()
        for order, (line, step, count) in enumerate(items, start=1):
            self.out.records.append(
                FunnelStep(
                    entity=self.entity,
                    provenance=self.at(line),
                    funnel=funnel,
                    step=step,
                    count=count,
                    order=order,
                )
            )
        return end + 1

    def funnel(self, rows: list[tuple[int, list[str]]], count_column: int) -> None:
        funnel = self.funnel_name()
        order = 0
        for line, cells in rows:
            if not cells or not cells[0]:
                continue
            raw = cells[count_column].strip() if count_column < len(cells) else ""
            match = _INT.match(raw)
            digits = match.group(1) if match else ""
            problem = _funnel_count_problem(cells[0], digits) if digits else None
            if problem is not None and len(digits) <= MAX_AMOUNT_CHARS:
                self.out.problems.append((line, problem))
                continue
            if match is None or len(match.group(1)) > MAX_AMOUNT_CHARS:
                self.out.problems.append(
                    (line, f"the funnel step {cells[0]!r} has no count ({files.excerpt(raw, 24)!r}); "
                        "expected a whole number such as 23")
                )  # fmt: skip
                continue
            order += 1
            self.out.records.append(
                FunnelStep(
                    entity=self.entity,
                    provenance=self.at(line),
                    funnel=funnel,
                    step=cells[0],
                    count=int(match.group(1).replace(",", "")),
                    order=order,
                )
            )

    # ---- sections

    def sections(self, body_start: int, headings: list[tuple[int, int, str]]) -> None:
        starts = [(body_start, self.title)] + [(line, title) for line, _, title in headings]
        for number, (start, title) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(self.lines)
            while end > start and not self.lines[end - 1].strip():
                end -= 1  # trailing blank lines are not the section's
            chunk = self.lines[start:end]
            if not chunk or (number == 0 and not any(line.strip() for line in chunk)):
                continue
            self.out.records.append(
                NoteSection(
                    entity=self.entity,
                    provenance=self.at(start + 1, start + len(chunk)),
                    title=title,
                    text="\n".join(chunk),
                )
            )


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PERIOD_HEADER = re.compile(
    r"^(?:(?P<month>[a-z]{3,9})\.?(?:\s+'?(?P<myear>\d{4}|\d{2}))?"
    r"|(?P<ym>\d{4})-(?P<mm>\d{2})"
    r"|(?:(?P<qy1>\d{4})[\s-]?)?q(?P<q>[1-4])(?:[\s-]?(?P<qy2>\d{4}))?"
    r"|(?P<year>\d{4}))$"
)


def _period(header: str) -> tuple[int | None, int, int] | None:
    """A column header read as a period: (year or None, position in the year, periods a year)."""
    match = _PERIOD_HEADER.match(" ".join(header.lower().split()))
    if match is None:
        return None
    if match.group("month"):
        name = match.group("month")
        if not any(full.startswith(name) for full in _MONTH_NAMES):
            return None
        year = match.group("myear")
        if year is not None and len(year) == 2:
            year = "20" + year
        return (int(year) if year else None, _MONTHS.index(name[:3]) + 1, 12)
    if match.group("ym"):
        month = int(match.group("mm"))
        return (int(match.group("ym")), month, 12) if 1 <= month <= 12 else None
    if match.group("q"):
        year = match.group("qy1") or match.group("qy2")
        return (int(year) if year else None, int(match.group("q")), 4)
    return (int(match.group("year")), 1, 1)


def _newest_first(header: list[str]) -> list[int]:
    """For a table whose columns after the first are all periods (Sep | Oct | Nov, 2026-Q3,
    2025), its column indexes from the newest period to the oldest; else an empty list.

    Without years, months (or quarters) that step forward from the first column to the second
    mean the newest is on the right.
    """
    periods = [_period(cell) for cell in header[1:]]
    if len(periods) < 2 or any(p is None for p in periods):
        return []
    known = [p for p in periods if p is not None]
    columns = list(range(1, len(header)))
    if all(year is not None for year, _, _ in known):
        ranked = sorted(columns, key=lambda c: (known[c - 1][0], known[c - 1][1] / known[c - 1][2]))
        return ranked[::-1]
    (_, first, size), (_, second, _) = known[0], known[1]
    forward = (second - first) % size <= size // 2
    return columns[::-1] if forward else columns


def _strip_symbols(text: str) -> str:
    """Text without the emoji and symbols before its first word ("⚠️ Runway: 4 months").

    Notion exports and chat-style notes start callouts and bullets with an emoji; the label
    is what follows it.
    """
    index = 0
    while index < len(text) and (
        text[index].isspace()
        or text[index] in "\ufe0f\u200d"
        or unicodedata.category(text[index]) in ("So", "Sk")
    ):
        index += 1
    return text[index:]


def _looks_like_front_matter(lines: list[str]) -> bool:
    return len(lines) > 1 and bool(re.match(r"^[\w -]+:", lines[1]))


def _label_ok(label: str | None) -> bool:
    """Whether text before a colon can be a label: short, starting with a letter, no sentence
    marks. A parenthesis is an aside and does not count ("Equity promised to Sam (our first
    engineer)"), and a label naming a known term may run to :data:`MAX_KNOWN_LABEL_WORDS`."""
    if not label:
        return False
    label = label.strip()
    if not label or len(label) > MAX_RAW_LABEL_CHARS or not label[0].isalpha():
        return False
    bare = " ".join(_strip_parens(label).split())
    if not bare or _LABEL_BAD.search(bare) or "(" in bare:
        return False
    if len(bare) <= MAX_LABEL_CHARS and len(bare.split()) <= MAX_LABEL_WORDS:
        return True
    return (
        len(bare) <= MAX_KNOWN_LABEL_CHARS
        and len(bare.split()) <= MAX_KNOWN_LABEL_WORDS
        and lookup(bare) is not None
    )


def _prose(label: str, *, plain: bool) -> bool:
    """Whether an unknown label is really the start of a sentence ("We were busy: ...").

    In plain paragraphs (no bullet, no bold) an unknown label must also be short and
    capitalised, since wrapped prose puts any words before a colon at the start of a line.
    """
    label = " ".join(_strip_parens(label).split()) or label  # an aside is not the sentence
    if _VERB.search(label):
        return True
    return plain and (len(label.split()) > PLAIN_LABEL_WORDS or not label[0].isupper())


def _plain(token: Token) -> str:
    """The text of an inline token without markup (links keep their text, code its content)."""
    return "\n".join(item.text for item in _inline_lines(token))


def _inline_lines(token: Token) -> list[_Line]:
    """An inline token split at its line breaks, as plain text with 1-based line numbers."""
    start = (token.map or (0, 0))[0] + 1
    out: list[_Line] = []
    parts: list[str] = []
    bold = seen = False
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak"):
            out.append(_Line("".join(parts), start + len(out), bold))
            parts, bold, seen = [], False, False
        elif child.type == "strong_open":
            bold = bold or not seen
        elif child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
            seen = seen or bool(_strip_symbols(_TASK.sub("", child.content)))
    out.append(_Line("".join(parts), start + len(out), bold))
    return out


# --------------------------------------------------------------------------------------------
# The plugin
# --------------------------------------------------------------------------------------------


class HandoffSource(BaseSource):
    """Reads markdown handoff notes (a file, several files, or a folder of ``.md`` files)."""

    name = KIND
    description = "Markdown handoff notes: labelled facts, tables, funnels and front matter."

    def collect(self, request: SourceRequest) -> SourceResult:
        """Parse every configured note; unreadable notes become SourceErrors, the rest is kept."""
        locations, errors = files.expand(request, suffixes=SUFFIXES)
        records: list[Record] = []
        read: list[files.Location] = []
        dates: list[date | None] = []
        scanner = Scanner(request.fingerprint_key, request.allowlist)
        for loc in locations:
            dropped: list[tuple[int, str]] = []
            try:
                text = files.read_text(
                    loc,
                    max_line_bytes=MAX_NOTE_LINE_BYTES,
                    bad_line=functools.partial(_keep_line, dropped),
                )
            except files.ReadError as exc:
                errors.append(exc.to_error(request, KIND))
                continue
            errors.extend(_dropped_lines(request, loc, dropped))
            read.append(loc)
            if not text.strip():
                errors.append(
                    SourceError(
                        entity=request.entity.id,
                        source_kind=KIND,
                        provenance=Provenance(loc.display),
                        message="is empty; expected the entity's handoff note",
                        fatal=False,
                    )
                )
                continue
            where = files.provenance(loc)
            # Secrets are replaced before the note is parsed, so no fact, table cell or section
            # can hold one; each becomes a SecretFinding at its line.
            secrets = scan_free_text(text, scanner, loc.display)
            if secrets:
                text = redact_text(text, secrets)
                records.extend(
                    s.to_record(request.entity.id, where.at_line(s.line)) for s in secrets
                )
            note = parse_note(text, request.entity.id, where, request.currency)
            records.extend(note.records)
            for line, message in note.problems:
                errors.append(
                    SourceError(
                        entity=request.entity.id,
                        source_kind=KIND,
                        provenance=Provenance(loc.display, line),
                        message=message,
                        fatal=False,
                    )
                )
            dates.extend(
                record.value
                for record in note.records
                if isinstance(record, Fact)
                and record.key == "updated"
                and isinstance(record.value, date)
            )
        return files.finish(request, KIND, read, records, errors, dates)


def _keep_line(dropped: list[tuple[int, str]], number: int, why: str) -> None:
    dropped.append((number, why))


def _dropped_lines(
    request: SourceRequest, loc: files.Location, dropped: list[tuple[int, str]]
) -> list[SourceError]:
    """One warning per note line left unread (invalid UTF-8, or past ``MAX_NOTE_LINE_BYTES``)."""
    return [
        SourceError(
            entity=request.entity.id,
            source_kind=KIND,
            provenance=Provenance(loc.display, number),
            message="the line "
            + why.replace("has a line longer", "is longer", 1).replace(
                "; expected", "; it is left out and the rest of the note read; expected", 1
            ),
            fatal=False,
        )
        for number, why in dropped[:ROW_ERRORS_SHOWN]
    ]


@hookimpl
def register_sources() -> list[Source]:
    """The handoff notes source."""
    return [HandoffSource()]
