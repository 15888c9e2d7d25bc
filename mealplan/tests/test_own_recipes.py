"""Planning with a user's own recipes: Plan from, the add-meal picker, Swap, Suggest,
likes, live nutrition, and another user's recipe by id (always a 404, nothing saved)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import PlanFrom
from foods.models import Meal
from foods.recipe_services import RecipeData, RecipeLine, recipe_save
from foods.tests.factories import FoodFactory, IngredientFactory, MealFactory, PortionFactory
from mealplan import services
from mealplan.models import MealPreference, PlanEntry
from mealplan.planning import candidate_catalog
from mealplan.selectors import swap_choices, week_view
from mealplan.tests.factories import SLOT_MEALS, PlanEntryFactory, WeekPlanFactory

pytestmark = pytest.mark.django_db

ALL_DAYS = {"include_past": "on"}  # the week may lie partly in the past


def own_recipe(owner, *, slots=("lunch", "dinner"), kcal=650, mg=120, name=None, **food):
    """Make a one-ingredient recipe owned by owner: 100 g (one serving) of a food."""
    fits = {f"fits_{slot}": slot in slots for slot in ("breakfast", "lunch", "dinner", "snack")}
    meal = MealFactory(owner=owner, **fits, **({"name": name} if name else {}))
    food = FoodFactory(kcal_per_100g=kcal, magnesium_mg_per_100g=mg, **food)
    IngredientFactory(meal=meal, food=food, grams=100)
    return meal


def own_repertoire(owner, *, prefix="own", magnesium_bonus=0) -> dict[str, list[Meal]]:
    """Six recipes a slot, enough for a whole week that keeps every rule."""
    return {
        slot: [
            own_recipe(
                owner,
                slots=(slot,),
                kcal=kcal + 10 * i,
                mg=mg + 2 * i + magnesium_bonus,
                name=f"{prefix} {slot} {i}",
            )
            for i in range(6)
        ]
        for slot, (kcal, mg) in SLOT_MEALS.items()
    }


def set_plan_from(profile, value: str) -> None:
    profile.plan_from = value
    profile.save(update_fields=["plan_from"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def owners_in_week(user, week_start) -> set:
    return set(
        PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start).values_list(
            "meal__owner", flat=True
        )
    )


# Another user's recipe by id: 404, nothing saved.


def test_add_with_another_users_recipe_is_404(user_client, user, profile, other_user, week_start):
    theirs = own_recipe(other_user)
    response = user_client.post(
        reverse("mealplan:add_entry", args=[week_start]),
        {"date": week_start.isoformat(), "slot": "lunch", "meal": theirs.pk, "servings": "1"},
    )
    assert response.status_code == 404
    assert not PlanEntry.objects.exists()


def test_swap_to_another_users_recipe_is_404(user_client, user, profile, other_user, week_start):
    mine = own_recipe(user)
    entry = PlanEntryFactory(plan=WeekPlanFactory(user=user, week_start=week_start), meal=mine)
    theirs = own_recipe(other_user)
    response = user_client.post(
        reverse("mealplan:entry_swap", args=[entry.pk]), {"meal": theirs.pk, "servings": "1"}
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.meal == mine


def test_preference_on_another_users_recipe_is_404(user_client, profile, other_user):
    theirs = own_recipe(other_user)
    response = user_client.post(
        reverse("mealplan:meal_preference", args=[theirs.pk]), {"verdict": "like"}
    )
    assert response.status_code == 404
    assert not MealPreference.objects.exists()


def test_week_pages_never_show_another_users_recipe(
    user_client, user, profile, other_user, week_start
):
    theirs = own_recipe(other_user, name="Grandma's secret stew")
    entry = PlanEntryFactory(
        plan=WeekPlanFactory(user=other_user, week_start=week_start), meal=theirs
    )
    for name in ("week_detail", "week_print", "week_charts"):
        response = user_client.get(reverse(f"mealplan:{name}", args=[week_start]))
        assert response.status_code == 200
        assert "secret stew" not in response.content.decode()
    assert user_client.get(reverse("mealplan:entry_swap", args=[entry.pk])).status_code == 404
    picker = user_client.get(
        reverse("mealplan:add_entry", args=[week_start]),
        {"date": week_start.isoformat(), "slot": "lunch"},
    )
    assert picker.status_code == 200
    assert "secret stew" not in picker.content.decode()


# Plan from, in Suggest.


def test_suggest_for_one_user_never_uses_another_users_recipes(
    user_client, user, profile, other_user, catalog, week_start
):
    own_repertoire(other_user, prefix="theirs", magnesium_bonus=200)  # far better, not hers
    response = user_client.post(reverse("mealplan:suggest", args=[week_start]), ALL_DAYS)
    assert response.status_code == 302
    assert owners_in_week(user, week_start) == {None}


def test_only_the_catalog_never_uses_own_recipes(user_client, user, profile, catalog, week_start):
    own_repertoire(user, magnesium_bonus=200)
    set_plan_from(profile, PlanFrom.CATALOG)
    user_client.post(reverse("mealplan:suggest", args=[week_start]), ALL_DAYS)
    assert owners_in_week(user, week_start) == {None}


def test_only_my_recipes_uses_only_them(user_client, user, profile, catalog, week_start):
    own_repertoire(user)
    set_plan_from(profile, PlanFrom.MINE)
    user_client.post(reverse("mealplan:suggest", args=[week_start]), ALL_DAYS)
    assert PlanEntry.objects.filter(plan__user=user).count() >= 21
    assert owners_in_week(user, week_start) == {user.pk}
    assert all(day.ok for day in week_view(user=user, week_start=week_start).days)


def test_both_uses_own_recipes_beside_the_catalog(user, profile, catalog, week_start):
    own_repertoire(user, magnesium_bonus=200)
    catalog_rows, meals = candidate_catalog(user=user, profile=profile)
    owners = {meals[meal_id].owner_id for meal_id in catalog_rows.meal_ids}
    assert owners == {None, user.pk}


def test_only_my_recipes_without_any_says_so_and_plans_nothing(
    user_client, user, profile, catalog, week_start
):
    set_plan_from(profile, PlanFrom.MINE)
    response = user_client.post(
        reverse("mealplan:suggest", args=[week_start]), ALL_DAYS, follow=True
    )
    page = response.content.decode()
    assert "You have no recipes yet (Plan from: only my recipes)" in page
    assert "plan from the catalog too" in page
    assert not PlanEntry.objects.exists()


def test_only_my_recipes_with_none_usable_says_why(user, profile, catalog, week_start):
    own_recipe(user, mg=None)  # magnesium unknown: never suggested
    set_plan_from(profile, PlanFrom.MINE)
    with pytest.raises(services.PlanError, match="None of your recipes can be suggested"):
        services.weekplan_suggest(user=user, week_start=week_start, include_past=True)
    assert not PlanEntry.objects.exists()


def test_only_my_recipes_with_no_breakfast_names_the_cause(
    user_client, user, profile, catalog, week_start
):
    repertoire = own_repertoire(user)
    for meal in repertoire["breakfast"]:
        meal.delete()
    set_plan_from(profile, PlanFrom.MINE)
    response = user_client.post(
        reverse("mealplan:suggest", args=[week_start]), ALL_DAYS, follow=True
    )
    page = response.content.decode()
    assert "You have no recipes yet for breakfast that Suggest can use" in page
    assert "None of your recipes can fill breakfast (Plan from: only my recipes)" in page
    assert not PlanEntry.objects.filter(slot="breakfast").exists()
    assert owners_in_week(user, week_start) == {user.pk}


def test_a_short_day_from_own_recipes_names_plan_from(user, profile, week_start):
    # Ordinary recipes, far too little magnesium: the target binds and the words say why.
    for slot in ("breakfast", "lunch", "dinner", "snack"):
        for i in range(4):
            own_recipe(user, slots=(slot,), kcal=500, mg=25, name=f"plain {slot} {i}")
    set_plan_from(profile, PlanFrom.MINE)
    services.weekplan_suggest(user=user, week_start=week_start, include_past=True)
    day = week_view(user=user, week_start=week_start).days[0]
    assert not day.ok
    assert "your recipes" in day.explanation.reason
    assert "plan from the catalog too" in day.explanation.suggestion


# The add-meal picker and the snack of one food.


def picker(client, week_start, slot, q=""):
    return client.get(
        reverse("mealplan:add_entry", args=[week_start]),
        {"date": week_start.isoformat(), "slot": slot, "q": q},
    )


def test_picker_marks_own_recipes(user_client, user, profile, catalog, week_start):
    own_recipe(user, name="Our Friday lasagne")
    response = picker(user_client, week_start, "lunch")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'Our Friday lasagne</strong> <span class="badge text-bg-info">My recipe' in page
    assert "Or one food or product" not in page  # single foods are for the snack


def test_picker_offers_single_foods_for_the_snack(user_client, profile, week_start):
    seeds = FoodFactory(name="Seeds, pumpkin and squash seed kernels, dried")
    PortionFactory(food=seeds, name="1 oz", grams=28.35)
    response = picker(user_client, week_start, "snack", q="pumpkin seeds")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Or one food or product" in page
    assert "Seeds, pumpkin and squash seed kernels, dried" in page
    assert "1 oz (28 g)" in page


def test_the_snack_picker_reads_foods_in_a_fixed_number_of_queries(
    user_client, profile, week_start, django_assert_max_num_queries
):
    def count() -> int:
        with django_assert_max_num_queries(100) as context:
            assert picker(user_client, week_start, "snack", q="seeds").status_code == 200
        return len(context.captured_queries)

    PortionFactory(food=FoodFactory(name="Seeds, sunflower"), name="1 oz", grams=28.35)
    one = count()
    for i in range(5):
        PortionFactory(food=FoodFactory(name=f"Seeds, kind {i}"), name="1 cup", grams=129)
    assert count() == one


def test_single_foods_named_by_the_first_word_come_first(user_client, profile, week_start):
    FoodFactory(name="Soup, cream of spinach, canned")
    FoodFactory(name="Spinach, raw")
    page = picker(user_client, week_start, "snack", q="spinach").content.decode()
    assert page.index("Spinach, raw") < page.index("Soup, cream of spinach")


def test_picker_leaves_out_foods_that_do_not_suit_the_diet(user_client, profile, week_start):
    profile.diet = "vegan"
    profile.save(update_fields=["diet"])
    FoodFactory(name="Cheese, cheddar", vegan=False)
    page = picker(user_client, week_start, "snack", q="cheddar").content.decode()
    assert "Cheese, cheddar" not in page
    assert "No food or product matches." in page


def add_food(client, week_start, **data):
    return client.post(reverse("mealplan:add_food", args=[week_start]), data)


def test_a_single_food_snack_becomes_a_reused_one_ingredient_recipe(
    user_client, user, profile, week_start
):
    seeds = FoodFactory(name="Seeds, pumpkin", magnesium_mg_per_100g=592.0, kcal_per_100g=559.0)
    ounce = PortionFactory(food=seeds, name="1 oz", grams=28.35)
    data = {"date": week_start.isoformat(), "food": seeds.pk, "portion": ounce.pk, "amount": "1"}
    response = add_food(user_client, week_start, **data)
    assert response.status_code == 302
    entry = PlanEntry.objects.get()
    assert (entry.slot, entry.servings, entry.meal.owner) == ("snack", Decimal(1), user)
    assert entry.meal.name == "Seeds, pumpkin, 1 oz (28 g)"
    assert entry.meal.fits_snack and entry.meal.servings == 1
    (line,) = entry.meal.ingredients.all()
    assert (line.food, round(line.grams, 1), line.text) == (seeds, 28.4, "1 oz (28 g)")
    day = week_view(user=user, week_start=week_start).days[0]
    assert round(day.magnesium_mg) == round(592 * 0.284)
    # The same food and amount on another day uses the same recipe.
    data["date"] = (week_start + timedelta(days=1)).isoformat()
    add_food(user_client, week_start, **data)
    assert Meal.objects.owned_by(user).count() == 1
    assert PlanEntry.objects.count() == 2
    # Grams without a portion.
    add_food(user_client, week_start, date=data["date"], food=seeds.pk, amount="30")
    assert Meal.objects.owned_by(user).filter(name="Seeds, pumpkin, 30 g").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "0"}, "greater than or equal to 0.1"),
        ({"amount": "lots"}, "Enter a number"),
        ({"amount": "1e9"}, "less than or equal to 5000"),
        ({"portion": "other"}, "That portion belongs to another food"),
        ({"portion": "", "amount": "5001"}, "less than or equal to 5000"),
        ({"amount": "11"}, "at most 10 portions"),
        ({"food": "999999"}, "Select a valid choice"),
        ({"food": "inactive"}, "Select a valid choice"),
        ({"date": "2001-01-01"}, "not in this week"),
    ],
)
def test_bad_single_food_snacks_save_nothing(user_client, profile, week_start, change, message):
    seeds = FoodFactory(name="Seeds, pumpkin")
    ounce = PortionFactory(food=seeds, name="1 oz", grams=28.35)
    data = {"date": week_start.isoformat(), "food": seeds.pk, "portion": ounce.pk, "amount": "1"}
    data.update(change)
    if data["portion"] == "other":
        data["portion"] = PortionFactory(food=FoodFactory()).pk
    if data["food"] == "inactive":
        data["food"] = FoodFactory(is_active=False).pk
    response = user_client.post(reverse("mealplan:add_food", args=[week_start]), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanEntry.objects.exists()
    assert not Meal.objects.exists()


def test_a_single_food_that_does_not_suit_the_diet_saves_nothing(user_client, profile, week_start):
    profile.diet = "vegan"
    profile.save(update_fields=["diet"])
    cheese = FoodFactory(name="Cheese, cheddar", vegan=False)
    response = user_client.post(
        reverse("mealplan:add_food", args=[week_start]),
        {"date": week_start.isoformat(), "food": cheese.pk, "amount": "30"},
        follow=True,
    )
    assert "does not suit your diet" in response.content.decode()
    assert not PlanEntry.objects.exists()
    assert not Meal.objects.exists()


# Swap, likes and dislikes.


def test_swap_offers_own_recipes_per_plan_from(user, profile, catalog, week_start):
    mine = own_repertoire(user, magnesium_bonus=200)
    entry = PlanEntryFactory(
        plan=WeekPlanFactory(user=user, week_start=week_start), meal=catalog["lunch"][0]
    )
    offered = {choice.meal.owner_id for choice in swap_choices(user=user, entry=entry)}
    assert user.pk in offered  # the richest lunches are hers
    set_plan_from(profile, PlanFrom.CATALOG)
    offered = {choice.meal.owner_id for choice in swap_choices(user=user, entry=entry)}
    assert offered == {None}
    set_plan_from(profile, PlanFrom.MINE)
    offered = [choice.meal for choice in swap_choices(user=user, entry=entry)]
    assert offered and all(meal in mine["lunch"] for meal in offered)


def test_likes_and_dislikes_apply_to_own_recipes(user_client, user, profile, week_start):
    liked, disliked = own_recipe(user, name="Liked stew"), own_recipe(user, name="Disliked stew")
    for meal, verdict in ((liked, "like"), (disliked, "dislike")):
        url = reverse("mealplan:meal_preference", args=[meal.pk])
        assert user_client.post(url, {"verdict": verdict}).status_code == 302
    catalog_rows, _ = candidate_catalog(user=user, profile=profile)
    preference = dict(zip(catalog_rows.meal_ids.tolist(), catalog_rows.preference, strict=True))
    assert preference[liked.pk] == 1.0
    assert disliked.pk not in preference
    page = user_client.get(reverse("mealplan:meal_preferences")).content.decode()
    assert "Liked stew" in page and "Disliked stew" in page


# Honest nutrition.


def test_editing_a_recipe_changes_the_weeks_that_use_it(user_client, user, profile, week_start):
    oats = FoodFactory(name="Oats", kcal_per_100g=380.0, magnesium_mg_per_100g=140.0)
    milk = FoodFactory(name="Milk", kcal_per_100g=60.0, magnesium_mg_per_100g=10.0)
    data = RecipeData(
        name="Porridge",
        slots=["breakfast"],
        servings=2,
        lines=[RecipeLine(food=oats, grams=100), RecipeLine(food=milk, grams=400)],
    )
    porridge = recipe_save(owner=user, data=data)
    plan = WeekPlanFactory(user=user, week_start=week_start)
    PlanEntryFactory(plan=plan, meal=porridge, slot="breakfast")
    url = reverse("mealplan:week_detail", args=[week_start])
    before = user_client.get(url).context["week"].days[0]
    assert round(before.magnesium_mg) == 90  # (140 + 40) / 2
    assert round(before.kcal) == 310

    lines = [RecipeLine(food=oats, grams=160), RecipeLine(food=milk, grams=400)]
    recipe_save(owner=user, data=RecipeData(**{**data.__dict__, "lines": lines}), instance=porridge)
    response = user_client.get(url)
    after = response.context["week"].days[0]
    assert round(after.magnesium_mg) == 132  # (224 + 40) / 2
    assert round(after.kcal) == 424
    page = response.content.decode()
    assert "132" in page
    # An own recipe never links to the catalog's meal page (a 404 for it).
    assert reverse("foods:meal_detail", args=[porridge.pk]) not in page
    assert "Porridge" in page


def test_an_own_recipe_with_an_unknown_value_is_never_suggested_but_can_be_added(
    user_client, user, profile, week_start
):
    own_repertoire(user)
    unknown = own_recipe(user, mg=None, name="Mystery curry", slots=("lunch",))
    set_plan_from(profile, PlanFrom.MINE)
    catalog_rows, meals = candidate_catalog(user=user, profile=profile)
    assert unknown.pk in meals and unknown.pk not in catalog_rows.meal_ids.tolist()
    user_client.post(reverse("mealplan:suggest", args=[week_start]), ALL_DAYS)
    assert not PlanEntry.objects.filter(meal=unknown).exists()

    response = user_client.post(
        reverse("mealplan:add_entry", args=[week_start]),
        {"date": week_start.isoformat(), "slot": "lunch", "meal": unknown.pk, "servings": "1"},
    )
    assert response.status_code == 302
    assert PlanEntry.objects.get(date=week_start, slot="lunch").meal == unknown
    day = week_view(user=user, week_start=week_start).days[0]
    assert not day.ok
    assert "magnesium" in {rule.code for rule in day.unknown_rules}


# The profile.


def test_profile_saves_plan_from_and_shows_it(user_client, profile):
    from accounts.tests.test_views import profile_data

    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert "Plan from" in page and "Only my recipes" in page
    assert "You can still add any of your recipes" in page
    response = user_client.post(reverse("accounts:profile"), profile_data(plan_from="mine"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.plan_from == PlanFrom.MINE
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert "Suggest plans from: <strong>only my recipes</strong>" in page


def test_profile_refuses_an_unknown_plan_from(user_client, profile):
    from accounts.tests.test_views import profile_data

    response = user_client.post(reverse("accounts:profile"), profile_data(plan_from="everyone"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    profile.refresh_from_db()
    assert profile.plan_from == PlanFrom.BOTH


def test_an_account_whose_recipes_are_planned_can_be_deleted(user, profile, week_start):
    from accounts.services import user_delete

    mine = own_recipe(user)
    PlanEntryFactory(plan=WeekPlanFactory(user=user, week_start=week_start), meal=mine)
    user_delete(user=user)
    assert not Meal.objects.exists()
    assert not PlanEntry.objects.exists()


# The bench's family repertoire (bench/own_recipes_week.py), on the SR28 foods it names.


@pytest.fixture
def family(user, profile):
    from django.core.management import call_command

    from bench.own_recipes_week import family_recipes_save, needed_ndb_numbers

    call_command("import_usda", "--only", *sorted(needed_ndb_numbers()), "--no-progress")
    set_plan_from(profile, PlanFrom.MINE)
    return family_recipes_save(owner=user)


def test_the_family_repertoire_plans_a_week_from_only_its_recipes(
    user, profile, family, week_start
):
    assert len(family) == 12
    catalog_rows, _ = candidate_catalog(user=user, profile=profile)
    # Every value a rule needs is known for all 12: each of them may be suggested.
    assert sorted(catalog_rows.meal_ids.tolist()) == sorted(meal.pk for meal in family)
    outcome = services.weekplan_suggest(user=user, week_start=week_start, include_past=True)
    assert outcome.added >= 21
    week = week_view(user=user, week_start=week_start)
    for day in week.days:
        filled = {slot for slot, view in day.cells if view is not None}
        assert {"breakfast", "lunch", "dinner"} <= filled
        # A day short of the target says why, in words that name the cause.
        if not day.ok:
            assert day.explanation.reason
    assert owners_in_week(user, week_start) == {user.pk}


# Review of issue 11: bad ids, Swap and Plan from, honest picker, single foods.


@pytest.mark.parametrize("value", ["²", "³", "①", "٣" * 40])
def test_a_meal_id_of_odd_digits_is_refused_not_a_500(
    user_client, user, profile, week_start, value
):
    entry = PlanEntryFactory(plan=WeekPlanFactory(user=user, week_start=week_start))
    before = list(PlanEntry.objects.values_list("pk", "meal_id"))
    add = user_client.post(
        reverse("mealplan:add_entry", args=[week_start]) + f"?date={week_start}&slot=lunch",
        {"date": week_start.isoformat(), "slot": "lunch", "meal": value, "servings": "1"},
    )
    swap = user_client.post(reverse("mealplan:entry_swap", args=[entry.pk]), {"meal": value})
    assert add.status_code == 200 and swap.status_code == 302
    assert list(PlanEntry.objects.values_list("pk", "meal_id")) == before


def test_profile_says_swap_follows_plan_from(user_client, profile):
    page = user_client.get(reverse("accounts:profile")).content.decode()
    assert "Which meals Suggest, Regenerate and Swap choose from." in page
    assert "Single foods you added as snacks count as your recipes." in page


def test_picker_says_unknown_and_at_least(user_client, user, profile, week_start):
    unknown = MealFactory(owner=user, name="Mystery stew", fits_lunch=True)
    IngredientFactory(
        meal=unknown, food=FoodFactory(magnesium_mg_per_100g=None, kcal_per_100g=None), grams=100
    )
    partly = MealFactory(owner=user, name="Half-known bowl", fits_lunch=True)
    IngredientFactory(meal=partly, food=FoodFactory(magnesium_mg_per_100g=50), grams=100)
    IngredientFactory(meal=partly, food=FoodFactory(magnesium_mg_per_100g=None), grams=100)
    page = " ".join(picker(user_client, week_start, "lunch").content.decode().split())
    stew = page[page.index("Mystery stew") :]
    assert "magnesium unknown &middot;" in stew[: stew.index("</span></span>")]
    assert "energy unknown per serving" in stew[: stew.index("</span></span>")]
    bowl = page[page.index("Half-known bowl") :]
    assert "magnesium at least 50 mg" in bowl[: bowl.index("</span></span>")]


def test_single_food_snacks_are_flagged_and_listed_apart(user_client, user, profile, week_start):
    seeds = FoodFactory(name="Seeds, pumpkin", magnesium_mg_per_100g=592.0, kcal_per_100g=559.0)
    add_food(user_client, week_start, date=week_start.isoformat(), food=seeds.pk, amount="30")
    snack = Meal.objects.owned_by(user).get()
    assert snack.single_food
    written = own_recipe(user, name="Lentil soup")
    assert not written.single_food
    page = user_client.get(reverse("recipes:list")).content.decode()
    assert "Single foods for snacks" in page
    recipes = page[page.index('id="recipe-table"') : page.index("Single foods for snacks")]
    single = page[page.index("Single foods for snacks") :]
    assert "Lentil soup" in recipes and "Seeds, pumpkin" not in recipes
    assert "Seeds, pumpkin, 30 g" in single and "Lentil soup" not in single
    # They stay the user's chosen snacks: "only my recipes" may still plan them.
    set_plan_from(profile, PlanFrom.MINE)
    _, meals = candidate_catalog(user=user, profile=profile, week_start=week_start)
    assert snack.pk in meals


def test_the_migration_flags_snack_foods_made_before_the_flag(user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("foods.migrations.0006_meal_single_food")
    seeds = FoodFactory(name="Seeds, pumpkin")
    line = RecipeLine(food=seeds, grams=30, text="30 g")
    before = recipe_save(
        owner=user,
        data=RecipeData(name="Seeds, pumpkin, 30 g", slots=["snack"], servings=1, lines=[line]),
    )
    written = recipe_save(
        owner=user,
        data=RecipeData(name="Roasted seeds", slots=["snack"], servings=1, lines=[line]),
    )
    migration.flag_snack_foods(apps, None)
    before.refresh_from_db()
    written.refresh_from_db()
    assert before.single_food and not written.single_food
