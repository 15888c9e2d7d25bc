"""Security switches: login throttling, CSP, admin access, production cookies."""

import json

import pytest
from django.urls import reverse

from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_login_is_throttled_after_repeated_failures(client, user, password, settings):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("login"), {"username": user.username, "password": "bad"})
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    locked = client.post(reverse("login"), {"username": user.username, "password": password})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_failure_count(client, user, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": user.username, "password": "bad"})
    assert (
        client.post(reverse("login"), {"username": user.username, "password": password}).status_code
        == 302
    )


def test_every_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_inline_scripts_carry_the_nonce(client):
    response = client.get(reverse("home"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    for tag in page.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert "src=" in head or f'nonce="{nonce}"' in head
    assert ' style="' not in page


def test_admin_is_for_staff_only(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_production_cookies_and_https_switches():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'secure': s.SESSION_COOKIE_SECURE, 'httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'samesite': s.SESSION_COOKIE_SAMESITE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS}))"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="mg.example.org",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "csrf_secure": True,
        "ssl": True,
        "hsts": 31536000,
    }


# Behind one reverse proxy on this host (DJANGO_PROXY_COUNT=1).
PROXY = "127.0.0.1"
ATTACKER = "81.2.69.160"
VICTIM = "89.160.20.112"


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def _log_in(client, username: str, password: str, forwarded_for: str, path: str = ""):
    return client.post(
        path or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_an_attackers_failures_do_not_lock_the_user_out_from_their_own_address(
    client, user, password, settings, behind_one_proxy
):
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        _log_in(client, user.username, "guess", ATTACKER)
    assert _log_in(client, user.username, password, ATTACKER).status_code == 429

    response = _log_in(client, user.username, password, VICTIM)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_admin_login_does_not_lock_the_user_out_either(
    client, password, settings, behind_one_proxy
):
    from accounts.tests.factories import UserFactory

    admin = UserFactory(password=password, is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        _log_in(client, admin.username, "guess", ATTACKER, path="/admin/login/")
    response = _log_in(client, admin.username, password, VICTIM, path="/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_spraying_a_few_guesses_at_many_usernames_from_one_address_gets_locked(
    client, user, password, settings, behind_one_proxy
):
    guesses_per_name = settings.AXES_FAILURE_LIMIT - 1
    names = settings.LOGIN_FAILURES_PER_ADDRESS // guesses_per_name + 1
    statuses = [
        _log_in(client, f"someone{n}", "guess", ATTACKER).status_code
        for n in range(names)
        for _ in range(guesses_per_name)
    ]
    assert statuses[settings.LOGIN_FAILURES_PER_ADDRESS - 2] == 200
    assert statuses[settings.LOGIN_FAILURES_PER_ADDRESS - 1] == 429
    # The right password for an account nobody guessed at is refused from there too...
    assert _log_in(client, user.username, password, ATTACKER).status_code == 429
    # ...and accepted from anywhere else.
    assert _log_in(client, user.username, password, VICTIM).status_code == 302


def test_an_address_written_before_the_proxys_entry_is_not_believed(
    client, user, password, settings, behind_one_proxy
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, user.username, "guess", f"10.9.8.{n}, {ATTACKER}")
    assert _log_in(client, user.username, password, f"{VICTIM}, {ATTACKER}").status_code == 429


def test_without_a_proxy_x_forwarded_for_is_ignored(client, user, password, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "guess"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.9.8.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR=VICTIM,
    )
    assert response.status_code == 429


def test_logging_in_to_ones_own_account_does_not_reset_the_address_count(
    client, user, password, settings, behind_one_proxy
):
    guesses_per_name = settings.AXES_FAILURE_LIMIT - 1
    statuses = []
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS // guesses_per_name + 1):
        for _ in range(guesses_per_name):
            statuses.append(_log_in(client, f"someone{n}", "guess", ATTACKER).status_code)
        if statuses[-1] != 429:
            assert _log_in(client, user.username, password, ATTACKER).status_code == 302
            client.logout()
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, 0), ({"DJANGO_PROXY_COUNT": "2"}, 2), ({"DJANGO_BEHIND_PROXY": "1"}, 1)],
)
def test_proxy_count_comes_from_the_environment(env, expected):
    code = "from django.conf import settings as s; print(s.PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        str(expected),
        "accounts.throttle.client_address",
    ]
