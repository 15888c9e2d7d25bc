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
from dataclasses import dataclass, replace
from fractions import Fraction

from foods.recipes import matching
from foods.recipes.matching import singular
from foods.recipes.tagger import parser
from foods.recipes.units import (
    PINT_NAMES,
    canonical_unit,
    grams_for,
    is_mass,
    portion_volume_ml,
    volume_ml,
)

MATCHES = 5


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    "steak": "steak",
    "steaks": "steak",
    "large": "large",
    "medium": "medium",
    "small": "small",
    "whole": "whole",
}


@dataclass(frozen=True)
class FoodMatch:
    food_id: int
    name: str
    score: float  # 0..1, shown as the match's confidence


@dataclass(frozen=True)
class LineAnalysis:
    text: str  # the line as written
    name: str  # the food words found ("brown rice")
    quantity: float | None  # 2.5 for "2-3" (a range's midpoint)
    unit: str  # a unit of units.canonical_unit ("cup"), a portion word ("medium", "can",
    # "handful"), or ""
    matches: tuple[FoodMatch, ...]  # best first, up to MATCHES
    grams: float | None  # of the top match; None when it cannot be counted
    portion_id: int | None  # the USDA Portion used, if any
    counted: bool  # False for "salt to taste", "pepper": lines without an amount
    vague: bool  # "a handful", "1 medium", "a pinch": the grams are an estimate
    problem: str  # why grams are None ("USDA gives no cup or spoon weight for X: ...")
    preparation: str = ""  # "drained and rinsed"
    size: str = ""  # "large"; grams_for_food needs it for another food's portions


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Fraction(value)) if not isinstance(value, float) else value
    except (TypeError, ValueError):
        return None


def _read_unit(unit) -> str:
    """Return the canonical unit ("cup"), a vague or portion word ("pinch", "can"), or ""."""
    # The parser gives pint units ("fluid_ounce") or its own words ("pinches").
    word = str(unit or "").strip().lower()
    if "*" in word or "/" in word:
        # A unit written twice ("1 cup cup flour") comes back as pint's "cup ** 2": read the
        # one unit named; a mix of units is no unit a cook wrote.
        names = set(re.findall(r"[a-z_]+", word))
        word = names.pop() if len(names) == 1 else ""
    word = word.replace("_", " ")
    if not word:
        return ""
    canonical = canonical_unit(word)
    if canonical:
        return canonical
    for vague in (word, word.removesuffix("es"), word.removesuffix("s")):
        if vague in VAGUE:
            return vague
    return PORTION_WORDS.get(word, word)


def _amount(parsed) -> tuple[float | None, str, bool]:
    """Return (quantity, unit, canned) of the line; "1 can (15 oz)" reads 15 oz."""
    amounts = list(parsed.amount or ())
    if not amounts:
        return None, "", False
    first = amounts[0]
    if hasattr(first, "amounts"):  # "1 lb 2 oz", "1 cup plus 2 tbsp": one amount
        return (*_sum(first.amounts), False)
    quantity = _mid(first)
    unit = _read_unit(first.unit)
    canned = any(_read_unit(amount.unit) == "can" for amount in amounts)
    if unit not in PINT_NAMES and len(amounts) > 1:
        second = amounts[1]
        second_unit = _read_unit(second.unit)
        second_quantity = _mid(second)
        if second_unit in PINT_NAMES and second_quantity:
            return (quantity or 1) * second_quantity, second_unit, canned
    return quantity, unit, canned


def _sum(parts) -> tuple[float | None, str]:
    """Return the sum of amounts in units of one kind, in g or ml ("1 lb 2 oz" -> 510.3 g)."""
    units = [_read_unit(part.unit) for part in parts]
    quantities = [_number(part.quantity) for part in parts]
    if None in quantities or not all(unit in PINT_NAMES for unit in units):
        return quantities[0], units[0]
    if all(is_mass(unit) for unit in units):
        total = sum(grams_for(q, unit).grams for q, unit in zip(quantities, units, strict=True))
        return round(total, 1), "g"
    if not any(is_mass(unit) for unit in units):
        total = sum(volume_ml(q, unit) for q, unit in zip(quantities, units, strict=True))
        return round(total, 1), "ml"
    return quantities[0], units[0]


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


# Portion words that tell one cup from another ("1 cup, sliced", "1 cup, packed"), as
# `_forms` writes them: a portion naming a form the line does not name ranks lower,
# form-changing ones lower still.
FORMS = _set(
    "chopped slice grated shredded cube chunk crumbled packed sifted piece strip ring leaf "
    "sprig pureed melted whipped ground elbow penne farfalle rotini shell lasagna spaghetti "
    "large small curd"
)
CHANGED_FORMS = _set("cherry shell yield whipped melted pureed ground crumb")
# Forms a cup holds when the line names none: the food as it comes.
PLAIN_FORMS = _set("fluid unpacked unsifted whole half")
# Words of lines and portion names, read alike ("slices", "sliced" -> "slice").
FORM_WORDS = {
    "sliced": "slice",
    "slices": "slice",
    "cubed": "cube",
    "cubes": "cube",
    "halved": "half",
    "halves": "half",
    "mashed": "pureed",
    "puree": "pureed",
    "minced": "chopped",
    "shredded": "grated",
    "diced": "chopped",
    "chunks": "chunk",
    "pieces": "piece",
    "strips": "strip",
    "rings": "ring",
    "leaves": "leaf",
    "sprigs": "sprig",
    "elbows": "elbow",
    "shells": "shell",
    "crumbs": "crumb",
    "yields": "yield",
}
# Count words in portion names that stand for one whole item.
ITEM_WORDS = _set("fruit whole piece item each unit link")
# Count words naming part of an item: not what "2 onions" means.
PART_WORDS = _set(
    "slice leaf stalk strip ring wedge spear floweret sprout cube pat serving nlea cherry "
    "berries tip sprig"
)
_MASS_PORTION = re.compile(r"^\s*[\d.]+\s*(oz|lb|g|grams?)\b", re.IGNORECASE)
_PORTION_WORD = re.compile(r"[a-z]+")
_YIELDS_NOTE = re.compile(r"\(yields?[^)]*\)")


def _forms(text: str) -> set[str]:
    """Return the words of a line or portion name as FORMS writes them."""
    text = text.lower().replace("not packed", "unpacked").replace("not sifted", "unsifted")
    text = _YIELDS_NOTE.sub("", text)  # "1 cup, fluid (yields 2 cups whipped)"
    return {FORM_WORDS.get(word, word) for word in _PORTION_WORD.findall(text)}


def _volume_portion(portions: Sequence, unit: str, hints: set[str], food_name: str = ""):
    """Return the volume portion whose form fits the line best ("1 cup, sliced"), or None."""
    # Spices are sold ground or as dried leaves, and USDA weighs each kind it sells: no
    # kind of a spice's teaspoon ranks before another ("1 tsp, ground" of pepper).
    plain = {"ground", "leaf", "whole"} if food_name.lower().startswith("spices") else set()
    best, best_score = None, None
    for portion in portions:
        if not portion_volume_ml(portion.name):
            continue
        named = _forms(portion.name) - plain
        score = 2.0 * len(named & hints & (FORMS | CHANGED_FORMS | PLAIN_FORMS))
        score -= len((named & FORMS) - hints)
        score -= 2.0 * len((named & CHANGED_FORMS) - hints)
        score += 0.5 if named & PLAIN_FORMS else 0.0
        # USDA weighed this very measure ("1 pint as purchased" for "1 pint strawberries").
        score += 3.0 if unit in named or f"{unit}s" in named else 0.0
        score += 0.3 if "cup" in named else 0.0
        if best_score is None or score > best_score:
            best, best_score = portion, score
    return best


def _count_portion(
    portions: Sequence, unit: str, size: str, item_words: set[str], *, juice: bool, egg: bool
):
    """Return the portion a count means ("2 bananas" -> "1 medium"), or None."""
    sizes = {word for word in SIZE_WORDS if word in size.lower().split()}
    best, best_score = None, 0.0
    for portion in portions:
        if portion_volume_ml(portion.name) or _MASS_PORTION.match(portion.name):
            continue
        named = _forms(portion.name)
        score = 0.0
        if unit and unit not in SIZE_WORDS:
            if not ({unit, f"{unit}s"} | UNIT_ALIASES.get(unit, set())) & named:
                continue
            score += 4
        elif named & PART_WORDS:
            continue
        if sizes:
            score += 3.5 if sizes & named else (-1 if named & SIZE_WORDS else 0)
        elif egg and "large" in named:
            score += 2.5  # US recipes mean large eggs
        elif "medium" in named:
            score += 2
        elif named & SIZE_WORDS:
            score += 0.5  # a sized item still beats none
        if named & item_words:
            score += 2  # "1 cucumber (8-1/4")" for "1 cucumber"
        if named & ITEM_WORDS:
            score += 1  # "1 fruit", "1 link"
        if "yield" in named:
            score += 1 if juice else -1  # "1 lemon yields" is juice; else it is not the item
        if score > best_score:
            best, best_score = portion, score
    return best


SIZE_WORDS = frozenset({"small", "medium", "large", "jumbo"})
# Units of a set weight: a count of them is no estimate ("1 stick butter", "1 can tuna").
PACKAGED = _set("stick can package packet envelope jar bottle container")
UNIT_ALIASES = {"floret": {"floweret", "florets"}, "stalk": {"rib"}, "piece": {"pieces"}}


def _portion_unit_count(name: str) -> float:
    """Return how many items a portion holds ("2 slices" -> 2, "0.5 breast" -> 0.5)."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)", name)
    value = float(match.group(1)) if match else 1.0
    return value or 1.0


def grams_of(
    quantity: float | None,
    unit: str,
    *,
    size: str = "",
    portions: Sequence,
    food_name: str,
    hints: set[str] = frozenset(),
    item_words: set[str] = frozenset(),
) -> tuple[float | None, int | None, bool, str]:
    """Return (grams, portion_id, vague, problem) for an amount of one food."""
    what = food_name or "this food"
    if unit in VAGUE:
        amount, vague_unit, fallback = VAGUE[unit]
        count = quantity or 1
        if vague_unit:
            portion = _volume_portion(portions, vague_unit, hints, food_name)
            if portion is not None:
                grams = volume_ml(amount * count, vague_unit) * portion.grams
                grams /= portion_volume_ml(portion.name)
                return round(grams, 2), portion.pk, True, ""
        return round(fallback * count, 2), None, True, ""
    if quantity is None:
        return None, None, False, "No amount: give grams."
    if quantity <= 0:
        return None, None, False, "Give an amount above 0."
    if unit in PINT_NAMES:
        if is_mass(unit):
            return round(grams_for(quantity, unit).grams, 2), None, False, ""
        portion = _volume_portion(portions, unit, hints, food_name)
        if portion is None:
            return (
                None,
                None,
                False,
                (f"USDA gives no cup or spoon weight for {what}: give the amount in grams."),
            )
        grams = volume_ml(quantity, unit) * portion.grams / portion_volume_ml(portion.name)
        return round(grams, 2), portion.pk, False, ""
    words = set(item_words) | set(matching.food_head(food_name))
    portion = _count_portion(
        portions,
        unit,
        size,
        words,
        juice="juice" in food_name.lower(),
        egg=food_name.lower().startswith("egg"),
    )
    if portion is None:
        named = f'"{unit}"' if unit and unit not in SIZE_WORDS else "one"
        return None, None, False, f"USDA gives no weight for {named} of {what}: give grams."
    grams = portion.grams / _portion_unit_count(portion.name) * quantity
    return round(grams, 2), portion.pk, unit not in PACKAGED, ""


def grams_for_food(analysis: LineAnalysis, food) -> tuple[float | None, int | None, str]:
    """Return (grams, portion_id, problem) of a line's amount in another food."""
    if not analysis.counted:
        return None, None, "Not counted."
    grams, portion_id, _, problem = grams_of(
        analysis.quantity,
        analysis.unit,
        size=analysis.size,
        portions=_portions(food.pk),
        food_name=food.name,
        hints=_forms(analysis.text),
        item_words=_item_words(analysis.name),
    )
    return grams, portion_id, problem


def _item_words(name: str) -> set[str]:
    tokens = [singular(word) for word in _PORTION_WORD.findall(name.lower())]
    # "sweet potato" is USDA's "1 sweetpotato".
    return set(tokens) | {a + b for a, b in zip(tokens, tokens[1:], strict=False)}


def _clean(name: str, unit: str, preparation: str) -> tuple[str, str]:
    """Return the food words and unit, portion words moved out of the name
    ("salmon fillets" -> "salmon", "fillet"); "juice of 1 lemon" reads lemon juice."""
    if not name:
        return "", unit
    tokens = name.split()
    while len(tokens) > 1 and tokens[-1].lower() in CUT_WORDS:
        word = PORTION_WORDS.get(tokens.pop().lower(), "")
        unit = unit or word
    name = " ".join(tokens)
    if re.search(r"\bjuice", preparation, re.IGNORECASE) and "juice" not in name.lower():
        name = f"{name} juice"
    return name, unit


# Portion words a cook may write after the food ("2 salmon fillets").
CUT_WORDS = _set(
    "fillet fillets floret florets spear spears sprig sprigs clove cloves slice slices "
    "stalk stalks head heads piece pieces link links wedge wedges stick sticks steak steaks"
)


def _portions(food_id: int):
    return _portions_of({food_id}).get(food_id, [])


def _portions_of(food_ids: set[int]) -> dict[int, list]:
    """Return the USDA portions of some foods, by food, in one query."""
    from foods.models import Portion

    found: dict[int, list] = {food_id: [] for food_id in food_ids}
    for portion in Portion.objects.filter(food_id__in=food_ids).order_by("seq", "id"):
        found[portion.food_id].append(portion)
    return found


def _split_unit(unit: str, size: str) -> tuple[str, str]:
    """Split a size from a unit ("small head" -> "head", "small"; "large" -> "", "large")."""
    if unit in SIZE_WORDS:
        return "", f"{size} {unit}".strip()
    if unit == "whole":
        return "", size
    words = unit.split()
    if len(words) > 1 and words[0] in SIZE_WORDS:
        return PORTION_WORDS.get(" ".join(words[1:]), " ".join(words[1:])), f"{size} {words[0]}"
    return unit, size


def _leftover_words(text: str) -> str:
    """Return a line's words that are no amount or unit: the food, when the parser found none."""
    kept = []
    for word in text.split():
        bare = word.strip(".,;:()").lower()
        if not any(letter.isalpha() for letter in bare) or bare in {"a", "an", "of"}:
            continue
        if canonical_unit(bare) or bare in VAGUE or bare in PORTION_WORDS:
            continue
        kept.append(word.strip(".,;:()"))
    return " ".join(kept)


# A fraction written with a fraction or division slash, or with spaces ("2 ⁄ 3"), which the
# parser would read as two amounts (2 × 3 cups).
_SLASHED = re.compile(r"(\d)\s*[/\u2044\u2215]\s*(\d)")
# "1,5 kg" is 1.5 kg (a decimal comma); "1,500 g" is 1500 g (a thousands comma).
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])")
_THOUSANDS_COMMA = re.compile(r"(?<![\d.,])(\d{1,3}),(\d{3})(?![\d,])")


def normalise(text: str) -> str:
    """Return the line with its numbers as the parser reads them: "1,5" -> "1.5", "2⁄3" -> "2/3"."""
    text = _SLASHED.sub(r"\1/\2", text)
    text = _DECIMAL_COMMA.sub(r"\1.\2", text)
    return _THOUSANDS_COMMA.sub(r"\1\2", text)


def analyse_line(text: str) -> LineAnalysis:
    """Read one ingredient line: its food words, amount, best foods and grams."""
    return analyse_lines([text])[0] if text.strip() else _read(text, None)


def _read(text: str, idx: matching.Index | None) -> LineAnalysis:
    """Read a line's food words, amount and best foods; its grams come after (_weigh)."""
    clean = normalise(" ".join(text.split()))
    if not clean:
        return LineAnalysis(text, "", None, "", (), None, None, False, False, "Empty line.")
    parsed = parser()(clean)
    # "salt and pepper": the first food is matched.
    name = parsed.name[0].text if parsed.name else _leftover_words(clean)
    preparation = _text(parsed.preparation)
    size = _text(parsed.size)
    comment = _text(parsed.comment)
    quantity, unit, canned = _amount(parsed)
    unit, size = _split_unit(unit, size)
    name, unit = _clean(name, unit, preparation)
    states = f"{preparation} {comment} {'canned' if canned else ''}"
    found = matching.rank(name, states, limit=MATCHES, idx=idx)
    matches = tuple(FoodMatch(item.food_id, item.name, item.score) for item in found)
    if quantity is None and unit not in VAGUE:
        return LineAnalysis(
            text=text,
            name=name,
            quantity=None,
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
    return LineAnalysis(
        text=text,
        name=name,
        quantity=quantity,
        unit=unit,
        matches=matches,
        grams=None,
        portion_id=None,
        counted=True,
        vague=unit in VAGUE,
        problem="" if matches else "No food found: pick one.",
        preparation=preparation,
        size=size,
    )


def _weigh(line: LineAnalysis, portions: dict[int, list]) -> LineAnalysis:
    """Return a counted line with the grams of its amount in its best food."""
    if not line.counted or not line.matches:
        return line
    top = line.matches[0]
    grams, portion_id, vague, problem = grams_of(
        line.quantity,
        line.unit,
        size=line.size,
        portions=portions.get(top.food_id, []),
        food_name=top.name,
        hints=_forms(normalise(" ".join(line.text.split()))),
        item_words=_item_words(line.name),
    )
    return replace(line, grams=grams, portion_id=portion_id, vague=vague, problem=problem)


def analyse_lines(lines: list[str]) -> list[LineAnalysis]:
    """Read several lines, skipping blank ones."""
    idx = matching.index()  # the food table checked once for all the lines
    read = [_read(line, idx) for line in lines if line.strip()]
    # The best foods' portions in one query, not one a line.
    portions = _portions_of({line.matches[0].food_id for line in read if line.matches})
    return [_weigh(line, portions) for line in read]


def search_foods(text: str, limit: int = 10) -> list[FoodMatch]:
    """Return the catalog's foods for what a cook typed, best first."""
    if not text.strip():
        return []
    return [
        FoodMatch(item.food_id, item.name, item.score)
        for item in matching.rank(text, "", limit=limit)
    ]
