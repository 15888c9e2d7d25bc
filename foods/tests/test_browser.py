"""The catalog in a real Chromium: type a search, watch results update, open a food."""

import pytest
from playwright.sync_api import expect

from foods.tests.factories import CategoryFactory, FoodFactory, PortionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_catalog_by_typing_and_open_a_food(page, live_server, csp_violations):
    greens = CategoryFactory(name="Vegetables and Vegetable Products")
    spinach = FoodFactory(
        name="Spinach, raw", category=greens, source_ref="11457", magnesium_mg_per_100g=79
    )
    PortionFactory(food=spinach, name="1 cup", grams=30)
    FoodFactory(name="Seeds, pumpkin, raw", magnesium_mg_per_100g=550)
    FoodFactory(name="Kale, raw", category=greens, magnesium_mg_per_100g=None)

    page.goto(live_server.url + "/catalog/")
    rows = page.locator("#food-table tbody tr")
    assert rows.count() == 3

    page.locator("#id_q").press_sequentially("spin", delay=40)
    expect(rows).to_have_count(1)  # htmx swapped the results in, no page load
    assert "Spinach, raw" in rows.first.inner_text()
    assert "q=spin" in page.url  # hx-push-url keeps the search in the address bar
    assert page.locator("#id_q").input_value() == "spin"  # the form was not replaced

    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("kale", delay=40)
    expect(rows.first).to_contain_text("Kale")
    assert "—" in rows.first.inner_text()

    page.locator("#id_q").fill("spinach")
    page.locator("#id_q").press("Enter")
    expect(rows.first).to_contain_text("Spinach")
    page.get_by_role("link", name="Spinach, raw").click()
    page.wait_for_url(f"**/catalog/foods/{spinach.pk}/")
    assert page.inner_text("#food-source") == "USDA SR28 #11457"
    assert "1 cup (30 g)" in page.inner_text("#nutrient-table")
    assert csp_violations == []
