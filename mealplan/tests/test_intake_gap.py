"""today_gap: the boundary from rows to the gap suggestion, with factories."""

from datetime import date

import pytest

from accounts.tests.factories import ProfileFactory
from foods.tests.factories import FoodFactory, PortionFactory
from mealplan.intake import Amounts
from mealplan.intake_gap import (
    STATUS_CLOSED,
    gap_cache_clear,
    realistic_portions,
    today_gap,
)
from mealplan.models import MealPreference
from mealplan.services import snack_food_add

DAY = date(2026, 11, 25)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    gap_cache_clear()
    yield
    gap_cache_clear()


def seeds(**fields):
    values = {
        "name": "Seeds, pumpkin, roasted",
        "magnesium_mg_per_100g": 600.0,
        "kcal_per_100g": 560.0,
        "carbohydrate_g_per_100g": 10.0,
        "sodium_mg_per_100g": 10.0,
        "diets_reviewed": True,
    }
    food = FoodFactory(**(values | fields))
    PortionFactory(food=food, name="1 oz", grams=28.0)
    PortionFactory(food=food, name="1 cup", grams=129.0, is_default=False)
    return food


def eaten(mg, kcal=1000.0, added=0.0, **unknown):
    return Amounts.of(
        magnesium_mg=mg,
        kcal=kcal,
        added_magnesium_mg=added,
        carbohydrate_g=50.0,
        sodium_mg=500.0,
        **unknown,
    )


def test_realistic_portions_cap_dense_foods_and_label_handfuls():
    portions = realistic_portions([("1 oz", 28.35), ("1 cup", 129.0)], kcal_per_100g=560)
    assert [(p.grams, p.label) for p in portions] == [
        (28.35, "a handful (28 g)"),
        (56.7, "2 handfuls (57 g)"),
    ]
    # Bran: a cup (58 g) yes, 300 g never.
    bran = realistic_portions([("1 cup", 58.0), ("1 lb", 300.0)], kcal_per_100g=216)
    assert [p.grams for p in bran] == [58.0]


def test_no_gap_when_eaten_and_planned_reach_the_target():
    profile = ProfileFactory()
    seeds()
    target = profile.magnesium_target_mg
    assert today_gap(profile.user, profile, DAY, eaten(target - 100), eaten(100, 0)) is None


def test_a_handful_of_seeds_closes_a_small_gap():
    profile = ProfileFactory()
    food = seeds()
    target = profile.magnesium_target_mg
    gap = today_gap(profile.user, profile, DAY, eaten(target - 150), Amounts())
    assert gap.status == STATUS_CLOSED
    [item] = gap.items
    assert item.food == food
    assert item.portion_label == "a handful (28 g)"
    assert round(item.magnesium_mg) == 168
    assert "150 mg" in gap.explanation


def test_no_kcal_left_is_explained_and_nothing_offered():
    profile = ProfileFactory()
    seeds()
    target = profile.magnesium_target_mg
    kcal_max = profile.calorie_window.kcal_max
    gap = today_gap(profile.user, profile, DAY, eaten(target - 150, kcal=kcal_max - 50), Amounts())
    assert gap.status == "impossible"
    assert gap.items == ()
    assert gap.explanation.startswith("No food closes 150 mg within the 50 kcal left")


def test_inactive_unsafe_and_disliked_foods_are_not_offered():
    profile = ProfileFactory(diet="vegan")
    user = profile.user
    seeds(is_active=False)
    seeds(vegan=False)
    seeds(diets_reviewed=False)  # an unfamiliar SR28 food
    disliked = seeds()
    snack_food_add(user=user, week_start=date(2026, 11, 23), day=DAY, food=disliked, grams=28)
    MealPreference.objects.create(
        user=user,
        meal=user.recipes.get(single_food=True),
        verdict=MealPreference.Verdict.DISLIKE,
    )
    target = profile.magnesium_target_mg
    gap = today_gap(user, profile, DAY, eaten(target - 150), Amounts())
    assert gap.status == "impossible"


def test_never_over_the_added_magnesium_limit():
    profile = ProfileFactory()
    shot = FoodFactory(
        name="Magnesium shot",
        kind="supplement",
        source_kind="label",
        source_ref="",
        magnesium_mg_per_100g=250.0,
        added_magnesium_mg_per_100g=250.0,
        kcal_per_100g=40.0,
    )
    PortionFactory(food=shot, name="1 shot", grams=60.0)
    target = profile.magnesium_target_mg
    limit = profile.supplement_upper_limit_mg
    ok = today_gap(profile.user, profile, DAY, eaten(target - 100), Amounts())
    assert ok.status == STATUS_CLOSED and ok.items[0].food == shot
    over = today_gap(profile.user, profile, DAY, eaten(target - 100, added=limit - 100), Amounts())
    assert over.status == "impossible"
    assert "added-magnesium limit" in over.explanation


def test_unknown_eaten_kcal_is_said():
    profile = ProfileFactory()
    seeds()
    target = profile.magnesium_target_mg
    gap = today_gap(profile.user, profile, DAY, eaten(target - 150, kcal=None), Amounts())
    assert gap.status == STATUS_CLOSED
    assert "unknown" in gap.explanation
