import pytest

from foods.importers.inference import infer

VEGAN = (True, True, True)
VEGETARIAN = (False, True, True)
PESCATARIAN = (False, False, True)
NONE = (False, False, False)


@pytest.mark.parametrize(
    ("group", "name", "allergens", "diets"),
    [
        ("1500", "Fish, salmon, Atlantic, wild, raw", {"fish"}, PESCATARIAN),
        ("1500", "Crustaceans, shrimp, mixed species, raw", {"shellfish"}, PESCATARIAN),
        ("1500", "Mollusks, oyster, eastern, wild, raw", {"shellfish"}, PESCATARIAN),
        ("1500", "Mollusks, squid, mixed species, raw", {"shellfish"}, PESCATARIAN),
        ("0100", "Milk, whole, 3.25% milkfat", {"milk"}, VEGETARIAN),
        ("0100", "Cheese, cheddar", {"milk"}, VEGETARIAN),
        ("0100", "Egg, whole, raw, fresh", {"egg"}, VEGETARIAN),
        ("0100", "Eggnog", {"milk", "egg"}, VEGETARIAN),
        ("1200", "Nuts, almonds", {"tree_nuts"}, VEGAN),
        ("1200", "Nuts, cashew nuts, raw", {"tree_nuts"}, VEGAN),
        ("1200", "Seeds, sesame seeds, whole, dried", {"sesame"}, VEGAN),
        ("1200", "Seeds, pumpkin and squash seed kernels, dried", set(), VEGAN),
        ("1200", "Nuts, coconut milk, raw", set(), VEGAN),
        ("1600", "Peanuts, all types, raw", {"peanuts"}, VEGAN),
        ("1600", "Peanut butter, smooth style, with salt", {"peanuts"}, VEGAN),
        ("1600", "Tofu, raw, firm, prepared with calcium sulfate", {"soy"}, VEGAN),
        ("1600", "Soybeans, green, raw", {"soy"}, VEGAN),
        ("1600", "Beans, black, mature seeds, cooked", set(), VEGAN),
        ("1100", "Spinach, raw", set(), VEGAN),
        ("1100", "Edamame, frozen, prepared", {"soy"}, VEGAN),
        ("0900", "Bananas, raw", set(), VEGAN),
        ("2000", "Bulgur, cooked", {"wheat"}, VEGAN),
        ("2000", "Buckwheat groats, roasted, cooked", set(), VEGAN),
        ("2000", "Rice, brown, long-grain, cooked", set(), VEGAN),
        ("2000", "Pasta, cooked, enriched", {"wheat"}, VEGAN),
        ("2000", "Noodles, egg, cooked, enriched", {"wheat", "egg"}, VEGETARIAN),
        ("1300", "Beef, ground, 85% lean meat / 15% fat, raw", set(), NONE),
        ("1000", "Pork, fresh, loin, raw", set(), NONE),
        ("0500", "Chicken, broilers or fryers, breast, raw", set(), NONE),
        ("1700", "Lamb, ground, raw", set(), NONE),
        ("0700", "Sausage, pork, fresh, cooked", set(), NONE),
    ],
)
def test_infer_where_the_group_makes_it_plain(group, name, allergens, diets):
    inference = infer(group, name)

    assert set(inference.allergens) == allergens
    assert (inference.vegan, inference.vegetarian, inference.pescatarian) == diets


@pytest.mark.parametrize(
    ("group", "name"),
    [
        ("1400", "Beverages, V8 SPLASH Smoothies, Peach Mango"),
        ("1800", "Bread, whole-wheat, commercially prepared"),
        ("2200", "Lasagna with meat sauce, frozen"),
        # A plant group, but the name speaks of meat: curators decide.
        ("1600", "Beans, baked, canned, with pork"),
        ("1600", "Bacon, meatless"),
    ],
)
def test_leave_unclear_foods_to_curators(group, name):
    inference = infer(group, name)

    assert (inference.vegan, inference.vegetarian, inference.pescatarian) == NONE


def test_plant_food_with_milk_in_the_name_is_vegetarian_with_milk():
    inference = infer("1100", "Potatoes, mashed, home-prepared, whole milk and butter added")

    assert set(inference.allergens) == {"milk"}
    assert (inference.vegan, inference.vegetarian, inference.pescatarian) == VEGETARIAN


def test_allergens_by_name_even_outside_plain_groups():
    assert "wheat" in infer("1800", "Bread, whole-wheat, commercially prepared").allergens
    assert "peanuts" in infer("1900", "Candies, peanut brittle").allergens


@pytest.mark.parametrize(
    ("group", "name", "may_contain", "diets"),
    [
        # Oats are milled beside wheat: they may hold gluten unless certified.
        ("0800", "Cereals, oats, regular and quick, not fortified, dry", {"wheat"}, NONE),
        ("2000", "Oat bran, raw", {"wheat"}, VEGAN),
        ("2000", "Oats, gluten-free, dry", set(), VEGAN),
        # Commercial bread: never inferred vegan, and milk, egg or soy cannot be ruled out.
        ("1800", "Bread, whole-wheat, commercially prepared", {"milk", "egg", "soy"}, NONE),
        ("1800", "Rolls, hamburger or hot dog, whole wheat", {"milk", "egg", "soy"}, NONE),
        # Dark chocolate shares lines (and often milk fat) with milk chocolate.
        ("1900", "Chocolate, dark, 70-85% cacao solids", {"milk"}, NONE),
        ("1100", "Spinach, raw", set(), VEGAN),
    ],
)
def test_infer_may_contain(group, name, may_contain, diets):
    inference = infer(group, name)

    assert set(inference.may_contain) == may_contain
    assert not inference.may_contain & inference.allergens
    assert (inference.vegan, inference.vegetarian, inference.pescatarian) == diets


def test_a_plant_food_that_may_contain_milk_is_not_vegan():
    inference = infer("1200", "Nuts, mixed nuts, chocolate coated")

    assert "milk" in inference.may_contain
    assert (inference.vegan, inference.vegetarian) == (False, True)
