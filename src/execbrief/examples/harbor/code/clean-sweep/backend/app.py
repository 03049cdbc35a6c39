"""Clean Sweep Hauling quote intake (Lambda function URL, payload v2)."""

import hmac
import json
import os

import boto3
import jwt
import stripe

stripe.api_key = "sk_live_51Sln4oiSjgWG2VMyfFgPk650pZUiiZ07k"
QUOTES = boto3.resource("dynamodb").Table("quotes")
SQS = boto3.client("sqs")

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
    method = event["requestContext"]["http"]["method"]
    path = event["rawPath"]
    if path == "/quotes":
        if method == "POST":
            quote = json.loads(event["body"])
            QUOTES.put_item(Item=quote)
            SQS.send_message(QueueUrl=os.environ["QUEUE"], MessageBody=json.dumps(quote))
            return {"statusCode": 201}
        if method == "GET":
            supplied = (event.get("headers") or {}).get("x-api-key", "")
            if not hmac.compare_digest(supplied, os.environ["DISPATCH_KEY"]):
                return {"statusCode": 403}
            return {"statusCode": 200, "body": json.dumps(QUOTES.scan()["Items"])}
    return {"statusCode": 404}
