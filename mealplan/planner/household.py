"""Plan a household's week: one shared dish per cell, each eater's own servings and rules.

A dish is a candidate for a (day, slot) only when it suits every eater who eats that cell.
The week is one MILP: one binary per (cell, dish), and per eater eating the cell one binary
per servings step of that dish, linked to the dish (the steps of an eater sum to the dish's
binary). Each eater's day totals are sums over their own servings plus fixed entries; the
objective adds every eater's weighted breaches and comfort terms, with the personal
planner's weights and order (rules first, then comfort; variety gives way first when it
cannot hold, an empty main cell never while a dish can serve it).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from mealplan.planner.diagnose import report
from mealplan.planner.model import (
    _DAY_AUX_WEIGHT,
    BAND_HI,
    BAND_LO,
    CARB_OVER,
    EMPTY_WEIGHT,
    KCAL_HI,
    KCAL_LO,
    N_DAY_AUX,
    RULE_AUX,
    SHORT,
    SODIUM_OVER,
    Milp,
    Triplets,
    solve,
)
from mealplan.planner.problem import (
    CAP_TOL,
    EXACT_MAX_MEALS,
    INF,
    KCAL_TOL,
    MG_TOL,
    W_BAND,
    Problem,
    _prefilter,
    caps,
    prepare,
)
from mealplan.planner.types import (
    ADDED,
    CARB,
    KCAL,
    MG,
    N_SLOTS,
    RELAX_VARIETY,
    SNACK,
    SODIUM,
    Catalog,
    DayReport,
    FixedEntry,
    Rules,
)
from mealplan.planner.week import (
    DEFAULT_TIME_BUDGET_S,
    EXACT_NODE_LIMIT,
    LEAST_SHARE,
    PREFILTERED_NODE_LIMIT,
    RULE_SLACK,
    RULES_SHARE,
    VARIETY_SHARE,
    Clock,
    _solve_lexicographic,
    _variety_broken,
)

NO_SHARED_DISH = "no_shared_dish"


@dataclass(frozen=True)
class Eater:
    """One member of the household as the planner sees them."""

    rules: Rules  # this member's target, window, caps, added-Mg limit
    eats: np.ndarray | None = None  # bool [days, len(SLOTS)]; None = eats every cell
    suits: frozenset[int] | None = None  # meal ids this member may eat; None = every meal
    name: str = ""


@dataclass(frozen=True)
class HouseholdFixed:
    """A kept entry (locked, or outside the cells to fill), with every eater's servings."""

    day: int
    slot: int
    meal_id: int
    servings: tuple[float, ...]  # per eater, 0.0 for one who does not eat it
    kcal: float  # per serving, as the four below
    magnesium_mg: float
    added_magnesium_mg: float
    carbohydrate_g: float
    sodium_mg: float
    ingredient_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class HouseholdAssignment:
    """Put a dish in a cell, with every eater's servings."""

    day: int
    slot: int
    meal_id: int
    servings: tuple[float, ...]  # per eater; 0.0 for one who does not eat that cell


@dataclass(frozen=True)
class Unserved:
    """A cell where no shared dish serves everyone eating it."""

    day: int
    slot: int
    eater: int
    reason: str  # a code, e.g. "no_shared_dish"


@dataclass(frozen=True)
class HouseholdResult:
    """Return the suggested dishes, each eater's day reports and how the solve went."""

    assignments: list[HouseholdAssignment]
    reports: list[list[DayReport]]  # [eater][day]
    unserved: list[Unserved]
    optimal: bool
    limited: bool
    total_ms: float


# A household pick: day, slot, catalog row, servings steps per eater (0: does not eat it).
HPick = tuple[int, int, int, tuple[int, ...]]


# --------------------------------------------------------------------------------------
# What one call derives once


@dataclass
class House:
    """The household problem: a shared problem for variety, one per eater for their totals."""

    catalog: Catalog
    days: int
    shared: Problem  # variety (uses, bans, foods), tie-break costs; its totals are unused
    people: list[Problem]  # per eater: their rules, fixed totals, portion cost
    eats: np.ndarray  # (eaters, days, slots) bool
    eligible: np.ndarray  # (eaters, n, slots) bool: suits, fits the slot, added Mg alone ok
    fill: np.ndarray  # (days, slots) bool: cells the household fills (someone eats them)

    @property
    def n_eaters(self) -> int:
        """Return the number of eaters."""
        return len(self.people)

    def eaters_of(self, day: int, slot: int) -> list[int]:
        """Return the eaters who eat a cell."""
        return [e for e in range(self.n_eaters) if self.eats[e, day, slot]]


def _eats_mask(eater: Eater, days: int) -> np.ndarray:
    """Return an eater's (days, slots) mask."""
    if eater.eats is None:
        return np.ones((days, N_SLOTS), dtype=bool)
    mask = np.asarray(eater.eats, dtype=bool)
    if mask.shape != (days, N_SLOTS):
        raise ValueError(f"Eater.eats has shape {mask.shape}, expected {(days, N_SLOTS)}")
    return mask


def _personal_fixed(fixed: Sequence[HouseholdFixed], e: int) -> list[FixedEntry]:
    """Return the fixed entries one eater eats, with their totals for that eater."""
    entries = []
    for f in fixed:
        servings = float(f.servings[e])
        if servings <= 0:
            continue
        entries.append(
            FixedEntry(
                day=f.day,
                slot=f.slot,
                meal_id=f.meal_id,
                servings=servings,
                kcal=float(f.kcal) * servings,
                magnesium_mg=float(f.magnesium_mg) * servings,
                added_magnesium_mg=float(f.added_magnesium_mg) * servings,
                carbohydrate_g=float(f.carbohydrate_g) * servings,
                sodium_mg=float(f.sodium_mg) * servings,
                ingredient_ids=f.ingredient_ids,
            )
        )
    return entries


def prepare_house(
    catalog: Catalog,
    eaters: Sequence[Eater],
    days: int,
    fixed: Sequence[HouseholdFixed],
    fill: Iterable[tuple[int, int]] | None,
    seed: int,
    avoid: Collection[tuple[int, int, int]] = (),
) -> House:
    """Derive everything one household call shares."""
    if not eaters:
        raise ValueError("a household plan needs at least one eater")
    for f in fixed:
        if len(f.servings) != len(eaters):
            raise ValueError(
                f"fixed entry on day {f.day}, slot {f.slot}: {len(f.servings)} servings "
                f"for {len(eaters)} eaters"
            )
    shared_rules = replace(
        eaters[0].rules,
        added_magnesium_max_mg=1e12,
        max_uses_per_week=min(int(e.rules.max_uses_per_week) for e in eaters),
        max_meals_per_ingredient_per_day=min(
            int(e.rules.max_meals_per_ingredient_per_day) for e in eaters
        ),
    )
    as_entries = [
        FixedEntry(
            day=f.day,
            slot=f.slot,
            meal_id=f.meal_id,
            servings=1.0,
            kcal=0.0,
            magnesium_mg=0.0,
            added_magnesium_mg=0.0,
            carbohydrate_g=0.0,
            sodium_mg=0.0,
            ingredient_ids=f.ingredient_ids,
        )
        for f in fixed
    ]
    fill = None if fill is None else list(fill)
    shared = prepare(catalog, shared_rules, days, as_entries, fill, seed, avoid)
    eats = np.stack([_eats_mask(e, days) for e in eaters])
    household_fill = shared.fill & eats.any(axis=0)
    people = []
    eligible = np.zeros((len(eaters), len(catalog), N_SLOTS), dtype=bool)
    ids = catalog.meal_ids
    for e, eater in enumerate(eaters):
        own_fill = [tuple(c) for c in np.argwhere(household_fill & eats[e]).tolist()]
        person = prepare(catalog, eater.rules, days, _personal_fixed(fixed, e), own_fill, seed)
        if eater.suits is not None:
            suits = np.isin(ids, np.fromiter(eater.suits, dtype=np.int64))
            person.eligible = person.eligible & suits[:, None]
        people.append(person)
        eligible[e] = person.eligible
    return House(
        catalog=catalog,
        days=days,
        shared=shared,
        people=people,
        eats=eats,
        eligible=eligible,
        fill=household_fill,
    )


def shared_rows(h: House, day: int, slot: int) -> np.ndarray:
    """Return the rows that suit every eater of a cell (slot fit, diet, added Mg alone)."""
    ok = np.ones(len(h.catalog), dtype=bool)
    for e in h.eaters_of(day, slot):
        ok &= h.eligible[e, :, slot]
    return np.flatnonzero(ok)


def unserved_cells(h: House) -> list[Unserved]:
    """Name, per main cell no shared dish can serve, the eater(s) whose exclusions empty it."""
    out = []
    for day, slot in np.argwhere(h.fill).tolist():
        if slot == SNACK:
            continue
        eaters = h.eaters_of(day, slot)
        alone = [e for e in eaters if not h.eligible[e, :, slot].any()]
        if alone:
            out += [Unserved(day, slot, e, NO_SHARED_DISH) for e in alone]
            continue
        ok = np.ones(len(h.catalog), dtype=bool)
        for e in eaters:
            ok &= h.eligible[e, :, slot]
            if not ok.any():
                out.append(Unserved(day, slot, e, NO_SHARED_DISH))
                break
    return out


def household_cells(
    h: House, *, keep_banned: bool, ignore_uses: bool, skip: Collection[tuple[int, int]]
) -> tuple[dict[tuple[int, int], np.ndarray], bool]:
    """Return the candidate rows of every cell to fill, and whether none was pre-filtered."""
    p = h.shared
    raw: dict[tuple[int, int], np.ndarray] = {}
    for day, slot in np.argwhere(h.fill).tolist():
        if (day, slot) in skip:
            continue
        rows = shared_rows(h, day, slot)
        if not ignore_uses:
            rows = rows[p.uses_left[rows] > 0]
        raw[(day, slot)] = rows
    distinct = np.unique(np.concatenate([np.zeros(0, np.int64), *raw.values()]))
    complete = distinct.size <= EXACT_MAX_MEALS
    if not complete:
        # One pre-filtered list per slot and set of eaters, the same for every day.
        rng = np.random.default_rng(p.seed + 1)
        memo: dict[tuple[int, bytes], np.ndarray] = {}
        for key, rows in sorted(raw.items()):
            tag = (key[1], h.eats[:, key[0], key[1]].tobytes())
            if tag not in memo:
                memo[tag] = _prefilter(p, rows, rng)
            raw[key] = memo[tag]
    cells = {}
    for key, rows in raw.items():
        cells[key] = rows if keep_banned else rows[~p.banned[key[0], rows]]
    return cells, complete


# --------------------------------------------------------------------------------------
# The MILP


@dataclass
class HouseholdModel:
    """The household week MILP and the meaning of its columns."""

    milp: Milp
    days: tuple[int, ...]
    var_day: np.ndarray  # per dish choice
    var_slot: np.ndarray
    var_meal: np.ndarray
    x_col: np.ndarray
    y_col: np.ndarray  # per servings choice: column, its dish choice, eater, steps
    y_choice: np.ndarray
    y_eater: np.ndarray
    y_steps: np.ndarray
    day_aux: np.ndarray  # (eaters, len(days), N_DAY_AUX)
    violation: np.ndarray
    n_eaters: int

    @property
    def rule_cost(self) -> np.ndarray:
        """Return the objective of the rules alone: every eater's weighted breaches."""
        cost = np.zeros(self.milp.cost.size)
        for aux in RULE_AUX:
            cost[self.day_aux[:, :, aux]] = _DAY_AUX_WEIGHT[aux]
        return cost

    def rules_broken(self, values: np.ndarray) -> float:
        """Return the sum of every rule's breach in a solution."""
        return float(values[self.day_aux[:, :, RULE_AUX]].sum())

    def picks(self, values: np.ndarray) -> list[HPick]:
        """Return (day, slot, catalog row, steps per eater) of the chosen dishes."""
        on = values[self.x_col] > 0.5
        steps = np.zeros((self.x_col.size, self.n_eaters), dtype=np.int64)
        taken = values[self.y_col] > 0.5
        steps[self.y_choice[taken], self.y_eater[taken]] = self.y_steps[taken]
        return [
            (
                int(self.var_day[i]),
                int(self.var_slot[i]),
                int(self.var_meal[i]),
                tuple(int(s) for s in steps[i]),
            )
            for i in np.flatnonzero(on).tolist()
        ]


def build_household(
    h: House, cells: dict[tuple[int, int], np.ndarray], *, soft: bool = False
) -> HouseholdModel:
    """Build the household week MILP over the candidate rows of each cell."""
    catalog, shared = h.catalog, h.shared
    days = tuple(sorted({d for d, _ in cells}))
    pos = {d: j for j, d in enumerate(days)}
    keys = [key for key in sorted(cells) if cells[key].size or (soft and key[1] != SNACK)]
    var_meal = np.concatenate([np.zeros(0, np.int64), *(cells[k] for k in keys)]).astype(np.int64)
    var_cell = np.repeat(np.arange(len(keys)), [cells[k].size for k in keys]).astype(np.int64)
    var_day = np.array([keys[c][0] for c in var_cell.tolist()], dtype=np.int64)
    var_slot = np.array([keys[c][1] for c in var_cell.tolist()], dtype=np.int64)
    n_x = var_meal.size
    x_col = np.arange(n_x)
    # Servings choices: per dish choice, per eater eating its cell, one per step.
    lo, hi = catalog.step_range[var_meal, 0], catalog.step_range[var_meal, 1]
    eats_cell = h.eats[:, var_day, var_slot].T  # (n_x, eaters)
    choice_e, eater_e = np.nonzero(eats_cell)
    counts = (hi - lo + 1)[choice_e]
    y_choice = np.repeat(choice_e, counts)
    y_eater = np.repeat(eater_e, counts)
    first = np.repeat(lo[choice_e] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    y_steps = (first + np.arange(y_choice.size)).astype(np.int64)
    y_col = n_x + np.arange(y_choice.size)
    n_cols = n_x + y_choice.size
    n_e = h.n_eaters
    day_aux = np.arange(n_cols, n_cols + n_e * len(days) * N_DAY_AUX).reshape(
        n_e, len(days), N_DAY_AUX
    )
    n_cols += day_aux.size
    main_keys = [key for key in keys if key[1] != SNACK] if soft else []
    empty_col = {key: n_cols + i for i, key in enumerate(main_keys)}
    n_cols += len(main_keys)

    t = Triplets()
    slack_cols: list[int] = []
    next_slack = [n_cols]

    def variety_row(cols: np.ndarray, upper: float) -> None:
        if soft:
            slack = next_slack[0]
            next_slack[0] += 1
            slack_cols.append(slack)
            t.add(np.append(cols, slack), np.append(np.ones(cols.size), -1.0), -INF, upper)
        else:
            t.add(cols, 1.0, -INF, upper)

    # Links: each eater of a cell takes exactly one servings step of the chosen dish.
    if y_choice.size:
        order = np.lexsort((y_eater, y_choice))
        group = y_choice[order] * n_e + y_eater[order]
        bounds = np.flatnonzero(np.diff(group)) + 1
        for members in np.split(order, bounds):
            i = int(y_choice[members[0]])
            t.add(np.append(y_col[members], x_col[i]), np.append(np.ones(members.size), -1.0), 0, 0)

    # Day rows, per eater.
    y_row = var_meal[y_choice]
    y_servings = catalog.serving_step[y_row] * y_steps
    y_day = var_day[y_choice]
    for e, p in enumerate(h.people):
        rules = p.rules
        top = caps(rules)
        mid, band = p.mid_kcal, rules.comfort_band_kcal
        mine_e = y_eater == e
        for d in days:
            f = p.fixed_totals[d]
            mine = np.flatnonzero(mine_e & (y_day == d))
            per_step = p.nut[y_row[mine]] * y_servings[mine, None]
            cols = y_col[mine]
            aux = day_aux[e, pos[d]]
            specs = (
                (KCAL, KCAL_LO, 1.0, rules.kcal_min - f[KCAL], INF),
                (KCAL, KCAL_HI, -1.0, -INF, top[KCAL] - f[KCAL]),
                (KCAL, BAND_HI, -1.0, -INF, mid + band - f[KCAL]),
                (KCAL, BAND_LO, 1.0, mid - band - f[KCAL], INF),
                (MG, SHORT, 1.0, rules.magnesium_target_mg - f[MG], INF),
                (ADDED, None, 0.0, -INF, max(top[ADDED] - f[ADDED], 0.0)),
                (CARB, CARB_OVER, -1.0, -INF, top[CARB] - f[CARB]),
                (SODIUM, SODIUM_OVER, -1.0, -INF, top[SODIUM] - f[SODIUM]),
            )
            for nutrient, extra, sign, lower, upper in specs:
                c, v = cols, per_step[:, nutrient]
                if extra is not None:
                    c, v = np.append(c, aux[extra]), np.append(v, sign)
                elif c.size == 0:
                    continue
                t.add(c, v, lower, upper)

    # Cells: one dish in each main cell (or, soft, an empty mark), at most one snack.
    for c, key in enumerate(keys):
        xs = x_col[var_cell == c]
        if key[1] == SNACK:
            t.add(xs, 1.0, -INF, 1.0)
        elif key in empty_col:
            t.add(np.append(xs, empty_col[key]), 1.0, 1.0, 1.0)
        else:
            t.add(xs, 1.0, 1.0, 1.0)

    # Variety, on the shared dishes: at most once in two days running, weekly uses, foods.
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
    by_meal_all: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(var_meal.tolist()):
        by_meal_all[m].append(i)
    for m, members in by_meal_all.items():
        n_days = len({int(var_day[i]) for i in members})
        if n_days > shared.uses_left[m]:
            variety_row(x_col[members], float(shared.uses_left[m]))
    allowed = shared.rules.max_meals_per_ingredient_per_day
    ingredients = catalog.ingredient_ids
    for d in days:
        by_food: dict[int, list[int]] = defaultdict(list)
        for i in np.flatnonzero(var_day == d).tolist():
            for food in ingredients[int(var_meal[i])]:
                by_food[food].append(i)
        for food, members in by_food.items():
            room = max(allowed - shared.fixed_foods[d][food], 0)
            if len({int(var_slot[i]) for i in members}) > room:
                variety_row(x_col[members], float(room))

    n_cols = next_slack[0]
    cost = np.zeros(n_cols)
    col_upper = np.full(n_cols, INF)
    integral = np.zeros(n_cols, dtype=bool)
    col_upper[x_col] = 1.0
    col_upper[y_col] = 1.0
    integral[x_col] = True
    integral[y_col] = True
    cost[x_col] = shared.cost[var_meal, var_day, var_slot]
    for e, p in enumerate(h.people):
        mine = y_eater == e
        cost[y_col[mine]] = p.portion_cost(y_row[mine], y_servings[mine])
        for a, weight in enumerate(_DAY_AUX_WEIGHT):
            cost[day_aux[e, :, a]] = weight
        top = caps(p.rules)
        for j, d in enumerate(days):
            col_upper[day_aux[e, j, SHORT]] = max(
                0.0, p.rules.magnesium_target_mg - p.fixed_totals[d, MG]
            )
        if not np.isfinite(top[CARB]):
            col_upper[day_aux[e, :, CARB_OVER]] = 0.0
        if not np.isfinite(top[SODIUM]):
            col_upper[day_aux[e, :, SODIUM_OVER]] = 0.0
    violation = np.zeros(n_cols)
    if soft:
        violation[slack_cols] = 1.0
        violation[list(empty_col.values())] = EMPTY_WEIGHT
        col_upper[list(empty_col.values())] = 1.0
        banned = shared.banned[var_day, var_meal]
        violation[x_col[banned]] = 1.0
    milp = t.milp(cost, np.zeros(n_cols), col_upper, integral)
    return HouseholdModel(
        milp=milp,
        days=days,
        var_day=var_day,
        var_slot=var_slot,
        var_meal=var_meal,
        x_col=x_col,
        y_col=y_col,
        y_choice=y_choice,
        y_eater=y_eater,
        y_steps=y_steps,
        day_aux=day_aux,
        violation=violation,
        n_eaters=n_e,
    )


# --------------------------------------------------------------------------------------
# The solves


def _solve_soft(
    h: House, clock: Clock, skip: Collection[tuple[int, int]], node_limit: int
) -> tuple[list[HPick], bool, bool, bool]:
    """Variety may break: fewest empty main cells, rules, fewest breaches, then comfort."""
    cells, complete = household_cells(h, keep_banned=True, ignore_uses=True, skip=skip)
    model = build_household(h, cells, soft=True)
    least = solve(
        model.milp,
        cost=model.violation,
        node_limit=node_limit,
        time_limit=clock.search(LEAST_SHARE),
    )
    if least.values is None:
        return [], False, False, complete
    fewest = least.values
    empties = np.where(model.violation >= EMPTY_WEIGHT, 1.0, 0.0)
    breaches = model.violation * (1.0 - empties)
    within = model.milp
    if empties.any():
        within = within.with_row(empties, float(empties @ fewest) + 0.5)
    rule_cost = model.rule_cost
    values, rules_proven = fewest, rule_cost @ fewest <= RULE_SLACK
    if not rules_proven:
        first = solve(
            within,
            cost=rule_cost,
            abs_gap=RULE_SLACK,
            start=fewest,
            node_limit=node_limit,
            time_limit=clock.search(RULES_SHARE),
        )
        if first.values is not None and rule_cost @ first.values <= rule_cost @ fewest:
            values = first.values
        rules_proven = first.optimal
    kept = within.with_row(rule_cost, float(rule_cost @ values) + RULE_SLACK)
    fewer = solve(
        kept,
        cost=breaches,
        start=values,
        node_limit=node_limit,
        time_limit=clock.search(VARIETY_SHARE),
    )
    if fewer.values is not None and breaches @ fewer.values <= breaches @ values:
        values = fewer.values
    kept = kept.with_row(breaches, float(breaches @ values) + 0.5)
    outcome = _solve_lexicographic(model, kept, clock, node_limit, lambda v: None, values)
    if outcome is None:
        picks, comfort_proven = model.picks(values), False
    else:
        picks, _, comfort_proven = outcome
    return picks, bool(rules_proven and least.optimal), comfort_proven, complete


def plan_household_week(
    catalog: Catalog,
    eaters: Sequence[Eater],
    *,
    days: int = 7,
    fixed: Sequence[HouseholdFixed] = (),
    fill: Iterable[tuple[int, int]] | None = None,
    seed: int = 0,
    avoid: Collection[tuple[int, int, int]] = (),
    time_budget_s: float = DEFAULT_TIME_BUDGET_S,
) -> HouseholdResult:
    """Choose one dish per cell and every eater's servings so each eater's days keep their rules."""
    # fill lists the (day, slot) cells to fill (None: every cell without a fixed entry); a
    # cell nobody eats gets no dish. avoid lists (day, slot, meal id) choices that cost extra.
    started = time.perf_counter()
    clock = Clock(started, time_budget_s)
    h = prepare_house(catalog, eaters, days, fixed, fill, seed, avoid)
    unserved = unserved_cells(h)
    skip = {(u.day, u.slot) for u in unserved}
    cells, complete = household_cells(h, keep_banned=False, ignore_uses=False, skip=skip)
    node_limit = EXACT_NODE_LIMIT if complete else PREFILTERED_NODE_LIMIT
    picks: list[HPick] = []
    rules_proven = comfort_proven = True
    soft = False
    if cells and all(rows.size for (_, slot), rows in cells.items() if slot != SNACK):
        model = build_household(h, cells)
        outcome = _solve_lexicographic(model, model.milp, clock, node_limit, lambda v: None)
        if outcome is None:
            soft = True
        else:
            picks, rules_proven, comfort_proven = outcome
    elif cells:
        soft = True
    if soft:
        picks, rules_proven, comfort_proven, complete = _solve_soft(h, clock, skip, node_limit)
    limited = not rules_proven
    optimal = rules_proven and comfort_proven
    reports = _reports(h, picks, unserved, limited or not complete, soft, clock.deadline)
    ids, step = catalog.meal_ids, catalog.serving_step
    assignments = [
        HouseholdAssignment(
            day=d,
            slot=s,
            meal_id=int(ids[row]),
            servings=tuple(float(step[row] * k) for k in steps),
        )
        for d, s, row, steps in sorted(picks)
    ]
    return HouseholdResult(
        assignments=assignments,
        reports=reports,
        unserved=unserved,
        optimal=optimal,
        limited=limited,
        total_ms=(time.perf_counter() - started) * 1000.0,
    )


def _reports(
    h: House,
    picks: Sequence[HPick],
    unserved: Sequence[Unserved],
    limited: bool,
    soft: bool,
    deadline: float,
) -> list[list[DayReport]]:
    """Report every eater's days as plan_week does, from that eater's own servings."""
    broken = _variety_broken(h.shared, picks)
    filled = {(d, s) for d, s, _, _ in picks}
    proof = "limited" if limited else ("relaxed" if soft else "optimal")
    out = []
    for e, p in enumerate(h.people):
        mine = [(d, s, row, steps[e]) for d, s, row, steps in picks if steps[e] > 0]
        relaxed = []
        empty = []
        for day in range(h.days):
            eaten = [(day, s) in filled for s in range(N_SLOTS) if h.eats[e, day, s]]
            relaxed.append((RELAX_VARIETY,) if broken[day] and any(eaten) else ())
            empty.append(
                tuple(
                    s
                    for s in range(N_SLOTS)
                    if s != SNACK and h.fill[day, s] and h.eats[e, day, s]
                    if (day, s) not in filled
                )
            )
        # The one-day bounds read the eater's own candidates; a cell no shared dish serves
        # is not one they can fill.
        for u in unserved:
            p.fill[u.day, u.slot] = False
        out.append(
            list(
                report(
                    p,
                    mine,
                    proof=proof,
                    relaxed_days=relaxed,
                    empty_slots=empty,
                    deadline=deadline,
                )
            )
        )
    return out


# --------------------------------------------------------------------------------------
# Swap: the best dishes for one cell, everything else kept


def household_swap_options(
    catalog: Catalog,
    eaters: Sequence[Eater],
    *,
    day: int,
    slot: int,
    fixed: Sequence[HouseholdFixed],
    days: int = 7,
    limit: int = 3,
    seed: int = 0,
) -> list[HouseholdAssignment]:
    """Return the best dishes for one cell, ranked by how the household's day stays on target."""
    # Each eater's servings are chosen for their own day (the days are independent once the
    # dish is set); dishes whose every eater's day keeps every rule come first, then by the
    # eaters' summed breach, shortfall and comfort. The added-magnesium limit is a limit: a
    # dish that would take any eater over it is never offered.
    if not (0 <= day < days and 0 <= slot < N_SLOTS):
        raise ValueError(f"cell outside the week: day {day}, slot {slot}")
    h = prepare_house(catalog, eaters, days, fixed, [], seed)
    who = [e for e in range(h.n_eaters) if h.eats[e, day, slot]]
    if not who or limit <= 0:
        return []
    shared = h.shared
    ok = np.ones(len(catalog), dtype=bool)
    for e in who:
        ok &= h.eligible[e, :, slot]
    ok &= (shared.uses_left > 0) & ~shared.banned[day]
    full = {
        f
        for f, n in shared.fixed_foods[day].items()
        if n >= shared.rules.max_meals_per_ingredient_per_day
    }
    if full:
        ok &= np.array([not (ingr & full) for ingr in catalog.ingredient_ids], dtype=bool)
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        return []
    lo, hi = catalog.step_range[rows, 0], catalog.step_range[rows, 1]
    steps = np.arange(int(lo.min()), int(hi.max()) + 1)
    valid = (steps[None, :] >= lo[:, None]) & (steps[None, :] <= hi[:, None])
    servings = catalog.serving_step[rows, None] * steps[None, :]
    tiers = np.zeros(rows.size)
    sums = np.zeros((rows.size, 3))
    best_servings = np.zeros((rows.size, h.n_eaters))
    for e in who:
        p = h.people[e]
        rules = p.rules
        totals = p.fixed_totals[day][None, None, :] + p.nut[rows][:, None, :] * servings[..., None]
        top = caps(rules)
        shortfall = np.maximum(rules.magnesium_target_mg - totals[..., MG], 0.0)
        over = np.maximum(totals[..., ADDED:] - top[ADDED:], 0.0)
        added_over = (over[..., 0] > CAP_TOL) & (p.nut[rows, ADDED][:, None] * servings > 0)
        broken = (
            np.maximum(rules.kcal_min - totals[..., KCAL] - KCAL_TOL, 0.0)
            + np.maximum(totals[..., KCAL] - top[KCAL] - KCAL_TOL, 0.0)
            + np.where(over > CAP_TOL, over, 0.0).sum(axis=-1)
        )
        off_band = np.maximum(np.abs(totals[..., KCAL] - p.mid_kcal) - rules.comfort_band_kcal, 0.0)
        comfort = (
            W_BAND * off_band
            + p.portion_cost(np.repeat(rows[:, None], steps.size, 1), servings)
            + p.cost[rows, day, slot, None]
        )
        tier = np.where(broken > 0, 2, np.where(shortfall > MG_TOL, 1, 0)).astype(float)
        tier = np.where(valid & ~added_over, tier, np.inf)
        key = np.stack([tier, broken, shortfall, comfort], axis=-1)
        best_step = np.array([np.lexsort(key[i].T[::-1])[0] for i in range(rows.size)])
        best = key[np.arange(rows.size), best_step]
        tiers = np.maximum(tiers, best[:, 0])
        sums += best[:, 1:]
        best_servings[:, e] = servings[np.arange(rows.size), best_step]
    keep = np.isfinite(tiers)
    order = np.lexsort((sums[:, 2], sums[:, 1], sums[:, 0], tiers))
    order = [i for i in order.tolist() if keep[i]][:limit]
    return [
        HouseholdAssignment(
            day=day,
            slot=slot,
            meal_id=int(catalog.meal_ids[rows[i]]),
            servings=tuple(float(s) for s in best_servings[i]),
        )
        for i in order
    ]
