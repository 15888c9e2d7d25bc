"""My recipes pages: list, create, edit, detail, delete, copy, and the food search."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from foods.models import Category, Ingredient, Meal
from foods.recipe_services import RecipeData, RecipeLine, recipe_save
from foods.tests.factories import FoodFactory, IngredientFactory, MealFactory, PortionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foods():
    """Three foods a hand check can follow; one with a cup weight and a household portion."""
    spinach = FoodFactory(
        name="Spinach, raw",
        magnesium_mg_per_100g=79,
        kcal_per_100g=23,
        protein_g_per_100g=2.9,
        fat_g_per_100g=0.4,
        carbohydrate_g_per_100g=3.6,
        fiber_g_per_100g=2.2,
        sodium_mg_per_100g=79,
    )
    # 1 cup = 236.588 ml, so this cup weight gives 0.2 g per ml.
    PortionFactory(food=spinach, name="1 cup", grams=47.3176, is_default=True)
    rice = FoodFactory(
        name="Rice, brown, cooked",
        magnesium_mg_per_100g=44,
        kcal_per_100g=112,
        protein_g_per_100g=2.3,
        fat_g_per_100g=0.8,
        carbohydrate_g_per_100g=23.5,
        fiber_g_per_100g=1.8,
        sodium_mg_per_100g=5,
    )
    banana = FoodFactory(name="Bananas, raw", magnesium_mg_per_100g=27, kcal_per_100g=89)
    medium = PortionFactory(food=banana, name="1 medium", grams=118, is_default=True)
    mystery = FoodFactory(
        name="Mystery sauce",
        magnesium_mg_per_100g=None,
        kcal_per_100g=None,
        fiber_g_per_100g=None,
    )
    return {
        "spinach": spinach,
        "rice": rice,
        "banana": banana,
        "medium": medium,
        "mystery": mystery,
    }


def form_data(*, name="Green rice", slots=("lunch", "dinner"), servings="2", lines=(), **extra):
    """Return a recipe form POST: lines are (food id, amount, unit) tuples."""
    data = {
        "name": name,
        "slots": list(slots),
        "servings": servings,
        "instructions": "",
        "not_counted": "",
        "lines-TOTAL_FORMS": str(len(lines) + 1),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
        "save": "1",
    }
    for index, (food, amount, unit) in enumerate(lines):
        data[f"lines-{index}-food"] = str(food)
        data[f"lines-{index}-amount"] = str(amount)
        data[f"lines-{index}-unit"] = unit
    data.update(extra)
    return data


def make_recipe(owner, foods, *, name="Green rice", servings=2) -> Meal:
    lines = [
        RecipeLine(foods["spinach"], 200, "200 g Spinach, raw"),
        RecipeLine(foods["rice"], 300, "300 g Rice, brown, cooked"),
        RecipeLine(foods["mystery"], 100, "100 g Mystery sauce"),
    ]
    data = RecipeData(
        name=name,
        slots=["lunch", "dinner"],
        servings=servings,
        lines=lines,
        not_counted=["salt to taste"],
    )
    return recipe_save(owner=owner, data=data)


@pytest.fixture
def recipe(user, foods) -> Meal:
    return make_recipe(user, foods)


@pytest.fixture
def foreign_recipe(other_user, foods) -> Meal:
    return make_recipe(other_user, foods, name="Their rice")


# --- list ---------------------------------------------------------------------------------


def test_pages_need_a_login(client, recipe):
    for url in [
        reverse("recipes:list"),
        reverse("recipes:create"),
        reverse("recipes:detail", args=[recipe.pk]),
        reverse("recipes:edit", args=[recipe.pk]),
        reverse("mealplan:recipe_delete", args=[recipe.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    assert client.post(reverse("mealplan:recipe_delete", args=[recipe.pk])).status_code == 302
    assert Meal.objects.filter(pk=recipe.pk).exists()


def test_navbar_links_my_recipes_for_a_logged_in_user(user_client):
    assert reverse("recipes:list") not in Client().get("/").content.decode()
    assert reverse("recipes:list") in user_client.get("/").content.decode()


def test_empty_list_explains_what_to_do(user_client):
    response = user_client.get(reverse("recipes:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="no-recipes"' in page
    assert "You have no recipes yet" in page
    assert reverse("recipes:create") in page


def test_list_shows_own_recipes_with_at_least_and_unknown(user_client, user, foods, recipe):
    only_unknown = recipe_save(
        owner=user,
        data=RecipeData(
            name="Sauce alone",
            slots=["snack"],
            servings=1,
            lines=[RecipeLine(foods["mystery"], 50)],
        ),
    )
    MealFactory(name="Someone's curated meal")
    response = user_client.get(reverse("recipes:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert recipe.name in page and only_unknown.name in page
    assert "Someone&#x27;s curated meal" not in page
    # 200 g spinach (158 mg) + 300 g rice (132 mg), 2 servings; the sauce is unknown.
    assert "at least 145 mg" in page
    assert "at least 191 kcal" in page
    row = page[page.index("Sauce alone") :]
    row = row[: row.index("</tr>")]
    assert row.count("unknown") == 2
    assert "0 mg" not in row


def test_list_hides_other_users_recipes(user_client, foreign_recipe):
    response = user_client.get(reverse("recipes:list"))
    assert response.status_code == 200
    assert foreign_recipe.name not in response.content.decode()


# --- detail -------------------------------------------------------------------------------


def test_detail_nutrition_and_coverage_hand_checked(user_client, recipe):
    response = user_client.get(reverse("recipes:detail", args=[recipe.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    # Per serving of 2: magnesium (158 + 132) / 2 = 145; kcal (46 + 336) / 2 = 191;
    # protein (5.8 + 6.9 + 5 of the sauce, known) / 2 = 8.85; fiber (4.4 + 5.4) / 2 = 4.9.
    nutrition = page[page.index('id="recipe-nutrition"') :]
    assert "at least 145 mg" in nutrition
    assert "at least 191 kcal" in nutrition
    protein = nutrition[nutrition.index("Protein") :][:80]
    assert ("8.8 g" in protein or "8.9 g" in protein) and "at least" not in protein
    assert "at least 4.9 g" in nutrition
    # Added magnesium is known (0) for every food: not "at least", not unknown.
    assert '<th scope="row">of which added</th>\n          <td class="text-end">0 mg' in page
    # 500 of 600 g known: 83 %.
    assert "magnesium known for 2 of 3 ingredients (83 % of the weight)" in page
    assert "energy known for 2 of 3 ingredients (83 % of the weight)" in page
    assert "fiber known for 2 of 3 ingredients (83 % of the weight)" in page
    # Protein is known for all: no coverage line for it.
    assert "protein known" not in page
    # Each line with grams and magnesium; the sauce's magnesium unknown, never 0.
    ingredients = page[page.index('id="ingredients"') : page.index('id="recipe-nutrition"')]
    assert "200 g Spinach, raw" in ingredients and "158 mg" in ingredients
    assert "132 mg" in ingredients
    sauce = ingredients[ingredients.index("100 g Mystery sauce") :]
    assert "unknown" in sauce[: sauce.index("</tr>")]
    assert "salt to taste" in ingredients and "not counted" in ingredients
    for name in ("recipes:edit", "mealplan:recipe_delete"):
        assert reverse(name, args=[recipe.pk]) in page
    assert reverse("mealplan:week") in page


def test_detail_with_everything_known_shows_full_coverage(user_client, user, foods):
    meal = recipe_save(
        owner=user,
        data=RecipeData(
            name="Plain rice", slots=["dinner"], servings=1, lines=[RecipeLine(foods["rice"], 150)]
        ),
    )
    page = user_client.get(reverse("recipes:detail", args=[meal.pk])).content.decode()
    assert "magnesium known for 1 of 1 ingredient (100 % of the weight)" in page
    assert "66 mg" in page and "at least" not in page


# --- create -------------------------------------------------------------------------------


def test_create_page_renders(user_client):
    response = user_client.get(reverse("recipes:create"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Other lines, not counted (e.g. salt to taste)" in page
    assert reverse("recipes:food_search") in page
    for unit in ("g", "kg", "ml", "oz", "lb", "cup", "tbsp", "tsp"):
        assert f'<option value="{unit}"' in page


def test_create_saves_units_cups_and_portions(user_client, user, foods):
    data = form_data(
        lines=[
            (foods["rice"].pk, "0.3", "kg"),
            (foods["spinach"].pk, "1 1/2", "cup"),
            (foods["banana"].pk, "2", f"portion-{foods['medium'].pk}"),
        ],
        not_counted="salt to taste\n\npepper",
        instructions="Cook the rice.",
    )
    response = user_client.post(reverse("recipes:create"), data)
    meal = Meal.objects.get(owner=user, name="Green rice")
    assert response.status_code == 302
    assert response.url == reverse("recipes:detail", args=[meal.pk])
    assert meal.servings == 2 and meal.slots == ["lunch", "dinner"]
    assert meal.not_counted_lines == ["salt to taste", "pepper"]
    assert meal.instructions == "Cook the rice."
    rice, spinach, banana = meal.ingredients.order_by("id")
    assert rice.grams == pytest.approx(300)
    assert spinach.grams == pytest.approx(70.9764, rel=1e-3)  # 1.5 cups x 47.3 g
    assert spinach.text == "1.5 cup Spinach, raw"
    assert banana.grams == pytest.approx(236) and banana.quantity == 2
    assert banana.portion == foods["medium"]


def test_created_recipe_edit_form_shows_the_lines_as_written(user_client, user, foods):
    data = form_data(
        lines=[
            (foods["spinach"].pk, "2", "cup"),
            (foods["banana"].pk, "1", f"portion-{foods['medium'].pk}"),
        ]
    )
    user_client.post(reverse("recipes:create"), data)
    meal = Meal.objects.get(owner=user)
    page = user_client.get(reverse("recipes:edit", args=[meal.pk])).content.decode()
    assert 'name="lines-0-amount" value="2"' in page
    assert '<option value="cup" selected>' in page
    assert f'<option value="portion-{foods["medium"].pk}" selected>' in page
    assert f'value="{foods["spinach"].pk}" checked' in page


def _refused(user_client, data, message):
    before = (Meal.objects.count(), Ingredient.objects.count())
    response = user_client.post(reverse("recipes:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert-danger" in page
    assert message in page, page[page.index("<main") :][:3000]
    assert (Meal.objects.count(), Ingredient.objects.count()) == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Give an amount above 0."),
        ("-1", "Give an amount above 0."),
        ("1000000000", "That amount is too large"),
        ("10^9", "Give the amount as a number"),
        ("lots", "Give the amount as a number"),
        ("NaN", "Give the amount as a number"),
        ("", "Give an amount."),
    ],
)
def test_bad_amounts_are_refused(user_client, foods, amount, message):
    _refused(user_client, form_data(lines=[(foods["rice"].pk, amount, "g")]), message)


def test_empty_name_is_refused(user_client, foods):
    _refused(user_client, form_data(name="  ", lines=[(foods["rice"].pk, 100, "g")]), "required")


def test_no_ingredients_is_refused(user_client):
    _refused(user_client, form_data(lines=[]), "Add at least one ingredient with an amount.")


def test_only_not_counted_lines_is_refused(user_client):
    data = form_data(lines=[], not_counted="salt to taste")
    _refused(user_client, data, "Add at least one ingredient with an amount.")


def test_no_slot_is_refused(user_client, foods):
    data = form_data(slots=(), lines=[(foods["rice"].pk, 100, "g")])
    _refused(user_client, data, "Choose at least one meal the recipe suits.")


@pytest.mark.parametrize("servings", ["0", "101", "1.5", "many"])
def test_bad_servings_are_refused(user_client, foods, servings):
    data = form_data(servings=servings, lines=[(foods["rice"].pk, 100, "g")])
    _refused(user_client, data, "invalid-feedback")


@pytest.mark.parametrize("unit", ["handful", "bogus", "portion-999999", "<script>"])
def test_unknown_units_are_refused(user_client, foods, unit):
    data = form_data(lines=[(foods["rice"].pk, 100, unit)])
    _refused(user_client, data, "invalid-feedback")


def test_another_foods_portion_is_refused(user_client, foods):
    data = form_data(lines=[(foods["rice"].pk, 1, f"portion-{foods['medium'].pk}")])
    _refused(user_client, data, "one of the portions of Rice, brown, cooked")


def test_cups_of_a_food_without_a_cup_weight_ask_for_grams(user_client, foods):
    data = form_data(lines=[(foods["rice"].pk, 1, "cup")])
    _refused(user_client, data, "USDA gives no cup or spoon weight for Rice, brown, cooked")


def test_more_than_5_kg_a_line_is_refused(user_client, foods):
    data = form_data(lines=[(foods["rice"].pk, 6, "kg")])
    _refused(user_client, data, "one line may hold at most 5,000 g")
    data = form_data(lines=[(foods["banana"].pk, 50, f"portion-{foods['medium'].pk}")])
    _refused(user_client, data, "one line may hold at most 5,000 g")


@pytest.mark.parametrize("food", ["999999", "abc", "-1", "9" * 40])
def test_a_food_not_in_the_catalog_is_refused(user_client, foods, food):
    _refused(user_client, form_data(lines=[(food, 100, "g")]), "invalid-feedback")


def test_an_inactive_food_is_refused(user_client, foods):
    gone = FoodFactory(name="Old product", is_active=False)
    data = form_data(lines=[(gone.pk, 100, "g")])
    _refused(user_client, data, "That food is not in the catalog")


def test_a_search_without_a_chosen_food_is_refused(user_client, foods):
    data = form_data(lines=[], **{"lines-0-food_query": "spinach", "lines-0-amount": "100"})
    _refused(user_client, data, "Choose a food from the list")


def test_a_duplicate_name_is_refused(user_client, recipe, foods):
    data = form_data(name="green RICE", lines=[(foods["rice"].pk, 100, "g")])
    _refused(user_client, data, "You already have a recipe called green RICE.")


def test_a_missing_management_form_is_refused(user_client, foods):
    data = form_data(lines=[(foods["rice"].pk, 100, "g")])
    del data["lines-TOTAL_FORMS"]
    _refused(user_client, data, "alert-danger")


def test_find_shows_matches_without_saving_and_without_javascript(user_client, foods):
    FoodFactory(name="Spinach souffle")
    data = form_data(lines=[], find="lines-0", **{"lines-0-food_query": "spinach"})
    data.pop("save")
    before = Meal.objects.count()
    response = user_client.post(reverse("recipes:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert Meal.objects.count() == before
    assert "invalid-feedback" not in page  # not checked yet: no errors shown
    choices = page[page.index('id="lines-0-choices"') :]
    assert choices.index("Spinach, raw") < choices.index("Spinach souffle")
    assert f'name="lines-0-food" id="lines-0-food-{foods["spinach"].pk}"' in page


def test_more_lines_adds_rows(user_client):
    data = form_data(lines=[], more="1")
    data.pop("save")
    page = user_client.post(reverse("recipes:create"), data).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="4"' in page
    assert 'id="lines-3"' in page


# --- edit ---------------------------------------------------------------------------------


def test_edit_replaces_the_recipe(user_client, recipe, foods):
    response = user_client.get(reverse("recipes:edit", args=[recipe.pk]))
    assert response.status_code == 200
    assert 'value="Green rice"' in response.content.decode()
    data = form_data(
        name="Green rice, less sauce",
        servings="3",
        lines=[(foods["rice"].pk, 250, "g"), (foods["spinach"].pk, 100, "g")],
        not_counted="lemon juice",
    )
    response = user_client.post(reverse("recipes:edit", args=[recipe.pk]), data)
    assert response.status_code == 302
    recipe.refresh_from_db()
    assert recipe.name == "Green rice, less sauce" and recipe.servings == 3
    assert sorted(recipe.ingredients.values_list("grams", flat=True)) == [100, 250]
    assert recipe.not_counted == "lemon juice"


def test_edit_with_bad_input_keeps_the_recipe(user_client, recipe, foods):
    data = form_data(name="", lines=[(foods["rice"].pk, "lots", "g")])
    response = user_client.post(reverse("recipes:edit", args=[recipe.pk]), data)
    assert response.status_code == 200
    recipe.refresh_from_db()
    assert recipe.name == "Green rice" and recipe.ingredients.count() == 3


def test_edit_can_remove_a_line(user_client, recipe, foods):
    data = form_data(
        lines=[(foods["rice"].pk, 250, "g"), (foods["spinach"].pk, 100, "g")],
        **{"lines-1-DELETE": "on"},
    )
    assert user_client.post(reverse("recipes:edit", args=[recipe.pk]), data).status_code == 302
    assert list(recipe.ingredients.values_list("food__name", flat=True)) == ["Rice, brown, cooked"]


# --- delete: mealplan/tests/test_recipe_delete.py (deleting reaches into the weeks) -----


# --- copy ---------------------------------------------------------------------------------


@pytest.fixture
def curated(foods) -> Meal:
    meal = MealFactory(name="Rice bowl", servings=2, fits_breakfast=True, instructions="Stir.")
    IngredientFactory(meal=meal, food=foods["rice"], grams=300)
    IngredientFactory(
        meal=meal, food=foods["banana"], grams=236, portion=foods["medium"], quantity=2
    )
    return meal


def test_meal_page_offers_copy_to_logged_in_users_only(user_client, curated):
    client = Client()
    url = reverse("foods:meal_detail", args=[curated.pk])
    copy_url = reverse("recipes:copy", args=[curated.pk])
    assert copy_url not in client.get(url).content.decode()
    assert copy_url in user_client.get(url).content.decode()


def test_copy_makes_an_editable_copy(user_client, user, curated):
    response = user_client.post(reverse("recipes:copy", args=[curated.pk]))
    copy = Meal.objects.get(owner=user)
    assert response.status_code == 302
    assert response.url == reverse("recipes:edit", args=[copy.pk])
    assert copy.name == "Rice bowl (my copy)"
    assert copy.copied_from == curated
    assert copy.servings == 2 and copy.slots == curated.slots and copy.instructions == "Stir."
    lines = list(copy.ingredients.order_by("id").values_list("food_id", "grams", "quantity"))
    assert lines == list(
        curated.ingredients.order_by("id").values_list("food_id", "grams", "quantity")
    )
    assert user_client.get(response.url).status_code == 200
    user_client.post(reverse("recipes:copy", args=[curated.pk]))
    assert Meal.objects.filter(owner=user, name="Rice bowl (my copy 2)").exists()
    assert Meal.objects.curated().count() == 1


def test_copy_is_post_only_and_needs_a_login(user_client, curated):
    client = Client()
    assert user_client.get(reverse("recipes:copy", args=[curated.pk])).status_code == 405
    assert client.post(reverse("recipes:copy", args=[curated.pk])).status_code == 302
    assert Meal.objects.count() == 1


def test_copy_of_a_recipe_or_an_inactive_meal_is_404(user_client, recipe, foreign_recipe):
    hidden = MealFactory(name="Retired", is_active=False)
    for meal in (recipe, foreign_recipe, hidden):
        assert user_client.post(reverse("recipes:copy", args=[meal.pk])).status_code == 404
    assert Meal.objects.count() == 3


# --- ownership ----------------------------------------------------------------------------


def test_another_users_recipe_is_404_everywhere(user_client, foreign_recipe, foods):
    before = (
        Meal.objects.get(pk=foreign_recipe.pk).name,
        list(foreign_recipe.ingredients.values_list("pk", flat=True)),
    )
    pk = foreign_recipe.pk
    for name in ("recipes:detail", "recipes:edit", "mealplan:recipe_delete"):
        assert user_client.get(reverse(name, args=[pk])).status_code == 404, name
    data = form_data(name="Mine now", lines=[(foods["rice"].pk, 100, "g")])
    for name in ("recipes:edit", "mealplan:recipe_delete"):
        assert user_client.post(reverse(name, args=[pk]), data).status_code == 404
    foreign_recipe.refresh_from_db()
    after = (foreign_recipe.name, list(foreign_recipe.ingredients.values_list("pk", flat=True)))
    assert after == before
    for name in ("recipes:detail", "recipes:edit", "mealplan:recipe_delete"):
        assert user_client.get(reverse(name, args=[10**9])).status_code == 404


def test_a_curated_meal_is_not_editable_as_a_recipe(user_client, curated):
    for name in ("recipes:detail", "recipes:edit", "mealplan:recipe_delete"):
        url = reverse(name, args=[curated.pk])
        assert user_client.get(url).status_code == 404
        assert user_client.post(url).status_code == (405 if name == "recipes:detail" else 404)
    assert Meal.objects.filter(pk=curated.pk).exists()


# --- food search (htmx) -------------------------------------------------------------------


def test_food_search_ranks_the_plain_food_first(user_client, foods):
    baby = Category.objects.create(name="Baby Foods", usda_group_code="0300")
    FoodFactory(name="Babyfood, spinach, creamed", category=baby)
    FoodFactory(name="Spinach souffle")
    response = user_client.get(
        reverse("recipes:food_search"), {"prefix": "lines-2", "lines-2-food_query": "spinach"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Spinach, raw") < page.index("Spinach souffle")
    assert page.index("Spinach souffle") < page.index("Babyfood, spinach")
    assert 'name="lines-2-food"' in page
    assert reverse("recipes:food_units") in page


def test_food_search_leaves_out_inactive_foods_and_keeps_the_chosen_one(user_client, foods):
    FoodFactory(name="Spinach, discontinued", is_active=False)
    response = user_client.get(
        reverse("recipes:food_search"),
        {"prefix": "lines-0", "lines-0-food_query": "spinach", "lines-0-food": foods["rice"].pk},
    )
    page = response.content.decode()
    assert "discontinued" not in page
    assert page.index("Rice, brown, cooked") < page.index("Spinach, raw")
    assert f'value="{foods["rice"].pk}" checked' in page


def test_food_search_says_when_nothing_matches(user_client, foods):
    response = user_client.get(
        reverse("recipes:food_search"), {"prefix": "lines-0", "lines-0-food_query": "zzzz"}
    )
    assert 'No food matches "zzzz"' in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "form-0", "lines-x", "lines-0<script>", "lines-123"])
def test_food_search_refuses_a_bad_prefix(user_client, prefix):
    assert user_client.get(reverse("recipes:food_search"), {"prefix": prefix}).status_code == 404
    assert user_client.get(reverse("recipes:food_units"), {"prefix": prefix}).status_code == 404


def test_food_units_offer_the_foods_portions(user_client, foods):
    response = user_client.get(
        reverse("recipes:food_units"),
        {"prefix": "lines-1", "lines-1-food": foods["banana"].pk, "lines-1-unit": "cup"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="portion-{foods["medium"].pk}">× 1 medium (118 g)</option>' in page
    assert '<option value="cup" selected>' in page
    assert 'name="lines-1-unit"' in page


def test_food_units_of_an_inactive_food_offer_no_portion(user_client, foods):
    foods["banana"].is_active = False
    foods["banana"].save()
    response = user_client.get(
        reverse("recipes:food_units"), {"prefix": "lines-1", "lines-1-food": foods["banana"].pk}
    )
    assert "portion-" not in response.content.decode()


def test_htmx_endpoints_need_a_login(client):
    for name in ("food_search", "food_units"):
        assert client.get(reverse(f"recipes:{name}"), {"prefix": "lines-0"}).status_code == 302


# --- queries ------------------------------------------------------------------------------


def test_pages_read_a_fixed_number_of_queries(
    user_client, user, foods, django_assert_max_num_queries
):
    many = [make_recipe(user, foods, name=f"Rice {i}") for i in range(6)]
    long_recipe = many[0]
    pages = [
        (reverse("recipes:list"), 8),
        (reverse("recipes:detail", args=[long_recipe.pk]), 8),
        (reverse("recipes:edit", args=[long_recipe.pk]), 10),
        (reverse("mealplan:recipe_delete", args=[long_recipe.pk]), 8),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert user_client.get(url).status_code == 200, url
    data = form_data(lines=[(foods["rice"].pk, 100, "g")] * 10, name="Ten lines")
    with django_assert_max_num_queries(16):
        assert user_client.post(reverse("recipes:create"), data).status_code == 302


def test_edit_offers_foods_like_one_gone_from_the_catalog(user_client, recipe, foods):
    FoodFactory(name="Mystery sauce, new recipe")
    foods["mystery"].is_active = False
    foods["mystery"].save()
    page = user_client.get(reverse("recipes:edit", args=[recipe.pk])).content.decode()
    assert 'value="Mystery sauce"' in page  # its search box
    assert "Mystery sauce, new recipe" in page
    data = form_data(lines=[(foods["mystery"].pk, 100, "g")])
    response = user_client.post(reverse("recipes:edit", args=[recipe.pk]), data)
    assert "That food is not in the catalog" in response.content.decode()
    assert recipe.ingredients.count() == 3


# --- limits shared by every way in, and lines kept as written ------------------------------


def test_a_70_line_recipe_from_a_paste_can_be_edited(user_client, user, foods):
    """A review may save up to 100 lines; the recipe form must take them back."""
    lines = [
        RecipeLine(foods["spinach"], 10 + index, f"{10 + index} g spinach") for index in range(70)
    ]
    meal = recipe_save(
        owner=user,
        data=RecipeData(name="Long list", slots=["lunch"], servings=2, lines=lines),
    )
    page = user_client.get(reverse("recipes:edit", args=[meal.pk])).content.decode()
    assert 'name="lines-69-amount"' in page
    data = form_data(
        name="Long list", lines=[(foods["spinach"].pk, 10 + index, "g") for index in range(70)]
    )
    response = user_client.post(reverse("recipes:edit", args=[meal.pk]), data)
    assert response.status_code == 302
    assert meal.ingredients.count() == 70


def test_not_counted_lines_as_long_as_a_review_saves_can_be_edited(user_client, user, foods):
    not_counted = [f"{index:03d} " + "x" * 290 for index in range(100)]  # 100 lines, ~29,500 chars
    meal = recipe_save(
        owner=user,
        data=RecipeData(
            name="Many notes",
            slots=["lunch"],
            servings=1,
            lines=[RecipeLine(foods["rice"], 100, "100 g rice")],
            not_counted=not_counted,
        ),
    )
    data = form_data(
        name="Many notes",
        lines=[(foods["rice"].pk, 100, "g")],
        not_counted=meal.not_counted,
    )
    response = user_client.post(reverse("recipes:edit", args=[meal.pk]), data)
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.not_counted_lines == not_counted


def test_one_limit_each_for_every_way_in(user, foods):
    from foods import recipe_forms, recipe_review_forms, recipe_services
    from foods.recipes import drafts

    assert drafts.MAX_LINES is recipe_forms.MAX_LINES is recipe_services.MAX_LINES
    assert (
        recipe_forms.RecipeForm.base_fields["not_counted"].max_length
        == recipe_services.MAX_LIST_CHARS
        == recipe_review_forms.PasteForm.base_fields["ingredients"].max_length
    )
    too_many = [RecipeLine(foods["rice"], 10, "10 g rice")] * (recipe_services.MAX_LINES + 1)
    with pytest.raises(recipe_services.RecipeError, match="at most 100"):
        recipe_save(owner=user, data=RecipeData(name="Too long", slots=["lunch"], servings=1,
                                                lines=too_many))  # fmt: skip
    with pytest.raises(recipe_services.RecipeError, match="not counted"):
        recipe_save(
            owner=user,
            data=RecipeData(
                name="Too many notes",
                slots=["lunch"],
                servings=1,
                lines=too_many[:1],
                not_counted=["x" * 300] * 101,
            ),
        )
    assert not Meal.objects.filter(owner=user).exists()


def _hidden(page: str) -> dict[str, str]:
    import html
    import re

    found = re.findall(r'<input type="hidden" name="(lines-\d+-\w+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in found}


def test_edit_keeps_each_line_as_written_unless_its_food_or_amount_changed(
    user_client, user, foods
):
    from foods.recipe_forms import line_initial

    meal = recipe_save(
        owner=user,
        data=RecipeData(
            name="Rice bowl",
            slots=["lunch"],
            servings=2,
            lines=[
                RecipeLine(foods["rice"], 390, "2 cups cooked brown rice"),
                RecipeLine(foods["spinach"], 30, "a big handful of baby spinach"),
                RecipeLine(foods["banana"], 118, "1 ripe banana, sliced"),
            ],
        ),
    )
    page = user_client.get(reverse("recipes:edit", args=[meal.pk])).content.decode()
    hidden = _hidden(page)
    assert hidden["lines-0-text"] == "2 cups cooked brown rice"
    shown = [line_initial(i) for i in meal.ingredients.order_by("pk")]
    data = form_data(
        name="Rice bowl",
        lines=[
            (shown[0]["food"], shown[0]["amount"], shown[0]["unit"]),  # untouched
            (shown[1]["food"], "50", "g"),  # amount changed
            (foods["rice"].pk, shown[2]["amount"], shown[2]["unit"]),  # food changed
        ],
        **hidden,
    )
    response = user_client.post(reverse("recipes:edit", args=[meal.pk]), data)
    assert response.status_code == 302
    texts = list(meal.ingredients.order_by("pk").values_list("text", flat=True))
    assert texts[0] == "2 cups cooked brown rice"
    assert texts[1] == "50 g Spinach, raw"
    assert texts[2] != "1 ripe banana, sliced" and "Rice, brown, cooked" in texts[2]


def test_coverage_never_rounds_up_to_100_percent(user_client, user, foods):
    """999 of 1,000 g known is 99.9 %: shown as 99 %, since one ingredient is unknown."""
    meal = recipe_save(
        owner=user,
        data=RecipeData(
            name="Almost known",
            slots=["dinner"],
            servings=1,
            lines=[RecipeLine(foods["rice"], 999), RecipeLine(foods["mystery"], 1)],
        ),
    )
    page = user_client.get(reverse("recipes:detail", args=[meal.pk])).content.decode()
    assert "magnesium known for 1 of 2 ingredients (99 % of the weight)" in page
    assert "100 % of the weight" not in page


def test_a_not_counted_line_longer_than_a_line_is_refused(user_client, user, foods):
    data = form_data(lines=[(foods["rice"].pk, 100, "g")], not_counted="x" * 301)
    response = user_client.post(reverse("recipes:create"), data)
    assert response.status_code == 200
    assert "keep each to 300" in response.content.decode()
    assert not Meal.objects.filter(owner=user).exists()
