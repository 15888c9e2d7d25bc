"""Reads for the public catalog: searching foods and meals, detail pages, best sources."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber

from foods.models import NUTRIENT_FIELDS, Allergen, Category, Food, Ingredient, Meal, Portion
from foods.querysets import NUT_ALLERGENS

# Foods without a default portion are compared per 100 g.
FALLBACK_SERVING_G = 100.0
# A realistic serving per USDA group, in grams, after the FDA's reference amounts customarily
# consumed (RACC, 21 CFR 101.12(b), table 2), rounded. SR28's first portion is often "1 cup":
# 337 g of molasses or 94 g of cottonseed flour topped "per serving" though nobody eats that
# at once. Ranking per serving uses the default portion, capped at this amount; a cap rather
# than another portion keeps the default portion curators chose, and needs no re-import.
TYPICAL_SERVING_G: dict[str, float] = {
    "0100": 245.0,  # dairy and eggs: a cup of milk or yogurt
    "0200": 5.0,  # spices and herbs: a teaspoon or two
    "0300": 110.0,  # baby foods: a jar
    "0400": 15.0,  # fats and oils: a tablespoon
    "0500": 85.0,  # poultry, cooked
    "0600": 245.0,  # soups and sauces: a cup
    "0700": 55.0,  # sausages and luncheon meats
    "0800": 55.0,  # breakfast cereals
    "0900": 140.0,  # fruits and juices
    "1000": 85.0,  # pork, cooked
    "1100": 85.0,  # vegetables
    "1200": 30.0,  # nuts, seeds, nut butters and seed flours
    "1300": 85.0,  # beef, cooked
    "1400": 240.0,  # beverages: a cup
    "1500": 85.0,  # fish and shellfish, cooked
    "1600": 130.0,  # legumes, cooked
    "1700": 85.0,  # lamb, veal and game, cooked
    "1800": 55.0,  # baked products
    "1900": 30.0,  # sweets: molasses, syrups, chocolate
    "2000": 140.0,  # grains and pasta, cooked
    "2100": 250.0,  # fast foods
    "2200": 250.0,  # meals and entrees
    "2500": 30.0,  # snacks
    "3500": 85.0,  # American Indian/Alaska Native foods
    "3600": 250.0,  # restaurant foods
}
# Dry forms are eaten by the spoonful or before cooking swells them: oats, flours, brans,
# dried seaweed, raw dry beans, grains not named cooked (RACC: 40 g dry grains, 35 g dry
# beans). Caps any group; peanuts (SR28 files them with legumes) are capped as nuts.
DRY_SERVING_G = 40.0
GRAINS_GROUP = "2000"
COOKED_FORM = r"cooked|boiled|prepared|canned"
# Whole words without \b, which PostgreSQL's regular expressions read differently.
DRY_FORM = (
    r"(^|[^a-z])(dried|dry|dehydrated|powder|flour|bran|germ|meal|uncooked)([^a-z]|$)"
    r"|mature seeds, raw"
)
BEST_SOURCES_PER_CATEGORY = 5
PER_PAGE = 25

FOOD_SORTS: dict[str, str] = {
    "mg_serving": "Magnesium per serving",
    "mg_100g": "Magnesium per 100 g",
    "mg_100kcal": "Magnesium per 100 kcal",
    "name": "Name",
}
MEAL_SORTS: dict[str, str] = {
    "mg_serving": "Magnesium per serving",
    "mg_100kcal": "Magnesium per 100 kcal",
    "name": "Name",
}
DEFAULT_SORT = "mg_serving"

_FOOD_ORDER: dict[str, str] = {
    "mg_serving": "magnesium_mg_per_serving",
    "mg_100g": "magnesium_mg_per_100g",
    "mg_100kcal": "magnesium_mg_per_100kcal",
}
_MEAL_ORDER: dict[str, str] = {
    "mg_serving": "magnesium_mg",
    "mg_100kcal": "magnesium_mg_per_100kcal",
}


def _per_100kcal(magnesium: str, kcal: str) -> F:
    # Unknown or zero energy gives NULL, so such rows sort last instead of dividing by zero.
    return F(magnesium) / NullIf(F(kcal), Value(0.0)) * Value(100.0)


def _ordering(sorts: dict[str, str], sort: str) -> list:
    """Return the ORDER BY for a sort key: largest first and unknown last, then by name."""
    field = sorts.get(sort)
    if field is None:
        return ["name", "pk"]
    return [F(field).desc(nulls_last=True), "name", "pk"]


def with_food_rates(foods: QuerySet[Food]) -> QuerySet[Food]:
    """Annotate a realistic serving and magnesium per serving and per 100 kcal.

    The serving is the default portion (100 g without one), capped at the food group's
    typical serving; `serving_is_typical` says the cap applied.
    """
    caps = [(Q(category__usda_group_code=code), grams) for code, grams in TYPICAL_SERVING_G.items()]
    caps += [
        (Q(name__iregex=DRY_FORM), DRY_SERVING_G),
        (Q(category__usda_group_code=GRAINS_GROUP) & ~Q(name__iregex=COOKED_FORM), DRY_SERVING_G),
        (Q(name__icontains="peanut"), TYPICAL_SERVING_G["1200"]),
    ]
    # The first matching When wins, so the smallest cap that applies comes first.
    capped = [
        When(condition & Q(portion_g__gt=grams), then=Value(grams))
        for condition, grams in sorted(caps, key=lambda cap: cap[1])
    ]
    return foods.annotate(
        default_portion=FilteredRelation("portions", condition=Q(portions__is_default=True)),
        default_portion_name=F("default_portion__name"),
        portion_g=Coalesce(
            F("default_portion__grams"), Value(FALLBACK_SERVING_G), output_field=FloatField()
        ),
        serving_g=Case(*capped, default=F("portion_g"), output_field=FloatField()),
        # A cap applied exactly when the serving came out smaller than the portion.
        serving_is_typical=ExpressionWrapper(
            Q(serving_g__lt=F("portion_g")), output_field=BooleanField()
        ),
        magnesium_mg_per_serving=F("magnesium_mg_per_100g") * F("serving_g") / Value(100.0),
        magnesium_mg_per_100kcal=_per_100kcal("magnesium_mg_per_100g", "kcal_per_100g"),
    )


def food_filter(
    *,
    text: str = "",
    category: Category | None = None,
    diet: str = "",
    avoid: Iterable[str] = (),
    kind: str = "",
    all_groups: bool = False,
) -> QuerySet[Food]:
    """Return the active foods that match the filters, without annotations or order.

    Baby foods and the other non-shopper groups are left out unless asked for, or unless
    their category is the one chosen.
    """
    foods = Food.objects.active().search(text).for_diet(diet).without_allergens(avoid)
    if category is not None:
        foods = foods.filter(category=category)
    elif not all_groups:
        foods = foods.for_shoppers()
    if kind:
        foods = foods.filter(kind=kind)
    return foods


def food_search(*, sort: str = DEFAULT_SORT, **filters: Any) -> QuerySet[Food]:
    """Return the foods that match food_filter(), with their rates, in the requested order."""
    foods = with_food_rates(food_filter(**filters)).select_related("category")
    return foods.order_by(*_ordering(_FOOD_ORDER, sort))


def food_search_page(*, number: int, sort: str = DEFAULT_SORT, **filters: Any) -> Page:
    """Return one page of food_search(), clamped to the pages there are, in one query."""
    ordering = _ordering(_FOOD_ORDER, sort)
    matching = food_filter(**filters)
    page = _page(with_food_rates(matching).order_by(*ordering).values("pk"), matching, number)
    # Sort and slice ids only, then read the page's rows in full: PostgreSQL otherwise drags
    # every wide row through the join and the sort (twice as slow over SR28).
    page.object_list = (
        with_food_rates(Food.objects.filter(pk__in=page.object_list))
        .select_related("category")
        .order_by(*ordering)
    )
    return page


def meal_filter(
    *,
    text: str = "",
    slot: str = "",
    diet: str = "",
    avoid: Iterable[str] = (),
    nut_free: bool = False,
) -> QuerySet[Meal]:
    """Return the active meals that match the filters, without annotations or order."""
    avoid = {*avoid, *(NUT_ALLERGENS if nut_free else ())}
    meals = Meal.objects.active().curated().search(text).for_diet(diet).without_allergens(avoid)
    return meals.for_slot(slot) if slot else meals


def meal_search(*, sort: str = DEFAULT_SORT, **filters: Any) -> QuerySet[Meal]:
    """Return the meals that match meal_filter(), with nutrition per serving, in order."""
    return (
        meal_filter(**filters)
        .with_nutrition()
        .with_diet_flags()
        .annotate(magnesium_mg_per_100kcal=_per_100kcal("magnesium_mg", "kcal"))
        .order_by(*_ordering(_MEAL_ORDER, sort))
    )


def meal_search_page(*, number: int, sort: str = DEFAULT_SORT, **filters: Any) -> Page:
    """Return one page of meal_search(), clamped to the pages there are."""
    return _page(meal_search(sort=sort, **filters), meal_filter(**filters), number)


def _page(results: QuerySet, matching: QuerySet, number: int) -> Page:
    paginator = Paginator(results, PER_PAGE)
    # Count the plain filtered rows: the annotations (sums over ingredients, the default
    # portion join) never change how many rows match, and make COUNT(*) several times slower.
    paginator.count = matching.count()
    return paginator.get_page(number)


@dataclass(frozen=True)
class NutrientRow:
    label: str
    unit: str
    values: list[float | None]


@dataclass(frozen=True)
class NutrientTable:
    """Nutrients of a food per 100 g and per each of its portions, one column each."""

    columns: list[str]
    rows: list[NutrientRow]
    added_magnesium_mg: list[float] | None
    percent_of_target: list[float | None] | None


def food_detail_queryset() -> QuerySet[Food]:
    """Return the active foods with what their detail page shows."""
    return (
        Food.objects.active()
        .select_related("category")
        .prefetch_related(
            "allergens",
            "may_contain",
            Prefetch("portions", queryset=Portion.objects.order_by("-is_default", "seq", "id")),
        )
    )


def food_nutrient_table(*, food: Food, magnesium_target_mg: int | None = None) -> NutrientTable:
    """Tabulate a food's nutrients per 100 g and per portion, with % of a magnesium target."""
    portions = list(food.portions.all())
    grams = [100.0, *(portion.grams for portion in portions)]
    columns = ["100 g", *(f"{portion.name} ({portion.grams:g} g)" for portion in portions)]
    rows = [
        NutrientRow(label, unit, [food.per_grams(field, amount) for amount in grams])
        for field, label, unit in NUTRIENT_FIELDS
    ]
    added = None
    if food.added_magnesium_mg_per_100g:
        added = [food.per_grams("added_magnesium_mg_per_100g", amount) for amount in grams]
    percent = None
    if magnesium_target_mg:
        magnesium = [food.per_grams("magnesium_mg_per_100g", amount) for amount in grams]
        percent = [None if mg is None else mg / magnesium_target_mg * 100 for mg in magnesium]
    return NutrientTable(columns, rows, added, percent)


@dataclass(frozen=True)
class MealDetail:
    meal: Meal
    ingredients: list[Ingredient]
    allergens: list[Allergen]
    may_contain: list[Allergen]
    unknown_magnesium: list[Food]


def meal_detail(*, meal_id: int) -> MealDetail | None:
    """Return an active meal with nutrition, ingredients and allergens, or None."""
    meal = (
        Meal.objects.active()
        .curated()
        .with_nutrition()
        .with_diet_flags()
        .filter(pk=meal_id)
        .prefetch_related(
            Prefetch(
                "ingredients",
                queryset=Ingredient.objects.select_related("food", "portion").prefetch_related(
                    "food__allergens", "food__may_contain"
                ),
            )
        )
        .first()
    )
    if meal is None:
        return None
    ingredients = list(meal.ingredients.all())
    allergens = {a for i in ingredients for a in i.food.allergens.all()}
    may_contain = {a for i in ingredients for a in i.food.may_contain.all()} - allergens
    return MealDetail(
        meal=meal,
        ingredients=ingredients,
        allergens=sorted(allergens, key=lambda allergen: allergen.name),
        may_contain=sorted(may_contain, key=lambda allergen: allergen.name),
        unknown_magnesium=[i.food for i in ingredients if i.food.magnesium_mg_per_100g is None],
    )


@dataclass(frozen=True)
class CategoryBest:
    category: Category
    foods: list[Food]


def best_sources(
    *, diet: str = "", per_category: int = BEST_SOURCES_PER_CATEGORY, all_groups: bool = False
) -> list[CategoryBest]:
    """Return the foods richest in magnesium per 100 kcal, the top few of each category."""
    foods = Food.objects.active() if all_groups else Food.objects.active().for_shoppers()
    # Rank on a lean inner query of ids; only the winners are read in full.
    ranked = (
        foods.magnesium_known()
        .for_diet(diet)
        .filter(kcal_per_100g__gt=0, magnesium_mg_per_100g__gt=0)
        .annotate(
            rate=_per_100kcal("magnesium_mg_per_100g", "kcal_per_100g"),
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=[F("rate").desc(), F("pk").asc()],
            ),
        )
        .filter(rank__lte=per_category)
        .values("pk")
    )
    best = (
        with_food_rates(Food.objects.filter(pk__in=ranked))
        .select_related("category")
        .order_by("category__name", F("magnesium_mg_per_100kcal").desc(), "pk")
    )
    return [
        CategoryBest(category, list(foods))
        for category, foods in groupby(best, key=lambda food: food.category)
    ]
