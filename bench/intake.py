"""Measure the day's gap suggestion on 200 simulated days in which one planned meal is skipped.

Run from the repo root: python bench/intake.py [--days 200] [--seed 0]

Runs in a scratch SQLite database (or DATABASE_URL): migrate, load_catalog --only-needed (the
curated meals and their foods: the familiar foods the suggestion offers, and the products).
For several profiles (diets, nut-free, carbohydrate and sodium caps) it plans weeks with
"Suggest my week", then for each day skips one planned meal at random, counts the rest as
eaten and asks today_gap what closes the gap (plan_mg and eaten_mg are the medians of the
day's planned and eaten magnesium). Prints per-profile figures, the days proven
impossible with their reasons, and last the line
`intake: days=<n> gap_closed=<p>% median_ms=<t> max_item_g=<g>`, where gap_closed is the
share of the days with a gap that closing is possible on (not proven impossible) that the
suggestion closed. Prints figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEK = date(2026, 11, 23)
# (name, diet, avoid nuts, sex, carbohydrate cap g, sodium cap mg)
PROFILES = (
    ("omnivore", "omnivore", False, "male", None, None),
    ("omnivore-f-caps", "omnivore", False, "female", 130, 2300),
    ("pescatarian", "pescatarian", False, "female", None, None),
    ("vegetarian", "vegetarian", False, "male", None, None),
    ("vegetarian-nut-free", "vegetarian", True, "female", None, None),
    ("vegan", "vegan", False, "male", None, None),
    ("vegan-nut-free-caps", "vegan", True, "male", 150, 2300),
    ("omnivore-nut-free", "omnivore", True, "female", None, None),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/intake.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mealplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import Profile, User
    from mealplan import services
    from mealplan.intake import NUTRIENTS, Amounts
    from mealplan.intake_gap import today_gap
    from mealplan.models import PlanEntry
    from mealplan.selectors import entry_views

    call_command("migrate", verbosity=0)
    call_command("load_catalog", "--only-needed", "--no-progress", stdout=io.StringIO())
    rng = random.Random(args.seed)

    def amounts(view) -> Amounts:
        return Amounts(**{n: getattr(view, n) for n in NUTRIENTS}, unknown=view.unknown)

    days_per_profile = -(-args.days // len(PROFILES))
    times, max_item = [], 0.0
    statuses: Counter = Counter()
    reasons: Counter = Counter()
    impossible_examples: list[str] = []
    total_days = 0
    print(f"{'profile':<22}{'days':>5}{'no_gap':>7}{'closed':>7}{'partial':>8}"
          f"{'imposs':>7}{'median_ms':>10}{'items':>6}{'plan_mg':>8}{'eaten_mg':>9}")  # fmt: skip
    for name, diet, nut_free, sex, carb, sodium in PROFILES:
        if total_days >= args.days:
            break
        user = User.objects.create(username=name, email=f"{name}@example.com")
        profile = Profile.objects.create(
            user=user,
            birth_date=date(1980, 1, 1),
            sex=sex,
            diet=diet,
            avoid_allergens=["tree_nuts", "peanuts"] if nut_free else [],
            carbohydrate_max_g=carb,
            sodium_max_mg=sodium,
        )
        row: Counter = Counter()
        profile_times, items, planned_mg, eaten_mg = [], 0, [], []
        day_index = 0
        week = 0
        while day_index < days_per_profile and total_days < args.days:
            week_start = WEEK + timedelta(weeks=week)
            services.weekplan_suggest(
                user=user, week_start=week_start, include_past=True, seed=args.seed + week
            )
            for offset in range(7):
                if day_index >= days_per_profile or total_days >= args.days:
                    break
                day = week_start + timedelta(days=offset)
                views = entry_views(
                    list(PlanEntry.objects.owned_by(user).filter(date=day).order_by("slot"))
                )
                skipped = rng.randrange(len(views)) if views else None
                eaten = Amounts()
                for index, view in enumerate(views):
                    if index != skipped:
                        eaten = eaten + amounts(view)
                planned_mg.append(sum(view.magnesium_mg for view in views))
                eaten_mg.append(eaten.magnesium_mg)
                started = time.perf_counter()
                gap = today_gap(user, profile, day, eaten, Amounts())
                elapsed = (time.perf_counter() - started) * 1000
                day_index += 1
                total_days += 1
                row["days"] += 1
                if gap is None:
                    row["no_gap"] += 1
                    continue
                times.append(elapsed)
                profile_times.append(elapsed)
                row[gap.status] += 1
                statuses[gap.status] += 1
                items += len(gap.items)
                max_item = max([max_item, *(item.grams for item in gap.items)])
                if gap.status != "closed":
                    reasons[", ".join(gap.binding) or "none"] += 1
                    if len(impossible_examples) < 5:
                        impossible_examples.append(f"  {name} {day}: {gap.explanation}")
            week += 1
        median = statistics.median(profile_times) if profile_times else 0.0
        mg_planned, mg_eaten = statistics.median(planned_mg), statistics.median(eaten_mg)
        print(f"{name:<22}{row['days']:>5}{row['no_gap']:>7}{row['closed']:>7}"
              f"{row['partial']:>8}{row['impossible']:>7}{median:>10.1f}{items:>6}"
              f"{mg_planned:>8.0f}{mg_eaten:>9.0f}")  # fmt: skip
    with_gap = sum(statuses.values())
    proven = statuses["partial"] + statuses["impossible"]
    possible = with_gap - proven
    print(f"days with a gap: {with_gap}; closed: {statuses['closed']}; "
          f"proven impossible: {proven} (partial offered: {statuses['partial']})")  # fmt: skip
    if reasons:
        print("proven impossible, by what stops it: "
              + "; ".join(f"{code}: {n}" for code, n in reasons.most_common()))  # fmt: skip
        print("\n".join(impossible_examples))
    share = 100 * statuses["closed"] / possible if possible else 100.0
    median_ms = statistics.median(times) if times else 0.0
    print(f"closed of all days with a gap: {100 * statuses['closed'] / max(with_gap, 1):.1f}%; "
          f"max_ms={max(times, default=0):.0f}")  # fmt: skip
    print(
        f"intake: days={total_days} gap_closed={share:.1f}% median_ms={median_ms:.0f} "
        f"max_item_g={max_item:.0f}"
    )


if __name__ == "__main__":
    main()
