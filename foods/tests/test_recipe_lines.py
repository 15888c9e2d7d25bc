"""Ingredient lines: amounts and units, food matching, grams, lines that are not counted."""

from __future__ import annotations

import pytest

from foods.recipes.lines import analyse_line, analyse_lines, grams_for_food, search_foods
from foods.tests.factories import CategoryFactory, FoodFactory, PortionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pantry():
    """A small catalog: the foods a few lines name, and near misses that must rank lower."""
    vegetables = CategoryFactory(name="Vegetables and Vegetable Products", usda_group_code="1100")
    fruits = CategoryFactory(name="Fruits and Fruit Juices", usda_group_code="0900")
    legumes = CategoryFactory(name="Legumes and Legume Products", usda_group_code="1600")
    grains = CategoryFactory(name="Cereal Grains and Pasta", usda_group_code="2000")
    baby = CategoryFactory(name="Baby Foods", usda_group_code="0300")
    spices = CategoryFactory(name="Spices and Herbs", usda_group_code="0200")
    eggs = CategoryFactory(name="Dairy and Egg Products", usda_group_code="0100")
    oils = CategoryFactory(name="Fats and Oils", usda_group_code="0400")
    foods = {}

    def food(key, name, category, *portions):
        foods[key] = FoodFactory(name=name, category=category)
        for seq, (portion, grams) in enumerate(portions):
            PortionFactory(food=foods[key], name=portion, grams=grams, seq=seq, is_default=not seq)

    food("spinach", "Spinach, raw", vegetables, ("1 cup", 30), ("1 bunch", 340), ("1 leaf", 10))
    food(
        "spinach_cooked",
        "Spinach, cooked, boiled, drained, without salt",
        vegetables,
        ("1 cup", 180),
    )
    food("baby_spinach", "Babyfood, vegetables, spinach, creamed, strained", baby, ("1 jar", 113))
    food("souffle", "Spinach souffle", vegetables, ("1 cup", 136))
    food(
        "banana",
        "Bananas, raw",
        fruits,
        ("1 cup, sliced", 150),
        ('1 small (6" to 6-7/8" long)', 101),
        ('1 medium (7" to 7-7/8" long)', 118),
        ('1 large (8" to 8-7/8" long)', 136),
    )
    food("rice_raw", "Rice, brown, long-grain, raw", grains, ("1 cup", 185))
    food("rice_cooked", "Rice, brown, long-grain, cooked", grains, ("1 cup", 202))
    food("beans_raw", "Beans, black, mature seeds, raw", legumes, ("1 cup", 194))
    food("beans_canned", "Beans, black turtle, mature seeds, canned", legumes, ("1 cup", 240))
    food("garlic", "Garlic, raw", vegetables, ("1 cup", 136), ("1 tsp", 2.8), ("1 clove", 3))
    food("salt", "Salt, table", spices, ("1 tsp", 6), ("1 tbsp", 18))
    food("egg", "Egg, whole, raw, fresh", eggs, ("1 large", 50), ("1 medium", 44))
    food("broccoli", "Broccoli, raw", vegetables, ("1 cup chopped", 91))
    food("tomato", "Tomatoes, red, ripe, raw, year round average", vegetables, ("1 medium", 123))
    food("oil", "Oil, olive, salad or cooking", oils, ("1 tbsp", 13.5), ("1 cup", 216))
    food("nutmeg", "Spices, nutmeg, ground", spices)
    return foods


def test_mass_line_reads_grams(pantry):
    line = analyse_line("200 g spinach")
    assert (line.name, line.quantity, line.unit) == ("spinach", 200.0, "g")
    assert line.matches[0].food_id == pantry["spinach"].pk
    assert line.grams == pytest.approx(200)
    assert line.counted and not line.vague and line.problem == ""


def test_raw_food_ranks_before_baby_food_and_dishes(pantry):
    ranked = [match.food_id for match in analyse_line("2 cups spinach").matches]
    assert ranked[0] == pantry["spinach"].pk
    assert ranked.index(pantry["baby_spinach"].pk) > ranked.index(pantry["souffle"].pk)


def test_volume_uses_the_foods_cup_weight(pantry):
    line = analyse_line("1 1/2 cups cooked brown rice")
    assert line.matches[0].food_id == pantry["rice_cooked"].pk
    assert line.quantity == 1.5 and line.unit == "cup"
    assert line.grams == pytest.approx(303)
    assert line.portion_id is not None


def test_can_with_its_weight_counts_the_weight(pantry):
    line = analyse_line("1 can (15 oz) black beans, drained and rinsed")
    assert (line.quantity, line.unit) == (15.0, "oz")
    assert line.grams == pytest.approx(425.24, abs=0.1)


def test_count_uses_the_medium_portion_and_range_midpoint(pantry):
    line = analyse_line("2-3 bananas")
    assert line.matches[0].food_id == pantry["banana"].pk
    assert line.quantity == 2.5
    assert line.grams == pytest.approx(2.5 * 118)
    assert line.vague


def test_size_word_picks_its_portion(pantry):
    assert analyse_line("1 large banana").grams == pytest.approx(136)
    assert analyse_line("3 eggs").grams == pytest.approx(150)  # US recipes mean large eggs


def test_clove_is_a_portion(pantry):
    line = analyse_line("2 cloves garlic, minced")
    assert line.unit == "clove"
    assert line.grams == pytest.approx(6)


def test_vague_amounts_are_estimates(pantry):
    handful = analyse_line("a handful of spinach")
    assert handful.vague and handful.grams == pytest.approx(30)
    pinch = analyse_line("a pinch of salt")
    assert pinch.vague and pinch.grams == pytest.approx(6 / 16, abs=0.01)


@pytest.mark.parametrize("text", ["salt to taste", "pepper", "oil for frying"])
def test_lines_without_an_amount_are_not_counted(pantry, text):
    line = analyse_line(text)
    assert not line.counted
    assert line.grams is None


def test_volume_without_density_says_why(pantry):
    line = analyse_line("1 tsp nutmeg")
    assert line.grams is None
    assert "give the amount in grams" in line.problem


def test_misspellings_and_plurals_still_match(pantry):
    assert analyse_line("1 cup brocoli").matches[0].food_id == pantry["broccoli"].pk
    assert analyse_line("2 tomatos").matches[0].food_id == pantry["tomato"].pk


def test_grams_for_another_food(pantry):
    line = analyse_line("1 cup spinach")
    grams, portion_id, problem = grams_for_food(line, pantry["spinach_cooked"])
    assert grams == pytest.approx(180)
    assert portion_id is not None and problem == ""


def test_analyse_lines_skips_blank_lines(pantry):
    assert [line.name for line in analyse_lines(["1 egg", "", "  "])] == ["egg"]


def test_search_ranks_plain_foods_first(pantry):
    results = search_foods("spinach")
    assert results[0].food_id == pantry["spinach"].pk
    assert all(0 <= result.score <= 1 for result in results)
    assert search_foods("") == []
