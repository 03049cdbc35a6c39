"""The last line of "secrets are never held": redact any secret a source let into its records.

Sources that look for secrets (``env``, ``code``) keep only fingerprints. Every other source reads
free text — a note's ``Stripe key: sk_live_...`` line, a ledger memo, a bad cell quoted in an
error — and could carry a secret into the snapshot, and from there into reports, JSON exports and
the store. ``redact_result`` scans every text field of every record and error with the secret
scanner, and checks each of its tokens against the fingerprints of every secret the run's sources
found (a password in ``.env`` is then caught when a note repeats it, whatever its shape). A field
that holds one is replaced, line by line, by a marker naming its kind and fingerprint; each
redaction becomes a ``SecretFinding`` so the CTO report can flag the secret where it was written.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.secrets.guard import MIN_TOKEN, candidate_tokens
from execbrief.secrets.scanner import (
    Detection,
    Scanner,
    ValueContext,
    judge_value,
    line_context,
    secret_name,
)
from execbrief.snapshot import Provenance, Record, SourceResult

#: No secret the scanner or the guard recognises is shorter than this.
MIN_SECRET = MIN_TOKEN

#: Records that already hold fingerprints only.
_SAFE = (SecretFinding, EnvKey)

#: The words that, ending a label, say the value after it is a secret, as people write them in
#: notes and memos: ``Admin password:``, ``Wi-Fi pw:``, ``**Router password:**``, ``API key =``.
_LABEL_WORD = (
    r"(?:passwords?|passwd|passphrase|passcode|pwd|pw|secrets?|tokens?"
    r"|(?:api|access|secret|private|license)[ _-]?keys?)"
)
#: A label, its separator (``:``, ``=``, a table's ``|``, or ``is`` in prose), the value; markdown
#: emphasis may wrap the label and a code span the value.
_LABELLED = re.compile(
    rf"(?i)(?<![\w-]){_LABEL_WORD}[*_]{{0,3}}[ \t]*(?::|=|\bis\b|\|)[ \t]*[*_]{{0,3}}[ \t]*`?"
    r"(?P<value>[^\s`|]+)"
)
_LABEL_ONLY = re.compile(rf"(?i)^(?:[\w-]+\s+){{0,3}}{_LABEL_WORD}$")
_LABEL_HINTS = ("pass", "pw", "pwd", "secret", "token", "key")
#: Any of the hints in any case: it finds at least what ``hint in line.lower()`` finds.
_ANY_HINT = re.compile("|".join(_LABEL_HINTS), re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_KEY_BODY = re.compile(r"^\s*(?:[A-Za-z0-9+/=]{16,}|[\w-]+: .*)\s*$")
_MAX_KEY_LINES = 200
#: How many token fingerprints a redactor remembers.
_MAX_TOKENS = 200_000


def marker(detection: Detection) -> str:
    """What replaces a secret: ``[redacted: Stripe secret key (live), fingerprint ab12cd34]``."""
    return f"[redacted: {detection.label}, fingerprint {detection.fingerprint[:8]}]"


def _category(label: str) -> tuple[str, bool]:
    words = label.lower().replace("pwd", "password").split()
    named = secret_name("_".join("password" if w == "pw" else w for w in words))
    return named if named is not None else ("password", True)


def _value_hit(
    scanner: Scanner, file: str, line: int, label: str, start: int, value: str
) -> Detection | None:
    """A labelled value that reads as a credential, as a detection at its columns."""
    value = value.rstrip(".,;*_)")
    category, strong = _category(label)
    if not judge_value(value, ValueContext(category, strong)):
        return None
    fingerprint = scanner.fingerprint(value)
    if scanner.allowlist_reason(fingerprint, file) is not None:
        return None
    return Detection(
        kind=category,
        file=file,
        line=line,
        live=None,
        length=len(value),
        prefix_class=None,
        fingerprint=fingerprint,
        detector="label",
        span=(start, start + len(value)),
    )


def _cells(line: str) -> list[tuple[int, str]]:
    """A markdown table row's cells with the column each starts at (outer pipes dropped)."""
    cells, column = [], 0
    for part in line.split("|"):
        stripped = part.strip()
        cells.append((column + part.find(stripped) if stripped else column, stripped))
        column += len(part) + 1
    if cells and not cells[0][1]:
        cells = cells[1:]
    if cells and not cells[-1][1]:
        cells = cells[:-1]
    return cells


def labelled_values(text: str, scanner: Scanner, file: str) -> list[Detection]:
    """Secrets written after a label in prose, a list or a table: ``Admin password: …``,
    ``pw: …``, ``the admin password is …``, a ``| Staff pw | … |`` row, or a cell under a
    ``Password`` column. The scanner's rules read code and config; these read what people write."""
    if "|" not in text and not _ANY_HINT.search(text):
        return []  # no table to read and no label word on any line
    found: list[Detection] = []
    secret_columns: set[int] = set()
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "|" not in line:
            secret_columns = set()
        elif number < len(lines) and _TABLE_RULE.match(lines[number]):
            header = _cells(line)
            secret_columns = {i for i, (_, cell) in enumerate(header) if _LABEL_ONLY.match(cell)}
            continue
        elif secret_columns:
            for index, (column, cell) in enumerate(_cells(line)):
                if index in secret_columns and cell and " " not in cell:
                    hit = _value_hit(scanner, file, number, "password", column, cell.strip("`"))
                    found.extend([hit] if hit else [])
        low = line.lower()
        if not any(hint in low for hint in _LABEL_HINTS):
            continue
        for match in _LABELLED.finditer(line):
            label = match.group(0)[: match.start("value") - match.start()].strip(" \t*_:=|`")
            label = label.removesuffix(" is").removesuffix(" IS").strip(" \t*_")
            hit = _value_hit(
                scanner, file, number, label, match.start("value"), match.group("value")
            )
            found.extend([hit] if hit else [])
    return found


def _overlaps(a: Detection, b: Detection) -> bool:
    if a.line != b.line or a.span is None or b.span is None:
        return False
    return a.span[0] < b.span[1] and b.span[0] < a.span[1]


def scan_free_text(text: str, scanner: Scanner, file: str) -> list[Detection]:
    """The secrets in text people wrote (a note, a memo, a name): the scanner's rules, reading
    unquoted values too, plus labelled values; allowlisted detections are left out."""
    hits = [d for d in scanner.scan_text(text, file, unquoted=True) if d.allowlisted is None]
    for extra in labelled_values(text, scanner, file):
        if not any(_overlaps(extra, hit) for hit in hits):
            hits.append(extra)
    return hits


def _key_end(lines: list[str], detection: Detection) -> int:
    """The last line (1-based) of a private-key block: its END line, or the last body line of a
    block that never closes."""
    if detection.end_line is not None and detection.end_line > detection.line:
        return detection.end_line
    last = detection.line
    while last < len(lines) and last - detection.line < _MAX_KEY_LINES:
        if not _KEY_BODY.match(lines[last]):
            break
        last += 1
    return last


def redact_text(text: str, detections: Iterable[Detection]) -> str:
    """``text`` with each detection replaced by its marker, line count kept: a value at its
    columns, a private-key block whole (its first line the marker, the rest emptied), a detection
    without columns as its whole line."""
    lines = text.split("\n")
    spans: dict[int, list[Detection]] = {}
    for detection in detections:
        index = detection.line - 1
        if not 0 <= index < len(lines):
            continue
        if detection.detector == "private-key":
            for other in range(index + 1, _key_end(lines, detection)):
                lines[other] = ""
            lines[index] = marker(detection)
        elif detection.span is None:
            lines[index] = marker(detection)
        else:
            spans.setdefault(index, []).append(detection)
    for index, found in spans.items():
        line = lines[index]
        for detection in sorted(found, key=lambda d: d.span or (0, 0), reverse=True):
            start, end = detection.span or (0, len(line))
            if line[start:end] and len(line[start:end]) == detection.length:
                line = line[:start] + marker(detection) + line[end:]
            else:  # the line changed under the span (a marker already there): the whole line
                line = marker(detection)
        lines[index] = line
    return "\n".join(lines)


class Redactor:
    """A scanner plus the fingerprints of the secrets the run has already seen.

    Strings found clean are remembered: account names, channels and statuses repeat on every row,
    and scanning each distinct string once keeps redaction a small share of collect's cost.
    """

    def __init__(
        self,
        scanner: Scanner,
        known: frozenset[str] = frozenset(),
        *,
        tokens: dict[str, str] | None = None,
        untouched: dict[str, tuple[str, ...]] | None = None,
        index: set[str] | None = None,
    ) -> None:
        self.scanner = scanner
        self.known = known
        #: Texts clean in any file: too short to hold a secret, or read by no rule (``prescan``).
        self._clean: set[str] = set()
        #: (file, text) for each text the rules read and found clean in that file.
        self._clean_in_file: set[tuple[str, str]] = set()
        self._paths: dict[str, str] = {}
        #: Token -> fingerprint; redactors of one process may share it (it depends on the key only).
        self._tokens: dict[str, str] = {} if tokens is None else tokens
        #: Text no rule or label can read (``prescan``) -> its tokens' fingerprints; redactors of
        #: one process may share it (it depends on the key only): the entities of a portfolio
        #: repeat each other's accounts, memos and names, each then tokenised once.
        self._untouched: dict[str, tuple[str, ...]] = {} if untouched is None else untouched
        self._clean_source: str | None = None
        #: When a set: the fingerprint of every candidate token of every text this redactor has
        #: scanned. Redacting against ``known`` plus fingerprints none of which is in it gives the
        #: same result, so a caller who learns of more secrets later can tell whether they matter.
        self.index = index

    def scan(self, text: str, where: Provenance) -> list[Detection]:
        """Secrets in ``text``: by the scanner's rules and labels, or by a token whose fingerprint
        is known."""
        if len(text) < MIN_SECRET or text in self._clean:
            return []
        # what the rules find depends on the file (its allowlist, its kind), so a text the
        # rules read is clean only in the file it was found clean in
        in_file = (where.source, text)
        if in_file in self._clean_in_file:
            return []
        hits = scan_free_text(text, self.scanner, where.source)
        if self.known or self.index is not None:
            hits.extend(self._known_hits(text, where, {hit.line for hit in hits}))
        if not hits:
            if len(self._clean_in_file) >= _MAX_CLEAN:  # a ledger's unique references: bounded
                self._clean_in_file.clear()
            self._clean_in_file.add(in_file)
        return hits

    def prescan(self, found: Iterable[Any], source: str) -> None:
        """Scan the new texts among ``found`` (values of one file's records) at once: each that
        ``scan`` would find clean is remembered clean, and every token's fingerprint joins the
        ``index``, as ``scan`` does.

        A text that no keyword, label word or ``|`` touches needs no rule (``_untouched``): it is
        clean when none of its tokens is a known secret. Anything else is left to ``scan``, text
        by text."""
        clean = self._clean
        texts = [t for t in found if type(t) is str and len(t) >= MIN_SECRET and t not in clean]
        if not texts or line_context(source, True).every_line:
            return
        if len(clean) + len(texts) >= _MAX_CLEAN:
            clean.clear()  # room for these, not forgotten before the records that hold them
        untouched = self._untouched
        if len(untouched) + len(texts) >= _MAX_CLEAN:
            untouched.clear()
        self._remember_untouched([text for text in texts if text not in untouched])
        index, known = self.index, self.known
        for text in texts:
            prints = untouched.get(text)
            if prints is None:
                continue  # a rule or a label may read it: ``scan`` does
            if index is not None:
                index.update(prints)
            if known.isdisjoint(prints):
                clean.add(text)

    def _remember_untouched(self, texts: list[str]) -> None:
        """Note in ``_untouched`` each of ``texts`` that no keyword, label word or ``|`` touches,
        with its tokens' fingerprints. The texts are joined by line breaks (which no keyword, label
        or table cell holds or crosses) and the joined text is searched in C."""
        if not texts:
            return
        joined = "\n".join(texts)
        starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
        lower = joined.encode("utf-8", "surrogatepass").lower()
        flagged = _touched(starts, _label_spans(joined, lower))
        if len(lower) != len(joined):  # not ASCII: count the texts' bytes
            sizes = (len(t.encode("utf-8", "surrogatepass")) + 1 for t in texts)
            starts = list(itertools.accumulate(sizes, initial=0))
        flagged |= _touched(starts, self.scanner.keyword_spans(lower))
        for number, text in enumerate(texts):
            if number not in flagged:
                self._untouched[text] = tuple(self._fingerprints(candidate_tokens(text)))

    def unchanged(self, record: Any, values: tuple[Any, ...]) -> bool:
        """Whether redaction leaves ``record`` as it is, told cheaply: its paths are known clean
        and each of its field ``values`` holds no text or a string found clean (scanned here
        when new, as ``_redact`` would). False means: redact it field by field."""
        where = record.provenance
        known_clean = where.source is self._clean_source and where.detail is None
        if not known_clean and not self._clean_paths(where):
            return False
        shape = tuple(map(type, values))
        texts_of = _TEXTS_OF.get(shape, _UNSEEN)
        if texts_of is _UNSEEN:
            texts_of = _texts_getter(shape)
        if texts_of is None:
            return False  # a tuple or dict: walked by ``_redact``
        texts = texts_of(values)
        clean = self._clean
        if clean.issuperset(texts):
            return True
        for text in texts:
            if text in clean:
                continue
            if len(text) < MIN_SECRET:
                clean.add(text)  # never a secret; remembered so the next row's check is one call
            elif self.scan(text, where):
                return False
        return True

    def all_unchanged(
        self, records: tuple[Any, ...], fields: tuple[Callable[[Any], Any], ...]
    ) -> bool:
        """Whether ``unchanged`` holds for each of ``records`` (of one kind and file), told at
        once and leaving the redactor as asking record by record would: their paths are known
        clean and each of their texts is short or known clean. False means: ask each."""
        if not self._clean_paths(records[0].provenance):  # what the first one asks first
            return False
        details = set(map(_DETAIL, records))
        details.discard(None)
        if any(self._paths.get(detail) != detail for detail in details):
            return False  # a path not cleaned yet: cleaned record by record, in their order
        texts = _texts_among([list(map(field, records)) for field in fields])
        if texts is None:
            return False
        new = texts.difference(self._clean)
        if any(len(text) >= MIN_SECRET for text in new):
            return False  # a text to scan
        self._clean.update(new)  # never a secret, as ``unchanged`` remembers them
        return True

    def _clean_paths(self, where: Provenance) -> bool:
        """Whether the paths a provenance cites are clean (the last clean file is remembered)."""
        if self.clean_path(where.source) != where.source:
            return False
        if where.detail is not None:
            return self.clean_path(where.detail) == where.detail
        self._clean_source = where.source
        return True

    def _known_hits(self, text: str, where: Provenance, flagged: set[int]) -> list[Detection]:
        """The first token with a known fingerprint on each line no rule flagged, as detections;
        with an ``index``, every token's fingerprint is noted there too (flagged lines' as well:
        the index may hold more than was checked, never less)."""
        hits = []
        index, known = self.index, self.known
        lines = text.split("\n") if "\n" in text else (text,)
        for number, line in enumerate(lines, 1):
            if number in flagged and index is None:
                continue
            tokens = candidate_tokens(line)
            if not tokens:
                continue
            prints = self._fingerprints(tokens)
            if index is not None:
                index.update(prints)
            if number in flagged or known.isdisjoint(prints):
                continue  # the common case: one set test for the line, no loop over its tokens
            for token, fingerprint in zip(tokens, prints, strict=True):
                if fingerprint in known:
                    hits.append(_known_hit(token, fingerprint, line, number, where))
                    break
        return hits

    def _fingerprints(self, tokens: set[str]) -> list[str]:
        """Each token's fingerprint, in the set's order, remembered: a ledger's accounts, payees
        and words repeat on every row (the memory is dropped past ``_MAX_TOKENS`` so it stays
        bounded)."""
        memo = self._tokens
        prints = []
        for token in tokens:
            fingerprint = memo.get(token)
            if fingerprint is None:
                if len(memo) >= _MAX_TOKENS:
                    memo.clear()
                fingerprint = memo[token] = self.scanner.fingerprint(token)
            prints.append(fingerprint)
        return prints

    def clean(self, text: str, where: Provenance | None = None) -> str:
        """``text`` with every secret in it replaced by its marker."""
        hits = self.scan(text, where or Provenance(text))
        return redact_text(text, hits) if hits else text

    def clean_path(self, path: str) -> str:
        """A file path or name with any secret in it replaced (``backend/sk_live_….js`` shows as
        ``backend/[redacted: Stripe secret key (live), fingerprint ab12cd34].js``)."""
        cleaned = self._paths.get(path)
        if cleaned is None:
            cleaned = self.clean(path, Provenance(path))
            self._paths[path] = cleaned
        return cleaned


def _label_spans(text: str, lower: bytes) -> Iterator[tuple[int, int]]:
    """Where ``labelled_values`` would look: each label hint and each ``|``. ``lower`` is
    ``text`` encoded and lower-cased: when ``text`` is ASCII (as long in bytes as in characters),
    a hint in any case is one in lower case there, at the same offsets, found by ``bytes.find``
    (the case-folding search matches a non-ASCII ``ſ`` or ``K`` too, so other text gets it)."""
    if len(lower) == len(text):
        for needle in _LOWER_HINTS:
            yield from _occurrences(lower, needle)
        return
    for found in _ANY_HINT.finditer(text):
        yield found.span()
    yield from _occurrences(text, "|")


#: The label hints and the table's ``|`` as ``_label_spans`` finds them in lower-cased ASCII.
_LOWER_HINTS = (*(hint.encode() for hint in _LABEL_HINTS), b"|")


def _occurrences(text: Any, needle: Any) -> Iterator[tuple[int, int]]:
    """The span of each occurrence of ``needle`` in ``text`` (both str, or both bytes)."""
    at = text.find(needle)
    while at >= 0:
        yield at, at + len(needle)
        at = text.find(needle, at + 1)


def _touched(starts: list[int], spans: Iterable[tuple[int, int]]) -> set[int]:
    """The indexes of the joined texts (text ``i`` begins at ``starts[i]``) a span overlaps."""
    touched: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, max(start, end - 1)) - 1
        touched.update(range(first, last + 1))
    return touched


def _known_hit(
    token: str, fingerprint: str, line: str, number: int, where: Provenance
) -> Detection:
    """A token of ``line`` whose fingerprint is a known secret's, as a detection at its columns."""
    start = line.find(token)
    return Detection(
        kind="known_secret",
        file=where.source,
        line=number,
        live=None,
        length=len(token),
        prefix_class=None,
        fingerprint=fingerprint,
        detector="known-fingerprint",
        span=(start, start + len(token)) if start >= 0 else None,
    )


#: How many clean strings a redactor remembers (then it forgets them and begins again).
_MAX_CLEAN = 1 << 18

_UNSEEN: Any = object()
#: Per shape of a record's field values (their types), a fetch of its text values; None when a
#: tuple or dict is among them.
_TEXTS_OF: dict[tuple[type, ...], Callable[[tuple[Any, ...]], tuple[Any, ...]] | None] = {}


def _texts_getter(shape: tuple[type, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """The fetch of the text values of a record whose field values have these types (remembered
    per shape), as ``_clean`` treats them: strings are scanned, tuples and dicts walked, anything
    else left alone."""
    if any(issubclass(kind, tuple | dict) for kind in shape):
        found = None
    else:
        at = [index for index, kind in enumerate(shape) if issubclass(kind, str)]
        found = _fetch(at)
    _TEXTS_OF[shape] = found
    return found


def _fetch(at: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    if not at:
        return lambda values: ()
    if len(at) == 1:
        index = at[0]
        return lambda values: (values[index],)
    return operator.itemgetter(*at)


def _texts_among(columns: list[list[Any]]) -> set[Any] | None:
    """The texts among many records' field values (one kind's, a list per field), as
    ``Redactor.unchanged`` takes them from each: the values of a ``str`` type; None when a tuple
    or dict is among them."""
    texts: set[Any] = set()
    for column in columns:
        kinds = set(map(type, column))
        if any(issubclass(kind, tuple | dict) for kind in kinds):
            return None
        text_kinds = {kind for kind in kinds if issubclass(kind, str)}
        if not text_kinds:
            continue
        if kinds - text_kinds <= {type(None)}:
            texts.update(column)  # None is no text: dropped below
        else:
            texts.update(value for value in column if type(value) in text_kinds)
    texts.discard(None)
    return texts


def _clean(value: Any, redactor: Redactor, where: Provenance, found: list[Detection]) -> Any:
    if isinstance(value, str):
        hits = redactor.scan(value, where)
        if not hits:
            return value
        found.extend(hits)
        return redact_text(value, hits)
    if isinstance(value, tuple):
        cleaned = tuple(_clean(item, redactor, where, found) for item in value)
        return value if cleaned == value else cleaned
    if isinstance(value, dict):
        cleaned_dict = {
            _clean(k, redactor, where, found): _clean(v, redactor, where, found)
            for k, v in value.items()
        }
        return value if cleaned_dict == value else cleaned_dict
    return value


def _clean_provenance(where: Provenance, redactor: Redactor) -> Provenance:
    source = redactor.clean_path(where.source)
    detail = redactor.clean_path(where.detail) if where.detail else where.detail
    if source == where.source and detail == where.detail:
        return where
    return dataclasses.replace(where, source=source, detail=detail)


def _redact(item: Any, redactor: Redactor, where: Provenance, found: list[Detection]) -> Any:
    """``item`` with secrets replaced: in every text field, and in the paths it cites (a record
    that holds fingerprints only has its paths cleaned and nothing else)."""
    changes: dict[str, Any] = {}
    safe = isinstance(item, _SAFE)
    for name in _field_names(type(item)):
        value = getattr(item, name)
        cleaned: Any
        if name == "provenance":
            cleaned = _clean_provenance(value, redactor)
        elif safe:
            cleaned = redactor.clean_path(value) if name == "file" else value
        elif type(value) in _PLAIN:
            continue
        else:
            cleaned = _clean(value, redactor, where, found)
        if cleaned is not value and cleaned != value:
            changes[name] = cleaned
    return dataclasses.replace(item, **changes) if changes else item


#: Field values that hold no text: skipped without a call per field (a ledger row has a dozen).
_PLAIN = frozenset({type(None), bool, int, float, Decimal, date, datetime})


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """A record type's field names but ``entity`` (asked once per type, not once per record)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(
            f.name for f in dataclasses.fields(kind) if f.name != "entity"
        )
    return names


#: Per record type, ``_values_getter``'s fetch.
_VALUES_OF: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _values_of(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    if kind not in _VALUES_OF:
        _VALUES_OF[kind] = _values_getter(kind)
    return _VALUES_OF[kind]


def _fields_of(kind: type) -> tuple[Callable[[Any], Any], ...]:
    """A fetch of each field value of a record type but ``entity`` and ``provenance``, as
    ``_values_getter`` fetches them all at once (for ``Redactor.all_unchanged``; remembered)."""
    fields = _FIELDS_OF.get(kind)
    if fields is None:
        names = (name for name in _field_names(kind) if name != "provenance")
        fields = _FIELDS_OF[kind] = tuple(map(operator.attrgetter, names))
    return fields


_FIELDS_OF: dict[type, tuple[Callable[[Any], Any], ...]] = {}


def _values_getter(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """A C-level fetch of a record type's field values but ``entity`` and ``provenance`` (for
    ``Redactor.unchanged``); None for the fingerprint-only records, which ``_redact`` handles."""
    if issubclass(kind, _SAFE):
        return None
    names = [name for name in _field_names(kind) if name != "provenance"]
    if not names:
        return lambda record: ()
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda record: (one(record),)
    return operator.attrgetter(*names)


#: Per record type, a fetch of its fields typed ``str`` or ``str | None`` as a tuple (None if it
#: has none).
_PLAIN_TEXTS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _plain_texts(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    if kind not in _PLAIN_TEXTS:
        names = [
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in ("entity", "provenance") and f.type in ("str", "str | None")
        ]
        fetch = None if not names or issubclass(kind, _SAFE) else _fetch_named(names)
        _PLAIN_TEXTS[kind] = fetch
    return _PLAIN_TEXTS[kind]


def _fetch_named(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda record: (one(record),)
    return operator.attrgetter(*names)


#: Per record type, a fetch of its fields typed as a tuple or a dict (None if it has none).
_NESTED_TEXTS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _nested_texts(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """A fetch of the tuple and dict fields ``_clean`` walks (a site page's links and the
    lines of what it found), for ``_prescan`` to take their strings too."""
    if kind not in _NESTED_TEXTS:
        names = [
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in ("entity", "provenance")
            and isinstance(f.type, str)
            and f.type.startswith(("tuple", "dict"))
        ]
        fetch = None if not names or issubclass(kind, _SAFE) else _fetch_named(names)
        _NESTED_TEXTS[kind] = fetch
    return _NESTED_TEXTS[kind]


def _add_strings(values: Iterable[Any], found: set[Any]) -> None:
    """The strings ``_clean`` would scan among ``values``: in tuples and in dicts' keys and
    values, at any depth."""
    for value in values:
        if type(value) is str:
            found.add(value)
        elif isinstance(value, tuple):
            _add_strings(value, found)
        elif isinstance(value, dict):
            _add_strings(value.keys(), found)
            _add_strings(value.values(), found)


def _runs(records: Sequence[Record]) -> list[tuple[Record, ...]]:
    """``records`` cut where the kind of record or the file changes (a ledger's lines are one)."""
    return [tuple(run) for _, run in itertools.groupby(records, _KIND_AND_SOURCE)]


_KIND_AND_SOURCE = operator.attrgetter("__class__", "provenance.source")
_DETAIL = operator.attrgetter("provenance.detail")


def _prescan(runs: list[tuple[Record, ...]], redactor: Redactor) -> None:
    """``Redactor.prescan`` of the texts of many records (their plain text fields, and the
    strings in their tuples and dicts), per file: the record-by-record pass then finds nearly
    every text clean already."""
    texts: dict[str, set[Any]] = {}
    for run in runs:
        fetch = _plain_texts(type(run[0]))
        if fetch is not None:
            found = texts.setdefault(run[0].provenance.source, set())
            found.update(itertools.chain.from_iterable(map(fetch, run)))
        nested = _nested_texts(type(run[0]))
        if nested is not None:
            _add_strings(map(nested, run), texts.setdefault(run[0].provenance.source, set()))
    for source, found in texts.items():
        redactor.prescan(found, source)


def known_fingerprints(results: list[SourceResult]) -> frozenset[str]:
    """The fingerprints of the secrets found by the sources that look for them."""
    return frozenset(
        record.fingerprint
        for result in results
        for record in result.records
        if isinstance(record, _SAFE) and record.fingerprint
    )


def _findings(record: Record, found: list[Detection]) -> list[SecretFinding]:
    """A SecretFinding for each detection in a record, at its line in the record's file."""
    line_base = (record.provenance.line or 1) - 1
    return [
        dataclasses.replace(
            detection, file=record.provenance.source, line=line_base + detection.line
        ).to_record(record.entity, record.provenance.at_line(line_base + detection.line))
        for detection in found
    ]


#: A long redaction tells how far it has got once per this many records.
REPORT_RECORDS = 1 << 16

#: Records whose texts are prescanned together (``Redactor.prescan``): the joined text and its
#: tokens are held for one batch only.
PRESCAN_RECORDS = 1 << 14


def _tell(report: Callable[[int, int], None] | None, told: int, done: int, total: int) -> int:
    """Report (records redacted, records) at each multiple of ``REPORT_RECORDS`` from ``told``
    up to ``done`` (and short of ``total``); the next one to report."""
    while report is not None and told <= done and told < total:
        report(told, total)
        told += REPORT_RECORDS
    return told


def _redact_run(
    run: tuple[Record, ...],
    redactor: Redactor,
    records: list[Record],
    findings: list[SecretFinding],
) -> bool:
    """Redact records of one kind and file onto ``records``, a SecretFinding for each secret
    found onto ``findings``; whether any record changed. The run is passed whole when the
    redactor finds it unchanged at once, as it most often is."""
    values = _values_of(type(run[0]))
    if values is not None and redactor.all_unchanged(run, _fields_of(type(run[0]))):
        records.extend(run)
        return False
    changed = False
    for record in run:
        if values is not None and redactor.unchanged(record, values(record)):
            records.append(record)
            continue
        found: list[Detection] = []
        records.append(_redact(record, redactor, record.provenance, found))
        findings.extend(_findings(records[-1], found))
        changed = changed or records[-1] is not record
    return changed


def redact_result(
    result: SourceResult, redactor: Redactor, report: Callable[[int, int], None] | None = None
) -> SourceResult:
    """The result with every secret in a record, an error or a path replaced, plus a
    SecretFinding for each secret found in a record's text. ``report`` hears (records redacted,
    records) every ``REPORT_RECORDS`` records, and once at the end, of a result with more."""
    return redacted_result(result, redactor, redact_records(result.records, redactor, report))


@dataclasses.dataclass
class RedactedRecords:
    """``redact_records`` of some records: each record redacted (the very record when nothing
    in it changed), the findings of the secrets in their texts, and whether any record changed."""

    records: list[Record]
    findings: list[SecretFinding]
    changed: bool


def redact_records(
    given: Sequence[Record], redactor: Redactor, report: Callable[[int, int], None] | None = None
) -> RedactedRecords:
    """Each of ``given`` redacted, as ``redact_result`` does to a result's records; what one
    record becomes depends on that record and the redactor's known secrets only, so the records
    may be redacted in parts."""
    records: list[Record] = []
    findings: list[SecretFinding] = []
    changed = False
    total = len(given)
    if total <= REPORT_RECORDS:
        report = None
    told = 0
    for start in range(0, total, PRESCAN_RECORDS):
        told = _tell(report, told, start, total)
        runs = _runs(given[start : start + PRESCAN_RECORDS])
        _prescan(runs, redactor)
        for run in runs:
            changed = _redact_run(run, redactor, records, findings) or changed
    if report is not None:
        _tell(report, told, total, total)
        report(total, total)
    return RedactedRecords(records, findings, changed)


def redacted_result(
    result: SourceResult, redactor: Redactor, redacted: RedactedRecords
) -> SourceResult:
    """``result`` with its records as ``redacted`` (``redact_records`` of them all) and its
    errors, paths and table headers redacted; the very result when nothing changed."""
    findings = redacted.findings
    errors = [_redact(error, redactor, error.provenance, []) for error in result.errors]
    paths = tuple(redactor.clean_path(path) for path in result.paths)
    # a table's header names (its column mapping's fields and ignored columns) are text too
    mappings = tuple(
        _redact(m, redactor, Provenance(m.source, m.header_line), []) for m in result.mappings
    )
    if (
        not findings
        and not redacted.changed
        and paths == result.paths
        and all(a is b for a, b in zip(errors, result.errors, strict=True))
        and all(a is b for a, b in zip(mappings, result.mappings, strict=True))
    ):
        return result
    unique = {(f.fingerprint, f.file, f.line): f for f in findings}
    return dataclasses.replace(
        result,
        paths=paths,
        records=(*redacted.records, *unique.values()),
        errors=tuple(errors),
        mappings=mappings,
    )
