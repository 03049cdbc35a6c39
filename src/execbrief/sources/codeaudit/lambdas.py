"""Python AWS Lambda handlers read with ``ast``: routes, caller checks and state changes.

A handler is a function named in a SAM/serverless ``Handler``, or ``lambda_handler``/``handler``
taking ``(event, context)``. Its routes are the comparisons it dispatches on — ``event["httpMethod"]``,
``event["path"]``, ``event["rawPath"]``, ``event["routeKey"]``, ``event["requestContext"]["http"]
["method"]``, directly or through local names, ``in (...)`` tests, ``match`` statements, and
dispatch tables (``{"POST /book": create}``, ``{("POST", "/book"): create}``). A route is
authenticated when a caller check runs before or inside it: the Authorization (or API-key) header
is read, a JWT is verified (``jwt.decode``), a key is compared (``hmac.compare_digest``), or the
API Gateway authorizer's claims are read — directly or in a module function it calls. A route
mutates when its method is POST/PUT/PATCH/DELETE or it calls a writing API (``put_item``,
``send_email``, ``stripe.Charge.create``, ...).
"""

from __future__ import annotations

import ast
import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from itertools import islice, product

HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"})
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: CORS preflight and HEAD answer without acting: not routes worth auditing.
SKIPPED_METHODS = frozenset({"OPTIONS", "HEAD"})
HANDLER_NAMES = frozenset({"lambda_handler", "handler"})
EVENT_NAMES = frozenset({"event", "evt", "_event"})
CONTEXT_NAMES = frozenset({"context", "ctx", "_context", "_ctx", "_"})
#: Header names whose reading counts as looking at the caller's credentials.
AUTH_HEADERS = frozenset(
    {
        "authorization",
        "x-api-key",
        "x-auth-token",
        "x-access-token",
        "x-api-token",
        "api-key",
        "apikey",
        "stripe-signature",
        "x-hub-signature",
        "x-hub-signature-256",
        "x-twilio-signature",
        "x-slack-signature",
        "x-signature",
    }
)
CREDENTIAL_KEYS = AUTH_HEADERS | {"authorizer"}
#: Names of imported functions that, by convention, check the caller.
_AUTH_CALL = re.compile(
    r"^(?:(?:verify|validate|authenticate|authorize|authorise|require|check|ensure)_?"
    r"(?:token|jwt|auth|user|caller|signature|api_?key|request|session|access|admin|login|credentials|"
    r"permissions?|role)\w*|(?:is_)?authori[sz]ed|get_current_user|current_user|login_required)$",
    re.IGNORECASE,
)
#: Query-string parameters that carry a shared token.
TOKEN_PARAMS = frozenset({"token", "api_key", "apikey", "key", "signature", "sig", "access_token"})
#: Method names that write state wherever they are called.
MUTATING_CALLS = frozenset(
    {
        "put_item",
        "update_item",
        "delete_item",
        "batch_write_item",
        "transact_write_items",
        "put_object",
        "delete_object",
        "delete_objects",
        "copy_object",
        "send_email",
        "send_raw_email",
        "send_templated_email",
        "send_bulk_templated_email",
        "send_message",
        "send_message_batch",
        "publish",
        "charge",
        "refund",
        "capture",
        "insert",
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "delete_one",
        "delete_many",
        "delete",
        "start_execution",
        "put_events",
        "put_record",
        "put_parameter",
        "put_secret_value",
    }
)
#: ``X.Y.create(...)`` writes (``stripe.Charge.create``, ``client.messages.create``).
CREATE_CALLS = frozenset({"create", "modify", "cancel"})
MAX_DEPTH = 4


@dataclass(frozen=True)
class Route:
    """One route of one handler, with what was found about it."""

    handler: str
    method: str | None
    path: str | None
    line: int
    end_line: int | None
    authenticated: bool
    auth_evidence: str | None
    mutating: bool
    mutation_evidence: str | None
    function: str | None = None
    function_line: int | None = None
    #: For a route declared on a router imported from another module, that module's dotted name:
    #: the template's authorizer is looked up on the handler there.
    router_module: str | None = None
    #: The body or query ``action`` this route is the branch of (``delete``), if it is one.
    action: str | None = None


@dataclass(frozen=True)
class Constraint:
    """What a branch's condition says about the request: methods and paths (None = any)."""

    methods: tuple[str, ...] | None = None
    paths: tuple[str, ...] | None = None
    #: Values of an ``action`` (``op``, ``cmd``, a body ``path``...) field of the request body or
    #: query string the branch is chosen by: each is an endpoint of its own.
    actions: tuple[str, ...] | None = None

    def merge(self, other: Constraint) -> Constraint:
        """Both conditions at once (an inner ``if`` refines an outer one)."""
        return Constraint(
            other.methods or self.methods, other.paths or self.paths, other.actions or self.actions
        )

    def routes(self) -> list[tuple[str | None, str | None]]:
        """Every (method, path) the constraint names."""
        methods: tuple[str | None, ...] = self.methods or (None,)
        paths: tuple[str | None, ...] = self.paths or (None,)
        return [(m, p) for m in methods for p in paths]


#: Local names bound to what they read from the event (``method = event["httpMethod"]``). A branch
#: sees its enclosing scope's names through a ``ChainMap`` child, not a copy: 20,000 branches
#: after 20,000 bindings cost 20,000 lookups, not 400 million copied entries.
Env = MutableMapping[str, list[str]]


def _scope(env: Env) -> Env:
    """A branch's own names over its enclosing ones (bindings in the branch do not leak out)."""
    return env.new_child() if isinstance(env, ChainMap) else ChainMap({}, env)


#: Routes one file may give: 1 MB of one-line ``if`` routes gives about 20,000. A file naming more
#: (a branch over the product of long ``in (...)`` tuples, thousands of handlers sharing a dispatch
#: table) is cut there, with a problem naming the line, so reading stays linear in the file.
MAX_ROUTES = 25_000
#: Nodes of module functions one file's handlers may re-analyse for the events they hand on
#: (``return route(event)``), beyond the file's own: as many as the file holds (so at most twice the work of reading it once).
DELEGATION_FACTOR = 1

#: Subtrees of at most this many nodes are remembered once walked (a handler's branches are walked
#: for routes, caller checks, writes and targets: each once, not five times); bigger ones, which
#: hold smaller ones, are walked again, so memory stays linear in the file.
MAX_REMEMBERED_SUBTREE = 2_000


#: Fields that hold only context and operator leaves (``Load``, ``Eq``, ``And``): shared
#: singletons no check here looks for by walking (they are read off their parent, ``test.ops``).
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def subtree(node: ast.AST) -> list[ast.AST]:
    """``node`` and every node under it, in ``ast.walk``'s order (breadth first), as a list,
    without the context and operator leaves (a third fewer nodes to look at)."""
    out = [node]
    append = out.append
    fields = _FIELDS
    for current in out:  # the list grows as it is read: breadth first
        kind = type(current)
        names = fields.get(kind)
        if names is None:
            names = fields[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        for name in names:
            value = getattr(current, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        append(item)
            elif isinstance(value, ast.AST):
                append(value)
    return out


@dataclass
class _Module:
    tree: ast.Module
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    tables: dict[str, ast.Dict]
    auth_memo: dict[str, str | None] = field(default_factory=dict)
    write_memo: dict[str, str | None] = field(default_factory=dict)
    #: id of a node of ``tree`` -> its subtree (the tree keeps every node, so ids stay unique)
    subtrees: dict[int, list[ast.AST]] = field(default_factory=dict)
    #: Whether the module names a credential header or ``authorizer`` at all: when it does not,
    #: no read of one (``_credential_read``) can be found, and none is looked for.
    reads_credentials: bool = True
    #: id of a node -> the calls and comparisons under it (all that caller checks, writes and
    #: hand-offs are looked for in), remembered like ``subtrees``
    call_lists: dict[int, list[ast.AST]] = field(default_factory=dict)
    #: (line, sentence) for each limit the file reached (``MAX_ROUTES``, the delegation budget)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    routes_left: int = MAX_ROUTES
    #: nodes of module functions still to re-analyse for hand-offs (set from the file's size)
    delegation_left: int = 0
    sizes: dict[str, int] = field(default_factory=dict)

    def walk(self, node: ast.AST) -> list[ast.AST]:
        """``subtree(node)``, remembered for small subtrees."""
        found = self.subtrees.get(id(node))
        if found is None:
            found = subtree(node)
            if len(found) <= MAX_REMEMBERED_SUBTREE:
                self.subtrees[id(node)] = found
        return found

    def calls(self, node: ast.AST) -> list[ast.AST]:
        """The ``Call`` and ``Compare`` nodes of ``walk(node)``, in its order."""
        found = self.call_lists.get(id(node))
        if found is None:
            nodes = self.walk(node)
            found = [n for n in nodes if isinstance(n, ast.Call | ast.Compare)]
            if len(nodes) <= MAX_REMEMBERED_SUBTREE:
                self.call_lists[id(node)] = found
        return found

    def size(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
        """How many nodes ``function`` holds (counted once)."""
        if function.name not in self.sizes:
            self.sizes[function.name] = len(subtree(function))
        return self.sizes[function.name]

    def spend_delegation(self, function: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> bool:
        """Whether ``function`` may be analysed once more for a hand-off at ``line``."""
        self.delegation_left -= self.size(function)
        if self.delegation_left >= 0:
            return True
        if not any("hands the event" in text for _, text in self.problems):
            self.problems.append(
                (
                    line,
                    f"hands the event on to {function.name}() and other functions more often than "
                    "can be followed; the routes of the hand-offs from this line on are not listed",
                )
            )
        return False

    def take_routes(self, count: int, line: int, *, peek: bool = False) -> int:
        """How many of ``count`` routes found at ``line`` may still be listed (``MAX_ROUTES``);
        with ``peek``, without counting them as listed."""
        allowed = min(count, self.routes_left)
        if not peek:
            self.routes_left -= allowed
        if allowed < count and not any("routes" in text for _, text in self.problems):
            self.problems.append(
                (
                    line,
                    f"names more than {MAX_ROUTES:,} routes; the routes from this line on are not "
                    "listed (split the handler, or audit it by hand)",
                )
            )
        return allowed


def _functions(nodes: list[ast.AST]) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    out: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in nodes:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.setdefault(node.name, node)
    return out


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _route_key(text: str) -> tuple[str | None, str | None] | None:
    """``"POST /book"`` -> (POST, /book); ``"POST"`` -> (POST, None); ``"/book"`` -> (None, /book)."""
    text = text.strip()
    head, _, tail = text.partition(" ")
    if head.upper() in HTTP_METHODS and head.isupper():
        return head, (tail.strip() or None)
    if text.startswith("/") or text == "$default":
        return None, text
    return None


def _table_key(node: ast.AST | None) -> tuple[str | None, str | None] | None:
    text = _str(node)
    if text is not None:
        return _route_key(text)
    if isinstance(node, ast.Tuple) and len(node.elts) == 2:
        first, second = _str(node.elts[0]), _str(node.elts[1])
        if (
            first
            and second
            and first.upper() in HTTP_METHODS
            and (second.startswith("/") or second == "$default")
        ):
            return first.upper(), second
    return None


def _tables(nodes: list[ast.AST]) -> dict[str, ast.Dict]:
    """Dicts bound to a name whose keys all look like routes and whose values are callables."""
    out: dict[str, ast.Dict] = {}
    for node in nodes:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or not isinstance(node.value, ast.Dict):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        table = node.value
        routes_like = table.keys and all(_table_key(k) is not None for k in table.keys)
        callables = all(isinstance(v, ast.Name | ast.Attribute | ast.Lambda) for v in table.values)
        if names and routes_like and callables:
            out[names[0]] = table
    return out


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


Walk = Callable[[ast.AST], list[ast.AST]]


def _credential_read(node: ast.AST, names: Mapping[str, str], walk: Walk = subtree) -> str | None:
    """The header (``Authorization``, ``x-api-key``) or ``authorizer`` read anywhere in ``node``,
    directly or through a local name bound to such a read."""
    for child in walk(node):
        if isinstance(child, ast.Name) and child.id in names:
            return names[child.id]
        key: str | None = None
        if isinstance(child, ast.Subscript):
            key = _str(child.slice)
        elif (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and child.func.attr == "get"
            and child.args
        ):
            key = _str(child.args[0])
        if key is not None and (key.lower() in AUTH_HEADERS or key.lower() == "authorizer"):
            return key
    return None


def _credential_names(roots: list[ast.AST], walk: Walk = subtree) -> dict[str, str]:
    """Local names bound (in any order of assignment) to a header or authorizer read."""
    names: dict[str, str] = {}
    assigns = [n for root in roots for n in walk(root) if isinstance(n, ast.Assign)]
    for _ in range(3):  # token = header.removeprefix("Bearer "): follow a few hops
        for assign in assigns:
            found = _credential_read(assign.value, names, walk)
            if found:
                for target in assign.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, found)
    return names


def _empty(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in (None, "", False, 0)


def _verified_compare(
    node: ast.Compare, names: Mapping[str, str], display: str, walk: Walk = subtree
) -> str | None:
    """``supplied == EXPECTED`` or ``supplied != os.environ[...]`` on a header read; an authorizer
    claim compared or tested for membership (``"admin" in claims["cognito:groups"]``). A
    presence test (``if not token``, ``token is None``, ``"authorization" in headers``) is no
    verification."""
    sides = [node.left, *node.comparators]
    found = next((k for k in (_credential_read(side, names, walk) for side in sides) if k), None)
    if found is None:
        return None
    at = f" at {display}:{node.lineno}"
    if found.lower() == "authorizer":
        if all(isinstance(op, ast.Is | ast.IsNot) for op in node.ops) or any(
            _empty(side) for side in sides
        ):
            return None
        return f"checks an API Gateway authorizer claim{at}"
    if all(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops) and not any(
        _empty(side) for side in sides
    ):
        return f"compares the {found} header{at}"
    return None


def _jwt_verified(call: ast.Call) -> bool:
    """``jwt.decode(token, key, ...)``: a key is passed and verification is not switched off."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if len(call.args) < 2 and "key" not in keywords:
        return False
    verify = keywords.get("verify")
    if isinstance(verify, ast.Constant) and verify.value is False:
        return False
    options = keywords.get("options")
    if isinstance(options, ast.Dict):
        for key, value in zip(options.keys, options.values, strict=False):
            off = isinstance(value, ast.Constant) and value.value is False
            if key is not None and _str(key) == "verify_signature" and off:
                return False
    return True


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return "?"


class _Handler:
    """Route analysis of one handler function (and the module functions it hands the event to)."""

    def __init__(self, module: _Module, display: str, handler: str) -> None:
        self.module = module
        #: names bound anywhere in the handler to a header or authorizer read
        self.credentials: dict[str, str] = {}
        self.display = display
        self.handler = handler
        self.routes: list[Route] = []
        self.seen_tables: set[str] = set()
        #: (function, scope, caller check, depth, event names) of each hand-off followed -> whether
        #: it found routes
        self.delegated: dict[tuple[object, ...], bool] = {}
        self.target_facts: dict[str, tuple[str | None, str | None]] = {}

    # -- where a value comes from ---------------------------------------------------------------

    def chain(self, node: ast.AST, env: Env) -> list[str] | None:
        """The keys read from the event to get ``node`` (``["requestContext", "http", "method"]``)."""
        if isinstance(node, ast.Name):
            return list(env[node.id]) if node.id in env else None
        if isinstance(node, ast.Subscript):
            base = self.chain(node.value, env)
            key = _str(node.slice)
            if base is not None and key is not None:
                return [*base, key]
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "get" and node.args:
                base = self.chain(node.func.value, env)
                key = _str(node.args[0])
                if base is not None and key is not None:
                    return [*base, key]
                return None
            if node.func.attr in {"upper", "lower", "strip", "rstrip", "lstrip"}:
                return self.chain(node.func.value, env)
        if (
            isinstance(node, ast.Call)
            and _dotted(node.func) in {"json.loads", "loads"}
            and len(node.args) == 1
        ):
            return self.chain(node.args[0], env)  # body = json.loads(event["body"])
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            chains = [self.chain(value, env) for value in node.values]
            found = [c for c in chains if c is not None]
            # event.get("body") or "{}": the event's value; a routing one first
            return next((c for c in found if _kind(c)), found[0] if found else None)
        return None

    def part(self, node: ast.AST, env: Env) -> str | None:
        """``method``, ``path``, ``routekey`` or ``composite`` for a request-routing value."""
        found = self.chain(node, env)
        if found is not None:
            return _kind(found)
        if isinstance(node, ast.Tuple | ast.JoinedStr | ast.BinOp):
            for child in self.module.walk(node):
                if child is not node and isinstance(child, ast.Name | ast.Subscript | ast.Call):
                    inner = self.chain(child, env)
                    if inner is not None and _kind(inner):
                        return "composite"
        return None

    # -- conditions -------------------------------------------------------------------------------

    def constraint(self, test: ast.AST, env: Env) -> Constraint | None:
        """What an ``if`` test says about the route, or None when it is not a routing test."""
        if isinstance(test, ast.BoolOp):
            parts = [self.constraint(value, env) for value in test.values]
            found = [p for p in parts if p is not None]
            if not found:
                return None
            if isinstance(test.op, ast.And):
                merged = Constraint()
                for part in found:
                    merged = merged.merge(part)
                return merged
            methods = tuple(dict.fromkeys(m for p in found for m in (p.methods or ())))
            paths = tuple(dict.fromkeys(x for p in found for x in (p.paths or ())))
            return Constraint(methods or None, paths or None)
        if (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Attribute)
            and test.func.attr == "startswith"
        ):
            if self.part(test.func.value, env) == "path" and _str(
                test.args[0] if test.args else None
            ):
                return Constraint(paths=(f"{_str(test.args[0])}*",))
            return None
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        op, left, right = test.ops[0], test.left, test.comparators[0]
        if isinstance(op, ast.Eq) and isinstance(left, ast.Tuple) and isinstance(right, ast.Tuple):
            # (method, path) == ("POST", "/orders")
            merged = Constraint()
            for subject, element in zip(left.elts, right.elts, strict=False):
                element_kind, text = self.part(subject, env), _str(element)
                piece = (
                    _constraint(element_kind, (text,))
                    if element_kind and text is not None
                    else None
                )
                if piece is not None:
                    merged = merged.merge(piece)
            return merged if (merged.methods or merged.paths) else None
        if isinstance(op, ast.Eq):
            kind, value = self.part(left, env), _str(right)
            if kind is None:
                kind, value = self.part(right, env), _str(left)
            if kind is None or value is None:
                return None
            return _constraint(kind, (value,))
        if isinstance(op, ast.In) and isinstance(right, ast.Tuple | ast.List | ast.Set):
            kind = self.part(left, env)
            values = tuple(v for v in (_str(e) for e in right.elts) if v is not None)
            if kind is None or not values:
                return None
            return _constraint(kind, values)
        return None

    # -- caller checks and writes ------------------------------------------------------------------

    def auth_in(self, nodes: Iterable[ast.AST], env: Env, depth: int = 0) -> str | None:
        """The first caller check found in ``nodes`` (and the module functions they call)."""
        nodes = list(nodes)
        walk = self.module.walk
        reads = self.module.reads_credentials
        # the handler's names under these nodes' own: a ChainMap, not a copy of the handler's
        # (20,000 header reads bound to 20,000 names were copied once a branch: quadratic)
        credentials: Mapping[str, str] = (
            ChainMap(_credential_names(nodes, walk), self.credentials) if reads else {}
        )
        for root in nodes:
            for node in self.module.calls(root):
                if reads and isinstance(node, ast.Compare):
                    found = _verified_compare(node, credentials, self.display, walk)
                    if found:
                        return found
                found = self._auth_node(node, env, depth)
                if found:
                    return found
        return None

    def _auth_node(self, node: ast.AST, env: Env, depth: int) -> str | None:
        if not isinstance(node, ast.Call | ast.Compare):
            return None
        line = getattr(node, "lineno", None)
        at = f" at {self.display}:{line}" if line else ""
        if isinstance(node, ast.Call):
            dotted = _dotted(node.func)
            if dotted.endswith("jwt.decode") and not _jwt_verified(node):
                pass  # decoded without a key, or with verification switched off: no check
            elif (
                dotted.endswith("jwt.decode")
                or dotted in {"decode_jwt", "jwt_decode"}
                or dotted.endswith(".verify_jwt")
            ):
                return f"verifies a JWT ({dotted}){at}"
            if dotted.endswith("compare_digest"):
                return f"compares a key ({dotted}){at}"
            if dotted.endswith("construct_event") or dotted.endswith("RequestValidator().validate"):
                return f"verifies a webhook signature ({dotted}){at}"
            name = _call_name(node)
            if name not in self.module.functions and _AUTH_CALL.match(name):
                # defined in another module we cannot see: its name is the best evidence we have
                return f"calls {dotted}() (imported){at}"
            if (
                isinstance(node.func, ast.Name)
                and name in self.module.functions
                and depth < MAX_DEPTH
            ):
                found = self._function_auth(name, depth + 1)
                if found:
                    return f"calls {name}(), which {found}"
        # Reading the Authorization header or the authorizer claims proves nothing by itself:
        # a comparison of what was read (see _verified_compare) or a verifying call is the check.
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                keys = self.chain(side, env)
                if keys and "queryStringParameters" in keys and keys[-1].lower() in TOKEN_PARAMS:
                    return f"compares the {keys[-1]} query parameter{at}"
                if keys and keys[0] == "body" and keys[-1].lower() in TOKEN_PARAMS:
                    other = [c for c in (node.left, *node.comparators) if c is not side]
                    if other and not all(_empty(c) for c in other):
                        return f"compares the {keys[-1]} field of the request body{at}"
        return None

    def _function_auth(self, name: str, depth: int) -> str | None:
        memo = self.module.auth_memo
        if name not in memo:
            memo[name] = None  # a recursive call finds nothing new
            function = self.module.functions[name]
            env: dict[str, list[str]] = {arg.arg: [] for arg in function.args.args[:1]}
            found = self.auth_in(function.body, env, depth)
            if not found:
                found = self._decorator_auth(function, depth)
            memo[name] = found
        return memo[name]

    def _decorator_auth(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, depth: int
    ) -> str | None:
        for decorator in function.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            dotted = _dotted(target)
            short = dotted.rsplit(".", 1)[-1]
            if short in self.module.functions and short != function.name and depth < MAX_DEPTH:
                found = self._function_auth(short, depth + 1)
                if found:
                    return f"is wrapped by @{short}, which {found}"
            elif any(word in short.lower() for word in ("auth", "login_required", "jwt_required")):
                return f"is wrapped by @{dotted} at {self.display}:{decorator.lineno}"
        return None

    def writes_in(self, nodes: Iterable[ast.AST], depth: int = 0) -> str | None:
        """The first state-changing call found in ``nodes`` (and the module functions they call)."""
        for root in nodes:
            for node in self.module.calls(root):
                if not isinstance(node, ast.Call):
                    continue
                name = _call_name(node)
                if name in MUTATING_CALLS and isinstance(node.func, ast.Attribute):
                    return f"calls {_dotted(node.func)}() at {self.display}:{node.lineno}"
                if (
                    name in CREATE_CALLS
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Attribute)
                ):
                    return f"calls {_dotted(node.func)}() at {self.display}:{node.lineno}"
                if (
                    isinstance(node.func, ast.Name)
                    and name in self.module.functions
                    and depth < MAX_DEPTH
                ):
                    memo = self.module.write_memo
                    if name not in memo:
                        memo[name] = None
                        memo[name] = self.writes_in(self.module.functions[name].body, depth + 1)
                    if memo[name]:
                        return memo[name]
        return None

    # -- the walk over statements -------------------------------------------------------------------

    def run(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Route]:
        """Analyse the handler; a handler with no routing is one route of its own."""
        params = [a.arg for a in function.args.args]
        env: dict[str, list[str]] = {params[0]: []} if params else {}
        if self.module.reads_credentials:
            self.credentials = _credential_names([function], self.module.walk)
        before = self._decorator_auth(function, 0)
        self.block(function.body, env, Constraint(), before, depth=0)
        if not self.routes:
            auth = before or self.auth_in(function.body, env)
            writes = self.writes_in(function.body)
            method = self._guarded_method(function.body, env)
            self.routes.append(
                Route(
                    self.handler,
                    method,
                    None,
                    function.lineno,
                    function.end_lineno,
                    bool(auth),
                    auth,
                    bool(writes) or method in MUTATING_METHODS,
                    writes or (f"{method} request" if method in MUTATING_METHODS else None),
                )
            )
        return self.routes

    def _guarded_method(self, statements: list[ast.stmt], env: Env) -> str | None:
        """``if event["httpMethod"] != "POST": return ...`` makes the rest of the handler a POST."""
        for statement in statements:
            self._bind(statement, env)
            test = statement.test if isinstance(statement, ast.If) else None
            if (
                not isinstance(test, ast.Compare)
                or len(test.ops) != 1
                or not isinstance(test.ops[0], ast.NotEq)
            ):
                continue
            for side, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
                value = _str(other)
                if self.part(side, env) == "method" and value and value.upper() in HTTP_METHODS:
                    return value.upper()
        return None

    def block(
        self,
        statements: list[ast.stmt],
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> tuple[bool, str | None]:
        """Walk statements in order; returns (routes found, caller check in force after them)."""
        found_any = False
        for statement in statements:
            self._bind(statement, env)
            if isinstance(statement, ast.If):
                found, auth = self._if(statement, env, context, auth, depth)
                found_any |= found
                continue
            if isinstance(statement, ast.Match):
                found_any |= self._match(statement, env, context, auth, depth)
                continue
            if isinstance(statement, ast.Try | ast.With | ast.AsyncWith | ast.For | ast.While):
                found, auth = self.block(statement.body, env, context, auth, depth)
                found_any |= found
                if isinstance(statement, ast.Try):
                    for handler in statement.handlers:
                        found_any |= self.block(handler.body, env, context, auth, depth)[0]
                    found, auth = self.block(statement.finalbody, env, context, auth, depth)
                    found_any |= found
                continue
            found_any |= self._tables_used(statement, context, auth)
            found_any |= self._delegates(statement, env, context, auth, depth)
            if not auth:
                auth = self.auth_in([statement], env)
        return found_any, auth

    def _bind(self, statement: ast.stmt, env: Env) -> None:
        if isinstance(statement, ast.Assign):
            pairs: list[tuple[ast.expr, ast.expr]] = []
            for target in statement.targets:
                if isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Tuple):
                    pairs.extend(zip(target.elts, statement.value.elts, strict=False))
                else:
                    pairs.append((target, statement.value))
            for target, value in pairs:
                if isinstance(target, ast.Name):
                    found = self.chain(value, env)
                    if found is not None:
                        env[target.id] = found
                    elif self.part(value, env) == "composite":
                        env[target.id] = ["routeKey"]
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.value
        ):
            found = self.chain(statement.value, env)
            if found is not None:
                env[statement.target.id] = found

    def _if(
        self,
        statement: ast.If,
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> tuple[bool, str | None]:
        """An ``if`` and its ``elif`` chain, walked as a loop (a router of 5,000 ``elif``s is
        5,000 levels of ``orelse``: recursing on each overflowed the stack at about 300)."""
        found_any, after = self._branch(statement, env, context, auth, depth)
        orelse = statement.orelse
        while len(orelse) == 1 and isinstance(orelse[0], ast.If):
            found_any |= self._branch(orelse[0], env, context, auth, depth)[0]
            orelse = orelse[0].orelse
        found_any |= self.block(orelse, env, context, auth, depth)[0]
        return found_any, after

    def _branch(
        self,
        statement: ast.If,
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> tuple[bool, str | None]:
        """An ``if``'s test and body (not its ``else``): (routes found, caller check after it)."""
        condition = self.constraint(statement.test, env)
        if condition is None:
            test_auth = self.auth_in([statement.test], env)
            inner_auth = auth or test_auth
            found_body = self.block(statement.body, env, context, inner_auth, depth)[0]
            # a guard (`if not authorized: return 401`) protects what follows it
            return found_body, inner_auth
        scope = context.merge(condition)
        route_auth = auth or self.auth_in([statement.test], env)
        found_inner = self.block(statement.body, _scope(env), scope, route_auth, depth)[0]
        if not found_inner:
            self._emit(
                scope,
                statement.body,
                statement.lineno,
                statement.body[-1].end_lineno,
                env,
                route_auth,
            )
        return True, auth

    def _match(
        self,
        statement: ast.Match,
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> bool:
        if isinstance(statement.subject, ast.Tuple):
            return self._match_tuple(statement, env, context, auth, depth)
        kind = self.part(statement.subject, env)
        if kind is None:
            return False
        for case in statement.cases:
            values = _pattern_values(case.pattern)
            if not values:
                self.block(case.body, env, context, auth, depth)
                continue
            scope = context.merge(_constraint(kind, tuple(values)) or Constraint())
            if not self.block(case.body, _scope(env), scope, auth, depth)[0]:
                self._emit(
                    scope, case.body, case.pattern.lineno, case.body[-1].end_lineno, env, auth
                )
        return True

    def _match_tuple(
        self,
        statement: ast.Match,
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> bool:
        """``match (method, path): case ("PUT", "/files"): ...`` — one constraint per element."""
        assert isinstance(statement.subject, ast.Tuple)
        kinds = [self.part(element, env) for element in statement.subject.elts]
        if not any(kinds):
            return False
        for case in statement.cases:
            alternatives = (
                case.pattern.patterns if isinstance(case.pattern, ast.MatchOr) else [case.pattern]
            )
            scopes: list[Constraint] = []
            for alternative in alternatives:
                if not isinstance(alternative, ast.MatchSequence) or len(
                    alternative.patterns
                ) != len(kinds):
                    continue
                scope = context
                for kind, element in zip(kinds, alternative.patterns, strict=True):
                    values = _pattern_values(element)
                    if kind is not None and values:
                        scope = scope.merge(_constraint(kind, tuple(values)) or Constraint())
                if scope != context:
                    scopes.append(scope)
            if not scopes:
                self.block(case.body, env, context, auth, depth)
                continue
            for scope in dict.fromkeys(scopes):
                if not self.block(case.body, _scope(env), scope, auth, depth)[0]:
                    self._emit(
                        scope, case.body, case.pattern.lineno, case.body[-1].end_lineno, env, auth
                    )
        return True

    def _emit(
        self,
        scope: Constraint,
        body: list[ast.stmt],
        line: int,
        end_line: int | None,
        env: Env,
        auth: str | None,
    ) -> None:
        if not self.module.take_routes(1, line, peek=True):
            return
        found_auth = auth or self.auth_in(body, env)
        writes = self.writes_in(body)
        target = self._target(body, env)
        pairs = [(method, path) for method, path in scope.routes() if method not in SKIPPED_METHODS]
        actions = scope.actions or (None,)
        allowed = self.module.take_routes(len(pairs) * len(actions), line)
        for (method, path), action in islice(product(pairs, actions), allowed):
            mutating = (method in MUTATING_METHODS) or bool(writes)
            evidence = writes or (f"{method} request" if method in MUTATING_METHODS else None)
            self.routes.append(
                Route(
                    self.handler,
                    method,
                    path,
                    line,
                    end_line,
                    bool(found_auth),
                    found_auth,
                    mutating,
                    evidence,
                    target.name if target else None,
                    target.lineno if target else None,
                    action=action,
                )
            )

    def _target(
        self, body: list[ast.stmt], env: Env
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The module function a branch hands the event to (``return create_item(event)``), if any."""
        for statement in body:
            for node in self.module.calls(statement):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    function = self.module.functions.get(node.func.id)
                    if function is not None and any(
                        self.chain(arg, env) is not None for arg in node.args
                    ):
                        return function
        return None

    def _tables_used(self, statement: ast.stmt, context: Constraint, auth: str | None) -> bool:
        used = False
        if not self.module.tables:
            return used
        for node in self.module.walk(statement):
            if (
                isinstance(node, ast.Name)
                and node.id in self.module.tables
                and node.id not in self.seen_tables
            ):
                self.seen_tables.add(node.id)
                used = True
                self._table(self.module.tables[node.id], context, auth)
        return used

    def _table(self, table: ast.Dict, context: Constraint, auth: str | None) -> None:
        for key, value in zip(table.keys, table.values, strict=True):
            parsed = _table_key(key)
            if parsed is None or key is None:
                continue
            if not self.module.take_routes(1, key.lineno, peek=True):
                return
            method, path = parsed
            scope = context.merge(
                Constraint((method,) if method else None, (path,) if path else None)
            )
            target: list[ast.stmt] | ast.AST = value
            name = (
                value.id
                if isinstance(value, ast.Name)
                else value.attr
                if isinstance(value, ast.Attribute)
                else None
            )
            function = self.module.functions.get(name) if name else None
            if function is not None:
                target = function
                found_auth, writes = self._target_facts(function)
                found_auth = auth or found_auth
            else:
                found_auth = auth or self.auth_in([value], {})
                writes = self.writes_in([value])
            pairs = [(m, p) for m, p in scope.routes() if m not in SKIPPED_METHODS]
            for m, p in pairs[: self.module.take_routes(len(pairs), key.lineno)]:
                mutating = (m in MUTATING_METHODS) or bool(writes)
                evidence = writes or (f"{m} request" if m in MUTATING_METHODS else None)
                end = getattr(target, "end_lineno", None) if function is None else None
                self.routes.append(
                    Route(
                        self.handler,
                        m,
                        p,
                        key.lineno,
                        end,
                        bool(found_auth),
                        found_auth,
                        mutating,
                        evidence,
                        function.name if function is not None else None,
                        function.lineno if function is not None else None,
                    )
                )

    def _target_facts(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> tuple[str | None, str | None]:
        """A dispatch table's target's caller check and write, found once however many keys
        name it (20,000 keys on one big function were 20,000 walks of it)."""
        if function.name not in self.target_facts:
            nodes = list(function.body)
            found = self._decorator_auth(function, 0) or self.auth_in(nodes, {})
            self.target_facts[function.name] = (found, self.writes_in(nodes))
        return self.target_facts[function.name]

    def _delegates(
        self,
        statement: ast.stmt,
        env: Env,
        context: Constraint,
        auth: str | None,
        depth: int,
    ) -> bool:
        """The event handed to a module function (``return router(event)``): analyse it there,
        once for each scope and caller check it is handed the event under (a second identical
        hand-off finds the same routes), within the file's ``delegation_left`` budget."""
        if depth >= MAX_DEPTH:
            return False
        found = False
        for node in self.module.calls(statement):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            function = self.module.functions.get(node.func.id)
            if function is None:
                continue
            params = [a.arg for a in function.args.args]
            inner: dict[str, list[str]] = {}
            for index, arg in enumerate(node.args[: len(params)]):
                chain = self.chain(arg, env)
                if chain is not None:
                    inner[params[index]] = chain
            if not inner:
                continue
            before = auth or self._decorator_auth(function, depth + 1)
            key = (function.name, context, before, depth, tuple((k, *v) for k, v in inner.items()))
            if key not in self.delegated:
                self.delegated[key] = False
                if self.module.spend_delegation(function, node.lineno):
                    self.delegated[key] = self.block(
                        function.body, inner, context, before, depth + 1
                    )[0]
            found |= self.delegated[key]
        return found


#: Fields of the request body or query string a handler dispatches on (``action == "delete"``).
DISPATCH_FIELDS = frozenset(
    {"action", "op", "operation", "cmd", "command", "path", "route", "method", "function", "task"}
)
REQUEST_DATA = frozenset({"body", "queryStringParameters", "multiValueQueryStringParameters"})


def _kind(chain: list[str]) -> str | None:
    if not chain:
        return None
    last = chain[-1]
    if len(chain) >= 2 and chain[-2] in REQUEST_DATA and last.lower() in DISPATCH_FIELDS:
        return "action"  # body["action"], not the HTTP method or path
    if last == "httpMethod" or (last == "method" and "http" in chain):
        return "method"
    if last in {"path", "rawPath", "resource"} and "headers" not in chain:
        return "path"
    if last == "routeKey":
        return "routekey"
    return None


def _constraint(kind: str, values: tuple[str, ...]) -> Constraint | None:
    values = tuple(dict.fromkeys(values))  # ``in ("GET", "GET", ...)``: each route once
    if kind == "action":
        return Constraint(actions=values)
    if kind == "method":
        methods = tuple(dict.fromkeys(v.upper() for v in values if v.upper() in HTTP_METHODS))
        return Constraint(methods=methods) if methods else None
    if kind == "path":
        return Constraint(paths=values)
    key_methods: list[str] = []
    key_paths: list[str] = []
    for value in values:
        parsed = _route_key(value)
        if parsed is None:
            continue
        method, path = parsed
        if method:
            key_methods.append(method)
        if path:
            key_paths.append(path)
    if not key_methods and not key_paths:
        return None
    return Constraint(
        tuple(dict.fromkeys(key_methods)) or None, tuple(dict.fromkeys(key_paths)) or None
    )


def _pattern_values(pattern: ast.pattern) -> list[str]:
    if isinstance(pattern, ast.MatchValue):
        value = _str(pattern.value)
        return [value] if value is not None else []
    if isinstance(pattern, ast.MatchOr):
        return [v for p in pattern.patterns for v in _pattern_values(p)]
    return []


def handler_functions(
    tree: ast.Module, named: Iterable[str] = (), nodes: list[ast.AST] | None = None
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's Lambda handlers: those named by a template, else the conventional ones
    (``lambda_handler``/``handler``/``*_handler`` taking ``(event, context)``), else any top-level
    ``(event, context)`` function that nothing in the module calls or refers to."""
    wanted = set(named)
    top = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if wanted:
        yield from (n for n in top if n.name in wanted)
        return
    conventional = [n for n in top if _conventional(n)]
    if conventional:
        yield from conventional
        return
    every = nodes if nodes is not None else subtree(tree)
    referenced = {
        node.id for node in every if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    } | {node.attr for node in every if isinstance(node, ast.Attribute)}
    for node in top:
        params = [a.arg for a in node.args.args]
        if (
            len(params) >= 2
            and params[0] in EVENT_NAMES
            and params[1] in CONTEXT_NAMES
            and node.name not in referenced
            and not node.decorator_list
        ):
            yield node


def _conventional(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    params = [a.arg for a in node.args.args]
    if len(params) < 2:
        return False
    if node.name in HANDLER_NAMES:
        return True
    return params[0] in EVENT_NAMES and params[1] in CONTEXT_NAMES and node.name.endswith("handler")


#: Web frameworks and Lambda routers whose decorators declare routes (``@app.post("/orders")``).
_ROUTER = re.compile(r"(Resolver|Router|Chalice|Flask|FastAPI|Blueprint|Starlette)$")
_ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route"})


#: Names under which a router made in another module is imported (``from app import router``).
_IMPORTED_ROUTER = re.compile(
    r"^(?:app|api|router|routes|bp|blueprint|resolver|\w+_(?:app|api|router|bp))$"
)


def _routers(tree: ast.Module) -> dict[str, str | None]:
    """Router names of a module, each with the module it is imported from (None: made here)."""
    names: dict[str, str | None] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if _IMPORTED_ROUTER.match(local):
                    names[local] = "." * node.level + node.module
            continue
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        if _ROUTER.search(_dotted(node.value.func)):
            names.update((t.id, None) for t in node.targets if isinstance(t, ast.Name))
    return names


def _registry_route(decorator: ast.Call, module: _Module) -> tuple[str | None, str | None] | None:
    """A home-made route registry: ``@route("POST", "/orders")`` or ``@route("POST /orders")``,
    where ``route`` is a function of the module."""
    name = decorator.func.id if isinstance(decorator.func, ast.Name) else None
    if name is None or name not in module.functions:
        return None
    texts = [_str(arg) for arg in decorator.args]
    if len(texts) == 1 and texts[0]:
        return _route_key(texts[0])
    if (
        len(texts) >= 2
        and texts[0]
        and texts[1]
        and texts[0].upper() in HTTP_METHODS
        and texts[1].startswith("/")
    ):
        return texts[0].upper(), texts[1]
    return None


def _decorated_routes(module: _Module, display: str, module_name: str) -> list[Route]:
    """Routes declared with decorators (Powertools resolvers, Chalice, Flask, FastAPI)."""
    routers = _routers(module.tree)
    routes: list[Route] = []
    for function in module.tree.body:
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in function.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            registry = _registry_route(decorator, module)
            if registry is None and not (
                routers
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr in _ROUTE_DECORATORS
                and isinstance(decorator.func.value, ast.Name)
                and decorator.func.value.id in routers
            ):
                continue
            keywords = {k.arg: k.value for k in decorator.keywords if k.arg}
            path = (
                _str(decorator.args[0])
                if decorator.args
                else _str(keywords.get("path") or keywords.get("rule"))
            )
            router = (
                decorator.func.value.id
                if isinstance(decorator.func, ast.Attribute)
                and isinstance(decorator.func.value, ast.Name)
                else None
            )
            imported = routers.get(router) if router is not None else None
            if imported is not None and (path is None or _route_key(path) is None):
                continue  # an imported name that declares no route is not taken for a router
            keyed = _route_key(path) if path else None
            if registry is None and keyed is not None and keyed[0] is not None:
                registry = keyed  # @router.route("POST /orders"): an API Gateway v2 route key
            if registry is not None:
                method_found, path = registry
                methods = [method_found or "ANY"]
            elif isinstance(decorator.func, ast.Attribute) and decorator.func.attr in {
                "route",
                "api_route",
            }:
                listed = keywords.get("methods")
                methods = (
                    [m.upper() for m in (_str(e) for e in listed.elts) if m]
                    if isinstance(listed, ast.List | ast.Tuple)
                    else ["GET"]
                )
            else:
                methods = [
                    decorator.func.attr.upper()
                    if isinstance(decorator.func, ast.Attribute)
                    else "ANY"
                ]
            handler = _Handler(module, display, f"{module_name}.{function.name}")
            auth: str | None = None
            authorizer = keywords.get("authorizer")
            if authorizer is not None and not (
                isinstance(authorizer, ast.Constant) and authorizer.value is None
            ):
                auth = f"the route declares authorizer={_dotted(authorizer)} at {display}:{decorator.lineno}"
            auth = (
                auth or handler._decorator_auth(function, 0) or handler.auth_in(function.body, {})
            )
            writes = handler.writes_in(function.body)
            for method in methods:
                if method in SKIPPED_METHODS:
                    continue
                mutating = method in MUTATING_METHODS or bool(writes)
                routes.append(
                    Route(
                        handler.handler,
                        method,
                        path,
                        decorator.lineno,
                        function.end_lineno,
                        bool(auth),
                        auth,
                        mutating,
                        writes or (f"{method} request" if method in MUTATING_METHODS else None),
                        router_module=imported,
                    )
                )
    return routes


def analyse_lambda_module(
    source: str,
    display: str,
    module_name: str,
    named: Iterable[str] = (),
    *,
    tree: ast.Module | None = None,
    problems: list[tuple[int | None, str]] | None = None,
) -> list[Route]:
    """Every route of every handler in one Python file (SyntaxError propagates to the caller).
    A limit the file reached (``MAX_ROUTES``, the hand-off budget) is added to ``problems`` as
    (line, sentence)."""
    tree = tree if tree is not None else ast.parse(source, filename=display)
    nodes = subtree(tree)
    module = _Module(tree, _functions(nodes), _tables(nodes))
    module.delegation_left = DELEGATION_FACTOR * len(nodes) + 10_000
    module.reads_credentials = any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower() in CREDENTIAL_KEYS
        for node in nodes
    )
    routes = _decorated_routes(module, display, module_name)
    if routes:
        return routes
    for function in handler_functions(tree, named, nodes):
        if not module.routes_left:
            break
        routes.extend(_Handler(module, display, f"{module_name}.{function.name}").run(function))
    if problems is not None:
        problems.extend(module.problems)
    return routes


_HINT = re.compile(
    r"def\s+\w+\s*\(\s*(?:event|evt|_event)\s*[,:)]|def\s+(?:lambda_)?handler\s*\("
    r"|(?:Resolver|Router|Chalice|Flask|FastAPI|Blueprint|Starlette)\s*\("
    r"|^@\w+\.(?:get|post|put|patch|delete|route|api_route)\(",
    re.MULTILINE,
)


_HINT_WORDS = (
    "event",
    "handler",
    "Resolver",
    "Router",
    "Chalice",
    "Flask",
    "FastAPI",
    "Blueprint",
    "Starlette",
    "@",
)


def is_lambda_module(source: str) -> bool:
    """Cheap pre-test: could this file hold a Lambda handler or declared routes?"""
    if not any(word in source for word in _HINT_WORDS):
        return False
    return _HINT.search(source) is not None
