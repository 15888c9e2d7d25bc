"""Profile rules a new user tripped over: half a body measure, a window too narrow to plan."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from accounts.targets import KCAL_WINDOW_MIN_WIDTH
from accounts.tests.factories import ProfileFactory
from accounts.tests.test_views import profile_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(user):
    return ProfileFactory(user=user, weight_kg=None, height_cm=None)


@pytest.mark.parametrize(
    ("given", "missing", "message"),
    [
        ({"weight_kg": "70"}, "height_cm", "Give your height too"),
        ({"height_cm": "175"}, "weight_kg", "Give your weight too"),
    ],
)
def test_weight_and_height_come_together(user_client, profile, given, missing, message):
    response = user_client.post(reverse("accounts:profile"), profile_data(**given))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[missing])
    assert message in response.content.decode()
    profile.refresh_from_db()
    assert (profile.weight_kg, profile.height_cm) == (None, None)


def test_weight_and_height_together_are_saved(user_client, profile):
    data = profile_data(weight_kg="70", height_cm="175")
    assert user_client.post(reverse("accounts:profile"), data).status_code == 302
    profile.refresh_from_db()
    assert (profile.weight_kg, profile.height_cm) == (70, 175)


def test_an_invalid_weight_gets_only_its_own_error(user_client, profile):
    data = profile_data(weight_kg="abc", height_cm="175")
    form = user_client.post(reverse("accounts:profile"), data).context["form"]
    assert "weight_kg" in form.errors and "height_cm" not in form.errors


@pytest.mark.parametrize("width", [0, 50, KCAL_WINDOW_MIN_WIDTH - 10])
def test_an_own_window_narrower_than_the_minimum_is_refused(user_client, profile, width):
    data = profile_data(kcal_min="1500", kcal_max=str(1500 + width))
    response = user_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert f"Leave at least {KCAL_WINDOW_MIN_WIDTH} kcal" in response.content.decode()
    assert Profile.objects.get(pk=profile.pk).kcal_min is None


def test_an_own_window_of_the_minimum_width_is_saved(user_client, profile):
    data = profile_data(kcal_min="1500", kcal_max=str(1500 + KCAL_WINDOW_MIN_WIDTH))
    assert user_client.post(reverse("accounts:profile"), data).status_code == 302


def test_the_profile_page_says_when_the_estimate_was_widened(user_client, profile):
    data = profile_data(weight_kg="40", height_cm="145", birth_date="1936-01-01", sex="female")
    assert user_client.post(reverse("accounts:profile"), data).status_code == 302
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert f"1000&ndash;{1000 + KCAL_WINDOW_MIN_WIDTH} kcal" in page
    assert f"widened to {KCAL_WINDOW_MIN_WIDTH} kcal" in page


def test_the_weekly_auto_plan_is_set_on_the_profile(user_client, profile):
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert "Plan my next week for me" in page
    data = profile_data(autoplan_enabled="on", autoplan_weekday="4", autoplan_time="07:30")
    assert user_client.post(reverse("accounts:profile"), data).status_code == 302
    profile.refresh_from_db()
    assert (profile.autoplan_enabled, profile.autoplan_weekday, str(profile.autoplan_time)) == (
        True,
        4,
        "07:30:00",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("autoplan_weekday", "7"), ("autoplan_weekday", "-1"), ("autoplan_weekday", "x"),
     ("autoplan_time", "25:00"), ("autoplan_time", "x" * 10_000)],
)  # fmt: skip
def test_a_bad_auto_plan_time_is_refused_and_nothing_saved(user_client, profile, field, value):
    data = profile_data(autoplan_enabled="on", **{field: value})
    response = user_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    profile.refresh_from_db()
    assert profile.autoplan_enabled is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"birth_date": ""}, "date of birth and sex"), ({"sex": ""}, "date of birth and sex")],
)
def test_auto_plan_needs_a_complete_profile(user_client, profile, overrides, message):
    data = profile_data(autoplan_enabled="on", **overrides)
    response = user_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["autoplan_enabled"])
    profile.refresh_from_db()
    assert profile.autoplan_enabled is False


def test_auto_plan_needs_an_email_address(user_client, user, profile):
    user.email = ""
    user.save()
    response = user_client.post(reverse("accounts:profile"), profile_data(autoplan_enabled="on"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["autoplan_enabled"])
    assert "email address" in errors
    assert "email address" in response.content.decode()
    profile.refresh_from_db()
    assert profile.autoplan_enabled is False
    # Without the auto-plan, the profile saves as before.
    assert user_client.post(reverse("accounts:profile"), profile_data()).status_code == 302
