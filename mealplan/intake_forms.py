"""Forms of the intake log: what a POST names, parsed; the rules are the services' checks."""

from __future__ import annotations

from django import forms

from accounts.dates import AcceptedDateField
from foods.models import Food, Meal, Portion, Slot
from mealplan.selectors import posted_id

NUMBER = {"class": "form-control form-control-sm servings-input", "inputmode": "decimal"}


class EatenForm(forms.Form):
    """The servings actually eaten of a planned entry (empty: the planned servings)."""

    servings = forms.CharField(required=False, max_length=20, widget=forms.TextInput(NUMBER))


class DayForm(forms.Form):
    day = AcceptedDateField(required=False)


class LogForm(forms.Form):
    """One extra item: a food (grams, or a quantity of one of its portions) or a meal or
    recipe (servings), on a day and slot. Ids are read as text so nonsense is a message."""

    date = AcceptedDateField()
    slot = forms.ChoiceField(choices=Slot.choices)
    food = forms.CharField(required=False, max_length=20)
    meal = forms.CharField(required=False, max_length=20)
    portion = forms.CharField(required=False, max_length=20)
    amount = forms.CharField(required=False, max_length=20)
    grams = forms.CharField(required=False, max_length=20)
    servings = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        food_id, meal_id = posted_id(cleaned.get("food")), posted_id(cleaned.get("meal"))
        cleaned["food_obj"] = cleaned["meal_obj"] = cleaned["portion_obj"] = None
        if (food_id is None) == (meal_id is None):
            raise forms.ValidationError("Choose one food or one meal.")
        if food_id is not None:
            food = Food.objects.active().filter(pk=food_id).first()
            if food is None:
                raise forms.ValidationError("That food is not in the catalog.")
            cleaned["food_obj"] = food
            portion_id = posted_id(cleaned.get("portion"))
            if cleaned.get("portion") and portion_id is None:
                raise forms.ValidationError("Choose one of the food's portions, or grams.")
            if portion_id is not None:
                portion = Portion.objects.filter(pk=portion_id, food=food).first()
                if portion is None:
                    raise forms.ValidationError("That portion belongs to another food.")
                cleaned["portion_obj"] = portion
            elif not cleaned.get("grams"):
                raise forms.ValidationError("Say how many grams.")
        else:
            meal = Meal.objects.visible_to(self.user).active().filter(pk=meal_id).first()
            if meal is None:
                raise forms.ValidationError("That meal is not one you can log.")
            cleaned["meal_obj"] = meal
        return cleaned


class ReplaceForm(LogForm):
    """What was eaten instead of a planned entry: its day and slot come from the entry."""

    date = None
    slot = None
