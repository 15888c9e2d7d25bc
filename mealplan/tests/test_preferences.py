import pytest
from django.test import Client
from django.urls import reverse

from mealplan.models import MealPreference, PlanEntry

pytestmark = pytest.mark.django_db


def preference_url(meal):
    return reverse("mealplan:meal_preference", args=[meal.pk])


def test_dislike_from_the_week_and_never_see_it_again(user_client, user, planned_week, week_start):
    entry = PlanEntry.objects.filter(slot="breakfast").first()
    response = user_client.post(
        preference_url(entry.meal), {"verdict": "dislike", "week": week_start.isoformat()}
    )
    assert response.url == reverse("mealplan:week_detail", args=[week_start])
    assert MealPreference.objects.get(user=user, meal=entry.meal).verdict == -1
    user_client.post(reverse("mealplan:regenerate", args=[week_start]), {"include_past": "on"})
    assert not PlanEntry.objects.filter(meal=entry.meal).exists()


def test_preferences_page_lists_and_forgets(user_client, user, profile, catalog):
    liked, disliked = catalog["lunch"][0], catalog["dinner"][0]
    user_client.post(preference_url(liked), {"verdict": "like"})
    user_client.post(preference_url(disliked), {"verdict": "dislike"})
    page = user_client.get(reverse("mealplan:meal_preferences")).content.decode()
    assert page.index(liked.name) < page.index(disliked.name)
    user_client.post(preference_url(disliked), {"verdict": "forget"})
    assert list(MealPreference.objects.values_list("meal", "verdict")) == [(liked.pk, 1)]


@pytest.mark.parametrize("verdict", ["", "love", "1", "x" * 10_000])
def test_bad_verdict_changes_nothing(user_client, profile, catalog, verdict):
    response = user_client.post(
        preference_url(catalog["lunch"][0]), {"verdict": verdict}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert not MealPreference.objects.exists()


def test_preferences_are_post_only_and_own(user_client, other_user, catalog):
    meal = catalog["lunch"][0]
    assert user_client.get(preference_url(meal)).status_code == 405
    assert (
        user_client.post(
            reverse("mealplan:meal_preference", args=[999999]), {"verdict": "like"}
        ).status_code
        == 404
    )
    user_client.post(preference_url(meal), {"verdict": "dislike"})
    client = Client()
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("mealplan:meal_preferences")).content.decode()
    assert meal.name not in page
