"""Reads for the shopping list: what a range of planned days needs, per food and category."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from accounts.models import User
from foods.buying import PARENTHESES, STORE_SECTIONS, dry_factor, store_section
from foods.models import Food, FoodKind, Ingredient, Portion
from mealplan.models import PlanEntry, ShoppingTick

MAX_RANGE_DAYS = 31
# A household measure is shown only when its rounded count is within this share of the
# grams it stands for ("¼ cup" for 15 g of lemon juice is 61 g: four times too much).
HOUSEHOLD_TOLERANCE = 0.15
# More than this many of a measure is no help in a shop ("40 tsp"): grams alone then.
MAX_HOUSEHOLD_COUNT = 12
KG_FROM_G = 1000
# Portion names that are another weight, a serving size or a yield, not a household measure
# ("56 grams 1 serving", "1 oz", "1 NLEA serving", "1 lemon yields").
NOT_A_MEASURE = re.compile(r"\b(grams?|g|servings?|nlea|yields?|oz|lb|lbs|kg|pounds?)\b", re.I)
FLUID_OUNCES = re.compile(r"\bfl oz\b", re.I)
AMOUNT_AND_UNIT = re.compile(r"^(\d*\.?\d+)\s+([A-Za-z].*)$")
MAX_DETAIL_WORDS = 2
DIGIT_ONWARDS = re.compile(r"\s+\d.*$")
# Kitchen measures: a shopper counts whole things (2 avocados, 10 slices) where SR28 has them.
KITCHEN_MEASURES = frozenset(
    {"cup", "cups", "tbsp", "tablespoon", "tsp", "teaspoon", "fl", "dash", "pinch", "quart"}
)
CAN = re.compile(r"^1 can\b", re.I)
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
    "extra",
    "jumbo",
    "cubic",
    "whole",
    "individual",
}
IRREGULAR_PLURALS = {"leaf": "leaves", "loaf": "loaves", "half": "halves"}

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


def _rounded_count(count: float) -> float:
    """Round a household count sensibly: quarters below 1, halves below 10, then whole."""
    if count >= 10:
        return float(round(count))
    step = 0.5 if count >= 1 else 0.25
    return max(0.25, round(count / step) * step)


def _quantity_text(count: float) -> str:
    """Write a household count: 0.25 -> "¼", 2.5 -> "2½", 12 -> "12"."""
    rounded = _rounded_count(count)
    whole, part = int(rounded), rounded - int(rounded)
    if not part:
        return str(whole)
    return f"{whole or ''}{FRACTIONS[part]}"


def _plural(unit: str) -> str:
    if unit.lower() in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[unit.lower()]
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


def household_unit(portion: Portion) -> tuple[str, float] | None:
    """Return a portion as one household unit and its grams ("2 tbsp", 32 -> "1 tbsp", 16).

    None for a weight, a serving size or a yield ("56 grams 1 serving", "1 oz", "1 NLEA
    serving", "1 lemon yields"). Notes in parentheses, alternatives after "or" and long
    descriptions after a comma are dropped: "1 medium (2" dia, 5" long, raw)" -> "1 medium".
    """
    if NOT_A_MEASURE.search(FLUID_OUNCES.sub("", portion.name)) or portion.grams <= 0:
        return None
    match = AMOUNT_AND_UNIT.match(" ".join(portion.name.split()))
    if not match or float(match[1]) <= 0:
        return None
    unit = PARENTHESES.sub("", match[2]).split(" or ")[0].strip()
    head, _, detail = (part.strip() for part in unit.partition(","))
    head = DIGIT_ONWARDS.sub("", head)  # "cup 1\" pieces" -> "cup"
    short = len(detail.split()) <= MAX_DETAIL_WORDS and not any(c.isdigit() for c in detail)
    name = f"1 {head}, {detail}" if detail and short else f"1 {head}"
    return name, portion.grams / float(match[1])


@dataclass(frozen=True)
class Measure:
    """A household measure chosen for an amount: its count and one unit's name and grams."""

    count: float
    name: str
    unit_grams: float

    @property
    def grams(self) -> float:
        """The grams the measure stands for, as rounded for display."""
        return _rounded_count(self.count) * self.unit_grams

    @property
    def text(self) -> str:
        return portion_text(self.count, self.name)


def household_choice(grams: float, portions: list[Portion]) -> Measure | None:
    """Return the household measure that approximates the grams, or None when none does.

    A measure qualifies when its rounded count is within HOUSEHOLD_TOLERANCE of the grams,
    and at most MAX_HOUSEHOLD_COUNT of them. Whole things to count beat kitchen measures
    (cups, spoons); then the default portion (SR28 lists the usual measure first); then the
    closest.
    """
    best: tuple[tuple[bool, bool, float, int], Measure] | None = None
    for portion in portions:
        if (unit := household_unit(portion)) is None:
            continue
        measure = Measure(grams / unit[1], *unit)
        error = abs(measure.grams - grams) / grams
        if _rounded_count(measure.count) > MAX_HOUSEHOLD_COUNT or error > HOUSEHOLD_TOLERANCE:
            continue
        kitchen = measure.name.split()[1].strip(",").lower() in KITCHEN_MEASURES
        key = (kitchen, not portion.is_default, round(error, 3), portion.seq)
        if best is None or key < best[0]:
            best = (key, measure)
    return best[1] if best else None


def household_measure(grams: float, portions: list[Portion]) -> str:
    """Say the grams in a household measure that approximates them, or "" when none does."""
    measure = household_choice(grams, portions)
    return measure.text if measure else ""


def weight_text(grams: float) -> str:
    """Say a weight the way a shop does: "8.5 g", "240 g", "1.96 kg"."""
    if grams >= KG_FROM_G:
        return f"{grams / KG_FROM_G:.2f}".rstrip("0").rstrip(".") + " kg"
    return f"{grams:,.0f} g" if grams >= 10 else f"{grams:.1f} g"


@dataclass(frozen=True)
class FoodAmount:
    food: Food
    grams: float

    @property
    def magnesium_mg(self) -> float:
        return (self.food.magnesium_mg_per_100g or 0.0) * self.grams / 100


@dataclass
class ShoppingItem:
    """A food to buy: its plain name, what to buy of it and where in the shop."""

    food: Food
    grams: float  # as eaten (cooked, for cooked grains and legumes)
    portions: list[Portion]
    ticked: bool

    @property
    def is_product(self) -> bool:
        return self.food.kind != FoodKind.WHOLE

    @cached_property
    def dry_factor(self) -> float | None:
        return None if self.is_product else dry_factor(self.food.name)

    @property
    def buy_grams(self) -> float:
        """Grams to buy: the dry weight of a cooked grain or legume, else the grams eaten."""
        factor = self.dry_factor
        return self.grams * factor if factor else self.grams

    @cached_property
    def name(self) -> str:
        label = self.food.shopping_label
        return f"{label} (dry)" if self.dry_factor else label

    @cached_property
    def section(self) -> str:
        return store_section(
            group_code=self.food.category.usda_group_code,
            category_name=self.food.category.name,
            name=self.food.name,
            whole=not self.is_product,
        )

    @property
    def default_portion(self) -> Portion | None:
        return next((portion for portion in self.portions if portion.is_default), None)

    @property
    def can(self) -> Portion | None:
        return next((portion for portion in self.portions if CAN.match(portion.name)), None)

    @property
    def product_count(self) -> int:
        """Whole units to buy; a rounding crumb never adds one."""
        portion = self.default_portion
        count = self.grams / portion.grams if portion else 0
        return max(1, math.ceil(round(count, 1)))

    @property
    def amount(self) -> str:
        """What to buy: whole units of a product, whole cans, else a weight and a measure."""
        if self.is_product and self.default_portion:
            return portion_text(self.product_count, self.default_portion.name)
        if (can := self.can) and not self.dry_factor:
            cans = max(1, math.ceil(round(self.grams / can.grams, 1)))
            each = " each" if cans > 1 else ""
            return f"{cans} can{'s' if cans > 1 else ''} ({can.grams:g} g{each})"
        text = weight_text(self.buy_grams)
        if self.dry_factor:
            return f"{text} (makes about {weight_text(self.grams)} cooked)"
        measure = self.measure
        return f"{text} ({measure.text})" if measure else text

    @cached_property
    def measure(self) -> Measure | None:
        """The household measure shown beside the weight, if any approximates it."""
        if self.is_product or self.dry_factor:
            return None
        return household_choice(self.grams, self.portions)


@dataclass
class ShoppingGroup:
    name: str
    items: list[ShoppingItem] = field(default_factory=list)


@dataclass
class ShoppingList:
    start: date
    end: date
    groups: list[ShoppingGroup]
    entry_count: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def ticked_count(self) -> int:
        return sum(item.ticked for group in self.groups for item in group.items)


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
    """Return what a user's planned days from start to end need, by store section."""
    entries = list(PlanEntry.objects.owned_by(user).between(start, end))
    ticked = set(
        ShoppingTick.objects.filter(user=user, start=start, end=end).values_list(
            "food_id", flat=True
        )
    )
    return _shopping_list(entries, start=start, end=end, ticked=ticked)


def household_shopping_list(*, household, start: date, end: date) -> ShoppingList:
    """Return what a household's planned days need, everyone's servings summed."""
    # A household entry's servings hold the sum of its members' portions.
    entries = list(PlanEntry.objects.filter(plan__household=household).between(start, end))
    return _shopping_list(entries, start=start, end=end, ticked=set())


def _shopping_list(
    entries: list[PlanEntry], *, start: date, end: date, ticked: set[int]
) -> ShoppingList:
    amounts = food_amounts(entries)
    portions: dict[int, list[Portion]] = defaultdict(list)
    for portion in Portion.objects.filter(food_id__in=[amount.food.pk for amount in amounts]):
        portions[portion.food_id].append(portion)
    items = [
        ShoppingItem(
            food=amount.food,
            grams=amount.grams,
            portions=portions[amount.food.pk],
            ticked=amount.food.pk in ticked,
        )
        for amount in amounts
    ]
    by_section: dict[str, ShoppingGroup] = {}
    for item in sorted(items, key=lambda item: item.name.lower()):
        by_section.setdefault(item.section, ShoppingGroup(name=item.section)).items.append(item)
    return ShoppingList(
        start=start,
        end=end,
        groups=[by_section[name] for name in STORE_SECTIONS if name in by_section],
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
