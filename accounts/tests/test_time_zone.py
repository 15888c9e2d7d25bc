"""The profile's time zone: from the browser at sign-up, else the site's; editable later."""

import pytest
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import ProfileFactory
from accounts.tests.test_views import SIGNUP, profile_data

pytestmark = pytest.mark.django_db


def test_signup_takes_the_browser_time_zone(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "time_zone": "America/New_York"})
    assert response.status_code == 302
    assert User.objects.get(username="maria").profile.time_zone == "America/New_York"


@pytest.mark.parametrize("sent", [None, "", "Mars/Olympus", "<script>", "x" * 10_000, "utc"])
def test_signup_without_a_known_time_zone_uses_the_site_zone(client, settings, sent):
    settings.TIME_ZONE = "Europe/Berlin"
    data = {**SIGNUP, "time_zone": sent} if sent is not None else SIGNUP
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302
    assert User.objects.get(username="maria").profile.time_zone == "Europe/Berlin"


def test_signup_page_fills_the_time_zone_from_a_static_script(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert 'type="hidden" name="time_zone"' in page
    assert "data-browser-time-zone" in page
    assert "js/time_zone.js" in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline scripts


def test_a_new_profile_is_in_the_site_zone(settings, user):
    settings.TIME_ZONE = "Europe/Lisbon"
    assert Profile.objects.create(user=user).time_zone == "Europe/Lisbon"


def test_profile_form_changes_the_time_zone(user_client, user):
    ProfileFactory(user=user)
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="Asia/Tokyo">' in page
    response = user_client.post(reverse("accounts:profile"), profile_data(time_zone="Asia/Tokyo"))
    assert response.status_code == 302
    assert Profile.objects.get(user=user).time_zone == "Asia/Tokyo"


@pytest.mark.parametrize("sent", ["Mars/Olympus", "", "<script>"])
def test_profile_form_refuses_an_unknown_time_zone(user_client, user, sent):
    ProfileFactory(user=user, time_zone="Asia/Tokyo")
    response = user_client.post(reverse("accounts:profile"), profile_data(time_zone=sent))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert Profile.objects.get(user=user).time_zone == "Asia/Tokyo"


def test_a_zone_the_server_no_longer_knows_falls_back_to_the_site_zone(settings, user):
    settings.TIME_ZONE = "Europe/Paris"
    profile = ProfileFactory(user=user)
    Profile.objects.filter(pk=profile.pk).update(time_zone="Gone/Away")
    profile.refresh_from_db()
    assert profile.zone.key == "Europe/Paris"
