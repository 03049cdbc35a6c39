"""``portfolio.toml`` read with tomllib into pydantic models (``extra="forbid"``).

The core keys are declared here. Keys that belong to a plugin are validated by that plugin's own
options model, found through ``OptionModels``:

- on an entity, every source kind (``handoff``, ``ledger``, ``bookings``, ...): a path, a list of
  paths, or an inline table ``{ path = "...", <options> }`` / ``{ paths = [...], <options> }``;
- ``[delivery.<transport>]`` tables (``[delivery.ses]``, ``[delivery.smtp]``);
- ``[reports.<name>]`` keys beyond the common ones (``to``, ``cc``, ...);
- ``[analysis.<name>]`` tables of model assumptions, and ``[entities.settings.<analysis>]``.

Errors raise ``ConfigError`` naming the file and the key path (``entities[2].kind``) with what was
expected. Paths resolve relative to the config file. Environment variables override delivery
settings (``EXECBRIEF_TRANSPORT``, ``EXECBRIEF_SENDER``, ``EXECBRIEF_OPERATOR``, ``EXECBRIEF_OUTBOX``,
``EXECBRIEF_STORE``).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import string
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from execbrief import localfiles
from execbrief.errors import ConfigError
from execbrief.values import Period, PeriodParseError

EntityKind = Literal["charter", "hauling", "consultancy", "rental", "delivery", "platform", "other"]
ENTITY_FIELDS = (
    "id",
    "name",
    "kind",
    "stream",
    "channels",
    "settings",
    "stale_after_days",
    "notes",
)
REPORT_FIELDS = ("to", "cc", "bcc", "subject", "attach", "html", "brief", "enabled")
ENV_OVERRIDES = {
    "EXECBRIEF_TRANSPORT": "transport",
    "EXECBRIEF_SENDER": "sender",
    "EXECBRIEF_OPERATOR": "operator",
    "EXECBRIEF_OUTBOX": "outbox",
    "EXECBRIEF_STORE": "store",
}


class Model(BaseModel):
    """Base for config models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class NoOptions(Model):
    """Options model of a plugin that takes none."""


@dataclass(frozen=True)
class OptionModels:
    """The options models of the registered plugins, by plugin name."""

    sources: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    reports: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    transports: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    analyses: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    entity_settings: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    #: The renderer names (``json``, ``markdown``): an ``attach`` entry that is not one is a file.
    renderers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SourceSpec:
    """One source of one entity: its kind, its paths (as written) and its validated options."""

    kind: str
    paths: tuple[str, ...]
    options: BaseModel
    key: str
    #: A source listed as several tables (``[[entities.ledger]]``), each with its own paths and
    #: options; ``paths`` and ``options`` are then all the paths and the first part's options.
    parts: tuple[SourceSpec, ...] = ()


#: The report dates execbrief accepts: a wider range is a typo, and date arithmetic overflows at
#: the ends of the calendar.
EARLIEST_AS_OF = date(1900, 1, 1)
LATEST_AS_OF = date(2999, 12, 31)


def check_period(text: str) -> Period:
    """``text`` read as a report period (``2026-11``, ``2026-Q4``) whose days lie in the range
    of report dates; else a PeriodParseError."""
    period = Period.parse(text)
    if period.start < EARLIEST_AS_OF or period.end > LATEST_AS_OF:
        raise PeriodParseError(
            f"{text.strip()!r} is outside {EARLIEST_AS_OF:%Y-%m}..{LATEST_AS_OF:%Y-%m}, the "
            "months a report can be as of; expected a period such as 2026-11 or 2026-Q4"
        )
    return period


#: The placeholders a ``subject`` template may use.
SUBJECT_FIELDS = ("title", "period", "covers", "report")


def check_as_of(value: date) -> date:
    """``value`` when it lies in the accepted range of report dates; else a ValueError."""
    if not EARLIEST_AS_OF <= value <= LATEST_AS_OF:
        raise ValueError(
            f"{value.isoformat()} is outside {EARLIEST_AS_OF.isoformat()}..{LATEST_AS_OF.isoformat()}; "
            "expected the date the report is as of"
        )
    return value


def _one_line(value: str | None) -> str | None:
    if value is not None and ("\r" in value or "\n" in value):
        raise ValueError("must be one line (it goes into a mail header); remove the line break")
    return value


def check_subject(template: str) -> str:
    """A ``subject`` template: one line, only ``{title}``, ``{period}`` and ``{report}``."""
    _one_line(template)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(
            f"is not a valid template ({exc}); write {{{{ and }}}} for a literal brace"
        ) from None
    for name in fields:
        if name not in SUBJECT_FIELDS:
            raise ValueError(
                f"uses {{{name}}}; expected only {', '.join('{' + f + '}' for f in SUBJECT_FIELDS)}"
            )
    return template


class PortfolioSection(Model):
    """``[portfolio]``: the portfolio's name and house rules."""

    name: str
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    stale_after_days: int = Field(default=45, ge=1)
    show_customer_names: bool = False
    #: Pin the report date when the data is a fixed export (the demo); else commands use today.
    as_of: date | None = None

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, value: date | None) -> date | None:
        return None if value is None else check_as_of(value)


class DeliverySection(Model):
    """``[delivery]``: how reports are sent. ``[delivery.<transport>]`` tables go to the transport."""

    model_config = ConfigDict(extra="allow")

    transport: str = "outbox"
    sender: str = "execbrief@localhost"
    operator: str | None = None
    outbox: str = "outbox"
    store: str = ".execbrief/execbrief.db"
    subject_prefix: str = ""
    html: bool = False
    _transport_options: dict[str, BaseModel] = PrivateAttr(default_factory=dict)

    @field_validator("sender", "operator")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and ("@" not in value or any(c.isspace() for c in value.strip())):
            raise ValueError("expected an email address such as reports@example.com")
        return value

    @field_validator("subject_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        return _one_line(value) or ""

    def transport_options(self, name: str) -> BaseModel | None:
        """The validated ``[delivery.<name>]`` options, or None if the table is absent."""
        return self._transport_options.get(name)


class ReportSettings(Model):
    """``[reports.<name>]``: recipients and presentation; other keys go to the report's options."""

    model_config = ConfigDict(extra="allow")

    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    subject: str | None = None
    attach: list[str] = Field(default_factory=list)
    html: bool | None = None
    #: The mail body is the brief (the full report attached); ``false`` sends the full report.
    brief: bool = True
    enabled: bool = True
    _options: BaseModel | None = PrivateAttr(default=None)

    @field_validator("to", "cc", "bcc")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        for value in values:
            if "@" not in value or any(c.isspace() for c in value.strip()):
                raise ValueError(f"{value!r} is not an email address")
        return values

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str | None) -> str | None:
        return None if value is None else check_subject(value)

    @property
    def options(self) -> BaseModel | None:
        """The report's own validated options."""
        return self._options

    @property
    def recipients(self) -> list[str]:
        """to + cc + bcc, without repeats, in order."""
        return list(dict.fromkeys([*self.to, *self.cc, *self.bcc]))


class AllowlistEntry(Model):
    """A known false positive of the secret scanner: by fingerprint or by path pattern."""

    fingerprint: str | None = None
    path: str | None = None
    reason: str

    def model_post_init(self, __context: Any) -> None:
        if not (self.fingerprint or self.path):
            raise ValueError("an allowlist entry needs a fingerprint or a path pattern")

    @field_validator("fingerprint")
    @classmethod
    def _fingerprint(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-f]{8,16}", value.strip().lower()):
            raise ValueError(
                f"{value!r} is not a fingerprint; expected 8 to 16 hex digits, as the CTO report prints them"
            )
        return None if value is None else value.strip().lower()


class SecretsSection(Model):
    """``[secrets]``: the scanner's allowlist and where the fingerprint key lives."""

    allowlist: list[AllowlistEntry] = Field(default_factory=list)
    key_file: str = ".execbrief/fingerprint.key"


class AcceptedFinding(Model):
    """``[[findings.accept]]``: a finding (by id or id prefix) that is known and accepted, so it
    leaves summaries, action plans and "Still open"; ``until`` makes it open again after a date."""

    id: str = Field(min_length=3)
    reason: str = Field(min_length=1)
    until: date | None = None


class FindingsSection(Model):
    """``[findings]``: the accepted findings."""

    accept: list[AcceptedFinding] = Field(default_factory=list)


class HistorySection(Model):
    """``[history]``: when a figure counts as moved in "Since last report"."""

    threshold_percent: Decimal = Field(default=Decimal(10), ge=0)


class Entity(Model):
    """``[[entities]]``: a company or revenue stream, and its sources (one key per source kind)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    kind: EntityKind
    stream: bool = False
    channels: dict[str, bool | str] = Field(default_factory=dict)
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    stale_after_days: int | None = Field(default=None, ge=1)
    notes: str | None = None
    _sources: dict[str, SourceSpec] = PrivateAttr(default_factory=dict)
    _settings: dict[str, BaseModel] = PrivateAttr(default_factory=dict)

    @property
    def sources(self) -> dict[str, SourceSpec]:
        """The entity's sources by kind."""
        return self._sources

    def setting(self, analysis: str) -> BaseModel | None:
        """The validated ``settings.<analysis>`` table, or None."""
        return self._settings.get(analysis)


class Config(Model):
    """The whole validated ``portfolio.toml``."""

    portfolio: PortfolioSection
    delivery: DeliverySection = Field(default_factory=DeliverySection)
    reports: dict[str, ReportSettings] = Field(default_factory=dict)
    analysis: dict[str, dict[str, Any]] = Field(default_factory=dict)
    secrets: SecretsSection = Field(default_factory=SecretsSection)
    history: HistorySection = Field(default_factory=HistorySection)
    findings: FindingsSection = Field(default_factory=FindingsSection)
    entities: list[Entity] = Field(default_factory=list)
    #: ``[shared]``: sources of the whole portfolio, read once (``execbrief.sharedsources``).
    shared: dict[str, Any] = Field(default_factory=dict)
    _path: Path = PrivateAttr(default=Path("portfolio.toml"))
    _shared: dict[str, SourceSpec] = PrivateAttr(default_factory=dict)
    _analysis: dict[str, BaseModel] = PrivateAttr(default_factory=dict)
    _entity_places: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> Path:
        """The config file."""
        return self._path

    @property
    def shared_sources(self) -> dict[str, SourceSpec]:
        """The ``[shared]`` sources by kind (``env``, ``code``)."""
        return self._shared

    @property
    def root(self) -> Path:
        """The folder holding the config file: relative paths start here."""
        return self._path.parent

    def resolve(self, path: str) -> Path:
        """A path from the config, resolved against ``root`` (``~`` expanded)."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id (KeyError if absent).

        Analyses ask it per entity, so it is a lookup of the entity's place in ``entities``, not a
        scan (1,000 scans of 1,000 entities); a place that no longer holds the id (the list was
        changed) makes the places anew."""
        found = self._placed(entity_id)
        if found is None:
            self._entity_places = {}
            for index, entity in enumerate(self.entities):
                self._entity_places.setdefault(entity.id, index)
            found = self._placed(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def _placed(self, entity_id: str) -> Entity | None:
        place = self._entity_places.get(entity_id)
        if place is None or place >= len(self.entities):
            return None
        entity = self.entities[place]
        return entity if entity.id == entity_id else None

    def analysis_options(self, name: str) -> BaseModel | None:
        """The validated ``[analysis.<name>]`` table (defaults when absent), or None if unknown."""
        return self._analysis.get(name)

    @property
    def store_path(self) -> Path:
        """The SQLite store file."""
        return self.resolve(self.delivery.store)


def load_config(
    path: str | os.PathLike[str],
    options: OptionModels | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Read and validate a portfolio.toml; ``ConfigError`` says what and where if it is wrong."""
    file = Path(path)
    where = str(file)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            "no such file; pass -c PATH or run in the folder holding portfolio.toml", path=where
        ) from None
    except IsADirectoryError:
        raise ConfigError("is a folder; expected a portfolio.toml file", path=where) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"is not UTF-8 text (byte {exc.start})", path=where) from None
    except tomllib.TOMLDecodeError as exc:
        hint = _inline_table_hint(file.read_text(encoding="utf-8-sig"), exc)
        raise ConfigError(f"is not valid TOML: {exc}{hint}", path=where) from None
    return config_from_dict(raw, file, options, environ)


def _inline_table_hint(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """How to fix an inline table written across lines (TOML 1.0 keeps ``{ ... }`` on one line):
    a ``; ...`` sentence when the line of the error, or one just before it, opens a ``{`` it does
    not close, else nothing."""
    lines = text.splitlines()
    found = re.search(r"at line (\d+)", str(exc))
    number = int(found[1]) if found else 0
    for at in range(max(number - 3, 0), min(number, len(lines))):
        line = lines[at].split("#", 1)[0]
        key, sep, _value = line.partition("=")
        if sep and line.count("{") > line.count("}"):
            name = key.strip() or "the table"
            return (
                f"; the inline table {name} = {{ ... }} on line {at + 1} runs across lines, which "
                "TOML allows only on one line: put it on one line, or write it as a table of its "
                f"own, [entities.{name}] after the entity's other keys, one key = value a line"
            )
    return ""


def config_from_dict(
    raw: dict[str, Any],
    file: Path,
    options: OptionModels | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Validate already-parsed TOML data as if read from ``file``."""
    where = str(file)
    env = os.environ if environ is None else environ
    delivery = dict(raw.get("delivery") or {})
    for variable, key in ENV_OVERRIDES.items():
        if env.get(variable):
            delivery[key] = env[variable]
    if delivery:
        raw = {**raw, "delivery": delivery}
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise _config_error(exc, where, root=Config) from None
    config._path = file.resolve()
    _validate_plugin_keys(config, options or OptionModels(), where)
    return config


def _validate_plugin_keys(config: Config, options: OptionModels, where: str) -> None:
    for index, entity in enumerate(config.entities):
        extras = dict(entity.model_extra or {})
        entity.__pydantic_extra__ = {}
        for kind, value in extras.items():
            key = f"entities[{index}].{kind}"
            if kind not in options.sources:
                expected = [*ENTITY_FIELDS, *sorted(options.sources)]
                raise ConfigError(
                    _unknown(kind, expected, "an entity field or a source kind"),
                    path=where,
                    key=key,
                )
            entity._sources[kind] = _source_spec(kind, value, options.sources[kind], key, where)
        for name, table in entity.settings.items():
            key = f"entities[{index}].settings.{name}"
            if name not in options.entity_settings:
                raise ConfigError(
                    _unknown(name, sorted(options.entity_settings), "an analysis"),
                    path=where,
                    key=key,
                )
            entity._settings[name] = _validate(options.entity_settings[name], table, key, where)
        for name, model in options.entity_settings.items():
            if name not in entity._settings:
                entity._settings[name] = _validate(
                    model, {}, f"entities[{index}].settings.{name}", where
                )
    _validate_shared(config, options, where)
    ids = [entity.id for entity in config.entities]
    for index, entity_id in enumerate(ids):
        if ids.index(entity_id) != index:
            raise ConfigError(
                f"duplicate entity id {entity_id!r}", path=where, key=f"entities[{index}].id"
            )

    extras = dict(config.delivery.model_extra or {})
    config.delivery.__pydantic_extra__ = {}
    for name, table in extras.items():
        key = f"delivery.{name}"
        if name not in options.transports or not isinstance(table, dict):
            expected = [
                "transport",
                "sender",
                "operator",
                "outbox",
                "store",
                "subject_prefix",
                "html",
            ]
            raise ConfigError(
                _unknown(
                    name,
                    [*expected, *sorted(options.transports)],
                    "a delivery key or a transport table",
                ),
                path=where,
                key=key,
            )
        config.delivery._transport_options[name] = _validate(
            options.transports[name], table, key, where
        )
    if options.transports and config.delivery.transport not in options.transports:
        raise ConfigError(
            _unknown(config.delivery.transport, sorted(options.transports), "a transport"),
            path=where,
            key="delivery.transport",
        )
    for name, model in options.transports.items():
        if name not in config.delivery._transport_options:
            # a transport with required keys is validated when it is used
            with contextlib.suppress(ValidationError):
                config.delivery._transport_options[name] = model.model_validate({})

    for name, settings in config.reports.items():
        key = f"reports.{name}"
        if options.reports and name not in options.reports:
            raise ConfigError(
                _unknown(name, sorted(options.reports), "a report name"), path=where, key=key
            )
        extras = dict(settings.model_extra or {})
        settings.__pydantic_extra__ = {}
        report_model = options.reports.get(name)
        if report_model is not None:
            settings._options = _validate(report_model, extras, key, where)
        elif extras:
            raise ConfigError(
                _unknown(next(iter(extras)), list(REPORT_FIELDS), "a report key"),
                path=where,
                key=key,
            )

    _validate_attachments(config, options, where)
    for name, table in config.analysis.items():
        key = f"analysis.{name}"
        if name not in options.analyses:
            raise ConfigError(
                _unknown(name, sorted(options.analyses), "an analysis"), path=where, key=key
            )
        config._analysis[name] = _validate(options.analyses[name], table, key, where)
    for name, model in options.analyses.items():
        if name not in config._analysis:
            config._analysis[name] = _validate(model, {}, f"analysis.{name}", where)


#: The largest file ``attach`` may name (10 MB): mail servers commonly refuse a whole message of
#: 10 to 25 MB, and base64 makes an attachment a third larger. A larger file is refused unread.
MAX_ATTACHMENT_BYTES = 10 << 20
_FORMAT_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def attached_files(settings: ReportSettings, renderers: frozenset[str]) -> list[str]:
    """The ``attach`` entries that name files: every entry that is not a renderer (with no
    renderers known, every entry that is not a bare lower-case word such as ``json``)."""
    if renderers:
        return [entry for entry in settings.attach if entry not in renderers]
    return [entry for entry in settings.attach if not _FORMAT_NAME.fullmatch(entry)]


def attachment_problem(root: Path, entry: str) -> str | None:
    """Why the file an ``attach`` entry names may not be mailed, in one sentence, or None.

    It must be, symbolic links followed, a regular file inside the portfolio folder (the folder
    holding portfolio.toml) of at most ``MAX_ATTACHMENT_BYTES``: an absolute path, a ``..`` that
    climbs out or a link that leads out is refused, and a FIFO, device or link loop is never
    opened. ``execbrief check`` and ``send`` ask the same question.
    """
    path = root / Path(entry).expanduser()
    found = localfiles.kind(path)
    if found == "missing":
        return (
            f"{entry!r} is neither a report format nor a file in the portfolio folder; "
            "expected a format name (json, markdown, text) or a file's path relative to "
            "portfolio.toml"
        )
    if not localfiles.resolves_inside(path, root) and found != localfiles.LOOP:
        how = " through a symbolic link" if localfiles.lexically_inside(path, root) else ""
        return (
            f"{entry!r} is outside the portfolio folder (the folder holding portfolio.toml){how}, "
            "and only files inside it are mailed; copy the file into the portfolio folder and "
            "attach it by its path relative to portfolio.toml"
        )
    if found == "folder":
        return f"{entry!r} is a folder; expected a file: attach the files in it one by one"
    if found != "file":
        return (
            f"{entry!r} is {found}, not a regular file, and was not opened (reading one can "
            "block the send or never end); expected a regular file"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"{entry!r} cannot be read ({exc.strerror or exc}); expected a readable file"
    return _too_large(entry, size)


def _too_large(entry: str, size: int) -> str | None:
    if size <= MAX_ATTACHMENT_BYTES:
        return None
    return (
        f"{entry!r} is {size:,} bytes, more than the {MAX_ATTACHMENT_BYTES >> 20} MB an attachment "
        "may be; attach a smaller file or mail a link to it"
    )


def read_attachment(config: Config, report: str, entry: str) -> bytes:
    """The bytes of the file an ``attach`` entry names, checked as ``attachment_problem`` and read
    to at most ``MAX_ATTACHMENT_BYTES`` + 1 (a file that grew past the limit is refused, not read
    whole); ``ConfigError`` naming ``reports.<report>.attach`` otherwise."""
    problem = attachment_problem(config.root, entry)
    if problem is None:
        try:
            data = localfiles.read_at_most(config.resolve(entry), MAX_ATTACHMENT_BYTES)
            problem = _too_large(entry, len(data))
        except localfiles.NotRegular as exc:
            problem = f"{entry!r} is {exc.kind}, not a regular file, and was not read"
        except OSError as exc:
            problem = f"{entry!r} cannot be read ({exc.strerror or exc}); expected a readable file"
    if problem is not None:
        raise ConfigError(problem, path=str(config.path), key=f"reports.{report}.attach")
    return data


def _validate_attachments(config: Config, options: OptionModels, where: str) -> None:
    for name, settings in config.reports.items():
        for entry in attached_files(settings, options.renderers):
            problem = attachment_problem(config.root, entry)
            if problem is not None:
                raise ConfigError(problem, path=where, key=f"reports.{name}.attach")


#: Source kinds ``[shared]`` may name, and the id its records carry until attributed.
SHARED_KINDS = ("env", "code")
SHARED_ENTITY = "shared"


def _validate_shared(config: Config, options: OptionModels, where: str) -> None:
    for kind, value in config.shared.items():
        key = f"shared.{kind}"
        if kind not in SHARED_KINDS or kind not in options.sources:
            raise ConfigError(
                _unknown(kind, list(SHARED_KINDS), "a shared source kind"), path=where, key=key
            )
        config._shared[kind] = _source_spec(kind, value, options.sources[kind], key, where)
    if config.shared:
        for index, entity in enumerate(config.entities):
            if entity.id == SHARED_ENTITY:
                raise ConfigError(
                    f"the entity id {SHARED_ENTITY!r} names the portfolio's [shared] sources: "
                    "rename the entity",
                    path=where,
                    key=f"entities[{index}].id",
                )


def _source_spec(kind: str, value: Any, model: type[BaseModel], key: str, where: str) -> SourceSpec:
    if isinstance(value, str):
        return SourceSpec(kind, (value,), _validate(model, {}, key, where), key)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return SourceSpec(kind, tuple(value), _validate(model, {}, key, where), key)
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return _source_parts(kind, value, model, key, where)
    if isinstance(value, dict):
        table = dict(value)
        path = table.pop("path", None)
        paths = table.pop("paths", None)
        if path is not None and paths is not None:
            raise ConfigError("give either path or paths, not both", path=where, key=key)
        if path is not None and not isinstance(path, str):
            raise ConfigError("expected path to be a string", path=where, key=f"{key}.path")
        if paths is not None and not (
            isinstance(paths, list) and all(isinstance(p, str) for p in paths)
        ):
            raise ConfigError(
                "expected paths to be a list of strings", path=where, key=f"{key}.paths"
            )
        found = (path,) if path is not None else tuple(paths or ())
        return SourceSpec(kind, found, _validate(model, table, key, where), key)
    raise ConfigError(
        "expected a path, a list of paths, or an inline table { path = ..., <options> }",
        path=where,
        key=key,
    )


def _source_parts(
    kind: str, value: list[dict[str, Any]], model: type[BaseModel], key: str, where: str
) -> SourceSpec:
    """``[[entities.ledger]]`` (or ``ledger = [ {...}, {...} ]``): one part per table, for a
    source whose options model allows several (``several_files = True``)."""
    if not getattr(model, "several_files", False):
        raise ConfigError(
            f"expected one inline table {{ path = ..., <options> }}; only ledger and "
            f"timesheets take a list of tables, {kind} takes one table with paths = [...]",
            path=where,
            key=key,
        )
    parts = tuple(
        _source_spec(kind, table, model, f"{key}[{i}]", where) for i, table in enumerate(value)
    )
    for part in parts:
        if not part.paths:
            raise ConfigError(
                f"expected path or paths in each {kind} table", path=where, key=part.key
            )
    paths = tuple(p for part in parts for p in part.paths)
    return SourceSpec(kind, paths, parts[0].options, key, parts)


def _validate(model: type[BaseModel], table: Any, key: str, where: str) -> BaseModel:
    try:
        return model.model_validate(table)
    except ValidationError as exc:
        raise _config_error(exc, where, prefix=key, root=model) from None


def _config_error(
    exc: ValidationError, where: str, prefix: str = "", root: type[BaseModel] = BaseModel
) -> ConfigError:
    # a misspelt key also makes the real key "missing": report the misspelling, it is the cause
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    error = errors[0]
    key = key_path(error["loc"], prefix)
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        model = _model_at(root, error["loc"][:-1])
        known = list(model.model_fields) if model is not None else []
        message = (
            _unknown(str(error["loc"][-1]), known, "one of the known keys")
            if known
            else "unknown key"
        )
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "value_error":
        message = message.removeprefix("Value error, ")  # our own sentence: it names the value
    elif "input" in error and not isinstance(error["input"], dict | list):
        message = f"{message} (got {error['input']!r})"
    more = len(errors) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return ConfigError(message, path=where, key=key)


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class found by walking ``loc`` from ``root`` through field annotations."""
    current: Any = root
    for part in loc:
        while typing.get_origin(current) in (list, dict, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[-1]
        if isinstance(part, int):
            continue
        if (
            not (isinstance(current, type) and issubclass(current, BaseModel))
            or part not in current.model_fields
        ):
            return None
        current = current.model_fields[part].annotation
    while typing.get_origin(current) in (list, dict, typing.Union, types.UnionType):
        current = [a for a in typing.get_args(current) if a is not type(None)][-1]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def key_path(loc: tuple[Any, ...], prefix: str = "") -> str:
    """``("entities", 2, "kind")`` -> ``entities[2].kind``."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _unknown(name: str, expected: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, expected, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected {what}: {', '.join(expected)}"
    return f"unknown key {name!r}{hint}"
