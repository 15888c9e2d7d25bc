"""Day reports: every rule's status, and for a day that fails, the reason the planner proved."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mealplan.planner.model import Triplets, solve
from mealplan.planner.problem import (
    CAP_TOL,
    INF,
    KCAL_TOL,
    MG_TOL,
    RELAXATIONS,
    RELAXED_CAP,
    Problem,
    caps,
    violations,
)
from mealplan.planner.types import (
    ADDED,
    CARB,
    KCAL,
    MG,
    N_NUTRIENTS,
    N_SLOTS,
    RULE_ADDED,
    RULE_CARBOHYDRATE,
    RULE_KCAL_HIGH,
    RULE_KCAL_LOW,
    RULE_MAGNESIUM,
    RULE_SODIUM,
    SNACK,
    SODIUM,
    DayReport,
)

_BOUND_TIME_S = 1.0  # one-day bound; its dual bound stays an upper bound if this runs out
# The deterministic stop of a one-day bound (one thread, fixed seed); time is the last resort.
# Its dual bound stays a valid upper bound when the limit stops it. Measured on the curated
# catalog (capped and strict profiles): every bound closes optimal in under 0.02 s, far
# inside this limit; it bounds the one-day MILPs over thousands of synthetic meals.
BOUND_NODE_LIMIT = 200
_MIN_BOUND_S = 0.02  # below this the bound is not tried: the day is explained by "time"
_BOUND_DISTINCT_MAX_COLS = 2000

Pick = tuple[int, int, int, int]  # day, slot, catalog row, steps


def day_totals(p: Problem, picks: Sequence[Pick]) -> np.ndarray:
    """Return (days, 5) totals of fixed entries plus picked meals and servings."""
    totals = p.fixed_totals.copy()
    step = p.catalog.serving_step
    for day, _, row, steps in picks:
        totals[day] += p.nut[row] * step[row] * steps
    return totals


def failures(totals: np.ndarray, p: Problem) -> tuple[str, ...]:
    """Return the codes of the rules a day's totals break."""
    rules = p.rules
    viol = violations(totals, rules)
    failed = []
    if rules.magnesium_target_mg - totals[MG] > MG_TOL:
        failed.append(RULE_MAGNESIUM)
    if viol[0] > KCAL_TOL:
        failed.append(RULE_KCAL_LOW)
    if viol[1] > KCAL_TOL:
        failed.append(RULE_KCAL_HIGH)
    if viol[3] > CAP_TOL:
        failed.append(RULE_CARBOHYDRATE)
    if viol[4] > CAP_TOL:
        failed.append(RULE_SODIUM)
    if viol[2] > CAP_TOL:
        failed.append(RULE_ADDED)
    return tuple(failed)


@dataclass(frozen=True)
class DayBound:
    """The most magnesium one day can hold: proven upper bound, and a plan's worth found."""

    upper: float  # inf when the solve stopped before bounding anything
    reached: float | None  # magnesium of the best day plan found, None if none was


class Bounds:
    """Compute, and cache, the most magnesium one day can hold under the rules."""

    def __init__(self, p: Problem, deadline: float = INF) -> None:
        """Keep the problem; bounds of days with the same state are shared."""
        # deadline: perf_counter() by which the call must end; bounds share what is left.
        self.p = p
        self.deadline = deadline
        self.ran_out = False  # a bound was skipped: the call's time was up
        self.cache: dict[tuple[object, ...], DayBound | None] = {}

    def get(self, day: int, relax: str | None = None) -> DayBound | None:
        """Bound one day's magnesium; None when proven that its rules cannot all hold."""
        # relax lifts one rule: "calories" (the kcal window), "added_magnesium",
        # "carbohydrate", "sodium", or "locked" (the day's fixed entries and unfilled cells).
        # Weekly variety is ignored, so the bound holds whatever the other days do.
        p = self.p
        if relax == "locked":
            fixed = np.zeros(N_NUTRIENTS)
            free = np.ones(N_SLOTS, dtype=bool)
            fixed_rows: frozenset[int] = frozenset()
        else:
            fixed, free, fixed_rows = p.fixed_totals[day], p.fill[day], p.fixed_rows[day]
        key = (relax, tuple(fixed.tolist()), tuple(free.tolist()), fixed_rows)
        if key not in self.cache:
            self.cache[key] = self._solve(fixed, free, fixed_rows, relax)
        return self.cache[key]

    def _solve(
        self, fixed: np.ndarray, free: np.ndarray, fixed_rows: frozenset[int], relax: str | None
    ) -> DayBound | None:
        """Maximise one day's magnesium, servings included, as a small MILP."""
        p, rules, catalog = self.p, self.p.rules, self.p.catalog
        top = caps(rules, relax)
        kcal_min = -INF if relax == "calories" else rules.kcal_min
        usable = p.eligible.any(axis=1) & (p.uses_left > 0)
        if relax in (None, "locked") or relax != "added_magnesium":
            usable &= p.least(np.arange(len(catalog)))[:, ADDED] <= top[ADDED] + CAP_TOL
        if fixed_rows:
            usable[list(fixed_rows)] = False
        slots = np.flatnonzero(free).tolist()
        rows_per_slot = [np.flatnonzero(usable & catalog.slot_fit[:, s]) for s in slots]
        var_meal = np.concatenate([np.zeros(0, dtype=np.int64), *rows_per_slot])
        if var_meal.size == 0:
            slack = np.array([KCAL_TOL, 0, CAP_TOL, CAP_TOL, CAP_TOL])
            ok = fixed[KCAL] >= kcal_min - KCAL_TOL and np.all(fixed <= top + slack)
            return DayBound(float(fixed[MG]), float(fixed[MG])) if ok else None
        n = var_meal.size
        step = catalog.serving_step[var_meal]
        lo, hi = catalog.step_range[var_meal, 0], catalog.step_range[var_meal, 1]
        per_step = p.nut[var_meal] * step[:, None]
        x, k = np.arange(n), n + np.arange(n)
        t = Triplets()
        t.add(k, per_step[:, KCAL], kcal_min - fixed[KCAL], top[KCAL] - fixed[KCAL])
        for nutrient in (ADDED, CARB, SODIUM):
            t.add(k, per_step[:, nutrient], -INF, top[nutrient] - fixed[nutrient])
        for i in range(n):
            t.add([k[i], x[i]], [1.0, -float(hi[i])], -INF, 0.0)
            t.add([k[i], x[i]], [1.0, -float(lo[i])], 0.0, INF)
        offset = 0
        main_cols = []
        for slot, rows in zip(slots, rows_per_slot, strict=True):
            if rows.size:
                t.add(x[offset : offset + rows.size], 1.0, -INF, 1.0)
                if slot != SNACK:
                    main_cols.append(x[offset : offset + rows.size])
            offset += rows.size
        # Main cells are filled as far as distinct meals go round, as the planner does.
        main_rows = [rows for slot, rows in zip(slots, rows_per_slot, strict=True) if slot != SNACK]
        fillable = fillable_main_cells([rows for rows in main_rows if rows.size])
        if fillable:
            t.add(np.concatenate(main_cols), 1.0, float(fillable), INF)
        # A meal fitting several slots still counts once a day. On big catalogs these rows
        # are left out: the bound stays valid (a relaxation).
        if n <= _BOUND_DISTINCT_MAX_COLS:
            _, inverse, counts = np.unique(var_meal, return_inverse=True, return_counts=True)
            for group in np.flatnonzero(counts > 1):
                t.add(x[inverse == group], 1.0, -INF, 1.0)
        cost = np.concatenate([np.zeros(n), -per_step[:, MG]])
        milp = t.milp(
            cost,
            np.zeros(2 * n),
            np.concatenate([np.ones(n), hi.astype(np.float64)]),
            np.ones(2 * n, dtype=bool),
        )
        left = self.deadline - time.perf_counter()
        if left < _MIN_BOUND_S:
            self.ran_out = True
            return DayBound(INF, None)  # nothing known: neither a bound nor a day plan
        sol = solve(
            milp,
            time_limit=min(_BOUND_TIME_S, left),
            node_limit=BOUND_NODE_LIMIT,
            rel_gap=1e-7,
            abs_gap=1e-4,
            presolve=False,
        )
        if sol.infeasible:
            return None
        reached = None if sol.values is None else float(fixed[MG] - sol.objective)
        # The dual bound, not the incumbent: an upper bound even if the solve timed out.
        upper = float(fixed[MG] - sol.dual_bound) if np.isfinite(sol.dual_bound) else INF
        return DayBound(max(upper, reached or 0.0), reached)


def fillable_main_cells(candidates: Sequence[np.ndarray]) -> int:
    """Return how many cells can get distinct meals (a bipartite matching, by Hall)."""
    # Deficiency form of Hall's theorem: cells minus the worst shortage of any subset.
    size = len(candidates)
    fillable = size
    for k in range(1, size + 1):
        for subset in itertools.combinations(candidates, k):
            meals = np.unique(np.concatenate(subset)).size
            fillable = min(fillable, size - k + meals)
    return fillable


def _day_has_locks(p: Problem, day: int) -> bool:
    """Say whether fixed entries or unfilled cells take any slot of the day."""
    return bool(p.occupied[day].any() or not p.fill[day].all())


def _locks_break_a_cap(p: Problem, day: int) -> bool:
    """Say whether the day's fixed entries alone already break a daily cap."""
    over = violations(p.fixed_totals[day], p.rules)[1:]
    return bool(over[0] > KCAL_TOL or np.any(over[1:] > CAP_TOL))


def _applicable_relaxations(p: Problem) -> list[str]:
    """Return the rules that are set, in the order they are tried."""
    top = caps(p.rules)
    return [r for r in RELAXATIONS if r == "calories" or np.isfinite(top[RELAXED_CAP[r]])]


def _reaches(bound: DayBound | None, magnesium: float) -> bool:
    """Say whether a day plan was found holding at least this much magnesium."""
    return bound is not None and bound.reached is not None and bound.reached >= magnesium


def _why(p: Problem, bounds: Bounds, day: int, magnesium: float) -> str:
    """Name the one rule whose lifting would let the day hold this much and every other rule."""
    if _locks_break_a_cap(p, day):
        return "locked"
    for relax in _applicable_relaxations(p):
        if _reaches(bounds.get(day, relax), magnesium):
            return relax
    if _day_has_locks(p, day) and _reaches(bounds.get(day, "locked"), magnesium):
        return "locked"
    if bounds.ran_out:
        return "time"  # a rule might be to blame, but its bound was never solved
    # No single rule is to blame: the meals on offer are too few or too poor.
    return "catalog"


def _explain(
    p: Problem, bounds: Bounds, day: int, failed: tuple[str, ...], proof: str
) -> tuple[bool, float | None, str]:
    """Return (proven the day cannot do better, one-day Mg bound, binding rule)."""
    # proof: "optimal" (the whole week was proven best), "limited" (a search limit stopped
    # it) or "relaxed" (variety had to give way, so the day's neighbours shaped it).
    target = p.rules.magnesium_target_mg
    bound = bounds.get(day)
    short = RULE_MAGNESIUM in failed
    if bound is None:
        # No day plan keeps every rule, whatever the rest of the week does.
        why = _why(p, bounds, day, target - MG_TOL if short else -INF)
        return True, None, why
    if bound.upper >= INF and bound.reached is None:
        # The call's time ran out before the day could be bounded: nothing is proven.
        return False, None, "time"
    best = bound.upper if bound.upper < INF else None
    # Short, or another rule broken to reach the target: either way the day cannot hold
    # every rule, and the rule to blame is the one whose lifting reaches the target.
    if bound.upper < target - MG_TOL:
        return True, best, _why(p, bounds, day, target - MG_TOL)
    # The day alone could do it: the week (variety) or the search stopped it.
    if proof == "limited":
        return False, best, "time"
    return proof == "optimal", best, "variety"


def report(
    p: Problem,
    picks: Sequence[Pick],
    *,
    proof: str,
    relaxed_days: Sequence[tuple[str, ...]],
    empty_slots: Sequence[tuple[int, ...]],
    deadline: float = INF,
) -> tuple[DayReport, ...]:
    """Total every day, and explain each one that breaks a rule."""
    rules = p.rules
    totals = day_totals(p, picks)
    bounds = Bounds(p, deadline)
    reports = []
    for day in range(p.days):
        t = totals[day]
        failed = failures(t, p)
        proven, best, binding = False, None, None
        if failed:
            proven, best, binding = _explain(p, bounds, day, failed, proof)
        reports.append(
            DayReport(
                day=day,
                kcal=float(t[KCAL]),
                magnesium_mg=float(t[MG]),
                added_magnesium_mg=float(t[ADDED]),
                carbohydrate_g=float(t[CARB]),
                sodium_mg=float(t[SODIUM]),
                shortfall_mg=max(0.0, rules.magnesium_target_mg - float(t[MG])),
                kcal_ok=RULE_KCAL_LOW not in failed and RULE_KCAL_HIGH not in failed,
                ok=not failed,
                failures=failed,
                proven_unreachable=proven,
                best_possible_mg=best,
                binding=binding,
                relaxed=relaxed_days[day],
                empty_slots=empty_slots[day],
            )
        )
    return tuple(reports)
