from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from foods.tests.factories import meal_with
from mealplan.models import PlanEntry
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db

ALL_DAYS = {"include_past": "on"}  # the fixtures' week may lie partly in the past


def week_url(name, week_start):
    return reverse(f"mealplan:{name}", kwargs={"week_start": week_start})


def test_week_requires_login(client):
    response = client.get(reverse("mealplan:week"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_current_week_shows_grid_and_targets(user_client, profile):
    response = user_client.get(reverse("mealplan:week"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suggest my week" in page
    assert "420 mg" in page
    assert "Breakfast" in page and "Snack" in page


def test_non_monday_redirects_to_its_monday(user_client, profile, week_start):
    response = user_client.get(week_url("week_detail", week_start + timedelta(days=3)))
    assert response.status_code == 302
    assert response.url == week_url("week_detail", week_start)


def test_impossible_date_is_404(user_client, profile):
    assert user_client.get("/plan/week/2026-02-31/").status_code == 404
    assert user_client.get("/plan/week/not-a-date/").status_code == 404


def test_suggest_then_page_shows_reached_days(user_client, profile, catalog, week_start):
    response = user_client.post(week_url("suggest", week_start), ALL_DAYS, follow=True)
    page = response.content.decode()
    assert "All 7 days planned are on target: every rule holds." in page
    assert page.count(">on target<") == 7


def test_suggest_htmx_returns_grid_partial(user_client, profile, catalog, week_start):
    response = user_client.post(
        week_url("suggest", week_start), ALL_DAYS, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="grid">')
    assert "<html" not in page
    assert page.count(">on target<") == 7


def test_shortfall_is_explained_on_the_page(user_client, profile, catalog, week_start):
    profile.magnesium_target_override_mg = 900
    profile.override_agreed_with_professional = True
    profile.save()
    page = user_client.post(week_url("suggest", week_start), ALL_DAYS, follow=True)
    page = page.content.decode()
    assert "short by" in page
    assert "Try:" in page


def test_changes_are_post_only(user_client, planned_week):
    entry = planned_week.entries.first()
    for name in ("entry_servings", "entry_lock", "entry_delete"):
        assert user_client.get(reverse(f"mealplan:{name}", args=[entry.pk])).status_code == 405
    assert user_client.get(week_url("suggest", planned_week.week_start)).status_code == 405


def test_csrf_is_required(user, planned_week, password):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    entry = planned_week.entries.first()
    response = client.post(reverse("mealplan:entry_delete", args=[entry.pk]))
    assert response.status_code == 403
    assert PlanEntry.objects.filter(pk=entry.pk).exists()


def test_another_users_entries_are_404(client, other_user, planned_week):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    entry = planned_week.entries.first()
    for name in ("entry_servings", "entry_lock", "entry_delete", "entry_swap"):
        url = reverse(f"mealplan:{name}", args=[entry.pk])
        assert client.post(url, {"servings": "2", "meal": entry.meal_id}).status_code == 404
    assert client.get(reverse("mealplan:entry_swap", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.servings == 1 and not entry.locked


def test_another_users_week_is_never_shown(client, other_user, planned_week):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(week_url("week_detail", planned_week.week_start)).content.decode()
    assert planned_week.entries.first().meal.name not in page


@pytest.mark.parametrize("servings", ["0", "10", "abc", "", "-1", "0.25"])
def test_bad_servings_are_refused(user_client, planned_week, servings):
    entry = planned_week.entries.first()
    response = user_client.post(
        reverse("mealplan:entry_servings", args=[entry.pk]), {"servings": servings}, follow=True
    )
    assert "Servings not changed" in response.content.decode()
    entry.refresh_from_db()
    assert entry.servings == 1


def test_servings_change_updates_totals(user_client, planned_week):
    entry = planned_week.entries.get(date=planned_week.week_start, slot="lunch")
    response = user_client.post(
        reverse("mealplan:entry_servings", args=[entry.pk]),
        {"servings": "2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.servings == 2


def test_lock_and_delete(user_client, planned_week):
    entry = planned_week.entries.get(date=planned_week.week_start, slot="lunch")
    user_client.post(reverse("mealplan:entry_lock", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.locked
    response = user_client.post(reverse("mealplan:entry_delete", args=[entry.pk]), follow=True)
    assert "locked" in response.content.decode()
    assert PlanEntry.objects.filter(pk=entry.pk).exists()
    user_client.post(reverse("mealplan:entry_lock", args=[entry.pk]))
    user_client.post(reverse("mealplan:entry_delete", args=[entry.pk]))
    assert not PlanEntry.objects.filter(pk=entry.pk).exists()


def test_swap_page_offers_three_and_swaps(user_client, planned_week):
    entry = planned_week.entries.get(date=planned_week.week_start, slot="dinner")
    response = user_client.get(reverse("mealplan:entry_swap", args=[entry.pk]))
    assert response.status_code == 200
    options = response.context["options"]
    assert 1 <= len(options) <= 3
    best = options[0]
    user_client.post(
        reverse("mealplan:entry_swap", args=[entry.pk]),
        {"meal": best.meal.pk, "servings": best.servings},
    )
    entry.refresh_from_db()
    assert (entry.meal, entry.servings) == (best.meal, best.servings)


def test_swap_to_unfitting_meal_is_refused(user_client, planned_week, catalog):
    entry = planned_week.entries.get(date=planned_week.week_start, slot="dinner")
    response = user_client.post(
        reverse("mealplan:entry_swap", args=[entry.pk]),
        {"meal": catalog["breakfast"][0].pk},
        follow=True,
    )
    assert "not a dinner meal" in response.content.decode()
    assert PlanEntry.objects.get(pk=entry.pk).meal_id == entry.meal_id


def test_add_page_lists_fitting_meals_and_adds(user_client, profile, catalog, week_start):
    url = week_url("add_entry", week_start)
    day = (week_start + timedelta(days=2)).isoformat()
    page = user_client.get(url, {"date": day, "slot": "snack"}).content.decode()
    assert "snack food 0" in page and "dinner food 0" not in page
    searched = user_client.get(url, {"date": day, "slot": "snack", "q": "food 3"})
    assert [m.name for m in searched.context["meals"]] == ["snack food 3"]
    meal = catalog["snack"][0]
    response = user_client.post(
        url + f"?date={day}&slot=snack",
        {"date": day, "slot": "snack", "meal": meal.pk, "servings": "1.5"},
    )
    assert response.status_code == 302
    entry = PlanEntry.objects.get(plan__user__profile=profile)
    assert (entry.meal, float(entry.servings), entry.date.isoformat()) == (meal, 1.5, day)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"servings": "0"}, "greater than or equal to 0.5"),
        ({"servings": "abc"}, "Enter a number"),
        ({"date": "2020-01-01"}, "not in this week"),
        ({"slot": "brunch"}, "valid choice"),
        ({"meal": "999999"}, "valid choice"),
    ],
)
def test_add_rejects_bad_input(user_client, profile, catalog, week_start, change, message):
    day = week_start.isoformat()
    data = {"date": day, "slot": "snack", "meal": catalog["snack"][0].pk, "servings": "1"}
    data.update(change)
    url = week_url("add_entry", week_start) + f"?date={day}&slot=snack"
    response = user_client.post(url, data, follow=True)
    assert message in response.content.decode()
    assert not PlanEntry.objects.exists()


def test_add_meal_outside_diet_is_refused(user_client, profile, catalog, week_start):
    profile.diet = "vegetarian"
    profile.save()
    fish = meal_with(slots=("snack",), vegetarian=False, vegan=False, name="sardines")
    day = week_start.isoformat()
    url = week_url("add_entry", week_start) + f"?date={day}&slot=snack"
    response = user_client.post(
        url, {"date": day, "slot": "snack", "meal": fish.pk, "servings": "1"}, follow=True
    )
    assert "does not suit your diet" in response.content.decode()
    assert not PlanEntry.objects.exists()


def test_add_page_needs_a_day_of_this_week(user_client, profile, week_start):
    response = user_client.get(week_url("add_entry", week_start), {"date": "x", "slot": "lunch"})
    assert response.status_code == 302


def test_week_page_query_count_is_constant(
    user_client, profile, catalog, week_start, django_assert_max_num_queries
):
    user_client.get(week_url("week_detail", week_start))  # warm the session
    # 9: the week's planning job (one query, shown while it runs) joined the 8.
    with django_assert_max_num_queries(9):
        user_client.get(week_url("week_detail", week_start))
    fill_week(user=profile.user, week_start=week_start, meals=catalog)
    with django_assert_max_num_queries(9):
        response = user_client.get(week_url("week_detail", week_start))
    assert response.content.decode().count(">on target<") == 7
