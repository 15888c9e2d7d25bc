"""Read ingredient lines ("1 1/2 cups cooked brown rice"): amount, unit, food and grams.

ingredient-parser-nlp finds the parts of a line (its food words, amounts, preparation,
size); `matching` ranks the catalog's foods for the food words; `units` turns the amount
into grams of the best food, through its USDA household portions where the unit is a
volume ("1 cup") or a count ("2 bananas", "1 clove garlic").

Vague amounts get estimates a cook would accept, marked `vague` so the review page says
so; lines with no amount ("salt to taste", "oil for frying") are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from foods.recipes import matching
from foods.recipes.tagger import parser
from foods.recipes.units import (
    PINT_NAMES,
    UnitError,
    canonical_unit,
    grams_for,
    is_mass,
    portion_volume_ml,
)

MATCHES = 5
# Vague amounts, as a volume where the food's density is known, else as grams.
# A pinch is 1/16 tsp and a dash 1/8 tsp (the measuring-spoon sets sold with those names);
# a splash is about a tablespoon; a knob of butter or ginger about a tablespoon's worth,
# 15 g; a handful of leaves, nuts or berries about 30 g; a sprinkle about a teaspoon.
VAGUE: dict[str, tuple[float, str, float]] = {
    # word: (amount, unit, grams when the food has no density)
    "pinch": (1 / 16, "tsp", 0.4),
    "dash": (1 / 8, "tsp", 0.6),
    "smidgen": (1 / 32, "tsp", 0.2),
    "splash": (1, "tbsp", 15.0),
    "drizzle": (1, "tbsp", 14.0),
    "sprinkle": (1, "tsp", 3.0),
    "knob": (0, "", 15.0),
    "handful": (0, "", 30.0),
}
# Count words a USDA portion may be named by ("1 clove", "1 slice"); plural -> singular.
PORTION_WORDS = {
    "can": "can",
    "cans": "can",
    "clove": "clove",
    "cloves": "clove",
    "slice": "slice",
    "slices": "slice",
    "stalk": "stalk",
    "stalks": "stalk",
    "rib": "stalk",
    "ribs": "stalk",
    "sprig": "sprig",
    "sprigs": "sprig",
    "leaf": "leaf",
    "leaves": "leaf",
    "head": "head",
    "heads": "head",
    "bunch": "bunch",
    "bunches": "bunch",
    "package": "package",
    "packages": "package",
    "pkg": "package",
    "stick": "stick",
    "sticks": "stick",
    "piece": "piece",
    "pieces": "piece",
    "fillet": "fillet",
    "fillets": "fillet",
    "breast": "breast",
    "breasts": "breast",
    "thigh": "thigh",
    "thighs": "thigh",
    "ear": "ear",
    "ears": "ear",
    "jar": "jar",
    "jars": "jar",
    "bottle": "bottle",
    "container": "container",
    "carton": "container",
    "envelope": "envelope",
    "packet": "packet",
    "cube": "cube",
    "cubes": "cube",
    "strip": "strip",
    "strips": "strip",
    "link": "link",
    "links": "link",
    "wedge": "wedge",
    "floret": "floret",
    "florets": "floret",
    "spear": "spear",
    "spears": "spear",
    "large": "large",
    "medium": "medium",
    "small": "small",
    "whole": "whole",
}
SIZES = ("medium", "large", "small", "extra large", "jumbo", "extra small")
# What a count of a food means when the line gives no size, tried in order: USDA names
# its typical single items so ("1 medium", "1 fruit", "1 large" for eggs, as US recipes).
COUNT_PORTIONS = (
    "medium",
    "fruit",
    "whole",
    "large",
    "small",
    "piece",
    "item",
    "each",
    "serving",
)
# A line whose comment says one of these is not meant to be counted.
NOT_COUNTED = re.compile(
    r"\b(to taste|for (frying|serving|garnish|greasing|dusting|the pan|deep|brushing)"
    r"|to garnish|to serve|as needed|if needed|optional)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoodMatch:
    food_id: int
    name: str
    score: float  # 0..1, shown as the match's confidence


@dataclass(frozen=True)
class LineAnalysis:
    text: str
    name: str
    quantity: float | None
    unit: str
    matches: tuple[FoodMatch, ...]
    grams: float | None
    portion_id: int | None
    counted: bool
    vague: bool
    problem: str
    preparation: str = ""
    size: str = ""


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Fraction(value)) if not isinstance(value, float) else value
    except (TypeError, ValueError):
        return None


def _unit_word(unit) -> str:
    text = str(unit or "").strip().replace("_", " ")
    return text


def _read_unit(unit) -> str:
    """Return the canonical unit ("cup"), a portion word ("can"), or ""."""
    word = _unit_word(unit).lower()
    if not word:
        return ""
    canonical = canonical_unit(word)
    if canonical:
        return canonical
    if word in VAGUE or word.rstrip("es") in VAGUE or word.rstrip("s") in VAGUE:
        return next(key for key in VAGUE if word.startswith(key))
    return PORTION_WORDS.get(word, word)


def _amount(parsed) -> tuple[float | None, str, bool]:
    """Return (quantity, unit, approximate) of the line; "1 can (15 oz)" reads 15 oz."""
    amounts = list(parsed.amount or ())
    if not amounts:
        return None, "", False
    first = amounts[0]
    if hasattr(first, "amounts"):  # "1 lb 2 oz": one amount in grams
        grams = 0.0
        for part in first.amounts:
            unit = _read_unit(part.unit)
            quantity = _number(part.quantity)
            if unit not in PINT_NAMES or quantity is None or not is_mass(unit):
                return quantity, unit, False
            grams += grams_for(quantity, unit).grams
        return round(grams, 1), "g", False
    quantity = _mid(first)
    unit = _read_unit(first.unit)
    approximate = bool(getattr(first, "APPROXIMATE", False))
    if unit not in PINT_NAMES and len(amounts) > 1:
        second = amounts[1]
        second_unit = _read_unit(second.unit)
        second_quantity = _mid(second)
        if second_unit in PINT_NAMES and second_quantity:
            return (quantity or 1) * second_quantity, second_unit, approximate
    return quantity, unit, approximate


def _mid(amount) -> float | None:
    low = _number(amount.quantity)
    high = _number(getattr(amount, "quantity_max", None))
    if low is None:
        return None
    if high and high > low:
        return (low + high) / 2
    return low


def _text(part) -> str:
    if part is None:
        return ""
    if isinstance(part, list):
        return " ".join(item.text for item in part)
    return part.text


def _portions(food_id: int):
    from foods.models import Portion

    return list(Portion.objects.filter(food_id=food_id).order_by("seq", "id"))


def _portion_named(portions, *words: str):
    for word in words:
        pattern = re.compile(rf"\b{re.escape(word)}s?\b", re.IGNORECASE)
        for portion in portions:
            if pattern.search(portion.name) and not portion_volume_ml(portion.name):
                return portion
    return None


def _portion_unit_count(name: str) -> float:
    """Return how many items a portion holds ("2 slices" -> 2, "1 medium" -> 1)."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)", name)
    return float(match.group(1)) if match else 1.0


def _density_portion(portions):
    best = None
    for portion in portions:
        ml = portion_volume_ml(portion.name)
        if not ml:
            continue
        rank = 0 if "cup" in portion.name.lower() else 1
        if best is None or rank < best[0]:
            best = (rank, portion)
    return None if best is None else best[1]


def count_grams(
    quantity: float | None,
    unit: str,
    *,
    size: str,
    portions: Sequence,
    food_name: str,
) -> tuple[float | None, int | None, bool, str]:
    """Return (grams, portion_id, vague, problem) for an amount of one food."""
    if unit in VAGUE:
        amount, vague_unit, fallback = VAGUE[unit]
        count = quantity or 1
        if vague_unit:
            try:
                found = grams_for(amount * count, vague_unit, portions=portions)
                portion = _density_portion(portions)
                return round(found.grams, 2), portion.pk if portion else None, True, ""
            except UnitError:
                pass
        return round(fallback * count, 2), None, True, ""
    if quantity is None:
        return None, None, False, "No amount: give grams."
    if unit in PINT_NAMES:
        try:
            found = grams_for(quantity, unit, portions=portions, food_name=food_name)
        except UnitError as error:
            return None, None, False, str(error)
        portion = None if found.how == "mass" else _density_portion(portions)
        return round(found.grams, 2), portion.pk if portion else None, False, ""
    words = [unit] if unit else []
    if size:
        words += [word for word in SIZES if word in size.lower()]
    if not unit or unit in SIZES:
        words += list(COUNT_PORTIONS)
        if food_name.lower().startswith("egg"):
            words.insert(0 if not size else len(words), "large")
    portion = _portion_named(portions, *words) if words else None
    if portion is None:
        what = f'"{unit}"' if unit else "one"
        return (
            None,
            None,
            False,
            f"USDA gives no weight for {what} of {food_name or 'this food'}: give grams.",
        )
    grams = portion.grams / _portion_unit_count(portion.name) * quantity
    return round(grams, 2), portion.pk, True, ""


def grams_for_food(analysis: LineAnalysis, food) -> tuple[float | None, int | None, str]:
    """Return (grams, portion_id, problem) of a line's amount in another food."""
    if not analysis.counted:
        return None, None, "Not counted."
    grams, portion_id, _, problem = count_grams(
        analysis.quantity,
        analysis.unit,
        size=analysis.size,
        portions=_portions(food.pk),
        food_name=food.name,
    )
    return grams, portion_id, problem


def analyse_line(text: str) -> LineAnalysis:
    """Read one ingredient line: its food words, amount, best foods and grams."""
    clean = " ".join(text.split())
    parsed = parser()(clean) if clean else None
    name = _text(parsed.name) if parsed else ""
    preparation = _text(parsed.preparation) if parsed else ""
    size = _text(parsed.size) if parsed else ""
    comment = _text(parsed.comment) if parsed else ""
    quantity, unit, _ = _amount(parsed) if parsed else (None, "", False)
    found = matching.rank(name or clean, f"{preparation} {comment}", limit=MATCHES)
    matches = tuple(FoodMatch(item.food_id, item.name, item.score) for item in found)
    not_counted = quantity is None and unit not in VAGUE
    if not_counted or NOT_COUNTED.search(comment) and quantity is None:
        return LineAnalysis(
            text=text,
            name=name,
            quantity=quantity,
            unit=unit,
            matches=matches,
            grams=None,
            portion_id=None,
            counted=False,
            vague=False,
            problem="Not counted: no amount.",
            preparation=preparation,
            size=size,
        )
    grams, portion_id, vague, problem = None, None, unit in VAGUE, ""
    if matches:
        top = matches[0]
        grams, portion_id, vague, problem = count_grams(
            quantity, unit, size=size, portions=_portions(top.food_id), food_name=top.name
        )
    else:
        problem = "No food found: pick one."
    return LineAnalysis(
        text=text,
        name=name,
        quantity=quantity,
        unit=unit,
        matches=matches,
        grams=grams,
        portion_id=portion_id,
        counted=True,
        vague=vague,
        problem=problem,
        preparation=preparation,
        size=size,
    )


def analyse_lines(lines: list[str]) -> list[LineAnalysis]:
    """Read several lines, skipping blank ones."""
    return [analyse_line(line) for line in lines if line.strip()]


def search_foods(text: str, limit: int = 10) -> list[FoodMatch]:
    """Return the catalog's foods for what a cook typed, best first."""
    return [
        FoodMatch(item.food_id, item.name, item.score)
        for item in matching.rank(text, "", limit=limit)
    ]
