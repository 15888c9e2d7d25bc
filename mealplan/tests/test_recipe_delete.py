"""Deleting a user's recipe (with the plan entries that hold it) and deleting a user whose
recipes are planned: every way, each week locked, nothing left protected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from foods.models import Meal
from mealplan.models import PlanEntry, WeekPlan
from mealplan.tests.factories import PlanEntryFactory, WeekPlanFactory
from mealplan.tests.test_own_recipes import own_recipe

pytestmark = pytest.mark.django_db


def delete_url(meal: Meal) -> str:
    return reverse("mealplan:recipe_delete", args=[meal.pk])


@pytest.fixture
def planned_recipe(user, profile, week_start):
    recipe = own_recipe(user, name="Green rice")
    plan = WeekPlanFactory(user=user, week_start=week_start)
    PlanEntryFactory(plan=plan, date=week_start, slot="lunch", meal=recipe, locked=True)
    PlanEntryFactory(plan=plan, date=week_start + timedelta(1), slot="lunch", meal=recipe)
    PlanEntryFactory(
        plan=plan, date=week_start + timedelta(2), slot="dinner", meal=recipe, locked=True
    )
    later = WeekPlanFactory(user=user, week_start=week_start + timedelta(7))
    PlanEntryFactory(plan=later, date=later.week_start, slot="lunch", meal=recipe)
    return recipe


def test_delete_page_names_the_weeks_and_the_locked_entries(user_client, planned_recipe):
    response = user_client.get(delete_url(planned_recipe))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Week of 23 Nov 2026, 3 entries (2 locked)" in page
    assert "Week of 30 Nov 2026, 1 entry" in page
    assert "(0 locked)" not in page
    assert "2 of them are locked" in page
    assert Meal.objects.filter(pk=planned_recipe.pk).exists()


def test_delete_removes_the_recipe_and_every_entry_locked_or_not(user_client, planned_recipe):
    response = user_client.post(delete_url(planned_recipe), follow=True)
    assert response.status_code == 200
    assert "Deleted Green rice and 4 plan entries." in response.content.decode()
    assert not Meal.objects.filter(pk=planned_recipe.pk).exists()
    assert not PlanEntry.objects.exists()
    assert WeekPlan.objects.count() == 2  # the weeks stay, without the recipe


def test_delete_takes_each_weeks_lock(user, planned_recipe):
    from mealplan.services import recipe_delete

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks; it serialises writers anyway")
    with CaptureQueriesContext(connection) as queries:
        assert recipe_delete(user=user, meal=planned_recipe) == 4
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "weekplan" in q["sql"]]
    assert locks


def test_delete_of_an_unplanned_recipe(user_client, user, profile):
    recipe = own_recipe(user, name="Green rice")
    page = user_client.get(delete_url(recipe)).content.decode()
    assert "It is not in any of your weeks." in page
    response = user_client.post(delete_url(recipe), follow=True)
    assert "Deleted Green rice." in response.content.decode()
    assert not Meal.objects.filter(pk=recipe.pk).exists()


def test_another_users_recipe_or_a_curated_meal_is_404(user_client, profile, other_user, catalog):
    theirs = own_recipe(other_user)
    curated = Meal.objects.curated().first()
    for meal in (theirs, curated):
        assert user_client.get(delete_url(meal)).status_code == 404
        assert user_client.post(delete_url(meal)).status_code == 404
    assert Meal.objects.filter(pk__in=[theirs.pk, curated.pk]).count() == 2


def test_delete_needs_a_login(client, planned_recipe):
    assert client.get(delete_url(planned_recipe)).status_code == 302
    assert client.post(delete_url(planned_recipe)).status_code == 302
    assert Meal.objects.filter(pk=planned_recipe.pk).exists()


def test_recipe_page_links_to_the_delete_page(user_client, planned_recipe):
    page = user_client.get(reverse("recipes:detail", args=[planned_recipe.pk])).content.decode()
    assert delete_url(planned_recipe) in page


# Deleting a user: their planned recipes never block it, whichever way.


def test_a_user_with_a_planned_recipe_can_be_deleted_directly(user, planned_recipe):
    user.delete()
    assert not Meal.objects.filter(pk=planned_recipe.pk).exists()
    assert not PlanEntry.objects.exists()


def test_a_user_with_a_planned_recipe_can_be_deleted_in_the_admin(
    admin_client, user, planned_recipe
):
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    page = admin_client.get(url).content.decode()
    assert "would require deleting the following protected" not in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Meal.objects.filter(pk=planned_recipe.pk).exists()


def test_a_user_with_a_planned_recipe_can_be_deleted_by_the_admin_action(
    admin_client, user, planned_recipe
):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_planned_curated_meal_still_cannot_be_deleted(user, planned_week):
    from django.db.models import ProtectedError, RestrictedError

    meal = PlanEntry.objects.first().meal
    with pytest.raises((ProtectedError, RestrictedError)):
        meal.delete()


def test_foods_never_imports_mealplan():
    import ast
    from pathlib import Path

    import foods

    root = Path(foods.__file__).parent
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "mealplan" for name in names), path
