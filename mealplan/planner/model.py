"""The week as one mixed-integer program in HiGHS's column-wise form, and the one solve call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from mealplan.planner.problem import (
    INF,
    W_BAND,
    W_CARB,
    W_KCAL,
    W_SHORT,
    W_SODIUM,
    Problem,
    caps,
)
from mealplan.planner.types import ADDED, CARB, KCAL, MG, SNACK, SODIUM

# Day auxiliaries: magnesium shortfall, kcal below and above the window, carbohydrate and
# sodium over their caps, kcal above and below the comfort band.
SHORT, KCAL_LO, KCAL_HI, CARB_OVER, SODIUM_OVER, BAND_HI, BAND_LO = range(7)
N_DAY_AUX = 7
# The auxiliaries that say a rule fails; the band only says comfort is lost.
RULE_AUX = (SHORT, KCAL_LO, KCAL_HI, CARB_OVER, SODIUM_OVER)
_DAY_AUX_WEIGHT = (W_SHORT, W_KCAL, W_KCAL, W_CARB, W_SODIUM, W_BAND, W_BAND)

# An empty main cell weighs as much as this many broken variety rules: only a cell no
# meal can fill at all (not even by repeating one) stays empty.
EMPTY_WEIGHT = 1e3

# HiGHS: one thread and a fixed seed make a solve repeat exactly for the same model; the gap
# is the brief's "proven optimal" (relative 1e-3), and one unit is one kcal off the band.
MIP_REL_GAP = 1e-3
MIP_ABS_GAP = 1.0
RANDOM_SEED = 0
# Measured on week models of the curated catalog (~3,500 binaries): the feasibility jump,
# RINS and RENS heuristics and long-lived cuts were half the time to a proof, with the same
# optima; a good incumbent comes from the LP and the branching anyway.
_MIP_OPTIONS: dict[str, int | bool] = {
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_lp_age_limit": 2,
    "mip_pool_age_limit": 2,
    "mip_pool_soft_limit": 20,
    "mip_allow_restart": False,
}

_OPTIMAL = highspy.HighsModelStatus.kOptimal
_INFEASIBLE = highspy.HighsModelStatus.kInfeasible
_FEASIBLE = 2  # HighsInfo.primal_solution_status of a feasible point


@dataclass
class Milp:
    """A MILP in HiGHS column-wise form."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    a_start: np.ndarray
    a_index: np.ndarray
    a_value: np.ndarray

    def with_row(self, weights: np.ndarray, upper: float) -> Milp:
        """Return a copy with one more row: weights @ x <= upper."""
        cols = np.flatnonzero(weights)
        n_cols, row = self.cost.size, self.row_lower.size
        all_cols = np.concatenate([np.repeat(np.arange(n_cols), np.diff(self.a_start)), cols])
        all_rows = np.concatenate([self.a_index, np.full(cols.size, row)])
        all_vals = np.concatenate([self.a_value, weights[cols]])
        order = np.lexsort((all_rows, all_cols))
        start = np.searchsorted(all_cols[order], np.arange(n_cols + 1)).astype(np.int32)
        return Milp(
            cost=self.cost,
            col_lower=self.col_lower,
            col_upper=self.col_upper,
            integrality=self.integrality,
            row_lower=np.append(self.row_lower, -INF),
            row_upper=np.append(self.row_upper, upper),
            a_start=start,
            a_index=all_rows[order].astype(np.int32),
            a_value=all_vals[order].astype(np.float64),
        )


@dataclass
class Solution:
    """What HiGHS returned."""

    status: highspy.HighsModelStatus
    values: np.ndarray | None  # column values of the best point found, None if none
    objective: float
    dual_bound: float

    @property
    def optimal(self) -> bool:
        """Say whether the solve closed its gap."""
        return self.status == _OPTIMAL

    @property
    def infeasible(self) -> bool:
        """Say whether HiGHS proved there is no solution."""
        return self.status == _INFEASIBLE


class Triplets:
    """Collect a sparse matrix row by row, with its row bounds."""

    def __init__(self) -> None:
        """Start with no rows."""
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    @property
    def n_rows(self) -> int:
        """Return the rows added so far."""
        return len(self.lower)

    def add(self, cols: Sequence[int] | np.ndarray, vals, lower: float, upper: float) -> int:
        """Add one row: lower <= sum(vals * x[cols]) <= upper; return its index."""
        cols = np.asarray(cols, dtype=np.int64)
        self.rows.append(np.full(cols.size, self.n_rows, dtype=np.int64))
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=np.float64), cols.shape))
        self.lower.append(float(lower))
        self.upper.append(float(upper))
        return self.n_rows - 1

    def milp(
        self, cost: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray, integral: np.ndarray
    ) -> Milp:
        """Return the MILP in compressed sparse columns."""
        n_cols = cost.size
        rows = np.concatenate([np.zeros(0, np.int64), *self.rows])
        cols = np.concatenate([np.zeros(0, np.int64), *self.cols])
        vals = np.concatenate([np.zeros(0), *self.vals])
        keep = vals != 0.0
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((rows, cols))
        cols = cols[order]
        start = np.searchsorted(cols, np.arange(n_cols + 1)).astype(np.int32)
        return Milp(
            cost=cost,
            col_lower=col_lower,
            col_upper=col_upper,
            integrality=integral.astype(np.int32),
            row_lower=np.array(self.lower, dtype=np.float64),
            row_upper=np.array(self.upper, dtype=np.float64),
            a_start=start,
            a_index=rows[order].astype(np.int32),
            a_value=vals[order].astype(np.float64),
        )


def solve(
    m: Milp,
    *,
    time_limit: float,
    node_limit: int | None = None,
    cost: np.ndarray | None = None,
    start: np.ndarray | None = None,
    on_improve: Callable[[np.ndarray], None] | None = None,
    rel_gap: float = MIP_REL_GAP,
    abs_gap: float = MIP_ABS_GAP,
    presolve: bool = True,
) -> Solution:
    """Minimise the cost (the model's, or the one given) over the MILP with HiGHS."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", RANDOM_SEED)
    h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.setOptionValue("mip_abs_gap", abs_gap)
    for option, value in _MIP_OPTIONS.items():
        h.setOptionValue(option, value)
    if node_limit is not None:
        h.setOptionValue("mip_max_nodes", int(node_limit))
    if not presolve:
        # On one-day bounds over thousands of meals HiGHS's MIP presolve ran seconds without
        # a dual bound; without it the same MILP solves in a fraction of a second.
        h.setOptionValue("presolve", "off")
    objective = m.cost if cost is None else cost
    n_cols, n_rows = objective.size, m.row_lower.size
    h.passModel(
        n_cols,
        n_rows,
        int(m.a_value.size),
        1,  # column-wise
        1,  # minimise
        0.0,
        objective,
        m.col_lower,
        m.col_upper,
        m.row_lower,
        m.row_upper,
        m.a_start,
        m.a_index,
        m.a_value,
        m.integrality,
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
    dual = float(info.mip_dual_bound) if np.any(m.integrality) else info.objective_function_value
    return Solution(status, values, float(info.objective_function_value), float(dual))


@dataclass
class WeekModel:
    """The week MILP and the meaning of its columns."""

    milp: Milp
    days: tuple[int, ...]
    var_day: np.ndarray  # per candidate choice: day, slot, catalog row
    var_slot: np.ndarray
    var_meal: np.ndarray
    var_steps: np.ndarray  # serving steps of the choice
    x_col: np.ndarray  # binary: the choice is taken
    day_aux: np.ndarray  # (len(days), N_DAY_AUX) columns
    violation: np.ndarray  # weights per column of the variety measure (soft models only)
    # (column, row, sign) of every auxiliary (breach, band, slack, empty mark): the one row
    # that defines it, +1 when it lifts the row to its lower bound, -1 when it lowers the row
    # to its upper bound.
    elastic: np.ndarray

    def start(self, picks: Sequence[tuple[int, int, int, int]]) -> np.ndarray | None:
        """Return the full column vector of a week of picks, or None if it is not feasible."""
        # The reverse of picks(): the choice binaries, then each auxiliary at the least value
        # its row allows (the day's breaches and band from its totals, the soft model's slacks
        # and empty marks), so HiGHS can take the week as its first incumbent.
        m = self.milp
        index = {
            key: i
            for i, key in enumerate(
                zip(
                    self.var_day.tolist(),
                    self.var_slot.tolist(),
                    self.var_meal.tolist(),
                    self.var_steps.tolist(),
                    strict=True,
                )
            )
        }
        values = np.zeros(m.cost.size)
        for pick in picks:
            i = index.get(tuple(int(v) for v in pick))
            if i is None:
                return None
            values[self.x_col[i]] = 1.0
        col, row, sign = self.elastic.T
        activity = _row_activity(m, values)
        need = np.where(
            sign > 0, m.row_lower[row] - activity[row], activity[row] - m.row_upper[row]
        )
        values[col] = np.maximum(need, 0.0)
        tol = 1e-6
        activity = _row_activity(m, values)
        scale = 1.0 + np.abs(activity)
        feasible = (
            np.all(values <= m.col_upper + tol)
            and np.all(activity >= m.row_lower - tol * scale)
            and np.all(activity <= m.row_upper + tol * scale)
        )
        return values if feasible else None

    def picks(self, values: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Return (day, slot, catalog row, steps) of the chosen meals."""
        on = np.flatnonzero(values[self.x_col] > 0.5)
        steps = self.var_steps[on]
        return list(
            zip(
                self.var_day[on].tolist(),
                self.var_slot[on].tolist(),
                self.var_meal[on].tolist(),
                steps.tolist(),
                strict=True,
            )
        )

    @property
    def rule_cost(self) -> np.ndarray:
        """Return the objective of the rules alone: their weighted breaches, nothing else."""
        cost = np.zeros(self.milp.cost.size)
        for aux in RULE_AUX:
            cost[self.day_aux[:, aux]] = _DAY_AUX_WEIGHT[aux]
        return cost

    def rules_broken(self, values: np.ndarray) -> float:
        """Return the sum of every rule's breach in a solution (0 when every day is ok)."""
        return float(values[self.day_aux[:, RULE_AUX]].sum())


def _row_activity(m: Milp, values: np.ndarray) -> np.ndarray:
    """Return A @ values of a MILP in compressed sparse columns."""
    col_of = np.repeat(np.arange(m.cost.size), np.diff(m.a_start))
    weights = m.a_value * values[col_of]
    return np.bincount(m.a_index, weights=weights, minlength=m.row_lower.size)


def add_variety_rows(
    variety_row: Callable[[np.ndarray, float], None],
    *,
    x_col: np.ndarray,
    var_day: np.ndarray,
    var_slot: np.ndarray,
    var_meal: np.ndarray,
    days: Sequence[int],
    uses_left: np.ndarray,
    allowed: int,
    ingredients: Sequence[frozenset[int]],
    fixed_foods: Sequence,
) -> None:
    """Add the variety rows over the choice binaries x_col (one a cell, meal and servings,
    or a cell and dish): variety_row(columns, upper) adds one, hard or elastic."""
    pos = set(days)
    # A meal at most once in any two days running (so never twice a day).
    windows = [(d, d + 1) for d in days if d + 1 in pos] or [(d,) for d in days]
    covered = {d for w in windows for d in w}
    windows += [(d,) for d in days if d not in covered]
    for window in windows:
        inside = np.flatnonzero(np.isin(var_day, window))
        by_meal: dict[int, list[int]] = defaultdict(list)
        for i in inside.tolist():
            by_meal[int(var_meal[i])].append(i)
        for members in by_meal.values():
            if len(members) > 1:
                variety_row(x_col[members], 1.0)
    # Weekly uses, counting fixed ones, where the days alone do not bound them.
    by_meal_all: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(var_meal.tolist()):
        by_meal_all[m].append(i)
    for m, members in by_meal_all.items():
        n_days = len({int(var_day[i]) for i in members})
        if n_days > uses_left[m]:
            variety_row(x_col[members], float(uses_left[m]))
    # No food in more than the allowed number of meals a day, fixed ones counted.
    for d in days:
        by_food: dict[int, list[int]] = defaultdict(list)
        for i in np.flatnonzero(var_day == d).tolist():
            for food in ingredients[int(var_meal[i])]:
                by_food[food].append(i)
        for food, members in by_food.items():
            room = max(allowed - fixed_foods[d][food], 0)
            if len({int(var_slot[i]) for i in members}) > room:
                variety_row(x_col[members], float(room))


def build_week(
    p: Problem,
    cells: dict[tuple[int, int], np.ndarray],
    *,
    soft: bool = False,
    variety_budget: float | None = None,
) -> WeekModel:
    """Build the week MILP over the candidate rows of each cell to fill."""
    # One binary per choice (cell, meal, servings): its LP relaxation mixes whole choices, far
    # tighter than a meal binary times a servings integer, and proves weeks optimal ~10x
    # faster on the curated catalog. soft: variety (weekly uses, days running, shared foods)
    # may break, each breach counted in `violation`, and a main cell may stay empty at
    # EMPTY_WEIGHT; variety_budget caps that count (the second step of a lexicographic solve).
    rules, catalog = p.rules, p.catalog
    days = tuple(sorted({d for d, _ in cells}))
    pos = {d: j for j, d in enumerate(days)}
    keys = [key for key in sorted(cells) if cells[key].size or (soft and key[1] != SNACK)]
    parts_meal, parts_day, parts_slot, parts_steps, cell_of = [], [], [], [], []
    for c, key in enumerate(keys):
        rows = cells[key]
        lo, hi = catalog.step_range[rows, 0], catalog.step_range[rows, 1]
        counts = hi - lo + 1
        meal = np.repeat(rows, counts)
        first = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        parts_meal.append(meal)
        parts_steps.append(first + np.arange(meal.size))
        parts_day.append(np.full(meal.size, key[0]))
        parts_slot.append(np.full(meal.size, key[1]))
        cell_of.append(np.full(meal.size, c))
    empty = np.zeros(0, np.int64)
    var_meal = np.concatenate([empty, *parts_meal]).astype(np.int64)
    var_steps = np.concatenate([empty, *parts_steps]).astype(np.int64)
    var_day = np.concatenate([empty, *parts_day]).astype(np.int64)
    var_slot = np.concatenate([empty, *parts_slot]).astype(np.int64)
    var_cell = np.concatenate([empty, *cell_of]).astype(np.int64)
    n_var = var_meal.size
    x_col = np.arange(n_var)
    servings = catalog.serving_step[var_meal] * var_steps

    n_cols = n_var
    day_aux = np.arange(n_cols, n_cols + N_DAY_AUX * len(days)).reshape(len(days), N_DAY_AUX)
    n_cols += day_aux.size
    main_keys = [key for key in keys if key[1] != SNACK] if soft else []
    empty_col = {key: n_cols + i for i, key in enumerate(main_keys)}
    n_cols += len(main_keys)

    t = Triplets()
    elastic: list[tuple[int, int, int]] = []
    slack_cols: list[int] = []
    # Variety rows get a slack column in soft models; their count is known only at the end,
    # so slacks are numbered after every other column.
    next_slack = [n_cols]

    def variety_row(cols: np.ndarray, upper: float) -> None:
        if soft:
            slack = next_slack[0]
            next_slack[0] += 1
            slack_cols.append(slack)
            row = t.add(np.append(cols, slack), np.append(np.ones(cols.size), -1.0), -INF, upper)
            elastic.append((slack, row, -1))
        else:
            t.add(cols, 1.0, -INF, upper)

    # Day rows.
    top = caps(rules)
    mid, band = p.mid_kcal, rules.comfort_band_kcal
    for d in days:
        j = pos[d]
        f = p.fixed_totals[d]
        mine = np.flatnonzero(var_day == d)
        per_step = p.nut[var_meal[mine]] * servings[mine, None]
        cols = x_col[mine]
        aux = day_aux[j]

        specs = (
            (KCAL, KCAL_LO, 1.0, rules.kcal_min - f[KCAL], INF),
            (KCAL, KCAL_HI, -1.0, -INF, top[KCAL] - f[KCAL]),
            (KCAL, BAND_HI, -1.0, -INF, mid + band - f[KCAL]),
            (KCAL, BAND_LO, 1.0, mid - band - f[KCAL], INF),
            (MG, SHORT, 1.0, rules.magnesium_target_mg - f[MG], INF),
            # Hard, but never below 0: a day whose locked entries are already over the
            # limit gets nothing more with added magnesium, and the rest of the week is planned.
            (ADDED, None, 0.0, -INF, max(top[ADDED] - f[ADDED], 0.0)),
            (CARB, CARB_OVER, -1.0, -INF, top[CARB] - f[CARB]),
            (SODIUM, SODIUM_OVER, -1.0, -INF, top[SODIUM] - f[SODIUM]),
        )
        for nutrient, extra, sign, lower, upper in specs:
            c, v = cols, per_step[:, nutrient]
            if extra is not None:
                c, v = np.append(c, aux[extra]), np.append(v, sign)
            row = t.add(c, v, lower, upper)
            if extra is not None:
                elastic.append((int(aux[extra]), row, int(sign)))

    # Cells: one choice in each main cell (or, soft, an empty mark), at most one snack.
    for c, key in enumerate(keys):
        xs = x_col[var_cell == c]
        if key[1] == SNACK:
            t.add(xs, 1.0, -INF, 1.0)
        elif key in empty_col:
            row = t.add(np.append(xs, empty_col[key]), 1.0, 1.0, 1.0)
            elastic.append((empty_col[key], row, 1))
        else:
            t.add(xs, 1.0, 1.0, 1.0)

    add_variety_rows(
        variety_row,
        x_col=x_col,
        var_day=var_day,
        var_slot=var_slot,
        var_meal=var_meal,
        days=days,
        uses_left=p.uses_left,
        allowed=rules.max_meals_per_ingredient_per_day,
        ingredients=catalog.ingredient_ids,
        fixed_foods=p.fixed_foods,
    )

    n_cols = next_slack[0]
    cost = np.zeros(n_cols)
    col_lower = np.zeros(n_cols)
    col_upper = np.full(n_cols, INF)
    integral = np.zeros(n_cols, dtype=bool)
    col_upper[x_col] = 1.0
    integral[x_col] = True
    cost[x_col] = p.cost[var_meal, var_day, var_slot] + p.portion_cost(var_meal, servings)
    for a, weight in enumerate(_DAY_AUX_WEIGHT):
        cost[day_aux[:, a]] = weight
    for j, d in enumerate(days):
        col_upper[day_aux[j, SHORT]] = max(0.0, rules.magnesium_target_mg - p.fixed_totals[d, MG])
    if not np.isfinite(top[CARB]):
        col_upper[day_aux[:, CARB_OVER]] = 0.0
    if not np.isfinite(top[SODIUM]):
        col_upper[day_aux[:, SODIUM_OVER]] = 0.0
    violation = np.zeros(n_cols)
    if soft:
        violation[slack_cols] = 1.0
        violation[list(empty_col.values())] = EMPTY_WEIGHT
        col_upper[list(empty_col.values())] = 1.0
        banned = p.banned[var_day, var_meal]
        violation[x_col[banned]] = 1.0
        if variety_budget is not None:
            used = np.flatnonzero(violation)
            t.add(used, violation[used], -INF, variety_budget)
    milp = t.milp(cost, col_lower, col_upper, integral)
    return WeekModel(
        milp=milp,
        days=days,
        var_day=var_day,
        var_slot=var_slot,
        var_meal=var_meal,
        var_steps=var_steps,
        x_col=x_col,
        day_aux=day_aux,
        violation=violation,
        elastic=np.array(elastic, dtype=np.int64).reshape(-1, 3),
    )
