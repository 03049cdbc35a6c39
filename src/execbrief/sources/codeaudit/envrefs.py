"""Which environment variables a file of code reads: ``process.env.STRIPE_KEY``,
``os.environ["DB_URL"]``, ``ENV.fetch("SES_SMTP_PASSWORD")``, ``${env:API_TOKEN}``.

The names (never values) let a portfolio-level ``.env`` be attributed to the entities whose code
uses its keys (``execbrief.sharedsources``). Every pattern is linear (no nested quantifiers) and a
file gives at most :data:`MAX_NAMES` names; a name is reported once per file, at its first line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

#: A file rarely reads more than a few dozen settings; a generated file may name thousands.
MAX_NAMES = 500

_NAME = r"([A-Za-z_][A-Za-z0-9_]{0,127})"
_QUOTED = r"""\s*['"`]""" + _NAME + r"""['"`]"""

#: Reads of one variable, by language: JavaScript/TypeScript, Python, Ruby, PHP, Go, Deno/Vite,
#: serverless and GitHub Actions templates.
_READS = re.compile(
    "|".join(
        (
            r"process\.env\." + _NAME,
            r"process\.env\[" + _QUOTED,
            r"import\.meta\.env\." + _NAME,
            r"Deno\.env\.get\(" + _QUOTED,
            r"os\.environ\[" + _QUOTED,
            r"os\.environ\.get\(" + _QUOTED,
            r"\bgetenv\(" + _QUOTED,
            r"os\.Getenv\(" + _QUOTED,
            r"\bENV\[" + _QUOTED,
            r"\bENV\.fetch\(" + _QUOTED,
            r"\$_ENV\[" + _QUOTED,
            r"\$\{env:" + _NAME,
            r"\$\{\{\s*(?:secrets|env)\." + _NAME,
        )
    )
)

#: ``const { STRIPE_KEY, DB_URL: url } = process.env`` (a bounded brace body).
_DESTRUCTURED = re.compile(r"\{([^{}]{1,2000})\}\s*=\s*process\.env\b")
_BRACE_NAME = re.compile(r"(?:^|,)\s*" + _NAME)

#: A quoted UPPER_SNAKE literal (``settings.get("SES_SMTP_PASSWORD")``, ``config("DB_URL")``):
#: the way most wrappers around the environment name a variable.
_UPPER_LITERAL = re.compile(r"""['"]([A-Z][A-Z0-9]*_[A-Z0-9_]{1,126})['"]""")


_NEWLINE = re.compile("\n")


def env_names(text: str) -> Iterator[tuple[str, int]]:
    """Each environment variable name ``text`` reads, once, with the 1-based line of its first
    read, in order of first appearance; at most :data:`MAX_NAMES`."""
    found: dict[str, int] = {}
    for offset, name in _matches(text):
        if name not in found:
            found[name] = offset
            if len(found) >= MAX_NAMES:
                break
    starts = _LineIndex(text)
    for name, offset in sorted(found.items(), key=lambda item: item[1]):
        yield name, starts.line(offset)


def _matches(text: str) -> Iterator[tuple[int, str]]:
    if "env" in text or "ENV" in text:
        for match in _READS.finditer(text):
            yield match.start(), next(group for group in match.groups() if group)
        for match in _DESTRUCTURED.finditer(text):
            for part in _BRACE_NAME.finditer(match.group(1)):
                yield match.start(), part.group(1)
    for match in _UPPER_LITERAL.finditer(text):
        yield match.start(), match.group(1)


class _LineIndex:
    """Offsets to 1-based line numbers by binary search over the newline offsets."""

    def __init__(self, text: str) -> None:
        self._newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def line(self, offset: int) -> int:
        """The line holding ``offset``."""
        return bisect.bisect_left(self._newlines, offset) + 1
