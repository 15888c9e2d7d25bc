"""Calibrate mealplan.planner.estimate: predicted against measured solve seconds.

Run from the repo root: python bench/estimate.py [--budget 2] [--seeds 2] [--sizes 100,...].
Personal weeks (plan_week, bench/planner.py's omnivore rules) on synthetic catalogs of 100 to
5,000 candidate meals, then households of 2 to 6 members (bench/household.py's members,
repeated past four) on 100 to 2,000 meals; every cell of a week to fill. Each solve gets a
generous time budget (--cap, default 60 s) so that its own node limits, not the clock, end
it. Per size: the estimate, the slowest measured time, whether the estimate's verdict against
the interactive budget (--budget) matches the measurement, and whether it errs on the safe
side (a solve measured beyond the budget is never predicted to fit). Prints figures only;
the last line sums them up.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.household import MEMBERS, member_rules  # noqa: E402
from bench.planner import PROFILES, make_catalog  # noqa: E402
from mealplan.planner import Eater, plan_household_week, plan_week  # noqa: E402
from mealplan.planner.estimate import (  # noqa: E402
    SAFETY_SHARE,
    SolveSize,
    estimate_solve_s,
    fits_interactive,
)

DAYS = 7
CELLS = DAYS * 4


def measure(run, seeds: int) -> float:
    """Return the slowest wall time of a solve over some seeds."""
    worst = 0.0
    for seed in range(seeds):
        started = time.perf_counter()
        run(seed)
        worst = max(worst, time.perf_counter() - started)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", type=float, default=2.0, help="interactive budget, s")
    parser.add_argument("--cap", type=float, default=60.0, help="each solve's time budget, s")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--sizes", default="100,400,1000,2000,5000")
    parser.add_argument("--house-sizes", default="100,1000,2000")
    parser.add_argument("--members", default="2,4,6")
    args = parser.parse_args()
    rules = PROFILES[0].rules
    rows: list[tuple[str, float, float]] = []
    print(f"{'case':<24} {'predicted_s':>11} {'measured_s':>10} {'ratio':>6} {'verdict':>8}")

    def show(label: str, size: SolveSize, measured: float) -> None:
        predicted = estimate_solve_s(size)
        fits = fits_interactive(size, args.budget)
        truth = measured <= SAFETY_SHARE * args.budget
        verdict = "ok" if fits == truth else ("queue" if not fits else "MISSED")
        rows.append((verdict, predicted, measured))
        print(
            f"{label:<24} {predicted:>11.2f} {measured:>10.2f} "
            f"{predicted / max(measured, 1e-3):>6.2f} {verdict:>8}"
        )

    for n in [int(s) for s in args.sizes.split(",")]:
        catalog = make_catalog(n, seed=n).catalog

        def personal(seed: int, catalog=catalog) -> None:
            plan_week(catalog, rules, days=DAYS, seed=seed, time_budget_s=args.cap)

        show(f"personal n={n}", SolveSize(n, CELLS, 1), measure(personal, args.seeds))
    for n in [int(s) for s in args.house_sizes.split(",")]:
        catalog = make_catalog(n, seed=n).catalog
        for k in [int(s) for s in args.members.split(",")]:
            eaters = [
                Eater(rules=member_rules(MEMBERS[i % len(MEMBERS)]), name=str(i)) for i in range(k)
            ]

            def house(seed: int, catalog=catalog, eaters=eaters) -> None:
                plan_household_week(catalog, eaters, days=DAYS, seed=seed, time_budget_s=args.cap)

            show(f"household n={n} k={k}", SolveSize(n, CELLS, k), measure(house, args.seeds))
    missed = sum(1 for verdict, _, _ in rows if verdict == "MISSED")
    over = sum(1 for verdict, _, _ in rows if verdict == "queue")
    agree = sum(1 for verdict, _, _ in rows if verdict == "ok")
    ratios = sorted(p / max(m, 1e-3) for _, p, m in rows)
    print(
        f"estimate: cases={len(rows)} budget_s={args.budget} agree={agree} "
        f"queued_needlessly={over} missed={missed} "
        f"ratio_min={ratios[0]:.2f} ratio_median={ratios[len(ratios) // 2]:.2f}"
    )


if __name__ == "__main__":
    main()
