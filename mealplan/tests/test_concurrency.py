"""Two suggestions for the same week at once never leave duplicate or half-written entries."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from accounts.tests.factories import ProfileFactory
from mealplan import services
from mealplan.models import PlanEntry, WeekPlan

WEEK = date(2026, 11, 23)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_suggestions_leave_one_consistent_week(catalog):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    profile = ProfileFactory(birth_date=date(1985, 1, 1), sex="male")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def suggest(replace: bool) -> None:
        try:
            barrier.wait()
            services.weekplan_suggest(user=profile.user, week_start=WEEK, replace_unlocked=replace)
        except services.PlanError:
            pass  # a clear "try again" is an acceptable answer; a crash is not
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=suggest, args=(i % 2 == 1,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert WeekPlan.objects.filter(user=profile.user).count() == 1
    cells = list(PlanEntry.objects.values_list("date", "slot"))
    assert len(cells) == len(set(cells))
    main = [cell for cell in cells if cell[1] != "snack"]
    assert len(main) == 21  # complete: never half-written


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clear_right_after_regenerate_never_deadlocks(catalog):
    """Regenerate, then Clear a moment later: both take the week row first, so neither waits
    on the other's entries; whichever loses gets "try again", never an error page."""
    if connection.vendor != "postgresql":
        pytest.skip("lock order is a PostgreSQL matter; SQLite serialises writers anyway")
    profile = ProfileFactory(birth_date=date(1985, 1, 1), sex="male")
    services.weekplan_suggest(user=profile.user, week_start=WEEK)
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            action()
        except services.PlanError:
            pass  # "try again" is an acceptable answer; a deadlock error is not
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    for _ in range(5):
        regenerate = threading.Thread(
            target=run,
            args=(
                lambda: services.weekplan_suggest(
                    user=profile.user, week_start=WEEK, replace_unlocked=True
                ),
            ),
        )
        clear = threading.Thread(
            target=run,
            args=(lambda: services.weekplan_clear(user=profile.user, week_start=WEEK),),
        )
        regenerate.start()
        time.sleep(0.02)
        clear.start()
        regenerate.join(timeout=60)
        clear.join(timeout=60)
    assert errors == []
    cells = list(PlanEntry.objects.values_list("date", "slot"))
    assert len(cells) == len(set(cells))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_ticks_leave_the_food_ticked():
    """Two "tick" requests at once (a double tap, two phones) leave it ticked, never unticked."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts are a PostgreSQL matter; SQLite serialises writers anyway")
    from foods.tests.factories import FoodFactory
    from mealplan.models import ShoppingTick

    profile = ProfileFactory(birth_date=date(1985, 1, 1), sex="male")
    food = FoodFactory()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            barrier.wait()
            services.shopping_tick_set(
                user=profile.user, start=WEEK, end=WEEK, food_id=food.pk, ticked=True
            )
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert ShoppingTick.objects.filter(user=profile.user, food=food).count() == 1
