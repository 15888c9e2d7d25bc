"""Units: what a cook writes, and grams of a food through its USDA household portions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from foods.recipes.units import (
    UnitError,
    canonical_unit,
    grams_for,
    grams_per_ml,
    portion_volume_ml,
    volume_ml,
)


def portion(name: str, grams: float) -> SimpleNamespace:
    return SimpleNamespace(name=name, grams=grams)


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("Tablespoons", "tbsp"),
        ("tbsp.", "tbsp"),
        ("cups", "cup"),
        ("c", "cup"),
        ("teaspoon", "tsp"),
        ("grams", "g"),
        ("Kilo", "kg"),
        ("ounces", "oz"),
        ("lbs", "lb"),
        ("fluid ounces", "fl oz"),
        ("fl. oz.", "fl oz"),
        ("millilitres", "ml"),
        ("litre", "l"),
        ("quarts", "quart"),
        ("gallon", "gallon"),
    ],
)
def test_canonical_unit_reads_what_a_cook_writes(written, unit):
    assert canonical_unit(written) == unit


@pytest.mark.parametrize("written", ["handful", "clove", "medium", "", "cupful of"])
def test_canonical_unit_knows_no_portion_words(written):
    assert canonical_unit(written) is None


@pytest.mark.parametrize(
    ("amount", "unit", "grams"),
    [(1, "lb", 453.592), (2, "oz", 56.699), (1.5, "kg", 1500), (250, "g", 250)],
)
def test_mass_needs_no_portion(amount, unit, grams):
    found = grams_for(amount, unit)
    assert found.grams == pytest.approx(grams, rel=1e-4)
    assert found.how == "mass"


def test_volume_goes_through_the_cup_weight():
    spinach = [portion("1 cup", 30), portion("1 bunch", 340)]
    assert grams_for(2, "cup", portions=spinach).grams == pytest.approx(60)
    # A tablespoon is 1/16 cup.
    assert grams_for(1, "tbsp", portions=spinach).grams == pytest.approx(30 / 16, rel=1e-3)
    assert grams_for(1, "cup", portions=spinach).how == "volume"


def test_half_cup_portions_give_the_density_too():
    peas = [portion("0.5 cup", 80)]
    assert grams_for(1, "cup", portions=peas).grams == pytest.approx(160, rel=1e-3)


def test_volume_without_a_cup_or_spoon_weight_says_what_to_give():
    with pytest.raises(UnitError, match="USDA gives no cup or spoon weight for Chia seeds"):
        grams_for(2, "tbsp", portions=[portion("1 oz", 28.35)], food_name="Chia seeds")


@pytest.mark.parametrize(("amount", "unit"), [(0, "g"), (-1, "cup"), (1, "bushel")])
def test_bad_amounts_and_units_are_refused(amount, unit):
    with pytest.raises(UnitError):
        grams_for(amount, unit)


@pytest.mark.parametrize(
    ("name", "ml"),
    [
        ("1 cup, chopped", 236.6),
        ("0.5 cup, diced", 118.3),
        ("1 tbsp", 14.79),
        ("2 tablespoons", 29.57),
        ("1 fl oz", 29.57),
        ('1 medium (7" to 7-7/8" long)', None),
        ("1 clove", None),
    ],
)
def test_portion_volume(name, ml):
    found = portion_volume_ml(name)
    assert (found is None) if ml is None else found == pytest.approx(ml, rel=1e-3)


def test_density_prefers_cups():
    density = grams_per_ml([portion("1 tbsp", 20), portion("1 cup", 236.6)])
    assert density == pytest.approx(1.0, rel=1e-3)
    assert grams_per_ml([portion("1 medium", 118)]) is None


def test_volume_ml():
    assert volume_ml(1.5, "cup") == pytest.approx(354.9, rel=1e-3)
    assert volume_ml(1, "quart") == pytest.approx(946.4, rel=1e-3)
