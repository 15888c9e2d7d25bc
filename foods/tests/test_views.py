import re

import pytest
from django.urls import reverse

from accounts.tests.factories import ProfileFactory
from foods.models import Allergen, Category, Food, Ingredient, Meal, Portion
from foods.tests.factories import (
    CategoryFactory,
    FoodFactory,
    IngredientFactory,
    MealFactory,
    PortionFactory,
    meal_with,
)

pytestmark = pytest.mark.django_db

FOOD_LIST = reverse("foods:food_list")
MEAL_LIST = reverse("foods:meal_list")
BEST = reverse("foods:best_sources")
HTMX = {"HTTP_HX_REQUEST": "true"}


def row_names(response, table_id: str) -> list[str]:
    """Return the linked names in the rows of a results table, in order."""
    html = response.content.decode()
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/catalog/(?:foods|meals)/\d+/">([^<]+)</a>', body)


def notices(response) -> list[str]:
    return re.findall(r'role="alert">([^<]+)</div>', response.content.decode())


# Food list


def test_food_list_is_public_and_shows_values_with_dash_for_unknown(client):
    spinach = FoodFactory(name="Spinach, raw", magnesium_mg_per_100g=79, kcal_per_100g=23)
    PortionFactory(food=spinach, name="1 cup", grams=30)
    FoodFactory(name="Mystery root", magnesium_mg_per_100g=None, kcal_per_100g=None)
    response = client.get(FOOD_LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Spinach, raw" in text
    assert "24 mg" in text  # 79 mg/100 g x 30 g
    assert "1 cup, 30 g" in text
    assert "343 mg" in text  # per 100 kcal
    assert "—" in text.split("Mystery root", 1)[1].split("</tr>", 1)[0]
    assert row_names(response, "food-table") == ["Spinach, raw", "Mystery root"]


def test_food_list_search_by_words_in_name_or_brand(client):
    FoodFactory(name="Seeds, pumpkin, raw")
    FoodFactory(name="Seeds, sunflower, dried")
    FoodFactory(name="Juice shot", brand="Magnesium Raw Seeds Ltd")
    response = client.get(FOOD_LIST, {"q": "seeds raw", "sort": "name"})
    assert row_names(response, "food-table") == ["Juice shot", "Seeds, pumpkin, raw"]
    assert 'value="seeds raw"' in response.content.decode()


def test_food_list_filters_category_kind_diet_and_allergen(client):
    nuts = CategoryFactory(name="Nut and Seed Products")
    FoodFactory(name="Almonds", category=nuts, allergen_codes=["tree_nuts"])
    FoodFactory(name="Pumpkin seeds", category=nuts)
    FoodFactory(name="Salmon", vegan=False, vegetarian=False)
    FoodFactory(name="Mg shot", kind="branded", brand="Shotco")
    by_category = client.get(FOOD_LIST, {"category": nuts.pk, "sort": "name"})
    assert row_names(by_category, "food-table") == ["Almonds", "Pumpkin seeds"]
    no_nuts = client.get(FOOD_LIST, {"category": nuts.pk, "avoid": "tree_nuts"})
    assert row_names(no_nuts, "food-table") == ["Pumpkin seeds"]
    vegan = client.get(FOOD_LIST, {"diet": "vegan"})
    assert "Salmon" not in row_names(vegan, "food-table")
    branded = client.get(FOOD_LIST, {"kind": "branded"})
    assert row_names(branded, "food-table") == ["Mg shot"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("mg_serving", ["Pumpkin seeds", "Spinach", "Cola", "Water", "Unknown"]),
        ("mg_100g", ["Pumpkin seeds", "Spinach", "Water", "Cola", "Unknown"]),
        ("mg_100kcal", ["Spinach", "Pumpkin seeds", "Cola", "Unknown", "Water"]),
        ("name", ["Cola", "Pumpkin seeds", "Spinach", "Unknown", "Water"]),
        ("", ["Pumpkin seeds", "Spinach", "Cola", "Water", "Unknown"]),
    ],
)
def test_food_list_sorts(client, sort, expected):
    PortionFactory(
        food=FoodFactory(name="Pumpkin seeds", magnesium_mg_per_100g=550, kcal_per_100g=560),
        grams=28,
    )  # 154 mg per serving, 98 per 100 kcal
    PortionFactory(
        food=FoodFactory(name="Spinach", magnesium_mg_per_100g=79, kcal_per_100g=23), grams=180
    )  # 142 mg per serving, 343 per 100 kcal
    PortionFactory(
        food=FoodFactory(name="Cola", magnesium_mg_per_100g=3, kcal_per_100g=40), grams=355
    )  # 10.6 mg per serving, 7.5 per 100 kcal
    FoodFactory(name="Water", magnesium_mg_per_100g=4, kcal_per_100g=0)  # 4 mg per 100 g
    FoodFactory(name="Unknown", magnesium_mg_per_100g=None, kcal_per_100g=90)
    response = client.get(FOOD_LIST, {"sort": sort})
    assert response.status_code == 200
    names = row_names(response, "food-table")
    if sort == "mg_100kcal":  # the two without a figure tie last, in name order
        assert names[:3] == expected[:3]
        assert set(names[3:]) == set(expected[3:])
    else:
        assert names == expected


def test_food_list_paginates_25_a_page_and_links_keep_filters(client):
    category = CategoryFactory(name="Seeds")
    Food.objects.bulk_create(
        Food(name=f"Seed {i:02d}", category=category, magnesium_mg_per_100g=i) for i in range(60)
    )
    first = client.get(FOOD_LIST, {"q": "seed", "sort": "name"})
    assert len(row_names(first, "food-table")) == 25
    assert "Page 1 of 3" in first.content.decode()
    assert "?q=seed&amp;sort=name&amp;page=2" in first.content.decode()
    third = client.get(FOOD_LIST, {"q": "seed", "sort": "name", "page": 3})
    assert row_names(third, "food-table") == [f"Seed {i:02d}" for i in range(50, 60)]
    assert "?q=seed&amp;sort=name&amp;page=2" in third.content.decode()
    assert "60 foods" in third.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "drop table"}, "Ignored the invalid sort “drop table”."),
        ({"page": "abc"}, "Ignored the invalid page “abc”."),
        ({"page": "0"}, "Ignored the invalid page “0”."),
        ({"page": "99"}, "There is no page 99; showing page 1."),
        ({"category": "999999"}, "Ignored the invalid category “999999”."),
        ({"category": "x"}, "Ignored the invalid category “x”."),
        ({"diet": "carnivore"}, "Ignored the invalid diet “carnivore”."),
        ({"avoid": "gluten-ish"}, "Ignored the invalid avoid allergens “gluten-ish”."),
        ({"kind": "robot"}, "Ignored the invalid kind “robot”."),
        ({"q": "x" * 300}, "Ignored the invalid search “" + "x" * 40 + "”."),
    ],
)
def test_food_list_bad_params_fall_back_with_a_notice(client, params, message):
    FoodFactory(name="Spinach")
    response = client.get(FOOD_LIST, params)
    assert response.status_code == 200
    assert message in notices(response)
    if "q" not in params:
        assert row_names(response, "food-table") == ["Spinach"]


def test_food_list_bad_sort_keeps_the_good_filters(client):
    FoodFactory(name="Spinach")
    FoodFactory(name="Kale")
    response = client.get(FOOD_LIST, {"q": "kale", "sort": "nope"})
    assert row_names(response, "food-table") == ["Kale"]


def test_food_list_htmx_request_gets_the_results_partial_only(client):
    FoodFactory(name="Spinach")
    FoodFactory(name="Kale")
    response = client.get(FOOD_LIST, {"q": "spin"}, **HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert 'id="food-filters"' not in text
    assert row_names(response, "food-table") == ["Spinach"]
    assert "HX-Request" in response["Vary"]


def test_food_list_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(FOOD_LIST, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_food_list_full_page_has_htmx_form_that_works_without_javascript(client):
    text = client.get(FOOD_LIST).content.decode()
    assert 'method="get" action="/catalog/"' in text
    assert 'hx-get="/catalog/"' in text
    assert 'hx-target="#results"' in text
    assert 'hx-push-url="true"' in text
    assert 'type="submit"' in text


def test_catalog_pages_have_no_inline_script_or_style(client):
    food = FoodFactory()
    PortionFactory(food=food)
    meal = meal_with()
    urls = [
        FOOD_LIST,
        MEAL_LIST,
        BEST,
        reverse("foods:food_detail", args=[food.pk]),
        reverse("foods:meal_detail", args=[meal.pk]),
    ]
    for url in urls:
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200
        assert "style=" not in text, url
        assert "<style" not in text, url
        for script in re.findall(r"<script[^>]*>", text):
            assert "src=" in script or "nonce=" in script, (url, script)
        assert "Content-Security-Policy" in response


def test_food_list_query_count_is_constant(client, django_assert_max_num_queries):
    category = CategoryFactory()

    def add_foods(count: int) -> None:
        start = Food.objects.count()
        foods = Food.objects.bulk_create(
            Food(
                name=f"Food {start + i}",
                category=category,
                kind="branded",
                vegan=True,
                magnesium_mg_per_100g=i % 90 or None,
                kcal_per_100g=i % 400,
            )  # fmt: skip
            for i in range(count)
        )
        Portion.objects.bulk_create(Portion(food=f, name="1 cup", grams=30) for f in foods)

    params = {"q": "food", "sort": "mg_100kcal", "diet": "vegan", "avoid": "milk", "page": 2}
    add_foods(30)
    with django_assert_max_num_queries(5) as small:
        client.get(FOOD_LIST, params)
    add_foods(2000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(FOOD_LIST, params)
    assert "2,030 foods" in response.content.decode()
    assert len(row_names(response, "food-table")) == 25


# Food detail


def test_food_detail_shows_nutrients_per_100_g_and_portion_and_source(client):
    food = FoodFactory(
        name="Spinach, raw",
        source_kind="sr28",
        source_ref="11457",
        magnesium_mg_per_100g=79,
        fiber_g_per_100g=None,
        category=CategoryFactory(name="Vegetables and Vegetable Products"),
        allergen_codes=["soy"],
        vegan=True,
    )
    PortionFactory(food=food, name="1 cup", grams=30)
    PortionFactory(food=food, name="1 bunch", grams=340, is_default=False, seq=1)
    response = client.get(reverse("foods:food_detail", args=[food.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "USDA SR28 #11457" in text
    assert "Vegetables and Vegetable Products" in text
    assert "1 cup (30 g)" in text and "1 bunch (340 g)" in text
    magnesium_row = text.split('<th scope="row">Magnesium</th>', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([^<]+)</td>", magnesium_row) == ["79 mg", "24 mg", "269 mg"]
    fiber_row = text.split('<th scope="row">Fiber</th>', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([^<]+)</td>", fiber_row) == ["—", "—", "—"]
    assert "Soy" in text and "Vegan" in text
    assert "percent-of-target" not in text
    assert "Log in" in text
    assert 'id="added-magnesium"' not in text


def test_food_detail_shows_percent_of_target_for_logged_in_user(user_client, user):
    ProfileFactory(user=user, magnesium_target_override_mg=400)
    food = FoodFactory(magnesium_mg_per_100g=80)
    PortionFactory(food=food, name="1 cup", grams=30)
    response = user_client.get(reverse("foods:food_detail", args=[food.pk]))
    text = response.content.decode()
    assert "% of your daily magnesium target (400 mg)" in text
    row = text.split('id="percent-of-target"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([^<]+)</td>", row) == ["20%", "6%"]


def test_food_detail_shows_added_magnesium(client):
    food = FoodFactory(
        name="Mg juice shot", kind="branded", magnesium_mg_per_100g=210,
        added_magnesium_mg_per_100g=200, brand="Shotco", source_kind="label", source_ref="",
    )  # fmt: skip
    text = client.get(reverse("foods:food_detail", args=[food.pk])).content.decode()
    assert 'id="added-magnesium"' in text
    assert "200 mg" in text
    assert "Product label" in text and "Shotco" in text and "Branded product" in text


def test_food_detail_404_for_inactive_or_unknown(client):
    inactive = FoodFactory(is_active=False)
    assert client.get(reverse("foods:food_detail", args=[inactive.pk])).status_code == 404
    assert client.get(reverse("foods:food_detail", args=[999999])).status_code == 404
    assert client.get("/catalog/foods/abc/").status_code == 404


def test_food_detail_query_count_is_constant(client, django_assert_max_num_queries):
    food = FoodFactory(allergen_codes=["milk", "egg", "soy"])
    food.may_contain.set(Allergen.objects.filter(code__in=["wheat", "sesame"]))
    for seq in range(12):
        PortionFactory(food=food, name=f"Portion {seq}", seq=seq, is_default=seq == 0)
    # The food, its allergens, its "may contain" allergens, its portions.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("foods:food_detail", args=[food.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "May contain wheat" in page and "May contain sesame" in page


def test_meal_detail_shows_may_contain(client):
    oats = FoodFactory(name="Oats")
    oats.may_contain.set(Allergen.objects.filter(code="wheat"))
    meal = MealFactory(name="Porridge")
    IngredientFactory(meal=meal, food=oats)
    response = client.get(reverse("foods:meal_detail", args=[meal.pk]))
    assert response.status_code == 200
    assert "May contain wheat" in response.content.decode()


def test_food_list_finds_the_juice_shot_by_keyword_and_hides_baby_foods(client):
    FoodFactory(name="Vitaminis Immune Support", brand="Vitaminis", keywords="juice shot")
    FoodFactory(
        name="Babyfood, juice", category=CategoryFactory(name="Baby", usda_group_code="0300")
    )
    response = client.get(FOOD_LIST, {"q": "juice"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vitaminis Immune Support" in page and "Babyfood" not in page
    response = client.get(FOOD_LIST, {"q": "juice", "all_groups": "on"})
    assert "Babyfood" in response.content.decode()


def test_catalog_rejects_post(client):
    assert client.post(FOOD_LIST).status_code == 405


# Meal list


def test_meal_list_shows_magnesium_kcal_and_badges_per_serving(client):
    meal = MealFactory(name="Spinach and almond salad", servings=2, fits_lunch=True)
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
    meal_with(magnesium_mg_per_100g=None, vegan=False, vegetarian=False)
    response = client.get(MEAL_LIST)
    assert response.status_code == 200
    text = response.content.decode()
    row = text.split("Spinach and almond salad", 1)[1].split("</tr>", 1)[0]
    assert "134 mg" in row  # (160 + 108) / 2
    assert "136" in row  # kcal (40 + 232) / 2
    assert "Vegan" in row and "Nut-free" not in row
    unknown_row = text.split("</tr>")[-2]
    assert "—" in unknown_row


def test_meal_list_filters_slot_diet_nuts_and_allergen(client):
    breakfast = meal_with(slots=("breakfast",), name="Oats")
    nutty = meal_with(name="Almonds", allergen_codes=["tree_nuts"])
    fishy = meal_with(name="Salmon", vegan=False, vegetarian=False, allergen_codes=["fish"])

    def names(**params):
        return set(row_names(client.get(MEAL_LIST, params), "meal-table"))

    assert names(slot="breakfast") == {breakfast.name}
    assert names(diet="vegan") == {breakfast.name, nutty.name}
    assert names(diet="pescatarian") == {breakfast.name, nutty.name, fishy.name}
    assert names(nut_free="on") == {breakfast.name, fishy.name}
    assert names(avoid="fish") == {breakfast.name, nutty.name}


def test_meal_list_search_and_sort(client):
    rich = meal_with(magnesium_mg_per_100g=150, kcal_per_100g=500)  # 150 mg, 30 per 100 kcal
    light = meal_with(magnesium_mg_per_100g=50, kcal_per_100g=50)  # 50 mg, 100 per 100 kcal
    Meal.objects.filter(pk=rich.pk).update(name="Bean bowl")
    Meal.objects.filter(pk=light.pk).update(name="Green bowl")
    meal_with(magnesium_mg_per_100g=1)
    by_serving = row_names(client.get(MEAL_LIST, {"q": "bowl"}), "meal-table")
    assert by_serving == ["Bean bowl", "Green bowl"]
    by_kcal = row_names(client.get(MEAL_LIST, {"q": "bowl", "sort": "mg_100kcal"}), "meal-table")
    assert by_kcal == ["Green bowl", "Bean bowl"]
    by_name = row_names(client.get(MEAL_LIST, {"sort": "name"}), "meal-table")
    assert by_name == sorted(by_name)


def test_meal_list_bad_params_and_htmx_partial(client):
    meal_with()
    response = client.get(MEAL_LIST, {"sort": "spicy", "slot": "brunch", "page": "-1"})
    assert response.status_code == 200
    assert set(notices(response)) == {
        "Ignored the invalid sort “spicy”.",
        "Ignored the invalid slot “brunch”.",
        "Ignored the invalid page “-1”.",
    }
    partial = client.get(MEAL_LIST, {"q": "meal"}, **HTMX)
    assert "<html" not in partial.content.decode()
    assert len(row_names(partial, "meal-table")) == 1


def test_meal_list_query_count_is_constant(client, django_assert_max_num_queries):
    foods = [FoodFactory(allergen_codes=["milk"]), FoodFactory(vegan=False), FoodFactory()]

    def add_meals(count: int) -> None:
        start = Meal.objects.count()
        meals = Meal.objects.bulk_create(
            Meal(name=f"Meal {start + i}", fits_lunch=True) for i in range(count)
        )
        Ingredient.objects.bulk_create(
            Ingredient(meal=meal, food=food, grams=50) for meal in meals for food in foods
        )

    add_meals(5)
    with django_assert_max_num_queries(6) as small:
        client.get(MEAL_LIST, {"q": "meal", "slot": "lunch"})
    add_meals(200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(MEAL_LIST, {"q": "meal", "slot": "lunch", "page": 3})
    assert len(row_names(response, "meal-table")) == 25
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(MEAL_LIST, {"diet": "vegan", "nut_free": "on", "sort": "mg_100kcal"})


# Meal detail


def test_meal_detail_shows_ingredients_nutrition_badges_and_instructions(client):
    meal = MealFactory(
        name="Oat bowl", servings=2, fits_breakfast=True, fits_lunch=False, fits_dinner=False,
        instructions="Soak the oats.\n\nTop with seeds.", prep_minutes=10,
    )  # fmt: skip
    oats = FoodFactory(name="Oats", magnesium_mg_per_100g=138, allergen_codes=["wheat"])
    cup = PortionFactory(food=oats, name="1 cup", grams=80)
    Ingredient.objects.create(meal=meal, food=oats, grams=1, portion=cup, quantity=2)
    IngredientFactory(
        meal=meal,
        food=FoodFactory(
            name="Milk", vegan=False, magnesium_mg_per_100g=10, allergen_codes=["milk"]
        ),
        grams=200,
    )
    response = client.get(reverse("foods:meal_detail", args=[meal.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2 × 1 cup (160 g)" in text
    assert "200 g" in text
    assert reverse("foods:food_detail", args=[oats.pk]) in text
    assert "Breakfast" in text
    assert "Contains milk" in text and "Contains wheat / gluten" in text
    assert "Vegetarian" in text and "Vegan<" not in text
    nutrition = text.split('id="meal-nutrition"', 1)[1]
    assert "120 mg" in nutrition  # (160 x 1.38 + 200 x 0.10) / 2 = 120.4
    assert "<p>Top with seeds.</p>" in text
    assert "10 minutes" in text
    assert 'id="unknown-magnesium"' not in text


def test_meal_detail_notes_unknown_magnesium(client):
    meal = meal_with(name="Mystery root", magnesium_mg_per_100g=None)
    text = client.get(reverse("foods:meal_detail", args=[meal.pk])).content.decode()
    assert 'id="unknown-magnesium"' in text
    assert "Mystery root" in text


def test_meal_detail_404_for_inactive_or_unknown(client):
    meal = MealFactory(is_active=False)
    assert client.get(reverse("foods:meal_detail", args=[meal.pk])).status_code == 404
    assert client.get(reverse("foods:meal_detail", args=[999999])).status_code == 404


def test_meal_detail_query_count_is_constant(client, django_assert_max_num_queries):
    meal = MealFactory()
    for _ in range(10):
        IngredientFactory(meal=meal, food=FoodFactory(allergen_codes=["milk", "soy"]))
    with django_assert_max_num_queries(4):
        assert client.get(reverse("foods:meal_detail", args=[meal.pk])).status_code == 200


# Best sources


def test_best_sources_lists_top_foods_per_category(client):
    greens = CategoryFactory(name="Vegetables")
    for mg in range(10, 80, 10):
        FoodFactory(name=f"Green {mg}", category=greens, magnesium_mg_per_100g=mg, kcal_per_100g=25)
    FoodFactory(name="Salmon", category=CategoryFactory(name="Fish"), vegan=False, vegetarian=False)
    response = client.get(BEST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Fish" in text and "Salmon" in text
    greens_section = text.split(f'id="category-{greens.pk}"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"Green (\d+)", greens_section) == ["70", "60", "50", "40", "30"]
    assert "280 mg" in greens_section  # 70 mg per 25 kcal


def test_best_sources_diet_filter_and_bad_diet(client):
    FoodFactory(name="Salmon", vegan=False, vegetarian=False)
    FoodFactory(name="Lentils")
    vegan = client.get(BEST, {"diet": "vegan"}).content.decode()
    assert "Lentils" in vegan and "Salmon" not in vegan
    bad = client.get(BEST, {"diet": "keto"})
    assert bad.status_code == 200
    assert "Ignored the unknown diet" in bad.content.decode()
    assert "Salmon" in bad.content.decode()


def test_best_sources_query_count_is_constant(client, django_assert_max_num_queries):
    categories = [Category.objects.create(name=f"Group {i}") for i in range(20)]
    Food.objects.bulk_create(
        Food(
            name=f"F{i}",
            category=categories[i % 20],
            vegan=True,
            magnesium_mg_per_100g=i,
            kcal_per_100g=50,
        )  # fmt: skip
        for i in range(2000)
    )
    with django_assert_max_num_queries(2):
        response = client.get(BEST, {"diet": "vegan"})
    assert response.status_code == 200


def test_food_list_says_when_a_serving_is_the_groups_typical_one(client):
    sweets = CategoryFactory(name="Sweets", usda_group_code="1900")
    molasses = FoodFactory(name="Molasses", category=sweets, magnesium_mg_per_100g=242)
    PortionFactory(food=molasses, name="1 cup", grams=337)

    response = client.get(FOOD_LIST, {"q": "molasses"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "a typical serving, 30 g" in page
    assert "1 cup" not in page
