"""Plan a week (one MILP over every cell, servings included) and rank swaps for one cell."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Protocol

import numpy as np

from mealplan.planner.diagnose import Pick, report
from mealplan.planner.model import EMPTY_WEIGHT, Milp, WeekModel, build_week, solve
from mealplan.planner.problem import (
    CAP_TOL,
    KCAL_TOL,
    MG_TOL,
    W_BAND,
    Problem,
    candidates,
    caps,
    greedy_week,
    prepare,
)
from mealplan.planner.types import (
    ADDED,
    KCAL,
    MG,
    N_SLOTS,
    RELAX_VARIETY,
    SNACK,
    Assignment,
    Catalog,
    FixedEntry,
    PlanResult,
    Rules,
    SwapOption,
)

# Search limits. Every solve starts from the greedy week (problem.greedy_week), so a stopped
# search still returns at least that. A week of the curated catalog is proven optimal at the
# root or within a few dozen nodes (with a greedy week keeping every rule the rules' solve is
# skipped: no breach is the least); a node limit (deterministic: one thread, fixed seed) stops
# the rare hard week (tight caps that variety cannot all meet), so that a busy machine gives
# the same plan as a quiet one; the caller's time budget is only the last resort. A stopped
# search is reported as "best found within the search limit", never as optimal.
EXACT_NODE_LIMIT = 150
PREFILTERED_NODE_LIMIT = 100
POLISH_NODE_LIMIT = 5
# A small model gets more nodes: its nodes are cheap, and a tight calorie window with variety
# free (the soft path) needed more than EXACT_NODE_LIMIT to prove a three-meal catalog's
# rules best. Still a function of the model alone, so still deterministic.
NODE_WORK = 200_000  # node limit x columns


def node_limit_for(milp: Milp, base: int) -> int:
    """Return the node limit for a model: base, or more for a small model."""
    return max(base, NODE_WORK // max(milp.cost.size, 1))


MIN_POLISH_S = 0.05  # below this HiGHS cannot even load the model
PRESOLVE_POLISH = False  # measured: the polish root is ~20 % faster without presolve
# The rules' weighted breach found first may grow by this much while comfort is polished,
# and the rules' solve stops this close to its bound: solver round-off only. It must stay
# below the cheapest breach a day is failed for, 1e-3 mg of sodium over its cap (0.05 at
# W_SODIUM = 50): at 1.0 a day went 0.01 mg of sodium over for comfort although it could
# keep every rule.
RULE_SLACK = 0.01
DEFAULT_TIME_BUDGET_S = 10.0
# One time budget per call. The searches (rules, polish; the soft model's least breach first)
# end by SEARCH_SHARE of it, the day diagnosis gets the rest: before, each solve and each
# one-day bound had the whole budget (or 1 s) to itself and a call took 2-4x its budget.
SEARCH_SHARE = 0.8
# The share of the search time left that the rules' solve may take; the polish gets the rest.
RULES_SHARE = 0.7
# The soft model's least-breach solve, before the rules' and the polish.
LEAST_SHARE = 0.4
# The soft model's fewest-variety-breaches solve, after the rules'.
VARIETY_SHARE = 0.5
# Variety breaches and empty cells are counts: a bound this far above one is that count.
VARIETY_SLACK = 0.5


class Clock:
    """Split one call's time budget between its solves."""

    def __init__(self, started: float, budget_s: float) -> None:
        """Start the call's clock."""
        self.search_end = started + SEARCH_SHARE * budget_s
        self.deadline = started + budget_s

    def search(self, share: float = 1.0) -> float:
        """Return the seconds a solve may take: a share of the search time left."""
        return max(share * (self.search_end - time.perf_counter()), MIN_POLISH_S)


def _cells(
    p: Problem, per_slot: list[np.ndarray], *, keep_banned: bool
) -> dict[tuple[int, int], np.ndarray]:
    """Return the candidate rows of every cell to fill."""
    cells = {}
    for day in range(p.days):
        for slot in np.flatnonzero(p.fill[day]).tolist():
            rows = per_slot[slot]
            cells[(day, slot)] = rows if keep_banned else rows[~p.banned[day, rows]]
    return cells


def _with_rows(per_slot: list[np.ndarray], picks: Sequence[Pick]) -> list[np.ndarray]:
    """Return the candidate rows per slot with the rows of these picks added."""
    extra: list[list[int]] = [[] for _ in per_slot]
    for _, slot, row, _ in picks:
        extra[slot].append(row)
    return [
        np.concatenate([rows, np.setdiff1d(np.unique(more), rows)]) if more else rows
        for rows, more in zip(per_slot, extra, strict=True)
    ]


def _variety_broken(p: Problem, picks: Sequence[Pick]) -> list[bool]:
    """Say, per day, whether the day's meals break a variety rule."""
    rules, catalog = p.rules, p.catalog
    broken = [False] * p.days
    days_of: dict[int, list[int]] = {}
    for day, rows in enumerate(p.fixed_rows):
        for row in rows:
            days_of.setdefault(row, []).append(day)
    foods = [Counter(p.fixed_foods[day]) for day in range(p.days)]
    for day, _, row, _ in picks:
        days_of.setdefault(row, []).append(day)
        foods[day].update(catalog.ingredient_ids[row])
    picked_rows = {row for _, _, row, _ in picks}
    for row in picked_rows:
        on = sorted(days_of[row])
        fixed_uses = sum(1 for rows in p.fixed_rows if row in rows)
        too_many = len(on) > max(rules.max_uses_per_week, fixed_uses)
        for a, b in zip(on, on[1:], strict=False):
            if b - a < 2:
                broken[a] = broken[b] = True
        if too_many:
            for day in on:
                broken[day] = True
    for day in range(p.days):
        if any(n > rules.max_meals_per_ingredient_per_day for n in foods[day].values()):
            broken[day] = True
    return broken


class Solvable(Protocol):
    """A week's MILP as the solves below read it: the personal week's or the household's."""

    milp: Milp
    violation: np.ndarray  # variety breaches and empty main cells (soft models)

    @property
    def rule_cost(self) -> np.ndarray: ...


def solve_lexicographic(
    model: Solvable,
    milp: Milp,
    clock: Clock,
    node_limit: int,
    start: np.ndarray | None = None,
    *,
    note: Callable[[np.ndarray], None] | None = None,
    polish_max_cols: int | None = None,
) -> tuple[np.ndarray, bool, bool] | None:
    """Solve the rules first, then comfort within the rules' best; None if no plan at all.

    Returns the values, whether the rules' solve was proven and whether the polish was.
    A model of more than polish_max_cols columns keeps the rules' plan unpolished.
    """
    # Two solves, measured faster and steadier than one with every weight: with the rules
    # alone the LP bound is 0 whenever a fractional week keeps them all, so the first plan
    # that does is proven at once; comfort is then polished within that, and a polish the
    # node limit stops still leaves a plan whose rules are proven best.
    # start: a feasible week (the greedy's); neither solve returns anything worse.
    rules = model.rule_cost
    if start is not None and rules @ start <= RULE_SLACK:
        # No breach is the least there is: the start is proven best for the rules at once.
        # Measured on synthetic catalogs of 2,000-10,000 meals: the rules' solve took its
        # whole time limit and found a week keeping every rule on 6-63 % of days.
        values, rules_optimal = start, True
    else:
        first = solve(
            milp,
            cost=rules,
            on_improve=note,
            abs_gap=RULE_SLACK,
            start=start,
            node_limit=node_limit,
            time_limit=clock.search(RULES_SHARE),
        )
        values, rules_optimal = first.values, first.optimal
        if start is not None and (values is None or rules @ start < rules @ values):
            values = start
        if values is None:
            return None
    if polish_max_cols is not None and milp.cost.size > polish_max_cols:
        return values, rules_optimal, False
    breach = float(rules @ values)
    polish = solve(
        milp.with_row(rules, breach + RULE_SLACK),
        # Comfort alone: with the rules' weights in, the gap is judged against their breach
        # (5e5 for a 50 mg shortfall) and a one-day, four-meal polish stopped unproven.
        cost=milp.cost - rules,
        start=values,
        node_limit=POLISH_NODE_LIMIT,
        time_limit=clock.search(),
        presolve=PRESOLVE_POLISH,
    )
    if polish.values is not None and milp.cost @ polish.values <= milp.cost @ values:
        values = polish.values
    return values, rules_optimal, polish.optimal


def solve_soft(
    model: Solvable,
    start: np.ndarray | None,
    clock: Clock,
    node_limit: int,
    *,
    note: Callable[[np.ndarray], None] | None = None,
    polish_max_cols: int | None = None,
) -> tuple[np.ndarray | None, bool, bool]:
    """Solve a soft model (variety may break): the values, rules proven, comfort proven.

    Variety gives way first, before comfort and the targets; an empty main cell never does.
    So: the fewest empty cells found are kept, the rules solved with variety free (when it
    cannot hold anyway), then variety broken as little as those rules allow, then comfort.
    Capping variety at its least before the rules (as before) pinned a small repertoire
    (3 breakfasts for 7 days) to one repeat and cost the targets: 12 family recipes reached
    2 of 7 days that way (bench/own_recipes_week.py). When only a cell with no candidate at
    all sent the week here and variety can still hold (the least-breach week breaks none),
    it keeps holding.
    """
    least = solve(
        model.milp,
        cost=model.violation,
        start=start,
        node_limit=node_limit,
        time_limit=clock.search(LEAST_SHARE),
    )
    fewest = least.values
    if start is not None and (fewest is None or model.violation @ start < model.violation @ fewest):
        fewest = start
    if fewest is None:
        return None, False, False
    empties = np.where(model.violation >= EMPTY_WEIGHT, 1.0, 0.0)
    breaches = model.violation * (1.0 - empties)
    varied = float(breaches @ fewest) < VARIETY_SLACK
    within = model.milp
    if empties.any():
        within = within.with_row(empties, float(empties @ fewest) + VARIETY_SLACK)
    if varied:
        within = within.with_row(breaches, VARIETY_SLACK)
    # Start from the week with fewer broken rules: the greedy's if it leaves no more main
    # cells empty than the least-breach week (and keeps variety when it holds).
    rule_cost = model.rule_cost
    if (
        start is not None
        and empties @ start <= empties @ fewest
        and (not varied or breaches @ start < VARIETY_SLACK)
        and rule_cost @ start < rule_cost @ fewest
    ):
        fewest = start
    if note is not None:
        note(fewest)
    values, rules_proven = fewest, bool(rule_cost @ fewest <= RULE_SLACK)
    if not rules_proven:
        first = solve(
            within,
            cost=rule_cost,
            on_improve=note,
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
    kept = kept.with_row(breaches, float(breaches @ values) + VARIETY_SLACK)
    outcome = solve_lexicographic(
        model, kept, clock, node_limit, values, note=note, polish_max_cols=polish_max_cols
    )
    comfort_proven = False
    if outcome is not None:  # always, with a start
        values, _, comfort_proven = outcome
    return values, bool(rules_proven and least.optimal), comfort_proven


def plan_week(
    catalog: Catalog,
    rules: Rules,
    *,
    days: int = 7,
    fixed: Sequence[FixedEntry] = (),
    fill: Iterable[tuple[int, int]] | None = None,
    seed: int = 0,
    avoid: Collection[tuple[int, int, int]] = (),
    time_budget_s: float = DEFAULT_TIME_BUDGET_S,
) -> PlanResult:
    """Choose a meal and its servings per cell so every day keeps every rule it can."""
    # fill lists the (day, slot) cells to fill; None fills every cell without a fixed entry.
    # avoid lists (day, slot, meal id) choices that cost extra (Regenerate's old week).
    # On a few hundred candidate meals the whole week is one MILP solved to proven optimality;
    # past that, a pre-filtered list. Node limits bound the search, the time budget last:
    # time_budget_s covers the whole call (searches, then the days' diagnosis).
    started = time.perf_counter()
    clock = Clock(started, time_budget_s)
    p = prepare(catalog, rules, days, fixed, fill, seed, avoid)
    per_slot, complete = candidates(p)
    node_limit = EXACT_NODE_LIMIT if complete else PREFILTERED_NODE_LIMIT
    first_ok: list[float] = []

    def note_first_ok(model: WeekModel) -> Callable[[np.ndarray], None]:
        def note(values: np.ndarray) -> None:
            if not first_ok and model.rules_broken(values) <= MG_TOL:
                first_ok.append(time.perf_counter())

        return note

    picks: list[Pick] = []
    rules_proven = comfort_proven = True
    soft = False
    # The greedy week runs on every eligible meal, not only the pre-filtered ones; the meals
    # it picks join the candidates so that the MILP can start from it.
    greedy = greedy_week(p, _cells(p, candidates(p, exact=True)[0], keep_banned=False))
    per_slot = _with_rows(per_slot, greedy)
    cells = _cells(p, per_slot, keep_banned=False)
    if cells and all(rows.size for (_, slot), rows in cells.items() if slot != SNACK):
        model = build_week(p, cells)
        start = model.start(greedy)
        note = note_first_ok(model)
        if start is not None:
            note(start)
        limit = node_limit_for(model.milp, node_limit)
        outcome = solve_lexicographic(model, model.milp, clock, limit, start, note=note)
        if outcome is None:
            soft = True
        else:
            values, rules_proven, comfort_proven = outcome
            picks = model.picks(values)
    elif cells:
        soft = True

    if soft:
        # Variety cannot hold (or a main cell has no candidate): break it as little as
        # possible, then plan as well as possible within that.
        per_slot, complete = candidates(p, ignore_uses=True)
        loose = greedy_week(
            p,
            _cells(p, candidates(p, ignore_uses=True, exact=True)[0], keep_banned=True),
            strict=False,
        )
        per_slot = _with_rows(per_slot, loose)
        cells = _cells(p, per_slot, keep_banned=True)
        model = build_week(p, cells, soft=True)
        node_limit = node_limit_for(model.milp, node_limit)
        start = model.start(loose)
        values, rules_proven, comfort_proven = solve_soft(
            model, start, clock, node_limit, note=note_first_ok(model)
        )
        if values is not None:
            picks = model.picks(values)
    optimal = rules_proven and comfort_proven
    limited = not rules_proven

    picks = [pick for pick in picks if pick[3] > 0]
    broken = _variety_broken(p, picks)
    relaxed = [(RELAX_VARIETY,) if broken[day] else () for day in range(days)]
    filled = {(day, slot) for day, slot, _, _ in picks}
    empty = [
        tuple(
            slot
            for slot in range(N_SLOTS)
            if slot != SNACK and p.fill[day, slot] and (day, slot) not in filled
        )
        for day in range(days)
    ]
    proof = "limited" if limited or not complete else ("relaxed" if soft else "optimal")
    reports = report(
        p, picks, proof=proof, relaxed_days=relaxed, empty_slots=empty, deadline=clock.deadline
    )
    if not first_ok and all(r.ok for r in reports):
        first_ok.append(time.perf_counter())
    ids, step = catalog.meal_ids, catalog.serving_step
    assignments = tuple(
        Assignment(day=d, slot=s, meal_id=int(ids[row]), servings=float(step[row] * steps))
        for d, s, row, steps in sorted(picks)
    )
    finished = time.perf_counter()
    return PlanResult(
        assignments=assignments,
        days=reports,
        first_plan_ms=((first_ok[0] if first_ok else finished) - started) * 1000.0,
        total_ms=(finished - started) * 1000.0,
        optimal=optimal,
        limited=limited,
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
) -> list[SwapOption]:
    """Return the best k meals, with servings, for one cell with every fixed entry kept."""
    # Meals keeping the day ok come first, then those that keep every rule but fall short
    # (least shortfall first), then the rest by how little they break. Within a tier the
    # comfort band, the portion and preference decide. One cell needs no MILP: every
    # candidate and every servings step is scored exactly.
    if not (0 <= day < days and 0 <= slot < N_SLOTS):
        raise ValueError(f"cell outside the week: day {day}, slot {slot}")
    p = prepare(catalog, rules, days, fixed, [], seed)
    rules = p.rules
    excluded = np.isin(catalog.meal_ids, np.fromiter(exclude_meal_ids, dtype=np.int64))
    usable = p.eligible[:, slot] & (p.uses_left > 0) & ~p.banned[day] & ~excluded
    foods = p.fixed_foods[day]
    full = {f for f, n in foods.items() if n >= rules.max_meals_per_ingredient_per_day}
    if full:
        usable &= np.array([not (ingr & full) for ingr in catalog.ingredient_ids], dtype=bool)
    rows = np.flatnonzero(usable)
    if rows.size == 0 or k <= 0:
        return []
    lo, hi = catalog.step_range[rows, 0], catalog.step_range[rows, 1]
    steps = np.arange(int(lo.min()), int(hi.max()) + 1)
    valid = (steps[None, :] >= lo[:, None]) & (steps[None, :] <= hi[:, None])
    servings = catalog.serving_step[rows, None] * steps[None, :]  # (r, s)
    totals = p.fixed_totals[day][None, None, :] + p.nut[rows][:, None, :] * servings[..., None]
    top = caps(rules)
    shortfall = np.maximum(rules.magnesium_target_mg - totals[..., MG], 0.0)
    over = np.maximum(totals[..., ADDED:] - top[ADDED:], 0.0)
    # A day already over through its fixed entries may still take a meal adding none.
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
    # The safety limit is a limit: a step over it is never offered; nor is an invalid step.
    tier = np.where(valid & ~added_over, tier, np.inf)
    # Best step per meal, then the best meals.
    key = np.stack([tier, broken, shortfall, comfort], axis=-1)
    best_step = np.array([np.lexsort(key[i].T[::-1])[0] for i in range(rows.size)])
    pick = np.arange(rows.size)
    best = key[pick, best_step]
    keep = np.isfinite(best[:, 0])
    if np.any(best[keep, 0] < 2):
        keep &= best[:, 0] < 2
    order = [i for i in np.lexsort(best.T[::-1]) if keep[i]][:k]
    return [
        SwapOption(
            meal_id=int(catalog.meal_ids[rows[i]]),
            servings=float(servings[i, best_step[i]]),
            day_ok=bool(best[i, 0] == 0),
        )
        for i in order
    ]
