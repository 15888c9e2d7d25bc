import factory

from foods.models import Category, Food, Ingredient, Meal, Portion


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Vegetables and Vegetable Products"


class FoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Food
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Food {n}")
    category = factory.SubFactory(CategoryFactory)
    source_kind = "sr28"
    source_ref = factory.Sequence(lambda n: f"9{n:04d}")
    kcal_per_100g = 100.0
    protein_g_per_100g = 5.0
    fat_g_per_100g = 2.0
    carbohydrate_g_per_100g = 15.0
    sodium_mg_per_100g = 50.0
    magnesium_mg_per_100g = 40.0
    vegan = True
    vegetarian = True
    pescatarian = True

    @factory.post_generation
    def allergen_codes(self, create, extracted, **kwargs):
        if create and extracted:
            from foods.models import Allergen

            self.allergens.set(Allergen.objects.filter(code__in=extracted))


class PortionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portion

    food = factory.SubFactory(FoodFactory)
    name = "1 cup"
    grams = 30.0
    is_default = True


class MealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meal

    name = factory.Sequence(lambda n: f"Meal {n}")
    fits_lunch = True
    fits_dinner = True
    servings = 1


class IngredientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ingredient

    meal = factory.SubFactory(MealFactory)
    food = factory.SubFactory(FoodFactory)
    grams = 100.0


def meal_with(
    *, grams: float = 100.0, slots=("lunch", "dinner"), servings: int = 1, name=None, **food
):
    """Make a one-ingredient meal (and its food, same name) with the given per-100 g values."""
    fits = {f"fits_{slot}": slot in slots for slot in ("breakfast", "lunch", "dinner", "snack")}
    names = {"name": name} if name else {}
    meal = MealFactory(servings=servings, **fits, **names)
    IngredientFactory(meal=meal, food=FoodFactory(**food, **names), grams=grams)
    return meal
