"""Writes to weekly plans: suggest, regenerate, swap, lock, edit. Each one atomic."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Profile, User
from accounts.selectors import profile_for
from foods.models import Meal, Slot
from mealplan import planner
from mealplan.explain import explain_day
from mealplan.models import MealPreference, PlanEntry, ShoppingTick, WeekPlan
from mealplan.selectors import candidate_catalog, entry_views, rules_for, suitable_meals

SLOT_INDEX = {slot: index for index, slot in enumerate(planner.SLOTS)}


class PlanError(Exception):
    """A change to a plan that breaks a rule; the message is for the user."""


@dataclass(frozen=True)
class SuggestOutcome:
    added: int
    days_short: int
    result: planner.PlanResult | None


def weekplan_get_or_create(*, user: User, week_start: date) -> WeekPlan:
    plan, _ = WeekPlan.objects.get_or_create(user=user, week_start=week_start)
    return plan


def _fixed_entries(plan: WeekPlan, entries: list[PlanEntry]) -> list[planner.FixedEntry]:
    return [
        planner.FixedEntry(
            day=(view.entry.date - plan.week_start).days,
            slot=SLOT_INDEX[view.entry.slot],
            meal_id=view.entry.meal_id,
            servings=float(view.entry.servings),
            kcal=view.kcal,
            magnesium_mg=view.magnesium_mg,
            added_magnesium_mg=view.added_magnesium_mg,
            carbohydrate_g=view.carbohydrate_g,
            sodium_mg=view.sodium_mg,
        )
        for view in entry_views(entries)
    ]


@transaction.atomic
def weekplan_suggest(
    *,
    user: User,
    week_start: date,
    replace_unlocked: bool = False,
    seed: int | None = None,
    include_past: bool = True,
) -> SuggestOutcome:
    """Fill the week's open cells so every day reaches the target; keep locked entries.

    Suggest keeps every entry already there and fills the empty cells; Regenerate
    (replace_unlocked) refills every unlocked cell with a new seed. Without include_past,
    days before today are left as they are.
    """
    plan = weekplan_get_or_create(user=user, week_start=week_start)
    # Serialise concurrent suggestions for the same week on the plan row.
    plan = WeekPlan.objects.select_for_update().get(pk=plan.pk)
    profile = profile_for(user)
    entries = list(plan.entries.all())
    first_day = 0 if include_past else max(0, (timezone.localdate() - week_start).days)
    if replace_unlocked:
        kept = [
            entry for entry in entries if entry.locked or (entry.date - week_start).days < first_day
        ]
        seed = secrets.randbelow(2**31) if seed is None else seed
    else:
        kept = entries
        seed = plan.seed if seed is None else seed
    taken = {((entry.date - week_start).days, SLOT_INDEX[entry.slot]) for entry in kept}
    fill = [
        (d, s)
        for d in range(first_day, 7)
        for s in range(len(planner.SLOTS))
        if (d, s) not in taken
    ]
    if not fill:
        return SuggestOutcome(added=0, days_short=0, result=None)

    catalog, _ = candidate_catalog(user=user, profile=profile)
    result = planner.plan_week(
        catalog,
        rules_for(profile),
        fixed=_fixed_entries(plan, kept),
        fill=fill,
        seed=seed,
        time_budget_s=settings.PLANNER_TIME_BUDGET_S,
    )
    if replace_unlocked:
        plan.entries.exclude(pk__in=[entry.pk for entry in kept]).delete()
    new_entries = [
        PlanEntry(
            plan=plan,
            date=plan.days[assignment.day],
            slot=planner.SLOTS[assignment.slot],
            meal_id=assignment.meal_id,
        )
        for assignment in result.assignments
    ]
    try:
        with transaction.atomic():
            PlanEntry.objects.bulk_create(new_entries)
    except IntegrityError as error:  # a cell filled meanwhile by another request
        raise PlanError("The week changed while planning; please try again.") from error

    plan.seed = seed
    plan.report = _report(result, profile, plan)
    plan.save(update_fields=["seed", "report", "updated_at"])
    # Days before first_day were not planned now: their shortfall is not this plan's.
    days_short = sum(1 for day in result.days if day.day >= first_day and day.shortfall_mg > 0.5)
    return SuggestOutcome(added=len(new_entries), days_short=days_short, result=result)


def _report(result: planner.PlanResult, profile: Profile, plan: WeekPlan) -> dict:
    """Keep, per day that falls short, what binds and what to try (keyed by ISO date)."""
    report = {}
    for day in result.days:
        if day.shortfall_mg <= 0.5:
            continue
        explanation, suggestion = explain_day(day, profile)
        report[plan.days[day.day].isoformat()] = {
            "shortfall_mg": round(day.shortfall_mg),
            "binding": day.binding,
            "proven": day.proven_unreachable,
            "best_possible_mg": day.best_possible_mg,
            "explanation": explanation,
            "suggestion": suggestion,
        }
    return report


def entry_swap_options(*, user: User, entry: PlanEntry, k: int = 3) -> list[Meal]:
    """Return the best k meals for an entry's cell with the rest of the week kept."""
    plan = entry.plan
    profile = profile_for(user)
    others = list(plan.entries.exclude(pk=entry.pk))
    catalog, meals = candidate_catalog(user=user, profile=profile)
    meal_ids = planner.swap_options(
        catalog,
        rules_for(profile),
        day=(entry.date - plan.week_start).days,
        slot=SLOT_INDEX[entry.slot],
        fixed=_fixed_entries(plan, others),
        exclude_meal_ids=[entry.meal_id],
        k=k,
        seed=secrets.randbelow(2**31),
    )
    return [meals[meal_id] for meal_id in meal_ids]


def _check_meal_for_cell(*, user: User, meal: Meal, slot: str) -> None:
    if not meal.fits(slot):
        raise PlanError(f"{meal.name} is not a {Slot(slot).label.lower()} meal.")
    if not suitable_meals(profile=profile_for(user)).filter(pk=meal.pk).exists():
        raise PlanError(f"{meal.name} does not suit your diet or the allergens you avoid.")


@transaction.atomic
def entry_replace(*, user: User, entry: PlanEntry, meal: Meal) -> PlanEntry:
    """Put another meal in an entry's cell."""
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk, plan__user=user)
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    _check_meal_for_cell(user=user, meal=meal, slot=entry.slot)
    entry.meal = meal
    entry.save(update_fields=["meal"])
    return entry


@transaction.atomic
def entry_add(
    *, user: User, plan: WeekPlan, day: date, slot: str, meal: Meal, servings: Decimal
) -> PlanEntry:
    """Put a meal in a cell by hand, replacing an unlocked entry there."""
    if not plan.holds(day):
        raise PlanError("That date is not in this week.")
    _check_meal_for_cell(user=user, meal=meal, slot=slot)
    existing = PlanEntry.objects.select_for_update().filter(plan=plan, date=day, slot=slot).first()
    if existing and existing.locked:
        raise PlanError("That cell holds a locked entry; unlock it first.")
    if existing:
        existing.meal, existing.servings = meal, servings
        existing.save(update_fields=["meal", "servings"])
        return existing
    return PlanEntry.objects.create(plan=plan, date=day, slot=slot, meal=meal, servings=servings)


@transaction.atomic
def entry_set_servings(*, entry: PlanEntry, servings: Decimal) -> PlanEntry:
    entry.servings = servings
    entry.save(update_fields=["servings"])
    return entry


@transaction.atomic
def entry_toggle_lock(*, entry: PlanEntry) -> PlanEntry:
    entry.locked = not entry.locked
    entry.save(update_fields=["locked"])
    return entry


@transaction.atomic
def entry_delete(*, entry: PlanEntry) -> None:
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    entry.delete()


@transaction.atomic
def meal_preference_set(*, user: User, meal: Meal, verdict: int | None) -> None:
    """Like, dislike, or forget a meal for the planner."""
    if verdict is None:
        MealPreference.objects.filter(user=user, meal=meal).delete()
    else:
        MealPreference.objects.update_or_create(user=user, meal=meal, defaults={"verdict": verdict})


@transaction.atomic
def weekplan_copy(*, user: User, source_week: date, target_week: date) -> int:
    """Copy an earlier week's entries into a week; replace its unlocked entries, keep locked."""
    if source_week == target_week:
        raise PlanError("That is a copy onto itself: choose an earlier week to copy from.")
    if source_week > target_week:
        raise PlanError("Choose an earlier week to copy from.")
    source = list(PlanEntry.objects.filter(plan__user=user, plan__week_start=source_week))
    if not source:
        raise PlanError(f"Nothing is planned in the week of {source_week:%d %b %Y} to copy.")
    plan = weekplan_get_or_create(user=user, week_start=target_week)
    plan = WeekPlan.objects.select_for_update().get(pk=plan.pk)
    plan.entries.filter(locked=False).delete()
    locked_cells = set(plan.entries.values_list("date", "slot"))
    shift = timedelta(days=(target_week - source_week).days)
    copies = [
        PlanEntry(
            plan=plan,
            date=entry.date + shift,
            slot=entry.slot,
            meal_id=entry.meal_id,
            servings=entry.servings,
        )
        for entry in source
        if (entry.date + shift, entry.slot) not in locked_cells
    ]
    PlanEntry.objects.bulk_create(copies)
    plan.report = {}
    plan.save(update_fields=["report", "updated_at"])
    return len(copies)


@transaction.atomic
def weekplan_clear(*, user: User, week_start: date, include_locked: bool = False) -> list[dict]:
    """Remove a week's entries (locked ones stay unless include_locked); return them for Undo.

    The removed entries come back as plain JSON values so the session can keep them.
    """
    entries = PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start)
    if not include_locked:
        entries = entries.filter(locked=False)
    removed = [
        {
            "date": entry.date.isoformat(),
            "slot": entry.slot,
            "meal_id": entry.meal_id,
            "servings": str(entry.servings),
            "locked": entry.locked,
        }
        for entry in entries.order_by("date", "slot")
    ]
    entries.delete()
    WeekPlan.objects.filter(user=user, week_start=week_start).update(report={})
    return removed


@dataclass(frozen=True)
class RestoreOutcome:
    restored: int
    skipped: int


@transaction.atomic
def weekplan_restore(*, user: User, week_start: date, entries: list[dict]) -> RestoreOutcome:
    """Put cleared entries back into a user's week, into the cells that are still empty.

    A cell filled since the clear keeps its meal; an entry whose meal is gone is skipped.
    """
    plan = weekplan_get_or_create(user=user, week_start=week_start)
    plan = WeekPlan.objects.select_for_update().get(pk=plan.pk)
    taken = set(plan.entries.values_list("date", "slot"))
    existing_meals = set(
        Meal.objects.filter(pk__in={entry["meal_id"] for entry in entries}).values_list(
            "pk", flat=True
        )
    )
    restored = []
    for entry in entries:
        day = date.fromisoformat(entry["date"])
        if (day, entry["slot"]) in taken or not plan.holds(day):
            continue
        if entry["meal_id"] not in existing_meals:
            continue
        restored.append(
            PlanEntry(
                plan=plan,
                date=day,
                slot=entry["slot"],
                meal_id=entry["meal_id"],
                servings=Decimal(entry["servings"]),
                locked=entry["locked"],
            )
        )
        taken.add((day, entry["slot"]))
    PlanEntry.objects.bulk_create(restored)
    return RestoreOutcome(restored=len(restored), skipped=len(entries) - len(restored))


@transaction.atomic
def shopping_tick_toggle(*, user: User, start: date, end: date, food_id: int) -> bool:
    """Tick a food off a shopping list, or untick it; return whether it is ticked now."""
    deleted, _ = ShoppingTick.objects.filter(
        user=user, start=start, end=end, food_id=food_id
    ).delete()
    if deleted:
        return False
    ShoppingTick.objects.get_or_create(user=user, start=start, end=end, food_id=food_id)
    return True
