"""Around the week in a real Chromium: plan, shop with ticks, chart, calendar download."""

from pathlib import Path

import icalendar
import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_plan_shop_tick_chart_and_download(
    page, live_server, user, password, profile, catalog, csp_violations
):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plan/")

    # The dashboard's one-click suggest plans the empty week.
    page.goto(live_server.url + "/")
    page.locator("#dashboard").get_by_role("button", name="Suggest my week").click()
    page.wait_for_selector("text=Every day of your week reaches your magnesium target.")
    assert page.locator(".day-status", has_text="reached").count() == 7

    # Tick the first item off the shopping list (htmx), reload: still ticked.
    page.click("#shopping-link")
    page.wait_for_url("**/plan/shopping/?start=*")
    first = page.locator(".shopping-item").first
    item_id = first.get_attribute("id")
    first.locator(".tick-button").click()
    page.locator(f"#{item_id} .tick-button[aria-pressed=true]").wait_for()
    page.reload()
    assert page.locator(f"#{item_id} .tick-button").get_attribute("aria-pressed") == "true"
    assert page.locator(f"#{item_id}").evaluate("node => node.classList.contains('ticked')")

    # The chart of the week.
    page.get_by_role("link", name="Back to the week").click()
    page.get_by_role("link", name="Charts").click()
    days_chart = page.locator("svg#chart-days")
    days_chart.wait_for()
    assert days_chart.get_attribute("role") == "img"
    assert page.locator("svg#chart-days rect").count() == 7

    # The week as a calendar file.
    page.get_by_role("link", name="Back to the week").click()
    with page.expect_download() as download_info:
        page.click("#ics-link")
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 28
    assert csp_violations == []
