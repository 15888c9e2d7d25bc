"""The intake log's second round (issue 13 review): a logged entry never vanishes from Today
while it still counts, "today" is the user's own date, History's "on target" means every
rule, and "Plan it" works when a snack is already planned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.dates import today_for
from foods.tests.factories import FoodFactory
from mealplan import intake_selectors, intake_services, services
from mealplan.models import IntakeItem, PlanEntry
from mealplan.tests.factories import WEEK, fill_week

pytestmark = pytest.mark.django_db

WEDNESDAY = WEEK + timedelta(days=2)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: WEDNESDAY)
    return WEDNESDAY


@pytest.fixture
def planned(user, profile, catalog, today):
    return fill_week(user=user, week_start=WEEK, meals=catalog)


def entry(user, slot: str, day=WEDNESDAY) -> PlanEntry:
    return PlanEntry.objects.owned_by(user).get(date=day, slot=slot)


def counted_once(user, day, item: IntakeItem) -> None:
    """The row shows on Today (with its Undo) and counts once: not also as still planned."""
    view = intake_selectors.today_view(user=user, day=day, today=day)
    shown = [row.item for row in view.planned if row.item] + view.extras
    assert item in shown
    assert all(row.view.entry.slot != item.slot or row.item for row in view.planned)
    assert view.eaten.magnesium_mg == pytest.approx(item.magnesium_mg or 0)


# 1. A logged entry stays -----------------------------------------------------------------


@pytest.mark.parametrize("status", ["eaten", "skipped"])
def test_regenerate_keeps_a_logged_entry(user, planned, today, status):
    breakfast = entry(user, "breakfast")
    if status == "eaten":
        item = intake_services.tick_eaten(user=user, entry=breakfast)
    else:
        item = intake_services.skip(user=user, entry=breakfast)
    services.weekplan_suggest(user=user, week_start=WEEK, replace_unlocked=True, today=today)
    item.refresh_from_db()
    assert item.entry_id == breakfast.pk and PlanEntry.objects.filter(pk=breakfast.pk).exists()
    assert entry(user, "breakfast").meal_id == breakfast.meal_id  # the cell not planned again
    counted_once(user, today, item)


def test_clear_keeps_logged_entries_and_delete_or_swap_refuse(user, planned, today, catalog):
    breakfast, lunch = entry(user, "breakfast"), entry(user, "lunch")
    intake_services.tick_eaten(user=user, entry=breakfast)
    intake_services.skip(user=user, entry=lunch)
    removed = services.weekplan_clear(user=user, week_start=WEEK)
    assert PlanEntry.objects.filter(pk__in=[breakfast.pk, lunch.pk]).count() == 2
    assert len(removed) == 7 * 4 - 2
    with pytest.raises(services.PlanError, match="logged"):
        services.entry_delete(entry=breakfast)
    other = catalog["breakfast"][-1]
    with pytest.raises(services.PlanError, match="logged"):
        services.entry_replace(user=user, entry=breakfast, meal=other)
    with pytest.raises(services.PlanError, match="logged"):
        services.entry_add(user=user, week_start=WEEK, day=today, slot="breakfast", meal=other,
                           servings=1)  # fmt: skip
    assert entry(user, "breakfast").meal_id == breakfast.meal_id


def test_week_page_delete_of_a_logged_entry_says_why(user_client, user, planned, today):
    breakfast = entry(user, "breakfast")
    intake_services.tick_eaten(user=user, entry=breakfast)
    response = user_client.post(reverse("mealplan:entry_delete", args=[breakfast.pk]), follow=True)
    assert response.status_code == 200
    assert "logged" in response.content.decode()
    assert PlanEntry.objects.filter(pk=breakfast.pk).exists()


def test_a_deleted_entry_leaves_its_log_row_as_an_extra(user, planned, today):
    breakfast = entry(user, "breakfast")
    item = intake_services.tick_eaten(user=user, entry=breakfast)
    mg = item.magnesium_mg
    breakfast.delete()  # as a recipe's or an account's deletion does
    item.refresh_from_db()
    assert item.entry_id is None and item.source == IntakeItem.Source.EXTRA
    assert item.magnesium_mg == mg and item.status == "eaten"
    counted_once(user, today, item)


def test_an_unlinked_planned_row_shows_among_the_extras(user, planned, today):
    breakfast = entry(user, "breakfast")
    item = intake_services.tick_eaten(user=user, entry=breakfast)
    IntakeItem.objects.filter(pk=item.pk).update(entry=None)  # a row from before the fix
    view = intake_selectors.today_view(user=user, day=today, today=today)
    assert item in view.extras


# 2. Today is the user's date -------------------------------------------------------------

# 23:30 UTC on Wednesday is already 08:30 on Thursday in Tokyo.
LATE_WEDNESDAY_UTC = datetime.combine(WEDNESDAY, datetime.min.time(), UTC) + timedelta(
    hours=23, minutes=30
)


def test_today_for_uses_the_profile_zone(profile):
    profile.time_zone = "Asia/Tokyo"
    assert today_for(profile, now=LATE_WEDNESDAY_UTC) == WEDNESDAY + timedelta(days=1)
    profile.time_zone = "UTC"
    assert today_for(profile, now=LATE_WEDNESDAY_UTC) == WEDNESDAY


@pytest.fixture
def late_wednesday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_WEDNESDAY_UTC)


@pytest.mark.parametrize(("zone", "allowed"), [("Asia/Tokyo", True), ("UTC", False)])
def test_thursday_breakfast_by_the_users_clock(
    user_client, user, profile, catalog, late_wednesday, zone, allowed
):
    profile.time_zone = zone
    profile.save()
    fill_week(user=user, week_start=WEEK, meals=catalog)
    thursday = WEDNESDAY + timedelta(days=1)
    breakfast = entry(user, "breakfast", thursday)
    user_client.post(reverse("intake:entry_eaten", args=[breakfast.pk]), {"servings": "1"})
    assert IntakeItem.objects.filter(entry=breakfast).exists() is allowed
    page = user_client.get(reverse("intake:today"))
    assert page.status_code == 200
    assert page.context["intake"].day == (thursday if allowed else WEDNESDAY)
    food = FoodFactory()
    user_client.post(
        reverse("intake:log"),
        {"date": thursday.isoformat(), "slot": "snack", "food": food.pk, "grams": "30"},
    )
    assert IntakeItem.objects.filter(food=food).exists() is allowed


# 3. History: on target means every rule --------------------------------------------------


# A finished day: today counts in the share only once it is on target or ends.
TUESDAY = WEDNESDAY - timedelta(days=1)


def history_day(user, day):
    view = intake_selectors.history(user=user, today=WEDNESDAY)
    return view, next(row for row in view.days if row.date == day)


def test_history_magnesium_alone_is_not_on_target(user, profile, today):
    # Enough magnesium, but far over the kcal window: not on target, and says why.
    food = FoodFactory(magnesium_mg_per_100g=100, kcal_per_100g=900)
    intake_services.log_food(user=user, day=TUESDAY, slot="lunch", food=food, grams=500)
    view, row = history_day(user, TUESDAY)
    assert row.eaten.magnesium_mg >= profile.magnesium_target_mg
    assert row.verdict == "not on target"
    assert [rule.code for rule in row.problems] == ["kcal"]
    assert view.days_on_target == 0 and view.share_on_target == 0


def test_history_on_target_when_every_rule_holds(user, profile, today):
    window = profile.calorie_window
    mid_kcal = (window.kcal_min + window.kcal_max) / 2
    # One food with magnesium to the target and kcal in the middle of the window.
    grams = 1000
    food = FoodFactory(
        magnesium_mg_per_100g=profile.magnesium_target_mg / 10 + 1,
        kcal_per_100g=mid_kcal / 10,
        carbohydrate_g_per_100g=0,
        sodium_mg_per_100g=0,
        added_magnesium_mg_per_100g=0,
    )
    intake_services.log_food(user=user, day=TUESDAY, slot="lunch", food=food, grams=grams)
    view, row = history_day(user, TUESDAY)
    assert row.verdict == "on target", [rule.message for rule in row.problems]
    assert view.days_on_target == 1 and view.share_on_target == 100


def test_history_unknown_is_unknown(user, profile, today):
    food = FoodFactory(magnesium_mg_per_100g=None, kcal_per_100g=50)
    intake_services.log_food(user=user, day=TUESDAY, slot="lunch", food=food, grams=100)
    _, row = history_day(user, TUESDAY)
    # kcal is known and short of the window: a failed rule outweighs the unknown one.
    assert row.verdict == "not on target"
    food.kcal_per_100g = None
    food.save()
    IntakeItem.objects.filter(food=food).update(kcal=None)
    _, row = history_day(user, TUESDAY)
    assert row.verdict == "unknown"


def test_history_page_says_which_rule_and_counts_all_rules(
    user_client, user, profile, today, django_assert_max_num_queries
):
    food = FoodFactory(magnesium_mg_per_100g=100, kcal_per_100g=900)
    for offset in range(10):
        intake_services.log_food(user=user, day=today - timedelta(days=offset), slot="lunch",
                                 food=food, grams=500)  # fmt: skip
    with django_assert_max_num_queries(20):
        response = user_client.get(reverse("intake:history"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Target reached" not in page
    assert "not on target" in page and "Energy" in page
    assert "every rule" in page


# 4. "Plan it" when the day already has a snack -------------------------------------------


@pytest.fixture
def seeds(db):
    from foods.tests.factories import PortionFactory

    food = FoodFactory(
        name="Seeds, pumpkin, roasted", magnesium_mg_per_100g=600.0, kcal_per_100g=560.0,
        carbohydrate_g_per_100g=10, sodium_mg_per_100g=5, diets_reviewed=True,
    )  # fmt: skip
    PortionFactory(food=food, name="1 oz", grams=28.0)
    return food


def plan_it(client, food, grams):
    response = client.post(
        reverse("mealplan:gap_plan"),
        {"date": WEDNESDAY.isoformat(), "food": food.pk, "grams": str(grams), "slot": "snack"},
    )
    assert response.status_code == 302
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_plan_it_takes_the_cell_of_a_skipped_snack(user_client, user, planned, today, seeds):
    snack = entry(user, "snack")
    intake_services.skip(user=user, entry=snack)
    said = plan_it(user_client, seeds, 28)
    assert "in place of" in said, said
    snack = entry(user, "snack")
    assert snack.meal.single_food and "pumpkin" in snack.meal.name.lower()
    assert not IntakeItem.objects.filter(entry=snack).exists()  # planned, to tick when eaten


def test_plan_it_replaces_a_snack_not_yet_eaten_when_the_day_still_closes(
    user_client, user, planned, today, seeds
):
    intake_services.skip(user=user, entry=entry(user, "lunch"))
    old = entry(user, "snack").meal
    said = plan_it(user_client, seeds, 56)  # 336 mg in place of a 60 mg snack
    assert "in place of" in said and old.name in said, said
    assert entry(user, "snack").meal.single_food


def test_plan_it_refuses_when_replacing_the_snack_leaves_the_day_short(
    user_client, user, planned, today, seeds
):
    intake_services.skip(user=user, entry=entry(user, "lunch"))
    old = entry(user, "snack").meal_id
    said = plan_it(user_client, seeds, 28)  # 168 mg in place of 60 mg: still short
    assert "Nothing planned" in said and "Log it" in said, said
    assert entry(user, "snack").meal_id == old


def test_plan_it_never_replaces_an_eaten_snack(user_client, user, planned, today, seeds):
    intake_services.tick_eaten(user=user, entry=entry(user, "snack"))
    old = entry(user, "snack").meal_id
    said = plan_it(user_client, seeds, 56)
    assert "Nothing planned" in said and "already" in said, said
    assert entry(user, "snack").meal_id == old


# 5. A household member's Today points to the household week ------------------------------


def test_today_points_a_member_to_the_household_week(user_client, user, profile, catalog, today):
    from accounts.tests.factories import household_with_owner
    from mealplan.models import EntryPortion, WeekPlan
    from mealplan.tests.factories import PlanEntryFactory

    household = household_with_owner(owner=user)
    plan = WeekPlan.objects.create(user=user, household=household, week_start=WEEK)
    shared = PlanEntryFactory(plan=plan, date=today, slot="dinner", meal=catalog["dinner"][0])
    EntryPortion.objects.create(entry=shared, member=household.members.get(user=user), servings=1)
    response = user_client.get(reverse("intake:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="household-note"' in html
    assert reverse("mealplan:household_week_detail", args=[WEEK]) in html
    other_day = user_client.get(reverse("intake:today") + f"?day={today - timedelta(days=1)}")
    assert 'id="household-note"' not in other_day.content.decode()


def test_api_delete_of_a_logged_entry_is_refused(user, planned, today):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    breakfast = entry(user, "breakfast")
    intake_services.tick_eaten(user=user, entry=breakfast)
    response = api.delete(f"/api/v1/entries/{breakfast.pk}/")
    assert response.status_code == 400 and "logged" in response.content.decode()
    assert PlanEntry.objects.filter(pk=breakfast.pk).exists()


def test_clear_page_counts_what_goes_and_says_logged_meals_stay(user_client, user, planned, today):
    intake_services.tick_eaten(user=user, entry=entry(user, "breakfast"))
    response = user_client.get(reverse("mealplan:week_clear", args=[WEEK]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove 27 entries" in html and "1 meal logged on Today stays" in html
