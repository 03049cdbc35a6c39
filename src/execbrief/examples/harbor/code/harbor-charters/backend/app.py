"""Booking API for Harbor Charters (API Gateway REST -> Lambda)."""

import json
import os

import boto3
import jwt
import stripe

stripe.api_key = "sk_live_51oWvAkawER6DQuHdFgPuzJqahIkpIiiKp"
TABLE = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "bookings"))
SES = boto3.client("ses")

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


def _json(status, body):
    return {"statusCode": status, "body": json.dumps(body)}


def lambda_handler(event, context):
    method = event["httpMethod"]
    path = event["path"]
    if method == "GET" and path == "/bookings":
        claims = _caller(event)
        if claims is None or claims.get("role") != "captain":
            return _json(401, {"error": "unauthorized"})
        return _json(200, TABLE.scan().get("Items", []))
    if method == "POST" and path == "/bookings":
        booking = json.loads(event.get("body") or "{}")
        stripe.Charge.create(amount=booking["deposit"], currency="usd", source=booking["card"])
        TABLE.put_item(Item=booking)
        SES.send_email(Source="bookings@harbor.example", Destination={"ToAddresses": [booking["email"]]},
                       Message={"Subject": {"Data": "Booked"}, "Body": {"Text": {"Data": "See you aboard"}}})
        return _json(201, {"ok": True})
    return _json(404, {"error": "not found"})
