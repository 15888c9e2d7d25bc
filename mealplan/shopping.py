"""Reads for the shopping list: what a range of planned days needs, per food and category."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from accounts.models import User
from foods.models import Food, FoodKind, Ingredient, Portion
from mealplan.models import PlanEntry, ShoppingTick

MAX_RANGE_DAYS = 31
FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}
# Units written the same for one or many.
INVARIANT_UNITS = {
    "oz",
    "fl",
    "g",
    "kg",
    "ml",
    "l",
    "lb",
    "tbsp",
    "tsp",
    "medium",
    "large",
    "small",
}

# USDA SR28 food group codes (and names, for foods without a code) by source group.
SOURCE_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Greens and vegetables", ("1100",), ("vegetable",)),
    ("Nuts and seeds", ("1200",), ("nut", "seed")),
    ("Whole grains and cereals", ("0800", "1800", "2000"), ("cereal", "grain", "baked")),
    ("Legumes", ("1600",), ("legume",)),
    ("Fish", ("1500",), ("fish",)),
    ("Chocolate and sweets", ("1900",), ("sweet", "chocolate")),
)
PRODUCTS_GROUP = "Products"
OTHER_GROUP = "Other"
GROUP_ORDER = [name for name, _, _ in SOURCE_GROUPS] + [PRODUCTS_GROUP, OTHER_GROUP]


def source_group(food: Food) -> str:
    """Return the magnesium source group of a food (products first, then its USDA group)."""
    if food.kind != FoodKind.WHOLE:
        return PRODUCTS_GROUP
    code = food.category.usda_group_code
    name = food.category.name.lower()
    for group, codes, words in SOURCE_GROUPS:
        if code in codes or (not code and any(word in name for word in words)):
            return group
    return OTHER_GROUP


def _quantity_text(count: float) -> str:
    """Round a household count sensibly: quarters below 1, halves below 10, then whole."""
    if count >= 10:
        return str(round(count))
    step = 0.5 if count >= 1 else 0.25
    rounded = max(0.25, round(count / step) * step)
    whole, part = int(rounded), rounded - int(rounded)
    if not part:
        return str(whole)
    return f"{whole or ''}{FRACTIONS[part]}"


def _plural(unit: str) -> str:
    if unit.lower() in INVARIANT_UNITS or unit.endswith("s"):
        return unit
    if unit.endswith(("ch", "sh", "x")):
        return unit + "es"
    if len(unit) > 1 and unit.endswith("y") and unit[-2] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"


def portion_text(count: float, portion_name: str) -> str:
    """Say an amount in a household portion: 8 and "1 cup, raw" give "8 cups, raw"."""
    quantity = _quantity_text(count)
    match = re.match(r"^1\s+([A-Za-z]+)(.*)$", portion_name.strip())
    if not match:
        return f"{quantity} × {portion_name}"
    unit, rest = match.groups()
    if quantity not in ("1", "¼", "½", "¾"):
        unit = _plural(unit)
    return f"{quantity} {unit}{rest}"


@dataclass(frozen=True)
class FoodAmount:
    food: Food
    grams: float

    @property
    def magnesium_mg(self) -> float:
        return (self.food.magnesium_mg_per_100g or 0.0) * self.grams / 100


@dataclass
class ShoppingItem:
    food: Food
    grams: float
    portion: Portion | None
    ticked: bool

    @property
    def is_product(self) -> bool:
        return self.food.kind != FoodKind.WHOLE

    @property
    def portion_count(self) -> float | None:
        return self.grams / self.portion.grams if self.portion else None

    @property
    def product_count(self) -> int:
        """Whole units to buy; a rounding crumb never adds one."""
        return max(1, math.ceil(round(self.portion_count or 0, 1)))

    @property
    def household(self) -> str:
        """The amount in the default portion, or "" without one."""
        if not self.portion:
            return ""
        if self.is_product:
            return portion_text(self.product_count, self.portion.name)
        return portion_text(self.portion_count, self.portion.name)

    @property
    def grams_text(self) -> str:
        return f"{self.grams:,.0f} g" if self.grams >= 10 else f"{self.grams:.1f} g"


@dataclass
class ShoppingGroup:
    name: str
    items: list[ShoppingItem] = field(default_factory=list)


@dataclass
class ShoppingList:
    start: date
    end: date
    groups: list[ShoppingGroup]
    products: list[ShoppingItem]
    entry_count: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.products

    @property
    def ticked_count(self) -> int:
        items = [item for group in self.groups for item in group.items] + self.products
        return sum(item.ticked for item in items)


def food_amounts(entries: list[PlanEntry]) -> list[FoodAmount]:
    """Sum the grams of each food the entries need (one query for all ingredients)."""
    servings_by_meal: dict[int, float] = defaultdict(float)
    for entry in entries:
        servings_by_meal[entry.meal_id] += float(entry.servings)
    ingredients = Ingredient.objects.filter(meal_id__in=servings_by_meal).select_related(
        "meal", "food__category"
    )
    grams: dict[int, float] = defaultdict(float)
    foods: dict[int, Food] = {}
    for ingredient in ingredients:
        per_serving = ingredient.grams / ingredient.meal.servings
        grams[ingredient.food_id] += per_serving * servings_by_meal[ingredient.meal_id]
        foods[ingredient.food_id] = ingredient.food
    return [FoodAmount(food=foods[food_id], grams=total) for food_id, total in grams.items()]


def shopping_list(*, user: User, start: date, end: date) -> ShoppingList:
    """Return what a user's planned days from start to end need, grouped by category."""
    entries = list(PlanEntry.objects.owned_by(user).between(start, end))
    amounts = food_amounts(entries)
    food_ids = [amount.food.pk for amount in amounts]
    portions = {
        portion.food_id: portion
        for portion in Portion.objects.filter(food_id__in=food_ids, is_default=True)
    }
    ticked = set(
        ShoppingTick.objects.filter(user=user, start=start, end=end).values_list(
            "food_id", flat=True
        )
    )
    items = [
        ShoppingItem(
            food=amount.food,
            grams=amount.grams,
            portion=portions.get(amount.food.pk),
            ticked=amount.food.pk in ticked,
        )
        for amount in sorted(amounts, key=lambda amount: amount.food.name.lower())
    ]
    by_category: dict[str, ShoppingGroup] = {}
    for item in items:
        if not item.is_product:
            name = item.food.category.name
            by_category.setdefault(name, ShoppingGroup(name=name)).items.append(item)
    return ShoppingList(
        start=start,
        end=end,
        groups=sorted(by_category.values(), key=lambda group: group.name),
        products=[item for item in items if item.is_product],
        entry_count=len(entries),
    )


def week_sources(*, user: User, week_start: date) -> list[tuple[str, float]]:
    """Return the week's magnesium (mg) by source group, in a fixed order, empty groups left out."""
    entries = list(
        PlanEntry.objects.owned_by(user).between(week_start, week_start + timedelta(days=6))
    )
    totals: dict[str, float] = defaultdict(float)
    for amount in food_amounts(entries):
        totals[source_group(amount.food)] += amount.magnesium_mg
    return [(group, totals[group]) for group in GROUP_ORDER if totals.get(group, 0) > 0]
