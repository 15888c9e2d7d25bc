from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from foods.tests.factories import (
    CategoryFactory,
    FoodFactory,
    IngredientFactory,
    MealFactory,
    PortionFactory,
)
from mealplan.models import PlanEntry, ShoppingTick, WeekPlan
from mealplan.shopping import portion_text, shopping_list, source_group
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def spinach():
    food = FoodFactory(name="Spinach, raw", category=CategoryFactory(name="Vegetables"))
    PortionFactory(food=food, name="1 cup", grams=30)
    return food


@pytest.fixture
def shot():
    food = FoodFactory(
        name="Immune Support",
        brand="Vitaminis",
        kind="branded",
        category=CategoryFactory(name="Beverages"),
        magnesium_mg_per_100g=208,
        added_magnesium_mg_per_100g=208,
    )
    PortionFactory(food=food, name="1 shot", grams=60)
    return food


@pytest.fixture
def salad(spinach):
    """A two-serving salad: 120 g spinach for the whole recipe, 60 g a serving."""
    meal = MealFactory(name="Spinach salad", servings=2)
    IngredientFactory(meal=meal, food=spinach, grams=120)
    return meal


@pytest.fixture
def shot_meal(shot):
    meal = MealFactory(name="Juice shot", fits_snack=True, servings=1)
    IngredientFactory(meal=meal, food=shot, grams=60)
    return meal


def plan(user, week_start, cells):
    """Put (day offset, slot, meal, servings) cells in the user's week."""
    week = WeekPlan.objects.create(user=user, week_start=week_start)
    for offset, slot, meal, servings in cells:
        PlanEntry.objects.create(
            plan=week,
            date=week_start + timedelta(days=offset),
            slot=slot,
            meal=meal,
            servings=Decimal(servings),
        )
    return week


def shopping_url(start, end):
    return reverse("mealplan:shopping") + f"?start={start}&end={end}"


@pytest.mark.parametrize(
    ("count", "name", "text"),
    [
        (8, "1 cup", "8 cups"),
        (8.1, "1 cup, raw", "8 cups, raw"),
        (1, "1 cup", "1 cup"),
        (0.4, "1 cup", "½ cup"),
        (0.1, "1 tbsp", "¼ tbsp"),
        (2.74, "1 medium", "2½ medium"),
        (12.4, "1 slice", "12 slices"),
        (3, "1 shot", "3 shots"),
        (2, "1 pinch", "2 pinches"),
        (2, "1 patty", "2 patties"),
        (2, "1 oz", "2 oz"),
        (2, "100 g", "2 × 100 g"),
    ],
)
def test_portion_text_rounds_and_pluralises(count, name, text):
    assert portion_text(count, name) == text


def test_source_groups(spinach, shot):
    assert source_group(spinach) == "Greens and vegetables"
    assert source_group(shot) == "Products"
    almonds = FoodFactory(
        category=CategoryFactory(name="Nut and Seed Products", usda_group_code="1200")
    )
    beef = FoodFactory(category=CategoryFactory(name="Beef Products", usda_group_code="1300"))
    assert source_group(almonds) == "Nuts and seeds"
    assert source_group(beef) == "Other"


def test_amounts_scale_by_recipe_and_entry_servings(user, week_start, salad, shot_meal):
    plan(
        user,
        week_start,
        [(0, "lunch", salad, "2"), (1, "lunch", salad, "1.5"), (0, "snack", shot_meal, "1")]
        + [(day, "snack", shot_meal, "1") for day in (1, 2)],
    )
    result = shopping_list(user=user, start=week_start, end=week_start + timedelta(days=6))
    [group] = result.groups
    [item] = group.items
    # 60 g a serving x (2 + 1.5) servings = 210 g = 7 cups of 30 g.
    assert group.name == "Vegetables"
    assert round(item.grams) == 210
    assert item.household == "7 cups"
    [product] = result.products
    assert product.household == "3 shots"


def test_page_lists_foods_and_products(user_client, user, profile, week_start, salad, shot_meal):
    plan(
        user,
        week_start,
        [(0, "lunch", salad, "4"), *[(d, "snack", shot_meal, "1") for d in range(3)]],
    )
    response = user_client.get(shopping_url(week_start, week_start + timedelta(days=6)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Spinach, raw &mdash; 240 g (8 cups)" in page
    assert "Vitaminis Immune Support &mdash; 3 shots" in page
    assert '<h2 class="h5">Vegetables</h2>' in page


def test_default_range_is_this_week(user_client, profile):
    response = user_client.get(reverse("mealplan:shopping"))
    assert response.status_code == 200
    assert response.context["shopping"].days == 7
    assert "nothing to buy" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-23", "2026-12-24", "at most 31 days"),
        ("2026-11-23", "2026-11-22", "must not be before"),
        ("2026-11-23", "not-a-date", "Enter a valid date"),
        ("2026-02-31", "2026-03-01", "Enter a valid date"),
    ],
)
def test_bad_range_gets_a_message(user_client, profile, start, end, message):
    response = user_client.get(shopping_url(start, end))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_31_days_is_allowed(user_client, profile, week_start):
    response = user_client.get(shopping_url(week_start, week_start + timedelta(days=30)))
    assert response.status_code == 200


def test_only_my_entries_are_listed(user_client, other_user, week_start, salad, profile):
    plan(other_user, week_start, [(0, "lunch", salad, "1")])
    response = user_client.get(shopping_url(week_start, week_start + timedelta(days=6)))
    assert "Spinach" not in response.content.decode()


def test_tick_toggles_and_persists(user_client, user, profile, week_start, salad, spinach):
    plan(user, week_start, [(0, "lunch", salad, "1")])
    end = week_start + timedelta(days=6)
    data = {"start": week_start, "end": end, "food": spinach.pk}
    response = user_client.post(reverse("mealplan:shopping_tick"), data)
    assert response.status_code == 302
    assert response.url == shopping_url(week_start, end) + f"#food-{spinach.pk}"
    assert ShoppingTick.objects.filter(user=user, food=spinach).exists()
    page = user_client.get(shopping_url(week_start, end)).content.decode()
    assert 'aria-pressed="true"' in page
    user_client.post(reverse("mealplan:shopping_tick"), data)
    assert not ShoppingTick.objects.exists()


def test_tick_with_htmx_returns_the_list(user_client, user, profile, week_start, salad, spinach):
    plan(user, week_start, [(0, "lunch", salad, "1")])
    data = {"start": week_start, "end": week_start + timedelta(days=6), "food": spinach.pk}
    response = user_client.post(
        reverse("mealplan:shopping_tick"), data, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="shopping-list">')
    assert 'aria-pressed="true"' in page


def test_ticks_are_per_user(client, user, other_user, week_start, salad, spinach):
    ShoppingTick.objects.create(
        user=other_user, start=week_start, end=week_start + timedelta(days=6), food=spinach
    )
    result = shopping_list(user=user, start=week_start, end=week_start + timedelta(days=6))
    assert result.ticked_count == 0


def test_tick_rejects_bad_input_and_get(user_client, profile, week_start, spinach):
    url = reverse("mealplan:shopping_tick")
    assert user_client.get(url).status_code == 405
    data = {"start": week_start, "end": week_start + timedelta(days=40), "food": spinach.pk}
    response = user_client.post(url, data, follow=True)
    assert "Nothing ticked" in response.content.decode()
    response = user_client.post(url, {**data, "end": week_start, "food": 999999}, follow=True)
    assert "valid choice" in response.content.decode()
    assert not ShoppingTick.objects.exists()


def test_tick_needs_csrf(user, week_start, spinach):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    data = {"start": week_start, "end": week_start, "food": spinach.pk}
    assert client.post(reverse("mealplan:shopping_tick"), data).status_code == 403


def test_shopping_requires_login(client):
    response = client.get(reverse("mealplan:shopping"))
    assert response.status_code == 302


def test_query_count_is_constant(
    user_client, user, profile, catalog, week_start, django_assert_max_num_queries
):
    url = shopping_url(week_start, week_start + timedelta(days=6))
    user_client.get(url)
    with django_assert_max_num_queries(7):
        user_client.get(url)
    fill_week(user=user, week_start=week_start, meals=catalog)
    for food_meals in catalog.values():
        for meal in food_meals:
            PortionFactory(food=meal.ingredients.first().food)
    with django_assert_max_num_queries(7):
        response = user_client.get(url)
    assert len(response.context["shopping"].groups[0].items) > 10
