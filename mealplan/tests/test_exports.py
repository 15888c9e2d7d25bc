import csv
import io
from datetime import datetime, time, timedelta

import icalendar
import pytest
from django.urls import reverse

from foods.tests.factories import meal_with
from mealplan.models import PlanEntry, WeekPlan
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db


def url(name, week_start):
    return reverse(f"mealplan:{name}", kwargs={"week_start": week_start})


@pytest.fixture
def planned(user, planned_week):
    return PlanEntry.objects.filter(plan__user=user)


def test_csv_has_one_row_per_entry(user_client, planned, week_start):
    response = user_client.get(url("week_csv", week_start))
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == planned.count() == 28
    assert list(rows[0]) == ["date", "slot", "meal", "servings", "kcal", "magnesium_mg", "unknown"]
    assert (rows[0]["date"], rows[0]["slot"]) == (week_start.isoformat(), "breakfast")
    assert [row["slot"] for row in rows[:4]] == ["breakfast", "lunch", "dinner", "snack"]
    entry = planned.get(date=week_start, slot="breakfast")
    assert rows[0]["meal"] == entry.meal.name
    assert rows[0]["servings"] == "1"
    assert int(rows[0]["magnesium_mg"]) >= 110
    assert rows[0]["unknown"] == ""


def test_ics_parses_with_one_event_per_entry_at_slot_times(user_client, planned, profile):
    profile.lunch_at = time(13, 15)
    profile.save()
    week_start = planned.first().plan.week_start
    response = user_client.get(url("week_ics", week_start))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 28
    by_uid = {str(event["UID"]): event for event in events}
    entry = planned.get(date=week_start, slot="lunch")
    event = by_uid[f"planentry-{entry.pk}@mg-planner"]
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert (start.date(), start.time()) == (week_start, time(13, 15))
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert "Magnesium" in str(event["DESCRIPTION"]) and "kcal" in str(event["DESCRIPTION"])
    assert entry.meal.name in str(event["SUMMARY"])
    breakfast = planned.get(date=week_start, slot="breakfast")
    assert by_uid[f"planentry-{breakfast.pk}@mg-planner"].decoded("DTSTART").time() == time(8)


def test_ics_uid_is_stable(user_client, planned, week_start):
    first = user_client.get(url("week_ics", week_start)).content
    second = user_client.get(url("week_ics", week_start)).content
    uids = [
        {str(event["UID"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")}
        for body in (first, second)
    ]
    assert uids[0] == uids[1]


def test_empty_week_exports_parse(user_client, profile, week_start):
    body = user_client.get(url("week_csv", week_start)).content.decode()
    assert body.strip() == "date,slot,meal,servings,kcal,magnesium_mg,unknown"
    calendar = icalendar.Calendar.from_ical(user_client.get(url("week_ics", week_start)).content)
    assert list(calendar.walk("VEVENT")) == []


def test_print_view_shows_the_week(user_client, planned, week_start):
    response = user_client.get(url("week_print", week_start))
    page = response.content.decode()
    assert response.status_code == 200
    assert "print.css" in page and "js/print.js" in page
    assert planned.get(date=week_start, slot="dinner").meal.name in page
    assert "<script>" not in page and 'style="' not in page


def test_week_page_links_to_everything(user_client, profile, week_start):
    page = user_client.get(url("week_detail", week_start)).content.decode()
    for name in ("week_csv", "week_ics", "week_print", "week_charts", "week_copy", "week_clear"):
        assert url(name, week_start) in page
    assert reverse("mealplan:shopping") in page


@pytest.mark.parametrize("name", ["week_csv", "week_ics", "week_print"])
def test_exports_are_mine_alone(client, other_user, planned, week_start, name):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(url(name, week_start)).content.decode()
    assert planned.first().meal.name not in body


@pytest.mark.parametrize("name", ["week_csv", "week_ics", "week_print"])
def test_exports_need_login_and_a_monday(client, user, week_start, name):
    assert client.get(url(name, week_start)).status_code == 302
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url(name, week_start + timedelta(days=2))).status_code == 404


@pytest.mark.parametrize("name", ["week_csv", "week_ics", "week_print"])
def test_export_query_count_is_constant(
    user_client, user, profile, catalog, week_start, django_assert_max_num_queries, name
):
    user_client.get(url(name, week_start))
    with django_assert_max_num_queries(6):
        user_client.get(url(name, week_start))
    fill_week(user=user, week_start=week_start, meals=catalog)
    with django_assert_max_num_queries(6):
        user_client.get(url(name, week_start))


def test_csv_escapes_meal_names_that_would_run_as_formulae(user_client, user, profile, week_start):
    plan = WeekPlan.objects.create(user=user, week_start=week_start)
    for slot, name in [("breakfast", '=HYPERLINK("http://x","y")'), ("lunch", "@SUM(A1)")]:
        meal = meal_with(slots=(slot,), name=name, kcal_per_100g=400, magnesium_mg_per_100g=100)
        PlanEntry.objects.create(plan=plan, date=week_start, slot=slot, meal=meal)

    body = user_client.get(url("week_csv", week_start)).content.decode()

    meals = [row["meal"] for row in csv.DictReader(io.StringIO(body))]
    assert meals == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]


def test_ics_events_are_in_the_profile_time_zone(user_client, user, profile, week_start):
    profile.time_zone = "America/New_York"
    profile.save()
    plan = WeekPlan.objects.create(user=user, week_start=week_start)
    meal = meal_with(slots=("breakfast",), kcal_per_100g=400, magnesium_mg_per_100g=100)
    PlanEntry.objects.create(plan=plan, date=week_start, slot="breakfast", meal=meal)

    body = user_client.get(url("week_ics", week_start)).content

    assert b"DTSTART;TZID=America/New_York:20261123T080000" in body
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.time() == time(8) and str(start.tzinfo) == "America/New_York"
    assert start.utcoffset() == timedelta(hours=-5)  # 13:00 UTC, not 08:00 UTC
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]


@pytest.fixture
def unknown_week(user, profile, week_start):
    """Lunch with magnesium and kcal unknown; dinner with them partly known."""
    from foods.tests.factories import FoodFactory, IngredientFactory, MealFactory
    from mealplan.tests.factories import PlanEntryFactory, WeekPlanFactory

    plan = WeekPlanFactory(user=user, week_start=week_start)
    unknown = MealFactory(owner=user, name="Mystery stew", fits_lunch=True)
    IngredientFactory(
        meal=unknown,
        food=FoodFactory(magnesium_mg_per_100g=None, kcal_per_100g=None),
        grams=100,
    )
    partly = MealFactory(owner=user, name="Half-known bowl", fits_dinner=True)
    IngredientFactory(
        meal=partly, food=FoodFactory(magnesium_mg_per_100g=50, kcal_per_100g=300), grams=100
    )
    IngredientFactory(
        meal=partly, food=FoodFactory(magnesium_mg_per_100g=None, kcal_per_100g=None), grams=100
    )
    PlanEntryFactory(plan=plan, date=week_start, slot="lunch", meal=unknown)
    PlanEntryFactory(plan=plan, date=week_start, slot="dinner", meal=partly)
    return plan


def test_csv_never_writes_an_unknown_value_as_0(user_client, unknown_week, week_start):
    response = user_client.get(url("week_csv", week_start))
    rows = {row["meal"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    stew, bowl = rows["Mystery stew"], rows["Half-known bowl"]
    assert (stew["kcal"], stew["magnesium_mg"]) == ("", "")
    assert stew["unknown"] == "kcal magnesium_mg"
    assert (bowl["kcal"], bowl["magnesium_mg"]) == ("≥ 300", "≥ 50")
    assert bowl["unknown"] == "kcal magnesium_mg"


def test_ics_says_unknown_and_at_least(user_client, unknown_week, week_start):
    response = user_client.get(url("week_ics", week_start))
    calendar = icalendar.Calendar.from_ical(response.content)
    described = {
        str(event["summary"]): str(event["description"]) for event in calendar.walk("VEVENT")
    }
    assert "Magnesium unknown, kcal unknown." in described["Lunch: Mystery stew"]
    assert "Magnesium at least 50 mg, at least 300 kcal." in described["Dinner: Half-known bowl"]
    assert " 0 mg" not in "".join(described.values())


def test_print_says_at_least_for_a_day_with_an_unknown_value(user_client, unknown_week, week_start):
    page = user_client.get(url("week_print", week_start)).content.decode()
    assert "at least 50&nbsp;mg" in page
