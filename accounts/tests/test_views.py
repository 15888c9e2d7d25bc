import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "maria",
    "email": "maria@example.com",
    "password1": "Spinach-and-seeds-42",
    "password2": "Spinach-and-seeds-42",
}


def years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - timedelta(days=days)).isoformat()


def profile_data(**overrides):
    data = {
        "birth_date": years_ago(35),
        "sex": "female",
        "life_stage": "none",
        "diet": "vegan",
        "activity": "sedentary",
        "breakfast_at": "08:00",
        "lunch_at": "12:30",
        "dinner_at": "19:00",
        "snack_at": "16:00",
        "time_zone": "UTC",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_home_page_explains_the_app(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "insulin" in text
    assert "not medical advice" in text
    assert reverse("accounts:signup") in text
    assert reverse("login") in text


def test_signup_creates_user_and_profile_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get(username="maria")
    assert Profile.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "something-else-42"}, "didn’t match"),
        ({"password1": "12345678", "password2": "12345678"}, "too common"),
        ({"email": "not-an-email"}, "valid email"),
        ({"email": ""}, "required"),
        ({"username": ""}, "required"),
    ],
)
def test_signup_rejects_bad_input(client, change, message):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_signup_rejects_duplicate_username_and_email(client, user):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "username": user.username.upper()}
    )
    assert "already exists" in response.content.decode()
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": user.email.upper()})
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_login_and_logout(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_with_wrong_password_says_so(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_change(user_client, user, password):
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Pumpkin-seeds-on-toast-7",
            "new_password2": "Pumpkin-seeds-on-toast-7",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Pumpkin-seeds-on-toast-7")


def test_password_reset_by_email_works_once(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued on commit
        response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # the token moves into the session
    new = {"new_password1": "Chard-and-lentils-99", "new_password2": "Chard-and-lentils-99"}
    assert client.post(form_url, new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Chard-and-lentils-99")
    # The same link again is refused.
    again = client.get(link, follow=True)
    assert "no longer valid" in again.content.decode()


def test_password_reset_for_unknown_email_sends_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert mail.outbox == []


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_profile_shows_target_from_nih_table(user_client, user):
    response = user_client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert "320 mg magnesium" in page
    assert "NIH" in page
    assert "1800" in page and "2200" in page
    assert "350 mg a day" in page
    user.profile.refresh_from_db()
    assert user.profile.diet == "vegan"


def test_profile_window_from_mifflin_st_jeor(user_client, user):
    user_client.post(
        reverse("accounts:profile"),
        profile_data(weight_kg="70", height_cm="175", activity="moderate", sex="male"),
    )
    window = Profile.objects.get(user=user).calorie_window
    assert "Mifflin" in window.basis
    assert window.kcal_min < window.kcal_max


def test_pregnancy_target(user_client, user):
    user_client.post(reverse("accounts:profile"), profile_data(life_stage="pregnant"))
    assert Profile.objects.get(user=user).magnesium_target_mg == 360


def test_override_with_professional_agreement(user_client, user):
    user_client.post(
        reverse("accounts:profile"),
        profile_data(magnesium_target_override_mg="500", override_agreed_with_professional="on"),
    )
    profile = Profile.objects.get(user=user)
    assert profile.magnesium_target_mg == 500
    assert "health professional" in profile.magnesium_target_basis


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"birth_date": (date.today() + timedelta(days=3)).isoformat()}, "future"),
        ({"birth_date": years_ago(13, days=-30)}, "14 and over"),
        ({"birth_date": years_ago(121)}, "over 120"),
        ({"birth_date": "yesterday"}, "valid date"),
        ({"sex": "male", "life_stage": "pregnant"}, "only with sex female"),
        ({"sex": "male", "life_stage": "lactating"}, "only with sex female"),
        ({"kcal_min": "2500", "kcal_max": "2000"}, "must not be below"),
        ({"kcal_min": "800", "kcal_max": "2000"}, "between 1000 and 5000"),
        ({"kcal_min": "2000", "kcal_max": "6000"}, "between 1000 and 5000"),
        ({"kcal_min": "2000"}, "both ends"),
        ({"magnesium_target_override_mg": "50", "override_agreed_with_professional": "on"},
         "greater than or equal to 100"),
        ({"magnesium_target_override_mg": "1001", "override_agreed_with_professional": "on"},
         "less than or equal to 1000"),
        ({"magnesium_target_override_mg": "500"}, "health professional"),
        ({"magnesium_target_override_mg": "abc"}, "whole number"),
        ({"sex": ""}, "required"),
        ({"diet": "carnivore"}, "valid choice"),
        ({"avoid_allergens": ["gluten-ish"]}, "valid choice"),
    ],
)  # fmt: skip
def test_profile_rejects_bad_input_and_saves_nothing(user_client, user, change, message):
    before = Profile.objects.get_or_create(user=user)[0]
    before_values = (before.birth_date, before.sex, before.diet, before.kcal_min)
    response = user_client.post(reverse("accounts:profile"), profile_data(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    after = Profile.objects.get(user=user)
    assert (after.birth_date, after.sex, after.diet, after.kcal_min) == before_values


def test_one_user_cannot_change_another_users_profile(client, user, other_user):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:profile"), profile_data(diet="vegetarian"))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert other_user.username in page
    assert user.username not in page
    assert Profile.objects.get(user=other_user).diet == "vegetarian"
    assert not Profile.objects.filter(user=user, diet="vegetarian").exists()


def test_profile_is_post_or_get_only(user_client):
    assert user_client.delete(reverse("accounts:profile")).status_code == 405
