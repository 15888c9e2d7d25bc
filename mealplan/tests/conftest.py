from datetime import date, timedelta

import pytest

from accounts.tests.factories import ProfileFactory
from foods.tests.factories import meal_with
from mealplan.tests.factories import WEEK, fill_week

# Per slot: kcal and magnesium per serving of each meal, enough for 7 good days.
SLOT_MEALS = {
    "breakfast": (450, 110),
    "lunch": (650, 120),
    "dinner": (700, 130),
    "snack": (200, 60),
}


@pytest.fixture
def week_start() -> date:
    return WEEK


@pytest.fixture
def profile(user):
    return ProfileFactory(user=user, birth_date=date(1985, 1, 1), sex="male", diet="omnivore")


@pytest.fixture
def catalog(db):
    """Six meals per slot, one-ingredient each, with 100 g = one serving."""
    meals = {}
    for slot, (kcal, magnesium) in SLOT_MEALS.items():
        meals[slot] = [
            meal_with(
                slots=(slot,),
                kcal_per_100g=kcal + 10 * i,
                magnesium_mg_per_100g=magnesium + 2 * i,
                name=f"{slot} food {i}",
            )
            for i in range(6)
        ]
    return meals


@pytest.fixture
def planned_week(user, profile, catalog, week_start):
    """Fill the user's week from the catalog: every day 420+ mg within 1800-2200 kcal."""
    return fill_week(user=user, week_start=week_start, meals=catalog)


def days_of(week_start: date) -> list[date]:
    return [week_start + timedelta(days=i) for i in range(7)]
