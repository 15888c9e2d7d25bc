"""Filter vocabulary for foods and meals, as chainable QuerySet methods."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast

from accounts.models import PlanFrom

DIETS = ("vegan", "vegetarian", "pescatarian")
NUT_ALLERGENS = ("tree_nuts", "peanuts")
# USDA SR28 groups a grocery shopper does not buy from; left out of the catalog's default
# view and best sources (a filter brings them back): Baby Foods, Fast Foods, Restaurant
# Foods, American Indian/Alaska Native Foods.
NON_SHOPPER_GROUPS = ("0300", "2100", "3600", "3500")

# Nutrients summed for a meal, per serving: (annotation name, Food field).
MEAL_NUTRIENTS: tuple[tuple[str, str], ...] = (
    ("kcal", "kcal_per_100g"),
    ("protein_g", "protein_g_per_100g"),
    ("fat_g", "fat_g_per_100g"),
    ("carbohydrate_g", "carbohydrate_g_per_100g"),
    ("fiber_g", "fiber_g_per_100g"),
    ("sugars_g", "sugars_g_per_100g"),
    ("sodium_mg", "sodium_mg_per_100g"),
    ("magnesium_mg", "magnesium_mg_per_100g"),
    ("added_magnesium_mg", "added_magnesium_mg_per_100g"),
    ("calcium_mg", "calcium_mg_per_100g"),
    ("potassium_mg", "potassium_mg_per_100g"),
)


class FoodQuerySet(models.QuerySet):
    def active(self) -> FoodQuerySet:
        return self.filter(is_active=True)

    def for_diet(self, diet: str | None) -> FoodQuerySet:
        """Keep foods that suit a diet; omnivore (or nothing) keeps everything."""
        if diet in DIETS:
            return self.filter(**{diet: True})
        return self

    def without_allergens(self, codes: Iterable[str]) -> FoodQuerySet:
        """Leave out foods that contain, or may contain, any of the allergens."""
        codes = list(codes)
        if not codes:
            return self
        return self.exclude(allergens__code__in=codes).exclude(may_contain__code__in=codes)

    def search(self, text: str) -> FoodQuerySet:
        """Match every word of the text in the name, brand or search keywords."""
        queryset = self
        for word in text.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(brand__icontains=word) | Q(keywords__icontains=word)
            )
        return queryset

    def for_shoppers(self) -> FoodQuerySet:
        """Leave out the groups a grocery shopper does not buy from (baby foods and such)."""
        return self.exclude(category__usda_group_code__in=NON_SHOPPER_GROUPS)

    def magnesium_known(self) -> FoodQuerySet:
        return self.filter(magnesium_mg_per_100g__isnull=False)


class MealQuerySet(models.QuerySet):
    def active(self) -> MealQuerySet:
        return self.filter(is_active=True)

    def curated(self) -> MealQuerySet:
        """Keep the shared catalog's meals (no owner): what catalog pages and the admin list."""
        return self.filter(owner__isnull=True)

    def owned_by(self, user) -> MealQuerySet:
        """Keep one user's own recipes."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def visible_to(self, user) -> MealQuerySet:
        """Keep what a user may plan: the curated meals and their own recipes, nobody else's."""
        if not user.is_authenticated:
            return self.curated()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def for_plan_from(self, user, plan_from: str) -> MealQuerySet:
        """Keep the meals a profile's "Plan from" setting lets Suggest use."""
        if plan_from == PlanFrom.MINE:
            return self.owned_by(user)
        if plan_from == PlanFrom.CATALOG:
            return self.curated()
        return self.visible_to(user)

    def for_slot(self, slot: str) -> MealQuerySet:
        return self.filter(**{f"fits_{slot}": True})

    def for_diet(self, diet: str | None) -> MealQuerySet:
        """Keep meals whose every ingredient suits the diet."""
        if diet in DIETS:
            unsuitable = Q(ingredients__food__isnull=False) & Q(
                **{f"ingredients__food__{diet}": False}
            )
            return self.exclude(unsuitable)
        return self

    def without_allergens(self, codes: Iterable[str]) -> MealQuerySet:
        """Leave out meals with an ingredient that contains, or may contain, an allergen."""
        codes = list(codes)
        if not codes:
            return self
        return self.exclude(ingredients__food__allergens__code__in=codes).exclude(
            ingredients__food__may_contain__code__in=codes
        )

    def search(self, text: str) -> MealQuerySet:
        """Match every word in the meal's name or an ingredient's search keywords."""
        from foods.models import Ingredient

        queryset = self
        for word in text.split()[:8]:
            tagged = Ingredient.objects.filter(meal=OuterRef("pk"), food__keywords__icontains=word)
            queryset = queryset.filter(Q(name__icontains=word) | Exists(tagged))
        return queryset

    def with_nutrition(self) -> MealQuerySet:
        """Annotate nutrition per serving from the ingredients, in the same query.

        A sum skips unknown values; the `unknown_*_count` annotations say how many
        ingredients were skipped for each nutrient a rule uses. `product_count` counts
        ingredients that are branded products or supplements (planned in whole units).
        """
        from foods.models import FoodKind

        servings = Cast("servings", FloatField())
        annotations = {
            name: Sum(
                F("ingredients__grams") * F(f"ingredients__food__{field}") / 100.0,
                output_field=FloatField(),
            )
            / servings
            for name, field in MEAL_NUTRIENTS
        }
        return self.annotate(
            **annotations,
            ingredient_count=Count("ingredients"),
            unknown_magnesium_count=Count(
                "ingredients", filter=Q(ingredients__food__magnesium_mg_per_100g__isnull=True)
            ),
            unknown_kcal_count=Count(
                "ingredients", filter=Q(ingredients__food__kcal_per_100g__isnull=True)
            ),
            unknown_carbohydrate_count=Count(
                "ingredients",
                filter=Q(ingredients__food__carbohydrate_g_per_100g__isnull=True),
            ),
            unknown_sodium_count=Count(
                "ingredients", filter=Q(ingredients__food__sodium_mg_per_100g__isnull=True)
            ),
            product_count=Count("ingredients", filter=~Q(ingredients__food__kind=FoodKind.WHOLE)),
        )

    def with_diet_flags(self) -> MealQuerySet:
        """Annotate whether the meal suits each diet and whether it holds nuts."""
        from foods.models import Ingredient

        ingredients = Ingredient.objects.filter(meal=OuterRef("pk"))
        flags = {
            f"suits_{diet}": ~Exists(ingredients.filter(**{f"food__{diet}": False}))
            for diet in DIETS
        }
        flags["has_nuts"] = Exists(ingredients.filter(food__allergens__code__in=NUT_ALLERGENS))
        return self.annotate(**flags)
