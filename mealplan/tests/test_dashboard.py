import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from mealplan.models import PlanEntry, WeekPlan, monday_of
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 11, 25)  # in the week of the fixtures' Monday, 23 Nov 2026
SUNDAY = date(2026, 11, 29)


@pytest.fixture
def today(monkeypatch):
    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


def test_anonymous_visitors_keep_the_home_page(client):
    page = client.get(reverse("home")).content.decode()
    assert "Why magnesium?" in page and 'id="dashboard"' not in page


def test_empty_week_offers_one_click_suggest(user_client, profile, today, week_start):
    today(WEDNESDAY)
    page = user_client.get(reverse("home")).content.decode()
    assert 'id="dashboard"' in page
    assert reverse("mealplan:suggest", kwargs={"week_start": week_start}) in page
    assert "Nothing planned for tomorrow." in page


def test_suggest_from_the_dashboard_plans_the_week(
    user_client, profile, catalog, today, week_start
):
    today(WEDNESDAY)
    page = user_client.get(reverse("home")).content.decode()
    assert "Suggest my week" in page
    user_client.post(reverse("mealplan:suggest", kwargs={"week_start": week_start}))
    page = user_client.get(reverse("home")).content.decode()
    assert "Suggest my week" not in page
    # The one-click suggest fills today to Sunday and leaves the days before alone.
    planned_days = set(PlanEntry.objects.values_list("date", flat=True))
    assert planned_days == {WEDNESDAY + timedelta(days=offset) for offset in range(5)}
    assert "<strong>5 of 7</strong> days on target" in page
    tomorrow = PlanEntry.objects.filter(date=WEDNESDAY + timedelta(days=1))
    assert tomorrow.count() >= 3  # the snack is optional
    for entry in tomorrow:
        assert entry.meal.name in page


def test_tomorrow_in_next_week(user_client, user, profile, catalog, today, week_start):
    today(SUNDAY)
    next_week = week_start + timedelta(weeks=1)
    fill_week(user=user, week_start=next_week, meals=catalog)
    page = user_client.get(reverse("home")).content.decode()
    monday = PlanEntry.objects.get(date=next_week, slot="breakfast")
    assert f"Breakfast: {monday.meal.name}" in page
    assert page.index("Breakfast:") < page.index("Lunch:") < page.index("Snack:")


def test_dashboard_shows_only_my_plan(client, user, other_user, catalog, today, week_start):
    today(WEDNESDAY)
    fill_week(user=user, week_start=week_start, meals=catalog)
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "Nothing planned for tomorrow." in page and "Suggest my week" in page


@pytest.mark.parametrize("day", [WEDNESDAY, SUNDAY])
def test_dashboard_query_count_is_constant(
    user_client, user, profile, catalog, today, week_start, django_assert_max_num_queries, day
):
    today(day)
    user_client.get(reverse("home"))
    # The home page is Today (issue 13: the log, what is still planned, a household note)
    # with this week's dashboard under it.
    with django_assert_max_num_queries(16):
        user_client.get(reverse("home"))
    fill_week(user=user, week_start=week_start, meals=catalog)
    fill_week(user=user, week_start=week_start + timedelta(weeks=1), meals=catalog)
    with django_assert_max_num_queries(16):
        user_client.get(reverse("home"))


def plan_day(user, day: date, meals: dict) -> None:
    """Put a meal per slot on a day, straight into the week (no solver)."""
    plan, _ = WeekPlan.objects.get_or_create(user=user, week_start=monday_of(day))
    for slot, meal in meals.items():
        PlanEntry.objects.create(plan=plan, date=day, slot=slot, meal=meal)


def day_section(page: str, name: str) -> str:
    """Return the dashboard's section for one day ("today" or "tomorrow")."""
    found = re.search(rf'<section[^>]*id="{name}".*?</section>', page, re.DOTALL)
    assert found, f"no {name} section"
    return found.group(0)


def test_dashboard_shows_today_and_tomorrow(user_client, user, profile, catalog, today):
    today(WEDNESDAY)
    plan_day(
        user, WEDNESDAY, {"breakfast": catalog["breakfast"][0], "dinner": catalog["dinner"][1]}
    )
    plan_day(user, WEDNESDAY + timedelta(days=1), {"lunch": catalog["lunch"][2]})

    response = user_client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    today_part, tomorrow_part = day_section(page, "today"), day_section(page, "tomorrow")
    assert "Today, Wednesday 25 November" in today_part
    assert "Breakfast: breakfast food 0" in today_part and "Dinner: dinner food 1" in today_part
    assert today_part.index("Breakfast:") < today_part.index("Dinner:")
    assert "lunch food 2" not in today_part
    assert "Tomorrow, Thursday 26 November" in tomorrow_part
    assert "Lunch: lunch food 2" in tomorrow_part and "breakfast food 0" not in tomorrow_part
    assert page.index('id="today"') < page.index('id="tomorrow"')


def test_dashboard_says_when_nothing_is_planned_today(user_client, user, profile, catalog, today):
    today(SUNDAY)
    plan_day(user, SUNDAY + timedelta(days=1), {"snack": catalog["snack"][0]})
    page = user_client.get(reverse("home")).content.decode()
    assert "Nothing planned for today." in day_section(page, "today")
    assert "Snack: snack food 0" in day_section(page, "tomorrow")


def test_dashboard_today_is_mine_alone(client, user, other_user, catalog, today):
    today(WEDNESDAY)
    plan_day(user, WEDNESDAY, {"lunch": catalog["lunch"][0]})
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "Nothing planned for today." in day_section(page, "today")
