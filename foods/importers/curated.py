"""Load the curated layer: reviewed allergens and diets, label products and meals."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from django.db import transaction

from foods.importers.load import ImportResult, food_allergens_set, foods_import
from foods.importers.records import NUTRIENT_NUMBERS
from foods.importers.sr28 import read_sr28
from foods.models import (
    Allergen,
    Category,
    Food,
    FoodKind,
    Ingredient,
    Meal,
    Portion,
    Slot,
    SourceKind,
)

CATALOG_PATH = Path(__file__).resolve().parents[1] / "data" / "curated_catalog.json"
DIETS = ("vegan", "vegetarian", "pescatarian")
# Per-serving keys a product may give, e.g. "magnesium_mg_per_serving" -> magnesium_mg_per_100g.
SERVING_KEYS = {
    field.removesuffix("_per_100g") + "_per_serving": field
    for field in (*NUTRIENT_NUMBERS.values(), "added_magnesium_mg_per_100g")
}


class CatalogError(Exception):
    """The curated catalog cannot be loaded; nothing was saved."""


@dataclass
class CatalogResult:
    usda: ImportResult | None = None
    foods_curated: int = 0
    products_created: list[str] = field(default_factory=list)
    products_updated: list[str] = field(default_factory=list)
    meals_created: list[str] = field(default_factory=list)
    meals_updated: list[str] = field(default_factory=list)
    meals_unchanged: int = 0

    def lines(self) -> list[str]:
        lines = [f"USDA SR28: {self.usda.summary()}"] if self.usda else []
        lines.append(f"Curated foods: {self.foods_curated} changed.")
        lines += [f"Product created: {name}" for name in self.products_created]
        lines += [f"Product updated: {name}" for name in self.products_updated]
        lines += [f"Meal created: {name}" for name in self.meals_created]
        lines += [f"Meal updated: {name}" for name in self.meals_updated]
        lines.append(
            f"Products: {len(self.products_created)} created, {len(self.products_updated)} "
            f"updated. Meals: {len(self.meals_created)} created, {len(self.meals_updated)} "
            f"updated, {self.meals_unchanged} unchanged."
        )
        return lines


def catalog_read(path: Path = CATALOG_PATH) -> dict[str, Any]:
    """Read and check the curated catalog file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogError(f"Cannot read {path}: {error}") from error
    catalog_check(data)
    return data


def _number(value: Any, *, positive: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value > 0 if positive else value >= 0


def catalog_check(data: dict[str, Any]) -> None:
    """Raise CatalogError listing every problem in the catalog's structure."""
    problems: list[str] = []
    allergen_codes = set(Allergen.objects.values_list("code", flat=True))
    curated = data.get("foods", {})
    for ndb, curation in curated.items():
        if not (isinstance(ndb, str) and len(ndb) == 5 and ndb.isdigit()):
            problems.append(f"foods: {ndb!r} is not an NDB number")
        problems += [
            f"foods {ndb}: unknown allergen {code!r}"
            for key in ("allergens", "may_contain")
            for code in set(curation.get(key, [])) - allergen_codes
        ]
        problems += [
            f"foods {ndb}: unknown diet {diet!r}"
            for diet in set(curation.get("diets", [])) - set(DIETS)
        ]
    products = set()
    for index, product in enumerate(data.get("products", []), start=1):
        name = product.get("name") or f"#{index}"
        products.add(name)
        if not product.get("name") or not product.get("category"):
            problems.append(f"product {name}: name and category are required")
        if not _number(product.get("serving_grams"), positive=True):
            problems.append(f"product {name}: serving_grams must be above zero")
        for key in SERVING_KEYS:
            if key in product and product[key] is not None and not _number(product[key]):
                problems.append(f"product {name}: {key} must be a number >= 0")
        if product.get("kind", FoodKind.BRANDED) not in FoodKind.values:
            problems.append(f"product {name}: unknown kind {product.get('kind')!r}")
        added = product.get("added_magnesium_mg_per_serving") or 0
        if _number(added) and added > (product.get("magnesium_mg_per_serving") or 0):
            problems.append(f"product {name}: added magnesium above total magnesium")
        problems += [
            f"product {name}: unknown allergen {code!r}"
            for key in ("allergens", "may_contain")
            for code in set(product.get(key, [])) - allergen_codes
        ]
    names = set()
    for index, meal in enumerate(data.get("meals", []), start=1):
        name = meal.get("name") or f"#{index}"
        if not meal.get("name"):
            problems.append(f"meal {name}: a name is required")
        if name in names:
            problems.append(f"meal {name}: the name appears twice")
        names.add(name)
        if not meal.get("slots") or set(meal["slots"]) - set(Slot.values):
            problems.append(f"meal {name}: slots must be some of {', '.join(Slot.values)}")
        if not (isinstance(meal.get("servings", 1), int) and meal.get("servings", 1) >= 1):
            problems.append(f"meal {name}: servings must be a whole number >= 1")
        if not meal.get("ingredients"):
            problems.append(f"meal {name}: no ingredients")
        for item in meal.get("ingredients", []):
            if not _number(item.get("grams"), positive=True):
                problems.append(f"meal {name}: ingredient {item} needs grams above zero")
            if "ndb" in item and item["ndb"] not in curated:
                problems.append(f"meal {name}: NDB {item['ndb']} has no curation in foods")
            elif "product" in item and item["product"] not in products:
                problems.append(f"meal {name}: unknown product {item['product']!r}")
            elif "ndb" not in item and "product" not in item:
                problems.append(f"meal {name}: ingredient {item} needs an ndb or a product")
    if problems:
        raise CatalogError("The curated catalog has problems:\n  " + "\n  ".join(problems))


def _needed_ndbs(data: dict[str, Any]) -> set[str]:
    ndbs = set(data.get("foods", {}))
    for meal in data.get("meals", []):
        ndbs |= {item["ndb"] for item in meal["ingredients"] if "ndb" in item}
    return ndbs


def _sr28_ensure(
    needed: set[str], *, only_needed: bool, sr28_dir: Traversable | None, progress: bool
) -> ImportResult | None:
    """Import SR28: all of it into an empty catalog, else the needed foods it lacks."""
    sr28 = Food.objects.filter(source_kind=SourceKind.SR28)
    if only_needed:
        only: set[str] | None = needed
    elif not sr28.exists():
        only = None
    else:
        only = needed - set(sr28.filter(source_ref__in=needed).values_list("source_ref", flat=True))
        if not only:
            return None
    dataset = read_sr28(sr28_dir, only=only, progress=progress)
    if missing := (needed if only is None else only) - {r.source_ref for r in dataset.foods}:
        raise CatalogError(f"NDB numbers not in SR28: {', '.join(sorted(missing))}")
    return foods_import(dataset=dataset, progress=progress)


def _foods_curate(curated: dict[str, dict[str, Any]]) -> tuple[dict[str, Food], int]:
    """Apply the curators' names, allergens and diets; return the foods by NDB, count changed."""
    foods = {
        food.source_ref: food
        for food in Food.objects.filter(
            source_kind=SourceKind.SR28, source_ref__in=curated
        ).prefetch_related("allergens", "may_contain")
    }
    changed = []
    may_contain: dict[int, frozenset[str]] = {}
    for ndb, curation in curated.items():
        food = foods[ndb]
        allergens = frozenset(curation.get("allergens", []))
        traces = frozenset(curation.get("may_contain", []))
        diets = {diet: diet in curation.get("diets", []) for diet in DIETS}
        shopping_name = curation.get("shopping_name", "")
        before = (
            {a.code for a in food.allergens.all()},
            {a.code for a in food.may_contain.all()},
            {diet: getattr(food, diet) for diet in DIETS},
            food.diets_reviewed,
            food.shopping_name,
        )
        if before != (allergens, traces, diets, True, shopping_name):
            for diet, value in diets.items():
                setattr(food, diet, value)
            food.diets_reviewed = True
            food.shopping_name = shopping_name
            changed.append(food)
            may_contain[food.pk] = traces
    Food.objects.bulk_update(changed, [*DIETS, "diets_reviewed", "shopping_name"], batch_size=500)
    food_allergens_set(
        {food.pk: frozenset(curated[food.source_ref].get("allergens", [])) for food in changed}
    )
    food_allergens_set(may_contain, relation=Food.may_contain)
    return foods, len(changed)


def _product_upsert(product: dict[str, Any], result: CatalogResult) -> Food:
    """Create or update a label product from its per-serving values, stored per 100 g."""
    grams = float(product["serving_grams"])
    category, _ = Category.objects.get_or_create(name=product["category"])
    values: dict[str, Any] = {
        "kind": product.get("kind", FoodKind.BRANDED),
        "category": category,
        "note": product.get("note", "")[:300],
        "shopping_name": product.get("shopping_name", ""),
        "keywords": product.get("keywords", ""),
        "added_magnesium_mg_per_100g": 0.0,
        **dict.fromkeys(NUTRIENT_NUMBERS.values()),
        **{diet: diet in product.get("diets", []) for diet in DIETS},
        "diets_reviewed": True,
    }
    for key, field_name in SERVING_KEYS.items():
        if product.get(key) is not None:
            values[field_name] = product[key] * 100 / grams
    food = Food.objects.filter(
        source_kind=SourceKind.LABEL, name=product["name"], brand=product.get("brand", "")
    ).first()
    allergens = set(product.get("allergens", []))
    traces = set(product.get("may_contain", []))
    if food is None:
        food = Food.objects.create(
            source_kind=SourceKind.LABEL,
            name=product["name"],
            brand=product.get("brand", ""),
            **values,
        )
        result.products_created.append(product["name"])
        changed = False
    else:
        changed = any(getattr(food, name) != value for name, value in values.items())
        changed |= set(food.allergens.values_list("code", flat=True)) != allergens
        changed |= set(food.may_contain.values_list("code", flat=True)) != traces
        if changed:
            for name, value in values.items():
                setattr(food, name, value)
            food.save()
    food.allergens.set(Allergen.objects.filter(code__in=allergens))
    food.may_contain.set(Allergen.objects.filter(code__in=traces))
    serving_name = product.get("serving_name") or f"1 serving ({grams:g} g)"
    portion = food.portions.filter(name=serving_name).first()
    if portion is None:
        is_default = not food.portions.filter(is_default=True).exists()
        Portion.objects.create(food=food, name=serving_name, grams=grams, is_default=is_default)
        changed = True
    elif portion.grams != grams:
        portion.grams = grams
        portion.save(update_fields=["grams"])
        changed = True
    if changed and product["name"] not in result.products_created:
        result.products_updated.append(product["name"])
    return food


def _meal_upsert(
    meal_data: dict[str, Any],
    foods: dict[str, Food],
    products: dict[str, Food],
    result: CatalogResult,
) -> None:
    """Create or update a meal by name; its ingredients are updated in place."""
    values = {
        **{f"fits_{slot}": slot in meal_data["slots"] for slot in Slot.values},
        "servings": meal_data.get("servings", 1),
        "prep_minutes": meal_data.get("prep_minutes", 0),
        "instructions": meal_data.get("instructions", ""),
    }
    wanted = [
        ((foods[item["ndb"]] if "ndb" in item else products[item["product"]]).pk, item["grams"])
        for item in meal_data["ingredients"]
    ]
    meal = Meal.objects.curated().filter(name=meal_data["name"]).first()
    if meal is None:
        meal = Meal.objects.create(name=meal_data["name"], **values)
        result.meals_created.append(meal.name)
        current: list[Ingredient] = []
    else:
        current = list(meal.ingredients.order_by("id"))
        have = [(ingredient.food_id, ingredient.grams) for ingredient in current]
        same_values = all(getattr(meal, name) == value for name, value in values.items())
        plain = all(i.portion_id is None and i.quantity is None for i in current)
        if same_values and have == wanted and plain:
            result.meals_unchanged += 1
            return
        for name, value in values.items():
            setattr(meal, name, value)
        meal.save()
        result.meals_updated.append(meal.name)
    for ingredient, (food_id, grams) in zip(current, wanted, strict=False):
        ingredient.food_id, ingredient.grams = food_id, grams
        ingredient.portion, ingredient.quantity = None, None
    Ingredient.objects.bulk_update(current[: len(wanted)], ["food", "grams", "portion", "quantity"])
    Ingredient.objects.filter(pk__in=[i.pk for i in current[len(wanted) :]]).delete()
    Ingredient.objects.bulk_create(
        Ingredient(meal=meal, food_id=food_id, grams=grams)
        for food_id, grams in wanted[len(current) :]
    )


@transaction.atomic
def catalog_load(
    *,
    data: dict[str, Any],
    only_needed: bool = False,
    sr28_dir: Traversable | None = None,
    progress: bool = False,
) -> CatalogResult:
    """Ensure the SR28 foods, then apply curation, products and meals, all or nothing."""
    catalog_check(data)
    result = CatalogResult()
    needed = _needed_ndbs(data)
    result.usda = _sr28_ensure(
        needed, only_needed=only_needed, sr28_dir=sr28_dir, progress=progress
    )
    foods, result.foods_curated = _foods_curate(data.get("foods", {}))
    products = {
        product["name"]: _product_upsert(product, result) for product in data.get("products", [])
    }
    for meal in data.get("meals", []):
        _meal_upsert(meal, foods, products, result)
    return result
