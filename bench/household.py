"""Benchmark the household planner: one shared dish per cell, every member's own portion.

Run from the repo root: python bench/household.py [--weeks 5] [--budget 10]. A household of
four: a man of 42, a pregnant woman of 34, a vegetarian child of 12 and a child of 7 with a
peanut allergy, everyone eating every meal at home. On the synthetic N=2,000 catalog
(bench/planner.py's, "vegetarian" = its vegan tag, "peanuts" = its nut tag) and on the curated
catalog (a scratch SQLite database as bench/quality.py: migrate, load_catalog --only-needed;
candidate meals through mealplan.planning, each member's `suits` from Meal querysets
for_diet / without_allergens, rules from accounts.targets). Per catalog: median and p90
solve time (HouseholdResult.total_ms) over several weeks (seeds), % of member-days keeping
every rule (DayReport.ok), distinct dishes a day in the household plan, and distinct dishes
a day when each member is planned alone with plan_week. Prints figures only; the last line
is the curated catalog's `household:` line.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.planner import make_catalog  # noqa: E402
from mealplan.planner import (  # noqa: E402
    Catalog,
    Eater,
    HouseholdResult,
    Rules,
    plan_household_week,
    plan_week,
)

DAYS = 7
WEEK_START = date(2026, 11, 23)


@dataclass(frozen=True)
class Member:
    """One member: who they are, what they avoid."""

    name: str
    age: int
    sex: str
    weight_kg: float
    height_cm: float
    activity: str = "light"
    life_stage: str = "none"
    diet: str = "omnivore"
    avoid_allergens: tuple[str, ...] = ()


MEMBERS = (
    Member("man 42", 42, "male", 82, 180, "moderate"),
    Member("pregnant woman 34", 34, "female", 66, 168, "light", life_stage="pregnant"),
    Member("vegetarian child 12", 12, "male", 40, 152, "active", diet="vegetarian"),
    Member("child 7, peanut allergy", 7, "female", 23, 122, "active", avoid_allergens=("peanuts",)),
)

# Physical activity coefficients of the DRI (2005) EER equations for children 3-18, by sex:
# sedentary, low active, active, very active.
_PA = {
    "male": {
        "sedentary": 1.0,
        "light": 1.13,
        "moderate": 1.13,
        "active": 1.26,
        "very_active": 1.42,
    },
    "female": {
        "sedentary": 1.0,
        "light": 1.16,
        "moderate": 1.16,
        "active": 1.31,
        "very_active": 1.56,
    },
}


def child_eer_kcal(m: Member) -> float:
    """Return a child's Estimated Energy Requirement (DRI 2005), kcal/day."""
    pa = _PA[m.sex][m.activity]
    height_m = m.height_cm / 100.0
    growth = 20.0 if m.age <= 8 else 25.0
    if m.sex == "male":
        return 88.5 - 61.9 * m.age + pa * (26.7 * m.weight_kg + 903 * height_m) + growth
    return 135.3 - 30.8 * m.age + pa * (10.0 * m.weight_kg + 934 * height_m) + growth


def member_rules(m: Member) -> Rules:
    """Return a member's rules: NIH RDA and supplement UL by age, calorie window."""
    from accounts import targets

    magnesium = targets.magnesium_rda_mg(age_years=m.age, sex=m.sex, life_stage=m.life_stage)
    upper = targets.supplement_upper_limit_mg(age_years=m.age)
    if m.age >= 18:
        window = targets.calorie_window(
            weight_kg=m.weight_kg,
            height_cm=m.height_cm,
            age_years=m.age,
            sex=m.sex,
            activity=m.activity,
        )
        low, high = window.kcal_min, window.kcal_max
    else:
        daily = child_eer_kcal(m)
        low, high = round(daily * 0.9 / 10) * 10, round(daily * 1.1 / 10) * 10
    return Rules(
        magnesium_target_mg=float(magnesium),
        kcal_min=float(low),
        kcal_max=float(high),
        added_magnesium_max_mg=float(upper),
    )


def sub_catalog(catalog: Catalog, keep_ids: frozenset[int]) -> Catalog:
    """Return the meals of a catalog a member may eat."""
    keep = np.isin(catalog.meal_ids, np.fromiter(keep_ids, dtype=np.int64))
    return Catalog(
        meal_ids=catalog.meal_ids[keep],
        slot_fit=catalog.slot_fit[keep],
        kcal=catalog.kcal[keep],
        magnesium_mg=catalog.magnesium_mg[keep],
        added_magnesium_mg=catalog.added_magnesium_mg[keep],
        carbohydrate_g=catalog.carbohydrate_g[keep],
        sodium_mg=catalog.sodium_mg[keep],
        preference=catalog.preference[keep],
        unit_only=catalog.unit_only[keep],
        recent_uses=catalog.recent_uses[keep],
        ingredient_ids=tuple(catalog.ingredient_ids[i] for i in np.flatnonzero(keep)),
    )


def dishes_per_day(meal_days: list[tuple[int, int]]) -> float:
    """Return the mean number of distinct dishes a day."""
    per_day = [len({m for d, m in meal_days if d == day}) for day in range(DAYS)]
    return float(np.mean(per_day))


def run_catalog(
    label: str, catalog: Catalog, eaters: list[Eater], weeks: int, budget: float
) -> str:
    """Plan `weeks` household weeks (seeds) and as many separate weeks; return the summary."""
    print()
    print(f"{label}: {len(catalog)} candidate meals")
    for eater in eaters:
        r = eater.rules
        n = len(catalog) if eater.suits is None else len(eater.suits)
        print(
            f"  {eater.name:<26} Mg {r.magnesium_target_mg:>4.0f} mg, "
            f"{r.kcal_min:.0f}-{r.kcal_max:.0f} kcal, added Mg <= {r.added_magnesium_max_mg:.0f}"
            f" mg, {n} meals suit"
        )
    times: list[float] = []
    ok: list[bool] = []
    together: list[float] = []
    apart: list[float] = []
    print(
        f"  {'seed':>4} {'ms':>7} {'optimal':>7} {'limited':>7} {'ok days per member':>22} "
        f"{'dishes/day':>10} {'separate':>8}"
    )
    for seed in range(weeks):
        result: HouseholdResult = plan_household_week(
            catalog, eaters, days=DAYS, seed=seed, time_budget_s=budget
        )
        times.append(result.total_ms)
        member_ok = [sum(d.ok for d in days) for days in result.reports]
        ok += [d.ok for days in result.reports for d in days]
        shared = dishes_per_day([(a.day, a.meal_id) for a in result.assignments])
        together.append(shared)
        separate: list[tuple[int, int]] = []
        for eater in eaters:
            own = catalog if eater.suits is None else sub_catalog(catalog, eater.suits)
            plan = plan_week(own, eater.rules, days=DAYS, seed=seed, time_budget_s=budget)
            separate += [(a.day, a.meal_id) for a in plan.assignments]
        apart.append(dishes_per_day(separate))
        print(
            f"  {seed:>4} {result.total_ms:>7.0f} {result.optimal!s:>7} {result.limited!s:>7} "
            f"{'/'.join(map(str, member_ok)):>22} {shared:>10.2f} {apart[-1]:>8.2f}"
        )
        for u in result.unserved:
            print(f"       unserved: day {u.day} slot {u.slot} {eaters[u.eater].name}: {u.reason}")
        for e, days in enumerate(result.reports):
            for d in days:
                if not d.ok:
                    print(
                        f"       {eaters[e].name} day {d.day}: {', '.join(d.failures)} "
                        f"(binding {d.binding}; Mg {d.magnesium_mg:.0f}, kcal {d.kcal:.0f})"
                    )
    return (
        f"household: members={len(eaters)} median_ms={np.median(times):.0f} "
        f"p90_ms={np.percentile(times, 90):.0f} member_days_ok={100.0 * np.mean(ok):.1f}% "
        f"dishes_per_day={np.mean(together):.2f} separate_dishes_per_day={np.mean(apart):.2f}"
    )


def synthetic_eaters(n: int) -> tuple[Catalog, list[Eater]]:
    """Return the synthetic catalog and the four members on it."""
    synthetic = make_catalog(n, seed=n)
    ids = synthetic.catalog.meal_ids
    eaters = []
    for m in MEMBERS:
        keep = np.ones(ids.size, dtype=bool)
        if m.diet == "vegetarian":
            keep &= synthetic.vegan
        if m.avoid_allergens:
            keep &= ~synthetic.contains_nuts
        suits = None if keep.all() else frozenset(ids[keep].tolist())
        eaters.append(Eater(rules=member_rules(m), suits=suits, name=m.name))
    return synthetic.catalog, eaters


def curated_eaters() -> tuple[Catalog, list[Eater]]:
    """Return the curated candidate catalog and the four members on it (scratch database)."""
    from bench.quality import setup_database

    setup_database()
    from accounts.models import Profile, User
    from foods.models import Meal
    from mealplan.planning import candidate_catalog

    user, _ = User.objects.update_or_create(
        username="bench-household", defaults={"email": "bench-household@example.com"}
    )
    profile, _ = Profile.objects.update_or_create(
        user=user, defaults={"birth_date": date(1984, 1, 1), "sex": "male"}
    )
    catalog, _ = candidate_catalog(user=user, profile=profile, week_start=WEEK_START)
    eaters = []
    for m in MEMBERS:
        meals = Meal.objects.curated().active().for_diet(m.diet)
        meals = meals.without_allergens(list(m.avoid_allergens))
        suits = frozenset(meals.values_list("pk", flat=True)) & frozenset(catalog.meal_ids.tolist())
        eaters.append(Eater(rules=member_rules(m), suits=suits, name=m.name))
    return catalog, eaters


def main() -> None:
    """Run both catalogs; print the curated `household:` line last."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=5, help="weeks (seeds) per catalog")
    parser.add_argument("--budget", type=float, default=10.0, help="time_budget_s per week")
    parser.add_argument("--size", type=int, default=2000, help="synthetic catalog size")
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    lines = []
    curated, curated_members = curated_eaters()
    # Load HiGHS once so its one-off start-up is not billed to the first week.
    plan_household_week(curated, curated_members, days=1, time_budget_s=0.5)
    if not args.no_synthetic:
        catalog, eaters = synthetic_eaters(args.size)
        label = f"synthetic N={args.size}"
        lines.append((label, run_catalog(label, catalog, eaters, args.weeks, args.budget)))
    label = "curated catalog"
    lines.append((label, run_catalog(label, curated, curated_members, args.weeks, args.budget)))
    print()
    for label, line in lines:
        print(f"{label}:")
        print(line)


if __name__ == "__main__":
    main()
