"""The owner's data: dependents in the owner's "My data"; deleting the owner's account asks
what becomes of the household (hand it over, or delete it with its dependents)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.household_services import household_handed_over, invitation_create
from accounts.models import EatingPattern, Household, Member, User
from accounts.tests.factories import ProfileFactory, UserFactory, dependent, household_with_owner

pytestmark = pytest.mark.django_db
PASSWORD = "Magnesium-420-mg!"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def home():
    owner = ProfileFactory().user
    household = household_with_owner(owner, "Home")
    mia = dependent(household, "Mia", age=7, diet="vegetarian", avoid_allergens=["peanuts"])
    EatingPattern.objects.create(member=mia, slot="lunch", weekday=None, eats=False)
    adult = ProfileFactory().user
    adult_member = Member.objects.create(household=household, user=adult)
    return {"owner": owner, "household": household, "mia": mia, "adult": adult,
            "adult_member": adult_member}  # fmt: skip


def my_data(user) -> dict:
    response = client_for(user).get(reverse("mealplan:my_data"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_dependents_are_in_the_owners_export(home):
    data = my_data(home["owner"])["household"]
    assert data["name"] == "Home" and data["role"] == "owner"
    mia = next(m for m in data["members"] if m["name"] == "Mia")
    assert mia["kind"] == "dependent" and mia["diet"] == "vegetarian"
    assert mia["avoid_allergens"] == ["peanuts"] and mia["birth_date"]
    assert mia["eating_pattern"] == [{"slot": "lunch", "weekday": None, "eats": False}]
    adult = next(m for m in data["members"] if m["kind"] == "member")
    assert set(adult) == {"name", "kind", "eating_pattern"}  # nothing of their profile


def test_a_member_export_holds_no_dependent(home):
    data = my_data(home["adult"])["household"]
    assert data == {
        "name": "Home",
        "role": "member",
        "joined_at": data["joined_at"],
        "eating_pattern": [],
    }
    assert my_data(UserFactory())["household"] is None


def test_delete_page_asks_about_the_household(home):
    page = client_for(home["owner"]).get(reverse("accounts:delete_account")).content.decode()
    assert "You own the household" in page
    assert f"Hand it over to {home['adult_member'].display_name}" in page
    assert "Delete it with its dependents" in page


def test_deleting_the_owner_hands_the_household_over(home):
    moved = []

    def note(**kwargs):
        moved.append(kwargs["new_owner"])

    household_handed_over.connect(note, weak=False)
    try:
        response = client_for(home["owner"]).post(
            reverse("accounts:delete_account"),
            {"password": PASSWORD, "household": str(home["adult_member"].pk)},
        )
    finally:
        household_handed_over.disconnect(note)  # only ours: mealplan's receiver stays
    assert response.status_code == 302
    assert not User.objects.filter(pk=home["owner"].pk).exists()
    household = Household.objects.get()
    assert household.owner == home["adult"]
    assert Member.objects.filter(pk=home["mia"].pk, household=household).exists()
    assert set(household.members.values_list("user", flat=True)) == {None, home["adult"].pk}
    assert moved == [home["adult"]]


def test_deleting_the_owner_can_delete_the_household_with_its_dependents(home):
    response = client_for(home["owner"]).post(
        reverse("accounts:delete_account"), {"password": PASSWORD, "household": "delete"}
    )
    assert response.status_code == 302
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not EatingPattern.objects.exists()
    assert User.objects.filter(pk=home["adult"].pk).exists()


@pytest.mark.parametrize("choice", [None, "", "bogus", "999999", "mia", "other"])
def test_deleting_the_owner_without_a_valid_choice_deletes_nothing(home, choice):
    other = household_with_owner(ProfileFactory().user, "Other")
    other_adult = Member.objects.create(household=other, user=ProfileFactory().user)
    values = {"mia": str(home["mia"].pk), "other": str(other_adult.pk)}
    data = {"password": PASSWORD}
    if choice is not None:
        data["household"] = values.get(choice, choice)
    users, members = User.objects.count(), Member.objects.count()
    response = client_for(home["owner"]).post(reverse("accounts:delete_account"), data)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert (User.objects.count(), Member.objects.count()) == (users, members)
    assert Household.objects.get(name="Home").owner == home["owner"]


def test_no_adult_heir_offers_only_deletion():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    dependent(household, "Mia", age=7)
    teen = ProfileFactory(birth_date=None).user  # no birth date: not known to be an adult
    Member.objects.create(household=household, user=teen)
    page = client_for(owner).get(reverse("accounts:delete_account")).content.decode()
    assert "Hand it over" not in page and "Delete it with its dependents" in page


def test_an_owner_alone_is_not_asked_and_the_household_goes(home):
    owner = ProfileFactory().user
    household = household_with_owner(owner, "Alone")
    invitation_create(household=household, by=owner, invitee=UserFactory())
    client = client_for(owner)
    assert (
        "You own the household"
        not in client.get(reverse("accounts:delete_account")).content.decode()
    )
    assert (
        client.post(reverse("accounts:delete_account"), {"password": PASSWORD}).status_code == 302
    )
    assert not Household.objects.filter(name="Alone").exists()


def test_a_member_deleting_their_account_leaves_the_household(home):
    response = client_for(home["adult"]).post(
        reverse("accounts:delete_account"), {"password": PASSWORD}
    )
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.owner == home["owner"] and household.members.count() == 2


def test_the_household_export_reads_a_constant_number_of_rows(home, django_assert_num_queries):
    from accounts.selectors import household_export

    owner = User.objects.get(pk=home["owner"].pk)
    with django_assert_num_queries(4):
        household_export(owner)
    for name in ("Ann", "Bo", "Cy"):
        child = dependent(home["household"], name, age=9)
        EatingPattern.objects.create(member=child, slot="snack", weekday=2, eats=False)
    with django_assert_num_queries(4):
        assert len(household_export(owner)["members"]) == 6
