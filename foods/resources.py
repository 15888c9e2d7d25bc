"""CSV import and export of foods (django-import-export), saved whole or not at all."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV
from tablib import Dataset

from foods.models import (
    ADDED_MAGNESIUM_ABOVE_TOTAL,
    NUTRIENT_FIELDS,
    Allergen,
    Category,
    Food,
    added_magnesium_above_total,
)

NUMBER_FIELDS = (*(field for field, _, _ in NUTRIENT_FIELDS), "added_magnesium_mg_per_100g")
DIET_FIELDS = ("vegan", "vegetarian", "pescatarian", "diets_reviewed", "is_active")

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"


def spreadsheet_safe(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would run as a formula; leave the rest alone."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return FORMULA_ESCAPE + value
    return value


def spreadsheet_unescaped(value: Any) -> Any:
    """Undo spreadsheet_safe, so that a file exported and imported again changes nothing."""
    if isinstance(value, str) and value.startswith(FORMULA_ESCAPE):
        rest = value.removeprefix(FORMULA_ESCAPE)
        if rest.startswith(FORMULA_TRIGGERS):
            return rest
    return value


class SpreadsheetSafeCSV(CSV):
    """CSV whose text cells never start a formula when the file is opened in a spreadsheet.

    The library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (4.4) only drops a leading "=",
    so "@SUM(A1)" or "+1+2" would still run, and the dropped "=" is lost on import.
    """

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        return _map_cells(dataset, spreadsheet_unescaped)

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, spreadsheet_safe), **kwargs)


def _map_cells(dataset: Dataset, function) -> Dataset:
    rows = ([function(cell) for cell in row] for row in dataset)
    return Dataset(*rows, headers=dataset.headers, title=dataset.title)


class StrictFloatWidget(widgets.FloatWidget):
    """Read a finite number; anything else is an error, not a silent value."""

    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row=row, **kwargs)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number.") from None
        if number is not None and not math.isfinite(number):
            raise ValueError(f"{value!r} is not a number.")
        return number


class StrictBooleanWidget(widgets.BooleanWidget):
    """Read 1/0, true/false or yes/no; anything else is an error, not False."""

    TRUE = {"1", "true", "yes", "y"}
    FALSE = {"0", "false", "no", "n", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text.endswith(".0"):  # spreadsheets turn 1 into 1.0
            text = text[:-2]
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"{value!r} is not yes or no (use 1 or 0).")


class CategoryNameWidget(widgets.ForeignKeyWidget):
    """Find a category by its exact name; an unknown name is a row error."""

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            raise ValueError("A category is required.")
        try:
            return self.get_queryset(value, row, **kwargs).get(name=name)
        except Category.DoesNotExist:
            raise ValueError(f"Unknown category {name!r}.") from None


class AllergenCodesWidget(widgets.ManyToManyWidget):
    """Read allergens as codes separated by ";", like "milk;egg"."""

    def codes(self, value: Any) -> list[str]:
        return [code.strip() for code in str(value or "").split(self.separator) if code.strip()]


def _number_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=StrictFloatWidget())


class FoodResource(resources.ModelResource):
    category = fields.Field(
        attribute="category", column_name="category", widget=CategoryNameWidget(Category, "name")
    )
    allergens = fields.Field(
        attribute="allergens",
        column_name="allergens",
        widget=AllergenCodesWidget(Allergen, separator=";", field="code"),
    )
    may_contain = fields.Field(
        attribute="may_contain",
        column_name="may_contain",
        widget=AllergenCodesWidget(Allergen, separator=";", field="code"),
    )

    class Meta:
        model = Food
        fields = (
            "id",
            "name",
            "category",
            "kind",
            "brand",
            "shopping_name",
            "keywords",
            "source_kind",
            "source_ref",
            *NUMBER_FIELDS,
            "allergens",
            "may_contain",
            "vegan",
            "vegetarian",
            "pescatarian",
            "diets_reviewed",
            "note",
            "is_active",
        )
        export_order = fields
        import_id_fields = ("id",)
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for name in NUMBER_FIELDS:
            self.fields[name] = _number_field(name)
        for name in DIET_FIELDS:
            self.fields[name] = fields.Field(
                attribute=name, column_name=name, widget=StrictBooleanWidget()
            )
        self._allergen_codes: set[str] = set()
        self._source_rows: dict[tuple[str, str], list[int]] = {}
        self._source_ids: dict[tuple[str, str], int] = {}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("category")
            .prefetch_related("allergens", "may_contain")
        )

    def import_data(self, dataset, **kwargs):
        """Import a whole file or nothing: any invalid row rolls every row back."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs) -> None:
        self._allergen_codes = set(Allergen.objects.values_list("code", flat=True))
        rows: dict[tuple[str, str], list[int]] = defaultdict(list)
        headers = dataset.headers or []
        default_kind = Food._meta.get_field("source_kind").default
        if "source_ref" in headers:
            for number, row in enumerate(dataset.dict, start=1):
                ref = str(row.get("source_ref") or "").strip()
                if ref:
                    kind = str(row.get("source_kind") or default_kind).strip()
                    rows[(kind, ref)].append(number)
        self._source_rows = {key: numbers for key, numbers in rows.items() if len(numbers) > 1}
        existing = Food.objects.filter(source_ref__in={ref for _, ref in rows})
        self._source_ids = {
            (kind, ref): pk
            for kind, ref, pk in existing.values_list("source_kind", "source_ref", "id")
        }

    def import_instance(self, instance, row, **kwargs) -> None:
        """Set the row's values, collecting every problem of every column."""
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in ("allergens", "may_contain"):
            if name in row:
                unknown = set(self.fields[name].widget.codes(row[name])) - self._allergen_codes
                if unknown:
                    errors[name] = [f"Unknown allergen codes: {', '.join(sorted(unknown))}."]
        source = (str(instance.source_kind).strip(), str(instance.source_ref).strip())
        if numbers := self._source_rows.get(source):
            rows = ", ".join(str(number) for number in numbers)
            errors["source_ref"] = [f"Source {source[1]} appears more than once (rows {rows})."]
        elif self._source_ids.get(source, instance.pk) != instance.pk:
            errors["source_ref"] = [
                f"Source {source[1]} is already food #{self._source_ids[source]}."
            ]
        magnesium = instance.magnesium_mg_per_100g
        added = instance.added_magnesium_mg_per_100g
        if "magnesium_mg_per_100g" not in errors and "added_magnesium_mg_per_100g" not in errors:
            if added is None:
                instance.added_magnesium_mg_per_100g = added = 0.0
            if added_magnesium_above_total(added, magnesium):
                errors["added_magnesium_mg_per_100g"] = [ADDED_MAGNESIUM_ABOVE_TOTAL]
        if errors:
            raise ValidationError(errors)
