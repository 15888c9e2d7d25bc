"""Private pages are not stored, big bodies get 413, branded 404/500 pages, a favicon."""

from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path, reverse

from accounts.models import Profile

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# This module is the URLconf of the 500 test: the real URLs and one view that fails.
urlpatterns = [path("boom/", boom), path("", include("mealplan.urls"))]

PRIVATE_PAGES = [
    ("mealplan:week", {}),
    ("mealplan:shopping", {}),
    ("mealplan:my_data", {}),
    ("mealplan:meal_preferences", {}),
    ("accounts:profile", {}),
    ("accounts:delete_account", {}),
    ("password_change", {}),
    ("home", {}),
    ("foods:food_list", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PRIVATE_PAGES)
def test_no_page_of_a_logged_in_user_is_stored(user_client, name, kwargs):
    response = user_client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_for_visitors_may_be_stored(client):
    response = client.get(reverse("foods:food_list"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_form_body_over_the_cap_gets_413_and_a_message(user_client, settings, user):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = user_client.post(
        reverse("accounts:profile"),
        urlencode({"diet": big}),
        content_type="application/x-www-form-urlencoded",  # as a browser sends a form
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large" in page
    assert "at most 2.5 MB" in page
    assert not Profile.objects.filter(user=user).exists()  # the view never ran


def test_an_upload_over_the_cap_gets_413(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("foods.csv", b"x" * (settings.UPLOAD_MAX_BYTES + 1))
    response = client.post(reverse("login"), {"username": "a", "file": upload})
    assert response.status_code == 413
    assert "Files may send at most 1.0 MB" in response.content.decode()


def test_an_upload_under_the_cap_goes_through(client, settings):
    upload = SimpleUploadedFile("foods.csv", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    response = client.post(reverse("login"), {"username": "a", "file": upload})
    assert response.status_code == 200


def test_too_much_text_in_a_multipart_form_gets_a_branded_400(user_client, settings):
    settings.DEBUG = False
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = user_client.post(reverse("accounts:profile"), {"diet": big})
    assert response.status_code == 400
    page = response.content.decode()
    assert "too large (forms may send at most 2.5 MB of text)" in page
    assert "nothing was saved" in page


def test_a_missing_page_is_branded_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1" in page and "Page not found" in page
    assert "Mg planner" in page  # the site's navigation, from base.html
    assert 'rel="icon"' in page


def test_another_users_object_is_the_same_branded_404(user_client, settings):
    settings.DEBUG = False
    response = user_client.get(reverse("foods:meal_detail", args=[987654]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_server_error_is_a_branded_500_without_details(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "a bug" not in page and "Traceback" not in page
    assert "Mg planner" in page


def test_the_favicon_is_linked_and_favicon_ico_leads_to_it(client):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/favicon.svg"
    assert finders.find("favicon.svg")
