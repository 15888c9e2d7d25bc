"""Today at a phone's width (issue 13): tick breakfast, skip lunch, take the gap suggestion,
see the day on target."""

from __future__ import annotations

import pytest

from mealplan.tests.test_browser_intake import this_week  # noqa: F401  (the fixture)
from mealplan.tests.test_browser_week import PHONE, log_in, page_width, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def bowl(db):
    from foods.tests.factories import FoodFactory, PortionFactory
    from mealplan.intake_gap import gap_cache_clear

    # The one familiar food: a bowl (250 g) gives 150 mg and 500 kcal, what lunch left open.
    food = FoodFactory(
        name="Bean and rice bowl",
        magnesium_mg_per_100g=60.0,
        kcal_per_100g=200.0,
        diets_reviewed=True,
    )
    PortionFactory(food=food, name="1 bowl", grams=250.0)
    gap_cache_clear()
    return food


@pytest.mark.usefixtures("this_week")
def test_take_the_gap_suggestion_on_a_phone(
    page,
    live_server,
    user,
    password,
    bowl,
    csp_violations,
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/today/")
    for slot in ("breakfast", "dinner", "snack"):
        page.locator(f"article[data-slot={slot}]").get_by_role("button", name="Eaten").click()
        page.locator(f"article[data-slot={slot}] .intake-state").wait_for()
    page.locator("article[data-slot=lunch]").get_by_role("button", name="Skip").click()
    page.locator("article[data-slot=lunch] .intake-state").wait_for()
    suggestion = page.locator("#gap-suggestion")
    assert "1 bowl (250 g) of" in suggestion.inner_text()
    assert page_width(page) <= PHONE["width"]
    screenshot(page, "gap-phone")
    suggestion.get_by_role("button", name="Log 1 bowl (250 g)").click()
    page.locator("#day-gap .mg-reached").wait_for()
    assert "on target" in page.locator("#day-gap").inner_text()
    assert page.locator("#gap-suggestion").count() == 0  # no gap left
    assert csp_violations == []
