"""Sign-up normalises usernames (NFKC) and refuses look-alikes of taken ones."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.usernames import username_skeleton

PASSWORD = "Magnesium-420-mg!"


def _sign_up(client, username: str):
    data = {
        "username": username,
        "email": f"new{abs(hash(username))}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("accounts:signup"), data)


@pytest.mark.parametrize(
    ("taken", "lookalike"),
    [
        ("alice", "\u0430lice"),  # Cyrillic а
        ("ALICE", "\u0430lice"),
        ("bill", "biII"),  # capital I for l
        ("bill", "bi11"),
        ("maria", "rnaria"),  # r n for m
        ("paypal", "p\u0430yp\u0430l"),
        ("bob0", "bobO"),
    ],
)
@pytest.mark.django_db
def test_a_lookalike_of_a_taken_username_is_refused(client, taken, lookalike):
    UserFactory(username=taken)
    response = _sign_up(client, lookalike)
    assert response.status_code == 200
    assert "looks too much like one already taken" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_fullwidth_username_is_stored_normalised(client):
    response = _sign_up(client, "\uff4a\uff4f\uff48\uff4e")  # ｊｏｈｎ
    assert response.status_code == 302
    assert User.objects.get().username == "john"


@pytest.mark.django_db
def test_different_names_are_welcome(client):
    UserFactory(username="alice")
    assert _sign_up(client, "alicia").status_code == 302
    assert _sign_up(client, "malice").status_code == 302


@pytest.mark.django_db
def test_every_saved_user_keeps_the_skeleton_of_their_name():
    user = UserFactory(username="Bill")
    user.username = "Wil"
    user.save(update_fields=["username"])
    user.refresh_from_db()
    assert user.username_skeleton == username_skeleton("Wil")


def test_skeletons_are_equal_for_lookalikes_only():
    assert username_skeleton("\u0430lice") == username_skeleton("alice")
    assert username_skeleton("alice") != username_skeleton("alicia")
