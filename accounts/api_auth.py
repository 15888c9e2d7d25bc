"""The API's token authentication and per-token throttling (errors: accounts.api_errors).

Not importing rest_framework.views here: DRF's settings import this module while that one
loads.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken
from accounts.token_hash import token_hash

KEYWORDS = (b"bearer", b"token")
# last_used_at is written at most this often per token: one write a minute, not one a request.
LAST_USED_EVERY = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` (or `Token <token>`) with a token from the profile."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Give the token after the word Bearer: 'Authorization: Bearer <token>'."
            )
        try:
            key = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("That token is not valid.") from error
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(key), user__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("That token is not valid or was revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on the profile page: "
            "`Authorization: Bearer <token>` (`Token <token>` works too).",
        }


class ApiRateThrottle(SimpleRateThrottle):
    """Requests per token (each token its own budget), or per user for a browser session.

    The rate is settings.API_THROTTLE_RATE ("600/min"); counters live in the "throttle"
    cache, shared by every worker and host.
    """

    scope = "api"

    def __init__(self):
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"throttle_{self.scope}_{ident}"
