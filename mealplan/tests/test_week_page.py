"""The week page: one day at a time on phones, a quiet grid with a menu per entry, marks for
liked meals, in-place (htmx) changes, and Suggest from today onward."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from mealplan import services
from mealplan.models import (
    SERVINGS_MAX,
    SERVINGS_MIN,
    SERVINGS_STEP,
    MealPreference,
    PlanEntry,
    WeekPlan,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 11, 25)  # in the fixtures' week of Monday 23 Nov 2026
HTMX = {"HX-Request": "true"}


def week_url(week_start: date, **query) -> str:
    url = reverse("mealplan:week_detail", args=[week_start])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def today(monkeypatch):
    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.fixture
def planned(user, profile, catalog, week_start) -> WeekPlan:
    """The fixtures' week filled directly: no solver needed."""
    plan = WeekPlan.objects.create(user=user, week_start=week_start)
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, date=day, slot=slot, meal=catalog[slot][offset % 2])
        for offset, day in enumerate(plan.days)
        for slot in ("breakfast", "lunch", "dinner", "snack")
    )
    return plan


def shown_days(page: str) -> set[str]:
    """The dates whose cells a phone shows (the rest are marked other-day)."""
    cells = re.findall(r'<td id="cell-[^"]+" class="([^"]*)" data-date="([^"]+)"', page)
    return {day for classes, day in cells if "other-day" not in classes}


# One day at a time on phones.


def test_the_day_shown_on_a_phone_is_chosen_by_day(user_client, planned, week_start):
    page = user_client.get(week_url(week_start, day=WEDNESDAY)).content.decode()
    assert shown_days(page) == {WEDNESDAY.isoformat()}
    assert 'id="shown-day">Wednesday 25 November<' in page
    assert page.count("day-total other-day") == 6


def test_previous_and_next_day_cross_into_the_next_weeks(user_client, planned, week_start):
    page = user_client.get(week_url(week_start, day=week_start)).content.decode()
    sunday_before = week_start - timedelta(days=1)
    assert f'href="{week_url(sunday_before - timedelta(days=6), day=sunday_before)}"' in page
    sunday = week_start + timedelta(days=6)
    page = user_client.get(week_url(week_start, day=sunday)).content.decode()
    next_monday = week_start + timedelta(days=7)
    assert f'href="{week_url(next_monday, day=next_monday)}"' in page


def test_the_phone_shows_today_in_this_week_and_monday_in_another(
    user_client, planned, week_start, today
):
    today(WEDNESDAY)
    page = user_client.get(week_url(week_start)).content.decode()
    assert shown_days(page) == {WEDNESDAY.isoformat()}
    today(WEDNESDAY + timedelta(weeks=3))
    page = user_client.get(week_url(week_start)).content.decode()
    assert shown_days(page) == {week_start.isoformat()}


@pytest.mark.parametrize(
    "day", ["2026-11-30", "2026-11-22", "abc", "2026-13-45", "0000-00-00", "x" * 5000, ""]
)
def test_a_bad_day_shows_the_default_day(user_client, planned, week_start, today, day):
    today(WEDNESDAY)
    response = user_client.get(week_url(week_start), {"day": day})
    assert response.status_code == 200
    assert shown_days(response.content.decode()) == {WEDNESDAY.isoformat()}


# A quiet grid whose controls name their meal.


def test_each_entry_shows_meal_servings_magnesium_and_kcal(user_client, planned, week_start):
    entry = planned.entries.get(date=week_start, slot="lunch")
    entry.servings = Decimal("1.5")
    entry.save()
    page = user_client.get(week_url(week_start)).content.decode()
    cell = page.split(f'id="cell-{week_start}-lunch"')[1].split("</td>")[0]
    assert entry.meal.name in cell
    assert "1½ servings &middot; 180&nbsp;mg &middot; 975&nbsp;kcal" in cell


def test_every_control_is_named_for_its_meal(user_client, planned, week_start):
    page = user_client.get(week_url(week_start)).content.decode()
    for entry in planned.entries.all():
        cell = page.split(f'id="cell-{entry.date}-{entry.slot}"')[1].split("</td>")[0]
        name = entry.meal.name
        names = [f"Options for {name}", f"Servings of {name}", f"Set servings of {name}"]
        names += [f"{control} {name}" for control in ("Lock", "Swap", "Like", "Dislike", "Remove")]
        spoken = re.sub(r"<[^>]+>", "", cell)  # the text a screen reader reads, tags dropped
        for accessible_name in names:
            assert accessible_name in spoken, accessible_name


def test_servings_input_takes_its_limits_from_the_form(user_client, planned, week_start):
    page = user_client.get(week_url(week_start)).content.decode()
    inputs = re.findall(r'<input type="number" name="servings"[^>]*>', page)
    assert len(inputs) == 28
    for field in inputs:
        assert f'min="{SERVINGS_MIN}"' in field and f'max="{SERVINGS_MAX}"' in field
        assert f'step="{SERVINGS_STEP}"' in field


def test_liked_and_disliked_meals_are_marked(user_client, user, planned, week_start, catalog):
    liked, disliked = catalog["lunch"][0], catalog["dinner"][1]
    MealPreference.objects.create(user=user, meal=liked, verdict=1)
    MealPreference.objects.create(user=user, meal=disliked, verdict=-1)
    page = user_client.get(week_url(week_start)).content.decode()
    assert page.count("&#9829; liked</span>") == planned.entries.filter(meal=liked).count() == 4
    assert page.count(">disliked</span>") == planned.entries.filter(meal=disliked).count() == 3
    assert f'aria-pressed="true">Like<span class="visually-hidden"> {liked.name}</span>' in page


def test_week_page_query_count_stays_constant_with_preferences(
    user_client, user, planned, week_start, catalog, django_assert_max_num_queries
):
    user_client.get(week_url(week_start))  # warm the session
    # 9: the week's planning job (one query) joined the 8.
    with django_assert_max_num_queries(9):
        user_client.get(week_url(week_start))
    for meals in catalog.values():
        for meal in meals:
            MealPreference.objects.create(user=user, meal=meal, verdict=1)
    with django_assert_max_num_queries(9):
        page = user_client.get(week_url(week_start)).content.decode()
    assert page.count("&#9829; liked</span>") == 28


# Changes in place.


def preference_url(meal) -> str:
    return reverse("mealplan:meal_preference", args=[meal.pk])


def test_like_from_the_grid_redraws_the_grid(user_client, user, planned, week_start, catalog):
    meal = catalog["lunch"][0]
    response = user_client.post(
        preference_url(meal),
        {"verdict": "like", "week": week_start.isoformat()},
        headers={**HTMX, "HX-Target": "grid"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="grid">') and "<html" not in page
    assert f"{meal.name} will be suggested more often." in page
    assert page.count("&#9829; liked</span>") == 4
    assert MealPreference.objects.get(user=user, meal=meal).verdict == 1


def test_like_elsewhere_redraws_only_the_buttons(user_client, user, planned, catalog):
    meal = catalog["lunch"][0]
    response = user_client.post(
        preference_url(meal), {"verdict": "dislike"}, headers={**HTMX, "HX-Target": "x"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith("<form") and 'id="grid"' not in page
    assert 'value="forget"' in page and 'aria-pressed="true">Dislike' in page
    assert "will not be suggested again" in page
    # The message was shown in place, not kept for the next page.
    assert "will not be suggested again" not in user_client.get(reverse("home")).content.decode()


def test_an_entry_change_returns_to_its_day(user_client, planned, week_start):
    entry = planned.entries.get(date=WEDNESDAY, slot="dinner")
    response = user_client.post(reverse("mealplan:entry_lock", args=[entry.pk]))
    assert response.url == week_url(week_start, day=WEDNESDAY)
    response = user_client.post(reverse("mealplan:entry_lock", args=[entry.pk]), headers=HTMX)
    assert shown_days(response.content.decode()) == {WEDNESDAY.isoformat()}


def test_suggest_by_htmx_keeps_the_day_shown(user_client, planned, week_start):
    friday = week_start + timedelta(days=4)
    current = "http://testserver" + week_url(week_start, day=friday)
    response = user_client.post(
        reverse("mealplan:suggest", args=[week_start]),
        headers={**HTMX, "HX-Current-URL": current},
    )
    assert shown_days(response.content.decode()) == {friday.isoformat()}


def test_swap_options_come_in_place_and_choosing_redraws_the_grid(user_client, planned, week_start):
    entry = planned.entries.get(date=week_start, slot="lunch")
    url = reverse("mealplan:entry_swap", args=[entry.pk])
    options = user_client.get(url, headers=HTMX).content.decode()
    assert "<html" not in options and 'id="swap-options"' in options
    assert f'hx-post="{url}" hx-target="#grid"' in options
    chosen = re.findall(r'name="meal" value="(\d+)"', options)[0]
    response = user_client.post(url, {"meal": chosen}, headers=HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="grid">')
    entry.refresh_from_db()
    assert str(entry.meal_id) == chosen
    assert "Swapped in" in page


def test_a_refused_swap_by_htmx_says_why_in_the_grid(user_client, planned, week_start, catalog):
    entry = planned.entries.get(date=week_start, slot="lunch")
    url = reverse("mealplan:entry_swap", args=[entry.pk])
    response = user_client.post(url, {"meal": catalog["breakfast"][0].pk}, headers=HTMX)
    assert "alert-danger" in response.content.decode()
    entry.refresh_from_db()
    assert entry.meal == catalog["lunch"][0]


def test_swap_page_marks_a_liked_meal(user_client, user, planned, week_start):
    entry = planned.entries.get(date=week_start, slot="lunch")
    MealPreference.objects.create(user=user, meal=entry.meal, verdict=1)
    page = user_client.get(reverse("mealplan:entry_swap", args=[entry.pk])).content.decode()
    assert 'aria-pressed="true">Like' in page


# Suggest from today onward.


def cells_by_day(user, week_start) -> dict[date, int]:
    days: dict[date, int] = {}
    for day in PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start).values_list(
        "date", flat=True
    ):
        days[day] = days.get(day, 0) + 1
    return days


def test_suggest_fills_today_to_sunday_and_says_so(
    user_client, user, profile, catalog, week_start, today
):
    today(WEDNESDAY)
    page = user_client.get(week_url(week_start)).content.decode()
    assert "Fills today to Sunday" in page
    assert 'name="include_past"' in page
    user_client.post(reverse("mealplan:suggest", args=[week_start]))
    assert cells_by_day(user, week_start) == {
        WEDNESDAY + timedelta(days=offset): 4 for offset in range(5)
    }


def test_suggest_with_past_days_fills_the_whole_week(
    user_client, user, profile, catalog, week_start, today
):
    today(WEDNESDAY)
    user_client.post(reverse("mealplan:suggest", args=[week_start]), {"include_past": "on"})
    assert len(cells_by_day(user, week_start)) == 7


def test_regenerate_leaves_past_days_alone(user_client, user, planned, week_start, today):
    today(WEDNESDAY)
    before = {
        (entry.date, entry.slot): (entry.pk, entry.meal_id)
        for entry in planned.entries.filter(date__lt=WEDNESDAY)
    }
    user_client.post(reverse("mealplan:regenerate", args=[week_start]))
    after = {
        (entry.date, entry.slot): (entry.pk, entry.meal_id)
        for entry in planned.entries.filter(date__lt=WEDNESDAY)
    }
    assert after == before and len(before) == 8
    assert planned.entries.count() == 28


def test_suggesting_a_past_week_asks_for_past_days(
    user_client, user, profile, catalog, week_start, today
):
    today(WEDNESDAY + timedelta(weeks=2))
    page = user_client.get(week_url(week_start)).content.decode()
    assert "This week is over" in page
    response = user_client.post(reverse("mealplan:suggest", args=[week_start]), follow=True)
    assert "tick “Also fill past days” to plan it" in response.content.decode()
    assert cells_by_day(user, week_start) == {}


def test_a_future_week_is_filled_whole(user_client, user, profile, catalog, week_start, today):
    today(week_start - timedelta(days=3))
    page = user_client.get(week_url(week_start)).content.decode()
    assert "Fills every empty cell of the week" in page
    services.weekplan_suggest(user=user, week_start=week_start, include_past=False)
    assert len(cells_by_day(user, week_start)) == 7


def test_another_users_entry_is_404_in_place_too(client, other_user, planned, week_start):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    entry = planned.entries.get(date=week_start, slot="lunch")
    url = reverse("mealplan:entry_swap", args=[entry.pk])
    assert client.get(url, headers=HTMX).status_code == 404
    assert client.post(url, {"meal": entry.meal_id}, headers=HTMX).status_code == 404
    for name in ("entry_lock", "entry_delete", "entry_servings"):
        response = client.post(
            reverse(f"mealplan:{name}", args=[entry.pk]), {"servings": "2"}, headers=HTMX
        )
        assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.servings, entry.locked) == (1, False)
