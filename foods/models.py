"""The food catalog: foods with nutrients per 100 g, their portions, and meals (recipes).

A nutrient that was not analysed is unknown (NULL), never zero, and shows as "—".
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from foods.buying import shopping_name_default
from foods.querysets import FoodQuerySet, MealQuerySet

NUTRIENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (field, label, unit); values are per 100 g of the food as sold or prepared.
    ("kcal_per_100g", "Energy", "kcal"),
    ("protein_g_per_100g", "Protein", "g"),
    ("fat_g_per_100g", "Fat", "g"),
    ("carbohydrate_g_per_100g", "Carbohydrate", "g"),
    ("fiber_g_per_100g", "Fiber", "g"),
    ("sugars_g_per_100g", "Sugars", "g"),
    ("sodium_mg_per_100g", "Sodium", "mg"),
    ("magnesium_mg_per_100g", "Magnesium", "mg"),
    ("calcium_mg_per_100g", "Calcium", "mg"),
    ("potassium_mg_per_100g", "Potassium", "mg"),
)


ADDED_MAGNESIUM_ABOVE_TOTAL = "Added magnesium cannot be more than the total magnesium."


def added_magnesium_above_total(added: float | None, total: float | None) -> bool:
    """Say whether added magnesium breaks the rule the database constraint also holds."""
    return bool(added) and (total is None or added > total)


class Allergen(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    usda_group_code = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class FoodKind(models.TextChoices):
    WHOLE = "whole", "Whole food"
    BRANDED = "branded", "Branded product"
    SUPPLEMENT = "supplement", "Supplement"


class SourceKind(models.TextChoices):
    SR28 = "sr28", "USDA SR28"
    FDC = "fdc", "USDA FoodData Central"
    LABEL = "label", "Product label"


def _nutrient_field(label: str, unit: str) -> models.FloatField:
    return models.FloatField(
        f"{label} ({unit}/100 g)", null=True, blank=True, validators=[MinValueValidator(0)]
    )


class Food(models.Model):
    name = models.CharField(max_length=200, db_index=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="foods")
    kind = models.CharField(max_length=12, choices=FoodKind.choices, default=FoodKind.WHOLE)
    brand = models.CharField(max_length=100, blank=True)
    # db_default: rows written by code older than these fields (a rolling deploy) still insert.
    shopping_name = models.CharField(
        max_length=80,
        blank=True,
        default="",
        db_default="",
        help_text='What to buy, in plain words ("Brown rice"); empty: derived from the name.',
    )
    keywords = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text='Other words a shopper searches for, e.g. "juice shot"; searched with the name.',
    )
    source_kind = models.CharField(
        max_length=8, choices=SourceKind.choices, default=SourceKind.LABEL
    )
    source_ref = models.CharField(
        "source id", max_length=20, blank=True, help_text="SR28 NDB number or FDC id."
    )
    kcal_per_100g = _nutrient_field("Energy", "kcal")
    protein_g_per_100g = _nutrient_field("Protein", "g")
    fat_g_per_100g = _nutrient_field("Fat", "g")
    carbohydrate_g_per_100g = _nutrient_field("Carbohydrate", "g")
    fiber_g_per_100g = _nutrient_field("Fiber", "g")
    sugars_g_per_100g = _nutrient_field("Sugars", "g")
    sodium_mg_per_100g = _nutrient_field("Sodium", "mg")
    magnesium_mg_per_100g = _nutrient_field("Magnesium", "mg")
    calcium_mg_per_100g = _nutrient_field("Calcium", "mg")
    potassium_mg_per_100g = _nutrient_field("Potassium", "mg")
    added_magnesium_mg_per_100g = models.FloatField(
        "Added magnesium (mg/100 g)",
        default=0,
        validators=[MinValueValidator(0)],
        help_text="Magnesium added by fortification or as a supplement; counts toward the "
        "350 mg/day upper limit.",
    )
    allergens = models.ManyToManyField(Allergen, blank=True, related_name="foods")
    may_contain = models.ManyToManyField(
        Allergen,
        blank=True,
        related_name="foods_may_contain",
        help_text="Traces a careful reader cannot rule out (shared mills, usual recipes); "
        "filtered as not safe.",
    )
    vegan = models.BooleanField(default=False)
    vegetarian = models.BooleanField(default=False)
    pescatarian = models.BooleanField(default=False)
    diets_reviewed = models.BooleanField(
        default=False, help_text="A curator checked the allergens and diets."
    )
    note = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FoodQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_ref"],
                condition=~Q(source_ref=""),
                name="food_unique_source",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
                    name=f"food_{field}_not_negative",
                )
                for field, _, _ in NUTRIENT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(added_magnesium_mg_per_100g__gte=0),
                name="food_added_magnesium_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(added_magnesium_mg_per_100g=0)
                | Q(added_magnesium_mg_per_100g__lte=models.F("magnesium_mg_per_100g")),
                name="food_added_magnesium_lte_magnesium",
                violation_error_message=ADDED_MAGNESIUM_ABOVE_TOTAL,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.brand})" if self.brand else self.name

    @property
    def shopping_label(self) -> str:
        """Return what a shopper looks for: the curated shopping name, else a plain name."""
        if self.shopping_name:
            return self.shopping_name
        if self.kind != FoodKind.WHOLE:
            # A label product's name may already hold its brand ("Vitaminis Immune Support").
            if self.brand and self.brand.lower() not in self.name.lower():
                return f"{self.brand} {self.name}"
            return self.name
        return shopping_name_default(self.name)

    @property
    def source_label(self) -> str:
        if self.source_kind == SourceKind.LABEL:
            return "Product label"
        return f"{self.get_source_kind_display()} #{self.source_ref}"

    def per_grams(self, field: str, grams: float) -> float | None:
        """Return a nutrient for an amount in grams, or None when unknown."""
        value = getattr(self, field)
        return None if value is None else value * grams / 100


class Portion(models.Model):
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="portions")
    name = models.CharField(max_length=120, help_text='For example "1 cup, raw" or "1 shot".')
    grams = models.FloatField(validators=[MinValueValidator(0.01)])
    is_default = models.BooleanField(default=False)
    seq = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["food", "seq", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0), name="portion_grams_positive"),
            models.UniqueConstraint(
                fields=["food"], condition=Q(is_default=True), name="portion_one_default_per_food"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.grams:g} g"


class Slot(models.TextChoices):
    BREAKFAST = "breakfast", "Breakfast"
    LUNCH = "lunch", "Lunch"
    DINNER = "dinner", "Dinner"
    SNACK = "snack", "Snack"


class Meal(models.Model):
    """A meal: curated for everyone (no owner) or a user's own recipe (owner set).

    A user's recipe is theirs alone: never in the catalog pages, the admin's shared list or
    another user's plan (see MealQuerySet.curated and visible_to).
    """

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recipes",
        help_text="Empty for the shared catalog; set for a user's own recipe.",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_url = models.URLField("source", max_length=500, blank=True, default="", db_default="")
    # Ingredient lines that could not be quantified ("salt to taste"), one a line: kept as
    # written and shown as "not counted"; they add nothing to the nutrition.
    not_counted = models.TextField(blank=True, default="", db_default="")
    # One food in one amount, added from the week's snack picker: the user's chosen snack,
    # listed apart from the recipes they wrote.
    single_food = models.BooleanField(
        default=False, db_default=False, help_text="One food added as a snack from the week."
    )
    fits_breakfast = models.BooleanField("breakfast", default=False)
    fits_lunch = models.BooleanField("lunch", default=False)
    fits_dinner = models.BooleanField("dinner", default=False)
    fits_snack = models.BooleanField("snack", default=False)
    servings = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    instructions = models.TextField(blank=True)
    prep_minutes = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MealQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(servings__gte=1), name="meal_servings_positive"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(owner__isnull=True), name="meal_curated_unique_name"
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(owner__isnull=False),
                name="meal_recipe_unique_name_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recipe(self) -> bool:
        """Say whether this is a user's own recipe rather than a curated meal."""
        return self.owner_id is not None

    @property
    def not_counted_lines(self) -> list[str]:
        return [line for line in self.not_counted.splitlines() if line.strip()]

    @property
    def slots(self) -> list[str]:
        return [slot for slot in Slot.values if getattr(self, f"fits_{slot}")]

    def fits(self, slot: str) -> bool:
        return bool(getattr(self, f"fits_{slot}", False))


class Ingredient(models.Model):
    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="ingredients")
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="ingredient_uses")
    grams = models.FloatField(
        validators=[MinValueValidator(0.01)], help_text="For the whole recipe (all servings)."
    )
    portion = models.ForeignKey(
        Portion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quantity = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.01)])
    # The line as the cook wrote or pasted it ("2 cups cooked brown rice"); empty for curated.
    text = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["meal", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(grams__gt=0), name="ingredient_grams_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.grams:g} g {self.food.name}"

    def save(self, *args, **kwargs) -> None:
        # A portion x quantity entry is stored in grams too, so sums never need the portion.
        if self.portion_id and self.quantity:
            self.grams = self.portion.grams * self.quantity
        super().save(*args, **kwargs)
