"""Household pages: create, invitations, dependents, eating patterns, leave and remove, and
the privacy matrix (every household URL and POST is 404 outside the household)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.household_services import invitation_create, token_hash
from accounts.models import EatingPattern, Household, Invitation, Member
from accounts.tests.factories import ProfileFactory, UserFactory, dependent, household_with_owner

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def counts() -> tuple:
    return tuple(model.objects.count() for model in (Household, Member, Invitation, EatingPattern))


def text(response) -> str:
    return response.content.decode()


def years_ago(years: int) -> str:
    today = timezone.localdate()
    return (
        today.replace(year=today.year - years, day=min(today.day, 28)) - timedelta(days=1)
    ).isoformat()


# -- create ---------------------------------------------------------------------------------


def test_navbar_links_the_household_page(user_client):
    assert reverse("accounts:household") in text(user_client.get(reverse("home")))


def test_create_a_household_makes_the_user_owner_and_member(user, user_client):
    page = user_client.get(reverse("accounts:household"))
    assert page.status_code == 200 and "Create a household" in text(page)
    response = user_client.post(reverse("accounts:household_create"), {"name": "The Garcias"})
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.owner == user and household.name == "The Garcias"
    assert household.members.get().user == user
    assert "The Garcias" in text(user_client.get(reverse("accounts:household")))


def test_a_second_household_is_refused(user, user_client):
    household_with_owner(user)
    before = counts()
    response = user_client.post(reverse("accounts:household_create"), {"name": "Two"}, follow=True)
    assert "already belong to a household" in text(response)
    assert counts() == before


def test_a_blank_name_is_refused(user_client):
    response = user_client.post(reverse("accounts:household_create"), {"name": "   "})
    assert response.status_code == 400 and "alert-danger" in text(response)
    assert counts() == (0, 0, 0, 0)


def test_anonymous_is_sent_to_log_in(client):
    for name in ("household", "household_invite", "household_dependent_add", "household_leave"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and "login" in response.url


# -- the household page shows names, targets and windows, nothing else -----------------------


def test_members_see_names_targets_and_windows_only():
    owner = ProfileFactory(sex="male").user
    household = household_with_owner(owner, "Home")
    child = dependent(household, "Mia", age=7, diet="vegetarian", weight_kg=25, height_cm=125)
    member_profile = ProfileFactory(sex="female", weight_kg=61, height_cm=168)
    Member.objects.create(household=household, user=member_profile.user)
    page = text(client_for(member_profile.user).get(reverse("accounts:household")))
    assert "Mia" in page and owner.username in page
    assert f"{child.magnesium_target_mg} mg" in page
    window = child.calorie_window
    assert f"{window.kcal_min}&ndash;{window.kcal_max} kcal" in page
    # Nothing else of their profiles: not the child's birth date, weight, diet; no edit links.
    assert child.birth_date.isoformat() not in page and "vegetarian" not in page.lower()
    assert "25.0" not in page
    assert reverse("accounts:household_dependent_edit", args=[child.pk]) not in page
    assert reverse("accounts:household_eating", args=[child.pk]) not in page
    me = Member.objects.get(user=member_profile.user)
    assert reverse("accounts:household_eating", args=[me.pk]) in page
    owner_page = text(client_for(owner).get(reverse("accounts:household")))
    assert reverse("accounts:household_dependent_edit", args=[child.pk]) in owner_page


# -- invitations -------------------------------------------------------------------------------


def invite(owner_client, who: str):
    return owner_client.post(reverse("accounts:household_invite"), {"who": who})


def test_invite_shows_the_link_once_and_stores_only_its_hash():
    owner = ProfileFactory().user
    household_with_owner(owner)
    guest = UserFactory(email="guest@example.com")
    response = invite(client_for(owner), "GUEST@example.com")
    assert response.status_code == 200
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.invitee == guest
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    # The household page lists it, without the link.
    page = text(client_for(owner).get(reverse("accounts:household")))
    assert guest.username in page and token not in page


def test_accept_joins_the_household_and_the_link_is_single_use():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    guest = ProfileFactory().user
    _, token = invitation_create(household=household, by=owner, invitee=guest)
    guest_client = client_for(guest)
    page = guest_client.get(reverse("accounts:household_join", args=[token]))
    assert page.status_code == 200 and "Accept" in text(page)
    response = guest_client.post(reverse("accounts:household_accept", args=[token]))
    assert response.status_code == 302
    assert Member.objects.get(user=guest).household == household
    invitation = Invitation.objects.get()
    assert invitation.used_at is not None and invitation.accepted_by == guest
    # Used: a second accept (or a look) is refused, nothing changes.
    Member.objects.filter(user=guest).delete()
    before = counts()
    again = guest_client.post(reverse("accounts:household_accept", args=[token]))
    assert again.status_code == 410 and "already been used" in text(again)
    assert guest_client.get(reverse("accounts:household_join", args=[token])).status_code == 410
    assert counts() == before


def test_decline():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    guest = UserFactory()
    _, token = invitation_create(household=household, by=owner, invitee=guest)
    response = client_for(guest).post(reverse("accounts:household_decline", args=[token]))
    assert response.status_code == 302
    assert Invitation.objects.get().declined_at is not None
    assert not Member.objects.filter(user=guest).exists()
    after = client_for(guest).post(reverse("accounts:household_accept", args=[token]))
    assert after.status_code == 410 and "declined" in text(after)
    assert not Member.objects.filter(user=guest).exists()


def test_an_expired_invitation_is_refused():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    guest = UserFactory()
    invitation, token = invitation_create(household=household, by=owner, invitee=guest)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    before = counts()
    response = client_for(guest).post(reverse("accounts:household_accept", args=[token]))
    assert response.status_code == 410 and "expired" in text(response)
    assert counts() == before and Invitation.objects.get().used_at is None


@pytest.mark.parametrize("token", ["forged", "x" * 43, "A" * 500, "%00"])
def test_a_forged_invitation_is_404(token):
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    guest = UserFactory()
    invitation_create(household=household, by=owner, invitee=guest)
    before = counts()
    guest_client = client_for(guest)
    for name in ("household_join", "household_accept", "household_decline"):
        url = reverse(f"accounts:{name}", args=[token])
        response = guest_client.post(url) if name != "household_join" else guest_client.get(url)
        assert response.status_code == 404, name
        assert "not valid" in text(response)
    assert counts() == before


def test_an_invitation_for_someone_else_is_404():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    _, token = invitation_create(household=household, by=owner, invitee=UserFactory())
    stranger = client_for(UserFactory())
    before = counts()
    assert stranger.get(reverse("accounts:household_join", args=[token])).status_code == 404
    assert stranger.post(reverse("accounts:household_accept", args=[token])).status_code == 404
    assert stranger.post(reverse("accounts:household_decline", args=[token])).status_code == 404
    assert counts() == before


def test_accepting_while_in_another_household_is_refused():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    guest = UserFactory()
    _, token = invitation_create(household=household, by=owner, invitee=guest)
    household_with_owner(guest, "Theirs")  # joins another one after being invited
    before = counts()
    guest_client = client_for(guest)
    page = guest_client.get(reverse("accounts:household_join", args=[token]))
    assert "already belong to" in text(page) and "Accept</button>" not in text(page)
    response = guest_client.post(reverse("accounts:household_accept", args=[token]))
    assert response.status_code == 409 and "already belong to a household" in text(response)
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "cannot invite yourself"),
        ("member", "already a member of your household"),
        ("other", "already belongs to another household"),
        ("nobody@example.com", "No registered user"),
        ("", "This field is required"),
    ],
)
def test_bad_invitations_are_refused(who, message):
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    member = UserFactory()
    Member.objects.create(household=household, user=member)
    other_owner = UserFactory()
    household_with_owner(other_owner, "Other")
    target = {"self": owner.username, "member": member.email, "other": other_owner.username}
    before = counts()
    response = invite(client_for(owner), target.get(who, who))
    assert response.status_code == 200 and message in text(response)
    assert "alert-danger" in text(response)
    assert counts() == before


def test_only_the_owner_invites():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    member = UserFactory()
    Member.objects.create(household=household, user=member)
    response = invite(client_for(member), UserFactory().username)
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# -- dependents --------------------------------------------------------------------------------


def dependent_data(**overrides):
    data = {
        "name": "Mia",
        "birth_date": years_ago(7),
        "sex": "female",
        "life_stage": "none",
        "dependent_diet": "vegetarian",
        "avoid_allergens": ["peanuts"],
        "weight_kg": "25",
        "height_cm": "125",
        "activity": "active",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_add_and_edit_a_dependent():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    owner_client = client_for(owner)
    assert owner_client.get(reverse("accounts:household_dependent_add")).status_code == 200
    response = owner_client.post(reverse("accounts:household_dependent_add"), dependent_data())
    assert response.status_code == 302
    mia = Member.objects.get(name="Mia")
    assert mia.household == household and mia.is_dependent
    assert mia.diet == "vegetarian" and mia.avoid_allergens == ["peanuts"]
    assert mia.magnesium_target_mg == 130
    assert "Estimated Energy Requirement" in mia.calorie_window.basis
    edit = reverse("accounts:household_dependent_edit", args=[mia.pk])
    page = owner_client.get(edit)
    assert page.status_code == 200 and "130 mg" in text(page)
    response = owner_client.post(
        edit, dependent_data(name="Mia R.", avoid_allergens=[], kcal_min="1400", kcal_max="1700")
    )
    assert response.status_code == 302
    mia.refresh_from_db()
    assert mia.name == "Mia R." and mia.avoid_allergens == []
    assert (mia.calorie_window.kcal_min, mia.calorie_window.kcal_max) == (1400, 1700)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_date": years_ago(0)}, "Infants (under 1 year) do not eat from a meal plan"),
        ({"birth_date": years_ago(121)}, "over 120"),
        ({"birth_date": "2999-01-01"}, "between the years 1900 and 2200"),
        (
            {"birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "cannot be in the future",
        ),
        ({"name": "  "}, "This field is required"),
        ({"sex": ""}, "This field is required"),
        ({"sex": "male", "life_stage": "pregnant"}, "apply only with sex female"),
        ({"weight_kg": None}, "Give the weight too"),
        ({"weight_kg": "2"}, "greater than or equal to 5"),
        ({"kcal_min": "900"}, "Give both ends"),
        ({"kcal_min": "100", "kcal_max": "900"}, "between 500 and 5000"),
        ({"kcal_min": "1500", "kcal_max": "1400"}, "must not be below"),
        ({"kcal_min": "1500", "kcal_max": "1550"}, "Leave at least 200 kcal"),
        ({"life_stage": "lactating"}, "apply from 14 years"),
        (
            {"birth_date": years_ago(40), "kcal_min": "600", "kcal_max": "900"},
            "between 1000 and 5000",
        ),
        ({"avoid_allergens": ["bogus"]}, "Select a valid choice"),
        ({"dependent_diet": "carnivore"}, "Select a valid choice"),
    ],
)
def test_bad_dependents_are_refused(overrides, message):
    owner = ProfileFactory().user
    household_with_owner(owner)
    before = counts()
    response = client_for(owner).post(
        reverse("accounts:household_dependent_add"), dependent_data(**overrides)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert counts() == before


def test_a_bad_edit_saves_nothing():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    mia = dependent(household, "Mia", age=7)
    before = Member.objects.filter(pk=mia.pk).values().get()
    response = client_for(owner).post(
        reverse("accounts:household_dependent_edit", args=[mia.pk]),
        dependent_data(name="Changed", birth_date=years_ago(0)),
    )
    assert response.status_code == 400 and "Infants" in text(response)
    assert Member.objects.filter(pk=mia.pk).values().get() == before


def test_a_user_member_is_not_edited_as_a_dependent():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    member = Member.objects.create(household=household, user=UserFactory())
    url = reverse("accounts:household_dependent_edit", args=[member.pk])
    assert client_for(owner).get(url).status_code == 404


# -- eating patterns ---------------------------------------------------------------------------


def grid_data(**cells):
    data = {}
    for slot in ("breakfast", "lunch", "dinner", "snack"):
        data[f"{slot}-all"] = "eats"
        for weekday in range(7):
            data[f"{slot}-{weekday}"] = ""
    data.update(cells)
    return data


def test_eating_pattern_grid():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    mia = dependent(household, "Mia", age=7)
    url = reverse("accounts:household_eating", args=[mia.pk])
    owner_client = client_for(owner)
    assert owner_client.get(url).status_code == 200
    # School lunch on weekdays: out every day, eats on Saturday and Sunday; no snack on Wednesday.
    data = grid_data(**{"lunch-all": "out", "lunch-5": "eats", "lunch-6": "eats", "snack-2": "out",
                        "dinner-3": "eats"})  # fmt: skip
    assert owner_client.post(url, data).status_code == 302
    rows = set(EatingPattern.objects.filter(member=mia).values_list("slot", "weekday", "eats"))
    # Dinner on Thursday "eats" is the default: not stored.
    assert rows == {("lunch", None, False), ("lunch", 5, True), ("lunch", 6, True),
                    ("snack", 2, False)}  # fmt: skip
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    mia = Member.objects.get(pk=mia.pk)
    assert not mia.eats(monday, "lunch") and mia.eats(monday + timedelta(days=5), "lunch")
    assert not mia.eats(monday + timedelta(days=2), "snack") and mia.eats(monday, "snack")
    # The page shows what is stored.
    page = text(owner_client.get(url))
    assert 'name="lunch-all"' in page and '<option value="out" selected>' in page
    # Back to every meal at home.
    assert owner_client.post(url, grid_data()).status_code == 302
    assert not EatingPattern.objects.filter(member=mia).exists()


@pytest.mark.parametrize(
    "cells",
    [{"lunch-all": "maybe"}, {"lunch-all": ""}, {"snack-3": "sometimes"}, {"dinner-0": "x" * 5000}],
)
def test_bad_eating_patterns_save_nothing(cells):
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    mia = dependent(household, "Mia", age=7)
    EatingPattern.objects.create(member=mia, slot="lunch", weekday=None, eats=False)
    before = counts()
    response = client_for(owner).post(
        reverse("accounts:household_eating", args=[mia.pk]), grid_data(**cells)
    )
    assert response.status_code == 400 and "alert-danger" in text(response)
    assert counts() == before
    assert EatingPattern.objects.get(member=mia).eats is False


def test_a_member_sets_their_own_pattern_not_anothers():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    mia = dependent(household, "Mia", age=7)
    user = UserFactory()
    me = Member.objects.create(household=household, user=user)
    member_client = client_for(user)
    own = reverse("accounts:household_eating", args=[me.pk])
    assert member_client.post(own, grid_data(**{"snack-all": "out"})).status_code == 302
    assert EatingPattern.objects.filter(member=me, slot="snack", eats=False).exists()
    theirs = reverse("accounts:household_eating", args=[mia.pk])
    assert member_client.post(theirs, grid_data(**{"snack-all": "out"})).status_code == 403
    assert not EatingPattern.objects.filter(member=mia).exists()


# -- leave and remove --------------------------------------------------------------------------


def test_a_member_leaves_and_the_owner_cannot():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    user = UserFactory()
    Member.objects.create(household=household, user=user)
    member_client = client_for(user)
    assert member_client.get(reverse("accounts:household_leave")).status_code == 200
    assert member_client.post(reverse("accounts:household_leave")).status_code == 302
    assert not Member.objects.filter(user=user).exists()
    before = counts()
    response = client_for(owner).post(reverse("accounts:household_leave"), follow=True)
    assert "hand it over or delete it" in text(response)
    assert counts() == before


def test_the_owner_removes_members_but_not_themself():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    mia = dependent(household, "Mia", age=7)
    user = UserFactory()
    member = Member.objects.create(household=household, user=user)
    owner_client = client_for(owner)
    for target in (mia, member):
        url = reverse("accounts:household_member_remove", args=[target.pk])
        assert owner_client.get(url).status_code == 200
        assert owner_client.post(url).status_code == 302
        assert not Member.objects.filter(pk=target.pk).exists()
    assert user.__class__.objects.filter(pk=user.pk).exists()
    own = Member.objects.get(user=owner)
    before = counts()
    response = owner_client.post(
        reverse("accounts:household_member_remove", args=[own.pk]), follow=True
    )
    assert "hand it over or delete it" in text(response)
    assert counts() == before


def test_the_owner_deletes_the_household_members_keep_accounts():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    dependent(household, "Mia", age=7)
    user = UserFactory()
    Member.objects.create(household=household, user=user)
    assert client_for(owner).post(reverse("accounts:household_delete")).status_code == 302
    assert counts()[:2] == (0, 0)
    assert user.__class__.objects.filter(pk=user.pk).exists()


def test_hand_over_to_an_adult_member():
    owner = ProfileFactory().user
    household = household_with_owner(owner)
    teen = ProfileFactory(
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 15)
    ).user
    adult = ProfileFactory().user
    teen_member = Member.objects.create(household=household, user=teen)
    adult_member = Member.objects.create(household=household, user=adult)
    mia = dependent(household, "Mia", age=7)
    owner_client = client_for(owner)
    url = reverse("accounts:household_hand_over")
    page = text(owner_client.get(url))
    assert adult.username in page and teen.username not in page
    for bad in (teen_member.pk, mia.pk, Member.objects.get(user=owner).pk, "abc", ""):
        response = owner_client.post(url, {"heir": bad})
        assert response.status_code == 400 and "alert-danger" in text(response)
        assert Household.objects.get().owner == owner
    assert owner_client.post(url, {"heir": adult_member.pk}).status_code == 302
    household.refresh_from_db()
    assert household.owner == adult
    assert Member.objects.filter(user=owner, household=household).exists()


# -- privacy matrix: two households -------------------------------------------------------------


@pytest.fixture
def two_households():
    owner_a = ProfileFactory().user
    a = household_with_owner(owner_a, "A")
    member_a = UserFactory()
    Member.objects.create(household=a, user=member_a)
    child_a = dependent(a, "Mia", age=7)
    owner_b = ProfileFactory().user
    b = household_with_owner(owner_b, "B")
    child_b = dependent(b, "Ben", age=9)
    return {
        "a": a, "owner_a": owner_a, "member_a": member_a, "child_a": child_a,
        "b": b, "owner_b": owner_b, "child_b": child_b, "outsider": UserFactory(),
    }  # fmt: skip


MEMBER_URLS = ("household_dependent_edit", "household_eating", "household_member_remove")


def test_member_ids_of_another_household_are_404(two_households):
    world = two_households
    snapshot = list(Member.objects.values()), list(EatingPattern.objects.values())
    targets = [world["child_a"], Member.objects.get(user=world["member_a"]),
               Member.objects.get(user=world["owner_a"])]  # fmt: skip
    for who in ("owner_b", "outsider"):
        client = client_for(world[who])
        for target in targets:
            for name in MEMBER_URLS:
                url = reverse(f"accounts:{name}", args=[target.pk])
                assert client.get(url).status_code == 404, (who, name)
                response = client.post(url, {**dependent_data(), **grid_data(), "name": "X"})
                assert response.status_code == 404, (who, name)
    assert (list(Member.objects.values()), list(EatingPattern.objects.values())) == snapshot


def test_household_pages_are_404_to_users_without_one(two_households):
    client = client_for(two_households["outsider"])
    before = counts()
    for name in ("household_invite", "household_dependent_add", "household_leave",
                 "household_hand_over", "household_delete"):  # fmt: skip
        url = reverse(f"accounts:{name}")
        assert client.get(url).status_code == 404, name
        assert client.post(url, {**dependent_data(), "who": "x", "heir": "1"}).status_code == 404
    assert counts() == before


def test_owner_only_actions_are_403_to_members(two_households):
    world = two_households
    client = client_for(world["member_a"])
    before = counts()
    for name in ("household_invite", "household_dependent_add", "household_hand_over",
                 "household_delete"):  # fmt: skip
        url = reverse(f"accounts:{name}")
        assert client.get(url).status_code == 403, name
        assert client.post(url, {**dependent_data(), "who": "x"}).status_code == 403, name
    for name in MEMBER_URLS:
        url = reverse(f"accounts:{name}", args=[world["child_a"].pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {**dependent_data(), **grid_data()}).status_code == 403, name
    assert counts() == before


def test_each_household_page_shows_only_its_own_members(two_households):
    world = two_households
    page_b = text(client_for(world["owner_b"]).get(reverse("accounts:household")))
    assert "Ben" in page_b and "Mia" not in page_b and world["owner_a"].username not in page_b
    page_a = text(client_for(world["member_a"]).get(reverse("accounts:household")))
    assert "Mia" in page_a and "Ben" not in page_a


@pytest.mark.parametrize("member_id", ["999999999", "999999999999999999999"])
def test_unknown_member_ids_are_404(two_households, member_id):
    client = client_for(two_households["owner_a"])
    for page in ("edit", "eating", "remove"):
        url = f"/accounts/household/members/{member_id}/{page}/"
        assert client.get(url).status_code == 404, url
        assert client.post(url, grid_data()).status_code == 404, url


def test_an_adult_dependent_and_a_toddlers_own_window():
    owner = ProfileFactory().user
    household_with_owner(owner)
    client = client_for(owner)
    url = reverse("accounts:household_dependent_add")
    grandma = dependent_data(name="Grandma", birth_date=years_ago(82), life_stage="none",
                             weight_kg="60", height_cm="160", activity="sedentary")  # fmt: skip
    assert client.post(url, grandma).status_code == 302
    toddler = dependent_data(name="Tom", birth_date=years_ago(1), weight_kg=None, height_cm=None,
                             kcal_min="600", kcal_max="900")  # fmt: skip
    assert client.post(url, toddler).status_code == 302
    members = {m.name: m for m in Member.objects.filter(user=None)}
    assert "Mifflin" in members["Grandma"].calorie_window.basis
    assert members["Grandma"].magnesium_target_mg == 320
    assert members["Tom"].magnesium_target_mg == 80
    assert (members["Tom"].calorie_window.kcal_min, members["Tom"].calorie_window.kcal_max) == (
        600,
        900,
    )
