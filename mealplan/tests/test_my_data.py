import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from foods.tests.factories import FoodFactory
from mealplan import intake_services, services
from mealplan.models import IntakeItem, MealPreference, PlanEntry, ShoppingTick, WeekPlan
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(user, planned_week, catalog, week_start):
    services.meal_preference_set(user=user, meal=catalog["lunch"][0], verdict=-1)
    ShoppingTick.objects.create(
        user=user, start=week_start, end=week_start + timedelta(days=6), food=FoodFactory()
    )
    entry = PlanEntry.objects.filter(plan__user=user).order_by("date", "slot").first()
    intake_services.tick_eaten(user=user, entry=entry, today=week_start + timedelta(days=6))
    intake_services.log_food(
        user=user, day=week_start, slot="snack", food=FoodFactory(magnesium_mg_per_100g=None),
        grams=10, today=week_start,
    )  # fmt: skip
    return WeekPlan.objects.get(user=user)


def test_my_data_downloads_everything_as_json(user_client, user, planned):
    response = user_client.get(reverse("mealplan:my_data"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["user"]["username"] == user.username
    assert data["profile"]["sex"] == "male"
    assert data["profile"]["magnesium_target_mg"] == 420
    assert data["profile"]["lunch_at"] == "12:30:00"
    [plan] = data["plans"]
    assert plan["week_start"] == planned.week_start.isoformat()
    assert len(plan["entries"]) == 28
    assert set(plan["entries"][0]) == {"date", "slot", "meal", "servings", "locked"}
    assert data["meal_preferences"] == [{"meal": "lunch food 0", "verdict": "Dislike"}]
    assert len(data["shopping_ticks"]) == 1


def test_my_data_holds_only_mine(client, other_user, planned):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    data = json.loads(client.get(reverse("mealplan:my_data")).content)
    assert data["user"]["username"] == other_user.username
    assert data["plans"] == [] and data["meal_preferences"] == [] and data["shopping_ticks"] == []


def test_my_data_needs_login(client):
    assert client.get(reverse("mealplan:my_data")).status_code == 302


def test_my_data_query_count_is_constant(
    user_client, user, profile, catalog, week_start, django_assert_max_num_queries
):
    url = reverse("mealplan:my_data")
    fill_week(user=user, week_start=week_start, meals=catalog)
    user_client.get(url)
    # 8, 1 to find the user's household (none here) and 1 for the intake log
    with django_assert_max_num_queries(10):
        user_client.get(url)
    for weeks in (1, 2, 3):
        fill_week(user=user, week_start=week_start - timedelta(weeks=weeks), meals=catalog)
    with django_assert_max_num_queries(10):
        user_client.get(url)


def test_profile_page_links_my_data_and_delete(user_client, profile):
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("mealplan:my_data") in page
    assert reverse("accounts:delete_account") in page


def test_delete_account_with_password_removes_everything(user_client, user, planned, password):
    response = user_client.post(
        reverse("accounts:delete_account"), {"password": password}, follow=True
    )
    assert "Your account and all your data have been deleted." in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert not WeekPlan.objects.exists() and not PlanEntry.objects.exists()
    assert not MealPreference.objects.exists() and not ShoppingTick.objects.exists()
    assert not IntakeItem.objects.exists()


@pytest.mark.parametrize("typed", ["", "wrong-password"])
def test_delete_account_needs_the_right_password(user_client, user, planned, typed):
    response = user_client.post(reverse("accounts:delete_account"), {"password": typed})
    assert response.status_code == 200
    assert "was not deleted" in response.content.decode()
    assert type(user).objects.filter(pk=user.pk).exists()
    assert PlanEntry.objects.count() == 28


def test_delete_account_needs_csrf_and_login(client, user, password):
    assert client.get(reverse("accounts:delete_account")).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = strict.post(reverse("accounts:delete_account"), {"password": password})
    assert response.status_code == 403
    assert type(user).objects.filter(pk=user.pk).exists()


def test_my_data_holds_my_recipes_and_not_others(user_client, user, other_user):
    from foods.models import Ingredient
    from foods.tests.factories import MealFactory

    mine = MealFactory(
        name="Granny's lentil soup", owner=user, fits_lunch=False, fits_dinner=True, servings=4
    )
    lentils = FoodFactory(name="Lentils")
    Ingredient.objects.create(meal=mine, food=lentils, grams=300, text="300 g lentils")
    mine.not_counted = "salt to taste"
    mine.save()
    MealFactory(name="Someone else's stew", owner=other_user)
    data = json.loads(user_client.get(reverse("mealplan:my_data")).content)
    [recipe] = data["recipes"]
    assert recipe["name"] == "Granny's lentil soup"
    assert recipe["servings"] == 4 and recipe["slots"] == ["dinner"]
    assert recipe["ingredients"] == [
        {"text": "300 g lentils", "food": "Lentils", "usda_ndb": lentils.source_ref, "grams": 300.0}
    ]
    assert recipe["not_counted"] == ["salt to taste"]


def test_my_data_holds_my_intake_log_with_unknown_as_null(user_client, user, planned):
    data = json.loads(user_client.get(reverse("mealplan:my_data")).content)
    assert len(data["intake"]) == 2
    extra = next(row for row in data["intake"] if row["source"] == "extra")
    assert extra["magnesium_mg"] is None and extra["kcal"] == 10
