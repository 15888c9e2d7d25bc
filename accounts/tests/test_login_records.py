"""Login records (django-axes) go with the account, and old ones are pruned."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _leave_records(client, username: str, password: str) -> None:
    """Fail once, log in (then out): an attempt, a failure log and an access log."""
    client.post(reverse("login"), {"username": username, "password": "wrong"})
    client.post(reverse("login"), {"username": username, "password": "wrong"})
    client.post(reverse("login"), {"username": username, "password": password})
    client.logout()


@pytest.fixture(autouse=True)
def _failure_log(settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    settings.AXES_RESET_ON_SUCCESS = False


def _records(username: str) -> list[int]:
    return [
        model.objects.filter(username=username).count()
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    ]


def test_deleting_the_account_deletes_its_login_records(client, user, other_user, password):
    _leave_records(client, user.username, password)
    _leave_records(client, other_user.username, password)
    assert _records(user.username) == [1, 1, 2]

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("accounts:delete_account"), {"password": password})
    assert response.status_code == 302
    assert _records(user.username) == [0, 0, 0]
    assert _records(other_user.username) == [1, 1, 2]


def test_a_refused_deletion_keeps_the_records(client, user, password):
    _leave_records(client, user.username, password)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    before = _records(user.username)
    response = client.post(reverse("accounts:delete_account"), {"password": "not it"})
    assert response.status_code == 200
    assert _records(user.username) == before


def test_prune_login_records_deletes_only_the_old_ones(client, user, other_user, password):
    _leave_records(client, user.username, password)
    _leave_records(client, other_user.username, password)
    long_ago = timezone.now() - timedelta(days=31)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=user.username).update(attempt_time=long_ago)

    call_command("prune_login_records", "--days", "30", verbosity=0)
    assert _records(user.username) == [0, 0, 0]
    assert _records(other_user.username) == [1, 1, 2]


def test_prune_login_records_refuses_zero_days():
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("prune_login_records", "--days", "0")
