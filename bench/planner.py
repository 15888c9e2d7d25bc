"""Benchmark the week planner on synthetic catalogs, then its plan quality on the curated one.

Run from the repo root: python bench/planner.py [--sizes 100,500,2000,10000] [--weeks 5]
[--no-quality | --quality-only] [--long-budget 120]. The synthetic part ends with the
`planner: N=...` lines, the quality part (bench/quality.py, a scratch database) with the
`quality:` line. Prints figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import resource
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.quality import greedy_week, rules_hold  # noqa: E402
from mealplan.planner import SLOTS, Catalog, Rules, plan_week  # noqa: E402
from mealplan.planner.problem import KCAL_TOL, MG_TOL  # noqa: E402

BREAKFAST, LUNCH, DINNER, SNACK = range(len(SLOTS))
MEDIAN_KCAL = {BREAKFAST: 350.0, LUNCH: 550.0, DINNER: 550.0, SNACK: 200.0}
# Main ingredient foods: a pool that grows with the catalog, drawn with a Zipf-like weight so
# that a few foods (spinach, black beans, oats) sit in many meals, as in the curated catalog.
FOODS_BASE, FOODS_PER_MEAL_SHARE = 40, 0.1


@dataclass(frozen=True)
class SyntheticCatalog:
    """A catalog plus the diet and allergen tags a profile filters on."""

    catalog: Catalog
    vegan: np.ndarray
    contains_nuts: np.ndarray

    def only(self, keep: np.ndarray) -> Catalog:
        """Return the sub-catalog of the meals kept (the caller's diet filter)."""
        c = self.catalog
        return Catalog(
            meal_ids=c.meal_ids[keep],
            slot_fit=c.slot_fit[keep],
            kcal=c.kcal[keep],
            magnesium_mg=c.magnesium_mg[keep],
            added_magnesium_mg=c.added_magnesium_mg[keep],
            carbohydrate_g=c.carbohydrate_g[keep],
            sodium_mg=c.sodium_mg[keep],
            preference=c.preference[keep],
            unit_only=c.unit_only[keep],
            recent_uses=c.recent_uses[keep],
            ingredient_ids=tuple(c.ingredient_ids[i] for i in np.flatnonzero(keep)),
        )


@dataclass(frozen=True)
class Profile:
    """A user: diet filter plus daily rules."""

    name: str
    rules: Rules
    vegan_nut_free: bool = False


PROFILES = (
    Profile("omnivore", Rules(magnesium_target_mg=420, kcal_min=1800, kcal_max=2200)),
    Profile(
        "vegan-nut-free",
        Rules(magnesium_target_mg=420, kcal_min=1800, kcal_max=2200),
        vegan_nut_free=True,
    ),
    Profile("tight", Rules(magnesium_target_mg=420, kcal_min=1600, kcal_max=1800)),
)


def make_catalog(n: int, seed: int) -> SyntheticCatalog:
    """Generate n meals with USDA-like kcal and magnesium distributions."""
    rng = np.random.default_rng(seed)
    primary = rng.choice(4, size=n, p=[0.25, 0.3, 0.3, 0.15])
    fit = np.zeros((n, 4), dtype=bool)
    fit[np.arange(n), primary] = True
    # Many lunches are dinners too, some breakfasts double as snacks.
    main = (primary == LUNCH) | (primary == DINNER)
    fit[main & (rng.random(n) < 0.6), LUNCH] = True
    fit[main & (rng.random(n) < 0.6), DINNER] = True
    fit[(primary == BREAKFAST) & (rng.random(n) < 0.2), SNACK] = True

    median = np.array([MEDIAN_KCAL[s] for s in primary])
    kcal = np.clip(median * rng.lognormal(0.0, 0.35, n), 40.0, 1400.0)
    # Mg per kcal: most meals 0.05-0.15 (refined grains, meat, dairy), a tail of rich ones
    # (greens, seeds, legumes, whole grains) up to 0.5.
    rich = rng.random(n) < 0.2
    density = np.where(
        rich,
        0.15 + 0.35 * rng.beta(1.2, 2.5, n),
        np.clip(rng.lognormal(np.log(0.09), 0.3, n), 0.03, 0.18),
    )
    magnesium = density * kcal
    added = np.zeros(n)
    # A few fortified products with 125 mg added Mg: juice shots (snack), cereals (breakfast).
    fortified = np.zeros(n, dtype=bool)
    fortified[rng.choice(n, size=min(n, 4 + n // 1000), replace=False)] = True
    shot = fortified & (rng.random(n) < 0.5)
    fit[shot] = [False, False, False, True]
    kcal[shot] = rng.uniform(40, 90, shot.sum())
    cereal = fortified & ~shot
    fit[cereal] = [True, False, False, False]
    kcal[cereal] = rng.uniform(200, 320, cereal.sum())
    added[fortified] = 125.0
    magnesium[fortified] = 125.0 + 0.05 * kcal[fortified]

    carbohydrate = kcal * rng.uniform(0.3, 0.6, n) / 4.0
    sodium = rng.lognormal(np.log(450.0), 0.6, n)
    preference = np.where(rng.random(n) < 0.3, rng.uniform(-1, 1, n), 0.0)
    vegan = rng.random(n) < np.where(rich, 0.55, 0.3)
    contains_nuts = rng.random(n) < np.where(rich, 0.3, 0.08)
    n_foods = FOODS_BASE + int(FOODS_PER_MEAL_SHARE * n)
    weight = 1.0 / np.arange(1, n_foods + 1)
    weight /= weight.sum()
    # Products (the shots, the cereals) are one food each and planned in whole units.
    per_meal = np.where(fortified, 1, rng.integers(1, 5, n))
    ingredient_ids = tuple(
        frozenset(rng.choice(n_foods, size=k, replace=False, p=weight).tolist())
        for k in per_meal.tolist()
    )
    catalog = Catalog(
        meal_ids=np.arange(1, n + 1, dtype=np.int64),
        slot_fit=fit,
        kcal=kcal,
        magnesium_mg=magnesium,
        added_magnesium_mg=added,
        carbohydrate_g=carbohydrate,
        sodium_mg=sodium,
        preference=preference,
        unit_only=fortified,
        ingredient_ids=ingredient_ids,
    )
    return SyntheticCatalog(catalog, vegan, contains_nuts)


def day_shares(totals: np.ndarray, ok: list[bool], rules: Rules) -> tuple[float, float, float]:
    """Return the % of days at the Mg target, inside the kcal window, and ok (every rule)."""
    kcal, magnesium = totals[:, 0], totals[:, 1]
    at_target = magnesium >= rules.magnesium_target_mg - MG_TOL
    in_window = (kcal >= rules.kcal_min - KCAL_TOL) & (kcal <= rules.kcal_max + KCAL_TOL)
    return 100.0 * at_target.mean(), 100.0 * in_window.mean(), 100.0 * np.mean(ok)


def rss_mb() -> float:
    """Return this process's peak resident set size (ru_maxrss) in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Run the benchmark and print one table row per size and profile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,500,2000,10000")
    parser.add_argument("--weeks", type=int, default=5, help="weeks (seeds) per profile")
    parser.add_argument("--budget", type=float, default=2.0, help="time_budget_s per week")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-quality", action="store_true", help="synthetic part only")
    which.add_argument("--quality-only", action="store_true", help="curated quality part only")
    parser.add_argument(
        "--long-budget",
        type=float,
        default=120.0,
        help="time_budget_s of the long-budget optimum in the quality table",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not args.quality_only:
        synthetic_part(sizes, args.weeks, args.budget)
    if not args.no_quality:
        from bench.quality import run

        run(long_budget_s=args.long_budget)


def synthetic_part(sizes: list[int], weeks: int, budget: float) -> None:
    """Plan synthetic catalogs of each size and print the `planner: N=...` lines."""
    # Load HiGHS once so its one-off start-up is not billed to the first week.
    warm = make_catalog(50, 0)
    plan_week(warm.catalog, PROFILES[0].rules, time_budget_s=0.2)
    baseline_mb = rss_mb()
    print(
        "memory: peak_mb is ru_maxrss, the whole bench process's high-water mark "
        f"(interpreter, numpy, HiGHS and catalogs included); before any week: {baseline_mb:.0f} MB"
    )
    print("times in ms; first = first plan with every day ok (first_plan_ms), total = polished")
    print(
        "greedy = bench/quality.py's: per slot the meal and servings step that keep the kcal on "
        "course to the window's middle with the most Mg, variety kept"
    )
    header = (
        f"{'N':>6} {'profile':<15} {'meals':>6} {'first_med':>9} {'first_max':>9} "
        f"{'total_med':>9} {'total_max':>9} {'peak_mb':>7} {'target%':>7} {'window%':>7} "
        f"{'ok%':>6} {'opt':>4} | {'greedy target%':>14} {'window%':>7} {'ok%':>6}"
    )
    summaries = []
    for n in sizes:
        synthetic = make_catalog(n, seed=n)
        print()
        print(header)
        firsts: list[float] = []
        totals: list[float] = []
        ok_days: list[float] = []
        greedy_ok: list[float] = []
        for profile in PROFILES:
            keep = np.ones(len(synthetic.catalog), dtype=bool)
            if profile.vegan_nut_free:
                keep = synthetic.vegan & ~synthetic.contains_nuts
            catalog = synthetic.only(keep)
            rules = profile.rules
            results = [
                plan_week(catalog, rules, seed=week, time_budget_s=budget) for week in range(weeks)
            ]
            first = [r.first_plan_ms for r in results]
            total = [r.total_ms for r in results]
            planned = np.array(
                [
                    [d.kcal, d.magnesium_mg, d.added_magnesium_mg, d.carbohydrate_g, d.sodium_mg]
                    for r in results
                    for d in r.days
                ]
            )
            stats = day_shares(planned, [d.ok for r in results for d in r.days], rules)
            plan = greedy_week(catalog, rules)
            greedy = day_shares(plan.totals, rules_hold(plan.totals, rules), rules)
            optimal = sum(r.optimal for r in results)
            print(
                f"{n:>6} {profile.name:<15} {len(catalog):>6} {np.median(first):>9.0f} "
                f"{max(first):>9.0f} {np.median(total):>9.0f} {max(total):>9.0f} "
                f"{rss_mb():>7.0f} {stats[0]:>7.1f} {stats[1]:>7.1f} "
                f"{stats[2]:>6.1f} {optimal:>2}/{len(results)} | {greedy[0]:>14.1f} "
                f"{greedy[1]:>7.1f} {greedy[2]:>6.1f}"
            )
            firsts += first
            totals += total
            ok_days += [100.0 * np.mean([d.ok for d in r.days]) for r in results]
            greedy_ok += [greedy[2]]
        summaries.append(
            f"planner: N={n} median_ms={np.median(firsts):.0f} "
            f"p90_ms={np.percentile(firsts, 90):.0f} polish_p90_ms={np.percentile(totals, 90):.0f} "
            f"peak_mb={rss_mb():.0f} days_ok={np.mean(ok_days):.1f}% "
            f"greedy_days_ok={np.mean(greedy_ok):.1f}%"
        )
    print()
    for n, line in zip(sizes, summaries, strict=True):
        if n in (2000, 10000) or not {2000, 10000} & set(sizes):
            print(line)


if __name__ == "__main__":
    main()
