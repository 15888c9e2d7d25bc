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


# -- Children (issue 12: households) --------------------------------------------------------
# Magnesium: the RDA and supplement upper limit tables above already cover ages 1-18 (NIH ODS:
# 1-3: 80 mg, 4-8: 130 mg, 9-13: 240 mg, 14-18: 410 mg boys / 360 mg girls; supplement UL 65 mg
# at 1-3, 110 mg at 4-8, 350 mg from 9).
#
# Calories under 19: the Estimated Energy Requirement (EER) equations of the Dietary Reference
# Intakes (Institute of Medicine, "Dietary Reference Intakes for Energy, Carbohydrate, Fiber,
# Fat, Fatty Acids, Cholesterol, Protein, and Amino Acids", 2005; ages in years, weight in kg,
# height in m):
#   1-2 years (13-35 months):  EER = 89 x wt - 100 + 20
#   boys 3-8:   EER = 88.5 - 61.9 x age + PA x (26.7 x wt + 903 x ht) + 20
#   girls 3-8:  EER = 135.3 - 30.8 x age + PA x (10.0 x wt + 934 x ht) + 20
#   boys and girls 9-18: the same equations with + 25 (energy deposition) instead of + 20.
# PA (physical activity coefficient) by the IOM's physical activity level (PAL) categories:
#   boys 1.00 / 1.13 / 1.26 / 1.42, girls 1.00 / 1.16 / 1.31 / 1.56 for
#   sedentary (PAL 1.0-1.4) / low active (1.4-1.6) / active (1.6-1.9) / very active (1.9-2.5).
# Our five activity choices map to those categories by the PAL their adult factor stands for
# (ACTIVITY_FACTORS): sedentary (1.2) -> sedentary; light (1.375) and moderate (1.55) -> low
# active; active (1.725) -> active; very active (1.9) -> very active.
# Pregnancy and lactation extras are not added (as for adults: give a window by hand).
#
# Without weight and height, a child's window is the range of the Dietary Guidelines for
# Americans 2020-2025, Appendix 2 "Estimated Calorie Needs per Day, by Age, Sex, and Physical
# Activity Level": from the sedentary to the active figure for the age and sex (12-23 months:
# the 700-1,000 kcal of the toddler food patterns, DGA 2020-2025 chapter 2).

EER_SOURCE = "Estimated Energy Requirement (Dietary Reference Intakes, IOM 2005)"
DGA_SOURCE = "Dietary Guidelines for Americans 2020-2025, Appendix 2"
ADULT_AGE = 19
MIN_MEMBER_AGE = 1
MAX_MEMBER_AGE = 120
INFANT_MESSAGE = "Infants (under 1 year) do not eat from a meal plan."
TOO_OLD_MESSAGE = f"An age over {MAX_MEMBER_AGE} years is not one we can plan for."
# A child's window may go below the adults' KCAL_MIN_ALLOWED (a toddler needs about 800 kcal).
CHILD_KCAL_MIN_ALLOWED = 500

# The IOM's categories, in order, and the coefficient for each (boys, girls).
PA_CATEGORIES = ("sedentary", "low active", "active", "very active")
_PA_COEFFICIENTS = {MALE: (1.00, 1.13, 1.26, 1.42), FEMALE: (1.00, 1.16, 1.31, 1.56)}
ACTIVITY_TO_PA_CATEGORY: dict[str, str] = {
    "sedentary": "sedentary",
    "light": "low active",
    "moderate": "low active",
    "active": "active",
    "very_active": "very active",
}

# DGA 2020-2025 Appendix 2, (sedentary, active) kcal/day by age 2-18 (moderately active between).
_DGA_CHILD_KCAL: dict[str, dict[int, tuple[int, int]]] = {
    MALE: {
        2: (1000, 1000), 3: (1200, 1400), 4: (1200, 1600), 5: (1200, 1600), 6: (1400, 1800),
        7: (1400, 1800), 8: (1400, 2000), 9: (1600, 2000), 10: (1600, 2200), 11: (1800, 2200),
        12: (1800, 2400), 13: (2000, 2600), 14: (2000, 2800), 15: (2200, 3000), 16: (2400, 3200),
        17: (2400, 3200), 18: (2400, 3200),
    },
    FEMALE: {
        2: (1000, 1000), 3: (1000, 1400), 4: (1200, 1400), 5: (1200, 1600), 6: (1200, 1600),
        7: (1200, 1800), 8: (1400, 1800), 9: (1400, 1800), 10: (1400, 2000), 11: (1600, 2000),
        12: (1600, 2200), 13: (1600, 2200), 14: (1800, 2400), 15: (1800, 2400), 16: (1800, 2400),
        17: (1800, 2400), 18: (1800, 2400),
    },
}  # fmt: skip
_TODDLER_KCAL = (700, 1000)


def check_member_age(age_years: int) -> None:
    """Raise ValueError (with a message for people) for an age we do not plan for."""
    if age_years < MIN_MEMBER_AGE:
        raise ValueError(INFANT_MESSAGE)
    if age_years > MAX_MEMBER_AGE:
        raise ValueError(TOO_OLD_MESSAGE)


def pa_coefficient(*, sex: str, activity: str | None) -> float:
    """Return the EER physical activity coefficient for one of our activity choices."""
    if sex not in (MALE, FEMALE):
        raise ValueError(f"unknown sex: {sex!r}")
    category = ACTIVITY_TO_PA_CATEGORY.get(activity or "sedentary", "sedentary")
    return _PA_COEFFICIENTS[sex][PA_CATEGORIES.index(category)]


def eer_kcal(
    *, age_years: int, sex: str, weight_kg: float, height_cm: float, activity: str | None = None
) -> float:
    """Return a child's Estimated Energy Requirement (IOM 2005) in kcal/day, ages 1-18."""
    check_member_age(age_years)
    if age_years >= ADULT_AGE:
        raise ValueError("the children's EER equations stop at 18 years")
    if sex not in (MALE, FEMALE):
        raise ValueError(f"unknown sex: {sex!r}")
    if age_years < 3:
        return 89 * weight_kg - 100 + 20
    height_m = height_cm / 100
    pa = pa_coefficient(sex=sex, activity=activity)
    deposition = 20 if age_years <= 8 else 25
    if sex == MALE:
        return 88.5 - 61.9 * age_years + pa * (26.7 * weight_kg + 903 * height_m) + deposition
    return 135.3 - 30.8 * age_years + pa * (10.0 * weight_kg + 934 * height_m) + deposition


def child_default_kcal(*, age_years: int, sex: str | None) -> tuple[int, int]:
    """Return the DGA 2020-2025 (sedentary, active) kcal/day for a child of 1-18 years; with
    no sex given, the range covering both."""
    check_member_age(age_years)
    if age_years >= ADULT_AGE:
        raise ValueError("the children's table stops at 18 years")
    if age_years < 2:
        return _TODDLER_KCAL
    if sex in (MALE, FEMALE):
        return _DGA_CHILD_KCAL[sex][age_years]
    male, female = _DGA_CHILD_KCAL[MALE][age_years], _DGA_CHILD_KCAL[FEMALE][age_years]
    return min(male[0], female[0]), max(male[1], female[1])


def _child_bounds(low: float, high: float) -> tuple[int, int]:
    low_i = max(CHILD_KCAL_MIN_ALLOWED, round(low / 10) * 10)
    high_i = min(KCAL_MAX_ALLOWED, round(high / 10) * 10)
    if high_i - low_i < KCAL_WINDOW_MIN_WIDTH:
        middle = round((low_i + high_i) / 2 / 10) * 10
        low_i = max(CHILD_KCAL_MIN_ALLOWED, middle - KCAL_WINDOW_MIN_WIDTH // 2)
        high_i = low_i + KCAL_WINDOW_MIN_WIDTH
    return int(low_i), int(high_i)


def child_calorie_window(
    *,
    age_years: int,
    sex: str | None,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    activity: str | None = None,
) -> CalorieWindow:
    """A child's (1-18 years) window: EER +/- 10% with weight and height (and sex from 3 years),
    else the DGA range for the age and sex; at least KCAL_WINDOW_MIN_WIDTH wide."""
    check_member_age(age_years)
    needs_sex = age_years >= 3
    if weight_kg and (age_years < 3 or height_cm) and (sex in (MALE, FEMALE) or not needs_sex):
        daily = eer_kcal(
            age_years=age_years,
            sex=sex if sex in (MALE, FEMALE) else MALE,
            weight_kg=weight_kg,
            height_cm=height_cm or 0,
            activity=activity,
        )
        low, high = _child_bounds(daily * 0.9, daily * 1.1)
        basis = f"{EER_SOURCE} from weight, height, age, sex and activity, ±10%"
    else:
        low, high = _child_bounds(*child_default_kcal(age_years=age_years, sex=sex))
        basis = f"{DGA_SOURCE} for the age and sex (add weight and height for an estimate)"
    return CalorieWindow(kcal_min=low, kcal_max=high, basis=basis)


def member_calorie_window(
    *,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    age_years: int | None = None,
    sex: str | None = None,
    activity: str | None = None,
) -> CalorieWindow:
    """Anyone's window: a child's (under 19) by child_calorie_window, an adult's (or unknown
    age) by calorie_window (Mifflin-St Jeor). Raises ValueError under 1 year or over 120."""
    if age_years is not None:
        check_member_age(age_years)
        if age_years < ADULT_AGE:
            return child_calorie_window(
                age_years=age_years,
                sex=sex,
                weight_kg=weight_kg,
                height_cm=height_cm,
                activity=activity,
            )
    return calorie_window(
        weight_kg=weight_kg, height_cm=height_cm, age_years=age_years, sex=sex, activity=activity
    )
