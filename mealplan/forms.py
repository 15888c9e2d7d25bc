from __future__ import annotations

from decimal import Decimal

from django import forms

from foods.models import Meal, Slot
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
    date = forms.DateField(widget=forms.HiddenInput)
    slot = forms.ChoiceField(choices=Slot.choices, widget=forms.HiddenInput)
    meal = forms.ModelChoiceField(queryset=Meal.objects.active(), widget=forms.HiddenInput)


class SwapForm(forms.Form):
    meal = forms.ModelChoiceField(queryset=Meal.objects.active(), widget=forms.HiddenInput)


class MealSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search meals")
