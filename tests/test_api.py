"""The REST API: token auth, throttling, JSON errors, and every apicore endpoint's happy
path and ownership (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tests.factories import ProfileFactory
from accounts.token_hash import token_hash
from accounts.token_services import TokenError, token_create, token_revoke
from foods.models import Meal
from foods.tests.factories import FoodFactory, PortionFactory, meal_with
from tests.api_helpers import post_json, token_client

pytestmark = pytest.mark.django_db


def recipe_body(food, **overrides) -> dict:
    body = {
        "name": "Spinach bowl",
        "slots": ["lunch"],
        "servings": 2,
        "ingredients": [{"food": food.pk, "grams": 200, "text": "200 g spinach"}],
        "instructions": "Mix.",
        "not_counted": ["salt to taste"],
    }
    return {**body, **overrides}


# --- Tokens ------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_authenticates(user):
    new = token_create(user=user, name="Phone")
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert stored.key_hash == token_hash(new.key)
    assert new.key not in stored.key_hash and new.key not in stored.prefix + stored.name
    assert stored.prefix == new.key[:10]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.key}")
    assert client.get("/api/v1/profile/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {new.key}")
    assert client.get("/api/v1/profile/").status_code == 200


def test_last_used_is_written_at_most_once_a_minute(user):
    client, key = token_client(user)
    token = ApiToken.objects.get(key_hash=token_hash(key))
    assert token.last_used_at is None
    client.get("/api/v1/profile/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/profile/")
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/profile/")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_revoked_or_wrong_token_is_401_json(user, other_user):
    client, key = token_client(user)
    token = ApiToken.objects.get(key_hash=token_hash(key))
    assert not token_revoke(user=other_user, token_id=token.pk)  # not theirs
    assert token_revoke(user=user, token_id=token.pk)
    response = client.get("/api/v1/profile/")
    assert response.status_code == 401
    assert response.json()["detail"] and response.json()["errors"] == {}
    assert response["WWW-Authenticate"] == "Bearer"
    client.credentials(HTTP_AUTHORIZATION="Bearer mp_nonsense")
    assert client.get("/api/v1/profile/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Bearer")
    assert client.get("/api/v1/profile/").status_code == 401


def test_no_credentials_is_401(db):
    response = APIClient().get("/api/v1/foods/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the token a name"), ("   ", "Give the token a name"), ("x" * 81, "80 characters")],
)
def test_token_bad_names(user, name, message):
    with pytest.raises(TokenError, match=message):
        token_create(user=user, name=name)
    assert not ApiToken.objects.exists()


def test_token_duplicate_name_refused(user, other_user):
    token_create(user=user, name="Phone")
    with pytest.raises(TokenError, match="already have"):
        token_create(user=user, name="phone")
    token_create(user=other_user, name="Phone")  # another user's names are theirs
    assert ApiToken.objects.count() == 2


def test_token_pages(user_client, user, other_user):
    response = user_client.get("/accounts/profile/")
    assert b"/accounts/profile/tokens/" in response.content
    assert user_client.get("/accounts/profile/tokens/").status_code == 200
    response = user_client.post("/accounts/profile/tokens/new/", {"name": "Kitchen display"})
    assert response.status_code == 201
    token = ApiToken.objects.get(user=user)
    key = response.context["new_token"].key
    assert key.encode() in response.content and token.key_hash == token_hash(key)
    # Shown once: the list afterwards has the name and prefix, never the key.
    listing = user_client.get("/accounts/profile/tokens/")
    assert b"Kitchen display" in listing.content and key.encode() not in listing.content
    # Bad input: nothing made, a message.
    for bad in ("", "x" * 81, "kitchen display"):
        response = user_client.post("/accounts/profile/tokens/new/", {"name": bad}, follow=True)
        assert b"No token was made" in response.content
    assert ApiToken.objects.count() == 1
    # Another user's token: 404, and it stays.
    theirs = token_create(user=other_user, name="Theirs").token
    assert user_client.post(f"/accounts/profile/tokens/{theirs.pk}/revoke/").status_code == 404
    assert user_client.get(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 405
    response = user_client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert user_client.post("/accounts/profile/tokens/").status_code == 405
    assert user_client.delete("/accounts/profile/tokens/").status_code == 405
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Theirs"]


def test_token_pages_need_login(client):
    assert client.get("/accounts/profile/tokens/").status_code == 302
    assert client.post("/accounts/profile/tokens/new/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_session_auth_keeps_csrf(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    food = FoodFactory()
    assert client.get("/api/v1/recipes/").status_code == 200
    response = post_json(client, "/api/v1/recipes/", recipe_body(food))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Meal.objects.filter(owner=user).exists()


# --- Throttling --------------------------------------------------------------------------


def test_throttle_per_token_is_a_clear_429(user, settings):
    settings.API_THROTTLE_RATE = "3/min"
    first, _ = token_client(user, "one")
    second, _ = token_client(user, "two")
    for _ in range(3):
        assert first.get("/api/v1/profile/").status_code == 200
    response = first.get("/api/v1/profile/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many requests" in response.json()["detail"]
    assert second.get("/api/v1/profile/").status_code == 200  # each token its own budget


# --- Profile targets ---------------------------------------------------------------------


def test_profile_targets(user):
    ProfileFactory(user=user)
    profile = user.profile
    client, _ = token_client(user)
    data = client.get("/api/v1/profile/").json()
    assert data["magnesium_target_mg"] == profile.magnesium_target_mg
    assert data["magnesium_target_basis"] == profile.magnesium_target_basis
    window = profile.calorie_window
    assert (data["kcal_min"], data["kcal_max"]) == (window.kcal_min, window.kcal_max)
    assert data["supplement_upper_limit_mg"] == profile.supplement_upper_limit_mg
    assert data["diet"] == profile.diet


# --- Catalog -----------------------------------------------------------------------------


def test_foods_list_search_filter_and_detail(user):
    spinach = FoodFactory(name="Spinach, raw", magnesium_mg_per_100g=79.0, kcal_per_100g=None)
    PortionFactory(food=spinach, name="1 cup", grams=30)
    FoodFactory(name="Cheddar", vegan=False, magnesium_mg_per_100g=None)
    FoodFactory(name="Gone", is_active=False)
    client, _ = token_client(user)
    data = client.get("/api/v1/foods/").json()
    assert data["count"] == 2 and {"next", "previous", "results"} <= set(data)
    assert client.get("/api/v1/foods/?q=spin").json()["count"] == 1
    assert client.get("/api/v1/foods/?diet=vegan").json()["count"] == 1
    assert client.get("/api/v1/foods/?sort=mg_100g").json()["results"][0]["name"] == "Spinach, raw"
    detail = client.get(f"/api/v1/foods/{spinach.pk}/").json()
    assert detail["per_100g"]["magnesium_mg"] == 79.0
    assert detail["per_100g"]["kcal"] is None  # unknown is null, never 0
    portion = detail["portions"][0]
    assert portion["grams"] == 30 and portion["nutrients"]["magnesium_mg"] == pytest.approx(23.7)
    assert portion["nutrients"]["kcal"] is None
    gone = FoodFactory(is_active=False)
    assert client.get(f"/api/v1/foods/{gone.pk}/").status_code == 404


def test_meals_list_filter_and_detail_never_show_recipes(user, other_user):
    soup = meal_with(name="Bean soup", slots=("lunch",), magnesium_mg_per_100g=60.0)
    meal_with(name="Oat porridge", slots=("breakfast",), magnesium_mg_per_100g=100.0)
    theirs = meal_with(name="Their secret", slots=("lunch",))
    theirs.owner = other_user
    theirs.save()
    client, _ = token_client(user)
    data = client.get("/api/v1/meals/").json()
    assert {row["name"] for row in data["results"]} == {"Bean soup", "Oat porridge"}
    lunch = client.get("/api/v1/meals/?slot=lunch").json()["results"]
    assert [row["name"] for row in lunch] == ["Bean soup"]
    detail = client.get(f"/api/v1/meals/{soup.pk}/").json()
    assert detail["per_serving"]["magnesium_mg"] == pytest.approx(60.0)
    assert detail["ingredients"][0]["grams"] == 100
    assert client.get(f"/api/v1/meals/{theirs.pk}/").status_code == 404


# --- Recipes -----------------------------------------------------------------------------


def test_recipe_crud(user):
    spinach = FoodFactory(name="Spinach", magnesium_mg_per_100g=80.0)
    client, _ = token_client(user)
    response = post_json(client, "/api/v1/recipes/", recipe_body(spinach))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["per_serving"]["magnesium_mg"] == pytest.approx(80.0)  # 160 mg / 2
    assert created["not_counted"] == ["salt to taste"]
    url = f"/api/v1/recipes/{created['id']}/"
    assert client.get(url).json()["name"] == "Spinach bowl"
    assert client.get("/api/v1/recipes/").json()["count"] == 1
    body = recipe_body(spinach, name="Spinach bowl, big", servings=1)
    response = post_json(client, url, body, method="put")
    assert response.status_code == 200, response.json()
    assert response.json()["per_serving"]["magnesium_mg"] == pytest.approx(160.0)
    assert client.delete(url).status_code == 204
    assert not Meal.objects.filter(owner=user).exists()


def test_another_users_recipe_is_404_and_untouched(user, other_user):
    food = FoodFactory()
    theirs_client, _ = token_client(other_user)
    theirs = post_json(theirs_client, "/api/v1/recipes/", recipe_body(food)).json()
    client, _ = token_client(user)
    url = f"/api/v1/recipes/{theirs['id']}/"
    assert client.get(url).status_code == 404
    assert client.get(url).json()["detail"]
    assert post_json(client, url, recipe_body(food, name="Mine now"), "put").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get("/api/v1/recipes/").json()["count"] == 0
    assert Meal.objects.get(pk=theirs["id"]).name == "Spinach bowl"


def test_recipe_rules_from_recipe_save(user):
    food = FoodFactory()
    client, _ = token_client(user)
    assert post_json(client, "/api/v1/recipes/", recipe_body(food)).status_code == 201
    response = post_json(client, "/api/v1/recipes/", recipe_body(food, name="spinach BOWL"))
    assert response.status_code == 400
    assert "already have a recipe" in response.json()["detail"]
    assert Meal.objects.filter(owner=user).count() == 1


def test_expired_meal_time_not_needed(user):
    # The token's created_at is set; last_used_at starts unknown.
    new = token_create(user=user, name="x")
    assert new.token.created_at <= timezone.now() and new.token.last_used_at is None
