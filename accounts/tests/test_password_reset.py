"""Password reset: links from SITE_URL, mail sent by a task, throttled per client and email."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.throttle import PASSWORD_RESET_LIMIT
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db

CLIENT = "81.2.69.160"
OTHER_CLIENT = "89.160.20.112"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ask(client, email: str, address: str = CLIENT, **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, **extra)


# Committed for real: the worker closes database connections, a test transaction's too.
# Serialized like every transactional test here: the flush then keeps migrations' rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reset_mail_is_queued_not_sent_in_the_request(client, user, database_queue):
    response = _ask(client, user.email)
    assert response.status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "accounts.tasks.send_mail"
    assert queued.args_kwargs["kwargs"]["to"] == user.email

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_the_reset_mail_is_sent_only_once_the_request_commits(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _ask(client, user.email)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert "Reset your Magnesium planner password" in mail.outbox[0].subject


def test_the_link_comes_from_the_site_url_not_the_host_header(
    client, user, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mg.example.org"
    settings.ALLOWED_HOSTS = ["mg.example.org", "localhost"]
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, user.email, HTTP_HOST="localhost:6666")
    body = mail.outbox[0].body
    assert "https://mg.example.org/accounts/reset/" in body
    assert "localhost" not in body
    assert "6666" not in body


def test_an_unknown_email_gets_the_same_answer_and_no_mail(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, user.email)
        unknown = _ask(client, "nobody@example.com", address=OTHER_CLIENT)
    assert (
        (known.status_code, known.url)
        == (unknown.status_code, unknown.url)
        == (
            302,
            reverse("password_reset_done"),
        )
    )
    assert [message.to for message in mail.outbox] == [[user.email]]


@pytest.fixture
def database_cache(settings):
    """The throttle's counters in the database, as configured outside tests."""
    from mealplan import settings as project_settings

    settings.CACHES = project_settings.CACHES
    assert isinstance(caches["throttle"], DatabaseCache)


def test_one_client_may_ask_a_few_times_an_hour(
    client, user, database_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            _ask(client, f"someone{n}@example.com").status_code
            for n in range(PASSWORD_RESET_LIMIT.per_address)
        ]
        refused = _ask(client, user.email)
    assert statuses == [302] * PASSWORD_RESET_LIMIT.per_address
    assert refused.status_code == 429
    assert "Too many password-reset requests" in refused.content.decode()
    assert mail.outbox == []
    assert _ask(client, user.email, address=OTHER_CLIENT).status_code == 302


def test_one_email_address_gets_a_few_mails_an_hour_whoever_asks(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(PASSWORD_RESET_LIMIT.per_email):
            assert _ask(client, user.email, address=f"81.2.69.{n}").status_code == 302
        refused = _ask(client, user.email.upper(), address=OTHER_CLIENT)
    assert refused.status_code == 429
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT.per_email


def test_the_unknown_email_is_throttled_alike(client):
    for _ in range(PASSWORD_RESET_LIMIT.per_email):
        _ask(client, "nobody@example.com")
    assert _ask(client, "nobody@example.com", address=OTHER_CLIENT).status_code == 429


def test_behind_a_proxy_each_client_is_counted_apart(client, settings):
    settings.PROXY_COUNT = 1
    for n in range(PASSWORD_RESET_LIMIT.per_address):
        _ask(client, f"someone{n}@example.com", address="127.0.0.1", HTTP_X_FORWARDED_FOR=CLIENT)
    response = _ask(
        client, "else@example.com", address="127.0.0.1", HTTP_X_FORWARDED_FOR=OTHER_CLIENT
    )
    assert response.status_code == 302


@pytest.mark.parametrize("site_url", ["mg.example.org", "https://mg.example.org/app", "ftp://x"])
def test_a_site_url_without_scheme_and_host_alone_is_refused(site_url):
    result = run_manage("check", DJANGO_SITE_URL=site_url)
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be a scheme and a host" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "mg.example.org,www.example.org"},
         "https://mg.example.org"),
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "mg.example.org",
          "DJANGO_SITE_URL": "https://plan.example.org/"}, "https://plan.example.org"),
    ],
)  # fmt: skip
def test_the_site_url_defaults_to_the_first_allowed_host_in_production(env, expected):
    env.setdefault("DJANGO_SECRET_KEY", "k" * 60)
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
