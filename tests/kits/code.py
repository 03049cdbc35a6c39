"""A code repository with planted issues and decoys, built in a temp folder for the code source tests.

Secret values are assembled at run time so that no complete key sits in this file. ``PLANTED``
lists every issue the scan must report (kind or rule, file, line) and ``SECRET_VALUES`` every
value that must never appear in any output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

STRIPE_LIVE = "sk_" + "live_" + "51Qz8kLmN3pR7tV2xY4bC6dF9gH1jK5nW0"
STRIPE_LIVE_2 = "rk_" + "live_" + "51Hq2WeRt6YuI8oP3aS5dF7gJ9kL1zX4cV"
AWS_KEY_ID = "AKIA" + "Q7W3E9R5T1Y6U2I8"
GITHUB_TOKEN = "ghp_" + "R8b2Nc4Vx6Mz1Lq3Kw5Ej7Hf9Gd0Sa2Tp4Yu"
OUTSIDE_SECRET = "sk_" + "live_" + "51OutsideTheTree9x8c7v6b5n4m3Lk2"
IGNORED_SECRET = "sk_" + "live_" + "51IgnoredByGit0a9s8d7f6g5h4j3Kq1"
VENDORED_SECRET = "sk_" + "live_" + "51VendoredCode1q2w3e4r5t6y7u8Ip0"
FIXTURE_SECRET = "sk_" + "live_" + "51FixtureOnly5t4r3e2w1q0p9o8I7u6"
TEST_KEY = "sk_" + "test_" + "51Tq9Wm2Xn4Bv6Cz8Lk1Jh3Gf5Dd7Ss9Aa"

SECRET_VALUES = (STRIPE_LIVE, STRIPE_LIVE_2, AWS_KEY_ID, GITHUB_TOKEN, OUTSIDE_SECRET, IGNORED_SECRET,
                 VENDORED_SECRET, FIXTURE_SECRET)  # fmt: skip


@dataclass
class Repo:
    """The built repository and what must (and must not) be found in it."""

    root: Path
    secrets: set[tuple[str, str, int]] = field(default_factory=set)
    iac: set[tuple[str, str, int]] = field(default_factory=set)
    routes: dict[tuple[str, str | None, str | None], tuple[str, int, bool, bool]] = field(
        default_factory=dict
    )
    web: dict[str, tuple[int, bool, bool]] = field(default_factory=dict)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only occurrence of ``needle``."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


API = f'''
import json
import os

import boto3
import jwt

STRIPE_KEY = "{STRIPE_LIVE}"
TABLE = boto3.resource("dynamodb").Table("orders")


def _claims(event):
    token = event["headers"].get("authorization", "")
    return jwt.decode(token, os.environ["SECRET"], algorithms=["HS256"])


def _verify(event):
    return jwt.decode(event["headers"]["x-token"], "k", algorithms=["HS256"])


def lambda_handler(event, context):
    method = event["httpMethod"]
    path = event["path"]
    if method == "OPTIONS":
        return {{"statusCode": 204}}
    if method == "POST" and path == "/orders":  # @route:post-orders
        TABLE.put_item(Item=json.loads(event["body"]))
        return {{"statusCode": 201}}
    elif method == "GET" and path == "/orders":  # @route:get-orders
        _claims(event)
        return {{"statusCode": 200}}
    elif method == "DELETE" and path.startswith("/orders/"):  # @route:delete-order
        _verify(event)
        TABLE.delete_item(Key={{"id": path.rsplit("/", 1)[1]}})
        return {{"statusCode": 204}}
    elif path == "/health":  # @route:health
        return {{"statusCode": 200}}
    return {{"statusCode": 404}}
'''

DISPATCH = """
import stripe


def refund(event, context):
    stripe.Refund.create(charge=event["body"])
    return {"statusCode": 200}


def status(event, context):
    return {"statusCode": 200, "body": "ok"}


HANDLERS = {
    ("POST", "/refund"): refund,  # @route:refund
    ("GET", "/status"): status,  # @route:status
}


def handler(event, context):
    key = (event["requestContext"]["http"]["method"], event["rawPath"])
    return HANDLERS[key](event, context)
"""

V2 = """
import hmac
import os


def lambda_handler(event, context):
    route = event["routeKey"]
    if route == "PUT /profile":  # @route:put-profile
        claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
        if "profile:write" not in claims.get("scope", "").split():
            return {"statusCode": 403}
        save(claims["sub"], event["body"])
        return {"statusCode": 200}
    if route == "POST /webhook":  # @route:webhook
        given = event["headers"].get("x-api-key", "")
        if not hmac.compare_digest(given, os.environ["HOOK_KEY"]):
            return {"statusCode": 403}
        return {"statusCode": 202}
    if route == "POST /contact":  # @route:contact
        ses().send_email(Source="a@b.example", Destination={}, Message={})
        return {"statusCode": 202}
    return {"statusCode": 404}


def save(user, body):
    pass


def ses():
    import boto3

    return boto3.client("ses")
"""

MATCHER = """
def lambda_handler(event, context):
    match event["routeKey"]:
        case "POST /signup":  # @route:signup
            return create_user(event)
        case "GET /plans":  # @route:plans
            return {"statusCode": 200}
    return {"statusCode": 404}


def create_user(event):
    users().put_item(Item={"email": event["body"]})
    return {"statusCode": 201}


def users():
    import boto3

    return boto3.resource("dynamodb").Table("users")
"""

GUARDED = """
def lambda_handler(event, context):
    auth = event.get("headers", {}).get("Authorization")
    if auth != "Bearer " + expected():
        return {"statusCode": 401}
    if event["httpMethod"] == "POST" and event["path"] == "/admin/reset":  # @route:reset
        wipe()
        return {"statusCode": 200}
    return {"statusCode": 404}


def expected():
    return "x"


def wipe():
    pass
"""

GS_OPEN = """
// Enquiry form endpoint. A comment that mentions a token proves nothing.
function doPost(e) {
  var sheet = SpreadsheetApp.getActive().getSheetByName("Leads");
  sheet.appendRow([e.parameter.name, e.parameter.email]);
  return ContentService.createTextOutput("ok");
}
"""

GS_CLOSED = """
function checkToken(e) {
  var token = PropertiesService.getScriptProperties().getProperty("TOKEN");
  return e.parameter.token === token;
}

function doPost(e) {
  if (!checkToken(e)) {
    return ContentService.createTextOutput("forbidden");
  }
  SpreadsheetApp.getActive().getSheetByName("Orders").appendRow([e.parameter.item]);
  return ContentService.createTextOutput("ok");
}
"""

JS_OPEN = """
const doGet = (e) => {
  const url = "https://example.com/{token}/x"; // a string with braces } and a regex below
  const re = /[}{]+/g;
  return HtmlService.createHtmlOutput("<p>" + url.replace(re, "") + "</p>");
};
"""

MANIFEST = """{
  "timeZone": "Europe/London",
  "webapp": {
    "executeAs": "USER_DEPLOYING",
    "access": "ANYONE_ANONYMOUS"
  }
}
"""

CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpenCdn:  # @iac:cloudfront-no-waf
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - DomainName: !GetAtt Bucket.RegionalDomainName
            Id: s3
  GuardedCdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        WebACLId: !GetAtt Acl.Arn
  OpenUrl:  # @iac:lambda-url-auth-none
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !Ref Fn
  IamUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !Ref Fn
  OpenMethod:  # @iac:api-no-authorizer
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: POST
      AuthorizationType: NONE
      RestApiId: !Ref Api
  CognitoMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Authorizer
  Preflight:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: OPTIONS
      AuthorizationType: NONE
  OpenRoute:  # @iac:api-no-authorizer
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref HttpApi
      RouteKey: "POST /items"
  PublicBucket:  # @iac:s3-public-bucket
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  UnblockedBucket:  # @iac:s3-public-bucket
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
        BlockPublicPolicy: false
  OpenPolicy:  # @iac:s3-public-bucket
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref PrivateBucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${PrivateBucket.Arn}/*"
  PrivateBucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""

SAM = """Transform: AWS::Serverless-2016-10-31
Resources:
  UrlFunction:  # @iac:lambda-url-auth-none
    Type: AWS::Serverless::Function
    Properties:
      Handler: api.lambda_handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: NONE
  ApiFunction:  # @iac:api-no-authorizer
    Type: AWS::Serverless::Function
    Properties:
      Handler: api.lambda_handler
      Runtime: python3.12
      Events:
        Open:
          Type: Api
          Properties:
            Path: /open
            Method: post
        Closed:
          Type: Api
          Properties:
            Path: /closed
            Method: post
            Auth:
              Authorizer: MyCognito
"""

SERVERLESS = """service: shop
provider:
  name: aws
  runtime: python3.12
functions:
  hook:  # @iac:lambda-url-auth-none
    handler: handlers/v2.lambda_handler
    url: true
  orders:  # @iac:api-no-authorizer
    handler: handlers/api.lambda_handler
    events:
      - http:
          path: orders
          method: post
  secure:
    handler: handlers/api.lambda_handler
    url:
      authorizer: aws_iam
    events:
      - httpApi:
          path: /secure
          method: get
          authorizer:
            name: jwtAuth
"""

TF = """# CloudFront and friends
resource "aws_cloudfront_distribution" "open" {  # @iac:cloudfront-no-waf
  enabled = true
  origin {
    domain_name = "example.s3.amazonaws.com"
    origin_id   = "s3"
  }
  comment = "no { waf } here"
}

resource "aws_cloudfront_distribution" "guarded" {
  enabled    = true
  web_acl_id = aws_wafv2_web_acl.main.arn
}

resource "aws_lambda_function_url" "open" {  # @iac:lambda-url-auth-none
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "iam" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_api_gateway_method" "open" {  # @iac:api-no-authorizer
  rest_api_id   = aws_api_gateway_rest_api.api.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_s3_bucket_acl" "site" {  # @iac:s3-public-bucket
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}

resource "aws_s3_bucket_policy" "site" {  # @iac:s3-public-bucket
  bucket = aws_s3_bucket.site.id
  policy = <<EOF
{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}
EOF
}
"""


def _write(root: Path, relative: str, text: str | bytes) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return text if isinstance(text, str) else ""


def build_repo(base: Path) -> Repo:
    """Write the repository under ``base/repo`` (and a folder outside it); return the expectations."""
    root = base / "repo"
    repo = Repo(root)
    _write(root, ".gitignore", "ignored/\n*.log\n!keep.log\n")
    _write(root, "ignored/leak.py", f'KEY = "{IGNORED_SECRET}"\n')
    _write(root, "debug.log", f"aws_access_key_id = {AWS_KEY_ID}\n")
    keep = _write(root, "keep.log", f"first line\ngithub token {GITHUB_TOKEN}\n")
    repo.secrets.add(("github-token", "repo/keep.log", line_of(keep, "github token")))
    for vendored in ("node_modules/pkg/index.js", ".venv/lib/site.py", "dist/bundle.js"):
        _write(root, vendored, f'const key = "{VENDORED_SECRET}";\n')
    _write(root, "big.txt", "x" * 30_000 + f'\nkey = "{STRIPE_LIVE}"\n')
    _write(root, "logo.png", b"\x89PNG\r\n\x1a\n" + STRIPE_LIVE.encode())
    _write(root, "blob.dat", b"\x00\x01" + STRIPE_LIVE.encode())
    outside = base / "outside"
    _write(outside, "secret.py", f'KEY = "{OUTSIDE_SECRET}"\n')
    os.symlink(outside, root / "outside_link")
    os.symlink(outside / "secret.py", root / "outside_file.py")
    os.symlink(root, root / "loop")
    (root / "nested").mkdir()
    os.symlink("..", root / "nested" / "up")

    api = _write(root, "handlers/api.py", API)
    repo.secrets.add(("stripe-secret-key", "repo/handlers/api.py", line_of(api, "STRIPE_KEY =")))
    os.symlink(root / "handlers" / "api.py", root / "handlers" / "api_link.py")
    module = "handlers.api.lambda_handler"
    repo.routes[(module, "POST", "/orders")] = (
        "repo/handlers/api.py",
        line_of(api, "@route:post-orders"),
        False,
        True,
    )
    repo.routes[(module, "GET", "/orders")] = (
        "repo/handlers/api.py",
        line_of(api, "@route:get-orders"),
        True,
        False,
    )
    repo.routes[(module, "DELETE", "/orders/*")] = (
        "repo/handlers/api.py",
        line_of(api, "@route:delete-order"),
        True,
        True,
    )
    repo.routes[(module, None, "/health")] = (
        "repo/handlers/api.py",
        line_of(api, "@route:health"),
        False,
        False,
    )

    dispatch = _write(root, "handlers/dispatch.py", DISPATCH)
    module = "handlers.dispatch.handler"
    repo.routes[(module, "POST", "/refund")] = (
        "repo/handlers/dispatch.py",
        line_of(dispatch, "@route:refund"),
        False,
        True,
    )
    repo.routes[(module, "GET", "/status")] = (
        "repo/handlers/dispatch.py",
        line_of(dispatch, "@route:status"),
        False,
        False,
    )

    v2 = _write(root, "handlers/v2.py", V2)
    module = "handlers.v2.lambda_handler"
    repo.routes[(module, "PUT", "/profile")] = (
        "repo/handlers/v2.py",
        line_of(v2, "@route:put-profile"),
        True,
        True,
    )
    repo.routes[(module, "POST", "/webhook")] = (
        "repo/handlers/v2.py",
        line_of(v2, "@route:webhook"),
        True,
        True,
    )
    repo.routes[(module, "POST", "/contact")] = (
        "repo/handlers/v2.py",
        line_of(v2, "@route:contact"),
        False,
        True,
    )

    matcher = _write(root, "handlers/matcher.py", MATCHER)
    module = "handlers.matcher.lambda_handler"
    repo.routes[(module, "POST", "/signup")] = (
        "repo/handlers/matcher.py",
        line_of(matcher, "@route:signup"),
        False,
        True,
    )
    repo.routes[(module, "GET", "/plans")] = (
        "repo/handlers/matcher.py",
        line_of(matcher, "@route:plans"),
        False,
        False,
    )

    guarded = _write(root, "handlers/guarded.py", GUARDED)
    module = "handlers.guarded.lambda_handler"
    repo.routes[(module, "POST", "/admin/reset")] = (
        "repo/handlers/guarded.py",
        line_of(guarded, "@route:reset"),
        True,
        True,
    )

    settings = _write(root, "settings.py", f'ROLE_KEY = "{STRIPE_LIVE_2}"\n')
    repo.secrets.add(("stripe-restricted-key", "repo/settings.py", line_of(settings, "ROLE_KEY")))

    gs = _write(root, "gas/Code.gs", GS_OPEN)
    repo.web["gas/Code.gs:doPost"] = (line_of(gs, "function doPost"), False, True)
    secure = _write(root, "gas/Secure.gs", GS_CLOSED)
    repo.web["gas/Secure.gs:doPost"] = (line_of(secure, "function doPost"), True, True)
    js = _write(root, "web/app.js", JS_OPEN)
    repo.web["web/app.js:doGet"] = (line_of(js, "const doGet"), False, False)
    manifest = _write(root, "gas/appsscript.json", MANIFEST)
    repo.iac.add(
        ("apps-script-public-webapp", "repo/gas/appsscript.json", line_of(manifest, '"access"'))
    )

    for relative, text in (
        ("infra/template.yaml", CFN),
        ("handlers/sam.yaml", SAM),
        ("serverless.yml", SERVERLESS),
        ("infra/main.tf", TF),
    ):
        written = _write(root, relative, text)
        for number, line in enumerate(written.splitlines(), 1):
            if "@iac:" in line:
                repo.iac.add((line.split("@iac:")[1].split()[0], f"repo/{relative}", number))

    # decoys
    _write(root, "tests/test_keys.py", f'STRIPE = "{TEST_KEY}"\n')
    _write(
        root,
        "config.example.py",
        'STRIPE_SECRET_KEY = "your-api-key-here"\nAPI_TOKEN = "changeme"\nPASSWORD = "xxxxxxxx"\n',
    )
    _write(root, "fixtures/sample.json", f'{{"key": "{FIXTURE_SECRET}"}}\n')
    _write(root, "requirements.txt", "stripe==8.4.0\nboto3>=1.34  # aws\nPyJWT\n")
    _write(
        root,
        "package.json",
        '{\n  "dependencies": {\n    "express": "^4.19.0",\n    "twilio": "^4.0.0"\n  }\n}\n',
    )
    _write(
        root,
        "roles.py",
        'def allowed(user, flags):\n    if user.role == "admin" or user.role in ("owner", "staff"):\n        return flags["beta_checkout"] or FEATURE_FAST_QUOTES\n',
    )
    return repo
