"""Suggest a week of meals that reaches a daily magnesium target: a MILP solved with HiGHS.

Pure module: frozen dataclasses in, dataclasses out, numpy and highspy inside, nothing
from Django, so the planner can be tested and benchmarked without a database.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np

SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
ADDED_MAGNESIUM_LIMIT_MG = 350.0

_SNACK = SLOTS.index("snack")
_N_SLOTS = len(SLOTS)
# Columns of the nutrient matrix.
_KCAL, _MG, _ADDED, _CARB, _SODIUM = range(5)
_N_NUTRIENTS = 5

# Objective weights. One mg of shortfall outweighs every comfort term of a whole week
# (at most ~7 days x (band + 4 meals) ~ 3,000 units), so the target always comes first.
_W_SHORT = 1e4
_W_BAND = 1.0  # per kcal outside the comfort band around the window's middle
_W_PREF = 40.0  # per unit of preference per meal: a liked meal is worth 40 kcal off the band
_W_NOISE = 4.0  # range of the seeded tie-break per meal and cell
_W_VIOL = 1e6  # per unit beyond a hard rule, only on days where the rules cannot all hold
_W_EMPTY_PHASE1 = 1e6  # an empty main cell, when finding the least a day must break

# HiGHS stops within this gap; one unit is one kcal off the band or 1/40 of a preference step.
_MIP_REL_GAP = 1e-3
_MIP_ABS_GAP = 1.0
# Plans closer than one tie-break range per day are equally good by design; asking the week
# for less sends HiGHS proving which random tie-break is smallest.
_WEEK_ABS_GAP_PER_DAY = _W_NOISE

_PER_SLOT = 100  # pre-filtered candidates per slot
_SHORTLIST = 12  # meals per cell in stage A's day MILP, chosen by the LP relaxation
_DENSITY_BUCKETS = 8
_PER_BUCKET = 8
_TOP_MAGNESIUM = 8
_TOP_PREFERENCE = 14
_RANDOM_PICKS = 14

_MG_TOL = 1e-3  # mg: below this a shortfall is solver round-off
_KCAL_TOL = 0.5
_CAP_TOL = 1e-3
_BOUND_DISTINCT_MAX_COLS = 2000
_BOUND_TIME_S = 0.3  # one-day bound; its dual bound stays an upper bound if this runs out
_POLISH_MIN_S = 0.02  # below this the polish cannot even load the model
_RESCUE_SHARE = 0.4  # of the time left, for the whole-week search of a plan meeting all targets

_SMALL_MIP_OPTIONS: dict[str, int | bool] = {
    "mip_lp_age_limit": 2,
    "mip_pool_age_limit": 2,
    "mip_pool_soft_limit": 20,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_allow_restart": False,
}

_INF = highspy.kHighsInf
_OPTIMAL = highspy.HighsModelStatus.kOptimal
_INFEASIBLE = highspy.HighsModelStatus.kInfeasible
_FEASIBLE = 2  # HighsInfo.primal_solution_status of a feasible point

# The rules one at a time lifted to find what binds, and the cap each one lifts.
_RELAXATIONS: tuple[str, ...] = ("calories", "added_magnesium", "carbohydrate", "sodium")
_RELAXED_CAP = {
    "calories": _KCAL,
    "added_magnesium": _ADDED,
    "carbohydrate": _CARB,
    "sodium": _SODIUM,
}


@dataclass(frozen=True)
class MealRow:
    """Describe one candidate meal, per serving."""

    meal_id: int
    slots: frozenset[str]
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float = 0.0
    carbohydrate_g: float = 0.0
    sodium_mg: float = 0.0
    preference: float = 0.0


# eq=False: the generated __eq__ would compare numpy arrays and raise on truth testing.
@dataclass(frozen=True, eq=False)
class Catalog:
    """Hold the candidate meals as arrays, one row per meal (per serving values)."""

    meal_ids: np.ndarray
    slot_fit: np.ndarray
    kcal: np.ndarray
    magnesium_mg: np.ndarray
    added_magnesium_mg: np.ndarray
    carbohydrate_g: np.ndarray
    sodium_mg: np.ndarray
    preference: np.ndarray

    def __post_init__(self) -> None:
        """Coerce dtypes and shapes, reject malformed input early."""
        ids = np.asarray(self.meal_ids, dtype=np.int64).reshape(-1)
        n = ids.size
        fit = np.asarray(self.slot_fit, dtype=bool).reshape(n, _N_SLOTS)
        object.__setattr__(self, "meal_ids", ids)
        object.__setattr__(self, "slot_fit", fit)
        for name in (
            "kcal",
            "magnesium_mg",
            "added_magnesium_mg",
            "carbohydrate_g",
            "sodium_mg",
            "preference",
        ):
            values = np.asarray(getattr(self, name), dtype=np.float64).reshape(-1)
            if values.size != n:
                raise ValueError(f"Catalog.{name} has {values.size} rows, expected {n}")
            if not np.all(np.isfinite(values)):
                raise ValueError(f"Catalog.{name} holds a non-finite value")
            object.__setattr__(self, name, values)
        if np.unique(ids).size != n:
            raise ValueError("Catalog.meal_ids must be unique")
        if np.any(self.nutrients < 0):
            raise ValueError("Catalog nutrient values must be non-negative")

    @classmethod
    def from_rows(cls, rows: Sequence[MealRow]) -> Catalog:
        """Build the arrays from meal rows."""
        for row in rows:
            unknown = set(row.slots) - set(SLOTS)
            if unknown:
                raise ValueError(f"meal {row.meal_id}: unknown slots {sorted(unknown)}")
        return cls(
            meal_ids=np.array([r.meal_id for r in rows], dtype=np.int64),
            slot_fit=np.array([[s in r.slots for s in SLOTS] for r in rows], dtype=bool).reshape(
                len(rows), _N_SLOTS
            ),
            kcal=np.array([r.kcal for r in rows], dtype=np.float64),
            magnesium_mg=np.array([r.magnesium_mg for r in rows], dtype=np.float64),
            added_magnesium_mg=np.array([r.added_magnesium_mg for r in rows], dtype=np.float64),
            carbohydrate_g=np.array([r.carbohydrate_g for r in rows], dtype=np.float64),
            sodium_mg=np.array([r.sodium_mg for r in rows], dtype=np.float64),
            preference=np.array([r.preference for r in rows], dtype=np.float64),
        )

    def __len__(self) -> int:
        """Return the number of meals."""
        return int(self.meal_ids.size)

    @cached_property
    def nutrients(self) -> np.ndarray:
        """Return the (n, 5) matrix kcal, Mg, added Mg, carbohydrate, sodium."""
        return np.column_stack(
            [
                self.kcal,
                self.magnesium_mg,
                self.added_magnesium_mg,
                self.carbohydrate_g,
                self.sodium_mg,
            ]
        ).reshape(len(self), _N_NUTRIENTS)

    @cached_property
    def index_of(self) -> dict[int, int]:
        """Map meal id to row."""
        return {int(m): i for i, m in enumerate(self.meal_ids)}


@dataclass(frozen=True)
class Rules:
    """Daily targets and limits of one user."""

    magnesium_target_mg: float
    kcal_min: float
    kcal_max: float
    carbohydrate_max_g: float | None = None
    sodium_max_mg: float | None = None
    added_magnesium_max_mg: float = ADDED_MAGNESIUM_LIMIT_MG
    max_uses_per_week: int = 2
    comfort_band_kcal: float = 50.0


@dataclass(frozen=True)
class FixedEntry:
    """Keep an entry as it is (locked, or everything else during a swap)."""

    day: int
    slot: int
    meal_id: int
    servings: float
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float


@dataclass(frozen=True)
class Assignment:
    """Put one serving of a meal in a cell."""

    day: int
    slot: int
    meal_id: int


@dataclass(frozen=True)
class DayReport:
    """Summarise one day of the plan and explain a shortfall."""

    day: int
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float
    shortfall_mg: float
    kcal_ok: bool
    ok: bool
    proven_unreachable: bool
    best_possible_mg: float | None
    binding: str | None


@dataclass(frozen=True)
class PlanResult:
    """Return the suggested entries, the per-day report and how the solve went."""

    assignments: tuple[Assignment, ...]
    days: tuple[DayReport, ...]
    first_plan_ms: float
    total_ms: float
    optimal: bool


# --------------------------------------------------------------------------------------
# Problem preparation


@dataclass
class _Problem:
    """Hold everything derived once per call."""

    catalog: Catalog
    rules: Rules
    days: int
    nut: np.ndarray  # (n, 5)
    fixed_totals: np.ndarray  # (days, 5)
    fixed_by_day: list[frozenset[int]]  # catalog rows fixed on each day
    fill: np.ndarray  # (days, 4) cells to fill
    occupied: np.ndarray  # (days, 4) cells holding a fixed entry
    uses_left: np.ndarray  # (n,) weekly uses not taken by fixed entries
    eligible: np.ndarray  # (n, 4) fits the slot, alone within the caps, has uses left
    banned: np.ndarray  # (days, n) fixed the day before, the same day or the day after
    cost: np.ndarray  # (n, days, 4) comfort cost of one meal in one cell
    rng: np.random.Generator

    @property
    def mid_kcal(self) -> float:
        """Return the middle of the calorie window."""
        return (self.rules.kcal_min + self.rules.kcal_max) / 2.0


def _caps(rules: Rules, relax: str | None = None) -> np.ndarray:
    """Return the upper caps on kcal, -, added Mg, carbohydrate, sodium (inf = none)."""
    caps = np.array(
        [
            rules.kcal_max,
            _INF,
            rules.added_magnesium_max_mg,
            _INF if rules.carbohydrate_max_g is None else rules.carbohydrate_max_g,
            _INF if rules.sodium_max_mg is None else rules.sodium_max_mg,
        ]
    )
    if relax in _RELAXED_CAP:
        caps[_RELAXED_CAP[relax]] = _INF
    return caps


def _alone_within_caps(nut: np.ndarray, rules: Rules, relax: str | None = None) -> np.ndarray:
    """Mark meals that do not break a daily cap on their own (nothing else can fix that)."""
    caps = _caps(rules, relax)
    return np.all(nut <= caps + _CAP_TOL, axis=1)


def _as_floats(rules: Rules) -> Rules:
    """Return the rules with plain floats (callers may pass ints or Decimals)."""
    return Rules(
        magnesium_target_mg=float(rules.magnesium_target_mg),
        kcal_min=float(rules.kcal_min),
        kcal_max=float(rules.kcal_max),
        carbohydrate_max_g=(
            None if rules.carbohydrate_max_g is None else float(rules.carbohydrate_max_g)
        ),
        sodium_max_mg=None if rules.sodium_max_mg is None else float(rules.sodium_max_mg),
        added_magnesium_max_mg=float(rules.added_magnesium_max_mg),
        max_uses_per_week=int(rules.max_uses_per_week),
        comfort_band_kcal=float(rules.comfort_band_kcal),
    )


def _validate(rules: Rules, days: int) -> None:
    """Reject inputs no plan can be made of."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if rules.kcal_min > rules.kcal_max:
        raise ValueError("kcal_min must not exceed kcal_max")
    if rules.max_uses_per_week < 0 or rules.comfort_band_kcal < 0:
        raise ValueError("max_uses_per_week and comfort_band_kcal must be non-negative")


def _prepare(
    catalog: Catalog,
    rules: Rules,
    days: int,
    fixed: Sequence[FixedEntry],
    fill: Iterable[tuple[int, int]] | None,
    seed: int,
) -> _Problem:
    """Derive arrays shared by every stage."""
    rules = _as_floats(rules)
    _validate(rules, days)
    n = len(catalog)
    nut = catalog.nutrients
    fixed_totals = np.zeros((days, _N_NUTRIENTS))
    occupied = np.zeros((days, _N_SLOTS), dtype=bool)
    fixed_rows: list[set[int]] = [set() for _ in range(days)]
    fixed_uses = np.zeros(n, dtype=np.int64)
    for entry in fixed:
        if not (0 <= entry.day < days and 0 <= entry.slot < _N_SLOTS):
            raise ValueError(f"fixed entry outside the week: day {entry.day}, slot {entry.slot}")
        fixed_totals[entry.day] += [
            float(entry.kcal),
            float(entry.magnesium_mg),
            float(entry.added_magnesium_mg),
            float(entry.carbohydrate_g),
            float(entry.sodium_mg),
        ]
        occupied[entry.day, entry.slot] = True
        row = catalog.index_of.get(int(entry.meal_id))
        if row is not None:
            fixed_rows[entry.day].add(row)
            fixed_uses[row] += 1

    if fill is None:
        fill_mask = ~occupied
    else:
        fill_mask = np.zeros((days, _N_SLOTS), dtype=bool)
        for day, slot in fill:
            if not (0 <= day < days and 0 <= slot < _N_SLOTS):
                raise ValueError(f"fill cell outside the week: day {day}, slot {slot}")
            fill_mask[day, slot] = True
        # A fixed entry stays: its cell is never filled on top.
        fill_mask &= ~occupied

    uses_left = np.maximum(rules.max_uses_per_week - fixed_uses, 0)
    eligible = catalog.slot_fit & (_alone_within_caps(nut, rules) & (uses_left > 0))[:, None]

    banned = np.zeros((days, n), dtype=bool)
    for day, rows in enumerate(fixed_rows):
        if rows:
            idx = np.fromiter(rows, dtype=np.int64)
            banned[max(day - 1, 0) : day + 2, idx] = True

    rng = np.random.default_rng(seed)
    noise = rng.random((n, days, _N_SLOTS))
    cost = _W_NOISE * noise - _W_PREF * catalog.preference[:, None, None]
    return _Problem(
        catalog=catalog,
        rules=rules,
        days=days,
        nut=nut,
        fixed_totals=fixed_totals,
        fixed_by_day=[frozenset(r) for r in fixed_rows],
        fill=fill_mask,
        occupied=occupied,
        uses_left=uses_left,
        eligible=eligible,
        banned=banned,
        cost=cost,
        rng=rng,
    )


def _unique_in_order(values: np.ndarray) -> np.ndarray:
    """Drop repeated values, keeping the first occurrence."""
    _, first = np.unique(values, return_index=True)
    return values[np.sort(first)]


def _prefilter(p: _Problem) -> tuple[list[np.ndarray], bool]:
    """Pick about _PER_SLOT candidates per slot; also say whether nothing was dropped."""
    candidates: list[np.ndarray] = []
    complete = True
    nut = p.nut
    preference = p.catalog.preference
    for slot in range(_N_SLOTS):
        rows = np.flatnonzero(p.eligible[:, slot])
        if rows.size <= _PER_SLOT:
            candidates.append(rows)
            continue
        complete = False
        kcal = nut[rows, _KCAL]
        magnesium = nut[rows, _MG]
        density = magnesium / np.maximum(kcal, 1.0)
        picks: list[np.ndarray] = []
        # The richest Mg per kcal in every calorie range, so that both ends of the window
        # can be met without giving up magnesium.
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
        liked = np.lexsort((-density, -preference[rows]))
        picks.append(liked[:_TOP_PREFERENCE])
        # Random picks make a different seed explore a different part of a big catalog.
        picks.append(p.rng.choice(rows.size, size=min(_RANDOM_PICKS, rows.size), replace=False))
        chosen = _unique_in_order(np.concatenate(picks))
        if chosen.size < _PER_SLOT:
            rest = np.setdiff1d(np.argsort(-density, kind="stable"), chosen, assume_unique=True)
            chosen = np.concatenate([chosen, rest[: _PER_SLOT - chosen.size]])
        candidates.append(rows[chosen[:_PER_SLOT]])
    return candidates, complete


def _violations(totals: np.ndarray, rules: Rules) -> np.ndarray:
    """Return how far day totals break kcal min, kcal max, added Mg, carbs, sodium."""
    caps = _caps(rules)
    return np.array(
        [
            max(0.0, rules.kcal_min - totals[_KCAL]),
            max(0.0, totals[_KCAL] - caps[_KCAL]),
            max(0.0, totals[_ADDED] - caps[_ADDED]),
            max(0.0, totals[_CARB] - caps[_CARB]),
            max(0.0, totals[_SODIUM] - caps[_SODIUM]),
        ]
    )


# --------------------------------------------------------------------------------------
# MILP construction and solving

_AUX_SHORT, _AUX_BAND_HI, _AUX_BAND_LO = range(3)
_AUX_VIOL = 3  # first of the five violation columns
_AUX_EMPTY = 8  # first of four columns, one per slot: a main cell left empty
_N_AUX = 12
_ROWS_PER_DAY = 7


@dataclass
class _Model:
    """A MILP in HiGHS column-wise form plus the meaning of its columns."""

    days: tuple[int, ...]
    var_meal: np.ndarray
    var_slot: np.ndarray
    var_day: np.ndarray
    aux: np.ndarray  # (len(days), _N_AUX) column of each auxiliary variable, -1 if absent
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    a_start: np.ndarray
    a_index: np.ndarray
    a_value: np.ndarray
    comfort_cap: float  # objective of any plan that meets every target and rule is below this

    @property
    def n_x(self) -> int:
        """Return the number of meal columns."""
        return int(self.var_meal.size)


def _csc(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convert triplets to compressed sparse columns."""
    keep = vals != 0.0
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((rows, cols))
    cols = cols[order]
    start = np.searchsorted(cols, np.arange(n_cols + 1)).astype(np.int32)
    return start, rows[order].astype(np.int32), vals[order].astype(np.float64)


def _group_rows(keys: np.ndarray, var: np.ndarray, min_size: int) -> tuple[np.ndarray, ...]:
    """Group variables by key into rows, keeping groups of at least min_size."""
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    keep = counts[inverse] >= min_size
    group_of = np.cumsum(counts >= min_size) - 1  # row number of each kept group
    return var[keep], group_of[inverse[keep]], uniq[counts >= min_size]


def _build(
    p: _Problem,
    cells: dict[tuple[int, int], np.ndarray],
    days: Sequence[int],
    soft: Sequence[np.ndarray | None],
    uses_left: np.ndarray | None,
    phase1: bool = False,
) -> _Model:
    """Build the plan MILP over the given days and candidate cells."""
    # soft[j] is None for a day whose rules are hard, else the upper bounds of its five
    # violation columns and four empty-cell columns (variety may leave a main cell without
    # a meal). phase1 minimises empty cells, then violations, alone.
    rules = p.rules
    days = tuple(days)
    pos = {d: j for j, d in enumerate(days)}
    keys = [c for c in sorted(cells) if cells[c].size]
    if keys:
        var_meal = np.concatenate([cells[c] for c in keys]).astype(np.int64)
        var_day = np.concatenate([np.full(cells[c].size, c[0]) for c in keys]).astype(np.int64)
        var_slot = np.concatenate([np.full(cells[c].size, c[1]) for c in keys]).astype(np.int64)
    else:
        var_meal = var_day = var_slot = np.zeros(0, dtype=np.int64)
    var_pos = np.array([pos[d] for d in var_day.tolist()], dtype=np.int64)
    n_x = var_meal.size

    aux = np.full((len(days), _N_AUX), -1, dtype=np.int64)
    n_cols = n_x
    for j in range(len(days)):
        width = _N_AUX if soft[j] is not None else _AUX_VIOL
        aux[j, :width] = np.arange(n_cols, n_cols + width)
        n_cols += width

    cost = np.zeros(n_cols)
    col_lower = np.zeros(n_cols)
    col_upper = np.full(n_cols, _INF)
    col_upper[:n_x] = 1.0
    integrality = np.zeros(n_cols, dtype=np.int32)
    integrality[:n_x] = 1
    if not phase1:
        cost[:n_x] = p.cost[var_meal, var_day, var_slot]
        cost[aux[:, _AUX_SHORT]] = _W_SHORT
        cost[aux[:, _AUX_BAND_HI]] = _W_BAND
        cost[aux[:, _AUX_BAND_LO]] = _W_BAND

    # Day rows: kcal window, band above, band below, magnesium, added Mg, carbs, sodium.
    caps = _caps(rules)
    mid, band = p.mid_kcal, rules.comfort_band_kcal
    row_lower = np.full(_ROWS_PER_DAY * len(days), -_INF)
    row_upper = np.full(_ROWS_PER_DAY * len(days), _INF)
    trip_rows: list[np.ndarray] = []
    trip_cols: list[np.ndarray] = []
    trip_vals: list[np.ndarray] = []
    comfort_cap = 0.0
    for j, d in enumerate(days):
        f = p.fixed_totals[d]
        r = _ROWS_PER_DAY * j
        row_lower[r], row_upper[r] = rules.kcal_min - f[_KCAL], caps[_KCAL] - f[_KCAL]
        row_upper[r + 1] = mid + band - f[_KCAL]
        row_lower[r + 2] = mid - band - f[_KCAL]
        row_lower[r + 3] = rules.magnesium_target_mg - f[_MG]
        row_upper[r + 4] = caps[_ADDED] - f[_ADDED]
        row_upper[r + 5] = caps[_CARB] - f[_CARB]
        row_upper[r + 6] = caps[_SODIUM] - f[_SODIUM]
        col_upper[aux[j, _AUX_SHORT]] = max(0.0, rules.magnesium_target_mg - f[_MG])
        aux_rows = [r + 3, r + 1, r + 2]
        aux_vals = [1.0, -1.0, 1.0]
        aux_cols = list(aux[j, :_AUX_VIOL])
        if soft[j] is not None:
            viol = aux[j, _AUX_VIOL:_AUX_EMPTY]
            col_upper[aux[j, _AUX_VIOL:]] = soft[j]
            cost[viol] = 1.0 if phase1 else _W_VIOL
            cost[aux[j, _AUX_EMPTY:]] = _W_EMPTY_PHASE1 if phase1 else _W_VIOL
            aux_rows += [r, r, r + 4, r + 5, r + 6]
            aux_vals += [1.0, -1.0, -1.0, -1.0, -1.0]
            aux_cols += list(viol)
        trip_rows.append(np.array(aux_rows))
        trip_cols.append(np.array(aux_cols))
        trip_vals.append(np.array(aux_vals))
        comfort_cap += _W_BAND * max(
            0.0, rules.kcal_max - (mid + band), (mid - band) - rules.kcal_min
        )

    nut_x = p.nut[var_meal]
    day_row = _ROWS_PER_DAY * var_pos
    x_cols = np.arange(n_x)
    for k, nutrient in enumerate((_KCAL, _KCAL, _KCAL, _MG, _ADDED, _CARB, _SODIUM)):
        trip_rows.append(day_row + k)
        trip_cols.append(x_cols)
        trip_vals.append(nut_x[:, nutrient])

    # Cell rows: exactly one meal in breakfast, lunch and dinner, at most one snack.
    next_row = row_lower.size
    extra_lower: list[float] = []
    extra_upper: list[float] = []
    offset = 0
    emptiable = np.zeros(n_cols, dtype=bool)
    for day, slot in keys:
        size = cells[(day, slot)].size
        trip_rows.append(np.full(size, next_row))
        trip_cols.append(np.arange(offset, offset + size))
        trip_vals.append(np.ones(size))
        empty = aux[pos[day], _AUX_EMPTY + slot]
        if empty >= 0 and slot != _SNACK:
            trip_rows.append(np.array([next_row]))
            trip_cols.append(np.array([empty]))
            trip_vals.append(np.ones(1))
            emptiable[empty] = True
        extra_lower.append(0.0 if slot == _SNACK else 1.0)
        extra_upper.append(1.0)
        cell_cost = cost[offset : offset + size]
        comfort_cap += max(0.0, float(cell_cost.max()))
        offset += size
        next_row += 1

    unused = np.zeros(n_cols, dtype=bool)
    unused[aux[:, _AUX_EMPTY:][aux[:, _AUX_EMPTY:] >= 0]] = True
    col_upper[unused & ~emptiable] = 0.0

    # Variety: a meal at most once in any two consecutive days (so never twice a day).
    windows = [(j, j + 1) for j in range(len(days) - 1) if days[j + 1] == days[j] + 1]
    covered = {j for w in windows for j in w}
    windows += [(j,) for j in range(len(days)) if j not in covered]
    for members in windows:
        in_window = np.flatnonzero(np.isin(var_pos, members))
        var, group, _ = _group_rows(var_meal[in_window], in_window, 2)
        if var.size:
            n_groups = int(group.max()) + 1
            trip_rows.append(next_row + group)
            trip_cols.append(var)
            trip_vals.append(np.ones(var.size))
            extra_lower += [-_INF] * n_groups
            extra_upper += [1.0] * n_groups
            next_row += n_groups

    # Variety: weekly uses, counting the fixed ones, where the days alone do not bound them.
    if uses_left is not None and n_x:
        meal_days = np.unique(np.column_stack([var_meal, var_day]), axis=0)
        meals, n_days = np.unique(meal_days[:, 0], return_counts=True)
        tight = set(meals[n_days > uses_left[meals]].tolist())
        if tight:
            in_tight = np.flatnonzero(np.isin(var_meal, list(tight)))
            var, group, group_meal = _group_rows(var_meal[in_tight], in_tight, 1)
            trip_rows.append(next_row + group)
            trip_cols.append(var)
            trip_vals.append(np.ones(var.size))
            extra_lower += [-_INF] * group_meal.size
            extra_upper += uses_left[group_meal].astype(float).tolist()
            next_row += group_meal.size

    row_lower = np.concatenate([row_lower, np.array(extra_lower)])
    row_upper = np.concatenate([row_upper, np.array(extra_upper)])
    a_start, a_index, a_value = _csc(
        np.concatenate(trip_rows).astype(np.int64),
        np.concatenate(trip_cols).astype(np.int64),
        np.concatenate(trip_vals).astype(np.float64),
        n_cols,
    )
    return _Model(
        days=days,
        var_meal=var_meal,
        var_slot=var_slot,
        var_day=var_day,
        aux=aux,
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        integrality=integrality,
        row_lower=row_lower,
        row_upper=row_upper,
        a_start=a_start,
        a_index=a_index,
        a_value=a_value,
        comfort_cap=comfort_cap,
    )


@dataclass
class _Solution:
    """What HiGHS returned."""

    status: highspy.HighsModelStatus
    values: np.ndarray | None  # column values of the best plan found, None if none
    objective: float
    dual_bound: float
    reduced_costs: np.ndarray | None = None  # LP solves only

    @property
    def optimal(self) -> bool:
        """Say whether the solve closed its gap."""
        return self.status == _OPTIMAL


def _highs(
    time_limit: float, rel_gap: float, abs_gap: float, small: bool, presolve: bool = True
) -> highspy.Highs:
    """Create a quiet, single-threaded solver (deterministic for a given model)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.setOptionValue("mip_abs_gap", abs_gap)
    if small:
        # Measured on stage A's day MILPs (~50 binaries): root cut rounds and start
        # heuristics are most of the time; ageing cuts out fast and skipping feasibility
        # jump, RINS and RENS cuts CPU time by a third with the same optima.
        for option, value in _SMALL_MIP_OPTIONS.items():
            h.setOptionValue(option, value)
    if not presolve:
        # On the one-day bound over 10,000 meals (9 rows, 14,000 binaries) HiGHS's MIP
        # presolve ran 3-5 s without a dual bound; without it the MILP solves in 0.3 s.
        h.setOptionValue("presolve", "off")
    return h


def _solve(
    n_cols: int,
    n_rows: int,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    matrix: tuple[np.ndarray, np.ndarray, np.ndarray],
    integrality: np.ndarray,
    time_limit: float,
    *,
    rel_gap: float = _MIP_REL_GAP,
    abs_gap: float = _MIP_ABS_GAP,
    start: np.ndarray | None = None,
    on_improve: Callable[[np.ndarray], None] | None = None,
    small: bool = False,
    presolve: bool = True,
) -> _Solution:
    """Minimise cost over the MILP with HiGHS."""
    h = _highs(time_limit, rel_gap, abs_gap, small, presolve)
    a_start, a_index, a_value = matrix
    h.passModel(
        n_cols,
        n_rows,
        int(a_value.size),
        1,  # column-wise
        1,  # minimise
        0.0,
        cost,
        col_lower,
        col_upper,
        row_lower,
        row_upper,
        a_start,
        a_index,
        a_value,
        integrality,
    )
    if start is not None:
        h.setSolution(n_cols, np.arange(n_cols, dtype=np.int32), start.astype(np.float64))
    if on_improve is not None:
        h.cbMipImprovingSolution.subscribe(
            lambda e: on_improve(np.asarray(e.data_out.mip_solution))
        )
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    values = None
    if info.primal_solution_status == _FEASIBLE:
        values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if np.any(integrality):
        return _Solution(
            status, values, float(info.objective_function_value), float(info.mip_dual_bound)
        )
    reduced = None
    if values is not None:
        reduced = np.asarray(h.getSolution().col_dual, dtype=np.float64)
    objective = float(info.objective_function_value)
    return _Solution(status, values, objective, objective, reduced)


def _solve_model(
    m: _Model,
    time_limit: float,
    start: np.ndarray | None = None,
    on_improve: Callable[[np.ndarray], None] | None = None,
    small: bool = False,
    abs_gap: float = _MIP_ABS_GAP,
) -> _Solution:
    """Solve a plan model."""
    return _solve(
        m.cost.size,
        m.row_lower.size,
        m.cost,
        m.col_lower,
        m.col_upper,
        m.row_lower,
        m.row_upper,
        (m.a_start, m.a_index, m.a_value),
        m.integrality,
        time_limit,
        start=start,
        on_improve=on_improve,
        small=small,
        abs_gap=abs_gap,
    )


def _picked(m: _Model, values: np.ndarray) -> list[tuple[int, int, int]]:
    """Return (day, slot, catalog row) of the meal columns set to one."""
    on = np.flatnonzero(values[: m.n_x] > 0.5)
    return list(
        zip(m.var_day[on].tolist(), m.var_slot[on].tolist(), m.var_meal[on].tolist(), strict=True)
    )


def _day_totals(p: _Problem, picks: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """Return (days, 5) totals of fixed entries plus picked meals."""
    totals = p.fixed_totals.copy()
    for day, _, row in picks:
        totals[day] += p.nut[row]
    return totals


def _column_values(m: _Model, p: _Problem, picks: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """Return the full column vector of a plan, auxiliaries included (a MIP start)."""
    values = np.zeros(m.cost.size)
    lookup = {
        key: i
        for i, key in enumerate(
            zip(m.var_day.tolist(), m.var_slot.tolist(), m.var_meal.tolist(), strict=True)
        )
    }
    for pick in picks:
        values[lookup[pick]] = 1.0
    filled = {(day, slot) for day, slot, _ in picks}
    totals = _day_totals(p, picks)
    rules = p.rules
    for j, d in enumerate(m.days):
        t = totals[d]
        values[m.aux[j, _AUX_SHORT]] = max(0.0, rules.magnesium_target_mg - t[_MG])
        values[m.aux[j, _AUX_BAND_HI]] = max(0.0, t[_KCAL] - (p.mid_kcal + rules.comfort_band_kcal))
        values[m.aux[j, _AUX_BAND_LO]] = max(0.0, (p.mid_kcal - rules.comfort_band_kcal) - t[_KCAL])
        if m.aux[j, _AUX_VIOL] >= 0:
            values[m.aux[j, _AUX_VIOL:_AUX_EMPTY]] = _violations(t, rules)
            for slot in range(_N_SLOTS):
                column = m.aux[j, _AUX_EMPTY + slot]
                values[column] = float(m.col_upper[column] > 0 and (d, slot) not in filled)
    return values


# --------------------------------------------------------------------------------------
# Stage A: day by day


def _day_cells(
    p: _Problem, day: int, candidates: list[np.ndarray], extra_ban: np.ndarray | None = None
) -> dict[tuple[int, int], np.ndarray]:
    """Return the candidates of every cell to fill on one day."""
    cells: dict[tuple[int, int], np.ndarray] = {}
    for slot in np.flatnonzero(p.fill[day]).tolist():
        rows = candidates[slot]
        keep = ~p.banned[day, rows]
        if extra_ban is not None:
            keep &= ~extra_ban[rows]
        cells[(day, slot)] = rows[keep]
    return cells


def _stage_a(
    p: _Problem, candidates: list[np.ndarray], deadline: float
) -> tuple[list[tuple[int, int, int]], list[np.ndarray | None]]:
    """Solve the days one by one, checking variety against the days already planned."""
    picks: list[tuple[int, int, int]] = []
    soft: list[np.ndarray | None] = []
    used = np.zeros(p.catalog.meal_ids.size, dtype=np.int64)
    picked_on: list[set[int]] = [set() for _ in range(p.days)]
    for day in range(p.days):
        ban = used >= p.uses_left
        for neighbour in (day - 1, day + 1):
            if 0 <= neighbour < p.days and picked_on[neighbour]:
                ban[list(picked_on[neighbour])] = True
        cells = _day_cells(p, day, candidates, ban)
        left = max(deadline - time.perf_counter(), 0.05) / (p.days - day)
        day_picks, day_soft = _solve_day(p, day, cells, left)
        for pick in day_picks:
            used[pick[2]] += 1
            picked_on[day].add(pick[2])
        picks += day_picks
        soft.append(day_soft)
    return picks, soft


def _shortlist(
    m: _Model, cells: dict[tuple[int, int], np.ndarray], time_limit: float
) -> dict[tuple[int, int], np.ndarray] | None:
    """Keep, per cell, the meals the LP relaxation uses, then the lowest reduced costs."""
    lp = _solve(
        m.cost.size,
        m.row_lower.size,
        m.cost,
        m.col_lower,
        m.col_upper,
        m.row_lower,
        m.row_upper,
        (m.a_start, m.a_index, m.a_value),
        np.zeros(m.cost.size, dtype=np.int32),
        time_limit,
    )
    if lp.values is None or lp.reduced_costs is None:
        return None
    score = np.where(lp.values[: m.n_x] > 1e-9, -_INF, lp.reduced_costs[: m.n_x])
    short: dict[tuple[int, int], np.ndarray] = {}
    offset = 0
    for key in sorted(cells):
        rows = cells[key]
        cell_score = score[offset : offset + rows.size]
        short[key] = rows[np.argsort(cell_score, kind="stable")[:_SHORTLIST]]
        offset += rows.size
    return short


def _solve_day(
    p: _Problem, day: int, cells: dict[tuple[int, int], np.ndarray], time_limit: float
) -> tuple[list[tuple[int, int, int]], np.ndarray | None]:
    """Plan one day; if its rules cannot all hold, break them as little as possible."""
    if not any(c.size for c in cells.values()):
        viol = _violations(p.fixed_totals[day], p.rules)
        return [], (np.concatenate([viol, np.zeros(_N_SLOTS)]) if np.any(viol > _CAP_TOL) else None)
    hard = _build(p, cells, [day], [None], None)
    if max(c.size for c in cells.values()) > _SHORTLIST:
        # Kernel search: the LP relaxation names the few meals per cell worth a MILP; a
        # 12-meal MILP per cell solves ~5x faster than 100 and almost always to the same
        # plan. If the short list misses the target, the full day is solved after all.
        short = _shortlist(hard, cells, time_limit)
        if short is not None:
            listed = _build(p, short, [day], [None], None)
            sol = _solve_model(listed, time_limit, small=True)
            if sol.values is not None and sol.values[listed.aux[0, _AUX_SHORT]] <= _MG_TOL:
                return _picked(listed, sol.values), None
    sol = _solve_model(hard, time_limit)
    if sol.values is not None:
        return _picked(hard, sol.values), None
    # Infeasible: first the least violation, then the best plan that keeps to it.
    unbounded = np.concatenate([np.full(_N_NUTRIENTS, _INF), np.ones(_N_SLOTS)])
    least = _build(p, cells, [day], [unbounded], None, phase1=True)
    first = _solve_model(least, time_limit)
    if first.values is None:  # every soft row has a free slack, so only a time-out lands here
        return [], np.concatenate([_violations(p.fixed_totals[day], p.rules), np.ones(_N_SLOTS)])
    first_picks = _picked(least, first.values)
    viol = first.values[least.aux[0, _AUX_VIOL:]] + 1e-6
    kept = _build(p, cells, [day], [viol], None)
    second = _solve_model(kept, time_limit, start=_column_values(kept, p, first_picks))
    if second.values is None:
        return first_picks, viol
    return _picked(kept, second.values), viol


def _rescue(
    p: _Problem, model: _Model, picks: list[tuple[int, int, int]], deadline: float
) -> list[tuple[int, int, int]]:
    """Look over the whole week for a plan with the least shortfall, comfort ignored."""
    # Day by day is short-sighted on small catalogs: an early day may take the meal a later
    # day needed. Without comfort terms the LP bound is zero whenever a fractional week
    # meets every target, so HiGHS stops at the first plan that does: tens of ms where
    # the full polish may need seconds.
    cost = np.zeros(model.cost.size)
    cost[model.aux[:, _AUX_SHORT]] = 1.0
    viol = model.aux[:, _AUX_VIOL:]
    cost[viol[viol >= 0]] = _W_VIOL / _W_SHORT
    start = _column_values(model, p, picks)
    time_limit = _RESCUE_SHARE * (deadline - time.perf_counter())
    sol = _solve(
        model.cost.size,
        model.row_lower.size,
        cost,
        model.col_lower,
        model.col_upper,
        model.row_lower,
        model.row_upper,
        (model.a_start, model.a_index, model.a_value),
        model.integrality,
        time_limit,
        abs_gap=_MG_TOL,
        start=start,
    )
    if sol.values is None or cost @ sol.values >= cost @ start - _MG_TOL:
        return picks
    return _picked(model, sol.values)


# --------------------------------------------------------------------------------------
# One-day bound and explanations


@dataclass(frozen=True)
class _DayBound:
    """The most magnesium one day can hold: proven upper bound, and a plan's worth found."""

    upper: float  # inf when the solve stopped before bounding anything
    reached: float | None  # magnesium of the best day plan found, None if none was


class _Bounds:
    """Compute, and cache, the most magnesium one day can hold under the rules."""

    def __init__(self, p: _Problem) -> None:
        """Keep the problem; bounds of days with the same state are shared."""
        self.p = p
        self.cache: dict[tuple[object, ...], _DayBound | None] = {}

    def get(self, day: int, relax: str | None = None) -> _DayBound | None:
        """Bound one day's magnesium; None when proven that its rules cannot all hold."""
        # relax lifts one rule: "calories" (the kcal window), "added_magnesium",
        # "carbohydrate", "sodium", or "locked" (the day's fixed entries and unfilled cells).
        # Weekly variety is ignored, so the bound holds whatever the other days do.
        p = self.p
        if relax == "locked":
            fixed = np.zeros(_N_NUTRIENTS)
            free = np.ones(_N_SLOTS, dtype=bool)
            fixed_rows: frozenset[int] = frozenset()
        else:
            fixed, free, fixed_rows = p.fixed_totals[day], p.fill[day], p.fixed_by_day[day]
        key = (relax, tuple(fixed.tolist()), tuple(free.tolist()), fixed_rows)
        if key not in self.cache:
            self.cache[key] = self._solve(fixed, free, fixed_rows, relax)
        return self.cache[key]

    def _solve(
        self, fixed: np.ndarray, free: np.ndarray, fixed_rows: frozenset[int], relax: str | None
    ) -> _DayBound | None:
        """Maximise one day's magnesium as a small MILP solved to optimality."""
        p, rules = self.p, self.p.rules
        caps = _caps(rules, relax)
        kcal_min = -_INF if relax == "calories" else rules.kcal_min
        usable = _alone_within_caps(p.nut, rules, relax) & (p.uses_left > 0)
        if fixed_rows:
            usable[list(fixed_rows)] = False
        slots = np.flatnonzero(free)
        rows_per_slot = [np.flatnonzero(usable & p.catalog.slot_fit[:, s]) for s in slots]
        var_meal = np.concatenate([np.zeros(0, dtype=np.int64), *rows_per_slot])
        if var_meal.size == 0:
            totals_ok = fixed[_KCAL] >= kcal_min - _KCAL_TOL and np.all(
                fixed <= caps + np.array([_KCAL_TOL, 0, _CAP_TOL, _CAP_TOL, _CAP_TOL])
            )
            return _DayBound(float(fixed[_MG]), float(fixed[_MG])) if totals_ok else None
        n = var_meal.size
        nut = p.nut[var_meal]
        cols = np.arange(n)
        trip_rows = [np.zeros(n, dtype=np.int64), *(np.full(n, k) for k in (1, 2, 3))]
        trip_cols = [cols] * 4
        trip_vals = [nut[:, _KCAL], nut[:, _ADDED], nut[:, _CARB], nut[:, _SODIUM]]
        row_lower = [kcal_min - fixed[_KCAL], -_INF, -_INF, -_INF]
        row_upper = [
            caps[_KCAL] - fixed[_KCAL],
            caps[_ADDED] - fixed[_ADDED],
            caps[_CARB] - fixed[_CARB],
            caps[_SODIUM] - fixed[_SODIUM],
        ]
        offset = 0
        main_cols = []
        for slot, rows in zip(slots.tolist(), rows_per_slot, strict=True):
            if rows.size:
                trip_rows.append(np.full(rows.size, len(row_lower)))
                trip_cols.append(np.arange(offset, offset + rows.size))
                trip_vals.append(np.ones(rows.size))
                row_lower.append(0.0)
                row_upper.append(1.0)
                if slot != _SNACK:
                    main_cols.append(np.arange(offset, offset + rows.size))
            offset += rows.size
        # Main cells are filled as far as distinct meals go round, as the planner does.
        fillable = _fillable_main_cells(
            [
                rows
                for slot, rows in zip(slots.tolist(), rows_per_slot, strict=True)
                if slot != _SNACK and rows.size
            ]
        )
        if fillable:
            every_main = np.concatenate(main_cols)
            trip_rows.append(np.full(every_main.size, len(row_lower)))
            trip_cols.append(every_main)
            trip_vals.append(np.ones(every_main.size))
            row_lower.append(float(fillable))
            row_upper.append(_INF)
        # A meal fitting several slots still counts once a day. On big catalogs these rows
        # are left out: the bound stays valid (a relaxation) and hardly moves with thousands
        # of meals, while 4,000 such rows slow the MILP down at N=10,000.
        var, group, uniq = _group_rows(var_meal, cols, 2)
        if var.size and n <= _BOUND_DISTINCT_MAX_COLS:
            trip_rows.append(len(row_lower) + group)
            trip_cols.append(var)
            trip_vals.append(np.ones(var.size))
            row_lower += [-_INF] * uniq.size
            row_upper += [1.0] * uniq.size
        matrix = _csc(
            np.concatenate(trip_rows).astype(np.int64),
            np.concatenate(trip_cols).astype(np.int64),
            np.concatenate(trip_vals).astype(np.float64),
            n,
        )
        sol = _solve(
            n,
            len(row_lower),
            -nut[:, _MG],
            np.zeros(n),
            np.ones(n),
            np.array(row_lower),
            np.array(row_upper),
            matrix,
            np.ones(n, dtype=np.int32),
            _BOUND_TIME_S,
            rel_gap=1e-7,
            abs_gap=1e-4,
            presolve=False,
        )
        if sol.status == _INFEASIBLE:
            return None
        reached = None if sol.values is None else float(fixed[_MG] - sol.objective)
        # The dual bound, not the incumbent: an upper bound even if the solve timed out.
        upper = float(fixed[_MG] - sol.dual_bound) if np.isfinite(sol.dual_bound) else _INF
        return _DayBound(max(upper, reached or 0.0), reached)


def _fillable_main_cells(candidates: Sequence[np.ndarray]) -> int:
    """Return how many cells can get distinct meals (a bipartite matching, by Hall)."""
    # Deficiency form of Hall's theorem: cells minus the worst shortage of any subset.
    size = len(candidates)
    fillable = size
    for k in range(1, size + 1):
        for subset in itertools.combinations(candidates, k):
            meals = np.unique(np.concatenate(subset)).size
            fillable = min(fillable, size - k + meals)
    return fillable


def _day_has_locks(p: _Problem, day: int) -> bool:
    """Say whether fixed entries or unfilled cells take any slot of the day."""
    return bool(p.occupied[day].any() or not p.fill[day].all())


def _locks_break_a_cap(p: _Problem, day: int) -> bool:
    """Say whether the day's fixed entries alone already break a daily cap."""
    over = _violations(p.fixed_totals[day], p.rules)[1:]
    return bool(over[0] > _KCAL_TOL or np.any(over[1:] > _CAP_TOL))


def _applicable_relaxations(rules: Rules) -> list[str]:
    """Return the rules that are set, in the order they are tried."""
    caps = _caps(rules)
    return [r for r in _RELAXATIONS if r == "calories" or np.isfinite(caps[_RELAXED_CAP[r]])]


def _reaches(bound: _DayBound | None, magnesium: float) -> bool:
    """Say whether a day plan was found holding at least this much magnesium."""
    return bound is not None and bound.reached is not None and bound.reached >= magnesium


def _why_short(p: _Problem, bounds: _Bounds, day: int) -> str:
    """Name the one rule whose lifting would let the day reach its target."""
    target = p.rules.magnesium_target_mg - _MG_TOL
    if _locks_break_a_cap(p, day):
        return "locked"
    # A rule binds if a day plan found with it lifted does reach the target.
    for relax in _applicable_relaxations(p.rules):
        if _reaches(bounds.get(day, relax), target):
            return relax
    if _day_has_locks(p, day) and _reaches(bounds.get(day, "locked"), target):
        return "locked"
    # No single rule is to blame: the meals on offer are too few or too poor.
    return "catalog"


def _why_rules_fail(p: _Problem, bounds: _Bounds, day: int) -> str:
    """Name the one rule whose lifting would let the day keep all the others."""
    if _locks_break_a_cap(p, day):
        return "locked"
    for relax in _applicable_relaxations(p.rules):
        if _reaches(bounds.get(day, relax), -_INF):
            return relax
    if _day_has_locks(p, day) and _reaches(bounds.get(day, "locked"), -_INF):
        return "locked"
    return "catalog"


def _explain(
    p: _Problem, bounds: _Bounds, day: int, shortfall: float, optimal: bool, week_proof: bool
) -> tuple[bool, float | None, str]:
    """Return (proven unreachable, one-day bound, binding rule) for a day that is not ok."""
    target = p.rules.magnesium_target_mg
    bound = bounds.get(day)
    short = shortfall > _MG_TOL
    if bound is None:
        # No day plan keeps every rule. Unreachable is about magnesium: proven if short.
        why = _why_short(p, bounds, day) if short else _why_rules_fail(p, bounds, day)
        return short, None, why
    best = bound.upper if bound.upper < _INF else None
    if short and bound.upper < target - _MG_TOL:
        return True, best, _why_short(p, bounds, day)
    # The day alone could do it: the week (variety) or the search stopped it.
    return short and week_proof, best, ("variety" if optimal else "time")


def _report(
    p: _Problem,
    picks: Sequence[tuple[int, int, int]],
    optimal: bool,
    week_proof: bool,
) -> tuple[DayReport, ...]:
    """Total every day and explain each one that is not ok."""
    rules = p.rules
    totals = _day_totals(p, picks)
    bounds = _Bounds(p)
    reports = []
    for day in range(p.days):
        t = totals[day]
        shortfall = max(0.0, rules.magnesium_target_mg - float(t[_MG]))
        viol = _violations(t, rules)
        kcal_ok = bool(viol[0] <= _KCAL_TOL and viol[1] <= _KCAL_TOL)
        caps_ok = bool(np.all(viol[2:] <= _CAP_TOL))
        ok = shortfall <= _MG_TOL and kcal_ok and caps_ok
        proven, best, binding = False, None, None
        if not ok:
            proven, best, binding = _explain(p, bounds, day, shortfall, optimal, week_proof)
        reports.append(
            DayReport(
                day=day,
                kcal=float(t[_KCAL]),
                magnesium_mg=float(t[_MG]),
                added_magnesium_mg=float(t[_ADDED]),
                carbohydrate_g=float(t[_CARB]),
                sodium_mg=float(t[_SODIUM]),
                shortfall_mg=shortfall,
                kcal_ok=kcal_ok,
                ok=ok,
                proven_unreachable=proven,
                best_possible_mg=best,
                binding=binding,
            )
        )
    return tuple(reports)


def _all_ok(p: _Problem, picks: Sequence[tuple[int, int, int]]) -> bool:
    """Say whether every day meets its target inside every rule."""
    totals = _day_totals(p, picks)
    for t in totals:
        viol = _violations(t, p.rules)
        if p.rules.magnesium_target_mg - t[_MG] > _MG_TOL:
            return False
        if viol[0] > _KCAL_TOL or viol[1] > _KCAL_TOL or np.any(viol[2:] > _CAP_TOL):
            return False
    return True


# --------------------------------------------------------------------------------------
# Public API


def plan_week(
    catalog: Catalog,
    rules: Rules,
    *,
    days: int = 7,
    fixed: Sequence[FixedEntry] = (),
    fill: Iterable[tuple[int, int]] | None = None,
    seed: int = 0,
    time_budget_s: float = 2.0,
) -> PlanResult:
    """Suggest one meal per cell so every day reaches its magnesium target within the rules."""
    # fill lists the (day, slot) cells to fill; None fills every cell without a fixed entry.
    # Cells neither fixed nor in fill stay empty and count nothing.
    started = time.perf_counter()
    deadline = started + time_budget_s
    p = _prepare(catalog, rules, days, fixed, fill, seed)
    candidates, complete = _prefilter(p)

    # Stage A: a plan in a fraction of the budget, one small MILP per day.
    picks, soft = _stage_a(p, candidates, deadline)
    stage_a_done = time.perf_counter()
    first_ok: list[float] = [stage_a_done] if _all_ok(p, picks) else []

    # Stage B: the whole week in one MILP, warm-started from stage A, in the time left.
    cells: dict[tuple[int, int], np.ndarray] = {}
    for day in range(days):
        cells.update(_day_cells(p, day, candidates))
    model = _build(p, cells, range(days), soft, p.uses_left)
    optimal = model.n_x == 0  # nothing to decide is trivially optimal
    week_proof = False
    if model.n_x and not first_ok and deadline - time.perf_counter() > _POLISH_MIN_S:
        picks = _rescue(p, model, picks, deadline)
        if _all_ok(p, picks):
            first_ok.append(time.perf_counter())
    remaining = deadline - time.perf_counter()
    if model.n_x and remaining > _POLISH_MIN_S:
        start = _column_values(model, p, picks)
        watched = model.aux[:, [_AUX_SHORT, *range(_AUX_VIOL, _N_AUX)]].ravel()
        watched = watched[watched >= 0]

        def note_first_ok(values: np.ndarray) -> None:
            """Timestamp the first polished plan with no shortfall and no broken rule."""
            if not first_ok and values[watched].sum() <= _MG_TOL:
                first_ok.append(time.perf_counter())

        sol = _solve_model(
            model,
            remaining,
            start=start,
            on_improve=note_first_ok,
            abs_gap=_WEEK_ABS_GAP_PER_DAY * days,
        )
        optimal = sol.optimal
        if sol.values is not None and model.cost @ sol.values <= model.cost @ start + 1e-6:
            picks = _picked(model, sol.values)
        # Proof that some day must fall short: every plan meeting all targets would cost
        # at most comfort_cap, and the solver's bound is above it. Only valid when the
        # pre-filter dropped nothing and every rule was hard.
        week_proof = (
            optimal
            and complete
            and all(s is None for s in soft)
            and sol.dual_bound > model.comfort_cap + 1e-6
        )
    if not first_ok and _all_ok(p, picks):
        first_ok.append(time.perf_counter())

    reports = _report(p, picks, optimal, week_proof)
    ids = p.catalog.meal_ids
    assignments = tuple(
        Assignment(day=d, slot=s, meal_id=int(ids[row])) for d, s, row in sorted(picks)
    )
    finished = time.perf_counter()
    return PlanResult(
        assignments=assignments,
        days=reports,
        first_plan_ms=((first_ok[0] if first_ok else stage_a_done) - started) * 1000.0,
        total_ms=(finished - started) * 1000.0,
        optimal=optimal,
    )


def swap_options(
    catalog: Catalog,
    rules: Rules,
    *,
    day: int,
    slot: int,
    fixed: Sequence[FixedEntry],
    days: int = 7,
    exclude_meal_ids: Collection[int] = (),
    k: int = 3,
    seed: int = 0,
) -> list[int]:
    """Return the best k meal ids for one cell with every fixed entry kept, best first."""
    # Meals keeping the day ok come first, then those that keep every rule but fall short
    # (least shortfall first); meals breaking a rule only when nothing else is possible.
    # Within a tier, the comfort band and preference decide. One cell needs no MILP: every
    # candidate is scored exactly.
    if not (0 <= day < days and 0 <= slot < _N_SLOTS):
        raise ValueError(f"cell outside the week: day {day}, slot {slot}")
    p = _prepare(catalog, rules, days, fixed, [], seed)
    rules = p.rules
    excluded = np.isin(catalog.meal_ids, np.fromiter(exclude_meal_ids, dtype=np.int64))
    usable = catalog.slot_fit[:, slot] & (p.uses_left > 0) & ~p.banned[day] & ~excluded
    rows = np.flatnonzero(usable)
    if rows.size == 0 or k <= 0:
        return []
    totals = p.fixed_totals[day] + p.nut[rows]
    caps = _caps(rules)
    shortfall = np.maximum(rules.magnesium_target_mg - totals[:, _MG], 0.0)
    broken = (
        np.maximum(rules.kcal_min - totals[:, _KCAL] - _KCAL_TOL, 0.0)
        + np.maximum(totals[:, _KCAL] - caps[_KCAL] - _KCAL_TOL, 0.0)
        + np.maximum(totals[:, _ADDED:] - caps[_ADDED:] - _CAP_TOL, 0.0).sum(axis=1)
    )
    band = rules.comfort_band_kcal
    off_band = np.maximum(np.abs(totals[:, _KCAL] - p.mid_kcal) - band, 0.0)
    comfort = _W_BAND * off_band + p.cost[rows, day, slot]
    tier = np.where(broken > 0, 2, np.where(shortfall > _MG_TOL, 1, 0))
    if np.any(tier < 2):
        keep = tier < 2
        rows, tier, broken, shortfall, comfort = (
            a[keep] for a in (rows, tier, broken, shortfall, comfort)
        )
    order = np.lexsort((comfort, shortfall, broken, tier))
    return [int(m) for m in catalog.meal_ids[rows[order[:k]]]]
