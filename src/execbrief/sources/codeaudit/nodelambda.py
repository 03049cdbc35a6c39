"""Node.js Lambda handlers (``exports.handler``, ``export const handler``), read at tokenizer level.

The same questions as for Python (``codeaudit.lambdas``), answered by pattern over the handler's
body with comments blanked: the routes it dispatches on (``event.httpMethod === "POST"``,
``event.requestContext.http.method``, ``event.path``/``rawPath``, ``event.routeKey === "POST /x"``,
``switch (event.routeKey) { case "POST /x": ... }``, through local names such as ``method``), whether
a branch checks its caller (``jwt.verify``, ``timingSafeEqual``, a Stripe webhook signature, the
Authorization or API-key header or an authorizer claim *compared* — a mere read or a presence
test is no check — or a same-file function that does), and whether it writes (POST/PUT/PATCH/DELETE, DynamoDB/SES/Stripe write calls).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from execbrief.sources.codeaudit import spans
from execbrief.sources.codeaudit.webapps import Functions, _body_end, _functions, _line, mask, reach

# The handler's head, then (matched at its end) the function it is bound to. Neither has two
# adjacent parts that can match the same characters, so a failed match is linear (the single
# pattern this replaced took 88 s on ``exports.handler = async `` + 1,000 newlines).
_HANDLER = re.compile(
    r"(?:module\.)?exports\.(\w+)\s*=\s*|export\s+(?:const|let)\s+(\w+)\s*=\s*"
    r"|export\s+(?:async\s+)?function\s+(\w+)\s*(?=\()"
)
_HANDLER_FUNCTION = re.compile(
    r"(?:async\b\s*)?(?:function\b\s*(?:[\w$]+\s*)?)?(?:\(([^()]*)\)|([A-Za-z_$][\w$]*))\s*(?:=>\s*)?\{"
)
# A concise arrow body: ``async (event) => ({ ... })`` returns an object and dispatches nothing.
_HANDLER_CONCISE = re.compile(r"(?:async\b\s*)?(?:\(([^()]*)\)|([A-Za-z_$][\w$]*))\s*=>\s*(?=\()")
_METHOD = r"(?:event\.httpMethod|event\.requestContext\.http\.method|event\.requestContext\.httpMethod|method|httpMethod|verb)"
_PATH = r"(?:event\.path|event\.rawPath|event\.resource|event\.requestContext\.http\.path|path|rawPath|route)"
_KEY = r"(?:event\.routeKey|routeKey)"
_IF = re.compile(r"\bif\s*\(")
_COMPARE = re.compile(
    rf"(?P<subject>{_METHOD}|{_PATH}|{_KEY})(?:\.toUpperCase\(\))?\s*===?\s*['\"`](?P<value>[^'\"`]+)['\"`]"
    rf"|['\"`](?P<value2>[^'\"`]+)['\"`]\s*===?\s*(?P<subject2>{_METHOD}|{_PATH}|{_KEY})\b"
)
_SWITCH = re.compile(
    rf"\bswitch\s*\(\s*(?P<subject>{_METHOD}|{_KEY}|{_PATH})(?:\.toUpperCase\(\))?\s*\)\s*\{{"
)
_CASE = re.compile(r"\bcase\s+['\"`]([^'\"`]+)['\"`]\s*:|\bdefault\s*:")
#: Calls that verify what the caller sent.
_VERIFY = re.compile(
    r"\bjwt\.verify\s*\(|\bjwtVerify\s*\(|timingSafeEqual\s*\(|constructEvent\s*\(", re.IGNORECASE
)
#: Reads of what the caller sent: they count only when what was read is compared.
_READ = re.compile(
    r"headers\s*(?:\.\s*authorization\b|\.\s*Authorization\b|\[\s*['\"](?:authorization|Authorization|x-api-key|X-Api-Key)['\"]\s*\])"
    r"|requestContext\.authorizer|['\"](?:x-api-key)['\"]",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    r"(?<![=!])(?:===|!==|==|!=)(?!=)(?!\s*(?:null\b|undefined\b|''|\"\"|[;)]|$))|\.includes\s*\(",
    re.MULTILINE,
)
_BINDING = re.compile(r"^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=")
_WRITES = re.compile(
    r"\b(?:Put|Update|Delete|BatchWrite|TransactWrite)(?:Item)?Command\b|\bSend(?:Raw|Templated)?EmailCommand\b"
    r"|\.(?:put|update|delete|batchWrite|transactWrite|sendEmail|publish|sendMessage)\s*\("
    r"|\b(?:charges|paymentIntents|refunds|customers|subscriptions)\.create\s*\("
)
_CALL = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(")
#: Longer ``if (...)`` conditions (or unclosed ones) choose no route; dispatch branches nested
#: deeper than this are read as part of the branch they sit in. Both keep a handler linear.
MAX_CONDITION = 4096
MAX_BRANCH_DEPTH = 4
VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "ANY", "OPTIONS", "HEAD"})
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class NodeRoute:
    """One route of a Node.js handler."""

    handler: str
    method: str | None
    path: str | None
    line: int
    end_line: int
    authenticated: bool
    auth_evidence: str | None
    mutating: bool
    mutation_evidence: str | None


def is_node_lambda(text: str) -> bool:
    """Cheap pre-test: does the file export a handler taking an event?"""
    return "handler" in text and "event" in text and ("exports" in text or "export " in text)


def _kind(subject: str) -> str:
    if re.fullmatch(_METHOD, subject):
        return "method"
    if re.fullmatch(_KEY, subject):
        return "routekey"
    return "path"


def _parse(kind: str, value: str) -> tuple[str | None, str | None] | None:
    if kind == "method":
        return (value.upper(), None) if value.upper() in VERBS else None
    if kind == "path":
        return (None, value) if value.startswith("/") else None
    head, _, tail = value.partition(" ")
    if head.upper() in VERBS and tail.startswith("/"):
        return head.upper(), tail
    return None


def _statement(code: str, start: int, end: int, at: int) -> tuple[int, int]:
    head = spans.last_before(spans.positions(code, ";\n{"), at, start)
    tail = spans.first_from(spans.positions(code, ";\n"), at, end)
    return (start if head is None else head + 1), (end if tail is None else tail)


# A name compared after it is bound (``auth === EXPECTED``, ``EXPECTED !== auth``,
# ``allowed.includes(...)``): the member chain after the name is bounded and possessive, so one
# pass over a range finds every compared name in linear time.
_NAME_COMPARED = re.compile(
    r"(?<![\w$])([A-Za-z_$][\w$]*+)[\w.$\[\]'\"():-]{0,100}+\s*(?:===|!==|==|!=)(?!=)"
    r"(?!\s*(?:null\b|undefined\b|''|\"\"))"
    r"|(?:===|!==|==|!=)\s*([A-Za-z_$][\w$]*+)"
    r"|(?<![\w$])([A-Za-z_$][\w$]*+)[\w.$\[\]'\"-]{0,100}?\.includes\s*\("
)


def _compared_names(code: str, start: int, end: int) -> dict[str, int]:
    """Name -> the offset of its last comparison in ``code[start:end]``."""
    out: dict[str, int] = {}
    for match in _NAME_COMPARED.finditer(code, start, end):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        out[match.group(group)] = match.start(group)
    return out


def _verified(code: str, start: int, end: int) -> re.Match[str] | None:
    """A verifying call, or a read of the caller's header or claims whose value is compared
    (in its statement, or through the name it is bound to); a presence test is no check."""
    found = _VERIFY.search(code, start, end)
    if found:
        return found
    compared: dict[str, int] | None = None
    seen: set[int] = set()
    for read in _READ.finditer(code, start, end):
        head, tail = _statement(code, start, end, read.start())
        if head in seen:  # one statement holding many reads is read once
            continue
        seen.add(head)
        statement = code[head:tail]
        if _COMPARED.search(statement):
            return read
        bound = _BINDING.match(statement)
        if bound:
            if compared is None:
                compared = _compared_names(code, start, end)
            if compared.get(bound.group(1), -1) >= tail:
                return read
    return None


def _direct_auth(code: str, start: int, end: int) -> str | None:
    found = _verified(code, start, end)
    if found:
        return f"checks the caller ({found.group(0).strip()[:40]}) at line {_line(code, found.start())}"
    return None


def _direct_writes(code: str, start: int, end: int) -> str | None:
    found = _WRITES.search(code, start, end)
    if found:
        return f"calls {found.group(0).strip('.( ')} at line {_line(code, found.start())}"
    return None


def _auth(code: str, start: int, end: int, functions: Functions) -> str | None:
    return reach(code, [(start, end)], functions, _direct_auth, kind="node-auth")


def _writes(code: str, start: int, end: int, functions: Functions) -> str | None:
    return reach(
        code, [(start, end)], functions, _direct_writes, kind="node-writes", wrap="{found}"
    )


def analyse_node_lambda(text: str) -> list[NodeRoute]:
    """Every route of every exported handler of one JavaScript/TypeScript file."""
    if not is_node_lambda(text):
        return []
    code = mask(text, strings=False)
    structure = mask(text, strings=True)
    functions = _functions(structure)
    routes: list[NodeRoute] = []
    for head in _HANDLER.finditer(structure):
        match = _HANDLER_FUNCTION.match(structure, head.end())
        concise = match is None
        if match is None:
            match = _HANDLER_CONCISE.match(structure, head.end())
        if match is None:
            continue
        name = head.group(1) or head.group(2) or head.group(3)
        params = match.group(1) or match.group(2) or ""
        takes_event = "event" in params or "evt" in params
        if not takes_event and name not in {"handler", "lambdaHandler", "main"}:
            continue
        if concise:  # ``=> ( ... )``: the body is the parenthesised expression
            body_start = match.end()
            body_end = _matching(structure, body_start, "(", ")")
        else:
            body_start = match.end() - 1
            body_end = _body_end(structure, body_start)
        found = not concise and _branches(
            text, code, structure, body_start, body_end, functions, name, routes
        )
        if not found:
            auth = _auth(code, body_start, body_end, functions)
            writes = _writes(code, body_start, body_end, functions)
            routes.append(
                NodeRoute(
                    name,
                    None,
                    None,
                    _line(text, head.start()),
                    _line(text, body_end - 1),
                    auth is not None,
                    auth,
                    writes is not None,
                    writes,
                )
            )
    return routes


def _branches(
    text: str,
    code: str,
    structure: str,
    start: int,
    end: int,
    functions: Functions,
    handler: str,
    routes: list[NodeRoute],
) -> bool:
    # (position, method, path, body start, body end, condition) of every dispatching branch
    branches: list[tuple[int, str | None, str | None, int, int, str]] = []
    for match in _IF.finditer(structure, start, end):
        open_paren = match.end() - 1
        close = _matching(structure, open_paren, "(", ")")
        if close - open_paren > MAX_CONDITION:
            continue  # unclosed, or no condition a route is chosen by
        condition = code[open_paren:close]
        method: str | None = None
        path: str | None = None
        for compare in _COMPARE.finditer(condition):
            subject = compare.group("subject") or compare.group("subject2")
            value = compare.group("value") or compare.group("value2")
            parsed = _parse(_kind(subject), value)
            if parsed:
                method = parsed[0] or method
                path = parsed[1] or path
        if method is None and path is None:
            continue
        brace = structure.find("{", close)
        if brace == -1 or structure[close:brace].strip():
            semicolon = structure.find(";", close)
            body_start, body_end = close, (semicolon + 1 if semicolon != -1 else end)
        else:
            body_start, body_end = brace, _body_end(structure, brace)
        branches.append((match.start(), method, path, body_start, body_end, condition))
    for switch in _SWITCH.finditer(structure, start, end):
        kind = _kind(switch.group("subject"))
        brace = switch.end() - 1
        switch_end = _body_end(structure, brace)
        cases = list(_CASE.finditer(structure, brace, switch_end))
        for index, case in enumerate(cases):
            if case.group(1) is None:
                continue
            parsed = _parse(kind, text[case.start(1) : case.end(1)])
            if parsed is None:
                continue
            case_end = cases[index + 1].start() if index + 1 < len(cases) else switch_end
            branches.append((case.start(), parsed[0], parsed[1], case.end(), case_end, ""))
    if not branches:
        return False
    branches = _shallow(branches)
    first = min(position for position, *_ in branches)
    # a caller check at the top of the handler, before any dispatch, protects every route
    before = _auth(code, start, first, functions)
    for position, method, path, body_start, body_end, condition in sorted(branches):
        in_condition = _verified(condition, 0, len(condition))
        auth = (
            before
            or (
                f"checks the caller in the condition at line {_line(text, position)}"
                if in_condition
                else None
            )
            or _auth(code, body_start, body_end, functions)
        )
        writes = _writes(code, body_start, body_end, functions)
        if method in {"OPTIONS", "HEAD"}:
            continue
        mutating = method in MUTATING or writes is not None
        evidence = writes or (f"{method} request" if method in MUTATING else None)
        routes.append(
            NodeRoute(
                handler,
                method,
                path,
                _line(text, position),
                _line(text, max(body_end - 1, position)),
                auth is not None,
                auth,
                mutating,
                evidence,
            )
        )
    return True


def _shallow(
    branches: list[tuple[int, str | None, str | None, int, int, str]],
) -> list[tuple[int, str | None, str | None, int, int, str]]:
    """The branches nested at most ``MAX_BRANCH_DEPTH`` deep in one another (a deeper one is part
    of the branch it sits in), so no text is read for more than that many routes."""
    out: list[tuple[int, str | None, str | None, int, int, str]] = []
    enclosing: list[int] = []  # body ends of the branches the current one sits in
    for branch in sorted(branches):
        while enclosing and enclosing[-1] <= branch[0]:
            enclosing.pop()
        if len(enclosing) < MAX_BRANCH_DEPTH:
            out.append(branch)
            enclosing.append(branch[4])
    return out


def _matching(structure: str, start: int, opener: str, closer: str) -> int:
    return spans.matching(structure, start, opener, closer)
