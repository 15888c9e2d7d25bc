"""The one boundary between rows and the planner: rules, candidates, fixed entries, reports."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from accounts.models import Profile, User
from foods.models import Ingredient, Meal
from mealplan import planner
from mealplan.intake import NUTRIENTS, Amounts
from mealplan.models import MealPreference, PlanEntry

SLOT_INDEX = {slot: index for index, slot in enumerate(planner.SLOTS)}
# A food counts as "in" a meal for the two-meals-a-day rule from this many grams a serving:
# a spoon of oil or a pinch of spice is not what makes two meals feel the same.
MAIN_INGREDIENT_MIN_G = 20.0
# Per-serving nutrients a rule reads, and the meal annotation (MealQuerySet.with_nutrition)
# counting ingredients whose value for it is unknown.
UNKNOWN_COUNTS = {
    "kcal": "unknown_kcal_count",
    "magnesium_mg": "unknown_magnesium_count",
    "carbohydrate_g": "unknown_carbohydrate_count",
    "sodium_mg": "unknown_sodium_count",
}
# Meals planned in this many weeks before cost extra, so each week is a new week.
RECENT_WEEKS = 2


def rules_for(profile: Profile) -> planner.Rules:
    """Return the planner's rules for a profile."""
    window = profile.calorie_window
    return planner.Rules(
        magnesium_target_mg=profile.magnesium_target_mg,
        kcal_min=window.kcal_min,
        kcal_max=window.kcal_max,
        carbohydrate_max_g=profile.carbohydrate_max_g,
        sodium_max_mg=profile.sodium_max_mg,
        added_magnesium_max_mg=profile.supplement_upper_limit_mg,
    )


def is_product(meal: Meal) -> bool:
    """Say whether a meal is one product, planned in whole units (a shot, a bar)."""
    return meal.ingredient_count == 1 and meal.product_count == 1


def unknown_rule_values(meal: Meal, rules: planner.Rules) -> list[str]:
    """Return the nutrients a rule needs that are unknown for some ingredient of a meal."""
    needed = {
        "kcal": True,
        "magnesium_mg": True,
        "carbohydrate_g": rules.carbohydrate_max_g is not None,
        "sodium_mg": rules.sodium_max_mg is not None,
    }
    return [name for name, count in UNKNOWN_COUNTS.items() if needed[name] and getattr(meal, count)]


def main_ingredients(meal_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Return, per meal, the foods it holds at least MAIN_INGREDIENT_MIN_G of per serving."""
    foods: dict[int, set[int]] = defaultdict(set)
    rows = Ingredient.objects.filter(meal_id__in=list(meal_ids)).values_list(
        "meal_id", "food_id", "grams", "meal__servings"
    )
    for meal_id, food_id, grams, servings in rows:
        if grams / max(servings, 1) >= MAIN_INGREDIENT_MIN_G:
            foods[meal_id].add(food_id)
    return {meal_id: frozenset(ids) for meal_id, ids in foods.items()}


def uses_before(entries, week_start: date) -> Counter:
    """Count how often each meal of some entries was planned in the weeks just before one."""
    start = week_start - timedelta(weeks=RECENT_WEEKS)
    recent = entries.between(start, week_start - timedelta(days=1))
    return Counter(recent.values_list("meal_id", flat=True))


def recent_uses(*, user: User, week_start: date) -> Counter:
    """Count how often each meal was planned in the weeks just before this one."""
    return uses_before(PlanEntry.objects.owned_by(user), week_start)


def suitable_meals(*, profile: Profile, user: User | None = None):
    """Return the active meals that suit the user's diet and the allergens they avoid.

    With a user: the curated meals and that user's own recipes, never another user's.
    """
    meals = Meal.objects.active()
    meals = meals.visible_to(user) if user is not None else meals.curated()
    return meals.for_diet(profile.diet).without_allergens(profile.avoid_allergens)


def candidate_meals(*, user: User, profile: Profile, for_suggest: bool = True):
    """Return the meals the planner may suggest (or a person pick): suitable, not disliked.

    Suggest and Swap keep to the profile's "Plan from"; a person picking by hand sees both
    their recipes and the catalog.
    """
    disliked = MealPreference.objects.filter(
        user=user, verdict=MealPreference.Verdict.DISLIKE
    ).values("meal_id")
    meals = suitable_meals(profile=profile, user=user).exclude(pk__in=disliked)
    return meals.for_plan_from(user, profile.plan_from) if for_suggest else meals


def candidate_catalog(
    *, user: User, profile: Profile, week_start: date | None = None
) -> tuple[planner.Catalog, dict[int, Meal]]:
    """Return the planner's candidate meals as arrays, and every suitable meal by id."""
    # A meal with an unknown value that a rule needs is never suggested (unknown is not 0):
    # it can still be added by hand, and its day then reads "at least".
    rules = rules_for(profile)
    liked = set(
        MealPreference.objects.filter(user=user, verdict=MealPreference.Verdict.LIKE).values_list(
            "meal_id", flat=True
        )
    )
    meals = {
        meal.pk: meal
        for meal in candidate_meals(user=user, profile=profile).with_nutrition()
        if meal.ingredient_count
    }
    plannable = [m for m in meals.values() if not unknown_rule_values(m, rules)]
    foods = main_ingredients(m.pk for m in plannable)
    recent = recent_uses(user=user, week_start=week_start) if week_start else Counter()
    rows = [
        planner.MealRow(
            meal_id=meal.pk,
            slots=frozenset(meal.slots),
            kcal=meal.kcal or 0.0,
            magnesium_mg=meal.magnesium_mg or 0.0,
            added_magnesium_mg=meal.added_magnesium_mg or 0.0,
            # Only read where a cap makes it known (checked above); else it binds nothing.
            carbohydrate_g=meal.carbohydrate_g or 0.0,
            sodium_mg=meal.sodium_mg or 0.0,
            preference=1.0 if meal.pk in liked else 0.0,
            unit_only=is_product(meal),
            ingredient_ids=foods.get(meal.pk, frozenset()),
            recent_uses=recent.get(meal.pk, 0),
        )
        for meal in plannable
    ]
    return planner.Catalog.from_rows(rows), meals


def fixed_entries(
    *, week_start: date, views: Iterable, counted_elsewhere: frozenset[int] = frozenset()
) -> list[planner.FixedEntry]:
    """Return entries (EntryViews) the planner must keep, with their nutrition and foods.

    An entry in counted_elsewhere keeps its cell and its meal (variety) but adds nothing:
    its day's eaten_entry already holds what was really eaten of it.
    """
    views = list(views)
    foods = main_ingredients({view.entry.meal_id for view in views})
    fixed = []
    for view in views:
        counted = view.entry.pk not in counted_elsewhere
        fixed.append(
            planner.FixedEntry(
                day=(view.entry.date - week_start).days,
                slot=SLOT_INDEX[view.entry.slot],
                meal_id=view.entry.meal_id,
                servings=float(view.entry.servings),
                # The known part: a hand-added item with an unknown value makes its day read
                # "at least", and such a day is never called on target.
                **{name: getattr(view, name) if counted else 0.0 for name in NUTRIENTS},
                ingredient_ids=foods.get(view.entry.meal_id, frozenset()),
            )
        )
    return fixed


def eaten_entry(*, week_start: date, day: date, eaten: Amounts) -> planner.FixedEntry:
    """What the log says was eaten on a day (eaten servings and extras) as one contribution
    to the day's totals that takes no cell; the known part, like fixed_entries."""
    return planner.FixedEntry(
        day=(day - week_start).days,
        slot=0,
        meal_id=0,
        servings=1.0,
        **{name: getattr(eaten, name) for name in NUTRIENTS},
        in_cell=False,
    )


def week_report(result: planner.PlanResult, *, week_start: date) -> dict:
    """Keep, per day that breaks a rule or relaxed one, the codes and numbers of why."""
    # Sentences are written when the day is shown (mealplan/explain.py), from these codes
    # and the profile as it is then, so they never go stale.
    report = {}
    for day in result.days:
        if day.ok and not day.relaxed and not day.empty_slots:
            continue
        report[(week_start + timedelta(days=day.day)).isoformat()] = {
            "binding": day.binding,
            "proven": day.proven_unreachable,
            "best_possible_mg": (
                None if day.best_possible_mg is None else round(day.best_possible_mg)
            ),
            "relaxed": list(day.relaxed),
            "empty_slots": [planner.SLOTS[slot] for slot in day.empty_slots],
        }
    return report
