"""Writes for accounts: deleting an account with every trace of it, pruning login records."""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts.household_services import household_hand_over
from accounts.models import Household, Member, User

# What django-axes keeps per login: username, address, browser, path and time.
LOGIN_RECORD_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


@transaction.atomic
def user_delete(*, user: User, heir: Member | None = None) -> None:
    """Delete the user, everything they own (by cascade) and their login records.

    A household the user owns goes to `heir` (another adult registered member, who then owns
    its dependents and weeks) when one is given; else it is deleted with its dependents."""
    owned = Household.objects.filter(owner=user).first()
    if owned is not None and heir is not None:
        household_hand_over(household=owned, by=user, heir=heir)
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
