"""Paste a list and review it in a real Chromium: htmx recalculates a row, axe finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from conftest import AXE_BLOCKING
from foods.models import Ingredient, Meal
from foods.tests.factories import FoodFactory, PortionFactory
from mealplan.tests.test_browser_week import screenshot
from tests.test_accessibility import DESKTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def blocking(found: dict) -> list[str]:
    return [line for impact in AXE_BLOCKING for line in found[impact]]


def test_paste_review_change_a_match_and_save(page, live_server, user, axe, csp_violations):
    rice = FoodFactory(name="Rice, brown, long-grain, cooked", magnesium_mg_per_100g=43)
    PortionFactory(food=rice, name="1 cup", grams=195)
    quinoa = FoodFactory(name="Quinoa, cooked", magnesium_mg_per_100g=64)
    PortionFactory(food=quinoa, name="1 cup", grams=185)
    FoodFactory(name="Rice, white, long-grain, cooked", magnesium_mg_per_100g=12)
    FoodFactory(name="Nuts, almonds", magnesium_mg_per_100g=270)
    FoodFactory(name="Seeds, mystery", magnesium_mg_per_100g=None)
    log_in(page, live_server, user)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/recipes/paste/")
    assert not blocking(axe("paste, phone"))
    page.get_by_label("Name").fill("Rice bowl")
    page.get_by_label("Servings it makes").fill("2")
    page.get_by_label("Lunch").check()
    page.get_by_label("Ingredients, one a line").fill(
        "2 cups cooked brown rice / 30 g almonds / 10 g mystery seeds / salt to taste"
    )
    screenshot(page, "paste-phone")
    page.get_by_role("button", name="Review the lines").click()
    page.wait_for_url("**/recipes/review/**")
    screenshot(page, "review-phone")
    assert not blocking(axe("review, phone"))

    page.set_viewport_size(DESKTOP)
    page.reload()
    assert not blocking(axe("review, desktop"))
    screenshot(page, "review-desktop")
    rows = page.locator("#review-table tbody tr")
    expect(rows).to_have_count(4)
    rice_row = rows.filter(has_text="2 cups cooked brown rice")
    grams = rice_row.locator("input[name$='-grams']")
    expect(grams).to_have_value("390")
    assert "unknown" in rows.filter(has_text="mystery seeds").inner_text()
    assert "not counted" in rows.filter(has_text="salt to taste").inner_text()

    # Without JS: search another food, Recalculate; its grams follow (2 cups of quinoa).
    rice_row.locator("input[type=search]").fill("quinoa")
    with page.expect_navigation():
        page.get_by_role("button", name="Recalculate").click()
    page.wait_for_load_state("load")  # htmx bound to the new page before the select changes
    rice_row = page.locator("#review-table tbody tr").filter(has_text="brown rice")
    expect(rice_row.locator("select")).to_have_value(str(quinoa.pk))
    expect(rice_row.locator("input[name$='-grams']")).to_have_value("370")
    screenshot(page, "review-searched")
    # With htmx: choosing the first match again recalculates the rows in place.
    rice_row.locator("select").select_option(str(rice.pk))
    expect(rice_row.locator("input[name$='-grams']")).to_have_value("390")
    page.get_by_role("button", name="Save recipe").click()
    page.wait_for_url(re.compile(r".*/recipes/\d+/$"))
    meal = Meal.objects.get()
    assert meal.name == "Rice bowl"
    assert Ingredient.objects.get(meal=meal, food=rice).grams == pytest.approx(390)
    assert meal.not_counted_lines == ["salt to taste"]
    assert csp_violations == []
