"""Reads for a user's own recipes: their list, one recipe's nutrition and coverage, the
weeks that plan it, and the foods an ingredient line may be."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from foods.models import Food, Ingredient, Meal, Portion
from foods.recipes.lines import search_foods

FOOD_MATCHES = 8  # choices offered for one ingredient line
FOOD_ID_MAX = 2**31 - 1  # beyond any id; keeps a huge number away from the database

# What the recipe page shows per serving: (with_nutrition annotation, Food field, label, unit).
RECIPE_NUTRIENTS: tuple[tuple[str, str, str, str], ...] = (
    ("magnesium_mg", "magnesium_mg_per_100g", "Magnesium", "mg"),
    ("added_magnesium_mg", "added_magnesium_mg_per_100g", "of which added", "mg"),
    ("kcal", "kcal_per_100g", "Energy", "kcal"),
    ("protein_g", "protein_g_per_100g", "Protein", "g"),
    ("fat_g", "fat_g_per_100g", "Fat", "g"),
    ("carbohydrate_g", "carbohydrate_g_per_100g", "Carbohydrate", "g"),
    ("fiber_g", "fiber_g_per_100g", "Fiber", "g"),
    ("sodium_mg", "sodium_mg_per_100g", "Sodium", "mg"),
)
# Coverage is always shown for these, and for any other nutrient with an unknown value.
ALWAYS_COVERED = ("magnesium_mg", "kcal")


def recipe_list(*, user) -> QuerySet[Meal]:
    """Return a user's recipes with nutrition per serving, by name."""
    return Meal.objects.owned_by(user).with_nutrition().order_by("name")


def own_recipe_queryset(*, user) -> QuerySet[Meal]:
    """Return the recipes a user may open by id (anyone else's is a 404)."""
    return Meal.objects.owned_by(user)


@dataclass(frozen=True)
class NutrientReading:
    """One nutrient per serving: its value over the known ingredients, and how much is known."""

    name: str
    label: str
    unit: str
    value: float | None  # None: no ingredient's value is known
    known: int  # ingredients whose value is known
    total: int
    known_weight_percent: float  # share of the recipe's grams whose value is known

    @property
    def partial(self) -> bool:
        return self.value is not None and self.known < self.total

    @property
    def known_weight_shown(self) -> int:
        """Return the known share of the weight as shown: floored, and never 100 while an
        ingredient is unknown."""
        shown = math.floor(self.known_weight_percent)
        return min(shown, 99) if self.known < self.total else shown

    @property
    def shows_coverage(self) -> bool:
        return self.name in ALWAYS_COVERED or self.known < self.total


@dataclass(frozen=True)
class RecipeLineView:
    ingredient: Ingredient
    magnesium_mg: float | None


@dataclass(frozen=True)
class RecipeDetail:
    meal: Meal
    lines: list[RecipeLineView]
    nutrients: list[NutrientReading]

    @property
    def coverage(self) -> list[NutrientReading]:
        return [reading for reading in self.nutrients if reading.shows_coverage]


def recipe_detail(*, user, pk: int) -> RecipeDetail | None:
    """Return one of the user's recipes with nutrition per serving and its coverage, or None."""
    meal = (
        own_recipe_queryset(user=user)
        .with_nutrition()
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("ingredients", queryset=Ingredient.objects.select_related("food", "portion"))
        )
        .first()
    )
    if meal is None:
        return None
    ingredients = list(meal.ingredients.all())
    total_grams = sum(ingredient.grams for ingredient in ingredients)
    nutrients = []
    for name, field, label, unit in RECIPE_NUTRIENTS:
        known = [i for i in ingredients if getattr(i.food, field) is not None]
        known_grams = sum(i.grams for i in known)
        nutrients.append(
            NutrientReading(
                name=name,
                label=label,
                unit=unit,
                value=getattr(meal, name),
                known=len(known),
                total=len(ingredients),
                known_weight_percent=100 * known_grams / total_grams if total_grams else 0.0,
            )
        )
    lines = [
        RecipeLineView(i, i.food.per_grams("magnesium_mg_per_100g", i.grams)) for i in ingredients
    ]
    return RecipeDetail(meal=meal, lines=lines, nutrients=nutrients)


@dataclass(frozen=True)
class FoodChoice:
    pk: int
    name: str


def food_matches(text: str, *, limit: int = FOOD_MATCHES) -> list[FoodChoice]:
    """Return the active catalog foods an ingredient line's search text most likely means."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    return [FoodChoice(match.food_id, match.name) for match in search_foods(text, limit)]


def line_food_choices(*, chosen: Food | None, query: str) -> list[FoodChoice]:
    """Return what a line offers: the food already chosen first, then matches for the text."""
    choices = [FoodChoice(chosen.pk, chosen.name)] if chosen is not None else []
    return choices + [
        match for match in food_matches(query) if chosen is None or match.pk != chosen.pk
    ]


def food_id(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= FOOD_ID_MAX else None


def active_food(pk) -> Food | None:
    """Return an active catalog food by id (any text), or None."""
    pk = food_id(pk)
    return None if pk is None else Food.objects.active().filter(pk=pk).first()


def active_foods(ids) -> dict[int, Food]:
    """Return the active foods among ids (any text), with their portions, by id."""
    wanted = {pk for pk in map(food_id, ids) if pk is not None}
    foods = Food.objects.active().filter(pk__in=wanted).prefetch_related("portions")
    return {food.pk: food for food in foods}


def food_portions(food: Food | None) -> list[Portion]:
    return list(food.portions.all()) if food is not None else []
