"""Clearing a week asks first, and can be undone into the cells still empty."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mealplan import services
from mealplan.models import PlanEntry, WeekPlan
from mealplan.views import CLEAR_UNDO_KEY, CLEAR_UNDO_WINDOW

pytestmark = pytest.mark.django_db


def url(name: str, week_start: date) -> str:
    return reverse(f"mealplan:{name}", args=[week_start])


@pytest.fixture
def planned(user, profile, catalog, week_start) -> WeekPlan:
    plan = WeekPlan.objects.create(user=user, week_start=week_start)
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, date=day, slot=slot, meal=catalog[slot][offset % 2])
        for offset, day in enumerate(plan.days)
        for slot in ("breakfast", "lunch", "dinner", "snack")
    )
    first = plan.entries.get(date=week_start, slot="lunch")
    first.servings, first.locked = Decimal("1.5"), True
    first.save()
    return plan


def cells(user, week_start) -> dict:
    rows = PlanEntry.objects.filter(plan__user=user, plan__week_start=week_start)
    return {
        (entry.date, entry.slot): (entry.meal_id, entry.servings, entry.locked) for entry in rows
    }


def test_clear_asks_first_and_removes_nothing_yet(user_client, user, planned, week_start):
    before = cells(user, week_start)
    page = user_client.get(url("week_clear", week_start)).content.decode()
    assert "Remove 27 entries?" in page and "1 locked entry stays." in page
    assert f"for {CLEAR_UNDO_WINDOW.seconds // 60} minutes" in page
    assert 'method="post"' in page
    page = user_client.get(url("week_clear", week_start), {"include_locked": "on"})
    page = page.content.decode()
    assert "Remove 28 entries?" in page
    assert 'name="include_locked" value="on"' in page
    assert cells(user, week_start) == before


def test_clear_of_an_empty_week_says_there_is_nothing(user_client, profile, week_start):
    page = user_client.get(url("week_clear", week_start)).content.decode()
    assert "Nothing to clear" in page and "Remove" not in page


def test_the_week_page_asks_through_the_confirmation(user_client, planned, week_start):
    page = user_client.get(reverse("mealplan:week_detail", args=[week_start])).content.decode()
    form = page.split(f'action="{url("week_clear", week_start)}"')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form


def test_clear_then_undo_puts_everything_back(user_client, user, planned, week_start):
    before = cells(user, week_start)
    response = user_client.post(url("week_clear", week_start), {"include_locked": "on"})
    assert cells(user, week_start) == {}
    page = user_client.get(response.url).content.decode()
    assert "Removed 28 entries." in page and "Undo clear" in page
    page = user_client.post(url("week_clear_undo", week_start), follow=True).content.decode()
    assert "Put back 28 entries." in page
    assert "Undo clear" not in page
    assert cells(user, week_start) == before


def test_undo_twice_puts_back_once(user_client, user, planned, week_start):
    user_client.post(url("week_clear", week_start))
    user_client.post(url("week_clear_undo", week_start))
    entry = PlanEntry.objects.get(plan__user=user, date=week_start, slot="dinner")
    entry.delete()
    page = user_client.post(url("week_clear_undo", week_start), follow=True).content.decode()
    assert "Nothing to undo" in page and "alert-warning" in page
    assert len(cells(user, week_start)) == 27


def test_undo_keeps_a_cell_filled_since(user_client, user, planned, week_start, catalog):
    user_client.post(url("week_clear", week_start))
    tuesday = week_start + timedelta(days=1)
    plan = WeekPlan.objects.get(user=user, week_start=week_start)
    refill = catalog["snack"][5]
    PlanEntry.objects.create(plan=plan, date=tuesday, slot="snack", meal=refill)
    page = user_client.post(url("week_clear_undo", week_start), follow=True).content.decode()
    assert "Put back 26 entries. 1 cell(s) were filled since and kept their meal." in page
    now = cells(user, week_start)
    assert len(now) == 28
    assert now[(tuesday, "snack")][0] == refill.pk


def test_another_users_undo_puts_nothing_back(user_client, user, other_user, planned, week_start):
    user_client.post(url("week_clear", week_start))
    other = Client()
    other.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    page = other.post(url("week_clear_undo", week_start), follow=True).content.decode()
    assert "Nothing to undo" in page
    assert len(cells(user, week_start)) == 1  # only the locked one
    assert cells(other_user, week_start) == {}
    # The owner can still undo.
    user_client.post(url("week_clear_undo", week_start))
    assert len(cells(user, week_start)) == 28


def test_undo_of_another_week_or_too_late_puts_nothing_back(user_client, user, planned, week_start):
    user_client.post(url("week_clear", week_start))
    next_week = week_start + timedelta(weeks=1)
    page = user_client.post(url("week_clear_undo", next_week), follow=True).content.decode()
    assert "Nothing to undo" in page
    session = user_client.session
    cleared = session[CLEAR_UNDO_KEY]
    late = timezone.now() - CLEAR_UNDO_WINDOW - timedelta(minutes=1)
    session[CLEAR_UNDO_KEY] = {**cleared, "cleared_at": late.isoformat()}
    session.save()
    page = user_client.get(reverse("mealplan:week_detail", args=[week_start])).content.decode()
    assert "Undo clear" not in page
    page = user_client.post(url("week_clear_undo", week_start), follow=True).content.decode()
    assert "Nothing to undo" in page
    assert len(cells(user, week_start)) == 1


def test_undo_and_clear_need_login_post_csrf_and_a_monday(user, planned, week_start):
    anonymous = Client()
    assert anonymous.post(url("week_clear_undo", week_start)).status_code == 302
    assert anonymous.get(url("week_clear", week_start)).status_code == 302
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url("week_clear_undo", week_start)).status_code == 405
    assert client.post(url("week_clear_undo", week_start)).status_code == 403
    tuesday = week_start + timedelta(days=1)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url("week_clear", tuesday)).status_code == 404
    assert client.post(url("week_clear_undo", tuesday)).status_code == 404
    assert len(cells(user, week_start)) == 28


def test_restore_skips_meals_gone_since(user, planned, week_start, catalog):
    removed = services.weekplan_clear(user=user, week_start=week_start, include_locked=True)
    gone = catalog["snack"][1]
    gone.delete()
    outcome = services.weekplan_restore(user=user, week_start=week_start, entries=removed)
    assert (outcome.restored, outcome.skipped) == (25, 3)
    assert not PlanEntry.objects.filter(meal_id=gone.pk).exists()
