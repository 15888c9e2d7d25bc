"""Sign-up is throttled per client address and per email address."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.throttle import SIGNUP_LIMIT

pytestmark = pytest.mark.django_db

CLIENT = "81.2.69.160"
OTHER_CLIENT = "89.160.20.112"
PASSWORD = "Magnesium-420-mg!"


def _sign_up(client, username: str, email: str, address: str = CLIENT):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("accounts:signup"), data, REMOTE_ADDR=address)
    client.logout()
    return response


def test_one_client_may_make_a_few_accounts_an_hour(client):
    statuses = [
        _sign_up(client, f"maria{n}", f"maria{n}@example.com").status_code
        for n in range(SIGNUP_LIMIT.per_address)
    ]
    refused = _sign_up(client, "late", "late@example.com")
    assert statuses == [302] * SIGNUP_LIMIT.per_address
    assert refused.status_code == 429
    assert "Too many sign-up attempts" in refused.content.decode()
    assert not User.objects.filter(username="late").exists()
    assert _sign_up(client, "late", "late@example.com", address=OTHER_CLIENT).status_code == 302


def test_one_email_address_is_tried_a_few_times_an_hour_whoever_tries(client, user):
    # Each attempt learns whether the address is registered; a list of them gets nowhere.
    for n in range(SIGNUP_LIMIT.per_email):
        response = _sign_up(client, f"probe{n}", user.email, address=f"81.2.69.{n}")
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
    refused = _sign_up(client, "probe", user.email.upper(), address=OTHER_CLIENT)
    assert refused.status_code == 429
    assert "already exists" not in refused.content.decode()
