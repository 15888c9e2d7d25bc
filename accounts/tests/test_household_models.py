from datetime import date, timedelta

import pytest

from accounts.models import EatingPattern, Household, Member
from accounts.selectors import household_for, household_members
from accounts.tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def years_ago(years: int, today: date | None = None) -> date:
    today = today or date.today()
    try:
        return today.replace(year=today.year - years) - timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28) - timedelta(days=1)


def make_household(owner=None, name="Home"):
    owner = owner or ProfileFactory().user
    household = Household.objects.create(name=name, owner=owner)
    Member.objects.create(household=household, user=owner)
    return household


def test_a_user_member_reads_their_profile():
    profile = ProfileFactory(
        birth_date=years_ago(40), sex="female", diet="vegan", avoid_allergens=["peanuts"],
        kcal_min=1600, kcal_max=1900, sodium_max_mg=2000, carbohydrate_max_g=200,
    )  # fmt: skip
    household = make_household(profile.user)
    member = household.members.get()
    assert not member.is_dependent and member.is_owner
    assert member.display_name == profile.user.username
    assert member.magnesium_target_mg == profile.magnesium_target_mg == 320
    assert member.supplement_upper_limit_mg == 350
    assert member.calorie_window == profile.calorie_window
    assert member.diet == "vegan" and member.avoid_allergens == ["peanuts"]
    assert member.sodium_max_mg == 2000 and member.carbohydrate_max_g == 200


def test_a_user_without_a_profile_gets_the_defaults():
    user = UserFactory()
    member = Member.objects.create(household=make_household(), user=user)
    assert member.magnesium_target_mg == 420
    assert member.diet == "omnivore" and member.avoid_allergens == []


def test_a_dependent_computes_from_its_own_fields():
    household = make_household()
    child = Member.objects.create(
        household=household, name="Mia", birth_date=years_ago(7), sex="female",
        diet="vegetarian", avoid_allergens=["peanuts"],
    )  # fmt: skip
    child.refresh_from_db()
    assert child.is_dependent and not child.is_owner
    assert child.age() == 7
    assert child.magnesium_target_mg == 130
    assert child.supplement_upper_limit_mg == 110
    assert child.diet == "vegetarian" and child.avoid_allergens == ["peanuts"]
    assert child.dependent_diet == "vegetarian"
    assert child.sodium_max_mg is None and child.carbohydrate_max_g is None
    assert (child.calorie_window.kcal_min, child.calorie_window.kcal_max) == (1200, 1800)
    toddler = Member(household=household, name="Tom", birth_date=years_ago(2), sex="male")
    assert toddler.calorie_window.kcal_min < 1000  # a child's window may be below the adults'
    child.kcal_min, child.kcal_max = 1300, 1500
    assert (child.calorie_window.kcal_min, child.calorie_window.kcal_max) == (1300, 1500)


def test_teen_girl_target_and_pregnancy():
    household = make_household()
    teen = Member.objects.create(
        household=household, name="Ann", birth_date=years_ago(16), sex="female",
        life_stage="pregnant",
    )  # fmt: skip
    assert teen.magnesium_target_mg == 400


def test_eats_default_exception_and_no_row():
    household = make_household()
    child = Member.objects.create(household=household, name="Mia", birth_date=years_ago(7))
    monday = date(2026, 11, 23)
    assert child.eats(monday, "lunch")  # no row: eats
    EatingPattern.objects.create(member=child, slot="lunch", weekday=None, eats=False)
    EatingPattern.objects.create(member=child, slot="lunch", weekday=5, eats=True)
    EatingPattern.objects.create(member=child, slot="snack", weekday=2, eats=False)
    assert not child.eats(monday, "lunch")
    assert child.eats(monday + timedelta(days=5), "lunch")  # Saturday exception
    assert child.eats(monday, "snack") and not child.eats(monday + timedelta(days=2), "snack")
    assert child.eats(monday, "dinner")


def test_eating_pattern_one_default_per_slot():
    from django.db import IntegrityError, transaction

    household = make_household()
    child = Member.objects.create(household=household, name="Mia", birth_date=years_ago(7))
    EatingPattern.objects.create(member=child, slot="lunch", weekday=None, eats=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        EatingPattern.objects.create(member=child, slot="lunch", weekday=None, eats=True)


def test_selectors():
    owner = ProfileFactory().user
    household = make_household(owner)
    other = UserFactory(username="aaron")
    Member.objects.create(household=household, user=other)
    Member.objects.create(household=household, name="zoe", birth_date=years_ago(5))
    Member.objects.create(household=household, name="Bea", birth_date=years_ago(9))
    assert household_for(owner) == household
    assert household_for(other) == household
    assert household_for(UserFactory()) is None
    names = [m.display_name for m in household_members(household)]
    assert names == [owner.username, "aaron", "Bea", "zoe"]
