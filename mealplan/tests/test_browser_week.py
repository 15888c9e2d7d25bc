"""Around the week in a real Chromium: plan, shop with ticks, chart, calendar download."""

from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

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

    # The dashboard's one-click suggest plans the empty week from today to Sunday.
    page.goto(live_server.url + "/")
    page.locator("#dashboard").get_by_role("button", name="Suggest my week").click()
    days_left = 7 - timezone.localdate().weekday()
    planned = f"{days_left} day{'s' if days_left != 1 else ''}"
    page.wait_for_selector(f"text=All {planned} planned are on target: every rule holds.")
    assert page.locator(".day-status.mg-reached").count() == days_left

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
    assert len(list(calendar.walk("VEVENT"))) == 4 * days_left
    assert csp_violations == []


# The week page at a desktop's and a phone's width (issue 10).
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG_NAME = "Oatmeal with blueberries, toasted pumpkin seeds and almond butter"


@pytest.fixture
def this_week(user, profile, catalog):
    """This week (by the real date) planned directly: 28 entries, no solver."""
    from mealplan.models import PlanEntry, WeekPlan, monday_of

    monday = monday_of(timezone.localdate())
    plan = WeekPlan.objects.create(user=user, week_start=monday)
    breakfast = catalog["breakfast"][0]
    breakfast.name = LONG_NAME
    breakfast.save()
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, date=day, slot=slot, meal=catalog[slot][offset % 2])
        for offset, day in enumerate(plan.days)
        for slot in ("breakfast", "lunch", "dinner", "snack")
    )
    return plan


def log_in(page, base: str, user, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/plan/")


def screenshot(page, name: str) -> None:
    """Keep a picture to look at when UI_SCREENSHOTS is set (e.g. /tmp)."""
    import os

    folder = os.environ.get("UI_SCREENSHOTS")
    if folder:
        # caret="initial": hiding the caret injects a style the CSP would report.
        page.screenshot(path=f"{folder}/ui-{name}.png", full_page=True, caret="initial")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_week_on_a_desktop_fits_and_edits_in_place(
    page, live_server, user, password, this_week, csp_violations
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/plan/week/{this_week.week_start}/")
    screenshot(page, "desktop")
    assert page_width(page) <= DESKTOP["width"]
    sunday = page.locator("table.week-grid thead th").last
    assert sunday.inner_text().startswith("Sun")
    box = sunday.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"]
    # Quiet cells: one menu button each, the controls folded inside it.
    assert page.locator("td[data-slot] button:visible").count() == 0
    assert page.locator("td[data-slot] summary:visible").count() == 28

    # Like the long-named breakfast from Monday's menu: it is marked in place, no reload.
    page.evaluate("window.scrollTo(0, 300)")
    page.evaluate("window.notReloaded = true")
    monday = page.locator("td[data-slot=breakfast]").first
    monday.locator("summary").click()
    monday.get_by_role("button", name=f"Like {LONG_NAME}", exact=True).click()
    page.locator("td[data-slot=breakfast] .pref-mark").first.wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.scrollY") > 0
    # Every cell with that meal shows the mark.
    assert page.locator("td[data-slot=breakfast] .pref-mark", has_text="liked").count() == 4

    # Swap options open inside the cell; choosing one redraws the grid in place.
    tuesday_lunch = page.locator("td[data-slot=lunch]").nth(1)
    before = tuesday_lunch.locator(".entry-name a").inner_text()
    tuesday_lunch.locator("summary").click()
    tuesday_lunch.get_by_role("link", name=f"Swap {before}", exact=True).click()
    options = tuesday_lunch.locator(".swap-options form")
    options.first.wait_for()
    chosen = options.first.locator("strong").inner_text()
    options.first.get_by_role("button", name=f"Choose {chosen}", exact=True).click()
    page.wait_for_selector(f"text=Swapped in {chosen}.")
    assert page.locator("td[data-slot=lunch]").nth(1).locator(".entry-name a").inner_text() == (
        chosen
    )
    assert page.evaluate("window.notReloaded") is True

    # One menu open at a time.
    page.locator("td[data-slot=snack] summary").first.click()
    page.locator("td[data-slot=snack] summary").nth(1).click()
    expect(page.locator("details.entry-menu[open]")).to_have_count(1)

    # Lock, named for its meal; the keyboard focus stays on the cell.
    wednesday_dinner = page.locator("td[data-slot=dinner]").nth(2)
    dinner = wednesday_dinner.locator(".entry-name a").inner_text()
    wednesday_dinner.locator("summary").click()
    wednesday_dinner.get_by_role("button", name=f"Lock {dinner}", exact=True).click()
    page.locator("td[data-slot=dinner]").nth(2).locator(".badge", has_text="locked").wait_for()
    expect(page.locator("td[data-slot=dinner]").nth(2).locator("summary")).to_be_focused()
    screenshot(page, "desktop-after")
    assert csp_violations == []


def test_week_on_a_phone_shows_one_day_at_a_time(
    page, live_server, user, password, this_week, csp_violations
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user, password)
    monday = this_week.week_start
    page.goto(f"{live_server.url}/plan/week/{monday}/?day={monday}")
    screenshot(page, "phone")
    assert page_width(page) <= PHONE["width"]
    assert page.locator("td[data-slot]:visible").count() == 4
    assert page.locator(f"td[data-date='{monday}']:visible").count() == 5  # 4 meals + status
    assert page.locator("#shown-day").inner_text().startswith("Monday")

    # The menu opens within the screen.
    first = page.locator("td[data-slot=breakfast]:visible")
    first.locator("summary").click()
    first.get_by_role("button", name=f"Remove {LONG_NAME}", exact=True).wait_for()
    screenshot(page, "phone-menu")
    assert page_width(page) <= PHONE["width"]

    page.get_by_role("link", name="Next day").click()
    page.wait_for_url("**?day=*")
    assert page.locator("#shown-day").inner_text().startswith("Tuesday")
    assert page.locator("td[data-slot]:visible").count() == 4
    page.get_by_role("link", name="Previous day").click()
    page.get_by_role("link", name="Previous day").click()
    page.wait_for_url(f"**?day={monday - timedelta(days=1)}")
    assert page.locator("#shown-day").inner_text().startswith("Sunday")
    assert page_width(page) <= PHONE["width"]
    assert csp_violations == []


def test_week_works_without_javascript(browser, live_server, user, password, this_week):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url, user, password)
    monday = this_week.week_start
    page.goto(f"{live_server.url}/plan/week/{monday}/?day={monday}")
    lunch = page.locator("td[data-slot=lunch]:visible")
    meal = lunch.locator(".entry-name a").inner_text()
    lunch.locator("summary").click()
    lunch.get_by_label(f"Servings of {meal}").fill("1.5")
    lunch.get_by_role("button", name=f"Set servings of {meal}", exact=True).click()
    page.wait_for_url(f"**?day={monday}")
    assert "1½ servings" in page.locator("td[data-slot=lunch]:visible").inner_text()
    page.get_by_role("link", name="Next day").click()
    assert page.locator("#shown-day").inner_text().startswith("Tuesday")

    # Clearing asks first and can be undone.
    page.locator("#copy-clear summary").click()
    page.get_by_role("button", name="Clear this week").click()
    page.get_by_text("Remove 28 entries?").wait_for()
    screenshot(page, "phone-clear-confirm")
    page.get_by_role("button", name="Remove 28 entries").click()
    page.get_by_text("Removed 28 entries.").wait_for()
    screenshot(page, "phone-cleared")
    assert page.locator(".entry-name").count() == 0
    page.get_by_role("button", name="Undo clear").click()
    page.get_by_text("Put back 28 entries.").wait_for()
    assert page.locator(".entry-name").count() == 28
    context.close()
