"""The files a beancount ledger makes the loader read, each checked before anything of it is opened.

beancount's ``include "2026.beancount"`` reads another file, and ``plugin "module"`` imports and
runs Python code. execbrief reads only the files portfolio.toml names and, through ``include``,
beancount files (``.beancount``, ``.bean``) inside the portfolio folder; it runs only beancount's
own plugins (``docs/formats.md``, "Ledgers"). ``include_graph`` finds every ``include`` and
``plugin`` line with a plain line scan, so the check needs no beancount and holds before beancount
is imported; the ledger source then parses only the files listed here, and ``check_parsed``
confirms that beancount's own parse of each saw no include the scan missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from execbrief.sources.base import SourceRequest
from execbrief.sources.files import Location, ReadError, excerpt, include_targets, iter_lines

SUFFIXES = (".beancount", ".bean")
#: beancount's own plugins (``beancount.plugins.auto_accounts``): the only ones a ledger may load.
OWN_PLUGINS = "beancount.plugins."

_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_INCLUDE = re.compile(r"^\s*include\s*" + _STRING)
_PLUGIN = re.compile(r"^\s*plugin\s*" + _STRING)
_ESCAPE = re.compile(r"\\(.)")


@dataclass
class LedgerFile:
    """One file of a beancount ledger: where it is and what it includes (target -> line)."""

    loc: Location
    includes: dict[str, int] = field(default_factory=dict)


@dataclass
class IncludeGraph:
    """The ledger's files (the configured one first), the includes that matched nothing, and the
    configured file's text when it was read whole (an S3 object)."""

    files: list[LedgerFile]
    warnings: list[ReadError]
    text: str | None = None

    def check_parsed(
        self,
        request: SourceRequest,
        ledger: LedgerFile,
        includes: Sequence[str],
        plugins: Sequence[tuple[str, Any]],
    ) -> None:
        """``ReadError`` if beancount's parse of ``ledger`` found an include or a plugin the line
        scan did not (a directive written across lines). Such an include was never read: only the
        files of the graph are parsed."""
        for name, _config in plugins:
            if not name.startswith(OWN_PLUGINS):
                raise _foreign_plugin(ledger.loc, name, None)
        for target in includes:
            if target in ledger.includes:
                continue
            try:
                include_targets(request, ledger.loc, target, None, suffixes=SUFFIXES, what="ledger")
            except ReadError as exc:
                if exc.fatal:
                    raise
            raise ReadError(
                ledger.loc.display,
                f'include "{excerpt(target)}" is not on a line of its own, so the included file '
                "was not read and this ledger was skipped; write each include as one line: "
                'include "path"',
            )


def include_graph(request: SourceRequest, top: Location, text: str | None = None) -> IncludeGraph:
    """Every file ``top`` pulls in through ``include``, each checked before it is opened.

    ``text`` is ``top``'s content when it was already read (an S3 object); local files are
    streamed. ``ReadError`` (fatal) for an include outside the portfolio folder, of a FIFO, folder
    or non-beancount file, or a ``plugin`` that is not beancount's own: nothing of its target is
    read. An include that matches no file is a warning.
    """
    files: list[LedgerFile] = []
    warnings: list[ReadError] = []
    queue = [top]
    seen = {_key(top)}
    while queue:
        loc = queue.pop(0)
        lines = (
            enumerate(text.splitlines(), 1) if text is not None and loc is top else iter_lines(loc)
        )
        ledger = LedgerFile(loc, _directives(loc, lines))
        files.append(ledger)
        for target, line in ledger.includes.items():
            try:
                found = include_targets(
                    request, loc, target, line, suffixes=SUFFIXES, what="ledger"
                )
            except ReadError as exc:
                if exc.fatal:
                    raise
                warnings.append(exc)
                continue
            for included in found:
                if _key(included) not in seen:
                    seen.add(_key(included))
                    queue.append(included)
    return IncludeGraph(files, warnings, text)


def _directives(loc: Location, lines: Iterable[tuple[int, str]]) -> dict[str, int]:
    """The file's include targets (first line of each); ``ReadError`` for a foreign plugin."""
    includes: dict[str, int] = {}
    for number, text in lines:
        if "include" not in text and "plugin" not in text:
            continue
        plugin = _PLUGIN.match(text)
        if plugin and not _unescape(plugin[1]).startswith(OWN_PLUGINS):
            raise _foreign_plugin(loc, _unescape(plugin[1]), number)
        include = _INCLUDE.match(text)
        if include:
            includes.setdefault(_unescape(include[1]), number)
    return includes


def _foreign_plugin(loc: Location, name: str, line: int | None) -> ReadError:
    return ReadError(
        loc.display,
        f'plugin "{excerpt(name)}" would run Python code the ledger names; execbrief runs only '
        f"beancount's own plugins ({OWN_PLUGINS}*), so this ledger was skipped; remove the plugin "
        "line, or run the plugin yourself and point the ledger source at its output",
        line,
    )


def _unescape(written: str) -> str:
    return _ESCAPE.sub(r"\1", written)


def _key(loc: Location) -> str:
    return str(loc.path.resolve()) if loc.path is not None else loc.display
