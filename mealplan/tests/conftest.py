from datetime import date, timedelta

import pytest

from accounts.tests.factories import ProfileFactory
from mealplan.tests.factories import WEEK, catalog_meals, fill_week


@pytest.fixture
def week_start() -> date:
    return WEEK


@pytest.fixture
def profile(user):
    return ProfileFactory(user=user, birth_date=date(1985, 1, 1), sex="male", diet="omnivore")


@pytest.fixture
def catalog(db):
    return catalog_meals()


@pytest.fixture
def planned_week(user, profile, catalog, week_start):
    """Fill the user's week from the catalog: every day 420+ mg within 1800-2200 kcal."""
    return fill_week(user=user, week_start=week_start, meals=catalog)


def days_of(week_start: date) -> list[date]:
    return [week_start + timedelta(days=i) for i in range(7)]
