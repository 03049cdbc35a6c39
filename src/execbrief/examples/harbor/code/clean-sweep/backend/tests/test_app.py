"""Unit tests run against Stripe's test mode: this key is a test key, not a secret."""

import app

STRIPE_TEST_KEY = "sk_test_51G2VMyfFgPk650pZUiiZ07kTRe7evpWcS"


def test_unknown_route_is_404():
    event = {"httpMethod": "GET", "path": "/nope", "rawPath": "/nope", "routeKey": "GET /nope",
              "requestContext": {"http": {"method": "GET"}}}
    assert app.lambda_handler(event, None)["statusCode"] == 404
