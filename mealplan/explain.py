"""Words for the plan: a day that breaks a rule (what binds, what was relaxed, what to try)
and the message after a suggestion.

Written when the day is shown, from the codes the last suggestion stored and the totals and
profile as they are now, so a sentence never goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib import messages

from accounts.models import Allergen, Diet, PlanFrom, Profile
from mealplan import planner

if TYPE_CHECKING:
    from mealplan.selectors import DayView

# The planner's codes for what binds (mealplan.planner.DayReport.binding).
BINDING_CALORIES = "calories"
BINDING_ADDED = "added_magnesium"
BINDING_CARBOHYDRATE = "carbohydrate"
BINDING_SODIUM = "sodium"
BINDING_VARIETY = "variety"
BINDING_LOCKED = "locked"
BINDING_TIME = "time"
BINDING_CATALOG = "catalog"


@dataclass(frozen=True)
class Explanation:
    reason: str | None  # what binds, as the planner proved it (or why we cannot say)
    suggestion: str | None  # one concrete thing to try
    relaxed: str | None = None  # what the planner relaxed to fill the main meals
    empty: str | None = None  # main meals left empty because nothing suits


def exclusions_label(profile: Profile | None) -> str:
    """Describe the user's exclusions, e.g. "vegan, nut-free, soy-free"."""
    if profile is None:
        return ""
    parts = [] if profile.diet == Diet.OMNIVORE else [profile.get_diet_display().lower()]
    avoid = set(profile.avoid_allergens or [])
    if {"tree_nuts", "peanuts"} <= avoid:
        parts.append("nut-free")
        avoid -= {"tree_nuts", "peanuts"}
    labels = dict(Allergen.choices)
    parts += [f"{labels.get(code, code).lower()}-free" for code in sorted(avoid)]
    return ", ".join(parts)


def only_my_recipes(profile: Profile | None) -> bool:
    """Say whether Suggest keeps to the user's own recipes (Plan from: only my recipes)."""
    return profile is not None and profile.plan_from == PlanFrom.MINE


# Named wherever it is the cause, so the user knows which setting to change.
ONLY_MINE = "Plan from: only my recipes"
OR_CATALOG_TOO = "or plan from the catalog too (your profile's Plan from)"


def meals_label(profile: Profile | None) -> str:
    """Name what the planner chose from: "vegan, nut-free meals", or "your recipes"."""
    exclusions = exclusions_label(profile)
    if only_my_recipes(profile):
        return f"your {exclusions} recipes" if exclusions else "your recipes"
    return f"{exclusions} meals" if exclusions else "meals"


def _what_fails(day: DayView) -> str:
    names = {
        "magnesium": "the magnesium target",
        "kcal": "the calorie window",
        "carbohydrate": "the carbohydrate cap",
        "sodium": "the sodium cap",
        "added_magnesium": "the added-magnesium limit",
    }
    failing = [names[rule.code] for rule in day.failing]
    if len(failing) > 1:
        return ", ".join(failing[:-1]) + " and " + failing[-1]
    return failing[0] if failing else "every rule"


def _sentence(text: str) -> str:
    """Capitalise the first letter only (names and units keep their case)."""
    return text[:1].upper() + text[1:]


def _reason(day: DayView, binding: str, proven: bool, best: int | None) -> tuple[str, str]:
    """Return (what binds, what to try) for a planner's binding code."""
    meals = meals_label(day.profile)
    mine = only_my_recipes(day.profile)
    short = day.shortfall_mg
    fails = _what_fails(day)
    best_text = f" (at most {best:,} mg in one day)" if best is not None and short else ""
    proved = "The planner proved that " if proven else ""
    if binding == BINDING_CALORIES:
        return (
            _sentence(
                f"{proved}within {day.kcal_min:,}–{day.kcal_max:,} kcal no combination of "
                f"{meals} keeps {fails}{best_text}."
            ),
            f"Widen your calorie window, {OR_CATALOG_TOO}."
            if mine
            else "Widen your calorie window, or allow a magnesium-fortified product.",
        )
    if binding == BINDING_ADDED:
        return (
            _sentence(
                f"{proved}only fortified products could close the gap, and added magnesium "
                f"is capped at {day.added_limit_mg} mg a day."
            ),
            "Relax an exclusion so more whole-food meals qualify.",
        )
    if binding == BINDING_CARBOHYDRATE:
        return (
            _sentence(
                f"{proved}with your carbohydrate cap of {day.carbohydrate_max_g} g no "
                f"combination of {meals} keeps {fails}{best_text}."
            ),
            "Raise or remove your carbohydrate cap.",
        )
    if binding == BINDING_SODIUM:
        return (
            _sentence(
                f"{proved}with your sodium cap of {day.sodium_max_mg} mg no combination of "
                f"{meals} keeps {fails}{best_text}."
            ),
            "Raise or remove your sodium cap.",
        )
    if binding == BINDING_VARIETY:
        return (
            "This day alone could keep every rule, but each meal may appear only twice a week "
            f"and not on two days running, and there are too few suitable {meals} to go round"
            + (f" ({ONLY_MINE})." if mine else "."),
            f"Add more recipes, {OR_CATALOG_TOO}."
            if mine
            else "Relax an exclusion, or like more meals so the planner can use them.",
        )
    if binding == BINDING_LOCKED:
        return (
            f"Your locked meals on this day leave too little room to keep {fails}.",
            "Unlock an entry on this day, then Suggest again.",
        )
    if binding == BINDING_TIME:
        return (
            "This is the best plan found within the search limit; the planner could not prove "
            "that nothing better exists.",
            "Swap a meal on this day (Swap offers meals that keep the day on target first), "
            "or press Regenerate to search again.",
        )
    if mine:
        return (
            _sentence(f"{proved}no combination of {meals} keeps {fails}{best_text} ({ONLY_MINE})."),
            "Add recipes richer in magnesium (beans, nuts, seeds, whole grains, leafy greens), "
            f"{OR_CATALOG_TOO}.",
        )
    return (
        _sentence(
            f"{proved}there are not enough {meals} in the catalog to keep {fails}{best_text}."
        ),
        "Relax an exclusion, or allow a magnesium-fortified product.",
    )


def empty_slots_text(slots: list[str], profile: Profile | None) -> str:
    """Say why main meals stay empty: nothing suits, or the user's recipes have none."""
    names = " and ".join(slots)
    if only_my_recipes(profile):
        return (
            f"None of your recipes can fill {names} ({ONLY_MINE}), so it stays empty: "
            f"add a {names} recipe, {OR_CATALOG_TOO}."
        )
    return f"No {names} meal suits your diet and the allergens you avoid, so it stays empty."


def explain_day(day: DayView) -> Explanation:
    """Explain a day that is not on target, from its stored codes and its totals now."""
    report = day.report or {}
    relaxed = None
    if "variety" in report.get("relaxed", []):
        relaxed = (
            "To fill every main meal and keep the day's rules, the planner relaxed variety: a "
            "meal may repeat on days running or more than twice a week, or a food appear in "
            "three meals of the day."
        )
    empty = None
    if report.get("empty_slots"):
        empty = empty_slots_text(report["empty_slots"], day.profile)
    if day.unknown_rules and not day.failing:
        names = ", ".join(rule.label.lower() for rule in day.unknown_rules)
        return Explanation(
            f"Some values are unknown ({names}), so this day cannot be called on target.",
            "Swap the item marked unknown, or ask a curator to complete its label.",
            relaxed,
            empty,
        )
    if not day.failing:
        return Explanation(None, None, relaxed, empty)
    binding = report.get("binding")
    if binding is None:
        return Explanation(
            "This day was changed since the planner last looked at it.",
            "Press Suggest (fills empty cells) or Swap a meal to let the planner fix it.",
            relaxed,
            empty,
        )
    reason, suggestion = _reason(
        day, binding, bool(report.get("proven")), report.get("best_possible_mg")
    )
    return Explanation(reason, suggestion, relaxed, empty)


# The planner's failure codes (DayReport.failures), in the words of the Suggest message.
FAILURE_WORDS = {
    planner.RULE_MAGNESIUM: "magnesium short",
    planner.RULE_KCAL_LOW: "kcal below the window",
    planner.RULE_KCAL_HIGH: "kcal above the window",
    planner.RULE_CARBOHYDRATE: "over the carbohydrate cap",
    planner.RULE_SODIUM: "over the sodium cap",
    planner.RULE_ADDED: "added magnesium over the limit",
}


def suggest_message(
    result: planner.PlanResult | None,
    *,
    week_start: date,
    first_day: date | None,
    profile: Profile | None = None,
) -> tuple[int, str]:
    """Say how a suggestion went: days on target, and what fails on the others."""
    level, text = _suggest_message(result, week_start=week_start, first_day=first_day)
    if result is None or not only_my_recipes(profile):
        return level, text
    empty = [planner.SLOTS[i] for i in sorted({i for d in result.days for i in d.empty_slots})]
    if not empty:
        return level, text
    missing = (
        f"You have no recipes yet for {' and '.join(empty)} that Suggest can use ({ONLY_MINE}) "
        f"— add some, {OR_CATALOG_TOO}."
    )
    return messages.WARNING, f"{missing} {text}"


def no_recipes_message(*, has_recipes: bool) -> str:
    """Say why Suggest planned nothing when it keeps to the user's own recipes."""
    if not has_recipes:
        return f"You have no recipes yet ({ONLY_MINE}): add some, {OR_CATALOG_TOO}."
    return (
        f"None of your recipes can be suggested ({ONLY_MINE}): each one is disliked, does not "
        "suit your diet or the allergens you avoid, or has an unknown value a rule needs. "
        f"Add or complete some, {OR_CATALOG_TOO}."
    )


def _suggest_message(
    result: planner.PlanResult | None, *, week_start: date, first_day: date | None
) -> tuple[int, str]:
    if first_day is None:
        return messages.INFO, "This week is over: tick “Also fill past days” to plan it."
    if result is None and first_day > week_start:
        return messages.INFO, (
            "Every cell from today to Sunday is filled. "
            "Tick “Also fill past days” to plan the days before today."
        )
    if result is None:
        return messages.INFO, "Every cell is filled. Use Regenerate for a different week."
    days = [d for d in result.days if week_start + timedelta(d.day) >= first_day]
    week = f"{len(days)} day{'s' if len(days) != 1 else ''}"
    on_target = sum(1 for d in days if d.ok)
    limited = " (best found within the search limit)" if result.limited else ""
    if on_target == len(days):
        return messages.SUCCESS, f"All {week} planned are on target: every rule holds.{limited}"
    failing = [
        f"{week_start + timedelta(d.day):%a}: {', '.join(FAILURE_WORDS[f] for f in d.failures)}"
        for d in days
        if not d.ok
    ]
    return (
        messages.WARNING,
        f"{on_target} of {week} on target{limited}. Not on target — {'; '.join(failing)}. "
        "See why under each day.",
    )


def household_suggest_message(
    result, *, week_start: date, first_day: date | None, names: list[str]
) -> tuple[int, str]:
    """Say how a household suggestion went: member-days on target, what fails, who is unserved.

    result is a planner.HouseholdResult (or None when nothing was left to fill).
    """
    if first_day is None or result is None:
        return _suggest_message(None, week_start=week_start, first_day=first_day)
    first = (first_day - week_start).days
    limited = " (best found within the search limit)" if result.limited else ""
    planned = failing = 0
    problems = []
    for eater, reports in enumerate(result.reports):
        for day in reports:
            if day.day < first or not (day.kcal or day.magnesium_mg):
                continue  # before the days filled, or nothing eaten at home that day
            planned += 1
            if not day.ok:
                failing += 1
                words = ", ".join(FAILURE_WORDS[f] for f in day.failures) or "not on target"
                problems.append(f"{week_start + timedelta(day.day):%a} {names[eater]}: {words}")
    unserved = sorted(
        {names[cell.eater] for cell in result.unserved if cell.day >= first}, key=str.casefold
    )
    missing = (
        f" No shared dish could serve {' and '.join(unserved)} in some meals: see the days."
        if unserved
        else ""
    )
    days = f"{planned} member-day{'s' if planned != 1 else ''}"
    if not failing:
        level = messages.WARNING if unserved else messages.SUCCESS
        return level, f"All {days} planned are on target: every rule holds.{limited}{missing}"
    return (
        messages.WARNING,
        f"{planned - failing} of {days} on target{limited}. Not on target — "
        f"{'; '.join(problems)}. See why under each day.{missing}",
    )
