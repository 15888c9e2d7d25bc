"""The planner's vocabulary: what goes in (meals, rules, fixed entries) and what comes out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
ADDED_MAGNESIUM_LIMIT_MG = 350.0

# Servings the planner may choose: meals in half servings from 0.5 to 2, products (a juice
# shot, a bar) in whole units, at most 2 of them in one slot.
MEAL_SERVING_STEP = 0.5
MEAL_STEPS = (1, 4)  # 0.5 to 2 servings
PRODUCT_SERVING_STEP = 1.0
PRODUCT_STEPS = (1, 2)

SNACK = SLOTS.index("snack")
N_SLOTS = len(SLOTS)
# Columns of the nutrient matrix.
KCAL, MG, ADDED, CARB, SODIUM = range(5)
N_NUTRIENTS = 5

# Codes of the daily rules, in the order a day shows them.
RULE_MAGNESIUM = "magnesium"
RULE_KCAL_LOW = "kcal_low"
RULE_KCAL_HIGH = "kcal_high"
RULE_CARBOHYDRATE = "carbohydrate"
RULE_SODIUM = "sodium"
RULE_ADDED = "added_magnesium"

# What may be relaxed so that no main meal stays empty, in this order.
RELAX_VARIETY = "variety"
RELAX_COMFORT = "comfort"
RELAX_TARGETS = "targets"


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
    # A product is planned in whole units (1 or 2 shots), a meal in half servings.
    unit_only: bool = False
    # Foods that make up the meal; no food may be in more than two meals of one day.
    ingredient_ids: frozenset[int] = frozenset()
    # How often the meal was planned in the two weeks before: each use costs extra.
    recent_uses: int = 0


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
    unit_only: np.ndarray | None = None
    recent_uses: np.ndarray | None = None
    ingredient_ids: tuple[frozenset[int], ...] = field(default=())

    def __post_init__(self) -> None:
        """Coerce dtypes and shapes, reject malformed input early."""
        ids = np.asarray(self.meal_ids, dtype=np.int64).reshape(-1)
        n = ids.size
        fit = np.asarray(self.slot_fit, dtype=bool).reshape(n, N_SLOTS)
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
                raise ValueError(f"Catalog.{name} holds a non-finite value (unknown is not 0)")
            object.__setattr__(self, name, values)
        unit_only = np.zeros(n, bool) if self.unit_only is None else self.unit_only
        recent = np.zeros(n, np.int64) if self.recent_uses is None else self.recent_uses
        object.__setattr__(self, "unit_only", np.asarray(unit_only, dtype=bool).reshape(n))
        object.__setattr__(self, "recent_uses", np.asarray(recent, dtype=np.int64).reshape(n))
        ingredients = tuple(frozenset(i) for i in self.ingredient_ids) or (frozenset(),) * n
        if len(ingredients) != n:
            raise ValueError(f"Catalog.ingredient_ids has {len(ingredients)} rows, expected {n}")
        object.__setattr__(self, "ingredient_ids", ingredients)
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
                len(rows), N_SLOTS
            ),
            kcal=np.array([r.kcal for r in rows], dtype=np.float64),
            magnesium_mg=np.array([r.magnesium_mg for r in rows], dtype=np.float64),
            added_magnesium_mg=np.array([r.added_magnesium_mg for r in rows], dtype=np.float64),
            carbohydrate_g=np.array([r.carbohydrate_g for r in rows], dtype=np.float64),
            sodium_mg=np.array([r.sodium_mg for r in rows], dtype=np.float64),
            preference=np.array([r.preference for r in rows], dtype=np.float64),
            unit_only=np.array([r.unit_only for r in rows], dtype=bool),
            recent_uses=np.array([r.recent_uses for r in rows], dtype=np.int64),
            ingredient_ids=tuple(r.ingredient_ids for r in rows),
        )

    def __len__(self) -> int:
        """Return the number of meals."""
        return int(self.meal_ids.size)

    @cached_property
    def nutrients(self) -> np.ndarray:
        """Return the (n, 5) matrix kcal, Mg, added Mg, carbohydrate, sodium per serving."""
        return np.column_stack(
            [
                self.kcal,
                self.magnesium_mg,
                self.added_magnesium_mg,
                self.carbohydrate_g,
                self.sodium_mg,
            ]
        ).reshape(len(self), N_NUTRIENTS)

    @cached_property
    def index_of(self) -> dict[int, int]:
        """Map meal id to row."""
        return {int(m): i for i, m in enumerate(self.meal_ids)}

    @cached_property
    def serving_step(self) -> np.ndarray:
        """Return the servings one step adds, per meal."""
        return np.where(self.unit_only, PRODUCT_SERVING_STEP, MEAL_SERVING_STEP)

    @cached_property
    def step_range(self) -> np.ndarray:
        """Return the (n, 2) least and most steps of one entry."""
        rows = np.where(self.unit_only[:, None], PRODUCT_STEPS, MEAL_STEPS)
        return np.asarray(rows, dtype=np.int64).reshape(len(self), 2)


@dataclass(frozen=True)
class Rules:
    """Daily targets and limits of one eater."""

    magnesium_target_mg: float
    kcal_min: float
    kcal_max: float
    carbohydrate_max_g: float | None = None
    sodium_max_mg: float | None = None
    added_magnesium_max_mg: float = ADDED_MAGNESIUM_LIMIT_MG
    max_uses_per_week: int = 2
    comfort_band_kcal: float = 50.0
    max_meals_per_ingredient_per_day: int = 2


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
    ingredient_ids: frozenset[int] = frozenset()
    # False: no meal in a cell but a contribution to the day's totals (what the log says was
    # eaten that day); its cell stays free to fill.
    in_cell: bool = True


@dataclass(frozen=True)
class Assignment:
    """Put a number of servings of a meal in a cell."""

    day: int
    slot: int
    meal_id: int
    servings: float = 1.0


@dataclass(frozen=True)
class SwapOption:
    """One meal for a cell, with the servings that suit the day best."""

    meal_id: int
    servings: float
    day_ok: bool


@dataclass(frozen=True)
class DayReport:
    """Summarise one day of the plan and explain every rule that fails."""

    day: int
    kcal: float
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float
    shortfall_mg: float
    kcal_ok: bool
    ok: bool
    # The rules that fail (RULE_* codes), the one whose lifting would let the day hold the
    # others ("calories", "carbohydrate", "sodium", "added_magnesium", "locked", "variety",
    # "catalog", "time"), and whether the planner proved the day cannot do better.
    failures: tuple[str, ...] = ()
    proven_unreachable: bool = False
    best_possible_mg: float | None = None
    binding: str | None = None
    # Relaxed to fill the day's main meals (RELAX_* codes), and main slots left empty
    # because no meal at all suits the eater.
    relaxed: tuple[str, ...] = ()
    empty_slots: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanResult:
    """Return the suggested entries, the per-day report and how the solve went."""

    assignments: tuple[Assignment, ...]
    days: tuple[DayReport, ...]
    first_plan_ms: float
    total_ms: float
    optimal: bool
    # True only when a search limit stopped the solve before it proved its plan best.
    limited: bool = False

    @property
    def days_ok(self) -> int:
        """Return how many days keep every rule."""
        return sum(1 for day in self.days if day.ok)
