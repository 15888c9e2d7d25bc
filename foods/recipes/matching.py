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


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing about which food is meant.
STOPWORDS = _set(
    "a an and or of the for to in on into at by about some few any each per plus "
    "optional divided packed heaping level scant large small medium extra good quality "
    "fresh freshly finely roughly thinly coarsely very lightly well cut into pieces "
    "chopped diced minced sliced grated shredded crushed peeled seeded halved quartered "
    "cubed trimmed rinsed beaten softened melted room temperature taste needed serving "
    "garnish divided plus more"
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
    "drained": {"drained", "canned", "boiled", "cooked"},
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
    "pickled smoked cured simmered scrambled poached heated"
)
# Words that say a food is as bought; a line naming no state prefers them.
RAW_WORDS = frozenset({"raw", "fresh", "uncooked"})
# Cook's words and the words USDA uses for the same food.
SYNONYMS = {
    "scallion": "onion spring scallion",
    "green onion": "onion spring scallion",
    "cilantro": "coriander cilantro leaf",
    "zucchini": "squash summer zucchini",
    "courgette": "squash summer zucchini",
    "garbanzo": "chickpea",
    "chickpea": "chickpea garbanzo",
    "aubergine": "eggplant",
    "bell pepper": "pepper sweet",
    "capsicum": "pepper sweet",
    "all-purpose flour": "wheat flour white all-purpose",
    "plain flour": "wheat flour white all-purpose",
    "flour": "wheat flour white all-purpose",
    "ground beef": "beef ground",
    "mince": "beef ground",
    "beef mince": "beef ground",
    "heavy cream": "cream heavy whipping",
    "double cream": "cream heavy whipping",
    "powdered sugar": "sugar powdered",
    "icing sugar": "sugar powdered",
    "caster sugar": "sugar granulated",
    "baking soda": "leavening baking soda",
    "bicarbonate of soda": "leavening baking soda",
    "baking powder": "leavening baking powder",
    "yoghurt": "yogurt",
    "prawn": "shrimp",
    "coriander": "coriander",
    "rocket": "arugula",
}


@dataclass(frozen=True)
class Entry:
    food_id: int
    name: str
    words: frozenset[str]
    head: frozenset[str]  # the words of the name's first part ("Rice" of "Rice, brown, ...")
    order: tuple[str, ...]
    shopper: bool
    branded: bool
    curated: bool
    curated_words: frozenset[str]


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
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_WORD = re.compile(r"[a-z0-9%]+(?:-[a-z]+)*")


def words(text: str) -> list[str]:
    """Return the singular lower-case words of a text, hyphenated words kept whole too."""
    result = []
    for token in _WORD.findall(text.lower()):
        result.append(singular(token))
        if "-" in token:
            result.extend(singular(part) for part in token.split("-"))
    return result


class Index:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for position, entry in enumerate(entries):
            for word in entry.words:
                self.by_word[word].append(position)
        total = max(len(entries), 1)
        self.weight = {
            word: math.log(1 + total / len(positions)) for word, positions in self.by_word.items()
        }
        self.vocabulary = [word for word in self.by_word if len(word) >= SPELLING_MIN_LENGTH]
        self._spelling: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """Return the catalog word a word is, or is a misspelling of; None when none is near."""
        if word in self.by_word:
            return word
        if len(word) < SPELLING_MIN_LENGTH:
            return None
        if word not in self._spelling:
            found = process.extractOne(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF
            )
            self._spelling[word] = found[0] if found else None
        return self._spelling[word]


_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "index": None}


def _is_branded(name: str) -> bool:
    # SR28 writes brands in capitals ("KASHI Pizza", "CHEERIOS").
    return any(len(token) >= 3 and token.isupper() and token.isalpha() for token in name.split())


def build_index() -> Index:
    from foods.models import Food

    entries = []
    rows = Food.objects.active().values_list(
        "pk", "name", "brand", "keywords", "shopping_name", "category__usda_group_code"
    )
    for pk, name, brand, keywords, shopping_name, group in rows:
        head = frozenset(words(name.split(",")[0]))
        order = tuple(words(name))
        all_words = frozenset(order) | frozenset(words(keywords)) | frozenset(words(brand))
        entries.append(
            Entry(
                food_id=pk,
                name=name,
                words=all_words,
                head=head,
                order=order,
                shopper=group not in NON_SHOPPER_GROUPS,
                branded=bool(brand) or _is_branded(name),
                curated=bool(shopping_name),
                curated_words=frozenset(words(shopping_name)),
            )
        )
    return Index(entries)


def index() -> Index:
    """Return the food index, rebuilt when the active foods have changed."""
    from django.db.models import Count, Max

    from foods.models import Food

    state = Food.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    key = (state["count"], state["latest"])
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            _cache["index"] = build_index()
            _cache["key"] = key
        return _cache["index"]  # type: ignore[return-value]


def expand(text: str) -> str:
    """Put USDA's words beside a cook's words ("zucchini" -> "squash summer zucchini")."""
    lowered = f" {text.lower()} "
    extra = []
    for phrase, usda in SYNONYMS.items():
        if f" {phrase} " in lowered or f" {phrase}s " in lowered:
            extra.append(usda)
    return " ".join([text, *extra])


@dataclass(frozen=True)
class Scored:
    food_id: int
    name: str
    score: float


def rank(name: str, states: str = "", limit: int = 5) -> list[Scored]:
    """Return the best foods for a line's food words and its state words, best first."""
    idx = index()
    food_words = []
    for word in words(expand(name)):
        if word in STOPWORDS:
            continue
        found = idx.correct(word)
        if found and found not in food_words:
            food_words.append(found)
    asked = set()
    for word in words(f"{name} {states}"):
        if word in STATES:
            asked |= STATES[word]
            if word in food_words and word not in idx.weight:
                food_words.remove(word)
    food_words = [word for word in food_words if word not in STATES or word in asked]
    wanted = [word for word in food_words if word not in STATES]
    if not wanted:
        return []
    weights = {word: idx.weight.get(word, 0.0) for word in wanted}
    total = sum(weights.values()) or 1.0
    candidates: set[int] = set()
    for word in wanted:
        candidates.update(idx.by_word.get(word, ()))
    last = wanted[-1]
    scored = []
    for position in candidates:
        entry = idx.entries[position]
        covered = sum(weight for word, weight in weights.items() if word in entry.words)
        coverage = covered / total
        if coverage < 0.3:
            continue
        head_hit = len(entry.head & set(wanted)) / max(len(entry.head), 1)
        extra = [
            word
            for word in entry.order
            if word not in weights and word not in asked and word not in STOPWORDS
        ]
        states = {word for word in entry.order if word in STATE_WORDS}
        score = 0.6 * coverage + 0.2 * head_hit
        score += 0.1 if last in entry.head else 0.0
        score -= 0.02 * len(extra)
        if asked:
            score += 0.1 if states & asked or (asked & entry.words) else -0.05
        else:
            score += 0.05 if RAW_WORDS & entry.words else 0.0
            score -= 0.05 * len(states)
        if "with" in entry.order and "salt" in entry.order and "without" not in entry.order:
            score -= 0.04
        if entry.curated:
            score += 0.08 if set(wanted) <= entry.curated_words | entry.words else 0.0
        if not entry.shopper:
            score -= 0.35
        if entry.branded:
            score -= 0.15
        scored.append(Scored(entry.food_id, entry.name, score))
    scored.sort(key=lambda item: (-item.score, len(item.name), item.name))
    return [
        Scored(item.food_id, item.name, round(max(0.0, min(1.0, item.score)), 3))
        for item in scored[:limit]
    ]
