"""The gap suggestion taken (log it, plan it) and "Re-plan the rest of my week"."""

from datetime import timedelta

import pytest
from django.urls import reverse

from foods.tests.factories import FoodFactory, PortionFactory
from mealplan import intake_services, services
from mealplan.intake_gap import gap_cache_clear
from mealplan.models import IntakeItem, PlanEntry
from mealplan.tests.factories import WEEK, fill_week

pytestmark = pytest.mark.django_db

WEDNESDAY = WEEK + timedelta(days=2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: WEDNESDAY)
    gap_cache_clear()
    yield WEDNESDAY
    gap_cache_clear()


@pytest.fixture
def seeds(db):
    food = FoodFactory(
        name="Seeds, pumpkin, roasted",
        magnesium_mg_per_100g=600.0,
        kcal_per_100g=560.0,
        diets_reviewed=True,
    )
    PortionFactory(food=food, name="1 oz", grams=28.0)
    return food


def post(client, name, **data):
    return client.post(reverse(f"mealplan:{name}"), data)


def item_data(gap_food, **changes):
    data = {"date": WEDNESDAY.isoformat(), "food": gap_food.pk, "grams": "28", "slot": "snack"}
    return data | changes


def test_log_it_logs_the_item_as_eaten(user_client, user, profile, seeds):
    response = post(user_client, "gap_log", **item_data(seeds))
    assert response.status_code == 302
    item = IntakeItem.objects.owned_by(user).get()
    assert (item.food, float(item.grams), item.date, item.slot) == (seeds, 28.0, WEDNESDAY, "snack")
    assert round(item.magnesium_mg) == 168


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"food": "999999"}, "not in the catalog"),
        ({"food": "abc"}, "not in the catalog"),
        ({"grams": "0"}, "Nothing"),
        ({"grams": "5000"}, "Nothing"),
        ({"date": (WEDNESDAY + timedelta(days=1)).isoformat()}, "not come yet"),
        ({"slot": "brunch"}, "Nothing"),
    ],
)
def test_log_it_refuses_bad_input(user_client, user, profile, seeds, changes, message):
    response = post(user_client, "gap_log", **item_data(seeds, **changes))
    assert response.status_code == 302
    assert message in " ".join(str(m) for m in response.wsgi_request._messages)
    assert not IntakeItem.objects.exists()


def test_inactive_food_is_refused(user_client, profile, seeds):
    seeds.is_active = False
    seeds.save()
    for name in ("gap_log", "gap_plan"):
        response = post(user_client, name, **item_data(seeds))
        assert response.status_code == 302
        assert "not in the catalog" in " ".join(str(m) for m in response.wsgi_request._messages)
    assert not IntakeItem.objects.exists() and not PlanEntry.objects.exists()


def test_log_in_first(client, seeds):
    for name in ("gap_log", "gap_plan", "replan_rest"):
        response = post(client, name, **item_data(seeds))
        assert response.status_code == 302 and "login" in response.url
    assert not IntakeItem.objects.exists() and not PlanEntry.objects.exists()


def test_plan_it_puts_the_item_in_a_free_snack(user_client, user, profile, seeds):
    response = post(user_client, "gap_plan", **item_data(seeds))
    assert response.status_code == 302
    entry = PlanEntry.objects.owned_by(user).get()
    assert (entry.date, entry.slot) == (WEDNESDAY, "snack")
    assert entry.meal.single_food and entry.meal.owner == user


def test_plan_it_never_replaces_an_eaten_snack_or_plans_ahead(
    user_client, user, profile, catalog, seeds
):
    fill_week(user=user, week_start=WEEK, meals=catalog)
    snack = PlanEntry.objects.get(date=WEDNESDAY, slot="snack")
    intake_services.tick_eaten(user=user, entry=snack)
    before = list(PlanEntry.objects.values_list("pk", "meal_id"))
    response = post(user_client, "gap_plan", **item_data(seeds))
    assert "already had" in " ".join(str(m) for m in response.wsgi_request._messages)
    later = item_data(seeds, date=(WEDNESDAY + timedelta(days=1)).isoformat())
    response = post(user_client, "gap_plan", **later)
    assert "today or a day gone by" in " ".join(str(m) for m in response.wsgi_request._messages)
    assert list(PlanEntry.objects.values_list("pk", "meal_id")) == before


def test_today_shows_the_suggestion_with_its_buttons(user_client, user, profile, seeds):
    response = user_client.get(reverse("intake:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="gap-suggestion"' in html
    # Nothing eaten yet: two handfuls (336 mg) are the most this catalog of one food gives.
    assert "2 handfuls (56 g) of" in html and "+336 mg" in html
    assert reverse("mealplan:gap_log") in html and reverse("mealplan:gap_plan") in html
    assert f'name="food" value="{seeds.pk}"' in html and 'name="grams" value="56.0"' in html


# Re-plan the rest of the week ----------------------------------------------------------


def cells(user):
    return {(e.date, e.slot): (e.pk, e.meal_id) for e in PlanEntry.objects.owned_by(user).all()}


def test_replan_keeps_past_days_and_logged_entries(user, profile, catalog, other_user):
    fill_week(user=user, week_start=WEEK, meals=catalog)
    fill_week(user=other_user, week_start=WEEK, meals=catalog)
    breakfast = PlanEntry.objects.owned_by(user).get(date=WEDNESDAY, slot="breakfast")
    lunch = PlanEntry.objects.owned_by(user).get(date=WEDNESDAY, slot="lunch")
    intake_services.tick_eaten(user=user, entry=breakfast)
    intake_services.skip(user=user, entry=lunch)
    before, others = cells(user), cells(other_user)

    outcome = services.weekplan_replan_rest(user=user, today=WEDNESDAY)

    after = cells(user)
    assert outcome.first_day == WEDNESDAY
    for (day, slot), entry in before.items():
        if day < WEDNESDAY or (day, slot) in {(WEDNESDAY, "breakfast"), (WEDNESDAY, "lunch")}:
            assert after[(day, slot)] == entry  # same row, same meal
        else:
            assert after[(day, slot)][0] != entry[0]  # planned again
    assert cells(other_user) == others
    assert IntakeItem.objects.filter(entry__in=[breakfast, lunch]).count() == 2


def test_replan_view_redirects_with_a_message(user_client, user, profile, catalog):
    fill_week(user=user, week_start=WEEK, meals=catalog)
    response = user_client.post(reverse("mealplan:replan_rest"), {"next": "today"})
    assert response.status_code == 302 and response.url == reverse("intake:today")
    assert list(response.wsgi_request._messages)


def test_week_page_offers_replan_in_the_current_week(user_client, profile):
    response = user_client.get(reverse("mealplan:week_detail", args=[WEEK]))
    assert response.status_code == 200
    assert 'id="replan-rest-button"' in response.content.decode()
