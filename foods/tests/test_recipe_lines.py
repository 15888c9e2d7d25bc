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
    food("butter", "Butter, salted", eggs, ("1 tbsp", 14.2), ("1 stick", 113))
    food("nutmeg", "Spices, nutmeg, ground", spices)
    food(
        "sugar",
        "Sugars, brown",
        CategoryFactory(name="Sweets", usda_group_code="1900"),
        ("1 tsp unpacked", 3),
        ("1 cup packed", 220),
        ("1 cup unpacked", 145),
    )
    food("lemon_juice", "Lemon juice, raw", fruits, ("1 cup", 244), ("1 lemon yields", 48))
    food("salmon", "Fish, salmon, Atlantic, farmed, raw", fish(), ("3 oz", 85), ("1 fillet", 170))
    return foods


def fish():
    return CategoryFactory(name="Finfish and Shellfish Products", usda_group_code="1500")


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


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("1 1/2 cups spinach", 1.5, "cup"),
        ("½ cup spinach", 0.5, "cup"),
        ("1½ cups spinach", 1.5, "cup"),
        ("2 ½ cups spinach", 2.5, "cup"),
        ("3-4 tbsp olive oil", 3.5, "tbsp"),
        ("2 to 3 bananas", 2.5, ""),
        ("2 Tablespoons olive oil", 2.0, "tbsp"),
        ("8 fl oz olive oil", 8.0, "fl oz"),
    ],
)
def test_fractions_and_ranges(pantry, text, quantity, unit):
    line = analyse_line(text)
    assert (line.quantity, line.unit) == (pytest.approx(quantity), unit)


def test_cans_of_a_weight_multiply(pantry):
    line = analyse_line("2 cans (15 oz each) black beans")
    assert (line.quantity, line.unit) == (30.0, "oz")
    assert line.grams == pytest.approx(850.49, abs=0.1)


def test_pounds_and_ounces_add_up(pantry):
    line = analyse_line("1 lb 2 oz salmon")
    assert line.unit == "g"
    assert line.grams == pytest.approx(510.29, abs=0.1)


def test_the_lines_form_picks_the_cup(pantry):
    assert analyse_line("1 cup sliced bananas").grams == pytest.approx(150)
    assert analyse_line("1/2 cup packed brown sugar").grams == pytest.approx(110)
    assert analyse_line("1/2 cup brown sugar").grams == pytest.approx(72.5)


def test_juice_of_a_lemon(pantry):
    line = analyse_line("juice of 1 lemon")
    assert line.matches[0].food_id == pantry["lemon_juice"].pk
    assert line.grams == pytest.approx(48)


def test_portion_words_after_the_food_are_units(pantry):
    line = analyse_line("2 salmon fillets")
    assert (line.name, line.unit) == ("salmon", "fillet")
    assert line.grams == pytest.approx(340)


def test_a_count_without_a_usda_weight_says_so(pantry):
    line = analyse_line("2 heads garlic")
    assert line.grams is None and line.counted
    assert line.problem == 'USDA gives no weight for "head" of Garlic, raw: give grams.'


def test_knob_and_splash(pantry):
    assert analyse_line("a knob of butter").grams == pytest.approx(15)
    splash = analyse_line("a splash of olive oil")
    assert splash.vague and splash.grams == pytest.approx(13.5, rel=0.01)


@pytest.mark.parametrize(
    "text",
    ["salt and pepper to taste", "fresh herbs to garnish", "olive oil, for drizzling", ""],
)
def test_more_lines_that_are_not_counted(pantry, text):
    assert not analyse_line(text).counted


def test_a_line_without_food_words_matches_nothing(pantry):
    line = analyse_line("2 cups")
    assert line.matches == () and line.grams is None
    assert line.problem == "No food found: pick one."


def test_canned_lines_prefer_canned_foods(pantry):
    assert analyse_line("1 can black beans").matches[0].food_id == pantry["beans_canned"].pk
    assert analyse_line("1 cup black beans").matches[0].food_id == pantry["beans_raw"].pk


def test_grams_for_a_food_without_a_cup_weight(pantry):
    line = analyse_line("1 cup spinach")
    grams, portion_id, problem = grams_for_food(line, pantry["nutmeg"])
    assert grams is None and portion_id is None
    assert "USDA gives no cup or spoon weight for Spices, nutmeg, ground" in problem


def test_search_finds_new_foods_at_once(pantry):
    assert search_foods("kale") == []
    kale = FoodFactory(name="Kale, raw", category=pantry["spinach"].category)
    assert [match.food_id for match in search_foods("kale")] == [kale.pk]
    kale.is_active = False
    kale.save()
    assert search_foods("kale") == []


def test_search_ranks_branded_foods_after_plain_ones(pantry):
    plain = FoodFactory(name="Cereals, oats, regular and quick, not fortified, dry")
    branded = FoodFactory(name="Cereals, QUAKER, Quick Oats, Dry")
    ranked = [match.food_id for match in search_foods("quick oats")]
    assert ranked.index(plain.pk) < ranked.index(branded.pk)
    assert search_foods("quaker oats")[0].food_id == branded.pk


def test_search_limit(pantry):
    assert len(search_foods("raw", limit=3)) <= 3


def test_a_plain_word_means_the_usual_food():
    dairy = CategoryFactory(name="Dairy and Egg Products", usda_group_code="0100")
    whole = FoodFactory(
        name="Milk, whole, 3.25% milkfat, with added vitamin D", category=dairy, source_ref="01077"
    )
    FoodFactory(name="Milk, sheep, fluid", category=dairy, source_ref="01109")
    skim = FoodFactory(
        name="Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
        category=dairy,
        source_ref="01085",
    )
    assert analyse_line("1 cup milk").matches[0].food_id == whole.pk
    assert analyse_line("1 cup skim milk").matches[0].food_id == skim.pk


# What a cook means, from bench/recipes.py's labels, over the whole SR28 catalog.
SR28_LINES = [
    ("2 cups baby spinach", {"11457"}, 60),
    ("1 1/2 cups cooked brown rice", {"20037"}, 303),
    ("1 can (15 oz) black beans, drained and rinsed", {"16018", "16316"}, 425.2),
    ("2-3 medium bananas", {"09040"}, 295),
    ("3 cups brocoli, chopped", {"11090"}, 273),
    ("3 tomatos, diced", {"11529"}, 369),
    ("1 clove garlic", {"11215"}, 3),
    ("2 cups all-purpose flour", {"20081", "20581", "20481", "20381"}, 250),
    ("1/2 cup almonds", {"12061", "12063"}, 71.5),
    ("3 large eggs", {"01123"}, 150),
]


@pytest.mark.slow
def test_lines_over_the_whole_of_sr28():
    from io import StringIO

    from django.core.management import call_command

    from foods.models import Food

    call_command("load_catalog", "--no-progress", stdout=StringIO())
    ref_of = dict(Food.objects.values_list("pk", "source_ref"))
    for text, refs, grams in SR28_LINES:
        line = analyse_line(text)
        assert ref_of[line.matches[0].food_id] in refs, text
        assert line.grams == pytest.approx(grams, rel=0.02), text
    spinach = search_foods("spinach")
    assert ref_of[spinach[0].food_id] == "11457"


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("1,5 kg spinach", 1.5, "kg"),  # a decimal comma
        ("0,25 kg spinach", 0.25, "kg"),
        ("1,500 g spinach", 1500.0, "g"),  # a thousands comma
        ("2\u20443 cup spinach", 2 / 3, "cup"),  # U+2044 FRACTION SLASH
        ("1 2\u20443 cups spinach", 5 / 3, "cup"),
        ("2 \u2044 3 cup spinach", 2 / 3, "cup"),  # read as 2 × 3 cups before
        ("2 / 3 cup spinach", 2 / 3, "cup"),
        ("2\u22153 cup spinach", 2 / 3, "cup"),  # U+2215 DIVISION SLASH
        ("1\u20442 cup spinach", 0.5, "cup"),
        ("\u2153 cup spinach", 1 / 3, "cup"),  # ⅓
        ("2, 3 or 4 bananas", None, None),  # a list, not a number: left alone
    ],
)
def test_decimal_commas_and_fraction_slashes(pantry, text, quantity, unit):
    line = analyse_line(text)
    if quantity is None:
        assert line.quantity != 2.3
    else:
        assert (line.quantity, line.unit) == (pytest.approx(quantity), unit)


def test_a_food_deactivated_in_bulk_drops_out_of_the_matches(pantry):
    """queryset.update() leaves updated_at alone; the index still sees the change."""
    from foods.models import Food

    assert search_foods("spinach")[0].name == "Spinach, raw"
    Food.objects.filter(pk=pantry["spinach"].pk).update(is_active=False)
    assert "Spinach, raw" not in [match.name for match in search_foods("spinach")]
    assert "Spinach, raw" not in [m.name for m in analyse_line("2 cups spinach").matches]


@pytest.mark.parametrize("text", ["1 cup cup spinach", "2 cups/cup spinach"])
def test_a_doubled_unit_reads_as_the_unit_in_cook_words(pantry, text):
    """The parser reads "cup cup" as pint's "cup ** 2"; no such name reaches the cook."""
    line = analyse_line(text)
    assert line.unit == "cup"
    assert "**" not in line.problem
