"""Every rule of a day held or named: caps shown, the safety limit a limit, unknown not 0."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from foods.tests.factories import meal_with
from mealplan import planning, services
from mealplan.models import PlanEntry, WeekPlan
from mealplan.selectors import week_view

pytestmark = pytest.mark.django_db


@pytest.fixture
def shot(db):
    """A fortified juice shot: 125 mg of added magnesium in one 60 g shot, kcal unknown."""
    return meal_with(
        slots=("snack",), grams=60, kcal_per_100g=None, magnesium_mg_per_100g=208.34,
        added_magnesium_mg_per_100g=208.34, name="juice shot",
    )  # fmt: skip


def test_a_hand_edit_over_the_added_magnesium_limit_is_refused(user, profile, shot, week_start):
    entry = services.entry_add(
        user=user, week_start=week_start, day=week_start, slot="snack", meal=shot,
        servings=Decimal("2"),
    )  # fmt: skip
    with pytest.raises(services.PlanError, match="over the 350 mg daily limit"):
        services.entry_set_servings(user=user, entry=entry, servings=Decimal("3"))
    entry.refresh_from_db()
    assert entry.servings == 2


def test_the_servings_view_refuses_the_limit_with_a_message(user_client, profile, shot, week_start):
    entry = services.entry_add(
        user=profile.user, week_start=week_start, day=week_start, slot="snack", meal=shot,
        servings=Decimal("1"),
    )  # fmt: skip
    url = reverse("mealplan:entry_servings", args=[entry.pk])
    page = user_client.post(url, {"servings": "3"}, follow=True).content.decode()
    assert "over the 350 mg daily limit" in page
    entry.refresh_from_db()
    assert entry.servings == 1


def test_breaking_kcal_by_hand_is_allowed_and_flagged(user, profile, catalog, week_start):
    services.entry_add(
        user=user, week_start=week_start, day=week_start, slot="lunch",
        meal=catalog["lunch"][0], servings=Decimal("4"),
    )  # fmt: skip
    day = week_view(user=user, week_start=week_start).days[0]
    assert not day.ok
    assert [rule.code for rule in day.failing] == ["kcal"]  # 480 mg: magnesium is fine
    kcal = next(rule for rule in day.rules if rule.code == "kcal")
    assert kcal.message == "2,600 kcal: 400 above your window"


def test_a_meal_with_an_unknown_kcal_is_never_suggested(user, profile, catalog, shot):
    catalog_arrays, meals = planning.candidate_catalog(user=user, profile=profile)
    assert shot.pk in meals  # it suits the user and can be added by hand
    assert shot.pk not in set(catalog_arrays.meal_ids.tolist())  # but the planner never sees it


def test_an_unknown_kcal_makes_the_day_at_least_and_never_on_target(
    user_client, user, profile, catalog, shot, week_start
):
    services.weekplan_suggest(user=user, week_start=week_start, seed=3)
    day = week_view(user=user, week_start=week_start).days[0]
    assert day.ok
    PlanEntry.objects.filter(plan__user=user, date=week_start, slot="snack").delete()
    services.entry_add(
        user=user, week_start=week_start, day=week_start, slot="snack", meal=shot,
        servings=Decimal("1"),
    )  # fmt: skip
    day = week_view(user=user, week_start=week_start).days[0]
    kcal = next(rule for rule in day.rules if rule.code == "kcal")
    assert kcal.state == "unknown" and kcal.message.startswith("at least ")
    assert "1 item unknown" in kcal.message
    assert not day.ok
    page = user_client.get(reverse("mealplan:week_detail", args=[week_start])).content.decode()
    assert "cannot tell: values unknown" in page
    shot_cell = page[page.index(f'id="cell-{week_start.isoformat()}-snack"') :]
    shot_cell = shot_cell[: shot_cell.index("</td>")]
    assert "kcal unknown" in shot_cell  # never "0 kcal"
    assert "0&nbsp;kcal" not in shot_cell


def test_the_carbohydrate_cap_is_shown_on_every_planned_day(
    user_client, profile, catalog, week_start
):
    profile.carbohydrate_max_g = 150
    profile.save()
    url = reverse("mealplan:suggest", args=[week_start])
    page = user_client.post(url, {"include_past": "on"}, follow=True).content.decode()
    assert "at most <strong>150 g carbohydrate</strong>" in page
    assert page.count('data-rule="carbohydrate"') == 7
    assert "(cap ≤ 150 g)" in page


def test_no_carbohydrate_line_without_a_cap(user_client, profile, planned_or_suggested):
    page = user_client.get(
        reverse("mealplan:week_detail", args=[planned_or_suggested])
    ).content.decode()
    assert page.count('data-rule="kcal"') == 7
    assert 'data-rule="carbohydrate"' not in page


@pytest.fixture
def planned_or_suggested(user, profile, catalog, week_start):
    services.weekplan_suggest(user=user, week_start=week_start, seed=1)
    return week_start


def test_consecutive_weeks_differ(user, profile, catalog, week_start):
    services.weekplan_suggest(user=user, week_start=week_start, seed=0)
    following = week_start + timedelta(weeks=1)
    services.weekplan_suggest(user=user, week_start=following, seed=0)

    def cells(monday):
        return {
            ((e.date - monday).days, e.slot): e.meal_id
            for e in PlanEntry.objects.filter(plan__user=user, plan__week_start=monday)
        }

    first, second = cells(week_start), cells(following)
    same = sum(1 for cell, meal in second.items() if first.get(cell) == meal)
    assert same <= len(second) / 4


def test_suggest_message_names_what_fails(user_client, profile, catalog, week_start):
    profile.magnesium_target_override_mg = 900
    profile.override_agreed_with_professional = True
    profile.save()
    url = reverse("mealplan:suggest", args=[week_start])
    page = user_client.post(url, {"include_past": "on"}, follow=True).content.decode()
    assert "0 of 7 days on target" in page
    assert "Not on target — Mon: " in page and "magnesium short" in page
    assert "every rule holds" not in page


def test_suggest_without_a_profile_asks_for_one_first(client, user, week_start):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("mealplan:suggest", args=[week_start]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "birth date and sex first" in response.content.decode()
    assert not PlanEntry.objects.exists()


@pytest.mark.parametrize("servings", ["abc", "0", "0.3", "5", "1e9", "1.3"])
def test_bad_servings_are_refused_and_nothing_saved(
    user_client, profile, catalog, week_start, servings
):
    entry = services.entry_add(
        user=profile.user, week_start=week_start, day=week_start, slot="lunch",
        meal=catalog["lunch"][0], servings=Decimal("1"),
    )  # fmt: skip
    url = reverse("mealplan:entry_servings", args=[entry.pk])
    page = user_client.post(url, {"servings": servings}, follow=True).content.decode()
    assert "Servings not changed" in page
    entry.refresh_from_db()
    assert entry.servings == 1


def test_a_refused_add_leaves_no_empty_week_behind(user_client, profile, catalog, week_start):
    url = reverse("mealplan:add_entry", args=[week_start])
    data = {"date": week_start.isoformat(), "slot": "breakfast", "servings": "1"}
    user_client.post(url, {**data, "meal": catalog["dinner"][0].pk}, follow=True)
    assert not WeekPlan.objects.exists()


def test_a_day_on_target_says_when_variety_gave_way(user_client, user, planned_week, week_start):
    plan = WeekPlan.objects.get(user=user, week_start=week_start)
    monday = week_start.isoformat()
    plan.report = {
        monday: {"binding": None, "proven": False, "best_possible_mg": None,
                 "relaxed": ["variety"], "empty_slots": []},
    }  # fmt: skip
    plan.save()
    week = week_view(user=user, week_start=week_start)
    day = week.days[0]
    assert day.ok
    assert "relaxed variety" in day.explanation.relaxed
    assert week.days[1].explanation is None  # nothing relaxed, nothing empty: nothing to say
    page = user_client.get(reverse("mealplan:week_detail", args=[week_start])).content.decode()
    assert page.count("the planner relaxed variety") == 1


def test_one_day_status_for_the_api_the_mail_and_the_page(user, profile, catalog, shot, week_start):
    """DayView.status and status_text are the one wording: never "on target" while unknown."""
    from mealplan.plan_mail import day_status as mail_status

    services.weekplan_suggest(user=user, week_start=week_start, seed=3)
    entries = PlanEntry.objects.filter(plan__user=user)
    entries.filter(date=week_start, slot="snack").delete()
    services.entry_add(
        user=user, week_start=week_start, day=week_start, slot="snack", meal=shot,
        servings=Decimal("1"),
    )  # fmt: skip
    entries.filter(date=week_start + timedelta(days=1), slot="lunch").update(servings=4)
    entries.filter(date=week_start + timedelta(days=2)).delete()
    monday, tuesday, wednesday, thursday = week_view(user=user, week_start=week_start).days[:4]
    assert (monday.status, monday.status_text) == ("unknown", "cannot tell: values unknown")
    assert tuesday.status in ("short", "unreachable")
    assert tuesday.status_text == "not on target"
    assert (wednesday.status, wednesday.status_text) == ("empty", "nothing planned")
    assert (thursday.status, thursday.status_text) == ("reached", "on target")
    assert mail_status(monday).startswith("cannot tell: values unknown (")
    assert mail_status(tuesday).startswith("not on target: ")
    assert mail_status(wednesday) == "nothing planned"
    assert mail_status(thursday) == "on target"
