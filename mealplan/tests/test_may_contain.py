"""A meal that may contain an allergen the user avoids is not safe: never offered or planned."""

from datetime import timedelta

import pytest

from foods.models import Allergen
from foods.tests.factories import meal_with
from mealplan import services
from mealplan.models import PlanEntry
from mealplan.planning import suitable_meals

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_catalog(db):
    """Meals for every slot, too poor in magnesium to reach the target without help."""
    for slot, kcal in (("breakfast", 450), ("lunch", 650), ("dinner", 700), ("snack", 200)):
        for i in range(4):
            meal_with(
                name=f"{slot} {i}",
                slots=(slot,),
                kcal_per_100g=kcal + 10 * i,
                magnesium_mg_per_100g=40 + i,
            )


@pytest.fixture
def oat_meal():
    """A magnesium-rich breakfast of oats, which may contain wheat (gluten)."""
    meal = meal_with(
        name="Oat bowl", slots=("breakfast",), kcal_per_100g=450, magnesium_mg_per_100g=200
    )
    oats = meal.ingredients.get().food
    oats.may_contain.set(Allergen.objects.filter(code="wheat"))
    return meal


def test_suitable_meals_leave_out_may_contain(profile, short_catalog, oat_meal):
    assert oat_meal in suitable_meals(profile=profile)
    profile.avoid_allergens = ["wheat"]
    profile.save()
    assert oat_meal not in suitable_meals(profile=profile)


@pytest.mark.parametrize(("avoid", "planned_oats"), [([], True), (["wheat"], False)])
def test_suggest_never_plans_a_meal_that_may_contain_an_avoided_allergen(
    user, profile, short_catalog, oat_meal, week_start, avoid, planned_oats
):
    profile.avoid_allergens = avoid
    profile.save()

    services.weekplan_suggest(user=user, week_start=week_start)

    planned = PlanEntry.objects.filter(
        plan__user=user, date__range=(week_start, week_start + timedelta(days=6))
    )
    assert planned.exists()
    assert planned.filter(meal=oat_meal).exists() is planned_oats
