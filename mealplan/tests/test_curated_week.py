"""Whole weeks on the curated catalog: every diet, with and without nuts, every day ok."""

import itertools
from datetime import date

import pytest

from accounts.tests.factories import ProfileFactory
from mealplan import services
from mealplan.selectors import week_view

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 23)


@pytest.fixture
def curated(curated_catalog):
    return curated_catalog


@pytest.mark.parametrize(
    ("diet", "nut_free"),
    list(itertools.product(["omnivore", "pescatarian", "vegetarian", "vegan"], [False, True])),
)
def test_suggest_reaches_every_day_for_every_diet(curated, diet, nut_free):
    profile = ProfileFactory(
        birth_date=date(1980, 3, 1),  # a 31-50 man: the highest target, 420 mg
        sex="male",
        diet=diet,
        avoid_allergens=["tree_nuts", "peanuts"] if nut_free else [],
    )
    outcome = services.weekplan_suggest(user=profile.user, week_start=WEEK)
    assert outcome.result.days_ok == 7
    week = week_view(user=profile.user, week_start=WEEK)
    assert [day.ok for day in week.days] == [True] * 7, [
        (day.magnesium_mg, day.kcal) for day in week.days
    ]
    for day in week.days:
        assert day.magnesium_mg >= 420
        assert 1800 <= day.kcal <= 2200
        for _, view in day.cells:
            if view is None:
                continue
            flags = view.meal.__class__.objects.with_diet_flags().get(pk=view.meal.pk)
            if diet != "omnivore":
                assert getattr(flags, f"suits_{diet}")
            if nut_free:
                assert not flags.has_nuts
