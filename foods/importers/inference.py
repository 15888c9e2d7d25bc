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
    """Infer allergens and diet suitability of a USDA food from its group and name."""
    lowered = name.lower()
    allergens = _allergens_by_name(lowered)

    if group_code == FISH_GROUP:
        seafood = "shellfish" if SHELLFISH.search(lowered) else "fish"
        allergens = (allergens - {"fish", "shellfish"}) | {seafood}
        return Inference(frozenset(allergens), pescatarian=True)
    if group_code == DAIRY_EGG_GROUP:
        if not EGG_ONLY.search(lowered):
            allergens.add("milk")
        return Inference(frozenset(allergens), vegetarian=True, pescatarian=True)
    if group_code in MEAT_GROUPS:
        return Inference(frozenset(allergens))
    if group_code in PLANT_GROUPS:
        if MEAT.search(lowered) or "meatless" in lowered:
            return Inference(frozenset(allergens))
        if allergens & {"fish", "shellfish"}:
            return Inference(frozenset(allergens), pescatarian=True)
        if allergens & {"milk", "egg"}:
            return Inference(frozenset(allergens), vegetarian=True, pescatarian=True)
        return Inference(frozenset(allergens), True, True, True)
    return Inference(frozenset(allergens))
