"""Plain records that every reader produces and the loader writes."""

from __future__ import annotations

from dataclasses import dataclass, field

# USDA nutrient numbers (SR28 Nutr_No, FDC nutrient_nbr) -> Food field, per 100 g.
NUTRIENT_NUMBERS: dict[str, str] = {
    "208": "kcal_per_100g",
    "203": "protein_g_per_100g",
    "204": "fat_g_per_100g",
    "205": "carbohydrate_g_per_100g",
    "291": "fiber_g_per_100g",
    "269": "sugars_g_per_100g",
    "307": "sodium_mg_per_100g",
    "304": "magnesium_mg_per_100g",
    "301": "calcium_mg_per_100g",
    "306": "potassium_mg_per_100g",
}


class ImportDataError(Exception):
    """A data file holds a line that cannot be imported."""

    def __init__(self, filename: str, line: int, message: str) -> None:
        self.filename = filename
        self.line = line
        self.message = message
        super().__init__(f"{filename}, line {line}: {message}")


@dataclass
class FoodRecord:
    source_ref: str
    name: str
    group_code: str
    nutrients: dict[str, float] = field(default_factory=dict)  # absent = unknown


@dataclass(frozen=True)
class PortionRecord:
    source_ref: str
    seq: int
    name: str
    grams: float


@dataclass
class Dataset:
    source_kind: str
    groups: dict[str, str]  # group code -> name
    foods: list[FoodRecord]
    portions: list[PortionRecord]


def parse_amount(text: str, *, filename: str, line: int, what: str) -> float:
    """Read a non-negative number, or raise ImportDataError naming the line."""
    try:
        value = float(text)
    except ValueError:
        raise ImportDataError(filename, line, f"{what} {text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise ImportDataError(filename, line, f"{what} {text!r} is not a non-negative number")
    return value


def portion_name(amount: float, description: str) -> str:
    """Name a portion like "1 cup, chopped" from an amount and a measure."""
    description = " ".join(description.split())
    return f"{amount:g} {description}".strip()[:120]
