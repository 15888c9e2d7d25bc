"""Plan a household's week: one shared dish per cell, each eater's own servings and rules.

A dish is a candidate for a (day, slot) only when it suits every eater who eats that cell.
The week is one MILP: one binary per (cell, dish), and per eater eating the cell an integer
count of servings steps, linked to the dish binary (between its least and most steps when
the dish is taken, 0 otherwise). Each eater's day totals are sums over their own servings
plus fixed entries; the objective adds every eater's weighted breaches and comfort terms,
with the personal planner's weights and order (rules first, then comfort; variety gives way
first when it cannot hold, an empty main cell never while a dish can serve it). A greedy
week, each eater's servings enumerated exactly per day, starts it.
"""

from __future__ import annotations

import time
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
    add_variety_rows,
    solve,
)
from mealplan.planner.problem import (
    CAP_TOL,
    EXACT_MAX_MEALS,
    INF,
    KCAL_TOL,
    MG_TOL,
    W_BAND,
    W_PORTION,
    Problem,
    _prefilter,
    caps,
    day_score,
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
    PREFILTERED_NODE_LIMIT,
    RULE_SLACK,
    RULES_SHARE,
    Clock,
    _variety_broken,
    solve_lexicographic,
    solve_soft,
)

NO_SHARED_DISH = "no_shared_dish"
# Servings as one integer count of steps per dish choice and eater, rather than one binary
# per step. Measured on the rules' solve from no start, node limit 150 (3 eaters, 7 days,
# busy machine): 40 meals: proven in 1.1 s against no week keeping the rules in 8.5 s with
# binaries; 60 meals: 1.2 s against 9.0 s; 24 meals, 3 days: 0.25 s against 0.56 s.
SERVINGS_AS_INTEGER = True
# The comfort polish runs on week models up to this many columns. Measured (integer steps,
# five nodes from the greedy week): a one-day, two-eater model (~30 columns) is proven in
# milliseconds; 24 meals over 3 days (570 columns) took 1.1 s, 40 meals over 7 days (2,100)
# 10 s, and neither improved on the greedy week (bound 25 % below it). Past this size the
# greedy week, which weighs comfort once the rules hold, is kept unproven.
POLISH_MAX_COLS = 400
# Days either side solved again with a day that breaks a rule. Measured on the curated
# household with the pregnant member capped (180 g carbohydrate, 1,800 mg sodium): 0 (the
# day alone) kept every rule on every member-day in 1.6 s; 1 (three days together) stopped
# at its node limit and left one day over the cap, in 2.5 s. Repairing the greedy week
# before the week's search (rather than after) took 1.7-1.9 s, as many days ok.
REPAIR_WINDOW = 0
MIN_REPAIR_S = 0.05  # a day's repair is not started with less search time left


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
    h: House,
    *,
    keep_banned: bool,
    ignore_uses: bool,
    skip: Collection[tuple[int, int]],
    exact: bool = False,
    extra: Sequence[HPick] = (),
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
    if not complete and not exact:
        # One pre-filtered list per slot and set of eaters, the same for every day.
        rng = np.random.default_rng(p.seed + 1)
        memo: dict[tuple[int, bytes], np.ndarray] = {}
        for key, rows in sorted(raw.items()):
            tag = (key[1], h.eats[:, key[0], key[1]].tobytes())
            if tag not in memo:
                memo[tag] = _prefilter(p, rows, rng)
            raw[key] = memo[tag]
        # The start's dishes join their cells, so that the MILP can begin from it.
        for day, slot, row, _ in extra:
            rows = raw.get((day, slot))
            if rows is not None and row not in rows:
                raw[(day, slot)] = np.append(rows, row)
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
    integer: bool  # y columns count steps (d columns: distance from the usual portion)
    d_col: np.ndarray
    y_unit: np.ndarray
    usual: np.ndarray
    # Soft models: (slack column, its row's dish columns, upper) of every variety row, and
    # (empty mark column, its cell's dish columns) of every main cell.
    slacks: list[tuple[int, np.ndarray, float]]
    empties: list[tuple[int, np.ndarray]]

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

    def start(self, h: House, picks: Sequence[HPick]) -> np.ndarray | None:
        """Return the full column vector of a week of picks, or None if a pick has no column."""
        values = np.zeros(self.milp.cost.size)
        x_index = {
            key: i
            for i, key in enumerate(
                zip(
                    self.var_day.tolist(),
                    self.var_slot.tolist(),
                    self.var_meal.tolist(),
                    strict=True,
                )
            )
        }
        y_index = {
            key: i
            for i, key in enumerate(
                zip(
                    self.y_choice.tolist(),
                    self.y_eater.tolist(),
                    self.y_steps.tolist(),
                    strict=True,
                )
            )
        }
        totals = np.stack([p.fixed_totals for p in h.people])  # (eaters, days, 5)
        c = h.catalog
        for day, slot, row, steps in picks:
            i = x_index.get((day, slot, row))
            if i is None:
                return None
            values[self.x_col[i]] = 1.0
            for e, k in enumerate(steps):
                if k <= 0:
                    continue
                j = y_index.get((i, e, 0 if self.integer else k))
                if j is None:
                    return None
                if self.integer:
                    values[self.y_col[j]] = k
                    values[self.d_col[j]] = abs(self.y_unit[j] * k - self.usual[j])
                else:
                    values[self.y_col[j]] = 1.0
                totals[e, day] += h.people[e].nut[row] * c.serving_step[row] * k
        for e, p in enumerate(h.people):
            rules, top = p.rules, caps(p.rules)
            mid, band = p.mid_kcal, rules.comfort_band_kcal
            for j, d in enumerate(self.days):
                t = totals[e, d]
                aux = self.day_aux[e, j]
                values[aux[SHORT]] = max(rules.magnesium_target_mg - t[MG], 0.0)
                values[aux[KCAL_LO]] = max(rules.kcal_min - t[KCAL], 0.0)
                values[aux[KCAL_HI]] = max(t[KCAL] - top[KCAL], 0.0)
                values[aux[BAND_HI]] = max(t[KCAL] - mid - band, 0.0)
                values[aux[BAND_LO]] = max(mid - band - t[KCAL], 0.0)
                if np.isfinite(top[CARB]):
                    values[aux[CARB_OVER]] = max(t[CARB] - top[CARB], 0.0)
                if np.isfinite(top[SODIUM]):
                    values[aux[SODIUM_OVER]] = max(t[SODIUM] - top[SODIUM], 0.0)
        for slack, cols, upper in self.slacks:
            values[slack] = max(float(values[cols].sum()) - upper, 0.0)
        for mark, cols in self.empties:
            values[mark] = max(1.0 - float(values[cols].sum()), 0.0)
        return values

    def picks(self, values: np.ndarray) -> list[HPick]:
        """Return (day, slot, catalog row, steps per eater) of the chosen dishes."""
        on = values[self.x_col] > 0.5
        steps = np.zeros((self.x_col.size, self.n_eaters), dtype=np.int64)
        if self.integer:
            steps[self.y_choice, self.y_eater] = np.rint(values[self.y_col]).astype(np.int64)
        else:
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
    h: House,
    cells: dict[tuple[int, int], np.ndarray],
    *,
    soft: bool = False,
    integer: bool | None = None,
) -> HouseholdModel:
    """Build the household week MILP over the candidate rows of each cell."""
    catalog, shared = h.catalog, h.shared
    integer = SERVINGS_AS_INTEGER if integer is None else integer
    days = tuple(sorted({d for d, _ in cells}))
    pos = {d: j for j, d in enumerate(days)}
    keys = [key for key in sorted(cells) if cells[key].size or (soft and key[1] != SNACK)]
    var_meal = np.concatenate([np.zeros(0, np.int64), *(cells[k] for k in keys)]).astype(np.int64)
    var_cell = np.repeat(np.arange(len(keys)), [cells[k].size for k in keys]).astype(np.int64)
    var_day = np.array([keys[c][0] for c in var_cell.tolist()], dtype=np.int64)
    var_slot = np.array([keys[c][1] for c in var_cell.tolist()], dtype=np.int64)
    n_x = var_meal.size
    x_col = np.arange(n_x)
    # Servings: per dish choice and eater eating its cell, one integer count of steps (and a
    # continuous distance from the eater's usual portion), or one binary per step.
    lo, hi = catalog.step_range[var_meal, 0], catalog.step_range[var_meal, 1]
    eats_cell = h.eats[:, var_day, var_slot].T  # (n_x, eaters)
    choice_e, eater_e = np.nonzero(eats_cell)
    if integer:
        y_choice, y_eater = choice_e, eater_e
        y_steps = np.zeros(y_choice.size, dtype=np.int64)  # the column holds the steps
    else:
        counts = (hi - lo + 1)[choice_e]
        y_choice = np.repeat(choice_e, counts)
        y_eater = np.repeat(eater_e, counts)
        first = np.repeat(lo[choice_e] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        y_steps = (first + np.arange(y_choice.size)).astype(np.int64)
    y_col = n_x + np.arange(y_choice.size)
    n_cols = n_x + y_choice.size
    d_col = np.arange(n_cols, n_cols + (y_choice.size if integer else 0))
    n_cols += d_col.size
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

    slacks: list[tuple[int, np.ndarray, float]] = []

    def variety_row(cols: np.ndarray, upper: float) -> None:
        if soft:
            slack = next_slack[0]
            next_slack[0] += 1
            slack_cols.append(slack)
            slacks.append((slack, cols, upper))
            t.add(np.append(cols, slack), np.append(np.ones(cols.size), -1.0), -INF, upper)
        else:
            t.add(cols, 1.0, -INF, upper)

    y_row = var_meal[y_choice]
    y_unit = catalog.serving_step[y_row] * (1 if integer else y_steps)  # servings a unit
    usual = np.zeros(y_choice.size)
    for e, p in enumerate(h.people):
        mine = y_eater == e
        usual[mine] = p.portion_cost(y_row[mine], np.zeros(int(mine.sum()))) / W_PORTION
    # Links: each eater of a cell takes the chosen dish in the steps its servings allow.
    if integer:
        lo_y, hi_y = lo[y_choice], hi[y_choice]
        for j in range(y_choice.size):
            n, x, d = int(y_col[j]), int(x_col[y_choice[j]]), int(d_col[j])
            t.add([n, x], [1.0, -float(hi_y[j])], -INF, 0.0)
            t.add([n, x], [1.0, -float(lo_y[j])], 0.0, INF)
            # d >= |servings - usual| when the dish is taken (a dish not taken costs nothing).
            t.add([d, n, x], [1.0, -float(y_unit[j]), float(usual[j])], 0.0, INF)
            t.add([d, n, x], [1.0, float(y_unit[j]), -float(usual[j])], 0.0, INF)
    elif y_choice.size:
        order = np.lexsort((y_eater, y_choice))
        group = y_choice[order] * n_e + y_eater[order]
        bounds = np.flatnonzero(np.diff(group)) + 1
        for members in np.split(order, bounds):
            i = int(y_choice[members[0]])
            t.add(np.append(y_col[members], x_col[i]), np.append(np.ones(members.size), -1.0), 0, 0)

    # Day rows, per eater.
    y_day = var_day[y_choice]
    for e, p in enumerate(h.people):
        rules = p.rules
        top = caps(rules)
        mid, band = p.mid_kcal, rules.comfort_band_kcal
        mine_e = y_eater == e
        for d in days:
            f = p.fixed_totals[d]
            mine = np.flatnonzero(mine_e & (y_day == d))
            per_step = p.nut[y_row[mine]] * y_unit[mine, None]
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

    # Variety, on the shared dishes, as for a personal week.
    add_variety_rows(
        variety_row,
        x_col=x_col,
        var_day=var_day,
        var_slot=var_slot,
        var_meal=var_meal,
        days=days,
        uses_left=shared.uses_left,
        allowed=shared.rules.max_meals_per_ingredient_per_day,
        ingredients=catalog.ingredient_ids,
        fixed_foods=shared.fixed_foods,
    )

    n_cols = next_slack[0]
    cost = np.zeros(n_cols)
    col_upper = np.full(n_cols, INF)
    integral = np.zeros(n_cols, dtype=bool)
    col_upper[x_col] = 1.0
    col_upper[y_col] = hi[y_choice] if integer else 1.0
    integral[x_col] = True
    integral[y_col] = True
    cost[x_col] = shared.cost[var_meal, var_day, var_slot]
    if integer:
        cost[d_col] = W_PORTION
    else:
        cost[y_col] = W_PORTION * np.abs(y_unit - usual)
    for e, p in enumerate(h.people):
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
        integer=integer,
        d_col=d_col,
        y_unit=y_unit,
        usual=usual,
        slacks=slacks,
        empties=[(col, x_col[var_cell == keys.index(key)]) for key, col in empty_col.items()],
    )


# --------------------------------------------------------------------------------------
# The solves


def _solve_soft(
    h: House, clock: Clock, skip: Collection[tuple[int, int]], node_limit: int
) -> tuple[list[HPick], bool, bool, bool]:
    """Variety may break: fewest empty main cells, rules, fewest breaches, then comfort."""
    every, _ = household_cells(h, keep_banned=True, ignore_uses=True, skip=skip, exact=True)
    loose = _HouseGreedy(h, every, strict=False).week() if every else []
    cells, complete = household_cells(h, keep_banned=True, ignore_uses=True, skip=skip, extra=loose)
    model = build_household(h, cells, soft=True)
    values, rules_proven, comfort_proven = solve_soft(
        model, model.start(h, loose), clock, node_limit, polish_max_cols=POLISH_MAX_COLS
    )
    picks = [] if values is None else model.picks(values)
    return picks, rules_proven, comfort_proven, complete


def day_breaches(h: House, picks: Sequence[HPick]) -> np.ndarray:
    """Return each day's weighted breach of every eater's rules (0: every rule holds)."""
    c = h.catalog
    totals = np.stack([p.fixed_totals for p in h.people])  # (eaters, days, 5)
    for day, _, row, steps in picks:
        for e, k in enumerate(steps):
            totals[e, day] += h.people[e].nut[row] * c.serving_step[row] * k
    breach = np.zeros(h.days)
    for e, p in enumerate(h.people):
        t = totals[e]
        band = W_BAND * np.maximum(np.abs(t[:, KCAL] - p.mid_kcal) - p.rules.comfort_band_kcal, 0)
        breach += day_score(p, t) - band
    return breach


def _repair_days(
    h: House,
    picks: list[HPick],
    clock: Clock,
    skip: Collection[tuple[int, int]],
    *,
    fixed: Sequence[HouseholdFixed],
    seed: int,
    avoid: Collection[tuple[int, int, int]],
) -> list[HPick]:
    """Solve each day that breaks a rule again alone, every other day kept as it is."""
    # The week's rules search stopped at its node limit; one day's model is a tenth of it.
    # Measured on the curated household with the pregnant member capped (180 g carbohydrate,
    # 1,800 mg sodium): the week's search left 2 of her 7 days over the carbohydrate cap;
    # each solved alone (0.01-0.1 s) kept every rule.
    c = h.catalog
    step = c.serving_step
    for day in range(h.days):
        if day_breaches(h, picks)[day] <= RULE_SLACK:
            continue
        if clock.search() <= MIN_REPAIR_S:
            break
        window = set(range(max(day - REPAIR_WINDOW, 0), min(day + REPAIR_WINDOW + 1, h.days)))
        others = [
            HouseholdFixed(
                day=d,
                slot=s,
                meal_id=int(c.meal_ids[row]),
                servings=tuple(float(step[row] * k) for k in steps),
                kcal=float(c.kcal[row]),
                magnesium_mg=float(c.magnesium_mg[row]),
                added_magnesium_mg=float(c.added_magnesium_mg[row]),
                carbohydrate_g=float(c.carbohydrate_g[row]),
                sodium_mg=float(c.sodium_mg[row]),
                ingredient_ids=c.ingredient_ids[row],
            )
            for d, s, row, steps in picks
            if d not in window
        ]
        cells_of_day = [
            (d, s)
            for d in sorted(window)
            for s in range(N_SLOTS)
            if h.fill[d, s] and (d, s) not in skip
        ]
        eaters = [Eater(p.rules, eats=h.eats[e]) for e, p in enumerate(h.people)]
        one = prepare_house(c, eaters, h.days, [*fixed, *others], cells_of_day, seed, avoid)
        one.eligible = h.eligible  # the eaters' suits, as the week's
        cells, _ = household_cells(one, keep_banned=False, ignore_uses=False, skip=skip)
        if not cells or not all(rows.size for (_, s), rows in cells.items() if s != SNACK):
            continue
        mine = [pick for pick in picks if pick[0] in window]
        model = build_household(one, cells)
        start = model.start(one, mine)
        rules = model.rule_cost
        sol = solve(
            model.milp,
            cost=rules,
            abs_gap=RULE_SLACK,
            start=start,
            node_limit=EXACT_NODE_LIMIT,
            time_limit=clock.search(RULES_SHARE),
        )
        if sol.values is not None and (start is None or rules @ sol.values < rules @ start):
            picks = [pick for pick in picks if pick[0] not in window] + model.picks(sol.values)
    return sorted(picks)


def _model_columns(h: House, cells: dict[tuple[int, int], np.ndarray]) -> int:
    """Return about how many columns the week MILP over these cells has."""
    per_eater = 2 if SERVINGS_AS_INTEGER else 4
    return sum(
        rows.size * (1 + per_eater * int(h.eats[:, day, slot].sum()))
        for (day, slot), rows in cells.items()
    )


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
    # A greedy week (every candidate dish, each eater's servings enumerated exactly) starts
    # the week MILP; when it keeps every rule, the rules are proven at once and only comfort
    # is left to polish. Node limits bound the searches, the time budget last.
    started = time.perf_counter()
    clock = Clock(started, time_budget_s)
    h = prepare_house(catalog, eaters, days, fixed, fill, seed, avoid)
    unserved = unserved_cells(h)
    skip = {(u.day, u.slot) for u in unserved}
    every, _ = household_cells(h, keep_banned=False, ignore_uses=False, skip=skip, exact=True)
    mains = [key for key in every if key[1] != SNACK]
    greedy: list[HPick] = []
    greedy_breach = INF
    if every and all(every[key].size for key in mains):
        # On a big catalog the greedy first runs on the pre-filtered candidates (~60 a cell),
        # and on every candidate only when that week breaks a rule or leaves a cell empty.
        # Measured on the synthetic N=2,000 household: every candidate took ~0.5 s of a
        # 0.8 s call, the pre-filtered ones ~0.06 s, every member-day on target either way.
        short, complete = household_cells(h, keep_banned=False, ignore_uses=False, skip=skip)
        for cells in [short] if complete else [short, every]:
            builder = _HouseGreedy(h, cells)
            greedy = builder.week()
            greedy_breach = builder.breach
            done = {(d, s) for d, s, _, _ in greedy}
            if greedy_breach <= 0.0 and all(key in done for key in mains):
                break
    filled = {(d, s) for d, s, _, _ in greedy}
    picks: list[HPick] = []
    rules_proven = comfort_proven = complete = True
    soft = bool(mains) and not all(key in filled for key in mains)
    if every and not soft:
        cells, complete = household_cells(
            h, keep_banned=False, ignore_uses=False, skip=skip, extra=greedy
        )
        node_limit = EXACT_NODE_LIMIT if complete else PREFILTERED_NODE_LIMIT
        if greedy_breach <= 0.0 and _model_columns(h, cells) > POLISH_MAX_COLS:
            # The greedy keeps every rule (proven best for the rules: no breach is the least)
            # and the model is too big to polish (see POLISH_MAX_COLS): no MILP at all.
            picks, comfort_proven = greedy, False
        else:
            model = build_household(h, cells)
            outcome = solve_lexicographic(
                model,
                model.milp,
                clock,
                node_limit,
                model.start(h, greedy),
                polish_max_cols=POLISH_MAX_COLS,
            )
            soft = outcome is None
            if outcome is not None:
                values, rules_proven, comfort_proven = outcome
                picks = model.picks(values)
    if soft:
        node_limit = EXACT_NODE_LIMIT if complete else PREFILTERED_NODE_LIMIT
        picks, rules_proven, comfort_proven, complete = _solve_soft(h, clock, skip, node_limit)
    elif not rules_proven:
        picks = _repair_days(h, picks, clock, skip, fixed=fixed, seed=seed, avoid=avoid)
        # No breach is the least there is: a week whose every day keeps the rules is proven.
        rules_proven = bool(np.all(day_breaches(h, picks) <= RULE_SLACK))
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


# --------------------------------------------------------------------------------------
# A greedy week: the MILP's start

# Passes of one-cell swaps over a day; a day stops early when a pass changes nothing.
_DAY_PASSES = 4
# What the loose greedy charges for a variety break: above any comfort difference a day
# has, below one mg of magnesium (W_SHORT = 1e4): rules first, then variety, then comfort.
VARIETY_PENALTY = 1000.0
_ADDED_INF = 1e18  # a choice over the added-magnesium limit: never taken


class _HouseGreedy:
    """Build the week day by day: per cell the dish whose best servings suit every eater."""

    # Once the day's dishes are set, each eater's servings are an independent choice over at
    # most 4^4 step combinations, enumerated exactly; dishes change one cell at a time while
    # the household's score (every eater's weighted breaches, band and portion cost, the
    # dish's tie-break) drops. strict: variety is never broken and a main cell no dish can
    # fill under it stays empty; otherwise a break costs VARIETY_PENALTY (rules first, then
    # variety, then comfort, as the MILP's lexicographic order).

    def __init__(
        self, h: House, cells: dict[tuple[int, int], np.ndarray], *, strict: bool = True
    ) -> None:
        """Keep the cells; variety state starts from the fixed entries."""
        self.h, self.cells, self.strict = h, cells, strict
        self.allowed = h.shared.rules.max_meals_per_ingredient_per_day
        self.reset()

    def reset(self) -> None:
        """Forget the days built so far."""
        self.uses_left = self.h.shared.uses_left.astype(np.int64).copy()
        self.last_day = np.full(len(self.h.catalog), -9)

    def options(self, e: int, row: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return an eater's (steps, nutrients (k, 5), portion cost (k,)) for one dish."""
        c, p = self.h.catalog, self.h.people[e]
        lo, hi = c.step_range[row]
        steps = np.arange(lo, hi + 1)
        servings = c.serving_step[row] * steps
        cost = p.portion_cost(np.full(steps.size, row), servings)
        return steps, p.nut[row][None, :] * servings[:, None], cost

    def combos(self, e: int, day: int, chosen: dict[int, int], skip: int | None = None):
        """Return every step combination of an eater's dishes of the day except one cell."""
        totals = self.h.people[e].fixed_totals[day][None, :].copy()
        cost = np.zeros(1)
        for slot, row in sorted(chosen.items()):
            if slot == skip or not self.h.eats[e, day, slot]:
                continue
            _, nut, pc = self.options(e, row)
            totals = (totals[:, None, :] + nut[None, :, :]).reshape(-1, totals.shape[1])
            cost = (cost[:, None] + pc[None, :]).reshape(-1)
        return totals, cost

    def score(self, e: int, day: int, totals: np.ndarray) -> np.ndarray:
        """Return an eater's day score of totals (..., 5); huge over the added-Mg limit."""
        p = self.h.people[e]
        limit = max(caps(p.rules)[ADDED], p.fixed_totals[day, ADDED]) + CAP_TOL
        return np.where(totals[..., ADDED] > limit, _ADDED_INF, day_score(p, totals))

    def best_steps(
        self, e: int, day: int, chosen: dict[int, int]
    ) -> tuple[dict[int, int], float, float]:
        """Return an eater's best servings steps per cell of the day, score and rules' breach."""
        p = self.h.people[e]
        slots = [s for s in sorted(chosen) if self.h.eats[e, day, s]]
        totals, cost = self.combos(e, day, chosen)
        scores = self.score(e, day, totals) + cost
        i = int(np.argmin(scores))
        best = float(scores[i])
        t = totals[i]
        band = W_BAND * max(abs(t[KCAL] - p.mid_kcal) - p.rules.comfort_band_kcal, 0.0)
        breach = float(self.score(e, day, t)) - band
        sizes = [self.options(e, chosen[s])[0] for s in slots]
        out = {}
        for slot, steps in zip(reversed(slots), reversed(sizes), strict=True):
            i, k = divmod(i, steps.size)
            out[slot] = int(steps[k])
        return out, best, breach

    def free(self, day: int, slot: int, chosen: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Return a cell's rows (never one of the day's other dishes) and each one's penalty."""
        h = self.h
        rows = self.cells[(day, slot)]
        others = [r for s, r in chosen.items() if s != slot]
        if others:
            rows = rows[~np.isin(rows, others)]
        ok = (self.uses_left[rows] > 0) & (self.last_day[rows] < day - 1)
        ok &= ~h.shared.banned[day, rows]
        foods = h.shared.fixed_foods[day].copy()
        for r in others:
            foods.update(h.catalog.ingredient_ids[r])
        full = {f for f, n in foods.items() if n >= self.allowed}
        if full:
            ingredients = h.catalog.ingredient_ids
            ok &= np.array([not (ingredients[r] & full) for r in rows.tolist()], dtype=bool)
        if self.strict:
            return rows[ok], np.zeros(int(ok.sum()))
        return rows, np.where(ok, 0.0, VARIETY_PENALTY)

    def swap(self, day: int, slot: int, chosen: dict[int, int]) -> int | None:
        """Return the best dish for one cell with the day's other dishes kept."""
        h = self.h
        rows, penalty = self.free(day, slot, chosen)
        if rows.size == 0:
            return chosen.get(slot)
        total = h.shared.cost[rows, day, slot] + penalty
        c = h.catalog
        lo, hi = c.step_range[rows, 0], c.step_range[rows, 1]
        steps = np.arange(int(lo.min()), int(hi.max()) + 1)
        valid = (steps[None, :] >= lo[:, None]) & (steps[None, :] <= hi[:, None])
        servings = c.serving_step[rows, None] * steps[None, :]  # (R, K)
        for e in range(h.n_eaters):
            if not h.eats[e, day, slot]:
                continue  # their score does not depend on this cell's dish
            p = h.people[e]
            others, other_cost = self.combos(e, day, chosen, skip=slot)
            nut = p.nut[rows][:, None, :] * servings[..., None]  # (R, K, 5)
            pc = p.portion_cost(np.repeat(rows[:, None], steps.size, 1), servings)
            pc = np.where(valid, pc, np.inf)
            totals = others[None, None, :, :] + nut[:, :, None, :]  # (R, K, M, 5)
            score = self.score(e, day, totals) + other_cost[None, None, :] + pc[:, :, None]
            total = total + score.reshape(rows.size, -1).min(axis=1)
        return int(rows[int(np.argmin(total))])

    def build_day(
        self, day: int, order: Sequence[int]
    ) -> tuple[dict[int, int], tuple[int, float, float]]:
        """Return the day's dishes (slot -> row) filled in this slot order, and its key."""
        chosen: dict[int, int] = {}
        for _ in range(_DAY_PASSES):
            changed = False
            for slot in order:
                best = self.swap(day, slot, chosen)
                if best is not None and best != chosen.get(slot):
                    chosen[slot] = best
                    changed = True
            if not changed:
                break
        return chosen, self.day_score(day, chosen)

    def day_score(self, day: int, chosen: dict[int, int]) -> tuple[int, float, float]:
        """Return a day's key: empty main cells, the eaters' rules' breach, the whole score."""
        h = self.h
        slots = [s for d, s in self.cells if d == day]
        empty = sum(1 for s in slots if s != SNACK and s not in chosen)
        each = [self.best_steps(e, day, chosen) for e in range(h.n_eaters)]
        total = sum(score for _, score, _ in each)
        total += sum(float(h.shared.cost[row, day, slot]) for slot, row in chosen.items())
        breach = sum(b for _, _, b in each)
        return empty, round(breach, 6), total

    def week(self) -> list[HPick]:
        """Return the greedy week's picks."""
        h = self.h
        self.reset()
        self.breach = 0.0  # the week's weighted breach of every eater's rules
        picks: list[HPick] = []
        for day in range(h.days):
            slots = sorted(s for d, s in self.cells if d == day)
            if not slots:
                continue
            best, best_score = None, None
            # Other slot orders are tried while the day breaks a rule.
            for order in _orders(slots):
                chosen, score = self.build_day(day, order)
                if best_score is None or score < best_score:
                    best, best_score = chosen, score
                if best_score[:2] == (0, 0.0):
                    break
            self.breach += best_score[1] if best_score else 0.0
            steps = [self.best_steps(e, day, best or {})[0] for e in range(h.n_eaters)]
            for slot, row in sorted((best or {}).items()):
                self.uses_left[row] -= 1
                self.last_day[row] = day
                picks.append((day, slot, row, tuple(s.get(slot, 0) for s in steps)))
        return picks


def _orders(slots: list[int]) -> list[list[int]]:
    """Return the slot orders a day is built in: as listed, dinner first, lunch first."""
    orders = [slots]
    for head in (2, 1):
        if head in slots:
            orders.append([head] + [s for s in slots if s != head])
    return orders
