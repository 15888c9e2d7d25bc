"""Writing a user's own recipes: one place that checks and saves, for every way in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from foods.models import Food, Ingredient, Meal, Portion, Slot

# The limits of one recipe, for every way in (the recipe form, a paste, an import, the
# review) and for recipe_save's own checks: defined here once.
MAX_LINE_GRAMS = 5000.0  # one ingredient line of a home recipe
MAX_SERVINGS = 100
MAX_NAME_CHARS = 200
MAX_LINES = 100  # ingredient lines, counted or not
MAX_LINE_CHARS = 300  # one line as written (Ingredient.text)
MAX_INSTRUCTIONS_CHARS = 20_000
# A list of lines, one a row, as a textarea posts it (CRLF between rows): the pasted
# ingredients, or the not-counted lines ("salt to taste"), which may be every line.
MAX_LIST_CHARS = MAX_LINES * (MAX_LINE_CHARS + 2)


class RecipeError(ValueError):
    """A recipe that cannot be saved; the message says why, and nothing was written."""


@dataclass(frozen=True)
class RecipeLine:
    """One counted ingredient line: a catalog food and its grams for the whole recipe."""

    food: Food
    grams: float
    text: str = ""
    portion: Portion | None = None
    quantity: float | None = None


@dataclass(frozen=True)
class RecipeData:
    name: str
    slots: Sequence[str]
    servings: int
    lines: Sequence[RecipeLine]
    instructions: str = ""
    not_counted: Sequence[str] = ()
    source_url: str = ""
    copied_from: Meal | None = None


def _not_counted(data: RecipeData) -> str:
    return "\n".join(line.strip() for line in data.not_counted if line.strip())


def _check(owner, data: RecipeData, *, instance: Meal | None) -> str:
    name = " ".join(data.name.split())
    if not name:
        raise RecipeError("Give the recipe a name.")
    if len(name) > MAX_NAME_CHARS:
        raise RecipeError(f"Keep the name to {MAX_NAME_CHARS} characters.")
    if not data.slots or any(slot not in Slot.values for slot in data.slots):
        raise RecipeError(
            "Choose at least one meal the recipe suits: breakfast, lunch, dinner or snack."
        )
    if not isinstance(data.servings, int) or not 1 <= data.servings <= MAX_SERVINGS:
        raise RecipeError(f"Servings must be a whole number from 1 to {MAX_SERVINGS}.")
    if not data.lines:
        raise RecipeError("Add at least one ingredient with an amount.")
    if len(data.lines) > MAX_LINES:
        raise RecipeError(f"That is {len(data.lines)} lines; a recipe takes at most {MAX_LINES}.")
    if any(len(line.strip()) > MAX_LINE_CHARS for line in data.not_counted):
        raise RecipeError(f"Keep each line not counted to {MAX_LINE_CHARS} characters.")
    if len(_not_counted(data)) > MAX_LIST_CHARS:
        raise RecipeError(
            f"The lines not counted are too long (at most {MAX_LIST_CHARS:,} characters)."
        )
    if len(data.instructions.strip()) > MAX_INSTRUCTIONS_CHARS:
        raise RecipeError(f"Keep the instructions to {MAX_INSTRUCTIONS_CHARS:,} characters.")
    for line in data.lines:
        label = line.text or line.food.name
        if not line.food.is_active:
            raise RecipeError(f"{line.food.name} is no longer in the catalog: choose another food.")
        if not (0 < line.grams <= MAX_LINE_GRAMS):
            raise RecipeError(
                f"{label}: the amount must be above 0 g and at most {MAX_LINE_GRAMS:,.0f} g."
            )
        if line.portion is not None and line.portion.food_id != line.food.pk:
            raise RecipeError(f"{label}: that portion belongs to another food.")
    taken = Meal.objects.owned_by(owner).filter(name__iexact=name)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise RecipeError(f"You already have a recipe called {name}.")
    return name


@transaction.atomic
def recipe_save(*, owner, data: RecipeData, instance: Meal | None = None) -> Meal:
    """Create a recipe for owner, or replace one of theirs (instance), lines and all."""
    if instance is not None and instance.owner_id != owner.pk:
        raise RecipeError("That is not your recipe.")  # views 404 before this
    name = _check(owner, data, instance=instance)
    meal = instance or Meal(owner=owner)
    meal.name = name
    for slot in Slot.values:
        setattr(meal, f"fits_{slot}", slot in data.slots)
    meal.servings = data.servings
    meal.instructions = data.instructions.strip()
    meal.not_counted = _not_counted(data)
    meal.source_url = data.source_url
    if data.copied_from is not None:
        meal.copied_from = data.copied_from
    try:
        with transaction.atomic():
            meal.save()
    except IntegrityError as error:  # a second tab saved the same name first
        raise RecipeError(f"You already have a recipe called {name}.") from error
    meal.ingredients.all().delete()
    Ingredient.objects.bulk_create(
        Ingredient(
            meal=meal,
            food=line.food,
            grams=line.grams,
            text=line.text[:MAX_LINE_CHARS],
            portion=line.portion,
            quantity=line.quantity,
        )
        for line in data.lines
    )
    return meal


# --- Copy (deleting a recipe is mealplan.services.recipe_delete: it touches weeks) ---------

COPY_SUFFIX = " (my copy)"


def _copy_name(owner, name: str) -> str:
    taken = {
        taken.lower()
        for taken in Meal.objects.owned_by(owner)
        .filter(name__istartswith=name[:150])
        .values_list("name", flat=True)
    }
    base = name[: 200 - len(COPY_SUFFIX) - 4]
    candidate = f"{base}{COPY_SUFFIX}"
    number = 2
    while candidate.lower() in taken:
        candidate = f"{base} (my copy {number})"
        number += 1
    return candidate


@transaction.atomic
def recipe_copy(*, owner, meal: Meal) -> Meal:
    """Make an editable copy of a curated meal, owned by owner, ingredients and all."""
    lines = [
        RecipeLine(
            food=ingredient.food,
            grams=ingredient.grams,
            text=ingredient.text,
            portion=ingredient.portion,
            quantity=ingredient.quantity,
        )
        for ingredient in meal.ingredients.select_related("food", "portion")
    ]
    data = RecipeData(
        name=_copy_name(owner, meal.name),
        slots=meal.slots,
        servings=meal.servings,
        lines=lines,
        instructions=meal.instructions,
        not_counted=meal.not_counted_lines,
        source_url=meal.source_url,
        copied_from=meal,
    )
    return recipe_save(owner=owner, data=data)
