"""The plan side of the REST API: weeks, entries, shopping list, household week."""

from datetime import timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import household_with_owner
from foods.tests.factories import meal_with
from mealplan.models import PlanEntry, PlanJob, ShoppingTick
from mealplan.tests.factories import PlanEntryFactory, WeekPlanFactory, fill_week

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def api(user, profile):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_api(other_user):
    client = APIClient()
    client.force_authenticate(other_user)
    return client


@pytest.fixture
def entry(user, profile, catalog, week_start):
    plan = fill_week(user=user, week_start=week_start, meals=catalog)
    return plan.entries.order_by("date", "slot").first()


def week_url(week_start, tail=""):
    return f"{V1}/weeks/{week_start.isoformat()}/{tail}"


def errors(response) -> dict:
    """The field errors of a 400, with or without the API's JSON error envelope."""
    body = response.json()
    return body.get("errors", body)


def entry_count():
    return PlanEntry.objects.count()


# ---- weeks


def test_week_shows_entries_and_every_rule_per_day(api, entry, week_start):
    response = api.get(week_url(week_start))
    assert response.status_code == 200
    data = response.json()
    assert len(data["days"]) == 7
    day = data["days"][0]
    assert day["status"] == "reached" and day["ok"] is True
    assert {rule["code"] for rule in day["rules"]} >= {"magnesium", "kcal"}
    assert all(rule["state"] == "ok" for rule in day["rules"])
    assert len(day["entries"]) == 4
    first = day["entries"][0]
    assert first["nutrition"]["magnesium_mg"] > 0 and first["locked"] is False
    assert data["days_on_target"] == 7


def test_a_failing_day_is_never_reached(api, user, profile, week_start):
    low = meal_with(slots=("lunch",), kcal_per_100g=300, magnesium_mg_per_100g=20)
    PlanEntryFactory(plan=WeekPlanFactory(user=user, week_start=week_start), meal=low)
    day = api.get(week_url(week_start)).json()["days"][0]
    assert day["status"] == "short" and day["ok"] is False
    magnesium = next(rule for rule in day["rules"] if rule["code"] == "magnesium")
    assert magnesium["state"] == "fail"
    assert day["explanation"] is not None
    assert api.get(week_url(week_start)).json()["days"][1]["status"] == "empty"


def test_unknown_magnesium_is_null_and_never_reached(api, user, profile, week_start):
    meal = meal_with(slots=("lunch",), kcal_per_100g=2000, magnesium_mg_per_100g=None)
    PlanEntryFactory(plan=WeekPlanFactory(user=user, week_start=week_start), meal=meal)
    day = api.get(week_url(week_start)).json()["days"][0]
    (entry,) = day["entries"]
    assert entry["nutrition"]["magnesium_mg"] is None
    assert "magnesium_mg" in entry["at_least"]
    magnesium = next(rule for rule in day["rules"] if rule["code"] == "magnesium")
    assert magnesium["state"] == "unknown" and magnesium["total"] is None
    assert day["status"] != "reached"


@pytest.mark.parametrize(
    "bad",
    ["2026-11-24", "2026-02-31", "not-a-date", "0001-01-01", "9999-12-27", "2201-01-05", "1" * 300],
)
def test_week_bad_date_is_400_with_message(api, bad):
    response = api.get(f"{V1}/weeks/{bad}/")
    assert response.status_code == 400
    assert errors(response)["week_start"]


def test_week_requires_sign_in(week_start):
    assert APIClient().get(week_url(week_start)).status_code in (401, 403)


def test_other_users_week_is_not_shown(other_api, entry, week_start):
    response = other_api.get(week_url(week_start))
    assert response.status_code == 200
    assert all(not day["entries"] for day in response.json()["days"])


def test_suggest_fills_the_week_and_keeps_locked(api, user, profile, catalog, week_start):
    locked = PlanEntryFactory(
        plan=WeekPlanFactory(user=user, week_start=week_start),
        meal=catalog["lunch"][0],
        locked=True,
    )
    response = api.post(week_url(week_start, "suggest/"), {"include_past": True}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["added"] == 27
    assert entry_count() == 28
    assert PlanEntry.objects.get(pk=locked.pk).meal_id == catalog["lunch"][0].pk
    response = api.post(week_url(week_start, "regenerate/"), {"include_past": True}, format="json")
    assert response.status_code == 200
    assert PlanEntry.objects.filter(pk=locked.pk).exists()
    for day in response.json()["week"]["days"]:
        if day["status"] == "reached":
            assert all(rule["state"] == "ok" for rule in day["rules"])


@pytest.mark.parametrize(
    "body",
    [
        {"include_past": "maybe"},
        {"include_past": "yes"},
        {"include_past": [1]},
        {"surprise": 1},
        ["a"],
        "text",
    ],
)
def test_suggest_bad_input_is_400_and_nothing_saved(api, catalog, week_start, body):
    response = api.post(week_url(week_start, "suggest/"), body, format="json")
    assert response.status_code == 400
    assert entry_count() == 0


def test_suggest_non_monday_is_400(api, catalog, week_start):
    response = api.post(week_url(week_start + timedelta(days=2), "regenerate/"), {}, format="json")
    assert response.status_code == 400
    assert "Monday" in errors(response)["week_start"][0]


def test_suggest_without_a_complete_profile_is_400(user, catalog, week_start):
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(week_url(week_start, "suggest/"), {}, format="json")
    assert response.status_code == 400
    assert entry_count() == 0


# ---- entries


def test_add_entry(api, catalog, week_start):
    meal = catalog["dinner"][0]
    body = {"date": str(week_start), "slot": "dinner", "meal": meal.pk, "servings": "1.5"}
    response = api.post(week_url(week_start, "entries/"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["servings"] == 1.5
    assert PlanEntry.objects.get().meal == meal


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"date": ""},
        {"date": "2026-12-01"},  # another week
        {"date": "1066-10-14"},
        {"slot": "elevenses"},
        {"slot": "x" * 10_000},
        {"meal": -1},
        {"meal": 10**30},
        {"meal": "soup"},
        {"meal": 999_999},
        {"servings": "0"},
        {"servings": "-1"},
        {"servings": "0.3"},
        {"servings": "4.5"},
        {"servings": "1e999"},
        {"servings": [1]},
        {"surprise": True},
        {"slot": "breakfast"},  # a dinner meal at breakfast
    ],
)
def test_add_entry_bad_input_is_400(api, catalog, week_start, change):
    body = {"date": str(week_start), "slot": "dinner", "meal": catalog["dinner"][0].pk}
    body.update(change)
    if change == {}:
        body = {}
    response = api.post(week_url(week_start, "entries/"), body, format="json")
    assert response.status_code == 400, response.content
    assert errors(response)
    assert entry_count() == 0


def test_add_another_users_recipe_is_404(api, other_user, week_start):
    recipe = meal_with(slots=("dinner",))
    recipe.owner = other_user
    recipe.save()
    body = {"date": str(week_start), "slot": "dinner", "meal": recipe.pk}
    response = api.post(week_url(week_start, "entries/"), body, format="json")
    assert response.status_code == 404
    assert entry_count() == 0


def test_servings(api, entry):
    response = api.patch(f"{V1}/entries/{entry.pk}/", {"servings": 2.5}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.servings == Decimal("2.5")


@pytest.mark.parametrize(
    "body", [{}, {"servings": 0}, {"servings": -1}, {"servings": 1.25}, {"servings": 10**9},
             {"servings": "many"}, {"servings": "x" * 10_000}, {"servings": 1, "extra": 1}]
)  # fmt: skip
def test_servings_bad_input_is_400(api, entry, body):
    response = api.patch(f"{V1}/entries/{entry.pk}/", body, format="json")
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.servings == 1


def test_lock_unlock_and_delete(api, entry):
    url = f"{V1}/entries/{entry.pk}/"
    assert api.post(url + "lock/", {"locked": True}, format="json").json()["locked"] is True
    assert api.post(url + "lock/", {"locked": True}, format="json").json()["locked"] is True
    response = api.delete(url)
    assert response.status_code == 400  # locked: unlock it first
    assert PlanEntry.objects.filter(pk=entry.pk).exists()
    assert api.post(url + "lock/", {"locked": False}, format="json").json()["locked"] is False
    assert api.delete(url).status_code == 204
    assert not PlanEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "body", [{}, {"locked": "perhaps"}, {"locked": None}, {"locked": "true"}, {"locked": 1}]
)
def test_lock_bad_input_is_400(api, entry, body):
    assert api.post(f"{V1}/entries/{entry.pk}/lock/", body, format="json").status_code == 400
    entry.refresh_from_db()
    assert entry.locked is False


def test_swap_options_and_swap(api, entry, catalog):
    url = f"{V1}/entries/{entry.pk}/swap/"
    response = api.get(url)
    assert response.status_code == 200
    options = response.json()
    assert options and all(option["meal"]["id"] != entry.meal_id for option in options)
    choice = options[0]["meal"]["id"]
    response = api.post(url, {"meal": choice}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.meal_id == choice


@pytest.mark.parametrize(
    "body", [{}, {"meal": "x"}, {"meal": 0}, {"meal": 10**20}, {"meal": 999_999}]
)
def test_swap_bad_input_is_400(api, entry, body):
    meal = entry.meal_id
    assert api.post(f"{V1}/entries/{entry.pk}/swap/", body, format="json").status_code == 400
    entry.refresh_from_db()
    assert entry.meal_id == meal


def test_swap_to_another_users_recipe_is_404(api, entry, other_user):
    recipe = meal_with(slots=(entry.slot,))
    recipe.owner = other_user
    recipe.save()
    url = f"{V1}/entries/{entry.pk}/swap/"
    assert api.post(url, {"meal": recipe.pk}, format="json").status_code == 404


@pytest.mark.parametrize(
    "method, tail, body",
    [
        ("get", "", None),
        ("patch", "", {"servings": 2}),
        ("delete", "", None),
        ("post", "lock/", {"locked": True}),
        ("get", "swap/", None),
        ("post", "swap/", {"meal": 1}),
    ],
)
def test_another_users_entry_is_404(other_api, entry, method, tail, body):
    before = PlanEntry.objects.values_list("pk", "meal_id", "servings", "locked").get(pk=entry.pk)
    url = f"{V1}/entries/{entry.pk}/{tail}"
    response = getattr(other_api, method)(url, body, format="json")
    assert response.status_code == 404
    after = PlanEntry.objects.values_list("pk", "meal_id", "servings", "locked").get(pk=entry.pk)
    assert before == after


@pytest.mark.parametrize("pk", ["0", "99999999", str(2**63), "9" * 40, "null,null", "-1", "²"])
def test_unknown_entry_is_a_json_404(api, pk):
    response = api.get(f"{V1}/entries/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# ---- shopping


def test_shopping_list_and_ticks(api, entry, week_start):
    end = week_start + timedelta(days=6)
    query = {"start": str(week_start), "end": str(end)}
    response = api.get(f"{V1}/shopping/", query)
    assert response.status_code == 200
    data = response.json()
    assert data["entry_count"] == 28 and data["groups"]
    food = data["groups"][0]["items"][0]["food"]
    tick = {**query, "food": food, "ticked": True}
    assert api.post(f"{V1}/shopping/ticks/", tick, format="json").json()["ticked"] is True
    assert api.post(f"{V1}/shopping/ticks/", tick, format="json").status_code == 200
    assert ShoppingTick.objects.count() == 1
    assert api.get(f"{V1}/shopping/", query).json()["ticked_count"] == 1
    api.post(f"{V1}/shopping/ticks/", {**tick, "ticked": False}, format="json")
    assert ShoppingTick.objects.count() == 0


def test_shopping_defaults_to_this_week_or_a_week_from_one_end(api):
    assert api.get(f"{V1}/shopping/").status_code == 200
    data = api.get(f"{V1}/shopping/", {"start": "2026-11-23"}).json()
    assert data["end"] == "2026-11-29"
    data = api.get(f"{V1}/shopping/", {"end": "2026-11-29"}).json()
    assert data["start"] == "2026-11-23"


def test_other_users_shopping_list_is_theirs(other_api, entry, week_start):
    query = {"start": str(week_start), "end": str(week_start + timedelta(days=6))}
    assert other_api.get(f"{V1}/shopping/", query).json()["entry_count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-11-23", "end": ""},
        {"start": "2026-11-23", "end": "2026-11-01"},
        {"start": "2026-01-01", "end": "2026-12-31"},
        {"start": "yesterday", "end": "2026-11-30"},
        {"start": "0001-01-01", "end": "0001-01-02"},
        {"start": "2026-11-23", "end": "2026-11-24", "extra": "1"},
    ],
)
def test_shopping_bad_range_is_400(api, query):
    assert api.get(f"{V1}/shopping/", query).status_code == 400


@pytest.mark.parametrize(
    "change",
    [{"food": -1}, {"food": "kale"}, {"food": 999_999}, {"ticked": "x"}, {"end": "2025-01-01"}],
)
def test_tick_bad_input_is_400(api, entry, week_start, change):
    body = {"start": str(week_start), "end": str(week_start), "food": 1, "ticked": True}
    body.update(change)
    assert api.post(f"{V1}/shopping/ticks/", body, format="json").status_code == 400
    assert ShoppingTick.objects.count() == 0


# ---- household


def test_household_week(api, user, week_start):
    household_with_owner(user)
    response = api.get(f"{V1}/household/weeks/{week_start}/")
    assert response.status_code == 200
    assert len(response.json()["days"]) == 7


def test_household_suggest_fills_the_shared_week(api, user, catalog, week_start):
    household_with_owner(user)
    url = f"{V1}/household/weeks/{week_start}/suggest/"
    response = api.post(url, {"include_past": True}, format="json")
    assert response.status_code == 200, response.content
    days = response.json()["days"]
    assert all(day["entries"] for day in days)
    for day in days:
        for member in day["members"]:
            if member["day"]["status"] == "reached":
                assert all(rule["state"] == "ok" for rule in member["day"]["rules"])


def test_household_week_non_monday_is_400(api, user, week_start):
    household_with_owner(user)
    response = api.get(f"{V1}/household/weeks/{week_start + timedelta(days=1)}/")
    assert response.status_code == 400


def test_household_week_without_household_is_404(api, week_start):
    assert api.get(f"{V1}/household/weeks/{week_start}/").status_code == 404
    response = api.post(f"{V1}/household/weeks/{week_start}/suggest/", {}, format="json")
    assert response.status_code == 404


# ---- schema


def test_schema_lists_the_plan_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/weeks/{week_start}/",
        "/api/v1/weeks/{week_start}/suggest/",
        "/api/v1/entries/{entry_id}/swap/",
        "/api/v1/shopping/ticks/",
        "/api/v1/household/weeks/{week_start}/",
    ]:
        assert path in paths


# ---- long solves: a job, not a solve in the request


@pytest.mark.parametrize("action", ["suggest/", "regenerate/"])
def test_suggest_beyond_the_budget_is_202_with_the_job(
    api, user, catalog, week_start, tiny_budget, action
):
    response = api.post(week_url(week_start, action), {"include_past": True}, format="json")
    assert response.status_code == 202, response.json()
    job = PlanJob.objects.get(user=user)
    data = response.json()
    assert (data["id"], data["status"], data["week_start"]) == (job.pk, "queued", str(week_start))
    assert data["kind"] == ("regenerate" if action == "regenerate/" else "suggest")
    assert data["url"].endswith(f"{V1}/jobs/{job.pk}/")
    assert data["week"] is None
    assert entry_count() == 0  # nothing solved in the request
    assert response["Location"] == data["url"]


def test_a_live_job_answers_202_with_it_and_solves_nothing(api, user, catalog, week_start):
    job = PlanJob.objects.create(user=user, week_start=week_start, kind=PlanJob.Kind.AUTOPLAN)
    response = api.post(week_url(week_start, "suggest/"), {"include_past": True}, format="json")
    assert response.status_code == 202
    assert response.json()["id"] == job.pk
    assert PlanJob.objects.count() == 1 and entry_count() == 0


def test_job_status_and_the_week_once_done(api, user, entry, week_start):
    job = PlanJob.objects.create(
        user=user, week_start=week_start, kind=PlanJob.Kind.SUGGEST, status="running"
    )
    response = api.get(f"{V1}/jobs/{job.pk}/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["week"]) == ("running", None)
    PlanJob.objects.filter(pk=job.pk).update(status="done", message="Planned 28 meals.")
    data = api.get(f"{V1}/jobs/{job.pk}/").json()
    assert (data["status"], data["message"]) == ("done", "Planned 28 meals.")
    assert data["week"]["week_start"] == str(week_start)
    assert len(data["week"]["days"]) == 7


@pytest.mark.parametrize("job_id", ["999999", "abc", "-1", "1" * 40])
def test_job_status_of_no_job_is_json_404(api, job_id):
    response = api.get(f"{V1}/jobs/{job_id}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_another_users_job_is_404(other_api, user, week_start):
    job = PlanJob.objects.create(user=user, week_start=week_start, kind=PlanJob.Kind.SUGGEST)
    response = other_api.get(f"{V1}/jobs/{job.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert APIClient().get(f"{V1}/jobs/{job.pk}/").status_code in (401, 403)
