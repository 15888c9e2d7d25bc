import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm
from import_export.tmp_storages import TempFolderStorage
from tablib import Dataset

from foods.models import Allergen, Food, Ingredient, Meal
from foods.resources import FoodResource
from foods.tests.factories import (
    CategoryFactory,
    FoodFactory,
    IngredientFactory,
    MealFactory,
    PortionFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:foods_food_changelist")
ADD = reverse("admin:foods_food_add")
IMPORT = reverse("admin:foods_food_import")
PROCESS_IMPORT = reverse("admin:foods_food_process_import")


@pytest.fixture
def admin(client, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        username="boss", email="boss@example.com", password="x"
    )
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def catalog():
    vegetables = CategoryFactory(name="Vegetables and Vegetable Products")
    nuts = CategoryFactory(name="Nut and Seed Products")
    drinks = CategoryFactory(name="Beverages")
    spinach = FoodFactory(
        name="Spinach, raw", category=vegetables, source_ref="11457", magnesium_mg_per_100g=79
    )
    PortionFactory(food=spinach, name="1 cup", grams=30)
    almonds = FoodFactory(
        name="Nuts, almonds",
        category=nuts,
        source_ref="12061",
        magnesium_mg_per_100g=270,
        allergen_codes=["tree_nuts"],
    )
    salmon = FoodFactory(
        name="Fish, salmon", source_ref="15076", vegan=False, vegetarian=False, pescatarian=True
    )
    mystery = FoodFactory(name="Mystery drink", category=drinks, magnesium_mg_per_100g=None)
    shot = FoodFactory(
        name="Immune Support",
        brand="Vitaminis",
        kind="branded",
        category=drinks,
        source_kind="label",
        source_ref="",
        magnesium_mg_per_100g=208.33,
        is_active=False,
    )
    return {"spinach": spinach, "almonds": almonds, "salmon": salmon, "mystery": mystery,
            "shot": shot}  # fmt: skip


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {food.name for food in response.context["cl"].result_list}


# Food changelist


def test_food_changelist_shows_the_columns(admin, catalog):
    response = admin.get(CHANGELIST)

    html = response.content.decode()
    assert listed(response) == {f.name for f in catalog.values()}
    assert "79 mg" in html
    assert "24 mg in 1 cup" in html  # 79 mg/100 g x 30 g
    assert "USDA SR28 #11457" in html
    assert "Product label" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind__exact": "branded"}, {"Immune Support"}),
        ({"diet": "vegan"}, {"Spinach, raw", "Nuts, almonds", "Mystery drink", "Immune Support"}),
        ({"diet": "pescatarian"}, None),  # everything
        ({"is_active__exact": "0"}, {"Immune Support"}),
        ({"magnesium": "unknown"}, {"Mystery drink"}),
        ({"q": "spinach"}, {"Spinach, raw"}),
        ({"q": "vitaminis"}, {"Immune Support"}),
        ({"q": "12061"}, {"Nuts, almonds"}),
    ],
)
def test_food_changelist_filters_and_search(admin, catalog, query, expected):
    response = admin.get(CHANGELIST, query)

    assert listed(response) == (expected or {f.name for f in catalog.values()})


def test_food_changelist_filters_by_category_and_allergen(admin, catalog):
    nuts = catalog["almonds"].category
    tree_nuts = Allergen.objects.get(code="tree_nuts")

    assert listed(admin.get(CHANGELIST, {"category__id__exact": nuts.pk})) == {"Nuts, almonds"}
    assert listed(admin.get(CHANGELIST, {"allergens__id__exact": tree_nuts.pk})) == {
        "Nuts, almonds"
    }


def food_with_portion(n: int) -> None:
    for _ in range(n):
        food = FoodFactory(category=CategoryFactory(name=f"Category {Food.objects.count()}"))
        PortionFactory(food=food)
        food.allergens.set(Allergen.objects.filter(code="milk"))


def test_food_changelist_query_count_is_constant(admin, django_assert_max_num_queries):
    food_with_portion(3)
    with CaptureQueriesContext(connection) as few:
        admin.get(CHANGELIST)
    food_with_portion(40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 43


def test_activate_and_deactivate_actions(admin, catalog):
    ids = [catalog["spinach"].pk, catalog["shot"].pk]

    admin.post(CHANGELIST, {"action": "deactivate", "_selected_action": ids})
    assert Food.objects.filter(pk__in=ids, is_active=True).count() == 0

    admin.post(CHANGELIST, {"action": "activate", "_selected_action": ids})
    assert Food.objects.filter(pk__in=ids, is_active=True).count() == 2


@pytest.mark.parametrize("action", ["activate", "deactivate"])
def test_activate_and_deactivate_mark_the_foods_changed(admin, catalog, action):
    """The ingredient matcher rebuilds its index when a food's updated_at moves."""
    from datetime import UTC, datetime

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Food.objects.update(updated_at=long_ago)
    admin.post(CHANGELIST, {"action": action, "_selected_action": [catalog["spinach"].pk]})
    catalog["spinach"].refresh_from_db()
    assert catalog["spinach"].updated_at > long_ago


# Food form and label entry


def food_form(category, **values) -> dict:
    data = {
        "name": "Immune Support",
        "brand": "Vitaminis",
        "category": category.pk,
        "kind": "branded",
        "source_kind": "label",
        "source_ref": "",
        "added_magnesium_mg_per_100g": "0",
        "is_active": "on",
        "note": "",
        "portions-TOTAL_FORMS": "0",
        "portions-INITIAL_FORMS": "0",
        "portions-MIN_NUM_FORMS": "0",
        "portions-MAX_NUM_FORMS": "1000",
    }
    data.update(values)
    return data


def test_food_change_form_renders(admin, catalog):
    response = admin.get(reverse("admin:foods_food_change", args=[catalog["spinach"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Label entry: values per serving" in html
    assert 'name="serving_grams"' in html
    assert 'name="magnesium_mg_per_serving"' in html
    assert 'name="portions-0-grams"' in html


def test_label_entry_is_stored_per_100g_with_a_serving_portion(admin):
    drinks = CategoryFactory(name="Beverages")

    response = admin.post(
        ADD,
        food_form(
            drinks,
            serving_name="1 shot",
            serving_grams="60",
            magnesium_mg_per_serving="125",
            added_magnesium_mg_per_serving="125",
            sodium_mg_per_serving="3",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    shot = Food.objects.get(name="Immune Support")
    assert shot.magnesium_mg_per_100g == pytest.approx(208.333, abs=0.001)
    assert shot.added_magnesium_mg_per_100g == pytest.approx(208.333, abs=0.001)
    assert shot.sodium_mg_per_100g == pytest.approx(5)
    assert shot.kcal_per_100g is None  # left empty: unknown, not zero
    assert shot.protein_g_per_100g is None
    assert list(shot.portions.values_list("name", "grams", "is_default")) == [("1 shot", 60, True)]


def test_label_entry_keeps_an_existing_portion_of_that_size(admin, catalog):
    shot = catalog["shot"]
    PortionFactory(food=shot, name="1 shot", grams=60)
    data = food_form(
        shot.category, serving_grams="60", magnesium_mg_per_serving="120", is_active=""
    )
    data["magnesium_mg_per_100g"] = "208.33"  # unchanged, as the form shows it
    data.update(
        {
            "portions-TOTAL_FORMS": "1",
            "portions-INITIAL_FORMS": "1",
            "portions-0-id": str(shot.portions.get().pk),
            "portions-0-food": str(shot.pk),
            "portions-0-name": "1 shot",
            "portions-0-grams": "60",
            "portions-0-is_default": "on",
            "portions-0-seq": "0",
        }
    )

    response = admin.post(reverse("admin:foods_food_change", args=[shot.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    shot.refresh_from_db()
    assert shot.magnesium_mg_per_100g == pytest.approx(200)
    assert shot.portions.count() == 1


def test_label_entry_needs_the_serving_size(admin):
    response = admin.post(ADD, food_form(CategoryFactory(), magnesium_mg_per_serving="125"))

    assert response.status_code == 200
    assert "Give the serving size" in response.content.decode()
    assert not Food.objects.exists()


def test_label_entry_refuses_a_value_given_both_ways(admin):
    data = food_form(
        CategoryFactory(),
        serving_grams="60",
        magnesium_mg_per_serving="125",
        magnesium_mg_per_100g="10",
    )

    response = admin.post(ADD, data)

    assert "per 100 g or per serving, not both" in response.content.decode()
    assert not Food.objects.exists()


def test_food_form_refuses_added_magnesium_above_magnesium(admin):
    data = food_form(CategoryFactory(), magnesium_mg_per_100g="10")
    data["added_magnesium_mg_per_100g"] = "20"

    response = admin.post(ADD, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["added_magnesium_mg_per_100g"] == [
        "Added magnesium cannot be more than the total magnesium. "
        "Added: 20 mg/100 g; total: 10 mg/100 g."
    ]
    assert "food_added_magnesium_lte_magnesium" not in response.content.decode()
    assert not Food.objects.exists()


def test_label_entry_refuses_added_magnesium_above_magnesium_per_serving(admin):
    data = food_form(
        CategoryFactory(),
        serving_grams="60",
        magnesium_mg_per_serving="100",
        added_magnesium_mg_per_serving="125",
    )

    response = admin.post(ADD, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot be more than the total" in errors["added_magnesium_mg_per_serving"][0]
    assert not Food.objects.exists()


def test_food_form_saves_shopping_name_keywords_and_may_contain(admin):
    data = food_form(
        CategoryFactory(),
        shopping_name="Immune shot",
        keywords="juice shot",
        may_contain=[Allergen.objects.get(code="soy").pk],
    )

    assert admin.post(ADD, data).status_code == 302
    food = Food.objects.get()
    assert (food.shopping_name, food.keywords) == ("Immune shot", "juice shot")
    assert list(food.may_contain.values_list("code", flat=True)) == ["soy"]


# Meals


def meal_with_unknown_magnesium() -> Meal:
    meal = MealFactory(name="Green bowl", servings=2, fits_lunch=True, fits_dinner=False)
    IngredientFactory(meal=meal, food=FoodFactory(name="Spinach", magnesium_mg_per_100g=79,
                                                  kcal_per_100g=23), grams=200)  # fmt: skip
    IngredientFactory(meal=meal, food=FoodFactory(name="Mystery sauce", magnesium_mg_per_100g=None,
                                                  kcal_per_100g=100), grams=100)  # fmt: skip
    return meal


def test_meal_change_form_shows_nutrition_per_serving_and_warns_of_unknowns(admin):
    meal = meal_with_unknown_magnesium()

    response = admin.get(reverse("admin:foods_meal_change", args=[meal.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "79 mg" in html  # 79 x 200 g / 100 / 2 servings
    assert "73 kcal" in html  # (46 + 100) / 2
    assert "magnesium is unknown for Mystery sauce" in html
    assert 'class="errornote"' in html
    assert "admin/autocomplete" in html or "autocomplete" in html


def test_meal_change_form_without_unknowns_has_no_warning(admin):
    meal = MealFactory()
    IngredientFactory(meal=meal, food=FoodFactory(magnesium_mg_per_100g=50))

    html = admin.get(reverse("admin:foods_meal_change", args=[meal.pk])).content.decode()

    assert "magnesium is unknown" not in html
    assert "50 mg" in html


def test_meal_changelist_shows_per_serving_values_with_constant_queries(
    admin, django_assert_max_num_queries
):
    meal_with_unknown_magnesium()
    url = reverse("admin:foods_meal_changelist")
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    for _ in range(20):
        IngredientFactory(meal=MealFactory(fits_breakfast=True))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get(url)

    html = response.content.decode()
    assert "79 mg (incomplete)" in html
    assert "lunch" in html
    assert len(response.context["cl"].result_list) == 21


def test_meal_changelist_filters_by_slot_and_active(admin):
    meal_with_unknown_magnesium()
    MealFactory(name="Porridge", fits_breakfast=True, fits_lunch=False, fits_dinner=False)
    MealFactory(name="Old stew", is_active=False)
    url = reverse("admin:foods_meal_changelist")

    assert listed(admin.get(url, {"slot": "breakfast"})) == {"Porridge"}
    assert listed(admin.get(url, {"slot": "lunch"})) == {"Green bowl", "Old stew"}
    assert listed(admin.get(url, {"is_active__exact": "0"})) == {"Old stew"}


def test_meal_add_with_an_ingredient(admin, catalog):
    data = {
        "name": "Almond snack",
        "fits_snack": "on",
        "servings": "1",
        "prep_minutes": "0",
        "instructions": "",
        "is_active": "on",
        "ingredients-TOTAL_FORMS": "1",
        "ingredients-INITIAL_FORMS": "0",
        "ingredients-MIN_NUM_FORMS": "0",
        "ingredients-MAX_NUM_FORMS": "1000",
        "ingredients-0-food": str(catalog["almonds"].pk),
        "ingredients-0-grams": "30",
    }

    response = admin.post(reverse("admin:foods_meal_add"), data)

    assert response.status_code == 302
    meal = Meal.objects.with_nutrition().get(name="Almond snack")
    assert meal.magnesium_mg == pytest.approx(81)


def meal_form(**ingredient) -> dict:
    data = {
        "name": "Spinach side",
        "fits_dinner": "on",
        "servings": "2",
        "prep_minutes": "5",
        "instructions": "",
        "is_active": "on",
        "ingredients-TOTAL_FORMS": "1",
        "ingredients-INITIAL_FORMS": "0",
        "ingredients-MIN_NUM_FORMS": "0",
        "ingredients-MAX_NUM_FORMS": "1000",
    }
    data.update({f"ingredients-0-{key}": str(value) for key, value in ingredient.items()})
    return data


def test_meal_ingredient_portions_are_the_foods_own_named_with_it(admin, catalog):
    PortionFactory(food=catalog["almonds"], name="1 oz", grams=28, is_default=True)
    meal = MealFactory(name="Salad")
    IngredientFactory(meal=meal, food=catalog["spinach"], grams=60)

    response = admin.get(reverse("admin:foods_meal_change", args=[meal.pk]))

    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    labels = [label for value, label in form.fields["portion"].choices if str(value)]
    assert labels == ["Spinach, raw: 1 cup (30 g)"]
    extra = response.context["inline_admin_formsets"][0].formset.forms[1]
    assert not extra.fields["portion"].queryset.exists()


def test_meal_ingredient_refuses_another_foods_portion(admin, catalog):
    ounce = PortionFactory(food=catalog["almonds"], name="1 oz", grams=28, is_default=True)
    data = meal_form(food=catalog["spinach"].pk, portion=ounce.pk, quantity="1")

    response = admin.post(reverse("admin:foods_meal_add"), data)

    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.errors["portion"] == ["This portion belongs to Nuts, almonds, not to Spinach, raw."]
    assert not Meal.objects.exists()


@pytest.mark.parametrize("page", ["admin:foods_food_import", "admin:foods_food_export"])
def test_import_export_pages_have_nothing_inline_that_csp_blocks(admin, catalog, page):
    response = admin.get(reverse(page))

    assert response.status_code == 200
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.content.decode()
    assert not re.search(r"\sstyle=|\son[a-z]+=|<style", html)
    # Every script without a src carries the page's nonce.
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or "nonce=" in script
    for asset in re.findall(r'(?:src|href)="/static/([^"?]+)', html):
        assert finders.find(asset), asset


def test_meal_ingredient_as_portion_times_quantity(admin, catalog):
    cup = catalog["spinach"].portions.get()
    data = meal_form(food=catalog["spinach"].pk, portion=cup.pk, quantity="4")

    assert admin.post(reverse("admin:foods_meal_add"), data).status_code == 302
    ingredient = Ingredient.objects.get(meal__name="Spinach side")
    assert (ingredient.grams, ingredient.quantity, ingredient.portion) == (120, 4, cup)


@pytest.mark.parametrize(
    ("ingredient", "message"),
    [
        ({}, "Give the grams, or a portion and a quantity."),
        ({"quantity": "2"}, "Give a portion and a quantity together."),
        ({"portion": "other"}, "This portion belongs to"),
    ],
)
def test_meal_ingredient_needs_grams_or_a_matching_portion(admin, catalog, ingredient, message):
    if ingredient.get("portion") == "other":
        ingredient = {"portion": PortionFactory(food=catalog["almonds"]).pk, "quantity": "1"}
    data = meal_form(food=catalog["spinach"].pk, **ingredient)

    response = admin.post(reverse("admin:foods_meal_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meal.objects.filter(name="Spinach side").exists()


def test_food_autocomplete_for_ingredients(admin, catalog):
    response = admin.get(
        reverse("admin:autocomplete"),
        {"app_label": "foods", "model_name": "ingredient", "field_name": "food", "term": "almond"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Nuts, almonds"]


def test_meal_delete_action(admin):
    meal = meal_with_unknown_magnesium()

    admin.post(
        reverse("admin:foods_meal_changelist"),
        {"action": "delete_selected", "_selected_action": [meal.pk], "post": "yes"},
    )

    assert not Meal.objects.exists()
    assert not Ingredient.objects.exists()


# CSV import and export

HEADER = (
    "id,name,category,kind,brand,source_kind,source_ref,kcal_per_100g,magnesium_mg_per_100g,"
    "added_magnesium_mg_per_100g,allergens,vegan,vegetarian,pescatarian"
)


def csv_file(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


GOOD_ROWS = (
    ",Oat drink,Beverages,branded,Oatly,label,,46,12,0,,1,1,1",
    ",Skyr,Dairy and Egg Products,whole,,sr28,01999,63,11,0,milk,0,1,1",
)
BAD_ROWS = (
    ",Negative,Beverages,whole,,label,,-5,12,0,,1,1,1",  # row 3: kcal negative
    ",Words,Beverages,whole,,label,,lots,twelve,0,,1,1,1",  # row 4: two columns not numbers
    ",Unknown group,Rocks,whole,,label,,1,1,0,,1,1,1",  # row 5: unknown category
    ",Twin A,Beverages,whole,,sr28,01888,1,1,0,,1,1,1",  # row 6: duplicate source...
    ",Twin B,Beverages,whole,,sr28,01888,1,1,0,,1,1,1",  # row 7: ...within the file
    ",Clash,Beverages,whole,,sr28,11457,1,1,0,,1,1,1",  # row 8: another food's source
    ",Fortified,Beverages,branded,,label,,1,10,20,,1,1,1",  # row 9: added > magnesium
    ",Bad tags,Beverages,whole,,label,,1,1,0,gluten,maybe,1,1",  # row 10: allergen, boolean
)


@pytest.fixture
def categories():
    CategoryFactory(name="Beverages")
    CategoryFactory(name="Dairy and Egg Products")
    FoodFactory(name="Spinach, raw", source_kind="sr28", source_ref="11457")


def expected_errors() -> dict[int, set[str]]:
    return {
        3: {"kcal_per_100g"},
        4: {"kcal_per_100g", "magnesium_mg_per_100g"},
        5: {"category"},
        6: {"source_ref"},
        7: {"source_ref"},
        8: {"source_ref"},
        9: {"added_magnesium_mg_per_100g"},
        10: {"allergens", "vegan"},
    }


def test_resource_refuses_a_partly_bad_file_and_lists_every_bad_row_and_column(categories):
    dataset = Dataset().load(csv_file(*GOOD_ROWS, *BAD_ROWS), format="csv")

    result = FoodResource().import_data(dataset, dry_run=False)

    assert not result.has_errors()
    assert result.has_validation_errors()
    errors = {row.number: set(row.field_specific_errors) for row in result.invalid_rows}
    assert errors == expected_errors()
    assert Food.objects.count() == 1  # nothing saved, not even the good rows


def test_resource_imports_a_good_file(categories):
    dataset = Dataset().load(csv_file(*GOOD_ROWS), format="csv")

    result = FoodResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    skyr = Food.objects.get(name="Skyr")
    assert (skyr.source_kind, skyr.source_ref, skyr.kcal_per_100g) == ("sr28", "01999", 63)
    assert skyr.fat_g_per_100g is None  # the column is absent: unknown
    assert list(skyr.allergens.values_list("code", flat=True)) == ["milk"]
    assert (skyr.vegan, skyr.vegetarian) == (False, True)


def test_resource_export_columns(catalog):
    catalog["almonds"].allergens.set(Allergen.objects.filter(code__in=["tree_nuts", "milk"]))

    dataset = FoodResource().export()

    assert dataset.headers[:3] == ["id", "name", "category"]
    assert "allergens" in dataset.headers and "vegan" in dataset.headers
    rows = {row["name"]: row for row in dataset.dict}
    assert rows["Nuts, almonds"]["allergens"] == "milk;tree_nuts"
    assert rows["Nuts, almonds"]["category"] == "Nut and Seed Products"
    assert rows["Nuts, almonds"]["vegan"] == "1"
    assert rows["Fish, salmon"]["vegan"] == "0"
    assert rows["Mystery drink"]["magnesium_mg_per_100g"] == ""


def test_resource_reads_and_writes_may_contain_shopping_name_and_keywords(categories):
    header = "id,name,category,kind,brand,shopping_name,keywords,source_kind,may_contain"
    rows = [
        ",Oat drink,Beverages,branded,Oatly,Oat drink,milk alternative,label,wheat",
        ",Odd,Beverages,whole,,,,label,gluten",
    ]
    dataset = Dataset().load("\n".join([header, *rows]) + "\n", format="csv")

    result = FoodResource().import_data(dataset, dry_run=False)

    errors = {row.number: set(row.field_specific_errors) for row in result.invalid_rows}
    assert errors == {2: {"may_contain"}}
    result = FoodResource().import_data(
        Dataset().load("\n".join([header, rows[0]]) + "\n", format="csv"), dry_run=False
    )
    assert not result.has_validation_errors()
    drink = Food.objects.get(name="Oat drink")
    assert (drink.shopping_name, drink.keywords) == ("Oat drink", "milk alternative")
    assert list(drink.may_contain.values_list("code", flat=True)) == ["wheat"]
    exported = {row["name"]: row for row in FoodResource().export().dict}
    assert exported["Oat drink"]["may_contain"] == "wheat"


def test_export_round_trip_changes_nothing(catalog):
    dataset = FoodResource().export()

    result = FoodResource().import_data(Dataset().load(dataset.csv, format="csv"), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Food.objects.count() == len(catalog)


def upload(client, text: str):
    return client.post(
        IMPORT,
        {
            "format": "0",
            "import_file": SimpleUploadedFile("foods.csv", text.encode(), "text/csv"),
        },
    )


def test_admin_import_lists_every_bad_row_and_saves_nothing(admin, categories):
    response = upload(admin, csv_file(*GOOD_ROWS, *BAD_ROWS))

    assert response.status_code == 200
    result = response.context["result"]
    errors = {row.number: set(row.field_specific_errors) for row in result.invalid_rows}
    assert errors == expected_errors()
    html = response.content.decode()
    assert "Some rows failed to validate" in html
    assert "Unknown category &#x27;Rocks&#x27;" in html or "Unknown category 'Rocks'" in html
    assert "appears more than once (rows 6, 7)" in html
    assert 'name="import_file_name"' not in html  # no confirm button
    assert Food.objects.count() == 1


def test_admin_import_confirm_of_a_bad_file_saves_nothing(admin, categories):
    # Even a hand-made confirm request (the form offers none) must not save the good rows.
    storage = TempFolderStorage(encoding="utf-8", read_mode="r")
    storage.save(csv_file(*GOOD_ROWS, *BAD_ROWS).encode())

    response = admin.post(
        PROCESS_IMPORT,
        {"import_file_name": storage.name, "original_file_name": "foods.csv", "format": "0"},
    )

    assert response.status_code == 302
    assert Food.objects.count() == 1


def test_admin_import_good_file_after_confirm(admin, categories):
    response = upload(admin, csv_file(*GOOD_ROWS))
    assert Food.objects.count() == 1  # the preview saves nothing
    form = response.context["confirm_form"]

    response = admin.post(PROCESS_IMPORT, {name: form[name].value() for name in form.fields})

    assert response.status_code == 302
    assert set(Food.objects.values_list("name", flat=True)) == {"Spinach, raw", "Oat drink", "Skyr"}


def test_admin_export_csv(admin, catalog):
    fields = {
        SelectableFieldsExportForm.create_boolean_field_name(FoodResource, name): "on"
        for name in FoodResource().get_export_order()
    }

    response = admin.post(
        reverse("admin:foods_food_export"), {"format": "0", "resource": "0", **fields}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0].startswith("id,name,category")
    assert "Spinach, raw" in text
