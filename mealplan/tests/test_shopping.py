from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from foods.buying import STORE_SECTIONS
from foods.models import Meal
from foods.tests.factories import (
    CategoryFactory,
    FoodFactory,
    IngredientFactory,
    MealFactory,
    PortionFactory,
)
from mealplan import services
from mealplan.models import PlanEntry, ShoppingTick, WeekPlan
from mealplan.shopping import (
    HOUSEHOLD_TOLERANCE,
    household_measure,
    portion_text,
    shopping_list,
    source_group,
    weight_text,
)
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
    produce, drinks = result.groups
    [item] = produce.items
    # 60 g a serving x (2 + 1.5) servings = 210 g = 7 cups of 30 g.
    assert produce.name == "Produce"
    assert round(item.grams) == 210
    assert item.amount == "210 g (7 cups)"
    [product] = drinks.items
    assert (drinks.name, product.amount) == ("Drinks & products", "3 shots")


def test_page_lists_foods_and_products(user_client, user, profile, week_start, salad, shot_meal):
    plan(
        user,
        week_start,
        [(0, "lunch", salad, "4"), *[(d, "snack", shot_meal, "1") for d in range(3)]],
    )
    response = user_client.get(shopping_url(week_start, week_start + timedelta(days=6)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Spinach &mdash; 240 g (8 cups)" in page
    assert "Vitaminis Immune Support &mdash; 3 shots" in page
    assert "Vitaminis Vitaminis" not in page
    assert page.index('<h2 class="h5">Produce</h2>') < page.index(
        '<h2 class="h5">Drinks &amp; products</h2>'
    )
    assert 'aria-label="Tick off Spinach"' in page


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


def portions(food, *measures):
    return [
        PortionFactory(food=food, name=name, grams=grams, seq=seq, is_default=seq == 0)
        for seq, (name, grams) in enumerate(measures)
    ]


def test_a_measure_is_shown_only_when_it_approximates_the_grams():
    lemon = FoodFactory(name="Lemon juice, raw")
    measures = portions(lemon, ("1 cup", 244), ("1 fl oz", 30.5), ("1 lemon yields", 48))
    # A quarter cup is 61 g, four times 15 g: never shown; half a fluid ounce is 15.25 g.
    assert household_measure(15, measures) == "½ fl oz"
    assert household_measure(15, measures[:1]) == ""
    assert household_measure(244, measures) == "1 cup"


def test_weights_and_servings_are_not_household_measures():
    ham = FoodFactory(name="Ham, sliced, regular")
    measures = portions(ham, ("56 grams 1 serving", 56), ("1 slice", 28))
    assert household_measure(40, measures) == "1½ slices"
    assert household_measure(40, measures[:1]) == ""
    oz = portions(FoodFactory(), ("1 oz", 28.35), ("1 NLEA serving", 85))
    assert household_measure(28, oz) == ""


def test_too_many_of_a_measure_is_grams_only():
    salt = portions(FoodFactory(name="Salt, table"), ("1 tsp", 6))
    assert household_measure(18, salt) == "3 tsp"
    assert household_measure(120, salt) == ""


@pytest.mark.parametrize(
    ("grams", "text"),
    [(8.44, "8.4 g"), (240, "240 g"), (999.6, "1,000 g"), (1000, "1 kg"), (1955, "1.96 kg")],
)
def test_weight_text(grams, text):
    assert weight_text(grams) == text


@pytest.fixture
def grains():
    return CategoryFactory(name="Cereal Grains and Pasta", usda_group_code="2000")


def test_cooked_grains_are_bought_dry_by_plain_name(user, week_start, grains):
    rice = FoodFactory(name="Rice, brown, long-grain, cooked", category=grains)
    PortionFactory(food=rice, name="1 cup", grams=202)
    meal = MealFactory(name="Rice bowl")
    IngredientFactory(meal=meal, food=rice, grams=1955 / 7)
    plan(user, week_start, [(day, "lunch", meal, "1") for day in range(7)])

    result = shopping_list(user=user, start=week_start, end=week_start + timedelta(days=6))

    [group] = result.groups
    [item] = group.items
    assert group.name == "Grains & pasta"
    # 1,955 g cooked x 0.34 (SR28 dry-matter balance) = 665 g of dry rice.
    assert (item.name, item.amount) == ("Brown rice (dry)", "665 g (makes about 1.96 kg cooked)")


def test_a_curated_shopping_name_wins(user, week_start, grains):
    oats = FoodFactory(
        name="Cereals, oats, regular and quick, not fortified, dry",
        shopping_name="Rolled oats",
        category=grains,
    )
    meal = MealFactory(name="Porridge")
    IngredientFactory(meal=meal, food=oats, grams=45)
    plan(user, week_start, [(0, "breakfast", meal, "1")])
    [group] = shopping_list(user=user, start=week_start, end=week_start).groups
    assert group.items[0].name == "Rolled oats"


def test_canned_foods_are_bought_in_whole_cans(user, week_start):
    tomatoes = FoodFactory(
        name="Tomatoes, red, ripe, canned, packed in tomato juice",
        shopping_name="Canned tomatoes",
    )
    portions(tomatoes, ("1 cup", 240), ("1 can", 190))
    meal = MealFactory(name="Stew")
    IngredientFactory(meal=meal, food=tomatoes, grams=150)
    plan(user, week_start, [(0, "dinner", meal, "1"), (1, "dinner", meal, "1")])
    end = week_start + timedelta(days=6)

    [item] = shopping_list(user=user, start=week_start, end=week_start).groups[0].items
    assert item.amount == "1 can (190 g)"
    [item] = shopping_list(user=user, start=week_start, end=end).groups[0].items
    assert item.amount == "2 cans (190 g each)"


def test_a_product_named_without_its_brand_gets_it_once(user, week_start, shot):
    shot.name = "Immune Support"
    shot.save()
    meal = MealFactory(name="Shot")
    IngredientFactory(meal=meal, food=shot, grams=60)
    plan(user, week_start, [(0, "snack", meal, "1")])
    [item] = shopping_list(user=user, start=week_start, end=week_start).groups[0].items
    assert (item.name, item.amount) == ("Vitaminis Immune Support", "1 shot")


def test_sections_follow_the_shop(user, week_start, grains):
    foods = [
        FoodFactory(name="Beans, black, mature seeds, cooked", category=CategoryFactory(
            name="Legumes and Legume Products", usda_group_code="1600")),
        FoodFactory(name="Salmon, cooked", category=CategoryFactory(
            name="Finfish and Shellfish Products", usda_group_code="1500")),
        FoodFactory(name="Spinach, raw", category=CategoryFactory(
            name="Vegetables and Vegetable Products", usda_group_code="1100")),
        FoodFactory(name="Peas, green, frozen, cooked", category=CategoryFactory(
            name="Vegetables and Vegetable Products", usda_group_code="1100")),
        FoodFactory(name="Quinoa, cooked", category=grains),
    ]  # fmt: skip
    meal = MealFactory(name="Bowl")
    for food in foods:
        IngredientFactory(meal=meal, food=food)
    plan(user, week_start, [(0, "lunch", meal, "1")])
    result = shopping_list(user=user, start=week_start, end=week_start)
    assert [(group.name, [item.name for item in group.items]) for group in result.groups] == [
        ("Produce", ["Spinach"]),
        ("Grains & pasta", ["Quinoa (dry)"]),
        ("Legumes", ["Black beans (dry)"]),
        ("Meat & fish", ["Salmon"]),
        ("Frozen & other", ["Green peas"]),
    ]


@pytest.mark.parametrize(
    ("measures", "grams", "text"),
    [
        # Notes in parentheses and vague alternatives are dropped.
        ([("1 cup, cubes", 150), ("1 avocado, NS as to Florida or California", 201)], 412,
         "2 avocados"),
        ([("1 medium (2\" dia, 5\" long, raw)", 114)], 225, "2 medium"),
        ([("1 cup 1\" pieces, loosely packed", 16)], 128, "8 cups, loosely packed"),
        # A measure for several is read per one: "2 tbsp" of 32 g is 16 g a tablespoon.
        ([("2 tbsp", 32), ("1 cup", 258)], 48, "3 tbsp"),
        ([(".5 cup", 80)], 120, "¾ cup"),
        # Whole things to count beat cups; then the default portion; then the closest.
        ([("1 large", 50), ("1 cup (4.86 large eggs)", 243), ("1 jumbo", 63)], 412, "8 large"),
        ([("1 cup", 243), ("1 large", 50), ("1 jumbo", 63)], 412, "6½ jumbo"),
        ([("1 individual packet", 8.9)], 64, "7 individual packet"),
    ],
)  # fmt: skip
def test_household_measures_read_like_a_shopping_list(measures, grams, text):
    assert household_measure(grams, portions(FoodFactory(), *measures)) == text


@pytest.fixture
def curated(db):
    call_command("load_catalog", "--only-needed", "--no-progress", stdout=StringIO())


def test_every_curated_meal_gives_a_plain_shopping_list(curated, user, week_start):
    """Plan every curated meal once and read the list a shopper would get."""
    slots = ("breakfast", "lunch", "dinner", "snack")
    meals = list(Meal.objects.order_by("pk"))
    weeks = {}
    for index, meal in enumerate(meals):
        monday = week_start + timedelta(weeks=index // 28)
        week = weeks.get(monday) or WeekPlan.objects.create(user=user, week_start=monday)
        weeks[monday] = week
        day = monday + timedelta(days=index % 28 // 4)
        PlanEntry.objects.create(plan=week, date=day, slot=slots[index % 4], meal=meal)
    end = max(weeks) + timedelta(days=6)

    result = shopping_list(user=user, start=week_start, end=end)

    sections = [group.name for group in result.groups]
    assert sections == [name for name in STORE_SECTIONS if name in sections]
    items = {item.food.name: item for group in result.groups for item in group.items}
    for item in items.values():
        assert "," not in item.name, item.name  # a plain name, not a USDA description
        assert " × " not in item.amount and "grams" not in item.amount, item.amount
        assert not item.name.startswith("Vitaminis Vitaminis")
    assert items["Rice, brown, long-grain, cooked"].name == "Brown rice (dry)"
    measures = [item for item in items.values() if item.measure]
    assert len(measures) > len(items) / 2
    for item in measures:  # every measure shown stands for about the grams
        assert abs(item.measure.grams - item.grams) <= HOUSEHOLD_TOLERANCE * item.grams, item
    assert items["Vitaminis Immune Support"].amount == "1 shot"


def test_tick_set_is_idempotent(user, week_start, spinach):
    end = week_start + timedelta(days=6)
    args = {"user": user, "start": week_start, "end": end, "food_id": spinach.pk}
    services.shopping_tick_set(**args, ticked=True)
    services.shopping_tick_set(**args, ticked=True)
    assert ShoppingTick.objects.filter(user=user, food=spinach).count() == 1
    services.shopping_tick_set(**args, ticked=False)
    services.shopping_tick_set(**args, ticked=False)
    assert not ShoppingTick.objects.exists()


def test_page_tick_sets_the_state_it_was_shown(
    user_client, user, profile, week_start, salad, spinach
):
    """A double click on "Tick off" leaves the food ticked (the button says which state)."""
    plan(user, week_start, [(0, "lunch", salad, "1")])
    end = week_start + timedelta(days=6)
    page = user_client.get(shopping_url(week_start, end)).content.decode()
    assert 'name="ticked" value="true"' in page
    data = {"start": week_start, "end": end, "food": spinach.pk, "ticked": "true"}
    user_client.post(reverse("mealplan:shopping_tick"), data)
    user_client.post(reverse("mealplan:shopping_tick"), data)
    assert ShoppingTick.objects.filter(user=user, food=spinach).count() == 1
    page = user_client.get(shopping_url(week_start, end)).content.decode()
    assert 'name="ticked" value="false"' in page
    user_client.post(reverse("mealplan:shopping_tick"), {**data, "ticked": "false"})
    assert not ShoppingTick.objects.exists()
