"""Writes for accounts: deleting an account with every trace of it, pruning login records."""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts.models import User

# What django-axes keeps per login: username, address, browser, path and time.
LOGIN_RECORD_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the user, everything they own (by cascade) and their login records."""
    for model in LOGIN_RECORD_MODELS:
        model.objects.filter(username=user.get_username()).delete()
    user.delete()


@transaction.atomic
def login_records_prune(*, before: datetime) -> int:
    """Delete every login record made before `before`; return how many went."""
    return sum(
        model.objects.filter(attempt_time__lt=before).delete()[1].get(model._meta.label, 0)
        for model in LOGIN_RECORD_MODELS
    )
