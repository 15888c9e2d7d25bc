"""Reads for the weekly plans: the week grid with its totals, and the planner's input."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.safestring import mark_safe

from accounts.models import Profile, User
from accounts.selectors import profile_for
from foods.models import Meal, Slot
from mealplan import charts, planner
from mealplan.models import MealPreference, PlanEntry, ShoppingTick, WeekPlan, monday_of
from mealplan.shopping import week_sources

NUTRIENTS = ("kcal", "magnesium_mg", "added_magnesium_mg", "carbohydrate_g", "sodium_mg")


@dataclass(frozen=True)
class EntryView:
    entry: PlanEntry
    meal: Meal
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float
    unknown_count: int
    # The user's like (1) or dislike (-1) of the meal, where the page shows it.
    preference: int | None = None


@dataclass
class DayView:
    date: date
    cells: list[tuple[str, EntryView | None]]
    target_mg: int
    kcal_min: int
    kcal_max: int
    added_limit_mg: int
    report: dict = field(default_factory=dict)

    def _total(self, name: str) -> float:
        return sum(getattr(view, name) for _, view in self.cells if view)

    @property
    def kcal(self) -> float:
        return self._total("kcal")

    @property
    def magnesium_mg(self) -> float:
        return self._total("magnesium_mg")

    @property
    def added_magnesium_mg(self) -> float:
        return self._total("added_magnesium_mg")

    @property
    def is_empty(self) -> bool:
        return not any(view for _, view in self.cells)

    @property
    def shortfall_mg(self) -> int:
        return max(0, round(self.target_mg - self.magnesium_mg))

    @property
    def reached(self) -> bool:
        return self.shortfall_mg == 0

    @property
    def kcal_ok(self) -> bool:
        return self.kcal_min - 0.5 <= self.kcal <= self.kcal_max + 0.5

    @property
    def ok(self) -> bool:
        return (
            self.reached and self.kcal_ok and self.added_magnesium_mg <= self.added_limit_mg + 0.5
        )

    @property
    def percent_of_target(self) -> int:
        return round(100 * self.magnesium_mg / self.target_mg) if self.target_mg else 0

    @property
    def explanation(self) -> str | None:
        """The last suggestion's reason, while the day still falls short."""
        if self.reached or not self.report:
            return None
        return self.report.get("explanation")

    @property
    def suggestion(self) -> str | None:
        if self.reached or not self.report:
            return None
        return self.report.get("suggestion")


@dataclass
class WeekView:
    week_start: date
    plan: WeekPlan | None
    profile: Profile
    days: list[DayView]

    @property
    def previous_week(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.week_start + timedelta(days=7)

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def is_empty(self) -> bool:
        return all(day.is_empty for day in self.days)

    @property
    def days_reached(self) -> int:
        return sum(1 for day in self.days if day.reached and not day.is_empty)

    @property
    def average_magnesium_mg(self) -> float:
        return sum(day.magnesium_mg for day in self.days) / len(self.days)

    @property
    def has_added_magnesium(self) -> bool:
        return any(day.added_magnesium_mg > 0 for day in self.days)

    @property
    def slots(self) -> list[tuple[str, str]]:
        return list(Slot.choices)

    def rows(self) -> list[tuple[str, str, list[tuple[date, EntryView | None]]]]:
        """Return the grid by slot (rows) and day (columns)."""
        return [
            (slot, label, [(day.date, dict(day.cells)[slot]) for day in self.days])
            for slot, label in Slot.choices
        ]


def meal_nutrition(meal_ids: set[int]) -> dict[int, Meal]:
    """Return meals with nutrition per serving, in one query."""
    return {meal.pk: meal for meal in Meal.objects.filter(pk__in=meal_ids).with_nutrition()}


def entry_views(entries: list[PlanEntry]) -> list[EntryView]:
    """Return entries with their nutrition for their servings (one query for all meals)."""
    meals = meal_nutrition({entry.meal_id for entry in entries})
    views = []
    for entry in entries:
        meal = meals[entry.meal_id]
        servings = float(entry.servings)
        values = {name: (getattr(meal, name) or 0.0) * servings for name in NUTRIENTS}
        views.append(
            EntryView(entry=entry, meal=meal, unknown_count=meal.unknown_magnesium_count, **values)
        )
    return views


def meal_verdicts(*, user: User, meal_ids: set[int]) -> dict[int, int]:
    """Return the user's like (1) or dislike (-1) by meal id, for the given meals (one query)."""
    if not meal_ids:
        return {}
    rows = MealPreference.objects.filter(user=user, meal_id__in=meal_ids)
    return dict(rows.values_list("meal_id", "verdict"))


def week_entry_counts(*, user: User, week_start: date) -> tuple[int, int]:
    """Return how many entries a user's week holds, and how many of them are locked."""
    counts = PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start).aggregate(
        total=Count("pk"), locked=Count("pk", filter=Q(locked=True))
    )
    return counts["total"], counts["locked"]


def week_view(*, user: User, week_start: date, with_preferences: bool = False) -> WeekView:
    """Return a user's week grid with daily totals against the targets.

    with_preferences marks each entry with the user's like or dislike (one query more).
    """
    profile = profile_for(user)
    plan = WeekPlan.objects.filter(user=user, week_start=week_start).first()
    entries = list(plan.entries.all()) if plan else []
    verdicts = (
        meal_verdicts(user=user, meal_ids={entry.meal_id for entry in entries})
        if with_preferences
        else {}
    )
    by_cell = {
        (view.entry.date, view.entry.slot): replace(view, preference=verdicts.get(view.meal.pk))
        for view in entry_views(entries)
    }
    window = profile.calorie_window
    days = [
        DayView(
            date=day,
            cells=[(slot, by_cell.get((day, slot))) for slot in Slot.values],
            target_mg=profile.magnesium_target_mg,
            kcal_min=window.kcal_min,
            kcal_max=window.kcal_max,
            added_limit_mg=profile.supplement_upper_limit_mg,
            report=(plan.report.get(day.isoformat(), {}) if plan else {}),
        )
        for day in (week_start + timedelta(days=offset) for offset in range(7))
    ]
    return WeekView(week_start=week_start, plan=plan, profile=profile, days=days)


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


def suitable_meals(*, profile: Profile):
    """Return the active meals that suit the user's diet and the allergens they avoid."""
    return Meal.objects.active().for_diet(profile.diet).without_allergens(profile.avoid_allergens)


def candidate_meals(*, user: User, profile: Profile):
    """Return the meals the planner may suggest: suitable, and not disliked."""
    disliked = MealPreference.objects.filter(
        user=user, verdict=MealPreference.Verdict.DISLIKE
    ).values("meal_id")
    return suitable_meals(profile=profile).exclude(pk__in=disliked)


def meal_choices(*, user: User, slot: str, text: str, limit: int = 30):
    """Return the meals to pick from for a cell, richest in magnesium first."""
    profile = profile_for(user)
    return (
        candidate_meals(user=user, profile=profile)
        .for_slot(slot)
        .search(text)
        .with_nutrition()
        .order_by("-magnesium_mg")[:limit]
    )


def candidate_catalog(*, user: User, profile: Profile) -> tuple[planner.Catalog, dict[int, Meal]]:
    """Return the planner's candidate meals as arrays, and the meals by id."""
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
    rows = [
        planner.MealRow(
            meal_id=meal.pk,
            slots=frozenset(meal.slots),
            # Unknown values count as nothing: the page marks such meals.
            kcal=meal.kcal or 0.0,
            magnesium_mg=meal.magnesium_mg or 0.0,
            added_magnesium_mg=meal.added_magnesium_mg or 0.0,
            carbohydrate_g=meal.carbohydrate_g or 0.0,
            sodium_mg=meal.sodium_mg or 0.0,
            preference=1.0 if meal.pk in liked else 0.0,
        )
        for meal in meals.values()
    ]
    return planner.Catalog.from_rows(rows), meals


def meal_preferences(*, user: User) -> list[MealPreference]:
    """Return the user's liked and disliked meals, liked first."""
    return list(
        MealPreference.objects.filter(user=user)
        .select_related("meal")
        .order_by("-verdict", "meal__name")
    )


@dataclass
class Dashboard:
    week: WeekView
    tomorrow: date
    tomorrow_entries: list[EntryView]


def dashboard(*, user: User, today: date) -> Dashboard:
    """Return this week's status and tomorrow's meals for the home page."""
    week = week_view(user=user, week_start=monday_of(today))
    tomorrow = today + timedelta(days=1)
    day = next((day for day in week.days if day.date == tomorrow), None)
    if day is not None:
        views = [view for _, view in day.cells if view]
    else:
        entries = list(PlanEntry.objects.owned_by(user).between(tomorrow, tomorrow))
        order = {slot: index for index, slot in enumerate(Slot.values)}
        views = sorted(entry_views(entries), key=lambda view: order[view.entry.slot])
    return Dashboard(week=week, tomorrow=tomorrow, tomorrow_entries=views)


def weekly_history(*, user: User, week_start: date, weeks: int = 12) -> list[tuple[date, float]]:
    """Return the average magnesium a day (mg) of each of the weeks up to week_start."""
    first = week_start - timedelta(weeks=weeks - 1)
    entries = list(PlanEntry.objects.owned_by(user).between(first, week_start + timedelta(days=6)))
    totals = {first + timedelta(weeks=offset): 0.0 for offset in range(weeks)}
    for view in entry_views(entries):
        totals[monday_of(view.entry.date)] += view.magnesium_mg
    return [(monday, total / 7) for monday, total in totals.items()]


def my_data(*, user: User) -> dict:
    """Return everything the app holds about a user, ready for JSON."""
    profile = profile_for(user)
    profile_fields = {
        field.name: getattr(profile, field.attname)
        for field in Profile._meta.concrete_fields
        if field.name not in ("id", "user")
    }
    entries = PlanEntry.objects.filter(plan__user=user).select_related("plan", "meal")
    plans: dict[int, dict] = {
        plan.pk: {
            "week_start": plan.week_start,
            "created_at": plan.created_at,
            "updated_at": plan.updated_at,
            "entries": [],
        }
        for plan in WeekPlan.objects.filter(user=user).order_by("week_start")
    }
    for entry in entries.order_by("date", "slot"):
        plans[entry.plan_id]["entries"].append(
            {
                "date": entry.date,
                "slot": entry.slot,
                "meal": entry.meal.name,
                "servings": entry.servings,
                "locked": entry.locked,
            }
        )
    preferences = MealPreference.objects.filter(user=user).select_related("meal")
    ticks = ShoppingTick.objects.filter(user=user).select_related("food")
    return {
        "user": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
        },
        "profile": {**profile_fields, "magnesium_target_mg": profile.magnesium_target_mg},
        "plans": list(plans.values()),
        "meal_preferences": [
            {"meal": pref.meal.name, "verdict": pref.get_verdict_display()} for pref in preferences
        ],
        "shopping_ticks": [
            {"start": tick.start, "end": tick.end, "food": tick.food.name} for tick in ticks
        ],
    }


@dataclass(frozen=True)
class ChartPanel:
    heading: str
    svg: str
    rows: list[tuple[str, float, bool | None]]
    target_mg: int | None


def week_charts(*, user: User, week_start: date) -> list[ChartPanel]:
    """Return the week's charts: per day, by source group, and the last 12 weekly averages."""
    week = week_view(user=user, week_start=week_start)
    target = week.profile.magnesium_target_mg
    days = [(f"{day.date:%a %d}", day.magnesium_mg) for day in week.days]
    sources = week_sources(user=user, week_start=week_start)
    history = [
        (f"{monday:%d %b}", average)
        for monday, average in weekly_history(user=user, week_start=week_start)
    ]
    specs = [
        ("days", "Magnesium per day", days, target, False),
        ("sources", "Where the week's magnesium comes from", sources, None, True),
        ("history", "Weekly average, last 12 weeks", history, target, False),
    ]
    panels = []
    for chart_id, heading, points, line, horizontal in specs:
        description = "; ".join(f"{label}: {value:.0f} mg" for label, value in points)
        if line:
            description = f"Target {line} mg a day. {description}"
        chart = charts.bar_chart(
            chart_id=f"chart-{chart_id}",
            title=heading,
            description=description or "Nothing planned.",
            points=points,
            target=line,
            horizontal=horizontal,
        )
        rows = [(bar.label, bar.value, bar.reached) for bar in chart.bars]
        # charts.render_svg escapes every text it writes.
        panels.append(ChartPanel(heading, mark_safe(charts.render_svg(chart)), rows, line))
    return panels
