"""Words for a day that falls short of its magnesium target: what binds and what to try."""

from __future__ import annotations

from accounts.models import Allergen, Diet, Profile
from mealplan.planner import DayReport


def exclusions_label(profile: Profile) -> str:
    """Describe the user's exclusions, e.g. "vegan, nut-free, soy-free"."""
    parts = [] if profile.diet == Diet.OMNIVORE else [profile.get_diet_display().lower()]
    avoid = set(profile.avoid_allergens or [])
    if {"tree_nuts", "peanuts"} <= avoid:
        parts.append("nut-free")
        avoid -= {"tree_nuts", "peanuts"}
    labels = dict(Allergen.choices)
    parts += [f"{labels.get(code, code).lower()}-free" for code in sorted(avoid)]
    return ", ".join(parts)


def explain_day(report: DayReport, profile: Profile) -> tuple[str, str]:
    """Return (what binds, one concrete suggestion) for a day short of its target."""
    short = round(report.shortfall_mg)
    window = profile.calorie_window
    meals = exclusions_label(profile)
    meals = f"{meals} meals" if meals else "meals"
    best = round(report.best_possible_mg) if report.best_possible_mg is not None else None
    best_text = f" (at most {best} mg in one day)" if best is not None else ""
    binding = report.binding
    if binding == "calories":
        return (
            f"Within {window.kcal_min}–{window.kcal_max} kcal no combination of {meals} adds "
            f"the {short} mg still missing{best_text}.",
            "Raise the upper end of your calorie window, or allow a magnesium-fortified product.",
        )
    if binding == "added_magnesium":
        return (
            f"Only fortified products could add the {short} mg still missing, and added "
            f"magnesium is capped at {profile.supplement_upper_limit_mg} mg a day.",
            "Relax an exclusion so more whole-food meals qualify.",
        )
    if binding == "carbohydrate":
        return (
            f"Your carbohydrate cap of {profile.carbohydrate_max_g} g leaves no {meals} that "
            f"add the {short} mg still missing{best_text}.",
            "Raise or remove your carbohydrate cap.",
        )
    if binding == "sodium":
        return (
            f"Your sodium cap of {profile.sodium_max_mg} mg leaves no {meals} that add the "
            f"{short} mg still missing{best_text}.",
            "Raise or remove your sodium cap.",
        )
    if binding == "variety":
        return (
            f"Each meal may appear twice a week and not on two days running, and there are "
            f"too few magnesium-rich {meals} to fill every day.",
            "Relax an exclusion, or like or add more meals to the catalog.",
        )
    if binding == "locked":
        return (
            f"Your locked meals leave too little room for the {short} mg still missing.",
            "Unlock an entry on this day.",
        )
    if binding == "time":
        return (
            f"This is the best plan found in the time allowed; it is {short} mg short.",
            "Press Regenerate to search again.",
        )
    return (
        f"There are not enough {meals} in the catalog to add the {short} mg still "
        f"missing{best_text}.",
        "Relax an exclusion, or allow a magnesium-fortified product.",
    )
