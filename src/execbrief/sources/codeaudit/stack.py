"""The stack inventory: languages by lines, dependencies, AWS services, third parties; and the roles
and feature flags the code compares against.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

from execbrief.sources.codeaudit import spans

#: Language by file suffix (or exact name), for the lines-of-code table.
LANGUAGES = {
    ".py": "Python",
    ".js": "JavaScript",
    ".mjs": "JavaScript",
    ".cjs": "JavaScript",
    ".jsx": "JavaScript",
    ".ts": "TypeScript",
    ".tsx": "TypeScript",
    ".gs": "Google Apps Script",
    ".html": "HTML",
    ".htm": "HTML",
    ".css": "CSS",
    ".scss": "CSS",
    ".go": "Go",
    ".rb": "Ruby",
    ".php": "PHP",
    ".java": "Java",
    ".kt": "Kotlin",
    ".rs": "Rust",
    ".cs": "C#",
    ".sh": "Shell",
    ".sql": "SQL",
    ".tf": "Terraform",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".json": "JSON",
    ".toml": "TOML",
    ".md": "Markdown",
}

#: Dependencies that are frameworks (the rest are libraries).
FRAMEWORKS = frozenset(
    {
        "flask", "django", "fastapi", "starlette", "chalice", "aws-lambda-powertools", "zappa",
        "aws-sam-cli", "serverless", "express", "koa", "fastify", "next", "react", "vue", "nuxt",
        "svelte", "@sveltejs/kit", "angular", "@angular/core", "gatsby", "astro", "hono",
        "aws-cdk-lib", "@aws-cdk/core", "jquery", "tailwindcss", "bootstrap", "streamlit",
    }
)  # fmt: skip

#: Third parties by dependency or import name.
THIRD_PARTIES = {
    "stripe": "Stripe",
    "twilio": "Twilio",
    "sendgrid": "SendGrid",
    "@sendgrid/mail": "SendGrid",
    "mailgun": "Mailgun",
    "mailchimp": "Mailchimp",
    "mailchimp3": "Mailchimp",
    "@mailchimp/mailchimp_marketing": "Mailchimp",
    "squareup": "Square",
    "square": "Square",
    "paypalrestsdk": "PayPal",
    "@paypal/checkout-server-sdk": "PayPal",
    "shopify": "Shopify",
    "shopifyapi": "Shopify",
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "slack_sdk": "Slack",
    "slack-sdk": "Slack",
    "@slack/web-api": "Slack",
    "firebase": "Firebase",
    "firebase-admin": "Firebase",
    "googleapis": "Google APIs",
    "google-api-python-client": "Google APIs",
    "gspread": "Google Sheets",
    "sentry-sdk": "Sentry",
    "@sentry/node": "Sentry",
    "postmark": "Postmark",
    "plaid": "Plaid",
    "plaid-python": "Plaid",
    "quickbooks": "QuickBooks",
    "python-quickbooks": "QuickBooks",
    "hubspot": "HubSpot",
    "airtable": "Airtable",
    "pyairtable": "Airtable",
}

#: boto3 service names to display names.
AWS_SERVICES = {
    "ses": "SES",
    "sesv2": "SES",
    "s3": "S3",
    "dynamodb": "DynamoDB",
    "lambda": "Lambda",
    "sqs": "SQS",
    "sns": "SNS",
    "cloudfront": "CloudFront",
    "cloudwatch": "CloudWatch",
    "logs": "CloudWatch Logs",
    "events": "EventBridge",
    "secretsmanager": "Secrets Manager",
    "ssm": "Systems Manager",
    "cognito-idp": "Cognito",
    "stepfunctions": "Step Functions",
    "apigateway": "API Gateway",
    "apigatewayv2": "API Gateway",
    "rds": "RDS",
    "rds-data": "RDS",
    "kinesis": "Kinesis",
    "route53": "Route 53",
    "wafv2": "WAF",
    "ce": "Cost Explorer",
    "sts": "STS",
    "iam": "IAM",
    "kms": "KMS",
    "textract": "Textract",
    "bedrock-runtime": "Bedrock",
    "pinpoint": "Pinpoint",
}

_CFN_SERVICES = {
    "ApiGateway": "API Gateway",
    "ApiGatewayV2": "API Gateway",
    "CloudFront": "CloudFront",
    "Lambda": "Lambda",
    "S3": "S3",
    "DynamoDB": "DynamoDB",
    "SES": "SES",
    "SQS": "SQS",
    "SNS": "SNS",
    "Logs": "CloudWatch Logs",
    "CloudWatch": "CloudWatch",
    "Events": "EventBridge",
    "WAFv2": "WAF",
    "Route53": "Route 53",
    "CertificateManager": "ACM",
    "Cognito": "Cognito",
    "StepFunctions": "Step Functions",
    "SecretsManager": "Secrets Manager",
    "IAM": "IAM",
    "KMS": "KMS",
    "RDS": "RDS",
}
_SAM_SERVICES = {
    "Function": "Lambda",
    "Api": "API Gateway",
    "HttpApi": "API Gateway",
    "SimpleTable": "DynamoDB",
    "StateMachine": "Step Functions",
    "LayerVersion": "Lambda",
}
_TF_PREFIXES = {
    "aws_lambda": "Lambda",
    "aws_s3": "S3",
    "aws_cloudfront": "CloudFront",
    "aws_dynamodb": "DynamoDB",
    "aws_api_gateway": "API Gateway",
    "aws_apigatewayv2": "API Gateway",
    "aws_ses": "SES",
    "aws_sesv2": "SES",
    "aws_sqs": "SQS",
    "aws_sns": "SNS",
    "aws_cloudwatch_log": "CloudWatch Logs",
    "aws_cloudwatch": "CloudWatch",
    "aws_iam": "IAM",
    "aws_route53": "Route 53",
    "aws_wafv2": "WAF",
    "aws_acm": "ACM",
    "aws_cognito": "Cognito",
    "aws_sfn": "Step Functions",
    "aws_secretsmanager": "Secrets Manager",
    "aws_kms": "KMS",
    "aws_db": "RDS",
    "aws_rds": "RDS",
}


def language(name: str) -> str | None:
    """The language of a file by its suffix, or None."""
    dot = name.rfind(".")
    return LANGUAGES.get(name[dot:].lower()) if dot >= 0 else None


def aws_service(resource_type: str) -> str | None:
    """The AWS service a CloudFormation or Terraform resource type belongs to."""
    if resource_type.startswith("AWS::Serverless::"):
        return _SAM_SERVICES.get(resource_type.split("::")[2])
    if resource_type.startswith("AWS::"):
        part = resource_type.split("::")[1]
        return _CFN_SERVICES.get(part, part)
    if resource_type.startswith("aws_"):
        for prefix in sorted(_TF_PREFIXES, key=len, reverse=True):
            if resource_type.startswith(prefix):
                return _TF_PREFIXES[prefix]
    return None


@dataclass(frozen=True)
class Dependency:
    """A dependency declared in a manifest, with its line."""

    name: str
    version: str | None
    line: int

    @property
    def category(self) -> str:
        """``framework`` or ``library``."""
        return "framework" if self.name.lower() in FRAMEWORKS else "library"


_REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([<>=!~]=?[^;#\s]*(?:\s*,\s*[<>=!~]=?[^;#\s]*)*)?"
)


def requirements(text: str) -> Iterator[Dependency]:
    """``requirements.txt`` lines (comments, options and URLs skipped)."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("-", "git+", "http:", "https:")):
            continue
        match = _REQUIREMENT.match(line)
        if match:
            yield Dependency(match.group(1).lower(), (match.group(3) or "").strip() or None, number)


_NAME_TOKEN = re.compile(r"""(?:^|(?<=["'\s]))([\w.-]+)""", re.MULTILINE)


def _name_lines(text: str) -> dict[str, int]:
    """The first line each name could be read at (a word after a line start, quote or space,
    cut at each ``.``/``-``: ``requests-oauthlib`` names ``requests`` too), in one pass."""
    out: dict[str, int] = {}
    for match in _NAME_TOKEN.finditer(text):
        token, line = match.group(1).lower(), 0
        for cut in (*(m.start() for m in re.finditer(r"(?<=\w)[.-]", token)), len(token)):
            if token[:cut] not in out:
                line = line or spans.line_of(text, match.start())
                out[token[:cut]] = line
    return out


def pyproject(text: str) -> Iterator[Dependency]:
    """``[project].dependencies`` and ``[tool.poetry.dependencies]`` (tomllib.TOMLDecodeError if bad)."""
    data = tomllib.loads(text)
    first_lines = _name_lines(text)

    def line_of(name: str) -> int:
        return first_lines.get(name.lower(), 1)

    for spec in data.get("project", {}).get("dependencies", []) or []:
        if isinstance(spec, str):
            match = _REQUIREMENT.match(spec)
            if match:
                yield Dependency(
                    match.group(1).lower(),
                    (match.group(3) or "").strip() or None,
                    line_of(match.group(1)),
                )
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {}) or {}
    for name, spec in poetry.items():
        if name.lower() == "python":
            continue
        version = (
            spec
            if isinstance(spec, str)
            else spec.get("version")
            if isinstance(spec, dict)
            else None
        )
        yield Dependency(name.lower(), version, line_of(name))


def package_json(text: str) -> Iterator[Dependency]:
    """``dependencies`` and ``devDependencies`` of a ``package.json`` (ValueError if bad JSON)."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    first_line = _string_lines(text)
    for section in ("dependencies", "devDependencies"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, version in table.items():
            line = first_line.get(name, 1)
            yield Dependency(str(name), str(version) if version else None, line)


_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _string_lines(text: str) -> dict[str, int]:
    """Each JSON string of ``text`` as written (a package name has no escapes) -> the first line
    it is on: one pass, where a search of every line for each of 70,000 names took 21 s a MB."""
    out: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        for found in _JSON_STRING.finditer(raw):
            out.setdefault(found.group(1), number)
    return out


@dataclass(frozen=True)
class Usage:
    """A use of an AWS service or a third party found in code, with its line."""

    category: str
    name: str
    line: int


_BOTO = re.compile(
    r"""\b(?:boto3|session|Session\(\))\s*\.\s*(client|resource)\s*\(\s*(?:service_name\s*=\s*)?["']([a-z0-9-]+)["']"""
)
_JS_IMPORT = re.compile(r"""(?:require\(\s*|from\s+|import\s+)["']([@\w./-]+)["']""")
_JS_AWS = re.compile(r"""@aws-sdk/client-([a-z0-9-]+)|new\s+AWS\.([A-Za-z0-9]+)\s*\(""")
_GS_SERVICES = re.compile(
    r"\b(SpreadsheetApp|MailApp|GmailApp|CalendarApp|DriveApp|UrlFetchApp|PropertiesService)\."
)


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import|import[ \t]+([A-Za-z_]\w*))",
    re.MULTILINE,
)


_PY_PARTIES = tuple(name for name in THIRD_PARTIES if "/" not in name and "-" not in name)


def python_usages(text: str) -> Iterator[Usage]:
    """AWS services from boto3 calls and third parties from imports (by pattern: no tree walk)."""
    if "client(" in text or "resource(" in text:
        for match in _BOTO.finditer(text):
            service = AWS_SERVICES.get(match.group(2), match.group(2))
            yield Usage("aws", service, spans.line_of(text, match.start()))
    low = text.lower()
    if not any(name in low for name in _PY_PARTIES):
        return
    for match in _IMPORT.finditer(text):
        top = (match.group(1) or match.group(2) or "").lower()
        if top in THIRD_PARTIES:
            yield Usage("third_party", THIRD_PARTIES[top], spans.line_of(text, match.start()))


def script_usages(text: str, name: str) -> Iterator[Usage]:
    """JavaScript/Apps Script: imports of third parties, AWS SDK clients, Apps Script services."""
    for match in _JS_IMPORT.finditer(text):
        module = match.group(1).lower()
        party = THIRD_PARTIES.get(module) or THIRD_PARTIES.get(module.split("/")[0])
        if party:
            yield Usage("third_party", party, spans.line_of(text, match.start()))
    for match in _JS_AWS.finditer(text):
        service = (match.group(1) or match.group(2) or "").lower()
        yield Usage(
            "aws",
            AWS_SERVICES.get(service, service.upper()),
            spans.line_of(text, match.start()),
        )
    if name.endswith(".gs"):
        first = _GS_SERVICES.search(text)
        yield Usage(
            "third_party",
            "Google Apps Script",
            spans.line_of(text, first.start()) if first else 1,
        )


# --------------------------------------------------------------------------------------------
# Roles and feature flags
# --------------------------------------------------------------------------------------------

_ROLE_NAMES = re.compile(
    r"(?i)^(.*[_:.-])?(role|roles|group|groups|permission|permissions|tier|plan|scope|scopes)$"
)
_FLAG_NAME = re.compile(r"^(FEATURE|FF|FLAG|ENABLE|ENABLED|USE)_[A-Z0-9_]+$")
_FLAG_CONTAINERS = re.compile(r"(?i)^(flags|feature_flags|features|featureflags|toggles)$")
_FLAG_CALLS = re.compile(
    r"(?i)^(is_enabled|feature_enabled|flag_enabled|is_feature_enabled|isEnabled|isFeatureEnabled)$"
)


def _last_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
    ):
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


_ROLE_FLAG_WORDS = ("role", "tier", "feature", "flags", "is_enabled", "isenabled", "toggles", "ff_")


def has_roles_or_flags(text: str) -> bool:
    """Cheap pre-test (substrings of the lower-cased text) before walking a tree for roles and flags."""
    low = text.lower()
    return any(word in low for word in _ROLE_FLAG_WORDS)


_LEADING = ("if ", "elif ", "while ", "return ", "assert ", "and ", "or ", "not ")


def python_roles_flags_text(text: str) -> tuple[set[str], set[str]]:
    """Roles and flags from the lines that mention them, each line parsed on its own.

    Much cheaper than walking the whole module; a comparison split over several lines is missed.
    """
    roles: set[str] = set()
    flags: set[str] = set()
    for line in text.splitlines():
        low = line.lower()
        if not any(word in low for word in _ROLE_FLAG_WORDS):
            continue
        expr = line.strip()
        changed = True
        while changed:
            changed = False
            for word in _LEADING:
                if expr.startswith(word):
                    expr, changed = expr[len(word) :], True
        expr = expr.split(" #", 1)[0].rstrip().rstrip(":\\").rstrip()
        try:
            tree = ast.parse(expr)
        except (SyntaxError, ValueError):
            continue
        found_roles, found_flags = python_roles_flags(tree)
        roles |= found_roles
        flags |= found_flags
    return roles, flags


def python_roles_flags(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Roles compared against (``user.role == "admin"``, ``role in (...)``, ``"admin" in roles``)
    and feature flags (``FEATURE_X``, ``flags["x"]``, ``is_enabled("x")``)."""
    roles: set[str] = set()
    flags: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = node.left, node.comparators[0]
            for subject, values in ((left, right), (right, left)):
                name = _last_name(subject)
                if name and _ROLE_NAMES.match(name):
                    roles.update(v for v in _strings(values) if v and len(v) <= 40)
        elif isinstance(node, ast.Name) and _FLAG_NAME.match(node.id):
            flags.add(node.id)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _FLAG_NAME.match(node.value)
        ):
            flags.add(node.value)
        elif isinstance(node, ast.Subscript):
            container = _last_name(node.value)
            key = node.slice
            if (
                container
                and _FLAG_CONTAINERS.match(container)
                and isinstance(key, ast.Constant)
                and isinstance(key.value, str)
            ):
                flags.add(key.value)
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            first = node.args[0] if node.args else None
            first_value = (
                first.value
                if isinstance(first, ast.Constant) and isinstance(first.value, str)
                else None
            )
            if (first_value and _FLAG_CALLS.match(name)) or (
                first_value
                and name == "get"
                and isinstance(func, ast.Attribute)
                and (container := _last_name(func.value))
                and _FLAG_CONTAINERS.match(container)
            ):
                flags.add(first_value)
    return roles, flags


_JS_ROLE = re.compile(
    r"""\b(?:role|roles|userRole|user_role|group|tier|plan)\s*(?:===?|!==?)\s*['"]([\w:-]{1,40})['"]|['"]([\w:-]{1,40})['"]\s*(?:===?|!==?)\s*[\w.]*\b(?:role|userRole)\b"""
)
_JS_ROLE_INCLUDES = re.compile(r"""\b(?:roles|groups)\.includes\(\s*['"]([\w:-]{1,40})['"]\s*\)""")
_JS_FLAG = re.compile(
    r"""\b((?:FEATURE|FF|FLAG|ENABLE|USE)_[A-Z0-9_]+)\b|\b(?:flags|features|featureFlags|toggles)(?:\.([A-Za-z_]\w*)|\[\s*['"]([\w.-]+)['"]\s*\])"""
)


def script_roles_flags(text: str) -> tuple[set[str], set[str]]:
    """The same for JavaScript/Apps Script, by pattern."""
    roles = {m.group(1) or m.group(2) for m in _JS_ROLE.finditer(text)}
    roles |= {m.group(1) for m in _JS_ROLE_INCLUDES.finditer(text)}
    flags = {m.group(1) or m.group(2) or m.group(3) for m in _JS_FLAG.finditer(text)}
    return {r for r in roles if r}, {f for f in flags if f}
