"""Durability: a dump and reload gives identical plans; migrations keep data going forward."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from accounts.tests.factories import ProfileFactory
from foods.models import Category, Food, Meal, Slot
from mealplan.models import PlanEntry, WeekPlan
from mealplan.tests.factories import fill_week

WEEK = date(2026, 11, 23)
APPS = ["accounts", "foods", "mealplan"]


def plan_rows() -> list[tuple]:
    return sorted(
        PlanEntry.objects.values_list(
            "plan__user__username", "date", "slot", "meal__name", "servings", "locked"
        )
    )


@pytest.mark.django_db
def test_dumpdata_loaddata_round_trip_gives_identical_plans(tmp_path, curated_catalog):
    meals = {slot: list(Meal.objects.filter(**{f"fits_{slot}": True})) for slot in Slot.values}
    for shift in (0, 3):
        profile = ProfileFactory(birth_date=date(1990, 1, 1), sex="female")
        fill_week(user=profile.user, week_start=WEEK, meals=meals, shift=shift)
    PlanEntry.objects.filter(slot="lunch").update(locked=True)
    before = plan_rows()
    counts = (Food.objects.count(), Meal.objects.count(), WeekPlan.objects.count())
    assert len(before) >= 42

    dump = tmp_path / "dump.json"
    call_command("dumpdata", *APPS, output=str(dump), stdout=StringIO())
    User.objects.all().delete()  # profiles, plans and entries go with their users
    Meal.objects.all().delete()
    Food.objects.all().delete()
    Category.objects.all().delete()
    assert not PlanEntry.objects.exists() and not Food.objects.exists()

    call_command("loaddata", str(dump), stdout=StringIO())
    assert plan_rows() == before
    assert (Food.objects.count(), Meal.objects.count(), WeekPlan.objects.count()) == counts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrations_apply_forward_without_loss():
    """Roll mealplan back to its first migration, add data, migrate forward, find it all."""
    executor = MigrationExecutor(connection)
    first = [("mealplan", "0001_initial")]
    executor.migrate(first)
    old_apps = executor.loader.project_state(first).apps
    OldUser = old_apps.get_model("accounts", "User")
    Category = old_apps.get_model("foods", "Category")
    Food = old_apps.get_model("foods", "Food")
    Meal = old_apps.get_model("foods", "Meal")
    Ingredient = old_apps.get_model("foods", "Ingredient")
    OldPlan = old_apps.get_model("mealplan", "WeekPlan")
    OldEntry = old_apps.get_model("mealplan", "PlanEntry")
    user = OldUser.objects.create(username="before-migration", email="b@example.com")
    food = Food.objects.create(
        name="Spinach", category=Category.objects.create(name="Greens"), magnesium_mg_per_100g=79
    )
    meal = Meal.objects.create(name="Spinach salad", fits_lunch=True)
    Ingredient.objects.create(meal=meal, food=food, grams=150)
    plan = OldPlan.objects.create(user=user, week_start=WEEK, seed=5)
    OldEntry.objects.create(plan=plan, date=WEEK, slot="lunch", meal=meal, servings=2, locked=True)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    entry = PlanEntry.objects.select_related("plan__user", "meal").get()
    assert entry.plan.user.username == "before-migration"
    assert (entry.meal.name, entry.servings, entry.locked, entry.plan.seed) == (
        "Spinach salad", 2, True, 5,
    )  # fmt: skip
    assert entry.plan.report == {}
