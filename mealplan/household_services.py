"""Writes to a household's week: suggest, regenerate, swap, lock, a member's servings, remove.

Each runs in one transaction that locks the week's row first, as the personal week's writes
do (mealplan/services.py); an entry's servings always hold the sum of its portions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from accounts.models import Household, Member
from accounts.selectors import household_members
from foods.models import Meal, Slot
from mealplan import planner
from mealplan.household_planning import (
    assignment_rows,
    household_catalog,
    household_fixed,
    household_meals,
    household_report,
    member_meals,
)
from mealplan.household_selectors import entry_portions, member_entry_view
from mealplan.models import (
    SERVINGS_MAX,
    SERVINGS_MIN,
    SERVINGS_STEP,
    EntryPortion,
    PlanEntry,
    WeekPlan,
)
from mealplan.planning import SLOT_INDEX
from mealplan.selectors import meal_nutrition
from mealplan.services import PlanError, cells_to_fill, interactive_budget_s, week_write

CHANGED_MESSAGE = "The household's week changed while planning; please try again."
NOTHING_TO_PLAN_MESSAGE = (
    "No dish can be suggested: each one is disliked, has an unknown value a rule needs, or is "
    "left out by the owner's Plan from (only their recipes, and they have none yet)."
)


@dataclass(frozen=True)
class HouseholdSuggestOutcome:
    added: int
    result: object | None  # planner.HouseholdResult
    first_day: date | None = None
    members: tuple[Member, ...] = ()


@transaction.atomic
def household_week_get_or_create(*, household: Household, week_start: date) -> WeekPlan:
    """Return the household's week, made the first time (its user is the owner)."""
    plan, _ = WeekPlan.objects.get_or_create(
        household=household, week_start=week_start, defaults={"user_id": household.owner_id}
    )
    return plan


def _lock_household_week(*, household: Household, week_start: date) -> WeekPlan:
    plan = household_week_get_or_create(household=household, week_start=week_start)
    return WeekPlan.objects.select_for_update().get(pk=plan.pk)


def _snapshot(entries: list[PlanEntry], portions: dict[int, dict[int, Decimal]]) -> frozenset:
    return frozenset(
        (
            e.pk,
            e.date,
            e.slot,
            e.meal_id,
            e.locked,
            tuple(sorted(portions.get(e.pk, {}).items())),
        )
        for e in entries
    )


def household_week_suggest(
    *,
    household: Household,
    week_start: date,
    replace_unlocked: bool = False,
    seed: int | None = None,
    include_past: bool = False,
    today: date | None = None,
    time_budget_s: float | None = None,
) -> HouseholdSuggestOutcome:
    """Fill the household week's open cells with shared dishes and every member's servings.

    Suggest keeps what is there; Regenerate (replace_unlocked) plans every unlocked cell
    again with a new seed, steering away from the dishes they held. Days before today are
    left alone unless include_past. The solve gets time_budget_s, by default the interactive
    budget (a web request's); a task passes PLANNER_TIME_BUDGET_S.
    """
    # As for a personal week: read, solve outside any lock, then write in one short
    # transaction only if the week is still as it was read.
    members = household_members(household)
    plan = WeekPlan.objects.filter(household=household, week_start=week_start).first()
    entries = list(plan.entries.all()) if plan else []
    portions = entry_portions(entries)
    snapshot = _snapshot(entries, portions)
    cells = cells_to_fill(
        plan=plan,
        entries=entries,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        seed=seed,
        include_past=include_past,
        today=today,
    )
    first, replaced, kept, seed, fill = (
        cells.first, cells.replaced, cells.kept, cells.seed, cells.fill
    )  # fmt: skip
    first_day = cells.first_day
    if not fill:
        return HouseholdSuggestOutcome(0, None, first_day, tuple(members))
    catalog, _, eaters = household_catalog(
        household=household, members=members, week_start=week_start
    )
    if not catalog.meal_ids.size:
        raise PlanError(NOTHING_TO_PLAN_MESSAGE)
    fixed = household_fixed(
        week_start=week_start,
        entries=kept,
        members=members,
        portions=portions,
        meals=meal_nutrition({e.meal_id for e in kept}),
    )
    result = planner.plan_household_week(
        catalog,
        eaters,
        fixed=fixed,
        fill=fill,
        seed=seed,
        avoid=[((e.date - week_start).days, SLOT_INDEX[e.slot], e.meal_id) for e in replaced],
        time_budget_s=interactive_budget_s() if time_budget_s is None else time_budget_s,
    )
    added = _write_household_suggestion(
        household=household,
        week_start=week_start,
        snapshot=snapshot,
        replaced=[e.pk for e in replaced],
        result=result,
        members=members,
        seed=seed,
        first=first,
    )
    return HouseholdSuggestOutcome(added, result, first_day, tuple(members))


@week_write
def _write_household_suggestion(
    *,
    household: Household,
    week_start: date,
    snapshot: frozenset,
    replaced: list[int],
    result,
    members: Sequence[Member],
    seed: int,
    first: int,
) -> int:
    plan = _lock_household_week(household=household, week_start=week_start)
    entries = list(plan.entries.all())
    if _snapshot(entries, entry_portions(entries)) != snapshot:
        raise PlanError(CHANGED_MESSAGE)
    plan.entries.filter(pk__in=replaced).delete()
    rows = [assignment_rows(a, plan=plan, members=members) for a in result.assignments]
    rows = [row for row in rows if row is not None]
    try:
        with transaction.atomic():
            PlanEntry.objects.bulk_create([entry for entry, _ in rows])
            # bulk_create set the entries' keys (PostgreSQL and SQLite both return them).
            EntryPortion.objects.bulk_create(
                [portion for _, portions in rows for portion in portions]
            )
    except IntegrityError as error:  # a cell filled meanwhile by another request
        raise PlanError(CHANGED_MESSAGE) from error
    report = household_report(result, week_start=week_start, members=members)
    plan.seed = seed
    plan.report = (
        {day: codes for day, codes in report.items() if date.fromisoformat(day) >= plan.days[first]}
        if first < 7
        else {}
    )
    plan.save(update_fields=["seed", "report", "updated_at"])
    return len(rows)


def _locked_entry(*, household: Household, entry: PlanEntry) -> tuple[WeekPlan, PlanEntry]:
    """Lock the entry's week and return it with the entry read again inside the lock."""
    plan = _lock_household_week(household=household, week_start=entry.plan.week_start)
    entry = (
        PlanEntry.objects.select_for_update()
        .select_related("meal")
        .filter(pk=entry.pk, plan=plan)
        .first()
    )
    if entry is None:
        raise PlanError("That entry is no longer in the household's week.")
    return plan, entry


def _sync_servings(entry: PlanEntry) -> None:
    """Make the entry's servings the sum of its portions (the shopping list reads it)."""
    total = sum(entry.portions.values_list("servings", flat=True), Decimal(0))
    entry.servings = total
    entry.save(update_fields=["servings"])


def check_member_added_magnesium(
    *, plan: WeekPlan, member: Member, day: date, slot: str, meal: Meal, servings: Decimal
) -> None:
    """Refuse a change that takes a member's added magnesium that day over their limit."""
    # As for a personal week: kcal and caps may be broken by hand (the day says so); the
    # limit for supplements and fortified products never is.
    others = list(
        EntryPortion.objects.filter(member=member, entry__plan=plan, entry__date=day)
        .exclude(entry__slot=slot)
        .select_related("entry")
    )
    meals = meal_nutrition({portion.entry.meal_id for portion in others} | {meal.pk})
    added = sum(
        member_entry_view(p.entry, meals[p.entry.meal_id], p.servings).added_magnesium_mg
        for p in others
    )
    this = member_entry_view(PlanEntry(date=day, slot=slot), meals[meal.pk], servings)
    limit = member.supplement_upper_limit_mg
    total = added + this.added_magnesium_mg
    if this.added_magnesium_mg > 0 and total > limit + planner.CAP_TOL:
        raise PlanError(
            f"Not changed: that would bring {member.display_name}'s added magnesium on "
            f"{day:%A %-d %B} to {total:.0f} mg, over the {limit} mg daily limit for "
            "supplements and fortified products. Choose fewer servings or another dish."
        )


def _check_servings(servings: Decimal) -> None:
    if not SERVINGS_MIN <= servings <= SERVINGS_MAX or servings % SERVINGS_STEP:
        raise PlanError(
            f"Choose servings from {SERVINGS_MIN} to {SERVINGS_MAX} in steps of {SERVINGS_STEP}."
        )


@week_write
def household_portion_set(
    *, household: Household, entry: PlanEntry, member: Member, servings: Decimal
) -> EntryPortion:
    """Set one member's servings of a household entry by hand (0.5 to 4, in halves)."""
    if member.household_id != household.pk:
        raise PlanError("That person is not a member of this household.")
    _check_servings(servings)
    plan, entry = _locked_entry(household=household, entry=entry)
    if (
        not member_meals(member, household_meals(household, for_suggest=False))
        .filter(pk=entry.meal_id)
        .exists()
    ):
        raise PlanError(
            f"{entry.meal.name} does not suit {member.display_name}'s diet or allergens."
        )
    check_member_added_magnesium(
        plan=plan,
        member=member,
        day=entry.date,
        slot=entry.slot,
        meal=entry.meal,
        servings=servings,
    )
    portion, _ = EntryPortion.objects.update_or_create(
        entry=entry, member=member, defaults={"servings": servings}
    )
    _sync_servings(entry)
    return portion


@week_write
def household_portion_remove(*, household: Household, entry: PlanEntry, member: Member) -> None:
    """Take a member off a household entry (they do not eat it); the last one removes it."""
    if member.household_id != household.pk:
        raise PlanError("That person is not a member of this household.")
    _, entry = _locked_entry(household=household, entry=entry)
    entry.portions.filter(member=member).delete()
    if entry.portions.exists():
        _sync_servings(entry)
    else:
        entry.delete()


@week_write
def household_entry_replace(
    *,
    household: Household,
    entry: PlanEntry,
    meal: Meal,
    portions: dict[Member, Decimal],
) -> PlanEntry:
    """Put another shared dish in an entry's cell, with each member's servings of it."""
    plan, entry = _locked_entry(household=household, entry=entry)
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    if not meal.fits(entry.slot):
        raise PlanError(f"{meal.name} is not a {Slot(entry.slot).label.lower()} meal.")
    if not portions:
        raise PlanError("Give at least one member servings of the dish.")
    candidates = household_meals(household, for_suggest=False)
    for member, servings in portions.items():
        if member.household_id != household.pk:
            raise PlanError("That person is not a member of this household.")
        _check_servings(servings)
        if not member_meals(member, candidates).filter(pk=meal.pk).exists():
            raise PlanError(f"{meal.name} does not suit {member.display_name}'s diet or allergens.")
        check_member_added_magnesium(
            plan=plan, member=member, day=entry.date, slot=entry.slot, meal=meal, servings=servings
        )
    entry.meal = meal
    entry.save(update_fields=["meal"])
    entry.portions.all().delete()
    EntryPortion.objects.bulk_create(
        EntryPortion(entry=entry, member=member, servings=servings)
        for member, servings in portions.items()
    )
    _sync_servings(entry)
    return entry


@week_write
def household_entry_toggle_lock(*, household: Household, entry: PlanEntry) -> PlanEntry:
    """Lock an entry (Regenerate keeps it), or unlock it."""
    _, entry = _locked_entry(household=household, entry=entry)
    entry.locked = not entry.locked
    entry.save(update_fields=["locked"])
    return entry


@week_write
def household_entry_delete(*, household: Household, entry: PlanEntry) -> None:
    """Remove a dish from the household's week (Suggest may fill its cell again)."""
    _, entry = _locked_entry(household=household, entry=entry)
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    entry.delete()
