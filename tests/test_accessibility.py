"""Every page a user sees: axe finds no serious or critical violation, and one h1 per page.

A new page joins both checks with one line in PAGES.
"""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator as token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.household_services import token_hash
from accounts.models import Invitation
from accounts.tests.factories import ProfileFactory, dependent, household_with_owner
from conftest import AXE_BLOCKING
from foods.recipe_services import RecipeData, RecipeLine, recipe_save
from foods.tests.factories import PortionFactory
from mealplan import services
from mealplan.models import EntryPortion, MealPreference, PlanEntry, PlanJob, WeekPlan
from mealplan.tests.factories import WEEK, catalog_meals, fill_week

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ANONYMOUS, USER = "anonymous", "user"

# (name, path, who looks, viewport); the path may name {week}, {week_end}, {entry}, {food},
# {meal}, {recipe}, {reset}, {dependent} and {invitation}, filled from the `site` fixture.
# Redirects are followed.
PAGES = [
    ("home, anonymous", "/", ANONYMOUS, DESKTOP),
    ("home, logged in", "/", USER, DESKTOP),
    ("sign up", "/accounts/signup/", ANONYMOUS, DESKTOP),
    ("log in", "/accounts/login/", ANONYMOUS, DESKTOP),
    ("password reset", "/accounts/password_reset/", ANONYMOUS, DESKTOP),
    ("password reset sent", "/accounts/password_reset/done/", ANONYMOUS, DESKTOP),
    ("new password", "/accounts/reset/{reset}/", ANONYMOUS, DESKTOP),
    ("new password set", "/accounts/reset/done/", ANONYMOUS, DESKTOP),
    ("password change", "/accounts/password_change/", USER, DESKTOP),
    ("delete account", "/accounts/delete/", USER, DESKTOP),
    ("profile", "/accounts/profile/", USER, DESKTOP),
    ("API tokens", "/accounts/profile/tokens/", USER, DESKTOP),
    ("paste a recipe", "/recipes/paste/", USER, DESKTOP),
    ("paste a recipe, phone", "/recipes/paste/", USER, PHONE),
    ("week, desktop", "/plan/week/{week}/", USER, DESKTOP),
    ("week, phone", "/plan/week/{week}/", USER, PHONE),
    ("week being planned, desktop", "/plan/week/{next_week}/", USER, DESKTOP),
    ("week being planned, phone", "/plan/week/{next_week}/", USER, PHONE),
    ("swap", "/plan/entries/{entry}/swap/", USER, DESKTOP),
    ("add", "/plan/week/{week}/add/?date={week}&slot=lunch", USER, DESKTOP),
    ("shopping", "/plan/shopping/?start={week}&end={week_end}", USER, DESKTOP),
    ("charts", "/plan/week/{week}/charts/", USER, DESKTOP),
    ("print", "/plan/week/{week}/print/", USER, DESKTOP),
    ("liked meals", "/plan/meals/", USER, DESKTOP),
    ("catalog foods", "/catalog/", USER, DESKTOP),
    ("food", "/catalog/foods/{food}/", USER, DESKTOP),
    ("meals", "/catalog/meals/", USER, DESKTOP),
    ("meal", "/catalog/meals/{meal}/", USER, DESKTOP),
    ("best sources", "/catalog/best/", USER, DESKTOP),
    ("import a recipe", "/recipes/import/", USER, DESKTOP),
    ("import a recipe, phone", "/recipes/import/", USER, PHONE),
    ("my recipes", "/recipes/", USER, DESKTOP),
    ("my recipes, phone", "/recipes/", USER, PHONE),
    ("new recipe", "/recipes/new/", USER, DESKTOP),
    ("new recipe, phone", "/recipes/new/", USER, PHONE),
    ("recipe", "/recipes/{recipe}/", USER, DESKTOP),
    ("edit recipe", "/recipes/{recipe}/edit/", USER, DESKTOP),
    ("delete recipe", "/plan/recipes/{recipe}/delete/", USER, DESKTOP),
    ("household", "/accounts/household/", USER, DESKTOP),
    ("household, phone", "/accounts/household/", USER, PHONE),
    ("household invite", "/accounts/household/invite/", USER, DESKTOP),
    ("household join", "/accounts/household/join/{invitation}/", USER, DESKTOP),
    ("add a dependent", "/accounts/household/dependents/new/", USER, DESKTOP),
    ("edit a dependent", "/accounts/household/members/{dependent}/edit/", USER, DESKTOP),
    ("meals at home", "/accounts/household/members/{dependent}/eating/", USER, DESKTOP),
    ("meals at home, phone", "/accounts/household/members/{dependent}/eating/", USER, PHONE),
    ("remove a member", "/accounts/household/members/{dependent}/remove/", USER, DESKTOP),
    ("hand over household", "/accounts/household/hand-over/", USER, DESKTOP),
    ("delete household", "/accounts/household/delete/", USER, DESKTOP),
    # The household's week (issue 12).
    ("household week, desktop", "/plan/household/{week}/", USER, DESKTOP),
    ("household week, phone", "/plan/household/{week}/?day={week}", USER, PHONE),
    ("household swap", "/plan/household/entries/{household_entry}/swap/", USER, DESKTOP),
    ("household shopping", "/plan/household/{week}/shopping/", USER, DESKTOP),
    ("household print", "/plan/household/{week}/print/", USER, DESKTOP),
    ("household week being planned", "/plan/household/{next_week}/", USER, DESKTOP),
    (
        "household week being planned, phone",
        "/plan/household/{next_week}/?day={next_week}",
        USER,
        PHONE,
    ),
    # What I ate (issue 13).
    ("today", "/today/?day={week}&q=food", USER, DESKTOP),
    ("today, phone", "/today/?day={week}&q=food", USER, PHONE),
    ("history", "/history/", USER, DESKTOP),
    ("history, phone", "/history/", USER, PHONE),
]


@pytest.fixture
def site(user) -> dict[str, object]:
    """A user with a profile, a planned week, a liked and a disliked meal, a household with a
    dependent; the ids PAGES use."""
    ProfileFactory(user=user, birth_date=date(1985, 1, 1), sex="male")
    meals = catalog_meals()
    plan = fill_week(user=user, week_start=WEEK, meals=meals)
    liked, disliked = meals["lunch"][0], meals["dinner"][1]
    services.meal_preference_set(user=user, meal=liked, verdict=MealPreference.Verdict.LIKE)
    services.meal_preference_set(user=user, meal=disliked, verdict=MealPreference.Verdict.DISLIKE)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    food = liked.ingredients.get().food
    PortionFactory(food=food, name="1 bowl", grams=100)
    recipe = recipe_save(
        owner=user,
        data=RecipeData(
            name="My bowl",
            slots=["lunch"],
            servings=2,
            lines=[RecipeLine(food, 200, "200 g of it")],
            not_counted=["salt to taste"],
        ),
    )
    # Planned on Tuesday: its delete page names the week.
    plan.entries.filter(date=WEEK + timedelta(days=1), slot="lunch").update(meal=recipe)
    # A household the user owns, with a dependent; an invitation to another one (its page
    # then says the user already belongs to a household).
    household = household_with_owner(user, "Home")
    child = dependent(household, "Mia", age=7, weight_kg=25, height_cm=125)
    elsewhere = household_with_owner(name="Next door")
    token = "an-invitation-token"  # made by hand: invitation_create refuses a member
    Invitation.objects.create(
        household=elsewhere,
        token_hash=token_hash(token),
        created_by=elsewhere.owner,
        invitee=user,
        expires_at=timezone.now() + timedelta(days=7),
    )
    household_entry = household_week(household, child, meals)
    # The next week is being planned in the background: its page shows the job's status.
    PlanJob.objects.create(user=user, week_start=WEEK + timedelta(days=7), kind="suggest")
    # ... and so is the household's next week, beside it.
    PlanJob.objects.create(
        user=user, household=household, week_start=WEEK + timedelta(days=7), kind="suggest"
    )
    return {
        "next_week": WEEK + timedelta(days=7),
        "dependent": child.pk,
        "invitation": token,
        "week": WEEK,
        "week_end": WEEK + timedelta(days=6),
        "entry": plan.entries.get(date=WEEK, slot="lunch").pk,
        "food": food.pk,
        "meal": liked.pk,
        "recipe": recipe.pk,
        "reset": f"{uid}/{token_generator.make_token(user)}",
        "household_entry": household_entry.pk,
    }


def household_week(household, child, meals):
    """The household's week planned, the owner 1 serving and the child ½; its Monday lunch."""
    owner = household.members.get(user=household.owner)
    plan = WeekPlan.objects.create(user=household.owner, household=household, week_start=WEEK)
    for offset, day in enumerate(plan.days):
        for slot, choices in meals.items():
            entry = PlanEntry.objects.create(
                plan=plan, date=day, slot=slot, meal=choices[offset % len(choices)], servings=1.5
            )
            EntryPortion.objects.bulk_create(
                EntryPortion(entry=entry, member=member, servings=servings)
                for member, servings in ((owner, 1), (child, 0.5))
            )
    return plan.entries.get(date=WEEK, slot="lunch")


class _H1Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.count += tag == "h1"


def h1_count(html: str) -> int:
    counter = _H1Counter()
    counter.feed(html)
    return counter.count


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "who", "viewport"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_has_exactly_one_h1(client, user, site, name, path, who, viewport):
    if who == USER:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(path.format(**site), follow=True)
    assert response.status_code == 200, name
    count = h1_count(response.content.decode())
    assert count == 1, f"{name}: {count} h1 elements"


def log_in(page, live_server, user) -> None:
    """Give the browser a session cookie, as a log-in would."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("name", "path", "who", "viewport"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_passes_axe(page, live_server, axe, user, site, name, path, who, viewport):
    if who == USER:
        log_in(page, live_server, user)
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + path.format(**site))
    assert response.status == 200, name
    found = axe(name)
    assert not [line for impact in AXE_BLOCKING for line in found[impact]], name
