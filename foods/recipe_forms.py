"""Forms for a user's own recipes: the recipe, and its ingredient lines as a formset."""

from __future__ import annotations

import dataclasses
import math
import re
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from foods import recipe_selectors as selectors
from foods.models import Food, Ingredient, Meal, Portion, Slot
from foods.recipe_services import (
    MAX_INSTRUCTIONS_CHARS,
    MAX_LINE_CHARS,
    MAX_LINE_GRAMS,
    MAX_LINES,
    MAX_LIST_CHARS,
    MAX_NAME_CHARS,
    MAX_SERVINGS,
    RecipeData,
    RecipeLine,
)
from foods.recipes.units import FORM_UNITS, UnitError, canonical_unit, grams_for

PORTION_PREFIX = "portion-"
MAX_AMOUNT = 100_000  # any unit; the 5 kg a line limit catches the rest
MORE_LINES = 3
LINES_PREFIX = "lines"
UNIT_LABELS = dict(FORM_UNITS)
_MIXED = re.compile(r"^(?P<whole>\d+)\s+(?P<fraction>\d+/\d+)$")
# A line this form wrote: "2 cup Spinach, raw" (amount, unit, food name).
_WRITTEN = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s(?P<unit>fl oz|[a-z]+)\s")


def _format_amount(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


class AmountField(forms.Field):
    """An amount above 0: "250", "1.5", "1/2" or "1 1/2"."""

    default_error_messages = {
        "invalid": 'Give the amount as a number, such as 250, 1.5 or 1/2 (not "%(value)s").',
        "not_positive": "Give an amount above 0.",
        "too_large": f"That amount is too large (at most {MAX_AMOUNT:,}).",
    }

    widget = forms.TextInput

    def to_python(self, value) -> float | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            if len(text) > 20:
                raise ValueError(text)
            mixed = _MIXED.match(text)
            number = int(mixed["whole"]) + Fraction(mixed["fraction"]) if mixed else Fraction(text)
            amount = float(number)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
            ) from None
        if not math.isfinite(amount) or amount > MAX_AMOUNT:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        if amount <= 0:
            raise ValidationError(self.error_messages["not_positive"], code="not_positive")
        return amount

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "20"}


class RecipeForm(forms.Form):
    name = forms.CharField(max_length=MAX_NAME_CHARS)
    slots = forms.MultipleChoiceField(
        label="Suits",
        choices=Slot.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one meal the recipe suits."},
    )
    servings = forms.IntegerField(
        label="Servings it makes", min_value=1, max_value=MAX_SERVINGS, initial=1
    )
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_INSTRUCTIONS_CHARS
    )
    not_counted = forms.CharField(
        label="Other lines, not counted (e.g. salt to taste)",
        help_text="One a line; kept as written and left out of the nutrition.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_LIST_CHARS,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "servings", "instructions", "not_counted"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["slots"].widget.attrs["class"] = "form-check-input"

    def clean_not_counted(self) -> str:
        text = self.cleaned_data["not_counted"]
        lines = [line for line in text.splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            if len(line.strip()) > MAX_LINE_CHARS:
                raise ValidationError(
                    f"Line {number} has {len(line.strip()):,} characters; keep each to"
                    f" {MAX_LINE_CHARS}."
                )
        if len(lines) > MAX_LINES:
            raise ValidationError(
                f"That is {len(lines)} lines; a recipe takes at most {MAX_LINES}."
            )
        return text

    @classmethod
    def initial_for(cls, meal: Meal) -> dict:
        return {
            "name": meal.name,
            "slots": meal.slots,
            "servings": meal.servings,
            "instructions": meal.instructions,
            "not_counted": meal.not_counted,
        }

    def recipe_data(self, lines: list[RecipeLine], *, base: Meal | None = None) -> RecipeData:
        data = self.cleaned_data
        return RecipeData(
            name=data["name"],
            slots=data["slots"],
            servings=data["servings"],
            lines=lines,
            instructions=data["instructions"],
            not_counted=data["not_counted"].splitlines(),
            source_url=base.source_url if base else "",
        )


class IngredientLineForm(forms.Form):
    """One counted line: a catalog food, an amount, and a unit or one of the food's portions."""

    food_query = forms.CharField(label="Find a food", max_length=100, required=False)
    food = forms.CharField(required=False, max_length=20)  # radios of the matches
    amount = AmountField(required=False)
    unit = forms.CharField(initial="g", max_length=40, required=False)
    # The line as the cook wrote it, and the food|amount|unit the form showed for it: while
    # those are posted back unchanged, the line keeps its own words.
    text = forms.CharField(required=False, max_length=MAX_LINE_CHARS, widget=forms.HiddenInput)
    shown = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, foods: dict[int, Food] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["class"] = "form-control"
        raw_food = self._raw("food")
        if foods is None:  # read alone; a formset reads all its lines' foods at once
            foods = selectors.active_foods([raw_food])
        self.chosen_food: Food | None = foods.get(selectors.food_id(raw_food))
        self.portions: list[Portion] = selectors.food_portions(self.chosen_food)
        self.line: RecipeLine | None = None

    def _raw(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    @property
    def food_choices(self) -> list[selectors.FoodChoice]:
        """Return the chosen food first, then the matches for the search text."""
        query = str(self._raw("food_query") or "")
        return selectors.line_food_choices(chosen=self.chosen_food, query=query)

    @property
    def unit_choices(self) -> list[tuple[str, str]]:
        return unit_choices(self.portions)

    @property
    def unit_value(self) -> str:
        return str(self._raw("unit") or "g")

    def clean(self) -> dict:
        data = super().clean()
        raw_food, amount, unit = data.get("food"), data.get("amount"), data.get("unit") or "g"
        food = self.chosen_food
        if not (self._raw("food") or self._raw("food_query") or self._raw("amount")):
            return data  # a blank row: left out, whichever row it is
        if raw_food and food is None:
            self.add_error(
                "food", "That food is not in the catalog (or no longer is): find another."
            )
            return data
        if food is None:
            self.add_error("food", "Choose a food from the list: search, then pick one.")
            return data
        if amount is None:
            if "amount" not in self.errors:
                self.add_error("amount", "Give an amount.")
            return data
        try:
            self.line = line_for(food, amount, unit, self.portions)
        except UnitError as error:
            self.add_error("unit", str(error))
            return data
        shown = _shown(self._raw("food"), self._raw("amount"), unit)
        if data.get("text") and data.get("shown") == shown:
            self.line = dataclasses.replace(self.line, text=data["text"])
        return data


def _shown(food, amount, unit) -> str:
    """Return what a line shows, to tell whether the cook changed it."""
    return f"{str(food).strip()}|{str(amount).strip()}|{unit}"


def unit_choices(portions: list[Portion]) -> list[tuple[str, str]]:
    """Return the units a line offers: weights and volumes, then the food's own portions."""
    return [
        *FORM_UNITS,
        *((f"{PORTION_PREFIX}{p.pk}", f"× {p.name} ({p.grams:g} g)") for p in portions),
    ]


def line_for(food: Food, amount: float, unit: str, portions: list[Portion]) -> RecipeLine:
    """Turn an amount in a unit or a portion of the food into a counted line, or UnitError."""
    if unit.startswith(PORTION_PREFIX):
        portion = next((p for p in portions if f"{PORTION_PREFIX}{p.pk}" == unit), None)
        if portion is None:
            raise UnitError(f"Choose a unit, or one of the portions of {food.name}.")
        grams = portion.grams * amount
        text = f"{_format_amount(amount)} × {portion.name} {food.name}"
        line = RecipeLine(food, grams, text[:MAX_LINE_CHARS], portion=portion, quantity=amount)
    else:
        short = canonical_unit(unit)
        if short not in UNIT_LABELS:
            raise UnitError(f'"{unit[:20]}" is not a unit we know: use g, kg, oz, lb, ml, cup, '
                            "tbsp or tsp, or one of the food's portions.")  # fmt: skip
        grams = grams_for(amount, short, portions=portions, food_name=food.name).grams
        text = f"{_format_amount(amount)} {short} {food.name}"
        line = RecipeLine(food, grams, text[:MAX_LINE_CHARS])
    if grams > MAX_LINE_GRAMS:
        raise UnitError(
            f"{_format_amount(amount)} {unit_label(unit, portions)} of {food.name} is "
            f"{grams:,.0f} g: one line may hold at most {MAX_LINE_GRAMS:,.0f} g."
        )
    return line


def unit_label(unit: str, portions: list[Portion]) -> str:
    return dict(unit_choices(portions)).get(unit, unit)


class BaseIngredientFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.lines():
            raise ValidationError("Add at least one ingredient with an amount.")

    def lines(self) -> list[RecipeLine]:
        return [
            form.line
            for form in self.forms
            if form.line is not None and not self._should_delete_form(form)
        ]


IngredientFormSet = forms.formset_factory(
    IngredientLineForm,
    formset=BaseIngredientFormSet,
    extra=MORE_LINES,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


def line_initial(ingredient: Ingredient) -> dict:
    """Return a stored line as the form shows it, with the words it was written in."""
    initial = _line_amount(ingredient)
    shown = _shown(initial["food"], initial["amount"], initial["unit"])
    return {**initial, "text": ingredient.text, "shown": shown}


def _line_amount(ingredient: Ingredient) -> dict:
    """Return a stored line's food and amount: its portion, its written unit, or grams."""
    initial = {"food": ingredient.food_id, "amount": _format_amount(ingredient.grams), "unit": "g"}
    if not ingredient.food.is_active:  # gone from the catalog: offer foods like it instead
        initial["food_query"] = ingredient.food.name
    if ingredient.portion_id and ingredient.quantity:
        initial.update(
            amount=_format_amount(ingredient.quantity),
            unit=f"{PORTION_PREFIX}{ingredient.portion_id}",
        )
        return initial
    written = _WRITTEN.match(ingredient.text)
    if written and canonical_unit(written["unit"]) in UNIT_LABELS:
        unit = canonical_unit(written["unit"])
        try:
            grams = grams_for(
                float(written["amount"]), unit, portions=list(ingredient.food.portions.all())
            ).grams
        except UnitError:
            return initial
        # Only when the written amount still gives the stored grams (the food's portions
        # may have changed since).
        if math.isclose(grams, ingredient.grams, rel_tol=0.01):
            initial.update(amount=written["amount"], unit=unit)
    return initial


def recipe_formset(
    data: QueryDict | None = None, *, meal: Meal | None = None, more: bool = False
) -> BaseIngredientFormSet:
    """Return the ingredient lines, bound to a POST, or from a stored recipe; `more` adds rows."""
    if data is not None:
        if more:
            data = data.copy()
            key = f"{LINES_PREFIX}-TOTAL_FORMS"
            try:
                total = int(data.get(key, "0"))
            except ValueError:
                total = 0
            data[key] = str(max(0, min(total, MAX_LINES - MORE_LINES)) + MORE_LINES)
        ids = [data.get(f"{LINES_PREFIX}-{index}-food") for index in range(MAX_LINES)]
        foods = selectors.active_foods(ids)
        return IngredientFormSet(data, prefix=LINES_PREFIX, form_kwargs={"foods": foods})
    initial = []
    if meal is not None:
        ingredients = meal.ingredients.select_related("food").prefetch_related("food__portions")
        initial = [line_initial(ingredient) for ingredient in ingredients]
    foods = selectors.active_foods(line["food"] for line in initial)
    return IngredientFormSet(initial=initial, prefix=LINES_PREFIX, form_kwargs={"foods": foods})
