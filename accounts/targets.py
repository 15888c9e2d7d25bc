"""Daily magnesium targets and calorie windows: pure functions, no database.

Magnesium: the NIH Office of Dietary Supplements Recommended Dietary Allowances
(RDA; Adequate Intake below one year), by age, sex and life stage, and the
tolerable upper intake level for magnesium from supplements and fortified foods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MALE = "male"
FEMALE = "female"
NONE = "none"
PREGNANT = "pregnant"
LACTATING = "lactating"

SOURCE = "NIH Office of Dietary Supplements, Magnesium fact sheet (RDA by age, sex and life stage)"

# (lowest age in years, male mg, female mg); ages below one year use months (see below).
_RDA_BY_AGE: tuple[tuple[int, int, int], ...] = (
    (1, 80, 80),
    (4, 130, 130),
    (9, 240, 240),
    (14, 410, 360),
    (19, 400, 310),
    (31, 420, 320),
    (51, 420, 320),
)
# (lowest age, pregnancy mg, lactation mg); the table stops at 50, the last band covers older.
_RDA_LIFE_STAGE: tuple[tuple[int, int, int], ...] = (
    (14, 400, 360),
    (19, 350, 310),
    (31, 360, 320),
)
# Upper limit for magnesium from supplements and fortified products (not food).
_SUPPLEMENT_UL_BY_AGE: tuple[tuple[int, int], ...] = ((1, 65), (4, 110), (9, 350))

ADULT_SUPPLEMENT_UPPER_LIMIT_MG = 350
OVERRIDE_MIN_MG = 100
OVERRIDE_MAX_MG = 1000

DEFAULT_KCAL = 2000
KCAL_MIN_ALLOWED = 1000
KCAL_MAX_ALLOWED = 5000
# The narrowest calorie window, own or estimated: about one snack, so that whole and half
# servings can land a day inside it (the planner's comfort band is 50 kcal either side).
KCAL_WINDOW_MIN_WIDTH = 200

ACTIVITY_FACTORS: dict[str, float] = {
    "sedentary": 1.2,
    "light": 1.375,
    "moderate": 1.55,
    "active": 1.725,
    "very_active": 1.9,
}


def age_on(birth_date: date, today: date) -> int:
    """Return the age in whole years on a given day."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _band(table: tuple[tuple, ...], age: int) -> tuple:
    chosen = table[0]
    for row in table:
        if age >= row[0]:
            chosen = row
    return chosen


def magnesium_rda_mg(
    *, age_years: int, sex: str, life_stage: str = NONE, age_months: int = 0
) -> int:
    """Return the NIH magnesium RDA in mg/day for an age, sex and life stage."""
    if age_years < 0:
        raise ValueError("age must not be negative")
    if sex not in (MALE, FEMALE):
        raise ValueError(f"unknown sex: {sex!r}")
    if life_stage not in (NONE, PREGNANT, LACTATING):
        raise ValueError(f"unknown life stage: {life_stage!r}")
    if life_stage != NONE and sex == MALE:
        raise ValueError("pregnancy and lactation apply to females only")
    if age_years == 0:
        return 30 if age_months < 7 else 75
    if life_stage != NONE and age_years >= 14:
        _, pregnant, lactating = _band(_RDA_LIFE_STAGE, age_years)
        return pregnant if life_stage == PREGNANT else lactating
    _, male, female = _band(_RDA_BY_AGE, age_years)
    return male if sex == MALE else female


def supplement_upper_limit_mg(*, age_years: int) -> int | None:
    """Return the upper limit for supplemental magnesium (mg/day), or None under one year."""
    if age_years < 1:
        return None
    return _band(_SUPPLEMENT_UL_BY_AGE, age_years)[1]


@dataclass(frozen=True)
class CalorieWindow:
    kcal_min: int
    kcal_max: int
    basis: str

    @property
    def middle(self) -> float:
        return (self.kcal_min + self.kcal_max) / 2


def mifflin_st_jeor_kcal(*, weight_kg: float, height_cm: float, age_years: int, sex: str) -> float:
    """Return resting energy expenditure by the Mifflin-St Jeor equation (kcal/day)."""
    base = 10 * weight_kg + 6.25 * height_cm - 5 * age_years
    return base + 5 if sex == MALE else base - 161


def calorie_window(
    *,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    age_years: int | None = None,
    sex: str | None = None,
    activity: str | None = None,
) -> CalorieWindow:
    """Return a daily calorie window: Mifflin-St Jeor x activity +/- 10%, else 2000 +/- 10%."""
    if weight_kg and height_cm and age_years is not None and sex in (MALE, FEMALE):
        factor = ACTIVITY_FACTORS.get(activity or "sedentary", ACTIVITY_FACTORS["sedentary"])
        daily = mifflin_st_jeor_kcal(
            weight_kg=weight_kg, height_cm=height_cm, age_years=age_years, sex=sex
        )
        daily *= factor
        basis = "Mifflin-St Jeor equation from your weight, height, age, sex and activity, ±10%"
    else:
        daily = DEFAULT_KCAL
        basis = "default 2000 kcal ±10% (add weight, height and activity for a personal estimate)"
    low = max(KCAL_MIN_ALLOWED, round(daily * 0.9 / 10) * 10)
    high = min(KCAL_MAX_ALLOWED, round(daily * 1.1 / 10) * 10)
    if high - low < KCAL_WINDOW_MIN_WIDTH:
        # Clamped at an end of the allowed range: widen away from that end.
        if low == KCAL_MIN_ALLOWED:
            high = low + KCAL_WINDOW_MIN_WIDTH
        else:
            low = high - KCAL_WINDOW_MIN_WIDTH
        basis += (
            f", widened to {KCAL_WINDOW_MIN_WIDTH} kcal inside {KCAL_MIN_ALLOWED}-"
            f"{KCAL_MAX_ALLOWED} kcal (give your own window if this does not suit you)"
        )
    return CalorieWindow(kcal_min=int(low), kcal_max=int(high), basis=basis)
