"""Today's magnesium gap: the boundary between rows and the planner's gap suggestion.

Reads what was eaten and what is still planned (Amounts), the profile's limits, and the
single foods and products the user may eat; the planner (mealplan/planner/gap.py) chooses
1 to 3 realistic portions that close the gap, or proves what stops it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from accounts.models import Profile, User
from foods.models import Food, FoodKind, Portion
from mealplan import planner
from mealplan.intake import Amounts
from mealplan.models import MealPreference
from mealplan.planner.gap import STATUS_CLOSED, STATUS_IMPOSSIBLE, STATUS_PARTIAL
from mealplan.planning import rules_for

__all__ = [
    "STATUS_CLOSED",
    "STATUS_IMPOSSIBLE",
    "STATUS_PARTIAL",
    "GapSuggestion",
    "GapSuggestionItem",
    "gap_cache_clear",
    "gap_candidates",
    "portion_label",
    "realistic_portions",
    "today_gap",
]

# A food is a gap candidate from this much magnesium per 100 g: below it no realistic
# portion gives enough to matter. Of the ~8,800 SR28 foods only the familiar ones are
# offered: those a curator reviewed (the curated meals' foods) and label products. Over
# all ~1,500 magnesium-dense SR28 foods with portions the suggestion read "1 cup of dock"
# or "2 handfuls of cottonseed meal", and its proofs took seconds, not milliseconds.
MIN_MAGNESIUM_MG_PER_100G = 30.0
# Realistic portions: nothing over a bowl (250 g), and of dry, dense foods (seeds, nuts,
# bran, chocolate: 300 kcal/100 g and more) nothing over two handfuls (60 g): never
# 300 g of bran. A portion under 10 g (a teaspoon of a spice) is not a food to add.
MAX_PORTION_G = 250.0
DENSE_KCAL_PER_100G = 300.0
MAX_DENSE_PORTION_G = 60.0
MIN_PORTION_G = 10.0
# The suggestion's forms post grams to one decimal (at most 0.05 g off), so a posted amount
# names the portion within a little more than that.
POSTED_GRAMS_SLACK = 0.06
# Small portions (a handful, a shot) may be taken twice; bigger ones once.
DOUBLE_UP_TO_G = 30.0
# Names of foods nobody eats as they are (dry mixes, raw dry grains and pulses).
NOT_AS_EATEN = ("unprepared", "dry mix", "uncooked", "mature seeds, raw", "flour", "powder")
# USDA groups not offered as a quick add: spices and herbs (a pinch, not a portion).
NOT_A_SNACK_GROUPS = ("0200",)
# Candidate arrays kept per (diet, allergens): one per profile kind, in each process. A food
# or portion saved or deleted here clears them (mealplan/receivers.py); another process's
# copy lives at most CACHE_SECONDS, and logging a food that went inactive meanwhile is
# refused by the log itself. Per request this costs no query at all.
_CACHE_SIZE = 16
CACHE_SECONDS = 300.0
_cache: OrderedDict[tuple, tuple[float, planner.GapCatalog, dict[int, Food]]] = OrderedDict()


@dataclass(frozen=True)
class GapSuggestionItem:
    food: Food
    grams: float
    portion_label: str  # "a handful (28 g)"
    magnesium_mg: float
    kcal: float
    added_magnesium_mg: float


@dataclass(frozen=True)
class GapSuggestion(planner.ItemTotals):
    """What closes today's gap (status closed), the best part of it (partial), or why not."""

    day: date
    status: str  # closed | partial | impossible
    items: tuple[GapSuggestionItem, ...]
    missing_mg: float
    kcal_left: float
    explanation: str
    binding: tuple[str, ...] = ()
    best_possible_mg: float | None = None

    @property
    def closes(self) -> bool:
        return self.status == STATUS_CLOSED


def realistic_portions(
    portions: list[tuple[str, float]], *, kcal_per_100g: float
) -> tuple[planner.GapPortion, ...]:
    """Return the portions a person would eat in one go, with labels like "a handful (28 g)"."""
    dense = kcal_per_100g >= DENSE_KCAL_PER_100G
    cap = MAX_DENSE_PORTION_G if dense else MAX_PORTION_G
    chosen: dict[int, planner.GapPortion] = {}
    for name, grams in portions:
        if not MIN_PORTION_G <= grams <= cap:
            continue
        handful = dense and name.strip().lower().startswith("1 oz")
        one = "a handful" if handful else name
        chosen.setdefault(round(grams), planner.GapPortion(grams, f"{one} ({grams:.0f} g)"))
        if grams <= DOUBLE_UP_TO_G and 2 * grams <= cap:
            two = "2 handfuls" if handful else f"2 × {name}"
            chosen.setdefault(
                round(2 * grams), planner.GapPortion(2 * grams, f"{two} ({2 * grams:.0f} g)")
            )
    return tuple(chosen[key] for key in sorted(chosen))


def portion_label(*, food: Food, grams: float) -> str | None:
    """The gap suggestion's name for this many grams of a food ("a handful (28 g)"), if any."""
    portions = realistic_portions(
        [(p.name, p.grams) for p in food.portions.all()], kcal_per_100g=food.kcal_per_100g
    )
    return next((p.label for p in portions if abs(p.grams - grams) <= POSTED_GRAMS_SLACK), None)


def _gap_food(food: Food) -> planner.GapFood | None:
    portions = realistic_portions(
        [(p.name, p.grams) for p in food.portions.all()], kcal_per_100g=food.kcal_per_100g
    )
    if not portions:
        return None

    def per_g(value: float | None) -> float | None:
        return None if value is None else value / 100

    return planner.GapFood(
        food_id=food.pk,
        name=str(food),
        portions=portions,
        magnesium_mg_per_g=food.magnesium_mg_per_100g / 100,
        kcal_per_g=food.kcal_per_100g / 100,
        added_magnesium_mg_per_g=food.added_magnesium_mg_per_100g / 100,
        carbohydrate_g_per_g=per_g(food.carbohydrate_g_per_100g),
        sodium_mg_per_g=per_g(food.sodium_mg_per_100g),
    )


def gap_candidates(*, profile: Profile):
    """Return the foods the gap suggestion may offer a profile: familiar, active, safe."""
    foods = (
        Food.objects.active()
        .for_shoppers()
        .for_diet(profile.diet)
        .without_allergens(profile.avoid_allergens)
        .magnesium_known()
        .filter(
            kcal_per_100g__isnull=False,
            magnesium_mg_per_100g__gte=MIN_MAGNESIUM_MG_PER_100G,
            portions__isnull=False,
        )
        .filter(Q(diets_reviewed=True) | ~Q(kind=FoodKind.WHOLE))
        .exclude(category__usda_group_code__in=NOT_A_SNACK_GROUPS)
        .distinct()
    )
    for words in NOT_AS_EATEN:
        # A product's own label ("Vitaminis shot") is as eaten whatever its name says.
        foods = foods.exclude(name__icontains=words, kind=FoodKind.WHOLE)
    return foods.order_by("pk").prefetch_related(
        Prefetch("portions", queryset=Portion.objects.order_by("seq", "id"))
    )


def _catalog_for(profile: Profile) -> tuple[planner.GapCatalog, dict[int, Food]]:
    """Return the profile kind's candidate arrays and foods, built at most every few minutes."""
    key = (profile.diet, tuple(sorted(profile.avoid_allergens)))
    now = time.monotonic()
    if key in _cache and now - _cache[key][0] < CACHE_SECONDS:
        _cache.move_to_end(key)
        return _cache[key][1:]
    rows = list(gap_candidates(profile=profile))
    foods = {food.pk: food for food in rows}
    catalog = planner.GapCatalog([gap for food in rows if (gap := _gap_food(food))])
    _cache[key] = (now, catalog, foods)
    _cache.move_to_end(key)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return catalog, foods


def gap_cache_clear() -> None:
    """Forget the cached candidate arrays (a food or portion changed; tests)."""
    _cache.clear()


def _disliked_foods(user: User) -> set[int]:
    """Return the foods of the one-food snacks the user disliked."""
    return set(
        MealPreference.objects.filter(
            user=user, verdict=MealPreference.Verdict.DISLIKE, meal__single_food=True
        ).values_list("meal__ingredients__food_id", flat=True)
    )


def _sentence(result: planner.GapResult, *, missing: float, kcal_left: float) -> str:
    """Say what the suggestion does, or what stops it, in the numbers the page shows."""
    if result.status == STATUS_CLOSED:
        return f"Closes the {missing:.0f} mg still missing within the {kcal_left:.0f} kcal left."
    reasons = {
        "kcal_high": f"within the {max(kcal_left, 0):.0f} kcal left",
        "added_magnesium": "without going over the added-magnesium limit",
        "carbohydrate": "within the carbohydrate left",
        "sodium": "within the sodium left",
    }
    if result.binding == (planner.BINDING_PORTIONS,):
        why = f"No 1 to 3 realistic portions give {missing:.0f} mg"
    else:
        limits = " and ".join(reasons[code] for code in result.binding) or "within every limit"
        why = f"No food closes {missing:.0f} mg {limits}"
    if result.status == STATUS_PARTIAL:
        return f"{why}; the most within every limit is {result.best_possible_mg:.0f} mg."
    return f"{why}."


def today_gap(
    user: User, profile: Profile, day: date, eaten: Amounts, planned_rest: Amounts
) -> GapSuggestion | None:
    """Return what closes the day's magnesium gap, or None when eaten + planned reach it.

    A total with an unknown part is a lower bound: the missing magnesium is then at most
    what is shown, and the room left under a cap at most what is left of its known part.
    """
    rules = rules_for(profile)
    total = eaten + planned_rest
    missing = rules.magnesium_target_mg - total.magnesium_mg
    if missing <= planner.MG_TOL:
        return None
    kcal_left = rules.kcal_max - total.kcal

    def left(cap: float | None, used: float) -> float | None:
        return None if cap is None else cap - used

    need = planner.GapNeed(
        magnesium_mg=missing,
        kcal_left=kcal_left,
        added_magnesium_left_mg=rules.added_magnesium_max_mg - total.added_magnesium_mg,
        carbohydrate_left_g=left(rules.carbohydrate_max_g, total.carbohydrate_g),
        sodium_left_mg=left(rules.sodium_max_mg, total.sodium_mg),
    )
    catalog, foods = _catalog_for(profile)
    disliked = _disliked_foods(user)
    if disliked:
        catalog = planner.GapCatalog([f for f in catalog.foods if f.food_id not in disliked])
    result = planner.close_gap(catalog, need)
    items = tuple(
        GapSuggestionItem(
            food=foods[item.food_id],
            grams=item.grams,
            portion_label=item.label,
            magnesium_mg=item.magnesium_mg,
            kcal=item.kcal,
            added_magnesium_mg=item.added_magnesium_mg,
        )
        for item in result.items
    )
    explanation = _sentence(result, missing=missing, kcal_left=kcal_left)
    unknown = sorted(total.unknown & {"kcal", "carbohydrate_g", "sodium_mg", "magnesium_mg"})
    if unknown:
        explanation += (
            " Some of today's values are unknown, so what is left is counted from the known"
            " part only."
        )
    return GapSuggestion(
        day=day,
        status=result.status,
        items=items,
        missing_mg=missing,
        kcal_left=kcal_left,
        explanation=explanation,
        binding=result.binding,
        best_possible_mg=result.best_possible_mg,
    )
