from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import ProfileFactory
from mealplan.models import monday_of
from mealplan.tests.factories import WEEK, catalog_meals, fill_week


@pytest.fixture
def week_start() -> date:
    return WEEK


@pytest.fixture
def next_week() -> date:
    # A week wholly in the future: a job plans from today, as the page does.
    return monday_of(timezone.localdate()) + timedelta(days=7)


@pytest.fixture
def tiny_budget(settings):
    # Every week is then beyond the interactive budget: a Suggest becomes a job.
    settings.PLANNER_INTERACTIVE_BUDGET_S = 0.001


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
