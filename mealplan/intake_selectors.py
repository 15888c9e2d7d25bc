"""Reads for the intake log (issue 13): a day's eaten totals and what is still planned, the
Today page, the quick list, the search for extras, and the History page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from accounts.models import Profile, User
from accounts.selectors import profile_for
from foods.models import Food, Meal, Portion, Slot
from mealplan import charts, planner
from mealplan.intake import NUTRIENTS, Amounts
from mealplan.models import IntakeItem, PlanEntry, monday_of
from mealplan.selectors import DayView, EntryView, RuleStatus, _number, entry_views

HISTORY_WEEKS = 12
QUICK_LIST = 8
SEARCH_LIMIT = 10


def item_amounts(item: IntakeItem) -> Amounts:
    """One row's nutrients (a skipped row counts nothing); None is unknown."""
    if item.status == IntakeItem.Status.SKIPPED:
        return Amounts()
    return Amounts.of(**{name: getattr(item, name) for name in NUTRIENTS})


def _sum(amounts) -> Amounts:
    total = Amounts()
    for amount in amounts:
        total = total + amount
    return total


def _entry_amounts(view: EntryView) -> Amounts:
    return Amounts(
        **{name: getattr(view, name) for name in NUTRIENTS},
        unknown=frozenset(view.unknown),
    )


def day_items(*, user: User, day: date) -> list[IntakeItem]:
    return list(IntakeItem.objects.owned_by(user).filter(date=day).select_related("entry"))


def day_totals(user: User, day: date) -> Amounts:
    """What the log says was eaten on a day; a nutrient unknown for any item is "at least"."""
    return _sum(item_amounts(item) for item in IntakeItem.objects.owned_by(user).filter(date=day))


def _untouched_entries(user: User, day: date) -> list[PlanEntry]:
    return list(
        PlanEntry.objects.owned_by(user)
        .filter(date=day)
        .exclude(intake__source=IntakeItem.Source.PLANNED)
    )


def planned_rest(user: User, day: date) -> Amounts:
    """The day's planned entries not yet ticked or skipped, at their planned servings."""
    return _sum(_entry_amounts(view) for view in entry_views(_untouched_entries(user, day)))


@dataclass(frozen=True)
class LoggedRow:
    """A log row as the day's status counts it (duck-typed like EntryView for DayView)."""

    item: IntakeItem
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float
    unknown: frozenset[str]

    @classmethod
    def of(cls, item: IntakeItem) -> LoggedRow:
        amounts = item_amounts(item)
        return cls(item=item, unknown=amounts.unknown,
                   **{name: getattr(amounts, name) for name in NUTRIENTS})  # fmt: skip


# Each rule's nutrient in Amounts; the lower bounds are those more food can still meet.
RULE_NUTRIENT = {
    "magnesium": "magnesium_mg",
    "kcal": "kcal",
    "carbohydrate": "carbohydrate_g",
    "sodium": "sodium_mg",
    "added_magnesium": "added_magnesium_mg",
}


@dataclass
class EatenDayView(DayView):
    """A day's rules over what was eaten (the week page's wording, so "on target" means the
    same everywhere); no planner explanation.

    While the day is in progress a rule that more food can still meet (magnesium, the low
    end of the kcal window) is "pending", never "fail": it says what was eaten so far and
    where what is still planned would take it. A cap already broken fails at once (eating
    less later cannot undo it); a cap that what is still planned would break is pending.
    A past day's status stays strict.
    """

    rest: Amounts = field(default_factory=Amounts)
    in_progress: bool = False

    @property
    def explanation(self):
        return None

    @property
    def rules(self) -> list[RuleStatus]:
        rules = super().rules
        if not self.in_progress:
            return rules
        return [self._so_far(rule) for rule in rules]

    def _so_far(self, rule: RuleStatus) -> RuleStatus:
        name = RULE_NUTRIENT[rule.code]
        planned = getattr(self.rest, name)
        projected = rule.total + planned
        at_least = "at least " if rule.at_least or name in self.rest.unknown else ""
        so_far = f"so far {'at least ' if rule.at_least else ''}{_number(rule.total)} {rule.unit}"
        limit = rule.limit.split(" ", 1)[1]  # "1,800–2,200 kcal", "420 mg", "≤ 130 g"
        if not planned and not self.rest.unknown:
            then = "nothing more planned"
            pending = f"{so_far} of {limit}; {then}"
        else:
            then = f"with what is still planned {at_least}{_number(projected)}"
            pending = f"{so_far}; {then} of {limit}"
        if rule.code == "magnesium" and rule.state != "ok":
            return replace(rule, state="pending", message=pending)
        if (
            rule.code == "kcal"
            and rule.state != "ok"
            and rule.total <= self.kcal_max + planner.KCAL_TOL
        ):
            return replace(rule, state="pending", message=pending)
        if rule.state == "ok" and planned and self._over(rule, projected):
            return replace(
                rule, state="pending", message=f"{so_far}; {then}, over {self.whose} {rule.limit}"
            )
        return rule

    def _over(self, rule: RuleStatus, projected: float) -> bool:
        if rule.code == "kcal":
            return projected > self.kcal_max + planner.KCAL_TOL
        caps = {
            "carbohydrate": self.carbohydrate_max_g,
            "sodium": self.sodium_max_mg,
            "added_magnesium": self.added_limit_mg,
        }
        cap = caps.get(rule.code)
        return cap is not None and projected > cap + planner.CAP_TOL

    @property
    def pending(self) -> list[RuleStatus]:
        return [rule for rule in self.rules if rule.state == "pending"]


@dataclass
class PlannedRow:
    view: EntryView
    item: IntakeItem | None  # the planned row when ticked or skipped

    @property
    def state(self) -> str:
        return self.item.status if self.item else "planned"


@dataclass
class TodayView:
    day: date
    today: date
    planned: list[PlannedRow]
    extras: list[IntakeItem]
    eaten: Amounts
    rest: Amounts
    status: EatenDayView
    profile: Profile
    # The day's meals in the user's household week (shown on the household page, logged
    # here as extras): how many, and that week's Monday for the link.
    household_meals: int = 0
    household_week: date | None = None

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date | None:
        return self.day + timedelta(days=1) if self.day < self.today else None

    @property
    def added_over_limit(self) -> bool:
        return self.eaten.added_magnesium_mg > self.profile.supplement_upper_limit_mg


def day_in_progress(*, day: date, today: date, profile: Profile, planned_left: bool) -> bool:
    """Today, while meals are still planned or the day is not over in the profile's zone."""
    return day == today and (planned_left or day >= timezone.localdate(timezone=profile.zone))


def today_view(*, user: User, day: date, today: date, profile: Profile | None = None) -> TodayView:
    profile = profile or profile_for(user)
    items = day_items(user=user, day=day)
    by_entry = {item.entry_id: item for item in items if item.source == IntakeItem.Source.PLANNED}
    entries = list(PlanEntry.objects.owned_by(user).filter(date=day))
    order = {slot: index for index, slot in enumerate(Slot.values)}
    views = sorted(entry_views(entries), key=lambda view: order[view.entry.slot])
    planned = [PlannedRow(view=view, item=by_entry.get(view.entry.pk)) for view in views]
    # A planned row whose entry went (before deletions turned such rows into extras) still
    # counts: it shows among the extras, with its Undo.
    extras = [
        item for item in items if item.source == IntakeItem.Source.EXTRA or item.entry_id is None
    ]
    eaten = _sum(item_amounts(item) for item in items)
    rest = _sum(_entry_amounts(row.view) for row in planned if row.item is None)
    rows = [LoggedRow.of(item) for item in items if item.status == IntakeItem.Status.EATEN]
    window = profile.calorie_window
    status = EatenDayView(
        rest=rest,
        in_progress=day_in_progress(
            day=day,
            today=today,
            profile=profile,
            planned_left=any(row.item is None for row in planned),
        ),
        date=day,
        cells=[(row.item.slot, row) for row in rows],
        target_mg=profile.magnesium_target_mg,
        kcal_min=window.kcal_min,
        kcal_max=window.kcal_max,
        added_limit_mg=profile.supplement_upper_limit_mg,
        carbohydrate_max_g=profile.carbohydrate_max_g,
        sodium_max_mg=profile.sodium_max_mg,
        profile=profile,
    )
    household_meals = household_meals_on(user=user, day=day)
    return TodayView(day=day, today=today, planned=planned, extras=extras, eaten=eaten,
                     rest=rest, status=status, profile=profile, household_meals=household_meals,
                     household_week=monday_of(day) if household_meals else None)  # fmt: skip


@dataclass(frozen=True)
class QuickItem:
    name: str
    food: Food | None
    meal: Meal | None
    grams: object
    servings: object
    times: int


def quick_list(*, user: User, limit: int = QUICK_LIST) -> list[QuickItem]:
    """What the user logs most often as an extra: per food its most logged grams, per meal
    its most logged servings, named as they were logged ("…, a handful (28 g)")."""
    extras = IntakeItem.objects.owned_by(user).filter(
        source=IntakeItem.Source.EXTRA, status=IntakeItem.Status.EATEN
    )
    rows = (
        extras.filter(food__is_active=True)
        .values("food", "grams")
        .annotate(times=Count("pk"), logged_name=Max("name"))
        .order_by("-times", "food", "grams")
    )
    meal_rows = (
        extras.filter(meal__is_active=True)
        .values("meal", "servings")
        .annotate(times=Count("pk"))
        .order_by("-times", "meal", "servings")
    )
    # One button per food and per meal: the same seeds at 31, 32 and 33 g are one habit.
    rows = list({row["food"]: row for row in reversed(list(rows[: 4 * limit]))}.values())
    meal_rows = list({r["meal"]: r for r in reversed(list(meal_rows[: 4 * limit]))}.values())
    foods = Food.objects.in_bulk({row["food"] for row in rows})
    meals = Meal.objects.visible_to(user).in_bulk({row["meal"] for row in meal_rows})
    items = [
        QuickItem(r["logged_name"], foods[r["food"]], None, r["grams"], None, r["times"])
        for r in rows
        if r["food"] in foods
    ] + [
        QuickItem(meals[r["meal"]].name, None, meals[r["meal"]], None, r["servings"], r["times"])
        for r in meal_rows
        if r["meal"] in meals
    ]
    return sorted(items, key=lambda item: (-item.times, item.name))[:limit]


@dataclass
class SearchResults:
    text: str
    foods: list[Food]
    meals: list[Meal]

    @property
    def empty(self) -> bool:
        return not self.foods and not self.meals


def log_search(*, user: User, text: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Foods and products (with their portions), curated meals and the user's recipes that
    match the words; nothing for no words."""
    text = text.strip()[:100]
    if not text.split():
        return SearchResults(text, [], [])
    foods = list(
        Food.objects.active()
        .search(text)
        .order_by("name")
        .prefetch_related(Prefetch("portions", queryset=Portion.objects.order_by("seq", "id")))[
            :limit
        ]
    )
    meals = list(Meal.objects.visible_to(user).active().search(text).order_by("name")[:limit])
    return SearchResults(text, foods, meals)


def eaten_status(*, profile: Profile, day: date, items: list[IntakeItem], **extra) -> EatenDayView:
    """A day's rules over the rows eaten, as Today and the week page word them."""
    rows = [LoggedRow.of(item) for item in items if item.status == IntakeItem.Status.EATEN]
    window = profile.calorie_window
    return EatenDayView(
        date=day,
        cells=[(row.item.slot, row) for row in rows],
        target_mg=profile.magnesium_target_mg,
        kcal_min=window.kcal_min,
        kcal_max=window.kcal_max,
        added_limit_mg=profile.supplement_upper_limit_mg,
        carbohydrate_max_g=profile.carbohydrate_max_g,
        sodium_max_mg=profile.sodium_max_mg,
        profile=profile,
        **extra,
    )


@dataclass
class HistoryDay:
    date: date
    eaten: Amounts
    planned: Amounts | None
    logged: bool
    status: EatenDayView | None = None  # None: nothing logged
    in_progress: bool = False  # today: counted once it is on target or ends

    @property
    def verdict(self) -> str | None:
        """ "on target" only when every rule holds; "not on target" when one fails; "unknown"
        when none fails but one cannot be told; None when nothing was logged."""
        if self.status is None:
            return None
        if self.status.failing:
            return "not on target"
        if self.status.ok:
            return "on target"
        return "unknown"

    @property
    def on_target(self) -> bool:
        return self.verdict == "on target"

    @property
    def problems(self) -> list:
        return self.status.problems if self.status else []

    @property
    def counted(self) -> bool:
        """A logged day the share counts: a finished one, or today once it is on target."""
        return self.logged and (not self.in_progress or self.on_target)


@dataclass
class TopItem:
    name: str
    magnesium_mg: float
    times: int


@dataclass
class HistoryView:
    start: date
    end: date
    days: list[HistoryDay]
    target_mg: int
    chart: charts.BarChart
    top: list[TopItem]

    @property
    def logged_days(self) -> list[HistoryDay]:
        """The logged days the share counts (today only once it reached the target)."""
        return [day for day in self.days if day.counted]

    @property
    def today_in_progress(self) -> HistoryDay | None:
        return next((day for day in self.days if day.logged and not day.counted), None)

    @property
    def shown_days(self) -> list[HistoryDay]:
        """The days with something planned or logged, newest first."""
        return [day for day in reversed(self.days) if day.logged or day.planned]

    @property
    def days_on_target(self) -> int:
        return sum(1 for day in self.logged_days if day.verdict == "on target")

    @property
    def share_on_target(self) -> int | None:
        logged = len(self.logged_days)
        return round(100 * self.days_on_target / logged) if logged else None


def history(*, user: User, today: date, weeks: int = HISTORY_WEEKS) -> HistoryView:
    """The last weeks of eaten magnesium per day against the target, with what was planned."""
    profile = profile_for(user)
    start = today - timedelta(days=7 * weeks - 1)
    items = list(IntakeItem.objects.owned_by(user).between(start, today).select_related("food"))
    entries = list(PlanEntry.objects.owned_by(user).between(start, today))
    eaten: dict[date, Amounts] = {}
    logged: dict[date, list[IntakeItem]] = {}
    top: dict[str, TopItem] = {}
    for item in items:
        logged.setdefault(item.date, []).append(item)
        eaten[item.date] = eaten.get(item.date, Amounts()) + item_amounts(item)
        if item.status == IntakeItem.Status.EATEN and item.magnesium_mg:
            # The food's own name, not the logged "…, 30 g": one row per food, whatever amount.
            key = item.food.name if item.food_id and item.food else item.name
            row = top.setdefault(key, TopItem(key, 0.0, 0))
            row.magnesium_mg += item.magnesium_mg
            row.times += 1
    planned: dict[date, Amounts] = {}
    for view in entry_views(entries):
        planned[view.entry.date] = planned.get(view.entry.date, Amounts()) + _entry_amounts(view)
    target = profile.magnesium_target_mg
    days = []
    for offset in range(7 * weeks):
        day = start + timedelta(days=offset)
        amounts = eaten.get(day, Amounts())
        is_logged = day in logged
        # Every rule, with the planner's tolerances, exactly as Today judges the day.
        status = eaten_status(profile=profile, day=day, items=logged[day]) if is_logged else None
        days.append(HistoryDay(day, amounts, planned.get(day), is_logged, status, day == today))
    chart = charts.bar_chart(
        chart_id="history-chart",
        title="Magnesium eaten per day",
        description=f"Magnesium eaten each day from {start:%d %b %Y} to {today:%d %b %Y} "
        f"against the target of {target} mg; a day with nothing logged has no bar. "
        "The table below gives every number.",
        points=[(f"{d.date:%d %b}", d.eaten.magnesium_mg) for d in days],
        target=target,
        unit="mg",
        label_every=14,
    )
    ranked = sorted(top.values(), key=lambda row: -row.magnesium_mg)[:10]
    return HistoryView(start, today, days, target, chart, ranked)


def log_rows(*, user: User):
    """Every log row of a user, oldest first (CSV export and My data)."""
    return IntakeItem.objects.owned_by(user).order_by("date", "slot", "created_at", "pk")


def logged_entries(entry_ids) -> dict[int, str]:
    """The planned entries among these that the log ticked or skipped, with that status."""
    return dict(
        IntakeItem.objects.filter(
            entry_id__in=list(entry_ids), source=IntakeItem.Source.PLANNED
        ).values_list("entry_id", "status")
    )


def household_meals_on(*, user: User, day: date) -> int:
    """How many meals the household week of the user's household holds on a day."""
    return PlanEntry.objects.filter(date=day, portions__member__user=user).count()
