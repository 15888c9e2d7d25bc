"""Suggest weeks of meals that reach a daily magnesium target: a MILP solved with HiGHS.

Pure package: frozen dataclasses in, dataclasses out, numpy and highspy inside, nothing
from Django, so the planner can be tested and benchmarked without a database.
"""

from mealplan.planner.estimate import SolveSize, estimate_solve_s, fits_interactive
from mealplan.planner.household import (
    NO_SHARED_DISH,
    Eater,
    HouseholdAssignment,
    HouseholdFixed,
    HouseholdResult,
    Unserved,
    household_swap_options,
    plan_household_week,
)
from mealplan.planner.problem import CAP_TOL, KCAL_TOL, MG_TOL
from mealplan.planner.types import (
    ADDED_MAGNESIUM_LIMIT_MG,
    MEAL_SERVING_STEP,
    MEAL_STEPS,
    PRODUCT_SERVING_STEP,
    PRODUCT_STEPS,
    RELAX_VARIETY,
    RULE_ADDED,
    RULE_CARBOHYDRATE,
    RULE_KCAL_HIGH,
    RULE_KCAL_LOW,
    RULE_MAGNESIUM,
    RULE_SODIUM,
    SLOTS,
    Assignment,
    Catalog,
    DayReport,
    FixedEntry,
    MealRow,
    PlanResult,
    Rules,
    SwapOption,
)
from mealplan.planner.week import plan_week, swap_options

__all__ = [
    "CAP_TOL",
    "KCAL_TOL",
    "MG_TOL",
    "ADDED_MAGNESIUM_LIMIT_MG",
    "NO_SHARED_DISH",
    "Eater",
    "HouseholdAssignment",
    "HouseholdFixed",
    "HouseholdResult",
    "Unserved",
    "household_swap_options",
    "plan_household_week",
    "MEAL_SERVING_STEP",
    "MEAL_STEPS",
    "PRODUCT_SERVING_STEP",
    "PRODUCT_STEPS",
    "RELAX_VARIETY",
    "RULE_ADDED",
    "RULE_CARBOHYDRATE",
    "RULE_KCAL_HIGH",
    "RULE_KCAL_LOW",
    "RULE_MAGNESIUM",
    "RULE_SODIUM",
    "SLOTS",
    "Assignment",
    "Catalog",
    "DayReport",
    "FixedEntry",
    "MealRow",
    "PlanResult",
    "Rules",
    "SwapOption",
    "SolveSize",
    "estimate_solve_s",
    "fits_interactive",
    "plan_week",
    "swap_options",
]
