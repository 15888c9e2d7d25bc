"""Time "Suggest my week" end to end (service + database) on the curated catalog, every diet.

Runs in a scratch SQLite database (or DATABASE_URL): migrate, load_catalog --only-needed,
then for each diet x nut-free profile regenerates the week a few times and prints the median
and max time and how many days are ok. Prints figures only.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=3, help="suggestions per profile")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/suggest.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import Profile, User
    from mealplan import services
    from mealplan.selectors import week_view

    call_command("migrate", verbosity=0)
    call_command("load_catalog", "--only-needed", "--no-progress", stdout=io.StringIO())
    week = date(2026, 11, 23)
    print(f"{'profile':<24}{'median_ms':>10}{'max_ms':>8}{'days_ok':>9}")
    all_times, all_ok, all_days = [], 0, 0
    for diet, nut_free in itertools.product(
        ["omnivore", "pescatarian", "vegetarian", "vegan"], [False, True]
    ):
        name = f"{diet}{'-nut-free' if nut_free else ''}"
        user = User.objects.create(username=name, email=f"{name}@example.com")
        Profile.objects.create(
            user=user,
            birth_date=date(1980, 1, 1),
            sex="male",
            diet=diet,
            avoid_allergens=["tree_nuts", "peanuts"] if nut_free else [],
        )
        times, ok = [], 0
        for seed in range(args.weeks):
            started = time.perf_counter()
            services.weekplan_suggest(user=user, week_start=week, replace_unlocked=True, seed=seed)
            times.append((time.perf_counter() - started) * 1000)
            ok += sum(day.ok for day in week_view(user=user, week_start=week).days)
        all_times += times
        all_ok += ok
        all_days += 7 * args.weeks
        print(f"{name:<24}{statistics.median(times):>10.0f}{max(times):>8.0f}"
              f"{ok:>5}/{7 * args.weeks}")  # fmt: skip
    print(
        f"suggest: curated median_ms={statistics.median(all_times):.0f} "
        f"max_ms={max(all_times):.0f} days_ok={100 * all_ok / all_days:.1f}%"
    )


if __name__ == "__main__":
    main()
