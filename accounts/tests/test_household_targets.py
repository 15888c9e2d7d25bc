"""Children's targets: the NIH table for ages 1-18, the supplement limit, and the calorie
windows from the IOM 2005 Estimated Energy Requirement equations (or the DGA table)."""

import pytest

from accounts.targets import (
    CHILD_KCAL_MIN_ALLOWED,
    FEMALE,
    INFANT_MESSAGE,
    KCAL_MIN_ALLOWED,
    KCAL_WINDOW_MIN_WIDTH,
    MALE,
    NONE,
    child_calorie_window,
    child_default_kcal,
    eer_kcal,
    magnesium_rda_mg,
    member_calorie_window,
    pa_coefficient,
    supplement_upper_limit_mg,
)

# NIH ODS, every child's age: (age, sex, RDA mg, supplement upper limit mg).
CHILDREN_TABLE = [
    (1, MALE, 80, 65), (2, FEMALE, 80, 65), (3, MALE, 80, 65),
    (4, FEMALE, 130, 110), (5, MALE, 130, 110), (6, FEMALE, 130, 110), (7, MALE, 130, 110),
    (8, FEMALE, 130, 110),
    (9, MALE, 240, 350), (10, FEMALE, 240, 350), (11, MALE, 240, 350), (12, FEMALE, 240, 350),
    (13, MALE, 240, 350),
    (14, MALE, 410, 350), (15, FEMALE, 360, 350), (16, MALE, 410, 350), (17, FEMALE, 360, 350),
    (18, MALE, 410, 350), (18, FEMALE, 360, 350),
]  # fmt: skip


@pytest.mark.parametrize(("age", "sex", "rda", "limit"), CHILDREN_TABLE)
def test_children_rda_and_supplement_limit(age, sex, rda, limit):
    assert magnesium_rda_mg(age_years=age, sex=sex, life_stage=NONE) == rda
    assert supplement_upper_limit_mg(age_years=age) == limit


# The EER equations by hand: (age, sex, weight kg, height cm, activity, kcal/day).
EER_TABLE = [
    # 1-2 years: 89 x wt - 100 + 20, whatever the sex and activity
    (1, MALE, 10, 75, "sedentary", 810.0),
    (2, FEMALE, 12, 86, "very_active", 988.0),
    # boys 3-8: 88.5 - 61.9 age + PA (26.7 wt + 903 ht) + 20
    (7, MALE, 25, 125, "sedentary", 88.5 - 433.3 + 1.00 * (667.5 + 1128.75) + 20),
    (3, MALE, 14, 95, "very_active", 88.5 - 185.7 + 1.42 * (373.8 + 857.85) + 20),
    # girls 3-8: 135.3 - 30.8 age + PA (10 wt + 934 ht) + 20
    (7, FEMALE, 25, 125, "active", 135.3 - 215.6 + 1.31 * (250 + 1167.5) + 20),
    (8, FEMALE, 26, 128, "light", 135.3 - 246.4 + 1.16 * (260 + 1195.52) + 20),
    # 9-18: the same with + 25
    (12, MALE, 40, 150, "light", 88.5 - 742.8 + 1.13 * (1068 + 1354.5) + 25),
    (16, MALE, 60, 175, "moderate", 88.5 - 990.4 + 1.13 * (1602 + 1580.25) + 25),
    (12, FEMALE, 40, 150, "very_active", 135.3 - 369.6 + 1.56 * (400 + 1401) + 25),
    (18, FEMALE, 55, 165, "sedentary", 135.3 - 554.4 + 1.00 * (550 + 1541.1) + 25),
]


@pytest.mark.parametrize(("age", "sex", "weight", "height", "activity", "kcal"), EER_TABLE)
def test_eer_equations(age, sex, weight, height, activity, kcal):
    assert eer_kcal(
        age_years=age, sex=sex, weight_kg=weight, height_cm=height, activity=activity
    ) == pytest.approx(kcal)


@pytest.mark.parametrize(
    ("sex", "activity", "pa"),
    [
        (MALE, "sedentary", 1.00), (MALE, "light", 1.13), (MALE, "moderate", 1.13),
        (MALE, "active", 1.26), (MALE, "very_active", 1.42),
        (FEMALE, "sedentary", 1.00), (FEMALE, "light", 1.16), (FEMALE, "moderate", 1.16),
        (FEMALE, "active", 1.31), (FEMALE, "very_active", 1.56),
    ],
)  # fmt: skip
def test_activity_maps_to_the_iom_coefficients(sex, activity, pa):
    assert pa_coefficient(sex=sex, activity=activity) == pa


def test_eer_window_is_plus_minus_ten_percent():
    # A girl of 12, 40 kg, 150 cm, very active: 2600.26 kcal -> 2340-2860.
    window = child_calorie_window(
        age_years=12, sex=FEMALE, weight_kg=40, height_cm=150, activity="very_active"
    )
    assert (window.kcal_min, window.kcal_max) == (2340, 2860)
    assert "Estimated Energy Requirement" in window.basis


def test_a_toddlers_window_is_widened_and_may_go_below_the_adult_floor():
    # 1 year, 10 kg: 810 kcal; ±10% is only 160 wide, so 200 around the middle.
    window = child_calorie_window(age_years=1, sex=MALE, weight_kg=10, height_cm=75)
    assert (window.kcal_min, window.kcal_max) == (710, 910)
    assert window.kcal_min < KCAL_MIN_ALLOWED
    assert window.kcal_max - window.kcal_min == KCAL_WINDOW_MIN_WIDTH
    assert window.kcal_min >= CHILD_KCAL_MIN_ALLOWED


# DGA 2020-2025 Appendix 2 (sedentary, active), row by row for both sexes.
DGA_TABLE = [
    (2, MALE, (1000, 1000)), (3, MALE, (1200, 1400)), (4, MALE, (1200, 1600)),
    (5, MALE, (1200, 1600)), (6, MALE, (1400, 1800)), (7, MALE, (1400, 1800)),
    (8, MALE, (1400, 2000)), (9, MALE, (1600, 2000)), (10, MALE, (1600, 2200)),
    (11, MALE, (1800, 2200)), (12, MALE, (1800, 2400)), (13, MALE, (2000, 2600)),
    (14, MALE, (2000, 2800)), (15, MALE, (2200, 3000)), (16, MALE, (2400, 3200)),
    (17, MALE, (2400, 3200)), (18, MALE, (2400, 3200)),
    (2, FEMALE, (1000, 1000)), (3, FEMALE, (1000, 1400)), (4, FEMALE, (1200, 1400)),
    (5, FEMALE, (1200, 1600)), (6, FEMALE, (1200, 1600)), (7, FEMALE, (1200, 1800)),
    (8, FEMALE, (1400, 1800)), (9, FEMALE, (1400, 1800)), (10, FEMALE, (1400, 2000)),
    (11, FEMALE, (1600, 2000)), (12, FEMALE, (1600, 2200)), (13, FEMALE, (1600, 2200)),
    (14, FEMALE, (1800, 2400)), (15, FEMALE, (1800, 2400)), (16, FEMALE, (1800, 2400)),
    (17, FEMALE, (1800, 2400)), (18, FEMALE, (1800, 2400)),
    (1, MALE, (700, 1000)), (1, FEMALE, (700, 1000)),
]  # fmt: skip


@pytest.mark.parametrize(("age", "sex", "kcal"), DGA_TABLE)
def test_default_window_without_weight_and_height(age, sex, kcal):
    assert child_default_kcal(age_years=age, sex=sex) == kcal
    window = child_calorie_window(age_years=age, sex=sex)
    if kcal[1] - kcal[0] >= KCAL_WINDOW_MIN_WIDTH:
        assert (window.kcal_min, window.kcal_max) == kcal
    else:  # 2 years: 1000 -> 900-1100
        assert (window.kcal_min, window.kcal_max) == (900, 1100)
    assert "Dietary Guidelines" in window.basis


def test_default_window_without_sex_covers_both():
    assert child_default_kcal(age_years=7, sex=None) == (1200, 1800)


@pytest.mark.parametrize("age", [0, -1])
def test_infants_are_refused(age):
    with pytest.raises(ValueError, match="Infants"):
        member_calorie_window(age_years=age, sex=MALE)
    assert INFANT_MESSAGE.startswith("Infants (under 1 year) do not eat from a meal plan")


def test_over_120_is_refused():
    with pytest.raises(ValueError, match="over 120"):
        member_calorie_window(age_years=121, sex=FEMALE)


def test_adults_keep_mifflin_st_jeor():
    window = member_calorie_window(weight_kg=70, height_cm=175, age_years=30, sex=MALE)
    assert "Mifflin" in window.basis
    assert member_calorie_window(age_years=19, sex=MALE).basis.startswith("default 2000")
    assert (
        "Estimated Energy"
        in member_calorie_window(age_years=18, sex=MALE, weight_kg=60, height_cm=175).basis
    )
