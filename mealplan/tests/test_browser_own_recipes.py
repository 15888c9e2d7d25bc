"""The own-recipes journey in a real Chromium: paste a list, review it, save it, read its
nutrition, then Suggest a week only from my recipes (phone and desktop widths)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import AXE_BLOCKING
from foods.models import Meal
from foods.tests.factories import FoodFactory, IngredientFactory, MealFactory, PortionFactory
from mealplan.models import PlanEntry, monday_of
from mealplan.tests.test_browser_week import screenshot
from tests.test_accessibility import DESKTOP, PHONE, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def my_recipe(user, name: str, slot: str, food, grams: float) -> Meal:
    fits = {f"fits_{each}": each == slot for each in ("breakfast", "lunch", "dinner", "snack")}
    meal = MealFactory(name=name, owner=user, **fits)
    IngredientFactory(meal=meal, food=food, grams=grams)
    return meal


def test_paste_review_save_then_suggest_only_from_my_recipes(
    page, live_server, user, profile, catalog, axe, csp_violations
):
    rice = FoodFactory(name="Rice, brown, long-grain, cooked", magnesium_mg_per_100g=43)
    PortionFactory(food=rice, name="1 cup", grams=195)
    FoodFactory(name="Nuts, almonds", magnesium_mg_per_100g=270, kcal_per_100g=579)
    beans = FoodFactory(name="Beans, black, mature seeds, canned", magnesium_mg_per_100g=35)
    # The rest of a small repertoire, so that every main meal of the week has a recipe.
    oats = FoodFactory(name="Oats", magnesium_mg_per_100g=138, kcal_per_100g=380)
    lentils = FoodFactory(name="Lentils, cooked", magnesium_mg_per_100g=36, kcal_per_100g=116)
    for n in range(4):
        my_recipe(user, f"Oat porridge {n + 1}", "breakfast", oats, 90 + 10 * n)
        my_recipe(user, f"Lentil stew {n + 1}", "dinner", lentils, 450 + 50 * n)
    log_in(page, live_server, user)

    # Paste, on a phone.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/recipes/")
    page.get_by_role("link", name=re.compile("Paste")).first.click()
    page.get_by_label("Name").fill("Rice and beans bowl")
    page.get_by_label("Servings it makes").fill("2")
    page.get_by_label("Lunch").check()
    page.get_by_label("Ingredients, one a line").fill(
        "2 cups cooked brown rice\n30 g almonds\n1 can (15 oz) black beans, drained\nsalt to taste"
    )
    page.get_by_role("button", name="Review the lines").click()
    page.wait_for_url("**/recipes/review/**")
    assert not [line for impact in AXE_BLOCKING for line in axe("review, phone")[impact]]
    screenshot(page, "review-phone")
    rows = page.locator("#review-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text="black beans").locator("select")).to_have_value(str(beans.pk))
    assert "not counted" in rows.filter(has_text="salt to taste").inner_text()

    # Save, then read the recipe's nutrition, on a desktop.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Save recipe").click()
    page.wait_for_url(re.compile(r".*/recipes/\d+/$"))
    recipe = Meal.objects.get(owner=user, name="Rice and beans bowl")
    body = page.locator("main").inner_text()
    assert "magnesium known for 3 of 3 ingredients (100 % of the weight)" in body
    assert "salt to taste" in body
    screenshot(page, "recipe-desktop")
    # 390 g rice (168 mg) + 30 g almonds (81 mg) + 425 g beans (149 mg), 2 servings.
    assert "199 mg" in body
    assert not [line for impact in AXE_BLOCKING for line in axe("recipe, desktop")[impact]]

    # Plan only from my recipes.
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_label("Only my recipes").check()
    page.get_by_role("button", name=re.compile("Save")).first.click()
    expect(page.locator("#plan-from")).to_contain_text("only my recipes")

    page.goto(live_server.url + "/plan/")
    page.get_by_role("button", name="Suggest my week").first.click()
    page.locator("#grid .entry-name").first.wait_for()
    monday = monday_of(timezone.localdate())
    entries = PlanEntry.objects.filter(plan__user=user, plan__week_start=monday)
    assert entries.exists()
    assert set(entries.values_list("meal__owner", flat=True)) == {user.pk}
    assert entries.filter(meal=recipe).exists()
    expect(page.locator("#grid")).to_contain_text("Rice and beans bowl")
    screenshot(page, "week-desktop")
    page.goto(live_server.url + "/recipes/")
    screenshot(page, "recipes-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "recipes-phone")
    page.goto(live_server.url + f"/recipes/{recipe.pk}/")
    screenshot(page, "recipe-phone")
    assert csp_violations == []
