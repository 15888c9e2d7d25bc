"""Everything derived once per call: fixed totals, bans, costs, and the candidates per slot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from mealplan.planner.types import (
    ADDED,
    CARB,
    KCAL,
    MG,
    N_NUTRIENTS,
    N_SLOTS,
    SODIUM,
    Catalog,
    FixedEntry,
    Rules,
)

INF = highspy.kHighsInf

# Objective weights, in the order the rules matter. One mg of magnesium shortfall outweighs
# any kcal outside the window a day can have (a few hundred), which outweighs the caps, which
# outweigh comfort; the tie-break is smaller than any comfort step.
W_SHORT = 1e4  # per mg of magnesium below the target
W_KCAL = 1e3  # per kcal outside the calorie window
W_CARB = 1e3  # per g of carbohydrate over its cap
W_SODIUM = 50.0  # per mg of sodium over its cap (100 mg of sodium ~ 5 g of carbohydrate)
W_BAND = 1.0  # per kcal outside the comfort band around the window's middle
W_PORTION = 30.0  # per serving away from the eater's usual portion
# A day of one serving of each curated meal holds about this much energy; an eater whose
# window is centred higher usually eats proportionally larger portions.
REFERENCE_DAY_KCAL = 2000.0
W_PREF = 40.0  # per unit of preference: a liked meal is worth 40 kcal off the band
W_RECENT = 120.0  # per use of the meal in the two weeks before: a new week each week
W_AVOID = 150.0  # Regenerate: the meal the cell held before
W_NOISE = 4.0  # range of the seeded tie-break per meal and cell

MG_TOL = 1e-3  # mg: below this a shortfall is solver round-off
KCAL_TOL = 0.5
CAP_TOL = 1e-3

# The rules one at a time lifted to find what binds, and the nutrient cap each one lifts.
RELAXATIONS: tuple[str, ...] = ("calories", "added_magnesium", "carbohydrate", "sodium")
RELAXED_CAP = {"calories": KCAL, "added_magnesium": ADDED, "carbohydrate": CARB, "sodium": SODIUM}

# Past this many distinct candidate meals the week is searched on a pre-filtered list with a
# node limit; up to it the whole week is solved to proven optimality.
EXACT_MAX_MEALS = 400
PER_SLOT = 60  # pre-filtered candidates per slot for big catalogs
_DENSITY_BUCKETS = 6
_PER_BUCKET = 6
_TOP_MAGNESIUM = 8
_TOP_PREFERENCE = 10
_RANDOM_PICKS = 10


@dataclass
class Problem:
    """Hold everything derived once per call."""

    catalog: Catalog
    rules: Rules
    days: int
    nut: np.ndarray  # (n, 5) per serving
    fixed_totals: np.ndarray  # (days, 5)
    fixed_rows: list[frozenset[int]]  # catalog rows fixed on each day
    fixed_foods: list[Counter]  # ingredient food -> fixed meals holding it, per day
    fill: np.ndarray  # (days, 4) cells to fill
    occupied: np.ndarray  # (days, 4) cells holding a fixed entry
    uses_left: np.ndarray  # (n,) weekly uses not taken by fixed entries
    eligible: np.ndarray  # (n, 4) fits the slot, has uses left, not over the hard cap alone
    banned: np.ndarray  # (days, n) fixed the day before, the same day or the day after
    cost: np.ndarray  # (n, days, 4) tie-break, preference, recent and avoid cost of a choice
    seed: int = 0

    @property
    def mid_kcal(self) -> float:
        """Return the middle of the calorie window."""
        return (self.rules.kcal_min + self.rules.kcal_max) / 2.0

    def portion_cost(self, rows: np.ndarray, servings: np.ndarray) -> np.ndarray:
        """Return what choosing these servings costs against the eater's usual portion."""
        # Measured on the curated catalog: against a fixed one serving the cost fought the
        # calorie band for big and small eaters and the proof of optimality took >30 s; against
        # a portion scaled to the window it settles in about a second.
        usual = np.clip(self.mid_kcal / REFERENCE_DAY_KCAL, 0.5, 2.0)
        usual = np.where(self.catalog.unit_only[rows], 1.0, usual)
        return W_PORTION * np.abs(servings - usual)

    def least(self, rows: np.ndarray) -> np.ndarray:
        """Return the (len(rows), 5) nutrients of the smallest entry of each meal."""
        c = self.catalog
        return self.nut[rows] * (c.serving_step[rows] * c.step_range[rows, 0])[:, None]


def caps(rules: Rules, relax: str | None = None) -> np.ndarray:
    """Return the upper caps on kcal, -, added Mg, carbohydrate, sodium (inf = none)."""
    values = np.array(
        [
            rules.kcal_max,
            INF,
            rules.added_magnesium_max_mg,
            INF if rules.carbohydrate_max_g is None else rules.carbohydrate_max_g,
            INF if rules.sodium_max_mg is None else rules.sodium_max_mg,
        ]
    )
    if relax in RELAXED_CAP:
        values[RELAXED_CAP[relax]] = INF
    return values


def violations(totals: np.ndarray, rules: Rules) -> np.ndarray:
    """Return how far day totals break kcal min, kcal max, added Mg, carbs, sodium."""
    top = caps(rules)
    return np.array(
        [
            max(0.0, rules.kcal_min - totals[KCAL]),
            max(0.0, totals[KCAL] - top[KCAL]),
            max(0.0, totals[ADDED] - top[ADDED]),
            max(0.0, totals[CARB] - top[CARB]),
            max(0.0, totals[SODIUM] - top[SODIUM]),
        ]
    )


def as_floats(rules: Rules) -> Rules:
    """Return the rules with plain floats (callers may pass ints or Decimals)."""

    def opt(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return Rules(
        magnesium_target_mg=float(rules.magnesium_target_mg),
        kcal_min=float(rules.kcal_min),
        kcal_max=float(rules.kcal_max),
        carbohydrate_max_g=opt(rules.carbohydrate_max_g),
        sodium_max_mg=opt(rules.sodium_max_mg),
        added_magnesium_max_mg=float(rules.added_magnesium_max_mg),
        max_uses_per_week=int(rules.max_uses_per_week),
        comfort_band_kcal=float(rules.comfort_band_kcal),
        max_meals_per_ingredient_per_day=int(rules.max_meals_per_ingredient_per_day),
    )


def _validate(rules: Rules, days: int) -> None:
    """Reject inputs no plan can be made of."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if rules.kcal_min > rules.kcal_max:
        raise ValueError("kcal_min must not exceed kcal_max")
    if rules.max_uses_per_week < 0 or rules.comfort_band_kcal < 0:
        raise ValueError("max_uses_per_week and comfort_band_kcal must be non-negative")


def prepare(
    catalog: Catalog,
    rules: Rules,
    days: int,
    fixed: Sequence[FixedEntry],
    fill: Iterable[tuple[int, int]] | None,
    seed: int,
    avoid: Collection[tuple[int, int, int]] = (),
) -> Problem:
    """Derive the arrays every solve of one call shares."""
    rules = as_floats(rules)
    _validate(rules, days)
    n = len(catalog)
    nut = catalog.nutrients
    fixed_totals = np.zeros((days, N_NUTRIENTS))
    occupied = np.zeros((days, N_SLOTS), dtype=bool)
    fixed_rows: list[set[int]] = [set() for _ in range(days)]
    fixed_foods: list[Counter] = [Counter() for _ in range(days)]
    fixed_uses = np.zeros(n, dtype=np.int64)
    for entry in fixed:
        if not (0 <= entry.day < days and 0 <= entry.slot < N_SLOTS):
            raise ValueError(f"fixed entry outside the week: day {entry.day}, slot {entry.slot}")
        fixed_totals[entry.day] += [
            float(entry.kcal),
            float(entry.magnesium_mg),
            float(entry.added_magnesium_mg),
            float(entry.carbohydrate_g),
            float(entry.sodium_mg),
        ]
        occupied[entry.day, entry.slot] = True
        fixed_foods[entry.day].update(entry.ingredient_ids)
        row = catalog.index_of.get(int(entry.meal_id))
        if row is not None:
            fixed_rows[entry.day].add(row)
            fixed_uses[row] += 1

    if fill is None:
        fill_mask = ~occupied
    else:
        fill_mask = np.zeros((days, N_SLOTS), dtype=bool)
        for day, slot in fill:
            if not (0 <= day < days and 0 <= slot < N_SLOTS):
                raise ValueError(f"fill cell outside the week: day {day}, slot {slot}")
            fill_mask[day, slot] = True
        # A fixed entry stays: its cell is never filled on top.
        fill_mask &= ~occupied

    uses_left = np.maximum(rules.max_uses_per_week - fixed_uses, 0)
    problem = Problem(
        catalog=catalog,
        rules=rules,
        days=days,
        nut=nut,
        fixed_totals=fixed_totals,
        fixed_rows=[frozenset(r) for r in fixed_rows],
        fixed_foods=fixed_foods,
        fill=fill_mask,
        occupied=occupied,
        uses_left=uses_left,
        eligible=np.zeros((n, N_SLOTS), dtype=bool),
        banned=np.zeros((days, n), dtype=bool),
        cost=np.zeros((n, days, N_SLOTS)),
        seed=seed,
    )
    # Added magnesium is the one hard rule: a meal whose smallest entry breaks it alone is out.
    added_ok = problem.least(np.arange(n))[:, ADDED] <= rules.added_magnesium_max_mg + CAP_TOL
    problem.eligible = catalog.slot_fit & added_ok[:, None]
    for day, rows in enumerate(fixed_rows):
        if rows:
            idx = np.fromiter(rows, dtype=np.int64)
            problem.banned[max(day - 1, 0) : day + 2, idx] = True

    rng = np.random.default_rng(seed)
    noise = rng.random((n, days, N_SLOTS))
    problem.cost = (
        W_NOISE * noise
        - W_PREF * catalog.preference[:, None, None]
        + W_RECENT * catalog.recent_uses[:, None, None]
    )
    for day, slot, meal_id in avoid:
        row = catalog.index_of.get(int(meal_id))
        if row is not None and 0 <= day < days and 0 <= slot < N_SLOTS:
            problem.cost[row, day, slot] += W_AVOID
    return problem


def _unique_in_order(values: np.ndarray) -> np.ndarray:
    """Drop repeated values, keeping the first occurrence."""
    _, first = np.unique(values, return_index=True)
    return values[np.sort(first)]


def candidates(p: Problem, *, ignore_uses: bool = False) -> tuple[list[np.ndarray], bool]:
    """Return the candidate rows per slot, and whether no eligible meal was dropped."""
    usable = p.eligible if ignore_uses else p.eligible & (p.uses_left > 0)[:, None]
    per_slot = [np.flatnonzero(usable[:, slot]) for slot in range(N_SLOTS)]
    distinct = np.unique(np.concatenate([np.zeros(0, np.int64), *per_slot]))
    if distinct.size <= EXACT_MAX_MEALS:
        return per_slot, True
    rng = np.random.default_rng(p.seed + 1)
    return [_prefilter(p, rows, rng) for rows in per_slot], False


def _prefilter(p: Problem, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pick about PER_SLOT rows of one slot worth a search."""
    if rows.size <= PER_SLOT:
        return rows
    kcal = p.nut[rows, KCAL]
    magnesium = p.nut[rows, MG]
    density = magnesium / np.maximum(kcal, 1.0)
    picks: list[np.ndarray] = []
    # The richest Mg per kcal in every calorie range, so that both ends of the window can be
    # met without giving up magnesium (servings stretch each range by a factor of four).
    edges = np.quantile(kcal, np.linspace(0.0, 1.0, _DENSITY_BUCKETS + 1)[1:-1])
    bucket = np.searchsorted(edges, kcal, side="right")
    by_bucket = np.full((_DENSITY_BUCKETS, _PER_BUCKET), -1)
    for b in range(_DENSITY_BUCKETS):
        members = np.flatnonzero(bucket == b)
        best = members[np.argsort(-density[members], kind="stable")[:_PER_BUCKET]]
        by_bucket[b, : best.size] = best
    # Round-robin over the buckets, so that a shorter prefix stays balanced.
    picks.append(by_bucket.T.ravel()[by_bucket.T.ravel() >= 0])
    picks.append(np.argsort(-magnesium, kind="stable")[:_TOP_MAGNESIUM])
    liked = np.lexsort((-density, -p.catalog.preference[rows]))
    picks.append(liked[:_TOP_PREFERENCE])
    # Random picks make a different seed explore a different part of a big catalog.
    picks.append(rng.choice(rows.size, size=min(_RANDOM_PICKS, rows.size), replace=False))
    chosen = _unique_in_order(np.concatenate(picks))
    if chosen.size < PER_SLOT:
        rest = np.setdiff1d(np.argsort(-density, kind="stable"), chosen, assume_unique=True)
        chosen = np.concatenate([chosen, rest[: PER_SLOT - chosen.size]])
    return rows[chosen[:PER_SLOT]]
