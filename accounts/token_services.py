"""API tokens: made on the profile page, shown once, stored as a sha256 hash, revoked there."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import ApiToken, User
from accounts.token_hash import token_hash

MAX_NAME_CHARS = 80
MAX_TOKENS_PER_USER = 20
KEY_PREFIX = "mp_"


class TokenError(ValueError):
    """A token that cannot be made; the message says why, and nothing was written."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the only time the key exists in clear: shown once, never stored


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_check_name(user: User, name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("Give the token a name, such as the app or device that will use it.")
    if len(name) > MAX_NAME_CHARS:
        raise TokenError(f"Keep the name to {MAX_NAME_CHARS} characters.")
    if tokens_for(user).filter(name__iexact=name).exists():
        raise TokenError(f"You already have a token called {name}.")
    if tokens_for(user).count() >= MAX_TOKENS_PER_USER:
        raise TokenError(f"You have {MAX_TOKENS_PER_USER} tokens; revoke one first.")
    return name


@transaction.atomic
def token_create(*, user: User, name: str) -> NewToken:
    """Make a named token for user; return it with its key, which is never stored."""
    name = token_check_name(user, name)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user, name=name, key_hash=token_hash(key), prefix=key[:10]
            )
    except IntegrityError as error:  # the same name from a second tab
        raise TokenError(f"You already have a token called {name}.") from error
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of user's tokens; False when it is not theirs (or gone already)."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
