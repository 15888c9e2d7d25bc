"""Reads for a household's week: the shared grid, each member's day against their own rules,
and the cells no shared dish could serve."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Household, Member
from accounts.selectors import household_members
from foods.models import Meal, Slot
from mealplan import planner
from mealplan.household_planning import (
    household_catalog,
    household_fixed,
    household_meals,
    unserved_text,
)
from mealplan.models import EntryPortion, PlanEntry, WeekPlan
from mealplan.planning import SLOT_INDEX, UNKNOWN_COUNTS
from mealplan.selectors import (
    NUTRIENTS,
    DayView,
    EntryView,
    WeekSpan,
    cell_count_to_fill,
    meal_nutrition,
)
from mealplan.templatetags.plan_tags import servings_number


@dataclass(frozen=True)
class Portion:
    member: Member
    servings: Decimal

    @property
    def text(self) -> str:
        return f"{self.member.display_name} {servings_number(self.servings)}"


@dataclass(frozen=True)
class HouseholdEntryView:
    """A shared dish in a cell, and each member's servings of it."""

    entry: PlanEntry
    meal: Meal
    portions: tuple[Portion, ...]

    @property
    def portions_text(self) -> str:
        """Each member's servings: "Alex 1½ · Sam 1 · Mia ½"."""
        return " · ".join(portion.text for portion in self.portions)

    def servings_of(self, member: Member) -> Decimal | None:
        return next((p.servings for p in self.portions if p.member.pk == member.pk), None)


@dataclass
class MemberDay:
    """One member's day: their own portions against their own rules."""

    member: Member
    day: DayView


@dataclass
class HouseholdDay:
    date: date
    cells: list[tuple[str, HouseholdEntryView | None]]
    members: list[MemberDay]
    unserved: list[str]

    @property
    def is_empty(self) -> bool:
        return not any(view for _, view in self.cells)

    @property
    def ok(self) -> bool:
        """Every member who eats this day is on target, and no one is left unserved."""
        eating = [m for m in self.members if not m.day.is_empty]
        return bool(eating) and all(m.day.ok for m in eating) and not self.unserved


@dataclass(frozen=True)
class MemberTarget:
    """What a member's day is held to (read once per page: a user member's come from their
    profile)."""

    member: Member
    magnesium_target_mg: int
    kcal_min: int
    kcal_max: int
    added_limit_mg: int
    carbohydrate_max_g: int | None
    sodium_max_mg: int | None

    @property
    def name(self) -> str:
        return self.member.display_name

    @classmethod
    def of(cls, member: Member) -> MemberTarget:
        window = member.calorie_window
        return cls(
            member=member,
            magnesium_target_mg=member.magnesium_target_mg,
            kcal_min=window.kcal_min,
            kcal_max=window.kcal_max,
            added_limit_mg=member.supplement_upper_limit_mg,
            carbohydrate_max_g=member.carbohydrate_max_g,
            sodium_max_mg=member.sodium_max_mg,
        )


@dataclass
class HouseholdWeekView(WeekSpan):
    household: Household
    week_start: date
    plan: WeekPlan | None
    members: list[Member]
    days: list[HouseholdDay]
    targets: list[MemberTarget]

    @property
    def member_days_on_target(self) -> int:
        return sum(1 for day in self.days for m in day.members if m.day.ok)

    @property
    def member_days_planned(self) -> int:
        return sum(1 for day in self.days for m in day.members if not m.day.is_empty)

    @property
    def slots(self) -> list[tuple[str, str]]:
        return list(Slot.choices)

    def rows(self) -> list[tuple[str, str, list[tuple[date, HouseholdEntryView | None]]]]:
        """Return the grid by slot (rows) and day (columns)."""
        return [
            (slot, label, [(day.date, dict(day.cells)[slot]) for day in self.days])
            for slot, label in Slot.choices
        ]


def household_week_plan(*, household: Household, week_start: date) -> WeekPlan | None:
    return WeekPlan.objects.filter(household=household, week_start=week_start).first()


def entry_portions(entries: list[PlanEntry]) -> dict[int, dict[int, Decimal]]:
    """Return, per entry id, each member's servings by member id (one query)."""
    portions: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = EntryPortion.objects.filter(entry__in=entries).values_list(
        "entry_id", "member_id", "servings"
    )
    for entry_id, member_id, servings in rows:
        portions[entry_id][member_id] = servings
    return portions


def member_entry_view(entry: PlanEntry, meal: Meal, servings: Decimal) -> EntryView:
    """Return an entry's nutrition for one member's servings of it."""
    amount = float(servings)
    values = {name: (getattr(meal, name) or 0.0) * amount for name in NUTRIENTS}
    unknown = frozenset(name for name, count in UNKNOWN_COUNTS.items() if getattr(meal, count))
    return EntryView(entry=entry, meal=meal, unknown=unknown, **values)


def member_day(
    *, target: MemberTarget, day: date, views: dict[str, HouseholdEntryView], report: dict
) -> DayView:
    """Return a member's day: only their own portions, against their own rules."""
    member = target.member
    cells = []
    for slot in Slot.values:
        view = views.get(slot)
        servings = view.servings_of(member) if view else None
        cells.append(
            (slot, member_entry_view(view.entry, view.meal, servings) if servings else None)
        )
    return DayView(
        date=day,
        cells=cells,
        target_mg=target.magnesium_target_mg,
        kcal_min=target.kcal_min,
        kcal_max=target.kcal_max,
        added_limit_mg=target.added_limit_mg,
        carbohydrate_max_g=target.carbohydrate_max_g,
        sodium_max_mg=target.sodium_max_mg,
        report=report.get("members", {}).get(str(member.pk), {}),
        profile=member.profile,
        whose=f"{member.display_name}'s",
    )


def household_week_view(*, household: Household, week_start: date) -> HouseholdWeekView:
    """Return the household's week: shared dishes with each member's servings, and each
    member's status per day."""
    members = household_members(household)
    by_pk = {member.pk: member for member in members}
    targets = [MemberTarget.of(member) for member in members]
    plan = household_week_plan(household=household, week_start=week_start)
    entries = list(plan.entries.all()) if plan else []
    portions = entry_portions(entries)
    meals = meal_nutrition({entry.meal_id for entry in entries})
    by_cell: dict[tuple[date, str], HouseholdEntryView] = {}
    for entry in entries:
        shares = portions.get(entry.pk, {})
        by_cell[(entry.date, entry.slot)] = HouseholdEntryView(
            entry=entry,
            meal=meals[entry.meal_id],
            portions=tuple(
                Portion(member, shares[member.pk]) for member in members if member.pk in shares
            ),
        )
    days = []
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        report = plan.report.get(day.isoformat(), {}) if plan else {}
        views = {slot: by_cell[(day, slot)] for slot in Slot.values if (day, slot) in by_cell}
        unserved = [
            unserved_text(member=by_pk[cell["member"]], slot=cell["slot"], reason=cell["reason"])
            for cell in report.get("unserved", [])
            if cell["member"] in by_pk and cell["slot"] not in views
        ]
        days.append(
            HouseholdDay(
                date=day,
                cells=[(slot, views.get(slot)) for slot in Slot.values],
                members=[
                    MemberDay(
                        target.member,
                        member_day(target=target, day=day, views=views, report=report),
                    )
                    for target in targets
                ],
                unserved=unserved,
            )
        )
    return HouseholdWeekView(
        household=household,
        week_start=week_start,
        plan=plan,
        members=members,
        days=days,
        targets=targets,
    )


@dataclass(frozen=True)
class HouseholdSwapChoice:
    meal: Meal
    portions: tuple[Portion, ...]
    day_ok: bool | None = None

    @property
    def portions_text(self) -> str:
        return " · ".join(portion.text for portion in self.portions)


def household_swap_choices(
    *, household: Household, entry: PlanEntry, limit: int = 3
) -> list[HouseholdSwapChoice]:
    """Return the best dishes, with every member's servings, for an entry's cell, the rest kept;
    ranked by how the household's day stays on target."""
    plan = entry.plan
    members = household_members(household)
    catalog, meals, eaters = household_catalog(
        household=household, members=members, week_start=plan.week_start
    )
    others = list(plan.entries.exclude(pk=entry.pk))
    nutrition = meal_nutrition({other.meal_id for other in others})
    fixed = household_fixed(
        week_start=plan.week_start,
        entries=others,
        members=members,
        portions=entry_portions(others),
        meals=nutrition,
    )
    options = planner.household_swap_options(
        catalog,
        eaters,
        day=(entry.date - plan.week_start).days,
        slot=SLOT_INDEX[entry.slot],
        fixed=fixed,
        limit=limit + 1,
    )
    # The day's other dishes, to say whether each member's day stays on target.
    shares = entry_portions([e for e in others if e.date == entry.date])
    day_views = {
        other.slot: HouseholdEntryView(
            entry=other,
            meal=nutrition[other.meal_id],
            portions=tuple(
                Portion(m, shares[other.pk][m.pk]) for m in members if m.pk in shares[other.pk]
            ),
        )
        for other in others
        if other.date == entry.date
    }
    targets = [MemberTarget.of(member) for member in members]
    choices = []
    for option in options:
        if option.meal_id == entry.meal_id or option.meal_id not in meals:
            continue
        portions = tuple(
            Portion(member, Decimal(str(servings)))
            for member, servings in zip(members, option.servings, strict=True)
            if servings > 0
        )
        if not portions:
            continue
        meal = meals[option.meal_id]
        views = {
            **day_views,
            entry.slot: HouseholdEntryView(entry=entry, meal=meal, portions=portions),
        }
        days = [member_day(target=t, day=entry.date, views=views, report={}) for t in targets]
        day_ok = all(day.ok for day in days if not day.is_empty)
        choices.append(HouseholdSwapChoice(meal=meal, portions=portions, day_ok=day_ok))
    return choices[:limit]


def household_suggest_size(
    *,
    household: Household,
    week_start: date,
    replace_unlocked: bool,
    include_past: bool,
    today: date,
) -> planner.SolveSize:
    """Return how big the Suggest (or Regenerate) of the household's week would be."""
    plan = household_week_plan(household=household, week_start=week_start)
    cells = cell_count_to_fill(
        plan=plan,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        include_past=include_past,
        today=today,
    )
    # Every meal the household may plan and every member eating every cell: an upper bound,
    # so the estimate errs towards the queue.
    return planner.SolveSize(
        candidates=household_meals(household).count(),
        cells=cells,
        eaters=max(1, household.members.count()),
    )
