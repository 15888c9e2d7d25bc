"""The planner's estimate of a solve's seconds: pure, no database."""

from mealplan.planner import SolveSize, estimate_solve_s, fits_interactive
from mealplan.planner.problem import EXACT_MAX_MEALS

WEEK_CELLS = 28


def test_nothing_to_plan_costs_nothing():
    assert estimate_solve_s(SolveSize(candidates=500, cells=0)) == 0.0
    assert estimate_solve_s(SolveSize(candidates=0, cells=WEEK_CELLS)) == 0.0


def test_estimate_grows_with_candidates_cells_and_eaters():
    base = SolveSize(candidates=100, cells=WEEK_CELLS, eaters=1)
    assert estimate_solve_s(SolveSize(200, WEEK_CELLS, 1)) > estimate_solve_s(base)
    assert estimate_solve_s(SolveSize(100, 2 * WEEK_CELLS, 1)) > estimate_solve_s(base)
    assert estimate_solve_s(SolveSize(100, WEEK_CELLS, 4)) > estimate_solve_s(base)


def test_prefiltered_catalogs_still_grow_with_size():
    # Past EXACT_MAX_MEALS the model is pre-filtered, but the greedy week weighs every meal.
    just_over = SolveSize(EXACT_MAX_MEALS + 1, WEEK_CELLS)
    assert estimate_solve_s(SolveSize(5000, WEEK_CELLS)) > estimate_solve_s(just_over)


def test_small_week_fits_a_two_second_budget():
    assert fits_interactive(SolveSize(candidates=24, cells=WEEK_CELLS), budget_s=2.0)
    assert fits_interactive(SolveSize(candidates=100, cells=WEEK_CELLS), budget_s=2.0)


def test_thousands_of_candidates_or_a_big_household_go_to_the_queue():
    assert not fits_interactive(SolveSize(candidates=5000, cells=WEEK_CELLS), budget_s=2.0)
    assert not fits_interactive(SolveSize(candidates=400, cells=WEEK_CELLS), budget_s=2.0)
    assert not fits_interactive(SolveSize(100, WEEK_CELLS, eaters=6), budget_s=2.0)


def test_estimate_is_conservative_at_the_edge():
    # A solve predicted at exactly the budget does not fit: a margin is kept.
    size = SolveSize(candidates=100, cells=WEEK_CELLS)
    assert not fits_interactive(size, budget_s=estimate_solve_s(size))


def test_one_cell_of_a_small_week_fits_even_a_tight_budget():
    assert fits_interactive(SolveSize(candidates=24, cells=1), budget_s=0.5)
