from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from accounts.dates import AcceptedDateField
from foods.models import Food, Meal, Slot
from mealplan.models import SERVINGS_MAX, SERVINGS_MIN


class ServingsForm(forms.Form):
    servings = forms.DecimalField(
        min_value=SERVINGS_MIN,
        max_value=SERVINGS_MAX,
        max_digits=3,
        decimal_places=1,
        initial=Decimal("1"),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "4"}),
    )


class AddEntryForm(ServingsForm):
    date = AcceptedDateField(widget=forms.HiddenInput)
    slot = forms.ChoiceField(choices=Slot.choices, widget=forms.HiddenInput)
    meal = forms.ModelChoiceField(queryset=Meal.objects.active(), widget=forms.HiddenInput)


class SwapForm(forms.Form):
    meal = forms.ModelChoiceField(queryset=Meal.objects.active(), widget=forms.HiddenInput)


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
        if not 0 <= (day - self.week_start).days < 7:
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


class CopyWeekForm(forms.Form):
    source = AcceptedDateField(
        label="Copy from the week of", widget=forms.DateInput(attrs={"type": "date"})
    )


class ClearWeekForm(forms.Form):
    include_locked = forms.BooleanField(required=False, label="Also locked entries")


class MealPreferenceForm(forms.Form):
    VERDICTS = {"like": 1, "dislike": -1, "forget": None}

    verdict = forms.ChoiceField(choices=[(key, key) for key in VERDICTS])
    week = AcceptedDateField(required=False, widget=forms.HiddenInput)

    @property
    def verdict_value(self) -> int | None:
        return self.VERDICTS[self.cleaned_data["verdict"]]
