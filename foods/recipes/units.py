"""Turn an amount and a unit into grams of one food, with pint doing the unit arithmetic.

Mass units convert directly. Volume units (cup, tbsp, tsp, ml, ...) need the food's
density, taken from its USDA household portions ("1 cup, chopped — 91 g"); a food with no
such portion has no density, and the caller asks the cook for grams. A household portion
("1 medium banana") is its own unit: the portion's grams times the quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Protocol

import pint

# The units a cook picks in the recipe form, by the name pint knows them by.
FORM_UNITS: tuple[tuple[str, str], ...] = (
    ("g", "g"),
    ("kg", "kg"),
    ("oz", "oz"),
    ("lb", "lb"),
    ("ml", "ml"),
    ("l", "l"),
    ("cup", "cup"),
    ("tbsp", "tbsp"),
    ("tsp", "tsp"),
    ("fl oz", "fl oz"),
)
# What a cook writes, and what pint calls it (pint knows most; these it reads otherwise).
ALIASES = {
    "gram": "g",
    "grams": "g",
    "gr": "g",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "ounce": "oz",
    "ounces": "oz",
    "pound": "lb",
    "pounds": "lb",
    "lbs": "lb",
    "milliliter": "ml",
    "milliliters": "ml",
    "millilitre": "ml",
    "millilitres": "ml",
    "liter": "l",
    "liters": "l",
    "litre": "l",
    "litres": "l",
    "cups": "cup",
    "c": "cup",
    "tablespoon": "tbsp",
    "tablespoons": "tbsp",
    "tbs": "tbsp",
    "tbl": "tbsp",
    "tbsps": "tbsp",
    "teaspoon": "tsp",
    "teaspoons": "tsp",
    "tsps": "tsp",
    "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
    "floz": "fl oz",
    "fl. oz": "fl oz",
    "fl. oz.": "fl oz",
    "pint": "pint",
    "pints": "pint",
    "quart": "quart",
    "quarts": "quart",
    "qt": "quart",
    "gallon": "gallon",
    "gallons": "gallon",
    "gal": "gallon",
}
# pint's own names for the short forms ("cup" is pint's US cup, 236.6 ml, as USDA's).
PINT_NAMES = {
    "g": "gram",
    "kg": "kilogram",
    "oz": "ounce",
    "lb": "pound",
    "ml": "milliliter",
    "l": "liter",
    "cup": "cup",
    "tbsp": "tablespoon",
    "tsp": "teaspoon",
    "fl oz": "fluid_ounce",
    "pint": "pint",
    "quart": "quart",
    "gallon": "gallon",
}
# Portion names that hold no household size a cook would mean by a count ("2 bananas").
_PORTION_VOLUME = re.compile(
    r"^\s*(?P<qty>\d+(?:\.\d+)?(?:/\d+)?)\s*(?P<unit>fl oz|cups?|tbsp|tablespoons?|tsp|"
    r"teaspoons?|ml|quarts?|pints?)\b",
    re.IGNORECASE,
)


class PortionLike(Protocol):
    name: str
    grams: float


class UnitError(ValueError):
    """An amount that cannot be turned into grams; the message says what to give instead."""


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def canonical_unit(text: str) -> str | None:
    """Return the short unit name for what a cook wrote ("Tablespoons" -> "tbsp"), or None."""
    word = " ".join(text.strip().lower().rstrip(".").split())
    if word in PINT_NAMES:
        return word
    return ALIASES.get(word)


def _quantity(amount: float, unit: str) -> pint.Quantity:
    return registry().Quantity(amount, PINT_NAMES[unit])


def is_mass(unit: str) -> bool:
    return _quantity(1, unit).check("[mass]")


def is_volume(unit: str) -> bool:
    return _quantity(1, unit).check("[volume]")


def volume_ml(amount: float, unit: str) -> float:
    """Return an amount of a volume unit in millilitres (1.5 "cup" -> 354.9)."""
    return float(_quantity(amount, unit).to("milliliter").magnitude)


def portion_volume_ml(name: str) -> float | None:
    """Return the volume a USDA portion name states ("0.5 cup, diced" -> 118.3), or None."""
    match = _PORTION_VOLUME.match(name)
    if not match:
        return None
    unit = canonical_unit(match["unit"])
    if unit is None:
        return None
    amount = float(Fraction(match["qty"]))
    return float(_quantity(amount, unit).to("milliliter").magnitude)


def grams_per_ml(portions: Iterable[PortionLike]) -> float | None:
    """Return a food's density from its volume portions (cups first), or None without any."""
    best: tuple[int, float] | None = None
    for portion in portions:
        ml = portion_volume_ml(portion.name)
        if not ml:
            continue
        rank = 0 if "cup" in portion.name.lower() else 1
        if best is None or rank < best[0]:
            best = (rank, portion.grams / ml)
    return None if best is None else best[1]


@dataclass(frozen=True)
class Grams:
    grams: float
    how: str  # "mass", "volume" or "portion": shown in the review table


def grams_for(
    amount: float, unit: str, *, portions: Sequence[PortionLike] = (), food_name: str = ""
) -> Grams:
    """Return the grams of an amount in a unit (short name from canonical_unit).

    Raises UnitError with a message for the cook when it cannot: an unknown unit, or a
    volume for a food without a cup or spoon weight.
    """
    if amount <= 0:
        raise UnitError("Give an amount above 0.")
    if unit not in PINT_NAMES:
        raise UnitError(f'"{unit}" is not a unit we know: use g, kg, oz, lb, ml, cup, tbsp or tsp.')
    quantity = _quantity(amount, unit)
    if quantity.check("[mass]"):
        return Grams(float(quantity.to("gram").magnitude), "mass")
    density = grams_per_ml(portions)
    if density is None:
        what = food_name or "this food"
        raise UnitError(f"USDA gives no cup or spoon weight for {what}: give the amount in grams.")
    return Grams(float(quantity.to("milliliter").magnitude) * density, "volume")
