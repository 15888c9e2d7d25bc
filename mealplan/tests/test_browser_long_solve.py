"""In a browser at phone width: a week planned in the background polls, then shows itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mealplan.models import PlanJob, monday_of
from mealplan.tests.test_browser_week import PHONE, log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_queued_week_polls_then_shows_the_week(
    page, live_server, user, password, profile, catalog, settings, csp_violations
):
    settings.PLANNER_INTERACTIVE_BUDGET_S = 0.001  # every week goes to the queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    next_week = monday_of(timezone.localdate()) + timedelta(days=7)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/plan/week/{next_week.isoformat()}/")
    page.get_by_role("button", name="Suggest my week").click()
    status = page.locator("#plan-job")
    status.get_by_text("Planning your week… (queued)").wait_for()
    assert status.get_by_role("link", name="Reload").is_visible()
    screenshot(page, "long-solve-queued-phone")
    job = PlanJob.objects.get(user=user)
    # A worker takes it: the status partial polled every 2 s says so.
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.RUNNING, attempts=1)
    status.get_by_text("Planning your week… (running)").wait_for(timeout=6000)
    PlanJob.objects.filter(pk=job.pk).update(
        status=PlanJob.Status.DONE, message="Planned 0 meals.", finished_at=timezone.now()
    )
    page.get_by_text("Your week was planned in the background.").wait_for(timeout=6000)
    assert csp_violations == []


def test_queued_household_week_polls_then_shows_the_week(
    page, live_server, user, password, profile, catalog, settings, csp_violations
):
    from accounts.tests.factories import dependent, household_with_owner

    settings.PLANNER_INTERACTIVE_BUDGET_S = 0.001  # every week goes to the queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    household = household_with_owner(user, "The Smiths")
    dependent(household, "Mia", age=7)
    next_week = monday_of(timezone.localdate()) + timedelta(days=7)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, user, password)
    page.goto(f"{live_server.url}/plan/household/{next_week.isoformat()}/")
    page.get_by_role("button", name="Suggest the household’s week").click()
    status = page.locator("#plan-job")
    status.get_by_text("Planning the household’s week… (queued)").wait_for()
    assert status.get_by_role("link", name="Reload").is_visible()
    screenshot(page, "household-long-solve-queued-phone")
    job = PlanJob.objects.get(household=household)
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.RUNNING, attempts=1)
    status.get_by_text("Planning the household’s week… (running)").wait_for(timeout=6000)
    PlanJob.objects.filter(pk=job.pk).update(
        status=PlanJob.Status.DONE, message="Planned 0 dishes.", finished_at=timezone.now()
    )
    page.get_by_text("The household’s week was planned in the background.").wait_for(timeout=6000)
    assert csp_violations == []
