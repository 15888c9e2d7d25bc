"""Close today's magnesium gap with one to three realistic portions: a small MILP in HiGHS.

Pure: foods with per-gram nutrients and portion choices in, chosen portions out. A nutrient
that is unknown (None) is never read as 0: a food with an unknown value that a cap needs is
not a candidate while that cap applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from mealplan.planner.problem import CAP_TOL, KCAL_TOL, MG_TOL
from mealplan.planner.types import RULE_ADDED, RULE_CARBOHYDRATE, RULE_KCAL_HIGH, RULE_SODIUM

MAX_ITEMS = 3
# What stops closing when no cap does: no 1 to 3 realistic portions hold that much.
BINDING_PORTIONS = "portions"
STATUS_CLOSED = "closed"
STATUS_PARTIAL = "partial"
STATUS_IMPOSSIBLE = "impossible"

# Columns of the option matrix; NaN is unknown.
_KCAL, _MG, _ADDED, _CARB, _SODIUM = range(5)
# The objective: fewer items first (one item outweighs any kcal a snack can have), then
# fewer kcal, then fewer grams.
_ITEM_WEIGHT = 1e4
_GRAM_WEIGHT = 1e-3
_INF = highspy.kHighsInf
_RULE_ORDER = (RULE_KCAL_HIGH, RULE_ADDED, RULE_CARBOHYDRATE, RULE_SODIUM)


@dataclass(frozen=True)
class GapPortion:
    """One amount a person would eat of a food in one go ("a handful (28 g)")."""

    grams: float
    label: str


@dataclass(frozen=True)
class GapFood:
    """A candidate food (or product) with nutrients per gram; None is unknown."""

    food_id: int
    name: str
    portions: tuple[GapPortion, ...]
    magnesium_mg_per_g: float
    kcal_per_g: float
    added_magnesium_mg_per_g: float = 0.0
    carbohydrate_g_per_g: float | None = None
    sodium_mg_per_g: float | None = None


@dataclass(frozen=True)
class GapNeed:
    """What is left of the day: magnesium still missing, and room under every limit.

    A cap of None does not apply (the profile has none).
    """

    magnesium_mg: float
    kcal_left: float
    added_magnesium_left_mg: float
    carbohydrate_left_g: float | None = None
    sodium_left_mg: float | None = None


@dataclass(frozen=True)
class GapItem:
    food_id: int
    name: str
    grams: float
    label: str
    magnesium_mg: float
    kcal: float
    added_magnesium_mg: float
    carbohydrate_g: float | None
    sodium_mg: float | None


class ItemTotals:
    """Magnesium and kcal summed over a dataclass's items (each with magnesium_mg and kcal)."""

    items: tuple

    @property
    def magnesium_mg(self) -> float:
        return sum(item.magnesium_mg for item in self.items)

    @property
    def kcal(self) -> float:
        return sum(item.kcal for item in self.items)


@dataclass(frozen=True)
class GapResult(ItemTotals):
    """The chosen portions, or the proof that none close the gap and the best partial."""

    status: str  # closed | partial | impossible
    items: tuple[GapItem, ...]
    need: GapNeed
    # When not closed: what stops it (rule codes, or BINDING_PORTIONS), and the most
    # magnesium 1 to 3 portions give within every limit.
    binding: tuple[str, ...] = ()
    best_possible_mg: float | None = None


class GapCatalog:
    """Every portion choice of every candidate food as arrays, built once and reused."""

    def __init__(self, foods: Sequence[GapFood]):
        self.foods = tuple(sorted(foods, key=lambda food: food.food_id))
        food_index, grams, labels, per_g = [], [], [], []
        for index, food in enumerate(self.foods):
            nutrients = (
                food.kcal_per_g,
                food.magnesium_mg_per_g,
                food.added_magnesium_mg_per_g,
                np.nan if food.carbohydrate_g_per_g is None else food.carbohydrate_g_per_g,
                np.nan if food.sodium_mg_per_g is None else food.sodium_mg_per_g,
            )
            for portion in food.portions:
                food_index.append(index)
                grams.append(portion.grams)
                labels.append(portion.label)
                per_g.append(nutrients)
        self.food_index = np.asarray(food_index, dtype=np.int64)
        self.grams = np.asarray(grams, dtype=np.float64)
        self.labels = tuple(labels)
        self.amounts = np.asarray(per_g, dtype=np.float64).reshape(-1, 5) * self.grams[:, None]

    def __len__(self) -> int:
        return self.grams.size

    def item(self, option: int) -> GapItem:
        food = self.foods[self.food_index[option]]
        row = self.amounts[option]
        return GapItem(
            food_id=food.food_id,
            name=food.name,
            grams=float(self.grams[option]),
            label=self.labels[option],
            magnesium_mg=float(row[_MG]),
            kcal=float(row[_KCAL]),
            added_magnesium_mg=float(row[_ADDED]),
            carbohydrate_g=None if np.isnan(row[_CARB]) else float(row[_CARB]),
            sodium_mg=None if np.isnan(row[_SODIUM]) else float(row[_SODIUM]),
        )


def _limits(need: GapNeed, relax: str | None = None) -> list[tuple[int, float]]:
    """Return (column, room) for every limit that applies, leaving one relaxed out."""
    limits = [
        (RULE_KCAL_HIGH, _KCAL, need.kcal_left + KCAL_TOL),
        (RULE_ADDED, _ADDED, max(need.added_magnesium_left_mg, 0.0) + CAP_TOL),
        (RULE_CARBOHYDRATE, _CARB, need.carbohydrate_left_g),
        (RULE_SODIUM, _SODIUM, need.sodium_left_mg),
    ]
    return [
        (column, room if column in (_KCAL, _ADDED) else room + CAP_TOL)
        for code, column, room in limits
        if room is not None and code != relax
    ]


def _usable(catalog: GapCatalog, need: GapNeed, relax: str | None = None) -> np.ndarray:
    """Return the options that fit every limit alone (and whose capped values are known)."""
    # Unknown carbohydrate or sodium: not a candidate while that cap applies (the caps are
    # read from the need, not the relaxation, so relaxing a cap never counts unknown as 0).
    amounts = catalog.amounts
    ok = np.ones(len(catalog), dtype=bool)
    for column, _room in _limits(need):
        ok &= ~np.isnan(amounts[:, column])
    if relax != BINDING_PORTIONS:
        for column, room in _limits(need, relax):
            ok &= amounts[:, column] <= room
    return np.flatnonzero(ok)


def _solve(
    catalog: GapCatalog,
    options: np.ndarray,
    need: GapNeed,
    *,
    relax: str | None,
    maximise: bool,
    max_items: int,
) -> np.ndarray | None:
    """Solve over some options: close the gap at least cost, or give the most magnesium."""
    n = options.size
    if n == 0:
        return None
    amounts = catalog.amounts[options]
    foods = catalog.food_index[options]
    # Rows: each limit; at most max_items; at most one portion of each food; (closing) Mg.
    rows: list[tuple[np.ndarray, float, float]] = [
        (np.nan_to_num(amounts[:, column]), -_INF, room) for column, room in _limits(need, relax)
    ]
    rows.append((np.ones(n), -_INF, float(max_items)))
    unique_foods, counts = np.unique(foods, return_counts=True)
    for food in unique_foods[counts > 1]:
        rows.append(((foods == food).astype(np.float64), -_INF, 1.0))
    if maximise:
        cost = -amounts[:, _MG] + 1e-6 * amounts[:, _KCAL]
    else:
        rows.append((amounts[:, _MG], need.magnesium_mg - MG_TOL, _INF))
        cost = _ITEM_WEIGHT + amounts[:, _KCAL] + _GRAM_WEIGHT * catalog.grams[options]
    matrix = np.vstack([row[0] for row in rows]).T  # options x rows, column-wise below
    nonzero = matrix != 0
    a_start = np.concatenate([[0], np.cumsum(nonzero.sum(axis=1))]).astype(np.int32)
    a_index = np.nonzero(nonzero)[1].astype(np.int32)
    a_value = matrix[nonzero].astype(np.float64)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(
        n,
        len(rows),
        int(a_value.size),
        1,  # column-wise
        1,  # minimise
        0.0,
        np.asarray(cost, dtype=np.float64),
        np.zeros(n),
        np.ones(n),
        np.asarray([row[1] for row in rows], dtype=np.float64),
        np.asarray([row[2] for row in rows], dtype=np.float64),
        a_start,
        a_index,
        a_value,
        np.ones(n, dtype=np.int32),
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = np.asarray(h.getSolution().col_value)
    return options[values > 0.5]


def _best_mg(catalog: GapCatalog, need: GapNeed, relax: str | None, max_items: int):
    """Return the options giving the most magnesium within the limits, and that amount."""
    options = _usable(catalog, need, relax)
    if relax == BINDING_PORTIONS:
        # No limit at all: the richest portion of each of the richest foods.
        best: dict[int, int] = {}
        for option in options[np.argsort(-catalog.amounts[options, _MG], kind="stable")]:
            best.setdefault(int(catalog.food_index[option]), int(option))
        chosen = np.asarray(list(best.values())[:max_items], dtype=np.int64)
    else:
        chosen = _solve(catalog, options, need, relax=relax, maximise=True, max_items=max_items)
    if chosen is None or chosen.size == 0:
        return np.zeros(0, dtype=np.int64), 0.0
    return chosen, float(catalog.amounts[chosen, _MG].sum())


def _prune(catalog: GapCatalog, options: np.ndarray, need_mg: float, max_items: int):
    """Keep the options that can be part of some closing choice of max_items foods."""
    # Exact: an option is useful only if it plus the richest portions of (max_items - 1)
    # other foods reach the need. Cuts the MILP to the magnesium-rich end of the catalog.
    mg = catalog.amounts[options, _MG]
    foods = catalog.food_index[options]
    richest: dict[int, float] = {}
    for food, value in zip(foods.tolist(), mg.tolist(), strict=True):
        if value > richest.get(food, -1.0):
            richest[food] = value
    top = sorted(richest.items(), key=lambda pair: -pair[1])[:max_items]
    keep = np.zeros(options.size, dtype=bool)
    for i, (food, value) in enumerate(zip(foods.tolist(), mg.tolist(), strict=True)):
        others = [v for f, v in top if f != food][: max_items - 1]
        keep[i] = value + sum(others) >= need_mg - MG_TOL
    return options[keep]


def close_gap(catalog: GapCatalog, need: GapNeed, *, max_items: int = MAX_ITEMS) -> GapResult:
    """Choose 1 to max_items portions that close the magnesium gap within every limit.

    Fewest items first, then fewest kcal, then fewest grams. When no choice closes it, say
    which limits stop it (each alone, proven by solving without it) and offer the choice
    with the most magnesium within every limit.
    """
    if need.magnesium_mg <= MG_TOL:
        return GapResult(STATUS_CLOSED, (), need)
    options = _usable(catalog, need)
    amounts = catalog.amounts
    # One portion that closes it: the least kcal, then grams, then the lowest food id.
    closers = options[amounts[options, _MG] >= need.magnesium_mg - MG_TOL]
    if closers.size:
        order = np.lexsort(
            (catalog.food_index[closers], catalog.grams[closers], amounts[closers, _KCAL])
        )
        return GapResult(STATUS_CLOSED, (catalog.item(int(closers[order[0]])),), need)
    pruned = _prune(catalog, options, need.magnesium_mg, max_items)
    chosen = _solve(catalog, pruned, need, relax=None, maximise=False, max_items=max_items)
    if chosen is not None:
        items = sorted((catalog.item(int(o)) for o in chosen), key=lambda i: -i.magnesium_mg)
        return GapResult(STATUS_CLOSED, tuple(items), need)
    partial, best_mg = _best_mg(catalog, need, None, max_items)
    binding = tuple(
        code
        for code in _RULE_ORDER
        if code in _applying(need)
        and _best_mg(catalog, need, code, max_items)[1] >= need.magnesium_mg - MG_TOL
    )
    if not binding:
        _, unlimited = _best_mg(catalog, need, BINDING_PORTIONS, max_items)
        # Else only the limits together stop it: name every one that applies.
        binding = (
            (BINDING_PORTIONS,)
            if unlimited < need.magnesium_mg - MG_TOL
            else tuple(code for code in _RULE_ORDER if code in _applying(need))
        )
    items = tuple(
        sorted((catalog.item(int(o)) for o in partial), key=lambda item: -item.magnesium_mg)
    )
    return GapResult(
        STATUS_PARTIAL if items else STATUS_IMPOSSIBLE,
        items,
        need,
        binding=binding,
        best_possible_mg=best_mg,
    )


def _applying(need: GapNeed) -> set[str]:
    codes = {RULE_KCAL_HIGH, RULE_ADDED}
    if need.carbohydrate_left_g is not None:
        codes.add(RULE_CARBOHYDRATE)
    if need.sodium_left_mg is not None:
        codes.add(RULE_SODIUM)
    return codes
