"""Every form and POST endpoint against malformed values: a 4xx or a clear message, and an
unchanged database (row counts and a checksum of the user's data before and after)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from accounts import throttle
from accounts.models import EatingPattern, Household, Member, Profile
from accounts.tests.factories import ProfileFactory, UserFactory, dependent, household_with_owner
from foods.models import Meal
from foods.recipe_services import RecipeData, RecipeLine, recipe_save
from foods.tests.factories import meal_with
from mealplan.models import EntryPortion, IntakeItem, PlanEntry, WeekPlan
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 23)
HUGE = "9" * 40
LONG = "x" * 10_000
NUMBER_BAD = ["-1", "abc", "1e400", HUGE, LONG, "NaN", "Infinity", "0x10", "1,5"]
# The last two are real dates whose neighbours (a week on, a day back) overflow Python's date.
DATE_BAD = ["2026-13-45", "yesterday", "0000-00-00", "31/12/2026", LONG, "-1", "0001-01-01",
            "9999-12-31"]  # fmt: skip
CHOICE_BAD = ["bogus", LONG, "0", "<script>"]
ID_BAD = ["-1", "abc", "999999999", HUGE, LONG, "1.5"]
# str.isdigit() says yes to these, int() says no: an id check must not trust isdigit.
ODD_DIGITS = ["²", "①", "٣" * 40]
ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", "alert-warning")


@dataclass
class Endpoint:
    name: str
    url: str
    valid: dict
    fields: dict[str, list[str]]
    required: set[str] = field(default_factory=set)
    anonymous: bool = False


def snapshot(user) -> tuple:
    """Row counts of every model of ours, and a checksum of the user's own data."""
    counts = tuple(
        (model._meta.label, model.objects.count())
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "foods", "mealplan"}
    )
    profile = Profile.objects.filter(user=user).values().first() or {}
    profile.pop("updated_at", None)
    entries = sorted(
        PlanEntry.objects.filter(plan__user=user).values_list(
            "pk", "date", "slot", "meal_id", "servings", "locked"
        )
    )
    plans = sorted(WeekPlan.objects.filter(user=user).values_list("pk", "week_start", "seed"))
    household = (
        sorted(map(repr, Household.objects.filter(owner=user).values())),
        sorted(map(repr, Member.objects.filter(household__owner=user).values())),
        sorted(map(repr, EatingPattern.objects.filter(member__household__owner=user).values())),
    )
    user.refresh_from_db()
    digest = hashlib.sha256(
        repr(
            (sorted(profile.items()), entries, plans, household, user.password, user.email)
        ).encode()
    ).hexdigest()
    return counts, digest


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    """This matrix is about validation: let every case reach the form (tested apart)."""
    unlimited = throttle.RateLimit("unlimited", per_address=10**6, per_email=10**6, window_s=60)
    monkeypatch.setattr(throttle, "SIGNUP_LIMIT", unlimited)
    monkeypatch.setattr(throttle, "PASSWORD_RESET_LIMIT", unlimited)


@pytest.fixture
def world(user, other_user):
    profile = ProfileFactory(user=user, birth_date=date(1985, 1, 1), sex="male")
    ProfileFactory(user=other_user, birth_date=date(1990, 1, 1), sex="female")
    meals = {
        slot: [
            meal_with(slots=(slot,), kcal_per_100g=kcal + i, magnesium_mg_per_100g=magnesium + i)
            for i in range(5)
        ]
        for slot, kcal, magnesium in [
            ("breakfast", 450, 110),
            ("lunch", 650, 120),
            ("dinner", 700, 130),
            ("snack", 200, 60),
        ]
    }
    fill_week(user=user, week_start=WEEK, meals=meals)
    fill_week(user=other_user, week_start=WEEK, meals=meals)
    own = PlanEntry.objects.filter(plan__user=user, slot="lunch").first()
    foreign = PlanEntry.objects.filter(plan__user=other_user, slot="lunch").first()
    food = own.meal.ingredients.first().food
    recipes = {
        owner: recipe_save(
            owner=owner,
            data=RecipeData(
                name="Lentil soup", slots=["lunch"], servings=2, lines=[RecipeLine(food, 300)]
            ),
        )
        for owner in (user, other_user)
    }
    # A household each, with a dependent; someone free to invite.
    household = household_with_owner(user, "Home")
    foreign_household = household_with_owner(other_user, "Next door")
    mia = dependent(household, "Mia", age=7)
    return {
        "household": household,
        "dependent": mia,
        "foreign_dependent": dependent(foreign_household, "Ben", age=9),
        "foreign_member": Member.objects.get(user=other_user),
        "free_user": UserFactory(username="free"),
        "profile": profile,
        "own": own,
        "foreign": foreign,
        "recipe": recipes[user],
        "foreign_recipe": recipes[other_user],
        **household_week_world(household, mia, meals),
    }


def household_week_world(household, child, meals) -> dict:
    """The household's week with one shared lunch: the owner 1 serving, the child ½."""
    owner = household.members.get(user=household.owner)
    plan = WeekPlan.objects.create(user=household.owner, household=household, week_start=WEEK)
    entry = PlanEntry.objects.create(
        plan=plan, date=WEEK, slot="lunch", meal=meals["lunch"][0], servings="1.5"
    )
    EntryPortion.objects.create(entry=entry, member=owner, servings=1)
    EntryPortion.objects.create(entry=entry, member=child, servings="0.5")
    return {"household_entry": entry, "owner_member": owner, "child": child}


def recipe_endpoint(name: str, url: str, food_id: int) -> Endpoint:
    """The recipe form (new or edit): the recipe and one ingredient line."""
    return Endpoint(
        name,
        url,
        valid={
            "name": "Bean bowl",
            "slots": "lunch",
            "servings": "2",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-food": food_id,
            "lines-0-amount": "150",
            "lines-0-unit": "g",
            "save": "1",
        },
        fields={
            "name": [LONG, "   "],
            "slots": CHOICE_BAD,
            "servings": NUMBER_BAD + ["0", "101", "2.5"],
            "lines-TOTAL_FORMS": ["abc", "-1", HUGE],
            "lines-0-food": ID_BAD,
            "lines-0-amount": NUMBER_BAD + ["0", "lots", "1000000000", "10^9", "1/0"],
            "lines-0-unit": CHOICE_BAD + ["handful", "portion-1"],
            "not_counted": [LONG],
            "instructions": [LONG * 3],
        },
        required={"name", "slots", "servings", "lines-0-food", "lines-0-amount"},
    )


def endpoints(world) -> list[Endpoint]:
    own, foreign, recipe = world["own"], world["foreign"], world["recipe"]
    food_id = own.meal.ingredients.first().food_id
    week = WEEK.isoformat()
    add_url = reverse("mealplan:add_entry", args=[WEEK]) + f"?date={week}&slot=lunch"
    return [
        Endpoint(
            "profile",
            reverse("accounts:profile"),
            valid={
                "birth_date": "1985-01-01",
                "sex": "male",
                "life_stage": "none",
                "diet": "omnivore",
                "activity": "sedentary",
                "breakfast_at": "08:00",
                "lunch_at": "12:30",
                "dinner_at": "19:00",
                "snack_at": "16:00",
                "time_zone": "America/New_York",
            },
            fields={
                "birth_date": DATE_BAD + ["2099-01-01", "1850-01-01"],
                "sex": CHOICE_BAD,
                "life_stage": CHOICE_BAD,
                "diet": CHOICE_BAD,
                "activity": CHOICE_BAD,
                "avoid_allergens": CHOICE_BAD,
                "weight_kg": NUMBER_BAD + ["0", "1000"],
                "height_cm": NUMBER_BAD + ["10", "999"],
                "kcal_min": NUMBER_BAD + ["999", "5001"],
                "kcal_max": NUMBER_BAD + ["999", "5001"],
                "carbohydrate_max_g": NUMBER_BAD + ["5"],
                "sodium_max_mg": NUMBER_BAD + ["50"],
                "magnesium_target_override_mg": NUMBER_BAD + ["99", "1001"],
                "breakfast_at": ["25:00", "noon", LONG, "-1"],
                "time_zone": CHOICE_BAD + ["Mars/Olympus", "america/new_york"],
                "plan_from": CHOICE_BAD,
            },
            required={
                "birth_date",
                "sex",
                "diet",
                "life_stage",
                "activity",
                "breakfast_at",
                "time_zone",
            },
        ),  # fmt: skip
        Endpoint(
            "signup",
            reverse("accounts:signup"),
            valid={
                "username": "newcomer",
                "email": "new@example.com",
                "password1": "Sunflower-seeds-88",
                "password2": "Sunflower-seeds-88",
            },
            fields={
                "username": [LONG, "bad name!", "a" * 151],
                "email": [LONG, "no-at-sign", "a@b"],
                "password1": ["short", "12345678", LONG],
            },
            required={"username", "email", "password1", "password2"},
            anonymous=True,
        ),  # fmt: skip
        Endpoint(
            "password reset",
            reverse("password_reset"),
            valid={"email": "new@example.com"},
            fields={"email": [LONG, "no-at-sign", "a@b", "<script>@x"]},
            required={"email"},
            anonymous=True,
        ),
        Endpoint(
            "password change",
            reverse("password_change"),
            valid={
                "old_password": "Magnesium-420-mg!",
                "new_password1": "Brown-rice-bowl-55",
                "new_password2": "Brown-rice-bowl-55",
            },
            fields={"old_password": ["wrong", LONG], "new_password1": ["short", LONG]},
            required={"old_password", "new_password1", "new_password2"},
        ),  # fmt: skip
        # A valid paste keeps a draft in the session and writes nothing; the review's POSTs
        # are in foods/tests/test_recipe_review.py (its key lives in one session).
        Endpoint(
            "paste a recipe",
            reverse("recipes:paste"),
            valid={
                "name": "Rice bowl",
                "servings": "2",
                "slots": ["lunch"],
                "ingredients": "2 cups cooked brown rice\n30 g almonds",
            },
            fields={
                "name": [LONG, "   "],
                "servings": NUMBER_BAD + ["0", "101", "1.5"],
                "slots": CHOICE_BAD,
                "ingredients": [LONG, "x" * 40_000, "\n \n", "1 g salt\n" * 101],
            },
            required={"name", "servings", "slots", "ingredients"},
        ),
        Endpoint(
            "servings",
            reverse("mealplan:entry_servings", args=[own.pk]),
            valid={"servings": "2"},
            fields={"servings": NUMBER_BAD + ["0", "0.25", "4.5", "10", "1.3"]},
            required={"servings"},
        ),
        Endpoint(
            "swap",
            reverse("mealplan:entry_swap", args=[own.pk]),
            valid={"meal": own.meal_id},
            fields={"meal": ID_BAD + ODD_DIGITS + [str(foreign.pk + 10**6)]},
            required={"meal"},
        ),
        Endpoint(
            "add entry",
            add_url,
            valid={"date": week, "slot": "lunch", "meal": own.meal_id, "servings": "1"},
            fields={
                "date": DATE_BAD + ["2020-01-01"],
                "slot": CHOICE_BAD,
                "meal": ID_BAD + ODD_DIGITS,
                "servings": NUMBER_BAD + ["0", "5", "2.7"],
            },
            required={"date", "slot", "meal", "servings"},
        ),
        Endpoint(
            "add food",
            reverse("mealplan:add_food", args=[WEEK]),
            valid={"date": week, "food": own.meal.ingredients.first().food_id, "amount": "30"},
            fields={
                "date": DATE_BAD + ["2020-01-01"],
                "food": ID_BAD,
                "portion": ID_BAD,
                "amount": NUMBER_BAD + ["0", "5001"],
            },
            required={"date", "food", "amount"},
        ),
        Endpoint(
            "copy week",
            reverse("mealplan:week_copy", args=[WEEK]),
            valid={"source": "2026-11-16"},
            fields={"source": DATE_BAD + [week]},
            required={"source"},
        ),
        # Suggest, Regenerate, Clear and its Undo take no value that can be wrong (a checkbox
        # at most); they are here for the CSRF sweep.
        Endpoint(
            "suggest",
            reverse("mealplan:suggest", args=[WEEK]),
            valid={"include_past": "on"},
            fields={},
        ),
        Endpoint(
            "regenerate",
            reverse("mealplan:regenerate", args=[WEEK]),
            valid={"include_past": "on"},
            fields={},
        ),
        Endpoint(
            "clear week",
            reverse("mealplan:week_clear", args=[WEEK]),
            valid={"include_locked": "on"},
            fields={},
        ),
        Endpoint(
            "undo clear", reverse("mealplan:week_clear_undo", args=[WEEK]), valid={}, fields={}
        ),
        Endpoint(
            "meal preference",
            reverse("mealplan:meal_preference", args=[own.meal_id]),
            valid={"verdict": "dislike", "week": week},
            fields={"verdict": CHOICE_BAD + ["1", "-1"], "week": DATE_BAD},
            required={"verdict"},
        ),
        Endpoint(
            "delete account",
            reverse("accounts:delete_account"),
            valid={"password": "Magnesium-420-mg!", "household": "delete"},
            fields={
                "password": ["wrong", LONG, "magnesium-420-mg!"],
                "household": CHOICE_BAD
                + [str(world["foreign_member"].pk), str(world["dependent"].pk)],
            },
            required={"password", "household"},
        ),  # fmt: skip
        Endpoint(
            "shopping tick",
            reverse("mealplan:shopping_tick"),
            valid={
                "start": week,
                "end": "2026-11-29",
                "food": own.meal.ingredients.first().food_id,
                "ticked": "true",
            },
            fields={
                "start": DATE_BAD + ["2026-12-30"],
                "end": DATE_BAD + ["2027-06-01"],
                "food": ID_BAD,
                "ticked": CHOICE_BAD,
            },
            required={"start", "end", "food"},
        ),  # fmt: skip
        # Recipe import: every bad address is refused before any connection (the URLs name
        # IP addresses or no host, so nothing is looked up either).
        Endpoint(
            "import url",
            reverse("recipes:import_url"),
            valid={"url-url": "http://10.0.0.1/recipe"},
            fields={
                "url-url": [
                    "http://127.0.0.1/",
                    "http://[::1]/",
                    "http://169.254.169.254/latest/",
                    "file:///etc/passwd",
                    "ftp://10.0.0.1/",
                    "javascript:alert(1)",
                    "not a url",
                    LONG,
                    "<script>",
                ]
            },
            required={"url-url"},
        ),
        Endpoint(
            "import html",
            reverse("recipes:import_html"),
            valid={"html-html": "<p>no recipe here</p>"},
            fields={
                "html-html": [LONG, "<script>", "{}"],
                "html-source_url": ["javascript:alert(1)", LONG],
            },
            required={"html-html"},
        ),
        # A file field takes no string; posting none, or an empty value, must be refused.
        Endpoint(
            "import file",
            reverse("recipes:import_file"),
            valid={"file-file": "not a file"},
            fields={},
            required={"file-file"},
        ),
        Endpoint(
            "import confirm",
            reverse("recipes:import_confirm"),
            valid={"action": "import"},
            fields={},
        ),
        recipe_endpoint("new recipe", reverse("recipes:create"), food_id),
        recipe_endpoint("edit recipe", reverse("recipes:edit", args=[recipe.pk]), food_id),
        # Delete and Copy take no value; here for the CSRF sweep.
        Endpoint("delete recipe", reverse("mealplan:recipe_delete", args=[recipe.pk]), {}, {}),
        Endpoint("copy meal", reverse("recipes:copy", args=[own.meal_id]), {}, {}),
        *household_endpoints(world),
        *household_week_endpoints(world),
        *intake_endpoints(world),
    ]


def dependent_endpoint(name: str, url: str) -> Endpoint:
    return Endpoint(
        name,
        url,
        valid={
            "name": "Sam",
            "birth_date": "2018-05-01",
            "sex": "male",
            "life_stage": "none",
            "dependent_diet": "omnivore",
            "activity": "active",
            "weight_kg": "25",
            "height_cm": "125",
        },
        fields={
            "name": [LONG, "   "],
            # under 1 year, over 120, in the future
            "birth_date": DATE_BAD + [date.today().isoformat(), "1900-01-01", "2099-01-01"],
            "sex": CHOICE_BAD,
            "life_stage": CHOICE_BAD + ["pregnant"],
            "dependent_diet": CHOICE_BAD,
            "avoid_allergens": CHOICE_BAD,
            "activity": CHOICE_BAD,
            "weight_kg": NUMBER_BAD + ["0", "1000", "4"],
            "height_cm": NUMBER_BAD + ["10", "999"],
            "kcal_min": NUMBER_BAD + ["499", "5001"],
            "kcal_max": NUMBER_BAD + ["499", "5001"],
        },
        required={"name", "birth_date", "sex", "life_stage", "dependent_diet", "activity"},
    )


def household_endpoints(world) -> list[Endpoint]:
    """Households (issue 12): every form, and the POSTs that take no value (CSRF sweep)."""
    mia, foreign = world["dependent"], world["foreign_dependent"]
    grid = {f"{slot}-all": "eats" for slot in ("breakfast", "lunch", "dinner", "snack")}
    return [
        Endpoint(
            "create household",
            reverse("accounts:household_create"),
            valid={"name": "Second home"},  # refused: the user already belongs to one
            fields={"name": [LONG, "   "]},
            required={"name"},
        ),
        Endpoint(
            "invite",
            reverse("accounts:household_invite"),
            valid={"who": "free"},
            fields={
                "who": [
                    LONG,
                    "   ",
                    "nobody",
                    "nobody@example.com",
                    world["profile"].user.username,
                    world["foreign_member"].user.username,
                    "Mia",
                ],
            },
            required={"who"},
        ),  # fmt: skip
        dependent_endpoint("add dependent", reverse("accounts:household_dependent_add")),
        dependent_endpoint(
            "edit dependent", reverse("accounts:household_dependent_edit", args=[mia.pk])
        ),
        Endpoint(
            "meals at home",
            reverse("accounts:household_eating", args=[mia.pk]),
            valid={**grid, "lunch-all": "out", "lunch-5": "eats"},
            fields={
                "lunch-all": CHOICE_BAD + ["same"],
                "lunch-5": CHOICE_BAD,
                "snack-6": CHOICE_BAD + ["true"],
            },  # fmt: skip
            required={"lunch-all"},
        ),
        Endpoint(
            "hand over household",
            reverse("accounts:household_hand_over"),
            valid={"heir": str(mia.pk)},  # refused: a dependent; the user has no adult member
            fields={"heir": ID_BAD + [str(foreign.pk), str(world["foreign_member"].pk)]},
            required={"heir"},
        ),
        Endpoint(
            "remove member", reverse("accounts:household_member_remove", args=[mia.pk]), {}, {}
        ),
        Endpoint("leave household", reverse("accounts:household_leave"), {}, {}),
        Endpoint("delete household", reverse("accounts:household_delete"), {}, {}),
        Endpoint(
            "accept invitation",
            reverse("accounts:household_accept", args=["forged-token"]),
            {},
            {},
        ),
        Endpoint(
            "decline invitation",
            reverse("accounts:household_decline", args=["forged-token"]),
            {},
            {},
        ),
    ]


def household_week_endpoints(world) -> list[Endpoint]:
    """The household week's POSTs (issue 12)."""
    entry, child = world["household_entry"], world["child"]
    portion = f"portion-{world['owner_member'].pk}"
    return [
        Endpoint(
            "household servings",
            reverse("mealplan:household_entry_servings", args=[entry.pk]),
            valid={"member": child.pk, "servings": "2"},
            fields={
                "servings": NUMBER_BAD + ["0", "0.25", "4.5", "10", "1.3"],
                "member": ID_BAD,
            },
            required={"member", "servings"},
        ),
        Endpoint(
            "household swap",
            reverse("mealplan:household_entry_swap", args=[entry.pk]),
            valid={"meal": entry.meal_id, portion: "1"},
            fields={"meal": ID_BAD, portion: NUMBER_BAD + ["0", "0.25", "4.5", "1.3"]},
            required={"meal", portion},
        ),
        *(
            Endpoint(
                f"gap {action}",
                reverse(f"mealplan:gap_{action}"),
                valid={
                    "date": date.today().isoformat(),
                    "food": world["own"].meal.ingredients.first().food_id,
                    "grams": "28",
                    "slot": "snack",
                },
                fields={
                    "date": DATE_BAD + ["2099-01-01"],
                    "food": ID_BAD + ODD_DIGITS,
                    "grams": NUMBER_BAD + ["0", "251", "5001"],
                    "slot": CHOICE_BAD,
                },
                required={"date", "food", "grams"},
            )
            for action in ("log", "plan")
        ),
        # No value that can be wrong (a checkbox at most): here for the CSRF sweep.
        Endpoint(
            "replan rest", reverse("mealplan:replan_rest"), valid={"next": "today"}, fields={}
        ),
        Endpoint(
            "household suggest",
            reverse("mealplan:household_suggest", args=[WEEK]),
            valid={"include_past": "on"},
            fields={},
        ),
        Endpoint(
            "household regenerate",
            reverse("mealplan:household_regenerate", args=[WEEK]),
            valid={"include_past": "on"},
            fields={},
        ),
        Endpoint(
            "household lock",
            reverse("mealplan:household_entry_lock", args=[entry.pk]),
            valid={},
            fields={},
        ),
        Endpoint(
            "household remove",
            reverse("mealplan:household_entry_delete", args=[entry.pk]),
            valid={},
            fields={},
        ),
    ]


def intake_endpoints(world) -> list[Endpoint]:
    own, recipe = world["own"], world["recipe"]
    food_id = own.meal.ingredients.first().food_id
    week = WEEK.isoformat()
    return [
        # The intake log (issue 13): WEEK is in the past, so the valid posts would log.
        Endpoint(
            "intake eaten",
            reverse("intake:entry_eaten", args=[own.pk]),
            valid={"servings": "1"},
            fields={"servings": NUMBER_BAD + ["0", "10", "4.5", "0.1"]},
        ),
        Endpoint("intake skip", reverse("intake:entry_skip", args=[own.pk]), valid={}, fields={}),
        Endpoint(
            "intake replace",
            reverse("intake:entry_replace", args=[own.pk]),
            valid={"food": food_id, "grams": "30"},
            fields={"food": ID_BAD + ODD_DIGITS, "grams": NUMBER_BAD + ["0", "5001"]},
            required={"food", "grams"},
        ),
        Endpoint(
            "intake log food",
            reverse("intake:log"),
            valid={"date": week, "slot": "snack", "food": food_id, "grams": "30"},
            fields={
                "date": DATE_BAD + ["2199-01-01"],
                "slot": CHOICE_BAD,
                "food": ID_BAD + ODD_DIGITS,
                "grams": NUMBER_BAD + ["0", "0.01", "5001"],
                "portion": ID_BAD,
            },
            required={"date", "slot", "food", "grams"},
        ),
        Endpoint(
            "intake log meal",
            reverse("intake:log"),
            valid={"date": week, "slot": "lunch", "meal": recipe.pk, "servings": "1"},
            fields={"meal": ID_BAD + ODD_DIGITS, "servings": NUMBER_BAD + ["0", "10", "0.1"]},
            required={"meal"},
        ),
    ]


def cases(world):
    for endpoint in endpoints(world):
        for name, values in endpoint.fields.items():
            for value in values:
                yield (
                    endpoint,
                    {**endpoint.valid, name: value},
                    f"{endpoint.name}:{name}={value[:20]}",
                )
        for name in endpoint.required:
            yield (
                endpoint,
                {k: v for k, v in endpoint.valid.items() if k != name},
                (f"{endpoint.name}:missing {name}"),
            )
            yield endpoint, {**endpoint.valid, name: ""}, f"{endpoint.name}:empty {name}"


def assert_refused(client: Client, endpoint: Endpoint, data: dict, label: str) -> None:
    response = client.post(endpoint.url, data)
    assert response.status_code < 500, label
    if response.status_code in (301, 302):
        response = client.get(response.url)
    if response.status_code < 400:
        page = response.content.decode()
        assert any(marker in page for marker in ERROR_MARKERS), f"no message for {label}"


def test_every_endpoint_refuses_every_bad_value(world, user, password):
    client = Client()
    tried = 0
    for endpoint, data, label in cases(world):
        client.logout()
        if not endpoint.anonymous:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        before = snapshot(user)
        assert_refused(client, endpoint, data, label)
        assert snapshot(user) == before, f"database changed by {label}"
        tried += 1
    assert tried > 200
    print(f"bad-input cases tried: {tried}")


def test_missing_csrf_is_refused_everywhere(world, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for endpoint in endpoints(world):
        if endpoint.anonymous:
            continue
        before = snapshot(user)
        response = client.post(endpoint.url, endpoint.valid)
        assert response.status_code == 403, endpoint.name
        assert snapshot(user) == before


def test_other_users_ids_are_404_for_get_and_post(world, user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    foreign = world["foreign"]
    before = snapshot(foreign.plan.user)
    for name in ("entry_servings", "entry_lock", "entry_delete", "entry_swap"):
        url = reverse(f"mealplan:{name}", args=[foreign.pk])
        assert client.post(url, {"servings": "2", "meal": foreign.meal_id}).status_code == 404
        assert client.get(url).status_code in (404, 405)
    recipe = world["foreign_recipe"]
    for name in ("recipes:detail", "recipes:edit", "mealplan:recipe_delete", "recipes:copy"):
        url = reverse(name, args=[recipe.pk])
        assert client.post(url, {"name": "Mine now"}).status_code in (404, 405), name
        assert client.get(url).status_code in (404, 405), name
    for name in ("entry_eaten", "entry_skip", "entry_replace"):
        url = reverse(f"intake:{name}", args=[foreign.pk])
        assert client.post(url, {"servings": "1", "meal": foreign.meal_id}).status_code == 404
    theirs = IntakeItem.objects.create(
        user=foreign.plan.user, date=WEEK, slot="snack", name="Theirs", magnesium_mg=1
    )
    before = snapshot(foreign.plan.user)
    assert client.post(reverse("intake:item_undo", args=[theirs.pk])).status_code == 404
    assert snapshot(foreign.plan.user) == before
    assert Meal.objects.get(pk=recipe.pk).name == "Lentil soup"


def test_another_households_member_ids_are_404(world, user, other_user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    before = snapshot(user), snapshot(other_user)
    for member in (world["foreign_dependent"], world["foreign_member"]):
        for name in (
            "household_dependent_edit",
            "household_eating",
            "household_member_remove",
        ):
            url = reverse(f"accounts:{name}", args=[member.pk])
            assert client.get(url).status_code == 404, name
            response = client.post(url, {"name": "Mine now", "lunch-all": "out"})
            assert response.status_code == 404, name
    assert (snapshot(user), snapshot(other_user)) == before


def test_other_users_recipe_ids_are_404(world, user, other_user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    recipe = meal_with(slots=("lunch",), name="Their own recipe")
    recipe.owner = other_user
    recipe.save(update_fields=["owner"])
    own, week = world["own"], WEEK.isoformat()
    posts = [
        (reverse("mealplan:add_entry", args=[WEEK]), {"date": week, "slot": "lunch"}),
        (reverse("mealplan:entry_swap", args=[own.pk]), {}),
        (reverse("mealplan:meal_preference", args=[recipe.pk]), {"verdict": "like"}),
        (reverse("intake:log"), {"date": week, "slot": "lunch"}),
        (reverse("intake:entry_replace", args=[own.pk]), {}),
    ]
    before = snapshot(user), snapshot(other_user)
    for url, data in posts:
        response = client.post(url, {**data, "meal": recipe.pk, "servings": "1"})
        assert response.status_code == 404, url
    assert (snapshot(user), snapshot(other_user)) == before


@pytest.mark.parametrize(
    "path",
    [
        "/plan/week/2026-02-30/",
        "/plan/week/99999-01-01/",
        "/plan/week/2026-11-24/suggest/",
        "/plan/week/abc/regenerate/",
        "/plan/week/2026-11-24/clear/",
        "/plan/week/2026-11-24/clear/undo/",
        "/plan/entries/abc/lock/",
        "/plan/entries/999999999999999999999/lock/",
    ],
)
def test_malformed_urls_are_404(world, user_client, path):
    assert user_client.post(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": LONG},
        {"sort": "bogus"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": HUGE},
        {"category": "abc"},
        {"diet": "<script>"},
        {"avoid": LONG},
        {"kind": "0"},
        {"all_groups": LONG},
    ],
)
def test_catalog_pages_survive_bad_parameters(world, client, query):
    for name in ("foods:food_list", "foods:meal_list", "foods:best_sources"):
        response = client.get(reverse(name), query)
        assert response.status_code in (200, 400), (name, query)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-11-23", "end": "2027-01-31"},
        {"start": "2026-11-29", "end": "2026-11-23"},
        {"start": "abc", "end": "2026-11-23"},
        {"start": LONG, "end": LONG},
    ],
)
def test_shopping_list_refuses_bad_ranges(world, user_client, query):
    response = user_client.get(reverse("mealplan:shopping"), query)
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


EDGE_WEEK_PAGES = [
    "/plan/week/0001-01-01/",
    "/plan/week/0001-01-01/print/",
    "/plan/week/0001-01-01/week.ics",
    "/plan/week/0001-01-08/charts/",
    "/plan/week/9999-12-27/",
    "/plan/week/9999-12-27/print/",
    "/plan/week/9999-12-27/charts/",
    "/plan/week/9999-12-27/week.csv",
    "/plan/week/9999-12-27/week.ics",
    "/plan/week/9999-12-27/add/?date=9999-12-27&slot=lunch",
    "/plan/week/1899-12-25/",
    "/plan/week/2201-01-05/",
]
EDGE_WEEK_ACTIONS = [
    "/plan/week/0001-01-01/suggest/",
    "/plan/week/9999-12-27/suggest/",
    "/plan/week/9999-12-27/regenerate/",
    "/plan/week/9999-12-27/add/",
    "/plan/week/9999-12-27/copy/",
    "/plan/week/9999-12-27/clear/",
]


@pytest.mark.parametrize("path", EDGE_WEEK_PAGES)
def test_weeks_outside_the_accepted_years_are_404(world, user, path):
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", EDGE_WEEK_ACTIONS)
def test_changes_to_weeks_outside_the_accepted_years_are_404(world, user, path):
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    day = path.split("/")[3]
    before = snapshot(user)
    response = client.post(
        path,
        {"date": day, "slot": "lunch", "meal": world["own"].meal_id, "servings": "1",
         "source": WEEK.isoformat()},
    )  # fmt: skip
    assert response.status_code == 404
    assert snapshot(user) == before


@pytest.mark.parametrize("week", ["1900-01-01", "2200-12-29"])
@pytest.mark.parametrize("page", ["", "print/", "charts/", "week.csv", "week.ics"])
def test_weeks_at_the_ends_of_the_accepted_years_work(world, user_client, week, page):
    assert user_client.get(f"/plan/week/{week}/{page}").status_code == 200


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("mealplan:week_copy", {"source": "0001-01-01"}),
        ("mealplan:week_copy", {"source": "9999-12-31"}),
        ("mealplan:shopping_tick", {"start": "9999-12-25", "end": "9999-12-31", "food": "1"}),
        ("mealplan:meal_preference", {"verdict": "like", "week": "0001-01-02"}),
    ],
)
def test_dates_outside_the_accepted_years_get_a_form_error(world, user, url, data):
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    args = {"mealplan:week_copy": [WEEK], "mealplan:meal_preference": [world["own"].meal_id]}
    before = snapshot(user)
    response = client.post(reverse(url, args=args.get(url, [])), data, follow=True)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert snapshot(user) == before


def test_shopping_list_outside_the_accepted_years_is_a_form_error(world, user):
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(
        reverse("mealplan:shopping"), {"start": "9999-12-25", "end": "9999-12-31"}
    )
    assert response.status_code == 400
    assert "between the years 1900 and 2200" in response.content.decode()


def test_birth_date_outside_the_accepted_years_is_a_form_error(world, user_client):
    data = {**endpoints(world)[0].valid, "birth_date": "0001-01-01"}
    response = user_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()


@pytest.mark.parametrize("day", DATE_BAD + ["2026-11-30", "2026-11-22", ""])
def test_week_page_survives_a_bad_day(world, user_client, day):
    before = snapshot(world["own"].plan.user)
    response = user_client.get(reverse("mealplan:week_detail", args=[WEEK]), {"day": day})
    assert response.status_code == 200
    assert snapshot(world["own"].plan.user) == before


@pytest.mark.parametrize("include_locked", CHOICE_BAD + [LONG])
def test_clear_confirmation_changes_nothing(world, user_client, include_locked):
    before = snapshot(world["own"].plan.user)
    url = reverse("mealplan:week_clear", args=[WEEK])
    response = user_client.get(url, {"include_locked": include_locked})
    assert response.status_code == 200
    assert snapshot(world["own"].plan.user) == before


def test_undo_with_nothing_to_undo_says_so_and_changes_nothing(world, user_client):
    before = snapshot(world["own"].plan.user)
    url = reverse("mealplan:week_clear_undo", args=[WEEK])
    response = user_client.post(url, follow=True)
    assert "alert-warning" in response.content.decode()
    assert snapshot(world["own"].plan.user) == before
