"""Suggest a week only from a family's 12 ordinary recipes, and show where magnesium binds.

Run from the repo root: python bench/own_recipes_week.py [--seed 0]

The recipes are what a family cooks on weekdays, not chosen for magnesium: built from USDA
SR28 foods by NDB number with household amounts in grams. The profile is a woman of 45
(NIH RDA 320 mg; calorie window from her profile), "Plan from: only my recipes". Without
DATABASE_URL it works in a scratch SQLite file in the temp dir (migrated, the curated catalog
and the recipes' SR28 foods loaded the first time, reused after). Prints, per day, magnesium
against the target, kcal against the window, the day's status and the planner's
explanation, then one summary line. Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEK = date(2026, 11, 23)  # a Monday
USERNAME = "own-recipes-family"
# The second search: node limits far above the planner's own, and time to use them.
DEEPER_NODE_LIMIT = 20_000
DEEPER_TIME_BUDGET_S = 120.0


@dataclass(frozen=True)
class FamilyRecipe:
    name: str
    slots: tuple[str, ...]
    servings: int
    lines: tuple[tuple[str, float, str], ...]  # (SR28 NDB number, grams, the line as written)


# A family's weekday repertoire. Grams are for the whole recipe, as cooked at home.
FAMILY_RECIPES: tuple[FamilyRecipe, ...] = (
    FamilyRecipe("Scrambled eggs on toast", ("breakfast",), 2, (
        ("01123", 200, "4 large eggs"),
        ("01079", 60, "1/4 cup milk"),
        ("01001", 14, "1 tbsp butter"),
        ("18069", 116, "4 slices white bread"),
    )),
    FamilyRecipe("Cornflakes with milk", ("breakfast",), 1, (
        ("08020", 40, "1 1/2 cups cornflakes"),
        ("01079", 200, "3/4 cup milk"),
    )),
    FamilyRecipe("Yogurt with banana", ("breakfast", "snack"), 1, (
        ("01116", 170, "3/4 cup plain yogurt"),
        ("09040", 118, "1 medium banana, sliced"),
    )),
    FamilyRecipe("Ham sandwich", ("lunch",), 1, (
        ("18069", 58, "2 slices white bread"),
        ("07029", 56, "2 slices ham"),
        ("01009", 21, "1 slice cheddar"),
        ("01001", 7, "1/2 tbsp butter"),
        ("11252", 15, "2 lettuce leaves"),
    )),
    FamilyRecipe("Chicken noodle soup", ("lunch", "dinner"), 4, (
        ("06194", 960, "4 cups chicken broth"),
        ("05064", 280, "2 cups cooked chicken breast, diced"),
        ("20110", 320, "2 cups cooked egg noodles"),
        ("11124", 122, "2 carrots, sliced"),
        ("11143", 80, "2 stalks celery, sliced"),
        ("11282", 110, "1 medium onion, chopped"),
    )),
    FamilyRecipe("Spaghetti bolognese", ("dinner",), 4, (
        ("20121", 560, "4 cups cooked spaghetti"),
        ("23572", 450, "1 lb ground beef"),
        ("11549", 490, "2 cups tomato sauce"),
        ("11282", 110, "1 onion, chopped"),
        ("11124", 61, "1 carrot, grated"),
        ("04053", 14, "1 tbsp olive oil"),
        ("01032", 20, "4 tbsp grated parmesan"),
    )),
    FamilyRecipe("Chicken stir-fry with white rice", ("dinner",), 4, (
        ("05064", 420, "3 cups cooked chicken breast strips"),
        ("20045", 632, "4 cups cooked white rice"),
        ("11821", 150, "1 red bell pepper, sliced"),
        ("11090", 180, "2 cups broccoli florets"),
        ("11282", 110, "1 onion, sliced"),
        ("16123", 48, "3 tbsp soy sauce"),
        ("04582", 28, "2 tbsp canola oil"),
    )),
    FamilyRecipe("Cheese pizza-style flatbread", ("lunch", "dinner"), 2, (
        ("18041", 128, "2 white pita breads"),
        ("01026", 112, "1 cup shredded mozzarella"),
        ("11549", 123, "1/2 cup tomato sauce"),
        ("04053", 9, "2 tsp olive oil"),
    )),
    FamilyRecipe("Fish and potatoes", ("dinner",), 4, (
        ("15016", 600, "4 cod fillets"),
        ("11367", 780, "6 medium potatoes, boiled"),
        ("01001", 28, "2 tbsp butter"),
        ("11313", 320, "2 cups frozen peas, cooked"),
    )),
    FamilyRecipe("Tuna pasta salad", ("lunch",), 4, (
        ("20121", 420, "3 cups cooked macaroni"),
        ("15121", 330, "2 cans tuna in water, drained"),
        ("04018", 110, "1/2 cup mayonnaise"),
        ("11172", 164, "1 cup canned corn, drained"),
        ("11205", 150, "1 cucumber, diced"),
    )),
    FamilyRecipe("Apple with peanut butter", ("snack",), 1, (
        ("09003", 182, "1 medium apple"),
        ("16098", 32, "2 tbsp peanut butter"),
    )),
    FamilyRecipe("Beef tacos", ("dinner",), 4, (
        ("18360", 155, "12 taco shells"),
        ("23572", 450, "1 lb ground beef"),
        ("01009", 113, "1 cup shredded cheddar"),
        ("11252", 72, "1 cup shredded lettuce"),
        ("11529", 180, "1 cup diced tomato"),
        ("06164", 130, "1/2 cup salsa"),
    )),
)  # fmt: skip


def needed_ndb_numbers() -> set[str]:
    return {ndb for recipe in FAMILY_RECIPES for ndb, _, _ in recipe.lines}


def family_recipes_save(*, owner) -> list:
    """Save the 12 recipes as owner's own (the SR28 foods must be in the catalog)."""
    from foods.models import Food
    from foods.recipe_services import RecipeData, RecipeLine, recipe_save

    foods = {
        food.source_ref: food
        for food in Food.objects.filter(source_kind="sr28", source_ref__in=needed_ndb_numbers())
    }
    if missing := needed_ndb_numbers() - set(foods):
        raise LookupError(f"SR28 foods not in the catalog: {', '.join(sorted(missing))}")
    return [
        recipe_save(
            owner=owner,
            data=RecipeData(
                name=recipe.name,
                slots=recipe.slots,
                servings=recipe.servings,
                lines=[
                    RecipeLine(food=foods[ndb], grams=grams, text=text)
                    for ndb, grams, text in recipe.lines
                ],
            ),
        )
        for recipe in FAMILY_RECIPES
    ]


def configure() -> str:
    """Point Django at the bench database and set it up; return where it is."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / "own-recipes-week-bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    import django

    django.setup()
    return os.environ["DATABASE_URL"].split("@")[-1]


def load_catalog() -> None:
    """Load the curated catalog and the recipes' SR28 foods when the database lacks them."""
    from django.core.management import call_command

    from foods.models import Food, Meal

    call_command("migrate", verbosity=0, interactive=False)
    if not Meal.objects.curated().exists():
        print("Loading the curated catalog (once)…", flush=True)
        call_command("load_catalog", "--only-needed", "--no-progress", stdout=io.StringIO())
    have = set(
        Food.objects.filter(source_kind="sr28", source_ref__in=needed_ndb_numbers()).values_list(
            "source_ref", flat=True
        )
    )
    if missing := sorted(needed_ndb_numbers() - have):
        print(f"Importing {len(missing)} SR28 foods the recipes use (once)…", flush=True)
        call_command("import_usda", "--only", *missing, "--no-progress", stdout=io.StringIO())


# Who eats the family's week: 45 in the bench's week, light activity.
PEOPLE = {
    "woman": {"sex": "female", "weight_kg": 68, "height_cm": 165},  # RDA 320 mg
    "man": {"sex": "male", "weight_kg": 84, "height_cm": 180},  # RDA 420 mg
}


def family_profile(person: str = "woman"):
    """Make the bench's user afresh: a woman (or man) of 45, Plan from: only my recipes."""
    from accounts.models import PlanFrom, Profile, User
    from accounts.services import user_delete

    for old in User.objects.filter(username=USERNAME):
        user_delete(user=old)  # their recipes and weeks go with them
    user = User.objects.create(username=USERNAME, email=f"{USERNAME}@example.com")
    profile = Profile.objects.create(
        user=user,
        birth_date=date(1981, 3, 1),
        activity="light",
        plan_from=PlanFrom.MINE,
        **PEOPLE[person],
    )
    return user, profile


def best_day_alone(meals, *, kcal_min: float, kcal_max: float) -> tuple[float, list[str]]:
    """Return the most magnesium one day can hold within the window, ignoring variety.

    Every main meal filled, the snack optional, 0.5 to 2 servings each (the planner's
    steps): a bound for one day alone, to tell the target from the week's variety rules.
    """
    steps = (0.5, 1.0, 1.5, 2.0)
    by_slot = {
        slot: [(meal, n) for meal in meals if slot in meal.slots for n in steps]
        for slot in ("breakfast", "lunch", "dinner", "snack")
    }
    best, picks = -1.0, []
    for day in itertools.product(
        by_slot["breakfast"], by_slot["lunch"], by_slot["dinner"], [None, *by_slot["snack"]]
    ):
        chosen = [pick for pick in day if pick is not None]
        kcal = sum(meal.kcal * n for meal, n in chosen)
        magnesium = sum(meal.magnesium_mg * n for meal, n in chosen)
        if kcal_min <= kcal <= kcal_max and magnesium > best:
            best, picks = magnesium, [f"{meal.name} × {n:g}" for meal, n in chosen]
    return best, picks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="the planner's seed")
    parser.add_argument(
        "--person", choices=sorted(PEOPLE), default="woman", help="who eats the week (45)"
    )
    parser.add_argument(
        "--no-deeper",
        dest="deeper",
        action="store_false",
        help="skip the second, deeper search (bench only)",
    )
    args = parser.parse_args()
    where = configure()
    load_catalog()

    from django.conf import settings

    from foods.models import Meal

    user, profile = family_profile(args.person)
    family_recipes_save(owner=user)
    print(f"database: {where}")
    window = profile.calorie_window
    print(
        f"profile: {args.person} 45, target {profile.magnesium_target_mg} mg, "
        f"window {window.kcal_min}–{window.kcal_max} kcal ({window.basis}), "
        f"Plan from: {profile.get_plan_from_display().lower()}"
    )
    meals = list(Meal.objects.owned_by(user).with_nutrition().order_by("name"))
    print("\nrecipes (per serving; the target needs about "
          f"{100 * profile.magnesium_target_mg / window.kcal_max:.0f} mg per 100 kcal "
          "at the top of the window):")  # fmt: skip
    for meal in meals:
        print(
            f"  {meal.name:<34}{', '.join(meal.slots):<20}{meal.magnesium_mg:>5.0f} mg "
            f"{meal.kcal:>5.0f} kcal {100 * meal.magnesium_mg / meal.kcal:>5.1f} mg/100 kcal"
        )
    best, picks = best_day_alone(meals, kcal_min=window.kcal_min, kcal_max=window.kcal_max)
    print(f"one day alone, variety ignored: at most {best:.0f} mg ({'; '.join(picks)})")

    production = suggest_and_show(user=user, profile=profile, seed=args.seed, verbose=True)
    if args.deeper:
        # Bench only: the same week with the planner's node limits raised, to tell a week
        # the rules forbid from one the search stopped short of.
        from mealplan.planner import week as planner_week

        limits = (planner_week.EXACT_NODE_LIMIT, planner_week.PREFILTERED_NODE_LIMIT)
        planner_week.EXACT_NODE_LIMIT = planner_week.PREFILTERED_NODE_LIMIT = DEEPER_NODE_LIMIT
        settings.PLANNER_TIME_BUDGET_S = DEEPER_TIME_BUDGET_S
        print(f"\nDeeper search (bench only: node limit {DEEPER_NODE_LIMIT}, "
              f"{DEEPER_TIME_BUDGET_S:.0f} s):")  # fmt: skip
        deeper = suggest_and_show(user=user, profile=profile, seed=args.seed, verbose=False)
        planner_week.EXACT_NODE_LIMIT, planner_week.PREFILTERED_NODE_LIMIT = limits
        print(f"own_recipes_week_deeper: {deeper}")
    print(f"own_recipes_week: {production}")


def suggest_and_show(*, user, profile, seed: int, verbose: bool) -> str:
    """Suggest the week afresh, print each day and why; return the summary figures."""
    from mealplan import services
    from mealplan.explain import suggest_message
    from mealplan.selectors import week_view

    outcome = services.weekplan_suggest(
        user=user, week_start=WEEK, replace_unlocked=True, seed=seed, include_past=True
    )
    _, message = suggest_message(
        outcome.result, week_start=WEEK, first_day=outcome.first_day, profile=profile
    )
    print(f"\nSuggest says: {message}\n")
    week = week_view(user=user, week_start=WEEK)
    bindings: Counter = Counter()
    for day in week.days:
        state = "on target" if day.ok else "not on target"
        print(
            f"{day.date:%a %d %b}: magnesium {day.magnesium_mg:.0f}/{day.target_mg} mg "
            f"({day.percent_of_target}%), kcal {day.kcal:.0f} in {day.kcal_min}–{day.kcal_max}"
            f" — {state}"
        )
        for slot, view in day.cells:
            if view is not None:
                print(
                    f"    {slot:<10}{view.meal.name} × {float(view.entry.servings):g}"
                    f" ({view.magnesium_mg:.0f} mg, {view.kcal:.0f} kcal)"
                )
        binding = day.report.get("binding")
        if binding and not day.ok:
            bindings[binding] += 1
            print(f"    binding: {binding}")
        why = day.explanation
        if why is not None and verbose:
            for label, text in (
                ("why", why.reason),
                ("try", why.suggestion),
                ("relaxed", why.relaxed),
                ("empty", why.empty),
            ):
                if text:
                    print(f"    {label}: {text}")
    on_target = sum(day.ok for day in week.days)
    mean = sum(day.magnesium_mg for day in week.days) / 7
    binding = bindings.most_common(1)[0][0] if bindings else "none"
    relaxed = sum("variety" in day.report.get("relaxed", []) for day in week.days)
    uses = Counter(view.meal.name for day in week.days for _, view in day.cells if view)
    (most, times), *_ = uses.most_common(1)
    print(f"variety gave way on {relaxed} of 7 days; most planned: {most} ({times}×)")
    return (
        f"days_on_target={on_target}/7 mean_mg={mean:.0f} "
        f"target_mg={profile.magnesium_target_mg} binding={binding} variety_relaxed_days={relaxed}"
    )


if __name__ == "__main__":
    main()
