"""Sunset Sail Co. booking API (HTTP API payload v2, routeKey dispatch)."""

import json
import os

import boto3
import jwt
import stripe

STRIPE_SECRET = "sk_live_51xbxxeuEkbGDEBl7OqsPDKnPX3rQ30bnk"
TABLE = boto3.resource("dynamodb").Table("sunset-bookings")
FEATURE_GIFT_CARDS = os.environ.get("FEATURE_GIFT_CARDS") == "1"

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


def list_trips(event):
    claims = _caller(event)
    if claims is None:
        return {"statusCode": 401}
    return {"statusCode": 200, "body": json.dumps(TABLE.scan()["Items"])}


def create_booking(event):
    stripe.api_key = STRIPE_SECRET
    booking = json.loads(event["body"])
    stripe.PaymentIntent.create(amount=booking["amount"], currency="usd")
    TABLE.put_item(Item=booking)
    return {"statusCode": 201}


def cancel_booking(event):
    TABLE.delete_item(Key={"id": event["pathParameters"]["id"]})
    return {"statusCode": 204}


ROUTES = {
    "GET /trips": list_trips,
    "POST /bookings": create_booking,
    "DELETE /bookings/{id}": cancel_booking,
}


def handler(event, context):
    route = ROUTES.get(event["routeKey"])
    if route is None:
        return {"statusCode": 404}
    return route(event)
