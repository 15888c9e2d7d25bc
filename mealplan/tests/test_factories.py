"""The planned_week fixture stands in for the planner: its week must keep the planner's rules."""

from collections import defaultdict

import pytest

from mealplan.selectors import week_view

pytestmark = pytest.mark.django_db


def test_planned_week_fills_every_cell_and_every_day_is_ok(user, planned_week, week_start):
    assert planned_week.entries.count() == 28
    week = week_view(user=user, week_start=week_start)
    assert [day.ok for day in week.days] == [True] * 7
    assert week.days_on_target == 7


def test_planned_week_keeps_variety(planned_week):
    days_by_meal = defaultdict(list)
    for entry in planned_week.entries.all():
        days_by_meal[entry.meal_id].append(entry.date.toordinal())
    for days in days_by_meal.values():
        assert len(days) <= 2
        assert all(later - earlier > 1 for earlier, later in zip(days, days[1:], strict=False))
