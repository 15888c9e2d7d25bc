from datetime import date, timedelta

import pytest
from django.urls import reverse

from mealplan.models import PlanEntry
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
    assert "<strong>7 of 7</strong> days reach your target of 420 mg" in page
    assert "(on target)" in page
    tomorrow = PlanEntry.objects.filter(date=WEDNESDAY + timedelta(days=1))
    assert tomorrow.count() == 4
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
    with django_assert_max_num_queries(8):
        user_client.get(reverse("home"))
    fill_week(user=user, week_start=week_start, meals=catalog)
    fill_week(user=user, week_start=week_start + timedelta(weeks=1), meals=catalog)
    with django_assert_max_num_queries(8):
        user_client.get(reverse("home"))
