"""The ``code`` source: an entity's code folders (git repositories or plain folders) read for a CTO.

``code = ["code/harbor-charters"]`` on an entity (or ``{ paths = [...], max_file_bytes = ... }``).
The walk (``codeaudit.walk``) honours ``.gitignore``, skips binaries, vendored and build trees and
files over ``max_file_bytes``, and never follows a symbolic link. Each file read gives:

- ``SecretFinding``: the shared secret scanner (``execbrief.secrets.scanner``), never the value;
- ``Endpoint``: Python Lambda routes (``codeaudit.lambdas``) and Apps Script/JS ``doGet``/``doPost``
  (``codeaudit.webapps``), each with whether it checks the caller and whether it changes state;
- ``IacIssue``: CloudFormation/SAM, serverless.yml, Terraform and ``appsscript.json`` gaps
  (``codeaudit.iac``), at the resource's line;
- ``StackItem``: languages by lines, dependencies from requirements.txt/pyproject.toml/package.json,
  AWS services (IaC resource types, ``boto3.client(...)``), third parties (Stripe, Twilio, ...);
- ``CodeInventory``: the roles and feature flags the code compares against, one per folder;
- ``CodeCoverage``: files and lines read, and what was skipped and why, one per folder.

A file that cannot be parsed (a Python syntax error, bad YAML or JSON) gives a non-fatal
``SourceError`` naming the file and line; the rest of the folder is still read.
"""

from __future__ import annotations

import ast
import dataclasses
import tomllib
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import Field

from execbrief import cyclegc, localfiles
from execbrief.config import Model
from execbrief.hookspecs import hookimpl
from execbrief.records.code import (
    CodeCoverage,
    CodeInventory,
    Endpoint,
    EnvUse,
    IacIssue,
    StackItem,
)
from execbrief.secrets.scanner import Scanner
from execbrief.snapshot import Provenance, Record, SourceError, SourceResult
from execbrief.sources import files
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.codeaudit import envrefs, iac, lambdas, nodelambda, stack, webapps
from execbrief.sources.codeaudit.walk import SKIP_DIRS, WalkedFile, WalkStats, walk

KIND = "code"
YAML_SUFFIXES = (".yaml", ".yml", ".template")  # CloudFormation's own suffix, YAML or JSON
SCRIPT_SUFFIXES = (".gs", ".js", ".mjs", ".cjs", ".ts")
TEMPLATE_JSON_HINTS = ('"AWSTemplateFormatVersion"', '"AWS::')


class CodeOptions(Model):
    """Options of the code source."""

    max_file_bytes: int = Field(default=1_000_000, ge=1, description="skip files larger than this")
    skip_dirs: list[str] = Field(default_factory=list, description="more folder names to skip")
    gitignore: bool = Field(default=True, description="honour .gitignore files")
    include_test_keys: bool = Field(
        default=False, description="also report test-mode keys (sk_test_)"
    )


@dataclass
class _Folder:
    """What is gathered while reading one code folder."""

    request: SourceRequest
    root: Path
    records: list[Record] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    lines_by_language: Counter[str] = field(default_factory=Counter)
    languages_first: dict[str, str] = field(default_factory=dict)
    usages: dict[tuple[str, str], Provenance] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    handlers: dict[Path, set[str]] = field(default_factory=dict)
    gateway: dict[tuple[Path, str], tuple[iac.FunctionHandler, Path]] = field(default_factory=dict)
    commits: dict[Path, files.Commit | None] = field(default_factory=dict)
    #: Files the walk listed that could not then be read (relative paths).
    unreadable: list[str] = field(default_factory=list)
    #: Each file's path as cited, found once (a file may give 100,000 records).
    displays: dict[Path, str] = field(default_factory=dict)
    #: Modules routers are imported from (``/orbit/app.py``, or a relative import's file).
    router_modules: set[str] = field(default_factory=set)
    lines: int = 0

    def provenance(
        self, path: Path, line: int | None = None, end_line: int | None = None
    ) -> Provenance:
        """File (relative to the portfolio root), line and, in a git repository, the last commit."""
        if path not in self.commits:
            self.commits[path] = files.last_commit(path)
        commit = self.commits[path]
        display = self.display(path)
        if commit is None:
            return Provenance(display, line, end_line)
        return Provenance(display, line, end_line, commit.sha, commit.day)

    def display(self, path: Path) -> str:
        """The file's path as cited (found once per file)."""
        found = self.displays.get(path)
        if found is None:
            found = self.displays[path] = self.request.display(path)
        return found

    def error(self, path: Path, line: int | None, message: str) -> None:
        """A non-fatal problem with one file."""
        self.errors.append(
            SourceError(
                entity=self.request.entity.id,
                source_kind=KIND,
                provenance=Provenance(self.request.display(path), line),
                message=message,
                fatal=False,
            )
        )

    def use(self, category: str, name: str, provenance: Provenance) -> None:
        """Note an AWS service or third party (the first place it was seen is kept)."""
        self.usages.setdefault((category, name), provenance)


class CodeSource(BaseSource):
    """Code folders: secrets, endpoints, IaC gaps, stack inventory, roles and flags."""

    name = KIND
    description = "Code folders (git repositories or plain): secrets, endpoints, IaC gaps, stack"
    Options = CodeOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured folder; a missing folder is an error, the others are still read."""
        options = request.spec.options
        assert isinstance(options, CodeOptions)
        scanner = Scanner(
            request.fingerprint_key, request.allowlist, include_test=options.include_test_keys
        )
        records: list[Record] = []
        errors: list[SourceError] = []
        for configured in request.spec.paths:
            root = request.resolve(configured)
            if not root.is_dir() and not root.is_file():
                what = "does not exist" if not root.exists() else "is not a folder or a file"
                errors.append(
                    SourceError(
                        request.entity.id,
                        KIND,
                        Provenance(request.display(root)),
                        f"code folder {what}; expected a folder of source code (a git repository or a plain folder)",
                    )
                )
                continue
            folder = _Folder(request, root)
            _read_folder(folder, scanner, options)
            records.extend(folder.records)
            errors.extend(folder.errors)
        return SourceResult(
            entity=request.entity.id,
            kind=KIND,
            paths=tuple(request.spec.paths),
            records=tuple(records),
            errors=tuple(errors),
            # no freshness: code that works is not stale because nobody touched it
        )


def _read_folder(folder: _Folder, scanner: Scanner, options: CodeOptions) -> None:
    stats = WalkStats()
    walked = list(
        walk(
            folder.root,
            max_bytes=options.max_file_bytes,
            skip_dirs=SKIP_DIRS | frozenset(options.skip_dirs),
            honour_gitignore=options.gitignore,
            stats=stats,
        )
    )
    # templates first: they name the Lambda handlers the Python pass looks for; what they read
    # is kept for the main pass, so a template is read from disk once
    read: dict[Path, str] = {}
    for item in walked:
        if _maybe_template(item.path):
            text = _read(folder, item, report=False)
            if text is not None:
                read[item.path] = text
                _guarded(folder, item, _read_template, folder, item, text)
    for item in walked:
        text = read.pop(item.path, None)
        if text is None:
            text = _read(folder, item)
        if text is not None:
            _guarded(folder, item, _read_file, folder, scanner, item, text)
    _drop_router_dispatchers(folder)
    for relative, what in stats.special:
        folder.error(folder.root / relative, None, files.not_regular("", what).message)
    _finish(folder, stats)


def _drop_router_dispatchers(folder: _Folder) -> None:
    """A handler that only hands events to a router whose routes are declared in other files is
    not one more route for every request: those routes are reported where they are declared."""
    if not folder.router_modules:
        return
    tails = folder.router_modules
    folder.records = [
        r
        for r in folder.records
        if not (
            isinstance(r, Endpoint)
            and r.kind == "lambda"
            and r.method is None
            and r.route is None
            and any(
                r.provenance.source == t.lstrip("/") or r.provenance.source.endswith(t)
                for t in tails
            )
        )
    ]


def _guarded(folder: _Folder, item: WalkedFile, step: Any, *args: Any) -> None:
    """Run one file's step; a file that breaks a parser (deep nesting, odd encodings) is reported
    and the folder's other files are still read. The file's syntax trees and records make no
    reference cycles: the cycle collector waits until the step ends (``execbrief.cyclegc``)."""
    try:
        with cyclegc.paused():
            step(*args)
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, AttributeError) as exc:
        folder.error(
            item.path,
            None,
            f"could not be analysed ({type(exc).__name__}); the rest of the folder was read",
        )


def _maybe_template(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in YAML_SUFFIXES or suffix in {".tf", ".json"}


def _read(folder: _Folder, item: WalkedFile, *, report: bool = True) -> str | None:
    """The file as text (invalid UTF-8 replaced), or None with an error when it cannot be read;
    a short file as the walk read it."""
    try:
        data = item.data
        if data is None:
            with localfiles.open_regular(item.path) as handle:  # never a FIFO swapped in
                data = handle.read()
        return data.decode("utf-8", "replace").removeprefix("\ufeff")
    except OSError as exc:
        if report:
            folder.error(item.path, None, f"could not be read ({exc.strerror or exc}); skipped")
            folder.unreadable.append(item.relative)
        return None


def _read_template(folder: _Folder, item: WalkedFile, text: str) -> None:
    name = item.path.name
    suffix = item.path.suffix.lower()
    if suffix == ".tf":
        _terraform(folder, item, text)
        return
    if name == "appsscript.json":
        _apps_manifest(folder, item, text)
        return
    is_yaml = suffix in YAML_SUFFIXES
    is_template_json = (
        suffix == ".json"
        and all(hint in text for hint in TEMPLATE_JSON_HINTS[1:])
        and '"Resources"' in text
    )
    if not (is_yaml or is_template_json):
        return
    if is_yaml and "Resources" not in text and "functions" not in text:
        return
    try:
        data = iac.load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        if iac.is_cloudformation_text(text):
            folder.error(
                item.path, line, f"template could not be parsed ({problem}); expected YAML"
            )
        return
    if iac.is_cloudformation(data):
        _gaps(folder, item, iac.cloudformation_gaps(data))
        _resources(folder, item, iac.cloudformation_resources(data))
        folder.use(
            "iac",
            "AWS SAM" if "Serverless" in str(data.get("Transform", "")) else "CloudFormation",
            folder.provenance(item.path, 1),
        )
        base = item.path.parent
        for handler in iac.cloudformation_handlers(data):
            _note_handler(folder, base / (handler.code_uri or "."), handler, item.path)
    elif iac.is_serverless(data):
        _gaps(folder, item, iac.serverless_gaps(data))
        _resources(folder, item, iac.serverless_resources(data))
        folder.use("iac", "Serverless Framework", folder.provenance(item.path, 1))
        for handler in iac.serverless_handlers(data):
            _note_handler(folder, item.path.parent, handler, item.path)


def _note_handler(
    folder: _Folder, base: Path, handler: iac.FunctionHandler, template: Path
) -> None:
    runtime = handler.runtime or ""
    module, _, function = handler.handler.rpartition(".")
    if not module or not function:
        return
    if runtime.startswith("nodejs"):
        # Node resolves app.handler to app.js, app.mjs or app.cjs (TypeScript builds from app.ts)
        for suffix in (".js", ".mjs", ".cjs", ".ts"):
            path = localfiles.resolved(base / (module + suffix))
            folder.gateway.setdefault((path, function), (handler, template))
        return
    if runtime and not runtime.startswith("python"):
        return
    path = localfiles.resolved(base / (module.replace(".", "/") + ".py"))
    folder.handlers.setdefault(path, set()).add(function)
    folder.gateway.setdefault((path, function), (handler, template))


def _terraform(folder: _Folder, item: WalkedFile, text: str) -> None:
    for line, problem in iac.terraform_problems(text):
        folder.error(item.path, line, problem)
    _gaps(folder, item, iac.terraform_gaps(text))
    _resources(folder, item, iac.terraform_resources(text))
    folder.use("iac", "Terraform", folder.provenance(item.path, 1))


def _apps_manifest(folder: _Folder, item: WalkedFile, text: str) -> None:
    folder.use("third_party", "Google Apps Script", folder.provenance(item.path, 1))
    try:
        access = webapps.webapp_access(text)
    except ValueError as exc:
        folder.error(
            item.path,
            getattr(exc, "lineno", None),
            "is not valid JSON; expected an Apps Script manifest",
        )
        return
    if access is None:
        return
    who = (
        "anyone, even anonymous"
        if access.access == "ANYONE_ANONYMOUS"
        else "anyone with a Google account"
    )
    detail = f'web app deployed with access "{access.access}" ({who})'
    if access.execute_as:
        detail += f", executing as {access.execute_as}"
    folder.records.append(
        IacIssue(
            entity=folder.request.entity.id,
            provenance=folder.provenance(item.path, access.line),
            rule="apps-script-public-webapp",
            resource=folder.request.display(item.path.parent),
            resource_type="appsscript.json",
            detail=detail,
        )
    )


def _gaps(folder: _Folder, item: WalkedFile, gaps: list[iac.Gap]) -> None:
    for gap in gaps:
        folder.records.append(
            IacIssue(
                entity=folder.request.entity.id,
                # from the resource's line to the offending property's, when that is further down
                provenance=folder.provenance(
                    item.path,
                    gap.line,
                    gap.detail_line if gap.detail_line and gap.detail_line > gap.line else None,
                ),
                rule=gap.rule,
                resource=gap.resource,
                resource_type=gap.resource_type,
                detail=gap.detail,
            )
        )


def _resources(folder: _Folder, item: WalkedFile, resources: Any) -> None:
    for resource in resources:
        service = stack.aws_service(resource.resource_type)
        if service:
            folder.use("aws", service, folder.provenance(item.path, resource.line))


def _read_file(folder: _Folder, scanner: Scanner, item: WalkedFile, text: str) -> None:
    display = folder.display(item.path)
    line_count = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    folder.lines += line_count
    language = stack.language(item.path.name)
    if language:
        folder.lines_by_language[language] += line_count
        folder.languages_first.setdefault(language, display)
    for detection in scanner.scan_text(text, display):
        folder.records.append(
            detection.to_record(
                folder.request.entity.id, folder.provenance(item.path, detection.line)
            )
        )
    if language or item.path.suffix.lower() in YAML_SUFFIXES:
        _env_uses(folder, item, text)
    suffix = item.path.suffix.lower()
    name = item.path.name.lower()
    if suffix == ".py":
        _python(folder, item, text)
    elif suffix in SCRIPT_SUFFIXES:
        _script(folder, item, text)
    if name.startswith("requirements") and suffix in {".txt", ".in"}:
        _dependencies(folder, item, stack.requirements(text))
    elif name == "pyproject.toml":
        try:
            _dependencies(folder, item, list(stack.pyproject(text)))
        except tomllib.TOMLDecodeError as exc:
            folder.error(item.path, getattr(exc, "lineno", None), f"is not valid TOML ({exc})")
    elif name == "package.json":
        try:
            _dependencies(folder, item, list(stack.package_json(text)))
        except ValueError as exc:
            folder.error(
                item.path, getattr(exc, "lineno", None), f"is not valid package.json ({exc})"
            )


def _env_uses(folder: _Folder, item: WalkedFile, text: str) -> None:
    """The environment variables a file of code reads (names only)."""
    for key, line in envrefs.env_names(text):
        folder.records.append(
            EnvUse(folder.request.entity.id, folder.provenance(item.path, line), key)
        )


def _python(folder: _Folder, item: WalkedFile, text: str) -> None:
    for usage in stack.python_usages(text):
        folder.use(usage.category, usage.name, folder.provenance(item.path, usage.line))
    if stack.has_roles_or_flags(text):
        roles, flags = stack.python_roles_flags_text(text)
        folder.roles |= roles
        folder.flags |= flags
    named = folder.handlers.get(localfiles.resolved(item.path), set())
    if not named and not lambdas.is_lambda_module(text):
        return  # most files: no parse needed
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" in someone's code: not ours
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text, filename=item.relative)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        folder.error(
            item.path,
            line,
            f"is not valid Python ({getattr(exc, 'msg', exc)}); endpoints not analysed",
        )
        return
    except (RecursionError, MemoryError):  # CPython's parser gives up on ~5,000 nested levels
        folder.error(
            item.path,
            None,
            "is nested deeper than Python's own parser allows (thousands of elif or bracket "
            "levels), so Python could not run it either; endpoints not analysed",
        )
        return
    module = PurePosixPath(item.relative).with_suffix("").as_posix().replace("/", ".")
    display = folder.request.display(item.path)
    resolved = localfiles.resolved(
        item.path
    )  # once a file, not once a route (a file may hold 20,000)
    problems: list[tuple[int | None, str]] = []
    found_routes = lambdas.analyse_lambda_module(
        text, display, module, named, tree=tree, problems=problems
    )
    for line, problem in problems:
        folder.error(item.path, line, problem)
    for found in found_routes:
        if found.router_module:
            folder.router_modules.add(_module_tail(folder, item.path, found.router_module))
        route = _with_gateway_auth(folder, resolved, found)
        folder.records.append(
            Endpoint(
                entity=folder.request.entity.id,
                provenance=folder.provenance(item.path, route.line, route.end_line),
                kind="lambda",
                handler=route.handler,
                method=route.method,
                route=_route_shown(route),
                authenticated=route.authenticated,
                mutating=route.mutating,
                auth_evidence=route.auth_evidence,
                mutation_evidence=route.mutation_evidence,
                function=route.function,
                function_line=route.function_line,
            )
        )


def _route_shown(route: lambdas.Route) -> str | None:
    """The route as reports show it: a body-dispatch branch carries its action
    (``POST /admin action=delete``, or ``action=delete`` alone)."""
    if route.action is None:
        return route.path
    return f"{route.path} action={route.action}" if route.path else f"action={route.action}"


def _with_gateway_auth(folder: _Folder, path: Path, route: lambdas.Route) -> lambdas.Route:
    """A route the code does not guard may still be guarded by the API's authorizer in the template."""
    if route.authenticated:
        return route
    evidence = _gateway_evidence(
        folder, path, route.handler.rsplit(".", 1)[-1], route.method, route.path
    )
    if evidence is None and route.router_module:
        # a route declared on a router imported from the handler's module: that handler's events
        for handler_path, function in _router_handlers(folder, path, route.router_module):
            evidence = _gateway_evidence(folder, handler_path, function, route.method, route.path)
            if evidence is not None:
                break
    if evidence is None:
        return route
    return dataclasses.replace(route, authenticated=True, auth_evidence=evidence)


def _module_tail(folder: _Folder, path: Path, module: str) -> str:
    """How the file of an imported module ends (``/orbit/app.py``); a relative import's full
    display path."""
    level = len(module) - len(module.lstrip("."))
    parts = module.lstrip(".").split(".")
    if not level:
        return "/" + "/".join(parts) + ".py"
    base = path.parent
    for _ in range(level - 1):
        base = base.parent
    return folder.request.display(base.joinpath(*parts).with_suffix(".py"))


def _router_handlers(folder: _Folder, path: Path, module: str) -> list[tuple[Path, str]]:
    """The template handlers defined in ``module`` (``orbit.app``, or ``.app`` relative to ``path``)."""
    level = len(module) - len(module.lstrip("."))
    parts = module.lstrip(".").split(".")
    if level:
        base = path.parent
        for _ in range(level - 1):
            base = base.parent
        target = base.joinpath(*parts).with_suffix(".py")
        return [key for key in folder.gateway if key[0] == target]
    tail = "/" + "/".join(parts) + ".py"
    return [key for key in folder.gateway if key[0].as_posix().endswith(tail)]


def _gateway_evidence(
    folder: _Folder, path: Path, function: str, method: str | None, route: str | None
) -> str | None:
    """The template authorizer that protects (file, function, method, path), as evidence text."""
    found = folder.gateway.get((path, function))
    if found is None:
        return None
    handler, template = found
    event = iac.gateway_authorizer(handler.events, handler.public_url, method, route)
    if event is None:
        return None
    where = f"{folder.request.display(template)}:{event.line}"
    return f"API Gateway authorizer {event.authorizer} on {event.method} {event.path} ({where})"


def _script(folder: _Folder, item: WalkedFile, text: str) -> None:
    for usage in stack.script_usages(text, item.path.name):
        folder.use(usage.category, usage.name, folder.provenance(item.path, usage.line))
    if stack.has_roles_or_flags(text):
        roles, flags = stack.script_roles_flags(webapps.mask(text, strings=False))
        folder.roles |= roles
        folder.flags |= flags
    kind = "apps-script" if item.path.suffix.lower() == ".gs" else "javascript"
    for endpoint in webapps.analyse_script(text):
        folder.records.append(
            Endpoint(
                entity=folder.request.entity.id,
                provenance=folder.provenance(item.path, endpoint.line, endpoint.end_line),
                kind=kind,
                handler=f"{item.relative}:{endpoint.name}",
                method="POST" if endpoint.name == "doPost" else "GET",
                route=None,
                authenticated=endpoint.authenticated,
                mutating=endpoint.mutating,
                auth_evidence=endpoint.auth_evidence,
                mutation_evidence=endpoint.mutation_evidence,
            )
        )
    if kind == "javascript":
        _node_lambda(folder, item, text)


def _node_lambda(folder: _Folder, item: WalkedFile, text: str) -> None:
    """Node.js Lambda handlers: one Endpoint per route, like the Python ones."""
    for route in nodelambda.analyse_node_lambda(text):
        authenticated, evidence = route.authenticated, route.auth_evidence
        if not authenticated:
            evidence = _gateway_evidence(
                folder, localfiles.resolved(item.path), route.handler, route.method, route.path
            )
            authenticated = evidence is not None
        module = PurePosixPath(item.relative).with_suffix("").as_posix().replace("/", ".")
        folder.records.append(
            Endpoint(
                entity=folder.request.entity.id,
                provenance=folder.provenance(item.path, route.line, route.end_line),
                kind="lambda",
                handler=f"{module}.{route.handler}",
                method=route.method,
                route=route.path,
                authenticated=authenticated,
                mutating=route.mutating,
                auth_evidence=evidence,
                mutation_evidence=route.mutation_evidence,
            )
        )


def _dependencies(folder: _Folder, item: WalkedFile, dependencies: Any) -> None:
    for dependency in dependencies:
        folder.records.append(
            StackItem(
                entity=folder.request.entity.id,
                provenance=folder.provenance(item.path, dependency.line),
                category=dependency.category,
                name=dependency.name,
                version=dependency.version,
            )
        )
        party = stack.THIRD_PARTIES.get(dependency.name.lower())
        if party:
            folder.use("third_party", party, folder.provenance(item.path, dependency.line))


def _finish(folder: _Folder, stats: WalkStats) -> None:
    entity = folder.request.entity.id
    root_display = folder.request.display(folder.root)
    root_provenance = Provenance(root_display)
    # email and SMS through AWS are still a provider the business depends on, like SendGrid
    for service, party in (("SES", "Amazon SES"), ("SNS", "Amazon SNS")):
        if ("aws", service) in folder.usages:
            folder.use("third_party", party, folder.usages[("aws", service)])
    for language, count in sorted(folder.lines_by_language.items(), key=lambda kv: (-kv[1], kv[0])):
        folder.records.append(
            StackItem(
                entity,
                Provenance(
                    root_display, detail=f"first seen in {folder.languages_first[language]}"
                ),
                "language",
                language,
                lines=count,
            )
        )
    for (category, name), provenance in sorted(folder.usages.items()):
        folder.records.append(StackItem(entity, provenance, category, name))
    folder.records.append(
        CodeInventory(
            entity, root_provenance, tuple(sorted(folder.roles)), tuple(sorted(folder.flags))
        )
    )
    folder.records.append(
        CodeCoverage(
            entity,
            root_provenance,
            root_display,
            stats.files,
            folder.lines,
            dict(sorted(stats.skipped.items())),
            tuple(sorted({*stats.unreadable, *folder.unreadable})),
        )
    )


@hookimpl
def register_sources() -> list[Source]:
    """The code folders source."""
    return [CodeSource()]
