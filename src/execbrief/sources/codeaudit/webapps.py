"""Google Apps Script and JavaScript web endpoints (``doGet``/``doPost``) and ``appsscript.json``.

A tokenizer-level reading: comments are blanked (so a comment that says "token" proves nothing),
strings kept for the checks but blanked for brace matching, and each ``doGet``/``doPost`` body is
found by matching braces. A body checks its caller when it compares a token, key, secret or
signature (``e.parameter.token !== TOKEN``), verifies an HMAC (``computeHmacSha256Signature``), or
compares the signed-in user (``Session.getActiveUser().getEmail() ===``) — directly or in a function
of the same file it calls. A body that dispatches on ``action``/``path`` (``if (action ===
"delete")``, ``switch (e.parameter.path)``) is judged per branch: a check before the dispatch
protects every branch, otherwise each branch needs its own, and one unchecked branch leaves the
endpoint unauthenticated (its write is the evidence).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

ENTRY_POINTS = ("doGet", "doPost")
_FUNCTION = re.compile(r"\bfunction\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*\{")
_ARROW = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b[^(]*\(([^)]*)\)|\(?([^()=]*)\)?\s*=>)\s*\{"
)
_CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(")
_COMPARE = re.compile(r"(===|!==|==|!=)")
_CREDENTIAL = re.compile(
    r"(?i)(\btoken\b|\w*token\w*|\bapi_?key\w*|\bapikey\w*|\bsecret\w*|\bsignature\w*|\bsig\b|\bpasscode\b|"
    r"\bpassword\b|parameters?\.key\b|\[\s*['\"]key['\"]\s*\]|\bauth\w*|\w*ApiKey\b|\w*_KEY\b)"
)
_HMAC = re.compile(
    r"computeHmacSha(256|512)Signature|jwt\.verify\s*\(|crypto\.timingSafeEqual\s*\("
)
_USER = re.compile(r"Session\.get(Active|Effective)User\(\)\.getEmail\(\)")
_WRITES = re.compile(
    r"\.(appendRow|setValue|setValues|deleteRow|deleteRows|insertRowAfter|insertSheet|clear|createEvent|"
    r"createFile|setTrashed|sendEmail|createDraft)\s*\(|MailApp\.|GmailApp\.send|UrlFetchApp\.fetch\s*\("
)
_REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^")
#: Dispatch on a request parameter: ``if (action === "delete") {``, ``switch (e.parameter.path) {``.
_DISPATCH_WORDS = r"(?:action|path|pathInfo|op|cmd|command|route|mode|method|page)"
_DISPATCH_IF = re.compile(
    rf"\bif\s*\(([^(){{}};]*\b{_DISPATCH_WORDS}\b[^(){{}};]*(?:===|==)\s*['\"][^'\"]+['\"][^{{}};]*)\)\s*\{{"
)
_DISPATCH_SWITCH = re.compile(
    rf"\bswitch\s*\(\s*[\w.$\[\]'\"]*\b{_DISPATCH_WORDS}\b[\w.$\[\]'\"]*\s*\)\s*\{{"
)
_CASE = re.compile(r"\bcase\s+['\"][^'\"]*['\"]\s*:|\bdefault\s*:")


@dataclass(frozen=True)
class WebEndpoint:
    """One ``doGet``/``doPost`` function and what was found in it."""

    name: str
    line: int
    end_line: int
    authenticated: bool
    auth_evidence: str | None
    mutating: bool
    mutation_evidence: str | None


@dataclass(frozen=True)
class WebAppAccess:
    """An ``appsscript.json`` web app deployed to anyone."""

    access: str
    execute_as: str | None
    line: int


def mask(text: str, *, strings: bool) -> str:
    """``text`` with comments (and, if ``strings``, string contents) replaced by spaces.

    Lengths and newlines are kept, so offsets and line numbers still point into the original.
    """
    out = list(text)
    i, n = 0, len(text)
    last_significant = ""
    while i < n:
        char = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if char == "/" and nxt == "/":
            end = text.find("\n", i)
            end = n if end == -1 else end
            _blank(out, i, end)
            i = end
            continue
        if char == "/" and nxt == "*":
            end = text.find("*/", i + 2)
            end = n if end == -1 else end + 2
            _blank(out, i, end)
            i = end
            continue
        if char in "'\"`":
            end = _string_end(text, i, char)
            if strings:
                _blank(out, i + 1, end - 1)
            i = end
            last_significant = char
            continue
        if char == "/" and (last_significant in _REGEX_BEFORE or last_significant == ""):
            regex_end = _regex_end(text, i)
            if regex_end is not None:
                if strings:
                    _blank(out, i + 1, regex_end - 1)
                i = regex_end
                last_significant = "/"
                continue
        if not char.isspace():
            last_significant = char
        i += 1
    return "".join(out)


def _blank(out: list[str], start: int, end: int) -> None:
    for index in range(start, min(end, len(out))):
        if out[index] != "\n":
            out[index] = " "


def _string_end(text: str, start: int, quote: str) -> int:
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == quote:
            return i + 1
        if char == "\n" and quote != "`":
            return i
        i += 1
    return len(text)


def _regex_end(text: str, start: int) -> int | None:
    i, in_class = start + 1, False
    while i < len(text):
        char = text[i]
        if char == "\n":
            return None
        if char == "\\":
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            return i + 1
        i += 1
    return None


def _body_end(structure: str, open_brace: int) -> int:
    depth = 0
    for index in range(open_brace, len(structure)):
        char = structure[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(structure)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _functions(structure: str) -> dict[str, tuple[int, int, int]]:
    """Function name -> (start offset, body start, body end), first definition wins."""
    out: dict[str, tuple[int, int, int]] = {}
    for pattern in (_FUNCTION, _ARROW):
        for match in pattern.finditer(structure):
            name = match.group(1)
            brace = match.end() - 1
            out.setdefault(name, (match.start(), brace, _body_end(structure, brace)))
    return out


def _auth(
    code: str, start: int, end: int, functions: dict[str, tuple[int, int, int]], depth: int = 0
) -> str | None:
    body = code[start:end]
    hmac = _HMAC.search(body)
    if hmac:
        return f"verifies a signature ({hmac.group(0).rstrip('( ')}) at line {_line(code, start + hmac.start())}"
    user = _USER.search(body)
    if user and _COMPARE.search(body[user.end() : user.end() + 120]):
        return f"compares the signed-in user at line {_line(code, start + user.start())}"
    for statement_start, statement in _statements(body):
        if not _COMPARE.search(statement):
            continue
        credential = _CREDENTIAL.search(statement)
        if credential:
            where = _line(code, start + statement_start + credential.start())
            # never quote the match: it may sit inside a string literal holding the secret itself
            return f"compares a token, key or signature at line {where}"
    if depth < 3:
        for call in _CALL.finditer(body):
            name = call.group(1)
            if name in functions and name not in ENTRY_POINTS:
                _, inner_start, inner_end = functions[name]
                if inner_start <= start < inner_end:
                    continue
                found = _auth(code, inner_start, inner_end, functions, depth + 1)
                if found:
                    return f"calls {name}(), which {found}"
    return None


def _statements(body: str) -> list[tuple[int, str]]:
    """Rough statements: split at ``;``, newlines and braces (offsets kept)."""
    out: list[tuple[int, str]] = []
    start = 0
    for index, char in enumerate(body):
        if char in ";\n{}":
            if index > start:
                out.append((start, body[start:index]))
            start = index + 1
    if start < len(body):
        out.append((start, body[start:]))
    return out


def _branches(code: str, structure: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each ``action``/``path`` dispatch branch in a body: an ``if`` with its
    condition and block, or a ``case`` up to the next one."""
    out: list[tuple[int, int]] = []
    for match in _DISPATCH_IF.finditer(code, start, end):
        out.append((match.start(), _body_end(structure, match.end() - 1)))
    for match in _DISPATCH_SWITCH.finditer(code, start, end):
        switch_end = _body_end(structure, match.end() - 1)
        cases = list(_CASE.finditer(code, match.end(), switch_end))
        for index, case in enumerate(cases):
            case_end = cases[index + 1].start() if index + 1 < len(cases) else switch_end
            out.append((case.start(), case_end))
    return sorted(out)


def _judge_branches(
    code: str, structure: str, start: int, end: int, functions: dict[str, tuple[int, int, int]]
) -> tuple[str | None, re.Match[str] | None] | None:
    """Per-branch judgement of a dispatching body: a check before the first branch protects all;
    otherwise every branch must check the caller itself. Returns (caller check, an unchecked
    branch's write) or None when the body does not dispatch."""
    branches = _branches(code, structure, start, end)
    if not branches:
        return None
    before = _auth(code, start, branches[0][0], functions)
    if before:
        return before, None
    checks: list[str] = []
    for branch_start, branch_end in branches:
        found = _auth(code, branch_start, branch_end, functions)
        if found:
            checks.append(found)
            continue
        return None, _WRITES.search(code, branch_start, branch_end)
    return f"every {len(branches)} dispatch branches check the caller ({checks[0]})", None


def analyse_script(text: str) -> list[WebEndpoint]:
    """The ``doGet``/``doPost`` functions of one ``.gs``/``.js`` file."""
    if "doGet" not in text and "doPost" not in text:
        return []
    code = mask(text, strings=False)
    structure = mask(text, strings=True)
    functions = _functions(structure)
    out: list[WebEndpoint] = []
    for name in ENTRY_POINTS:
        if name not in functions:
            continue
        start, body_start, body_end = functions[name]
        judged = _judge_branches(code, structure, body_start, body_end, functions)
        if judged is None:
            auth = _auth(code, body_start, body_end, functions)
            writes = _WRITES.search(code, body_start, body_end)
        else:
            auth, unchecked = judged
            writes = unchecked or _WRITES.search(code, body_start, body_end)
        mutating = name == "doPost" or writes is not None
        evidence = (
            f"calls {writes.group(0).strip('.( ')} at line {_line(code, writes.start())}"
            if writes
            else ("accepts POST requests" if name == "doPost" else None)
        )
        out.append(
            WebEndpoint(
                name,
                _line(text, start),
                _line(text, body_end - 1),
                auth is not None,
                auth,
                mutating,
                evidence,
            )
        )
    return out


def webapp_access(text: str) -> WebAppAccess | None:
    """The web app's access when an ``appsscript.json`` deploys it to anyone (ValueError if bad JSON)."""
    data = json.loads(text)
    webapp = data.get("webapp") if isinstance(data, dict) else None
    if not isinstance(webapp, dict):
        return None
    access = webapp.get("access")
    if access not in {"ANYONE_ANONYMOUS", "ANYONE"}:
        return None
    match = re.search(r'"access"\s*:', text)
    line = _line(text, match.start()) if match else 1
    execute_as = webapp.get("executeAs")
    return WebAppAccess(str(access), str(execute_as) if execute_as else None, line)
