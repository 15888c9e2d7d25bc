"""Throttles: failed logins (an axes handler), and password-reset mail and sign-up."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import caches
from django.db.models import Sum
from django.http import HttpRequest
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address: REMOTE_ADDR, or the one the outermost proxy saw.

    Each of settings.PROXY_COUNT proxies appends the address it was called from to
    X-Forwarded-For, so the client is that many entries from the right; anything a client
    writes further left is ignored.
    """
    if settings.PROXY_COUNT:
        # ipware counts the proxies after the client's own entry; not strict, so a longer,
        # forged chain still yields the entry the outermost proxy wrote.
        address, _ = get_client_ip(
            request,
            proxy_count=settings.PROXY_COUNT - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None


class LoginThrottleHandler(AxesDatabaseHandler):
    """Lock a (username, address) pair after a few failures, a whole address after more.

    Axes compares one count with one limit; this reports the pair's count, or the limit
    itself once the address's failures over every username reach
    LOGIN_FAILURES_PER_ADDRESS, so spraying a few guesses at many names locks too.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: the address's, then the pair's.
        by_address, by_pair = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(by_pair, get_failure_limit(request, credentials))
        return by_pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Forget this username's failures from this address; the address keeps the rest.

        Axes would delete every attempt from the address, so an attacker with an account of
        their own could log in to it between guesses and never reach the address limit.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


@dataclass(frozen=True)
class RateLimit:
    """How many requests one address and one email address may make per window."""

    action: str
    per_address: int
    per_email: int
    window_s: int


# Enough for a person who mistypes, too few for a mail bomb or a list of addresses to try.
PASSWORD_RESET_LIMIT = RateLimit("password-reset", per_address=5, per_email=3, window_s=3600)
SIGNUP_LIMIT = RateLimit("signup", per_address=10, per_email=5, window_s=3600)


def _count(limit: RateLimit, kind: str, value: str) -> int:
    """Add one to this value's counter in the current fixed window and return it."""
    window = int(time.time() // limit.window_s)
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"{limit.action}:{kind}:{digest}:{window}"
    cache = caches["throttle"]
    cache.add(key, 0, timeout=limit.window_s)
    # Not atomic on the database cache: two requests at the same instant may both count
    # as one, which a throttle can live with.
    return cache.incr(key)


def over_limit(limit: RateLimit, *, address: str | None, email: str) -> bool:
    """Count a request from this address for this email; say whether either is over."""
    by_address = _count(limit, "address", address or "unknown")
    by_email = _count(limit, "email", email.strip().casefold())
    return by_address > limit.per_address or by_email > limit.per_email
