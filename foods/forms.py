"""Filter forms for the public catalog; a bad value is dropped with a notice, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from foods.models import Allergen, Category, FoodKind, Slot
from foods.querysets import DIETS
from foods.selectors import DEFAULT_SORT, FOOD_SORTS, MEAL_SORTS

DIET_CHOICES = [("", "Any diet"), *((diet, diet.capitalize()) for diet in DIETS)]


class CatalogFilterForm(forms.Form):
    """A GET filter form whose valid fields apply even when others are not."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        strip=True,
        widget=forms.SearchInput(attrs={"placeholder": "e.g. spinach, seeds raw"}),
    )
    diet = forms.ChoiceField(choices=DIET_CHOICES, required=False)
    avoid = forms.ModelMultipleChoiceField(
        queryset=Allergen.objects.all(),
        to_field_name="code",
        required=False,
        label="Avoid allergens",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    # Read from the page links only; the form leaves it out, so new filters start at page 1.
    page = forms.IntegerField(min_value=1, required=False)

    # Set by each subclass: the fields handed to its selector as keyword arguments.
    filter_fields: tuple[str, ...] = ()

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def filters(self) -> dict[str, Any]:
        """Return the selector's keyword arguments from the valid fields, defaults elsewhere."""
        self.is_valid()
        cleaned = {
            name: self.cleaned_data[name]
            for name in self.filter_fields
            if name in self.cleaned_data
        }
        cleaned["text"] = cleaned.pop("q", "")
        cleaned["avoid"] = [allergen.code for allergen in cleaned.get("avoid", ())]
        cleaned["sort"] = cleaned.get("sort") or DEFAULT_SORT
        return cleaned

    def page_number(self) -> int:
        """Return the page asked for, or 1 when it is missing or bad."""
        self.is_valid()
        return self.cleaned_data.get("page") or 1

    def notices(self) -> list[str]:
        """Say which values were ignored, for display above the results."""
        self.is_valid()
        return [
            f"Ignored the invalid {self[name].label.lower()} “{str(self.data.get(name, ''))[:40]}”."
            for name in self.errors
        ]


ALL_GROUPS_LABEL = "Include baby, restaurant and traditional foods"


def _all_groups_field() -> forms.BooleanField:
    return forms.BooleanField(
        required=False,
        label=ALL_GROUPS_LABEL,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class FoodFilterForm(CatalogFilterForm):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, empty_label="Any category"
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *FoodKind.choices], required=False)
    sort = forms.ChoiceField(choices=list(FOOD_SORTS.items()), required=False)
    all_groups = _all_groups_field()

    field_order = ["q", "category", "kind", "diet", "sort", "avoid", "all_groups", "page"]
    filter_fields = ("q", "category", "diet", "avoid", "kind", "sort", "all_groups")


class MealFilterForm(CatalogFilterForm):
    slot = forms.ChoiceField(choices=[("", "Any meal"), *Slot.choices], required=False)
    nut_free = forms.BooleanField(
        required=False,
        label="Nut-free",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    sort = forms.ChoiceField(choices=list(MEAL_SORTS.items()), required=False)

    field_order = ["q", "slot", "diet", "sort", "nut_free", "avoid", "page"]

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "e.g. lentil, oats"

    filter_fields = ("q", "slot", "diet", "avoid", "nut_free", "sort")


class BestSourcesForm(forms.Form):
    diet = forms.ChoiceField(
        choices=DIET_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    all_groups = _all_groups_field()

    def diet_or_default(self) -> str:
        """Return the chosen diet, or "" (any) when missing or bad."""
        return self.cleaned_data.get("diet", "") if self.is_valid() else ""

    def all_groups_or_default(self) -> bool:
        """Return whether the non-shopper groups are asked for (False when the form is bad)."""
        return bool(self.cleaned_data.get("all_groups")) if self.is_valid() else False
