"""Reads for the weekly plans: the week grid with its totals, and the planner's input."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.db.models.functions import Length
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import Household, Profile, User
from accounts.selectors import household_export, profile_for
from foods.models import Food, Ingredient, Meal, Portion, Slot
from mealplan import charts, planner
from mealplan.explain import Explanation, explain_day
from mealplan.models import (
    IntakeItem,
    MealPreference,
    PlanEntry,
    PlanJob,
    ShoppingTick,
    WeekPlan,
    monday_of,
)
from mealplan.planning import (
    SLOT_INDEX,
    UNKNOWN_COUNTS,
    candidate_catalog,
    candidate_meals,
    fixed_entries,
    rules_for,
)
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
    # Nutrients with an unknown value in some ingredient: the numbers above are "at least".
    unknown: frozenset[str] = frozenset()

    @property
    def kcal_text(self) -> str:
        return _amount_text(self.kcal, "kcal", "kcal" in self.unknown)

    @property
    def magnesium_text(self) -> str:
        return _amount_text(self.magnesium_mg, "mg", "magnesium_mg" in self.unknown)

    # The user's like (1) or dislike (-1) of the meal, where the page shows it.
    preference: int | None = None


@dataclass(frozen=True)
class RuleStatus:
    """One daily rule on one day: its total, its limit, and whether it holds."""

    code: str  # magnesium, kcal, carbohydrate, sodium, added_magnesium
    label: str
    total: float
    unit: str
    limit: str  # "target 420 mg", "window 1,800–2,200 kcal", "cap ≤ 130 g"
    state: str  # "ok", "fail" or "unknown"
    message: str  # what the number means, in words
    at_least: bool = False  # some item's value is unknown

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def _number(value: float) -> str:
    """A whole number with thousands separators, halves rounded up (as the templates'
    floatformat does, so one page never shows 83 and 82 for the same amount)."""
    return f"{math.floor(value + 0.5):,}"


def _amount_text(value: float, unit: str, unknown: bool) -> str:
    """Write an amount (number and unit kept on one line); one with an unknown part is "at
    least", and nothing known is "unknown", never a bare 0."""
    if unknown and not value:
        return f"{unit} unknown"
    amount = format_html("{}&nbsp;{}", _number(value), unit)
    return format_html("at least {}", amount) if unknown else amount


def _excess(value: float) -> str:
    """Say by how much a rule breaks; never "0" for a breach the rounding hides."""
    return f"{max(1, round(value)):,}"


def _at_least(total: float, unit: str, unknown: int) -> str:
    return f"at least {_number(total)} {unit}; {unknown} item{'s' if unknown > 1 else ''} unknown"


DAY_STATUS_TEXT = {
    "empty": "nothing planned",
    "reached": "on target",
    "short": "not on target",
    "unreachable": "not on target",
    "unknown": "cannot tell: values unknown",
}


@dataclass
class DayView:
    date: date
    cells: list[tuple[str, EntryView | None]]
    target_mg: int
    kcal_min: int
    kcal_max: int
    added_limit_mg: int
    carbohydrate_max_g: int | None = None
    sodium_max_mg: int | None = None
    report: dict = field(default_factory=dict)
    profile: Profile | None = None
    # Whose window and caps the rules speak of: "your" on a personal week, "Mia's" on a
    # household member's row.
    whose: str = "your"

    @property
    def views(self) -> list[EntryView]:
        return [view for _, view in self.cells if view]

    def _total(self, name: str) -> float:
        return sum(getattr(view, name) for view in self.views)

    def _unknown_items(self, name: str) -> int:
        return sum(1 for view in self.views if name in view.unknown)

    @property
    def kcal(self) -> float:
        return self._total("kcal")

    @property
    def magnesium_mg(self) -> float:
        return self._total("magnesium_mg")

    @property
    def kcal_text(self) -> str:
        return _amount_text(self.kcal, "kcal", bool(self._unknown_items("kcal")))

    @property
    def magnesium_text(self) -> str:
        return _amount_text(self.magnesium_mg, "mg", bool(self._unknown_items("magnesium_mg")))

    @property
    def added_magnesium_mg(self) -> float:
        return self._total("added_magnesium_mg")

    @property
    def carbohydrate_g(self) -> float:
        return self._total("carbohydrate_g")

    @property
    def sodium_mg(self) -> float:
        return self._total("sodium_mg")

    @property
    def is_empty(self) -> bool:
        return not self.views

    @property
    def shortfall_mg(self) -> int:
        missing = self.target_mg - self.magnesium_mg
        return max(1, round(missing)) if missing > planner.MG_TOL else 0

    @property
    def reached(self) -> bool:
        """Magnesium alone reaches the target (known values; never the day's whole status)."""
        return self.shortfall_mg == 0

    @property
    def kcal_ok(self) -> bool:
        return self._kcal_rule().ok

    def _kcal_rule(self) -> RuleStatus:
        total, unknown = self.kcal, self._unknown_items("kcal")
        window = f"window {_number(self.kcal_min)}–{_number(self.kcal_max)} kcal"
        # The planner's tolerances, so the page and the Suggest message always agree.
        if total > self.kcal_max + planner.KCAL_TOL:
            state = "fail"
            message = (
                f"{_number(total)} kcal: {_excess(total - self.kcal_max)} above {self.whose} window"
            )
        elif unknown:
            state = "unknown"
            message = _at_least(total, "kcal", unknown)
        elif total < self.kcal_min - planner.KCAL_TOL:
            state = "fail"
            message = (
                f"{_number(total)} kcal: {_excess(self.kcal_min - total)} below {self.whose} window"
            )
        else:
            state, message = "ok", f"{_number(total)} kcal, inside {self.whose} window"
        return RuleStatus("kcal", "Energy", total, "kcal", window, state, message, bool(unknown))

    def _magnesium_rule(self) -> RuleStatus:
        total, unknown = self.magnesium_mg, self._unknown_items("magnesium_mg")
        target = f"target {_number(self.target_mg)} mg"
        if self.shortfall_mg == 0:
            state, message = "ok", f"{_number(total)} mg, target reached"
        elif unknown:
            state = "unknown"
            message = _at_least(total, "mg", unknown)
        else:
            state, message = "fail", f"{_number(total)} mg: short by {self.shortfall_mg} mg"
        return RuleStatus(
            "magnesium", "Magnesium", total, "mg", target, state, message, bool(unknown)
        )

    def _cap_rule(self, code: str, label: str, name: str, cap: float, unit: str) -> RuleStatus:
        total, unknown = self._total(name), self._unknown_items(name)
        limit = f"cap ≤ {_number(cap)} {unit}"
        if total > cap + planner.CAP_TOL:
            state = "fail"
            message = (
                f"{_number(total)} {unit}: {_excess(total - cap)} {unit} over {self.whose} cap"
            )
        elif unknown:
            state = "unknown"
            message = _at_least(total, unit, unknown)
        else:
            state, message = "ok", f"{_number(total)} {unit}, within {self.whose} cap"
        return RuleStatus(code, label, total, unit, limit, state, message, bool(unknown))

    @property
    def rules(self) -> list[RuleStatus]:
        """Every rule that applies to the day, in the order the day shows them."""
        rules = [self._magnesium_rule(), self._kcal_rule()]
        if self.carbohydrate_max_g is not None:
            rules.append(
                self._cap_rule(
                    "carbohydrate", "Carbohydrate", "carbohydrate_g", self.carbohydrate_max_g, "g"
                )
            )
        if self.sodium_max_mg is not None:
            rules.append(self._cap_rule("sodium", "Sodium", "sodium_mg", self.sodium_max_mg, "mg"))
        added = self._cap_rule(
            "added_magnesium", "Added magnesium", "added_magnesium_mg", self.added_limit_mg, "mg"
        )
        if self.added_magnesium_mg > 0 or not added.ok:
            rules.append(added)
        return rules

    @property
    def failing(self) -> list[RuleStatus]:
        return [rule for rule in self.rules if rule.state == "fail"]

    @property
    def unknown_rules(self) -> list[RuleStatus]:
        return [rule for rule in self.rules if rule.state == "unknown"]

    @property
    def problems(self) -> list[RuleStatus]:
        """The rules that fail, then those that cannot be told: what keeps it off target."""
        return self.failing + self.unknown_rules

    @property
    def ok(self) -> bool:
        """On target: something is planned and every rule holds (unknown is not ok)."""
        return not self.is_empty and all(rule.ok for rule in self.rules)

    @property
    def status(self) -> str:
        """The day's one code (API, mail, page): "reached" only when every rule holds."""
        if self.is_empty:
            return "empty"
        if self.ok:
            return "reached"
        if not self.failing:
            return "unknown"
        return "unreachable" if self.report.get("proven") else "short"

    @property
    def status_text(self) -> str:
        """The day's status in words, as the week page and the week's mail say it."""
        return DAY_STATUS_TEXT[self.status]

    @property
    def percent_of_target(self) -> int:
        return round(100 * self.magnesium_mg / self.target_mg) if self.target_mg else 0

    @property
    def explanation(self) -> Explanation | None:
        """Why the day fails and what to try, written now from the last suggestion's codes.

        A day on target still says why a main meal was left empty, or that variety gave way.
        """
        quiet = not self.report.get("empty_slots") and not self.report.get("relaxed")
        if self.is_empty or (self.ok and quiet):
            return None
        return explain_day(self)


class WeekSpan:
    """A week's dates and emptiness, for a personal and a household week alike."""

    week_start: date
    days: list

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


@dataclass
class WeekView(WeekSpan):
    week_start: date
    plan: WeekPlan | None
    profile: Profile
    days: list[DayView]

    @property
    def days_on_target(self) -> int:
        return sum(1 for day in self.days if day.ok)

    @property
    def average_magnesium_mg(self) -> float:
        return sum(day.magnesium_mg for day in self.days) / len(self.days)

    @property
    def has_added_magnesium(self) -> bool:
        return any(day.added_magnesium_mg > 0 for day in self.days)

    @property
    def added_magnesium_within_limit(self) -> bool:
        return all(
            day.added_magnesium_mg <= day.added_limit_mg + planner.CAP_TOL for day in self.days
        )

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
        # A sum over known ingredients; `unknown` says which totals are only "at least".
        values = {name: (getattr(meal, name) or 0.0) * servings for name in NUTRIENTS}
        unknown = frozenset(name for name, count in UNKNOWN_COUNTS.items() if getattr(meal, count))
        views.append(
            EntryView(
                entry=entry,
                meal=meal,
                unknown=unknown,
                **values,
            )
        )
    return views


def meal_verdicts(*, user: User, meal_ids: set[int]) -> dict[int, int]:
    """Return the user's like (1) or dislike (-1) by meal id, for the given meals (one query)."""
    if not meal_ids:
        return {}
    rows = MealPreference.objects.filter(user=user, meal_id__in=meal_ids)
    return dict(rows.values_list("meal_id", "verdict"))


def week_entry_counts(
    *, user: User, week_start: date, include_locked: bool = False
) -> tuple[int, int, int]:
    """Return how many entries a clear of a user's week removes, how many of them are locked,
    and how many it keeps because they were logged on Today (eaten or skipped)."""
    goes = Q() if include_locked else Q(locked=False)
    logged = Q(intake__source="planned")
    counts = (
        PlanEntry.objects.owned_by(user)
        .filter(plan__week_start=week_start)
        .aggregate(
            removed_count=Count("pk", filter=goes & ~logged, distinct=True),
            locked_count=Count("pk", filter=Q(locked=True), distinct=True),
            logged_count=Count("pk", filter=goes & logged, distinct=True),
        )
    )
    return counts["removed_count"], counts["locked_count"], counts["logged_count"]


def week_view(*, user: User, week_start: date, with_preferences: bool = False) -> WeekView:
    """Return a user's week grid with daily totals against the targets.

    with_preferences marks each entry with the user's like or dislike (one query more).
    """
    profile = profile_for(user)
    plan = WeekPlan.objects.personal().filter(user=user, week_start=week_start).first()
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
            carbohydrate_max_g=profile.carbohydrate_max_g,
            sodium_max_mg=profile.sodium_max_mg,
            report=(plan.report.get(day.isoformat(), {}) if plan else {}),
            profile=profile,
        )
        for day in (week_start + timedelta(days=offset) for offset in range(7))
    ]
    return WeekView(week_start=week_start, plan=plan, profile=profile, days=days)


ID_MAX = 2**31 - 1  # beyond any id; keeps a huge number away from the database


def posted_id(value: str | None) -> int | None:
    """Return a posted id (any text) as a number in the id range, or None."""
    # Not str.isdigit(): it says yes to "²" and "①", which int() refuses.
    try:
        pk = int(value or "")
    except ValueError:
        return None
    return pk if 0 < pk <= ID_MAX else None


def is_foreign_recipe(*, user: User, meal_id: str | None) -> bool:
    """Say whether a posted meal id names another user's recipe (their data: a 404)."""
    pk = posted_id(meal_id)
    return (
        pk is not None
        and Meal.objects.filter(pk=pk, owner__isnull=False).exclude(owner=user).exists()
    )


@dataclass(frozen=True)
class PlannedWeek:
    week_start: date
    entries: int
    locked: int


def recipe_planned_weeks(*, meal: Meal) -> list[PlannedWeek]:
    """Return the weeks whose plan holds a recipe, with how many entries, and how many locked."""
    rows = (
        PlanEntry.objects.filter(meal=meal)
        .values("plan__week_start")
        .annotate(entries=Count("pk"), locked=Count("pk", filter=Q(locked=True)))
        .order_by("plan__week_start")
    )
    return [PlannedWeek(row["plan__week_start"], row["entries"], row["locked"]) for row in rows]


def meal_choices(*, user: User, slot: str, text: str, limit: int = 30):
    """Return the meals to pick from for a cell, richest in magnesium first."""
    profile = profile_for(user)
    return (
        candidate_meals(user=user, profile=profile, for_suggest=False)
        .for_slot(slot)
        .search(text)
        .with_nutrition()
        .order_by("-magnesium_mg")[:limit]
    )


def snack_food_choices(*, user: User, text: str, limit: int = 10) -> list[Food]:
    """Return single foods and products for a snack that match the words, with portions.

    Only foods that suit the user's diet and allergens, from the groups a shopper buys
    from; a name that starts with the first word comes first, then shorter names
    ("Seeds, pumpkin…" before dishes that merely hold pumpkin seeds).
    """
    if not text.split():
        return []
    profile = profile_for(user)
    first = text.split()[0]
    foods = (
        Food.objects.active()
        .for_shoppers()
        .for_diet(profile.diet)
        .without_allergens(profile.avoid_allergens)
        .search(text)
        .annotate(
            starts=Case(When(name__istartswith=first, then=Value(0)), default=Value(1)),
            name_length=Length("name"),
        )
        .order_by("starts", "name_length", "name")
        .prefetch_related(Prefetch("portions", queryset=Portion.objects.order_by("seq", "id")))
    )
    return list(foods[:limit])


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
    today: date
    today_entries: list[EntryView]
    tomorrow: date
    tomorrow_entries: list[EntryView]


def dashboard(*, user: User, today: date) -> Dashboard:
    """Return this week's status and today's and tomorrow's meals for the home page."""
    week = week_view(user=user, week_start=monday_of(today))
    meals_by_day = {day.date: [view for _, view in day.cells if view] for day in week.days}
    tomorrow = today + timedelta(days=1)
    if tomorrow in meals_by_day:
        tomorrow_entries = meals_by_day[tomorrow]
    else:  # today is Sunday: tomorrow opens next week
        entries = list(PlanEntry.objects.owned_by(user).between(tomorrow, tomorrow))
        order = {slot: index for index, slot in enumerate(Slot.values)}
        tomorrow_entries = sorted(entry_views(entries), key=lambda view: order[view.entry.slot])
    return Dashboard(
        week=week,
        today=today,
        today_entries=meals_by_day[today],
        tomorrow=tomorrow,
        tomorrow_entries=tomorrow_entries,
    )


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
    recipes = (
        Meal.objects.owned_by(user)
        .order_by("name")
        .prefetch_related(
            Prefetch("ingredients", queryset=Ingredient.objects.select_related("food"))
        )
    )
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
        "recipes": [_recipe_data(recipe) for recipe in recipes],
        "household": household_export(user),
        # What was eaten (issue 13); an unknown nutrient is null, never 0.
        "intake": [
            {
                "date": item.date,
                "slot": item.slot,
                "source": item.source,
                "status": item.status,
                "name": item.name,
                "servings": item.servings,
                "grams": item.grams,
                **{name: getattr(item, name) for name in NUTRIENTS},
                "created_at": item.created_at,
            }
            for item in IntakeItem.objects.owned_by(user).order_by("date", "slot", "pk")
        ],
    }


def _recipe_data(recipe: Meal) -> dict:
    return {
        "name": recipe.name,
        "slots": recipe.slots,
        "servings": recipe.servings,
        "instructions": recipe.instructions,
        "source_url": recipe.source_url,
        "ingredients": [
            {
                "text": ingredient.text,
                "food": ingredient.food.name,
                "usda_ndb": ingredient.food.source_ref,
                "grams": ingredient.grams,
            }
            for ingredient in recipe.ingredients.all()
        ],
        "not_counted": recipe.not_counted_lines,
        "created_at": recipe.created_at,
        "updated_at": recipe.updated_at,
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


@dataclass(frozen=True)
class SwapChoice:
    meal: Meal
    servings: Decimal
    day_ok: bool  # with this meal the day keeps every rule


def swap_choices(*, user: User, entry: PlanEntry, k: int = 3) -> list[SwapChoice]:
    """Return the best k meals, with servings, for an entry's cell with the rest kept."""
    plan = entry.plan
    profile = profile_for(user)
    others = list(plan.entries.exclude(pk=entry.pk))
    catalog, meals = candidate_catalog(user=user, profile=profile, week_start=plan.week_start)
    options = planner.swap_options(
        catalog,
        rules_for(profile),
        day=(entry.date - plan.week_start).days,
        slot=SLOT_INDEX[entry.slot],
        fixed=fixed_entries(week_start=plan.week_start, views=entry_views(others)),
        exclude_meal_ids=[entry.meal_id],
        k=k,
        seed=secrets.randbelow(2**31),
    )
    return [SwapChoice(meals[o.meal_id], Decimal(str(o.servings)), o.day_ok) for o in options]


# A finished job is shown on its week's page this long after it ended (a page reloaded by
# hand, without htmx, still says what became of the Suggest).
JOB_NOTICE = timedelta(minutes=10)


def suggest_size(
    *, user: User, week_start: date, replace_unlocked: bool, include_past: bool, today: date
) -> planner.SolveSize:
    """Return how big the Suggest (or Regenerate) of a personal week would be."""
    plan = WeekPlan.objects.personal().filter(user=user, week_start=week_start).first()
    cells = cell_count_to_fill(
        plan=plan,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        include_past=include_past,
        today=today,
    )
    # Every suitable meal counts (some are dropped later for an unknown value): an upper
    # bound, so the estimate errs towards the queue.
    candidates = candidate_meals(user=user, profile=profile_for(user)).count()
    return planner.SolveSize(candidates=candidates, cells=cells, eaters=1)


def cell_count_to_fill(
    *,
    plan: WeekPlan | None,
    week_start: date,
    replace_unlocked: bool,
    include_past: bool,
    today: date,
) -> int:
    """Return how many cells a Suggest (or Regenerate) of the week (personal or household)
    would fill."""
    from mealplan.services import cells_to_fill  # services reads through this module

    entries = list(plan.entries.all()) if plan else []
    cells = cells_to_fill(
        plan=plan,
        entries=entries,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        seed=0,
        include_past=include_past,
        today=today,
    )
    return len(cells.fill)


def live_plan_job(*, user: User, week_start: date) -> PlanJob | None:
    """Return the queued or running job of the user's own week, if any."""
    return PlanJob.objects.personal().live().filter(user=user, week_start=week_start).first()


def live_household_plan_job(*, household: Household, week_start: date) -> PlanJob | None:
    """Return the queued or running job of the household's week, if any."""
    return PlanJob.objects.live().filter(household=household, week_start=week_start).first()


def _job_to_show(jobs, *, now) -> PlanJob | None:
    """A live job of any kind (a live weekly auto-plan holds Suggest back, so the page
    follows it too), or a Suggest or Regenerate that ended just now."""
    live = Q(status__in=[PlanJob.Status.QUEUED, PlanJob.Status.RUNNING])
    job = (
        jobs.filter(live | ~Q(kind=PlanJob.Kind.AUTOPLAN))
        .annotate(is_live=Case(When(live, then=1), default=0))
        .order_by("-is_live", "-created_at", "-pk")
        .first()
    )
    if job is None or job.finished_at is None:
        return job
    return job if now - job.finished_at <= JOB_NOTICE else None


def week_plan_job(*, user: User, week_start: date, now) -> PlanJob | None:
    """Return the job to show on a week's page: a live one, or one that ended just now."""
    jobs = PlanJob.objects.personal().filter(user=user, week_start=week_start)
    return _job_to_show(jobs, now=now)


def household_week_plan_job(*, household: Household, week_start: date, now) -> PlanJob | None:
    """Return the job to show on the household week's page, to any of its members."""
    jobs = PlanJob.objects.filter(household=household, week_start=week_start)
    return _job_to_show(jobs, now=now)
