from io import StringIO

import pytest
from django.core.management import call_command

from foods.models import Allergen, Food, Meal
from foods.selectors import (
    best_sources,
    food_detail_queryset,
    food_nutrient_table,
    food_search,
    food_search_page,
    meal_detail,
    meal_search,
    meal_search_page,
)
from foods.templatetags.nutrients import nutrient, percent
from foods.tests.factories import (
    CategoryFactory,
    FoodFactory,
    IngredientFactory,
    MealFactory,
    PortionFactory,
    meal_with,
)

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [item.name for item in queryset]


def test_food_search_matches_every_word_in_name_or_brand():
    FoodFactory(name="Seeds, pumpkin, raw")
    FoodFactory(name="Seeds, sunflower, roasted")
    FoodFactory(name="Trail mix", brand="Raw Seeds Co")
    FoodFactory(name="Spinach, raw")
    assert sorted(names(food_search(text="seeds raw", sort="name"))) == [
        "Seeds, pumpkin, raw",
        "Trail mix",
    ]
    assert names(food_search(text="SPINACH")) == ["Spinach, raw"]


def test_food_search_leaves_out_inactive_foods():
    FoodFactory(name="Kale", is_active=False)
    assert names(food_search(text="kale")) == []


def test_food_search_filters_category_kind_diet_and_allergens():
    nuts = CategoryFactory(name="Nut and Seed Products")
    FoodFactory(name="Almonds", category=nuts, allergen_codes=["tree_nuts"])
    FoodFactory(name="Pumpkin seeds", category=nuts)
    FoodFactory(name="Salmon", vegan=False, vegetarian=False)
    FoodFactory(name="Mg shot", kind="supplement")
    assert names(food_search(category=nuts, sort="name")) == ["Almonds", "Pumpkin seeds"]
    assert names(food_search(category=nuts, avoid=["tree_nuts"])) == ["Pumpkin seeds"]
    assert "Salmon" not in names(food_search(diet="vegan"))
    assert "Salmon" in names(food_search(diet="pescatarian"))
    assert names(food_search(kind="supplement")) == ["Mg shot"]


def test_food_sort_by_serving_uses_the_default_portion_or_100_g():
    # per 100 g: big 200 mg but a 10 g portion (20 mg); small 50 mg with no portion (50 mg).
    big = FoodFactory(name="Big per 100 g", magnesium_mg_per_100g=200)
    PortionFactory(food=big, grams=10, is_default=True)
    PortionFactory(food=big, grams=500, is_default=False, name="1 bag")
    FoodFactory(name="No portion", magnesium_mg_per_100g=50)
    FoodFactory(name="Unknown", magnesium_mg_per_100g=None)
    foods = list(food_search(sort="mg_serving"))
    assert names(foods) == ["No portion", "Big per 100 g", "Unknown"]
    assert foods[0].magnesium_mg_per_serving == pytest.approx(50)
    assert foods[0].serving_g == pytest.approx(100)
    assert foods[1].magnesium_mg_per_serving == pytest.approx(20)
    assert foods[1].default_portion_name == "1 cup"
    assert foods[2].magnesium_mg_per_serving is None
    assert names(food_search(sort="mg_100g")) == ["Big per 100 g", "No portion", "Unknown"]


def test_food_sort_per_100_kcal_puts_unknown_and_zero_kcal_last():
    FoodFactory(name="Spinach", magnesium_mg_per_100g=79, kcal_per_100g=23)
    FoodFactory(name="Almonds", magnesium_mg_per_100g=270, kcal_per_100g=579)
    FoodFactory(name="Water", magnesium_mg_per_100g=2, kcal_per_100g=0)
    FoodFactory(name="Mystery", magnesium_mg_per_100g=90, kcal_per_100g=None)
    foods = list(food_search(sort="mg_100kcal"))
    assert names(foods)[:2] == ["Spinach", "Almonds"]
    assert set(names(foods)[2:]) == {"Mystery", "Water"}
    assert foods[0].magnesium_mg_per_100kcal == pytest.approx(79 / 23 * 100)
    assert foods[2].magnesium_mg_per_100kcal is None


def test_food_sort_unknown_key_falls_back_to_name():
    FoodFactory(name="B")
    FoodFactory(name="A")
    assert names(food_search(sort="bogus")) == ["A", "B"]


def test_search_pages_count_the_matches_and_clamp_the_page_number():
    for index in range(30):
        PortionFactory(food=FoodFactory(name=f"Seed {index:02d}"))
    FoodFactory(name="Kale")
    page = food_search_page(number=9, text="seed", sort="name")
    assert page.paginator.count == 30
    assert page.number == 2
    assert names(page) == [f"Seed {index:02d}" for index in range(25, 30)]
    meal = MealFactory()
    for _ in range(3):
        IngredientFactory(meal=meal)
    meals = meal_search_page(number=1)
    assert meals.paginator.count == 1
    assert list(meals) == [meal]


@pytest.mark.parametrize("sort", ["mg_serving", "mg_100g", "mg_100kcal", "name"])
def test_food_search_page_matches_food_search_order(sort):
    for index in range(40):
        food = FoodFactory(
            name=f"Food {index % 7}",  # ties on name and on every rate
            magnesium_mg_per_100g=[None, 10, 50][index % 3],
            kcal_per_100g=[None, 0, 100, 200][index % 4],
        )
        if index % 2:
            PortionFactory(food=food, grams=[10, 250][index % 4 // 2])
    expected = list(food_search(sort=sort))
    pages = [food_search_page(number=number, sort=sort) for number in (1, 2)]
    assert [list(page) for page in pages] == [expected[:25], expected[25:]]
    assert pages[1][0].magnesium_mg_per_serving == expected[25].magnesium_mg_per_serving


def test_meal_search_annotates_nutrition_and_diet_flags():
    meal = MealFactory(name="Spinach salad", servings=2, fits_lunch=True, fits_dinner=False)
    IngredientFactory(
        meal=meal, food=FoodFactory(magnesium_mg_per_100g=80, kcal_per_100g=20), grams=200
    )
    IngredientFactory(
        meal=meal,
        food=FoodFactory(
            magnesium_mg_per_100g=270, kcal_per_100g=580, allergen_codes=["tree_nuts"]
        ),
        grams=40,
    )
    found = meal_search(text="salad").get()
    assert found.magnesium_mg == pytest.approx((160 + 108) / 2)
    assert found.kcal == pytest.approx((40 + 232) / 2)
    assert found.magnesium_mg_per_100kcal == pytest.approx(268 / 272 * 100)
    assert found.suits_vegan and found.has_nuts
    assert list(meal_search(nut_free=True)) == []
    assert list(meal_search(avoid=["tree_nuts"])) == []
    assert list(meal_search(slot="breakfast")) == []
    assert list(meal_search(slot="lunch")) == [meal]


def test_meal_search_filters_diet_and_sorts():
    meal_with(name="Fish", vegan=False, vegetarian=False, magnesium_mg_per_100g=30)
    meal_with(magnesium_mg_per_100g=120, kcal_per_100g=500)
    meal_with(magnesium_mg_per_100g=60, kcal_per_100g=60)
    by_serving = list(meal_search(sort="mg_serving"))
    assert [m.magnesium_mg for m in by_serving] == [120, 60, 30]
    by_kcal = list(meal_search(sort="mg_100kcal"))
    assert [m.magnesium_mg for m in by_kcal] == [60, 30, 120]
    assert len(meal_search(diet="vegan")) == 2


def test_food_nutrient_table_per_100_g_and_portion_with_percent_of_target():
    food = FoodFactory(magnesium_mg_per_100g=80, fiber_g_per_100g=None)
    PortionFactory(food=food, name="1 cup", grams=30)
    food = food_detail_queryset().get(pk=food.pk)
    table = food_nutrient_table(food=food, magnesium_target_mg=400)
    assert table.columns == ["100 g", "1 cup (30 g)"]
    rows = {row.label: row.values for row in table.rows}
    assert rows["Magnesium"] == [pytest.approx(80), pytest.approx(24)]
    assert rows["Fiber"] == [None, None]
    assert table.percent_of_target == [pytest.approx(20), pytest.approx(6)]
    assert table.added_magnesium_mg is None
    assert food_nutrient_table(food=food).percent_of_target is None


def test_food_nutrient_table_shows_added_magnesium():
    food = FoodFactory(magnesium_mg_per_100g=210, added_magnesium_mg_per_100g=200)
    table = food_nutrient_table(food=food)
    assert table.added_magnesium_mg == [pytest.approx(200)]


def test_meal_detail_unions_allergens_and_flags_unknown_magnesium():
    meal = MealFactory()
    IngredientFactory(meal=meal, food=FoodFactory(allergen_codes=["milk", "egg"]))
    IngredientFactory(meal=meal, food=FoodFactory(allergen_codes=["milk"]))
    unknown = FoodFactory(magnesium_mg_per_100g=None)
    IngredientFactory(meal=meal, food=unknown)
    detail = meal_detail(meal_id=meal.pk)
    assert [a.code for a in detail.allergens] == ["egg", "milk"]
    assert detail.unknown_magnesium == [unknown]
    assert detail.meal.unknown_magnesium_count == 1
    assert len(detail.ingredients) == 3


def test_meal_detail_is_none_for_inactive_or_missing():
    assert meal_detail(meal_id=MealFactory(is_active=False).pk) is None
    assert meal_detail(meal_id=999999) is None


def test_best_sources_ranks_top_foods_per_category_by_magnesium_per_kcal():
    greens = CategoryFactory(name="Vegetables")
    seeds = CategoryFactory(name="Seeds")
    for mg in range(10, 80, 10):
        FoodFactory(name=f"Green {mg}", category=greens, magnesium_mg_per_100g=mg, kcal_per_100g=25)
    FoodFactory(name="Seed", category=seeds, magnesium_mg_per_100g=550, kcal_per_100g=560)
    FoodFactory(name="No kcal", category=seeds, magnesium_mg_per_100g=5, kcal_per_100g=0)
    FoodFactory(name="No mg", category=seeds, magnesium_mg_per_100g=None)
    FoodFactory(name="Gone", category=seeds, is_active=False)
    FoodFactory(name="Fishy", category=seeds, vegan=False, vegetarian=False)
    groups = best_sources(per_category=5)
    assert [g.category.name for g in groups] == ["Seeds", "Vegetables"]
    assert names(groups[0].foods) == ["Seed", "Fishy"]
    assert names(groups[1].foods) == [f"Green {mg}" for mg in (70, 60, 50, 40, 30)]
    vegan = best_sources(diet="vegan")
    assert names(vegan[0].foods) == ["Seed"]


def test_best_sources_query_count_is_constant(django_assert_num_queries):
    for index in range(30):
        FoodFactory(category=CategoryFactory(name=f"Category {index % 6}"))
    with django_assert_num_queries(1):
        groups = best_sources()
        assert sum(len(g.foods) for g in groups) == 30
        assert [g.category.name for g in groups][0] == "Category 0"


def test_nutrient_filter_formats_and_shows_unknown_as_dash():
    assert nutrient(None) == "—"
    assert nutrient(None, "mg") == "—"
    assert nutrient(0.0, "mg") == "0 mg"
    assert nutrient(79.4, "mg") == "79 mg"
    assert nutrient(2.54, "g") == "2.5 g"
    assert nutrient(2.0) == "2"
    assert nutrient(0.043, "g") == "0.04 g"
    assert nutrient(1234.4) == "1,234"
    assert percent(None) == "—"
    assert percent(19.6) == "20%"
    assert percent(0.4) == "<1%"


def test_per_serving_caps_a_one_cup_portion_at_the_groups_typical_serving():
    sweets = CategoryFactory(name="Sweets", usda_group_code="1900")
    seeds = CategoryFactory(name="Nut and Seed Products", usda_group_code="1200")
    greens = CategoryFactory(name="Vegetables", usda_group_code="1100")
    molasses = FoodFactory(name="Molasses", category=sweets, magnesium_mg_per_100g=242)
    PortionFactory(food=molasses, name="1 cup", grams=337)
    flour = FoodFactory(name="Cottonseed flour", category=seeds, magnesium_mg_per_100g=721)
    PortionFactory(food=flour, name="1 cup", grams=94)
    chard = FoodFactory(name="Chard, cooked", category=greens, magnesium_mg_per_100g=86)
    PortionFactory(food=chard, name="1 cup", grams=175)

    ranked = list(food_search(sort="mg_serving"))

    # Uncapped: molasses 816 mg and flour 678 mg a "serving", ahead of chard's 150 mg.
    assert names(ranked) == ["Cottonseed flour", "Chard, cooked", "Molasses"]
    by_name = {food.name: food for food in ranked}
    assert by_name["Molasses"].serving_g == 30 and by_name["Molasses"].serving_is_typical
    assert round(by_name["Cottonseed flour"].magnesium_mg_per_serving) == 216
    assert by_name["Chard, cooked"].serving_g == 85


def test_a_portion_below_the_cap_is_kept():
    seeds = CategoryFactory(name="Nut and Seed Products", usda_group_code="1200")
    chia = FoodFactory(name="Chia", category=seeds)
    PortionFactory(food=chia, name="1 tbsp", grams=12)
    [food] = food_search()
    assert (food.serving_g, food.serving_is_typical, food.default_portion_name) == (
        12,
        False,
        "1 tbsp",
    )


@pytest.mark.parametrize("code", ["0300", "3500", "3600", "2100"])
def test_non_shopper_groups_are_left_out_unless_asked_for(code):
    odd = CategoryFactory(name=f"Group {code}", usda_group_code=code)
    FoodFactory(name="Babyfood, cereal", category=odd, magnesium_mg_per_100g=500)
    FoodFactory(name="Spinach", category=CategoryFactory(name="Veg", usda_group_code="1100"))

    assert names(food_search()) == ["Spinach"]
    assert names(food_search(all_groups=True)) == ["Babyfood, cereal", "Spinach"]
    assert names(food_search(category=odd)) == ["Babyfood, cereal"]
    assert [group.category.name for group in best_sources()] == ["Veg"]
    assert [group.category.name for group in best_sources(all_groups=True)] == [
        f"Group {code}",
        "Veg",
    ]


def test_search_finds_keywords():
    FoodFactory(name="Vitaminis Immune Support", brand="Vitaminis", keywords="juice shot")
    FoodFactory(name="Orange juice, raw")

    assert names(food_search(text="juice shot")) == ["Vitaminis Immune Support"]
    assert names(food_search(text="vitaminis")) == ["Vitaminis Immune Support"]


def test_meal_search_finds_an_ingredients_keywords():
    shot = FoodFactory(name="Vitaminis Immune Support", keywords="juice shot")
    IngredientFactory(meal=MealFactory(name="Vitaminis Immune Support shot"), food=shot)
    IngredientFactory(meal=MealFactory(name="Orange juice"), food=FoodFactory(name="Orange"))

    assert names(meal_search(text="juice shot")) == ["Vitaminis Immune Support shot"]
    assert names(meal_search(text="juice", sort="name")) == [
        "Orange juice",
        "Vitaminis Immune Support shot",
    ]


def test_may_contain_is_not_safe_for_foods_and_meals():
    oats = FoodFactory(name="Oats")
    oats.may_contain.set(Allergen.objects.filter(code="wheat"))
    FoodFactory(name="Rice")
    porridge = MealFactory(name="Porridge")
    IngredientFactory(meal=porridge, food=oats)
    IngredientFactory(meal=MealFactory(name="Rice bowl"), food=Food.objects.get(name="Rice"))

    assert names(food_search(avoid=["wheat"], sort="name")) == ["Rice"]
    assert names(meal_search(avoid=["wheat"], sort="name")) == ["Rice bowl"]
    assert names(Meal.objects.without_allergens(["wheat"])) == ["Rice bowl"]
    assert names(meal_search(sort="name")) == ["Porridge", "Rice bowl"]


def test_meal_detail_lists_may_contain_apart_from_contains():
    bread = FoodFactory(name="Bread", allergen_codes=["wheat"])
    bread.may_contain.set(Allergen.objects.filter(code__in=["milk", "wheat"]))
    meal = MealFactory()
    IngredientFactory(meal=meal, food=bread)

    detail = meal_detail(meal_id=meal.pk)

    assert [a.code for a in detail.allergens] == ["wheat"]
    assert [a.code for a in detail.may_contain] == ["milk"]


@pytest.mark.slow
def test_over_the_whole_of_sr28_per_serving_and_best_sources_are_realistic():
    call_command("import_usda", "--no-progress", stdout=StringIO())

    top = [food.name.lower() for food in food_search(sort="mg_serving")[:5]]
    assert not [name for name in top if "molasses" in name or "cottonseed" in name]
    groups = [group.category.name for group in best_sources()]
    assert "Baby Foods" not in groups
    assert "American Indian/Alaska Native Foods" not in groups
    assert "Baby Foods" in [group.category.name for group in best_sources(all_groups=True)]
