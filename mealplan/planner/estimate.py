"""Predict from a problem's size whether a solve fits a web request's time budget."""

from __future__ import annotations

from dataclasses import dataclass

from mealplan.planner.problem import EXACT_MAX_MEALS, PER_SLOT
from mealplan.planner.types import N_SLOTS

# The seconds a solve takes grow with two kinds of work (calibrated by bench/estimate.py):
# - the greedy week, which weighs every eligible meal in every cell for every eater;
# - the week MILP, whose columns are a cell's candidates (all of them up to EXACT_MAX_MEALS
#   meals, PER_SLOT a slot past that) times the cells times (one dish + two per eater), and
#   whose search is bounded by node limits (NODE_WORK) rather than by the clock.
# Measured (bench/estimate.py, busy 2-core machine, 60 s budget): a synthetic personal week
# ran 20-48 s whatever its size, 100 to 5,000 meals (the comfort polish searches until its
# node limit), while Suggest on the curated catalog (95 meals) takes a median 150 ms
# (bench/suggest.py): size alone cannot tell these apart. The coefficients keep weeks of up
# to ~150 candidates in the request (where the solve is cut at the interactive budget anyway
# and then says "best found within the search limit") and send every bigger week, and every
# household of two or more on 100 meals (measured 0.7-3.9 s), to the queue.
OVERHEAD_S = 0.15
GREEDY_S_PER_UNIT = 2.5e-5  # per candidate x cell x eater
MILP_S_PER_COLUMN = 2.0e-4  # per column of the week model
# A solve predicted above this share of the interactive budget goes to the queue: the
# estimate is a line through measured points, and a busy machine runs slower than the bench.
SAFETY_SHARE = 0.8


@dataclass(frozen=True)
class SolveSize:
    """How big a Suggest is: the candidate meals, the cells to fill, the people eating."""

    candidates: int
    cells: int
    eaters: int = 1


def model_columns(size: SolveSize) -> int:
    """Return about how many columns the week MILP of a solve this size has."""
    if size.candidates <= EXACT_MAX_MEALS:
        # Every candidate, spread over the slots (most meals fit one or two).
        per_cell = max(1, (2 * size.candidates) // N_SLOTS)
    else:
        per_cell = PER_SLOT
    return per_cell * size.cells * (1 + 2 * size.eaters)


def estimate_solve_s(size: SolveSize) -> float:
    """Return the seconds a solve of this size is expected to take, at most."""
    if size.cells <= 0 or size.candidates <= 0:
        return 0.0
    greedy = GREEDY_S_PER_UNIT * size.candidates * size.cells * max(size.eaters, 1)
    return OVERHEAD_S + greedy + MILP_S_PER_COLUMN * model_columns(size)


def fits_interactive(size: SolveSize, budget_s: float) -> bool:
    """Say whether a solve of this size may run inside a web request with this budget."""
    return estimate_solve_s(size) <= SAFETY_SHARE * budget_s
