"""The code source over a repository with planted issues, decoys, ignored and linked files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from execbrief.config import AllowlistEntry, Entity, SourceSpec
from execbrief.records.code import CodeCoverage, CodeInventory, Endpoint, IacIssue, StackItem
from execbrief.records.secrets import SecretFinding
from execbrief.serialization import to_jsonable
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.code import CodeOptions, CodeSource
from execbrief.sources.codeaudit import iac, lambdas, walk, webapps
from kits.code import SECRET_VALUES, Repo, build_repo


def collect(base: Path, paths: tuple[str, ...], **options: object) -> SourceResult:
    request = SourceRequest(
        entity=Entity(id="shop", name="Shop", kind="other"),
        spec=SourceSpec(
            "code", paths, CodeOptions.model_validate({"max_file_bytes": 20_000, **options}), "code"
        ),
        root=base,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"test-key",
        allowlist=(AllowlistEntry(path="fixtures/*", reason="vendor sample"),),
    )
    return CodeSource().collect(request)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, SourceResult]:
    base = tmp_path_factory.mktemp("code")
    repo = build_repo(base)
    return repo, collect(base, ("repo",))


def test_every_planted_secret_at_its_line_and_no_decoy(scanned: tuple[Repo, SourceResult]) -> None:
    repo, result = scanned
    found = {
        (r.kind, r.provenance.source, r.provenance.line)
        for r in result.records
        if isinstance(r, SecretFinding) and not r.allowlisted
    }
    assert found == repo.secrets
    allowlisted = [r for r in result.records if isinstance(r, SecretFinding) and r.allowlisted]
    assert [(r.file, r.allowlisted) for r in allowlisted] == [
        ("repo/fixtures/sample.json", "vendor sample")
    ]


def test_ignored_vendored_large_binary_and_linked_files_are_not_read(
    scanned: tuple[Repo, SourceResult],
) -> None:
    _, result = scanned
    sources = {r.provenance.source for r in result.records}
    for never in ("ignored/", "debug.log", "node_modules", ".venv", "dist/", "big.txt", "logo.png", "blob.dat",
                  "outside", "loop/", "nested/up", "api_link.py"):  # fmt: skip
        assert not any(never in source for source in sources), never
    coverage = next(r for r in result.records if isinstance(r, CodeCoverage))
    assert coverage.skipped["symbolic link"] == 5
    assert coverage.skipped["binary"] == 2
    assert coverage.skipped["over the size limit"] == 1
    assert coverage.skipped["ignored by .gitignore"] == 2
    assert coverage.skipped["vendored or generated folder"] == 3


def test_lambda_routes_auth_and_mutation(scanned: tuple[Repo, SourceResult]) -> None:
    repo, result = scanned
    endpoints = {
        (e.handler, e.method, e.route): (
            e.provenance.source,
            e.provenance.line,
            e.authenticated,
            e.mutating,
        )
        for e in result.records
        if isinstance(e, Endpoint) and e.kind == "lambda"
    }
    assert endpoints == repo.routes


def test_apps_script_and_javascript_entry_points(scanned: tuple[Repo, SourceResult]) -> None:
    repo, result = scanned
    web = {
        e.handler: (e.provenance.line, e.authenticated, e.mutating)
        for e in result.records
        if isinstance(e, Endpoint) and e.kind != "lambda"
    }
    assert web == repo.web
    secure = next(
        e for e in result.records if isinstance(e, Endpoint) and e.handler == "gas/Secure.gs:doPost"
    )
    assert secure.auth_evidence is not None and secure.auth_evidence.startswith(
        "calls checkToken()"
    )


def test_every_iac_gap_at_its_resource_line_and_no_decoy(
    scanned: tuple[Repo, SourceResult],
) -> None:
    repo, result = scanned
    found = {
        (r.rule, r.provenance.source, r.provenance.line)
        for r in result.records
        if isinstance(r, IacIssue)
    }
    assert found == repo.iac
    spans = {
        (r.rule, r.provenance.source, r.provenance.line): r.provenance.end_line
        for r in result.records
        if isinstance(r, IacIssue)
    }
    tf_url = next(
        k for k in spans if k[0] == "lambda-url-auth-none" and k[1] == "repo/infra/main.tf"
    )
    assert spans[tf_url] == tf_url[2] + 2  # the authorization_type line
    sam_open = next(
        k for k in spans if k[0] == "api-no-authorizer" and k[1] == "repo/handlers/sam.yaml"
    )
    assert spans[sam_open] == sam_open[2] + 6  # the "Open:" event


def test_stack_inventory_roles_and_flags(scanned: tuple[Repo, SourceResult]) -> None:
    _, result = scanned
    items = {(s.category, s.name) for s in result.records if isinstance(s, StackItem)}
    assert {
        ("library", "stripe"),
        ("library", "boto3"),
        ("library", "pyjwt"),
        ("framework", "express"),
    } <= items
    assert {
        ("aws", "DynamoDB"),
        ("aws", "SES"),
        ("aws", "CloudFront"),
        ("aws", "Lambda"),
        ("aws", "S3"),
    } <= items
    assert {
        ("third_party", "Stripe"),
        ("third_party", "Twilio"),
        ("third_party", "Google Apps Script"),
        ("third_party", "Amazon SES"),
    } <= items
    assert {
        ("iac", "Terraform"),
        ("iac", "AWS SAM"),
        ("iac", "Serverless Framework"),
        ("iac", "CloudFormation"),
    } <= items
    python = next(s for s in result.records if isinstance(s, StackItem) and s.name == "Python")
    assert python.lines == sum(
        len(p.read_text().splitlines())
        for p in (result_root(scanned)).rglob("*.py")
        if not p.is_symlink()
        and not any(
            part in {"ignored", ".venv", "outside_link", "loop", "nested"}
            for part in p.relative_to(result_root(scanned)).parts
        )
    )
    stripe = next(s for s in result.records if isinstance(s, StackItem) and s.name == "stripe")
    assert (stripe.version, stripe.provenance.source, stripe.provenance.line) == (
        "==8.4.0",
        "repo/requirements.txt",
        1,
    )
    inventory = next(r for r in result.records if isinstance(r, CodeInventory))
    assert inventory.roles == ("admin", "owner", "staff")
    assert inventory.feature_flags == ("FEATURE_FAST_QUOTES", "beta_checkout")


def result_root(scanned: tuple[Repo, SourceResult]) -> Path:
    return scanned[0].root


def test_no_secret_value_in_the_records(scanned: tuple[Repo, SourceResult]) -> None:
    _, result = scanned
    dumped = json.dumps(to_jsonable(result))
    for value in SECRET_VALUES:
        assert value not in dumped
        assert value[8:] not in dumped


def test_missing_folder_and_bad_files_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "broken.py").write_text("def lambda_handler(event, context:\n")
    (tmp_path / "repo" / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: [unclosed\n"
    )
    (tmp_path / "repo" / "package.json").write_text("{not json")
    (tmp_path / "repo" / "appsscript.json").write_text("{]")
    (tmp_path / "repo" / "garbage.gs").write_text("function doPost(e) { if (x { ")
    result = collect(tmp_path, ("repo", "missing"))
    messages = sorted(e.describe() for e in result.errors)
    assert any(m.startswith("missing: code folder does not exist") for m in messages)
    assert any(m.startswith("repo/broken.py:1: is not valid Python") for m in messages)
    assert any(m.startswith("repo/template.yaml:3: template could not be parsed") for m in messages)
    assert any(
        m.startswith("repo/package.json") and "not valid package.json" in m for m in messages
    )
    assert any(m.startswith("repo/appsscript.json") and "not valid JSON" in m for m in messages)
    assert [e.fatal for e in result.errors].count(True) == 1
    garbage = [r for r in result.records if isinstance(r, Endpoint)]
    assert [(e.handler, e.authenticated, e.mutating) for e in garbage] == [
        ("garbage.gs:doPost", False, True)
    ]


def test_gitignore_can_be_switched_off(tmp_path: Path) -> None:
    build_repo(tmp_path)
    result = collect(tmp_path, ("repo",), gitignore=False)
    files = {r.file for r in result.records if isinstance(r, SecretFinding)}
    assert "repo/ignored/leak.py" in files


def test_yaml_loader_accepts_cloudformation_tags_and_keeps_lines() -> None:
    data = iac.load_yaml(
        "A:\n  B: !Ref X\n  C: !GetAtt [Y, Arn]\n  D: !Sub\n    - '${x}'\n    - x: 1\n"
    )
    assert data["A"]["B"] == {"Ref": "X"}
    assert data["A"]["C"] == {"Fn::GetAtt": ["Y", "Arn"]}
    assert data["A"]["D"] == {"Fn::Sub": ["${x}", {"x": 1}]}
    assert data["A"].key_line("C") == 3


def test_guard_clause_method_and_query_token() -> None:
    source = (
        "def handler(event, context):\n"
        "    if event['httpMethod'] != 'POST':\n"
        "        return {'statusCode': 405}\n"
        "    if event['queryStringParameters']['token'] != TOKEN:\n"
        "        return {'statusCode': 403}\n"
        "    return {'statusCode': 200}\n"
    )
    (route,) = lambdas.analyse_lambda_module(source, "f.py", "f")
    assert (route.method, route.path, route.mutating, route.authenticated) == (
        "POST",
        None,
        True,
        True,
    )


def test_script_masking_keeps_lines() -> None:
    text = "var a = '/* not a comment */';\n// token === x\nfunction doGet(e) {\n  return 1;\n}\n"
    (endpoint,) = webapps.analyse_script(text)
    assert (endpoint.line, endpoint.end_line, endpoint.authenticated) == (3, 5, False)


def test_decorated_routes_of_a_powertools_resolver() -> None:
    source = (
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
        "app = APIGatewayRestResolver()\n"
        "\n"
        "@app.post('/orders')\n"
        "def create():\n"
        "    table.put_item(Item=app.current_event.json_body)\n"
        "\n"
        "@app.route('/orders', methods=['GET', 'OPTIONS'])\n"
        "def list_orders():\n"
        "    return app.current_event.headers.get('Authorization') == TOKEN\n"
        "\n"
        "def lambda_handler(event, context):\n"
        "    return app.resolve(event, context)\n"
    )
    routes = [
        (r.handler, r.method, r.path, r.line, r.authenticated, r.mutating)
        for r in lambdas.analyse_lambda_module(source, "f.py", "f")
    ]
    assert routes == [
        ("f.create", "POST", "/orders", 4, False, True),
        ("f.list_orders", "GET", "/orders", 8, True, False),
    ]


def test_unreferenced_event_context_function_is_a_handler() -> None:
    source = (
        "def main(event, context):\n"
        "    if event['httpMethod'] == 'POST':\n"
        "        table.put_item(Item={})\n"
        "\n"
        "def helper(event, context):\n"
        "    pass\n"
        "\n"
        "def other():\n"
        "    helper(1, 2)\n"
    )
    (route,) = lambdas.analyse_lambda_module(source, "f.py", "f")
    assert (route.handler, route.method, route.line, route.authenticated, route.mutating) == (
        "f.main",
        "POST",
        2,
        False,
        True,
    )


def test_an_authorizer_in_the_template_guards_the_code(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Orders:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        "      Handler: app.main\n"
        "      Runtime: python3.12\n"
        "      Events:\n"
        "        Create:\n"
        "          Type: Api\n"
        "          Properties: {Path: /orders, Method: post, Auth: {Authorizer: Cognito}}\n"
        "        Peek:\n"
        "          Type: Api\n"
        "          Properties: {Path: '/orders/{id}', Method: get}\n"
    )
    (repo / "src" / "app.py").write_text(
        "def main(event, context):\n"
        "    if event['httpMethod'] == 'POST' and event['path'] == '/orders':\n"
        "        table.put_item(Item={})\n"
        "    elif event['httpMethod'] == 'GET' and event['path'] == '/orders/{orderId}':\n"
        "        return table.get_item(Key={})\n"
    )
    result = collect(tmp_path, ("repo",))
    routes = {
        (e.method, e.route): (e.authenticated, e.auth_evidence)
        for e in result.records
        if isinstance(e, Endpoint)
    }
    assert routes == {
        ("POST", "/orders"): (
            True,
            "API Gateway authorizer Cognito on POST /orders (repo/template.yaml:10)",
        ),
        ("GET", "/orders/{orderId}"): (False, None),
    }
    gaps = [(r.rule, r.resource) for r in result.records if isinstance(r, IacIssue)]
    assert gaps == [("api-no-authorizer", "Orders.Peek")]


def test_garbage_templates_and_pathological_python(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.yaml").write_text("Resources: 5\n")
    (repo / "b.yaml").write_text(
        "AWSTemplateFormatVersion: x\nResources:\n  X: [1, 2]\n  Y: {Type: 7}\n"
    )
    (repo / "serverless.yml").write_text("service: s\nprovider: aws\nfunctions: [1, 2]\n")
    (repo / "c.tf").write_text(
        'resource "aws_cloudfront_distribution" "open" {\n  enabled = true\n'
    )
    (repo / "d.tf").write_text('resource "aws_s3_bucket_acl" "x" {\n  acl = <<EOT\n}\nEOT\n}\n')
    (repo / "template.json").write_text(
        '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {\n  "Cdn": {"Type": "AWS::CloudFront::Distribution",\n'
        '   "Properties": {"DistributionConfig": {"Enabled": true}}}}}\n'
    )
    (repo / "deep.py").write_text(
        "def lambda_handler(event, context):\n    return " + "(" * 300 + "1" + ")" * 300 + "\n"
    )
    result = collect(tmp_path, ("repo",))
    gaps = sorted(
        (r.rule, r.provenance.source, r.provenance.line)
        for r in result.records
        if isinstance(r, IacIssue)
    )
    assert gaps == [
        ("cloudfront-no-waf", "repo/c.tf", 1),
        ("cloudfront-no-waf", "repo/template.json", 3),
    ]
    assert all(not e.fatal for e in result.errors)


def test_tuple_comparison_webhook_signature_and_imported_checks() -> None:
    source = (
        "from auth import verify_token\n"
        "import stripe\n"
        "\n"
        "def lambda_handler(event, context):\n"
        "    method, path = event['httpMethod'], event['path']\n"
        "    if (method, path) == ('POST', '/hook'):\n"
        "        stripe.Webhook.construct_event(event['body'], event['headers']['Stripe-Signature'], KEY)\n"
        "        table.put_item(Item={})\n"
        "    if (method, path) == ('POST', '/admin'):\n"
        "        verify_token(event)\n"
        "        table.delete_item(Key={})\n"
        "    if (method, path) == ('PUT', '/open'):\n"
        "        table.put_item(Item={})\n"
    )
    routes = {
        (r.method, r.path): (r.line, r.authenticated)
        for r in lambdas.analyse_lambda_module(source, "f.py", "f")
    }
    assert routes == {
        ("POST", "/hook"): (6, True),
        ("POST", "/admin"): (9, True),
        ("PUT", "/open"): (12, False),
    }


def test_a_single_file_and_a_cloudformation_template_suffix(tmp_path: Path) -> None:
    (tmp_path / "stack.template").write_text(
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {\n'
        '  "Url": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE"}}}}\n'
    )
    (tmp_path / "app.py").write_text("def handler(event, context):\n    table.put_item(Item={})\n")
    result = collect(tmp_path, ("stack.template", "app.py"))
    assert [(r.rule, r.provenance.cite()) for r in result.records if isinstance(r, IacIssue)] == [
        ("lambda-url-auth-none", "stack.template:2")
    ]
    (endpoint,) = [r for r in result.records if isinstance(r, Endpoint)]
    assert (endpoint.handler, endpoint.authenticated, endpoint.mutating) == (
        "app.handler",
        False,
        True,
    )


def test_home_made_route_registry_and_delegating_branches() -> None:
    registry = (
        "ROUTES = {}\n"
        "\n"
        "def route(method, path=None):\n"
        "    def deco(f):\n"
        "        ROUTES[(method, path)] = f\n"
        "        return f\n"
        "    return deco\n"
        "\n"
        "@route('POST', '/orders')\n"
        "def create(event):\n"
        "    table.put_item(Item={})\n"
        "\n"
        "@route('GET /orders')\n"
        "def list_orders(event):\n"
        "    return event['headers']['Authorization'] == TOKEN\n"
        "\n"
        "def lambda_handler(event, context):\n"
        "    return ROUTES[(event['httpMethod'], event['path'])](event)\n"
    )
    routes = [
        (r.handler, r.method, r.path, r.line, r.authenticated, r.mutating)
        for r in lambdas.analyse_lambda_module(registry, "f.py", "f")
    ]
    assert routes == [
        ("f.create", "POST", "/orders", 9, False, True),
        ("f.list_orders", "GET", "/orders", 13, True, False),
    ]
    branches = (
        "def lambda_handler(event, context):\n"
        "    verb = event.get('httpMethod')\n"
        "    if verb == 'GET':\n"
        "        return get_items(event)\n"
        "    elif verb == 'DELETE':\n"
        "        return delete_item(event)\n"
        "\n"
        "def get_items(event):\n"
        "    return table.scan()\n"
        "\n"
        "def delete_item(event):\n"
        "    table.delete_item(Key={'id': event['pathParameters']['id']})\n"
    )
    found = [
        (r.method, r.line, r.mutating, r.function, r.function_line)
        for r in lambdas.analyse_lambda_module(branches, "g.py", "g")
    ]
    assert found == [("GET", 3, False, "get_items", 8), ("DELETE", 5, True, "delete_item", 11)]


@pytest.mark.parametrize(
    ("check", "authenticated"),
    [
        ("if (e.parameter.auth !== AUTH) { return deny(); }", True),
        ("if (e.parameter.k !== WIDGET_KEY) return deny();", True),
        (
            "if (data.token != PropertiesService.getScriptProperties().getProperty('T')) return deny();",
            True,
        ),
        ('if (data.type === "booking") { note(); }', False),
        ("// if (e.parameter.token !== TOKEN) return deny();", False),
    ],
)
def test_apps_script_caller_checks(check: str, authenticated: bool) -> None:
    text = (
        "function doPost(e) {\n  var data = JSON.parse(e.postData.contents);\n  "
        + check
        + "\n  sheet.appendRow([1]);\n}\n"
    )
    (endpoint,) = webapps.analyse_script(text)
    assert (endpoint.authenticated, endpoint.mutating) == (authenticated, True)


NODE_HANDLER = """const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
const jwt = require("jsonwebtoken");
const db = new DynamoDBClient({});

function requireUser(event) {
  // a comment that says headers.authorization proves nothing
  return jwt.verify(event.headers.authorization, process.env.SECRET);
}

exports.handler = async (event) => {
  const method = event.requestContext.http.method;
  if (method === "POST" && event.rawPath === "/orders") {
    await db.send(new PutItemCommand({ TableName: "orders", Item: {} }));
    return { statusCode: 201 };
  }
  if (method === "GET" && event.rawPath === "/orders") {
    requireUser(event);
    return { statusCode: 200 };
  }
  switch (event.routeKey) {
    case "DELETE /orders/{id}":
      await db.send(new DeleteItemCommand({}));
      return { statusCode: 204 };
    case "PUT /orders/{id}":
      return { statusCode: 200 };
    default:
      return { statusCode: 404 };
  }
};
"""


def test_node_lambda_routes_and_a_template_authorizer(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    (repo / "api" / "app.js").write_text(NODE_HANDLER)
    (repo / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Api:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: api/\n"
        "      Handler: app.handler\n"
        "      Runtime: nodejs20.x\n"
        "      Events:\n"
        "        Put:\n"
        "          Type: HttpApi\n"
        "          Properties: {Path: '/orders/{id}', Method: put, Auth: {Authorizer: Jwt}}\n"
        "        Create:\n"
        "          Type: HttpApi\n"
        "          Properties: {Path: /orders, Method: post}\n"
    )
    result = collect(tmp_path, ("repo",))
    routes = {
        (e.method, e.route): (e.provenance.line, e.authenticated, e.mutating)
        for e in result.records
        if isinstance(e, Endpoint)
    }
    assert routes == {
        ("POST", "/orders"): (12, False, True),
        ("GET", "/orders"): (16, True, False),
        ("DELETE", "/orders/{id}"): (21, False, True),
        ("PUT", "/orders/{id}"): (24, True, True),
    }
    put = next(e for e in result.records if isinstance(e, Endpoint) and e.method == "PUT")
    assert put.handler == "api.app.handler" and put.auth_evidence is not None
    assert put.auth_evidence.startswith(
        "API Gateway authorizer Jwt on PUT /orders/{id} (repo/template.yaml:10)"
    )


def test_decorated_routes_of_an_imported_router() -> None:
    # Routes registered in one file on a router made in another (a home-made Router class keyed
    # by API Gateway v2 route keys); a name that is no router (`cache`) declares nothing.
    source = (
        "from orbit.app import router\n"
        "from orbit.auth import verify_token\n"
        "from functools import cache\n"
        "\n"
        "@router.route('POST /orders')\n"
        "def create(event):\n"
        "    TABLE.put_item(Item={})\n"
        "\n"
        "@router.route('GET /orders')\n"
        "def list_orders(event):\n"
        "    return verify_token(event)\n"
        "\n"
        "@router.delete('/orders/{id}')\n"
        "def drop(event):\n"
        "    return 1\n"
        "\n"
        "@cache.get('/nothing')\n"
        "def nothing(event):\n"
        "    return 1\n"
    )
    assert lambdas.is_lambda_module(source)
    routes = [
        (r.handler, r.method, r.path, r.line, r.authenticated, r.mutating)
        for r in lambdas.analyse_lambda_module(source, "f.py", "f")
    ]
    assert routes == [
        ("f.create", "POST", "/orders", 5, False, True),
        ("f.list_orders", "GET", "/orders", 9, True, False),
        ("f.drop", "DELETE", "/orders/{id}", 13, False, True),
    ]


def test_a_template_authorizer_guards_routes_of_an_imported_router(tmp_path: Path) -> None:
    # The handler in orbit/app.py dispatches on a router; the routes live in orbit/routes/*.py.
    repo = tmp_path / "repo"
    (repo / "orbit" / "routes").mkdir(parents=True)
    (repo / "serverless.yml").write_text(
        "service: orbit\n"
        "provider: {name: aws, runtime: python3.12}\n"
        "functions:\n"
        "  api:\n"
        "    handler: orbit/app.handler\n"
        "    events:\n"
        "      - httpApi: {path: /orders, method: post, authorizer: {name: jwtAuth}}\n"
        "      - httpApi: {path: '/admin/users/{id}', method: delete}\n"
    )
    (repo / "orbit" / "app.py").write_text(
        "router = Router()\n\ndef handler(event, context):\n    return router.dispatch(event)\n"
    )
    (repo / "orbit" / "routes" / "orders.py").write_text(
        "from orbit.app import router\n\n@router.route('POST /orders')\n"
        "def create(event):\n    TABLE.put_item(Item={})\n"
    )
    (repo / "orbit" / "routes" / "admin.py").write_text(
        "from ..app import router\n\n@router.route('DELETE /admin/users/{id}')\n"
        "def drop(event):\n    pool.admin_delete_user(Username='x')\n"
    )
    result = collect(tmp_path, ("repo",))
    routes = {
        (e.method, e.route): (e.provenance.source, e.provenance.line, e.authenticated)
        for e in result.records
        if isinstance(e, Endpoint) and e.route
    }
    assert routes == {
        ("POST", "/orders"): ("repo/orbit/routes/orders.py", 3, True),
        ("DELETE", "/admin/users/{id}"): ("repo/orbit/routes/admin.py", 3, False),
    }


def test_the_dispatcher_of_an_imported_router_is_not_an_extra_route(tmp_path: Path) -> None:
    # app.handler only hands the event to the router: its routes are the decorated ones elsewhere,
    # not one more "every request" route (which would double-report every gap).
    repo = tmp_path / "repo"
    (repo / "orbit" / "routes").mkdir(parents=True)
    (repo / "orbit" / "app.py").write_text(
        "router = Router()\n\ndef handler(event, context):\n    return router.dispatch(event)\n"
    )
    (repo / "orbit" / "routes" / "orders.py").write_text(
        "from orbit.app import router\n\n@router.route('POST /orders')\n"
        "def create(event):\n    TABLE.put_item(Item={})\n"
    )
    (repo / "other.py").write_text("def handler(event, context):\n    TABLE.put_item(Item=event)\n")
    result = collect(tmp_path, ("repo",))
    endpoints = sorted(
        (e.provenance.source, e.method, e.route) for e in result.records if isinstance(e, Endpoint)
    )
    assert endpoints == [
        ("repo/orbit/routes/orders.py", "POST", "/orders"),
        ("repo/other.py", None, None),
    ]


def test_match_on_a_tuple_of_method_and_path() -> None:
    source = (
        "def handler(event, context):\n"
        "    http = event['requestContext']['http']\n"
        "    match (http['method'], event['rawPath']):\n"
        "        case ('PUT', '/files'):\n"
        "            s3.put_object(Bucket='b', Key='k')\n"
        "        case ('GET', '/files') | ('HEAD', '/files'):\n"
        "            if not event['headers'].get('authorization'):\n"
        "                return {'statusCode': 401}\n"
        "            return {'statusCode': 200}\n"
        "        case (_, '/health'):\n"
        "            return {'statusCode': 200}\n"
        "        case _:\n"
        "            return {'statusCode': 404}\n"
    )
    routes = [
        (r.method, r.path, r.line, r.authenticated, r.mutating)
        for r in lambdas.analyse_lambda_module(source, "f.py", "f")
    ]
    assert routes == [
        ("PUT", "/files", 4, False, True),
        ("GET", "/files", 6, False, False),  # a presence test verifies nothing
        (None, "/health", 10, False, False),
    ]


@pytest.mark.parametrize(
    ("check", "authenticated"),
    [
        ("token = event['headers'].get('Authorization')", False),
        ("if not event['headers'].get('Authorization'): return {'statusCode': 401}", False),
        ("if event['headers'].get('x-api-key') is None: return {'statusCode': 401}", False),
        ("if 'authorization' not in event['headers']: return {'statusCode': 401}", False),
        (
            "jwt.decode(event['headers']['Authorization'], options={'verify_signature': False})",
            False,
        ),
        ("jwt.decode(event['headers']['Authorization'])", False),
        ("jwt.decode(event['headers']['Authorization'], KEY, algorithms=['HS256'])", True),
        (
            "if event['headers'].get('x-api-key') != os.environ['KEY']: return {'statusCode': 403}",
            True,
        ),
        (
            "if not hmac.compare_digest(event['headers'].get('x-api-key', ''), KEY): return 403",
            True,
        ),
        ("claims = event['requestContext']['authorizer']['claims']", False),
        (
            "claims = event['requestContext']['authorizer']['claims']\n"
            "    if claims.get('custom:role') != 'admin': return {'statusCode': 403}",
            True,
        ),
    ],
)
def test_a_guard_counts_only_when_the_value_read_is_verified(
    check: str, authenticated: bool
) -> None:
    source = (
        "def lambda_handler(event, context):\n"
        f"    {check}\n"
        "    table.delete_item(Key={'id': event['body']})\n"
        "    return {'statusCode': 200}\n"
    )
    [route] = lambdas.analyse_lambda_module(source, "f.py", "f")
    assert route.authenticated is authenticated


@pytest.mark.parametrize(
    ("check", "authenticated"),
    [
        ("const token = event.headers.authorization;", False),
        ("if (!event.headers.authorization) { return deny(); }", False),
        ("if (event.headers.authorization === undefined) { return deny(); }", False),
        ("if (event.headers['x-api-key'] !== process.env.KEY) { return deny(); }", True),
        (
            "const given = event.headers.authorization;\n"
            "  if (given !== 'Bearer ' + process.env.TOKEN) { return deny(); }",
            True,
        ),
        ("jwt.verify(event.headers.authorization, process.env.SECRET);", True),
        ("const claims = event.requestContext.authorizer.claims;", False),
        (
            "const claims = event.requestContext.authorizer.claims;\n"
            "  if (!claims.groups.includes('admin')) { return deny(); }",
            True,
        ),
    ],
)
def test_node_guard_counts_only_when_the_value_read_is_verified(
    check: str, authenticated: bool
) -> None:
    from execbrief.sources.codeaudit import nodelambda

    source = (
        "exports.handler = async (event) => {\n"
        f"  {check}\n"
        "  if (event.httpMethod === 'DELETE') {\n"
        "    await db.delete({ id: event.body });\n"
        "    return { statusCode: 200 };\n"
        "  }\n"
        "  return { statusCode: 404 };\n"
        "};\n"
    )
    [route] = nodelambda.analyse_node_lambda(source)
    assert route.authenticated is authenticated, route


@pytest.mark.parametrize(
    ("body", "authenticated", "evidence"),
    [
        (  # one branch compares a token, another deletes rows unchecked
            "  var action = e.parameter.action;\n"
            "  if (action === 'list') {\n"
            "    if (e.parameter.token !== TOKEN) { return deny(); }\n"
            "    return list();\n"
            "  } else if (action === 'purge') {\n"
            "    sheet.deleteRows(2, 10);\n"
            "  }\n",
            False,
            "deleteRows",
        ),
        (  # a check before the dispatch protects every branch
            "  if (e.parameter.token !== TOKEN) { return deny(); }\n"
            "  switch (e.parameter.action) {\n"
            "    case 'list': return list();\n"
            "    case 'purge': sheet.deleteRows(2, 10); break;\n"
            "  }\n",
            True,
            None,
        ),
        (  # every branch checks for itself
            "  switch (e.parameter.path) {\n"
            "    case 'a': if (e.parameter.key !== KEY_A) { return deny(); } return a();\n"
            "    case 'b': if (e.parameter.key !== KEY_B) { return deny(); } sheet.appendRow([1]); break;\n"
            "  }\n",
            True,
            None,
        ),
    ],
)
def test_apps_script_dispatch_is_judged_per_branch(
    body: str, authenticated: bool, evidence: str | None
) -> None:
    [endpoint] = webapps.analyse_script("function doGet(e) {\n" + body + "}\n")
    assert endpoint.authenticated is authenticated
    if evidence:
        assert endpoint.mutation_evidence and evidence in endpoint.mutation_evidence


def test_a_concise_arrow_handler_is_an_endpoint() -> None:
    # `exports.handler = async (event) => ({...})` returns an object: one open, read-only route
    # (an outsider found it missing from the CTO audit)
    from execbrief.sources.codeaudit.nodelambda import analyse_node_lambda

    text = (
        'const AWS = require("aws-sdk");\n'
        "exports.handler = async (event) => ({\n"
        "  statusCode: 200,\n"
        "  body: JSON.stringify({ ok: true, id: event.pathParameters.id }),\n"
        "});\n"
    )
    (route,) = analyse_node_lambda(text)
    assert route.handler == "handler" and route.line == 2
    assert not route.authenticated and not route.mutating and route.end_line == 5


@pytest.mark.parametrize(
    "size", [0, 1, walk.SNIFF_BYTES - 1, walk.SNIFF_BYTES, walk.SNIFF_BYTES + 1]
)
def test_the_walk_hands_a_short_file_over_as_read_and_a_longer_one_to_be_read(
    tmp_path: Path, size: int
) -> None:
    text = ("x = 1\n" * (size // 6 + 1))[:size].encode()
    (tmp_path / "app.py").write_bytes(text)
    (tmp_path / "blob.py").write_bytes(b"\0" + text)
    (walked,) = walk.walk(tmp_path)
    assert walked.relative == "app.py"
    assert walked.data == (text if size <= walk.SNIFF_BYTES else None)
