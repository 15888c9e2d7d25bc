"""The sign-up journey in a real Chromium: sign up, fill the profile, see the target."""

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_up_fill_profile_and_see_target(page, live_server, csp_violations):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("#id_username", "lena")
    page.fill("#id_email", "lena@example.com")
    page.fill("#id_password1", "Quinoa-and-kale-77")
    page.fill("#id_password2", "Quinoa-and-kale-77")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/profile/")

    born = timezone.localdate().replace(year=timezone.localdate().year - 25)
    page.fill("#id_birth_date", born.isoformat())
    page.select_option("#id_sex", "female")
    page.select_option("#id_life_stage", "pregnant")
    page.select_option("#id_diet", "vegetarian")
    page.check("input[name=avoid_allergens][value=tree_nuts]")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector("text=Profile saved.")
    assert page.inner_text("#magnesium-target") == "350 mg magnesium"
    assert "1800" in page.inner_text("#calorie-window")
    assert page.is_checked("input[name=avoid_allergens][value=tree_nuts]")
    assert csp_violations == []


def test_bad_profile_input_shows_message_in_browser(page, live_server, user, password):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/accounts/profile/")
    page.fill("#id_birth_date", "2001-02-03")
    page.select_option("#id_sex", "male")
    page.select_option("#id_life_stage", "lactating")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_text("Pregnancy and lactation apply only with sex female.").is_visible()


def test_sign_up_takes_the_browsers_time_zone(browser, live_server):
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_username", "ines")
    page.fill("#id_email", "ines@example.com")
    page.fill("#id_password1", "Pumpkin-seeds-and-rice-31")
    page.fill("#id_password2", "Pumpkin-seeds-and-rice-31")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.input_value("#id_time_zone") == "America/New_York"
    context.close()
