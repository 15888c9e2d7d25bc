from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from mealplan import services
from mealplan.models import PlanEntry
from mealplan.tests.factories import fill_week

pytestmark = pytest.mark.django_db


def url(name, week_start):
    return reverse(f"mealplan:{name}", kwargs={"week_start": week_start})


@pytest.fixture
def last_week(week_start):
    return week_start - timedelta(weeks=1)


@pytest.fixture
def source(user, profile, catalog, last_week):
    fill_week(user=user, week_start=last_week, meals=catalog)
    entry = PlanEntry.objects.get(plan__user=user, date=last_week, slot="lunch")
    entry.servings = Decimal("2.5")
    entry.save()
    return PlanEntry.objects.filter(plan__week_start=last_week)


def cells(user, week_start):
    return {
        ((entry.date - week_start).days, entry.slot): (entry.meal_id, entry.servings)
        for entry in PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start)
    }


def test_copy_shifts_entries_by_whole_weeks(user, source, last_week, week_start):
    copied = services.weekplan_copy(user=user, source_week=last_week, target_week=week_start)
    assert copied == source.count() >= 21
    assert cells(user, week_start) == cells(user, last_week)
    assert cells(user, week_start)[(0, "lunch")][1] == Decimal("2.5")


def test_copy_replaces_unlocked_and_keeps_locked(user, source, catalog, last_week, week_start):
    # Another meal than the source's in every cell, so a copy that skips one shows.
    fill_week(user=user, week_start=week_start, meals=catalog, shift=1)
    locked = PlanEntry.objects.get(plan__week_start=week_start, date=week_start, slot="dinner")
    locked.meal = catalog["dinner"][5]
    locked.locked = True
    locked.save()
    services.weekplan_copy(user=user, source_week=last_week, target_week=week_start)
    after = cells(user, week_start)
    expected = cells(user, last_week)
    expected[(0, "dinner")] = (catalog["dinner"][5].pk, Decimal("1"))
    assert after == expected
    assert PlanEntry.objects.get(pk=locked.pk).locked


def test_copy_onto_itself_is_an_error(user, source, last_week):
    with pytest.raises(services.PlanError, match="onto itself"):
        services.weekplan_copy(user=user, source_week=last_week, target_week=last_week)


def test_copy_from_a_later_or_empty_week_is_an_error(user, source, last_week, week_start):
    with pytest.raises(services.PlanError, match="earlier week"):
        services.weekplan_copy(user=user, source_week=week_start, target_week=last_week)
    with pytest.raises(services.PlanError, match="Nothing is planned"):
        services.weekplan_copy(
            user=user, source_week=last_week - timedelta(weeks=3), target_week=week_start
        )


def test_copy_never_reads_another_users_week(other_user, source, last_week, week_start):
    with pytest.raises(services.PlanError, match="Nothing is planned"):
        services.weekplan_copy(user=other_user, source_week=last_week, target_week=week_start)


def test_copy_view_takes_any_day_of_the_source_week(
    user_client, user, source, last_week, week_start
):
    response = user_client.post(
        url("week_copy", week_start), {"source": last_week + timedelta(days=3)}, follow=True
    )
    assert "Copied 28 entries" in response.content.decode()
    assert len(cells(user, week_start)) == 28


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "2026-11-25"}, "a copy onto itself"),
        ({"source": "not-a-date"}, "Enter a valid date"),
        ({}, "This field is required"),
    ],
)
def test_copy_view_rejects_bad_input(user_client, user, source, week_start, data, message):
    response = user_client.post(url("week_copy", week_start), data, follow=True)
    assert message in response.content.decode()
    assert cells(user, week_start) == {}


def test_copy_and_clear_are_post_only_with_csrf(user, source, week_start, last_week):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url("week_copy", week_start)).status_code == 405
    # GET on clear only asks for confirmation; it removes nothing.
    assert client.get(url("week_clear", last_week)).status_code == 200
    assert client.post(url("week_copy", week_start), {"source": last_week}).status_code == 403
    assert client.post(url("week_clear", last_week)).status_code == 403
    assert len(cells(user, last_week)) == 28


def test_clear_keeps_locked_unless_asked(user_client, user, source, last_week):
    entry = source.get(date=last_week, slot="snack")
    entry.locked = True
    entry.save()
    response = user_client.post(url("week_clear", last_week), follow=True)
    assert "Removed 27 entries" in response.content.decode()
    assert list(cells(user, last_week)) == [(0, "snack")]
    user_client.post(url("week_clear", last_week), {"include_locked": "on"})
    assert cells(user, last_week) == {}


def test_clear_touches_only_my_week(client, other_user, user, source, last_week):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(url("week_clear", last_week), {"include_locked": "on"})
    assert len(cells(user, last_week)) == 28


def test_copy_and_clear_need_a_monday(user_client, source, week_start):
    tuesday = week_start + timedelta(days=1)
    assert user_client.post(url("week_copy", tuesday), {"source": week_start}).status_code == 404
    assert user_client.post(url("week_clear", tuesday)).status_code == 404
