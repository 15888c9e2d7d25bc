"""The gap suggestion on hand-checked tiny cases: no database, no Django."""

from mealplan.planner.gap import (
    BINDING_PORTIONS,
    STATUS_CLOSED,
    STATUS_IMPOSSIBLE,
    STATUS_PARTIAL,
    GapCatalog,
    GapFood,
    GapNeed,
    GapPortion,
    close_gap,
)


def food(food_id, mg_100g, kcal_100g, *grams, added=0.0, carb=0.0, sodium=0.0, name=None):
    return GapFood(
        food_id=food_id,
        name=name or f"food {food_id}",
        portions=tuple(GapPortion(g, f"{g:g} g") for g in grams),
        magnesium_mg_per_g=mg_100g / 100,
        kcal_per_g=kcal_100g / 100,
        added_magnesium_mg_per_g=added / 100,
        carbohydrate_g_per_g=None if carb is None else carb / 100,
        sodium_mg_per_g=None if sodium is None else sodium / 100,
    )


SEEDS = food(1, 600, 560, 28, 56, name="pumpkin seeds")  # 168 mg / 157 kcal a handful
SPINACH = food(2, 87, 23, 180, name="spinach")  # 157 mg / 41 kcal
SHOT = food(3, 100, 40, 60, added=100, name="shot")  # 60 mg, all added, 24 kcal
ALMONDS = food(4, 270, 580, 28, name="almonds")  # 75.6 mg / 162 kcal


def need(mg, kcal=2000, added=350, carb=None, sodium=None):
    return GapNeed(
        magnesium_mg=mg,
        kcal_left=kcal,
        added_magnesium_left_mg=added,
        carbohydrate_left_g=carb,
        sodium_left_mg=sodium,
    )


def test_one_item_closes_with_the_fewest_kcal():
    result = close_gap(GapCatalog([SEEDS, SPINACH, ALMONDS]), need(150))
    assert result.status == STATUS_CLOSED
    assert [(i.name, i.grams) for i in result.items] == [("spinach", 180)]


def test_nothing_missing_needs_nothing():
    result = close_gap(GapCatalog([SEEDS]), need(0))
    assert result.status == STATUS_CLOSED and result.items == ()


def test_two_items_when_no_one_portion_is_enough():
    # 350 mg: two handfuls of seeds (336) are not enough alone; with spinach (157 mg,
    # 41 kcal) they are, and spinach costs fewer kcal than almonds.
    result = close_gap(GapCatalog([SEEDS, SPINACH, ALMONDS]), need(350))
    assert result.status == STATUS_CLOSED
    assert {i.name for i in result.items} == {"pumpkin seeds", "spinach"}
    assert result.magnesium_mg >= 350


def test_one_portion_of_a_food_at_most():
    # Two handfuls of seeds are one 56 g choice, never 28 g + 56 g of the same food.
    result = close_gap(GapCatalog([SEEDS]), need(400, kcal=5000))
    assert result.status == STATUS_PARTIAL
    assert [i.grams for i in result.items] == [56]
    assert result.binding == (BINDING_PORTIONS,)


def test_never_over_the_added_magnesium_limit_even_if_only_way():
    # Only the shot closes 50 mg, but 20 mg of added magnesium is all that is left.
    result = close_gap(GapCatalog([SHOT]), need(50, added=20))
    assert result.status == STATUS_IMPOSSIBLE
    assert result.items == ()
    assert result.binding == ("added_magnesium",)


def test_kcal_left_is_respected():
    # 150 mg within 100 kcal: spinach (41 kcal) yes, seeds (157 kcal) no.
    result = close_gap(GapCatalog([SEEDS]), need(150, kcal=100))
    assert result.status == STATUS_IMPOSSIBLE
    assert result.binding == ("kcal_high",)
    result = close_gap(GapCatalog([SEEDS, SPINACH]), need(150, kcal=100))
    assert [i.name for i in result.items] == ["spinach"]
    assert result.kcal <= 100


def test_unknown_sodium_is_not_counted_as_zero():
    unknown = food(5, 600, 100, 28, sodium=None, name="unknown sodium")
    # With a sodium cap, the food whose sodium is unknown is not a candidate.
    assert close_gap(GapCatalog([unknown]), need(100, sodium=500)).status == STATUS_IMPOSSIBLE
    # Without one, it is.
    assert close_gap(GapCatalog([unknown]), need(100)).status == STATUS_CLOSED


def test_carbohydrate_cap_binds_and_is_named():
    bran = food(6, 600, 200, 30, carb=60)  # 180 mg, 18 g carbs
    result = close_gap(GapCatalog([bran]), need(150, carb=10))
    assert result.status == STATUS_IMPOSSIBLE
    assert result.binding == ("carbohydrate",)


def test_impossible_gives_the_best_partial_and_what_it_reaches():
    # 400 mg within 400 kcal: two handfuls of seeds (336 mg, 314 kcal) is the most; with
    # almonds too it would be 411.6 mg, but 476 kcal: the kcal left stop it.
    result = close_gap(GapCatalog([SEEDS, ALMONDS]), need(400, kcal=400))
    assert result.status == STATUS_PARTIAL
    assert round(result.best_possible_mg, 1) == 336.0
    assert [i.grams for i in result.items] == [56]
    assert result.binding == ("kcal_high",)
    # 500 mg is beyond any 1 to 3 portions of these foods, whatever the limits.
    assert close_gap(GapCatalog([SEEDS, ALMONDS]), need(500)).binding == (BINDING_PORTIONS,)


def test_deterministic():
    catalog = GapCatalog([SEEDS, SPINACH, ALMONDS, SHOT])
    first = close_gap(catalog, need(320, kcal=300))
    assert all(close_gap(catalog, need(320, kcal=300)) == first for _ in range(5))
