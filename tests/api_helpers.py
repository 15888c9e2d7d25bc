"""Shared helpers for the API tests: a token client and a small catalog."""

from __future__ import annotations

import json

from rest_framework.test import APIClient

from accounts.token_services import token_create


def token_client(user, name: str = "tests") -> tuple[APIClient, str]:
    """Return an APIClient that sends a fresh token of user's, and the token's key."""
    key = token_create(user=user, name=name).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client, key


def post_json(client, url: str, data, method: str = "post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")
