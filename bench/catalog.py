"""Time the public catalog pages in-process, over the full USDA SR28 catalog.

Run from the repo root: python bench/catalog.py [--small] [--requests 30]

Without DATABASE_URL the catalog goes into a scratch SQLite file in the temp dir (migrated and
imported with `import_usda` the first time, reused after); with DATABASE_URL set that database
is used, and filled the same way when it holds no foods. Meals come from `load_catalog` when
that command exists, else synthetic meals are made from the imported foods. `--small` times
~500 synthetic foods in a fresh SQLite file instead (what CI runs). Each page is requested a
few times to warm up, then timed through Django's test Client (server time, no network); the
median and 90th percentile are printed with the number of queries. Prints figures only;
nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SMALL_FOODS = 500
SMALL_MEALS = 120
SYNTHETIC_MEALS = 300
GOAL_MS = 50.0
WORDS = (
    "spinach",
    "kale",
    "chard",
    "almonds",
    "cashews",
    "pumpkin",
    "sunflower",
    "seeds",
    "oats",
    "quinoa",
    "rice",
    "beans",
    "lentils",
    "chickpeas",
    "salmon",
    "mackerel",
    "halibut",
    "chocolate",
    "yogurt",
    "bread",
    "tofu",
    "banana",
    "avocado",
)
STATES = ("raw", "cooked", "boiled", "roasted", "dried", "canned", "frozen")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help=f"~{SMALL_FOODS} synthetic foods (CI)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    return parser.parse_args()


def configure(small: bool) -> str:
    """Point Django at the bench database and set it up; return a description of it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        directory = tempfile.gettempdir()
        if small:
            directory = tempfile.mkdtemp(prefix="catalog-bench-")
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
        name = "catalog-bench-small.sqlite3" if small else "mealplan-catalog-bench.sqlite3"
        url = f"sqlite:///{Path(directory) / name}"
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed
    django.setup()
    from django.conf import settings

    # Time what production runs: no query log, no debug page machinery.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return url.split("@")[-1]


def load_full_catalog() -> None:
    """Import SR28 and the curated meals when the database does not hold them yet."""
    from django.core.management import call_command, get_commands

    from foods.models import Food, Meal

    call_command("migrate", verbosity=0, interactive=False)
    if Food.objects.filter(source_kind="sr28").count() < 8000:
        print("Importing USDA SR28 (once)…", flush=True)
        call_command("import_usda", no_progress=True, stdout=io.StringIO())
    if not Meal.objects.exists() and "load_catalog" in get_commands():
        call_command("load_catalog", verbosity=0, stdout=io.StringIO())
    if Meal.objects.count() < 50:
        make_meals(SYNTHETIC_MEALS, rng=random.Random(7))


def load_small_catalog() -> None:
    """Make a synthetic catalog of ~500 foods and some meals in an empty database."""
    from django.core.management import call_command

    from foods.models import Food

    call_command("migrate", verbosity=0, interactive=False)
    if Food.objects.exists():
        print("The database already holds foods; timing those.")
        return
    make_foods(SMALL_FOODS, rng=random.Random(42))
    make_meals(SMALL_MEALS, rng=random.Random(7))


def maybe(rng: random.Random, value: float, unknown: float = 0.1) -> float | None:
    return None if rng.random() < unknown else round(value, 1)


def make_foods(count: int, *, rng: random.Random) -> None:
    """Create synthetic foods with portions and allergens, like a slice of SR28."""
    from foods.models import Allergen, Category, Food, Portion

    categories = [Category.objects.create(name=f"Bench group {i}") for i in range(12)]
    allergens = list(Allergen.objects.all())
    foods = []
    for index in range(count):
        magnesium = rng.uniform(0, 400)
        vegan = rng.random() < 0.5
        foods.append(
            Food(
                name=f"{rng.choice(WORDS).capitalize()}, {rng.choice(STATES)}, bench {index}",
                category=rng.choice(categories),
                source_kind="label",
                kcal_per_100g=maybe(rng, rng.choice([0.0, rng.uniform(10, 900)])),
                protein_g_per_100g=maybe(rng, rng.uniform(0, 30)),
                fat_g_per_100g=maybe(rng, rng.uniform(0, 50)),
                carbohydrate_g_per_100g=maybe(rng, rng.uniform(0, 80)),
                sodium_mg_per_100g=maybe(rng, rng.uniform(0, 900)),
                magnesium_mg_per_100g=maybe(rng, magnesium),
                vegan=vegan,
                vegetarian=vegan or rng.random() < 0.5,
                pescatarian=vegan or rng.random() < 0.7,
            )
        )
    foods = Food.objects.bulk_create(foods)
    Portion.objects.bulk_create(
        Portion(food=food, name="1 cup", grams=rng.uniform(10, 250), is_default=True)
        for food in foods
        if rng.random() < 0.7
    )
    through = Food.allergens.through
    through.objects.bulk_create(
        through(food_id=food.pk, allergen_id=rng.choice(allergens).pk)
        for food in foods
        if rng.random() < 0.2
    )


def make_meals(count: int, *, rng: random.Random) -> None:
    """Create synthetic meals of 3 to 6 active foods each."""
    from foods.models import Food, Ingredient, Meal

    food_ids = list(Food.objects.active().values_list("pk", flat=True)[:3000])
    start = Meal.objects.count()
    meals = Meal.objects.bulk_create(
        Meal(
            name=f"Bench meal {start + index}",
            fits_breakfast=index % 4 == 0,
            fits_lunch=index % 4 in (1, 2),
            fits_dinner=index % 4 in (2, 3),
            fits_snack=index % 5 == 0,
            servings=rng.choice([1, 2, 4]),
        )
        for index in range(count)
    )
    Ingredient.objects.bulk_create(
        Ingredient(meal=meal, food_id=food_id, grams=rng.uniform(20, 300))
        for meal in meals
        for food_id in rng.sample(food_ids, rng.randint(3, 6))
    )


def pages() -> list[tuple[str, str, dict]]:
    """Return (label, url, headers) for every page timed."""
    from django.urls import reverse

    from foods.models import Food, Meal

    food = Food.objects.active().filter(portions__isnull=False).first()
    meal = Meal.objects.active().first()
    food_list = reverse("foods:food_list")
    htmx = {"HTTP_HX_REQUEST": "true"}
    listed = [
        ("food list, unfiltered", food_list, {}),
        ("search 'spinach'", f"{food_list}?q=spinach", {}),
        ("search 'seeds raw'", f"{food_list}?q=seeds+raw", {}),
        ("search 'seeds raw', htmx partial", f"{food_list}?q=seeds+raw", htmx),
        ("sorted by Mg per 100 kcal", f"{food_list}?sort=mg_100kcal", {}),
        ("diet filter (vegan)", f"{food_list}?diet=vegan", {}),
        (
            "vegan, no nuts, per 100 kcal, p. 3",
            f"{food_list}?diet=vegan&avoid=tree_nuts&avoid=peanuts&sort=mg_100kcal&page=3",
            {},
        ),  # fmt: skip
        ("last page, by name", f"{food_list}?sort=name&page=10000", {}),
        ("best sources", reverse("foods:best_sources"), {}),
        ("best sources, vegan", reverse("foods:best_sources") + "?diet=vegan", {}),
        ("meal list", reverse("foods:meal_list"), {}),
        ("meal list, vegan, nut-free", reverse("foods:meal_list") + "?diet=vegan&nut_free=on", {}),
    ]
    if food is not None:
        listed.append(("food detail", reverse("foods:food_detail", args=[food.pk]), {}))
    if meal is not None:
        listed.append(("meal detail", reverse("foods:meal_detail", args=[meal.pk]), {}))
    return listed


def time_page(url: str, headers: dict, *, requests: int, warmup: int) -> tuple[list[float], int]:
    """Request a page warmup + requests times; return the timings in ms and its query count."""
    from django.db import connection
    from django.test import Client

    client = Client()
    for _ in range(warmup):
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, **headers)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries)


def main() -> None:
    args = parse_args()
    where = configure(args.small)
    (load_small_catalog if args.small else load_full_catalog)()

    from django.db import connection

    from foods.models import Food, Meal

    foods, meals = Food.objects.active().count(), Meal.objects.active().count()
    print(
        f"Catalog pages on {connection.vendor} ({where}): {foods:,} active foods, "
        f"{meals:,} meals; {args.requests} timed requests each after {args.warmup} warm-up; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (others' work skews times)"
    )
    print(f"{'page':<38} {'median ms':>9} {'p90 ms':>8} {'queries':>7}")
    medians = []
    for label, url, headers in pages():
        timings, queries = time_page(url, headers, requests=args.requests, warmup=args.warmup)
        median = statistics.median(timings)
        p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else median
        medians.append(median)
        flag = "" if median < GOAL_MS else f"  over the {GOAL_MS:.0f} ms goal"
        print(f"{label:<38} {median:>9.1f} {p90:>8.1f} {queries:>7}{flag}")
    print(
        f"slowest median {max(medians):.1f} ms (goal: under {GOAL_MS:.0f} ms); "
        f"load average now {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
