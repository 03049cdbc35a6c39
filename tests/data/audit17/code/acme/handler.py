import json
def lambda_handler(event, context):
    if event["httpMethod"] == "POST":
        return {"statusCode": 200, "body": json.dumps({"ok": True})}
    return {"statusCode": 405}
