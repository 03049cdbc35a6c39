"""Infrastructure as code: CloudFormation/SAM, ``serverless.yml`` and Terraform, read for gaps.

Rules (each gap names the resource and its line):

- ``cloudfront-no-waf``: a CloudFront distribution with no web ACL (``WebACLId`` / ``web_acl_id``);
- ``lambda-url-auth-none``: a Lambda function URL anyone can call (``AWS::Lambda::Url`` AuthType
  NONE, SAM ``FunctionUrlConfig: AuthType: NONE``, serverless ``url: true`` with no authorizer,
  Terraform ``aws_lambda_function_url`` ``authorization_type = "NONE"``);
- ``api-no-authorizer``: an API Gateway method or route with no authorizer (``AuthorizationType:
  NONE`` or absent, SAM ``Api``/``HttpApi`` events with no ``Auth`` and no default authorizer,
  serverless ``http``/``httpApi`` events with no ``authorizer``, Terraform ``authorization = "NONE"``);
- ``s3-public-bucket``: a bucket readable by anyone (``PublicRead`` ACL, public access block turned
  off, a bucket policy allowing ``Principal: "*"`` with no condition).

YAML is read with a SafeLoader that accepts CloudFormation's short tags (``!Ref``, ``!GetAtt``,
``!Sub``, ...) and keeps each mapping's line numbers. Terraform is read with a small block scanner
(resource headers, brace matching that skips strings, comments and heredocs, top-level attributes):
enough for these rules, with exact lines, and no dependency — python-hcl2 drops line numbers.
What it cannot read as written is said (``terraform_problems``): a block never closed is read up
to the next block's header, and a ``/*`` comment or heredoc never closed swallows the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from execbrief.sources.codeaudit import spans


@dataclass(frozen=True)
class Gap:
    """One infrastructure gap found in a template."""

    rule: str
    resource: str
    resource_type: str
    detail: str
    line: int
    detail_line: int | None = None


@dataclass(frozen=True)
class Resource:
    """A resource declared in a template (for the stack inventory)."""

    resource_type: str
    name: str
    line: int


@dataclass(frozen=True)
class GatewayEvent:
    """An API Gateway event that invokes a function: method, path and its authorizer (if any)."""

    method: str
    path: str
    authorizer: str | None
    line: int
    name: str = "event"
    kind: str = "Api"


@dataclass(frozen=True)
class FunctionHandler:
    """A Lambda function's ``Handler`` (``app.lambda_handler``) and code folder, from a template,
    with the API events that invoke it and whether it has a public function URL."""

    handler: str
    code_uri: str | None
    runtime: str | None
    events: tuple[GatewayEvent, ...] = ()
    public_url: bool = False


class LineDict(dict[Any, Any]):
    """A mapping that remembers its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def key_line(self, key: Any) -> int:
        """The line of ``key`` (or of the mapping when unknown)."""
        return self.key_lines.get(key, self.line)


#: libyaml's parser where PyYAML was built with it (ten times the pure-Python one's speed on a
#: template); the same nodes, marks and errors either way.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TemplateLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that accepts CloudFormation tags and records line numbers."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    name = suffix.lstrip("!")
    key = "Ref" if name == "Ref" else f"Fn::{name}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


def _mapping(loader: TemplateLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


TemplateLoader.add_multi_constructor("!", _tag)
TemplateLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML (or JSON) with CloudFormation tags; yaml.YAMLError when it is not valid."""
    return yaml.load(text, Loader=TemplateLoader)


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _line(mapping: Any, key: Any, default: int) -> int:
    return mapping.key_line(key) if isinstance(mapping, LineDict) else default


def _is_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().upper() == "NONE")


def _falsy(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


# --------------------------------------------------------------------------------------------
# CloudFormation and SAM
# --------------------------------------------------------------------------------------------


def is_cloudformation(data: Any) -> bool:
    """True for a CloudFormation/SAM template (a Resources map of typed resources)."""
    if not isinstance(data, dict):
        return False
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith(("AWS::", "Custom::"))
        for r in resources.values()
    )


def is_cloudformation_text(text: str) -> bool:
    """Cheap test before parsing: does the text look like a CloudFormation/SAM template?"""
    return "AWSTemplateFormatVersion" in text or "AWS::Serverless" in text or "Type: AWS::" in text


def cloudformation_resources(data: Any) -> Iterator[Resource]:
    """Every resource of a template with its type and line."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return
    for name, resource in resources.items():
        if isinstance(resource, dict) and isinstance(resource.get("Type"), str):
            yield Resource(resource["Type"], str(name), _line(resources, name, 1))


def cloudformation_handlers(data: Any) -> Iterator[FunctionHandler]:
    """The ``Handler`` and ``CodeUri`` of each Lambda function (Globals applied), with its API
    events and their authorizers."""
    globals_ = _get(data, "Globals", "Function") or {}
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return
    default_auth, api_defaults = _auth_defaults(data)
    global_url = _get(globals_, "FunctionUrlConfig")
    for name, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        props = resource.get("Properties") or {}
        if kind not in {"AWS::Serverless::Function", "AWS::Lambda::Function"} or not isinstance(
            props, dict
        ):
            continue
        handler = props.get("Handler") or (
            globals_.get("Handler") if isinstance(globals_, dict) else None
        )
        runtime = props.get("Runtime") or (
            globals_.get("Runtime") if isinstance(globals_, dict) else None
        )
        code_uri = props.get("CodeUri") or (
            globals_.get("CodeUri") if isinstance(globals_, dict) else None
        )
        if isinstance(handler, str):
            url = props.get("FunctionUrlConfig", global_url)
            line = _line(resources, name, 1)
            yield FunctionHandler(
                handler,
                code_uri if isinstance(code_uri, str) else None,
                runtime if isinstance(runtime, str) else None,
                tuple(_gateway_events(props, line, default_auth, api_defaults)),
                isinstance(url, dict) and _is_none(url.get("AuthType")),
            )


def _auth_defaults(data: Any) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The default authorizer of every API: from Globals, and per AWS::Serverless::(Http)Api."""
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}

    def default(auth: Any) -> str | None:
        if not isinstance(auth, dict):
            return None
        if auth.get("DefaultAuthorizer") and not _is_none(auth.get("DefaultAuthorizer")):
            return str(auth["DefaultAuthorizer"])
        if auth.get("ApiKeyRequired") is True:
            return "API key"
        return None

    defaults = {
        "Api": default(_get(globals_, "Api", "Auth")),
        "HttpApi": default(_get(globals_, "HttpApi", "Auth")),
    }
    apis: dict[str, str | None] = {}
    resources = data.get("Resources") if isinstance(data.get("Resources"), dict) else {}
    for name, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in {
            "AWS::Serverless::Api",
            "AWS::Serverless::HttpApi",
        }:
            apis[str(name)] = default(_get(resource.get("Properties") or {}, "Auth"))
    return defaults, apis


def _gateway_events(
    props: dict[str, Any],
    line: int,
    default_auth: dict[str, str | None],
    api_defaults: dict[str, str | None],
) -> Iterator[GatewayEvent]:
    events = props.get("Events")
    if not isinstance(events, dict):
        return
    for event_name, event in events.items():
        if not isinstance(event, dict) or event.get("Type") not in {"Api", "HttpApi"}:
            continue
        event_type = str(event["Type"])
        found_props = event.get("Properties")
        eprops: dict[str, Any] = found_props if isinstance(found_props, dict) else {}
        method = str(eprops.get("Method", "ANY")).upper()
        path = str(eprops.get("Path", "/"))
        auth = eprops.get("Auth")
        api_ref = eprops.get("RestApiId") if event_type == "Api" else eprops.get("ApiId")
        api_name = str(api_ref.get("Ref") if isinstance(api_ref, dict) else api_ref)
        inherited = api_defaults.get(api_name) or default_auth.get(event_type)
        authorizer: str | None
        if isinstance(auth, dict):
            named = auth.get("Authorizer")
            if named is not None:
                authorizer = None if _is_none(named) else str(named)
            elif auth.get("ApiKeyRequired") is True:
                authorizer = "API key"
            else:
                authorizer = inherited
        else:
            authorizer = inherited
        yield GatewayEvent(
            method, path, authorizer, _line(events, event_name, line), str(event_name), event_type
        )


def cloudformation_gaps(data: Any) -> list[Gap]:
    """Every rule of the module docstring applied to a CloudFormation/SAM template."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return []
    gaps: list[Gap] = []
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}
    default_auth, api_defaults = _auth_defaults(data)
    global_url = _get(globals_, "Function", "FunctionUrlConfig")
    policies: list[tuple[str, int, Any]] = []
    for name, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind = str(resource.get("Type", ""))
        props = resource.get("Properties")
        props = props if isinstance(props, dict) else {}
        line = _line(resources, name, 1)
        name = str(name)
        if kind == "AWS::CloudFront::Distribution":
            config = props.get("DistributionConfig") or {}
            if not (isinstance(config, dict) and config.get("WebACLId")):
                gaps.append(
                    Gap(
                        "cloudfront-no-waf",
                        name,
                        kind,
                        "no WAF web ACL (DistributionConfig.WebACLId)",
                        line,
                    )
                )
        elif kind == "AWS::Lambda::Url":
            if _is_none(props.get("AuthType")):
                gaps.append(
                    Gap(
                        "lambda-url-auth-none",
                        name,
                        kind,
                        "function URL with AuthType NONE",
                        line,
                        _line(props, "AuthType", line),
                    )
                )
        elif kind == "AWS::Serverless::Function":
            url = props.get("FunctionUrlConfig", global_url)
            if isinstance(url, dict) and _is_none(url.get("AuthType")):
                gaps.append(
                    Gap(
                        "lambda-url-auth-none",
                        name,
                        kind,
                        "FunctionUrlConfig with AuthType NONE",
                        line,
                        _line(url, "AuthType", line),
                    )
                )
            gaps.extend(_sam_events(name, kind, props, line, default_auth, api_defaults))
        elif kind == "AWS::ApiGateway::Method":
            method = str(props.get("HttpMethod", "")).upper()
            if (
                method != "OPTIONS"
                and _is_none(props.get("AuthorizationType"))
                and props.get("ApiKeyRequired") is not True
            ):
                gaps.append(
                    Gap(
                        "api-no-authorizer",
                        name,
                        kind,
                        f"{method or 'ANY'} method with AuthorizationType NONE",
                        line,
                        _line(props, "AuthorizationType", line),
                    )
                )
        elif kind == "AWS::ApiGatewayV2::Route":
            route = props.get("RouteKey")
            if _is_none(props.get("AuthorizationType")) and not str(route).startswith("OPTIONS"):
                gaps.append(
                    Gap("api-no-authorizer", name, kind, f"route {route} with no authorizer", line)
                )
        elif kind == "AWS::S3::Bucket":
            detail = _bucket_public(props)
            if detail:
                key = (
                    "AccessControl"
                    if detail.startswith("AccessControl")
                    else "PublicAccessBlockConfiguration"
                )
                gaps.append(
                    Gap("s3-public-bucket", name, kind, detail, line, _line(props, key, line))
                )
        elif kind == "AWS::S3::BucketPolicy":
            policies.append((name, line, props))
    for name, line, props in policies:
        if _policy_public(props.get("PolicyDocument")):
            bucket = props.get("Bucket")
            target = bucket.get("Ref") if isinstance(bucket, dict) and "Ref" in bucket else bucket
            gaps.append(
                Gap(
                    "s3-public-bucket",
                    name,
                    "AWS::S3::BucketPolicy",
                    f"bucket policy allows Principal '*' on {target}",
                    line,
                    _line(props, "PolicyDocument", line),
                )
            )
    return gaps


def _sam_events(
    name: str,
    kind: str,
    props: dict[str, Any],
    line: int,
    default_auth: dict[str, str | None],
    api_defaults: dict[str, str | None],
) -> list[Gap]:
    out: list[Gap] = []
    for event in _gateway_events(props, line, default_auth, api_defaults):
        if event.method == "OPTIONS" or event.authorizer is not None:
            continue
        out.append(
            Gap(
                "api-no-authorizer",
                f"{name}.{event.name}",
                kind,
                f"{event.kind} event {event.method} {event.path} with no authorizer",
                line,
                event.line,
            )
        )
    return out


def _bucket_public(props: dict[str, Any]) -> str | None:
    acl = str(props.get("AccessControl", ""))
    if acl in {"PublicRead", "PublicReadWrite"}:
        return f"AccessControl {acl}"
    block = props.get("PublicAccessBlockConfiguration")
    if isinstance(block, dict):
        off = [
            k
            for k in (
                "BlockPublicAcls",
                "BlockPublicPolicy",
                "IgnorePublicAcls",
                "RestrictPublicBuckets",
            )
            if _falsy(block.get(k))
        ]
        if off:
            return "public access block turned off (" + ", ".join(f"{k}: false" for k in off) + ")"
    return None


def _policy_public(document: Any) -> bool:
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return False
    for statement in statements:
        if (
            not isinstance(statement, dict)
            or statement.get("Effect") != "Allow"
            or statement.get("Condition")
        ):
            continue
        principal = statement.get("Principal")
        if principal == "*" or (
            isinstance(principal, dict) and principal.get("AWS") in ("*", ["*"])
        ):
            return True
    return False


# --------------------------------------------------------------------------------------------
# serverless.yml
# --------------------------------------------------------------------------------------------


def is_serverless(data: Any) -> bool:
    """True for a Serverless Framework config (``service`` and ``provider``)."""
    return isinstance(data, dict) and "service" in data and "provider" in data


def serverless_gaps(data: Any) -> list[Gap]:
    """Function URLs and HTTP events without an authorizer, plus the CloudFormation ``resources``."""
    gaps: list[Gap] = []
    functions = data.get("functions")
    if isinstance(functions, dict):
        for name, function in functions.items():
            if not isinstance(function, dict):
                continue
            line = _line(functions, name, 1)
            url = function.get("url")
            if url is True or (isinstance(url, dict) and not url.get("authorizer")):
                gaps.append(
                    Gap(
                        "lambda-url-auth-none",
                        str(name),
                        "serverless:function",
                        "url: true with no authorizer",
                        line,
                        _line(function, "url", line),
                    )
                )
            events = function.get("events")
            for event in events if isinstance(events, list) else []:
                gap = _serverless_event(str(name), event, line)
                if gap:
                    gaps.append(gap)
    resources = _get(data, "resources")
    if isinstance(resources, dict):
        gaps.extend(cloudformation_gaps(resources))
    return gaps


def _serverless_event(name: str, event: Any, line: int) -> Gap | None:
    if not isinstance(event, dict):
        return None
    for kind in ("http", "httpApi"):
        spec = event.get(kind)
        if spec is None:
            continue
        event_line = _line(event, kind, line)
        if isinstance(spec, str):
            parts = spec.split()
            method, path = (parts[0], parts[1]) if len(parts) == 2 else ("ANY", spec)
            if kind == "http" and len(parts) == 2:
                method, path = parts[1], parts[0]
            if method.upper() == "OPTIONS":
                return None
            return Gap(
                "api-no-authorizer",
                name,
                f"serverless:{kind}",
                f"{kind} event {method.upper()} {path} with no authorizer",
                line,  # cited at the function, like every other resource; the event line follows
                event_line,
            )
        if isinstance(spec, dict):
            if spec.get("authorizer") or spec.get("private") is True:
                return None
            method = str(spec.get("method", "ANY")).upper()
            if method == "OPTIONS":
                return None
            return Gap(
                "api-no-authorizer",
                name,
                f"serverless:{kind}",
                f"{kind} event {method} {spec.get('path', '/')} with no authorizer",
                line,
                event_line,
            )
    return None


def serverless_resources(data: Any) -> Iterator[Resource]:
    """Functions as Lambda resources, plus the CloudFormation ``resources`` section."""
    functions = data.get("functions") if isinstance(data, dict) else None
    if isinstance(functions, dict):
        for name in functions:
            yield Resource("AWS::Lambda::Function", str(name), _line(functions, name, 1))
    resources = _get(data, "resources")
    if isinstance(resources, dict):
        yield from cloudformation_resources(resources)


def serverless_handlers(data: Any) -> Iterator[FunctionHandler]:
    """``handler: src/app.main`` of each function."""
    functions = data.get("functions") if isinstance(data, dict) else None
    runtime = _get(data, "provider", "runtime")
    if not isinstance(functions, dict):
        return
    for name, function in functions.items():
        if not isinstance(function, dict) or not isinstance(function.get("handler"), str):
            continue
        line = _line(functions, name, 1)
        events: list[GatewayEvent] = []
        for event in function.get("events") or []:
            for kind in ("http", "httpApi"):
                spec = event.get(kind) if isinstance(event, dict) else None
                if isinstance(spec, str):
                    parts = spec.split()
                    method, path = (parts[0], parts[1]) if len(parts) == 2 else ("ANY", spec)
                    if kind == "http" and len(parts) == 2:
                        method, path = parts[1], parts[0]
                    events.append(
                        GatewayEvent(method.upper(), _slash(path), None, line, str(name), kind)
                    )
                elif isinstance(spec, dict):
                    authorizer = spec.get("authorizer")
                    named = (
                        authorizer.get("name", "authorizer")
                        if isinstance(authorizer, dict)
                        else authorizer
                    )
                    if not named and spec.get("private") is True:
                        named = "API key"
                    events.append(
                        GatewayEvent(
                            str(spec.get("method", "ANY")).upper(),
                            _slash(str(spec.get("path", "/"))),
                            str(named) if named else None,
                            line,
                            str(name),
                            kind,
                        )
                    )
        url = function.get("url")
        yield FunctionHandler(
            function["handler"],
            None,
            runtime if isinstance(runtime, str) else None,
            tuple(events),
            url is True or (isinstance(url, dict) and not url.get("authorizer")),
        )


def _slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def gateway_authorizer(
    events: tuple[GatewayEvent, ...], public_url: bool, method: str | None, path: str | None
) -> GatewayEvent | None:
    """The template event whose authorizer protects a route (method, path), if any.

    The events matching the route (same or ANY method, same path with ``{param}`` segments as
    wildcards, ``{proxy+}`` matching the rest) must all have an authorizer; a route no event
    matches is protected only when every event of the function has one and it has no public URL.
    """
    matching = [e for e in events if _method_match(e.method, method) and _path_match(e.path, path)]
    if matching:
        return matching[0] if all(e.authorizer for e in matching) else None
    if events and not public_url and all(e.authorizer for e in events):
        return events[0]
    return None


def _method_match(declared: str, method: str | None) -> bool:
    return method is None or declared in {"ANY", "*"} or declared == method


def _path_match(declared: str, path: str | None) -> bool:
    if path is None:
        return True
    want = [p for p in declared.strip("/").split("/") if p]
    have = [p for p in path.rstrip("*").strip("/").split("/") if p]
    for index, part in enumerate(want):
        if part.endswith("+}") or part == "*":
            return True
        if index >= len(have):
            return False
        if not (part.startswith("{") or have[index].startswith("{") or part == have[index]):
            return False
    return len(have) == len(want) or path.endswith("*")


# --------------------------------------------------------------------------------------------
# Terraform
# --------------------------------------------------------------------------------------------

_BLOCK = re.compile(r'^[ \t]*(resource|data)[ \t]+"([^"]+)"[ \t]+"([^"]+)"[ \t]*\{', re.MULTILINE)
# the value is stripped by the reader: a lazy ``(.+?)[ \t]*$`` was quadratic on a long line of spaces
_ATTRIBUTE = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*)$", re.MULTILINE)
_HEREDOC = re.compile(r"<<-?([A-Za-z_]\w*)[ \t]*\n")


@dataclass(frozen=True)
class TfBlock:
    """A Terraform ``resource``/``data`` block: type, name, line and its top-level attributes."""

    kind: str
    resource_type: str
    name: str
    line: int
    body: str
    attributes: dict[str, str]
    attribute_lines: dict[str, int] = field(default_factory=dict)


_TF_SPECIAL = re.compile(r'#|//|/\*|<<|"')
_TF_STRING = re.compile(r'(?:[^"\\\n]|\\[\s\S]|\\\Z)*')


def _tf_mask(text: str) -> tuple[str, Unterminated | None]:
    """Strings, comments and heredocs blanked (lengths and newlines kept) for brace matching,
    in one pass that jumps from one of them to the next; and the ``/*`` comment or heredoc that
    is never closed (the rest of the file is its text), if one is not."""
    out = list(text)
    i, n = 0, len(text)
    unterminated: Unterminated | None = None
    while (found := _TF_SPECIAL.search(text, i)) is not None:
        i, token = found.start(), found.group(0)
        if token in {"#", "//"}:
            end = text.find("\n", i)
            end = n if end == -1 else end
            _blank(out, i, end)
            i = end
        elif token == "/*":
            end = text.find("*/", i + 2)
            if end == -1:
                unterminated = Unterminated("a /* comment", "*/", i)
            end = n if end == -1 else end + 2
            _blank(out, i, end)
            i = end
        elif token == "<<":
            match = _HEREDOC.match(text, i)
            if match is None:
                i += 2
                continue
            terminator = re.compile(rf"^[ \t]*{match.group(1)}[ \t]*$", re.MULTILINE)
            end_match = terminator.search(text, match.end())
            if end_match is None:  # never closed: the rest of the file is its text
                _blank(out, match.end(), n)
                name = match.group(1)
                unterminated = Unterminated(f"a heredoc (<<{name})", f"a line {name}", i)
                break
            _blank(out, match.end(), end_match.end())
            i = end_match.end()
        else:
            j = _TF_STRING.match(text, i + 1).end()  # type: ignore[union-attr]
            _blank(out, i + 1, j)
            i = j + 1
    return "".join(out), unterminated


def _blank(out: list[str], start: int, end: int) -> None:
    for index in range(start, min(end, len(out))):
        if out[index] != "\n":
            out[index] = " "


@dataclass(frozen=True)
class Unterminated:
    """A ``/*`` comment or heredoc that is never closed, at offset ``at``, and what closes one."""

    what: str
    closer: str
    at: int


@dataclass(frozen=True)
class TfFile:
    """A ``.tf`` file as the block scanner read it: its blocks, those never closed (each read
    up to the next block's header, or the file's end) and an unterminated comment or heredoc
    (the rest of the file, never read for blocks)."""

    blocks: tuple[TfBlock, ...]
    unclosed: tuple[TfBlock, ...]
    unterminated: Unterminated | None


def terraform_blocks(text: str) -> tuple[TfBlock, ...]:
    """Every resource/data block of a ``.tf`` file (kept for the file's next question)."""
    return terraform_file(text).blocks


def terraform_problems(text: str) -> list[tuple[int, str]]:
    """What the block scanner could not read as written, as (line, sentence): blocks never
    closed (one sentence for them all, at the first) and an unterminated comment or heredoc."""
    read = terraform_file(text)
    problems: list[tuple[int, str]] = []
    if read.unclosed:
        first = read.unclosed[0]
        more = len(read.unclosed) - 1
        also = f", nor {'is' if more == 1 else 'are'} {more:,} more after it" if more else ""
        each, closing = ("each was", "each block") if more else ("it was", "it")
        problems.append(
            (
                first.line,
                f'{first.kind} "{first.resource_type}" "{first.name}" is never closed (no '
                f"matching '}}'){also}; {each} read up to the next block's header or the "
                f"file's end; expected a '}}' closing {closing}",
            )
        )
    if read.unterminated is not None:
        start = spans.line_of(text, read.unterminated.at)
        last = text.count("\n") + (0 if text.endswith("\n") else 1)
        problems.append(
            (
                start,
                f"{read.unterminated.what} is never closed, so lines {start} to {last} are its text "
                f"and were not read for resources; expected {read.unterminated.closer} closing it",
            )
        )
    return problems


@lru_cache(maxsize=2)
def terraform_file(text: str) -> TfFile:
    """The blocks of a ``.tf`` file and what kept the scanner from reading it as written."""
    masked, unterminated = _tf_mask(text)
    blocks: list[TfBlock] = []
    unclosed: list[TfBlock] = []
    headers = list(_BLOCK.finditer(masked))
    for index, match in enumerate(headers):
        header = _BLOCK.match(text, match.start())
        if header is None:
            continue
        start = match.end() - 1
        # a block never holds another resource or data block: an unclosed one ends where the
        # next begins (so the blocks of a file are read once, not each to the file's end)
        limit = headers[index + 1].start() if index + 1 < len(headers) else len(masked)
        end = min(spans.matching(masked, start), limit)
        body = text[start + 1 : end - 1]
        masked_body = masked[start + 1 : end - 1]
        attributes: dict[str, str] = {}
        level = 0
        offset = 0
        header_line = spans.line_of(text, match.start())
        attribute_lines: dict[str, int] = {}
        for number, raw_line in enumerate(masked_body.split("\n")):
            if level == 0:
                attr = _ATTRIBUTE.match(raw_line)
                if attr:
                    value_start = offset + attr.start(2)
                    value = body[value_start : offset + attr.end(2)]
                    attributes.setdefault(attr.group(1), value.strip())
                    attribute_lines.setdefault(attr.group(1), header_line + number)
            level += raw_line.count("{") - raw_line.count("}")
            offset += len(raw_line) + 1
        block = TfBlock(
            header.group(1),
            header.group(2),
            header.group(3),
            header_line,
            body,
            attributes,
            attribute_lines,
        )
        blocks.append(block)
        if masked.count("{", start, limit) > masked.count("}", start, limit):
            unclosed.append(block)
    return TfFile(tuple(blocks), tuple(unclosed), unterminated)


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


_TF_PUBLIC_PRINCIPAL = re.compile(
    r'(?s)"?Principal"?\s*[:=]\s*("\*"|\{\s*"?AWS"?\s*[:=]\s*"\*")|identifiers\s*=\s*\[\s*"\*"\s*\]'
)


def terraform_gaps(text: str) -> list[Gap]:
    """The module docstring's rules applied to one ``.tf`` file."""
    gaps: list[Gap] = []
    for block in terraform_blocks(text):
        if block.kind != "resource":
            continue
        kind, name, attrs, line = block.resource_type, block.name, block.attributes, block.line
        address = f"{kind}.{name}"
        at = block.attribute_lines.get
        if kind == "aws_cloudfront_distribution" and not _unquote(attrs.get("web_acl_id")):
            gaps.append(
                Gap("cloudfront-no-waf", address, kind, "no WAF web ACL (web_acl_id)", line)
            )
        elif kind == "aws_lambda_function_url" and _is_none(
            _unquote(attrs.get("authorization_type"))
        ):
            gaps.append(
                Gap(
                    "lambda-url-auth-none",
                    address,
                    kind,
                    'authorization_type = "NONE"',
                    line,
                    at("authorization_type"),
                )
            )
        elif kind == "aws_api_gateway_method":
            method = (_unquote(attrs.get("http_method")) or "ANY").upper()
            key_required = (_unquote(attrs.get("api_key_required")) or "false").lower() == "true"
            if method != "OPTIONS" and _is_none(_unquote(attrs.get("authorization"))) and not key_required:  # fmt: skip
                gaps.append(
                    Gap(
                        "api-no-authorizer",
                        address,
                        kind,
                        f'{method} method with authorization = "NONE"',
                        line,
                        at("authorization"),
                    )
                )
        elif kind == "aws_apigatewayv2_route":
            route = _unquote(attrs.get("route_key")) or ""
            if not route.startswith("OPTIONS") and _is_none(
                _unquote(attrs.get("authorization_type"))
            ):
                gaps.append(
                    Gap(
                        "api-no-authorizer",
                        address,
                        kind,
                        f"route {route} with no authorizer",
                        line,
                    )
                )
        elif kind in {"aws_s3_bucket_acl", "aws_s3_bucket"}:
            acl = _unquote(attrs.get("acl"))
            if acl in {"public-read", "public-read-write"}:
                gaps.append(
                    Gap("s3-public-bucket", address, kind, f'acl = "{acl}"', line, at("acl"))
                )
        elif kind == "aws_s3_bucket_public_access_block":
            off = [
                k
                for k in (
                    "block_public_acls",
                    "block_public_policy",
                    "ignore_public_acls",
                    "restrict_public_buckets",
                )
                if (_unquote(attrs.get(k)) or "").lower() == "false"
            ]
            if off:
                gaps.append(
                    Gap(
                        "s3-public-bucket",
                        address,
                        kind,
                        "public access block turned off ("
                        + ", ".join(f"{k} = false" for k in off)
                        + ")",
                        line,
                        at(off[0]),
                    )
                )
        elif kind == "aws_s3_bucket_policy" and (
            _TF_PUBLIC_PRINCIPAL.search(block.body)
            and "Condition" not in block.body
            and "condition" not in block.body
        ):
            gaps.append(
                Gap(
                    "s3-public-bucket",
                    address,
                    kind,
                    "bucket policy allows Principal '*'",
                    line,
                    at("policy"),
                )
            )
    return gaps


def terraform_resources(text: str) -> Iterator[Resource]:
    """Every ``resource`` block as (type, name, line)."""
    for block in terraform_blocks(text):
        if block.kind == "resource":
            yield Resource(block.resource_type, block.name, block.line)
