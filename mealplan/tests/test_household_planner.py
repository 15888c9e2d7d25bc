"""Tests for the household planner: one shared dish per cell, each eater's own servings.

Pure: no database, no Django. Catalogs are built here, tiny, and the cases hand-checked:
with one candidate dish per slot the dishes are forced and only the servings are chosen.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from mealplan.planner import (
    NO_SHARED_DISH,
    RELAX_VARIETY,
    Catalog,
    Eater,
    HouseholdFixed,
    MealRow,
    Rules,
    Unserved,
    household,
    household_swap_options,
    plan_household_week,
)

BREAKFAST, LUNCH, DINNER, SNACK = range(4)
ROUND_OFF = 1e-3
ADULT = Rules(magnesium_target_mg=420, kcal_min=2800, kcal_max=3400)


def meal(meal_id: int, slot: str, kcal: float, mg: float, **extra) -> MealRow:
    """Return a one-slot meal row."""
    return MealRow(meal_id=meal_id, slots=frozenset({slot}), kcal=kcal, magnesium_mg=mg, **extra)


# One dish per main slot, no snack: the dishes are forced, only servings are chosen.
BREAKFAST_1 = meal(1, "breakfast", 500, 100)
LUNCH_2 = meal(2, "lunch", 700, 150)
DINNER_3 = meal(3, "dinner", 700, 150)
FORCED = Catalog.from_rows([BREAKFAST_1, LUNCH_2, DINNER_3])
KCAL = {1: 500.0, 2: 700.0, 3: 700.0}
MG = {1: 100.0, 2: 150.0, 3: 150.0}


def eats(days: int = 1, *, skip: tuple[int, ...] = ()) -> np.ndarray:
    """Return an eats mask: every cell, except the slots skipped on every day."""
    mask = np.ones((days, 4), dtype=bool)
    mask[:, list(skip)] = False
    return mask


def cell(result, day: int, slot: int):
    """Return the assignment of a cell, or None."""
    found = [a for a in result.assignments if (a.day, a.slot) == (day, slot)]
    assert len(found) <= 1
    return found[0] if found else None


def own_kcal(result, e: int, day: int, kcal: dict[int, float]) -> float:
    """Return an eater's kcal of a day from the assignments alone."""
    return sum(a.servings[e] * kcal[a.meal_id] for a in result.assignments if a.day == day)


@pytest.mark.parametrize("integer", [True, False])
def test_a_shared_dish_gets_each_eater_their_own_portion(integer, monkeypatch):
    # Both servings formulations (an integer count of steps, a binary per step) agree.
    monkeypatch.setattr(household, "SERVINGS_AS_INTEGER", integer)
    # Child (4-8: 130 mg, 950-1,100 kcal): one serving of anything is too much (0.5 of each
    # is 950 kcal; one more half serving adds at least 250), so 0.5 of each, 200 mg. The
    # adult needs 2,800-3,400 kcal: at least 1.5 servings on average.
    child = Rules(magnesium_target_mg=130, kcal_min=950, kcal_max=1100, added_magnesium_max_mg=110)
    result = plan_household_week(
        FORCED, [Eater(ADULT, name="adult"), Eater(child, name="child")], days=1
    )
    assert [(a.slot, a.meal_id) for a in result.assignments] == [(0, 1), (1, 2), (2, 3)]
    assert [a.servings[1] for a in result.assignments] == [0.5, 0.5, 0.5]
    adult_kcal = own_kcal(result, 0, 0, KCAL)
    assert 2800 - 0.5 <= adult_kcal <= 3400 + 0.5
    assert all(a.servings[0] > a.servings[1] for a in result.assignments[1:])
    adult, kid = result.reports[0][0], result.reports[1][0]
    assert adult.ok and kid.ok
    assert kid.kcal == pytest.approx(950) and kid.magnesium_mg == pytest.approx(200)
    assert adult.kcal == pytest.approx(adult_kcal)
    assert result.unserved == [] and result.optimal and not result.limited


@pytest.mark.parametrize("limit", [65.0, 110.0])
def test_added_magnesium_limit_is_kept_per_eater(limit):
    # The only breakfast is fortified: 100 mg added a serving. The child (1,900-2,100 kcal)
    # could eat 1 serving of it with lunch and dinner at 1 (1,900 kcal); at 65 mg only the
    # half serving keeps the limit (50 mg), so lunch + dinner make up 2.5 servings.
    fortified = meal(1, "breakfast", 500, 200, added_magnesium_mg=100)
    catalog = Catalog.from_rows([fortified, LUNCH_2, DINNER_3])
    child = Rules(130, 1900, 2100, added_magnesium_max_mg=limit)
    result = plan_household_week(catalog, [Eater(ADULT), Eater(child)], days=1)
    breakfast = cell(result, 0, BREAKFAST)
    assert breakfast is not None and breakfast.meal_id == 1
    assert breakfast.servings[1] * 100 <= limit + ROUND_OFF
    if limit == 65.0:
        assert breakfast.servings[1] == 0.5
    kid = result.reports[1][0]
    assert kid.added_magnesium_mg <= limit + ROUND_OFF
    assert result.reports[0][0].added_magnesium_mg <= 350 + ROUND_OFF
    assert kid.ok and result.reports[0][0].ok


def test_added_magnesium_limit_holds_over_a_week_of_fortified_choices():
    rng = np.random.default_rng(5)
    rows = random_rows(rng, 30)
    rows += [
        meal(100 + i, "snack", 80, 150, added_magnesium_mg=125, unit_only=True) for i in range(3)
    ]
    catalog = Catalog.from_rows(rows)
    child = Rules(130, 1300, 1700, added_magnesium_max_mg=65)
    teen = Rules(240, 1800, 2300, added_magnesium_max_mg=350)
    result = plan_household_week(catalog, [Eater(ADULT), Eater(child), Eater(teen)], days=7)
    for e, limit in enumerate((350, 65, 350)):
        for day in result.reports[e]:
            assert day.added_magnesium_mg <= limit + ROUND_OFF
    # A shot (125 mg) is too much for the child whatever the serving: never in a cell they eat.
    assert not [a for a in result.assignments if a.meal_id >= 100 and a.servings[1] > 0]


LUNCH_PEANUT = meal(10, "lunch", 700, 150, preference=1.0)
LUNCH_PLAIN = meal(11, "lunch", 700, 150)
ALLERGY_CATALOG = Catalog.from_rows([BREAKFAST_1, LUNCH_PEANUT, LUNCH_PLAIN, DINNER_3])
LOOSE_ADULT = Rules(420, 1500, 3500)
LOOSE_CHILD = Rules(130, 600, 2000, added_magnesium_max_mg=110)
NO_PEANUTS = frozenset({1, 11, 3})


def test_an_allergy_removes_a_dish_for_everyone_eating_that_cell():
    # The peanut lunch is liked (preference 1) and otherwise equal: it wins when the child
    # does not eat lunch, and is out for both when the child does.
    both = [Eater(LOOSE_ADULT), Eater(LOOSE_CHILD, suits=NO_PEANUTS)]
    result = plan_household_week(ALLERGY_CATALOG, both, days=1)
    assert cell(result, 0, LUNCH).meal_id == 11
    away = [Eater(LOOSE_ADULT), Eater(LOOSE_CHILD, suits=NO_PEANUTS, eats=eats(skip=(LUNCH,)))]
    result = plan_household_week(ALLERGY_CATALOG, away, days=1)
    lunch = cell(result, 0, LUNCH)
    assert lunch.meal_id == 10 and lunch.servings[1] == 0.0


def test_a_member_who_skips_lunch_gets_no_lunch_servings_and_their_totals_exclude_it():
    # Child without lunch: 500 b + 700 d within 900-1,200 kcal.
    child = Rules(130, 900, 1200, added_magnesium_max_mg=110)
    result = plan_household_week(
        FORCED, [Eater(ADULT), Eater(child, eats=eats(skip=(LUNCH,)))], days=1
    )
    lunch = cell(result, 0, LUNCH)
    assert lunch is not None and lunch.servings[0] > 0 and lunch.servings[1] == 0.0
    kid = result.reports[1][0]
    b, d = cell(result, 0, BREAKFAST).servings[1], cell(result, 0, DINNER).servings[1]
    assert kid.kcal == pytest.approx(500 * b + 700 * d)
    assert kid.magnesium_mg == pytest.approx(100 * b + 150 * d)
    assert kid.ok and 900 - 0.5 <= kid.kcal <= 1200 + 0.5


def test_a_cell_nobody_eats_gets_no_dish():
    catalog = Catalog.from_rows([BREAKFAST_1, LUNCH_2, DINNER_3, meal(4, "snack", 200, 60)])
    skip = eats(skip=(SNACK,))
    result = plan_household_week(
        catalog, [Eater(LOOSE_ADULT, eats=skip), Eater(LOOSE_CHILD, eats=skip)], days=1
    )
    assert cell(result, 0, SNACK) is None
    assert {a.slot for a in result.assignments} == {BREAKFAST, LUNCH, DINNER}


def test_a_locked_entry_is_kept_and_counted_in_each_eaters_totals():
    child = Rules(130, 950, 1100, added_magnesium_max_mg=110)
    locked = HouseholdFixed(
        day=0,
        slot=DINNER,
        meal_id=3,
        servings=(1.5, 0.5),
        kcal=700,
        magnesium_mg=150,
        added_magnesium_mg=0,
        carbohydrate_g=0,
        sodium_mg=0,
    )
    result = plan_household_week(FORCED, [Eater(ADULT), Eater(child)], days=1, fixed=[locked])
    assert cell(result, 0, DINNER) is None
    assert {a.slot for a in result.assignments} == {BREAKFAST, LUNCH}
    kid = result.reports[1][0]
    # The child's 350 kcal of the locked dinner plus 0.5 + 0.5 of the others: 950.
    assert kid.kcal == pytest.approx(350 + own_kcal(result, 1, 0, KCAL))
    assert kid.kcal == pytest.approx(950) and kid.ok
    assert result.reports[0][0].kcal == pytest.approx(1050 + own_kcal(result, 0, 0, KCAL))


def test_a_cell_no_shared_dish_can_serve_is_reported_and_left_empty():
    # The only dinner is not in the child's suits: nobody gets a dinner, the child is named.
    result = plan_household_week(
        FORCED, [Eater(LOOSE_ADULT), Eater(LOOSE_CHILD, suits=frozenset({1, 2}))], days=1
    )
    assert result.unserved == [Unserved(0, DINNER, 1, NO_SHARED_DISH)]
    assert cell(result, 0, DINNER) is None
    assert {a.slot for a in result.assignments} == {BREAKFAST, LUNCH}
    assert DINNER in result.reports[1][0].empty_slots


def test_the_eater_who_empties_the_shared_candidates_is_named():
    # Two dinners: eater 1 eats only A, eater 2 only B; each alone has a dish, together none.
    catalog = Catalog.from_rows(
        [BREAKFAST_1, LUNCH_2, meal(3, "dinner", 700, 150), meal(4, "dinner", 700, 150)]
    )
    eaters = [
        Eater(LOOSE_ADULT),
        Eater(LOOSE_CHILD, suits=frozenset({1, 2, 3})),
        Eater(LOOSE_CHILD, suits=frozenset({1, 2, 4})),
    ]
    result = plan_household_week(catalog, eaters, days=1)
    assert result.unserved == [Unserved(0, DINNER, 2, NO_SHARED_DISH)]
    # When eater 2 skips dinner, eater 1's dinner serves the other two.
    eaters[2] = Eater(LOOSE_CHILD, suits=frozenset({1, 2, 4}), eats=eats(skip=(DINNER,)))
    result = plan_household_week(catalog, eaters, days=1)
    assert result.unserved == []
    assert cell(result, 0, DINNER).meal_id == 3
    assert cell(result, 0, DINNER).servings[2] == 0.0


def random_rows(rng: np.random.Generator, n: int) -> list[MealRow]:
    """Return n meals across the slots, with a few shared ingredient foods."""
    kcal_of = {"breakfast": 450, "lunch": 650, "dinner": 650, "snack": 200}
    rows = []
    for i in range(n):
        slot = ("breakfast", "lunch", "dinner", "snack")[i % 4]
        kcal = kcal_of[slot] * rng.uniform(0.7, 1.3)
        rows.append(
            MealRow(
                meal_id=i + 1,
                slots=frozenset({slot}),
                kcal=kcal,
                magnesium_mg=kcal * rng.uniform(0.12, 0.3),
                ingredient_ids=frozenset(rng.choice(12, size=2, replace=False).tolist()),
            )
        )
    return rows


FAMILY = [
    Eater(Rules(420, 2300, 2900), name="adult"),
    Eater(Rules(130, 1300, 1700, added_magnesium_max_mg=110), name="child"),
    Eater(Rules(240, 1800, 2300), name="teen"),
]


def test_when_the_greedy_week_breaks_a_rule_the_milp_finds_one_keeping_them(monkeypatch):
    # The greedy week is made to break every rule (its week is the first dish of each cell
    # at the least servings); the MILP from it must still find the week the greedy misses.
    def poor_week(self):
        self.breach = 1.0
        picks = []
        for (day, slot), rows in sorted(self.cells.items()):
            if rows.size:
                picks.append((day, slot, int(rows[day % rows.size]), (1,) * self.h.n_eaters))
        return picks

    monkeypatch.setattr(household._HouseGreedy, "week", poor_week)
    child = Rules(130, 950, 1100, added_magnesium_max_mg=110)
    result = plan_household_week(FORCED, [Eater(ADULT), Eater(child)], days=1)
    assert all(days[0].ok for days in result.reports)
    assert result.optimal and not result.limited
    assert [a.servings[1] for a in result.assignments] == [0.5, 0.5, 0.5]


def test_same_seed_same_plan():
    catalog = Catalog.from_rows(random_rows(np.random.default_rng(1), 40))
    first = plan_household_week(catalog, FAMILY, days=7, seed=3)
    second = plan_household_week(catalog, FAMILY, days=7, seed=3)
    assert first.assignments == second.assignments
    assert [[d.ok for d in days] for days in first.reports] == [
        [d.ok for d in days] for days in second.reports
    ]


def test_a_week_keeps_variety_and_every_members_rules():
    catalog = Catalog.from_rows(random_rows(np.random.default_rng(2), 48))
    result = plan_household_week(catalog, FAMILY, days=7, seed=0)
    assert all(day.ok for days in result.reports for day in days)
    assert len(result.assignments) == 28  # one dish per cell, shared by all
    days_of = defaultdict(list)
    foods = defaultdict(Counter)
    ingredients = {r: catalog.ingredient_ids[i] for i, r in enumerate(catalog.meal_ids.tolist())}
    for a in result.assignments:
        days_of[a.meal_id].append(a.day)
        foods[a.day].update(ingredients[a.meal_id])
    for on in days_of.values():
        assert len(on) <= 2
        assert all(b - a >= 2 for a, b in zip(on, on[1:], strict=False))
    assert all(n <= 2 for counts in foods.values() for n in counts.values())
    assert not any(day.relaxed for days in result.reports for day in days)


def test_variety_gives_way_rather_than_leave_a_main_meal_empty():
    # One dish per main slot and three days: each must repeat on days running.
    result = plan_household_week(
        FORCED, [Eater(LOOSE_ADULT), Eater(LOOSE_CHILD)], days=3, time_budget_s=5
    )
    assert len(result.assignments) == 9
    assert all(RELAX_VARIETY in day.relaxed for day in result.reports[0])
    assert all(day.empty_slots == () for days in result.reports for day in days)


def test_swap_options_rank_dishes_for_the_whole_household():
    # Lunch for a day where breakfast and dinner are kept: the peanut lunch is out while the
    # child eats lunch; each option carries every eater's servings, 0 for one who skips.
    kept = [
        HouseholdFixed(0, BREAKFAST, 1, (2.0, 0.5), 500, 100, 0, 0, 0),
        HouseholdFixed(0, DINNER, 3, (2.0, 0.5), 700, 150, 0, 0, 0),
    ]
    child = Rules(130, 950, 1100, added_magnesium_max_mg=110)
    both = [Eater(Rules(420, 2800, 3400)), Eater(child, suits=NO_PEANUTS)]
    options = household_swap_options(ALLERGY_CATALOG, both, day=0, slot=LUNCH, fixed=kept, days=1)
    assert [o.meal_id for o in options] == [11]
    # Adult: 2,400 kcal kept, needs 400-1,000 more: 1 serving (700) is the band's middle.
    assert options[0].servings == (1.0, 0.5)
    away = [both[0], Eater(child, suits=NO_PEANUTS, eats=eats(skip=(LUNCH,)))]
    options = household_swap_options(ALLERGY_CATALOG, away, day=0, slot=LUNCH, fixed=kept, days=1)
    assert [o.meal_id for o in options] == [10, 11]
    assert all(o.servings[1] == 0.0 for o in options)


def test_only_the_cells_to_fill_get_a_dish():
    kept = [
        HouseholdFixed(0, BREAKFAST, 1, (1.0, 0.5), 500, 100, 0, 0, 0),
        HouseholdFixed(0, DINNER, 3, (1.0, 0.5), 700, 150, 0, 0, 0),
    ]
    result = plan_household_week(
        FORCED,
        [Eater(LOOSE_ADULT), Eater(LOOSE_CHILD)],
        days=2,
        fixed=kept,
        fill=[(0, LUNCH), (0, DINNER)],  # dinner holds a kept entry: it stays
    )
    assert [(a.day, a.slot, a.meal_id) for a in result.assignments] == [(0, LUNCH, 2)]
    assert result.reports[1][1].kcal == 0.0  # day 1 was not to be filled


def test_a_day_that_cannot_reach_a_target_says_so_exactly():
    # 1,000 mg: two servings of everything hold 800 mg at most.
    greedy = Rules(magnesium_target_mg=1000, kcal_min=1000, kcal_max=5000)
    result = plan_household_week(FORCED, [Eater(greedy), Eater(LOOSE_CHILD)], days=1)
    day = result.reports[0][0]
    assert day.failures == ("magnesium",) and not day.ok
    assert day.magnesium_mg == pytest.approx(800)
    assert day.proven_unreachable and day.binding == "catalog"
    assert result.reports[1][0].ok
