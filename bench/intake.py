"""Measure the day's gap suggestion on 200 simulated days in which one planned meal is skipped.

Run from the repo root: python bench/intake.py [--days 200] [--seed 0]

Runs in a scratch SQLite database (or DATABASE_URL): migrate, load_catalog --only-needed (the
curated meals and their foods: the familiar foods the suggestion offers, and the products).
The profiles are the users this is for, with high targets: men 31 and over (420 mg),
pregnant teenagers (14-18, 400 mg), women with carbohydrate and sodium caps; and their weeks
come from where such users plan: the whole catalog ("catalog"), the catalog without its
magnesium-rich dishes, disliked ("lower-mg": the dishes above their slot's median magnesium;
single-food snacks stay), or only their own recipes ("my-recipes": 16 copies of the
lower-magnesium curated meals, Plan from "Only my recipes"). Over the whole catalog Suggest
plans 590-830 mg a day and a random skip leaves a gap on few days; these weeks sit nearer
the target, so a fair share of days has a gap to close.

For each profile it plans weeks with "Suggest my week", then for each day skips one planned
meal at random, counts the rest as eaten and asks today_gap what closes the gap (plan_mg and
eaten_mg are the medians of the day's planned and eaten magnesium). The same days are asked
again with the richest planned meal skipped (a harder gap), printed on a line of their own.
Prints per-profile figures, how many days had a gap, how many it closed, the days proven
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
MAN_45, MAN_33, MAN_62 = date(1981, 3, 1), date(1993, 5, 1), date(1964, 2, 1)
GIRL_16, GIRL_17, WOMAN_40 = date(2010, 6, 1), date(2009, 9, 1), date(1986, 4, 1)
# (name, diet, avoid nuts, sex, birth date, life stage, carbohydrate cap g, sodium cap mg,
#  where the weeks come from: catalog | lower-mg | my-recipes)
PROFILES = (
    ("man45-omni-lower", "omnivore", False, "male", MAN_45, "none", None, None, "lower-mg"),
    ("pregnant16-veg-lower", "vegetarian", False, "female", GIRL_16, "pregnant", None, None,
     "lower-mg"),
    ("man33-vegan-nf-caps", "vegan", True, "male", MAN_33, "none", 150, 2300, "lower-mg"),
    ("pregnant17-omni-mine", "omnivore", False, "female", GIRL_17, "pregnant", None, None,
     "my-recipes"),
    ("man62-omni-nf-mine", "omnivore", True, "male", MAN_62, "none", None, None, "my-recipes"),
    ("woman40-pesc-caps-mine", "pescatarian", False, "female", WOMAN_40, "none", 130, 2300,
     "my-recipes"),
    ("man45-veg-mine", "vegetarian", False, "male", MAN_45, "none", None, None, "my-recipes"),
    ("man33-omni-catalog", "omnivore", False, "male", MAN_33, "none", None, None, "catalog"),
)  # fmt: skip
# How many of the lowest-magnesium suitable curated meals per slot become "my recipes".
MY_RECIPES_PER_SLOT = 4


def _lower_magnesium_meals(*, user, profile, per_slot: int | None):
    """The suitable curated dishes by slot, lowest magnesium per serving first (per_slot of
    each, or those at or under the slot's median when per_slot is None)."""
    from foods.models import Slot
    from mealplan.planning import suitable_meals

    meals = list(suitable_meals(profile=profile).with_nutrition())
    chosen: dict[int, object] = {}
    above: set[int] = set()
    for slot in Slot.values:
        fits = sorted(
            (m for m in meals if slot in m.slots and m.magnesium_mg is not None),
            key=lambda m: (m.magnesium_mg, m.pk),
        )
        if per_slot is not None:
            picked = [m for m in fits if m.pk not in chosen][:per_slot]
            chosen.update((m.pk, m) for m in picked)
        else:
            median = statistics.median([m.magnesium_mg for m in fits]) if fits else 0.0
            above.update(m.pk for m in fits if m.magnesium_mg > median and not m.single_food)
    return list(chosen.values()), above


def _plan_source(*, user, profile, source: str) -> None:
    """Make the user's weeks come from the source: dislikes, or their own recipes."""
    from accounts.models import PlanFrom
    from foods.recipe_services import RecipeData, RecipeLine, recipe_save
    from mealplan.models import MealPreference

    if source == "lower-mg":
        _, above = _lower_magnesium_meals(user=user, profile=profile, per_slot=None)
        MealPreference.objects.bulk_create(
            MealPreference(user=user, meal_id=pk, verdict=MealPreference.Verdict.DISLIKE)
            for pk in sorted(above)
        )
    elif source == "my-recipes":
        picked, _ = _lower_magnesium_meals(user=user, profile=profile, per_slot=MY_RECIPES_PER_SLOT)
        for meal in picked:
            lines = [
                RecipeLine(food=i.food, grams=i.grams, text=f"{i.grams:g} g {i.food.name}")
                for i in meal.ingredients.select_related("food")
            ]
            recipe_save(
                owner=user,
                data=RecipeData(
                    name=f"My {meal.name}"[:120], slots=meal.slots, servings=meal.servings,
                    lines=lines,
                ),
            )  # fmt: skip
        profile.plan_from = PlanFrom.MINE
        profile.save(update_fields=["plan_from"])


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
    hard_times: list[float] = []
    hard_statuses: Counter = Counter()
    hard_reasons: Counter = Counter()
    hard_max_item = 0.0
    print(f"{'profile':<24}{'mg':>4}{'days':>5}{'no_gap':>7}{'closed':>7}{'partial':>8}"
          f"{'imposs':>7}{'median_ms':>10}{'items':>6}{'plan_mg':>8}{'eaten_mg':>9}")  # fmt: skip
    for name, diet, nut_free, sex, born, stage, carb, sodium, source in PROFILES:
        if total_days >= args.days:
            break
        user = User.objects.create(username=name, email=f"{name}@example.com")
        profile = Profile.objects.create(
            user=user,
            birth_date=born,
            sex=sex,
            life_stage=stage,
            diet=diet,
            avoid_allergens=["tree_nuts", "peanuts"] if nut_free else [],
            carbohydrate_max_g=carb,
            sodium_max_mg=sodium,
        )
        _plan_source(user=user, profile=profile, source=source)
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
                # The harder day: the richest planned meal skipped instead.
                richest = max(range(len(views)), key=lambda i: views[i].magnesium_mg, default=None)
                hard_eaten = Amounts()
                for index, view in enumerate(views):
                    if index != richest:
                        hard_eaten = hard_eaten + amounts(view)
                started = time.perf_counter()
                hard = today_gap(user, profile, day, hard_eaten, Amounts())
                if hard is not None:
                    hard_times.append((time.perf_counter() - started) * 1000)
                    hard_statuses[hard.status] += 1
                    hard_max_item = max([hard_max_item, *(item.grams for item in hard.items)])
                    if hard.status != "closed":
                        hard_reasons[", ".join(hard.binding) or "none"] += 1
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
        print(f"{name:<24}{profile.magnesium_target_mg:>4}{row['days']:>5}{row['no_gap']:>7}{row['closed']:>7}"
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
    hard_gap = sum(hard_statuses.values())
    hard_proven = hard_gap - hard_statuses["closed"]
    print(f"harder days (the richest planned meal skipped): with a gap {hard_gap}, closed "
          f"{hard_statuses['closed']}, proven impossible {hard_proven} "
          f"({'; '.join(f'{c}: {n}' for c, n in hard_reasons.most_common()) or 'none'}), "
          f"median_ms={statistics.median(hard_times) if hard_times else 0:.0f} "
          f"max_ms={max(hard_times, default=0):.0f} max_item_g={hard_max_item:.0f}")  # fmt: skip
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
