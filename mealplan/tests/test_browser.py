"""The planner journey in a real Chromium, on the curated catalog."""

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_up(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password1", "Buckwheat-and-chard-31")
    page.fill("#id_password2", "Buckwheat-and-chard-31")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/profile/")


def sign_up_and_fill_profile(page, base: str, diet: str) -> None:
    sign_up(page, base, f"planner-{diet}")
    page.fill("#id_birth_date", "1984-04-04")
    page.select_option("#id_sex", "male")
    page.select_option("#id_diet", diet)
    page.check("input[name=avoid_allergens][value=tree_nuts]")
    page.check("input[name=avoid_allergens][value=peanuts]")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector("text=Profile saved.")


def test_suggest_swap_lock_regenerate(page, live_server, csp_violations):
    call_command("load_catalog", "--only-needed", "--no-progress")
    sign_up_and_fill_profile(page, live_server.url, "vegan")
    page.get_by_role("link", name="My week").click()
    page.get_by_label("Also fill past days").check()
    page.get_by_role("button", name="Suggest my week").click()
    page.wait_for_selector("text=All 7 days planned are on target: every rule holds.")
    assert page.locator(".day-status.mg-reached").count() == 7

    # Swap Monday's lunch for the first alternative.
    monday_lunch = page.locator("td[data-slot=lunch]").first
    before = monday_lunch.locator(".entry-name a").inner_text()
    monday_lunch.locator("summary").click()  # the entry's menu
    monday_lunch.get_by_role("link", name="Swap").click()
    options = page.locator("#swap-options form")
    options.first.wait_for()  # the options come into the cell
    assert 1 <= options.count() <= 3
    chosen = options.first.locator("strong").inner_text()
    assert chosen != before
    options.first.get_by_role("button", name="Choose").click()
    page.wait_for_selector(f"text=Swapped in {chosen}.")
    monday_lunch = page.locator("td[data-slot=lunch]").first
    assert monday_lunch.locator(".entry-name a").inner_text() == chosen

    # Lock Tuesday's dinner (htmx swaps the grid in place).
    tuesday_dinner = page.locator("td[data-slot=dinner]").nth(1)
    locked_meal = tuesday_dinner.locator(".entry-name a").inner_text()
    tuesday_dinner.locator("summary").click()
    tuesday_dinner.get_by_role("button", name="Lock").click()
    page.locator("td[data-slot=dinner]").nth(1).locator(".badge", has_text="locked").wait_for()

    # Regenerate keeps the locked one, changes others, and every day is still on target.
    before_regenerate = page.locator(".entry-name a").all_inner_texts()
    page.get_by_role("button", name="Regenerate").click()
    page.wait_for_selector("text=All 7 days planned are on target: every rule holds.")
    tuesday_dinner = page.locator("td[data-slot=dinner]").nth(1)
    assert tuesday_dinner.locator(".entry-name a").inner_text() == locked_meal
    assert "locked" in tuesday_dinner.inner_text()
    assert page.locator(".day-status.mg-reached").count() == 7
    after = page.locator(".entry-name a").all_inner_texts()
    changed = sum(1 for old, new in zip(before_regenerate, after, strict=False) if old != new)
    assert changed >= len(after) / 3
    assert csp_violations == []


@pytest.mark.parametrize("diet", ["omnivore", "pescatarian", "vegetarian"])
def test_every_diet_reaches_every_day(page, live_server, diet):
    call_command("load_catalog", "--only-needed", "--no-progress")
    sign_up_and_fill_profile(page, live_server.url, diet)
    page.goto(live_server.url + "/plan/")
    page.get_by_label("Also fill past days").check()
    page.get_by_role("button", name="Suggest my week").click()
    page.wait_for_selector("text=All 7 days planned are on target: every rule holds.")
    assert page.locator(".day-status.mg-reached").count() == 7


def test_an_active_man_gets_a_week_on_target_with_bigger_portions(page, live_server):
    """A 2,690-3,280 kcal window: one serving of everything is too little, so servings grow."""
    call_command("load_catalog", "--only-needed", "--no-progress")
    sign_up(page, live_server.url, "active-man")
    page.fill("#id_birth_date", "1986-05-01")
    page.select_option("#id_sex", "male")
    page.fill("#id_weight_kg", "80")
    page.fill("#id_height_cm", "180")
    page.select_option("#id_activity", "active")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector("text=Profile saved.")
    page.goto(live_server.url + "/plan/")
    page.get_by_label("Also fill past days").check()
    page.get_by_role("button", name="Suggest my week").click()
    page.wait_for_selector("text=All 7 days planned are on target: every rule holds.")
    assert page.locator(".day-status.mg-reached").count() == 7
    assert page.locator(".rule-fail").count() == 0
    facts = " ".join(page.locator(".entry-facts").all_inner_texts())
    assert "1½ servings" in facts or "2 servings" in facts
