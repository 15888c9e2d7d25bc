"""The boundary between a household's rows and the household planner: each member's rules,
the meals that suit them, the cells they eat, the entries kept, and the result as rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from accounts.models import Allergen, Diet, Household, Member
from accounts.selectors import profile_for
from foods.models import Meal
from mealplan import planner
from mealplan.models import EntryPortion, MealPreference, PlanEntry
from mealplan.planning import (
    SLOT_INDEX,
    is_product,
    main_ingredients,
    rules_for,
    unknown_rule_values,
    uses_before,
)


def member_rules(member: Member) -> planner.Rules:
    """Return the planner's rules for one member (their own target, window and caps): a
    Member answers the same questions as a Profile."""
    return rules_for(member)


def household_meals(household: Household, *, for_suggest: bool = True):
    """Return the active meals a household may plan: curated ones and the owner's recipes.

    Suggest keeps to the owner's "Plan from"; a swap or a hand edit may use both.
    """
    owner = household.owner
    meals = Meal.objects.active().visible_to(owner)
    return meals.for_plan_from(owner, profile_for(owner).plan_from) if for_suggest else meals


def member_meals(member: Member, meals):
    """Keep the meals that suit a member: their diet, their allergens, not disliked."""
    meals = meals.for_diet(member.diet).without_allergens(member.avoid_allergens or [])
    if member.user_id:
        disliked = MealPreference.objects.filter(
            user_id=member.user_id, verdict=MealPreference.Verdict.DISLIKE
        ).values("meal_id")
        meals = meals.exclude(pk__in=disliked)
    return meals


def member_suits(members: Sequence[Member], meals) -> list[frozenset[int]]:
    """Return, per member, the ids of the given meals that suit them (one query each)."""
    return [
        frozenset(member_meals(member, meals).values_list("pk", flat=True)) for member in members
    ]


def eats_grid(member: Member, week_start: date) -> np.ndarray:
    """Return whether a member eats each cell of the week at home: bool [7, slots]."""
    return np.array(
        [
            [member.eats(week_start + timedelta(days=day), slot) for slot in planner.SLOTS]
            for day in range(7)
        ],
        dtype=bool,
    )


def recent_household_uses(*, household: Household, week_start: date) -> Counter:
    """Count how often each meal was planned in the household's weeks just before this one."""
    return uses_before(PlanEntry.objects.filter(plan__household=household), week_start)


def household_catalog(
    *, household: Household, members: Sequence[Member], week_start: date, for_suggest: bool = True
) -> tuple[planner.Catalog, dict[int, Meal], list[planner.Eater]]:
    """Return the household's candidate meals as arrays, the meals by id, and the eaters."""
    rules = [member_rules(member) for member in members]
    meals_qs = household_meals(household, for_suggest=for_suggest)
    meals = {meal.pk: meal for meal in meals_qs.with_nutrition() if meal.ingredient_count}
    # A meal with an unknown value that some member's rule needs is never suggested.
    plannable = [m for m in meals.values() if not any(unknown_rule_values(m, r) for r in rules)]
    suits = member_suits(members, meals_qs.filter(pk__in=[m.pk for m in plannable]))
    liked_by = Counter(
        MealPreference.objects.filter(
            user_id__in=[m.user_id for m in members if m.user_id],
            verdict=MealPreference.Verdict.LIKE,
        ).values_list("meal_id", flat=True)
    )
    users = max(1, sum(1 for m in members if m.user_id))
    foods = main_ingredients(m.pk for m in plannable)
    recent = recent_household_uses(household=household, week_start=week_start)
    rows = [
        planner.MealRow(
            meal_id=meal.pk,
            slots=frozenset(meal.slots),
            kcal=meal.kcal or 0.0,
            magnesium_mg=meal.magnesium_mg or 0.0,
            added_magnesium_mg=meal.added_magnesium_mg or 0.0,
            carbohydrate_g=meal.carbohydrate_g or 0.0,
            sodium_mg=meal.sodium_mg or 0.0,
            preference=liked_by.get(meal.pk, 0) / users,
            unit_only=is_product(meal),
            ingredient_ids=foods.get(meal.pk, frozenset()),
            recent_uses=recent.get(meal.pk, 0),
        )
        for meal in plannable
    ]
    eaters = [
        planner.Eater(
            rules=rule,
            eats=eats_grid(member, week_start),
            suits=suit,
            name=member.display_name,
        )
        for member, rule, suit in zip(members, rules, suits, strict=True)
    ]
    return planner.Catalog.from_rows(rows), meals, eaters


def household_fixed(
    *,
    week_start: date,
    entries: Iterable[PlanEntry],
    members: Sequence[Member],
    portions: dict[int, dict[int, Decimal]],
    meals: dict[int, Meal],
) -> list[planner.HouseholdFixed]:
    """Return the entries the planner must keep, with each member's servings.

    portions: per entry id, servings by member id; meals: with nutrition per serving.
    """
    entries = list(entries)
    foods = main_ingredients({entry.meal_id for entry in entries})
    fixed = []
    for entry in entries:
        meal = meals[entry.meal_id]
        by_member = portions.get(entry.pk, {})
        fixed.append(
            planner.HouseholdFixed(
                day=(entry.date - week_start).days,
                slot=SLOT_INDEX[entry.slot],
                meal_id=entry.meal_id,
                servings=tuple(float(by_member.get(member.pk, 0)) for member in members),
                # The known part: an unknown value makes the member's day read "at least".
                kcal=meal.kcal or 0.0,
                magnesium_mg=meal.magnesium_mg or 0.0,
                added_magnesium_mg=meal.added_magnesium_mg or 0.0,
                carbohydrate_g=meal.carbohydrate_g or 0.0,
                sodium_mg=meal.sodium_mg or 0.0,
                ingredient_ids=foods.get(entry.meal_id, frozenset()),
            )
        )
    return fixed


def assignment_rows(
    assignment, *, plan, members: Sequence[Member]
) -> tuple[PlanEntry, list[EntryPortion]] | None:
    """Turn one planned cell into an entry (servings = the portions' sum) and its portions."""
    portions = [
        (member, Decimal(str(servings)))
        for member, servings in zip(members, assignment.servings, strict=True)
        if servings > 0
    ]
    if not portions:
        return None
    entry = PlanEntry(
        plan=plan,
        date=plan.days[assignment.day],
        slot=planner.SLOTS[assignment.slot],
        meal_id=assignment.meal_id,
        servings=sum((servings for _, servings in portions), Decimal(0)),
    )
    return entry, [EntryPortion(entry=entry, member=m, servings=s) for m, s in portions]


def household_report(result, *, week_start: date, members: Sequence[Member]) -> dict:
    """Keep, per day: each member's codes of why a rule breaks, and the cells not served."""
    report: dict[str, dict] = {}
    for index, member in enumerate(members):
        for day in result.reports[index]:
            if day.ok and not day.relaxed and not day.empty_slots:
                continue
            codes = report.setdefault((week_start + timedelta(days=day.day)).isoformat(), {})
            codes.setdefault("members", {})[str(member.pk)] = {
                "binding": day.binding,
                "proven": day.proven_unreachable,
                "best_possible_mg": (
                    None if day.best_possible_mg is None else round(day.best_possible_mg)
                ),
                "relaxed": list(day.relaxed),
                "empty_slots": [planner.SLOTS[slot] for slot in day.empty_slots],
            }
    for cell in result.unserved:
        codes = report.setdefault((week_start + timedelta(days=cell.day)).isoformat(), {})
        codes.setdefault("unserved", []).append(
            {
                "member": members[cell.eater].pk,
                "slot": planner.SLOTS[cell.slot],
                "reason": cell.reason,
            }
        )
    return report


def exclusions_words(member: Member) -> str:
    """Say what a member's meals must leave out: "vegetarian, peanut allergy"."""
    parts = [] if member.diet == Diet.OMNIVORE else [Diet(member.diet).label.lower()]
    labels = dict(Allergen.choices)
    parts += [
        f"{labels.get(code, code).lower()} allergy" for code in sorted(member.avoid_allergens or [])
    ]
    return ", ".join(parts)


def unserved_text(*, member: Member, slot: str, reason: str) -> str:
    """Say why a member cannot be served in a cell, in words a cook reads."""
    exclusions = exclusions_words(member)
    name = member.display_name
    if reason == planner.NO_SHARED_DISH and exclusions:
        return (
            f"No shared {slot} suits {name}: {exclusions}, and no {slot} dish suits everyone "
            "else eating it too."
        )
    if exclusions:
        return f"No {slot} suits {name} ({exclusions}), so {name} is not served then."
    return f"No shared {slot} suits {name} together with everyone else eating it."
