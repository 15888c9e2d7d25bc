import itertools
import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import DateTimeField

from foods.importers.curated import CATALOG_PATH
from foods.models import Category, Food, Ingredient, Meal, Portion
from foods.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

SR28 = Path(__file__).parent / "data" / "sr28"

SHOT = {
    "name": "Vitaminis Immune Support",
    "brand": "Vitaminis",
    "kind": "branded",
    "category": "Beverages",
    "serving_name": "1 shot",
    "serving_grams": 60,
    "magnesium_mg_per_serving": 125,
    "added_magnesium_mg_per_serving": 125,
    "allergens": [],
    "diets": ["vegan", "vegetarian", "pescatarian"],
    "note": "From the label.",
}


def small_catalog() -> dict:
    """Return a catalog that uses foods of the SR28 test sample."""
    return {
        "foods": {
            "11457": {"allergens": [], "diets": ["vegan", "vegetarian", "pescatarian"]},
            "12061": {"allergens": ["tree_nuts"], "diets": ["vegan", "vegetarian", "pescatarian"]},
            "16009": {"allergens": [], "diets": []},
            "01123": {"allergens": ["egg"], "diets": ["vegetarian", "pescatarian"]},
        },
        "products": [SHOT],
        "meals": [
            {
                "name": "Spinach and almond salad",
                "slots": ["lunch", "dinner"],
                "servings": 2,
                "prep_minutes": 10,
                "instructions": "Toss.",
                "ingredients": [{"ndb": "11457", "grams": 200}, {"ndb": "12061", "grams": 40}],
            },
            {
                "name": "Immune shot",
                "slots": ["snack"],
                "servings": 1,
                "ingredients": [{"product": "Vitaminis Immune Support", "grams": 60}],
            },
        ],
    }


def load(tmp_path: Path, catalog: dict, *args: str) -> str:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    out = StringIO()
    call_command(
        "load_catalog", "--no-progress", "--file", str(path), "--sr28-dir", str(SR28), *args,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def sr28(ref: str) -> Food:
    return Food.objects.get(source_kind="sr28", source_ref=ref)


def test_empty_catalog_gets_the_whole_of_sr28(tmp_path):
    load(tmp_path, small_catalog())

    assert Food.objects.filter(source_kind="sr28").count() == 15  # the whole sample


def test_only_needed_imports_just_the_foods_used(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")

    refs = set(Food.objects.filter(source_kind="sr28").values_list("source_ref", flat=True))
    assert refs == {"11457", "12061", "16009", "01123"}


def test_a_catalog_with_sr28_foods_imports_only_the_missing_needed_ones(tmp_path):
    FoodFactory(source_kind="sr28", source_ref="11457", name="Spinach (kept)")

    output = load(tmp_path, small_catalog())

    refs = set(Food.objects.filter(source_kind="sr28").values_list("source_ref", flat=True))
    assert refs == {"11457", "12061", "16009", "01123"}
    assert sr28("11457").name == "Spinach (kept)"
    assert "3 created" in output


def test_curation_is_applied_and_marked_reviewed(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")

    beans = sr28("16009")
    assert (beans.vegan, beans.vegetarian, beans.pescatarian, beans.diets_reviewed) == (
        False, False, False, True,
    )  # fmt: skip
    egg = sr28("01123")
    assert (egg.vegan, egg.vegetarian, egg.pescatarian) == (False, True, True)
    assert list(egg.allergens.values_list("code", flat=True)) == ["egg"]
    assert sr28("11457").diets_reviewed


def test_the_juice_shot_is_stored_per_100g_from_its_label(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")

    shot = Food.objects.get(name="Vitaminis Immune Support")
    assert (shot.kind, shot.brand, shot.source_kind) == ("branded", "Vitaminis", "label")
    assert shot.category.name == "Beverages"
    assert shot.magnesium_mg_per_100g == pytest.approx(208.33, abs=0.01)
    assert shot.added_magnesium_mg_per_100g == shot.magnesium_mg_per_100g
    assert shot.per_grams("magnesium_mg_per_100g", 60) == pytest.approx(125)
    assert shot.kcal_per_100g is None
    assert shot.protein_g_per_100g is None
    assert (shot.vegan, shot.diets_reviewed) == (True, True)
    assert list(shot.portions.values_list("name", "grams", "is_default")) == [("1 shot", 60, True)]


def test_meals_are_created_with_their_ingredients_and_slots(tmp_path):
    output = load(tmp_path, small_catalog(), "--only-needed")

    salad = Meal.objects.get(name="Spinach and almond salad")
    assert (salad.fits_lunch, salad.fits_dinner, salad.fits_breakfast, salad.fits_snack) == (
        True, True, False, False,
    )  # fmt: skip
    assert (salad.servings, salad.prep_minutes, salad.instructions) == (2, 10, "Toss.")
    assert list(salad.ingredients.values_list("food__source_ref", "grams")) == [
        ("11457", 200),
        ("12061", 40),
    ]
    shot_meal = Meal.objects.with_nutrition().get(name="Immune shot")
    assert shot_meal.magnesium_mg == pytest.approx(125)
    assert shot_meal.added_magnesium_mg == pytest.approx(125)
    assert "Meal created: Spinach and almond salad" in output
    assert "Product created: Vitaminis Immune Support" in output


def test_second_load_changes_nothing(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")
    ingredient_ids = set(Ingredient.objects.values_list("id", flat=True))

    output = load(tmp_path, small_catalog(), "--only-needed")

    assert "Products: 0 created, 0 updated. Meals: 0 created, 0 updated, 2 unchanged." in output
    assert "Curated foods: 0 changed." in output
    assert Food.objects.count() == 5
    assert Meal.objects.count() == 2
    assert Portion.objects.filter(food__source_kind="label").count() == 1
    assert set(Ingredient.objects.values_list("id", flat=True)) == ingredient_ids


def test_meals_are_updated_in_place(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")
    salad = Meal.objects.get(name="Spinach and almond salad")
    first = salad.ingredients.order_by("id").first()
    catalog = small_catalog()
    catalog["meals"][0]["ingredients"] = [{"ndb": "11457", "grams": 250}]
    catalog["meals"][0]["slots"] = ["lunch"]

    output = load(tmp_path, catalog, "--only-needed")

    salad.refresh_from_db()
    assert "Meal updated: Spinach and almond salad" in output
    assert (salad.fits_lunch, salad.fits_dinner) == (True, False)
    assert list(salad.ingredients.values_list("id", "grams")) == [(first.id, 250)]


def test_curation_overrides_a_curator_edit_of_a_listed_food(tmp_path):
    load(tmp_path, small_catalog(), "--only-needed")
    Food.objects.filter(source_ref="01123").update(vegan=True)

    output = load(tmp_path, small_catalog(), "--only-needed")

    assert sr28("01123").vegan is False
    assert "Curated foods: 1 changed." in output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["meals"][0]["ingredients"].append({"ndb": "11111", "grams": 5}), "11111"),
        (lambda c: c["foods"].update({"99999": {"diets": []}}), "not in SR28: 99999"),
        (lambda c: c["foods"]["11457"].update({"allergens": ["gluten"]}), "unknown allergen"),
        (lambda c: c["meals"][1]["ingredients"][0].update({"product": "Nope"}), "unknown product"),
        (lambda c: c["meals"][0].update({"slots": ["brunch"]}), "slots must be"),
        (lambda c: c["products"][0].update({"serving_grams": 0}), "serving_grams"),
    ],
)
def test_a_bad_catalog_loads_nothing(tmp_path, change, message):
    catalog = small_catalog()
    change(catalog)

    with pytest.raises(CommandError, match=message):
        load(tmp_path, catalog, "--only-needed")

    assert not Food.objects.exists()
    assert not Meal.objects.exists()


# The real curated catalog, on the real SR28 data (the foods it needs only, for speed).

real_catalog = pytest.mark.skipif(not CATALOG_PATH.exists(), reason="no curated catalog yet")


@pytest.fixture
def curated(db) -> dict:
    data = json.loads(CATALOG_PATH.read_text())
    call_command("load_catalog", "--no-progress", "--only-needed", stdout=StringIO())
    return data


@real_catalog
def test_real_catalog_loads_every_meal_with_its_ingredients(curated):
    assert Meal.objects.count() == len(curated["meals"])
    for meal_data in curated["meals"]:
        meal = Meal.objects.get(name=meal_data["name"])
        assert meal.ingredients.count() == len(meal_data["ingredients"])
        assert set(meal.slots) == set(meal_data["slots"])
    assert Food.objects.filter(source_kind="sr28", diets_reviewed=True).count() == len(
        curated["foods"]
    )
    spinach = Food.objects.filter(source_kind="sr28", source_ref="11457").first()
    if spinach:
        assert spinach.magnesium_mg_per_100g == 79


@real_catalog
def test_real_catalog_juice_shot(curated):
    shot = Food.objects.get(name="Vitaminis Immune Support", brand="Vitaminis")
    assert shot.magnesium_mg_per_100g == pytest.approx(208.33, abs=0.01)
    assert shot.added_magnesium_mg_per_100g == pytest.approx(208.33, abs=0.01)
    assert shot.portions.get(is_default=True).grams == 60


@real_catalog
def test_real_catalog_second_load_is_idempotent(curated):
    out = StringIO()
    call_command("load_catalog", "--no-progress", "--only-needed", stdout=out)

    meals = len(curated["meals"])
    assert f"Meals: 0 created, 0 updated, {meals} unchanged." in out.getvalue()
    assert Meal.objects.count() == meals


def catalog_contents() -> dict[str, list[tuple]]:
    """Every row of the foods app without ids or timestamps, related rows by their names."""
    contents = {}
    for model in apps.get_app_config("foods").get_models():
        fields = [
            field
            for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if not field.primary_key and not isinstance(field, DateTimeField)
        ]
        rows = []
        for row in model._base_manager.all():
            values = []
            for field in fields:
                value = getattr(row, field.name)
                if field.many_to_many:
                    value = sorted(str(item) for item in value.all())
                elif field.is_relation:
                    value = str(value)
                values.append(value)
            rows.append(repr(values))
        contents[model.__name__] = sorted(rows)
    return contents


@real_catalog
def test_the_curated_catalog_fixture_restores_what_a_load_makes(curated, request):
    """The fixture other tests use instead of loading gives the very same catalog."""
    loaded = catalog_contents()
    for model in (Ingredient, Meal, Portion, Food, Category):
        model.objects.all().delete()
    request.getfixturevalue("curated_catalog")
    assert catalog_contents() == loaded


DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
SLOTS = ("breakfast", "lunch", "dinner", "snack")
TARGET_MG, KCAL_MIN, KCAL_MAX = 420, 1800, 2400


def good_days(meals: list) -> np.ndarray:
    """Return the magnesium of every good day: breakfast, lunch, dinner and optional snack.

    A good day reaches the target inside the calorie window, with no meal twice.
    """
    axes = []
    for slot in SLOTS:
        chosen = [(m.pk, m.kcal, m.magnesium_mg) for m in meals if m.fits(slot)]
        if slot == "snack":
            chosen.append((0, 0.0, 0.0))  # no snack
        axes.append(np.array(chosen, dtype=float).reshape(-1, 3))
    shapes = [[-1 if axis == index else 1 for axis in range(4)] for index in range(4)]
    ids, kcal, magnesium = (
        [axes[i][:, column].reshape(shapes[i]) for i in range(4)] for column in range(3)
    )
    total_kcal = sum(kcal)
    total_magnesium = sum(magnesium)
    distinct = (ids[0] != ids[1]) & (ids[0] != ids[2]) & (ids[1] != ids[2])
    distinct = distinct & (ids[3] != ids[0]) & (ids[3] != ids[1]) & (ids[3] != ids[2])
    good = distinct & (total_kcal >= KCAL_MIN) & (total_kcal <= KCAL_MAX)
    good &= total_magnesium >= TARGET_MG
    return np.broadcast_to(total_magnesium, good.shape)[good]


@real_catalog
def test_the_curated_catalog_can_make_good_days(curated_catalog):
    """For every diet, with and without nuts, at least 7 different days reach the target."""
    short = []
    for diet, nut_free in itertools.product(DIETS, (False, True)):
        meals = (
            Meal.objects.active()
            .for_diet(diet)
            .without_allergens(["tree_nuts", "peanuts"] if nut_free else [])
            .exclude(ingredients__food__kind__in=["branded", "supplement"])
            .with_nutrition()
        )
        meals = [m for m in meals if m.kcal is not None and m.magnesium_mg is not None]
        days = good_days(meals)
        best = days.max(initial=0)
        if len(days) < 7:
            label = f"{diet}{' nut-free' if nut_free else ''}"
            short.append(f"{label}: {len(days)} good days of {len(meals)} meals, best {best:.0f}")

    assert not short, (
        f"fewer than 7 days reach {TARGET_MG} mg in {KCAL_MIN}-{KCAL_MAX} kcal: {short}"
    )


def test_curation_sets_shopping_names_keywords_and_may_contain(tmp_path):
    catalog = small_catalog()
    catalog["foods"]["11457"]["shopping_name"] = "Spinach"
    catalog["foods"]["12061"]["may_contain"] = ["peanuts"]
    # Other tests change SHOT in place: give the values this test relies on.
    catalog["products"][0] = {
        **SHOT,
        "serving_grams": 60,
        "magnesium_mg_per_serving": 125,
        "added_magnesium_mg_per_serving": 125,
        "keywords": "juice shot",
        "may_contain": ["soy"],
    }
    load(tmp_path, catalog)

    assert sr28("11457").shopping_name == "Spinach"
    assert list(sr28("12061").may_contain.values_list("code", flat=True)) == ["peanuts"]
    shot = Food.objects.get(name="Vitaminis Immune Support")
    assert shot.keywords == "juice shot"
    assert list(shot.may_contain.values_list("code", flat=True)) == ["soy"]

    catalog["foods"]["12061"]["may_contain"] = []
    load(tmp_path, catalog)
    assert not sr28("12061").may_contain.exists()


def test_unknown_may_contain_allergen_is_refused(tmp_path):
    catalog = small_catalog()
    catalog["foods"]["11457"]["may_contain"] = ["gluten"]
    with pytest.raises(CommandError, match="unknown allergen 'gluten'"):
        load(tmp_path, catalog)


def test_the_curated_catalog_marks_the_doubted_tags():
    foods = json.loads(CATALOG_PATH.read_text())["foods"]
    assert "wheat" in foods["08120"]["may_contain"]  # oats
    assert "milk" in foods["19904"]["allergens"]  # dark chocolate with milk fat
    assert "vegan" not in foods["19904"]["diets"]
    assert "vegan" not in foods["18075"]["diets"]  # commercial whole-wheat bread
    assert all(curation.get("shopping_name") for curation in foods.values())
