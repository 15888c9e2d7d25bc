"""Today at a phone's width (issue 13): tick breakfast, skip lunch, see the day's status.
The gap suggestion's part of the journey follows in the gap tests."""

from __future__ import annotations

import pytest

from mealplan.tests.test_browser_week import PHONE, log_in, page_width, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def this_week(user, profile, catalog):
    from django.utils import timezone

    from mealplan.models import PlanEntry, WeekPlan, monday_of

    monday = monday_of(timezone.localdate())
    plan = WeekPlan.objects.create(user=user, week_start=monday)
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, date=day, slot=slot, meal=catalog[slot][offset % 2])
        for offset, day in enumerate(plan.days)
        for slot in ("breakfast", "lunch", "dinner", "snack")
    )
    return plan


def test_tick_breakfast_and_skip_lunch_on_a_phone(
    page, live_server, user, password, this_week, csp_violations
):
    from mealplan.models import IntakeItem

    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/today/")
    assert page_width(page) <= PHONE["width"]
    breakfast = page.locator("article[data-slot=breakfast]")
    breakfast.locator("input[name=servings]").fill("0.75")
    breakfast.get_by_role("button", name="Eaten").click()
    page.locator("article[data-slot=breakfast] .intake-state").wait_for()
    assert "0.75 servings" in page.locator("article[data-slot=breakfast]").inner_text()
    page.locator("article[data-slot=lunch]").get_by_role("button", name="Skip").click()
    page.locator("article[data-slot=lunch] .intake-state").wait_for()
    assert "Skipped" in page.locator("article[data-slot=lunch]").inner_text()
    status = page.locator("#day-gap").inner_text()
    assert "not on target yet" in status  # half a day eaten: never "on target"
    assert page_width(page) <= PHONE["width"]
    screenshot(page, "today-phone")
    rows = {(row.slot, row.status) for row in IntakeItem.objects.filter(user=user)}
    assert rows == {("breakfast", "eaten"), ("lunch", "skipped")}
    # History shows the day, and fits the phone.
    page.goto(f"{live_server.url}/history/")
    assert "Today is the first day logged" in page.content()  # in progress, not yet counted
    assert page_width(page) <= PHONE["width"]
    assert csp_violations == []
