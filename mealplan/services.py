"""Writes to weekly plans: suggest, regenerate, swap, lock, edit. Each one atomic.

Every write to a week locks the week's row first (one lock order, so two writers never
deadlock on each other's entries), and a deadlock or lock timeout the database reports
anyway becomes a "try again" message, never an error page.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction

from accounts.models import User
from accounts.selectors import profile_for
from foods.models import Food, Meal, Portion, Slot
from foods.recipe_services import RecipeData, RecipeError, RecipeLine, recipe_save
from mealplan import planner
from mealplan.explain import no_recipes_message, only_my_recipes
from mealplan.intake import Amounts
from mealplan.intake_selectors import day_totals, logged_entries, planned_rest
from mealplan.intake_services import food_snapshot
from mealplan.jobs import start_job
from mealplan.models import (
    IntakeItem,
    MealPreference,
    PlanEntry,
    PlanJob,
    ShoppingTick,
    WeekPlan,
    in_week,
    monday_of,
)
from mealplan.planning import (
    SLOT_INDEX,
    candidate_catalog,
    eaten_entry,
    fixed_entries,
    rules_for,
    suitable_meals,
    week_report,
)
from mealplan.selectors import entry_views, live_plan_job, suggest_size

PROFILE_INCOMPLETE_MESSAGE = (
    "Tell us your birth date and sex first: your magnesium target depends on them."
)

SKIPPED = IntakeItem.Status.SKIPPED


def _refuse_logged(entry: PlanEntry | None) -> None:
    if entry is not None and IntakeItem.objects.filter(entry=entry).exists():
        raise PlanError(LOGGED_MESSAGE)


BUSY_MESSAGE = "Your week is being changed by another request; please try again."
CHANGED_MESSAGE = "The week changed while planning; please try again."
LOGGED_MESSAGE = (
    "You logged this meal on Today (eaten or skipped), so it stays in the plan; "
    "undo it on Today first."
)


class PlanError(Exception):
    """A change to a plan that breaks a rule; the message is for the user."""


def week_write[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run a write to a week in one transaction; a deadlock or lock timeout is a message."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except OperationalError as error:
            raise PlanError(BUSY_MESSAGE) from error

    return wrapper


def _lock_week(*, user: User, week_start: date) -> WeekPlan:
    """Return the week's row, created if need be, locked for this transaction."""
    plan = weekplan_get_or_create(user=user, week_start=week_start)
    return WeekPlan.objects.select_for_update().get(pk=plan.pk)


def interactive_budget_s() -> float:
    """Return the seconds a solve may take inside a web request."""
    return min(settings.PLANNER_INTERACTIVE_BUDGET_S, settings.PLANNER_TIME_BUDGET_S)


@dataclass(frozen=True)
class QueuedPlan:
    job: PlanJob
    already_live: bool  # the week was being planned already: no new job was started


def weekplan_queue_if_long(
    *, user: User, week_start: date, replace_unlocked: bool, include_past: bool, today: date
) -> QueuedPlan | None:
    """Start a job instead of solving in the request when the week is being planned already
    or its estimate is beyond the interactive budget; None means solve now.

    The page and the API both ask here, so neither runs a solve a web worker must not.
    """
    if job := live_plan_job(user=user, week_start=week_start):
        return QueuedPlan(job=job, already_live=True)
    size = suggest_size(
        user=user,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        include_past=include_past,
        today=today,
    )
    if planner.fits_interactive(size, interactive_budget_s()):
        return None
    kind = PlanJob.Kind.REGENERATE if replace_unlocked else PlanJob.Kind.SUGGEST
    job = start_job(user=user, week_start=week_start, kind=kind, include_past=include_past)
    return QueuedPlan(job=job, already_live=False)


@dataclass(frozen=True)
class SuggestOutcome:
    added: int
    result: planner.PlanResult | None
    first_day: date | None = None  # the first day filled (today, unless past days were asked)


@transaction.atomic
def weekplan_get_or_create(*, user: User, week_start: date) -> WeekPlan:
    plan, _ = WeekPlan.objects.get_or_create(user=user, week_start=week_start, household=None)
    return plan


def _snapshot(entries: list[PlanEntry]) -> frozenset[tuple]:
    return frozenset(
        (e.pk, e.date, e.slot, e.meal_id, Decimal(e.servings), e.locked) for e in entries
    )


def weekplan_suggest(
    *,
    user: User,
    week_start: date,
    replace_unlocked: bool = False,
    seed: int | None = None,
    include_past: bool = False,
    today: date | None = None,
    time_budget_s: float | None = None,
    eaten: Mapping[date, Amounts] | None = None,
) -> SuggestOutcome:
    """Fill the week's open cells so every day keeps every rule it can; keep locked entries.

    Suggest keeps every entry already there and fills the empty cells; Regenerate
    (replace_unlocked) plans every unlocked cell again with a new seed, steering away from
    the meals they held. Days before today are left alone unless include_past. Entries logged
    on Today are never planned again; a skipped one holds its cell but adds nothing to its
    day. A day in `eaten` counts what the log
    says was eaten on it (eaten servings, extras) in place of its logged entries. The solve
    gets time_budget_s, by default the interactive budget (a web request's); a task passes
    PLANNER_TIME_BUDGET_S.
    """
    # The solve runs outside any lock: read, solve, then one short transaction that writes
    # only if the week is still as it was read (else the user is asked to try again).
    profile = profile_for(user)
    plan = WeekPlan.objects.personal().filter(user=user, week_start=week_start).first()
    entries = list(plan.entries.all()) if plan else []
    snapshot = _snapshot(entries)
    # A meal logged on Today (eaten or skipped) stays like a locked one: planning it again
    # would leave the log counting a meal Today no longer shows. A skipped one adds nothing.
    logged = logged_entries(e.pk for e in entries)
    keep = frozenset(logged)
    uncounted = {pk for pk, status in logged.items() if status == SKIPPED}
    cells = cells_to_fill(
        plan=plan,
        entries=entries,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        seed=seed,
        include_past=include_past,
        today=today,
        keep=keep,
    )
    first, replaced, kept, seed, fill = (
        cells.first, cells.replaced, cells.kept, cells.seed, cells.fill
    )  # fmt: skip
    first_day = cells.first_day
    if not fill:
        return SuggestOutcome(added=0, result=None, first_day=first_day)

    catalog, _ = candidate_catalog(user=user, profile=profile, week_start=week_start)
    if not catalog.meal_ids.size and only_my_recipes(profile):
        has_recipes = Meal.objects.owned_by(user).active().exists()
        raise PlanError(no_recipes_message(has_recipes=has_recipes))
    result = planner.plan_week(
        catalog,
        rules_for(profile),
        fixed=[
            *fixed_entries(
                week_start=week_start,
                views=entry_views([e for e in kept if e.pk not in uncounted]),
                counted_elsewhere=frozenset(
                    e.pk for e in kept if e.pk in keep and e.date in (eaten or {})
                ),
            ),
            *(
                eaten_entry(week_start=week_start, day=day, eaten=amounts)
                for day, amounts in (eaten or {}).items()
            ),
        ],
        fill=fill,
        seed=seed,
        avoid=[((e.date - week_start).days, SLOT_INDEX[e.slot], e.meal_id) for e in replaced],
        time_budget_s=interactive_budget_s() if time_budget_s is None else time_budget_s,
    )
    added = _write_suggestion(
        user=user,
        week_start=week_start,
        snapshot=snapshot,
        replaced=[e.pk for e in replaced],
        result=result,
        seed=seed,
        first=first,
    )
    return SuggestOutcome(added=added, result=result, first_day=first_day)


@dataclass(frozen=True)
class CellsToFill:
    """What a Suggest (or Regenerate) plans in a week, and what it keeps."""

    week_start: date
    first: int  # the first day offset planned (days before it stay as they are)
    replaced: list[PlanEntry]  # Regenerate: the unlocked entries planned again
    kept: list[PlanEntry]
    seed: int
    fill: list[tuple[int, int]]  # (day offset, slot index) cells to plan

    @property
    def first_day(self) -> date | None:
        """The first day planned, or None when the week is over."""
        return self.week_start + timedelta(days=self.first) if self.first < 7 else None


def cells_to_fill(
    *,
    plan: WeekPlan | None,
    entries: list[PlanEntry],
    week_start: date,
    replace_unlocked: bool,
    seed: int | None,
    include_past: bool,
    today: date | None,
    keep: frozenset[int] = frozenset(),
) -> CellsToFill:
    """Return the cells a Suggest plans: empty ones from today (or every day), and with
    replace_unlocked the unlocked ones too, under a new seed; the personal and the
    household week alike."""
    first = 0
    if not include_past and today is not None:
        first = min(max((today - week_start).days, 0), 7)
    in_range = [e for e in entries if (e.date - week_start).days >= first]
    replaced = (
        [e for e in in_range if not e.locked and e.pk not in keep] if replace_unlocked else []
    )
    kept = [e for e in entries if e not in replaced]
    if replace_unlocked:
        seed = secrets.randbelow(2**31) if seed is None else seed
    elif seed is None:
        seed = plan.seed if plan else 0
    taken = {((e.date - week_start).days, SLOT_INDEX[e.slot]) for e in kept}
    fill = [
        (d, s) for d in range(first, 7) for s in range(len(planner.SLOTS)) if (d, s) not in taken
    ]
    return CellsToFill(
        week_start=week_start, first=first, replaced=replaced, kept=kept, seed=seed, fill=fill
    )


@week_write
def _write_suggestion(
    *,
    user: User,
    week_start: date,
    snapshot: frozenset,
    replaced: list[int],
    result: planner.PlanResult,
    seed: int,
    first: int,
) -> int:
    plan = _lock_week(user=user, week_start=week_start)
    if _snapshot(list(plan.entries.all())) != snapshot:
        raise PlanError(CHANGED_MESSAGE)
    plan.entries.filter(pk__in=replaced).delete()
    new_entries = [
        PlanEntry(
            plan=plan,
            date=plan.days[a.day],
            slot=planner.SLOTS[a.slot],
            meal_id=a.meal_id,
            servings=Decimal(str(a.servings)),
        )
        for a in result.assignments
    ]
    try:
        with transaction.atomic():
            PlanEntry.objects.bulk_create(new_entries)
    except IntegrityError as error:  # a cell filled meanwhile by another request
        raise PlanError(CHANGED_MESSAGE) from error
    report = week_report(result, week_start=week_start)
    plan.seed = seed
    plan.report = (
        {day: codes for day, codes in report.items() if date.fromisoformat(day) >= plan.days[first]}
        if first < 7
        else {}
    )
    plan.save(update_fields=["seed", "report", "updated_at"])
    return len(new_entries)


def _check_meal_for_cell(*, user: User, meal: Meal, slot: str) -> None:
    if not meal.fits(slot):
        raise PlanError(f"{meal.name} is not a {Slot(slot).label.lower()} meal.")
    if not suitable_meals(profile=profile_for(user), user=user).filter(pk=meal.pk).exists():
        raise PlanError(f"{meal.name} does not suit your diet or the allergens you avoid.")


def _check_added_magnesium(
    *, user: User, plan: WeekPlan, day: date, slot: str, meal: Meal, servings: Decimal
) -> None:
    """Refuse a hand edit that takes a day's added magnesium over the safety limit."""
    # kcal, carbohydrate and sodium may be broken by hand (the day says so); this is a
    # limit for supplements and fortified foods, so it is never broken.
    others = list(plan.entries.filter(date=day).exclude(slot=slot))
    added = sum(view.added_magnesium_mg for view in entry_views(others))
    (this,) = entry_views([PlanEntry(plan=plan, date=day, slot=slot, meal=meal, servings=servings)])
    limit = profile_for(user).supplement_upper_limit_mg
    total = added + this.added_magnesium_mg
    if this.added_magnesium_mg > 0 and total > limit + planner.CAP_TOL:
        raise PlanError(
            f"Not changed: that would bring added magnesium on {day:%A %-d %B} to "
            f"{total:.0f} mg, over the {limit} mg daily limit for supplements and fortified "
            "products. Choose fewer servings or another day."
        )


@week_write
def entry_replace(
    *, user: User, entry: PlanEntry, meal: Meal, servings: Decimal | None = None
) -> PlanEntry:
    """Put another meal in an entry's cell (with the given servings, or the entry's)."""
    plan = _lock_week(user=user, week_start=entry.plan.week_start)
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk, plan=plan)
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    _refuse_logged(entry)
    _check_meal_for_cell(user=user, meal=meal, slot=entry.slot)
    servings = entry.servings if servings is None else servings
    _check_added_magnesium(
        user=user, plan=plan, day=entry.date, slot=entry.slot, meal=meal, servings=servings
    )
    entry.meal, entry.servings = meal, servings
    entry.save(update_fields=["meal", "servings"])
    return entry


@week_write
def entry_add(
    *, user: User, week_start: date, day: date, slot: str, meal: Meal, servings: Decimal
) -> PlanEntry:
    """Put a meal in a cell by hand, replacing an unlocked entry there."""
    if not in_week(week_start, day):
        raise PlanError("That date is not in this week.")
    _check_meal_for_cell(user=user, meal=meal, slot=slot)
    plan = _lock_week(user=user, week_start=week_start)
    existing = PlanEntry.objects.select_for_update().filter(plan=plan, date=day, slot=slot).first()
    if existing and existing.locked:
        raise PlanError("That cell holds a locked entry; unlock it first.")
    _refuse_logged(existing)
    _check_added_magnesium(user=user, plan=plan, day=day, slot=slot, meal=meal, servings=servings)
    if existing:
        existing.meal, existing.servings = meal, servings
        existing.save(update_fields=["meal", "servings"])
        return existing
    return PlanEntry.objects.create(plan=plan, date=day, slot=slot, meal=meal, servings=servings)


def snack_amount_text(*, grams: float, portion: Portion | None, quantity: float) -> str:
    """Write a one-food snack's amount: "30 g", "1 oz (28 g)" or "2 × 1 oz (57 g)"."""
    if portion is None:
        return f"{grams:g} g"
    times = "" if quantity == 1 else f"{quantity:g} × "
    return f"{times}{portion.name} ({grams:.0f} g)"


def _is_one_food(meal: Meal, *, food: Food, grams: float) -> bool:
    lines = list(meal.ingredients.all())
    return (
        meal.servings == 1
        and meal.fits_snack
        and len(lines) == 1
        and lines[0].food_id == food.pk
        and abs(lines[0].grams - grams) < 0.05
    )


@transaction.atomic
def snack_food_add(
    *,
    user: User,
    week_start: date,
    day: date,
    food: Food,
    grams: float,
    portion: Portion | None = None,
    quantity: float = 1.0,
) -> PlanEntry:
    """Put one food, in one amount, in a day's snack.

    It becomes (or reuses) a one-ingredient recipe of the user's, so the entry's nutrition,
    the shopping list, Swap and Suggest treat it like any other meal.
    """
    grams = round(grams, 1)
    amount = snack_amount_text(grams=grams, portion=portion, quantity=quantity)
    name = f"{food.name[: 195 - len(amount)]}, {amount}"  # within Meal.name's 200
    meal = Meal.objects.owned_by(user).active().filter(name__iexact=name).first()
    if meal is None or not _is_one_food(meal, food=food, grams=grams):
        line = RecipeLine(
            food=food,
            grams=grams,
            text=amount,
            portion=portion,
            quantity=quantity if portion else None,
        )
        data = RecipeData(name=name, slots=[Slot.SNACK], servings=1, lines=[line])
        try:
            meal = recipe_save(owner=user, data=data)
        except RecipeError as error:
            raise PlanError(str(error)) from error
        meal.single_food = True
        meal.save(update_fields=["single_food"])
    return entry_add(
        user=user, week_start=week_start, day=day, slot=Slot.SNACK, meal=meal, servings=Decimal(1)
    )


def weekplan_replan_rest(*, user: User, today: date) -> SuggestOutcome:
    """Plan the rest of this week again: the unlocked entries from today on that were not
    logged as eaten or skipped. Days before today and every logged entry stay as they are;
    a skipped entry keeps its cell but counts nothing toward its day, and today counts what
    was eaten (eaten servings and extras) rather than what was planned."""
    week_start = monday_of(today)
    # weekplan_suggest keeps every logged entry itself (and counts a skipped one as nothing).
    return weekplan_suggest(
        user=user,
        week_start=week_start,
        replace_unlocked=True,
        today=today,
        # Today's cells are planned around what was really eaten: the servings ticked and
        # the extras, not the logged entries' planned servings.
        eaten={today: day_totals(user, today)},
    )


@dataclass(frozen=True)
class GapPlanOutcome:
    entry: PlanEntry
    replaced: str | None  # the snack (planned, or skipped) it took the place of


def gap_item_plan(
    *, user: User, day: date, food: Food, grams: float, today: date
) -> GapPlanOutcome:
    """Plan one gap suggestion's item as the day's snack.

    A free snack cell takes it. A skipped snack's cell takes it (the skip goes: the cell now
    holds something to tick when eaten). A snack planned and not yet logged gives way only
    when the day still reaches its magnesium target within every cap without it; an eaten
    or locked snack never does.
    """
    if day > today:
        raise PlanError("The gap suggestion is for today or a day gone by.")
    if not Food.objects.active().filter(pk=food.pk).exists():
        raise PlanError("That food is no longer in the catalog.")
    snack = PlanEntry.objects.owned_by(user).filter(date=day, slot=Slot.SNACK).first()
    replaced = None
    if snack is not None:
        log = IntakeItem.objects.filter(entry=snack, source=IntakeItem.Source.PLANNED).first()
        if snack.locked:
            raise PlanError(
                "The day's snack is locked; log the suggestion when you eat it instead."
            )
        if log is not None and log.status == IntakeItem.Status.EATEN:
            raise PlanError(
                "You already had the day's snack; use Log it when you eat the suggestion."
            )
        if log is None:
            _check_day_closes_without(user=user, snack=snack, food=food, grams=grams)
        replaced = snack.meal.name
    with transaction.atomic():
        if snack is not None:
            IntakeItem.objects.filter(entry=snack, source=IntakeItem.Source.PLANNED).delete()
        entry = snack_food_add(
            user=user, week_start=monday_of(day), day=day, food=food, grams=grams
        )
    return GapPlanOutcome(entry=entry, replaced=replaced)


def _check_day_closes_without(*, user: User, snack: PlanEntry, food: Food, grams: float) -> None:
    """Refuse to swap a planned snack for the item unless the day still keeps its target
    and every cap (eaten + still planned - the snack + the item)."""
    (snack_view,) = entry_views([snack])
    item = food_snapshot(food, Decimal(str(grams)))
    total = day_totals(user, snack.date) + planned_rest(user, snack.date)
    rules = rules_for(profile_for(user))

    def after(name: str) -> float:
        return getattr(total, name) - getattr(snack_view, name) + (item[name] or 0.0)

    known = "magnesium_mg" not in total.unknown and item["magnesium_mg"] is not None
    caps = {  # each cap with the planner's tolerance for it
        "kcal": (rules.kcal_max, planner.KCAL_TOL),
        "added_magnesium_mg": (rules.added_magnesium_max_mg, planner.CAP_TOL),
        "carbohydrate_g": (rules.carbohydrate_max_g, planner.CAP_TOL),
        "sodium_mg": (rules.sodium_max_mg, planner.CAP_TOL),
    }
    over = any(cap is not None and after(name) > cap + tol for name, (cap, tol) in caps.items())
    if not known or after("magnesium_mg") < rules.magnesium_target_mg - planner.MG_TOL or over:
        raise PlanError(
            f"The day already has a snack planned ({snack.meal.name}), and the day would not "
            "reach its target within every cap with the suggestion in its place; use Log it "
            "when you eat the suggestion instead."
        )


@week_write
def entry_set_servings(*, user: User, entry: PlanEntry, servings: Decimal) -> PlanEntry:
    plan = _lock_week(user=user, week_start=entry.plan.week_start)
    entry = PlanEntry.objects.select_for_update().select_related("meal").get(pk=entry.pk, plan=plan)
    _check_added_magnesium(
        user=user, plan=plan, day=entry.date, slot=entry.slot, meal=entry.meal, servings=servings
    )
    entry.servings = servings
    entry.save(update_fields=["servings"])
    return entry


@week_write
def entry_toggle_lock(*, entry: PlanEntry) -> PlanEntry:
    plan = _lock_week(user=entry.plan.user, week_start=entry.plan.week_start)
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk, plan=plan)
    entry.locked = not entry.locked
    entry.save(update_fields=["locked"])
    return entry


@week_write
def entry_delete(*, entry: PlanEntry) -> None:
    plan = _lock_week(user=entry.plan.user, week_start=entry.plan.week_start)
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk, plan=plan)
    if entry.locked:
        raise PlanError("This entry is locked; unlock it first.")
    _refuse_logged(entry)
    entry.delete()


@week_write
def recipe_delete(*, user: User, meal: Meal) -> int:
    """Delete one of the user's recipes and every plan entry holding it, locked or not.

    Each week that holds it is locked first, in one order (by week), like any week write;
    return how many entries went.
    """
    if meal.owner_id != user.pk:
        raise PlanError("That is not your recipe.")  # views 404 before this
    weeks = PlanEntry.objects.filter(meal=meal).values("plan_id")
    list(WeekPlan.objects.select_for_update().filter(pk__in=weeks).order_by("week_start", "pk"))
    # PlanEntry.meal keeps a planned meal from going: the entries go first.
    entries, _ = PlanEntry.objects.filter(meal=meal).delete()
    meal.delete()
    return entries


@transaction.atomic
def meal_preference_set(*, user: User, meal: Meal, verdict: int | None) -> None:
    """Like, dislike, or forget a meal for the planner."""
    if verdict is None:
        MealPreference.objects.filter(user=user, meal=meal).delete()
    else:
        MealPreference.objects.update_or_create(user=user, meal=meal, defaults={"verdict": verdict})


@week_write
def weekplan_copy(*, user: User, source_week: date, target_week: date) -> int:
    """Copy an earlier week's entries into a week; replace its unlocked entries, keep locked."""
    if source_week == target_week:
        raise PlanError("That is a copy onto itself: choose an earlier week to copy from.")
    if source_week > target_week:
        raise PlanError("Choose an earlier week to copy from.")
    source = list(PlanEntry.objects.owned_by(user).filter(plan__week_start=source_week))
    if not source:
        raise PlanError(f"Nothing is planned in the week of {source_week:%d %b %Y} to copy.")
    plan = _lock_week(user=user, week_start=target_week)
    plan.entries.filter(locked=False).exclude(pk__in=_logged_ids()).delete()
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


def _logged_ids():
    return IntakeItem.objects.filter(source=IntakeItem.Source.PLANNED).values("entry_id")


@week_write
def weekplan_clear(*, user: User, week_start: date, include_locked: bool = False) -> list[dict]:
    """Remove a week's entries (locked ones stay unless include_locked); return them for Undo.

    The removed entries come back as plain JSON values so the session can keep them.
    """
    plan = (
        WeekPlan.objects.personal()
        .select_for_update()
        .filter(user=user, week_start=week_start)
        .first()
    )
    if plan is None:
        return []
    entries = plan.entries.all()
    if not include_locked:
        entries = entries.filter(locked=False)
    entries = entries.exclude(pk__in=_logged_ids())  # a meal logged on Today stays
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
    plan.report = {}
    plan.save(update_fields=["report", "updated_at"])
    return removed


@dataclass(frozen=True)
class RestoreOutcome:
    restored: int
    skipped: int


@week_write
def weekplan_restore(*, user: User, week_start: date, entries: list[dict]) -> RestoreOutcome:
    """Put cleared entries back into a user's week, into the cells that are still empty.

    A cell filled since the clear keeps its meal; an entry whose meal is gone is skipped.
    """
    plan = _lock_week(user=user, week_start=week_start)
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


@transaction.atomic
def shopping_tick_set(*, user: User, start: date, end: date, food_id: int, ticked: bool) -> None:
    """Tick a food off a shopping list or untick it; the same request twice changes nothing.

    A toggle read in the view raced: two "tick" requests at once could leave it unticked.
    """
    if ticked:
        ShoppingTick.objects.get_or_create(user=user, start=start, end=end, food_id=food_id)
    else:
        ShoppingTick.objects.filter(user=user, start=start, end=end, food_id=food_id).delete()
