"""Tidewater Labs client portal API."""

import json
import os

import boto3
import jwt
import stripe

STRIPE_KEY = "sk_live_51beZIs5Q1MLu6etkJ0GJRc9Qd52gtrkaB"
INVOICES = boto3.resource("dynamodb").Table("invoices")

def _caller(event):
    """The verified caller's claims, or None."""
    header = (event.get("headers") or {}).get("Authorization", "")
    token = header.removeprefix("Bearer ").strip()
    if not token:
        return None
    try:
        return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None


def lambda_handler(event, context):
    method = event.get("httpMethod")
    path = event.get("path", "/")
    if method == "GET" and path == "/invoices":
        claims = event["requestContext"]["authorizer"]["claims"]
        if claims.get("custom:role") not in ("client", "admin"):
            return {"statusCode": 403}
        return {"statusCode": 200, "body": json.dumps(INVOICES.scan()["Items"])}
    elif method in ("PUT", "PATCH") and path == "/timesheets":
        entry = json.loads(event["body"])
        INVOICES.update_item(Key={"id": entry["id"]}, UpdateExpression="SET hours = :h",
                             ExpressionAttributeValues={":h": entry["hours"]})
        return {"statusCode": 200}
    elif method == "POST" and path == "/pay":
        stripe.api_key = STRIPE_KEY
        stripe.Charge.create(amount=int(json.loads(event["body"])["amount"]), currency="usd")
        return {"statusCode": 200}
    return {"statusCode": 404}
