"""Writes for the intake log (issue 13): tick a planned entry as eaten, skip it, replace it,
undo, and log an extra food, product, meal or recipe.

Each write checks its input itself (a view's form is only the first check) and saves nothing
when a check fails: IntakeError carries the message the page shows. Nutrients are copied at
logging time, computed as the week page computes meals (Meal.with_nutrition) and foods
(Food.per_grams); an unknown value is stored as None, never 0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from accounts.dates import today_for
from accounts.models import User
from accounts.selectors import profile_for
from foods.models import Food, Meal, Portion, Slot
from mealplan.intake import NUTRIENTS
from mealplan.models import (
    INTAKE_GRAMS_MAX,
    INTAKE_SERVINGS_MAX,
    INTAKE_SERVINGS_MIN,
    IntakeItem,
    PlanEntry,
)
from mealplan.planning import UNKNOWN_COUNTS

FOOD_FIELDS = {
    "magnesium_mg": "magnesium_mg_per_100g",
    "added_magnesium_mg": "added_magnesium_mg_per_100g",
    "kcal": "kcal_per_100g",
    "carbohydrate_g": "carbohydrate_g_per_100g",
    "sodium_mg": "sodium_mg_per_100g",
}


class IntakeError(Exception):
    """A log write refused, with the message the page shows; nothing was saved."""


def check_day(day: date, *, user: User, today: date | None = None) -> date:
    """Refuse a day after today, today being the user's date in their own time zone."""
    today = today or today_for(profile_for(user))
    if day > today:
        raise IntakeError("You cannot log a day that has not come yet.")
    return day


def check_slot(slot: str) -> str:
    if slot not in Slot.values:
        raise IntakeError("Choose breakfast, lunch, dinner or snack.")
    return slot


def _number(value, what: str) -> Decimal:
    """Read a posted number; nonsense and infinities are a message, never an error page."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise IntakeError(f"{what} must be a number.") from error
    if not number.is_finite():
        raise IntakeError(f"{what} must be a number.")
    return number


def check_servings(servings) -> Decimal:
    value = _number(servings, "Servings")
    if not INTAKE_SERVINGS_MIN <= value <= INTAKE_SERVINGS_MAX:
        raise IntakeError(
            f"Servings eaten must be from {INTAKE_SERVINGS_MIN} to {INTAKE_SERVINGS_MAX:g}."
        )
    return value.quantize(Decimal("0.01"))


def check_grams(grams) -> Decimal:
    value = _number(grams, "Grams")
    # Checked after rounding too: 0.01 g rounds to 0.
    if not 0 < value <= INTAKE_GRAMS_MAX or value.quantize(Decimal("0.1")) <= 0:
        raise IntakeError(f"Grams must be more than 0 and at most {INTAKE_GRAMS_MAX:,} g.")
    return value.quantize(Decimal("0.1"))


def meal_snapshot(meal: Meal, servings: Decimal) -> dict[str, float | None]:
    """A meal's nutrients for the servings eaten, as the week page counts them; a nutrient
    with any unknown ingredient (or no ingredient) is None."""
    row = Meal.objects.filter(pk=meal.pk).with_nutrition().first()
    factor = float(servings)
    values: dict[str, float | None] = {}
    for name in NUTRIENTS:
        count = UNKNOWN_COUNTS.get(name)
        value = getattr(row, name, None)
        unknown = value is None or (count is not None and getattr(row, count))
        values[name] = None if unknown else round(value * factor, 2)
    if values["added_magnesium_mg"] is None and row is not None and row.ingredient_count:
        values["added_magnesium_mg"] = 0.0  # the field is never unknown (default 0)
    return values


def food_snapshot(food: Food, grams: Decimal) -> dict[str, float | None]:
    """A food's nutrients for the grams eaten (Food.per_grams); unknown stays None."""
    values = {}
    for name, field in FOOD_FIELDS.items():
        value = food.per_grams(field, float(grams))
        values[name] = None if value is None else round(value, 2)
    return values


def _entry_for_update(user: User, entry: PlanEntry, *, today: date | None) -> PlanEntry:
    """The user's own entry, locked for this write, on a day that has come."""
    try:
        entry = (
            PlanEntry.objects.owned_by(user)
            .select_related("meal")
            .select_for_update(of=("self",))
            .get(pk=entry.pk)
        )
    except PlanEntry.DoesNotExist as error:
        raise IntakeError("That planned meal is not in your plan.") from error
    check_day(entry.date, user=user, today=today)
    return entry


def _planned_row(user: User, entry: PlanEntry, *, status: str, servings: Decimal | None):
    values = {
        "user": user,
        "date": entry.date,
        "slot": entry.slot,
        "status": status,
        "meal": entry.meal,
        "food": None,
        "grams": None,
        "servings": servings,
        "name": entry.meal.name[:200],
    }
    if status == IntakeItem.Status.EATEN:
        values.update(meal_snapshot(entry.meal, servings))
    else:
        values.update(dict.fromkeys(NUTRIENTS))
    row = IntakeItem.objects.filter(entry=entry, source=IntakeItem.Source.PLANNED).first()
    if row is None:
        row = IntakeItem(entry=entry, source=IntakeItem.Source.PLANNED)
    for key, value in values.items():
        setattr(row, key, value)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:  # a second click raced the first
        raise IntakeError("That meal was just logged; reload the page.") from error
    return row


@transaction.atomic
def tick_eaten(
    *, user: User, entry: PlanEntry, servings=None, today: date | None = None
) -> IntakeItem:
    """Mark a planned entry as eaten, with the servings eaten (default: the planned ones)."""
    entry = _entry_for_update(user, entry, today=today)
    servings = check_servings(entry.servings if servings in (None, "") else servings)
    return _planned_row(user, entry, status=IntakeItem.Status.EATEN, servings=servings)


@transaction.atomic
def skip(*, user: User, entry: PlanEntry, today: date | None = None) -> IntakeItem:
    """Mark a planned entry as not eaten."""
    entry = _entry_for_update(user, entry, today=today)
    return _planned_row(user, entry, status=IntakeItem.Status.SKIPPED, servings=None)


@transaction.atomic
def replace(
    *,
    user: User,
    entry: PlanEntry,
    food: Food | None = None,
    grams=None,
    meal: Meal | None = None,
    servings=None,
    today: date | None = None,
) -> IntakeItem:
    """Skip a planned entry and log something else in its day and slot; returns the new row."""
    entry = _entry_for_update(user, entry, today=today)
    if (food is None) == (meal is None):
        raise IntakeError("Choose one food or one meal to eat instead.")
    if food is not None:
        item = log_food(user=user, day=entry.date, slot=entry.slot, food=food, grams=grams,
                        today=today)  # fmt: skip
    else:
        item = log_meal(user=user, day=entry.date, slot=entry.slot, meal=meal,
                        servings=servings or 1, today=today)  # fmt: skip
    _planned_row(user, entry, status=IntakeItem.Status.SKIPPED, servings=None)
    return item


@transaction.atomic
def undo(*, user: User, item: IntakeItem) -> None:
    """Take a row off the log (a planned entry goes back to not yet ticked)."""
    deleted, _ = IntakeItem.objects.owned_by(user).filter(pk=item.pk).delete()
    if not deleted:
        raise IntakeError("That item is no longer in your log.")


@transaction.atomic
def log_food(
    *,
    user: User,
    day: date,
    slot: str,
    food: Food,
    grams=None,
    portion: Portion | None = None,
    quantity=None,
    today: date | None = None,
    label: str | None = None,
) -> IntakeItem:
    """Log an extra food or product eaten: grams, or a quantity of one of its portions; a
    label ("a handful (28 g)") names the grams as the suggestion offered them."""
    check_day(day, user=user, today=today)
    check_slot(slot)
    if not Food.objects.active().filter(pk=food.pk).exists():
        raise IntakeError("That food is no longer in the catalog.")
    if portion is not None:
        if portion.food_id != food.pk:
            raise IntakeError("That portion belongs to another food.")
        quantity = check_servings(1 if quantity in (None, "") else quantity)
        grams = check_grams(Decimal(str(portion.grams)) * quantity)
        amount = f"{quantity.normalize():f} × {portion.name} ({grams.normalize():f} g)"
    else:
        grams = check_grams(grams)
        amount = label or f"{grams.normalize():f} g"
    name = f"{food.name[: 195 - len(amount)]}, {amount}"
    return IntakeItem.objects.create(
        user=user,
        date=day,
        slot=slot,
        source=IntakeItem.Source.EXTRA,
        status=IntakeItem.Status.EATEN,
        food=food,
        grams=grams,
        name=name[:200],
        **food_snapshot(food, grams),
    )


@transaction.atomic
def log_meal(
    *, user: User, day: date, slot: str, meal: Meal, servings=1, today: date | None = None
) -> IntakeItem:
    """Log an extra curated meal or one of the user's own recipes, by servings."""
    check_day(day, user=user, today=today)
    check_slot(slot)
    servings = check_servings(servings)
    if not Meal.objects.visible_to(user).active().filter(pk=meal.pk).exists():
        raise IntakeError("That meal is not one you can log.")
    return IntakeItem.objects.create(
        user=user,
        date=day,
        slot=slot,
        source=IntakeItem.Source.EXTRA,
        status=IntakeItem.Status.EATEN,
        meal=meal,
        servings=servings,
        name=meal.name[:200],
        **meal_snapshot(meal, servings),
    )
