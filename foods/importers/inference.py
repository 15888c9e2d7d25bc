"""Infer allergens and diets from a USDA food group and the food's name.

Only where the group makes it plain; anything else stays unsuitable for every diet and
unreviewed, for a curator to decide. Names also reveal allergens in any group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FISH_GROUP = "1500"
DAIRY_EGG_GROUP = "0100"
MEAT_GROUPS = frozenset({"0500", "0700", "1000", "1300", "1700"})
PLANT_GROUPS = frozenset({"0900", "1100", "1200", "1600", "2000"})

SHELLFISH = re.compile(
    r"crab|shrimp|prawn|lobster|clam|oyster|mussel|scallop|crayfish|squid|octopus|"
    r"crustacean|mollus|abalone|whelk|conch|snail|cuttlefish"
)
TREE_NUTS = re.compile(
    r"almond|cashew|walnut|pecan|pistachio|hazelnut|filbert|macadamia|brazilnut|brazil nut|"
    r"pine nut|pinyon|pignolia|chestnut|beechnut|butternut|hickory"
)
PEANUTS = re.compile(r"peanut")
SESAME = re.compile(r"sesame|tahini")
SOY = re.compile(r"\bsoy|tofu|edamame|miso|tempeh|natto")
WHEAT = re.compile(
    r"(?<!buck)wheat|bulgur|couscous|semolina|spelt|pasta|noodle|bread|macaroni|spaghetti|"
    r"durum|farina|triticale|seitan"
)
NOT_WHEAT = re.compile(r"rice noodle|noodles, rice|cellophane|mung bean|rice flour")
EGG = re.compile(r"\beggs?\b|eggnog")
EGG_ONLY = re.compile(r"^eggs?\b")
MILK = re.compile(r"\b(milk|buttermilk|butter|cheese|cream|yogurt|whey|casein|ghee)\b")
# Plant milks, nut butters and the like name milk or butter but hold none.
NOT_MILK = re.compile(
    r"(coconut|soy|almond|rice|oat|cashew|hemp|peanut|sesame|sunflower seed|seed|nut|cocoa|"
    r"apple|shea|soybean) (milk|butter|cream)|soymilk|cream of tartar|cream style"
)
# "May contain": what a food's name does not list but a careful reader cannot rule out.
# Oats are milled beside wheat, barley and rye and carry gluten unless certified gluten-free;
# commercial breads usually hold milk, egg or soy improvers; chocolate shares lines with milk.
OATS = re.compile(r"\boats?\b|oatmeal|oat bran")
GLUTEN_FREE = re.compile(r"gluten[- ]free")
BAKED_GROUP = "1800"
COMMERCIAL_BAKED = re.compile(r"\b(bread|rolls?|buns?|muffins?|bagels?)\b|commercially prepared")
CHOCOLATE = re.compile(r"chocolate")
FISH = re.compile(r"\b(fish|anchov\w*|tuna|salmon|sardine\w*|cod|herring|mackerel|oyster)\b")
MEAT = re.compile(
    r"\b(beef|pork|chicken|turkey|ham|bacon|lard|franks?|frankfurter|sausage|meat|veal|lamb|"
    r"gelatin|broth|chorizo|salami|pepperoni)\b"
)


@dataclass(frozen=True)
class Inference:
    allergens: frozenset[str]
    vegan: bool = False
    vegetarian: bool = False
    pescatarian: bool = False
    may_contain: frozenset[str] = frozenset()


def _may_contain(group_code: str, name: str, allergens: set[str]) -> frozenset[str]:
    """Return the allergens a food may hold as traces or in usual recipes, beyond its own."""
    found = set()
    if OATS.search(name) and not GLUTEN_FREE.search(name):
        found.add("wheat")
    if group_code == BAKED_GROUP and COMMERCIAL_BAKED.search(name):
        found |= {"milk", "egg", "soy"}
    if CHOCOLATE.search(name):
        found.add("milk")
    return frozenset(found - allergens)


def _allergens_by_name(name: str) -> set[str]:
    found = set()
    if TREE_NUTS.search(name):
        found.add("tree_nuts")
    if PEANUTS.search(name):
        found.add("peanuts")
    if SESAME.search(name):
        found.add("sesame")
    if SOY.search(name):
        found.add("soy")
    if WHEAT.search(name) and not NOT_WHEAT.search(name):
        found.add("wheat")
    if EGG.search(name):
        found.add("egg")
    if MILK.search(NOT_MILK.sub("", name)):
        found.add("milk")
    if SHELLFISH.search(name):
        found.add("shellfish")
    elif FISH.search(name):
        found.add("fish")
    return found


def infer(group_code: str, name: str) -> Inference:
    """Infer allergens, "may contain" allergens and diets of a USDA food from group and name."""
    lowered = name.lower()
    allergens = _allergens_by_name(lowered)
    if group_code == DAIRY_EGG_GROUP and not EGG_ONLY.search(lowered):
        allergens.add("milk")
    if group_code == FISH_GROUP:
        seafood = "shellfish" if SHELLFISH.search(lowered) else "fish"
        allergens = (allergens - {"fish", "shellfish"}) | {seafood}
    traces = _may_contain(group_code, lowered, allergens)
    found = frozenset(allergens)

    if group_code == FISH_GROUP:
        return Inference(found, pescatarian=True, may_contain=traces)
    if group_code == DAIRY_EGG_GROUP:
        return Inference(found, vegetarian=True, pescatarian=True, may_contain=traces)
    if group_code in MEAT_GROUPS:
        return Inference(found, may_contain=traces)
    if group_code in PLANT_GROUPS:
        if MEAT.search(lowered) or "meatless" in lowered:
            return Inference(found, may_contain=traces)
        if allergens & {"fish", "shellfish"}:
            return Inference(found, pescatarian=True, may_contain=traces)
        if allergens & {"milk", "egg"} or traces & {"milk", "egg"}:
            # Vegetarian, but not vegan while milk or egg cannot be ruled out.
            return Inference(found, vegetarian=True, pescatarian=True, may_contain=traces)
        return Inference(found, True, True, True, may_contain=traces)
    return Inference(found, may_contain=traces)
