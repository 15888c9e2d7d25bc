from datetime import date

import pytest

from accounts.targets import (
    FEMALE,
    KCAL_MAX_ALLOWED,
    KCAL_MIN_ALLOWED,
    KCAL_WINDOW_MIN_WIDTH,
    LACTATING,
    MALE,
    NONE,
    PREGNANT,
    age_on,
    calorie_window,
    magnesium_rda_mg,
    mifflin_st_jeor_kcal,
    supplement_upper_limit_mg,
)

# The whole NIH ODS table, row by row: (age, sex, life stage, mg/day).
NIH_TABLE = [
    (1, MALE, NONE, 80), (3, FEMALE, NONE, 80),
    (4, MALE, NONE, 130), (8, FEMALE, NONE, 130),
    (9, MALE, NONE, 240), (13, FEMALE, NONE, 240),
    (14, MALE, NONE, 410), (18, MALE, NONE, 410),
    (14, FEMALE, NONE, 360), (18, FEMALE, NONE, 360),
    (19, MALE, NONE, 400), (30, MALE, NONE, 400),
    (19, FEMALE, NONE, 310), (30, FEMALE, NONE, 310),
    (31, MALE, NONE, 420), (50, MALE, NONE, 420), (51, MALE, NONE, 420), (90, MALE, NONE, 420),
    (31, FEMALE, NONE, 320), (50, FEMALE, NONE, 320), (51, FEMALE, NONE, 320),
    (14, FEMALE, PREGNANT, 400), (18, FEMALE, PREGNANT, 400),
    (19, FEMALE, PREGNANT, 350), (30, FEMALE, PREGNANT, 350),
    (31, FEMALE, PREGNANT, 360), (50, FEMALE, PREGNANT, 360),
    (14, FEMALE, LACTATING, 360), (18, FEMALE, LACTATING, 360),
    (19, FEMALE, LACTATING, 310), (30, FEMALE, LACTATING, 310),
    (31, FEMALE, LACTATING, 320), (50, FEMALE, LACTATING, 320),
]  # fmt: skip


@pytest.mark.parametrize(("age", "sex", "stage", "expected"), NIH_TABLE)
def test_rda_matches_nih_table(age, sex, stage, expected):
    assert magnesium_rda_mg(age_years=age, sex=sex, life_stage=stage) == expected


def test_infants_use_adequate_intake_by_months():
    assert magnesium_rda_mg(age_years=0, age_months=3, sex=FEMALE) == 30
    assert magnesium_rda_mg(age_years=0, age_months=9, sex=MALE) == 75


def test_pregnancy_for_males_is_rejected():
    with pytest.raises(ValueError):
        magnesium_rda_mg(age_years=30, sex=MALE, life_stage=PREGNANT)


def test_unknown_sex_is_rejected():
    with pytest.raises(ValueError):
        magnesium_rda_mg(age_years=30, sex="other")


def test_supplement_upper_limit():
    assert supplement_upper_limit_mg(age_years=0) is None
    assert supplement_upper_limit_mg(age_years=2) == 65
    assert supplement_upper_limit_mg(age_years=6) == 110
    assert supplement_upper_limit_mg(age_years=9) == 350
    assert supplement_upper_limit_mg(age_years=40) == 350


def test_age_counts_birthdays():
    assert age_on(date(1990, 6, 15), date(2026, 6, 14)) == 35
    assert age_on(date(1990, 6, 15), date(2026, 6, 15)) == 36


def test_mifflin_st_jeor_known_values():
    # 70 kg, 175 cm, 30 y: 700 + 1093.75 - 150 = 1643.75; +5 male, -161 female.
    assert mifflin_st_jeor_kcal(weight_kg=70, height_cm=175, age_years=30, sex=MALE) == 1648.75
    assert mifflin_st_jeor_kcal(weight_kg=70, height_cm=175, age_years=30, sex=FEMALE) == 1482.75


def test_calorie_window_defaults_to_2000_plus_minus_10_percent():
    window = calorie_window()
    assert (window.kcal_min, window.kcal_max) == (1800, 2200)
    assert window.middle == 2000


def test_calorie_window_from_body_and_activity():
    window = calorie_window(
        weight_kg=70, height_cm=175, age_years=30, sex=MALE, activity="moderate"
    )
    daily = 1648.75 * 1.55
    assert window.kcal_min == round(daily * 0.9 / 10) * 10
    assert window.kcal_max == round(daily * 1.1 / 10) * 10
    assert "Mifflin" in window.basis


def test_a_tiny_estimate_is_widened_to_the_minimum_window_and_says_so():
    # 40 kg, 145 cm, 90 y, female, sedentary: about 830 kcal a day, below the lowest allowed.
    window = calorie_window(weight_kg=40, height_cm=145, age_years=90, sex=FEMALE)
    assert window.kcal_min == KCAL_MIN_ALLOWED
    assert window.kcal_max - window.kcal_min == KCAL_WINDOW_MIN_WIDTH
    assert f"widened to {KCAL_WINDOW_MIN_WIDTH} kcal" in window.basis


def test_a_huge_estimate_is_widened_downwards_from_the_highest_allowed():
    window = calorie_window(
        weight_kg=400, height_cm=250, age_years=14, sex=MALE, activity="very_active"
    )
    assert window.kcal_max == KCAL_MAX_ALLOWED
    assert window.kcal_max - window.kcal_min == KCAL_WINDOW_MIN_WIDTH
    assert "widened" in window.basis


def test_an_ordinary_estimate_is_not_widened():
    window = calorie_window(weight_kg=70, height_cm=175, age_years=30, sex=MALE)
    assert window.kcal_max - window.kcal_min > KCAL_WINDOW_MIN_WIDTH
    assert "widened" not in window.basis
