"""Rank the catalog's foods for the food words of an ingredient line ("cooked brown rice").

USDA names put the food first and its states after commas ("Rice, brown, long-grain,
cooked"); a cook writes the states first ("cooked brown rice"). Both become sets of
singular words, and a food scores by how much of the line's words it holds (each word
weighted by how rare it is in the catalog), how little else its name says, whether its
first part is what the line names, and whether its states agree with the line's (a line
that says no state means the food as bought: raw). Groups a shopper does not buy from
(baby foods, fast foods...) and brand-name products rank after plain foods.

The index is built once a process from the active foods and rebuilt when the food table
changes (its row count or latest update moves); a line then costs a few milliseconds.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from foods.querysets import NON_SHOPPER_GROUPS

# A misspelt word is read as the catalog word it is this close to (rapidfuzz ratio, 0-100).
SPELLING_CUTOFF = 84
# Words too short to correct safely ("oat" is not a misspelling of "oats" that matters).
SPELLING_MIN_LENGTH = 5
SPELLING_CACHE = 10_000


def singular(word: str) -> str:
    """Return a word's singular, near enough to compare ("berries" -> "berry")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("oes") or word.endswith("ches") or word.endswith("shes"):
        return word[:-2]
    if word.endswith("ves") and word not in {"chives", "olives", "cloves"}:
        return word[:-3] + "f"
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _set(text: str) -> frozenset[str]:
    """Return the words of a text as `words` reads them (singular)."""
    return frozenset(singular(word) for word in text.split())


# Words that say nothing about which food is meant.
STOPWORDS = _set(
    "a an and or of the for to in on into at by about some few any each per plus "
    "optional divided packed heaping level scant large small medium extra good quality "
    "fresh freshly finely roughly thinly coarsely very lightly well cut into pieces "
    "rinsed room temperature taste needed serving garnish divided plus more chunk cube "
    "wedge strip ring kernel floret spear"
)
# Words saying how a food is cut or handled: a food whose name has one ranks a little higher
# ("grated parmesan" -> "Cheese, parmesan, grated"), one without is still the food.
HANDLING = _set(
    "chopped diced minced sliced grated shredded crushed peeled seeded halved quartered "
    "cubed trimmed beaten softened melted pitted"
)
# What a cook's state word means in USDA's names: each cook word, the food words it allows.
STATES = {
    "cooked": {"cooked", "boiled", "steamed", "baked", "roasted", "braised", "stewed"},
    "boiled": {"boiled", "cooked"},
    "steamed": {"steamed", "cooked", "boiled"},
    "roasted": {"roasted", "baked", "cooked", "toasted", "dry"},
    "toasted": {"toasted", "roasted", "dry"},
    "baked": {"baked", "cooked", "roasted"},
    "grilled": {"grilled", "broiled", "cooked", "roasted"},
    "fried": {"fried", "cooked"},
    "canned": {"canned", "drained", "solids"},
    "drained": {"drained", "canned"},
    "frozen": {"frozen"},
    "dried": {"dried", "dry", "dehydrated"},
    "raw": {"raw"},
    "fresh": {"raw"},
    "uncooked": {"raw", "dry", "uncooked"},
    "dry": {"dry", "raw", "dried", "uncooked"},
}
# Food words that name a state: a food with one the line did not ask for ranks lower.
STATE_WORDS = _set(
    "cooked boiled steamed baked roasted braised stewed grilled broiled fried toasted "
    "canned frozen dried dehydrated prepared microwaved sauteed stir reconstituted "
    "pickled smoked cured simmered scrambled poached heated peeled dry"
)
# Words that say a food is as bought; a line naming no state prefers them.
RAW_WORDS = _set("raw fresh uncooked")
# States a cook brings about: a food in one of them is not what a line naming no state buys.
COOKED = _set(
    "cooked boiled steamed baked braised stewed grilled broiled fried prepared microwaved "
    "sauteed simmered scrambled poached heated"
)
# Cook's words (singular) and the words USDA uses for the same food.
SYNONYMS = {
    "scallion": "onion spring scallion",
    "green onion": "onion spring scallion",
    "spring onion": "onion spring scallion",
    "cilantro": "coriander cilantro leaf",
    "zucchini": "squash summer zucchini",
    "courgette": "squash summer zucchini",
    "garbanzo": "chickpea",
    "aubergine": "eggplant",
    "bell pepper": "pepper sweet",
    "red pepper": "pepper sweet red",
    "green pepper": "pepper sweet green",
    "capsicum": "pepper sweet",
    "red pepper flake": "spice pepper red cayenne",
    "chili flake": "spice pepper red cayenne",
    "cayenne": "spice pepper red cayenne",
    "all-purpose flour": "wheat flour white all-purpose",
    "plain flour": "wheat flour white all-purpose",
    "whole wheat flour": "wheat flour whole-grain",
    "ground beef": "beef ground",
    "beef mince": "beef ground",
    "minced beef": "beef ground",
    "ground pork": "pork ground",
    "ground lamb": "lamb ground",
    "ground turkey": "turkey ground",
    "heavy cream": "cream heavy whipping",
    "double cream": "cream heavy whipping",
    "whipping cream": "cream heavy whipping",
    "powdered sugar": "sugar powdered",
    "icing sugar": "sugar powdered",
    "confectioner sugar": "sugar powdered",
    "caster sugar": "sugar granulated",
    "white sugar": "sugar granulated",
    "baking soda": "leavening baking soda",
    "bicarbonate of soda": "leavening baking soda",
    "baking powder": "leavening baking powder",
    "yeast": "leavening yeast",
    "yoghurt": "yogurt",
    "prawn": "shrimp",
    "rocket": "arugula",
    "ketchup": "catsup",
    "breadcrumb": "bread crumb",
    "zest": "peel",
    "soy milk": "soymilk",
    "rolled oat": "oat regular quick",
    "old-fashioned oat": "oat regular quick",
    "quick oat": "oat regular quick",
    "tomato paste": "tomato product paste",
    "tomato sauce": "tomato product sauce",
    "tomato puree": "tomato product puree",
    "broth": "soup broth",
    "stock": "soup stock",
    "bok choy": "cabbage chinese pak-choi",
    "pak choi": "cabbage chinese pak-choi",
    "shrimp": "crustacean shrimp",
    "bacon": "pork cured bacon",
    "chocolate chip": "chocolate semisweet candy",
    "mayo": "mayonnaise",
    "mayonnaise": "salad dressing mayonnaise regular",
    "sriracha": "sauce hot chile sriracha",
    "hot sauce": "sauce hot pepper",
    "cocoa powder": "cocoa dry powder",
    "coconut milk": "nut coconut milk",
    "shredded coconut": "coconut meat dried desiccated",
    "desiccated coconut": "coconut meat dried desiccated",
    "table salt": "salt table",
    "mint": "spearmint",
    "ground coriander": "spice coriander seed",
    "coriander seed": "spice coriander seed",
    "kiwi": "kiwifruit",
    "half-and-half": "cream half and half",
    "bean sprout": "mung bean sprouted",
    "monterey jack": "cheese monterey",
    "red chili": "pepper hot chili red",
    "green chili": "pepper hot chili green",
    "chili pepper": "pepper hot chili",
    "jam": "jams preserves",
}
# Cook's words that name no other food than these ("red onion": USDA has only "Onions").
REWRITES = {
    "red onion": "onion",
    "yellow onion": "onion",
    "white onion": "onion",
    "brown onion": "onion",
    "kosher salt": "salt",
    "sea salt": "salt",
    "fine sea salt": "salt",
    "creamy peanut butter": "peanut butter",
    "smooth peanut butter": "peanut butter",
    "sharp cheddar": "cheddar",
    "extra virgin olive oil": "olive oil",
    "extra-virgin olive oil": "olive oil",
}
# What a cook's plain words mean when USDA has many such foods (SR28 NDB numbers): the
# plain food as bought in a US grocery (whole milk, white granulated sugar, all-purpose
# flour, table salt, raw meat). Only a nudge: a line that names a state or variety
# ("cooked", "skim") outranks it.
PANTRY: dict[str, tuple[str, ...]] = {
    "milk": ("01077",),
    "whole milk": ("01077",),
    "skim milk": ("01085",),
    "sugar": ("19335",),
    "granulated sugar": ("19335",),
    "white sugar": ("19335",),
    "caster sugar": ("19335",),
    "brown sugar": ("19334",),
    "flour": ("20081",),
    "all-purpose flour": ("20081",),
    "plain flour": ("20081",),
    "water": ("14411",),
    "oil": ("04044",),
    "vegetable oil": ("04044",),
    "cooking oil": ("04044",),
    "cooking spray": ("04044",),
    "salt": ("02047",),
    "pepper": ("02030",),
    "salt pepper": ("02047",),
    "black pepper": ("02030",),
    "ground black pepper": ("02030",),
    "butter": ("01001",),
    "unsalted butter": ("01145",),
    "egg": ("01123",),
    "rice": ("20044", "20045"),
    "white rice": ("20044", "20045"),
    "long-grain white rice": ("20044", "20045"),
    "basmati rice": ("20044", "20045"),
    "jasmine rice": ("20044", "20045"),
    "brown rice": ("20036", "20037"),
    "pasta": ("20120", "20121"),
    "spaghetti": ("20120", "20121"),
    "penne": ("20120", "20121"),
    "penne pasta": ("20120", "20121"),
    "macaroni": ("20120", "20121"),
    "elbow macaroni": ("20120", "20121"),
    "fusilli": ("20120", "20121"),
    "linguine": ("20120", "20121"),
    "fettuccine": ("20120", "20121"),
    "rigatoni": ("20120", "20121"),
    "quinoa": ("20035", "20137"),
    "couscous": ("20028", "20029"),
    "bulgur": ("20012", "20013"),
    "cornmeal": ("20022",),
    "lentil": ("16069", "16070"),
    "oat": ("08120",),
    "rolled oat": ("08120",),
    "old-fashioned oat": ("08120",),
    "bread": ("18069",),
    "white bread": ("18069",),
    "whole wheat bread": ("18075",),
    "mayonnaise": ("04025",),
    "mayo": ("04025",),
    "chicken broth": ("06194",),
    "chicken stock": ("06194",),
    "beef broth": ("06008",),
    "beef stock": ("06008",),
    "vegetable broth": ("06700",),
    "vegetable stock": ("06700",),
    "soy sauce": ("16123",),
    "yogurt": ("01116",),
    "plain yogurt": ("01116",),
    "greek yogurt": ("01256",),
    "plain greek yogurt": ("01256",),
    "cheddar": ("01009",),
    "cheddar cheese": ("01009",),
    "parmesan": ("01032",),
    "parmesan cheese": ("01032",),
    "mozzarella": ("01026",),
    "mozzarella cheese": ("01026",),
    "cottage cheese": ("01012",),
    "cream cheese": ("01017",),
    "chicken breast": ("05062",),
    "boneless skinless chicken breast": ("05062",),
    "chicken thigh": ("05096",),
    "ground beef": ("23572",),
    "salmon": ("15236",),
    "salmon fillet": ("15236",),
    "shrimp": ("15270",),
    "tuna": ("15121",),
    "bacon": ("10123",),
    "tomato": ("11529",),
    "potato": ("11352",),
    "onion": ("11282",),
    "lemon": ("09150",),
    "lime": ("09159",),
    "apple": ("09003",),
    "orange": ("09200",),
    "pineapple": ("09266",),
    "corn": ("11167",),
    "pea": ("11312",),
    "apple juice": ("09016",),
    "orange juice": ("09206",),
    "applesauce": ("09019",),
    "peanut butter": ("16098",),
    "honey": ("19296",),
    "chocolate chip": ("19080",),
    "semisweet chocolate chip": ("19080",),
    "cocoa powder": ("19165",),
    "vanilla": ("02050",),
    "vanilla extract": ("02050",),
    "baking powder": ("18369",),
    "tomato sauce": ("11549",),
    "canned tomato": ("11531",),
    "diced tomato": ("11531",),
    "crushed tomato": ("11693",),
    "pumpkin puree": ("11424",),
    "coconut milk": ("12118",),
    "almond milk": ("14091",),
    "soy milk": ("16222",),
    "heavy cream": ("01053",),
    "sour cream": ("01056",),
    "almond": ("12061",),
    "walnut": ("12155",),
    "cashew": ("12087",),
    "ketchup": ("11935",),
    "mustard": ("02046",),
    "ginger": ("11216",),
    "garlic": ("11215",),
    "cumin": ("02014",),
    "ground cumin": ("02014",),
    "wine": ("14106",),
    "white wine": ("14106",),
    "dry white wine": ("14106",),
    "red wine": ("14096",),
    "sausage": ("07036",),
    "italian sausage": ("07036",),
}


# Words that leave a food the pantry's food ("boneless chicken thighs", "ripe bananas").
LOOSE_WORDS = _set(
    "boneless skinless organic ripe lean raw whole-grain thick thin boneless-skinless "
    "large medium small"
)
# Group words of dishes made from a food ("Soup, black bean"), not the food itself.
DISH_HEADS = _set("soup sauce candy dressing")
_PARENS = re.compile(r"\([^)]*\)")
# A line's word found only in a name's parentheses counts this much of a word in the name.
ASIDE = 0.5
# USDA's words for the everyday kind of a food, what a cook means who names no kind.
GENERIC = _set(
    "long-grain all-purpose average commercial varieties variety type species regular all"
)
# A score this high reads as full confidence (all the line's words, its state, its kind).
FULL_SCORE = 1.2
# First words of USDA names that name a group rather than the food ("Nuts, almonds",
# "Spices, cumin seed"): the food is named by the part after them.
GROUP_HEADS = _set(
    "nut seed spice fish crustacean mollusk beverage soup sauce candy cereal leavening agent snack "
    "alcoholic product tomato-product dressing salad"
)
# Words in USDA names that do not make a food a different food from what a cook names.
NEUTRAL = _set(
    "raw fresh year round average all commercial variety varieties type regular without "
    "added enriched unenriched mature ns includes salad cooking ready-to-serve ready serve "
    "solids prepared unprepared fluid whole as to not fortified with vitamin d"
)


@dataclass(frozen=True)
class Entry:
    food_id: int
    name: str
    source_ref: str
    words: frozenset[str]
    head: frozenset[str]  # the words naming the food ("rice" of "Rice, brown, ..."; "almond"
    # of "Nuts, almonds")
    front: frozenset[str]  # the words of the name's first two parts
    order: tuple[str, ...]
    informative: float  # the name's weight, neutral and state words left out (for precision)
    generic: bool  # USDA's everyday kind ("long-grain", "all commercial varieties")
    dish: frozenset[str]  # "soup" of "Soup, black bean, canned": a dish, not the food
    portions: int
    shopper: bool
    brand: frozenset[str]  # brand words; a line naming none ranks branded foods lower
    curated: bool
    aside: frozenset[str]  # words only in the name's parentheses ("drumsticks" of "Chicken,
    # skin (drumsticks and thighs)"): they say what it is near, not what it is


_WORD = re.compile(r"[a-z0-9%]+(?:-[a-z]+)*")


def words(text: str, *, hyphen_parts: bool = True) -> list[str]:
    """Return the singular lower-case words of a text, hyphenated words kept whole too."""
    result = []
    for token in _WORD.findall(text.lower()):
        result.append(singular(token))
        if hyphen_parts and "-" in token:
            result.extend(singular(part) for part in token.split("-"))
    return result


def food_head(name: str) -> list[str]:
    """Return the words naming the food in a USDA name ("Nuts, almonds" -> ["almond"])."""
    parts = [words(part, hyphen_parts=False) for part in _PARENS.sub("", name).split(",")]
    head = [word for word in parts[0] if word not in GROUP_HEADS]
    if not head and len(parts) > 1:
        head = parts[1]
    return head


def affirmed(text: str) -> list[str]:
    """Return a name's words, leaving out what it says the food is without ("without peel")."""
    found = words(text)
    return [
        word
        for before, word in zip(["", *found], found, strict=False)
        if before not in {"without", "no", "non", "not"}
    ]


class Index:
    """The active foods' words: which foods hold a word, how rare it is, each food's parts."""

    def __init__(self, rows: list[dict]):
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for position, row in enumerate(rows):
            for word in row["words"]:
                self.by_word[word].append(position)
        total = max(len(rows), 1)
        self.weight = {
            word: math.log(1 + total / len(positions)) for word, positions in self.by_word.items()
        }
        self.entries = [self._entry(row) for row in rows]
        self.by_ref = {entry.source_ref: position for position, entry in enumerate(self.entries)}
        self.vocabulary = [word for word in self.by_word if len(word) >= SPELLING_MIN_LENGTH]
        self._spelling: dict[str, str | None] = {}

    def _entry(self, row: dict) -> Entry:
        parts = [
            words(part, hyphen_parts=False) for part in _PARENS.sub("", row["name"]).split(",")
        ]
        head = food_head(row["name"])
        order = tuple(word for part in parts for word in part)
        # "with peel", "includes skin": how it is bought, not another food.
        bought = {
            word
            for before, word in zip(("", *order), order, strict=False)
            if before in {"with", "include"} and word in {"peel", "skin"}
        }
        informative = sum(
            self.weight.get(word, 0.0)
            for word in set(order) - bought
            if word not in NEUTRAL and word not in STATE_WORDS and word not in RAW_WORDS
        )
        generic = bool(GENERIC & set(order))
        return Entry(
            food_id=row["pk"],
            name=row["name"],
            source_ref=row["source_ref"],
            words=row["words"],
            head=frozenset(head),
            front=frozenset(word for part in parts[:2] for word in part),
            order=order,
            informative=informative,
            generic=generic,
            dish=frozenset(parts[0]) & DISH_HEADS,
            portions=row["portions"],
            shopper=row["group"] not in NON_SHOPPER_GROUPS,
            brand=_brand_words(row["name"], row["brand"]),
            curated=bool(row["shopping_name"]),
            aside=frozenset(words(" ".join(_PARENS.findall(row["name"])))) - set(order),
        )

    def correct(self, word: str) -> str | None:
        """Return the catalog word a word is, or is a misspelling of; None when none is near."""
        if word in self.by_word:
            return word
        if len(word) < SPELLING_MIN_LENGTH:
            return None
        if word not in self._spelling:
            if len(self._spelling) >= SPELLING_CACHE:
                self._spelling.clear()  # what cooks type is unbounded; the memory is not
            found = process.extractOne(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF
            )
            self._spelling[word] = found[0] if found else None
        return self._spelling[word]


_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "index": None}


def _brand_words(name: str, brand: str) -> frozenset[str]:
    """Return a food's brand words: its brand, or the capitals SR28 writes brands in
    ("KASHI Pizza", "CHEERIOS")."""
    capitals = [token for token in re.findall(r"[A-Za-z']+", name) if len(token) >= 3]
    capitals = [token for token in capitals if token.isupper()]
    return frozenset(words(" ".join([brand, *capitals])))


def build_index() -> Index:
    """Read the active foods into a word index (one query for foods, one for portions)."""
    from django.db.models import Count

    from foods.models import Food

    rows = []
    queryset = Food.objects.active().annotate(portion_count=Count("portions"))
    for (
        pk,
        name,
        brand,
        keywords,
        shopping_name,
        group,
        source_ref,
        portions,
    ) in queryset.values_list(
        "pk",
        "name",
        "brand",
        "keywords",
        "shopping_name",
        "category__usda_group_code",
        "source_ref",
        "portion_count",
    ):
        rows.append(
            {
                "pk": pk,
                "name": name,
                "brand": brand,
                "shopping_name": shopping_name,
                "group": group,
                "source_ref": source_ref,
                "portions": portions,
                "words": frozenset(affirmed(f"{name} {keywords} {brand} {shopping_name}")),
            }
        )
    return Index(rows)


def index() -> Index:
    """Return the food index, rebuilt when the active foods have changed."""
    from django.db.models import Count, Max, Q

    from foods.models import Food

    # The count of active foods too: a bulk update() (is_active=False) leaves updated_at alone.
    state = Food.objects.aggregate(
        count=Count("pk"), active=Count("pk", filter=Q(is_active=True)), latest=Max("updated_at")
    )
    key = (state["count"], state["active"], state["latest"])
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            _cache["index"] = build_index()
            _cache["key"] = key
        return _cache["index"]  # type: ignore[return-value]


def plain(text: str, *, keep_all: bool = False) -> str:
    """Return a line's food words as the tables above are keyed ("Green Onions" -> "green
    onion"), words that name no food left out."""
    tokens = (singular(token) for token in re.findall(r"[a-z0-9%][a-z0-9%-]*", text.lower()))
    return " ".join(token for token in tokens if keep_all or token not in STOPWORDS)


def rewrite(text: str) -> str:
    """Return a line's food words in the words USDA's usual food has ("red onion" -> "onion")."""
    lowered = f" {plain(text, keep_all=True)} "
    for phrase in sorted(REWRITES, key=len, reverse=True):  # "fine sea salt" first
        lowered = lowered.replace(f" {phrase} ", f" {REWRITES[phrase]} ")
    return lowered.strip()


def expand(text: str) -> str:
    """Put USDA's words beside a cook's words ("zucchini" -> "squash summer zucchini")."""
    lowered = f" {plain(text, keep_all=True)} "
    extra = []
    for phrase, usda in SYNONYMS.items():
        if f" {phrase} " in lowered:
            extra.append(usda)
    return " ".join([text, *extra])


@dataclass(frozen=True)
class Scored:
    food_id: int
    name: str
    score: float


def _query(idx: Index, text: str) -> list[str]:
    found = []
    tokens = [word for word in words(text) if word not in STOPWORDS and word not in HANDLING]
    for before, word in zip(["", *tokens], tokens, strict=False):
        # USDA writes some names as one word: "brazil nuts" -> "brazilnuts".
        joined = singular(before + word) if before else ""
        if joined in idx.by_word and joined not in found:
            found.append(joined)
        corrected = idx.correct(word)
        if corrected and corrected not in found:
            found.append(corrected)
    return found


@dataclass(frozen=True)
class Weights:
    """How much each sign counts; tuned on bench/recipes.py, whose labels came first."""

    recall: float = 0.55  # share of the line's words (by rarity) the food's name holds
    precision: float = 0.2  # share of the food's own words (by rarity) the line names
    head: float = 0.15  # the food's name starts with a word the line names (else minus)
    head_extra: float = 0.08  # a head word the line does not name ("seed butter")
    head_extra_most: int = 2
    last_word: float = 0.1  # the line's last food word ("rice" of "brown rice") heads it
    last_missing: float = 0.15  # the food's name lacks it ("strawberries" for "strawberry jam")
    front: float = 0.05  # the food is named in the name's second part ("Milk, buttermilk")
    handling: float = 0.03  # a handling or comment word of the line in the name
    state: float = 0.15  # the food is in the state the line names (else minus)
    raw: float = 0.05  # no state named: the food as bought
    other_state: float = 0.06  # no state named: each state the food's name has
    portions: float = 0.015  # each household portion USDA weighed (a sign of a usual food)
    portions_most: int = 6
    salted: float = 0.04  # salted kinds: a cook salts to taste
    generic: float = 0.03  # USDA's everyday kind
    curated: float = 0.04  # a curated food with all the line's words
    not_for_shoppers: float = 0.4  # baby foods, fast foods, restaurant foods
    branded: float = 0.2
    pantry: float = 0.3  # the plain word's usual food (PANTRY)
    dish: float = 0.2  # a soup or sauce of the food, for a line that names neither


WEIGHTS = Weights()


def rank(
    name: str, states: str = "", limit: int = 5, *, pantry: bool = True, idx: Index | None = None
) -> list[Scored]:
    """Return the best foods for a line's food words and its other words, best first.

    `states` holds the line's preparation and comment ("cooked", "drained and rinsed"):
    state words steer, other words count a little where a food's name has them. `idx`: an
    index already checked (several lines in a row check the food table once).
    """
    w = WEIGHTS
    idx = idx or index()
    name = rewrite(name)
    own = _query(idx, name)
    core = _query(idx, expand(name))
    soft = [word for word in _query(idx, states) if word not in core]
    soft += [word for word in words(f"{name} {states}") if word in HANDLING]
    key = plain(name)
    # "boneless chicken thighs" is the pantry's "chicken thigh".
    while key not in PANTRY and key.split()[:1] and key.split()[0] in LOOSE_WORDS:
        key = key.split(" ", 1)[1] if " " in key else ""
    asked: set[str] = set()
    asked_beside_key: set[str] = set()  # "dry white wine": "dry" is part of the name
    for word in core + soft:
        asked |= STATES.get(word, set())
        if word not in key.split():
            asked_beside_key |= STATES.get(word, set())
    wanted = [word for word in core if word not in STATES and any(c.isalpha() for c in word)]
    if not wanted:
        return []
    wanted_set = set(wanted)
    last = next((word for word in reversed(own) if word in wanted_set), wanted[-1])
    for phrase, usda in SYNONYMS.items():
        # "beef mince" reads "beef ground": USDA's food word leads ("Beef, ground").
        if f" {plain(name, keep_all=True)}".endswith(f" {phrase}"):
            usda_words = [word for word in words(usda) if word not in GROUP_HEADS]
            last = usda_words[0] if usda_words and usda_words[0] in wanted_set else last
    weights = {word: idx.weight.get(word, 0.0) for word in wanted}
    total = sum(weights.values()) or 1.0
    favourites: dict[int, int] = {}  # position: rank in the pantry entry (0: as bought)
    if pantry:
        for order, ref in enumerate(PANTRY.get(key, ())):
            if ref in idx.by_ref:
                favourites[idx.by_ref[ref]] = order
    candidates: set[int] = set(favourites)
    for word in wanted:
        candidates.update(idx.by_word.get(word, ()))
    scored = []
    for position in candidates:
        entry = idx.entries[position]
        states_named = {word for word in entry.order if word in STATE_WORDS}
        if asked_beside_key:
            usual = position in favourites and bool(states_named & asked_beside_key)
        else:
            usual = favourites.get(position) == 0
        covered = [word for word in wanted if word in entry.words]
        held = sum(weights[word] * (ASIDE if word in entry.aside else 1.0) for word in covered)
        recall = 1.0 if usual else held / total
        if recall < 0.3:
            continue
        precision = sum(weights[word] for word in covered if word in entry.order) / (
            entry.informative or 1.0
        )
        score = w.recall * recall + w.precision * (1.0 if usual else min(precision, 1.0))
        if usual:
            score += w.head + w.last_word + w.pantry
        else:
            if entry.head & wanted_set:
                score += w.head
                extra = entry.head - wanted_set - STOPWORDS
                score -= w.head_extra * min(len(extra), w.head_extra_most)
            elif entry.front & wanted_set:
                score += w.front
            else:
                score -= w.head
            if last in entry.head:
                score += w.last_word
            elif last in entry.front:
                score += w.last_word / 3
            elif last not in entry.words:
                score -= w.last_missing
        score += w.handling * sum(1 for word in soft if word in entry.words and word not in STATES)
        if asked:
            if states_named & asked or asked & entry.words:
                score += w.state
                score -= w.other_state * len(states_named - asked)
            else:
                score -= w.state if states_named else w.state * 2 / 3
        else:
            score += w.raw if RAW_WORDS & entry.words else 0.0
            # Dry grains and pulses are as bought: half a state.
            score -= w.other_state * (len(states_named) - ("dry" in states_named) / 2)
        score += w.portions * min(entry.portions, w.portions_most)
        if "salt" in entry.words and "salt" not in wanted_set:
            score -= w.salted
        if entry.generic:
            score += w.generic
        if entry.curated and recall == 1.0 and (asked or not states_named & COOKED):
            score += w.curated
        if entry.dish and not entry.dish & wanted_set:
            score -= w.dish
        if not entry.shopper:
            score -= w.not_for_shoppers
        if entry.brand and not entry.brand & wanted_set:
            score -= w.branded
        scored.append(Scored(entry.food_id, entry.name, score))
    scored.sort(key=lambda item: (-item.score, len(item.name), item.name))
    return [
        Scored(item.food_id, item.name, round(max(0.0, min(1.0, item.score / FULL_SCORE)), 3))
        for item in scored[:limit]
    ]
