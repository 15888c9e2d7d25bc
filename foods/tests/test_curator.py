import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from foods.models import Food
from foods.tests.factories import CategoryFactory, FoodFactory

pytestmark = pytest.mark.django_db

CURATOR = "Catalog curator"


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user(
        username="cura", email="cura@example.com", password="x", is_staff=True
    )
    user.groups.add(Group.objects.get(name=CURATOR))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_migration_makes_the_group_with_exactly_the_foods_permissions():
    group = Group.objects.get(name=CURATOR)

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    models = {"allergen", "category", "food", "portion", "meal", "ingredient"}
    expected = {
        ("foods", f"{action}_{model}")
        for action in ("add", "change", "delete", "view")
        for model in models
    }
    assert granted == expected
    assert granted == set(
        Permission.objects.filter(content_type__app_label="foods").values_list(
            "content_type__app_label", "codename"
        )
    )


def test_curator_uses_the_foods_admin(curator_client):
    FoodFactory(name="Spinach, raw")

    assert curator_client.get(reverse("admin:index")).status_code == 200
    response = curator_client.get(reverse("admin:foods_food_changelist"))
    assert response.status_code == 200
    assert "Spinach, raw" in response.content.decode()
    assert curator_client.get(reverse("admin:foods_meal_add")).status_code == 200
    assert curator_client.get(reverse("admin:foods_food_import")).status_code == 200


def test_curator_can_change_a_food(curator_client):
    food = FoodFactory(name="Spinach, raw", is_active=True)

    curator_client.post(
        reverse("admin:foods_food_changelist"),
        {"action": "deactivate", "_selected_action": [food.pk]},
    )

    food.refresh_from_db()
    assert food.is_active is False


def test_curator_can_add_a_category(curator_client):
    response = curator_client.post(
        reverse("admin:foods_category_add"), {"name": "Supplements", "usda_group_code": ""}
    )

    assert response.status_code == 302


def test_curator_cannot_see_or_touch_users(curator_client, curator, user):
    assert curator_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert (
        curator_client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 403
    )
    assert curator_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = curator_client.post(
        reverse("admin:accounts_user_change", args=[curator.pk]),
        {"username": "cura", "is_superuser": "on"},
    )
    assert response.status_code == 403
    curator.refresh_from_db()
    assert not curator.is_superuser
    index = curator_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:accounts_user_changelist") not in index


def test_group_without_staff_status_gets_no_admin(client, curator):
    curator.is_staff = False
    curator.save()
    client.force_login(curator, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("admin:foods_food_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_the_group_cannot_touch_foods(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="helper", email="helper@example.com", password="x", is_staff=True
    )
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    CategoryFactory()

    assert client.get(reverse("admin:foods_food_changelist")).status_code == 403
    assert not Food.objects.exists()
