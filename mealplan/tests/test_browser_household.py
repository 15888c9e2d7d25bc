"""The household's week in a real Chromium: create a household, add a child, Suggest, read
each member's status, open the shopping list; on a desktop and on a phone."""

import pytest
from django.utils import timezone

from conftest import AXE_BLOCKING
from mealplan.tests.test_browser_week import DESKTOP, PHONE, log_in, page_width, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def blocking(found: dict[str, list[str]]) -> list[str]:
    return [line for impact in AXE_BLOCKING for line in found[impact]]


def test_create_a_household_add_a_child_suggest_and_shop(
    page, live_server, user, password, profile, catalog, csp_violations, axe
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, user, password)

    # Create a household: its owner is its first member.
    page.goto(live_server.url + "/accounts/household/")
    page.get_by_label("Household name").fill("The Smiths")
    page.get_by_role("button", name="Create a household").click()
    page.get_by_role("heading", name="The Smiths").wait_for()

    # Add a child, with a calorie window by hand.
    page.get_by_role("link", name="Add a dependent").click()
    page.get_by_label("Name").fill("Mia")
    page.get_by_label("Date of birth").fill("2019-03-01")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Calories per day, at least").fill("900")
    page.get_by_label("Calories per day, at most").fill("1500")
    page.get_by_role("button", name="Save").click()
    page.locator("#members", has_text="Mia").wait_for()

    # The household's week, from the household page; Suggest plans today to Sunday.
    page.click("#household-week-link")
    page.wait_for_url("**/plan/household/")
    page.get_by_role("button", name="Suggest the household’s week").click()
    page.wait_for_selector("text=member-days")
    days_left = 7 - timezone.localdate().weekday()
    today = timezone.localdate().isoformat()
    statuses = page.locator(f"td.day-total[data-date='{today}'] .member-status")
    assert statuses.count() == 2
    assert statuses.filter(has_text="Mia").count() == 1
    assert page.locator(".member-status .day-status").count() == 2 * 7
    planned = page.locator(".entry-portions")
    assert planned.count() >= 3 * days_left
    assert "Mia" in planned.first.inner_text()
    screenshot(page, "household-desktop")
    assert page_width(page) <= DESKTOP["width"]
    assert blocking(axe("household week, desktop")) == []

    # A member's servings by hand, from the entry's menu (works without JavaScript).
    cell = page.locator(f"td[data-date='{today}'][data-slot=dinner]")
    cell.locator("summary").click()
    cell.get_by_label("Mia’s servings of", exact=False).fill("1.5")
    cell.get_by_role("button", name="Set Mia’s servings of", exact=False).click()
    page.wait_for_url("**/plan/household/*/?day=*")
    dinner = page.locator(f"td[data-date='{today}'][data-slot=dinner] .entry-portions")
    assert "Mia 1½" in dinner.inner_text()

    # On a phone: one day at a time, nothing wider than the screen.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/plan/household/?day={today}")
    assert page.locator("td[data-slot]:visible").count() == 4
    screenshot(page, "household-phone")
    assert page_width(page) <= PHONE["width"]
    assert blocking(axe("household week, phone")) == []

    # One shopping list for everyone.
    page.set_viewport_size(DESKTOP)
    page.click("#shopping-link")
    page.wait_for_url("**/plan/household/*/shopping/")
    assert page.locator(".shopping-item").count() > 0
    assert "everyone’s servings summed" in page.locator("#shopping-list").inner_text()
    assert blocking(axe("household shopping")) == []
    assert csp_violations == []
