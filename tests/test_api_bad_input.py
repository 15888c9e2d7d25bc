"""The API's bad-input matrix (issue 14): each bad request is a 4xx with a message in the
one JSON error shape, and the database is unchanged."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from foods.models import Ingredient, Meal
from foods.tests.factories import FoodFactory
from tests.api_helpers import post_json, token_client

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000


def good_body(food) -> dict:
    return {
        "name": "Spinach bowl",
        "slots": ["lunch"],
        "servings": 2,
        "ingredients": [{"food": food.pk, "grams": 200}],
    }


def snapshot() -> tuple:
    return (
        list(Meal.objects.order_by("pk").values()),
        list(Ingredient.objects.order_by("pk").values()),
    )


@pytest.fixture
def setup(user, other_user):
    food = FoodFactory(name="Spinach")
    gone = FoodFactory(name="Gone", is_active=False)
    client, _ = token_client(user)
    theirs_client, _ = token_client(other_user)
    theirs = post_json(theirs_client, "/api/v1/recipes/", good_body(food)).json()
    mine = post_json(client, "/api/v1/recipes/", {**good_body(food), "name": "Mine"}).json()
    return {"client": client, "food": food, "gone": gone, "theirs": theirs, "mine": mine}


def _assert_error(response, status=400, field=None):
    assert 400 <= response.status_code < 500
    assert response.status_code == status, response.content
    data = response.json()
    assert data["detail"], data
    assert isinstance(data["errors"], dict)
    if field is not None:
        assert any(key == field or key.startswith(field + ".") for key in data["errors"]), data


def _with(body, **changes):
    return {**body, **changes}


def _line(food, **changes):
    return [{"food": food.pk, "grams": 200, **changes}]


CASES = [
    # (label, body maker(food, gone, theirs), field with the message)
    ("empty body", lambda f, g, t: {}, "name"),
    ("empty name", lambda f, g, t: _with(good_body(f), name=""), "name"),
    ("blank name", lambda f, g, t: _with(good_body(f), name="   "), "name"),
    ("10,000-char name", lambda f, g, t: _with(good_body(f), name=LONG), "name"),
    ("10,000-char instructions", lambda f, g, t: _with(good_body(f), instructions=LONG * 3), None),
    (
        "10,000-char line text",
        lambda f, g, t: _with(good_body(f), ingredients=_line(f, text=LONG)),
        "ingredients",
    ),
    ("negative servings", lambda f, g, t: _with(good_body(f), servings=-1), "servings"),
    ("zero servings", lambda f, g, t: _with(good_body(f), servings=0), "servings"),
    ("huge servings", lambda f, g, t: _with(good_body(f), servings=10**12), "servings"),
    ("string servings", lambda f, g, t: _with(good_body(f), servings="two"), "servings"),
    ("float servings", lambda f, g, t: _with(good_body(f), servings=1.5), "servings"),
    ("null servings", lambda f, g, t: _with(good_body(f), servings=None), "servings"),
    (
        "negative grams",
        lambda f, g, t: _with(good_body(f), ingredients=_line(f, grams=-5)),
        "ingredients",
    ),
    (
        "huge grams",
        lambda f, g, t: _with(good_body(f), ingredients=_line(f, grams=1e300)),
        "ingredients",
    ),
    (
        "text grams",
        lambda f, g, t: _with(good_body(f), ingredients=_line(f, grams="lots")),
        "ingredients",
    ),
    ("no ingredients", lambda f, g, t: _with(good_body(f), ingredients=[]), "ingredients"),
    (
        "ingredients not a list",
        lambda f, g, t: _with(good_body(f), ingredients="spinach"),
        "ingredients",
    ),
    (
        "foreign food id",
        lambda f, g, t: _with(good_body(f), ingredients=[{"food": 999_999, "grams": 1}]),
        "ingredients",
    ),
    ("inactive food id", lambda f, g, t: _with(good_body(f), ingredients=_line(g)), "ingredients"),
    (
        "food id as text",
        lambda f, g, t: _with(good_body(f), ingredients=[{"food": "abc", "grams": 1}]),
        "ingredients",
    ),
    (
        "huge food id",
        lambda f, g, t: _with(good_body(f), ingredients=[{"food": 10**30, "grams": 1}]),
        "ingredients",
    ),
    ("unknown slot", lambda f, g, t: _with(good_body(f), slots=["brunch"]), "slots"),
    ("slots empty", lambda f, g, t: _with(good_body(f), slots=[]), "slots"),
    ("slots wrong type", lambda f, g, t: _with(good_body(f), slots={"a": 1}), "slots"),
    ("unknown field", lambda f, g, t: _with(good_body(f), owner=t["id"]), "owner"),
    (
        "unknown line field",
        lambda f, g, t: _with(good_body(f), ingredients=_line(f, meal=t["id"])),
        "ingredients",
    ),
    (
        "bad url",
        lambda f, g, t: _with(good_body(f), source_url="javascript:alert(1)"),
        "source_url",
    ),
    ("body is a list", lambda f, g, t: [good_body(f)], None),
    ("body is a number", lambda f, g, t: 42, None),
]


@pytest.mark.parametrize(("label", "make", "field"), CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("method", ["post", "put"])
def test_recipe_bad_bodies(setup, label, make, field, method):
    body = make(setup["food"], setup["gone"], setup["theirs"])
    before = snapshot()
    url = "/api/v1/recipes/" if method == "post" else f"/api/v1/recipes/{setup['mine']['id']}/"
    response = post_json(setup["client"], url, body, method=method)
    _assert_error(response, 400, field)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["post", "put"])
def test_malformed_json(setup, method):
    before = snapshot()
    url = "/api/v1/recipes/" if method == "post" else f"/api/v1/recipes/{setup['mine']['id']}/"
    response = getattr(setup["client"], method)(
        url, '{"name": "x", ', content_type="application/json"
    )
    _assert_error(response, 400)
    assert "JSON" in response.json()["detail"]
    assert snapshot() == before


def test_wrong_content_type(setup):
    before = snapshot()
    response = setup["client"].post("/api/v1/recipes/", "name=x", content_type="text/plain")
    _assert_error(response, 415)
    assert snapshot() == before


def test_ten_megabyte_body_is_413_json(setup):
    before = snapshot()
    body = json.dumps({**good_body(setup["food"]), "instructions": "x" * 10 * 1024 * 1024})
    response = setup["client"].post("/api/v1/recipes/", body, content_type="application/json")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    assert snapshot() == before


def test_another_users_recipe_everything_404(setup):
    before = snapshot()
    client, url = setup["client"], f"/api/v1/recipes/{setup['theirs']['id']}/"
    for response in (
        client.get(url),
        post_json(client, url, good_body(setup["food"]), method="put"),
        client.delete(url),
    ):
        _assert_error(response, 404)
    assert snapshot() == before


@pytest.mark.parametrize("pk", ["999999", "0", "-1", "abc", "9" * 40])
def test_bad_ids_404(setup, pk):
    for prefix in ("recipes", "foods", "meals"):
        _assert_error(setup["client"].get(f"/api/v1/{prefix}/{pk}/"), 404)


@pytest.mark.parametrize(
    "query",
    [
        "diet=carnivore",
        "sort=nonsense",
        "category=abc",
        "category=-1",
        "category=999999",
        "avoid=kryptonite",
        f"q={'x' * 10_000}",
        "kind=rock",
        "all_groups=maybe",
    ],
)
def test_food_filters_bad_query(setup, query):
    _assert_error(setup["client"].get(f"/api/v1/foods/?{query}"), 400)


@pytest.mark.parametrize("query", ["slot=brunch", "diet=x", "nut_free=perhaps", f"q={LONG}"])
def test_meal_filters_bad_query(setup, query):
    _assert_error(setup["client"].get(f"/api/v1/meals/?{query}"), 400)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999"])
def test_bad_page_is_404_json(setup, page):
    _assert_error(setup["client"].get(f"/api/v1/foods/?page={page}"), 404)


def test_read_only_endpoints_refuse_writes(setup):
    before = snapshot()
    client = setup["client"]
    assert post_json(client, "/api/v1/foods/", {"name": "x"}).status_code == 405
    assert post_json(client, "/api/v1/meals/", {"name": "x"}).status_code == 405
    assert post_json(client, "/api/v1/profile/", {"diet": "vegan"}).status_code == 405
    assert client.patch(f"/api/v1/recipes/{setup['mine']['id']}/").status_code == 405
    assert snapshot() == before


def test_bad_authorization_headers(setup):
    before_tokens = ApiToken.objects.count()
    for header in ("Bearer", "Bearer a b", "Bearer " + LONG, "Token \u00e9", "Basic abc"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/recipes/")
        assert response.status_code in (401, 403), header
        assert response.json()["detail"]
    assert ApiToken.objects.count() == before_tokens


@pytest.mark.parametrize("method", ["get", "put", "delete", "post"])
@pytest.mark.parametrize("path", ["recipes/-1/", "recipes/abc/", "recipes/1%0A/", "nothing/"])
def test_unknown_api_addresses_are_json_404(setup, method, path):
    before = snapshot()
    response = getattr(setup["client"], method)(f"/api/v1/{path}")
    _assert_error(response, 404)
    assert snapshot() == before
