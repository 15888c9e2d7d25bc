"""Admin for curating the catalog: foods (with label entry and CSV), portions, meals."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportModelAdmin

from foods.models import (
    ADDED_MAGNESIUM_ABOVE_TOTAL,
    NUTRIENT_FIELDS,
    Allergen,
    Category,
    Food,
    Ingredient,
    Meal,
    Portion,
    Slot,
    added_magnesium_above_total,
)
from foods.resources import FoodResource, SpreadsheetSafeCSV

# Label entry: a per-serving form field for each per-100 g field.
SERVING_FIELDS = {
    field.removesuffix("_per_100g") + "_per_serving": (field, label, unit)
    for field, label, unit in (
        *NUTRIENT_FIELDS,
        ("added_magnesium_mg_per_100g", "Added magnesium", "mg"),
    )
}
DIETS = ("vegan", "vegetarian", "pescatarian")


def _number(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:.0f}{unit}" if value >= 10 else f"{value:.1f}{unit}"


# Per-serving fields of a product label, one per SERVING_FIELDS entry, declared on a form class.
LabelEntryFields = type(
    "LabelEntryFields",
    (forms.Form,),
    {
        name: forms.FloatField(label=f"{label} ({unit}/serving)", required=False, min_value=0)
        for name, (_, label, unit) in SERVING_FIELDS.items()
    },
)


class FoodAdminForm(LabelEntryFields, forms.ModelForm):
    """The food form, plus label entry: values per serving, stored per 100 g."""

    serving_name = forms.CharField(
        max_length=120, required=False, help_text='For example "1 shot" (default "1 serving").'
    )
    serving_grams = forms.FloatField(
        label="Serving size (g)", required=False, min_value=0.01, help_text="From the label."
    )

    class Meta:
        model = Food
        fields = (
            "name", "brand", "shopping_name", "keywords", "category", "kind", "is_active",
            "note", "source_kind", "source_ref", *(field for field, _, _ in NUTRIENT_FIELDS),
            "added_magnesium_mg_per_100g", "allergens", "may_contain", "vegan", "vegetarian",
            "pescatarian", "diets_reviewed",
        )  # fmt: skip
        widgets = {
            "allergens": forms.CheckboxSelectMultiple,
            "may_contain": forms.CheckboxSelectMultiple,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        grams = cleaned.get("serving_grams")
        given = {name: cleaned[name] for name in SERVING_FIELDS if cleaned.get(name) is not None}
        if given and not grams and "serving_grams" not in self.errors:
            self.add_error("serving_grams", "Give the serving size to enter values per serving.")
            return cleaned
        for name, value in given.items():
            field = SERVING_FIELDS[name][0]
            if field in self.changed_data and cleaned.get(field) is not None:
                self.add_error(name, "Give this value per 100 g or per serving, not both.")
                continue
            cleaned[field] = value * 100 / grams
        self._added_magnesium_check(cleaned)
        return cleaned

    def _added_magnesium_check(self, cleaned: dict) -> None:
        # Said here in words; the database constraint behind it would only give its name.
        added = cleaned.get("added_magnesium_mg_per_100g") or 0
        total = cleaned.get("magnesium_mg_per_100g")
        if added_magnesium_above_total(added, total):
            by_label = cleaned.get("added_magnesium_mg_per_serving") is not None
            field = "added_magnesium_mg_per_serving" if by_label else "added_magnesium_mg_per_100g"
            known = "unknown" if total is None else f"{total:g} mg/100 g"
            self.add_error(
                field, f"{ADDED_MAGNESIUM_ABOVE_TOTAL} Added: {added:g} mg/100 g; total: {known}."
            )


class PortionInline(admin.TabularInline):
    model = Portion
    fields = ("name", "grams", "is_default", "seq")
    extra = 0


class MagnesiumUnknownFilter(admin.SimpleListFilter):
    title = "magnesium"
    parameter_name = "magnesium"

    def lookups(self, request, model_admin):
        return [("unknown", "Unknown"), ("known", "Known")]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(magnesium_mg_per_100g__isnull=True)
        if self.value() == "known":
            return queryset.filter(magnesium_mg_per_100g__isnull=False)
        return queryset


class DietFilter(admin.SimpleListFilter):
    title = "diet"
    parameter_name = "diet"

    def lookups(self, request, model_admin):
        return [(diet, diet.capitalize()) for diet in DIETS]

    def queryset(self, request, queryset):
        return queryset.for_diet(self.value()) if self.value() in DIETS else queryset


@admin.register(Food)
class FoodAdmin(ImportExportModelAdmin):
    form = FoodAdminForm
    resource_classes = [FoodResource]
    import_formats = [SpreadsheetSafeCSV]
    export_formats = [SpreadsheetSafeCSV]
    list_display = (
        "name",
        "category",
        "kind",
        "magnesium_per_100g",
        "magnesium_per_default_portion",
        "kcal_per_100g",
        "source",
        "is_active",
    )
    list_select_related = ("category",)
    list_filter = (
        "category",
        "kind",
        ("allergens", admin.RelatedOnlyFieldListFilter),
        DietFilter,
        "is_active",
        MagnesiumUnknownFilter,
        "diets_reviewed",
        "source_kind",
    )
    search_fields = ("name", "brand", "=source_ref")
    list_per_page = 50
    inlines = [PortionInline]
    actions = ["activate", "deactivate"]
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "brand",
                    "shopping_name",
                    "keywords",
                    "category",
                    "kind",
                    "is_active",
                    "note",
                )
            },
        ),
        ("Source", {"fields": ("source_kind", "source_ref")}),
        (
            "Nutrients per 100 g",
            {
                "description": "Leave a value empty when it is unknown: unknown is not zero.",
                "fields": (
                    *(field for field, _, _ in NUTRIENT_FIELDS),
                    "added_magnesium_mg_per_100g",
                ),
            },
        ),
        (
            "Label entry: values per serving",
            {
                "description": "Or copy a product label: the serving size and its values per "
                "serving, stored per 100 g. Values left empty stay unknown. A portion for the "
                "serving is added if the food has none of that size.",
                "fields": ("serving_name", "serving_grams", *SERVING_FIELDS),
            },
        ),
        (
            "Allergens and diets",
            {
                "fields": (
                    "allergens",
                    "may_contain",
                    "vegan",
                    "vegetarian",
                    "pescatarian",
                    "diets_reviewed",
                )
            },
        ),
        ("History", {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Food]:
        default = Portion.objects.filter(food=OuterRef("pk"), is_default=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                default_portion_name=Subquery(default.values("name")[:1]),
                default_portion_grams=Subquery(default.values("grams")[:1]),
            )
        )

    def get_export_queryset(self, request: HttpRequest) -> QuerySet[Food]:
        return super().get_export_queryset(request).prefetch_related("allergens", "may_contain")

    @admin.display(description="Mg /100 g", ordering="magnesium_mg_per_100g")
    def magnesium_per_100g(self, food: Food) -> str:
        return _number(food.magnesium_mg_per_100g, " mg")

    @admin.display(description="Mg per default portion")
    def magnesium_per_default_portion(self, food: Food) -> str:
        if food.default_portion_grams is None:
            return "—"
        magnesium = food.per_grams("magnesium_mg_per_100g", food.default_portion_grams)
        return f"{_number(magnesium, ' mg')} in {food.default_portion_name}"

    @admin.display(description="Source", ordering="source_ref")
    def source(self, food: Food) -> str:
        return food.source_label

    @admin.action(description="Activate selected foods", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Food]) -> None:
        # update() skips auto_now: set updated_at so the recipe matcher sees the change.
        count = queryset.update(is_active=True, updated_at=timezone.now())
        self.message_user(request, f"{count} foods activated.", messages.SUCCESS)

    @admin.action(description="Deactivate selected foods", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Food]) -> None:
        count = queryset.update(is_active=False, updated_at=timezone.now())
        self.message_user(request, f"{count} foods deactivated.", messages.SUCCESS)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # After the inline portions are saved, so a serving typed there too is not doubled.
        grams = form.cleaned_data.get("serving_grams")
        food = form.instance
        if grams and not food.portions.filter(grams=grams).exists():
            Portion.objects.create(
                food=food,
                name=form.cleaned_data.get("serving_name") or "1 serving",
                grams=grams,
                is_default=not food.portions.filter(is_default=True).exists(),
            )

    def process_result(self, result, request):
        # A confirmed import that turned out invalid saved nothing: say so, not "finished".
        if result.has_errors() or result.has_validation_errors():
            self.message_user(request, "The file has errors; nothing was imported.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:foods_food_import"))
        return super().process_result(result, request)


def portion_label(portion: Portion) -> str:
    return f"{portion.food.name}: {portion.name} ({portion.grams:g} g)"


class IngredientForm(forms.ModelForm):
    """An ingredient in grams, or as a portion of its food times a quantity."""

    class Meta:
        model = Ingredient
        fields = ("food", "grams", "portion", "quantity")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grams"].required = False
        self.fields["grams"].help_text = "Or leave empty and give a portion and a quantity."
        # Offer only the chosen food's portions (not all 15,438), each named with its food.
        # A submitted portion stays a valid choice so clean() can say whose portion it is.
        portion = self.fields["portion"]
        food_id = self._value("food") or self.instance.food_id
        chosen = self._value("portion")
        allowed = Q(food_id=food_id) if food_id else Q(pk__in=[])
        portion.queryset = Portion.objects.filter(allowed | Q(pk=chosen) if chosen else allowed)
        portion.queryset = portion.queryset.select_related("food")
        portion.label_from_instance = portion_label
        portion.help_text = "One of the food's portions; save a new food first to see them."

    def _value(self, name: str) -> int | None:
        """Return a submitted id, or None when absent or not a number."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else None
        return int(value) if value and str(value).isdigit() else None

    def clean(self):
        cleaned = super().clean()
        food, portion = cleaned.get("food"), cleaned.get("portion")
        grams, quantity = cleaned.get("grams"), cleaned.get("quantity")
        if portion is not None and food is not None and portion.food_id != food.pk:
            self.add_error("portion", f"This portion belongs to {portion.food}, not to {food}.")
        elif (portion is None) != (quantity is None):
            self.add_error("quantity", "Give a portion and a quantity together.")
        elif portion is not None:
            cleaned["grams"] = portion.grams * quantity
        elif grams is None:
            self.add_error("grams", "Give the grams, or a portion and a quantity.")
        return cleaned


class IngredientInline(admin.TabularInline):
    model = Ingredient
    form = IngredientForm
    fields = ("food", "grams", "portion", "quantity")
    autocomplete_fields = ["food"]
    extra = 1


@admin.register(Portion)
class PortionAdmin(admin.ModelAdmin):
    list_display = ("name", "food", "grams", "is_default")
    list_select_related = ("food",)
    search_fields = ("name", "food__name")
    autocomplete_fields = ["food"]


class SlotFilter(admin.SimpleListFilter):
    title = "slot"
    parameter_name = "slot"

    def lookups(self, request, model_admin):
        return Slot.choices

    def queryset(self, request, queryset):
        return queryset.for_slot(self.value()) if self.value() in Slot.values else queryset


@admin.register(Meal)
class MealAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slot_list",
        "servings",
        "magnesium_per_serving",
        "kcal_per_serving",
        "is_active",
    )
    list_filter = (SlotFilter, "is_active")
    search_fields = ("name",)
    inlines = [IngredientInline]
    readonly_fields = ("nutrition_per_serving",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("fits_breakfast", "fits_lunch", "fits_dinner", "fits_snack"),
                    "servings",
                    "prep_minutes",
                    "instructions",
                    "is_active",
                )
            },
        ),
        ("Nutrition per serving", {"fields": ("nutrition_per_serving",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meal]:
        # Curators keep the shared catalog here; users' own recipes are private to them.
        return super().get_queryset(request).curated().with_nutrition()

    @admin.display(description="Slots")
    def slot_list(self, meal: Meal) -> str:
        return ", ".join(meal.slots)

    @admin.display(description="Mg /serving", ordering="magnesium_mg")
    def magnesium_per_serving(self, meal: Meal) -> str:
        text = _number(meal.magnesium_mg, " mg")
        return f"{text} (incomplete)" if meal.unknown_magnesium_count else text

    @admin.display(description="kcal /serving", ordering="kcal")
    def kcal_per_serving(self, meal: Meal) -> str:
        return _number(meal.kcal)

    @admin.display(description="Per serving")
    def nutrition_per_serving(self, meal: Meal) -> str:
        if meal.pk is None:
            return "Save the meal to see its nutrition."
        meal = Meal.objects.with_nutrition().get(pk=meal.pk)
        rows = [
            ("Magnesium", _number(meal.magnesium_mg, " mg")),
            ("Added magnesium", _number(meal.added_magnesium_mg, " mg")),
            ("Energy", _number(meal.kcal, " kcal")),
            ("Protein", _number(meal.protein_g, " g")),
            ("Fat", _number(meal.fat_g, " g")),
            ("Carbohydrate", _number(meal.carbohydrate_g, " g")),
        ]
        table = format_html(
            '<table class="meal-nutrition"><tbody>{}</tbody></table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )
        if not meal.unknown_magnesium_count:
            return table
        unknown = Ingredient.objects.filter(
            meal=meal, food__magnesium_mg_per_100g__isnull=True
        ).values_list("food__name", flat=True)
        return format_html(
            '<p class="errornote">Warning: magnesium is unknown for {}; the magnesium shown '
            "leaves them out and is too low.</p>{}",
            ", ".join(unknown),
            table,
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "usda_group_code", "food_count")
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(food_count=models.Count("foods"))

    @admin.display(description="Foods", ordering="food_count")
    def food_count(self, category: Category) -> int:
        return category.food_count


@admin.register(Allergen)
class AllergenAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
