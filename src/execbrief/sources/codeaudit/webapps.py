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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from execbrief.sources.codeaudit import spans

ENTRY_POINTS = ("doGet", "doPost")
# Every pattern here is linear: no two adjacent parts can match the same characters (a run of
# whitespace or word characters has one way to be split), so a failed match never backtracks
# through the input (``async `` + 1,000 newlines took 88 s with ``async\s+`` next to ``[^()=]*``).
_FUNCTION = re.compile(r"\bfunction\s+([A-Za-z_$][\w$]*)\s*\(([^()]*)\)\s*\{")
_ARROW = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\b\s*)?"
    r"(?:function\b\s*(?:[\w$]+\s*)?\(([^()]*)\)|\(([^()]*)\)\s*=>|([A-Za-z_$][\w$]*)\s*=>)\s*\{"
)
_CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(")
_COMPARE = re.compile(r"(===|!==|==|!=)")
_CREDENTIAL = re.compile(
    # "token" anywhere in a word (``\w*token`` matched the same, in quadratic time on a long word)
    r"(?i)(token|\bapi_?key|\bapikey|\bsecret|\bsignature|\bsig\b|\bpasscode\b|"
    r"\bpassword\b|parameters?\.key\b|\[\s*['\"]key['\"]\s*\]|\bauth|apikey\b|_KEY\b)"
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
_IF = re.compile(r"\bif\s*\(")
#: A longer ``if (...)`` condition (or an unclosed one) is no dispatch on a parameter.
MAX_CONDITION = 4096
_DISPATCH_WORD = re.compile(rf"\b{_DISPATCH_WORDS}\b")
_EQUALS_STRING = re.compile(r"(?:===|==)\s*['\"][^'\"\n]+['\"]")
_OPEN_BLOCK = re.compile(r"\s*\{")
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


_JS_SPECIAL = re.compile(r"/\*|/|['\"`]")
_STRING_BODY = {
    quote: re.compile(rf"(?:[^{quote}\\{newline}]|\\[\s\S]|\\\Z)*")
    for quote, newline in (("'", "\\n"), ('"', "\\n"), ("`", ""))
}


@lru_cache(maxsize=4)
def mask(text: str, *, strings: bool) -> str:
    """``text`` with comments (and, if ``strings``, string contents) replaced by spaces.

    Lengths and newlines are kept, so offsets and line numbers still point into the original.
    One pass that jumps from one comment, string or slash to the next (kept for the file's
    other readers); a slash that opens no regex literal on its line ends the search for regex
    literals on that line, so a long line of ``(/[`` stays linear.
    """
    out = list(text)
    i, n = 0, len(text)
    last_significant = ""
    no_regex_before = -1
    while True:
        found = _JS_SPECIAL.search(text, i)
        if found is None:
            break
        at = found.start()
        between = text[i:at].rstrip()
        if between:
            last_significant = between[-1]
        token = found.group(0)
        if token == "/" and text.startswith("/", at + 1):
            end = text.find("\n", at)
            end = n if end == -1 else end
            _blank(out, at, end)
            i = end
            continue
        if token == "/*":
            end = text.find("*/", at + 2)
            end = n if end == -1 else end + 2
            _blank(out, at, end)
            i = end
            continue
        if token != "/":
            end = _STRING_BODY[token].match(text, at + 1).end()  # type: ignore[union-attr]
            end = end + 1 if end < n and text[end] == token else end
            if strings:
                _blank(out, at + 1, end - 1)
            i = end
            last_significant = token
            continue
        if at > no_regex_before and (last_significant in _REGEX_BEFORE or last_significant == ""):
            regex_end = _regex_end(text, at)
            if regex_end is not None:
                if strings:
                    _blank(out, at + 1, regex_end - 1)
                i = regex_end
                last_significant = "/"
                continue
            line_end = text.find("\n", at)
            no_regex_before = n if line_end == -1 else line_end
        last_significant = "/"
        i = at + 1
    return "".join(out)


def _blank(out: list[str], start: int, end: int) -> None:
    for index in range(start, min(end, len(out))):
        if out[index] != "\n":
            out[index] = " "


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
    return spans.matching(structure, open_brace)


def _line(text: str, offset: int) -> int:
    return spans.line_of(text, offset)


class Functions(dict[str, tuple[int, int, int]]):
    """Function name -> (start offset, body start, body end), first definition wins; with each
    body's own text (the bodies of functions defined inside it cut out, so the pieces of all
    functions together cover the file once) and the answers already found about each."""

    def __init__(self) -> None:
        super().__init__()
        self.own: dict[str, list[tuple[int, int]]] = {}
        self.memo: dict[tuple[str, str, int], str | None] = {}


def _functions(structure: str) -> Functions:
    """Every function definition of a masked file (see ``Functions``)."""
    out = Functions()
    bodies: list[tuple[int, int]] = []
    for pattern in (_FUNCTION, _ARROW):
        for match in pattern.finditer(structure):
            brace = match.end() - 1
            body = (brace, _body_end(structure, brace))
            bodies.append(body)
            out.setdefault(match.group(1), (match.start(), *body))
    children: dict[tuple[int, int], list[tuple[int, int]]] = {}
    open_bodies: list[tuple[int, int]] = []
    for body in sorted(set(bodies), key=lambda b: (b[0], -b[1])):
        while open_bodies and open_bodies[-1][1] <= body[0]:
            open_bodies.pop()
        if open_bodies:
            children.setdefault(open_bodies[-1], []).append(body)
        open_bodies.append(body)
    for name, (_, start, end) in out.items():
        pieces, at = [], start
        for child_start, child_end in children.get((start, end), []):
            pieces.append((at, child_start))
            at = child_end
        pieces.append((at, end))
        out.own[name] = pieces
    return out


def _defines(code: str, at: int) -> bool:
    """Is the name at ``at`` the one a ``function name(`` defines (not a call)?"""
    return code[max(0, at - 40) : at].rstrip().endswith("function")


Check = Callable[[str, int, int], str | None]


def reach(
    code: str,
    pieces: list[tuple[int, int]],
    functions: Functions,
    check: Check,
    *,
    kind: str,
    wrap: str = "calls {name}(), which {found}",
    skip: tuple[str, ...] = (),
    depth: int = 0,
) -> str | None:
    """What ``check`` finds in ``pieces`` of ``code``, or in a same-file function they call (up
    to three calls deep, each function's answer found once: linear in the file)."""
    for start, end in pieces:
        found = check(code, start, end)
        if found:
            return found
    if depth >= 3:
        return None
    followed: set[str] = set()
    for start, end in pieces:
        for call in _CALL.finditer(code, start, end):
            name = call.group(1)
            if name not in functions or name in followed or name in skip:
                continue
            if _defines(code, call.start()):
                continue
            followed.add(name)
            _, inner_start, inner_end = functions[name]
            if inner_start <= start < inner_end:
                continue  # the function these pieces belong to
            key = (kind, name, depth + 1)
            if key not in functions.memo:
                functions.memo[key] = None  # a cycle finds nothing
                functions.memo[key] = reach(
                    code, functions.own[name], functions, check,
                    kind=kind, wrap=wrap, skip=skip, depth=depth + 1,
                )  # fmt: skip
            found = functions.memo[key]
            if found:
                return wrap.format(name=name, found=found)
    return None


def _direct_auth(code: str, start: int, end: int) -> str | None:
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
    return None


def _auth(code: str, start: int, end: int, functions: Functions) -> str | None:
    return reach(code, [(start, end)], functions, _direct_auth, kind="auth", skip=ENTRY_POINTS)


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


def _dispatch_if(code: str, structure: str, at: int) -> tuple[int, int] | None:
    """The brace of an ``if`` block whose condition compares a dispatch word (``action``,
    ``path``, ...) to a string, and the block's end; None for any other ``if``."""
    close = spans.matching(structure, at, "(", ")")
    if close - at > MAX_CONDITION:
        return None  # unclosed, or no dispatch condition
    condition = code[at + 1 : close - 1]
    head_end = min((i for i in map(condition.find, "(){};") if i != -1), default=len(condition))
    if any(c in condition for c in "{};"):
        return None
    word = _DISPATCH_WORD.search(condition, 0, head_end)
    if word is None:
        return None
    compare = _EQUALS_STRING.search(condition, word.end())
    if compare is None or compare.start() >= head_end:
        return None
    block = _OPEN_BLOCK.match(structure, close)
    if block is None:
        return None
    return block.end() - 1, _body_end(structure, block.end() - 1)


def _branches(code: str, structure: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each ``action``/``path`` dispatch branch in a body: an ``if`` with its
    condition and block, or a ``case`` up to the next one. A dispatch nested in a branch is part
    of that branch (so the branches never overlap and are read once)."""
    out: list[tuple[int, int]] = []
    for match in _IF.finditer(code, start, end):
        found = _dispatch_if(code, structure, match.end() - 1)
        if found:
            out.append((match.start(), found[1]))
    for match in _DISPATCH_SWITCH.finditer(code, start, end):
        switch_end = _body_end(structure, match.end() - 1)
        cases = list(_CASE.finditer(code, match.end(), switch_end))
        for index, case in enumerate(cases):
            case_end = cases[index + 1].start() if index + 1 < len(cases) else switch_end
            out.append((case.start(), case_end))
    outermost: list[tuple[int, int]] = []
    for branch in sorted(out):
        if outermost and branch[0] < outermost[-1][1]:
            continue
        outermost.append(branch)
    return outermost


def _judge_branches(
    code: str, structure: str, start: int, end: int, functions: Functions
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
