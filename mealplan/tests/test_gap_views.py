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


def test_log_it_keeps_the_portions_name(user_client, user, profile, seeds):
    post(user_client, "gap_log", **item_data(seeds, grams="56.0"))
    item = IntakeItem.objects.owned_by(user).get()
    assert item.name == "Seeds, pumpkin, roasted, 2 handfuls (56 g)"  # never "…, 56 g"
    page = user_client.get(reverse("intake:today")).content.decode()
    assert "2 handfuls (56 g)" in page


def test_log_it_without_a_matching_portion_says_grams(user_client, user, profile, seeds):
    post(user_client, "gap_log", **item_data(seeds, grams="40"))
    assert IntakeItem.objects.owned_by(user).get().name == "Seeds, pumpkin, roasted, 40 g"


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


def test_replan_counts_what_was_eaten_today(user, profile, catalog, monkeypatch):
    from mealplan import planner
    from mealplan.intake_selectors import day_totals

    fill_week(user=user, week_start=WEEK, meals=catalog)
    breakfast = PlanEntry.objects.owned_by(user).get(date=WEDNESDAY, slot="breakfast")
    lunch = PlanEntry.objects.owned_by(user).get(date=WEDNESDAY, slot="lunch")
    intake_services.tick_eaten(user=user, entry=breakfast, servings="0.5")
    intake_services.skip(user=user, entry=lunch)
    extra = FoodFactory(magnesium_mg_per_100g=300.0, kcal_per_100g=500.0)
    intake_services.log_food(user=user, day=WEDNESDAY, slot="snack", food=extra, grams=30)
    calls = []
    real = planner.plan_week

    def spy(*args, **kwargs):
        calls.append(kwargs["fixed"])
        return real(*args, **kwargs)

    monkeypatch.setattr(planner, "plan_week", spy)
    services.weekplan_replan_rest(user=user, today=WEDNESDAY)

    today_fixed = [f for f in calls[0] if f.day == 2]
    eaten = day_totals(user, WEDNESDAY)
    # Half a breakfast and the extra, not a whole planned breakfast; lunch counts nothing.
    assert sum(f.magnesium_mg for f in today_fixed) == pytest.approx(eaten.magnesium_mg)
    assert sum(f.kcal for f in today_fixed) == pytest.approx(eaten.kcal)
    in_cells = {f.slot: f for f in today_fixed if f.in_cell}
    assert set(in_cells) == {0}  # breakfast keeps its cell and meal (variety), adds nothing
    assert in_cells[0].meal_id == breakfast.meal_id and in_cells[0].magnesium_mg == 0
    # The eaten contribution takes no cell: today's snack and dinner are planned again.
    after = PlanEntry.objects.owned_by(user).filter(date=WEDNESDAY)
    assert {e.slot for e in after} >= {"breakfast", "lunch", "dinner"}


def test_an_eaten_contribution_takes_no_cell():
    from mealplan import planner
    from mealplan.planner.problem import prepare

    catalog = planner.Catalog.from_rows(
        [
            planner.MealRow(
                meal_id=1,
                slots=frozenset(planner.SLOTS),
                kcal=500.0,
                magnesium_mg=100.0,
                added_magnesium_mg=0.0,
                carbohydrate_g=0.0,
                sodium_mg=0.0,
            )
        ]  # fmt: skip
    )
    eaten = planner.FixedEntry(day=0, slot=0, meal_id=0, servings=1.0, kcal=300.0,
                               magnesium_mg=120.0, added_magnesium_mg=0.0, carbohydrate_g=0.0,
                               sodium_mg=0.0, in_cell=False)  # fmt: skip
    rules = planner.Rules(magnesium_target_mg=400, kcal_min=1800, kcal_max=2200)
    problem = prepare(catalog, rules, 1, [eaten], None, 0)
    assert problem.fill[0].all()  # every cell of the day still to fill
    assert problem.fixed_totals[0][1] == pytest.approx(120.0)


def test_replan_view_redirects_with_a_message(user_client, user, profile, catalog):
    fill_week(user=user, week_start=WEEK, meals=catalog)
    response = user_client.post(reverse("mealplan:replan_rest"), {"next": "today"})
    assert response.status_code == 302 and response.url == reverse("intake:today")
    assert list(response.wsgi_request._messages)


def test_week_page_offers_replan_in_the_current_week(user_client, profile):
    response = user_client.get(reverse("mealplan:week_detail", args=[WEEK]))
    assert response.status_code == 200
    assert 'id="replan-rest-button"' in response.content.decode()
