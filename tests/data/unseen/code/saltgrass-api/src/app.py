"""Saltgrass booking API: availability, refunds and cancellations."""

import json
import os

import boto3
import stripe

TABLE = boto3.resource("dynamodb").Table(os.environ.get("TABLE", "bookings"))


def _authorised(event):
    token = (event.get("headers") or {}).get("authorization", "")
    return bool(token) and token == os.environ.get("ADMIN_TOKEN")


def handler(event, context):
    method = event["requestContext"]["http"]["method"]
    path = event.get("rawPath", "/")
    if method == "GET" and path == "/availability":
        return {"statusCode": 200, "body": json.dumps(TABLE.scan()["Items"])}
    if method == "POST" and path == "/refund":
        body = json.loads(event["body"])
        stripe.Refund.create(payment_intent=body["payment_intent"])
        return {"statusCode": 200, "body": "refunded"}
    if method == "DELETE" and path == "/booking":
        if not _authorised(event):
            return {"statusCode": 401}
        TABLE.delete_item(Key={"id": event["queryStringParameters"]["id"]})
        return {"statusCode": 204}
    return {"statusCode": 404}
