"""How a food is bought: a plain shopping name, its store section and its dry weight.

Pure functions over names and USDA group codes, so the shopping list, the admin and the
tests share one vocabulary and none of them needs the database.
"""

from __future__ import annotations

import re

# Store sections, in the order a shopping list walks the shop.
PRODUCE = "Produce"
GRAINS = "Grains & pasta"
LEGUMES = "Legumes"
NUTS_SEEDS = "Nuts & seeds"
DAIRY_EGGS = "Dairy & eggs"
MEAT_FISH = "Meat & fish"
BAKERY = "Bakery"
FROZEN_OTHER = "Frozen & other"
DRINKS_PRODUCTS = "Drinks & products"
STORE_SECTIONS: tuple[str, ...] = (
    PRODUCE,
    GRAINS,
    LEGUMES,
    NUTS_SEEDS,
    DAIRY_EGGS,
    MEAT_FISH,
    BAKERY,
    FROZEN_OTHER,
    DRINKS_PRODUCTS,
)
# USDA SR28 food group code -> store section; groups not named here are "Frozen & other"
# (fats and oils, soups and sauces, sweets, snacks, spices).
SECTION_BY_GROUP: dict[str, str] = {
    "0900": PRODUCE,  # Fruits and Fruit Juices
    "1100": PRODUCE,  # Vegetables and Vegetable Products
    "0800": GRAINS,  # Breakfast Cereals
    "2000": GRAINS,  # Cereal Grains and Pasta
    "1600": LEGUMES,  # Legumes and Legume Products
    "1200": NUTS_SEEDS,  # Nut and Seed Products
    "0100": DAIRY_EGGS,  # Dairy and Egg Products
    "0500": MEAT_FISH,  # Poultry Products
    "0700": MEAT_FISH,  # Sausages and Luncheon Meats
    "1000": MEAT_FISH,  # Pork Products
    "1300": MEAT_FISH,  # Beef Products
    "1500": MEAT_FISH,  # Finfish and Shellfish Products
    "1700": MEAT_FISH,  # Lamb, Veal, and Game Products
    "1800": BAKERY,  # Baked Products
    "1400": DRINKS_PRODUCTS,  # Beverages
}
# For a category without a USDA code (one typed in the admin): words of its name.
SECTION_BY_CATEGORY_WORD: tuple[tuple[str, str], ...] = (
    ("vegetable", PRODUCE),
    ("fruit", PRODUCE),
    ("grain", GRAINS),
    ("cereal", GRAINS),
    ("pasta", GRAINS),
    ("legume", LEGUMES),
    ("nut", NUTS_SEEDS),
    ("seed", NUTS_SEEDS),
    ("dairy", DAIRY_EGGS),
    ("egg", DAIRY_EGGS),
    ("meat", MEAT_FISH),
    ("fish", MEAT_FISH),
    ("poultry", MEAT_FISH),
    ("baked", BAKERY),
    ("bread", BAKERY),
    ("beverage", DRINKS_PRODUCTS),
    ("drink", DRINKS_PRODUCTS),
)
SPICES_GROUP = "0200"


def store_section(*, group_code: str, category_name: str, name: str, whole: bool) -> str:
    """Return the store section a food is found in, from its USDA group (or category name)."""
    lowered = name.lower()
    if not whole:
        return DRINKS_PRODUCTS
    if "frozen" in lowered:
        return FROZEN_OTHER
    if group_code == SPICES_GROUP and "fresh" in lowered:
        return PRODUCE  # fresh herbs lie with the vegetables, dried ones with the spices
    if group_code == "1600" and "peanut" in lowered:
        return NUTS_SEEDS  # SR28 files peanuts under legumes; shops shelve them with nuts
    if group_code:
        return SECTION_BY_GROUP.get(group_code, FROZEN_OTHER)
    category = category_name.lower()
    for word, section in SECTION_BY_CATEGORY_WORD:
        if word in category:
            return section
    return FROZEN_OTHER


# Cooked weight -> dry weight, for cooked grains and legumes bought dry. Each factor is the
# dry-matter balance from SR28's water content (nutrient 255): (100 - water of the cooked
# food) / (100 - water of the raw or dry food), e.g. brown rice 20037 cooked 70.27 g water
# per 100 g against 20036 raw 11.8 g: 29.73 / 88.2 = 0.34. Keyed by the start of the USDA
# name; applied only to foods whose name says they are cooked or boiled.
COOKED_TO_DRY: tuple[tuple[str, float], ...] = (
    ("rice, brown", 0.34),  # 20037 / 20036
    ("wild rice", 0.28),  # 20089 / 20088
    ("buckwheat groats", 0.27),  # 20010 / 20009
    ("bulgur", 0.24),  # 20013 / 20012
    ("millet", 0.31),  # 20032 / 20031
    ("quinoa", 0.33),  # 20137 / 20035
    ("pasta, whole-wheat", 0.42),  # 20125 / 20124
    ("beans, black", 0.39),  # 16015 / 16014
    ("beans, kidney", 0.38),  # 16033 / 16032
    ("beans, white", 0.42),  # 16050 / 16049
    ("chickpeas", 0.43),  # 16057 / 16056
    ("lentils", 0.33),  # 16070 / 16069
    ("peas, split", 0.33),  # 16086 / 16085
)
COOKED = re.compile(r"\b(cooked|boiled)\b")


def dry_factor(name: str) -> float | None:
    """Return how many grams dry make one gram cooked, or None when unknown or not cooked."""
    lowered = name.lower()
    if not COOKED.search(lowered):
        return None
    for prefix, factor in COOKED_TO_DRY:
        if lowered.startswith(prefix):
            return factor
    return None


# Words in a USDA name that describe preparation or grading, not what a shopper asks for.
PREPARATION_WORDS = frozenset(
    {
        "raw",
        "cooked",
        "boiled",
        "drained",
        "dried",
        "dry",
        "fresh",
        "frozen",
        "canned",
        "roasted",
        "dry roasted",
        "baked",
        "broiled",
        "regular",
        "plain",
        "whole",
        "ground",
        "uncooked",
        "unprepared",
        "prepared",
        "enriched",
        "unenriched",
        "fluid",
        "without salt",
        "with salt",
        "without salt added",
        "mature seeds",
        "all types",
        "all varieties",
        "all commercial varieties",
        "commercially prepared",
        "ready-to-serve",
        "ready-to-eat",
        "meat only",
        "separable lean only",
    }
)
# Heads that only name a family: the next part is the food ("Nuts, almonds" -> "Almonds").
FAMILY_HEADS = frozenset(
    {"nuts", "seeds", "spices", "fish", "crustaceans", "mollusks", "cereals", "snacks"}
)
MAX_QUALIFIER_WORDS = 2
PARENTHESES = re.compile(r"\s*\([^)]*\)")


def shopping_name_default(usda_name: str) -> str:
    """Turn a USDA name into a plain one: "Rice, brown, long-grain, cooked" -> "Brown rice"."""
    parts = [part.strip() for part in PARENTHESES.sub("", usda_name).split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return usda_name
    head, rest = parts[0], parts[1:]
    if head.lower() in FAMILY_HEADS and rest:
        head, rest = rest[0], rest[1:]
    qualifier = rest[0] if rest else ""
    plain_qualifier = (
        qualifier
        and qualifier.lower() not in PREPARATION_WORDS
        and len(qualifier.split()) <= MAX_QUALIFIER_WORDS
        and " or " not in qualifier
        and not any(char.isdigit() for char in qualifier)
        and qualifier.lower() not in head.lower()
    )
    name = f"{qualifier} {head.lower()}" if plain_qualifier else head
    return name[:1].upper() + name[1:]
