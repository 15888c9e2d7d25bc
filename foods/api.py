"""The catalog and the user's own recipes in the REST API (/api/v1/foods/, meals/, recipes/).

Views stay thin: the selectors filter and the recipe service checks and saves, exactly as
for the pages. A nutrient that is unknown is null, never 0; a meal's sum over ingredients
with some unknown values is "at least" (its unknown_*_ingredients count says how many).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets

from accounts.api_errors import StrictSerializer
from accounts.models import Allergen
from foods import recipe_services as rules
from foods.models import NUTRIENT_FIELDS, Category, Food, FoodKind, Meal, Portion, Slot
from foods.querysets import DIETS, MEAL_NUTRIENTS
from foods.recipe_selectors import own_recipe_queryset
from foods.selectors import food_detail_queryset, food_search, meal_search

SORTS = ("mg_serving", "mg_100g", "mg_100kcal")
MAX_QUERY_CHARS = 200
MAX_ID = 2**31 - 1  # ids above this are no row's on any database, and overflow SQLite
ID_PATTERN = r"[0-9]{1,10}"
NUTRIENT_NAMES = [field.removesuffix("_per_100g") for field, _, _ in NUTRIENT_FIELDS]


# --- Query filters (bad values are a 400, as on the pages they fall back) -----------------


class _AvoidField(serializers.CharField):
    """Allergen codes, comma-separated: "milk,peanuts"."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        codes = [code.strip() for code in text.split(",") if code.strip()]
        unknown = [code for code in codes if code not in Allergen.values]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown allergen {unknown[0]!r}; choose from {', '.join(Allergen.values)}."
            )
        return codes


class FoodFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_CHARS)
    category = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    diet = serializers.ChoiceField(choices=DIETS, required=False)
    avoid = _AvoidField(required=False, allow_blank=True, max_length=500)
    kind = serializers.ChoiceField(choices=FoodKind.values, required=False)
    all_groups = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="mg_serving")

    def validate_category(self, value):
        category = Category.objects.filter(pk=value).first()
        if category is None:
            raise serializers.ValidationError("No category with that id.")
        return category


class MealFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_CHARS)
    slot = serializers.ChoiceField(choices=Slot.values, required=False)
    diet = serializers.ChoiceField(choices=DIETS, required=False)
    avoid = _AvoidField(required=False, allow_blank=True, max_length=500)
    nut_free = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=("mg_serving", "mg_100kcal"), required=False)


def _filters(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if "q" in data:
        data["text"] = data.pop("q")
    return data


# --- Foods -------------------------------------------------------------------------------


class PortionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Portion
        fields = ["id", "name", "grams", "is_default"]


class FoodListSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    magnesium_mg_per_serving = serializers.FloatField(allow_null=True, read_only=True)
    serving_g = serializers.FloatField(read_only=True)
    magnesium_mg_per_100kcal = serializers.FloatField(allow_null=True, read_only=True)

    class Meta:
        model = Food
        fields = [
            "id",
            "name",
            "brand",
            "category",
            "kind",
            "magnesium_mg_per_100g",
            "added_magnesium_mg_per_100g",
            "kcal_per_100g",
            "serving_g",
            "magnesium_mg_per_serving",
            "magnesium_mg_per_100kcal",
            "vegan",
            "vegetarian",
            "pescatarian",
        ]


class PortionNutrientsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    grams = serializers.FloatField()
    is_default = serializers.BooleanField()
    nutrients = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Each nutrient in this portion; null is unknown.",
    )


class FoodDetailSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    per_100g = serializers.SerializerMethodField(
        help_text="Each nutrient per 100 g (kcal, g or mg as the name says); null is unknown."
    )
    portions = serializers.SerializerMethodField()
    allergens = serializers.SerializerMethodField()
    may_contain = serializers.SerializerMethodField()

    class Meta:
        model = Food
        fields = [
            "id",
            "name",
            "brand",
            "category",
            "kind",
            "source_label",
            "per_100g",
            "added_magnesium_mg_per_100g",
            "portions",
            "allergens",
            "may_contain",
            "vegan",
            "vegetarian",
            "pescatarian",
            "diets_reviewed",
            "note",
        ]

    def get_per_100g(self, food) -> dict[str, float | None]:
        return {name: getattr(food, f"{name}_per_100g") for name in NUTRIENT_NAMES}

    @extend_schema_field(PortionNutrientsSerializer(many=True))
    def get_portions(self, food) -> list[dict]:
        return [
            {
                "id": portion.pk,
                "name": portion.name,
                "grams": portion.grams,
                "is_default": portion.is_default,
                "nutrients": {
                    name: food.per_grams(f"{name}_per_100g", portion.grams)
                    for name in NUTRIENT_NAMES
                },
            }
            for portion in food.portions.all()
        ]

    def get_allergens(self, food) -> list[str]:
        return [allergen.code for allergen in food.allergens.all()]

    def get_may_contain(self, food) -> list[str]:
        return [allergen.code for allergen in food.may_contain.all()]


@extend_schema(tags=["catalog"])
class FoodViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalog's foods: search and filter as on the catalog page; details per 100 g."""

    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return food_detail_queryset()

    def get_serializer_class(self):
        return FoodListSerializer if self.action == "list" else FoodDetailSerializer

    @extend_schema(parameters=[FoodFilterSerializer])
    def list(self, request, *args, **kwargs):
        foods = food_search(**_filters(FoodFilterSerializer, request))
        page = self.paginate_queryset(foods)
        return self.get_paginated_response(FoodListSerializer(page, many=True).data)


# --- Curated meals -----------------------------------------------------------------------


class MealNutritionMixin(serializers.Serializer):
    """Nutrition per serving summed over the ingredients; null when none is known."""

    per_serving = serializers.SerializerMethodField(
        help_text="Each nutrient per serving; null is unknown; a value with unknown "
        "ingredients (see unknown_magnesium_ingredients) is at least that much."
    )
    unknown_magnesium_ingredients = serializers.IntegerField(
        source="unknown_magnesium_count", read_only=True
    )
    unknown_kcal_ingredients = serializers.IntegerField(source="unknown_kcal_count", read_only=True)
    slots = serializers.ListField(
        child=serializers.ChoiceField(choices=Slot.values), read_only=True
    )

    def get_per_serving(self, meal) -> dict[str, float | None]:
        return {name: getattr(meal, name, None) for name, _ in MEAL_NUTRIENTS}


class IngredientOutSerializer(serializers.Serializer):
    food = serializers.IntegerField(source="food_id")
    food_name = serializers.CharField(source="food.name")
    grams = serializers.FloatField(help_text="For the whole recipe (all servings).")
    text = serializers.CharField()


class MealListSerializer(MealNutritionMixin, serializers.ModelSerializer):
    class Meta:
        model = Meal
        fields = [
            "id",
            "name",
            "slots",
            "servings",
            "prep_minutes",
            "per_serving",
            "unknown_magnesium_ingredients",
            "unknown_kcal_ingredients",
        ]


class MealDetailSerializer(MealListSerializer):
    ingredients = IngredientOutSerializer(many=True, read_only=True)

    class Meta(MealListSerializer.Meta):
        fields = [*MealListSerializer.Meta.fields, "instructions", "ingredients"]


@extend_schema(tags=["catalog"])
class MealViewSet(viewsets.ReadOnlyModelViewSet):
    """The curated meals (never anyone's own recipe): search, filter by slot and diet."""

    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return (
            Meal.objects.active()
            .curated()
            .with_nutrition()
            .prefetch_related("ingredients__food")
            .order_by("name")
        )

    def get_serializer_class(self):
        return MealListSerializer if self.action == "list" else MealDetailSerializer

    @extend_schema(parameters=[MealFilterSerializer])
    def list(self, request, *args, **kwargs):
        filters = _filters(MealFilterSerializer, request)
        meals = meal_search(**{"sort": "mg_serving", **{k: v for k, v in filters.items() if v}})
        page = self.paginate_queryset(meals)
        return self.get_paginated_response(MealListSerializer(page, many=True).data)


# --- The user's own recipes --------------------------------------------------------------


class IngredientInSerializer(StrictSerializer):
    food = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="An active catalog food's id."
    )
    grams = serializers.FloatField(
        min_value=0.01, max_value=rules.MAX_LINE_GRAMS, help_text="For the whole recipe."
    )
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=rules.MAX_LINE_CHARS, default=""
    )
    food_name = serializers.CharField(read_only=True)

    def to_representation(self, ingredient):
        return IngredientOutSerializer(ingredient).data


class RecipeSerializer(StrictSerializer, MealNutritionMixin, serializers.ModelSerializer):
    """A recipe in and out; writing goes through recipe_save, with the pages' limits."""

    slots = serializers.ListField(
        child=serializers.ChoiceField(choices=Slot.values), min_length=1, max_length=4
    )
    servings = serializers.IntegerField(min_value=1, max_value=rules.MAX_SERVINGS)
    name = serializers.CharField(max_length=rules.MAX_NAME_CHARS)
    instructions = serializers.CharField(
        required=False, allow_blank=True, max_length=rules.MAX_INSTRUCTIONS_CHARS, default=""
    )
    not_counted = serializers.ListField(
        child=serializers.CharField(max_length=rules.MAX_LINE_CHARS, allow_blank=True),
        max_length=rules.MAX_LINES,
        required=False,
        default=list,
        help_text='Lines not counted in the nutrition ("salt to taste").',
    )
    source_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    ingredients = IngredientInSerializer(many=True, max_length=rules.MAX_LINES, min_length=1)

    class Meta:
        model = Meal
        fields = [
            "id",
            "name",
            "slots",
            "servings",
            "instructions",
            "not_counted",
            "source_url",
            "ingredients",
            "per_serving",
            "unknown_magnesium_ingredients",
            "unknown_kcal_ingredients",
        ]

    def to_representation(self, meal):
        data = super().to_representation(meal)
        data["not_counted"] = meal.not_counted_lines
        return data

    def validate_ingredients(self, lines):
        foods = Food.objects.active().in_bulk({line["food"] for line in lines})
        missing = sorted({line["food"] for line in lines} - set(foods))
        if missing:
            raise serializers.ValidationError(f"No active catalog food with id {missing[0]}.")
        return [
            rules.RecipeLine(food=foods[line["food"]], grams=line["grams"], text=line["text"])
            for line in lines
        ]

    def _save(self, instance):
        data = self.validated_data
        recipe = rules.RecipeData(
            name=data["name"],
            slots=data["slots"],
            servings=data["servings"],
            lines=data["ingredients"],
            instructions=data.get("instructions", ""),
            not_counted=data.get("not_counted", []),
            source_url=data.get("source_url", ""),
        )
        try:
            meal = rules.recipe_save(
                owner=self.context["request"].user, data=recipe, instance=instance
            )
        except rules.RecipeError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        return own_recipe_queryset(user=meal.owner).with_nutrition().get(pk=meal.pk)

    def create(self, validated_data):
        return self._save(None)

    def update(self, instance, validated_data):
        return self._save(instance)


@extend_schema(tags=["recipes"])
class RecipeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The user's own recipes; another user's recipe is a 404. PUT replaces a recipe whole.

    DELETE is added by mealplan.api.RecipeViewSet: deleting a planned recipe takes its weeks'
    locks, which live in mealplan (foods never imports mealplan)."""

    lookup_value_regex = ID_PATTERN

    serializer_class = RecipeSerializer
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return (
            own_recipe_queryset(user=self.request.user)
            .with_nutrition()
            .prefetch_related("ingredients__food")
            .order_by("name", "pk")
        )

    def get_object(self):
        pk = int(self.kwargs["pk"])
        if pk > MAX_ID:
            raise Http404
        return get_object_or_404(self.get_queryset(), pk=pk)
