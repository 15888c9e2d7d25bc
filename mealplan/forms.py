from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from accounts.dates import AcceptedDateField
from foods.models import Food, Meal, Portion, Slot
from foods.recipe_services import MAX_LINE_GRAMS
from mealplan.intake_gap import MAX_PORTION_G as GAP_PORTION_MAX_G
from mealplan.models import SERVINGS_MAX, SERVINGS_MIN, SERVINGS_STEP, in_week


def validate_servings_step(value: Decimal) -> None:
    # Django's own step validator fails on huge values ("1e999") with a 500; out of range
    # values are the range validators' to refuse.
    if SERVINGS_MIN <= value <= SERVINGS_MAX and value % SERVINGS_STEP:
        raise forms.ValidationError(f"Choose servings in steps of {SERVINGS_STEP}.")


def servings_field(*, required: bool = True) -> forms.DecimalField:
    """Servings by hand: SERVINGS_MIN to SERVINGS_MAX in steps of SERVINGS_STEP."""
    return forms.DecimalField(
        required=required,
        min_value=SERVINGS_MIN,
        max_value=SERVINGS_MAX,
        max_digits=3,
        decimal_places=1,
        initial=Decimal("1"),
        validators=[validate_servings_step],
        # min and max come from the field, the step from the same constant the form checks.
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm servings-input", "step": SERVINGS_STEP}
        ),
    )


class ServingsForm(forms.Form):
    servings = servings_field()


class UserMealsMixin:
    """Limit the meal field to what this user may plan: curated meals and their own recipes."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meal"].queryset = Meal.objects.active().visible_to(user)


class AddEntryForm(UserMealsMixin, ServingsForm):
    date = AcceptedDateField(widget=forms.HiddenInput)
    slot = forms.ChoiceField(choices=Slot.choices, widget=forms.HiddenInput)
    meal = forms.ModelChoiceField(queryset=Meal.objects.none(), widget=forms.HiddenInput)


class SwapForm(UserMealsMixin, forms.Form):
    meal = forms.ModelChoiceField(queryset=Meal.objects.none(), widget=forms.HiddenInput)
    servings = servings_field(required=False)
    servings.widget = forms.HiddenInput()


# A snack of one food is a handful, a piece or a shot: a few portions at most.
SNACK_PORTIONS_MAX = Decimal("10")
SNACK_AMOUNT_STEP = Decimal("0.1")
SNACK_GRAMS_INITIAL = 30  # a handful, where a food has no household portion


class SnackFoodForm(forms.Form):
    """One food or product for a day's snack: a household portion of it, or grams."""

    date = AcceptedDateField(widget=forms.HiddenInput)
    food = forms.ModelChoiceField(queryset=Food.objects.active(), widget=forms.HiddenInput)
    portion = forms.ModelChoiceField(
        queryset=Portion.objects.all(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    amount = forms.DecimalField(
        min_value=SNACK_AMOUNT_STEP,
        max_value=Decimal(MAX_LINE_GRAMS),
        max_digits=7,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={
                "class": "form-control form-control-sm servings-input",
                "step": SNACK_AMOUNT_STEP,
            }
        ),
    )

    def __init__(self, *args, week_start: date, food: Food | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.week_start = week_start
        if food is not None:  # the picker's row for one food: its own portions, then grams
            portions = [(p.pk, f"{p.name} ({p.grams:.0f} g)") for p in food.portions.all()]
            self.fields["portion"].choices = [*portions, ("", "g")]
            self.initial.update(
                food=food.pk,
                portion=portions[0][0] if portions else "",
                amount=1 if portions else SNACK_GRAMS_INITIAL,
            )

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if not in_week(self.week_start, day):
            raise forms.ValidationError("That date is not in this week.")
        return day

    def clean(self):
        cleaned = super().clean()
        food, portion, amount = (cleaned.get(k) for k in ("food", "portion", "amount"))
        if food is None or amount is None:
            return cleaned
        if portion is not None and portion.food_id != food.pk:
            self.add_error("portion", "That portion belongs to another food.")
        elif portion is not None and amount > SNACK_PORTIONS_MAX:
            self.add_error("amount", f"Choose at most {SNACK_PORTIONS_MAX} portions for a snack.")
        return cleaned

    @property
    def grams(self) -> float:
        amount = float(self.cleaned_data["amount"])
        portion = self.cleaned_data["portion"]
        return amount * portion.grams if portion else amount


class MealSearchForm(forms.Form):
    """The cell to fill (a day of the week and a slot) and the words to search meals by."""

    date = AcceptedDateField()
    slot = forms.ChoiceField(choices=Slot.choices)
    q = forms.CharField(required=False, max_length=100, label="Search meals")

    def __init__(self, *args, week_start: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.week_start = week_start

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if not in_week(self.week_start, day):
            raise forms.ValidationError("That date is not in this week.")
        return day


class DateRangeForm(forms.Form):
    """A range of days for the shopping list: start to end, both included, at most 31 days."""

    start = AcceptedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = AcceptedDateField(widget=forms.DateInput(attrs={"type": "date"}))

    max_days = 31

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("The end date must not be before the start date.")
            if (end - start).days + 1 > self.max_days:
                raise forms.ValidationError(f"Choose at most {self.max_days} days.")
        return cleaned


class ShoppingTickForm(DateRangeForm):
    food = forms.ModelChoiceField(queryset=Food.objects.all(), widget=forms.HiddenInput)
    # The state the button asks for, so a double click ticks once; without it, a toggle.
    ticked = forms.TypedChoiceField(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        widget=forms.HiddenInput,
    )


class CopyWeekForm(forms.Form):
    source = AcceptedDateField(
        label="Copy from the week of", widget=forms.DateInput(attrs={"type": "date"})
    )


class ClearWeekForm(forms.Form):
    include_locked = forms.BooleanField(required=False, label="Also locked entries")


class SuggestForm(forms.Form):
    """Suggest and Regenerate fill today to Sunday unless past days are asked for too."""

    include_past = forms.BooleanField(
        required=False,
        label="Also fill past days",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class WeekDayForm(forms.Form):
    """The day a phone shows of a week (the grid shows them all)."""

    day = forms.DateField()

    def __init__(self, *args, week_start: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.week_start = week_start

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if not in_week(self.week_start, day):
            raise forms.ValidationError("That date is not in this week.")
        return day


class MealPreferenceForm(forms.Form):
    VERDICTS = {"like": 1, "dislike": -1, "forget": None}

    verdict = forms.ChoiceField(choices=[(key, key) for key in VERDICTS])
    week = AcceptedDateField(required=False, widget=forms.HiddenInput)

    @property
    def verdict_value(self) -> int | None:
        return self.VERDICTS[self.cleaned_data["verdict"]]


class HouseholdServingsForm(ServingsForm):
    """One member's servings of a household entry; the view checks the member's household."""

    member = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


PORTION_PREFIX = "portion-"


class HouseholdSwapForm(forms.Form):
    """A shared dish for a cell, and each member's servings of it (blank: not eating it)."""

    meal = forms.ModelChoiceField(queryset=Meal.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, owner, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meal"].queryset = Meal.objects.active().visible_to(owner)
        self.members = {member.pk: member for member in members}
        for pk in self.members:
            field = servings_field(required=False)
            field.widget = forms.HiddenInput()
            self.fields[f"{PORTION_PREFIX}{pk}"] = field

    def posted_member_ids(self) -> set[str]:
        """Return the member ids the form's data names (any household's)."""
        return {key[len(PORTION_PREFIX) :] for key in self.data if key.startswith(PORTION_PREFIX)}

    def clean(self):
        cleaned = super().clean()
        portions = {
            member: cleaned[f"{PORTION_PREFIX}{pk}"]
            for pk, member in self.members.items()
            if cleaned.get(f"{PORTION_PREFIX}{pk}")
        }
        if not self.errors and not portions:
            raise forms.ValidationError("Give at least one member servings of the dish.")
        cleaned["portions"] = portions
        return cleaned


class GapItemForm(forms.Form):
    """One item of the day's gap suggestion to log or plan: a food in grams, on a day."""

    date = AcceptedDateField(widget=forms.HiddenInput)
    food = forms.ModelChoiceField(
        queryset=Food.objects.active(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That food is not in the catalog."},
    )
    grams = forms.DecimalField(
        min_value=Decimal("0.1"),
        max_value=Decimal(str(GAP_PORTION_MAX_G)),
        max_digits=6,
        decimal_places=1,
        widget=forms.HiddenInput,
    )
    slot = forms.ChoiceField(choices=Slot.choices, initial=Slot.SNACK, widget=forms.HiddenInput)
