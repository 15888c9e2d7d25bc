from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from foods.models import Meal
from foods.tests.factories import MealFactory, meal_with
from mealplan.models import PlanEntry, WeekPlan

WEEK = date(2026, 11, 23)  # a Monday

# Per slot: kcal and magnesium per serving of each meal, enough for 7 good days.
SLOT_MEALS = {
    "breakfast": (450, 110),
    "lunch": (650, 120),
    "dinner": (700, 130),
    "snack": (200, 60),
}


class WeekPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeekPlan
        django_get_or_create = ("user", "week_start", "household")

    user = factory.SubFactory(UserFactory)
    week_start = WEEK
    household = None


class PlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanEntry

    plan = factory.SubFactory(WeekPlanFactory)
    date = factory.LazyAttribute(lambda entry: entry.plan.week_start)
    slot = "lunch"
    meal = factory.SubFactory(MealFactory)
    servings = Decimal("1")
    locked = False


def catalog_meals() -> dict[str, list[Meal]]:
    """Make six meals per slot, one ingredient each, with 100 g = one serving."""
    return {
        slot: [
            meal_with(
                slots=(slot,),
                kcal_per_100g=kcal + 10 * i,
                magnesium_mg_per_100g=magnesium + 2 * i,
                name=f"{slot} food {i}",
            )
            for i in range(6)
        ]
        for slot, (kcal, magnesium) in SLOT_MEALS.items()
    }


def fill_week(*, user, week_start: date, meals: dict[str, list[Meal]], shift: int = 0) -> WeekPlan:
    """Put one serving in every cell of a user's week, each slot's meals taken in turn.

    With four or more meals a slot, no meal comes more than twice a week or on consecutive
    days, so meals whose every day adds up (`catalog_meals`) make a week that keeps
    the planner's rules without calling the planner. `shift` starts each turn later.
    """
    plan = WeekPlanFactory(user=user, week_start=week_start)
    PlanEntry.objects.bulk_create(
        PlanEntryFactory.build(
            plan=plan, date=day, slot=slot, meal=choices[(offset + shift) % len(choices)]
        )
        for offset, day in enumerate(plan.days)
        for slot, choices in meals.items()
    )
    return plan
