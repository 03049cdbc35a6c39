"""Python Lambdas that dispatch on an ``action`` field of the request body are judged per branch
(issue 15, item 4): each action is its own endpoint, guarded only when that branch, or a check
before the dispatch, verifies the caller."""

from __future__ import annotations

from pathlib import Path

from execbrief.records.code import Endpoint
from execbrief.sources.code import CodeOptions, CodeSource
from execbrief.sources.codeaudit.lambdas import analyse_lambda_module
from kits.files import request, write

# The shape of a hand-rolled Lambda proxy-integration router (event["body"] is the JSON string
# API Gateway passes, https://docs.aws.amazon.com/apigateway/latest/developerguide/
# set-up-lambda-proxy-integrations.html): one POST endpoint, many actions.
ROUTER = """import hmac
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def respond(status, body):
    return {"statusCode": status, "body": json.dumps(body)}


def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{}")
    action = body.get("action")
    if action == "list":
        return respond(200, table.scan()["Items"])
    elif action == "delete":
        table.delete_item(Key={"id": body["id"]})
        return respond(204, {})
    elif action == "admin":
        token = event["headers"].get("authorization", "")
        if not hmac.compare_digest(token, os.environ["ADMIN_TOKEN"]):
            return respond(403, {"error": "forbidden"})
        table.put_item(Item=body["item"])
        return respond(200, {"ok": True})
    elif body.get("op") == "rotate" and body.get("token") == os.environ["ROTATE_TOKEN"]:
        table.update_item(Key={"id": "config"})
        return respond(200, {})
    return respond(400, {"error": "unknown action"})
"""

GUARDED_FIRST = """import json
import os

import jwt


def handler(event, context):
    claims = jwt.decode(event["headers"]["authorization"], os.environ["KEY"], algorithms=["HS256"])
    body = json.loads(event["body"])
    if body["action"] == "delete":
        delete(body["id"])
    elif body["action"] == "export":
        return export()
"""


def routes(source: str) -> dict[str | None, tuple[bool, bool, str | None]]:
    found = analyse_lambda_module(source, "api.py", "api", set())
    return {r.action: (r.authenticated, r.mutating, r.auth_evidence) for r in found}


def test_each_action_is_its_own_endpoint_judged_on_its_own_branch() -> None:
    found = routes(ROUTER)
    assert set(found) == {"list", "delete", "admin", "rotate"}
    assert found["list"][:2] == (False, False)
    assert found["delete"][:2] == (False, True)  # the unguarded write the old audit hid
    authenticated, mutating, evidence = found["admin"]
    assert authenticated and mutating
    assert evidence == "compares a key (hmac.compare_digest) at api.py:24"
    authenticated, mutating, evidence = found["rotate"]
    assert authenticated and mutating
    assert evidence == "compares the token field of the request body at api.py:28"


def test_a_check_before_the_dispatch_guards_every_action() -> None:
    found = routes(GUARDED_FIRST)
    assert set(found) == {"delete", "export"}
    assert all(authenticated for authenticated, _, _ in found.values())
    assert found["delete"][2] == found["export"][2]
    assert "verifies a JWT (jwt.decode)" in (found["delete"][2] or "")


def test_the_code_source_names_the_action_in_the_route(tmp_path: Path) -> None:
    write(tmp_path, "code/api.py", ROUTER)
    result = CodeSource().collect(request(tmp_path, "code", CodeOptions(), kind="code"))
    endpoints = {r.route: r for r in result.records if isinstance(r, Endpoint)}
    assert set(endpoints) == {"action=list", "action=delete", "action=admin", "action=rotate"}
    assert not endpoints["action=delete"].authenticated and endpoints["action=delete"].mutating
    assert endpoints["action=delete"].provenance.line == 19
    assert endpoints["action=admin"].authenticated
