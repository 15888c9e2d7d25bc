"""Forms for households: create, invite, a dependent, an eating pattern, hand over."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts import targets
from accounts.dates import AcceptedDateField
from accounts.household_services import EATS, OUT, SAME
from accounts.models import (
    WEEKDAY_NAMES,
    Allergen,
    Household,
    LifeStage,
    MealSlot,
    Member,
    Sex,
    User,
)

# The NIH table gives pregnancy and lactation figures from 14 years.
PREGNANCY_MIN_AGE = 14


class HouseholdCreateForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["name"]
        labels = {"name": "Household name"}
        help_texts = {"name": 'For example "The Garcias" or "Home".'}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the household a name.")
        return name


class InviteForm(forms.Form):
    who = forms.CharField(
        label="Their username or email address",
        max_length=254,
        help_text="They need an account here; the link you get works for them alone.",
    )

    def __init__(self, *args, household: Household, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.user = user

    def clean_who(self) -> User:
        who = self.cleaned_data["who"].strip()
        invitee = User.objects.filter(Q(username__iexact=who) | Q(email__iexact=who)).first()
        if invitee is None:
            raise forms.ValidationError("No registered user has that username or email address.")
        return invitee


class DependentForm(forms.ModelForm):
    """A dependent: everything a profile has that the planner uses."""

    avoid_allergens = forms.MultipleChoiceField(
        choices=Allergen.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Allergens to avoid",
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "birth_date",
            "sex",
            "life_stage",
            "dependent_diet",
            "weight_kg",
            "height_cm",
            "activity",
            "kcal_min",
            "kcal_max",
        ]
        field_classes = {"birth_date": AcceptedDateField}
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "birth_date": "Date of birth",
            "dependent_diet": "Diet",
            "weight_kg": "Weight (kg)",
            "height_cm": "Height (cm)",
            "kcal_min": "Calories per day, at least",
            "kcal_max": "Calories per day, at most",
        }
        help_texts = {
            "weight_kg": "With the height, a child's window comes from the Estimated Energy "
            "Requirement equations; an adult's from Mifflin-St Jeor.",
            "kcal_min": "Leave both calorie fields empty to use an estimate.",
        }

    field_order = [
        "name",
        "birth_date",
        "sex",
        "life_stage",
        "dependent_diet",
        "avoid_allergens",
        "weight_kg",
        "height_cm",
        "activity",
        "kcal_min",
        "kcal_max",
    ]

    def __init__(self, *args, household: Household, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["name"].required = True
        self.fields["birth_date"].required = True
        self.fields["sex"].required = True
        self.fields["sex"].choices = [("", "---------"), *Sex.choices]
        if self.instance.pk:
            self.initial["avoid_allergens"] = self.instance.dependent_allergens

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the dependent a name.")
        return name

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        try:
            targets.check_member_age(targets.age_on(birth_date, today))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return birth_date

    def _check_range(self, field: str, low: int, high: int, what: str) -> None:
        value = self.cleaned_data.get(field)
        if value is not None and not low <= value <= high:
            self.add_error(field, f"{what} must be between {low} and {high}.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sex") == Sex.MALE and cleaned.get("life_stage") in (
            LifeStage.PREGNANT,
            LifeStage.LACTATING,
        ):
            self.add_error("life_stage", "Pregnancy and lactation apply only with sex female.")
        age = None
        if cleaned.get("birth_date"):
            age = targets.age_on(cleaned["birth_date"], timezone.localdate())
        if (
            age is not None
            and age < PREGNANCY_MIN_AGE
            and cleaned.get("life_stage") in (LifeStage.PREGNANT, LifeStage.LACTATING)
        ):
            self.add_error(
                "life_stage", f"Pregnancy and lactation apply from {PREGNANCY_MIN_AGE} years."
            )
        # A child's window may be lower than an adult's (a toddler needs about 800 kcal).
        kcal_floor = (
            targets.KCAL_MIN_ALLOWED
            if age is None or age >= targets.ADULT_AGE
            else targets.CHILD_KCAL_MIN_ALLOWED
        )
        low, high = cleaned.get("kcal_min"), cleaned.get("kcal_max")
        if (low is None) != (high is None) and not {"kcal_min", "kcal_max"} & set(self.errors):
            self.add_error(
                "kcal_max" if low is not None else "kcal_min",
                "Give both ends of the calorie window, or neither.",
            )
        for name in ("kcal_min", "kcal_max"):
            self._check_range(name, kcal_floor, targets.KCAL_MAX_ALLOWED, "The calorie window")
        if low is not None and high is not None and "kcal_max" not in self.errors:
            if low > high:
                self.add_error("kcal_max", "The upper end must not be below the lower end.")
            elif high - low < targets.KCAL_WINDOW_MIN_WIDTH:
                self.add_error(
                    "kcal_max",
                    f"Leave at least {targets.KCAL_WINDOW_MIN_WIDTH} kcal between the two ends.",
                )
        measures = {"weight_kg": "weight", "height_cm": "height"}
        if not set(measures) & set(self.errors):
            given = {name for name in measures if cleaned.get(name) is not None}
            if len(given) == 1:
                (missing,) = set(measures) - given
                self.add_error(missing, f"Give the {measures[missing]} too, or leave both empty.")
        return cleaned

    def save(self, commit: bool = True) -> Member:
        self.instance.dependent_allergens = list(self.cleaned_data.get("avoid_allergens") or [])
        return super().save(commit=commit)


DEFAULT_CHOICES = [(EATS, "Eats"), (OUT, "Out")]
WEEKDAY_CHOICES = [(SAME, "As every day"), (EATS, "Eats"), (OUT, "Out")]


def eating_field_name(slot: str, weekday: int | None) -> str:
    return f"{slot}-{'all' if weekday is None else weekday}"


class EatingPatternForm(forms.Form):
    """A grid: for each slot, eats or out every day, and an exception for any weekday."""

    def __init__(self, *args, grid: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for slot, slot_label in MealSlot.choices:
            self.fields[eating_field_name(slot, None)] = forms.ChoiceField(
                choices=DEFAULT_CHOICES,
                initial=grid[(slot, None)],
                label=f"{slot_label}, every day",
            )
            for weekday, day_name in enumerate(WEEKDAY_NAMES):
                self.fields[eating_field_name(slot, weekday)] = forms.ChoiceField(
                    choices=WEEKDAY_CHOICES,
                    initial=grid[(slot, weekday)],
                    required=False,
                    label=f"{slot_label}, {day_name}",
                )

    def grid(self) -> dict[tuple[str, int | None], str]:
        return {
            (slot, weekday): self.cleaned_data.get(eating_field_name(slot, weekday)) or SAME
            for slot in MealSlot.values
            for weekday in (None, *range(7))
        }

    def rows(self) -> list[dict]:
        """The grid for the template: one row per slot, the default then Mon-Sun."""
        return [
            {
                "label": slot_label,
                "cells": [self[eating_field_name(slot, None)]]
                + [self[eating_field_name(slot, weekday)] for weekday in range(7)],
            }
            for slot, slot_label in MealSlot.choices
        ]


class HeirForm(forms.Form):
    """Choose the adult registered member who takes the household over."""

    heir = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        label="Hand the household to",
        empty_label=None,
        error_messages={"invalid_choice": "Choose an adult member of your household."},
    )

    def __init__(self, *args, heirs: list[Member], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heir"].queryset = Member.objects.filter(pk__in=[m.pk for m in heirs])
        self.fields["heir"].label_from_instance = lambda member: member.display_name
